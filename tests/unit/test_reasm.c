/* Reassembly of XUDT/LUDT segments: the module (src/ops/reasm.c) against a
 * model, and the engine's held path (engine_screen / engine_held /
 * engine_tick) on encoder-built segments screened with policies/ir71.conf
 * and small test policies. Exact verdicts, held lists, bytes and counters.
 * Run from the repository root (tests/run.sh does). */
#include <stdlib.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "metric.h"
#include "ss7fw/engine.h"
#include "ss7fw/event.h"
#include "ss7fw/reasm.h"
#include "ss7fw/wire.h"

#define IR71 "policies/ir71.conf"
#define SEG_STRIDE 4096

static time_t clock_s = 1700000000;
static struct msu msu;

/* ---- the module alone */

struct cut_log {
	unsigned calls[3];
	unsigned segs[3];
};

static void on_cut(void *arg, unsigned why, const struct reasm_list *l)
{
	struct cut_log *c = arg;
	if (why < 3) {
		c->calls[why]++;
		c->segs[why] += l->n;
	}
}

/* A fake segment: message = 4 header bytes + data; the key from k. */
struct fseg {
	uint8_t msg[300];
	size_t len;
	uint8_t cg[4], cd[4];
};

static void fake(struct fseg *f, struct reasm_in *in, unsigned k, bool first, uint8_t rem,
		 size_t dlen, uint8_t fill, uint64_t now)
{
	memset(in, 0, sizeof *in);
	f->len = 4 + dlen;
	memset(f->msg, 0xee, 4);
	for (size_t i = 0; i < dlen; i++)
		f->msg[4 + i] = (uint8_t)(fill + i);
	f->cg[0] = 0x12; f->cg[1] = (uint8_t)k; f->cg[2] = 0x99; f->cg[3] = 0x01;
	memcpy(f->cd, "\x12\x06\x00\x11", 4);
	in->link = 0;
	in->dir = 0;
	in->opc = 100 + k % 3;
	in->dpc = 200;
	in->cgpa = (struct bytes){ f->cg, 4 };
	in->cdpa = (struct bytes){ f->cd, 4 };
	in->ref = 7000 + k;
	in->first = first;
	in->remaining = rem;
	in->msg = f->msg;
	in->len = f->len;
	in->data = (struct bytes){ f->msg + 4, dlen };
	in->now_ms = now;
	in->frame = k;
}

/* Model check: many interleaved reassemblies of random sizes through a
 * small pool (compaction, both bounds, timer); every completed list must
 * hold exactly the bytes sent for it, in order. */
static void test_module_model(void)
{
	struct cut_log cl = { { 0 }, { 0 } };
	struct reasm_cfg c = { .timeout_ms = 5000, .max_reasm = 6, .max_bytes = 900 };
	struct reasm *ra = reasm_new(&c, on_cut, &cl);
	CHECK(ra != NULL);
	enum { KEYS = 10 };
	struct { bool open; uint8_t total, next; uint8_t fill[16]; size_t dlen[16]; } st[KEYS];
	memset(st, 0, sizeof st);
	unsigned seed = 12345, completes = 0, bad = 0;
	uint64_t now = 1000000;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		unsigned k = (seed >> 8) % KEYS;
		now += (seed >> 20) % 7;
		struct fseg f;
		struct reasm_in in;
		struct reasm_list l;
		if (!st[k].open || st[k].next == st[k].total) {
			st[k].total = (uint8_t)(2 + (seed >> 4) % 5);
			st[k].next = 0;
			st[k].open = true;
		}
		unsigned i = st[k].next;
		st[k].fill[i] = (uint8_t)(seed >> 12);
		st[k].dlen[i] = 20 + (seed >> 14) % 200;
		fake(&f, &in, k, i == 0, (uint8_t)(st[k].total - 1 - i), st[k].dlen[i], st[k].fill[i], now);
		enum reasm_result r = reasm_add(ra, &in, &l);
		st[k].next++;
		if (r == REASM_COMPLETE) {
			completes++;
			if (l.n != st[k].total - 1u) {
				bad++;
				continue;
			}
			for (unsigned j = 0; j < l.n; j++) {
				if (l.seg[j].len != 4 + st[k].dlen[j] || l.seg[j].data_len != st[k].dlen[j] ||
				    l.seg[j].data_off != 4)
					bad++;
				for (size_t b = 0; b < st[k].dlen[j]; b++)
					if (l.seg[j].p[4 + b] != (uint8_t)(st[k].fill[j] + b)) {
						bad++;
						break;
					}
			}
			st[k].open = false;
		} else if (r == REASM_ORPHAN || r == REASM_LIMIT || r == REASM_SEQUENCE) {
			st[k].open = false;   /* its reassembly was cut earlier (room, timer) */
		} else if (r != REASM_HELD) {
			bad++;
		}
		const struct reasm_stats *s = reasm_stats(ra);
		if (s->active > c.max_reasm || s->bytes > c.max_bytes)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK(completes > 100);
	const struct reasm_stats *s = reasm_stats(ra);
	CHECK(s->cut_slots > 0);
	CHECK(s->cut_bytes > 0);
	CHECK_INT(cl.calls[REASM_CUT_SLOTS], s->cut_slots);
	CHECK_INT(cl.calls[REASM_CUT_BYTES], s->cut_bytes);
	CHECK_INT(s->started, s->completed + s->active + s->expired + s->cut_slots + s->cut_bytes + s->limit +
		  s->sequence + s->too_large);
	/* the timer: everything left expires */
	uint64_t active = s->active, exp0 = s->expired;
	CHECK(active > 0);
	reasm_expire(ra, now + c.timeout_ms);
	CHECK_INT(s->active, 0);
	CHECK_INT(s->bytes, 0);
	CHECK_INT(s->expired, exp0 + active);
	CHECK_INT(cl.calls[REASM_CUT_TIMEOUT], s->expired);
	reasm_free(ra);
}

/* Each check of a segment, one at a time. */
static void test_module_checks(void)
{
	struct cut_log cl = { { 0 }, { 0 } };
	struct reasm_cfg c = { .timeout_ms = 10000, .max_reasm = 4, .max_bytes = 4096 };
	struct reasm *ra = reasm_new(&c, on_cut, &cl);
	struct fseg f1, f2, f3;
	struct reasm_in a, b, d;
	struct reasm_list l;
	/* 3 segments in order; the same one again is a duplicate */
	fake(&f1, &a, 1, true, 2, 50, 1, 1000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_DUPLICATE);
	fake(&f2, &b, 1, false, 1, 60, 2, 1001);
	CHECK_INT(reasm_add(ra, &b, &l), REASM_HELD);
	CHECK_INT(reasm_add(ra, &b, &l), REASM_DUPLICATE);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_DUPLICATE);
	fake(&f3, &d, 1, false, 0, 70, 3, 1002);
	CHECK_INT(reasm_add(ra, &d, &l), REASM_COMPLETE);
	CHECK_INT(l.n, 2);
	CHECK_INT(l.seg[0].data_len, 50);
	CHECK_INT(l.seg[1].data_len, 60);
	CHECK_INT(reasm_stats(ra)->duplicates, 3);
	/* after completion: the last one again has no reassembly */
	CHECK_INT(reasm_add(ra, &d, &l), REASM_ORPHAN);
	/* a gap (remaining 2 then 0) cuts it, with the held one listed */
	fake(&f1, &a, 2, true, 2, 50, 1, 2000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	fake(&f3, &d, 2, false, 0, 50, 1, 2001);
	CHECK_INT(reasm_add(ra, &d, &l), REASM_SEQUENCE);
	CHECK_INT(l.n, 1);
	/* a first bit on a later segment */
	fake(&f1, &a, 3, true, 1, 50, 1, 3000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	fake(&f2, &b, 3, true, 0, 50, 1, 3001);
	CHECK_INT(reasm_add(ra, &b, &l), REASM_SEQUENCE);
	/* a later segment towards another called address or DPC */
	fake(&f1, &a, 4, true, 1, 50, 1, 4000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	fake(&f2, &b, 4, false, 0, 50, 1, 4001);
	f2.cd[3] = 0x12;
	CHECK_INT(reasm_add(ra, &b, &l), REASM_SEQUENCE);
	fake(&f1, &a, 5, true, 1, 50, 1, 4000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	fake(&f2, &b, 5, false, 0, 50, 1, 4001);
	b.dpc = 201;
	CHECK_INT(reasm_add(ra, &b, &l), REASM_SEQUENCE);
	CHECK_INT(reasm_stats(ra)->sequence, 4);
	/* the same reference from another OPC or direction is another
	 * reassembly; a segment of it on another link cuts it (a splice of
	 * two links' segments, reasm.h) */
	fake(&f1, &a, 6, true, 1, 50, 1, 5000);
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	a.opc++;
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	a.opc--;
	a.dir = 1;
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	a.dir = 0;
	CHECK_INT(reasm_stats(ra)->active, 3);
	fake(&f2, &b, 6, false, 0, 50, 1, 5001);
	b.link = 3;
	CHECK_INT(reasm_add(ra, &b, &l), REASM_SEQUENCE);
	CHECK_INT(l.n, 1);
	CHECK_INT(reasm_stats(ra)->active, 2);
	CHECK_INT(reasm_stats(ra)->sequence, 5);
	a.link = 3;   /* a first segment too */
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	a.link = 0;
	CHECK_INT(reasm_add(ra, &a, &l), REASM_SEQUENCE);
	CHECK_INT(reasm_stats(ra)->sequence, 6);
	/* on one link it completes */
	CHECK_INT(reasm_add(ra, &a, &l), REASM_HELD);
	b.link = 0;
	CHECK_INT(reasm_add(ra, &b, &l), REASM_COMPLETE);
	CHECK_INT(reasm_stats(ra)->active, 2);
	/* a whole above REASM_MAX_DATA, an address too long */
	uint8_t big[REASM_MAX_DATA + 8];
	memset(big, 0, sizeof big);
	fake(&f1, &a, 7, true, 1, 10, 1, 5002);
	a.msg = big;
	a.len = sizeof big;
	a.data = (struct bytes){ big + 4, REASM_MAX_DATA + 1 };
	CHECK_INT(reasm_add(ra, &a, &l), REASM_TOO_LARGE);
	fake(&f1, &a, 7, true, 1, 10, 1, 5002);
	a.cgpa.len = REASM_ADDR_MAX + 1;
	a.cgpa.p = big;
	CHECK_INT(reasm_add(ra, &a, &l), REASM_TOO_LARGE);
	/* T(reass): 10 s after its first segment */
	reasm_expire(ra, 5000 + 9999);
	CHECK_INT(reasm_stats(ra)->active, 2);
	reasm_expire(ra, 5000 + 10000);
	CHECK_INT(reasm_stats(ra)->active, 0);
	CHECK_INT(reasm_stats(ra)->expired, 2);
	CHECK_INT(cl.calls[REASM_CUT_TIMEOUT], 2);
	CHECK_INT(cl.segs[REASM_CUT_TIMEOUT], 2);
	reasm_free(ra);
}

/* ---- the engine */

static struct engine *fresh(const char *path)
{
	struct engine *e = engine_new();
	if (engine_load(e, path, stderr) != 0)
		fprintf(stderr, "cannot load %s\n", path);
	return e;
}

static const char *write_tmp(const char *text, char *path)
{
	strcpy(path, "/tmp/ss7fw-reasm-XXXXXX");
	int fd = mkstemp(path);
	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
	return path;
}

static long long metric(struct engine *e, const char *sample) { return test_metric(e, sample); }

static uint64_t frame_no;

static struct fw_decision feed_at(struct engine *e, const uint8_t *p, size_t n, uint8_t dir, time_t t)
{
	struct msu_meta meta = { .ts = { t, 0 }, .frame = ++frame_no, .link = 0, .link_name = "carrier-a",
				 .dir = dir, .stream = (uint16_t)(frame_no % 7), .ppid = 0x03000000 };
	struct fw_decision d;
	engine_screen(e, p, n, &meta, &msu, &d);
	return d;
}

static struct fw_decision feed(struct engine *e, const uint8_t *p, size_t n)
{
	return feed_at(e, p, n, FW_DIR_IN, clock_s);
}

/* A set of segments built by enc_msu_segments. */
struct segs {
	uint8_t b[REASM_MAX_SEGS][SEG_STRIDE];
	size_t len[REASM_MAX_SEGS];
	unsigned n;
};

static void build(struct segs *g, const struct enc_msu *s, unsigned n, uint32_t ref)
{
	g->n = enc_msu_segments(&g->b[0][0], SEG_STRIDE, g->len, n, s, ref);
	if (g->n != n)
		fprintf(stderr, "enc_msu_segments failed\n");
}

#define SEG(g, i) (g).b[i], (g).len[i]

static void expect_held(struct fw_decision d)
{
	CHECK(d.held);
	CHECK(!d.forward);
	CHECK_INT(d.verdict, FW_ALLOW);
	CHECK_INT(d.reason, FW_REASON_NONE);
	CHECK_INT(d.n_held, 0);
}

/* The held list of the last decision equals segments [0, n) of g. */
static void expect_list(struct engine *e, const struct segs *g, unsigned n)
{
	struct engine_seg x;
	unsigned i = 0;
	for (; engine_held(e, i, &x); i++) {
		CHECK(i < n);
		if (i >= n)
			break;
		CHECK_INT(x.len, g->len[i]);
		CHECK(x.len == g->len[i] && !memcmp(x.p, g->b[i], x.len));
		CHECK_INT(x.ppid, 0x03000000);
	}
	CHECK_INT(i, n);
}

/* A 2-segment MT forward-SM from partner-a's AA.19 SMSC: held, then
 * allowed whole with the first segment handed back byte-identical. */
static void test_mt_fsm_allowed(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_text = "a message long enough to be worth two segments of an XUDT";
	struct segs g;
	build(&g, &s, 2, 4242);
	expect_held(feed(e, SEG(g, 0)));
	CHECK(!msu.tcap.present);
	struct fw_decision d = feed(e, SEG(g, 1));
	CHECK(!d.held);
	CHECK(d.forward);
	CHECK_INT(d.verdict, FW_ALLOW);
	CHECK_INT(d.n_held, 1);
	CHECK_INT(d.segments, 2);
	expect_list(e, &g, 1);
	/* the whole was screened: the first segment's SCCP, the TCAP of both */
	CHECK(msu.tcap.present);
	CHECK_INT(msu.tcap.n_components, 1);
	CHECK_INT(msu.tcap.comp[0].opcode, 44);
	CHECK(msu.tcap.comp[0].map.tp.present);
	CHECK(msu.sccp.seg_first);
	CHECK_INT(msu.sccp.seg_remaining, 1);
	CHECK_INT(msu.error_layer, LAYER_NONE);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"allow\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_msus_total"), 2);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"completed\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 0);
	CHECK_INT(metric(e, "ss7fw_reasm_bytes"), 0);
	CHECK_INT(metric(e, "ss7fw_smsc_forward_sm_total{gt=\"999340001\"}"), 1);
	/* the held list is gone with the next call */
	engine_tick(e, &(struct timespec){ clock_s, 0 });
	struct engine_seg x;
	CHECK(!engine_held(e, 0, &x));
	engine_free(e);
}

/* The same from an SMSC that is not in AA.19: dropped whole, both counted. */
static void test_mt_fsm_dropped(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.cgpa_gt = s.sc_addr = "999340099";
	struct segs g;
	build(&g, &s, 2, 4243);
	expect_held(feed(e, SEG(g, 0)));
	struct fw_decision d = feed(e, SEG(g, 1));
	CHECK_INT(d.verdict, FW_DROP);
	CHECK(!d.forward);
	CHECK_STR(d.rule, "ir71-forward-sm-allowlist");
	CHECK_INT(d.n_held, 1);
	expect_list(e, &g, 1);
	CHECK_INT(metric(e, "ss7fw_rule_hits_total{rule=\"ir71-forward-sm-allowlist\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"rule\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_link_drops_total{link=\"carrier-a\",dir=\"in\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"drop\"}"), 2);
	engine_free(e);
}

/* Bypass 2 of issue 8: an LUDT with 9 SRI-SM components to SSN 146, in
 * two segments: too many components, malformed, both dropped. */
static void test_ludt_nine_components(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.sccp_type = SCCP_LUDT;
	s.cdpa_ssn = 146;
	uint8_t tcap[2048];
	size_t tl = enc_msu_sri_sm_begin(tcap, sizeof tcap, 9, 0x01020304);
	CHECK(tl > 300);
	struct segs g;
	g.n = 2;
	g.len[0] = enc_msu_segment(g.b[0], SEG_STRIDE, &s, tcap, tl / 2, true, 1, 99);
	g.len[1] = enc_msu_segment(g.b[1], SEG_STRIDE, &s, tcap + tl / 2, tl - tl / 2, false, 0, 99);
	expect_held(feed(e, SEG(g, 0)));
	struct fw_decision d = feed(e, SEG(g, 1));
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_MALFORMED);
	CHECK_STR(d.rule, "malformed");
	CHECK(!d.forward);
	CHECK_INT(d.n_held, 1);
	CHECK_INT(msu.sccp.type, SCCP_LUDT);
	CHECK(msu.anomalies & ANOM_BIT(ANOM_TOO_MANY_COMPONENTS));
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"malformed\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_malformed_total"), 2);
	engine_free(e);
}

/* An XUDT whose segmentation says first and only: a whole message. */
static void test_first_and_only(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.segmented = true;
	s.seg_only = true;
	uint8_t b[4096];
	size_t n = enc_msu_build(b, sizeof b, &s);
	struct fw_decision d = feed(e, b, n);
	CHECK(!d.held);
	CHECK(d.forward);
	CHECK_INT(d.verdict, FW_ALLOW);
	CHECK_INT(d.n_held, 0);
	CHECK(msu.tcap.present);
	CHECK_INT(msu.sccp.type, SCCP_XUDT);
	s.opcode = 71;   /* and an ATI so sent is dropped by its rule, not held */
	n = enc_msu_build(b, sizeof b, &s);
	d = feed(e, b, n);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_STR(d.rule, "fs11-cat1");
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"started\"}"), 0);
	engine_free(e);
}

/* Two dialogues from two OPCs with the same calling GT and the same
 * reference, interleaved: each completes with its own first segment. */
static void test_interleaved(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu a, b;
	enc_msu_defaults(&a);
	enc_msu_defaults(&b);
	b.opc = 1235;
	b.otid = 0x11223344;
	b.msisdn = "9991255000002";
	struct segs ga, gb;
	build(&ga, &a, 3, 5555);
	build(&gb, &b, 3, 5555);
	expect_held(feed(e, SEG(ga, 0)));
	expect_held(feed(e, SEG(gb, 0)));
	expect_held(feed(e, SEG(gb, 1)));
	expect_held(feed(e, SEG(ga, 1)));
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 2);
	CHECK_INT(metric(e, "ss7fw_reasm_bytes"), (long long)(ga.len[0] + ga.len[1] + gb.len[0] + gb.len[1]));
	struct fw_decision d = feed(e, SEG(gb, 2));
	CHECK(d.forward);
	CHECK_INT(d.n_held, 2);
	expect_list(e, &gb, 2);
	CHECK_INT(msu.m3ua.opc, 1235);
	CHECK(msu.tcap.present && msu.tcap.otid.len == 4 && msu.tcap.otid.p[0] == 0x11);
	d = feed(e, SEG(ga, 2));
	CHECK(d.forward);
	CHECK_INT(d.n_held, 2);
	expect_list(e, &ga, 2);
	CHECK_INT(msu.m3ua.opc, 1234);
	CHECK(msu.tcap.present && msu.tcap.otid.p[0] == 0x0a);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"completed\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"allow\"}"), 6);
	CHECK_INT(metric(e, "ss7fw_reasm_bytes"), 0);
	engine_free(e);
}

/* A lost segment: T(reass) (10 s by default) drops the held ones; the
 * segment that comes after has no reassembly. */
static void test_lost_and_timer(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	struct segs g;
	build(&g, &s, 3, 6666);
	expect_held(feed_at(e, SEG(g, 0), FW_DIR_IN, clock_s));
	expect_held(feed_at(e, SEG(g, 1), FW_DIR_IN, clock_s + 1));
	engine_tick(e, &(struct timespec){ clock_s + 9, 999000000 });
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 1);
	engine_tick(e, &(struct timespec){ clock_s + 10, 0 });
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 0);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"expired\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_timeout\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_link_drops_total{link=\"carrier-a\",dir=\"in\"}"), 2);
	struct fw_decision d = feed_at(e, SEG(g, 2), FW_DIR_IN, clock_s + 11);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK_INT(d.n_held, 0);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"orphan\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_error\"}"), 1);
	/* engine_screen expires too, by the MSU's own time (replay): the
	 * second segment 11 s after the first finds nothing */
	expect_held(feed_at(e, SEG(g, 0), FW_DIR_IN, clock_s + 20));
	d = feed_at(e, SEG(g, 1), FW_DIR_IN, clock_s + 31);
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"expired\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"orphan\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_timeout\"}"), 3);
	engine_free(e);
}

/* Duplicated and out-of-order segments. */
static void test_duplicate_and_order(void)
{
	struct engine *e = fresh(IR71);
	struct enc_msu s;
	enc_msu_defaults(&s);
	struct segs g;
	build(&g, &s, 3, 7777);
	expect_held(feed(e, SEG(g, 0)));
	struct fw_decision d = feed(e, SEG(g, 0));
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK_INT(d.n_held, 0);
	expect_held(feed(e, SEG(g, 1)));
	d = feed(e, SEG(g, 1));
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	d = feed(e, SEG(g, 2));
	CHECK(d.forward);
	CHECK_INT(d.n_held, 2);        /* appended once each */
	expect_list(e, &g, 2);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"duplicate\"}"), 2);
	/* out of order: 1st, 3rd (a gap: cut, both dropped), then 2nd (orphan) */
	build(&g, &s, 3, 7778);
	expect_held(feed(e, SEG(g, 0)));
	d = feed(e, SEG(g, 2));
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK_INT(d.n_held, 1);
	expect_list(e, &g, 1);
	d = feed(e, SEG(g, 1));
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"sequence\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"orphan\"}"), 1);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_error\"}"), 5);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"drop\"}"), 5);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"allow\"}"), 3);
	CHECK_INT(metric(e, "ss7fw_msus_total"), 8);
	engine_free(e);
}

/* An exhaustion attempt against small bounds: first segments that never
 * finish. The bound on reassemblies cuts the oldest, then the bound on
 * bytes does; a whole that finishes in between still passes. */
static void test_exhaustion(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	struct segs g;
	build(&g, &s, 2, 1);
	size_t L = g.len[0];
	char cfg[512], path[64];
	/* 4 reassemblies at once; bytes for 6 small first segments */
	snprintf(cfg, sizeof cfg,
		 "policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"drop\"; };\n"
		 "settings = { reasm_max = 4; reasm_bytes = %zu; };\n", 6 * L + L / 2);
	write_tmp(cfg, path);
	struct engine *e = fresh(path);
	/* 10 never-finished reassemblies: refs 1..10 */
	for (uint32_t ref = 1; ref <= 10; ref++) {
		build(&g, &s, 2, ref);
		expect_held(feed(e, SEG(g, 0)));
	}
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 4);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"cut_reasm_max\"}"), 6);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"cut_reasm_bytes\"}"), 0);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_limit\"}"), 6);
	CHECK_INT(metric(e, "ss7fw_reasm_bytes"), (long long)(4 * L));
	/* a cut one's last segment is an orphan */
	build(&g, &s, 2, 1);
	struct fw_decision d = feed(e, SEG(g, 1));
	CHECK_INT(d.reason, FW_REASON_REASM_ERROR);
	/* the newest one still completes */
	build(&g, &s, 2, 10);
	d = feed(e, SEG(g, 1));
	CHECK(d.forward);
	CHECK_INT(d.n_held, 1);
	/* bytes: LUDT first segments of 4 L each take the room of the small
	 * ones, oldest first */
	uint8_t tcap[2048];
	memset(tcap, 0x30, sizeof tcap);
	struct enc_msu lu;
	enc_msu_defaults(&lu);
	lu.sccp_type = SCCP_LUDT;
	struct segs gb;
	gb.len[0] = enc_msu_segment(gb.b[0], SEG_STRIDE, &lu, tcap, 4 * L, true, 1, 77);
	size_t B = gb.len[0];
	/* held now: refs 7, 8, 9 */
	expect_held(feed(e, gb.b[0], B));
	size_t held = 3 * L, cuts = 0;
	while (held + B > 6 * L + L / 2) {
		held -= L;
		cuts++;
	}
	CHECK(cuts >= 1);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"cut_reasm_bytes\"}"), (long long)cuts);
	CHECK_INT(metric(e, "ss7fw_reasm_bytes"), (long long)(held + B));
	CHECK_INT(metric(e, "ss7fw_reasm_active"), (long long)(1 + held / L));
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_limit\"}"), (long long)(6 + cuts));
	/* a second one cuts the rest and then the first big one (the oldest) */
	gb.len[1] = enc_msu_segment(gb.b[1], SEG_STRIDE, &lu, tcap, 4 * L, true, 1, 78);
	expect_held(feed(e, gb.b[1], gb.len[1]));
	CHECK_INT(metric(e, "ss7fw_reasm_active"), 1);
	CHECK_INT(metric(e, "ss7fw_reasm_total{event=\"cut_reasm_bytes\"}"), (long long)(cuts + held / L + 1));
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"reassembly_limit\"}"), (long long)(6 + cuts + held / L + 1));
	unlink(path);
	/* a segment alone above the bound: dropped at once */
	snprintf(cfg, sizeof cfg,
		 "policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"drop\"; };\n"
		 "settings = { reasm_max = 4; reasm_bytes = 1024; };\n");
	write_tmp(cfg, path);
	struct engine *e2 = fresh(path);
	struct segs gh;
	gh.len[0] = enc_msu_segment(gh.b[0], SEG_STRIDE, &lu, tcap, 1100, true, 1, 5);
	d = feed(e2, gh.b[0], gh.len[0]);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.reason, FW_REASON_REASM_LIMIT);
	CHECK_INT(metric(e2, "ss7fw_reasm_total{event=\"limit\"}"), 1);
	CHECK_INT(metric(e2, "ss7fw_reasm_active"), 0);
	unlink(path);
	engine_free(e2);
	engine_free(e);
}

/* Shadow mode and the unscreened direction: each segment goes at once
 * (held copy kept for the screening of the whole); the completing one has
 * nothing left to release. */
static void test_shadow_and_out(void)
{
	char path[64];
	write_tmp("policy = { mode = \"shadow\"; default = \"allow\"; malformed = \"drop\"; };\n"
		  "rules = ( { name = \"foreign\"; action = \"drop\"; match = { cgpa_gt = [ \"44\" ]; }; } );\n", path);
	struct engine *e = fresh(path);
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cgpa_gt = "4477001234";
	struct segs g;
	build(&g, &s, 2, 31);
	struct fw_decision d = feed(e, SEG(g, 0));
	CHECK(d.held);
	CHECK(d.forward);
	d = feed(e, SEG(g, 1));
	CHECK(d.forward);
	CHECK(d.shadow);
	CHECK_INT(d.verdict, FW_DROP);
	CHECK_INT(d.n_held, 0);
	CHECK_INT(metric(e, "ss7fw_rule_shadow_hits_total{rule=\"foreign\"}"), 2);
	CHECK_INT(metric(e, "ss7fw_drops_total{reason=\"rule\"}"), 0);
	unlink(path);
	engine_free(e);
	/* core -> carrier with ir71 (not screened): forwarded at once */
	e = fresh(IR71);
	enc_msu_defaults(&s);
	build(&g, &s, 2, 32);
	d = feed_at(e, SEG(g, 0), FW_DIR_OUT, clock_s);
	CHECK(d.held && d.forward);
	d = feed_at(e, SEG(g, 1), FW_DIR_OUT, clock_s);
	CHECK(d.forward);
	CHECK_INT(d.n_held, 0);
	CHECK(msu.tcap.present);
	CHECK_INT(metric(e, "ss7fw_verdicts_total{verdict=\"allow\"}"), 2);
	engine_free(e);
}

/* The records: a held segment says so; the completing one carries the
 * whole's decode and the number of segments. No policy (replay without -c):
 * reassembled for the record, every segment forwarded at once. */
static void test_records(void)
{
	struct engine *e = engine_new();
	struct enc_msu s;
	enc_msu_defaults(&s);
	struct segs g;
	build(&g, &s, 2, 88);
	struct msu_meta meta = { .ts = { clock_s, 0 }, .frame = 1, .link = -1, .link_name = "x", .dir = FW_DIR_IN };
	struct fw_decision d;
	char line[8192];
	engine_screen(e, SEG(g, 0), &meta, &msu, &d);
	CHECK(d.held && d.forward);
	CHECK(event_json(line, sizeof line, &msu, &meta, &d) > 0);
	CHECK(strstr(line, "\"verdict\":\"held\"") != NULL);
	CHECK(strstr(line, "\"segment\":{\"first\":true,\"remaining\":1,\"ref\":88}") != NULL);
	CHECK(strstr(line, "\"tcap\"") == NULL);
	CHECK(strstr(line, "\"segments\"") == NULL);
	meta.frame = 2;
	engine_screen(e, SEG(g, 1), &meta, &msu, &d);
	CHECK(!d.held && d.forward);
	CHECK_INT(d.n_held, 0);
	CHECK(event_json(line, sizeof line, &msu, &meta, &d) > 0);
	CHECK(strstr(line, "\"verdict\":\"allow\"") != NULL);
	CHECK(strstr(line, "\"segments\":2") != NULL);
	CHECK(strstr(line, "\"op\":\"sendRoutingInfoForSM\"") != NULL);
	CHECK(strstr(line, "\"frame\":2") != NULL);
	engine_free(e);
}

TEST_MAIN("test_reasm", {
	RUN(test_module_checks);
	RUN(test_module_model);
	RUN(test_mt_fsm_allowed);
	RUN(test_mt_fsm_dropped);
	RUN(test_ludt_nine_components);
	RUN(test_first_and_only);
	RUN(test_interleaved);
	RUN(test_lost_and_timer);
	RUN(test_duplicate_and_order);
	RUN(test_exhaustion);
	RUN(test_shadow_and_out);
	RUN(test_records);
})
