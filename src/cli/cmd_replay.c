/* ss7fw replay [-c CONFIG] [--stats] FILE...
 *
 * Reads pcap/pcapng captures (src/ops/capture.c), screens every M3UA message
 * with the engine exactly as the relay would, and prints the MSU record
 * (event-schema.md) of each on stdout, one line per message. With -c, the
 * configuration's links name the traffic (and set its direction) and its
 * policy decides; without, every message is "in" on a link named after its
 * addresses and the engine's empty policy allows it. Memory stays flat: one
 * scratch struct msu and one fixed output buffer serve every message.
 * Output: records are written straight into a batch buffer and leave with
 * one fwrite per REPLAY_BATCH bytes, not one per record; the link name
 * of a message is formatted again only when its addresses change.
 * Exit: 0, 1 on a configuration, capture or output error, 2 on usage. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ss7fw/capture.h"
#include "ss7fw/cmd.h"
#include "ss7fw/engine.h"
#include "ss7fw/event.h"

#define REPLAY_LINE_MAX 16384
#define REPLAY_BATCH (256 * 1024)
#define REPLAY_NAMES 8                   /* address pairs whose names are kept */

struct replay {
	struct engine *e;
	struct msu m;
	size_t out_len;                  /* bytes of records in out, not yet written */
	bool out_err;                    /* a write to stdout failed: stop writing */
	struct name_cache {              /* link names of recent address pairs */
		struct sockaddr_storage src, dst;
		char name[2 * (INET6_ADDRSTRLEN + 8) + 2];
	} names[REPLAY_NAMES];
	unsigned names_next;             /* the entry replaced next (round robin) */
	uint64_t n_msgs, n_too_long;
	char out[REPLAY_BATCH];
};

/* Write the batch to stdout. */
static void out_flush(struct replay *r)
{
	if (r->out_len && !r->out_err && fwrite(r->out, 1, r->out_len, stdout) != r->out_len)
		r->out_err = true;
	r->out_len = 0;
}

static socklen_t sa_len(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
	       sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : 0;
}

/* Same family, address and port as the cached one. */
static bool sa_same(const struct sockaddr *a, const struct sockaddr_storage *cached)
{
	socklen_t n = sa_len(a);
	if (!n || a->sa_family != cached->ss_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)cached;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)cached;
	return x->sin6_port == y->sin6_port &&
	       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof x->sin6_addr) == 0;
}

static void sa_keep(struct sockaddr_storage *cached, const struct sockaddr *a)
{
	memset(cached, 0, sizeof *cached);
	socklen_t n = sa_len(a);
	if (n)
		memcpy(cached, a, n);
}

/* "ip:port", IPv6 in brackets (how replay and learn name a link the
 * configuration does not). */
size_t cmd_fmt_addr(char *out, size_t cap, const struct sockaddr *sa)
{
	char ip[INET6_ADDRSTRLEN];
	int n;
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
		n = snprintf(out, cap, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
		n = snprintf(out, cap, "%s:%u", ip, ntohs(s4->sin_port));
	}
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

/* "src>dst", formatted once per address pair while it stays among the
 * REPLAY_NAMES most recently formatted pairs. */
static const char *link_name(struct replay *r, const struct sockaddr *src,
			     const struct sockaddr *dst)
{
	for (unsigned i = 0; i < REPLAY_NAMES; i++)
		if (sa_same(src, &r->names[i].src) && sa_same(dst, &r->names[i].dst))
			return r->names[i].name;
	struct name_cache *c = &r->names[r->names_next];
	r->names_next = (r->names_next + 1) % REPLAY_NAMES;
	size_t n = cmd_fmt_addr(c->name, sizeof c->name, src);
	c->name[n++] = '>';
	cmd_fmt_addr(c->name + n, sizeof c->name - n, dst);
	sa_keep(&c->src, src);
	sa_keep(&c->dst, dst);
	return c->name;
}

static void on_msg(void *arg, const uint8_t *msg, size_t len, const struct sockaddr *src,
		   const struct sockaddr *dst, uint16_t stream, const struct timespec *ts,
		   uint64_t frame)
{
	struct replay *r = arg;
	struct msu_meta meta = { .ts = *ts, .frame = frame, .stream = stream, .dir = FW_DIR_IN };
	uint8_t dir = FW_DIR_IN;
	meta.link = engine_link_lookup(r->e, src, dst, &dir);
	if (meta.link >= 0) {
		const struct link_cfg *l = engine_link(r->e, meta.link);
		meta.link_name = l ? l->name : "";
		meta.dir = dir;
	} else {
		meta.link_name = link_name(r, src, dst);
	}
	struct fw_decision d;
	engine_screen(r->e, msg, len, &meta, &r->m, &d);
	/* the record goes straight into the batch; a line never exceeds
	 * REPLAY_LINE_MAX (with its NUL), whatever room the batch has left */
	if (sizeof r->out - r->out_len < REPLAY_LINE_MAX)
		out_flush(r);
	size_t n = event_json(r->out + r->out_len, REPLAY_LINE_MAX, &r->m, &meta, &d);
	r->n_msgs++;
	if (!n) {
		r->n_too_long++;
		return;
	}
	r->out_len += n;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ss7fw replay [-c CONFIG] [--stats] FILE...\n");
}

/* Every port of the configured endpoints carries M3UA (over TCP too). */
static void add_ports(struct capture *c, const struct engine *e)
{
	for (int i = 0; i < engine_n_links(e); i++) {
		const struct link_cfg *l = engine_link(e, i);
		if (!l)
			continue;
		const struct endpoint_cfg *eps[2] = { &l->carrier, &l->core };
		for (int j = 0; j < 2; j++) {
			const struct endpoint_cfg *ep = eps[j];
			for (unsigned k = 0; k < ep->n_local + ep->n_remote && k < 2 * CFG_MAX_ADDRS; k++) {
				const struct sockaddr_storage *ss = k < ep->n_local ? &ep->local[k] :
								    &ep->remote[k - ep->n_local];
				uint16_t port = 0;
				if (ss->ss_family == AF_INET)
					port = ntohs(((const struct sockaddr_in *)ss)->sin_port);
				else if (ss->ss_family == AF_INET6)
					port = ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
				if (port)
					capture_add_port(c, port);
			}
		}
	}
}

int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	bool stats = false;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c':
			config = optarg;
			break;
		case 's':
			stats = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	struct replay *r = calloc(1, sizeof *r);
	struct capture *c = capture_new();
	if (!r || !c) {
		fprintf(stderr, "ss7fw replay: out of memory\n");
		free(r);
		capture_free(c);
		return 1;
	}
	r->e = engine_new();
	if (!r->e) {
		fprintf(stderr, "ss7fw replay: out of memory\n");
		free(r);
		capture_free(c);
		return 1;
	}
	int rc = 0;
	if (config) {
		if (engine_load(r->e, config, stderr) != 0) {
			rc = 1;
			goto out;
		}
		add_ports(c, r->e);
	}
	for (int i = optind; i < argc; i++) {
		char err[512];
		if (capture_file(c, argv[i], on_msg, r, err, sizeof err) != 0) {
			fprintf(stderr, "ss7fw replay: %s\n", err);
			rc = 1;
		}
	}
	out_flush(r);
	if (fflush(stdout) != 0 || r->out_err) {
		fprintf(stderr, "ss7fw replay: error writing the records to stdout\n");
		rc = 1;
	}
	if (r->n_too_long)
		fprintf(stderr, "ss7fw replay: %llu records longer than %d bytes not printed\n",
			(unsigned long long)r->n_too_long, REPLAY_LINE_MAX);
	if (stats) {
		capture_stats_print(c, stderr);
		engine_stats_print(r->e, stderr);
	}
out:
	engine_free(r->e);
	capture_free(c);
	free(r);
	return rc;
}
