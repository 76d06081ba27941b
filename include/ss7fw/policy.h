/* ss7fw — policies: load a libconfig file into an immutable compiled policy
 * (docs/policy.md) and evaluate one decoded MSU against it. */
#ifndef SS7FW_POLICY_H
#define SS7FW_POLICY_H

#include <stdbool.h>
#include <stdio.h>

#include "ss7fw/policy-t.h"
#include "ss7fw/track.h"
#include "ss7fw/verdict-t.h"
#include "ss7fw/wire-t.h"

/* Build a policy from path (its @include files are found relative to its
 * directory). On error every problem is written to err as
 * "file:line: message" and NULL is returned; *nerr (if not NULL) gets the
 * number of errors. Nothing global is touched: a running policy is not
 * disturbed. */
struct policy *policy_load(const char *path, FILE *err, int *nerr);
void policy_free(struct policy *p);

/* What policy_eval needs besides the policy. */
struct pol_input {
	const struct msu *m;         /* canonical view (policy_canon) */
	int link;                    /* index in policy->links, -1 unknown */
	uint8_t dir;                 /* enum fw_dir */
	bool malformed;              /* policy_malformed */
	struct track *trk;           /* correlation state, may be NULL */
	uint64_t now_ms;
};

/* First matching rule per component, strictest verdict over the components
 * (drop > reject > allow); shadow rules are counted in r and skipped.
 * A malformed MSU gets the policy's malformed action without the rules,
 * unless that action is allow: then the rules decide (the malformed check
 * and condition fire), and allow is the default. */
void policy_eval(const struct policy *p, const struct pol_input *in, struct pol_result *r);

/* The canonical form of m for screening: a component whose opcode is a
 * global OID of the MAP form 0.4.0.0.1.3.<op> is screened as local <op>
 * (its argument decoded again with that opcode). Returns m itself when
 * nothing had to change, else scratch (filled). *bad is set when a global
 * opcode is not of that form (the MSU is then malformed). */
const struct msu *policy_canon(const struct msu *m, struct msu *scratch, bool *bad);

/* An MSU that must not pass as undecodable (docs/decoding.md, "What is
 * decided from what"): an M3UA message that does not decode, of a class or
 * type RFC 4666 does not define (unless policy.m3ua_unknown relays unknown
 * management types), without its mandatory parameters, or with Protocol
 * Data outside DATA; SCCP (SI 3) that does not decode, or is connection
 * oriented; an XUDT/LUDT segment that was not reassembled; TCAP that does
 * not decode, on any SSN; SCCP user data that is not TCAP towards an SSN
 * that is not in policy.passthrough_ssn (SCCP management to SSN 1 that
 * does not decode, on any); a MAP argument that does not decode; too many
 * components; an unmappable global opcode. A service message
 * (UDTS/XUDTS/LUDTS) is judged by its SCCP part: its payload is returned. */
bool policy_malformed(const struct policy *p, const struct msu *m, bool bad_global);
/* The numbering plan national numbers on link l (policy link index, -1
 * none) are read with: the link's partner's (partner.cc) or the home one. */
const struct num_plan *policy_plan(const struct policy *p, int link);

/* The operation of component c when it is a mobile-terminated short
 * message: mt-forwardSM (44), or forwardSM (46) with the MT relay context or
 * an SM-RP-DA of IMSI, LMSI or noSM-RP-DA (IR.71 3.2.2; only a
 * mobile-originated one carries an SC address there). */
bool policy_is_mt_sms(const struct msu *m, const struct tcap_component *c);

/* ---- prefix sets */
struct pfx_set *pfx_new(void);
void pfx_free(struct pfx_set *s);
/* Add a prefix of 1..PFX_MAX_LEN digits (0-9, a-f): 0, or -1 if invalid. */
int pfx_add(struct pfx_set *s, const char *digits);
void pfx_add_set(struct pfx_set *s, const struct pfx_set *from);  /* union */
/* Sort and deduplicate; required once after adding, before pfx_match. */
int pfx_finalize(struct pfx_set *s);
/* True when some prefix in s is a prefix of d, or an exact entry equals d
 * (walks d's nibbles); d read as it is (international). */
bool pfx_match(const struct pfx_set *s, const struct digits *d);
/* The same for a number in its canonical form. */
bool pfx_match_num(const struct pfx_set *s, const struct num *x);
bool pfx_empty(const struct pfx_set *s);

/* ---- names */
const char *pol_check_name(unsigned c);
const char *pol_check_desc(unsigned c);
const char *pol_field_name(unsigned f);
/* MAP operation by TS 29.002 name (case-insensitive), -1 if unknown. */
int pol_map_op_by_name(const char *name);

#endif
