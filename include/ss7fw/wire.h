/* ss7fw — decoders of the wire layer. Pure functions: bytes in, views out.
 * No I/O, no allocation, no globals; every length checked against what is left.
 * Each decoder fills its struct (zeroing it first), ORs anomaly bits into *anom
 * and returns an enum wire_result. */
#ifndef SS7FW_WIRE_H
#define SS7FW_WIRE_H

#include "ss7fw/wire-t.h"

/* ---- whole MSU: M3UA message -> SCCP -> TCAP -> MAP -> SMS.
 * Always fills what it could; on failure m->error_layer / m->error say where.
 * Returns WIRE_OK when every layer present was decoded. A non-DATA M3UA
 * message is WIRE_OK with m->sccp.present == false. */
enum wire_result msu_decode(struct msu *m, const uint8_t *buf, size_t len);
/* The same, with the caller's knowledge of transactions (ctx may be NULL):
 * a Continue/End/Abort without application context name gets the
 * application ctx->app_of says, else MAP (tcap_app_assumed). */
enum wire_result msu_decode_ctx(struct msu *m, const uint8_t *buf, size_t len, const struct msu_ctx *ctx);
/* The SCCP user data d of an MSU whose M3UA and SCCP parts m already holds
 * (e.g. the reassembled data of XUDT/LUDT segments, which must stay valid
 * as long as m is used): TCAP, its application, MAP arguments; or SCCP
 * management towards SSN 1. Clears nothing above SCCP: call it on an m
 * fresh from msu_decode_ctx, whose upper layers are still empty. */
enum wire_result msu_decode_upper(struct msu *m, struct bytes d, const struct msu_ctx *ctx);
/* True when m is one segment of a segmented XUDT/LUDT (Q.713 3.17), which
 * msu_decode stops at (a "first and only" segment is a whole message). */
bool msu_segmented(const struct msu *m);
/* The application (enum tcap_app) of an application context name (OID
 * content octets): MAP, CAP, or OTHER. */
uint8_t tcap_acn_app(struct bytes acn);
/* SCCP management (Q.713 5.3), the user data of a message to SSN 1. */
enum wire_result scmg_decode(struct scmg_info *g, struct bytes d, uint64_t *anom);

/* ---- M3UA (RFC 4666). buf holds exactly one M3UA message (the common header's
 * length must equal len, else TRUNCATED / TRAILING_BYTES). */
enum wire_result m3ua_decode(struct m3ua_info *m, const uint8_t *buf, size_t len, uint64_t *anom);

/* For stream transports: the length of the M3UA message starting at buf, from
 * its common header; 0 when fewer than 8 bytes are available. The caller must
 * reject lengths < 8 or above its own maximum. */
uint32_t m3ua_msg_len(const uint8_t *buf, size_t len);

/* ---- SCCP (ITU-T Q.713): one SCCP message (M3UA user protocol data). */
enum wire_result sccp_decode(struct sccp_info *s, struct bytes in, uint64_t *anom);
/* One called/calling party address (Q.713 3.4), the bytes after the length octet. */
enum wire_result sccp_addr_decode(struct sccp_addr *a, struct bytes in, uint64_t *anom);

/* ---- TCAP (ITU-T Q.773): one TCAP message (SCCP user data). Components are
 * decoded up to TCAP_MAX_COMPONENTS; their MAP arguments are not (map_decode). */
enum wire_result tcap_decode(struct tcap_info *t, struct bytes in, uint64_t *anom);

/* ---- GSM MAP (3GPP TS 29.002): decode the argument or result of component i
 * of t into t->comp[i].map, using the operation code (for a result, the opcode
 * of the result; callers may pass the opcode of the invoke it answers in
 * op_hint, or -1). Also decodes SM-RP-UI with sms_decode. */
enum wire_result map_decode(struct tcap_info *t, unsigned i, int op_hint, uint64_t *anom);

/* ---- SMS TPDU (3GPP TS 23.040). sc_to_ms: the direction the TPDU travels
 * (true for mt-forwardSM / SMS-DELIVER, false for mo-forwardSM / SMS-SUBMIT),
 * which selects the meaning of TP-MTI (23.040 9.2.3.1). */
enum wire_result sms_decode(struct sms_tpdu *tp, struct bytes in, bool sc_to_ms, uint64_t *anom);

/* ---- digits */
static inline uint8_t digits_at(const struct digits *d, unsigned i)
{
	return (uint8_t)((d->p[i >> 1] >> ((i & 1) * 4)) & 0x0f);
}
/* Decode BCD digits from v (low nibble first). Drops one trailing 0xf filler
 * (and with odd_hint, ignores the high nibble of the last octet). Sets
 * BAD_DIGIT for a filler inside, TOO_MANY_DIGITS above WIRE_MAX_DIGITS (then
 * n is capped). Never reads past v. */
void digits_from_bcd(struct digits *d, struct bytes v, int odd_hint, uint64_t *anom);
/* Writes the digits as text ("0"-"9", "b"-"e", "a" for 0xa, "f" for a filler
 * that was kept) into out (NUL-terminated, truncated to outsz-1). Returns the
 * number of digits. */
size_t digits_to_str(const struct digits *d, char *out, size_t outsz);
/* Unpack n GSM 7-bit septets (TS 23.038) from packed octets into printable
 * UTF-8-safe text (the default alphabet's ASCII subset; others as '?').
 * Returns the length written (NUL-terminated, truncated to outsz-1). */
size_t gsm7_to_str(struct bytes packed, unsigned nchars, char *out, size_t outsz);

/* ---- canonical numbers (src/wire/number.c) */
/* Read d in form (enum num_form) with plan (NULL: no plan, so national
 * numbers keep their digits) into x. */
void num_canon(struct num *x, const struct digits *d, uint8_t form, const struct num_plan *plan);
/* The form an SCCP global title says: GTI 1/4 by nature of address
 * indicator, E.212 numbering plan (NP 6) NUM_OTHER, GTI 2/3 unknown. */
uint8_t num_form_gt(const struct sccp_addr *a);
/* The form a type of number / numbering plan octet says (TS 29.002
 * AddressString, TS 23.040 address fields). */
uint8_t num_form_ton(uint8_t ton, uint8_t npi);
static inline uint8_t num_at(const struct num *x, unsigned i)
{
	return i < x->pre_n ? x->pre[i] : digits_at(x->d, x->skip + i - x->pre_n);
}
/* Writes the canonical digits (as digits_to_str). */
size_t num_to_str(const struct num *x, char *out, size_t outsz);
/* Parses "999" style digits into a plan field; -1 if not 1..cap decimal digits. */
int num_plan_digits(uint8_t *dst, uint8_t *n, size_t cap, const char *s);

/* ---- names (value_string style tables) */
const char *anomaly_name(unsigned a);            /* "multi_component" */
const char *anomaly_desc(unsigned a);
int anomaly_by_name(const char *name);           /* -1 if unknown */
const char *map_op_name(int opcode);             /* TS 29.002 name, NULL if unknown */
/* Like map_op_name, but 46 is "forwardSM" when t has no ACN or a MAP ACN of
 * version 1 or 2 (t may be NULL: no ACN). */
const char *map_op_name_ctx(int opcode, const struct tcap_info *t);
int map_op_by_name(const char *name);            /* -1 if unknown */
const char *sccp_type_name(uint8_t type);        /* "UDT", ... "?" */
const char *tcap_type_name(uint8_t type);        /* "begin", ... */
const char *tcap_comp_type_name(uint8_t type);   /* "invoke", ... */
const char *sms_mti_name(uint8_t mti);           /* "deliver", ... */
const char *sm_rp_kind_name(uint8_t kind);       /* "imsi", ... */
const char *m3ua_class_name(uint8_t msg_class);  /* "MGMT", "XFER", ... */
const char *cap_op_name(int opcode);             /* TS 29.078 name, NULL if unknown */
int cap_op_by_name(const char *name);            /* -1 if unknown */
const char *tcap_app_name(uint8_t app);          /* "map", "cap", "other", "none" */
const char *scmg_type_name(uint8_t type);        /* "SSA", ... "?" */

#endif
