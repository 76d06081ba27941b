/* ss7fw — the inline relay over TCP on loopback: real sockets, the relay in
 * a thread with its own loop, the test playing carrier STP and core.
 * Messages are M3UA ASP management and BEAT messages of many sizes (not
 * screened by any policy), so byte identity and order are checked whatever
 * policy the engine has. Every wait is bounded. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "metric.h"
#include "ss7fw/engine.h"
#include "ss7fw/reject.h"
#include "ss7fw/relay.h"
#include "ss7fw/wire.h"

/* ---- sockets */

static int listen_any(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0)
		return -1;
	socklen_t l = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &l);
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connects to port, retrying a refused connect for up to ms (a carrier
 * side listens only once its core side is up). */
static int connect_within(uint16_t port, int ms)
{
	struct timespec ts = { 0, 5 * 1000000L };
	for (int i = 0; i < ms / 5 + 1; i++) {
		int fd = connect_to(port);
		if (fd >= 0 || errno != ECONNREFUSED)
			return fd;
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Whether a connect to port is refused (ECONNREFUSED) at once. */
static bool connect_refused(uint16_t port)
{
	int fd = connect_to(port);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == ECONNREFUSED;
}

static int accept_within(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	if (poll(&p, 1, ms) != 1)
		return -1;
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

static void set_nb(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* True when fd sees EOF (or a reset) within ms; data before it is skipped. */
static bool eof_within(int fd, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	char b[4096];
	while (now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 50) != 1)
			continue;
		ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return true;
	}
	return false;
}

/* Bytes fd delivers before EOF within ms; -1 if no EOF came. */
static long bytes_until_eof(int fd, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	char b[4096];
	long total = 0;
	while (now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 50) != 1)
			continue;
		ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return total;
		if (n > 0)
			total += n;
	}
	return -1;
}

/* ---- M3UA messages (RFC 4666 3.1): common header + raw parameters */

static size_t m3ua(uint8_t *out, uint8_t cls, uint8_t type, const uint8_t *par, size_t plen)
{
	uint32_t len = (uint32_t)(8 + plen);
	out[0] = 1; out[1] = 0; out[2] = cls; out[3] = type;
	out[4] = (uint8_t)(len >> 24); out[5] = (uint8_t)(len >> 16);
	out[6] = (uint8_t)(len >> 8); out[7] = (uint8_t)len;
	if (plen)
		memcpy(out + 8, par, plen);
	return len;
}

/* A BEAT (ASPSM 3) with Heartbeat Data (tag 9) of dlen bytes made from seq. */
static size_t beat(uint8_t *out, uint32_t seq, size_t dlen)
{
	uint8_t par[4096];
	size_t pl = 4 + ((dlen + 3) & ~(size_t)3);
	par[0] = 0; par[1] = 9; par[2] = (uint8_t)((4 + dlen) >> 8); par[3] = (uint8_t)(4 + dlen);
	for (size_t i = 0; i < pl - 4; i++)
		par[4 + i] = i < dlen ? (uint8_t)(seq * 31 + i) : 0;
	return m3ua(out, 3, 3, par, pl);
}

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void buf_init(struct buf *b, size_t cap)
{
	b->p = malloc(cap);
	b->len = 0;
	b->cap = cap;
}

/* n BEATs of sizes 0..2000 data bytes (seed varies them). */
static void make_stream(struct buf *b, unsigned n, unsigned seed)
{
	for (unsigned i = 0; i < n; i++) {
		size_t dl = ((i + seed) * 7919u) % 2001u;
		if (b->cap - b->len < 2100)
			break;
		b->len += beat(b->p + b->len, i + seed, dl);
	}
}

/* Sends a over fa and b over fb while receiving into ra from fb and rb
 * from fa, until ra has want_a and rb has want_b bytes or ms passed.
 * hold_ms: do not read fb (the "core") for this long at the start. */
static void xfer(int fa, const struct buf *a, struct buf *ra, size_t want_a,
		 int fb, const struct buf *b, struct buf *rb, size_t want_b, int ms, int hold_ms)
{
	size_t sa = 0, sb = 0;
	uint64_t t0 = now_ms(), end = t0 + (uint64_t)ms;
	set_nb(fa);
	set_nb(fb);
	while (now_ms() < end && (ra->len < want_a || rb->len < want_b ||
				  (a && sa < a->len) || (b && sb < b->len))) {
		bool hold = now_ms() < t0 + (uint64_t)hold_ms;
		struct pollfd p[2] = {
			{ .fd = fa, .events = (uint16_t)(POLLIN | (a && sa < a->len ? POLLOUT : 0)) },
			{ .fd = fb, .events = (uint16_t)((hold ? 0 : POLLIN) | (b && sb < b->len ? POLLOUT : 0)) },
		};
		poll(p, 2, 20);
		if (a && sa < a->len && (p[0].revents & POLLOUT)) {
			ssize_t w = send(fa, a->p + sa, a->len - sa > 65536 ? 65536 : a->len - sa, MSG_NOSIGNAL);
			if (w > 0)
				sa += (size_t)w;
		}
		if (b && sb < b->len && (p[1].revents & POLLOUT)) {
			ssize_t w = send(fb, b->p + sb, b->len - sb > 65536 ? 65536 : b->len - sb, MSG_NOSIGNAL);
			if (w > 0)
				sb += (size_t)w;
		}
		if (!hold && (p[1].revents & POLLIN) && ra->len < ra->cap) {
			ssize_t n = recv(fb, ra->p + ra->len, ra->cap - ra->len, 0);
			if (n > 0)
				ra->len += (size_t)n;
		}
		if ((p[0].revents & POLLIN) && rb->len < rb->cap) {
			ssize_t n = recv(fa, rb->p + rb->len, rb->cap - rb->len, 0);
			if (n > 0)
				rb->len += (size_t)n;
		}
	}
}

/* ---- the relay in a thread */

#define NLINKS 2

struct rt {
	struct loop *l;
	struct engine *e;
	struct relay *r;
	pthread_t th;
	int stop;
	uint16_t core_port[NLINKS];
	int core_lfd[NLINKS];
};

static void *rt_main(void *arg)
{
	struct rt *t = arg;
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		int to = relay_timeout_ms(t->r);
		if (to < 0 || to > 20)
			to = 20;
		loop_run_once(t->l, to);
		relay_tick(t->r);
	}
	relay_stop(t->r);
	return NULL;
}

static void ep_v4(struct sockaddr_storage *ss, uint16_t port)
{
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	memset(ss, 0, sizeof *ss);
	a->sin_family = AF_INET;
	a->sin_port = htons(port);
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* Links: carrier side listens on an ephemeral port, core side connects to
 * the test's listener. The engine runs the policy file policy (NULL: none),
 * in global shadow mode when shadow. */
static bool rt_start_policy(struct rt *t, const struct settings_cfg *s, const struct relay_opts *o,
			    const char *policy, bool shadow)
{
	struct link_cfg lk[NLINKS];
	memset(lk, 0, sizeof lk);
	for (int i = 0; i < NLINKS; i++) {
		snprintf(lk[i].name, sizeof lk[i].name, "link%d", i);
		t->core_lfd[i] = listen_any(&t->core_port[i]);
		lk[i].carrier.present = true;
		lk[i].carrier.mode = EP_LISTEN;
		lk[i].carrier.n_local = 1;
		ep_v4(&lk[i].carrier.local[0], 0);
		lk[i].core.present = true;
		lk[i].core.mode = EP_CONNECT;
		lk[i].core.n_remote = 1;
		ep_v4(&lk[i].core.remote[0], t->core_port[i]);
	}
	t->l = loop_new();
	t->e = engine_new();
	if (policy && engine_load(t->e, policy, stderr) != 0)
		return false;
	engine_set_shadow(t->e, shadow);
	t->r = relay_new(t->l, t->e, s, lk, NLINKS, o, stderr);
	if (!t->r)
		return false;
	t->stop = 0;
	return pthread_create(&t->th, NULL, rt_main, t) == 0;
}

static bool rt_start(struct rt *t, const struct settings_cfg *s, const struct relay_opts *o)
{
	return rt_start_policy(t, s, o, NULL, false);
}

static void rt_join(struct rt *t)
{
	__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
	pthread_join(t->th, NULL);
}

static void rt_free(struct rt *t)
{
	relay_free(t->r);
	engine_free(t->e);
	loop_free(t->l);
	for (int i = 0; i < NLINKS; i++)
		if (t->core_lfd[i] >= 0)
			close(t->core_lfd[i]);
}

static bool wait_up(struct rt *t, int link, bool up, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	while (now_ms() < end) {
		if (relay_link_up(t->r, link) == up)
			return true;
		sleep_ms(2);
	}
	return false;
}

/* Accepts the relay's core connection and connects a carrier; both fds. */
static bool establish(struct rt *t, int link, int *carrier, int *core)
{
	*core = accept_within(t->core_lfd[link], 3000);
	*carrier = connect_within(relay_listen_port(t->r, link, RELAY_CARRIER), 3000);
	return *core >= 0 && *carrier >= 0 && wait_up(t, link, true, 3000);
}

static struct settings_cfg test_settings(void)
{
	struct settings_cfg s;
	memset(&s, 0, sizeof s);
	s.queue_bytes = 1u << 20;
	s.max_msg = 65536;
	s.reconnect_min_ms = 20;
	s.reconnect_max_ms = 200;
	s.glitch_limit = 4;
	s.workers = 2;   /* link 0 on the test's loop, link 1 on a worker thread */
	return s;
}

/* ---- tests */

/* ASP management both ways, then 20000 BEATs each way at once: the bytes
 * arrive identical and in order on both sides. */
static void test_forward_both_ways(void)
{
	struct rt t;
	struct settings_cfg s = test_settings();
	struct relay_opts o = { 0 };
	CHECK(rt_start(&t, &s, &o));
	int ca, co;
	CHECK(establish(&t, 0, &ca, &co));

	uint8_t aspup[8], ack[8], got[8];
	m3ua(aspup, 3, 1, NULL, 0);   /* ASPSM ASPUP */
	m3ua(ack, 3, 4, NULL, 0);     /* ASPSM ASPUP_ACK */
	CHECK_INT(send(ca, aspup, 8, 0), 8);
	CHECK_INT(recv(co, got, 8, MSG_WAITALL), 8);
	CHECK_MEM(got, aspup, 8);
	CHECK_INT(send(co, ack, 8, 0), 8);
	CHECK_INT(recv(ca, got, 8, MSG_WAITALL), 8);
	CHECK_MEM(got, ack, 8);

	struct buf in, out, rin, rout;
	buf_init(&in, 48u << 20);
	buf_init(&out, 48u << 20);
	make_stream(&in, 20000, 1);
	make_stream(&out, 20000, 7);
	buf_init(&rin, in.len);
	buf_init(&rout, out.len);
	xfer(ca, &in, &rin, in.len, co, &out, &rout, out.len, 20000, 0);
	CHECK_INT(rin.len, in.len);
	CHECK_INT(rout.len, out.len);
	CHECK(rin.len == in.len && !memcmp(rin.p, in.p, in.len));
	CHECK(rout.len == out.len && !memcmp(rout.p, out.p, out.len));
	close(ca);
	close(co);
	rt_join(&t);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.rx_msgs[0], 20001);
	CHECK_INT(st.fwd_msgs[0], 20001);
	CHECK_INT(st.rx_msgs[1], 20001);
	CHECK_INT(st.fwd_msgs[1], 20001);
	CHECK_INT(st.drop_msgs[0] + st.drop_msgs[1], 0);
	rt_free(&t);
	free(in.p); free(out.p); free(rin.p); free(rout.p);
}

/* A core that does not read for a while: the relay's queue towards it stays
 * within its bound, the carrier is paused, and nothing is lost. */
static void test_backpressure(void)
{
	struct rt t;
	struct settings_cfg s = test_settings();
	s.max_msg = 4096;
	s.queue_bytes = 64u << 10;
	struct relay_opts o = { 0 };
	CHECK(rt_start(&t, &s, &o));
	int ca, co;
	CHECK(establish(&t, 0, &ca, &co));
	/* small kernel buffers so that the relay feels the slow core at once */
	int small = 16384;
	setsockopt(co, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	struct buf in, rin, none, rnone;
	buf_init(&in, 40u << 20);
	make_stream(&in, 30000, 3);
	buf_init(&rin, in.len);
	buf_init(&none, 1);
	buf_init(&rnone, 1);
	xfer(ca, &in, &rin, in.len, co, NULL, &rnone, 0, 20000, 1000);
	CHECK_INT(rin.len, in.len);
	CHECK(rin.len == in.len && !memcmp(rin.p, in.p, in.len));
	close(ca);
	close(co);
	rt_join(&t);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK(st.queue_peak[0] <= 64u << 10);
	CHECK(st.queue_peak[0] > 0);
	CHECK(st.paused[0] > 0);
	CHECK_INT(st.fwd_msgs[0], 30000);
	CHECK_INT(st.drop_msgs[0], 0);
	rt_free(&t);
	free(in.p); free(rin.p); free(none.p); free(rnone.p);
}

/* One BEAT from carrier to core (or back) arrives identical. */
static bool one_beat(int from, int to, uint32_t seq)
{
	uint8_t m[2100], g[2100];
	size_t n = beat(m, seq, 100 + seq % 50);
	if (send(from, m, n, MSG_NOSIGNAL) != (ssize_t)n)
		return false;
	struct pollfd p = { .fd = to, .events = POLLIN };
	if (poll(&p, 1, 3000) != 1)
		return false;
	int fl = fcntl(to, F_GETFL);
	fcntl(to, F_SETFL, fl & ~O_NONBLOCK);
	struct timeval tv = { 3, 0 };
	setsockopt(to, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	bool ok = recv(to, g, n, MSG_WAITALL) == (ssize_t)n && !memcmp(g, m, n);
	return ok;
}

/* Loss of either side closes the other; the connect side comes back by
 * itself and the link carries traffic again. While the carrier is away,
 * core messages are dropped as link_down and counted; while the core is
 * away, the carrier side refuses connections (half-open links). */
static void test_link_loss(void)
{
	struct rt t;
	struct settings_cfg s = test_settings();
	struct relay_opts o = { 0 };
	CHECK(rt_start(&t, &s, &o));
	int ca, co;
	CHECK(establish(&t, 0, &ca, &co));
	CHECK(one_beat(ca, co, 1));
	/* core goes away: the relay closes the carrier side */
	close(co);
	CHECK(eof_within(ca, 3000));
	close(ca);
	CHECK(wait_up(&t, 0, false, 1000));
	CHECK(establish(&t, 0, &ca, &co));
	CHECK(one_beat(ca, co, 2));
	CHECK(one_beat(co, ca, 3));
	/* carrier goes away: the relay closes the core side and reconnects */
	close(ca);
	CHECK(eof_within(co, 3000));
	close(co);
	CHECK(establish(&t, 0, &ca, &co));
	CHECK(one_beat(ca, co, 4));
	/* the core goes again; the relay reconnects to it, but no carrier is
	 * there: what the core sends is dropped as link_down */
	close(co);
	CHECK(eof_within(ca, 3000));
	close(ca);
	uint16_t cport = relay_listen_port(t.r, 0, RELAY_CARRIER);
	co = accept_within(t.core_lfd[0], 3000);
	CHECK(co >= 0);
	uint8_t m[200];
	for (int i = 0; i < 10; i++) {
		size_t n = beat(m, (uint32_t)i, 50);
		CHECK_INT(send(co, m, n, 0), (ssize_t)n);
	}
	sleep_ms(200);
	CHECK(!relay_link_up(t.r, 0));
	/* half-open: once the core is up, the carrier side accepts */
	ca = connect_within(cport, 3000);
	CHECK(ca >= 0);
	CHECK(wait_up(&t, 0, true, 3000));
	CHECK(one_beat(ca, co, 7));
	/* the core is away and refuses the relay: the carrier's connects are
	 * refused at once (not accepted and left without a core), every time */
	close(t.core_lfd[0]);
	t.core_lfd[0] = -1;
	close(co);
	CHECK(eof_within(ca, 3000));
	close(ca);
	int refused = 0;
	for (int i = 0; i < 5; i++) {
		refused += connect_refused(cport);
		sleep_ms(60);
	}
	CHECK_INT(refused, 5);
	CHECK(!relay_link_up(t.r, 0));
	rt_join(&t);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.link_down_drops[FW_DIR_IN], 0);
	CHECK_INT(st.link_down_drops[FW_DIR_OUT], 10);
	CHECK_INT(st.ups, 4);
	CHECK_INT(st.downs, 4);
	rt_free(&t);
}

/* Hostile carrier peers are cut off and counted; another link keeps
 * running over the whole test. */
static void test_hostile(void)
{
	struct rt t;
	struct settings_cfg s = test_settings();
	s.stall_ms = 300;   /* the setting (relay_opts.stall_ms 0 defers to it) */
	struct relay_opts o = { 0 };
	CHECK(rt_start(&t, &s, &o));
	int ka, ko;   /* the bystander link 1 */
	CHECK(establish(&t, 1, &ka, &ko));
	CHECK(one_beat(ka, ko, 1));
	int ca, co;
	uint8_t m[64];

	/* length 0 */
	CHECK(establish(&t, 0, &ca, &co));
	memset(m, 0, 8);
	m[0] = 1;
	CHECK_INT(send(ca, m, 8, 0), 8);
	CHECK(eof_within(ca, 2000));
	CHECK(eof_within(co, 2000));
	close(ca); close(co);
	/* length 1 GB */
	CHECK(establish(&t, 0, &ca, &co));
	m[4] = 0x40; m[5] = m[6] = m[7] = 0;
	CHECK_INT(send(ca, m, 8, 0), 8);
	CHECK(eof_within(ca, 2000));
	close(ca); close(co);
	/* garbage */
	CHECK(establish(&t, 0, &ca, &co));
	CHECK_INT(send(ca, "GET / HTTP/1.1\r\n\r\n", 18, 0), 18);
	CHECK(eof_within(ca, 2000));
	close(ca); close(co);
	/* bad version, glitch_limit times */
	CHECK(establish(&t, 0, &ca, &co));
	for (int i = 0; i < 4; i++) {
		size_t n = m3ua(m, 3, 3, NULL, 0);
		m[0] = 2;
		CHECK_INT(send(ca, m, n, 0), (ssize_t)n);
	}
	CHECK(eof_within(ca, 2000));
	CHECK_INT(bytes_until_eof(co, 2000), 0);   /* none of it was forwarded */
	close(ca); close(co);
	/* half a message, then silence */
	CHECK(establish(&t, 0, &ca, &co));
	size_t n = beat(m, 9, 40);
	CHECK_INT(send(ca, m, n / 2, 0), (ssize_t)(n / 2));
	uint64_t t0 = now_ms();
	CHECK(eof_within(ca, 3000));
	CHECK(now_ms() - t0 >= 250);
	close(ca); close(co);
	/* a second connection while up, and a storm of connects: refused */
	CHECK(establish(&t, 0, &ca, &co));
	int x = connect_to(relay_listen_port(t.r, 0, RELAY_CARRIER));
	CHECK(x >= 0 && eof_within(x, 2000));
	close(x);
	uint16_t lp = relay_listen_port(t.r, 0, RELAY_CARRIER);
	int storm = 0;
	for (int i = 0; i < 3000; i++) {
		int y = connect_to(lp);
		if (y >= 0) {
			storm++;
			close(y);
		}
	}
	CHECK(storm > 2900);
	/* ... and 200 held open at once: each is refused (closed by the relay) */
	enum { HELD = 200 };
	int held[HELD], n_held = 0, refused = 0;
	for (int i = 0; i < HELD; i++)
		if ((held[n_held] = connect_to(lp)) >= 0)
			n_held++;
	CHECK(n_held > HELD - 10);
	for (int i = 0; i < n_held; i++) {
		refused += eof_within(held[i], 2000);
		close(held[i]);
	}
	CHECK_INT(refused, n_held);
	storm += n_held;
	CHECK(one_beat(ca, co, 5));
	CHECK(one_beat(co, ca, 6));
	close(ca); close(co);
	/* the bystander link never went down */
	CHECK(one_beat(ka, ko, 2));
	CHECK(one_beat(ko, ka, 3));
	close(ka); close(ko);
	sleep_ms(100);
	rt_join(&t);
	struct relay_stats rs;
	relay_stats(t.r, &rs);
	CHECK_INT(rs.cutoffs[RELAY_CUT_BAD_LENGTH], 3);
	CHECK_INT(rs.cutoffs[RELAY_CUT_GLITCHES], 1);
	CHECK_INT(rs.cutoffs[RELAY_CUT_STALLED], 1);
	CHECK(rs.cutoffs[RELAY_CUT_BUSY] >= 1 + (uint64_t)storm - 50);
	struct relay_link_stats st;
	relay_link_stats(t.r, 1, &st);
	CHECK_INT(st.ups, 1);
	CHECK_INT(st.downs, 1);   /* at the end of the test */
	rt_free(&t);
}

/* A listen side with an allow-list refuses other peers; an SCTP side on a
 * kernel without SCTP (or any socket error) makes relay_new fail cleanly. */
static void test_refusals(void)
{
	struct link_cfg lk;
	memset(&lk, 0, sizeof lk);
	snprintf(lk.name, sizeof lk.name, "guarded");
	lk.carrier.present = true;
	lk.carrier.mode = EP_LISTEN;
	lk.carrier.n_local = 1;
	ep_v4(&lk.carrier.local[0], 0);
	lk.carrier.n_remote = 1;
	ep_v4(&lk.carrier.remote[0], 0);
	((struct sockaddr_in *)&lk.carrier.remote[0])->sin_addr.s_addr = htonl(0x7f000002);
	uint16_t kp;
	int klfd = listen_any(&kp);
	lk.core.present = true;
	lk.core.mode = EP_CONNECT;
	lk.core.n_remote = 1;
	ep_v4(&lk.core.remote[0], kp);
	struct settings_cfg s = test_settings();
	struct loop *l = loop_new();
	struct engine *e = engine_new();
	struct relay *r = relay_new(l, e, &s, &lk, 1, NULL, stderr);
	CHECK(r != NULL);
	/* the core side connects first (the carrier side listens only then) */
	struct relay_link_stats ls;
	for (int i = 0; i < 100; i++) {
		relay_link_stats(r, 0, &ls);
		if (ls.up[RELAY_CORE])
			break;
		loop_run_once(l, 10);
	}
	CHECK(ls.up[RELAY_CORE]);
	int fd = connect_to(relay_listen_port(r, 0, RELAY_CARRIER));
	CHECK(fd >= 0);
	for (int i = 0; i < 20; i++)
		loop_run_once(l, 10);
	struct relay_stats rs;
	relay_stats(r, &rs);
	CHECK_INT(rs.cutoffs[RELAY_CUT_NOT_ALLOWED], 1);
	CHECK(eof_within(fd, 1000));
	close(fd);
	relay_free(r);

	/* SCTP where the kernel has none: a clean error, or (with SCTP) a relay */
	lk.carrier.transport = EP_SCTP;
	lk.carrier.n_remote = 0;
	FILE *err = tmpfile();
	r = relay_new(l, e, &s, &lk, 1, NULL, err);
	int probe = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
	if (probe < 0) {
		CHECK(r == NULL);
		char msg[256] = "";
		rewind(err);
		CHECK(fgets(msg, sizeof msg, err) != NULL);
		CHECK(strstr(msg, "guarded carrier: cannot listen") != NULL);
	} else {
		close(probe);
		CHECK(r != NULL);
		CHECK(relay_listen_port(r, 0, RELAY_CARRIER) != 0);
	}
	relay_free(r);
	fclose(err);
	engine_free(e);
	loop_free(l);
	close(klfd);
}

/* Reads whole M3UA messages from fd into b until it holds want of them or
 * ms passed (then also what came within settle_ms more); their count. */
static unsigned read_msgs(int fd, struct buf *b, unsigned want, int ms, int settle_ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	unsigned n = 0;
	size_t off = 0;
	bool settled = false;
	for (;;) {
		while (b->len - off >= 8) {
			size_t l = m3ua_msg_len(b->p + off, b->len - off);
			if (l < 8 || b->len - off < l)
				break;
			off += l;
			n++;
		}
		uint64_t now = now_ms();
		if (n >= want && !settled) {
			settled = true;
			end = now + (uint64_t)settle_ms;
		}
		if (now >= end || b->len == b->cap)
			return n;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10) == 1) {
			ssize_t r = recv(fd, b->p + b->len, b->cap - b->len, MSG_DONTWAIT);
			if (r > 0)
				b->len += (size_t)r;
			else if (r == 0)
				return n;
		}
	}
}

/* Reads from fd into b until idle_ms pass without data (or max_ms in all). */
static void read_idle(int fd, struct buf *b, int idle_ms, int max_ms)
{
	uint64_t end = now_ms() + (uint64_t)max_ms, last = now_ms();
	while (now_ms() < end && now_ms() < last + (uint64_t)idle_ms && b->len < b->cap) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 10) != 1)
			continue;
		ssize_t r = recv(fd, b->p + b->len, b->cap - b->len, MSG_DONTWAIT);
		if (r == 0)
			return;
		if (r > 0) {
			b->len += (size_t)r;
			last = now_ms();
		}
	}
}

static const char *reject_policy(char *path)
{
	strcpy(path, "/tmp/ss7fw-test-reject-XXXXXX.conf");
	int fd = mkstemps(path, 5);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	fputs("policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"allow\"; };\n"
	      "rules = ( { name = \"refuse-foreign\"; action = \"reject\"; match = { cgpa_gt = [ \"44\" ]; }; } );\n", f);
	fclose(f);
	return path;
}

/* A rejected UDT / XUDT (from a GT the policy refuses) is answered on the
 * association it came from with one UDTS / XUDTS per message, in order; one
 * without the return option gets nothing; the core sees only the allowed
 * MSU. Every counter is exact. In shadow mode nothing is answered and all
 * is forwarded. */
static void test_reject_answer(void)
{
	enum { N_UDT = 20, N_XUDT = 5, N_NORET = 3 };
	char path[64];
	CHECK(reject_policy(path) != NULL);
	struct rt t;
	struct settings_cfg s = test_settings();
	struct relay_opts o = { 0 };
	CHECK(rt_start_policy(&t, &s, &o, path, false));
	int ca, co;
	CHECK(establish(&t, 0, &ca, &co));

	struct buf in, want;
	buf_init(&in, 1u << 20);
	buf_init(&want, 1u << 20);
	static struct msu m;
	uint8_t ans[REJECT_MAX_ANSWER];
	for (unsigned i = 0; i < N_UDT + N_XUDT + N_NORET; i++) {
		struct enc_msu e;
		enc_msu_defaults(&e);
		e.cgpa_gt = "447700900123";
		e.sls = (uint8_t)i;
		e.otid = 0x100 + i;
		if (i >= N_UDT && i < N_UDT + N_XUDT)
			e.sccp_type = SCCP_XUDT;
		uint8_t *p = in.p + in.len;
		size_t n = enc_msu_build(p, in.cap - in.len, &e);
		CHECK(n > 0);
		CHECK_INT(msu_decode(&m, p, n), WIRE_OK);
		if (i >= N_UDT + N_XUDT) {
			/* clear the return option (Q.713 3.6) in the protocol class octet */
			uint8_t *cls = (uint8_t *)m.m3ua.upd.p + 1;
			*cls &= 0x7f;
			CHECK_INT(msu_decode(&m, p, n), WIRE_OK);
			CHECK(!m.sccp.return_on_error);
		}
		size_t al = reject_build(ans, sizeof ans, &m, p, n, REJECT_CAUSE);
		CHECK(i < N_UDT + N_XUDT ? al > 0 : al == 0);
		memcpy(want.p + want.len, ans, al);
		want.len += al;
		in.len += n;
	}
	struct enc_msu legit;
	enc_msu_defaults(&legit);
	size_t ll = enc_msu_build(in.p + in.len, in.cap - in.len, &legit);
	const uint8_t *legit_p = in.p + in.len;
	in.len += ll;
	CHECK_INT(send(ca, in.p, in.len, 0), (ssize_t)in.len);

	struct buf rco, rca;
	buf_init(&rco, 1u << 20);
	buf_init(&rca, 1u << 20);
	CHECK_INT(read_msgs(co, &rco, 1, 3000, 100), 1);
	CHECK_INT(rco.len, ll);
	CHECK(rco.len == ll && !memcmp(rco.p, legit_p, ll));
	CHECK_INT(read_msgs(ca, &rca, N_UDT + N_XUDT, 3000, 200), N_UDT + N_XUDT);
	CHECK_INT(rca.len, want.len);
	CHECK(rca.len == want.len && !memcmp(rca.p, want.p, want.len));
	/* the first answer is a UDTS "unqualified" to the originator */
	static struct msu r;
	CHECK_INT(msu_decode(&r, rca.p, m3ua_msg_len(rca.p, rca.len)), WIRE_OK);
	CHECK_INT(r.sccp.type, SCCP_UDTS);
	CHECK_INT(r.sccp.cause, SCCP_CAUSE_UNQUALIFIED);
	CHECK_INT(r.m3ua.dpc, legit.opc);

	char *mt = NULL;
	size_t mtl = 0;
	close(ca);
	close(co);
	rt_join(&t);
	FILE *mf = open_memstream(&mt, &mtl);
	relay_metrics_prom(t.r, mf);
	fclose(mf);
	CHECK(strstr(mt, "\nss7fw_rejects_answered_total{link=\"link0\",dir=\"in\"} 25\n") != NULL);
	CHECK(strstr(mt, "\nss7fw_rejects_answer_lost_total{link=\"link0\",dir=\"in\"} 0\n") != NULL);
	free(mt);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.rx_msgs[0], N_UDT + N_XUDT + N_NORET + 1);
	CHECK_INT(st.fwd_msgs[0], 1);
	CHECK_INT(st.drop_msgs[0], N_UDT + N_XUDT + N_NORET);
	CHECK_INT(st.rejects_answered[0], N_UDT + N_XUDT);
	CHECK_INT(st.rejects_answer_lost[0], 0);
	CHECK_INT(st.rejects_answered[1] + st.rejects_answer_lost[1], 0);
	CHECK_INT(st.rx_msgs[1] + st.fwd_msgs[1] + st.drop_msgs[1], 0);
	rt_free(&t);

	/* shadow: every MSU forwarded, nothing answered */
	CHECK(rt_start_policy(&t, &s, &o, path, true));
	CHECK(establish(&t, 0, &ca, &co));
	CHECK_INT(send(ca, in.p, in.len, 0), (ssize_t)in.len);
	rco.len = rca.len = 0;
	CHECK_INT(read_msgs(co, &rco, N_UDT + N_XUDT + N_NORET + 1, 3000, 100), N_UDT + N_XUDT + N_NORET + 1);
	CHECK(rco.len == in.len && !memcmp(rco.p, in.p, in.len));
	CHECK_INT(read_msgs(ca, &rca, 1, 200, 0), 0);
	close(ca);
	close(co);
	rt_join(&t);
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.fwd_msgs[0], N_UDT + N_XUDT + N_NORET + 1);
	CHECK_INT(st.rejects_answered[0], 0);
	rt_free(&t);
	unlink(path);
	free(in.p); free(want.p); free(rco.p); free(rca.p);
}

/* A carrier that sends rejected MSUs and does not read: the answers fill
 * its queue, and those that cannot be queued are counted and dropped; the
 * relay never blocks, the queue stays within its bound, and what the carrier
 * finally reads is a clean stream of whole answers, as many as counted. */
static void test_reject_overload(void)
{
	enum { N = 100000 };
	char path[64];
	CHECK(reject_policy(path) != NULL);
	struct rt t;
	struct settings_cfg s = test_settings();
	s.max_msg = 4096;
	s.queue_bytes = 64u << 10;
	struct relay_opts o = { 0 };
	CHECK(rt_start_policy(&t, &s, &o, path, false));
	/* the carrier's receive buffer small from the start (window scale) */
	int co = accept_within(t.core_lfd[0], 3000);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(relay_listen_port(t.r, 0, RELAY_CARRIER)),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int ca = -1, rc = -1;
	for (int i = 0; i < 600 && rc < 0; i++) {   /* refused until the relay saw its core up */
		if (ca >= 0) {
			close(ca);
			sleep_ms(5);
		}
		ca = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int small = 16384;
		setsockopt(ca, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
		rc = connect(ca, (struct sockaddr *)&sa, sizeof sa);
	}
	CHECK(co >= 0 && rc == 0 && wait_up(&t, 0, true, 3000));
	struct enc_msu e;
	enc_msu_defaults(&e);
	e.cgpa_gt = "447700900123";
	uint8_t one[1024];
	size_t n = enc_msu_build(one, sizeof one, &e);
	struct buf in;
	buf_init(&in, (size_t)N * n + 1024);
	for (unsigned i = 0; i < N; i++) {
		memcpy(in.p + in.len, one, n);
		in.len += n;
	}
	struct enc_msu legit;
	enc_msu_defaults(&legit);
	size_t ll = enc_msu_build(in.p + in.len, 1024, &legit);
	in.len += ll;
	/* the relay reads on, whatever the carrier does not read; small
	 * non-blocking sends, so that the kernel never holds the carrier's
	 * socket long enough to drop what the relay sends (and its ACKs) */
	set_nb(ca);
	size_t sent = 0;
	uint64_t end = now_ms() + 20000;
	while (sent < in.len && now_ms() < end) {
		struct pollfd pf = { .fd = ca, .events = POLLOUT };
		if (poll(&pf, 1, 20) != 1)
			continue;
		ssize_t w = send(ca, in.p + sent, in.len - sent > 16384 ? 16384 : in.len - sent, MSG_NOSIGNAL);
		if (w > 0)
			sent += (size_t)w;
		else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			fprintf(stderr, "test_reject_overload: send: %s after %zu bytes\n", strerror(errno), sent);
			break;
		}
	}
	CHECK_INT(sent, in.len);
	struct buf rco, rca;
	buf_init(&rco, 4096);
	CHECK_INT(read_msgs(co, &rco, 1, 10000, 50), 1);
	CHECK(rco.len == ll);
	buf_init(&rca, (size_t)N * n);
	read_idle(ca, &rca, 300, 10000);
	unsigned got = read_msgs(ca, &rca, 0, 0, 0);
	close(ca);
	close(co);
	rt_join(&t);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.rejects_answered[0] + st.rejects_answer_lost[0], N);
	CHECK(st.rejects_answer_lost[0] > 0);
	CHECK_INT(got, st.rejects_answered[0]);
	CHECK(st.queue_peak[1] <= 64u << 10);
	CHECK_INT(st.fwd_msgs[0], 1);
	/* every answer whole and the same */
	static struct msu m;
	msu_decode(&m, one, n);
	uint8_t ans[REJECT_MAX_ANSWER];
	size_t al = reject_build(ans, sizeof ans, &m, one, n, REJECT_CAUSE);
	CHECK_INT(rca.len, (size_t)got * al);
	bool same = rca.len == (size_t)got * al;
	for (size_t off = 0; same && off < rca.len; off += al)
		same = !memcmp(rca.p + off, ans, al);
	CHECK(same);
	rt_free(&t);
	unlink(path);
	free(in.p); free(rco.p); free(rca.p);
}

/* Two workers (settings.workers = 2), both links at once, each link's
 * traffic both ways: byte-identical and in order on every link; the
 * engine's counters (summed over the worker engines) count every message. */
struct par_link {
	int ca, co;
	struct buf in, out, rin, rout;
};

static void *par_xfer(void *arg)
{
	struct par_link *p = arg;
	xfer(p->ca, &p->in, &p->rin, p->in.len, p->co, &p->out, &p->rout, p->out.len, 30000, 0);
	return NULL;
}


/* Value of one sample ("name{labels}") of the engine's Prometheus text. */
static long long eng_metric(struct engine *e, const char *sample) { return test_metric(e, sample); }

/* Appends segment i of s's TCAP split into n, reference ref, to b (and,
 * when w, to the bytes the core must see). Returns its length. */
static size_t put_seg(struct buf *b, struct buf *w, const struct enc_msu *s, unsigned n, unsigned i,
		      uint32_t ref)
{
	static uint8_t segs[16][4096];
	size_t len[16];
	if (enc_msu_segments(&segs[0][0], sizeof segs[0], len, n, s, ref) != n)
		return 0;
	memcpy(b->p + b->len, segs[i], len[i]);
	b->len += len[i];
	if (w) {
		memcpy(w->p + w->len, segs[i], len[i]);
		w->len += len[i];
	}
	return len[i];
}

/* XUDT/LUDT segments through the relay over TCP (docs/architecture.md, "The
 * held path"): two segmented dialogues from two OPCs with the same
 * reference, interleaved, each forwarded whole and byte-identical in its
 * order once its last segment came; a segmented message from a refused GT
 * dropped whole; a duplicated segment forwarded once; a lost segment whose
 * held ones T(reass) drops; an exhaustion attempt against both bounds. The
 * core sees exactly the expected bytes; every counter is exact. */
static void test_segments(void)
{
	char path[64];
	strcpy(path, "/tmp/ss7fw-test-seg-XXXXXX.conf");
	int fd = mkstemps(path, 5);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"drop\"; };\n"
	      "settings = { reasm_timeout = 1; reasm_max = 4; reasm_bytes = 4096; };\n"
	      "rules = ( { name = \"refuse-foreign\"; action = \"drop\"; match = { cgpa_gt = [ \"44\" ]; }; } );\n", f);
	fclose(f);
	struct rt t;
	struct settings_cfg s = test_settings();
	struct relay_opts o = { 0 };
	CHECK(rt_start_policy(&t, &s, &o, path, false));
	int ca, co;
	CHECK(establish(&t, 0, &ca, &co));
	struct buf in, want, rco;
	buf_init(&in, 1u << 20);
	buf_init(&want, 1u << 20);
	buf_init(&rco, 1u << 20);

	/* phase 1: A (OPC 1234) and B (OPC 1235), reference 1 both, interleaved
	 * A1 B1 B2 A2 B3 A3; a foreign F1 F2; D1 D1 D2 (duplicate) */
	struct enc_msu a, b, fo, dd;
	enc_msu_defaults(&a);
	enc_msu_defaults(&b);
	b.opc = 1235;
	b.otid = 0x0b0b0b0b;
	enc_msu_defaults(&fo);
	fo.cgpa_gt = fo.sc_addr = "447700900123";
	enc_msu_defaults(&dd);
	dd.otid = 0x0d0d0d0d;
	struct buf wa, wb;
	buf_init(&wa, 1u << 16);
	buf_init(&wb, 1u << 16);
	put_seg(&in, &wa, &a, 3, 0, 1);
	put_seg(&in, &wb, &b, 3, 0, 1);
	put_seg(&in, &wb, &b, 3, 1, 1);
	put_seg(&in, &wa, &a, 3, 1, 1);
	put_seg(&in, &wb, &b, 3, 2, 1);   /* B complete: B1 B2 B3 */
	put_seg(&in, &wa, &a, 3, 2, 1);   /* A complete: A1 A2 A3 */
	memcpy(want.p + want.len, wb.p, wb.len);
	want.len += wb.len;
	memcpy(want.p + want.len, wa.p, wa.len);
	want.len += wa.len;
	put_seg(&in, NULL, &fo, 2, 0, 2);
	put_seg(&in, NULL, &fo, 2, 1, 2);
	put_seg(&in, &want, &dd, 2, 0, 3);
	put_seg(&in, NULL, &dd, 2, 0, 3);
	put_seg(&in, &want, &dd, 2, 1, 3);
	/* the lost one: L1 L2 of 3 */
	struct enc_msu lo;
	enc_msu_defaults(&lo);
	lo.otid = 0x0e0e0e0e;
	put_seg(&in, NULL, &lo, 3, 0, 4);
	put_seg(&in, NULL, &lo, 3, 1, 4);
	CHECK_INT(send(ca, in.p, in.len, 0), (ssize_t)in.len);
	unsigned n1 = 3 + 3 + 2;
	CHECK_INT(read_msgs(co, &rco, n1, 3000, 200), n1);
	CHECK_INT(rco.len, want.len);
	CHECK(rco.len == want.len && !memcmp(rco.p, want.p, want.len));

	/* phase 2, after T(reass) (1 s): L3 has nothing to join; six first
	 * segments that never finish against reasm_max = 4; a large LUDT
	 * first segment against reasm_bytes; a last UDT that passes */
	sleep_ms(1600);
	in.len = 0;
	size_t mark = want.len;
	put_seg(&in, NULL, &lo, 3, 2, 4);
	size_t L = 0;
	for (uint32_t ref = 10; ref < 16; ref++)
		L = put_seg(&in, NULL, &a, 2, 0, ref);
	uint8_t fill[3800];
	memset(fill, 0x30, sizeof fill);
	struct enc_msu lu;
	enc_msu_defaults(&lu);
	lu.sccp_type = SCCP_LUDT;
	size_t B = enc_msu_segment(in.p + in.len, in.cap - in.len, &lu, fill, sizeof fill, true, 1, 20);
	in.len += B;
	struct enc_msu u;
	enc_msu_defaults(&u);
	size_t ul = enc_msu_build(in.p + in.len, in.cap - in.len, &u);
	memcpy(want.p + want.len, in.p + in.len, ul);
	want.len += ul;
	in.len += ul;
	CHECK_INT(send(ca, in.p, in.len, 0), (ssize_t)in.len);
	CHECK_INT(read_msgs(co, &rco, n1 + 1, 3000, 300), n1 + 1);
	CHECK_INT(rco.len, want.len);
	CHECK(rco.len == want.len && !memcmp(rco.p + mark, want.p + mark, want.len - mark));

	close(ca);
	close(co);
	rt_join(&t);
	/* the large one needs a slot first (the third cut by reasm_max), then
	 * room for its bytes */
	size_t held = 3 * L;
	unsigned bcuts = 0;
	while (held + B > 4096) {
		held -= L;
		bcuts++;
	}
	CHECK(bcuts >= 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"started\"}"), 2 + 1 + 1 + 1 + 6 + 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"completed\"}"), 4);   /* A, B, F, D */
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"duplicate\"}"), 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"expired\"}"), 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"orphan\"}"), 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"cut_reasm_max\"}"), 3);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"cut_reasm_bytes\"}"), bcuts);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_active"), 1 + (long long)(held / L));
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_bytes"), (long long)(held + B));
	CHECK_INT(eng_metric(t.e, "ss7fw_drops_total{reason=\"rule\"}"), 2);
	CHECK_INT(eng_metric(t.e, "ss7fw_drops_total{reason=\"reassembly_error\"}"), 2);
	CHECK_INT(eng_metric(t.e, "ss7fw_drops_total{reason=\"reassembly_timeout\"}"), 2);
	CHECK_INT(eng_metric(t.e, "ss7fw_drops_total{reason=\"reassembly_limit\"}"), 3 + bcuts);
	CHECK_INT(eng_metric(t.e, "ss7fw_verdicts_total{verdict=\"allow\"}"), 3 + 3 + 2 + 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_msus_total"), 13 + 1 + 6 + 1 + 1);
	struct relay_link_stats st;
	relay_link_stats(t.r, 0, &st);
	CHECK_INT(st.rx_msgs[0], 13 + 1 + 6 + 1 + 1);
	CHECK_INT(st.fwd_msgs[0], n1 + 1);
	CHECK_INT(st.drop_msgs[0], 2 + 1 + 1);   /* F1 F2, D1 again, L3: what the relay acted on */
	rt_free(&t);
	unlink(path);
	free(in.p); free(want.p); free(rco.p); free(wa.p); free(wb.p);
}

/* The same segmented message (OPC, calling GT, reference) from two links at
 * once: a destination keying as Q.714 does could join the first segment of
 * one with the rest of the other, a whole nobody screened. The second link's
 * segment cuts the reassembly; nothing of either reaches a core; a message
 * on one link alone still passes. */
static void test_segments_cross_link(void)
{
	char path[64];
	strcpy(path, "/tmp/ss7fw-test-segx-XXXXXX.conf");
	int fd = mkstemps(path, 5);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("policy = { mode = \"enforce\"; default = \"allow\"; malformed = \"drop\"; };\n", f);
	fclose(f);
	struct rt t;
	struct settings_cfg s = test_settings();
	s.workers = 1;   /* both links on one loop: one reassembler sees both (docs/architecture.md) */
	struct relay_opts o = { 0 };
	CHECK(rt_start_policy(&t, &s, &o, path, false));
	int ca0, co0, ca1, co1;
	CHECK(establish(&t, 0, &ca0, &co0));
	CHECK(establish(&t, 1, &ca1, &co1));
	struct buf x0, x1, want, r0, r1;
	buf_init(&x0, 1u << 16);
	buf_init(&x1, 1u << 16);
	buf_init(&want, 1u << 16);
	buf_init(&r0, 1u << 16);
	buf_init(&r1, 1u << 16);
	struct enc_msu a, b;
	enc_msu_defaults(&a);
	enc_msu_defaults(&b);
	b.msisdn = "9991255000009";   /* another content, the same key */
	put_seg(&x0, NULL, &a, 2, 0, 9);
	CHECK_INT(send(ca0, x0.p, x0.len, 0), (ssize_t)x0.len);
	sleep_ms(100);
	put_seg(&x1, NULL, &b, 2, 0, 9);
	CHECK_INT(send(ca1, x1.p, x1.len, 0), (ssize_t)x1.len);
	sleep_ms(100);
	x0.len = x1.len = 0;
	put_seg(&x0, NULL, &a, 2, 1, 9);
	put_seg(&x1, NULL, &b, 2, 1, 9);
	CHECK_INT(send(ca1, x1.p, x1.len, 0), (ssize_t)x1.len);
	CHECK_INT(send(ca0, x0.p, x0.len, 0), (ssize_t)x0.len);
	sleep_ms(100);
	/* then A alone on link 0, reference 10: whole */
	x0.len = 0;
	put_seg(&x0, &want, &a, 2, 0, 10);
	put_seg(&x0, &want, &a, 2, 1, 10);
	CHECK_INT(send(ca0, x0.p, x0.len, 0), (ssize_t)x0.len);
	CHECK_INT(read_msgs(co0, &r0, 2, 3000, 200), 2);
	CHECK(r0.len == want.len && !memcmp(r0.p, want.p, want.len));
	CHECK_INT(read_msgs(co1, &r1, 1, 300, 0), 0);
	close(ca0); close(co0); close(ca1); close(co1);
	rt_join(&t);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"sequence\"}"), 1);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"orphan\"}"), 2);
	CHECK_INT(eng_metric(t.e, "ss7fw_drops_total{reason=\"reassembly_error\"}"), 4);
	CHECK_INT(eng_metric(t.e, "ss7fw_reasm_total{event=\"completed\"}"), 1);
	rt_free(&t);
	unlink(path);
	free(x0.p); free(x1.p); free(want.p); free(r0.p); free(r1.p);
}

static void test_workers_parallel(void)
{
	struct rt t;
	struct settings_cfg s = test_settings();
	struct relay_opts o = { 0 };
	CHECK(rt_start_policy(&t, &s, &o, "policies/ir71.conf", false));
	CHECK_INT(relay_n_workers(t.r), 2);
	CHECK_INT(relay_link_worker(t.r, 0), 0);
	CHECK_INT(relay_link_worker(t.r, 1), 1);
	struct par_link pl[NLINKS];
	for (int i = 0; i < NLINKS; i++) {
		CHECK(establish(&t, i, &pl[i].ca, &pl[i].co));
		buf_init(&pl[i].in, 24u << 20);
		buf_init(&pl[i].out, 24u << 20);
		make_stream(&pl[i].in, 10000, 3 + (unsigned)i);
		make_stream(&pl[i].out, 10000, 11 + (unsigned)i);
		buf_init(&pl[i].rin, pl[i].in.len);
		buf_init(&pl[i].rout, pl[i].out.len);
	}
	pthread_t th;
	CHECK(pthread_create(&th, NULL, par_xfer, &pl[1]) == 0);
	par_xfer(&pl[0]);
	pthread_join(th, NULL);
	for (int i = 0; i < NLINKS; i++) {
		CHECK(pl[i].rin.len == pl[i].in.len && !memcmp(pl[i].rin.p, pl[i].in.p, pl[i].in.len));
		CHECK(pl[i].rout.len == pl[i].out.len && !memcmp(pl[i].rout.p, pl[i].out.p, pl[i].out.len));
		close(pl[i].ca);
		close(pl[i].co);
	}
	rt_join(&t);
	for (int i = 0; i < NLINKS; i++) {
		struct relay_link_stats st;
		relay_link_stats(t.r, i, &st);
		CHECK_INT(st.fwd_msgs[0], 10000);
		CHECK_INT(st.fwd_msgs[1], 10000);
		free(pl[i].in.p); free(pl[i].out.p); free(pl[i].rin.p); free(pl[i].rout.p);
	}
	/* every message of both links, counted by the engine of its worker */
	CHECK_INT(eng_metric(t.e, "ss7fw_msus_total"), NLINKS * 20000);
	CHECK_INT(eng_metric(t.e, "ss7fw_non_data_total"), NLINKS * 20000);
	rt_free(&t);
}

TEST_MAIN("test_relay", {
	RUN(test_forward_both_ways);
	RUN(test_backpressure);
	RUN(test_link_loss);
	RUN(test_hostile);
	RUN(test_refusals);
	RUN(test_reject_answer);
	RUN(test_reject_overload);
	RUN(test_segments);
	RUN(test_segments_cross_link);
	RUN(test_workers_parallel);
})
