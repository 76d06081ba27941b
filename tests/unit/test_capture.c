/* Capture reader: every link type, pcap and pcapng, multi-chunk SCTP, TCP
 * reassembly (split messages, several per segment, retransmissions, gaps),
 * IP fragments, truncated frames counted and never read past. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "enc/enc-frame.h"
#include "ss7fw/capture.h"

#define REC_MAX 128

struct rec_msg {
	uint8_t b[300];
	size_t len;
	uint16_t stream;
	uint64_t frame;
	struct timespec ts;
	char src[64], dst[64];
};

struct rec {
	int n;
	struct rec_msg m[REC_MAX];
};

static void addr_str(char *out, size_t cap, const struct sockaddr *sa)
{
	char ip[INET6_ADDRSTRLEN];
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof ip);
		snprintf(out, cap, "[%s]:%u", ip, ntohs(s->sin6_port));
	} else {
		const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof ip);
		snprintf(out, cap, "%s:%u", ip, ntohs(s->sin_port));
	}
}

static void on_msg(void *arg, const uint8_t *msg, size_t len, const struct sockaddr *src,
		   const struct sockaddr *dst, uint16_t stream, const struct timespec *ts,
		   uint64_t frame)
{
	struct rec *r = arg;
	if (r->n >= REC_MAX)
		return;
	struct rec_msg *m = &r->m[r->n++];
	m->len = len;
	memcpy(m->b, msg, len < sizeof m->b ? len : sizeof m->b);
	m->stream = stream;
	m->frame = frame;
	m->ts = *ts;
	addr_str(m->src, sizeof m->src, src);
	addr_str(m->dst, sizeof m->dst, dst);
}

/* A fake M3UA message of len octets (>= 8): header with the length, then a
 * pattern derived from tag. */
static size_t fake_m3ua(uint8_t *out, size_t len, uint8_t tag)
{
	out[0] = 1; out[1] = 0; out[2] = 1; out[3] = 1;
	out[4] = (uint8_t)(len >> 24); out[5] = (uint8_t)(len >> 16);
	out[6] = (uint8_t)(len >> 8); out[7] = (uint8_t)len;
	for (size_t i = 8; i < len; i++)
		out[i] = (uint8_t)(tag + i);
	return len;
}

static struct enc_flow flow4(uint8_t link)
{
	struct enc_flow f = { .link = link, .sport = 2905, .dport = 2905 };
	uint8_t s[4] = { 10, 1, 0, 1 }, d[4] = { 10, 2, 0, 1 };
	memcpy(f.src, s, 4);
	memcpy(f.dst, d, 4);
	return f;
}

static struct enc_flow flow6(uint8_t link)
{
	struct enc_flow f = { .link = link, .ipv6 = true, .sport = 40000, .dport = 2905 };
	inet_pton(AF_INET6, "fd00::1", f.src);
	inet_pton(AF_INET6, "fd00::2:1", f.dst);
	return f;
}

static char tmp_path[64];

static FILE *tmp_open(void)
{
	snprintf(tmp_path, sizeof tmp_path, "/tmp/test_capture_%d.pcap", (int)getpid());
	return fopen(tmp_path, "wb");
}

/* One frame with two M3UA DATA chunks and a SACK, for every link type, IPv4
 * and IPv6, pcap and pcapng. */
static void test_link_types(void)
{
	static const uint8_t links[] = { ENC_LINK_ETH, ENC_LINK_ETH_VLAN, ENC_LINK_SLL,
					 ENC_LINK_SLL2, ENC_LINK_RAW, ENC_LINK_IPV4, ENC_LINK_IPV6 };
	uint8_t m1[40], m2[64], frame[512];
	fake_m3ua(m1, sizeof m1, 1);
	fake_m3ua(m2, sizeof m2, 2);
	static const uint8_t sack[12] = { 0 };
	for (unsigned li = 0; li < sizeof links; li++) {
		for (int v6 = 0; v6 < 2; v6++) {
			if ((links[li] == ENC_LINK_IPV4 && v6) || (links[li] == ENC_LINK_IPV6 && !v6))
				continue;
			for (int ng = 0; ng < 2; ng++) {
				struct enc_flow f = v6 ? flow6(links[li]) : flow4(links[li]);
				struct enc_chunk ch[3] = {
					{ .type = 0, .stream = 3, .ppid = 3, .data = m1, .len = sizeof m1 },
					{ .type = 3, .data = sack, .len = sizeof sack },
					{ .type = 0, .stream = 7, .ppid = 3, .data = m2, .len = sizeof m2 },
				};
				uint32_t tsn = 100;
				size_t n = enc_frame_sctp(frame, sizeof frame, &f, 0x11223344, &tsn, ch, 3);
				CHECK(n > 0);
				FILE *fp = tmp_open();
				CHECK(fp != NULL);
				if (!fp)
					return;
				if (ng) {
					enc_pcapng_header(fp, enc_link_type(links[li]));
					enc_pcapng_record(fp, 1795593600ull * 1000000 + 250000, frame, n, n);
					enc_pcapng_record(fp, 1795593601ull * 1000000, frame, n, n);
				} else {
					enc_pcap_header(fp, enc_link_type(links[li]), 65535);
					enc_pcap_record(fp, 1795593600u, 250000, frame, n, n);
					enc_pcap_record(fp, 1795593601u, 0, frame, n, n);
				}
				fclose(fp);
				struct capture *c = capture_new();
				static struct rec r;
				memset(&r, 0, sizeof r);
				char err[256] = "";
				CHECK_INT(capture_file(c, tmp_path, on_msg, &r, err, sizeof err), 0);
				if (r.n != 4)
					fprintf(stderr, "link %u v6 %d pcapng %d: %d messages (%s)\n",
						links[li], v6, ng, r.n, err);
				CHECK_INT(r.n, 4);
				CHECK_INT(capture_stats(c)->packets, 2);
				CHECK_INT(capture_stats(c)->messages, 4);
				CHECK_INT(capture_stats(c)->sctp_chunks, 6);
				CHECK_INT(capture_stats(c)->truncated, 0);
				CHECK_INT(r.m[0].len, sizeof m1);
				CHECK_MEM(r.m[0].b, m1, sizeof m1);
				CHECK_INT(r.m[0].stream, 3);
				CHECK_INT(r.m[0].frame, 1);
				CHECK_INT(r.m[0].ts.tv_sec, 1795593600);
				CHECK_INT(r.m[0].ts.tv_nsec, 250000000);
				CHECK_INT(r.m[1].len, sizeof m2);
				CHECK_MEM(r.m[1].b, m2, sizeof m2);
				CHECK_INT(r.m[1].stream, 7);
				CHECK_INT(r.m[3].frame, 2);
				CHECK_INT(r.m[3].ts.tv_sec, 1795593601);
				CHECK_STR(r.m[0].src, v6 ? "[fd00::1]:40000" : "10.1.0.1:2905");
				CHECK_STR(r.m[0].dst, v6 ? "[fd00::2:1]:2905" : "10.2.0.1:2905");
				capture_free(c);
				unlink(tmp_path);
			}
		}
	}
}

/* PPID / port selection, fragmented DATA, IP fragments, UDP, non-IP. */
static void test_sctp_selection(void)
{
	uint8_t m[32], frame[512];
	fake_m3ua(m, sizeof m, 9);
	struct capture *c = capture_new();
	static struct rec r;
	memset(&r, 0, sizeof r);
	struct timespec ts = { 1, 0 };
	uint32_t tsn = 1;
	/* PPID 0 on port 2905: M3UA by port */
	struct enc_flow f = flow4(ENC_LINK_ETH);
	struct enc_chunk ch = { .type = 0, .stream = 1, .ppid = 0, .data = m, .len = sizeof m };
	size_t n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 1, on_msg, &r);
	CHECK_INT(r.n, 1);
	/* PPID 46 (Diameter) on other ports: not M3UA */
	f.sport = 3868;
	f.dport = 3868;
	ch.ppid = 46;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 2, on_msg, &r);
	CHECK_INT(r.n, 1);
	CHECK_INT(capture_stats(c)->sctp_non_m3ua, 1);
	/* PPID 3 on other ports: M3UA by PPID */
	ch.ppid = 3;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 3, on_msg, &r);
	CHECK_INT(r.n, 2);
	/* a port added (as from the config's links) with PPID 0 */
	ch.ppid = 0;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 4, on_msg, &r);
	CHECK_INT(r.n, 2);
	CHECK_INT(capture_add_port(c, 3868), 0);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 5, on_msg, &r);
	CHECK_INT(r.n, 3);
	/* fragmented DATA (B only, then E only): counted, skipped */
	f = flow4(ENC_LINK_ETH);
	ch.ppid = 3;
	ch.flags = 0x02;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 6, on_msg, &r);
	ch.flags = 0x01;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 7, on_msg, &r);
	CHECK_INT(r.n, 3);
	CHECK_INT(capture_stats(c)->sctp_fragments, 2);
	/* IPv4 and IPv6 fragments */
	ch.flags = 0;
	f.ip_fragment = true;
	n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 8, on_msg, &r);
	struct enc_flow f6 = flow6(ENC_LINK_ETH);
	f6.ip_fragment = true;
	n = enc_frame_sctp(frame, sizeof frame, &f6, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 9, on_msg, &r);
	CHECK_INT(capture_stats(c)->ip_fragments, 2);
	CHECK_INT(r.n, 3);
	/* IPv6 with a hop-by-hop header before SCTP: decoded */
	f6.ip_fragment = false;
	f6.ipv6_ext = true;
	n = enc_frame_sctp(frame, sizeof frame, &f6, 1, &tsn, &ch, 1);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 10, on_msg, &r);
	CHECK_INT(r.n, 4);
	CHECK_STR(r.m[3].dst, "[fd00::2:1]:2905");
	/* UDP and ARP */
	n = enc_frame_udp(frame, sizeof frame, &f6, m, sizeof m);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 11, on_msg, &r);
	CHECK_INT(capture_stats(c)->other_ip, 1);
	static const uint8_t arp[42] = { [12] = 0x08, [13] = 0x06 };
	capture_packet(c, CAPTURE_DLT_EN10MB, arp, sizeof arp, sizeof arp, &ts, 12, on_msg, &r);
	CHECK_INT(capture_stats(c)->not_ip, 1);
	/* unknown link type */
	capture_packet(c, 147, arp, sizeof arp, sizeof arp, &ts, 13, on_msg, &r);
	CHECK_INT(capture_stats(c)->unsupported_link, 1);
	CHECK_INT(r.n, 4);
	CHECK_INT(capture_stats(c)->packets, 13);
	capture_free(c);
}

/* Every prefix of a frame: nothing read past the capture, truncation counted,
 * only whole chunks delivered. Run under ASan this is the bounds test. */
static void test_truncated(void)
{
	uint8_t m1[40], m2[100], frame[512];
	fake_m3ua(m1, sizeof m1, 3);
	fake_m3ua(m2, sizeof m2, 4);
	static const uint8_t links[] = { ENC_LINK_ETH_VLAN, ENC_LINK_SLL2, ENC_LINK_RAW };
	for (unsigned li = 0; li < sizeof links; li++) {
		for (int v6 = 0; v6 < 2; v6++) {
			struct enc_flow f = v6 ? flow6(links[li]) : flow4(links[li]);
			f.ipv6_ext = v6;
			struct enc_chunk ch[2] = {
				{ .type = 0, .stream = 1, .ppid = 3, .data = m1, .len = sizeof m1 },
				{ .type = 0, .stream = 2, .ppid = 3, .data = m2, .len = sizeof m2 },
			};
			uint32_t tsn = 1;
			size_t n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, ch, 2);
			int dlt = links[li] == ENC_LINK_ETH_VLAN ? CAPTURE_DLT_EN10MB :
				  links[li] == ENC_LINK_SLL2 ? CAPTURE_DLT_LINUX_SLL2 : CAPTURE_DLT_RAW;
			struct capture *c = capture_new();
			struct timespec ts = { 0, 0 };
			for (size_t cut = 0; cut <= n; cut++) {
				static struct rec r;
				r.n = 0;
				uint8_t *copy = malloc(cut ? cut : 1);   /* exact size: ASan sees overreads */
				memcpy(copy, frame, cut);
				uint64_t t0 = capture_stats(c)->truncated;
				capture_packet(c, dlt, copy, cut, n, &ts, 1, on_msg, &r);
				free(copy);
				int want = cut == n ? 2 : cut >= n - sizeof m2 - 16 ? 1 : 0;
				CHECK_INT(r.n, want);
				CHECK_INT(capture_stats(c)->truncated - t0, cut < n ? 1 : 0);
				if (r.n >= 1)
					CHECK_MEM(r.m[0].b, m1, sizeof m1);
			}
			capture_free(c);
		}
	}
	/* a chunk length of 0 or past the end is counted, no loop */
	uint8_t bad[64];
	struct enc_flow f = flow4(ENC_LINK_RAW);
	uint32_t tsn = 1;
	struct enc_chunk ch = { .type = 0, .ppid = 3, .data = m1, .len = sizeof m1 };
	size_t n = enc_frame_sctp(frame, sizeof frame, &f, 1, &tsn, &ch, 1);
	memcpy(bad, frame, 32);
	bad[20 + 12 + 2] = 0;
	bad[20 + 12 + 3] = 0;
	struct capture *c = capture_new();
	static struct rec r;
	r.n = 0;
	struct timespec ts = { 0, 0 };
	capture_packet(c, CAPTURE_DLT_RAW, bad, 32 + 4, n, &ts, 1, on_msg, &r);
	CHECK_INT(r.n, 0);
	CHECK_INT(capture_stats(c)->truncated, 1);
	capture_free(c);
}

/* TCP: messages split across segments and several per segment, a
 * retransmission, a gap (flow reset, resync on the next message start), a
 * bad M3UA length (framing error). */
static void test_tcp(void)
{
	uint8_t stream[1200], frame[2048];
	size_t off[8], len[8] = { 60, 200, 28, 36, 100, 44, 52, 64 }, total = 0;
	for (int i = 0; i < 8; i++) {
		off[i] = total;
		total += fake_m3ua(stream + total, len[i], (uint8_t)(16 * i));
	}
	struct enc_flow f = flow6(ENC_LINK_SLL);
	struct capture *c = capture_new();
	static struct rec r;
	memset(&r, 0, sizeof r);
	struct timespec ts = { 5, 0 };
	uint32_t isn = 0xfffffff0u;   /* sequence numbers wrap inside the stream */
	size_t n;
#define SEG(from, to, fr) do { \
	n = enc_frame_tcp(frame, sizeof frame, &f, isn + 1 + (uint32_t)(from), 1, 0x18, \
			  stream + (from), (size_t)((to) - (from))); \
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, fr, on_msg, &r); \
} while (0)
	n = enc_frame_tcp(frame, sizeof frame, &f, isn, 0, 0x02, NULL, 0);   /* SYN */
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 1, on_msg, &r);
	SEG(0, 30, 2);                       /* half of message 0 */
	CHECK_INT(r.n, 0);
	SEG(30, off[2] + 10, 3);             /* rest of 0, all of 1, start of 2 */
	CHECK_INT(r.n, 2);
	SEG(30, off[2] + 10, 4);             /* retransmission: ignored */
	CHECK_INT(r.n, 2);
	SEG(off[2], off[4] + 4, 5);          /* overlaps 10 bytes: 2, 3 complete */
	CHECK_INT(r.n, 4);
	SEG(off[5], off[6], 6);              /* gap (rest of 4 missing): reset, resync on 5 */
	CHECK_INT(r.n, 5);
	CHECK_INT(capture_stats(c)->tcp_gaps, 1);
	SEG(off[6], off[6] + 20, 7);
	SEG(off[6] + 20, total, 8);          /* 6 and 7 */
	CHECK_INT(r.n, 7);
	static const size_t want[7] = { 0, 1, 2, 3, 5, 6, 7 };
	for (int i = 0; i < 7 && i < r.n; i++) {
		CHECK_INT(r.m[i].len, len[want[i]]);
		CHECK_MEM(r.m[i].b, stream + off[want[i]], len[want[i]]);
		CHECK_INT(r.m[i].stream, 0);
	}
	CHECK_STR(r.m[0].src, "[fd00::1]:40000");
	CHECK_INT(r.m[1].frame, 3);
	CHECK_INT(r.m[6].frame, 8);
	/* a length below 8 in a synced stream: framing error, the flow desyncs */
	uint8_t bogus[16] = { 1, 0, 1, 1, 0, 0, 0, 4 };
	n = enc_frame_tcp(frame, sizeof frame, &f, isn + 1 + (uint32_t)total, 1, 0x18, bogus, 8);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 9, on_msg, &r);
	CHECK_INT(capture_stats(c)->tcp_framing, 1);
	CHECK_INT(r.n, 7);
	uint32_t seq2 = isn + 1 + (uint32_t)total + 8;
	n = enc_frame_tcp(frame, sizeof frame, &f, seq2, 1, 0x18, stream + 10, 20);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 10, on_msg, &r);
	CHECK_INT(r.n, 7);                   /* not at a message start: waits */
	n = enc_frame_tcp(frame, sizeof frame, &f, seq2 + 20, 1, 0x18, stream + off[3], len[3]);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 10, on_msg, &r);
	CHECK_INT(r.n, 8);                   /* resynchronised */
	/* joined mid-stream (no SYN), other direction: waits for a message start */
	struct enc_flow g = flow6(ENC_LINK_SLL);
	memcpy(g.src, f.dst, 16);
	memcpy(g.dst, f.src, 16);
	g.sport = 2905;
	g.dport = 40000;
	n = enc_frame_tcp(frame, sizeof frame, &g, 5000, 1, 0x18, stream + 10, 20);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 10, on_msg, &r);
	n = enc_frame_tcp(frame, sizeof frame, &g, 5020, 1, 0x18, stream + off[1], len[1] + len[2]);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 11, on_msg, &r);
	CHECK_INT(r.n, 10);
	if (r.n >= 10) {
		CHECK_MEM(r.m[9].b, stream + off[2], len[2]);
		CHECK_STR(r.m[9].src, "[fd00::2:1]:2905");
	}
	/* in sync, then a bad length: framing error */
	uint8_t two[16];
	fake_m3ua(two, 8, 0);
	memcpy(two + 8, bogus, 8);
	n = enc_frame_tcp(frame, sizeof frame, &g, 5020 + (uint32_t)(len[1] + len[2]), 1, 0x18, two, 16);
	capture_packet(c, CAPTURE_DLT_LINUX_SLL, frame, n, n, &ts, 12, on_msg, &r);
	CHECK_INT(r.n, 11);
	CHECK_INT(capture_stats(c)->tcp_framing, 2);
	/* TCP on a port that is not M3UA's */
	struct enc_flow h = flow4(ENC_LINK_ETH);
	h.sport = 80;
	h.dport = 8080;
	n = enc_frame_tcp(frame, sizeof frame, &h, 1, 1, 0x18, stream, 60);
	capture_packet(c, CAPTURE_DLT_EN10MB, frame, n, n, &ts, 13, on_msg, &r);
	CHECK_INT(r.n, 11);
	CHECK_INT(capture_stats(c)->other_ip, 1);
#undef SEG
	capture_free(c);
}

/* More flows than the table holds: the least recently used is evicted (its
 * partial message lost), the others complete. */
static void test_tcp_flow_table(void)
{
	uint8_t msg[100], frame[512];
	fake_m3ua(msg, sizeof msg, 7);
	struct capture *c = capture_new();
	static struct rec r;
	memset(&r, 0, sizeof r);
	struct timespec ts = { 0, 0 };
	int nf = CAPTURE_MAX_FLOWS + 4;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < nf; i++) {
			struct enc_flow f = flow4(ENC_LINK_RAW);
			f.sport = (uint16_t)(10000 + i);
			size_t from = pass ? 50 : 0, to = pass ? 100 : 50;
			size_t n = enc_frame_tcp(frame, sizeof frame, &f, 1000 + (uint32_t)from, 1, 0x18,
						 msg + from, to - from);
			capture_packet(c, CAPTURE_DLT_RAW, frame, n, n, &ts, 1, on_msg, &r);
		}
	}
	/* pass 1 evicted flows 0..3 to make room for 64..67; pass 2 then finds
	 * none of the first flows: each second half starts a flow without a
	 * message start (not synced), evicting the next, so nothing completes */
	CHECK_INT(capture_stats(c)->tcp_evicted, (uint64_t)(nf + 4));
	CHECK_INT(r.n, 0);
	capture_free(c);
	/* within the limit every flow completes */
	c = capture_new();
	memset(&r, 0, sizeof r);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < CAPTURE_MAX_FLOWS; i++) {
			struct enc_flow f = flow4(ENC_LINK_RAW);
			f.sport = (uint16_t)(10000 + i);
			size_t from = pass ? 50 : 0, to = pass ? 100 : 50;
			size_t n = enc_frame_tcp(frame, sizeof frame, &f, 1000 + (uint32_t)from, 1, 0x18,
						 msg + from, to - from);
			capture_packet(c, CAPTURE_DLT_RAW, frame, n, n, &ts, 1, on_msg, &r);
		}
	}
	CHECK_INT(r.n, CAPTURE_MAX_FLOWS);
	CHECK_INT(capture_stats(c)->tcp_evicted, 0);
	capture_free(c);
}

static void test_bad_files(void)
{
	struct capture *c = capture_new();
	static struct rec r;
	char err[256] = "";
	CHECK_INT(capture_file(c, "/nonexistent/x.pcap", on_msg, &r, err, sizeof err), -1);
	CHECK(strstr(err, "/nonexistent/x.pcap") != NULL);
	/* a record whose caplen runs past the end of the file */
	FILE *fp = tmp_open();
	enc_pcap_header(fp, 1, 65535);
	uint8_t junk[20] = { 0 };
	enc_pcap_record(fp, 1, 0, junk, sizeof junk, sizeof junk);
	uint32_t hdr[4] = { 2, 0, 5000, 5000 };
	fwrite(hdr, sizeof hdr, 1, fp);
	fwrite(junk, 1, 10, fp);
	fclose(fp);
	memset(&r, 0, sizeof r);
	err[0] = 0;
	CHECK_INT(capture_file(c, tmp_path, on_msg, &r, err, sizeof err), -1);
	CHECK(strstr(err, "frame 2") != NULL);
	CHECK_INT(r.n, 0);
	/* not a capture at all */
	fp = tmp_open();
	fputs("hello, this is not a pcap file\n", fp);
	fclose(fp);
	CHECK_INT(capture_file(c, tmp_path, on_msg, &r, err, sizeof err), -1);
	unlink(tmp_path);
	capture_free(c);
}

TEST_MAIN("test_capture", {
	RUN(test_link_types);
	RUN(test_sctp_selection);
	RUN(test_truncated);
	RUN(test_tcp);
	RUN(test_tcp_flow_table);
	RUN(test_bad_files);
})
