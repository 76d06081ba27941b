/* ss7fw — name tables of the wire layer (value_string style): anomalies,
 * MAP operation codes (3GPP TS 29.002 17.5), SCCP message types (ITU-T
 * Q.713 Table 1), TCAP message and component types (Q.773), SMS TP-MTI
 * (TS 23.040 9.2.3.1), SM-RP-DA/OA kinds (TS 29.002 7.6.8) and M3UA
 * message classes (RFC 4666 3.1.2). The names are those of the event schema
 * (docs/event-schema.md): stable, renamed never. */
#include <string.h>

#include "ss7fw/wire.h"

/* ---- anomalies, from the X-macro in wire-t.h */
static const char *const anom_names[ANOM__COUNT] = {
#define NAMES_ANOM_NAME(id, name, desc) [ANOM_##id] = name,
	WIRE_ANOMALIES(NAMES_ANOM_NAME)
#undef NAMES_ANOM_NAME
};

static const char *const anom_descs[ANOM__COUNT] = {
#define NAMES_ANOM_DESC(id, name, desc) [ANOM_##id] = desc,
	WIRE_ANOMALIES(NAMES_ANOM_DESC)
#undef NAMES_ANOM_DESC
};

const char *anomaly_name(unsigned a)
{
	return a < ANOM__COUNT ? anom_names[a] : "?";
}

const char *anomaly_desc(unsigned a)
{
	return a < ANOM__COUNT ? anom_descs[a] : "?";
}

int anomaly_by_name(const char *name)
{
	if (!name)
		return -1;
	for (unsigned a = 0; a < ANOM__COUNT; a++)
		if (strcmp(anom_names[a], name) == 0)
			return (int)a;
	return -1;
}

/* ---- MAP local operation codes: TS 29.002 17.5 (MAP-Protocol), plus the
 * MAP v1 operations of GSM 09.02 that 29.002 keeps reserved (9, 19, 28, 30,
 * 35, 48, 49, 52, 54). Names as written in the ASN.1, except 44 and 46,
 * which the event schema writes "mt-forwardSM" / "mo-forwardSM" (46 is
 * "forwardSM" in MAP v1/v2: see map_op_name_ctx). Codes 1, 27, 82 and
 * 90..108 are not allocated. */
static const char *const map_ops[] = {
	[2] = "updateLocation",
	[3] = "cancelLocation",
	[4] = "provideRoamingNumber",
	[5] = "noteSubscriberDataModified",
	[6] = "resumeCallHandling",
	[7] = "insertSubscriberData",
	[8] = "deleteSubscriberData",
	[9] = "sendParameters",
	[10] = "registerSS",
	[11] = "eraseSS",
	[12] = "activateSS",
	[13] = "deactivateSS",
	[14] = "interrogateSS",
	[15] = "authenticationFailureReport",
	[16] = "notifySS",
	[17] = "registerPassword",
	[18] = "getPassword",
	[19] = "processUnstructuredSS-Data",
	[20] = "releaseResources",
	[21] = "mt-ForwardSM-VGCS",
	[22] = "sendRoutingInfo",
	[23] = "updateGprsLocation",
	[24] = "sendRoutingInfoForGprs",
	[25] = "failureReport",
	[26] = "noteMsPresentForGprs",
	[28] = "performHandover",
	[29] = "sendEndSignal",
	[30] = "performSubsequentHandover",
	[31] = "provideSIWFSNumber",
	[32] = "sIWFSSignallingModify",
	[33] = "processAccessSignalling",
	[34] = "forwardAccessSignalling",
	[35] = "noteInternalHandover",
	[36] = "cancelVcsgLocation",
	[37] = "reset",
	[38] = "forwardCheckSS-Indication",
	[39] = "prepareGroupCall",
	[40] = "sendGroupCallEndSignal",
	[41] = "processGroupCallSignalling",
	[42] = "forwardGroupCallSignalling",
	[43] = "checkIMEI",
	[44] = "mt-forwardSM",
	[45] = "sendRoutingInfoForSM",
	[46] = "mo-forwardSM",
	[47] = "reportSM-DeliveryStatus",
	[48] = "noteSubscriberPresent",
	[49] = "alertServiceCentreWithoutResult",
	[50] = "activateTraceMode",
	[51] = "deactivateTraceMode",
	[52] = "traceSubscriberActivity",
	[53] = "updateVcsgLocation",
	[54] = "beginSubscriberActivity",
	[55] = "sendIdentification",
	[56] = "sendAuthenticationInfo",
	[57] = "restoreData",
	[58] = "sendIMSI",
	[59] = "processUnstructuredSS-Request",
	[60] = "unstructuredSS-Request",
	[61] = "unstructuredSS-Notify",
	[62] = "anyTimeSubscriptionInterrogation",
	[63] = "informServiceCentre",
	[64] = "alertServiceCentre",
	[65] = "anyTimeModification",
	[66] = "readyForSM",
	[67] = "purgeMS",
	[68] = "prepareHandover",
	[69] = "prepareSubsequentHandover",
	[70] = "provideSubscriberInfo",
	[71] = "anyTimeInterrogation",
	[72] = "ss-InvocationNotification",
	[73] = "setReportingState",
	[74] = "statusReport",
	[75] = "remoteUserFree",
	[76] = "registerCC-Entry",
	[77] = "eraseCC-Entry",
	[78] = "secureTransportClass1",
	[79] = "secureTransportClass2",
	[80] = "secureTransportClass3",
	[81] = "secureTransportClass4",
	[83] = "provideSubscriberLocation",
	[84] = "sendGroupCallInfo",
	[85] = "sendRoutingInfoForLCS",
	[86] = "subscriberLocationReport",
	[87] = "ist-Alert",
	[88] = "ist-Command",
	[89] = "noteMM-Event",
	[109] = "lcs-PeriodicLocationCancellation",
	[110] = "lcs-LocationUpdate",
	[111] = "lcs-PeriodicLocationRequest",
	[112] = "lcs-AreaEventCancellation",
	[113] = "lcs-AreaEventReport",
	[114] = "lcs-AreaEventRequest",
	[115] = "lcs-MOLR",
	[116] = "lcs-LocationNotification",
	[117] = "callDeflection",
	[118] = "userUserService",
	[119] = "accessRegisterCCEntry",
	[120] = "forwardCUG-Info",
	[121] = "splitMPTY",
	[122] = "retrieveMPTY",
	[123] = "holdMPTY",
	[124] = "buildMPTY",
	[125] = "forwardChargeAdvice",
	[126] = "explicitCT",
};
#define MAP_OPS_N ((int)(sizeof map_ops / sizeof map_ops[0]))

const char *map_op_name(int opcode)
{
	if (opcode < 0 || opcode >= MAP_OPS_N)
		return NULL;
	return map_ops[opcode];
}

/* The MAP v1/v2 name of 46 is forwardSM (GSM 09.02; TS 29.002 keeps it as
 * mo-forwardSM in v3 and up). Without a MAP application context (v1 has no
 * dialogue portion) the operation is taken to be v1/v2. */
const char *map_op_name_ctx(int opcode, const struct tcap_info *t)
{
	if (opcode == 46) {
		if (!t || t->acn.len == 0)
			return "forwardSM";
		if (t->acn_is_map && t->acn_version <= 2)
			return "forwardSM";
	}
	return map_op_name(opcode);
}

int map_op_by_name(const char *name)
{
	if (!name)
		return -1;
	if (strcmp(name, "forwardSM") == 0)
		return 46;
	for (int i = 0; i < MAP_OPS_N; i++)
		if (map_ops[i] && strcmp(map_ops[i], name) == 0)
			return i;
	return -1;
}

/* ---- SCCP message types, Q.713 Table 1 */
const char *sccp_type_name(uint8_t type)
{
	switch (type) {
	case SCCP_CR: return "CR";
	case SCCP_CC: return "CC";
	case SCCP_CREF: return "CREF";
	case SCCP_RLSD: return "RLSD";
	case SCCP_RLC: return "RLC";
	case SCCP_DT1: return "DT1";
	case SCCP_DT2: return "DT2";
	case SCCP_AK: return "AK";
	case SCCP_UDT: return "UDT";
	case SCCP_UDTS: return "UDTS";
	case SCCP_ED: return "ED";
	case SCCP_EA: return "EA";
	case SCCP_RSR: return "RSR";
	case SCCP_RSC: return "RSC";
	case SCCP_ERR: return "ERR";
	case SCCP_IT: return "IT";
	case SCCP_XUDT: return "XUDT";
	case SCCP_XUDTS: return "XUDTS";
	case SCCP_LUDT: return "LUDT";
	case SCCP_LUDTS: return "LUDTS";
	default: return "?";
	}
}

/* ---- TCAP, Q.773 */
const char *tcap_type_name(uint8_t type)
{
	switch (type) {
	case TCAP_UNIDIRECTIONAL: return "unidirectional";
	case TCAP_BEGIN: return "begin";
	case TCAP_END: return "end";
	case TCAP_CONTINUE: return "continue";
	case TCAP_ABORT: return "abort";
	default: return "?";
	}
}

const char *tcap_comp_type_name(uint8_t type)
{
	switch (type) {
	case TCAP_COMP_INVOKE: return "invoke";
	case TCAP_COMP_RESULT_LAST: return "return_result_last";
	case TCAP_COMP_RESULT: return "return_result";
	case TCAP_COMP_ERROR: return "return_error";
	case TCAP_COMP_REJECT: return "reject";
	default: return "?";
	}
}

/* ---- SMS, TS 23.040 9.2.3.1 */
const char *sms_mti_name(uint8_t mti)
{
	switch (mti) {
	case SMS_MTI_DELIVER: return "deliver";
	case SMS_MTI_DELIVER_REPORT: return "deliver_report";
	case SMS_MTI_SUBMIT: return "submit";
	case SMS_MTI_SUBMIT_REPORT: return "submit_report";
	case SMS_MTI_STATUS_REPORT: return "status_report";
	case SMS_MTI_COMMAND: return "command";
	case SMS_MTI_RESERVED: return "reserved";
	default: return "?";
	}
}

/* ---- SM-RP-DA / SM-RP-OA, TS 29.002 7.6.8.1/2 ("none": noSM-RP-DA/OA) */
const char *sm_rp_kind_name(uint8_t kind)
{
	switch (kind) {
	case SM_RP_IMSI: return "imsi";
	case SM_RP_LMSI: return "lmsi";
	case SM_RP_MSISDN: return "msisdn";
	case SM_RP_SC_ADDR: return "sc_addr";
	case SM_RP_NO_ADDR: return "none";
	default: return "?";
	}
}
