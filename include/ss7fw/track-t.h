/* ss7fw — types of the correlation state ("track").
 *
 * One table of fixed-size entries, allocated once (track_new) and never
 * resized: chained hashing through a bucket index, a free list, and an LRU
 * list threaded through the entries. When the table is full the least
 * recently used entry is evicted and counted. Entries carry an expiry time;
 * an expired entry is absent for lookups and is reused first.
 * Keys are built from struct digits nibbles and transaction id octets
 * (track_key_*), never from strings. The state is not part of the policy:
 * it survives policy reloads. */
#ifndef SS7FW_TRACK_T_H
#define SS7FW_TRACK_T_H

#include <stdint.h>

#define TRACK_KEY_MAX     30   /* octets of one key (kind + packed fields) */
#define TRACK_KEY_DIGITS  24   /* digits of one address kept in a key */
#define TRACK_MIN_ENTRIES 16
#define TRACK_MAX_ENTRIES (16u * 1024 * 1024)

/* What an entry records. */
enum track_kind {
	TRACK_KIND_NONE = 0,
	TRACK_KIND_SRI_SM,      /* SRI-SM seen: MSISDN + SMSC GT (IR.71 2.3.1) */
	TRACK_KIND_TID,         /* open TCAP transaction: direction + node GT + TID (IR.71 2.1.3);
	                         * value: its application (enum tcap_app) */
	/* FS.11 categories 2/3 and the SMS correlation (docs/policy.md,
	 * "State"): keys built with track_key_fs11 / track_key_fs11_tid */
	TRACK_KIND_LOC,         /* subscriber (IMSI or MSISDN) + domain -> network id where
	                         * our HLR registered it (value32) */
	TRACK_KIND_LOC_PREV,    /* the same, the network it left (grace window) */
	TRACK_KIND_VELOCITY,    /* IMSI -> country + minute of its last registration */
	TRACK_KIND_UL_PENDING,  /* updateLocation / updateGprsLocation awaiting our HLR's
	                         * answer: node GT + TID -> IMSI (value64) */
	TRACK_KIND_SRI_ANSWER,  /* SRI-SM answered by our HLR: IMSI + SMSC GT */
	TRACK_KIND_SRI_BY_IMSI, /* SRI-SM answered: IMSI -> SMSC GT (value64, the perpetrator) */
	TRACK_KIND_RATE,        /* token bucket: rule + key -> tokens + time (value64) */
	TRACK_KIND__COUNT
};

struct track_key {
	uint8_t len;
	uint8_t b[TRACK_KEY_MAX];
};

/* One entry: 64 octets, one cache line (the table is page-aligned).
 * Indices are 1-based (0: none), so a zeroed table is an empty one and
 * untouched pages stay uncommitted. */
struct track_entry {
	uint64_t expires_ms;         /* absent at or after this time */
	uint64_t v64;                /* value64 (track_put_val64) */
	uint32_t chain;              /* next entry in the bucket */
	uint32_t lru_prev, lru_next; /* towards most / least recently used */
	uint8_t used;
	uint8_t val;                 /* a value the kind gives it (TID: enum tcap_app) */
	uint8_t klen;
	uint8_t key[TRACK_KEY_MAX];
	uint8_t aux[3];              /* value32: bits 8..31 (val is bits 0..7) */
};

struct track_stats {
	uint64_t inserts, updates, hits, misses, expired, evictions, removed;
	uint32_t entries, max_entries;
};

#endif
