/* ss7fw — whole-MSU decode. STUB until the layer decoders land. */
#include <string.h>

#include "ss7fw/wire.h"

enum wire_result msu_decode(struct msu *m, const uint8_t *buf, size_t len)
{
	(void)buf;
	(void)len;
	memset(m, 0, sizeof *m);
	return WIRE_OK;
}
