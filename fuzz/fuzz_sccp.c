/* libFuzzer target: sccp_decode, and sccp_addr_decode on the same bytes. */
#include <stdint.h>
#include <stddef.h>

#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_view(const uint8_t *p, size_t n, const uint8_t *data, size_t size)
{
	if (n && (p < data || p + n > data + size))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sccp_info s;
	uint64_t anom = 0;
	char txt[WIRE_MAX_DIGITS + 1];
	if (sccp_decode(&s, (struct bytes){ data, size }, &anom) == WIRE_OK) {
		check_view(s.data.p, s.data.len, data, size);
		check_view(s.cdpa.gt.p, (s.cdpa.gt.n + 1u) / 2, data, size);
		check_view(s.cgpa.gt.p, (s.cgpa.gt.n + 1u) / 2, data, size);
		if (s.cdpa.gt.n > WIRE_MAX_DIGITS || s.cgpa.gt.n > WIRE_MAX_DIGITS)
			__builtin_trap();
		digits_to_str(&s.cdpa.gt, txt, sizeof txt);
		digits_to_str(&s.cgpa.gt, txt, sizeof txt);
	}
	struct sccp_addr a;
	if (sccp_addr_decode(&a, (struct bytes){ data, size }, &anom) == WIRE_OK) {
		check_view(a.gt.p, (a.gt.n + 1u) / 2, data, size);
		digits_to_str(&a.gt, txt, sizeof txt);
	}
	char text[200];
	gsm7_to_str((struct bytes){ data, size }, (unsigned)size * 8 / 7 + 2, text, sizeof text);
	return 0;
}
