/* ss7fw — the MSU record as one JSON line (shared/design/event-schema.md).
 * A bounded writer into the caller's buffer: no allocation; if the record
 * does not fit, 0 is returned. A field whose layer is absent is omitted. */
#include "ss7fw/event.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ss7fw/ber.h"
#include "ss7fw/wire.h"

#define EV_OID_ARCS 32

struct jw {
	char *p;
	size_t len, cap;
	bool full;
	bool first;                  /* no member written yet in the open object/array */
};

static void jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->full || n >= w->cap - w->len) {   /* keep one byte for the NUL */
		w->full = true;
		return;
	}
	memcpy(w->p + w->len, s, n);
	w->len += n;
	w->p[w->len] = 0;
}

static void jw_s(struct jw *w, const char *s) { jw_raw(w, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void jw_f(struct jw *w, const char *fmt, ...)
{
	if (w->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(w->p + w->len, w->cap - w->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->cap - w->len) {
		w->full = true;
		return;
	}
	w->len += (size_t)n;
}

/* A JSON string: quotes, backslash and control characters escaped (RFC 8259 7). */
static void jw_str(struct jw *w, const char *s)
{
	jw_raw(w, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"')
			jw_raw(w, "\\\"", 2);
		else if (ch == '\\')
			jw_raw(w, "\\\\", 2);
		else if (ch == '\n')
			jw_raw(w, "\\n", 2);
		else if (ch == '\r')
			jw_raw(w, "\\r", 2);
		else if (ch == '\t')
			jw_raw(w, "\\t", 2);
		else if (ch < 0x20 || ch == 0x7f)
			jw_f(w, "\\u%04x", ch);
		else
			jw_raw(w, (const char *)&ch, 1);
	}
	jw_raw(w, "\"", 1);
}

static void jw_sep(struct jw *w)
{
	if (!w->first)
		jw_raw(w, ",", 1);
	w->first = false;
}

static void jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	jw_raw(w, "\"", 1);
	jw_s(w, k);
	jw_raw(w, "\":", 2);
}

static void jw_open(struct jw *w, const char *k, char brace)
{
	if (k)
		jw_key(w, k);
	else
		jw_sep(w);
	jw_raw(w, &brace, 1);
	w->first = true;
}

static void jw_close(struct jw *w, char brace)
{
	jw_raw(w, &brace, 1);
	w->first = false;
}

static void kv_str(struct jw *w, const char *k, const char *v) { jw_key(w, k); jw_str(w, v); }
static void kv_int(struct jw *w, const char *k, long long v) { jw_key(w, k); jw_f(w, "%lld", v); }
static void kv_bool(struct jw *w, const char *k, bool v) { jw_key(w, k); jw_s(w, v ? "true" : "false"); }

static void kv_digits(struct jw *w, const char *k, const struct digits *d)
{
	char buf[WIRE_MAX_DIGITS + 1];
	if (d->n && d->p)
		digits_to_str(d, buf, sizeof buf);
	else
		buf[0] = 0;
	kv_str(w, k, buf);
}

static void kv_hex(struct jw *w, const char *k, struct bytes b)
{
	jw_key(w, k);
	jw_raw(w, "\"", 1);
	for (size_t i = 0; i < b.len; i++)
		jw_f(w, "%02x", b.p[i]);
	jw_raw(w, "\"", 1);
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
	jw_key(w, k);
	jw_raw(w, "\"", 1);
	for (int i = 0; i < n; i++)
		jw_f(w, i ? ".%" PRIu32 : "%" PRIu32, arcs[i]);
	jw_raw(w, "\"", 1);
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

static void ev_sccp_addr(struct jw *w, const char *k, const struct sccp_addr *a)
{
	jw_open(w, k, '{');
	kv_str(w, "ri", a->route_on_gt ? "gt" : "ssn");
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
	if (a->gti != 0)
		kv_digits(w, "digits", &a->gt);
	jw_close(w, '}');
}

static void ev_sccp(struct jw *w, const struct sccp_info *s)
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
		ev_sccp_addr(w, "cdpa", &s->cdpa);
	if (s->cgpa.present)
		ev_sccp_addr(w, "cgpa", &s->cgpa);
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

static void ev_tcap(struct jw *w, const struct tcap_info *t)
{
	jw_open(w, "tcap", '{');
	kv_str(w, "type", tcap_type_name(t->type));
	if (t->otid.len)
		kv_hex(w, "otid", t->otid);
	if (t->dtid.len)
		kv_hex(w, "dtid", t->dtid);
	if (t->acn.len)
		kv_oid(w, "acn", t->acn);
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

static void kv_map_addr(struct jw *w, const char *k, const struct map_addr *a)
{
	if (a->present)
		kv_digits(w, k, &a->d);
}

static void ev_sm_rp(struct jw *w, const char *k, const struct map_sm_rp *r)
{
	if (r->kind == SM_RP_NONE)
		return;
	jw_open(w, k, '{');
	kv_str(w, "kind", sm_rp_kind_name(r->kind));
	if (r->d.n)
		kv_digits(w, "digits", &r->d);
	jw_close(w, '}');
}

static void ev_tp(struct jw *w, const struct sms_tpdu *tp)
{
	jw_open(w, "tp", '{');
	kv_str(w, "mti", sms_mti_name(tp->mti));
	const char *k = tp->mti == SMS_MTI_DELIVER ? "oa" :
			tp->mti == SMS_MTI_SUBMIT ? "da" :
			tp->mti == SMS_MTI_STATUS_REPORT ? "ra" : "addr";
	if (tp->addr.present) {
		char key[16];
		if (tp->addr.alnum) {
			char text[4 * 32];
			gsm7_to_str(tp->addr.raw, tp->addr.nchars, text, sizeof text);
			kv_str(w, k, text);
		} else {
			kv_digits(w, k, &tp->addr.d);
		}
		snprintf(key, sizeof key, "%s_ton", k);
		kv_int(w, key, tp->addr.ton);
		snprintf(key, sizeof key, "%s_alnum", k);
		kv_bool(w, key, tp->addr.alnum);
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

/* "map": the first invoke, else the first component with MAP fields. */
static void ev_map(struct jw *w, const struct tcap_info *t)
{
	const struct tcap_component *c = NULL;
	unsigned n = t->n_components <= TCAP_MAX_COMPONENTS ? t->n_components : TCAP_MAX_COMPONENTS;
	for (unsigned i = 0; i < n && !c; i++)
		if (t->comp[i].type == TCAP_COMP_INVOKE)
			c = &t->comp[i];
	for (unsigned i = 0; i < n && !c; i++)
		if (has_map_fields(&t->comp[i].map))
			c = &t->comp[i];
	if (!c)
		return;
	const char *op = c->has_opcode && !c->opcode_global ? map_op_name_ctx(c->opcode, t) : NULL;
	const struct map_fields *f = &c->map;
	if (!op && !has_map_fields(f))
		return;
	jw_open(w, "map", '{');
	if (op)
		kv_str(w, "op", op);
	kv_map_addr(w, "msisdn", &f->msisdn);
	if (f->imsi.n)
		kv_digits(w, "imsi", &f->imsi);
	kv_map_addr(w, "sc_addr", &f->sc_addr);
	kv_map_addr(w, "nnn", &f->nnn);
	kv_map_addr(w, "msc_vlr", &f->msc_vlr);
	if (f->has_sm_rp_pri)
		kv_bool(w, "sm_rp_pri", f->sm_rp_pri);
	ev_sm_rp(w, "sm_rp_da", &f->sm_rp_da);
	ev_sm_rp(w, "sm_rp_oa", &f->sm_rp_oa);
	if (f->has_outcome)
		kv_int(w, "outcome", f->outcome);
	if (f->tp.present)
		ev_tp(w, &f->tp);
	jw_close(w, '}');
}

static const char *const anomaly_json[] = {
#define EV_ANOM_NAME(id, name, desc) name,
	WIRE_ANOMALIES(EV_ANOM_NAME)
#undef EV_ANOM_NAME
};

static void ev_ts(struct jw *w, const struct timespec *ts)
{
	struct tm tm;
	time_t sec = ts->tv_sec;
	char buf[40];
	if (!gmtime_r(&sec, &tm)) {
		kv_str(w, "ts", "");
		return;
	}
	size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof buf - n, ".%06ldZ", (long)(ts->tv_nsec / 1000) % 1000000);
	kv_str(w, "ts", buf);
}

size_t event_json(char *out, size_t cap, const struct msu *m,
		  const struct msu_meta *meta, const struct fw_decision *d)
{
	if (!cap)
		return 0;
	struct jw w = { .p = out, .cap = cap, .first = true };
	jw_raw(&w, "{", 1);
	ev_ts(&w, &meta->ts);
	kv_int(&w, "frame", (long long)meta->frame);
	kv_str(&w, "link", meta->link_name ? meta->link_name : "");
	kv_str(&w, "dir", meta->dir == FW_DIR_OUT ? "out" : "in");
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
		ev_sccp(&w, &m->sccp);
	if (m->tcap.present) {
		ev_tcap(&w, &m->tcap);
		ev_map(&w, &m->tcap);
	}
	jw_open(&w, "anomalies", '[');
	for (unsigned a = 0; a < ANOM__COUNT; a++)
		if (m->anomalies & ANOM_BIT(a)) {
			jw_sep(&w);
			jw_str(&w, anomaly_json[a]);
		}
	jw_close(&w, ']');
	if (m->error_layer != LAYER_NONE) {
		jw_open(&w, "error", '{');
		kv_str(&w, "layer", layer_name(m->error_layer));
		kv_str(&w, "result", result_name(m->error));
		jw_close(&w, '}');
	}
	kv_str(&w, "verdict", fw_verdict_name(d->verdict));
	if (d->reason != FW_REASON_NONE)
		kv_str(&w, "reason", fw_reason_name(d->reason));
	if (d->rule)
		kv_str(&w, "rule", d->rule);
	kv_bool(&w, "shadow", d->shadow);
	jw_raw(&w, "}\n", 2);
	return w.full ? 0 : w.len;
}
