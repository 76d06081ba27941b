/* Drop pcap: the exact bytes of the file (pcap header, IPv4, SCTP DATA with
 * stream and PPID, the original message), appending, the size limit, and
 * (when tshark is installed) tshark decoding it as M3UA. */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/ops.h"

static char dir[64];

/* An M3UA DATA message (RFC 4666 3.3.1): Protocol Data OPC 1234, DPC 2345,
 * SI 3, NI 2, MP 0, SLS 5, then n bytes of user data. */
static size_t m3ua_data(uint8_t *b, size_t n)
{
	size_t plen = 4 + 12 + n, pad = (4 - plen % 4) % 4, len = 8 + plen + pad;
	memset(b, 0, len);
	b[0] = 1; b[2] = 1; b[3] = 1;
	b[4] = (uint8_t)(len >> 24); b[5] = (uint8_t)(len >> 16); b[6] = (uint8_t)(len >> 8); b[7] = (uint8_t)len;
	b[8] = 0x02; b[9] = 0x10; b[10] = (uint8_t)(plen >> 8); b[11] = (uint8_t)plen;
	b[14] = 0x04; b[15] = 0xd2;                  /* OPC 1234 */
	b[18] = 0x09; b[19] = 0x29;                  /* DPC 2345 */
	b[20] = 3; b[21] = 2; b[22] = 0; b[23] = 5;
	for (size_t i = 0; i < n; i++)
		b[24 + i] = (uint8_t)(0xa0 + i);
	return len;
}

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap);
	close(fd);
	return n < 0 ? 0 : (size_t)n;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

static struct msu_meta meta(int link, uint8_t d, uint16_t stream)
{
	struct msu_meta m = {
		.ts = { .tv_sec = 1795593601, .tv_nsec = 250000999 },
		.frame = 1, .link = link, .link_name = "l", .dir = d, .stream = stream,
	};
	return m;
}

static void test_bytes(void)
{
	char path[128];
	snprintf(path, sizeof path, "%s/a.pcap", dir);
	struct droppcap *p = droppcap_open(path, stderr);
	CHECK(p != NULL);
	if (!p)
		return;
	uint8_t msg[256], msg2[256];
	size_t len = m3ua_data(msg, 7);               /* 32 bytes */
	size_t len2 = m3ua_data(msg2, 2) - 2;         /* 26: needs padding in the chunk */
	msg2[7] = (uint8_t)len2;
	struct msu_meta m1 = meta(0, FW_DIR_IN, 3), m2 = meta(257, FW_DIR_OUT, 0);
	droppcap_write(p, msg, len, &m1);
	droppcap_write(p, msg2, len2, &m2);
	CHECK_INT(droppcap_written(p), 2);
	CHECK_INT(droppcap_lost(p), 0);
	uint8_t f[1024];
	size_t n = slurp(path, f, sizeof f);
	size_t r1 = 16 + 48 + len, r2 = 16 + 48 + len2 + 2;
	CHECK_INT(n, 24 + r1 + r2);
	static const uint8_t gh[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0, 0, 228, 0, 0, 0,
	};
	CHECK_MEM(f, gh, 24);
	const uint8_t *r = f + 24;
	CHECK_INT(le32(r), 1795593601);
	CHECK_INT(le32(r + 4), 250000);
	CHECK_INT(le32(r + 8), 48 + len);
	CHECK_INT(le32(r + 12), 48 + len);
	const uint8_t *ip = r + 16;
	CHECK_INT(ip[0], 0x45);
	CHECK_INT(be16(ip + 2), 48 + len);
	CHECK_INT(ip[9], 132);
	static const uint8_t a_in[8] = { 10, 1, 0, 1, 10, 2, 0, 1 };   /* link 0 in */
	CHECK_MEM(ip + 12, a_in, 8);
	/* the IPv4 header checksum verifies: the one's complement sum is 0xffff */
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		s += be16(ip + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	CHECK_INT(s, 0xffff);
	const uint8_t *sc = ip + 20;
	CHECK_INT(be16(sc), 2905);
	CHECK_INT(be16(sc + 2), 2905);
	const uint8_t *ch = sc + 12;
	CHECK_INT(ch[0], 0);
	CHECK_INT(ch[1], 3);
	CHECK_INT(be16(ch + 2), 16 + len);
	CHECK_INT(be32(ch + 4), 1);                   /* TSN */
	CHECK_INT(be16(ch + 8), 3);                   /* stream id kept */
	CHECK_INT(be32(ch + 12), 3);                  /* PPID M3UA */
	CHECK_MEM(ch + 16, msg, len);
	/* second: link 257 -> 10.x.1.2 (258), out: core -> carrier, padded */
	r = f + 24 + r1;
	CHECK_INT(le32(r + 8), 48 + len2 + 2);
	ip = r + 16;
	static const uint8_t a_out[8] = { 10, 2, 1, 2, 10, 1, 1, 2 };
	CHECK_MEM(ip + 12, a_out, 8);
	ch = ip + 32;
	CHECK_INT(be16(ch + 2), 16 + len2);           /* the chunk length excludes padding */
	CHECK_INT(be32(ch + 4), 2);
	CHECK_INT(be16(ch + 8), 0);
	CHECK_MEM(ch + 16, msg2, len2);
	CHECK(ch[16 + len2] == 0 && ch[17 + len2] == 0);
	droppcap_close(p);

	/* reopened: appended after the existing packets, no second header */
	p = droppcap_open(path, stderr);
	CHECK(p != NULL);
	droppcap_write(p, msg, len, &m1);
	droppcap_close(p);
	CHECK_INT(slurp(path, f, sizeof f), 24 + r1 + r2 + r1);
	CHECK_MEM(f + 24 + r1 + r2 + 16, f + 24 + 16, 20 - 6);   /* same IPv4 up to the id */
	unlink(path);
}

static void test_limit_and_errors(void)
{
	char path[128];
	snprintf(path, sizeof path, "%s/b.pcap", dir);
	struct droppcap *p = droppcap_open(path, stderr);
	uint8_t msg[64];
	size_t len = m3ua_data(msg, 8);               /* 32 bytes: 96 per record */
	CHECK_INT(len, 32);
	struct msu_meta m = meta(1, FW_DIR_IN, 1);
	droppcap_set_limit(p, 24 + 2 * 96 + 50);
	for (int i = 0; i < 5; i++)
		droppcap_write(p, msg, len, &m);
	CHECK_INT(droppcap_written(p), 2);
	CHECK_INT(droppcap_lost(p), 3);
	static uint8_t huge[70000];
	droppcap_set_limit(p, 0);
	droppcap_write(p, huge, sizeof huge, &m);     /* cannot fit an IPv4 packet */
	CHECK_INT(droppcap_lost(p), 4);
	droppcap_write(NULL, msg, len, &m);
	droppcap_close(p);
	droppcap_close(NULL);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_size, 24 + 2 * 96);
	CHECK_INT(st.st_mode & 0777, 0640);
	unlink(path);

	/* the default bound, 1 GiB: an existing (sparse) pcap just under it */
	p = droppcap_open(path, stderr);
	droppcap_close(p);                            /* a valid 24-byte header */
	CHECK_INT(truncate(path, (1 << 30) - 100), 0);
	p = droppcap_open(path, stderr);
	CHECK(p != NULL);
	droppcap_write(p, msg, len, &m);              /* 96 bytes: fits */
	droppcap_write(p, msg, len, &m);              /* would pass 1 GiB */
	CHECK_INT(droppcap_written(p), 1);
	CHECK_INT(droppcap_lost(p), 1);
	droppcap_close(p);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_size, (1 << 30) - 100 + 96);
	unlink(path);

	char *msgs = NULL;
	size_t ml = 0;
	FILE *err = open_memstream(&msgs, &ml);
	snprintf(path, sizeof path, "%s/not.pcap", dir);
	int fd = open(path, O_WRONLY | O_CREAT, 0600);
	CHECK_INT(write(fd, "hello, this is not a pcap file", 30), 30);
	close(fd);
	CHECK(droppcap_open(path, err) == NULL);
	CHECK(droppcap_open(dir, err) == NULL);
	snprintf(path, sizeof path, "%s/no/such.pcap", dir);
	CHECK(droppcap_open(path, err) == NULL);
	fclose(err);
	CHECK(msgs && strstr(msgs, "is not a pcap") != NULL);
	CHECK(msgs && strstr(msgs, "No such file") != NULL);
	free(msgs);
	snprintf(path, sizeof path, "%s/not.pcap", dir);
	unlink(path);
}

/* tshark reads the file as M3UA with the right stream, PPID, point codes,
 * and a correct SCTP checksum. Skipped (passes) when tshark is absent. */
static void test_tshark(void)
{
	if (access("/usr/bin/tshark", X_OK) != 0) {
		printf("test_droppcap: tshark not installed, read-back skipped\n");
		return;
	}
	char path[128];
	snprintf(path, sizeof path, "%s/t.pcap", dir);
	struct droppcap *p = droppcap_open(path, stderr);
	uint8_t msg[64];
	size_t len = m3ua_data(msg, 5);
	struct msu_meta m1 = meta(0, FW_DIR_IN, 7), m2 = meta(4, FW_DIR_OUT, 2);
	droppcap_write(p, msg, len, &m1);
	droppcap_write(p, msg, len, &m2);
	droppcap_close(p);
	char cmd[512];
	snprintf(cmd, sizeof cmd,
		 "tshark -n -r %s -o sctp.checksum:CRC-32c -T fields -E separator=, "
		 "-e ip.src -e ip.dst -e sctp.data_sid -e sctp.data_payload_proto_id "
		 "-e sctp.checksum.status -e m3ua.protocol_data_opc -e m3ua.protocol_data_dpc "
		 "-e m3ua.protocol_data_si 2>/dev/null", path);
	FILE *t = popen(cmd, "r");
	CHECK(t != NULL);
	if (!t)
		return;
	char out[1024];
	size_t n = fread(out, 1, sizeof out - 1, t);
	out[n] = 0;
	CHECK_INT(pclose(t), 0);
	/* checksum status 1: good (0 would be bad, 2 unverified) */
	CHECK_STR(out, "10.1.0.1,10.2.0.1,0x0007,3,1,1234,2345,3\n"
		       "10.2.0.5,10.1.0.5,0x0002,3,1,1234,2345,3\n");
	unlink(path);
}

TEST_MAIN("test_droppcap", {
	umask(022);
	snprintf(dir, sizeof dir, "/tmp/test_droppcap.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_bytes);
	RUN(test_limit_and_errors);
	RUN(test_tshark);
	rmdir(dir);
})
