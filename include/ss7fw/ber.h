/* ss7fw — BER (ITU-T X.690) element reader for TCAP and MAP.
 * Reads one TLV at a time from a cursor; never reads past the cursor. */
#ifndef SS7FW_BER_H
#define SS7FW_BER_H

#include "ss7fw/wire-t.h"

enum ber_class {
	BER_UNIVERSAL = 0, BER_APPLICATION = 1, BER_CONTEXT = 2, BER_PRIVATE = 3,
};

/* A read-only cursor: check, then advance. */
struct cur {
	const uint8_t *p;
	size_t len;
};

static inline struct cur cur_of(struct bytes b) { struct cur c = { b.p, b.len }; return c; }

struct ber_tlv {
	uint8_t cls;           /* enum ber_class */
	bool constructed;
	uint32_t tag;          /* tag number */
	bool indefinite;       /* length was indefinite (value ends before the EOC) */
	struct bytes v;        /* contents octets (without EOC for indefinite) */
	struct bytes whole;    /* identifier through end of contents (and EOC) */
};

/* Read the next TLV from *c and advance past it. Handles multi-byte tags (up
 * to 4 tag octets), short and long definite lengths (up to 4 length octets)
 * and indefinite lengths with end-of-contents at any depth (up to
 * BER_MAX_DEPTH). Sets INDEFINITE_LENGTH / LONG_FORM_LENGTH anomalies.
 * Returns WIRE_TRUNCATED if the element does not fit, WIRE_MALFORMED on an
 * illegal encoding (e.g. indefinite length on a primitive, tag too long). */
enum wire_result ber_next(struct cur *c, struct ber_tlv *t, uint64_t *anom);

/* Convenience: true when t is (cls, constructed, tag). */
static inline bool ber_is(const struct ber_tlv *t, uint8_t cls, bool constructed, uint32_t tag)
{
	return t->cls == cls && t->constructed == constructed && t->tag == tag;
}

/* INTEGER contents to int32 (1..4 octets, two's complement). MALFORMED if
 * empty or longer than 4 octets. */
enum wire_result ber_int(struct bytes v, int32_t *out);

/* OBJECT IDENTIFIER contents: decode arcs into arcs[0..max-1]; returns the
 * number of arcs, or -1 if malformed or more than max arcs. */
int ber_oid_arcs(struct bytes v, uint32_t *arcs, int max);

#endif
