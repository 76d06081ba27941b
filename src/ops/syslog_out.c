/* ss7fw — RFC 5424 syslog messages with structured data, sent to a
 * collector over UDP (RFC 5426: one message per datagram) or TCP (RFC 6587
 * 3.4.1 octet counting: "MSG-LEN SP SYSLOG-MSG").
 *
 * The queue: messages wait in one buffer of at most queue_bytes, each as a
 * 4-octet length then its bytes (for TCP already framed). A message that
 * does not fit is dropped and counted, never waited for. The socket is
 * non-blocking; what it does not take now is sent on EPOLLOUT (with a loop
 * attached), on the next message, or on the next tick.
 *
 * TCP: connect is non-blocking; a failure or a lost connection closes the
 * socket and retries after a backoff (SYSLOG_RETRY_MIN_MS doubling to
 * SYSLOG_RETRY_MAX_MS; reset by a connection that succeeds). A message
 * half sent when the connection is lost cannot be resumed on the next one
 * (the collector would read garbage), so its rest is dropped and counted;
 * whole messages still queued go out after the reconnect. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ss7fw/config-t.h"
#include "ss7fw/siem.h"
#include "ss7fw/wire.h"

#define SYSLOG_IOV_MAX   64        /* messages per sendmsg (TCP) */
#define SYSLOG_REC_HDR   4         /* queue record: host-order u32 length */

/* ---- the record's summary */

void siem_fields_of(struct siem_fields *f, const struct msu *m, const struct msu_meta *meta,
		    const struct fw_decision *d)
{
	memset(f, 0, sizeof *f);
	f->verdict = fw_verdict_name(d->verdict);
	f->shadow = d->shadow;
	f->rule = d->rule;
	f->reason = d->reason != FW_REASON_NONE ? fw_reason_name(d->reason) : NULL;
	f->link = meta->link_name;
	f->dir = meta->dir == FW_DIR_OUT ? "out" : "in";
	if (m->sccp.present) {
		if (m->sccp.cgpa.present && m->sccp.cgpa.gt.n)
			digits_to_str(&m->sccp.cgpa.gt, f->cgpa, sizeof f->cgpa);
		if (m->sccp.cdpa.present && m->sccp.cdpa.gt.n)
			digits_to_str(&m->sccp.cdpa.gt, f->cdpa, sizeof f->cdpa);
	}
	if (m->tcap.present) {
		unsigned n = m->tcap.n_components <= TCAP_MAX_COMPONENTS ? m->tcap.n_components
									 : TCAP_MAX_COMPONENTS;
		for (unsigned i = 0; i < n; i++) {
			const struct tcap_component *c = &m->tcap.comp[i];
			if (c->type != TCAP_COMP_INVOKE)
				continue;
			if (c->has_opcode && !c->opcode_global)
				f->op = map_op_name_ctx(c->opcode, &m->tcap);
			break;
		}
	}
	if (d->verdict == FW_ALLOW)
		f->severity = 6;                 /* informational */
	else
		f->severity = d->shadow ? 5 : 4; /* notice : warning */
}

/* ---- RFC 5424 formatting */

bool syslog_sd_id_valid(const char *s)
{
	size_t n = strlen(s);
	const char *at = strchr(s, '@');
	if (n < 3 || n > 32 || !at || at == s || !at[1])
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 33 || c > 126 || c == '=' || c == ']' || c == '"')
			return false;
		if (p > at && (c < '0' || c > '9') && c != '.')
			return false;            /* enterprise number: digits and dots */
	}
	return strchr(at + 1, '@') == NULL;
}

size_t syslog_sd_escape(char *out, size_t cap, const char *v)
{
	size_t o = 0;
	for (; *v; v++) {
		bool esc = *v == '"' || *v == '\\' || *v == ']';
		if (o + esc + 1 >= cap)
			return (size_t)-1;
		if (esc)
			out[o++] = '\\';
		out[o++] = *v;
	}
	if (cap)
		out[o] = 0;
	return cap ? o : (size_t)-1;
}

struct sbuf {
	char *p;
	size_t cap, len;
	bool full;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->full || n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void sb_str(struct sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_param(struct sbuf *b, const char *name, const char *v)
{
	if (!v || !v[0])
		return;
	char esc[2 * CFG_PATH_MAX];
	size_t n = syslog_sd_escape(esc, sizeof esc, v);
	if (n == (size_t)-1) {
		b->full = true;
		return;
	}
	sb_put(b, " ", 1);
	sb_str(b, name);
	sb_put(b, "=\"", 2);
	sb_put(b, esc, n);
	sb_put(b, "\"", 1);
}

size_t syslog5424_format(char *out, size_t cap, unsigned facility, const struct timespec *ts,
			 const char *host, long procid, const char *msgid, const char *sd_id,
			 const struct siem_fields *f, const char *msg, size_t msg_len)
{
	struct sbuf b = { out, cap, 0, false };
	struct tm tm;
	time_t sec = ts->tv_sec;
	gmtime_r(&sec, &tm);
	char head[160];
	int n = snprintf(head, sizeof head, "<%u>1 %04d-%02d-%02dT%02d:%02d:%02d.%06luZ %s ss7fw %ld %s ",
			 facility * 8 + (f ? f->severity : 5), tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			 (unsigned long)(ts->tv_nsec / 1000) % 1000000ul, host && host[0] ? host : "-",
			 procid, msgid && msgid[0] ? msgid : "-");
	if (n < 0 || (size_t)n >= sizeof head)
		return 0;
	sb_put(&b, head, (size_t)n);
	if (f) {
		sb_put(&b, "[", 1);
		sb_str(&b, sd_id);
		sb_param(&b, "verdict", f->verdict);
		sb_param(&b, "shadow", f->verdict ? (f->shadow ? "true" : "false") : NULL);
		sb_param(&b, "rule", f->rule);
		sb_param(&b, "reason", f->reason);
		sb_param(&b, "link", f->link);
		sb_param(&b, "dir", f->dir);
		sb_param(&b, "cgpa", f->cgpa);
		sb_param(&b, "cdpa", f->cdpa);
		sb_param(&b, "op", f->op);
		sb_put(&b, "]", 1);
	} else {
		sb_put(&b, "-", 1);
	}
	if (msg_len) {
		sb_put(&b, " ", 1);
		sb_put(&b, msg, msg_len);
	}
	return b.full ? 0 : b.len;
}

/* ---- the connection */

struct syslog_out {
	unsigned transport;              /* enum cfg_syslog_transport */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	int fd;
	bool connecting, up;
	struct loop *loop;
	uint32_t watched;                /* events registered on loop, 0: not added */
	uint64_t retry_at_ms, backoff_ms;

	char *q;                         /* records: u32 length, bytes */
	size_t q_cap, q_head, q_tail;    /* [q_head, q_tail) in use */
	size_t head_sent;                /* bytes of the first record already sent (TCP) */
	struct syslog_out_stats st;
};

static void so_watch(struct syslog_out *s);
static void so_connected(struct syslog_out *s);

int syslog_out_parse_server(const char *server, unsigned transport, struct sockaddr_storage *addr,
			    socklen_t *addr_len)
{
	char host[CFG_NAME_MAX];
	const char *colon;
	size_t hl;
	if (server[0] == '[') {
		const char *end = strchr(server, ']');
		if (!end || end[1] != ':')
			return -1;
		hl = (size_t)(end - server - 1);
		if (hl >= sizeof host)
			return -1;
		memcpy(host, server + 1, hl);
		colon = end + 1;
	} else {
		colon = strrchr(server, ':');
		if (!colon || strchr(server, ':') != colon)
			return -1;
		hl = (size_t)(colon - server);
		if (hl >= sizeof host)
			return -1;
		memcpy(host, server, hl);
	}
	host[hl] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 1 || port > 65535)
		return -1;
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = transport == CFG_SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM };
	struct addrinfo *res = NULL;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
		return -1;
	if (res->ai_addrlen > sizeof *addr) {
		freeaddrinfo(res);
		return -1;
	}
	memcpy(addr, res->ai_addr, res->ai_addrlen);
	*addr_len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void so_close_fd(struct syslog_out *s)
{
	if (s->fd < 0)
		return;
	if (s->loop && s->watched)
		loop_del(s->loop, s->fd);
	s->watched = 0;
	close(s->fd);
	s->fd = -1;
	s->up = s->connecting = false;
}

static uint32_t q_rec_len(const struct syslog_out *s, size_t at)
{
	uint32_t n;
	memcpy(&n, s->q + at, SYSLOG_REC_HDR);
	return n;
}

static void q_pop(struct syslog_out *s)
{
	s->q_head += SYSLOG_REC_HDR + q_rec_len(s, s->q_head);
	s->head_sent = 0;
	if (s->q_head == s->q_tail)
		s->q_head = s->q_tail = 0;
}

/* A lost TCP connection: the half-sent record cannot be completed. */
static void so_lost(struct syslog_out *s, uint64_t now)
{
	so_close_fd(s);
	s->st.errors++;
	if (s->head_sent && s->q_head < s->q_tail) {
		q_pop(s);
		s->st.dropped++;
	}
	s->retry_at_ms = now + s->backoff_ms;
	s->backoff_ms = s->backoff_ms * 2 > SYSLOG_RETRY_MAX_MS ? SYSLOG_RETRY_MAX_MS : s->backoff_ms * 2;
}

static void so_connect(struct syslog_out *s, uint64_t now)
{
	int type = s->transport == CFG_SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
	s->fd = socket(s->addr.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		s->st.errors++;
		s->retry_at_ms = now + s->backoff_ms;
		return;
	}
	if (connect(s->fd, (const struct sockaddr *)&s->addr, s->addr_len) == 0) {
		s->up = true;
	} else if (errno == EINPROGRESS && type == SOCK_STREAM) {
		s->connecting = true;
	} else {
		so_lost(s, now);
		return;
	}
	if (s->up && type == SOCK_STREAM) {
		s->st.connects++;
		s->backoff_ms = SYSLOG_RETRY_MIN_MS;
	}
	so_watch(s);
}

/* UDP: one datagram per record. A refused or failed datagram is counted
 * and dropped (a collector that is not there must not fill the queue). */
static void so_flush_udp(struct syslog_out *s)
{
	while (s->q_head < s->q_tail) {
		uint32_t n = q_rec_len(s, s->q_head);
		ssize_t w = send(s->fd, s->q + s->q_head + SYSLOG_REC_HDR, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;                           /* EPOLLOUT later */
		if (w == (ssize_t)n)
			s->st.sent++;
		else {
			s->st.errors++;
			s->st.dropped++;
		}
		q_pop(s);
	}
}

/* TCP: as many records as one sendmsg takes, in order. */
static void so_flush_tcp(struct syslog_out *s, uint64_t now)
{
	while (s->q_head < s->q_tail) {
		struct iovec iov[SYSLOG_IOV_MAX];
		int cnt = 0;
		for (size_t at = s->q_head; at < s->q_tail && cnt < SYSLOG_IOV_MAX; cnt++) {
			uint32_t n = q_rec_len(s, at);
			size_t skip = at == s->q_head ? s->head_sent : 0;
			iov[cnt].iov_base = s->q + at + SYSLOG_REC_HDR + skip;
			iov[cnt].iov_len = n - skip;
			at += SYSLOG_REC_HDR + n;
		}
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)cnt };
		ssize_t w = sendmsg(s->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (w <= 0) {
			so_lost(s, now);
			return;
		}
		size_t left = (size_t)w;
		while (left && s->q_head < s->q_tail) {
			size_t rest = q_rec_len(s, s->q_head) - s->head_sent;
			if (left < rest) {
				s->head_sent += left;
				break;
			}
			left -= rest;
			q_pop(s);
			s->st.sent++;
		}
	}
}

static void so_flush(struct syslog_out *s)
{
	uint64_t now = loop_now_ms();
	if (s->fd < 0) {
		if (now < s->retry_at_ms)
			return;
		so_connect(s, now);
		if (s->fd < 0)
			return;
	}
	if (s->connecting) {
		/* without a loop (or before its EPOLLOUT): has it completed? */
		struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };
		if (poll(&pfd, 1, 0) == 1)
			so_connected(s);
		if (s->fd < 0) {
			so_watch(s);
			return;
		}
	}
	if (!s->up)
		return;
	if (s->transport == CFG_SYSLOG_TCP)
		so_flush_tcp(s, now);
	else
		so_flush_udp(s);
	so_watch(s);
}

/* Completion of a non-blocking connect. */
static void so_connected(struct syslog_out *s)
{
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0 || e) {
		so_lost(s, loop_now_ms());
		return;
	}
	s->connecting = false;
	s->up = true;
	s->st.connects++;
	s->backoff_ms = SYSLOG_RETRY_MIN_MS;
}

static void so_on_event(struct loop *l, int fd, uint32_t ev, void *arg)
{
	(void)l;
	(void)fd;
	struct syslog_out *s = arg;
	if (s->connecting) {
		if (ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			so_connected(s);
		if (s->fd < 0 || !s->up)
			return;
	}
	if (s->transport == CFG_SYSLOG_TCP && (ev & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
		/* the collector sends nothing: data is discarded, EOF or an
		 * error is a lost connection (bounded: a few reads a turn) */
		char sink[512];
		for (int i = 0; i < 4; i++) {
			ssize_t n = recv(s->fd, sink, sizeof sink, MSG_DONTWAIT);
			if (n > 0)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
				break;
			so_lost(s, loop_now_ms());
			return;
		}
	}
	so_flush(s);
}

/* Registers what we wait for: writability while connecting or with a
 * backlog; for TCP also readability (the collector closing). */
static void so_watch(struct syslog_out *s)
{
	if (!s->loop || s->fd < 0)
		return;
	uint32_t want = 0;
	if (s->connecting || s->q_head < s->q_tail)
		want |= EPOLLOUT;
	if (s->transport == CFG_SYSLOG_TCP)
		want |= EPOLLIN;
	if (want == s->watched)
		return;
	if (!s->watched) {
		if (want && loop_add(s->loop, s->fd, want, so_on_event, s) == 0)
			s->watched = want;
	} else if (!want) {
		loop_del(s->loop, s->fd);
		s->watched = 0;
	} else if (loop_mod(s->loop, s->fd, want) == 0) {
		s->watched = want;
	}
}

struct syslog_out *syslog_out_open(const char *server, unsigned transport, size_t queue_bytes,
				   FILE *err)
{
	struct syslog_out *s = calloc(1, sizeof *s);
	if (!s) {
		fprintf(err, "ss7fw: syslog: out of memory\n");
		return NULL;
	}
	s->fd = -1;
	s->transport = transport == CFG_SYSLOG_TCP ? CFG_SYSLOG_TCP : CFG_SYSLOG_UDP;
	s->backoff_ms = SYSLOG_RETRY_MIN_MS;
	if (syslog_out_parse_server(server, s->transport, &s->addr, &s->addr_len) < 0) {
		fprintf(err, "ss7fw: syslog_server \"%s\": not a numeric address:port "
			     "(a.b.c.d:port or [v6]:port)\n", server);
		free(s);
		return NULL;
	}
	s->q_cap = queue_bytes;
	s->q = malloc(s->q_cap);
	if (!s->q) {
		fprintf(err, "ss7fw: syslog: out of memory\n");
		free(s);
		return NULL;
	}
	so_connect(s, loop_now_ms());
	return s;
}

void syslog_out_attach(struct syslog_out *s, struct loop *l)
{
	if (!s)
		return;
	s->loop = l;
	so_watch(s);
}

void syslog_out_send(struct syslog_out *s, const char *msg, size_t len)
{
	if (!s)
		return;
	if (!len) {                      /* a message that could not be formatted */
		s->st.dropped++;
		return;
	}
	char frame[16];
	size_t fl = 0;
	if (s->transport == CFG_SYSLOG_TCP) {
		int n = snprintf(frame, sizeof frame, "%zu ", len);
		fl = n > 0 ? (size_t)n : 0;
	}
	size_t need = SYSLOG_REC_HDR + fl + len;
	if (s->q_tail + need > s->q_cap && s->q_head > 0) {
		/* compact: the unsent part moves to the front */
		memmove(s->q, s->q + s->q_head, s->q_tail - s->q_head);
		s->q_tail -= s->q_head;
		s->q_head = 0;
	}
	if (need > UINT32_MAX || s->q_tail + need > s->q_cap) {
		s->st.dropped++;
		so_flush(s);
		return;
	}
	uint32_t rl = (uint32_t)(fl + len);
	memcpy(s->q + s->q_tail, &rl, SYSLOG_REC_HDR);
	memcpy(s->q + s->q_tail + SYSLOG_REC_HDR, frame, fl);
	memcpy(s->q + s->q_tail + SYSLOG_REC_HDR + fl, msg, len);
	s->q_tail += need;
	so_flush(s);
}

void syslog_out_tick(struct syslog_out *s)
{
	if (s)
		so_flush(s);
}

void syslog_out_get_stats(const struct syslog_out *s, struct syslog_out_stats *st)
{
	memset(st, 0, sizeof *st);
	if (!s)
		return;
	*st = s->st;
	st->queued = s->q_tail - s->q_head;
	st->up = s->up;
}

void syslog_out_close(struct syslog_out *s)
{
	if (!s)
		return;
	if (s->up)
		so_flush(s);
	so_close_fd(s);
	free(s->q);
	free(s);
}
