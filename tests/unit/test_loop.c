/* Event loop: dispatch, modify, delete during a turn, fd reuse, bounds. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/loop.h"

struct rec {
	int calls;
	int fd;
	uint32_t events;
	struct rec *victim;    /* if set: delete and close victim->fd in the callback */
	struct loop *l;
};

static void rec_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct rec *r = arg;
	(void)l;
	r->calls++;
	r->fd = fd;
	r->events = events;
	if (r->victim && r->victim->fd >= 0) {
		loop_del(r->l, r->victim->fd);
		close(r->victim->fd);
		r->victim->fd = -1;
	}
	char buf[16];
	if (events & EPOLLIN)
		while (read(fd, buf, sizeof buf) > 0)
			;
}

static void test_dispatch_and_mod(void)
{
	struct loop *l = loop_new();
	CHECK(l != NULL);
	int p[2];
	CHECK_INT(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	struct rec r = { .fd = -1 };
	CHECK_INT(loop_add(l, p[0], EPOLLIN, rec_cb, &r), 0);
	CHECK_INT(loop_add(l, p[0], EPOLLIN, rec_cb, &r), -1);
	CHECK_INT(errno, EEXIST);
	uint64_t t0 = loop_now_ms();
	CHECK_INT(loop_run_once(l, 30), 0);           /* nothing readable: timeout */
	uint64_t t1 = loop_now_ms();
	CHECK(t1 >= t0 + 25 && t1 < t0 + 2000);
	CHECK_INT(r.calls, 0);
	CHECK_INT(write(p[1], "x", 1), 1);
	CHECK_INT(loop_run_once(l, 1000), 1);
	CHECK_INT(r.calls, 1);
	CHECK_INT(r.fd, p[0]);
	CHECK(r.events & EPOLLIN);
	/* the write end: EPOLLOUT once modified to it */
	struct rec w = { .fd = -1 };
	CHECK_INT(loop_add(l, p[1], 0, rec_cb, &w), 0);
	CHECK_INT(loop_run_once(l, 0), 0);
	CHECK_INT(loop_mod(l, p[1], EPOLLOUT), 0);
	CHECK_INT(loop_run_once(l, 1000), 1);
	CHECK_INT(w.calls, 1);
	CHECK_INT(w.events, EPOLLOUT);
	CHECK_INT(loop_mod(l, 999, EPOLLIN), -1);
	CHECK_INT(errno, ENOENT);
	loop_del(l, p[1]);
	loop_del(l, p[1]);                            /* twice: harmless */
	CHECK_INT(loop_run_once(l, 0), 0);
	CHECK_INT(w.calls, 1);
	loop_del(l, p[0]);
	close(p[0]);
	close(p[1]);
	loop_free(l);
}

/* Two readable fds in one turn; the first callback deletes and closes the
 * other and a new pipe takes its number: the stale event is not delivered
 * to the new owner, and the deleted one is not called. */
static void test_delete_during_turn(void)
{
	struct loop *l = loop_new();
	int a[2], b[2];
	CHECK_INT(pipe2(a, O_NONBLOCK), 0);
	CHECK_INT(pipe2(b, O_NONBLOCK), 0);
	struct rec ra = { .fd = a[0] }, rb = { .fd = b[0] };
	ra.victim = &rb; ra.l = l;
	rb.victim = &ra; rb.l = l;
	CHECK_INT(loop_add(l, a[0], EPOLLIN, rec_cb, &ra), 0);
	CHECK_INT(loop_add(l, b[0], EPOLLIN, rec_cb, &rb), 0);
	CHECK_INT(write(a[1], "x", 1), 1);
	CHECK_INT(write(b[1], "x", 1), 1);
	CHECK_INT(loop_run_once(l, 1000), 1);         /* exactly one callback ran */
	CHECK_INT(ra.calls + rb.calls, 1);
	/* whichever survived is still served */
	struct rec *alive = ra.calls ? &ra : &rb;
	int wfd = ra.calls ? a[1] : b[1];
	int rfd = alive->fd;
	CHECK_INT(write(wfd, "y", 1), 1);
	alive->victim = NULL;
	CHECK_INT(loop_run_once(l, 1000), 1);
	CHECK_INT(alive->calls, 2);
	loop_del(l, rfd);
	close(rfd);
	close(a[1]);
	close(b[1]);
	loop_free(l);
}

static int reuse_calls_new;
static void reuse_new_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	(void)l; (void)fd; (void)events; (void)arg;
	reuse_calls_new++;
}

struct reuse_ctx {
	struct loop *l;
	int victim_fd;
	int new_fd;
	int new_w;
	int calls;
};

static void reuse_cb(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct reuse_ctx *c = arg;
	(void)events;
	c->calls++;
	char buf[8];
	while (read(fd, buf, sizeof buf) > 0)
		;
	if (c->victim_fd < 0)
		return;
	loop_del(l, c->victim_fd);
	close(c->victim_fd);
	int p[2];
	if (pipe2(p, O_NONBLOCK) < 0)
		return;
	/* the lowest free number is the one just closed */
	c->new_fd = p[0];
	c->new_w = p[1];
	loop_add(l, p[0], EPOLLIN, reuse_new_cb, NULL);
	c->victim_fd = -1;
}

static void test_fd_reuse_in_turn(void)
{
	struct loop *l = loop_new();
	int a[2], b[2];
	CHECK_INT(pipe2(a, O_NONBLOCK), 0);
	CHECK_INT(pipe2(b, O_NONBLOCK), 0);
	/* a[0] < b[0]; epoll returns ready fds in readiness order: make a ready
	 * first so its callback runs before b's stale event is looked at. */
	struct reuse_ctx c = { .l = l, .victim_fd = b[0], .new_fd = -1, .new_w = -1 };
	CHECK_INT(loop_add(l, a[0], EPOLLIN, reuse_cb, &c), 0);
	CHECK_INT(loop_add(l, b[0], EPOLLIN, reuse_new_cb, NULL), 0);
	CHECK_INT(write(a[1], "x", 1), 1);
	CHECK_INT(write(b[1], "x", 1), 1);
	int n = loop_run_once(l, 1000);
	/* epoll's ready list is FIFO: a's callback runs first */
	CHECK_INT(c.calls, 1);
	CHECK_INT(n, 1);
	CHECK_INT(c.new_fd, b[0]);                    /* the number was reused */
	CHECK_INT(reuse_calls_new, 0);                /* stale event not delivered */
	CHECK_INT(write(c.new_w, "n", 1), 1);
	CHECK_INT(loop_run_once(l, 1000), 1);         /* the new owner is served */
	CHECK_INT(reuse_calls_new, 1);
	if (c.new_fd >= 0) {
		loop_del(l, c.new_fd);
		close(c.new_fd);
		close(c.new_w);
	}
	loop_del(l, a[0]);
	close(a[0]);
	close(a[1]);
	close(b[1]);
	loop_free(l);
}

static void test_bounds(void)
{
	struct loop *l = loop_new();
	CHECK_INT(loop_add(l, -1, EPOLLIN, reuse_new_cb, NULL), -1);
	CHECK_INT(errno, EBADF);
	CHECK_INT(loop_add(l, 70000, EPOLLIN, reuse_new_cb, NULL), -1);
	CHECK_INT(errno, EMFILE);
	CHECK_INT(loop_add(l, 0, EPOLLIN, NULL, NULL), -1);
	CHECK_INT(errno, EINVAL);
	/* a high fd number inside the bound grows the table */
	int p[2];
	CHECK_INT(pipe2(p, O_NONBLOCK), 0);
	int hi = fcntl(p[0], F_DUPFD_CLOEXEC, 900);
	CHECK(hi >= 900);
	struct rec r = { .fd = -1 };
	CHECK_INT(loop_add(l, hi, EPOLLIN, rec_cb, &r), 0);
	CHECK_INT(write(p[1], "z", 1), 1);
	CHECK_INT(loop_run_once(l, 1000), 1);
	CHECK_INT(r.fd, hi);
	loop_del(l, hi);
	close(hi);
	close(p[0]);
	close(p[1]);
	uint64_t a = loop_now_ms(), b = loop_now_ms();
	CHECK(b >= a);
	loop_free(l);
}

TEST_MAIN("test_loop", {
	RUN(test_dispatch_and_mod);
	RUN(test_delete_during_turn);
	RUN(test_fd_reuse_in_turn);
	RUN(test_bounds);
})
