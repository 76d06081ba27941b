/* ss7fw run -c CONFIG [--shadow] [--no-screen]: the inline relay.
 *
 * Loads the configuration (exit 1 with file:line errors), opens the event
 * log, the pcap of drops, the relay's associations and the metrics endpoint,
 * then serves everything from one event loop. Signals come through a
 * signalfd in the same loop, so they act between two messages:
 *   SIGHUP   reload the policy (a broken file keeps the old one)
 *   SIGUSR1  reopen the event log (log rotation)
 *   SIGTERM, SIGINT  flush the queues (bounded), close every association
 *            gracefully, exit 0.
 * --no-screen (for benchmarks) relays without calling the engine. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ss7fw/cmd.h"
#include "ss7fw/engine.h"
#include "ss7fw/loop.h"
#include "ss7fw/ops.h"
#include "ss7fw/relay.h"
#include "ss7fw/track-redis.h"

struct run {
	const char *path;
	struct engine *eng;
	struct relay *relay;
	struct track_redis *state;   /* settings.state.backend = "redis" */
	struct evlog *ev;
	int sfd;
	bool stop;
	int status_up;               /* links up at the last STATUS=, -1: none sent */
};

static void run_render(void *arg, FILE *out)
{
	struct run *r = arg;
	engine_metrics_prom(r->eng, out);
	relay_metrics_prom(r->relay, out);
	track_redis_metrics_prom(r->state, out);
	evlog_metrics_prom(r->ev, out);
}

static void run_on_signal(struct loop *l, int fd, uint32_t events, void *arg)
{
	(void)l;
	(void)events;
	struct run *r = arg;
	struct signalfd_siginfo si;
	while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
		switch (si.ssi_signo) {
		case SIGHUP:
			svc_notify_reloading();
			if (engine_load(r->eng, r->path, stderr) == 0)
				fprintf(stderr, "ss7fw: reloaded %s\n", r->path);
			else
				fprintf(stderr, "ss7fw: reload of %s failed, the previous policy stays\n", r->path);
			svc_notify_ready();
			break;
		case SIGUSR1:
			if (r->ev) {
				relay_outputs_lock(r->relay);
				evlog_reopen(r->ev);
				relay_outputs_unlock(r->relay);
			}
			break;
		case SIGTERM:
		case SIGINT:
			r->stop = true;
			break;
		default:
			break;
		}
	}
}

/* systemd's STATUS= line: links up and MSUs relayed. Sent when the number of
 * links up changed, otherwise at most once a second (force: the second is up). */
static void run_status(struct run *r, int n_links, bool force)
{
	int up = 0;
	uint64_t fwd = 0, drop = 0;
	for (int i = 0; i < n_links; i++) {
		struct relay_link_stats st;
		up += relay_link_up(r->relay, i);
		if (!force && up == r->status_up)
			continue;
		relay_link_stats(r->relay, i, &st);
		fwd += st.fwd_msgs[0] + st.fwd_msgs[1];
		drop += st.drop_msgs[0] + st.drop_msgs[1];
	}
	if (!force && up == r->status_up)
		return;
	r->status_up = up;
	svc_notify_status("%d of %d link%s up, %llu MSUs relayed, %llu dropped%s", up, n_links,
			  n_links == 1 ? "" : "s", (unsigned long long)fwd, (unsigned long long)drop,
			  engine_shadow(r->eng) ? " (shadow)" : "");
}

static void run_usage(FILE *f)
{
	fprintf(f, "usage: ss7fw run -c CONFIG [--shadow]\n"
		   "  -c CONFIG    configuration and policy file\n"
		   "  --shadow     screen and log, but forward everything\n"
		   "  --no-screen  relay without screening (benchmark baseline)\n");
}

int cmd_run(int argc, char **argv)
{
	struct run r = { .sfd = -1, .status_up = -1 };
	struct relay_opts o = { 0 };
	bool shadow = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc)
			r.path = argv[++i];
		else if (!strcmp(argv[i], "--shadow"))
			shadow = true;
		else if (!strcmp(argv[i], "--no-screen"))
			o.no_screen = true;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			run_usage(stdout);
			return 0;
		} else {
			run_usage(stderr);
			return 2;
		}
	}
	if (!r.path) {
		run_usage(stderr);
		return 2;
	}
	int rc = 1;
	struct loop *l = NULL;
	struct droppcap *pc = NULL;
	struct metrics_srv *ms = NULL;
	r.eng = engine_new();
	if (!r.eng || engine_load(r.eng, r.path, stderr) < 0)
		goto out;
	/* --shadow is policy.mode = "shadow" whatever the file says, across
	 * reloads: the engine decides, counts and logs "would drop" */
	engine_set_shadow(r.eng, shadow);
	const struct settings_cfg *s = engine_settings(r.eng);
	int n = engine_n_links(r.eng);
	if (n <= 0) {
		fprintf(stderr, "%s: no links configured\n", r.path);
		goto out;
	}
	struct link_cfg *links = calloc((size_t)n, sizeof *links);
	if (!links)
		goto out;
	for (int i = 0; i < n; i++)
		links[i] = *engine_link(r.eng, i);

	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	l = loop_new();
	r.sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (!l || r.sfd < 0 || loop_add(l, r.sfd, EPOLLIN, run_on_signal, &r) < 0) {
		fprintf(stderr, "ss7fw: event loop: %s\n", strerror(errno));
		free(links);
		goto out;
	}
	if (s->event_log[0] || s->journal || s->syslog_server[0]) {
		r.ev = evlog_open(s, stderr);
		if (!r.ev) {
			free(links);
			goto out;
		}
		evlog_attach_loop(r.ev, l);
	}
	if (s->drop_pcap[0]) {
		pc = droppcap_open(s->drop_pcap, stderr);
		if (!pc) {
			free(links);
			goto out;
		}
		droppcap_set_limit(pc, (uint64_t)s->drop_pcap_max_mb << 20);
	}
	if (s->state.backend == STATE_REDIS) {
		/* the shared state is copied before any link is accepted */
		r.state = track_redis_new(engine_track(r.eng), &s->state, stderr);
		long nl = r.state ? track_redis_load(r.state, stderr) : -2;
		if (nl == -2 || (r.state && track_redis_start(r.state) < 0)) {
			free(links);
			goto out;
		}
		if (nl < 0)
			fprintf(stderr, "ss7fw: state: starting degraded: screening on local state until "
				"Redis %s:%u is reachable\n", s->state.host, s->state.port);
		else
			fprintf(stderr, "ss7fw: state: %ld live entries loaded from Redis %s:%u\n", nl,
				s->state.host, s->state.port);
	}
	r.relay = relay_new(l, r.eng, s, links, n, &o, stderr);
	free(links);
	if (!r.relay)
		goto out;
	relay_set_outputs(r.relay, r.ev, pc);
	if (s->metrics_port) {
		ms = metrics_srv_open(l, s->metrics_addr[0] ? s->metrics_addr : "127.0.0.1",
				      s->metrics_port, run_render, &r, stderr);
		if (!ms)
			goto out;
	}
	if (s->user[0] && svc_drop_privileges(s->user, stderr) < 0)
		goto out;
	fprintf(stderr, "ss7fw: running %d link%s%s%s\n", n, n == 1 ? "" : "s",
		engine_shadow(r.eng) ? " (shadow)" : "", o.no_screen ? " (no screening)" : "");
	svc_notify_ready();
	uint64_t wd = svc_watchdog_ms(), next_sec = loop_now_ms() + 1000;
	uint64_t next_wd = wd ? loop_now_ms() + wd / 2 : UINT64_MAX;
	while (!r.stop) {
		/* timers: the relay's, the event log's once a second, the watchdog */
		int to = relay_timeout_ms(r.relay);
		if (to < 0 || to > 1000)
			to = 1000;
		if (loop_run_once(l, to) < 0 && errno != EINTR) {
			fprintf(stderr, "ss7fw: event loop: %s\n", strerror(errno));
			break;
		}
		relay_tick(r.relay);
		uint64_t now = loop_now_ms();
		if (now >= next_sec) {
			if (r.ev) {
				relay_outputs_lock(r.relay);
				evlog_tick(r.ev);
				relay_outputs_unlock(r.relay);
			}
			run_status(&r, n, true);
			next_sec = now + 1000;
		} else {
			run_status(&r, n, false);   /* links up changed: at once */
		}
		if (now >= next_wd) {
			svc_notify_watchdog();
			next_wd = now + wd / 2;
		}
	}
	svc_notify_stopping();
	uint64_t left = relay_stop(r.relay);
	if (left)
		fprintf(stderr, "ss7fw: stopped with %llu bytes unsent\n", (unsigned long long)left);
	fprintf(stderr, "ss7fw: stopped\n");
	rc = r.stop ? 0 : 1;
out:
	if (ms)
		metrics_srv_close(ms);
	relay_free(r.relay);
	track_redis_free(r.state);   /* after the workers: they call its observer */
	if (pc)
		droppcap_close(pc);
	if (r.ev)
		evlog_close(r.ev);
	if (r.sfd >= 0) {
		if (l)
			loop_del(l, r.sfd);
		close(r.sfd);
	}
	loop_free(l);
	engine_free(r.eng);
	return rc;
}
