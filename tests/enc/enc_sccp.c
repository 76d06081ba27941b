/* ss7fw tests — SCCP encoder (ITU-T Q.713): UDT, UDTS, XUDT, XUDTS, LUDT,
 * LUDTS (4.10-4.21) and party addresses (3.4). See enc/enc-layers.h. */
#include <string.h>

#include "enc/enc-layers.h"

static int enc_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 0;
}

/* Q.713 3.4.2.3.1: BCD digits, low nibble first; an odd count ends with the
 * filler 0000. */
static void enc_gt_digits(struct enc *e, const char *digits)
{
	size_t n = strlen(digits);
	for (size_t i = 0; i < n; i += 2) {
		uint8_t lo = (uint8_t)enc_hexval(digits[i]);
		uint8_t hi = i + 1 < n ? (uint8_t)enc_hexval(digits[i + 1]) : 0;
		enc_u8(e, (uint8_t)(hi << 4 | lo));
	}
}

size_t enc_sccp_addr(uint8_t *out, size_t cap, const struct enc_sccp_addr *a)
{
	struct enc e;
	enc_init(&e, out, cap);
	const char *digits = a->digits ? a->digits : "";
	bool odd = strlen(digits) & 1;
	uint8_t ai = (uint8_t)((a->route_on_gt ? 0 : 0x40) | (a->gti & 0x0f) << 2 |
			       (a->ssn >= 0 ? 0x02 : 0) | (a->pc >= 0 ? 0x01 : 0));
	enc_u8(&e, ai);
	if (a->pc >= 0) {
		enc_u8(&e, (uint8_t)(a->pc & 0xff));
		enc_u8(&e, (uint8_t)((a->pc >> 8) & 0x3f));
	}
	if (a->ssn >= 0)
		enc_u8(&e, (uint8_t)a->ssn);
	switch (a->gti) {
	case 0:
		break;
	case 1:
		enc_u8(&e, (uint8_t)((odd ? 0x80 : 0) | (a->nai & 0x7f)));
		break;
	case 2:
		enc_u8(&e, a->tt);
		break;
	case 3:
		enc_u8(&e, a->tt);
		enc_u8(&e, (uint8_t)(a->np << 4 | (odd ? 1 : 2)));
		break;
	case 4:
		enc_u8(&e, a->tt);
		enc_u8(&e, (uint8_t)(a->np << 4 | (odd ? 1 : 2)));
		enc_u8(&e, a->nai & 0x7f);
		break;
	default: /* reserved GTI: the digits alone */
		break;
	}
	if (a->gti != 0)
		enc_gt_digits(&e, digits);
	return e.overflow ? 0 : e.len;
}

/* The optional part: segmentation (3.17), importance (3.19), end (2.4). */
static size_t enc_sccp_optional(uint8_t *out, size_t cap, const struct enc_sccp *s)
{
	struct enc e;
	enc_init(&e, out, cap);
	if (s->segmentation) {
		enc_u8(&e, 0x10);
		enc_u8(&e, 4);
		enc_u8(&e, (uint8_t)((s->seg_first ? 0x80 : 0) | (s->proto_class & 1) << 6 |
				     (s->seg_remaining & 0x0f)));
		enc_u8(&e, (uint8_t)(s->seg_ref & 0xff));
		enc_u8(&e, (uint8_t)((s->seg_ref >> 8) & 0xff));
		enc_u8(&e, (uint8_t)((s->seg_ref >> 16) & 0xff));
	}
	if (s->importance >= 0) {
		enc_u8(&e, 0x12);
		enc_u8(&e, 1);
		enc_u8(&e, (uint8_t)(s->importance & 0x07));
	}
	if (e.len == 0)
		return 0;
	enc_u8(&e, 0x00);
	return e.overflow ? 0 : e.len;
}

size_t enc_sccp(uint8_t *out, size_t cap, const struct enc_sccp *s, const uint8_t *data, size_t len)
{
	bool has_class, has_hop, long_form;
	switch (s->type) {
	case SCCP_UDT:   has_class = true;  has_hop = false; long_form = false; break;
	case SCCP_UDTS:  has_class = false; has_hop = false; long_form = false; break;
	case SCCP_XUDT:  has_class = true;  has_hop = true;  long_form = false; break;
	case SCCP_XUDTS: has_class = false; has_hop = true;  long_form = false; break;
	case SCCP_LUDT:  has_class = true;  has_hop = true;  long_form = true;  break;
	case SCCP_LUDTS: has_class = false; has_hop = true;  long_form = true;  break;
	default: return 0;
	}
	/* the variable parts, each with its length indicator */
	uint8_t part[4][300];
	size_t plen[4] = { 0, 0, 0, 0 };
	size_t a = enc_sccp_addr(part[0] + 1, sizeof part[0] - 1, &s->cdpa);
	size_t b = enc_sccp_addr(part[1] + 1, sizeof part[1] - 1, &s->cgpa);
	if (!a || !b || a > 255 || b > 255)
		return 0;
	part[0][0] = (uint8_t)a;
	plen[0] = a + 1;
	part[1][0] = (uint8_t)b;
	plen[1] = b + 1;
	unsigned nptr = has_hop ? 4 : 3;
	if (has_hop)
		plen[3] = enc_sccp_optional(part[3], sizeof part[3], s);
	if ((!long_form && len > 255) || len > 0xffff)
		return 0;

	struct enc e;
	enc_init(&e, out, cap);
	enc_u8(&e, s->type);
	if (has_class)
		enc_u8(&e, (uint8_t)((s->proto_class & 0x0f) | (s->return_on_error ? 0x80 : 0)));
	else
		enc_u8(&e, s->cause);
	if (has_hop)
		enc_u8(&e, s->hop_counter ? s->hop_counter : 15);
	unsigned ptrsz = long_form ? 2 : 1;
	size_t ptr0 = e.len;
	size_t lisz_data = long_form ? 2 : 1;
	size_t size[4] = { plen[0], plen[1], lisz_data + len, plen[3] };
	/* order in which the parts are laid out */
	unsigned order[4] = { 0, 1, 2, 3 };
	if (s->reverse_pointers)
		for (unsigned i = 0; i < nptr; i++)
			order[i] = nptr - 1 - i;
	size_t at[4] = { 0, 0, 0, 0 };
	size_t pos = ptr0 + nptr * ptrsz;
	for (unsigned k = 0; k < nptr; k++) {
		unsigned i = order[k];
		if (size[i] == 0)
			continue; /* no optional part */
		at[i] = pos;
		pos += size[i];
	}
	for (unsigned i = 0; i < nptr; i++) {
		size_t me = ptr0 + i * ptrsz;
		size_t v = at[i] ? at[i] - me - (ptrsz - 1) : 0;
		if (ptrsz == 1) {
			if (v > 255)
				return 0;
			enc_u8(&e, (uint8_t)v);
		} else {
			enc_u8(&e, (uint8_t)(v & 0xff));
			enc_u8(&e, (uint8_t)(v >> 8));
		}
	}
	for (unsigned k = 0; k < nptr; k++) {
		unsigned i = order[k];
		if (size[i] == 0)
			continue;
		if (i == 2) {
			enc_u8(&e, (uint8_t)(len & 0xff));
			if (long_form)
				enc_u8(&e, (uint8_t)(len >> 8));
			enc_mem(&e, data, len);
		} else {
			enc_mem(&e, part[i], size[i]);
		}
	}
	return e.overflow ? 0 : e.len;
}
