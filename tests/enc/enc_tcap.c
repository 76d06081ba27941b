/* ss7fw tests — TCAP encoder (ITU-T Q.773 4.2, dialogue PDUs of Q.773
 * Annex A). Contract and knobs in enc-layers.h. Every constructed element
 * (message, dialogue portion, EXTERNAL, [0], the dialogue PDU and its
 * explicit tags, component portion, components, result SEQUENCE) gets its
 * length in t->form; primitives always get the shortest form; parameters are
 * copied as given. */
#include "enc/enc-layers.h"

/* dialogue-as-id / unidialogue-as-id (Q.773 4.2.2) */
#define ENC_DIALOGUE_AS_ID    "0.0.17.773.1.1.1"
#define ENC_UNIDIALOGUE_AS_ID "0.0.17.773.1.2.1"
#define ENC_OTHER_AS_ID       "1.2.3.4"

/* BER class numbers (as in ss7fw/ber.h, which tests/enc does not include) */
enum { C_UNIV = 0, C_APP = 1, C_CTX = 2 };

static uint8_t msg_tag(uint8_t type)
{
	switch (type) {
	case TCAP_UNIDIRECTIONAL: return 1;
	case TCAP_BEGIN: return 2;
	case TCAP_END: return 4;
	case TCAP_CONTINUE: return 5;
	case TCAP_ABORT: return 7;
	default: return 0;
	}
}

static uint8_t default_dialogue(uint8_t type)
{
	switch (type) {
	case TCAP_BEGIN: return TCAP_DLG_AARQ;
	case TCAP_UNIDIRECTIONAL: return TCAP_DLG_AUDT;
	case TCAP_ABORT: return TCAP_DLG_ABRT;
	default: return TCAP_DLG_AARE;
	}
}

/* application-context-name [1] { OBJECT IDENTIFIER } */
static void enc_acn(struct enc *e, const char *acn, enum ber_len_form form)
{
	if (!acn)
		return;
	size_t m = enc_ber_open(e, C_CTX, 1);
	enc_ber_oid(e, C_UNIV, 6, acn);
	enc_ber_close(e, m, form);
}

/* DialoguePortion ::= [APPLICATION 11] EXTERNAL { direct-reference,
 * single-ASN1-type [0] { AARQ | AARE | ABRT | AUDT } } */
static void enc_dialogue(struct enc *e, const struct enc_tcap *t)
{
	static const uint8_t version1[] = { 0x07, 0x80 }; /* BIT STRING {version1} */
	enum ber_len_form f = t->form;
	uint8_t dlg = t->dialogue ? t->dialogue : default_dialogue(t->type);
	const char *as = dlg == TCAP_DLG_AUDT ? ENC_UNIDIALOGUE_AS_ID :
			 dlg == TCAP_DLG_OTHER ? ENC_OTHER_AS_ID : ENC_DIALOGUE_AS_ID;
	size_t dp = enc_ber_open(e, C_APP, 11);
	size_t ext = enc_ber_open(e, C_UNIV, 8);
	enc_ber_oid(e, C_UNIV, 6, as);
	size_t single = enc_ber_open(e, C_CTX, 0);
	size_t pdu, m, n;
	switch (dlg) {
	case TCAP_DLG_AARE:
		pdu = enc_ber_open(e, C_APP, 1);
		enc_ber_prim(e, C_CTX, 0, version1, sizeof version1);
		enc_acn(e, t->acn, f);
		m = enc_ber_open(e, C_CTX, 2);          /* result: accepted */
		enc_ber_int(e, C_UNIV, 2, 0);
		enc_ber_close(e, m, f);
		m = enc_ber_open(e, C_CTX, 3);          /* result-source-diagnostic */
		n = enc_ber_open(e, C_CTX, 1);          /* dialogue-service-user: null */
		enc_ber_int(e, C_UNIV, 2, 0);
		enc_ber_close(e, n, f);
		enc_ber_close(e, m, f);
		break;
	case TCAP_DLG_ABRT:
		pdu = enc_ber_open(e, C_APP, 4);
		enc_ber_int(e, C_CTX, 0, 0);            /* abort-source: dialogue-service-user */
		break;
	default: /* AARQ, AUDT, OTHER */
		pdu = enc_ber_open(e, C_APP, 0);
		enc_ber_prim(e, C_CTX, 0, version1, sizeof version1);
		enc_acn(e, t->acn, f);
		if (t->dest_ref) {
			/* user-information [30] { EXTERNAL { map-DialogueAS,
			 * [0] { map-open [0] { destinationReference [0] } } } } */
			uint8_t a[12];
			a[0] = 0x96;            /* AddressString: international, land mobile (E.212) */
			size_t an = 1 + enc_tbcd(a + 1, sizeof a - 1, t->dest_ref);
			size_t ui = enc_ber_open(e, C_CTX, 30);
			size_t x = enc_ber_open(e, C_UNIV, 8);
			enc_ber_oid(e, C_UNIV, 6, "0.4.0.0.1.1.1.1");
			size_t s1 = enc_ber_open(e, C_CTX, 0);
			size_t mo = enc_ber_open(e, C_CTX, 0);
			enc_ber_prim(e, C_CTX, 0, a, an);
			enc_ber_close(e, mo, f);
			enc_ber_close(e, s1, f);
			enc_ber_close(e, x, f);
			enc_ber_close(e, ui, f);
		}
		break;
	}
	enc_ber_close(e, pdu, f);
	enc_ber_close(e, single, f);
	enc_ber_close(e, ext, f);
	enc_ber_close(e, dp, f);
}

static void enc_code(struct enc *e, const char *oid, int32_t local)
{
	if (oid)
		enc_ber_oid(e, C_UNIV, 6, oid);
	else
		enc_ber_int(e, C_UNIV, 2, local);
}

static void enc_param(struct enc *e, const struct enc_tcap_comp *k)
{
	if (k->param)
		enc_mem(e, k->param, k->param_len);
}

static void enc_component(struct enc *e, const struct enc_tcap_comp *k, enum ber_len_form f)
{
	uint32_t tag;
	switch (k->type) {
	case TCAP_COMP_INVOKE: tag = 1; break;
	case TCAP_COMP_RESULT_LAST: tag = 2; break;
	case TCAP_COMP_ERROR: tag = 3; break;
	case TCAP_COMP_REJECT: tag = 4; break;
	case TCAP_COMP_RESULT: tag = 7; break;
	default: tag = k->type; break;
	}
	size_t m = enc_ber_open(e, C_CTX, tag);
	if (k->type == TCAP_COMP_REJECT && k->invoke_id == INT32_MIN)
		enc_ber_prim(e, C_UNIV, 5, NULL, 0);    /* not-derivable NULL */
	else
		enc_ber_int(e, C_UNIV, 2, k->invoke_id);
	switch (k->type) {
	case TCAP_COMP_INVOKE:
		if (k->has_linked_id)
			enc_ber_int(e, C_CTX, 0, k->linked_id);
		enc_code(e, k->opcode_oid, k->opcode);
		enc_param(e, k);
		break;
	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT:
		if (k->has_opcode) {
			size_t s = enc_ber_open(e, C_UNIV, 16);
			enc_code(e, k->opcode_oid, k->opcode);
			enc_param(e, k);
			enc_ber_close(e, s, f);
		}
		break;
	case TCAP_COMP_ERROR:
		enc_code(e, k->opcode_oid, k->error);
		enc_param(e, k);
		break;
	case TCAP_COMP_REJECT:
		enc_ber_int(e, C_CTX, k->problem_type, k->problem);
		break;
	default:
		enc_param(e, k);
		break;
	}
	enc_ber_close(e, m, f);
}

size_t enc_tcap(uint8_t *out, size_t cap, const struct enc_tcap *t)
{
	uint8_t tag = msg_tag(t->type);
	if (!tag)
		return 0;
	struct enc e;
	enc_init(&e, out, cap);
	size_t msg = enc_ber_open(&e, C_APP, tag);
	if (t->otid)
		enc_ber_prim(&e, C_APP, 8, t->otid, t->otid_len);
	if (t->dtid)
		enc_ber_prim(&e, C_APP, 9, t->dtid, t->dtid_len);
	if (t->type == TCAP_ABORT && t->abort_cause >= 0)
		enc_ber_int(&e, C_APP, 10, t->abort_cause);
	if (t->acn || t->dialogue == TCAP_DLG_ABRT)
		enc_dialogue(&e, t);
	if (t->n_comp) {
		int n = t->n_comp < 0 ? 0 : t->n_comp;
		if (n > TCAP_MAX_COMPONENTS + 2)
			n = TCAP_MAX_COMPONENTS + 2;
		size_t cp = enc_ber_open(&e, C_APP, 12);
		for (int i = 0; i < n; i++)
			enc_component(&e, &t->comp[i], t->form);
		enc_ber_close(&e, cp, t->form);
	}
	enc_ber_close(&e, msg, t->form);
	return e.overflow ? 0 : e.len;
}
