/* ss7fw tests — whole-MSU scenario builder (enc-msu.h) on top of the
 * per-layer encoders (enc-layers.h). Zero/NULL fields of struct enc_msu mean
 * "the canonical value for this operation" where enc-msu.h says so. */
#include "enc/enc-msu.h"

#include <stdio.h>
#include <string.h>

#define MSU_PART_MAX 2048

/* Canonical application context of each operation (3GPP TS 29.002 17.3.2,
 * the highest version in common use); NULL when the opcode has none here. */
static const char *canonical_acn(int op)
{
	switch (op) {
	case 2: case 57: return "0.4.0.0.1.0.1.3";      /* networkLocUpContext */
	case 3: return "0.4.0.0.1.0.2.3";               /* locationCancellationContext */
	case 4: return "0.4.0.0.1.0.3.3";               /* roamingNumberEnquiryContext */
	case 22: return "0.4.0.0.1.0.5.3";              /* locationInfoRetrievalContext */
	case 37: return "0.4.0.0.1.0.10.2";             /* resetContext */
	case 68: return "0.4.0.0.1.0.11.3";             /* handoverControlContext */
	case 43: return "0.4.0.0.1.0.13.3";             /* equipmentMngtContext */
	case 56: return "0.4.0.0.1.0.14.3";             /* infoRetrievalContext */
	case 55: return "0.4.0.0.1.0.15.3";             /* interVlrInfoRetrievalContext */
	case 7: case 8: return "0.4.0.0.1.0.16.3";      /* subscriberDataMngtContext */
	case 10: case 11: case 12: case 13: case 14: case 17:
		return "0.4.0.0.1.0.18.2";              /* networkFunctionalSsContext */
	case 59: case 60: case 61:
		return "0.4.0.0.1.0.19.2";              /* networkUnstructuredSsContext */
	case 45: case 47: return "0.4.0.0.1.0.20.3";    /* shortMsgGatewayContext */
	case 46: return "0.4.0.0.1.0.21.3";             /* shortMsgMO-RelayContext */
	case 64: return "0.4.0.0.1.0.23.2";             /* shortMsgAlertContext */
	case 66: return "0.4.0.0.1.0.24.3";             /* mwdMngtContext */
	case 44: return "0.4.0.0.1.0.25.3";             /* shortMsgMT-RelayContext */
	case 58: return "0.4.0.0.1.0.26.2";             /* imsiRetrievalContext */
	case 67: return "0.4.0.0.1.0.27.3";             /* msPurgingContext */
	case 70: return "0.4.0.0.1.0.28.3";             /* subscriberInfoEnquiryContext */
	case 71: return "0.4.0.0.1.0.29.3";             /* anyTimeInfoEnquiryContext */
	case 23: return "0.4.0.0.1.0.32.3";             /* gprsLocationUpdateContext */
	case 85: return "0.4.0.0.1.0.37.3";             /* locationSvcGatewayContext */
	case 83: return "0.4.0.0.1.0.38.3";             /* locationSvcEnquiryContext */
	default: return NULL;
	}
}

/* Default subsystems (Q.713 Annex / TS 23.003 14: 6 HLR, 7 VLR, 8 MSC,
 * 147 gsmSCF) of the invoking (calling) and invoked (called) entity. */
static void default_ssns(int op, int *cdpa, int *cgpa)
{
	switch (op) {
	case 2: case 56: case 58: case 67: case 57:   /* VLR -> HLR */
		*cgpa = 7; *cdpa = 6; return;
	case 3: case 7: case 8: case 70:              /* HLR -> VLR */
		*cgpa = 6; *cdpa = 7; return;
	case 4:                                       /* HLR -> VLR (PRN) */
		*cgpa = 6; *cdpa = 7; return;
	case 71:                                      /* gsmSCF -> HLR */
		*cgpa = 147; *cdpa = 6; return;
	case 22:                                      /* GMSC -> HLR */
		*cgpa = 8; *cdpa = 6; return;
	case 44: case 46:                             /* SMSC/MSC <-> MSC/SMSC */
		*cgpa = 8; *cdpa = 8; return;
	default:                                      /* SRI-SM, RSDS: SMSC -> HLR */
		*cgpa = 8; *cdpa = 6; return;
	}
}

void enc_msu_defaults(struct enc_msu *s)
{
	memset(s, 0, sizeof *s);
	s->opc = 1234;
	s->dpc = 2345;
	s->rc = 100;
	s->si = 3;
	s->sls = 5;
	s->sccp_type = SCCP_UDT;
	s->cdpa_gt = ENC_HOME_HLR;
	s->cgpa_gt = ENC_PARTNER_SMSC;
	s->cdpa_ssn = 0;          /* 0: by opcode (default_ssns) */
	s->cgpa_ssn = 0;
	s->tcap_type = TCAP_BEGIN;
	s->otid = 0x0a0b0c0d;
	s->dtid = 0x01020304;
	s->acn = NULL;
	s->form = BER_LEN_MIN;
	s->comp_type = TCAP_COMP_INVOKE;
	s->opcode = 45;
	s->invoke_id = 1;
	s->msisdn = ENC_HOME_MSISDN;
	s->imsi = ENC_HOME_IMSI;
	s->sc_addr = ENC_PARTNER_SMSC;
	s->nnn = ENC_HOME_MSC;
	s->outcome = -1;
	s->tp_ton = 1;
	s->tp_text = "hello";
	s->error_code = 34;       /* systemFailure */
}

/* Transaction id octets: 4, or 6 with long_tid (two leading octets 0xab 0xcd). */
static size_t tid_octets(uint8_t *out, uint32_t v, bool long_tid)
{
	size_t n = 0;
	if (long_tid) {
		out[n++] = 0xab;
		out[n++] = 0xcd;
	}
	out[n++] = (uint8_t)(v >> 24);
	out[n++] = (uint8_t)(v >> 16);
	out[n++] = (uint8_t)(v >> 8);
	out[n++] = (uint8_t)v;
	return n;
}

static const char *sm_rp_digits(const struct enc_msu *s, uint8_t kind)
{
	switch (kind) {
	case SM_RP_IMSI: return s->imsi ? s->imsi : ENC_HOME_IMSI;
	case SM_RP_LMSI: return "0102abcd";
	case SM_RP_MSISDN: return s->msisdn ? s->msisdn : ENC_HOME_MSISDN;
	case SM_RP_SC_ADDR: return s->sc_addr ? s->sc_addr : ENC_PARTNER_SMSC;
	default: return "";
	}
}

/* The SMS TPDU of a forward-SM: SMS-DELIVER for mt-forwardSM, SMS-SUBMIT for
 * mo-forwardSM unless tp_mti says otherwise. */
static uint8_t fsm_mti(const struct enc_msu *s)
{
	if (s->tp_mti)
		return s->tp_mti;
	return s->opcode == 44 ? SMS_MTI_DELIVER : SMS_MTI_SUBMIT;
}

/* The argument (invoke) or result parameter of the first component. */
static size_t first_param(uint8_t *out, size_t cap, const struct enc_msu *s)
{
	if (s->comp_type == TCAP_COMP_RESULT_LAST || s->comp_type == TCAP_COMP_RESULT) {
		if (s->map_result && s->map_form)
			return enc_map_result(out, cap, s->opcode, s->map_form, s->imsi, s->msisdn);
		if (s->opcode == 45)
			return enc_map_sri_sm_res_lmsi(out, cap, s->imsi ? s->imsi : ENC_HOME_IMSI,
						       s->nnn ? s->nnn : ENC_HOME_MSC, s->lmsi);
		if (s->map_result)
			return enc_map_result(out, cap, s->opcode, 0, s->imsi, s->msisdn);
		return 0;
	}
	if (s->comp_type != TCAP_COMP_INVOKE)
		return 0;
	switch (s->opcode) {
	case 45:
		return enc_map_sri_sm_arg(out, cap, s->msisdn ? s->msisdn : ENC_HOME_MSISDN, true,
					  s->sc_addr ? s->sc_addr : ENC_PARTNER_SMSC);
	case 44:
	case 46: {
		uint8_t mti = fsm_mti(s);
		bool mt = mti == SMS_MTI_DELIVER || mti == SMS_MTI_STATUS_REPORT;
		/* direction-dependent SM-RP kinds (TS 29.002 12.2 / 12.9) */
		uint8_t da_kind = s->da_kind ? s->da_kind : mt ? SM_RP_IMSI : SM_RP_SC_ADDR;
		uint8_t oa_kind = s->oa_kind ? s->oa_kind : mt ? SM_RP_SC_ADDR : SM_RP_MSISDN;
		const char *da = s->da ? s->da : sm_rp_digits(s, da_kind);
		const char *oa = s->oa ? s->oa : sm_rp_digits(s, oa_kind);
		struct enc_sms sms = {
			.mti = mti,
			.ton = s->tp_ton,
			.npi = s->tp_ton == 5 ? 0 : 1,
			.addr = s->tp_addr ? s->tp_addr : mt ? ENC_PARTNER_SMSC "9" : ENC_PARTNER_GT "1234567",
			.pid = 0,
			.dcs = 0,
			.text = s->tp_text ? s->tp_text : "",
		};
		uint8_t ui[400];
		size_t ui_len = enc_sms(ui, sizeof ui, &sms);
		if (!ui_len)
			return 0;
		return enc_map_fsm_arg(out, cap, da_kind, da, oa_kind, oa, ui, ui_len);
	}
	case 47:
		return enc_map_rsds_arg(out, cap, s->msisdn ? s->msisdn : ENC_HOME_MSISDN,
					s->sc_addr ? s->sc_addr : ENC_PARTNER_SMSC, s->outcome);
	default:
		if (s->map_form) {
			size_t n = enc_map_subscriber_arg_v2(out, cap, s->opcode, s->imsi, s->msisdn);
			if (n)
				return n;
		}
		return enc_map_subscriber_arg(out, cap, s->opcode, s->imsi, s->msisdn);
	}
}

static size_t extra_param(uint8_t *out, size_t cap, const struct enc_msu *s, int op)
{
	const char *msisdn = s->extra_msisdn ? s->extra_msisdn : s->msisdn;
	if (op == 45)
		return enc_map_sri_sm_arg(out, cap, msisdn ? msisdn : ENC_HOME_MSISDN, true,
					  s->sc_addr ? s->sc_addr : ENC_PARTNER_SMSC);
	if (op == 47)
		return enc_map_rsds_arg(out, cap, msisdn ? msisdn : ENC_HOME_MSISDN,
					s->sc_addr ? s->sc_addr : ENC_PARTNER_SMSC, -1);
	return enc_map_subscriber_arg(out, cap, op, s->imsi, msisdn);
}

/* The TCAP message (SCCP user data). */
static size_t build_tcap(uint8_t *out, size_t cap, const struct enc_msu *s)
{
	static uint8_t params[1 + 4][MSU_PART_MAX];   /* test code: not re-entrant */
	uint8_t otid[8], dtid[8];
	char oid[5][48];
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	t.type = s->tcap_type;
	t.form = s->form;
	t.abort_cause = -1;
	size_t otid_len = tid_octets(otid, s->otid, s->long_tid);
	size_t dtid_len = tid_octets(dtid, s->dtid, s->long_tid);
	switch (s->tcap_type) {
	case TCAP_BEGIN:
		t.otid = otid; t.otid_len = otid_len;
		break;
	case TCAP_CONTINUE:
		t.otid = otid; t.otid_len = otid_len;
		t.dtid = dtid; t.dtid_len = dtid_len;
		break;
	case TCAP_END:
	case TCAP_ABORT:
		t.dtid = dtid; t.dtid_len = dtid_len;
		break;
	default:
		break;
	}
	const char *acn = s->acn ? s->acn : canonical_acn(s->opcode);
	if (acn && *acn && s->tcap_type != TCAP_ABORT)
		t.acn = acn;   /* dialogue PDU: enc_tcap's default for the message type */
	t.dest_ref = s->dest_ref;
	if (s->tcap_type == TCAP_ABORT || s->no_components)
		return enc_tcap(out, cap, &t);

	struct enc_tcap_comp *c = &t.comp[t.n_comp++];
	c->type = s->comp_type;
	c->invoke_id = s->invoke_id;
	switch (s->comp_type) {
	case TCAP_COMP_INVOKE:
		c->has_opcode = true;
		break;
	case TCAP_COMP_RESULT_LAST:
	case TCAP_COMP_RESULT:
		/* a result sequence only where we have a result */
		c->has_opcode = s->opcode == 45 || s->map_result;
		break;
	case TCAP_COMP_ERROR:
		c->error = s->error_code;
		break;
	case TCAP_COMP_REJECT:
		c->problem_type = 1;           /* invoke problem */
		c->problem = 1;                /* unrecognizedOperation */
		break;
	default:
		break;
	}
	c->opcode = s->opcode;
	if (c->has_opcode && s->global_opcode) {
		snprintf(oid[0], sizeof oid[0], "0.4.0.0.1.3.%d", s->opcode);
		c->opcode_oid = oid[0];
	}
	c->param_len = first_param(params[0], sizeof params[0], s);
	c->param = c->param_len ? params[0] : NULL;

	int n_extra = s->n_extra < 0 ? 0 : s->n_extra > 4 ? 4 : s->n_extra;
	for (int i = 0; i < n_extra; i++) {
		c = &t.comp[t.n_comp++];
		c->type = TCAP_COMP_INVOKE;
		c->invoke_id = s->invoke_id + 1 + i;
		c->has_opcode = true;
		c->opcode = s->extra_opcode[i];
		if (s->global_opcode) {
			snprintf(oid[1 + i], sizeof oid[1 + i], "0.4.0.0.1.3.%d", c->opcode);
			c->opcode_oid = oid[1 + i];
		}
		c->param_len = extra_param(params[1 + i], sizeof params[1 + i], s, c->opcode);
		c->param = c->param_len ? params[1 + i] : NULL;
	}
	return enc_tcap(out, cap, &t);
}

static void sccp_party(struct enc_sccp_addr *a, const char *gt, int ssn, uint32_t pc, int nai)
{
	a->ssn = ssn;
	if (gt) {
		a->route_on_gt = true;
		a->pc = -1;
		a->gti = 4;
		a->tt = 0;
		a->np = 1;
		a->nai = nai > 0 ? (uint8_t)nai : 4;
		a->digits = gt;
	} else {                   /* route on SSN + PC */
		a->route_on_gt = false;
		a->pc = (int)(pc & 0x3fff);
		a->gti = 0;
		a->digits = NULL;
	}
}

/* The M3UA DATA of s around SCCP user data (tcap, tcap_len); seg < 0: the
 * segmentation parameter as s says; else a segment: first = seg & 0x100,
 * remaining = seg & 0x0f. */
static size_t build_around(uint8_t *out, size_t cap, const struct enc_msu *s, const uint8_t *tcap,
			   size_t tcap_len, int seg, uint32_t ref)
{
	uint8_t sccp[MSU_PART_MAX + 4096 + 64];
	size_t sccp_len;
	if (s->si == 3) {
		int cdpa_ssn = 0, cgpa_ssn = 0;
		default_ssns(s->opcode, &cdpa_ssn, &cgpa_ssn);
		if (s->cdpa_ssn)
			cdpa_ssn = s->cdpa_ssn;
		if (s->cgpa_ssn)
			cgpa_ssn = s->cgpa_ssn;
		struct enc_sccp sc;
		memset(&sc, 0, sizeof sc);
		sc.type = s->sccp_type ? s->sccp_type : SCCP_UDT;
		bool segmented = s->segmented || seg >= 0;
		if (segmented && sc.type == SCCP_UDT)
			sc.type = SCCP_XUDT;   /* UDT has no segmentation parameter */
		sc.proto_class = 1;
		sc.return_on_error = true;
		sc.hop_counter = 15;
		sc.importance = -1;
		sc.reverse_pointers = s->reverse_pointers;
		sc.segmentation = segmented;
		if (seg >= 0) {
			sc.seg_first = (seg & 0x100) != 0;
			sc.seg_remaining = (uint8_t)(seg & 0x0f);
		} else {
			sc.seg_first = !s->seg_later;
			sc.seg_remaining = s->seg_only || s->seg_later ? 0 : 1;
		}
		sc.seg_ref = ref ? ref : s->seg_ref ? s->seg_ref : 123456;
		sccp_party(&sc.cdpa, s->cdpa_gt, cdpa_ssn, s->dpc, s->cdpa_nai);
		sccp_party(&sc.cgpa, s->cgpa_gt, cgpa_ssn, s->opc, s->cgpa_nai);
		sccp_len = enc_sccp(sccp, sizeof sccp, &sc, tcap, tcap_len);
		if (!sccp_len)
			return 0;
	} else {
		/* not SCCP: a short ISUP-like payload (CIC 1, message type IAM) */
		static const uint8_t isup[] = { 0x01, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00, 0x02 };
		memcpy(sccp, isup, sizeof isup);
		sccp_len = sizeof isup;
	}
	struct enc_m3ua_data d = {
		.opc = s->opc, .dpc = s->dpc, .si = s->si, .ni = 0, .mp = 0, .sls = s->sls,
		.has_rc = s->rc != 0, .rc = s->rc,
	};
	return enc_m3ua_data(out, cap, &d, sccp, sccp_len);
}

size_t enc_msu_tcap(uint8_t *out, size_t cap, const struct enc_msu *s)
{
	return build_tcap(out, cap, s);
}

size_t enc_msu_build(uint8_t *out, size_t cap, const struct enc_msu *s)
{
	uint8_t tcap[MSU_PART_MAX];
	size_t tcap_len = 0;
	if (s->si == 3) {
		tcap_len = build_tcap(tcap, sizeof tcap, s);
		if (!tcap_len)
			return 0;
	}
	return build_around(out, cap, s, tcap, tcap_len, -1, 0);
}

size_t enc_msu_segment(uint8_t *out, size_t cap, const struct enc_msu *s, const uint8_t *data,
		       size_t len, bool first, uint8_t remaining, uint32_t ref)
{
	return build_around(out, cap, s, data, len, (first ? 0x100 : 0) | (remaining & 0x0f), ref);
}

unsigned enc_msu_segments(uint8_t *out, size_t stride, size_t *len, unsigned n,
			  const struct enc_msu *s, uint32_t ref)
{
	uint8_t tcap[MSU_PART_MAX];
	size_t tl = build_tcap(tcap, sizeof tcap, s);
	if (!tl || n < 1 || n > 16 || n > tl)
		return 0;
	size_t off = 0;
	for (unsigned i = 0; i < n; i++) {
		size_t part = tl / n + (i < tl % n ? 1 : 0);
		len[i] = enc_msu_segment(out + (size_t)i * stride, stride, s, tcap + off, part, i == 0,
					 (uint8_t)(n - 1 - i), ref);
		if (!len[i])
			return 0;
		off += part;
	}
	return n;
}

void enc_msu_attack(struct enc_msu *s, unsigned k)
{
	switch (k % ENC_MSU_ATTACKS) {
	case 0:                /* anyTimeInterrogation from abroad */
		s->opcode = 71;
		s->cgpa_gt = "4477001234";
		break;
	case 1:                /* SRI-SM from a foreign SMSC */
		s->cgpa_gt = "4477009999";
		s->sc_addr = "4477009999";
		break;
	case 2:                /* SRI-SM with a spoofed SC address */
		s->sc_addr = "4477009999";
		break;
	default:               /* updateLocation from abroad */
		s->opcode = 2;
		s->cgpa_gt = "4477001111";
		s->imsi = ENC_HOME_IMSI;
		break;
	}
}

void enc_msu_sri_sm_answer(struct enc_msu *s, const char *smsc, uint32_t tid)
{
	enc_msu_defaults(s);
	s->tcap_type = TCAP_END;
	s->comp_type = TCAP_COMP_RESULT_LAST;
	s->dtid = tid;
	s->cgpa_gt = ENC_HOME_HLR;
	s->cdpa_gt = smsc;
}

size_t enc_msu_sri_sm_begin(uint8_t *out, size_t cap, unsigned n_comp, uint32_t otid)
{
	uint8_t arg[128], tid[4] = { (uint8_t)(otid >> 24), (uint8_t)(otid >> 16), (uint8_t)(otid >> 8),
				     (uint8_t)otid };
	size_t al = enc_map_sri_sm_arg(arg, sizeof arg, ENC_HOME_MSISDN, true, ENC_PARTNER_SMSC);
	struct enc_tcap t;
	memset(&t, 0, sizeof t);
	if (!al || n_comp > TCAP_MAX_COMPONENTS + 2)
		return 0;
	t.type = TCAP_BEGIN;
	t.otid = tid;
	t.otid_len = 4;
	t.acn = "0.4.0.0.1.0.20.3";
	t.abort_cause = -1;
	t.n_comp = (int)n_comp;
	for (unsigned i = 0; i < n_comp; i++)
		t.comp[i] = (struct enc_tcap_comp){ .type = TCAP_COMP_INVOKE, .invoke_id = (int32_t)i + 1,
						    .has_opcode = true, .opcode = 45, .param = arg,
						    .param_len = al };
	return enc_tcap(out, cap, &t);
}
