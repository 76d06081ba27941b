/* BER element reader (ITU-T X.690 8.1). See ss7fw/ber.h for the contract. */
#include "ss7fw/ber.h"

/* Identifier octets (X.690 8.1.2). */
static enum wire_result read_tag(struct cur *c, struct ber_tlv *t)
{
	if (c->len < 1)
		return WIRE_TRUNCATED;
	uint8_t b = c->p[0];
	size_t i = 1;
	t->cls = b >> 6;
	t->constructed = (b & 0x20) != 0;
	t->tag = b & 0x1f;
	if (t->tag == 0x1f) {
		uint32_t tag = 0;
		for (;;) {
			if (i >= c->len)
				return WIRE_TRUNCATED;
			if (i > 4) /* more than 4 subsequent octets: > 28 bits */
				return WIRE_MALFORMED;
			b = c->p[i++];
			if (i == 2 && b == 0x80) /* 8.1.2.4.2 c: a leading 0x80 is not minimal */
				return WIRE_MALFORMED;
			tag = (tag << 7) | (b & 0x7f);
			if (!(b & 0x80))
				break;
		}
		/* 8.1.2.2: tag numbers 0..30 have only the one-octet form; 1f 02
		 * must not read as the INTEGER it pretends to be */
		if (tag < 0x1f)
			return WIRE_MALFORMED;
		t->tag = tag;
	}
	c->p += i;
	c->len -= i;
	return WIRE_OK;
}

/* Length octets (X.690 8.1.3). *len = SIZE_MAX for the indefinite form. */
static enum wire_result read_len(struct cur *c, size_t *len, uint64_t *anom)
{
	if (c->len < 1)
		return WIRE_TRUNCATED;
	uint8_t b = c->p[0];
	if (b < 0x80) {
		*len = b;
		c->p++;
		c->len--;
		return WIRE_OK;
	}
	if (b == 0x80) {
		*len = SIZE_MAX;
		c->p++;
		c->len--;
		return WIRE_OK;
	}
	unsigned n = b & 0x7f;
	if (n > 4 || b == 0xff)
		return WIRE_MALFORMED;
	if (c->len < 1 + (size_t)n)
		return WIRE_TRUNCATED;
	size_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | c->p[1 + i];
	if (v < 0x80 || c->p[1] == 0)
		*anom |= ANOM_BIT(ANOM_LONG_FORM_LENGTH);
	*len = v;
	c->p += 1 + n;
	c->len -= 1 + n;
	return WIRE_OK;
}

static enum wire_result next_at(struct cur *c, struct ber_tlv *t, uint64_t *anom, unsigned depth)
{
	if (depth > BER_MAX_DEPTH)
		return WIRE_MALFORMED;
	const uint8_t *start = c->p;
	struct cur w = *c;
	enum wire_result r = read_tag(&w, t);
	if (r != WIRE_OK)
		return r;
	size_t len;
	r = read_len(&w, &len, anom);
	if (r != WIRE_OK)
		return r;
	if (len != SIZE_MAX) {
		if (len > w.len)
			return WIRE_TRUNCATED;
		t->indefinite = false;
		t->v.p = w.p;
		t->v.len = len;
		w.p += len;
		w.len -= len;
	} else {
		/* Indefinite: only on constructed encodings (X.690 8.1.3.2). The
		 * contents end at the end-of-contents octets of this level. */
		if (!t->constructed)
			return WIRE_MALFORMED;
		*anom |= ANOM_BIT(ANOM_INDEFINITE_LENGTH);
		struct cur in = w;
		for (;;) {
			if (in.len < 2)
				return WIRE_TRUNCATED;
			if (in.p[0] == 0 && in.p[1] == 0)
				break;
			struct ber_tlv inner;
			r = next_at(&in, &inner, anom, depth + 1);
			if (r != WIRE_OK)
				return r;
		}
		t->indefinite = true;
		t->v.p = w.p;
		t->v.len = (size_t)(in.p - w.p);
		w.p = in.p + 2;
		w.len = in.len - 2;
	}
	t->whole.p = start;
	t->whole.len = (size_t)(w.p - start);
	*c = w;
	return WIRE_OK;
}

enum wire_result ber_next(struct cur *c, struct ber_tlv *t, uint64_t *anom)
{
	return next_at(c, t, anom, 0);
}

enum wire_result ber_int(struct bytes v, int32_t *out)
{
	if (v.len < 1 || v.len > 4)
		return WIRE_MALFORMED;
	uint32_t u = (v.p[0] & 0x80) ? UINT32_MAX : 0;
	for (size_t i = 0; i < v.len; i++)
		u = (u << 8) | v.p[i];
	*out = (int32_t)u;
	return WIRE_OK;
}

int ber_oid_arcs(struct bytes v, uint32_t *arcs, int max)
{
	int n = 0;
	uint32_t acc = 0;
	unsigned octets = 0;
	if (v.len == 0 || max < 2)
		return -1;
	for (size_t i = 0; i < v.len; i++) {
		if (octets == 0 && v.p[i] == 0x80)
			return -1; /* non-minimal sub-identifier (X.690 8.19.2) */
		if (++octets > 5 || (octets == 5 && (acc >> 25) != 0))
			return -1;
		acc = (acc << 7) | (v.p[i] & 0x7f);
		if (v.p[i] & 0x80)
			continue;
		if (n == 0) {
			/* first sub-identifier packs two arcs (X.690 8.19.4) */
			uint32_t first = acc < 40 ? 0 : acc < 80 ? 1 : 2;
			arcs[n++] = first;
			arcs[n++] = acc - 40 * first;
		} else {
			if (n >= max)
				return -1;
			arcs[n++] = acc;
		}
		acc = 0;
		octets = 0;
	}
	if (octets != 0)
		return -1; /* last sub-identifier unterminated */
	return n;
}
