/* ss7fw tests — M3UA encoder (RFC 4666 3.1 common header, 3.2 parameter
 * format, 3.3.1 DATA). See enc/enc-layers.h. */
#include <string.h>

#include "enc/enc-layers.h"

#define ENC_M3UA_HDR   8
#define ENC_TAG_RC     0x0006
#define ENC_TAG_CORR   0x0013
#define ENC_TAG_NA     0x0200
#define ENC_TAG_PD     0x0210

size_t enc_m3ua_param(uint8_t *out, size_t cap, uint16_t tag, const void *v, size_t n)
{
	struct enc e;
	if (n > 0xffff - 4)
		return 0;
	enc_init(&e, out, cap);
	enc_u16(&e, tag);
	enc_u16(&e, (uint16_t)(4 + n));
	enc_mem(&e, v, n);
	static const uint8_t zero[3];
	enc_mem(&e, zero, (4 - (n & 3)) & 3);
	return e.overflow ? 0 : e.len;
}

size_t enc_m3ua_msg(uint8_t *out, size_t cap, uint8_t msg_class, uint8_t msg_type,
		    const uint8_t *params, size_t plen)
{
	struct enc e;
	enc_init(&e, out, cap);
	enc_u8(&e, 1);   /* version */
	enc_u8(&e, 0);   /* reserved */
	enc_u8(&e, msg_class);
	enc_u8(&e, msg_type);
	enc_u32(&e, (uint32_t)(ENC_M3UA_HDR + plen));
	enc_mem(&e, params, plen);
	return e.overflow ? 0 : e.len;
}

static void enc_u32_param(struct enc *e, uint16_t tag, uint32_t v)
{
	enc_u16(e, tag);
	enc_u16(e, 8);
	enc_u32(e, v);
}

/* Parameters in the order of RFC 4666 3.3.1: Network Appearance, Routing
 * Context, Protocol Data, Correlation Id. */
size_t enc_m3ua_data(uint8_t *out, size_t cap, const struct enc_m3ua_data *d,
		     const uint8_t *upd, size_t len)
{
	struct enc e;
	if (len > 0xffff - 16)
		return 0;
	enc_init(&e, out, cap);
	enc_u8(&e, 1);
	enc_u8(&e, 0);
	enc_u8(&e, 1);   /* XFER */
	enc_u8(&e, 1);   /* DATA */
	enc_u32(&e, 0);  /* length, set below */
	if (d->has_na)
		enc_u32_param(&e, ENC_TAG_NA, d->na);
	if (d->has_rc)
		enc_u32_param(&e, ENC_TAG_RC, d->rc);
	enc_u16(&e, ENC_TAG_PD);
	enc_u16(&e, (uint16_t)(4 + 12 + len));
	enc_u32(&e, d->opc);
	enc_u32(&e, d->dpc);
	enc_u8(&e, d->si);
	enc_u8(&e, d->ni);
	enc_u8(&e, d->mp);
	enc_u8(&e, d->sls);
	enc_mem(&e, upd, len);
	static const uint8_t zero[3];
	enc_mem(&e, zero, (4 - (len & 3)) & 3);
	if (d->has_corr_id)
		enc_u32_param(&e, ENC_TAG_CORR, d->corr_id);
	if (e.overflow)
		return 0;
	uint32_t l = (uint32_t)e.len;
	out[4] = (uint8_t)(l >> 24);
	out[5] = (uint8_t)(l >> 16);
	out[6] = (uint8_t)(l >> 8);
	out[7] = (uint8_t)l;
	return e.len;
}
