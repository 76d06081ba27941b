/* reject_build (src/relay/reject.c): the UDTS / XUDTS that returns a
 * rejected UDT / XUDT to its originator (Q.714 4.2, Q.713 4.11, 4.19).
 * Answers are compared byte for byte with what the test encoders make of
 * the expected service message, and decoded again with msu_decode; tshark
 * (when installed) must see a UDTS / XUDTS with the return cause. */
#include <stdlib.h>
#include <unistd.h>

#include "enc/enc-frame.h"
#include "enc/enc-msu.h"
#include "harness.h"
#include "ss7fw/reject.h"
#include "ss7fw/wire.h"

#define OPC 1234
#define DPC 2345

/* A TCAP Begin with an SRI-SM invoke, taken from the scenario builder. */
static size_t tcap_bytes(uint8_t *out, size_t cap)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	uint8_t buf[2048];
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	static struct msu m;
	if (!n || msu_decode(&m, buf, n) != WIRE_OK || m.sccp.data.len > cap)
		return 0;
	memcpy(out, m.sccp.data.p, m.sccp.data.len);
	return m.sccp.data.len;
}

static struct enc_sccp_addr addr_gt(const char *digits, int ssn)
{
	struct enc_sccp_addr a = { .route_on_gt = true, .pc = -1, .ssn = ssn, .gti = 4,
				   .tt = 0, .np = 1, .nai = 4, .digits = digits };
	return a;
}

static struct enc_sccp_addr addr_pc(int pc, int ssn)
{
	struct enc_sccp_addr a = { .route_on_gt = false, .pc = pc, .ssn = ssn, .gti = 0 };
	return a;
}

/* The original message and the answer it must get. */
struct pair {
	uint8_t msg[1024], want[1024];
	size_t len, want_len;
};

/* UDT or XUDT (type) from cdpa/cgpa with the given knobs, in M3UA DATA
 * with RC and NA when asked; want: the service message with the parties
 * swapped, cause, hop counter 15, no optional part, point codes swapped. */
static bool make_pair(struct pair *p, uint8_t type, struct enc_sccp_addr cdpa,
		      struct enc_sccp_addr cgpa, bool rc_na, int importance, bool roe)
{
	uint8_t tcap[512], sccp[1024];
	size_t tl = tcap_bytes(tcap, sizeof tcap);
	if (!tl)
		return false;
	struct enc_sccp sc = { .type = type, .proto_class = 1, .return_on_error = roe,
			       .hop_counter = 9, .cdpa = cdpa, .cgpa = cgpa, .importance = importance };
	size_t sl = enc_sccp(sccp, sizeof sccp, &sc, tcap, tl);
	struct enc_m3ua_data d = { .opc = OPC, .dpc = DPC, .si = 3, .ni = 2, .mp = 1, .sls = 11,
				   .has_rc = rc_na, .rc = 0x01020304, .has_na = rc_na, .na = 0x0a0b0c0d };
	p->len = enc_m3ua_data(p->msg, sizeof p->msg, &d, sccp, sl);

	struct enc_sccp ans = { .type = type == SCCP_UDT ? SCCP_UDTS : SCCP_XUDTS,
				.cause = REJECT_CAUSE, .hop_counter = 15,
				.cdpa = cgpa, .cgpa = cdpa, .importance = -1 };
	sl = enc_sccp(sccp, sizeof sccp, &ans, tcap, tl);
	struct enc_m3ua_data a = d;
	a.opc = DPC;
	a.dpc = OPC;
	p->want_len = enc_m3ua_data(p->want, sizeof p->want, &a, sccp, sl);
	return p->len && p->want_len;
}

/* Builds the answer of p and checks it byte for byte and decoded. */
static void check_answer(const struct pair *p, uint8_t type)
{
	static struct msu m, r;
	CHECK_INT(msu_decode(&m, p->msg, p->len), WIRE_OK);
	uint8_t out[REJECT_MAX_ANSWER];
	size_t n = reject_build(out, sizeof out, &m, p->msg, p->len, REJECT_CAUSE);
	CHECK_INT(n, p->want_len);
	if (n != p->want_len)
		return;
	CHECK_MEM(out, p->want, n);
	CHECK_INT(msu_decode(&r, out, n), WIRE_OK);
	CHECK_INT(r.anomalies & ~ANOM_BIT(ANOM_SCCP_ROUTE_ON_SSN), 0);
	CHECK_INT(r.m3ua.msg_class, 1);
	CHECK_INT(r.m3ua.msg_type, 1);
	CHECK_INT(r.m3ua.opc, m.m3ua.dpc);
	CHECK_INT(r.m3ua.dpc, m.m3ua.opc);
	CHECK_INT(r.m3ua.si, m.m3ua.si);
	CHECK_INT(r.m3ua.ni, m.m3ua.ni);
	CHECK_INT(r.m3ua.mp, m.m3ua.mp);
	CHECK_INT(r.m3ua.sls, m.m3ua.sls);
	CHECK_INT(r.m3ua.has_rc, m.m3ua.has_rc);
	CHECK_INT(r.m3ua.rc, m.m3ua.rc);
	CHECK_INT(r.m3ua.has_na, m.m3ua.has_na);
	CHECK_INT(r.m3ua.na, m.m3ua.na);
	CHECK_INT(r.sccp.type, type == SCCP_UDT ? SCCP_UDTS : SCCP_XUDTS);
	CHECK(r.sccp.has_cause);
	CHECK_INT(r.sccp.cause, REJECT_CAUSE);
	CHECK_INT(r.sccp.has_hop_counter, type == SCCP_XUDT);
	if (type == SCCP_XUDT)
		CHECK_INT(r.sccp.hop_counter, 15);
	CHECK(!r.sccp.has_segment && !r.sccp.has_importance);
	CHECK_INT(r.sccp.cdpa.raw.len, m.sccp.cgpa.raw.len);
	CHECK_MEM(r.sccp.cdpa.raw.p, m.sccp.cgpa.raw.p, m.sccp.cgpa.raw.len);
	CHECK_INT(r.sccp.cgpa.raw.len, m.sccp.cdpa.raw.len);
	CHECK_MEM(r.sccp.cgpa.raw.p, m.sccp.cdpa.raw.p, m.sccp.cdpa.raw.len);
	CHECK_INT(r.sccp.cdpa.gt.n, m.sccp.cgpa.gt.n);
	CHECK_INT(r.sccp.cdpa.ssn, m.sccp.cgpa.ssn);
	CHECK_INT(r.sccp.cgpa.ssn, m.sccp.cdpa.ssn);
	CHECK_INT(r.sccp.data.len, m.sccp.data.len);
	CHECK_MEM(r.sccp.data.p, m.sccp.data.p, m.sccp.data.len);
	CHECK(r.tcap.present);
	CHECK_INT(r.tcap.type, TCAP_BEGIN);
}

static void test_udts(void)
{
	struct pair p;
	CHECK(make_pair(&p, SCCP_UDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, true));
	check_answer(&p, SCCP_UDT);
	/* without RC / NA, odd and even GTs, an SSN-routed calling party */
	CHECK(make_pair(&p, SCCP_UDT, addr_gt("4477001", 6), addr_pc(321, 8), false, -1, true));
	check_answer(&p, SCCP_UDT);
	/* a long GT */
	CHECK(make_pair(&p, SCCP_UDT, addr_gt("123456789012345678901234567890", 6),
			addr_gt("99934000100", 8), true, -1, true));
	check_answer(&p, SCCP_UDT);
}

static void test_xudts(void)
{
	struct pair p;
	CHECK(make_pair(&p, SCCP_XUDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, true));
	check_answer(&p, SCCP_XUDT);
	/* the importance of the XUDT is not carried back */
	CHECK(make_pair(&p, SCCP_XUDT, addr_gt(ENC_HOME_HLR, 6), addr_gt("44770", 8), false, 3, true));
	check_answer(&p, SCCP_XUDT);
}

/* Non-canonical pointer order in the original: the answer is canonical. */
static void test_reverse_pointers(void)
{
	uint8_t tcap[512], sccp[1024], msg[1024], want[1024], out[REJECT_MAX_ANSWER];
	size_t tl = tcap_bytes(tcap, sizeof tcap);
	struct enc_sccp sc = { .type = SCCP_UDT, .proto_class = 0, .return_on_error = true,
			       .cdpa = addr_gt(ENC_HOME_HLR, 6), .cgpa = addr_gt(ENC_PARTNER_SMSC, 8),
			       .importance = -1, .reverse_pointers = true };
	size_t sl = enc_sccp(sccp, sizeof sccp, &sc, tcap, tl);
	struct enc_m3ua_data d = { .opc = OPC, .dpc = DPC, .si = 3, .sls = 1 };
	size_t n = enc_m3ua_data(msg, sizeof msg, &d, sccp, sl);
	struct enc_sccp ans = { .type = SCCP_UDTS, .cause = REJECT_CAUSE, .cdpa = sc.cgpa,
				.cgpa = sc.cdpa, .importance = -1 };
	sl = enc_sccp(sccp, sizeof sccp, &ans, tcap, tl);
	struct enc_m3ua_data a = d;
	a.opc = DPC;
	a.dpc = OPC;
	size_t wl = enc_m3ua_data(want, sizeof want, &a, sccp, sl);
	static struct msu m;
	msu_decode(&m, msg, n);
	CHECK(m.anomalies & ANOM_BIT(ANOM_SCCP_POINTER_ORDER));
	size_t got = reject_build(out, sizeof out, &m, msg, n, REJECT_CAUSE);
	CHECK_INT(got, wl);
	CHECK(got == wl && !memcmp(out, want, wl));
}

/* No answer: return option off, segmented, LUDT, service messages, not
 * SCCP, not DATA, an SCCP that did not decode. */
static void test_no_answer(void)
{
	static struct msu m;
	uint8_t out[REJECT_MAX_ANSWER];
	struct pair p;
	CHECK(make_pair(&p, SCCP_UDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, false));
	msu_decode(&m, p.msg, p.len);
	CHECK(!m.sccp.return_on_error);
	CHECK_INT(reject_build(out, sizeof out, &m, p.msg, p.len, REJECT_CAUSE), 0);
	CHECK(make_pair(&p, SCCP_XUDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, false));
	msu_decode(&m, p.msg, p.len);
	CHECK_INT(reject_build(out, sizeof out, &m, p.msg, p.len, REJECT_CAUSE), 0);
	/* our own answers are not answered */
	msu_decode(&m, p.want, p.want_len);
	CHECK_INT(m.sccp.type, SCCP_XUDTS);
	CHECK_INT(reject_build(out, sizeof out, &m, p.want, p.want_len, REJECT_CAUSE), 0);

	struct enc_msu s;
	uint8_t buf[2048];
	size_t n;
	/* segmented XUDT (return option set by the scenario builder) */
	enc_msu_defaults(&s);
	s.segmented = true;
	n = enc_msu_build(buf, sizeof buf, &s);
	msu_decode(&m, buf, n);
	CHECK(m.sccp.return_on_error && m.sccp.has_segment);
	CHECK_INT(reject_build(out, sizeof out, &m, buf, n, REJECT_CAUSE), 0);
	/* LUDT */
	enc_msu_defaults(&s);
	s.sccp_type = SCCP_LUDT;
	n = enc_msu_build(buf, sizeof buf, &s);
	msu_decode(&m, buf, n);
	CHECK_INT(m.sccp.type, SCCP_LUDT);
	CHECK_INT(reject_build(out, sizeof out, &m, buf, n, REJECT_CAUSE), 0);
	/* ISUP (SI 5) */
	enc_msu_defaults(&s);
	s.si = 5;
	n = enc_msu_build(buf, sizeof buf, &s);
	msu_decode(&m, buf, n);
	CHECK(!m.sccp.present);
	CHECK_INT(reject_build(out, sizeof out, &m, buf, n, REJECT_CAUSE), 0);
	/* not DATA: ASPUP */
	n = enc_m3ua_msg(buf, sizeof buf, 3, 1, NULL, 0);
	msu_decode(&m, buf, n);
	CHECK_INT(reject_build(out, sizeof out, &m, buf, n, REJECT_CAUSE), 0);
	/* a UDT whose SCCP is broken: the data pointer past the end */
	CHECK(make_pair(&p, SCCP_UDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), false, -1, true));
	p.msg[8 + 16 + 4] = 0xf0;   /* the third pointer of the UDT */
	msu_decode(&m, p.msg, p.len);
	CHECK_INT(m.error_layer, LAYER_SCCP);
	CHECK_INT(reject_build(out, sizeof out, &m, p.msg, p.len, REJECT_CAUSE), 0);
	/* a decoded view that does not belong to msg is refused */
	CHECK(make_pair(&p, SCCP_UDT, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), false, -1, true));
	msu_decode(&m, p.msg, p.len);
	uint8_t other[1024];
	memcpy(other, p.msg, p.len);
	CHECK_INT(reject_build(out, sizeof out, &m, other, p.len, REJECT_CAUSE), 0);
	CHECK_INT(reject_build(out, sizeof out, &m, p.msg, p.len - 8, REJECT_CAUSE), 0);
	CHECK(reject_build(out, sizeof out, &m, p.msg, p.len, REJECT_CAUSE) > 0);
}

/* Every cap below the answer's length is refused without writing a byte;
 * the exact length is enough. */
static void test_cap(void)
{
	static struct msu m;
	struct pair p;
	for (int t = 0; t < 2; t++) {
		uint8_t type = t ? SCCP_XUDT : SCCP_UDT;
		CHECK(make_pair(&p, type, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, true));
		msu_decode(&m, p.msg, p.len);
		for (size_t cap = 0; cap < p.want_len; cap++) {
			uint8_t *out = malloc(cap ? cap : 1);
			uint8_t guard[REJECT_MAX_ANSWER];
			memset(guard, 0xa5, sizeof guard);
			memset(out, 0xa5, cap ? cap : 1);
			CHECK_INT(reject_build(out, cap, &m, p.msg, p.len, REJECT_CAUSE), 0);
			CHECK_MEM(out, guard, cap);
			free(out);
		}
		uint8_t *out = malloc(p.want_len);
		CHECK_INT(reject_build(out, p.want_len, &m, p.msg, p.len, REJECT_CAUSE), p.want_len);
		CHECK_MEM(out, p.want, p.want_len);
		free(out);
	}
}

/* Every prefix of a UDT and an XUDT, decoded as far as it goes: an answer
 * is either refused or a whole, decodable service message. */
static void test_prefixes(void)
{
	static struct msu m, r;
	struct pair p;
	for (int t = 0; t < 2; t++) {
		uint8_t type = t ? SCCP_XUDT : SCCP_UDT;
		CHECK(make_pair(&p, type, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, true));
		for (size_t l = 0; l <= p.len; l++) {
			uint8_t *cut = malloc(l ? l : 1);
			memcpy(cut, p.msg, l);
			msu_decode(&m, cut, l);
			uint8_t out[REJECT_MAX_ANSWER];
			size_t n = reject_build(out, sizeof out, &m, cut, l, REJECT_CAUSE);
			if (l < p.len)
				CHECK_INT(n, 0);   /* the M3UA length disagrees: nothing decoded */
			else
				CHECK(n == p.want_len && msu_decode(&r, out, n) == WIRE_OK);
			free(cut);
		}
	}
}

/* tshark decodes the answer as UDTS / XUDTS with the return cause. */
static void test_tshark(void)
{
	if (system("command -v tshark >/dev/null 2>&1") != 0) {
		fprintf(stderr, "test_reject: tshark not installed, cross-check skipped\n");
		return;
	}
	char path[64];
	snprintf(path, sizeof path, "/tmp/test_reject_%d.pcap", (int)getpid());
	FILE *fp = fopen(path, "wb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	enc_pcap_header(fp, enc_link_type(ENC_LINK_ETH), 65535);
	struct enc_flow f = { .link = ENC_LINK_ETH, .sport = 2905, .dport = 2905 };
	uint8_t s4[4] = { 10, 2, 0, 1 }, d4[4] = { 10, 1, 0, 1 };
	memcpy(f.src, s4, 4);
	memcpy(f.dst, d4, 4);
	uint32_t tsn = 1;
	static struct msu m;
	for (int t = 0; t < 2; t++) {
		struct pair p;
		uint8_t type = t ? SCCP_XUDT : SCCP_UDT;
		CHECK(make_pair(&p, type, addr_gt(ENC_HOME_HLR, 6), addr_gt(ENC_PARTNER_SMSC, 8), true, -1, true));
		msu_decode(&m, p.msg, p.len);
		uint8_t out[REJECT_MAX_ANSWER], frame[2048];
		size_t n = reject_build(out, sizeof out, &m, p.msg, p.len, REJECT_CAUSE);
		struct enc_chunk ch = { .type = 0, .stream = 1, .ppid = 3, .data = out, .len = n };
		size_t fl = enc_frame_sctp(frame, sizeof frame, &f, 0x01020304, &tsn, &ch, 1);
		CHECK(fl > 0);
		enc_pcap_record(fp, 1700000000u + (uint32_t)t, 0, frame, fl, fl);
	}
	fclose(fp);
	char cmd[256], line[256], got[512] = "";
	snprintf(cmd, sizeof cmd, "tshark -r %s -T fields -e sccp.message_type -e sccp.return_cause 2>/dev/null", path);
	FILE *pp = popen(cmd, "r");
	CHECK(pp != NULL);
	while (pp && fgets(line, sizeof line, pp))
		strncat(got, line, sizeof got - strlen(got) - 1);
	if (pp)
		pclose(pp);
	unlink(path);
	/* message type 0x0a UDTS, 0x12 XUDTS; cause 7 unqualified */
	CHECK_STR(got, "0x0a\t0x07\n0x12\t0x07\n");
}

TEST_MAIN("test_reject", {
	RUN(test_udts);
	RUN(test_xudts);
	RUN(test_reverse_pointers);
	RUN(test_no_answer);
	RUN(test_cap);
	RUN(test_prefixes);
	RUN(test_tshark);
})
