/* ss7fw tests — captured frames and pcap/pcapng writers (enc-frame.h). */
#include "enc/enc-frame.h"

#include <string.h>

#define ENC_FRAME_IP_MAX 65535

uint32_t enc_crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}

uint32_t enc_link_type(uint8_t link)
{
	switch (link) {
	case ENC_LINK_SLL: return 113;
	case ENC_LINK_SLL2: return 276;
	case ENC_LINK_RAW: return 101;
	case ENC_LINK_IPV4: return 228;
	case ENC_LINK_IPV6: return 229;
	default: return 1;
	}
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Internet checksum (RFC 1071) continuing from sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Link header for an IP packet; returns its length or 0. */
static size_t link_header(uint8_t *out, size_t cap, const struct enc_flow *f)
{
	uint16_t et = f->ipv6 ? 0x86dd : 0x0800;
	static const uint8_t mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
	switch (f->link) {
	case ENC_LINK_ETH:
	case ENC_LINK_ETH_VLAN: {
		size_t n = f->link == ENC_LINK_ETH ? 14 : 18;
		if (cap < n)
			return 0;
		memcpy(out, mac_b, 6);
		memcpy(out + 6, mac_a, 6);
		if (f->link == ENC_LINK_ETH_VLAN) {
			put16(out + 12, 0x8100);
			put16(out + 14, 100);   /* VLAN 100 */
		}
		put16(out + n - 2, et);
		return n;
	}
	case ENC_LINK_SLL:
		if (cap < 16)
			return 0;
		memset(out, 0, 16);
		put16(out, 0);          /* sent to us */
		put16(out + 2, 1);      /* ARPHRD_ETHER */
		put16(out + 4, 6);
		memcpy(out + 6, mac_a, 6);
		put16(out + 14, et);
		return 16;
	case ENC_LINK_SLL2:
		if (cap < 20)
			return 0;
		memset(out, 0, 20);
		put16(out, et);
		put32(out + 4, 2);      /* interface index */
		put16(out + 8, 1);      /* ARPHRD_ETHER */
		out[10] = 0;            /* packet type: host */
		out[11] = 6;
		memcpy(out + 12, mac_a, 6);
		return 20;
	default:
		return 0;               /* raw IP */
	}
}

/* Wraps the transport bytes at out + hdr (already written there, len tlen) in
 * the IP and link headers placed before them. proto: 132 SCTP, 6 TCP, 17 UDP.
 * The checksum offset (TCP 16, UDP 6; SCTP none) gets the pseudo-header sum. */
static size_t ip_wrap(uint8_t *out, size_t cap, const struct enc_flow *f, uint8_t proto,
		      const uint8_t *l4, size_t tlen, int csum_off)
{
	uint8_t lh[32];
	size_t ll = link_header(lh, sizeof lh, f);
	size_t ipl = f->ipv6 ? 40 + (f->ipv6_ext ? 8 : 0) + (f->ip_fragment ? 8 : 0) : 20;
	if (tlen + ipl > ENC_FRAME_IP_MAX || ll + ipl + tlen > cap)
		return 0;
	uint8_t *ip = out + ll;
	uint8_t *t = ip + ipl;
	memmove(t, l4, tlen);
	memcpy(out, lh, ll);
	if (!f->ipv6) {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + tlen));
		put16(ip + 4, 0x1234);
		put16(ip + 6, f->ip_fragment ? 0x2000 : 0x4000);   /* MF, or DF */
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, f->src, 4);
		memcpy(ip + 16, f->dst, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	} else {
		memset(ip, 0, ipl);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(ipl - 40 + tlen));
		ip[7] = 64;
		memcpy(ip + 8, f->src, 16);
		memcpy(ip + 24, f->dst, 16);
		uint8_t *nh = ip + 6, *e = ip + 40;
		if (f->ipv6_ext) {       /* hop-by-hop, 8 octets of PadN */
			*nh = 0;
			nh = e;
			e[2] = 1;
			e[3] = 4;
			e += 8;
		}
		if (f->ip_fragment) {    /* fragment header, offset 0, M set */
			*nh = 44;
			nh = e;
			put16(e + 2, 1);
			put32(e + 4, 0x1234);
			e += 8;
		}
		*nh = proto;
	}
	if (csum_off >= 0) {
		uint32_t sum = 0;
		uint8_t ph[4] = { 0, proto, 0, 0 };
		if (f->ipv6) {
			sum = csum_add(sum, f->src, 16);
			sum = csum_add(sum, f->dst, 16);
		} else {
			sum = csum_add(sum, f->src, 4);
			sum = csum_add(sum, f->dst, 4);
		}
		put16(ph + 2, (uint16_t)tlen);
		sum = csum_add(sum, ph, 4);
		t[csum_off] = t[csum_off + 1] = 0;
		sum = csum_add(sum, t, tlen);
		put16(t + csum_off, csum_fold(sum));
	}
	return ll + ipl + tlen;
}

size_t enc_frame_sctp(uint8_t *out, size_t cap, const struct enc_flow *f, uint32_t vtag,
		      uint32_t *tsn, const struct enc_chunk *c, int n)
{
	static uint8_t l4[ENC_FRAME_IP_MAX];
	size_t len = 12;
	put16(l4, f->sport);
	put16(l4 + 2, f->dport);
	put32(l4 + 4, vtag);
	put32(l4 + 8, 0);
	for (int i = 0; i < n; i++) {
		size_t hl = c[i].type == 0 ? 16 : 4;
		size_t cl = hl + c[i].len, pl = (cl + 3) & ~(size_t)3;
		if (cl > 0xffff || pl > sizeof l4 - len)
			return 0;
		uint8_t *p = l4 + len;
		memset(p, 0, pl);
		p[0] = c[i].type;
		p[1] = c[i].type == 0 && c[i].flags == 0 ? 0x03 : c[i].flags;
		put16(p + 2, (uint16_t)cl);
		if (c[i].type == 0) {
			put32(p + 4, (*tsn)++);
			put16(p + 8, c[i].stream);
			put16(p + 10, (uint16_t)*tsn);
			put32(p + 12, c[i].ppid);
		}
		if (c[i].len)
			memcpy(p + hl, c[i].data, c[i].len);
		len += pl;
	}
	uint32_t crc = enc_crc32c(l4, len);
	l4[8] = (uint8_t)crc;            /* transmitted least significant octet first */
	l4[9] = (uint8_t)(crc >> 8);
	l4[10] = (uint8_t)(crc >> 16);
	l4[11] = (uint8_t)(crc >> 24);
	return ip_wrap(out, cap, f, 132, l4, len, -1);
}

size_t enc_frame_tcp(uint8_t *out, size_t cap, const struct enc_flow *f, uint32_t seq,
		     uint32_t ack, uint8_t flags, const uint8_t *payload, size_t len)
{
	static uint8_t l4[ENC_FRAME_IP_MAX];
	if (len > sizeof l4 - 20)
		return 0;
	memset(l4, 0, 20);
	put16(l4, f->sport);
	put16(l4 + 2, f->dport);
	put32(l4 + 4, seq);
	put32(l4 + 8, ack);
	l4[12] = 5 << 4;
	l4[13] = flags;
	put16(l4 + 14, 65535);
	if (len)
		memcpy(l4 + 20, payload, len);
	return ip_wrap(out, cap, f, 6, l4, 20 + len, 16);
}

size_t enc_frame_udp(uint8_t *out, size_t cap, const struct enc_flow *f,
		     const uint8_t *payload, size_t len)
{
	static uint8_t l4[ENC_FRAME_IP_MAX];
	if (len > sizeof l4 - 8)
		return 0;
	put16(l4, f->sport);
	put16(l4 + 2, f->dport);
	put16(l4 + 4, (uint16_t)(8 + len));
	put16(l4 + 6, 0);
	if (len)
		memcpy(l4 + 8, payload, len);
	return ip_wrap(out, cap, f, 17, l4, 8 + len, 6);
}

static void wr32(FILE *fp, uint32_t v) { fwrite(&v, 4, 1, fp); }   /* host order */
static void wr16(FILE *fp, uint16_t v) { fwrite(&v, 2, 1, fp); }

void enc_pcap_header(FILE *fp, uint32_t linktype, uint32_t snaplen)
{
	wr32(fp, 0xa1b2c3d4);
	wr16(fp, 2);
	wr16(fp, 4);
	wr32(fp, 0);
	wr32(fp, 0);
	wr32(fp, snaplen);
	wr32(fp, linktype);
}

void enc_pcap_record(FILE *fp, uint32_t sec, uint32_t usec, const uint8_t *p,
		     size_t caplen, size_t origlen)
{
	wr32(fp, sec);
	wr32(fp, usec);
	wr32(fp, (uint32_t)caplen);
	wr32(fp, (uint32_t)origlen);
	fwrite(p, 1, caplen, fp);
}

void enc_pcapng_header(FILE *fp, uint32_t linktype)
{
	/* Section Header Block */
	wr32(fp, 0x0a0d0d0a);
	wr32(fp, 28);
	wr32(fp, 0x1a2b3c4d);
	wr16(fp, 1);
	wr16(fp, 0);
	wr32(fp, 0xffffffff);     /* section length: unknown */
	wr32(fp, 0xffffffff);
	wr32(fp, 28);
	/* Interface Description Block, no options (default resolution: us) */
	wr32(fp, 1);
	wr32(fp, 20);
	wr16(fp, (uint16_t)linktype);
	wr16(fp, 0);
	wr32(fp, 0);              /* snaplen: none */
	wr32(fp, 20);
}

void enc_pcapng_record(FILE *fp, uint64_t usec, const uint8_t *p, size_t caplen, size_t origlen)
{
	static const uint8_t pad[4] = { 0 };
	size_t padded = (caplen + 3) & ~(size_t)3;
	uint32_t total = (uint32_t)(32 + padded);
	wr32(fp, 6);              /* Enhanced Packet Block */
	wr32(fp, total);
	wr32(fp, 0);              /* interface 0 */
	wr32(fp, (uint32_t)(usec >> 32));
	wr32(fp, (uint32_t)usec);
	wr32(fp, (uint32_t)caplen);
	wr32(fp, (uint32_t)origlen);
	fwrite(p, 1, caplen, fp);
	fwrite(pad, 1, padded - caplen, fp);
	wr32(fp, total);
}
