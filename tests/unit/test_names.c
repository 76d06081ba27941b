/* Name tables: anomalies (from the X-macro), MAP operations (TS 29.002
 * 17.5), SCCP, TCAP, SMS and SM-RP names as in the event schema. */
#include "harness.h"
#include "ss7fw/wire.h"

static void test_anomalies(void)
{
	for (unsigned a = 0; a < ANOM__COUNT; a++) {
		const char *n = anomaly_name(a);
		CHECK(n != NULL && n[0] != '\0' && strcmp(n, "?") != 0);
		CHECK(anomaly_desc(a) != NULL && strlen(anomaly_desc(a)) > 10);
		CHECK_INT(anomaly_by_name(n), a);
		for (unsigned b = 0; b < a; b++)
			CHECK(strcmp(n, anomaly_name(b)) != 0);
		/* names are JSON-safe snake_case */
		for (const char *p = n; *p; p++)
			CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
	}
	CHECK_STR(anomaly_name(ANOM_MULTI_COMPONENT), "multi_component");
	CHECK_STR(anomaly_name(ANOM_GLOBAL_OPCODE), "global_opcode");
	CHECK_STR(anomaly_name(ANOM_ACN_OPCODE_MISMATCH), "acn_opcode_mismatch");
	CHECK_STR(anomaly_name(ANOM_MAP_UNDECODED), "map_undecoded");
	CHECK_STR(anomaly_name(ANOM_SMS_UNDECODED), "sms_undecoded");
	CHECK_STR(anomaly_desc(ANOM_LONG_TID), "TCAP transaction id longer than 4 octets");
	CHECK_STR(anomaly_name(ANOM__COUNT), "?");
	CHECK_STR(anomaly_desc(1000), "?");
	CHECK_INT(anomaly_by_name("no_such_anomaly"), -1);
	CHECK_INT(anomaly_by_name(""), -1);
	CHECK_INT(anomaly_by_name(NULL), -1);
	CHECK_INT(anomaly_by_name("truncated"), ANOM_TRUNCATED);
}

static void test_map_ops(void)
{
	static const struct { int op; const char *name; } want[] = {
		{ 2, "updateLocation" }, { 3, "cancelLocation" }, { 4, "provideRoamingNumber" },
		{ 7, "insertSubscriberData" }, { 8, "deleteSubscriberData" }, { 9, "sendParameters" },
		{ 10, "registerSS" }, { 14, "interrogateSS" }, { 22, "sendRoutingInfo" },
		{ 23, "updateGprsLocation" }, { 24, "sendRoutingInfoForGprs" }, { 43, "checkIMEI" },
		{ 44, "mt-forwardSM" }, { 45, "sendRoutingInfoForSM" }, { 46, "mo-forwardSM" },
		{ 47, "reportSM-DeliveryStatus" }, { 55, "sendIdentification" },
		{ 56, "sendAuthenticationInfo" }, { 57, "restoreData" }, { 58, "sendIMSI" },
		{ 59, "processUnstructuredSS-Request" }, { 60, "unstructuredSS-Request" },
		{ 62, "anyTimeSubscriptionInterrogation" }, { 63, "informServiceCentre" },
		{ 64, "alertServiceCentre" }, { 65, "anyTimeModification" }, { 66, "readyForSM" },
		{ 67, "purgeMS" }, { 68, "prepareHandover" }, { 70, "provideSubscriberInfo" },
		{ 71, "anyTimeInterrogation" }, { 83, "provideSubscriberLocation" },
		{ 85, "sendRoutingInfoForLCS" }, { 86, "subscriberLocationReport" },
		{ 89, "noteMM-Event" }, { 126, "explicitCT" },
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		CHECK_STR(map_op_name(want[k].op), want[k].name);
		CHECK_INT(map_op_by_name(want[k].name), want[k].op);
	}
	/* every named code round-trips, and names are unique */
	int named = 0;
	for (int op = -2; op < 300; op++) {
		const char *n = map_op_name(op);
		if (!n)
			continue;
		named++;
		CHECK_INT(map_op_by_name(n), op);
	}
	CHECK_INT(named, 104); /* 2..26, 28..81, 83..89, 109..126 */
	static const int unallocated[] = { -1, 0, 1, 27, 82, 90, 100, 108, 127, 255 };
	for (size_t k = 0; k < sizeof unallocated / sizeof unallocated[0]; k++)
		CHECK(map_op_name(unallocated[k]) == NULL);
	CHECK_INT(map_op_by_name("forwardSM"), 46);
	CHECK_INT(map_op_by_name("sendRoutingInfoForSm"), -1);
	CHECK_INT(map_op_by_name(NULL), -1);
}

static void test_layer_names(void)
{
	CHECK_STR(sccp_type_name(SCCP_UDT), "UDT");
	CHECK_STR(sccp_type_name(SCCP_UDTS), "UDTS");
	CHECK_STR(sccp_type_name(SCCP_XUDT), "XUDT");
	CHECK_STR(sccp_type_name(SCCP_XUDTS), "XUDTS");
	CHECK_STR(sccp_type_name(SCCP_LUDT), "LUDT");
	CHECK_STR(sccp_type_name(SCCP_LUDTS), "LUDTS");
	CHECK_STR(sccp_type_name(SCCP_CR), "CR");
	CHECK_STR(sccp_type_name(SCCP_CREF), "CREF");
	CHECK_STR(sccp_type_name(SCCP_DT1), "DT1");
	CHECK_STR(sccp_type_name(SCCP_IT), "IT");
	CHECK_STR(sccp_type_name(0), "?");
	CHECK_STR(sccp_type_name(0x15), "?");
	for (uint8_t t = SCCP_CR; t <= SCCP_LUDTS; t++)
		CHECK(strcmp(sccp_type_name(t), "?") != 0);

	CHECK_STR(tcap_type_name(TCAP_BEGIN), "begin");
	CHECK_STR(tcap_type_name(TCAP_CONTINUE), "continue");
	CHECK_STR(tcap_type_name(TCAP_END), "end");
	CHECK_STR(tcap_type_name(TCAP_ABORT), "abort");
	CHECK_STR(tcap_type_name(TCAP_UNIDIRECTIONAL), "unidirectional");
	CHECK_STR(tcap_type_name(TCAP_NONE), "?");

	CHECK_STR(tcap_comp_type_name(TCAP_COMP_INVOKE), "invoke");
	CHECK_STR(tcap_comp_type_name(TCAP_COMP_RESULT_LAST), "return_result_last");
	CHECK_STR(tcap_comp_type_name(TCAP_COMP_RESULT), "return_result");
	CHECK_STR(tcap_comp_type_name(TCAP_COMP_ERROR), "return_error");
	CHECK_STR(tcap_comp_type_name(TCAP_COMP_REJECT), "reject");
	CHECK_STR(tcap_comp_type_name(99), "?");

	CHECK_STR(sms_mti_name(SMS_MTI_DELIVER), "deliver");
	CHECK_STR(sms_mti_name(SMS_MTI_DELIVER_REPORT), "deliver_report");
	CHECK_STR(sms_mti_name(SMS_MTI_SUBMIT), "submit");
	CHECK_STR(sms_mti_name(SMS_MTI_SUBMIT_REPORT), "submit_report");
	CHECK_STR(sms_mti_name(SMS_MTI_STATUS_REPORT), "status_report");
	CHECK_STR(sms_mti_name(SMS_MTI_COMMAND), "command");
	CHECK_STR(sms_mti_name(SMS_MTI_RESERVED), "reserved");
	CHECK_STR(sms_mti_name(SMS_MTI_NONE), "?");

	CHECK_STR(sm_rp_kind_name(SM_RP_IMSI), "imsi");
	CHECK_STR(sm_rp_kind_name(SM_RP_LMSI), "lmsi");
	CHECK_STR(sm_rp_kind_name(SM_RP_MSISDN), "msisdn");
	CHECK_STR(sm_rp_kind_name(SM_RP_SC_ADDR), "sc_addr");
	CHECK_STR(sm_rp_kind_name(SM_RP_NO_ADDR), "none");
	CHECK_STR(sm_rp_kind_name(SM_RP_NONE), "?");
}

TEST_MAIN("test_names", {
	RUN(test_anomalies);
	RUN(test_map_ops);
	RUN(test_layer_names);
})
