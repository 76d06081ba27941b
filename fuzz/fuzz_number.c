/* libFuzzer target: the SCCP management decoder (scmg_decode) and numbers in
 * their canonical form (num_canon, num_to_str, pfx_match_num) for every form
 * and plan the input chooses: the canonical view never reads outside the
 * wire digits and the plan, and is never longer than WIRE_MAX_DIGITS. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pfx_set *set;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t anom = 0;
	struct scmg_info g;
	if (scmg_decode(&g, (struct bytes){ data, size }, &anom) == WIRE_OK &&
	    (!g.present || g.type < SCMG_SSA || g.type > SCMG_SSC || g.affected_pc > 0x3fff))
		__builtin_trap();
	if (!set) {
		set = pfx_new();
		pfx_add(set, "999");
		pfx_add(set, "=999340001");
		pfx_add(set, "4477");
		pfx_add(set, "=1234567890123456");
		pfx_finalize(set);
	}
	if (size < 4)
		return 0;
	/* plan: cc of data[1] & 3 digits, intl/trunk prefixes of 0..4 digits */
	struct num_plan plan;
	memset(&plan, 0, sizeof plan);
	plan.cc_n = data[1] & 3;
	plan.intl_n = (data[1] >> 2) % (NUM_MAX_PREFIX + 1);
	plan.trunk_n = (data[1] >> 5) % (NUM_MAX_PREFIX + 1);
	for (unsigned i = 0; i < NUM_MAX_CC; i++)
		plan.cc[i] = data[2] % 10;
	for (unsigned i = 0; i < NUM_MAX_PREFIX; i++)
		plan.intl[i] = plan.trunk[i] = data[3] & 0x0f;
	struct digits d;
	digits_from_bcd(&d, (struct bytes){ data + 4, size - 4 }, data[0] & 1, &anom);
	struct num x;
	num_canon(&x, &d, (uint8_t)((data[0] >> 1) & 3), (data[0] & 0x80) ? NULL : &plan);
	if (x.d && (x.n > WIRE_MAX_DIGITS || x.skip > d.n || x.pre_n > NUM_MAX_CC))
		__builtin_trap();
	char txt[WIRE_MAX_DIGITS + 1];
	if (num_to_str(&x, txt, sizeof txt) != (x.d ? x.n : 0u))
		__builtin_trap();
	pfx_match_num(set, &x);
	return 0;
}
