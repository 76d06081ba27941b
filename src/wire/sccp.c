/* SCCP connectionless messages (ITU-T Q.713): UDT, UDTS, XUDT, XUDTS, LUDT,
 * LUDTS (4.10-4.21), their parameters (3) and called/calling party addresses
 * (3.4). See ss7fw/wire.h for the contract and docs/decoding.md for every
 * decision on irregular input. */
#include <string.h>

#include "ss7fw/wire.h"

/* Q.713 3.1, Table 2: parameter names of the optional part */
#define SCCP_PARAM_EOP           0x00  /* end of optional parameters */
#define SCCP_PARAM_SEGMENTATION  0x10  /* 3.17 */
#define SCCP_PARAM_IMPORTANCE    0x12  /* 3.19 */

#define SCCP_SEG_LEN             4     /* 3.17: one octet + 3-octet local reference */
#define SCCP_MAX_PARTS           4     /* called, calling, data, optional */
#define SCCP_HOP_MAX             15    /* 3.18: 1..15 */

/* Address indicator (Q.713 3.4.1, Figure 4) */
#define SCCP_AI_PC               0x01
#define SCCP_AI_SSN              0x02
#define SCCP_AI_GTI_SHIFT        2
#define SCCP_AI_GTI_MASK         0x0f
#define SCCP_AI_ROUTE_ON_SSN     0x40  /* bit 7: 1 = route on DPC/SSN, 0 = on GT */

/* Encoding scheme (Q.713 3.4.2.3.3) */
#define SCCP_ES_BCD_ODD          1
#define SCCP_ES_BCD_EVEN         2

/* One variable part of the message: [start, end) offsets in the message,
 * length indicator included. */
struct sccp_part {
	size_t start, end;
};

/* The GT's digits (Q.713 3.4.2.3): BCD, low nibble first. parity: 1 odd,
 * 0 even, -1 not known (GTI 2, or an encoding scheme other than BCD). With a
 * known odd count the last high nibble is the filler (0; 0xf tolerated); a
 * digit there, a 0xf filler with an even count, or an odd count with no
 * octet at all is SCCP_ODD_EVEN. */
static void sccp_gt_digits(struct sccp_addr *a, struct bytes v, int parity, uint64_t *anom)
{
	uint8_t hi = v.len ? (uint8_t)(v.p[v.len - 1] >> 4) : 0;
	if (parity == 1) {
		if (v.len == 0 || (hi != 0 && hi != 0x0f))
			*anom |= ANOM_BIT(ANOM_SCCP_ODD_EVEN);
		digits_from_bcd(&a->gt, v, 1, anom);
		return;
	}
	if (parity == 0 && v.len && hi == 0x0f)
		*anom |= ANOM_BIT(ANOM_SCCP_ODD_EVEN);
	digits_from_bcd(&a->gt, v, 0, anom);
}

/* Q.713 3.4: address indicator, then point code (3.4.2.1: 14 bits, low octet
 * first, the top 2 bits of the second octet spare and ignored), SSN (3.4.2.2),
 * global title (3.4.2.3) by GTI. in is the address without its length octet,
 * so every field missing from it is MALFORMED. The national-use bit 8 of the
 * indicator is kept in ai and otherwise ignored (decoded as ITU). */
enum wire_result sccp_addr_decode(struct sccp_addr *a, struct bytes in, uint64_t *anom)
{
	memset(a, 0, sizeof *a);
	if (in.len < 1 || in.p == NULL)
		return WIRE_MALFORMED;
	const uint8_t *p = in.p;
	size_t len = in.len, off = 1;
	a->present = true;
	a->raw = in;
	a->ai = p[0];
	a->route_on_gt = !(a->ai & SCCP_AI_ROUTE_ON_SSN);
	a->has_pc = (a->ai & SCCP_AI_PC) != 0;
	a->has_ssn = (a->ai & SCCP_AI_SSN) != 0;
	a->gti = (a->ai >> SCCP_AI_GTI_SHIFT) & SCCP_AI_GTI_MASK;
	if (!a->route_on_gt) {
		*anom |= ANOM_BIT(ANOM_SCCP_ROUTE_ON_SSN);
		if (!a->has_ssn)
			return WIRE_MALFORMED; /* routing on SSN needs one (3.4.1) */
	}
	if (a->has_pc) {
		if (len - off < 2)
			return WIRE_MALFORMED;
		a->pc = (uint16_t)(p[off] | (p[off + 1] & 0x3f) << 8);
		off += 2;
	}
	if (a->has_ssn) {
		if (len - off < 1)
			return WIRE_MALFORMED;
		a->ssn = p[off++];
	}
	int parity = -1;
	switch (a->gti) {
	case 0:
		if (a->route_on_gt)
			return WIRE_MALFORMED; /* route on GT without a GT */
		if (off < len)
			*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);
		return WIRE_OK;
	case 1: /* 3.4.2.3.1: odd/even, nature of address indicator */
		if (len - off < 1)
			return WIRE_MALFORMED;
		a->odd = (p[off] & 0x80) != 0;
		a->has_nai = true;
		a->nai = p[off] & 0x7f;
		off += 1;
		parity = a->odd ? 1 : 0;
		break;
	case 2: /* 3.4.2.3.2: translation type only */
		if (len - off < 1)
			return WIRE_MALFORMED;
		a->has_tt = true;
		a->tt = p[off];
		off += 1;
		break;
	case 3: /* 3.4.2.3.3: TT, numbering plan / encoding scheme */
	case 4: /* 3.4.2.3.4: TT, NP/ES, nature of address indicator */
		if (len - off < (a->gti == 4 ? 3u : 2u))
			return WIRE_MALFORMED;
		a->has_tt = true;
		a->tt = p[off];
		a->has_np = true;
		a->np = p[off + 1] >> 4;
		a->es = p[off + 1] & 0x0f;
		off += 2;
		if (a->gti == 4) {
			a->has_nai = true;
			a->nai = p[off] & 0x7f;
			off += 1;
		}
		if (a->es == SCCP_ES_BCD_ODD)
			parity = 1;
		else if (a->es == SCCP_ES_BCD_EVEN)
			parity = 0;
		break;
	default: /* 5..15: reserved (ITU); the GT's format is unknown */
		*anom |= ANOM_BIT(ANOM_SCCP_RESERVED_GTI);
		return WIRE_OK;
	}
	struct bytes v = { p + off, len - off };
	sccp_gt_digits(a, v, parity, anom);
	return WIRE_OK;
}

/* The optional part (Q.713 2.4): parameters name, length, value, ended by the
 * end-of-optional-parameters octet, which is required: without it the part
 * has no end, and a message that lacks it is MALFORMED. A parameter cut by
 * the end of the message is TRUNCATED. Unknown parameters are skipped
 * (UNKNOWN_TAG); a repeated or wrongly sized segmentation or importance
 * parameter is MALFORMED. *end receives the offset after the EOP octet. */
static enum wire_result sccp_optional(struct sccp_info *s, struct bytes in, size_t start,
				      size_t *end, uint64_t *anom)
{
	size_t q = start;
	for (;;) {
		if (q >= in.len)
			return WIRE_MALFORMED;
		uint8_t name = in.p[q];
		if (name == SCCP_PARAM_EOP) {
			*end = q + 1;
			return WIRE_OK;
		}
		if (in.len - q < 2) {
			*anom |= ANOM_BIT(ANOM_TRUNCATED);
			return WIRE_TRUNCATED;
		}
		size_t plen = in.p[q + 1];
		if (in.len - q - 2 < plen) {
			*anom |= ANOM_BIT(ANOM_TRUNCATED);
			return WIRE_TRUNCATED;
		}
		const uint8_t *v = in.p + q + 2;
		switch (name) {
		case SCCP_PARAM_SEGMENTATION: /* 3.17 */
			if (plen != SCCP_SEG_LEN || s->has_segment)
				return WIRE_MALFORMED;
			s->has_segment = true;
			s->seg_first = (v[0] & 0x80) != 0;
			s->seg_class = (v[0] >> 6) & 1;
			s->seg_remaining = v[0] & 0x0f;
			/* local reference: low octet first, as the 2-octet fields */
			s->seg_ref = (uint32_t)v[1] | (uint32_t)v[2] << 8 | (uint32_t)v[3] << 16;
			*anom |= ANOM_BIT(ANOM_SEGMENTED);
			break;
		case SCCP_PARAM_IMPORTANCE: /* 3.19 */
			if (plen != 1 || s->has_importance)
				return WIRE_MALFORMED;
			s->has_importance = true;
			s->importance = v[0] & 0x07;
			break;
		default:
			*anom |= ANOM_BIT(ANOM_UNKNOWN_TAG);
			break;
		}
		q += 2 + plen;
	}
}

/* Read pointer i (Q.713 2.3). A 1-octet pointer counts from itself; a
 * 2-octet pointer (LUDT, LUDTS) is low octet first and counts from its most
 * significant (second) octet. Returns the target offset, 0 for a 0 pointer. */
static size_t sccp_pointer(struct bytes in, size_t pos, unsigned ptrsz)
{
	if (ptrsz == 1)
		return in.p[pos] ? pos + in.p[pos] : 0;
	size_t v = (size_t)in.p[pos] | (size_t)in.p[pos + 1] << 8;
	return v ? pos + 1 + v : 0;
}

enum wire_result sccp_decode(struct sccp_info *s, struct bytes in, uint64_t *anom)
{
	memset(s, 0, sizeof *s);
	if (in.len < 1 || in.p == NULL) {
		*anom |= ANOM_BIT(ANOM_TRUNCATED);
		return WIRE_TRUNCATED;
	}
	s->present = true;
	s->type = in.p[0];
	bool has_class, has_hop, long_form;
	switch (s->type) {
	case SCCP_UDT:   has_class = true;  has_hop = false; long_form = false; break;
	case SCCP_UDTS:  has_class = false; has_hop = false; long_form = false; break;
	case SCCP_XUDT:  has_class = true;  has_hop = true;  long_form = false; break;
	case SCCP_XUDTS: has_class = false; has_hop = true;  long_form = false; break;
	case SCCP_LUDT:  has_class = true;  has_hop = true;  long_form = true;  break;
	case SCCP_LUDTS: has_class = false; has_hop = true;  long_form = true;  break;
	default:
		if (s->type >= SCCP_CR && s->type <= SCCP_IT) {
			*anom |= ANOM_BIT(ANOM_SCCP_CONNECTION_ORIENTED);
			return WIRE_UNSUPPORTED;
		}
		*anom |= ANOM_BIT(ANOM_UNKNOWN_TAG);
		return WIRE_MALFORMED;
	}
	/* XUDT(S) and LUDT(S) have the optional-part pointer (4.18-4.21) */
	unsigned nptr = has_hop ? 4 : 3;
	unsigned ptrsz = long_form ? 2 : 1;
	size_t off = 1;
	size_t ptr_end = off + 1 + (has_hop ? 1 : 0) + nptr * ptrsz;
	if (in.len < ptr_end) {
		*anom |= ANOM_BIT(ANOM_TRUNCATED);
		return WIRE_TRUNCATED;
	}
	if (has_class) { /* 3.6 */
		s->proto_class = in.p[off] & 0x0f;
		s->return_on_error = (in.p[off] & 0x80) != 0;
		if (s->proto_class > 1)
			return WIRE_MALFORMED; /* connectionless: class 0 or 1 only */
	} else { /* 3.12 return cause */
		s->has_cause = true;
		s->cause = in.p[off];
	}
	off++;
	if (has_hop) { /* 3.18 */
		s->has_hop_counter = true;
		s->hop_counter = in.p[off];
		if (s->hop_counter == 0 || s->hop_counter > SCCP_HOP_MAX)
			*anom |= ANOM_BIT(ANOM_SCCP_HOP_COUNTER);
		off++;
	}

	struct sccp_part part[SCCP_MAX_PARTS];
	unsigned nparts = 0;
	struct bytes val[3] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
	for (unsigned i = 0; i < nptr; i++) {
		size_t pos = off + i * ptrsz;
		size_t t = sccp_pointer(in, pos, ptrsz);
		bool optional = i == 3;
		if (t == 0) {
			if (optional)
				continue;
			return WIRE_MALFORMED; /* a mandatory part must be there */
		}
		if (t < ptr_end)
			return WIRE_MALFORMED; /* points back into the fixed part */
		if (t >= in.len) {
			*anom |= ANOM_BIT(ANOM_TRUNCATED);
			return WIRE_TRUNCATED;
		}
		size_t end;
		if (optional) {
			enum wire_result r = sccp_optional(s, in, t, &end, anom);
			if (r != WIRE_OK)
				return r;
		} else {
			size_t lisz = (long_form && i == 2) ? 2 : 1; /* 3.16 long data */
			if (in.len - t < lisz) {
				*anom |= ANOM_BIT(ANOM_TRUNCATED);
				return WIRE_TRUNCATED;
			}
			size_t l = lisz == 1 ? in.p[t] : (size_t)in.p[t] | (size_t)in.p[t + 1] << 8;
			if (in.len - t - lisz < l) {
				*anom |= ANOM_BIT(ANOM_TRUNCATED);
				return WIRE_TRUNCATED;
			}
			val[i].p = in.p + t + lisz;
			val[i].len = l;
			end = t + lisz + l;
		}
		part[nparts].start = t;
		part[nparts].end = end;
		nparts++;
	}

	/* Parts must not share octets; anything but "each right after the
	 * previous, in pointer order" is non-canonical; octets after the last
	 * part are trailing. */
	bool canonical = true;
	size_t expect = ptr_end, last = ptr_end;
	for (unsigned i = 0; i < nparts; i++) {
		for (unsigned j = i + 1; j < nparts; j++)
			if (part[i].start < part[j].end && part[j].start < part[i].end)
				return WIRE_MALFORMED;
		if (part[i].start != expect)
			canonical = false;
		expect = part[i].end;
		if (part[i].end > last)
			last = part[i].end;
	}
	if (!canonical)
		*anom |= ANOM_BIT(ANOM_SCCP_POINTER_ORDER);
	if (last < in.len)
		*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);

	enum wire_result r = sccp_addr_decode(&s->cdpa, val[0], anom);
	if (r != WIRE_OK)
		return r;
	if (!s->cdpa.has_ssn || s->cdpa.ssn == 0)
		*anom |= ANOM_BIT(ANOM_NO_CALLED_SSN);
	r = sccp_addr_decode(&s->cgpa, val[1], anom);
	if (r != WIRE_OK)
		return r;
	s->data = val[2];
	return WIRE_OK;
}
