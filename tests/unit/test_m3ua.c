/* M3UA (RFC 4666): header, classes, parameters, DATA, every anomaly. */
#include <stdlib.h>

#include "harness.h"
#include "enc/enc-layers.h"
#include "ss7fw/wire.h"

/* DATA with RC 100, OPC 1234, DPC 2345, SI 3, NI 2, MP 1, SLS 5 and
 * user data aa bb cc, derived by hand from RFC 4666 3.1, 3.2, 3.3.1. */
static const uint8_t hand_data[] = {
	0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x24,         /* v1, XFER, DATA, len 36 */
	0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x64,         /* routing context 100 */
	0x02, 0x10, 0x00, 0x13,                                 /* protocol data, len 19 */
	0x00, 0x00, 0x04, 0xd2, 0x00, 0x00, 0x09, 0x29,         /* OPC 1234, DPC 2345 */
	0x03, 0x02, 0x01, 0x05, 0xaa, 0xbb, 0xcc, 0x00,         /* SI NI MP SLS, data, pad */
};

static void test_encoder_matches_hand(void)
{
	uint8_t buf[128];
	static const uint8_t upd[] = { 0xaa, 0xbb, 0xcc };
	struct enc_m3ua_data d = { .opc = 1234, .dpc = 2345, .si = 3, .ni = 2, .mp = 1, .sls = 5,
				   .has_rc = true, .rc = 100 };
	size_t n = enc_m3ua_data(buf, sizeof buf, &d, upd, 3);
	CHECK_INT(n, sizeof hand_data);
	CHECK_MEM(buf, hand_data, sizeof hand_data);
	CHECK_INT(enc_m3ua_data(buf, 20, &d, upd, 3), 0);   /* overflow */
	uint8_t p[16];
	CHECK_INT(enc_m3ua_param(p, sizeof p, 0x0004, "abcde", 5), 12);
	static const uint8_t hp[] = { 0x00, 0x04, 0x00, 0x09, 'a', 'b', 'c', 'd', 'e', 0, 0, 0 };
	CHECK_MEM(p, hp, 12);
	CHECK_INT(m3ua_msg_len(hand_data, sizeof hand_data), 36);
	CHECK_INT(m3ua_msg_len(hand_data, 7), 0);
}

static void test_data_fields(void)
{
	struct m3ua_info m;
	uint64_t anom = 0;
	CHECK_INT(m3ua_decode(&m, hand_data, sizeof hand_data, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(m.present);
	CHECK_INT(m.version, 1);
	CHECK_INT(m.msg_class, 1);
	CHECK_INT(m.msg_type, 1);
	CHECK_INT(m.len, 36);
	CHECK(m.has_rc);
	CHECK_INT(m.rc, 100);
	CHECK(!m.has_na);
	CHECK(!m.has_corr_id);
	CHECK(m.has_pd);
	CHECK_INT(m.opc, 1234);
	CHECK_INT(m.dpc, 2345);
	CHECK_INT(m.si, 3);
	CHECK_INT(m.ni, 2);
	CHECK_INT(m.mp, 1);
	CHECK_INT(m.sls, 5);
	CHECK_INT(m.upd.len, 3);
	CHECK(m.upd.p == hand_data + 32);

	/* NA and correlation id, empty user data */
	uint8_t buf[128];
	struct enc_m3ua_data d = { .opc = 0x00ffffff, .dpc = 7, .si = 5, .has_na = true, .na = 6,
				   .has_corr_id = true, .corr_id = 0xdeadbeef };
	size_t n = enc_m3ua_data(buf, sizeof buf, &d, NULL, 0);
	CHECK_INT(n, 8 + 8 + 16 + 8);
	anom = 0;
	CHECK_INT(m3ua_decode(&m, buf, n, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(m.has_na && m.has_corr_id && !m.has_rc);
	CHECK_INT(m.na, 6);
	CHECK_INT(m.corr_id, 0xdeadbeef);
	CHECK_INT(m.opc, 0x00ffffff);
	CHECK_INT(m.si, 5);
	CHECK_INT(m.upd.len, 0);
}

/* RFC 4666 3.1.2-3.1.3: the defined classes and types (anything else is
 * M3UA_UNKNOWN_MSG), each carrying the parameters 3.3-3.8 make mandatory;
 * without them the message is MALFORMED (M3UA_MISSING_PARAM). */
static void test_classes(void)
{
	static const struct { uint8_t cls, type; bool known; uint16_t need[2]; } v[] = {
		{ 0, 0, true, { 0x000c } }, { 0, 1, true, { 0x000d } }, { 0, 2, false, { 0 } },
		{ 2, 1, true, { 0x0012 } }, { 2, 5, true, { 0x0012, 0x0204 } }, { 2, 6, true, { 0x0012 } },
		{ 2, 7, false, { 0 } }, { 2, 0, false, { 0 } },
		{ 3, 1, true, { 0 } }, { 3, 6, true, { 0 } }, { 3, 0, false, { 0 } }, { 3, 7, false, { 0 } },
		{ 4, 1, true, { 0 } }, { 4, 4, true, { 0 } }, { 4, 5, false, { 0 } },
		{ 9, 1, true, { 0x0207 } }, { 9, 2, true, { 0x0208 } }, { 9, 3, true, { 0x0006 } },
		{ 9, 4, true, { 0x0209 } }, { 9, 5, false, { 0 } }, { 9, 7, false, { 0 } },
		{ 5, 1, false, { 0 } }, { 6, 0, false, { 0 } }, { 7, 0, false, { 0 } }, { 8, 0, false, { 0 } },
		{ 1, 2, false, { 0 } }, { 1, 0, false, { 0 } }, { 10, 1, false, { 0 } },
		{ 200, 0, false, { 0 } }, { 255, 255, false, { 0 } },
	};
	uint8_t rc[8] = { 0, 0, 0, 1, 0, 0, 0, 2 };           /* RC list of two */
	uint8_t four[4] = { 0, 0, 0, 3 };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t par[64], buf[96];
		size_t pl = 0;
		for (int k = 0; k < 2; k++)
			if (v[i].need[k] && v[i].need[k] != 0x0006)
				pl += enc_m3ua_param(par + pl, sizeof par - pl, v[i].need[k], four, 4);
		pl += enc_m3ua_param(par + pl, sizeof par - pl, 0x0006, rc, 8);
		size_t n = enc_m3ua_msg(buf, sizeof buf, v[i].cls, v[i].type, par, pl);
		struct m3ua_info m;
		uint64_t anom = 0;
		CHECK_INT(m3ua_decode(&m, buf, n, &anom), WIRE_OK);
		CHECK_INT(anom, v[i].known ? 0 : ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG));
		CHECK_INT(m.msg_class, v[i].cls);
		CHECK_INT(m.msg_type, v[i].type);
		CHECK(m.has_rc);
		CHECK_INT(m.rc, 1);
		CHECK(!m.has_pd);
		/* without its first mandatory parameter (the RC of DEREG REQ
		 * is the only one there) */
		if (!v[i].need[0])
			continue;
		pl = 0;
		if (v[i].need[1])
			pl += enc_m3ua_param(par, sizeof par, v[i].need[1], four, 4);
		if (v[i].need[0] != 0x0006)
			pl += enc_m3ua_param(par + pl, sizeof par - pl, 0x0006, rc, 8);
		n = enc_m3ua_msg(buf, sizeof buf, v[i].cls, v[i].type, par, pl);
		anom = 0;
		CHECK_INT(m3ua_decode(&m, buf, n, &anom), WIRE_MALFORMED);
		CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_MISSING_PARAM));
	}
	/* Protocol Data outside DATA: an MSU nobody would screen */
	uint8_t pd[16] = { 0, 0, 0, 1, 0, 0, 0, 2, 3, 0, 0, 0, 0x09, 0x01, 0x03, 0x05 };
	uint8_t par[32], buf[64];
	size_t pl = enc_m3ua_param(par, sizeof par, 0x0210, pd, sizeof pd);
	size_t n0 = enc_m3ua_msg(buf, sizeof buf, 3, 3, par, pl);
	struct m3ua_info m0;
	uint64_t anom0 = 0;
	CHECK_INT(m3ua_decode(&m0, buf, n0, &anom0), WIRE_MALFORMED);
	CHECK_INT(anom0, ANOM_BIT(ANOM_M3UA_DATA_OUTSIDE_XFER));
	n0 = enc_m3ua_msg(buf, sizeof buf, 1, 2, par, pl);   /* transfer class, type 2 */
	anom0 = 0;
	CHECK_INT(m3ua_decode(&m0, buf, n0, &anom0), WIRE_MALFORMED);
	CHECK(anom0 & ANOM_BIT(ANOM_M3UA_DATA_OUTSIDE_XFER));
	/* a header-only BEAT */
	size_t n = enc_m3ua_msg(buf, sizeof buf, 3, 3, NULL, 0);
	struct m3ua_info m;
	uint64_t anom = 0;
	CHECK_INT(m3ua_decode(&m, buf, n, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(m.len, 8);
	CHECK_STR(m3ua_class_name(0), "MGMT");
	CHECK_STR(m3ua_class_name(1), "XFER");
	CHECK_STR(m3ua_class_name(2), "SSNM");
	CHECK_STR(m3ua_class_name(3), "ASPSM");
	CHECK_STR(m3ua_class_name(4), "ASPTM");
	CHECK_STR(m3ua_class_name(9), "RKM");
	CHECK_STR(m3ua_class_name(7), "?");
}

static enum wire_result dec(const uint8_t *b, size_t n, uint64_t *anom)
{
	struct m3ua_info m;
	*anom = 0;
	return m3ua_decode(&m, b, n, anom);
}

static void test_header_errors(void)
{
	uint8_t b[64];
	uint64_t anom;
	memcpy(b, hand_data, sizeof hand_data);
	b[0] = 2;
	CHECK_INT(dec(b, sizeof hand_data, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_BAD_VERSION));
	/* reserved octet is ignored (RFC 4666 3.1.1) */
	memcpy(b, hand_data, sizeof hand_data);
	b[1] = 0xff;
	CHECK_INT(dec(b, sizeof hand_data, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	/* header length 4 */
	memcpy(b, hand_data, sizeof hand_data);
	b[7] = 4;
	CHECK_INT(dec(b, sizeof hand_data, &anom), WIRE_MALFORMED);
	/* trailing bytes after the announced length */
	memcpy(b, hand_data, sizeof hand_data);
	b[36] = 0x55;
	b[37] = 0x66;
	struct m3ua_info m;
	anom = 0;
	CHECK_INT(m3ua_decode(&m, b, 38, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_TRAILING_BYTES));
	CHECK_INT(m.upd.len, 3);
	/* every prefix: TRUNCATED or MALFORMED, never past the end (ASan) */
	for (size_t n = 0; n < sizeof hand_data; n++) {
		uint8_t *cp = malloc(n ? n : 1);
		memcpy(cp, hand_data, n);
		enum wire_result r = dec(cp, n, &anom);
		CHECK(r == WIRE_TRUNCATED || r == WIRE_MALFORMED);
		CHECK(anom & ANOM_BIT(ANOM_TRUNCATED));
		free(cp);
	}
	/* prefixes with the header length fixed up: the parameters are cut */
	for (size_t n = 8; n < sizeof hand_data; n++) {
		uint8_t *cp = malloc(n);
		memcpy(cp, hand_data, n);
		cp[7] = (uint8_t)n;
		enum wire_result r = dec(cp, n, &anom);
		if (n == sizeof hand_data - 1) {
			CHECK_INT(r, WIRE_OK);                  /* only the padding is cut */
			CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_BAD_PADDING));
		} else if (n == 8 || n == 16) {
			CHECK_INT(r, WIRE_MALFORMED);           /* no protocol data */
		} else {
			CHECK_INT(r, WIRE_TRUNCATED);
		}
		free(cp);
	}
}

static void test_params(void)
{
	uint8_t p[128], b[160];
	uint64_t anom;
	size_t pl;
	struct m3ua_info m;
	/* parameter length < 4 */
	static const uint8_t short_len[] = { 0x00, 0x06, 0x00, 0x03 };
	size_t n = enc_m3ua_msg(b, sizeof b, 3, 1, short_len, 4);
	CHECK_INT(dec(b, n, &anom), WIRE_MALFORMED);
	/* parameter running past the message */
	static const uint8_t over[] = { 0x00, 0x06, 0x00, 0x10, 0, 0, 0, 1 };
	n = enc_m3ua_msg(b, sizeof b, 3, 1, over, sizeof over);
	CHECK_INT(dec(b, n, &anom), WIRE_TRUNCATED);
	CHECK_INT(anom, ANOM_BIT(ANOM_TRUNCATED));
	/* 1..3 stray octets where a parameter header should be */
	static const uint8_t stray[] = { 0x00, 0x06, 0x00, 0x08, 0, 0, 0, 1, 0, 0 };
	n = enc_m3ua_msg(b, sizeof b, 3, 1, stray, sizeof stray);
	CHECK_INT(dec(b, n, &anom), WIRE_TRUNCATED);
	/* info string of 5 octets: padding missing at the end */
	static const uint8_t nopad[] = { 0x00, 0x04, 0x00, 0x09, 'a', 'b', 'c', 'd', 'e' };
	n = enc_m3ua_msg(b, sizeof b, 3, 1, nopad, sizeof nopad);
	CHECK_INT(dec(b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_BAD_PADDING));
	/* non-zero padding */
	pl = enc_m3ua_param(p, sizeof p, 0x0004, "abcde", 5);
	p[10] = 1;
	n = enc_m3ua_msg(b, sizeof b, 3, 1, p, pl);
	CHECK_INT(dec(b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_BAD_PADDING));
	/* duplicate parameter: the first one counts */
	uint8_t v1[4] = { 0, 0, 0, 1 }, v2[4] = { 0, 0, 0, 2 };
	pl = enc_m3ua_param(p, sizeof p, 0x0006, v1, 4);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x0006, v2, 4);
	n = enc_m3ua_msg(b, sizeof b, 4, 1, p, pl);
	anom = 0;
	CHECK_INT(m3ua_decode(&m, b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_DUPLICATE_PARAM));
	CHECK_INT(m.rc, 1);
	/* unknown tag */
	pl = enc_m3ua_param(p, sizeof p, 0x7777, v1, 4);
	n = enc_m3ua_msg(b, sizeof b, 4, 1, p, pl);
	CHECK_INT(dec(b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG));
	/* wrong-sized NA / correlation id / RC */
	static const uint16_t tags[] = { 0x0200, 0x0013, 0x0006 };
	for (int i = 0; i < 3; i++) {
		pl = enc_m3ua_param(p, sizeof p, tags[i], "\0\0\0\0\0", 5);
		n = enc_m3ua_msg(b, sizeof b, 4, 1, p, pl);
		CHECK_INT(dec(b, n, &anom), WIRE_MALFORMED);
	}
}

static void test_data_errors(void)
{
	uint8_t p[128], b[160];
	uint64_t anom;
	size_t pl, n;
	struct m3ua_info m;
	/* DATA without protocol data */
	uint8_t v1[4] = { 0, 0, 0, 1 };
	pl = enc_m3ua_param(p, sizeof p, 0x0006, v1, 4);
	n = enc_m3ua_msg(b, sizeof b, 1, 1, p, pl);
	CHECK_INT(dec(b, n, &anom), WIRE_MALFORMED);
	/* protocol data shorter than its fixed part */
	pl = enc_m3ua_param(p, sizeof p, 0x0210, "\0\0\0\1\0\0\0\2\3\0\0", 11);
	n = enc_m3ua_msg(b, sizeof b, 1, 1, p, pl);
	CHECK_INT(dec(b, n, &anom), WIRE_MALFORMED);
	/* routing context list in DATA */
	uint8_t rc2[8] = { 0 };
	pl = enc_m3ua_param(p, sizeof p, 0x0006, rc2, 8);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x0210, "\0\0\0\1\0\0\0\2\3\0\0\0", 12);
	n = enc_m3ua_msg(b, sizeof b, 1, 1, p, pl);
	CHECK_INT(dec(b, n, &anom), WIRE_MALFORMED);
	/* an unknown (for DATA) parameter, e.g. info string: anomaly only */
	pl = enc_m3ua_param(p, sizeof p, 0x0004, "x", 1);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x0210, "\0\0\0\1\0\0\0\2\3\0\0\0", 12);
	n = enc_m3ua_msg(b, sizeof b, 1, 1, p, pl);
	anom = 0;
	CHECK_INT(m3ua_decode(&m, b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG));
	CHECK_INT(m.dpc, 2);
	CHECK_INT(m.si, 3);
	/* protocol data outside DATA (a DUNA): an MSU nobody would screen */
	pl = enc_m3ua_param(p, sizeof p, 0x0210, "\0\0\0\1\0\0\0\2\3\0\0\0", 12);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x0012, "\0\0\0\7", 4);
	n = enc_m3ua_msg(b, sizeof b, 2, 1, p, pl);
	anom = 0;
	CHECK_INT(m3ua_decode(&m, b, n, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, ANOM_BIT(ANOM_M3UA_DATA_OUTSIDE_XFER));
	CHECK(!m.has_pd);
}

/* More distinct tags than M3UA_MAX_PARAMS (32): all are walked; a duplicate
 * of a remembered tag is still found. */
static void test_many_params(void)
{
	uint8_t p[600], b[700];
	size_t pl = 0;
	uint8_t v[4] = { 0, 0, 0, 9 };
	for (uint16_t tag = 0x8000; tag < 0x8000 + 40; tag++)
		pl += enc_m3ua_param(p + pl, sizeof p - pl, tag, v, 4);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x0006, v, 4);     /* walked, decoded */
	size_t n = enc_m3ua_msg(b, sizeof b, 4, 1, p, pl);
	struct m3ua_info m;
	uint64_t anom = 0;
	CHECK_INT(m3ua_decode(&m, b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG));
	CHECK(m.has_rc);
	CHECK_INT(m.rc, 9);
	pl += enc_m3ua_param(p + pl, sizeof p - pl, 0x8000, v, 4);     /* duplicate of the first */
	n = enc_m3ua_msg(b, sizeof b, 4, 1, p, pl);
	anom = 0;
	CHECK_INT(m3ua_decode(&m, b, n, &anom), WIRE_OK);
	CHECK_INT(anom, ANOM_BIT(ANOM_UNKNOWN_TAG) | ANOM_BIT(ANOM_M3UA_DUPLICATE_PARAM));
}

TEST_MAIN("test_m3ua", {
	RUN(test_encoder_matches_hand);
	RUN(test_data_fields);
	RUN(test_classes);
	RUN(test_header_errors);
	RUN(test_params);
	RUN(test_data_errors);
	RUN(test_many_params);
})
