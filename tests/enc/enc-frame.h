/* ss7fw tests — captured frames: link layer + IPv4/IPv6 + SCTP or TCP around
 * M3UA messages, and the pcap / pcapng file formats (written with stdio, no
 * libpcap). Used by tools/ss7gen and the capture tests. */
#ifndef SS7FW_TEST_ENC_FRAME_H
#define SS7FW_TEST_ENC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum enc_link {
	ENC_LINK_ETH = 0,      /* LINKTYPE_ETHERNET 1 */
	ENC_LINK_ETH_VLAN,     /* Ethernet with one 802.1Q tag */
	ENC_LINK_SLL,          /* LINKTYPE_LINUX_SLL 113 */
	ENC_LINK_SLL2,         /* LINKTYPE_LINUX_SLL2 276 */
	ENC_LINK_RAW,          /* LINKTYPE_RAW 101 */
	ENC_LINK_IPV4,         /* LINKTYPE_IPV4 228 */
	ENC_LINK_IPV6,         /* LINKTYPE_IPV6 229 */
};

/* One direction of a conversation. */
struct enc_flow {
	uint8_t link;          /* enum enc_link */
	bool ipv6;
	uint8_t src[16], dst[16]; /* IPv4 uses the first 4 octets */
	uint16_t sport, dport;
	bool ip_fragment;      /* IPv4: set MF (IPv6: add a fragment header) */
	bool ipv6_ext;         /* IPv6: put a hop-by-hop options header first */
};

/* One SCTP chunk; type 0 is DATA (flags 0 means B|E: an unfragmented one). */
struct enc_chunk {
	uint8_t type, flags;
	uint16_t stream;
	uint32_t ppid;
	const uint8_t *data;
	size_t len;
};

/* The pcap LINKTYPE_ value of a link. */
uint32_t enc_link_type(uint8_t link);

/* A whole frame with one SCTP packet of n chunks (TSNs from *tsn, advanced).
 * Returns its length, 0 if cap is too small. The SCTP checksum is CRC32c. */
size_t enc_frame_sctp(uint8_t *out, size_t cap, const struct enc_flow *f, uint32_t vtag,
		      uint32_t *tsn, const struct enc_chunk *c, int n);
/* A whole frame with one TCP segment (flags: 0x02 SYN, 0x10 ACK, 0x18 PSH|ACK). */
size_t enc_frame_tcp(uint8_t *out, size_t cap, const struct enc_flow *f, uint32_t seq,
		     uint32_t ack, uint8_t flags, const uint8_t *payload, size_t len);
/* A frame with a UDP datagram (traffic replay must ignore). */
size_t enc_frame_udp(uint8_t *out, size_t cap, const struct enc_flow *f,
		     const uint8_t *payload, size_t len);

/* pcap (microsecond) file: header, then records. caplen <= origlen. */
void enc_pcap_header(FILE *fp, uint32_t linktype, uint32_t snaplen);
void enc_pcap_record(FILE *fp, uint32_t sec, uint32_t usec, const uint8_t *p,
		     size_t caplen, size_t origlen);
/* pcapng: section header and one interface, then enhanced packet blocks
 * (timestamps in microseconds). */
void enc_pcapng_header(FILE *fp, uint32_t linktype);
void enc_pcapng_record(FILE *fp, uint64_t usec, const uint8_t *p, size_t caplen, size_t origlen);

/* CRC32c (RFC 9260 Appendix B) of n octets. */
uint32_t enc_crc32c(const uint8_t *p, size_t n);

#endif
