/* ss7fw — the FS.11 state our own network's messages teach (docs/policy.md,
 * "State"): where our HLR registered a home subscriber (its answers to
 * updateLocation / updateGprsLocation, its insertSubscriberData), and to
 * which SMSC GT it gave an IMSI (its SRI-SM answers). Kept in the
 * correlation table (bounded, expiring, not part of the policy: it survives
 * reloads). No allocation. */
#include <string.h>

#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

enum { OP_UL = 2, OP_UGL = 23, OP_ISD = 7, OP_SRI_SM = 45 };

uint64_t policy_pack_digits(const struct num *n)
{
	unsigned c = n->d ? n->n : 0;
	if (c > 15)
		c = 15;
	uint64_t v = c;
	for (unsigned i = 0; i < c; i++)
		v |= (uint64_t)num_at(n, i) << (4 * (i + 1));
	return v;
}

void policy_unpack_digits(uint64_t v, char *out, size_t cap)
{
	unsigned c = v & 0xf;
	size_t i = 0;
	for (; i < c && i + 1 < cap; i++)
		out[i] = "0123456789abcdef"[(v >> (4 * (i + 1))) & 0xf];
	out[i] = 0;
}

/* The packed digits as a BCD view (buf of 8 octets) read as they are. */
static void unpack_num(uint64_t v, uint8_t buf[8], struct digits *d, struct num *n)
{
	unsigned c = v & 0xf;
	memset(buf, 0, 8);
	for (unsigned i = 0; i < c; i++)
		buf[i / 2] |= (uint8_t)(((v >> (4 * (i + 1))) & 0xf) << (4 * (i & 1)));
	d->p = buf;
	d->n = (uint8_t)c;
	num_canon(n, d, NUM_OTHER, NULL);
}

static const struct digits no_digits = { 0, 0 };

static const struct digits *raw_gt(const struct sccp_addr *a)
{
	return a->present && a->gt.p && a->gt.n ? &a->gt : &no_digits;
}

static void canon_gt(struct num *out, const struct sccp_addr *a, const struct num_plan *plan)
{
	num_canon(out, a->present && a->gt.p && a->gt.n ? &a->gt : NULL, num_form_gt(a), plan);
}

/* A registration of subscriber s (IMSI or MSISDN) in domain dom at
 * partner pi, confirmed by our HLR. */
static void learn_location(const struct policy *p, struct track *t, uint8_t dom, const struct num *s,
			   int pi, uint64_t now)
{
	if (pi < 0)
		return;                  /* a network we know nothing of: no state */
	const struct pol_partner *pt = &p->partners[pi];
	struct track_key k;
	uint32_t old;
	track_key_fs11(&k, TRACK_KIND_LOC, dom, s, NULL);
	if (track_get_val32(t, &k, now, &old) && old != pt->net_id && p->cfg.location_grace_s) {
		struct track_key kp;
		track_key_fs11(&kp, TRACK_KIND_LOC_PREV, dom, s, NULL);
		track_put_val32(t, &kp, now, (uint64_t)p->cfg.location_grace_s * 1000, old);
	}
	track_put_val32(t, &k, now, (uint64_t)p->cfg.location_ttl_s * 1000, pt->net_id);
	if (dom < POL_DOM_MSISDN) {
		/* a registration in a network of unknown country forgets the
		 * last one: the next is not compared with a stale position */
		track_key_fs11(&k, TRACK_KIND_VELOCITY, 0, s, NULL);
		uint32_t v = (uint32_t)pt->country << POL_VEL_MIN_BITS | (uint32_t)((now / 60000) & POL_VEL_MIN_MASK);
		if (pt->country)
			track_put_val32(t, &k, now, (uint64_t)p->cfg.location_ttl_s * 1000, v);
		else
			track_del(t, &k);
	}
}

void policy_learn(const struct policy *p, const struct msu *m, int link, uint8_t dir,
		  struct track *trk, uint64_t now)
{
	const struct tcap_info *tc = &m->tcap;
	if (!p || !trk || !tc->present || m->returned || m->app == TCAP_APP_CAP)
		return;
	const struct num_plan *plan = policy_plan(p, link);
	unsigned n = tc->n_components < TCAP_MAX_COMPONENTS ? tc->n_components : TCAP_MAX_COMPONENTS;
	uint64_t tcap_ttl = (uint64_t)p->cfg.tcap_timeout_s * 1000;
	struct track_key k;
	if (dir == FW_DIR_IN) {
		/* a registration of one of ours: pending until our HLR answers */
		if (tc->type != TCAP_BEGIN || !tc->otid.p || !tc->otid.len)
			return;
		for (unsigned i = 0; i < n; i++) {
			const struct tcap_component *c = &tc->comp[i];
			if (c->type != TCAP_COMP_INVOKE || !c->has_opcode || c->opcode_global ||
			    (c->opcode != OP_UL && c->opcode != OP_UGL) || !c->map.imsi.p || !c->map.imsi.n)
				continue;
			struct num imsi;
			num_canon(&imsi, &c->map.imsi, NUM_OTHER, NULL);
			if (!pfx_match_num(p->home_imsi, &imsi))
				continue;
			track_key_fs11_tid(&k, TRACK_KIND_UL_PENDING, c->opcode == OP_UL ? POL_DOM_CS : POL_DOM_PS,
					   raw_gt(&m->sccp.cgpa), tc->otid);
			track_put_val64(trk, &k, now, tcap_ttl, policy_pack_digits(&imsi));
		}
		return;
	}
	/* out: what our HLR answers and sends */
	struct num cd;
	canon_gt(&cd, &m->sccp.cdpa, plan);
	int pi = cd.d ? policy_partner_of_gt(p, &cd) : -1;
	bool answer = (tc->type == TCAP_END || tc->type == TCAP_CONTINUE) && tc->dtid.p && tc->dtid.len;
	bool error = tc->type == TCAP_ABORT;
	for (unsigned i = 0; i < n; i++)
		if (tc->comp[i].type == TCAP_COMP_ERROR || tc->comp[i].type == TCAP_COMP_REJECT)
			error = true;
	if ((answer || error) && tc->dtid.p && tc->dtid.len) {
		for (uint8_t dom = POL_DOM_CS; dom <= POL_DOM_PS; dom++) {
			uint64_t v;
			track_key_fs11_tid(&k, TRACK_KIND_UL_PENDING, dom, raw_gt(&m->sccp.cdpa), tc->dtid);
			if (!track_get_val64(trk, &k, now, &v))
				continue;
			/* the End with the result confirms; an error, reject or
			 * abort refuses; a Continue (insertSubscriberData) waits */
			bool ok = false;
			for (unsigned i = 0; i < n; i++) {
				const struct tcap_component *c = &tc->comp[i];
				if ((c->type == TCAP_COMP_RESULT_LAST || c->type == TCAP_COMP_RESULT) &&
				    (!c->has_opcode || c->opcode == (dom == POL_DOM_CS ? OP_UL : OP_UGL)))
					ok = true;
			}
			if (error || (tc->type == TCAP_END && !ok) || ok)
				track_del_val64(trk, &k);
			if (ok && !error) {
				uint8_t buf[8];
				struct digits d;
				struct num imsi;
				unpack_num(v, buf, &d, &imsi);
				learn_location(p, trk, dom, &imsi, pi, now);
			}
		}
	}
	for (unsigned i = 0; i < n; i++) {
		const struct tcap_component *c = &tc->comp[i];
		if (!c->has_opcode || c->opcode_global || c->map.state != MAP_DECODED)
			continue;
		if (c->type == TCAP_COMP_INVOKE && c->opcode == OP_ISD && c->map.msisdn.present &&
		    c->map.msisdn.d.n) {
			/* our HLR gives the subscriber's data to the VLR/SGSN that
			 * holds it: its MSISDN is registered there */
			struct num ms;
			num_canon(&ms, &c->map.msisdn.d, num_form_ton(c->map.msisdn.ton, c->map.msisdn.npi), plan);
			/* towards an SGSN (SSN 149, TS 23.003): the PS domain */
			bool ps = m->sccp.cdpa.present && m->sccp.cdpa.has_ssn && m->sccp.cdpa.ssn == 149;
			if (pfx_match_num(p->home_msisdn, &ms))
				learn_location(p, trk, ps ? POL_DOM_MSISDN_PS : POL_DOM_MSISDN, &ms, pi, now);
		}
		if ((c->type == TCAP_COMP_RESULT_LAST || c->type == TCAP_COMP_RESULT) && c->opcode == OP_SRI_SM &&
		    c->map.imsi.p && c->map.imsi.n && cd.d) {
			/* our HLR gave this SMSC GT the IMSI: forward-SMs to it
			 * from there are solicited (IR.71 3.3) */
			struct num imsi;
			num_canon(&imsi, &c->map.imsi, NUM_OTHER, NULL);
			uint64_t ttl = (uint64_t)p->cfg.fsm_window_s * 1000;
			track_key_fs11(&k, TRACK_KIND_SRI_ANSWER, 0, &imsi, &cd);
			track_put(trk, &k, now, ttl);
			track_key_fs11(&k, TRACK_KIND_SRI_BY_IMSI, 0, &imsi, NULL);
			track_put_val64(trk, &k, now, ttl, policy_pack_digits(&cd));
			if (c->map.lmsi.n) {
				/* and the LMSI it gave with it: a forward-SM may name
				 * the subscriber by it (SM-RP-DA lmsi) */
				struct num lmsi;
				num_canon(&lmsi, &c->map.lmsi, NUM_OTHER, NULL);
				track_key_fs11(&k, TRACK_KIND_SRI_ANSWER, 1, &lmsi, &cd);
				track_put(trk, &k, now, ttl);
			}
		}
	}
}
