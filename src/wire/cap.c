/* CAMEL Application Part (3GPP TS 29.078): operation names, and the names
 * of the TCAP applications and SCCP management messages. CAP is screened by
 * its operation code; its arguments are not decoded (docs/decoding.md). */
#include <strings.h>

#include "ss7fw/wire.h"

struct cap_op {
	uint8_t code;
	const char *name;
};

/* TS 29.078 (CAP phases 1-4): circuit switched call control, SMS and GPRS
 * operation codes. */
static const struct cap_op cap_ops[] = {
	{ 0, "initialDP" },
	{ 16, "assistRequestInstructions" },
	{ 17, "establishTemporaryConnection" },
	{ 18, "disconnectForwardConnection" },
	{ 19, "connectToResource" },
	{ 20, "connect" },
	{ 22, "releaseCall" },
	{ 23, "requestReportBCSMEvent" },
	{ 24, "eventReportBCSM" },
	{ 27, "collectInformation" },
	{ 31, "continue" },
	{ 32, "initiateCallAttempt" },
	{ 33, "resetTimer" },
	{ 34, "furnishChargingInformation" },
	{ 35, "applyCharging" },
	{ 36, "applyChargingReport" },
	{ 41, "callGap" },
	{ 44, "callInformationReport" },
	{ 45, "callInformationRequest" },
	{ 46, "sendChargingInformation" },
	{ 47, "playAnnouncement" },
	{ 48, "promptAndCollectUserInformation" },
	{ 49, "specializedResourceReport" },
	{ 53, "cancel" },
	{ 55, "activityTest" },
	{ 60, "initialDPSMS" },
	{ 61, "furnishChargingInformationSMS" },
	{ 62, "connectSMS" },
	{ 63, "requestReportSMSEvent" },
	{ 64, "eventReportSMS" },
	{ 65, "continueSMS" },
	{ 66, "releaseSMS" },
	{ 67, "resetTimerSMS" },
	{ 70, "activityTestGPRS" },
	{ 71, "applyChargingGPRS" },
	{ 72, "applyChargingReportGPRS" },
	{ 73, "cancelGPRS" },
	{ 74, "connectGPRS" },
	{ 75, "continueGPRS" },
	{ 76, "entityReleasedGPRS" },
	{ 77, "furnishChargingInformationGPRS" },
	{ 78, "initialDPGPRS" },
	{ 79, "releaseGPRS" },
	{ 80, "eventReportGPRS" },
	{ 81, "requestReportGPRSEvent" },
	{ 82, "resetTimerGPRS" },
	{ 83, "sendChargingInformationGPRS" },
	{ 86, "dFCWithArgument" },
	{ 88, "continueWithArgument" },
	{ 90, "disconnectLeg" },
	{ 93, "moveLeg" },
	{ 95, "splitLeg" },
	{ 96, "entityReleased" },
	{ 97, "playTone" },
};

#define N_CAP_OPS (sizeof cap_ops / sizeof cap_ops[0])

const char *cap_op_name(int opcode)
{
	for (size_t i = 0; i < N_CAP_OPS; i++)
		if (cap_ops[i].code == opcode)
			return cap_ops[i].name;
	return NULL;
}

int cap_op_by_name(const char *name)
{
	for (size_t i = 0; i < N_CAP_OPS; i++)
		if (!strcasecmp(cap_ops[i].name, name))
			return cap_ops[i].code;
	return -1;
}

const char *tcap_app_name(uint8_t app)
{
	switch (app) {
	case TCAP_APP_MAP: return "map";
	case TCAP_APP_CAP: return "cap";
	case TCAP_APP_OTHER: return "other";
	default: return "none";
	}
}

const char *scmg_type_name(uint8_t type)
{
	static const char *const n[] = { "?", "SSA", "SSP", "SST", "SOR", "SOG", "SSC" };
	return type < sizeof n / sizeof n[0] ? n[type] : "?";
}
