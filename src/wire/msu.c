/* ss7fw — whole-MSU decode: M3UA -> SCCP -> TCAP -> MAP (architecture.md,
 * "The path of one MSU"). See ss7fw/wire.h for the contract. */
#include <stddef.h>
#include <string.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define MTP3_SI_SCCP     3     /* Q.704 14.2.1 service indicator */
#define M3UA_CLASS_XFER  1     /* RFC 4666 3.1.2 */
#define M3UA_TYPE_DATA   1     /* RFC 4666 3.1.3 */

/* TCAP message tags (Q.773 4.2.1, [APPLICATION n] constructed) */
#define TCAP_TAG_UNI      0x61
#define TCAP_TAG_BEGIN    0x62
#define TCAP_TAG_END      0x64
#define TCAP_TAG_CONTINUE 0x65
#define TCAP_TAG_ABORT    0x67

/* 3GPP TS 23.003 8.1 (SCCP subsystem numbers): the subsystems that carry MAP. An absent
 * (or 0, "not known") SSN counts as MAP: the conservative choice, so that an
 * MSU cannot dodge MAP screening by omitting it. */
static bool msu_ssn_is_map(const struct sccp_addr *a)
{
	if (!a->present || !a->has_ssn || a->ssn == 0)
		return true;
	switch (a->ssn) {
	case 5:   /* MAP */
	case 6:   /* HLR */
	case 7:   /* VLR */
	case 8:   /* MSC */
	case 9:   /* EIR */
	case 10:  /* AuC */
	case 145: /* GMLC */
	case 147: /* gsmSCF (MAP) or IM-SSF (MAP) */
	case 148: /* SIWF */
	case 149: /* SGSN */
	case 150: /* GGSN */
		return true;
	default:
		return false;
	}
}

static bool msu_is_tcap_tag(uint8_t b)
{
	return b == TCAP_TAG_UNI || b == TCAP_TAG_BEGIN || b == TCAP_TAG_END ||
	       b == TCAP_TAG_CONTINUE || b == TCAP_TAG_ABORT;
}

static enum wire_result msu_fail(struct msu *m, uint8_t layer, enum wire_result r)
{
	m->error_layer = layer;
	m->error = (uint8_t)r;
	return r;
}

/* Layer by layer; the first layer that fails sets error_layer / error and
 * ends the decode, keeping what the layers before it (and it) filled in.
 * A non-first XUDT/LUDT segment carries no TCAP start: decoding stops after
 * SCCP without error (the SEGMENTED anomaly says why TCAP is absent). SCCP
 * data that does not start with an ITU TCAP message tag is NOT_TCAP, an
 * error at LAYER_TCAP: MALFORMED towards a MAP subsystem, else UNSUPPORTED.
 * map_decode answering UNSUPPORTED means "no MAP fields", not an error. */
enum wire_result msu_decode(struct msu *m, const uint8_t *buf, size_t len)
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
	m->to_map_ssn = msu_ssn_is_map(&m->sccp.cdpa);
	if (r != WIRE_OK)
		return msu_fail(m, LAYER_SCCP, r);
	if (m->sccp.has_segment && !m->sccp.seg_first)
		return WIRE_OK;

	struct bytes d = m->sccp.data;
	if (d.len == 0 || !msu_is_tcap_tag(d.p[0])) {
		m->anomalies |= ANOM_BIT(ANOM_NOT_TCAP);
		return msu_fail(m, LAYER_TCAP, m->to_map_ssn ? WIRE_MALFORMED : WIRE_UNSUPPORTED);
	}
	r = tcap_decode(&m->tcap, d, &m->anomalies);
	if (r != WIRE_OK)
		return msu_fail(m, LAYER_TCAP, r);
	/* Bytes after the TCAP message (tcap_decode: OK, trailing_bytes) may
	 * hide a second TCAP message from us, not from every peer: towards
	 * MAP the MSU is MALFORMED at LAYER_TCAP (after MAP is decoded). */
	/* A dialogue in a MAP application context is MAP whatever the called
	 * SSN says; CAP v1/v2 share that OID form with contexts 50..52. */
	if (!m->to_map_ssn && m->tcap.acn_is_map && (m->tcap.acn_ac < 50 || m->tcap.acn_ac > 52))
		m->to_map_ssn = true;
	bool tcap_trailing = false;
	if (m->to_map_ssn) {
		struct cur c = cur_of(d);
		struct ber_tlv whole;
		uint64_t ignore = 0;
		tcap_trailing = ber_next(&c, &whole, &ignore) == WIRE_OK && c.len > 0;
	}

	enum wire_result first = WIRE_OK;
	unsigned n = m->tcap.n_components;
	if (n > TCAP_MAX_COMPONENTS)
		n = TCAP_MAX_COMPONENTS;
	/* MAP arguments only on MAP traffic: CAP (SSN 146) and other TCAP
	 * users reuse the opcode values. */
	if (!m->to_map_ssn)
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
