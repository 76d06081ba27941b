/* Engine tests on encoder-built MSUs (tests/enc/enc-msu.h) screened with the
 * shipped policies/ir71.conf: every check with an allow and a drop case,
 * correlation state, counters, shadow, reload, non-DATA, link lookup.
 * Run from the repository root (tests/run.sh does). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "metric.h"
#include "ss7fw/engine.h"
#include "ss7fw/wire.h"

#define IR71 "policies/ir71.conf"

static struct engine *eng;
static struct msu msu;
static time_t clock_s = 1700000000;

static struct engine *fresh(const char *path)
{
	struct engine *e = engine_new();
	if (engine_load(e, path, stderr) != 0)
		fprintf(stderr, "cannot load %s\n", path);
	return e;
}

static struct fw_decision screen_dir(struct engine *e, const struct enc_msu *s, uint8_t dir)
{
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, s);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = 0, .link_name = "carrier-a", .dir = dir };
	struct fw_decision d;
	engine_screen(e, buf, n, &meta, &msu, &d);
	return d;
}

static struct fw_decision screen(const struct enc_msu *s) { return screen_dir(eng, s, FW_DIR_IN); }

/* Value of one Prometheus sample ("name{labels}"), -1 if absent. */
static long long metric(struct engine *e, const char *sample) { return test_metric(e, sample); }

/* Each evaluates its decision expression once. */
#define EXPECT_ALLOW(expr) do { struct fw_decision ex_d = (expr); CHECK_INT(ex_d.verdict, FW_ALLOW); \
	CHECK(ex_d.forward); CHECK(ex_d.rule == NULL); } while (0)
#define EXPECT_DROP(expr, name) do { struct fw_decision ex_d = (expr); CHECK_INT(ex_d.verdict, FW_DROP); \
	CHECK(!ex_d.forward); CHECK(!ex_d.shadow); CHECK_STR(ex_d.rule, name); CHECK(ex_d.log); } while (0)

static void test_legit_sri_sm(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	struct fw_decision d = screen(&s);
	EXPECT_ALLOW(d);
	CHECK_INT(d.reason, FW_REASON_NONE);
	CHECK(!d.log);
	CHECK(msu.tcap.present);
}

static void test_sri_sm_allowlist(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = "999340099";           /* partner-a's range, not an AA.19 SMSC */
	s.sc_addr = "999340099";
	EXPECT_DROP(screen(&s), "ir71-sri-sm-allowlist");
	s.cgpa_gt = s.sc_addr = "999340002"; /* the second AA.19 SMSC of the list file */
	EXPECT_ALLOW(screen(&s));
}

static void test_link_screening(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = "99956000001";   /* partner-b's GT on partner-a's link */
	EXPECT_DROP(screen(&s), "ir71-link-screening");
}

static void test_own_address(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = "9991255000100";       /* our own SMSC, from a carrier */
	s.sc_addr = "9991255000100";
	EXPECT_DROP(screen(&s), "ir71-own-address");
	enc_msu_defaults(&s);
	s.sc_addr = "9991255000100";       /* only the MAP SC address is ours */
	EXPECT_DROP(screen(&s), "ir71-own-address");
}

static void test_fs11_cat1(void)
{
	static const int ops[] = { 71, 22, 58, 62, 65, 83, 24, 9 };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.opcode = ops[i];
		s.cgpa_gt = ENC_PARTNER_SMSC;
		struct fw_decision d = screen(&s);
		EXPECT_DROP(d, "fs11-cat1");
		if (d.verdict != FW_DROP)
			fprintf(stderr, "  opcode %d\n", ops[i]);
	}
	/* updateLocation is roaming traffic, not category 1 */
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 2;
	s.cgpa_gt = "99934000007";
	EXPECT_ALLOW(screen(&s));
}

static void test_forward_sm_allowlist(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	EXPECT_ALLOW(screen(&s));
	s.cgpa_gt = "999340077";
	s.oa = "999340077";
	EXPECT_DROP(screen(&s), "ir71-forward-sm-allowlist");
	/* MAP v2 forwardSM (46) towards a mobile: SM-RP-DA is an IMSI */
	enc_msu_defaults(&s);
	s.opcode = 46;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_mti = SMS_MTI_DELIVER;
	s.da_kind = SM_RP_IMSI;
	s.oa_kind = SM_RP_SC_ADDR;
	s.cgpa_gt = s.oa = "999340077";
	s.acn = "0.4.0.0.1.0.21.2";
	s.tp_addr = "9993412345";
	EXPECT_DROP(screen(&s), "ir71-forward-sm-allowlist");
	s.cgpa_gt = s.oa = ENC_PARTNER_SMSC;
	EXPECT_ALLOW(screen(&s));
	/* mo-forwardSM (SM-RP-DA an SC address) is not MT: allowed from a partner MSC */
	enc_msu_defaults(&s);
	s.opcode = 46;
	s.cgpa_gt = "99934000555";
	s.cdpa_gt = "9991255000100";
	s.sc_addr = "9991255000100";
	s.da = "9991255000100";
	struct fw_decision d = screen(&s);
	CHECK_INT(d.verdict, FW_ALLOW);
}

static void test_map_sccp_consistency(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.sc_addr = "999340002";           /* an AA.19 SMSC, not the calling GT */
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.oa = "999340002";
	EXPECT_DROP(screen(&s), "ir71-map-sccp-consistency");
}

static void test_rsds_solicited(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu rsds;
	enc_msu_defaults(&rsds);
	rsds.opcode = 47;
	rsds.msisdn = "9991255000077";
	EXPECT_DROP(screen_dir(e, &rsds, FW_DIR_IN), "ir71-rsds-solicited");
	struct enc_msu sri;
	enc_msu_defaults(&sri);
	sri.msisdn = "9991255000077";
	EXPECT_ALLOW(screen_dir(e, &sri, FW_DIR_IN));
	clock_s += 599;
	EXPECT_ALLOW(screen_dir(e, &rsds, FW_DIR_IN));
	/* another MSISDN was never asked for */
	rsds.msisdn = "9991255000078";
	EXPECT_DROP(screen_dir(e, &rsds, FW_DIR_IN), "ir71-rsds-solicited");
	/* the window (600 s) expires */
	rsds.msisdn = "9991255000077";
	clock_s += 2;
	EXPECT_DROP(screen_dir(e, &rsds, FW_DIR_IN), "ir71-rsds-solicited");
	/* an SRI-SM that was dropped does not open the window */
	sri.cgpa_gt = sri.sc_addr = "999340099";
	sri.msisdn = "9991255000079";
	EXPECT_DROP(screen_dir(e, &sri, FW_DIR_IN), "ir71-sri-sm-allowlist");
	rsds.msisdn = "9991255000079";
	EXPECT_DROP(screen_dir(e, &rsds, FW_DIR_IN), "ir71-rsds-solicited");
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-rsds-solicited\"}"), 4);
	CHECK_INT(metric(e, "ss7fw_track_expired_total"), 1);
	engine_free(e);
}

static void test_open_smsc(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = "999777001";           /* a listed open SMSC (an exact entry) */
	EXPECT_DROP(screen(&s), "ir71-open-smsc");
	s.cdpa_gt = "9997770012";          /* another GT that begins like it */
	EXPECT_ALLOW(screen(&s));
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_addr = "9991255000002";       /* TP-OA: one of our own subscribers */
	EXPECT_DROP(screen(&s), "ir71-open-smsc");
	s.tp_addr = "9993455500002";
	EXPECT_ALLOW(screen(&s));
}

static void test_illegal_and_short_code(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.sc_addr = "111111";
	EXPECT_DROP(screen(&s), "ir71-illegal-content");
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_addr = "12345";
	EXPECT_DROP(screen(&s), "ir71-short-code-oa");
	s.tp_addr = "123456";
	EXPECT_ALLOW(screen(&s));
	s.tp_ton = 5;                      /* alphanumeric sender: not a short code */
	s.tp_addr = "BANK";
	EXPECT_ALLOW(screen(&s));
}

static void test_tcap_unsolicited_shadow(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu end;
	enc_msu_defaults(&end);
	end.tcap_type = TCAP_END;
	end.comp_type = TCAP_COMP_RESULT_LAST;
	end.dtid = 0x11223344;
	end.cdpa_gt = ENC_HOME_HLR;
	struct fw_decision d = screen_dir(e, &end, FW_DIR_IN);
	/* shadow rule: would drop, forwarded */
	CHECK_INT(d.verdict, FW_DROP);
	CHECK(d.shadow);
	CHECK(d.forward);
	CHECK(d.log);
	CHECK_STR(d.rule, "ir71-tcap-unsolicited");
	/* the home network opens it: out Begin from our HLR with otid 0x11223344 */
	struct enc_msu begin;
	enc_msu_defaults(&begin);
	begin.cgpa_gt = ENC_HOME_HLR;
	begin.cdpa_gt = ENC_PARTNER_SMSC;
	begin.otid = 0x11223344;
	begin.opcode = 71;                 /* out is tracked, never screened */
	EXPECT_ALLOW(screen_dir(e, &begin, FW_DIR_OUT));
	d = screen_dir(e, &end, FW_DIR_IN);
	EXPECT_ALLOW(d);
	CHECK(!d.shadow);
	/* the End closed it: a second one is unsolicited again */
	d = screen_dir(e, &end, FW_DIR_IN);
	CHECK(d.shadow);
	CHECK_INT(metric(e, "ss7fw_rule_shadow_hits_total{rule=\"ir71-tcap-unsolicited\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-tcap-unsolicited\"}"), 0);
	CHECK_INT(metric(e, "ss7fw_tcap_unsolicited_total{dir=\"in\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_shadow_total"), 2);
	CHECK_INT(metric(e, "ss7fw_link_msus_total{link=\"carrier-a\",dir=\"out\"}"), 1);
	engine_free(e);
}

static void test_malformed_segmented(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.sccp_type = SCCP_XUDT;
	s.segmented = true;
	/* a first segment of two is held (tests/unit/test_segments.c has the
	 * rest); a last segment without its first cannot be screened */
	struct fw_decision d = screen_dir(e, &s, FW_DIR_IN);
	CHECK(d.held);
	CHECK(!d.forward);
	s.seg_later = true;
	s.seg_ref = 999;
	d = screen_dir(e, &s, FW_DIR_IN);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK(!d.forward);
	CHECK(!d.held);
	CHECK_STR(d.rule, "reassembly");
	CHECK_INT(metric(e, "ss7fw_malformed_total"), 0);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_error\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"orphan\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 1);
	CHECK_INT(metric(e, "ss7fw_anomalies_total{anomaly=\"segmented\"}"), 2);
	/* truncated bytes towards the HLR never pass */
	uint8_t buf[4096];
	enc_msu_defaults(&s);
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .link = 0, .dir = FW_DIR_IN };
	for (size_t cut = 20; cut < n; cut += 7) {
		/* keep the M3UA length consistent: patch the common header */
		uint8_t b2[4096];
		memcpy(b2, buf, cut);
		b2[4] = (uint8_t)(cut >> 24); b2[5] = (uint8_t)(cut >> 16);
		b2[6] = (uint8_t)(cut >> 8); b2[7] = (uint8_t)cut;
		engine_screen(e, b2, cut, &meta, &msu, &d);
		bool sccp = msu.m3ua.has_pd && msu.m3ua.si == 3;
		CHECK(!d.forward || !sccp || d.verdict == FW_ALLOW);
		if (sccp && d.forward && msu.error_layer) {
			fprintf(stderr, "  cut %zu passed with error_layer %d\n", cut, msu.error_layer);
			CHECK(0);
		}
	}
	engine_free(e);
}

/* Point 4: every encoding variant gets the verdict of its canonical twin. */
struct variant {
	const char *name;
	void (*apply)(struct enc_msu *s);
	bool malformed;
};
static void v_global(struct enc_msu *s) { s->global_opcode = true; }
static void v_long_tid(struct enc_msu *s) { s->long_tid = true; }
static void v_pointers(struct enc_msu *s) { s->reverse_pointers = true; }
static void v_xudt(struct enc_msu *s) { s->sccp_type = SCCP_XUDT; }
static void v_ludt(struct enc_msu *s) { s->sccp_type = SCCP_LUDT; }
static void v_indef(struct enc_msu *s) { s->form = BER_LEN_INDEFINITE; }
static void v_long_len(struct enc_msu *s) { s->form = BER_LEN_LONG; }
static void v_no_ssn(struct enc_msu *s) { s->cdpa_ssn = -1; }
static void v_acn_ext(struct enc_msu *s) { s->acn = "0.4.0.0.1.0.20.3.1"; }
static void v_no_dialogue(struct enc_msu *s) { s->acn = ""; }
/* first and only segment: a whole message (issue 8, false positive 8) */
static void v_segmented(struct enc_msu *s) { s->sccp_type = SCCP_XUDT; s->segmented = true; s->seg_only = true; }

static void test_evasions(void)
{
	static const struct variant v[] = {
		{ "global_opcode", v_global, false }, { "long_tid", v_long_tid, false },
		{ "reverse_pointers", v_pointers, false }, { "xudt", v_xudt, false },
		{ "ludt", v_ludt, false }, { "indefinite", v_indef, false },
		{ "long_form", v_long_len, false }, { "no_called_ssn", v_no_ssn, false },
		{ "acn_extended", v_acn_ext, false }, { "no_dialogue", v_no_dialogue, false },
		{ "segmented", v_segmented, false },
	};
	/* twins: a legitimate SRI-SM, an ATI, an SRI-SM from a non-AA.19 GT,
	 * an MT-forwardSM from a non-AA.19 GT */
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		for (int twin = 0; twin < 4; twin++) {
			struct enc_msu s;
			enc_msu_defaults(&s);
			if (twin == 1)
				s.opcode = 71;
			if (twin == 2)
				s.cgpa_gt = s.sc_addr = "999340099";
			if (twin == 3) {
				s.opcode = 44;
				s.cdpa_gt = ENC_HOME_MSC;
				s.cgpa_gt = s.oa = "999340077";
			}
			struct fw_decision canon = screen(&s);
			v[i].apply(&s);
			struct fw_decision d = screen(&s);
			bool ok;
			if (v[i].malformed)
				ok = d.verdict == FW_DROP && d.reason == FW_REASON_MALFORMED && !d.forward;
			else
				ok = d.verdict == canon.verdict && d.forward == canon.forward &&
				     ((!d.rule && !canon.rule) || (d.rule && canon.rule && !strcmp(d.rule, canon.rule)));
			if (!ok) {
				fprintf(stderr, "  variant %s twin %d: verdict %d rule %s (canonical %d %s) anomalies %llx err %d\n",
					v[i].name, twin, d.verdict, d.rule ? d.rule : "-", canon.verdict,
					canon.rule ? canon.rule : "-", (unsigned long long)msu.anomalies, msu.error_layer);
				CHECK(ok);
			}
		}
	}
}

/* A second component hiding behind an allowed one: strictest verdict wins. */
static void test_hidden_component(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.n_extra = 1;
	s.extra_opcode[0] = 71;
	EXPECT_DROP(screen(&s), "fs11-cat1");
	s.extra_opcode[0] = 45;            /* two legitimate SRI-SMs */
	EXPECT_ALLOW(screen(&s));
	s.n_extra = 3;
	s.extra_opcode[0] = 45;
	s.extra_opcode[1] = 45;
	s.extra_opcode[2] = 58;            /* sendIMSI behind three SRI-SMs */
	EXPECT_DROP(screen(&s), "fs11-cat1");
}

static void test_non_data(void)
{
	struct engine *e = fresh(IR71);
	/* ASPUP: version 1, class 3 (ASPSM), type 1, length 8 */
	static const uint8_t aspup[8] = { 1, 0, 3, 1, 0, 0, 0, 8 };
	struct msu_meta meta = { .ts = { clock_s, 0 }, .link = 0, .dir = FW_DIR_IN };
	struct fw_decision d;
	engine_screen(e, aspup, sizeof aspup, &meta, &msu, &d);
	CHECK_INT(d.verdict, FW_ALLOW);
	CHECK(d.forward);
	CHECK(!d.log);
	CHECK_INT(metric(e, "ss7fw_non_data_total"), 1);
	CHECK_INT(metric(e, "ss7fw_link_msus_total{link=\"carrier-a\",dir=\"in\"}"), 1);
	/* garbage that is not even M3UA is dropped as malformed */
	static const uint8_t junk[8] = { 7, 0, 1, 1, 0, 0, 0, 8 };
	engine_screen(e, junk, sizeof junk, &meta, &msu, &d);
	CHECK(!d.forward);
	CHECK_INT(d.reason, FW_REASON_MALFORMED);
	engine_free(e);
}

static void test_out_is_tracked_only(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 71;
	s.cgpa_gt = ENC_HOME_HLR;
	struct fw_decision d = screen_dir(eng, &s, FW_DIR_OUT);
	EXPECT_ALLOW(d);
}

static const char *write_tmp(const char *text, char *path)
{
	strcpy(path, "/tmp/ss7fw-test-XXXXXX.conf");
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_reload_and_shadow(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu ati;
	enc_msu_defaults(&ati);
	ati.opcode = 71;
	EXPECT_DROP(screen_dir(e, &ati, FW_DIR_IN), "fs11-cat1");
	/* a broken file: file:line in the message, the old policy keeps deciding */
	char bad[64], good[64];
	write_tmp("policy = { mode = \"enforce\"; };\nrules = (\n  { name = \"x\"; action = \"dro\"; check = \"fs11_cat1\"; }\n);\n", bad);
	char *msg = NULL;
	size_t mlen = 0;
	FILE *err = open_memstream(&msg, &mlen);
	CHECK_INT(engine_load(e, bad, err), -1);
	fclose(err);
	char want[128];
	snprintf(want, sizeof want, "%s:3: rule 'x': action must be", bad);
	CHECK(msg && strstr(msg, want) != NULL);
	if (msg && !strstr(msg, want))
		fprintf(stderr, "  got: %s", msg);
	free(msg);
	EXPECT_DROP(screen_dir(e, &ati, FW_DIR_IN), "fs11-cat1");
	/* a syntax error: libconfig's line */
	char syn[64];
	write_tmp("policy = {\n  mode = \"enforce\"\n  default = ;\n};\n", syn);
	msg = NULL;
	err = open_memstream(&msg, &mlen);
	CHECK_INT(engine_load(e, syn, err), -1);
	fclose(err);
	snprintf(want, sizeof want, "%s:3: ", syn);
	CHECK(msg && strstr(msg, want) == msg);
	free(msg);
	CHECK_INT(metric(e, "ss7fw_policy_reloads_total{result=\"failed\"}"), 2);
	/* the same rules in global shadow: would drop, forwarded; counters carry on */
	write_tmp("policy = { mode = \"shadow\"; };\nrules = (\n  { name = \"fs11-cat1\"; check = \"fs11_cat1\"; action = \"drop\"; }\n);\n", good);
	CHECK_INT(engine_load(e, good, stderr), 0);
	struct fw_decision d = screen_dir(e, &ati, FW_DIR_IN);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK(d.shadow);
	CHECK(d.forward);
	CHECK(d.log);
	CHECK_STR(d.rule, "fs11-cat1");
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"fs11-cat1\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_rule_shadow_hits_total{rule=\"fs11-cat1\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"rule\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"drop\"}"), 3);
	CHECK_INT(metric(e, "ss7fw_policy_reloads_total{result=\"ok\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_policy_shadow_mode"), 1);
	/* links and settings stay those of the first load */
	CHECK_INT(engine_n_links(e), 1);
	CHECK_STR(engine_link(e, 0)->name, "carrier-a");
	unlink(bad);
	unlink(syn);
	unlink(good);
	engine_free(e);
}

/* Prometheus text of e without the lines that depend on when it was loaded. */
static char *metrics_text(struct engine *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	engine_metrics_prom(e, f);
	fclose(f);
	char *w = buf;
	for (char *line = buf; line && *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (strncmp(line, "ss7fw_policy_last_reload_timestamp_seconds ", 43)) {
			memmove(w, line, n);
			w += n;
		}
		line = nl ? nl + 1 : NULL;
	}
	*w = 0;
	return buf;
}

/* engine_set_shadow (ss7fw run --shadow) on an enforcing policy gives exactly
 * the decisions and counters of the same policy with mode = "shadow". */
static void test_shadow_override(void)
{
	static const char rules[] =
		"links = ( { name = \"carrier-a\";\n"
		"  carrier = { transport = \"tcp\"; mode = \"listen\"; local = [ \"127.0.0.1:2905\" ]; };\n"
		"  core = { transport = \"tcp\"; mode = \"connect\"; remote = [ \"127.0.0.1:2906\" ]; }; } );\n"
		"rules = (\n"
		"  { name = \"fs11-cat1\"; check = \"fs11_cat1\"; action = \"drop\"; },\n"
		"  { name = \"foreign-gt\"; action = \"drop\"; match = { cgpa_gt = [ \"44\" ]; }; },\n"
		"  { name = \"unsolicited\"; check = \"tcap_unsolicited\"; action = \"drop\"; shadow = true; }\n"
		");\n";
	char enf[64], shd[64], text[1024];
	snprintf(text, sizeof text, "policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"drop\"; };\n%s", rules);
	write_tmp(text, enf);
	snprintf(text, sizeof text, "policy = { mode = \"shadow\"; default = \"allow\"; malformed = \"drop\"; };\n%s", rules);
	write_tmp(text, shd);
	struct engine *over = fresh(enf), *mode = fresh(shd);
	CHECK_INT(metric(over, "ss7fw_policy_shadow_mode"), 0);
	engine_set_shadow(over, true);
	CHECK(engine_shadow(over));
	CHECK(engine_shadow(mode));
	struct enc_msu m[5];
	for (int i = 0; i < 5; i++)
		enc_msu_defaults(&m[i]);
	m[0].opcode = 71;                       /* fs11-cat1 */
	m[1].cgpa_gt = "4477009999";            /* foreign-gt */
	m[1].sc_addr = "4477009999";
	m[3].sccp_type = SCCP_XUDT;             /* a segment without its first */
	m[3].segmented = true;
	m[3].seg_later = true;
	m[4].tcap_type = TCAP_END;              /* unsolicited (a shadow rule anyway) */
	m[4].comp_type = TCAP_COMP_RESULT_LAST;
	m[4].dtid = 0x55667788;
	m[4].cdpa_gt = ENC_HOME_HLR;
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5; i++) {
			struct fw_decision a = screen_dir(over, &m[i], FW_DIR_IN);
			struct fw_decision b = screen_dir(mode, &m[i], FW_DIR_IN);
			CHECK_INT(a.verdict, b.verdict);
			CHECK_INT(a.shadow, b.shadow);
			CHECK_INT(a.forward, b.forward);
			CHECK_INT(a.reason, b.reason);
			CHECK_INT(a.log, b.log);
			CHECK(a.forward);
			CHECK((a.rule == NULL && b.rule == NULL) || (a.rule && b.rule && !strcmp(a.rule, b.rule)));
		}
		/* the override survives a reload of the enforcing file */
		CHECK_INT(engine_load(over, enf, stderr), 0);
		CHECK_INT(engine_load(mode, shd, stderr), 0);
	}
	CHECK_INT(metric(over, "ss7fw_shadow_total"), 8);
	CHECK_INT(metric(over, "ss7fw_rule_shadow_hits_total{rule=\"fs11-cat1\"}"), 2);
	CHECK_INT(metric(over, "ss7fw_rule_hits_total{rule=\"fs11-cat1\"}"), 0);
	CHECK_INT(metric(over, "ss7fw_rule_shadow_hits_total{rule=\"foreign-gt\"}"), 2);
	CHECK_INT(metric(over, "ss7fw_rule_shadow_hits_total{rule=\"unsolicited\"}"), 2);
	CHECK_INT(metric(over, "ss7fw_drops_total{reason=\"rule\"}"), 0);
	CHECK_INT(metric(over, "ss7fw_drops_total{reason=\"malformed\"}"), 0);
	CHECK_INT(metric(over, "ss7fw_link_drops_total{link=\"carrier-a\",dir=\"in\"}"), 0);
	CHECK_INT(metric(over, "ss7fw_verdicts_total{verdict=\"drop\"}"), 8);
	CHECK_INT(metric(over, "ss7fw_policy_shadow_mode"), 1);
	char *ta = metrics_text(over), *tb = metrics_text(mode);
	CHECK(ta && tb && !strcmp(ta, tb));
	free(ta);
	free(tb);
	/* off again: enforced */
	engine_set_shadow(over, false);
	EXPECT_DROP(screen_dir(over, &m[0], FW_DIR_IN), "fs11-cat1");
	CHECK_INT(metric(over, "ss7fw_drops_total{reason=\"rule\"}"), 1);
	unlink(enf);
	unlink(shd);
	engine_free(over);
	engine_free(mode);
}

/* settings.drop_pcap_max_mb: default 1024, 0 (unbounded) allowed, bounds checked. */
static void test_setting_drop_pcap_max_mb(void)
{
	char path[64];
	struct engine *e = fresh(IR71);
	CHECK_INT(engine_settings(e)->drop_pcap_max_mb, 1024);
	engine_free(e);
	write_tmp("settings = { drop_pcap_max_mb = 0; };\n", path);
	e = fresh(path);
	CHECK_INT(engine_settings(e)->drop_pcap_max_mb, 0);
	engine_free(e);
	write_tmp("settings = { drop_pcap_max_mb = 64; };\n", path);
	e = fresh(path);
	CHECK_INT(engine_settings(e)->drop_pcap_max_mb, 64);
	engine_free(e);
	unlink(path);
	write_tmp("settings = { drop_pcap_max_mb = 2000000; };\n", path);
	e = engine_new();
	char *msg = NULL;
	size_t mlen = 0;
	FILE *err = open_memstream(&msg, &mlen);
	CHECK_INT(engine_load(e, path, err), -1);
	fclose(err);
	CHECK(msg && strstr(msg, "drop_pcap_max_mb") != NULL);
	free(msg);
	engine_free(e);
	unlink(path);
}

static void test_smsc_counters(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	for (int i = 0; i < 5; i++)
		screen_dir(e, &s, FW_DIR_IN);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	for (int i = 0; i < 2; i++)
		screen_dir(e, &s, FW_DIR_IN);
	CHECK_INT(metric(e, "ss7fw_smsc_sri_sm_total{gt=\"999340001\"}"), 5);
	CHECK_INT(metric(e, "ss7fw_smsc_forward_sm_total{gt=\"999340001\"}"), 2);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	engine_stats_print(e, f);
	fclose(f);
	CHECK(buf && strstr(buf, "999340001") && strstr(buf, "2.50"));
	CHECK(buf && !strstr(buf, "SUSPICIOUS"));   /* 2.5 is not above 2.5 */
	free(buf);
	enc_msu_defaults(&s);
	screen_dir(e, &s, FW_DIR_IN);
	buf = NULL;
	f = open_memstream(&buf, &len);
	engine_stats_print(e, f);
	fclose(f);
	CHECK(buf && strstr(buf, "SUSPICIOUS"));    /* 6 / 2 = 3.0 */
	free(buf);
	engine_free(e);
}

static void test_link_lookup(void)
{
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(40000) };
	struct sockaddr_in us = { .sin_family = AF_INET, .sin_port = htons(2905) };
	struct sockaddr_in core = { .sin_family = AF_INET, .sin_port = htons(2906) };
	struct sockaddr_in eph = { .sin_family = AF_INET, .sin_port = htons(50000) };
	struct sockaddr_in other = { .sin_family = AF_INET, .sin_port = htons(40000) };
	inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &us.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &core.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &eph.sin_addr);
	inet_pton(AF_INET, "10.9.9.9", &other.sin_addr);
	uint8_t dir = 9;
	CHECK_INT(engine_link_lookup(eng, (struct sockaddr *)&peer, (struct sockaddr *)&us, &dir), 0);
	CHECK_INT(dir, FW_DIR_IN);
	CHECK_INT(engine_link_lookup(eng, (struct sockaddr *)&us, (struct sockaddr *)&peer, &dir), 0);
	CHECK_INT(dir, FW_DIR_OUT);
	CHECK_INT(engine_link_lookup(eng, (struct sockaddr *)&core, (struct sockaddr *)&eph, &dir), 0);
	CHECK_INT(dir, FW_DIR_OUT);
	CHECK_INT(engine_link_lookup(eng, (struct sockaddr *)&eph, (struct sockaddr *)&core, &dir), 0);
	CHECK_INT(dir, FW_DIR_IN);
	CHECK_INT(engine_link_lookup(eng, (struct sockaddr *)&other, (struct sockaddr *)&us, &dir), -1);
	const struct link_cfg *l = engine_link(eng, 0);
	CHECK(l && l->carrier.present && l->carrier.mode == EP_LISTEN && l->core.mode == EP_CONNECT);
	CHECK(l && l->carrier.streams == 16 && !strcmp(l->partner, "partner-a"));
	CHECK_INT(engine_settings(eng)->metrics_port, 9105);
	CHECK_INT(engine_settings(eng)->max_msg, 65536);
}

static void test_count_drop(void)
{
	struct engine *e = fresh(IR71);
	engine_count_drop(e, 0, FW_DIR_IN, FW_REASON_OVERLOAD);
	engine_count_drop(e, -1, FW_DIR_OUT, FW_REASON_LINK_DOWN);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"overload\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"link_down\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_link_drops_total{link=\"carrier-a\",dir=\"in\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_link_drops_total{link=\"unknown\",dir=\"out\"}"), 1);
	engine_free(e);
}

/* A full correlation table evicts its least recently used SRI-SM record
 * (counted); the RSDS it would have allowed is then dropped. */
static void test_track_eviction(void)
{
	char path[64];
	write_tmp("policy = { track_entries = 16; };\n"
		  "partners = ( { name = \"pa\"; gt = \"99934\"; smsc = \"999340001\"; } );\n"
		  "rules = ( { name = \"rsds\"; check = \"rsds_solicited\"; action = \"drop\"; } );\n", path);
	struct engine *e = fresh(path);
	char msisdn[20][24];
	struct enc_msu s;
	for (int i = 0; i < 20; i++) {
		enc_msu_defaults(&s);
		snprintf(msisdn[i], sizeof msisdn[i], "99912550001%02d", i);
		s.msisdn = msisdn[i];
		EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	}
	/* 20 SRI-SM records and the one open transaction (every Begin carries
	 * the same otid) share 16 entries: the 5 oldest records went */
	CHECK_INT(metric(e, "ss7fw_track_entries"), 16);
	CHECK_INT(metric(e, "ss7fw_track_capacity"), 16);
	CHECK_INT(metric(e, "ss7fw_track_evictions_total"), 5);
	enc_msu_defaults(&s);
	s.opcode = 47;
	s.msisdn = msisdn[0];
	EXPECT_DROP(screen_dir(e, &s, FW_DIR_IN), "rsds");
	s.msisdn = msisdn[19];
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	s.msisdn = msisdn[4];
	EXPECT_DROP(screen_dir(e, &s, FW_DIR_IN), "rsds");
	s.msisdn = msisdn[5];
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	/* the state survives a reload */
	CHECK_INT(engine_load(e, path, stderr), 0);
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"rsds\"}"), 2);
	unlink(path);
	engine_free(e);
}

/* The other shipped policies decide as documented. */
static void test_shipped_policies(void)
{
	struct engine *e = fresh("policies/fs11-category1.conf");
	struct enc_msu s;
	enc_msu_defaults(&s);
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	s.opcode = 58;
	EXPECT_DROP(screen_dir(e, &s, FW_DIR_IN), "fs11-cat1");
	s.opcode = 70;                     /* provideSubscriberInfo: not category 1 */
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	engine_free(e);
	e = fresh("policies/partners-example.conf");
	CHECK_INT(engine_n_links(e), 2);
	enc_msu_defaults(&s);
	s.opcode = 59;                     /* USSD on partner-b's link */
	s.cgpa_gt = "99956000001";
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .link = 1, .dir = FW_DIR_IN };
	struct fw_decision d;
	engine_screen(e, buf, n, &meta, &msu, &d);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_STR(d.rule, "partner-b-no-ussd");
	meta.link = 0;                     /* the same on partner-a's link: wrong partner GT */
	engine_screen(e, buf, n, &meta, &msu, &d);
	CHECK_STR(d.rule, "link-screening");
	/* RSDS is in shadow there: would drop, forwarded */
	enc_msu_defaults(&s);
	s.opcode = 47;
	s.msisdn = "9991255000555";
	d = screen_dir(e, &s, FW_DIR_IN);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK(d.shadow && d.forward);
	CHECK_STR(d.rule, "rsds-solicited");
	engine_free(e);
}

/* Random byte flips of valid MSUs: whatever the decoder makes of them, an
 * MSU towards MAP that failed to decode is never forwarded. */
static void test_mutations(void)
{
	struct engine *e = fresh(IR71);
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int bad = 0, dropped = 0;
	for (int i = 0; i < 20000; i++) {
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.opcode = (i & 3) == 0 ? 44 : (i & 3) == 1 ? 47 : (i & 3) == 2 ? 71 : 45;
		uint8_t buf[4096];
		size_t n = enc_msu_build(buf, sizeof buf, &s);
		for (int k = 0; k < 1 + (i & 3); k++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			size_t pos = 8 + (size_t)(x % (n - 8));   /* keep the M3UA header */
			buf[pos] ^= (uint8_t)(1u << ((x >> 32) & 7));
		}
		struct msu_meta meta = { .ts = { clock_s, 0 }, .link = 0, .dir = FW_DIR_IN };
		struct fw_decision d;
		engine_screen(e, buf, n, &meta, &msu, &d);
		if (msu.m3ua.has_pd && msu.m3ua.si == 3 && msu.error_layer != LAYER_NONE && d.forward)
			bad++;
		dropped += !d.forward;
	}
	CHECK_INT(bad, 0);
	CHECK(dropped > 0);
	CHECK(metric(e, "ss7fw_malformed_total") > 0);
	engine_free(e);
}

/* ir71.conf's forward-SM correlation (IR.71 3.3) and SRI-SM rate limit
 * (3.5), on an engine of their own (the others' forward-SMs come alone). */
static void test_ir71_fsm_and_rate(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	/* unarmed (no answer of our HLR yet): a forward-SM alone passes, counted */
	enc_msu_defaults(&s);
	s.opcode = 44;
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 1);
	/* partner-a's SMSC asks, our HLR answers with the IMSI: its forward-SM passes */
	enc_msu_defaults(&s);
	s.otid = 0x7100;
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	enc_msu_sri_sm_answer(&s, ENC_PARTNER_SMSC, 0x7100);
	CHECK(screen_dir(e, &s, FW_DIR_OUT).forward);
	enc_msu_defaults(&s);
	s.opcode = 44;
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	/* the other AA.19 SMSC did not ask: dropped, the asker named */
	s.cgpa_gt = s.sc_addr = "999340002";
	struct fw_decision d = screen_dir(e, &s, FW_DIR_IN);
	EXPECT_DROP(d, "ir71-fsm-solicited");
	CHECK_STR(d.perpetrator, ENC_PARTNER_SMSC);
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 1);
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-fsm-solicited\"}"), 1);

	/* SRI-SM flooding: 10000 at one instant pass (the burst; the bucket
	 * refilled since the SRI-SM above), the next is dropped; another SMSC
	 * has its own bucket; 1 ms later one more token (1000/s) */
	clock_s += 600;
	int allowed = 0;
	for (int i = 0; i < 10000; i++) {
		enc_msu_defaults(&s);
		s.otid = 0x8000 + (uint32_t)i;
		allowed += screen_dir(e, &s, FW_DIR_IN).forward;
	}
	CHECK_INT(allowed, 10000);
	enc_msu_defaults(&s);
	EXPECT_DROP(screen_dir(e, &s, FW_DIR_IN), "ir71-rate-sri-sm");
	s.cgpa_gt = s.sc_addr = "999340002";
	EXPECT_ALLOW(screen_dir(e, &s, FW_DIR_IN));
	uint8_t buf[512];
	enc_msu_defaults(&s);
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	struct msu_meta meta = { .ts = { clock_s, 1000000 }, .link = 0, .link_name = "carrier-a", .dir = FW_DIR_IN };
	engine_screen(e, buf, n, &meta, &msu, &d);
	EXPECT_ALLOW(d);
	engine_screen(e, buf, n, &meta, &msu, &d);
	EXPECT_DROP(d, "ir71-rate-sri-sm");
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-rate-sri-sm\"}"), 2);
	clock_s += 20;
	engine_free(e);
}

/* Worker engines: state opened through one worker is seen by another (one
 * shared table), two threads screen at once while the parent reloads its
 * policy, the parent's export sums every worker's counters exactly, and
 * --shadow reaches the workers. */
enum { WK_MSGS = 4000 };
/* the messages, built once before the threads (the test encoder is not
 * reentrant): every 4th an attack */
static uint8_t wk_buf[WK_MSGS][512];
static size_t wk_len[WK_MSGS];

struct wk_arg {
	struct engine *w;
	int allowed, dropped;
};

/* The clock both threads stamp their MSUs with, as a relay's workers read
 * the wall clock: 10 ms a tick, so that partner-a's SMSC sends its SRI-SMs
 * at 75/s, below ir71.conf's rate limit (1000/s per calling GT, bursts of
 * 10000, which the run's 6,500 would not exhaust either). */
static unsigned wk_tick;

static void *wk_main(void *arg)
{
	struct wk_arg *a = arg;
	struct msu *m = malloc(sizeof *m);
	for (int i = 0; i < WK_MSGS; i++) {
		unsigned t = __atomic_fetch_add(&wk_tick, 1, __ATOMIC_RELAXED);
		struct msu_meta meta = { .ts = { clock_s + t / 100, (long)(t % 100) * 10000000L }, .frame = (uint64_t)i,
					 .link = 0, .link_name = "carrier-a", .dir = FW_DIR_IN };
		struct fw_decision d;
		engine_screen(a->w, wk_buf[i], wk_len[i], &meta, m, &d);
		if (d.forward)
			a->allowed++;
		else
			a->dropped++;
	}
	free(m);
	return NULL;
}

static void test_workers(void)
{
	struct engine *p = fresh(IR71);
	struct engine *w1 = engine_worker_new(p), *w2 = engine_worker_new(p);
	CHECK(w1 && w2);
	if (!w1 || !w2)
		return;
	/* a transaction our HLR opens through worker 1 is known to worker 2 */
	struct enc_msu begin, end;
	enc_msu_defaults(&begin);
	begin.cgpa_gt = ENC_HOME_HLR;
	begin.cdpa_gt = ENC_PARTNER_SMSC;
	begin.otid = 0x55667788;
	begin.opcode = 71;
	EXPECT_ALLOW(screen_dir(w1, &begin, FW_DIR_OUT));
	enc_msu_defaults(&end);
	end.tcap_type = TCAP_END;
	end.comp_type = TCAP_COMP_RESULT_LAST;
	end.dtid = 0x55667788;
	end.cdpa_gt = ENC_HOME_HLR;
	struct fw_decision d = screen_dir(w2, &end, FW_DIR_IN);
	EXPECT_ALLOW(d);
	CHECK(!d.shadow);
	/* an SRI-SM through worker 2 opens the RSDS window for worker 1 */
	struct enc_msu sri, rsds;
	enc_msu_defaults(&sri);
	sri.msisdn = "9991255000091";
	enc_msu_defaults(&rsds);
	rsds.opcode = 47;
	rsds.msisdn = "9991255000091";
	EXPECT_DROP(screen_dir(w1, &rsds, FW_DIR_IN), "ir71-rsds-solicited");
	EXPECT_ALLOW(screen_dir(w2, &sri, FW_DIR_IN));
	EXPECT_ALLOW(screen_dir(w1, &rsds, FW_DIR_IN));

	/* two threads at once, the parent reloading meanwhile */
	for (int i = 0; i < WK_MSGS; i++) {
		struct enc_msu s;
		enc_msu_defaults(&s);
		if (i % 4 == 3)
			enc_msu_attack(&s, (unsigned)i / 4);
		wk_len[i] = enc_msu_build(wk_buf[i], sizeof wk_buf[i], &s);
	}
	struct wk_arg a1 = { .w = w1 }, a2 = { .w = w2 };
	pthread_t t1, t2;
	CHECK(pthread_create(&t1, NULL, wk_main, &a1) == 0);
	CHECK(pthread_create(&t2, NULL, wk_main, &a2) == 0);
	int reloads = 0;
	for (int i = 0; i < 5; i++)
		reloads += engine_load(p, IR71, stderr) == 0;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK_INT(reloads, 5);
	CHECK_INT(a1.dropped, WK_MSGS / 4);
	CHECK_INT(a2.dropped, WK_MSGS / 4);
	/* the parent's export: everything both workers screened (5 before) */
	CHECK_INT(metric(p, "ss7fw_msus_total"), 2 * WK_MSGS + 5);
	CHECK_INT(metric(p, "ss7fw_link_msus_total{link=\"carrier-a\",dir=\"in\"}"), 2 * WK_MSGS + 4);
	CHECK_INT(metric(p, "ss7fw_verdicts_total{verdict=\"drop\"}"), 2 * (WK_MSGS / 4) + 1);
	CHECK_INT(metric(p, "ss7fw_drops_total{reason=\"rule\"}"), 2 * (WK_MSGS / 4) + 1);
	CHECK_INT(metric(p, "ss7fw_rule_hits_total{rule=\"ir71-rsds-solicited\"}"), 1);
	/* legitimate SRI-SMs, and attack 2 (spoofed SC address) from the same SMSC */
	CHECK_INT(metric(p, "ss7fw_smsc_sri_sm_total{gt=\"999340001\"}"),
		  2 * (WK_MSGS - WK_MSGS / 4 + WK_MSGS / 16) + 1);
	CHECK_INT(metric(p, "ss7fw_policy_reloads_total{result=\"ok\"}"), 6);
	/* --shadow on the parent reaches the workers */
	engine_set_shadow(p, true);
	struct enc_msu att;
	enc_msu_defaults(&att);
	enc_msu_attack(&att, 1);
	d = screen_dir(w2, &att, FW_DIR_IN);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK(d.shadow);
	CHECK(d.forward);
	engine_free(w1);
	engine_free(w2);
	/* freed workers' counts stay in the parent's */
	CHECK_INT(metric(p, "ss7fw_msus_total"), 2 * WK_MSGS + 6);
	CHECK_INT(metric(p, "ss7fw_drops_total{reason=\"rule\"}"), 2 * (WK_MSGS / 4) + 1);
	engine_free(p);
}

TEST_MAIN("test_engine", {
	eng = fresh(IR71);
	RUN(test_legit_sri_sm);
	RUN(test_sri_sm_allowlist);
	RUN(test_link_screening);
	RUN(test_own_address);
	RUN(test_fs11_cat1);
	RUN(test_forward_sm_allowlist);
	RUN(test_map_sccp_consistency);
	RUN(test_rsds_solicited);
	RUN(test_open_smsc);
	RUN(test_illegal_and_short_code);
	RUN(test_tcap_unsolicited_shadow);
	RUN(test_malformed_segmented);
	RUN(test_evasions);
	RUN(test_hidden_component);
	RUN(test_non_data);
	RUN(test_out_is_tracked_only);
	RUN(test_reload_and_shadow);
	RUN(test_shadow_override);
	RUN(test_setting_drop_pcap_max_mb);
	RUN(test_smsc_counters);
	RUN(test_link_lookup);
	RUN(test_count_drop);
	RUN(test_track_eviction);
	RUN(test_shipped_policies);
	RUN(test_ir71_fsm_and_rate);
	RUN(test_workers);
	RUN(test_mutations);
	engine_free(eng);
})
