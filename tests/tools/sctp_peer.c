/* sctp_peer — an M3UA test peer over real SCTP (lksctp), for the VM test.
 *
 *   sctp_peer server -l ADDR:PORT [options]
 *   sctp_peer client -c ADDR:PORT [-b ADDR:PORT] [options]
 *
 * Exchange mode (default). Each side sends ASPUP on stream 0, then N DATA
 * messages (PPID 3) spread over streams 1..S-1; message k goes on stream
 * 1 + k % (S-1) and its bytes are a pure function of (sender id, k, S): an
 * ISUP MSU (SI 5, passed by a firewall's default policy) whose user data
 * carries the sender id, k and pseudo-random filler of a length that varies
 * with k. The receiver rebuilds each expected message and checks it is
 * byte-identical, came on its stream with PPID 3, in order within its
 * stream, once; and that the peer's first message was its ASPUP.
 *
 * ASP mode (-a). A client that brings an ASP up against a real SG (osmo-stp):
 * sends ASPUP, waits for ASPUP_ACK, sends ASPAC (traffic mode override,
 * routing context -R if given), waits for ASPAC_ACK. NTFY and other
 * management messages are accepted along the way.
 *
 * Link loss: SCTP_ASSOC_CHANGE COMM_LOST/SHUTDOWN_COMP, SCTP_SHUTDOWN_EVENT,
 * a receive of 0 or ECONNRESET are reported as "LINK-LOST <why>". With -H
 * the peer holds the association after its work until the link is lost or
 * the time limit; -L says the loss is expected (exit 0 only if it happens).
 *
 * Options:
 *   -n N    DATA messages to send (default 100)      -r N  to expect (default N)
 *   -s S    streams (default 8; DATA on 1..S-1)      -t SEC time limit (default 30)
 *   -m ID   my id 0..255 (client 1, server 2)        -p ID peer's id (the other)
 *   -d MS   wait MS after the association is up before sending
 *   -W      send only after the peer's first message arrived
 *   -H      hold the association after the work      -L link loss is expected
 *   -o FILE record every received message: "stream ppid len hex"
 *   -a      ASP mode (client)                        -R RC routing context for ASPAC
 *   -f FILE script mode: after ASPUP send the messages of FILE instead of
 *           generated DATA, one per line "STREAM HEX" (an M3UA message), or
 *           "sleep MS" to pause; -n is the number of lines
 *   -x      accept any DATA (count and record it, do not check its bytes)
 *   -q      quiet
 *
 * Exit: 0 when every check passed, 1 when one failed, 2 on usage or setup
 * errors. The last line is a summary "sctp_peer[NAME]: ...". */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PEER_MAX_MSG     65536
#define PEER_MAX_STREAMS 64
#define PEER_MAX_N       1000000
#define M3UA_PPID        3

/* M3UA (RFC 4666 §3.1.2, §3.8) classes and types used here. */
enum { M3UA_CLS_MGMT = 0, M3UA_CLS_XFER = 1, M3UA_CLS_ASPSM = 3, M3UA_CLS_ASPTM = 4 };
enum { M3UA_ASPSM_UP = 1, M3UA_ASPSM_UP_ACK = 4 };
enum { M3UA_ASPTM_ACTIVE = 1, M3UA_ASPTM_ACTIVE_ACK = 3 };
enum { M3UA_XFER_DATA = 1 };
#define M3UA_IEI_ROUTE_CTX   0x0006
#define M3UA_IEI_TRAF_MODE   0x000b
#define M3UA_IEI_PROT_DATA   0x0210

struct opts {
	bool server, asp, hold, expect_loss, wait_first, quiet, any;
	const char *listen_at, *connect_to, *bind_to, *record, *script;
	unsigned n, r, streams, me, peer, delay_ms, timeout_s;
	long rc;                     /* routing context, -1: none */
};

static struct opts o;
static const char *self = "sctp_peer";
static volatile sig_atomic_t got_term;

static void on_term(int sig) { (void)sig; got_term = 1; }

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	if (o.quiet)
		return;
	va_start(ap, fmt);
	printf("%s: ", self);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* M3UA common header: version 1, reserved, class, type, length. */
static size_t m3ua_hdr(uint8_t *b, uint8_t cls, uint8_t type, size_t len)
{
	b[0] = 1; b[1] = 0; b[2] = cls; b[3] = type;
	put32(b + 4, (uint32_t)len);
	return 8;
}

static unsigned data_stream(unsigned k) { return 1 + k % (o.streams - 1); }

/* The k-th DATA message of sender id: an ISUP MSU in a Protocol Data
 * parameter. Returns its length (a multiple of 4). */
static size_t build_data(uint8_t *b, unsigned id, unsigned k)
{
	size_t ulen = 8 + (k * 37u) % 241u;          /* 8..248 bytes of user data */
	size_t plen = 4 + 12 + ulen;                 /* parameter length, unpadded */
	size_t total = 8 + ((plen + 3) & ~(size_t)3);
	uint8_t *p = b + 8, *u;
	uint32_t x = 0x9e3779b9u ^ (id << 24) ^ k;

	memset(b, 0, total);
	m3ua_hdr(b, M3UA_CLS_XFER, M3UA_XFER_DATA, total);
	put16(p, M3UA_IEI_PROT_DATA);
	put16(p + 2, (uint16_t)plen);
	put32(p + 4, 100 + id);                      /* OPC */
	put32(p + 8, 200 + id);                      /* DPC */
	p[12] = 5;                                   /* SI: ISUP */
	p[13] = 2;                                   /* NI: national */
	p[14] = 0;                                   /* MP */
	p[15] = (uint8_t)(k & 0x0f);                 /* SLS */
	u = p + 16;
	u[0] = (uint8_t)id;
	put32(u + 1, k);
	for (size_t i = 5; i < ulen; i++) {
		x = x * 1664525u + 1013904223u;
		u[i] = (uint8_t)(x >> 24);
	}
	return total;
}

static size_t build_aspup(uint8_t *b) { return m3ua_hdr(b, M3UA_CLS_ASPSM, M3UA_ASPSM_UP, 8); }

static size_t build_aspac(uint8_t *b)
{
	size_t len = 8 + 8 + (o.rc >= 0 ? 8 : 0);
	m3ua_hdr(b, M3UA_CLS_ASPTM, M3UA_ASPTM_ACTIVE, len);
	put16(b + 8, M3UA_IEI_TRAF_MODE); put16(b + 10, 8); put32(b + 12, 1); /* override */
	if (o.rc >= 0) {
		put16(b + 16, M3UA_IEI_ROUTE_CTX); put16(b + 18, 8); put32(b + 20, (uint32_t)o.rc);
	}
	return len;
}

static int parse_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[256];
	const char *colon = strrchr(s, ':');
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }, *ai;

	if (!colon || (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (host[0] == '[') {             /* [v6]:port */
		size_t l = strlen(host);
		if (l < 2 || host[l - 1] != ']')
			return -1;
		memmove(host, host + 1, l - 2);
		host[l - 2] = '\0';
	}
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int sctp_socket(int family)
{
	struct sctp_initmsg init = { .sinit_num_ostreams = (uint16_t)o.streams,
				     .sinit_max_instreams = PEER_MAX_STREAMS };
	struct sctp_event_subscribe ev = { .sctp_data_io_event = 1, .sctp_association_event = 1,
					   .sctp_shutdown_event = 1 };
	int one = 1;
	int fd = socket(family, SOCK_STREAM, IPPROTO_SCTP);

	if (fd < 0) {
		say("socket(IPPROTO_SCTP): %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof init) < 0 ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev) < 0 ||
	    setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
		say("setsockopt: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* The association: accepted (server) or connected, retried until the time
 * limit (client: the far end may not listen yet). Returns the fd or -1. */
static int associate(double deadline)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	if (o.server) {
		int lfd;
		if (parse_addr(o.listen_at, &ss, &sl) < 0) {
			say("bad address %s", o.listen_at);
			return -1;
		}
		lfd = sctp_socket(ss.ss_family);
		if (lfd < 0)
			return -1;
		if (bind(lfd, (struct sockaddr *)&ss, sl) < 0 || listen(lfd, 4) < 0) {
			say("bind/listen %s: %s", o.listen_at, strerror(errno));
			close(lfd);
			return -1;
		}
		say("listening on %s", o.listen_at);
		for (;;) {
			struct pollfd pfd = { .fd = lfd, .events = POLLIN };
			int left = (int)((deadline - now_s()) * 1000);
			if (left <= 0 || got_term) {
				say("no association accepted in time");
				close(lfd);
				return -1;
			}
			if (poll(&pfd, 1, left > 200 ? 200 : left) > 0)
				break;
		}
		fd = accept(lfd, NULL, NULL);
		close(lfd);
		if (fd < 0)
			say("accept: %s", strerror(errno));
		return fd;
	}
	if (parse_addr(o.connect_to, &ss, &sl) < 0) {
		say("bad address %s", o.connect_to);
		return -1;
	}
	for (;;) {
		fd = sctp_socket(ss.ss_family);
		if (fd < 0)
			return -1;
		if (o.bind_to) {
			struct sockaddr_storage bs;
			socklen_t bl;
			if (parse_addr(o.bind_to, &bs, &bl) < 0 || bind(fd, (struct sockaddr *)&bs, bl) < 0) {
				say("bind %s: %s", o.bind_to, strerror(errno));
				close(fd);
				return -1;
			}
		}
		if (connect(fd, (struct sockaddr *)&ss, sl) == 0)
			return fd;
		close(fd);
		if (now_s() >= deadline || got_term) {
			say("connect %s: %s (gave up)", o.connect_to, strerror(errno));
			return -1;
		}
		usleep(100 * 1000);
	}
}

struct rx_state {
	unsigned got_data, bad, dup, order, got_first, other;
	bool first_seen, lost;
	uint8_t *seen;                 /* per k */
	unsigned next_k[PEER_MAX_STREAMS];
	FILE *rec;
	/* ASP mode */
	bool up_ack, ac_ack;
};

static void record(struct rx_state *st, uint16_t stream, uint32_t ppid, const uint8_t *b, size_t len)
{
	if (!st->rec)
		return;
	fprintf(st->rec, "%u %u %zu ", stream, ppid, len);
	for (size_t i = 0; i < len; i++)
		fprintf(st->rec, "%02x", b[i]);
	fputc('\n', st->rec);
	fflush(st->rec);   /* a test script reads it while the peer holds on */
}

static void bad(struct rx_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct rx_state *st, const char *fmt, ...)
{
	va_list ap;
	st->bad++;
	if (st->bad > 20)
		return;
	va_start(ap, fmt);
	printf("%s: BAD ", self);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
}

/* Check one received message against what the peer must have sent. */
static void check_msg(struct rx_state *st, uint16_t stream, uint32_t ppid, const uint8_t *b, size_t len)
{
	static uint8_t want[PEER_MAX_MSG];

	record(st, stream, ppid, b, len);
	if (ppid != M3UA_PPID)
		bad(st, "PPID %u, expected 3 (stream %u, %zu bytes)", ppid, stream, len);
	if (len < 8 || b[0] != 1 || get32(b + 4) != len) {
		bad(st, "not an M3UA message (%zu bytes on stream %u)", len, stream);
		return;
	}
	if (o.asp) {
		if (b[2] == M3UA_CLS_ASPSM && b[3] == M3UA_ASPSM_UP_ACK) {
			say("rx ASPUP_ACK on stream %u", stream);
			st->up_ack = true;
		} else if (b[2] == M3UA_CLS_ASPTM && b[3] == M3UA_ASPTM_ACTIVE_ACK) {
			say("rx ASPAC_ACK on stream %u", stream);
			st->ac_ack = true;
		} else {
			say("rx M3UA class %u type %u (%zu bytes) on stream %u", b[2], b[3], len, stream);
			st->other++;
		}
		return;
	}
	if (!st->first_seen) {
		st->first_seen = true;
		if (b[2] == M3UA_CLS_ASPSM && b[3] == M3UA_ASPSM_UP && len == 8 && stream == 0)
			st->got_first = 1;
		else
			bad(st, "first message is class %u type %u on stream %u, expected ASPUP on 0",
			    b[2], b[3], stream);
		if (st->got_first)
			return;
	}
	if (b[2] != M3UA_CLS_XFER || b[3] != M3UA_XFER_DATA) {
		bad(st, "unexpected M3UA class %u type %u on stream %u", b[2], b[3], stream);
		return;
	}
	if (o.any) {
		st->got_data++;
		return;
	}
	if (len < 8 + 16 + 5) {
		bad(st, "DATA too short (%zu bytes)", len);
		return;
	}
	unsigned id = b[8 + 16], k = get32(b + 8 + 16 + 1);
	if (id != o.peer || k >= o.r) {
		bad(st, "DATA from id %u seq %u, expected id %u seq < %u", id, k, o.peer, o.r);
		return;
	}
	size_t wl = build_data(want, o.peer, k);
	if (wl != len || memcmp(want, b, len) != 0) {
		bad(st, "DATA seq %u differs from what was sent (%zu bytes, sent %zu)", k, len, wl);
		return;
	}
	if (stream != data_stream(k)) {
		bad(st, "DATA seq %u on stream %u, sent on %u", k, stream, data_stream(k));
		return;
	}
	if (st->seen[k]) {
		st->dup++;
		bad(st, "DATA seq %u received twice", k);
		return;
	}
	st->seen[k] = 1;
	if (k != st->next_k[stream]) {
		st->order++;
		bad(st, "stream %u: seq %u arrived, expected %u next", stream, k, st->next_k[stream]);
	}
	st->next_k[stream] = k + (o.streams - 1);
	st->got_data++;
}

/* Receive what is there. Returns -1 when the link is lost (st->lost set). */
static int rx_some(int fd, struct rx_state *st, uint8_t *buf, size_t *have)
{
	for (;;) {
		struct sctp_sndrcvinfo sinfo;
		int flags = 0;
		ssize_t n;

		memset(&sinfo, 0, sizeof sinfo);
		n = sctp_recvmsg(fd, buf + *have, PEER_MAX_MSG - *have, NULL, NULL, &sinfo, &flags);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			say("LINK-LOST recv: %s", strerror(errno));
			st->lost = true;
			return -1;
		}
		if (n == 0) {
			say("LINK-LOST recv returned 0 (peer closed)");
			st->lost = true;
			return -1;
		}
		if (flags & MSG_NOTIFICATION) {
			const union sctp_notification *sn = (const void *)buf;
			*have = 0;
			if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
				unsigned state = sn->sn_assoc_change.sac_state;
				if (state == SCTP_COMM_LOST || state == SCTP_SHUTDOWN_COMP ||
				    state == SCTP_CANT_STR_ASSOC) {
					say("LINK-LOST SCTP_ASSOC_CHANGE %s",
					    state == SCTP_COMM_LOST ? "COMM_LOST" :
					    state == SCTP_SHUTDOWN_COMP ? "SHUTDOWN_COMP" : "CANT_STR_ASSOC");
					st->lost = true;
					return -1;
				}
				if (state == SCTP_COMM_UP)
					say("association up: %u in, %u out streams",
					    sn->sn_assoc_change.sac_inbound_streams,
					    sn->sn_assoc_change.sac_outbound_streams);
			} else if (sn->sn_header.sn_type == SCTP_SHUTDOWN_EVENT) {
				say("LINK-LOST SCTP_SHUTDOWN_EVENT");
				st->lost = true;
				return -1;
			}
			continue;
		}
		*have += (size_t)n;
		if (!(flags & MSG_EOR)) {
			if (*have >= PEER_MAX_MSG) {
				bad(st, "message larger than %d bytes", PEER_MAX_MSG);
				*have = 0;
			}
			continue;
		}
		check_msg(st, sinfo.sinfo_stream, ntohl(sinfo.sinfo_ppid), buf, *have);
		*have = 0;
	}
}

/* Send one message; 1 sent, 0 would block, -1 error. */
static int tx(int fd, const uint8_t *b, size_t len, uint16_t stream)
{
	ssize_t n = sctp_sendmsg(fd, b, len, NULL, 0, htonl(M3UA_PPID), 0, stream, 0, 0);
	if (n == (ssize_t)len)
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOMEM))
		return 0;
	say("LINK-LOST send: %s", n < 0 ? strerror(errno) : "short write");
	return -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sctp_peer server -l ADDR:PORT [options]\n"
		"       sctp_peer client -c ADDR:PORT [-b ADDR:PORT] [options]\n"
		"options: -n N -r N -s S -m ID -p ID -d MS -W -H -L -t SEC -o FILE -a -R RC -q\n");
	exit(2);
}

/* Script mode (-f): the lines of the file, parsed once. */
struct sline {
	uint16_t stream;
	unsigned sleep_ms;           /* > 0: a pause, no message */
	size_t len;
	uint8_t *b;
};
static struct sline *script;
static unsigned n_script;

static int load_script(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	static char line[2 * PEER_MAX_MSG + 64];
	unsigned cap = 0;
	while (fgets(line, sizeof line, f)) {
		if (n_script == cap) {
			cap = cap ? 2 * cap : 64;
			struct sline *n = realloc(script, cap * sizeof *n);
			if (!n) { fclose(f); return -1; }
			script = n;
		}
		struct sline *l = &script[n_script];
		memset(l, 0, sizeof *l);
		unsigned v;
		char *hex = NULL;
		if (sscanf(line, "sleep %u", &v) == 1) {
			l->sleep_ms = v ? v : 1;
		} else {
			char *sp = strchr(line, ' ');
			if (!sp) { fclose(f); return -1; }
			l->stream = (uint16_t)strtoul(line, NULL, 10);
			hex = sp + 1;
			size_t hl = strcspn(hex, "\r\n");
			l->len = hl / 2;
			l->b = malloc(l->len ? l->len : 1);
			if (!l->b || l->len > PEER_MAX_MSG) { fclose(f); return -1; }
			for (size_t i = 0; i < l->len; i++) {
				unsigned x;
				if (sscanf(hex + 2 * i, "%2x", &x) != 1) { fclose(f); return -1; }
				l->b[i] = (uint8_t)x;
			}
		}
		n_script++;
	}
	fclose(f);
	return 0;
}

static unsigned num(const char *s, unsigned lo, unsigned hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		usage();
	return (unsigned)v;
}

int main(int argc, char **argv)
{
	static uint8_t rbuf[PEER_MAX_MSG], tbuf[PEER_MAX_MSG];
	struct rx_state st;
	bool r_set = false, me_set = false, peer_set = false, announced = false;
	unsigned sent = 0, step = 0;
	size_t have = 0;
	double t0, deadline, send_at;
	int c, fd, rc;

	if (argc < 2)
		usage();
	o = (struct opts){ .n = 100, .streams = 8, .timeout_s = 30, .rc = -1 };
	if (strcmp(argv[1], "server") == 0)
		o.server = true;
	else if (strcmp(argv[1], "client") != 0)
		usage();
	optind = 2;
	while ((c = getopt(argc, argv, "l:c:b:n:r:s:m:p:d:t:o:R:f:aWHLqx")) != -1) {
		switch (c) {
		case 'l': o.listen_at = optarg; break;
		case 'c': o.connect_to = optarg; break;
		case 'b': o.bind_to = optarg; break;
		case 'n': o.n = num(optarg, 0, PEER_MAX_N); break;
		case 'r': o.r = num(optarg, 0, PEER_MAX_N); r_set = true; break;
		case 's': o.streams = num(optarg, 2, PEER_MAX_STREAMS); break;
		case 'm': o.me = num(optarg, 0, 255); me_set = true; break;
		case 'p': o.peer = num(optarg, 0, 255); peer_set = true; break;
		case 'd': o.delay_ms = num(optarg, 0, 600000); break;
		case 't': o.timeout_s = num(optarg, 1, 3600); break;
		case 'o': o.record = optarg; break;
		case 'R': o.rc = (long)num(optarg, 0, 0xffffffffu); break;
		case 'a': o.asp = true; break;
		case 'W': o.wait_first = true; break;
		case 'H': o.hold = true; break;
		case 'L': o.expect_loss = true; o.hold = true; break;
		case 'q': o.quiet = true; break;
		case 'f': o.script = optarg; break;
		case 'x': o.any = true; break;
		default: usage();
		}
	}
	if (optind != argc || (o.server ? !o.listen_at : !o.connect_to) || (o.asp && o.server))
		usage();
	if (o.script) {
		if (load_script(o.script) < 0) {
			fprintf(stderr, "sctp_peer: cannot read the script %s\n", o.script);
			return 2;
		}
		o.n = n_script;
	}
	if (!r_set)
		o.r = o.n;
	if (!me_set)
		o.me = o.server ? 2 : 1;
	if (!peer_set)
		o.peer = o.server ? 1 : 2;
	self = o.asp ? "sctp_peer[asp]" : o.server ? "sctp_peer[server]" : "sctp_peer[client]";
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&st, 0, sizeof st);
	st.seen = calloc(o.r ? o.r : 1, 1);
	if (!st.seen)
		return 2;
	for (unsigned s = 1; s < o.streams; s++)
		st.next_k[s] = s - 1;
	if (o.record && !(st.rec = fopen(o.record, "w"))) {
		say("cannot write %s: %s", o.record, strerror(errno));
		return 2;
	}

	t0 = now_s();
	deadline = t0 + o.timeout_s;
	fd = associate(deadline);
	if (fd < 0) {
		printf("%s: no association\n", self);
		return 2;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	say("associated (%s %s)", o.server ? "accepted on" : "connected to",
	    o.server ? o.listen_at : o.connect_to);
	send_at = now_s() + o.delay_ms / 1000.0;

	/* step (ASP mode): 0 send ASPUP, 1 wait UP_ACK, 2 send ASPAC, 3 wait AC_ACK, 4 done.
	 * Exchange mode: sent counts ASPUP as message 0, then DATA 0..n-1. */
	for (;;) {
		bool tx_done, rx_done, can_send;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double t = now_s();
		int left;

		if (o.asp) {
			tx_done = step >= 4;
			rx_done = tx_done;
		} else {
			tx_done = sent >= o.n + 1;
			rx_done = st.got_data + st.bad >= o.r && (st.first_seen || o.r == 0);
		}
		if (tx_done && rx_done && !announced) {
			/* a test script waits for this line before it breaks the link */
			announced = true;
			if (o.hold)
				printf("%s: work done %s, holding the association\n", self,
				       st.bad == 0 && (o.asp ? st.ac_ack : st.got_data == o.r) ? "OK" : "with ERRORS");
		}
		if (tx_done && rx_done && !o.hold)
			break;
		if (got_term) {
			say("stopped by a signal");
			break;
		}
		if (t >= deadline) {
			if (!(tx_done && rx_done))
				say("time limit: sent %u of %u, received %u of %u DATA", sent ? sent - 1 : 0, o.n, st.got_data, o.r);
			break;
		}
		can_send = t >= send_at && (!o.wait_first || st.first_seen || st.up_ack) &&
			   (!o.asp || step == 0 || step == 2);     /* ASP: not while awaiting an ack */
		if (!tx_done && can_send)
			pfd.events |= POLLOUT;
		left = (int)((deadline - t) * 1000) + 1;
		if (!tx_done && !can_send)
			left = 20;
		if (left > 200)
			left = 200;
		if (poll(&pfd, 1, left) < 0 && errno != EINTR)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			if (rx_some(fd, &st, rbuf, &have) < 0)
				break;
		}
		if (pfd.revents & POLLOUT) {
			while (1) {
				size_t len;
				uint16_t stream;
				if (o.asp) {
					if (step == 0) { len = build_aspup(tbuf); stream = 0; }
					else if (step == 2) { len = build_aspac(tbuf); stream = 1 % o.streams; }
					else break;
				} else {
					if (sent >= o.n + 1)
						break;
					if (sent == 0) { len = build_aspup(tbuf); stream = 0; }
					else if (o.script) {
						const struct sline *l = &script[sent - 1];
						if (l->sleep_ms) {
							send_at = now_s() + l->sleep_ms / 1000.0;
							sent++;
							break;
						}
						len = l->len;
						memcpy(tbuf, l->b, len);
						stream = l->stream;
					}
					else { len = build_data(tbuf, o.me, sent - 1); stream = (uint16_t)data_stream(sent - 1); }
				}
				rc = tx(fd, tbuf, len, stream);
				if (rc < 0) { st.lost = true; break; }
				if (rc == 0) break;
				if (o.asp) { say("tx %s", step == 0 ? "ASPUP" : "ASPAC"); step++; }
				else sent++;
			}
			if (st.lost)
				break;
		}
		if (o.asp) {
			if (step == 1 && st.up_ack) step = 2;
			if (step == 3 && st.ac_ack) step = 4;
		}
	}

	bool ok;
	if (o.asp) {
		ok = st.up_ack && st.ac_ack && st.bad == 0;
		printf("%s: ASPUP_ACK %s, ASPAC_ACK %s, %u other, %u bad%s\n", self,
		       st.up_ack ? "received" : "MISSING", st.ac_ack ? "received" : "MISSING",
		       st.other, st.bad, st.lost ? ", link lost" : "");
	} else {
		ok = st.bad == 0 && st.got_data == o.r && sent == o.n + 1 && (st.got_first || o.r == 0);
		printf("%s: sent %u DATA on %u streams, received %u/%u DATA ok, %u bad (%u out of order, %u dup)%s\n",
		       self, sent ? sent - 1 : 0, o.streams - 1, st.got_data, o.r, st.bad, st.order, st.dup,
		       st.lost ? ", link lost" : "");
	}
	if (o.expect_loss) {
		printf("%s: link loss %s\n", self, st.lost ? "seen, as expected" : "NOT seen");
		ok = ok && st.lost;
	} else if (st.lost && o.hold) {
		ok = false;                  /* held, and lost while it should have stayed */
	}                                    /* else: a loss after all the work is the peer closing */
	printf("%s: %s in %.2fs\n", self, ok ? "OK" : "FAILED", now_s() - t0);
	if (st.rec)
		fclose(st.rec);
	close(fd);
	free(st.seen);
	return ok ? 0 : 1;
}
