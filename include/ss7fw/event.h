/* ss7fw — the MSU record (shared/design/event-schema.md) as one JSON line. */
#ifndef SS7FW_EVENT_H
#define SS7FW_EVENT_H

#include "ss7fw/engine.h"
#include "ss7fw/wire-t.h"

/* Write the record of m (with meta and decision d) as one JSON object and a
 * '\n' into out. Returns its length, or 0 if cap was too small (out is then
 * unspecified). No allocation. */
size_t event_json(char *out, size_t cap, const struct msu *m,
		  const struct msu_meta *meta, const struct fw_decision *d);

#endif
