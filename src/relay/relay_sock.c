/* ss7fw — relay: addresses and sockets. Listeners (with SCTP multi-homing
 * by sctp_bindx), outgoing connects (sctp_connectx), accepting a peer
 * (one association per side, allowed addresses only). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "relay-int.h"

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

static int ep_family(const struct endpoint_cfg *ep)
{
	if (ep->n_local)
		return ep->local[0].ss_family;
	if (ep->n_remote)
		return ep->remote[0].ss_family;
	return AF_INET;
}

static void sa_set_port(struct sockaddr_storage *ss, uint16_t port_be)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = port_be;
	else
		((struct sockaddr_in *)ss)->sin_port = port_be;
}

/* Binds the local addresses: the first with bind(), the others added with
 * sctp_bindx (SCTP multi-homing). A TCP side uses the first only. port
 * (host order): when not 0, the port to bind instead of the configured one
 * (a listener bound again on the port it got the first time). */
static int sock_bind_local(int fd, const struct endpoint_cfg *ep, uint16_t port)
{
	if (!ep->n_local && !port)
		return 0;
	struct sockaddr_storage first = { .ss_family = (sa_family_t)ep_family(ep) };
	if (ep->n_local)
		first = ep->local[0];
	if (port)
		sa_set_port(&first, htons(port));
	if (bind(fd, (const struct sockaddr *)&first, sa_len(&first)) < 0)
		return -1;
	if (ep->transport == EP_SCTP && ep->n_local > 1) {
		uint8_t packed[CFG_MAX_ADDRS * sizeof(struct sockaddr_in6)];
		/* every further address gets the port the first one ended up with */
		struct sockaddr_storage more[CFG_MAX_ADDRS];
		socklen_t fl = sizeof first;
		if (getsockname(fd, (struct sockaddr *)&first, &fl) < 0)
			return -1;
		uint16_t port_be = first.ss_family == AF_INET6 ?
			((struct sockaddr_in6 *)&first)->sin6_port : ((struct sockaddr_in *)&first)->sin_port;
		unsigned n = 0;
		for (unsigned i = 1; i < ep->n_local && i < CFG_MAX_ADDRS; i++) {
			more[n] = ep->local[i];
			sa_set_port(&more[n], port_be);
			n++;
		}
		size_t pl = sa_pack(more, n, packed, sizeof packed);
		if (pl && sctp_bindx(fd, (struct sockaddr *)packed, (int)n, SCTP_BINDX_ADD_ADDR) < 0)
			return -1;
	}
	return 0;
}

/* A listening side's socket, bound but not yet listening (a peer that
 * connects is refused by the kernel: TCP RST, SCTP ABORT). The first time the
 * port is the configured one (0: the kernel's choice, kept in c->lport);
 * later the same port again. 0, or -1 with the reason in errno. */
static int listener_bind(struct relay_conn *c)
{
	const struct endpoint_cfg *ep = c->ep;
	int fd = sock_new(ep, ep_family(ep));
	if (fd < 0)
		return -1;
	if (sock_bind_local(fd, ep, c->lport) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	/* the port is learnt once (relay_new); bound again, it is the same */
	if (!c->lport && getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		c->lport = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						       : ((struct sockaddr_in *)&ss)->sin_port);
	c->lfd = fd;
	c->listening = false;
	return 0;
}

int conn_open_listener(struct relay_conn *c, bool listening, FILE *err)
{
	if (listener_bind(c) < 0 || (listening && conn_listen(c, true) < 0)) {
		fprintf(err, "ss7fw: link %s %s: cannot listen: %s\n", c->link->cfg.name,
			c->side == RELAY_CARRIER ? "carrier" : "core", strerror(errno));
		if (c->lfd >= 0)
			close(c->lfd);
		c->lfd = -1;
		return -1;
	}
	return 0;
}

/* Starts (on) or stops accepting associations on a listening side. Stopping
 * closes the listening socket, so what waits in its backlog is refused, and
 * binds a new one on the same port that does not listen: the port stays
 * ours, and peers are refused at once. 0, or -1 with errno (the caller
 * retries later). */
int conn_listen(struct relay_conn *c, bool on)
{
	struct relay_worker *w = c->link->w;
	if (on == c->listening && (on || c->lfd >= 0))
		return 0;
	if (!on) {
		loop_del(w->loop, c->lfd);
		close(c->lfd);
		c->lfd = -1;
		c->listening = false;
		return listener_bind(c);
	}
	if (c->lfd < 0 && listener_bind(c) < 0)
		return -1;
	if (listen(c->lfd, 128) < 0)
		return -1;
	if (loop_add(w->loop, c->lfd, EPOLLIN, conn_on_event, c) < 0) {
		int e = errno;
		/* a listen cannot be undone: start again from a bound socket */
		close(c->lfd);
		c->lfd = -1;
		(void)listener_bind(c);
		errno = e;
		return -1;
	}
	c->listening = true;
	relay_log(c->link, c->side, "listening on port %u (%s)", c->lport, c->sctp ? "sctp" : "tcp");
	return 0;
}

void conn_start_connect(struct relay_conn *c)
{
	struct relay_worker *w = c->link->w;
	const struct endpoint_cfg *ep = c->ep;
	c->next_connect_ms = 0;
	if (!ep->n_remote || (c->side == RELAY_CARRIER && c->link->c[RELAY_CORE].state != CONN_UP))
		return;   /* the carrier side waits for the core (link_gate) */
	int fd = sock_new(ep, ep_family(ep));
	if (fd < 0 || sock_bind_local(fd, ep, 0) < 0) {
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
	if (loop_add(w->loop, fd, EPOLLOUT, conn_on_event, c) < 0) {
		close(fd);
		c->fd = -1;
		c->state = CONN_IDLE;
		conn_schedule_connect(c);
		return;
	}
	if (rc == 0)
		conn_became_up(c);
}

void conn_on_connected(struct relay_conn *c)
{
	int e = 0;
	socklen_t el = sizeof e;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
		e = errno;
	if (e) {
		loop_del(c->link->w->loop, c->fd);
		close(c->fd);
		c->fd = -1;
		c->state = CONN_IDLE;
		conn_schedule_connect(c);
		return;
	}
	conn_became_up(c);
}

void conn_on_accept(struct relay_conn *c)
{
	struct relay_worker *w = c->link->w;
	for (int i = 0; i < 16; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		int fd = accept4(c->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		w->st.accepts++;
		char peer[64];
		sa_str((struct sockaddr *)&ss, peer, sizeof peer);
		if (c->fd >= 0 || relay_stopping(w->r)) {
			/* one association per side; a second one is refused */
			w->st.cutoffs[RELAY_CUT_BUSY]++;
			close(fd);
			continue;
		}
		if (!sa_allowed(c->ep, &ss)) {
			w->st.cutoffs[RELAY_CUT_NOT_ALLOWED]++;
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
		if (loop_add(w->loop, fd, EPOLLIN, conn_on_event, c) < 0) {
			close(fd);
			c->fd = -1;
			continue;
		}
		c->events = EPOLLIN;
		conn_became_up(c);
	}
}
