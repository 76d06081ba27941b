/* bench_relay — throughput (MSU/s) and added latency (p50, p99) of the relay
 * over TCP loopback, with screening (policy file, default policies/ir71.conf)
 * and without (--no-screen), in one run; then the relay's memory (RSS) under
 * a flood ten times the throughput run, towards a core that stops reading.
 *
 *   bench_relay [-p POLICY] [-n MSUS]      (default 500000)
 *
 * The relay runs in a child process (its own loop, one link: carrier side
 * listening, core side connecting to us); this process plays carrier and
 * core. Messages are legitimate SRI-SM from partner-a's SMSC (about 150
 * bytes) with distinct transaction ids. Latency is measured at a moderate
 * paced rate (batches of 8 every ms: 8000 MSU/s), per message, matched by order. */
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "ss7fw/relay.h"

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

static volatile sig_atomic_t child_stop;
static void *g_big[3];   /* the bench's buffers, freed in the relay child so RSS is the relay's */
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
	for (int i = 0; i < 3; i++)
		free(g_big[i]);
	struct engine *e = engine_new();
	if (!no_screen && engine_load(e, policy, stderr) < 0)
		fprintf(stderr, "bench_relay: %s did not load: screening with the engine's defaults\n", policy);
	struct link_cfg lk;
	memset(&lk, 0, sizeof lk);
	snprintf(lk.name, sizeof lk.name, "bench");
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
		loop_run_once(l, to < 0 || to > 100 ? 100 : to);
		relay_tick(r);
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

static void setup_close(struct setup *st)
{
	close(st->carrier);
	close(st->core);
	kill(st->pid, SIGTERM);
	waitpid(st->pid, NULL, 0);
}

/* Sends buf (n messages, total len) while reading the core until want bytes
 * arrived. pace: messages per burst and gap (0: flat out); stamps send
 * times of messages when lat != NULL and computes per-message latency. */
static uint64_t run(struct setup *st, const uint8_t *buf, size_t len, const size_t *ends, size_t n,
		    size_t want, int burst, uint64_t gap_ns, uint64_t *lat, uint64_t timeout_ns)
{
	static uint8_t rb[1 << 20];
	size_t sent = 0, got = 0, msg_sent = 0, msg_got = 0;
	uint64_t t0 = now_ns(), next = t0;
	uint64_t *ts = lat ? calloc(n, sizeof *ts) : NULL;
	uint64_t last = t0;
	while (got < want && now_ns() - t0 < timeout_ns && now_ns() - last < 2000000000ull) {
		uint64_t t = now_ns();
		if (sent < len && (!gap_ns || t >= next)) {
			size_t upto = len;
			if (gap_ns) {
				size_t m = msg_sent + (size_t)burst;
				upto = m >= n ? len : ends[m - 1];
				next = t + gap_ns;
			}
			ssize_t w = send(st->carrier, buf + sent, upto - sent, MSG_NOSIGNAL);
			if (w > 0) {
				sent += (size_t)w;
				while (msg_sent < n && ends[msg_sent] <= sent) {
					if (ts)
						ts[msg_sent] = t;
					msg_sent++;
				}
			}
		}
		ssize_t r = recv(st->core, rb, sizeof rb, 0);
		if (r > 0) {
			got += (size_t)r;
			last = now_ns();
			uint64_t tr = now_ns();
			while (msg_got < n && ends[msg_got] <= got) {
				if (ts)
					lat[msg_got] = tr - ts[msg_got];
				msg_got++;
			}
		} else if (sent >= len || gap_ns) {
			struct pollfd p = { .fd = st->core, .events = POLLIN };
			poll(&p, 1, gap_ns ? 0 : 1);
		}
	}
	free(ts);
	return got >= want ? now_ns() - t0 : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

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
	signal(SIGPIPE, SIG_IGN);
	/* the messages */
	size_t cap = n * 512;
	uint8_t *buf = malloc(cap);
	size_t *ends = malloc(n * sizeof *ends);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		struct enc_msu m;
		enc_msu_defaults(&m);
		m.otid = (uint32_t)(0x1000000 + i);
		size_t l = enc_msu_build(buf + len, cap - len, &m);
		if (!l) {
			fprintf(stderr, "bench_relay: encoding failed\n");
			return 1;
		}
		len += l;
		ends[i] = len;
	}
	printf("bench_relay: %zu MSUs of %zu bytes on average, TCP loopback, policy %s\n",
	       n, len / n, policy);
	size_t nl = n < 20000 ? n : 20000;    /* latency sample */
	uint64_t *lat = malloc(nl * sizeof *lat);
	g_big[0] = buf;
	g_big[1] = ends;
	g_big[2] = lat;
	printf("%-12s %12s %10s %10s\n", "mode", "MSU/s", "p50 us", "p99 us");
	for (int mode = 0; mode < 2; mode++) {
		bool no_screen = mode == 1;
		struct setup st;
		if (!setup_open(&st, policy, no_screen, 4u << 20)) {
			fprintf(stderr, "bench_relay: setup failed\n");
			return 1;
		}
		uint64_t dt = run(&st, buf, len, ends, n, len, 0, 0, NULL, 60000000000ull);
		memset(lat, 0, nl * sizeof *lat);
		uint64_t dl = run(&st, buf, ends[nl - 1], ends, nl, ends[nl - 1], 8, 1000000, lat,
				  60000000000ull);
		qsort(lat, nl, sizeof *lat, cmp_u64);
		printf("%-12s %12.0f %10.1f %10.1f%s\n", no_screen ? "no-screen" : "screening",
		       dt ? (double)n * 1e9 / (double)dt : 0.0,
		       (double)lat[nl / 2] / 1000.0, (double)lat[nl * 99 / 100] / 1000.0,
		       dt && dl ? "" : "  (incomplete: messages were dropped or lost)");
		setup_close(&st);
	}
	/* memory under a 10x flood towards a core that reads nothing for 2 s */
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
	printf("flood: %zu of %zu bytes taken in 2 s while the core did not read; relay RSS %ld kB before, "
	       "%ld kB during (peak %ld kB); queue bound 4096 kB per direction\n",
	       sent, total, rss0, rss1, hwm);
	setup_close(&st);
	free(buf);
	free(ends);
	free(lat);
	return 0;
}
