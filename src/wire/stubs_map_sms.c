/* TEMPORARY link stubs (map_sms); deleted when the real decoder lands. */
#include "ss7fw/wire.h"

enum wire_result map_decode(struct tcap_info *t, unsigned i, int op_hint, uint64_t *anom) { (void)t; (void)i; (void)op_hint; (void)anom; return WIRE_UNSUPPORTED; }
enum wire_result sms_decode(struct sms_tpdu *tp, struct bytes in, bool sc_to_ms, uint64_t *anom) { (void)tp; (void)in; (void)sc_to_ms; (void)anom; return WIRE_UNSUPPORTED; }
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
