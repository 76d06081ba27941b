/* libFuzzer target: the whole msu_decode (M3UA -> SCCP -> TCAP -> MAP -> SMS). */
#include <stdint.h>
#include <stddef.h>

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
	return 0;
}
