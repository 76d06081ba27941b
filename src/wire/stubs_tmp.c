/* TEMPORARY link stubs for decoders not written yet. Each helper deletes the
 * functions it implements from this file; the file goes when it is empty. */
#include "ss7fw/wire.h"

enum wire_result m3ua_decode(struct m3ua_info *m, const uint8_t *buf, size_t len, uint64_t *anom) { (void)m; (void)buf; (void)len; (void)anom; return WIRE_UNSUPPORTED; }
uint32_t m3ua_msg_len(const uint8_t *buf, size_t len) { (void)buf; (void)len; return 0; }
enum wire_result sccp_decode(struct sccp_info *s, struct bytes in, uint64_t *anom) { (void)s; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result sccp_addr_decode(struct sccp_addr *a, struct bytes in, uint64_t *anom) { (void)a; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result tcap_decode(struct tcap_info *t, struct bytes in, uint64_t *anom) { (void)t; (void)in; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result map_decode(struct tcap_info *t, unsigned i, int op_hint, uint64_t *anom) { (void)t; (void)i; (void)op_hint; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result sms_decode(struct sms_tpdu *tp, struct bytes in, bool sc_to_ms, uint64_t *anom) { (void)tp; (void)in; (void)sc_to_ms; (void)anom; return WIRE_UNSUPPORTED; }
void digits_from_bcd(struct digits *d, struct bytes v, int odd_hint, uint64_t *anom) { (void)v; (void)odd_hint; (void)anom; d->p = 0; d->n = 0; }
size_t digits_to_str(const struct digits *d, char *out, size_t outsz) { (void)d; if (outsz) out[0] = 0; return 0; }
size_t gsm7_to_str(struct bytes packed, unsigned nchars, char *out, size_t outsz) { (void)packed; (void)nchars; if (outsz) out[0] = 0; return 0; }
const char *anomaly_name(unsigned a) { (void)a; return "?"; }
const char *anomaly_desc(unsigned a) { (void)a; return "?"; }
int anomaly_by_name(const char *name) { (void)name; return -1; }
const char *map_op_name(int opcode) { (void)opcode; return 0; }
int map_op_by_name(const char *name) { (void)name; return -1; }
const char *sccp_type_name(uint8_t type) { (void)type; return "?"; }
const char *tcap_type_name(uint8_t type) { (void)type; return "?"; }
const char *tcap_comp_type_name(uint8_t type) { (void)type; return "?"; }
const char *sms_mti_name(uint8_t mti) { (void)mti; return "?"; }
const char *sm_rp_kind_name(uint8_t kind) { (void)kind; return "?"; }
const char *m3ua_class_name(uint8_t msg_class) { (void)msg_class; return "?"; }
