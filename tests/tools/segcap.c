/* segcap — the segmentation scenario of the integration tests: SCCP XUDT/LUDT
 * segments (Q.713 3.17) from a carrier, built by the test encoder.
 *
 *   segcap [-p FILE.pcap] [-s SEND] [-e EXPECT] [-g GAP_MS]
 *
 * -p: the scenario as a capture (Ethernet, IPv4 10.1.0.1 -> 10.2.0.1, SCTP
 *     port 2905, one DATA chunk per packet, 10 ms apart, GAP_MS before the
 *     segment that comes after T(reass)), for `ss7fw replay` and tshark.
 * -s: the same messages as an sctp_peer -f script ("STREAM HEX" lines, and
 *     "sleep GAP_MS" where the capture has its gap).
 * -e: what the core must receive through ss7fw (policy: default allow,
 *     malformed drop, a rule dropping calling GTs 44..., reasm_timeout below
 *     GAP_MS, reasm_max 4, reasm_bytes 4096), in sctp_peer -o format
 *     ("STREAM PPID LEN HEX"), in order.
 * GAP_MS defaults to 11000 (past the default T(reass) of 10 s).
 *
 * The messages, in order (stream = 1 + index % 7):
 *   A1 B1 B2 A2 B3 A3  two SRI-SM of 3 segments, OPC 1234 and 1235, same
 *                      calling GT and reference: B then A forwarded whole
 *   M1 M2              MT forward-SM from partner-a's AA.19 SMSC: forwarded
 *   F1 F2              MT forward-SM from 447700900123: dropped (rule)
 *   D1 D1 D2           a duplicated first segment: D1 D2 forwarded
 *   N1 N2              LUDT, 9 SRI-SM invokes, SSN 146: malformed, dropped
 *   O                  XUDT "first and only" segment: a whole, forwarded
 *   L1 L2 (gap) L3     L3 comes after T(reass): all dropped
 *   X1..X6             first segments that never finish (cut by reasm_max)
 *   Y1                 a large LUDT first segment (cuts by reasm_bytes)
 *   U                  a UDT SRI-SM: forwarded
 * Frame numbers in the capture are 1-based in this order. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enc/enc-frame.h"
#include "enc/enc-msu.h"

#define MAXM 64
#define MSG_MAX 8192

struct msg {
	uint8_t b[MSG_MAX];
	size_t len;
	bool fwd;                    /* the core receives it */
	int fwd_order;               /* its position in what the core receives */
	bool gap_before;
};

static struct msg msgs[MAXM];
static unsigned n_msgs;
static int next_fwd;

static struct msg *add(const uint8_t *b, size_t len)
{
	if (!len || n_msgs == MAXM) {
		fprintf(stderr, "segcap: message build failed\n");
		exit(1);
	}
	struct msg *m = &msgs[n_msgs++];
	memcpy(m->b, b, len);
	m->len = len;
	m->fwd_order = -1;
	return m;
}

static void fwd(struct msg *m) { m->fwd = true; m->fwd_order = next_fwd++; }

/* Segment i of s split into n, reference ref. */
static struct msg *seg(const struct enc_msu *s, unsigned n, unsigned i, uint32_t ref)
{
	static uint8_t b[16][MSG_MAX];
	size_t len[16];
	if (enc_msu_segments(&b[0][0], MSG_MAX, len, n, s, ref) != n)
		return add(b[0], 0);
	return add(b[i], len[i]);
}

int main(int argc, char **argv)
{
	const char *pcap = NULL, *send = NULL, *expect = NULL;
	unsigned gap_ms = 11000;
	int c;
	while ((c = getopt(argc, argv, "p:s:e:g:")) != -1) {
		switch (c) {
		case 'p': pcap = optarg; break;
		case 's': send = optarg; break;
		case 'e': expect = optarg; break;
		case 'g': gap_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: segcap [-p FILE.pcap] [-s SEND] [-e EXPECT] [-g GAP_MS]\n");
			return 2;
		}
	}
	struct enc_msu a, b, mt, fo, dd, lo, u;
	enc_msu_defaults(&a);
	enc_msu_defaults(&b);
	b.opc = 1235;
	b.otid = 0x0b0b0b0b;
	b.msisdn = "9991255000002";
	/* A1 B1 B2 A2 B3 A3 */
	struct msg *a1 = seg(&a, 3, 0, 1), *b1 = seg(&b, 3, 0, 1), *b2 = seg(&b, 3, 1, 1);
	struct msg *a2 = seg(&a, 3, 1, 1), *b3 = seg(&b, 3, 2, 1), *a3 = seg(&a, 3, 2, 1);
	fwd(b1); fwd(b2); fwd(b3); fwd(a1); fwd(a2); fwd(a3);
	enc_msu_defaults(&mt);
	mt.opcode = 44;
	mt.cdpa_gt = ENC_HOME_MSC;
	mt.otid = 0x0c0c0c0c;
	mt.tp_text = "a message long enough to be worth two segments of an XUDT";
	fwd(seg(&mt, 2, 0, 2));
	fwd(seg(&mt, 2, 1, 2));
	fo = mt;
	fo.otid = 0x0f0f0f0f;
	fo.cgpa_gt = fo.sc_addr = "447700900123";
	seg(&fo, 2, 0, 3);
	seg(&fo, 2, 1, 3);
	enc_msu_defaults(&dd);
	dd.otid = 0x0d0d0d0d;
	fwd(seg(&dd, 2, 0, 4));
	seg(&dd, 2, 0, 4);
	fwd(seg(&dd, 2, 1, 4));
	/* N: an LUDT with nine SRI-SM invokes, to SSN 146, in two segments */
	{
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.sccp_type = SCCP_LUDT;
		s.cdpa_ssn = 146;
		static uint8_t tcap[2048], m1[MSG_MAX], m2[MSG_MAX];
		size_t tl = enc_msu_sri_sm_begin(tcap, sizeof tcap, 9, 0x09090909);
		add(m1, enc_msu_segment(m1, sizeof m1, &s, tcap, tl / 2, true, 1, 5));
		add(m2, enc_msu_segment(m2, sizeof m2, &s, tcap + tl / 2, tl - tl / 2, false, 0, 5));
	}
	/* O: first and only */
	{
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.otid = 0x01010101;
		s.segmented = true;
		s.seg_only = true;
		s.seg_ref = 6;
		uint8_t m[MSG_MAX];
		fwd(add(m, enc_msu_build(m, sizeof m, &s)));
	}
	enc_msu_defaults(&lo);
	lo.otid = 0x0e0e0e0e;
	seg(&lo, 3, 0, 7);
	seg(&lo, 3, 1, 7);
	seg(&lo, 3, 2, 7)->gap_before = true;
	struct enc_msu x;
	enc_msu_defaults(&x);
	for (uint32_t ref = 10; ref < 16; ref++)
		seg(&x, 2, 0, ref);
	{
		struct enc_msu s;
		enc_msu_defaults(&s);
		s.sccp_type = SCCP_LUDT;
		static uint8_t fill[3800], m[MSG_MAX];
		memset(fill, 0x30, sizeof fill);
		add(m, enc_msu_segment(m, sizeof m, &s, fill, sizeof fill, true, 1, 20));
	}
	enc_msu_defaults(&u);
	u.otid = 0x02020202;
	{
		uint8_t m[MSG_MAX];
		fwd(add(m, enc_msu_build(m, sizeof m, &u)));
	}

	if (send) {
		FILE *f = fopen(send, "w");
		if (!f) { perror(send); return 1; }
		for (unsigned i = 0; i < n_msgs; i++) {
			if (msgs[i].gap_before)
				fprintf(f, "sleep %u\n", gap_ms);
			fprintf(f, "%u ", 1 + i % 7);
			for (size_t k = 0; k < msgs[i].len; k++)
				fprintf(f, "%02x", msgs[i].b[k]);
			fputc('\n', f);
		}
		fclose(f);
	}
	if (expect) {
		FILE *f = fopen(expect, "w");
		if (!f) { perror(expect); return 1; }
		for (int k = 0; k < next_fwd; k++)
			for (unsigned i = 0; i < n_msgs; i++)
				if (msgs[i].fwd_order == k) {
					fprintf(f, "%u 3 %zu ", 1 + i % 7, msgs[i].len);
					for (size_t j = 0; j < msgs[i].len; j++)
						fprintf(f, "%02x", msgs[i].b[j]);
					fputc('\n', f);
				}
		fclose(f);
	}
	if (pcap) {
		FILE *f = fopen(pcap, "wb");
		if (!f) { perror(pcap); return 1; }
		struct enc_flow fl = { .link = ENC_LINK_ETH, .src = { 10, 1, 0, 1 }, .dst = { 10, 2, 0, 1 },
				       .sport = 2905, .dport = 2905 };
		enc_pcap_header(f, enc_link_type(fl.link), 65535);
		static uint8_t frame[MSG_MAX + 256];
		uint32_t tsn = 5000;
		uint64_t usec = (uint64_t)1795593600u * 1000000;
		for (unsigned i = 0; i < n_msgs; i++) {
			usec += msgs[i].gap_before ? (uint64_t)gap_ms * 1000 : 10000;
			struct enc_chunk ch = { .type = 0, .stream = (uint16_t)(1 + i % 7), .ppid = 3,
						.data = msgs[i].b, .len = msgs[i].len };
			size_t n = enc_frame_sctp(frame, sizeof frame, &fl, 0x11223344, &tsn, &ch, 1);
			if (!n) { fprintf(stderr, "segcap: frame too large\n"); return 1; }
			enc_pcap_record(f, (uint32_t)(usec / 1000000), (uint32_t)(usec % 1000000), frame, n, n);
		}
		fclose(f);
	}
	printf("segcap: %u messages, %d forwarded\n", n_msgs, next_fwd);
	return 0;
}
