/* ss7fw — correlation state: fixed-size entries, chained hashing through a
 * bucket index, LRU eviction (see include/ss7fw/track-t.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ss7fw/track.h"
#include "ss7fw/wire.h"

#define TRACK_SHARDS    64           /* at most */
#define TRACK_SHARD_MIN 16384        /* entries per shard at least (else fewer shards) */

/* One shard: a complete table of its own (entries, buckets, LRU, free
 * list, counters) behind its own lock. */
struct shard {
	struct track_entry *e;       /* e[1..max]; e[0] unused (mmap, e_bytes) */
	size_t e_bytes;
	uint32_t *bucket;            /* heads, 1-based entry indices */
	uint32_t nbucket_mask;
	uint32_t max, hwm;           /* entries ever used: 1..hwm */
	uint32_t free_head;          /* removed entries, linked through chain */
	uint32_t lru_head, lru_tail; /* most / least recently used */
	struct track_stats st;
	pthread_mutex_t mx;
} __attribute__((aligned(64)));

/* The table: 2^k shards chosen by the high bits of the key's hash (the
 * buckets use the low bits). A small table is one shard, so its LRU order
 * is exact; a large one (TRACK_SHARD_MIN entries per shard at least) has up
 * to TRACK_SHARDS, each evicting its own least recently used entry. The
 * shards' locks are taken only once track_set_shared(t, true). */
struct track {
	struct shard *sh;
	uint32_t nshard_mask;
	bool shared;
	track_observer_fn obs;       /* told of every put / delete (a shared store) */
	void *obs_arg;
	int fail_open;               /* atomic: a miss answers "present" (track_set_fail_open) */
	uint64_t fail_open_hits;     /* atomic: misses answered "present" */
	uint64_t kind_seen[TRACK_KIND__COUNT]; /* atomic: track_kind_seen */
	size_t mem;
	pthread_mutex_t sum_mx;
	struct track_stats sum;      /* what track_stats answers */
};

/* The key's hash: eight octets at a time (a key is at most TRACK_KEY_MAX
 * octets), each word mixed by a multiply and a fold, the length in the seed.
 * Computed once per operation: the high bits choose the shard, the low
 * bits the bucket. */
static uint64_t key_hash(const uint8_t *b, size_t n)
{
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ ((uint64_t)n * UINT64_C(0xff51afd7ed558ccd));
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
		h ^= h >> 32;
		b += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, b, n);
		h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
		h ^= h >> 32;
	}
	h *= UINT64_C(0xff51afd7ed558ccd);
	return h ^ (h >> 29);
}

static int shard_init(struct shard *t, uint32_t max_entries, size_t *mem)
{
	uint32_t nb = 1;
	while (nb < max_entries)
		nb <<= 1;
	/* mmap: page-aligned (an entry is one cache line), zeroed, and the
	 * pages stay uncommitted until used; calloc for the buckets likewise */
	t->e_bytes = ((size_t)max_entries + 1) * sizeof *t->e;
	void *e = mmap(NULL, t->e_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t->e = e == MAP_FAILED ? NULL : e;
	t->bucket = calloc(nb, sizeof *t->bucket);
	if (!t->e || !t->bucket)
		return -1;
	t->nbucket_mask = nb - 1;
	t->max = max_entries;
	t->st.max_entries = max_entries;
	*mem += ((size_t)max_entries + 1) * sizeof *t->e + (size_t)nb * sizeof *t->bucket;
	return pthread_mutex_init(&t->mx, NULL) == 0 ? 0 : -1;
}

struct track *track_new(uint32_t max_entries)
{
	if (max_entries < TRACK_MIN_ENTRIES)
		max_entries = TRACK_MIN_ENTRIES;
	if (max_entries > TRACK_MAX_ENTRIES)
		max_entries = TRACK_MAX_ENTRIES;
	uint32_t ns = 1;
	while (ns < TRACK_SHARDS && max_entries / (ns * 2) >= TRACK_SHARD_MIN)
		ns <<= 1;
	struct track *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->sh = aligned_alloc(64, ns * sizeof *t->sh);
	if (!t->sh) {
		free(t);
		return NULL;
	}
	memset(t->sh, 0, ns * sizeof *t->sh);
	t->nshard_mask = ns - 1;
	t->mem = sizeof *t + ns * sizeof *t->sh;
	pthread_mutex_init(&t->sum_mx, NULL);
	for (uint32_t i = 0; i < ns; i++) {
		/* the first shards take the remainder: the sum is max_entries */
		uint32_t m = max_entries / ns + (i < max_entries % ns ? 1 : 0);
		if (shard_init(&t->sh[i], m, &t->mem) < 0) {
			track_free(t);
			return NULL;
		}
	}
	t->sum.max_entries = max_entries;
	return t;
}

void track_free(struct track *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i <= t->nshard_mask; i++) {
		if (t->sh[i].e)
			munmap(t->sh[i].e, t->sh[i].e_bytes);
		free(t->sh[i].bucket);
		if (t->sh[i].e)
			pthread_mutex_destroy(&t->sh[i].mx);
	}
	pthread_mutex_destroy(&t->sum_mx);
	free(t->sh);
	free(t);
}

void track_set_shared(struct track *t, bool on)
{
	t->shared = on;
}

/* The sum over the shards (each read under its lock when shared). */
const struct track_stats *track_stats(const struct track *tc)
{
	struct track *t = (struct track *)tc;   /* the sum is a cache, not the table */
	struct track_stats s = { .max_entries = t->sum.max_entries };
	for (uint32_t i = 0; i <= t->nshard_mask; i++) {
		struct shard *h = &t->sh[i];
		if (t->shared)
			pthread_mutex_lock(&h->mx);
		s.inserts += h->st.inserts;
		s.updates += h->st.updates;
		s.hits += h->st.hits;
		s.misses += h->st.misses;
		s.expired += h->st.expired;
		s.evictions += h->st.evictions;
		s.removed += h->st.removed;
		s.entries += h->st.entries;
		if (t->shared)
			pthread_mutex_unlock(&h->mx);
	}
	pthread_mutex_lock(&t->sum_mx);
	t->sum = s;
	pthread_mutex_unlock(&t->sum_mx);
	return &t->sum;
}

size_t track_memory(const struct track *t) { return t->mem; }

static void lru_unlink(struct shard *t, uint32_t i)
{
	struct track_entry *x = &t->e[i];
	if (x->lru_prev)
		t->e[x->lru_prev].lru_next = x->lru_next;
	else
		t->lru_head = x->lru_next;
	if (x->lru_next)
		t->e[x->lru_next].lru_prev = x->lru_prev;
	else
		t->lru_tail = x->lru_prev;
	x->lru_prev = x->lru_next = 0;
}

static void lru_push_head(struct shard *t, uint32_t i)
{
	struct track_entry *x = &t->e[i];
	x->lru_prev = 0;
	x->lru_next = t->lru_head;
	if (t->lru_head)
		t->e[t->lru_head].lru_prev = i;
	t->lru_head = i;
	if (!t->lru_tail)
		t->lru_tail = i;
}

/* Find key: returns its index (and the index before it in the chain). */
static uint32_t find(const struct shard *t, const struct track_key *k, uint32_t b, uint32_t *prev)
{
	uint32_t p = 0;
	for (uint32_t i = t->bucket[b]; i; i = t->e[i].chain) {
		const struct track_entry *x = &t->e[i];
		if (x->klen == k->len && memcmp(x->key, k->b, k->len) == 0) {
			if (prev)
				*prev = p;
			return i;
		}
		p = i;
	}
	return 0;
}

/* Unlink entry i (known to be in bucket b after prev) and free it. */
static void remove_at(struct shard *t, uint32_t b, uint32_t prev, uint32_t i)
{
	if (prev)
		t->e[prev].chain = t->e[i].chain;
	else
		t->bucket[b] = t->e[i].chain;
	lru_unlink(t, i);
	memset(&t->e[i], 0, sizeof t->e[i]);
	t->e[i].chain = t->free_head;
	t->free_head = i;
	t->st.entries--;
}

static void remove_entry(struct shard *t, uint32_t i)
{
	uint32_t b = (uint32_t)key_hash(t->e[i].key, t->e[i].klen) & t->nbucket_mask;
	uint32_t prev = 0;
	for (uint32_t j = t->bucket[b]; j; j = t->e[j].chain) {
		if (j == i) {
			remove_at(t, b, prev, i);
			return;
		}
		prev = j;
	}
}

static uint32_t shard_put(struct shard *t, const struct track_key *k, uint64_t hash, uint64_t now_ms, uint64_t ttl_ms)
{
	uint32_t b = (uint32_t)hash & t->nbucket_mask;
	uint32_t i = find(t, k, b, NULL);
	if (i) {
		t->e[i].expires_ms = now_ms + ttl_ms;
		lru_unlink(t, i);
		lru_push_head(t, i);
		t->st.updates++;
		return i;
	}
	if (t->free_head) {
		i = t->free_head;
		t->free_head = t->e[i].chain;
	} else if (t->hwm < t->max) {
		i = ++t->hwm;
	} else {
		/* full: the least recently used entry goes */
		uint32_t v = t->lru_tail;
		if (t->e[v].expires_ms <= now_ms)
			t->st.expired++;
		else
			t->st.evictions++;
		remove_entry(t, v);
		i = t->free_head;
		t->free_head = t->e[i].chain;
	}
	struct track_entry *x = &t->e[i];
	memset(x, 0, sizeof *x);
	x->used = 1;
	x->klen = k->len;
	memcpy(x->key, k->b, k->len);
	x->expires_ms = now_ms + ttl_ms;
	x->chain = t->bucket[b];
	t->bucket[b] = i;
	lru_push_head(t, i);
	t->st.entries++;
	t->st.inserts++;
	return i;
}

/* The entry of key, live at now_ms (then most recently used), or 0. */
static uint32_t shard_get(struct shard *t, const struct track_key *k, uint64_t hash, uint64_t now_ms)
{
	uint32_t b = (uint32_t)hash & t->nbucket_mask;
	uint32_t prev = 0;
	uint32_t i = find(t, k, b, &prev);
	if (!i) {
		t->st.misses++;
		return 0;
	}
	if (t->e[i].expires_ms <= now_ms) {
		remove_at(t, b, prev, i);
		t->st.expired++;
		t->st.misses++;
		return 0;
	}
	lru_unlink(t, i);
	lru_push_head(t, i);
	t->st.hits++;
	return i;
}

static bool shard_del(struct shard *t, const struct track_key *k, uint64_t hash)
{
	uint32_t b = (uint32_t)hash & t->nbucket_mask;
	uint32_t prev = 0;
	uint32_t i = find(t, k, b, &prev);
	if (!i)
		return false;
	remove_at(t, b, prev, i);
	t->st.removed++;
	return true;
}

/* ---- the public operations: the key's shard, under its lock when shared */

static struct shard *shard_of(struct track *t, const struct track_key *k, uint64_t *hash)
{
	*hash = key_hash(k->b, k->len);
	struct shard *h = &t->sh[(*hash >> 40) & t->nshard_mask];
	if (t->shared)
		pthread_mutex_lock(&h->mx);
	return h;
}

static void shard_done(struct track *t, struct shard *h)
{
	if (t->shared)
		pthread_mutex_unlock(&h->mx);
}

/* Stamp the kind of k as seen at now_ms: written at most once a second, so
 * that the threads do not pass its cache line to and fro on every put. */
static void kind_stamp(struct track *t, const struct track_key *k, uint64_t now_ms)
{
	if (!k->len || k->b[0] >= TRACK_KIND__COUNT)
		return;
	uint64_t *s = &t->kind_seen[k->b[0]];
	uint64_t was = __atomic_load_n(s, __ATOMIC_RELAXED);
	if (now_ms >= was + 1000 || !was)
		__atomic_store_n(s, now_ms ? now_ms : 1, __ATOMIC_RELAXED);
}

uint64_t track_kind_seen(const struct track *t, uint8_t kind)
{
	return kind < TRACK_KIND__COUNT ? __atomic_load_n(&t->kind_seen[kind], __ATOMIC_RELAXED) : 0;
}

void track_put(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms)
{
	kind_stamp(t, k, now_ms);
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	uint32_t i = shard_put(h, k, hk, now_ms, ttl_ms);
	uint8_t val = h->e[i].val;
	shard_done(t, h);
	if (t->obs)
		t->obs(t->obs_arg, TRACK_OP_PUT, k, now_ms + ttl_ms, val);
}

bool track_get(struct track *t, const struct track_key *k, uint64_t now_ms)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	bool found = shard_get(h, k, hk, now_ms) != 0;
	shard_done(t, h);
	if (!found && __atomic_load_n(&t->fail_open, __ATOMIC_RELAXED)) {
		__atomic_fetch_add(&t->fail_open_hits, 1, __ATOMIC_RELAXED);
		return true;
	}
	return found;
}

bool track_del(struct track *t, const struct track_key *k)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	bool found = shard_del(h, k, hk);
	shard_done(t, h);
	if (found && t->obs)
		t->obs(t->obs_arg, TRACK_OP_DEL, k, 0, 0);
	return found;
}

void track_put_val(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint8_t val)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	h->e[shard_put(h, k, hk, now_ms, ttl_ms)].val = val;
	shard_done(t, h);
	if (t->obs)
		t->obs(t->obs_arg, TRACK_OP_PUT, k, now_ms + ttl_ms, val);
}

void track_set_observer(struct track *t, track_observer_fn fn, void *arg)
{
	t->obs_arg = arg;
	t->obs = fn;
}

void track_learn(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t expires_ms, uint8_t val)
{
	if (expires_ms <= now_ms)
		return;
	kind_stamp(t, k, now_ms);
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	uint32_t i = shard_put(h, k, hk, now_ms, expires_ms - now_ms);
	h->e[i].val = val;
	shard_done(t, h);
}

void track_forget(struct track *t, const struct track_key *k)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	(void)shard_del(h, k, hk);
	shard_done(t, h);
}

void track_set_fail_open(struct track *t, bool on)
{
	__atomic_store_n(&t->fail_open, on ? 1 : 0, __ATOMIC_RELAXED);
}

uint64_t track_fail_open_hits(const struct track *t)
{
	return __atomic_load_n(&t->fail_open_hits, __ATOMIC_RELAXED);
}

int track_get_val(struct track *t, const struct track_key *k, uint64_t now_ms)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	uint32_t i = shard_get(h, k, hk, now_ms);
	int val = i ? h->e[i].val : -1;
	shard_done(t, h);
	return val;
}

/* Append the digits of d (at most TRACK_KEY_DIGITS) as a count octet and
 * packed nibbles, straight from the BCD view. */
static void key_digits(struct track_key *k, const struct digits *d)
{
	unsigned n = d && d->p ? d->n : 0;
	if (n > TRACK_KEY_DIGITS)
		n = TRACK_KEY_DIGITS;
	k->b[k->len++] = (uint8_t)n;
	for (unsigned i = 0; i < n; i += 2) {
		uint8_t lo = digits_at(d, i);
		uint8_t hi = i + 1 < n ? digits_at(d, i + 1) : 0;
		k->b[k->len++] = (uint8_t)(lo | (hi << 4));
	}
}

void track_key_sri(struct track_key *k, const struct digits *msisdn, const struct digits *smsc)
{
	struct num a, b;
	num_canon(&a, msisdn, NUM_INTL, NULL);
	num_canon(&b, smsc, NUM_INTL, NULL);
	track_key_sri_num(k, &a, &b);
}

void track_key_tid(struct track_key *k, uint8_t dir, const struct digits *node, struct bytes tid)
{
	k->len = 0;
	k->b[k->len++] = TRACK_KIND_TID;
	k->b[k->len++] = dir;
	key_digits(k, node);
	size_t n = tid.p ? tid.len : 0;
	if (n > TCAP_MAX_TID)
		n = TCAP_MAX_TID;
	k->b[k->len++] = (uint8_t)n;
	memcpy(k->b + k->len, tid.p ? tid.p : (const uint8_t *)"", n);
	k->len = (uint8_t)(k->len + n);
}

/* key_digits for a canonical number: the same layout, so a number written
 * internationally and nationally gives the same key. */
static void key_num(struct track_key *k, const struct num *x)
{
	unsigned n = x && x->d ? x->n : 0;
	if (n > TRACK_KEY_DIGITS)
		n = TRACK_KEY_DIGITS;
	k->b[k->len++] = (uint8_t)n;
	for (unsigned i = 0; i < n; i += 2) {
		uint8_t lo = num_at(x, i);
		uint8_t hi = i + 1 < n ? num_at(x, i + 1) : 0;
		k->b[k->len++] = (uint8_t)(lo | (hi << 4));
	}
}

void track_key_sri_num(struct track_key *k, const struct num *msisdn, const struct num *smsc)
{
	k->len = 0;
	k->b[k->len++] = TRACK_KIND_SRI_SM;
	key_num(k, msisdn);
	key_num(k, smsc);
}

/* ---- wider values (FS.11 state) */
_Static_assert(sizeof(struct track_entry) == 64, "an entry is one cache line");

void track_put_val32(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint32_t v)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	struct track_entry *x = &h->e[shard_put(h, k, hk, now_ms, ttl_ms)];
	x->val = (uint8_t)v;
	x->aux[0] = (uint8_t)(v >> 8);
	x->aux[1] = (uint8_t)(v >> 16);
	x->aux[2] = (uint8_t)(v >> 24);
	shard_done(t, h);
}

bool track_get_val32(struct track *t, const struct track_key *k, uint64_t now_ms, uint32_t *v)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	uint32_t i = shard_get(h, k, hk, now_ms);
	if (i) {
		const struct track_entry *x = &h->e[i];
		*v = x->val | (uint32_t)x->aux[0] << 8 | (uint32_t)x->aux[1] << 16 | (uint32_t)x->aux[2] << 24;
	}
	shard_done(t, h);
	return i != 0;
}

void track_put_val64(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t ttl_ms, uint64_t v)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	h->e[shard_put(h, k, hk, now_ms, ttl_ms)].v64 = v;
	shard_done(t, h);
}

bool track_get_val64(struct track *t, const struct track_key *k, uint64_t now_ms, uint64_t *v)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	uint32_t i = shard_get(h, k, hk, now_ms);
	if (i)
		*v = h->e[i].v64;
	shard_done(t, h);
	return i != 0;
}

bool track_del_val64(struct track *t, const struct track_key *k)
{
	uint64_t hk;
	struct shard *h = shard_of(t, k, &hk);
	bool found = shard_del(h, k, hk);
	shard_done(t, h);
	return found;
}

void track_key_fs11(struct track_key *k, uint8_t kind, uint8_t sub, const struct num *a, const struct num *b)
{
	k->len = 0;
	k->b[k->len++] = kind;
	k->b[k->len++] = sub;
	key_num(k, a);
	if (b)
		key_num(k, b);
}

void track_key_fs11_tid(struct track_key *k, uint8_t kind, uint8_t sub, const struct digits *node, struct bytes tid)
{
	track_key_tid(k, sub, node, tid);
	k->b[0] = kind;
}
