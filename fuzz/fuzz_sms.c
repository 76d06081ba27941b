/* libFuzzer target: sms_decode (3GPP TS 23.040) on arbitrary bytes, in both
 * directions. Checks the contract besides ASan/UBSan: the result is OK or
 * MALFORMED, every view lies inside the input, the user data is no longer
 * than 140 octets, the text helpers stay in bounds. A violation traps. */
#include <stddef.h>
#include <stdint.h>

#include "ss7fw/wire.h"

static const uint8_t *in_lo, *in_hi;

static void check_view(struct bytes b)
{
	if (b.len == 0)
		return;
	if (b.p < in_lo || b.p > in_hi || b.len > (size_t)(in_hi - b.p))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_lo = data;
	in_hi = data + size;
	for (int dir = 0; dir < 2; dir++) {
		struct sms_tpdu tp;
		uint64_t anom = 0;
		enum wire_result r = sms_decode(&tp, (struct bytes){ data, size }, dir != 0, &anom);
		if (r != WIRE_OK && r != WIRE_MALFORMED)
			__builtin_trap();
		if (r == WIRE_OK && (!tp.present || tp.mti == SMS_MTI_NONE || tp.mti == SMS_MTI_RESERVED))
			__builtin_trap();
		if (tp.ud.len > 140 || tp.addr.d.n > WIRE_MAX_DIGITS || tp.addr.raw.len > 10)
			__builtin_trap();
		check_view(tp.ud);
		check_view(tp.addr.raw);
		check_view((struct bytes){ tp.addr.d.p, ((size_t)tp.addr.d.n + 1) / 2 });
		char s[200];
		digits_to_str(&tp.addr.d, s, sizeof s);
		if (tp.addr.alnum)
			gsm7_to_str(tp.addr.raw, tp.addr.nchars, s, sizeof s);
		gsm7_to_str(tp.ud, tp.udl, s, sizeof s);
		(void)sms_mti_name(tp.mti);
	}
	return 0;
}
