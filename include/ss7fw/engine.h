/* ss7fw — the screening engine: decode + policy + correlation state +
 * counters, the same for `ss7fw replay` and the inline relay. One engine is
 * used by one thread; engine_load swaps the policy between two engine_screen
 * calls, so a reload is atomic as seen by the traffic. Several threads screen
 * with worker engines (engine_worker_new). */
#ifndef SS7FW_ENGINE_H
#define SS7FW_ENGINE_H

#include <stdio.h>
#include <time.h>

#include "ss7fw/config-t.h"
#include "ss7fw/verdict-t.h"
#include "ss7fw/wire-t.h"

/* What the caller knows of one message besides its bytes. */
struct msu_meta {
	struct timespec ts;          /* capture or receive time (CLOCK_REALTIME) */
	uint64_t frame;              /* replay: frame number (1-based); relay: sequence */
	int link;                    /* link index (engine_link_lookup), or -1 */
	const char *link_name;       /* the link's name, or "ip:port>ip:port" */
	uint8_t dir;                 /* enum fw_dir */
	uint16_t stream;             /* SCTP stream id (0 over TCP) */
	uint32_t ppid;               /* SCTP PPID as received (network order), kept
	                              * with a held segment for its forwarding */
};

struct fw_decision {
	uint8_t verdict;             /* enum fw_verdict: what the policy decided */
	bool shadow;                 /* the verdict was not enforced */
	bool forward;                /* forward the original bytes */
	uint8_t reason;              /* enum fw_reason */
	const char *rule;            /* name of the deciding rule; NULL: the default */
	bool log;                    /* worth an event line (drop, shadow hit, sample) */
	/* fsm_solicited: the SMSC GT our HLR gave the IMSI to (the SRI-SM's
	 * sender), "" none; the JSON record's "perpetrator" */
	char perpetrator[25];
	/* Segmentation (docs/architecture.md, "The held path"). held: a segment
	 * of an XUDT/LUDT the engine keeps a copy of until its message is whole;
	 * not a drop, not counted as one; forward then says whether it goes now
	 * (shadow, or a direction that is not screened) or waits (verdict comes
	 * with the last segment). n_held: segments held before this one that
	 * share this decision (engine_held), to forward before this one when
	 * forward, dropped with it otherwise. segments: how many segments the
	 * screened whole had (0 or 1: not reassembled). */
	bool held;
	uint8_t n_held;
	uint8_t segments;
};

struct engine;

struct engine *engine_new(void);
void engine_free(struct engine *e);

/* Build a new policy from path beside the running one. On success it replaces
 * the running one and 0 is returned; on failure each error is written to err
 * as "file:line: message", the running policy stays, and -1 is returned. The
 * correlation state and the counters survive. */
int engine_load(struct engine *e, const char *path, FILE *err);

/* Decode and screen one M3UA message. m is the caller's scratch, filled with
 * the decoded view (valid while msg is). Never fails: always sets *d. */
void engine_screen(struct engine *e, const uint8_t *msg, size_t len,
		   const struct msu_meta *meta, struct msu *m, struct fw_decision *d);

/* Held segment i (< d->n_held) of the last engine_screen decision: a copy
 * of the M3UA message as it came, with its stream, PPID, time and frame.
 * Valid until the next engine_screen or engine_tick. */
struct engine_seg {
	const uint8_t *p;
	size_t len;
	uint16_t stream;
	uint32_t ppid;
	struct timespec ts;
	uint64_t frame;
};
bool engine_held(const struct engine *e, unsigned i, struct engine_seg *out);

/* Expire reassemblies whose T(reass) ran out by now (CLOCK_REALTIME, or the
 * packet time in replay): their held segments are dropped and counted
 * (reason reassembly_timeout). engine_screen does it too with each MSU's
 * time; the relay calls this from its timer. */
void engine_tick(struct engine *e, const struct timespec *now);

/* Global shadow mode regardless of the policy file (`ss7fw run --shadow`):
 * decisions, counters and event records are exactly those of
 * policy.mode = "shadow" (d->shadow, d->forward, *_shadow_* counters, no
 * enforced drops). Survives reloads; off by default. engine_shadow: whether
 * the engine is in global shadow mode now (the override or the policy). */
void engine_set_shadow(struct engine *e, bool on);
bool engine_shadow(const struct engine *e);

/* Workers (ss7fw run with settings.workers > 1): a worker engine screens on
 * its own thread with the policy and the correlation table of its parent
 * (the table then takes its locks: track_set_shared) and counts in its own
 * counters; the parent's engine_stats_print / engine_metrics_prom sum them.
 * engine_worker_new and engine_free of a worker run on the parent's thread
 * while the worker's thread is not running; free the workers before their
 * parent. engine_load and engine_set_shadow on the parent publish; each
 * worker takes what was published between two messages (engine_screen
 * does, or engine_worker_sync when the worker is idle), so a reload is
 * atomic per worker. */
struct engine *engine_worker_new(struct engine *parent);
void engine_worker_sync(struct engine *w);

/* Count a drop the relay made (overload, link down). */
void engine_count_drop(struct engine *e, int link, uint8_t dir, uint8_t reason);

/* Links of the loaded configuration (stable across reloads: read at the
 * first successful engine_load). */
int engine_n_links(const struct engine *e);
const struct link_cfg *engine_link(const struct engine *e, int i);
const struct settings_cfg *engine_settings(const struct engine *e);
/* The correlation table (made by the first successful engine_load; NULL
 * before), for a shared store to attach to (track_redis_new). */
struct track *engine_track(struct engine *e);
/* Which link and direction a packet from src to dst belongs to, by the
 * links' endpoint addresses; -1 if none. */
int engine_link_lookup(const struct engine *e, const struct sockaddr *src,
		       const struct sockaddr *dst, uint8_t *dir);

/* Counters: the human table (`replay --stats`) and Prometheus text. */
void engine_stats_print(const struct engine *e, FILE *out);
void engine_metrics_prom(const struct engine *e, FILE *out);

const char *fw_reason_name(unsigned r);
const char *fw_verdict_name(unsigned v);

#endif
