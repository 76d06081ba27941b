/* ss7fw tests — encoder basics and BER builder. */
#include "enc/enc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void enc_init(struct enc *e, uint8_t *buf, size_t cap)
{
	e->buf = buf;
	e->len = 0;
	e->cap = cap;
	e->overflow = false;
}

void enc_mem(struct enc *e, const void *p, size_t n)
{
	if (e->overflow || n > e->cap - e->len) {
		e->overflow = true;
		return;
	}
	if (n)
		memcpy(e->buf + e->len, p, n);
	e->len += n;
}

void enc_u8(struct enc *e, uint8_t v) { enc_mem(e, &v, 1); }
void enc_u16(struct enc *e, uint16_t v) { uint8_t b[2] = { v >> 8, v & 0xff }; enc_mem(e, b, 2); }
void enc_u32(struct enc *e, uint32_t v)
{
	uint8_t b[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };
	enc_mem(e, b, 4);
}

void enc_insert(struct enc *e, size_t pos, const void *p, size_t n)
{
	if (e->overflow || pos > e->len || n > e->cap - e->len) {
		e->overflow = true;
		return;
	}
	memmove(e->buf + pos + n, e->buf + pos, e->len - pos);
	memcpy(e->buf + pos, p, n);
	e->len += n;
}

void enc_ber_id(struct enc *e, uint8_t cls, bool constructed, uint32_t tag)
{
	uint8_t first = (uint8_t)(cls << 6) | (constructed ? 0x20 : 0);
	if (tag < 31) {
		enc_u8(e, first | (uint8_t)tag);
		return;
	}
	enc_u8(e, first | 0x1f);
	uint8_t tmp[5];
	int n = 0;
	do {
		tmp[n++] = tag & 0x7f;
		tag >>= 7;
	} while (tag);
	while (n--)
		enc_u8(e, tmp[n] | (n ? 0x80 : 0));
}

static size_t len_octets(size_t len, enum ber_len_form form, uint8_t out[5])
{
	if (form == BER_LEN_MIN && len < 0x80) {
		out[0] = (uint8_t)len;
		return 1;
	}
	size_t n = len <= 0xff ? 1 : len <= 0xffff ? 2 : 3;
	out[0] = 0x80 | (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		out[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
	return 1 + n;
}

size_t enc_ber_open(struct enc *e, uint8_t cls, uint32_t tag)
{
	enc_ber_id(e, cls, true, tag);
	return e->len; /* contents start here; the length is inserted on close */
}

void enc_ber_close(struct enc *e, size_t mark, enum ber_len_form form)
{
	if (e->overflow)
		return;
	if (form == BER_LEN_INDEFINITE) {
		uint8_t l = 0x80;
		enc_insert(e, mark, &l, 1);
		enc_u8(e, 0);
		enc_u8(e, 0);
		return;
	}
	uint8_t lo[5];
	size_t n = len_octets(e->len - mark, form, lo);
	enc_insert(e, mark, lo, n);
}

void enc_ber_prim(struct enc *e, uint8_t cls, uint32_t tag, const void *v, size_t n)
{
	enc_ber_id(e, cls, false, tag);
	uint8_t lo[5];
	enc_mem(e, lo, len_octets(n, BER_LEN_MIN, lo));
	enc_mem(e, v, n);
}

void enc_ber_int(struct enc *e, uint8_t cls, uint32_t tag, int32_t v)
{
	uint8_t b[4];
	int n = 4;
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)((uint32_t)v >> (24 - 8 * i));
	int s = 0;
	while (n - s > 1 && ((b[s] == 0 && !(b[s + 1] & 0x80)) || (b[s] == 0xff && (b[s + 1] & 0x80))))
		s++;
	enc_ber_prim(e, cls, tag, b + s, (size_t)(n - s));
}

size_t enc_oid_contents(uint8_t *out, size_t cap, const char *dotted)
{
	uint32_t arcs[32];
	int n = 0;
	const char *s = dotted;
	while (*s && n < 32) {
		arcs[n++] = (uint32_t)strtoul(s, (char **)&s, 10);
		if (*s == '.')
			s++;
	}
	size_t len = 0;
	for (int i = 1; i < n; i++) {
		uint32_t v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		uint8_t tmp[5];
		int k = 0;
		do {
			tmp[k++] = v & 0x7f;
			v >>= 7;
		} while (v);
		while (k--) {
			if (len >= cap)
				return 0;
			out[len++] = tmp[k] | (k ? 0x80 : 0);
		}
	}
	return len;
}

void enc_ber_oid(struct enc *e, uint8_t cls, uint32_t tag, const char *dotted)
{
	uint8_t c[64];
	size_t n = enc_oid_contents(c, sizeof c, dotted);
	enc_ber_prim(e, cls, tag, c, n);
}

static uint8_t nibble(char ch)
{
	if (ch >= '0' && ch <= '9')
		return (uint8_t)(ch - '0');
	if (ch >= 'a' && ch <= 'f')
		return (uint8_t)(ch - 'a' + 10);
	if (ch >= 'A' && ch <= 'F')
		return (uint8_t)(ch - 'A' + 10);
	if (ch == '*')
		return 0xa;
	if (ch == '#')
		return 0xb;
	return 0xf;
}

size_t enc_tbcd(uint8_t *out, size_t cap, const char *digits)
{
	size_t n = strlen(digits), o = (n + 1) / 2;
	if (o > cap)
		return 0;
	for (size_t i = 0; i < o; i++) {
		uint8_t lo = nibble(digits[2 * i]);
		uint8_t hi = 2 * i + 1 < n ? nibble(digits[2 * i + 1]) : 0xf;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return o;
}

size_t enc_addr_string(uint8_t *out, size_t cap, uint8_t ton, uint8_t npi, const char *digits)
{
	if (cap < 1)
		return 0;
	out[0] = 0x80 | (uint8_t)((ton & 7) << 4) | (npi & 0xf);
	size_t n = enc_tbcd(out + 1, cap - 1, digits);
	return (n || !*digits) ? n + 1 : 0;
}

void enc_hexdump(const char *label, const uint8_t *p, size_t n)
{
	fprintf(stderr, "%s (%zu):", label, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %02x", p[i]);
	fputc('\n', stderr);
}
