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
	CHECK_INT(m.app, TCAP_APP_MAP);
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
	CHECK_INT(m.app, TCAP_APP_MAP);
	CHECK_INT(m.app_src, TCAP_APP_SRC_ACN);
	/* reverse pointers, segmented: a segment is not decoded above SCCP
	 * (the caller reassembles), but a first-and-only one is whole */
	e.reverse_pointers = true;
	e.segmented = true;
	n = enc_msu_build(b, sizeof b, &e);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.sccp.type, SCCP_XUDT);
	CHECK(m.anomalies & ANOM_BIT(ANOM_SCCP_POINTER_ORDER));
	CHECK(m.anomalies & ANOM_BIT(ANOM_SEGMENTED));
	CHECK(msu_segmented(&m) == !(m.sccp.seg_first && m.sccp.seg_remaining == 0));
	CHECK(m.tcap.present == !msu_segmented(&m));
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
	CHECK_INT(m.app, TCAP_APP_NONE);
	/* ASPSM BEAT: no SCCP, no error, no anomaly */
	n = enc_m3ua_msg(b, sizeof b, 3, 3, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.anomalies, 0);
	CHECK(m.m3ua.present && !m.sccp.present);
	CHECK_INT(m.m3ua.msg_class, 3);
	/* unknown class: decoded, named (the policy drops it) */
	n = enc_m3ua_msg(b, sizeof b, 7, 1, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG));
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
}

/* SCCP user data that is not TCAP is UNSUPPORTED at LAYER_TCAP on every SSN
 * (the policy decides by policy.passthrough_ssn); TCAP is decoded on every
 * SSN; data to SSN 1 is SCCP management. */
static void test_not_tcap_and_ssn(void)
{
	uint8_t b[256];
	struct msu m;
	struct enc_sccp s;
	static const uint8_t junk[] = { 0x01, 0x02, 0x03 };
	static const int ssns[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 145, 146, 147, 148, 149, 150, 254 };
	for (size_t i = 0; i < sizeof ssns / sizeof ssns[0]; i++) {
		sccp_base(&s, SCCP_UDT, ssns[i]);
		size_t n = build(b, sizeof b, &s, junk, sizeof junk);
		CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
		CHECK_INT(m.error_layer, LAYER_TCAP);
		CHECK_INT(m.error, WIRE_UNSUPPORTED);
		CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
		CHECK_INT(m.app, TCAP_APP_NONE);
		CHECK(!m.tcap.present);
		/* TCAP is TCAP whatever the SSN: a MAP v1 Begin */
		n = build(b, sizeof b, &s, (const uint8_t *)"\x62\x06\x48\x04\x01\x02\x03\x04", 8);
		CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
		CHECK_INT(m.app, TCAP_APP_MAP);
		CHECK_INT(m.app_src, TCAP_APP_SRC_V1);
	}
	/* SSN 1: SCCP management, junk is SCMG_BAD */
	sccp_base(&s, SCCP_UDT, 1);
	size_t n = build(b, sizeof b, &s, junk, sizeof junk);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.error_layer, LAYER_TCAP);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_SCMG_BAD));
	CHECK(!m.scmg.present);
	/* absent called SSN */
	sccp_base(&s, SCCP_UDT, -1);
	n = build(b, sizeof b, &s, junk, sizeof junk);
	CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NO_CALLED_SSN) | ANOM_BIT(ANOM_NOT_TCAP));
	/* empty data */
	sccp_base(&s, SCCP_UDT, 6);
	n = build(b, sizeof b, &s, NULL, 0);
	CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
	/* ANSI TCAP (private tags) is not ITU TCAP */
	n = build(b, sizeof b, &s, (const uint8_t *)"\xe2\x00", 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_UNSUPPORTED);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_NOT_TCAP));
	/* an ITU tag of no message type is broken TCAP */
	n = build(b, sizeof b, &s, (const uint8_t *)"\x63\x00", 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	CHECK_INT(m.error_layer, LAYER_TCAP);
}

/* Q.713 5.3: the SCCP management messages, each type, and the broken ones. */
static void test_scmg(void)
{
	uint8_t b[256];
	struct msu m;
	struct enc_sccp s;
	sccp_base(&s, SCCP_UDT, 1);
	s.proto_class = 0;
	for (uint8_t ty = 1; ty <= 6; ty++) {
		/* affected SSN 6, PC 0x1234 & 0x3fff (low octet first), SMI 1; SSC: level 5 */
		uint8_t d[6] = { ty, 6, 0x34, 0x12 | 0xc0, 0x01, 0x05 };
		size_t n = build(b, sizeof b, &s, d, ty == 6 ? 6 : 5);
		CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
		CHECK(m.scmg.present);
		CHECK_INT(m.scmg.type, ty);
		CHECK_INT(m.scmg.affected_ssn, 6);
		CHECK_INT(m.scmg.affected_pc, 0x1234);
		CHECK_INT(m.scmg.smi, 1);
		CHECK_INT(m.scmg.has_congestion, ty == 6);
		CHECK_INT(m.scmg.congestion, ty == 6 ? 5 : 0);
		CHECK_STR(scmg_type_name(ty), ((const char *[]){ "", "SSA", "SSP", "SST", "SOR", "SOG", "SSC" })[ty]);
		/* one octet short, one too many */
		n = build(b, sizeof b, &s, d, ty == 6 ? 5 : 4);
		CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
		CHECK(m.anomalies & ANOM_BIT(ANOM_SCMG_BAD));
		uint8_t d7[7] = { ty, 6, 0x34, 0x12, 0x01, 0x05, 0x00 };
		n = build(b, sizeof b, &s, d7, ty == 6 ? 7 : 6);
		CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
	}
	/* unknown type 7, type 0; SSC with congestion level 0 or 9 */
	static const uint8_t bad[][6] = { { 7, 6, 0, 0, 0, 0 }, { 0, 6, 0, 0, 0, 0 },
					  { 6, 6, 0, 0, 0, 0 }, { 6, 6, 0, 0, 0, 9 } };
	for (size_t i = 0; i < 4; i++) {
		size_t n = build(b, sizeof b, &s, bad[i], bad[i][0] == 6 ? 6 : 5);
		CHECK_INT(msu_decode(&m, b, n), WIRE_MALFORMED);
		CHECK(!m.scmg.present);
	}
}

/* The application of a TCAP message from its application context name. */
static void test_acn_app(void)
{
	static const struct { const uint8_t o[10]; size_t n; uint8_t app; } v[] = {
		{ { 4, 0, 0, 1, 0, 20, 3 }, 7, TCAP_APP_MAP },       /* shortMsgGateway v3 */
		{ { 4, 0, 0, 1, 0, 20, 3, 1 }, 8, TCAP_APP_MAP },    /* extended MAP form */
		{ { 4, 0, 0, 1, 0, 0x81, 0x00, 3 }, 8, TCAP_APP_MAP }, /* multi-octet arc */
		{ { 4, 0, 0, 1, 0, 50, 1 }, 7, TCAP_APP_CAP },       /* CAP v2 gsmSSF-to-gsmSCF */
		{ { 4, 0, 0, 1, 0, 51, 1 }, 7, TCAP_APP_CAP },
		{ { 4, 0, 0, 1, 0, 52, 1 }, 7, TCAP_APP_CAP },
		{ { 4, 0, 0, 1, 0, 49, 1 }, 7, TCAP_APP_MAP },
		{ { 4, 0, 0, 1, 0, 53, 1 }, 7, TCAP_APP_MAP },
		{ { 4, 0, 0, 1, 21, 3, 50 }, 7, TCAP_APP_CAP },      /* CAP v3 */
		{ { 4, 0, 0, 1, 22, 3, 61 }, 7, TCAP_APP_CAP },      /* CAP v4 SMS */
		{ { 4, 0, 0, 1, 23, 3, 4 }, 7, TCAP_APP_OTHER },
		{ { 4, 0, 1, 1, 1, 1 }, 6, TCAP_APP_OTHER },         /* ETSI INAP */
		{ { 4, 0, 0, 1 }, 4, TCAP_APP_OTHER },
		{ { 0x2a, 3 }, 2, TCAP_APP_OTHER },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct bytes o = { v[i].o, v[i].n };
		CHECK_INT(tcap_acn_app(o), v[i].app);
	}
	CHECK_STR(tcap_app_name(TCAP_APP_CAP), "cap");
	CHECK_STR(cap_op_name(0), "initialDP");
	CHECK_INT(cap_op_by_name("EventReportBCSM"), 24);
	CHECK(cap_op_name(1) == NULL);
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
	CHECK(msu_segmented(&m));
	/* the first of two is not decoded above SCCP either (its TCAP is cut) */
	s.seg_first = true;
	s.seg_remaining = 1;
	n = build(b, sizeof b, &s, tc, tl / 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK(!m.tcap.present);
	CHECK(msu_segmented(&m));
	/* first and only (Q.713 3.17, remaining 0): a whole message */
	s.seg_remaining = 0;
	n = build(b, sizeof b, &s, tc, tl);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK(!msu_segmented(&m));
	CHECK(m.tcap.present);
	CHECK_INT(m.tcap.comp[0].opcode, 45);
	/* the reassembled data of the segments, decoded on the first's SCCP view */
	s.seg_remaining = 1;
	n = build(b, sizeof b, &s, tc, tl / 2);
	CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
	CHECK_INT(msu_decode_upper(&m, (struct bytes){ tc, tl }, NULL), WIRE_OK);
	CHECK(m.tcap.present);
	CHECK_INT(m.tcap.comp[0].opcode, 45);
	CHECK_INT(m.app, TCAP_APP_MAP);
	/* service messages carry the returned data: decoded too, marked returned */
	static const uint8_t types[] = { SCCP_UDTS, SCCP_XUDTS, SCCP_LUDT, SCCP_LUDTS };
	for (size_t i = 0; i < sizeof types; i++) {
		sccp_base(&s, types[i], 6);
		s.cause = 1;
		n = build(b, sizeof b, &s, tc, tl);
		CHECK_INT(msu_decode(&m, b, n), WIRE_OK);
		CHECK_INT(m.sccp.type, types[i]);
		CHECK(m.tcap.present);
		CHECK_INT(m.tcap.n_components, 1);
		CHECK_INT(m.returned, types[i] != SCCP_LUDT);
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
	RUN(test_scmg);
	RUN(test_acn_app);
	RUN(test_segments_and_services);
	RUN(test_map_failure);
})
