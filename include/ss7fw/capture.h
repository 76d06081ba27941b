/* ss7fw — streaming reader of captured SIGTRAN traffic (for `ss7fw replay`).
 *
 * Reads pcap and pcapng files through libpcap, one packet at a time, and
 * hands every M3UA message found in them to a callback:
 *   link layers: Ethernet (with 802.1Q / 802.1ad VLAN tags), Linux cooked
 *     (SLL and SLL2), raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6);
 *   IPv4 and IPv6 (extension headers skipped; IP fragments counted and
 *     skipped: replay does not reassemble IP);
 *   SCTP (RFC 9260): every chunk of a packet; a DATA chunk (type 0) whose PPID
 *     is 3 (M3UA) or whose source or destination port is M3UA's (2905 or a port
 *     added with capture_add_port) is one M3UA message with its stream id.
 *     A fragmented DATA chunk (B and E flags not both set) is counted
 *     (sctp_fragments) and skipped: replay does not reassemble user messages.
 *     Other chunks (SACK, INIT, HEARTBEAT, I-DATA of RFC 8260, ...) are
 *     counted in sctp_chunks and skipped;
 *   TCP to or from an M3UA port: per-flow reassembly of the byte stream,
 *     framed by the M3UA common header's length. The flow table is bounded
 *     (CAPTURE_MAX_FLOWS, least recently used evicted) and so is each flow's
 *     buffer (CAPTURE_FLOW_BUF). Only in-order segments are used; a
 *     retransmission of bytes already seen is ignored, a gap resets the flow
 *     (tcp_gaps) and the flow resynchronises on the next segment that starts
 *     with a plausible M3UA header.
 * Memory is allocated once (capture_new); the per-packet path allocates
 * nothing. Nothing is sized from a value read from the file. */
#ifndef SS7FW_CAPTURE_H
#define SS7FW_CAPTURE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#define CAPTURE_M3UA_PORT   2905
#define CAPTURE_MAX_PORTS   32       /* extra M3UA ports (capture_add_port) */
#define CAPTURE_MAX_FLOWS   64       /* TCP flows reassembled at once */
#define CAPTURE_FLOW_BUF    (65536 + 64) /* bytes buffered per TCP flow */
#define CAPTURE_MAX_MSG     65536    /* largest M3UA message accepted over TCP */

/* Link types understood by capture_packet (libpcap DLT_ values). */
#define CAPTURE_DLT_EN10MB    1
#define CAPTURE_DLT_RAW       12     /* DLT_RAW on Linux (LINKTYPE_RAW 101 maps to it) */
#define CAPTURE_DLT_RAW_BSD   14
#define CAPTURE_DLT_LINUX_SLL 113
#define CAPTURE_DLT_IPV4      228
#define CAPTURE_DLT_IPV6      229
#define CAPTURE_DLT_LINUX_SLL2 276

/* Counters: everything read, and every reason something was not used. */
struct capture_stats {
	uint64_t packets;            /* packets read */
	uint64_t messages;           /* M3UA messages handed to the callback */
	uint64_t sctp_packets;       /* SCTP packets seen */
	uint64_t sctp_chunks;        /* SCTP chunks seen */
	uint64_t sctp_non_m3ua;      /* DATA chunks that are not M3UA (PPID, ports) */
	uint64_t sctp_fragments;     /* fragmented DATA chunks skipped */
	uint64_t tcp_segments;       /* TCP segments with payload on an M3UA port */
	uint64_t tcp_gaps;           /* sequence gaps: flow reset */
	uint64_t tcp_framing;        /* bad M3UA length in a TCP stream: flow reset */
	uint64_t tcp_evicted;        /* flows evicted from a full table */
	uint64_t ip_fragments;       /* IPv4/IPv6 fragments skipped */
	uint64_t truncated;          /* packets cut short (snaplen or bad lengths) */
	uint64_t unsupported_link;   /* packets of a link type not handled */
	uint64_t not_ip;             /* non-IP frames (ARP, ...) */
	uint64_t other_ip;           /* IP packets neither SCTP nor M3UA TCP (UDP, ...) */
};

/* One M3UA message: its bytes (valid during the call only), the addresses of
 * the IP packet (AF_INET or AF_INET6 with ports), the SCTP stream id (0 over
 * TCP), the packet's capture time and frame number (1-based, per file). */
typedef void (*capture_cb)(void *arg, const uint8_t *msg, size_t len,
			   const struct sockaddr *src, const struct sockaddr *dst,
			   uint16_t stream, const struct timespec *ts, uint64_t frame);

struct capture;

/* A reader with its flow table (the only allocation); NULL if out of memory. */
struct capture *capture_new(void);
void capture_free(struct capture *c);

/* Treat TCP and SCTP traffic to or from port as M3UA too (2905 always is).
 * Returns 0, or -1 when CAPTURE_MAX_PORTS are already set. */
int capture_add_port(struct capture *c, uint16_t port);

/* Decode one captured packet of link type dlt: caplen bytes at p (wirelen the
 * original length), calling cb for each M3UA message in it. */
void capture_packet(struct capture *c, int dlt, const uint8_t *p, size_t caplen,
		    size_t wirelen, const struct timespec *ts, uint64_t frame,
		    capture_cb cb, void *arg);

/* Read a whole pcap or pcapng file (frame numbers restart at 1, TCP flows are
 * forgotten at its start). Returns 0, or -1 with a message in err when the
 * file cannot be opened or a read error occurs (messages before the error
 * have been delivered). */
int capture_file(struct capture *c, const char *path, capture_cb cb, void *arg,
		 char *err, size_t errsz);

/* Forget the TCP flows (their buffered bytes are dropped). */
void capture_reset_flows(struct capture *c);

const struct capture_stats *capture_stats(const struct capture *c);
/* The counters as "name value" lines (for --stats). */
void capture_stats_print(const struct capture *c, FILE *out);

#endif
