/* BER reader: tags, lengths in every form, indefinite nesting, truncation. */
#include "harness.h"
#include "enc/enc.h"
#include "ss7fw/ber.h"

static void test_short_and_long(void)
{
	uint8_t buf[600];
	struct enc e;
	for (int form = BER_LEN_MIN; form <= BER_LEN_INDEFINITE; form++) {
		enc_init(&e, buf, sizeof buf);
		size_t m = enc_ber_open(&e, BER_CONTEXT, 1);
		enc_ber_int(&e, BER_UNIVERSAL, 2, 300);
		enc_ber_close(&e, m, (enum ber_len_form)form);
		CHECK(!e.overflow);
		struct cur c = { buf, e.len };
		struct ber_tlv t;
		uint64_t anom = 0;
		CHECK_INT(ber_next(&c, &t, &anom), WIRE_OK);
		CHECK(ber_is(&t, BER_CONTEXT, true, 1));
		CHECK_INT(c.len, 0);
		CHECK_INT(t.v.len, 4);
		CHECK_INT(t.whole.len, e.len);
		CHECK_INT(t.indefinite, form == BER_LEN_INDEFINITE);
		CHECK_INT(!!(anom & ANOM_BIT(ANOM_INDEFINITE_LENGTH)), form == BER_LEN_INDEFINITE);
		CHECK_INT(!!(anom & ANOM_BIT(ANOM_LONG_FORM_LENGTH)), form == BER_LEN_LONG);
		struct cur in = cur_of(t.v);
		struct ber_tlv i;
		CHECK_INT(ber_next(&in, &i, &anom), WIRE_OK);
		int32_t v = 0;
		CHECK_INT(ber_int(i.v, &v), WIRE_OK);
		CHECK_INT(v, 300);
	}
}

static void test_multibyte_tag_and_nested_indefinite(void)
{
	uint8_t buf[256];
	struct enc e;
	enc_init(&e, buf, sizeof buf);
	size_t a = enc_ber_open(&e, BER_CONTEXT, 1);
	size_t b = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_ber_prim(&e, BER_CONTEXT, 100, "\x01\x02", 2);
	enc_ber_close(&e, b, BER_LEN_INDEFINITE);
	enc_ber_close(&e, a, BER_LEN_INDEFINITE);
	struct cur c = { buf, e.len };
	struct ber_tlv t;
	uint64_t anom = 0;
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_OK);
	CHECK_INT(t.v.len, e.len - 4);
	struct cur in = cur_of(t.v);
	struct ber_tlv s;
	CHECK_INT(ber_next(&in, &s, &anom), WIRE_OK);
	CHECK(ber_is(&s, BER_UNIVERSAL, true, 16));
	struct cur in2 = cur_of(s.v);
	struct ber_tlv p;
	CHECK_INT(ber_next(&in2, &p, &anom), WIRE_OK);
	CHECK(ber_is(&p, BER_CONTEXT, false, 100));
	CHECK_INT(p.v.len, 2);
	CHECK_INT(in2.len, 0);
	CHECK_INT(in.len, 0);
	/* every prefix is truncated, never read past */
	for (size_t n = 0; n < e.len; n++) {
		struct cur tc = { buf, n };
		CHECK(ber_next(&tc, &t, &anom) != WIRE_OK);
	}
}

static void test_illegal(void)
{
	uint64_t anom = 0;
	struct ber_tlv t;
	static const uint8_t prim_indef[] = { 0x02, 0x80, 0x00, 0x00 };
	struct cur c = { prim_indef, sizeof prim_indef };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
	static const uint8_t len5[] = { 0x04, 0x85, 0, 0, 0, 0, 1, 0xaa };
	c = (struct cur){ len5, sizeof len5 };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
	static const uint8_t longtag[] = { 0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00 };
	c = (struct cur){ longtag, sizeof longtag };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
	static const uint8_t big[] = { 0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00 };
	c = (struct cur){ big, sizeof big };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_TRUNCATED);
	/* deep indefinite nesting beyond BER_MAX_DEPTH */
	uint8_t deep[2 * 40 + 2 * 40];
	size_t n = 0;
	for (int i = 0; i < 40; i++) { deep[n++] = 0x30; deep[n++] = 0x80; }
	for (int i = 0; i < 40; i++) { deep[n++] = 0; deep[n++] = 0; }
	c = (struct cur){ deep, n };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
}

static void test_oid(void)
{
	uint8_t c[32];
	size_t n = enc_oid_contents(c, sizeof c, "0.4.0.0.1.0.20.3");
	static const uint8_t want[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03 };
	CHECK_INT(n, sizeof want);
	CHECK_MEM(c, want, sizeof want);
	uint32_t arcs[16];
	CHECK_INT(ber_oid_arcs((struct bytes){ c, n }, arcs, 16), 8);
	CHECK_INT(arcs[0], 0);
	CHECK_INT(arcs[6], 20);
	CHECK_INT(arcs[7], 3);
	n = enc_oid_contents(c, sizeof c, "1.2.840.113549");
	CHECK_INT(ber_oid_arcs((struct bytes){ c, n }, arcs, 16), 4);
	CHECK_INT(arcs[3], 113549);
	static const uint8_t bad[] = { 0x04, 0x80, 0x01 };
	CHECK_INT(ber_oid_arcs((struct bytes){ bad, 3 }, arcs, 16), -1);
	static const uint8_t unterminated[] = { 0x04, 0x81 };
	CHECK_INT(ber_oid_arcs((struct bytes){ unterminated, 2 }, arcs, 16), -1);
}

TEST_MAIN("test_ber", {
	RUN(test_short_and_long);
	RUN(test_multibyte_tag_and_nested_indefinite);
	RUN(test_illegal);
	RUN(test_oid);
})
