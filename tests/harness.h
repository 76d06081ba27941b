/* ss7fw — minimal test harness. A test binary defines TEST functions, runs
 * them with RUN() inside TEST_MAIN, and prints "<prog>: N passed, N failed"
 * (N counts test functions; one failed CHECK fails its function). */
#ifndef SS7FW_TEST_HARNESS_H
#define SS7FW_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int th_pass, th_fail, th_checks_failed;

#define CHECK(cond) do { \
	if (!(cond)) { th_checks_failed++; \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_INT(a, b) do { \
	long long th_a = (long long)(a), th_b = (long long)(b); \
	if (th_a != th_b) { th_checks_failed++; \
		fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %lld, expected %s == %lld\n", \
			__FILE__, __LINE__, #a, th_a, #b, th_b); } \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *th_a = (a), *th_b = (b); \
	if (!th_a || !th_b || strcmp(th_a, th_b) != 0) { th_checks_failed++; \
		fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", \
			__FILE__, __LINE__, #a, th_a ? th_a : "(null)", th_b ? th_b : "(null)"); } \
} while (0)

#define CHECK_MEM(a, b, n) do { \
	if (memcmp((a), (b), (n)) != 0) { th_checks_failed++; \
		fprintf(stderr, "%s:%d: CHECK_MEM failed: %s vs %s (%zu bytes)\n", \
			__FILE__, __LINE__, #a, #b, (size_t)(n)); } \
} while (0)

#define RUN(fn) do { \
	int th_before = th_checks_failed; \
	fn(); \
	if (th_checks_failed == th_before) th_pass++; \
	else { th_fail++; fprintf(stderr, "FAIL %s\n", #fn); } \
} while (0)

#define TEST_MAIN(name, body) \
	int main(void) { \
		body; \
		printf("%s: %d passed, %d failed\n", name, th_pass, th_fail); \
		return th_fail != 0; \
	}

#endif
