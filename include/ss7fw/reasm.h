/* ss7fw — reassembly of segmented SCCP connectionless messages (XUDT/LUDT
 * with the segmentation parameter, Q.713 3.17; procedure of Q.714 4.1.1.2 /
 * 4.1.1.3). The engine owns one; nothing here decodes: the caller hands in
 * the fields its decoder found. docs/decoding.md, "Segmentation".
 *
 * A reassembly is keyed by the originating point code, the calling party
 * address as on the wire and the segmentation local reference (Q.714
 * 4.1.1.3), and the direction. The first segment starts it (and T(reass));
 * every next one must come on the same link, carry the same called party
 * address and DPC, the first bit clear and a "remaining" count one below the
 * previous one. The last one (remaining 0) completes it. A segment of it on
 * another link cuts it: two links carrying segments of one key at once could
 * let the destination, which keys the same way, join segments of two
 * messages that were each screened but never together. Segments are copied (whole M3UA messages, so
 * that they can be forwarded unchanged once the whole is screened) into one
 * arena allocated at reasm_new: no allocation afterwards. Two bounds, each a
 * setting: reassemblies at once and bytes held; going past either cuts the
 * OLDEST reassembly (its segments are dropped, reported through the cut
 * callback), so a flood of never-finished reassemblies cannot keep the pool
 * from the traffic that does finish.
 *
 * Segments and lists reasm_add / the cut callback return stay valid until the
 * next reasm_add or reasm_expire call. Single-threaded. */
#ifndef SS7FW_REASM_H
#define SS7FW_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ss7fw/wire-t.h"

#define REASM_MAX_SEGS   16     /* 1 + the 4-bit "remaining segments" (Q.713 3.17) */
#define REASM_MAX_DATA   4096   /* user data of one whole: above the 3952 octets of
                                 * the largest NSDU the connectionless service carries */
#define REASM_ADDR_MAX   32     /* octets of a calling/called address kept for the key */

struct reasm_cfg {
	uint32_t timeout_ms;         /* T(reass) */
	uint32_t max_reasm;          /* reassemblies at once (>= 1) */
	uint32_t max_bytes;          /* bytes of held M3UA messages (>= 1) */
};

/* What reasm_add did with a segment. */
enum reasm_result {
	REASM_HELD = 0,              /* kept: its reassembly waits for more */
	REASM_COMPLETE,              /* the last one: list = the held ones before it */
	REASM_DUPLICATE,             /* the same (or an earlier) segment again: not kept */
	REASM_ORPHAN,                /* not a first segment, and no reassembly for it */
	REASM_SEQUENCE,              /* out of sequence or inconsistent: its reassembly
	                              * is cut (list = the held ones) */
	REASM_TOO_LARGE,             /* the whole would pass REASM_MAX_DATA, or an
	                              * address is too long: cut like REASM_SEQUENCE */
	REASM_LIMIT,                 /* this reassembly alone would pass max_bytes: cut */
};

/* Why a reassembly was cut without a segment of its own (cut callback). */
enum reasm_cut { REASM_CUT_TIMEOUT = 0, REASM_CUT_SLOTS, REASM_CUT_BYTES };

/* One held segment: a copy of the whole M3UA message and what came with it. */
struct reasm_seg {
	const uint8_t *p;
	uint32_t len;
	uint32_t data_off, data_len; /* its SCCP user data within p */
	uint8_t remaining;
	bool sent;                   /* the caller forwarded it at arrival */
	uint16_t stream;
	uint32_t ppid;
	struct timespec ts;
	uint64_t frame;
};

/* One segment as the caller decoded it. */
struct reasm_in {
	int32_t link;
	uint8_t dir;
	uint32_t opc, dpc;
	struct bytes cgpa, cdpa;     /* the addresses as on the wire (sccp_addr.raw) */
	uint32_t ref;                /* segmentation local reference */
	bool first;
	uint8_t remaining;
	const uint8_t *msg;          /* the whole M3UA message */
	size_t len;
	struct bytes data;           /* its SCCP user data, inside msg */
	bool sent;                   /* forwarded at arrival (shadow, unscreened) */
	uint16_t stream;
	uint32_t ppid;
	struct timespec ts;
	uint64_t frame;
	uint64_t now_ms;             /* for T(reass) */
};

/* The held segments of a reassembly that completed or was cut, in order. */
struct reasm_list {
	unsigned n;
	const struct reasm_seg *seg;
	int32_t link;
	uint8_t dir;
};

struct reasm_stats {
	uint32_t active, max_reasm;  /* reassemblies in progress / the bound */
	uint64_t bytes, max_bytes;   /* bytes held / the bound */
	uint64_t started, completed;
	uint64_t expired;            /* cut by T(reass) */
	uint64_t cut_slots, cut_bytes; /* cut to make room (max_reasm, max_bytes) */
	uint64_t limit;              /* REASM_LIMIT */
	uint64_t duplicates, orphans, sequence, too_large;
};

/* Called for every reassembly cut by T(reass) or to make room. */
typedef void (*reasm_cut_fn)(void *arg, unsigned why, const struct reasm_list *l);

struct reasm *reasm_new(const struct reasm_cfg *c, reasm_cut_fn cut, void *arg);
void reasm_free(struct reasm *ra);

/* Add one segment (first bit clear, or set with remaining >= 1). Expires
 * what T(reass) ended by in->now_ms first. *out is set for COMPLETE,
 * SEQUENCE, TOO_LARGE and LIMIT (n = 0 otherwise). */
enum reasm_result reasm_add(struct reasm *ra, const struct reasm_in *in, struct reasm_list *out);

/* Cut every reassembly whose T(reass) ran out by now_ms. */
void reasm_expire(struct reasm *ra, uint64_t now_ms);

const struct reasm_stats *reasm_stats(const struct reasm *ra);

#endif
