/* TCAP decoder (ITU-T Q.773) and its test encoder: every message type, every
 * component type, every anomaly, the three BER length forms, every prefix,
 * the component limit, and a byte-exact vector derived by hand from Q.773. */
#include <stdlib.h>

#include "harness.h"
#include "enc/enc-layers.h"
#include "ss7fw/wire.h"

#define A(x) ANOM_BIT(ANOM_##x)
#define FORM_BITS (A(INDEFINITE_LENGTH) | A(LONG_FORM_LENGTH))

static const uint8_t otid4[] = { 0x0a, 0x0b, 0x0c, 0x0d };
static const uint8_t dtid4[] = { 0x01, 0x02, 0x03, 0x04 };
static const uint8_t tid9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

/* SRI-SM argument (TS 29.002 RoutingInfoForSM-Arg): msisdn [0] 9991255000001,
 * sm-RP-PRI [1] TRUE, serviceCentreAddress [2] 999340001. */
static const uint8_t sri_sm_arg[] = {
	0x30, 0x15,
	0x80, 0x08, 0x91, 0x99, 0x19, 0x52, 0x05, 0x00, 0x00, 0xf1,
	0x81, 0x01, 0xff,
	0x82, 0x06, 0x91, 0x99, 0x39, 0x04, 0x00, 0xf1,
};
static const uint8_t small_param[] = { 0x04, 0x02, 0xaa, 0xbb };

/* The hand-derived SRI-SM Begin (Q.773 4.2.1/4.2.2, Annex A AARQ-apdu):
 *   62 47                          Begin [APPLICATION 2], 71 octets
 *     48 04 0a0b0c0d               otid [APPLICATION 8]
 *     6b 1e                        dialoguePortion [APPLICATION 11]
 *       28 1c                      EXTERNAL [UNIVERSAL 8]
 *         06 07 00 11 86 05 01 01 01   direct-reference dialogue-as-id
 *                                  (0.0 -> 00, 17 -> 11, 773 -> 86 05, 1, 1, 1)
 *         a0 11                    single-ASN1-type [0]
 *           60 0f                  AARQ-apdu [APPLICATION 0]
 *             80 02 07 80          protocol-version [0] {version1}
 *             a1 09 06 07 04 00 00 01 00 14 03
 *                                  application-context-name [1] 0.4.0.0.1.0.20.3
 *     6c 1f                        components [APPLICATION 12]
 *       a1 1d                      invoke [1]
 *         02 01 01                 invokeID 1
 *         02 01 2d                 opcode local 45 (sendRoutingInfoForSM)
 *         30 15 ...                parameter (sri_sm_arg, 23 octets)
 * Oracle: tshark (Debian 12) shows these bytes as begin, otid 0a0b0c0d,
 * id-as-dialogue, dialogueRequest with shortMsgGatewayContext-v3, invoke 1
 * sendRoutingInfoForSM with msisdn 9991255000001 and SC 999340001. */
static const uint8_t hand_begin[] = {
	0x62, 0x47,
	0x48, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
	0x6b, 0x1e, 0x28, 0x1c,
	0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
	0xa0, 0x11, 0x60, 0x0f,
	0x80, 0x02, 0x07, 0x80,
	0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03,
	0x6c, 0x1f, 0xa1, 0x1d,
	0x02, 0x01, 0x01,
	0x02, 0x01, 0x2d,
	0x30, 0x15,
	0x80, 0x08, 0x91, 0x99, 0x19, 0x52, 0x05, 0x00, 0x00, 0xf1,
	0x81, 0x01, 0xff,
	0x82, 0x06, 0x91, 0x99, 0x39, 0x04, 0x00, 0xf1,
};

static void set_invoke(struct enc_tcap_comp *k, int32_t id, int32_t op, const uint8_t *p, size_t n)
{
	memset(k, 0, sizeof *k);
	k->type = TCAP_COMP_INVOKE;
	k->invoke_id = id;
	k->has_opcode = true;
	k->opcode = op;
	k->param = p;
	k->param_len = n;
}

/* The encoder input of hand_begin. */
static struct enc_tcap sri_sm_begin(void)
{
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = TCAP_BEGIN;
	t.otid = otid4;
	t.otid_len = sizeof otid4;
	t.acn = "0.4.0.0.1.0.20.3";
	t.abort_cause = -1;
	t.n_comp = 1;
	set_invoke(&t.comp[0], 1, 45, sri_sm_arg, sizeof sri_sm_arg);
	return t;
}

/* A Continue with an AARE and one of every component type. */
static struct enc_tcap rich_continue(enum ber_len_form form)
{
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = TCAP_CONTINUE;
	t.otid = otid4;
	t.otid_len = sizeof otid4;
	t.dtid = dtid4;
	t.dtid_len = sizeof dtid4;
	t.acn = "0.4.0.0.1.0.25.3";
	t.abort_cause = -1;
	t.form = form;
	t.n_comp = 6;
	set_invoke(&t.comp[0], 5, 46, small_param, sizeof small_param);
	t.comp[0].has_linked_id = true;
	t.comp[0].linked_id = 4;
	t.comp[1].type = TCAP_COMP_RESULT;
	t.comp[1].invoke_id = 2;
	t.comp[1].has_opcode = true;
	t.comp[1].opcode = 45;
	t.comp[1].param = small_param;
	t.comp[1].param_len = sizeof small_param;
	t.comp[2].type = TCAP_COMP_RESULT_LAST;
	t.comp[2].invoke_id = -3;
	t.comp[3].type = TCAP_COMP_ERROR;
	t.comp[3].invoke_id = 7;
	t.comp[3].error = 34;
	t.comp[3].param = small_param;
	t.comp[3].param_len = sizeof small_param;
	t.comp[4].type = TCAP_COMP_REJECT;
	t.comp[4].invoke_id = 9;
	t.comp[4].problem_type = 1;
	t.comp[4].problem = 2;
	set_invoke(&t.comp[5], 6, 0, NULL, 0);
	t.comp[5].opcode_oid = "1.2.3.300";
	return t;
}

static size_t build(uint8_t *buf, size_t cap, const struct enc_tcap *t)
{
	size_t n = enc_tcap(buf, cap, t);
	CHECK(n > 0);
	return n;
}

static enum wire_result dec(const uint8_t *p, size_t n, struct tcap_info *t, uint64_t *anom)
{
	*anom = 0;
	return tcap_decode(t, (struct bytes){ p, n }, anom);
}

static void check_bytes(struct bytes b, const uint8_t *want, size_t n)
{
	CHECK_INT(b.len, n);
	if (b.len == n && n)
		CHECK_MEM(b.p, want, n);
}

/* ---- the byte-exact vector */

static void test_hand_vector(void)
{
	uint8_t buf[256];
	struct enc_tcap e = sri_sm_begin();
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(n, sizeof hand_begin);
	CHECK_MEM(buf, hand_begin, sizeof hand_begin);

	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(hand_begin, sizeof hand_begin, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(t.present);
	CHECK_INT(t.type, TCAP_BEGIN);
	check_bytes(t.otid, otid4, 4);
	CHECK_INT(t.dtid.len, 0);
	CHECK_INT(t.dialogue, TCAP_DLG_AARQ);
	CHECK(t.acn.p == hand_begin + 33);
	CHECK_INT(t.acn.len, 7);
	CHECK(t.acn_is_map);
	CHECK_INT(t.acn_ac, 20);
	CHECK_INT(t.acn_version, 3);
	CHECK(!t.has_abort_cause);
	CHECK(!t.has_dialogue_result);
	CHECK_INT(t.n_components, 1);
	const struct tcap_component *k = &t.comp[0];
	CHECK_INT(k->type, TCAP_COMP_INVOKE);
	CHECK(k->has_invoke_id);
	CHECK_INT(k->invoke_id, 1);
	CHECK(!k->has_linked_id);
	CHECK(k->has_opcode);
	CHECK(!k->opcode_global);
	CHECK_INT(k->opcode, 45);
	CHECK(k->param.p == hand_begin + 50);
	check_bytes(k->param, sri_sm_arg, sizeof sri_sm_arg);
	CHECK_INT(k->map.state, MAP_NOT_DECODED);
	CHECK(!k->has_error && !k->has_problem);

	/* anomaly bits are ORed in, never cleared */
	anom = A(SEGMENTED);
	CHECK_INT(tcap_decode(&t, (struct bytes){ hand_begin, sizeof hand_begin }, &anom), WIRE_OK);
	CHECK_INT(anom, A(SEGMENTED));
}

/* ---- message types */

static void test_unidirectional(void)
{
	uint8_t buf[256];
	struct enc_tcap e = sri_sm_begin();
	e.type = TCAP_UNIDIRECTIONAL;
	e.otid = NULL;
	e.acn = "0.4.0.0.1.0.21.2";
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(buf[0], 0x61);
	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(t.type, TCAP_UNIDIRECTIONAL);
	CHECK_INT(t.dialogue, TCAP_DLG_AUDT);
	CHECK_INT(t.acn_ac, 21);
	CHECK_INT(t.acn_version, 2);
	CHECK_INT(t.n_components, 1);
	CHECK_INT(t.comp[0].opcode, 45);
	/* Unidirectional must carry components */
	e.n_comp = 0;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* and no transaction id */
	e.n_comp = 1;
	e.otid = otid4;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
}

static void test_continue_end(void)
{
	uint8_t buf[512];
	struct enc_tcap e = rich_continue(BER_LEN_MIN);
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(buf[0], 0x65);
	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(MULTI_COMPONENT) | A(TCAP_LINKED_ID) | A(GLOBAL_OPCODE));
	CHECK_INT(t.type, TCAP_CONTINUE);
	check_bytes(t.otid, otid4, 4);
	check_bytes(t.dtid, dtid4, 4);
	CHECK_INT(t.dialogue, TCAP_DLG_AARE);
	CHECK(t.has_dialogue_result);
	CHECK_INT(t.dialogue_result, 0);
	CHECK(t.acn_is_map);
	CHECK_INT(t.acn_ac, 25);
	CHECK_INT(t.n_components, 6);

	/* End: dtid only, AARE, a result without a result sequence */
	memset(&e, 0, sizeof e);
	e.type = TCAP_END;
	e.dtid = dtid4;
	e.dtid_len = 4;
	e.acn = "0.4.0.0.1.0.20.3";
	e.abort_cause = -1;
	e.n_comp = 1;
	e.comp[0].type = TCAP_COMP_RESULT_LAST;
	e.comp[0].invoke_id = 1;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(buf[0], 0x64);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(t.type, TCAP_END);
	CHECK_INT(t.otid.len, 0);
	check_bytes(t.dtid, dtid4, 4);
	CHECK_INT(t.dialogue, TCAP_DLG_AARE);
	CHECK_INT(t.n_components, 1);
	CHECK_INT(t.comp[0].type, TCAP_COMP_RESULT_LAST);
	CHECK_INT(t.comp[0].invoke_id, 1);
	CHECK(!t.comp[0].has_opcode);
	CHECK_INT(t.comp[0].param.len, 0);
	/* End without components or dialogue (the classic handshake end) */
	e.acn = NULL;
	e.n_comp = 0;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(n, 8);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(TCAP_EMPTY));
	CHECK_INT(t.dialogue, TCAP_DLG_NONE);
	CHECK_INT(t.acn.len, 0);
}

static void test_abort(void)
{
	uint8_t buf[256];
	struct tcap_info t;
	uint64_t anom;
	struct enc_tcap e;
	memset(&e, 0, sizeof e);
	e.type = TCAP_ABORT;
	e.dtid = dtid4;
	e.dtid_len = 4;
	e.abort_cause = 1; /* unrecognizedTransactionID */
	size_t n = build(buf, sizeof buf, &e);
	static const uint8_t want[] = { 0x67, 0x09, 0x49, 0x04, 1, 2, 3, 4, 0x4a, 0x01, 0x01 };
	CHECK_INT(n, sizeof want);
	CHECK_MEM(buf, want, sizeof want);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(t.type, TCAP_ABORT);
	check_bytes(t.dtid, dtid4, 4);
	CHECK(t.has_abort_cause);
	CHECK_INT(t.abort_cause, 1);
	CHECK_INT(t.dialogue, TCAP_DLG_NONE);
	CHECK_INT(t.n_components, 0);

	/* no reason at all */
	e.abort_cause = -1;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(!t.has_abort_cause);

	/* u-abort with ABRT */
	e.dialogue = TCAP_DLG_ABRT;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(t.dialogue, TCAP_DLG_ABRT);
	CHECK(!t.has_abort_cause);
	CHECK_INT(t.acn.len, 0);

	/* dialogue refused: AARE in an Abort */
	e.dialogue = TCAP_DLG_AARE;
	e.acn = "0.4.0.0.1.0.20.2";
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK_INT(t.dialogue, TCAP_DLG_AARE);
	CHECK_INT(t.acn_version, 2);

	/* both reasons: the CHOICE allows one */
	e.dialogue = TCAP_DLG_ABRT;
	e.abort_cause = 2;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));

	/* components are not part of an Abort */
	e.dialogue = 0;
	e.acn = NULL;
	e.abort_cause = -1;
	e.n_comp = 1;
	set_invoke(&e.comp[0], 1, 45, NULL, 0);
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));

	/* P-AbortCause out of range */
	static const uint8_t big_cause[] = { 0x67, 0x0a, 0x49, 0x04, 1, 2, 3, 4, 0x4a, 0x02, 0x01, 0x00 };
	CHECK_INT(dec(big_cause, sizeof big_cause, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
}

/* ---- components */

static void test_components(void)
{
	uint8_t buf[512];
	struct enc_tcap e = rich_continue(BER_LEN_MIN);
	size_t n = build(buf, sizeof buf, &e);
	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(t.n_components, 6);
	const struct tcap_component *k = t.comp;

	CHECK_INT(k[0].type, TCAP_COMP_INVOKE);
	CHECK_INT(k[0].invoke_id, 5);
	CHECK(k[0].has_linked_id);
	CHECK_INT(k[0].linked_id, 4);
	CHECK(k[0].has_opcode && !k[0].opcode_global);
	CHECK_INT(k[0].opcode, 46);
	check_bytes(k[0].param, small_param, sizeof small_param);

	CHECK_INT(k[1].type, TCAP_COMP_RESULT);
	CHECK_INT(k[1].invoke_id, 2);
	CHECK(k[1].has_opcode);
	CHECK_INT(k[1].opcode, 45);
	check_bytes(k[1].param, small_param, sizeof small_param);

	CHECK_INT(k[2].type, TCAP_COMP_RESULT_LAST);
	CHECK_INT(k[2].invoke_id, -3);
	CHECK(!k[2].has_opcode);

	CHECK_INT(k[3].type, TCAP_COMP_ERROR);
	CHECK_INT(k[3].invoke_id, 7);
	CHECK(k[3].has_error && !k[3].error_global);
	CHECK_INT(k[3].error, 34);
	check_bytes(k[3].param, small_param, sizeof small_param);

	CHECK_INT(k[4].type, TCAP_COMP_REJECT);
	CHECK(k[4].has_invoke_id);
	CHECK_INT(k[4].invoke_id, 9);
	CHECK(k[4].has_problem);
	CHECK_INT(k[4].problem_type, 1);
	CHECK_INT(k[4].problem, 2);
	CHECK_INT(k[4].param.len, 0);

	CHECK_INT(k[5].type, TCAP_COMP_INVOKE);
	CHECK(k[5].opcode_global);
	static const uint8_t oid[] = { 0x2a, 0x03, 0x82, 0x2c }; /* 1.2.3.300 */
	check_bytes(k[5].opcode_oid, oid, sizeof oid);
	CHECK_INT(k[5].param.len, 0);
	CHECK(!k[5].has_linked_id);
}

static void test_error_and_reject_forms(void)
{
	uint8_t buf[256];
	struct tcap_info t;
	uint64_t anom;
	struct enc_tcap e;
	memset(&e, 0, sizeof e);
	e.type = TCAP_END;
	e.dtid = dtid4;
	e.dtid_len = 4;
	e.abort_cause = -1;
	e.n_comp = 1;
	/* global error code */
	e.comp[0].type = TCAP_COMP_ERROR;
	e.comp[0].invoke_id = 1;
	e.comp[0].opcode_oid = "0.4.0.0.1.4.27";
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(GLOBAL_OPCODE));
	CHECK(t.comp[0].has_error && t.comp[0].error_global);
	static const uint8_t eoid[] = { 0x04, 0x00, 0x00, 0x01, 0x04, 0x1b };
	check_bytes(t.comp[0].opcode_oid, eoid, sizeof eoid);
	CHECK(!t.comp[0].has_opcode);
	/* return error without an error code */
	static const uint8_t no_code[] = { 0x64, 0x0d, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x01 };
	CHECK_INT(dec(no_code, sizeof no_code, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));

	/* reject: each problem type, derivable and not-derivable */
	for (uint8_t pt = 0; pt <= 3; pt++) {
		memset(&e.comp[0], 0, sizeof e.comp[0]);
		e.comp[0].type = TCAP_COMP_REJECT;
		e.comp[0].invoke_id = pt & 1 ? INT32_MIN : 100;
		e.comp[0].problem_type = pt;
		e.comp[0].problem = (uint8_t)(pt + 3);
		n = build(buf, sizeof buf, &e);
		CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
		CHECK_INT(anom, 0);
		CHECK_INT(t.comp[0].type, TCAP_COMP_REJECT);
		CHECK_INT(t.comp[0].has_invoke_id, !(pt & 1));
		CHECK_INT(t.comp[0].invoke_id, pt & 1 ? 0 : 100);
		CHECK(t.comp[0].has_problem);
		CHECK_INT(t.comp[0].problem_type, pt);
		CHECK_INT(t.comp[0].problem, pt + 3);
	}
	/* problem tag [4] does not exist */
	e.comp[0].problem_type = 4;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* NULL with contents */
	static const uint8_t bad_null[] = { 0x64, 0x0f, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x07,
		0xa4, 0x05, 0x05, 0x01, 0x00, 0x80, 0x00 };
	CHECK_INT(dec(bad_null, sizeof bad_null, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* NULL invoke id is only for a Reject */
	static const uint8_t null_invoke[] = { 0x64, 0x0e, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x06,
		0xa1, 0x04, 0x05, 0x00, 0x02, 0x00 };
	CHECK_INT(dec(null_invoke, sizeof null_invoke, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* a reject with something after the problem */
	static const uint8_t rej_trail[] = { 0x64, 0x12, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x0a,
		0xa4, 0x08, 0x02, 0x01, 0x01, 0x80, 0x01, 0x00, 0x05, 0x00 };
	CHECK_INT(dec(rej_trail, sizeof rej_trail, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TRAILING_BYTES));
}

/* ---- anomalies */

static void expect(const struct enc_tcap *e, enum wire_result want, uint64_t bits, int line)
{
	uint8_t buf[1024];
	size_t n = enc_tcap(buf, sizeof buf, e);
	struct tcap_info t;
	uint64_t anom;
	enum wire_result r = dec(buf, n, &t, &anom);
	if (n == 0 || r != want || anom != bits) {
		fprintf(stderr, "line %d: result %d (want %d), anomalies %#llx (want %#llx)\n", line,
			r, want, (unsigned long long)anom, (unsigned long long)bits);
		enc_hexdump("message", buf, n);
		th_checks_failed++;
	}
}
#define EXPECT(e, r, bits) expect(&(e), (r), (bits), __LINE__)

static void test_tid_anomalies(void)
{
	struct enc_tcap e = sri_sm_begin();
	EXPECT(e, WIRE_OK, 0);
	e.otid = tid9;
	for (size_t l = 5; l <= 8; l++) {
		e.otid_len = l;
		EXPECT(e, WIRE_OK, A(LONG_TID));
	}
	e.otid_len = 9;
	EXPECT(e, WIRE_MALFORMED, A(LONG_TID));
	uint8_t buf[256];
	size_t n = build(buf, sizeof buf, &e);
	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	check_bytes(t.otid, tid9, TCAP_MAX_TID); /* kept up to the limit */
	e.otid_len = 0;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	e.otid_len = 1;
	EXPECT(e, WIRE_OK, 0);
	/* missing ids */
	e.otid = NULL;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	e = rich_continue(BER_LEN_MIN);
	e.dtid = NULL;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	e = rich_continue(BER_LEN_MIN);
	e.otid = NULL;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	e.type = TCAP_END;
	EXPECT(e, WIRE_OK, A(MULTI_COMPONENT) | A(TCAP_LINKED_ID) | A(GLOBAL_OPCODE));
	e.dtid = NULL;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	/* an otid where it does not belong */
	e = rich_continue(BER_LEN_MIN);
	e.type = TCAP_END;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	e = sri_sm_begin();
	e.dtid = dtid4;
	e.dtid_len = 4;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_STRUCTURE));
	/* repeated, out of order, constructed */
	static const uint8_t dup[] = { 0x62, 0x0c, 0x48, 0x04, 1, 2, 3, 4, 0x48, 0x04, 5, 6, 7, 8 };
	static const uint8_t swapped[] = { 0x65, 0x0c, 0x49, 0x04, 1, 2, 3, 4, 0x48, 0x04, 5, 6, 7, 8 };
	static const uint8_t constructed[] = { 0x62, 0x08, 0x68, 0x06, 0x04, 0x04, 1, 2, 3, 4 };
	CHECK_INT(dec(dup, sizeof dup, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	CHECK_INT(dec(swapped, sizeof swapped, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	CHECK_INT(dec(constructed, sizeof constructed, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* a Begin with only its otid: legal, no dialogue, no components */
	CHECK_INT(dec(dup, 8, &t, &anom), WIRE_TRUNCATED); /* length says 12 */
	static const uint8_t bare[] = { 0x62, 0x06, 0x48, 0x04, 1, 2, 3, 4 };
	CHECK_INT(dec(bare, sizeof bare, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(TCAP_NO_DIALOGUE) | A(TCAP_EMPTY));
}

static void test_message_anomalies(void)
{
	struct tcap_info t;
	uint64_t anom;
	uint8_t buf[256];
	struct enc_tcap e = sri_sm_begin();
	size_t n = build(buf, sizeof buf, &e);

	/* trailing bytes after the message */
	buf[n] = 0x00;
	buf[n + 1] = 0x00;
	CHECK_INT(dec(buf, n + 2, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(TRAILING_BYTES));
	CHECK_INT(t.n_components, 1);

	/* unknown message types: [APPLICATION 3], [APPLICATION 6] */
	buf[0] = 0x63;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG));
	CHECK(!t.present);
	CHECK_INT(t.type, TCAP_NONE);
	buf[0] = 0x66;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG));
	/* ANSI TCAP (PRIVATE class query 0xe2) and a SEQUENCE: not ITU TCAP */
	buf[0] = 0xe2;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG) | A(NOT_TCAP));
	buf[0] = 0x30;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG) | A(NOT_TCAP));
	/* primitive Begin */
	buf[0] = 0x42;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG) | A(NOT_TCAP));
	buf[0] = 0x62;
	CHECK_INT(dec(NULL, 0, &t, &anom), WIRE_TRUNCATED);
	CHECK_INT(anom, A(TRUNCATED));

	/* unknown elements inside the message */
	static const uint8_t app13[] = { 0x62, 0x0a, 0x48, 0x04, 1, 2, 3, 4, 0x4d, 0x02, 0x00, 0x00 };
	static const uint8_t ctx0[] = { 0x62, 0x08, 0x48, 0x04, 1, 2, 3, 4, 0x80, 0x00 };
	CHECK_INT(dec(app13, sizeof app13, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG));
	CHECK_INT(dec(ctx0, sizeof ctx0, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(UNKNOWN_TAG));
	/* an inner length past its container; an illegal length form */
	static const uint8_t inner_long[] = { 0x62, 0x06, 0x48, 0x08, 1, 2, 3, 4 };
	static const uint8_t len5[] = { 0x62, 0x0a, 0x48, 0x85, 0, 0, 0, 0, 1, 1, 2, 3 };
	CHECK_INT(dec(inner_long, sizeof inner_long, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TRUNCATED));
	CHECK(t.present);
	CHECK_INT(t.type, TCAP_BEGIN);
	CHECK_INT(dec(len5, sizeof len5, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(BER_ILLEGAL));
	static const uint8_t outer_len5[] = { 0x62, 0x85, 0, 0, 0, 0, 1, 0 };
	CHECK_INT(dec(outer_len5, sizeof outer_len5, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(BER_ILLEGAL));

	/* no dialogue; no components; an empty component portion */
	e.acn = NULL;
	EXPECT(e, WIRE_OK, A(TCAP_NO_DIALOGUE));
	e = sri_sm_begin();
	e.n_comp = 0;
	EXPECT(e, WIRE_OK, A(TCAP_EMPTY));
	e.n_comp = -1;
	EXPECT(e, WIRE_OK, A(TCAP_EMPTY));
	e = rich_continue(BER_LEN_MIN);
	e.n_comp = -1;
	EXPECT(e, WIRE_OK, A(TCAP_EMPTY));
	e.n_comp = 0;
	EXPECT(e, WIRE_OK, A(TCAP_EMPTY));
	/* a dialogue portion after the components */
	static const uint8_t order[] = { 0x62, 0x0a, 0x48, 0x04, 1, 2, 3, 4, 0x6c, 0x00, 0x6b, 0x00 };
	CHECK_INT(dec(order, sizeof order, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
}

static void test_component_anomalies(void)
{
	struct enc_tcap e = sri_sm_begin();
	/* several components */
	e.n_comp = 2;
	set_invoke(&e.comp[1], 2, 45, sri_sm_arg, sizeof sri_sm_arg);
	EXPECT(e, WIRE_OK, A(MULTI_COMPONENT));
	/* a linked id */
	e.comp[1].has_linked_id = true;
	e.comp[1].linked_id = 1;
	EXPECT(e, WIRE_OK, A(MULTI_COMPONENT) | A(TCAP_LINKED_ID));
	/* a global opcode */
	e.n_comp = 1;
	e.comp[0].opcode_oid = "0.4.0.0.1.3.45";
	EXPECT(e, WIRE_OK, A(GLOBAL_OPCODE));
	/* unknown component tags */
	e = sri_sm_begin();
	e.n_comp = 2;
	set_invoke(&e.comp[1], 2, 45, NULL, 0);
	static const uint8_t unknown_types[] = { 0, 6, 8, 9, 30 }; /* written as [n] */
	for (size_t i = 0; i < sizeof unknown_types; i++) {
		e.comp[1].type = unknown_types[i];
		EXPECT(e, WIRE_MALFORMED, A(UNKNOWN_TAG));
	}
	/* a parameter followed by another element */
	static const uint8_t two[] = { 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb };
	e = sri_sm_begin();
	e.comp[0].param = two;
	e.comp[0].param_len = sizeof two;
	EXPECT(e, WIRE_MALFORMED, A(TRAILING_BYTES));
	/* a result sequence without an opcode; a result followed by more */
	struct tcap_info t;
	uint64_t anom;
	static const uint8_t res_empty_seq[] = { 0x64, 0x0f, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x07,
		0xa2, 0x05, 0x02, 0x01, 0x01, 0x30, 0x00 };
	CHECK_INT(dec(res_empty_seq, sizeof res_empty_seq, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	static const uint8_t res_not_seq[] = { 0x64, 0x10, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x08,
		0xa2, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x2d };
	CHECK_INT(dec(res_not_seq, sizeof res_not_seq, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	static const uint8_t res_more[] = { 0x64, 0x14, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x0c,
		0xa2, 0x0a, 0x02, 0x01, 0x01, 0x30, 0x03, 0x02, 0x01, 0x2d, 0x05, 0x00 };
	CHECK_INT(dec(res_more, sizeof res_more, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TRAILING_BYTES));
	/* an invoke without an opcode; a five-octet invoke id; a primitive component */
	static const uint8_t no_op[] = { 0x64, 0x0d, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x05,
		0xa1, 0x03, 0x02, 0x01, 0x01 };
	CHECK_INT(dec(no_op, sizeof no_op, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	static const uint8_t id5[] = { 0x64, 0x14, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x0c,
		0xa1, 0x0a, 0x02, 0x05, 0, 0, 0, 0, 1, 0x02, 0x01, 0x2d };
	CHECK_INT(dec(id5, sizeof id5, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	static const uint8_t prim_comp[] = { 0x64, 0x0b, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x03,
		0x81, 0x01, 0x01 };
	CHECK_INT(dec(prim_comp, sizeof prim_comp, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	/* a constructed linked id; a malformed global opcode */
	static const uint8_t linked_c[] = { 0x64, 0x13, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x0b,
		0xa1, 0x09, 0x02, 0x01, 0x01, 0xa0, 0x01, 0x02, 0x02, 0x01, 0x2d };
	CHECK_INT(dec(linked_c, sizeof linked_c, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
	static const uint8_t bad_oid[] = { 0x64, 0x10, 0x49, 0x04, 1, 2, 3, 4, 0x6c, 0x08,
		0xa1, 0x06, 0x02, 0x01, 0x01, 0x06, 0x01, 0x81 };
	CHECK_INT(dec(bad_oid, sizeof bad_oid, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(anom, A(TCAP_BAD_STRUCTURE));
}

static void test_dialogue_anomalies(void)
{
	struct enc_tcap e = sri_sm_begin();
	struct tcap_info t;
	uint64_t anom;
	uint8_t buf[256];
	size_t n;
	/* ACNs outside the MAP form */
	static const char *const ext[] = {
		"0.4.0.0.1.0.20.3.1",   /* extra arc */
		"0.4.0.0.1.1.20.3",     /* another arc */
		"0.4.0.0.1.0.200.3",    /* multi-octet ac */
		"0.4.0.0.1.0.20",       /* short */
		"0.4.0.0.1.0.131",      /* seven octets 04 00 00 01 00 81 03, one arc short */
		"1.2.840.113549.1",
	};
	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		e.acn = ext[i];
		EXPECT(e, WIRE_OK, A(ACN_EXTENDED));
		n = build(buf, sizeof buf, &e);
		CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
		CHECK(!t.acn_is_map);
		CHECK_INT(t.acn_ac, 0);
		CHECK(t.acn.len > 0);
		CHECK_INT(t.dialogue, TCAP_DLG_AARQ);
	}
	/* a dialogue PDU in the wrong message */
	e = sri_sm_begin();
	e.dialogue = TCAP_DLG_AARE;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_DIALOGUE));
	e.dialogue = TCAP_DLG_ABRT;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_DIALOGUE));
	e.dialogue = TCAP_DLG_AUDT;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_DIALOGUE));
	e = rich_continue(BER_LEN_MIN);
	e.n_comp = 1;
	e.dialogue = TCAP_DLG_AARQ;
	EXPECT(e, WIRE_MALFORMED, A(TCAP_BAD_DIALOGUE));
	/* an unknown abstract syntax */
	e = sri_sm_begin();
	e.dialogue = TCAP_DLG_OTHER;
	EXPECT(e, WIRE_MALFORMED, A(UNKNOWN_TAG));
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
	CHECK_INT(t.dialogue, TCAP_DLG_OTHER);

	/* hand-made broken dialogue portions, each inside
	 * 62 LL 48 04 01020304 6b LL ... */
	static const uint8_t aarq_no_acn[] = { 0x28, 0x0f, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x04, 0x60, 0x02, 0x80, 0x00 };
	static const uint8_t aarq_two_acn[] = { 0x28, 0x1f, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x14, 0x60, 0x12,
		0xa1, 0x07, 0x06, 0x05, 0x04, 0x00, 0x00, 0x01, 0x00,
		0xa1, 0x07, 0x06, 0x05, 0x04, 0x00, 0x00, 0x01, 0x01 };
	static const uint8_t aarq_unknown[] = { 0x28, 0x11, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x06, 0x60, 0x04, 0x85, 0x02, 0x00, 0x00 };
	static const uint8_t aare_no_result[] = { 0x28, 0x18, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x0d, 0x61, 0x0b,
		0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03 };
	static const uint8_t not_external[] = { 0x30, 0x00 };
	static const uint8_t octet_aligned[] = { 0x28, 0x0b, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0x81, 0x00 };
	static const uint8_t no_encoding[] = { 0x28, 0x09, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 };
	static const uint8_t empty_single[] = { 0x28, 0x0b, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x00 };
	static const uint8_t pdu_app2[] = { 0x28, 0x0d, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x02, 0x62, 0x00 };
	static const uint8_t acn_not_oid[] = { 0x28, 0x13, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x08, 0x60, 0x06, 0xa1, 0x04, 0x04, 0x02, 0x04, 0x00 };
	static const struct {
		const uint8_t *p;
		size_t n;
		uint64_t bits;
	} cases[] = {
		{ aarq_no_acn, sizeof aarq_no_acn, A(TCAP_BAD_DIALOGUE) },
		{ aarq_two_acn, sizeof aarq_two_acn, A(TCAP_BAD_DIALOGUE) | A(ACN_EXTENDED) },
		{ aarq_unknown, sizeof aarq_unknown, A(UNKNOWN_TAG) },
		{ aare_no_result, sizeof aare_no_result, A(TCAP_BAD_DIALOGUE) },
		{ not_external, sizeof not_external, A(TCAP_BAD_DIALOGUE) },
		{ octet_aligned, sizeof octet_aligned, A(TCAP_BAD_DIALOGUE) },
		{ no_encoding, sizeof no_encoding, A(TCAP_BAD_DIALOGUE) },
		{ empty_single, sizeof empty_single, A(TCAP_BAD_DIALOGUE) },
		{ pdu_app2, sizeof pdu_app2, A(UNKNOWN_TAG) },
		{ acn_not_oid, sizeof acn_not_oid, A(TCAP_BAD_DIALOGUE) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint8_t type = cases[i].p == aare_no_result ? 0x65 : 0x62;
		n = 0;
		buf[n++] = type;
		buf[n++] = (uint8_t)(6 + 2 + cases[i].n + (type == 0x65 ? 6 : 0));
		buf[n++] = 0x48;
		buf[n++] = 4;
		memcpy(buf + n, otid4, 4);
		n += 4;
		if (type == 0x65) {
			buf[n++] = 0x49;
			buf[n++] = 4;
			memcpy(buf + n, dtid4, 4);
			n += 4;
		}
		buf[n++] = 0x6b;
		buf[n++] = (uint8_t)cases[i].n;
		memcpy(buf + n, cases[i].p, cases[i].n);
		n += cases[i].n;
		CHECK_INT(buf[1], n - 2);
		enum wire_result r = dec(buf, n, &t, &anom);
		if (r != WIRE_MALFORMED || anom != cases[i].bits) {
			fprintf(stderr, "dialogue case %zu: result %d anomalies %#llx\n", i, r,
				(unsigned long long)anom);
			th_checks_failed++;
		}
	}
}

/* ---- the three length forms */

static void same_bytes(struct bytes a, struct bytes b)
{
	CHECK_INT(a.len, b.len);
	if (a.len == b.len && a.len)
		CHECK_MEM(a.p, b.p, a.len);
}

static void same_info(const struct tcap_info *a, const struct tcap_info *b)
{
	CHECK_INT(a->present, b->present);
	CHECK_INT(a->type, b->type);
	same_bytes(a->otid, b->otid);
	same_bytes(a->dtid, b->dtid);
	CHECK_INT(a->dialogue, b->dialogue);
	same_bytes(a->acn, b->acn);
	CHECK_INT(a->acn_is_map, b->acn_is_map);
	CHECK_INT(a->acn_ac, b->acn_ac);
	CHECK_INT(a->acn_version, b->acn_version);
	CHECK_INT(a->has_abort_cause, b->has_abort_cause);
	CHECK_INT(a->abort_cause, b->abort_cause);
	CHECK_INT(a->has_dialogue_result, b->has_dialogue_result);
	CHECK_INT(a->dialogue_result, b->dialogue_result);
	CHECK_INT(a->n_components, b->n_components);
	for (unsigned i = 0; i < a->n_components && i < TCAP_MAX_COMPONENTS; i++) {
		const struct tcap_component *x = &a->comp[i], *y = &b->comp[i];
		CHECK_INT(x->type, y->type);
		CHECK_INT(x->has_invoke_id, y->has_invoke_id);
		CHECK_INT(x->invoke_id, y->invoke_id);
		CHECK_INT(x->has_linked_id, y->has_linked_id);
		CHECK_INT(x->linked_id, y->linked_id);
		CHECK_INT(x->has_opcode, y->has_opcode);
		CHECK_INT(x->opcode_global, y->opcode_global);
		CHECK_INT(x->opcode, y->opcode);
		same_bytes(x->opcode_oid, y->opcode_oid);
		CHECK_INT(x->has_error, y->has_error);
		CHECK_INT(x->error_global, y->error_global);
		CHECK_INT(x->error, y->error);
		CHECK_INT(x->has_problem, y->has_problem);
		CHECK_INT(x->problem_type, y->problem_type);
		CHECK_INT(x->problem, y->problem);
		same_bytes(x->param, y->param);
	}
}

static void test_length_forms(void)
{
	struct enc_tcap msgs[4];
	msgs[0] = sri_sm_begin();
	msgs[1] = rich_continue(BER_LEN_MIN);
	memset(&msgs[2], 0, sizeof msgs[2]);
	msgs[2].type = TCAP_ABORT;
	msgs[2].dtid = dtid4;
	msgs[2].dtid_len = 4;
	msgs[2].abort_cause = -1;
	msgs[2].dialogue = TCAP_DLG_ABRT;
	msgs[3] = sri_sm_begin();
	msgs[3].type = TCAP_UNIDIRECTIONAL;
	msgs[3].otid = NULL;
	for (int m = 0; m < 4; m++) {
		uint8_t ref_buf[512], buf[512];
		struct tcap_info ref, t;
		uint64_t ref_anom, anom;
		msgs[m].form = BER_LEN_MIN;
		size_t rn = build(ref_buf, sizeof ref_buf, &msgs[m]);
		CHECK_INT(dec(ref_buf, rn, &ref, &ref_anom), WIRE_OK);
		CHECK_INT(ref_anom & FORM_BITS, 0);
		for (int f = BER_LEN_LONG; f <= BER_LEN_INDEFINITE; f++) {
			msgs[m].form = (enum ber_len_form)f;
			size_t n = build(buf, sizeof buf, &msgs[m]);
			CHECK(n > rn);
			CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
			CHECK_INT(anom & ~FORM_BITS, ref_anom);
			CHECK_INT(anom & FORM_BITS, f == BER_LEN_LONG ? A(LONG_FORM_LENGTH) : A(INDEFINITE_LENGTH));
			same_info(&t, &ref);
		}
	}
	/* the long and indefinite forms of the hand vector's outer element */
	uint8_t buf[512];
	struct enc_tcap e = sri_sm_begin();
	e.form = BER_LEN_LONG;
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(buf[0], 0x62);
	CHECK_INT(buf[1], 0x81);
	CHECK_INT(buf[2], n - 3);
	e.form = BER_LEN_INDEFINITE;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(buf[1], 0x80);
	CHECK_INT(buf[n - 1], 0);
	CHECK_INT(buf[n - 2], 0);
}

/* ---- every prefix is TRUNCATED, and never read past (ASan: exact-size copies) */

static void test_prefixes(void)
{
	struct enc_tcap msgs[2] = { sri_sm_begin(), rich_continue(BER_LEN_MIN) };
	for (int m = 0; m < 2; m++) {
		for (int f = BER_LEN_MIN; f <= BER_LEN_INDEFINITE; f++) {
			uint8_t buf[512];
			msgs[m].form = (enum ber_len_form)f;
			size_t n = build(buf, sizeof buf, &msgs[m]);
			for (size_t l = 0; l < n; l++) {
				uint8_t *p = malloc(l ? l : 1);
				memcpy(p, buf, l);
				struct tcap_info t;
				uint64_t anom;
				enum wire_result r = dec(p, l, &t, &anom);
				CHECK_INT(r, WIRE_TRUNCATED);
				CHECK(anom & A(TRUNCATED));
				free(p);
			}
			uint8_t *p = malloc(n);
			memcpy(p, buf, n);
			struct tcap_info t;
			uint64_t anom;
			CHECK_INT(dec(p, n, &t, &anom), WIRE_OK);
			free(p);
		}
	}
	/* cut inside: the outer length shortened to a prefix of its contents */
	uint8_t buf[512];
	struct enc_tcap e = sri_sm_begin();
	size_t n = build(buf, sizeof buf, &e);
	for (size_t l = 0; l + 2 < n; l++) {
		struct tcap_info t;
		uint64_t anom;
		buf[1] = (uint8_t)l;
		enum wire_result r = dec(buf, l + 2, &t, &anom);
		/* ends on an element boundary (after otid, after the dialogue): legal */
		if (l == 6 || l == 38) {
			CHECK_INT(r, WIRE_OK);
			continue;
		}
		CHECK_INT(r, WIRE_MALFORMED);
	}
}

/* ---- the component limit */

static void test_component_limit(void)
{
	uint8_t buf[1024];
	struct enc_tcap e = sri_sm_begin();
	for (int i = 0; i < TCAP_MAX_COMPONENTS + 2; i++)
		set_invoke(&e.comp[i], i, 45, small_param, sizeof small_param);
	struct tcap_info t;
	uint64_t anom;
	e.n_comp = TCAP_MAX_COMPONENTS;
	size_t n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, A(MULTI_COMPONENT));
	CHECK_INT(t.n_components, TCAP_MAX_COMPONENTS);
	CHECK_INT(t.comp[TCAP_MAX_COMPONENTS - 1].invoke_id, TCAP_MAX_COMPONENTS - 1);
	for (int extra = 1; extra <= 2; extra++) {
		e.n_comp = TCAP_MAX_COMPONENTS + extra;
		n = build(buf, sizeof buf, &e);
		CHECK_INT(dec(buf, n, &t, &anom), WIRE_MALFORMED);
		CHECK_INT(anom, A(MULTI_COMPONENT) | A(TOO_MANY_COMPONENTS));
		CHECK_INT(t.n_components, TCAP_MAX_COMPONENTS);
	}
}

/* ---- the encoder itself */

/* MAP-OpenInfo in an AARQ's user-information: its destinationReference is
 * read (TON/NPI, the digits as a view); other user-information, or the
 * same in an AARE, is left alone and never makes the message malformed. */
static void test_map_open_info(void)
{
	uint8_t buf[256];
	struct enc_tcap e = sri_sm_begin();
	e.acn = "0.4.0.0.1.0.25.3";
	e.dest_ref = "999010000000001";
	size_t n = build(buf, sizeof buf, &e);
	struct tcap_info t;
	uint64_t anom;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(t.has_dest_ref);
	CHECK_INT(t.dest_ref_ton, 1);
	CHECK_INT(t.dest_ref_npi, 6);
	char d[40];
	digits_to_str(&t.dest_ref, d, sizeof d);
	CHECK_STR(d, "999010000000001");
	CHECK(t.dest_ref.p > buf && t.dest_ref.p + 8 <= buf + n);
	CHECK_INT(t.n_components, 1);
	/* the byte after map-DialogueAS's OID: anything but single-ASN1-type
	 * [0] is not MAP's open info, and nothing else changes */
	size_t at = 0;
	for (size_t i = 0; i + 9 <= n; i++)
		if (!memcmp(buf + i, "\x06\x07\x04\x00\x00\x01\x01\x01\x01", 9))
			at = i + 9;
	CHECK(at > 0 && buf[at] == 0xa0);
	buf[at] = 0xa1;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK_INT(anom, 0);
	CHECK(!t.has_dest_ref);
	CHECK_INT(t.n_components, 1);
	/* another abstract syntax in the EXTERNAL */
	buf[at] = 0xa0;
	buf[at - 1] = 0x02;
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK(!t.has_dest_ref);
	/* without user-information: none */
	e.dest_ref = NULL;
	n = build(buf, sizeof buf, &e);
	CHECK_INT(dec(buf, n, &t, &anom), WIRE_OK);
	CHECK(!t.has_dest_ref);
}

static void test_encoder(void)
{
	uint8_t buf[256];
	struct enc_tcap e = sri_sm_begin();
	CHECK_INT(enc_tcap(buf, sizeof hand_begin - 1, &e), 0);
	CHECK_INT(enc_tcap(buf, sizeof hand_begin, &e), sizeof hand_begin);
	e.type = TCAP_NONE;
	CHECK_INT(enc_tcap(buf, sizeof buf, &e), 0);
	/* AARE bytes (Annex A): version, ACN, result [2] {0}, diagnostic [3] {[1] {0}} */
	struct enc_tcap c;
	memset(&c, 0, sizeof c);
	c.type = TCAP_END;
	c.dtid = dtid4;
	c.dtid_len = 1;
	c.acn = "0.4.0.0.1.0.20.3";
	c.abort_cause = -1;
	static const uint8_t want[] = {
		0x64, 0x2f, 0x49, 0x01, 0x01,
		0x6b, 0x2a, 0x28, 0x28, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x1d, 0x61, 0x1b,
		0x80, 0x02, 0x07, 0x80,
		0xa1, 0x09, 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x14, 0x03,
		0xa2, 0x03, 0x02, 0x01, 0x00,
		0xa3, 0x05, 0xa1, 0x03, 0x02, 0x01, 0x00,
	};
	size_t n = enc_tcap(buf, sizeof buf, &c);
	CHECK_INT(n, sizeof want);
	CHECK_MEM(buf, want, sizeof want);
	/* ABRT: 64 03 80 01 00 inside the EXTERNAL */
	memset(&c, 0, sizeof c);
	c.type = TCAP_ABORT;
	c.dtid = dtid4;
	c.dtid_len = 1;
	c.abort_cause = -1;
	c.dialogue = TCAP_DLG_ABRT;
	static const uint8_t want_abrt[] = {
		0x67, 0x17, 0x49, 0x01, 0x01,
		0x6b, 0x12, 0x28, 0x10, 0x06, 0x07, 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01,
		0xa0, 0x05, 0x64, 0x03, 0x80, 0x01, 0x00,
	};
	n = enc_tcap(buf, sizeof buf, &c);
	CHECK_INT(n, sizeof want_abrt);
	CHECK_MEM(buf, want_abrt, sizeof want_abrt);
}

TEST_MAIN("test_tcap", {
	RUN(test_hand_vector);
	RUN(test_unidirectional);
	RUN(test_continue_end);
	RUN(test_abort);
	RUN(test_components);
	RUN(test_error_and_reject_forms);
	RUN(test_tid_anomalies);
	RUN(test_message_anomalies);
	RUN(test_component_anomalies);
	RUN(test_dialogue_anomalies);
	RUN(test_length_forms);
	RUN(test_prefixes);
	RUN(test_component_limit);
	RUN(test_map_open_info);
	RUN(test_encoder);
})
