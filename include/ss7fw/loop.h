/* ss7fw — the event loop (epoll): one loop serves every association pair,
 * the metrics endpoint and signals, so messages on one stream keep their
 * order and reloads happen between two messages. */
#ifndef SS7FW_LOOP_H
#define SS7FW_LOOP_H

#include <stdint.h>
#include <sys/epoll.h>

struct loop;
typedef void (*loop_cb)(struct loop *l, int fd, uint32_t events, void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *l);
/* Watch fd for events (EPOLLIN, EPOLLOUT, ...); cb is called with them. */
int loop_add(struct loop *l, int fd, uint32_t events, loop_cb cb, void *arg);
int loop_mod(struct loop *l, int fd, uint32_t events);
void loop_del(struct loop *l, int fd);
/* Wait up to timeout_ms (-1: forever) and dispatch; returns events handled or -1. */
int loop_run_once(struct loop *l, int timeout_ms);
/* Monotonic milliseconds. */
uint64_t loop_now_ms(void);

#endif
