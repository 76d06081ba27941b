/* TCAP decoder: ITU-T Q.773 (transaction and component portions, 4.1/4.2)
 * and the dialogue portion of Q.773 4.2.2 with the dialogue PDUs of Q.773
 * Annex A (dialogue-as-id) and the unidialogue PDU (unidialogue-as-id).
 * See ss7fw/wire.h for the contract and docs/decoding.md for what is decoded,
 * the limits and the trigger of every anomaly.
 *
 * Every element is read with ber_next, so short, long and indefinite lengths
 * work at any depth. The decoder is strict: an element it does not know, a
 * required element that is missing, or one that is repeated or out of the
 * ASN.1 order makes the message MALFORMED (a component or dialogue we cannot
 * see must not pass), with a named anomaly saying why. Legal but unusual
 * forms (long transaction ids, global opcodes, several components, no
 * dialogue portion, no components) are anomalies only. */
#include <stddef.h>
#include <string.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define BIT(a) ANOM_BIT(ANOM_##a)

/* Arcs of an OBJECT IDENTIFIER we accept (ACN, global opcode, dialogue id). */
#define TCAP_MAX_OID_ARCS 32

/* Q.773 4.2.1: tags of the message types and of their elements, all
 * [APPLICATION n]. */
enum {
	TAG_UNIDIRECTIONAL = 1, TAG_BEGIN = 2, TAG_END = 4, TAG_CONTINUE = 5,
	TAG_ABORT = 7, TAG_OTID = 8, TAG_DTID = 9, TAG_P_ABORT = 10,
	TAG_DIALOGUE = 11, TAG_COMPONENTS = 12,
};

/* Elements of a message, in their ASN.1 order (the slot is the bit). */
enum {
	SLOT_OTID = 0, SLOT_DTID, SLOT_CAUSE, SLOT_DIALOGUE, SLOT_COMPONENTS,
};
#define SLOT(s) (1u << (s))

/* dialogue-as-id 0.0.17.773.1.1.1 and unidialogue-as-id 0.0.17.773.1.2.1
 * (Q.773 4.2.2), as OID contents octets. */
static const uint8_t oid_dialogue_as_id[] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 };
static const uint8_t oid_unidialogue_as_id[] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x02, 0x01 };
/* 0.4.0.0.1.0 (MAP application contexts, TS 29.002 17.3.3) */
static const uint8_t oid_map_ac_prefix[] = { 0x04, 0x00, 0x00, 0x01, 0x00 };
/* map-DialogueAS 0.4.0.0.1.1.1.1 (TS 29.002 17.1): the abstract syntax of
 * MAP-DialoguePDU in a dialogue's user-information */
static const uint8_t oid_map_dialogue_as[] = { 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01 };

static bool bytes_eq(struct bytes b, const uint8_t *p, size_t n)
{
	return b.len == n && memcmp(b.p, p, n) == 0;
}

/* Read the next element of an enclosing element's contents. A truncated
 * inner element is a length that disagrees with its container (the container
 * itself fitted): TRUNCATED anomaly, MALFORMED result. */
static enum wire_result inner_next(struct cur *c, struct ber_tlv *e, uint64_t *anom)
{
	enum wire_result r = ber_next(c, e, anom);
	if (r == WIRE_TRUNCATED) {
		*anom |= BIT(TRUNCATED);
		return WIRE_MALFORMED;
	}
	if (r != WIRE_OK)
		*anom |= BIT(BER_ILLEGAL);
	return r;
}

/* Fail with anomaly a. */
static enum wire_result bad(uint64_t *anom, enum wire_anomaly a)
{
	*anom |= ANOM_BIT(a);
	return WIRE_MALFORMED;
}

/* A required element of a component: missing is TCAP_BAD_STRUCTURE. */
static enum wire_result need_next(struct cur *c, struct ber_tlv *e, uint64_t *anom)
{
	if (c->len == 0)
		return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
	return inner_next(c, e, anom);
}

/* Nothing may follow the last element of a component. */
static enum wire_result no_more(const struct cur *c, uint64_t *anom)
{
	return c->len ? bad(anom, ANOM_TRAILING_BYTES) : WIRE_OK;
}

static bool oid_valid(struct bytes v)
{
	/* Fast path: every sub-identifier one octet (the MAP ACNs and the
	 * dialogue OIDs), so len + 1 arcs. */
	uint8_t any_high = 0;
	for (size_t i = 0; i < v.len; i++)
		any_high |= v.p[i];
	if (v.len > 0 && !(any_high & 0x80))
		return v.len + 1 <= TCAP_MAX_OID_ARCS;
	uint32_t arcs[TCAP_MAX_OID_ARCS];
	return ber_oid_arcs(v, arcs, TCAP_MAX_OID_ARCS) >= 2;
}

/* A primitive INTEGER of 1..4 octets whose value is 0..255. */
static bool small_uint(struct bytes v, uint8_t *out)
{
	int32_t x;
	if (ber_int(v, &x) != WIRE_OK || x < 0 || x > 255)
		return false;
	*out = (uint8_t)x;
	return true;
}

/* An explicitly tagged INTEGER: contents v hold exactly one UNIVERSAL 2. */
static bool explicit_int(struct bytes v, int32_t *out, uint64_t *anom)
{
	struct cur c = cur_of(v);
	struct ber_tlv e;
	if (inner_next(&c, &e, anom) != WIRE_OK || c.len != 0 ||
	    !ber_is(&e, BER_UNIVERSAL, false, 2))
		return false;
	return ber_int(e.v, out) == WIRE_OK;
}

/* ---- transaction portion (Q.773 4.2.1) */

/* OrigTransactionID / DestTransactionID: OCTET STRING (SIZE (1..4)). Longer
 * ids are kept up to TCAP_MAX_TID (LONG_TID); beyond that MALFORMED. */
static enum wire_result tid(struct bytes *out, const struct ber_tlv *e, uint64_t *anom)
{
	if (e->v.len == 0)
		return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
	*out = e->v;
	if (e->v.len > 4) {
		*anom |= BIT(LONG_TID);
		if (e->v.len > TCAP_MAX_TID) {
			out->len = TCAP_MAX_TID;
			return WIRE_MALFORMED;
		}
	}
	return WIRE_OK;
}

/* ---- dialogue portion (Q.773 4.2.2 and Annex A: DialoguePDUs, UnidialoguePDUs) */

/* Application-context-name [1] { OBJECT IDENTIFIER } (explicit tag). */
static enum wire_result acn(struct tcap_info *t, struct bytes v, uint64_t *anom)
{
	struct cur c = cur_of(v);
	struct ber_tlv e;
	enum wire_result r = inner_next(&c, &e, anom);
	if (r != WIRE_OK)
		return r;
	if (c.len != 0 || !ber_is(&e, BER_UNIVERSAL, false, 6) || !oid_valid(e.v))
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	t->acn = e.v;
	/* MAP form: 0.4.0.0.1.0.<ac>.<version>, each of the last two one octet */
	if (e.v.len == sizeof oid_map_ac_prefix + 2 &&
	    memcmp(e.v.p, oid_map_ac_prefix, sizeof oid_map_ac_prefix) == 0 &&
	    e.v.p[5] < 0x80 && e.v.p[6] < 0x80) {
		t->acn_is_map = true;
		t->acn_ac = e.v.p[5];
		t->acn_version = e.v.p[6];
	} else {
		*anom |= BIT(ACN_EXTENDED);
	}
	return WIRE_OK;
}

/* The fields of one dialogue PDU, in ASN.1 order: [tag] of the context
 * class, its form, and whether it is required. */
struct dlg_field {
	uint8_t tag;
	bool constructed, required;
};

/* AARQ-apdu / AUDT-apdu: protocol-version [0] IMPLICIT BIT STRING DEFAULT,
 * application-context-name [1], user-information [30] IMPLICIT OPTIONAL. */
static const struct dlg_field fields_aarq[] = {
	{ 0, false, false }, { 1, true, true }, { 30, true, false },
};
/* AARE-apdu: protocol-version, application-context-name, result [2],
 * result-source-diagnostic [3], user-information. */
static const struct dlg_field fields_aare[] = {
	{ 0, false, false }, { 1, true, true }, { 2, true, true }, { 3, true, true },
	{ 30, true, false },
};
/* ABRT-apdu: abort-source [0] IMPLICIT ABRT-source, user-information. */
static const struct dlg_field fields_abrt[] = {
	{ 0, false, true }, { 30, true, false },
};

/* user-information [30] IMPLICIT SEQUENCE OF EXTERNAL, as MAP fills it in
 * an AARQ: EXTERNAL { direct-reference map-DialogueAS, single-ASN1-type [0]
 * MAP-DialoguePDU }, MAP-DialoguePDU ::= CHOICE { map-open [0] MAP-OpenInfo,
 * ... }, MAP-OpenInfo ::= SEQUENCE { destinationReference [0] AddressString
 * OPTIONAL, originationReference [1] AddressString OPTIONAL, ... }. Only the
 * destinationReference is kept; what is not MAP's open info is left alone
 * (it is the peer's to refuse), so nothing here makes an MSU malformed. */
static void map_open_info(struct tcap_info *t, struct bytes v)
{
	struct cur c = cur_of(v);
	uint64_t scratch = 0;        /* what is not MAP's is not an anomaly of ours */
	while (c.len) {
		struct ber_tlv ext, e;
		if (inner_next(&c, &ext, &scratch) != WIRE_OK)
			return;
		if (!ber_is(&ext, BER_UNIVERSAL, true, 8))
			continue;
		struct cur x = cur_of(ext.v);
		if (inner_next(&x, &e, &scratch) != WIRE_OK || !ber_is(&e, BER_UNIVERSAL, false, 6) ||
		    !bytes_eq(e.v, oid_map_dialogue_as, sizeof oid_map_dialogue_as))
			continue;
		struct ber_tlv single, pdu, f;
		if (inner_next(&x, &single, &scratch) != WIRE_OK || !ber_is(&single, BER_CONTEXT, true, 0))
			return;
		struct cur s = cur_of(single.v);
		if (inner_next(&s, &pdu, &scratch) != WIRE_OK || !ber_is(&pdu, BER_CONTEXT, true, 0))
			return;      /* not map-open */
		struct cur o = cur_of(pdu.v);
		if (inner_next(&o, &f, &scratch) != WIRE_OK || !ber_is(&f, BER_CONTEXT, false, 0))
			return;      /* no destinationReference */
		if (f.v.len < 2 || f.v.len > 20)
			return;
		t->has_dest_ref = true;
		t->dest_ref_ton = (uint8_t)((f.v.p[0] >> 4) & 7);
		t->dest_ref_npi = (uint8_t)(f.v.p[0] & 0x0f);
		struct bytes d = { f.v.p + 1, f.v.len - 1 };
		digits_from_bcd(&t->dest_ref, d, 0, &scratch);
		return;
	}
}

static enum wire_result dlg_field(struct tcap_info *t, uint8_t tag, const struct ber_tlv *f,
				  uint64_t *anom)
{
	int32_t x;
	uint8_t u;
	switch (tag) {
	case 0:
		/* ABRT: abort-source INTEGER; else protocol-version (not checked:
		 * a version mismatch is answered by the peer, it hides nothing) */
		if (t->dialogue == TCAP_DLG_ABRT && !small_uint(f->v, &u))
			return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
		return WIRE_OK;
	case 1:
		return acn(t, f->v, anom);
	case 2: /* Associate-result */
		if (!explicit_int(f->v, &x, anom) || x < 0 || x > 255)
			return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
		t->has_dialogue_result = true;
		t->dialogue_result = (uint8_t)x;
		return WIRE_OK;
	case 3: { /* Associate-source-diagnostic: CHOICE { [1] INTEGER, [2] INTEGER } */
		struct cur c = cur_of(f->v);
		struct ber_tlv d;
		if (inner_next(&c, &d, anom) != WIRE_OK || c.len != 0 || d.cls != BER_CONTEXT ||
		    !d.constructed || (d.tag != 1 && d.tag != 2) || !explicit_int(d.v, &x, anom))
			return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
		return WIRE_OK;
	}
	default: /* 30: user-information, MAP's business (MAP-OpenInfo ...) */
		if (t->dialogue == TCAP_DLG_AARQ)
			map_open_info(t, f->v);
		return WIRE_OK;
	}
}

/* Walk the fields of a dialogue PDU against its table. */
static enum wire_result dlg_pdu(struct tcap_info *t, struct bytes v, const struct dlg_field *tab,
				size_t n, uint64_t *anom)
{
	struct cur c = cur_of(v);
	size_t next = 0; /* index in tab of the first field still allowed */
	while (c.len) {
		struct ber_tlv f;
		enum wire_result r = inner_next(&c, &f, anom);
		if (r != WIRE_OK)
			return r;
		size_t j = 0;
		while (j < n && !(f.cls == BER_CONTEXT && f.tag == tab[j].tag))
			j++;
		if (j == n)
			return bad(anom, ANOM_UNKNOWN_TAG);
		if (j < next || f.constructed != tab[j].constructed)
			return bad(anom, ANOM_TCAP_BAD_DIALOGUE); /* repeated, out of order, wrong form */
		for (size_t k = next; k < j; k++)
			if (tab[k].required)
				return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
		r = dlg_field(t, tab[j].tag, &f, anom);
		if (r != WIRE_OK)
			return r;
		next = j + 1;
	}
	for (size_t k = next; k < n; k++)
		if (tab[k].required)
			return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	return WIRE_OK;
}

/* DialoguePortion ::= [APPLICATION 11] EXTERNAL (Q.773 4.2.2): the EXTERNAL
 * holds direct-reference (dialogue-as-id or unidialogue-as-id) and
 * single-ASN1-type [0] with one dialogue PDU. Which PDU may appear depends on
 * the message type (Q.774 3.2): AARQ in Begin; AARE in Continue, End and
 * Abort (a refused dialogue); ABRT in Abort; AUDT in Unidirectional. */
static enum wire_result dialogue(struct tcap_info *t, struct bytes v, uint64_t *anom)
{
	struct cur c = cur_of(v);
	struct ber_tlv ext, e, pdu;
	enum wire_result r = inner_next(&c, &ext, anom);
	if (r != WIRE_OK)
		return r;
	if (c.len != 0 || !ber_is(&ext, BER_UNIVERSAL, true, 8))
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	struct cur x = cur_of(ext.v);
	if ((r = inner_next(&x, &e, anom)) != WIRE_OK)
		return r;
	if (!ber_is(&e, BER_UNIVERSAL, false, 6) || !oid_valid(e.v))
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	bool uni;
	if (bytes_eq(e.v, oid_dialogue_as_id, sizeof oid_dialogue_as_id)) {
		uni = false;
	} else if (bytes_eq(e.v, oid_unidialogue_as_id, sizeof oid_unidialogue_as_id)) {
		uni = true;
	} else {
		/* another abstract syntax: not a dialogue we can see */
		t->dialogue = TCAP_DLG_OTHER;
		return bad(anom, ANOM_UNKNOWN_TAG);
	}
	/* encoding: single-ASN1-type [0] only (no octet-aligned / arbitrary) */
	if (x.len == 0)
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	if ((r = inner_next(&x, &e, anom)) != WIRE_OK)
		return r;
	if (x.len != 0 || !ber_is(&e, BER_CONTEXT, true, 0))
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	struct cur s = cur_of(e.v);
	if (s.len == 0)
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	if ((r = inner_next(&s, &pdu, anom)) != WIRE_OK)
		return r;
	if (s.len != 0)
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	if (pdu.cls != BER_APPLICATION)
		return bad(anom, ANOM_UNKNOWN_TAG);
	const struct dlg_field *tab;
	size_t n;
	bool allowed;
	if (uni && pdu.tag == 0) {
		t->dialogue = TCAP_DLG_AUDT;
		tab = fields_aarq, n = sizeof fields_aarq / sizeof *fields_aarq;
		allowed = t->type == TCAP_UNIDIRECTIONAL;
	} else if (!uni && pdu.tag == 0) {
		t->dialogue = TCAP_DLG_AARQ;
		tab = fields_aarq, n = sizeof fields_aarq / sizeof *fields_aarq;
		allowed = t->type == TCAP_BEGIN;
	} else if (!uni && pdu.tag == 1) {
		t->dialogue = TCAP_DLG_AARE;
		tab = fields_aare, n = sizeof fields_aare / sizeof *fields_aare;
		allowed = t->type == TCAP_CONTINUE || t->type == TCAP_END || t->type == TCAP_ABORT;
	} else if (!uni && pdu.tag == 4) {
		t->dialogue = TCAP_DLG_ABRT;
		tab = fields_abrt, n = sizeof fields_abrt / sizeof *fields_abrt;
		allowed = t->type == TCAP_ABORT;
	} else {
		return bad(anom, ANOM_UNKNOWN_TAG);
	}
	if (!pdu.constructed || !allowed)
		return bad(anom, ANOM_TCAP_BAD_DIALOGUE);
	return dlg_pdu(t, pdu.v, tab, n, anom);
}

/* ---- component portion (Q.773 4.2.1, Component and its alternatives) */

/* OPERATION / ERROR: CHOICE { localValue INTEGER, globalValue OBJECT IDENTIFIER } */
static enum wire_result code(const struct ber_tlv *e, bool *global, int32_t *local,
			     struct bytes *oid, uint64_t *anom)
{
	if (ber_is(e, BER_UNIVERSAL, false, 2)) {
		if (ber_int(e->v, local) != WIRE_OK)
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		return WIRE_OK;
	}
	if (ber_is(e, BER_UNIVERSAL, false, 6)) {
		if (!oid_valid(e->v))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		*global = true;
		*oid = e->v;
		*anom |= BIT(GLOBAL_OPCODE);
		return WIRE_OK;
	}
	return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
}

/* The optional parameter (ANY: exactly one element), then nothing. */
static enum wire_result param(struct tcap_component *k, struct cur *c, uint64_t *anom)
{
	if (c->len == 0)
		return WIRE_OK;
	struct ber_tlv e;
	enum wire_result r = inner_next(c, &e, anom);
	if (r != WIRE_OK)
		return r;
	k->param = e.whole;
	return no_more(c, anom);
}

static enum wire_result component(struct tcap_component *k, const struct ber_tlv *ce, uint64_t *anom)
{
	memset(k, 0, sizeof *k);
	if (ce->cls != BER_CONTEXT)
		return bad(anom, ANOM_UNKNOWN_TAG);
	switch (ce->tag) {
	case 1: k->type = TCAP_COMP_INVOKE; break;
	case 2: k->type = TCAP_COMP_RESULT_LAST; break;
	case 3: k->type = TCAP_COMP_ERROR; break;
	case 4: k->type = TCAP_COMP_REJECT; break;
	case 7: k->type = TCAP_COMP_RESULT; break;
	default: return bad(anom, ANOM_UNKNOWN_TAG);
	}
	if (!ce->constructed)
		return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
	struct cur c = cur_of(ce->v);
	struct ber_tlv e;
	enum wire_result r = need_next(&c, &e, anom);
	if (r != WIRE_OK)
		return r;
	/* invokeID InvokeIdType; Reject: CHOICE { derivable, not-derivable NULL } */
	if (ber_is(&e, BER_UNIVERSAL, false, 2)) {
		if (ber_int(e.v, &k->invoke_id) != WIRE_OK)
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		k->has_invoke_id = true;
	} else if (!(k->type == TCAP_COMP_REJECT && ber_is(&e, BER_UNIVERSAL, false, 5) &&
		     e.v.len == 0)) {
		return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
	}
	switch (k->type) {
	case TCAP_COMP_INVOKE:
		/* linkedID [0] IMPLICIT InvokeIdType OPTIONAL, operationCode, parameter */
		if ((r = need_next(&c, &e, anom)) != WIRE_OK)
			return r;
		if (e.cls == BER_CONTEXT && e.tag == 0) {
			if (e.constructed || ber_int(e.v, &k->linked_id) != WIRE_OK)
				return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
			k->has_linked_id = true;
			*anom |= BIT(TCAP_LINKED_ID);
			if ((r = need_next(&c, &e, anom)) != WIRE_OK)
				return r;
		}
		if ((r = code(&e, &k->opcode_global, &k->opcode, &k->opcode_oid, anom)) != WIRE_OK)
			return r;
		k->has_opcode = true;
		return param(k, &c, anom);
	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT: {
		/* result SEQUENCE { operationCode, parameter } OPTIONAL */
		if (c.len == 0)
			return WIRE_OK;
		if ((r = inner_next(&c, &e, anom)) != WIRE_OK)
			return r;
		if (!ber_is(&e, BER_UNIVERSAL, true, 16))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		if ((r = no_more(&c, anom)) != WIRE_OK)
			return r;
		struct cur s = cur_of(e.v);
		if ((r = need_next(&s, &e, anom)) != WIRE_OK)
			return r;
		if ((r = code(&e, &k->opcode_global, &k->opcode, &k->opcode_oid, anom)) != WIRE_OK)
			return r;
		k->has_opcode = true;
		return param(k, &s, anom);
	}
	case TCAP_COMP_ERROR:
		/* errorCode ERROR, parameter OPTIONAL; a global error code's OID
		 * is kept in opcode_oid */
		if ((r = need_next(&c, &e, anom)) != WIRE_OK)
			return r;
		if ((r = code(&e, &k->error_global, &k->error, &k->opcode_oid, anom)) != WIRE_OK)
			return r;
		k->has_error = true;
		return param(k, &c, anom);
	default: /* TCAP_COMP_REJECT: problem CHOICE { [0] .. [3] IMPLICIT INTEGER } */
		if ((r = need_next(&c, &e, anom)) != WIRE_OK)
			return r;
		if (e.cls != BER_CONTEXT || e.constructed || e.tag > 3 ||
		    !small_uint(e.v, &k->problem))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		k->has_problem = true;
		k->problem_type = (uint8_t)e.tag;
		return no_more(&c, anom);
	}
}

/* ComponentPortion ::= [APPLICATION 12] SEQUENCE SIZE (1..MAX) OF Component.
 * At most TCAP_MAX_COMPONENTS are decoded; one more is TOO_MANY_COMPONENTS
 * and MALFORMED (n_components stays at the limit): a component we did not
 * screen must not pass. */
static enum wire_result components(struct tcap_info *t, struct bytes v, uint64_t *anom)
{
	struct cur c = cur_of(v);
	while (c.len) {
		struct ber_tlv e;
		enum wire_result r = inner_next(&c, &e, anom);
		if (r != WIRE_OK)
			return r;
		if (t->n_components == TCAP_MAX_COMPONENTS)
			return bad(anom, ANOM_TOO_MANY_COMPONENTS);
		r = component(&t->comp[t->n_components], &e, anom);
		if (r != WIRE_OK)
			return r;
		if (++t->n_components > 1)
			*anom |= BIT(MULTI_COMPONENT);
	}
	return WIRE_OK;
}

/* ---- the message (Q.773 4.2.1, TCMessage) */

static uint8_t msg_type(uint8_t tag)
{
	switch (tag) {
	case TAG_UNIDIRECTIONAL: return TCAP_UNIDIRECTIONAL;
	case TAG_BEGIN: return TCAP_BEGIN;
	case TAG_END: return TCAP_END;
	case TAG_CONTINUE: return TCAP_CONTINUE;
	case TAG_ABORT: return TCAP_ABORT;
	default: return TCAP_NONE;
	}
}

/* Elements allowed and required per message type. */
static void msg_slots(uint8_t type, unsigned *allowed, unsigned *required)
{
	switch (type) {
	case TCAP_UNIDIRECTIONAL:
		*allowed = SLOT(SLOT_DIALOGUE) | SLOT(SLOT_COMPONENTS);
		*required = SLOT(SLOT_COMPONENTS);
		break;
	case TCAP_BEGIN:
		*allowed = SLOT(SLOT_OTID) | SLOT(SLOT_DIALOGUE) | SLOT(SLOT_COMPONENTS);
		*required = SLOT(SLOT_OTID);
		break;
	case TCAP_END:
		*allowed = SLOT(SLOT_DTID) | SLOT(SLOT_DIALOGUE) | SLOT(SLOT_COMPONENTS);
		*required = SLOT(SLOT_DTID);
		break;
	case TCAP_CONTINUE:
		*allowed = SLOT(SLOT_OTID) | SLOT(SLOT_DTID) | SLOT(SLOT_DIALOGUE) | SLOT(SLOT_COMPONENTS);
		*required = SLOT(SLOT_OTID) | SLOT(SLOT_DTID);
		break;
	default: /* TCAP_ABORT: reason CHOICE { p-abortCause, u-abortCause } OPTIONAL */
		*allowed = SLOT(SLOT_DTID) | SLOT(SLOT_CAUSE) | SLOT(SLOT_DIALOGUE);
		*required = SLOT(SLOT_DTID);
		break;
	}
}

static enum wire_result msg_element(struct tcap_info *t, unsigned slot, const struct ber_tlv *e,
				    uint64_t *anom)
{
	switch (slot) {
	case SLOT_OTID:
		return tid(&t->otid, e, anom);
	case SLOT_DTID:
		return tid(&t->dtid, e, anom);
	case SLOT_CAUSE: /* P-AbortCause ::= [APPLICATION 10] IMPLICIT INTEGER */
		if (!small_uint(e->v, &t->abort_cause))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		t->has_abort_cause = true;
		return WIRE_OK;
	case SLOT_DIALOGUE:
		return dialogue(t, e->v, anom);
	default:
		return components(t, e->v, anom);
	}
}

enum wire_result tcap_decode(struct tcap_info *t, struct bytes in, uint64_t *anom)
{
	/* comp[i] is cleared by component() when it is reached */
	memset(t, 0, offsetof(struct tcap_info, comp));
	if (in.len == 0) {
		*anom |= BIT(TRUNCATED);
		return WIRE_TRUNCATED;
	}
	/* Known from the first octet, so a truncated message still says what
	 * it was. ANSI TCAP (T1.114, PRIVATE class) and anything that is not an
	 * APPLICATION-class constructed element is not ITU TCAP at all. */
	uint8_t id = in.p[0];
	if ((id & 0xe0) != 0x60) {
		*anom |= BIT(NOT_TCAP) | BIT(UNKNOWN_TAG);
		return WIRE_MALFORMED;
	}
	t->type = msg_type(id & 0x1f);
	if (t->type == TCAP_NONE) {
		*anom |= BIT(UNKNOWN_TAG);
		return WIRE_MALFORMED;
	}
	t->present = true;

	struct cur c = cur_of(in);
	struct ber_tlv msg;
	enum wire_result r = ber_next(&c, &msg, anom);
	if (r == WIRE_TRUNCATED) {
		*anom |= BIT(TRUNCATED);
		return r;
	}
	if (r != WIRE_OK) {
		*anom |= BIT(BER_ILLEGAL);
		return r;
	}

	unsigned allowed, required, seen = 0;
	int last = -1;
	msg_slots(t->type, &allowed, &required);
	struct cur m = cur_of(msg.v);
	while (m.len) {
		struct ber_tlv e;
		if ((r = inner_next(&m, &e, anom)) != WIRE_OK)
			return r;
		if (e.cls != BER_APPLICATION || e.tag < TAG_OTID || e.tag > TAG_COMPONENTS)
			return bad(anom, ANOM_UNKNOWN_TAG);
		unsigned slot = e.tag - TAG_OTID;
		bool constructed = slot == SLOT_DIALOGUE || slot == SLOT_COMPONENTS;
		/* not in this message type, repeated or out of order, of the wrong
		 * form, or a required element before it is missing */
		if (!(allowed & SLOT(slot)) || (int)slot <= last || e.constructed != constructed ||
		    (required & (SLOT(slot) - 1) & ~seen))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
		if (t->type == TCAP_ABORT && slot == SLOT_DIALOGUE && (seen & SLOT(SLOT_CAUSE)))
			return bad(anom, ANOM_TCAP_BAD_STRUCTURE); /* both reasons */
		last = (int)slot;
		seen |= SLOT(slot);
		if ((r = msg_element(t, slot, &e, anom)) != WIRE_OK)
			return r;
	}
	if ((seen & required) != required)
		return bad(anom, ANOM_TCAP_BAD_STRUCTURE);
	if (t->type == TCAP_BEGIN && !(seen & SLOT(SLOT_DIALOGUE)))
		*anom |= BIT(TCAP_NO_DIALOGUE);
	if (t->type != TCAP_ABORT && t->n_components == 0)
		*anom |= BIT(TCAP_EMPTY);
	if (c.len)
		*anom |= BIT(TRAILING_BYTES);
	return WIRE_OK;
}
