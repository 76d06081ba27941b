/* ss7fw — screening engine. STUB: decodes and allows everything; the policy
 * work replaces this file. */
#include <stdlib.h>

#include "ss7fw/engine.h"
#include "ss7fw/wire.h"

struct engine {
	struct settings_cfg settings;
};

struct engine *engine_new(void) { return calloc(1, sizeof(struct engine)); }
void engine_free(struct engine *e) { free(e); }
int engine_load(struct engine *e, const char *path, FILE *err)
{
	(void)e;
	fprintf(err, "%s: policies are not implemented yet\n", path);
	return -1;
}
void engine_screen(struct engine *e, const uint8_t *msg, size_t len,
		   const struct msu_meta *meta, struct msu *m, struct fw_decision *d)
{
	(void)e;
	(void)meta;
	msu_decode(m, msg, len);
	*d = (struct fw_decision){ .verdict = FW_ALLOW, .forward = true };
}
void engine_count_drop(struct engine *e, int link, uint8_t dir, uint8_t reason)
{
	(void)e; (void)link; (void)dir; (void)reason;
}
int engine_n_links(const struct engine *e) { (void)e; return 0; }
const struct link_cfg *engine_link(const struct engine *e, int i) { (void)e; (void)i; return NULL; }
const struct settings_cfg *engine_settings(const struct engine *e) { return &e->settings; }
int engine_link_lookup(const struct engine *e, const struct sockaddr *src,
		       const struct sockaddr *dst, uint8_t *dir)
{
	(void)e; (void)src; (void)dst; (void)dir;
	return -1;
}
void engine_stats_print(const struct engine *e, FILE *out) { (void)e; (void)out; }
void engine_metrics_prom(const struct engine *e, FILE *out) { (void)e; (void)out; }
const char *fw_reason_name(unsigned r)
{
	static const char *const n[] = {
#define N(id, name, desc) name,
		FW_REASONS(N)
#undef N
	};
	return r < FW_REASON__COUNT ? n[r] : "?";
}
const char *fw_verdict_name(unsigned v)
{
	return v == FW_ALLOW ? "allow" : v == FW_DROP ? "drop" : v == FW_REJECT ? "reject" : "?";
}
