/* libFuzzer target: tcap_decode on arbitrary bytes (ITU-T Q.773).
 * Besides ASan/UBSan, checks the decoder's contract: every view it returns
 * lies inside the input, the counts respect their limits, and the result is
 * one of enum wire_result. A violation traps. */
#include <stddef.h>
#include <stdint.h>

#include "ss7fw/wire.h"

static const uint8_t *in_lo, *in_hi;

static void check_view(struct bytes b)
{
	if (b.len == 0)
		return;
	if (b.p < in_lo || b.p > in_hi || b.len > (size_t)(in_hi - b.p))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcap_info t;
	uint64_t anom = 0;
	in_lo = data;
	in_hi = data + size;
	enum wire_result r = tcap_decode(&t, (struct bytes){ data, size }, &anom);
	if (r != WIRE_OK && r != WIRE_MALFORMED && r != WIRE_TRUNCATED)
		__builtin_trap();
	if (t.n_components > TCAP_MAX_COMPONENTS || t.otid.len > TCAP_MAX_TID ||
	    t.dtid.len > TCAP_MAX_TID || t.type > TCAP_ABORT || t.dialogue > TCAP_DLG_OTHER)
		__builtin_trap();
	if (ANOM__COUNT < 64 && (anom >> (ANOM__COUNT % 64)) != 0)
		__builtin_trap();
	if (r == WIRE_OK && (!t.present || t.type == TCAP_NONE))
		__builtin_trap();
	check_view(t.otid);
	check_view(t.dtid);
	check_view(t.acn);
	if (t.has_dest_ref) {
		/* MAP-OpenInfo destinationReference: digits of 1..19 octets, a view */
		if (!t.dest_ref.n || t.dest_ref.n > 38 || t.dialogue != TCAP_DLG_AARQ)
			__builtin_trap();
		check_view((struct bytes){ t.dest_ref.p, (size_t)(t.dest_ref.n + 1) / 2 });
	}
	for (unsigned i = 0; i < t.n_components; i++) {
		const struct tcap_component *k = &t.comp[i];
		if (k->type == TCAP_COMP_NONE || k->type > TCAP_COMP_REJECT || k->map.state != MAP_NOT_DECODED)
			__builtin_trap();
		check_view(k->opcode_oid);
		check_view(k->param);
	}
	return 0;
}
