/* bench_policy — cost of screening: decode + policy (policies/ir71.conf with
 * its AA.19 SMSC allowlist grown to 100,000 generated entries) in ns/MSU on
 * one core, the cost of decode alone and of one 100k-prefix lookup, and the
 * time to build and swap such a policy (engine_load). Prints its figures.
 *   bench_policy [-n ITERATIONS] [-p POLICY]   (run from the repository root) */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "ss7fw/engine.h"
#include "ss7fw/policy.h"
#include "ss7fw/track.h"
#include "ss7fw/wire.h"

#define N_ENTRIES 100000
#define N_MSGS    9

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "r"), *b = fopen(to, "w");
	if (!a || !b) {
		if (a) fclose(a);
		if (b) fclose(b);
		return -1;
	}
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		fwrite(buf, 1, n, b);
	fclose(a);
	fclose(b);
	return 0;
}

/* A copy of the policy and its list files in dir, with the AA.19 list
 * replaced by N_ENTRIES generated SMSC GTs (the real one among them). */
static int make_policy(const char *src, const char *dir, char *out, size_t outsz)
{
	char p[512], srcdir[256];
	snprintf(srcdir, sizeof srcdir, "%s", src);
	char *sl = strrchr(srcdir, '/');
	if (sl)
		*sl = 0;
	else
		strcpy(srcdir, ".");
	snprintf(p, sizeof p, "%s/lists", dir);
	char cmd[1200];
	if (snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/lists/*.conf '%s/lists/'", p, srcdir, dir) >= (int)sizeof cmd)
		return -1;
	if (system(cmd) != 0)
		return -1;
	snprintf(out, outsz, "%s/policy.conf", dir);
	if (copy_file(src, out) < 0)
		return -1;
	snprintf(p, sizeof p, "%s/lists/partner-a-smsc.conf", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return -1;
	fprintf(f, "partner_a_smsc = [\n  \"999340001\", \"999340002\"");
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < N_ENTRIES - 2; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		fprintf(f, ",\n  \"99934%07llu\"", (unsigned long long)(x % 10000000ULL));
	}
	fprintf(f, "\n];\n");
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	long iters = 2000000;
	const char *src = "policies/ir71.conf";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			iters = atol(argv[++i]);
		else if (!strcmp(argv[i], "-p") && i + 1 < argc)
			src = argv[++i];
	}
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof set, &set);

	char dir[] = "/tmp/bench-policy-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char path[600];
	if (make_policy(src, dir, path, sizeof path) < 0) {
		fprintf(stderr, "bench_policy: cannot prepare the policy from %s\n", src);
		return 1;
	}

	/* build + swap */
	struct engine *e = engine_new();
	double t0 = now_s();
	if (engine_load(e, path, stderr) != 0)
		return 1;
	double t_first = now_s() - t0;
	t0 = now_s();
	int reloads = 5;
	for (int i = 0; i < reloads; i++)
		if (engine_load(e, path, stderr) != 0)
			return 1;
	double t_reload = (now_s() - t0) / reloads;

	/* the traffic mix: an SMSC's SRI-SM, our HLR's answer (out), the
	 * forward-SM it solicits, attacks, a roaming registration */
	uint8_t msg[N_MSGS][1024];
	size_t len[N_MSGS];
	uint8_t mdir[N_MSGS];
	for (int i = 0; i < N_MSGS; i++) {
		struct enc_msu s;
		enc_msu_defaults(&s);
		mdir[i] = FW_DIR_IN;
		switch (i) {
		case 1: enc_msu_sri_sm_answer(&s, ENC_PARTNER_SMSC, s.otid);       /* our HLR's answer */
			mdir[i] = FW_DIR_OUT; break;
		case 2: s.opcode = 44; s.cdpa_gt = ENC_HOME_MSC; break;           /* MT-forwardSM, solicited */
		case 3: s.opcode = 71; break;                                    /* ATI: dropped */
		case 4: s.cgpa_gt = s.sc_addr = "999349999999"; break;           /* SRI-SM not in the list */
		case 5: s.opcode = 47; break;                                    /* RSDS after the SRI-SM */
		case 6: s.n_extra = 1; s.extra_opcode[0] = 58; break;            /* hidden sendIMSI */
		case 7: s.global_opcode = true; break;                           /* global opcode */
		case 8: s.opcode = 2; s.cgpa_gt = "99934000007"; break;          /* updateLocation */
		default: break;
		}
		len[i] = enc_msu_build(msg[i], sizeof msg[i], &s);
	}
	struct msu m;
	struct fw_decision d;
	struct msu_meta meta = { .ts = { 1700000000, 0 }, .link = 0, .dir = FW_DIR_IN };
	long drops = 0;
	for (int i = 0; i < N_MSGS; i++) {
		meta.dir = mdir[i];
		engine_screen(e, msg[i], len[i], &meta, &m, &d);
		printf("  msg %d: %3zu bytes %-3s %-5s %s\n", i, len[i], mdir[i] == FW_DIR_OUT ? "out" : "in",
		       fw_verdict_name(d.verdict), d.rule ? d.rule : "-");
	}
	/* a simulated clock of 5 ms an MSU (200 MSU/s on the link: partner-a's
	 * SMSC sends 44 SRI-SM/s), so that rate limits and windows see a
	 * plausible time; the screening itself runs flat out */
	t0 = now_s();
	for (long i = 0; i < iters; i++) {
		uint64_t ms = (uint64_t)i * 5;
		meta.ts.tv_sec = 1700000001 + (time_t)(ms / 1000);
		meta.ts.tv_nsec = (long)(ms % 1000) * 1000000L;
		meta.dir = mdir[i % N_MSGS];
		engine_screen(e, msg[i % N_MSGS], len[i % N_MSGS], &meta, &m, &d);
		drops += !d.forward;
	}
	double t_screen = now_s() - t0;
	t0 = now_s();
	for (long i = 0; i < iters; i++)
		msu_decode(&m, msg[i % N_MSGS], len[i % N_MSGS]);
	double t_decode = now_s() - t0;

	/* one lookup in a 100k-prefix set */
	struct policy *p = policy_load(path, stderr, NULL);
	const struct pfx_set *big = p ? p->partners[0].smsc : NULL;
	msu_decode(&m, msg[0], len[0]);
	const struct digits *cg = &m.sccp.cgpa.gt;
	long hits = 0;
	long lk = iters * 4;
	t0 = now_s();
	for (long i = 0; i < lk; i++)
		hits += pfx_match(big, cg);
	double t_lookup = now_s() - t0;

	/* correlation table of a million entries */
	struct track *trk = track_new(1000000);
	size_t trk_mem = trk ? track_memory(trk) : 0;
	track_free(trk);

	printf("bench_policy: policy %s with a %d-entry AA.19 allowlist (%u prefixes), %u rules\n",
	       src, N_ENTRIES, big ? big->total : 0, p ? p->n_rules : 0);
	printf("  screen (decode + canonicalise + policy + track): %8.1f ns/MSU  (%ld MSUs, %ld dropped)\n",
	       t_screen * 1e9 / (double)iters, iters, drops);
	printf("  decode only:                                     %8.1f ns/MSU\n", t_decode * 1e9 / (double)iters);
	printf("  policy share:                                    %8.1f ns/MSU\n", (t_screen - t_decode) * 1e9 / (double)iters);
	printf("  prefix lookup in %d entries:                 %8.1f ns  (%ld hits)\n", N_ENTRIES,
	       t_lookup * 1e9 / (double)lk, hits);
	printf("  first load (parse + build):                      %8.1f ms\n", t_first * 1e3);
	printf("  reload (build beside + swap):                    %8.1f ms\n", t_reload * 1e3);
	printf("  track table of 1,000,000 entries:                %8.1f MB\n", (double)trk_mem / 1048576.0);
	policy_free(p);
	engine_free(e);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return 0;
}
