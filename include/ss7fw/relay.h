/* ss7fw — the inline M3UA relay: per link a carrier side and a core side
 * (SCTP one-to-one or TCP framed by the M3UA length), listen or connect,
 * every message screened by the engine and forwarded as the original bytes on
 * the other side, same stream, in order. The links are served by
 * settings.workers threads (0: one per core, at most one per link): worker 0
 * on the caller's loop and thread (relay_tick / relay_timeout_ms), the others
 * on their own threads with their own loops and worker engines
 * (engine_worker_new), each link on one worker. Call every function here
 * from the caller's thread; relay_link_up may be read from any thread. */
#ifndef SS7FW_RELAY_H
#define SS7FW_RELAY_H

#include <stdio.h>

#include "ss7fw/config-t.h"
#include "ss7fw/engine.h"
#include "ss7fw/loop.h"
#include "ss7fw/ops.h"
#include "ss7fw/relay-t.h"

struct relay;

/* A relay for links[0..n_links) (copied) with settings s (copied; 0 values
 * take the defaults of config-t.h). Opens the listeners and starts the
 * connects (non-blocking); NULL with the reason written to err when a socket
 * cannot be set up (bind fails, SCTP not supported, ...). e, l, and the
 * evlog/droppcap set later must outlive the relay. */
struct relay *relay_new(struct loop *l, struct engine *e, const struct settings_cfg *s,
			const struct link_cfg *links, int n_links,
			const struct relay_opts *o, FILE *err);
/* Closes every socket at once (no flush) and frees. NULL is fine. */
void relay_free(struct relay *r);

/* Where drops are written (either may be NULL: off). */
void relay_set_outputs(struct relay *r, struct evlog *ev, struct droppcap *pc);
/* With several workers (settings.workers) the event log and the drop pcap
 * are written from their threads under this lock: take it around any other
 * use of them (evlog_reopen, evlog_tick). No-op with one worker. */
void relay_outputs_lock(struct relay *r);
void relay_outputs_unlock(struct relay *r);

/* Timers (reconnect backoff, stalled peers) of worker 0: the longest the
 * loop may wait before relay_tick must run, in ms (-1: no timer pending).
 * The first call of either starts the other workers' threads. */
int relay_timeout_ms(const struct relay *r);
void relay_tick(struct relay *r);

/* Graceful stop: stop reading, flush the output queues for up to
 * opts.flush_ms while running the loop, then close every association
 * (SCTP SHUTDOWN / TCP FIN). Returns the bytes left unflushed (0: all sent). */
uint64_t relay_stop(struct relay *r);

/* The local port a side listens on (useful with port 0), 0 if none. */
uint16_t relay_listen_port(const struct relay *r, int link, int side);
/* How many workers serve the links, and which one serves link (-1: none). */
int relay_n_workers(const struct relay *r);
int relay_link_worker(const struct relay *r, int link);
/* Whether both sides of link are connected; safe from another thread. */
bool relay_link_up(const struct relay *r, int link);

void relay_link_stats(const struct relay *r, int link, struct relay_link_stats *st);
void relay_stats(const struct relay *r, struct relay_stats *st);
/* Prometheus text of the relay's own metrics (not the engine's). */
void relay_metrics_prom(const struct relay *r, FILE *out);
const char *relay_cut_name(unsigned c);

#endif
