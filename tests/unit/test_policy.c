/* Policy tests on hand-filled struct msu: prefix sets, every kind of
 * condition, negation, per-component screening (strictest wins), shadow
 * rules, and the loader's error messages (file:line). */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/engine.h"
#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

static uint8_t dbuf[16][16];
static int dnext;

/* BCD digits of s, low nibble first (as decoded from the wire). */
static struct digits D(const char *s)
{
	uint8_t *b = dbuf[dnext++ & 15];
	size_t n = strlen(s);
	memset(b, 0, 16);
	for (size_t i = 0; i < n; i++) {
		int v = s[i] >= 'a' ? s[i] - 'a' + 10 : s[i] - '0';
		b[i / 2] |= (uint8_t)(v << (4 * (i & 1)));
	}
	return (struct digits){ b, (uint8_t)n };
}

static char tmpdir[64];

static const char *write_file(const char *name, const char *text)
{
	static char path[8][128];
	static int k;
	char *p = path[k++ & 7];
	snprintf(p, 128, "%s/%s", tmpdir, name);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* A decoded SRI-SM from partner SMSC 999340001 to the home HLR. */
static void sri_sm(struct msu *m)
{
	memset(m, 0, sizeof *m);
	m->m3ua.present = true;
	m->m3ua.msg_class = 1;
	m->m3ua.msg_type = 1;
	m->m3ua.has_pd = true;
	m->m3ua.si = 3;
	m->m3ua.opc = 1234;
	m->m3ua.dpc = 2345;
	m->sccp.present = true;
	m->sccp.type = SCCP_UDT;
	m->sccp.cdpa = (struct sccp_addr){ .present = true, .route_on_gt = true, .has_ssn = true, .ssn = 6,
					   .gti = 4, .has_tt = true, .has_np = true, .np = 1, .has_nai = true,
					   .nai = 4, .gt = D("999125500001") };
	m->sccp.cgpa = (struct sccp_addr){ .present = true, .route_on_gt = true, .has_ssn = true, .ssn = 8,
					   .gti = 4, .has_np = true, .np = 1, .has_nai = true, .nai = 4,
					   .gt = D("999340001") };
	m->app = TCAP_APP_MAP;
	m->app_src = TCAP_APP_SRC_ACN;
	m->tcap.present = true;
	m->tcap.type = TCAP_BEGIN;
	static const uint8_t acn[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03 };  /* 0.4.0.0.1.0.20.3 */
	m->tcap.acn = (struct bytes){ acn, sizeof acn };
	m->tcap.acn_is_map = true;
	m->tcap.acn_ac = 20;
	m->tcap.acn_version = 3;
	m->tcap.n_components = 1;
	struct tcap_component *c = &m->tcap.comp[0];
	c->type = TCAP_COMP_INVOKE;
	c->has_opcode = true;
	c->opcode = 45;
	c->map.state = MAP_DECODED;
	c->map.msisdn = (struct map_addr){ .present = true, .ton = 1, .npi = 1, .d = D("9991255000001") };
	c->map.sc_addr = (struct map_addr){ .present = true, .ton = 1, .npi = 1, .d = D("999340001") };
}

static struct policy *load(const char *text)
{
	const char *p = write_file("p.conf", text);
	struct policy *pol = policy_load(p, stderr, NULL);
	CHECK(pol != NULL);
	return pol;
}

static struct pol_result eval(const struct policy *p, const struct msu *m)
{
	struct pol_input in = { .m = m, .link = -1, .dir = FW_DIR_IN };
	struct pol_result r;
	policy_eval(p, &in, &r);
	return r;
}

static const char *rule_of(const struct policy *p, const struct pol_result *r)
{
	return r->rule >= 0 ? p->rules[r->rule].name : r->rule == -2 ? "(malformed)" : "(default)";
}

static void test_prefix_sets(void)
{
	struct pfx_set *s = pfx_new();
	CHECK_INT(pfx_add(s, "99934"), 0);
	CHECK_INT(pfx_add(s, "9991255000100"), 0);
	CHECK_INT(pfx_add(s, "1234567890abcdef"), 0);     /* 16 digits, hex */
	CHECK_INT(pfx_add(s, "12345678901234567"), -1);   /* 17 */
	CHECK_INT(pfx_add(s, ""), -1);
	CHECK_INT(pfx_add(s, "12x"), -1);
	CHECK_INT(pfx_add(s, "99934"), 0);                 /* duplicate */
	pfx_finalize(s);
	CHECK_INT(s->total, 3);
	struct digits d;
	d = D("999340001");            CHECK(pfx_match(s, &d));
	d = D("99934");                CHECK(pfx_match(s, &d));
	d = D("9993");                 CHECK(!pfx_match(s, &d));
	d = D("99935");                CHECK(!pfx_match(s, &d));
	d = D("9991255000100");        CHECK(pfx_match(s, &d));
	d = D("999125500010");         CHECK(!pfx_match(s, &d));
	d = D("1234567890abcdef99");   CHECK(pfx_match(s, &d));
	d = (struct digits){ NULL, 0 }; CHECK(!pfx_match(s, &d));
	pfx_free(s);
}

/* 100,000 random 12-digit prefixes: every one matches, near misses do not. */
static void test_prefix_100k(void)
{
	struct pfx_set *s = pfx_new();
	char (*v)[16] = malloc(100000 * sizeof *v);
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		snprintf(v[i], 16, "99%010llu", (unsigned long long)(x % 10000000000ULL));
		pfx_add(s, v[i]);
	}
	pfx_finalize(s);
	int bad = 0;
	for (int i = 0; i < 100000; i += 7) {
		struct digits d = D(v[i]);
		if (!pfx_match(s, &d))
			bad++;
		char longer[20];
		snprintf(longer, sizeof longer, "%s55", v[i]);
		d = D(longer);
		if (!pfx_match(s, &d))
			bad++;
	}
	CHECK_INT(bad, 0);
	struct digits d = D("98123456789012");
	CHECK(!pfx_match(s, &d));
	free(v);
	pfx_free(s);
}

/* pfx_match_num against a naive matcher on random sets and numbers: sets
 * whose entries share leading digits (the early exit) and sets that do
 * not, prefix and exact entries, numbers with plan digits in front and
 * wire digits skipped. */
static void test_prefix_random(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
#define RND(n) (x ^= x << 13, x ^= x >> 7, x ^= x << 17, (unsigned)(x % (n)))
	int bad = 0, hits = 0;
	for (int round = 0; round < 3000; round++) {
		char ent[6][20];
		bool ex[6];
		unsigned ne = 1 + RND(5);
		char stem[20];
		unsigned sl = RND(2) ? RND(8) : 0;       /* leading digits the entries share */
		for (unsigned i = 0; i < sl; i++)
			stem[i] = (char)('0' + RND(3));
		struct pfx_set *set = pfx_new();
		for (unsigned e = 0; e < ne; e++) {
			unsigned l = sl + RND(17 - sl);
			if (l == 0)
				l = 1;
			for (unsigned i = 0; i < l; i++)
				ent[e][i] = i < sl ? stem[i] : (char)('0' + RND(3));
			ent[e][l] = 0;
			ex[e] = RND(3) == 0;
			char spec[128];
			snprintf(spec, sizeof spec, "%s%s", ex[e] ? "=" : "", ent[e]);
			CHECK_INT(pfx_add(set, spec), 0);
		}
		pfx_finalize(set);
		for (int t = 0; t < 20; t++) {
			/* the canonical number: plan digits, then the wire's from skip */
			char canon[48];
			unsigned pre_n = RND(3), skip = RND(2), wl = 1 + RND(19);
			const char *base = ent[RND(ne)];
			char wire[24];
			for (unsigned i = 0; i < wl; i++) {
				unsigned ci = pre_n + i - skip;   /* the canonical position of wire digit i */
				wire[i] = i >= skip && ci < strlen(base) && RND(8) ? base[ci] : (char)('0' + RND(3));
			}
			wire[wl] = 0;
			struct num n = { 0 };
			for (unsigned i = 0; i < pre_n; i++)
				n.pre[i] = (uint8_t)(i < strlen(base) && RND(8) ? (unsigned)(base[i] - '0') : RND(3));
			struct digits d = D(wire);
			n.d = &d;
			n.pre_n = (uint8_t)pre_n;
			n.skip = (uint8_t)(skip < wl ? skip : 0);
			n.n = (uint8_t)(pre_n + wl - n.skip);
			n.e164 = true;
			unsigned cn = 0;
			for (unsigned i = 0; i < pre_n; i++)
				canon[cn++] = (char)('0' + n.pre[i]);
			for (unsigned i = n.skip; i < wl; i++)
				canon[cn++] = wire[i];
			canon[cn] = 0;
			bool want = false;
			for (unsigned e = 0; e < ne; e++) {
				size_t el = strlen(ent[e]);
				if (ex[e] ? !strcmp(canon, ent[e]) : (cn >= el && !strncmp(canon, ent[e], el)))
					want = true;
			}
			bool got = pfx_match_num(set, &n);
			if (got != want) {
				if (bad++ < 5)
					fprintf(stderr, "  number %s: got %d, want %d (set of %u, first %s%s)\n",
						canon, got, want, ne, ex[0] ? "=" : "", ent[0]);
			}
			hits += want;
		}
		pfx_free(set);
	}
#undef RND
	CHECK_INT(bad, 0);
	CHECK(hits > 5000);    /* the numbers match often enough to test both ways */
}

static void test_conditions(void)
{
	struct policy *p = load(
		"home = { gt = [\"9991255\"]; };\n"
		"lists = { smscs = [\"999340001\", \"999340002\"]; };\n"
		"rules = (\n"
		"  { name = \"opc\"; action = \"drop\"; match = { opc = [ 7777 ]; }; },\n"
		"  { name = \"ssn\"; action = \"drop\"; match = { cdpa_ssn = [ 147 ]; }; },\n"
		"  { name = \"xudt\"; action = \"reject\"; match = { sccp_type = \"XUDT\"; }; },\n"
		"  { name = \"anom\"; action = \"drop\"; match = { anomaly = [ \"long_tid\" ]; }; },\n"
		"  { name = \"acn-v1\"; action = \"drop\"; match = { acn = [ \"0.4.0.0.1.0.20.1\" ]; }; },\n"
		"  { name = \"not-smsc\"; action = \"drop\"; match = { map_op = \"sendRoutingInfoForSM\"; not_cgpa_gt = [ \"@smscs\" ]; }; },\n"
		"  { name = \"msisdn\"; action = \"drop\"; match = { msisdn = [ \"99912559\" ]; }; },\n"
		"  { name = \"ussd\"; action = \"drop\"; match = { opcode = [ 59 ]; comp_type = \"invoke\"; }; },\n"
		"  { name = \"sri-ok\"; action = \"allow\"; match = { map_op = [ 45 ]; cdpa_gt = \"@home.gt\"; }; }\n"
		");\n");
	if (!p)
		return;
	struct msu m;
	struct pol_result r;
	sri_sm(&m);
	r = eval(p, &m);
	CHECK_INT(r.verdict, FW_ALLOW);
	CHECK_STR(rule_of(p, &r), "sri-ok");
	m.m3ua.opc = 7777;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "opc");
	sri_sm(&m);
	m.sccp.cdpa.ssn = 147;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "ssn");
	sri_sm(&m);
	m.sccp.type = SCCP_XUDT;
	r = eval(p, &m);
	CHECK_INT(r.verdict, FW_REJECT);
	CHECK_STR(rule_of(p, &r), "xudt");
	sri_sm(&m);
	m.anomalies = ANOM_BIT(ANOM_LONG_TID);
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "anom");
	sri_sm(&m);
	static const uint8_t v1[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x01 };
	m.tcap.acn = (struct bytes){ v1, sizeof v1 };
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "acn-v1");
	sri_sm(&m);
	m.sccp.cgpa.gt = D("999340003");
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "not-smsc");
	m.sccp.cgpa.present = false;     /* no calling GT: not in the list either */
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "not-smsc");
	sri_sm(&m);
	m.tcap.comp[0].map.msisdn.d = D("9991255900001");
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "msisdn");
	/* a second component decides when it is stricter */
	sri_sm(&m);
	m.tcap.n_components = 2;
	m.tcap.comp[1] = m.tcap.comp[0];
	m.tcap.comp[1].opcode = 59;
	r = eval(p, &m);
	CHECK_INT(r.verdict, FW_DROP);
	CHECK_STR(rule_of(p, &r), "ussd");
	m.tcap.comp[1].type = TCAP_COMP_RESULT_LAST;   /* a result of 59 is not an invoke */
	r = eval(p, &m);
	CHECK_INT(r.verdict, FW_ALLOW);
	policy_free(p);
}

static void test_shadow_rule_is_transparent(void)
{
	struct policy *p = load(
		"rules = (\n"
		"  { name = \"try\"; action = \"drop\"; shadow = true; match = { map_op = \"sendRoutingInfoForSM\"; }; },\n"
		"  { name = \"also\"; action = \"drop\"; shadow = true; match = { si = 3; }; },\n"
		"  { name = \"real\"; action = \"drop\"; match = { cgpa_gt = \"99956\"; }; }\n"
		");\n");
	if (!p)
		return;
	struct msu m;
	sri_sm(&m);
	struct pol_result r = eval(p, &m);
	CHECK_INT(r.verdict, FW_ALLOW);
	CHECK_INT(r.rule, -1);
	CHECK_INT(r.shadow_rule, 0);
	CHECK_INT(r.n_shadow, 2);
	/* the enforced rule after the shadow ones still decides */
	m.sccp.cgpa.gt = D("99956000001");
	r = eval(p, &m);
	CHECK_INT(r.verdict, FW_DROP);
	CHECK_STR(rule_of(p, &r), "real");
	policy_free(p);
}

static void test_malformed(void)
{
	struct policy *p = load("policy = { malformed = \"drop\"; default = \"allow\"; passthrough_ssn = [ 254 ]; };\n"
				"rules = ( { name = \"m\"; check = \"malformed\"; action = \"allow\"; } );\n");
	if (!p)
		return;
	struct msu m;
	sri_sm(&m);
	CHECK(!policy_malformed(p, &m, false));
	CHECK(policy_malformed(p, &m, true));
	m.tcap.comp[0].map.state = MAP_DECODE_FAILED;
	CHECK(policy_malformed(p, &m, false));
	struct pol_input in = { .m = &m, .link = -1, .malformed = true };
	struct pol_result r;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_DROP);
	CHECK_INT(r.rule, -2);
	/* a segment that was not reassembled; a first-and-only one is whole */
	sri_sm(&m);
	m.sccp.has_segment = true;
	CHECK(policy_malformed(p, &m, false));
	m.sccp.seg_first = true;
	CHECK(!policy_malformed(p, &m, false));
	m.sccp.seg_remaining = 1;
	CHECK(policy_malformed(p, &m, false));
	/* broken TCAP: on any SSN */
	sri_sm(&m);
	m.tcap.present = false;
	m.error_layer = LAYER_TCAP;
	m.error = WIRE_MALFORMED;
	CHECK(policy_malformed(p, &m, false));
	m.sccp.cdpa.ssn = 254;
	CHECK(policy_malformed(p, &m, false));
	/* not TCAP: malformed but towards a passthrough SSN */
	m.error = WIRE_UNSUPPORTED;
	m.anomalies = ANOM_BIT(ANOM_NOT_TCAP);
	CHECK(!policy_malformed(p, &m, false));
	m.sccp.cdpa.ssn = 146;
	CHECK(policy_malformed(p, &m, false));
	m.sccp.cdpa.has_ssn = false;
	CHECK(policy_malformed(p, &m, false));
	sri_sm(&m);
	m.anomalies = ANOM_BIT(ANOM_TOO_MANY_COMPONENTS);
	CHECK(policy_malformed(p, &m, false));
	/* M3UA: unknown message types, unless management ones are relayed */
	memset(&m, 0, sizeof m);
	m.m3ua.present = true;
	m.m3ua.msg_class = 3;
	m.m3ua.msg_type = 7;
	m.anomalies = ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG);
	CHECK(policy_malformed(p, &m, false));
	m.anomalies = 0;
	CHECK(!policy_malformed(p, &m, false));
	policy_free(p);
	p = load("policy = { m3ua_unknown = \"relay_management\"; };\n"
		 "rules = ( { name = \"m\"; check = \"malformed\"; action = \"drop\"; } );\n");
	if (!p)
		return;
	m.anomalies = ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG);
	CHECK(!policy_malformed(p, &m, false));  /* ASPSM 3/7 */
	m.m3ua.msg_class = 1;                    /* transfer 1/7: never */
	CHECK(policy_malformed(p, &m, false));
	m.m3ua.msg_class = 5;                    /* undefined class: never */
	CHECK(policy_malformed(p, &m, false));
	policy_free(p);
}

/* policy.malformed = "allow": the rules see malformed MSUs, and the malformed
 * check and condition fire (false positive 11 of issue 8). */
static void test_malformed_allow(void)
{
	struct policy *p = load("policy = { malformed = \"allow\"; default = \"allow\"; };\n"
				"rules = ( { name = \"bad-to-hlr\"; check = \"malformed\"; action = \"drop\";\n"
				"            match = { cdpa_ssn = 6; }; },\n"
				"          { name = \"bad-cond\"; action = \"drop\"; match = { malformed = true; cdpa_ssn = 7; }; } );\n");
	if (!p)
		return;
	struct msu m;
	sri_sm(&m);
	struct pol_input in = { .m = &m, .link = -1, .malformed = true };
	struct pol_result r;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_DROP);
	CHECK_STR(rule_of(p, &r), "bad-to-hlr");
	m.sccp.cdpa.ssn = 7;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_DROP);
	CHECK_STR(rule_of(p, &r), "bad-cond");
	m.sccp.cdpa.ssn = 8;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_ALLOW);
	CHECK_INT(r.rule, -1);
	in.malformed = false;                    /* the same MSU well-formed */
	m.sccp.cdpa.ssn = 6;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_ALLOW);
	policy_free(p);
}

/* Global opcode 0.4.0.0.1.3.71 is screened as local 71; other OIDs are malformed. */
static void test_canon_global_opcode(void)
{
	struct msu m, scratch;
	sri_sm(&m);
	static const uint8_t oid71[] = { 0x04, 0x00, 0x00, 0x01, 0x03, 71 };
	static const uint8_t other[] = { 0x2a, 0x03, 0x04 };
	struct tcap_component *c = &m.tcap.comp[0];
	c->opcode_global = true;
	c->opcode = 0;
	c->opcode_oid = (struct bytes){ oid71, sizeof oid71 };
	bool bad;
	const struct msu *cm = policy_canon(&m, &scratch, &bad);
	CHECK(!bad);
	CHECK(cm == &scratch);
	CHECK(!cm->tcap.comp[0].opcode_global);
	CHECK_INT(cm->tcap.comp[0].opcode, 71);
	CHECK(m.tcap.comp[0].opcode_global);       /* the wire view is untouched */
	c->opcode_oid = (struct bytes){ other, sizeof other };
	policy_canon(&m, &scratch, &bad);
	CHECK(bad);
	c->opcode_global = false;
	CHECK(policy_canon(&m, &scratch, &bad) == &m);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void test_load_errors(void)
{
	write_file("big.conf", "extra = [ \"123\",\n  \"12z4\" ];\n");
	const char *path = write_file("bad.conf",
		"policy = { mode = \"enforce\"; rsds_window = 0; };\n"         /* 1 */
		"lists = {\n"                                                  /* 2 */
		"  @include \"big.conf\"\n"                                    /* 3 */
		"};\n"                                                         /* 4 */
		"partners = ( { name = \"p\"; gt = [ \"@nosuch\" ]; } );\n"     /* 5 */
		"links = ( { name = \"l\"; partner = \"q\";\n"                  /* 6 */
		"  carrier = { mode = \"listen\"; local = [ \"1.2.3.4:99999\" ]; }; } );\n" /* 7 */
		"rules = (\n"                                                  /* 8 */
		"  { name = \"a\"; action = \"drop\"; match = { colour = 1; }; },\n" /* 9 */
		"  { name = \"a\"; action = \"drop\"; check = \"nope\"; },\n"     /* 10 */
		"  { name = \"c\"; action = \"drop\"; match = { link = \"zz\"; }; }\n" /* 11 */
		");\n"
		"bogus = 1;\n"                                                 /* 13 */
		"settings = { state = { backend = \"redis\"; tls = true; }; };\n"); /* 14 */
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);
	int nerr = 0;
	struct policy *p = policy_load(path, f, &nerr);
	fclose(f);
	CHECK(p == NULL);
	char want[256];
	const char *exp[] = {
		"/bad.conf:1: 'policy.rsds_window' = 0 is out of range",
		"/big.conf:2: lists.extra: \"12z4\" is not a prefix",
		"/bad.conf:5: partner gt: unknown list 'nosuch'",
		"/bad.conf:6: link 'l': unknown partner 'q'",
		"/bad.conf:7: link 'l' carrier.local: \"1.2.3.4:99999\" is not",
		"/bad.conf:9: rule 'a': unknown condition 'colour'",
		"/bad.conf:10: rule 'a' defined twice",
		"/bad.conf:10: rule 'a': unknown check 'nope'",
		"/bad.conf:11: rule 'c' link: unknown value 'zz'",
		"/bad.conf:13: unknown setting 'bogus' in the top level",
		"/bad.conf:14: settings.state.tls needs tls_ca_file",
	};
	for (size_t i = 0; i < sizeof exp / sizeof exp[0]; i++) {
		snprintf(want, sizeof want, "%s%s", tmpdir, exp[i]);
		if (!msg || !strstr(msg, want)) {
			fprintf(stderr, "  missing: %s\n", want);
			CHECK(0);
		}
	}
	CHECK_INT(nerr, count_lines(msg));
	CHECK(nerr >= 10);
	free(msg);
	policy_free(p);
}

static void test_links_and_settings(void)
{
	struct policy *p = load(
		"partners = ( { name = \"pa\"; gt = \"99934\"; links = [ \"l1\" ]; } );\n"
		"links = ( { name = \"l1\";\n"
		"  carrier = { transport = \"sctp\"; mode = \"listen\"; local = [ \"192.0.2.1:2905\", \"[2001:db8::1]:2905\" ]; remote = [ \"192.0.2.10\" ]; streams = 4; };\n"
		"  core = { remote = [ \"10.0.0.5:2906\" ]; }; } );\n"
		"settings = { metrics_port = 0; event_log = \"syslog\"; queue_bytes = 1048576; };\n"
		"rules = ( { name = \"x\"; check = \"link_screening\"; action = \"drop\"; } );\n");
	if (!p)
		return;
	CHECK_INT(p->n_links, 1);
	const struct link_cfg *l = &p->links[0].cfg;
	CHECK_STR(l->partner, "pa");
	CHECK_INT(p->links[0].partner, 0);
	CHECK_INT(l->carrier.transport, EP_SCTP);
	CHECK_INT(l->carrier.n_local, 2);
	CHECK_INT(l->carrier.local[1].ss_family, AF_INET6);
	CHECK_INT(l->carrier.streams, 4);
	CHECK_INT(l->core.mode, EP_CONNECT);
	CHECK_INT(l->core.transport, EP_TCP);
	CHECK_INT(p->settings.metrics_port, 0);
	CHECK_STR(p->settings.event_log, "syslog");
	CHECK_INT(p->settings.queue_bytes, 1048576);
	CHECK_INT(p->settings.max_msg, 65536);
	CHECK_STR(p->settings.metrics_addr, "127.0.0.1");
	CHECK_INT(p->cfg.rsds_window_s, 600);
	/* link screening with the link known */
	struct msu m;
	sri_sm(&m);
	struct pol_input in = { .m = &m, .link = 0, .dir = FW_DIR_IN };
	struct pol_result r;
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_ALLOW);
	m.sccp.cgpa.gt = D("99956000001");
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_DROP);
	in.dir = FW_DIR_OUT;             /* only what arrives from the carrier */
	policy_eval(p, &in, &r);
	CHECK_INT(r.verdict, FW_ALLOW);
	policy_free(p);
}


/* Exact entries ("=..."): that number only; beside prefixes of the same set. */
static void test_exact_entries(void)
{
	struct pfx_set *s = pfx_new();
	CHECK_INT(pfx_add(s, "=999340001"), 0);
	CHECK_INT(pfx_add(s, "=999340002"), 0);
	CHECK_INT(pfx_add(s, "99956"), 0);
	CHECK_INT(pfx_add(s, "="), -1);
	CHECK_INT(pfx_add(s, "=12345678901234567"), -1);
	pfx_finalize(s);
	CHECK_INT(s->total, 3);
	struct digits d;
	d = D("999340001");            CHECK(pfx_match(s, &d));
	d = D("999340002");            CHECK(pfx_match(s, &d));
	d = D("9993400015");           CHECK(!pfx_match(s, &d));
	d = D("99934000");             CHECK(!pfx_match(s, &d));
	d = D("999560001");            CHECK(pfx_match(s, &d));
	/* a union keeps both kinds */
	struct pfx_set *u = pfx_new();
	pfx_add_set(u, s);
	pfx_finalize(u);
	d = D("9993400015");           CHECK(!pfx_match(u, &d));
	d = D("999340001");            CHECK(pfx_match(u, &d));
	pfx_free(u);
	/* a canonical number: 340001 national with cc 999 is the exact entry */
	struct num_plan plan = { .cc_n = 3, .cc = { 9, 9, 9 }, .trunk_n = 1 };
	struct num x;
	d = D("340001");
	num_canon(&x, &d, NUM_NATIONAL, &plan);
	CHECK(pfx_match_num(s, &x));
	d = D("3400015");
	num_canon(&x, &d, NUM_NATIONAL, &plan);
	CHECK(!pfx_match_num(s, &x));
	pfx_free(s);
}

/* tcap_app, cap_op, scmg conditions; the numbering plan settings and their errors. */
static void test_app_conditions_and_plan(void)
{
	struct policy *p = load(
		"home = { cc = \"999\"; trunk_prefix = \"\"; pc = [ 2345 ]; };\n"
		"partners = ( { name = \"b\"; gt = [ \"99956\" ]; cc = \"44\"; } );\n"
		"rules = (\n"
		"  { name = \"cap-idp\"; action = \"drop\"; match = { tcap_app = \"cap\"; cap_op = \"initialDP\"; }; },\n"
		"  { name = \"other\"; action = \"drop\"; match = { tcap_app = [ \"other\" ]; }; },\n"
		"  { name = \"sst\"; action = \"drop\"; match = { scmg_type = \"SST\"; scmg_affected_ssn = 6; scmg_affected_pc = [ 2345 ]; }; }\n"
		");\n");
	if (!p)
		return;
	CHECK_INT(p->home_plan.cc_n, 3);
	CHECK_INT(p->home_plan.trunk_n, 0);
	CHECK_INT(p->home_plan.intl_n, 2);
	CHECK_INT(p->n_home_pc, 1);
	CHECK(p->partners[0].has_plan);
	CHECK_INT(p->partners[0].plan.cc_n, 2);
	struct msu m;
	sri_sm(&m);
	m.app = TCAP_APP_CAP;
	m.tcap.comp[0].opcode = 0;
	struct pol_result r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "cap-idp");
	m.tcap.comp[0].opcode = 24;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "(default)");
	m.app = TCAP_APP_MAP;                      /* op 0 as MAP is no CAP op */
	m.tcap.comp[0].opcode = 0;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "(default)");
	m.app = TCAP_APP_OTHER;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "other");
	sri_sm(&m);
	m.tcap.present = false;
	m.scmg = (struct scmg_info){ .present = true, .type = SCMG_SST, .affected_ssn = 6, .affected_pc = 2345 };
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "sst");
	m.scmg.affected_pc = 2346;
	r = eval(p, &m);
	CHECK_STR(rule_of(p, &r), "(default)");
	policy_free(p);
	/* errors name the file and line */
	static const char *const bad[] = {
		"home = { cc = \"9a\"; };\n", "home = { cc = \"\"; };\n", "home = { cc = \"1234\"; };\n",
		"home = { intl_prefix = 0; };\n", "home = { pc = [ 16384 ]; };\n",
		"policy = { passthrough_ssn = [ 1 ]; };\n", "policy = { passthrough_ssn = 254; };\n",
		"policy = { m3ua_unknown = \"relay\"; };\n",
		"partners = ( { name = \"b\"; trunk_prefix = \"0\"; } );\n",
		"rules = ( { name = \"x\"; action = \"drop\"; match = { cap_op = \"sendRoutingInfo\"; }; } );\n",
		"rules = ( { name = \"x\"; action = \"drop\"; match = { tcap_app = \"inap\"; }; } );\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *f = write_file("bad.conf", bad[i]);
		char buf[512] = "";
		FILE *err = fmemopen(buf, sizeof buf, "w");
		struct policy *q = policy_load(f, err, NULL);
		fclose(err);
		CHECK(q == NULL);
		CHECK(strstr(buf, "bad.conf:1: ") != NULL || strstr(buf, "bad.conf:2: ") != NULL);
		policy_free(q);
	}
}

TEST_MAIN("test_policy", {
	strcpy(tmpdir, "/tmp/ss7fw-policy-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	RUN(test_prefix_sets);
	RUN(test_prefix_100k);
	RUN(test_prefix_random);
	RUN(test_conditions);
	RUN(test_shadow_rule_is_transparent);
	RUN(test_malformed);
	RUN(test_malformed_allow);
	RUN(test_exact_entries);
	RUN(test_app_conditions_and_plan);
	RUN(test_canon_global_opcode);
	RUN(test_load_errors);
	RUN(test_links_and_settings);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
})
