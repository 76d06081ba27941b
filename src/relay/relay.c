/* ss7fw — the inline M3UA relay.
 *
 * Per link two sides (carrier, core); each side is one association (SCTP
 * one-to-one socket, or TCP carrying M3UA framed by its length field) that we
 * either accept on a listener or connect with exponential backoff. A pair is
 * up when both sides are connected; when one side goes down the other is
 * closed too, so the STP on that side reroutes.
 *
 * Data path (one side A read, its partner B written):
 *   A's input buffer (ibuf, >= max_msg) holds what was read; every whole
 *   message in it is screened and, if forwarded, handed to B: for a TCP B as
 *   an iovec pointing into A's ibuf (adjacent survivors merged), written with
 *   one writev per batch; for an SCTP B by one sctp_sendmsg with the stream
 *   and PPID it came with. What cannot be written now is copied into B's
 *   bounded output queue (oq). Before a message is taken, B's queue must have
 *   room for it and for everything still pending in the batch; if not, the
 *   message stays in ibuf and reading from A stops (EPOLLIN off) until B's
 *   queue drains below half. So memory is ibuf + oq per side, whatever
 *   the peers do, and nothing is lost or reordered by backpressure.
 *
 * Nothing here decodes M3UA beyond its 8-byte common header (version and
 * length); the engine sees every message. A message the policy rejects is
 * answered on the side it came from with the UDTS/XUDTS reject_build makes
 * from the engine's decoded view (conn_answer). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ss7fw/reject.h"
#include "ss7fw/relay.h"
#include "ss7fw/wire.h"

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
	/* connect side */
	uint64_t next_connect_ms;    /* 0: not scheduled */
	uint32_t backoff_ms;
	char peer[64];               /* "addr:port" of the association */
};

struct relay_link {
	struct relay *r;
	int idx;
	struct link_cfg cfg;
	struct relay_conn c[2];
	uint32_t epoch;              /* +1 on every pair teardown */
	int up;                      /* both sides up (atomic for relay_link_up) */
	struct relay_link_stats st;
};

struct relay {
	struct loop *loop;
	struct engine *eng;
	struct evlog *ev;
	struct droppcap *pc;
	struct settings_cfg s;
	struct relay_opts o;
	struct relay_stats st;
	int n_links;
	struct relay_link *links;
	uint64_t seq;
	bool stopping;
	struct msu scratch;
	uint8_t answer[REJECT_MAX_ANSWER];   /* the UDTS/XUDTS of a reject, built per message */
};

static void conn_update_events(struct relay_conn *c);
static void conn_on_event(struct loop *l, int fd, uint32_t events, void *arg);
static void conn_process(struct relay_conn *a);
static int conn_flush(struct relay_conn *b);

/* ---- logging: one line per state change, stderr (and syslog when
 * stderr is not a terminal and we were asked to; kept simple: stderr). */
static void relay_log(const struct relay_link *k, int side, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void relay_log(const struct relay_link *k, int side, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "ss7fw: link %s%s%s: %s\n", k->cfg.name, side < 0 ? "" : " ",
		side < 0 ? "" : side == RELAY_CARRIER ? "carrier" : "core", msg);
}

const char *relay_cut_name(unsigned c)
{
	static const char *const n[] = {
#define N(id, name) name,
		RELAY_CUTS(N)
#undef N
	};
	return c < RELAY_CUT__COUNT ? n[c] : "?";
}

/* ---- queue */

static size_t q_len(const struct relay_q *q) { return q->tail - q->head; }
static size_t q_free(const struct relay_q *q) { return q->cap - q_len(q); }

/* Appends n bytes (and an SCTP record header when hdr); false if no room. */
static bool q_put(struct relay_q *q, const uint8_t *p, size_t n, const uint8_t *hdr, size_t hn)
{
	if (q_free(q) < n + hn)
		return false;
	if (q->cap - q->tail < n + hn) {
		memmove(q->buf, q->buf + q->head, q_len(q));
		q->tail -= q->head;
		q->head = 0;
	}
	if (hn)
		memcpy(q->buf + q->tail, hdr, hn);
	memcpy(q->buf + q->tail + hn, p, n);
	q->tail += n + hn;
	if (q->head == q->tail)
		q->head = q->tail = 0;
	return true;
}

static void q_consume(struct relay_q *q, size_t n)
{
	q->head += n;
	if (q->head >= q->tail)
		q->head = q->tail = 0;
}

/* ---- addresses */

static socklen_t sa_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static void sa_str(const struct sockaddr *sa, char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof a);
		port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof a);
		port = ntohs(s6->sin6_port);
	}
	snprintf(out, n, "%s:%u", a, port);
}

/* Whether peer matches one of the remote addresses (the port too, when the
 * configured one is not 0). */
static bool sa_allowed(const struct endpoint_cfg *ep, const struct sockaddr_storage *peer)
{
	if (!ep->n_remote)
		return true;
	for (unsigned i = 0; i < ep->n_remote && i < CFG_MAX_ADDRS; i++) {
		const struct sockaddr_storage *r = &ep->remote[i];
		if (r->ss_family != peer->ss_family)
			continue;
		if (r->ss_family == AF_INET) {
			const struct sockaddr_in *a = (const void *)r, *b = (const void *)peer;
			if (a->sin_addr.s_addr == b->sin_addr.s_addr &&
			    (!a->sin_port || a->sin_port == b->sin_port))
				return true;
		} else if (r->ss_family == AF_INET6) {
			const struct sockaddr_in6 *a = (const void *)r, *b = (const void *)peer;
			if (!memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) &&
			    (!a->sin6_port || a->sin6_port == b->sin6_port))
				return true;
		}
	}
	return false;
}

/* Packs n sockaddrs back to back, as sctp_bindx/sctp_connectx want them. */
static size_t sa_pack(const struct sockaddr_storage *a, unsigned n, uint8_t *out, size_t cap)
{
	size_t off = 0;
	for (unsigned i = 0; i < n; i++) {
		socklen_t l = sa_len(&a[i]);
		if (off + l > cap)
			break;
		memcpy(out + off, &a[i], l);
		off += l;
	}
	return off;
}

/* ---- socket setup */

static int sock_set_common(int fd, bool sctp, const struct endpoint_cfg *ep)
{
	int one = 1;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		return -1;
	if (!sctp)
		return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	/* SCTP: the stream and PPID of every message (sctp_data_io_event), and
	 * association changes / shutdowns as notifications. */
	struct sctp_event_subscribe ev;
	memset(&ev, 0, sizeof ev);
	ev.sctp_data_io_event = 1;
	ev.sctp_association_event = 1;
	ev.sctp_shutdown_event = 1;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0)
		return -1;
	struct sctp_initmsg im;
	memset(&im, 0, sizeof im);
	im.sinit_num_ostreams = ep->streams ? ep->streams : RELAY_SCTP_STREAMS;
	im.sinit_max_instreams = 65535;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im) < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	return 0;
}

static int sock_new(const struct endpoint_cfg *ep, int family)
{
	bool sctp = ep->transport == EP_SCTP;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, sctp ? IPPROTO_SCTP : IPPROTO_TCP);
	if (fd < 0)
		return -1;
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sock_set_common(fd, sctp, ep) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Binds the local addresses: the first with bind(), the others added with
 * sctp_bindx (SCTP multi-homing). A TCP side uses the first only. */
static int sock_bind_local(int fd, const struct endpoint_cfg *ep)
{
	if (!ep->n_local)
		return 0;
	if (bind(fd, (const struct sockaddr *)&ep->local[0], sa_len(&ep->local[0])) < 0)
		return -1;
	if (ep->transport == EP_SCTP && ep->n_local > 1) {
		uint8_t packed[CFG_MAX_ADDRS * sizeof(struct sockaddr_in6)];
		/* every further address gets the port the first one ended up with */
		struct sockaddr_storage more[CFG_MAX_ADDRS];
		struct sockaddr_storage first;
		socklen_t fl = sizeof first;
		if (getsockname(fd, (struct sockaddr *)&first, &fl) < 0)
			return -1;
		uint16_t port = first.ss_family == AF_INET6 ?
			((struct sockaddr_in6 *)&first)->sin6_port : ((struct sockaddr_in *)&first)->sin_port;
		unsigned n = 0;
		for (unsigned i = 1; i < ep->n_local && i < CFG_MAX_ADDRS; i++) {
			more[n] = ep->local[i];
			if (more[n].ss_family == AF_INET6)
				((struct sockaddr_in6 *)&more[n])->sin6_port = port;
			else
				((struct sockaddr_in *)&more[n])->sin_port = port;
			n++;
		}
		size_t pl = sa_pack(more, n, packed, sizeof packed);
		if (pl && sctp_bindx(fd, (struct sockaddr *)packed, (int)n, SCTP_BINDX_ADD_ADDR) < 0)
			return -1;
	}
	return 0;
}

static int ep_family(const struct endpoint_cfg *ep)
{
	if (ep->n_local)
		return ep->local[0].ss_family;
	if (ep->n_remote)
		return ep->remote[0].ss_family;
	return AF_INET;
}

static int conn_open_listener(struct relay_conn *c, FILE *err)
{
	const struct endpoint_cfg *ep = c->ep;
	int fd = sock_new(ep, ep_family(ep));
	if (fd < 0 || sock_bind_local(fd, ep) < 0 || listen(fd, 128) < 0) {
		fprintf(err, "ss7fw: link %s %s: cannot listen: %s\n", c->link->cfg.name,
			c->side == RELAY_CARRIER ? "carrier" : "core", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		c->lport = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						       : ((struct sockaddr_in *)&ss)->sin_port);
	c->lfd = fd;
	relay_log(c->link, c->side, "listening on port %u (%s)", c->lport, c->sctp ? "sctp" : "tcp");
	if (loop_add(c->link->r->loop, fd, EPOLLIN, conn_on_event, c) < 0) {
		fprintf(err, "ss7fw: link %s: loop: %s\n", c->link->cfg.name, strerror(errno));
		close(fd);
		c->lfd = -1;
		return -1;
	}
	return 0;
}

/* ---- state changes */

static void link_set_up(struct relay_link *k)
{
	int up = k->c[0].state == CONN_UP && k->c[1].state == CONN_UP;
	if (up != k->up) {
		__atomic_store_n(&k->up, up, __ATOMIC_RELEASE);
		if (up) {
			k->st.ups++;
			k->c[0].backoff_ms = k->c[1].backoff_ms = 0;
			relay_log(k, -1, "up");
		} else {
			k->st.downs++;
		}
	}
}

static void conn_schedule_connect(struct relay_conn *c)
{
	const struct relay *r = c->link->r;
	if (c->ep->mode != EP_CONNECT || r->stopping)
		return;
	uint32_t mn = r->s.reconnect_min_ms, mx = r->s.reconnect_max_ms;
	if (!c->backoff_ms)
		c->backoff_ms = mn;
	else
		c->backoff_ms = c->backoff_ms * 2 > mx ? mx : c->backoff_ms * 2;
	c->next_connect_ms = loop_now_ms() + c->backoff_ms;
}

/* Last try to hand c's queue to the kernel before a close; errors ignored
 * (the association is going anyway). */
static void conn_flush_once(struct relay_conn *c)
{
	struct relay_q *q = &c->q;
	if (!c->sctp) {
		if (q_len(q))
			(void)!write(c->fd, q->buf + q->head, q_len(q));
		return;
	}
	while (q_len(q)) {
		uint32_t len, ppid;
		uint16_t stream;
		memcpy(&len, q->buf + q->head, 4);
		memcpy(&ppid, q->buf + q->head + 4, 4);
		memcpy(&stream, q->buf + q->head + 8, 2);
		if (sctp_sendmsg(c->fd, q->buf + q->head + RELAY_QREC_HDR, len, NULL, 0, ppid, 0,
				 stream, 0, 0) < 0)
			return;
		q_consume(q, RELAY_QREC_HDR + len);
	}
}

/* Closes one side's association. graceful: try once more to write its queue
 * and shut the write side down first (TCP FIN; SCTP SHUTDOWN on close). */
static void conn_close(struct relay_conn *c, bool graceful, const char *why)
{
	struct relay *r = c->link->r;
	if (c->fd >= 0) {
		if (graceful && c->state == CONN_UP) {
			conn_flush_once(c);
			shutdown(c->fd, SHUT_WR);
		}
		loop_del(r->loop, c->fd);
		close(c->fd);
		c->fd = -1;
		if (c->state == CONN_UP) {
			r->st.state_changes++;
			relay_log(c->link, c->side, "down (%s)", why);
		}
	}
	c->state = CONN_IDLE;
	c->events = 0;
	c->ilen = 0;
	c->partial_since = 0;
	c->glitches = 0;
	c->rd_paused = false;
	c->niov = 0;
	c->iov_bytes = 0;
	c->q.head = c->q.tail = 0;
	if (!c->next_connect_ms)
		conn_schedule_connect(c);
}

/* One side went down: close both (the other gracefully), so both STPs see
 * the link go and reroute; connect sides will reconnect. */
static void link_down(struct relay_link *k, int side, const char *why)
{
	k->epoch++;
	conn_close(&k->c[side], false, why);
	conn_close(&k->c[!side], true, "other side down");
	link_set_up(k);
}

static void conn_cutoff(struct relay_conn *c, unsigned cut)
{
	struct relay *r = c->link->r;
	r->st.cutoffs[cut]++;
	relay_log(c->link, c->side, "peer %s cut off: %s", c->peer, relay_cut_name(cut));
	link_down(c->link, c->side, relay_cut_name(cut));
}

static void conn_became_up(struct relay_conn *c)
{
	struct relay *r = c->link->r;
	c->state = CONN_UP;
	c->next_connect_ms = 0;
	r->st.state_changes++;
	relay_log(c->link, c->side, "connected %s", c->peer);
	conn_update_events(c);
	link_set_up(c->link);
}

static void conn_start_connect(struct relay_conn *c)
{
	struct relay *r = c->link->r;
	const struct endpoint_cfg *ep = c->ep;
	c->next_connect_ms = 0;
	if (!ep->n_remote) {
		return;
	}
	int fd = sock_new(ep, ep_family(ep));
	if (fd < 0 || sock_bind_local(fd, ep) < 0) {
		relay_log(c->link, c->side, "socket: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		conn_schedule_connect(c);
		return;
	}
	int rc;
	if (ep->transport == EP_SCTP) {
		uint8_t packed[CFG_MAX_ADDRS * sizeof(struct sockaddr_in6)];
		size_t pl = sa_pack(ep->remote, ep->n_remote, packed, sizeof packed);
		(void)pl;
		sctp_assoc_t id;
		rc = sctp_connectx(fd, (struct sockaddr *)packed, ep->n_remote, &id);
	} else {
		rc = connect(fd, (const struct sockaddr *)&ep->remote[0], sa_len(&ep->remote[0]));
	}
	if (rc < 0 && errno != EINPROGRESS) {
		close(fd);
		conn_schedule_connect(c);
		return;
	}
	sa_str((const struct sockaddr *)&ep->remote[0], c->peer, sizeof c->peer);
	c->fd = fd;
	c->state = CONN_CONNECTING;
	c->events = EPOLLOUT;
	if (loop_add(r->loop, fd, EPOLLOUT, conn_on_event, c) < 0) {
		close(fd);
		c->fd = -1;
		c->state = CONN_IDLE;
		conn_schedule_connect(c);
		return;
	}
	if (rc == 0)
		conn_became_up(c);
}

static void conn_on_connected(struct relay_conn *c)
{
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		e = errno;
	if (e) {
		loop_del(c->link->r->loop, c->fd);
		close(c->fd);
		c->fd = -1;
		c->state = CONN_IDLE;
		conn_schedule_connect(c);
		return;
	}
	conn_became_up(c);
}

static void conn_on_accept(struct relay_conn *c)
{
	struct relay *r = c->link->r;
	for (int i = 0; i < 16; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(c->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		r->st.accepts++;
		char peer[64];
		sa_str((struct sockaddr *)&ss, peer, sizeof peer);
		if (c->fd >= 0 || r->stopping) {
			/* one association per side; a second one is refused */
			r->st.cutoffs[RELAY_CUT_BUSY]++;
			close(fd);
			continue;
		}
		if (!sa_allowed(c->ep, &ss)) {
			r->st.cutoffs[RELAY_CUT_NOT_ALLOWED]++;
			relay_log(c->link, c->side, "refused %s: not an allowed peer", peer);
			close(fd);
			continue;
		}
		/* options of the listener are inherited; only make sure again
		 * (errors here are not fatal: the association is up already) */
		if (c->sctp) {
			struct sctp_event_subscribe ev;
			memset(&ev, 0, sizeof ev);
			ev.sctp_data_io_event = 1;
			ev.sctp_association_event = 1;
			ev.sctp_shutdown_event = 1;
			(void)setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev);
		} else {
			int one = 1;
			(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		}
		c->fd = fd;
		memcpy(c->peer, peer, sizeof c->peer);
		c->events = 0;
		if (loop_add(r->loop, fd, EPOLLIN, conn_on_event, c) < 0) {
			close(fd);
			c->fd = -1;
			continue;
		}
		c->events = EPOLLIN;
		conn_became_up(c);
	}
}

/* ---- events */

static void conn_update_events(struct relay_conn *c)
{
	if (c->fd < 0 || c->state != CONN_UP)
		return;
	uint32_t ev = 0;
	if (!c->rd_paused && !c->closing)
		ev |= EPOLLIN;
	if (q_len(&c->q))
		ev |= EPOLLOUT;
	if (ev != c->events) {
		c->events = ev;
		loop_mod(c->link->r->loop, c->fd, ev);
	}
}

/* ---- output to side b */

/* Room b's queue must have before one more message of len bytes is taken. */
static bool out_room(const struct relay_conn *b, size_t len)
{
	size_t need = b->iov_bytes + len + (b->sctp ? RELAY_QREC_HDR : 0);
	return q_free(&b->q) >= need;
}

static void qrec_hdr(uint8_t h[RELAY_QREC_HDR], size_t len, uint32_t ppid, uint16_t stream)
{
	uint32_t l32 = (uint32_t)len;
	memcpy(h, &l32, 4);
	memcpy(h + 4, &ppid, 4);
	memcpy(h + 8, &stream, 2);
	h[10] = h[11] = 0;
}

static void queue_peak(struct relay_conn *b)
{
	struct relay_link_stats *st = &b->link->st;
	int dir = b->side == RELAY_CORE ? FW_DIR_IN : FW_DIR_OUT;
	if (q_len(&b->q) > st->queue_peak[dir])
		st->queue_peak[dir] = q_len(&b->q);
}

/* Writes the gathered iovecs (if the queue is empty) and queues what is left.
 * Returns -1 when b failed (the link is then down). */
static int out_flush_iov(struct relay_conn *b)
{
	if (!b->niov)
		return 0;
	size_t skip = 0;
	if (!q_len(&b->q)) {
		ssize_t w = writev(b->fd, b->iov, b->niov);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			b->niov = 0;
			b->iov_bytes = 0;
			link_down(b->link, b->side, strerror(errno));
			return -1;
		}
		skip = w > 0 ? (size_t)w : 0;
	}
	for (int i = 0; i < b->niov; i++) {
		size_t l = b->iov[i].iov_len;
		if (skip >= l) {
			skip -= l;
			continue;
		}
		/* out_room guaranteed the space */
		(void)q_put(&b->q, (const uint8_t *)b->iov[i].iov_base + skip, l - skip, NULL, 0);
		skip = 0;
	}
	b->niov = 0;
	b->iov_bytes = 0;
	queue_peak(b);
	conn_update_events(b);
	return 0;
}

/* Hands one message to b. TCP: gathered (adjacent messages merged); SCTP:
 * sent now with its stream and PPID, or queued. Returns -1 when the link went
 * down, 0 when handed over, 1 when it could not be queued (overload). */
static int out_msg(struct relay_conn *b, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid)
{
	if (!b->sctp) {
		if (b->niov && (const uint8_t *)b->iov[b->niov - 1].iov_base +
				       b->iov[b->niov - 1].iov_len == p) {
			b->iov[b->niov - 1].iov_len += len;
		} else {
			if (b->niov == RELAY_IOV_MAX && out_flush_iov(b) < 0)
				return -1;
			b->iov[b->niov].iov_base = (void *)p;
			b->iov[b->niov].iov_len = len;
			b->niov++;
		}
		b->iov_bytes += len;
		return 0;
	}
	uint8_t h[RELAY_QREC_HDR];
	if (!q_len(&b->q)) {
		ssize_t w = sctp_sendmsg(b->fd, p, len, NULL, 0, ppid, 0, stream, 0, 0);
		if (w >= 0)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			if (errno == EINVAL)   /* e.g. a stream the peer did not grant */
				return 1;
			b->link->r->st.cutoffs[RELAY_CUT_SEND_ERROR]++;
			link_down(b->link, b->side, strerror(errno));
			return -1;
		}
	}
	qrec_hdr(h, len, ppid, stream);
	if (!q_put(&b->q, p, len, h, sizeof h))
		return 1;
	queue_peak(b);
	conn_update_events(b);
	return 0;
}

/* Hands a message that lives in a scratch buffer (not in an ibuf) to c,
 * behind everything already gathered or queued for c: TCP: gathered iovecs
 * are flushed first, then the message is written if the queue is empty,
 * and what the socket does not take is copied into the queue; SCTP: as
 * out_msg (sent now or copied). Never blocks. Returns -1 when the link went
 * down, 0 when handed over, 1 when it could not be queued. */
static int out_copy(struct relay_conn *c, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid)
{
	if (c->sctp)
		return out_msg(c, p, len, stream, ppid);
	if (c->niov && out_flush_iov(c) < 0)
		return -1;
	/* all or nothing: a part written without room for the rest would
	 * break the M3UA framing of the stream */
	if (q_free(&c->q) < len)
		return 1;
	size_t done = 0;
	if (!q_len(&c->q)) {
		ssize_t w = write(c->fd, p, len);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			link_down(c->link, c->side, strerror(errno));   /* as out_flush_iov */
			return -1;
		}
		done = w > 0 ? (size_t)w : 0;
	}
	if (done < len) {
		(void)q_put(&c->q, p + done, len - done, NULL, 0);   /* room checked above */
		queue_peak(c);
		conn_update_events(c);
	}
	return 0;
}

/* Writes b's queue. Returns -1 if b failed (the link is down). Resumes the
 * partner's reading when the queue fell below half. */
static int conn_flush(struct relay_conn *b)
{
	struct relay_q *q = &b->q;
	while (q_len(q)) {
		if (!b->sctp) {
			ssize_t w = write(b->fd, q->buf + q->head, q_len(q));
			if (w < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
					break;
				link_down(b->link, b->side, strerror(errno));
				return -1;
			}
			q_consume(q, (size_t)w);
			continue;
		}
		uint32_t len, ppid;
		uint16_t stream;
		memcpy(&len, q->buf + q->head, 4);
		memcpy(&ppid, q->buf + q->head + 4, 4);
		memcpy(&stream, q->buf + q->head + 8, 2);
		ssize_t w = sctp_sendmsg(b->fd, q->buf + q->head + RELAY_QREC_HDR, len, NULL, 0,
					 ppid, 0, stream, 0, 0);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			if (errno != EINVAL) {
				link_down(b->link, b->side, strerror(errno));
				return -1;
			}
		}
		q_consume(q, RELAY_QREC_HDR + len);
	}
	return 0;
}

/* ---- input from side a */

static uint8_t dir_of(const struct relay_conn *a)
{
	return a->side == RELAY_CARRIER ? FW_DIR_IN : FW_DIR_OUT;
}

static void count_drop(struct relay_conn *a, uint8_t reason)
{
	struct relay_link *k = a->link;
	uint8_t dir = dir_of(a);
	k->st.drop_msgs[dir]++;
	if (reason == FW_REASON_LINK_DOWN)
		k->st.link_down_drops[dir]++;
	else if (reason == FW_REASON_OVERLOAD)
		k->st.overload_drops[dir]++;
	engine_count_drop(k->r->eng, k->idx, dir, reason);
}

/* A protocol error of a's peer; past glitch_limit the peer is cut off.
 * Returns -1 when it was. */
static int conn_glitch(struct relay_conn *a)
{
	a->link->r->st.glitches++;
	if (++a->glitches >= a->link->r->s.glitch_limit) {
		conn_cutoff(a, RELAY_CUT_GLITCHES);
		return -1;
	}
	return 0;
}

/* A rejected message from a: the UDTS/XUDTS that returns it (reject.h) goes
 * back to a, same stream and PPID, in order with what else goes to a. An
 * answer that cannot be queued is counted and dropped. Returns -1 when the
 * link went down. */
static int conn_answer(struct relay_conn *a, const uint8_t *p, size_t len, uint16_t stream,
		       uint32_t ppid)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	uint8_t dir = dir_of(a);
	size_t n = reject_build(r->answer, sizeof r->answer, &r->scratch, p, len, REJECT_CAUSE);
	if (!n)
		return 0;   /* no return option, not UDT/XUDT, segmented: nothing is due */
	int rc = out_copy(a, r->answer, n, stream, ppid);
	if (rc < 0)
		return -1;
	if (rc > 0)
		k->st.rejects_answer_lost[dir]++;
	else
		k->st.rejects_answered[dir]++;
	return 0;
}

/* One whole message from a: screen, then forward to the partner or drop.
 * Returns -1 when the link went down meanwhile. */
static int conn_message(struct relay_conn *a, const uint8_t *p, size_t len, uint16_t stream,
			uint32_t ppid, const struct timespec *now)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_conn *b = &k->c[!a->side];
	uint8_t dir = dir_of(a);
	k->st.rx_msgs[dir]++;
	if (b->state != CONN_UP) {
		count_drop(a, FW_REASON_LINK_DOWN);
		return 0;
	}
	if (len < 8 || p[0] != 1) {
		/* not M3UA version 1 (RFC 4666 3.1.1): garbage from the adjacent
		 * STP itself, never forwarded; a glitch of the association */
		count_drop(a, FW_REASON_MALFORMED);
		return conn_glitch(a);
	}
	struct fw_decision d = { .verdict = FW_ALLOW, .forward = true };
	struct msu_meta meta = {
		.ts = *now, .frame = ++r->seq, .link = k->idx, .link_name = k->cfg.name,
		.dir = dir, .stream = stream,
	};
	if (!r->o.no_screen) {
		/* shadow (policy.mode or engine_set_shadow) is the engine's: d.forward
		 * is already true for a would-be drop */
		engine_screen(r->eng, p, len, &meta, &r->scratch, &d);
		if (d.log && r->ev)
			evlog_write(r->ev, &r->scratch, &meta, &d);
	}
	/* A malformed MSU is not a glitch of the association: its content comes
	 * from anywhere in the SS7 network, and counting it would let a remote
	 * sender cut the whole link off. */
	if (!d.forward) {
		if (r->pc)
			droppcap_write(r->pc, p, len, &meta);
		k->st.drop_msgs[dir]++;   /* the engine counted it under its reason */
		if (d.verdict == FW_REJECT && !d.shadow)
			return conn_answer(a, p, len, stream, ppid);
		return 0;
	}
	int rc = out_msg(b, p, len, stream, ppid);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		count_drop(a, FW_REASON_OVERLOAD);
		return 0;
	}
	k->st.fwd_msgs[dir]++;
	return 0;
}

/* Pauses a's reading until its partner's queue drains. */
static void conn_pause(struct relay_conn *a)
{
	if (!a->rd_paused) {
		a->rd_paused = true;
		a->link->st.paused[dir_of(a)]++;
		conn_update_events(a);
	}
}

/* TCP: takes every whole message in a's ibuf that the partner can take. */
static void conn_process(struct relay_conn *a)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_conn *b = &k->c[!a->side];
	uint32_t epoch = k->epoch;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	size_t off = 0;
	bool blocked = false;
again:
	while (a->ilen - off >= 8) {
		uint32_t mlen = m3ua_msg_len(a->ibuf + off, a->ilen - off);
		if (mlen < 8 || mlen > r->s.max_msg) {
			if (b->state == CONN_UP && out_flush_iov(b) < 0)
				return;
			conn_cutoff(a, RELAY_CUT_BAD_LENGTH);
			return;
		}
		if (a->ilen - off < mlen)
			break;
		if (b->state == CONN_UP && !out_room(b, mlen)) {
			blocked = true;
			break;
		}
		if (conn_message(a, a->ibuf + off, mlen, 0, htonl(RELAY_M3UA_PPID), &now) < 0 ||
		    k->epoch != epoch)
			return;
		off += mlen;
	}
	if (b->state == CONN_UP && out_flush_iov(b) < 0)
		return;
	if (k->epoch != epoch)
		return;
	if (blocked && !q_len(&b->q)) {
		/* the batch was bigger than the queue, but all of it was written */
		blocked = false;
		goto again;
	}
	if (off) {
		memmove(a->ibuf, a->ibuf + off, a->ilen - off);
		a->ilen -= off;
	}
	if (blocked) {
		conn_pause(a);
		a->partial_since = 0;
	} else if (a->ilen) {
		if (!a->partial_since)
			a->partial_since = loop_now_ms();
	} else {
		a->partial_since = 0;
	}
}

static void conn_read_tcp(struct relay_conn *a)
{
	size_t room = a->icap - a->ilen;
	if (!room) {
		conn_pause(a);
		return;
	}
	ssize_t n = read(a->fd, a->ibuf + a->ilen, room);
	if (n == 0) {
		conn_process(a);   /* nothing new; keeps the order of what is there */
		if (a->state == CONN_UP)
			link_down(a->link, a->side, "peer closed");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			link_down(a->link, a->side, strerror(errno));
		return;
	}
	a->ilen += (size_t)n;
	conn_process(a);
}

/* SCTP notifications: association lost or shut down -> the link is down. */
static int conn_notification(struct relay_conn *a, const uint8_t *p, size_t n)
{
	const union sctp_notification *sn = (const void *)p;
	if (n < sizeof(sn->sn_header))
		return 0;
	switch (sn->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (n >= sizeof(struct sctp_assoc_change)) {
			uint16_t st = sn->sn_assoc_change.sac_state;
			if (st == SCTP_COMM_LOST || st == SCTP_SHUTDOWN_COMP || st == SCTP_CANT_STR_ASSOC) {
				link_down(a->link, a->side, st == SCTP_COMM_LOST ? "association lost" :
					  "association shut down");
				return -1;
			}
		}
		break;
	case SCTP_SHUTDOWN_EVENT:
		link_down(a->link, a->side, "peer shut down");
		return -1;
	default:
		break;
	}
	return 0;
}

static void conn_read_sctp(struct relay_conn *a)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_conn *b = &k->c[!a->side];
	uint32_t epoch = k->epoch;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	/* messages of one batch lie one after the other in ibuf, so that a TCP
	 * partner can write them with one writev */
	size_t start = 0;   /* where the message being received begins */
	for (int i = 0; i < RELAY_SCTP_BATCH; i++) {
		if (a->icap - a->ilen < (size_t)r->s.max_msg + 1)
			break;
		if (b->state == CONN_UP && !out_room(b, (a->ilen - start) + r->s.max_msg)) {
			if (out_flush_iov(b) < 0 || k->epoch != epoch)
				return;
			if (!out_room(b, (a->ilen - start) + r->s.max_msg) && q_len(&b->q)) {
				conn_pause(a);
				break;
			}
		}
		struct sctp_sndrcvinfo si;
		int flags = 0;
		memset(&si, 0, sizeof si);
		ssize_t n = sctp_recvmsg(a->fd, a->ibuf + a->ilen, a->icap - a->ilen, NULL, NULL, &si, &flags);
		if (n == 0) {
			link_down(k, a->side, "peer closed");
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				link_down(k, a->side, strerror(errno));
			break;
		}
		if (flags & MSG_NOTIFICATION) {
			if (conn_notification(a, a->ibuf + a->ilen, (size_t)n) < 0)
				return;
			continue;
		}
		a->ilen += (size_t)n;
		size_t mlen = a->ilen - start;
		if (mlen > r->s.max_msg) {
			if (b->state == CONN_UP && out_flush_iov(b) < 0)
				return;
			conn_cutoff(a, RELAY_CUT_BAD_LENGTH);
			return;
		}
		if (!(flags & MSG_EOR))
			continue;   /* the rest of this message comes with the next read */
		if (mlen >= 8 && m3ua_msg_len(a->ibuf + start, mlen) != mlen) {
			/* the M3UA length disagrees with the SCTP message */
			if (conn_glitch(a) < 0)
				return;
		}
		if (mlen >= 1 && conn_message(a, a->ibuf + start, mlen, si.sinfo_stream, si.sinfo_ppid, &now) < 0)
			return;
		if (k->epoch != epoch)
			return;
		start = a->ilen;
	}
	if (b->state == CONN_UP && out_flush_iov(b) < 0)
		return;
	if (k->epoch != epoch)
		return;
	/* keep a message still being received */
	if (start) {
		memmove(a->ibuf, a->ibuf + start, a->ilen - start);
		a->ilen -= start;
	}
	a->partial_since = a->ilen ? (a->partial_since ? a->partial_since : loop_now_ms()) : 0;
}

/* b's queue drained below half: a may read again; first take what waits in
 * its ibuf. */
static void conn_maybe_resume(struct relay_conn *b)
{
	struct relay_conn *a = &b->link->c[!b->side];
	if (!a->rd_paused || a->state != CONN_UP || q_len(&b->q) > b->q.cap / 2)
		return;
	a->rd_paused = false;
	uint32_t epoch = b->link->epoch;
	if (!a->sctp)
		conn_process(a);
	if (b->link->epoch == epoch)
		conn_update_events(a);
}

static void conn_on_event(struct loop *l, int fd, uint32_t events, void *arg)
{
	(void)l;
	struct relay_conn *c = arg;
	struct relay_link *k = c->link;
	if (fd == c->lfd) {
		conn_on_accept(c);
		return;
	}
	if (c->state == CONN_CONNECTING) {
		conn_on_connected(c);
		return;
	}
	uint32_t epoch = k->epoch;
	if (events & EPOLLOUT) {
		if (conn_flush(c) < 0)
			return;
		conn_update_events(c);
		conn_maybe_resume(c);
		if (k->epoch != epoch)
			return;
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (c->rd_paused || c->closing) {
			if (events & (EPOLLHUP | EPOLLERR))
				link_down(k, c->side, "hangup");
			return;
		}
		if (c->sctp)
			conn_read_sctp(c);
		else
			conn_read_tcp(c);
	}
}

/* ---- timers */

int relay_timeout_ms(const struct relay *r)
{
	uint64_t now = loop_now_ms(), next = UINT64_MAX;
	for (int i = 0; i < r->n_links; i++) {
		for (int s = 0; s < 2; s++) {
			const struct relay_conn *c = &r->links[i].c[s];
			if (c->next_connect_ms && c->next_connect_ms < next)
				next = c->next_connect_ms;
			if (c->partial_since && c->partial_since + r->o.stall_ms < next)
				next = c->partial_since + r->o.stall_ms;
		}
	}
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

void relay_tick(struct relay *r)
{
	uint64_t now = loop_now_ms();
	for (int i = 0; i < r->n_links; i++) {
		struct relay_link *k = &r->links[i];
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &k->c[s];
			if (c->state == CONN_UP && c->partial_since && !c->rd_paused &&
			    now >= c->partial_since + r->o.stall_ms) {
				conn_cutoff(c, RELAY_CUT_STALLED);
				continue;
			}
			if (c->state == CONN_IDLE && c->next_connect_ms && now >= c->next_connect_ms)
				conn_start_connect(c);
		}
	}
}

/* ---- lifetime */

static void settings_defaults(struct settings_cfg *s)
{
	if (!s->queue_bytes)
		s->queue_bytes = 4u << 20;
	if (!s->max_msg)
		s->max_msg = 65536;
	if (s->max_msg < 8)
		s->max_msg = 8;
	if (!s->reconnect_min_ms)
		s->reconnect_min_ms = 100;
	if (!s->reconnect_max_ms)
		s->reconnect_max_ms = 10000;
	if (s->reconnect_max_ms < s->reconnect_min_ms)
		s->reconnect_max_ms = s->reconnect_min_ms;
	if (!s->glitch_limit)
		s->glitch_limit = 16;
}

struct relay *relay_new(struct loop *l, struct engine *e, const struct settings_cfg *s,
			const struct link_cfg *links, int n_links,
			const struct relay_opts *o, FILE *err)
{
	struct relay *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->loop = l;
	r->eng = e;
	r->s = *s;
	settings_defaults(&r->s);
	if (o)
		r->o = *o;
	if (!r->o.stall_ms)
		r->o.stall_ms = RELAY_STALL_MS;
	if (!r->o.flush_ms)
		r->o.flush_ms = RELAY_FLUSH_MS;
	r->links = calloc(n_links > 0 ? (size_t)n_links : 1, sizeof *r->links);
	if (!r->links) {
		free(r);
		return NULL;
	}
	r->n_links = n_links;
	/* a queue holds at least a few of the largest messages, so that one can
	 * always be taken once the queue is half empty */
	size_t qcap = r->s.queue_bytes;
	if (qcap < 4 * ((size_t)r->s.max_msg + RELAY_QREC_HDR))
		qcap = 4 * ((size_t)r->s.max_msg + RELAY_QREC_HDR);
	size_t icap = RELAY_IBUF_MIN;
	if (icap < 2 * (size_t)r->s.max_msg + 8)
		icap = 2 * (size_t)r->s.max_msg + 8;
	for (int i = 0; i < n_links; i++) {
		struct relay_link *k = &r->links[i];
		k->r = r;
		k->idx = i;
		k->cfg = links[i];
		for (int sd = 0; sd < 2; sd++) {
			struct relay_conn *c = &k->c[sd];
			c->link = k;
			c->side = (uint8_t)sd;
			c->fd = c->lfd = -1;
			c->ep = sd == RELAY_CARRIER ? &k->cfg.carrier : &k->cfg.core;
			c->sctp = c->ep->transport == EP_SCTP;
			c->icap = icap;
			c->ibuf = malloc(icap);
			c->q.cap = qcap;
			c->q.buf = malloc(qcap);
			if (!c->ibuf || !c->q.buf) {
				fprintf(err, "ss7fw: out of memory\n");
				relay_free(r);
				return NULL;
			}
		}
	}
	for (int i = 0; i < n_links; i++) {
		struct relay_link *k = &r->links[i];
		for (int sd = 0; sd < 2; sd++) {
			struct relay_conn *c = &k->c[sd];
			if (!c->ep->present) {
				fprintf(err, "ss7fw: link %s: no %s endpoint\n", k->cfg.name,
					sd == RELAY_CARRIER ? "carrier" : "core");
				relay_free(r);
				return NULL;
			}
			if (c->ep->mode == EP_LISTEN) {
				if (conn_open_listener(c, err) < 0) {
					relay_free(r);
					return NULL;
				}
			} else {
				if (!c->ep->n_remote) {
					fprintf(err, "ss7fw: link %s: %s connects but has no remote address\n",
						k->cfg.name, sd == RELAY_CARRIER ? "carrier" : "core");
					relay_free(r);
					return NULL;
				}
				conn_start_connect(c);
			}
		}
	}
	return r;
}

void relay_free(struct relay *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n_links; i++) {
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &r->links[i].c[s];
			if (c->fd >= 0) {
				loop_del(r->loop, c->fd);
				close(c->fd);
			}
			if (c->lfd >= 0) {
				loop_del(r->loop, c->lfd);
				close(c->lfd);
			}
			free(c->ibuf);
			free(c->q.buf);
		}
	}
	free(r->links);
	free(r);
}

void relay_set_outputs(struct relay *r, struct evlog *ev, struct droppcap *pc)
{
	r->ev = ev;
	r->pc = pc;
}

uint64_t relay_stop(struct relay *r)
{
	r->stopping = true;
	for (int i = 0; i < r->n_links; i++) {
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &r->links[i].c[s];
			c->next_connect_ms = 0;
			if (c->lfd >= 0) {
				loop_del(r->loop, c->lfd);
				close(c->lfd);
				c->lfd = -1;
			}
			c->closing = true;
			conn_update_events(c);
		}
	}
	/* flush for a bounded time */
	uint64_t deadline = loop_now_ms() + r->o.flush_ms;
	for (;;) {
		uint64_t left = 0;
		for (int i = 0; i < r->n_links; i++)
			for (int s = 0; s < 2; s++) {
				struct relay_conn *c = &r->links[i].c[s];
				if (c->state == CONN_UP)
					left += q_len(&c->q);
			}
		uint64_t now = loop_now_ms();
		if (!left || now >= deadline)
			break;
		loop_run_once(r->loop, (int)(deadline - now > 50 ? 50 : deadline - now));
	}
	uint64_t left = 0;
	for (int i = 0; i < r->n_links; i++) {
		struct relay_link *k = &r->links[i];
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &k->c[s];
			if (c->state == CONN_UP)
				left += q_len(&c->q);
			if (c->fd >= 0) {
				if (c->state == CONN_UP)
					shutdown(c->fd, SHUT_WR);
				loop_del(r->loop, c->fd);
				close(c->fd);
				if (c->state == CONN_UP) {
					r->st.state_changes++;
					relay_log(k, s, "closed (stopping)");
				}
				c->fd = -1;
			}
			c->state = CONN_IDLE;
		}
		link_set_up(k);
	}
	return left;
}

/* ---- introspection */

uint16_t relay_listen_port(const struct relay *r, int link, int side)
{
	if (link < 0 || link >= r->n_links || side < 0 || side > 1)
		return 0;
	return r->links[link].c[side].lport;
}

bool relay_link_up(const struct relay *r, int link)
{
	if (link < 0 || link >= r->n_links)
		return false;
	return __atomic_load_n(&r->links[link].up, __ATOMIC_ACQUIRE) != 0;
}

void relay_link_stats(const struct relay *r, int link, struct relay_link_stats *st)
{
	memset(st, 0, sizeof *st);
	if (link < 0 || link >= r->n_links)
		return;
	const struct relay_link *k = &r->links[link];
	*st = k->st;
	for (int s = 0; s < 2; s++)
		st->up[s] = k->c[s].state == CONN_UP;
	st->queue_bytes[FW_DIR_IN] = q_len(&k->c[RELAY_CORE].q);
	st->queue_bytes[FW_DIR_OUT] = q_len(&k->c[RELAY_CARRIER].q);
}

void relay_stats(const struct relay *r, struct relay_stats *st)
{
	*st = r->st;
}

/* One counter per link and direction: the uint64_t[2] at offset off of
 * each link's struct relay_link_stats. */
static void prom_link_dir(FILE *out, const struct relay *r, const char *name, const char *help, size_t off)
{
	static const char *const dir_name[2] = { "in", "out" };
	fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (int i = 0; i < r->n_links; i++) {
		const uint64_t *v = (const uint64_t *)((const char *)&r->links[i].st + off);
		for (int d = 0; d < 2; d++)
			fprintf(out, "%s{link=\"%s\",dir=\"%s\"} %llu\n", name, r->links[i].cfg.name,
				dir_name[d], (unsigned long long)v[d]);
	}
}

void relay_metrics_prom(const struct relay *r, FILE *out)
{
	static const char *const side_name[2] = { "carrier", "core" };
	static const char *const dir_name[2] = { "in", "out" };
	fprintf(out, "# HELP ss7fw_assoc_up Whether the association of a link side is up.\n"
		     "# TYPE ss7fw_assoc_up gauge\n");
	for (int i = 0; i < r->n_links; i++)
		for (int s = 0; s < 2; s++)
			fprintf(out, "ss7fw_assoc_up{link=\"%s\",side=\"%s\"} %d\n", r->links[i].cfg.name,
				side_name[s], r->links[i].c[s].state == CONN_UP);
	fprintf(out, "# HELP ss7fw_link_up Whether both sides of a link are up.\n"
		     "# TYPE ss7fw_link_up gauge\n");
	for (int i = 0; i < r->n_links; i++)
		fprintf(out, "ss7fw_link_up{link=\"%s\"} %d\n", r->links[i].cfg.name, r->links[i].up);
	fprintf(out, "# HELP ss7fw_queue_bytes Bytes waiting in the output queue of a direction.\n"
		     "# TYPE ss7fw_queue_bytes gauge\n");
	for (int i = 0; i < r->n_links; i++) {
		struct relay_link_stats st;
		relay_link_stats(r, i, &st);
		for (int d = 0; d < 2; d++)
			fprintf(out, "ss7fw_queue_bytes{link=\"%s\",dir=\"%s\"} %llu\n",
				r->links[i].cfg.name, dir_name[d], (unsigned long long)st.queue_bytes[d]);
	}
	prom_link_dir(out, r, "ss7fw_relay_msgs_total", "Messages read by the relay, by link and direction.",
		      offsetof(struct relay_link_stats, rx_msgs));
	prom_link_dir(out, r, "ss7fw_relay_forwarded_total", "Messages forwarded, by link and direction.",
		      offsetof(struct relay_link_stats, fwd_msgs));
	prom_link_dir(out, r, "ss7fw_relay_dropped_total", "Messages not forwarded, by link and direction.",
		      offsetof(struct relay_link_stats, drop_msgs));
	prom_link_dir(out, r, "ss7fw_rejects_answered_total",
		      "UDTS/XUDTS sent back to the originator of a rejected MSU, by link and direction of the MSU.",
		      offsetof(struct relay_link_stats, rejects_answered));
	prom_link_dir(out, r, "ss7fw_rejects_answer_lost_total",
		      "Answers to rejected MSUs not sent because the originator's queue was full.",
		      offsetof(struct relay_link_stats, rejects_answer_lost));
	fprintf(out, "# HELP ss7fw_link_state_changes_total Associations connected or disconnected.\n"
		     "# TYPE ss7fw_link_state_changes_total counter\n"
		     "ss7fw_link_state_changes_total %llu\n", (unsigned long long)r->st.state_changes);
	fprintf(out, "# HELP ss7fw_peer_glitches_total Protocol errors of peers.\n"
		     "# TYPE ss7fw_peer_glitches_total counter\n"
		     "ss7fw_peer_glitches_total %llu\n", (unsigned long long)r->st.glitches);
	fprintf(out, "# HELP ss7fw_peer_cutoffs_total Peers cut off or connections refused, by reason.\n"
		     "# TYPE ss7fw_peer_cutoffs_total counter\n");
	for (unsigned c = 0; c < RELAY_CUT__COUNT; c++)
		fprintf(out, "ss7fw_peer_cutoffs_total{reason=\"%s\"} %llu\n", relay_cut_name(c),
			(unsigned long long)r->st.cutoffs[c]);
	if (r->ev)
		fprintf(out, "# HELP ss7fw_evlog_written_total Event lines written.\n"
			     "# TYPE ss7fw_evlog_written_total counter\n"
			     "ss7fw_evlog_written_total %llu\n"
			     "# HELP ss7fw_evlog_suppressed_total Event lines over the rate limit.\n"
			     "# TYPE ss7fw_evlog_suppressed_total counter\n"
			     "ss7fw_evlog_suppressed_total %llu\n",
			(unsigned long long)evlog_written(r->ev), (unsigned long long)evlog_suppressed(r->ev));
	if (r->ev)
		fprintf(out, "# HELP ss7fw_evlog_errors_total Event lines that could not be written.\n"
			     "# TYPE ss7fw_evlog_errors_total counter\n"
			     "ss7fw_evlog_errors_total %llu\n", (unsigned long long)evlog_errors(r->ev));
	if (r->pc)
		fprintf(out, "# HELP ss7fw_droppcap_written_total Dropped MSUs written to the pcap of drops.\n"
			     "# TYPE ss7fw_droppcap_written_total counter\n"
			     "ss7fw_droppcap_written_total %llu\n"
			     "# HELP ss7fw_droppcap_lost_total Dropped MSUs not written to the pcap (write error or size bound).\n"
			     "# TYPE ss7fw_droppcap_lost_total counter\n"
			     "ss7fw_droppcap_lost_total %llu\n",
			(unsigned long long)droppcap_written(r->pc), (unsigned long long)droppcap_lost(r->pc));
}
