/* msu_decode: the layers composed (M3UA -> SCCP -> TCAP -> MAP), where each
 * stops, what is kept, and to_map_ssn. */
#include <stdlib.h>

#include "harness.h"
#include "enc/enc-msu.h"
#include "ss7fw/wire.h"

static const uint8_t otid[4] = { 0x0a, 0x0b, 0x0c, 0x0d };

/* A TCAP Begin carrying one SRI-SM invoke (invoke id 1, opcode 45). */
static size_t sri_sm_tcap(uint8_t *out, size_t cap)
{
	static uint8_t arg[128];
	size_t al = enc_map_sri_sm_arg(arg, sizeof arg, ENC_HOME_MSISDN, true, ENC_PARTNER_SMSC);
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = TCAP_BEGIN;
	t.otid = otid;
	t.otid_len = sizeof otid;
	t.acn = "0.4.0.0.1.0.20.3";
	t.dialogue = TCAP_DLG_AARQ;
	t.abort_cause = -1;
	t.n_comp = 1;
	t.comp[0].type = TCAP_COMP_INVOKE;
	t.comp[0].invoke_id = 1;
	t.comp[0].has_opcode = true;
	t.comp[0].opcode = 45;
	t.comp[0].param = arg;
	t.comp[0].param_len = al;
	return enc_tcap(out, cap, &t);
}

static void party(struct enc_sccp_addr *a, int ssn, const char *digits)
{
	memset(a, 0, sizeof *a);
	a->route_on_gt = true;
	a->pc = -1;
	a->ssn = ssn;
	a->gti = 4;
	a->np = 1;
	a->nai = 4;
	a->digits = digits;
}

static void sccp_base(struct enc_sccp *s, uint8_t type, int cdpa_ssn)
{
	memset(s, 0, sizeof *s);
	s->type = type;
	s->proto_class = 1;
	s->return_on_error = true;
	s->importance = -1;
	party(&s->cdpa, cdpa_ssn, ENC_HOME_HLR);
	party(&s->cgpa, 8, ENC_PARTNER_SMSC);
}

static const struct enc_m3ua_data m3d = { .opc = 1234, .dpc = 2345, .si = 3, .sls = 5,
					  .has_rc = true, .rc = 100 };

/* M3UA DATA around SCCP s around data. */
static size_t build(uint8_t *out, size_t cap, const struct enc_sccp *s, const uint8_t *data, size_t len)
{
	uint8_t sccp[1024];
	size_t n = enc_sccp(sccp, sizeof sccp, s, data, len);
	if (!n)
		return 0;
	return enc_m3ua_data(out, cap, &m3d, sccp, n);
}

static void test_full_msu(void)
{
	uint8_t tc[512], b[1024];
	size_t tl = sri_sm_tcap(tc, sizeof tc);
	CHECK(tl > 20);
	struct enc_sccp s;
	sccp_base(&s, SCCP_UDT, 6);
	size_t n = build(b, sizeof b, &s, tc, tl);
	CHECK(n > tl);
	struct msu m;
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.error_layer, LAYER_NONE);
	CHECK_INT(m.error, WIRE_OK);
	CHECK_INT(m.anomalies, 0);
	CHECK(m.m3ua.present && m.m3ua.has_pd && m.m3ua.has_rc);
	CHECK_INT(m.m3ua.rc, 100);
	CHECK_INT(m.m3ua.opc, 1234);
	CHECK_INT(m.m3ua.dpc, 2345);
	CHECK_INT(m.m3ua.sls, 5);
	CHECK(m.sccp.present);
	CHECK_INT(m.sccp.type, SCCP_UDT);
	CHECK_INT(m.sccp.cdpa.ssn, 6);
	CHECK_INT(m.sccp.cgpa.ssn, 8);
	char d[64];
	digits_to_str(&m.sccp.cdpa.gt, d, sizeof d);
	CHECK_STR(d, ENC_HOME_HLR);
	digits_to_str(&m.sccp.cgpa.gt, d, sizeof d);
	CHECK_STR(d, ENC_PARTNER_SMSC);
	CHECK(m.to_map_ssn);
	CHECK_INT(m.sccp.data.len, tl);
	CHECK_MEM(m.sccp.data.p, tc, tl);
	CHECK(m.tcap.present);
	CHECK_INT(m.tcap.type, TCAP_BEGIN);
	CHECK_INT(m.tcap.otid.len, 4);
	CHECK(m.tcap.acn_is_map);
	CHECK_INT(m.tcap.acn_ac, 20);
	CHECK_INT(m.tcap.n_components, 1);
	CHECK_INT(m.tcap.comp[0].type, TCAP_COMP_INVOKE);
	CHECK_INT(m.tcap.comp[0].opcode, 45);
	CHECK_INT(m.tcap.comp[0].map.state, MAP_DECODED);
	CHECK(m.tcap.comp[0].map.msisdn.present);
	digits_to_str(&m.tcap.comp[0].map.msisdn.d, d, sizeof d);
	CHECK_STR(d, ENC_HOME_MSISDN);
	/* every prefix fails in M3UA, never reading past it (ASan) */
	for (size_t k = 0; k < n; k++) {
		uint8_t *cp = malloc(k ? k : 1);
		memcpy(cp, b, k);
		CHECK(msu_decode(&m, cp, k) != WIRE_OK);
		CHECK_INT(m.error_layer, LAYER_M3UA);
		free(cp);
	}
	/* every prefix of the SCCP message, wrapped in a whole M3UA DATA */
	uint8_t sc[1024];
	size_t sl = enc_sccp(sc, sizeof sc, &s, tc, tl);
	for (size_t k = 0; k < sl; k++) {
		size_t wl = enc_m3ua_data(b, sizeof b, &m3d, sc, k);
		uint8_t *cp = malloc(wl);
		memcpy(cp, b, wl);
		CHECK(msu_decode(&m, cp, wl) != WIRE_OK);
		CHECK_INT(m.error_layer, LAYER_SCCP);
		CHECK(m.m3ua.present);
		free(cp);
	}
	/* every prefix of the TCAP message inside whole SCCP and M3UA */
	for (size_t k = 0; k < tl; k++) {
		uint8_t *cp = malloc(tl);
		memcpy(cp, tc, k);
		size_t wl = build(b, sizeof b, &s, cp, k);
		CHECK(msu_decode(&m, b, wl) != WIRE_OK);
		CHECK_INT(m.error_layer, LAYER_TCAP);
		CHECK(m.sccp.present);
		free(cp);
	}
}

static void test_scenario_builder(void)
{
	struct enc_msu e;
	enc_msu_defaults(&e);
	uint8_t b[1024];
	size_t n = enc_msu_build(b, sizeof b, &e);
	CHECK(n > 0);
	struct msu m;
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.error_layer, LAYER_NONE);
	CHECK_INT(m.tcap.comp[0].opcode, 45);
	CHECK(m.to_map_ssn);
	/* reverse pointers, segmented (a first XUDT segment still has TCAP) */
	e.reverse_pointers = true;
	e.segmented = true;
	n = enc_msu_build(b, sizeof b, &e);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.sccp.type, SCCP_XUDT);
	CHECK(m.anomalies & ANOM_BIT(ANOM_SCCP_POINTER_ORDER));
	CHECK(m.anomalies & ANOM_BIT(ANOM_SEGMENTED));
	CHECK(m.tcap.present);
}

static void test_not_sccp_and_not_data(void)
{
	uint8_t b[256];
	static const uint8_t isup[] = { 0x01, 0x00, 0x01, 0x00 };
	struct enc_m3ua_data d = m3d;
	d.si = 5;
	size_t n = enc_m3ua_data(b, sizeof b, &d, isup, sizeof isup);
	struct msu m;
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.error_layer, LAYER_NONE);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_SCCP));
	CHECK(m.m3ua.present);
	CHECK_INT(m.m3ua.si, 5);
	CHECK(!m.sccp.present && !m.tcap.present);
	CHECK(!m.to_map_ssn);
	/* ASPSM BEAT: no SCCP, no error, no anomaly */
	n = enc_m3ua_msg(b, sizeof b, 3, 3, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.anomalies, 0);
	CHECK(m.m3ua.present && !m.sccp.present);
	CHECK_INT(m.m3ua.msg_class, 3);
	/* unknown class: relayed as is, anomaly only */
	n = enc_m3ua_msg(b, sizeof b, 7, 1, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_UNKNOWN_TAG));
	/* M3UA failure */
	b[0] = 9;
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.error_layer, LAYER_M3UA);
	CHECK_INT(m.error, WIRE_MALFORMED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_M3UA_BAD_VERSION));
}

static void test_sccp_errors(void)
{
	uint8_t b[256];
	struct msu m;
	/* connection-oriented: unsupported at SCCP, conservatively to MAP */
	static const uint8_t cr[] = { SCCP_CR, 0x01, 0x02, 0x03, 0x02, 0x02, 0x00 };
	size_t n = enc_m3ua_data(b, sizeof b, &m3d, cr, sizeof cr);
	CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
	CHECK_INT(m.error_layer, LAYER_SCCP);
	CHECK_INT(m.error, WIRE_UNSUPPORTED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_SCCP_CONNECTION_ORIENTED));
	CHECK(m.to_map_ssn);
	CHECK(m.m3ua.has_pd);
	/* empty user data */
	n = enc_m3ua_data(b, sizeof b, &m3d, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_TRUNCATED);
	CHECK_INT(m.error_layer, LAYER_SCCP);
	/* a bad calling address: the called one is kept */
	struct enc_sccp s;
	sccp_base(&s, SCCP_UDT, 7);
	s.cgpa.gti = 0;                              /* GT routing without a GT */
	n = build(b, sizeof b, &s, (const uint8_t *)"\x62\x00", 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.error_layer, LAYER_SCCP);
	CHECK_INT(m.sccp.cdpa.ssn, 7);
	CHECK(m.to_map_ssn);
}

static void test_not_tcap_and_ssn(void)
{
	uint8_t b[256];
	struct msu m;
	struct enc_sccp s;
	static const uint8_t junk[] = { 0x01, 0x02, 0x03 };
	static const int map_ssn[] = { 5, 6, 7, 8, 9, 10, 145, 147, 148, 149, 150 };
	for (size_t i = 0; i < sizeof map_ssn / sizeof map_ssn[0]; i++) {
		sccp_base(&s, SCCP_UDT, map_ssn[i]);
		size_t n = build(b, sizeof b, &s, junk, sizeof junk);
		CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
		CHECK_INT(m.error_layer, LAYER_TCAP);
		CHECK_INT(m.error, WIRE_MALFORMED);
		CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
		CHECK(m.to_map_ssn);
		CHECK(!m.tcap.present);
	}
	static const int other_ssn[] = { 1, 3, 4, 11, 146, 254 };
	for (size_t i = 0; i < sizeof other_ssn / sizeof other_ssn[0]; i++) {
		sccp_base(&s, SCCP_UDT, other_ssn[i]);
		size_t n = build(b, sizeof b, &s, junk, sizeof junk);
		CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
		CHECK_INT(m.error_layer, LAYER_TCAP);
		CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
		CHECK(!m.to_map_ssn);
	}
	/* absent called SSN counts as MAP */
	sccp_base(&s, SCCP_UDT, -1);
	size_t n = build(b, sizeof b, &s, junk, sizeof junk);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK(m.to_map_ssn);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NO_CALLED_SSN) | ANOM_BIT(ANOM_NOT_TCAP));
	/* empty data */
	sccp_base(&s, SCCP_UDT, 6);
	n = build(b, sizeof b, &s, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
	/* ANSI TCAP (private tags) is not ITU TCAP */
	n = build(b, sizeof b, &s, (const uint8_t *)"\xe2\x00", 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
}

static void test_segments_and_services(void)
{
	uint8_t tc[512], b[1024];
	size_t tl = sri_sm_tcap(tc, sizeof tc);
	struct msu m;
	struct enc_sccp s;
	/* a non-first segment: no TCAP start, no error */
	sccp_base(&s, SCCP_XUDT, 6);
	s.segmentation = true;
	s.seg_first = false;
	s.seg_remaining = 0;
	s.seg_ref = 77;
	size_t n = build(b, sizeof b, &s, tc + 10, tl - 10);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.error_layer, LAYER_NONE);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_SEGMENTED));
	CHECK(m.sccp.present && !m.tcap.present);
	CHECK_INT(m.sccp.seg_ref, 77);
	/* the first segment is decoded down to TCAP */
	s.seg_first = true;
	s.seg_remaining = 1;
	n = build(b, sizeof b, &s, tc, tl);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK(m.tcap.present);
	CHECK_INT(m.tcap.comp[0].opcode, 45);
	/* service messages carry the returned data: decoded too */
	static const uint8_t types[] = { SCCP_UDTS, SCCP_XUDTS, SCCP_LUDT, SCCP_LUDTS };
	for (size_t i = 0; i < sizeof types; i++) {
		sccp_base(&s, types[i], 6);
		s.cause = 1;
		n = build(b, sizeof b, &s, tc, tl);
		CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
		CHECK_INT(m.sccp.type, types[i]);
		CHECK(m.tcap.present);
		CHECK_INT(m.tcap.n_components, 1);
	}
}

/* A MAP failure is reported at LAYER_MAP after every component was tried. */
static void test_map_failure(void)
{
	static uint8_t arg[128];
	size_t al = enc_map_sri_sm_arg(arg, sizeof arg, ENC_HOME_MSISDN, true, ENC_PARTNER_SMSC);
	static const uint8_t bad[] = { 0x04, 0x01, 0x00 };  /* not the SRI-SM SEQUENCE */
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = TCAP_BEGIN;
	t.otid = otid;
	t.otid_len = sizeof otid;
	t.acn = "0.4.0.0.1.0.20.3";
	t.dialogue = TCAP_DLG_AARQ;
	t.abort_cause = -1;
	t.n_comp = 2;
	for (int i = 0; i < 2; i++) {
		t.comp[i].type = TCAP_COMP_INVOKE;
		t.comp[i].invoke_id = i + 1;
		t.comp[i].has_opcode = true;
		t.comp[i].opcode = 45;
	}
	t.comp[0].param = bad;
	t.comp[0].param_len = sizeof bad;
	t.comp[1].param = arg;
	t.comp[1].param_len = al;
	uint8_t tc[512], b[1024];
	size_t tl = enc_tcap(tc, sizeof tc, &t);
	CHECK(tl > 0);
	struct enc_sccp s;
	sccp_base(&s, SCCP_UDT, 6);
	size_t n = build(b, sizeof b, &s, tc, tl);
	struct msu m;
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.error_layer, LAYER_MAP);
	CHECK_INT(m.error, WIRE_MALFORMED);
	CHECK(m.anomalies & ANOM_BIT(ANOM_MAP_UNDECODED));
	CHECK(m.anomalies & ANOM_BIT(ANOM_MULTI_COMPONENT));
	CHECK_INT(m.tcap.n_components, 2);
	CHECK_INT(m.tcap.comp[0].map.state, MAP_DECODE_FAILED);
	CHECK_INT(m.tcap.comp[1].map.state, MAP_DECODED);
}

TEST_MAIN("test_msu", {
	RUN(test_full_msu);
	RUN(test_scenario_builder);
	RUN(test_not_sccp_and_not_data);
	RUN(test_sccp_errors);
	RUN(test_not_tcap_and_ssn);
	RUN(test_segments_and_services);
	RUN(test_map_failure);
})
