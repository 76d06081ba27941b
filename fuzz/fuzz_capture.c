/* libFuzzer target: the capture reader's packet path (link, IP, SCTP, TCP
 * reassembly) on arbitrary bytes, the first byte choosing the link type; each
 * M3UA message it yields is decoded with msu_decode and written as a JSON
 * record with event_json. Checks besides ASan/UBSan: every message lies
 * inside the packet or is a TCP-reassembled one of at most CAPTURE_MAX_MSG,
 * and the record is one line of the length returned. A violation traps. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ss7fw/capture.h"
#include "ss7fw/event.h"
#include "ss7fw/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in_lo, *in_hi;
static struct msu m;
static char line[16384];

static void on_msg(void *arg, const uint8_t *msg, size_t len, const struct sockaddr *src,
		   const struct sockaddr *dst, uint16_t stream, const struct timespec *ts,
		   uint64_t frame)
{
	(void)arg;
	(void)src;
	(void)dst;
	bool inside = msg >= in_lo && msg <= in_hi && len <= (size_t)(in_hi - msg);
	if (!inside && len > CAPTURE_MAX_MSG)
		__builtin_trap();
	msu_decode(&m, msg, len);
	struct msu_meta meta = { .ts = *ts, .frame = frame, .link = -1, .link_name = "fuzz",
				 .stream = stream };
	struct fw_decision d = { .verdict = FW_ALLOW, .forward = true };
	size_t n = event_json(line, sizeof line, &m, &meta, &d);
	if (n && (line[n - 1] != '\n' || memchr(line, '\n', n - 1) || strlen(line) != n))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct capture *c;
	static const int dlts[] = {
		CAPTURE_DLT_EN10MB, CAPTURE_DLT_RAW, CAPTURE_DLT_LINUX_SLL,
		CAPTURE_DLT_LINUX_SLL2, CAPTURE_DLT_IPV4, CAPTURE_DLT_IPV6,
	};
	if (!c) {
		c = capture_new();
		if (!c)
			return 0;
	}
	if (size < 1)
		return 0;
	int dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
	/* the rest is one or more packets, each preceded by a 2-octet length */
	capture_reset_flows(c);
	const uint8_t *p = data + 1;
	size_t left = size - 1;
	struct timespec ts = { 1, 2 };
	uint64_t frame = 0;
	while (left >= 2) {
		size_t n = (size_t)(p[0] << 8 | p[1]);
		p += 2;
		left -= 2;
		if (n > left)
			n = left;
		in_lo = p;
		in_hi = p + n;
		capture_packet(c, dlt, p, n, n + (data[0] >> 7), &ts, ++frame, on_msg, NULL);
		p += n;
		left -= n;
	}
	return 0;
}
