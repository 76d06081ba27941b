/* ss7fw — correlation state with expiry and bounded memory (see track-t.h).
 * Times are milliseconds on any clock the caller uses consistently (replay:
 * capture time; relay: receive time). No allocation after track_new.
 * Single-threaded until track_set_shared(t, true): then every operation may
 * be called from several threads at once (the table is split in shards by
 * key hash, each behind its own lock). */
#ifndef SS7FW_TRACK_H
#define SS7FW_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#include "ss7fw/track-t.h"
#include "ss7fw/wire-t.h"

struct track;

/* A table of max_entries (clamped to TRACK_MIN_ENTRIES..TRACK_MAX_ENTRIES);
 * NULL when out of memory. About 60 octets per entry. */
struct track *track_new(uint32_t max_entries);
void track_free(struct track *t);
/* Take the shards' locks from now on (several workers share t); set before
 * the threads start. Off: no lock at all (one thread). */
void track_set_shared(struct track *t, bool on);

/* Insert or refresh key (expires at now_ms + ttl_ms; becomes most recently
 * used). A full table evicts its least recently used entry (counted). */
void track_put(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms);
/* True when key is present and not expired at now_ms (then it becomes the
 * most recently used). An expired entry is removed and counted. */
bool track_get(struct track *t, const struct track_key *k, uint64_t now_ms);
/* Remove key; true when it was present. */
bool track_del(struct track *t, const struct track_key *k);

/* track_put, and the entry's value set to val. */
void track_put_val(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint8_t val);
/* track_get, answering the entry's value, or -1 when absent or expired. */
int track_get_val(struct track *t, const struct track_key *k, uint64_t now_ms);

/* Wider values (FS.11 state): track_put with a 32-bit value (val and aux)
 * or a 64-bit one (v64), in the key's one entry. A get answers false when
 * absent or expired. Neither is told to the observer (a shared store
 * carries one octet), nor is track_del_val64. */
void track_put_val32(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint32_t v);
bool track_get_val32(struct track *t, const struct track_key *k, uint64_t now_ms, uint32_t *v);
void track_put_val64(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint64_t v);
bool track_get_val64(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t *v);
bool track_del_val64(struct track *t, const struct track_key *k);

/* A shared store (track_redis.h) is told of every change the screening
 * makes: op TRACK_OP_PUT with the entry's absolute expiry and value, or
 * TRACK_OP_DEL. Called on the screening thread, outside the table's locks,
 * after the change; it must not block. Set before the threads start. */
enum track_op { TRACK_OP_PUT = 1, TRACK_OP_DEL = 2 };
typedef void (*track_observer_fn)(void *arg, uint8_t op, const struct track_key *k,
				  uint64_t expires_ms, uint8_t val);
void track_set_observer(struct track *t, track_observer_fn fn, void *arg);
/* What another instance put or deleted (from the shared store): applied to
 * the table without telling the observer. An entry already expired at now_ms
 * is ignored. */
void track_learn(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t expires_ms, uint8_t val);
void track_forget(struct track *t, const struct track_key *k);
/* While the shared store is unreachable with settings.state.fail = "open":
 * track_get answers true for a key it does not have (a stateful check
 * passes rather than dropping what another instance may have opened);
 * counted. track_get_val is not affected. */
void track_set_fail_open(struct track *t, bool on);
uint64_t track_fail_open_hits(const struct track *t);

/* The time (ms, to the second) of the latest put or learn of an entry of
 * kind k (the first octet of its key), 0 never: whether a kind of state
 * reaches this table at all (fsm_solicited is armed by our HLR's SRI-SM
 * answers). */
uint64_t track_kind_seen(const struct track *t, uint8_t kind);

/* Counters summed over the shards; the struct is overwritten by the next
 * call. */
const struct track_stats *track_stats(const struct track *t);
size_t track_memory(const struct track *t);   /* octets allocated */

/* Key builders. SRI-SM seen for (msisdn, smsc): IR.71 2.3.1. */
void track_key_sri(struct track_key *k, const struct digits *msisdn, const struct digits *smsc);
/* The same for the numbers in their canonical form (what the checks use). */
void track_key_sri_num(struct track_key *k, const struct num *msisdn, const struct num *smsc);
/* TCAP transaction opened in direction dir (0 in, 1 out) by the node with
 * GT node, with transaction id tid (value octets, at most TCAP_MAX_TID
 * used): IR.71 2.1.3. */
void track_key_tid(struct track_key *k, uint8_t dir, const struct digits *node, struct bytes tid);

/* FS.11 keys: kind, a sub-kind octet (domain, rule, ...), then up to two
 * canonical numbers (b may be NULL). */
void track_key_fs11(struct track_key *k, uint8_t kind, uint8_t sub, const struct num *a, const struct num *b);
/* kind + sub + direction + node GT + TID (as track_key_tid). */
void track_key_fs11_tid(struct track_key *k, uint8_t kind, uint8_t sub, const struct digits *node, struct bytes tid);

#endif
