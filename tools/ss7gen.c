/* ss7gen — writes a deterministic, realistic capture of MAP traffic between a
 * carrier STP and the home core, for replay tests, demos and benchmarks.
 *
 *   ss7gen [-n COUNT] [-s SEED] [--tcp] [--ipv6] [--sll] [--all-ops] [--national] [--solicited] -o FILE.pcap
 *
 * COUNT M3UA messages (default 100): dialogues of SRI-SM, mt-forwardSM with
 * SMS-DELIVER, mo-forwardSM with SMS-SUBMIT, reportSM-DeliveryStatus,
 * updateLocation, sendAuthenticationInfo, insertSubscriberData,
 * cancelLocation, purgeMS, and attacks (anyTimeInterrogation, sendIMSI,
 * provideSubscriberInfo from foreign GTs, and now and then an SRI-SM with a
 * second, ATI invoke in an XUDT or LUDT with reversed pointers and long-form or
 * indefinite BER lengths), each a TCAP Begin and its End
 * (result or error), plus ASPTM ASP Active and BEAT exchanges. Several
 * Begins of one direction are sometimes bundled in one SCTP packet (or one
 * TCP segment; over TCP a message is sometimes split across two segments).
 * The carrier STP is 10.1.0.1 (fd00::1), the firewall/core side 10.2.0.1
 * (fd00::2:1), both on port 2905; point codes 1001 (carrier) and 2002 (home).
 * Frames are Ethernet (or Linux SLL with --sll), IPv4 (or IPv6), SCTP (or
 * TCP). The same seed and options always give the same bytes.
 *
 * --all-ops adds, in about half of the dialogues, every other operation the
 * MAP decoder reads, in turn, in its current and its MAP v1/v2 form where
 * they differ, each under its application context of that version and
 * answered by its result (opcode and result parameter): the capture for
 * the tshark cross-check of every decoded field. Without it the output is
 * that of the default mix.
 *
 * --national writes, in about a third of the dialogues, the GTs of the
 * test world's country (country code 999) as national significant numbers
 * (NAI 3) and a numeric TP-OA as a national number (TON 2): the capture for
 * the tshark cross-check of the number formats (docs/policy.md, "Numbers").
 *
 * --solicited makes the mt-forwardSM dialogues deliver, as SMSCs do, to an
 * IMSI that an SRI-SM answer gave the same SMSC shortly before (one of the
 * last 8 answered), so that fsm_solicited (docs/policy.md) sees realistic
 * traffic: the answers carry an LMSI beside the IMSI, and a quarter of the
 * forward-SMs name the subscriber by that LMSI, another quarter by
 * noSM-RP-DA with the IMSI in the MAP-OPEN's destinationReference. Without
 * it the output is that of the default mix. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enc/enc-frame.h"
#include "enc/enc-msu.h"

#define GEN_CARRIER_PC 1001
#define GEN_HOME_PC    2002
#define GEN_RC         100
#define GEN_T0         1795593600u   /* 2026-11-25T08:00:00Z */
#define GEN_MAX_BUNDLE 3
#define GEN_MSG_MAX    2048

enum gen_dir { GEN_IN = 0, GEN_OUT = 1 };

struct gen {
	uint64_t rng;                /* content */
	uint64_t rng_tcp;            /* TCP segmentation only: content is the same over SCTP and TCP */
	FILE *fp;
	bool tcp;
	struct enc_flow flow[2];     /* [GEN_IN]: carrier -> core */
	uint32_t tsn[2], vtag[2], seq[2];
	uint64_t usec;               /* capture clock */
	long left;                   /* messages still to write */
	long packets;
	bool all_ops;                /* --all-ops */
	bool national;               /* --national */
	bool solicited;              /* --solicited */
	char ring_imsi[8][20], ring_sc[8][20];   /* the last SRI-SMs answered */
	char ring_lmsi[8][12];                   /* ... and the LMSI each answer gave */
	unsigned ring_n, ring_i;
	unsigned next_op;            /* --all-ops: the next entry of gen_ops */
};

static uint32_t xorshift(uint64_t *x)   /* xorshift64* */
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return (uint32_t)((*x * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rnd(struct gen *g) { return xorshift(&g->rng); }

static uint32_t rnd_n(struct gen *g, uint32_t n) { return rnd(g) % n; }

static void rnd_digits(struct gen *g, char *out, const char *prefix, int total)
{
	int n = (int)strlen(prefix);
	memcpy(out, prefix, (size_t)n);
	for (; n < total; n++)
		out[n] = (char)('0' + rnd_n(g, 10));
	out[n] = 0;
}

static uint8_t frame_buf[70000];

static void write_frame(struct gen *g, size_t n)
{
	if (!n) {
		fprintf(stderr, "ss7gen: frame too large\n");
		exit(1);
	}
	enc_pcap_record(g->fp, (uint32_t)(GEN_T0 + g->usec / 1000000), (uint32_t)(g->usec % 1000000),
			frame_buf, n, n);
	g->packets++;
}

/* One packet (SCTP) or one or two segments (TCP) with n messages. */
static void emit(struct gen *g, int dir, uint8_t *const msg[], const size_t len[],
		 const uint16_t stream[], int n)
{
	g->usec += 1000 + rnd_n(g, 20000);
	if (!g->tcp) {
		struct enc_chunk ch[GEN_MAX_BUNDLE];
		for (int i = 0; i < n; i++)
			ch[i] = (struct enc_chunk){ .type = 0, .stream = stream[i], .ppid = 3,
						    .data = msg[i], .len = len[i] };
		write_frame(g, enc_frame_sctp(frame_buf, sizeof frame_buf, &g->flow[dir], g->vtag[dir],
					      &g->tsn[dir], ch, n));
		return;
	}
	static uint8_t seg[GEN_MAX_BUNDLE * GEN_MSG_MAX];
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		memcpy(seg + total, msg[i], len[i]);
		total += len[i];
	}
	size_t cut = total;
	if (xorshift(&g->rng_tcp) % 5 == 0)   /* split across two segments */
		cut = 1 + xorshift(&g->rng_tcp) % ((uint32_t)total - 1);
	write_frame(g, enc_frame_tcp(frame_buf, sizeof frame_buf, &g->flow[dir], g->seq[dir],
				     g->seq[!dir], 0x18, seg, cut));
	g->seq[dir] += (uint32_t)cut;
	if (cut < total) {
		g->usec += 100;
		write_frame(g, enc_frame_tcp(frame_buf, sizeof frame_buf, &g->flow[dir], g->seq[dir],
					     g->seq[!dir], 0x18, seg + cut, total - cut));
		g->seq[dir] += (uint32_t)(total - cut);
	}
}

/* ---- non-DATA M3UA: ASPTM ASP Active / Ack, BEAT / Ack (RFC 4666 3.7, 3.5.5) */
static size_t m3ua_other(uint8_t *out, size_t cap, uint8_t cls, uint8_t type, uint32_t beat)
{
	uint8_t params[64];
	size_t pl = 0;
	if (cls == 4) {
		uint8_t tmt[4] = { 0, 0, 0, 2 }, rc[4] = { 0, 0, 0, GEN_RC };
		pl += enc_m3ua_param(params + pl, sizeof params - pl, 0x000b, tmt, 4);
		pl += enc_m3ua_param(params + pl, sizeof params - pl, 0x0006, rc, 4);
	} else {
		uint8_t hb[8] = { 'b', 'e', 'a', 't', (uint8_t)(beat >> 24), (uint8_t)(beat >> 16),
				  (uint8_t)(beat >> 8), (uint8_t)beat };
		pl += enc_m3ua_param(params + pl, sizeof params - pl, 0x0009, hb, 8);
	}
	return enc_m3ua_msg(out, cap, cls, type, params, pl);
}

static void emit_other(struct gen *g, int dir, uint8_t cls, uint8_t type)
{
	static uint8_t m[256];
	uint8_t *mp[1] = { m };
	size_t len[1] = { m3ua_other(m, sizeof m, cls, type, (uint32_t)g->packets) };
	uint16_t st[1] = { 0 };
	emit(g, dir, mp, len, st, 1);
	g->left--;
}

/* ---- MAP dialogues */
enum scen {
	SC_SRI_SM, SC_MT_FSM, SC_MO_FSM, SC_RSDS, SC_UL, SC_SAI, SC_ISD, SC_CL, SC_PURGE,
	SC_ATI, SC_SEND_IMSI, SC_PSI, SC_EVASIVE, SC__COUNT,
	SC_ALL_OPS = SC__COUNT       /* --all-ops: the next entry of gen_ops */
};

/* --all-ops: operation, argument/result form (1: MAP v1/v2), application
 * context (TS 29.002 17.3.2, of that version), direction, calling and called
 * SSN (6 HLR, 7 VLR, 8 MSC/SMSC, 145 GMLC, 147 gsmSCF, 149 SGSN), and
 * whether the answer is a result (else the End carries an error). */
struct gen_op {
	int op;
	uint8_t form;
	const char *acn;
	uint8_t dir;
	uint8_t cg_ssn, cd_ssn;
};
static const struct gen_op gen_ops[] = {
	{ 2, 0, "0.4.0.0.1.0.1.3", GEN_IN, 7, 6 },     /* updateLocation */
	{ 2, 1, "0.4.0.0.1.0.1.1", GEN_IN, 7, 6 },     /* v1: roamingNumber [0], bare hlr-Number */
	{ 3, 1, "0.4.0.0.1.0.2.2", GEN_OUT, 6, 7 },    /* cancelLocation v2: a bare IMSI */
	{ 4, 0, "0.4.0.0.1.0.3.3", GEN_OUT, 6, 7 },    /* provideRoamingNumber */
	{ 4, 1, "0.4.0.0.1.0.3.2", GEN_OUT, 6, 7 },    /* v2: bare roamingNumber result */
	{ 5, 0, "0.4.0.0.1.0.22.3", GEN_OUT, 6, 147 }, /* noteSubscriberDataModified */
	{ 8, 0, "0.4.0.0.1.0.16.3", GEN_OUT, 6, 7 },   /* deleteSubscriberData */
	{ 9, 0, "0.4.0.0.1.0.14.1", GEN_IN, 7, 6 },    /* sendParameters by IMSI */
	{ 9, 1, "0.4.0.0.1.0.15.1", GEN_IN, 7, 7 },    /* sendParameters by TMSI */
	{ 22, 0, "0.4.0.0.1.0.5.3", GEN_IN, 8, 6 },    /* sendRoutingInfo */
	{ 22, 1, "0.4.0.0.1.0.5.2", GEN_IN, 8, 6 },    /* v2 result SEQUENCE */
	{ 23, 0, "0.4.0.0.1.0.32.3", GEN_IN, 149, 6 }, /* updateGprsLocation */
	{ 24, 0, "0.4.0.0.1.0.33.3", GEN_IN, 6, 6 },   /* sendRoutingInfoForGprs */
	{ 37, 0, "0.4.0.0.1.0.10.2", GEN_OUT, 6, 7 },  /* reset */
	{ 37, 1, "0.4.0.0.1.0.10.1", GEN_OUT, 6, 7 },  /* v1 with networkResource */
	{ 45, 1, "0.4.0.0.1.0.20.1", GEN_IN, 8, 6 },   /* SRI-SM v1: result roamingNumber [0] */
	{ 48, 0, "0.4.0.0.1.0.24.1", GEN_IN, 7, 6 },   /* noteSubscriberPresent */
	{ 49, 0, "0.4.0.0.1.0.23.1", GEN_OUT, 6, 8 },  /* alertServiceCentreWithoutResult */
	{ 55, 0, "0.4.0.0.1.0.15.3", GEN_IN, 7, 7 },   /* sendIdentification */
	{ 55, 1, "0.4.0.0.1.0.15.2", GEN_IN, 7, 7 },   /* v2: bare TMSI */
	{ 56, 1, "0.4.0.0.1.0.14.2", GEN_IN, 7, 6 },   /* sendAuthenticationInfo v2 */
	{ 57, 0, "0.4.0.0.1.0.1.3", GEN_IN, 7, 6 },    /* restoreData */
	{ 58, 0, "0.4.0.0.1.0.26.2", GEN_IN, 7, 6 },   /* sendIMSI, with its result */
	{ 59, 0, "0.4.0.0.1.0.19.2", GEN_IN, 8, 6 },   /* processUnstructuredSS-Request */
	{ 60, 0, "0.4.0.0.1.0.19.2", GEN_OUT, 6, 7 },  /* unstructuredSS-Request */
	{ 61, 0, "0.4.0.0.1.0.19.2", GEN_OUT, 6, 7 },  /* unstructuredSS-Notify */
	{ 62, 0, "0.4.0.0.1.0.43.3", GEN_IN, 147, 6 }, /* anyTimeSubscriptionInterrogation */
	{ 63, 0, "0.4.0.0.1.0.20.3", GEN_OUT, 6, 8 },  /* informServiceCentre */
	{ 64, 0, "0.4.0.0.1.0.23.2", GEN_OUT, 6, 8 },  /* alertServiceCentre */
	{ 65, 0, "0.4.0.0.1.0.43.3", GEN_IN, 147, 6 }, /* anyTimeModification */
	{ 66, 0, "0.4.0.0.1.0.24.3", GEN_IN, 7, 6 },   /* readyForSM */
	{ 67, 1, "0.4.0.0.1.0.27.2", GEN_IN, 7, 6 },   /* purgeMS v2 */
	{ 83, 0, "0.4.0.0.1.0.38.3", GEN_IN, 145, 8 }, /* provideSubscriberLocation */
	{ 85, 0, "0.4.0.0.1.0.37.3", GEN_IN, 145, 6 }, /* sendRoutingInfoForLCS */
	{ 86, 0, "0.4.0.0.1.0.38.3", GEN_OUT, 8, 145 }, /* subscriberLocationReport */
	{ 89, 0, "0.4.0.0.1.0.42.3", GEN_OUT, 7, 147 }, /* noteMM-Event */
};
static const uint8_t scen_weight[SC__COUNT] = { 22, 18, 8, 6, 8, 8, 6, 4, 4, 4, 3, 3, 2 };

/* Text owned by one dialogue (the enc_msu fields point here). */
struct dlg {
	struct enc_msu req, res;
	int dir;                     /* of the request */
	char msisdn[20], imsi[20], peer_gt[20], sc[20], tp_addr[20];
	char cg_nat[20], cd_nat[20];   /* --national: GTs without the country code */
	char lmsi[12];               /* --solicited: the LMSI an SRI-SM answer gives */
};

/* --solicited: the LMSI our HLR gives with an IMSI, 8 hex digits derived
 * from it (no draw from the generator: the rest of the capture stays). */
static void lmsi_of(char out[12], const char *imsi)
{
	uint32_t h = 2166136261u;
	for (const char *p = imsi; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	snprintf(out, 12, "%08x", (unsigned)h);
}

static void pick_all_ops(struct gen *g, struct dlg *d);

static void pick_scenario(struct gen *g, struct dlg *d, int sc)
{
	if (sc == SC_MT_FSM && g->solicited && !g->ring_n)
		sc = SC_SRI_SM;          /* --solicited: no SRI-SM answered yet */
	if (sc == SC_ALL_OPS) {
		pick_all_ops(g, d);
		return;
	}
	struct enc_msu *s = &d->req;
	enc_msu_defaults(s);
	rnd_digits(g, d->msisdn, "99912550", 13);
	rnd_digits(g, d->imsi, "9990100000", 15);
	rnd_digits(g, d->sc, "99934000", 9);
	s->msisdn = d->msisdn;
	s->imsi = d->imsi;
	s->sc_addr = d->sc;
	s->otid = rnd(g);
	s->invoke_id = 1 + (int)rnd_n(g, 3);
	s->sls = (uint8_t)rnd_n(g, 16);
	s->opc = GEN_CARRIER_PC;
	s->dpc = GEN_HOME_PC;
	s->rc = GEN_RC;
	d->dir = GEN_IN;
	int req_cg_ssn = 8, req_cd_ssn = 6;
	const char *cg = d->sc, *cd = ENC_HOME_HLR;
	switch (sc) {
	case SC_SRI_SM:
		s->opcode = 45;
		if (g->solicited) {
			snprintf(g->ring_imsi[g->ring_i], sizeof g->ring_imsi[0], "%s", d->imsi);
			snprintf(g->ring_sc[g->ring_i], sizeof g->ring_sc[0], "%s", d->sc);
			lmsi_of(d->lmsi, d->imsi);
			snprintf(g->ring_lmsi[g->ring_i], sizeof g->ring_lmsi[0], "%s", d->lmsi);
			g->ring_i = (g->ring_i + 1) % 8;
			if (g->ring_n < 8)
				g->ring_n++;
		}
		break;
	case SC_MT_FSM:
		s->opcode = 44;
		if (g->solicited && g->ring_n) {
			unsigned j = rnd_n(g, g->ring_n);
			snprintf(d->imsi, sizeof d->imsi, "%s", g->ring_imsi[j]);
			snprintf(d->sc, sizeof d->sc, "%s", g->ring_sc[j]);
			snprintf(d->lmsi, sizeof d->lmsi, "%s", g->ring_lmsi[j]);
			/* the subscriber as SMSCs name it (TS 29.002): by IMSI, by
			 * the LMSI the answer gave, or noSM-RP-DA with the IMSI in
			 * the MAP-OPEN's destinationReference */
			switch (s->otid % 4) {
			case 0:
				s->da_kind = SM_RP_LMSI;
				s->da = d->lmsi;
				break;
			case 1:
				s->da_kind = SM_RP_NO_ADDR;
				s->dest_ref = d->imsi;
				break;
			default:
				break;
			}
		}
		cd = ENC_HOME_MSC;
		req_cd_ssn = 8;
		s->tp_mti = SMS_MTI_DELIVER;
		if (rnd_n(g, 4) == 0) {
			static const char *const names[] = { "InfoSMS", "MyBank", "Promo", "Taxi@24" };
			s->tp_ton = 5;
			s->tp_addr = names[rnd_n(g, 4)];
		} else {
			rnd_digits(g, d->tp_addr, "3361", 11);
			s->tp_addr = d->tp_addr;
		}
		s->tp_text = rnd_n(g, 2) ? "See you at 8" : "Your code is 4711";
		break;
	case SC_MO_FSM:
		s->opcode = 46;
		d->dir = GEN_OUT;
		cg = ENC_HOME_MSC;
		cd = d->sc;
		req_cg_ssn = 8;
		req_cd_ssn = 8;
		s->tp_mti = SMS_MTI_SUBMIT;
		rnd_digits(g, d->tp_addr, "99934", 11);
		s->tp_addr = d->tp_addr;
		s->tp_text = "on my way";
		break;
	case SC_RSDS:
		s->opcode = 47;
		s->outcome = (int)rnd_n(g, 3);
		break;
	case SC_UL:
	case SC_SAI:
	case SC_PURGE:
		s->opcode = sc == SC_UL ? 2 : sc == SC_SAI ? 56 : 67;
		rnd_digits(g, d->peer_gt, "99934100", 11);  /* partner VLR */
		cg = d->peer_gt;
		req_cg_ssn = 7;
		s->msisdn = NULL;
		break;
	case SC_ISD:
	case SC_CL:
		s->opcode = sc == SC_ISD ? 7 : 3;
		d->dir = GEN_OUT;
		rnd_digits(g, d->peer_gt, "99934100", 11);
		cg = ENC_HOME_HLR;
		cd = d->peer_gt;
		req_cg_ssn = 6;
		req_cd_ssn = 7;
		s->msisdn = sc == SC_ISD ? d->msisdn : NULL;
		break;
	case SC_EVASIVE:   /* an SRI-SM hiding an ATI: two invokes, XUDT, odd encodings */
		s->opcode = 45;
		s->n_extra = 1;
		s->extra_opcode[0] = 71;
		s->sccp_type = rnd_n(g, 3) ? SCCP_XUDT : SCCP_LUDT;
		s->reverse_pointers = rnd_n(g, 2) == 0;
		s->form = rnd_n(g, 2) ? BER_LEN_LONG : BER_LEN_INDEFINITE;
		rnd_digits(g, d->peer_gt, "4477009", 12);
		cg = d->peer_gt;
		break;
	case SC_ATI:
	case SC_SEND_IMSI:
	case SC_PSI:
		s->opcode = sc == SC_ATI ? 71 : sc == SC_SEND_IMSI ? 58 : 70;
		rnd_digits(g, d->peer_gt, sc == SC_ATI ? "4477009" : "23480312", 12);  /* foreign */
		cg = d->peer_gt;
		req_cg_ssn = sc == SC_ATI ? 147 : sc == SC_SEND_IMSI ? 7 : 6;
		if (sc == SC_PSI) {
			cd = ENC_HOME_MSC;
			req_cd_ssn = 7;
			s->msisdn = NULL;
		} else {
			s->imsi = NULL;      /* ATI and sendIMSI ask by MSISDN */
		}
		break;
	default:
		break;
	}
	if (d->dir == GEN_OUT) {
		s->opc = GEN_HOME_PC;
		s->dpc = GEN_CARRIER_PC;
	}
	s->cgpa_gt = cg;
	s->cdpa_gt = cd;
	s->cgpa_ssn = req_cg_ssn;
	s->cdpa_ssn = req_cd_ssn;
	/* --national: in a third of the dialogues the GTs of the test world's
	 * country (cc 999) are written as national significant numbers (NAI 3),
	 * and a numeric TP-OA as a national number (TON 2) */
	if (g->national && rnd_n(g, 3) == 0) {
		if (!strncmp(cg, "999", 3)) {
			snprintf(d->cg_nat, sizeof d->cg_nat, "%s", cg + 3);
			s->cgpa_gt = d->cg_nat;
			s->cgpa_nai = 3;
		}
		if (!strncmp(cd, "999", 3)) {
			snprintf(d->cd_nat, sizeof d->cd_nat, "%s", cd + 3);
			s->cdpa_gt = d->cd_nat;
			s->cdpa_nai = 3;
		}
		if (s->tp_addr && s->tp_ton != 5 && !strncmp(s->tp_addr, "3361", 4)) {
			s->tp_ton = 2;
			s->tp_addr += 2;             /* "61...": national in the sender's numbering */
		}
	}

	/* the answer: End, result (or an error for the attacks) */
	struct enc_msu *r = &d->res;
	*r = *s;
	r->opc = s->dpc;
	r->dpc = s->opc;
	r->cgpa_gt = s->cdpa_gt;
	r->cdpa_gt = s->cgpa_gt;
	r->cgpa_nai = s->cdpa_nai;
	r->cdpa_nai = s->cgpa_nai;
	r->cgpa_ssn = req_cd_ssn;
	r->cdpa_ssn = req_cg_ssn;
	r->tcap_type = TCAP_END;
	r->dtid = s->otid;
	r->sls = (uint8_t)rnd_n(g, 16);
	r->comp_type = TCAP_COMP_RESULT_LAST;
	r->imsi = d->imsi;
	r->nnn = ENC_HOME_MSC;
	r->lmsi = g->solicited && sc == SC_SRI_SM ? d->lmsi : NULL;
	r->dest_ref = NULL;
	r->n_extra = 0;               /* the home network answers plainly */
	r->sccp_type = SCCP_UDT;
	r->reverse_pointers = false;
	r->form = BER_LEN_MIN;
	if (sc == SC_ATI || sc == SC_SEND_IMSI || sc == SC_PSI || sc == SC_EVASIVE) {
		r->comp_type = TCAP_COMP_ERROR;
		r->error_code = sc == SC_ATI ? 49 : 34;   /* ati-NotAllowed, systemFailure */
	}
}

/* --all-ops: the next operation of gen_ops, a dialogue between a partner
 * node (99934100...) and the home node of its role, answered by its result. */
static void pick_all_ops(struct gen *g, struct dlg *d)
{
	const struct gen_op *o = &gen_ops[g->next_op++ % (sizeof gen_ops / sizeof gen_ops[0])];
	struct enc_msu *s = &d->req;
	enc_msu_defaults(s);
	rnd_digits(g, d->msisdn, "99912550", 13);
	rnd_digits(g, d->imsi, "9990100000", 15);
	rnd_digits(g, d->peer_gt, "99934100", 11);
	s->msisdn = d->msisdn;
	s->imsi = d->imsi;
	s->otid = rnd(g);
	s->invoke_id = 1 + (int)rnd_n(g, 3);
	s->sls = (uint8_t)rnd_n(g, 16);
	s->rc = GEN_RC;
	s->opcode = o->op;
	s->map_form = o->form;
	s->acn = o->acn;
	d->dir = o->dir;
	s->opc = o->dir == GEN_IN ? GEN_CARRIER_PC : GEN_HOME_PC;
	s->dpc = o->dir == GEN_IN ? GEN_HOME_PC : GEN_CARRIER_PC;
	const char *home = o->cd_ssn == 8 || o->cg_ssn == 8 ? ENC_HOME_MSC : ENC_HOME_HLR;
	s->cgpa_gt = o->dir == GEN_IN ? d->peer_gt : home;
	s->cdpa_gt = o->dir == GEN_IN ? home : d->peer_gt;
	s->cgpa_ssn = o->cg_ssn;
	s->cdpa_ssn = o->cd_ssn;
	struct enc_msu *r = &d->res;
	*r = *s;
	r->opc = s->dpc;
	r->dpc = s->opc;
	r->cgpa_gt = s->cdpa_gt;
	r->cdpa_gt = s->cgpa_gt;
	r->cgpa_ssn = s->cdpa_ssn;
	r->cdpa_ssn = s->cgpa_ssn;
	r->tcap_type = TCAP_END;
	r->dtid = s->otid;
	r->sls = (uint8_t)rnd_n(g, 16);
	r->comp_type = TCAP_COMP_RESULT_LAST;
	r->map_result = true;
}

static int pick(struct gen *g)
{
	unsigned total = 0;
	for (int i = 0; i < SC__COUNT; i++)
		total += scen_weight[i];
	unsigned x = rnd_n(g, total);
	for (int i = 0; i < SC__COUNT; i++) {
		if (x < scen_weight[i])
			return i;
		x -= scen_weight[i];
	}
	return 0;
}

/* k dialogues of one scenario: their Begins in one packet, their Ends in another. */
static void burst(struct gen *g, int sc, int k)
{
	static struct dlg d[GEN_MAX_BUNDLE];
	static uint8_t req[GEN_MAX_BUNDLE][GEN_MSG_MAX], res[GEN_MAX_BUNDLE][GEN_MSG_MAX];
	uint8_t *rq[GEN_MAX_BUNDLE], *rs[GEN_MAX_BUNDLE];
	size_t rql[GEN_MAX_BUNDLE], rsl[GEN_MAX_BUNDLE];
	uint16_t rqs[GEN_MAX_BUNDLE], rss[GEN_MAX_BUNDLE];
	for (int i = 0; i < k; i++) {
		pick_scenario(g, &d[i], sc);
		rq[i] = req[i];
		rs[i] = res[i];
		rql[i] = enc_msu_build(req[i], GEN_MSG_MAX, &d[i].req);
		rsl[i] = enc_msu_build(res[i], GEN_MSG_MAX, &d[i].res);
		if (!rql[i] || !rsl[i]) {
			fprintf(stderr, "ss7gen: cannot encode scenario %d\n", sc);
			exit(1);
		}
		rqs[i] = (uint16_t)(1 + d[i].req.sls % 15);
		rss[i] = (uint16_t)(1 + d[i].res.sls % 15);
	}
	emit(g, d[0].dir, rq, rql, rqs, k);
	g->usec += 2000 + rnd_n(g, 30000);
	emit(g, !d[0].dir, rs, rsl, rss, k);
	g->left -= 2 * k;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ss7gen [-n COUNT] [-s SEED] [--tcp] [--ipv6] [--sll] [--all-ops] [--national] [--solicited] -o FILE.pcap\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "sll", no_argument, NULL, 'l' },
		{ "all-ops", no_argument, NULL, 'a' },
		{ "national", no_argument, NULL, 'N' },
		{ "solicited", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long count = 100;
	unsigned long long seed = 1;
	bool tcp = false, v6 = false, sll = false, all_ops = false, national = false, solicited = false;
	const char *path = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "n:s:o:h", opts, NULL)) != -1) {
		char *end;
		switch (o) {
		case 'n':
			count = strtol(optarg, &end, 10);
			if (*end || count < 0) {
				usage(stderr);
				return 2;
			}
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end) {
				usage(stderr);
				return 2;
			}
			break;
		case 'o': path = optarg; break;
		case 't': tcp = true; break;
		case '6': v6 = true; break;
		case 'l': sll = true; break;
		case 'a': all_ops = true; break;
		case 'N': national = true; break;
		case 'S': solicited = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!path || optind != argc) {
		usage(stderr);
		return 2;
	}
	struct gen *g = calloc(1, sizeof *g);
	if (!g)
		return 1;
	g->rng = seed * 0x9e3779b97f4a7c15ull + 0x1234567;
	if (!g->rng)
		g->rng = 1;
	g->rng_tcp = g->rng ^ 0x5555aaaa5555aaaaull;
	g->tcp = tcp;
	g->all_ops = all_ops;
	g->national = national;
	g->solicited = solicited;
	g->left = count;
	static const uint8_t carrier4[4] = { 10, 1, 0, 1 }, core4[4] = { 10, 2, 0, 1 };
	static const uint8_t carrier6[16] = { 0xfd, [15] = 1 }, core6[16] = { 0xfd, [13] = 2, [15] = 1 };
	for (int dir = 0; dir < 2; dir++) {
		struct enc_flow *f = &g->flow[dir];
		f->link = sll ? ENC_LINK_SLL : ENC_LINK_ETH;
		f->ipv6 = v6;
		const uint8_t *a = v6 ? carrier6 : carrier4, *b = v6 ? core6 : core4;
		size_t al = v6 ? 16 : 4;
		memcpy(f->src, dir == GEN_IN ? a : b, al);
		memcpy(f->dst, dir == GEN_IN ? b : a, al);
		f->sport = 2905;
		f->dport = 2905;
		g->tsn[dir] = 1000 + rnd(g) % 100000;
		g->vtag[dir] = rnd(g);
		g->seq[dir] = rnd(g);
	}
	g->fp = fopen(path, "wb");
	if (!g->fp) {
		perror(path);
		free(g);
		return 1;
	}
	enc_pcap_header(g->fp, enc_link_type(g->flow[0].link), 65535);
	if (tcp) {   /* the carrier connects to the firewall */
		uint32_t isn_c = g->seq[GEN_IN] - 1, isn_s = g->seq[GEN_OUT] - 1;
		write_frame(g, enc_frame_tcp(frame_buf, sizeof frame_buf, &g->flow[GEN_IN], isn_c, 0, 0x02, NULL, 0));
		g->usec += 100;
		write_frame(g, enc_frame_tcp(frame_buf, sizeof frame_buf, &g->flow[GEN_OUT], isn_s,
					     g->seq[GEN_IN], 0x12, NULL, 0));
		g->usec += 100;
		write_frame(g, enc_frame_tcp(frame_buf, sizeof frame_buf, &g->flow[GEN_IN], g->seq[GEN_IN],
					     g->seq[GEN_OUT], 0x10, NULL, 0));
	}
	if (g->left >= 2) {          /* ASP Active / Ack */
		emit_other(g, GEN_IN, 4, 1);
		emit_other(g, GEN_OUT, 4, 3);
	}
	while (g->left > 0) {
		if (g->left == 1) {
			emit_other(g, GEN_IN, 3, 3);         /* a lone BEAT */
			break;
		}
		if (rnd_n(g, 40) == 0) {                 /* BEAT / BEAT Ack */
			emit_other(g, GEN_IN, 3, 3);
			emit_other(g, GEN_OUT, 3, 4);
			continue;
		}
		int sc = g->all_ops && rnd_n(g, 2) == 0 ? SC_ALL_OPS : pick(g);
		int k = rnd_n(g, 4) == 0 ? 2 + (int)rnd_n(g, GEN_MAX_BUNDLE - 1) : 1;
		while (2 * k > g->left)
			k--;
		burst(g, sc, k);
	}
	if (fclose(g->fp) != 0) {
		perror(path);
		free(g);
		return 1;
	}
	free(g);
	return 0;
}
