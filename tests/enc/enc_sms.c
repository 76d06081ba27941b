/* ss7fw tests — SMS TPDU encoder (3GPP TS 23.040 9.2.2) and GSM 7-bit
 * packing (TS 23.038 6.1.2.1.1, default alphabet 6.2.1). */
#include <string.h>

#include "enc/enc-layers.h"

/* ASCII to the default alphabet: the characters that are the same, plus
 * '@' (0x00), '$' (0x02) and '_' (0x11); anything else becomes '?'. */
static uint8_t enc_gsm7_char(char ch)
{
	unsigned char c = (unsigned char)ch;
	if (c == '@')
		return 0x00;
	if (c == '$')
		return 0x02;
	if (c == '_')
		return 0x11;
	if (c == '\n' || c == '\r')
		return c;
	if ((c >= 0x20 && c <= 0x5a) || (c >= 'a' && c <= 'z'))
		return c;
	return '?';
}

size_t enc_gsm7(uint8_t *out, size_t cap, const char *text, unsigned *nchars)
{
	size_t n = strlen(text);
	size_t octets = (n * 7 + 7) / 8;
	if (octets > cap)
		return 0;
	memset(out, 0, octets);
	for (size_t i = 0; i < n; i++) {
		uint8_t s = enc_gsm7_char(text[i]);
		size_t bit = i * 7;
		unsigned sh = (unsigned)(bit % 8);
		out[bit / 8] |= (uint8_t)(s << sh);
		if (sh > 1)
			out[bit / 8 + 1] |= (uint8_t)(s >> (8 - sh));
	}
	if (nchars)
		*nchars = (unsigned)n;
	return octets;
}

/* 9.1.2.5 address: semi-octet count, type of address, value. TON 5: the
 * text GSM 7-bit packed, its length in semi-octets (ceil(septets*7/4)). */
static void enc_sms_addr(struct enc *e, uint8_t ton, uint8_t npi, const char *addr)
{
	uint8_t v[16];
	size_t n;
	uint8_t semi;
	if (ton == 5) {
		unsigned chars = 0;
		n = enc_gsm7(v, sizeof v, addr, &chars);
		semi = (uint8_t)((chars * 7 + 3) / 4);
	} else {
		n = enc_tbcd(v, sizeof v, addr);
		semi = (uint8_t)strlen(addr);
	}
	enc_u8(e, semi);
	enc_u8(e, (uint8_t)(0x80 | (ton & 7) << 4 | (npi & 0x0f)));
	enc_mem(e, v, n);
}

/* TP-UDL and TP-UD: 7-bit packed unless TP-DCS says 8-bit data (bits 3-2 = 01
 * in the general coding groups, or bit 3 in group 1111). */
static void enc_sms_ud(struct enc *e, uint8_t dcs, const char *text)
{
	bool octets = ((dcs >> 6) == 0 && ((dcs >> 2) & 3) == 1) ||
		      ((dcs >> 4) == 0xf && (dcs & 0x04));
	if (octets) {
		size_t n = strlen(text);
		enc_u8(e, (uint8_t)n);
		enc_mem(e, text, n);
		return;
	}
	uint8_t ud[160];
	unsigned chars = 0;
	size_t n = enc_gsm7(ud, sizeof ud, text, &chars);
	enc_u8(e, (uint8_t)chars);
	enc_mem(e, ud, n);
}

/* Fixed service centre time stamp 2026-11-25 08:00:00 +00 (9.2.3.11). */
static const uint8_t enc_scts[7] = { 0x62, 0x11, 0x52, 0x80, 0x00, 0x00, 0x00 };

size_t enc_sms(uint8_t *out, size_t cap, const struct enc_sms *s)
{
	struct enc e;
	enc_init(&e, out, cap);
	const char *addr = s->addr ? s->addr : "";
	const char *text = s->text ? s->text : "";
	switch (s->mti) {
	case SMS_MTI_DELIVER:
		enc_u8(&e, 0x04);               /* MTI 00, TP-MMS: no more messages */
		enc_sms_addr(&e, s->ton, s->npi, addr);
		enc_u8(&e, s->pid);
		enc_u8(&e, s->dcs);
		enc_mem(&e, enc_scts, sizeof enc_scts);
		enc_sms_ud(&e, s->dcs, text);
		break;
	case SMS_MTI_SUBMIT:
		enc_u8(&e, 0x11);               /* MTI 01, TP-VPF 10 (relative) */
		enc_u8(&e, 0x00);               /* TP-MR */
		enc_sms_addr(&e, s->ton, s->npi, addr);
		enc_u8(&e, s->pid);
		enc_u8(&e, s->dcs);
		enc_u8(&e, 0xa7);               /* TP-VP: 24 hours */
		enc_sms_ud(&e, s->dcs, text);
		break;
	case SMS_MTI_STATUS_REPORT:
		enc_u8(&e, 0x02);               /* MTI 10 */
		enc_u8(&e, 0x00);               /* TP-MR */
		enc_sms_addr(&e, s->ton, s->npi, addr);
		enc_mem(&e, enc_scts, sizeof enc_scts);  /* TP-SCTS */
		enc_mem(&e, enc_scts, sizeof enc_scts);  /* TP-DT */
		enc_u8(&e, 0x00);               /* TP-ST: received by the SME */
		break;
	default:
		return 0;
	}
	return e.overflow ? 0 : e.len;
}
