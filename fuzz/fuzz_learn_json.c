/* libFuzzer target: json_parse (the record reader of `ss7fw learn`), then
 * every accessor on every token: views stay inside the input, subtrees nest. */
#include <stdint.h>
#include <stddef.h>

#include "ss7fw/learn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_tok t[256];
	const char *s = (const char *)data;
	int n = json_parse(s, size, t, 256);
	if (n < -1 || n > 256)
		__builtin_trap();
	char b[64];
	long long v;
	for (int i = 0; i < n; i++) {
		if ((size_t)t[i].start + t[i].len > size || t[i].end <= (uint32_t)i || t[i].end > (uint32_t)n)
			__builtin_trap();
		if (i > 0 && t[i].end > t[0].end)
			__builtin_trap();
		json_str(s, t, i, b, sizeof b);
		json_int(s, t, i, &v);
		json_get(s, t, i, "link");
		json_at(t, i, 3);
		json_true(t, i);
	}
	return 0;
}
