/* The answer to a rejected MSU: UDTS / XUDTS (ITU-T Q.713 4.11, 4.19) in an
 * M3UA DATA message (RFC 4666 3.3.1), as Q.714 4.2 returns a message whose
 * return option is set. See ss7fw/reject.h for the contract. */
#include <string.h>

#include "ss7fw/reject.h"

#define M3UA_HDR_LEN      8
#define M3UA_CLASS_XFER   1
#define M3UA_TYPE_DATA    1
#define M3UA_TAG_RC       0x0006
#define M3UA_TAG_NA       0x0200
#define M3UA_TAG_PD       0x0210
#define M3UA_PD_FIXED     12     /* OPC, DPC, SI, NI, MP, SLS */

/* Whether the view p[0..n) lies inside msg[0..len). Compared as integers:
 * the views come from the decoder, but nothing is read on trust. */
static bool in_msg(const uint8_t *p, size_t n, const uint8_t *msg, size_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)msg;
	return p != NULL && a >= b && n <= len && a - b <= len - n;
}

static void put16(uint8_t *o, size_t v)
{
	o[0] = (uint8_t)(v >> 8);
	o[1] = (uint8_t)v;
}

static void put32(uint8_t *o, uint32_t v)
{
	o[0] = (uint8_t)(v >> 24);
	o[1] = (uint8_t)(v >> 16);
	o[2] = (uint8_t)(v >> 8);
	o[3] = (uint8_t)v;
}

size_t reject_build(uint8_t *out, size_t cap, const struct msu *m, const uint8_t *msg,
		    size_t len, uint8_t cause)
{
	const struct m3ua_info *u = &m->m3ua;
	const struct sccp_info *s = &m->sccp;
	if (!out || !msg || !u->present || u->msg_class != M3UA_CLASS_XFER ||
	    u->msg_type != M3UA_TYPE_DATA || !u->has_pd)
		return 0;
	/* the SCCP layer decoded completely (TCAP may have failed: the data
	 * is returned as it came, whatever it is) */
	if (m->error_layer == LAYER_M3UA || m->error_layer == LAYER_SCCP || !s->present)
		return 0;
	if ((s->type != SCCP_UDT && s->type != SCCP_XUDT) || !s->return_on_error || s->has_segment)
		return 0;
	struct bytes cd = s->cgpa.raw, cg = s->cdpa.raw, data = s->data;  /* swapped */
	if (!s->cdpa.present || !s->cgpa.present || cd.len < 1 || cd.len > 255 ||
	    cg.len < 1 || cg.len > 255 || data.len > 255)
		return 0;
	if (!in_msg(cd.p, cd.len, msg, len) || !in_msg(cg.p, cg.len, msg, len) ||
	    (data.len && !in_msg(data.p, data.len, msg, len)))
		return 0;

	bool x = s->type == SCCP_XUDT;
	size_t nptr = x ? 4 : 3;
	size_t fixed = x ? 3 : 2;            /* type, cause [, hop counter] */
	size_t ptr0 = fixed;
	size_t at_cd = ptr0 + nptr;
	size_t at_cg = at_cd + 1 + cd.len;
	size_t at_data = at_cg + 1 + cg.len;
	size_t sccp_len = at_data + 1 + data.len;
	if (at_data - (ptr0 + 2) > 255)      /* the data pointer must fit its octet */
		return 0;
	size_t pd_len = 4 + M3UA_PD_FIXED + sccp_len;
	size_t pad = (4 - (pd_len & 3)) & 3;
	size_t total = M3UA_HDR_LEN + (u->has_na ? 8 : 0) + (u->has_rc ? 8 : 0) + pd_len + pad;
	if (total > cap || pd_len > 0xffff)
		return 0;

	uint8_t *o = out;
	o[0] = 1;                            /* version */
	o[1] = 0;
	o[2] = M3UA_CLASS_XFER;
	o[3] = M3UA_TYPE_DATA;
	put32(o + 4, (uint32_t)total);
	o += M3UA_HDR_LEN;
	if (u->has_na) {
		put16(o, M3UA_TAG_NA);
		put16(o + 2, 8);
		put32(o + 4, u->na);
		o += 8;
	}
	if (u->has_rc) {
		put16(o, M3UA_TAG_RC);
		put16(o + 2, 8);
		put32(o + 4, u->rc);
		o += 8;
	}
	put16(o, M3UA_TAG_PD);
	put16(o + 2, pd_len);
	put32(o + 4, u->dpc);                /* back to where it came from */
	put32(o + 8, u->opc);
	o[12] = u->si;
	o[13] = u->ni;
	o[14] = u->mp;
	o[15] = u->sls;
	o += 16;

	uint8_t *sc = o;
	sc[0] = x ? SCCP_XUDTS : SCCP_UDTS;
	sc[1] = cause;
	if (x)
		sc[2] = REJECT_HOP_COUNTER;
	/* Q.713 2.3: a pointer counts from itself to the part's length octet */
	sc[ptr0] = (uint8_t)(at_cd - ptr0);
	sc[ptr0 + 1] = (uint8_t)(at_cg - (ptr0 + 1));
	sc[ptr0 + 2] = (uint8_t)(at_data - (ptr0 + 2));
	if (x)
		sc[ptr0 + 3] = 0;            /* no optional part */
	sc[at_cd] = (uint8_t)cd.len;
	memcpy(sc + at_cd + 1, cd.p, cd.len);
	sc[at_cg] = (uint8_t)cg.len;
	memcpy(sc + at_cg + 1, cg.p, cg.len);
	sc[at_data] = (uint8_t)data.len;
	if (data.len)
		memcpy(sc + at_data + 1, data.p, data.len);
	o += sccp_len;
	memset(o, 0, pad);
	return total;
}
