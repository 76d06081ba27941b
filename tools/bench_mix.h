/* bench_mix.h — the MSU mix of the relay benchmarks (bench_relay,
 * bench_sctp): realistic MAP traffic from partner-a towards the home network
 * that policies/ir71.conf allows, and 10 % attacks that it drops.
 * Header-only (static functions): included by one tool each. */
#ifndef SS7FW_BENCH_MIX_H
#define SS7FW_BENCH_MIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enc/enc-msu.h"

enum kind { K_SRI_SM, K_MT_FSM, K_UL, K_SAI, K_ATTACK, K__COUNT };
static const char *const kind_name[K__COUNT] = {
	"SRI-SM", "MT-forwardSM (SMS-DELIVER)", "updateLocation", "sendAuthenticationInfo",
	"attacks (ATI, foreign SRI-SM, spoofed SC address, foreign updateLocation)",
};
/* Out of every 20 MSUs: 6 SRI-SM, 5 MT-forwardSM, 3 updateLocation, 4 SAI,
 * 2 attacks (10%). */
static const uint8_t mix_cycle[20] = {
	K_SRI_SM, K_MT_FSM, K_SAI, K_SRI_SM, K_UL, K_MT_FSM, K_SAI, K_SRI_SM, K_ATTACK, K_MT_FSM,
	K_SRI_SM, K_SAI, K_UL, K_MT_FSM, K_SRI_SM, K_SAI, K_MT_FSM, K_UL, K_SRI_SM, K_ATTACK,
};

/* The M3UA routing context of the messages built; 0: the encoder's default (100). */
static uint32_t mix_rc;

static size_t mix_build(uint8_t *out, size_t cap, size_t i, uint8_t *kind)
{
	struct enc_msu m;
	enc_msu_defaults(&m);
	if (mix_rc)
		m.rc = mix_rc;
	m.otid = (uint32_t)(0x1000000 + i);
	m.sls = (uint8_t)(i & 0x0f);
	*kind = mix_cycle[i % 20];
	switch (*kind) {
	case K_SRI_SM:                 /* partner-a's SMSC asks the home HLR */
		break;
	case K_MT_FSM:                 /* ... then delivers to the home MSC */
		m.opcode = 44;
		m.cdpa_gt = "999125500101";
		m.tp_text = "See you at 8 at the station, the usual place.";
		break;
	case K_UL:                     /* a home subscriber roaming in partner-a */
		m.opcode = 2;
		m.cgpa_gt = "999341000001";
		m.cdpa_gt = ENC_HOME_HLR;
		m.imsi = ENC_HOME_IMSI;
		break;
	case K_SAI:
		m.opcode = 56;
		m.cgpa_gt = "999341000001";
		m.cdpa_gt = ENC_HOME_HLR;
		m.imsi = ENC_HOME_IMSI;
		break;
	default:
		enc_msu_attack(&m, (unsigned)((i / 20 * 2 + (i % 20 == 19)) % ENC_MSU_ATTACKS));
		break;
	}
	return enc_msu_build(out, cap, &m);
}

/* The policy the relay benchmarks screen with: src as it is, except that
 * every rate_limit rule is sized to the benchmark's load (rate and burst
 * 1,000,000, the most a rule takes). The mix floods one SMSC GT with tens
 * of thousands of SRI-SM a second, which a limit sized to a real partner
 * (ir71.conf: 1000/s) drops; the rule still runs, its cost in the figures.
 * Written to a directory under /tmp (lists: a link to src's), removed at
 * exit. Returns its path, or src if it cannot be written. */
static char mix_policy_dir[64];

static void mix_policy_cleanup(void)
{
	char cmd[128];
	if (mix_policy_dir[0] && snprintf(cmd, sizeof cmd, "rm -rf '%s'", mix_policy_dir) < (int)sizeof cmd &&
	    system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", mix_policy_dir);
}

static void mix_sized(FILE *out, const char *line, const char *key)
{
	const char *k = strstr(line, key);
	if (!k) {
		fputs(line, out);
		return;
	}
	const char *e = k + strlen(key);
	while (*e >= '0' && *e <= '9')
		e++;
	fprintf(out, "%.*s%s1000000", (int)(k - line), line, key);
	fputs(e, out);
}

__attribute__((unused)) static const char *mix_policy(const char *src, char *path, size_t n)
{
	snprintf(mix_policy_dir, sizeof mix_policy_dir, "/tmp/bench-mix-XXXXXX");
	if (!mkdtemp(mix_policy_dir))
		return src;
	atexit(mix_policy_cleanup);
	char lists[4200], abs[4096];
	if (!realpath(src, abs))
		return src;
	*strrchr(abs, '/') = 0;              /* the policy's directory */
	snprintf(lists, sizeof lists, "%s/lists", abs);
	char link[128];
	snprintf(link, sizeof link, "%s/lists", mix_policy_dir);
	if (symlink(lists, link) < 0)
		return src;
	snprintf(path, n, "%s/policy.conf", mix_policy_dir);
	FILE *in = fopen(src, "r"), *out = fopen(path, "w");
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return src;
	}
	char line[2048], tmp[2048];
	while (fgets(line, sizeof line, in)) {
		if (!strstr(line, "\"rate_limit\"")) {
			fputs(line, out);
			continue;
		}
		FILE *m = fmemopen(tmp, sizeof tmp, "w");
		if (!m)
			return src;
		mix_sized(m, line, "rate = ");
		fclose(m);
		mix_sized(out, tmp, "burst = ");
	}
	fclose(in);
	return fclose(out) == 0 ? path : src;
}

#endif
