/* ss7fw — types of a compiled policy (docs/policy.md).
 *
 * A policy is built from a libconfig file by policy_load into one immutable
 * object: prefix sets, partners, links, settings and an ordered rule list.
 * Evaluation (policy_eval) reads it and never writes it, so a new policy can
 * be built beside the running one and swapped between two MSUs. */
#ifndef SS7FW_POLICY_T_H
#define SS7FW_POLICY_T_H

#include <stdbool.h>
#include <stdint.h>

#include "ss7fw/config-t.h"
#include "ss7fw/track-t.h"
#include "ss7fw/wire-t.h"

/* ---- prefix sets: digit prefixes (hex digits allowed) of 1..PFX_MAX_LEN
 * digits, kept per length as sorted arrays of nibble-packed values, so that
 * a lookup walks the number's nibbles once and binary-searches each length
 * present (no string copies). Exact entries ("=999340001": that number and
 * no longer one) are kept the same way in a second group of arrays. */
#define PFX_MAX_LEN 16

struct pfx_group {
	uint32_t lenmask;            /* bit L: some entry has L digits */
	uint32_t n[PFX_MAX_LEN + 1];
	uint64_t *v[PFX_MAX_LEN + 1];
};

struct pfx_set {
	struct pfx_group pfx;        /* prefixes */
	struct pfx_group exact;      /* exact numbers */
	uint32_t total;
	/* the digits every entry begins with (pfx_finalize): a number that
	 * leaves them is out at its first other digit */
	uint8_t lcp_len;
	uint64_t lcp;
};

/* ---- conditions of a rule's "match" group. Each tests one field of the MSU
 * (or of the component being screened); a key prefixed "not_" negates it. */
#define POL_FIELDS(X) \
	/* id            name              kind     level */ \
	X(LINK,          "link",           SET,     MSU)  \
	X(DIR,           "dir",            SET,     MSU)  \
	X(OPC,           "opc",            INTS,    MSU)  \
	X(DPC,           "dpc",            INTS,    MSU)  \
	X(SI,            "si",             SET,     MSU)  \
	X(NI,            "ni",             SET,     MSU)  \
	X(SCCP_TYPE,     "sccp_type",      SET,     MSU)  \
	X(CDPA_GT,       "cdpa_gt",        PFX,     MSU)  \
	X(CGPA_GT,       "cgpa_gt",        PFX,     MSU)  \
	X(CDPA_SSN,      "cdpa_ssn",       SET,     MSU)  \
	X(CGPA_SSN,      "cgpa_ssn",       SET,     MSU)  \
	X(CDPA_TT,       "cdpa_tt",        SET,     MSU)  \
	X(CDPA_NP,       "cdpa_np",        SET,     MSU)  \
	X(CDPA_NAI,      "cdpa_nai",       SET,     MSU)  \
	X(CGPA_TT,       "cgpa_tt",        SET,     MSU)  \
	X(CGPA_NP,       "cgpa_np",        SET,     MSU)  \
	X(CGPA_NAI,      "cgpa_nai",       SET,     MSU)  \
	X(TCAP_TYPE,     "tcap_type",      SET,     MSU)  \
	X(ACN,           "acn",            ACN,     MSU)  \
	X(ACN_AC,        "acn_ac",         SET,     MSU)  \
	X(ACN_VERSION,   "acn_version",    SET,     MSU)  \
	X(ANOMALY,       "anomaly",        ANOM,    MSU)  \
	X(MALFORMED,     "malformed",      BOOL,    MSU)  \
	X(COMP_TYPE,     "comp_type",      SET,     COMP) \
	X(OPCODE,        "opcode",         SET,     COMP) \
	X(MAP_OP,        "map_op",         SET,     COMP) \
	X(MSISDN,        "msisdn",         PFX,     COMP) \
	X(IMSI,          "imsi",           PFX,     COMP) \
	X(SC_ADDR,       "sc_addr",        PFX,     COMP) \
	X(SM_RP_DA,      "sm_rp_da",       PFX,     COMP) \
	X(SM_RP_OA,      "sm_rp_oa",       PFX,     COMP) \
	X(SM_RP_DA_KIND, "sm_rp_da_kind",  SET,     COMP) \
	X(SM_RP_OA_KIND, "sm_rp_oa_kind",  SET,     COMP) \
	X(TP_MTI,        "tp_mti",         SET,     COMP) \
	X(TP_OA,         "tp_oa",          PFX,     COMP) \
	X(TP_OA_ALNUM,   "tp_oa_alnum",    BOOL,    COMP) \
	X(TCAP_APP,      "tcap_app",       SET,     MSU)  \
	X(CAP_OP,        "cap_op",         SET,     COMP) \
	X(SCMG_TYPE,     "scmg_type",      SET,     MSU)  \
	X(SCMG_SSN,      "scmg_affected_ssn", SET,  MSU)  \
	X(SCMG_PC,       "scmg_affected_pc", INTS,  MSU)  \
	X(TP_DA,         "tp_da",          PFX,     COMP)

enum pol_field {
#define POL_FIELD_ENUM(id, name, kind, level) POL_F_##id,
	POL_FIELDS(POL_FIELD_ENUM)
#undef POL_FIELD_ENUM
	POL_F__COUNT
};

enum pol_kind { POL_K_SET = 0, POL_K_INTS, POL_K_PFX, POL_K_ACN, POL_K_ANOM, POL_K_BOOL };
enum pol_level { POL_L_MSU = 0, POL_L_COMP };

#define POL_MAX_ACNS 16
#define POL_ACN_MAX  32              /* content octets of one OID */

struct pol_cond {
	uint8_t field;               /* enum pol_field */
	bool negate;
	bool b;                      /* BOOL */
	uint64_t set[4];             /* SET: values 0..255 */
	uint32_t n_ints;             /* INTS */
	uint32_t *ints;
	const struct pfx_set *pfx;   /* PFX: owned by the policy (pol->sets) */
	uint64_t anom;               /* ANOM: any of these bits */
	uint8_t n_acn;               /* ACN: OID content octets */
	uint8_t acn_len[POL_MAX_ACNS];
	uint8_t acn[POL_MAX_ACNS][POL_ACN_MAX];
};

/* ---- checks: the relational and stateful tests of IR.71 / FS.11 */
#define POL_CHECKS(X) \
	X(NONE,                 "none",                 "-") \
	X(LINK_SCREENING,       "link_screening",       "IR.71 3.1, 2.1.2: calling GT not of the link's partner") \
	X(OWN_ADDRESS,          "own_address",          "IR.71 2.1.1: calling GT or MAP SC address in the home ranges, from a carrier") \
	X(SRI_SM_ALLOWLIST,     "sri_sm_allowlist",     "IR.71 3.2.1: SRI-SM not from an AA.19 SMSC GT") \
	X(FORWARD_SM_ALLOWLIST, "forward_sm_allowlist", "IR.71 3.2.2: MT forward-SM not from an AA.19 SMSC GT") \
	X(MAP_SCCP_CONSISTENCY, "map_sccp_consistency", "IR.71 2.1.6: MAP SC address differs from the SCCP calling GT") \
	X(RSDS_SOLICITED,       "rsds_solicited",       "IR.71 2.3.1: reportSM-DeliveryStatus without a recent SRI-SM") \
	X(OPEN_SMSC,            "open_smsc",            "IR.71 3.6.2, 2.4.1: called GT a listed open SMSC, or MT-SMS with a home TP-OA") \
	X(ILLEGAL_CONTENT,      "illegal_content",      "IR.71 2.1.8: a MAP address on the illegal list") \
	X(SHORT_CODE_OA,        "short_code_oa",        "IR.71 2.1.7: MT-SMS whose numeric TP-OA is a short code") \
	X(FS11_CAT1,            "fs11_cat1",            "FS.11 category 1: an operation that never belongs on the interconnect") \
	X(TCAP_UNSOLICITED,     "tcap_unsolicited",     "IR.71 2.1.3: Continue/End/Abort for a transaction the home network never opened") \
	X(MALFORMED,            "malformed",            "an MSU that cannot be decoded to its operations (with policy.malformed = \"allow\")") \
	X(SCMG,                 "scmg",                 "SCCP management from a carrier about a home point code (SSA/SSP/SOR/SOG/SSC) or testing a foreign one (SST)") \
	X(CAT2_HOME,            "cat2_home",            "FS.11 category 2: an HLR-only operation for a home subscriber from a carrier (spoof of our HLR)") \
	X(CAT2_ORIGIN,          "cat2_origin",          "FS.11 category 2: an HLR-only operation for a partner's subscriber not from that partner's network") \
	X(CAT2_UNKNOWN_IMSI,    "cat2_unknown_imsi",    "FS.11 category 2: an HLR-only operation for a subscriber of no known network") \
	X(CAT3_CONSISTENCY,     "cat3_consistency",     "FS.11 category 3 (a): VLR/MSC/SGSN number of the argument not in the calling GT's network") \
	X(CAT3_LOCATION,        "cat3_location",        "FS.11 category 3 (b), IR.71 3.4.2: a home subscriber's operation from a network it is not registered in") \
	X(CAT3_VELOCITY,        "cat3_velocity",        "FS.11 category 3 (c): a registration in another country sooner than the travel time allows") \
	X(SMS_MO_OA,            "sms_mo_oa",            "IR.71 3.4.1: MO forward-SM to our SMSC without a home MSISDN as SM-RP-OA") \
	X(SMS_MO_DA,            "sms_mo_da",            "IR.71 3.4.2: MO forward-SM whose SM-RP-DA differs from the SCCP called GT") \
	X(FSM_SOLICITED,        "fsm_solicited",        "IR.71 3.3, 2.1.11: MT forward-SM to an IMSI our HLR did not give that SMSC GT") \
	X(RATE_LIMIT,           "rate_limit",           "IR.71 3.5, 2.1.4: token bucket per calling GT, partner or operation is empty")

enum pol_check {
#define POL_CHECK_ENUM(id, name, desc) POL_CHK_##id,
	POL_CHECKS(POL_CHECK_ENUM)
#undef POL_CHECK_ENUM
	POL_CHK__COUNT
};

/* rate_limit rules: what one bucket is kept for. */
enum pol_rate_per {
	POL_RATE_CALLING_GT = 0,     /* the canonical calling GT */
	POL_RATE_PARTNER,            /* the link's partner (else the calling GT's network) */
	POL_RATE_OPERATION,          /* the MAP operation (opcode) */
	POL_RATE_RULE,               /* one bucket for the whole rule */
};

struct pol_rule {
	char name[CFG_NAME_MAX];
	double rate;                 /* rate_limit: tokens per second */
	uint32_t burst;              /* rate_limit: bucket size */
	uint8_t per;                 /* rate_limit: enum pol_rate_per */
	uint32_t name_hash;          /* stable across reloads: the buckets' key */
	uint8_t action;              /* enum fw_verdict */
	bool shadow;
	uint8_t check;               /* enum pol_check */
	bool comp_level;             /* some condition or the check looks at components */
	uint32_t n_cond;
	struct pol_cond *cond;
	const char *file;            /* where it was defined (for messages) */
	int line;
};

struct pol_partner {
	char name[CFG_NAME_MAX];
	bool has_plan;               /* partner.cc set: national numbers on its links */
	struct num_plan plan;
	struct pfx_set *gt;          /* its GT ranges */
	struct pfx_set *smsc;        /* SMSC GTs of its AA.19 agreement */
	/* IR.21 data (docs/policy.md, "Partners") */
	struct pfx_set *imsi;        /* its IMSI prefixes (MCC+MNC) */
	struct pfx_set *e164;        /* its E.164 number ranges (CC+NDC) */
	struct pfx_set *hlr, *vlr, *msc, *sgsn;   /* its node GT ranges (optional) */
	struct pfx_set *nodes;       /* gt + hlr + vlr + msc + sgsn: its network's GTs */
	uint16_t country;            /* ISO 3166 alpha-2 as 1 + 26 * a + b; 0 unknown */
	uint32_t net_id;             /* 24-bit id of its name: what location state keeps */
	uint32_t ir71_slot;          /* the engine's IR.71 counter slot (set by engine_load) */
};

/* policy.travel_time entries: the least time between registrations in the
 * two countries (either order). */
struct pol_travel {
	uint16_t a, b;               /* countries as in pol_partner.country */
	uint32_t secs;
};

struct pol_link {
	struct link_cfg cfg;
	int partner;                 /* index in partners, -1 none */
};

struct pol_named_set {
	char name[CFG_NAME_MAX];
	struct pfx_set *set;
};

/* Settings of the "policy" group. */
struct pol_settings {
	uint8_t shadow;              /* mode: enforce (0) or shadow (1) */
	uint8_t default_action;      /* enum fw_verdict */
	uint8_t malformed_action;    /* enum fw_verdict */
	uint32_t rsds_window_s;      /* IR.71 2.3.1 correlation window */
	uint32_t tcap_timeout_s;     /* how long an open transaction is remembered */
	uint32_t track_entries;      /* correlation table size (read at start) */
	uint32_t short_code_digits;  /* a numeric TP-OA of at most this many digits is a short code */
	double smsc_ratio_alert;     /* IR.71 2.1.12: SRI-SM / forward-SM above this is suspicious */
	bool screen_out;             /* also screen core->carrier (default: track only) */
	uint8_t m3ua_unknown;        /* enum pol_m3ua_unknown */
	uint64_t passthrough_ssn[4]; /* SSNs whose non-TCAP user data passes (default none) */
	/* FS.11 categories 2/3 and SMS correlation (docs/policy.md, "State") */
	uint32_t location_ttl_s;     /* how long a registration is remembered */
	uint32_t location_grace_s;   /* the network left still counts this long */
	uint8_t location_missing;    /* enum pol_missing: cat3_location without state */
	uint32_t fsm_window_s;       /* an SRI-SM answer makes forward-SMs legitimate this long */
	uint8_t fsm_unarmed;         /* enum pol_missing: fsm_solicited before any answer of our HLR */
	uint32_t travel_time_s;      /* cat3_velocity between countries not in travel_time */
	uint32_t sri_ndc_digits;     /* IR.71 2.1.12 measurement: CC+NDC digits of the SRI-SM caller */
};

/* What a state-dependent check does when it has no state for the subscriber
 * (another instance saw the registration, the state expired or was
 * evicted, the subscriber is at home). */
enum pol_missing {
	POL_MISSING_PASS = 0,        /* does not fire (default) */
	POL_MISSING_FIRE,            /* fires */
};

/* policy.m3ua_unknown: what becomes of an M3UA message of a class or type
 * RFC 4666 does not define. */
enum pol_m3ua_unknown {
	POL_M3UA_UNKNOWN_DROP = 0,   /* dropped as malformed (default) */
	POL_M3UA_UNKNOWN_RELAY_MGMT, /* unknown types of the management classes relayed */
};

struct policy {
	char path[CFG_PATH_MAX];
	struct pol_settings cfg;
	struct settings_cfg settings;
	uint32_t n_partners, n_links, n_lists, n_rules, n_sets;
	struct pol_partner *partners;
	struct pol_link *links;
	struct pol_named_set *lists;
	struct pol_rule *rules;
	struct pfx_set **sets;       /* every set allocated (freed with the policy) */
	uint32_t cap_sets;
	struct num_plan home_plan;   /* home.cc, home.intl_prefix, home.trunk_prefix */
	uint32_t n_home_pc;          /* home.pc: point codes of the home network */
	uint32_t *home_pc;
	/* built-in sets */
	struct pfx_set *home_gt, *home_msisdn, *home_imsi, *home_smsc;
	struct pfx_set *home_nodes;  /* home.gt and home.smsc in one set: our own addresses */
	struct pfx_set *all_partner_gt, *all_partner_smsc;
	struct pfx_set *open_smsc, *illegal;   /* lists "open_smsc", "illegal_address" (may be empty) */
	uint64_t fs11_cat1[4];       /* opcodes of FS.11 category 1 */
	uint64_t fs11_cat2[4];       /* FS.11 category 2: only the subscriber's home network */
	uint64_t fs11_cat3[4];       /* FS.11 category 3: only the network where it is */
	uint64_t fs11_cat3_location[4]; /* those of category 3 the location state screens */
	uint32_t n_travel;
	struct pol_travel *travel;
	char **strings;              /* file names kept for messages */
	uint32_t n_strings;
};

/* What one evaluation decided. */
struct pol_result {
	uint8_t verdict;             /* enum fw_verdict, enforced part */
	int rule;                    /* deciding rule index; -1 default; -2 malformed */
	bool malformed;
	/* the first shadow rule that matched with a non-allow action (-1 none),
	 * and every shadow rule that matched (for the counters) */
	int shadow_rule;
	uint32_t n_shadow;
	int shadow_hits[8];
	/* fsm_solicited: the SMSC GT our HLR gave the IMSI to (the SRI-SM's
	 * sender, named in the drop record), "" unknown */
	char perpetrator[TRACK_KEY_DIGITS + 1];
	/* fsm_solicited passed a forward-SM because no SRI-SM answer of our
	 * HLR has reached the correlation table yet (policy.fsm_unarmed) */
	bool fsm_unarmed;
};

#endif
