/* Red-team regression tests: encoding tricks an attacker on the interconnect
 * could use to get a forbidden MAP operation, an SRI-SM / MT forward-SM from
 * a non-allowlisted SMSC, or an undecodable MSU towards a MAP subsystem
 * through ss7fw with the shipped policies/ir71.conf. Each variant is built
 * with the test encoders and screened by the engine; most are compared with
 * their canonical twin (tests/unit/test_engine.c: test_evasions).
 * Run from the repository root (tests/run.sh does). */
#include <stdlib.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "ss7fw/ber.h"
#include "ss7fw/engine.h"
#include "ss7fw/event.h"
#include "ss7fw/wire.h"

#define IR71 "policies/ir71.conf"
#define NON_AA19 "999340077"         /* partner-a's range, not an AA.19 SMSC */

static struct engine *eng;
static struct msu msu;
static time_t clock_s = 1700000000;

static struct fw_decision screen_buf(const uint8_t *buf, size_t n)
{
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = 0,
				 .link_name = "carrier-a", .dir = FW_DIR_IN };
	struct fw_decision d;
	engine_screen(eng, buf, n, &meta, &msu, &d);
	return d;
}

static struct fw_decision screen_dir(const uint8_t *buf, size_t n, uint8_t dir)
{
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = 0,
				 .link_name = "carrier-a", .dir = dir };
	struct fw_decision d;
	engine_screen(eng, buf, n, &meta, &msu, &d);
	return d;
}

static struct fw_decision screen(const struct enc_msu *s)
{
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, s);
	CHECK(n > 0);
	return screen_buf(buf, n);
}

static bool is_drop(struct fw_decision d, const char *rule)
{
	return d.verdict == FW_DROP && !d.forward && d.rule && (!rule || !strcmp(d.rule, rule));
}

#define EXPECT_DROP(expr, name) do { struct fw_decision ex_d = (expr); \
	if (!is_drop(ex_d, name)) { \
		fprintf(stderr, "%s:%d: expected drop by %s, got verdict %d rule %s (anomalies %llx err_layer %d)\n", \
			__FILE__, __LINE__, (name) ? (name) : "any", ex_d.verdict, ex_d.rule ? ex_d.rule : "-", \
			(unsigned long long)msu.anomalies, msu.error_layer); \
		CHECK(0); } } while (0)
#define EXPECT_MALFORMED(expr) do { struct fw_decision ex_m = (expr); \
	EXPECT_DROP(ex_m, "malformed"); CHECK_INT(ex_m.reason, FW_REASON_MALFORMED); } while (0)
#define EXPECT_ALLOW(expr) do { struct fw_decision ex_a = (expr); \
	if (ex_a.verdict != FW_ALLOW || !ex_a.forward) { \
		fprintf(stderr, "%s:%d: expected allow, got verdict %d rule %s\n", __FILE__, __LINE__, \
			ex_a.verdict, ex_a.rule ? ex_a.rule : "-"); \
		CHECK(0); } } while (0)

/* ---- builders for what enc_msu has no knob for */

/* M3UA DATA + UDT (called: the home HLR, SSN cdpa_ssn; calling: cgpa, SSN 8)
 * around the given SCCP user data. */
static size_t wrap_data(uint8_t *out, size_t cap, const uint8_t *data, size_t len,
			const char *cdpa, int cdpa_ssn, const char *cgpa)
{
	struct enc_sccp sc;
	memset(&sc, 0, sizeof sc);
	sc.type = SCCP_UDT;
	sc.proto_class = 1;
	sc.return_on_error = true;
	sc.importance = -1;
	sc.cdpa = (struct enc_sccp_addr){ .route_on_gt = true, .pc = -1, .ssn = cdpa_ssn, .gti = 4,
					 .np = 1, .nai = 4, .digits = cdpa };
	sc.cgpa = (struct enc_sccp_addr){ .route_on_gt = true, .pc = -1, .ssn = 8, .gti = 4,
					 .np = 1, .nai = 4, .digits = cgpa };
	uint8_t sccp[2048];
	size_t sl = enc_sccp(sccp, sizeof sccp, &sc, data, len);
	CHECK(sl > 0);
	struct enc_m3ua_data d = { .opc = 1, .dpc = 2, .si = 3, .sls = 1 };
	return enc_m3ua_data(out, cap, &d, sccp, sl);
}

/* A TCAP message of the given type with one invoke (opcode, param). */
static size_t tcap_invoke(uint8_t *out, size_t cap, uint8_t type, const char *acn, int32_t opcode,
			  const uint8_t *param, size_t plen)
{
	static const uint8_t tid[4] = { 1, 2, 3, 4 };
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = type;
	t.abort_cause = -1;
	if (type == TCAP_BEGIN || type == TCAP_CONTINUE) {
		t.otid = tid;
		t.otid_len = 4;
	}
	if (type == TCAP_END || type == TCAP_CONTINUE) {
		t.dtid = tid;
		t.dtid_len = 4;
	}
	t.acn = acn;
	t.n_comp = 1;
	t.comp[0].type = TCAP_COMP_INVOKE;
	t.comp[0].invoke_id = 1;
	t.comp[0].has_opcode = true;
	t.comp[0].opcode = opcode;
	t.comp[0].param = param;
	t.comp[0].param_len = plen;
	return enc_tcap(out, cap, &t);
}

/* Offset and length of the M3UA Protocol Data parameter of a DATA message. */
static size_t find_pd(const uint8_t *b, size_t n, size_t *plen)
{
	size_t off = 8;
	while (off + 4 <= n) {
		size_t l = (size_t)(b[off + 2] << 8 | b[off + 3]);
		if (b[off] == 0x02 && b[off + 1] == 0x10) {
			*plen = l;
			return off;
		}
		off += (l + 3) & ~(size_t)3;
	}
	*plen = 0;
	return 0;
}

static void set_m3ua_len(uint8_t *b, size_t n)
{
	b[4] = (uint8_t)(n >> 24); b[5] = (uint8_t)(n >> 16);
	b[6] = (uint8_t)(n >> 8); b[7] = (uint8_t)n;
}

static void ati(struct enc_msu *s)
{
	enc_msu_defaults(s);
	s->opcode = 71;
}

/* ---- M3UA */

/* Two Protocol Data parameters: we read the first, a stack that takes the
 * last sees the second. Either order must not pass. */
static void test_m3ua_duplicate_pd(void)
{
	struct enc_msu s;
	uint8_t good[2048], bad[2048], out[4096];
	enc_msu_defaults(&s);
	size_t gn = enc_msu_build(good, sizeof good, &s);
	ati(&s);
	size_t bn = enc_msu_build(bad, sizeof bad, &s);
	size_t gpl, bpl;
	size_t go = find_pd(good, gn, &gpl), bo = find_pd(bad, bn, &bpl);
	CHECK(go && bo);
	for (int order = 0; order < 2; order++) {
		const uint8_t *first = order ? bad : good, *second = order ? good : bad;
		size_t fn = order ? bn : gn, so = order ? go : bo, spl = order ? gpl : bpl;
		memcpy(out, first, fn);
		size_t pad = (spl + 3) & ~(size_t)3;
		memcpy(out + fn, second + so, pad);
		set_m3ua_len(out, fn + pad);
		EXPECT_MALFORMED(screen_buf(out, fn + pad));
		CHECK(msu.anomalies & ANOM_BIT(ANOM_M3UA_DUPLICATE_PARAM));
	}
	/* a duplicate routing context is only an anomaly */
	enc_msu_defaults(&s);
	s.rc = 7;
	gn = enc_msu_build(good, sizeof good, &s);
	memcpy(out, good, 8);
	memcpy(out + 8, good + 8, 8);      /* RC parameter (first after the header) */
	memcpy(out + 16, good + 8, gn - 8);
	set_m3ua_len(out, gn + 8);
	EXPECT_ALLOW(screen_buf(out, gn + 8));
}

/* SI is 4 bits (Q.704 14.2.1): an SI octet of 0x13 is SCCP to a gateway that
 * masks it to build an MTP3 SIO. */
static void test_m3ua_si_high_bits(void)
{
	struct enc_msu s;
	uint8_t b[2048];
	ati(&s);
	size_t n = enc_msu_build(b, sizeof b, &s);
	size_t pl, o = find_pd(b, n, &pl);
	CHECK(o && b[o + 4 + 8] == 3);
	b[o + 4 + 8] = 0x13;
	EXPECT_MALFORMED(screen_buf(b, n));
	b[o + 4 + 8] = 0x05;               /* ISUP: not SCCP, passes */
	EXPECT_ALLOW(screen_buf(b, n));
}

/* A second M3UA message after the one the header announces (one SCTP
 * message holding two M3UA messages). */
static void test_m3ua_trailing_message(void)
{
	struct enc_msu s;
	uint8_t good[2048], bad[2048], out[4096];
	enc_msu_defaults(&s);
	size_t gn = enc_msu_build(good, sizeof good, &s);
	ati(&s);
	size_t bn = enc_msu_build(bad, sizeof bad, &s);
	memcpy(out, good, gn);
	memcpy(out + gn, bad, bn);
	EXPECT_DROP(screen_buf(out, gn + bn), NULL);
	/* behind a heartbeat (not DATA) */
	static const uint8_t beat[8] = { 1, 0, 3, 3, 0, 0, 0, 8 };
	memcpy(out, beat, 8);
	memcpy(out + 8, bad, bn);
	EXPECT_DROP(screen_buf(out, 8 + bn), NULL);
}

/* ---- SCCP */

/* No calling GT at all (route on SSN, PC only), GTI 2 (no NAI/NP), a
 * reserved GTI: link screening and the allowlist treat it as not allowed. */
static void test_sccp_calling_without_gt(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = NULL;                  /* route on SSN + PC */
	EXPECT_DROP(screen(&s), "ir71-link-screening");
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.cgpa_gt = NULL;
	EXPECT_DROP(screen(&s), "ir71-link-screening");
	/* reserved GTI 5 in the calling address: no digits */
	uint8_t b[2048];
	enc_msu_defaults(&s);
	size_t n = enc_msu_build(b, sizeof b, &s);
	screen_buf(b, n);
	CHECK(msu.sccp.cgpa.gti == 4);
	size_t ai = (size_t)(msu.sccp.cgpa.gt.p - b) - 5;   /* AI, SSN, TT, NP/ES, NAI */
	CHECK((b[ai] & 0x3c) == 0x10);
	b[ai] = (uint8_t)((b[ai] & ~0x3c) | (5 << 2));
	struct fw_decision d = screen_buf(b, n);
	CHECK(msu.anomalies & ANOM_BIT(ANOM_SCCP_RESERVED_GTI));
	EXPECT_DROP(d, "ir71-link-screening");
}

/* A filler or hex digit inside the calling GT does not make it an AA.19 SMSC. */
static void test_sccp_gt_digit_tricks(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = "99934000b1";
	EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
	s.cgpa_gt = s.sc_addr = "0999340001";   /* leading zero */
	EXPECT_DROP(screen(&s), "ir71-link-screening");
	/* a 0xf filler inside an AA.19 SMSC GT */
	s.cgpa_gt = s.sc_addr = "9993400f01";
	EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
	CHECK(msu.anomalies & ANOM_BIT(ANOM_BAD_DIGIT));
	/* an AA.19 SMSC GT followed by more digits than WIRE_MAX_DIGITS: the
	 * GT is capped (anomaly), the SC address (over 20 octets) undecodable */
	s.cgpa_gt = s.sc_addr = "99934000199999999999999999999999999999999999";
	EXPECT_MALFORMED(screen(&s));
	CHECK(msu.anomalies & ANOM_BIT(ANOM_TOO_MANY_DIGITS));
	/* the SC address padded with a trailing 0 is not the calling GT */
	s.cgpa_gt = ENC_PARTNER_SMSC;
	s.sc_addr = ENC_PARTNER_SMSC "0";
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
}

/* UDTS, XUDTS and LUDTS returning a Begin: a returned message, screened on
 * its SCCP part only (no TCAP stack executes a returned payload: it reaches
 * the TC-user as a notice); the payload must still decode. */
static void test_sccp_types(void)
{
	static const uint8_t types[] = { SCCP_UDTS, SCCP_XUDTS, SCCP_LUDTS };
	for (size_t i = 0; i < sizeof types; i++) {
		struct enc_msu s;
		ati(&s);
		s.sccp_type = types[i];
		EXPECT_ALLOW(screen(&s));
		CHECK(msu.returned);
		CHECK_INT(msu.tcap.comp[0].opcode, 71);
		/* its own SCCP addresses are screened: our own calling GT */
		ati(&s);
		s.sccp_type = types[i];
		s.cgpa_gt = ENC_HOME_HLR;
		EXPECT_DROP(screen(&s), "ir71-own-address");
		/* a payload that does not decode is malformed */
		ati(&s);
		s.sccp_type = types[i];
		s.imsi = "12";                    /* an IMSI of one octet: undecodable */
		EXPECT_MALFORMED(screen(&s));
	}
}

/* ---- TCAP */

/* A second TCAP message hidden after the first in the SCCP data. */
static void test_tcap_trailing_message(void)
{
	uint8_t arg[256], t1[512], t2[512], data[1024], b[2048];
	size_t al = enc_map_sri_sm_arg(arg, sizeof arg, ENC_HOME_MSISDN, true, ENC_PARTNER_SMSC);
	size_t n1 = tcap_invoke(t1, sizeof t1, TCAP_BEGIN, "0.4.0.0.1.0.20.3", 45, arg, al);
	uint8_t aarg[256];
	size_t aal = enc_map_subscriber_arg(aarg, sizeof aarg, 71, ENC_HOME_IMSI, ENC_HOME_MSISDN);
	size_t n2 = tcap_invoke(t2, sizeof t2, TCAP_BEGIN, "0.4.0.0.1.0.29.3", 71, aarg, aal);
	memcpy(data, t1, n1);
	EXPECT_ALLOW(screen_buf(b, wrap_data(b, sizeof b, data, n1, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)));
	memcpy(data + n1, t2, n2);
	EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, data, n1 + n2, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)));
	/* two end-of-contents octets (padding) are the same */
	data[n1] = data[n1 + 1] = 0;
	EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, data, n1 + 2, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)));
}

/* Invokes in Continue / End / Unidirectional are screened like in a Begin. */
static void test_tcap_invoke_in_other_messages(void)
{
	static const uint8_t types[] = { TCAP_CONTINUE, TCAP_END, TCAP_UNIDIRECTIONAL };
	for (size_t i = 0; i < sizeof types; i++) {
		struct enc_msu s;
		ati(&s);
		s.tcap_type = types[i];
		s.acn = "";
		EXPECT_DROP(screen(&s), "fs11-cat1");
		enc_msu_defaults(&s);
		s.tcap_type = types[i];
		s.acn = "";
		s.cgpa_gt = s.sc_addr = NON_AA19;
		EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
	}
}

/* Opcode encodings: a non-minimal INTEGER is the same operation; negative
 * and multi-octet opcodes are unknown operations (a stack that keeps only
 * the last octet would read ff 47 as 71), in a Begin and in a Continue. */
static void test_tcap_opcode_forms(void)
{
	uint8_t aarg[256], t[512], b[2048];
	size_t aal = enc_map_subscriber_arg(aarg, sizeof aarg, 71, ENC_HOME_IMSI, ENC_HOME_MSISDN);
	size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.29.3", 71, aarg, aal);
	uint8_t *op = memmem(t, n, "\x02\x01\x47", 3);
	CHECK(op != NULL);
	if (op) {
		/* 02 01 47 -> 02 02 00 47, every enclosing length + 1 */
		uint8_t t2[520];
		size_t k = (size_t)(op - t);
		memcpy(t2, t, k);
		memcpy(t2 + k, "\x02\x02\x00\x47", 4);
		memcpy(t2 + k + 4, t + k + 3, n - k - 3);
		/* message, component portion, invoke: short-form lengths here */
		t2[1]++;
		uint8_t *cp = memchr(t2, 0x6c, k);
		CHECK(cp != NULL);
		if (cp) {
			cp[1]++;
			cp[3]++;
			size_t bl = wrap_data(b, sizeof b, t2, n + 1, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC);
			EXPECT_DROP(screen_buf(b, bl), "fs11-cat1");
			CHECK_INT(msu.tcap.comp[0].opcode, 71);
		}
	}
	static const int32_t odd_ops[] = { -185, 327, 0x7fffffff, -1 };
	for (size_t i = 0; i < sizeof odd_ops / sizeof odd_ops[0]; i++) {
		n = tcap_invoke(t, sizeof t, TCAP_BEGIN, NULL, odd_ops[i], aarg, aal);
		size_t bl = wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC);
		EXPECT_DROP(screen_buf(b, bl), "ir71-unknown-operation");
		n = tcap_invoke(t, sizeof t, TCAP_CONTINUE, NULL, odd_ops[i], aarg, aal);
		bl = wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC);
		EXPECT_DROP(screen_buf(b, bl), "ir71-unknown-operation");
	}
}

/* Component tricks: an invoke hidden in a Reject or after a result's
 * SEQUENCE, a component portion twice, components in an Abort, a linked
 * invoke, the parameter in indefinite length. */
static void test_tcap_component_tricks(void)
{
	uint8_t aarg[256], b[2048], t[1024], ati_inv[512];
	size_t aal = enc_map_subscriber_arg(aarg, sizeof aarg, 71, ENC_HOME_IMSI, ENC_HOME_MSISDN);
	/* the ATI invoke component alone: a1 { 02 01 05, 02 01 47, arg } */
	struct enc e;
	enc_init(&e, ati_inv, sizeof ati_inv);
	size_t m = enc_ber_open(&e, 2, 1);
	enc_ber_int(&e, 0, 2, 5);
	enc_ber_int(&e, 0, 2, 71);
	enc_mem(&e, aarg, aal);
	enc_ber_close(&e, m, BER_LEN_MIN);
	size_t inv_len = e.len;
	static const uint8_t tid[4] = { 1, 2, 3, 4 };
	for (int v = 0; v < 4; v++) {
		enc_init(&e, t, sizeof t);
		size_t msg = enc_ber_open(&e, 1, v == 3 ? 7 : 2);        /* Begin, or Abort */
		enc_ber_prim(&e, 1, v == 3 ? 9 : 8, tid, 4);
		size_t cp = enc_ber_open(&e, 1, 12);
		if (v == 0) {          /* Reject { invokeID, invokeProblem 1, <invoke> } */
			size_t r = enc_ber_open(&e, 2, 4);
			enc_ber_int(&e, 0, 2, 1);
			enc_ber_int(&e, 2, 1, 1);
			enc_mem(&e, ati_inv, inv_len);
			enc_ber_close(&e, r, BER_LEN_MIN);
		} else if (v == 1) {   /* ReturnResultNotLast { id, SEQ { 71, arg }, <invoke> } */
			size_t r = enc_ber_open(&e, 2, 7);
			enc_ber_int(&e, 0, 2, 1);
			size_t sq = enc_ber_open(&e, 0, 16);
			enc_ber_int(&e, 0, 2, 45);
			enc_ber_close(&e, sq, BER_LEN_MIN);
			enc_mem(&e, ati_inv, inv_len);
			enc_ber_close(&e, r, BER_LEN_MIN);
		} else {               /* the invoke itself */
			enc_mem(&e, ati_inv, inv_len);
		}
		enc_ber_close(&e, cp, BER_LEN_MIN);
		if (v == 2) {          /* a second component portion */
			cp = enc_ber_open(&e, 1, 12);
			enc_mem(&e, ati_inv, inv_len);
			enc_ber_close(&e, cp, BER_LEN_MIN);
		}
		enc_ber_close(&e, msg, BER_LEN_MIN);
		CHECK(!e.overflow);
		size_t bl = wrap_data(b, sizeof b, t, e.len, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC);
		EXPECT_MALFORMED(screen_buf(b, bl));
	}
	/* a linked ATI invoke in a Continue */
	struct enc_tcap et;
	memset(&et, 0, sizeof et);
	et.type = TCAP_CONTINUE;
	et.abort_cause = -1;
	et.otid = et.dtid = tid;
	et.otid_len = et.dtid_len = 4;
	et.n_comp = 1;
	et.comp[0] = (struct enc_tcap_comp){ .type = TCAP_COMP_INVOKE, .invoke_id = 2, .has_linked_id = true,
					      .linked_id = 1, .has_opcode = true, .opcode = 71,
					      .param = aarg, .param_len = aal };
	size_t n = enc_tcap(t, sizeof t, &et);
	EXPECT_DROP(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)), "fs11-cat1");
	/* SRI-SM whose parameter SEQUENCE has an indefinite length: same verdicts */
	uint8_t arg[256], arg2[260];
	for (int allow = 0; allow < 2; allow++) {
		const char *gt = allow ? ENC_PARTNER_SMSC : NON_AA19;
		size_t al = enc_map_sri_sm_arg(arg, sizeof arg, ENC_HOME_MSISDN, true, gt);
		CHECK(arg[0] == 0x30 && arg[1] < 0x80);
		arg2[0] = 0x30;
		arg2[1] = 0x80;
		memcpy(arg2 + 2, arg + 2, al - 2);
		arg2[al] = arg2[al + 1] = 0;
		n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.20.3", 45, arg2, al + 2);
		struct fw_decision d = screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, gt));
		CHECK(msu.anomalies & ANOM_BIT(ANOM_INDEFINITE_LENGTH));
		if (allow)
			EXPECT_ALLOW(d);
		else
			EXPECT_DROP(d, "ir71-sri-sm-allowlist");
	}
}

/* Non-minimal identifier octets: INTEGER written as 1f 02 (high-tag form for
 * a low tag number) is illegal BER (X.690 8.1.2.2) and must not decode as
 * the INTEGER it pretends to be. */
static void test_ber_high_tag_form(void)
{
	static const uint8_t v[] = { 0x1f, 0x02, 0x01, 0x47 };
	struct cur c = { v, sizeof v };
	struct ber_tlv t;
	uint64_t anom = 0;
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
	static const uint8_t v2[] = { 0x9f, 0x80, 0x1f, 0x00 };   /* leading 0x80 octet */
	c = (struct cur){ v2, sizeof v2 };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_MALFORMED);
	static const uint8_t ok[] = { 0x9f, 0x1f, 0x00 };          /* [31]: the multi-octet form */
	c = (struct cur){ ok, sizeof ok };
	CHECK_INT(ber_next(&c, &t, &anom), WIRE_OK);
	CHECK_INT(t.tag, 31);
}

/* An ACN that does not carry the operation: the HLR may dispatch by the
 * context, we screen by the opcode. A dialogue opened in a context of
 * FS.11 category 1 operations is dropped whatever the opcode, and also
 * without components (TC handshake before the invoke). */
static void test_tcap_acn_mismatch(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);                      /* a legitimate SRI-SM ... */
	s.acn = "0.4.0.0.1.0.29.3";                /* ... in anyTimeInfoEnquiryContext */
	EXPECT_DROP(screen(&s), "fs11-cat1-context");
	CHECK(msu.anomalies & ANOM_BIT(ANOM_ACN_OPCODE_MISMATCH));
	s.acn = "0.4.0.0.1.0.5.3";                 /* locationInfoRetrievalContext */
	EXPECT_DROP(screen(&s), "fs11-cat1-context");
	s.acn = "0.4.0.0.1.0.20.2";                /* its own context, v2 */
	EXPECT_ALLOW(screen(&s));
	/* an empty Begin opening anyTimeInfoEnquiryContext */
	uint8_t t[256], b[1024];
	static const uint8_t tid[4] = { 1, 2, 3, 4 };
	struct enc_tcap et;
	memset(&et, 0, sizeof et);
	et.type = TCAP_BEGIN;
	et.abort_cause = -1;
	et.otid = tid;
	et.otid_len = 4;
	et.acn = "0.4.0.0.1.0.29.3";
	size_t n = enc_tcap(t, sizeof t, &et);
	EXPECT_DROP(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)),
		    "fs11-cat1-context");
	/* the ATI of that dialogue in a Continue */
	ati(&s);
	s.tcap_type = TCAP_CONTINUE;
	EXPECT_DROP(screen(&s), "fs11-cat1");
}

/* CAMEL (CAP) reuses MAP's opcode values: InitialDP is 0, ReleaseCall 22,
 * EventReportBCSM 24. What is CAP is decided by the dialogue (a CAP
 * application context, TS 29.078), not by the called SSN: CAP is not screened
 * as MAP on any SSN (no unknown operation, no FS.11 category 1), and a MAP
 * context, or no dialogue at all (MAP v1), makes the same opcodes MAP on
 * any SSN, 146 included. The messages of a CAP dialogue that carry no
 * dialogue portion are CAP by their transaction. */
static void test_cap_is_not_map(void)
{
	static const uint8_t arg[] = { 0x30, 0x03, 0x80, 0x01, 0x05 };
	uint8_t t[256], b[1024];
	static const int cap_ops[] = { 0, 22, 24 };
	static const int ssns[] = { 146, 6, -1 };
	for (size_t i = 0; i < sizeof cap_ops / sizeof cap_ops[0]; i++) {
		size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.50.1", cap_ops[i], arg, sizeof arg);
		struct fw_decision cd = screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, ssns[i], ENC_PARTNER_SMSC));
		if (ssns[i] == 146) {
			EXPECT_ALLOW(cd);
		} else {
			/* a CAP context to another subsystem than the gsmSCF's:
			 * how MAP would hide from MAP screening */
			EXPECT_DROP(cd, "cap-to-gsmscf-only");
		}
		CHECK_INT(msu.app, TCAP_APP_CAP);
		CHECK_INT(msu.app_src, TCAP_APP_SRC_ACN);
		CHECK_INT(msu.tcap.comp[0].map.state, MAP_NOT_DECODED);
		CHECK(!(msu.anomalies & ANOM_BIT(ANOM_MAP_UNKNOWN_OPCODE)));
	}
	/* CAP v3 context (0.4.0.0.1.21.3.50): the gsmSSF opens, the gsmSCF
	 * (core) answers with a Continue without dialogue portion, the gsmSSF
	 * continues: all CAP by the transaction, nothing MAP */
	size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.21.3.50", 0, arg, sizeof arg);
	EXPECT_ALLOW(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 146, ENC_PARTNER_SMSC)));
	CHECK_INT(msu.app, TCAP_APP_CAP);
	n = tcap_invoke(t, sizeof t, TCAP_CONTINUE, NULL, 23, arg, sizeof arg);
	EXPECT_ALLOW(screen_dir(b, wrap_data(b, sizeof b, t, n, ENC_PARTNER_SMSC, 146, ENC_HOME_HLR), FW_DIR_OUT));
	CHECK_INT(msu.app, TCAP_APP_CAP);
	CHECK_INT(msu.app_src, TCAP_APP_SRC_TRANSACTION);
	n = tcap_invoke(t, sizeof t, TCAP_CONTINUE, NULL, 22, arg, sizeof arg);
	struct fw_decision d = screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 146, ENC_PARTNER_SMSC));
	EXPECT_ALLOW(d);
	CHECK(!d.shadow);                        /* solicited: the core's Continue opened it */
	CHECK_INT(msu.app, TCAP_APP_CAP);
	CHECK_INT(msu.app_src, TCAP_APP_SRC_TRANSACTION);
	/* the same Continue in a transaction nobody saw: screened as MAP
	 * (sendRoutingInfo, FS.11 category 1) */
	static const uint8_t tid9[4] = { 9, 9, 9, 9 };
	struct enc_tcap et;
	memset(&et, 0, sizeof et);
	et.type = TCAP_CONTINUE;
	et.abort_cause = -1;
	et.otid = tid9;
	et.otid_len = 4;
	et.dtid = tid9;
	et.dtid_len = 4;
	et.n_comp = 1;
	et.comp[0] = (struct enc_tcap_comp){ .type = TCAP_COMP_INVOKE, .invoke_id = 1, .has_opcode = true,
					     .opcode = 22, .param = arg, .param_len = sizeof arg };
	n = enc_tcap(t, sizeof t, &et);
	EXPECT_DROP(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 146, ENC_PARTNER_SMSC)), "fs11-cat1");
	CHECK_INT(msu.app, TCAP_APP_MAP);
	CHECK_INT(msu.app_src, TCAP_APP_SRC_ASSUMED);
	CHECK(msu.anomalies & ANOM_BIT(ANOM_TCAP_APP_ASSUMED));
	/* anyTimeInterrogation in anyTimeInfoEnquiryContext addressed to SSN 146:
	 * the MAP context makes it MAP */
	uint8_t ati_arg[128];
	size_t al = enc_map_subscriber_arg(ati_arg, sizeof ati_arg, 71, ENC_HOME_IMSI, NULL);
	CHECK(al > 0);
	n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.29.3", 71, ati_arg, al);
	EXPECT_DROP(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 146, ENC_PARTNER_SMSC)), "fs11-cat1");
	CHECK_INT(msu.app, TCAP_APP_MAP);
	/* ... and so does no dialogue at all (MAP v1 form), on any SSN */
	n = tcap_invoke(t, sizeof t, TCAP_BEGIN, NULL, 71, ati_arg, al);
	static const int any_ssn[] = { 146, 147, 148, 251, 8 };
	for (size_t i = 0; i < sizeof any_ssn / sizeof any_ssn[0]; i++) {
		EXPECT_DROP(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, any_ssn[i], ENC_PARTNER_SMSC)),
			    "fs11-cat1");
		CHECK_INT(msu.app_src, TCAP_APP_SRC_V1);
	}
}

/* ---- MAP */

/* MAP v2 forwardSM (46) towards a mobile with noSM-RP-DA (the IMSI travels
 * in the MAP-OPEN destination reference, TS 29.002 12.9): mobile terminated,
 * so the AA.19 allowlist applies. */
static void test_map_forward_sm_no_da(void)
{
	static const char *const acns[] = { "0.4.0.0.1.0.21.2", "0.4.0.0.1.0.21.1", "" };
	for (size_t i = 0; i < 3; i++) {
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.opcode = 46;
		s.acn = acns[i];
		s.cdpa_gt = ENC_HOME_MSC;
		s.tp_mti = SMS_MTI_DELIVER;
		s.tp_addr = "9993412345";
		s.da_kind = SM_RP_NO_ADDR;
		s.oa_kind = SM_RP_SC_ADDR;
		s.cgpa_gt = s.oa = NON_AA19;
		EXPECT_DROP(screen(&s), "ir71-forward-sm-allowlist");
		CHECK_INT(msu.tcap.comp[0].map.tp.mti, SMS_MTI_DELIVER);
		/* from an AA.19 SMSC it passes */
		s.cgpa_gt = s.oa = ENC_PARTNER_SMSC;
		EXPECT_ALLOW(screen(&s));
		/* and its TP-OA is screened as an SMS-DELIVER's */
		s.tp_addr = "9991255000002";
		EXPECT_DROP(screen(&s), "ir71-open-smsc");
	}
}

/* forwardSM with SM-RP-DA left out (the SEQUENCE starts with SM-RP-OA):
 * no position tells DA from OA then, so it must not decode. */
static void test_map_forward_sm_da_absent(void)
{
	uint8_t arg[256], t[512], b[2048], ui[200], v[24];
	struct enc_sms sms = { .mti = SMS_MTI_DELIVER, .ton = 1, .npi = 1, .addr = "9993412345", .text = "hi" };
	size_t ul = enc_sms(ui, sizeof ui, &sms);
	for (int oa_kind = 0; oa_kind < 2; oa_kind++) {
		struct enc e;
		enc_init(&e, arg, sizeof arg);
		size_t m = enc_ber_open(&e, 0, 16);
		size_t vl = enc_addr_string(v, sizeof v, 1, 1, NON_AA19);
		enc_ber_prim(&e, 2, oa_kind ? 4 : 2, v, vl);   /* serviceCentreAddressOA / msisdn */
		enc_ber_prim(&e, 0, 4, ui, ul);
		enc_ber_close(&e, m, BER_LEN_MIN);
		size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.21.2", 46, arg, e.len);
		EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_MSC, 8, NON_AA19)));
	}
}

/* The SC address checks: an empty SC address or an MT forward-SM whose
 * SM-RP-OA is not an SC address is not consistent with any calling GT. */
static void test_map_consistency_edge(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.sc_addr = "";
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.oa = "";
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
	s.oa = NULL;
	s.oa_kind = SM_RP_NO_ADDR;
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
	s.oa_kind = SM_RP_MSISDN;
	s.oa = ENC_PARTNER_SMSC;
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
	/* the canonical MT forward-SM passes */
	s.oa_kind = 0;
	s.oa = NULL;
	EXPECT_ALLOW(screen(&s));
}

/* mt-forwardSM as a global opcode 0.4.0.0.1.3.44 whose SM-RP-UI is not a
 * TPDU: as undecodable as with the local opcode. */
static void test_map_global_opcode_bad_tpdu(void)
{
	uint8_t arg[256], t[512], b[2048];
	static const uint8_t ui[] = { 0x03 };     /* reserved TP-MTI */
	size_t al = enc_map_fsm_arg(arg, sizeof arg, SM_RP_IMSI, ENC_HOME_IMSI, SM_RP_SC_ADDR,
				    ENC_PARTNER_SMSC, ui, sizeof ui);
	size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.25.3", 44, arg, al);
	size_t bl = wrap_data(b, sizeof b, t, n, ENC_HOME_MSC, 8, ENC_PARTNER_SMSC);
	EXPECT_MALFORMED(screen_buf(b, bl));
	/* the same with the opcode as an OID */
	struct enc_tcap et;
	static const uint8_t tid[4] = { 1, 2, 3, 4 };
	memset(&et, 0, sizeof et);
	et.type = TCAP_BEGIN;
	et.abort_cause = -1;
	et.otid = tid;
	et.otid_len = 4;
	et.acn = "0.4.0.0.1.0.25.3";
	et.n_comp = 1;
	et.comp[0] = (struct enc_tcap_comp){ .type = TCAP_COMP_INVOKE, .invoke_id = 1, .has_opcode = true,
					      .opcode_oid = "0.4.0.0.1.3.44", .param = arg, .param_len = al };
	n = enc_tcap(t, sizeof t, &et);
	bl = wrap_data(b, sizeof b, t, n, ENC_HOME_MSC, 8, ENC_PARTNER_SMSC);
	EXPECT_MALFORMED(screen_buf(b, bl));
}

/* Constructed OCTET STRINGs (BER allows them for an implicitly tagged OCTET
 * STRING): never read as absent. */
static void test_map_constructed_strings(void)
{
	uint8_t arg[256], t[512], b[2048];
	/* SRI-SM with msisdn [0] constructed: a0 { 04 .. } */
	struct enc e;
	enc_init(&e, arg, sizeof arg);
	size_t m = enc_ber_open(&e, 0, 16);
	size_t c = enc_ber_open(&e, 2, 0);
	uint8_t v[24];
	size_t vl = enc_addr_string(v, sizeof v, 1, 1, ENC_HOME_MSISDN);
	enc_ber_prim(&e, 0, 4, v, vl);
	enc_ber_close(&e, c, BER_LEN_MIN);
	uint8_t pri = 0xff;
	enc_ber_prim(&e, 2, 1, &pri, 1);
	vl = enc_addr_string(v, sizeof v, 1, 1, ENC_PARTNER_SMSC);
	enc_ber_prim(&e, 2, 2, v, vl);
	/* and an imsi [12] constructed (optional member) */
	c = enc_ber_open(&e, 2, 12);
	uint8_t im[8];
	size_t iml = enc_tbcd(im, sizeof im, "111111111111111");
	enc_ber_prim(&e, 0, 4, im, iml);
	enc_ber_close(&e, c, BER_LEN_MIN);
	enc_ber_close(&e, m, BER_LEN_MIN);
	size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.20.3", 45, arg, e.len);
	EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)));
	/* only the optional imsi constructed: an illegal address must not hide */
	enc_init(&e, arg, sizeof arg);
	m = enc_ber_open(&e, 0, 16);
	vl = enc_addr_string(v, sizeof v, 1, 1, ENC_HOME_MSISDN);
	enc_ber_prim(&e, 2, 0, v, vl);
	enc_ber_prim(&e, 2, 1, &pri, 1);
	vl = enc_addr_string(v, sizeof v, 1, 1, ENC_PARTNER_SMSC);
	enc_ber_prim(&e, 2, 2, v, vl);
	c = enc_ber_open(&e, 2, 12);
	enc_ber_prim(&e, 0, 4, im, iml);
	enc_ber_close(&e, c, BER_LEN_MIN);
	enc_ber_close(&e, m, BER_LEN_MIN);
	n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.20.3", 45, arg, e.len);
	EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_HLR, 6, ENC_PARTNER_SMSC)));
	/* mt-forwardSM with SM-RP-UI constructed: 24 { 04 .. } */
	uint8_t ui[200];
	struct enc_sms sms = { .mti = SMS_MTI_DELIVER, .ton = 1, .npi = 1, .addr = "9993412345", .text = "hi" };
	size_t ul = enc_sms(ui, sizeof ui, &sms);
	enc_init(&e, arg, sizeof arg);
	m = enc_ber_open(&e, 0, 16);
	iml = enc_tbcd(im, sizeof im, ENC_HOME_IMSI);
	enc_ber_prim(&e, 2, 0, im, iml);
	vl = enc_addr_string(v, sizeof v, 1, 1, ENC_PARTNER_SMSC);
	enc_ber_prim(&e, 2, 4, v, vl);
	c = enc_ber_open(&e, 0, 4);
	enc_ber_prim(&e, 0, 4, ui, ul);
	enc_ber_close(&e, c, BER_LEN_MIN);
	enc_ber_close(&e, m, BER_LEN_MIN);
	n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.25.3", 44, arg, e.len);
	EXPECT_MALFORMED(screen_buf(b, wrap_data(b, sizeof b, t, n, ENC_HOME_MSC, 8, ENC_PARTNER_SMSC)));
}

/* The IR.71 2.4.1 home-number TP-OA in its other written forms. */
static void test_sms_tp_oa_forms(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_addr = "9991255000002";
	EXPECT_DROP(screen(&s), "ir71-open-smsc");
	s.tp_ton = 0;                       /* unknown TON with the 00 international prefix */
	s.tp_addr = "009991255000002";
	EXPECT_DROP(screen(&s), "ir71-open-smsc");
	s.tp_addr = "0099912550000021";     /* odd/even: the same */
	EXPECT_DROP(screen(&s), "ir71-open-smsc");
	s.tp_addr = "009993455500002";      /* a foreign number in that form passes */
	EXPECT_ALLOW(screen(&s));
	s.tp_ton = 1;                       /* international: 00 is part of the digits */
	s.tp_addr = "009991255000002";
	EXPECT_ALLOW(screen(&s));
}

/* ==== Issue 8: every MSU screened as what it is. Each bypass class and
 * each false positive, with its twin. */

/* The SCCP user data (TCAP) of the MSU s describes. */
static size_t tcap_of(const struct enc_msu *s, uint8_t *out, size_t cap)
{
	uint8_t b[4096];
	size_t n = enc_msu_build(b, sizeof b, s);
	struct msu m;
	CHECK(n > 0);
	msu_decode(&m, b, n);
	CHECK(m.sccp.present && m.sccp.data.len <= cap);
	if (!m.sccp.present || m.sccp.data.len > cap)
		return 0;
	memcpy(out, m.sccp.data.p, m.sccp.data.len);
	return m.sccp.data.len;
}

static struct enc_sccp_addr gt_addr(const char *digits, int ssn, uint8_t nai, uint8_t np)
{
	return (struct enc_sccp_addr){ .route_on_gt = true, .pc = -1, .ssn = ssn, .gti = 4, .np = np,
				       .nai = nai, .digits = digits };
}

/* M3UA DATA (OPC 1234, DPC 2345) around an SCCP message of type ty. */
static size_t wrap_sccp(uint8_t *out, size_t cap, uint8_t ty, const uint8_t *data, size_t len,
			struct enc_sccp_addr cd, struct enc_sccp_addr cg)
{
	struct enc_sccp sc;
	memset(&sc, 0, sizeof sc);
	sc.type = ty;
	sc.proto_class = 1;
	sc.return_on_error = ty == SCCP_UDT || ty == SCCP_XUDT || ty == SCCP_LUDT;
	sc.cause = 1;
	sc.importance = -1;
	sc.cdpa = cd;
	sc.cgpa = cg;
	uint8_t sccp[4096];
	size_t sl = enc_sccp(sccp, sizeof sccp, &sc, data, len);
	CHECK(sl > 0);
	struct enc_m3ua_data d = { .opc = 1234, .dpc = 2345, .si = 3, .sls = 1 };
	return enc_m3ua_data(out, cap, &d, sccp, sl);
}

/* The MSU s, its SCCP addresses replaced. */
static struct fw_decision screen_as(const struct enc_msu *s, uint8_t ty, struct enc_sccp_addr cd,
				    struct enc_sccp_addr cg)
{
	uint8_t t[2048], b[4096];
	size_t tl = tcap_of(s, t, sizeof t);
	return screen_buf(b, wrap_sccp(b, sizeof b, ty, t, tl, cd, cg));
}

/* Bypass 1: MAP behind a non-MAP SSN, in MAP v1 form (no dialogue) or
 * under an extended MAP application context, to the gsmSCF's SSN 146, an
 * unlisted SSN 251 and the HLR's 6: screened as MAP on every one. */
static void test_i8_map_behind_any_ssn(void)
{
	static const int ssns[] = { 146, 251, 6, 0 };
	for (size_t k = 0; k < sizeof ssns / sizeof ssns[0]; k++) {
		for (int form = 0; form < 2; form++) {
			struct enc_msu s;
			/* SRI-SM from a partner node that is no AA.19 SMSC */
			enc_msu_defaults(&s);
			s.cgpa_gt = s.sc_addr = NON_AA19;
			s.cdpa_ssn = ssns[k] ? ssns[k] : -1;
			s.acn = form ? "0.4.0.0.1.0.20.3.1" : "";
			EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
			CHECK_INT(msu.app, TCAP_APP_MAP);
			/* its twin from the AA.19 SMSC passes, on the same SSN */
			s.cgpa_gt = s.sc_addr = ENC_PARTNER_SMSC;
			EXPECT_ALLOW(screen(&s));
			/* ATI, PSL, sendIMSI: category 1 */
			static const int cat1[] = { 71, 83, 58 };
			static const char *const ext[] = { "0.4.0.0.1.0.29.3.1", "0.4.0.0.1.0.38.3.1", "0.4.0.0.1.0.26.2.1" };
			for (size_t i = 0; i < 3; i++) {
				enc_msu_defaults(&s);
				s.opcode = cat1[i];
				s.cdpa_ssn = ssns[k] ? ssns[k] : -1;
				s.acn = form ? ext[i] : "";
				EXPECT_DROP(screen(&s), "fs11-cat1");
			}
			/* MT forward-SM from a non-AA.19 node; its AA.19 twin passes */
			enc_msu_defaults(&s);
			s.opcode = 44;
			s.cdpa_gt = ENC_HOME_MSC;
			s.cdpa_ssn = ssns[k] ? ssns[k] : -1;
			s.acn = form ? "0.4.0.0.1.0.25.3.1" : "";
			s.cgpa_gt = s.oa = NON_AA19;
			EXPECT_DROP(screen(&s), "ir71-forward-sm-allowlist");
			s.cgpa_gt = s.oa = ENC_PARTNER_SMSC;
			EXPECT_ALLOW(screen(&s));
			/* RSDS nobody asked for */
			enc_msu_defaults(&s);
			s.opcode = 47;
			s.msisdn = "9991255000077";
			s.cdpa_ssn = ssns[k] ? ssns[k] : -1;
			s.acn = form ? "0.4.0.0.1.0.20.3.1" : "";
			EXPECT_DROP(screen(&s), "ir71-rsds-solicited");
		}
	}
	/* an application context of neither MAP nor CAP: screened as MAP */
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 71;
	s.cdpa_ssn = 146;
	s.acn = "1.2.826.0.1249.58.1.0";
	EXPECT_DROP(screen(&s), "fs11-cat1");
	CHECK_INT(msu.app, TCAP_APP_OTHER);
	CHECK(msu.anomalies & ANOM_BIT(ANOM_ACN_UNKNOWN));
}

/* Bypass 2: a parse failure never lets an MSU through, whatever the SSN:
 * an LUDT with 9 SRI-SM components (more than TCAP_MAX_COMPONENTS), data
 * that is not TCAP, broken TCAP. */
static void test_i8_parse_failure_any_ssn(void)
{
	uint8_t t[4096], b[8192];
	struct enc_sccp_addr cd = gt_addr(ENC_HOME_HLR, 146, 4, 1), cg = gt_addr(ENC_PARTNER_SMSC, 8, 4, 1);
	size_t n = enc_msu_sri_sm_begin(t, sizeof t, 9, 0x01020304);
	EXPECT_MALFORMED(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_LUDT, t, n, cd, cg)));
	CHECK(msu.anomalies & ANOM_BIT(ANOM_TOO_MANY_COMPONENTS));
	/* the same with 8 components: screened, and legitimate */
	n = enc_msu_sri_sm_begin(t, sizeof t, 8, 0x01020304);
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_LUDT, t, n, cd, cg)));
	CHECK_INT(msu.tcap.n_components, 8);
	/* not TCAP, towards 146 and 251: malformed (no passthrough SSN in ir71.conf) */
	static const uint8_t junk[] = { 0x01, 0x02, 0x03, 0x04 };
	static const int ssns[] = { 146, 251, 6 };
	for (size_t i = 0; i < 3; i++) {
		cd.ssn = ssns[i];
		EXPECT_MALFORMED(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, junk, sizeof junk, cd, cg)));
		/* broken TCAP: a Begin cut short */
		EXPECT_MALFORMED(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, 20, cd, cg)));
	}
}

/* Bypass 3: numbers in every format are compared in their international
 * form (home.cc 999): the called GT of the open SMSC 999777001, a home
 * MSISDN as TP-OA, our own GTs, partners' GTs and SMSCs. */
static void test_i8_number_formats(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	struct enc_sccp_addr cg = gt_addr(ENC_PARTNER_SMSC, 8, 4, 1);
	/* called GT of the open SMSC: national (NAI 3), unknown with the
	 * trunk prefix, unknown with the international prefix, E.214 numbering */
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("777001", 8, 3, 1), cg), "ir71-open-smsc");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("0777001", 8, 0, 1), cg), "ir71-open-smsc");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("00999777001", 8, 0, 1), cg), "ir71-open-smsc");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("999777001", 8, 4, 7), cg), "ir71-open-smsc");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("777001", 8, 3, 7), cg), "ir71-open-smsc");
	/* twins: another national number, and the home MSC in national form */
	EXPECT_ALLOW(screen_as(&s, SCCP_UDT, gt_addr("777002", 8, 3, 1), cg));
	EXPECT_ALLOW(screen_as(&s, SCCP_UDT, gt_addr("125510001", 8, 3, 1), cg));
	/* TP-OA of a home subscriber: national, unknown + trunk prefix, unknown
	 * + international prefix, international */
	static const struct { uint8_t ton; const char *oa; bool home; } oa[] = {
		{ 2, "1255000002", true }, { 0, "01255000002", true }, { 0, "009991255000002", true },
		{ 1, "9991255000002", true }, { 0, "9991255000002", true },
		{ 2, "3455500002", false }, { 0, "03455500002", false }, { 1, "9993455500002", false },
	};
	for (size_t i = 0; i < sizeof oa / sizeof oa[0]; i++) {
		enc_msu_defaults(&s);
		s.opcode = 44;
		s.cdpa_gt = ENC_HOME_MSC;
		s.tp_ton = oa[i].ton;
		s.tp_addr = oa[i].oa;
		if (oa[i].home)
			EXPECT_DROP(screen(&s), "ir71-open-smsc");
		else
			EXPECT_ALLOW(screen(&s));
	}
	/* our own SMSC as the calling GT, national: own address */
	enc_msu_defaults(&s);
	struct enc_sccp_addr hlr = gt_addr(ENC_HOME_HLR, 6, 4, 1);
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("1255000100", 8, 3, 1)), "ir71-own-address");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("01255000100", 8, 0, 1)), "ir71-own-address");
	/* the AA.19 SMSC in national form: allowlisted and consistent with
	 * the SC address 999340001 (no false positive) */
	EXPECT_ALLOW(screen_as(&s, SCCP_UDT, hlr, gt_addr("340001", 8, 3, 1)));
	EXPECT_ALLOW(screen_as(&s, SCCP_UDT, hlr, gt_addr("0340001", 8, 0, 1)));
	EXPECT_ALLOW(screen_as(&s, SCCP_UDT, hlr, gt_addr("00999340001", 8, 0, 1)));
	/* a national number of the partner's range that is no AA.19 SMSC */
	s.sc_addr = NON_AA19;
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("340077", 8, 3, 1)), "ir71-sri-sm-allowlist");
	/* link screening: a national GT of partner-a passes, of another network not */
	s.sc_addr = ENC_PARTNER_SMSC;
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("56000001", 8, 3, 1)), "ir71-link-screening");
	/* a subscriber-format or E.212 calling GT has no international reading:
	 * no allowlist admits it (link screening, AA.19 lists) */
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("340001", 8, 1, 1)), "ir71-link-screening");
	EXPECT_DROP(screen_as(&s, SCCP_UDT, hlr, gt_addr("999340001", 8, 4, 6)), "ir71-link-screening");
	/* the record keeps the wire digits and adds the canonical ones */
	uint8_t t[2048], b[4096];
	size_t tl = tcap_of(&s, t, sizeof t);
	size_t n = wrap_sccp(b, sizeof b, SCCP_UDT, t, tl, hlr, gt_addr("340001", 8, 3, 1));
	EXPECT_ALLOW(screen_buf(b, n));
	char line[4096];
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = 0, .link_name = "carrier-a" };
	struct fw_decision d = { .verdict = FW_ALLOW, .forward = true };
	CHECK(event_json(line, sizeof line, &msu, &meta, &d) > 0);
	CHECK(strstr(line, "\"nai\":3,\"digits\":\"340001\",\"e164\":\"999340001\"}") != NULL);
}

/* Bypass 4: an AA.19 list names exact GTs: 999340001 does not admit
 * 9993400015. */
static void test_i8_exact_entries(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = "9993400015";
	EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.oa = "9993400015";
	EXPECT_DROP(screen(&s), "ir71-forward-sm-allowlist");
	enc_msu_defaults(&s);
	EXPECT_ALLOW(screen(&s));                /* 999340001 itself */
	s.cgpa_gt = s.sc_addr = "999340002";
	EXPECT_ALLOW(screen(&s));
}

/* Bypass 5: M3UA messages of undefined classes and types, and Protocol Data
 * outside DATA, are dropped and counted; defined ones are relayed. */
static void test_i8_m3ua_types(void)
{
	uint8_t b[256], par[64];
	static const uint8_t pd[16] = { 0, 0, 0x04, 0xd2, 0, 0, 0x09, 0x29, 3, 0, 0, 1, 0x09, 0x81, 0x03, 0x05 };
	size_t pl = enc_m3ua_param(par, sizeof par, 0x0210, pd, sizeof pd);
	EXPECT_MALFORMED(screen_buf(b, enc_m3ua_msg(b, sizeof b, 1, 2, par, pl)));
	CHECK(msu.anomalies & ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG));
	EXPECT_MALFORMED(screen_buf(b, enc_m3ua_msg(b, sizeof b, 3, 3, par, pl)));  /* a BEAT with an MSU */
	CHECK(msu.anomalies & ANOM_BIT(ANOM_M3UA_DATA_OUTSIDE_XFER));
	static const uint8_t undef[][2] = { { 5, 1 }, { 6, 1 }, { 7, 1 }, { 8, 1 }, { 10, 1 }, { 200, 1 },
					    { 255, 1 }, { 3, 7 }, { 9, 7 }, { 1, 0 }, { 0, 2 } };
	for (size_t i = 0; i < sizeof undef / sizeof undef[0]; i++) {
		EXPECT_MALFORMED(screen_buf(b, enc_m3ua_msg(b, sizeof b, undef[i][0], undef[i][1], NULL, 0)));
		CHECK_INT(msu.anomalies, ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG));
	}
	/* a DUNA without its affected point code */
	EXPECT_MALFORMED(screen_buf(b, enc_m3ua_msg(b, sizeof b, 2, 1, NULL, 0)));
	CHECK_INT(msu.anomalies, ANOM_BIT(ANOM_M3UA_MISSING_PARAM));
	/* twins: BEAT, ASPUP, a DUNA with its point code */
	EXPECT_ALLOW(screen_buf(b, enc_m3ua_msg(b, sizeof b, 3, 3, NULL, 0)));
	EXPECT_ALLOW(screen_buf(b, enc_m3ua_msg(b, sizeof b, 3, 1, NULL, 0)));
	pl = enc_m3ua_param(par, sizeof par, 0x0012, "\0\0\x04\xd2", 4);
	EXPECT_ALLOW(screen_buf(b, enc_m3ua_msg(b, sizeof b, 2, 1, par, pl)));
	/* policy.m3ua_unknown = "relay_management": unknown types of the
	 * management classes pass, transfer and unknown classes never */
	const char *path = "build/test_evasion_m3ua.conf";
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("policy = { m3ua_unknown = \"relay_management\"; };\n"
	      "rules = ( { name = \"m\"; check = \"malformed\"; action = \"drop\"; } );\n", f);
	fclose(f);
	struct engine *e2 = engine_new();
	CHECK_INT(engine_load(e2, path, stderr), 0);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = -1, .dir = FW_DIR_IN };
	struct fw_decision d;
	size_t n = enc_m3ua_msg(b, sizeof b, 3, 7, NULL, 0);
	engine_screen(e2, b, n, &meta, &msu, &d);
	CHECK(d.forward && d.verdict == FW_ALLOW);
	n = enc_m3ua_msg(b, sizeof b, 9, 7, NULL, 0);
	engine_screen(e2, b, n, &meta, &msu, &d);
	CHECK(d.forward && d.verdict == FW_ALLOW);
	n = enc_m3ua_msg(b, sizeof b, 5, 1, NULL, 0);
	engine_screen(e2, b, n, &meta, &msu, &d);
	CHECK(!d.forward && d.reason == FW_REASON_MALFORMED);
	n = enc_m3ua_msg(b, sizeof b, 1, 2, NULL, 0);
	engine_screen(e2, b, n, &meta, &msu, &d);
	CHECK(!d.forward && d.reason == FW_REASON_MALFORMED);
	engine_free(e2);
	remove(path);
}

/* False positive 6: own_address looks only at the fields that name the
 * sender. alertServiceCentre carries our own SMSC by design; a UDTS
 * returning our own outbound SRI-SM carries our SC address in its payload. */
static void test_i8_own_address_fp(void)
{
	uint8_t arg[64], t[1024], b[2048];
	struct enc e;
	enc_init(&e, arg, sizeof arg);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	uint8_t a[24];
	size_t l = enc_addr_string(a, sizeof a, 1, 1, ENC_HOME_MSISDN);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, a, l);
	l = enc_addr_string(a, sizeof a, 1, 1, "9991255000100");      /* our SMSC */
	enc_ber_prim(&e, BER_UNIVERSAL, 4, a, l);
	enc_ber_close(&e, m, BER_LEN_MIN);
	size_t n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.23.2", 64, arg, e.len);
	struct enc_sccp_addr smsc = gt_addr("9991255000100", 8, 4, 1), phlr = gt_addr("99934000010", 6, 4, 1);
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, smsc, phlr)));
	CHECK_INT(msu.tcap.comp[0].map.state, MAP_DECODED);
	/* ... but from our own HLR's GT it is a spoof */
	EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, smsc, gt_addr(ENC_HOME_HLR, 6, 4, 1))),
		    "ir71-own-address");
	/* our SRI-SM to partner-a's HLR, returned by the carrier's STP */
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.msisdn = "99934555000001";
	s.sc_addr = "9991255000100";
	static const uint8_t types[] = { SCCP_UDTS, SCCP_XUDTS, SCCP_LUDTS };
	for (size_t i = 0; i < 3; i++) {
		EXPECT_ALLOW(screen_as(&s, types[i], smsc, gt_addr("99934000010", 6, 4, 1)));
		CHECK(msu.returned);
	}
	/* twin: the same SRI-SM as a fresh UDT from the carrier is a spoof */
	EXPECT_DROP(screen_as(&s, SCCP_UDT, gt_addr("99934000010", 6, 4, 1), smsc), "ir71-own-address");
	/* updateLocation from partner-a's VLR names its own VLR and MSC: a
	 * roaming registration; naming one of ours (any of vlr-Number,
	 * msc-Number), it is a spoof */
	enc_msu_defaults(&s);
	s.opcode = 2;
	s.cgpa_gt = "99934100001";
	EXPECT_ALLOW(screen(&s));
	CHECK(msu.tcap.comp[0].map.vlr.present);
	for (int which = 0; which < 2; which++) {
		enc_init(&e, arg, sizeof arg);
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		l = enc_tbcd(a, sizeof a, ENC_HOME_IMSI);
		enc_ber_prim(&e, BER_UNIVERSAL, 4, a, l);
		l = enc_addr_string(a, sizeof a, 1, 1, which ? ENC_HOME_MSC : "99934100002");
		enc_ber_prim(&e, BER_CONTEXT, 1, a, l);                   /* msc-Number */
		l = enc_addr_string(a, sizeof a, 1, 1, which ? "99934100001" : "1255100001");
		a[0] = which ? 0x91 : 0xa1;                               /* vlr-Number national when ours */
		enc_ber_prim(&e, BER_UNIVERSAL, 4, a, l);
		enc_ber_close(&e, m, BER_LEN_MIN);
		n = tcap_invoke(t, sizeof t, TCAP_BEGIN, "0.4.0.0.1.0.1.3", 2, arg, e.len);
		EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, gt_addr(ENC_HOME_HLR, 6, 4, 1),
						    gt_addr("99934100001", 7, 4, 1))), "ir71-own-address");
	}
}

/* False positive 7: SCCP management routed on point code + SSN (no GT) is
 * screened by the scmg check, not by link screening. */
static void test_i8_scmg(void)
{
	uint8_t b[256];
	struct enc_sccp_addr cd = { .route_on_gt = false, .pc = 2345, .ssn = 1, .gti = 0 };
	struct enc_sccp_addr cg = { .route_on_gt = false, .pc = 1234, .ssn = 1, .gti = 0 };
	/* SST of our HLR (PC 2345, SSN 6), SSA/SSP of the carrier's own node */
	static const uint8_t sst[] = { 3, 6, 0x29, 0x09, 0 }, ssa[] = { 1, 6, 0xd2, 0x04, 0 },
			     ssp[] = { 2, 6, 0xd2, 0x04, 0 }, ssp_home[] = { 2, 6, 0x29, 0x09, 0 },
			     sst_other[] = { 3, 6, 0xd2, 0x04, 0 }, bad[] = { 9, 6, 0x29, 0x09, 0 };
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, sst, sizeof sst, cd, cg)));
	CHECK(msu.scmg.present);
	CHECK_INT(msu.scmg.affected_pc, 2345);
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, ssa, sizeof ssa, cd, cg)));
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, ssp, sizeof ssp, cd, cg)));
	/* a carrier announcing our HLR prohibited, or testing someone else's */
	EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, ssp_home, sizeof ssp_home, cd, cg)), "ir71-scmg");
	EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, sst_other, sizeof sst_other, cd, cg)), "ir71-scmg");
	/* not SCMG format */
	EXPECT_MALFORMED(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, bad, sizeof bad, cd, cg)));
	CHECK(msu.anomalies & ANOM_BIT(ANOM_SCMG_BAD));
	/* MAP behind SSN 1 is MAP */
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 71;
	s.cdpa_ssn = 1;
	EXPECT_DROP(screen(&s), "fs11-cat1");
}

/* False positive 8: an XUDT whose segmentation parameter says first and
 * only segment (remaining 0) is a whole message. */
static void test_i8_single_segment(void)
{
	uint8_t t[2048], b[4096];
	struct enc_msu s;
	enc_msu_defaults(&s);
	size_t tl = tcap_of(&s, t, sizeof t);
	struct enc_sccp sc;
	memset(&sc, 0, sizeof sc);
	sc.type = SCCP_XUDT;
	sc.proto_class = 1;
	sc.importance = -1;
	sc.cdpa = gt_addr(ENC_HOME_HLR, 6, 4, 1);
	sc.cgpa = gt_addr(ENC_PARTNER_SMSC, 8, 4, 1);
	sc.segmentation = true;
	sc.seg_first = true;
	sc.seg_remaining = 0;
	sc.seg_ref = 42;
	uint8_t sccp[4096];
	size_t sl = enc_sccp(sccp, sizeof sccp, &sc, t, tl);
	struct enc_m3ua_data d = { .opc = 1234, .dpc = 2345, .si = 3, .sls = 1 };
	size_t n = enc_m3ua_data(b, sizeof b, &d, sccp, sl);
	EXPECT_ALLOW(screen_buf(b, n));
	CHECK(msu.tcap.present);
	CHECK_INT(msu.tcap.comp[0].opcode, 45);
	/* its twin from a non-AA.19 node is screened and dropped */
	s.cgpa_gt = s.sc_addr = NON_AA19;
	tl = tcap_of(&s, t, sizeof t);
	sc.cgpa = gt_addr(NON_AA19, 8, 4, 1);
	sl = enc_sccp(sccp, sizeof sccp, &sc, t, tl);
	EXPECT_DROP(screen_buf(b, enc_m3ua_data(b, sizeof b, &d, sccp, sl)), "ir71-sri-sm-allowlist");
}

/* A Begin with an SRI-SM whose MSISDN and SC address have the given types
 * of number; returns the TCAP message's length in t. */
static size_t sri_sm_ton(uint8_t *t, size_t cap, uint8_t msisdn_ton, const char *msisdn, uint8_t sc_ton,
			 const char *sc)
{
	uint8_t arg[128], a[24];
	struct enc e;
	enc_init(&e, arg, sizeof arg);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	size_t l = enc_addr_string(a, sizeof a, msisdn_ton, 1, msisdn);
	enc_ber_prim(&e, BER_CONTEXT, 0, a, l);
	enc_ber_prim(&e, BER_CONTEXT, 1, "\xff", 1);
	l = enc_addr_string(a, sizeof a, sc_ton, 1, sc);
	enc_ber_prim(&e, BER_CONTEXT, 2, a, l);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return tcap_invoke(t, cap, TCAP_BEGIN, "0.4.0.0.1.0.20.3", 45, arg, e.len);
}

/* The correlation keys and the remaining checks use the canonical forms:
 * an RSDS for an MSISDN in international form follows an SRI-SM for it in
 * national form from the same SMSC (its GT national too); an SC address in
 * national form equal to the calling GT is consistent, another is not; our
 * own SMSC as an SC address with TON unknown and the trunk prefix is ours. */
static void test_i8_canonical_correlation(void)
{
	uint8_t t[1024], b[2048];
	struct enc_sccp_addr hlr = gt_addr(ENC_HOME_HLR, 6, 4, 1), smsc = gt_addr(ENC_PARTNER_SMSC, 8, 4, 1);
	size_t n = sri_sm_ton(t, sizeof t, 2, "1255000088", 2, "340001");
	EXPECT_ALLOW(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, hlr, gt_addr("340001", 8, 3, 1))));
	CHECK_INT(msu.tcap.comp[0].map.msisdn.ton, 2);
	/* the RSDS, all international */
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 47;
	s.msisdn = "9991255000088";
	EXPECT_ALLOW(screen(&s));
	/* its twin for another MSISDN is unsolicited */
	s.msisdn = "9991255000089";
	EXPECT_DROP(screen(&s), "ir71-rsds-solicited");
	n = sri_sm_ton(t, sizeof t, 1, "9991255000088", 2, "340002");
	EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, hlr, smsc)), "ir71-map-sccp-consistency");
	n = sri_sm_ton(t, sizeof t, 1, "9991255000088", 0, "01255000100");
	EXPECT_DROP(screen_buf(b, wrap_sccp(b, sizeof b, SCCP_UDT, t, n, hlr, smsc)), "ir71-own-address");
	/* the illegal address 111111, written as an international number */
	enc_msu_defaults(&s);
	s.sc_addr = "111111";
	EXPECT_DROP(screen(&s), "ir71-illegal-content");
}

TEST_MAIN("test_evasion", {
	eng = engine_new();
	if (engine_load(eng, IR71, stderr) != 0)
		fprintf(stderr, "cannot load %s\n", IR71);
	RUN(test_m3ua_duplicate_pd);
	RUN(test_m3ua_si_high_bits);
	RUN(test_m3ua_trailing_message);
	RUN(test_sccp_calling_without_gt);
	RUN(test_sccp_gt_digit_tricks);
	RUN(test_sccp_types);
	RUN(test_tcap_trailing_message);
	RUN(test_tcap_invoke_in_other_messages);
	RUN(test_tcap_opcode_forms);
	RUN(test_tcap_component_tricks);
	RUN(test_ber_high_tag_form);
	RUN(test_tcap_acn_mismatch);
	RUN(test_cap_is_not_map);
	RUN(test_map_forward_sm_no_da);
	RUN(test_map_forward_sm_da_absent);
	RUN(test_map_consistency_edge);
	RUN(test_map_global_opcode_bad_tpdu);
	RUN(test_map_constructed_strings);
	RUN(test_sms_tp_oa_forms);
	RUN(test_i8_map_behind_any_ssn);
	RUN(test_i8_parse_failure_any_ssn);
	RUN(test_i8_number_formats);
	RUN(test_i8_exact_entries);
	RUN(test_i8_m3ua_types);
	RUN(test_i8_own_address_fp);
	RUN(test_i8_scmg);
	RUN(test_i8_single_segment);
	RUN(test_i8_canonical_correlation);
	engine_free(eng);
})
