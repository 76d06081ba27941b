/* ss7fw — relay: link pairing and state. A pair is up when both sides are
 * connected; when one side goes down the other is closed too, so the STP on
 * that side reroutes. Also the loop's event dispatch for associations,
 * backpressure pause/resume, and the timers (reconnect backoff, stalled
 * peers). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay-int.h"

/* ---- logging: one line per state change, stderr */
void relay_log(const struct relay_link *k, int side, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "ss7fw: link %s%s%s: %s\n", k->cfg.name, side < 0 ? "" : " ",
		side < 0 ? "" : side == RELAY_CARRIER ? "carrier" : "core", msg);
}

/* ---- state changes */

void link_set_up(struct relay_link *k)
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
	link_gate(k);
}

/* Half-open links: the carrier side is offered to the carrier STP only while
 * the core side is up. A listening carrier side stops listening (the kernel
 * refuses the carrier's connects: TCP RST, SCTP ABORT), a connecting one does
 * not connect, so the carrier STP sees the route down at once instead of an
 * association whose ASP never comes up. Called after every change of the
 * pair's state; a listener that cannot be changed now is tried again after
 * reconnect_min_ms. */
static void link_gate_to(struct relay_link *k, bool core_up)
{
	struct relay *r = k->r;
	struct relay_conn *c = &k->c[RELAY_CARRIER];
	if (relay_stopping(r))
		return;
	if (c->ep->mode == EP_LISTEN) {
		c->next_connect_ms = 0;
		if (conn_listen(c, core_up) < 0) {
			relay_log(k, RELAY_CARRIER, "cannot %s: %s", core_up ? "listen" : "stop listening",
				  strerror(errno));
			c->next_connect_ms = loop_now_ms() + r->s.reconnect_min_ms;
		}
		return;
	}
	if (!core_up) {
		if (c->state == CONN_IDLE)
			c->next_connect_ms = 0;
		return;
	}
	if (c->state == CONN_IDLE && !c->next_connect_ms)
		conn_start_connect(c);
}

void link_gate(struct relay_link *k)
{
	link_gate_to(k, k->c[RELAY_CORE].state == CONN_UP);
}

void conn_schedule_connect(struct relay_conn *c)
{
	const struct relay *r = c->link->r;
	if (c->ep->mode != EP_CONNECT || relay_stopping(r))
		return;
	if (c->side == RELAY_CARRIER && c->link->c[RELAY_CORE].state != CONN_UP) {
		c->next_connect_ms = 0;   /* link_gate starts it when the core is up */
		return;
	}
	uint32_t mn = r->s.reconnect_min_ms, mx = r->s.reconnect_max_ms;
	if (!c->backoff_ms)
		c->backoff_ms = mn;
	else
		c->backoff_ms = c->backoff_ms * 2 > mx ? mx : c->backoff_ms * 2;
	c->next_connect_ms = loop_now_ms() + c->backoff_ms;
}


/* Closes one side's association. graceful: try once more to write its queue
 * and shut the write side down first (TCP FIN; SCTP SHUTDOWN on close). */
void conn_close(struct relay_conn *c, bool graceful, const char *why)
{
	struct relay_worker *w = c->link->w;
	if (c->fd >= 0) {
		if (graceful && c->state == CONN_UP) {
			conn_flush_once(c);
			shutdown(c->fd, SHUT_WR);
		}
		loop_del(w->loop, c->fd);
		close(c->fd);
		c->fd = -1;
		if (c->state == CONN_UP) {
			w->st.state_changes++;
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
void link_down(struct relay_link *k, int side, const char *why)
{
	k->epoch++;
	/* both sides close: stop offering the carrier side first, so that a
	 * carrier reconnecting the moment it sees its close is refused */
	link_gate_to(k, false);
	conn_close(&k->c[side], false, why);
	conn_close(&k->c[!side], true, "other side down");
	link_set_up(k);
}

void conn_cutoff(struct relay_conn *c, unsigned cut)
{
	c->link->w->st.cutoffs[cut]++;
	relay_log(c->link, c->side, "peer %s cut off: %s", c->peer, relay_cut_name(cut));
	link_down(c->link, c->side, relay_cut_name(cut));
}

void conn_became_up(struct relay_conn *c)
{
	c->state = CONN_UP;
	c->next_connect_ms = 0;
	c->link->w->st.state_changes++;
	relay_log(c->link, c->side, "connected %s", c->peer);
	conn_update_events(c);
	link_set_up(c->link);
}

/* ---- events */

void conn_update_events(struct relay_conn *c)
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
		loop_mod(c->link->w->loop, c->fd, ev);
	}
}

/* Pauses a's reading until its partner's queue drains. */
void conn_pause(struct relay_conn *a)
{
	if (!a->rd_paused) {
		a->rd_paused = true;
		a->link->st.paused[dir_of(a)]++;
		conn_update_events(a);
	}
}

/* b's queue drained below half: a may read again; first take what waits in
 * its ibuf. */
void conn_maybe_resume(struct relay_conn *b)
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

void conn_on_event(struct loop *l, int fd, uint32_t events, void *arg)
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

/* The timers of w's links (reconnect, listener retry, stall). */
int worker_timeout_ms(const struct relay_worker *w)
{
	const struct relay *r = w->r;
	uint64_t now = loop_now_ms(), next = UINT64_MAX;
	for (int i = w->idx; i < r->n_links; i += r->n_workers) {
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

void worker_tick(struct relay_worker *w)
{
	struct relay *r = w->r;
	uint64_t now = loop_now_ms();
	/* reassemblies whose T(reass) ran out (the engine keeps them) */
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	engine_tick(w->eng, &rt);
	for (int i = w->idx; i < r->n_links; i += r->n_workers) {
		struct relay_link *k = &r->links[i];
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &k->c[s];
			if (c->state == CONN_UP && c->partial_since && !c->rd_paused &&
			    now >= c->partial_since + r->o.stall_ms) {
				conn_cutoff(c, RELAY_CUT_STALLED);
				continue;
			}
			if (c->state != CONN_IDLE || !c->next_connect_ms || now < c->next_connect_ms)
				continue;
			if (c->ep->mode == EP_LISTEN)
				link_gate(k);
			else
				conn_start_connect(c);
		}
	}
}
