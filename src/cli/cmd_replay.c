/* ss7fw replay [-c CONFIG] [--stats] FILE...
 *
 * Reads pcap/pcapng captures (src/ops/capture.c), screens every M3UA message
 * with the engine exactly as the relay would, and prints the MSU record
 * (event-schema.md) of each on stdout, one line per message. With -c, the
 * configuration's links name the traffic (and set its direction) and its
 * policy decides; without, every message is "in" on a link named after its
 * addresses and the engine's empty policy allows it. Memory stays flat: one
 * scratch struct msu and one fixed output buffer serve every message.
 * Exit: 0, 1 on a configuration or capture error, 2 on usage. */
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

struct replay {
	struct engine *e;
	struct msu m;
	char line[REPLAY_LINE_MAX];
	char link_name[2 * (INET6_ADDRSTRLEN + 8) + 2];
	uint64_t n_msgs, n_too_long;
};

/* "ip:port", IPv6 in brackets. */
static size_t fmt_addr(char *out, size_t cap, const struct sockaddr *sa)
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
		size_t n = fmt_addr(r->link_name, sizeof r->link_name, src);
		r->link_name[n++] = '>';
		fmt_addr(r->link_name + n, sizeof r->link_name - n, dst);
		meta.link_name = r->link_name;
	}
	struct fw_decision d;
	engine_screen(r->e, msg, len, &meta, &r->m, &d);
	size_t n = event_json(r->line, sizeof r->line, &r->m, &meta, &d);
	r->n_msgs++;
	if (!n) {
		r->n_too_long++;
		return;
	}
	fwrite(r->line, 1, n, stdout);
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
	fflush(stdout);
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
