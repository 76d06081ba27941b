/* ss7fw — capture reader: pcap/pcapng -> link -> IP -> SCTP/TCP -> M3UA
 * messages. See include/ss7fw/capture.h for what is decoded and what is
 * counted and skipped. Every header length is checked against the bytes
 * captured before it is used. */
#include "ss7fw/capture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flow {
	bool used;
	bool synced;                 /* buf starts at an M3UA message boundary */
	uint8_t family;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint32_t next_seq;           /* sequence number of the next byte expected */
	uint64_t last_use;
	size_t len;                  /* bytes buffered */
	uint8_t *buf;                /* CAPTURE_FLOW_BUF bytes in c->slab */
};

struct capture {
	struct capture_stats st;
	uint16_t ports[CAPTURE_MAX_PORTS];
	unsigned n_ports;
	uint64_t tick;
	struct flow flows[CAPTURE_MAX_FLOWS];
	uint8_t *slab;
};

/* What one packet's layers pass down. */
struct pkt {
	const struct timespec *ts;
	uint64_t frame;
	capture_cb cb;
	void *arg;
	bool counted_trunc;
	uint8_t family;
	const uint8_t *saddr, *daddr; /* 4 or 16 octets in the packet */
	struct sockaddr_storage src, dst;
};

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void count_trunc(struct capture *c, struct pkt *k)
{
	if (!k->counted_trunc) {
		c->st.truncated++;
		k->counted_trunc = true;
	}
}

struct capture *capture_new(void)
{
	struct capture *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->slab = malloc((size_t)CAPTURE_MAX_FLOWS * CAPTURE_FLOW_BUF);
	if (!c->slab) {
		free(c);
		return NULL;
	}
	for (unsigned i = 0; i < CAPTURE_MAX_FLOWS; i++)
		c->flows[i].buf = c->slab + (size_t)i * CAPTURE_FLOW_BUF;
	return c;
}

void capture_free(struct capture *c)
{
	if (!c)
		return;
	free(c->slab);
	free(c);
}

int capture_add_port(struct capture *c, uint16_t port)
{
	for (unsigned i = 0; i < c->n_ports; i++)
		if (c->ports[i] == port)
			return 0;
	if (c->n_ports >= CAPTURE_MAX_PORTS)
		return -1;
	c->ports[c->n_ports++] = port;
	return 0;
}

static bool m3ua_port(const struct capture *c, uint16_t port)
{
	if (port == CAPTURE_M3UA_PORT)
		return true;
	for (unsigned i = 0; i < c->n_ports; i++)
		if (c->ports[i] == port)
			return true;
	return false;
}

void capture_reset_flows(struct capture *c)
{
	for (unsigned i = 0; i < CAPTURE_MAX_FLOWS; i++) {
		c->flows[i].used = false;
		c->flows[i].len = 0;
	}
}

const struct capture_stats *capture_stats(const struct capture *c) { return &c->st; }

void capture_stats_print(const struct capture *c, FILE *out)
{
	const struct capture_stats *s = &c->st;
	fprintf(out,
		"capture: packets %llu, m3ua messages %llu\n"
		"capture: sctp packets %llu, chunks %llu, non-m3ua data %llu, fragmented data skipped %llu\n"
		"capture: tcp segments %llu, gaps %llu, framing errors %llu, flows evicted %llu\n"
		"capture: ip fragments skipped %llu, truncated %llu, unsupported link %llu, not ip %llu, other ip %llu\n",
		(unsigned long long)s->packets, (unsigned long long)s->messages,
		(unsigned long long)s->sctp_packets, (unsigned long long)s->sctp_chunks,
		(unsigned long long)s->sctp_non_m3ua, (unsigned long long)s->sctp_fragments,
		(unsigned long long)s->tcp_segments, (unsigned long long)s->tcp_gaps,
		(unsigned long long)s->tcp_framing, (unsigned long long)s->tcp_evicted,
		(unsigned long long)s->ip_fragments, (unsigned long long)s->truncated,
		(unsigned long long)s->unsupported_link, (unsigned long long)s->not_ip,
		(unsigned long long)s->other_ip);
}

static void set_ports(struct pkt *k, uint16_t sport, uint16_t dport)
{
	if (k->family == 4) {
		((struct sockaddr_in *)&k->src)->sin_port = htons(sport);
		((struct sockaddr_in *)&k->dst)->sin_port = htons(dport);
	} else {
		((struct sockaddr_in6 *)&k->src)->sin6_port = htons(sport);
		((struct sockaddr_in6 *)&k->dst)->sin6_port = htons(dport);
	}
}

static void deliver(struct capture *c, struct pkt *k, const uint8_t *msg, size_t len, uint16_t stream)
{
	c->st.messages++;
	k->cb(k->arg, msg, len, (const struct sockaddr *)&k->src,
	      (const struct sockaddr *)&k->dst, stream, k->ts, k->frame);
}

/* ---- SCTP (RFC 9260 3.1 common header, 3.2 chunks, 3.3.1 DATA) */
static void sctp_packet(struct capture *c, struct pkt *k, const uint8_t *p, size_t len)
{
	if (len < 12) {
		count_trunc(c, k);
		return;
	}
	c->st.sctp_packets++;
	uint16_t sport = be16(p), dport = be16(p + 2);
	set_ports(k, sport, dport);
	bool port_m3ua = m3ua_port(c, sport) || m3ua_port(c, dport);
	size_t off = 12;
	while (len - off >= 4) {
		uint8_t type = p[off], flags = p[off + 1];
		size_t clen = be16(p + off + 2);
		if (clen < 4) {
			count_trunc(c, k);   /* a zero length would never advance */
			return;
		}
		if (clen > len - off) {
			count_trunc(c, k);
			return;
		}
		c->st.sctp_chunks++;
		if (type == 0) {
			if (clen < 16) {
				count_trunc(c, k);
				return;
			}
			uint16_t sid = be16(p + off + 8);
			uint32_t ppid = be32(p + off + 12);
			if (ppid != 3 && !port_m3ua) {
				c->st.sctp_non_m3ua++;
			} else if ((flags & 0x03) != 0x03) {
				c->st.sctp_fragments++;   /* B and E not both set */
			} else if (clen > 16) {
				deliver(c, k, p + off + 16, clen - 16, sid);
			}
		}
		size_t step = (clen + 3) & ~(size_t)3;
		if (step >= len - off)
			break;
		off += step;
	}
}

/* ---- TCP with M3UA framing (RFC 4666 3.1 common header length) */
static bool plausible_m3ua(const uint8_t *p, size_t len)
{
	if (len < 8 || p[0] != 1 || p[1] != 0)
		return false;
	uint32_t l = be32(p + 4);
	return l >= 8 && l <= CAPTURE_MAX_MSG;
}

static struct flow *flow_find(struct capture *c, struct pkt *k, uint16_t sport, uint16_t dport, bool create)
{
	size_t alen = k->family == 4 ? 4 : 16;
	struct flow *lru = NULL;
	for (unsigned i = 0; i < CAPTURE_MAX_FLOWS; i++) {
		struct flow *f = &c->flows[i];
		if (f->used && f->family == k->family && f->sport == sport && f->dport == dport &&
		    !memcmp(f->saddr, k->saddr, alen) && !memcmp(f->daddr, k->daddr, alen)) {
			f->last_use = ++c->tick;
			return f;
		}
		/* victim: the first free slot, else the least recently used */
		if (!lru || (lru->used && (!f->used || f->last_use < lru->last_use)))
			lru = f;
	}
	if (!create)
		return NULL;
	if (lru->used)
		c->st.tcp_evicted++;
	memset(lru->saddr, 0, sizeof lru->saddr);
	memset(lru->daddr, 0, sizeof lru->daddr);
	memcpy(lru->saddr, k->saddr, alen);
	memcpy(lru->daddr, k->daddr, alen);
	lru->used = true;
	lru->synced = false;
	lru->family = k->family;
	lru->sport = sport;
	lru->dport = dport;
	lru->len = 0;
	lru->last_use = ++c->tick;
	return lru;
}

static void flow_desync(struct flow *f)
{
	f->len = 0;
	f->synced = false;
}

/* Hand out the whole messages at the start of f->buf; keep the rest. */
static void flow_drain(struct capture *c, struct pkt *k, struct flow *f)
{
	size_t off = 0;
	while (f->len - off >= 8) {
		uint32_t l = be32(f->buf + off + 4);
		if (l < 8 || l > CAPTURE_MAX_MSG) {
			c->st.tcp_framing++;
			flow_desync(f);
			return;
		}
		if (f->len - off < l)
			break;
		deliver(c, k, f->buf + off, l, 0);
		off += l;
	}
	if (off) {
		memmove(f->buf, f->buf + off, f->len - off);
		f->len -= off;
	}
}

static void flow_data(struct capture *c, struct pkt *k, struct flow *f, const uint8_t *p, size_t n)
{
	if (!f->synced) {
		if (!plausible_m3ua(p, n))
			return;   /* wait for a segment that starts a message */
		f->synced = true;
		f->len = 0;
	}
	/* Fast path: nothing buffered, hand out whole messages from the packet. */
	while (f->len == 0 && n >= 8) {
		uint32_t l = be32(p + 4);
		if (l < 8 || l > CAPTURE_MAX_MSG) {
			c->st.tcp_framing++;
			flow_desync(f);
			return;
		}
		if (n < l)
			break;
		deliver(c, k, p, l, 0);
		p += l;
		n -= l;
	}
	while (n) {
		size_t room = CAPTURE_FLOW_BUF - f->len;
		size_t take = n < room ? n : room;
		memcpy(f->buf + f->len, p, take);
		f->len += take;
		p += take;
		n -= take;
		flow_drain(c, k, f);
		if (!f->synced)
			return;
		if (f->len == CAPTURE_FLOW_BUF) {   /* cannot happen with CAPTURE_MAX_MSG < buf */
			c->st.tcp_framing++;
			flow_desync(f);
			return;
		}
	}
}

static void tcp_segment(struct capture *c, struct pkt *k, const uint8_t *p, size_t len, size_t wire_len)
{
	if (len < 20) {
		count_trunc(c, k);
		return;
	}
	uint16_t sport = be16(p), dport = be16(p + 2);
	if (!m3ua_port(c, sport) && !m3ua_port(c, dport)) {
		c->st.other_ip++;
		return;
	}
	set_ports(k, sport, dport);
	uint32_t seq = be32(p + 4);
	size_t doff = (size_t)(p[12] >> 4) * 4;
	uint8_t flags = p[13];
	if (doff < 20 || doff > len) {
		count_trunc(c, k);
		return;
	}
	size_t plen = wire_len > doff ? wire_len - doff : 0;   /* payload per the IP length */
	size_t have = len - doff;
	if (flags & 0x04) {                                     /* RST */
		struct flow *f = flow_find(c, k, sport, dport, false);
		if (f)
			f->used = false;
		return;
	}
	if (flags & 0x02) {                                     /* SYN: a new stream */
		struct flow *f = flow_find(c, k, sport, dport, true);
		flow_desync(f);
		f->synced = true;
		f->next_seq = seq + 1;
		return;
	}
	if (plen == 0)
		return;
	c->st.tcp_segments++;
	struct flow *f = flow_find(c, k, sport, dport, false);
	if (!f) {
		f = flow_find(c, k, sport, dport, true);
		f->next_seq = seq;   /* joined mid-stream: sync on a message start */
	}
	const uint8_t *d = p + doff;
	int32_t delta = (int32_t)(seq - f->next_seq);
	if (delta > 0) {
		c->st.tcp_gaps++;
		flow_desync(f);
		f->next_seq = seq;
	} else if (delta < 0) {
		size_t old = (size_t)(-(int64_t)delta);
		if (old >= plen)
			return;              /* retransmission of bytes already used */
		d += old;
		plen -= old;
		have = have > old ? have - old : 0;
	}
	f->next_seq += (uint32_t)plen;
	if (have < plen) {                  /* bytes missing from the capture */
		count_trunc(c, k);
		c->st.tcp_gaps++;
		flow_desync(f);
		return;
	}
	flow_data(c, k, f, d, plen);
}

/* ---- IP */
static void transport(struct capture *c, struct pkt *k, uint8_t proto, const uint8_t *p,
		      size_t have, size_t wire_len)
{
	if (proto == 132) {
		if (have < wire_len)
			count_trunc(c, k);
		sctp_packet(c, k, p, have);
	} else if (proto == 6) {
		tcp_segment(c, k, p, have, wire_len);
	} else {
		c->st.other_ip++;
	}
}

static void ipv4_packet(struct capture *c, struct pkt *k, const uint8_t *p, size_t len)
{
	if (len < 20 || (p[0] >> 4) != 4) {
		count_trunc(c, k);
		return;
	}
	size_t ihl = (size_t)(p[0] & 0x0f) * 4, tot = be16(p + 2);
	if (ihl < 20 || ihl > len || tot < ihl) {
		count_trunc(c, k);
		return;
	}
	if (be16(p + 6) & 0x3fff) {         /* MF set or non-zero offset */
		c->st.ip_fragments++;
		return;
	}
	size_t have = tot <= len ? tot : len;   /* drop link padding */
	k->family = 4;
	k->saddr = p + 12;
	k->daddr = p + 16;
	struct sockaddr_in *s = (struct sockaddr_in *)&k->src, *d = (struct sockaddr_in *)&k->dst;
	memset(&k->src, 0, sizeof k->src);
	memset(&k->dst, 0, sizeof k->dst);
	s->sin_family = AF_INET;
	d->sin_family = AF_INET;
	memcpy(&s->sin_addr, p + 12, 4);
	memcpy(&d->sin_addr, p + 16, 4);
	transport(c, k, p[9], p + ihl, have - ihl, tot - ihl);
}

static void ipv6_packet(struct capture *c, struct pkt *k, const uint8_t *p, size_t len)
{
	if (len < 40 || (p[0] >> 4) != 6) {
		count_trunc(c, k);
		return;
	}
	size_t plen = be16(p + 4);
	size_t have = len - 40;
	if (plen < have)
		have = plen;
	k->family = 6;
	k->saddr = p + 8;
	k->daddr = p + 24;
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&k->src, *d = (struct sockaddr_in6 *)&k->dst;
	memset(&k->src, 0, sizeof k->src);
	memset(&k->dst, 0, sizeof k->dst);
	s->sin6_family = AF_INET6;
	d->sin6_family = AF_INET6;
	memcpy(&s->sin6_addr, p + 8, 16);
	memcpy(&d->sin6_addr, p + 24, 16);
	uint8_t nh = p[6];
	const uint8_t *q = p + 40;
	for (int hops = 0; hops < 8; hops++) {   /* RFC 8200 4.1 extension headers */
		size_t elen;
		if (nh == 0 || nh == 43 || nh == 60 || nh == 135 || nh == 139 || nh == 140) {
			if (have < 8) {
				count_trunc(c, k);
				return;
			}
			elen = ((size_t)q[1] + 1) * 8;
		} else if (nh == 51) {           /* AH: length in 4-octet units minus 2 */
			if (have < 8) {
				count_trunc(c, k);
				return;
			}
			elen = ((size_t)q[1] + 2) * 4;
		} else if (nh == 44) {
			c->st.ip_fragments++;
			return;
		} else {
			transport(c, k, nh, q, have, plen);
			return;
		}
		if (elen > have || elen > plen) {
			count_trunc(c, k);
			return;
		}
		nh = q[0];
		q += elen;
		have -= elen;
		plen -= elen;
	}
	c->st.other_ip++;
}

static void ether_payload(struct capture *c, struct pkt *k, uint16_t type, const uint8_t *p, size_t len)
{
	if (type == 0x0800)
		ipv4_packet(c, k, p, len);
	else if (type == 0x86dd)
		ipv6_packet(c, k, p, len);
	else
		c->st.not_ip++;
}

void capture_packet(struct capture *c, int dlt, const uint8_t *p, size_t caplen,
		    size_t wirelen, const struct timespec *ts, uint64_t frame,
		    capture_cb cb, void *arg)
{
	struct pkt k;
	memset(&k, 0, sizeof k);
	k.ts = ts;
	k.frame = frame;
	k.cb = cb;
	k.arg = arg;
	(void)wirelen;   /* IP and TCP lengths tell what is missing */
	c->st.packets++;
	switch (dlt) {
	case CAPTURE_DLT_EN10MB: {
		if (caplen < 14) {
			count_trunc(c, &k);
			return;
		}
		size_t off = 12;
		uint16_t type = be16(p + off);
		for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < 4; tags++) {
			off += 4;
			if (caplen < off + 2) {
				count_trunc(c, &k);
				return;
			}
			type = be16(p + off);
		}
		off += 2;
		ether_payload(c, &k, type, p + off, caplen - off);
		return;
	}
	case CAPTURE_DLT_LINUX_SLL:         /* 16 octets; protocol at 14 */
		if (caplen < 16) {
			count_trunc(c, &k);
			return;
		}
		ether_payload(c, &k, be16(p + 14), p + 16, caplen - 16);
		return;
	case CAPTURE_DLT_LINUX_SLL2:        /* 20 octets; protocol at 0 */
		if (caplen < 20) {
			count_trunc(c, &k);
			return;
		}
		ether_payload(c, &k, be16(p), p + 20, caplen - 20);
		return;
	case CAPTURE_DLT_RAW:
	case CAPTURE_DLT_RAW_BSD:
		if (caplen < 1) {
			count_trunc(c, &k);
			return;
		}
		if ((p[0] >> 4) == 4)
			ipv4_packet(c, &k, p, caplen);
		else if ((p[0] >> 4) == 6)
			ipv6_packet(c, &k, p, caplen);
		else
			c->st.not_ip++;
		return;
	case CAPTURE_DLT_IPV4:
		ipv4_packet(c, &k, p, caplen);
		return;
	case CAPTURE_DLT_IPV6:
		ipv6_packet(c, &k, p, caplen);
		return;
	default:
		c->st.unsupported_link++;
		return;
	}
}

int capture_file(struct capture *c, const char *path, capture_cb cb, void *arg,
		 char *err, size_t errsz)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	ebuf[0] = 0;
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!pc) {
		if (strstr(ebuf, path))
			snprintf(err, errsz, "%s", ebuf);
		else
			snprintf(err, errsz, "%s: %s", path, ebuf);
		return -1;
	}
	capture_reset_flows(c);
	int dlt = pcap_datalink(pc);
	uint64_t frame = 0;
	int rc = 0;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = pcap_next_ex(pc, &h, &data);
		if (r == PCAP_ERROR_BREAK)
			break;
		if (r != 1) {
			snprintf(err, errsz, "%s: frame %llu: %s", path,
				 (unsigned long long)frame + 1, pcap_geterr(pc));
			rc = -1;
			break;
		}
		frame++;
		struct timespec ts = { .tv_sec = h->ts.tv_sec, .tv_nsec = h->ts.tv_usec };
		capture_packet(c, dlt, data, h->caplen, h->len, &ts, frame, cb, arg);
	}
	pcap_close(pc);
	return rc;
}
