/* TEMPORARY link stubs (m3ua_sccp); deleted when the real decoder lands. */
#include "ss7fw/wire.h"

enum wire_result m3ua_decode(struct m3ua_info *m, const uint8_t *buf, size_t len, uint64_t *anom) { (void)m; (void)buf; (void)len; (void)anom; return WIRE_UNSUPPORTED; }
uint32_t m3ua_msg_len(const uint8_t *buf, size_t len) { (void)buf; (void)len; return 0; }
enum wire_result sccp_decode(struct sccp_info *s, struct bytes in, uint64_t *anom) { (void)s; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result sccp_addr_decode(struct sccp_addr *a, struct bytes in, uint64_t *anom) { (void)a; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
void digits_from_bcd(struct digits *d, struct bytes v, int odd_hint, uint64_t *anom) { (void)v; (void)odd_hint; (void)anom; d->p = 0; d->n = 0; }
size_t digits_to_str(const struct digits *d, char *out, size_t outsz) { (void)d; if (outsz) out[0] = 0; return 0; }
size_t gsm7_to_str(struct bytes packed, unsigned nchars, char *out, size_t outsz) { (void)packed; (void)nchars; if (outsz) out[0] = 0; return 0; }
const char *m3ua_class_name(uint8_t msg_class) { (void)msg_class; return "?"; }
