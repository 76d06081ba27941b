/* ss7fw — the screening engine: decode, canonicalise, screen with the
 * running policy, track correlation state, count. Single-threaded; the
 * policy is swapped by engine_load between two engine_screen calls.
 * Counters live here, not in the policy, so they survive reloads (per-rule
 * counters are keyed by the rule's name). No allocation per MSU. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ss7fw/engine.h"
#include "ss7fw/policy.h"
#include "ss7fw/reasm.h"
#include "ss7fw/track.h"
#include "ss7fw/wire.h"

#define SMSC_SLOTS 4096              /* SMSC GTs counted one by one; the rest as "other" */
#define SMSC_KEY   13                /* count + 24 digits packed */

struct rule_ctr {
	char name[CFG_NAME_MAX];
	uint64_t hits, shadow_hits;
};

struct smsc_ctr {
	uint8_t key[SMSC_KEY];       /* key[0] == 0: free */
	uint64_t sri, fsm;
};

/* The slot of key in the open-addressing table tab of slots entries (a
 * power of two), claimed if free; NULL when probes slots past its hash are
 * all taken by other keys (the caller counts it as "other"). */
static struct smsc_ctr *slot_of(struct smsc_ctr *tab, unsigned slots, unsigned probes,
				const uint8_t key[SMSC_KEY])
{
	uint32_t h = 2166136261u;                    /* FNV-1a */
	for (unsigned i = 0; i < SMSC_KEY; i++)
		h = (h ^ key[i]) * 16777619u;
	for (unsigned probe = 0; probe < probes; probe++) {
		struct smsc_ctr *c = &tab[(h + probe) & (slots - 1)];
		if (c->key[0] == 0)
			memcpy(c->key, key, SMSC_KEY);
		if (!memcmp(c->key, key, SMSC_KEY))
			return c;
	}
	return NULL;
}

/* IR.71 measurements per partner (docs/operations.md, "IR.71
 * measurements"): slot 0 is "unknown" (no partner), the others are keyed by
 * partner name so that they survive reloads. Label sets are bounded by the
 * partners configured (and, for causes and error codes, by 256 values). */
#define IR71_MAX_PARTNERS 256       /* slots per engine (about 6 KB each, committed when used) */
struct ir71_ctr {
	char name[CFG_NAME_MAX];
	uint64_t udts[256];          /* UDTS/XUDTS/LUDTS received, by return cause (2.1.5) */
	uint64_t map_error[2][256];  /* MAP return errors by direction and local error code (2.1.9) */
	uint64_t sms[2][2];          /* [dir][0 MO, 1 MT] (2.1.10, 2.2.2) */
	uint64_t unexpected_end;     /* End/Abort for no transaction we opened (2.1.3) */
	uint64_t ul;                 /* updateLocation + updateGprsLocation received (2.2.3) */
	uint64_t mo_in;              /* MO forward-SM received (2.2.3) */
};

#define NDC_SLOTS 1024               /* SRI-SM caller networks (CC+NDC) counted one by one */

struct engine {
	struct policy *pol;
	uint32_t *pol_ctr;           /* rule index of pol -> rule counter */
	int *link_map;               /* engine link -> pol link (-1 none) */
	struct track *trk;
	bool configured;             /* links and settings read (first load) */
	uint32_t n_links;
	struct link_cfg *links;
	struct settings_cfg settings;

	struct rule_ctr *rc;
	uint32_t n_rc, cap_rc;

	uint64_t msus, non_data, malformed, shadowed;
	uint64_t verdicts[3];
	uint64_t drops[FW_REASON__COUNT];
	uint64_t (*link_msus)[2];    /* [n_links + 1][dir]; last: unknown link */
	uint64_t (*link_drops)[2];
	uint64_t anomalies[ANOM__COUNT];
	uint64_t default_hits, default_shadow;
	uint64_t tcap_unsolicited[2];
	uint64_t fsm_unarmed;        /* forward-SMs fsm_solicited passed unarmed */
	uint64_t reloads_ok, reloads_failed;
	time_t last_reload_ok, last_reload_attempt;
	struct smsc_ctr *smsc;
	uint64_t smsc_other_sri, smsc_other_fsm;
	struct ir71_ctr *ir71;       /* [n_ir71]: 0 unknown */
	uint32_t n_ir71;
	struct smsc_ctr *ndc;        /* [NDC_SLOTS]: SRI-SM per caller CC+NDC (key: digits) */
	uint64_t ndc_other;
	struct msu scratch;
	bool force_shadow;           /* engine_set_shadow: as if policy.mode = "shadow" */
	/* segmentation (engine_segment): the reassembler (engine_reasm_init);
	 * the user data of the whole being screened; the held segments of the
	 * last decision (engine_held) */
	struct reasm *ra;
	uint32_t reasm_timeout_ms;
	uint8_t *whole;
	struct engine_seg rel[REASM_MAX_SEGS];
	unsigned n_rel;

	/* Workers (engine_worker_new). A worker borrows pol, pol_ctr,
	 * link_map, trk and links from its parent and owns its counters (rc is
	 * index-aligned with the parent's). The parent publishes a policy by
	 * bumping gen under mx; a worker takes it between two MSUs
	 * (engine_worker_sync); a replaced policy is retired and freed once
	 * every worker's gen has passed it. */
	bool is_worker;
	struct engine *parent;       /* NULL once the parent is gone */
	struct engine **workers;
	uint32_t n_workers;
	uint32_t gen;
	pthread_mutex_t mx;
	struct retired {
		struct policy *pol;
		uint32_t *pol_ctr;
		int *link_map;
		uint32_t until;          /* free once every worker's gen >= until */
	} *retired;
	uint32_t n_retired;
	struct reasm_stats *ra_sum;  /* an export's sum (sum_new): used instead of ra's */
};

const char *fw_reason_name(unsigned r)
{
	static const char *const n[] = {
#define N(id, name, desc) name,
		FW_REASONS(N)
#undef N
	};
	return r < FW_REASON__COUNT ? n[r] : "?";
}

const char *fw_verdict_name(unsigned v)
{
	return v == FW_ALLOW ? "allow" : v == FW_DROP ? "drop" : v == FW_REJECT ? "reject" : "?";
}

static void settings_defaults(struct settings_cfg *s)
{
	memset(s, 0, sizeof *s);
	strcpy(s->metrics_addr, "127.0.0.1");
	s->metrics_port = 9105;
	s->event_rate = 1000;
	s->event_burst = 2000;
	s->queue_bytes = 4u << 20;
	s->max_msg = 65536;
	s->reconnect_min_ms = 100;
	s->reconnect_max_ms = 10000;
	s->glitch_limit = 16;
	s->drop_pcap_max_mb = 1024;
	s->reasm_timeout_s = 10;
	s->reasm_max = 1024;
	s->reasm_bytes = 1u << 20;
}

static void engine_reasm_init(struct engine *e, const char *path, FILE *err);

struct engine *engine_new(void)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	settings_defaults(&e->settings);
	pthread_mutex_init(&e->mx, NULL);
	e->smsc = calloc(SMSC_SLOTS, sizeof *e->smsc);
	e->link_msus = calloc(1, sizeof *e->link_msus);
	e->link_drops = calloc(1, sizeof *e->link_drops);
	e->ir71 = calloc(IR71_MAX_PARTNERS, sizeof *e->ir71);
	e->ndc = calloc(NDC_SLOTS, sizeof *e->ndc);
	if (e->ir71) {
		strcpy(e->ir71[0].name, "unknown");
		e->n_ir71 = 1;
	}
	if (!e->ir71 || !e->ndc || !e->smsc || !e->link_msus || !e->link_drops) {
		engine_free(e);
		return NULL;
	}
	engine_reasm_init(e, "(defaults)", stderr);   /* replay without a policy decodes the whole too */
	return e;
}

static void retired_reap(struct engine *e);
static void add_counters(struct engine *acc, const struct engine *w);

void engine_free(struct engine *e)
{
	if (!e)
		return;
	if (e->is_worker) {
		/* a worker: it leaves its parent's list, its counts stay in
		 * the parent's (counters never go back) */
		struct engine *p = e->parent;
		if (p) {
			add_counters(p, e);
			pthread_mutex_lock(&p->mx);
			for (uint32_t i = 0; i < p->n_workers; i++)
				if (p->workers[i] == e) {
					p->workers[i] = p->workers[--p->n_workers];
					break;
				}
			pthread_mutex_unlock(&p->mx);
			retired_reap(p);
		}
		reasm_free(e->ra);   /* its own: segments come on its own links */
		free(e->whole);
		free(e->rc);
		free(e->link_msus);
		free(e->link_drops);
		free(e->smsc);
		free(e->ir71);
		free(e->ndc);
		pthread_mutex_destroy(&e->mx);
		free(e);
		return;
	}
	for (uint32_t i = 0; i < e->n_workers; i++)
		e->workers[i]->parent = NULL;   /* freed later: they must not touch e */
	for (uint32_t i = 0; i < e->n_retired; i++) {
		policy_free(e->retired[i].pol);
		free(e->retired[i].pol_ctr);
		free(e->retired[i].link_map);
	}
	free(e->retired);
	free(e->workers);
	pthread_mutex_destroy(&e->mx);
	policy_free(e->pol);
	free(e->pol_ctr);
	free(e->link_map);
	track_free(e->trk);
	free(e->links);
	free(e->rc);
	free(e->link_msus);
	free(e->link_drops);
	free(e->smsc);
	free(e->ir71);
	free(e->ndc);
	reasm_free(e->ra);
	free(e->whole);
	free(e);
}

static int rule_ctr_index(struct engine *e, const char *name, uint32_t *out)
{
	for (uint32_t i = 0; i < e->n_rc; i++)
		if (!strcmp(e->rc[i].name, name)) {
			*out = i;
			return 0;
		}
	if (e->n_rc == e->cap_rc) {
		uint32_t cap = e->cap_rc ? e->cap_rc * 2 : 32;
		struct rule_ctr *n = realloc(e->rc, cap * sizeof *n);
		if (!n)
			return -1;
		e->rc = n;
		e->cap_rc = cap;
	}
	memset(&e->rc[e->n_rc], 0, sizeof e->rc[0]);
	snprintf(e->rc[e->n_rc].name, sizeof e->rc[0].name, "%s", name);
	*out = e->n_rc++;
	return 0;
}

int engine_load(struct engine *e, const char *path, FILE *err)
{
	e->last_reload_attempt = time(NULL);
	int nerr = 0;
	struct policy *p = policy_load(path, err, &nerr);
	if (!p) {
		e->reloads_failed++;
		return -1;
	}
	uint32_t *ctr = calloc((size_t)p->n_rules + 1, sizeof *ctr);
	bool ok = ctr != NULL;
	for (uint32_t i = 0; ok && i < p->n_rules; i++)
		ok = rule_ctr_index(e, p->rules[i].name, &ctr[i]) == 0;
	/* IR.71 measurement slots by partner name (beyond IR71_MAX_PARTNERS
	 * names, "unknown"), kept in the new policy before it is published
	 * (workers read them with the policy they screen with) */
	for (uint32_t i = 0; ok && i < p->n_partners; i++) {
		uint32_t j = 1;
		while (j < e->n_ir71 && strcmp(e->ir71[j].name, p->partners[i].name))
			j++;
		if (j == e->n_ir71 && e->n_ir71 < IR71_MAX_PARTNERS)
			snprintf(e->ir71[e->n_ir71++].name, CFG_NAME_MAX, "%s", p->partners[i].name);
		p->partners[i].ir71_slot = j < e->n_ir71 ? j : 0;
	}
	struct track *trk = e->trk ? e->trk : track_new(p->cfg.track_entries);
	if (!ok || !trk) {
		fprintf(err, "%s:0: out of memory building the policy\n", path);
		free(ctr);
		if (trk != e->trk)
			track_free(trk);
		policy_free(p);
		e->reloads_failed++;
		return -1;
	}
	if (!e->configured) {
		/* links and settings are read once: the relay built its sockets on them */
		struct link_cfg *links = calloc((size_t)p->n_links + 1, sizeof *links);
		uint64_t (*lm)[2] = calloc((size_t)p->n_links + 1, sizeof *lm);
		uint64_t (*ld)[2] = calloc((size_t)p->n_links + 1, sizeof *ld);
		if (!links || !lm || !ld) {
			free(links); free(lm); free(ld); free(ctr);
			if (trk != e->trk)
				track_free(trk);
			policy_free(p);
			fprintf(err, "%s:0: out of memory\n", path);
			e->reloads_failed++;
			return -1;
		}
		for (uint32_t i = 0; i < p->n_links; i++)
			links[i] = p->links[i].cfg;
		/* keep the counts of MSUs seen before the first load (unknown link) */
		lm[p->n_links][0] = e->link_msus[e->n_links][0];
		lm[p->n_links][1] = e->link_msus[e->n_links][1];
		ld[p->n_links][0] = e->link_drops[e->n_links][0];
		ld[p->n_links][1] = e->link_drops[e->n_links][1];
		free(e->link_msus);
		free(e->link_drops);
		e->link_msus = lm;
		e->link_drops = ld;
		e->links = links;
		e->n_links = p->n_links;
		e->settings = p->settings;
		e->configured = true;
		engine_reasm_init(e, path, err);
	}
	int *map = calloc((size_t)e->n_links + 1, sizeof *map);
	if (!map) {
		free(ctr);
		policy_free(p);
		e->reloads_failed++;
		return -1;
	}
	for (uint32_t i = 0; i < e->n_links; i++) {
		map[i] = -1;
		for (uint32_t j = 0; j < p->n_links; j++)
			if (!strcmp(p->links[j].cfg.name, e->links[i].name))
				map[i] = (int)j;
	}
	/* the swap: between two MSUs, nothing can fail from here on (with
	 * workers: the old policy is retired, not freed, while one may still
	 * screen with it) */
	if (e->n_workers && trk != e->trk)
		track_set_shared(trk, true);
	pthread_mutex_lock(&e->mx);
	if (e->n_workers && e->pol) {
		struct retired *rt = realloc(e->retired, (e->n_retired + 1) * sizeof *rt);
		if (rt) {
			e->retired = rt;
			rt[e->n_retired++] = (struct retired){ e->pol, e->pol_ctr, e->link_map, e->gen + 1 };
		} else {
			/* cannot keep it for the workers: keep it for ever (a leak,
			 * not a use after free) */
		}
	} else {
		policy_free(e->pol);
		free(e->pol_ctr);
		free(e->link_map);
	}
	e->pol = p;
	e->pol_ctr = ctr;
	e->link_map = map;
	e->trk = trk;
	__atomic_store_n(&e->gen, e->gen + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&e->mx);
	retired_reap(e);
	e->reloads_ok++;
	e->last_reload_ok = time(NULL);
	return 0;
}

/* ---- workers */

/* Frees the retired policies no worker can still be using. Parent's thread. */
static void retired_reap(struct engine *e)
{
	pthread_mutex_lock(&e->mx);
	uint32_t low = e->gen;
	for (uint32_t i = 0; i < e->n_workers; i++)
		if (e->workers[i]->gen < low)
			low = e->workers[i]->gen;
	uint32_t k = 0;
	for (uint32_t i = 0; i < e->n_retired; i++) {
		struct retired *r = &e->retired[i];
		if (r->until <= low) {
			policy_free(r->pol);
			free(r->pol_ctr);
			free(r->link_map);
		} else {
			e->retired[k++] = *r;
		}
	}
	e->n_retired = k;
	pthread_mutex_unlock(&e->mx);
}

struct engine *engine_worker_new(struct engine *parent)
{
	struct engine *w = engine_new();
	if (!w)
		return NULL;
	struct engine **ws = realloc(parent->workers, (parent->n_workers + 1) * sizeof *ws);
	if (!ws) {
		engine_free(w);
		return NULL;
	}
	parent->workers = ws;
	w->is_worker = true;
	w->parent = parent;
	w->gen = UINT32_MAX;   /* not synced yet */
	if (parent->trk)
		track_set_shared(parent->trk, true);
	pthread_mutex_lock(&parent->mx);
	ws[parent->n_workers++] = w;
	pthread_mutex_unlock(&parent->mx);
	engine_worker_sync(w);
	return w;
}

void engine_worker_sync(struct engine *w)
{
	struct engine *p = w->parent;
	if (!p || __atomic_load_n(&p->gen, __ATOMIC_ACQUIRE) == w->gen)
		return;
	pthread_mutex_lock(&p->mx);
	bool ok = true;
	if (w->cap_rc < p->n_rc) {
		struct rule_ctr *rc = realloc(w->rc, p->n_rc * sizeof *rc);
		if (rc) {
			memset(rc + w->cap_rc, 0, (p->n_rc - w->cap_rc) * sizeof *rc);
			w->rc = rc;
			w->cap_rc = p->n_rc;
		} else {
			ok = false;
		}
	}
	if (ok && w->n_links != p->n_links) {
		/* the parent's first load: its links (a worker made before it
		 * counted everything as the unknown link) */
		uint64_t (*lm)[2] = calloc((size_t)p->n_links + 1, sizeof *lm);
		uint64_t (*ld)[2] = calloc((size_t)p->n_links + 1, sizeof *ld);
		if (lm && ld) {
			lm[p->n_links][0] = w->link_msus[w->n_links][0];
			lm[p->n_links][1] = w->link_msus[w->n_links][1];
			ld[p->n_links][0] = w->link_drops[w->n_links][0];
			ld[p->n_links][1] = w->link_drops[w->n_links][1];
			free(w->link_msus);
			free(w->link_drops);
			w->link_msus = lm;
			w->link_drops = ld;
			w->n_links = p->n_links;
		} else {
			free(lm);
			free(ld);
			ok = false;
		}
	}
	if (ok) {
		w->n_rc = p->n_rc;
		w->links = p->links;
		w->settings = p->settings;
		w->configured = p->configured;
		/* its own reassembler (segments of a link come to its worker), on
		 * the parent's settings: made again only if they differ */
		engine_reasm_init(w, "(worker)", stderr);
		w->pol = p->pol;
		w->pol_ctr = p->pol_ctr;
		w->link_map = p->link_map;
		w->trk = p->trk;
		w->force_shadow = p->force_shadow;
		w->gen = p->gen;
	}
	pthread_mutex_unlock(&p->mx);
}

/* Adds the counters of w to d (d's rule counters are index-aligned). */
static void add_counters(struct engine *acc, const struct engine *w)
{
	acc->msus += w->msus;
	acc->non_data += w->non_data;
	acc->malformed += w->malformed;
	acc->shadowed += w->shadowed;
	for (int v = 0; v < 3; v++)
		acc->verdicts[v] += w->verdicts[v];
	for (int r = 0; r < FW_REASON__COUNT; r++)
		acc->drops[r] += w->drops[r];
	for (int a = 0; a < ANOM__COUNT; a++)
		acc->anomalies[a] += w->anomalies[a];
	acc->default_hits += w->default_hits;
	acc->default_shadow += w->default_shadow;
	for (int d = 0; d < 2; d++)
		acc->tcap_unsolicited[d] += w->tcap_unsolicited[d];
	acc->fsm_unarmed += w->fsm_unarmed;
	for (uint32_t i = 0; i < w->n_rc && i < acc->n_rc; i++) {
		acc->rc[i].hits += w->rc[i].hits;
		acc->rc[i].shadow_hits += w->rc[i].shadow_hits;
	}
	if (w->n_links == acc->n_links)
		for (uint32_t i = 0; i <= acc->n_links; i++)
			for (int d = 0; d < 2; d++) {
				acc->link_msus[i][d] += w->link_msus[i][d];
				acc->link_drops[i][d] += w->link_drops[i][d];
			}
	for (unsigned i = 0; i < SMSC_SLOTS; i++) {
		struct smsc_ctr c = w->smsc[i];
		if (!c.key[0])
			continue;
		struct smsc_ctr *x = slot_of(acc->smsc, SMSC_SLOTS, 64, c.key);
		if (x) {
			x->sri += c.sri;
			x->fsm += c.fsm;
		} else {
			acc->smsc_other_sri += c.sri;
			acc->smsc_other_fsm += c.fsm;
		}
	}
	acc->smsc_other_sri += w->smsc_other_sri;
	acc->smsc_other_fsm += w->smsc_other_fsm;
	/* IR.71 measurements: a worker counts in the slots the parent gave
	 * the partners (its policy's ir71_slot) */
	for (uint32_t i = 0; acc->ir71 && w->ir71 && i < acc->n_ir71; i++) {
		struct ir71_ctr *a = &acc->ir71[i];
		const struct ir71_ctr *b = &w->ir71[i];
		for (unsigned k = 0; k < 256; k++) {
			a->udts[k] += b->udts[k];
			a->map_error[0][k] += b->map_error[0][k];
			a->map_error[1][k] += b->map_error[1][k];
		}
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < 2; k++)
				a->sms[d][k] += b->sms[d][k];
		a->unexpected_end += b->unexpected_end;
		a->ul += b->ul;
		a->mo_in += b->mo_in;
	}
	for (unsigned i = 0; acc->ndc && w->ndc && i < NDC_SLOTS; i++) {
		struct smsc_ctr c = w->ndc[i];
		if (!c.key[0])
			continue;
		struct smsc_ctr *x = slot_of(acc->ndc, NDC_SLOTS, 32, c.key);
		if (x)
			x->sri += c.sri;
		else
			acc->ndc_other += c.sri;
	}
	acc->ndc_other += w->ndc_other;
}

/* The counters of e and all its workers in one engine (the parent's
 * policy, table and links), for export; NULL when out of memory. The
 * workers' counters are read while they run: each is a word written by one
 * thread, so a sum may lag by the messages in flight. */
static struct engine *sum_new(const struct engine *e)
{
	struct engine *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	*s = *e;
	s->n_workers = 0;
	s->rc = malloc((e->n_rc ? e->n_rc : 1) * sizeof *s->rc);
	s->link_msus = malloc(((size_t)e->n_links + 1) * sizeof *s->link_msus);
	s->link_drops = malloc(((size_t)e->n_links + 1) * sizeof *s->link_drops);
	s->smsc = malloc(SMSC_SLOTS * sizeof *s->smsc);
	if (!s->rc || !s->link_msus || !s->link_drops || !s->smsc) {
		free(s->rc); free(s->link_msus); free(s->link_drops); free(s->smsc); free(s);
		return NULL;
	}
	memcpy(s->rc, e->rc, e->n_rc * sizeof *s->rc);
	memcpy(s->link_msus, e->link_msus, ((size_t)e->n_links + 1) * sizeof *s->link_msus);
	memcpy(s->link_drops, e->link_drops, ((size_t)e->n_links + 1) * sizeof *s->link_drops);
	memcpy(s->smsc, e->smsc, SMSC_SLOTS * sizeof *s->smsc);
	s->ir71 = e->ir71 ? malloc((size_t)e->n_ir71 * sizeof *s->ir71) : NULL;
	s->ndc = e->ndc ? malloc(NDC_SLOTS * sizeof *s->ndc) : NULL;
	if (s->ir71)
		memcpy(s->ir71, e->ir71, (size_t)e->n_ir71 * sizeof *s->ir71);
	if (s->ndc)
		memcpy(s->ndc, e->ndc, NDC_SLOTS * sizeof *s->ndc);
	if (!s->ir71)
		s->n_ir71 = 0;
	pthread_mutex_lock((pthread_mutex_t *)&e->mx);
	for (uint32_t wi = 0; wi < e->n_workers; wi++)
		add_counters(s, e->workers[wi]);
	/* reassembly: each worker has its own reassembler; the sum (bounds: each's) */
	s->ra_sum = e->ra ? calloc(1, sizeof *s->ra_sum) : NULL;
	if (s->ra_sum) {
		*s->ra_sum = *reasm_stats(e->ra);
		for (uint32_t wi = 0; wi < e->n_workers; wi++) {
			const struct engine *w = e->workers[wi];
			if (!w->ra)
				continue;
			const struct reasm_stats *x = reasm_stats(w->ra);
			struct reasm_stats *y = s->ra_sum;
			y->active += x->active;
			y->max_reasm += x->max_reasm;
			y->bytes += x->bytes;
			y->max_bytes += x->max_bytes;
			y->started += x->started;
			y->completed += x->completed;
			y->expired += x->expired;
			y->cut_slots += x->cut_slots;
			y->cut_bytes += x->cut_bytes;
			y->limit += x->limit;
			y->duplicates += x->duplicates;
			y->orphans += x->orphans;
			y->sequence += x->sequence;
			y->too_large += x->too_large;
		}
	}
	pthread_mutex_unlock((pthread_mutex_t *)&e->mx);
	return s;
}

static void sum_free(struct engine *s)
{
	if (!s)
		return;
	free(s->ra_sum);
	free(s->rc);
	free(s->link_msus);
	free(s->link_drops);
	free(s->smsc);
	free(s->ir71);
	free(s->ndc);
	free(s);
}

int engine_n_links(const struct engine *e) { return (int)e->n_links; }

/* ---- segmentation: XUDT/LUDT segments reassembled (reasm.h), screened
 * whole, forwarded or dropped together (docs/architecture.md, "The held
 * path"). The reassembler is made by engine_new with the default settings
 * (replay without a policy shows the whole too) and made again at the
 * first load if its settings differ; settings are not reloaded. Without it
 * (no memory) a segment stays what policy_malformed says of it: malformed. */
static void reasm_on_cut(void *arg, unsigned why, const struct reasm_list *l);

static void engine_reasm_init(struct engine *e, const char *path, FILE *err)
{
	const struct settings_cfg *st = &e->settings;
	struct reasm_cfg c = { .timeout_ms = st->reasm_timeout_s * 1000, .max_reasm = st->reasm_max,
			       .max_bytes = st->reasm_bytes };
	if (e->ra) {
		/* made by engine_new with the defaults: again if the settings differ */
		const struct reasm_stats *rs = reasm_stats(e->ra);
		if (rs->max_reasm == c.max_reasm && rs->max_bytes == c.max_bytes &&
		    e->reasm_timeout_ms == c.timeout_ms)
			return;
		reasm_free(e->ra);
		e->ra = NULL;
	}
	e->reasm_timeout_ms = c.timeout_ms;
	e->ra = reasm_new(&c, reasm_on_cut, e);
	if (!e->whole)
		e->whole = malloc(REASM_MAX_DATA);
	if (!e->ra || !e->whole) {
		fprintf(err, "%s:0: no memory for reassembly: segments are malformed\n", path);
		reasm_free(e->ra);
		free(e->whole);
		e->ra = NULL;
		e->whole = NULL;
	}
}

const struct link_cfg *engine_link(const struct engine *e, int i)
{
	return i >= 0 && (uint32_t)i < e->n_links ? &e->links[i] : NULL;
}

const struct settings_cfg *engine_settings(const struct engine *e) { return &e->settings; }

struct track *engine_track(struct engine *e) { return e->trk; }

/* ---- link lookup by addresses */
static bool addr_eq(const struct sockaddr *a, const struct sockaddr_storage *cfg, bool any_ok)
{
	if (a->sa_family != cfg->ss_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)cfg;
		if (y->sin_port && x->sin_port != y->sin_port)
			return false;
		if (any_ok && y->sin_addr.s_addr == htonl(INADDR_ANY))
			return true;
		return x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)cfg;
		if (y->sin6_port && x->sin6_port != y->sin6_port)
			return false;
		if (any_ok && IN6_IS_ADDR_UNSPECIFIED(&y->sin6_addr))
			return true;
		return !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr);
	}
	return false;
}

static bool in_list(const struct sockaddr *a, const struct sockaddr_storage *l, unsigned n,
		    bool empty_matches, bool any_ok)
{
	if (n == 0)
		return empty_matches;
	for (unsigned i = 0; i < n; i++)
		if (addr_eq(a, &l[i], any_ok))
			return true;
	return false;
}

/* peer -> us on the carrier side is "in"; peer -> us on the core side is
 * "out"; what we send is the reverse (architecture.md). */
int engine_link_lookup(const struct engine *e, const struct sockaddr *src,
		       const struct sockaddr *dst, uint8_t *dir)
{
	if (!src || !dst)
		return -1;
	for (uint32_t i = 0; i < e->n_links; i++) {
		const struct endpoint_cfg *sides[2] = { &e->links[i].carrier, &e->links[i].core };
		for (int s = 0; s < 2; s++) {
			const struct endpoint_cfg *ep = sides[s];
			if (!ep->present || (ep->n_local == 0 && ep->n_remote == 0))
				continue;
			if (in_list(src, ep->remote, ep->n_remote, true, false) &&
			    in_list(dst, ep->local, ep->n_local, true, true)) {
				if (dir)
					*dir = s == 0 ? FW_DIR_IN : FW_DIR_OUT;
				return (int)i;
			}
			if (in_list(src, ep->local, ep->n_local, true, true) &&
			    in_list(dst, ep->remote, ep->n_remote, true, false)) {
				if (dir)
					*dir = s == 0 ? FW_DIR_OUT : FW_DIR_IN;
				return (int)i;
			}
		}
	}
	return -1;
}

/* ---- SMSC counters (IR.71 2.1.12 / 2.1.13) */
static void smsc_key(uint8_t key[SMSC_KEY], const struct digits *d)
{
	memset(key, 0, SMSC_KEY);
	unsigned n = d->n > 24 ? 24 : d->n;
	key[0] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++)
		key[1 + i / 2] |= (uint8_t)(digits_at(d, i) << (4 * (i & 1)));
}

static void smsc_count(struct engine *e, const struct digits *gt, bool sri)
{
	if (!gt || !gt->p || !gt->n)
		return;
	uint8_t key[SMSC_KEY];
	smsc_key(key, gt);
	struct smsc_ctr *c = slot_of(e->smsc, SMSC_SLOTS, 64, key);
	uint64_t *n = c ? (sri ? &c->sri : &c->fsm) : (sri ? &e->smsc_other_sri : &e->smsc_other_fsm);
	(*n)++;
}

static void smsc_str(const uint8_t key[SMSC_KEY], char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned n = key[0];
	for (unsigned i = 0; i < n; i++)
		out[i] = hex[(key[1 + i / 2] >> (4 * (i & 1))) & 0xf];
	out[n] = 0;
}

/* ---- correlation state */
static const struct digits no_digits = { 0, 0 };

static const struct digits *gt_or_none(const struct sccp_addr *a)
{
	return a->present && a->gt.p && a->gt.n ? &a->gt : &no_digits;
}

/* Transactions (IR.71 2.1.3, and the application of the messages that
 * carry no dialogue portion): each side's transaction id is remembered
 * with its node's GT and the transaction's application when it first
 * appears as an otid (a Begin, or the first Continue of the other side);
 * a Continue/End/Abort refers to the other side's id by its dtid and its
 * called GT. An End or Abort closes the id it names. */
static void track_tid_key(struct track_key *k, uint8_t dir, const struct sccp_addr *node, struct bytes tid)
{
	track_key_tid(k, dir, gt_or_none(node), tid);
}

static void track_tcap(struct engine *e, const struct msu *m, uint8_t dir, uint64_t now)
{
	const struct tcap_info *t = &m->tcap;
	if (!t->present || !e->trk || !e->pol)
		return;
	uint64_t ttl = (uint64_t)e->pol->cfg.tcap_timeout_s * 1000;
	struct track_key k;
	uint8_t other = dir == FW_DIR_IN ? FW_DIR_OUT : FW_DIR_IN;
	if (m->returned) {
		/* our own Begin came back: the transaction it opened never
		 * started (its calling address is now the called one). Only a
		 * Begin: a forged service message must not end live dialogues */
		if (t->type == TCAP_BEGIN && t->otid.p && t->otid.len) {
			track_tid_key(&k, other, &m->sccp.cdpa, t->otid);
			track_del(e->trk, &k);
		}
		return;
	}
	if ((t->type == TCAP_BEGIN || t->type == TCAP_CONTINUE) && t->otid.p && t->otid.len) {
		track_tid_key(&k, dir, &m->sccp.cgpa, t->otid);
		track_put_val(e->trk, &k, now, ttl, m->app);
	}
	if ((t->type == TCAP_CONTINUE || t->type == TCAP_END || t->type == TCAP_ABORT) &&
	    t->dtid.p && t->dtid.len) {
		track_tid_key(&k, other, &m->sccp.cdpa, t->dtid);
		bool known;
		if (t->type == TCAP_CONTINUE) {
			int app = track_get_val(e->trk, &k, now);
			known = app >= 0;
			if (known)
				track_put_val(e->trk, &k, now, ttl, (uint8_t)app);
		} else {
			known = track_del(e->trk, &k);
		}
		if (!known)
			e->tcap_unsolicited[dir]++;
	}
}

/* msu_decode's question for a Continue/End/Abort without application
 * context: the application of the transaction its dtid names. */
struct app_query {
	struct engine *e;
	uint8_t dir;
	uint64_t now;
};

static uint8_t engine_app_of(void *arg, const struct msu *m)
{
	const struct app_query *q = arg;
	const struct tcap_info *t = &m->tcap;
	if (!q->e->trk || !t->dtid.p || !t->dtid.len)
		return TCAP_APP_NONE;
	struct track_key k;
	track_tid_key(&k, q->dir == FW_DIR_IN ? FW_DIR_OUT : FW_DIR_IN, &m->sccp.cdpa, t->dtid);
	int app = track_get_val(q->e->trk, &k, q->now);
	return app > 0 ? (uint8_t)app : TCAP_APP_NONE;
}

static void track_sms(struct engine *e, const struct msu *m, bool forwarded, uint64_t now)
{
	const struct digits *cg = gt_or_none(&m->sccp.cgpa);
	unsigned n = m->tcap.present ? m->tcap.n_components : 0;
	if (n > TCAP_MAX_COMPONENTS)
		n = TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n; i++) {
		const struct tcap_component *c = &m->tcap.comp[i];
		if (c->type != TCAP_COMP_INVOKE || !c->has_opcode || c->opcode_global)
			continue;
		if (c->opcode == 45) {
			smsc_count(e, cg, true);
			if (forwarded && e->trk && c->map.msisdn.present && c->map.msisdn.d.n && cg->n) {
				/* keyed by the canonical numbers, as rsds_solicited looks */
				const struct sccp_addr *ca = &m->sccp.cgpa;
				struct num msisdn, smsc;
				num_canon(&msisdn, &c->map.msisdn.d,
					  num_form_ton(c->map.msisdn.ton, c->map.msisdn.npi), m->plan);
				num_canon(&smsc, cg, num_form_gt(ca), m->plan);
				struct track_key k;
				track_key_sri_num(&k, &msisdn, &smsc);
				track_put(e->trk, &k, now, (uint64_t)e->pol->cfg.rsds_window_s * 1000);
			}
		} else if (policy_is_mt_sms(m, c)) {
			smsc_count(e, cg, false);
		}
	}
}

/* ---- IR.71 measurements (docs/operations.md, "IR.71 measurements") */
static uint32_t ir71_slot(const struct policy *p, const struct msu *m, int pl, uint8_t dir)
{
	int pi = pl >= 0 && (uint32_t)pl < p->n_links ? p->links[pl].partner : -1;
	if (pi < 0) {
		/* no partner on the link: the network of the remote end's GT */
		const struct sccp_addr *a = dir == FW_DIR_IN ? &m->sccp.cgpa : &m->sccp.cdpa;
		if (a->present && a->gt.p && a->gt.n) {
			struct num n;
			num_canon(&n, &a->gt, num_form_gt(a), m->plan);
			pi = policy_partner_of_gt(p, &n);
		}
	}
	return pi >= 0 && p->partners[pi].ir71_slot < IR71_MAX_PARTNERS ? p->partners[pi].ir71_slot : 0;
}

/* SRI-SM per caller network: the first sri_ndc_digits digits of the
 * canonical calling GT, NDC_SLOTS of them, the rest "other". */
static void ndc_count(struct engine *e, const struct policy *p, const struct msu *m)
{
	const struct sccp_addr *a = &m->sccp.cgpa;
	if (!a->present || !a->gt.p || !a->gt.n)
		return;
	struct num n;
	num_canon(&n, &a->gt, num_form_gt(a), m->plan);
	unsigned k = n.n < p->cfg.sri_ndc_digits ? n.n : p->cfg.sri_ndc_digits;
	if (k > 24)
		k = 24;
	uint8_t key[SMSC_KEY];
	memset(key, 0, sizeof key);
	key[0] = (uint8_t)k;
	for (unsigned i = 0; i < k; i++)
		key[1 + i / 2] |= (uint8_t)(num_at(&n, i) << (4 * (i & 1)));
	struct smsc_ctr *c = slot_of(e->ndc, NDC_SLOTS, 32, key);
	if (c)
		c->sri++;
	else
		e->ndc_other++;
}

/* Called for every decoded MSU (not malformed) before the correlation
 * state is updated, so that an End is judged against the transactions
 * known before it. */
static void ir71_count(struct engine *e, const struct policy *p, const struct msu *m, int pl, uint8_t dir,
		       uint64_t now)
{
	if (!p || !e->ir71)
		return;
	struct ir71_ctr *c = &e->ir71[ir71_slot(p, m, pl, dir)];
	if (m->returned) {
		if (dir == FW_DIR_IN && m->sccp.has_cause)
			c->udts[m->sccp.cause]++;
		return;
	}
	const struct tcap_info *t = &m->tcap;
	if (!t->present)
		return;
	if (dir == FW_DIR_IN && (t->type == TCAP_END || t->type == TCAP_ABORT) && t->dtid.p && t->dtid.len &&
	    e->trk) {
		struct track_key k;
		track_tid_key(&k, FW_DIR_OUT, &m->sccp.cdpa, t->dtid);
		if (!track_get(e->trk, &k, now))
			c->unexpected_end++;
	}
	if (m->app == TCAP_APP_CAP)
		return;
	unsigned n = t->n_components < TCAP_MAX_COMPONENTS ? t->n_components : TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n; i++) {
		const struct tcap_component *tc = &t->comp[i];
		if (tc->type == TCAP_COMP_ERROR && tc->has_error && !tc->error_global)
			c->map_error[dir][(uint8_t)tc->error]++;
		if (tc->type != TCAP_COMP_INVOKE || !tc->has_opcode || tc->opcode_global)
			continue;
		switch (tc->opcode) {
		case 2: case 23:
			if (dir == FW_DIR_IN)
				c->ul++;
			break;
		case 44:
			c->sms[dir][1]++;
			break;
		case 46: {
			bool mt = policy_is_mt_sms(m, tc);
			c->sms[dir][mt]++;
			if (!mt && dir == FW_DIR_IN)
				c->mo_in++;
			break;
		}
		case 45:
			if (dir == FW_DIR_IN)
				ndc_count(e, p, m);
			break;
		default:
			break;
		}
	}
}

/* ---- screening */
static bool is_data(const struct msu *m)
{
	return m->m3ua.present && m->m3ua.msg_class == 1 && m->m3ua.msg_type == 1;
}

/* Count n segments dropped under reason at link index li (the engine's,
 * n_links = unknown), direction dir: each is a drop decision; one already
 * forwarded at arrival (sent) is not a drop, but a shadow one in shadow mode. */
static void count_segs(struct engine *e, const struct reasm_seg *g, unsigned n, uint8_t reason,
		       uint32_t li, uint8_t dir)
{
	bool shadow = engine_shadow(e);
	for (unsigned i = 0; i < n; i++) {
		e->verdicts[FW_DROP]++;
		if (g[i].sent) {
			if (shadow)
				e->shadowed++;
			continue;
		}
		e->drops[reason]++;
		e->link_drops[li][dir]++;
	}
}

static void reasm_on_cut(void *arg, unsigned why, const struct reasm_list *l)
{
	struct engine *e = arg;
	uint32_t li = l->link >= 0 && (uint32_t)l->link < e->n_links ? (uint32_t)l->link : e->n_links;
	count_segs(e, l->seg, l->n, why == REASM_CUT_TIMEOUT ? FW_REASON_REASM_TIMEOUT : FW_REASON_REASM_LIMIT,
		   li, l->dir ? FW_DIR_OUT : FW_DIR_IN);
}

/* The held segments of l not yet forwarded become the decision's list. */
static void rel_set(struct engine *e, const struct reasm_list *l, struct fw_decision *d)
{
	e->n_rel = 0;
	for (unsigned i = 0; i < l->n && i < REASM_MAX_SEGS; i++) {
		const struct reasm_seg *g = &l->seg[i];
		if (g->sent)
			continue;
		e->rel[e->n_rel++] = (struct engine_seg){ .p = g->p, .len = g->len, .stream = g->stream,
			.ppid = g->ppid, .ts = g->ts, .frame = g->frame };
	}
	d->n_held = (uint8_t)e->n_rel;
}

bool engine_held(const struct engine *e, unsigned i, struct engine_seg *out)
{
	if (i >= e->n_rel)
		return false;
	*out = e->rel[i];
	return true;
}

void engine_tick(struct engine *e, const struct timespec *now)
{
	e->n_rel = 0;
	if (e->ra)
		reasm_expire(e->ra, (uint64_t)now->tv_sec * 1000 + (uint64_t)now->tv_nsec / 1000000);
}

/* One segment of an XUDT/LUDT (msu_segmented, not a service message) in m.
 * early: it is forwarded at once (shadow, or not screened) and only
 * tracked. Returns 0 when *d is final: the segment is held, or dropped as
 * a reassembly error (its reassembly's held segments with it, all
 * counted). Else the message is whole: m holds the first segment's M3UA
 * and SCCP with the upper layers decoded from the user data of all
 * segments, and the number of segments is returned; the caller screens it. */
static unsigned engine_segment(struct engine *e, const uint8_t *msg, size_t len,
			       const struct msu_meta *meta, struct msu *m, struct fw_decision *d,
			       const struct msu_ctx *ctx, uint32_t li, uint8_t dir, uint64_t now, bool early)
{
	const struct sccp_info *sc = &m->sccp;
	struct reasm_in in = {
		/* the caller's link index, not li: links the configuration
		 * does not name are still told apart */
		.link = meta->link, .dir = dir, .opc = m->m3ua.opc, .dpc = m->m3ua.dpc,
		.cgpa = sc->cgpa.raw, .cdpa = sc->cdpa.raw, .ref = sc->seg_ref,
		.first = sc->seg_first, .remaining = sc->seg_remaining,
		.msg = msg, .len = len, .data = sc->data, .sent = early,
		.stream = meta->stream, .ppid = meta->ppid, .ts = meta->ts, .frame = meta->frame,
		.now_ms = now,
	};
	struct reasm_list l;
	enum reasm_result r = reasm_add(e->ra, &in, &l);
	if (r == REASM_HELD) {
		d->held = true;
		d->forward = early;
		return 0;
	}
	rel_set(e, &l, d);
	if (r == REASM_COMPLETE) {
		size_t off = 0;
		for (unsigned i = 0; i < l.n; i++) {
			memcpy(e->whole + off, l.seg[i].p + l.seg[i].data_off, l.seg[i].data_len);
			off += l.seg[i].data_len;
		}
		memcpy(e->whole + off, sc->data.p, sc->data.len);   /* reasm checked the sum */
		off += sc->data.len;
		uint64_t seen = m->anomalies;
		msu_decode_ctx(m, l.seg[0].p, l.seg[0].len, ctx);
		m->reassembled = true;
		msu_decode_upper(m, (struct bytes){ e->whole, off }, ctx);
		for (uint64_t a = m->anomalies & ~seen; a; a &= a - 1)
			e->anomalies[__builtin_ctzll(a)]++;
		d->segments = (uint8_t)(l.n + 1);
		return l.n + 1;
	}
	/* this one (and its reassembly's held ones) cannot be screened */
	uint8_t reason = r == REASM_LIMIT ? FW_REASON_REASM_LIMIT : FW_REASON_REASM_ERROR;
	count_segs(e, l.seg, l.n, reason, li, dir);
	struct reasm_seg self = { .sent = early };
	count_segs(e, &self, 1, reason, li, dir);
	d->verdict = FW_DROP;
	d->reason = reason;
	d->rule = "reassembly";
	d->log = true;
	d->shadow = early && engine_shadow(e);
	d->forward = early;
	return 0;
}

void engine_screen(struct engine *e, const uint8_t *msg, size_t len,
		   const struct msu_meta *meta, struct msu *m, struct fw_decision *d)
{
	*d = (struct fw_decision){ .verdict = FW_ALLOW, .forward = true, .reason = FW_REASON_NONE };
	if (e->parent)
		engine_worker_sync(e);   /* a new policy: taken between two MSUs */
	uint8_t dir = meta->dir == FW_DIR_OUT ? FW_DIR_OUT : FW_DIR_IN;
	uint64_t now = (uint64_t)meta->ts.tv_sec * 1000 + (uint64_t)meta->ts.tv_nsec / 1000000;
	struct app_query q = { .e = e, .dir = dir, .now = now };
	const struct msu_ctx ctx = { .app_of = engine_app_of, .arg = &q };
	msu_decode_ctx(m, msg, len, &ctx);
	uint32_t li = meta->link >= 0 && (uint32_t)meta->link < e->n_links ? (uint32_t)meta->link : e->n_links;
	const struct policy *p = e->pol;
	int pl = li < e->n_links && e->link_map ? e->link_map[li] : -1;
	m->plan = p ? policy_plan(p, pl) : NULL;
	e->msus++;
	e->link_msus[li][dir]++;
	for (uint64_t a = m->anomalies; a; a &= a - 1)
		e->anomalies[__builtin_ctzll(a)]++;
	e->n_rel = 0;
	unsigned nseg = 1;   /* MSUs this decision covers */
	if (e->ra && is_data(m) && msu_segmented(m) && !m->returned && m->error_layer == LAYER_NONE &&
	    (m->sccp.type == SCCP_XUDT || m->sccp.type == SCCP_LUDT)) {
		/* without a policy nothing is screened: reassembled for the record */
		bool screened = p && (dir == FW_DIR_IN || p->cfg.screen_out);
		nseg = engine_segment(e, msg, len, meta, m, d, &ctx, li, dir, now,
				      !screened || engine_shadow(e));
		if (!nseg)
			return;
		m->plan = p ? policy_plan(p, pl) : NULL;   /* the whole's decode cleared it */
	} else if (e->ra) {
		reasm_expire(e->ra, now);
	}
	bool bad = false;
	const struct msu *cm = policy_canon(m, &e->scratch, &bad);
	bool malformed = policy_malformed(p, cm, bad);
	if (!is_data(m) && !malformed) {
		/* ASPSM/ASPTM/MGMT/SSNM/RKM as RFC 4666 defines them: the relay
		 * forwards them as they are */
		e->non_data++;
		e->verdicts[FW_ALLOW]++;
		return;
	}
	if (malformed)
		e->malformed += nseg;
	if (!p || (dir == FW_DIR_OUT && !p->cfg.screen_out && is_data(m))) {
		/* core -> carrier: decoded and tracked, not screened */
		if (p) {
			if (!malformed)
				ir71_count(e, p, cm, pl, dir, now);
			track_tcap(e, cm, dir, now);
			if (!malformed)
				policy_learn(p, cm, pl, dir, e->trk, now);   /* FS.11 state (policy_state.c) */
		}
		e->verdicts[FW_ALLOW] += nseg;
		return;
	}
	struct pol_input in = { .m = cm, .link = pl, .dir = dir, .malformed = malformed,
				.trk = e->trk, .now_ms = now };
	struct pol_result r;
	policy_eval(p, &in, &r);
	d->verdict = r.verdict;
	memcpy(d->perpetrator, r.perpetrator, sizeof d->perpetrator);
	e->fsm_unarmed += r.fsm_unarmed;
	if (r.rule >= 0) {
		d->rule = p->rules[r.rule].name;
		d->reason = FW_REASON_RULE;
	} else if (r.rule == -2) {
		d->rule = "malformed";
		d->reason = FW_REASON_MALFORMED;
	} else {
		d->reason = FW_REASON_DEFAULT;
	}
	bool shadow_mode = p->cfg.shadow || e->force_shadow;
	if (d->verdict != FW_ALLOW && shadow_mode) {
		d->shadow = true;
	} else if (d->verdict == FW_ALLOW && r.shadow_rule >= 0) {
		/* a shadow rule would have dropped what the enforced rules let pass */
		d->verdict = p->rules[r.shadow_rule].action;
		d->rule = p->rules[r.shadow_rule].name;
		d->reason = FW_REASON_RULE;
		d->shadow = true;
	}
	if (d->verdict == FW_ALLOW)
		d->reason = FW_REASON_NONE;
	d->forward = d->verdict == FW_ALLOW || d->shadow;
	d->log = d->verdict != FW_ALLOW;

	/* counters: a reassembled whole counts once per segment */
	if (r.rule >= 0) {
		struct rule_ctr *c = &e->rc[e->pol_ctr[r.rule]];
		if (shadow_mode && r.verdict != FW_ALLOW)
			c->shadow_hits += nseg;
		else
			c->hits += nseg;
	} else if (r.rule == -1) {
		if (shadow_mode && r.verdict != FW_ALLOW)
			e->default_shadow += nseg;
		else
			e->default_hits += nseg;
	}
	for (uint32_t i = 0; i < r.n_shadow; i++)
		e->rc[e->pol_ctr[r.shadow_hits[i]]].shadow_hits += nseg;
	e->verdicts[d->verdict < 3 ? d->verdict : FW_DROP] += nseg;
	if (d->shadow)
		e->shadowed += nseg;
	if (!d->forward) {
		e->drops[d->reason] += nseg;
		e->link_drops[li][dir] += nseg;
	}

	/* correlation state and SMSC counts */
	if (!malformed) {
		ir71_count(e, p, cm, pl, dir, now);
		if (d->forward) {
			track_tcap(e, cm, dir, now);
			policy_learn(p, cm, pl, dir, e->trk, now);   /* FS.11 state (policy_state.c) */
		}
		track_sms(e, cm, d->forward, now);
	}
}

void engine_set_shadow(struct engine *e, bool on)
{
	pthread_mutex_lock(&e->mx);
	e->force_shadow = on;
	if (e->n_workers)   /* the workers take it as they take a policy */
		__atomic_store_n(&e->gen, e->gen + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&e->mx);
}

bool engine_shadow(const struct engine *e)
{
	return e->force_shadow || (e->pol && e->pol->cfg.shadow);
}

void engine_count_drop(struct engine *e, int link, uint8_t dir, uint8_t reason)
{
	uint32_t li = link >= 0 && (uint32_t)link < e->n_links ? (uint32_t)link : e->n_links;
	dir = dir == FW_DIR_OUT ? FW_DIR_OUT : FW_DIR_IN;
	if (reason >= FW_REASON__COUNT)
		reason = FW_REASON_OVERLOAD;
	e->drops[reason]++;
	e->link_drops[li][dir]++;
}

/* ---- export */
static const char *link_label(const struct engine *e, uint32_t i)
{
	return i < e->n_links ? e->links[i].name : "unknown";
}

static void prom_str(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

static const char *anom_names[] = {
#define N(id, name, desc) name,
	WIRE_ANOMALIES(N)
#undef N
};

static void stats_print(const struct engine *e, FILE *out);
static void metrics_prom(const struct engine *e, FILE *out);

void engine_stats_print(const struct engine *e, FILE *out)
{
	struct engine *s = e->n_workers ? sum_new(e) : NULL;
	stats_print(s ? s : e, out);
	sum_free(s);
}

void engine_metrics_prom(const struct engine *e, FILE *out)
{
	struct engine *s = e->n_workers ? sum_new(e) : NULL;
	metrics_prom(s ? s : e, out);
	sum_free(s);
}

static void stats_print(const struct engine *e, FILE *out)
{
	fprintf(out, "== ss7fw engine ==\n");
	fprintf(out, "%-40s %12llu\n", "msus", (unsigned long long)e->msus);
	fprintf(out, "%-40s %12llu\n", "non_data (forwarded as is)", (unsigned long long)e->non_data);
	fprintf(out, "%-40s %12llu\n", "malformed", (unsigned long long)e->malformed);
	for (unsigned v = 0; v < 3; v++)
		fprintf(out, "verdict %-32s %12llu\n", fw_verdict_name(v), (unsigned long long)e->verdicts[v]);
	fprintf(out, "%-40s %12llu\n", "shadow (not enforced)", (unsigned long long)e->shadowed);
	for (unsigned r = 1; r < FW_REASON__COUNT; r++)
		fprintf(out, "drops %-34s %12llu\n", fw_reason_name(r), (unsigned long long)e->drops[r]);
	fprintf(out, "-- rules --\n%-40s %12s %12s\n", "rule", "hits", "shadow_hits");
	for (uint32_t i = 0; i < e->n_rc; i++)
		fprintf(out, "%-40s %12llu %12llu\n", e->rc[i].name, (unsigned long long)e->rc[i].hits,
			(unsigned long long)e->rc[i].shadow_hits);
	fprintf(out, "%-40s %12llu %12llu\n", "(default)", (unsigned long long)e->default_hits,
		(unsigned long long)e->default_shadow);
	fprintf(out, "-- links --\n%-40s %12s %12s %12s %12s\n", "link", "in", "out", "drop_in", "drop_out");
	for (uint32_t i = 0; i <= e->n_links; i++)
		fprintf(out, "%-40s %12llu %12llu %12llu %12llu\n", link_label(e, i),
			(unsigned long long)e->link_msus[i][0], (unsigned long long)e->link_msus[i][1],
			(unsigned long long)e->link_drops[i][0], (unsigned long long)e->link_drops[i][1]);
	fprintf(out, "-- anomalies --\n");
	for (unsigned a = 0; a < ANOM__COUNT; a++)
		if (e->anomalies[a])
			fprintf(out, "%-40s %12llu\n", anom_names[a], (unsigned long long)e->anomalies[a]);
	fprintf(out, "-- correlation --\n");
	if (e->trk) {
		const struct track_stats *t = track_stats(e->trk);
		fprintf(out, "%-40s %12u of %u\n", "track entries", t->entries, t->max_entries);
		fprintf(out, "%-40s %12llu\n", "track evictions", (unsigned long long)t->evictions);
		fprintf(out, "%-40s %12llu\n", "track expired", (unsigned long long)t->expired);
	}
	if (e->ra) {
		const struct reasm_stats *ra = e->ra_sum ? e->ra_sum : reasm_stats(e->ra);
		fprintf(out, "-- reassembly (XUDT/LUDT segments) --\n");
		fprintf(out, "%-40s %12u of %u\n", "reassemblies in progress", ra->active, ra->max_reasm);
		fprintf(out, "%-40s %12llu of %llu\n", "bytes held", (unsigned long long)ra->bytes,
			(unsigned long long)ra->max_bytes);
		const struct { const char *n; uint64_t v; } rs[] = {
			{ "started", ra->started }, { "completed", ra->completed },
			{ "expired (T(reass))", ra->expired }, { "cut: reassemblies bound", ra->cut_slots },
			{ "cut: bytes bound", ra->cut_bytes }, { "cut: alone above bytes bound", ra->limit },
			{ "duplicate segments", ra->duplicates }, { "segments without a first", ra->orphans },
			{ "out of sequence", ra->sequence }, { "too large", ra->too_large },
		};
		for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
			fprintf(out, "reassembly %-29s %12llu\n", rs[i].n, (unsigned long long)rs[i].v);
	}
	fprintf(out, "%-40s %12llu\n", "tcap unsolicited in", (unsigned long long)e->tcap_unsolicited[0]);
	fprintf(out, "%-40s %12llu\n", "tcap unsolicited out", (unsigned long long)e->tcap_unsolicited[1]);
	fprintf(out, "%-40s %12llu\n", "forward-SM passed, fsm_solicited unarmed", (unsigned long long)e->fsm_unarmed);
	double alert = e->pol ? e->pol->cfg.smsc_ratio_alert : 2.5;
	fprintf(out, "-- SMSC (IR.71 2.1.12: SRI-SM / forward-SM above %.2f is suspicious) --\n", alert);
	fprintf(out, "%-40s %12s %12s %8s\n", "smsc_gt", "sri_sm", "forward_sm", "ratio");
	for (unsigned i = 0; i < SMSC_SLOTS; i++) {
		const struct smsc_ctr *c = &e->smsc[i];
		if (!c->key[0])
			continue;
		char gt[32];
		smsc_str(c->key, gt);
		double ratio = c->fsm ? (double)c->sri / (double)c->fsm : (c->sri ? (double)c->sri : 0.0);
		fprintf(out, "%-40s %12llu %12llu %8.2f%s\n", gt, (unsigned long long)c->sri,
			(unsigned long long)c->fsm, ratio, ratio > alert ? "  SUSPICIOUS" : "");
	}
	if (e->smsc_other_sri || e->smsc_other_fsm)
		fprintf(out, "%-40s %12llu %12llu\n", "(other)", (unsigned long long)e->smsc_other_sri,
			(unsigned long long)e->smsc_other_fsm);
	fprintf(out, "-- IR.71 measurements per partner --\n%-24s %8s %8s %8s %8s %8s %8s %8s\n", "partner", "udts",
		"map_err", "mo_in", "mt_in", "mo_out", "mt_out", "unexp_end");
	for (uint32_t i = 0; e->ir71 && i < e->n_ir71; i++) {
		const struct ir71_ctr *c = &e->ir71[i];
		uint64_t u = 0, me = 0;
		for (unsigned k = 0; k < 256; k++) {
			u += c->udts[k];
			me += c->map_error[0][k] + c->map_error[1][k];
		}
		fprintf(out, "%-24s %8llu %8llu %8llu %8llu %8llu %8llu %8llu\n", c->name, (unsigned long long)u,
			(unsigned long long)me, (unsigned long long)c->sms[0][0], (unsigned long long)c->sms[0][1],
			(unsigned long long)c->sms[1][0], (unsigned long long)c->sms[1][1],
			(unsigned long long)c->unexpected_end);
	}
	fprintf(out, "-- policy --\n%-40s %12llu\n%-40s %12llu\n", "reloads ok", (unsigned long long)e->reloads_ok,
		"reloads failed", (unsigned long long)e->reloads_failed);
}

/* One counter per rule name (the uint64_t at offset off of each struct
 * rule_ctr), then the default's. */
static void prom_rule_counter(FILE *out, const struct engine *e, const char *name, const char *help,
			      size_t off, uint64_t dflt)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (uint32_t i = 0; i < e->n_rc; i++) {
		fprintf(out, "%s{rule=\"", name);
		prom_str(out, e->rc[i].name);
		fprintf(out, "\"} %llu\n", (unsigned long long)*(const uint64_t *)((const char *)&e->rc[i] + off));
	}
	fprintf(out, "%s{rule=\"(default)\"} %llu\n", name, (unsigned long long)dflt);
}

static void ir71_head(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

static void ir71_label(FILE *out, const char *name, const struct ir71_ctr *c)
{
	fprintf(out, "%s{partner=\"", name);
	prom_str(out, c->name);
	fputc('"', out);
}

/* The IR.71 measurements (docs/operations.md): every partner is listed for
 * the per-partner totals (so rate() sees them from zero); causes and error
 * codes only once seen. */
static void ir71_prom(const struct engine *e, FILE *out)
{
	/* a family with no sample yet is not written at all (an empty family
	 * would be a name without series) */
	bool any = false;
	for (uint32_t i = 0; i < e->n_ir71; i++)
		for (unsigned cs = 0; cs < 256; cs++)
			any |= e->ir71[i].udts[cs] != 0;
	if (any)
		ir71_head(out, "ss7fw_ir71_udts_total", "UDTS/XUDTS/LUDTS received per partner and return cause (IR.71 2.1.5).");
	for (uint32_t i = 0; i < e->n_ir71; i++)
		for (unsigned cs = 0; cs < 256; cs++)
			if (e->ir71[i].udts[cs]) {
				ir71_label(out, "ss7fw_ir71_udts_total", &e->ir71[i]);
				fprintf(out, ",cause=\"%u\"} %llu\n", cs, (unsigned long long)e->ir71[i].udts[cs]);
			}
	any = false;
	for (uint32_t i = 0; i < e->n_ir71; i++)
		for (unsigned cs = 0; cs < 512; cs++)
			any |= e->ir71[i].map_error[cs >> 8][cs & 255] != 0;
	if (any)
		ir71_head(out, "ss7fw_ir71_map_errors_total", "MAP return errors per partner, direction (in: from it, out: our answers to it) and error code (IR.71 2.1.9).");
	for (uint32_t i = 0; i < e->n_ir71; i++)
		for (int d = 0; d < 2; d++)
			for (unsigned cs = 0; cs < 256; cs++)
				if (e->ir71[i].map_error[d][cs]) {
					ir71_label(out, "ss7fw_ir71_map_errors_total", &e->ir71[i]);
					fprintf(out, ",dir=\"%s\",error=\"%u\"} %llu\n", d ? "out" : "in", cs,
						(unsigned long long)e->ir71[i].map_error[d][cs]);
				}
	ir71_head(out, "ss7fw_ir71_sms_total", "Forward-SM per partner, direction and kind (IR.71 2.1.10, 2.2.2).");
	for (uint32_t i = 0; i < e->n_ir71; i++)
		for (int d = 0; d < 2; d++)
			for (int k = 0; k < 2; k++) {
				ir71_label(out, "ss7fw_ir71_sms_total", &e->ir71[i]);
				fprintf(out, ",dir=\"%s\",kind=\"%s\"} %llu\n", d ? "out" : "in", k ? "mt" : "mo",
					(unsigned long long)e->ir71[i].sms[d][k]);
			}
	ir71_head(out, "ss7fw_ir71_unexpected_end_total", "End/Abort received for no transaction the home network opened, per partner (IR.71 2.1.3).");
	for (uint32_t i = 0; i < e->n_ir71; i++) {
		ir71_label(out, "ss7fw_ir71_unexpected_end_total", &e->ir71[i]);
		fprintf(out, "} %llu\n", (unsigned long long)e->ir71[i].unexpected_end);
	}
	ir71_head(out, "ss7fw_ir71_update_location_total", "updateLocation/updateGprsLocation received per partner (IR.71 2.2.3).");
	for (uint32_t i = 0; i < e->n_ir71; i++) {
		ir71_label(out, "ss7fw_ir71_update_location_total", &e->ir71[i]);
		fprintf(out, "} %llu\n", (unsigned long long)e->ir71[i].ul);
	}
	ir71_head(out, "ss7fw_ir71_mo_sms_total", "MO forward-SM received per partner (IR.71 2.2.3).");
	for (uint32_t i = 0; i < e->n_ir71; i++) {
		ir71_label(out, "ss7fw_ir71_mo_sms_total", &e->ir71[i]);
		fprintf(out, "} %llu\n", (unsigned long long)e->ir71[i].mo_in);
	}
	ir71_head(out, "ss7fw_ir71_sri_sm_total", "SRI-SM received per calling network (CC+NDC, policy.sri_ndc_digits) (IR.71 2.1.12).");
	for (unsigned i = 0; e->ndc && i < NDC_SLOTS; i++)
		if (e->ndc[i].key[0]) {
			char gt[32];
			smsc_str(e->ndc[i].key, gt);
			fprintf(out, "ss7fw_ir71_sri_sm_total{network=\"%s\"} %llu\n", gt, (unsigned long long)e->ndc[i].sri);
		}
	fprintf(out, "ss7fw_ir71_sri_sm_total{network=\"other\"} %llu\n", (unsigned long long)e->ndc_other);
}

static void metrics_prom(const struct engine *e, FILE *out)
{
	fprintf(out, "# HELP ss7fw_msus_total M3UA messages screened.\n# TYPE ss7fw_msus_total counter\n");
	fprintf(out, "ss7fw_msus_total %llu\n", (unsigned long long)e->msus);
	fprintf(out, "# HELP ss7fw_non_data_total Non-DATA M3UA messages forwarded as they are.\n# TYPE ss7fw_non_data_total counter\n");
	fprintf(out, "ss7fw_non_data_total %llu\n", (unsigned long long)e->non_data);
	prom_rule_counter(out, e, "ss7fw_rule_hits_total", "MSUs decided by a rule (enforced).",
			  offsetof(struct rule_ctr, hits), e->default_hits);
	prom_rule_counter(out, e, "ss7fw_rule_shadow_hits_total", "MSUs a rule would have dropped (shadow).",
			  offsetof(struct rule_ctr, shadow_hits), e->default_shadow);
	fprintf(out, "# HELP ss7fw_verdicts_total Decisions by verdict (shadow ones included).\n# TYPE ss7fw_verdicts_total counter\n");
	for (unsigned v = 0; v < 3; v++)
		fprintf(out, "ss7fw_verdicts_total{verdict=\"%s\"} %llu\n", fw_verdict_name(v), (unsigned long long)e->verdicts[v]);
	fprintf(out, "# HELP ss7fw_shadow_total Non-allow decisions not enforced (shadow).\n# TYPE ss7fw_shadow_total counter\n");
	fprintf(out, "ss7fw_shadow_total %llu\n", (unsigned long long)e->shadowed);
	fprintf(out, "# HELP ss7fw_link_msus_total M3UA messages per link and direction.\n# TYPE ss7fw_link_msus_total counter\n");
	for (uint32_t i = 0; i <= e->n_links; i++)
		for (int dd = 0; dd < 2; dd++) {
			fputs("ss7fw_link_msus_total{link=\"", out);
			prom_str(out, link_label(e, i));
			fprintf(out, "\",dir=\"%s\"} %llu\n", dd ? "out" : "in", (unsigned long long)e->link_msus[i][dd]);
		}
	fprintf(out, "# HELP ss7fw_link_drops_total MSUs dropped per link and direction.\n# TYPE ss7fw_link_drops_total counter\n");
	for (uint32_t i = 0; i <= e->n_links; i++)
		for (int dd = 0; dd < 2; dd++) {
			fputs("ss7fw_link_drops_total{link=\"", out);
			prom_str(out, link_label(e, i));
			fprintf(out, "\",dir=\"%s\"} %llu\n", dd ? "out" : "in", (unsigned long long)e->link_drops[i][dd]);
		}
	fprintf(out, "# HELP ss7fw_anomalies_total Decoder anomalies seen.\n# TYPE ss7fw_anomalies_total counter\n");
	for (unsigned a = 0; a < ANOM__COUNT; a++)
		fprintf(out, "ss7fw_anomalies_total{anomaly=\"%s\"} %llu\n", anom_names[a], (unsigned long long)e->anomalies[a]);
	fprintf(out, "# HELP ss7fw_malformed_total MSUs towards MAP that could not be decoded to their operations.\n# TYPE ss7fw_malformed_total counter\n");
	fprintf(out, "ss7fw_malformed_total %llu\n", (unsigned long long)e->malformed);
	fprintf(out, "# HELP ss7fw_drops_total MSUs dropped, by reason.\n# TYPE ss7fw_drops_total counter\n");
	for (unsigned r = 1; r < FW_REASON__COUNT; r++)
		fprintf(out, "ss7fw_drops_total{reason=\"%s\"} %llu\n", fw_reason_name(r), (unsigned long long)e->drops[r]);
	const struct track_stats *t = e->trk ? track_stats(e->trk) : NULL;
	fprintf(out, "# HELP ss7fw_track_entries Correlation entries in use.\n# TYPE ss7fw_track_entries gauge\n");
	fprintf(out, "ss7fw_track_entries %u\n", t ? t->entries : 0);
	fprintf(out, "# HELP ss7fw_track_capacity Correlation entries allocated.\n# TYPE ss7fw_track_capacity gauge\n");
	fprintf(out, "ss7fw_track_capacity %u\n", t ? t->max_entries : 0);
	fprintf(out, "# HELP ss7fw_track_evictions_total Live correlation entries evicted from a full table.\n# TYPE ss7fw_track_evictions_total counter\n");
	fprintf(out, "ss7fw_track_evictions_total %llu\n", (unsigned long long)(t ? t->evictions : 0));
	fprintf(out, "# HELP ss7fw_track_expired_total Correlation entries that expired.\n# TYPE ss7fw_track_expired_total counter\n");
	fprintf(out, "ss7fw_track_expired_total %llu\n", (unsigned long long)(t ? t->expired : 0));
	const struct reasm_stats *ra = e->ra_sum ? e->ra_sum : e->ra ? reasm_stats(e->ra) : NULL;
	static const struct reasm_stats ra0;
	if (!ra)
		ra = &ra0;
	fprintf(out, "# HELP ss7fw_reasm_active XUDT/LUDT reassemblies in progress.\n# TYPE ss7fw_reasm_active gauge\n");
	fprintf(out, "ss7fw_reasm_active %u\n", ra->active);
	fprintf(out, "# HELP ss7fw_reasm_capacity Reassemblies at once (settings.reasm_max).\n# TYPE ss7fw_reasm_capacity gauge\n");
	fprintf(out, "ss7fw_reasm_capacity %u\n", ra->max_reasm);
	fprintf(out, "# HELP ss7fw_reasm_bytes Bytes of segments held for reassembly.\n# TYPE ss7fw_reasm_bytes gauge\n");
	fprintf(out, "ss7fw_reasm_bytes %llu\n", (unsigned long long)ra->bytes);
	fprintf(out, "# HELP ss7fw_reasm_bytes_capacity Bound on bytes held (settings.reasm_bytes).\n# TYPE ss7fw_reasm_bytes_capacity gauge\n");
	fprintf(out, "ss7fw_reasm_bytes_capacity %llu\n", (unsigned long long)ra->max_bytes);
	fprintf(out, "# HELP ss7fw_reasm_total Reassemblies and segments by what became of them.\n# TYPE ss7fw_reasm_total counter\n");
	const struct { const char *n; uint64_t v; } rs[] = {
		{ "started", ra->started }, { "completed", ra->completed }, { "expired", ra->expired },
		{ "cut_reasm_max", ra->cut_slots }, { "cut_reasm_bytes", ra->cut_bytes },
		{ "limit", ra->limit }, { "duplicate", ra->duplicates }, { "orphan", ra->orphans },
		{ "sequence", ra->sequence }, { "too_large", ra->too_large },
	};
	for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
		fprintf(out, "ss7fw_reasm_total{event=\"%s\"} %llu\n", rs[i].n, (unsigned long long)rs[i].v);
	fprintf(out, "# HELP ss7fw_tcap_unsolicited_total Continue/End/Abort for a transaction not seen opened (IR.71 2.1.3).\n# TYPE ss7fw_tcap_unsolicited_total counter\n");
	fprintf(out, "ss7fw_tcap_unsolicited_total{dir=\"in\"} %llu\n", (unsigned long long)e->tcap_unsolicited[0]);
	fprintf(out, "ss7fw_tcap_unsolicited_total{dir=\"out\"} %llu\n", (unsigned long long)e->tcap_unsolicited[1]);
	fprintf(out, "# HELP ss7fw_fsm_unarmed_total MT forward-SMs fsm_solicited passed because no SRI-SM answer of our HLR had reached the correlation state (policy.fsm_unarmed).\n# TYPE ss7fw_fsm_unarmed_total counter\n");
	fprintf(out, "ss7fw_fsm_unarmed_total %llu\n", (unsigned long long)e->fsm_unarmed);
	fprintf(out, "# HELP ss7fw_smsc_sri_sm_total SRI-SM received per calling SMSC GT (IR.71 2.1.12).\n# TYPE ss7fw_smsc_sri_sm_total counter\n");
	for (unsigned i = 0; i < SMSC_SLOTS; i++)
		if (e->smsc[i].key[0]) {
			char gt[32];
			smsc_str(e->smsc[i].key, gt);
			fprintf(out, "ss7fw_smsc_sri_sm_total{gt=\"%s\"} %llu\n", gt, (unsigned long long)e->smsc[i].sri);
		}
	fprintf(out, "ss7fw_smsc_sri_sm_total{gt=\"other\"} %llu\n", (unsigned long long)e->smsc_other_sri);
	fprintf(out, "# HELP ss7fw_smsc_forward_sm_total MT forward-SM received per calling SMSC GT (IR.71 2.1.13).\n# TYPE ss7fw_smsc_forward_sm_total counter\n");
	for (unsigned i = 0; i < SMSC_SLOTS; i++)
		if (e->smsc[i].key[0]) {
			char gt[32];
			smsc_str(e->smsc[i].key, gt);
			fprintf(out, "ss7fw_smsc_forward_sm_total{gt=\"%s\"} %llu\n", gt, (unsigned long long)e->smsc[i].fsm);
		}
	fprintf(out, "ss7fw_smsc_forward_sm_total{gt=\"other\"} %llu\n", (unsigned long long)e->smsc_other_fsm);
	ir71_prom(e, out);
	fprintf(out, "# HELP ss7fw_policy_reloads_total Policy loads by result.\n# TYPE ss7fw_policy_reloads_total counter\n");
	fprintf(out, "ss7fw_policy_reloads_total{result=\"ok\"} %llu\n", (unsigned long long)e->reloads_ok);
	fprintf(out, "ss7fw_policy_reloads_total{result=\"failed\"} %llu\n", (unsigned long long)e->reloads_failed);
	fprintf(out, "# HELP ss7fw_policy_last_reload_timestamp_seconds Time of the last successful load.\n# TYPE ss7fw_policy_last_reload_timestamp_seconds gauge\n");
	fprintf(out, "ss7fw_policy_last_reload_timestamp_seconds %lld\n", (long long)e->last_reload_ok);
	fprintf(out, "# HELP ss7fw_policy_rules Rules in the running policy.\n# TYPE ss7fw_policy_rules gauge\n");
	fprintf(out, "ss7fw_policy_rules %u\n", e->pol ? e->pol->n_rules : 0);
	fprintf(out, "# HELP ss7fw_policy_shadow_mode 1 when in global shadow mode (policy.mode or run --shadow).\n# TYPE ss7fw_policy_shadow_mode gauge\n");
	fprintf(out, "ss7fw_policy_shadow_mode %d\n", engine_shadow(e));
}
