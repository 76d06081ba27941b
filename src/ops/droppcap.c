/* ss7fw — a pcap file of dropped MSUs, readable by tshark/Wireshark as M3UA.
 *
 * Classic pcap (microsecond timestamps), LINKTYPE_IPV4 (228). Each dropped
 * M3UA message becomes one packet: a synthetic IPv4 header (protocol 132), an
 * SCTP common header (ports 2905, the M3UA port of RFC 4666), and one SCTP
 * DATA chunk (RFC 9260 3.3.1) with B and E set, the original stream id and
 * PPID 3 (M3UA), carrying the original bytes unchanged. The link and the
 * direction are in the addresses:
 *   carrier side of link i: 10.1.H.L     core side: 10.2.H.L
 * with H.L = i + 1 as a 16-bit number (0.0 when the link is unknown), and
 * "in" going carrier -> core, "out" core -> carrier. The SCTP checksum is a
 * real CRC32c. The TSN counts the packets of the file.
 *
 * Every packet is one write(2) of the record header and packet together on
 * an O_APPEND descriptor: nothing is buffered, a crash loses nothing, and a
 * reader sees whole packets. An existing file is appended to if it is a pcap
 * of this link type; anything else there is an error. Packets that would
 * take the file over its limit (1 GiB by default, droppcap_set_limit) are
 * counted as lost instead. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ss7fw/ops.h"

#define PCAP_MAGIC          0xa1b2c3d4u
#define PCAP_LINKTYPE_IPV4  228
#define PCAP_SNAPLEN        65535u
#define DROPPCAP_HDRS       (20 + 12 + 16)           /* IPv4 + SCTP + DATA chunk */
#define DROPPCAP_MAX_MSG    (65535u - DROPPCAP_HDRS - 3)  /* IPv4 total length bound */
#define M3UA_PORT           2905
#define M3UA_PPID           3
#define DROPPCAP_MAX_DEFAULT (1ull << 30)          /* 1 GiB unless droppcap_set_limit */

struct droppcap {
	int fd;
	uint64_t size;                /* bytes in the file */
	uint64_t max_bytes;           /* 0: unbounded */
	uint64_t written, lost;
	uint32_t tsn;
	uint16_t ip_id;
	uint8_t pkt[16 + DROPPCAP_HDRS + 4];   /* record header + headers + pad room */
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}
static uint32_t get32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* CRC32c (Castagnoli, reflected 0x82F63B78), as SCTP uses (RFC 9260 B). */
static uint32_t crc32c_update(uint32_t crc, const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	static bool ready;
	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
			table[i] = c;
		}
		ready = true;
	}
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Opens (or appends to) the pcap at path. NULL with the reason on err. */
struct droppcap *droppcap_open(const char *path, FILE *err)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0) {
		fprintf(err, "ss7fw: drop pcap %s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(err, "ss7fw: drop pcap %s: not a regular file\n", path);
		close(fd);
		return NULL;
	}
	struct droppcap *p = calloc(1, sizeof *p);
	if (!p) {
		fprintf(err, "ss7fw: drop pcap: out of memory\n");
		close(fd);
		return NULL;
	}
	p->fd = fd;
	p->max_bytes = DROPPCAP_MAX_DEFAULT;
	if (st.st_size == 0) {
		uint8_t gh[24];
		put32le(gh, PCAP_MAGIC);
		gh[4] = 2; gh[5] = 0; gh[6] = 4; gh[7] = 0;      /* version 2.4 (LE) */
		memset(gh + 8, 0, 8);                            /* thiszone, sigfigs */
		put32le(gh + 16, PCAP_SNAPLEN);
		put32le(gh + 20, PCAP_LINKTYPE_IPV4);
		if (write(fd, gh, sizeof gh) != (ssize_t)sizeof gh) {
			fprintf(err, "ss7fw: drop pcap %s: %s\n", path, strerror(errno ? errno : EIO));
			goto fail;
		}
		p->size = sizeof gh;
	} else {
		uint8_t gh[24];
		if (pread(fd, gh, sizeof gh, 0) != (ssize_t)sizeof gh ||
		    get32le(gh) != PCAP_MAGIC || get32le(gh + 20) != PCAP_LINKTYPE_IPV4) {
			fprintf(err, "ss7fw: drop pcap %s: exists and is not a pcap of IPv4 "
				"packets (LINKTYPE_IPV4); move it away\n", path);
			goto fail;
		}
		p->size = (uint64_t)st.st_size;
	}
	return p;
fail:
	close(fd);
	free(p);
	return NULL;
}

/* Appends one packet for the M3UA message msg[0..len) (see the top). */
void droppcap_write(struct droppcap *p, const uint8_t *msg, size_t len, const struct msu_meta *meta)
{
	if (!p)
		return;
	if (len > DROPPCAP_MAX_MSG) {
		p->lost++;
		return;
	}
	size_t pad = (4 - len % 4) % 4;
	size_t pkt_len = DROPPCAP_HDRS + len + pad;
	if (p->max_bytes && p->size + 16 + pkt_len > p->max_bytes) {
		p->lost++;
		return;
	}
	uint8_t *r = p->pkt;
	memset(r, 0, sizeof p->pkt);
	/* record header (host order as the magic says: little-endian here) */
	put32le(r, (uint32_t)meta->ts.tv_sec);
	put32le(r + 4, (uint32_t)(meta->ts.tv_nsec / 1000));
	put32le(r + 8, (uint32_t)pkt_len);
	put32le(r + 12, (uint32_t)pkt_len);
	/* IPv4 */
	uint8_t *ip = r + 16;
	uint16_t hl = meta->link >= 0 && meta->link < 65535 ? (uint16_t)(meta->link + 1) : 0;
	uint8_t carrier[4] = { 10, 1, (uint8_t)(hl >> 8), (uint8_t)hl };
	uint8_t core[4] = { 10, 2, (uint8_t)(hl >> 8), (uint8_t)hl };
	bool out = meta->dir == FW_DIR_OUT;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)pkt_len);
	put16(ip + 4, p->ip_id++);
	put16(ip + 6, 0x4000);                           /* DF */
	ip[8] = 64;
	ip[9] = 132;                                     /* SCTP */
	memcpy(ip + 12, out ? core : carrier, 4);
	memcpy(ip + 16, out ? carrier : core, 4);
	put16(ip + 10, ip_checksum(ip, 20));
	/* SCTP common header + DATA chunk */
	uint8_t *sc = ip + 20;
	put16(sc, M3UA_PORT);
	put16(sc + 2, M3UA_PORT);
	put32(sc + 4, 1);                                /* verification tag */
	uint8_t *ch = sc + 12;
	ch[0] = 0;                                       /* DATA */
	ch[1] = 0x03;                                    /* B | E: unfragmented */
	put16(ch + 2, (uint16_t)(16 + len));             /* chunk length excludes padding */
	put32(ch + 4, ++p->tsn);
	put16(ch + 8, meta->stream);
	put16(ch + 10, (uint16_t)p->tsn);                /* stream sequence number */
	put32(ch + 12, M3UA_PPID);
	static const uint8_t zeros[4];
	uint32_t crc = crc32c_update(0xffffffffu, sc, 12 + 16);
	crc = crc32c_update(crc, msg, len);
	crc = crc32c_update(crc, zeros, pad);
	crc = ~crc;
	put32le(sc + 8, crc);                            /* RFC 9260 appendix B: LE bytes */
	struct iovec iov[3] = {
		{ r, 16 + DROPPCAP_HDRS },
		{ (void *)(uintptr_t)msg, len },
		{ (void *)(uintptr_t)zeros, pad },
	};
	ssize_t n = writev(p->fd, iov, pad ? 3 : 2);
	if (n != (ssize_t)(16 + pkt_len)) {
		p->lost++;
		if (n > 0)
			p->size += (uint64_t)n;
		return;
	}
	p->size += 16 + pkt_len;
	p->written++;
}

uint64_t droppcap_written(const struct droppcap *p) { return p ? p->written : 0; }
uint64_t droppcap_lost(const struct droppcap *p) { return p ? p->lost : 0; }
void droppcap_set_limit(struct droppcap *p, uint64_t max_bytes) { p->max_bytes = max_bytes; }

void droppcap_close(struct droppcap *p)
{
	if (!p)
		return;
	close(p->fd);
	free(p);
}
