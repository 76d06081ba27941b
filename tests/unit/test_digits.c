/* digits: BCD/TBCD decoding (filler, bad digit, cap), text, GSM 7-bit. */
#include <string.h>

#include "harness.h"
#include "enc/enc.h"
#include "ss7fw/wire.h"

static void test_bcd_even_odd(void)
{
	uint64_t anom = 0;
	struct digits d;
	char s[64];
	static const uint8_t even[] = { 0x21, 0x43 };        /* "1234" */
	digits_from_bcd(&d, (struct bytes){ even, 2 }, 0, &anom);
	CHECK_INT(d.n, 4);
	CHECK(d.p == even);
	CHECK_INT(digits_to_str(&d, s, sizeof s), 4);
	CHECK_STR(s, "1234");
	static const uint8_t odd_f[] = { 0x21, 0xf3 };       /* "123" + filler f */
	digits_from_bcd(&d, (struct bytes){ odd_f, 2 }, 0, &anom);
	CHECK_INT(d.n, 3);
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "123");
	static const uint8_t odd_0[] = { 0x21, 0x03 };       /* SCCP: filler 0 */
	digits_from_bcd(&d, (struct bytes){ odd_0, 2 }, 1, &anom);
	CHECK_INT(d.n, 3);
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "123");
	digits_from_bcd(&d, (struct bytes){ odd_0, 2 }, 0, &anom);
	CHECK_INT(d.n, 4);                                 /* no hint: "1230" */
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "1230");
	CHECK_INT(anom, 0);
	/* hex digits b..e and a */
	static const uint8_t hex[] = { 0xba, 0xdc, 0xfe };
	digits_from_bcd(&d, (struct bytes){ hex, 3 }, 0, &anom);
	CHECK_INT(d.n, 5);
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "abcde");
	CHECK_INT(anom, 0);
	/* empty */
	digits_from_bcd(&d, (struct bytes){ NULL, 0 }, 1, &anom);
	CHECK_INT(d.n, 0);
	CHECK(d.p == NULL);
	CHECK_INT(digits_to_str(&d, s, sizeof s), 0);
	CHECK_STR(s, "");
	/* the encoder's TBCD agrees */
	uint8_t t[8];
	size_t n = enc_tbcd(t, sizeof t, "99934");
	CHECK_INT(n, 3);
	static const uint8_t hand[] = { 0x99, 0x39, 0xf4 };
	CHECK_MEM(t, hand, 3);
	digits_from_bcd(&d, (struct bytes){ t, n }, 0, &anom);
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "99934");
}

static void test_bcd_bad_and_long(void)
{
	uint64_t anom = 0;
	struct digits d;
	char s[64];
	static const uint8_t inside[] = { 0xf1, 0x32 };      /* filler inside */
	digits_from_bcd(&d, (struct bytes){ inside, 2 }, 0, &anom);
	CHECK_INT(anom, ANOM_BIT(ANOM_BAD_DIGIT));
	CHECK_INT(d.n, 4);
	digits_to_str(&d, s, sizeof s);
	CHECK_STR(s, "1f23");
	anom = 0;
	static const uint8_t two_f[] = { 0x21, 0xff };       /* only one filler dropped */
	digits_from_bcd(&d, (struct bytes){ two_f, 2 }, 0, &anom);
	CHECK_INT(anom, ANOM_BIT(ANOM_BAD_DIGIT));
	CHECK_INT(d.n, 3);
	anom = 0;
	uint8_t big[30];
	memset(big, 0x11, sizeof big);                     /* 60 digits */
	digits_from_bcd(&d, (struct bytes){ big, sizeof big }, 0, &anom);
	CHECK_INT(anom, ANOM_BIT(ANOM_TOO_MANY_DIGITS));
	CHECK_INT(d.n, WIRE_MAX_DIGITS);
	anom = 0;
	digits_from_bcd(&d, (struct bytes){ big, 20 }, 0, &anom); /* exactly 40 */
	CHECK_INT(anom, 0);
	CHECK_INT(d.n, 40);
	/* output truncation keeps the NUL and returns the digit count */
	char small[4];
	CHECK_INT(digits_to_str(&d, small, sizeof small), 40);
	CHECK_STR(small, "111");
	CHECK_INT(digits_to_str(&d, small, 0), 40);
}

static void test_gsm7(void)
{
	/* "hellohello" from TS 23.038 6.1.2.1.1 style packing, derived by hand:
	 * h=0x68 e=0x65 l=0x6c l o=0x6f ... */
	static const uint8_t hello[] = { 0xe8, 0x32, 0x9b, 0xfd, 0x46, 0x97, 0xd9, 0xec, 0x37 };
	char s[32];
	CHECK_INT(gsm7_to_str((struct bytes){ hello, sizeof hello }, 10, s, sizeof s), 10);
	CHECK_STR(s, "hellohello");
	/* cut short: never reads past the octets */
	CHECK_INT(gsm7_to_str((struct bytes){ hello, 2 }, 10, s, sizeof s), 2);
	CHECK_STR(s, "he");
	/* truncated output */
	CHECK_INT(gsm7_to_str((struct bytes){ hello, sizeof hello }, 10, s, 4), 3);
	CHECK_STR(s, "hel");
	/* '@' (0x00), non-ASCII (0x01 pound) -> '?', escape 0x1b 0x28 -> '{' */
	static const uint8_t sp[] = { 0x80, 0xc0, 0x06, 0x05 };  /* septets 00 01 1b 28 */
	CHECK_INT(gsm7_to_str((struct bytes){ sp, sizeof sp }, 4, s, sizeof s), 3);
	CHECK_STR(s, "@?{");
	CHECK_INT(gsm7_to_str((struct bytes){ NULL, 0 }, 3, s, sizeof s), 0);
	CHECK_STR(s, "");
}


/* Canonical numbers (docs/policy.md, "Numbers"): every form, with a plan of
 * cc 999, intl "00", trunk "0", and without a plan. */
static void test_num_canon(void)
{
	struct num_plan plan = { .cc_n = 3, .cc = { 9, 9, 9 }, .intl_n = 2, .intl = { 0, 0 },
				 .trunk_n = 1, .trunk = { 0 } };
	static const struct { const char *wire; uint8_t form; const char *want; bool e164; } v[] = {
		{ "9991255000001", NUM_INTL, "9991255000001", true },
		{ "0991255000001", NUM_INTL, "0991255000001", true },     /* international: as it is */
		{ "1255000001", NUM_NATIONAL, "9991255000001", true },
		{ "01255000001", NUM_NATIONAL, "9991255000001", true },   /* a trunk prefix written anyway */
		{ "009991255000001", NUM_UNKNOWN, "9991255000001", true },
		{ "01255000001", NUM_UNKNOWN, "9991255000001", true },
		{ "9991255000001", NUM_UNKNOWN, "9991255000001", true },
		{ "0033612345678", NUM_UNKNOWN, "33612345678", true },
		{ "1255000001", NUM_OTHER, "1255000001", false },
		{ "0", NUM_UNKNOWN, "999", true },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t bcd[24];
		size_t n = enc_tbcd(bcd, sizeof bcd, v[i].wire);
		struct digits d;
		uint64_t anom = 0;
		digits_from_bcd(&d, (struct bytes){ bcd, n }, 0, &anom);
		struct num x;
		num_canon(&x, &d, v[i].form, &plan);
		char out[64];
		CHECK_INT(num_to_str(&x, out, sizeof out), strlen(v[i].want));
		CHECK_STR(out, v[i].want);
		CHECK_INT(x.e164, v[i].e164);
		/* without a plan (no home.cc) national numbers keep their digits,
		 * only the international prefix goes */
		num_canon(&x, &d, v[i].form, NULL);
		num_to_str(&x, out, sizeof out);
		if (v[i].form == NUM_NATIONAL || v[i].form == NUM_OTHER)
			CHECK_STR(out, v[i].wire);
	}
	/* no digits: no number */
	struct digits none = { NULL, 0 };
	struct num x;
	num_canon(&x, &none, NUM_NATIONAL, &plan);
	CHECK(x.d == NULL);
	/* forms of an SCCP GT and of a type of number */
	struct sccp_addr a = { .has_nai = true, .nai = 3, .has_np = true, .np = 1 };
	CHECK_INT(num_form_gt(&a), NUM_NATIONAL);
	a.nai = 4;
	CHECK_INT(num_form_gt(&a), NUM_INTL);
	a.nai = 1;
	CHECK_INT(num_form_gt(&a), NUM_OTHER);
	a.nai = 0;
	CHECK_INT(num_form_gt(&a), NUM_UNKNOWN);
	a.nai = 2;
	CHECK_INT(num_form_gt(&a), NUM_UNKNOWN);
	a.nai = 4;
	a.np = 6;
	CHECK_INT(num_form_gt(&a), NUM_OTHER);
	a.np = 7;
	CHECK_INT(num_form_gt(&a), NUM_INTL);
	a.has_nai = false;
	CHECK_INT(num_form_gt(&a), NUM_UNKNOWN);
	CHECK_INT(num_form_ton(1, 1), NUM_INTL);
	CHECK_INT(num_form_ton(2, 1), NUM_NATIONAL);
	CHECK_INT(num_form_ton(0, 1), NUM_UNKNOWN);
	for (uint8_t t = 3; t < 8; t++)
		CHECK_INT(num_form_ton(t, 1), NUM_OTHER);
	CHECK_INT(num_form_ton(1, 6), NUM_OTHER);
	/* plan digits */
	uint8_t cc[3], ccn = 0;
	CHECK_INT(num_plan_digits(cc, &ccn, 3, "44"), 0);
	CHECK_INT(ccn, 2);
	CHECK_INT(num_plan_digits(cc, &ccn, 3, "4444"), -1);
	CHECK_INT(num_plan_digits(cc, &ccn, 3, "4a"), -1);
}

TEST_MAIN("test_digits", {
	RUN(test_bcd_even_odd);
	RUN(test_bcd_bad_and_long);
	RUN(test_gsm7);
	RUN(test_num_canon);
})
