/* bench_decode — decode throughput of the wire layer on a capture.
 *
 *   bench_decode [-r ROUNDS] FILE.pcap     time msu_decode over every M3UA
 *                                          message, ROUNDS times, on one core
 *   bench_decode --once FILE.pcap          decode each message once (for
 *                                          valgrind --tool=callgrind
 *                                          --toggle-collect=msu_decode)
 *
 * The messages are loaded into memory first, so the figures are the
 * decoder's alone (no file reading, no output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ss7fw/capture.h"
#include "ss7fw/wire.h"

struct corpus {
	uint8_t *arena;
	size_t used, cap;
	size_t *off, *len;
	size_t n, ncap;
};

static void add_msg(void *arg, const uint8_t *msg, size_t len, const struct sockaddr *src,
		    const struct sockaddr *dst, uint16_t stream, const struct timespec *ts,
		    uint64_t frame)
{
	(void)src; (void)dst; (void)stream; (void)ts; (void)frame;
	struct corpus *c = arg;
	if (c->used + len > c->cap) {
		c->cap = (c->cap + len) * 2;
		c->arena = realloc(c->arena, c->cap);
	}
	if (c->n == c->ncap) {
		c->ncap = c->ncap ? c->ncap * 2 : 1024;
		c->off = realloc(c->off, c->ncap * sizeof *c->off);
		c->len = realloc(c->len, c->ncap * sizeof *c->len);
	}
	if (!c->arena || !c->off || !c->len) {
		fprintf(stderr, "bench_decode: out of memory\n");
		exit(1);
	}
	memcpy(c->arena + c->used, msg, len);
	c->off[c->n] = c->used;
	c->len[c->n++] = len;
	c->used += len;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int rounds = 20, once = 0;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--once"))
			once = 1;
		else
			path = argv[i];
	}
	if (!path || rounds < 1) {
		fprintf(stderr, "usage: bench_decode [-r ROUNDS | --once] FILE.pcap\n");
		return 2;
	}
	struct corpus c = { 0 };
	struct capture *cap = capture_new();
	char err[256];
	if (!cap || capture_file(cap, path, add_msg, &c, err, sizeof err) < 0) {
		fprintf(stderr, "bench_decode: %s\n", cap ? err : "out of memory");
		return 1;
	}
	capture_free(cap);
	if (c.n == 0) {
		fprintf(stderr, "bench_decode: no M3UA messages in %s\n", path);
		return 1;
	}
	static struct msu m;
	unsigned long ok = 0, tcap = 0;
	if (once) {
		for (size_t i = 0; i < c.n; i++)
			ok += msu_decode(&m, c.arena + c.off[i], c.len[i]) == WIRE_OK;
		printf("decoded %zu messages once (%lu ok)\n", c.n, ok);
		return 0;
	}
	double t0 = now_s();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < c.n; i++) {
			ok += msu_decode(&m, c.arena + c.off[i], c.len[i]) == WIRE_OK;
			tcap += m.tcap.present;
		}
	double dt = now_s() - t0;
	double total = (double)c.n * rounds;
	printf("decode: %zu messages (%zu bytes, %.0f B avg), %d rounds: %.0f MSU/s, %.1f ns/MSU "
	       "(%.1f%% fully decoded, %.1f%% with TCAP)\n",
	       c.n, c.used, (double)c.used / (double)c.n, rounds, total / dt, dt * 1e9 / total,
	       100.0 * (double)ok / total, 100.0 * (double)tcap / total);
	free(c.arena);
	free(c.off);
	free(c.len);
	return 0;
}
