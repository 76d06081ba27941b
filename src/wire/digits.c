/* Digit strings: BCD / TBCD semi-octets (Q.713 3.4.2.3, TS 29.002 TBCD-STRING,
 * TS 23.040 9.1.2.3) and GSM 7-bit default alphabet text (TS 23.038 6.1.2.1).
 * See ss7fw/wire.h for the contracts. */
#include "ss7fw/wire.h"

/* digits_from_bcd: the digit count is taken from the octets (two per octet),
 * less the high nibble of the last octet when odd_hint says the count is odd
 * (SCCP: that nibble is a filler of any value, normally 0) or when it is the
 * 0xf filler. A 0xf nibble anywhere before that is BAD_DIGIT. */
void digits_from_bcd(struct digits *d, struct bytes v, int odd_hint, uint64_t *anom)
{
	d->p = NULL;
	d->n = 0;
	if (v.len == 0 || v.p == NULL)
		return;
	size_t total = 2 * v.len;
	uint8_t last_hi = (uint8_t)(v.p[v.len - 1] >> 4);
	if (odd_hint || last_hi == 0x0f)
		total--;
	/* Two nibbles an octet; the last octet's high nibble only if counted. */
	for (size_t i = 0; i < total / 2; i++) {
		uint8_t b = v.p[i];
		if ((b & 0x0f) == 0x0f || (b & 0xf0) == 0xf0) {
			*anom |= ANOM_BIT(ANOM_BAD_DIGIT);
			break;
		}
	}
	if ((total & 1) && (v.p[total / 2] & 0x0f) == 0x0f)
		*anom |= ANOM_BIT(ANOM_BAD_DIGIT);
	if (total > WIRE_MAX_DIGITS) {
		*anom |= ANOM_BIT(ANOM_TOO_MANY_DIGITS);
		total = WIRE_MAX_DIGITS;
	}
	d->p = v.p;
	d->n = (uint8_t)total;
}

/* Returns d->n (the number of digits), like snprintf, even when out was too
 * small to hold them all; a buffer of WIRE_MAX_DIGITS + 1 always suffices. */
size_t digits_to_str(const struct digits *d, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t w = 0;
	if (outsz == 0)
		return d->n;
	for (unsigned i = 0; i < d->n && w + 1 < outsz; i++)
		out[w++] = hex[digits_at(d, i)];
	out[w] = '\0';
	return d->n;
}

/* TS 23.038 6.2.1: the default alphabet. Only characters that are printable
 * ASCII (0x20..0x7e) are given ('@' is septet 0); an entry 0 means "not
 * printable ASCII" and is written as '?'.
 * Control characters (LF, CR) are written as '?' too, so that the text is
 * safe to put into a log line. */
static const char gsm7_ascii[128] = {
	['\x00'] = '@', ['\x02'] = '$', ['\x11'] = '_',
	[0x20] = ' ', [0x21] = '!', [0x22] = '"', [0x23] = '#',
	[0x25] = '%', [0x26] = '&', [0x27] = '\'', [0x28] = '(', [0x29] = ')',
	[0x2a] = '*', [0x2b] = '+', [0x2c] = ',', [0x2d] = '-', [0x2e] = '.',
	[0x2f] = '/', [0x30] = '0', [0x31] = '1', [0x32] = '2', [0x33] = '3',
	[0x34] = '4', [0x35] = '5', [0x36] = '6', [0x37] = '7', [0x38] = '8',
	[0x39] = '9', [0x3a] = ':', [0x3b] = ';', [0x3c] = '<', [0x3d] = '=',
	[0x3e] = '>', [0x3f] = '?',
	[0x41] = 'A', [0x42] = 'B', [0x43] = 'C', [0x44] = 'D', [0x45] = 'E',
	[0x46] = 'F', [0x47] = 'G', [0x48] = 'H', [0x49] = 'I', [0x4a] = 'J',
	[0x4b] = 'K', [0x4c] = 'L', [0x4d] = 'M', [0x4e] = 'N', [0x4f] = 'O',
	[0x50] = 'P', [0x51] = 'Q', [0x52] = 'R', [0x53] = 'S', [0x54] = 'T',
	[0x55] = 'U', [0x56] = 'V', [0x57] = 'W', [0x58] = 'X', [0x59] = 'Y',
	[0x5a] = 'Z',
	[0x61] = 'a', [0x62] = 'b', [0x63] = 'c', [0x64] = 'd', [0x65] = 'e',
	[0x66] = 'f', [0x67] = 'g', [0x68] = 'h', [0x69] = 'i', [0x6a] = 'j',
	[0x6b] = 'k', [0x6c] = 'l', [0x6d] = 'm', [0x6e] = 'n', [0x6f] = 'o',
	[0x70] = 'p', [0x71] = 'q', [0x72] = 'r', [0x73] = 's', [0x74] = 't',
	[0x75] = 'u', [0x76] = 'v', [0x77] = 'w', [0x78] = 'x', [0x79] = 'y',
	[0x7a] = 'z',
};

#define GSM7_ESCAPE 0x1b

/* TS 23.038 6.2.1.1: the extension table's ASCII characters (after 0x1b). */
static char gsm7_ext_ascii(uint8_t s)
{
	switch (s) {
	case 0x14: return '^';
	case 0x28: return '{';
	case 0x29: return '}';
	case 0x2f: return '\\';
	case 0x3c: return '[';
	case 0x3d: return '~';
	case 0x3e: return ']';
	case 0x40: return '|';
	default: return '?';
	}
}

/* Septet i of the packed string (TS 23.038 6.1.2.1.1: septets packed low bits
 * first); -1 when it is not wholly inside the octets. */
static int gsm7_septet(struct bytes packed, unsigned i)
{
	size_t bit = (size_t)i * 7;
	size_t o = bit / 8;
	unsigned sh = (unsigned)(bit % 8);
	if (o >= packed.len)
		return -1;
	unsigned v = packed.p[o] >> sh;
	if (sh > 1) {
		if (o + 1 >= packed.len)
			return -1;
		v |= (unsigned)packed.p[o + 1] << (8 - sh);
	}
	return (int)(v & 0x7f);
}

size_t gsm7_to_str(struct bytes packed, unsigned nchars, char *out, size_t outsz)
{
	size_t w = 0;
	if (outsz == 0)
		return 0;
	for (unsigned i = 0; i < nchars && w + 1 < outsz; i++) {
		int s = gsm7_septet(packed, i);
		if (s < 0)
			break;
		char c;
		if (s == GSM7_ESCAPE) {
			int e = (i + 1 < nchars) ? gsm7_septet(packed, i + 1) : -1;
			if (e < 0) {
				c = '?';
			} else {
				c = gsm7_ext_ascii((uint8_t)e);
				i++;
			}
		} else {
			c = gsm7_ascii[s];
			if (c == 0)
				c = '?';
		}
		out[w++] = c;
	}
	out[w] = '\0';
	return w;
}
