/* bench_minrelay — the least a batching M3UA relay over TCP must do, as the
 * baseline of bench_relay's latency figures: accept the carrier on a port,
 * connect to the core, and move whole M3UA messages (framed by the length in
 * their common header, RFC 4666 3.1) both ways, one read and one write per
 * batch, with a bounded output queue and backpressure like ss7fw's relay.
 * No decoding beyond the header, no screening, no counters, no timers.
 *
 *   bench_minrelay -l PORT -c PORT [--fifo] [--busy] [--mlock]
 *
 *   -l PORT   listen on 127.0.0.1:PORT for the carrier (one connection)
 *   -c PORT   connect to 127.0.0.1:PORT (the core), retrying for 5 s
 *   --fifo    run as SCHED_FIFO (priority 1): woken, it preempts any
 *             normal task (the latency experiments of docs/benchmarks.md)
 *   --busy    never sleep: epoll_wait with a zero timeout in a loop
 *   --mlock   lock all memory (mlockall) and touch the buffers first
 *
 * Runs until SIGTERM or until a side closes. Exit 0, or 1 on setup errors. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IBUF      (256u * 1024)        /* input buffer per side, as ss7fw's relay */
#define QCAP      (4u << 20)           /* output queue per side, as bench_relay's relay */
#define MAX_MSG   (64u * 1024)

struct side {
	int fd;
	uint8_t *ibuf, *q;
	size_t ilen, qhead, qlen;
	bool reading;                       /* EPOLLIN wanted */
	bool writing;                       /* EPOLLOUT wanted (queue not empty) */
};

static struct side s[2];                    /* 0 carrier, 1 core */
static int ep;
static volatile sig_atomic_t stop;

static void on_term(int sig) { (void)sig; stop = 1; }

static void arm(int i)
{
	struct epoll_event ev = { .events = (s[i].reading ? EPOLLIN : 0) | (s[i].writing ? EPOLLOUT : 0),
				  .data.u32 = (uint32_t)i };
	epoll_ctl(ep, EPOLL_CTL_MOD, s[i].fd, &ev);
}

static bool forward(int i);

/* Write the queue of side i; returns false when the connection failed. */
static bool flush_q(int i)
{
	struct side *b = &s[i];
	while (b->qlen) {
		ssize_t w = write(b->fd, b->q + b->qhead, b->qlen);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return false;
		}
		b->qhead += (size_t)w;
		b->qlen -= (size_t)w;
	}
	if (!b->qlen)
		b->qhead = 0;
	bool want = b->qlen != 0;
	if (want != b->writing) {
		b->writing = want;
		arm(i);
	}
	/* the other side may read again once this queue is below half */
	struct side *a = &s[!i];
	if (!a->reading && b->qlen < QCAP / 2) {
		a->reading = true;
		arm(!i);
		return forward(!i);             /* what waited in its buffer */
	}
	return true;
}

/* Every whole message in side i's buffer goes to the other side with one
 * write (what does not go now is queued); false when a connection failed. */
static bool forward(int i)
{
	struct side *a = &s[i], *b = &s[!i];
	size_t off = 0;
	while (a->ilen - off >= 8) {
		const uint8_t *h = a->ibuf + off;
		uint32_t len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
		if (len < 8 || len > MAX_MSG)
			return false;               /* not M3UA: give up the link */
		if (a->ilen - off < len)
			break;
		off += len;
	}
	if (off) {
		if (b->qhead && b->qhead + b->qlen + off > QCAP) {
			memmove(b->q, b->q + b->qhead, b->qlen);
			b->qhead = 0;
		}
		if (b->qlen + off > QCAP) {
			/* no room: stop reading until the queue drains */
			a->reading = false;
			arm(i);
			return true;
		}
		size_t done = 0;
		if (!b->qlen) {
			ssize_t w = write(b->fd, a->ibuf, off);
			if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				return false;
			done = w > 0 ? (size_t)w : 0;
		}
		if (done < off) {
			memcpy(b->q + b->qhead + b->qlen, a->ibuf + done, off - done);
			b->qlen += off - done;
			if (!b->writing) {
				b->writing = true;
				arm(!i);
			}
		}
		memmove(a->ibuf, a->ibuf + off, a->ilen - off);
		a->ilen -= off;
	}
	return true;
}

/* Side i is readable: one read, then forward. */
static bool on_read(int i)
{
	struct side *a = &s[i];
	if (a->ilen == IBUF)
		return true;                    /* paused: nothing read until the queue drains */
	ssize_t n = read(a->fd, a->ibuf + a->ilen, IBUF - a->ilen);
	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	a->ilen += (size_t)n;
	return forward(i);
}

static int listen_on(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0)
		return -1;
	return fd;
}

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

int main(int argc, char **argv)
{
	int lport = 0, cport = 0;
	bool fifo = false, busy = false, lock = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-l") && i + 1 < argc)
			lport = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			cport = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--fifo"))
			fifo = true;
		else if (!strcmp(argv[i], "--busy"))
			busy = true;
		else if (!strcmp(argv[i], "--mlock"))
			lock = true;
		else {
			fprintf(stderr, "usage: bench_minrelay -l PORT -c PORT [--fifo] [--busy] [--mlock]\n");
			return 1;
		}
	}
	if (lport <= 0 || lport > 65535 || cport <= 0 || cport > 65535) {
		fprintf(stderr, "bench_minrelay: -l and -c are required\n");
		return 1;
	}
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (fifo) {
		struct sched_param sp = { .sched_priority = 1 };
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			perror("bench_minrelay: SCHED_FIFO");
	}
	if (lock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0)
		perror("bench_minrelay: mlockall");
	for (int i = 0; i < 2; i++) {
		s[i].ibuf = malloc(IBUF);
		s[i].q = malloc(QCAP);
		if (!s[i].ibuf || !s[i].q)
			return 1;
		if (lock) {
			memset(s[i].ibuf, 0, IBUF);
			memset(s[i].q, 0, QCAP);
		}
	}
	int lfd = listen_on((uint16_t)lport);
	if (lfd < 0) {
		perror("bench_minrelay: listen");
		return 1;
	}
	s[1].fd = connect_to((uint16_t)cport);
	if (s[1].fd < 0) {
		perror("bench_minrelay: connect");
		return 1;
	}
	s[0].fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (s[0].fd < 0)
		return 1;
	ep = epoll_create1(EPOLL_CLOEXEC);
	for (int i = 0; i < 2; i++) {
		int one = 1;
		setsockopt(s[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		fcntl(s[i].fd, F_SETFL, O_NONBLOCK);
		s[i].reading = true;
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, s[i].fd, &ev);
	}
	bool up = true;
	while (!stop && up) {
		struct epoll_event evs[4];
		int n = epoll_wait(ep, evs, 4, busy ? 0 : 100);
		for (int k = 0; k < n && up; k++) {
			int i = (int)evs[k].data.u32;
			if (evs[k].events & EPOLLOUT)
				up = flush_q(i);
			if (up && (evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				up = on_read(i);
		}
	}
	for (int i = 0; i < 2; i++) {
		close(s[i].fd);
		free(s[i].ibuf);
		free(s[i].q);
	}
	close(ep);
	return 0;
}
