/* ss7fw — the Prometheus endpoint: a minimal HTTP/1.0-1.1 server on the
 * event loop.
 *
 * One request per connection, then close (Connection: close). GET or HEAD
 * /metrics (a query string is ignored) answers 200 with the text exposition
 * format 0.0.4 produced by the render callback; another path 404; another
 * method 405; an unparsable request line 400; a request head over
 * METRICS_REQ_MAX bytes 431. Everything is bounded: METRICS_MAX_CONNS
 * connections at once (more are accepted and closed at once), each with a
 * METRICS_REQ_MAX request buffer and a deadline (METRICS_TIMEOUT_MS from
 * accept to the last byte of the response, so a slow client cannot hold a
 * slot), a response of at most METRICS_BODY_MAX bytes (else 500). Sockets
 * are non-blocking; a response the socket cannot take at once is finished on
 * EPOLLOUT. Deadlines are checked by a timerfd on the same loop, armed only
 * while connections are open. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "ss7fw/ops.h"

#define METRICS_MAX_CONNS   16
#define METRICS_REQ_MAX     4096            /* request line + headers */
#define METRICS_BODY_MAX    (16u << 20)     /* rendered text */
#define METRICS_TICK_MS     50              /* deadline check period */
#define METRICS_BACKLOG     16

struct metrics_conn {
	int fd;                       /* -1: free slot */
	uint64_t deadline_ms;
	size_t req_len;
	char *resp;                   /* NULL while reading the request */
	size_t resp_len, resp_off;
	char req[METRICS_REQ_MAX];
};

struct metrics_srv {
	struct loop *loop;
	int lfd, tfd;
	bool timer_armed;
	bool accept_paused;           /* out of fds: listener off until the next tick */
	uint16_t port;
	unsigned timeout_ms;
	metrics_render_fn render;
	void *arg;
	unsigned n_conns;
	struct metrics_conn conns[METRICS_MAX_CONNS];
};

static void metrics_conn_close(struct metrics_srv *m, struct metrics_conn *c)
{
	if (c->fd < 0)
		return;
	loop_del(m->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	free(c->resp);
	c->resp = NULL;
	c->req_len = c->resp_len = c->resp_off = 0;
	m->n_conns--;
}

static void metrics_arm(struct metrics_srv *m, bool on)
{
	if (on == m->timer_armed)
		return;
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };
	if (on) {
		its.it_value.tv_nsec = METRICS_TICK_MS * 1000000L;
		its.it_interval = its.it_value;
	}
	if (timerfd_settime(m->tfd, 0, &its, NULL) == 0)
		m->timer_armed = on;
}

/* Sends what the socket takes; closes when all is sent or on error. */
static void metrics_conn_flush(struct metrics_srv *m, struct metrics_conn *c)
{
	while (c->resp_off < c->resp_len) {
		ssize_t n = send(c->fd, c->resp + c->resp_off, c->resp_len - c->resp_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c->resp_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			(void)loop_mod(m->loop, c->fd, EPOLLOUT);
			return;
		}
		break;                            /* peer gone */
	}
	/* Discard what the client sent beyond the head (a request body): closing
	 * with unread data makes the kernel send RST, which can destroy the
	 * response before the client reads it. Bounded: what is queued now. */
	char sink[1024];
	for (int i = 0; i < 8 && recv(c->fd, sink, sizeof sink, MSG_DONTWAIT) > 0; i++)
		;
	(void)shutdown(c->fd, SHUT_WR);
	metrics_conn_close(m, c);
}

/* Builds the whole response (head and body) in c->resp and starts sending. */
static void metrics_respond(struct metrics_srv *m, struct metrics_conn *c, int minor,
			    int status, const char *reason, const char *extra,
			    const char *body, size_t body_len, bool head_only)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		metrics_conn_close(m, c);
		return;
	}
	fprintf(f, "HTTP/1.%d %d %s\r\n", minor, status, reason);
	fprintf(f, "Content-Type: %s\r\n", status == 200 ?
		"text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
	fprintf(f, "Content-Length: %zu\r\n%sConnection: close\r\n\r\n", body_len, extra);
	if (!head_only && body_len)
		fwrite(body, 1, body_len, f);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		metrics_conn_close(m, c);
		return;
	}
	c->resp = buf;
	c->resp_len = len;
	c->resp_off = 0;
	metrics_conn_flush(m, c);
}

static void metrics_error(struct metrics_srv *m, struct metrics_conn *c, int minor,
			  int status, const char *reason, const char *extra)
{
	char body[64];
	int n = snprintf(body, sizeof body, "%d %s\n", status, reason);
	metrics_respond(m, c, minor, status, reason, extra, body,
			n > 0 ? (size_t)n : 0, false);
}

/* The render callback's text, bounded by METRICS_BODY_MAX. */
static void metrics_ok(struct metrics_srv *m, struct metrics_conn *c, int minor, bool head)
{
	char *body = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&body, &len);
	if (!f) {
		metrics_error(m, c, minor, 500, "Internal Server Error", "");
		return;
	}
	if (m->render)
		m->render(m->arg, f);
	int bad = ferror(f);
	if (fclose(f) != 0 || bad || len > METRICS_BODY_MAX) {
		free(body);
		metrics_error(m, c, minor, 500, "Internal Server Error", "");
		return;
	}
	metrics_respond(m, c, minor, 200, "OK", "", body ? body : "", len, head);
	free(body);
}

/* The request head is complete in c->req[0..c->req_len) (NUL-terminated):
 * parse the request line "METHOD SP target SP HTTP/1.x" (RFC 9112 3). */
static void metrics_handle(struct metrics_srv *m, struct metrics_conn *c)
{
	char *eol = strpbrk(c->req, "\r\n");
	if (eol)
		*eol = 0;
	char *sp1 = strchr(c->req, ' ');
	char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || sp1 == c->req || sp2 == sp1 + 1 || strchr(sp2 + 1, ' ') ||
	    strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1') || sp2[9] != 0) {
		metrics_error(m, c, 1, 400, "Bad Request", "");
		return;
	}
	int minor = sp2[8] - '0';
	*sp1 = 0;
	*sp2 = 0;
	const char *method = c->req, *target = sp1 + 1;
	size_t plen = strcspn(target, "?");
	bool is_get = strcmp(method, "GET") == 0, is_head = strcmp(method, "HEAD") == 0;
	if (!is_get && !is_head) {
		metrics_error(m, c, minor, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n");
		return;
	}
	if (plen != 8 || strncmp(target, "/metrics", 8) != 0) {
		metrics_error(m, c, minor, 404, "Not Found", "");
		return;
	}
	metrics_ok(m, c, minor, is_head);
}

static void metrics_conn_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct metrics_srv *m = arg;
	(void)l;
	struct metrics_conn *c = NULL;
	for (unsigned i = 0; i < METRICS_MAX_CONNS; i++)
		if (m->conns[i].fd == fd)
			c = &m->conns[i];
	if (!c)
		return;
	if (c->resp) {                            /* writing the response */
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			metrics_conn_flush(m, c);
		return;
	}
	for (;;) {
		size_t room = sizeof c->req - 1 - c->req_len;
		if (room == 0) {
			metrics_error(m, c, 1, 431, "Request Header Fields Too Large", "");
			return;
		}
		ssize_t n = recv(fd, c->req + c->req_len, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {                     /* closed before a whole request */
			metrics_conn_close(m, c);
			return;
		}
		c->req_len += (size_t)n;
		c->req[c->req_len] = 0;
		if (memchr(c->req, 0, c->req_len)) {
			metrics_error(m, c, 1, 400, "Bad Request", "");
			return;
		}
		if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
			metrics_handle(m, c);
			return;
		}
	}
}

static void metrics_accept_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct metrics_srv *m = arg;
	(void)events;
	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				/* EMFILE, ENFILE, ENOBUFS: the pending connection stays
				 * and the listener would wake the loop at once, forever;
				 * stop watching it until the next timer tick */
				if (loop_mod(l, fd, 0) == 0)
					m->accept_paused = true;
				metrics_arm(m, true);
			}
			return;
		}
		struct metrics_conn *c = NULL;
		for (unsigned i = 0; i < METRICS_MAX_CONNS && !c; i++)
			if (m->conns[i].fd < 0)
				c = &m->conns[i];
		if (!c || loop_add(l, cfd, EPOLLIN, metrics_conn_cb, m) < 0) {
			close(cfd);               /* full: refused by closing */
			continue;
		}
		c->fd = cfd;
		c->req_len = 0;
		c->deadline_ms = loop_now_ms() + m->timeout_ms;
		m->n_conns++;
		metrics_arm(m, true);
	}
}

static void metrics_timer_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct metrics_srv *m = arg;
	(void)l;
	(void)events;
	uint64_t ticks;
	while (read(fd, &ticks, sizeof ticks) > 0)
		;
	uint64_t now = loop_now_ms();
	for (unsigned i = 0; i < METRICS_MAX_CONNS; i++)
		if (m->conns[i].fd >= 0 && now >= m->conns[i].deadline_ms)
			metrics_conn_close(m, &m->conns[i]);
	if (m->accept_paused && loop_mod(m->loop, m->lfd, EPOLLIN) == 0)
		m->accept_paused = false;
	if (m->n_conns == 0 && !m->accept_paused)
		metrics_arm(m, false);
}

/* Listens on addr:port (IPv4 or IPv6 literal; NULL or "" is 127.0.0.1;
 * port 0 picks a free port, see metrics_srv_port). NULL with the reason
 * written to err if the socket cannot be bound. */
struct metrics_srv *metrics_srv_open(struct loop *l, const char *addr, uint16_t port,
				     metrics_render_fn render, void *arg, FILE *err)
{
	if (!addr || !*addr)
		addr = "127.0.0.1";
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	socklen_t sl;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		sl = sizeof *s4;
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		sl = sizeof *s6;
	} else {
		fprintf(err, "ss7fw: metrics: \"%s\" is not an IP address\n", addr);
		return NULL;
	}
	struct metrics_srv *m = calloc(1, sizeof *m);
	if (!m) {
		fprintf(err, "ss7fw: metrics: out of memory\n");
		return NULL;
	}
	m->loop = l;
	m->render = render;
	m->arg = arg;
	m->timeout_ms = METRICS_TIMEOUT_MS;
	m->tfd = -1;
	for (unsigned i = 0; i < METRICS_MAX_CONNS; i++)
		m->conns[i].fd = -1;
	m->lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	if (m->lfd < 0 ||
	    setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(m->lfd, (struct sockaddr *)&ss, sl) < 0 ||
	    listen(m->lfd, METRICS_BACKLOG) < 0) {
		fprintf(err, "ss7fw: metrics: listen on %s port %u: %s\n", addr,
			(unsigned)port, strerror(errno));
		goto fail;
	}
	struct sockaddr_storage bound;
	socklen_t bl = sizeof bound;
	if (getsockname(m->lfd, (struct sockaddr *)&bound, &bl) == 0)
		m->port = ntohs(bound.ss_family == AF_INET6 ?
				((struct sockaddr_in6 *)&bound)->sin6_port :
				((struct sockaddr_in *)&bound)->sin_port);
	m->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (m->tfd < 0 || loop_add(l, m->lfd, EPOLLIN, metrics_accept_cb, m) < 0) {
		fprintf(err, "ss7fw: metrics: %s\n", strerror(errno));
		goto fail;
	}
	if (loop_add(l, m->tfd, EPOLLIN, metrics_timer_cb, m) < 0) {
		fprintf(err, "ss7fw: metrics: %s\n", strerror(errno));
		loop_del(l, m->lfd);
		goto fail;
	}
	return m;
fail:
	if (m->lfd >= 0)
		close(m->lfd);
	if (m->tfd >= 0)
		close(m->tfd);
	free(m);
	return NULL;
}

/* Closes the listener and every open connection (responses not finished
 * are cut). NULL is fine. */
void metrics_srv_close(struct metrics_srv *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < METRICS_MAX_CONNS; i++)
		metrics_conn_close(m, &m->conns[i]);
	loop_del(m->loop, m->lfd);
	close(m->lfd);
	loop_del(m->loop, m->tfd);
	close(m->tfd);
	free(m);
}

uint16_t metrics_srv_port(const struct metrics_srv *m) { return m->port; }
unsigned metrics_srv_connections(const struct metrics_srv *m) { return m->n_conns; }

/* Applies to connections accepted from now on; 0 restores the default. */
void metrics_srv_set_timeout(struct metrics_srv *m, unsigned ms)
{
	m->timeout_ms = ms ? ms : METRICS_TIMEOUT_MS;
}
