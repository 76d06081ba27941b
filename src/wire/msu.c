/* ss7fw — whole-MSU decode: M3UA -> SCCP -> TCAP (or SCCP management) ->
 * MAP (architecture.md, "The path of one MSU"; docs/decoding.md, "What is
 * decided from what"). See ss7fw/wire.h for the contract.
 *
 * What an MSU is comes from its content, never from the called SSN: the
 * STP's global title translation decides where a message ends up, so the SSN
 * on the wire proves nothing. SCCP user data that starts with an ITU TCAP
 * message tag is decoded as TCAP on every SSN; its application (MAP, CAP or
 * other) comes from the dialogue portion, or from the transaction it belongs
 * to, and MAP arguments are decoded for everything that is not CAP. */
#include <stddef.h>
#include <string.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define MTP3_SI_SCCP     3     /* Q.704 14.2.1 service indicator */
#define M3UA_CLASS_XFER  1     /* RFC 4666 3.1.2 */
#define M3UA_TYPE_DATA   1     /* RFC 4666 3.1.3 */
#define SCMG_SSN         1     /* Q.713 5.1: SCCP management */
#define SCMG_LEN         5     /* Q.713 5.3: type, SSN, PC (2), SMI */

/* Q.773 4.2.1: every TCAP message is an [APPLICATION n] constructed element */
#define TCAP_ID_MASK      0xe0
#define TCAP_ID_APP_CONS  0x60

/* Application context name prefixes, as OID content octets.
 * 0.4.0.0.1.0: the GSM/UMTS network application contexts of TS 29.002
 *   17.3.3 (MAP), among which CAP v1/v2 (TS 29.078) take 50, 51, 52;
 * 0.4.0.0.1.21 (cap3OE) and 0.4.0.0.1.22 (cap4OE): CAP phases 3 and 4. */
static const uint8_t acn_mobile_domain[] = { 0x04, 0x00, 0x00, 0x01 };
#define ACN_ARC_NETWORK  0x00
#define ACN_ARC_CAP3     0x15
#define ACN_ARC_CAP4     0x16
#define ACN_AC_CAP_FIRST 50
#define ACN_AC_CAP_LAST  52

uint8_t tcap_acn_app(struct bytes acn)
{
	size_t pl = sizeof acn_mobile_domain;
	if (acn.len <= pl || memcmp(acn.p, acn_mobile_domain, pl) != 0)
		return TCAP_APP_OTHER;
	uint8_t arc = acn.p[pl];
	if (arc == ACN_ARC_CAP3 || arc == ACN_ARC_CAP4)
		return TCAP_APP_CAP;
	if (arc != ACN_ARC_NETWORK)
		return TCAP_APP_OTHER;
	/* 0.4.0.0.1.0.<ac>...: MAP in any form (a longer or multi-octet tail
	 * is still the MAP namespace, acn_extended), but CAP v1/v2's three */
	if (acn.len > pl + 1 && acn.p[pl + 1] >= ACN_AC_CAP_FIRST && acn.p[pl + 1] <= ACN_AC_CAP_LAST)
		return TCAP_APP_CAP;
	return TCAP_APP_MAP;
}

static enum wire_result msu_fail(struct msu *m, uint8_t layer, enum wire_result r)
{
	m->error_layer = layer;
	m->error = (uint8_t)r;
	return r;
}

/* Q.713 5.3: SSA, SSP, SST, SOR, SOG: format identifier, affected SSN,
 * affected PC (2 octets, 14 bits, low octet first), subsystem multiplicity
 * indicator; SSC adds the SCCP congestion level (5.3.2.x, 4 bits, 1..8).
 * Anything else (unknown type, short, long) is SCMG_BAD and MALFORMED. */
enum wire_result scmg_decode(struct scmg_info *g, struct bytes d, uint64_t *anom)
{
	memset(g, 0, sizeof *g);
	if (d.len < SCMG_LEN || d.p[0] < SCMG_SSA || d.p[0] > SCMG_SSC ||
	    d.len != SCMG_LEN + (d.p[0] == SCMG_SSC ? 1u : 0u)) {
		*anom |= ANOM_BIT(ANOM_SCMG_BAD);
		return WIRE_MALFORMED;
	}
	g->type = d.p[0];
	g->affected_ssn = d.p[1];
	g->affected_pc = (uint16_t)(d.p[2] | (d.p[3] & 0x3f) << 8);
	g->smi = d.p[4] & 0x03;
	if (g->type == SCMG_SSC) {
		g->has_congestion = true;
		g->congestion = d.p[5] & 0x0f;
		if (g->congestion < 1 || g->congestion > 8) {
			*anom |= ANOM_BIT(ANOM_SCMG_BAD);
			return WIRE_MALFORMED;
		}
	}
	g->present = true;
	return WIRE_OK;
}

/* The application of a decoded TCAP message (enum tcap_app). */
static void msu_app(struct msu *m, const struct msu_ctx *ctx)
{
	const struct tcap_info *t = &m->tcap;
	if (t->acn.p) {
		m->app = tcap_acn_app(t->acn);
		m->app_src = TCAP_APP_SRC_ACN;
		if (m->app == TCAP_APP_OTHER)
			m->anomalies |= ANOM_BIT(ANOM_ACN_UNKNOWN);
		return;
	}
	if (t->type == TCAP_BEGIN || t->type == TCAP_UNIDIRECTIONAL) {
		/* no dialogue portion: the MAP v1 form (CAP always has one) */
		m->app = TCAP_APP_MAP;
		m->app_src = TCAP_APP_SRC_V1;
		return;
	}
	uint8_t a = ctx && ctx->app_of && !m->returned ? ctx->app_of(ctx->arg, m) : TCAP_APP_NONE;
	if (a == TCAP_APP_MAP || a == TCAP_APP_CAP || a == TCAP_APP_OTHER) {
		m->app = a;
		m->app_src = TCAP_APP_SRC_TRANSACTION;
		return;
	}
	m->app = TCAP_APP_MAP;
	m->app_src = TCAP_APP_SRC_ASSUMED;
	if (t->n_components)
		m->anomalies |= ANOM_BIT(ANOM_TCAP_APP_ASSUMED);
}

enum wire_result msu_decode_upper(struct msu *m, struct bytes d, const struct msu_ctx *ctx)
{
	/* an ITU application-class constructed first octet is TCAP or broken
	 * TCAP (Q.773 4.2.1), never data to pass by its SSN */
	if (d.len == 0 || (d.p[0] & TCAP_ID_MASK) != TCAP_ID_APP_CONS) {
		/* not TCAP: SCCP management when it is addressed to SSN 1 (and
		 * not returned), else data the policy may pass by its SSN */
		const struct sccp_addr *cd = &m->sccp.cdpa;
		if (!m->returned && cd->has_ssn && cd->ssn == SCMG_SSN) {
			enum wire_result r = scmg_decode(&m->scmg, d, &m->anomalies);
			return r == WIRE_OK ? WIRE_OK : msu_fail(m, LAYER_TCAP, r);
		}
		m->anomalies |= ANOM_BIT(ANOM_NOT_TCAP);
		return msu_fail(m, LAYER_TCAP, WIRE_UNSUPPORTED);
	}
	enum wire_result r = tcap_decode(&m->tcap, d, &m->anomalies);
	if (r != WIRE_OK)
		return msu_fail(m, LAYER_TCAP, r);
	msu_app(m, ctx);
	/* Bytes after the TCAP message (tcap_decode: OK, trailing_bytes) may
	 * hide a second TCAP message from us, not from every peer: the MSU is
	 * MALFORMED at LAYER_TCAP (after MAP is decoded). */
	struct cur c = cur_of(d);
	struct ber_tlv whole;
	uint64_t ignore = 0;
	bool tcap_trailing = ber_next(&c, &whole, &ignore) == WIRE_OK && c.len > 0;

	enum wire_result first = WIRE_OK;
	unsigned n = m->tcap.n_components;
	if (n > TCAP_MAX_COMPONENTS)
		n = TCAP_MAX_COMPONENTS;
	/* MAP arguments for everything but CAP, which reuses the opcode
	 * values with arguments of its own */
	if (m->app == TCAP_APP_CAP)
		n = 0;
	for (unsigned i = 0; i < n; i++) {
		r = map_decode(&m->tcap, i, -1, &m->anomalies);
		if (r != WIRE_OK && r != WIRE_UNSUPPORTED && first == WIRE_OK)
			first = r;
	}
	if (tcap_trailing)
		return msu_fail(m, LAYER_TCAP, WIRE_MALFORMED);
	if (first != WIRE_OK)
		return msu_fail(m, LAYER_MAP, first);
	return WIRE_OK;
}

/* Layer by layer; the first layer that fails sets error_layer / error and
 * ends the decode, keeping what the layers before it (and it) filled in.
 * A non-first XUDT/LUDT segment carries no TCAP start: decoding stops after
 * SCCP without error (the SEGMENTED anomaly says why TCAP is absent; a
 * first segment's TCAP is incomplete and is not decoded either: the caller
 * reassembles and calls msu_decode_upper on the whole). SCCP data that is
 * neither TCAP nor SCCP management is NOT_TCAP, WIRE_UNSUPPORTED at
 * LAYER_TCAP: the policy decides by the called SSN (policy.passthrough_ssn).
 * map_decode answering UNSUPPORTED means "no MAP fields", not an error. */
enum wire_result msu_decode_ctx(struct msu *m, const uint8_t *buf, size_t len, const struct msu_ctx *ctx)
{
	/* The components (3 KB) are cleared one by one as tcap_decode fills
	 * them; only comp[0..n_components) is valid. */
	memset(m, 0, offsetof(struct msu, tcap) + offsetof(struct tcap_info, comp));
	enum wire_result r = m3ua_decode(&m->m3ua, buf, len, &m->anomalies);
	if (r != WIRE_OK)
		return msu_fail(m, LAYER_M3UA, r);
	/* Bytes after the announced length (one SCTP message holding a second
	 * M3UA message): a peer may read them as the next message, which
	 * nobody screened. m3ua_decode answers OK (trailing_bytes); the MSU
	 * as a whole cannot be screened. */
	if (m->m3ua.len < len)
		return msu_fail(m, LAYER_M3UA, WIRE_MALFORMED);
	if (m->m3ua.msg_class != M3UA_CLASS_XFER || m->m3ua.msg_type != M3UA_TYPE_DATA)
		return WIRE_OK;
	if (m->m3ua.si != MTP3_SI_SCCP) {
		m->anomalies |= ANOM_BIT(ANOM_NOT_SCCP);
		return WIRE_OK;
	}

	r = sccp_decode(&m->sccp, m->m3ua.upd, &m->anomalies);
	if (r != WIRE_OK)
		return msu_fail(m, LAYER_SCCP, r);
	uint8_t ty = m->sccp.type;
	m->returned = ty == SCCP_UDTS || ty == SCCP_XUDTS || ty == SCCP_LUDTS;
	if (msu_segmented(m))
		return WIRE_OK;
	return msu_decode_upper(m, m->sccp.data, ctx);
}

enum wire_result msu_decode(struct msu *m, const uint8_t *buf, size_t len)
{
	return msu_decode_ctx(m, buf, len, NULL);
}

bool msu_segmented(const struct msu *m)
{
	const struct sccp_info *s = &m->sccp;
	/* Q.713 3.17: "first segment" with 0 remaining is a whole message */
	return s->present && s->has_segment && !m->reassembled && !(s->seg_first && s->seg_remaining == 0);
}
