/* GSM MAP argument decoding (3GPP TS 29.002 chapter 17, MAP v1/v2 of
 * GSM 09.02). See ss7fw/wire.h for the contract of map_decode.
 *
 * The modules are written with IMPLICIT TAGS: a context tag [n] on a
 * primitive type replaces its tag (0x80 | n); a tagged CHOICE stays explicit
 * (0xa0 | n around the chosen alternative). Every argument is read with
 * ber_next, so every length is checked against its enclosing element.
 * Members this decoder does not need (extension containers, fields added after
 * the "..." extension marker, optional fields) are skipped; a member that we
 * extract and that appears twice, a mandatory member that is missing, or a
 * member of the wrong form (primitive/constructed, size) fails the argument:
 * map_undecoded, state MAP_DECODE_FAILED, WIRE_MALFORMED. */
#include <string.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

/* ---- element identifier octet (all tags used here are below 31) */
#define ID_UNIV(t)   ((uint8_t)(t))
#define ID_CTX(t)    ((uint8_t)(0x80 | (t)))
#define ID_CTX_C(t)  ((uint8_t)(0xa0 | (t)))
#define ID_OCTETS    0x04
#define ID_SEQ       0x30
#define ID_ENUM      0x0a

static uint8_t map_ident(const struct ber_tlv *t)
{
	if (t->tag >= 31)
		return 0xff; /* never equal to an identifier of the tables */
	return (uint8_t)((t->cls << 6) | (t->constructed ? 0x20 : 0) | t->tag);
}

/* ---- field extractors */

/* AddressString / ISDN-AddressString (TS 29.002 17.7.8): OCTET STRING
 * SIZE (1..maxAddressLength 20); octet 1 = extension(8) TON(7-5) NPI(4-1),
 * then TBCD digits. An empty digit string is accepted (SIZE 1). */
static bool map_addr(struct map_addr *a, const struct ber_tlv *t, uint64_t *anom)
{
	if (t->constructed || t->v.len < 1 || t->v.len > 20)
		return false;
	a->present = true;
	a->ton = (uint8_t)((t->v.p[0] >> 4) & 7);
	a->npi = (uint8_t)(t->v.p[0] & 0x0f);
	struct bytes d = { t->v.p + 1, t->v.len - 1 };
	digits_from_bcd(&a->d, d, 0, anom);
	return true;
}

/* IMSI ::= TBCD-STRING (SIZE (3..8)) (TS 29.002 17.7.8). */
static bool map_imsi(struct digits *d, const struct ber_tlv *t, uint64_t *anom)
{
	if (t->constructed || t->v.len < 3 || t->v.len > 8)
		return false;
	digits_from_bcd(d, t->v, 0, anom);
	return true;
}

/* LMSI ::= OCTET STRING (SIZE (4)): kept as 8 hex digits. */
static bool map_lmsi(struct digits *d, const struct ber_tlv *t)
{
	if (t->constructed || t->v.len != 4)
		return false;
	d->p = t->v.p;
	d->n = 8;
	return true;
}

/* ---- table-driven SEQUENCE members */
enum map_fld {
	F_SKIP = 0,      /* known member, not extracted (only checked as a TLV) */
	F_IMSI,
	F_MSISDN,
	F_SC_ADDR,
	F_MSC_VLR,
	F_NNN,
	F_LMSI,          /* checked, not kept */
	F_SM_RP_PRI,     /* BOOLEAN */
	F_OUTCOME,       /* SM-DeliveryOutcome ENUMERATED */
	F_NESTED,        /* constructed: descend into sub (a SEQUENCE) */
	F_CHOICE,        /* constructed: exactly one element, one of sub */
};

struct map_elem {
	uint8_t id;                  /* identifier octet */
	uint8_t fld;                 /* enum map_fld */
	bool mand;                   /* mandatory member */
	const struct map_elem *sub;  /* F_NESTED / F_CHOICE members */
	uint8_t n_sub;
};

#define MAP_MAX_ELEMS 8
#define N_OF(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))

static bool map_members(struct map_fields *m, struct bytes v, const struct map_elem *el,
			uint8_t n_el, bool choice, uint64_t *anom);

/* One member: its field extractor. */
static bool map_field(struct map_fields *m, const struct map_elem *e, const struct ber_tlv *t,
		      uint64_t *anom)
{
	switch (e->fld) {
	case F_SKIP:
		return true;
	case F_IMSI:
		return map_imsi(&m->imsi, t, anom);
	case F_MSISDN:
		return map_addr(&m->msisdn, t, anom);
	case F_SC_ADDR:
		return map_addr(&m->sc_addr, t, anom);
	case F_MSC_VLR:
		return map_addr(&m->msc_vlr, t, anom);
	case F_NNN:
		return map_addr(&m->nnn, t, anom);
	case F_LMSI: {
		struct digits d;
		return map_lmsi(&d, t);
	}
	case F_SM_RP_PRI:
		if (t->constructed || t->v.len != 1)
			return false;
		m->has_sm_rp_pri = true;
		m->sm_rp_pri = t->v.p[0] != 0;
		return true;
	case F_OUTCOME: {
		int32_t o;
		if (t->constructed || ber_int(t->v, &o) != WIRE_OK || o < 0 || o > 255)
			return false;
		m->has_outcome = true;
		m->outcome = (uint8_t)o;
		return true;
	}
	case F_NESTED:
	case F_CHOICE:
		if (!t->constructed)
			return false;
		return map_members(m, t->v, e->sub, e->n_sub, e->fld == F_CHOICE, anom);
	default:
		return false;
	}
}

/* Walk the members of a constructed value. Each member is matched against the
 * first unused table entry with its class and tag (so repeated ones, e.g.
 * two untagged OCTET STRINGs, are taken in order); a member matching only
 * used entries is a duplicate (fail); one matching none is skipped. With
 * choice, exactly one member, which must be in the table. */
static bool map_members(struct map_fields *m, struct bytes v, const struct map_elem *el,
			uint8_t n_el, bool choice, uint64_t *anom)
{
	bool used[MAP_MAX_ELEMS] = { false };
	struct cur c = cur_of(v);
	unsigned n = 0;
	if (n_el > MAP_MAX_ELEMS)
		return false;
	while (c.len > 0) {
		struct ber_tlv t;
		if (ber_next(&c, &t, anom) != WIRE_OK)
			return false;
		n++;
		uint8_t id = map_ident(&t);
		int hit = -1;
		bool dup = false;
		for (uint8_t k = 0; k < n_el; k++) {
			/* by class and tag, not form: a known member in the wrong
			 * form (a constructed OCTET STRING) fails in map_field
			 * rather than being skipped as unknown */
			if ((el[k].id & ~0x20) != (id & ~0x20))
				continue;
			if (used[k]) {
				dup = true;
				continue;
			}
			hit = k;
			break;
		}
		if (hit < 0) {
			if (dup || choice)
				return false;
			continue; /* unknown or extension member: skipped */
		}
		used[hit] = true;
		if (!map_field(m, &el[hit], &t, anom))
			return false;
	}
	if (choice)
		return n == 1;
	for (uint8_t k = 0; k < n_el; k++)
		if (el[k].mand && !used[k])
			return false;
	return true;
}

/* ---- the arguments, TS 29.002 chapter 17.6/17.7 (ASN.1 in the comments) */

/* SubscriberIdentity ::= CHOICE { imsi [0] IMSI, msisdn [1] ISDN-AddressString } */
static const struct map_elem el_subscriber_id[] = {
	{ ID_CTX(0), F_IMSI, false, NULL, 0 },
	{ ID_CTX(1), F_MSISDN, false, NULL, 0 },
};

/* RoutingInfoForSM-Arg ::= SEQUENCE { msisdn [0] ISDN-AddressString,
 *   sm-RP-PRI [1] BOOLEAN, serviceCentreAddress [2] AddressString,
 *   extensionContainer [6], ..., gprsSupportIndicator [7], sm-RP-MTI [8],
 *   sm-RP-SMEA [9], sm-deliveryNotIntended [10], ip-sm-gwGuidanceIndicator
 *   [11], imsi [12] IMSI, ... } */
static const struct map_elem el_sri_sm[] = {
	{ ID_CTX(0), F_MSISDN, true, NULL, 0 },
	{ ID_CTX(1), F_SM_RP_PRI, true, NULL, 0 },
	{ ID_CTX(2), F_SC_ADDR, true, NULL, 0 },
	{ ID_CTX(12), F_IMSI, false, NULL, 0 },
};

/* LocationInfoWithLMSI ::= SEQUENCE { networkNode-Number [1]
 *   ISDN-AddressString, lmsi LMSI OPTIONAL, extensionContainer OPTIONAL, ...,
 *   gprsNodeIndicator [5] NULL, additional-Number [6] Additional-Number, ...} */
static const struct map_elem el_loc_lmsi[] = {
	{ ID_CTX(1), F_NNN, true, NULL, 0 },
	{ ID_OCTETS, F_LMSI, false, NULL, 0 },
};

/* RoutingInfoForSM-Res ::= SEQUENCE { imsi IMSI, locationInfoWithLMSI [0]
 *   LocationInfoWithLMSI, extensionContainer [4] OPTIONAL, ...,
 *   ip-sm-gwGuidance [5] OPTIONAL } */
static const struct map_elem el_sri_sm_res[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_CTX_C(0), F_NESTED, true, el_loc_lmsi, N_OF(el_loc_lmsi) },
};

/* ReportSM-DeliveryStatusArg ::= SEQUENCE { msisdn ISDN-AddressString,
 *   serviceCentreAddress AddressString, sm-DeliveryOutcome SM-DeliveryOutcome
 *   (absent in MAP v1), absentSubscriberDiagnosticSM [0], extensionContainer
 *   [1], ..., gprsSupportIndicator [2], deliveryOutcomeIndicator [3],
 *   additionalSM-DeliveryOutcome [4], ... } */
static const struct map_elem el_rsds[] = {
	{ ID_OCTETS, F_MSISDN, true, NULL, 0 },
	{ ID_OCTETS, F_SC_ADDR, true, NULL, 0 },
	{ ID_ENUM, F_OUTCOME, false, NULL, 0 },
};

/* UpdateLocationArg ::= SEQUENCE { imsi IMSI, msc-Number [1]
 *   ISDN-AddressString, vlr-Number ISDN-AddressString, lmsi [10] LMSI, ...}
 *   (v1: locationInfo CHOICE { roamingNumber [0], msc-Number [1] }).
 *   msc_vlr takes the VLR number. */
static const struct map_elem el_ul[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_OCTETS, F_MSC_VLR, true, NULL, 0 },
};

/* CancelLocationArg (v3) ::= [3] SEQUENCE { identity Identity,
 *   cancellationType CancellationType OPTIONAL, ... };
 * v1/v2: CancelLocationArg ::= Identity.
 * Identity ::= CHOICE { imsi IMSI, imsi-WithLMSI IMSI-WithLMSI }
 * IMSI-WithLMSI ::= SEQUENCE { imsi IMSI, lmsi LMSI, ... } */
static const struct map_elem el_imsi_lmsi[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_OCTETS, F_LMSI, true, NULL, 0 },
};
static const struct map_elem el_cl_v3[] = {
	{ ID_OCTETS, F_IMSI, false, NULL, 0 },
	{ ID_SEQ, F_NESTED, false, el_imsi_lmsi, N_OF(el_imsi_lmsi) },
};

/* ProvideRoamingNumberArg ::= SEQUENCE { imsi [0] IMSI, msc-Number [1]
 *   ISDN-AddressString, msisdn [2] ISDN-AddressString OPTIONAL, ...} */
static const struct map_elem el_prn[] = {
	{ ID_CTX(0), F_IMSI, true, NULL, 0 },
	{ ID_CTX(1), F_MSC_VLR, true, NULL, 0 },
	{ ID_CTX(2), F_MSISDN, false, NULL, 0 },
};

/* InsertSubscriberDataArg ::= SEQUENCE { imsi [0] IMSI OPTIONAL,
 *   COMPONENTS OF SubscriberData (msisdn [1] ISDN-AddressString OPTIONAL,
 *   ...), ... } */
static const struct map_elem el_isd[] = {
	{ ID_CTX(0), F_IMSI, false, NULL, 0 },
	{ ID_CTX(1), F_MSISDN, false, NULL, 0 },
};

/* DeleteSubscriberDataArg ::= SEQUENCE { imsi [0] IMSI, ... };
 * ProvideSubscriberInfoArg ::= SEQUENCE { imsi [0] IMSI, lmsi [1] LMSI
 *   OPTIONAL, requestedInfo [2] RequestedInfo, ... };
 * ReadyForSM-Arg ::= SEQUENCE { imsi [0] IMSI, alertReason, ... };
 * SendRoutingInfoForGprsArg ::= SEQUENCE { imsi [0] IMSI, ggsn-Address [1]
 *   OPTIONAL, ggsn-Number [2] ISDN-AddressString, ... };
 * SendAuthenticationInfoArg (v3) ::= SEQUENCE { imsi [0] IMSI,
 *   numberOfRequestedVectors INTEGER, ... } (v2: a bare IMSI, handled by
 *   the form table). */
static const struct map_elem el_imsi0[] = {
	{ ID_CTX(0), F_IMSI, true, NULL, 0 },
};

/* SendRoutingInfoArg ::= SEQUENCE { msisdn [0] ISDN-AddressString, ...,
 *   interrogationType [3], ..., gmsc-OrGsmSCF-Address [6], ... } */
static const struct map_elem el_sri[] = {
	{ ID_CTX(0), F_MSISDN, true, NULL, 0 },
};

/* UpdateGprsLocationArg ::= SEQUENCE { imsi IMSI, sgsn-Number
 *   ISDN-AddressString, sgsn-Address GSN-Address, ... } (msc_vlr: SGSN). */
static const struct map_elem el_ugl[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_OCTETS, F_MSC_VLR, true, NULL, 0 },
	{ ID_OCTETS, F_SKIP, true, NULL, 0 },    /* sgsn-Address */
};

/* RestoreDataArg ::= SEQUENCE { imsi IMSI, lmsi LMSI OPTIONAL, ... } */
static const struct map_elem el_restore[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_OCTETS, F_LMSI, false, NULL, 0 },
};

/* PurgeMS-Arg ::= [3] SEQUENCE { imsi IMSI, vlr-Number [0]
 *   ISDN-AddressString OPTIONAL, sgsn-Number [1] OPTIONAL, ... }
 * (v2: SEQUENCE { imsi IMSI, vlr-Number ISDN-AddressString, ... }) */
static const struct map_elem el_purge_v3[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_CTX(0), F_MSC_VLR, false, NULL, 0 },
};
static const struct map_elem el_purge_v2[] = {
	{ ID_OCTETS, F_IMSI, true, NULL, 0 },
	{ ID_OCTETS, F_MSC_VLR, false, NULL, 0 },
};

/* AnyTimeInterrogationArg ::= SEQUENCE { subscriberIdentity [0]
 *   SubscriberIdentity, requestedInfo [1], gsmSCF-Address [3], ... };
 * AnyTimeSubscriptionInterrogationArg and AnyTimeModificationArg start with
 *   subscriberIdentity [0] too. */
static const struct map_elem el_ati[] = {
	{ ID_CTX_C(0), F_CHOICE, true, el_subscriber_id, N_OF(el_subscriber_id) },
};

/* ProvideSubscriberLocation-Arg ::= SEQUENCE { locationType LocationType,
 *   mlc-Number ISDN-AddressString, lcs-ClientID [0], privacyOverride [1],
 *   imsi [2] IMSI, msisdn [3] ISDN-AddressString, lmsi [4], ... } */
static const struct map_elem el_psl[] = {
	{ ID_SEQ, F_SKIP, true, NULL, 0 },
	{ ID_OCTETS, F_SKIP, true, NULL, 0 },    /* mlc-Number */
	{ ID_CTX(2), F_IMSI, false, NULL, 0 },
	{ ID_CTX(3), F_MSISDN, false, NULL, 0 },
};

/* RoutingInfoForLCS-Arg ::= SEQUENCE { mlcNumber [0] ISDN-AddressString,
 *   targetMS [1] SubscriberIdentity, ... } */
static const struct map_elem el_sri_lcs[] = {
	{ ID_CTX(0), F_SKIP, true, NULL, 0 },
	{ ID_CTX_C(1), F_CHOICE, true, el_subscriber_id, N_OF(el_subscriber_id) },
};

/* AlertServiceCentreArg ::= SEQUENCE { msisdn ISDN-AddressString,
 *   serviceCentreAddress AddressString, ..., imsi IMSI OPTIONAL, ... } */
static const struct map_elem el_asc[] = {
	{ ID_OCTETS, F_MSISDN, true, NULL, 0 },
	{ ID_OCTETS, F_SC_ADDR, true, NULL, 0 },
	{ ID_OCTETS, F_IMSI, false, NULL, 0 },
};

/* One accepted encoding of an argument: its outer identifier, and either a
 * field (the argument is that bare primitive) or the members. */
struct map_form {
	uint8_t outer;
	uint8_t bare;                /* enum map_fld, F_SKIP: constructed */
	const struct map_elem *el;
	uint8_t n_el;
	bool need_imsi;              /* an untagged CHOICE must have given an IMSI */
};

struct map_spec {
	int16_t op;
	uint8_t n_forms;
	struct map_form forms[3];
};

#define FORM_SEQ(els) { ID_SEQ, F_SKIP, els, N_OF(els), false }

static const struct map_spec map_specs[] = {
	{ 2, 1, { FORM_SEQ(el_ul) } },
	{ 3, 3, { { ID_CTX_C(3), F_SKIP, el_cl_v3, N_OF(el_cl_v3), true },
		  { ID_OCTETS, F_IMSI, NULL, 0, false },
		  FORM_SEQ(el_imsi_lmsi) } },
	{ 4, 1, { FORM_SEQ(el_prn) } },
	{ 7, 1, { FORM_SEQ(el_isd) } },
	{ 8, 1, { FORM_SEQ(el_imsi0) } },
	{ 22, 1, { FORM_SEQ(el_sri) } },
	{ 23, 1, { FORM_SEQ(el_ugl) } },
	{ 24, 1, { FORM_SEQ(el_imsi0) } },
	{ 45, 1, { FORM_SEQ(el_sri_sm) } },
	{ 47, 1, { FORM_SEQ(el_rsds) } },
	{ 56, 2, { FORM_SEQ(el_imsi0), { ID_OCTETS, F_IMSI, NULL, 0, false } } },
	{ 57, 1, { FORM_SEQ(el_restore) } },
	{ 58, 1, { { ID_OCTETS, F_MSISDN, NULL, 0, false } } },
	{ 62, 1, { FORM_SEQ(el_ati) } },
	{ 64, 1, { FORM_SEQ(el_asc) } },
	{ 65, 1, { FORM_SEQ(el_ati) } },
	{ 66, 1, { FORM_SEQ(el_imsi0) } },
	{ 67, 2, { { ID_CTX_C(3), F_SKIP, el_purge_v3, N_OF(el_purge_v3), false },
		   FORM_SEQ(el_purge_v2) } },
	{ 70, 1, { FORM_SEQ(el_imsi0) } },
	{ 71, 1, { FORM_SEQ(el_ati) } },
	{ 83, 1, { FORM_SEQ(el_psl) } },
	{ 85, 1, { FORM_SEQ(el_sri_lcs) } },
};

static const struct map_spec *map_spec_of(int op)
{
	for (size_t k = 0; k < sizeof map_specs / sizeof map_specs[0]; k++)
		if (map_specs[k].op == op)
			return &map_specs[k];
	return NULL;
}

static bool map_by_spec(struct map_fields *m, const struct map_spec *s, const struct ber_tlv *arg,
			uint64_t *anom)
{
	uint8_t id = map_ident(arg);
	for (uint8_t k = 0; k < s->n_forms; k++) {
		const struct map_form *f = &s->forms[k];
		if (f->outer != id)
			continue;
		if (f->bare != F_SKIP) {
			struct map_elem e = { id, f->bare, true, NULL, 0 };
			return map_field(m, &e, arg, anom);
		}
		if (!map_members(m, arg->v, f->el, f->n_el, false, anom))
			return false;
		return !f->need_imsi || m->imsi.n > 0;
	}
	return false;
}

/* ---- forward short message: MT-ForwardSM-Arg (44), MO-ForwardSM-Arg and
 * ForwardSM-Arg (46) ::= SEQUENCE { sm-RP-DA SM-RP-DA, sm-RP-OA SM-RP-OA,
 *   sm-RP-UI SignalInfo, moreMessagesToSend NULL OPTIONAL (44, v2 46),
 *   extensionContainer OPTIONAL, ..., imsi IMSI OPTIONAL (mo v3), ... }
 * SM-RP-DA ::= CHOICE { imsi [0] IMSI, lmsi [1] LMSI,
 *   serviceCentreAddressDA [4] AddressString, noSM-RP-DA [5] NULL }
 * SM-RP-OA ::= CHOICE { msisdn [2] ISDN-AddressString,
 *   serviceCentreAddressOA [4] AddressString, noSM-RP-OA [5] NULL }
 * Both CHOICEs use [4] and [5], so DA and OA are told apart by position. */
static bool map_sm_rp_addr(struct map_sm_rp *r, uint8_t kind, const struct ber_tlv *t, uint64_t *anom)
{
	struct map_addr a;
	memset(&a, 0, sizeof a);
	if (!map_addr(&a, t, anom))
		return false;
	r->kind = kind;
	r->d = a.d;
	r->ton = a.ton;
	r->npi = a.npi;
	return true;
}

static bool map_sm_rp_da(struct map_sm_rp *r, const struct ber_tlv *t, uint64_t *anom)
{
	switch (map_ident(t)) {
	case ID_CTX(0):
		r->kind = SM_RP_IMSI;
		return map_imsi(&r->d, t, anom);
	case ID_CTX(1):
		r->kind = SM_RP_LMSI;
		return map_lmsi(&r->d, t);
	case ID_CTX(4):
		return map_sm_rp_addr(r, SM_RP_SC_ADDR, t, anom);
	case ID_CTX(5):
		r->kind = SM_RP_NO_ADDR;
		return t->v.len == 0;
	default:
		return false;
	}
}

static bool map_sm_rp_oa(struct map_sm_rp *r, const struct ber_tlv *t, uint64_t *anom)
{
	switch (map_ident(t)) {
	case ID_CTX(2):
		return map_sm_rp_addr(r, SM_RP_MSISDN, t, anom);
	case ID_CTX(4):
		return map_sm_rp_addr(r, SM_RP_SC_ADDR, t, anom);
	case ID_CTX(5):
		r->kind = SM_RP_NO_ADDR;
		return t->v.len == 0;
	default:
		return false;
	}
}

/* Returns false when the argument is not a forward-SM argument; the SMS
 * TPDU is decoded by the caller. */
static bool map_fsm(struct map_fields *m, const struct ber_tlv *arg, uint64_t *anom)
{
	if (map_ident(arg) != ID_SEQ)
		return false;
	struct cur c = cur_of(arg->v);
	struct ber_tlv t;
	if (ber_next(&c, &t, anom) != WIRE_OK || !map_sm_rp_da(&m->sm_rp_da, &t, anom))
		return false;
	if (ber_next(&c, &t, anom) != WIRE_OK || !map_sm_rp_oa(&m->sm_rp_oa, &t, anom))
		return false;
	if (ber_next(&c, &t, anom) != WIRE_OK || map_ident(&t) != ID_OCTETS)
		return false;
	m->sm_rp_ui = t.v;
	bool have_imsi = false;
	while (c.len > 0) {
		if (ber_next(&c, &t, anom) != WIRE_OK)
			return false;
		if (map_ident(&t) == ID_OCTETS) { /* MO-ForwardSM-Arg imsi */
			if (have_imsi || !map_imsi(&m->imsi, &t, anom))
				return false;
			have_imsi = true;
		}
	}
	return true;
}

/* ---- application contexts (TS 29.002 17.3.3) and the operations they
 * carry, in either direction, in any version. Only contexts whose operation
 * set is certain are listed; an operation outside the set of a listed
 * context is acn_opcode_mismatch. Contexts not listed are not checked. */
struct map_ac_ops {
	uint8_t ac;
	uint8_t n;
	uint8_t ops[6];
};

static const struct map_ac_ops map_ac_table[] = {
	{ 1, 6, { 2, 7, 9, 38, 50, 57 } },   /* networkLocUpContext */
	{ 2, 1, { 3 } },                     /* locationCancellationContext */
	{ 3, 1, { 4 } },                     /* roamingNumberEnquiryContext */
	{ 5, 1, { 22 } },                    /* locationInfoRetrievalContext */
	{ 14, 2, { 56, 9 } },                /* infoRetrievalContext (v1: sendParameters) */
	{ 20, 3, { 45, 47, 63 } },           /* shortMsgGatewayContext */
	{ 21, 1, { 46 } },                   /* shortMsgRelayContext v1/v2, shortMsgMO-RelayContext v3 */
	{ 23, 2, { 64, 49 } },               /* shortMsgAlertContext */
	{ 25, 1, { 44 } },                   /* shortMsgMT-RelayContext */
	{ 26, 1, { 58 } },                   /* imsiRetrievalContext */
	{ 27, 1, { 67 } },                   /* msPurgingContext */
	{ 28, 1, { 70 } },                   /* subscriberInfoEnquiryContext */
	{ 29, 1, { 71 } },                   /* anyTimeInfoEnquiryContext */
	{ 33, 1, { 24 } },                   /* gprsLocationInfoRetrievalContext */
	{ 37, 1, { 85 } },                   /* locationSvcGatewayContext */
	{ 38, 2, { 83, 86 } },               /* locationSvcEnquiryContext */
	{ 43, 2, { 62, 65 } },               /* anyTimeInfoHandlingContext */
};

static bool map_acn_mismatch(const struct tcap_info *t, int op)
{
	if (!t->acn_is_map)
		return false;
	for (size_t k = 0; k < sizeof map_ac_table / sizeof map_ac_table[0]; k++) {
		const struct map_ac_ops *a = &map_ac_table[k];
		if (a->ac != t->acn_ac)
			continue;
		for (uint8_t j = 0; j < a->n; j++)
			if (a->ops[j] == op)
				return false;
		return true;
	}
	return false;
}

/* ---- entry point */
static enum wire_result map_fail(struct map_fields *m, uint64_t *anom)
{
	m->state = MAP_DECODE_FAILED;
	*anom |= ANOM_BIT(ANOM_MAP_UNDECODED);
	return WIRE_MALFORMED;
}

/* Read the parameter: exactly one element (bytes after it: trailing_bytes). */
static bool map_param(const struct tcap_component *c, struct ber_tlv *arg, uint64_t *anom)
{
	struct cur p = cur_of(c->param);
	if (c->param.len == 0 || ber_next(&p, arg, anom) != WIRE_OK)
		return false;
	if (p.len > 0)
		*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);
	return true;
}

enum wire_result map_decode(struct tcap_info *t, unsigned i, int op_hint, uint64_t *anom)
{
	if (i >= t->n_components || i >= TCAP_MAX_COMPONENTS)
		return WIRE_UNSUPPORTED;
	struct tcap_component *c = &t->comp[i];
	struct map_fields *m = &c->map;
	memset(m, 0, sizeof *m);
	struct ber_tlv arg;

	if (c->type == TCAP_COMP_RESULT_LAST || c->type == TCAP_COMP_RESULT) {
		int op = op_hint;
		if (c->has_opcode) {
			if (c->opcode_global)
				return WIRE_OK;
			op = c->opcode;
		}
		if (op != 45 || c->param.len == 0)
			return WIRE_OK; /* only the SRI-SM result is decoded */
		if (!map_param(c, &arg, anom))
			return map_fail(m, anom);
		const struct map_form f = FORM_SEQ(el_sri_sm_res);
		if (map_ident(&arg) != f.outer || !map_members(m, arg.v, f.el, f.n_el, false, anom))
			return map_fail(m, anom);
		m->state = MAP_DECODED;
		return WIRE_OK;
	}
	if (c->type != TCAP_COMP_INVOKE || !c->has_opcode || c->opcode_global)
		return WIRE_OK;

	int op = c->opcode;
	if (!map_op_name(op)) {
		*anom |= ANOM_BIT(ANOM_MAP_UNKNOWN_OPCODE);
		return WIRE_OK;
	}
	if (map_acn_mismatch(t, op))
		*anom |= ANOM_BIT(ANOM_ACN_OPCODE_MISMATCH);

	if (op == 44 || op == 46) {
		if (!map_param(c, &arg, anom) || !map_fsm(m, &arg, anom))
			return map_fail(m, anom);
		/* 23.040 9.2.3.1: the direction selects the meaning of TP-MTI. A
		 * forwardSM (v1/v2 46) towards an IMSI/LMSI is mobile terminated,
		 * and so is one with noSM-RP-DA (the IMSI is in the MAP-OPEN
		 * destination reference, TS 29.002 12.9) from an SC address. */
		bool sc_to_ms = op == 44 || m->sm_rp_da.kind == SM_RP_IMSI ||
				m->sm_rp_da.kind == SM_RP_LMSI ||
				(m->sm_rp_da.kind == SM_RP_NO_ADDR && m->sm_rp_oa.kind == SM_RP_SC_ADDR);
		m->state = MAP_DECODED;
		if (sms_decode(&m->tp, m->sm_rp_ui, sc_to_ms, anom) != WIRE_OK) {
			*anom |= ANOM_BIT(ANOM_SMS_UNDECODED);
			return WIRE_MALFORMED;
		}
		return WIRE_OK;
	}

	const struct map_spec *s = map_spec_of(op);
	if (!s)
		return WIRE_OK; /* known operation whose argument we do not read */
	if (!map_param(c, &arg, anom) || !map_by_spec(m, s, &arg, anom))
		return map_fail(m, anom);
	m->state = MAP_DECODED;
	return WIRE_OK;
}
