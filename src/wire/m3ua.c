/* M3UA (RFC 4666): common header (3.1), parameters (3.2), DATA (3.3.1).
 * See ss7fw/wire.h for the contract. */
#include <osmocom/sigtran/protocol/m3ua.h>
#include <string.h>

#include "ss7fw/wire.h"

#define M3UA_HDR_LEN        8   /* RFC 4666 3.1 */
#define M3UA_PARAM_HDR_LEN  4   /* RFC 4666 3.2: tag, length */
#define M3UA_PD_FIXED_LEN   12  /* RFC 4666 3.3.1: OPC, DPC, SI, NI, MP, SLS */
#define M3UA_MAX_PARAMS     32  /* distinct tags remembered for the duplicate check */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint32_t m3ua_msg_len(const uint8_t *buf, size_t len)
{
	if (len < M3UA_HDR_LEN)
		return 0;
	return be32(buf + 4);
}

const char *m3ua_class_name(uint8_t msg_class)
{
	switch (msg_class) {
	case M3UA_MSGC_MGMT: return "MGMT";
	case M3UA_MSGC_XFER: return "XFER";
	case M3UA_MSGC_SNM: return "SSNM";
	case M3UA_MSGC_ASPSM: return "ASPSM";
	case M3UA_MSGC_ASPTM: return "ASPTM";
	case M3UA_MSGC_RKM: return "RKM";
	default: return "?";
	}
}

/* RFC 4666 3.1.2 / 3.1.3: is (class, type) a message M3UA defines? */
static bool m3ua_known_msg(uint8_t cls, uint8_t type)
{
	switch (cls) {
	case M3UA_MSGC_MGMT: return type <= M3UA_MGMT_NTFY;
	case M3UA_MSGC_XFER: return type == M3UA_XFER_DATA;
	case M3UA_MSGC_SNM: return type >= M3UA_SNM_DUNA && type <= M3UA_SNM_DRST;
	case M3UA_MSGC_ASPSM: return type >= M3UA_ASPSM_UP && type <= M3UA_ASPSM_BEAT_ACK;
	case M3UA_MSGC_ASPTM: return type >= M3UA_ASPTM_ACTIVE && type <= M3UA_ASPTM_INACTIVE_ACK;
	case M3UA_MSGC_RKM: return type >= M3UA_RKM_REG_REQ && type <= M3UA_RKM_DEREG_RSP;
	default: return false;
	}
}

/* RFC 4666 3.3-3.6: the parameters a message must carry (at most two);
 * returns how many were written to need. DATA: Protocol Data (3.3.1); ERR:
 * Error Code (3.8.1); NTFY: Status (3.8.2); DUNA, DAVA, DAUD, SCON, DRST:
 * Affected Point Code (3.4), DUPU also User/Cause; REG REQ: Routing Key;
 * REG RSP: Registration Result; DEREG REQ: Routing Context; DEREG RSP:
 * Deregistration Result (3.6). ASPSM and ASPTM messages have none. */
static unsigned m3ua_mandatory(uint8_t cls, uint8_t type, uint16_t need[2])
{
	switch (cls) {
	case M3UA_MSGC_XFER:
		need[0] = M3UA_IEI_PROT_DATA;
		return 1;
	case M3UA_MSGC_MGMT:
		need[0] = type == M3UA_MGMT_ERR ? M3UA_IEI_ERR_CODE : M3UA_IEI_STATUS;
		return 1;
	case M3UA_MSGC_SNM:
		need[0] = M3UA_IEI_AFFECTED_PC;
		if (type == M3UA_SNM_DUPU) {
			need[1] = M3UA_IEI_USER_CAUSE;
			return 2;
		}
		return 1;
	case M3UA_MSGC_RKM:
		switch (type) {
		case M3UA_RKM_REG_REQ: need[0] = M3UA_IEI_ROUT_KEY; return 1;
		case M3UA_RKM_REG_RSP: need[0] = M3UA_IEI_REG_RESULT; return 1;
		case M3UA_RKM_DEREG_REQ: need[0] = M3UA_IEI_ROUTE_CTX; return 1;
		default: need[0] = M3UA_IEI_DEREG_RESULT; return 1;
		}
	default:
		return 0;
	}
}

/* RFC 4666 3.2: the parameter tags M3UA (and the common SIGTRAN set) defines. */
static bool m3ua_known_tag(uint16_t tag)
{
	switch (tag) {
	case M3UA_IEI_INFO_STRING: case M3UA_IEI_ROUTE_CTX: case M3UA_IEI_DIAG_INFO:
	case M3UA_IEI_HEARDBT_DATA: case M3UA_IEI_TRAF_MODE_TYP: case M3UA_IEI_ERR_CODE:
	case M3UA_IEI_STATUS: case M3UA_IEI_ASP_ID: case M3UA_IEI_AFFECTED_PC:
	case M3UA_IEI_CORR_ID: case M3UA_IEI_NET_APPEAR: case M3UA_IEI_USER_CAUSE:
	case M3UA_IEI_CONG_IND: case M3UA_IEI_CONC_DEST: case M3UA_IEI_ROUT_KEY:
	case M3UA_IEI_REG_RESULT: case M3UA_IEI_DEREG_RESULT: case M3UA_IEI_LOC_RKEY_ID:
	case M3UA_IEI_DEST_PC: case M3UA_IEI_SVC_IND: case M3UA_IEI_ORIG_PC:
	case M3UA_IEI_PROT_DATA: case M3UA_IEI_REG_STATUS: case M3UA_IEI_DEREG_STATUS:
		return true;
	default:
		return false;
	}
}

/* One parameter's value, by tag. Only the parameters the firewall needs are
 * read: Routing Context (3.3.1: one 32-bit value in DATA; a list elsewhere, of
 * which the first is kept), Network Appearance, Correlation Id and, in DATA,
 * Protocol Data. */
static enum wire_result m3ua_param(struct m3ua_info *m, bool is_data, uint16_t tag,
				   struct bytes v, uint64_t *anom)
{
	switch (tag) {
	case M3UA_IEI_ROUTE_CTX:
		if (v.len == 0 || v.len % 4 || (is_data && v.len != 4))
			return WIRE_MALFORMED;
		m->has_rc = true;
		m->rc = be32(v.p);
		return WIRE_OK;
	case M3UA_IEI_NET_APPEAR:
		if (v.len != 4)
			return WIRE_MALFORMED;
		m->has_na = true;
		m->na = be32(v.p);
		return WIRE_OK;
	case M3UA_IEI_CORR_ID:
		if (v.len != 4)
			return WIRE_MALFORMED;
		m->has_corr_id = true;
		m->corr_id = be32(v.p);
		return WIRE_OK;
	case M3UA_IEI_PROT_DATA:
		if (!is_data) {
			/* an MSU where none belongs: a peer that reads it would
			 * deliver what nobody screened */
			*anom |= ANOM_BIT(ANOM_M3UA_DATA_OUTSIDE_XFER);
			return WIRE_MALFORMED;
		}
		if (v.len < M3UA_PD_FIXED_LEN || m->has_pd) /* a second one past M3UA_MAX_PARAMS tags */
			return WIRE_MALFORMED;
		m->has_pd = true;
		m->opc = be32(v.p);
		m->dpc = be32(v.p + 4);
		m->si = v.p[8];
		/* SI is 4 bits (Q.704 14.2.1): a gateway building an MTP3 SIO
		 * from 0x13 would deliver it to SCCP, which we would not screen */
		if (m->si > 0x0f)
			return WIRE_MALFORMED;
		m->ni = v.p[9];
		m->mp = v.p[10];
		m->sls = v.p[11];
		m->upd.p = v.p + M3UA_PD_FIXED_LEN;
		m->upd.len = v.len - M3UA_PD_FIXED_LEN;
		return WIRE_OK;
	default:
		if (!m3ua_known_tag(tag) || is_data)
			*anom |= ANOM_BIT(ANOM_UNKNOWN_TAG);
		return WIRE_OK;
	}
}

/* RFC 4666 3.1 (common header) and 3.2 (parameter format). Parameters are
 * walked to the end of the message whatever its class. A parameter shorter
 * than its own header is MALFORMED; one running past the end of the message
 * is TRUNCATED. The padding after a value (3.2: to a multiple of 4, zero)
 * that is missing at the end of the message or not zero is M3UA_BAD_PADDING. */
enum wire_result m3ua_decode(struct m3ua_info *m, const uint8_t *buf, size_t len, uint64_t *anom)
{
	memset(m, 0, sizeof *m);
	if (len < M3UA_HDR_LEN) {
		*anom |= ANOM_BIT(ANOM_TRUNCATED);
		return WIRE_TRUNCATED;
	}
	m->present = true;
	m->version = buf[0];
	/* buf[1] is reserved: "SHOULD be set to all '0's and ignored by the receiver" */
	m->msg_class = buf[2];
	m->msg_type = buf[3];
	m->len = be32(buf + 4);
	if (m->version != M3UA_VERSION) {
		*anom |= ANOM_BIT(ANOM_M3UA_BAD_VERSION);
		return WIRE_MALFORMED;
	}
	if (m->len < M3UA_HDR_LEN)
		return WIRE_MALFORMED;
	if (m->len > len) {
		*anom |= ANOM_BIT(ANOM_TRUNCATED);
		return WIRE_TRUNCATED;
	}
	if (m->len < len)
		*anom |= ANOM_BIT(ANOM_TRAILING_BYTES);
	bool known = m3ua_known_msg(m->msg_class, m->msg_type);
	if (!known)
		*anom |= ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG);
	bool is_data = m->msg_class == M3UA_MSGC_XFER && m->msg_type == M3UA_XFER_DATA;

	uint16_t need[2];
	unsigned n_need = known ? m3ua_mandatory(m->msg_class, m->msg_type, need) : 0;
	unsigned found = 0;
	const uint8_t *p = buf + M3UA_HDR_LEN;
	size_t left = m->len - M3UA_HDR_LEN;
	uint16_t seen[M3UA_MAX_PARAMS];
	unsigned n_seen = 0;
	while (left > 0) {
		if (left < M3UA_PARAM_HDR_LEN) {
			*anom |= ANOM_BIT(ANOM_TRUNCATED);
			return WIRE_TRUNCATED;
		}
		uint16_t tag = be16(p);
		uint16_t plen = be16(p + 2);
		if (plen < M3UA_PARAM_HDR_LEN)
			return WIRE_MALFORMED;
		if (plen > left) {
			*anom |= ANOM_BIT(ANOM_TRUNCATED);
			return WIRE_TRUNCATED;
		}
		bool dup = false;
		for (unsigned i = 0; i < n_seen; i++)
			if (seen[i] == tag)
				dup = true;
		if (dup) {
			*anom |= ANOM_BIT(ANOM_M3UA_DUPLICATE_PARAM);
			/* A second Protocol Data in DATA: we read the first, a
			 * peer may take the last; two MSUs cannot be screened. */
			if (is_data && tag == M3UA_IEI_PROT_DATA)
				return WIRE_MALFORMED;
		} else if (n_seen < M3UA_MAX_PARAMS) {
			seen[n_seen++] = tag;
		}
		for (unsigned k = 0; k < n_need; k++)
			if (tag == need[k])
				found |= 1u << k;
		struct bytes v = { p + M3UA_PARAM_HDR_LEN, (size_t)plen - M3UA_PARAM_HDR_LEN };
		/* a duplicate is not read again: the first occurrence counts */
		if (!dup) {
			enum wire_result r = m3ua_param(m, is_data, tag, v, anom);
			if (r != WIRE_OK)
				return r;
		}
		p += plen;
		left -= plen;
		size_t pad = (4 - (plen & 3)) & 3;
		size_t have = pad < left ? pad : left;
		if (have < pad)
			*anom |= ANOM_BIT(ANOM_M3UA_BAD_PADDING);
		for (size_t i = 0; i < have; i++)
			if (p[i] != 0)
				*anom |= ANOM_BIT(ANOM_M3UA_BAD_PADDING);
		p += have;
		left -= have;
	}
	if (found != (1u << n_need) - 1) {
		*anom |= ANOM_BIT(ANOM_M3UA_MISSING_PARAM);
		return WIRE_MALFORMED;
	}
	return WIRE_OK;
}
