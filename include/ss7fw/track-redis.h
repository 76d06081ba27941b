/* ss7fw — the correlation table shared between instances through Redis
 * (settings.state.backend = "redis"; docs/architecture.md, "Several
 * instances").
 *
 * Every change the screening makes to the local table (track_put,
 * track_put_val, track_del: the SRI-SM windows, the open TCAP transactions)
 * is queued by the observer (track_set_observer) in a bounded backlog and
 * returned at once; a writer thread sends the backlog to Redis in pipelined
 * batches: per change a key <prefix>:k:<hex key> = "<value>:<expiry ms>"
 * that expires with the entry (PXAT), and per batch one entry in the stream
 * <prefix>:s holding all its changes (track_redis.c, rec_put). A reader
 * thread follows the stream (XREAD BLOCK) and applies the other instances'
 * changes to the local table (track_learn / track_forget). At start,
 * track_redis_load copies every live key into the table before the links are
 * accepted. Screening never waits for Redis: when it is away or slow, the
 * backlog fills (bounded, what does not fit is counted and lost), both
 * threads reconnect with backoff, a metric and a log line say the state is
 * degraded, and stateful checks answer per settings.state.fail.
 *
 * Security: the password is read from password_file (never from the main
 * configuration); a Redis that answers without authentication is refused
 * unless allow_unauthenticated. With tls, the connection is TLS (1.2 or
 * later), the server's certificate checked against tls_ca_file and its name
 * or address (redis_tls.c: Debian 12's hiredis 0.14 has no TLS, so a relay
 * thread per connection carries hiredis's bytes over OpenSSL). */
#ifndef SS7FW_TRACK_REDIS_H
#define SS7FW_TRACK_REDIS_H

#include <stdint.h>
#include <stdio.h>

#include "ss7fw/config-t.h"
#include "ss7fw/track.h"

struct track_redis;

struct track_redis_stats {
	uint64_t queued;             /* changes put in the backlog */
	uint64_t dropped;            /* not queued: the backlog was full */
	uint64_t written;            /* changes Redis acknowledged */
	uint64_t lost;               /* taken from the backlog, then the connection failed */
	uint64_t learned, forgotten; /* other instances' changes applied */
	uint64_t loaded;             /* live entries copied at start */
	uint64_t redis_ops;          /* Redis commands sent (all kinds) */
	uint64_t errors;             /* error replies and connection failures */
	uint64_t reconnects;         /* connections made again after a failure */
	uint32_t backlog;            /* changes waiting now */
	bool degraded;               /* a connection is down now */
};

/* Reads the password file and checks the configuration; the table t gets
 * the observer. NULL with the reason on err. Nothing connects yet. */
struct track_redis *track_redis_new(struct track *t, const struct state_cfg *c, FILE *err);
/* Connects once (on the caller's thread, bounded by connect_timeout_ms per
 * reply), refuses an unauthenticated Redis unless allowed, and copies every
 * live entry into the table. Returns the entries loaded; -1 (reason on
 * err): Redis unreachable or the copy failed (ss7fw run goes on degraded and
 * says so); -2: Redis answered but was refused (open to anyone without
 * allow_unauthenticated, wrong user or password: ss7fw run stops). */
long track_redis_load(struct track_redis *tr, FILE *err);
/* Starts the writer and reader threads. 0 or -1. */
int track_redis_start(struct track_redis *tr);
/* Stops the threads (the backlog is written for up to 1 s) and frees. */
void track_redis_free(struct track_redis *tr);

void track_redis_stats(const struct track_redis *tr, struct track_redis_stats *st);
/* Visibility delay of the other instances' changes (from the writer's
 * enqueue to this instance's table), over the last 4096 learned: p50 and
 * p99 in microseconds; false when none was learned. Clocks of the
 * instances must agree (NTP). */
bool track_redis_delay(const struct track_redis *tr, double *p50_us, double *p99_us);
void track_redis_metrics_prom(const struct track_redis *tr, FILE *out);

/* TLS towards Redis (redis_tls.c). redis_tls_new loads the CA and the
 * client certificate (NULL with the reason in why). redis_tls_connect
 * connects and completes the handshake within timeout_ms and returns the
 * descriptor to give hiredis (redisConnectFd), -1 with the reason. */
struct redis_tls;
struct redis_tls *redis_tls_new(const struct state_cfg *c, char *why, size_t wn);
void redis_tls_free(struct redis_tls *t);
int redis_tls_connect(struct redis_tls *t, const char *host, uint16_t port, unsigned timeout_ms,
		      char *why, size_t wn);

#endif
