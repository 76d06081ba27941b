/* ss7fw — types of the decoded MSU (the "wire" layer).
 *
 * One struct msu is a *view* of one M3UA message: every variable-length field
 * points into the caller's buffer (struct bytes / struct digits); nothing is
 * copied and nothing is allocated. The struct is valid only while that buffer
 * is. A layer that was not present has present == false; a field that was not
 * present has has_X == false or an empty view (len/n == 0, p == NULL).
 */
#ifndef SS7FW_WIRE_T_H
#define SS7FW_WIRE_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits (named, so that exceeding one is an anomaly, never an overflow) */
#define WIRE_MAX_DIGITS       40  /* digits of one GT / AddressString / TBCD */
#define TCAP_MAX_COMPONENTS   8   /* components decoded per TCAP message */
#define TCAP_MAX_TID          8   /* octets of a transaction id we keep (>4 = anomaly) */
#define BER_MAX_DEPTH         16  /* nesting depth of constructed elements */

/* ---- result of every decoder */
enum wire_result {
	WIRE_OK = 0,
	WIRE_MALFORMED,   /* the bytes break the specification */
	WIRE_TRUNCATED,   /* a length points past the end of what we have */
	WIRE_UNSUPPORTED, /* legal, but not something this layer decodes (e.g. SI != 3) */
};

/* ---- anomalies: X(enum suffix, "json name", "description")
 * Append new ones anywhere; the bit positions are not a wire format. */
#define WIRE_ANOMALIES(X) \
	X(MULTI_COMPONENT,      "multi_component",      "TCAP message carries more than one component") \
	X(GLOBAL_OPCODE,        "global_opcode",        "operation or error code is a global (OID) value") \
	X(LONG_TID,             "long_tid",             "TCAP transaction id longer than 4 octets") \
	X(INDEFINITE_LENGTH,    "indefinite_length",    "BER indefinite length form used") \
	X(LONG_FORM_LENGTH,     "long_form_length",     "BER long-form length where the short form would do") \
	X(SCCP_POINTER_ORDER,   "sccp_pointer_order",   "SCCP variable parts not in canonical order") \
	X(NO_CALLED_SSN,        "no_called_ssn",        "SCCP called party address has no SSN") \
	X(SEGMENTED,            "segmented",            "SCCP XUDT/LUDT segmentation parameter present") \
	X(UNKNOWN_TAG,          "unknown_tag",          "a tag, parameter or message type this decoder does not know") \
	X(TRAILING_BYTES,       "trailing_bytes",       "bytes after the end of an element or message") \
	X(TRUNCATED,            "truncated",            "a length points past the end of the data") \
	X(ACN_EXTENDED,         "acn_extended",         "application context name not of the MAP form 0.4.0.0.1.0.x.v") \
	X(ACN_OPCODE_MISMATCH,  "acn_opcode_mismatch",  "operation does not belong to the application context") \
	X(TOO_MANY_COMPONENTS,  "too_many_components",  "more components than TCAP_MAX_COMPONENTS") \
	X(TOO_MANY_DIGITS,      "too_many_digits",      "address longer than WIRE_MAX_DIGITS") \
	X(BAD_DIGIT,            "bad_digit",            "filler or non-decimal digit inside an address") \
	X(M3UA_BAD_VERSION,     "m3ua_bad_version",     "M3UA version is not 1") \
	X(M3UA_BAD_PADDING,     "m3ua_bad_padding",     "M3UA parameter padding missing or non-zero") \
	X(M3UA_DUPLICATE_PARAM, "m3ua_duplicate_param", "an M3UA parameter appears twice") \
	X(SCCP_RESERVED_GTI,    "sccp_reserved_gti",    "SCCP address with a reserved global title indicator") \
	X(SCCP_ODD_EVEN,        "sccp_odd_even",        "GT encoding scheme does not match the number of digits") \
	X(SCCP_ROUTE_ON_SSN,    "sccp_route_on_ssn",    "calling or called address routes on SSN (no GT routing)") \
	X(SCCP_HOP_COUNTER,     "sccp_hop_counter",     "SCCP hop counter is 0 or above 15") \
	X(TCAP_NO_DIALOGUE,     "tcap_no_dialogue",     "TCAP Begin without a dialogue portion (MAP v1 style)") \
	X(TCAP_LINKED_ID,       "tcap_linked_id",       "an invoke carries a linked id") \
	X(TCAP_EMPTY,           "tcap_empty",           "TCAP Begin/Continue/End without components") \
	X(TCAP_BAD_STRUCTURE,   "tcap_bad_structure",   "TCAP element missing, repeated, out of order, of the wrong form or value") \
	X(TCAP_BAD_DIALOGUE,    "tcap_bad_dialogue",    "TCAP dialogue portion not a well-formed dialogue PDU of Q.773 / Q.772") \
	X(BER_ILLEGAL,          "ber_illegal",          "illegal BER: tag over 28 bits, bad length octets, indefinite primitive, nesting too deep") \
	X(MAP_UNKNOWN_OPCODE,   "map_unknown_opcode",   "local opcode not in 3GPP TS 29.002") \
	X(MAP_UNDECODED,        "map_undecoded",        "MAP argument of a known operation could not be decoded") \
	X(SMS_UNDECODED,        "sms_undecoded",        "SM-RP-UI could not be decoded as an SMS TPDU") \
	X(NOT_SCCP,             "not_sccp",             "MTP3 service indicator is not SCCP") \
	X(NOT_TCAP,             "not_tcap",             "SCCP user data is not a TCAP message") \
	X(SCCP_CONNECTION_ORIENTED, "sccp_connection_oriented", "connection-oriented SCCP message (not decoded further)") \
	X(M3UA_UNKNOWN_MSG,     "m3ua_unknown_msg",     "M3UA message class or type that RFC 4666 does not define") \
	X(M3UA_MISSING_PARAM,   "m3ua_missing_param",   "M3UA message without a parameter RFC 4666 makes mandatory for it") \
	X(M3UA_DATA_OUTSIDE_XFER, "m3ua_data_outside_xfer", "M3UA Protocol Data parameter in a message other than DATA") \
	X(SCMG_BAD,             "scmg_bad",             "SCCP management message (SSN 1) not of the Q.713 5.3 format") \
	X(ACN_UNKNOWN,          "acn_unknown",          "application context name neither MAP (TS 29.002) nor CAP (TS 29.078)") \
	X(TCAP_APP_ASSUMED,     "tcap_app_assumed",     "Continue/End without dialogue portion of a transaction not seen: screened as MAP")

enum wire_anomaly {
#define WIRE_ANOM_ENUM(id, name, desc) ANOM_##id,
	WIRE_ANOMALIES(WIRE_ANOM_ENUM)
#undef WIRE_ANOM_ENUM
	ANOM__COUNT
};
#define ANOM_BIT(a) (UINT64_C(1) << (a))

/* ---- views into the input buffer */
struct bytes {
	const uint8_t *p;
	size_t len;
};

/* A string of BCD/TBCD digits, low nibble first (Q.713 3.4.2.3, TS 29.002
 * TBCD-STRING, TS 23.040 9.1.2.3 semi-octets). n is the number of digits kept
 * (a trailing filler is not counted); digit i is (p[i/2] >> (4*(i&1))) & 0xf. */
struct digits {
	const uint8_t *p;
	uint8_t n;
};

/* ---- M3UA (RFC 4666) */
struct m3ua_info {
	bool present;
	uint8_t version, msg_class, msg_type;
	uint32_t len;                /* from the common header */
	bool has_rc, has_na, has_corr_id;
	uint32_t rc, na, corr_id;
	/* DATA: Protocol Data parameter (RFC 4666 3.3.1) */
	bool has_pd;
	uint32_t opc, dpc;
	uint8_t si, ni, mp, sls;
	struct bytes upd;            /* user protocol data (the SCCP message) */
	uint16_t stream;             /* set by the caller (SCTP stream id), not decoded */
};

/* ---- SCCP (ITU-T Q.713) */
enum sccp_msg_type {
	SCCP_CR = 0x01, SCCP_CC = 0x02, SCCP_CREF = 0x03, SCCP_RLSD = 0x04,
	SCCP_RLC = 0x05, SCCP_DT1 = 0x06, SCCP_DT2 = 0x07, SCCP_AK = 0x08,
	SCCP_UDT = 0x09, SCCP_UDTS = 0x0a, SCCP_ED = 0x0b, SCCP_EA = 0x0c,
	SCCP_RSR = 0x0d, SCCP_RSC = 0x0e, SCCP_ERR = 0x0f, SCCP_IT = 0x10,
	SCCP_XUDT = 0x11, SCCP_XUDTS = 0x12, SCCP_LUDT = 0x13, SCCP_LUDTS = 0x14,
};

struct sccp_addr {
	bool present;
	uint8_t ai;                  /* raw address indicator octet */
	bool route_on_gt;            /* routing indicator: GT (true) or SSN/PC */
	bool has_pc, has_ssn;
	uint16_t pc;                 /* 14-bit ITU point code */
	uint8_t ssn;
	uint8_t gti;                 /* 0..4 (ITU); other values: anomaly */
	bool has_tt, has_np, has_nai;
	uint8_t tt, np, es, nai;     /* es: encoding scheme (1 odd BCD, 2 even BCD) */
	bool odd;                    /* GTI 1: odd/even indicator */
	struct digits gt;
	struct bytes raw;            /* the whole address as on the wire, without its
	                              * length octet (what a UDTS/XUDTS copies back) */
};

struct sccp_info {
	bool present;
	uint8_t type;                /* enum sccp_msg_type */
	uint8_t proto_class;         /* 0..3 */
	bool return_on_error;
	bool has_cause;              /* UDTS/XUDTS/LUDTS return cause */
	uint8_t cause;
	bool has_hop_counter;
	uint8_t hop_counter;
	struct sccp_addr cdpa, cgpa;
	bool has_segment;            /* Q.713 3.17 */
	bool seg_first;
	uint8_t seg_class;           /* class to use for the reassembled message */
	uint8_t seg_remaining;
	uint32_t seg_ref;            /* 24-bit local reference */
	bool has_importance;
	uint8_t importance;
	struct bytes data;           /* user data (the TCAP message) */
};

/* ---- SMS TPDU (3GPP TS 23.040) */
enum sms_mti {
	SMS_MTI_NONE = 0,
	SMS_MTI_DELIVER, SMS_MTI_DELIVER_REPORT, SMS_MTI_SUBMIT,
	SMS_MTI_SUBMIT_REPORT, SMS_MTI_STATUS_REPORT, SMS_MTI_COMMAND,
	SMS_MTI_RESERVED,
};

struct sms_addr {
	bool present;
	uint8_t ton, npi;            /* from the type-of-address octet */
	bool alnum;                  /* TON 5: GSM 7-bit packed text in raw */
	struct digits d;             /* digits when !alnum */
	struct bytes raw;            /* the address value octets as on the wire */
	uint8_t nchars;              /* alnum: number of septets */
};

struct sms_tpdu {
	bool present;
	uint8_t mti;                 /* enum sms_mti */
	uint8_t first_octet;
	struct sms_addr addr;        /* TP-OA (deliver), TP-DA (submit), TP-RA (status report) */
	bool has_pid, has_dcs;
	uint8_t pid, dcs;
	bool udhi;
	uint8_t udl;
	struct bytes ud;
};

/* ---- GSM MAP (3GPP TS 29.002) */
enum map_sm_rp_kind {
	SM_RP_NONE = 0,              /* field absent */
	SM_RP_IMSI, SM_RP_LMSI, SM_RP_MSISDN, SM_RP_SC_ADDR, SM_RP_NO_ADDR,
};

/* AddressString / ISDN-AddressString: TON/NPI octet then TBCD digits. */
struct map_addr {
	bool present;
	uint8_t ton, npi;
	struct digits d;
};

struct map_sm_rp {
	uint8_t kind;                /* enum map_sm_rp_kind */
	struct digits d;             /* IMSI, LMSI(hex digits), MSISDN or SC address */
	uint8_t ton, npi;            /* for MSISDN / SC address */
};

enum map_decode_state {
	MAP_NOT_DECODED = 0,         /* no MAP argument expected or none present */
	MAP_DECODED,                 /* argument decoded */
	MAP_DECODE_FAILED,                  /* argument present but not decodable */
};

/* The fields of one component's MAP argument or result (TS 29.002; which
 * operation fills which field: docs/decoding.md). Node numbers are kept per
 * role: vlr (vlr-Number, newVLR-Number), msc (msc-Number, vmsc-Address),
 * sgsn (sgsn-Number), hlr (hlr-Number of the updateLocation, updateGprsLocation
 * and restoreData results and of reset), gmsc (gmsc-Address /
 * gmsc-OrGsmSCF-Address), mlc (mlc-Number), gsmscf (gsmSCF-Address of ATI,
 * ATSI, ATM), roaming_nr (roamingNumber / MSRN, and the v1 LocationInfo
 * roamingNumber [0]). */
struct map_fields {
	uint8_t state;               /* enum map_decode_state */
	struct map_addr msisdn;
	struct digits imsi;
	struct map_addr sc_addr;     /* serviceCentreAddress */
	struct map_addr nnn;         /* networkNode-Number (SRI-SM, SRI-LCS results, SLR) */
	struct map_addr msc_vlr;     /* an invoke's MSC/VLR/SGSN number: the first present
	                              * of vlr, msc, sgsn (kept for older users) */
	struct map_addr vlr, msc, sgsn, hlr, gmsc, mlc, gsmscf, roaming_nr;
	struct bytes tmsi;           /* TMSI (sendIdentification, sendParameters), 1..4 octets */
	struct digits lmsi;          /* LMSI, 8 hex digits (SRI-SM result, updateLocation) */
	bool has_ussd;               /* USSD-Arg / USSD-Res (ops 59, 60, 61) */
	uint8_t ussd_dcs;            /* ussd-DataCodingScheme (TS 23.038 5) */
	struct bytes ussd_string;    /* ussd-String, as on the wire (1..160 octets) */
	bool has_sm_rp_pri, sm_rp_pri;
	struct map_sm_rp sm_rp_da, sm_rp_oa;
	struct bytes sm_rp_ui;
	bool has_outcome;
	uint8_t outcome;             /* SM-DeliveryOutcome */
	struct sms_tpdu tp;
};

/* ---- TCAP (ITU-T Q.773) */
enum tcap_type {
	TCAP_NONE = 0,
	TCAP_UNIDIRECTIONAL, TCAP_BEGIN, TCAP_END, TCAP_CONTINUE, TCAP_ABORT,
};

enum tcap_comp_type {
	TCAP_COMP_NONE = 0,
	TCAP_COMP_INVOKE, TCAP_COMP_RESULT_LAST, TCAP_COMP_RESULT,
	TCAP_COMP_ERROR, TCAP_COMP_REJECT,
};

enum tcap_dialogue_type {
	TCAP_DLG_NONE = 0,
	TCAP_DLG_AARQ, TCAP_DLG_AARE, TCAP_DLG_ABRT, TCAP_DLG_AUDT, TCAP_DLG_OTHER,
};

struct tcap_component {
	uint8_t type;                /* enum tcap_comp_type */
	bool has_invoke_id;
	int32_t invoke_id;
	bool has_linked_id;
	int32_t linked_id;
	bool has_opcode;             /* invoke, and result with an operation */
	bool opcode_global;
	int32_t opcode;              /* local value */
	struct bytes opcode_oid;     /* global value: OID content octets */
	bool has_error;
	bool error_global;
	int32_t error;
	bool has_problem;            /* reject */
	uint8_t problem_type, problem;
	struct bytes param;          /* parameter: whole TLV (tag, length, value) */
	struct map_fields map;
};

struct tcap_info {
	bool present;
	uint8_t type;                /* enum tcap_type */
	struct bytes otid, dtid;     /* value octets (len may be > 4: anomaly) */
	uint8_t dialogue;            /* enum tcap_dialogue_type */
	struct bytes acn;            /* application context name: OID content octets */
	bool acn_is_map;             /* 0.4.0.0.1.0.<ac>.<version> */
	uint8_t acn_ac, acn_version; /* when acn_is_map */
	bool has_abort_cause;
	uint8_t abort_cause;         /* P-AbortCause */
	bool has_dialogue_result;    /* AARE: Associate-result (0 accepted, 1 reject-permanent) */
	uint8_t dialogue_result;
	/* AARQ user-information: MAP-OpenInfo destinationReference (TS 29.002
	 * 7.3: the IMSI of an MT forward-SM whose SM-RP-DA is noSM-RP-DA) */
	bool has_dest_ref;
	uint8_t dest_ref_ton, dest_ref_npi;
	struct digits dest_ref;
	uint8_t n_components;        /* decoded (at most TCAP_MAX_COMPONENTS) */
	struct tcap_component comp[TCAP_MAX_COMPONENTS];
};

/* ---- numbers in their canonical (international E.164) form
 * (docs/policy.md, "Numbers"). A number is read in the form its nature of
 * address / type of number says; the numbering plan of the network that
 * screens it (struct num_plan) turns national and prefixed forms into
 * country code + national significant number. The canonical number is a
 * view too: a few digits of the plan, then the wire digits from skip on. */
#define NUM_MAX_CC      3
#define NUM_MAX_PREFIX  4

struct num_plan {
	uint8_t cc_n, cc[NUM_MAX_CC];            /* country code digits */
	uint8_t intl_n, intl[NUM_MAX_PREFIX];    /* international prefix ("00") */
	uint8_t trunk_n, trunk[NUM_MAX_PREFIX];  /* national (trunk) prefix ("0") */
};

enum num_form {
	NUM_INTL = 0,                /* international: digits as they are */
	NUM_NATIONAL,                /* national significant number (NAI 3, TON 2) */
	NUM_UNKNOWN,                 /* unknown: read by its prefixes */
	NUM_OTHER,                   /* no E.164 reading (subscriber, network
	                              * specific, abbreviated, E.212): as on the wire */
};

struct num {
	const struct digits *d;      /* wire digits; NULL or n == 0: no number */
	uint8_t skip;                /* leading wire digits dropped (a prefix) */
	uint8_t pre_n;               /* plan digits in front (the country code) */
	uint8_t pre[NUM_MAX_CC];
	uint8_t n;                   /* canonical digits in all */
	bool e164;                   /* false: NUM_OTHER (the wire digits) */
};

/* ---- SCCP management (Q.713 5.3): the messages to SSN 1 */
enum scmg_type {
	SCMG_NONE = 0, SCMG_SSA = 1, SCMG_SSP = 2, SCMG_SST = 3, SCMG_SOR = 4,
	SCMG_SOG = 5, SCMG_SSC = 6,
};

struct scmg_info {
	bool present;                /* decoded (well-formed) */
	uint8_t type;                /* enum scmg_type */
	uint8_t affected_ssn;
	uint16_t affected_pc;        /* 14-bit ITU point code */
	uint8_t smi;                 /* subsystem multiplicity indicator (2 bits) */
	bool has_congestion;         /* SSC */
	uint8_t congestion;          /* SSC: congestion level 1..8 */
};

/* ---- the application a TCAP message belongs to, decided from its content
 * (docs/decoding.md, "What is decided from what"), never from the SSN. */
enum tcap_app {
	TCAP_APP_NONE = 0,           /* no TCAP */
	TCAP_APP_MAP,                /* GSM MAP (TS 29.002) */
	TCAP_APP_CAP,                /* CAMEL Application Part (TS 29.078) */
	TCAP_APP_OTHER,              /* an application context of neither: screened as MAP */
};

enum tcap_app_src {
	TCAP_APP_SRC_NONE = 0,
	TCAP_APP_SRC_ACN,            /* the dialogue portion's application context name */
	TCAP_APP_SRC_V1,             /* Begin/Unidirectional without dialogue: MAP v1 form */
	TCAP_APP_SRC_TRANSACTION,    /* the transaction's application, known to the caller */
	TCAP_APP_SRC_ASSUMED,        /* nothing said it: MAP (tcap_app_assumed) */
};

/* How the caller tells msu_decode the application of a transaction whose
 * message carries no application context (a Continue/End/Abort after the
 * first exchange): app_of returns an enum tcap_app, or TCAP_APP_NONE when
 * the transaction is not known. The callback must not touch the MSU. */
struct msu;
struct msu_ctx {
	uint8_t (*app_of)(void *arg, const struct msu *m);
	void *arg;
};

/* ---- the whole MSU */
enum msu_layer {
	LAYER_NONE = 0, LAYER_M3UA, LAYER_SCCP, LAYER_TCAP, LAYER_MAP,
};

struct msu {
	struct m3ua_info m3ua;
	struct sccp_info sccp;
	uint64_t anomalies;          /* ANOM_BIT(enum wire_anomaly) */
	uint8_t error_layer;         /* enum msu_layer where decoding failed, or LAYER_NONE */
	uint8_t error;               /* enum wire_result of that failure */
	uint8_t app;                 /* enum tcap_app: what the TCAP content is */
	uint8_t app_src;             /* enum tcap_app_src: how that was decided */
	bool returned;               /* a service message: TCAP is the returned payload */
	bool reassembled;            /* set by the caller (the engine): the upper layers
	                              * were decoded from the user data of all the
	                              * segments of a segmented XUDT/LUDT, so the
	                              * message is whole (msu_segmented is false) */
	struct scmg_info scmg;       /* SCCP management (called SSN 1, not TCAP) */
	const struct num_plan *plan; /* set by the caller: how national numbers
	                              * read (the record's canonical digits); NULL none */
	/* Last, and its comp[] last in it: msu_decode clears everything up to
	 * tcap.comp, and only tcap.comp[0..n_components) is ever valid. */
	struct tcap_info tcap;
};

#endif
