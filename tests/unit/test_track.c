/* Unit tests of the correlation table (track): insert, lookup, expiry, LRU
 * eviction, memory bound, key building from BCD digits. */
#include <pthread.h>
#include <stdlib.h>

#include "harness.h"
#include "ss7fw/track.h"
#include "ss7fw/wire.h"

/* BCD digits "123..." low nibble first, as the decoder leaves them. */
static struct digits mk(uint8_t *buf, const char *s)
{
	size_t n = strlen(s);
	memset(buf, 0, (n + 1) / 2);
	for (size_t i = 0; i < n; i++)
		buf[i / 2] |= (uint8_t)((s[i] - '0') << (4 * (i & 1)));
	return (struct digits){ buf, (uint8_t)n };
}

static void test_put_get_expiry(void)
{
	struct track *t = track_new(64);
	uint8_t a[16], b[16];
	struct digits msisdn = mk(a, "9991255000001"), smsc = mk(b, "999340001");
	struct track_key k;
	track_key_sri(&k, &msisdn, &smsc);
	CHECK(!track_get(t, &k, 1000));
	track_put(t, &k, 1000, 600000);
	CHECK(track_get(t, &k, 1000 + 599999));
	CHECK(!track_get(t, &k, 1000 + 600000));        /* expired exactly at the window */
	CHECK_INT(track_stats(t)->expired, 1);
	CHECK_INT(track_stats(t)->entries, 0);
	/* other SMSC, same MSISDN: another key */
	uint8_t c[16];
	struct digits smsc2 = mk(c, "999340002");
	struct track_key k2;
	track_key_sri(&k2, &msisdn, &smsc2);
	track_put(t, &k, 0, 10);
	CHECK(!track_get(t, &k2, 1));
	CHECK(track_get(t, &k, 1));
	CHECK(track_del(t, &k));
	CHECK(!track_del(t, &k));
	track_free(t);
}

static void test_lru_eviction(void)
{
	struct track *t = track_new(16);
	CHECK_INT(track_stats(t)->max_entries, 16);
	struct track_key k[20];
	for (int i = 0; i < 20; i++) {
		uint8_t tid[4] = { 0, 0, 0, (uint8_t)i };
		uint8_t g[8];
		struct digits gt = mk(g, "9991255");
		track_key_tid(&k[i], 1, &gt, (struct bytes){ tid, 4 });
		track_put(t, &k[i], 0, 1000000);
		if (i == 15)
			CHECK(track_get(t, &k[0], 1));  /* 0 becomes most recently used */
	}
	CHECK_INT(track_stats(t)->entries, 16);
	CHECK_INT(track_stats(t)->evictions, 4);
	CHECK(track_get(t, &k[0], 2));               /* survived: it was used */
	CHECK(!track_get(t, &k[1], 2));              /* evicted first */
	CHECK(!track_get(t, &k[4], 2));
	CHECK(track_get(t, &k[5], 2));
	CHECK(track_get(t, &k[19], 2));
	track_free(t);
}

static void test_tid_key_direction(void)
{
	struct track *t = track_new(16);
	uint8_t g[8];
	struct digits gt = mk(g, "9991255");
	uint8_t tid[4] = { 1, 2, 3, 4 };
	struct track_key in, out;
	track_key_tid(&in, 0, &gt, (struct bytes){ tid, 4 });
	track_key_tid(&out, 1, &gt, (struct bytes){ tid, 4 });
	track_put(t, &out, 0, 100);
	CHECK(!track_get(t, &in, 1));
	CHECK(track_get(t, &out, 1));
	/* a 6-octet id is a different key than its 4-octet prefix */
	uint8_t tid6[6] = { 1, 2, 3, 4, 5, 6 };
	struct track_key l;
	track_key_tid(&l, 1, &gt, (struct bytes){ tid6, 6 });
	CHECK(!track_get(t, &l, 1));
	track_free(t);
}

/* A million entries fit under 128 MB and keep working. */
static void test_million(void)
{
	struct track *t = track_new(1000000);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(track_memory(t) < 128u * 1024 * 1024);
	uint8_t g[8];
	struct digits gt = mk(g, "9991255");
	for (uint32_t i = 0; i < 1100000; i++) {
		uint8_t tid[4] = { (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		struct track_key k;
		track_key_tid(&k, 1, &gt, (struct bytes){ tid, 4 });
		track_put(t, &k, 0, 1000);
	}
	CHECK_INT(track_stats(t)->entries, 1000000);
	CHECK_INT(track_stats(t)->evictions, 100000);
	uint8_t last[4] = { 0, 0x10, 0xc8, 0xdf };   /* 1099999 */
	struct track_key k;
	track_key_tid(&k, 1, &gt, (struct bytes){ last, 4 });
	CHECK(track_get(t, &k, 1));
	uint8_t first[4] = { 0, 0, 0, 0 };
	track_key_tid(&k, 1, &gt, (struct bytes){ first, 4 });
	CHECK(!track_get(t, &k, 1));
	track_free(t);
}

/* Shared by several threads (track_set_shared): each thread puts, reads,
 * refreshes and deletes its own keys while the others do the same in the
 * same shards; every count is exact afterwards. Without the shards' locks
 * the chains and LRU lists are corrupted and the counts are off. */
enum { SH_THREADS = 4, SH_KEYS = 12000, SH_ROUNDS = 20 };
static pthread_barrier_t sh_start;
struct sh_arg {
	struct track *t;
	int id;
	uint64_t hits, missing, vals_ok;
};

static void *sh_worker(void *arg)
{
	struct sh_arg *a = arg;
	uint8_t g[8];
	struct digits gt = mk(g, "9991255");
	pthread_barrier_wait(&sh_start);   /* all at once */
	for (int round = 0; round < SH_ROUNDS; round++) {
		for (uint32_t i = 0; i < SH_KEYS; i++) {
			uint8_t tid[4] = { (uint8_t)a->id, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
			struct track_key k;
			track_key_tid(&k, 0, &gt, (struct bytes){ tid, 4 });
			track_put_val(a->t, &k, 0, 1000000, (uint8_t)(i + (uint32_t)a->id));
		}
	}
	for (uint32_t i = 0; i < SH_KEYS; i++) {
		uint8_t tid[4] = { (uint8_t)a->id, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		struct track_key k;
		track_key_tid(&k, 0, &gt, (struct bytes){ tid, 4 });
		int v = track_get_val(a->t, &k, 1);
		a->hits += v >= 0;
		a->vals_ok += v == (uint8_t)(i + (uint32_t)a->id);
		if (i % 2 && !track_del(a->t, &k))
			a->missing++;
	}
	return NULL;
}

static void test_shared_threads(void)
{
	struct track *t = track_new(1u << 16);   /* 4 shards: the threads meet often */
	CHECK(t != NULL);
	if (!t)
		return;
	track_set_shared(t, true);
	pthread_barrier_init(&sh_start, NULL, SH_THREADS);
	pthread_t th[SH_THREADS];
	struct sh_arg a[SH_THREADS];
	for (int i = 0; i < SH_THREADS; i++) {
		a[i] = (struct sh_arg){ .t = t, .id = i + 1 };
		CHECK(pthread_create(&th[i], NULL, sh_worker, &a[i]) == 0);
	}
	uint64_t hits = 0, missing = 0, vals_ok = 0;
	for (int i = 0; i < SH_THREADS; i++) {
		pthread_join(th[i], NULL);
		hits += a[i].hits;
		missing += a[i].missing;
		vals_ok += a[i].vals_ok;
	}
	pthread_barrier_destroy(&sh_start);
	const struct track_stats *st = track_stats(t);
	CHECK_INT(hits, SH_THREADS * SH_KEYS);
	CHECK_INT(vals_ok, SH_THREADS * SH_KEYS);
	CHECK_INT(missing, 0);
	CHECK_INT(st->inserts, SH_THREADS * SH_KEYS);
	CHECK_INT(st->updates, SH_THREADS * SH_KEYS * (SH_ROUNDS - 1));
	CHECK_INT(st->hits, SH_THREADS * SH_KEYS);
	CHECK_INT(st->removed, SH_THREADS * SH_KEYS / 2);
	CHECK_INT(st->entries, SH_THREADS * SH_KEYS / 2);
	CHECK_INT(st->evictions, 0);
	CHECK_INT(st->max_entries, 1u << 16);
	track_free(t);
}

/* The FS.11 values: 32 and 64 bits in one entry, their expiry,
 * their bound (a full table evicts the least recently used, a 64-bit value
 * evicted like any entry), FS.11 keys by canonical number. */
static void test_wide_values(void)
{
	struct track *t = track_new(16);
	uint8_t a[16], b[16];
	struct digits imsi_d = mk(a, "999010000000001"), gt_d = mk(b, "99934100001");
	struct num imsi, gt;
	num_canon(&imsi, &imsi_d, NUM_OTHER, NULL);
	num_canon(&gt, &gt_d, NUM_INTL, NULL);
	struct track_key k, k2;
	track_key_fs11(&k, TRACK_KIND_LOC, 0, &imsi, NULL);
	track_key_fs11(&k2, TRACK_KIND_LOC, 1, &imsi, NULL);   /* another domain: another key */
	uint32_t v = 0;
	CHECK(!track_get_val32(t, &k, 0, &v));
	track_put_val32(t, &k, 0, 1000, 0xfedcba98u);
	CHECK(track_get_val32(t, &k, 999, &v));
	CHECK_INT(v, 0xfedcba98u);
	CHECK(!track_get_val32(t, &k2, 999, &v));
	CHECK(!track_get_val32(t, &k, 1000, &v));              /* expired */
	/* 64 bits */
	struct track_key k3;
	track_key_fs11(&k3, TRACK_KIND_SRI_ANSWER, 0, &imsi, &gt);
	uint64_t w = 0;
	track_put_val64(t, &k3, 0, 5000, UINT64_C(0x0123456789abcdef));
	CHECK_INT(track_stats(t)->entries, 1);   /* one entry */
	CHECK(track_get_val64(t, &k3, 10, &w));
	CHECK(w == UINT64_C(0x0123456789abcdef));
	CHECK(track_del_val64(t, &k3));
	CHECK(!track_get_val64(t, &k3, 10, &w));
	CHECK_INT(track_stats(t)->entries, 0);
	/* the bound: 16 entries; 20 32-bit values evict the 4 oldest */
	struct track_key kk[20];
	for (int i = 0; i < 20; i++) {
		uint8_t d[16];
		char s[32];
		snprintf(s, sizeof s, "9990100000%05d", i);
		struct digits dd = mk(d, s);
		struct num n;
		num_canon(&n, &dd, NUM_OTHER, NULL);
		track_key_fs11(&kk[i], TRACK_KIND_LOC, 0, &n, NULL);
		track_put_val32(t, &kk[i], 0, 100000, (uint32_t)i);
	}
	CHECK_INT(track_stats(t)->entries, 16);
	CHECK_INT(track_stats(t)->evictions, 4);
	CHECK(!track_get_val32(t, &kk[0], 1, &v));
	CHECK(track_get_val32(t, &kk[19], 1, &v));
	CHECK_INT(v, 19);
	/* a 64-bit value is evicted like any entry: in a table of 16 it stays
	 * while 15 new keys come, and goes at the 16th */
	for (int round = 0; round < 2; round++) {
		track_put_val64(t, &k3, 0, 100000, 7);
		for (int i = 0; i < 15 + round; i++) {
			uint8_t d[16];
			char s[32];
			snprintf(s, sizeof s, "999010000%d%05d", round + 1, i);
			struct digits dd = mk(d, s);
			struct num n;
			num_canon(&n, &dd, NUM_OTHER, NULL);
			struct track_key kn;
			track_key_fs11(&kn, TRACK_KIND_LOC, 0, &n, NULL);
			track_put_val32(t, &kn, 0, 100000, (uint32_t)i);
		}
		w = 0;
		CHECK_INT(track_get_val64(t, &k3, 1, &w), round == 0);
		CHECK(w == (round == 0 ? 7 : 0));
	}
	track_free(t);
}

TEST_MAIN("test_track", {
	RUN(test_wide_values);
	RUN(test_put_get_expiry);
	RUN(test_lru_eviction);
	RUN(test_tid_key_direction);
	RUN(test_million);
	RUN(test_shared_threads);
})
