/* libFuzzer target: m3ua_decode and m3ua_msg_len on arbitrary bytes. */
#include <stdint.h>
#include <stddef.h>

#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct m3ua_info m;
	uint64_t anom = 0;
	enum wire_result r = m3ua_decode(&m, data, size, &anom);
	(void)m3ua_msg_len(data, size);
	if (r == WIRE_OK && m.has_pd) {
		/* the user data view lies inside the input */
		if (m.upd.len && (m.upd.p < data || m.upd.p + m.upd.len > data + size))
			__builtin_trap();
	}
	return 0;
}
