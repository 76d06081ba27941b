/* ss7fw — the event loop: epoll, and a table from fd to callback.
 *
 * The table is indexed by the fd number, grows on demand and is bounded by
 * LOOP_MAX_FD: an fd at or above it is refused (EMFILE), so nothing here is
 * sized from anything a peer controls.
 *
 * Each registration gets a generation number, carried in the epoll event.
 * A callback may delete (and close) any fd, including one whose event is
 * still pending in the same epoll_wait batch, and a new socket may reuse
 * the number at once: the stale event no longer matches the generation of
 * the table entry and is skipped, so it never reaches the new owner. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ss7fw/loop.h"

#define LOOP_MAX_FD      65536   /* highest fd number + 1 the loop accepts */
#define LOOP_MAX_EVENTS  64      /* events taken from one epoll_wait */

struct loop_entry {
	loop_cb cb;            /* NULL: slot free */
	void *arg;
	uint32_t gen;          /* generation of the registration */
};

struct loop {
	int epfd;
	struct loop_entry *tab;
	size_t cap;            /* entries in tab */
	uint32_t next_gen;
};

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
	l->next_gen = 1;
	return l;
}

/* Frees the loop; the fds still registered are not closed (their owners do). */
void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l->tab);
	free(l);
}

static int loop_grow(struct loop *l, int fd)
{
	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if ((size_t)fd < l->cap)
		return 0;
	if (fd >= LOOP_MAX_FD) {
		errno = EMFILE;
		return -1;
	}
	size_t cap = l->cap ? l->cap : 64;
	while (cap <= (size_t)fd)
		cap *= 2;
	if (cap > LOOP_MAX_FD)
		cap = LOOP_MAX_FD;
	struct loop_entry *t = realloc(l->tab, cap * sizeof *t);
	if (!t)
		return -1;
	memset(t + l->cap, 0, (cap - l->cap) * sizeof *t);
	l->tab = t;
	l->cap = cap;
	return 0;
}

static uint64_t loop_key(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

/* Returns 0, or -1 with errno (EEXIST if fd is already watched, EMFILE if
 * fd >= LOOP_MAX_FD, or epoll_ctl's). */
int loop_add(struct loop *l, int fd, uint32_t events, loop_cb cb, void *arg)
{
	if (!cb) {
		errno = EINVAL;
		return -1;
	}
	if (loop_grow(l, fd) < 0)
		return -1;
	struct loop_entry *e = &l->tab[fd];
	if (e->cb) {
		errno = EEXIST;
		return -1;
	}
	uint32_t gen = l->next_gen++;
	if (l->next_gen == 0)
		l->next_gen = 1;
	struct epoll_event ev = { .events = events, .data.u64 = loop_key(fd, gen) };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	e->cb = cb;
	e->arg = arg;
	e->gen = gen;
	return 0;
}

/* Changes the events watched on a registered fd; -1 with ENOENT if none. */
int loop_mod(struct loop *l, int fd, uint32_t events)
{
	if (fd < 0 || (size_t)fd >= l->cap || !l->tab[fd].cb) {
		errno = ENOENT;
		return -1;
	}
	struct epoll_event ev = { .events = events, .data.u64 = loop_key(fd, l->tab[fd].gen) };
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev);
}

/* Stops watching fd (call it before close). Unknown fds are ignored. Events
 * of fd already taken from epoll in this turn are not delivered. */
void loop_del(struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->cap || !l->tab[fd].cb)
		return;
	(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	l->tab[fd].cb = NULL;
	l->tab[fd].arg = NULL;
	l->tab[fd].gen = 0;
}

/* Waits up to timeout_ms (-1: forever) and calls the callbacks of the ready
 * fds, at most LOOP_MAX_EVENTS per call. Returns the callbacks made (0 on
 * timeout or when a signal interrupted the wait), or -1 on epoll error. */
int loop_run_once(struct loop *l, int timeout_ms)
{
	struct epoll_event evs[LOOP_MAX_EVENTS];
	int n = epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	int done = 0;
	for (int i = 0; i < n; i++) {
		int fd = (int)(uint32_t)evs[i].data.u64;
		uint32_t gen = (uint32_t)(evs[i].data.u64 >> 32);
		if (fd < 0 || (size_t)fd >= l->cap)
			continue;
		struct loop_entry *e = &l->tab[fd];
		if (!e->cb || e->gen != gen)
			continue;            /* deleted (or replaced) earlier in this turn */
		e->cb(l, fd, evs[i].events, e->arg);
		done++;
	}
	return done;
}

uint64_t loop_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
