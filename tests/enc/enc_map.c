/* ss7fw tests — GSM MAP argument encoder (3GPP TS 29.002 chapter 17,
 * IMPLICIT TAGS; the ASN.1 of each argument is in src/wire/map.c). Numbers
 * are international ISDN (TON 1, NPI 1: octet 0x91). */
#include <string.h>

#include "enc/enc-layers.h"
#include "ss7fw/ber.h"

#define ENC_MAP_NODE ENC_MAP_VLR      /* the node number of the older encodings:
                                       * MSC/VLR, SGSN, GMSC, gsmSCF, MLC */

/* The visited network's node numbers of updateLocation, updateGprsLocation
 * and purgeMS (partner-a's by default; enc_map_set_nodes moves them). */
static const char *node_vlr, *node_msc, *node_sgsn;
#define NODE_PVLR  (node_vlr ? node_vlr : ENC_MAP_PVLR)
#define NODE_PMSC  (node_msc ? node_msc : ENC_MAP_PMSC)
#define NODE_PSGSN (node_sgsn ? node_sgsn : ENC_MAP_PSGSN)

void enc_map_set_nodes(const char *vlr, const char *msc, const char *sgsn)
{
	node_vlr = vlr;
	node_msc = msc;
	node_sgsn = sgsn;
}

static void enc_map_addr(struct enc *e, uint8_t cls, uint32_t tag, const char *digits)
{
	uint8_t v[24];
	size_t n = enc_addr_string(v, sizeof v, 1, 1, digits);
	enc_ber_prim(e, cls, tag, v, n);
}

static void enc_map_tbcd(struct enc *e, uint8_t cls, uint32_t tag, const char *digits)
{
	uint8_t v[24];
	size_t n = enc_tbcd(v, sizeof v, digits);
	enc_ber_prim(e, cls, tag, v, n);
}

static size_t enc_map_done(const struct enc *e)
{
	return e->overflow ? 0 : e->len;
}

/* RoutingInfoForSM-Arg: msisdn [0], sm-RP-PRI [1], serviceCentreAddress [2] */
size_t enc_map_sri_sm_arg(uint8_t *out, size_t cap, const char *msisdn, bool sm_rp_pri, const char *sc_addr)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_map_addr(&e, BER_CONTEXT, 0, msisdn);
	uint8_t b = sm_rp_pri ? 0xff : 0x00;
	enc_ber_prim(&e, BER_CONTEXT, 1, &b, 1);
	enc_map_addr(&e, BER_CONTEXT, 2, sc_addr);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* RoutingInfoForSM-Res: imsi, locationInfoWithLMSI [0] { networkNode-Number
 * [1], lmsi OCTET STRING (SIZE (4)) OPTIONAL } */
size_t enc_map_sri_sm_res(uint8_t *out, size_t cap, const char *imsi, const char *nnn)
{
	return enc_map_sri_sm_res_lmsi(out, cap, imsi, nnn, NULL);
}

size_t enc_map_sri_sm_res_lmsi(uint8_t *out, size_t cap, const char *imsi, const char *nnn, const char *lmsi)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
	size_t l = enc_ber_open(&e, BER_CONTEXT, 0);
	enc_map_addr(&e, BER_CONTEXT, 1, nnn);
	if (lmsi) {
		uint8_t v[8];
		size_t n = enc_tbcd(v, sizeof v, lmsi);   /* as enc_sm_rp writes an LMSI SM-RP-DA */
		enc_ber_prim(&e, BER_UNIVERSAL, 4, v, n);
	}
	enc_ber_close(&e, l, BER_LEN_MIN);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* SM-RP-DA: imsi [0], lmsi [1] (8 hex digits), serviceCentreAddressDA [4],
 * noSM-RP-DA [5]; SM-RP-OA: msisdn [2], serviceCentreAddressOA [4],
 * noSM-RP-OA [5]. */
static void enc_sm_rp(struct enc *e, uint8_t kind, const char *d)
{
	switch (kind) {
	case SM_RP_IMSI:
		enc_map_tbcd(e, BER_CONTEXT, 0, d);
		break;
	case SM_RP_LMSI: {
		uint8_t v[8];
		size_t n = enc_tbcd(v, sizeof v, d);
		enc_ber_prim(e, BER_CONTEXT, 1, v, n);
		break;
	}
	case SM_RP_MSISDN:
		enc_map_addr(e, BER_CONTEXT, 2, d);
		break;
	case SM_RP_SC_ADDR:
		enc_map_addr(e, BER_CONTEXT, 4, d);
		break;
	default:
		enc_ber_prim(e, BER_CONTEXT, 5, "", 0);
		break;
	}
}

size_t enc_map_fsm_arg(uint8_t *out, size_t cap, uint8_t da_kind, const char *da,
		       uint8_t oa_kind, const char *oa, const uint8_t *ui, size_t ui_len)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_sm_rp(&e, da_kind, da ? da : "");
	enc_sm_rp(&e, oa_kind, oa ? oa : "");
	enc_ber_prim(&e, BER_UNIVERSAL, 4, ui, ui_len);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* ReportSM-DeliveryStatusArg: msisdn, serviceCentreAddress, sm-DeliveryOutcome */
size_t enc_map_rsds_arg(uint8_t *out, size_t cap, const char *msisdn, const char *sc_addr, int outcome)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_map_addr(&e, BER_UNIVERSAL, 4, msisdn);
	enc_map_addr(&e, BER_UNIVERSAL, 4, sc_addr);
	if (outcome >= 0)
		enc_ber_int(&e, BER_UNIVERSAL, 10, outcome);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* SubscriberIdentity [tag] CHOICE { imsi [0], msisdn [1] } (IMSI preferred). */
static void enc_subscriber_id(struct enc *e, uint32_t tag, const char *imsi, const char *msisdn)
{
	size_t s = enc_ber_open(e, BER_CONTEXT, tag);
	if (imsi)
		enc_map_tbcd(e, BER_CONTEXT, 0, imsi);
	else if (msisdn)
		enc_map_addr(e, BER_CONTEXT, 1, msisdn);
	enc_ber_close(e, s, BER_LEN_MIN);
}

/* RequestedInfo [tag] { locationInformation [0] NULL } */
static void enc_requested_info(struct enc *e, uint32_t tag)
{
	size_t r = enc_ber_open(e, BER_CONTEXT, tag);
	enc_ber_prim(e, BER_CONTEXT, 0, "", 0);
	enc_ber_close(e, r, BER_LEN_MIN);
}

size_t enc_map_subscriber_arg(uint8_t *out, size_t cap, int opcode, const char *imsi, const char *msisdn)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m;
	switch (opcode) {
	case 2: /* UpdateLocationArg { imsi, msc-Number [1], vlr-Number } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_map_addr(&e, BER_CONTEXT, 1, NODE_PMSC);
		enc_map_addr(&e, BER_UNIVERSAL, 4, NODE_PVLR);
		break;
	case 3: /* v3 CancelLocationArg [3] { identity imsi, cancellationType 0 } */
		m = enc_ber_open(&e, BER_CONTEXT, 3);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_ber_int(&e, BER_UNIVERSAL, 10, 0);
		break;
	case 4: /* ProvideRoamingNumberArg { imsi [0], msc-Number [1], msisdn [2], gmsc-Address [8] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		enc_map_addr(&e, BER_CONTEXT, 1, ENC_MAP_NODE);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 2, msisdn);
		enc_map_addr(&e, BER_CONTEXT, 8, ENC_MAP_GMSC);
		break;
	case 7: /* InsertSubscriberDataArg { imsi [0], msisdn [1], category [2] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 1, msisdn);
		enc_ber_prim(&e, BER_CONTEXT, 2, "\x0a", 1);
		break;
	case 22: /* SendRoutingInfoArg { msisdn [0], interrogationType [3], gmsc [6] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 0, msisdn);
		enc_ber_prim(&e, BER_CONTEXT, 3, "\x00", 1);
		enc_map_addr(&e, BER_CONTEXT, 6, ENC_MAP_NODE);
		break;
	case 24: /* SendRoutingInfoForGprsArg { imsi [0], ggsn-Number [2] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		enc_map_addr(&e, BER_CONTEXT, 2, ENC_MAP_NODE);
		break;
	case 56: /* v3 SendAuthenticationInfoArg { imsi [0], numberOfRequestedVectors } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		enc_ber_int(&e, BER_UNIVERSAL, 2, 1);
		break;
	case 58: /* SendIMSI: ISDN-AddressString */
		if (!msisdn)
			return 0;
		enc_map_addr(&e, BER_UNIVERSAL, 4, msisdn);
		return enc_map_done(&e);
	case 67: /* PurgeMS-Arg [3] { imsi, vlr-Number [0] } */
		m = enc_ber_open(&e, BER_CONTEXT, 3);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_map_addr(&e, BER_CONTEXT, 0, NODE_PVLR);
		break;
	case 5: /* NoteSubscriberDataModifiedArg { imsi, msisdn, allInformationSent [4] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		if (msisdn)
			enc_map_addr(&e, BER_UNIVERSAL, 4, msisdn);
		enc_ber_prim(&e, BER_CONTEXT, 4, "", 0);
		break;
	case 9: /* v1 SendParametersArg { subscriberId imsi [0], requestParameterList { requestIMSI (0) } } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		else
			enc_ber_prim(&e, BER_CONTEXT, 1, ENC_MAP_TMSI, 4);
		{
			size_t r = enc_ber_open(&e, BER_UNIVERSAL, 16);
			enc_ber_int(&e, BER_UNIVERSAL, 10, 0);
			enc_ber_close(&e, r, BER_LEN_MIN);
		}
		break;
	case 37: /* ResetArg { hlr-Number } (v2) */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_HLR);
		break;
	case 48: /* v1 noteSubscriberPresent: IMSI */
		if (!imsi)
			return 0;
		enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		return enc_map_done(&e);
	case 55: /* v3 SendIdentificationArg { tmsi, numberOfRequestedVectors, msc-Number, newVLR-Number [3] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_ber_prim(&e, BER_UNIVERSAL, 4, ENC_MAP_TMSI, 4);
		enc_ber_int(&e, BER_UNIVERSAL, 2, 1);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSC);
		enc_map_addr(&e, BER_CONTEXT, 3, ENC_MAP_VLR);
		break;
	case 59: /* USSD-Arg { ussd-DataCodingScheme, ussd-String, msisdn [0] } */
	case 60:
	case 61:
		return enc_map_ussd(out, cap, 0x0f, ENC_MAP_USSD, msisdn);
	case 63: /* InformServiceCentreArg { storedMSISDN, mw-Status } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (msisdn)
			enc_map_addr(&e, BER_UNIVERSAL, 4, msisdn);
		enc_ber_prim(&e, BER_UNIVERSAL, 3, "\x02\x40", 2);   /* mnrf-Set */
		break;
	case 86: /* SubscriberLocationReport-Arg { lcs-Event, lcs-ClientID, lcsLocationInfo, msisdn [0], imsi [1] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_ber_int(&e, BER_UNIVERSAL, 10, 0);            /* emergencyCallOrigination */
		{
			size_t cl = enc_ber_open(&e, BER_UNIVERSAL, 16);  /* lcsClientType [0] emergencyServices */
			enc_ber_prim(&e, BER_CONTEXT, 0, "\x00", 1);
			enc_ber_close(&e, cl, BER_LEN_MIN);
			size_t li = enc_ber_open(&e, BER_UNIVERSAL, 16);
			enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_VLR);
			enc_ber_close(&e, li, BER_LEN_MIN);
		}
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 0, msisdn);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 1, imsi);
		break;
	case 89: /* NoteMM-EventArg { serviceKey, eventMet [0], imsi [1], msisdn [2] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_ber_int(&e, BER_UNIVERSAL, 2, 7);
		enc_ber_prim(&e, BER_CONTEXT, 0, "\x02", 1);       /* locationUpdateToOtherVLR */
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 1, imsi);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 2, msisdn);
		break;
	case 70: /* ProvideSubscriberInfoArg { imsi [0], requestedInfo [2] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		enc_requested_info(&e, 2);
		break;
	case 71: /* AnyTimeInterrogationArg { subscriberIdentity [0], requestedInfo [1], gsmSCF-Address [3] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_subscriber_id(&e, 0, imsi, msisdn);
		enc_requested_info(&e, 1);
		enc_map_addr(&e, BER_CONTEXT, 3, ENC_MAP_NODE);
		break;
	case 62: /* AnyTimeSubscriptionInterrogationArg { subscriberIdentity [0], requestedSubscriptionInfo [1], gsmSCF-Address [2] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_subscriber_id(&e, 0, imsi, msisdn);
		{       /* RequestedSubscriptionInfo { odb [2] NULL } */
			size_t r = enc_ber_open(&e, BER_CONTEXT, 1);
			enc_ber_prim(&e, BER_CONTEXT, 2, "", 0);
			enc_ber_close(&e, r, BER_LEN_MIN);
		}
		enc_map_addr(&e, BER_CONTEXT, 2, ENC_MAP_NODE);
		break;
	case 65: /* AnyTimeModificationArg { subscriberIdentity [0], gsmSCF-Address [1] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_subscriber_id(&e, 0, imsi, msisdn);
		enc_map_addr(&e, BER_CONTEXT, 1, ENC_MAP_NODE);
		break;
	case 83: /* ProvideSubscriberLocation-Arg { locationType { locationEstimateType [0] }, mlc-Number, imsi [2], msisdn [3] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		{
			size_t lt = enc_ber_open(&e, BER_UNIVERSAL, 16);
			enc_ber_prim(&e, BER_CONTEXT, 0, "\x00", 1);
			enc_ber_close(&e, lt, BER_LEN_MIN);
		}
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_NODE);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 2, imsi);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 3, msisdn);
		break;
	case 85: /* RoutingInfoForLCS-Arg { mlcNumber [0], targetMS [1] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_map_addr(&e, BER_CONTEXT, 0, ENC_MAP_NODE);
		enc_subscriber_id(&e, 1, imsi, msisdn);
		break;
	case 8:  /* DeleteSubscriberDataArg { imsi [0], ... } */
	case 66: /* ReadyForSM-Arg { imsi [0], alertReason } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 0, imsi);
		if (opcode == 66)
			enc_ber_int(&e, BER_UNIVERSAL, 10, 0);
		break;
	case 23: /* UpdateGprsLocationArg { imsi, sgsn-Number, sgsn-Address } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_map_addr(&e, BER_UNIVERSAL, 4, NODE_PSGSN);
		enc_ber_prim(&e, BER_UNIVERSAL, 4, "\x04\x7f\x00\x00\x01", 5);
		break;
	case 57: /* RestoreDataArg { imsi } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		break;
	case 49: /* v1 alertServiceCentreWithoutResult: AlertServiceCentreArg */
	case 64: /* AlertServiceCentreArg { msisdn, serviceCentreAddress } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (msisdn)
			enc_map_addr(&e, BER_UNIVERSAL, 4, msisdn);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_NODE);
		break;
	default:
		return 0;
	}
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* USSD-Arg / USSD-Res: { ussd-DataCodingScheme, ussd-String, msisdn [0] }.
 * A DCS of the GSM 7-bit default alphabet (0x0f, 0x00..0x0e) packs text
 * (TS 23.038 6.1.2.3, a CR fills 7 spare bits); any other DCS writes the text
 * octets as they are. */
size_t enc_map_ussd(uint8_t *out, size_t cap, uint8_t dcs, const char *text, const char *msisdn)
{
	struct enc e;
	enc_init(&e, out, cap);
	uint8_t v[170];
	size_t n;
	if (dcs <= 0x0f) {
		unsigned nch;
		char t[190];
		size_t tl = strlen(text);
		if (tl > 180)
			return 0;
		memcpy(t, text, tl + 1);
		if (tl % 8 == 7) {       /* 7 spare bits: CR, not '@' */
			t[tl++] = '\r';
			t[tl] = 0;
		}
		n = enc_gsm7(v, sizeof v, t, &nch);
	} else {
		n = strlen(text);
		if (n > sizeof v)
			return 0;
		memcpy(v, text, n);
	}
	size_t m = enc_ber_open(&e, BER_UNIVERSAL, 16);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, &dcs, 1);
	enc_ber_prim(&e, BER_UNIVERSAL, 4, v, n);
	if (msisdn)
		enc_map_addr(&e, BER_CONTEXT, 0, msisdn);
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* The older (MAP v1/v2) argument forms where they differ from the canonical
 * one of enc_map_subscriber_arg. */
size_t enc_map_subscriber_arg_v2(uint8_t *out, size_t cap, int opcode, const char *imsi, const char *msisdn)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m;
	(void)msisdn;
	switch (opcode) {
	case 2: /* v1 UpdateLocationArg { imsi, locationInfo roamingNumber [0], vlr-Number, lmsi [10] } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_map_addr(&e, BER_CONTEXT, 0, ENC_MAP_MSRN);
		enc_map_addr(&e, BER_UNIVERSAL, 4, NODE_PVLR);
		enc_ber_prim(&e, BER_CONTEXT, 10, "\x01\x02\x03\x04", 4);
		break;
	case 3:  /* v1/v2 CancelLocationArg ::= Identity: a bare IMSI */
	case 56: /* v2 SendAuthenticationInfoArg ::= IMSI */
		if (!imsi)
			return 0;
		enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		return enc_map_done(&e);
	case 9: /* v1 SendParametersArg by TMSI */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_ber_prim(&e, BER_CONTEXT, 1, ENC_MAP_TMSI, 4);
		{
			size_t r = enc_ber_open(&e, BER_UNIVERSAL, 16);
			enc_ber_int(&e, BER_UNIVERSAL, 10, 1);   /* requestAuthenticationSet */
			enc_ber_close(&e, r, BER_LEN_MIN);
		}
		break;
	case 22: /* v1 SendRoutingInfoArg { msisdn [0] } (no gmsc-Address) */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (msisdn)
			enc_map_addr(&e, BER_CONTEXT, 0, msisdn);
		break;
	case 37: /* v1 ResetArg { networkResource, hlr-Number } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_ber_int(&e, BER_UNIVERSAL, 10, 1);       /* hlr */
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_HLR);
		break;
	case 55: /* v2 SendIdentificationArg ::= TMSI */
		enc_ber_prim(&e, BER_UNIVERSAL, 4, ENC_MAP_TMSI, 4);
		return enc_map_done(&e);
	case 67: /* v2 PurgeMS-Arg { imsi, vlr-Number } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		enc_map_addr(&e, BER_UNIVERSAL, 4, NODE_PVLR);
		break;
	default:
		return 0;
	}
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}

/* Result parameters (form 0: the current one; 1: the older v1/v2 one). */
size_t enc_map_result(uint8_t *out, size_t cap, int opcode, int form, const char *imsi, const char *msisdn)
{
	struct enc e;
	enc_init(&e, out, cap);
	size_t m;
	switch (opcode) {
	case 2:  /* UpdateLocationRes { hlr-Number } / v1: hlr-Number */
	case 23: /* UpdateGprsLocationRes { hlr-Number } */
	case 57: /* RestoreDataRes { hlr-Number } */
		if (form == 1 && opcode == 2) {
			enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_HLR);
			return enc_map_done(&e);
		}
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_HLR);
		break;
	case 4: /* ProvideRoamingNumberRes { roamingNumber, releaseResourcesSupported, vmsc-Address }
		 * / v1, v2: roamingNumber */
		if (form == 1) {
			enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSRN);
			return enc_map_done(&e);
		}
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSRN);
		enc_ber_prim(&e, BER_UNIVERSAL, 5, "", 0);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSC);
		break;
	case 22: /* v3 SendRoutingInfoRes [3] { imsi [9], roamingNumber, vmsc-Address [2] };
		  * v1/v2 SEQUENCE { imsi, roamingNumber } */
		if (form == 1) {
			m = enc_ber_open(&e, BER_UNIVERSAL, 16);
			if (imsi)
				enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
			enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSRN);
			break;
		}
		m = enc_ber_open(&e, BER_CONTEXT, 3);
		if (imsi)
			enc_map_tbcd(&e, BER_CONTEXT, 9, imsi);
		enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_MSRN);
		enc_map_addr(&e, BER_CONTEXT, 2, ENC_MAP_MSC);
		break;
	case 45: /* RoutingInfoForSM-Res; v1: locationInfo roamingNumber [0] */
		if (form == 1) {
			m = enc_ber_open(&e, BER_UNIVERSAL, 16);
			if (imsi)
				enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
			size_t l = enc_ber_open(&e, BER_CONTEXT, 0);
			enc_map_addr(&e, BER_CONTEXT, 0, ENC_MAP_MSRN);
			enc_ber_close(&e, l, BER_LEN_MIN);
			break;
		}
		return enc_map_sri_sm_res(out, cap, imsi ? imsi : "", ENC_MAP_VLR);
	case 55: /* v3 SendIdentificationRes [3] { imsi }; v2 SEQUENCE { imsi } */
		m = enc_ber_open(&e, form == 1 ? BER_UNIVERSAL : BER_CONTEXT, form == 1 ? 16 : 3);
		if (imsi)
			enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		break;
	case 58: /* sendIMSI result: IMSI */
		if (!imsi)
			return 0;
		enc_map_tbcd(&e, BER_UNIVERSAL, 4, imsi);
		return enc_map_done(&e);
	case 59: /* USSD-Res */
	case 60:
		return enc_map_ussd(out, cap, 0x0f, ENC_MAP_USSD_RES, NULL);
	case 85: /* RoutingInfoForLCS-Res { targetMS [0], lcsLocationInfo [1] { networkNode-Number } } */
		m = enc_ber_open(&e, BER_UNIVERSAL, 16);
		enc_subscriber_id(&e, 0, imsi, msisdn);
		{
			size_t l = enc_ber_open(&e, BER_CONTEXT, 1);
			enc_map_addr(&e, BER_UNIVERSAL, 4, ENC_MAP_VLR);
			enc_ber_close(&e, l, BER_LEN_MIN);
		}
		break;
	default:
		return 0;
	}
	enc_ber_close(&e, m, BER_LEN_MIN);
	return enc_map_done(&e);
}
