/* SMS TPDU decoding (3GPP TS 23.040 9.2). See ss7fw/wire.h for the
 * contract of sms_decode. Reads TP-MTI and, for SMS-DELIVER, SMS-SUBMIT and
 * SMS-STATUS-REPORT, the address (TP-OA / TP-DA / TP-RA), TP-PID, TP-DCS
 * and TP-UD, checking every length against the octets present. The
 * reports and SMS-COMMAND are recognised by their MTI only. */
#include <string.h>

#include "ss7fw/wire.h"

#define SMS_MAX_ADDR_DIGITS 20   /* 9.1.2.5: address value at most 10 octets */
#define SMS_MAX_UD_OCTETS   140  /* 9.2.3.16/24: TP-UD at most 140 octets */
#define SMS_SCTS_LEN        7    /* 9.2.3.11 */

struct sms_cur {
	const uint8_t *p;
	size_t len;
};

static bool sms_take(struct sms_cur *c, size_t n, const uint8_t **out)
{
	if (c->len < n)
		return false;
	*out = c->p;
	c->p += n;
	c->len -= n;
	return true;
}

static bool sms_u8(struct sms_cur *c, uint8_t *v)
{
	const uint8_t *p;
	if (!sms_take(c, 1, &p))
		return false;
	*v = *p;
	return true;
}

/* 9.1.2.5 address: length (useful semi-octets of the value), type of address
 * (bit 8 = 1, TON bits 7-5, NPI bits 4-1), then ceil(length/2) octets. TON 5
 * (alphanumeric, 9.1.2.5 and TS 23.038 6.2.1): the value is GSM 7-bit packed
 * text of length*4/7 characters. */
static bool sms_addr(struct sms_addr *a, struct sms_cur *c, uint64_t *anom)
{
	uint8_t n, toa;
	const uint8_t *v;
	if (!sms_u8(c, &n) || !sms_u8(c, &toa))
		return false;
	if (n > SMS_MAX_ADDR_DIGITS)
		return false;
	size_t octets = ((size_t)n + 1) / 2;
	if (!sms_take(c, octets, &v))
		return false;
	a->present = true;
	a->ton = (uint8_t)((toa >> 4) & 7);
	a->npi = (uint8_t)(toa & 0x0f);
	a->raw.p = octets ? v : NULL;
	a->raw.len = octets;
	if (a->ton == 5) {
		a->alnum = true;
		a->nchars = (uint8_t)(n * 4 / 7);
		return true;
	}
	/* n semi-octets; with an odd n the last high nibble is the 0xf filler */
	digits_from_bcd(&a->d, a->raw, n & 1, anom);
	return true;
}

/* TS 23.038 4: does TP-DCS say the GSM 7-bit default alphabet, uncompressed
 * (then TP-UDL counts septets), rather than octets? */
static bool sms_dcs_septets(uint8_t dcs)
{
	uint8_t grp = dcs >> 4;
	if (grp <= 7) /* 00xx / 01xx: general data coding (01: auto-deletion) */
		return !(dcs & 0x20) && ((dcs >> 2) & 3) != 1 && ((dcs >> 2) & 3) != 2;
	if (grp <= 0xb) /* reserved coding groups: taken as GSM 7-bit */
		return true;
	if (grp == 0xc || grp == 0xd) /* message waiting, GSM 7-bit */
		return true;
	if (grp == 0xe) /* message waiting, UCS2 */
		return false;
	return !(dcs & 0x04); /* 1111: data coding / message class */
}

/* TP-UDL and TP-UD (9.2.3.16, 9.2.3.24): the octets TP-UDL needs must be
 * present; octets after them are trailing_bytes. With TP-UDHI the user data
 * header length must fit in the user data. */
static bool sms_ud(struct sms_tpdu *tp, struct sms_cur *c, uint64_t *anom)
{
	if (!sms_u8(c, &tp->udl))
		return false;
	bool septets = sms_dcs_septets(tp->dcs);
	size_t octets = septets ? ((size_t)tp->udl * 7 + 7) / 8 : tp->udl;
	if (octets > SMS_MAX_UD_OCTETS)
		return false;
	const uint8_t *p;
	if (!sms_take(c, octets, &p))
		return false;
	tp->ud.p = octets ? p : NULL;
	tp->ud.len = octets;
	if (tp->udhi && (octets == 0 || (size_t)p[0] + 1 > octets))
		return false;
	if (c->len > 0)
		*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);
	return true;
}

/* 9.2.2.1 SMS-DELIVER: first octet, TP-OA, TP-PID, TP-DCS, TP-SCTS, TP-UDL, TP-UD */
static bool sms_deliver(struct sms_tpdu *tp, struct sms_cur *c, uint64_t *anom)
{
	const uint8_t *scts;
	if (!sms_addr(&tp->addr, c, anom))
		return false;
	if (!sms_u8(c, &tp->pid) || !sms_u8(c, &tp->dcs))
		return false;
	tp->has_pid = tp->has_dcs = true;
	if (!sms_take(c, SMS_SCTS_LEN, &scts))
		return false;
	return sms_ud(tp, c, anom);
}

/* 9.2.2.2 SMS-SUBMIT: first octet, TP-MR, TP-DA, TP-PID, TP-DCS, TP-VP
 * (TP-VPF bits 4-3: 00 none, 10 relative 1 octet, 01 enhanced 7, 11
 * absolute 7), TP-UDL, TP-UD */
static bool sms_submit(struct sms_tpdu *tp, struct sms_cur *c, uint64_t *anom)
{
	static const uint8_t vp_len[4] = { 0, 7, 1, 7 };
	uint8_t mr;
	const uint8_t *vp;
	if (!sms_u8(c, &mr) || !sms_addr(&tp->addr, c, anom))
		return false;
	if (!sms_u8(c, &tp->pid) || !sms_u8(c, &tp->dcs))
		return false;
	tp->has_pid = tp->has_dcs = true;
	if (!sms_take(c, vp_len[(tp->first_octet >> 3) & 3], &vp))
		return false;
	return sms_ud(tp, c, anom);
}

/* 9.2.2.3 SMS-STATUS-REPORT: first octet, TP-MR, TP-RA, TP-SCTS, TP-DT,
 * TP-ST, then optionally TP-PI and the TP-PID / TP-DCS / TP-UDL+UD it
 * announces (bits 1, 2, 3). */
static bool sms_status_report(struct sms_tpdu *tp, struct sms_cur *c, uint64_t *anom)
{
	uint8_t mr, st, pi;
	const uint8_t *ts;
	if (!sms_u8(c, &mr) || !sms_addr(&tp->addr, c, anom))
		return false;
	if (!sms_take(c, 2 * SMS_SCTS_LEN, &ts) || !sms_u8(c, &st))
		return false;
	if (c->len == 0)
		return true;
	if (!sms_u8(c, &pi))
		return false;
	if ((pi & 1) && !sms_u8(c, &tp->pid))
		return false;
	tp->has_pid = pi & 1;
	if ((pi & 2) && !sms_u8(c, &tp->dcs))
		return false;
	tp->has_dcs = (pi & 2) != 0;
	if (pi & 4)
		return sms_ud(tp, c, anom);
	if (c->len > 0)
		*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);
	return true;
}

enum wire_result sms_decode(struct sms_tpdu *tp, struct bytes in, bool sc_to_ms, uint64_t *anom)
{
	memset(tp, 0, sizeof *tp);
	struct sms_cur c = { in.p, in.p ? in.len : 0 };
	if (!sms_u8(&c, &tp->first_octet))
		return WIRE_MALFORMED;
	tp->present = true;
	tp->udhi = (tp->first_octet & 0x40) != 0;
	/* 9.2.3.1 TP-MTI */
	static const uint8_t mti_sc_ms[4] = {
		SMS_MTI_DELIVER, SMS_MTI_SUBMIT_REPORT, SMS_MTI_STATUS_REPORT, SMS_MTI_RESERVED,
	};
	static const uint8_t mti_ms_sc[4] = {
		SMS_MTI_DELIVER_REPORT, SMS_MTI_SUBMIT, SMS_MTI_COMMAND, SMS_MTI_RESERVED,
	};
	tp->mti = (sc_to_ms ? mti_sc_ms : mti_ms_sc)[tp->first_octet & 3];
	bool ok;
	switch (tp->mti) {
	case SMS_MTI_DELIVER:
		ok = sms_deliver(tp, &c, anom);
		break;
	case SMS_MTI_SUBMIT:
		ok = sms_submit(tp, &c, anom);
		break;
	case SMS_MTI_STATUS_REPORT:
		ok = sms_status_report(tp, &c, anom);
		break;
	case SMS_MTI_RESERVED:
		ok = false; /* a reserved TP-MTI is not screened as anything */
		break;
	default:
		ok = true; /* reports and commands: the MTI is what we screen */
		break;
	}
	return ok ? WIRE_OK : WIRE_MALFORMED;
}
