/* MAP argument decoding (TS 29.002): every operation's fields, every SM-RP
 * CHOICE, results, opcodes (unknown, global), the ACN table, malformed and
 * truncated arguments. The TCAP component is built by hand. */
#include "harness.h"
#include "enc/enc-msu.h"
#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define IMSI   "999010000000001"
#define MSISDN "9991255000001"
#define SMSC   "999340001"
#define NODE   "999125510001"   /* the encoder's MSC/VLR number */

static struct tcap_info tc;

static struct tcap_component *mk(uint8_t type, int op, const uint8_t *p, size_t n)
{
	memset(&tc, 0, sizeof tc);
	tc.present = true;
	tc.type = TCAP_BEGIN;
	tc.n_components = 1;
	struct tcap_component *c = &tc.comp[0];
	c->type = type;
	c->has_invoke_id = true;
	c->invoke_id = 1;
	if (op >= 0) {
		c->has_opcode = true;
		c->opcode = op;
	}
	c->param.p = p;
	c->param.len = n;
	return c;
}

static const char *ds(const struct digits *d)
{
	static char buf[4][WIRE_MAX_DIGITS + 1];
	static int k;
	char *b = buf[k++ & 3];
	digits_to_str(d, b, WIRE_MAX_DIGITS + 1);
	return b;
}

#define ANOM(a) (!!(anom & ANOM_BIT(ANOM_##a)))

/* Hand-derived from TS 29.002 17.7 RoutingInfoForSM-Arg (IMPLICIT TAGS):
 * msisdn [0] 91 99 19 52 05 00 00 f1, sm-RP-PRI [1] TRUE, sc [2] 91 99 39 04 00 f1 */
static const uint8_t sri_sm_hand[] = {
	0x30, 0x15,
	0x80, 0x08, 0x91, 0x99, 0x19, 0x52, 0x05, 0x00, 0x00, 0xf1,
	0x81, 0x01, 0xff,
	0x82, 0x06, 0x91, 0x99, 0x39, 0x04, 0x00, 0xf1,
};

static void test_sri_sm_arg(void)
{
	uint8_t b[64];
	size_t n = enc_map_sri_sm_arg(b, sizeof b, MSISDN, true, SMSC);
	CHECK_INT(n, sizeof sri_sm_hand);
	CHECK_MEM(b, sri_sm_hand, sizeof sri_sm_hand);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 45, sri_sm_hand, sizeof sri_sm_hand);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK(c->map.msisdn.present);
	CHECK_INT(c->map.msisdn.ton, 1);
	CHECK_INT(c->map.msisdn.npi, 1);
	CHECK_STR(ds(&c->map.msisdn.d), MSISDN);
	CHECK(c->map.has_sm_rp_pri);
	CHECK(c->map.sm_rp_pri);
	CHECK(c->map.sc_addr.present);
	CHECK_STR(ds(&c->map.sc_addr.d), SMSC);
	CHECK_INT(c->map.imsi.n, 0);
	CHECK(!c->map.tp.present);
	/* sm-RP-PRI FALSE, TON 2 */
	n = enc_map_sri_sm_arg(b, sizeof b, "123", false, "4567");
	b[4] = 0xa1; /* TON 2 (national), NPI 1 */
	c = mk(TCAP_COMP_INVOKE, 45, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(!c->map.sm_rp_pri);
	CHECK_INT(c->map.msisdn.ton, 2);
	CHECK_STR(ds(&c->map.msisdn.d), "123");
	CHECK_STR(ds(&c->map.sc_addr.d), "4567");
}

/* Extension container [6], later fields and an imsi [12] after "...": skipped
 * or taken, never failing. Indefinite length accepted. */
static void test_sri_sm_lenient(void)
{
	uint8_t b[128];
	struct enc e;
	enc_init(&e, b, sizeof b);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	uint8_t v[16];
	size_t k = enc_addr_string(v, sizeof v, 1, 1, MSISDN);
	enc_ber_prim(&e, BER_CONTEXT, 0, v, k);
	enc_ber_prim(&e, BER_CONTEXT, 1, "\x01", 1);
	k = enc_addr_string(v, sizeof v, 1, 1, SMSC);
	enc_ber_prim(&e, BER_CONTEXT, 2, v, k);
	size_t x = enc_ber_open(&e, BER_CONTEXT, 6);
	size_t y = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_ber_oid(&e, BER_UNIVERSAL, 6, "1.2.3");
	enc_ber_close(&e, y, BER_LEN_MIN);
	enc_ber_close(&e, x, BER_LEN_MIN);
	enc_ber_prim(&e, BER_CONTEXT, 7, "", 0);
	k = enc_tbcd(v, sizeof v, IMSI);
	enc_ber_prim(&e, BER_CONTEXT, 12, v, k);
	enc_ber_prim(&e, BER_CONTEXT, 40, "\x01", 1); /* unknown, multi-octet tag */
	enc_ber_close(&e, m, BER_LEN_INDEFINITE);
	CHECK(!e.overflow);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 45, b, e.len);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK(ANOM(INDEFINITE_LENGTH));
	CHECK_STR(ds(&c->map.msisdn.d), MSISDN);
	CHECK_STR(ds(&c->map.sc_addr.d), SMSC);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	CHECK(c->map.sm_rp_pri);
}

static void test_sri_sm_res(void)
{
	uint8_t b[64];
	size_t n = enc_map_sri_sm_res(b, sizeof b, IMSI, NODE);
	/* hand: 30 15 04 08 99 09 01 00 00 00 00 f1 a0 09 81 07 91 99 19 52 15 00 10 */
	static const uint8_t hand[] = {
		0x30, 0x15, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
		0xa0, 0x09, 0x81, 0x07, 0x91, 0x99, 0x19, 0x52, 0x15, 0x00, 0x10,
	};
	CHECK_INT(n, sizeof hand);
	CHECK_MEM(b, hand, sizeof hand);
	for (int form = 0; form < 3; form++) {
		uint64_t anom = 0;
		struct tcap_component *c;
		if (form == 0) /* result carrying opcode 45 */
			c = mk(TCAP_COMP_RESULT_LAST, 45, b, n);
		else /* result without opcode, op_hint from the invoke */
			c = mk(form == 1 ? TCAP_COMP_RESULT_LAST : TCAP_COMP_RESULT, -1, b, n);
		CHECK_INT(map_decode(&tc, 0, form == 0 ? -1 : 45, &anom), WIRE_OK);
		CHECK_INT(c->map.state, MAP_DECODED);
		CHECK_STR(ds(&c->map.imsi), IMSI);
		CHECK(c->map.nnn.present);
		CHECK_STR(ds(&c->map.nnn.d), NODE);
		CHECK_INT(anom, 0);
	}
	/* no opcode and no hint: not decoded, not an error */
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_RESULT_LAST, -1, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
	/* a result of an operation whose result we do not read: not decoded */
	c = mk(TCAP_COMP_RESULT_LAST, 56, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
	/* with an LMSI and a gprsNodeIndicator in locationInfoWithLMSI */
	static const uint8_t lmsi[] = {
		0x30, 0x1d, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
		0xa0, 0x11, 0x81, 0x07, 0x91, 0x99, 0x19, 0x52, 0x15, 0x00, 0x10,
		0x04, 0x04, 0x01, 0x02, 0x03, 0x04, 0x85, 0x00,
	};
	c = mk(TCAP_COMP_RESULT_LAST, 45, lmsi, sizeof lmsi);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.nnn.d), NODE);
	/* networkNode-Number missing */
	static const uint8_t no_nnn[] = {
		0x30, 0x12, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
		0xa0, 0x06, 0x04, 0x04, 0x01, 0x02, 0x03, 0x04,
	};
	anom = 0;
	c = mk(TCAP_COMP_RESULT_LAST, 45, no_nnn, sizeof no_nnn);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK_INT(c->map.state, MAP_DECODE_FAILED);
	CHECK(ANOM(MAP_UNDECODED));
	/* an error or a reject component is never decoded */
	c = mk(TCAP_COMP_ERROR, -1, b, n);
	CHECK_INT(map_decode(&tc, 0, 45, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
}

static size_t mk_deliver(uint8_t *ui, size_t cap, uint8_t ton, const char *addr, const char *text)
{
	struct enc_sms s = { SMS_MTI_DELIVER, ton, ton == 5 ? 0 : 1, addr, 0, 0, text };
	return enc_sms(ui, cap, &s);
}

static size_t mk_submit(uint8_t *ui, size_t cap, const char *addr, const char *text)
{
	struct enc_sms s = { SMS_MTI_SUBMIT, 1, 1, addr, 0, 0, text };
	return enc_sms(ui, cap, &s);
}

static void test_mt_forward_sm(void)
{
	uint8_t ui[200], b[300];
	size_t un = mk_deliver(ui, sizeof ui, 1, "33612345678", "hello");
	size_t n = enc_map_fsm_arg(b, sizeof b, SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, ui, un);
	CHECK(n > 0);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 44, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK_INT(c->map.sm_rp_da.kind, SM_RP_IMSI);
	CHECK_STR(ds(&c->map.sm_rp_da.d), IMSI);
	CHECK_INT(c->map.sm_rp_oa.kind, SM_RP_SC_ADDR);
	CHECK_STR(ds(&c->map.sm_rp_oa.d), SMSC);
	CHECK_INT(c->map.sm_rp_oa.ton, 1);
	CHECK_INT(c->map.sm_rp_oa.npi, 1);
	CHECK_INT(c->map.sm_rp_ui.len, un);
	CHECK_MEM(c->map.sm_rp_ui.p, ui, un);
	CHECK(c->map.tp.present);
	CHECK_INT(c->map.tp.mti, SMS_MTI_DELIVER);
	CHECK_STR(ds(&c->map.tp.addr.d), "33612345678");
	CHECK_INT(c->map.tp.udl, 5);
	/* alphanumeric originator */
	un = mk_deliver(ui, sizeof ui, 5, "MyBank", "x");
	n = enc_map_fsm_arg(b, sizeof b, SM_RP_LMSI, "0a0b0c0d", SM_RP_SC_ADDR, SMSC, ui, un);
	c = mk(TCAP_COMP_INVOKE, 44, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.sm_rp_da.kind, SM_RP_LMSI);
	CHECK_STR(ds(&c->map.sm_rp_da.d), "0a0b0c0d");
	CHECK(c->map.tp.addr.alnum);
	CHECK_INT(c->map.tp.addr.ton, 5);
	CHECK_INT(c->map.tp.addr.nchars, 6);
	char txt[32];
	gsm7_to_str(c->map.tp.addr.raw, c->map.tp.addr.nchars, txt, sizeof txt);
	CHECK_STR(txt, "MyBank");
	/* mt-forwardSM carries a DELIVER even with an SC address as DA */
	un = mk_deliver(ui, sizeof ui, 1, "123", "");
	n = enc_map_fsm_arg(b, sizeof b, SM_RP_SC_ADDR, SMSC, SM_RP_NO_ADDR, NULL, ui, un);
	c = mk(TCAP_COMP_INVOKE, 44, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.sm_rp_da.kind, SM_RP_SC_ADDR);
	CHECK_INT(c->map.sm_rp_oa.kind, SM_RP_NO_ADDR);
	CHECK_INT(c->map.tp.mti, SMS_MTI_DELIVER);
}

static void test_mo_forward_sm(void)
{
	uint8_t ui[200], b[300];
	size_t un = mk_submit(ui, sizeof ui, "4412345", "hi");
	size_t n = enc_map_fsm_arg(b, sizeof b, SM_RP_SC_ADDR, SMSC, SM_RP_MSISDN, MSISDN, ui, un);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 46, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(c->map.sm_rp_da.kind, SM_RP_SC_ADDR);
	CHECK_STR(ds(&c->map.sm_rp_da.d), SMSC);
	CHECK_INT(c->map.sm_rp_oa.kind, SM_RP_MSISDN);
	CHECK_STR(ds(&c->map.sm_rp_oa.d), MSISDN);
	CHECK_INT(c->map.tp.mti, SMS_MTI_SUBMIT);
	CHECK_STR(ds(&c->map.tp.addr.d), "4412345");
	/* v1/v2 forwardSM towards an IMSI is mobile terminated: DELIVER */
	un = mk_deliver(ui, sizeof ui, 1, "4412345", "hi");
	n = enc_map_fsm_arg(b, sizeof b, SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, ui, un);
	c = mk(TCAP_COMP_INVOKE, 46, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.tp.mti, SMS_MTI_DELIVER);
	/* the same TPDU sent MS->SC reads as a DELIVER-REPORT (MTI 00) */
	n = enc_map_fsm_arg(b, sizeof b, SM_RP_NO_ADDR, NULL, SM_RP_MSISDN, MSISDN, ui, un);
	c = mk(TCAP_COMP_INVOKE, 46, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.sm_rp_da.kind, SM_RP_NO_ADDR);
	CHECK_INT(c->map.tp.mti, SMS_MTI_DELIVER_REPORT);
	/* MO-ForwardSM-Arg v3 with moreMessagesToSend-like NULL, extension and imsi */
	uint8_t b2[320];
	memcpy(b2, b, n);
	un = mk_submit(ui, sizeof ui, "4412345", "hi");
	struct enc e;
	enc_init(&e, b2, sizeof b2);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	uint8_t v[16];
	size_t k = enc_addr_string(v, sizeof v, 1, 1, SMSC);
	enc_ber_prim(&e, BER_CONTEXT, 4, v, k);
	k = enc_addr_string(v, sizeof v, 1, 1, MSISDN);
	enc_ber_prim(&e, BER_CONTEXT, 2, v, k);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, ui, un);
	size_t x = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_ber_close(&e, x, BER_LEN_MIN);
	k = enc_tbcd(v, sizeof v, IMSI);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, v, k);
	enc_ber_close(&e, m, BER_LEN_MIN);
	c = mk(TCAP_COMP_INVOKE, 46, b2, e.len);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	CHECK_INT(c->map.tp.mti, SMS_MTI_SUBMIT);
	/* a second imsi is a duplicate */
	enc_init(&e, b2, sizeof b2);
	m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	k = enc_addr_string(v, sizeof v, 1, 1, SMSC);
	enc_ber_prim(&e, BER_CONTEXT, 4, v, k);
	enc_ber_prim(&e, BER_CONTEXT, 5, "", 0);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, ui, un);
	k = enc_tbcd(v, sizeof v, IMSI);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, v, k);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, v, k);
	enc_ber_close(&e, m, BER_LEN_MIN);
	anom = 0;
	c = mk(TCAP_COMP_INVOKE, 46, b2, e.len);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK_INT(c->map.state, MAP_DECODE_FAILED);
	CHECK(ANOM(MAP_UNDECODED));
}

static void test_fsm_bad_tpdu(void)
{
	uint8_t b[64];
	static const uint8_t bad_ui[] = { 0x04, 0x0b, 0x91, 0x33 }; /* truncated TP-OA */
	size_t n = enc_map_fsm_arg(b, sizeof b, SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, bad_ui, sizeof bad_ui);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 44, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK(ANOM(SMS_UNDECODED));
	CHECK(!ANOM(MAP_UNDECODED));
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK_STR(ds(&c->map.sm_rp_da.d), IMSI);
	/* empty SM-RP-UI */
	n = enc_map_fsm_arg(b, sizeof b, SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, bad_ui, 0);
	anom = 0;
	mk(TCAP_COMP_INVOKE, 44, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK(ANOM(SMS_UNDECODED));
}

static void test_fsm_malformed(void)
{
	static const uint8_t ui[] = { 0x00 };
	/* DA with an OA-only tag [2]; OA with a DA-only tag [0]; UI as [4];
	 * noSM-RP-DA with contents; LMSI of 3 octets; missing UI */
	static const uint8_t v1[] = { 0x30, 0x08, 0x82, 0x01, 0x91, 0x85, 0x00, 0x04, 0x01, 0x00 };
	static const uint8_t v2[] = { 0x30, 0x0a, 0x85, 0x00, 0x80, 0x03, 0x11, 0x22, 0x33, 0x04, 0x01, 0x00 };
	static const uint8_t v3[] = { 0x30, 0x07, 0x85, 0x00, 0x85, 0x00, 0x84, 0x01, 0x91 };
	static const uint8_t v4[] = { 0x30, 0x08, 0x85, 0x01, 0x00, 0x85, 0x00, 0x04, 0x01, 0x00 };
	static const uint8_t v5[] = { 0x30, 0x0a, 0x81, 0x03, 0x01, 0x02, 0x03, 0x85, 0x00, 0x04, 0x01, 0x00 };
	static const uint8_t v6[] = { 0x30, 0x04, 0x85, 0x00, 0x85, 0x00 };
	static const uint8_t v7[] = { 0x31, 0x07, 0x85, 0x00, 0x85, 0x00, 0x04, 0x01, 0x00 };
	const struct { const uint8_t *p; size_t n; } v[] = {
		{ v1, sizeof v1 }, { v2, sizeof v2 }, { v3, sizeof v3 }, { v4, sizeof v4 },
		{ v5, sizeof v5 }, { v6, sizeof v6 }, { v7, sizeof v7 },
	};
	(void)ui;
	for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
		for (int op = 44; op <= 46; op += 2) {
			uint64_t anom = 0;
			struct tcap_component *c = mk(TCAP_COMP_INVOKE, op, v[k].p, v[k].n);
			CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
			CHECK_INT(c->map.state, MAP_DECODE_FAILED);
			CHECK(ANOM(MAP_UNDECODED));
		}
	}
	/* no parameter at all */
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 44, NULL, 0);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK_INT(c->map.state, MAP_DECODE_FAILED);
}

static void test_rsds(void)
{
	uint8_t b[64];
	size_t n = enc_map_rsds_arg(b, sizeof b, MSISDN, SMSC, 2);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 47, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK_STR(ds(&c->map.msisdn.d), MSISDN);
	CHECK_STR(ds(&c->map.sc_addr.d), SMSC);
	CHECK(c->map.has_outcome);
	CHECK_INT(c->map.outcome, 2);
	/* MAP v1: no outcome */
	n = enc_map_rsds_arg(b, sizeof b, MSISDN, SMSC, -1);
	c = mk(TCAP_COMP_INVOKE, 47, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(!c->map.has_outcome);
	CHECK_STR(ds(&c->map.sc_addr.d), SMSC);
	CHECK_INT(anom, 0);
	/* only one address: the mandatory serviceCentreAddress is missing */
	static const uint8_t one[] = { 0x30, 0x05, 0x04, 0x03, 0x91, 0x21, 0x43 };
	c = mk(TCAP_COMP_INVOKE, 47, one, sizeof one);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK_INT(c->map.state, MAP_DECODE_FAILED);
	/* three addresses: the third is a duplicate */
	static const uint8_t three[] = { 0x30, 0x0f, 0x04, 0x03, 0x91, 0x21, 0x43, 0x04, 0x03, 0x91, 0x21,
					 0x43, 0x04, 0x03, 0x91, 0x21, 0x43 };
	c = mk(TCAP_COMP_INVOKE, 47, three, sizeof three);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
}

/* The expected fields of one decoded argument or result: NULL absent. */
struct want {
	const char *imsi, *msisdn, *vlr, *msc, *sgsn, *hlr, *gmsc, *mlc, *gsmscf, *msrn, *nnn,
		*msc_vlr, *sc;
	int tmsi;                    /* octets of the TMSI, 0: none */
	const char *ussd;            /* ussd-String as GSM 7-bit text */
};

static void check_addr(const char *name, const struct map_addr *a, const char *want, int op)
{
	if (!want) {
		if (a->present) {
			th_checks_failed++;
			fprintf(stderr, "  opcode %d: %s present (%s), expected absent\n", op, name, ds(&a->d));
		}
		return;
	}
	if (!a->present || strcmp(ds(&a->d), want) != 0 || a->ton != 1 || a->npi != 1) {
		th_checks_failed++;
		fprintf(stderr, "  opcode %d: %s %s \"%s\", expected \"%s\"\n", op, name,
			a->present ? "present" : "absent", ds(&a->d), want);
	}
}

static void check_want(const struct map_fields *f, const struct want *w, int op)
{
	int before = th_checks_failed;
	CHECK_INT(f->state, MAP_DECODED);
	CHECK_STR(ds(&f->imsi), w->imsi ? w->imsi : "");
	check_addr("msisdn", &f->msisdn, w->msisdn, op);
	check_addr("vlr", &f->vlr, w->vlr, op);
	check_addr("msc", &f->msc, w->msc, op);
	check_addr("sgsn", &f->sgsn, w->sgsn, op);
	check_addr("hlr", &f->hlr, w->hlr, op);
	check_addr("gmsc", &f->gmsc, w->gmsc, op);
	check_addr("mlc", &f->mlc, w->mlc, op);
	check_addr("gsmscf", &f->gsmscf, w->gsmscf, op);
	check_addr("roaming_nr", &f->roaming_nr, w->msrn, op);
	check_addr("nnn", &f->nnn, w->nnn, op);
	check_addr("msc_vlr", &f->msc_vlr, w->msc_vlr, op);
	check_addr("sc_addr", &f->sc_addr, w->sc, op);
	CHECK_INT(f->tmsi.len, w->tmsi);
	if (w->tmsi)
		CHECK_MEM(f->tmsi.p, ENC_MAP_TMSI, 4);
	CHECK_INT(f->has_ussd, w->ussd != NULL);
	if (w->ussd && f->has_ussd) {
		char txt[200];
		unsigned nch = (unsigned)(f->ussd_string.len * 8 / 7);
		if (nch % 8 == 0 && (f->ussd_string.p[f->ussd_string.len - 1] >> 1) == 0x0d)
			nch--;    /* the CR filling 7 spare bits (TS 23.038 6.1.2.3.1) */
		gsm7_to_str(f->ussd_string, nch, txt, sizeof txt);
		CHECK_STR(txt, w->ussd);
		CHECK_INT(f->ussd_dcs, 0x0f);
	}
	if (th_checks_failed != before)
		fprintf(stderr, "  (opcode %d)\n", op);
}

struct sub_case {
	int op;
	struct want w;
};

#define NOD ENC_MAP_VLR
static const struct sub_case sub_cases[] = {
	{ 2, { .imsi = IMSI, .vlr = ENC_MAP_PVLR, .msc = ENC_MAP_PMSC, .msc_vlr = ENC_MAP_PVLR } },
	{ 3, { .imsi = IMSI } },                                   /* cancelLocation v3 */
	{ 4, { .imsi = IMSI, .msisdn = MSISDN, .msc = NOD, .gmsc = ENC_MAP_GMSC, .msc_vlr = NOD } },
	{ 5, { .imsi = IMSI, .msisdn = MSISDN } },                 /* noteSubscriberDataModified */
	{ 7, { .imsi = IMSI, .msisdn = MSISDN } },                 /* insertSubscriberData */
	{ 8, { .imsi = IMSI } },                                   /* deleteSubscriberData */
	{ 9, { .imsi = IMSI } },                                   /* sendParameters by IMSI */
	{ 22, { .msisdn = MSISDN, .gmsc = NOD } },                 /* sendRoutingInfo */
	{ 23, { .imsi = IMSI, .sgsn = ENC_MAP_PSGSN, .msc_vlr = ENC_MAP_PSGSN } },     /* updateGprsLocation */
	{ 24, { .imsi = IMSI } },                                  /* sendRoutingInfoForGprs */
	{ 37, { .hlr = ENC_MAP_HLR } },                            /* reset */
	{ 48, { .imsi = IMSI } },                                  /* noteSubscriberPresent (v1) */
	{ 49, { .msisdn = MSISDN, .sc = NOD } },                   /* alertServiceCentreWithoutResult */
	{ 55, { .tmsi = 4, .msc = ENC_MAP_MSC, .vlr = ENC_MAP_VLR, .msc_vlr = ENC_MAP_VLR } },
	{ 56, { .imsi = IMSI } },                                  /* sendAuthenticationInfo v3 */
	{ 57, { .imsi = IMSI } },                                  /* restoreData */
	{ 58, { .msisdn = MSISDN } },                              /* sendIMSI */
	{ 59, { .msisdn = MSISDN, .ussd = ENC_MAP_USSD } },        /* processUnstructuredSS-Request */
	{ 60, { .msisdn = MSISDN, .ussd = ENC_MAP_USSD } },        /* unstructuredSS-Request */
	{ 61, { .msisdn = MSISDN, .ussd = ENC_MAP_USSD } },        /* unstructuredSS-Notify */
	{ 62, { .imsi = IMSI, .gsmscf = NOD } },                   /* anyTimeSubscriptionInterrogation */
	{ 63, { .msisdn = MSISDN } },                              /* informServiceCentre */
	{ 64, { .msisdn = MSISDN, .sc = NOD } },                   /* alertServiceCentre */
	{ 65, { .imsi = IMSI, .gsmscf = NOD } },                   /* anyTimeModification */
	{ 66, { .imsi = IMSI } },                                  /* readyForSM */
	{ 67, { .imsi = IMSI, .vlr = ENC_MAP_PVLR, .msc_vlr = ENC_MAP_PVLR } },      /* purgeMS v3 */
	{ 70, { .imsi = IMSI } },                                  /* provideSubscriberInfo */
	{ 71, { .imsi = IMSI, .gsmscf = NOD } },                   /* anyTimeInterrogation by IMSI */
	{ 83, { .imsi = IMSI, .msisdn = MSISDN, .mlc = NOD } },    /* provideSubscriberLocation */
	{ 85, { .imsi = IMSI, .mlc = NOD } },                      /* sendRoutingInfoForLCS */
	{ 86, { .imsi = IMSI, .msisdn = MSISDN, .nnn = NOD } },    /* subscriberLocationReport */
	{ 89, { .imsi = IMSI, .msisdn = MSISDN } },                /* noteMM-Event */
};

/* Every strict prefix of a parameter is malformed (from 1 for a result:
 * a result without a parameter is legal). */
static void check_prefixes(uint8_t type, int op, const uint8_t *b, size_t n)
{
	int before = th_checks_failed;
	for (size_t p = type == TCAP_COMP_INVOKE ? 0 : 1; p < n; p++) {
		uint64_t anom = 0;
		struct tcap_component *c = mk(type, op, b, p);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
		CHECK_INT(c->map.state, MAP_DECODE_FAILED);
		CHECK(ANOM(MAP_UNDECODED));
	}
	if (th_checks_failed != before)
		fprintf(stderr, "  (prefixes of opcode %d)\n", op);
}

static void test_subscriber_ops(void)
{
	for (size_t k = 0; k < sizeof sub_cases / sizeof sub_cases[0]; k++) {
		const struct sub_case *sc = &sub_cases[k];
		uint8_t b[128];
		size_t n = enc_map_subscriber_arg(b, sizeof b, sc->op, IMSI, MSISDN);
		CHECK(n > 0);
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, sc->op, b, n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(anom, 0);
		check_want(&c->map, &sc->w, sc->op);
		check_prefixes(TCAP_COMP_INVOKE, sc->op, b, n);
	}
	/* the subscriber identity by MSISDN (ATI, ATSI, ATM, SRI-LCS) */
	static const int by_msisdn[] = { 62, 65, 71, 85 };
	for (size_t k = 0; k < 4; k++) {
		uint8_t b[128];
		size_t n = enc_map_subscriber_arg(b, sizeof b, by_msisdn[k], NULL, MSISDN);
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, by_msisdn[k], b, n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(c->map.imsi.n, 0);
		CHECK_STR(ds(&c->map.msisdn.d), MSISDN);
	}
}

/* The MAP v1/v2 forms of the arguments that changed. */
static const struct sub_case v2_cases[] = {
	/* v1 LocationInfo: roamingNumber [0] instead of msc-Number [1], and an lmsi [10] */
	{ 2, { .imsi = IMSI, .vlr = ENC_MAP_PVLR, .msrn = ENC_MAP_MSRN, .msc_vlr = ENC_MAP_PVLR } },
	{ 3, { .imsi = IMSI } },                                   /* Identity: a bare IMSI */
	{ 9, { .tmsi = 4 } },                                      /* subscriberId tmsi [1] */
	{ 22, { .msisdn = MSISDN } },                              /* no gmsc-Address */
	{ 37, { .hlr = ENC_MAP_HLR } },                            /* networkResource, hlr-Number */
	{ 55, { .tmsi = 4 } },                                     /* a bare TMSI */
	{ 56, { .imsi = IMSI } },                                  /* a bare IMSI */
	{ 67, { .imsi = IMSI, .vlr = ENC_MAP_PVLR, .msc_vlr = ENC_MAP_PVLR } },      /* SEQUENCE { imsi, vlr-Number } */
};

static void test_subscriber_ops_v2(void)
{
	for (size_t k = 0; k < sizeof v2_cases / sizeof v2_cases[0]; k++) {
		const struct sub_case *sc = &v2_cases[k];
		uint8_t b[128];
		size_t n = enc_map_subscriber_arg_v2(b, sizeof b, sc->op, IMSI, MSISDN);
		CHECK(n > 0);
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, sc->op, b, n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(anom, 0);
		check_want(&c->map, &sc->w, sc->op);
		check_prefixes(TCAP_COMP_INVOKE, sc->op, b, n);
	}
}

struct res_case {
	int op, form;
	struct want w;
};

static const struct res_case res_cases[] = {
	{ 2, 0, { .hlr = ENC_MAP_HLR } },                          /* UpdateLocationRes */
	{ 2, 1, { .hlr = ENC_MAP_HLR } },                          /* v1: the bare hlr-Number */
	{ 4, 0, { .msrn = ENC_MAP_MSRN, .msc = ENC_MAP_MSC } },    /* roamingNumber, vmsc-Address */
	{ 4, 1, { .msrn = ENC_MAP_MSRN } },                        /* v1/v2: the bare roamingNumber */
	{ 22, 0, { .imsi = IMSI, .msrn = ENC_MAP_MSRN, .msc = ENC_MAP_MSC } },
	{ 22, 1, { .imsi = IMSI, .msrn = ENC_MAP_MSRN } },
	{ 23, 0, { .hlr = ENC_MAP_HLR } },                         /* UpdateGprsLocationRes */
	{ 45, 0, { .imsi = IMSI, .nnn = ENC_MAP_VLR } },
	{ 45, 1, { .imsi = IMSI, .msrn = ENC_MAP_MSRN } },         /* v1 LocationInfo roamingNumber [0] */
	{ 55, 0, { .imsi = IMSI } },                               /* [3] SEQUENCE { imsi } */
	{ 55, 1, { .imsi = IMSI } },                               /* v2 SEQUENCE { imsi } */
	{ 57, 0, { .hlr = ENC_MAP_HLR } },                         /* RestoreDataRes */
	{ 58, 0, { .imsi = IMSI } },                               /* sendIMSI: IMSI */
	{ 59, 0, { .ussd = ENC_MAP_USSD_RES } },                   /* USSD-Res */
	{ 60, 0, { .ussd = ENC_MAP_USSD_RES } },
	{ 85, 0, { .imsi = IMSI, .nnn = ENC_MAP_VLR } },           /* targetMS, lcsLocationInfo */
};

static void test_results(void)
{
	for (size_t k = 0; k < sizeof res_cases / sizeof res_cases[0]; k++) {
		const struct res_case *rc = &res_cases[k];
		uint8_t b[128];
		size_t n = enc_map_result(b, sizeof b, rc->op, rc->form, IMSI, MSISDN);
		CHECK(n > 0);
		for (int how = 0; how < 3; how++) {
			uint64_t anom = 0;
			struct tcap_component *c;
			if (how == 0)      /* the result names its opcode */
				c = mk(TCAP_COMP_RESULT_LAST, rc->op, b, n);
			else               /* no opcode: the hint from the invoke */
				c = mk(how == 1 ? TCAP_COMP_RESULT_LAST : TCAP_COMP_RESULT, -1, b, n);
			CHECK_INT(map_decode(&tc, 0, how == 0 ? -1 : rc->op, &anom), WIRE_OK);
			CHECK_INT(anom, 0);
			check_want(&c->map, &rc->w, rc->op);
		}
		check_prefixes(TCAP_COMP_RESULT_LAST, rc->op, b, n);
	}
	/* the v1 LocationInfo holds one of roamingNumber [0] and msc-Number [1] */
	static const uint8_t both[] = {
		0x30, 0x19, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
		0xa0, 0x0d, 0x80, 0x04, 0x91, 0x99, 0x19, 0x52, 0x81, 0x05, 0x91, 0x99, 0x19, 0x52, 0xf1,
	};
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_RESULT_LAST, 45, both, sizeof both);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	CHECK_INT(c->map.state, MAP_DECODE_FAILED);
	/* UpdateLocationRes: a constructed hlr-Number; an empty SEQUENCE */
	static const uint8_t hlr_cons[] = { 0x30, 0x05, 0x24, 0x03, 0x04, 0x01, 0x91 };
	static const uint8_t hlr_none[] = { 0x30, 0x00 };
	c = mk(TCAP_COMP_RESULT_LAST, 2, hlr_cons, sizeof hlr_cons);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	c = mk(TCAP_COMP_RESULT_LAST, 2, hlr_none, sizeof hlr_none);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* sendIMSI result: an IMSI of 9 octets */
	static const uint8_t imsi9[] = { 0x04, 0x09, 0x99, 0x09, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	c = mk(TCAP_COMP_RESULT_LAST, 58, imsi9, sizeof imsi9);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* a result whose operation is global: left alone */
	uint8_t b[64];
	size_t n = enc_map_result(b, sizeof b, 2, 0, IMSI, MSISDN);
	anom = 0;
	c = mk(TCAP_COMP_RESULT_LAST, 2, b, n);
	c->opcode_global = true;
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
	CHECK_INT(anom, 0);
}

/* USSD-Arg: the fields, the forms, and each field of the wrong size or form. */
static void test_ussd(void)
{
	uint8_t b[256];
	/* hand-derived: "*100#" in GSM 7-bit (2a 31 30 30 23) packs to aa 18 0c 36 02 */
	size_t n = enc_map_ussd(b, sizeof b, 0x0f, "*100#", NULL);
	static const uint8_t hand[] = { 0x30, 0x0a, 0x04, 0x01, 0x0f, 0x04, 0x05, 0xaa, 0x18, 0x0c, 0x36, 0x02 };
	CHECK_INT(n, sizeof hand);
	CHECK_MEM(b, hand, sizeof hand);
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 59, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(c->map.has_ussd);
	CHECK_INT(c->map.ussd_dcs, 0x0f);
	CHECK_INT(c->map.ussd_string.len, 5);
	CHECK_MEM(c->map.ussd_string.p, hand + 7, 5);
	CHECK(!c->map.msisdn.present);
	/* 7 characters: a CR fills the 7 spare bits (8 septets in 7 octets) */
	n = enc_map_ussd(b, sizeof b, 0x0f, "*123*1#", MSISDN);
	c = mk(TCAP_COMP_INVOKE, 60, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	struct want w = { .msisdn = MSISDN, .ussd = "*123*1#" };
	check_want(&c->map, &w, 60);
	CHECK_INT(c->map.ussd_string.len, 7);
	/* UCS2 (DCS 0x48): the octets as they are */
	static const uint8_t ucs2[] = { 0x30, 0x09, 0x04, 0x01, 0x48, 0x04, 0x04, 0x00, 0x41, 0x00, 0x42 };
	c = mk(TCAP_COMP_INVOKE, 61, ucs2, sizeof ucs2);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.ussd_dcs, 0x48);
	CHECK_INT(c->map.ussd_string.len, 4);
	/* alertingPattern (an untagged OCTET STRING after the "...") and msisdn [0] */
	static const uint8_t alerting[] = { 0x30, 0x11, 0x04, 0x01, 0x0f, 0x04, 0x02, 0xaa, 0x18, 0x04, 0x01,
					    0x06, 0x80, 0x05, 0x91, 0x99, 0x19, 0x52, 0xf1 };
	c = mk(TCAP_COMP_INVOKE, 60, alerting, sizeof alerting);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.msisdn.d), "9991251");
	CHECK_INT(c->map.ussd_string.len, 2);
	/* malformed: DCS of 2 octets; an empty ussd-String; one of 161 octets;
	 * no ussd-String; a fourth untagged OCTET STRING; msisdn [0] twice; a
	 * constructed ussd-String */
	static const uint8_t dcs2[] = { 0x30, 0x08, 0x04, 0x02, 0x0f, 0x0f, 0x04, 0x02, 0xaa, 0x18 };
	static const uint8_t str0[] = { 0x30, 0x05, 0x04, 0x01, 0x0f, 0x04, 0x00 };
	static const uint8_t nostr[] = { 0x30, 0x03, 0x04, 0x01, 0x0f };
	static const uint8_t four[] = { 0x30, 0x0f, 0x04, 0x01, 0x0f, 0x04, 0x02, 0xaa, 0x18, 0x04, 0x01,
					0x06, 0x04, 0x01, 0x06 };
	static const uint8_t msisdn2[] = { 0x30, 0x11, 0x04, 0x01, 0x0f, 0x04, 0x02, 0xaa, 0x18, 0x80, 0x03,
					   0x91, 0x21, 0x43, 0x80, 0x03, 0x91, 0x21, 0x43 };
	static const uint8_t cons[] = { 0x30, 0x09, 0x04, 0x01, 0x0f, 0x24, 0x04, 0x04, 0x02, 0xaa, 0x18 };
	const struct { const uint8_t *p; size_t n; } bad[] = {
		{ dcs2, sizeof dcs2 }, { str0, sizeof str0 }, { nostr, sizeof nostr }, { four, sizeof four },
		{ msisdn2, sizeof msisdn2 }, { cons, sizeof cons },
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		anom = 0;
		c = mk(TCAP_COMP_INVOKE, 59, bad[k].p, bad[k].n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
		CHECK_INT(c->map.state, MAP_DECODE_FAILED);
		CHECK(ANOM(MAP_UNDECODED));
		if (c->map.state != MAP_DECODE_FAILED)
			fprintf(stderr, "  (bad USSD %zu)\n", k);
	}
	/* 160 octets: the largest ussd-String; 161: one too many */
	uint8_t big[3 + 3 + 3 + 161] = { 0x30, 0x81, 3 + 3 + 160, 0x04, 0x01, 0x0f, 0x04, 0x81, 160 };
	memset(big + 9, 0x41, 160);
	anom = 0;
	c = mk(TCAP_COMP_INVOKE, 59, big, 9 + 160);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.ussd_string.len, 160);
	big[2] = 3 + 3 + 161;
	big[8] = 161;
	big[9 + 160] = 0x41;
	c = mk(TCAP_COMP_INVOKE, 59, big, 9 + 161);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
}

/* Each extracted field of the wrong size or form, and the CHOICEs inside
 * SEQUENCEs (one alternative exactly). */
static void test_new_fields_malformed(void)
{
	static const uint8_t tmsi5[] = { 0x04, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05 };      /* sendIdentification v2 */
	static const uint8_t tmsi0[] = { 0x04, 0x00 };
	static const uint8_t sp_both[] = { 0x30, 0x0a, 0x80, 0x03, 0x99, 0x09, 0x10, 0x81, 0x03, 0x01, 0x02, 0x03 };
	static const uint8_t sp_none[] = { 0x30, 0x05, 0x30, 0x03, 0x0a, 0x01, 0x00 };
	static const uint8_t sp_tmsi5[] = { 0x30, 0x07, 0x81, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05 };
	/* UL with both roamingNumber [0] and msc-Number [1]; with neither */
	static const uint8_t ul_both[] = { 0x30, 0x1a, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
					   0x80, 0x03, 0x91, 0x21, 0x43, 0x81, 0x03, 0x91, 0x21, 0x43,
					   0x04, 0x03, 0x91, 0x21, 0x43 };
	static const uint8_t ul_none[] = { 0x30, 0x0f, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
					   0x04, 0x03, 0x91, 0x21, 0x43 };
	/* UL with an lmsi [10] of 3 octets */
	static const uint8_t ul_lmsi3[] = { 0x30, 0x19, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1,
					    0x81, 0x03, 0x91, 0x21, 0x43, 0x04, 0x03, 0x91, 0x21, 0x43,
					    0x8a, 0x03, 0x01, 0x02, 0x03 };
	/* PRN with a constructed gmsc-Address [8] */
	static const uint8_t prn_gmsc[] = { 0x30, 0x14, 0x80, 0x03, 0x99, 0x09, 0x10, 0x81, 0x03, 0x91, 0x21, 0x43,
					    0xa8, 0x05, 0x04, 0x03, 0x91, 0x21, 0x43 };
	/* PSL with an mlc-Number of 21 octets */
	uint8_t psl[2 + 4 + 2 + 21] = { 0x30, 4 + 2 + 21, 0x30, 0x02, 0x80, 0x00, 0x04, 21, 0x91 };
	/* reset with an hlr-Number that is empty */
	static const uint8_t reset0[] = { 0x30, 0x02, 0x04, 0x00 };
	/* noteMM-Event without its msisdn [2] */
	static const uint8_t nmm[] = { 0x30, 0x0e, 0x02, 0x01, 0x07, 0x80, 0x01, 0x02, 0x81, 0x06, 0x99, 0x09,
				       0x01, 0x00, 0x00, 0xf1 };
	/* noteSubscriberDataModified without the msisdn */
	static const uint8_t nsdm[] = { 0x30, 0x05, 0x04, 0x03, 0x99, 0x09, 0x10 };
	/* purgeMS v3 with the sgsn-Number [1] twice */
	static const uint8_t purge[] = { 0xa3, 0x0f, 0x04, 0x03, 0x99, 0x09, 0x10, 0x81, 0x03, 0x91, 0x21, 0x43,
					 0x81, 0x03, 0x91, 0x21, 0x43 };
	/* SLR without its lcsLocationInfo; with one lacking networkNode-Number */
	static const uint8_t slr1[] = { 0x30, 0x07, 0x0a, 0x01, 0x00, 0x30, 0x02, 0x80, 0x00 };
	static const uint8_t slr2[] = { 0x30, 0x0d, 0x0a, 0x01, 0x00, 0x30, 0x02, 0x80, 0x00, 0x30, 0x04,
					0x80, 0x02, 0x01, 0x02 };
	/* v2 purgeMS without its vlr-Number */
	static const uint8_t purge2[] = { 0x30, 0x05, 0x04, 0x03, 0x99, 0x09, 0x10 };
	const struct { int op; const uint8_t *p; size_t n; } bad[] = {
		{ 55, tmsi5, sizeof tmsi5 }, { 55, tmsi0, sizeof tmsi0 }, { 9, sp_both, sizeof sp_both },
		{ 9, sp_none, sizeof sp_none }, { 9, sp_tmsi5, sizeof sp_tmsi5 }, { 2, ul_both, sizeof ul_both },
		{ 2, ul_none, sizeof ul_none }, { 2, ul_lmsi3, sizeof ul_lmsi3 }, { 4, prn_gmsc, sizeof prn_gmsc },
		{ 83, psl, sizeof psl }, { 37, reset0, sizeof reset0 }, { 89, nmm, sizeof nmm },
		{ 5, nsdm, sizeof nsdm }, { 67, purge, sizeof purge }, { 86, slr1, sizeof slr1 },
		{ 86, slr2, sizeof slr2 }, { 67, purge2, sizeof purge2 },
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, bad[k].op, bad[k].p, bad[k].n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
		CHECK_INT(c->map.state, MAP_DECODE_FAILED);
		CHECK(ANOM(MAP_UNDECODED));
		if (c->map.state != MAP_DECODE_FAILED)
			fprintf(stderr, "  (bad case %zu, opcode %d)\n", k, bad[k].op);
	}
	/* reset with an empty AddressString of only TON/NPI: legal (SIZE 1..) */
	static const uint8_t reset1[] = { 0x30, 0x03, 0x04, 0x01, 0x91 };
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 37, reset1, sizeof reset1);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(c->map.hlr.present);
	/* unknown members after the extension marker are skipped: ATI with
	 * an extensionContainer [2] and an unknown [30] */
	static const uint8_t ati_ext[] = { 0x30, 0x10, 0xa0, 0x05, 0x80, 0x03, 0x99, 0x09, 0x10, 0xa2, 0x02, 0x30,
					   0x00, 0x9e, 0x03, 0x01, 0x02, 0x03 };
	c = mk(TCAP_COMP_INVOKE, 71, ati_ext, sizeof ati_ext);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), "999001");
	CHECK(!c->map.gsmscf.present);
}

/* Older and alternative forms, and missing mandatory members. */
static void test_subscriber_forms(void)
{
	uint64_t anom = 0;
	struct tcap_component *c;
	/* SAI v2, cancelLocation v1/v2: a bare IMSI */
	static const uint8_t bare_imsi[] = { 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	c = mk(TCAP_COMP_INVOKE, 56, bare_imsi, sizeof bare_imsi);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	c = mk(TCAP_COMP_INVOKE, 3, bare_imsi, sizeof bare_imsi);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	/* cancelLocation v2 IMSI-WithLMSI, and v3 with it inside [3] */
	static const uint8_t cl_lmsi[] = { 0x30, 0x10, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00,
					   0xf1, 0x04, 0x04, 0x01, 0x02, 0x03, 0x04 };
	c = mk(TCAP_COMP_INVOKE, 3, cl_lmsi, sizeof cl_lmsi);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	static const uint8_t cl3_lmsi[] = { 0xa3, 0x12, 0x30, 0x10, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00,
					    0x00, 0x00, 0xf1, 0x04, 0x04, 0x01, 0x02, 0x03, 0x04 };
	c = mk(TCAP_COMP_INVOKE, 3, cl3_lmsi, sizeof cl3_lmsi);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	CHECK_INT(anom, 0);
	/* cancelLocation v3 without identity */
	static const uint8_t cl3_empty[] = { 0xa3, 0x03, 0x0a, 0x01, 0x00 };
	c = mk(TCAP_COMP_INVOKE, 3, cl3_empty, sizeof cl3_empty);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* purgeMS v2: SEQUENCE { imsi, vlr-Number } */
	static const uint8_t purge2[] = { 0x30, 0x11, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00,
					  0xf1, 0x04, 0x05, 0x91, 0x99, 0x19, 0x52, 0xf1 };
	c = mk(TCAP_COMP_INVOKE, 67, purge2, sizeof purge2);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_STR(ds(&c->map.imsi), IMSI);
	CHECK_STR(ds(&c->map.msc_vlr.d), "9991251");
	/* insertSubscriberData with neither imsi nor msisdn: decoded, empty */
	static const uint8_t isd_empty[] = { 0x30, 0x03, 0x82, 0x01, 0x0a };
	c = mk(TCAP_COMP_INVOKE, 7, isd_empty, sizeof isd_empty);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(c->map.state, MAP_DECODED);
	CHECK_INT(c->map.imsi.n, 0);
	/* ATI: the subscriberIdentity CHOICE must hold exactly one known member */
	static const uint8_t ati_two[] = { 0x30, 0x0c, 0xa0, 0x0a, 0x80, 0x03, 0x99, 0x09, 0x10, 0x81, 0x03,
					   0x91, 0x21, 0x43 };
	static const uint8_t ati_unk[] = { 0x30, 0x07, 0xa0, 0x05, 0x82, 0x03, 0x99, 0x09, 0x10 };
	static const uint8_t ati_none[] = { 0x30, 0x04, 0xa1, 0x02, 0x80, 0x00 };
	static const uint8_t ati_prim[] = { 0x30, 0x05, 0x80, 0x03, 0x99, 0x09, 0x10 };
	const uint8_t *bad[] = { ati_two, ati_unk, ati_none, ati_prim };
	size_t badn[] = { sizeof ati_two, sizeof ati_unk, sizeof ati_none, sizeof ati_prim };
	for (int k = 0; k < 4; k++) {
		anom = 0;
		c = mk(TCAP_COMP_INVOKE, 71, bad[k], badn[k]);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
		CHECK_INT(c->map.state, MAP_DECODE_FAILED);
		CHECK(ANOM(MAP_UNDECODED));
	}
	/* UL without the vlr-Number; SAI with an IMSI of 2 and of 9 octets */
	static const uint8_t ul_short[] = { 0x30, 0x0a, 0x04, 0x08, 0x99, 0x09, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	static const uint8_t sai_2[] = { 0x04, 0x02, 0x99, 0x09 };
	static const uint8_t sai_9[] = { 0x04, 0x09, 0x99, 0x09, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1 };
	c = mk(TCAP_COMP_INVOKE, 2, ul_short, sizeof ul_short);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	c = mk(TCAP_COMP_INVOKE, 56, sai_2, sizeof sai_2);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	c = mk(TCAP_COMP_INVOKE, 56, sai_9, sizeof sai_9);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* constructed IMSI; address over 20 octets; empty address */
	static const uint8_t sai_cons[] = { 0x30, 0x07, 0xa0, 0x05, 0x04, 0x03, 0x99, 0x09, 0x10 };
	c = mk(TCAP_COMP_INVOKE, 56, sai_cons, sizeof sai_cons);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	uint8_t long_addr[2 + 21] = { 0x04, 21, 0x91 };
	c = mk(TCAP_COMP_INVOKE, 58, long_addr, sizeof long_addr);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	static const uint8_t empty_addr[] = { 0x04, 0x00 };
	c = mk(TCAP_COMP_INVOKE, 58, empty_addr, sizeof empty_addr);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* an AddressString of only the TON/NPI octet is legal (SIZE 1..) */
	static const uint8_t ton_only[] = { 0x04, 0x01, 0x91 };
	c = mk(TCAP_COMP_INVOKE, 58, ton_only, sizeof ton_only);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(c->map.msisdn.present);
	CHECK_INT(c->map.msisdn.d.n, 0);
	/* a sendIMSI argument in the wrong form (SEQUENCE) */
	static const uint8_t seq_addr[] = { 0x30, 0x03, 0x04, 0x01, 0x91 };
	c = mk(TCAP_COMP_INVOKE, 58, seq_addr, sizeof seq_addr);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
}

static void test_sri_sm_malformed(void)
{
	uint8_t b[64];
	size_t n = enc_map_sri_sm_arg(b, sizeof b, MSISDN, true, SMSC);
	/* every strict prefix */
	for (size_t p = 0; p < n; p++) {
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, 45, b, p);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
		CHECK_INT(c->map.state, MAP_DECODE_FAILED);
		CHECK(ANOM(MAP_UNDECODED));
	}
	uint64_t anom = 0;
	/* without serviceCentreAddress */
	static const uint8_t no_sc[] = { 0x30, 0x08, 0x80, 0x03, 0x91, 0x21, 0x43, 0x81, 0x01, 0xff };
	mk(TCAP_COMP_INVOKE, 45, no_sc, sizeof no_sc);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* msisdn twice */
	static const uint8_t dup[] = { 0x30, 0x10, 0x80, 0x03, 0x91, 0x21, 0x43, 0x80, 0x03, 0x91, 0x21,
				       0x43, 0x81, 0x01, 0xff, 0x82, 0x01, 0x91 };
	mk(TCAP_COMP_INVOKE, 45, dup, sizeof dup);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* sm-RP-PRI of two octets */
	static const uint8_t pri2[] = { 0x30, 0x0c, 0x80, 0x03, 0x91, 0x21, 0x43, 0x81, 0x02, 0xff, 0xff,
					0x82, 0x01, 0x91 };
	mk(TCAP_COMP_INVOKE, 45, pri2, sizeof pri2);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* inner length past the SEQUENCE */
	static const uint8_t over[] = { 0x30, 0x05, 0x80, 0x07, 0x91, 0x21, 0x43, 0x81, 0x01, 0xff };
	mk(TCAP_COMP_INVOKE, 45, over, sizeof over);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
	/* bytes after the parameter: decoded, trailing_bytes */
	uint8_t t[80];
	memcpy(t, b, n);
	t[n] = 0x00;
	anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 45, t, n + 1);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(ANOM(TRAILING_BYTES));
	CHECK_INT(c->map.state, MAP_DECODED);
	/* long-form lengths are legal */
	static const uint8_t lf2[] = { 0x30, 0x81, 0x0e, 0x80, 0x81, 0x03, 0x91, 0x21, 0x43, 0x81, 0x01,
				       0xff, 0x82, 0x81, 0x02, 0x91, 0x21 };
	anom = 0;
	c = mk(TCAP_COMP_INVOKE, 45, lf2, sizeof lf2);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK(ANOM(LONG_FORM_LENGTH));
	CHECK_STR(ds(&c->map.msisdn.d), "1234");
	CHECK_STR(ds(&c->map.sc_addr.d), "12");
}

static void test_opcodes(void)
{
	uint8_t b[64];
	size_t n = enc_map_sri_sm_arg(b, sizeof b, MSISDN, true, SMSC);
	static const int unknown[] = { 0, 1, 27, 82, 90, 108, 127, 200, 100000 };
	for (size_t k = 0; k < sizeof unknown / sizeof unknown[0]; k++) {
		uint64_t anom = 0;
		struct tcap_component *c = mk(TCAP_COMP_INVOKE, unknown[k], b, n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(anom, ANOM_BIT(ANOM_MAP_UNKNOWN_OPCODE));
		if (anom != ANOM_BIT(ANOM_MAP_UNKNOWN_OPCODE))
			fprintf(stderr, "  (opcode %d)\n", unknown[k]);
		CHECK_INT(c->map.state, MAP_NOT_DECODED);
	}
	/* global opcode: left alone */
	uint64_t anom = 0;
	struct tcap_component *c = mk(TCAP_COMP_INVOKE, 45, b, n);
	c->opcode_global = true;
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
	/* a known operation whose argument is not read: not decoded, no anomaly */
	c = mk(TCAP_COMP_INVOKE, 10, b, n);
	CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(c->map.state, MAP_NOT_DECODED);
	/* component index out of range */
	CHECK_INT(map_decode(&tc, 1, -1, &anom), WIRE_UNSUPPORTED);
	/* second component decoded independently */
	mk(TCAP_COMP_INVOKE, 45, b, n);
	tc.n_components = 2;
	tc.comp[1] = tc.comp[0];
	tc.comp[1].opcode = 47;
	uint8_t r[64];
	size_t rn = enc_map_rsds_arg(r, sizeof r, "1234", "5678", 1);
	tc.comp[1].param = (struct bytes){ r, rn };
	CHECK_INT(map_decode(&tc, 1, -1, &anom), WIRE_OK);
	CHECK_INT(tc.comp[1].map.outcome, 1);
	CHECK_INT(tc.comp[0].map.state, MAP_NOT_DECODED);
}

static void set_acn(int ac, int version)
{
	tc.acn_is_map = ac >= 0;
	tc.acn_ac = (uint8_t)(ac < 0 ? 0 : ac);
	tc.acn_version = (uint8_t)version;
	static const uint8_t some_oid[] = { 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03 };
	tc.acn = (struct bytes){ some_oid, sizeof some_oid };
}

static void test_acn_mismatch(void)
{
	uint8_t b[300], ui[100];
	struct { int ac, v, op; bool mismatch; } cases[] = {
		{ 20, 3, 45, false }, { 20, 3, 47, false }, { 20, 3, 63, false }, { 20, 3, 44, true }, { 20, 3, 2, true },
		{ 25, 3, 44, false }, { 25, 3, 45, true }, { 21, 3, 46, false }, { 21, 3, 44, true },
		/* false positive 10: forwardSM (46) under shortMsgMT-RelayContext v2 */
		{ 25, 2, 46, false }, { 25, 2, 44, true }, { 25, 3, 46, true }, { 25, 1, 46, false },
		{ 21, 1, 46, false }, { 21, 2, 46, false },
		{ 1, 3, 2, false }, { 1, 3, 7, false }, { 1, 3, 57, false }, { 1, 1, 9, false },
		{ 1, 3, 45, true }, { 2, 3, 3, false }, { 2, 3, 67, true },
		/* infoRetrieval: v1 sendParameters, v2+ sendAuthenticationInfo */
		{ 14, 3, 56, false }, { 14, 2, 56, false }, { 14, 1, 9, false }, { 14, 1, 56, true },
		{ 14, 3, 9, true }, { 14, 3, 71, true },
		/* interVlrInfoRetrieval: v1 sendParameters, v2+ sendIdentification */
		{ 15, 3, 55, false }, { 15, 1, 9, false }, { 15, 2, 9, true }, { 15, 3, 2, true },
		{ 16, 3, 7, false }, { 16, 3, 8, false }, { 16, 3, 3, true },
		{ 19, 2, 59, false }, { 19, 2, 60, false }, { 19, 2, 61, false }, { 19, 2, 71, true },
		{ 22, 3, 5, false }, { 22, 3, 7, true },
		{ 23, 2, 64, false }, { 23, 1, 49, false }, { 23, 2, 45, true },
		/* mwdMngt: v1 noteSubscriberPresent, v2+ readyForSM */
		{ 24, 3, 66, false }, { 24, 1, 48, false }, { 24, 3, 48, true }, { 24, 1, 66, true },
		{ 29, 3, 71, false }, { 29, 3, 70, true }, { 28, 3, 70, false }, { 5, 3, 22, false },
		{ 5, 3, 45, true }, { 26, 2, 58, false }, { 27, 3, 67, false }, { 3, 3, 4, false },
		{ 10, 2, 37, false }, { 10, 2, 2, true },
		{ 32, 3, 23, false }, { 32, 3, 7, false }, { 32, 3, 2, true },
		{ 33, 3, 24, false }, { 37, 3, 85, false }, { 37, 3, 83, true }, { 38, 3, 83, false },
		{ 38, 3, 86, false }, { 38, 3, 85, true }, { 42, 3, 89, false }, { 42, 3, 71, true },
		{ 43, 3, 65, false }, { 43, 3, 62, false }, { 43, 3, 71, true },
		{ 99, 3, 45, false }, /* a context not in the table: not checked */
		{ 18, 2, 45, false }, /* nor one whose set is not listed */
		{ -1, 3, 44, false }, /* ACN not of the MAP form: not checked */
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		size_t n;
		int op = cases[k].op;
		if (op == 45)
			n = enc_map_sri_sm_arg(b, sizeof b, MSISDN, true, SMSC);
		else if (op == 47)
			n = enc_map_rsds_arg(b, sizeof b, MSISDN, SMSC, 0);
		else if (op == 44 || op == 46) {
			size_t un = mk_deliver(ui, sizeof ui, 1, "123", "a");
			n = enc_map_fsm_arg(b, sizeof b, SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, ui, un);
		} else
			n = enc_map_subscriber_arg(b, sizeof b, op, IMSI, MSISDN);
		CHECK(n > 0);
		uint64_t anom = 0;
		mk(TCAP_COMP_INVOKE, op, b, n);
		set_acn(cases[k].ac, cases[k].v);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(ANOM(ACN_OPCODE_MISMATCH), cases[k].mismatch);
		if (ANOM(ACN_OPCODE_MISMATCH) != cases[k].mismatch)
			fprintf(stderr, "  (ac %d v%d op %d)\n", cases[k].ac, cases[k].v, op);
	}
}

/* False positive 10 end to end: a MAP v2 forwardSM delivering an SMS under
 * shortMsgMT-RelayContext-v2 (0.4.0.0.1.0.25.2) decodes without an anomaly;
 * an mt-forwardSM under the v2 context is a mismatch. */
static void test_mt_relay_v2_msu(void)
{
	static struct msu m;
	uint8_t buf[1024];
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 46;
	s.tp_mti = SMS_MTI_DELIVER;
	s.acn = "0.4.0.0.1.0.25.2";
	s.cdpa_gt = ENC_HOME_MSC;
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	CHECK(n > 0);
	CHECK_INT(msu_decode(&m, buf, n), WIRE_OK);
	CHECK_INT(m.anomalies, 0);
	CHECK_INT(m.tcap.acn_ac, 25);
	CHECK_INT(m.tcap.acn_version, 2);
	CHECK_INT(m.tcap.comp[0].map.tp.mti, SMS_MTI_DELIVER);
	s.opcode = 44;
	n = enc_msu_build(buf, sizeof buf, &s);
	CHECK_INT(msu_decode(&m, buf, n), WIRE_OK);
	CHECK_INT(m.anomalies, ANOM_BIT(ANOM_ACN_OPCODE_MISMATCH));
	s.acn = "0.4.0.0.1.0.25.3";
	n = enc_msu_build(buf, sizeof buf, &s);
	CHECK_INT(msu_decode(&m, buf, n), WIRE_OK);
	CHECK_INT(m.anomalies, 0);
}

/* False positive 9 end to end: a MAP v1 RoutingInfoForSM-Res whose
 * LocationInfo is a roamingNumber [0] (shortMsgGatewayContext-v1) decodes
 * without map_undecoded; the End names its operation. */
static void test_sri_sm_res_v1_msu(void)
{
	static struct msu m;
	uint8_t buf[1024];
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_RESULT_LAST;
	s.acn = "0.4.0.0.1.0.20.1";
	s.map_result = true;
	s.map_form = 1;
	size_t n = enc_msu_build(buf, sizeof buf, &s);
	CHECK(n > 0);
	CHECK_INT(msu_decode(&m, buf, n), WIRE_OK);
	CHECK_INT(m.anomalies, 0);
	const struct map_fields *f = &m.tcap.comp[0].map;
	CHECK_INT(f->state, MAP_DECODED);
	CHECK_STR(ds(&f->imsi), ENC_HOME_IMSI);
	CHECK(f->roaming_nr.present);
	CHECK_STR(ds(&f->roaming_nr.d), ENC_MAP_MSRN);
	CHECK(!f->nnn.present);
	CHECK_STR(map_op_name_ctx(m.tcap.comp[0].opcode, &m.tcap), "sendRoutingInfoForSM");
}

static void test_op_names_ctx(void)
{
	memset(&tc, 0, sizeof tc);
	CHECK_STR(map_op_name_ctx(46, NULL), "forwardSM");
	CHECK_STR(map_op_name_ctx(46, &tc), "forwardSM");
	set_acn(21, 2);
	CHECK_STR(map_op_name_ctx(46, &tc), "forwardSM");
	set_acn(21, 1);
	CHECK_STR(map_op_name_ctx(46, &tc), "forwardSM");
	set_acn(21, 3);
	CHECK_STR(map_op_name_ctx(46, &tc), "mo-forwardSM");
	set_acn(-1, 0); /* an ACN, but not a MAP one */
	CHECK_STR(map_op_name_ctx(46, &tc), "mo-forwardSM");
	set_acn(20, 2);
	CHECK_STR(map_op_name_ctx(45, &tc), "sendRoutingInfoForSM");
	CHECK_STR(map_op_name_ctx(44, NULL), "mt-forwardSM");
	CHECK(map_op_name_ctx(1, NULL) == NULL);
}

/* Every strict prefix of the SRI-SM result, a forward-SM and an RSDS
 * argument is malformed (the outer length points past the data). */
static void test_prefixes(void)
{
	uint8_t b[300], ui[100];
	struct { uint8_t type; int op; size_t n; } v[3];
	uint8_t bufs[3][300];
	v[0].n = enc_map_sri_sm_res(bufs[0], sizeof bufs[0], IMSI, NODE);
	v[0].type = TCAP_COMP_RESULT_LAST;
	v[0].op = 45;
	size_t un = mk_deliver(ui, sizeof ui, 5, "MyBank", "hello");
	v[1].n = enc_map_fsm_arg(bufs[1], sizeof bufs[1], SM_RP_IMSI, IMSI, SM_RP_SC_ADDR, SMSC, ui, un);
	v[1].type = TCAP_COMP_INVOKE;
	v[1].op = 44;
	v[2].n = enc_map_rsds_arg(bufs[2], sizeof bufs[2], MSISDN, SMSC, 1);
	v[2].type = TCAP_COMP_INVOKE;
	v[2].op = 47;
	(void)b;
	for (int k = 0; k < 3; k++) {
		CHECK(v[k].n > 0);
		uint64_t anom = 0;
		struct tcap_component *c = mk(v[k].type, v[k].op, bufs[k], v[k].n);
		CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_OK);
		CHECK_INT(c->map.state, MAP_DECODED);
		/* (a result without a parameter is legal: not decoded) */
		for (size_t p = v[k].type == TCAP_COMP_INVOKE ? 0 : 1; p < v[k].n; p++) {
			anom = 0;
			c = mk(v[k].type, v[k].op, bufs[k], p);
			CHECK_INT(map_decode(&tc, 0, -1, &anom), WIRE_MALFORMED);
			CHECK_INT(c->map.state, MAP_DECODE_FAILED);
			CHECK(ANOM(MAP_UNDECODED));
		}
	}
}

TEST_MAIN("test_map", {
	RUN(test_sri_sm_arg);
	RUN(test_sri_sm_lenient);
	RUN(test_sri_sm_res);
	RUN(test_mt_forward_sm);
	RUN(test_mo_forward_sm);
	RUN(test_fsm_bad_tpdu);
	RUN(test_fsm_malformed);
	RUN(test_rsds);
	RUN(test_subscriber_ops);
	RUN(test_subscriber_ops_v2);
	RUN(test_results);
	RUN(test_ussd);
	RUN(test_new_fields_malformed);
	RUN(test_subscriber_forms);
	RUN(test_sri_sm_malformed);
	RUN(test_opcodes);
	RUN(test_acn_mismatch);
	RUN(test_mt_relay_v2_msu);
	RUN(test_sri_sm_res_v1_msu);
	RUN(test_op_names_ctx);
	RUN(test_prefixes);
})
