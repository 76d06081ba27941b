/* learn: GT prefix aggregation (learn_aggregate) and the JSON record reader
 * used by `ss7fw learn`. */
#include <stdlib.h>

#include "harness.h"
#include "ss7fw/learn.h"

#define NMAX 16

static size_t agg(const char *const *in, size_t n, unsigned min_len, char out[][LEARN_PFX_MAX + 1])
{
	return learn_aggregate(in, n, min_len, out, NMAX);
}

/* the ss7gen world: a partner's SMSCs and VLRs under 99934, two attackers */
static void test_aggregate_clusters(void)
{
	static const char *const gts[] = {
		"23480312001", "23480312877",
		"447700912345", "447700987654",
		"999340001", "999340002", "99934100123", "99934100456",
	};
	char out[NMAX][LEARN_PFX_MAX + 1];
	size_t n = agg(gts, 8, 5, out);
	CHECK_INT(n, 3);
	CHECK_STR(out[0], "23480312");
	CHECK_STR(out[1], "4477009");
	CHECK_STR(out[2], "99934");
	/* a longer cluster length separates the SMSCs from the VLRs */
	n = agg(gts, 8, 6, out);
	CHECK_INT(n, 4);
	CHECK_STR(out[2], "99934000");
	CHECK_STR(out[3], "99934100");
	/* 1: everything sharing a first digit is one cluster */
	n = agg(gts, 8, 1, out);
	CHECK_INT(n, 3);
	CHECK_STR(out[0], "23480312");
	CHECK_STR(out[1], "4477009");
	CHECK_STR(out[2], "99934");
}

static void test_aggregate_single_and_short(void)
{
	char out[NMAX][LEARN_PFX_MAX + 1];
	/* one GT: itself (an exact range) */
	static const char *const one[] = { "999340001" };
	CHECK_INT(agg(one, 1, 5, out), 1);
	CHECK_STR(out[0], "999340001");
	/* a GT shorter than the cluster length stands alone and covers longer ones */
	static const char *const shortgt[] = { "9993", "999340001", "999350001" };
	CHECK_INT(agg(shortgt, 3, 5, out), 1);
	CHECK_STR(out[0], "9993");
	/* two clusters whose common prefix is shorter than the cluster length stay apart */
	static const char *const two[] = { "999340001", "999350001" };
	CHECK_INT(agg(two, 2, 5, out), 2);
	CHECK_STR(out[0], "999340001");
	CHECK_STR(out[1], "999350001");
	/* nothing in, nothing out */
	CHECK_INT(agg(NULL, 0, 5, out), 0);
}

static void test_aggregate_limits(void)
{
	char out[NMAX][LEARN_PFX_MAX + 1];
	/* a GT above 16 digits is cut to the longest prefix a list takes */
	static const char *const longgt[] = { "12345678901234567890" };
	CHECK_INT(agg(longgt, 1, 5, out), 1);
	CHECK_STR(out[0], "1234567890123456");
	/* hex digits are digits */
	static const char *const hex[] = { "99934abc1", "99934abc2" };
	CHECK_INT(agg(hex, 2, 5, out), 1);
	CHECK_STR(out[0], "99934abc");
	/* min_len is clamped: 0 acts as 1, 99 as 16 */
	static const char *const g[] = { "111", "122" };
	CHECK_INT(agg(g, 2, 0, out), 1);
	CHECK_STR(out[0], "1");
	CHECK_INT(agg(g, 2, 99, out), 2);
	/* cap: the total is returned, only cap prefixes written */
	static const char *const many[] = { "11111", "22222", "33333" };
	char small[2][LEARN_PFX_MAX + 1] = { "", "" };
	CHECK_INT(learn_aggregate(many, 3, 5, small, 2), 3);
	CHECK_STR(small[0], "11111");
	CHECK_STR(small[1], "22222");
	CHECK_INT(learn_aggregate(many, 3, 5, NULL, 0), 3);
	CHECK(learn_has_prefix("999340001", "99934"));
	CHECK(!learn_has_prefix("9993", "99934"));
	CHECK(learn_has_prefix("9993", ""));
}

static void test_json_record(void)
{
	static const char rec[] =
		"{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":12,\"link\":\"carrier-a\",\"dir\":\"in\","
		"\"sccp\":{\"type\":\"UDT\",\"cgpa\":{\"ri\":\"gt\",\"ssn\":8,\"digits\":\"999340001\"}},"
		"\"tcap\":{\"type\":\"begin\",\"components\":[{\"type\":\"invoke\",\"invoke_id\":1,\"opcode\":45},"
		"{\"type\":\"invoke\",\"invoke_id\":2,\"opcode_global\":\"1.2.3\"}]},"
		"\"map\":{\"op\":\"sendRoutingInfoForSM\",\"sc_addr\":\"999340001\"},"
		"\"anomalies\":[],\"verdict\":\"allow\",\"shadow\":false,\"x\":[1.5e3,-2,null,true,\"a\\\"b\\u0041\\n\"]}";
	struct json_tok t[128];
	int n = json_parse(rec, sizeof rec - 1, t, 128);
	CHECK(n > 20);
	char b[64];
	long long v;
	CHECK(json_str(rec, t, json_get(rec, t, 0, "link"), b, sizeof b));
	CHECK_STR(b, "carrier-a");
	int sccp = json_get(rec, t, 0, "sccp");
	int cgpa = json_get(rec, t, sccp, "cgpa");
	CHECK(json_str(rec, t, json_get(rec, t, cgpa, "digits"), b, sizeof b));
	CHECK_STR(b, "999340001");
	CHECK(json_int(rec, t, json_get(rec, t, cgpa, "ssn"), &v));
	CHECK_INT(v, 8);
	int comps = json_get(rec, t, json_get(rec, t, 0, "tcap"), "components");
	CHECK(json_int(rec, t, json_get(rec, t, json_at(t, comps, 0), "opcode"), &v));
	CHECK_INT(v, 45);
	CHECK_INT(json_get(rec, t, json_at(t, comps, 1), "opcode"), -1);
	CHECK(json_str(rec, t, json_get(rec, t, json_at(t, comps, 1), "opcode_global"), b, sizeof b));
	CHECK_STR(b, "1.2.3");
	CHECK_INT(json_at(t, comps, 2), -1);
	CHECK_INT(json_at(t, json_get(rec, t, 0, "anomalies"), 0), -1);
	CHECK(!json_true(t, json_get(rec, t, 0, "shadow")));
	int x = json_get(rec, t, 0, "x");
	CHECK(!json_int(rec, t, json_at(t, x, 0), &v));   /* 1.5e3 is not an integer */
	CHECK(json_int(rec, t, json_at(t, x, 1), &v));
	CHECK_INT(v, -2);
	CHECK_INT(t[json_at(t, x, 2)].type, JSON_NULL);
	CHECK(json_true(t, json_at(t, x, 3)));
	CHECK(json_str(rec, t, json_at(t, x, 4), b, sizeof b));
	CHECK_STR(b, "a\"bA\n");
	CHECK(!json_str(rec, t, json_at(t, x, 4), b, 3));   /* does not fit */
	/* a key that is absent, a member of a non-object */
	CHECK_INT(json_get(rec, t, 0, "nosuch"), -1);
	CHECK_INT(json_get(rec, t, comps, "type"), -1);
	CHECK_INT(json_get(rec, t, -1, "type"), -1);
}

static void test_json_invalid(void)
{
	struct json_tok t[16];
	static const char *const bad[] = {
		"", "{", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "\"abc", "{\"a\":01}",
		"{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":1} x", "-", "1.", "1e",
		"{\"a\":\"\x01\"}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int n = json_parse(bad[i], strlen(bad[i]), t, 8);
		if (n != -1)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK_INT(n, -1);
	}
	/* token cap and depth limit */
	static const char five[] = "[1,2,3,4,5,6,7,8]";
	CHECK_INT(json_parse(five, sizeof five - 1, t, 8), -1);
	CHECK_INT(json_parse(five, sizeof five - 1, t, 9) , 9);
	char deep[2 * JSON_MAX_DEPTH + 3];
	size_t k = 0;
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		deep[k++] = '[';
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		deep[k++] = ']';
	struct json_tok *big = calloc(64, sizeof *big);
	CHECK(big != NULL);
	if (big) {
		CHECK_INT(json_parse(deep, k, big, 64), -1);
		CHECK_INT(json_parse(deep + 1, k - 2, big, 64), JSON_MAX_DEPTH);
	}
	free(big);
	/* numbers too long for an integer */
	static const char huge[] = "[1234567890123456789]";
	long long v;
	CHECK_INT(json_parse(huge, sizeof huge - 1, t, 8), 2);
	CHECK(!json_int(huge, t, 1, &v));
}

TEST_MAIN("test_learn", {
	RUN(test_aggregate_clusters);
	RUN(test_aggregate_single_and_short);
	RUN(test_aggregate_limits);
	RUN(test_json_record);
	RUN(test_json_invalid);
})
