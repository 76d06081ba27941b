/* ss7fw — policy evaluation: one decoded MSU against a compiled policy.
 * Reads the policy, never writes it; the only state touched is the
 * correlation table (lookups refresh its LRU order). No allocation. */
#include <stddef.h>
#include <string.h>

#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

/* MAP operation codes used by the checks (3GPP TS 29.002 17.5). */
enum {
	OP_MT_FORWARD_SM = 44,
	OP_SRI_SM = 45,
	OP_FORWARD_SM = 46,          /* MAP v1/v2 forwardSM; v3 mo-forwardSM */
	OP_RSDS = 47,
	OP_UPDATE_LOCATION = 2,
	OP_UPDATE_GPRS_LOCATION = 23,
	OP_PURGE_MS = 67,
	AC_SHORT_MSG_MT_RELAY = 25,  /* shortMsgMT-RelayContext */
};

static const char *const check_names[] = {
#define N(id, name, desc) name,
	POL_CHECKS(N)
#undef N
};
static const char *const check_descs[] = {
#define N(id, name, desc) desc,
	POL_CHECKS(N)
#undef N
};
static const char *const field_names[] = {
#define N(id, name, kind, level) name,
	POL_FIELDS(N)
#undef N
};

const char *pol_check_name(unsigned c) { return c < POL_CHK__COUNT ? check_names[c] : "?"; }
const char *pol_check_desc(unsigned c) { return c < POL_CHK__COUNT ? check_descs[c] : "?"; }
const char *pol_field_name(unsigned f) { return f < POL_F__COUNT ? field_names[f] : "?"; }

static inline bool set_has(const uint64_t set[4], int v)
{
	return v >= 0 && v < 256 && ((set[v >> 6] >> (v & 63)) & 1);
}

/* Two numbers equal in their canonical forms (a missing or empty number
 * equals nothing). */
static bool num_eq(const struct num *a, const struct num *b)
{
	if (!a->d || !b->d || a->n != b->n || a->n == 0)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (num_at(a, i) != num_at(b, i))
			return false;
	return true;
}

static inline const struct digits *gt_of(const struct sccp_addr *a)
{
	return a->present && a->gt.p && a->gt.n ? &a->gt : NULL;
}

static inline int local_op(const struct tcap_component *c)
{
	return c && c->has_opcode && !c->opcode_global ? c->opcode : -1;
}

static inline bool is_invoke_op(const struct tcap_component *c, int op)
{
	return c && c->type == TCAP_COMP_INVOKE && local_op(c) == op;
}

bool policy_is_mt_sms(const struct msu *m, const struct tcap_component *c)
{
	if (!c || c->type != TCAP_COMP_INVOKE)
		return false;
	int op = local_op(c);
	if (op == OP_MT_FORWARD_SM)
		return true;
	if (op != OP_FORWARD_SM)
		return false;
	if (m->tcap.acn_is_map && m->tcap.acn_ac == AC_SHORT_MSG_MT_RELAY)
		return true;
	/* Only a mobile-originated forward-SM has an SC address as SM-RP-DA;
	 * noSM-RP-DA is MT with the IMSI in the MAP-OPEN destination reference
	 * (TS 29.002 12.9), so a DA we cannot see makes it MT too. */
	uint8_t k = c->map.sm_rp_da.kind;
	return k == SM_RP_IMSI || k == SM_RP_LMSI || k == SM_RP_NO_ADDR;
}

static bool is_data(const struct msu *m)
{
	return m->m3ua.present && m->m3ua.msg_class == 1 && m->m3ua.msg_type == 1;
}

/* RFC 4666 3.1.2: the classes that manage the association and the network
 * (MGMT, SSNM, ASPSM, ASPTM, RKM), as opposed to transfer (1). */
static bool m3ua_mgmt_class(uint8_t cls)
{
	return cls == 0 || (cls >= 2 && cls <= 4) || cls == 9;
}

bool policy_malformed(const struct policy *p, const struct msu *m, bool bad_global)
{
	if (m->error_layer == LAYER_M3UA)
		return true;
	if (!is_data(m)) {
		if (!(m->anomalies & ANOM_BIT(ANOM_M3UA_UNKNOWN_MSG)))
			return false;
		return !(p && p->cfg.m3ua_unknown == POL_M3UA_UNKNOWN_RELAY_MGMT &&
			 m3ua_mgmt_class(m->m3ua.msg_class));
	}
	if (!m->m3ua.has_pd || m->m3ua.si != 3)
		return false;        /* ISUP, BICC, SNM: not ours to decode */
	if (m->error_layer == LAYER_SCCP)
		return true;         /* also connection-oriented SCCP */
	if (msu_segmented(m))
		return !m->returned; /* a segment not reassembled cannot be screened;
				      * a returned one is only the first part of ours */
	const struct sccp_addr *cd = &m->sccp.cdpa;
	if (m->error_layer == LAYER_TCAP && m->error == WIRE_UNSUPPORTED)
		return !(p && cd->has_ssn && set_has(p->cfg.passthrough_ssn, cd->ssn));
	if (bad_global || m->error_layer != LAYER_NONE)
		return true;
	if (m->anomalies & (ANOM_BIT(ANOM_TOO_MANY_COMPONENTS) | ANOM_BIT(ANOM_TRUNCATED) |
			    ANOM_BIT(ANOM_MAP_UNDECODED)))
		return true;
	if (!m->tcap.present)
		return !m->scmg.present;
	for (unsigned i = 0; i < m->tcap.n_components && i < TCAP_MAX_COMPONENTS; i++) {
		const struct tcap_component *c = &m->tcap.comp[i];
		if (c->map.state == MAP_DECODE_FAILED)
			return true;
		if (c->type == TCAP_COMP_INVOKE && !c->has_opcode)
			return true;
	}
	return false;
}

const struct num_plan *policy_plan(const struct policy *p, int link)
{
	if (link >= 0 && (uint32_t)link < p->n_links && p->links[link].partner >= 0) {
		const struct pol_partner *pt = &p->partners[p->links[link].partner];
		if (pt->has_plan)
			return &pt->plan;
	}
	return &p->home_plan;
}

/* 0.4.0.0.1.3.<op>: content octets 04 00 00 01 03 then <op> in base 128. */
static int global_to_local(struct bytes oid)
{
	static const uint8_t pre[] = { 0x04, 0x00, 0x00, 0x01, 0x03 };
	if (!oid.p || oid.len <= sizeof pre || oid.len > sizeof pre + 2 ||
	    memcmp(oid.p, pre, sizeof pre) != 0)
		return -1;
	uint32_t v = 0;
	for (size_t i = sizeof pre; i < oid.len; i++) {
		bool last = i + 1 == oid.len;
		if (((oid.p[i] & 0x80) != 0) == last)
			return -1;
		if (i == sizeof pre && oid.p[i] == 0x80)
			return -1;   /* non-minimal arc */
		v = (v << 7) | (oid.p[i] & 0x7f);
	}
	return v <= 255 ? (int)v : -1;
}

const struct msu *policy_canon(const struct msu *m, struct msu *scratch, bool *bad)
{
	*bad = false;
	bool need = false;
	unsigned n = m->tcap.present ? m->tcap.n_components : 0;
	if (n > TCAP_MAX_COMPONENTS)
		n = TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n; i++)
		if (m->tcap.comp[i].has_opcode && m->tcap.comp[i].opcode_global)
			need = true;
	if (!need)
		return m;
	/* the decoded part only: tcap.comp[0..n) is the last thing in struct msu */
	memcpy(scratch, m, offsetof(struct msu, tcap) + offsetof(struct tcap_info, comp) +
	       n * sizeof(struct tcap_component));
	for (unsigned i = 0; i < n; i++) {
		struct tcap_component *c = &scratch->tcap.comp[i];
		if (!c->has_opcode || !c->opcode_global)
			continue;
		int op = global_to_local(c->opcode_oid);
		if (op < 0) {
			*bad = true;
			continue;
		}
		c->opcode_global = false;
		c->opcode = op;
		if (c->map.state != MAP_DECODED && c->param.len) {
			memset(&c->map, 0, sizeof c->map);
			/* as msu_decode does: a failure (also an undecodable
			 * SM-RP-UI, which leaves the state MAP_DECODED) is an
			 * error at LAYER_MAP, so the MSU is malformed */
			enum wire_result r = map_decode(&scratch->tcap, i, -1, &scratch->anomalies);
			if (r != WIRE_OK && r != WIRE_UNSUPPORTED && scratch->error_layer == LAYER_NONE) {
				scratch->error_layer = LAYER_MAP;
				scratch->error = (uint8_t)r;
			}
		}
	}
	return scratch;
}

/* ---- evaluation of one rule against one component (or none) */
struct eval_ctx {
	const struct policy *p;
	const struct pol_input *in;
	const struct msu *m;
	const struct tcap_component *c;  /* the component screened (TCAP fields) */
	const struct tcap_component *mc; /* the same when its content is MAP (m->app MAP or
					  * OTHER), else NULL: MAP operations, fields and checks
					  * only there, so CAP opcodes are not read as MAP ones */
	const struct tcap_component *cc; /* the same when its content is CAP, else NULL */
	const struct num_plan *plan;     /* national numbers are read with it */
	bool tcap;                       /* the TCAP fields are screened: TCAP present and
					  * not the returned payload of a service message */
	struct num cg, cd;               /* calling / called GT, canonical (d NULL: none) */
	int unsolicited;             /* cached TCAP_UNSOLICITED: -1 unknown */
	uint64_t rate_seen, rate_fired;  /* rate_limit rules (index < 64) decided for this MSU */
	struct pol_result *r;
};

static int set_value(const struct eval_ctx *x, unsigned f)
{
	const struct msu *m = x->m;
	const struct tcap_component *c = x->c;
	switch (f) {
	case POL_F_LINK: return x->in->link;
	case POL_F_DIR: return x->in->dir;
	case POL_F_SI: return m->m3ua.has_pd ? m->m3ua.si : -1;
	case POL_F_NI: return m->m3ua.has_pd ? m->m3ua.ni : -1;
	case POL_F_SCCP_TYPE: return m->sccp.present ? m->sccp.type : -1;
	case POL_F_CDPA_SSN: return m->sccp.cdpa.present && m->sccp.cdpa.has_ssn ? m->sccp.cdpa.ssn : -1;
	case POL_F_CGPA_SSN: return m->sccp.cgpa.present && m->sccp.cgpa.has_ssn ? m->sccp.cgpa.ssn : -1;
	case POL_F_CDPA_TT: return m->sccp.cdpa.has_tt ? m->sccp.cdpa.tt : -1;
	case POL_F_CDPA_NP: return m->sccp.cdpa.has_np ? m->sccp.cdpa.np : -1;
	case POL_F_CDPA_NAI: return m->sccp.cdpa.has_nai ? m->sccp.cdpa.nai : -1;
	case POL_F_CGPA_TT: return m->sccp.cgpa.has_tt ? m->sccp.cgpa.tt : -1;
	case POL_F_CGPA_NP: return m->sccp.cgpa.has_np ? m->sccp.cgpa.np : -1;
	case POL_F_CGPA_NAI: return m->sccp.cgpa.has_nai ? m->sccp.cgpa.nai : -1;
	case POL_F_TCAP_TYPE: return x->tcap ? m->tcap.type : -1;
	case POL_F_ACN_AC: return x->tcap && m->tcap.acn_is_map ? m->tcap.acn_ac : -1;
	case POL_F_ACN_VERSION: return x->tcap && m->tcap.acn_is_map ? m->tcap.acn_version : -1;
	case POL_F_COMP_TYPE: return c ? c->type : -1;
	case POL_F_OPCODE: return local_op(c);
	case POL_F_MAP_OP: return local_op(x->mc);
	case POL_F_SM_RP_DA_KIND: return x->mc && x->mc->map.state == MAP_DECODED ? x->mc->map.sm_rp_da.kind : -1;
	case POL_F_SM_RP_OA_KIND: return x->mc && x->mc->map.state == MAP_DECODED ? x->mc->map.sm_rp_oa.kind : -1;
	case POL_F_TP_MTI: return x->mc && x->mc->map.tp.present ? x->mc->map.tp.mti : -1;
	case POL_F_TCAP_APP: return x->tcap ? m->app : TCAP_APP_NONE;
	case POL_F_CAP_OP: return local_op(x->cc);
	case POL_F_SCMG_TYPE: return m->scmg.present ? m->scmg.type : -1;
	case POL_F_SCMG_SSN: return m->scmg.present ? m->scmg.affected_ssn : -1;
	default: return -1;
	}
}

static bool addr_num(const struct eval_ctx *x, const struct map_addr *a, struct num *out)
{
	if (!a->present || !a->d.n)
		return false;
	num_canon(out, &a->d, num_form_ton(a->ton, a->npi), x->plan);
	return true;
}

/* SM-RP-DA / SM-RP-OA: an address by its TON, an IMSI or LMSI as it is. */
static bool sm_rp_num(const struct eval_ctx *x, const struct map_sm_rp *r, struct num *out)
{
	if (r->kind == SM_RP_NONE || !r->d.n)
		return false;
	bool addr = r->kind == SM_RP_MSISDN || r->kind == SM_RP_SC_ADDR;
	num_canon(out, &r->d, addr ? num_form_ton(r->ton, r->npi) : NUM_OTHER, x->plan);
	return true;
}

/* TP-OA of an SMS-DELIVER (want_oa) or TP-DA of an SMS-SUBMIT, numeric. */
static bool tp_num(const struct eval_ctx *x, const struct map_fields *mf, bool want_oa, struct num *out)
{
	const struct sms_tpdu *tp = &mf->tp;
	if (!tp->present || tp->mti != (want_oa ? SMS_MTI_DELIVER : SMS_MTI_SUBMIT) ||
	    !tp->addr.present || tp->addr.alnum || !tp->addr.d.n)
		return false;
	num_canon(out, &tp->addr.d, num_form_ton(tp->addr.ton, tp->addr.npi), x->plan);
	return true;
}

/* The number a PFX field tests, in its canonical form (docs/policy.md,
 * "Numbers"); false when the MSU has none. */
static bool num_value(const struct eval_ctx *x, unsigned f, struct num *out)
{
	if (f == POL_F_CDPA_GT || f == POL_F_CGPA_GT) {
		*out = f == POL_F_CDPA_GT ? x->cd : x->cg;   /* computed once per MSU */
		return out->d != NULL;
	}
	if (!x->mc)
		return false;
	const struct map_fields *mf = &x->mc->map;
	switch (f) {
	case POL_F_MSISDN: return addr_num(x, &mf->msisdn, out);
	case POL_F_IMSI:
		if (!mf->imsi.p || !mf->imsi.n)
			return false;
		num_canon(out, &mf->imsi, NUM_OTHER, NULL);
		return true;
	case POL_F_SC_ADDR: return addr_num(x, &mf->sc_addr, out);
	case POL_F_SM_RP_DA: return sm_rp_num(x, &mf->sm_rp_da, out);
	case POL_F_SM_RP_OA: return sm_rp_num(x, &mf->sm_rp_oa, out);
	case POL_F_TP_OA: return tp_num(x, mf, true, out);
	case POL_F_TP_DA: return tp_num(x, mf, false, out);
	default: return false;
	}
}

static bool cond_true(const struct eval_ctx *x, const struct pol_cond *k)
{
	const struct msu *m = x->m;
	switch (k->field) {
	case POL_F_OPC:
	case POL_F_DPC: {
		if (!m->m3ua.has_pd)
			return false;
		uint32_t v = k->field == POL_F_OPC ? m->m3ua.opc : m->m3ua.dpc;
		for (uint32_t i = 0; i < k->n_ints; i++)
			if (k->ints[i] == v)
				return true;
		return false;
	}
	case POL_F_CDPA_GT: case POL_F_CGPA_GT: case POL_F_MSISDN: case POL_F_IMSI:
	case POL_F_SC_ADDR: case POL_F_SM_RP_DA: case POL_F_SM_RP_OA: case POL_F_TP_OA:
	case POL_F_TP_DA: {
		struct num n;
		return num_value(x, k->field, &n) && pfx_match_num(k->pfx, &n);
	}
	case POL_F_SCMG_PC:
		if (!m->scmg.present)
			return false;
		for (uint32_t i = 0; i < k->n_ints; i++)
			if (k->ints[i] == m->scmg.affected_pc)
				return true;
		return false;
	case POL_F_ACN:
		if (!x->tcap || !m->tcap.acn.p)
			return false;
		for (unsigned i = 0; i < k->n_acn; i++)
			if (k->acn_len[i] == m->tcap.acn.len &&
			    memcmp(k->acn[i], m->tcap.acn.p, k->acn_len[i]) == 0)
				return true;
		return false;
	case POL_F_ANOMALY:
		return (m->anomalies & k->anom) != 0;
	case POL_F_MALFORMED:
		return x->in->malformed == k->b;
	case POL_F_TP_OA_ALNUM:
		return x->mc && x->mc->map.tp.present && x->mc->map.tp.addr.present &&
		       x->mc->map.tp.addr.alnum == k->b;
	default:
		return set_has(k->set, set_value(x, k->field));
	}
}

/* The AA.19 SMSC set for this MSU: the link's partner's, else every partner's. */
static const struct pfx_set *smsc_set(const struct eval_ctx *x)
{
	const struct policy *p = x->p;
	int l = x->in->link;
	if (l >= 0 && (uint32_t)l < p->n_links && p->links[l].partner >= 0)
		return p->partners[p->links[l].partner].smsc;
	return p->all_partner_smsc;
}

static bool unsolicited(struct eval_ctx *x)
{
	if (x->unsolicited >= 0)
		return x->unsolicited;
	const struct msu *m = x->m;
	bool r = false;
	if (x->in->dir == FW_DIR_IN && x->tcap && x->in->trk &&
	    (m->tcap.type == TCAP_CONTINUE || m->tcap.type == TCAP_END ||
	     m->tcap.type == TCAP_ABORT) && m->tcap.dtid.p && m->tcap.dtid.len) {
		struct track_key k;
		static const struct digits none = { 0, 0 };
		const struct digits *node = gt_of(&m->sccp.cdpa);
		track_key_tid(&k, FW_DIR_OUT, node ? node : &none, m->tcap.dtid);
		r = !track_get(x->in->trk, &k, x->in->now_ms);
	}
	x->unsolicited = r;
	return r;
}

static bool in_home(const struct policy *p, const struct num *n)
{
	return n->d && pfx_match_num(p->home_nodes, n);   /* home.gt and home.smsc */
}

static bool home_pc(const struct policy *p, uint16_t pc)
{
	for (uint32_t i = 0; i < p->n_home_pc; i++)
		if (p->home_pc[i] == pc)
			return true;
	return false;
}

/* IR.71 2.1.1, per operation: the MAP addresses that name the node which
 * sent it (docs/policy.md, "own_address"). Addresses that name the
 * receiver (the SC address of alertServiceCentre and informServiceCentre,
 * SM-RP-DA, the subscriber's MSISDN) are ours by design and not tested. */
static bool own_sender_field(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	struct num n;
	if (!c || c->type != TCAP_COMP_INVOKE)
		return false;
	const struct map_fields *mf = &c->map;
	switch (local_op(c)) {
	case OP_SRI_SM:
	case OP_RSDS:
		return addr_num(x, &mf->sc_addr, &n) && in_home(p, &n);
	case OP_MT_FORWARD_SM:
	case OP_FORWARD_SM:
		return mf->sm_rp_oa.kind == SM_RP_SC_ADDR && sm_rp_num(x, &mf->sm_rp_oa, &n) &&
		       in_home(p, &n);
	case OP_UPDATE_LOCATION:
	case OP_UPDATE_GPRS_LOCATION:
	case OP_PURGE_MS:
		/* the VLR/MSC/SGSN number of the node that registers or purges */
		return (addr_num(x, &mf->vlr, &n) && in_home(p, &n)) ||
		       (addr_num(x, &mf->msc, &n) && in_home(p, &n)) ||
		       (addr_num(x, &mf->sgsn, &n) && in_home(p, &n));
	default:
		return false;
	}
}

/* ---- FS.11 categories 2 and 3, SMS-MO, SMS correlation, rate limits
 * (docs/policy.md, "FS.11 categories 2 and 3") */
enum { OP_RESET = 37 };

/* The first partner whose network GTs (gt, hlr, vlr, msc, sgsn) hold n; -1. */
int policy_partner_of_gt(const struct policy *p, const struct num *n)
{
	if (!n->d || !n->n)
		return -1;
	for (uint32_t i = 0; i < p->n_partners; i++)
		if (p->partners[i].nodes && pfx_match_num(p->partners[i].nodes, n))
			return (int)i;
	return -1;
}

/* The subscriber a component names: its IMSI, else its MSISDN (the
 * SM-RP-OA MSISDN of an MO forward-SM, the SM-RP-DA IMSI of an MT one). */
struct subscriber {
	bool is_imsi;
	struct num n;
};

static bool subscriber_of(const struct eval_ctx *x, const struct tcap_component *c, struct subscriber *s)
{
	const struct map_fields *mf = &c->map;
	if (mf->imsi.p && mf->imsi.n) {
		s->is_imsi = true;
		num_canon(&s->n, &mf->imsi, NUM_OTHER, NULL);
		return true;
	}
	if (mf->sm_rp_da.kind == SM_RP_IMSI && mf->sm_rp_da.d.n) {
		s->is_imsi = true;
		num_canon(&s->n, &mf->sm_rp_da.d, NUM_OTHER, NULL);
		return true;
	}
	s->is_imsi = false;
	if (addr_num(x, &mf->msisdn, &s->n))
		return true;
	if (mf->sm_rp_oa.kind == SM_RP_MSISDN && sm_rp_num(x, &mf->sm_rp_oa, &s->n))
		return true;
	return false;
}

static bool sub_home(const struct policy *p, const struct subscriber *s)
{
	return pfx_match_num(s->is_imsi ? p->home_imsi : p->home_msisdn, &s->n);
}

static bool sub_of_partner(const struct pol_partner *pt, const struct subscriber *s)
{
	const struct pfx_set *set = s->is_imsi ? pt->imsi : pt->e164;
	return set && pfx_match_num(set, &s->n);
}

/* Category 2: 1 home subscriber, 2 a partner's from outside its network,
 * 3 no known network's; 0 allowed or not applicable. */
static int cat2_class(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	if (x->in->dir != FW_DIR_IN || !c || c->type != TCAP_COMP_INVOKE || !set_has(p->fs11_cat2, local_op(c)))
		return 0;
	struct subscriber s;
	if (!subscriber_of(x, c, &s)) {
		/* reset names its HLR, not a subscriber */
		struct num h;
		if (local_op(c) != OP_RESET || !addr_num(x, &c->map.hlr, &h))
			return 0;
		if (in_home(p, &h))
			return 1;
		int hp = policy_partner_of_gt(p, &h);
		if (hp < 0)
			return 3;
		return x->cg.d && pfx_match_num(p->partners[hp].nodes, &x->cg) ? 0 : 2;
	}
	if (sub_home(p, &s))
		return 1;
	bool owned = false;
	for (uint32_t i = 0; i < p->n_partners; i++) {
		if (!sub_of_partner(&p->partners[i], &s))
			continue;
		owned = true;
		if (x->cg.d && pfx_match_num(p->partners[i].nodes, &x->cg))
			return 0;
	}
	return owned ? 2 : 3;
}

/* Category 3 (a): a VLR/MSC/SGSN number outside the calling GT's network. */
static bool cat3_consistency(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	if (x->in->dir != FW_DIR_IN || !c || c->type != TCAP_COMP_INVOKE || !set_has(p->fs11_cat3, local_op(c)))
		return false;
	const struct map_addr *nodes[] = { &c->map.vlr, &c->map.msc, &c->map.sgsn };
	int cgp = x->cg.d ? policy_partner_of_gt(p, &x->cg) : -1;
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
		struct num n;
		if (!addr_num(x, nodes[i], &n))
			continue;
		int np = policy_partner_of_gt(p, &n);
		if (np < 0 && cgp < 0)
			continue;    /* neither known: link screening's business */
		if (cgp >= 0 && pfx_match_num(p->partners[cgp].nodes, &n))
			continue;
		if (np >= 0 && x->cg.d && pfx_match_num(p->partners[np].nodes, &x->cg))
			continue;    /* overlapping ranges: some network holds both */
		return true;
	}
	return false;
}

/* Location state of a home subscriber: 1 registered elsewhere, 0 here (or
 * in the network it left within the grace window), -1 no state. */
static int location_state(struct eval_ctx *x, const struct subscriber *s, uint32_t net)
{
	struct track *t = x->in->trk;
	if (!t)
		return -1;
	bool any = false;
	for (uint8_t dom = 0; dom < 4; dom++) {
		if (s->is_imsi == (dom >= POL_DOM_MSISDN))
			continue;
		struct track_key k;
		uint32_t v;
		track_key_fs11(&k, TRACK_KIND_LOC, dom, &s->n, NULL);
		if (track_get_val32(t, &k, x->in->now_ms, &v)) {
			any = true;
			if (v == net)
				return 0;
		}
		track_key_fs11(&k, TRACK_KIND_LOC_PREV, dom, &s->n, NULL);
		if (track_get_val32(t, &k, x->in->now_ms, &v) && v == net)
			return 0;
	}
	return any ? 1 : -1;
}

static bool is_mo_sms(const struct msu *m, const struct tcap_component *c)
{
	return is_invoke_op(c, OP_FORWARD_SM) && !policy_is_mt_sms(m, c);
}

static bool cat3_location(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	if (x->in->dir != FW_DIR_IN || !c || c->type != TCAP_COMP_INVOKE ||
	    !set_has(p->fs11_cat3_location, local_op(c)))
		return false;
	if (local_op(c) == OP_FORWARD_SM && !is_mo_sms(x->m, c))
		return false;
	struct subscriber s;
	if (!subscriber_of(x, c, &s) || !sub_home(p, &s))
		return false;        /* only our subscribers' registrations are learned */
	int cgp = x->cg.d ? policy_partner_of_gt(p, &x->cg) : -1;
	int st = location_state(x, &s, cgp >= 0 ? p->partners[cgp].net_id : 0);
	if (st < 0)
		return p->cfg.location_missing == POL_MISSING_FIRE;
	return st > 0;
}

uint32_t policy_travel_time(const struct policy *p, uint16_t a, uint16_t b)
{
	for (uint32_t i = 0; i < p->n_travel; i++)
		if ((p->travel[i].a == a && p->travel[i].b == b) || (p->travel[i].a == b && p->travel[i].b == a))
			return p->travel[i].secs;
	return p->cfg.travel_time_s;
}

static bool cat3_velocity(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	if (x->in->dir != FW_DIR_IN || !x->in->trk ||
	    !(is_invoke_op(c, OP_UPDATE_LOCATION) || is_invoke_op(c, OP_UPDATE_GPRS_LOCATION)))
		return false;
	struct subscriber s;
	if (!subscriber_of(x, c, &s) || !s.is_imsi || !sub_home(p, &s))
		return false;
	int cgp = x->cg.d ? policy_partner_of_gt(p, &x->cg) : -1;
	if (cgp < 0 || !p->partners[cgp].country)
		return false;
	struct track_key k;
	uint32_t v;
	track_key_fs11(&k, TRACK_KIND_VELOCITY, 0, &s.n, NULL);
	if (!track_get_val32(x->in->trk, &k, x->in->now_ms, &v))
		return false;
	uint16_t was = (uint16_t)(v >> POL_VEL_MIN_BITS);
	uint16_t now_c = p->partners[cgp].country;
	if (!was || was == now_c)
		return false;
	uint32_t mins = (uint32_t)((x->in->now_ms / 60000 - (v & POL_VEL_MIN_MASK)) & POL_VEL_MIN_MASK);
	return (uint64_t)mins * 60 < policy_travel_time(p, was, now_c);
}

static bool sms_mo_oa(struct eval_ctx *x, const struct tcap_component *c)
{
	const struct policy *p = x->p;
	struct num n;
	if (x->in->dir != FW_DIR_IN || !is_mo_sms(x->m, c) || c->map.state != MAP_DECODED)
		return false;
	/* to our SMSC: its SM-RP-DA or the called GT is one of ours */
	bool ours = (c->map.sm_rp_da.kind == SM_RP_SC_ADDR && sm_rp_num(x, &c->map.sm_rp_da, &n) &&
		     pfx_match_num(p->home_smsc, &n)) ||
		    (x->cd.d && pfx_match_num(p->home_smsc, &x->cd));
	if (!ours)
		return false;
	return !(c->map.sm_rp_oa.kind == SM_RP_MSISDN && sm_rp_num(x, &c->map.sm_rp_oa, &n) &&
		 pfx_match_num(p->home_msisdn, &n));
}

static bool sms_mo_da(struct eval_ctx *x, const struct tcap_component *c)
{
	struct num n;
	if (x->in->dir != FW_DIR_IN || !is_mo_sms(x->m, c) || c->map.state != MAP_DECODED)
		return false;
	if (c->map.sm_rp_da.kind != SM_RP_SC_ADDR || !sm_rp_num(x, &c->map.sm_rp_da, &n))
		return true;
	return !num_eq(&n, &x->cd);
}

static bool fsm_solicited(struct eval_ctx *x, const struct tcap_component *c)
{
	if (x->in->dir != FW_DIR_IN)
		return false;
	const struct msu *m = x->m;
	const struct digits *who = NULL;   /* the subscriber, as our HLR's answer named it */
	uint8_t sub = 0;                   /* 0: by IMSI, 1: by the LMSI given with it */
	if (c && policy_is_mt_sms(m, c)) {
		if (c->map.state != MAP_DECODED)
			return false;      /* malformed: policy.malformed's */
		switch (c->map.sm_rp_da.kind) {
		case SM_RP_IMSI:
			who = &c->map.sm_rp_da.d;
			break;
		case SM_RP_LMSI:
			who = &c->map.sm_rp_da.d;
			sub = 1;
			break;
		case SM_RP_NO_ADDR:
			/* the IMSI is in the MAP-OPEN's destinationReference (TS
			 * 29.002 7.3, 12.9): of this Begin, else of the Begin that
			 * opened the dialogue, which was screened below */
			if (!m->tcap.has_dest_ref)
				return false;
			who = &m->tcap.dest_ref;
			break;
		default:
			break;             /* an MSISDN or SC address names no subscriber our HLR located */
		}
	} else if (m->tcap.type == TCAP_BEGIN && m->tcap.has_dest_ref && m->tcap.acn_is_map &&
		   m->tcap.acn_ac == AC_SHORT_MSG_MT_RELAY) {
		/* a Begin that opens an MT relay dialogue (the forward-SM follows
		 * in a Continue when it does not fit) names the IMSI here */
		who = &m->tcap.dest_ref;
	} else {
		return false;
	}
	struct track *t = x->in->trk;
	if (!t)
		return true;
	if (!track_kind_seen(t, TRACK_KIND_SRI_ANSWER) && x->p->cfg.fsm_unarmed == POL_MISSING_PASS) {
		/* no answer of our HLR has reached the table: just started, or
		 * the answers take another path; a missing answer says nothing */
		if (x->r)
			x->r->fsm_unarmed = true;
		return false;
	}
	if (!who || !who->n || !x->cg.d)
		return true;
	struct num id;
	num_canon(&id, who, NUM_OTHER, NULL);
	struct track_key k;
	track_key_fs11(&k, TRACK_KIND_SRI_ANSWER, sub, &id, &x->cg);
	if (track_get(t, &k, x->in->now_ms))
		return false;
	uint64_t v;
	track_key_fs11(&k, TRACK_KIND_SRI_BY_IMSI, 0, &id, NULL);
	if (sub == 0 && x->r && !x->r->perpetrator[0] && track_get_val64(t, &k, x->in->now_ms, &v))
		policy_unpack_digits(v, x->r->perpetrator, sizeof x->r->perpetrator);
	return true;
}

/* Token bucket of a rate_limit rule: tokens in thousandths (32 bits) and
 * the time of the last refill in ms mod 2^32, in one 64-bit value; an
 * absent bucket (never seen, expired once full again, or evicted) is full. */
static bool rate_empty(struct eval_ctx *x, const struct pol_rule *r)
{
	struct track *t = x->in->trk;
	if (!t)
		return false;
	struct track_key k;
	k.len = 0;
	k.b[k.len++] = TRACK_KIND_RATE;
	k.b[k.len++] = r->per;
	memcpy(k.b + k.len, &r->name_hash, 4);
	k.len += 4;
	switch (r->per) {
	case POL_RATE_CALLING_GT:
		k.b[k.len++] = x->cg.d ? x->cg.n : 0;
		for (unsigned i = 0; x->cg.d && i < x->cg.n && i < TRACK_KEY_DIGITS; i += 2)
			k.b[k.len++] = (uint8_t)(num_at(&x->cg, i) | (i + 1 < x->cg.n ? num_at(&x->cg, i + 1) << 4 : 0));
		break;
	case POL_RATE_PARTNER: {
		int l = x->in->link;
		int pi = l >= 0 && (uint32_t)l < x->p->n_links ? x->p->links[l].partner : -1;
		if (pi < 0 && x->cg.d)
			pi = policy_partner_of_gt(x->p, &x->cg);
		uint32_t id = pi >= 0 ? x->p->partners[pi].net_id : 0;
		memcpy(k.b + k.len, &id, 4);
		k.len += 4;
		break;
	}
	case POL_RATE_OPERATION: {
		int op = local_op(x->c);
		k.b[k.len++] = op >= 0 ? (uint8_t)op : 0xff;
		k.b[k.len++] = op >= 0 ? 1 : 0;
		break;
	}
	default:
		break;
	}
	uint64_t cap = (uint64_t)r->burst * 1000;
	uint64_t tokens = cap;
	uint64_t now = x->in->now_ms;
	uint64_t v;
	uint32_t stamp = (uint32_t)now;
	if (track_get_val64(t, &k, now, &v)) {
		uint32_t last = (uint32_t)(v >> 32);
		int32_t dt = (int32_t)(stamp - last);
		if (dt < 0) {
			/* an MSU stamped before the bucket's last refill (another
			 * worker ahead, a capture out of order): no refill, and
			 * the bucket keeps its time */
			dt = 0;
			stamp = last;
		}
		tokens = (uint32_t)v + (uint64_t)((double)dt * r->rate);
		if (tokens > cap)
			tokens = cap;
	}
	bool empty = tokens < 1000;
	if (!empty)
		tokens -= 1000;
	/* kept until it would be full again (counted from its own time) */
	uint64_t ttl = (uint64_t)((double)(cap - tokens) / r->rate) + 1000 + (uint32_t)(stamp - (uint32_t)now);
	track_put_val64(t, &k, now, ttl, (uint64_t)stamp << 32 | (uint32_t)tokens);
	return empty;
}

static bool rate_limit(struct eval_ctx *x, const struct pol_rule *r)
{
	unsigned ri = (unsigned)(r - x->p->rules);
	if (ri < 64 && (x->rate_seen >> ri & 1))
		return x->rate_fired >> ri & 1;   /* one token per MSU, not per component */
	bool f = rate_empty(x, r);
	if (ri < 64) {
		x->rate_seen |= UINT64_C(1) << ri;
		if (f)
			x->rate_fired |= UINT64_C(1) << ri;
	}
	return f;
}

static bool check_fires(struct eval_ctx *x, unsigned chk)
{
	const struct policy *p = x->p;
	const struct msu *m = x->m;
	const struct tcap_component *c = x->mc;  /* the checks are MAP checks */
	struct num n;
	const struct num cg = x->cg;
	bool has_cg = cg.d != NULL;
	bool in = x->in->dir == FW_DIR_IN;
	switch (chk) {
	case POL_CHK_LINK_SCREENING: {
		int l = x->in->link;
		/* SCCP management routes on point code and SSN, without GTs:
		 * the scmg check screens it */
		if (!in || !m->sccp.present || m->scmg.present || l < 0 || (uint32_t)l >= p->n_links ||
		    p->links[l].partner < 0)
			return false;
		const struct pfx_set *gt = p->partners[p->links[l].partner].gt;
		return !(has_cg && cg.e164 && pfx_match_num(gt, &cg));
	}
	case POL_CHK_OWN_ADDRESS:
		if (!in)
			return false;
		if (has_cg && in_home(p, &cg))
			return true;
		return own_sender_field(x, c);
	/* the allowlists admit a calling GT only in a form that has an
	 * international reading (not subscriber format, not E.212) */
	case POL_CHK_SRI_SM_ALLOWLIST:
		return is_invoke_op(c, OP_SRI_SM) && !(has_cg && cg.e164 && pfx_match_num(smsc_set(x), &cg));
	case POL_CHK_FORWARD_SM_ALLOWLIST:
		return policy_is_mt_sms(m, c) && !(has_cg && cg.e164 && pfx_match_num(smsc_set(x), &cg));
	case POL_CHK_MAP_SCCP_CONSISTENCY: {
		/* an SC address without digits equals no calling GT (num_eq is
		 * false for empty numbers); an MT forward-SM whose SM-RP-OA is
		 * not an SC address (TS 29.002 12.9: it always is) has none to
		 * compare, so it is inconsistent too */
		if ((is_invoke_op(c, OP_SRI_SM) || is_invoke_op(c, OP_RSDS)) && c->map.sc_addr.present) {
			if (!addr_num(x, &c->map.sc_addr, &n))
				return true;
			return !num_eq(&n, &cg);
		}
		if (policy_is_mt_sms(m, c) && c->map.state == MAP_DECODED)
			return c->map.sm_rp_oa.kind != SM_RP_SC_ADDR || !sm_rp_num(x, &c->map.sm_rp_oa, &n) ||
			       !num_eq(&n, &cg);
		return false;
	}
	case POL_CHK_RSDS_SOLICITED: {
		if (!in || !is_invoke_op(c, OP_RSDS))
			return false;
		if (!x->in->trk || !has_cg || !addr_num(x, &c->map.msisdn, &n))
			return true;
		struct track_key k;
		track_key_sri_num(&k, &n, &cg);
		return !track_get(x->in->trk, &k, x->in->now_ms);
	}
	case POL_CHK_OPEN_SMSC: {
		if (x->cd.d && pfx_match_num(p->open_smsc, &x->cd))
			return true;
		if (!policy_is_mt_sms(m, c))
			return false;
		/* a home MSISDN as the sender of an SMS from a carrier, in any
		 * number format (national, 00-prefixed with TON unknown, ...) */
		return tp_num(x, &c->map, true, &n) && pfx_match_num(p->home_msisdn, &n);
	}
	case POL_CHK_ILLEGAL_CONTENT: {
		static const uint8_t fields[] = { POL_F_MSISDN, POL_F_IMSI, POL_F_SC_ADDR, POL_F_SM_RP_DA,
						  POL_F_SM_RP_OA, POL_F_TP_OA, POL_F_TP_DA };
		if (has_cg && pfx_match_num(p->illegal, &cg))
			return true;
		if (!c)
			return false;
		for (size_t f = 0; f < sizeof fields; f++)
			if (num_value(x, fields[f], &n) && pfx_match_num(p->illegal, &n))
				return true;
		return false;
	}
	case POL_CHK_SHORT_CODE_OA: {
		if (!policy_is_mt_sms(m, c))
			return false;
		const struct sms_tpdu *tp = &c->map.tp;
		return tp->present && tp->mti == SMS_MTI_DELIVER && tp->addr.present &&
		       !tp->addr.alnum && tp->addr.d.n <= p->cfg.short_code_digits;
	}
	case POL_CHK_FS11_CAT1:
		return c && c->type == TCAP_COMP_INVOKE && set_has(p->fs11_cat1, local_op(c));
	case POL_CHK_TCAP_UNSOLICITED:
		return unsolicited(x);
	case POL_CHK_MALFORMED:
		return x->in->malformed;
	case POL_CHK_SCMG: {
		const struct scmg_info *g = &m->scmg;
		if (!in || !g->present || p->n_home_pc == 0)
			return false;
		/* a carrier tests our subsystems, and reports on its own */
		return g->type == SCMG_SST ? !home_pc(p, g->affected_pc) : home_pc(p, g->affected_pc);
	}
	case POL_CHK_CAT2_HOME: return cat2_class(x, c) == 1;
	case POL_CHK_CAT2_ORIGIN: return cat2_class(x, c) == 2;
	case POL_CHK_CAT2_UNKNOWN_IMSI: return cat2_class(x, c) == 3;
	case POL_CHK_CAT3_CONSISTENCY: return cat3_consistency(x, c);
	case POL_CHK_CAT3_LOCATION: return cat3_location(x, c);
	case POL_CHK_CAT3_VELOCITY: return cat3_velocity(x, c);
	case POL_CHK_SMS_MO_OA: return sms_mo_oa(x, c);
	case POL_CHK_SMS_MO_DA: return sms_mo_da(x, c);
	case POL_CHK_FSM_SOLICITED: return fsm_solicited(x, c);
	default:
		return false;
	}
}

static bool rule_matches(struct eval_ctx *x, const struct pol_rule *r)
{
	for (uint32_t i = 0; i < r->n_cond; i++)
		if (cond_true(x, &r->cond[i]) == r->cond[i].negate)
			return false;
	if (r->check == POL_CHK_RATE_LIMIT)
		return rate_limit(x, r);
	return r->check == POL_CHK_NONE || check_fires(x, r->check);
}

static int severity(uint8_t v)
{
	return v == FW_DROP ? 2 : v == FW_REJECT ? 1 : 0;
}

static void add_shadow(struct pol_result *r, int ri, uint8_t action)
{
	for (uint32_t i = 0; i < r->n_shadow; i++)
		if (r->shadow_hits[i] == ri)
			goto first;
	if (r->n_shadow < sizeof r->shadow_hits / sizeof r->shadow_hits[0])
		r->shadow_hits[r->n_shadow++] = ri;
first:
	if (action != FW_ALLOW && r->shadow_rule < 0)
		r->shadow_rule = ri;
}

void policy_eval(const struct policy *p, const struct pol_input *in, struct pol_result *r)
{
	r->verdict = p->cfg.default_action;
	r->rule = -1;
	r->malformed = in->malformed;
	r->shadow_rule = -1;
	r->n_shadow = 0;
	r->perpetrator[0] = 0;
	r->fsm_unarmed = false;
	if (in->malformed && p->cfg.malformed_action != FW_ALLOW) {
		r->verdict = p->cfg.malformed_action;
		r->rule = -2;
		return;
	}
	const struct msu *m = in->m;
	struct eval_ctx x = { .p = p, .in = in, .m = m, .unsolicited = -1, .r = r,
			      .plan = policy_plan(p, in->link), .tcap = m->tcap.present && !m->returned };
	num_canon(&x.cg, gt_of(&m->sccp.cgpa), num_form_gt(&m->sccp.cgpa), x.plan);
	num_canon(&x.cd, gt_of(&m->sccp.cdpa), num_form_gt(&m->sccp.cdpa), x.plan);
	/* a service message's payload is a returned message: its components
	 * are not screened as invokes (only the SCCP part is) */
	unsigned n = m->tcap.present && !m->returned ? m->tcap.n_components : 0;
	if (n > TCAP_MAX_COMPONENTS)
		n = TCAP_MAX_COMPONENTS;
	int best = -1;
	for (unsigned ci = 0; ci < (n ? n : 1); ci++) {
		x.c = n ? &m->tcap.comp[ci] : NULL;
		bool map = m->app == TCAP_APP_MAP || m->app == TCAP_APP_OTHER;
		x.mc = map ? x.c : NULL;
		x.cc = m->app == TCAP_APP_CAP ? x.c : NULL;
		uint8_t v = p->cfg.default_action;
		int rule = -1;
		for (uint32_t ri = 0; ri < p->n_rules; ri++) {
			const struct pol_rule *pr = &p->rules[ri];
			if (!rule_matches(&x, pr))
				continue;
			if (pr->shadow) {
				add_shadow(r, (int)ri, pr->action);
				continue;
			}
			v = pr->action;
			rule = (int)ri;
			break;
		}
		if (severity(v) > best) {
			best = severity(v);
			r->verdict = v;
			r->rule = rule;
		}
	}
}
