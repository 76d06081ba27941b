/* ss7fw tests — whole-MSU scenario builder: one struct with defaults that
 * make a canonical, legitimate MSU; tests change the fields they care about.
 * Built from the per-layer encoders (enc-layers.h). */
#ifndef SS7FW_TEST_ENC_MSU_H
#define SS7FW_TEST_ENC_MSU_H

#include "enc/enc-layers.h"

/* Default numbering of the built-in test world (also in policies/example). */
#define ENC_HOME_GT        "9991255"        /* home network GT prefix (HLR 999125500001) */
#define ENC_HOME_HLR       "999125500001"
#define ENC_HOME_MSISDN    "9991255000001"
#define ENC_HOME_IMSI      "999010000000001"
#define ENC_PARTNER_SMSC   "999340001"      /* partner-a's AA.19 SMSC GT */
#define ENC_PARTNER_GT     "99934"          /* partner-a's GT range */
#define ENC_HOME_MSC       "999125510001"   /* home MSC/VLR (SRI-SM result NNN) */

struct enc_msu {
	/* M3UA */
	uint32_t opc, dpc, rc;       /* rc 0: no routing context */
	uint8_t si, sls;             /* si default 3 */
	/* SCCP */
	uint8_t sccp_type;           /* default SCCP_UDT */
	const char *cdpa_gt, *cgpa_gt;
	int cdpa_nai, cgpa_nai;      /* nature of address of the GTs; 0 (default): 4, international */
	int cdpa_ssn, cgpa_ssn;      /* 0 (default): by opcode, e.g. SRI-SM 6 (HLR) and 8 (MSC),
	                              * updateLocation 6 and 7 (VLR), ATI 6 and 147; -1 absent */
	bool reverse_pointers;
	bool segmented;
	bool seg_only;               /* with segmented: first and only (remaining 0), a whole message */
	bool seg_later;              /* with segmented: a last segment (first bit clear, remaining 0) */
	uint32_t seg_ref;            /* segmentation local reference; 0: 123456 */
	/* TCAP */
	uint8_t tcap_type;           /* default TCAP_BEGIN */
	uint32_t otid, dtid;
	bool long_tid;               /* 6-octet transaction ids */
	const char *acn;             /* NULL: the canonical ACN of opcode; "": no dialogue */
	enum ber_len_form form;
	/* MAP: the first component */
	uint8_t comp_type;           /* default TCAP_COMP_INVOKE */
	int opcode;                  /* default 45 (sendRoutingInfoForSM) */
	bool global_opcode;          /* send the opcode as a global OID 0.4.0.0.1.3.<op> */
	int invoke_id;
	const char *msisdn, *imsi, *sc_addr, *nnn;
	uint8_t da_kind, oa_kind;    /* forward-SM; default by opcode */
	const char *da, *oa;
	int outcome;                 /* RSDS delivery outcome, -1 absent */
	/* SMS TPDU (forward-SM) */
	uint8_t tp_mti;
	uint8_t tp_ton;
	const char *tp_addr, *tp_text;
	/* further components (screened too): opcodes of extra invokes */
	int n_extra;
	int extra_opcode[4];
	const char *extra_msisdn;    /* msisdn/imsi used for the extra invokes' arguments */
	/* added: */
	int error_code;              /* comp_type TCAP_COMP_ERROR: local error (default 34) */
	bool map_result;             /* a result component of any opcode carries the opcode
	                              * and enc_map_result's parameter (when it has one) */
	const char *lmsi;            /* SRI-SM result: the LMSI given with the IMSI (8 hex digits) */
	const char *dest_ref;        /* Begin: MAP-OpenInfo destinationReference (an IMSI) */
	bool no_components;          /* a Begin of the dialogue alone (no component portion) */
	uint8_t map_form;            /* 1: the MAP v1/v2 form of the argument
	                              * (enc_map_subscriber_arg_v2) or, with map_result, of
	                              * the result (enc_map_result form 1) where it differs */
};

/* A legitimate SRI-SM from partner-a's SMSC to the home HLR.
 * Zero / NULL means "canonical for the opcode" for: cdpa_ssn / cgpa_ssn,
 * acn (NULL), da_kind / oa_kind and da / oa (mt-forwardSM and an SMS-DELIVER
 * mo-forwardSM/forwardSM: DA imsi, OA sc_addr; SMS-SUBMIT: DA sc_addr, OA
 * msisdn), tp_mti (DELIVER for 44, SUBMIT for 46), tp_addr. cdpa_gt /
 * cgpa_gt NULL: route on SSN with the DPC / OPC as point code. segmented
 * turns a UDT into an XUDT. tcap_type selects the transaction ids present
 * (begin: otid; continue: both; end/abort: dtid) and the dialogue PDU (begin:
 * AARQ, continue/end: AARE, abort: none). A result component carries the
 * SRI-SM result for opcode 45, no parameter otherwise. */
void enc_msu_defaults(struct enc_msu *s);
/* Turn s (from enc_msu_defaults) into attack number k % ENC_MSU_ATTACKS of
 * the test world, each dropped by policies/ir71.conf: 0 anyTimeInterrogation
 * from abroad, 1 SRI-SM from a foreign SMSC, 2 SRI-SM from partner-a's SMSC
 * with a spoofed SC address, 3 updateLocation from abroad. */
#define ENC_MSU_ATTACKS 4
void enc_msu_attack(struct enc_msu *s, unsigned k);
/* The TCAP message of s (what enc_msu_build puts in the SCCP user data). */
size_t enc_msu_tcap(uint8_t *out, size_t cap, const struct enc_msu *s);
/* One M3UA DATA with an XUDT (LUDT when s->sccp_type is SCCP_LUDT) segment
 * of s carrying data as its user data, with the segmentation parameter
 * (first, remaining, ref). Returns its length, 0 on overflow. */
size_t enc_msu_segment(uint8_t *out, size_t cap, const struct enc_msu *s, const uint8_t *data,
		       size_t len, bool first, uint8_t remaining, uint32_t ref);
/* s's TCAP message split into n (1..16) segments (Q.713 3.17: first bit on
 * the first, remaining n-1 .. 0) of nearly equal size: segment i is written
 * at out + i * stride, its length in len[i]. Returns n, 0 on failure. */
unsigned enc_msu_segments(uint8_t *out, size_t stride, size_t *len, unsigned n,
			  const struct enc_msu *s, uint32_t ref);
/* Our HLR's answer to an SRI-SM from the SMSC GT smsc that opened
 * transaction tid: End, SRI-SM result (the test world's IMSI, or s->imsi
 * set after), from the home HLR's GT to smsc; the rest enc_msu_defaults. */
void enc_msu_sri_sm_answer(struct enc_msu *s, const char *smsc, uint32_t tid);
/* A TCAP Begin (shortMsgGateway v3, OTID otid) with n_comp identical
 * SRI-SM invokes (home MSISDN, partner-a's AA.19 SMSC), invoke ids 1..n;
 * n_comp at most TCAP_MAX_COMPONENTS + 2, to build the too-many-components
 * case. Returns its length, 0 on overflow. */
size_t enc_msu_sri_sm_begin(uint8_t *out, size_t cap, unsigned n_comp, uint32_t otid);
/* The whole M3UA DATA message. Returns its length, 0 on overflow. */
size_t enc_msu_build(uint8_t *out, size_t cap, const struct enc_msu *s);

#endif
