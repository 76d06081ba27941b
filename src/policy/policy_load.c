/* ss7fw — policy loader: libconfig file -> compiled struct policy
 * (docs/policy.md). Every key is declared once, in the tables below or in
 * POL_FIELDS (policy-t.h), with its type, bounds and default. Errors are
 * reported as "file:line: message" (libconfig's own, or the line of the
 * offending setting) and the build goes on to report further errors. */
#include <arpa/inet.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

struct loader {
	struct policy *p;
	FILE *err;
	int nerr;
	const char *path;
	const char *dir;             /* include directory ("" when path has none) */
	char fbuf[2 * CFG_PATH_MAX];
};

/* The file a setting came from; an @include'd file named relative to the
 * include directory is shown with that directory, as libconfig opened it. */
static const char *src_file(struct loader *ld, const config_setting_t *s)
{
	const char *f = s ? config_setting_source_file(s) : NULL;
	if (!f)
		return ld->path;
	if (f[0] != '/' && strcmp(f, ld->path) != 0 && ld->dir && ld->dir[0]) {
		snprintf(ld->fbuf, sizeof ld->fbuf, "%s/%s", ld->dir, f);
		return ld->fbuf;
	}
	return f;
}

__attribute__((format(printf, 3, 4)))
static void err_at(struct loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(ld->err, "%s:%d: ", src_file(ld, s), s ? (int)config_setting_source_line(s) : 0);
	vfprintf(ld->err, fmt, ap);
	fputc('\n', ld->err);
	va_end(ap);
	ld->nerr++;
}

/* ---- generic typed keys, declared once: name, type, bounds, default */
enum key_type { KT_INT, KT_STR, KT_BOOL, KT_FLOAT, KT_ENUM };

struct key_decl {
	const char *name;
	uint8_t type;
	long long min, max;          /* INT: bounds; STR: max length */
	long long def_i;
	const char *def_s;
	double def_f;
	const char *const *enums;    /* ENUM: names, index is the value */
	size_t off;                  /* into the target struct */
	uint16_t size;               /* INT/ENUM: 1, 2 or 4 octets */
	const char *doc;
};

static const char *const mode_names[] = { "enforce", "shadow", NULL };
static const char *const action_names[] = { "allow", "drop", "reject", NULL };  /* enum fw_verdict */
static const char *const m3ua_unknown_names[] = { "drop", "relay_management", NULL };  /* enum pol_m3ua_unknown */
static const char *const missing_names[] = { "pass", "fire", NULL };  /* enum pol_missing */

#define PS(f) offsetof(struct pol_settings, f), sizeof(((struct pol_settings *)0)->f)
static const struct key_decl policy_keys[] = {
	{ "mode", KT_ENUM, 0, 0, 0, NULL, 0, mode_names, PS(shadow), "enforce | shadow (count and log, forward everything)" },
	{ "default", KT_ENUM, 0, 0, FW_ALLOW, NULL, 0, action_names, PS(default_action), "action when no rule matches" },
	{ "malformed", KT_ENUM, 0, 0, FW_DROP, NULL, 0, action_names, PS(malformed_action), "action for MSUs that cannot be decoded to their operations" },
	{ "rsds_window", KT_INT, 1, 86400, 600, NULL, 0, NULL, PS(rsds_window_s), "seconds an SRI-SM makes a RSDS legitimate (IR.71 2.3.1)" },
	{ "tcap_timeout", KT_INT, 1, 86400, 300, NULL, 0, NULL, PS(tcap_timeout_s), "seconds an open TCAP transaction is remembered" },
	{ "track_entries", KT_INT, TRACK_MIN_ENTRIES, TRACK_MAX_ENTRIES, 1000000, NULL, 0, NULL, PS(track_entries), "correlation entries (read at start only)" },
	{ "short_code_digits", KT_INT, 0, 15, 5, NULL, 0, NULL, PS(short_code_digits), "numeric TP-OA of at most this many digits is a short code (IR.71 2.1.7)" },
	{ "smsc_ratio_alert", KT_FLOAT, 0, 0, 0, NULL, 2.5, NULL, PS(smsc_ratio_alert), "SRI-SM/forward-SM ratio flagged in the stats (IR.71 2.1.12)" },
	{ "screen_out", KT_BOOL, 0, 1, 0, NULL, 0, NULL, PS(screen_out), "screen core->carrier too (default: track only)" },
	{ "location_ttl", KT_INT, 60, 90 * 86400, 7 * 86400, NULL, 0, NULL, PS(location_ttl_s), "seconds a registration confirmed by our HLR is remembered (cat3_location, sms location)" },
	{ "location_grace", KT_INT, 0, 86400, 600, NULL, 0, NULL, PS(location_grace_s), "seconds the network a subscriber left still counts (cat3_location)" },
	{ "location_missing", KT_ENUM, 0, 0, POL_MISSING_PASS, NULL, 0, missing_names, PS(location_missing), "cat3_location without state for the subscriber: pass | fire" },
	{ "fsm_window", KT_INT, 1, 86400, 600, NULL, 0, NULL, PS(fsm_window_s), "seconds an SRI-SM answered by our HLR admits forward-SMs to that IMSI from that SMSC (fsm_solicited)" },
	{ "fsm_unarmed", KT_ENUM, 0, 0, POL_MISSING_PASS, NULL, 0, missing_names, PS(fsm_unarmed), "fsm_solicited before the correlation table has any SRI-SM answer of our HLR (after a start; answers not routed through this instance): pass | fire" },
	{ "travel_time", KT_INT, 0, 7 * 86400, 3600, NULL, 0, NULL, PS(travel_time_s), "least seconds between registrations in two countries not in travel_times (cat3_velocity)" },
	{ "sri_ndc_digits", KT_INT, 1, 15, 5, NULL, 0, NULL, PS(sri_ndc_digits), "leading digits (CC+NDC) of the SRI-SM caller counted (IR.71 2.1.12 measurement)" },
	{ "m3ua_unknown", KT_ENUM, 0, 0, POL_M3UA_UNKNOWN_DROP, NULL, 0, m3ua_unknown_names, PS(m3ua_unknown), "M3UA messages of undefined class or type: drop | relay_management (unknown types of the management classes pass)" },
};
#undef PS

static const char *const syslog_transport_names[] = { "udp", "tcp", NULL };  /* enum cfg_syslog_transport */
#define SS(f) offsetof(struct settings_cfg, f), sizeof(((struct settings_cfg *)0)->f)
static const struct key_decl settings_keys[] = {
	{ "metrics_addr", KT_STR, 0, CFG_NAME_MAX - 1, 0, "127.0.0.1", 0, NULL, SS(metrics_addr), "metrics endpoint address" },
	{ "metrics_port", KT_INT, 0, 65535, 9105, NULL, 0, NULL, SS(metrics_port), "metrics endpoint port, 0 disables" },
	{ "event_log", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, SS(event_log), "event log file, \"syslog\" or \"\" (off)" },
	{ "event_rate", KT_INT, 1, 1000000, 1000, NULL, 0, NULL, SS(event_rate), "event lines per second" },
	{ "event_burst", KT_INT, 1, 10000000, 2000, NULL, 0, NULL, SS(event_burst), "event line burst" },
	{ "allow_sample", KT_INT, 0, 1000000000, 0, NULL, 0, NULL, SS(allow_sample), "log 1 in N allowed MSUs (0 none)" },
	{ "drop_pcap", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, SS(drop_pcap), "pcap of dropped MSUs, \"\" off" },
	{ "drop_pcap_max_mb", KT_INT, 0, 1048576, 1024, NULL, 0, NULL, SS(drop_pcap_max_mb), "size bound of the drop pcap in MiB, 0 unbounded" },
	{ "queue_bytes", KT_INT, 65536, 1073741824, 4194304, NULL, 0, NULL, SS(queue_bytes), "per-direction queue bound" },
	{ "max_msg", KT_INT, 272, 1048576, 65536, NULL, 0, NULL, SS(max_msg), "largest M3UA message accepted" },
	{ "reconnect_min_ms", KT_INT, 10, 600000, 100, NULL, 0, NULL, SS(reconnect_min_ms), "reconnect backoff start" },
	{ "reconnect_max_ms", KT_INT, 10, 3600000, 10000, NULL, 0, NULL, SS(reconnect_max_ms), "reconnect backoff ceiling" },
	{ "glitch_limit", KT_INT, 1, 1000000, 16, NULL, 0, NULL, SS(glitch_limit), "protocol errors before a peer is cut off" },
	{ "stall_ms", KT_INT, 100, 3600000, 10000, NULL, 0, NULL, SS(stall_ms), "ms of silence after part of a message before the peer is cut off" },
	{ "workers", KT_INT, 0, 256, 0, NULL, 0, NULL, SS(workers), "relay threads, 0: one per core (at most one per link)" },
	{ "user", KT_STR, 0, CFG_NAME_MAX - 1, 0, "", 0, NULL, SS(user), "drop privileges to this user" },
	{ "journal", KT_BOOL, 0, 1, 0, NULL, 0, NULL, SS(journal), "event records also to the systemd journal" },
	{ "syslog_server", KT_STR, 0, CFG_NAME_MAX - 1, 0, "", 0, NULL, SS(syslog_server), "RFC 5424 collector \"ip:port\", \"\" off" },
	{ "syslog_transport", KT_ENUM, 0, 0, CFG_SYSLOG_UDP, NULL, 0, syslog_transport_names, SS(syslog_transport), "udp | tcp (RFC 6587 octet counting)" },
	{ "syslog_facility", KT_INT, 0, 23, 16, NULL, 0, NULL, SS(syslog_facility), "syslog facility (16 local0)" },
	{ "syslog_queue_bytes", KT_INT, 4096, 67108864, 1048576, NULL, 0, NULL, SS(syslog_queue_bytes), "queue bound towards the collector" },
	{ "syslog_sd_id", KT_STR, 1, CFG_NAME_MAX - 1, 0, "ss7fw@32473", 0, NULL, SS(syslog_sd_id), "structured data id (name@PEN)" },
	{ "reasm_timeout", KT_INT, 1, 20, 10, NULL, 0, NULL, SS(reasm_timeout_s), "T(reass): seconds a segmented XUDT/LUDT may take to arrive whole (Q.714: 10 to 20)" },
	{ "reasm_max", KT_INT, 1, 1000000, 1024, NULL, 0, NULL, SS(reasm_max), "segmented messages reassembled at once" },
	{ "reasm_bytes", KT_INT, 256, 1073741824, 1048576, NULL, 0, NULL, SS(reasm_bytes), "bytes of segments held for reassembly" },
};
#undef SS

static const char *const backend_names[] = { "local", "redis", NULL };   /* enum state_backend */
static const char *const fail_names[] = { "closed", "open", NULL };      /* enum state_fail */
#define ST(f) offsetof(struct state_cfg, f), sizeof(((struct state_cfg *)0)->f)
static const struct key_decl state_keys[] = {
	{ "backend", KT_ENUM, 0, 0, STATE_LOCAL, NULL, 0, backend_names, ST(backend), "local | redis (instances share their correlation state)" },
	{ "host", KT_STR, 0, CFG_NAME_MAX - 1, 0, "127.0.0.1", 0, NULL, ST(host), "Redis address" },
	{ "port", KT_INT, 1, 65535, 6379, NULL, 0, NULL, ST(port), "Redis port" },
	{ "user", KT_STR, 0, CFG_NAME_MAX - 1, 0, "", 0, NULL, ST(user), "Redis ACL user" },
	{ "password_file", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, ST(password_file), "file holding the Redis password" },
	{ "allow_unauthenticated", KT_BOOL, 0, 1, 0, NULL, 0, NULL, ST(allow_unauthenticated), "accept a Redis reachable without a password" },
	{ "prefix", KT_STR, 1, CFG_NAME_MAX - 1, 0, "ss7fw", 0, NULL, ST(prefix), "prefix of the keys and the stream" },
	{ "backlog", KT_INT, 64, 16777216, 65536, NULL, 0, NULL, ST(backlog), "changes waiting to be written to Redis" },
	{ "stream_max", KT_INT, 1000, 100000000, 1000000, NULL, 0, NULL, ST(stream_max), "stream entries Redis keeps" },
	{ "fail", KT_ENUM, 0, 0, STATE_FAIL_CLOSED, NULL, 0, fail_names, ST(fail), "stateful checks while Redis is away: closed | open" },
	{ "connect_timeout_ms", KT_INT, 10, 60000, 1000, NULL, 0, NULL, ST(connect_timeout_ms), "Redis connect and reply timeout" },
	{ "tls", KT_BOOL, 0, 1, 0, NULL, 0, NULL, ST(tls), "TLS towards Redis" },
	{ "tls_ca_file", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, ST(tls_ca_file), "CA certificates (PEM) the Redis server's certificate must chain to" },
	{ "tls_cert_file", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, ST(tls_cert_file), "client certificate chain (PEM), when Redis asks for one" },
	{ "tls_key_file", KT_STR, 0, CFG_PATH_MAX - 1, 0, "", 0, NULL, ST(tls_key_file), "the client certificate's key (PEM; default: in tls_cert_file)" },
	{ "tls_server_name", KT_STR, 0, CFG_NAME_MAX - 1, 0, "", 0, NULL, ST(tls_server_name), "the name or address the server's certificate must carry (default: host)" },
};
#undef ST

static void store_int(void *base, const struct key_decl *k, long long v)
{
	uint8_t *p = (uint8_t *)base + k->off;
	switch (k->size) {
	case 1: *p = (uint8_t)v; break;
	case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
	default: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
	}
}

static void keys_defaults(void *base, const struct key_decl *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct key_decl *k = &keys[i];
		switch (k->type) {
		case KT_INT: case KT_ENUM: store_int(base, k, k->def_i); break;
		case KT_BOOL: *((bool *)((uint8_t *)base + k->off)) = k->def_i != 0; break;
		case KT_FLOAT: memcpy((uint8_t *)base + k->off, &k->def_f, sizeof(double)); break;
		case KT_STR: strcpy((char *)base + k->off, k->def_s); break;
		}
	}
}

static int enum_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static void keys_parse(struct loader *ld, const config_setting_t *grp, void *base,
		       const struct key_decl *keys, size_t n, const char *gname, const char *const *skip)
{
	keys_defaults(base, keys, n);
	if (!grp)
		return;
	if (!config_setting_is_group(grp)) {
		err_at(ld, grp, "'%s' must be a group { ... }", gname);
		return;
	}
	for (int i = 0; i < config_setting_length(grp); i++) {
		const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
		const char *name = config_setting_name(s);
		const struct key_decl *k = NULL;
		if (skip && enum_index(skip, name) >= 0)
			continue;         /* parsed by its own function */
		for (size_t j = 0; j < n; j++)
			if (!strcmp(keys[j].name, name))
				k = &keys[j];
		if (!k) {
			err_at(ld, s, "unknown setting '%s.%s'", gname, name);
			continue;
		}
		int t = config_setting_type(s);
		switch (k->type) {
		case KT_INT: {
			if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
				err_at(ld, s, "'%s.%s' must be an integer", gname, name);
				break;
			}
			long long v = config_setting_get_int64(s);
			if (v < k->min || v > k->max) {
				err_at(ld, s, "'%s.%s' = %lld is out of range %lld..%lld", gname, name, v, k->min, k->max);
				break;
			}
			store_int(base, k, v);
			break;
		}
		case KT_BOOL:
			if (t != CONFIG_TYPE_BOOL) {
				err_at(ld, s, "'%s.%s' must be true or false", gname, name);
				break;
			}
			*((bool *)((uint8_t *)base + k->off)) = config_setting_get_bool(s);
			break;
		case KT_FLOAT: {
			double v;
			if (t == CONFIG_TYPE_FLOAT)
				v = config_setting_get_float(s);
			else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
				v = (double)config_setting_get_int64(s);
			else {
				err_at(ld, s, "'%s.%s' must be a number", gname, name);
				break;
			}
			if (v < 0) {
				err_at(ld, s, "'%s.%s' must not be negative", gname, name);
				break;
			}
			memcpy((uint8_t *)base + k->off, &v, sizeof v);
			break;
		}
		case KT_STR: case KT_ENUM: {
			const char *v = t == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
			if (!v) {
				err_at(ld, s, "'%s.%s' must be a string", gname, name);
				break;
			}
			if (k->type == KT_ENUM) {
				int e = enum_index(k->enums, v);
				if (e < 0) {
					err_at(ld, s, "'%s.%s' = \"%s\" is not one of the allowed values", gname, name, v);
					break;
				}
				store_int(base, k, e);
			} else {
				if ((long long)strlen(v) > k->max) {
					err_at(ld, s, "'%s.%s' is longer than %lld characters", gname, name, k->max);
					break;
				}
				strcpy((char *)base + k->off, v);
			}
			break;
		}
		}
	}
}

/* ---- sets */
static struct pfx_set *new_set(struct loader *ld)
{
	struct policy *p = ld->p;
	if (p->n_sets == p->cap_sets) {
		uint32_t cap = p->cap_sets ? p->cap_sets * 2 : 16;
		struct pfx_set **n = realloc(p->sets, cap * sizeof *n);
		if (!n)
			return NULL;
		p->sets = n;
		p->cap_sets = cap;
	}
	struct pfx_set *s = pfx_new();
	if (s)
		p->sets[p->n_sets++] = s;
	return s;
}

static const struct pfx_set *named_set(struct loader *ld, const char *name)
{
	struct policy *p = ld->p;
	static const struct { const char *n; size_t off; } builtin[] = {
		{ "home.gt", offsetof(struct policy, home_gt) },
		{ "home.msisdn", offsetof(struct policy, home_msisdn) },
		{ "home.imsi", offsetof(struct policy, home_imsi) },
		{ "home.smsc", offsetof(struct policy, home_smsc) },
		{ "partners.gt", offsetof(struct policy, all_partner_gt) },
		{ "partners.smsc", offsetof(struct policy, all_partner_smsc) },
	};
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (!strcmp(builtin[i].n, name))
			return *(struct pfx_set **)((uint8_t *)p + builtin[i].off);
	for (uint32_t i = 0; i < p->n_lists; i++)
		if (!strcmp(p->lists[i].name, name))
			return p->lists[i].set;
	for (uint32_t i = 0; i < p->n_partners; i++) {
		size_t l = strlen(p->partners[i].name);
		if (!strncmp(name, p->partners[i].name, l) && name[l] == '.') {
			if (!strcmp(name + l + 1, "gt"))
				return p->partners[i].gt;
			if (!strcmp(name + l + 1, "smsc"))
				return p->partners[i].smsc;
			if (!strcmp(name + l + 1, "imsi"))
				return p->partners[i].imsi;
			if (!strcmp(name + l + 1, "e164"))
				return p->partners[i].e164;
		}
	}
	return NULL;
}

/* A prefix list: a string or an array/list of strings; each a prefix of
 * digits or "@name" (a list, home.X, partners.X, <partner>.gt|smsc). */
static struct pfx_set *parse_pfx(struct loader *ld, const config_setting_t *s, const char *what)
{
	struct pfx_set *set = new_set(ld);
	if (!set) {
		err_at(ld, s, "out of memory");
		return NULL;
	}
	if (!s)
		return set;
	int n = config_setting_is_aggregate(s) ? config_setting_length(s) : 1;
	if (config_setting_is_group(s)) {
		err_at(ld, s, "%s must be a string or a list of strings", what);
		return set;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_is_aggregate(s) ? config_setting_get_elem(s, (unsigned)i) : s;
		const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
		if (!v) {
			err_at(ld, e, "%s: element %d is not a string of digits", what, i + 1);
			continue;
		}
		if (v[0] == '@') {
			const struct pfx_set *ref = named_set(ld, v + 1);
			if (!ref)
				err_at(ld, e, "%s: unknown list '%s'", what, v + 1);
			else
				pfx_add_set(set, ref);
			continue;
		}
		if (pfx_add(set, v) < 0)
			err_at(ld, e, "%s: \"%s\" is not a prefix of 1..%d digits", what, v, PFX_MAX_LEN);
	}
	pfx_finalize(set);
	return set;
}

static int check_name(struct loader *ld, const config_setting_t *s, const char *what, char *out)
{
	const char *v = s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
	if (!v || !v[0] || strlen(v) >= CFG_NAME_MAX) {
		err_at(ld, s, "%s needs a name (a string of 1..%d characters)", what, CFG_NAME_MAX - 1);
		return -1;
	}
	strcpy(out, v);
	return 0;
}

static void only_keys(struct loader *ld, const config_setting_t *g, const char *what, const char *const *keys)
{
	for (int i = 0; i < config_setting_length(g); i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (enum_index(keys, config_setting_name(s)) < 0)
			err_at(ld, s, "unknown setting '%s' in %s", config_setting_name(s), what);
	}
}

/* ---- numbering plans (docs/policy.md, "Numbers") */
static void plan_field(struct loader *ld, const config_setting_t *s, uint8_t *dst, uint8_t *n, size_t cap,
		       bool need_one, const char *what)
{
	const char *v = s && config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
	if (!v || num_plan_digits(dst, n, cap, v) < 0 || (need_one && *n == 0))
		err_at(ld, s, "%s must be a string of %s%zu decimal digits", what, need_one ? "1.." : "0..", cap);
}

/* cc (country code), intl_prefix (default "00"), trunk_prefix (default
 * "0") of a group; without cc, national numbers keep their digits. */
static void parse_plan(struct loader *ld, const config_setting_t *g, struct num_plan *pl, const char *what)
{
	char w[CFG_NAME_MAX + 32];
	memset(pl, 0, sizeof *pl);
	pl->intl_n = 2;                  /* "00" */
	pl->trunk_n = 1;                 /* "0" */
	if (!g)
		return;
	const config_setting_t *s;
	if ((s = config_setting_get_member(g, "cc"))) {
		snprintf(w, sizeof w, "%s.cc", what);
		plan_field(ld, s, pl->cc, &pl->cc_n, NUM_MAX_CC, true, w);
	}
	if ((s = config_setting_get_member(g, "intl_prefix"))) {
		snprintf(w, sizeof w, "%s.intl_prefix", what);
		plan_field(ld, s, pl->intl, &pl->intl_n, NUM_MAX_PREFIX, false, w);
	}
	if ((s = config_setting_get_member(g, "trunk_prefix"))) {
		snprintf(w, sizeof w, "%s.trunk_prefix", what);
		plan_field(ld, s, pl->trunk, &pl->trunk_n, NUM_MAX_PREFIX, false, w);
	}
}

/* home.pc = [ point codes ] (14-bit ITU), for the scmg check. */
static void parse_home_pc(struct loader *ld, const config_setting_t *s)
{
	struct policy *p = ld->p;
	if (!s)
		return;
	int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
	if (n < 0) {
		err_at(ld, s, "home.pc must be a list of point codes [ 1234, ... ]");
		return;
	}
	p->home_pc = calloc((size_t)n + 1, sizeof *p->home_pc);
	for (int i = 0; i < n && p->home_pc; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		int t = config_setting_type(e);
		long long v = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? config_setting_get_int64(e) : -1;
		if (v < 0 || v > 0x3fff)
			err_at(ld, e, "home.pc: a 14-bit point code 0..16383 is expected");
		else
			p->home_pc[p->n_home_pc++] = (uint32_t)v;
	}
}

/* policy.passthrough_ssn = [ SSNs ]: SCCP user data that is not TCAP passes
 * towards these (default none: it is malformed). */
static void parse_passthrough(struct loader *ld, const config_setting_t *s)
{
	struct policy *p = ld->p;
	if (!s)
		return;
	int n = config_setting_is_array(s) || config_setting_is_list(s) ? config_setting_length(s) : -1;
	if (n < 0) {
		err_at(ld, s, "policy.passthrough_ssn must be a list of SSNs [ 254, ... ]");
		return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		int t = config_setting_type(e);
		long long v = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? config_setting_get_int64(e) : -1;
		if (v < 2 || v > 255)
			err_at(ld, e, "policy.passthrough_ssn: an SSN 2..255 is expected (SSN 1, SCCP management, is screened as such)");
		else
			p->cfg.passthrough_ssn[v >> 6] |= UINT64_C(1) << (v & 63);
	}
}

/* ---- home */
static void parse_home(struct loader *ld, const config_setting_t *g)
{
	static const char *const keys[] = { "gt", "msisdn", "imsi", "smsc", "cc", "intl_prefix",
					    "trunk_prefix", "pc", NULL };
	struct policy *p = ld->p;
	if (g && !config_setting_is_group(g)) {
		err_at(ld, g, "'home' must be a group");
		g = NULL;
	}
	if (g)
		only_keys(ld, g, "home", keys);
	parse_plan(ld, g, &p->home_plan, "home");
	parse_home_pc(ld, g ? config_setting_get_member(g, "pc") : NULL);
	p->home_gt = parse_pfx(ld, g ? config_setting_get_member(g, "gt") : NULL, "home.gt");
	p->home_msisdn = parse_pfx(ld, g ? config_setting_get_member(g, "msisdn") : NULL, "home.msisdn");
	p->home_imsi = parse_pfx(ld, g ? config_setting_get_member(g, "imsi") : NULL, "home.imsi");
	p->home_smsc = parse_pfx(ld, g ? config_setting_get_member(g, "smsc") : NULL, "home.smsc");
	p->home_nodes = new_set(ld);
	if (!p->home_nodes) {
		err_at(ld, g, "out of memory");
	} else {
		pfx_add_set(p->home_nodes, p->home_gt);
		pfx_add_set(p->home_nodes, p->home_smsc);
		pfx_finalize(p->home_nodes);
	}
}

/* ---- lists: name = [ prefixes ] (long ones @include'd from their files) */
static void parse_lists(struct loader *ld, const config_setting_t *g)
{
	struct policy *p = ld->p;
	if (!g)
		goto builtins;
	if (!config_setting_is_group(g)) {
		err_at(ld, g, "'lists' must be a group of name = [ prefixes ]");
		goto builtins;
	}
	int n = config_setting_length(g);
	p->lists = calloc((size_t)n + 1, sizeof *p->lists);
	for (int i = 0; i < n && p->lists; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		if (strlen(name) >= CFG_NAME_MAX) {
			err_at(ld, s, "list name too long");
			continue;
		}
		char what[CFG_NAME_MAX + 8];
		snprintf(what, sizeof what, "lists.%s", name);
		struct pfx_set *set = parse_pfx(ld, s, what);
		strcpy(p->lists[p->n_lists].name, name);
		p->lists[p->n_lists].set = set;
		p->n_lists++;
	}
builtins:;
	const struct pfx_set *o = named_set(ld, "open_smsc");
	const struct pfx_set *il = named_set(ld, "illegal_address");
	p->open_smsc = new_set(ld);
	p->illegal = new_set(ld);
	if (p->open_smsc && o)
		pfx_add_set(p->open_smsc, o);
	if (p->illegal && il)
		pfx_add_set(p->illegal, il);
	if (p->open_smsc)
		pfx_finalize(p->open_smsc);
	if (p->illegal)
		pfx_finalize(p->illegal);
}

/* ---- partners */
/* 24-bit FNV-1a of the name, never 0: the id location state keeps, the
 * same across reloads as long as the partner keeps its name. */
static uint32_t net_id_of(const char *name)
{
	uint32_t h = 2166136261u;
	for (const char *c = name; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	h = (h ^ (h >> 24)) & 0xffffff;
	return h ? h : 1;
}

/* "GB" -> 1 + 26 * 6 + 1; 0 when not two letters. */
static uint16_t country_code(const char *s)
{
	if (!s || strlen(s) != 2)
		return 0;
	int a = s[0] >= 'a' ? s[0] - 'a' : s[0] - 'A';
	int b = s[1] >= 'a' ? s[1] - 'a' : s[1] - 'A';
	if (a < 0 || a > 25 || b < 0 || b > 25)
		return 0;
	return (uint16_t)(1 + 26 * a + b);
}

/* The IR.21 fields of a partner: imsi, e164, hlr/vlr/msc/sgsn, country. */
static void parse_partner_fs11(struct loader *ld, const config_setting_t *s, struct pol_partner *pt)
{
	pt->imsi = parse_pfx(ld, config_setting_get_member(s, "imsi"), "partner imsi");
	pt->e164 = parse_pfx(ld, config_setting_get_member(s, "e164"), "partner e164");
	pt->hlr = parse_pfx(ld, config_setting_get_member(s, "hlr"), "partner hlr");
	pt->vlr = parse_pfx(ld, config_setting_get_member(s, "vlr"), "partner vlr");
	pt->msc = parse_pfx(ld, config_setting_get_member(s, "msc"), "partner msc");
	pt->sgsn = parse_pfx(ld, config_setting_get_member(s, "sgsn"), "partner sgsn");
	pt->nodes = new_set(ld);
	const struct pfx_set *from[] = { pt->gt, pt->hlr, pt->vlr, pt->msc, pt->sgsn };
	for (size_t i = 0; pt->nodes && i < sizeof from / sizeof from[0]; i++)
		if (from[i])
			pfx_add_set(pt->nodes, from[i]);
	if (pt->nodes)
		pfx_finalize(pt->nodes);
	const config_setting_t *c = config_setting_get_member(s, "country");
	if (c) {
		const char *v = config_setting_type(c) == CONFIG_TYPE_STRING ? config_setting_get_string(c) : NULL;
		pt->country = country_code(v);
		if (!pt->country)
			err_at(ld, c, "partner '%s': country must be an ISO 3166 alpha-2 code (\"GB\")", pt->name);
	}
	pt->net_id = net_id_of(pt->name);
}

/* policy.travel_times = ( ( "DE", "FR", 3600 ), ... ). */
static void parse_travel(struct loader *ld, const config_setting_t *s)
{
	struct policy *p = ld->p;
	if (!s)
		return;
	int n = config_setting_is_list(s) || config_setting_is_array(s) ? config_setting_length(s) : -1;
	if (n < 0) {
		err_at(ld, s, "policy.travel_times must be a list ( ( \"DE\", \"FR\", 3600 ), ... )");
		return;
	}
	p->travel = calloc((size_t)n + 1, sizeof *p->travel);
	for (int i = 0; i < n && p->travel; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const config_setting_t *a = config_setting_get_elem(e, 0);
		const config_setting_t *b = config_setting_get_elem(e, 1);
		const config_setting_t *t = config_setting_get_elem(e, 2);
		uint16_t ca = a ? country_code(config_setting_get_string(a)) : 0;
		uint16_t cb = b ? country_code(config_setting_get_string(b)) : 0;
		long long secs = t && (config_setting_type(t) == CONFIG_TYPE_INT || config_setting_type(t) == CONFIG_TYPE_INT64)
				 ? config_setting_get_int64(t) : -1;
		if (!config_setting_is_list(e) || config_setting_length(e) != 3 || !ca || !cb || secs < 0 ||
		    secs > 7 * 86400) {
			err_at(ld, e, "policy.travel_times: ( \"XX\", \"YY\", seconds 0..604800 ) expected");
			continue;
		}
		p->travel[p->n_travel++] = (struct pol_travel){ ca, cb, (uint32_t)secs };
	}
}

static void parse_partners(struct loader *ld, const config_setting_t *g)
{
	static const char *const keys[] = { "name", "gt", "smsc", "links", "comment", "cc", "intl_prefix",
					    "trunk_prefix", "imsi", "e164", "hlr", "vlr", "msc", "sgsn",
					    "country", NULL };
	struct policy *p = ld->p;
	p->all_partner_gt = new_set(ld);
	p->all_partner_smsc = new_set(ld);
	int n = 0;
	if (g && !config_setting_is_list(g)) {
		err_at(ld, g, "'partners' must be a list ( { name = ...; }, ... )");
		g = NULL;
	}
	n = g ? config_setting_length(g) : 0;
	p->partners = calloc((size_t)n + 1, sizeof *p->partners);
	for (int i = 0; i < n && p->partners; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (!config_setting_is_group(s)) {
			err_at(ld, s, "a partner must be a group { name = ...; }");
			continue;
		}
		only_keys(ld, s, "a partner", keys);
		struct pol_partner *pt = &p->partners[p->n_partners];
		if (check_name(ld, config_setting_get_member(s, "name") ? config_setting_get_member(s, "name") : s,
			       "a partner", pt->name) < 0)
			continue;
		for (uint32_t j = 0; j < p->n_partners; j++)
			if (!strcmp(p->partners[j].name, pt->name))
				err_at(ld, s, "partner '%s' defined twice", pt->name);
		if (config_setting_get_member(s, "cc")) {
			pt->has_plan = true;
			parse_plan(ld, s, &pt->plan, "partner");
		} else if (config_setting_get_member(s, "intl_prefix") || config_setting_get_member(s, "trunk_prefix")) {
			err_at(ld, s, "partner '%s': intl_prefix and trunk_prefix need its cc", pt->name);
		}
		pt->gt = parse_pfx(ld, config_setting_get_member(s, "gt"), "partner gt");
		pt->smsc = parse_pfx(ld, config_setting_get_member(s, "smsc"), "partner smsc");
		parse_partner_fs11(ld, s, pt);
		if (p->all_partner_gt && pt->gt)
			pfx_add_set(p->all_partner_gt, pt->gt);
		if (p->all_partner_smsc && pt->smsc)
			pfx_add_set(p->all_partner_smsc, pt->smsc);
		p->n_partners++;
	}
	if (p->all_partner_gt)
		pfx_finalize(p->all_partner_gt);
	if (p->all_partner_smsc)
		pfx_finalize(p->all_partner_smsc);
}

/* ---- links and their endpoints (config-t.h) */
static int parse_addr(const char *v, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	memset(ss, 0, sizeof *ss);
	if (v[0] == '[') {
		const char *e = strchr(v, ']');
		if (!e || (size_t)(e - v - 1) >= sizeof host)
			return -1;
		memcpy(host, v + 1, (size_t)(e - v - 1));
		host[e - v - 1] = 0;
		if (e[1] == ':')
			port = e + 2;
		else if (e[1])
			return -1;
	} else {
		const char *c = strchr(v, ':');
		if (c && strchr(c + 1, ':'))
			c = NULL;             /* bare IPv6 */
		size_t l = c ? (size_t)(c - v) : strlen(v);
		if (l >= sizeof host)
			return -1;
		memcpy(host, v, l);
		host[l] = 0;
		if (c)
			port = c + 1;
	}
	long pn = 0;
	if (port) {
		char *end;
		pn = strtol(port, &end, 10);
		if (!*port || *end || pn < 0 || pn > 65535)
			return -1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)pn);
	} else if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)pn);
	} else {
		return -1;
	}
	return 0;
}

static uint16_t addr_port(const struct sockaddr_storage *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port
					       : ((const struct sockaddr_in *)ss)->sin_port);
}

static void parse_addrs(struct loader *ld, const config_setting_t *s, const char *what,
			struct sockaddr_storage *out, uint8_t *n)
{
	*n = 0;
	if (!s)
		return;
	int len = config_setting_is_aggregate(s) ? config_setting_length(s) : 1;
	if (config_setting_is_group(s) || len > CFG_MAX_ADDRS) {
		err_at(ld, s, "%s must be a list of at most %d \"address[:port]\" strings", what, CFG_MAX_ADDRS);
		return;
	}
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_is_aggregate(s) ? config_setting_get_elem(s, (unsigned)i) : s;
		const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
		if (!v || parse_addr(v, &out[*n]) < 0) {
			err_at(ld, e, "%s: \"%s\" is not an IPv4/IPv6 address with an optional :port",
			       what, v ? v : "?");
			continue;
		}
		(*n)++;
	}
}

static void parse_endpoint(struct loader *ld, const config_setting_t *g, struct endpoint_cfg *ep,
			   const char *what, uint8_t def_mode)
{
	static const char *const keys[] = { "transport", "mode", "local", "remote", "streams", NULL };
	static const char *const transports[] = { "tcp", "sctp", NULL };
	static const char *const modes[] = { "listen", "connect", NULL };
	memset(ep, 0, sizeof *ep);
	ep->streams = 16;
	ep->mode = def_mode;
	if (!g)
		return;
	if (!config_setting_is_group(g)) {
		err_at(ld, g, "%s must be a group { transport; mode; local; remote; }", what);
		return;
	}
	only_keys(ld, g, what, keys);
	ep->present = true;
	const char *v;
	if (config_setting_lookup_string(g, "transport", &v)) {
		int t = enum_index(transports, v);
		if (t < 0)
			err_at(ld, config_setting_get_member(g, "transport"), "%s.transport must be \"tcp\" or \"sctp\"", what);
		else
			ep->transport = (uint8_t)t;
	}
	if (config_setting_lookup_string(g, "mode", &v)) {
		int t = enum_index(modes, v);
		if (t < 0)
			err_at(ld, config_setting_get_member(g, "mode"), "%s.mode must be \"listen\" or \"connect\"", what);
		else
			ep->mode = (uint8_t)t;
	}
	const config_setting_t *st = config_setting_get_member(g, "streams");
	if (st) {
		long long n = config_setting_get_int64(st);
		if (config_setting_type(st) != CONFIG_TYPE_INT || n < 1 || n > 65535)
			err_at(ld, st, "%s.streams must be an integer 1..65535", what);
		else
			ep->streams = (uint16_t)n;
	}
	char w[96];
	snprintf(w, sizeof w, "%s.local", what);
	parse_addrs(ld, config_setting_get_member(g, "local"), w, ep->local, &ep->n_local);
	snprintf(w, sizeof w, "%s.remote", what);
	parse_addrs(ld, config_setting_get_member(g, "remote"), w, ep->remote, &ep->n_remote);
	if (ep->mode == EP_LISTEN && (ep->n_local == 0 || addr_port(&ep->local[0]) == 0))
		err_at(ld, g, "%s: a listening endpoint needs a local address with a port", what);
	if (ep->mode == EP_CONNECT && (ep->n_remote == 0 || addr_port(&ep->remote[0]) == 0))
		err_at(ld, g, "%s: a connecting endpoint needs a remote address with a port", what);
}

static int partner_index(const struct policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_partners; i++)
		if (!strcmp(p->partners[i].name, name))
			return (int)i;
	return -1;
}

static int link_index(const struct policy *p, const char *name)
{
	for (uint32_t i = 0; i < p->n_links; i++)
		if (!strcmp(p->links[i].cfg.name, name))
			return (int)i;
	return -1;
}

static void parse_links(struct loader *ld, const config_setting_t *g, const config_setting_t *partners)
{
	static const char *const keys[] = { "name", "partner", "carrier", "core", "comment", NULL };
	struct policy *p = ld->p;
	if (g && !config_setting_is_list(g)) {
		err_at(ld, g, "'links' must be a list ( { name = ...; }, ... )");
		g = NULL;
	}
	int n = g ? config_setting_length(g) : 0;
	if (n > 255) {
		err_at(ld, g, "at most 255 links");
		n = 255;
	}
	p->links = calloc((size_t)n + 1, sizeof *p->links);
	for (int i = 0; i < n && p->links; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (!config_setting_is_group(s)) {
			err_at(ld, s, "a link must be a group { name = ...; }");
			continue;
		}
		only_keys(ld, s, "a link", keys);
		struct pol_link *l = &p->links[p->n_links];
		l->partner = -1;
		const config_setting_t *nm = config_setting_get_member(s, "name");
		if (check_name(ld, nm ? nm : s, "a link", l->cfg.name) < 0)
			continue;
		if (link_index(p, l->cfg.name) >= 0)
			err_at(ld, s, "link '%s' defined twice", l->cfg.name);
		const char *pn;
		if (config_setting_lookup_string(s, "partner", &pn)) {
			l->partner = partner_index(p, pn);
			if (l->partner < 0)
				err_at(ld, config_setting_get_member(s, "partner"), "link '%s': unknown partner '%s'", l->cfg.name, pn);
			else
				snprintf(l->cfg.partner, sizeof l->cfg.partner, "%s", pn);
		}
		char w[CFG_NAME_MAX + 32];
		snprintf(w, sizeof w, "link '%s' carrier", l->cfg.name);
		parse_endpoint(ld, config_setting_get_member(s, "carrier"), &l->cfg.carrier, w, EP_LISTEN);
		snprintf(w, sizeof w, "link '%s' core", l->cfg.name);
		parse_endpoint(ld, config_setting_get_member(s, "core"), &l->cfg.core, w, EP_CONNECT);
		p->n_links++;
	}
	/* partner.links = [ names ]: the other way to say which links a partner uses */
	for (uint32_t i = 0; partners && i < p->n_partners; i++) {
		const config_setting_t *ps = config_setting_get_elem(partners, i);
		const config_setting_t *ls = ps ? config_setting_get_member(ps, "links") : NULL;
		if (!ls)
			continue;
		int m = config_setting_is_aggregate(ls) ? config_setting_length(ls) : 1;
		for (int j = 0; j < m; j++) {
			const config_setting_t *e = config_setting_is_aggregate(ls) ? config_setting_get_elem(ls, (unsigned)j) : ls;
			const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
			int li = v ? link_index(p, v) : -1;
			if (li < 0) {
				err_at(ld, e, "partner '%s': unknown link '%s'", p->partners[i].name, v ? v : "?");
				continue;
			}
			if (p->links[li].partner >= 0 && p->links[li].partner != (int)i) {
				err_at(ld, e, "link '%s' already belongs to partner '%s'", v,
				       p->partners[p->links[li].partner].name);
				continue;
			}
			p->links[li].partner = (int)i;
			snprintf(p->links[li].cfg.partner, sizeof p->links[li].cfg.partner, "%s", p->partners[i].name);
		}
	}
}

/* ---- MAP operation names (3GPP TS 29.002 17.5); wire's table first */
static const struct { const char *name; int op; } map_ops[] = {
	{ "updateLocation", 2 }, { "cancelLocation", 3 }, { "provideRoamingNumber", 4 },
	{ "noteSubscriberDataModified", 5 }, { "resumeCallHandling", 6 },
	{ "insertSubscriberData", 7 }, { "deleteSubscriberData", 8 }, { "sendParameters", 9 },
	{ "registerSS", 10 }, { "eraseSS", 11 }, { "activateSS", 12 }, { "deactivateSS", 13 },
	{ "interrogateSS", 14 }, { "authenticationFailureReport", 15 }, { "registerPassword", 17 },
	{ "getPassword", 18 }, { "processUnstructuredSS-Data", 19 }, { "releaseResources", 20 },
	{ "mt-ForwardSM-VGCS", 21 }, { "sendRoutingInfo", 22 }, { "updateGprsLocation", 23 },
	{ "sendRoutingInfoForGprs", 24 }, { "failureReport", 25 }, { "noteMsPresentForGprs", 26 },
	{ "performHandover", 28 }, { "sendEndSignal", 29 }, { "performSubsequentHandover", 30 },
	{ "provideSIWFSNumber", 31 }, { "sIWFSSignallingModify", 32 }, { "processAccessSignalling", 33 },
	{ "forwardAccessSignalling", 34 }, { "noteInternalHandover", 35 }, { "reset", 37 },
	{ "forwardCheckSS-Indication", 38 }, { "prepareGroupCall", 39 }, { "sendGroupCallEndSignal", 40 },
	{ "processGroupCallSignalling", 41 }, { "forwardGroupCallSignalling", 42 }, { "checkIMEI", 43 },
	{ "mt-forwardSM", 44 }, { "sendRoutingInfoForSM", 45 }, { "mo-forwardSM", 46 }, { "forwardSM", 46 },
	{ "reportSM-DeliveryStatus", 47 }, { "noteSubscriberPresent", 48 },
	{ "alertServiceCentreWithoutResult", 49 }, { "activateTraceMode", 50 },
	{ "deactivateTraceMode", 51 }, { "traceSubscriberActivity", 52 },
	{ "beginSubscriberActivity", 54 }, { "sendIdentification", 55 },
	{ "sendAuthenticationInfo", 56 }, { "restoreData", 57 }, { "sendIMSI", 58 },
	{ "processUnstructuredSS-Request", 59 }, { "unstructuredSS-Request", 60 },
	{ "unstructuredSS-Notify", 61 }, { "anyTimeSubscriptionInterrogation", 62 },
	{ "informServiceCentre", 63 }, { "alertServiceCentre", 64 }, { "anyTimeModification", 65 },
	{ "readyForSM", 66 }, { "purgeMS", 67 }, { "prepareHandover", 68 },
	{ "prepareSubsequentHandover", 69 }, { "provideSubscriberInfo", 70 },
	{ "anyTimeInterrogation", 71 }, { "ss-InvocationNotification", 72 },
	{ "setReportingState", 73 }, { "statusReport", 74 }, { "remoteUserFree", 75 },
	{ "registerCC-Entry", 76 }, { "eraseCC-Entry", 77 }, { "secureTransportClass1", 78 },
	{ "secureTransportClass2", 79 }, { "secureTransportClass3", 80 },
	{ "secureTransportClass4", 81 }, { "provideSubscriberLocation", 83 },
	{ "sendGroupCallInfo", 84 }, { "sendRoutingInfoForLCS", 85 },
	{ "subscriberLocationReport", 86 }, { "ist-Alert", 87 }, { "istCommand", 88 },
	{ "noteMM-Event", 89 },
};

int pol_map_op_by_name(const char *name)
{
	int op = map_op_by_name(name);
	if (op >= 0)
		return op;
	for (size_t i = 0; i < sizeof map_ops / sizeof map_ops[0]; i++)
		if (!strcasecmp(map_ops[i].name, name))
			return map_ops[i].op;
	return -1;
}

/* ---- value names of SET fields */
static int sccp_type_by_name(const char *s)
{
	static const char *const n[] = { "", "CR", "CC", "CREF", "RLSD", "RLC", "DT1", "DT2", "AK",
		"UDT", "UDTS", "ED", "EA", "RSR", "RSC", "ERR", "IT", "XUDT", "XUDTS", "LUDT", "LUDTS", NULL };
	for (int i = 1; n[i]; i++)
		if (!strcasecmp(n[i], s))
			return i;
	return -1;
}

static int anomaly_index(const char *s)
{
	static const char *const n[] = {
#define N(id, name, desc) name,
		WIRE_ANOMALIES(N)
#undef N
	};
	for (unsigned i = 0; i < ANOM__COUNT; i++)
		if (!strcmp(n[i], s))
			return (int)i;
	return -1;
}

static int set_name_value(const struct policy *p, unsigned f, const char *s)
{
	static const char *const dirs[] = { "in", "out", NULL };
	static const char *const tcap_types[] = { "", "unidirectional", "begin", "end", "continue", "abort", NULL };
	static const char *const comp_types[] = { "", "invoke", "return_result_last", "return_result",
						  "return_error", "reject", NULL };
	static const char *const kinds[] = { "none", "imsi", "lmsi", "msisdn", "sc_addr", "no_addr", NULL };
	static const char *const mtis[] = { "", "deliver", "deliver_report", "submit", "submit_report",
					    "status_report", "command", NULL };
	static const char *const apps[] = { "none", "map", "cap", "other", NULL };   /* enum tcap_app */
	static const char *const scmg_types[] = { "", "SSA", "SSP", "SST", "SOR", "SOG", "SSC", NULL };
	switch (f) {
	case POL_F_LINK: return link_index(p, s);
	case POL_F_DIR: return enum_index(dirs, s);
	case POL_F_SCCP_TYPE: return sccp_type_by_name(s);
	case POL_F_TCAP_TYPE: return enum_index(tcap_types, s) > 0 ? enum_index(tcap_types, s) : -1;
	case POL_F_COMP_TYPE: return enum_index(comp_types, s) > 0 ? enum_index(comp_types, s) : -1;
	case POL_F_OPCODE: case POL_F_MAP_OP: return pol_map_op_by_name(s);
	case POL_F_SM_RP_DA_KIND: case POL_F_SM_RP_OA_KIND: return enum_index(kinds, s);
	case POL_F_TP_MTI: return enum_index(mtis, s) > 0 ? enum_index(mtis, s) : -1;
	case POL_F_TCAP_APP: return enum_index(apps, s);
	case POL_F_CAP_OP: return cap_op_by_name(s);
	case POL_F_SCMG_TYPE: return enum_index(scmg_types, s) > 0 ? enum_index(scmg_types, s) : -1;
	default: return -1;
	}
}

/* Dotted OID -> content octets (X.690 8.19); -1 if not an OID. */
static int oid_encode(const char *s, uint8_t *out, size_t cap)
{
	unsigned long arcs[32];
	size_t n = 0;
	const char *q = s;
	while (*q) {
		char *end;
		if (*q < '0' || *q > '9' || n == 32)
			return -1;
		arcs[n++] = strtoul(q, &end, 10);
		if (*end == '.')
			end++;
		else if (*end)
			return -1;
		q = end;
	}
	if (n < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39))
		return -1;
	size_t len = 0;
	for (size_t i = 1; i < n; i++) {
		unsigned long v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		uint8_t tmp[10];
		int k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7f);
			v >>= 7;
		} while (v);
		if (len + (size_t)k > cap)
			return -1;
		while (k--)
			out[len++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
	}
	return (int)len;
}

static const uint8_t field_kind[] = {
#define K(id, name, kind, level) POL_K_##kind,
	POL_FIELDS(K)
#undef K
};
static const uint8_t field_level[] = {
#define L(id, name, kind, level) POL_L_##level,
	POL_FIELDS(L)
#undef L
};

static int field_by_name(const char *s)
{
	for (unsigned i = 0; i < POL_F__COUNT; i++)
		if (!strcmp(pol_field_name(i), s))
			return (int)i;
	return -1;
}

static bool check_comp_level(unsigned c)
{
	return c != POL_CHK_NONE && c != POL_CHK_LINK_SCREENING && c != POL_CHK_TCAP_UNSOLICITED &&
	       c != POL_CHK_MALFORMED && c != POL_CHK_SCMG;
}

/* One "match" condition. */
static void parse_cond(struct loader *ld, const config_setting_t *s, struct pol_cond *k, const char *rname,
		       int force)
{
	const char *key = config_setting_name(s);
	if (force < 0 && !strncmp(key, "not_", 4)) {
		k->negate = true;
		key += 4;
	}
	int f = force >= 0 ? force : field_by_name(key);
	if (f < 0) {
		err_at(ld, s, "rule '%s': unknown condition '%s'", rname, config_setting_name(s));
		return;
	}
	k->field = (uint8_t)f;
	char what[CFG_NAME_MAX + 64];
	snprintf(what, sizeof what, "rule '%s' %s", rname, key);
	if (field_kind[f] == POL_K_PFX) {
		k->pfx = parse_pfx(ld, s, what);
		return;
	}
	if (field_kind[f] == POL_K_BOOL) {
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			err_at(ld, s, "%s must be true or false", what);
		k->b = config_setting_get_bool(s);
		return;
	}
	if (config_setting_is_group(s)) {
		err_at(ld, s, "%s must be a value or a list of values", what);
		return;
	}
	int n = config_setting_is_aggregate(s) ? config_setting_length(s) : 1;
	if (n == 0)
		err_at(ld, s, "%s: empty list", what);
	if (field_kind[f] == POL_K_INTS) {
		k->ints = calloc((size_t)n + 1, sizeof *k->ints);
		if (!k->ints)
			return;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_is_aggregate(s) ? config_setting_get_elem(s, (unsigned)i) : s;
		int t = config_setting_type(e);
		const char *str = t == CONFIG_TYPE_STRING ? config_setting_get_string(e) : NULL;
		long long iv = (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) ? config_setting_get_int64(e) : -1;
		switch (field_kind[f]) {
		case POL_K_INTS:
			if (iv < 0 || iv > 0xffffff)
				err_at(ld, e, "%s: a point code 0..16777215 is expected", what);
			else
				k->ints[k->n_ints++] = (uint32_t)iv;
			break;
		case POL_K_ANOM: {
			int a = str ? anomaly_index(str) : -1;
			if (a < 0)
				err_at(ld, e, "%s: unknown anomaly '%s'", what, str ? str : "?");
			else
				k->anom |= ANOM_BIT(a);
			break;
		}
		case POL_K_ACN: {
			int l = str && k->n_acn < POL_MAX_ACNS ? oid_encode(str, k->acn[k->n_acn], POL_ACN_MAX) : -1;
			if (l < 0)
				err_at(ld, e, "%s: \"%s\" is not a dotted OID (at most %d)", what, str ? str : "?", POL_MAX_ACNS);
			else
				k->acn_len[k->n_acn++] = (uint8_t)l;
			break;
		}
		default: {
			int v = str ? set_name_value(ld->p, (unsigned)f, str) : (iv >= 0 && iv <= 255 ? (int)iv : -1);
			if (f == POL_F_LINK && iv >= 0)
				v = -1;       /* links by name only */
			if (v < 0 || v > 255)
				err_at(ld, e, "%s: unknown value '%s'", what, str ? str : "(number)");
			else
				k->set[v >> 6] |= UINT64_C(1) << (v & 63);
			break;
		}
		}
	}
}

/* rate, burst, per of a rate_limit rule (and only of one). */
static void parse_rate(struct loader *ld, const config_setting_t *s, struct pol_rule *r)
{
	static const char *const pers[] = { "calling_gt", "partner", "operation", "rule", NULL };
	const config_setting_t *rt = config_setting_get_member(s, "rate");
	const config_setting_t *bu = config_setting_get_member(s, "burst");
	const config_setting_t *pe = config_setting_get_member(s, "per");
	r->name_hash = net_id_of(r->name) ^ (uint32_t)strlen(r->name) << 24;
	if (r->check != POL_CHK_RATE_LIMIT) {
		if (rt || bu || pe)
			err_at(ld, rt ? rt : bu ? bu : pe, "rule '%s': rate, burst and per belong to check = \"rate_limit\"", r->name);
		return;
	}
	int t = rt ? config_setting_type(rt) : CONFIG_TYPE_NONE;
	r->rate = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(rt) :
		  t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? (double)config_setting_get_int64(rt) : -1;
	if (!(r->rate > 0 && r->rate <= 1e6))
		err_at(ld, rt ? rt : s, "rule '%s': rate (messages per second, 0 < rate <= 1000000) is required", r->name);
	long long b = bu && (config_setting_type(bu) == CONFIG_TYPE_INT || config_setting_type(bu) == CONFIG_TYPE_INT64)
		      ? config_setting_get_int64(bu) : (bu ? -1 : (long long)(r->rate < 1 ? 1 : r->rate));
	if (b < 1 || b > 1000000)
		err_at(ld, bu, "rule '%s': burst must be 1..1000000", r->name);
	else
		r->burst = (uint32_t)b;
	const char *pv = pe ? config_setting_get_string(pe) : "calling_gt";
	int pi = pv ? enum_index(pers, pv) : -1;
	if (pi < 0)
		err_at(ld, pe, "rule '%s': per must be \"calling_gt\", \"partner\", \"operation\" or \"rule\"", r->name);
	else
		r->per = (uint8_t)pi;
}

static void parse_rules(struct loader *ld, const config_setting_t *g)
{
	static const char *const keys[] = { "name", "action", "shadow", "check", "match", "comment",
					    "rate", "burst", "per", NULL };
	struct policy *p = ld->p;
	if (g && !config_setting_is_list(g)) {
		err_at(ld, g, "'rules' must be a list ( { name = ...; action = ...; }, ... )");
		g = NULL;
	}
	int n = g ? config_setting_length(g) : 0;
	p->rules = calloc((size_t)n + 1, sizeof *p->rules);
	for (int i = 0; i < n && p->rules; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		if (!config_setting_is_group(s)) {
			err_at(ld, s, "a rule must be a group { name; action; ... }");
			continue;
		}
		only_keys(ld, s, "a rule", keys);
		struct pol_rule *r = &p->rules[p->n_rules];
		const config_setting_t *nm = config_setting_get_member(s, "name");
		if (check_name(ld, nm ? nm : s, "a rule", r->name) < 0)
			continue;
		for (uint32_t j = 0; j < p->n_rules; j++)
			if (!strcmp(p->rules[j].name, r->name))
				err_at(ld, nm, "rule '%s' defined twice (first at line %d)", r->name, p->rules[j].line);
		r->line = config_setting_source_line(s);
		const char *v;
		const config_setting_t *a = config_setting_get_member(s, "action");
		if (!a || !(v = config_setting_get_string(a)) || enum_index(action_names, v) < 0)
			err_at(ld, a ? a : s, "rule '%s': action must be \"allow\", \"drop\" or \"reject\"", r->name);
		else
			r->action = (uint8_t)enum_index(action_names, v);
		const config_setting_t *sh = config_setting_get_member(s, "shadow");
		if (sh) {
			if (config_setting_type(sh) != CONFIG_TYPE_BOOL)
				err_at(ld, sh, "rule '%s': shadow must be true or false", r->name);
			r->shadow = config_setting_get_bool(sh);
		}
		const config_setting_t *ck = config_setting_get_member(s, "check");
		if (ck) {
			const char *cv = config_setting_get_string(ck);
			int c = -1;
			for (unsigned j = 1; cv && j < POL_CHK__COUNT; j++)
				if (!strcmp(pol_check_name(j), cv))
					c = (int)j;
			if (c < 0)
				err_at(ld, ck, "rule '%s': unknown check '%s'", r->name, cv ? cv : "?");
			else
				r->check = (uint8_t)c;
		}
		r->comp_level = check_comp_level(r->check);
		parse_rate(ld, s, r);
		const config_setting_t *m = config_setting_get_member(s, "match");
		if (m && !config_setting_is_group(m)) {
			err_at(ld, m, "rule '%s': match must be a group { condition = value; ... }", r->name);
			m = NULL;
		}
		int nc = m ? config_setting_length(m) : 0;
		r->cond = calloc((size_t)nc + 1, sizeof *r->cond);
		for (int j = 0; j < nc && r->cond; j++) {
			parse_cond(ld, config_setting_get_elem(m, (unsigned)j), &r->cond[r->n_cond], r->name, -1);
			if (field_level[r->cond[r->n_cond].field] == POL_L_COMP)
				r->comp_level = true;
			r->n_cond++;
		}
		if (!ck && nc == 0)
			err_at(ld, s, "rule '%s' has neither match conditions nor a check: use policy.default", r->name);
		p->n_rules++;
	}
}

/* FS.11 category 1 (operations that should never arrive over the
 * interconnect), overridable with policy.fs11_cat1 = [ names or codes ]. */
static const int fs11_default[] = { 5, 9, 22, 24, 58, 62, 65, 71, 83, 85 };

static void parse_fs11(struct loader *ld, const config_setting_t *s)
{
	struct policy *p = ld->p;
	if (!s) {
		for (size_t i = 0; i < sizeof fs11_default / sizeof fs11_default[0]; i++)
			p->fs11_cat1[fs11_default[i] >> 6] |= UINT64_C(1) << (fs11_default[i] & 63);
		return;
	}
	struct pol_cond k;
	memset(&k, 0, sizeof k);
	parse_cond(ld, s, &k, "policy.fs11_cat1", POL_F_MAP_OP);
	memcpy(p->fs11_cat1, k.set, sizeof k.set);
}

/* FS.11 categories 2 and 3 (docs/policy.md, "FS.11"): the defaults and
 * policy.fs11_cat2 / fs11_cat3 / fs11_cat3_location = [ names or codes ]. */
static const int cat2_default[] = { 3, 4, 7, 8, 37, 38, 50, 51, 60, 61, 70 };
static const int cat3_default[] = { 2, 23, 46, 55, 56, 57, 59, 66, 67, 89 };
static const int cat3_loc_default[] = { 46, 57, 59, 66, 67, 89 };

static void parse_oplist(struct loader *ld, const config_setting_t *s, uint64_t set[4], const int *dflt,
			 size_t n, const char *what)
{
	if (!s) {
		for (size_t i = 0; i < n; i++)
			set[dflt[i] >> 6] |= UINT64_C(1) << (dflt[i] & 63);
		return;
	}
	struct pol_cond k;
	memset(&k, 0, sizeof k);
	parse_cond(ld, s, &k, what, POL_F_MAP_OP);
	memcpy(set, k.set, sizeof k.set);
}

static void parse_fs11_23(struct loader *ld, const config_setting_t *pg)
{
	struct policy *p = ld->p;
	const config_setting_t *g = pg && config_setting_is_group(pg) ? pg : NULL;
	parse_oplist(ld, g ? config_setting_get_member(g, "fs11_cat2") : NULL, p->fs11_cat2, cat2_default,
		     sizeof cat2_default / sizeof cat2_default[0], "policy.fs11_cat2");
	parse_oplist(ld, g ? config_setting_get_member(g, "fs11_cat3") : NULL, p->fs11_cat3, cat3_default,
		     sizeof cat3_default / sizeof cat3_default[0], "policy.fs11_cat3");
	parse_oplist(ld, g ? config_setting_get_member(g, "fs11_cat3_location") : NULL, p->fs11_cat3_location,
		     cat3_loc_default, sizeof cat3_loc_default / sizeof cat3_loc_default[0],
		     "policy.fs11_cat3_location");
	parse_travel(ld, g ? config_setting_get_member(g, "travel_times") : NULL);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->n_sets; i++)
		pfx_free(p->sets[i]);
	free(p->sets);
	for (uint32_t i = 0; p->rules && i < p->n_rules; i++) {
		for (uint32_t j = 0; p->rules[i].cond && j < p->rules[i].n_cond; j++)
			free(p->rules[i].cond[j].ints);
		free(p->rules[i].cond);
	}
	free(p->rules);
	free(p->partners);
	free(p->links);
	free(p->lists);
	free(p->home_pc);
	free(p->travel);
	free(p);
}

struct policy *policy_load(const char *path, FILE *err, int *nerr)
{
	struct loader ld = { .err = err, .path = path };
	config_t cfg;
	config_init(&cfg);
	char dir[CFG_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		config_set_include_dir(&cfg, dir[0] ? dir : "/");
		ld.dir = dir[0] ? dir : "";
	}
	if (!config_read_file(&cfg, path)) {
		const char *f = config_error_file(&cfg);
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO && !f)
			fprintf(err, "%s:0: cannot read the file\n", path);
		else
			fprintf(err, "%s:%d: %s\n", f ? f : path, config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		if (nerr)
			*nerr = 1;
		return NULL;
	}
	struct policy *p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(err, "%s:0: out of memory\n", path);
		config_destroy(&cfg);
		return NULL;
	}
	ld.p = p;
	snprintf(p->path, sizeof p->path, "%s", path);
	const config_setting_t *root = config_root_setting(&cfg);
	static const char *const top[] = { "policy", "home", "lists", "partners", "links", "settings", "rules", NULL };
	only_keys(&ld, root, "the top level", top);

	const config_setting_t *pg = config_lookup(&cfg, "policy");
	static const char *const own_keys[] = { "fs11_cat1", "passthrough_ssn", "fs11_cat2", "fs11_cat3",
						"fs11_cat3_location", "travel_times", NULL };
	keys_parse(&ld, pg, &p->cfg, policy_keys, sizeof policy_keys / sizeof policy_keys[0], "policy", own_keys);
	const config_setting_t *fs11 = pg && config_setting_is_group(pg) ? config_setting_get_member(pg, "fs11_cat1") : NULL;
	parse_passthrough(&ld, pg && config_setting_is_group(pg) ? config_setting_get_member(pg, "passthrough_ssn") : NULL);
	static const char *const settings_own[] = { "state", NULL };
	keys_parse(&ld, config_lookup(&cfg, "settings"), &p->settings, settings_keys,
		   sizeof settings_keys / sizeof settings_keys[0], "settings", settings_own);
	keys_parse(&ld, config_lookup(&cfg, "settings.state"), &p->settings.state, state_keys,
		   sizeof state_keys / sizeof state_keys[0], "settings.state", NULL);
	parse_home(&ld, config_lookup(&cfg, "home"));
	parse_lists(&ld, config_lookup(&cfg, "lists"));
	const config_setting_t *partners = config_lookup(&cfg, "partners");
	parse_partners(&ld, partners);
	parse_links(&ld, config_lookup(&cfg, "links"), partners && config_setting_is_list(partners) ? partners : NULL);
	parse_fs11(&ld, fs11);
	parse_fs11_23(&ld, pg);
	parse_rules(&ld, config_lookup(&cfg, "rules"));
	if (p->settings.reconnect_min_ms > p->settings.reconnect_max_ms)
		err_at(&ld, config_lookup(&cfg, "settings"), "settings.reconnect_min_ms is above reconnect_max_ms");
	if (p->settings.state.tls && !p->settings.state.tls_ca_file[0])
		err_at(&ld, config_lookup(&cfg, "settings.state"),
		       "settings.state.tls needs tls_ca_file (the CA the Redis server's certificate chains to)");
	config_destroy(&cfg);
	if (nerr)
		*nerr = ld.nerr;
	if (ld.nerr) {
		policy_free(p);
		return NULL;
	}
	return p;
}
