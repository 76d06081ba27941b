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

/* TMSI ::= OCTET STRING (SIZE (1..4)) (TS 29.002 17.7.2). */
static bool map_tmsi(struct bytes *b, const struct ber_tlv *t)
{
	if (t->constructed || t->v.len < 1 || t->v.len > 4)
		return false;
	*b = t->v;
	return true;
}

/* ---- table-driven SEQUENCE members */
enum map_fld {
	F_SKIP = 0,      /* known member, not extracted (only checked as a TLV) */
	F_IMSI,
	F_MSISDN,
	F_SC_ADDR,
	F_NNN,
	F_VLR,
	F_MSC,
	F_SGSN,
	F_HLR,
	F_GMSC,
	F_MLC,
	F_GSMSCF,
	F_ROAMING,
	F_TMSI,
	F_LMSI,
	F_USSD_DCS,      /* USSD-DataCodingScheme ::= OCTET STRING (SIZE (1)) */
	F_USSD_STR,      /* USSD-String ::= OCTET STRING (SIZE (1..160)) */
	F_SM_RP_PRI,     /* BOOLEAN */
	F_OUTCOME,       /* SM-DeliveryOutcome ENUMERATED */
	F_NESTED,        /* constructed: descend into sub (a SEQUENCE) */
	F_CHOICE,        /* constructed: exactly one element, one of sub */
};

/* alt: members with the same non-zero alt are the alternatives of an
 * untagged CHOICE inside the SEQUENCE (e.g. the v1 LocationInfo: roamingNumber
 * [0] or msc-Number [1]): at most one of them may appear, and exactly one
 * when they are mand. */
struct map_elem {
	uint8_t id;                  /* identifier octet */
	uint8_t fld;                 /* enum map_fld */
	bool mand;                   /* mandatory member */
	uint8_t alt;                 /* untagged CHOICE group, 0: none */
	const struct map_elem *sub;  /* F_NESTED / F_CHOICE members */
	uint8_t n_sub;
};

#define MAP_MAX_ELEMS 8
#define MAP_MAX_ALT   2
#define N_OF(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))

/* Member shorthands: mandatory, optional, alternative of group g. */
#define M(id, f)       { (id), (f), true, 0, NULL, 0 }
#define O(id, f)       { (id), (f), false, 0, NULL, 0 }
#define ALT(id, f, g)  { (id), (f), true, (g), NULL, 0 }
#define SUB(id, f, m, els) { (id), (f), (m), 0, (els), N_OF(els) }

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
	case F_NNN:
		return map_addr(&m->nnn, t, anom);
	case F_VLR:
		return map_addr(&m->vlr, t, anom);
	case F_MSC:
		return map_addr(&m->msc, t, anom);
	case F_SGSN:
		return map_addr(&m->sgsn, t, anom);
	case F_HLR:
		return map_addr(&m->hlr, t, anom);
	case F_GMSC:
		return map_addr(&m->gmsc, t, anom);
	case F_MLC:
		return map_addr(&m->mlc, t, anom);
	case F_GSMSCF:
		return map_addr(&m->gsmscf, t, anom);
	case F_ROAMING:
		return map_addr(&m->roaming_nr, t, anom);
	case F_TMSI:
		return map_tmsi(&m->tmsi, t);
	case F_LMSI:
		return map_lmsi(&m->lmsi, t);
	case F_USSD_DCS:
		if (t->constructed || t->v.len != 1)
			return false;
		m->ussd_dcs = t->v.p[0];
		return true;
	case F_USSD_STR:
		if (t->constructed || t->v.len < 1 || t->v.len > 160)
			return false;
		m->has_ussd = true;
		m->ussd_string = t->v;
		return true;
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
 * choice, exactly one member, which must be in the table. Then every
 * mandatory member must have been seen, and each alt group as its entries
 * say. */
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
	uint8_t alt_n[MAP_MAX_ALT + 1] = { 0 };
	bool alt_mand[MAP_MAX_ALT + 1] = { false };
	for (uint8_t k = 0; k < n_el; k++) {
		uint8_t g = el[k].alt;
		if (g) {
			if (g > MAP_MAX_ALT)
				return false;
			alt_mand[g] |= el[k].mand;
			alt_n[g] += used[k];
		} else if (el[k].mand && !used[k]) {
			return false;
		}
	}
	for (uint8_t g = 1; g <= MAP_MAX_ALT; g++)
		if (alt_n[g] > 1 || (alt_mand[g] && alt_n[g] == 0))
			return false;
	return true;
}

/* ---- the arguments and results, TS 29.002 chapter 17.6/17.7 (ASN.1 in the
 * comments; "v1" / "v2" are the forms of GSM 09.02 phase 1 / 2 where they
 * differ). Members after an extension marker that we do not extract are
 * left out of the tables: they are skipped as unknown. */

/* SubscriberIdentity ::= CHOICE { imsi [0] IMSI, msisdn [1] ISDN-AddressString } */
static const struct map_elem el_subscriber_id[] = {
	O(ID_CTX(0), F_IMSI),
	O(ID_CTX(1), F_MSISDN),
};

/* RoutingInfoForSM-Arg ::= SEQUENCE { msisdn [0] ISDN-AddressString,
 *   sm-RP-PRI [1] BOOLEAN, serviceCentreAddress [2] AddressString,
 *   extensionContainer [6], ..., gprsSupportIndicator [7], sm-RP-MTI [8],
 *   sm-RP-SMEA [9], sm-deliveryNotIntended [10], ip-sm-gwGuidanceIndicator
 *   [11], imsi [12] IMSI, ... } */
static const struct map_elem el_sri_sm[] = {
	M(ID_CTX(0), F_MSISDN),
	M(ID_CTX(1), F_SM_RP_PRI),
	M(ID_CTX(2), F_SC_ADDR),
	O(ID_CTX(12), F_IMSI),
};

/* LocationInfoWithLMSI ::= SEQUENCE { networkNode-Number [1]
 *   ISDN-AddressString, lmsi LMSI OPTIONAL, extensionContainer OPTIONAL, ...,
 *   gprsNodeIndicator [5] NULL, additional-Number [6] Additional-Number, ...}
 * v1: SEQUENCE { locationInfo LocationInfo, lmsi LMSI OPTIONAL, ... } with
 *   LocationInfo ::= CHOICE { roamingNumber [0] ISDN-AddressString,
 *   msc-Number [1] ISDN-AddressString }: [1] is the same member in every
 *   version, [0] (the MSRN) only in v1. */
static const struct map_elem el_loc_lmsi[] = {
	ALT(ID_CTX(0), F_ROAMING, 1),
	ALT(ID_CTX(1), F_NNN, 1),
	O(ID_OCTETS, F_LMSI),
};

/* RoutingInfoForSM-Res ::= SEQUENCE { imsi IMSI, locationInfoWithLMSI [0]
 *   LocationInfoWithLMSI, extensionContainer [4] OPTIONAL, ...,
 *   ip-sm-gwGuidance [5] OPTIONAL } (v1: ..., mwd-Set [2] BOOLEAN OPTIONAL) */
static const struct map_elem el_sri_sm_res[] = {
	M(ID_OCTETS, F_IMSI),
	SUB(ID_CTX_C(0), F_NESTED, true, el_loc_lmsi),
};

/* ReportSM-DeliveryStatusArg ::= SEQUENCE { msisdn ISDN-AddressString,
 *   serviceCentreAddress AddressString, sm-DeliveryOutcome SM-DeliveryOutcome
 *   (absent in MAP v1), absentSubscriberDiagnosticSM [0], extensionContainer
 *   [1], ..., gprsSupportIndicator [2], deliveryOutcomeIndicator [3],
 *   additionalSM-DeliveryOutcome [4], ... } */
static const struct map_elem el_rsds[] = {
	M(ID_OCTETS, F_MSISDN),
	M(ID_OCTETS, F_SC_ADDR),
	O(ID_ENUM, F_OUTCOME),
};

/* UpdateLocationArg ::= SEQUENCE { imsi IMSI, msc-Number [1]
 *   ISDN-AddressString, vlr-Number ISDN-AddressString, lmsi [10] LMSI
 *   OPTIONAL, extensionContainer OPTIONAL, ..., vlr-Capability [6], ...,
 *   v-gmlc-Address [2], ..., eplmn-List [3], mme-DiameterAddress [4] }
 * v1: SEQUENCE { imsi IMSI, locationInfo LocationInfo, vlr-Number
 *   ISDN-AddressString, lmsi [10] LMSI OPTIONAL, ... } with LocationInfo ::=
 *   CHOICE { roamingNumber [0], msc-Number [1] } */
static const struct map_elem el_ul[] = {
	M(ID_OCTETS, F_IMSI),
	ALT(ID_CTX(0), F_ROAMING, 1),
	ALT(ID_CTX(1), F_MSC, 1),
	M(ID_OCTETS, F_VLR),
	O(ID_CTX(10), F_LMSI),
};

/* UpdateLocationRes ::= SEQUENCE { hlr-Number ISDN-AddressString,
 *   extensionContainer OPTIONAL, ..., add-Capability NULL OPTIONAL,
 *   pagingArea-Capability [0] NULL OPTIONAL } (v2: CHOICE { hlr-Number,
 *   extensibleUpdateLocationRes SEQUENCE { hlr-Number, ... } }; v1: the bare
 *   hlr-Number). UpdateGprsLocationRes and RestoreDataRes ::= SEQUENCE {
 *   hlr-Number ISDN-AddressString, ... } too. */
static const struct map_elem el_hlr_res[] = {
	M(ID_OCTETS, F_HLR),
};

/* CancelLocationArg (v3) ::= [3] SEQUENCE { identity Identity,
 *   cancellationType CancellationType OPTIONAL, ... };
 * v1/v2: CancelLocationArg ::= Identity.
 * Identity ::= CHOICE { imsi IMSI, imsi-WithLMSI IMSI-WithLMSI }
 * IMSI-WithLMSI ::= SEQUENCE { imsi IMSI, lmsi LMSI, ... } */
static const struct map_elem el_imsi_lmsi[] = {
	M(ID_OCTETS, F_IMSI),
	M(ID_OCTETS, F_LMSI),
};
static const struct map_elem el_cl_v3[] = {
	ALT(ID_OCTETS, F_IMSI, 1),
	{ ID_SEQ, F_NESTED, true, 1, el_imsi_lmsi, N_OF(el_imsi_lmsi) },
};

/* ProvideRoamingNumberArg ::= SEQUENCE { imsi [0] IMSI, msc-Number [1]
 *   ISDN-AddressString, msisdn [2] ISDN-AddressString OPTIONAL,
 *   (v1: previousRoamingNumber [3]), lmsi [4] LMSI OPTIONAL,
 *   gsm-BearerCapability [5], networkSignalInfo [6], suppressionOfAnnouncement
 *   [7], gmsc-Address [8] ISDN-AddressString OPTIONAL, ... } */
static const struct map_elem el_prn[] = {
	M(ID_CTX(0), F_IMSI),
	M(ID_CTX(1), F_MSC),
	O(ID_CTX(2), F_MSISDN),
	O(ID_CTX(4), F_LMSI),
	O(ID_CTX(8), F_GMSC),
};

/* ProvideRoamingNumberRes ::= SEQUENCE { roamingNumber ISDN-AddressString,
 *   extensionContainer OPTIONAL, ..., releaseResourcesSupported NULL
 *   OPTIONAL, vmsc-Address ISDN-AddressString OPTIONAL } (v1/v2: the bare
 *   roamingNumber) */
static const struct map_elem el_prn_res[] = {
	M(ID_OCTETS, F_ROAMING),
	O(ID_OCTETS, F_MSC),
};

/* InsertSubscriberDataArg ::= SEQUENCE { imsi [0] IMSI OPTIONAL,
 *   COMPONENTS OF SubscriberData (msisdn [1] ISDN-AddressString OPTIONAL,
 *   ...), ... } */
static const struct map_elem el_isd[] = {
	O(ID_CTX(0), F_IMSI),
	O(ID_CTX(1), F_MSISDN),
};

/* DeleteSubscriberDataArg ::= SEQUENCE { imsi [0] IMSI, ... };
 * ReadyForSM-Arg ::= SEQUENCE { imsi [0] IMSI, alertReason, ... };
 * SendRoutingInfoForGprsArg ::= SEQUENCE { imsi [0] IMSI, ggsn-Address [1]
 *   OPTIONAL, ggsn-Number [2] ISDN-AddressString, ... };
 * SendAuthenticationInfoArg (v3) ::= SEQUENCE { imsi [0] IMSI,
 *   numberOfRequestedVectors INTEGER, ... } (v2: a bare IMSI, handled by
 *   the form table). */
static const struct map_elem el_imsi0[] = {
	M(ID_CTX(0), F_IMSI),
};

/* ProvideSubscriberInfoArg ::= SEQUENCE { imsi [0] IMSI, lmsi [1] LMSI
 *   OPTIONAL, requestedInfo [2] RequestedInfo, ... } */
static const struct map_elem el_psi[] = {
	M(ID_CTX(0), F_IMSI),
	O(ID_CTX(1), F_LMSI),
};

/* SendRoutingInfoArg ::= SEQUENCE { msisdn [0] ISDN-AddressString,
 *   cug-CheckInfo [1], numberOfForwarding [2], interrogationType [3], ...,
 *   gmsc-OrGsmSCF-Address [6] ISDN-AddressString (v2: gmsc-Address [6];
 *   v1: absent), ... } */
static const struct map_elem el_sri[] = {
	M(ID_CTX(0), F_MSISDN),
	O(ID_CTX(6), F_GMSC),
};

/* SendRoutingInfoRes (v3) ::= [3] SEQUENCE { imsi [9] IMSI OPTIONAL,
 *   extendedRoutingInfo ExtendedRoutingInfo OPTIONAL, ..., vmsc-Address [2]
 *   ISDN-AddressString OPTIONAL, ..., msisdn [12] ISDN-AddressString, ... }
 *   ExtendedRoutingInfo ::= CHOICE { routingInfo RoutingInfo,
 *   camelRoutingInfo [8] }; RoutingInfo ::= CHOICE { roamingNumber
 *   ISDN-AddressString, forwardingData ForwardingData (SEQUENCE) }.
 * v1/v2: SEQUENCE { imsi IMSI, routingInfo RoutingInfo, cug-CheckInfo
 *   OPTIONAL, ... } */
static const struct map_elem el_sri_res_v3[] = {
	O(ID_CTX(9), F_IMSI),
	O(ID_OCTETS, F_ROAMING),
	O(ID_CTX(2), F_MSC),
	O(ID_CTX(12), F_MSISDN),
};
static const struct map_elem el_sri_res_v2[] = {
	M(ID_OCTETS, F_IMSI),
	O(ID_OCTETS, F_ROAMING),
};

/* UpdateGprsLocationArg ::= SEQUENCE { imsi IMSI, sgsn-Number
 *   ISDN-AddressString, sgsn-Address GSN-Address, ... } */
static const struct map_elem el_ugl[] = {
	M(ID_OCTETS, F_IMSI),
	M(ID_OCTETS, F_SGSN),
	M(ID_OCTETS, F_SKIP),    /* sgsn-Address */
};

/* RestoreDataArg ::= SEQUENCE { imsi IMSI, lmsi LMSI OPTIONAL, ... } */
static const struct map_elem el_restore[] = {
	M(ID_OCTETS, F_IMSI),
	O(ID_OCTETS, F_LMSI),
};

/* PurgeMS-Arg ::= [3] SEQUENCE { imsi IMSI, vlr-Number [0]
 *   ISDN-AddressString OPTIONAL, sgsn-Number [1] ISDN-AddressString
 *   OPTIONAL, ... } (v2: SEQUENCE { imsi IMSI, vlr-Number
 *   ISDN-AddressString, ... }) */
static const struct map_elem el_purge_v3[] = {
	M(ID_OCTETS, F_IMSI),
	O(ID_CTX(0), F_VLR),
	O(ID_CTX(1), F_SGSN),
};
static const struct map_elem el_purge_v2[] = {
	M(ID_OCTETS, F_IMSI),
	M(ID_OCTETS, F_VLR),
};

/* AnyTimeInterrogationArg ::= SEQUENCE { subscriberIdentity [0]
 *   SubscriberIdentity, requestedInfo [1], extensionContainer [2],
 *   gsmSCF-Address [3] ISDN-AddressString, ... } */
static const struct map_elem el_ati[] = {
	SUB(ID_CTX_C(0), F_CHOICE, true, el_subscriber_id),
	O(ID_CTX(3), F_GSMSCF),
};

/* AnyTimeSubscriptionInterrogationArg ::= SEQUENCE { subscriberIdentity [0],
 *   requestedSubscriptionInfo [1], gsmSCF-Address [2] ISDN-AddressString,
 *   extensionContainer [3], ... } */
static const struct map_elem el_atsi[] = {
	SUB(ID_CTX_C(0), F_CHOICE, true, el_subscriber_id),
	O(ID_CTX(2), F_GSMSCF),
};

/* AnyTimeModificationArg ::= SEQUENCE { subscriberIdentity [0],
 *   gsmSCF-Address [1] ISDN-AddressString, modificationRequestFor-CF-Info
 *   [2], ... } */
static const struct map_elem el_atm[] = {
	SUB(ID_CTX_C(0), F_CHOICE, true, el_subscriber_id),
	O(ID_CTX(1), F_GSMSCF),
};

/* ProvideSubscriberLocation-Arg ::= SEQUENCE { locationType LocationType,
 *   mlc-Number ISDN-AddressString, lcs-ClientID [0], privacyOverride [1],
 *   imsi [2] IMSI, msisdn [3] ISDN-AddressString, lmsi [4] LMSI, ... } */
static const struct map_elem el_psl[] = {
	M(ID_SEQ, F_SKIP),
	M(ID_OCTETS, F_MLC),
	O(ID_CTX(2), F_IMSI),
	O(ID_CTX(3), F_MSISDN),
	O(ID_CTX(4), F_LMSI),
};

/* RoutingInfoForLCS-Arg ::= SEQUENCE { mlcNumber [0] ISDN-AddressString,
 *   targetMS [1] SubscriberIdentity, ... } */
static const struct map_elem el_sri_lcs[] = {
	M(ID_CTX(0), F_MLC),
	SUB(ID_CTX_C(1), F_CHOICE, true, el_subscriber_id),
};

/* LCSLocationInfo ::= SEQUENCE { networkNode-Number ISDN-AddressString,
 *   lmsi [0] LMSI OPTIONAL, extensionContainer [1], ..., gprsNodeIndicator
 *   [2], additional-Number [3], ... } */
static const struct map_elem el_lcs_loc[] = {
	M(ID_OCTETS, F_NNN),
	O(ID_CTX(0), F_LMSI),
};

/* RoutingInfoForLCS-Res ::= SEQUENCE { targetMS [0] SubscriberIdentity,
 *   lcsLocationInfo [1] LCSLocationInfo, extensionContainer [2], ...,
 *   v-gmlc-Address [3], h-gmlc-Address [4], ppr-Address [5], ... } */
static const struct map_elem el_sri_lcs_res[] = {
	SUB(ID_CTX_C(0), F_CHOICE, true, el_subscriber_id),
	SUB(ID_CTX_C(1), F_NESTED, true, el_lcs_loc),
};

/* SubscriberLocationReport-Arg ::= SEQUENCE { lcs-Event LCS-Event,
 *   lcs-ClientID LCS-ClientID, lcsLocationInfo LCSLocationInfo, msisdn [0]
 *   ISDN-AddressString OPTIONAL, imsi [1] IMSI OPTIONAL, imei [2], ... } */
static const struct map_elem el_slr[] = {
	M(ID_ENUM, F_SKIP),
	M(ID_SEQ, F_SKIP),
	SUB(ID_SEQ, F_NESTED, true, el_lcs_loc),
	O(ID_CTX(0), F_MSISDN),
	O(ID_CTX(1), F_IMSI),
};

/* AlertServiceCentreArg ::= SEQUENCE { msisdn ISDN-AddressString,
 *   serviceCentreAddress AddressString, ..., imsi IMSI OPTIONAL, ... }
 *   (alertServiceCentre 64, and the v1 alertServiceCentreWithoutResult 49) */
static const struct map_elem el_asc[] = {
	M(ID_OCTETS, F_MSISDN),
	M(ID_OCTETS, F_SC_ADDR),
	O(ID_OCTETS, F_IMSI),
};

/* InformServiceCentreArg ::= SEQUENCE { storedMSISDN ISDN-AddressString
 *   OPTIONAL, mw-Status MW-Status OPTIONAL, extensionContainer OPTIONAL, ...,
 *   absentSubscriberDiagnosticSM OPTIONAL, ... } */
static const struct map_elem el_isc[] = {
	O(ID_OCTETS, F_MSISDN),
};

/* USSD-Arg ::= SEQUENCE { ussd-DataCodingScheme USSD-DataCodingScheme,
 *   ussd-String USSD-String, ..., alertingPattern AlertingPattern OPTIONAL,
 *   msisdn [0] ISDN-AddressString OPTIONAL }
 * USSD-Res ::= SEQUENCE { ussd-DataCodingScheme, ussd-String, ... } */
static const struct map_elem el_ussd[] = {
	M(ID_OCTETS, F_USSD_DCS),
	M(ID_OCTETS, F_USSD_STR),
	O(ID_OCTETS, F_SKIP),    /* alertingPattern, OCTET STRING (SIZE (1)) */
	O(ID_CTX(0), F_MSISDN),
};

/* SendParametersArg (v1) ::= SEQUENCE { subscriberId SubscriberId,
 *   requestParameterList RequestParameterList }
 *   SubscriberId ::= CHOICE { imsi [0] IMSI, tmsi [1] TMSI } */
static const struct map_elem el_send_params[] = {
	ALT(ID_CTX(0), F_IMSI, 1),
	ALT(ID_CTX(1), F_TMSI, 1),
};

/* NoteSubscriberDataModifiedArg ::= SEQUENCE { imsi IMSI, msisdn
 *   ISDN-AddressString, forwardingInformation-v2 [0] OPTIONAL, ... } */
static const struct map_elem el_nsdm[] = {
	M(ID_OCTETS, F_IMSI),
	M(ID_OCTETS, F_MSISDN),
};

/* SendIdentificationArg (v3) ::= SEQUENCE { tmsi TMSI,
 *   numberOfRequestedVectors OPTIONAL, segmentationProhibited NULL OPTIONAL,
 *   extensionContainer OPTIONAL, ..., msc-Number ISDN-AddressString
 *   OPTIONAL, previous-LAI [0], hopCounter [1], mtRoamingForwardingSupported
 *   [2], newVLR-Number [3] ISDN-AddressString, new-lmsi [4] LMSI }
 *   (v2: the bare TMSI) */
static const struct map_elem el_send_id[] = {
	M(ID_OCTETS, F_TMSI),
	O(ID_OCTETS, F_MSC),
	O(ID_CTX(3), F_VLR),
	O(ID_CTX(4), F_LMSI),
};

/* SendIdentificationRes (v3) ::= [3] SEQUENCE { imsi IMSI OPTIONAL,
 *   authenticationSetList OPTIONAL, currentSecurityContext [2], ... }
 * v2: SEQUENCE { imsi IMSI, authenticationSetList OPTIONAL, ... } */
static const struct map_elem el_send_id_res_v3[] = {
	O(ID_OCTETS, F_IMSI),
};
static const struct map_elem el_send_id_res_v2[] = {
	M(ID_OCTETS, F_IMSI),
};

/* ResetArg ::= SEQUENCE { sendingNodenumber SendingNode-Number, hlr-List
 *   OPTIONAL, ... } with SendingNode-Number ::= CHOICE { hlr-Number
 *   ISDN-AddressString, css-Number [1] ISDN-AddressString };
 * v1/v2: SEQUENCE { networkResource NetworkResource OPTIONAL (v1 only),
 *   hlr-Number ISDN-AddressString, hlr-List HLR-List OPTIONAL, ... } */
static const struct map_elem el_reset[] = {
	O(ID_ENUM, F_SKIP),
	O(ID_OCTETS, F_HLR),
};

/* NoteMM-EventArg ::= SEQUENCE { serviceKey ServiceKey, eventMet [0]
 *   MM-Code, imsi [1] IMSI, msisdn [2] ISDN-AddressString,
 *   locationInformation [3] OPTIONAL, ... } */
static const struct map_elem el_note_mm[] = {
	M(ID_UNIV(2), F_SKIP),
	M(ID_CTX(0), F_SKIP),
	M(ID_CTX(1), F_IMSI),
	M(ID_CTX(2), F_MSISDN),
};

/* One accepted encoding of an argument or result: its outer identifier, and
 * either a field (the parameter is that bare primitive) or the members. */
struct map_form {
	uint8_t outer;
	uint8_t bare;                /* enum map_fld, F_SKIP: constructed */
	const struct map_elem *el;
	uint8_t n_el;
};

struct map_spec {
	uint8_t n_forms;
	struct map_form forms[3];
};

#define FORM_SEQ(els)      { ID_SEQ, F_SKIP, els, N_OF(els) }
#define FORM_TAG3(els)     { ID_CTX_C(3), F_SKIP, els, N_OF(els) }
#define FORM_BARE(id, f)   { (id), (f), NULL, 0 }
#define SPEC1(a)           { 1, { a } }
#define SPEC2(a, b)        { 2, { a, b } }
#define SPEC3(a, b, c)     { 3, { a, b, c } }

#define MAP_SPEC_OPS 90      /* local opcodes below this have a slot */

/* Arguments of invokes, by local opcode. 44 and 46 (forward-SM) are decoded
 * by map_fsm. */
static const struct map_spec map_arg_specs[MAP_SPEC_OPS] = {
	[2] = SPEC1(FORM_SEQ(el_ul)),
	[3] = SPEC3(FORM_TAG3(el_cl_v3), FORM_BARE(ID_OCTETS, F_IMSI), FORM_SEQ(el_imsi_lmsi)),
	[4] = SPEC1(FORM_SEQ(el_prn)),
	[5] = SPEC1(FORM_SEQ(el_nsdm)),
	[7] = SPEC1(FORM_SEQ(el_isd)),
	[8] = SPEC1(FORM_SEQ(el_imsi0)),
	[9] = SPEC1(FORM_SEQ(el_send_params)),
	[22] = SPEC1(FORM_SEQ(el_sri)),
	[23] = SPEC1(FORM_SEQ(el_ugl)),
	[24] = SPEC1(FORM_SEQ(el_imsi0)),
	[37] = SPEC1(FORM_SEQ(el_reset)),
	[45] = SPEC1(FORM_SEQ(el_sri_sm)),
	[47] = SPEC1(FORM_SEQ(el_rsds)),
	[48] = SPEC1(FORM_BARE(ID_OCTETS, F_IMSI)),     /* noteSubscriberPresent (v1) */
	[49] = SPEC1(FORM_SEQ(el_asc)),
	[55] = SPEC2(FORM_SEQ(el_send_id), FORM_BARE(ID_OCTETS, F_TMSI)),
	[56] = SPEC2(FORM_SEQ(el_imsi0), FORM_BARE(ID_OCTETS, F_IMSI)),
	[57] = SPEC1(FORM_SEQ(el_restore)),
	[58] = SPEC1(FORM_BARE(ID_OCTETS, F_MSISDN)),
	[59] = SPEC1(FORM_SEQ(el_ussd)),
	[60] = SPEC1(FORM_SEQ(el_ussd)),
	[61] = SPEC1(FORM_SEQ(el_ussd)),
	[62] = SPEC1(FORM_SEQ(el_atsi)),
	[63] = SPEC1(FORM_SEQ(el_isc)),
	[64] = SPEC1(FORM_SEQ(el_asc)),
	[65] = SPEC1(FORM_SEQ(el_atm)),
	[66] = SPEC1(FORM_SEQ(el_imsi0)),
	[67] = SPEC2(FORM_TAG3(el_purge_v3), FORM_SEQ(el_purge_v2)),
	[70] = SPEC1(FORM_SEQ(el_psi)),
	[71] = SPEC1(FORM_SEQ(el_ati)),
	[83] = SPEC1(FORM_SEQ(el_psl)),
	[85] = SPEC1(FORM_SEQ(el_sri_lcs)),
	[86] = SPEC1(FORM_SEQ(el_slr)),
	[89] = SPEC1(FORM_SEQ(el_note_mm)),
};

/* Results (ReturnResult parameters), by the local opcode of the operation
 * they answer: those that carry an IMSI, an MSISDN or a node number. */
static const struct map_spec map_res_specs[MAP_SPEC_OPS] = {
	[2] = SPEC2(FORM_SEQ(el_hlr_res), FORM_BARE(ID_OCTETS, F_HLR)),
	[4] = SPEC2(FORM_SEQ(el_prn_res), FORM_BARE(ID_OCTETS, F_ROAMING)),
	[22] = SPEC2(FORM_TAG3(el_sri_res_v3), FORM_SEQ(el_sri_res_v2)),
	[23] = SPEC1(FORM_SEQ(el_hlr_res)),
	[45] = SPEC1(FORM_SEQ(el_sri_sm_res)),
	[55] = SPEC2(FORM_TAG3(el_send_id_res_v3), FORM_SEQ(el_send_id_res_v2)),
	[57] = SPEC1(FORM_SEQ(el_hlr_res)),
	[58] = SPEC1(FORM_BARE(ID_OCTETS, F_IMSI)),
	[59] = SPEC1(FORM_SEQ(el_ussd)),
	[60] = SPEC1(FORM_SEQ(el_ussd)),
	[85] = SPEC1(FORM_SEQ(el_sri_lcs_res)),
};

static const struct map_spec *map_spec_of(const struct map_spec *tab, int op)
{
	if (op < 0 || op >= MAP_SPEC_OPS || tab[op].n_forms == 0)
		return NULL;
	return &tab[op];
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
			struct map_elem e = { id, f->bare, true, 0, NULL, 0 };
			return map_field(m, &e, arg, anom);
		}
		return map_members(m, arg->v, f->el, f->n_el, false, anom);
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

/* ---- application contexts (TS 29.002 17.3.3, GSM 09.02 for v1) and the
 * operations they carry, in either direction. An entry covers the versions
 * vmin..vmax of its context; a context may have one entry per range where
 * its operations changed between versions. Only contexts whose operation set
 * is certain are listed; an operation outside the set of a listed context
 * (and version) is acn_opcode_mismatch. Contexts and versions not listed are
 * not checked. The sets are the union of what either side invokes (e.g.
 * networkLocUp: updateLocation from the VLR, insertSubscriberData and
 * activateTraceMode from the HLR inside the same dialogue). */
struct map_ac_ops {
	uint8_t vmin, vmax;
	uint8_t n;
	uint8_t ops[6];
};

#define MAP_AC_MAX 48
#define V_ALL 1, 255

static const struct map_ac_ops map_ac_table[MAP_AC_MAX][2] = {
	/* networkLocUpContext: updateLocation, insertSubscriberData,
	 * activateTraceMode, forwardCheckSS-Indication, restoreData; v1 also
	 * sendParameters */
	[1] = { { V_ALL, 6, { 2, 7, 9, 38, 50, 57 } } },
	[2] = { { V_ALL, 1, { 3 } } },                  /* locationCancellationContext */
	[3] = { { V_ALL, 1, { 4 } } },                  /* roamingNumberEnquiryContext */
	[5] = { { V_ALL, 1, { 22 } } },                 /* locationInfoRetrievalContext */
	[10] = { { V_ALL, 1, { 37 } } },                /* resetContext */
	[13] = { { V_ALL, 1, { 43 } } },                /* equipmentMngtContext: checkIMEI */
	/* infoRetrievalContext: v1 sendParameters, v2+ sendAuthenticationInfo */
	[14] = { { 1, 1, 1, { 9 } }, { 2, 255, 1, { 56 } } },
	/* interVlrInfoRetrievalContext: v1 sendParameters, v2+ sendIdentification */
	[15] = { { 1, 1, 1, { 9 } }, { 2, 255, 1, { 55 } } },
	[16] = { { V_ALL, 2, { 7, 8 } } },              /* subscriberDataMngtContext */
	[17] = { { V_ALL, 2, { 50, 51 } } },            /* tracingContext */
	[19] = { { V_ALL, 3, { 59, 60, 61 } } },        /* networkUnstructuredSsContext (v2) */
	[20] = { { V_ALL, 3, { 45, 47, 63 } } },        /* shortMsgGatewayContext */
	/* shortMsgRelayContext v1, shortMsgMO-RelayContext v2/v3 */
	[21] = { { V_ALL, 1, { 46 } } },
	[22] = { { V_ALL, 1, { 5 } } },                 /* subscriberDataModificationNotificationContext */
	/* shortMsgAlertContext: v1 alertServiceCentreWithoutResult, v2 alertServiceCentre */
	[23] = { { V_ALL, 2, { 64, 49 } } },
	/* mwdMngtContext: v1 noteSubscriberPresent, v2+ readyForSM */
	[24] = { { 1, 1, 1, { 48 } }, { 2, 255, 1, { 66 } } },
	/* shortMsgMT-RelayContext: v2 forwardSM (46), v3 mt-forwardSM (44) */
	[25] = { { 1, 2, 1, { 46 } }, { 3, 255, 1, { 44 } } },
	[26] = { { V_ALL, 1, { 58 } } },                /* imsiRetrievalContext */
	[27] = { { V_ALL, 1, { 67 } } },                /* msPurgingContext */
	[28] = { { V_ALL, 1, { 70 } } },                /* subscriberInfoEnquiryContext */
	[29] = { { V_ALL, 1, { 71 } } },                /* anyTimeInfoEnquiryContext */
	/* gprsLocationUpdateContext: updateGprsLocation, insertSubscriberData,
	 * activateTraceMode */
	[32] = { { V_ALL, 3, { 23, 7, 50 } } },
	[33] = { { V_ALL, 1, { 24 } } },                /* gprsLocationInfoRetrievalContext */
	[37] = { { V_ALL, 1, { 85 } } },                /* locationSvcGatewayContext */
	[38] = { { V_ALL, 2, { 83, 86 } } },            /* locationSvcEnquiryContext */
	[42] = { { V_ALL, 1, { 89 } } },                /* mm-EventReportingContext */
	[43] = { { V_ALL, 2, { 62, 65 } } },            /* anyTimeInfoHandlingContext */
};

static bool map_acn_mismatch(const struct tcap_info *t, int op)
{
	if (!t->acn_is_map || t->acn_ac >= MAP_AC_MAX)
		return false;
	const struct map_ac_ops *e = map_ac_table[t->acn_ac];
	for (unsigned k = 0; k < 2; k++) {
		const struct map_ac_ops *a = &e[k];
		if (a->n == 0 || t->acn_version < a->vmin || t->acn_version > a->vmax)
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
		const struct map_spec *s = map_spec_of(map_res_specs, op);
		if (!s || c->param.len == 0)
			return WIRE_OK; /* a result we do not read, or none */
		if (!map_param(c, &arg, anom) || !map_by_spec(m, s, &arg, anom))
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

	const struct map_spec *s = map_spec_of(map_arg_specs, op);
	if (!s)
		return WIRE_OK; /* known operation whose argument we do not read */
	if (!map_param(c, &arg, anom) || !map_by_spec(m, s, &arg, anom))
		return map_fail(m, anom);
	/* the sending node of the older single field */
	m->msc_vlr = m->vlr.present ? m->vlr : m->msc.present ? m->msc : m->sgsn;
	m->state = MAP_DECODED;
	return WIRE_OK;
}
