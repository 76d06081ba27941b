/* ss7fw — the MSU record as one JSON line (shared/design/event-schema.md).
 * A bounded writer into the caller's buffer: no allocation; if the record
 * does not fit, 0 is returned. A field whose layer is absent is omitted.
 *
 * Speed: `ss7fw replay` writes one record per MSU, so this writer is on the
 * replay's hot path (and the event log's). It formats by hand: integers,
 * hex, digits, OID arcs and the timestamp without printf, strftime or
 * gmtime (no locale, no stdio), and copies literal keys whose length the
 * compiler knows. Every write checks the room left once and never writes
 * past cap; the line is NUL-terminated when it fits.
 *
 * How to add a field (keep the record stable: add, never rename):
 *  1. Find the layer's function below (ev_sccp, ev_tcap, ev_component, ev_map,
 *     ev_tp, ...; event_json() calls them in record order) and add one line
 *     where the field belongs in the order of event-schema.md, e.g.
 *        if (f->has_node) kv_digits(w, "node", &f->node);
 *     with the kv_* helper of its type: kv_str (any text, escaped), kv_name
 *     (a name from our own tables: no escaping needed), kv_int, kv_bool,
 *     kv_digits (BCD digits), kv_hex (octets as lowercase hex), kv_oid
 *     (dotted decimal). An object is jw_open(w, "key", '{') ...
 *     jw_close(w, '}'); an array member object is jw_open(w, NULL, '{').
 *  2. Omit the field when its value is absent (no nulls).
 *  3. Add the field to event-schema.md and an exact line to
 *     tests/unit/test_event_json.c.
 * For a new layer, write an ev_<layer>() beside the others and call it from
 * event_json(). Keys are C string literals (no escaping is applied to them). */
#include "ss7fw/event.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define EV_OID_ARCS 32

struct jw {
	char *p;          /* next byte to write */
	char *end;        /* out + cap - 1: the last byte is kept for the NUL */
	bool full;        /* a write did not fit: the record is abandoned */
	bool first;       /* no member written yet in the open object/array */
};

/* Room for n more bytes? Once a write fails every later one does too. */
static inline bool jw_room(struct jw *w, size_t n)
{
	if (w->full || n > (size_t)(w->end - w->p)) {
		w->full = true;
		return false;
	}
	return true;
}

static inline void jw_raw(struct jw *w, const char *s, size_t n)
{
	if (!jw_room(w, n))
		return;
	memcpy(w->p, s, n);
	w->p += n;
}

static inline void jw_ch(struct jw *w, char c)
{
	if (!jw_room(w, 1))
		return;
	*w->p++ = c;
}

/* A literal (or any NUL-terminated text that needs no escaping). */
static inline void jw_lit(struct jw *w, const char *s) { jw_raw(w, s, strlen(s)); }

static const char dec2[200] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

static const char hexd[16] = "0123456789abcdef";

/* Decimal digits of v written backwards ending at e; returns the first. */
static inline char *fmt_u64(char *e, uint64_t v)
{
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		e -= 2;
		memcpy(e, dec2 + 2 * r, 2);
	}
	if (v >= 10) {
		e -= 2;
		memcpy(e, dec2 + 2 * v, 2);
	} else {
		*--e = (char)('0' + v);
	}
	return e;
}

static inline void jw_i64(struct jw *w, long long v)
{
	if (v >= 0 && v < 100) {                 /* most values: one or two digits */
		if (v < 10) {
			jw_ch(w, (char)('0' + v));
		} else if (jw_room(w, 2)) {
			memcpy(w->p, dec2 + 2 * v, 2);
			w->p += 2;
		}
		return;
	}
	char b[21];
	/* the magnitude as unsigned: also right for LLONG_MIN */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *s = fmt_u64(b + sizeof b, u);
	if (v < 0)
		*--s = '-';
	jw_raw(w, s, (size_t)(b + sizeof b - s));
}

/* Which bytes a JSON string must escape (RFC 8259 7): quote, backslash,
 * controls; we also escape DEL. */
static inline bool json_plain(unsigned char ch)
{
	return ch >= 0x20 && ch != '"' && ch != '\\' && ch != 0x7f;
}

/* A JSON string: quotes, backslash and control characters escaped
 * (\n \r \t by name, others as \u00XX). Runs of plain bytes are copied at once. */
static void jw_str(struct jw *w, const char *s)
{
	jw_ch(w, '"');
	for (;;) {
		const char *r = s;
		while (json_plain((unsigned char)*r))
			r++;
		jw_raw(w, s, (size_t)(r - s));
		unsigned char ch = (unsigned char)*r;
		if (!ch)
			break;
		s = r + 1;
		char esc[6] = { '\\', 'u', '0', '0', hexd[ch >> 4], hexd[ch & 15] };
		switch (ch) {
		case '"':  jw_raw(w, "\\\"", 2); break;
		case '\\': jw_raw(w, "\\\\", 2); break;
		case '\n': jw_raw(w, "\\n", 2); break;
		case '\r': jw_raw(w, "\\r", 2); break;
		case '\t': jw_raw(w, "\\t", 2); break;
		default:   jw_raw(w, esc, 6); break;
		}
	}
	jw_ch(w, '"');
}

static inline void jw_sep(struct jw *w)
{
	if (!w->first)
		jw_ch(w, ',');
	w->first = false;
}

/* The key helpers are inlined into each call so that strlen(k) of the
 * literal key and the copies of it compile to constants and moves. */
#define JW_INLINE static inline __attribute__((always_inline))

/* ,"k": (k is a literal: no escaping) */
JW_INLINE void jw_key(struct jw *w, const char *k)
{
	size_t n = strlen(k);
	jw_sep(w);
	if (!jw_room(w, n + 3))
		return;
	w->p[0] = '"';
	memcpy(w->p + 1, k, n);
	w->p[n + 1] = '"';
	w->p[n + 2] = ':';
	w->p += n + 3;
}

static void jw_open(struct jw *w, const char *k, char brace)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	jw_ch(w, brace);
	w->first = true;
}

static void jw_close(struct jw *w, char brace)
{
	jw_ch(w, brace);
	w->first = false;
}

JW_INLINE void kv_str(struct jw *w, const char *k, const char *v) { jw_key(w, k); jw_str(w, v); }
JW_INLINE void kv_int(struct jw *w, const char *k, long long v) { jw_key(w, k); jw_i64(w, v); }

JW_INLINE void kv_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	if (v)
		jw_raw(w, "true", 4);
	else
		jw_raw(w, "false", 5);
}

/* A name from our own tables (plain ASCII, no quote, backslash or control):
 * written without the escaping scan. Any other text goes through kv_str. */
JW_INLINE void kv_name(struct jw *w, const char *k, const char *v)
{
	size_t n = strlen(v);
	jw_key(w, k);
	if (!jw_room(w, n + 2))
		return;
	w->p[0] = '"';
	memcpy(w->p + 1, v, n);
	w->p[n + 1] = '"';
	w->p += n + 2;
}

/* BCD digits as text: "0"-"9", "a"-"f" for the other nibbles (digits_to_str's
 * alphabet), at most WIRE_MAX_DIGITS; an empty view is "". Never needs escaping. */
static void kv_digits(struct jw *w, const char *k, const struct digits *d)
{
	unsigned n = d->n && d->p ? d->n : 0;
	if (n > WIRE_MAX_DIGITS)
		n = WIRE_MAX_DIGITS;
	jw_key(w, k);
	if (!jw_room(w, n + 2))
		return;
	char *o = w->p;
	*o++ = '"';
	for (unsigned i = 0; i < n; i++)
		*o++ = hexd[digits_at(d, i)];
	*o++ = '"';
	w->p = o;
}

/* The canonical (E.164) form of a number, under key k, only when it has
 * one and it differs from the wire digits (docs/policy.md, "Numbers"). */
static void kv_e164(struct jw *w, const char *k, const struct digits *d, uint8_t form,
		    const struct num_plan *plan)
{
	struct num x;
	num_canon(&x, d, form, plan);
	if (!x.d || !x.e164 || (x.pre_n == 0 && x.skip == 0))
		return;
	jw_key(w, k);
	if (!jw_room(w, (size_t)x.n + 2))
		return;
	char *o = w->p;
	*o++ = '"';
	for (unsigned i = 0; i < x.n; i++)
		*o++ = hexd[num_at(&x, i)];
	*o++ = '"';
	w->p = o;
}

/* Octets as lowercase hex in quotes. */
static void kv_hex(struct jw *w, const char *k, struct bytes b)
{
	jw_key(w, k);
	if (b.len > ((size_t)(w->end - w->p)) / 2 || !jw_room(w, 2 * b.len + 2)) {
		w->full = true;
		return;
	}
	char *o = w->p;
	*o++ = '"';
	for (size_t i = 0; i < b.len; i++) {
		*o++ = hexd[b.p[i] >> 4];
		*o++ = hexd[b.p[i] & 15];
	}
	*o++ = '"';
	w->p = o;
}

/* OID contents as dotted decimal; hex if they do not decode. */
static void kv_oid(struct jw *w, const char *k, struct bytes b)
{
	uint32_t arcs[EV_OID_ARCS];
	int n = ber_oid_arcs(b, arcs, EV_OID_ARCS);
	if (n <= 0) {
		kv_hex(w, k, b);
		return;
	}
	/* at most 11 bytes an arc ("." and 10 digits): format into a local
	 * buffer, then one bounded copy */
	char buf[EV_OID_ARCS * 11 + 2];
	char *o = buf;
	*o++ = '"';
	for (int i = 0; i < n; i++) {
		char t[10];
		char *s = fmt_u64(t + sizeof t, arcs[i]);
		if (i)
			*o++ = '.';
		memcpy(o, s, (size_t)(t + sizeof t - s));
		o += t + sizeof t - s;
	}
	*o++ = '"';
	jw_key(w, k);
	jw_raw(w, buf, (size_t)(o - buf));
}

static const char *layer_name(uint8_t l)
{
	static const char *const n[] = { "none", "m3ua", "sccp", "tcap", "map" };
	return l < sizeof n / sizeof n[0] ? n[l] : "?";
}

static const char *result_name(uint8_t r)
{
	static const char *const n[] = { "ok", "malformed", "truncated", "unsupported" };
	return r < sizeof n / sizeof n[0] ? n[r] : "?";
}

static void ev_sccp_addr(struct jw *w, const char *k, const struct sccp_addr *a,
			 const struct num_plan *plan)
{
	jw_open(w, k, '{');
	kv_name(w, "ri", a->route_on_gt ? "gt" : "ssn");
	if (a->has_pc)
		kv_int(w, "pc", a->pc);
	if (a->has_ssn)
		kv_int(w, "ssn", a->ssn);
	kv_int(w, "gti", a->gti);
	if (a->has_tt)
		kv_int(w, "tt", a->tt);
	if (a->has_np)
		kv_int(w, "np", a->np);
	if (a->has_nai)
		kv_int(w, "nai", a->nai);
	if (a->gti != 0) {
		kv_digits(w, "digits", &a->gt);
		kv_e164(w, "e164", &a->gt, num_form_gt(a), plan);
	}
	jw_close(w, '}');
}

static void ev_sccp(struct jw *w, const struct sccp_info *s, const struct num_plan *plan)
{
	jw_open(w, "sccp", '{');
	kv_str(w, "type", sccp_type_name(s->type));
	kv_int(w, "class", s->proto_class);
	kv_bool(w, "return_on_error", s->return_on_error);
	if (s->has_cause)
		kv_int(w, "cause", s->cause);
	if (s->has_hop_counter)
		kv_int(w, "hop_counter", s->hop_counter);
	if (s->cdpa.present)
		ev_sccp_addr(w, "cdpa", &s->cdpa, plan);
	if (s->cgpa.present)
		ev_sccp_addr(w, "cgpa", &s->cgpa, plan);
	if (s->has_segment) {
		jw_open(w, "segment", '{');
		kv_bool(w, "first", s->seg_first);
		kv_int(w, "remaining", s->seg_remaining);
		kv_int(w, "ref", s->seg_ref);
		jw_close(w, '}');
	}
	if (s->has_importance)
		kv_int(w, "importance", s->importance);
	jw_close(w, '}');
}

static void ev_component(struct jw *w, const struct tcap_component *c)
{
	jw_open(w, NULL, '{');
	kv_str(w, "type", tcap_comp_type_name(c->type));
	if (c->has_invoke_id)
		kv_int(w, "invoke_id", c->invoke_id);
	if (c->has_linked_id)
		kv_int(w, "linked_id", c->linked_id);
	if (c->has_opcode) {
		if (c->opcode_global)
			kv_oid(w, "opcode_global", c->opcode_oid);
		else
			kv_int(w, "opcode", c->opcode);
	}
	if (c->has_error) {
		if (c->error_global)
			kv_bool(w, "error_global", true);
		else
			kv_int(w, "error", c->error);
	}
	if (c->has_problem) {
		kv_int(w, "problem_type", c->problem_type);
		kv_int(w, "problem", c->problem);
	}
	jw_close(w, '}');
}

static void ev_tcap(struct jw *w, const struct msu *m)
{
	const struct tcap_info *t = &m->tcap;
	jw_open(w, "tcap", '{');
	kv_str(w, "type", tcap_type_name(t->type));
	kv_name(w, "app", tcap_app_name(m->app));
	if (t->otid.len)
		kv_hex(w, "otid", t->otid);
	if (t->dtid.len)
		kv_hex(w, "dtid", t->dtid);
	if (t->acn.len)
		kv_oid(w, "acn", t->acn);
	if (t->has_dest_ref)
		kv_digits(w, "dest_ref", &t->dest_ref);
	if (t->has_dialogue_result)
		kv_int(w, "dialogue_result", t->dialogue_result);
	if (t->has_abort_cause)
		kv_int(w, "abort_cause", t->abort_cause);
	if (t->n_components) {
		jw_open(w, "components", '[');
		unsigned n = t->n_components <= TCAP_MAX_COMPONENTS ? t->n_components : TCAP_MAX_COMPONENTS;
		for (unsigned i = 0; i < n; i++)
			ev_component(w, &t->comp[i]);
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

/* A MAP address: its wire digits under k, its canonical form (when it
 * differs) under k_e164. */
static void kv_map_addr2(struct jw *w, const char *k, const char *k164, const struct map_addr *a,
			 const struct num_plan *plan)
{
	if (!a->present)
		return;
	kv_digits(w, k, &a->d);
	kv_e164(w, k164, &a->d, num_form_ton(a->ton, a->npi), plan);
}
#define kv_map_addr(w, k, a, plan) kv_map_addr2(w, k, k "_e164", a, plan)

static void ev_sm_rp(struct jw *w, const char *k, const struct map_sm_rp *r, const struct num_plan *plan)
{
	if (r->kind == SM_RP_NONE)
		return;
	jw_open(w, k, '{');
	kv_str(w, "kind", sm_rp_kind_name(r->kind));
	if (r->d.n) {
		kv_digits(w, "digits", &r->d);
		if (r->kind == SM_RP_MSISDN || r->kind == SM_RP_SC_ADDR)
			kv_e164(w, "e164", &r->d, num_form_ton(r->ton, r->npi), plan);
	}
	jw_close(w, '}');
}

static void ev_tp(struct jw *w, const struct sms_tpdu *tp, const struct num_plan *plan)
{
	/* the address key and its companions, by message type (23.040 9.2.2) */
	static const char *const keys[][4] = {
		{ "oa", "oa_ton", "oa_alnum", "oa_e164" },
		{ "da", "da_ton", "da_alnum", "da_e164" },
		{ "ra", "ra_ton", "ra_alnum", "ra_e164" },
		{ "addr", "addr_ton", "addr_alnum", "addr_e164" },
	};
	jw_open(w, "tp", '{');
	kv_str(w, "mti", sms_mti_name(tp->mti));
	const char *const *k = keys[tp->mti == SMS_MTI_DELIVER ? 0 :
				    tp->mti == SMS_MTI_SUBMIT ? 1 :
				    tp->mti == SMS_MTI_STATUS_REPORT ? 2 : 3];
	if (tp->addr.present) {
		if (tp->addr.alnum) {
			char text[4 * 32];
			gsm7_to_str(tp->addr.raw, tp->addr.nchars, text, sizeof text);
			kv_str(w, k[0], text);
		} else {
			kv_digits(w, k[0], &tp->addr.d);
			kv_e164(w, k[3], &tp->addr.d, num_form_ton(tp->addr.ton, tp->addr.npi), plan);
		}
		kv_int(w, k[1], tp->addr.ton);
		kv_bool(w, k[2], tp->addr.alnum);
	}
	if (tp->has_pid)
		kv_int(w, "pid", tp->pid);
	if (tp->has_dcs)
		kv_int(w, "dcs", tp->dcs);
	jw_close(w, '}');
}

static bool has_map_fields(const struct map_fields *f)
{
	return f->state != MAP_NOT_DECODED || f->msisdn.present || f->imsi.n ||
	       f->sc_addr.present || f->sm_rp_da.kind || f->sm_rp_oa.kind || f->tp.present;
}

/* "cap": the operation of the first component that names one (CAP
 * arguments are not decoded). */
static void ev_cap(struct jw *w, const struct tcap_info *t)
{
	unsigned n = t->n_components <= TCAP_MAX_COMPONENTS ? t->n_components : TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n; i++) {
		const struct tcap_component *c = &t->comp[i];
		const char *op = c->has_opcode && !c->opcode_global ? cap_op_name(c->opcode) : NULL;
		if (!op)
			continue;
		jw_open(w, "cap", '{');
		kv_name(w, "op", op);
		jw_close(w, '}');
		return;
	}
}

/* "scmg": an SCCP management message (Q.713 5.3). */
static void ev_scmg(struct jw *w, const struct scmg_info *g)
{
	jw_open(w, "scmg", '{');
	kv_name(w, "type", scmg_type_name(g->type));
	kv_int(w, "affected_ssn", g->affected_ssn);
	kv_int(w, "affected_pc", g->affected_pc);
	kv_int(w, "smi", g->smi);
	if (g->has_congestion)
		kv_int(w, "congestion", g->congestion);
	jw_close(w, '}');
}

/* USSD DCS (TS 23.038 5, the CBS data coding scheme) of the GSM 7-bit
 * default alphabet: groups 0000 to 0011 (0x11, UCS2 with a language
 * indication, excepted), general data coding 01xx and 1001 with alphabet
 * bits 00, and 1111 with bit 2 clear. */
static bool ussd_dcs_gsm7(uint8_t dcs)
{
	switch (dcs >> 4) {
	case 0x0: case 0x2: case 0x3: return true;
	case 0x1: return dcs == 0x10;
	case 0x4: case 0x5: case 0x6: case 0x7: case 0x9: return (dcs & 0x0c) == 0;
	case 0xf: return (dcs & 0x04) == 0;
	default: return false;
	}
}

/* "ussd": {"dcs": N, "text": "..."} for GSM 7-bit (the septets that fit the
 * octets, less a CR filling 7 spare bits, TS 23.038 6.1.2.3.1), else
 * {"dcs": N, "hex": "..."}. */
static void ev_ussd(struct jw *w, const struct map_fields *f)
{
	jw_open(w, "ussd", '{');
	kv_int(w, "dcs", f->ussd_dcs);
	struct bytes u = f->ussd_string;
	if (ussd_dcs_gsm7(f->ussd_dcs) && u.len) {
		char text[200];
		unsigned nch = (unsigned)(u.len * 8 / 7);
		if (nch % 8 == 0 && (u.p[u.len - 1] >> 1) == 0x0d)
			nch--;
		gsm7_to_str(u, nch, text, sizeof text);
		kv_str(w, "text", text);
	} else {
		kv_hex(w, "hex", u);
	}
	jw_close(w, '}');
}

/* "map": the first invoke, else the first component with MAP fields, else
 * the first result that names its operation. "op" is the operation of that
 * component when it carries a local opcode (an invoke, or a result with its
 * result sequence). */
static void ev_map(struct jw *w, const struct tcap_info *t, const struct num_plan *plan)
{
	const struct tcap_component *c = NULL;
	unsigned n = t->n_components <= TCAP_MAX_COMPONENTS ? t->n_components : TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n && !c; i++)
		if (t->comp[i].type == TCAP_COMP_INVOKE)
			c = &t->comp[i];
	for (unsigned i = 0; i < n && !c; i++)
		if (has_map_fields(&t->comp[i].map))
			c = &t->comp[i];
	for (unsigned i = 0; i < n && !c; i++)
		if ((t->comp[i].type == TCAP_COMP_RESULT_LAST || t->comp[i].type == TCAP_COMP_RESULT) &&
		    t->comp[i].has_opcode && !t->comp[i].opcode_global)
			c = &t->comp[i];
	if (!c)
		return;
	const char *op = c->has_opcode && !c->opcode_global ? map_op_name_ctx(c->opcode, t) : NULL;
	const struct map_fields *f = &c->map;
	if (!op && !has_map_fields(f))
		return;
	jw_open(w, "map", '{');
	if (op)
		kv_name(w, "op", op);
	kv_map_addr(w, "msisdn", &f->msisdn, plan);
	if (f->imsi.n)
		kv_digits(w, "imsi", &f->imsi);
	kv_map_addr(w, "sc_addr", &f->sc_addr, plan);
	kv_map_addr(w, "nnn", &f->nnn, plan);
	kv_map_addr(w, "msc_vlr", &f->msc_vlr, plan);
	kv_map_addr(w, "vlr_number", &f->vlr, plan);
	kv_map_addr(w, "msc_number", &f->msc, plan);
	kv_map_addr(w, "sgsn_number", &f->sgsn, plan);
	kv_map_addr(w, "hlr_number", &f->hlr, plan);
	kv_map_addr(w, "gmsc_address", &f->gmsc, plan);
	kv_map_addr(w, "mlc_number", &f->mlc, plan);
	kv_map_addr(w, "gsmscf_address", &f->gsmscf, plan);
	kv_map_addr(w, "roaming_number", &f->roaming_nr, plan);
	if (f->tmsi.len)
		kv_hex(w, "tmsi", f->tmsi);
	if (f->lmsi.n)
		kv_digits(w, "lmsi", &f->lmsi);
	if (f->has_ussd)
		ev_ussd(w, f);
	if (f->has_sm_rp_pri)
		kv_bool(w, "sm_rp_pri", f->sm_rp_pri);
	ev_sm_rp(w, "sm_rp_da", &f->sm_rp_da, plan);
	ev_sm_rp(w, "sm_rp_oa", &f->sm_rp_oa, plan);
	if (f->has_outcome)
		kv_int(w, "outcome", f->outcome);
	if (f->tp.present)
		ev_tp(w, &f->tp, plan);
	jw_close(w, '}');
}

static const char *const anomaly_json[] = {
#define EV_ANOM_NAME(id, name, desc) name,
	WIRE_ANOMALIES(EV_ANOM_NAME)
#undef EV_ANOM_NAME
};

static void ev_anomalies(struct jw *w, uint64_t set)
{
	jw_open(w, "anomalies", '[');
	for (unsigned a = 0; a < ANOM__COUNT; a++)
		if (set & ANOM_BIT(a)) {
			jw_sep(w);
			jw_str(w, anomaly_json[a]);
		}
	jw_close(w, ']');
}

/* Days since 1970-01-01 to a proleptic Gregorian date (the civil calendar
 * in 400-year eras of 146,097 days, eras starting on March 1st). d >= 0. */
static void civil_from_days(int64_t d, int64_t *y, unsigned *m, unsigned *day)
{
	d += 719468;                                    /* days from 0000-03-01 */
	int64_t era = d / 146097;
	unsigned doe = (unsigned)(d - era * 146097);    /* [0, 146096] */
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;              /* March = 0 */
	*day = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Slow path for instants outside 1970..9999 or a denormal tv_nsec: the
 * C library, exactly as the record has always been written. */
static void ev_ts_libc(struct jw *w, const struct timespec *ts)
{
	struct tm tm;
	time_t sec = ts->tv_sec;
	char buf[40];
	if (!gmtime_r(&sec, &tm)) {
		kv_name(w, "ts", "");
		return;
	}
	size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof buf - n, ".%06ldZ", (long)(ts->tv_nsec / 1000) % 1000000);
	kv_str(w, "ts", buf);
}

static inline void put2(char *o, unsigned v) { memcpy(o, dec2 + 2 * v, 2); }

/* "ts": ISO 8601 UTC with microseconds, e.g. "2026-11-25T08:00:01.250000Z". */
static void ev_ts(struct jw *w, const struct timespec *ts)
{
	if (ts->tv_sec < 0 || ts->tv_sec > 253402300799LL ||   /* 9999-12-31T23:59:59 */
	    ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000L) {
		ev_ts_libc(w, ts);
		return;
	}
	int64_t s = ts->tv_sec;
	int64_t y;
	unsigned mon, day;
	civil_from_days(s / 86400, &y, &mon, &day);
	unsigned sod = (unsigned)(s % 86400);
	unsigned us = (unsigned)(ts->tv_nsec / 1000);
	char b[] = "\"0000-00-00T00:00:00.000000Z\"";
	put2(b + 1, (unsigned)y / 100);
	put2(b + 3, (unsigned)y % 100);
	put2(b + 6, mon);
	put2(b + 9, day);
	put2(b + 12, sod / 3600);
	put2(b + 15, sod / 60 % 60);
	put2(b + 18, sod % 60);
	put2(b + 21, us / 10000);
	put2(b + 23, us / 100 % 100);
	put2(b + 25, us % 100);
	jw_key(w, "ts");
	jw_raw(w, b, sizeof b - 1);
}

size_t event_json(char *out, size_t cap, const struct msu *m,
		  const struct msu_meta *meta, const struct fw_decision *d)
{
	if (!cap)
		return 0;
	struct jw w = { .p = out, .end = out + cap - 1, .first = true };
	jw_ch(&w, '{');
	ev_ts(&w, &meta->ts);
	kv_int(&w, "frame", (long long)meta->frame);
	kv_str(&w, "link", meta->link_name ? meta->link_name : "");
	kv_name(&w, "dir", meta->dir == FW_DIR_OUT ? "out" : "in");
	if (m->m3ua.present) {
		jw_open(&w, "m3ua", '{');
		bool data = m->m3ua.msg_class == 1 && m->m3ua.msg_type == 1;
		if (!data) {
			kv_str(&w, "class", m3ua_class_name(m->m3ua.msg_class));
			kv_int(&w, "msg_type", m->m3ua.msg_type);
		}
		if (m->m3ua.has_rc)
			kv_int(&w, "rc", m->m3ua.rc);
		if (m->m3ua.has_na)
			kv_int(&w, "na", m->m3ua.na);
		kv_int(&w, "stream", meta->stream);
		jw_close(&w, '}');
	}
	if (m->m3ua.present && m->m3ua.has_pd) {
		jw_open(&w, "mtp3", '{');
		kv_int(&w, "opc", m->m3ua.opc);
		kv_int(&w, "dpc", m->m3ua.dpc);
		kv_int(&w, "si", m->m3ua.si);
		kv_int(&w, "ni", m->m3ua.ni);
		kv_int(&w, "mp", m->m3ua.mp);
		kv_int(&w, "sls", m->m3ua.sls);
		jw_close(&w, '}');
	}
	if (m->sccp.present)
		ev_sccp(&w, &m->sccp, m->plan);
	if (m->scmg.present)
		ev_scmg(&w, &m->scmg);
	if (m->tcap.present) {
		ev_tcap(&w, m);
		if (m->app == TCAP_APP_CAP)
			ev_cap(&w, &m->tcap);
		else
			ev_map(&w, &m->tcap, m->plan);
	}
	ev_anomalies(&w, m->anomalies);
	if (m->error_layer != LAYER_NONE) {
		jw_open(&w, "error", '{');
		kv_name(&w, "layer", layer_name(m->error_layer));
		kv_name(&w, "result", result_name(m->error));
		jw_close(&w, '}');
	}
	kv_str(&w, "verdict", d->held ? "held" : fw_verdict_name(d->verdict));
	if (d->segments > 1)
		kv_int(&w, "segments", d->segments);
	if (d->reason != FW_REASON_NONE)
		kv_str(&w, "reason", fw_reason_name(d->reason));
	if (d->rule)
		kv_str(&w, "rule", d->rule);
	if (d->perpetrator[0])
		kv_str(&w, "perpetrator", d->perpetrator);
	kv_bool(&w, "shadow", d->shadow);
	jw_raw(&w, "}\n", 2);
	if (w.full)
		return 0;
	*w.p = 0;
	return (size_t)(w.p - out);
}
