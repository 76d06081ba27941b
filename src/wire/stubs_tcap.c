/* TEMPORARY link stubs (tcap); deleted when the real decoder lands. */
#include "ss7fw/wire.h"

enum wire_result tcap_decode(struct tcap_info *t, struct bytes in, uint64_t *anom) { (void)t; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
