/* FS.11 categories 2 and 3, the SMS-MO checks, forward-SM after SRI-SM,
 * rate limits and the IR.71 measurements, on encoder-built MSUs screened
 * with the shipped policies/fs11.conf (and variants written to /tmp): every
 * check with a firing case and an allowed twin, the state it learns from our
 * HLR's answers, its expiry, its bound, and its survival across reloads.
 * Run from the repository root (tests/run.sh does). */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "metric.h"
#include "ss7fw/engine.h"
#include "ss7fw/event.h"
#include "ss7fw/wire.h"

#define FS11 "policies/fs11.conf"

#define A_IMSI   "999340000000001"   /* partner-a's subscriber */
#define B_IMSI   "999560000000001"   /* partner-b's subscriber */
#define X_IMSI   "888010000000001"   /* no known network's */
#define A_VLR    "99934100001"
#define B_VLR    "99956100001"
#define B_MSC    "99956100002"
#define B_SGSN   "99956100003"
#define C_VLR    "99978100001"
#define HOME_SMSC "9991255000100"

enum { L_A = 0, L_B = 1, L_C = 2 };

static struct msu msu;
static time_t clock_s = 1700000000;

static struct engine *fresh(const char *path)
{
	struct engine *e = engine_new();
	if (engine_load(e, path, stderr) != 0)
		fprintf(stderr, "cannot load %s\n", path);
	return e;
}

static struct fw_decision scr(struct engine *e, const struct enc_msu *s, int link, uint8_t dir)
{
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, s);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = link, .link_name = "l", .dir = dir };
	struct fw_decision d;
	engine_screen(e, buf, n, &meta, &msu, &d);
	return d;
}

static long long metric(struct engine *e, const char *sample) { return test_metric(e, sample); }

#define EXPECT_ALLOW(expr) do { struct fw_decision ex_d = (expr); CHECK_INT(ex_d.verdict, FW_ALLOW); \
	CHECK(ex_d.forward); if (ex_d.rule) fprintf(stderr, "  unexpected rule %s\n", ex_d.rule); \
	CHECK(ex_d.rule == NULL); } while (0)
#define EXPECT_RULE(expr, name, shadowed) do { struct fw_decision ex_d = (expr); \
	CHECK_INT(ex_d.verdict, FW_DROP); CHECK_INT(ex_d.shadow, shadowed); CHECK_STR(ex_d.rule, name); } while (0)

/* An invoke of opcode op for imsi from calling GT cg to our HLR. */
static void invoke(struct enc_msu *s, int op, const char *imsi, const char *cg)
{
	enc_msu_defaults(s);
	s->opcode = op;
	s->imsi = imsi;
	s->msisdn = op == 89 ? ENC_HOME_MSISDN : NULL;   /* NoteMM-EventArg: both mandatory */
	s->cgpa_gt = cg;
	s->cdpa_gt = ENC_HOME_HLR;
}

/* Our subscriber registers at the network of vlr (updateLocation, or
 * updateGprsLocation when gprs), on link, and our HLR answers. */
static void register_at(struct engine *e, int link, const char *vlr, bool gprs, uint32_t tid)
{
	struct enc_msu s;
	enc_map_set_nodes(vlr, vlr, vlr);
	invoke(&s, gprs ? 23 : 2, ENC_HOME_IMSI, vlr);
	s.otid = tid;
	struct fw_decision d = scr(e, &s, link, FW_DIR_IN);
	CHECK(d.forward);
	/* our HLR: End with the result, to the VLR */
	enc_msu_defaults(&s);
	s.opcode = gprs ? 23 : 2;
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_RESULT_LAST;
	s.map_result = true;
	s.dtid = tid;
	s.cgpa_gt = ENC_HOME_HLR;
	s.cdpa_gt = vlr;
	d = scr(e, &s, link, FW_DIR_OUT);
	CHECK(d.forward);
	enc_map_set_nodes(NULL, NULL, NULL);
}

static void test_cat2(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* cancelLocation for one of ours from partner-a: a spoof of our HLR */
	invoke(&s, 3, ENC_HOME_IMSI, "99934000010");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-home", false);
	/* twin: partner-a's HLR cancels its own subscriber (inbound roamer) */
	invoke(&s, 3, A_IMSI, "99934000010");
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* insertSubscriberData / provideSubscriberInfo / PRN for partner-b's
	 * subscriber from partner-a's network */
	static const int ops[] = { 7, 70, 4, 8 };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		invoke(&s, ops[i], B_IMSI, "99934000010");
		EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-origin", false);
		invoke(&s, ops[i], B_IMSI, "99956000010");
		EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
		invoke(&s, ops[i], ENC_HOME_IMSI, "99956000010");
		EXPECT_RULE(scr(e, &s, L_B, FW_DIR_IN), "fs11-cat2-home", false);
	}
	/* a subscriber of no known network: its own rule (shadow in fs11.conf) */
	invoke(&s, 70, X_IMSI, "99934000010");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-unknown-imsi", true);
	/* our own HLR's insertSubscriberData going out is not screened */
	invoke(&s, 7, ENC_HOME_IMSI, ENC_HOME_HLR);
	s.cdpa_gt = A_VLR;
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_OUT));
	/* reset names our HLR: only our HLR sends it */
	invoke(&s, 37, NULL, "99934000010");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-home", false);
	CHECK(msu.tcap.comp[0].map.hlr.present);
	/* unstructuredSS-Request by MSISDN: ours from a carrier, partner-b's
	 * from partner-a, partner-a's from partner-a */
	invoke(&s, 60, NULL, "99934000010");
	s.msisdn = ENC_HOME_MSISDN;
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-home", false);
	s.msisdn = "99956123456";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat2-origin", false);
	s.msisdn = "99934123456";
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* category 3 operations are not category 2's business */
	invoke(&s, 66, B_IMSI, "99934000010");
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	engine_free(e);
}

static void test_cat3_consistency(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* updateLocation from partner-b's GT naming partner-a's VLR/MSC */
	invoke(&s, 2, ENC_HOME_IMSI, B_VLR);
	EXPECT_RULE(scr(e, &s, L_B, FW_DIR_IN), "fs11-cat3-consistency", false);
	/* purgeMS the same */
	invoke(&s, 67, ENC_HOME_IMSI, B_VLR);
	EXPECT_RULE(scr(e, &s, L_B, FW_DIR_IN), "fs11-cat3-consistency", false);
	/* updateGprsLocation naming partner-a's SGSN from partner-b */
	invoke(&s, 23, ENC_HOME_IMSI, B_VLR);
	EXPECT_RULE(scr(e, &s, L_B, FW_DIR_IN), "fs11-cat3-consistency", false);
	/* twins: the numbers of the calling network */
	enc_map_set_nodes(B_VLR, B_MSC, B_SGSN);
	invoke(&s, 2, ENC_HOME_IMSI, B_VLR);
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	invoke(&s, 23, ENC_HOME_IMSI, B_VLR);
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	enc_map_set_nodes(NULL, NULL, NULL);
	invoke(&s, 2, ENC_HOME_IMSI, A_VLR);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	engine_free(e);
}

static void test_cat3_location(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* no state yet: location_missing = "pass" */
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_ALLOW(scr(e, &s, L_C, FW_DIR_IN));
	/* registered at partner-a, confirmed by our HLR's answer */
	register_at(e, L_A, A_VLR, false, 0x11);
	static const int ops[] = { 66, 67, 57, 89 };
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		invoke(&s, ops[i], ENC_HOME_IMSI, A_VLR);
		EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	}
	/* readyForSM / restoreData / noteMM-Event from partner-c: not where it is */
	static const int ops_c[] = { 66, 57, 89 };
	for (size_t i = 0; i < sizeof ops_c / sizeof ops_c[0]; i++) {
		invoke(&s, ops_c[i], ENC_HOME_IMSI, C_VLR);
		EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-location", false);
	}
	/* a registration without our HLR's answer teaches nothing */
	enc_map_set_nodes(C_VLR, C_VLR, C_VLR);
	invoke(&s, 2, ENC_HOME_IMSI, C_VLR);
	s.otid = 0x77;
	/* (a registration in XC right after one in XA: velocity, in shadow) */
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-velocity", true);
	enc_map_set_nodes(NULL, NULL, NULL);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-location", false);
	/* our HLR refuses it (return error): still nothing */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_ERROR;
	s.error_code = 8;            /* roamingNotAllowed */
	s.dtid = 0x77;
	s.cgpa_gt = ENC_HOME_HLR;
	s.cdpa_gt = C_VLR;
	CHECK(scr(e, &s, L_C, FW_DIR_OUT).forward);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-location", false);
	/* the subscriber moves to partner-b (neighbour country: no least
	 * time); partner-a still counts within the grace window */
	clock_s += 60;
	register_at(e, L_B, B_VLR, false, 0x12);
	invoke(&s, 67, ENC_HOME_IMSI, A_VLR);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	invoke(&s, 66, ENC_HOME_IMSI, B_VLR);
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	clock_s += 601;
	invoke(&s, 66, ENC_HOME_IMSI, A_VLR);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat3-location", false);
	/* a GPRS registration at partner-c adds the PS domain */
	register_at(e, L_C, C_VLR, true, 0x13);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_ALLOW(scr(e, &s, L_C, FW_DIR_IN));
	/* the state survives a reload */
	CHECK_INT(engine_load(e, FS11, stderr), 0);
	invoke(&s, 66, ENC_HOME_IMSI, A_VLR);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat3-location", false);
	invoke(&s, 66, ENC_HOME_IMSI, B_VLR);
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	/* a partner's subscriber has no location state: not screened here */
	invoke(&s, 66, B_IMSI, A_VLR);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* expiry (location_ttl 7 days): no state, location_missing = pass */
	clock_s += 7 * 86400 + 1;
	invoke(&s, 66, ENC_HOME_IMSI, A_VLR);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	engine_free(e);
}

/* fs11.conf with one line changed, written to /tmp. */
static const char *variant(const char *from, const char *to, const char *name)
{
	static char path[512];
	char dir[256], lists[600], cwd[256];
	snprintf(dir, sizeof dir, "/tmp/ss7fw-fs11-%d", (int)getpid());
	snprintf(path, sizeof path, "%s/%s.conf", dir, name);
	mkdir(dir, 0700);
	/* the list files are included relative to the policy's directory */
	if (!getcwd(cwd, sizeof cwd))
		return FS11;
	snprintf(lists, sizeof lists, "%s/lists", dir);
	char target[300];
	snprintf(target, sizeof target, "%s/policies/lists", cwd);
	if (symlink(target, lists) < 0 && errno != EEXIST)
		return FS11;
	FILE *in = fopen(FS11, "r");
	FILE *out = fopen(path, "w");
	char line[1024];
	if (!in || !out) {
		if (in) fclose(in);
		if (out) fclose(out);
		return FS11;
	}
	while (fgets(line, sizeof line, in)) {
		char *p = strstr(line, from);
		if (p) {
			*p = 0;
			fprintf(out, "%s%s%s", line, to, p + strlen(from));
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	fclose(out);
	return path;
}

static void test_location_missing_fire(void)
{
	const char *path = variant("location_missing = \"pass\"", "location_missing = \"fire\"", "missing");
	struct engine *e = fresh(path);
	struct enc_msu s;
	invoke(&s, 66, ENC_HOME_IMSI, A_VLR);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat3-location", false);
	register_at(e, L_A, A_VLR, false, 0x21);
	invoke(&s, 66, ENC_HOME_IMSI, A_VLR);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	engine_free(e);
	unlink(path);
}

/* The bound: a table of 16 entries. Other subscribers' registrations evict
 * the location state (least recently used first), and a subscriber without
 * state is judged by location_missing (pass): an evicted entry never makes a
 * false positive. */
static void test_state_bound(void)
{
	const char *path = variant("track_entries = 1000000;", "track_entries = 16;", "bound");
	struct engine *e = fresh(path);
	struct enc_msu s;
	register_at(e, L_A, A_VLR, false, 0x51);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-location", false);
	for (int i = 0; i < 20; i++) {
		char imsi[32];
		snprintf(imsi, sizeof imsi, "9990100000%05d", i + 100);
		struct enc_msu u;
		enc_map_set_nodes(A_VLR, A_VLR, A_VLR);
		invoke(&u, 2, imsi, A_VLR);
		u.otid = 0x600 + (uint32_t)i;
		scr(e, &u, L_A, FW_DIR_IN);
		enc_map_set_nodes(NULL, NULL, NULL);
	}
	CHECK(metric(e, "ss7fw_track_evictions_total") > 0);
	CHECK_INT(metric(e, "ss7fw_track_entries"), 16);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_ALLOW(scr(e, &s, L_C, FW_DIR_IN));
	engine_free(e);
	unlink(path);
}

static void variant_cleanup(void)
{
	char p[300];
	snprintf(p, sizeof p, "/tmp/ss7fw-fs11-%d/lists", (int)getpid());
	unlink(p);
	snprintf(p, sizeof p, "/tmp/ss7fw-fs11-%d", (int)getpid());
	rmdir(p);
}

static void test_cat3_velocity(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	register_at(e, L_A, A_VLR, false, 0x31);        /* country XA */
	/* partner-c (XC) ten minutes later: travel_time 3600 s */
	clock_s += 600;
	enc_map_set_nodes(C_VLR, C_VLR, C_VLR);
	invoke(&s, 2, ENC_HOME_IMSI, C_VLR);
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-velocity", true);
	/* partner-b (XB) is a neighbour of XA (travel_times 0) */
	enc_map_set_nodes(B_VLR, B_MSC, B_SGSN);
	invoke(&s, 2, ENC_HOME_IMSI, B_VLR);
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	/* partner-c two hours after the registration at partner-a */
	clock_s += 2 * 3600;
	enc_map_set_nodes(C_VLR, C_VLR, C_VLR);
	invoke(&s, 2, ENC_HOME_IMSI, C_VLR);
	EXPECT_ALLOW(scr(e, &s, L_C, FW_DIR_IN));
	enc_map_set_nodes(NULL, NULL, NULL);
	engine_free(e);
}

/* An MO forward-SM (SMS-SUBMIT) from msisdn at calling GT cg to our SMSC. */
static void mo_sms(struct enc_msu *s, const char *msisdn, const char *cg)
{
	enc_msu_defaults(s);
	s->opcode = 46;
	s->msisdn = msisdn;
	s->sc_addr = HOME_SMSC;
	s->cgpa_gt = cg;
	s->cdpa_gt = HOME_SMSC;
	s->tp_addr = "9991255000777";
}

static void test_sms_mo(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* our roaming subscriber at partner-a sends an SMS to our SMSC */
	mo_sms(&s, ENC_HOME_MSISDN, "99934100002");
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK_INT(msu.tcap.comp[0].map.sm_rp_oa.kind, SM_RP_MSISDN);
	/* 3.4.1: a sender that is not ours */
	mo_sms(&s, "99934777001", "99934100002");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-sms-mo-oa", false);
	/* to partner-a's SMSC (not ours): not 3.4.1's business */
	mo_sms(&s, "99934777001", "99934100002");
	s.sc_addr = s.cdpa_gt = "999340001";
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* 3.4.2: SM-RP-DA names another SMSC than the called GT */
	mo_sms(&s, ENC_HOME_MSISDN, "99934100002");
	s.cdpa_gt = "9991255000199";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-sms-mo-da", false);
	/* 3.4.2 / FS.11 3(b): the sender registered elsewhere; our HLR's
	 * insertSubscriberData (out) taught where its MSISDN is */
	invoke(&s, 7, ENC_HOME_IMSI, ENC_HOME_HLR);
	s.msisdn = ENC_HOME_MSISDN;
	s.cdpa_gt = B_VLR;
	s.tcap_type = TCAP_CONTINUE;
	CHECK(scr(e, &s, L_B, FW_DIR_OUT).forward);
	mo_sms(&s, ENC_HOME_MSISDN, "99934100002");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat3-location", false);
	mo_sms(&s, ENC_HOME_MSISDN, "99956100002");
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	/* its GPRS side at partner-c (insertSubscriberData to an SGSN, SSN
	 * 149): SMS over GPRS from partner-c passes, the CS side stays */
	invoke(&s, 7, ENC_HOME_IMSI, ENC_HOME_HLR);
	s.msisdn = ENC_HOME_MSISDN;
	s.cdpa_gt = C_VLR;
	s.cdpa_ssn = 149;
	s.tcap_type = TCAP_CONTINUE;
	CHECK(scr(e, &s, L_C, FW_DIR_OUT).forward);
	mo_sms(&s, ENC_HOME_MSISDN, C_VLR);
	EXPECT_ALLOW(scr(e, &s, L_C, FW_DIR_IN));
	mo_sms(&s, ENC_HOME_MSISDN, "99956100002");
	EXPECT_ALLOW(scr(e, &s, L_B, FW_DIR_IN));
	mo_sms(&s, ENC_HOME_MSISDN, "99934100002");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "fs11-cat3-location", false);
	/* an MT forward-SM is none of these checks' business (only
	 * fsm_solicited's: fs11.conf fires without any answer of our HLR) */
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = "9991255100001";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 0);
	engine_free(e);
}


static void sri_sm_answered(struct engine *e, const char *smsc, const char *imsi, uint32_t tid)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = smsc;
	s.otid = tid;
	CHECK(scr(e, &s, L_A, FW_DIR_IN).forward);
	enc_msu_sri_sm_answer(&s, smsc, tid);
	s.imsi = imsi;
	CHECK(scr(e, &s, L_A, FW_DIR_OUT).forward);
	CHECK(msu.tcap.comp[0].map.imsi.n == 15);
}

static void mt_fsm(struct enc_msu *s, const char *smsc, const char *imsi)
{
	enc_msu_defaults(s);
	s->opcode = 44;
	s->imsi = imsi;
	s->cgpa_gt = s->sc_addr = smsc;
	s->cdpa_gt = "9991255100001";
	s->tp_addr = "99934777001";
}

static void test_fsm_solicited(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* no SRI-SM answered at all: fs11.conf fires from the start */
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	struct fw_decision d = scr(e, &s, L_A, FW_DIR_IN);
	EXPECT_RULE(d, "ir71-fsm-solicited", false);
	CHECK_STR(d.perpetrator, "");
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 0);
	sri_sm_answered(e, "999340001", ENC_HOME_IMSI, 0x41);
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* another AA.19 SMSC delivers to the IMSI the first one obtained: the
	 * record names the SMSC that asked for it */
	mt_fsm(&s, "999340002", ENC_HOME_IMSI);
	d = scr(e, &s, L_A, FW_DIR_IN);
	EXPECT_RULE(d, "ir71-fsm-solicited", false);
	CHECK_STR(d.perpetrator, "999340001");
	char js[4096];
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = 0, .link_name = "l" };
	size_t jn = event_json(js, sizeof js, &msu, &meta, &d);
	CHECK(jn > 0 && strstr(js, "\"perpetrator\":\"999340001\"") != NULL);
	/* another IMSI from the SMSC that asked for the first */
	mt_fsm(&s, "999340001", "999010000000002");
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	/* the window (fsm_window 600 s) */
	clock_s += 601;
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	engine_free(e);
}

/* The other ways an MT forward-SM names its subscriber (TS 29.002): the
 * LMSI our HLR gave with the IMSI; noSM-RP-DA with the IMSI in the
 * MAP-OPEN's destinationReference, in the same Begin or in a Begin of the
 * dialogue alone (the forward-SM follows in a Continue). Each is held to
 * the answer as the IMSI is; an SM-RP-DA that names no located subscriber
 * is unsolicited. */
static void test_fsm_lmsi_and_dest_ref(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* our HLR answers partner-a's first SMSC with the IMSI and an LMSI */
	enc_msu_defaults(&s);
	s.otid = 0x51;
	CHECK(scr(e, &s, L_A, FW_DIR_IN).forward);
	enc_msu_sri_sm_answer(&s, "999340001", 0x51);
	s.lmsi = "0a1b2c3d";
	CHECK(scr(e, &s, L_A, FW_DIR_OUT).forward);
	CHECK_INT(msu.tcap.comp[0].map.lmsi.n, 8);
	/* SM-RP-DA lmsi */
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	s.da_kind = SM_RP_LMSI;
	s.da = "0a1b2c3d";
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK_INT(msu.tcap.comp[0].map.sm_rp_da.kind, SM_RP_LMSI);
	s.cgpa_gt = s.sc_addr = "999340002";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	s.da_kind = SM_RP_LMSI;
	s.da = "0a1b2c3e";                /* an LMSI our HLR gave no one */
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	/* noSM-RP-DA, the IMSI in this Begin's MAP-OPEN */
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	s.da_kind = SM_RP_NO_ADDR;
	s.dest_ref = ENC_HOME_IMSI;
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK(msu.tcap.has_dest_ref);
	s.dest_ref = "999010000000009";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	/* the dialogue alone: the IMSI is screened in the Begin */
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cgpa_gt = s.sc_addr = "999340001";
	s.cdpa_gt = "9991255100001";
	s.no_components = true;
	s.dest_ref = ENC_HOME_IMSI;
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK(msu.tcap.has_dest_ref && msu.tcap.n_components == 0);
	CHECK(msu.tcap.acn_is_map && msu.tcap.acn_ac == 25);
	s.cgpa_gt = s.sc_addr = "999340002";
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	/* its forward-SM in a Continue, noSM-RP-DA: the Begin was the check */
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	s.tcap_type = TCAP_CONTINUE;
	s.dtid = 0x77;
	s.da_kind = SM_RP_NO_ADDR;
	struct fw_decision d = scr(e, &s, L_A, FW_DIR_IN);
	CHECK(!d.rule || strcmp(d.rule, "ir71-fsm-solicited") != 0);
	/* an MSISDN as SM-RP-DA of an mt-forwardSM is not its argument's
	 * (TS 29.002 MT-ForwardSM-Arg): malformed, dropped before any rule */
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	s.da_kind = SM_RP_MSISDN;
	s.da = ENC_HOME_MSISDN;
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "malformed", false);
	engine_free(e);
}

/* fsm_unarmed = "pass" (ir71.conf's setting): the check is armed by the
 * first SRI-SM answer of our HLR that reaches the state; before it, a
 * forward-SM passes and is counted (a start, answers on another path). */
static void test_fsm_unarmed_pass(void)
{
	const char *path = variant("fsm_unarmed = \"fire\"", "fsm_unarmed = \"pass\"", "unarmed");
	struct engine *e = fresh(path);
	struct enc_msu s;
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 1);
	/* an SRI-SM without our HLR's answer does not arm it */
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = "999340002";
	s.otid = 0x40;
	CHECK(scr(e, &s, L_A, FW_DIR_IN).forward);
	mt_fsm(&s, "999340002", ENC_HOME_IMSI);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 2);
	/* armed by the first answer, for any IMSI and SMSC */
	sri_sm_answered(e, "999340001", "999010000000003", 0x3f);
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	sri_sm_answered(e, "999340001", ENC_HOME_IMSI, 0x42);
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 2);
	/* armed across a reload (the state is not the policy's), and once
	 * the window (fsm_window 600 s) is over */
	CHECK_INT(engine_load(e, path, stderr), 0);
	clock_s += 601;
	mt_fsm(&s, "999340001", ENC_HOME_IMSI);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-fsm-solicited", false);
	CHECK_INT(metric(e, "ss7fw_fsm_unarmed_total"), 2);
	engine_free(e);
	unlink(path);
}

static void test_rate_limit(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	/* fs11.conf's ir71-rate-sri-sm: 20 SRI-SM/s per calling GT, burst 40 */
	int allowed = 0;
	for (int i = 0; i < 50; i++) {
		enc_msu_defaults(&s);
		s.otid = 0x1000 + (uint32_t)i;
		struct fw_decision d = scr(e, &s, L_A, FW_DIR_IN);
		if (d.forward)
			allowed++;
		else
			CHECK_STR(d.rule, "ir71-rate-sri-sm");
	}
	CHECK_INT(allowed, 40);
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-rate-sri-sm\"}"), 10);
	/* another SMSC has its own bucket */
	enc_msu_defaults(&s);
	s.cgpa_gt = s.sc_addr = "999340002";
	EXPECT_ALLOW(scr(e, &s, L_A, FW_DIR_IN));
	/* a second later 20 more pass */
	clock_s += 1;
	allowed = 0;
	for (int i = 0; i < 25; i++) {
		enc_msu_defaults(&s);
		allowed += scr(e, &s, L_A, FW_DIR_IN).forward;
	}
	CHECK_INT(allowed, 20);
	/* an MSU stamped before the bucket's last refill (another worker
	 * ahead of this one, a capture out of order) refills nothing */
	clock_s -= 5;
	enc_msu_defaults(&s);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-rate-sri-sm", false);
	clock_s += 5;
	/* the buckets survive a reload (keyed by rule name) */
	CHECK_INT(engine_load(e, FS11, stderr), 0);
	enc_msu_defaults(&s);
	EXPECT_RULE(scr(e, &s, L_A, FW_DIR_IN), "ir71-rate-sri-sm", false);
	clock_s += 10;
	engine_free(e);
}

static void test_measurements(void)
{
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	mo_sms(&s, ENC_HOME_MSISDN, "99934100002");
	scr(e, &s, L_A, FW_DIR_IN);
	invoke(&s, 2, ENC_HOME_IMSI, A_VLR);
	scr(e, &s, L_A, FW_DIR_IN);
	invoke(&s, 2, ENC_HOME_IMSI, A_VLR);
	scr(e, &s, L_A, FW_DIR_IN);
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = "9991255100001";
	scr(e, &s, L_A, FW_DIR_IN);
	/* a return error and an End for nothing we opened */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_ERROR;
	s.error_code = 27;           /* absentSubscriber */
	s.dtid = 0xdead;
	scr(e, &s, L_A, FW_DIR_IN);
	/* our HLR answers an enquiry with unknownSubscriber (1): out */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_ERROR;
	s.error_code = 1;
	s.cgpa_gt = ENC_HOME_HLR;
	s.cdpa_gt = "99934000010";
	scr(e, &s, L_A, FW_DIR_OUT);
	/* SRI-SM from partner-a's SMSC */
	enc_msu_defaults(&s);
	scr(e, &s, L_A, FW_DIR_IN);
	CHECK_INT(metric(e, "ss7fw_ir71_mo_sms_total{partner=\"partner-a\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_sms_total{partner=\"partner-a\",dir=\"in\",kind=\"mo\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_sms_total{partner=\"partner-a\",dir=\"in\",kind=\"mt\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_update_location_total{partner=\"partner-a\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_ir71_update_location_total{partner=\"partner-b\"}"), 0);
	CHECK_INT(metric(e, "ss7fw_ir71_map_errors_total{partner=\"partner-a\",dir=\"in\",error=\"27\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_map_errors_total{partner=\"partner-a\",dir=\"out\",error=\"1\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_map_errors_total{partner=\"partner-a\",dir=\"out\",error=\"27\"}"), -1);
	CHECK_INT(metric(e, "ss7fw_ir71_unexpected_end_total{partner=\"partner-a\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_ir71_sri_sm_total{network=\"99934\"}"), 1);
	/* counters survive a reload */
	CHECK_INT(engine_load(e, FS11, stderr), 0);
	CHECK_INT(metric(e, "ss7fw_ir71_update_location_total{partner=\"partner-a\"}"), 2);
	engine_free(e);
}

/* Workers: each counts in the partner slots the parent gave, the export
 * sums them; the location state is the shared table's. */
static void test_workers(void)
{
	struct engine *e = fresh(FS11);
	struct engine *w = engine_worker_new(e);
	CHECK(w != NULL);
	if (!w) {
		engine_free(e);
		return;
	}
	struct enc_msu s;
	invoke(&s, 2, ENC_HOME_IMSI, A_VLR);
	scr(w, &s, L_A, FW_DIR_IN);
	scr(e, &s, L_A, FW_DIR_IN);
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_ERROR;
	s.error_code = 27;
	s.dtid = 0x77;
	scr(w, &s, L_B, FW_DIR_IN);
	CHECK_INT(metric(e, "ss7fw_ir71_update_location_total{partner=\"partner-a\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_ir71_map_errors_total{partner=\"partner-b\",dir=\"in\",error=\"27\"}"), 1);
	/* a registration answered through the worker is seen by the parent */
	register_at(w, L_A, A_VLR, false, 0x71);
	invoke(&s, 66, ENC_HOME_IMSI, C_VLR);
	EXPECT_RULE(scr(e, &s, L_C, FW_DIR_IN), "fs11-cat3-location", false);
	/* a reload: the worker takes the new policy, the slots stay */
	CHECK_INT(engine_load(e, FS11, stderr), 0);
	invoke(&s, 2, ENC_HOME_IMSI, A_VLR);
	scr(w, &s, L_A, FW_DIR_IN);
	CHECK_INT(metric(e, "ss7fw_ir71_update_location_total{partner=\"partner-a\"}"), 4);
	engine_free(w);
	engine_free(e);
}

static void test_cap_is_not_map(void)
{
	/* a CAP operation whose code is a category-2 MAP opcode (CAP 7 is
	 * not insertSubscriberData): none of the MAP checks read it */
	struct engine *e = fresh(FS11);
	struct enc_msu s;
	invoke(&s, 7, ENC_HOME_IMSI, "99934000010");
	s.acn = "0.4.0.0.1.0.50.2";                   /* CAP v2 gsmSSF-to-gsmSCF */
	s.cdpa_ssn = 146;
	struct fw_decision d = scr(e, &s, L_A, FW_DIR_IN);
	CHECK_INT(msu.app, TCAP_APP_CAP);
	CHECK(d.rule == NULL || strcmp(d.rule, "fs11-cat2-home") != 0);
	engine_free(e);
}

TEST_MAIN("test_fs11", {
	RUN(test_cat2);
	RUN(test_cat3_consistency);
	RUN(test_cat3_location);
	RUN(test_location_missing_fire);
	RUN(test_cat3_velocity);
	RUN(test_sms_mo);
	RUN(test_fsm_solicited);
	RUN(test_fsm_unarmed_pass);
	RUN(test_fsm_lmsi_and_dest_ref);
	RUN(test_rate_limit);
	RUN(test_measurements);
	RUN(test_cap_is_not_map);
	RUN(test_state_bound);
	RUN(test_workers);
	variant_cleanup();
})
