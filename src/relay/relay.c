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
 * Threads: settings.workers workers (relay-int.h, struct relay_worker) each
 * serve the links i with i mod n == their index, with their own loop and
 * engine; worker 0 is the caller's loop. Nothing of a link is touched by
 * another thread, so the data path takes no lock.
 *
 * Nothing here decodes M3UA beyond its 8-byte common header (version and
 * length); the engine sees every message. A message the policy rejects is
 * answered on the side it came from with the UDTS/XUDTS reject_build makes
 * from the engine's decoded view (conn_answer). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay-int.h"

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
	if (!s->stall_ms)
		s->stall_ms = RELAY_STALL_MS;
}

static void relay_free_workers(struct relay *r);

struct relay *relay_new(struct loop *l, struct engine *e, const struct settings_cfg *s,
			const struct link_cfg *links, int n_links,
			const struct relay_opts *o, FILE *err)
{
	struct relay *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->s = *s;
	settings_defaults(&r->s);
	if (o)
		r->o = *o;
	if (!r->o.stall_ms)
		r->o.stall_ms = r->s.stall_ms;
	if (!r->o.flush_ms)
		r->o.flush_ms = RELAY_FLUSH_MS;
	pthread_mutex_init(&r->out_mx, NULL);
	r->links = calloc(n_links > 0 ? (size_t)n_links : 1, sizeof *r->links);
	/* workers: settings.workers, 0 for one per core; never more than links */
	long nw = r->s.workers ? (long)r->s.workers : sysconf(_SC_NPROCESSORS_ONLN);
	if (nw > n_links)
		nw = n_links;
	if (nw < 1)
		nw = 1;
	r->w = calloc((size_t)nw, sizeof *r->w);
	if (!r->links || !r->w) {
		free(r->links);
		free(r->w);
		free(r);
		return NULL;
	}
	r->n_links = n_links;
	r->n_workers = (int)nw;
	for (int i = 0; i < r->n_workers; i++) {
		struct relay_worker *w = &r->w[i];
		w->r = r;
		w->idx = i;
		if (i == 0) {
			w->loop = l;
			w->eng = e;
			continue;
		}
		w->thread = true;
		w->loop = loop_new();
		w->eng = engine_worker_new(e);
		if (!w->loop || !w->eng) {
			fprintf(err, "ss7fw: cannot set up relay worker %d\n", i);
			relay_free(r);
			return NULL;
		}
	}
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
		k->w = &r->w[i % r->n_workers];
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
				if (conn_open_listener(c, sd == RELAY_CORE, err) < 0) {
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
	if (r->started)
		(void)relay_stop(r);   /* the threads end before their loops go */
	for (int i = 0; i < r->n_links; i++) {
		struct relay_link *k = &r->links[i];
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &k->c[s];
			if (c->fd >= 0) {
				loop_del(k->w->loop, c->fd);
				close(c->fd);
			}
			if (c->lfd >= 0) {
				loop_del(k->w->loop, c->lfd);
				close(c->lfd);
			}
			free(c->ibuf);
			free(c->q.buf);
		}
	}
	relay_free_workers(r);
	pthread_mutex_destroy(&r->out_mx);
	free(r->links);
	free(r);
}

static void relay_free_workers(struct relay *r)
{
	for (int i = 1; i < r->n_workers; i++) {
		engine_free(r->w[i].eng);
		loop_free(r->w[i].loop);
	}
	free(r->w);
	r->w = NULL;
}

void relay_set_outputs(struct relay *r, struct evlog *ev, struct droppcap *pc)
{
	r->ev = ev;
	r->pc = pc;
}

void relay_outputs_lock(struct relay *r)
{
	if (r->n_workers > 1)
		pthread_mutex_lock(&r->out_mx);
}

void relay_outputs_unlock(struct relay *r)
{
	if (r->n_workers > 1)
		pthread_mutex_unlock(&r->out_mx);
}

/* ---- worker threads */

static void *worker_main(void *arg);

/* Starts the threads of workers 1..n-1 (once). */
static void relay_start(struct relay *r)
{
	if (r->started || relay_stopping(r))
		return;
	r->started = true;
	for (int i = 1; i < r->n_workers; i++) {
		struct relay_worker *w = &r->w[i];
		if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
			/* without its thread the worker's links are served by nobody:
			 * say so loudly; its links stay down */
			fprintf(stderr, "ss7fw: cannot start relay worker %d\n", i);
			w->thread = false;
		}
	}
}

int relay_timeout_ms(const struct relay *r)
{
	relay_start((struct relay *)r);
	return worker_timeout_ms(&r->w[0]);
}

void relay_tick(struct relay *r)
{
	relay_start(r);
	worker_tick(&r->w[0]);
}

/* Graceful stop of w's links on w's thread: stop reading and listening,
 * flush for up to flush_ms, close. Returns the bytes left. */
static uint64_t worker_stop(struct relay_worker *w)
{
	struct relay *r = w->r;
	for (int i = w->idx; i < r->n_links; i += r->n_workers) {
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &r->links[i].c[s];
			c->next_connect_ms = 0;
			if (c->lfd >= 0) {
				loop_del(w->loop, c->lfd);
				close(c->lfd);
				c->lfd = -1;
				c->listening = false;
			}
			c->closing = true;
			conn_update_events(c);
		}
	}
	/* flush for a bounded time */
	uint64_t deadline = loop_now_ms() + r->o.flush_ms;
	for (;;) {
		uint64_t left = 0;
		for (int i = w->idx; i < r->n_links; i += r->n_workers)
			for (int s = 0; s < 2; s++) {
				struct relay_conn *c = &r->links[i].c[s];
				if (c->state == CONN_UP)
					left += q_len(&c->q);
			}
		uint64_t now = loop_now_ms();
		if (!left || now >= deadline)
			break;
		loop_run_once(w->loop, (int)(deadline - now > 50 ? 50 : deadline - now));
	}
	uint64_t left = 0;
	for (int i = w->idx; i < r->n_links; i += r->n_workers) {
		struct relay_link *k = &r->links[i];
		for (int s = 0; s < 2; s++) {
			struct relay_conn *c = &k->c[s];
			if (c->state == CONN_UP)
				left += q_len(&c->q);
			if (c->fd >= 0) {
				if (c->state == CONN_UP)
					shutdown(c->fd, SHUT_WR);
				loop_del(w->loop, c->fd);
				close(c->fd);
				if (c->state == CONN_UP) {
					w->st.state_changes++;
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

static void *worker_main(void *arg)
{
	struct relay_worker *w = arg;
	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		/* bounded wait: the stop flag is seen within 50 ms */
		int to = worker_timeout_ms(w);
		if (to < 0 || to > 50)
			to = 50;
		loop_run_once(w->loop, to);
		worker_tick(w);
		engine_worker_sync(w->eng);   /* a reload reaches an idle worker too */
	}
	w->left = worker_stop(w);
	return NULL;
}

uint64_t relay_stop(struct relay *r)
{
	if (relay_stopping(r))
		return 0;
	__atomic_store_n(&r->stopping, true, __ATOMIC_RELEASE);
	for (int i = 1; i < r->n_workers; i++)
		__atomic_store_n(&r->w[i].stop, 1, __ATOMIC_RELEASE);
	uint64_t left = worker_stop(&r->w[0]);
	for (int i = 1; i < r->n_workers; i++) {
		struct relay_worker *w = &r->w[i];
		if (r->started && w->thread)
			pthread_join(w->th, NULL);
		else
			w->left = worker_stop(w);   /* never started: stopped here */
		left += w->left;
	}
	r->started = false;
	return left;
}

/* ---- introspection */

uint16_t relay_listen_port(const struct relay *r, int link, int side)
{
	if (link < 0 || link >= r->n_links || side < 0 || side > 1)
		return 0;
	return r->links[link].c[side].lport;
}

int relay_n_workers(const struct relay *r) { return r->n_workers; }

int relay_link_worker(const struct relay *r, int link)
{
	return link < 0 || link >= r->n_links ? -1 : r->links[link].w->idx;
}

bool relay_link_up(const struct relay *r, int link)
{
	if (link < 0 || link >= r->n_links)
		return false;
	return __atomic_load_n(&r->links[link].up, __ATOMIC_ACQUIRE) != 0;
}
