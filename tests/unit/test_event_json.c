/* The MSU record (event-schema.md): exact JSON lines for MSUs built with
 * enc_msu_build and decoded with msu_decode; omission of absent layers,
 * escaping, hex digits, anomalies in X-macro order, decisions, capacity. */
#include <stdlib.h>

#include "harness.h"
#include "enc/enc-msu.h"
#include "ss7fw/event.h"
#include "ss7fw/wire.h"

static uint8_t msg[4096];
static struct msu m;
static char line[8192];

static const struct msu_meta meta0 = {
	.ts = { 1795593601, 250000999 }, .frame = 12, .link = 0, .link_name = "carrier-a",
	.dir = FW_DIR_IN, .stream = 1,
};
static const struct fw_decision allow0 = { .verdict = FW_ALLOW, .forward = true };

/* Build, decode and render s; returns the line (also in `line`). */
static const char *render(const struct enc_msu *s, const struct msu_meta *meta,
			  const struct fw_decision *d)
{
	size_t n = enc_msu_build(msg, sizeof msg, s);
	CHECK(n > 0);
	msu_decode(&m, msg, n);
	size_t l = event_json(line, sizeof line, &m, meta, d);
	CHECK(l > 0);
	CHECK_INT(l, strlen(line));
	return line;
}

#define HEAD "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":12,\"link\":\"carrier-a\",\"dir\":\"in\"," \
	"\"m3ua\":{\"rc\":100,\"stream\":1},\"mtp3\":{\"opc\":1234,\"dpc\":2345,\"si\":3,\"ni\":0,\"mp\":0,\"sls\":5},"
#define CD_HLR "\"cdpa\":{\"ri\":\"gt\",\"ssn\":6,\"gti\":4,\"tt\":0,\"np\":1,\"nai\":4,\"digits\":\"999125500001\"}"
#define CD_MSC "\"cdpa\":{\"ri\":\"gt\",\"ssn\":8,\"gti\":4,\"tt\":0,\"np\":1,\"nai\":4,\"digits\":\"999125510001\"}"
#define CG_SMSC "\"cgpa\":{\"ri\":\"gt\",\"ssn\":8,\"gti\":4,\"tt\":0,\"np\":1,\"nai\":4,\"digits\":\"999340001\"}"
#define UDT "\"sccp\":{\"type\":\"UDT\",\"class\":1,\"return_on_error\":true,"
#define ALLOW "\"verdict\":\"allow\",\"shadow\":false}\n"

static void test_sri_sm_default(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD UDT CD_HLR "," CG_SMSC "},"
		  "\"tcap\":{\"type\":\"begin\",\"app\":\"map\",\"otid\":\"0a0b0c0d\",\"acn\":\"0.4.0.0.1.0.20.3\","
		  "\"components\":[{\"type\":\"invoke\",\"invoke_id\":1,\"opcode\":45}]},"
		  "\"map\":{\"op\":\"sendRoutingInfoForSM\",\"msisdn\":\"9991255000001\","
		  "\"sc_addr\":\"999340001\",\"sm_rp_pri\":true},"
		  "\"anomalies\":[]," ALLOW);
}

static void test_forward_sm(void)
{
	struct enc_msu s;
	/* mt-forwardSM, SMS-DELIVER with an alphanumeric TP-OA that needs escaping */
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.cdpa_gt = ENC_HOME_MSC;
	s.tp_ton = 5;
	s.tp_addr = "Say \"hi\"";
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD UDT CD_MSC "," CG_SMSC "},"
		  "\"tcap\":{\"type\":\"begin\",\"app\":\"map\",\"otid\":\"0a0b0c0d\",\"acn\":\"0.4.0.0.1.0.25.3\","
		  "\"components\":[{\"type\":\"invoke\",\"invoke_id\":1,\"opcode\":44}]},"
		  "\"map\":{\"op\":\"mt-forwardSM\",\"sm_rp_da\":{\"kind\":\"imsi\",\"digits\":\"999010000000001\"},"
		  "\"sm_rp_oa\":{\"kind\":\"sc_addr\",\"digits\":\"999340001\"},"
		  "\"tp\":{\"mti\":\"deliver\",\"oa\":\"Say \\\"hi\\\"\",\"oa_ton\":5,\"oa_alnum\":true,\"pid\":0,\"dcs\":0}},"
		  "\"anomalies\":[]," ALLOW);
	/* numeric TP-OA */
	s.tp_ton = 1;
	s.tp_addr = "33612345678";
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"tp\":{\"mti\":\"deliver\",\"oa\":\"33612345678\",\"oa_ton\":1,\"oa_alnum\":false,") != NULL);
	/* mo-forwardSM: SMS-SUBMIT, direction-dependent SM-RP kinds, TP-DA */
	enc_msu_defaults(&s);
	s.opcode = 46;
	s.cdpa_ssn = 8;
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD UDT "\"cdpa\":{\"ri\":\"gt\",\"ssn\":8,\"gti\":4,\"tt\":0,\"np\":1,\"nai\":4,\"digits\":\"999125500001\"},"
		  CG_SMSC "},"
		  "\"tcap\":{\"type\":\"begin\",\"app\":\"map\",\"otid\":\"0a0b0c0d\",\"acn\":\"0.4.0.0.1.0.21.3\","
		  "\"components\":[{\"type\":\"invoke\",\"invoke_id\":1,\"opcode\":46}]},"
		  "\"map\":{\"op\":\"mo-forwardSM\",\"sm_rp_da\":{\"kind\":\"sc_addr\",\"digits\":\"999340001\"},"
		  "\"sm_rp_oa\":{\"kind\":\"msisdn\",\"digits\":\"9991255000001\"},"
		  "\"tp\":{\"mti\":\"submit\",\"da\":\"999341234567\",\"da_ton\":1,\"da_alnum\":false,\"pid\":0,\"dcs\":0}},"
		  "\"anomalies\":[]," ALLOW);
}

static void test_hex_digits(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.cdpa_gt = "99912bcde1";
	s.msisdn = "9991255c0001";
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"digits\":\"99912bcde1\"}") != NULL);
	CHECK(strstr(line, "\"msisdn\":\"9991255c0001\"") != NULL);
}

static void test_anomalies_order(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.n_extra = 2;
	s.extra_opcode[0] = 71;
	s.extra_opcode[1] = 45;
	s.global_opcode = true;
	s.long_tid = true;
	/* no "map": the invoke's opcode is global (no name) and not decoded */
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD UDT CD_HLR "," CG_SMSC "},"
		  "\"tcap\":{\"type\":\"begin\",\"app\":\"map\",\"otid\":\"abcd0a0b0c0d\",\"acn\":\"0.4.0.0.1.0.20.3\","
		  "\"components\":[{\"type\":\"invoke\",\"invoke_id\":1,\"opcode_global\":\"0.4.0.0.1.3.45\"},"
		  "{\"type\":\"invoke\",\"invoke_id\":2,\"opcode_global\":\"0.4.0.0.1.3.71\"},"
		  "{\"type\":\"invoke\",\"invoke_id\":3,\"opcode_global\":\"0.4.0.0.1.3.45\"}]},"
		  "\"anomalies\":[\"multi_component\",\"global_opcode\",\"long_tid\"]," ALLOW);
	/* evasion knobs: segmented XUDT, reversed pointers, no called SSN, indefinite lengths */
	enc_msu_defaults(&s);
	s.segmented = true;
	s.reverse_pointers = true;
	s.cdpa_ssn = -1;
	s.form = BER_LEN_INDEFINITE;
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD "\"sccp\":{\"type\":\"XUDT\",\"class\":1,\"return_on_error\":true,\"hop_counter\":15,"
		  "\"cdpa\":{\"ri\":\"gt\",\"gti\":4,\"tt\":0,\"np\":1,\"nai\":4,\"digits\":\"999125500001\"},"
		  CG_SMSC ",\"segment\":{\"first\":true,\"remaining\":1,\"ref\":123456}},"
		  "\"anomalies\":[\"sccp_pointer_order\",\"no_called_ssn\",\"segmented\"],"
		  ALLOW);   /* one segment of two: nothing above SCCP until reassembled */
	/* wrong application context for the operation */
	enc_msu_defaults(&s);
	s.opcode = 47;
	s.outcome = 2;
	s.acn = "0.4.0.0.1.0.1.3";
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"map\":{\"op\":\"reportSM-DeliveryStatus\",\"msisdn\":\"9991255000001\","
			   "\"sc_addr\":\"999340001\",\"outcome\":2},\"anomalies\":[\"acn_opcode_mismatch\"],") != NULL);
}

static void test_omission(void)
{
	struct enc_msu s;
	/* not SCCP: mtp3 but no sccp/tcap/map */
	enc_msu_defaults(&s);
	s.si = 5;
	CHECK_STR(render(&s, &meta0, &allow0),
		  "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":12,\"link\":\"carrier-a\",\"dir\":\"in\","
		  "\"m3ua\":{\"rc\":100,\"stream\":1},\"mtp3\":{\"opc\":1234,\"dpc\":2345,\"si\":5,\"ni\":0,\"mp\":0,\"sls\":5},"
		  "\"anomalies\":[\"not_sccp\"]," ALLOW);
	/* abort: no components, no map */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_ABORT;
	CHECK_STR(render(&s, &meta0, &allow0),
		  HEAD UDT CD_HLR "," CG_SMSC "},\"tcap\":{\"type\":\"abort\",\"app\":\"map\",\"dtid\":\"01020304\"},"
		  "\"anomalies\":[]," ALLOW);
	/* return error in an End: no map (no invoke, no MAP fields) */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_ERROR;
	s.opcode = 71;
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"tcap\":{\"type\":\"end\",\"app\":\"map\",\"dtid\":\"01020304\",\"acn\":\"0.4.0.0.1.0.29.3\","
			   "\"dialogue_result\":0,\"components\":[{\"type\":\"return_error\",\"invoke_id\":1,\"error\":34}]},"
			   "\"anomalies\":[],") != NULL);
	CHECK(strstr(line, "\"map\":{") == NULL);
	/* SRI-SM result: map from the component with MAP fields */
	enc_msu_defaults(&s);
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_RESULT_LAST;
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"components\":[{\"type\":\"return_result_last\",\"invoke_id\":1,\"opcode\":45}]},"
			   "\"map\":{\"op\":\"sendRoutingInfoForSM\",\"imsi\":\"999010000000001\","
			   "\"nnn\":\"999125510001\"},") != NULL);
	/* route on SSN: pc, no digits; no dialogue: no acn */
	enc_msu_defaults(&s);
	s.opcode = 2;
	s.acn = "";
	s.cdpa_gt = NULL;
	render(&s, &meta0, &allow0);
	CHECK(strstr(line, "\"cdpa\":{\"ri\":\"ssn\",\"pc\":2345,\"ssn\":6,\"gti\":0},") != NULL);
	CHECK(strstr(line, "\"tcap\":{\"type\":\"begin\",\"app\":\"map\",\"otid\":\"0a0b0c0d\",\"components\":") != NULL);
	CHECK(strstr(line, "\"anomalies\":[\"sccp_route_on_ssn\",\"tcap_no_dialogue\"]") != NULL);
	CHECK(strstr(line, "\"map\":{\"op\":\"updateLocation\",\"imsi\":\"999010000000001\"") != NULL);
	/* a non-DATA M3UA message: its class, no mtp3 */
	uint8_t beat[64];
	size_t n = enc_m3ua_msg(beat, sizeof beat, 3, 3, NULL, 0);
	CHECK(n == 8);
	msu_decode(&m, beat, n);
	struct msu_meta mt = meta0;
	mt.stream = 0;
	CHECK(event_json(line, sizeof line, &m, &mt, &allow0) > 0);
	CHECK_STR(line, "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":12,\"link\":\"carrier-a\",\"dir\":\"in\","
		  "\"m3ua\":{\"class\":\"ASPSM\",\"msg_type\":3,\"stream\":0},\"anomalies\":[]," ALLOW);
}

static void test_decision_and_escaping(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	size_t n = enc_msu_build(msg, sizeof msg, &s);
	msg[7] = 40;                      /* M3UA length shorter than the message */
	msu_decode(&m, msg, n);
	struct msu_meta mt = { .ts = { 0, 999999999 }, .frame = 3, .link = -1,
			       .link_name = "[fd00::1]:2905>[fd00::2:1]:2905\t\x01\"\\", .dir = FW_DIR_OUT };
	struct fw_decision d = { .verdict = FW_DROP, .shadow = true, .reason = FW_REASON_RULE,
				 .rule = "deny \"ati\"" };
	CHECK(event_json(line, sizeof line, &m, &mt, &d) > 0);
	CHECK(strncmp(line, "{\"ts\":\"1970-01-01T00:00:00.999999Z\",\"frame\":3,"
		      "\"link\":\"[fd00::1]:2905>[fd00::2:1]:2905\\t\\u0001\\\"\\\\\",\"dir\":\"out\",", 100) == 0);
	CHECK(strstr(line, "\"link\":\"[fd00::1]:2905>[fd00::2:1]:2905\\t\\u0001\\\"\\\\\",\"dir\":\"out\",") != NULL);
	CHECK(strstr(line, "\"error\":{\"layer\":\"m3ua\",") != NULL);
	static const char tail[] =
		"\"verdict\":\"drop\",\"reason\":\"rule\",\"rule\":\"deny \\\"ati\\\"\",\"shadow\":true}\n";
	size_t len = strlen(line);
	CHECK(len > sizeof tail && strcmp(line + len - (sizeof tail - 1), tail) == 0);
}

/* The record's prefix for an M3UA BEAT with meta mt (the "ts" to "dir" part). */
static const char *head_of(const struct msu_meta *mt)
{
	static uint8_t beat[16];
	size_t n = enc_m3ua_msg(beat, sizeof beat, 3, 3, NULL, 0);
	CHECK(n == 8);
	msu_decode(&m, beat, n);
	CHECK(event_json(line, sizeof line, &m, mt, &allow0) > 0);
	char *e = strstr(line, ",\"m3ua\":");
	CHECK(e != NULL);
	if (e)
		*e = 0;
	return line;
}

/* The timestamp is formatted by hand for 1970..9999 (calendar arithmetic)
 * and by gmtime/strftime outside: both give the same text at the edges. */
static void test_timestamps(void)
{
	struct msu_meta mt = meta0;
	mt.link_name = "l";
	static const struct {
		long long sec;
		long nsec;
		const char *ts;
	} v[] = {
		{ 0, 0, "1970-01-01T00:00:00.000000Z" },
		{ 0, 999, "1970-01-01T00:00:00.000000Z" },            /* truncated, not rounded */
		{ 86399, 999999999, "1970-01-01T23:59:59.999999Z" },
		{ 951782400, 123456000, "2000-02-29T00:00:00.123456Z" },  /* leap day of a 400-year */
		{ 4107542399LL, 1000, "2100-02-28T23:59:59.000001Z" },   /* 2100: no leap day */
		{ 4107542400LL, 10000, "2100-03-01T00:00:00.000010Z" },
		{ 1795593601, 250000999, "2026-11-25T08:00:01.250000Z" },
		{ 253402300799LL, 999999999, "9999-12-31T23:59:59.999999Z" },
		/* outside the hand-written range: the C library's text */
		{ 253402300800LL, 0, "10000-01-01T00:00:00.000000Z" },
		{ -1, 0, "1969-12-31T23:59:59.000000Z" },
		{ -86400LL * 365, 5000, "1969-01-01T00:00:00.000005Z" },
		{ 10, 1000000000L, "1970-01-01T00:00:10.000000Z" },    /* tv_nsec out of range */
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char want[200];
		mt.ts.tv_sec = (time_t)v[i].sec;
		mt.ts.tv_nsec = v[i].nsec;
		snprintf(want, sizeof want,
			 "{\"ts\":\"%s\",\"frame\":12,\"link\":\"l\",\"dir\":\"in\"", v[i].ts);
		CHECK_STR(head_of(&mt), want);
	}
}

/* Integers: the frame is written as a signed 64-bit number (as it always
 * was); every byte below 0x20, and DEL, escaped; bytes from 0x80 as they are. */
static void test_numbers_and_bytes(void)
{
	struct msu_meta mt = meta0;
	mt.link_name = "a\x1f\x7f\x80\xc3\xa9z\r\n";
	mt.frame = UINT64_MAX;
	CHECK_STR(head_of(&mt), "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":-1,"
		  "\"link\":\"a\\u001f\\u007f\x80\xc3\xa9z\\r\\n\",\"dir\":\"in\"");
	mt.frame = (uint64_t)INT64_MAX;
	mt.link_name = NULL;                    /* no name: "" */
	mt.dir = FW_DIR_OUT;
	CHECK_STR(head_of(&mt), "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":9223372036854775807,"
		  "\"link\":\"\",\"dir\":\"out\"");
	static const struct { uint64_t f; const char *s; } fr[] = {
		{ 0, "0" }, { 9, "9" }, { 10, "10" }, { 99, "99" }, { 100, "100" },
		{ 1000000, "1000000" }, { (uint64_t)INT64_MAX + 1, "-9223372036854775808" },
	};
	mt.link_name = "l";
	mt.dir = FW_DIR_IN;
	for (size_t i = 0; i < sizeof fr / sizeof fr[0]; i++) {
		char want[200];
		mt.frame = fr[i].f;
		snprintf(want, sizeof want, "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":%s,"
			 "\"link\":\"l\",\"dir\":\"in\"", fr[i].s);
		CHECK_STR(head_of(&mt), want);
	}
}

/* Every capacity below the line's length gives 0 and writes nothing past cap. */
static void test_capacity(void)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 44;
	render(&s, &meta0, &allow0);
	size_t full = strlen(line);
	CHECK(full > 100);
	for (size_t cap = 0; cap <= full + 1; cap++) {
		char *b = malloc(cap ? cap : 1);   /* exact size: ASan catches an overrun */
		size_t r = event_json(b, cap, &m, &meta0, &allow0);
		if (cap > full) {
			CHECK_INT(r, full);
			CHECK(memcmp(b, line, full) == 0);
		} else {
			CHECK_INT(r, 0);
		}
		free(b);
	}
}

/* The "map" object of results that name their operation (false positive
 * 12), of USSD and sendParameters, and the node numbers by role. */
static void test_map_results_and_numbers(void)
{
	struct enc_msu s;
	const char *l;
	/* the End answering an mt-forwardSM: a result with opcode, no parameter */
	enc_msu_defaults(&s);
	s.opcode = 44;
	s.tcap_type = TCAP_END;
	s.comp_type = TCAP_COMP_RESULT_LAST;
	s.map_result = true;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"components\":[{\"type\":\"return_result_last\",\"invoke_id\":1,\"opcode\":44}]},"
			"\"map\":{\"op\":\"mt-forwardSM\"},\"anomalies\"") != NULL);
	/* updateLocation result: hlr-Number */
	s.opcode = 2;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"updateLocation\",\"hlr_number\":\"999125500001\"},") != NULL);
	/* sendRoutingInfo result: IMSI, MSRN, VMSC */
	s.opcode = 22;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"sendRoutingInfo\",\"imsi\":\"999010000000001\","
			"\"msc_number\":\"999125510002\",\"roaming_number\":\"999125569999\"},") != NULL);
	/* a result without an opcode: no "op" (nor, without fields, a "map") */
	s.opcode = 44;
	s.map_result = false;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{") == NULL);
	/* updateLocation invoke: msc-Number and vlr-Number apart */
	enc_msu_defaults(&s);
	s.opcode = 2;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"updateLocation\",\"imsi\":\"999010000000001\","
			"\"msc_vlr\":\"99934100001\",\"vlr_number\":\"99934100001\","
			"\"msc_number\":\"99934100002\"},") != NULL);
	/* USSD: msisdn and the text of a GSM 7-bit ussd-String */
	s.opcode = 59;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"processUnstructuredSS-Request\",\"msisdn\":\"9991255000001\","
			"\"ussd\":{\"dcs\":15,\"text\":\"*100#\"}},") != NULL);
	/* sendParameters by IMSI; sendIdentification: its TMSI as hex */
	s.opcode = 9;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"sendParameters\",\"imsi\":\"999010000000001\"},") != NULL);
	s.opcode = 55;
	l = render(&s, &meta0, &allow0);
	CHECK(strstr(l, "\"map\":{\"op\":\"sendIdentification\",\"msc_vlr\":\"999125510001\","
			"\"vlr_number\":\"999125510001\",\"msc_number\":\"999125510002\",\"tmsi\":\"0a0b0c0d\"},") != NULL);
	/* the rest of the numbers: SGSN, GMSC, gsmSCF, MLC */
	s.opcode = 23;
	CHECK(strstr(render(&s, &meta0, &allow0), "\"sgsn_number\":\"99934100003\"") != NULL);
	s.opcode = 4;
	CHECK(strstr(render(&s, &meta0, &allow0), "\"gmsc_address\":\"999125530001\"") != NULL);
	s.opcode = 71;
	CHECK(strstr(render(&s, &meta0, &allow0), "\"gsmscf_address\":\"999125510001\"") != NULL);
	s.opcode = 83;
	CHECK(strstr(render(&s, &meta0, &allow0), "\"mlc_number\":\"999125510001\"") != NULL);
}

/* A USSD string in UCS2 (DCS 0x48) is written as hex; one of 7 GSM 7-bit
 * characters loses the CR that fills its spare bits. */
static void test_ussd_forms(void)
{
	static struct msu mm;
	uint8_t arg[64];
	static const uint8_t ucs2[] = { 0x30, 0x09, 0x04, 0x01, 0x48, 0x04, 0x04, 0x00, 0x41, 0x00, 0x42 };
	memset(&mm, 0, sizeof mm);
	mm.tcap.present = true;
	mm.tcap.type = TCAP_BEGIN;
	mm.tcap.n_components = 1;
	struct tcap_component *c = &mm.tcap.comp[0];
	c->type = TCAP_COMP_INVOKE;
	c->has_opcode = true;
	c->opcode = 60;
	c->param = (struct bytes){ ucs2, sizeof ucs2 };
	uint64_t anom = 0;
	CHECK_INT(map_decode(&mm.tcap, 0, -1, &anom), WIRE_OK);
	size_t l = event_json(line, sizeof line, &mm, &meta0, &allow0);
	CHECK(l > 0);
	CHECK(strstr(line, "\"map\":{\"op\":\"unstructuredSS-Request\",\"ussd\":{\"dcs\":72,\"hex\":\"00410042\"}},") != NULL);
	size_t n = enc_map_ussd(arg, sizeof arg, 0x0f, "*123*1#", NULL);
	c->param = (struct bytes){ arg, n };
	CHECK_INT(map_decode(&mm.tcap, 0, -1, &anom), WIRE_OK);
	CHECK(event_json(line, sizeof line, &mm, &meta0, &allow0) > 0);
	CHECK(strstr(line, "\"ussd\":{\"dcs\":15,\"text\":\"*123*1#\"}") != NULL);
}

TEST_MAIN("test_event_json", {
	RUN(test_sri_sm_default);
	RUN(test_forward_sm);
	RUN(test_hex_digits);
	RUN(test_anomalies_order);
	RUN(test_omission);
	RUN(test_decision_and_escaping);
	RUN(test_timestamps);
	RUN(test_numbers_and_bytes);
	RUN(test_capacity);
	RUN(test_map_results_and_numbers);
	RUN(test_ussd_forms);
})
