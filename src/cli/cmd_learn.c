/* ss7fw learn [-c CONFIG] [-o DRAFT] [--home PREFIX]... [--min-prefix N]
 *             [--plain-smsc] FILE...
 *
 * Learns what the interconnect carries, from pcap/pcapng captures (read and
 * decoded as `ss7fw replay` does) or from JSON MSU records (the event log of
 * an instance in shadow mode with allows sampled, or `ss7fw replay`
 * output; shared/design/event-schema.md). It reports, per link and partner,
 * the calling GT ranges seen from the carrier, the SMSC GTs that sent
 * SRI-SM or MT forward-SM, and the operations with their counts; with -o it
 * writes a draft configuration (partners with their GT ranges, AA.19 SMSC
 * lists of exact GTs, link screening and per-link operation allowlists, in
 * shadow mode), checks that it loads, and replays the captures through it.
 *
 * What is learned: MSUs from the carrier ("in") that are not malformed,
 * carry a calling GT outside the home ranges and no home SC address, from
 * calling GTs outside every "hostile" range. A hostile range is the
 * aggregate (learn_aggregate) of the calling GTs that sent an FS.11
 * category 1 operation: whoever sends those is not a partner to learn from.
 * The rest is reported as not learned, with the reason.
 *
 * -c gives the links (names, endpoints, directions), the partner names, the
 * home ranges and the settings, which the draft copies. Without -c, each
 * direction of an address pair is its own link (as in replay), --home gives
 * the home GT ranges, and the draft has no links.
 * Exit: 0, 1 on an input, configuration or draft error, 2 on usage. */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <libconfig.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ss7fw/capture.h"
#include "ss7fw/cmd.h"
#include "ss7fw/engine.h"
#include "ss7fw/learn.h"
#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

#define LEARN_MAX_LINKS   256
#define LEARN_TAB_BITS    18                 /* 262144 counters, about 15 MB */
#define LEARN_TAB_SIZE    (1u << LEARN_TAB_BITS)
#define LEARN_TAB_FILL    (LEARN_TAB_SIZE / 4 * 3)
#define LEARN_LINE_MAX    65536              /* longest JSON record read */
#define LEARN_MAX_TOKENS  2048
#define LEARN_MAX_HOME    64
#define LEARN_NAME_MAX    (2 * (INET6_ADDRSTRLEN + 8) + 2)
#define LEARN_GT_MAX      (WIRE_MAX_DIGITS + 1)

/* Counter keys besides local opcodes 0..255. */
enum {
	OP_MSU = 256,        /* MSUs (not invokes) from a calling GT */
	OP_MT_FSM,           /* forwardSM (46) when mobile-terminated */
	OP_UNKNOWN,          /* an invoke without a local MAP opcode */
	OP_MALFORMED,        /* MSUs not learned: malformed */
	OP_OWN,              /* ... a home GT or home SC address */
	OP_NO_GT,            /* ... no calling GT */
	OP_SC_MISMATCH,      /* MSUs whose MAP SC address differs from the calling GT */
	OP_OTHER,            /* non-SCCP MSUs (ISUP, ...) */
	OP__COUNT
};

struct ent {
	uint8_t used, dir;
	uint16_t link, op;
	char gt[LEARN_GT_MAX];
	uint64_t n;
};

struct lnk {
	char name[LEARN_NAME_MAX];
	int cfg;                         /* index in the config's links, -1 */
	char partner[CFG_NAME_MAX];      /* the draft's partner name ("" none) */
	char list[CFG_NAME_MAX];         /* the draft's SMSC list name */
	uint64_t msgs[2], non_data[2];
	/* analysis */
	char (*ranges)[LEARN_PFX_MAX + 1];
	size_t n_ranges;
	char (*hostile)[LEARN_PFX_MAX + 1];
	size_t n_hostile;
	uint64_t ops[OP__COUNT];         /* learned invokes */
	size_t n_smsc;
	bool sc_mismatch;
	/* draft check */
	uint64_t chk_learned, chk_learned_drop, chk_other, chk_other_drop;
};

/* One MSU, from a capture or a record. */
struct obs {
	int link;
	uint8_t dir;
	bool data, sccp, malformed, own, sc_mismatch;
	char gt[LEARN_GT_MAX];
	unsigned n_ops;
	uint16_t ops[TCAP_MAX_COMPONENTS];
};

struct learn {
	struct engine *e;                /* the config's links (lookup), or empty */
	struct policy *pol;              /* the config, or NULL */
	const char *config;              /* its path */
	config_t cfg;                    /* the config as text settings (copied to the draft) */
	bool have_cfg;
	struct pfx_set *home;            /* home GTs and home SMSCs */
	const char *home_arg[LEARN_MAX_HOME];
	unsigned n_home_arg;
	uint64_t cat1[4];
	unsigned min_len;
	bool plain_smsc;
	struct lnk links[LEARN_MAX_LINKS];
	unsigned n_links;
	uint64_t links_lost;
	struct ent *tab;
	size_t tab_used;
	uint64_t tab_lost;
	struct msu m, scratch;
	/* totals */
	unsigned n_files, n_captures;
	uint64_t n_msgs, n_records, n_skipped;
	bool have_ts;
	struct timespec ts_min, ts_max;  /* captures */
	char ts_smin[40], ts_smax[40];   /* records */
	/* draft check (second pass) */
	struct engine *draft;
	uint64_t chk_rules_n[64];
	char chk_rules[64][CFG_NAME_MAX];
	unsigned chk_n_rules;
	bool checking;
};

/* ---- counters */
static uint32_t hash_key(uint16_t link, uint8_t dir, uint16_t op, const char *gt)
{
	uint32_t h = 2166136261u;   /* FNV-1a */
	uint8_t k[5] = { (uint8_t)link, (uint8_t)(link >> 8), dir, (uint8_t)op, (uint8_t)(op >> 8) };
	for (int i = 0; i < 5; i++)
		h = (h ^ k[i]) * 16777619u;
	for (; *gt; gt++)
		h = (h ^ (uint8_t)*gt) * 16777619u;
	return h;
}

static struct ent *tab_find(struct learn *L, uint16_t link, uint8_t dir, uint16_t op, const char *gt,
			    bool add)
{
	uint32_t i = hash_key(link, dir, op, gt) & (LEARN_TAB_SIZE - 1);
	for (;;) {
		struct ent *x = &L->tab[i];
		if (!x->used) {
			if (!add || L->tab_used >= LEARN_TAB_FILL)
				return NULL;
			x->used = 1;
			x->link = link;
			x->dir = dir;
			x->op = op;
			snprintf(x->gt, sizeof x->gt, "%s", gt);
			L->tab_used++;
			return x;
		}
		if (x->link == link && x->dir == dir && x->op == op && !strcmp(x->gt, gt))
			return x;
		i = (i + 1) & (LEARN_TAB_SIZE - 1);
	}
}

static void count(struct learn *L, int link, uint8_t dir, uint16_t op, const char *gt)
{
	struct ent *x = tab_find(L, (uint16_t)link, dir, op, gt, true);
	if (x)
		x->n++;
	else
		L->tab_lost++;
}

static uint64_t get(struct learn *L, int link, uint8_t dir, uint16_t op, const char *gt)
{
	struct ent *x = tab_find(L, (uint16_t)link, dir, op, gt, false);
	return x ? x->n : 0;
}

/* ---- links */
static int link_index(struct learn *L, const char *name, int cfg)
{
	for (unsigned i = 0; i < L->n_links; i++)
		if (!strcmp(L->links[i].name, name))
			return (int)i;
	if (L->n_links >= LEARN_MAX_LINKS) {
		L->links_lost++;
		return -1;
	}
	struct lnk *k = &L->links[L->n_links];
	memset(k, 0, sizeof *k);
	snprintf(k->name, sizeof k->name, "%s", name);
	k->cfg = cfg;
	if (cfg < 0 && L->pol)   /* a record's link name that the config knows */
		for (uint32_t j = 0; j < L->pol->n_links; j++)
			if (!strcmp(L->pol->links[j].cfg.name, name))
				k->cfg = (int)j;
	return (int)L->n_links++;
}

/* ---- one MSU */
static bool is_cat1(const struct learn *L, unsigned op)
{
	if (op == OP_MT_FSM)
		op = 46;
	return op < 256 && (L->cat1[op >> 6] >> (op & 63) & 1);
}

/* A number in its canonical form (docs/policy.md, "Numbers"): in the
 * home set?, and as text. */
static bool home_num(const struct learn *L, const struct num *x)
{
	return L->home && x->d && x->n && pfx_match_num(L->home, x);
}

/* The home set also holds the --home prefixes: a text GT is checked by
 * packing it into BCD first. */
static bool home_text(const struct learn *L, const char *gt)
{
	uint8_t b[WIRE_MAX_DIGITS / 2 + 1] = { 0 };
	size_t n = strlen(gt);
	if (!L->home || !n || n > WIRE_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = gt[i];
		int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return false;
		b[i / 2] |= (uint8_t)(v << ((i & 1) * 4));
	}
	struct digits d = { .p = b, .n = (uint8_t)n };
	return pfx_match(L->home, &d);
}

static void add_obs(struct learn *L, const struct obs *o)
{
	if (o->link < 0)
		return;
	struct lnk *k = &L->links[o->link];
	uint8_t dir = o->dir;
	k->msgs[dir]++;
	if (!o->data) {
		k->non_data[dir]++;
		return;
	}
	if (dir == FW_DIR_OUT) {
		count(L, o->link, dir, OP_MSU, "");
		for (unsigned i = 0; i < o->n_ops; i++)
			count(L, o->link, dir, o->ops[i], "");
		return;
	}
	if (o->malformed) {
		count(L, o->link, dir, OP_MALFORMED, "");
		return;
	}
	if (!o->sccp) {
		count(L, o->link, dir, OP_OTHER, "");
		return;
	}
	if (!o->gt[0]) {
		count(L, o->link, dir, OP_NO_GT, "");
		return;
	}
	if (o->own) {
		count(L, o->link, dir, OP_OWN, "");
		return;
	}
	count(L, o->link, dir, OP_MSU, o->gt);
	for (unsigned i = 0; i < o->n_ops; i++)
		count(L, o->link, dir, o->ops[i], o->gt);
	if (o->sc_mismatch)
		count(L, o->link, dir, OP_SC_MISMATCH, o->gt);
}

static bool num_eq_text(const struct num *x, const char *s)
{
	char b[LEARN_GT_MAX + NUM_MAX_CC];
	if (!x->d || !x->n)
		return false;
	num_to_str(x, b, sizeof b);
	return !strcmp(b, s);
}

/* The observation of a decoded M3UA message (m0 as engine_screen decoded
 * it, with the numbering plan of its link): numbers in canonical form. */
static void obs_from_msu(struct learn *L, const struct msu *m0, struct obs *o)
{
	bool bad = false;
	const struct msu *m = policy_canon(m0, &L->scratch, &bad);
	o->malformed = policy_malformed(L->pol, m, bad);
	o->data = (m0->m3ua.present && m0->m3ua.msg_class == 1 && m0->m3ua.msg_type == 1) || o->malformed;
	if (!o->data)
		return;
	o->sccp = m->sccp.present;
	if (m->sccp.present && m->sccp.cgpa.present && m->sccp.cgpa.gt.n) {
		struct num x;
		num_canon(&x, &m->sccp.cgpa.gt, num_form_gt(&m->sccp.cgpa), m0->plan);
		if (x.d && x.n && x.n < LEARN_GT_MAX) {
			num_to_str(&x, o->gt, sizeof o->gt);
			o->own = home_num(L, &x);
		}
	}
	if (!m->tcap.present)
		return;
	for (unsigned i = 0; i < m->tcap.n_components && i < TCAP_MAX_COMPONENTS; i++) {
		const struct tcap_component *c = &m->tcap.comp[i];
		struct num sc = { 0 }, oa = { 0 };
		if (c->map.sc_addr.present)
			num_canon(&sc, &c->map.sc_addr.d, num_form_ton(c->map.sc_addr.ton, c->map.sc_addr.npi),
				  m0->plan);
		if (c->map.sm_rp_oa.kind == SM_RP_SC_ADDR)
			num_canon(&oa, &c->map.sm_rp_oa.d, num_form_ton(c->map.sm_rp_oa.ton, c->map.sm_rp_oa.npi),
				  m0->plan);
		if (home_num(L, &sc) || home_num(L, &oa))
			o->own = true;
		if (c->type != TCAP_COMP_INVOKE)
			continue;
		uint16_t op = OP_UNKNOWN;
		if (c->has_opcode && !c->opcode_global && c->opcode >= 0 && c->opcode < 256)
			op = (uint16_t)c->opcode;
		bool mt = policy_is_mt_sms(m, c);
		if (op == 46 && mt)
			op = OP_MT_FSM;
		o->ops[o->n_ops++] = op;
		/* IR.71 2.1.6: the SC address equals the calling GT */
		if (op == 45 || op == 47)
			o->sc_mismatch |= !num_eq_text(&sc, o->gt);
		else if (mt)
			o->sc_mismatch |= !num_eq_text(&oa, o->gt);
	}
}

/* ---- the draft check: replay the capture through the draft */
static bool gt_learned(const struct lnk *k, const char *gt)
{
	for (size_t h = 0; h < k->n_hostile; h++)
		if (learn_has_prefix(gt, k->hostile[h]))
			return false;
	return true;
}

static void check_count_rule(struct learn *L, const char *rule)
{
	if (!rule)
		rule = "(default)";
	for (unsigned i = 0; i < L->chk_n_rules; i++)
		if (!strcmp(L->chk_rules[i], rule)) {
			L->chk_rules_n[i]++;
			return;
		}
	if (L->chk_n_rules < 64) {
		snprintf(L->chk_rules[L->chk_n_rules], CFG_NAME_MAX, "%s", rule);
		L->chk_rules_n[L->chk_n_rules++] = 1;
	}
}

static void on_msg(void *arg, const uint8_t *msg, size_t len, const struct sockaddr *src,
		   const struct sockaddr *dst, uint16_t stream, const struct timespec *ts,
		   uint64_t frame)
{
	struct learn *L = arg;
	(void)frame;
	struct engine *e = L->checking ? L->draft : L->e;
	uint8_t dir = FW_DIR_IN;
	int ci = engine_link_lookup(e, src, dst, &dir);
	char name[LEARN_NAME_MAX];
	if (ci >= 0) {
		const struct link_cfg *l = engine_link(e, ci);
		snprintf(name, sizeof name, "%s", l ? l->name : "");
	} else {
		size_t n = cmd_fmt_addr(name, sizeof name, src);
		name[n++] = '>';
		cmd_fmt_addr(name + n, sizeof name - n, dst);
		dir = FW_DIR_IN;
	}
	struct obs o = { .dir = dir };
	if (!L->checking) {
		L->n_msgs++;
		if (!L->have_ts || ts->tv_sec < L->ts_min.tv_sec ||
		    (ts->tv_sec == L->ts_min.tv_sec && ts->tv_nsec < L->ts_min.tv_nsec))
			L->ts_min = *ts;
		if (!L->have_ts || ts->tv_sec > L->ts_max.tv_sec ||
		    (ts->tv_sec == L->ts_max.tv_sec && ts->tv_nsec > L->ts_max.tv_nsec))
			L->ts_max = *ts;
		L->have_ts = true;
		o.link = link_index(L, name, ci);
		struct msu_meta meta = { .ts = *ts, .link = ci, .link_name = name, .dir = dir, .stream = stream };
		struct fw_decision d;
		engine_screen(L->e, msg, len, &meta, &L->m, &d);   /* decoded as replay does */
		obs_from_msu(L, &L->m, &o);
		add_obs(L, &o);
		return;
	}
	/* second pass: the draft's verdict on each MSU from a carrier */
	struct msu_meta meta = { .ts = *ts, .link = ci, .link_name = name, .dir = dir, .stream = stream };
	struct fw_decision d;
	engine_screen(L->draft, msg, len, &meta, &L->m, &d);
	obs_from_msu(L, &L->m, &o);
	if (!o.data || dir != FW_DIR_IN)
		return;
	int li = -1;
	for (unsigned i = 0; i < L->n_links; i++)
		if (!strcmp(L->links[i].name, name))
			li = (int)i;
	if (li < 0)
		return;
	struct lnk *k = &L->links[li];
	bool learned = !o.malformed && o.sccp && o.gt[0] && !o.own && gt_learned(k, o.gt);
	bool dropped = d.verdict != FW_ALLOW;
	if (learned) {
		k->chk_learned++;
		k->chk_learned_drop += dropped;
	} else {
		k->chk_other++;
		k->chk_other_drop += dropped;
	}
	if (dropped)
		check_count_rule(L, d.rule);
}

/* ---- JSON records */
static bool anomaly_listed(const char *s, const struct json_tok *t, int arr, const char *name)
{
	char b[64];
	for (unsigned i = 0;; i++) {
		int a = json_at(t, arr, i);
		if (a < 0)
			return false;
		if (json_str(s, t, a, b, sizeof b) && !strcmp(b, name))
			return true;
	}
}

/* Local opcode of a component: "opcode", or "opcode_global" 0.4.0.0.1.3.N. */
static int record_opcode(const char *s, const struct json_tok *t, int c)
{
	long long v;
	if (json_int(s, t, json_get(s, t, c, "opcode"), &v))
		return v >= 0 && v < 256 ? (int)v : -1;
	char g[64];
	if (json_str(s, t, json_get(s, t, c, "opcode_global"), g, sizeof g) &&
	    !strncmp(g, "0.4.0.0.1.3.", 12)) {
		char *end;
		long x = strtol(g + 12, &end, 10);
		if (!*end && end != g + 12 && x >= 0 && x < 256)
			return (int)x;
	}
	return -1;
}

static void learn_record(struct learn *L, const char *s, const struct json_tok *t)
{
	char link[LEARN_NAME_MAX], dirs[8], rule[CFG_NAME_MAX] = "", ts[40];
	if (t[0].type != JSON_OBJ || !json_str(s, t, json_get(s, t, 0, "link"), link, sizeof link) ||
	    json_get(s, t, 0, "verdict") < 0) {
		L->n_skipped++;      /* not an MSU record (e.g. a "suppressed" line) */
		return;
	}
	L->n_records++;
	if (json_str(s, t, json_get(s, t, 0, "ts"), ts, sizeof ts)) {
		if (!L->ts_smin[0] || strcmp(ts, L->ts_smin) < 0)
			snprintf(L->ts_smin, sizeof L->ts_smin, "%s", ts);
		if (strcmp(ts, L->ts_smax) > 0)
			snprintf(L->ts_smax, sizeof L->ts_smax, "%s", ts);
	}
	struct obs o = { .dir = FW_DIR_IN };
	if (json_str(s, t, json_get(s, t, 0, "dir"), dirs, sizeof dirs) && !strcmp(dirs, "out"))
		o.dir = FW_DIR_OUT;
	o.link = link_index(L, link, -1);
	json_str(s, t, json_get(s, t, 0, "rule"), rule, sizeof rule);
	int mtp3 = json_get(s, t, 0, "mtp3"), sccp = json_get(s, t, 0, "sccp");
	int tcap = json_get(s, t, 0, "tcap"), map = json_get(s, t, 0, "map");
	int anom = json_get(s, t, 0, "anomalies");
	o.data = mtp3 >= 0 || !strcmp(rule, "malformed");
	o.sccp = sccp >= 0;
	static const char *const bad[] = { "truncated", "segmented", "too_many_components",
					   "map_undecoded", "sms_undecoded", "sccp_connection_oriented" };
	o.malformed = !strcmp(rule, "malformed");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0] && anom >= 0; i++)
		o.malformed |= anomaly_listed(s, t, anom, bad[i]);
	/* numbers in canonical form: "e164" where the record has it (the wire
	 * digits were not international), else the digits */
	int cgpa = json_get(s, t, sccp, "cgpa");
	if (!json_str(s, t, json_get(s, t, cgpa, "e164"), o.gt, sizeof o.gt) &&
	    !json_str(s, t, json_get(s, t, cgpa, "digits"), o.gt, sizeof o.gt))
		o.gt[0] = 0;
	o.own = home_text(L, o.gt);
	char sc[LEARN_GT_MAX] = "", oa[LEARN_GT_MAX] = "", oak[16] = "", dak[16] = "", acn[64] = "";
	if (!json_str(s, t, json_get(s, t, map, "sc_addr_e164"), sc, sizeof sc))
		json_str(s, t, json_get(s, t, map, "sc_addr"), sc, sizeof sc);
	int oa_t = json_get(s, t, map, "sm_rp_oa"), da_t = json_get(s, t, map, "sm_rp_da");
	json_str(s, t, json_get(s, t, oa_t, "kind"), oak, sizeof oak);
	if (!json_str(s, t, json_get(s, t, oa_t, "e164"), oa, sizeof oa))
		json_str(s, t, json_get(s, t, oa_t, "digits"), oa, sizeof oa);
	json_str(s, t, json_get(s, t, da_t, "kind"), dak, sizeof dak);
	json_str(s, t, json_get(s, t, tcap, "acn"), acn, sizeof acn);
	if ((sc[0] && home_text(L, sc)) || (!strcmp(oak, "sc_addr") && home_text(L, oa)))
		o.own = true;
	int comps = json_get(s, t, tcap, "components");
	for (unsigned i = 0; i < TCAP_MAX_COMPONENTS; i++) {
		int c = json_at(t, comps, i);
		if (c < 0)
			break;
		char type[32];
		if (!json_str(s, t, json_get(s, t, c, "type"), type, sizeof type) || strcmp(type, "invoke"))
			continue;
		int op = record_opcode(s, t, c);
		uint16_t k = op < 0 ? OP_UNKNOWN : (uint16_t)op;
		/* the record's map fields are those of the first invoke */
		bool mt = op == 44 || (op == 46 && (!strncmp(acn, "0.4.0.0.1.0.25.", 15) ||
						    !strcmp(dak, "imsi") || !strcmp(dak, "lmsi") ||
						    !strcmp(dak, "none")));
		if (op == 46 && mt)
			k = OP_MT_FSM;
		o.ops[o.n_ops++] = k;
		if (op == 45 || op == 47)
			o.sc_mismatch |= !sc[0] || strcmp(sc, o.gt) != 0;
		else if (mt)
			o.sc_mismatch |= strcmp(oak, "sc_addr") || strcmp(oa, o.gt);
	}
	add_obs(L, &o);
}

/* One record per line; a line longer than LEARN_LINE_MAX is skipped (and
 * counted), so nothing is sized from the input. */
static int learn_json_file(struct learn *L, const char *path, FILE *f)
{
	struct json_tok *t = malloc(LEARN_MAX_TOKENS * sizeof *t);
	char *line = malloc(LEARN_LINE_MAX + 2);
	int rc = 0;
	if (!t || !line) {
		fprintf(stderr, "ss7fw learn: out of memory\n");
		rc = -1;
		goto out;
	}
	while (fgets(line, LEARN_LINE_MAX + 2, f)) {
		size_t n = strlen(line);
		if (n && line[n - 1] != '\n' && !feof(f)) {
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			L->n_skipped++;
			continue;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		if (json_parse(line, n, t, LEARN_MAX_TOKENS) <= 0) {
			L->n_skipped++;
			continue;
		}
		learn_record(L, line, t);
	}
	if (ferror(f)) {
		fprintf(stderr, "ss7fw learn: %s: read error\n", path);
		rc = -1;
	}
out:
	free(line);
	free(t);
	return rc;
}

/* A capture (pcap or pcapng magic) or JSON records (a '{' first)? */
static int file_kind(const char *path, FILE *f)
{
	uint8_t b[4];
	size_t n = fread(b, 1, 4, f);
	rewind(f);
	if (n == 4) {
		uint32_t be = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
		if (be == 0xa1b2c3d4 || be == 0xd4c3b2a1 || be == 0xa1b23c4d || be == 0x4d3cb2a1 ||
		    be == 0x0a0d0d0a)
			return 1;
	}
	int c;
	while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	rewind(f);
	if (c == '{' || c == EOF)
		return 2;
	fprintf(stderr, "ss7fw learn: %s: neither a pcap/pcapng capture nor JSON records\n", path);
	return 0;
}

/* ---- analysis */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted calling GTs of link li ("in", learned or not: OP_MSU). */
static const char **link_gts(struct learn *L, int li, size_t *n)
{
	size_t cnt = 0;
	for (size_t i = 0; i < LEARN_TAB_SIZE; i++) {
		const struct ent *x = &L->tab[i];
		if (x->used && x->link == li && x->dir == FW_DIR_IN && x->op == OP_MSU && x->gt[0])
			cnt++;
	}
	const char **v = calloc(cnt + 1, sizeof *v);
	if (!v) {
		*n = 0;
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < LEARN_TAB_SIZE; i++) {
		const struct ent *x = &L->tab[i];
		if (x->used && x->link == li && x->dir == FW_DIR_IN && x->op == OP_MSU && x->gt[0])
			v[k++] = x->gt;
	}
	qsort(v, k, sizeof *v, cmp_str);
	*n = k;
	return v;
}

static char (*aggregate(const char **gts, size_t n, unsigned min_len, size_t *out_n))[LEARN_PFX_MAX + 1]
{
	size_t total = learn_aggregate(gts, n, min_len, NULL, 0);
	char (*out)[LEARN_PFX_MAX + 1] = calloc(total + 1, sizeof *out);
	if (!out) {
		*out_n = 0;
		return NULL;
	}
	*out_n = learn_aggregate(gts, n, min_len, out, total);
	return out;
}

static void analyse(struct learn *L)
{
	for (unsigned li = 0; li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		size_t n;
		const char **gts = link_gts(L, (int)li, &n);
		if (!gts)
			continue;
		/* hostile: the ranges of the GTs that sent FS.11 category 1 */
		const char **bad = calloc(n + 1, sizeof *bad), **good = calloc(n + 1, sizeof *good);
		size_t nb = 0, ng = 0;
		for (size_t i = 0; bad && i < n; i++) {
			bool cat1 = false;
			for (unsigned op = 0; op < 256 && !cat1; op++)
				if (is_cat1(L, op) && get(L, (int)li, FW_DIR_IN, (uint16_t)op, gts[i]))
					cat1 = true;
			if (cat1 || (is_cat1(L, OP_MT_FSM) && get(L, (int)li, FW_DIR_IN, OP_MT_FSM, gts[i])))
				bad[nb++] = gts[i];
		}
		if (bad)
			k->hostile = aggregate(bad, nb, L->min_len, &k->n_hostile);
		for (size_t i = 0; good && i < n; i++)
			if (gt_learned(k, gts[i]))
				good[ng++] = gts[i];
		if (good)
			k->ranges = aggregate(good, ng, L->min_len, &k->n_ranges);
		for (size_t i = 0; i < ng; i++) {
			for (unsigned op = 0; op < OP__COUNT; op++)
				if (op < OP_MALFORMED || op == OP_SC_MISMATCH)
					k->ops[op] += get(L, (int)li, FW_DIR_IN, (uint16_t)op, good[i]);
			if (get(L, (int)li, FW_DIR_IN, 45, good[i]) || get(L, (int)li, FW_DIR_IN, 44, good[i]) ||
			    get(L, (int)li, FW_DIR_IN, OP_MT_FSM, good[i]))
				k->n_smsc++;
		}
		k->sc_mismatch = k->ops[OP_SC_MISMATCH] > 0;
		free(bad);
		free(good);
		free(gts);
	}
}

/* ---- the report */
static const char *op_name(unsigned op)
{
	if (op == OP_MT_FSM)
		return "forwardSM(MT)";
	if (op == 46)
		return "forwardSM(MO)";
	if (op == OP_UNKNOWN)
		return "(no local MAP opcode)";
	const char *s = map_op_name((int)op);
	return s ? s : "(unknown)";
}

static unsigned op_code(unsigned op)
{
	return op == OP_MT_FSM ? 46 : op;
}

static void fmt_ts(char *out, size_t cap, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;
	gmtime_r(&t, &tm);
	size_t n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, cap - n, ".%06ldZ", ts->tv_nsec / 1000);
}

static bool in_range_list(char (*r)[LEARN_PFX_MAX + 1], size_t n, const char *gt, size_t *which)
{
	for (size_t i = 0; i < n; i++)
		if (learn_has_prefix(gt, r[i])) {
			*which = i;
			return true;
		}
	return false;
}

/* MSUs and distinct GTs under each range of r, over the GTs gts. */
static void range_counts(struct learn *L, int li, const char **gts, size_t n,
			 char (*r)[LEARN_PFX_MAX + 1], size_t nr, bool learned_only,
			 uint64_t *msus, uint64_t *ngt)
{
	for (size_t i = 0; i < n; i++) {
		size_t w;
		if (learned_only && !gt_learned(&L->links[li], gts[i]))
			continue;
		if (in_range_list(r, nr, gts[i], &w)) {
			msus[w] += get(L, li, FW_DIR_IN, OP_MSU, gts[i]);
			ngt[w]++;
		}
	}
}

static void report(struct learn *L, FILE *out)
{
	char a[40] = "-", b[40] = "-";
	if (L->have_ts) {
		fmt_ts(a, sizeof a, &L->ts_min);
		fmt_ts(b, sizeof b, &L->ts_max);
	} else if (L->ts_smin[0]) {
		snprintf(a, sizeof a, "%s", L->ts_smin);
		snprintf(b, sizeof b, "%s", L->ts_smax);
	}
	fprintf(out, "learn: files=%u messages=%llu records=%llu skipped=%llu from=%s to=%s\n",
		L->n_files, (unsigned long long)L->n_msgs, (unsigned long long)L->n_records,
		(unsigned long long)L->n_skipped, a, b);
	for (unsigned li = 0; li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		size_t n;
		const char **gts = link_gts(L, (int)li, &n);
		fprintf(out, "link %s partner=%s in=%llu out=%llu non_data=%llu\n", k->name,
			k->partner[0] ? k->partner : "-", (unsigned long long)k->msgs[FW_DIR_IN],
			(unsigned long long)k->msgs[FW_DIR_OUT],
			(unsigned long long)(k->non_data[0] + k->non_data[1]));
		uint64_t *rm = calloc(k->n_ranges + k->n_hostile + 2, sizeof *rm);
		uint64_t *rg = calloc(k->n_ranges + k->n_hostile + 2, sizeof *rg);
		if (gts && rm && rg) {
			/* learned MSUs and GTs: those of the learned GTs themselves (a
			 * range may also cover a hostile GT) */
			uint64_t learned = 0, nlg = 0;
			for (size_t i = 0; i < n; i++)
				if (gt_learned(k, gts[i])) {
					learned += get(L, (int)li, FW_DIR_IN, OP_MSU, gts[i]);
					nlg++;
				}
			range_counts(L, (int)li, gts, n, k->ranges, k->n_ranges, true, rm, rg);
			fprintf(out, "  learned msus=%llu gts=%llu ranges=%zu smscs=%zu\n",
				(unsigned long long)learned, (unsigned long long)nlg, k->n_ranges, k->n_smsc);
			for (size_t i = 0; i < k->n_ranges; i++)
				fprintf(out, "  range %s msus=%llu gts=%llu\n", k->ranges[i],
					(unsigned long long)rm[i], (unsigned long long)rg[i]);
			for (size_t i = 0; i < n; i++) {
				if (!gt_learned(k, gts[i]))
					continue;
				uint64_t s1 = get(L, (int)li, FW_DIR_IN, 45, gts[i]);
				uint64_t s2 = get(L, (int)li, FW_DIR_IN, 44, gts[i]) +
					      get(L, (int)li, FW_DIR_IN, OP_MT_FSM, gts[i]);
				if (s1 || s2)
					fprintf(out, "  smsc %s sri_sm=%llu forward_sm=%llu\n", gts[i],
						(unsigned long long)s1, (unsigned long long)s2);
			}
			for (unsigned op = 0; op < OP_MSU; op++)
				if (k->ops[op])
					fprintf(out, "  op %u %s invokes=%llu\n", op, op_name(op),
						(unsigned long long)k->ops[op]);
			if (k->ops[OP_MT_FSM])
				fprintf(out, "  op 46 %s invokes=%llu\n", op_name(OP_MT_FSM),
					(unsigned long long)k->ops[OP_MT_FSM]);
			if (k->ops[OP_UNKNOWN])
				fprintf(out, "  op - %s invokes=%llu\n", op_name(OP_UNKNOWN),
					(unsigned long long)k->ops[OP_UNKNOWN]);
			/* not learned */
			uint64_t hm = 0;
			memset(rm, 0, (k->n_hostile + 1) * sizeof *rm);
			memset(rg, 0, (k->n_hostile + 1) * sizeof *rg);
			range_counts(L, (int)li, gts, n, k->hostile, k->n_hostile, false, rm, rg);
			for (size_t i = 0; i < k->n_hostile; i++)
				hm += rm[i];
			fprintf(out, "  not_learned hostile=%llu malformed=%llu own_address=%llu no_gt=%llu not_sccp=%llu\n",
				(unsigned long long)hm,
				(unsigned long long)get(L, (int)li, FW_DIR_IN, OP_MALFORMED, ""),
				(unsigned long long)get(L, (int)li, FW_DIR_IN, OP_OWN, ""),
				(unsigned long long)get(L, (int)li, FW_DIR_IN, OP_NO_GT, ""),
				(unsigned long long)get(L, (int)li, FW_DIR_IN, OP_OTHER, ""));
			for (size_t i = 0; i < k->n_hostile; i++)
				fprintf(out, "  hostile_range %s msus=%llu gts=%llu\n", k->hostile[i],
					(unsigned long long)rm[i], (unsigned long long)rg[i]);
			uint64_t hops[OP__COUNT] = { 0 };
			for (size_t i = 0; i < n; i++)
				if (!gt_learned(k, gts[i]))
					for (unsigned op = 0; op <= OP_UNKNOWN; op++)
						hops[op] += get(L, (int)li, FW_DIR_IN, (uint16_t)op, gts[i]);
			for (unsigned op = 0; op <= OP_UNKNOWN; op++) {
				if (!hops[op] || op == OP_MSU)
					continue;
				char code[8] = "-";
				if (op != OP_UNKNOWN)
					snprintf(code, sizeof code, "%u", op_code(op));
				fprintf(out, "  hostile_op %s %s invokes=%llu%s\n", code, op_name(op),
					(unsigned long long)hops[op], is_cat1(L, op) ? " fs11_cat1" : "");
			}
		}
		uint64_t om = get(L, (int)li, FW_DIR_OUT, OP_MSU, "");
		if (om) {
			fprintf(out, "  out msus=%llu\n", (unsigned long long)om);
			for (unsigned op = 0; op <= OP_UNKNOWN; op++) {
				if (op == OP_MSU)
					continue;
				uint64_t c = get(L, (int)li, FW_DIR_OUT, (uint16_t)op, "");
				if (c)
					fprintf(out, "  out_op %u %s invokes=%llu\n", op_code(op), op_name(op),
						(unsigned long long)c);
			}
		}
		free(rm);
		free(rg);
		free(gts);
	}
	if (L->tab_lost || L->links_lost)
		fprintf(out, "learn: tables full: %llu counts and %llu links not kept\n",
			(unsigned long long)L->tab_lost, (unsigned long long)L->links_lost);
}

/* ---- the draft */
static void emit_string(FILE *f, const char *v)
{
	fputc('"', f);
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			fputc('\\', f);
		fputc(*v, f);
	}
	fputc('"', f);
}

/* A libconfig setting written back as libconfig text (the values, not the
 * comments or @include lines of the original: included lists are inlined).
 * Members named in skip (NULL-terminated) are left out of a group. */
static void emit_setting(FILE *f, const config_setting_t *s, int ind, const char *const *skip)
{
	const char *name = config_setting_name(s);
	if (name)
		fprintf(f, "%*s%s = ", ind, "", name);
	else
		fprintf(f, "%*s", ind, "");
	int n = config_setting_length(s);
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
		fprintf(f, "{\n");
		for (int i = 0; i < n; i++) {
			const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
			bool skipped = false;
			for (const char *const *k = skip; k && *k; k++)
				if (!strcmp(config_setting_name(m), *k))
					skipped = true;
			if (!skipped)
				emit_setting(f, m, ind + 2, NULL);
		}
		fprintf(f, "%*s}", ind, "");
		break;
	case CONFIG_TYPE_LIST:
		fprintf(f, "(\n");
		for (int i = 0; i < n; i++) {
			emit_setting(f, config_setting_get_elem(s, (unsigned)i), ind + 2, skip);
			fprintf(f, "%s\n", i + 1 < n ? "," : "");
		}
		fprintf(f, "%*s)", ind, "");
		break;
	case CONFIG_TYPE_ARRAY:
		fprintf(f, "[ ");
		for (int i = 0; i < n; i++) {
			const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
			if (config_setting_type(e) == CONFIG_TYPE_STRING)
				emit_string(f, config_setting_get_string(e));
			else if (config_setting_type(e) == CONFIG_TYPE_FLOAT)
				fprintf(f, "%.17g", config_setting_get_float(e));
			else if (config_setting_type(e) == CONFIG_TYPE_BOOL)
				fprintf(f, "%s", config_setting_get_bool(e) ? "true" : "false");
			else
				fprintf(f, "%lld", config_setting_get_int64(e));
			fprintf(f, "%s", i + 1 < n ? ", " : " ");
		}
		fprintf(f, "]");
		break;
	case CONFIG_TYPE_STRING:
		emit_string(f, config_setting_get_string(s));
		break;
	case CONFIG_TYPE_FLOAT: {
		char b[64];
		snprintf(b, sizeof b, "%.17g", config_setting_get_float(s));
		if (!strpbrk(b, ".eEn"))   /* keep it a float */
			strcat(b, ".0");
		fprintf(f, "%s", b);
		break;
	}
	case CONFIG_TYPE_BOOL:
		fprintf(f, "%s", config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_INT64:
		fprintf(f, "%lldL", config_setting_get_int64(s));
		break;
	default:
		fprintf(f, "%d", config_setting_get_int(s));
		break;
	}
	if (name)
		fprintf(f, ";\n");
}

static void sanitize(char *out, size_t cap, const char *in)
{
	size_t o = 0;
	for (; *in && o + 1 < cap; in++)
		out[o++] = isalnum((unsigned char)*in) ? (char)tolower((unsigned char)*in) : '_';
	out[o] = 0;
}

/* Partner and list names of the links that learned something. */
static void name_partners(struct learn *L)
{
	unsigned seq = 0;
	for (unsigned li = 0; li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		if (!k->n_ranges)
			continue;
		seq++;
		if (k->cfg >= 0 && L->pol && L->pol->links[k->cfg].partner >= 0)
			snprintf(k->partner, sizeof k->partner, "%s",
				 L->pol->partners[L->pol->links[k->cfg].partner].name);
		else if (k->cfg >= 0) {
			char b[CFG_NAME_MAX];
			snprintf(b, sizeof b, "partner-%.50s", k->name);
			memcpy(k->partner, b, sizeof b);
		}
		else
			snprintf(k->partner, sizeof k->partner, "learned-%u", seq);
		/* unique among the partners named so far */
		for (unsigned j = 0; j < li; j++)
			if (!strcmp(L->links[j].partner, k->partner)) {
				char b[CFG_NAME_MAX];
				snprintf(b, sizeof b, "%.50s-%u", k->partner, seq);
				memcpy(k->partner, b, sizeof b);
			}
		char s[40];
		sanitize(s, sizeof s, k->partner);
		snprintf(k->list, sizeof k->list, "%s%s_smsc", strncmp(s, "learned_", 8) ? "learned_" : "", s);
		for (unsigned j = 0; j < li; j++)
			if (!strcmp(L->links[j].list, k->list))
				snprintf(k->list, sizeof k->list, "learned_%s_%u_smsc", s, seq);
	}
}

static bool any_link_in_draft(const struct learn *L)
{
	return L->have_cfg && config_lookup(&L->cfg, "links") != NULL;
}

static int write_draft(struct learn *L, const char *path, char *const *files, int nfiles)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "# ss7fw — draft configuration written by `ss7fw learn`%s%s from:\n",
		L->config ? " -c " : "", L->config ? L->config : "");
	for (int i = 0; i < nfiles; i++)
		fprintf(f, "#   %s\n", files[i]);
	fprintf(f, "# Review it (docs/operations.md, \"Learn, shadow, enforce\"): it allows what was\n"
		   "# seen, so traffic missing from the input will be dropped, and an attack that\n"
		   "# looked like a partner is learned as one. Run it in shadow, then enforce.\n\n");

	/* policy: the config's settings, but shadow, default allow, out not screened */
	static const char *const pol_skip[] = { "mode", "default", "screen_out", NULL };
	config_setting_t *s = L->have_cfg ? config_lookup(&L->cfg, "policy") : NULL;
	fprintf(f, "policy = {\n  mode = \"shadow\";          # learned: watch it first, then \"enforce\"\n"
		   "  default = \"allow\";\n");
	if (s) {
		for (int i = 0; i < config_setting_length(s); i++) {
			const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
			bool skip = false;
			for (const char *const *k = pol_skip; *k; k++)
				skip |= !strcmp(config_setting_name(m), *k);
			if (!skip)
				emit_setting(f, m, 2, NULL);
		}
	}
	fprintf(f, "};\n\n");

	s = L->have_cfg ? config_lookup(&L->cfg, "home") : NULL;
	if (s) {
		emit_setting(f, s, 0, NULL);
	} else if (L->n_home_arg) {
		fprintf(f, "home = {\n  gt = [ ");
		for (unsigned i = 0; i < L->n_home_arg; i++)
			fprintf(f, "\"%s\"%s", L->home_arg[i], i + 1 < L->n_home_arg ? ", " : " ");
		fprintf(f, "];\n};\n");
	} else {
		fprintf(f, "# home = { gt = [ ... ]; };   # unknown: give -c or --home to learn\n");
	}
	fprintf(f, "\n");

	/* lists: the config's, then one AA.19 list per learned partner */
	fprintf(f, "lists = {\n");
	s = L->have_cfg ? config_lookup(&L->cfg, "lists") : NULL;
	for (int i = 0; s && i < config_setting_length(s); i++)
		emit_setting(f, config_setting_get_elem(s, (unsigned)i), 2, NULL);
	for (unsigned li = 0; li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		if (!k->n_ranges)
			continue;
		size_t n;
		const char **gts = link_gts(L, (int)li, &n);
		fprintf(f, "  # AA.19 SMSCs of %s: the GTs that sent SRI-SM or MT forward-SM on %s\n",
			k->partner, k->name);
		fprintf(f, "  %s = [", k->list);
		unsigned w = 0;
		for (size_t i = 0; gts && i < n; i++) {
			if (!gt_learned(k, gts[i]))
				continue;
			if (!get(L, (int)li, FW_DIR_IN, 45, gts[i]) && !get(L, (int)li, FW_DIR_IN, 44, gts[i]) &&
			    !get(L, (int)li, FW_DIR_IN, OP_MT_FSM, gts[i]))
				continue;
			fprintf(f, "%s\"%s%.*s\"", w ? ", " : " ", L->plain_smsc ? "" : "=",
				LEARN_PFX_MAX, gts[i]);
			w++;
		}
		fprintf(f, "%s];\n", w ? " " : "");
		free(gts);
	}
	fprintf(f, "};\n\n");

	/* partners */
	fprintf(f, "partners = (");
	unsigned np = 0;
	bool links = any_link_in_draft(L);
	for (unsigned li = 0; li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		if (!k->n_ranges)
			continue;
		fprintf(f, "%s\n  { name = ", np++ ? "," : "");
		emit_string(f, k->partner);
		fprintf(f, ";\n    gt = [");
		for (size_t i = 0; i < k->n_ranges; i++)
			fprintf(f, "%s\"%s\"", i ? ", " : " ", k->ranges[i]);
		fprintf(f, " ];\n    smsc = [ \"@%s\" ];", k->list);
		if (links && k->cfg >= 0) {
			fprintf(f, "\n    links = [ ");
			emit_string(f, k->name);
			fprintf(f, " ];");
		}
		fprintf(f, " }");
	}
	fprintf(f, "\n);\n\n");

	/* links and settings as configured (the partner goes with the partner) */
	static const char *const link_skip[] = { "partner", NULL };
	s = L->have_cfg ? config_lookup(&L->cfg, "links") : NULL;
	if (s) {
		emit_setting(f, s, 0, link_skip);
		fprintf(f, "\n");
	} else {
		fprintf(f, "# links = ( ... );   # none known (no -c): link screening and the per-link\n"
			   "# operation lists need links; add them (docs/policy.md) and name them in the partners.\n\n");
	}
	s = L->have_cfg ? config_lookup(&L->cfg, "settings") : NULL;
	if (s) {
		emit_setting(f, s, 0, NULL);
		fprintf(f, "\n");
	}

	/* rules */
	bool mismatch = false;
	for (unsigned li = 0; li < L->n_links; li++)
		mismatch |= L->links[li].sc_mismatch;
	fprintf(f, "rules = (\n"
		   "  # IR.71 2.1.1: our own addresses never arrive from a carrier.\n"
		   "  { name = \"learned-own-address\"; check = \"own_address\"; action = \"drop\"; },\n"
		   "  # IR.71 3.1: a link carries only its partner's calling GTs (the ranges learned).\n"
		   "  { name = \"learned-link-screening\"; check = \"link_screening\"; action = \"drop\"; },\n"
		   "  # FS.11 category 1: never learned, always dropped.\n"
		   "  { name = \"learned-fs11-cat1\"; check = \"fs11_cat1\"; action = \"drop\"; },\n"
		   "  # IR.71 3.2.1 / 3.2.2: SRI-SM and MT forward-SM only from the SMSCs learned.\n"
		   "  { name = \"learned-sri-sm-allowlist\"; check = \"sri_sm_allowlist\"; action = \"drop\"; },\n"
		   "  { name = \"learned-forward-sm-allowlist\"; check = \"forward_sm_allowlist\"; action = \"drop\"; }");
	if (!mismatch)
		fprintf(f, ",\n  # IR.71 2.1.6: the SC address equals the calling GT (it did in all learned traffic).\n"
			   "  { name = \"learned-map-sccp-consistency\"; check = \"map_sccp_consistency\"; action = \"drop\"; }");
	else
		fprintf(f, "\n  # IR.71 2.1.6 (map_sccp_consistency) left out: learned traffic has an SC\n"
			   "  # address that differs from its calling GT (see the report).");
	for (unsigned li = 0; links && li < L->n_links; li++) {
		struct lnk *k = &L->links[li];
		if (!k->n_ranges || k->cfg < 0)
			continue;
		char rn[CFG_NAME_MAX];
		if (strlen(k->name) <= 48)
			snprintf(rn, sizeof rn, "learned-ops-%s", k->name);
		else
			snprintf(rn, sizeof rn, "learned-ops-%u", li + 1);
		fprintf(f, ",\n  # the operations %s sent on %s; any other invoke from it is dropped\n"
			   "  { name = ", k->partner, k->name);
		emit_string(f, rn);
		fprintf(f, "; action = \"drop\";\n    match = { link = ");
		emit_string(f, k->name);
		fprintf(f, "; dir = \"in\"; comp_type = \"invoke\"; not_opcode = [");
		unsigned w = 0;
		for (unsigned op = 0; op < 256; op++)
			if (k->ops[op] || (op == 46 && k->ops[OP_MT_FSM]))
				fprintf(f, "%s%u", w++ ? ", " : " ", op);
		fprintf(f, " ]; }; }");
	}
	fprintf(f, "\n);\n");
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ss7fw learn [-c CONFIG] [-o DRAFT] [--home PREFIX]... [--min-prefix N]\n"
		   "                   [--plain-smsc] FILE...\n"
		   "  FILE: pcap/pcapng captures, or JSON MSU records (event log, replay output)\n");
}

static int read_inputs(struct learn *L, struct capture *c, char **files, int n, bool second)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f) {
			perror(files[i]);
			rc = 1;
			continue;
		}
		int kind = file_kind(files[i], f);
		if (kind == 1) {
			fclose(f);
			if (!second)
				L->n_captures++;
			char err[512];
			if (capture_file(c, files[i], on_msg, L, err, sizeof err) != 0) {
				fprintf(stderr, "ss7fw learn: %s\n", err);
				rc = 1;
			}
			continue;
		}
		if (kind == 2 && !second && learn_json_file(L, files[i], f) != 0)
			rc = 1;
		if (kind == 0)
			rc = 1;
		fclose(f);
	}
	return rc;
}

static void add_ports(struct capture *c, const struct engine *e)
{
	for (int i = 0; i < engine_n_links(e); i++) {
		const struct link_cfg *l = engine_link(e, i);
		const struct endpoint_cfg *eps[2] = { &l->carrier, &l->core };
		for (int j = 0; j < 2; j++)
			for (unsigned k = 0; k < eps[j]->n_local + eps[j]->n_remote && k < 2 * CFG_MAX_ADDRS; k++) {
				const struct sockaddr_storage *ss = k < eps[j]->n_local ? &eps[j]->local[k] :
							    &eps[j]->remote[k - eps[j]->n_local];
				uint16_t port = 0;
				if (ss->ss_family == AF_INET)
					port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
				else if (ss->ss_family == AF_INET6)
					port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
				if (port)
					capture_add_port(c, port);
			}
	}
}

static void free_learn(struct learn *L)
{
	for (unsigned i = 0; i < L->n_links; i++) {
		free(L->links[i].ranges);
		free(L->links[i].hostile);
	}
	if (L->have_cfg)
		config_destroy(&L->cfg);
	engine_free(L->e);
	engine_free(L->draft);
	policy_free(L->pol);
	pfx_free(L->home);
	free(L->tab);
	free(L);
}

int cmd_learn(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "home", required_argument, NULL, 'H' },
		{ "min-prefix", required_argument, NULL, 'm' },
		{ "plain-smsc", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct learn *L = calloc(1, sizeof *L);
	if (!L) {
		fprintf(stderr, "ss7fw learn: out of memory\n");
		return 1;
	}
	L->min_len = LEARN_MIN_PREFIX;
	const char *config = NULL, *draft = NULL;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
		char *end;
		long v;
		switch (o) {
		case 'c': config = optarg; break;
		case 'o': draft = optarg; break;
		case 'H':
			if (L->n_home_arg >= LEARN_MAX_HOME || !optarg[0] || strlen(optarg) > LEARN_PFX_MAX ||
			    strspn(optarg, "0123456789abcdef") != strlen(optarg)) {
				fprintf(stderr, "ss7fw learn: --home needs 1..%d digits (at most %d times)\n",
					LEARN_PFX_MAX, LEARN_MAX_HOME);
				free(L);
				return 2;
			}
			L->home_arg[L->n_home_arg++] = optarg;
			break;
		case 'm':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > LEARN_PFX_MAX) {
				fprintf(stderr, "ss7fw learn: --min-prefix needs 1..%d\n", LEARN_PFX_MAX);
				free(L);
				return 2;
			}
			L->min_len = (unsigned)v;
			break;
		case 'p': L->plain_smsc = true; break;
		case 'h': usage(stdout); free(L); return 0;
		default: usage(stderr); free(L); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		free(L);
		return 2;
	}
	L->tab = calloc(LEARN_TAB_SIZE, sizeof *L->tab);
	L->e = engine_new();
	struct capture *c = capture_new();
	int rc = 0;
	if (!L->tab || !L->e || !c) {
		fprintf(stderr, "ss7fw learn: out of memory\n");
		rc = 1;
		goto out;
	}
	/* FS.11 category 1: the config's list, else the built-in one (docs/policy.md) */
	static const int cat1[] = { 5, 9, 22, 24, 58, 62, 65, 71, 83, 85 };
	for (size_t i = 0; i < sizeof cat1 / sizeof cat1[0]; i++)
		L->cat1[cat1[i] >> 6] |= UINT64_C(1) << (cat1[i] & 63);
	if (config) {
		if (engine_load(L->e, config, stderr) != 0 || !(L->pol = policy_load(config, stderr, NULL))) {
			rc = 1;
			goto out;
		}
		memcpy(L->cat1, L->pol->fs11_cat1, sizeof L->cat1);
		L->config = config;
		config_init(&L->cfg);
		L->have_cfg = true;
		char dir[CFG_PATH_MAX];
		snprintf(dir, sizeof dir, "%s", config);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = 0;
		config_set_include_dir(&L->cfg, slash ? dir : ".");
		if (!config_read_file(&L->cfg, config)) {
			fprintf(stderr, "%s:%d: %s\n", config_error_file(&L->cfg) ? config_error_file(&L->cfg) : config,
				config_error_line(&L->cfg), config_error_text(&L->cfg));
			rc = 1;
			goto out;
		}
		add_ports(c, L->e);
	}
	L->home = pfx_new();
	if (!L->home) {
		rc = 1;
		goto out;
	}
	if (L->pol) {
		if (L->pol->home_gt)
			pfx_add_set(L->home, L->pol->home_gt);
		if (L->pol->home_smsc)
			pfx_add_set(L->home, L->pol->home_smsc);
	}
	for (unsigned i = 0; i < L->n_home_arg; i++)
		pfx_add(L->home, L->home_arg[i]);
	pfx_finalize(L->home);

	L->n_files = (unsigned)(argc - optind);
	rc = read_inputs(L, c, argv + optind, argc - optind, false);
	analyse(L);
	name_partners(L);
	report(L, stdout);
	if (draft) {
		if (write_draft(L, draft, argv + optind, argc - optind) != 0) {
			rc = 1;
			goto out;
		}
		L->draft = engine_new();
		if (!L->draft || engine_load(L->draft, draft, stderr) != 0) {
			fprintf(stdout, "draft %s: does not load (errors above)\n", draft);
			rc = 1;
			goto out;
		}
		fprintf(stdout, "draft %s: ok\n", draft);
		if (L->n_captures) {
			/* replay the captures through the draft */
			L->checking = true;
			capture_free(c);
			c = capture_new();
			if (!c) {
				rc = 1;
				goto out;
			}
			add_ports(c, L->draft);
			read_inputs(L, c, argv + optind, argc - optind, true);
			uint64_t lm = 0, ld = 0, om = 0, od = 0;
			for (unsigned li = 0; li < L->n_links; li++) {
				lm += L->links[li].chk_learned;
				ld += L->links[li].chk_learned_drop;
				om += L->links[li].chk_other;
				od += L->links[li].chk_other_drop;
			}
			fprintf(stdout, "draft_check learned=%llu learned_dropped=%llu not_learned=%llu not_learned_dropped=%llu\n",
				(unsigned long long)lm, (unsigned long long)ld, (unsigned long long)om,
				(unsigned long long)od);
			for (unsigned i = 0; i < L->chk_n_rules; i++)
				fprintf(stdout, "draft_rule %s drops=%llu\n", L->chk_rules[i],
					(unsigned long long)L->chk_rules_n[i]);
			if (ld)
				fprintf(stderr, "ss7fw learn: the draft drops %llu learned MSUs (see draft_rule)\n",
					(unsigned long long)ld);
		}
	}
out:
	capture_free(c);
	free_learn(L);
	return rc;
}
