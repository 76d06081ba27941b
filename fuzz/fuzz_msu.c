/* libFuzzer target: the whole msu_decode (M3UA -> SCCP -> TCAP -> MAP -> SMS),
 * and the reject answer built from what it decoded (src/relay/reject.c):
 * bounded, and itself a UDTS/XUDTS whose M3UA and SCCP decode. */
#include <stdint.h>
#include <stddef.h>

#include "ss7fw/reject.h"
#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msu m;
	enum wire_result r = msu_decode(&m, data, size);
	if ((r == WIRE_OK) != (m.error_layer == LAYER_NONE))
		__builtin_trap();
	if (m.tcap.n_components > TCAP_MAX_COMPONENTS)
		__builtin_trap();
	uint8_t ans[REJECT_MAX_ANSWER];
	size_t n = reject_build(ans, sizeof ans, &m, data, size, REJECT_CAUSE);
	if (n) {
		struct msu a;
		msu_decode(&a, ans, n);
		if (a.error_layer == LAYER_M3UA || a.error_layer == LAYER_SCCP || !a.sccp.present ||
		    (a.sccp.type != SCCP_UDTS && a.sccp.type != SCCP_XUDTS) || a.sccp.cause != REJECT_CAUSE ||
		    a.m3ua.opc != m.m3ua.dpc || a.m3ua.dpc != m.m3ua.opc ||
		    a.sccp.data.len != m.sccp.data.len)
			__builtin_trap();
	}
	return 0;
}
