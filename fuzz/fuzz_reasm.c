/* libFuzzer target: sequences of XUDT segments through the engine's
 * reassembly (src/ops/reasm.c via engine_screen) under a shadow policy
 * (every segment is forwarded at once; the whole is screened when its last
 * segment comes) with small bounds (2 reassemblies, 600 bytes), so that both
 * bounds, T(reass), duplicates, gaps and orphans are met, and the
 * reassembled user data goes through msu_decode_upper and the policy.
 *
 * Input: a list of operations [ctl][len][len bytes of SCCP user data]:
 * ctl bits 0-3 remaining, bit 4 first, bits 5-6 which of four calling
 * addresses (the key), bit 7 the clock jumps past T(reass) first. */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ss7fw/engine.h"
#include "ss7fw/reasm.h"
#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct engine *eng;
static struct msu m;

/* An M3UA DATA with an XUDT (Q.713 4.18) routed on SSN, with the
 * segmentation parameter (3.17) and the user data d. */
static size_t build(uint8_t *out, uint8_t key, bool first, uint8_t rem, const uint8_t *d, size_t dl)
{
	uint8_t s[400];
	size_t n = 0;
	s[n++] = 0x11;                  /* XUDT */
	s[n++] = 0x81;                  /* class 1, return on error */
	s[n++] = 0x0f;                  /* hop counter */
	size_t p = n;
	n += 4;                         /* pointers */
	size_t cd = n;
	s[n++] = 2; s[n++] = 0x42; s[n++] = 6;                  /* called: SSN 6 */
	size_t cg = n;
	s[n++] = 2; s[n++] = 0x42; s[n++] = (uint8_t)(8 + key); /* calling: SSN 8.. */
	size_t da = n;
	s[n++] = (uint8_t)dl;
	memcpy(s + n, d, dl);
	n += dl;
	size_t op = n;
	s[n++] = 0x10; s[n++] = 4;
	s[n++] = (uint8_t)((first ? 0x80 : 0) | 0x40 | (rem & 0x0f));
	s[n++] = 0x34; s[n++] = 0x12; s[n++] = 0x00;            /* local reference */
	s[n++] = 0x00;                                          /* end of optional parameters */
	s[p] = (uint8_t)(cd - p);
	s[p + 1] = (uint8_t)(cg - (p + 1));
	s[p + 2] = (uint8_t)(da - (p + 2));
	s[p + 3] = (uint8_t)(op - (p + 3));
	size_t pd = 16 + n, pad = (4 - pd % 4) % 4, total = 8 + 4 + pd - 4 + pad;
	/* common header, then Protocol Data (tag 0x0210) */
	size_t o = 0;
	out[o++] = 1; out[o++] = 0; out[o++] = 1; out[o++] = 1;
	out[o++] = (uint8_t)(total >> 24); out[o++] = (uint8_t)(total >> 16);
	out[o++] = (uint8_t)(total >> 8); out[o++] = (uint8_t)total;
	out[o++] = 0x02; out[o++] = 0x10; out[o++] = (uint8_t)(pd >> 8); out[o++] = (uint8_t)pd;
	uint8_t hdr[12] = { 0, 0, 0x04, 0xd2, 0, 0, 0x09, 0x29, 3, 0, 0, 5 };   /* OPC 1234, DPC 2345 */
	memcpy(out + o, hdr, 12);
	o += 12;
	memcpy(out + o, s, n);
	o += n;
	memset(out + o, 0, pad);
	return o + pad;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!eng) {
		char path[] = "/tmp/fuzz_reasm-XXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f)
			__builtin_trap();
		fputs("policy = { mode = \"shadow\"; default = \"allow\"; malformed = \"drop\"; };\n"
		      "settings = { reasm_max = 2; reasm_bytes = 600; };\n"
		      "rules = ( { name = \"x\"; action = \"drop\"; match = { opcode = [ 45 ]; }; } );\n", f);
		fclose(f);
		eng = engine_new();
		if (!eng || engine_load(eng, path, stderr) != 0)
			__builtin_trap();
		unlink(path);
	}
	static time_t clock_s = 1700000000;
	size_t off = 0;
	uint8_t msg[512];
	while (off + 2 <= size) {
		uint8_t ctl = data[off], dl = data[off + 1];
		off += 2;
		if (dl > 250)
			dl = 250;
		if (dl > size - off)
			dl = (uint8_t)(size - off);
		if (ctl & 0x80)
			clock_s += 11;
		bool first = ctl & 0x10;
		uint8_t rem = ctl & 0x0f;
		size_t n = build(msg, (ctl >> 5) & 3, first, rem, data + off, dl);
		off += dl;
		struct msu_meta meta = { .ts = { clock_s, 0 }, .link = -1, .dir = FW_DIR_IN };
		struct fw_decision d;
		engine_screen(eng, msg, n, &meta, &m, &d);
		if (!msu_segmented(&m) && !m.reassembled && m.sccp.has_segment && !(first && rem == 0))
			__builtin_trap();
		/* shadow: everything goes at once, nothing waits */
		if (!d.forward || d.n_held)
			__builtin_trap();
		struct engine_seg g;
		if (engine_held(eng, 0, &g))
			__builtin_trap();
		if (m.reassembled && (d.segments < 2 || d.segments > REASM_MAX_SEGS))
			__builtin_trap();
	}
	return 0;
}
