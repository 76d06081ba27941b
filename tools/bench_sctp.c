/* bench_sctp — M3UA DATA throughput through a relay over real SCTP (lksctp):
 * this process is both ends. It sends realistic MAP traffic (tools/bench_mix.h,
 * the legitimate part only, so that every relay passes all of it) into the
 * "carrier" association and counts what arrives on the "core" association,
 * flat out for a fixed time with a bounded number of messages in flight, and
 * reports MSU/s and the CPU time that named processes (the relays) used in
 * that time. Used by scripts/bench_vm.sh inside the SCTP VM.
 *
 *   bench_sctp -C ADDR:PORT [-B ADDR:PORT] [-A RC]      the carrier side: connect
 *              (-B: from this address; -A: bring an ASP up with routing
 *              context RC first, as against an SG such as osmo-stp)
 *              (-K ADDR:PORT [-b ADDR:PORT] [-a RC]    the core side: connect
 *               | -L ADDR:PORT)                         or listen and accept one
 *              [-d SECONDS] [-w WINDOW] [-R RC] [-P NAME=PID]... [-N LABEL] [-T START]
 *
 *   -d  measured time, default 5 s (after a warm-up of 2,000 messages that
 *       must all arrive: a relay that routes nothing fails here, not later)
 *   -w  messages in flight at most (sent, not yet arrived), default 2,000
 *   -R  routing context written into the DATA messages (default: none, as
 *       ss7fw passes them unchanged; an SG wants the sender's)
 *   -P  a process whose CPU time (utime + stime, /proc/PID/stat) to report
 *   -T  start measuring at this time (seconds since the epoch, CLOCK_REALTIME;
 *       traffic flows until then): two generators started together measure
 *       the same window, their relays side by side on the same CPU
 *
 * Only M3UA DATA counts on the core side (management messages are skipped).
 * Output, last line:  "bench_sctp[LABEL]: S sent, A arrived in T s: X MSU/s;
 * NAME P% CPU (U us/MSU, K% of it in the kernel) ...; self P% CPU". Exit 0 when the warm-up arrived
 * and traffic flowed, 1 otherwise, 2 on usage or setup errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_mix.h"

#define M3UA_PPID       3
#define N_MSGS          20000        /* distinct messages, sent in a cycle */
#define WARMUP          2000
#define MAX_PROCS       8
#define STREAMS         8

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *c = strrchr(s, ':');
	if (!c || (size_t)(c - s) >= sizeof host)
		return false;
	memcpy(host, s, (size_t)(c - s));
	host[c - s] = 0;
	memset(a, 0, sizeof *a);
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)atoi(c + 1));
	return inet_pton(AF_INET, host, &a->sin_addr) == 1;
}

static int sctp_sock(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_SCTP);
	if (fd < 0)
		return -1;
	struct sctp_initmsg init = { .sinit_num_ostreams = STREAMS, .sinit_max_instreams = STREAMS };
	int one = 1, buf = 4 << 20;
	setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init);
	setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	return fd;
}

/* Connect (from bind_to if given), retrying for up to 10 s. */
static int sctp_connect(const char *to, const char *bind_to)
{
	struct sockaddr_in a, b;
	if (!parse_addr(to, &a) || (bind_to && !parse_addr(bind_to, &b)))
		return -1;
	for (int i = 0; i < 200; i++) {
		int fd = sctp_sock();
		if (fd < 0)
			return -1;
		if ((!bind_to || bind(fd, (struct sockaddr *)&b, sizeof b) == 0) &&
		    connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			return fd;
		close(fd);
		struct timespec ts = { 0, 50 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return -1;
}

static int sctp_listen(const char *at)
{
	struct sockaddr_in a;
	if (!parse_addr(at, &a))
		return -1;
	int fd = sctp_sock();
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0)
		return -1;
	return fd;
}

/* ---- M3UA (RFC 4666 3.1, 3.5, 3.7) */

static size_t m3ua_hdr(uint8_t *b, uint8_t cls, uint8_t type, uint32_t len)
{
	b[0] = 1;
	b[1] = 0;
	b[2] = cls;
	b[3] = type;
	b[4] = (uint8_t)(len >> 24);
	b[5] = (uint8_t)(len >> 16);
	b[6] = (uint8_t)(len >> 8);
	b[7] = (uint8_t)len;
	return 8;
}

static size_t put_tlv32(uint8_t *b, uint16_t tag, uint32_t v)
{
	b[0] = (uint8_t)(tag >> 8);
	b[1] = (uint8_t)tag;
	b[2] = 0;
	b[3] = 8;
	b[4] = (uint8_t)(v >> 24);
	b[5] = (uint8_t)(v >> 16);
	b[6] = (uint8_t)(v >> 8);
	b[7] = (uint8_t)v;
	return 8;
}

static bool send_blocking(int fd, const uint8_t *b, size_t len, uint16_t stream)
{
	return sctp_sendmsg(fd, b, len, NULL, 0, htonl(M3UA_PPID), 0, stream, 0, 0) == (ssize_t)len;
}

/* Wait (up to 5 s) for a message of class/type on fd; others are skipped. */
static bool wait_for(int fd, uint8_t cls, uint8_t type)
{
	uint8_t b[4096];
	uint64_t end = now_ns() + 5000000000ull;
	while (now_ns() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 100) != 1)
			continue;
		ssize_t n = recv(fd, b, sizeof b, 0);
		if (n <= 0)
			return false;
		if (n >= 8 && b[2] == cls && b[3] == type)
			return true;
	}
	return false;
}

/* ASPUP -> ASPUP_ACK, ASPAC (override, RC) -> ASPAC_ACK (RFC 4666 3.5.1, 3.7.1). */
static bool asp_up(int fd, long rc)
{
	uint8_t b[64];
	size_t n = m3ua_hdr(b, 3, 1, 8);
	if (!send_blocking(fd, b, n, 0) || !wait_for(fd, 3, 4))
		return false;
	n = 8;
	n += put_tlv32(b + n, 0x000b, 1);                   /* traffic mode: override */
	if (rc >= 0)
		n += put_tlv32(b + n, 0x0006, (uint32_t)rc);
	m3ua_hdr(b, 4, 1, (uint32_t)n);
	return send_blocking(fd, b, n, 0) && wait_for(fd, 4, 3);
}

/* ---- processes' CPU */

struct proc {
	const char *name;
	int pid;
	double cpu0, cpu1;           /* seconds of CPU at start and end */
	double sys0, sys1;           /* of which in the kernel */
};

/* CPU seconds of pid (user + system); *sys gets the system part. */
static double proc_cpu(int pid, double *sys)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');          /* the name may contain spaces */
	if (!p)
		return -1;
	unsigned long long ut = 0, st = 0;
	/* after ") ": state(3) ... utime(14) stime(15) */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	*sys = (double)st / (double)sysconf(_SC_CLK_TCK);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static double self_cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* ---- the run */

struct msgs {
	uint8_t *buf;
	size_t off[N_MSGS + 1];
	uint8_t sls[N_MSGS];
};

/* Receive every pending message on the core side; returns DATA counted, -1
 * when the association is gone. */
static long drain(int fd)
{
	static uint8_t b[65536];
	long got = 0;
	for (int i = 0; i < 4096; i++) {
		ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? got : -1;
		if (n == 0)
			return -1;
		if (n >= 8 && b[2] == 1 && b[3] == 1)
			got++;
	}
	return got;
}

/* Send and count until `until` messages were sent (0: no limit) and have
 * arrived, or the deadline passed. */
struct tally {
	unsigned long long sent, got;
	bool lost;
};

static void pump(int car, int core, const struct msgs *m, struct tally *t, unsigned long long until,
		 unsigned window, uint64_t deadline)
{
	while (now_ns() < deadline && !t->lost) {
		bool can_send = (!until || t->sent < until) && t->sent - t->got < window;
		if (!can_send && until && t->got >= until)
			break;
		struct pollfd p[2] = { { .fd = core, .events = POLLIN },
				       { .fd = car, .events = can_send ? POLLOUT : 0 } };
		if (poll(p, 2, 50) < 0)
			continue;
		if (p[1].revents & (POLLERR | POLLHUP)) {
			t->lost = true;
			break;
		}
		/* send a burst while the socket takes it and the window allows */
		for (int k = 0; k < 64 && can_send; k++) {
			size_t i = t->sent % N_MSGS;
			ssize_t n = sctp_sendmsg(car, m->buf + m->off[i], m->off[i + 1] - m->off[i], NULL, 0,
						 htonl(M3UA_PPID), 0, (uint16_t)(1 + m->sls[i] % (STREAMS - 1)), 0, 0);
			if (n < 0)
				break;
			t->sent++;
			can_send = (!until || t->sent < until) && t->sent - t->got < window;
		}
		if (p[0].revents & (POLLIN | POLLERR | POLLHUP)) {
			long g = drain(core);
			if (g < 0)
				t->lost = true;
			else
				t->got += (unsigned long long)g;
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_sctp -C ADDR:PORT [-B ADDR:PORT] [-A RC] (-K ADDR:PORT [-b ADDR:PORT] [-a RC] | -L ADDR:PORT)\n"
			"                  [-d SECONDS] [-w WINDOW] [-R RC] [-P NAME=PID]... [-N LABEL] [-T START]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *car_to = NULL, *car_bind = NULL, *core_to = NULL, *core_bind = NULL, *core_at = NULL;
	const char *label = "run";
	long car_rc = -2, core_rc = -2, msg_rc = 0;     /* -2: no ASP handshake */
	double secs = 5, start_at = 0;
	unsigned window = 2000;
	struct proc procs[MAX_PROCS];
	int n_procs = 0, c;
	while ((c = getopt(argc, argv, "C:B:A:K:b:a:L:d:w:R:P:N:T:")) != -1) {
		switch (c) {
		case 'C': car_to = optarg; break;
		case 'B': car_bind = optarg; break;
		case 'A': car_rc = atol(optarg); break;
		case 'K': core_to = optarg; break;
		case 'b': core_bind = optarg; break;
		case 'a': core_rc = atol(optarg); break;
		case 'L': core_at = optarg; break;
		case 'd': secs = atof(optarg); break;
		case 'w': window = (unsigned)atoi(optarg); break;
		case 'R': msg_rc = atol(optarg); break;
		case 'N': label = optarg; break;
		case 'T': start_at = atof(optarg); break;
		case 'P': {
			char *eq = strchr(optarg, '=');
			if (!eq || n_procs == MAX_PROCS)
				usage();
			*eq = 0;
			procs[n_procs].name = optarg;
			procs[n_procs++].pid = atoi(eq + 1);
			break;
		}
		default: usage();
		}
	}
	if (!car_to || (!core_to == !core_at) || secs <= 0 || secs > 120 || window < 1)
		usage();
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* the legitimate part of the mix, routing context as asked */
	struct msgs *m = calloc(1, sizeof *m);
	size_t cap = (size_t)N_MSGS * 512, len = 0;
	if (!m || !(m->buf = malloc(cap)))
		return 2;
	for (size_t i = 0, k = 0; k < N_MSGS; i++) {
		uint8_t kind;
		mix_rc = (uint32_t)msg_rc;
		size_t l = mix_build(m->buf + len, cap - len, i, &kind);
		if (!l)
			return 2;
		if (kind == K_ATTACK)
			continue;
		m->off[k] = len;
		m->sls[k++] = (uint8_t)(i & 0x0f);
		len += l;
		m->off[k] = len;
	}

	/* core side first (a relay connects to it, or it is an ASP of an SG) */
	int lfd = -1, core = -1, car;
	if (core_at && (lfd = sctp_listen(core_at)) < 0) {
		fprintf(stderr, "bench_sctp: cannot listen on %s: %s\n", core_at, strerror(errno));
		return 2;
	}
	if (core_to) {
		core = sctp_connect(core_to, core_bind);
		if (core < 0 || (core_rc > -2 && !asp_up(core, core_rc))) {
			fprintf(stderr, "bench_sctp: core side %s: %s\n", core_to, core < 0 ? "no association" : "ASP did not come up");
			return 2;
		}
	}
	car = sctp_connect(car_to, car_bind);
	if (car < 0 || (car_rc > -2 && !asp_up(car, car_rc))) {
		fprintf(stderr, "bench_sctp: carrier side %s: %s\n", car_to, car < 0 ? "no association" : "ASP did not come up");
		return 2;
	}
	if (lfd >= 0) {
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		if (poll(&p, 1, 10000) != 1 || (core = accept(lfd, NULL, NULL)) < 0) {
			fprintf(stderr, "bench_sctp: nothing connected to %s\n", core_at);
			return 2;
		}
		close(lfd);
	}
	fcntl(car, F_SETFL, O_NONBLOCK);
	fcntl(core, F_SETFL, O_NONBLOCK);
	struct timespec settle = { 0, 300 * 1000000L };   /* routes and AS states settle */
	nanosleep(&settle, NULL);

	/* warm-up: every message must arrive */
	struct tally w = { 0, 0, false };
	pump(car, core, m, &w, WARMUP, window, now_ns() + 15000000000ull);
	if (w.got < WARMUP) {
		printf("bench_sctp[%s]: warm-up: %llu of %d DATA arrived (%llu sent)%s: the relay does not pass the traffic\n",
		       label, w.got, WARMUP, w.sent, w.lost ? ", association lost" : "");
		return 1;
	}
	/* traffic flows until the agreed start; what is then in flight counts
	 * as in flight at the start of the measured run (steady state) */
	unsigned long long inflight = 0;
	if (start_at > 0) {
		struct timespec rt;
		clock_gettime(CLOCK_REALTIME, &rt);
		double wait = start_at - ((double)rt.tv_sec + rt.tv_nsec / 1e9);
		if (wait > 0 && wait < 60) {
			struct tally pre = { 0, 0, false };
			pump(car, core, m, &pre, 0, window, now_ns() + (uint64_t)(wait * 1e9));
			inflight = pre.sent - pre.got;
		}
	}
	/* the measured run */
	for (int i = 0; i < n_procs; i++)
		procs[i].cpu0 = proc_cpu(procs[i].pid, &procs[i].sys0);
	double s0 = self_cpu();
	struct tally t = { inflight, 0, false };
	uint64_t t0 = now_ns();
	pump(car, core, m, &t, 0, window, t0 + (uint64_t)(secs * 1e9));
	uint64_t t1 = now_ns();
	double s1 = self_cpu();
	for (int i = 0; i < n_procs; i++)
		procs[i].cpu1 = proc_cpu(procs[i].pid, &procs[i].sys1);
	double el = (double)(t1 - t0) / 1e9;
	printf("bench_sctp[%s]: %llu sent, %llu arrived in %.2f s: %.0f MSU/s;", label, t.sent - inflight, t.got, el,
	       (double)t.got / el);
	for (int i = 0; i < n_procs; i++) {
		double cpu = procs[i].cpu1 - procs[i].cpu0;
		if (procs[i].cpu0 < 0 || procs[i].cpu1 < 0)
			printf(" %s gone;", procs[i].name);
		else
			printf(" %s %.0f%% CPU (%.1f us/MSU, %.0f%% of it in the kernel);", procs[i].name, 100 * cpu / el,
			       t.got ? cpu * 1e6 / (double)t.got : 0,
			       cpu > 0 ? 100 * (procs[i].sys1 - procs[i].sys0) / cpu : 0);
	}
	printf(" self %.0f%% CPU (%.1f us/MSU)%s\n", 100 * (s1 - s0) / el, t.got ? (s1 - s0) * 1e6 / (double)t.got : 0,
	       t.lost ? "; association lost" : "");
	close(car);
	close(core);
	free(m->buf);
	free(m);
	return t.got > 0 && !t.lost ? 0 : 1;
}
