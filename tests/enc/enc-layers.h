/* ss7fw tests — per-layer encoders. Each returns the number of bytes written
 * to out, or 0 if cap was too small. They write what they are told, also when
 * that is irregular: the knobs exist to make every anomaly and evasion form. */
#ifndef SS7FW_TEST_ENC_LAYERS_H
#define SS7FW_TEST_ENC_LAYERS_H

#include "enc/enc.h"
#include "ss7fw/wire-t.h"

/* ---- M3UA (RFC 4666) */
struct enc_m3ua_data {
	uint32_t opc, dpc;
	uint8_t si, ni, mp, sls;
	bool has_rc, has_na, has_corr_id;
	uint32_t rc, na, corr_id;
};
/* A DATA message carrying upd as the Protocol Data's user part. */
size_t enc_m3ua_data(uint8_t *out, size_t cap, const struct enc_m3ua_data *d,
		     const uint8_t *upd, size_t len);
/* Any other message: class, type and raw parameter bytes (already TLV-encoded,
 * padded) appended after the common header. */
size_t enc_m3ua_msg(uint8_t *out, size_t cap, uint8_t msg_class, uint8_t msg_type,
		    const uint8_t *params, size_t plen);
/* One parameter TLV with padding; returns bytes written. */
size_t enc_m3ua_param(uint8_t *out, size_t cap, uint16_t tag, const void *v, size_t n);

/* ---- SCCP (ITU-T Q.713) */
struct enc_sccp_addr {
	bool route_on_gt;            /* routing indicator: GT */
	int pc;                      /* -1: no point code */
	int ssn;                     /* -1: no SSN */
	uint8_t gti;                 /* 0..4 */
	uint8_t tt, np, nai;         /* as the GTI uses them; es follows the digits */
	const char *digits;          /* GT digits ("" allowed), NULL when gti 0 */
};
struct enc_sccp {
	uint8_t type;                /* SCCP_UDT, SCCP_XUDT, SCCP_LUDT, *S variants */
	uint8_t proto_class;         /* 0 or 1 */
	bool return_on_error;
	uint8_t cause;               /* return cause for UDTS/XUDTS/LUDTS */
	uint8_t hop_counter;         /* XUDT/LUDT (default 15 when 0) */
	struct enc_sccp_addr cdpa, cgpa;
	bool segmentation;           /* add the segmentation optional parameter */
	bool seg_first;
	uint8_t seg_remaining;
	uint32_t seg_ref;
	int importance;              /* -1: none */
	bool reverse_pointers;       /* put the variable parts in reverse order */
};
size_t enc_sccp_addr(uint8_t *out, size_t cap, const struct enc_sccp_addr *a); /* without the length octet */
size_t enc_sccp(uint8_t *out, size_t cap, const struct enc_sccp *s, const uint8_t *data, size_t len);

/* ---- TCAP (ITU-T Q.773) */
struct enc_tcap_comp {
	uint8_t type;                /* TCAP_COMP_INVOKE, ... */
	int32_t invoke_id;
	bool has_linked_id;
	int32_t linked_id;
	bool has_opcode;             /* invoke: always; result: with a result sequence */
	const char *opcode_oid;      /* non-NULL: global opcode (dotted OID) */
	int32_t opcode;
	int32_t error;               /* return error: local error code */
	uint8_t problem_type, problem; /* reject: context tag 0..3 and value */
	const uint8_t *param;        /* whole parameter TLV, or NULL */
	size_t param_len;
};
struct enc_tcap {
	uint8_t type;                /* TCAP_BEGIN, ... */
	const uint8_t *otid, *dtid;  /* NULL: absent */
	size_t otid_len, dtid_len;
	const char *acn;             /* dotted OID; NULL: no dialogue portion */
	uint8_t dialogue;            /* TCAP_DLG_AARQ (default for begin), TCAP_DLG_AARE, TCAP_DLG_ABRT */
	const char *dest_ref;        /* AARQ: user-information with MAP-OpenInfo
	                              * destinationReference (digits, TON international,
	                              * NPI E.214... as TS 29.002 writes an IMSI: 0x96); NULL none */
	int abort_cause;             /* abort: P-AbortCause, -1 none */
	enum ber_len_form form;      /* how every constructed length is written */
	int n_comp;                  /* < 0: an empty component portion; 0: none */
	struct enc_tcap_comp comp[TCAP_MAX_COMPONENTS + 2];
};
size_t enc_tcap(uint8_t *out, size_t cap, const struct enc_tcap *t);
/* enc_tcap knobs for irregular forms: a component type outside enum
 * tcap_comp_type (INVOKE..REJECT) is written as that [CONTEXT n] tag; a reject with invoke_id
 * INT32_MIN carries NULL (not derivable); a return error with opcode_oid set
 * carries that OID as a global error code; dialogue TCAP_DLG_OTHER writes an
 * AARQ under the direct-reference 1.2.3.4. */

/* ---- GSM MAP (3GPP TS 29.002): argument/result TLVs (a whole element) */
size_t enc_map_sri_sm_arg(uint8_t *out, size_t cap, const char *msisdn, bool sm_rp_pri, const char *sc_addr);
size_t enc_map_sri_sm_res(uint8_t *out, size_t cap, const char *imsi, const char *nnn);
/* The same with an LMSI (8 hex digits, NULL none) in locationInfoWithLMSI. */
size_t enc_map_sri_sm_res_lmsi(uint8_t *out, size_t cap, const char *imsi, const char *nnn, const char *lmsi);
/* mt-forwardSM (44), mo-forwardSM / forwardSM (46): SM-RP-DA, SM-RP-OA
 * (kinds from enum map_sm_rp_kind; digits as text) and SM-RP-UI. */
size_t enc_map_fsm_arg(uint8_t *out, size_t cap, uint8_t da_kind, const char *da,
		       uint8_t oa_kind, const char *oa, const uint8_t *ui, size_t ui_len);
/* reportSM-DeliveryStatus (47); outcome -1: absent. */
size_t enc_map_rsds_arg(uint8_t *out, size_t cap, const char *msisdn, const char *sc_addr, int outcome);
/* The canonical argument of a mobility / enquiry operation (updateLocation,
 * sendAuthenticationInfo, insertSubscriberData, cancelLocation,
 * provideSubscriberInfo, anyTimeInterrogation, sendRoutingInfo, sendIMSI,
 * purgeMS, provideRoamingNumber, ...), carrying imsi and/or msisdn where the
 * operation has them (NULL: omit). */
size_t enc_map_subscriber_arg(uint8_t *out, size_t cap, int opcode, const char *imsi, const char *msisdn);
/* The VLR, MSC and SGSN numbers the visited network's arguments carry
 * (updateLocation, updateGprsLocation, purgeMS); NULL: partner-a's
 * ENC_MAP_PVLR / PMSC / PSGSN (the default). */
void enc_map_set_nodes(const char *vlr, const char *msc, const char *sgsn);
/* The numbers the MAP encoder writes for each role (the home network's). */
#define ENC_MAP_VLR      "999125510001"  /* VLR / MSC of the older encodings */
#define ENC_MAP_MSC      "999125510002"  /* msc-Number of updateLocation, vmsc-Address */
#define ENC_MAP_GMSC     "999125530001"
/* The nodes of partner-a that register and purge subscribers (they name
 * themselves in updateLocation, updateGprsLocation and purgeMS, which come
 * from the carrier: a home number there is a spoof, check own_address). */
#define ENC_MAP_PVLR     "99934100001"
#define ENC_MAP_PMSC     "99934100002"
#define ENC_MAP_PSGSN    "99934100003"
#define ENC_MAP_HLR      "999125500001"
#define ENC_MAP_MSRN     "999125569999"  /* roamingNumber */
#define ENC_MAP_TMSI     "\x0a\x0b\x0c\x0d"
#define ENC_MAP_USSD     "*100#"
#define ENC_MAP_USSD_RES "Balance 5 EUR"
/* The v1/v2 argument form where it differs from enc_map_subscriber_arg's
 * (2: LocationInfo roamingNumber [0]; 3, 56: bare IMSI; 9: by TMSI; 22: no
 * gmsc-Address; 37: with networkResource; 55: bare TMSI; 67: SEQUENCE
 * with vlr-Number); 0 for the others. */
size_t enc_map_subscriber_arg_v2(uint8_t *out, size_t cap, int opcode, const char *imsi, const char *msisdn);
/* USSD-Arg (ops 59-61) / USSD-Res: text packed in GSM 7-bit for a default
 * alphabet DCS (0x00..0x0f), else its octets as they are; msisdn NULL: omit. */
size_t enc_map_ussd(uint8_t *out, size_t cap, uint8_t dcs, const char *text, const char *msisdn);
/* The result parameter of opcode (2, 4, 22, 23, 45, 55, 57, 58, 59, 60, 85);
 * form 1: the older v1/v2 form (2, 4, 22, 45, 55). 0 for others. */
size_t enc_map_result(uint8_t *out, size_t cap, int opcode, int form, const char *imsi, const char *msisdn);

/* ---- SMS TPDU (3GPP TS 23.040) */
struct enc_sms {
	uint8_t mti;                 /* SMS_MTI_DELIVER or SMS_MTI_SUBMIT (or STATUS_REPORT) */
	uint8_t ton, npi;            /* of TP-OA / TP-DA; ton 5: alphanumeric */
	const char *addr;            /* digits, or text for ton 5 */
	uint8_t pid, dcs;
	const char *text;            /* user data in GSM 7-bit (dcs 0) */
};
size_t enc_sms(uint8_t *out, size_t cap, const struct enc_sms *s);
/* GSM 7-bit packing of ASCII text (default alphabet subset); returns octets. */
size_t enc_gsm7(uint8_t *out, size_t cap, const char *text, unsigned *nchars);

#endif
