/* bench_workers — relay throughput with several worker threads against one
 * (issue 10 item 1), over TCP loopback, with the full policy:
 *
 *   bench_workers [-p POLICY] [-l LINKS] [-n MSUS_PER_LINK] [-w WORKERS]...
 *
 * For each worker count (default: 1, then the number of cores) a relay runs
 * in a child process with LINKS links (default 4) and settings.workers set;
 * this process plays the carrier and the core of every link at once: it
 * writes the same MSU mix (bench_mix.h: realistic MAP traffic, 10 % attacks)
 * on every carrier association in large writes and reads every core
 * association until each has received exactly the bytes of the MSUs the
 * policy allows (checked beforehand with an in-process engine). The figure is
 * all links' MSUs divided by the time from the first write to the last byte.
 * The goal (>= 1.7x on 2 cores) is printed with PASS/MISS. The load
 * generator shares the machine: it writes and reads in 256 KiB blocks, a few
 * ns per MSU, so the relay's screening (about a microsecond per MSU) is what
 * is measured. Run from the repository root. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "ss7fw/relay.h"
#include "ss7fw/track-redis.h"

#define GOAL_SPEEDUP 1.7
#define MAX_LINKS    16
#define MAX_RUNS     8
#define CHUNK        (256 * 1024)

#include "bench_mix.h"

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int listen_any(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 16) < 0) {
		close(fd);
		return -1;
	}
	socklen_t l = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Connects, retrying while refused (the carrier side listens only once its
 * core side is up) for up to 5 s. */
static int connect_to(uint16_t port)
{
	for (int i = 0; i < 500; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			return fd;
		close(fd);
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return -1;
}

static volatile sig_atomic_t child_stop;
static void on_term(int sig) { (void)sig; child_stop = 1; }

static void ep_v4(struct sockaddr_storage *ss, uint16_t port)
{
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof *ss);
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* The relay: links carrier i listening on cport[i], core i connecting to
 * kport[i]; workers threads. Writes nothing; ends on SIGTERM. */
static pid_t relay_spawn(const char *policy, int links, const uint16_t *cport, const uint16_t *kport,
			 int workers, const struct state_cfg *st, int ops_fd)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGTERM, on_term);
	int dn = open("/dev/null", O_WRONLY);
	if (dn >= 0) {
		dup2(dn, 2);   /* the relay's state changes are not part of the figures */
		close(dn);
	}
	struct engine *e = engine_new();
	if (!e || engine_load(e, policy, stderr) < 0)
		_exit(1);
	struct link_cfg lk[MAX_LINKS];
	memset(lk, 0, sizeof lk);
	for (int i = 0; i < links; i++) {
		snprintf(lk[i].name, sizeof lk[i].name, "carrier-%c", 'a' + i);
		lk[i].carrier.present = true;
		lk[i].carrier.mode = EP_LISTEN;
		lk[i].carrier.n_local = 1;
		ep_v4(&lk[i].carrier.local[0], cport[i]);
		lk[i].core.present = true;
		lk[i].core.mode = EP_CONNECT;
		lk[i].core.n_remote = 1;
		ep_v4(&lk[i].core.remote[0], kport[i]);
	}
	struct track_redis *tr = NULL;
	if (st) {
		tr = track_redis_new(engine_track(e), st, stderr);
		if (!tr || track_redis_load(tr, stderr) < 0 || track_redis_start(tr) < 0)
			_exit(1);
	}
	struct settings_cfg s;
	memset(&s, 0, sizeof s);
	s.reconnect_min_ms = 10;
	s.workers = (uint32_t)workers;
	struct loop *l = loop_new();
	struct relay *r = relay_new(l, e, &s, lk, links, NULL, stderr);
	if (!r)
		_exit(1);
	while (!child_stop) {
		int to = relay_timeout_ms(r);
		loop_run_once(l, to < 0 || to > 100 ? 100 : to);
		relay_tick(r);
	}
	relay_free(r);
	if (tr) {
		struct track_redis_stats ts;
		for (int i = 0; i < 1000; i++) {   /* the backlog written first (10 s at most) */
			track_redis_stats(tr, &ts);
			if (!ts.backlog)
				break;
			struct timespec z = { 0, 10 * 1000000L };
			nanosleep(&z, NULL);
		}
		track_redis_stats(tr, &ts);
		uint64_t v[3] = { ts.redis_ops, ts.written, ts.dropped + ts.lost };
		if (ops_fd >= 0 && write(ops_fd, v, sizeof v) != (ssize_t)sizeof v)
			_exit(1);
		track_redis_free(tr);
	}
	loop_free(l);
	engine_free(e);
	_exit(0);
}

struct traffic {
	uint8_t *all;       /* every MSU, as sent */
	size_t all_len;
	size_t want;        /* bytes the core must receive (the allowed MSUs) */
	size_t n;
};

/* n MSUs of the mix; each screened once in-process to know what arrives. */
static bool traffic_build(struct traffic *t, const char *policy, size_t n)
{
	struct engine *e = engine_new();
	if (!e || engine_load(e, policy, stderr) < 0)
		return false;
	struct msu *m = malloc(sizeof *m);
	t->all = malloc(n * 600);
	t->all_len = t->want = 0;
	t->n = n;
	for (size_t i = 0; i < n; i++) {
		uint8_t kind;
		size_t len = mix_build(t->all + t->all_len, 600, i, &kind);
		struct msu_meta meta = { .frame = i, .link = 0, .link_name = "carrier-a", .dir = 0 };
		clock_gettime(CLOCK_REALTIME, &meta.ts);
		struct fw_decision d;
		engine_screen(e, t->all + t->all_len, len, &meta, m, &d);
		if (d.forward)
			t->want += len;
		t->all_len += len;
	}
	free(m);
	engine_free(e);
	return true;
}

/* One run with `workers`: MSU/s over all links, 0 on failure; *cpu_us:
 * the relay's CPU time (user + system) per MSU, in us. */
static uint64_t g_redis_ops, g_written, g_lost;   /* of the last run with Redis */
static double g_pace;   /* MSU/s per link; 0: flat out */

static double run(const char *policy, const struct traffic *t, int links, int workers, double *cpu_us,
		  const struct state_cfg *st)
{
	uint16_t kport[MAX_LINKS] = { 0 }, cport[MAX_LINKS] = { 0 };
	int klfd[MAX_LINKS], car[MAX_LINKS] = { 0 }, core[MAX_LINKS] = { 0 };
	for (int i = 0; i < links; i++) {
		klfd[i] = listen_any(&kport[i]);
		int tmp = listen_any(&cport[i]);   /* a free port for the relay's carrier side */
		close(tmp);
	}
	int pfd[2] = { -1, -1 };
	if (st && pipe(pfd) < 0)
		return 0;
	pid_t pid = relay_spawn(policy, links, cport, kport, workers, st, pfd[1]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	double rate = 0;
	bool ok = true;
	for (int i = 0; i < links; i++) {
		struct pollfd p = { .fd = klfd[i], .events = POLLIN };
		core[i] = poll(&p, 1, 5000) == 1 ? accept(klfd[i], NULL, NULL) : -1;
		close(klfd[i]);
		car[i] = connect_to(cport[i]);
		ok = ok && core[i] >= 0 && car[i] >= 0;
	}
	if (!ok) {
		fprintf(stderr, "bench_workers: links did not come up\n");
		goto out;
	}
	struct timespec settle = { 0, 100 * 1000000L };
	nanosleep(&settle, NULL);
	for (int i = 0; i < links; i++) {
		fcntl(car[i], F_SETFL, O_NONBLOCK);
		fcntl(core[i], F_SETFL, O_NONBLOCK);
	}
	size_t sent[MAX_LINKS] = { 0 }, got[MAX_LINKS] = { 0 };
	static uint8_t sink[CHUNK];
	uint64_t t0 = now_ns(), deadline = t0 + 120ull * 1000000000u;
	int done = 0;
	while (done < links && now_ns() < deadline) {
		struct pollfd p[2 * MAX_LINKS];
		for (int i = 0; i < links; i++) {
			p[2 * i] = (struct pollfd){ .fd = car[i], .events = sent[i] < t->all_len ? POLLOUT : 0 };
			p[2 * i + 1] = (struct pollfd){ .fd = core[i], .events = got[i] < t->want ? POLLIN : 0 };
		}
		poll(p, (nfds_t)(2 * links), g_pace ? 1 : 100);
		for (int i = 0; i < links; i++) {
			if ((p[2 * i].revents & POLLOUT) && sent[i] < t->all_len) {
				size_t left = t->all_len - sent[i];
				if (g_pace) {
					/* paced: no more than the bytes of pace MSU/s so far */
					double el = (double)(now_ns() - t0) / 1e9;
					size_t allow = (size_t)(el * g_pace * (double)t->all_len / (double)t->n);
					left = allow > sent[i] ? allow - sent[i] : 0;
					if (left > t->all_len - sent[i])
						left = t->all_len - sent[i];
					if (!left)
						continue;
				}
				ssize_t w = send(car[i], t->all + sent[i], left > CHUNK ? CHUNK : left, MSG_NOSIGNAL);
				if (w > 0)
					sent[i] += (size_t)w;
			}
			if ((p[2 * i + 1].revents & POLLIN) && got[i] < t->want) {
				ssize_t n = recv(core[i], sink, sizeof sink, 0);
				if (n > 0) {
					got[i] += (size_t)n;
					if (got[i] >= t->want)
						done++;
				}
			}
		}
	}
	uint64_t t1 = now_ns();
	if (done == links)
		rate = (double)t->n * links / ((double)(t1 - t0) / 1e9);
	else
		fprintf(stderr, "bench_workers: %d of %d links complete within 120 s\n", done, links);
out:
	for (int i = 0; i < links; i++) {
		if (car[i] >= 0)
			close(car[i]);
		if (core[i] >= 0)
			close(core[i]);
	}
	kill(pid, SIGTERM);
	struct rusage ru;
	int wst;
	if (wait4(pid, &wst, 0, &ru) == pid)
		*cpu_us = ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
			   ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6) * 1e6 /
			  ((double)t->n * links);
	if (pfd[0] >= 0) {
		uint64_t v[3];
		if (read(pfd[0], v, sizeof v) == (ssize_t)sizeof v) {
			g_redis_ops = v[0];
			g_written = v[1];
			g_lost = v[2];
		}
		close(pfd[0]);
	}
	return rate;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Shared state (Redis) against local only, one worker, interleaved rounds;
 * an observer instance in this process follows the stream and gives the
 * visibility delay; the relay reports its Redis commands. */
static int state_bench(const char *policy, const struct traffic *t, int links, int rounds, int port,
		       const char *pass)
{
	struct state_cfg st;
	memset(&st, 0, sizeof st);
	st.backend = STATE_REDIS;
	snprintf(st.host, sizeof st.host, "127.0.0.1");
	st.port = (uint16_t)port;
	snprintf(st.user, sizeof st.user, "ss7fw");
	snprintf(st.password_file, sizeof st.password_file, "%s", pass);
	snprintf(st.prefix, sizeof st.prefix, "ss7fw");
	st.backlog = 1u << 20;
	st.stream_max = 1000000;
	st.connect_timeout_ms = 2000;
	struct engine *obs = engine_new();
	struct track_redis *otr = NULL;
	if (!obs || engine_load(obs, policy, stderr) < 0 ||
	    !(otr = track_redis_new(engine_track(obs), &st, stderr)) || track_redis_load(otr, stderr) < 0 ||
	    track_redis_start(otr) < 0) {
		fprintf(stderr, "bench_workers: cannot reach Redis on port %d\n", port);
		return 1;
	}
	double rl[15], rr[15], cl[15], cr[15];
	uint64_t ops = 0, written = 0, lost = 0;
	for (int k = 0; k < rounds; k++) {
		rl[k] = run(policy, t, links, 1, &cl[k], NULL);
		rr[k] = run(policy, t, links, 1, &cr[k], &st);
		if (!rl[k] || !rr[k])
			return 1;
		ops += g_redis_ops;
		written += g_written;
		lost += g_lost;
	}
	struct timespec settle = { 0, 500 * 1000000L };
	nanosleep(&settle, NULL);
	double ml = median(rl, rounds), mr = median(rr, rounds);
	/* the delay at saturation is queueing; measure it also at a paced,
	 * sustainable rate: 5,000 MSU/s per link for 2 s */
	double sat50 = 0, sat99 = 0;
	bool sat = track_redis_delay(otr, &sat50, &sat99);
	struct traffic tp;
	double p50 = 0, p99 = 0, cpu_paced = 0;
	bool paced = false;
	if (traffic_build(&tp, policy, 10000)) {
		g_pace = 5000;
		paced = run(policy, &tp, links, 1, &cpu_paced, &st) > 0;
		g_pace = 0;
		nanosleep(&settle, NULL);
		paced = paced && track_redis_delay(otr, &p50, &p99);
		free(tp.all);
	}
	double msus = (double)t->n * links * rounds;
	printf("state local:  %10.0f MSU/s  relay CPU %.2f us/MSU\n", ml, median(cl, rounds));
	printf("state redis:  %10.0f MSU/s  relay CPU %.2f us/MSU  %.2fx of local  goal >= 0.90x: %s\n", mr,
	       median(cr, rounds), mr / ml, mr / ml >= 0.9 ? "PASS" : "MISS");
	printf("redis: %.1f commands per 1000 MSU from the relay; %.1f correlation changes per 1000 MSU "
	       "(%llu written, %llu not written)\n", (double)ops * 1000.0 / msus, (double)written * 1000.0 / msus,
	       (unsigned long long)written, (unsigned long long)lost);
	struct track_redis_stats os;
	track_redis_stats(otr, &os);
	if (sat)
		printf("cross-instance visibility delay at saturation (queueing; last 4096 changes): p50 %.0f us, p99 %.0f us\n",
		       sat50, sat99);
	if (paced)
		printf("cross-instance visibility delay at %d x 5,000 MSU/s (last 4096 changes): p50 %.0f us, p99 %.0f us "
		       "(relay CPU %.2f us/MSU)\n", links, p50, p99, cpu_paced);
	printf("another instance learned %llu changes\n", (unsigned long long)os.learned);
	track_redis_free(otr);
	engine_free(obs);
	return 0;
}

int main(int argc, char **argv)
{
	const char *policy = "policies/ir71.conf";
	int links = 4, nw = 0, w[MAX_RUNS], rounds = 3, redis_port = 0;
	const char *redis_pass = NULL;
	size_t n = 200000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			policy = argv[++i];
		else if (!strcmp(argv[i], "-l") && i + 1 < argc)
			links = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = (size_t)atol(argv[++i]);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-w") && i + 1 < argc && nw < MAX_RUNS)
			w[nw++] = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 2 < argc) {
			redis_port = atoi(argv[++i]);
			redis_pass = argv[++i];
		}
		else {
			fprintf(stderr, "usage: bench_workers [-p POLICY] [-l LINKS] [-n MSUS_PER_LINK] [-r ROUNDS] [-w WORKERS]...\n"
					"       bench_workers -s REDIS_PORT PASSWORD_FILE [...]   shared state (user ss7fw) vs local\n");
			return 2;
		}
	}
	if (links < 1 || links > MAX_LINKS || !n || rounds < 1 || rounds > 15)
		return 2;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (!nw) {
		w[nw++] = 1;
		w[nw++] = cores > 1 ? (int)cores : 2;
	}
	signal(SIGPIPE, SIG_IGN);
	const char *policy_src = policy;
	char sized[128];
	policy = mix_policy(policy, sized, sizeof sized);   /* rate limits sized to the load */
	struct traffic t;
	if (!traffic_build(&t, policy, n)) {
		fprintf(stderr, "bench_workers: cannot load %s\n", policy_src);
		return 1;
	}
	printf("bench_workers: %d links, %zu MSUs each (%.0f %% forwarded by %s, rate limits sized to the load), %ld cores, "
	       "%d interleaved rounds, medians\n", links, n, 100.0 * (double)t.want / (double)t.all_len,
	       policy_src, cores, rounds);
	if (redis_port)
		return state_bench(policy, &t, links, rounds, redis_port, redis_pass);
	/* rounds interleave the worker counts, so that the machine's other load
	 * falls on all of them alike */
	double rate[MAX_RUNS][15], cpu[MAX_RUNS][15];
	for (int k = 0; k < rounds; k++)
		for (int i = 0; i < nw; i++) {
			cpu[i][k] = 0;
			rate[i][k] = run(policy, &t, links, w[i], &cpu[i][k], NULL);
			if (!rate[i][k])
				return 1;
		}
	double base = 0;
	for (int i = 0; i < nw; i++) {
		double r = median(rate[i], rounds), c = median(cpu[i], rounds);
		if (i == 0)
			base = r;
		printf("workers %2d: %10.0f MSU/s  %.2fx of %d worker%s  relay CPU %.2f us/MSU  (runs:", w[i], r,
		       r / base, w[0], w[0] == 1 ? "" : "s", c);
		for (int k = 0; k < rounds; k++)
			printf(" %.0f", rate[i][k]);
		printf(")\n");
		if (i > 0 && w[i] >= 2 && w[0] == 1)
			printf("  goal >= %.1fx with %d workers: %s\n", GOAL_SPEEDUP, w[i],
			       r / base >= GOAL_SPEEDUP ? "PASS" : "MISS");
	}
	free(t.all);
	return 0;
}
