/* ss7sim — a carrier STP or core simulator: one M3UA peer over TCP (framed
 * by the M3UA length) or SCTP (one-to-one, PPID 3, stream ids kept).
 *
 *   ss7sim carrier|core --tcp|--sctp --listen|--connect ADDR:PORT
 *          [--asp] [--send N] [--mix legit|attack|mixed] [--rate R]
 *          [--record FILE] [--sent FILE] [--expect N] [--timeout S] [--linger MS]
 *
 * --asp     carrier: ASPUP -> ASPUP_ACK, ASPAC -> ASPAC_ACK, BEAT -> BEAT_ACK
 *           (retried every 500 ms until answered) before sending;
 *           core: answers ASPUP/ASPDN/ASPAC/ASPIA/BEAT whatever --asp says.
 * --send N  N DATA messages (MSUs built by enc_msu_build): legit SRI-SM and
 *           MT-FSM from partner-a's SMSC; attacks: ATI, SRI-SM from a foreign
 *           SMSC, SRI-SM with a spoofed SC address, UpdateLocation from abroad;
 *           mixed: every fourth one an attack. --rate R: per second (0: flat out).
 * --record FILE  every received message, one line: "STREAM HEX".
 * --sent FILE    every sent DATA message: "KIND STREAM HEX" (legit/attack).
 * --expect N     exit 0 once N DATA messages were received (else 1 at --timeout).
 * Without --expect: exit once sending is done and nothing came for --linger
 * ms (default 500), or when the peer closes. ADDR may be an IPv4 or IPv6
 * literal; several comma-separated addresses make an SCTP multi-homed
 * endpoint. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "enc/enc-msu.h"
#include "ss7fw/wire.h"

#define SIM_MAX_MSG 8192
#define SIM_RBUF    (1u << 20)
#define SIM_STREAMS 16

struct sim {
	bool core, sctp, listen, asp;
	struct sockaddr_storage addr[8];
	int naddr;
	long send_n;
	const char *mix;
	double rate;
	FILE *record, *sent;
	long expect;
	int timeout_s, linger_ms;
	int fd;
	uint8_t rbuf[SIM_RBUF];
	size_t rlen;
	long rx_data, rx_other, tx_data;
	int asp_state;            /* carrier: 0 send ASPUP, 1 wait ack, 2 ASPAC.., 4 BEAT.., 6 done */
	uint64_t asp_next;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int parse_addrs(struct sim *s, const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec);
	char *colon = strrchr(buf, ':');
	if (!colon)
		return -1;
	*colon = 0;
	int port = atoi(colon + 1);
	char *save = NULL;
	for (char *a = strtok_r(buf, ",", &save); a && s->naddr < 8; a = strtok_r(NULL, ",", &save)) {
		if (*a == '[') {
			a++;
			char *e = strchr(a, ']');
			if (e)
				*e = 0;
		}
		struct sockaddr_storage *ss = &s->addr[s->naddr];
		memset(ss, 0, sizeof *ss);
		struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET, a, &a4->sin_addr) == 1) {
			a4->sin_family = AF_INET;
			a4->sin_port = htons((uint16_t)port);
		} else if (inet_pton(AF_INET6, a, &a6->sin6_addr) == 1) {
			a6->sin6_family = AF_INET6;
			a6->sin6_port = htons((uint16_t)port);
		} else {
			return -1;
		}
		s->naddr++;
	}
	return s->naddr ? 0 : -1;
}

static socklen_t sa_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static int sock_new(const struct sim *s)
{
	int fd = socket(s->addr[0].ss_family, SOCK_STREAM | SOCK_CLOEXEC, s->sctp ? IPPROTO_SCTP : 0);
	if (fd < 0) {
		perror("ss7sim: socket");
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (s->sctp) {
		struct sctp_event_subscribe ev;
		memset(&ev, 0, sizeof ev);
		ev.sctp_data_io_event = 1;
		ev.sctp_association_event = 1;
		ev.sctp_shutdown_event = 1;
		setsockopt(fd, IPPROTO_SCTP, SCTP_EVENTS, &ev, sizeof ev);
		struct sctp_initmsg im = { .sinit_num_ostreams = SIM_STREAMS, .sinit_max_instreams = SIM_STREAMS };
		setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im);
		setsockopt(fd, IPPROTO_SCTP, SCTP_NODELAY, &one, sizeof one);
	}
	return fd;
}

static size_t pack(const struct sim *s, uint8_t *out, int from)
{
	size_t off = 0;
	for (int i = from; i < s->naddr; i++) {
		memcpy(out + off, &s->addr[i], sa_len(&s->addr[i]));
		off += sa_len(&s->addr[i]);
	}
	return off;
}

static int sim_open(struct sim *s)
{
	uint64_t end = now_ms() + (uint64_t)s->timeout_s * 1000;
	if (s->listen) {
		int lfd = sock_new(s);
		if (lfd < 0)
			return -1;
		if (bind(lfd, (struct sockaddr *)&s->addr[0], sa_len(&s->addr[0])) < 0) {
			perror("ss7sim: bind");
			return -1;
		}
		if (s->sctp && s->naddr > 1) {
			uint8_t p[8 * sizeof(struct sockaddr_in6)];
			pack(s, p, 1);
			if (sctp_bindx(lfd, (struct sockaddr *)p, s->naddr - 1, SCTP_BINDX_ADD_ADDR) < 0)
				perror("ss7sim: sctp_bindx");
		}
		if (listen(lfd, 4) < 0) {
			perror("ss7sim: listen");
			return -1;
		}
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		if (poll(&p, 1, s->timeout_s * 1000) != 1) {
			fprintf(stderr, "ss7sim: nobody connected\n");
			return -1;
		}
		s->fd = accept(lfd, NULL, NULL);
		close(lfd);
	} else {
		for (;;) {
			int fd = sock_new(s);
			if (fd < 0)
				return -1;
			int rc;
			if (s->sctp) {
				uint8_t p[8 * sizeof(struct sockaddr_in6)];
				pack(s, p, 0);
				rc = sctp_connectx(fd, (struct sockaddr *)p, s->naddr, NULL);
			} else {
				rc = connect(fd, (struct sockaddr *)&s->addr[0], sa_len(&s->addr[0]));
			}
			if (rc == 0) {
				s->fd = fd;
				break;
			}
			close(fd);
			if (now_ms() > end) {
				perror("ss7sim: connect");
				return -1;
			}
			struct timespec ts = { 0, 100 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	if (s->fd < 0)
		return -1;
	fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static void hex_line(FILE *f, const char *kind, unsigned stream, const uint8_t *p, size_t n)
{
	if (kind)
		fprintf(f, "%s ", kind);
	fprintf(f, "%u ", stream);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	fputc('\n', f);
}

/* Sends one message; blocks (poll) until the kernel takes it. Returns -1 on error. */
static int sim_send(struct sim *s, const uint8_t *p, size_t n, uint16_t stream)
{
	size_t off = 0;
	while (off < n) {
		ssize_t w;
		if (s->sctp)
			w = sctp_sendmsg(s->fd, p, n, NULL, 0, htonl(3), 0, stream, 0, 0);
		else
			w = send(s->fd, p + off, n - off, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			struct pollfd pf = { .fd = s->fd, .events = POLLOUT };
			poll(&pf, 1, 100);
			continue;
		}
		off = s->sctp ? n : off + (size_t)w;
	}
	return 0;
}

static size_t asp_msg(uint8_t *out, uint8_t cls, uint8_t type, const uint8_t *par, size_t plen)
{
	return enc_m3ua_msg(out, SIM_MAX_MSG, cls, type, par, plen);
}

/* A received message: record it, answer ASP management as the core would. */
static int sim_on_msg(struct sim *s, const uint8_t *p, size_t n, uint16_t stream)
{
	if (s->record)
		hex_line(s->record, NULL, stream, p, n);
	if (n < 8)
		return 0;
	uint8_t cls = p[2], type = p[3];
	if (cls == 1 && type == 1) {
		s->rx_data++;
		return 0;
	}
	s->rx_other++;
	uint8_t out[SIM_MAX_MSG];
	if (cls == 3) {           /* ASPSM */
		if (type == 3)    /* BEAT -> BEAT_ACK with the same data */
			return sim_send(s, out, asp_msg(out, 3, 6, p + 8, n - 8), stream);
		if (s->core && (type == 1 || type == 2))   /* ASPUP/ASPDN -> ACK */
			return sim_send(s, out, asp_msg(out, 3, (uint8_t)(type + 3), NULL, 0), 0);
		if (!s->core && type == 4 && s->asp_state == 1)
			s->asp_state = 2;
		if (!s->core && type == 6 && s->asp_state == 5)
			s->asp_state = 6;
	} else if (cls == 4) {    /* ASPTM */
		if (s->core && (type == 1 || type == 2))   /* ASPAC/ASPIA -> ACK */
			return sim_send(s, out, asp_msg(out, 4, (uint8_t)(type + 2), p + 8, n - 8), 0);
		if (!s->core && type == 3 && s->asp_state == 3)
			s->asp_state = 4;
	}
	return 0;
}

/* Reads what is there; returns -1 when the peer closed or failed. */
static int sim_read(struct sim *s)
{
	for (int i = 0; i < 256; i++) {
		if (s->sctp) {
			struct sctp_sndrcvinfo si;
			int flags = 0;
			memset(&si, 0, sizeof si);
			ssize_t n = sctp_recvmsg(s->fd, s->rbuf + s->rlen, SIM_RBUF - s->rlen, NULL, NULL, &si, &flags);
			if (n == 0)
				return -1;
			if (n < 0)
				return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
			if (flags & MSG_NOTIFICATION) {
				const union sctp_notification *sn = (const void *)(s->rbuf + s->rlen);
				if (sn->sn_header.sn_type == SCTP_SHUTDOWN_EVENT ||
				    (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
				     sn->sn_assoc_change.sac_state != SCTP_COMM_UP))
					return -1;
				continue;
			}
			s->rlen += (size_t)n;
			if (!(flags & MSG_EOR) && s->rlen < SIM_RBUF)
				continue;
			if (sim_on_msg(s, s->rbuf, s->rlen, si.sinfo_stream) < 0)
				return -1;
			s->rlen = 0;
			continue;
		}
		ssize_t n = recv(s->fd, s->rbuf + s->rlen, SIM_RBUF - s->rlen, 0);
		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		s->rlen += (size_t)n;
		size_t off = 0;
		while (s->rlen - off >= 8) {
			uint32_t l = m3ua_msg_len(s->rbuf + off, s->rlen - off);
			if (l < 8 || l > SIM_RBUF) {
				fprintf(stderr, "ss7sim: bad length %u from the peer\n", l);
				return -1;
			}
			if (s->rlen - off < l)
				break;
			if (sim_on_msg(s, s->rbuf + off, l, 0) < 0)
				return -1;
			off += l;
		}
		memmove(s->rbuf, s->rbuf + off, s->rlen - off);
		s->rlen -= off;
	}
	return 0;
}

/* The i-th MSU of the mix; *attack says which kind it is. */
static size_t build_msu(const struct sim *s, long i, uint8_t *out, bool *attack)
{
	struct enc_msu m;
	enc_msu_defaults(&m);
	m.otid = (uint32_t)(0x10000 + i);
	m.sls = (uint8_t)(i & 0x0f);
	bool att = !strcmp(s->mix, "attack") || (!strcmp(s->mix, "mixed") && i % 4 == 3);
	long v = i / (strcmp(s->mix, "mixed") ? 1 : 4);
	if (!att) {
		if (v % 2) {          /* MT-ForwardSM from partner-a's SMSC */
			m.opcode = 44;
			m.cdpa_gt = "999125500101";   /* home MSC */
		}
	} else {
		enc_msu_attack(&m, (unsigned)(v % ENC_MSU_ATTACKS));
	}
	if (s->core) {                /* answers and requests of the home network */
		m.opc = 2345;
		m.dpc = 1234;
	}
	*attack = att;
	return enc_msu_build(out, SIM_MAX_MSG, &m);
}

static void usage(void)
{
	fprintf(stderr, "usage: ss7sim carrier|core --tcp|--sctp --listen|--connect ADDR:PORT\n"
			"       [--asp] [--send N] [--mix legit|attack|mixed] [--rate R]\n"
			"       [--record FILE] [--sent FILE] [--expect N] [--timeout S] [--linger MS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct sim s;
	s.fd = -1;
	s.mix = "legit";
	s.timeout_s = 30;
	s.linger_ms = 500;
	s.expect = -1;
	const char *addr = NULL;
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "core"))
		s.core = true;
	else if (strcmp(argv[1], "carrier"))
		usage();
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;
		if (!strcmp(a, "--tcp")) s.sctp = false;
		else if (!strcmp(a, "--sctp")) s.sctp = true;
		else if (!strcmp(a, "--listen") && more) { s.listen = true; addr = argv[++i]; }
		else if (!strcmp(a, "--connect") && more) { s.listen = false; addr = argv[++i]; }
		else if (!strcmp(a, "--asp")) s.asp = true;
		else if (!strcmp(a, "--send") && more) s.send_n = atol(argv[++i]);
		else if (!strcmp(a, "--mix") && more) s.mix = argv[++i];
		else if (!strcmp(a, "--rate") && more) s.rate = atof(argv[++i]);
		else if (!strcmp(a, "--expect") && more) s.expect = atol(argv[++i]);
		else if (!strcmp(a, "--timeout") && more) s.timeout_s = atoi(argv[++i]);
		else if (!strcmp(a, "--linger") && more) s.linger_ms = atoi(argv[++i]);
		else if (!strcmp(a, "--record") && more) {
			if (!(s.record = fopen(argv[++i], "w"))) { perror(argv[i]); return 2; }
		} else if (!strcmp(a, "--sent") && more) {
			if (!(s.sent = fopen(argv[++i], "w"))) { perror(argv[i]); return 2; }
		} else usage();
	}
	if (!addr || parse_addrs(&s, addr) < 0)
		usage();
	if (strcmp(s.mix, "legit") && strcmp(s.mix, "attack") && strcmp(s.mix, "mixed"))
		usage();
	if (sim_open(&s) < 0)
		return 1;
	const char *me = s.core ? "core" : "carrier";
	uint64_t t0 = now_ms(), end = t0 + (uint64_t)s.timeout_s * 1000, last_rx = t0;
	bool asp_done = s.core || !s.asp, closed = false;
	int rc = 0;
	uint8_t m[SIM_MAX_MSG];
	while (now_ms() < end) {
		/* ASP bring-up (carrier): each request retried every 500 ms */
		if (!asp_done) {
			uint64_t t = now_ms();
			if ((s.asp_state % 2 == 0 || t >= s.asp_next) && s.asp_state < 6) {
				int step = s.asp_state / 2;
				size_t n = step == 0 ? asp_msg(m, 3, 1, NULL, 0) :
					   step == 1 ? asp_msg(m, 4, 1, NULL, 0) :
					   asp_msg(m, 3, 3, (const uint8_t *)"\x00\x09\x00\x08sim!", 8);
				if (sim_send(&s, m, n, 0) < 0) { closed = true; break; }
				s.asp_state |= 1;
				s.asp_next = t + 500;
			}
			if (s.asp_state == 6) {
				asp_done = true;
				fprintf(stderr, "ss7sim %s: ASP up and active\n", me);
			}
		}
		/* DATA, paced by --rate */
		if (asp_done && s.tx_data < s.send_n) {
			long due = s.send_n;
			if (s.rate > 0)
				due = (long)((double)(now_ms() - t0) * s.rate / 1000.0) + 1;
			for (int k = 0; k < 64 && s.tx_data < s.send_n && s.tx_data < due; k++) {
				bool att;
				size_t n = build_msu(&s, s.tx_data, m, &att);
				uint16_t stream = s.sctp ? (uint16_t)(1 + s.tx_data % (SIM_STREAMS - 1)) : 0;
				if (!n || sim_send(&s, m, n, stream) < 0) { closed = true; break; }
				if (s.sent)
					hex_line(s.sent, att ? "attack" : "legit", stream, m, n);
				s.tx_data++;
			}
			if (closed)
				break;
		}
		struct pollfd pf = { .fd = s.fd, .events = POLLIN };
		int pr = poll(&pf, 1, (asp_done && s.tx_data < s.send_n) ? 0 : 20);
		if (pr > 0) {
			if (sim_read(&s) < 0) { closed = true; break; }
			last_rx = now_ms();
		}
		if (s.expect >= 0 && s.rx_data >= s.expect)
			break;
		if (s.expect < 0 && asp_done && s.tx_data >= s.send_n &&
		    now_ms() - last_rx >= (uint64_t)s.linger_ms && s.send_n > 0)
			break;
	}
	if (s.expect >= 0 && s.rx_data < s.expect)
		rc = 1;
	if (!asp_done)
		rc = 1;
	fprintf(stderr, "ss7sim %s: sent %ld data, received %ld data and %ld other%s\n", me,
		s.tx_data, s.rx_data, s.rx_other, closed ? " (peer closed)" : "");
	if (s.record)
		fclose(s.record);
	if (s.sent)
		fclose(s.sent);
	if (s.fd >= 0) {
		shutdown(s.fd, SHUT_WR);
		close(s.fd);
	}
	return rc;
}
