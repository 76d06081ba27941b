/* SMS TPDU decoding (TS 23.040 9.2): DELIVER, SUBMIT, STATUS-REPORT with
 * numeric and alphanumeric addresses, TP-MTI in both directions, TP-VPF,
 * TP-DCS and TP-UDL bounds, truncation at every length. */
#include "harness.h"
#include "enc/enc-layers.h"
#include "ss7fw/wire.h"

static const char *ds(const struct digits *d)
{
	static char buf[4][WIRE_MAX_DIGITS + 1];
	static int k;
	char *b = buf[k++ & 3];
	digits_to_str(d, b, WIRE_MAX_DIGITS + 1);
	return b;
}

#define ANOM(a) (!!(anom & ANOM_BIT(ANOM_##a)))

/* Hand-derived SMS-DELIVER (23.040 9.2.2.1): first octet 04 (MTI 00, MMS),
 * TP-OA 0b 91 33 16 32 54 76 f8 ("33612345678"), PID 00, DCS 00, SCTS
 * 62 11 52 80 00 00 00, UDL 02, UD "hi" packed (23.038 6.1.2.1.1) e8 34. */
static const uint8_t deliver_hand[] = {
	0x04, 0x0b, 0x91, 0x33, 0x16, 0x32, 0x54, 0x76, 0xf8, 0x00, 0x00,
	0x62, 0x11, 0x52, 0x80, 0x00, 0x00, 0x00, 0x02, 0xe8, 0x34,
};

static void test_deliver_numeric(void)
{
	uint8_t b[200];
	struct enc_sms s = { SMS_MTI_DELIVER, 1, 1, "33612345678", 0, 0, "hi" };
	size_t n = enc_sms(b, sizeof b, &s);
	CHECK_INT(n, sizeof deliver_hand);
	CHECK_MEM(b, deliver_hand, sizeof deliver_hand);
	struct sms_tpdu tp;
	uint64_t anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ deliver_hand, sizeof deliver_hand }, true, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(tp.present);
	CHECK_INT(tp.mti, SMS_MTI_DELIVER);
	CHECK_INT(tp.first_octet, 0x04);
	CHECK(tp.addr.present);
	CHECK(!tp.addr.alnum);
	CHECK_INT(tp.addr.ton, 1);
	CHECK_INT(tp.addr.npi, 1);
	CHECK_STR(ds(&tp.addr.d), "33612345678");
	CHECK_INT(tp.addr.raw.len, 6);
	CHECK(tp.has_pid && tp.has_dcs);
	CHECK_INT(tp.pid, 0);
	CHECK_INT(tp.dcs, 0);
	CHECK(!tp.udhi);
	CHECK_INT(tp.udl, 2);
	CHECK_INT(tp.ud.len, 2);
	CHECK_INT(tp.ud.p[0], 0xe8);
	char txt[16];
	CHECK_INT(gsm7_to_str(tp.ud, tp.udl, txt, sizeof txt), 2);
	CHECK_STR(txt, "hi");
	/* every strict prefix is malformed */
	for (size_t p = 0; p < sizeof deliver_hand; p++) {
		anom = 0;
		CHECK_INT(sms_decode(&tp, (struct bytes){ deliver_hand, p }, true, &anom), WIRE_MALFORMED);
	}
	/* bytes after the user data */
	uint8_t t[sizeof deliver_hand + 1];
	memcpy(t, deliver_hand, sizeof deliver_hand);
	t[sizeof deliver_hand] = 0x55;
	anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ t, sizeof t }, true, &anom), WIRE_OK);
	CHECK(ANOM(TRAILING_BYTES));
}

static void test_deliver_alnum(void)
{
	uint8_t b[200];
	static const char *names[] = { "Bank", "MyBank", "ABC", "InfoSMS", "Hello World" };
	for (size_t k = 0; k < 5; k++) {
		struct enc_sms s = { SMS_MTI_DELIVER, 5, 0, names[k], 0, 0, "code 1234" };
		size_t n = enc_sms(b, sizeof b, &s);
		struct sms_tpdu tp;
		uint64_t anom = 0;
		CHECK_INT(sms_decode(&tp, (struct bytes){ b, n }, true, &anom), WIRE_OK);
		CHECK_INT(anom, 0);
		CHECK(tp.addr.alnum);
		CHECK_INT(tp.addr.ton, 5);
		CHECK_INT(tp.addr.npi, 0);
		CHECK_INT(tp.addr.nchars, strlen(names[k]));
		CHECK_INT(tp.addr.raw.len, (strlen(names[k]) * 7 + 7) / 8);
		CHECK_INT(tp.addr.d.n, 0);
		char txt[32];
		gsm7_to_str(tp.addr.raw, tp.addr.nchars, txt, sizeof txt);
		CHECK_STR(txt, names[k]);
		CHECK_INT(tp.udl, 9);
		gsm7_to_str(tp.ud, tp.udl, txt, sizeof txt);
		CHECK_STR(txt, "code 1234");
	}
	/* hand: "Bank" is 28 bits = 7 semi-octets in 4 octets */
	uint8_t g[8];
	unsigned nc = 0;
	CHECK_INT(enc_gsm7(g, sizeof g, "Bank", &nc), 4);
	CHECK_INT(nc, 4);
	/* B=0x42 a=0x61 n=0x6e k=0x6b packed low bits first: c2 b0 7b 0d */
	static const uint8_t bank[] = { 0xc2, 0xb0, 0x7b, 0x0d };
	CHECK_MEM(g, bank, 4);
}

static void test_submit(void)
{
	uint8_t b[200];
	struct enc_sms s = { SMS_MTI_SUBMIT, 1, 1, "4412345", 0x00, 0x00, "test" };
	size_t n = enc_sms(b, sizeof b, &s);
	/* 11 00 07 91 44 21 43 f5 00 00 a7 04 f4 f2 9c 0e */
	static const uint8_t hand[] = { 0x11, 0x00, 0x07, 0x91, 0x44, 0x21, 0x43, 0xf5, 0x00, 0x00,
					0xa7, 0x04, 0xf4, 0xf2, 0x9c, 0x0e };
	CHECK_INT(n, sizeof hand);
	CHECK_MEM(b, hand, sizeof hand);
	struct sms_tpdu tp;
	uint64_t anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, n }, false, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(tp.mti, SMS_MTI_SUBMIT);
	CHECK_STR(ds(&tp.addr.d), "4412345");
	CHECK_INT(tp.udl, 4);
	for (size_t p = 0; p < n; p++)
		CHECK_INT(sms_decode(&tp, (struct bytes){ b, p }, false, &anom), WIRE_MALFORMED);
	/* TP-VPF: 00 none, 01 enhanced (7), 11 absolute (7) */
	static const uint8_t vp_none[] = { 0x01, 0x00, 0x02, 0x81, 0x21, 0x00, 0x04, 0x01, 0x41 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ vp_none, sizeof vp_none }, false, &anom), WIRE_OK);
	CHECK_INT(tp.dcs, 4);
	CHECK_INT(tp.udl, 1);
	CHECK_INT(tp.ud.p[0], 0x41);
	CHECK_INT(tp.addr.ton, 0);
	CHECK_STR(ds(&tp.addr.d), "12");
	static const uint8_t vp_enh[] = { 0x09, 0x00, 0x02, 0x81, 0x21, 0x00, 0x04,
					  1, 2, 3, 4, 5, 6, 7, 0x01, 0x41 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ vp_enh, sizeof vp_enh }, false, &anom), WIRE_OK);
	CHECK_INT(tp.ud.p[0], 0x41);
	static const uint8_t vp_abs[] = { 0x19, 0x00, 0x02, 0x81, 0x21, 0x00, 0x04,
					  1, 2, 3, 4, 5, 6, 7, 0x01, 0x41 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ vp_abs, sizeof vp_abs }, false, &anom), WIRE_OK);
	CHECK_INT(tp.ud.p[0], 0x41);
	/* relative VP over a 7-octet VP body: VP 01, UDL 2, UD 03 04, rest trailing */
	static const uint8_t vp_rel_wrong[] = { 0x11, 0x00, 0x02, 0x81, 0x21, 0x00, 0x04,
						1, 2, 3, 4, 5, 6, 7, 0x01, 0x41 };
	anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ vp_rel_wrong, sizeof vp_rel_wrong }, false, &anom), WIRE_OK);
	CHECK_INT(tp.udl, 2);
	CHECK_INT(tp.ud.p[0], 3);
	CHECK(ANOM(TRAILING_BYTES));
	/* absolute VP cut short */
	static const uint8_t vp_abs_short[] = { 0x19, 0x00, 0x02, 0x81, 0x21, 0x00, 0x04, 1, 2, 3 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ vp_abs_short, sizeof vp_abs_short }, false, &anom), WIRE_MALFORMED);
	/* alphanumeric TP-DA */
	struct enc_sms sa = { SMS_MTI_SUBMIT, 5, 0, "Shop", 0, 0, "" };
	n = enc_sms(b, sizeof b, &sa);
	anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, n }, false, &anom), WIRE_OK);
	CHECK(tp.addr.alnum);
	CHECK_INT(tp.addr.nchars, 4);
	CHECK_INT(tp.udl, 0);
	CHECK_INT(tp.ud.len, 0);
}

static void test_status_report(void)
{
	uint8_t b[200];
	struct enc_sms s = { SMS_MTI_STATUS_REPORT, 1, 1, "33612345678", 0, 0, NULL };
	size_t n = enc_sms(b, sizeof b, &s);
	CHECK_INT(n, 1 + 1 + 8 + 14 + 1);
	struct sms_tpdu tp;
	uint64_t anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, n }, true, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(tp.mti, SMS_MTI_STATUS_REPORT);
	CHECK_STR(ds(&tp.addr.d), "33612345678");
	CHECK(!tp.has_pid);
	for (size_t p = 0; p < n; p++)
		CHECK_INT(sms_decode(&tp, (struct bytes){ b, p }, true, &anom), WIRE_MALFORMED);
	/* with TP-PI announcing PID, DCS and UDL */
	uint8_t t[64];
	memcpy(t, b, n);
	static const uint8_t tail[] = { 0x07, 0x00, 0x04, 0x02, 0xaa, 0xbb };
	memcpy(t + n, tail, sizeof tail);
	CHECK_INT(sms_decode(&tp, (struct bytes){ t, n + sizeof tail }, true, &anom), WIRE_OK);
	CHECK(tp.has_pid && tp.has_dcs);
	CHECK_INT(tp.udl, 2);
	CHECK_INT(tp.ud.p[1], 0xbb);
	CHECK_INT(sms_decode(&tp, (struct bytes){ t, n + sizeof tail - 1 }, true, &anom), WIRE_MALFORMED);
	/* alphanumeric TP-RA */
	struct enc_sms sa = { SMS_MTI_STATUS_REPORT, 5, 0, "Alerts", 0, 0, NULL };
	size_t an = enc_sms(b, sizeof b, &sa);
	anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, an }, true, &anom), WIRE_OK);
	CHECK(tp.addr.alnum);
	CHECK_INT(tp.addr.nchars, 6);
	char txt[16];
	gsm7_to_str(tp.addr.raw, tp.addr.nchars, txt, sizeof txt);
	CHECK_STR(txt, "Alerts");
	CHECK_INT(anom, 0);
	/* TP-PI with nothing announced, then an extra octet */
	t[n] = 0x00;
	t[n + 1] = 0x77;
	anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ t, n + 2 }, true, &anom), WIRE_OK);
	CHECK(ANOM(TRAILING_BYTES));
}

static void test_mti_directions(void)
{
	static const uint8_t sc_ms[4] = { SMS_MTI_DELIVER, SMS_MTI_SUBMIT_REPORT, SMS_MTI_STATUS_REPORT,
					  SMS_MTI_RESERVED };
	static const uint8_t ms_sc[4] = { SMS_MTI_DELIVER_REPORT, SMS_MTI_SUBMIT, SMS_MTI_COMMAND,
					  SMS_MTI_RESERVED };
	for (uint8_t m = 0; m < 4; m++) {
		uint8_t one[2] = { m, 0x00 };
		struct sms_tpdu tp;
		uint64_t anom = 0;
		enum wire_result r = sms_decode(&tp, (struct bytes){ one, 2 }, true, &anom);
		CHECK_INT(tp.mti, sc_ms[m]);
		CHECK(tp.present);
		/* deliver and status report need a body; reports are MTI-only; reserved fails */
		CHECK_INT(r, (m == 1) ? WIRE_OK : WIRE_MALFORMED);
		r = sms_decode(&tp, (struct bytes){ one, 2 }, false, &anom);
		CHECK_INT(tp.mti, ms_sc[m]);
		CHECK_INT(r, (m == 0 || m == 2) ? WIRE_OK : WIRE_MALFORMED);
	}
	/* empty TPDU */
	struct sms_tpdu tp;
	uint64_t anom = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ NULL, 0 }, true, &anom), WIRE_MALFORMED);
	CHECK(!tp.present);
}

static void test_dcs_and_udl(void)
{
	/* DELIVER skeleton: 04 02 81 21 PID DCS SCTS(7) UDL UD */
	uint8_t b[200] = { 0x04, 0x02, 0x81, 0x21, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7 };
	const size_t hdr = 13;
	struct sms_tpdu tp;
	uint64_t anom = 0;
	struct { uint8_t dcs, udl; size_t octets; } ok[] = {
		{ 0x00, 160, 140 },   /* GSM 7-bit: septets */
		{ 0x04, 140, 140 },   /* 8-bit: octets */
		{ 0x08, 140, 140 },   /* UCS2: octets */
		{ 0x20, 140, 140 },   /* compressed GSM 7-bit: octets */
		{ 0xf0, 160, 140 },   /* group 1111, 7-bit */
		{ 0xf4, 140, 140 },   /* group 1111, 8-bit */
		{ 0xc0, 8, 7 },       /* message waiting, 7-bit */
		{ 0xe0, 8, 8 },       /* message waiting, UCS2 */
		{ 0x00, 0, 0 },
	};
	for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
		b[5] = ok[k].dcs;
		b[hdr] = ok[k].udl;
		memset(b + hdr + 1, 0x41, ok[k].octets);
		anom = 0;
		CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 + ok[k].octets }, true, &anom), WIRE_OK);
		CHECK_INT(tp.ud.len, ok[k].octets);
		CHECK_INT(anom, 0);
		if (ok[k].octets)
			CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + ok[k].octets }, true, &anom),
				  WIRE_MALFORMED);
	}
	/* over the 140-octet maximum, even with the data present */
	b[5] = 0x00;
	b[hdr] = 161;
	memset(b + hdr + 1, 0, 150);
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 + 150 }, true, &anom), WIRE_MALFORMED);
	b[5] = 0x04;
	b[hdr] = 141;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 + 150 }, true, &anom), WIRE_MALFORMED);
	/* UDHI: the header length must fit in the user data */
	b[0] = 0x44;
	b[5] = 0x04;
	b[hdr] = 6;
	static const uint8_t udh[] = { 0x05, 0x00, 0x03, 0x01, 0x02, 0x01 };
	memcpy(b + hdr + 1, udh, sizeof udh);
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 + 6 }, true, &anom), WIRE_OK);
	CHECK(tp.udhi);
	b[hdr + 1] = 0x06;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 + 6 }, true, &anom), WIRE_MALFORMED);
	b[hdr] = 0;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, hdr + 1 }, true, &anom), WIRE_MALFORMED);
}

static void test_addresses(void)
{
	struct sms_tpdu tp;
	uint64_t anom = 0;
	/* odd number of digits: the filler is not a digit */
	static const uint8_t odd[] = { 0x04, 0x05, 0x91, 0x21, 0x43, 0xf5, 0x00, 0x00,
				       1, 2, 3, 4, 5, 6, 7, 0x00 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ odd, sizeof odd }, true, &anom), WIRE_OK);
	CHECK_STR(ds(&tp.addr.d), "12345");
	CHECK_INT(anom, 0);
	/* empty address */
	static const uint8_t empty[] = { 0x04, 0x00, 0x80, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 0x00 };
	CHECK_INT(sms_decode(&tp, (struct bytes){ empty, sizeof empty }, true, &anom), WIRE_OK);
	CHECK_INT(tp.addr.d.n, 0);
	CHECK_INT(tp.addr.raw.len, 0);
	/* 20 digits is the maximum; 21 is malformed */
	uint8_t b[64] = { 0x04, 20, 0x91 };
	memset(b + 3, 0x21, 10);
	memset(b + 13, 0, 2 + 7 + 1);
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, 13 + 10 }, true, &anom), WIRE_OK);
	CHECK_INT(tp.addr.d.n, 20);
	b[1] = 21;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, 13 + 10 }, true, &anom), WIRE_MALFORMED);
	b[1] = 255;
	CHECK_INT(sms_decode(&tp, (struct bytes){ b, sizeof b }, true, &anom), WIRE_MALFORMED);
	/* alphanumeric of 11 characters = 20 semi-octets */
	struct enc_sms s = { SMS_MTI_DELIVER, 5, 0, "ABCDEFGHIJK", 0, 0, "" };
	uint8_t e[64];
	size_t n = enc_sms(e, sizeof e, &s);
	CHECK_INT(e[1], 20);
	CHECK_INT(sms_decode(&tp, (struct bytes){ e, n }, true, &anom), WIRE_OK);
	CHECK_INT(tp.addr.nchars, 11);
}

static void test_gsm7_encoder(void)
{
	uint8_t g[16];
	unsigned nc = 0;
	/* "hellohello" (23.038 example): e8 32 9b fd 46 97 d9 ec 37 */
	static const uint8_t hh[] = { 0xe8, 0x32, 0x9b, 0xfd, 0x46, 0x97, 0xd9, 0xec, 0x37 };
	CHECK_INT(enc_gsm7(g, sizeof g, "hellohello", &nc), 9);
	CHECK_INT(nc, 10);
	CHECK_MEM(g, hh, 9);
	/* @ $ _ and an unknown character */
	CHECK_INT(enc_gsm7(g, sizeof g, "@$_~", &nc), 4);
	char txt[8];
	gsm7_to_str((struct bytes){ g, 4 }, nc, txt, sizeof txt);
	CHECK_STR(txt, "@$_?");
	/* too small a buffer */
	CHECK_INT(enc_gsm7(g, 2, "hello", &nc), 0);
}

TEST_MAIN("test_sms", {
	RUN(test_deliver_numeric);
	RUN(test_deliver_alnum);
	RUN(test_submit);
	RUN(test_status_report);
	RUN(test_mti_directions);
	RUN(test_dcs_and_udl);
	RUN(test_addresses);
	RUN(test_gsm7_encoder);
})
