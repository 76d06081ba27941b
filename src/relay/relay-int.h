/* ss7fw — the inline relay's insides, shared by the files of src/relay/ and
 * by nothing else. Each file has one job:
 *
 *   relay.c          lifetime: relay_new / relay_free / relay_stop, settings
 *                    defaults, the worker threads (start, run, stop),
 *                    introspection (ports, link up, workers)
 *   relay_sock.c     addresses and sockets: listen, connect, accept
 *   relay_link.c     link pairing and state: up / down / cut-off, the loop's
 *                    event dispatch, backpressure pause/resume, timers
 *   relay_queue.c    output towards a side: gathered iovecs, the bounded
 *                    output queue, writes and flushes
 *   relay_tcp.c      TCP input: M3UA framing by the length field
 *   relay_sctp.c     SCTP input: sctp_recvmsg, notifications
 *   relay_screen.c   one whole message: screen (engine_screen) and forward,
 *                    drop, or answer a reject  <- conn_message
 *   relay_metrics.c  counters and their Prometheus text
 *
 * The data path and its memory bound are described in relay.c. Every
 * function here runs on the thread of the worker that serves the link it
 * is given (struct relay_worker); only the lifetime functions of relay.c
 * run on the caller's thread. */
#ifndef SS7FW_RELAY_INT_H
#define SS7FW_RELAY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/uio.h>
#include <time.h>

#include "ss7fw/reject.h"
#include "ss7fw/relay.h"
#include "ss7fw/wire-t.h"
#define RELAY_IBUF_MIN     (256u * 1024)  /* input buffer per side (at least max_msg + 8) */
#define RELAY_IOV_MAX      64             /* iovecs gathered before a writev */
#define RELAY_SCTP_BATCH   64             /* SCTP messages taken per readable event */
#define RELAY_QREC_HDR     12             /* SCTP queue record: len, ppid, stream, pad */
#define RELAY_M3UA_PPID    3              /* RFC 4666: M3UA payload protocol id */
#define RELAY_STALL_MS     10000
#define RELAY_FLUSH_MS     2000
#define RELAY_SCTP_STREAMS 16

enum conn_state { CONN_IDLE = 0, CONN_CONNECTING, CONN_UP };

/* Bytes waiting to be written to one side. TCP: the raw byte stream;
 * SCTP: records [u32 len][u32 ppid][u16 stream][u16 0] + bytes. Linear
 * buffer, compacted when the tail reaches the end. */
struct relay_q {
	uint8_t *buf;
	size_t cap, head, tail;
};

struct relay_link;

struct relay_conn {
	struct relay_link *link;
	uint8_t side;                /* enum relay_side */
	uint8_t state;               /* enum conn_state */
	bool sctp;
	bool rd_paused;              /* backpressure: partner's queue is full */
	bool closing;                /* relay_stop: no more reading */
	int fd, lfd;                 /* association / listener, -1 none */
	uint32_t events;             /* what is registered in the loop */
	const struct endpoint_cfg *ep;
	uint16_t lport;              /* listener's bound port */
	bool listening;              /* lfd listens (else bound only: peers refused) */
	/* input */
	uint8_t *ibuf;
	size_t icap, ilen;
	uint64_t partial_since;      /* ms; 0: no partial message waiting */
	uint32_t glitches;
	/* output (towards this side) */
	struct relay_q q;
	struct iovec iov[RELAY_IOV_MAX];
	int niov;
	size_t iov_bytes;
	/* connect side: next connect; listen side: next try to (un)listen */
	uint64_t next_connect_ms;    /* 0: not scheduled */
	uint32_t backoff_ms;
	char peer[64];               /* "addr:port" of the association */
};

struct relay_worker;

struct relay_link {
	struct relay *r;
	struct relay_worker *w;      /* the thread that serves this link */
	int idx;
	struct link_cfg cfg;
	struct relay_conn c[2];
	uint32_t epoch;              /* +1 on every pair teardown */
	int up;                      /* both sides up (atomic for relay_link_up) */
	struct relay_link_stats st;
};

/* One worker: a thread with its own loop and engine serving some links
 * (link i: worker i % n_workers), so the messages of one link keep their
 * order. Worker 0 runs on the caller's loop and thread (relay_tick); the
 * others run their own thread, started at the caller's first relay_tick or
 * relay_timeout_ms (after relay_set_outputs). Everything a worker writes
 * per message is its own; the caller reads the counters without locks
 * (each a word written by one thread). */
struct relay_worker {
	struct relay *r;
	int idx;
	struct loop *loop;           /* worker 0: the caller's */
	struct engine *eng;          /* worker 0: the caller's; others: engine_worker_new */
	bool thread;                 /* runs its own thread */
	pthread_t th;
	int stop;                    /* atomic: the thread stops its links and ends */
	uint64_t left;               /* bytes not flushed when it stopped */
	uint64_t seq;
	struct relay_stats st;
	struct msu scratch;
	uint8_t answer[REJECT_MAX_ANSWER];   /* the UDTS/XUDTS of a reject, built per message */
};

struct relay {
	struct evlog *ev;
	struct droppcap *pc;
	struct settings_cfg s;
	struct relay_opts o;
	int n_links;
	struct relay_link *links;
	int n_workers;
	struct relay_worker *w;
	bool started;                /* the worker threads run */
	bool stopping;               /* atomic */
	pthread_mutex_t out_mx;      /* event log and drop pcap, with several workers */
};

static inline bool relay_stopping(const struct relay *r)
{
	return __atomic_load_n(&r->stopping, __ATOMIC_ACQUIRE);
}

static inline size_t q_len(const struct relay_q *q) { return q->tail - q->head; }
static inline size_t q_free(const struct relay_q *q) { return q->cap - q_len(q); }

/* The direction of what a reads (enum fw_dir). */
static inline uint8_t dir_of(const struct relay_conn *a)
{
	return a->side == RELAY_CARRIER ? FW_DIR_IN : FW_DIR_OUT;
}

/* relay_link.c: pairing, state, events, timers */
void relay_log(const struct relay_link *k, int side, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void link_set_up(struct relay_link *k);
void link_down(struct relay_link *k, int side, const char *why);
void link_gate(struct relay_link *k);
void conn_schedule_connect(struct relay_conn *c);
void conn_close(struct relay_conn *c, bool graceful, const char *why);
void conn_cutoff(struct relay_conn *c, unsigned cut);
void conn_became_up(struct relay_conn *c);
void conn_update_events(struct relay_conn *c);
void conn_pause(struct relay_conn *a);
void conn_maybe_resume(struct relay_conn *b);
void conn_on_event(struct loop *l, int fd, uint32_t events, void *arg);
int worker_timeout_ms(const struct relay_worker *w);
void worker_tick(struct relay_worker *w);

/* relay_sock.c: sockets */
int conn_open_listener(struct relay_conn *c, bool listening, FILE *err);
int conn_listen(struct relay_conn *c, bool on);
void conn_start_connect(struct relay_conn *c);
void conn_on_connected(struct relay_conn *c);
void conn_on_accept(struct relay_conn *c);

/* relay_queue.c: output towards side b */
bool out_room(const struct relay_conn *b, size_t len);
int out_flush_iov(struct relay_conn *b);
int out_msg(struct relay_conn *b, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid);
int out_copy(struct relay_conn *c, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid);
int conn_flush(struct relay_conn *b);
void conn_flush_once(struct relay_conn *c);

/* relay_tcp.c, relay_sctp.c: input from side a */
void conn_process(struct relay_conn *a);
void conn_read_tcp(struct relay_conn *a);
void conn_read_sctp(struct relay_conn *a);

/* relay_screen.c: one whole message */
int conn_glitch(struct relay_conn *a);
int conn_message(struct relay_conn *a, const uint8_t *p, size_t len, uint16_t stream,
		 uint32_t ppid, const struct timespec *now);

#endif
