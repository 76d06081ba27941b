/* SCCP (ITU-T Q.713): every connectionless type, addresses of every GTI,
 * pointers in any order, the optional part, and every anomaly and error. */
#include <stdlib.h>

#include "harness.h"
#include "enc/enc-layers.h"
#include "ss7fw/wire.h"

/* Called: RI=GT, SSN 6, GTI 4, TT 0, NP 1 (E.164), ES 1 (odd), NAI 4, "9991255".
 * Calling: the same with SSN 8 and "999340001". Derived by hand from Q.713
 * 3.4 (Figure 4; 3.4.2.3.4; odd count: filler 0000). */
#define HAND_CDPA 0x09, 0x12, 0x06, 0x00, 0x11, 0x04, 0x99, 0x19, 0x52, 0x05
#define HAND_CGPA 0x0a, 0x12, 0x08, 0x00, 0x11, 0x04, 0x99, 0x39, 0x04, 0x00, 0x01

/* UDT (Q.713 4.10): class 1 + return on error, pointers 3, 12, 22, data aa bb cc */
static const uint8_t hand_udt[] = {
	0x09, 0x81, 0x03, 0x0c, 0x16, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
};
/* XUDT (Q.713 4.18): class 1, hop counter 15, pointers 4, 13, 23, 26;
 * segmentation (first, class 1, 2 remaining, local ref 0x123456, low octet
 * first), importance 5, end of optional parameters. */
static const uint8_t hand_xudt[] = {
	0x11, 0x01, 0x0f, 0x04, 0x0d, 0x17, 0x1a, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
	0x10, 0x04, 0xc2, 0x56, 0x34, 0x12, 0x12, 0x01, 0x05, 0x00,
};
static const uint8_t data3[] = { 0xaa, 0xbb, 0xcc };

static void gt_party(struct enc_sccp_addr *a, int ssn, const char *digits)
{
	memset(a, 0, sizeof *a);
	a->route_on_gt = true;
	a->pc = -1;
	a->ssn = ssn;
	a->gti = 4;
	a->tt = 0;
	a->np = 1;
	a->nai = 4;
	a->digits = digits;
}

static void base(struct enc_sccp *s, uint8_t type)
{
	memset(s, 0, sizeof *s);
	s->type = type;
	s->proto_class = 1;
	s->return_on_error = true;
	s->importance = -1;
	gt_party(&s->cdpa, 6, "9991255");
	gt_party(&s->cgpa, 8, "999340001");
}

static enum wire_result dec(const uint8_t *b, size_t n, struct sccp_info *s, uint64_t *anom)
{
	*anom = 0;
	return sccp_decode(s, (struct bytes){ b, n }, anom);
}

static void check_parties(const struct sccp_info *s)
{
	char d[64];
	CHECK(s->cdpa.present && s->cgpa.present);
	CHECK_INT(s->cdpa.ai, 0x12);
	CHECK(s->cdpa.route_on_gt);
	CHECK(s->cdpa.has_ssn && !s->cdpa.has_pc);
	CHECK_INT(s->cdpa.ssn, 6);
	CHECK_INT(s->cdpa.gti, 4);
	CHECK(s->cdpa.has_tt && s->cdpa.has_np && s->cdpa.has_nai);
	CHECK_INT(s->cdpa.tt, 0);
	CHECK_INT(s->cdpa.np, 1);
	CHECK_INT(s->cdpa.es, 1);
	CHECK_INT(s->cdpa.nai, 4);
	CHECK_INT(s->cdpa.gt.n, 7);
	digits_to_str(&s->cdpa.gt, d, sizeof d);
	CHECK_STR(d, "9991255");
	CHECK_INT(s->cgpa.ssn, 8);
	digits_to_str(&s->cgpa.gt, d, sizeof d);
	CHECK_STR(d, "999340001");
}

static void test_hand_udt(void)
{
	uint8_t b[256];
	struct enc_sccp e;
	base(&e, SCCP_UDT);
	size_t n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(n, sizeof hand_udt);
	CHECK_MEM(b, hand_udt, sizeof hand_udt);
	struct sccp_info s;
	uint64_t anom;
	CHECK_INT(dec(hand_udt, sizeof hand_udt, &s, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(s.present);
	CHECK_INT(s.type, SCCP_UDT);
	CHECK_INT(s.proto_class, 1);
	CHECK(s.return_on_error);
	CHECK(!s.has_cause && !s.has_hop_counter && !s.has_segment && !s.has_importance);
	check_parties(&s);
	CHECK_INT(s.data.len, 3);
	CHECK(s.data.p == hand_udt + sizeof hand_udt - 3);
	CHECK_INT(enc_sccp(b, 20, &e, data3, 3), 0);   /* overflow */
}

static void test_hand_xudt(void)
{
	uint8_t b[256];
	struct enc_sccp e;
	base(&e, SCCP_XUDT);
	e.return_on_error = false;
	e.segmentation = true;
	e.seg_first = true;
	e.seg_remaining = 2;
	e.seg_ref = 0x123456;
	e.importance = 5;
	size_t n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(n, sizeof hand_xudt);
	CHECK_MEM(b, hand_xudt, sizeof hand_xudt);
	struct sccp_info s;
	uint64_t anom;
	CHECK_INT(dec(hand_xudt, sizeof hand_xudt, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SEGMENTED));
	CHECK_INT(s.type, SCCP_XUDT);
	CHECK_INT(s.proto_class, 1);
	CHECK(!s.return_on_error);
	CHECK(s.has_hop_counter);
	CHECK_INT(s.hop_counter, 15);
	CHECK(s.has_segment && s.seg_first);
	CHECK_INT(s.seg_class, 1);
	CHECK_INT(s.seg_remaining, 2);
	CHECK_INT(s.seg_ref, 0x123456);
	CHECK(s.has_importance);
	CHECK_INT(s.importance, 5);
	check_parties(&s);
	CHECK_INT(s.data.len, 3);
	CHECK_INT(s.data.p[0], 0xaa);
}

/* Every type, with and without the optional part, pointers in both orders. */
static void test_all_types_both_orders(void)
{
	static const uint8_t types[] = { SCCP_UDT, SCCP_UDTS, SCCP_XUDT, SCCP_XUDTS, SCCP_LUDT, SCCP_LUDTS };
	uint8_t data[300];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	data[0] = 0x62;
	for (size_t t = 0; t < sizeof types; t++) {
		for (int rev = 0; rev < 2; rev++) {
			for (int opt = 0; opt < 2; opt++) {
				uint8_t b[700];
				struct enc_sccp e;
				base(&e, types[t]);
				e.cause = 0x0b;
				e.hop_counter = 7;
				e.reverse_pointers = rev;
				e.importance = opt ? 3 : -1;
				bool is_long = types[t] == SCCP_LUDT || types[t] == SCCP_LUDTS;
				size_t dl = is_long ? 300 : 200;
				size_t n = enc_sccp(b, sizeof b, &e, data, dl);
				CHECK(n > dl);
				struct sccp_info s;
				uint64_t anom;
				CHECK_INT(dec(b, n, &s, &anom), WIRE_OK);
				bool has_opt = opt && types[t] != SCCP_UDT && types[t] != SCCP_UDTS;
				CHECK_INT(anom, rev ? ANOM_BIT(ANOM_SCCP_POINTER_ORDER) : 0);
				CHECK_INT(s.type, types[t]);
				bool is_s = types[t] == SCCP_UDTS || types[t] == SCCP_XUDTS || types[t] == SCCP_LUDTS;
				CHECK_INT(s.has_cause, is_s);
				CHECK_INT(s.cause, is_s ? 0x0b : 0);
				CHECK_INT(s.proto_class, is_s ? 0 : 1);
				CHECK_INT(s.has_hop_counter, types[t] != SCCP_UDT && types[t] != SCCP_UDTS);
				if (s.has_hop_counter)
					CHECK_INT(s.hop_counter, 7);
				CHECK_INT(s.has_importance, has_opt);
				CHECK_INT(s.importance, has_opt ? 3 : 0);
				check_parties(&s);
				CHECK_INT(s.data.len, dl);
				CHECK_MEM(s.data.p, data, dl);
				/* every prefix fails without reading past it (ASan) */
				for (size_t k = 0; k < n; k++) {
					uint8_t *cp = malloc(k ? k : 1);
					memcpy(cp, b, k);
					enum wire_result r = dec(cp, k, &s, &anom);
					CHECK(r == WIRE_TRUNCATED || r == WIRE_MALFORMED);
					free(cp);
				}
			}
		}
	}
}

/* LUDT 2-octet pointers and long-data length, by hand: the pointers are low
 * octet first and count from their second octet (Q.713 2.3, 3.16). */
static void test_ludt_layout(void)
{
	uint8_t b[64];
	struct enc_sccp e;
	base(&e, SCCP_LUDT);
	e.cdpa.gti = 0;
	e.cdpa.route_on_gt = false;
	e.cdpa.digits = NULL;
	e.cgpa = e.cdpa;
	e.cgpa.ssn = 8;
	size_t n = enc_sccp(b, sizeof b, &e, data3, 3);
	static const uint8_t hand[] = {
		0x13, 0x81, 0x0f,
		0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x00, 0x00,   /* cdpa @11, cgpa @14, data @17, no opt */
		0x02, 0x42, 0x06, 0x02, 0x42, 0x08, 0x03, 0x00, 0xaa, 0xbb, 0xcc,
	};
	CHECK_INT(n, sizeof hand);
	CHECK_MEM(b, hand, sizeof hand);
	struct sccp_info s;
	uint64_t anom;
	CHECK_INT(dec(hand, sizeof hand, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ROUTE_ON_SSN));
	CHECK(!s.cdpa.route_on_gt);
	CHECK_INT(s.cdpa.gti, 0);
	CHECK_INT(s.cdpa.ssn, 6);
	CHECK_INT(s.cgpa.ssn, 8);
	CHECK_INT(s.data.len, 3);
	CHECK_INT(s.data.p[2], 0xcc);
}

static enum wire_result addr(const uint8_t *b, size_t n, struct sccp_addr *a, uint64_t *anom)
{
	*anom = 0;
	return sccp_addr_decode(a, (struct bytes){ b, n }, anom);
}

static void test_addresses(void)
{
	struct sccp_addr a;
	uint64_t anom;
	char d[64];
	uint8_t b[64];
	/* every GTI through the encoder, with and without SSN and PC */
	for (uint8_t gti = 1; gti <= 4; gti++) {
		for (int with = 0; with < 4; with++) {
			struct enc_sccp_addr e = { .route_on_gt = true, .pc = (with & 1) ? 0x3fff : -1,
						   .ssn = (with & 2) ? 149 : -1, .gti = gti, .tt = 9,
						   .np = 7, .nai = 3, .digits = with & 1 ? "12345" : "1234" };
			size_t n = enc_sccp_addr(b, sizeof b, &e);
			CHECK_INT(addr(b, n, &a, &anom), WIRE_OK);
			CHECK_INT(anom, 0);
			CHECK(a.route_on_gt);
			CHECK_INT(a.gti, gti);
			CHECK_INT(a.has_pc, with & 1);
			CHECK_INT(a.pc, (with & 1) ? 0x3fff : 0);
			CHECK_INT(a.has_ssn, !!(with & 2));
			CHECK_INT(a.ssn, (with & 2) ? 149 : 0);
			CHECK_INT(a.has_tt, gti >= 2);
			CHECK_INT(a.tt, gti >= 2 ? 9 : 0);
			CHECK_INT(a.has_np, gti >= 3);
			CHECK_INT(a.np, gti >= 3 ? 7 : 0);
			CHECK_INT(a.es, gti >= 3 ? ((with & 1) ? 1 : 2) : 0);
			CHECK_INT(a.has_nai, gti == 1 || gti == 4);
			CHECK_INT(a.nai, (gti == 1 || gti == 4) ? 3 : 0);
			CHECK_INT(a.odd, gti == 1 && (with & 1));
			digits_to_str(&a.gt, d, sizeof d);
			/* GTI 2 has no odd/even: the filler 0 reads as a digit */
			CHECK_STR(d, (with & 1) ? (gti == 2 ? "123450" : "12345") : "1234");
		}
	}
	/* by hand: GTI 1, PC 0x1234 (low octet first), SSN 7, odd, NAI 4, "123" */
	static const uint8_t g1[] = { 0x07, 0x34, 0x12, 0x07, 0x84, 0x21, 0x03 };
	CHECK_INT(addr(g1, sizeof g1, &a, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(a.pc, 0x1234);
	CHECK_INT(a.ssn, 7);
	CHECK(a.odd);
	CHECK_INT(a.nai, 4);
	digits_to_str(&a.gt, d, sizeof d);
	CHECK_STR(d, "123");
	/* national-use bit 8: kept in ai, the rest decoded as ITU */
	static const uint8_t nat[] = { 0x92, 0x06, 0x00, 0x12, 0x04, 0x21, 0x43 };
	CHECK_INT(addr(nat, sizeof nat, &a, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(a.ai, 0x92);
	CHECK(a.route_on_gt);
	CHECK_INT(a.gti, 4);
	CHECK_INT(a.ssn, 6);
	digits_to_str(&a.gt, d, sizeof d);
	CHECK_STR(d, "1234");
	/* PC spare bits ignored */
	static const uint8_t pcs[] = { 0x43, 0xff, 0xff, 0x06 };
	CHECK_INT(addr(pcs, sizeof pcs, &a, &anom), WIRE_OK);
	CHECK_INT(a.pc, 0x3fff);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ROUTE_ON_SSN));
	/* GTI 0, route on SSN, bytes after the SSN */
	static const uint8_t tr[] = { 0x42, 0x06, 0x99 };
	CHECK_INT(addr(tr, sizeof tr, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ROUTE_ON_SSN) | ANOM_BIT(ANOM_TRAILING_BYTES));
	/* errors */
	CHECK_INT(addr(NULL, 0, &a, &anom), WIRE_MALFORMED);             /* empty */
	static const uint8_t gt0[] = { 0x02, 0x06 };                      /* GT routing, no GT */
	CHECK_INT(addr(gt0, sizeof gt0, &a, &anom), WIRE_MALFORMED);
	static const uint8_t ssn0[] = { 0x41, 0x01, 0x02 };               /* SSN routing, no SSN */
	CHECK_INT(addr(ssn0, sizeof ssn0, &a, &anom), WIRE_MALFORMED);
	static const uint8_t nopc[] = { 0x43, 0x01 };                     /* PC cut */
	CHECK_INT(addr(nopc, sizeof nopc, &a, &anom), WIRE_MALFORMED);
	static const uint8_t nossn[] = { 0x42 };                          /* SSN cut */
	CHECK_INT(addr(nossn, sizeof nossn, &a, &anom), WIRE_MALFORMED);
	static const uint8_t g4cut[] = { 0x12, 0x06, 0x00, 0x11 };        /* NAI cut */
	CHECK_INT(addr(g4cut, sizeof g4cut, &a, &anom), WIRE_MALFORMED);
	static const uint8_t g1cut[] = { 0x04 };
	CHECK_INT(addr(g1cut, sizeof g1cut, &a, &anom), WIRE_MALFORMED);
	static const uint8_t g2cut[] = { 0x08 };
	CHECK_INT(addr(g2cut, sizeof g2cut, &a, &anom), WIRE_MALFORMED);
	/* reserved GTI 5..15 */
	for (uint8_t gti = 5; gti <= 15; gti++) {
		uint8_t r[] = { (uint8_t)(gti << 2 | 0x02), 0x06, 0x12, 0x34 };
		CHECK_INT(addr(r, sizeof r, &a, &anom), WIRE_OK);
		CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_RESERVED_GTI));
		CHECK_INT(a.gti, gti);
		CHECK_INT(a.gt.n, 0);
	}
}

static void test_odd_even_and_digits(void)
{
	struct sccp_addr a;
	uint64_t anom;
	char d[64];
	/* ES even, but a 0xf filler: really odd */
	static const uint8_t ef[] = { 0x12, 0x06, 0x00, 0x12, 0x04, 0x21, 0xf3 };
	CHECK_INT(addr(ef, sizeof ef, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ODD_EVEN));
	digits_to_str(&a.gt, d, sizeof d);
	CHECK_STR(d, "123");
	/* ES odd, but the last high nibble is a digit */
	static const uint8_t od[] = { 0x12, 0x06, 0x00, 0x11, 0x04, 0x21, 0x43 };
	CHECK_INT(addr(od, sizeof od, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ODD_EVEN));
	digits_to_str(&a.gt, d, sizeof d);
	CHECK_STR(d, "123");
	/* ES odd with a 0xf filler: tolerated */
	static const uint8_t of[] = { 0x12, 0x06, 0x00, 0x11, 0x04, 0x21, 0xf3 };
	CHECK_INT(addr(of, sizeof of, &a, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(a.gt.n, 3);
	/* ES odd with no digit octets */
	static const uint8_t oe[] = { 0x12, 0x06, 0x00, 0x11, 0x04 };
	CHECK_INT(addr(oe, sizeof oe, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ODD_EVEN));
	CHECK_INT(a.gt.n, 0);
	/* GTI 1 even indicator with a 0xf filler */
	static const uint8_t g1[] = { 0x06, 0x06, 0x04, 0x21, 0xf3 };
	CHECK_INT(addr(g1, sizeof g1, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_ODD_EVEN));
	/* a filler inside; too many digits (capped) */
	static const uint8_t in[] = { 0x12, 0x06, 0x00, 0x12, 0x04, 0xf1, 0x32 };
	CHECK_INT(addr(in, sizeof in, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_BAD_DIGIT));
	uint8_t big[40] = { 0x12, 0x06, 0x00, 0x12, 0x04 };
	memset(big + 5, 0x99, 35);
	CHECK_INT(addr(big, sizeof big, &a, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_TOO_MANY_DIGITS));
	CHECK_INT(a.gt.n, WIRE_MAX_DIGITS);
	/* ES 0 (unknown): BCD, no parity check */
	static const uint8_t e0[] = { 0x12, 0x06, 0x00, 0x10, 0x04, 0x21, 0x43 };
	CHECK_INT(addr(e0, sizeof e0, &a, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(a.gt.n, 4);
}

static void test_message_anomalies(void)
{
	uint8_t b[300];
	struct sccp_info s;
	uint64_t anom;
	struct enc_sccp e;
	size_t n;
	/* no called SSN; SSN 0 counts as none */
	base(&e, SCCP_UDT);
	e.cdpa.ssn = -1;
	n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(dec(b, n, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_NO_CALLED_SSN));
	CHECK(!s.cdpa.has_ssn);
	e.cdpa.ssn = 0;
	n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(dec(b, n, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_NO_CALLED_SSN));
	/* calling without SSN is fine */
	base(&e, SCCP_UDT);
	e.cgpa.ssn = -1;
	n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(dec(b, n, &s, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	/* hop counter 0 and 16 */
	memcpy(b, hand_xudt, sizeof hand_xudt);
	b[2] = 0;
	CHECK_INT(dec(b, sizeof hand_xudt, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_HOP_COUNTER) | ANOM_BIT(ANOM_SEGMENTED));
	b[2] = 16;
	CHECK_INT(dec(b, sizeof hand_xudt, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_HOP_COUNTER) | ANOM_BIT(ANOM_SEGMENTED));
	CHECK_INT(s.hop_counter, 16);
	b[2] = 1;
	CHECK_INT(dec(b, sizeof hand_xudt, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SEGMENTED));
	/* non-first segment, class 0 */
	base(&e, SCCP_XUDT);
	e.proto_class = 0;
	e.segmentation = true;
	e.seg_first = false;
	e.seg_remaining = 0;
	e.seg_ref = 0xabcdef;
	n = enc_sccp(b, sizeof b, &e, data3, 3);
	CHECK_INT(dec(b, n, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SEGMENTED));
	CHECK(s.has_segment && !s.seg_first);
	CHECK_INT(s.seg_class, 0);
	CHECK_INT(s.seg_remaining, 0);
	CHECK_INT(s.seg_ref, 0xabcdef);
	/* trailing bytes after the last part */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[sizeof hand_udt] = 0;
	CHECK_INT(dec(b, sizeof hand_udt + 1, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_TRAILING_BYTES));
	/* a gap before the data: non-canonical layout */
	static const uint8_t gap[] = { 0x09, 0x81, 0x03, 0x0c, 0x17, HAND_CDPA, HAND_CGPA, 0xee, 0x03, 0xaa, 0xbb, 0xcc };
	CHECK_INT(dec(gap, sizeof gap, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_POINTER_ORDER));
	CHECK_INT(s.data.p[0], 0xaa);
	/* unknown optional parameter, skipped */
	static const uint8_t unk[] = { 0x11, 0x01, 0x0f, 0x04, 0x0d, 0x17, 0x1a, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
				      0x77, 0x02, 0x01, 0x02, 0x12, 0x01, 0x06, 0x00 };
	CHECK_INT(dec(unk, sizeof unk, &s, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG));
	CHECK_INT(s.importance, 6);
	/* connection-oriented types */
	for (uint8_t t = SCCP_CR; t <= SCCP_IT; t++) {
		if (t == SCCP_UDT || t == SCCP_UDTS)
			continue;
		uint8_t co[] = { t, 0x01, 0x02, 0x03, 0x04 };
		CHECK_INT(dec(co, sizeof co, &s, &anom), WIRE_UNSUPPORTED);
		CHECK_INT(anom, ANOM_BIT(ANOM_SCCP_CONNECTION_ORIENTED));
		CHECK_INT(s.type, t);
	}
	/* unknown message types */
	static const uint8_t unkt[] = { 0x00, 0x15, 0xff };
	for (size_t i = 0; i < sizeof unkt; i++) {
		CHECK_INT(dec(&unkt[i], 1, &s, &anom), WIRE_MALFORMED);
		CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG));
	}
}

static void test_message_errors(void)
{
	uint8_t b[300];
	struct sccp_info s;
	uint64_t anom;
	CHECK_INT(dec(NULL, 0, &s, &anom), WIRE_TRUNCATED);
	CHECK_INT(anom, ANOM_BIT(ANOM_TRUNCATED));
	/* class 2 in a connectionless message */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[1] = 0x02;
	CHECK_INT(dec(b, sizeof hand_udt, &s, &anom), WIRE_MALFORMED);
	/* a mandatory pointer of 0 */
	for (int i = 0; i < 3; i++) {
		memcpy(b, hand_udt, sizeof hand_udt);
		b[2 + i] = 0;
		CHECK_INT(dec(b, sizeof hand_udt, &s, &anom), WIRE_MALFORMED);
	}
	/* pointer into the pointers */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[2] = 1;
	CHECK_INT(dec(b, sizeof hand_udt, &s, &anom), WIRE_MALFORMED);
	/* pointer past the end */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[4] = 0x40;
	CHECK_INT(dec(b, sizeof hand_udt, &s, &anom), WIRE_TRUNCATED);
	CHECK_INT(anom, ANOM_BIT(ANOM_TRUNCATED));
	/* overlapping parts: calling address = called address */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[3] = 2;
	CHECK_INT(dec(b, sizeof hand_udt, &s, &anom), WIRE_MALFORMED);
	/* data pointer into the calling address */
	memcpy(b, hand_udt, sizeof hand_udt);
	b[4] = 0x14;
	CHECK(dec(b, sizeof hand_udt, &s, &anom) != WIRE_OK);
	/* empty called address */
	static const uint8_t empty_cd[] = { 0x09, 0x81, 0x03, 0x03, 0x0d, 0x00, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc };
	CHECK_INT(dec(empty_cd, sizeof empty_cd, &s, &anom), WIRE_MALFORMED);
	/* missing end of optional parameters */
	CHECK_INT(dec(hand_xudt, sizeof hand_xudt - 1, &s, &anom), WIRE_MALFORMED);
	/* the data part inside an (unknown) optional parameter: overlap */
	static const uint8_t ovl[] = { 0x11, 0x01, 0x0f, 0x04, 0x0d, 0x19, 0x16, HAND_CDPA, HAND_CGPA,
				      0x77, 0x04, 0x03, 0xaa, 0xbb, 0xcc, 0x00 };
	CHECK_INT(dec(ovl, sizeof ovl, &s, &anom), WIRE_MALFORMED);
	/* segmentation of the wrong length, twice; importance twice */
	static const uint8_t seg3[] = { 0x11, 0x01, 0x0f, 0x04, 0x0d, 0x17, 0x1a, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
				       0x10, 0x03, 0xc2, 0x56, 0x34, 0x00 };
	CHECK_INT(dec(seg3, sizeof seg3, &s, &anom), WIRE_MALFORMED);
	static const uint8_t seg2[] = { 0x11, 0x01, 0x0f, 0x04, 0x0d, 0x17, 0x1a, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
				       0x10, 0x04, 0xc2, 0x56, 0x34, 0x12, 0x10, 0x04, 0x02, 0x56, 0x34, 0x12, 0x00 };
	CHECK_INT(dec(seg2, sizeof seg2, &s, &anom), WIRE_MALFORMED);
	static const uint8_t imp2[] = { 0x11, 0x01, 0x0f, 0x04, 0x0d, 0x17, 0x1a, HAND_CDPA, HAND_CGPA, 0x03, 0xaa, 0xbb, 0xcc,
				       0x12, 0x01, 0x01, 0x12, 0x02, 0x01, 0x01, 0x00 };
	CHECK_INT(dec(imp2, sizeof imp2, &s, &anom), WIRE_MALFORMED);
	/* an address error inside a message is the message's error */
	static const uint8_t bad_cg[] = { 0x09, 0x81, 0x03, 0x0c, 0x0d, HAND_CDPA, 0x01, 0x02, 0x03, 0xaa, 0xbb, 0xcc };
	CHECK_INT(dec(bad_cg, sizeof bad_cg, &s, &anom), WIRE_MALFORMED);
	/* LUDT long data running past the end */
	static const uint8_t ludt[] = { 0x13, 0x81, 0x0f, 0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x00, 0x00,
				       0x02, 0x42, 0x06, 0x02, 0x42, 0x08, 0x03, 0x01, 0xaa, 0xbb, 0xcc };
	CHECK_INT(dec(ludt, sizeof ludt, &s, &anom), WIRE_TRUNCATED);
}

TEST_MAIN("test_sccp", {
	RUN(test_hand_udt);
	RUN(test_hand_xudt);
	RUN(test_all_types_both_orders);
	RUN(test_ludt_layout);
	RUN(test_addresses);
	RUN(test_odd_even_and_digits);
	RUN(test_message_anomalies);
	RUN(test_message_errors);
})
