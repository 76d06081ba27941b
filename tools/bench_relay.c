/* bench_relay — the relay's figures of issue 5 point 10, side by side in one
 * run, over TCP loopback:
 *   1. throughput (MSU/s) with screening (policy file, default
 *      policies/ir71.conf) and without (--no-screen), and their ratio;
 *   2. added latency p50 / p99 at half load: the carrier paced at 50% of the
 *      throughput just measured for that mode, in small batches, a timestamp
 *      per message on send and on receipt, matched by order;
 *   3. the relay's memory (RSS) under a flood of ten times the throughput
 *      run's volume towards a core that reads nothing.
 * Each figure is printed beside its goal with PASS/MISS.
 *
 *   bench_relay [-p POLICY] [-n MSUS]      (default 500000; run from the repository root)
 *   BENCH_RELAY_LAT_DUMP=PREFIX: also write each mode's latencies in arrival
 *   order to PREFIX.screening / PREFIX.no-screen (to see when stalls happen)
 *
 * The relay runs in a child process (its own loop, one link "carrier-a":
 * carrier side listening, core side connecting to us), pinned to one CPU;
 * this process plays carrier and core, pinned to another (no pinning when
 * fewer than two CPUs are usable). The MSUs are a realistic mix (see
 * mix_build), every one checked beforehand with an in-process engine on the
 * same policy: the legitimate ones must be allowed, the attacks dropped. What
 * the core receives is compared byte for byte with what must arrive. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "ss7fw/relay.h"

/* Goals (issue 5 point 10). */
#define GOAL_MSUS       250000.0   /* MSU/s with the full policy */
#define GOAL_RATIO      0.85       /* screening / no-screen throughput */
#define GOAL_P99_US     100.0      /* added latency p99 at half load */

#define LAT_BATCH_US    10         /* pacing: one batch per ~10 us ... */
#define LAT_BATCH_MAX   32         /* ... of at most this many MSUs */
#define LAT_SECONDS     1.0        /* length of the latency run */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- CPUs: the relay on one, the load generator on another */

static int cpu_relay = -1, cpu_gen = -1;

static void cpus_pick(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) < 0 || CPU_COUNT(&set) < 2)
		return;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &set))
			continue;
		if (cpu_relay < 0)
			cpu_relay = c;
		else if (cpu_gen < 0)
			cpu_gen = c;
	}
}

static bool pin(int cpu)
{
	if (cpu < 0)
		return false;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) == 0;
}

/* Fraction of CPU time not idle over ms milliseconds (all CPUs, /proc/stat). */
static double cpu_busy(unsigned ms)
{
	unsigned long long v[2][8] = { { 0 } };
	for (int k = 0; k < 2; k++) {
		FILE *f = fopen("/proc/stat", "r");
		if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[k][0], &v[k][1], &v[k][2],
				 &v[k][3], &v[k][4], &v[k][5], &v[k][6], &v[k][7]) != 8) {
			if (f)
				fclose(f);
			return 0;
		}
		fclose(f);
		if (!k) {
			struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	unsigned long long tot = 0, idle = (v[1][3] - v[0][3]) + (v[1][4] - v[0][4]);
	for (int i = 0; i < 8; i++)
		tot += v[1][i] - v[0][i];
	return tot ? 1.0 - (double)idle / (double)tot : 0;
}

#include "bench_mix.h"

/* ---- sockets and the relay child */

static int listen_any(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 8) < 0)
		return -1;
	socklen_t l = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	for (int i = 0; i < 200; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			return fd;
		}
		close(fd);
		struct timespec ts = { 0, 10 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Latency experiments (docs/benchmarks.md), for every relay process of the
 * run, ss7fw's and the minimal one: BENCH_RELAY_FIFO=1 runs them SCHED_FIFO,
 * BENCH_RELAY_BUSY=1 makes them poll without sleeping (yielding to each
 * other), BENCH_RELAY_MLOCK=1 locks their memory; BENCH_RELAY_FIFO=2 runs the
 * load generator SCHED_FIFO too (it polls: for the run, other work gets only
 * what RT throttling leaves on its CPU, 5 %). */
static bool x_fifo, x_busy, x_mlock;

static void experiments_apply(void)
{
	if (x_fifo) {
		struct sched_param sp = { .sched_priority = 1 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			perror("bench_relay: SCHED_FIFO");
	}
	if (x_mlock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		perror("bench_relay: mlockall");
}

static volatile sig_atomic_t child_stop;
static void *g_big[16];  /* the bench's buffers, freed in the relay child so RSS is the relay's */
static void on_term(int sig) { (void)sig; child_stop = 1; }

/* The relay process: one link, carrier listens on cport, core connects to
 * core_port. Runs until SIGTERM. */
static pid_t relay_spawn(const char *policy, bool no_screen, uint16_t cport, uint16_t core_port,
			 uint32_t queue_bytes)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGTERM, on_term);
	pin(cpu_relay);
	for (size_t i = 0; i < sizeof g_big / sizeof g_big[0]; i++)
		free(g_big[i]);
	experiments_apply();
	struct engine *e = engine_new();
	if (!no_screen && engine_load(e, policy, stderr) < 0)
		_exit(1);
	/* the relay's state changes are not part of the figures */
	int dn = open("/dev/null", O_WRONLY);
	if (dn >= 0) {
		dup2(dn, 2);
		close(dn);
	}
	struct link_cfg lk;
	memset(&lk, 0, sizeof lk);
	snprintf(lk.name, sizeof lk.name, "carrier-a");
	struct sockaddr_in *a;
	lk.carrier.present = true;
	lk.carrier.mode = EP_LISTEN;
	lk.carrier.n_local = 1;
	a = (struct sockaddr_in *)&lk.carrier.local[0];
	a->sin_family = AF_INET;
	a->sin_port = htons(cport);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lk.core.present = true;
	lk.core.mode = EP_CONNECT;
	lk.core.n_remote = 1;
	a = (struct sockaddr_in *)&lk.core.remote[0];
	a->sin_family = AF_INET;
	a->sin_port = htons(core_port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct settings_cfg s;
	memset(&s, 0, sizeof s);
	s.queue_bytes = queue_bytes;
	s.reconnect_min_ms = 10;
	struct relay_opts o = { .no_screen = no_screen };
	struct loop *l = loop_new();
	struct relay *r = relay_new(l, e, &s, &lk, 1, &o, stderr);
	if (!r)
		_exit(1);
	while (!child_stop) {
		int to = relay_timeout_ms(r);
		loop_run_once(l, x_busy ? 0 : to < 0 || to > 100 ? 100 : to);
		relay_tick(r);
		if (x_busy)
			sched_yield();   /* the other relays of the run share the CPU */
	}
	relay_free(r);
	loop_free(l);
	engine_free(e);
	_exit(0);
}

static long rss_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long v = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, key, strlen(key)))
			v = atol(line + strlen(key) + 1);
	fclose(f);
	return v;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

struct setup {
	pid_t pid;
	int carrier, core;
};

static bool setup_open(struct setup *st, const char *policy, bool no_screen, uint32_t qbytes)
{
	uint16_t core_port, cport;
	int lfd = listen_any(&core_port);
	int tmp = listen_any(&cport);   /* a free port for the relay's listener */
	close(tmp);
	st->pid = relay_spawn(policy, no_screen, cport, core_port, qbytes);
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		return false;
	st->core = accept(lfd, NULL, NULL);
	close(lfd);
	st->carrier = connect_to(cport);
	if (st->core < 0 || st->carrier < 0)
		return false;
	fcntl(st->carrier, F_SETFL, O_NONBLOCK);
	fcntl(st->core, F_SETFL, O_NONBLOCK);
	struct timespec ts = { 0, 50 * 1000000L };  /* let the relay see both sides up */
	nanosleep(&ts, NULL);
	return true;
}

/* The baseline: the carrier connected straight to the core, no relay, so
 * that what the relay adds can be told from what two loopback sockets and
 * this generator cost by themselves. */
static bool setup_direct(struct setup *st)
{
	uint16_t port;
	int lfd = listen_any(&port);
	st->pid = -1;
	st->carrier = connect_to(port);
	st->core = accept(lfd, NULL, NULL);
	close(lfd);
	if (st->core < 0 || st->carrier < 0)
		return false;
	int one = 1;
	setsockopt(st->core, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(st->carrier, F_SETFL, O_NONBLOCK);
	fcntl(st->core, F_SETFL, O_NONBLOCK);
	return true;
}

/* The minimal batching relay (tools/bench_minrelay, next to this binary),
 * pinned like ss7fw's, with the same experiments. */
static bool setup_minrelay(struct setup *st)
{
	char exe[4096];
	ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 32);
	if (l <= 0)
		return false;
	exe[l] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return false;
	strcpy(slash + 1, "bench_minrelay");
	if (access(exe, X_OK) != 0)
		return false;
	uint16_t core_port, cport;
	int lfd = listen_any(&core_port);
	int tmp = listen_any(&cport);
	close(tmp);
	st->pid = fork();
	if (st->pid == 0) {
		pin(cpu_relay);
		char lp[8], cp[8];
		snprintf(lp, sizeof lp, "%u", cport);
		snprintf(cp, sizeof cp, "%u", core_port);
		char *av[8] = { exe, "-l", lp, "-c", cp, NULL, NULL, NULL };
		int k = 5;
		if (x_fifo)
			av[k++] = "--fifo";
		if (x_busy)
			av[k++] = "--busy";
		if (x_mlock)
			av[k++] = "--mlock";
		execv(exe, av);
		_exit(127);
	}
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (st->pid < 0 || poll(&p, 1, 5000) != 1)
		return false;
	st->core = accept(lfd, NULL, NULL);
	close(lfd);
	st->carrier = connect_to(cport);
	if (st->core < 0 || st->carrier < 0)
		return false;
	int one = 1;
	setsockopt(st->core, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(st->carrier, F_SETFL, O_NONBLOCK);
	fcntl(st->core, F_SETFL, O_NONBLOCK);
	struct timespec ts = { 0, 50 * 1000000L };
	nanosleep(&ts, NULL);
	return true;
}

static void setup_close(struct setup *st)
{
	close(st->carrier);
	close(st->core);
	if (st->pid > 0) {
		kill(st->pid, SIGTERM);
		waitpid(st->pid, NULL, 0);
	}
}

struct pct {
	double p50, p99, p999, max;
};

static struct pct percentiles(uint64_t *lat, size_t k)
{
	struct pct p = { 0, 0, 0, 0 };
	if (!k)
		return p;
	qsort(lat, k, sizeof *lat, cmp_u64);
	p.p50 = (double)lat[k / 2] / 1000.0;
	p.p99 = (double)lat[k * 99 / 100] / 1000.0;
	p.p999 = (double)lat[k * 999 / 1000] / 1000.0;
	p.max = (double)lat[k - 1] / 1000.0;
	return p;
}

/* ---- one measured run */

/* What is sent (msgs [0, n) of buf, message i ending at ends[i]) and what
 * must arrive at the core: exp (exp_len bytes), the k-th arriving message
 * ending at exp_ends[k] and being sent message exp_src[k]. */
struct traffic {
	const uint8_t *buf;
	const size_t *ends;
	size_t n;
	const uint8_t *exp;
	const size_t *exp_ends, *exp_src;
	size_t exp_n;
};

struct result {
	bool complete, identical;
	uint64_t ns;                 /* first send to last byte received */
	size_t msgs_out;             /* messages that arrived */
};

/* Sends the first n_send messages and reads the core until every message
 * that must arrive of them did (or 2 s of silence). rate 0: flat out, the
 * whole rest of the buffer in each send. rate > 0: batches of `batch`
 * messages, batch i due at t0 + i * batch / rate (late batches go at once);
 * then send_t[i] is the time message i was handed to send() and lat[k] the
 * time from there to the arrival of the k-th arriving message. */
static struct result run(struct setup *st, const struct traffic *t, size_t n_send, double rate,
			 unsigned batch, uint64_t *send_t, uint64_t *lat)
{
	static uint8_t rb[1 << 20];
	struct result res = { .identical = true };
	size_t len = n_send ? t->ends[n_send - 1] : 0;
	size_t want_n = 0;
	while (want_n < t->exp_n && t->exp_src[want_n] < n_send)
		want_n++;
	size_t want = want_n ? t->exp_ends[want_n - 1] : 0;
	size_t sent = 0, got = 0, msg_sent = 0, msg_got = 0, batches = 0;
	uint64_t t0 = now_ns(), last = t0;
	double gap_ns = rate > 0 ? 1e9 * batch / rate : 0;
	while (got < want && now_ns() - last < 2000000000ull) {
		uint64_t tn = now_ns();
		if (sent < len && (!rate || tn >= t0 + (uint64_t)(gap_ns * (double)batches))) {
			size_t upto = len;
			if (rate) {
				size_t m = msg_sent + batch;
				upto = m >= n_send ? len : t->ends[m - 1];
			}
			ssize_t w = send(st->carrier, t->buf + sent, upto - sent, MSG_NOSIGNAL);
			if (w > 0) {
				sent += (size_t)w;
				while (msg_sent < n_send && t->ends[msg_sent] <= sent) {
					if (send_t)
						send_t[msg_sent] = tn;
					msg_sent++;
				}
				if (rate && sent == upto)
					batches++;
			}
		}
		ssize_t r = recv(st->core, rb, sizeof rb, 0);
		if (r > 0) {
			uint64_t tr = now_ns();
			if (got + (size_t)r > want || memcmp(rb, t->exp + got, (size_t)r))
				res.identical = false;
			got += (size_t)r;
			last = tr;
			while (msg_got < want_n && t->exp_ends[msg_got] <= got) {
				if (lat)
					lat[msg_got] = tr - send_t[t->exp_src[msg_got]];
				msg_got++;
			}
		} else if (!rate && sent >= len) {
			struct pollfd p = { .fd = st->core, .events = POLLIN };
			poll(&p, 1, 1);
		}
	}
	res.ns = now_ns() - t0;
	res.complete = got == want;
	res.msgs_out = msg_got;
	return res;
}

/* ---- the latency runs, interleaved */

#define SEG_MS          25         /* each path sends for this long, then the next */
#define STALL_US        250        /* a latency above this belongs to a stall */

/* One path of the interleaved latency run (a relay, or direct). */
struct lpath {
	const char *name;
	struct setup st;
	const struct traffic *t;
	size_t n_send;               /* messages to send */
	size_t want, want_n;         /* bytes and messages that must arrive */
	size_t sent, got, msg_sent, msg_got;
	uint64_t next_due;           /* when its next batch is due */
	uint64_t *send_t, *lat;
	bool identical;
	/* the relay process over the run: CPU time, time spent runnable but not
	 * running (schedstat run_delay), involuntary context switches */
	double cpu_ms, wait_ms;
	long nvcsw, minflt;
};

/* Minor page faults of pid (/proc/PID/stat field 10). */
static long minflt(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	long v = 0;
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lu", (unsigned long *)&v);
	return v;
}

/* /proc/PID/schedstat: ns on the CPU, ns waiting on a run queue. */
static bool schedstat(pid_t pid, double *run_ms, double *wait_ms)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "r");
	unsigned long long r = 0, w = 0;
	bool ok = f && fscanf(f, "%llu %llu", &r, &w) == 2;
	if (f)
		fclose(f);
	*run_ms = (double)r / 1e6;
	*wait_ms = (double)w / 1e6;
	return ok;
}

/* Every path sends at `rate` in batches of `batch`, in turns of SEG_MS (path 0,
 * 1, ..., 0, 1, ...) until each sent its n_send; arrivals are read from every
 * path with messages in flight, all the time. A stall of the machine thus
 * falls on the paths alike, whichever it hits. Bounded: 2 s without progress. */
static void run_interleaved(struct lpath *ps, int np, double rate, unsigned batch)
{
	static uint8_t rb[1 << 20];
	double gap_ns = 1e9 * batch / rate;
	for (int i = 0; i < np; i++) {
		struct lpath *p = &ps[i];
		p->want_n = 0;
		while (p->want_n < p->t->exp_n && p->t->exp_src[p->want_n] < p->n_send)
			p->want_n++;
		p->want = p->want_n ? p->t->exp_ends[p->want_n - 1] : 0;
		p->identical = true;
		double c;
		schedstat(p->st.pid, &c, &p->wait_ms);
		p->cpu_ms = c;
		p->nvcsw = p->st.pid > 0 ? rss_kb(p->st.pid, "nonvoluntary_ctxt_switches:") : 0;
		p->minflt = p->st.pid > 0 ? minflt(p->st.pid) : 0;
		p->sent = p->got = p->msg_sent = p->msg_got = 0;
	}
	uint64_t t0 = now_ns(), last = t0;
	int cur = -1;
	for (;;) {
		uint64_t tn = now_ns();
		bool all = true;
		for (int i = 0; i < np; i++)
			all = all && ps[i].got >= ps[i].want;
		if (all || tn - last > 2000000000ull)
			break;
		/* whose turn: the next path that still has to send */
		int seg = (int)(((tn - t0) / (SEG_MS * 1000000ull)) % (uint64_t)np);
		if (seg != cur % np || cur < 0) {
			cur = seg;
			ps[cur].next_due = tn;
		}
		struct lpath *p = &ps[cur];
		size_t len = p->n_send ? p->t->ends[p->n_send - 1] : 0;
		if (p->sent < len && tn >= p->next_due) {
			size_t m = p->msg_sent + batch;
			size_t upto = m >= p->n_send ? len : p->t->ends[m - 1];
			/* (a batch cut short by send goes on at the next turn of the loop) */
			ssize_t w = send(p->st.carrier, p->t->buf + p->sent, upto - p->sent, MSG_NOSIGNAL);
			if (w > 0) {
				p->sent += (size_t)w;
				while (p->msg_sent < p->n_send && p->t->ends[p->msg_sent] <= p->sent)
					p->send_t[p->msg_sent++] = tn;
				if (p->sent == upto)
					p->next_due += (uint64_t)gap_ns;
			}
		}
		for (int i = 0; i < np; i++) {
			struct lpath *q = &ps[i];
			/* in flight: an expected arrival whose message was sent */
			if (q->msg_got >= q->want_n || q->t->exp_src[q->msg_got] >= q->msg_sent)
				continue;
			ssize_t r = recv(q->st.core, rb, sizeof rb, 0);
			if (r <= 0)
				continue;
			uint64_t tr = now_ns();
			if (q->got + (size_t)r > q->want || memcmp(rb, q->t->exp + q->got, (size_t)r))
				q->identical = false;
			q->got += (size_t)r;
			last = tr;
			while (q->msg_got < q->want_n && q->t->exp_ends[q->msg_got] <= q->got) {
				q->lat[q->msg_got] = tr - q->send_t[q->t->exp_src[q->msg_got]];
				q->msg_got++;
			}
		}
	}
	for (int i = 0; i < np; i++) {
		struct lpath *p = &ps[i];
		double c, w;
		schedstat(p->st.pid, &c, &w);
		p->cpu_ms = c - p->cpu_ms;
		p->wait_ms = w - p->wait_ms;
		p->nvcsw = p->st.pid > 0 ? rss_kb(p->st.pid, "nonvoluntary_ctxt_switches:") - p->nvcsw : 0;
		p->minflt = p->st.pid > 0 ? minflt(p->st.pid) - p->minflt : 0;
	}
}

/* Stalls in arrival order: runs of messages later than STALL_US; their
 * number and the longest latency of each, summed. */
static void stalls(const uint64_t *lat, size_t k, unsigned *n, double *sum_us, double *worst_us)
{
	*n = 0;
	*sum_us = *worst_us = 0;
	double peak = 0;
	bool in = false;
	for (size_t i = 0; i <= k; i++) {
		double us = i < k ? (double)lat[i] / 1000.0 : 0;
		if (us > STALL_US) {
			if (!in)
				(*n)++;
			in = true;
			peak = us > peak ? us : peak;
		} else if (in) {
			*sum_us += peak;
			*worst_us = peak > *worst_us ? peak : *worst_us;
			peak = 0;
			in = false;
		}
	}
}

static const char *pm(bool ok) { return ok ? "PASS" : "MISS"; }

int main(int argc, char **argv)
{
	const char *policy = "policies/ir71.conf";
	size_t n = 500000;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-p") && i + 1 < argc)
			policy = argv[++i];
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = (size_t)atol(argv[++i]);
		else {
			fprintf(stderr, "usage: bench_relay [-p POLICY] [-n MSUS]\n");
			return 2;
		}
	}
	if (n < 1000)
		n = 1000;
	const char *policy_src = policy;
	char sized[128];
	policy = mix_policy(policy, sized, sizeof sized);   /* rate limits sized to the load */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	cpus_pick();
	bool pinned = pin(cpu_gen);

	/* the messages, and what must arrive of them in each mode */
	size_t cap = n * 512;
	uint8_t *buf = malloc(cap), *exp = malloc(cap);
	size_t *ends = malloc(n * sizeof *ends), *all_src = malloc(n * sizeof *all_src);
	size_t *exp_ends = malloc(n * sizeof *exp_ends), *exp_src = malloc(n * sizeof *exp_src);
	if (!buf || !exp || !ends || !all_src || !exp_ends || !exp_src)
		return 1;
	struct engine *chk = engine_new();
	if (!chk || engine_load(chk, policy, stderr) < 0) {
		fprintf(stderr, "bench_relay: %s does not load\n", policy);
		return 1;
	}
	static struct msu m;
	size_t len = 0, elen = 0, en = 0, per_kind[K__COUNT] = { 0 };
	for (size_t i = 0; i < n; i++) {
		uint8_t kind;
		size_t l = mix_build(buf + len, cap - len, i, &kind);
		if (!l) {
			fprintf(stderr, "bench_relay: encoding failed\n");
			return 1;
		}
		struct msu_meta meta = { .frame = i + 1, .link = 0, .link_name = "carrier-a", .dir = FW_DIR_IN };
		clock_gettime(CLOCK_REALTIME, &meta.ts);
		struct fw_decision d;
		engine_screen(chk, buf + len, l, &meta, &m, &d);
		if (d.forward != (kind != K_ATTACK)) {
			fprintf(stderr, "bench_relay: MSU %zu (%s) is %s by %s; the mix must fit the policy\n", i,
				kind_name[kind], d.forward ? "allowed" : "dropped", d.rule ? d.rule : "the default");
			return 1;
		}
		per_kind[kind]++;
		if (d.forward) {
			memcpy(exp + elen, buf + len, l);
			elen += l;
			exp_ends[en] = elen;
			exp_src[en++] = i;
		}
		all_src[i] = i;
		len += l;
		ends[i] = len;
	}
	engine_free(chk);
	const struct traffic tr[2] = {
		{ buf, ends, n, exp, exp_ends, exp_src, en },      /* screening: the attacks are dropped */
		{ buf, ends, n, buf, ends, all_src, n },           /* no-screen: everything arrives */
	};
	/* per latency path: send times and latencies */
	enum { LP_SCREEN, LP_NOSCREEN, LP_MIN, LP_DIRECT, LP__COUNT };
	uint64_t *send_t[LP__COUNT], *lat[LP__COUNT];
	for (int i = 0; i < LP__COUNT; i++) {
		send_t[i] = malloc(n * sizeof **send_t);
		lat[i] = malloc(n * sizeof **lat);
		if (!send_t[i] || !lat[i])
			return 1;
		g_big[6 + 2 * i] = send_t[i];
		g_big[7 + 2 * i] = lat[i];
	}
	g_big[0] = buf; g_big[1] = exp; g_big[2] = ends; g_big[3] = all_src;
	g_big[4] = exp_ends; g_big[5] = exp_src;
	x_fifo = getenv("BENCH_RELAY_FIFO") && atoi(getenv("BENCH_RELAY_FIFO"));
	x_busy = getenv("BENCH_RELAY_BUSY") && atoi(getenv("BENCH_RELAY_BUSY"));
	x_mlock = getenv("BENCH_RELAY_MLOCK") && atoi(getenv("BENCH_RELAY_MLOCK"));
	bool gen_fifo = getenv("BENCH_RELAY_FIFO") && atoi(getenv("BENCH_RELAY_FIFO")) == 2;

	printf("bench_relay: %zu MSUs of %zu bytes on average, M3UA over TCP loopback, policy %s (rate limits sized to the load)\n",
	       n, len / n, policy_src);
	printf("mix:");
	for (int k = 0; k < K__COUNT; k++)
		printf("%s %.0f%% %s", k ? "," : "", 100.0 * (double)per_kind[k] / (double)n, kind_name[k]);
	printf("\n     legitimate ones from partner-a (allowed by the policy), attacks dropped by it; "
	       "checked in-process before the run\n");
	if (pinned)
		printf("cpus: relay pinned to CPU %d, load generator (carrier + core) to CPU %d\n", cpu_relay, cpu_gen);
	else
		printf("cpus: not pinned (fewer than two CPUs usable)\n");
	/* other work on the machine skews every figure: say so */
	double busy = cpu_busy(300);
	printf("cpus busy with other work just before the run: %.0f%%%s\n", busy * 100,
	       busy > 0.1 ? "  (WARNING: other processes compete for the CPUs; figures are not representative)" : "");

	if (x_fifo || x_busy || x_mlock)
		printf("experiments: the relays (ss7fw's and the minimal one)%s%s%s%s\n", x_fifo ? " run SCHED_FIFO" : "",
		       x_busy ? " poll without sleeping" : "", x_mlock ? " lock their memory" : "",
		       gen_fifo ? "; the generator runs SCHED_FIFO" : "");
	if (gen_fifo) {
		struct sched_param sp = { .sched_priority = 1 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			perror("bench_relay: SCHED_FIFO (generator)");
	}

	/* 1. throughput: ss7fw screening, ss7fw no-screen, the minimal relay */
	double tput[3] = { 0, 0, 0 };
	bool ok_t[3];
	for (int mode = 0; mode < 3; mode++) {
		const struct traffic *t = &tr[mode == 0 ? 0 : 1];
		struct setup st;
		bool up = mode < 2 ? setup_open(&st, policy, mode == 1, 4u << 20) : setup_minrelay(&st);
		if (!up) {
			fprintf(stderr, "bench_relay: setup failed%s\n", mode == 2 ? " (build/tools/bench_minrelay?)" : "");
			return 1;
		}
		struct result r = run(&st, t, n, 0, 0, NULL, NULL);
		ok_t[mode] = r.complete && r.identical;
		tput[mode] = r.complete ? (double)n * 1e9 / (double)r.ns : 0.0;
		if (!ok_t[mode])
			printf("throughput run %d incomplete or altered: %zu of %zu MSUs arrived%s\n", mode,
			       r.msgs_out, t->exp_n, r.identical ? "" : ", bytes differ");
		setup_close(&st);
	}

	/* 2. latency at half of the screening throughput, every path at that
	 * rate, interleaved in turns of SEG_MS */
	double rate = tput[0] > 0 ? tput[0] / 2 : 1000;
	unsigned b = (unsigned)(rate * LAT_BATCH_US / 1e6 + 0.5);
	b = b < 1 ? 1 : b > LAT_BATCH_MAX ? LAT_BATCH_MAX : b;
	size_t nl = (size_t)(rate * LAT_SECONDS);
	nl = nl < 1000 ? 1000 : nl > n ? n : nl;
	struct lpath ps[LP__COUNT];
	memset(ps, 0, sizeof ps);
	static const char *const lp_name[LP__COUNT] = { "ss7fw, screening", "ss7fw, --no-screen",
							 "minimal relay", "direct (no relay)" };
	for (int i = 0; i < LP__COUNT; i++) {
		bool up = i == LP_SCREEN ? setup_open(&ps[i].st, policy, false, 4u << 20) :
			  i == LP_NOSCREEN ? setup_open(&ps[i].st, policy, true, 4u << 20) :
			  i == LP_MIN ? setup_minrelay(&ps[i].st) : setup_direct(&ps[i].st);
		if (!up) {
			fprintf(stderr, "bench_relay: latency setup of %s failed\n", lp_name[i]);
			return 1;
		}
		ps[i].name = lp_name[i];
		ps[i].t = &tr[i == LP_SCREEN ? 0 : 1];
		ps[i].n_send = nl;
		ps[i].send_t = send_t[i];
		ps[i].lat = lat[i];
		memset(send_t[i], 0, n * sizeof **send_t);   /* touched now, not while measuring */
		memset(lat[i], 0, n * sizeof **lat);
	}
	double ratio = tput[1] > 0 ? tput[0] / tput[1] : 0;
	printf("\n%-34s %14s %14s %14s   %-12s %s\n", "throughput (flat out)", "screening", "no-screen", "minimal relay", "goal", "");
	printf("%-34s %14.0f %14.0f %14.0f   %-12s %s\n", "MSU/s", tput[0], tput[1], tput[2],
	       ">= 250000", pm(ok_t[0] && tput[0] >= GOAL_MSUS));
	printf("%-34s %14.3f %14s %14s   %-12s %s\n", "ratio screening / no-screen", ratio, "", "",
	       ">= 0.85", pm(ok_t[0] && ok_t[1] && ratio >= GOAL_RATIO));
	/* two rounds over the same relays: the first meets them cold (fresh
	 * processes: first touch of their tables and buffers), the second is the
	 * steady state, and the figure the goal is judged on */
	struct pct pc[LP__COUNT];
	unsigned n_st[LP__COUNT];
	double st_sum[LP__COUNT], st_worst[LP__COUNT];
	bool ok_l[LP__COUNT];
	double lat_s = 0, gen_wait = 0;
	for (int round = 0; round < 2; round++) {
		double g0c, g0w, g1c, g1w;
		schedstat(getpid(), &g0c, &g0w);
		uint64_t tl0 = now_ns();
		run_interleaved(ps, LP__COUNT, rate, b);
		lat_s = (double)(now_ns() - tl0) / 1e9;
		schedstat(getpid(), &g1c, &g1w);
		gen_wait = g1w - g0w;
		for (int i = 0; i < LP__COUNT; i++) {
			struct lpath *p = &ps[i];
			ok_l[i] = p->got == p->want && p->identical;
			if (p->msg_got && getenv("BENCH_RELAY_LAT_DUMP")) {
				/* debugging aid: send time and latency of each MSU in arrival order (us) */
				char path[512];
				snprintf(path, sizeof path, "%s.%d.%d", getenv("BENCH_RELAY_LAT_DUMP"), round, i);
				FILE *df = fopen(path, "w");
				for (size_t j = 0; df && j < p->msg_got; j++)
					fprintf(df, "%.1f %.1f\n", (double)(p->send_t[p->t->exp_src[j]] - tl0) / 1000.0,
						(double)p->lat[j] / 1000.0);
				if (df)
					fclose(df);
			}
			stalls(p->lat, p->msg_got, &n_st[i], &st_sum[i], &st_worst[i]);
			pc[i] = percentiles(p->lat, p->msg_got);
			if (!ok_l[i])
				printf("latency run of %s incomplete or altered: %zu of %zu MSUs arrived\n", p->name,
				       p->msg_got, p->want_n);
		}
		if (round == 0) {
			printf("\nlatency, first round (cold relays), us:");
			for (int i = 0; i < LP__COUNT; i++)
				printf("%s %s p50 %.1f p99 %.1f (%u stalls, %ld page faults)", i ? ";" : "", ps[i].name,
				       pc[i].p50, pc[i].p99, n_st[i], ps[i].minflt);
			printf("\n");
		}
	}
	printf("\nlatency at half load: %.0f MSU/s in batches of %u, every path in turns of %d ms (%.1f s a round),\n"
	       "%zu MSUs per path and round; send() of the batch to recv() at the core, per MSU, in us\n",
	       rate, b, SEG_MS, lat_s, nl);
	printf("%-20s %8s %8s %8s %8s %7s %9s %8s %8s %6s %6s\n", "path", "p50", "p99", "p99.9", "max",
	       "stalls", "stall-sum", "CPU ms", "rq-wait", "invol", "faults");
	for (int i = 0; i < LP__COUNT; i++)
		printf("%-20s %8.1f %8.1f %8.1f %8.1f %7u %9.0f %8.1f %8.2f %6ld %6ld%s\n", ps[i].name, pc[i].p50,
		       pc[i].p99, pc[i].p999, pc[i].max, n_st[i], st_sum[i], ps[i].cpu_ms, ps[i].wait_ms, ps[i].nvcsw,
		       ps[i].minflt, ok_l[i] ? "" : "  (incomplete)");
	printf("(second round, warm relays. stalls: runs of MSUs later than %d us, stall-sum their peaks in us;\n"
	       " of the relay process over the run: CPU ms, rq-wait = ms runnable but not running, invol =\n"
	       " involuntary context switches, faults = minor page faults. The generator waited %.2f ms runnable.)\n",
	       STALL_US, gen_wait);
	double add50 = pc[LP_SCREEN].p50 - pc[LP_MIN].p50, add99 = pc[LP_SCREEN].p99 - pc[LP_MIN].p99;
	/* a difference of two figures that the machine's own delays dominate
	 * says nothing: judged only when the generator was rarely kept from its
	 * CPU and the minimal relay's tail is below a millisecond */
	bool judged = gen_wait < 0.05 * lat_s * 1000 && pc[LP_MIN].p99 < 1000;
	printf("%-44s p50 %7.1f us, p99 %7.1f us   %-8s %s\n", "added by ss7fw (screening) over the minimal relay:",
	       add50, add99, "< 100", !judged ? "NOT JUDGED (the machine's scheduling delays dominate)" :
	       pm(ok_l[LP_SCREEN] && ok_l[LP_MIN] && add99 < GOAL_P99_US));
	printf("%-44s p50 %7.1f us, p99 %7.1f us\n", "added by ss7fw (--no-screen) over the minimal relay:",
	       pc[LP_NOSCREEN].p50 - pc[LP_MIN].p50, pc[LP_NOSCREEN].p99 - pc[LP_MIN].p99);
	printf("%-44s p50 %7.1f us, p99 %7.1f us\n", "added by ss7fw (screening) over direct:",
	       pc[LP_SCREEN].p50 - pc[LP_DIRECT].p50, pc[LP_SCREEN].p99 - pc[LP_DIRECT].p99);
	for (int i = 0; i < LP__COUNT; i++)
		setup_close(&ps[i].st);

	/* 3. memory under a 10x flood towards a core that reads nothing for 2 s */
	struct setup st;
	if (!setup_open(&st, policy, false, 4u << 20))
		return 1;
	/* the child inherited the bench's pages at fork and freed them: start
	 * its peak count (VmHWM) afresh */
	char crp[64];
	snprintf(crp, sizeof crp, "/proc/%d/clear_refs", (int)st.pid);
	FILE *cr = fopen(crp, "w");
	if (cr) {
		fputs("5", cr);
		fclose(cr);
	}
	long rss0 = rss_kb(st.pid, "VmRSS:");
	size_t sent = 0, total = 10 * len;
	uint64_t t0 = now_ns();
	while (sent < total && now_ns() - t0 < 2000000000ull) {
		size_t off = sent % len;
		size_t chunk = len - off > 65536 ? 65536 : len - off;
		ssize_t w = send(st.carrier, buf + off, chunk, MSG_NOSIGNAL);
		if (w > 0)
			sent += (size_t)w;
		else {
			struct pollfd p = { .fd = st.carrier, .events = POLLOUT };
			poll(&p, 1, 10);
		}
	}
	long rss1 = rss_kb(st.pid, "VmRSS:"), hwm = rss_kb(st.pid, "VmHWM:");
	printf("\nflood (10x the throughput run, %zu bytes, for up to 2 s, the core not reading): %zu bytes taken;\n"
	       "  relay RSS %ld kB before, %ld kB during, peak %ld kB (queue bound 4096 kB per direction, "
	       "input buffer 256 kB per side)\n  goal: peak below before + 2 queues + 2 input buffers + 4 MB slack   %s\n",
	       total, sent, rss0, rss1, hwm, pm(hwm > 0 && hwm < rss0 + 2 * 4096 + 2 * 256 + 4096));
	setup_close(&st);
	for (size_t i = 0; i < sizeof g_big / sizeof g_big[0]; i++)
		free(g_big[i]);
	return 0;
}
