/* ss7fw — the correlation table shared through Redis (track-redis.h).
 *
 * Threads: the screening threads only call the observer (a mutex around a
 * copy into a ring); the writer and the reader thread each own one
 * synchronous hiredis connection with a reply timeout, so nothing here can
 * hold a screening thread for longer than that copy. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hiredis.h>

#include "ss7fw/track-redis.h"

#define TR_BATCH       512        /* changes per pipelined batch */
#define TR_BLOCK_MS    100        /* XREAD BLOCK */
#define TR_BACKOFF_MIN 100
#define TR_BACKOFF_MAX 5000
#define TR_DELAYS      4096       /* visibility delays kept for p50/p99 */
#define TR_LOAD_MAX    (64u * 1024 * 1024)  /* keys copied at start, at most */

struct tr_op {
	uint8_t op, val, klen;
	uint8_t key[TRACK_KEY_MAX];
	uint64_t expires_ms;
	uint64_t t_us;               /* when it was queued (CLOCK_REALTIME) */
};

/* A batch's stream entry: fields "i" (the writer instance) and "b", the
 * batch's changes back to back, each [op][val][klen][key: klen][expiry ms:
 * 8, little-endian][queued at, us: 8]: one XADD and one entry to read per
 * batch instead of per change (docs/architecture.md, "Several instances"). */
#define TR_REC_MAX (3 + TRACK_KEY_MAX + 16)

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static size_t rec_put(uint8_t *out, const struct tr_op *o)
{
	size_t n = 0;
	out[n++] = o->op;
	out[n++] = o->val;
	out[n++] = o->klen;
	memcpy(out + n, o->key, o->klen);
	n += o->klen;
	put_le64(out + n, o->expires_ms);
	put_le64(out + n + 8, o->t_us);
	return n + 16;
}

struct track_redis {
	struct track *t;
	struct state_cfg c;
	char pass[512];
	size_t pass_len;
	char inst[24];               /* this instance's id in the stream */
	char stream[CFG_NAME_MAX + 8];

	pthread_mutex_t mx;          /* the ring and the stats below it */
	pthread_cond_t cv;
	struct tr_op *ring;
	uint32_t cap, head, n;
	struct track_redis_stats st;
	char last_id[64];            /* stream position (set by load, then the reader's) */

	double delays[TR_DELAYS];    /* us; guarded by mx */
	uint32_t n_delays;

	struct redis_tls *tls;       /* settings.state.tls: NULL plain */
	pthread_t wth, rth;
	bool started;
	int stop;                    /* atomic */
	int down_w, down_r;          /* atomic: a connection is down */
	bool was_degraded;           /* guarded by mx */
};

static uint64_t real_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = 0;
}

static int unhex(uint8_t *out, size_t cap, const char *s, size_t n)
{
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char ch = s[i + (size_t)j];
			int x = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
			if (x < 0)
				return -1;
			v = v * 16 + x;
		}
		out[i / 2] = (uint8_t)v;
	}
	return (int)(n / 2);
}

/* ---- degraded: either connection down */

static void degraded_update(struct track_redis *tr, const char *why)
{
	bool deg = __atomic_load_n(&tr->down_w, __ATOMIC_RELAXED) ||
		   __atomic_load_n(&tr->down_r, __ATOMIC_RELAXED);
	pthread_mutex_lock(&tr->mx);
	bool changed = deg != tr->was_degraded;
	tr->was_degraded = deg;
	tr->st.degraded = deg;
	pthread_mutex_unlock(&tr->mx);
	if (!changed)
		return;
	track_set_fail_open(tr->t, deg && tr->c.fail == STATE_FAIL_OPEN);
	if (deg)
		fprintf(stderr, "ss7fw: state: Redis %s:%u unreachable (%s): degraded, screening on local state "
			"(stateful checks fail %s)\n", tr->c.host, tr->c.port, why ? why : "?",
			tr->c.fail == STATE_FAIL_OPEN ? "open" : "closed");
	else
		fprintf(stderr, "ss7fw: state: Redis %s:%u reachable again: shared state restored\n",
			tr->c.host, tr->c.port);
}

/* ---- the observer: on the screening threads */

static void tr_observe(void *arg, uint8_t op, const struct track_key *k, uint64_t expires_ms, uint8_t val)
{
	struct track_redis *tr = arg;
	uint64_t t_us = real_us();
	pthread_mutex_lock(&tr->mx);
	if (tr->n == tr->cap) {
		tr->st.dropped++;
	} else {
		struct tr_op *o = &tr->ring[(tr->head + tr->n) % tr->cap];
		o->op = op;
		o->val = val;
		o->klen = k->len;
		memcpy(o->key, k->b, k->len);
		o->expires_ms = expires_ms;
		o->t_us = t_us;
		tr->n++;
		tr->st.queued++;
		if (tr->n == 1)
			pthread_cond_signal(&tr->cv);
	}
	pthread_mutex_unlock(&tr->mx);
}

/* ---- connecting */

/* Connects and authenticates. NULL with the reason in why; *refused (if
 * not NULL) set when Redis answered but was refused (open to anyone, wrong
 * password), not when it could not be reached. */
static redisContext *tr_connect_ex(struct track_redis *tr, char *why, size_t wn, bool *refused)
{
	bool dummy;
	if (!refused)
		refused = &dummy;
	*refused = false;
	struct timeval tv = { tr->c.connect_timeout_ms / 1000, (long)(tr->c.connect_timeout_ms % 1000) * 1000 };
	redisContext *rc;
	if (tr->tls) {
		int fd = redis_tls_connect(tr->tls, tr->c.host, tr->c.port, tr->c.connect_timeout_ms, why, wn);
		if (fd < 0)
			return NULL;
		rc = redisConnectFd(fd);
		if (!rc)
			close(fd);
	} else {
		rc = redisConnectWithTimeout(tr->c.host, tr->c.port, tv);
	}
	if (!rc || rc->err) {
		snprintf(why, wn, "connect: %s", rc ? rc->errstr : "out of memory");
		if (rc)
			redisFree(rc);
		return NULL;
	}
	redisSetTimeout(rc, tv);
	/* does it answer without a password? */
	redisReply *r = redisCommand(rc, "PING");
	if (!r) {
		snprintf(why, wn, "PING: %s", rc->errstr);
		redisFree(rc);
		return NULL;
	}
	bool open = r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	if (open && !tr->c.allow_unauthenticated) {
		*refused = true;
		snprintf(why, wn, "it answers without authentication (refused; settings.state.allow_unauthenticated)");
		redisFree(rc);
		return NULL;
	}
	if (tr->pass_len) {
		const char *av[3] = { "AUTH", tr->c.user, tr->pass };
		size_t al[3] = { 4, strlen(tr->c.user), tr->pass_len };
		r = tr->c.user[0] ? redisCommandArgv(rc, 3, av, al) : redisCommandArgv(rc, 2, (const char *[]){ "AUTH", tr->pass },
											(const size_t[]){ 4, tr->pass_len });
		bool ok = r && r->type == REDIS_REPLY_STATUS;
		*refused = !ok && r && r->type == REDIS_REPLY_ERROR;
		if (!ok)
			snprintf(why, wn, "AUTH: %s", r && r->type == REDIS_REPLY_ERROR ? r->str : rc->errstr);
		if (r)
			freeReplyObject(r);
		if (!ok) {
			redisFree(rc);
			return NULL;
		}
	} else if (!open) {
		*refused = true;
		snprintf(why, wn, "it requires a password and settings.state.password_file is not set");
		redisFree(rc);
		return NULL;
	}
	return rc;
}

static redisContext *tr_connect(struct track_redis *tr, char *why, size_t wn)
{
	return tr_connect_ex(tr, why, wn, NULL);
}

/* A connection of the writer or the reader (its down flag) could not be
 * made: counted, the state said degraded, then a wait of the doubling
 * backoff that a stop cuts short. */
static void connect_failed(struct track_redis *tr, int *down, const char *why, unsigned *backoff)
{
	__atomic_store_n(down, 1, __ATOMIC_RELAXED);
	pthread_mutex_lock(&tr->mx);
	tr->st.errors++;
	pthread_mutex_unlock(&tr->mx);
	degraded_update(tr, why);
	*backoff = *backoff ? (*backoff * 2 > TR_BACKOFF_MAX ? TR_BACKOFF_MAX : *backoff * 2) : TR_BACKOFF_MIN;
	for (unsigned w = 0; w < *backoff && !__atomic_load_n(&tr->stop, __ATOMIC_ACQUIRE); w += 50)
		sleep_ms(50);
}

/* ---- writer */

static void *tr_writer(void *arg)
{
	struct track_redis *tr = arg;
	redisContext *rc = NULL;
	unsigned backoff = 0;
	bool ever = false;
	char why[256];
	struct tr_op *batch = malloc(TR_BATCH * sizeof *batch);
	uint8_t *blob = malloc(TR_BATCH * TR_REC_MAX);
	if (!blob) {
		free(batch);
		batch = NULL;
	}
	char maxlen[24];
	snprintf(maxlen, sizeof maxlen, "%u", tr->c.stream_max);
	while (batch) {
		bool stopping = __atomic_load_n(&tr->stop, __ATOMIC_ACQUIRE);
		if (!rc) {
			if (stopping)
				break;
			rc = tr_connect(tr, why, sizeof why);
			if (!rc) {
				connect_failed(tr, &tr->down_w, why, &backoff);
				continue;
			}
			backoff = 0;
			pthread_mutex_lock(&tr->mx);
			if (ever)
				tr->st.reconnects++;
			pthread_mutex_unlock(&tr->mx);
			ever = true;
			__atomic_store_n(&tr->down_w, 0, __ATOMIC_RELAXED);
			degraded_update(tr, NULL);
		}
		/* take a batch (wait up to 50 ms for one) */
		pthread_mutex_lock(&tr->mx);
		if (!tr->n && !stopping) {
			struct timespec dl;
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_nsec += 50 * 1000000L;
			if (dl.tv_nsec >= 1000000000L) {
				dl.tv_sec++;
				dl.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&tr->cv, &tr->mx, &dl);
		}
		unsigned nb = 0;
		while (tr->n && nb < TR_BATCH) {
			batch[nb++] = tr->ring[tr->head];
			tr->head = (tr->head + 1) % tr->cap;
			tr->n--;
		}
		pthread_mutex_unlock(&tr->mx);
		if (!nb) {
			if (stopping)
				break;
			continue;
		}
		/* pipelined: per change a key (SET .. PXAT / DEL: the snapshot a
		 * starting instance copies), then the batch's one stream entry */
		size_t bl = 0;
		for (unsigned i = 0; i < nb; i++) {
			const struct tr_op *o = &batch[i];
			char kname[CFG_NAME_MAX + 4 + 2 * TRACK_KEY_MAX + 1];
			int kl = snprintf(kname, sizeof kname, "%s:k:", tr->c.prefix);
			hex(kname + kl, o->key, o->klen);
			char val[48], exp[24];
			snprintf(exp, sizeof exp, "%llu", (unsigned long long)o->expires_ms);
			snprintf(val, sizeof val, "%u:%llu", o->val, (unsigned long long)o->expires_ms);
			if (o->op == TRACK_OP_PUT) {
				const char *av[] = { "SET", kname, val, "PXAT", exp };
				redisAppendCommandArgv(rc, 5, av, NULL);
			} else {
				const char *av[] = { "DEL", kname };
				redisAppendCommandArgv(rc, 2, av, NULL);
			}
			bl += rec_put(blob + bl, o);
		}
		const char *xv[] = { "XADD", tr->stream, "MAXLEN", "~", maxlen, "*", "i", tr->inst, "b", (const char *)blob };
		size_t xl[sizeof xv / sizeof xv[0]];
		for (size_t j = 0; j < sizeof xv / sizeof xv[0]; j++)
			xl[j] = strlen(xv[j]);
		xl[9] = bl;   /* binary */
		redisAppendCommandArgv(rc, (int)(sizeof xv / sizeof xv[0]), xv, xl);
		/* nb key replies, then the stream entry's: the batch is written
		 * (the other instances learn it) when the entry is */
		unsigned acked = 0, errs = 0;
		bool failed = false;
		for (unsigned i = 0; i <= nb; i++) {
			redisReply *r = NULL;
			if (redisGetReply(rc, (void **)&r) != REDIS_OK) {
				failed = true;
				snprintf(why, sizeof why, "%s", rc->errstr);
				break;
			}
			if (r->type == REDIS_REPLY_ERROR)
				errs++;
			else if (i == nb)
				acked = nb;
			freeReplyObject(r);
		}
		pthread_mutex_lock(&tr->mx);
		tr->st.redis_ops += (uint64_t)nb + 1;
		tr->st.written += acked;
		tr->st.errors += errs;
		if (failed) {
			tr->st.lost += nb - acked;
			tr->st.errors++;
		}
		pthread_mutex_unlock(&tr->mx);
		if (failed) {
			redisFree(rc);
			rc = NULL;
			__atomic_store_n(&tr->down_w, 1, __ATOMIC_RELAXED);
			degraded_update(tr, why);
		}
	}
	if (rc)
		redisFree(rc);
	free(batch);
	free(blob);
	return NULL;
}

/* ---- reader */

static const redisReply *field(const redisReply *kv, const char *name)
{
	for (size_t i = 0; i + 1 < kv->elements; i += 2)
		if (kv->element[i]->type == REDIS_REPLY_STRING && !strcmp(kv->element[i]->str, name))
			return kv->element[i + 1];
	return NULL;
}

/* An entry of one change, as instances before the batched entries wrote
 * it (fields o, k, e, v, t): read, so that an upgraded instance still
 * learns from one not yet upgraded. */
static void apply_single(struct track_redis *tr, const redisReply *kv, uint64_t now_us)
{
	const redisReply *o = field(kv, "o"), *k = field(kv, "k");
	const redisReply *x = field(kv, "e"), *v = field(kv, "v"), *t = field(kv, "t");
	if (!o || !k || o->type != REDIS_REPLY_STRING || k->type != REDIS_REPLY_STRING || !k->len ||
	    k->len > TRACK_KEY_MAX)
		return;
	struct track_key key = { .len = (uint8_t)k->len };
	memcpy(key.b, k->str, k->len);
	bool put = o->str[0] == 'p' && x && v && x->type == REDIS_REPLY_STRING && v->type == REDIS_REPLY_STRING;
	if (put)
		track_learn(tr->t, &key, now_us / 1000, strtoull(x->str, NULL, 10), (uint8_t)atoi(v->str));
	else if (o->str[0] == 'd')
		track_forget(tr->t, &key);
	else
		return;
	pthread_mutex_lock(&tr->mx);
	if (put)
		tr->st.learned++;
	else
		tr->st.forgotten++;
	if (t && t->type == REDIS_REPLY_STRING) {
		uint64_t sent = strtoull(t->str, NULL, 10);
		tr->delays[tr->n_delays++ % TR_DELAYS] = now_us > sent ? (double)(now_us - sent) : 0;
	}
	pthread_mutex_unlock(&tr->mx);
}

/* Applies one stream entry [id, ["i", inst, "b", changes]] of another
 * instance: each change of the batch (rec_put's layout, every length
 * checked) to the local table. */
static void apply_entry(struct track_redis *tr, const redisReply *e)
{
	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
	    e->element[1]->type != REDIS_REPLY_ARRAY)
		return;
	snprintf(tr->last_id, sizeof tr->last_id, "%s", e->element[0]->str);
	const redisReply *kv = e->element[1];
	const redisReply *i = field(kv, "i"), *b = field(kv, "b");
	if (!i || i->type != REDIS_REPLY_STRING || !strcmp(i->str, tr->inst))
		return;   /* our own batch, or not one to read */
	uint64_t now_us = real_us();
	if (!b) {
		apply_single(tr, kv, now_us);
		return;
	}
	if (b->type != REDIS_REPLY_STRING)
		return;
	const uint8_t *p = (const uint8_t *)b->str;
	size_t left = b->len;
	uint64_t learned = 0, forgotten = 0;
	double delays[64];
	unsigned nd = 0;
	while (left >= 3) {
		uint8_t op = p[0], val = p[1], klen = p[2];
		if (!klen || klen > TRACK_KEY_MAX || left < 3u + klen + 16u)
			break;       /* not a change of ours: the rest is not read */
		struct track_key key = { .len = klen };
		memcpy(key.b, p + 3, klen);
		uint64_t exp = get_le64(p + 3 + klen), sent = get_le64(p + 11 + klen);
		p += 3 + klen + 16;
		left -= 3u + klen + 16u;
		if (op == TRACK_OP_PUT) {
			track_learn(tr->t, &key, now_us / 1000, exp, val);
			learned++;
		} else if (op == TRACK_OP_DEL) {
			track_forget(tr->t, &key);
			forgotten++;
		} else {
			continue;
		}
		if (nd < sizeof delays / sizeof delays[0])
			delays[nd++] = now_us > sent ? (double)(now_us - sent) : 0;
	}
	pthread_mutex_lock(&tr->mx);
	tr->st.learned += learned;
	tr->st.forgotten += forgotten;
	for (unsigned k = 0; k < nd; k++)
		tr->delays[tr->n_delays++ % TR_DELAYS] = delays[k];
	pthread_mutex_unlock(&tr->mx);
}

static void *tr_reader(void *arg)
{
	struct track_redis *tr = arg;
	redisContext *rc = NULL;
	unsigned backoff = 0;
	char why[256];
	char block[16];
	snprintf(block, sizeof block, "%u", TR_BLOCK_MS);
	while (!__atomic_load_n(&tr->stop, __ATOMIC_ACQUIRE)) {
		if (!rc) {
			rc = tr_connect(tr, why, sizeof why);
			if (!rc) {
				connect_failed(tr, &tr->down_r, why, &backoff);
				continue;
			}
			backoff = 0;
			__atomic_store_n(&tr->down_r, 0, __ATOMIC_RELAXED);
			degraded_update(tr, NULL);
		}
		/* an entry is a batch of up to TR_BATCH changes: 64 of them per read */
		const char *av[] = { "XREAD", "COUNT", "64", "BLOCK", block, "STREAMS", tr->stream, tr->last_id };
		redisReply *r = redisCommandArgv(rc, 8, av, NULL);
		if (!r) {
			snprintf(why, sizeof why, "%s", rc->errstr);
			redisFree(rc);
			rc = NULL;
			pthread_mutex_lock(&tr->mx);
			tr->st.errors++;
			pthread_mutex_unlock(&tr->mx);
			__atomic_store_n(&tr->down_r, 1, __ATOMIC_RELAXED);
			degraded_update(tr, why);
			continue;
		}
		pthread_mutex_lock(&tr->mx);
		tr->st.redis_ops++;
		pthread_mutex_unlock(&tr->mx);
		if (r->type == REDIS_REPLY_ARRAY)
			for (size_t s = 0; s < r->elements; s++) {
				const redisReply *sr = r->element[s];
				if (sr->type != REDIS_REPLY_ARRAY || sr->elements != 2 ||
				    sr->element[1]->type != REDIS_REPLY_ARRAY)
					continue;
				for (size_t j = 0; j < sr->element[1]->elements; j++)
					apply_entry(tr, sr->element[1]->element[j]);
			}
		else if (r->type == REDIS_REPLY_ERROR) {
			pthread_mutex_lock(&tr->mx);
			tr->st.errors++;
			pthread_mutex_unlock(&tr->mx);
			sleep_ms(TR_BLOCK_MS);
		}
		freeReplyObject(r);
	}
	if (rc)
		redisFree(rc);
	return NULL;
}

/* ---- lifetime */

struct track_redis *track_redis_new(struct track *t, const struct state_cfg *c, FILE *err)
{
	struct track_redis *tr = calloc(1, sizeof *tr);
	if (!tr)
		return NULL;
	tr->t = t;
	tr->c = *c;
	if (!tr->c.backlog)
		tr->c.backlog = 65536;
	if (!tr->c.stream_max)
		tr->c.stream_max = 1000000;
	if (!tr->c.connect_timeout_ms)
		tr->c.connect_timeout_ms = 1000;
	if (!tr->c.port)
		tr->c.port = 6379;
	if (!tr->c.host[0])
		snprintf(tr->c.host, sizeof tr->c.host, "127.0.0.1");
	if (!tr->c.prefix[0])
		snprintf(tr->c.prefix, sizeof tr->c.prefix, "ss7fw");
	if (tr->c.password_file[0]) {
		FILE *f = fopen(tr->c.password_file, "r");
		if (!f) {
			fprintf(err, "ss7fw: state: cannot read %s: %s\n", tr->c.password_file, strerror(errno));
			free(tr);
			return NULL;
		}
		size_t n = fread(tr->pass, 1, sizeof tr->pass - 1, f);
		fclose(f);
		while (n && (tr->pass[n - 1] == '\n' || tr->pass[n - 1] == '\r'))
			n--;
		tr->pass[n] = 0;
		tr->pass_len = n;
		if (!n) {
			fprintf(err, "ss7fw: state: %s is empty\n", tr->c.password_file);
			free(tr);
			return NULL;
		}
	} else if (!tr->c.allow_unauthenticated) {
		fprintf(err, "ss7fw: state: settings.state.password_file is not set: a Redis without "
			"authentication is refused unless settings.state.allow_unauthenticated = true\n");
		free(tr);
		return NULL;
	}
	if (tr->c.tls) {
		char why[256];
		if (!tr->c.tls_ca_file[0]) {
			fprintf(err, "ss7fw: state: settings.state.tls needs tls_ca_file (the CA the Redis server's certificate chains to)\n");
			free(tr);
			return NULL;
		}
		tr->tls = redis_tls_new(&tr->c, why, sizeof why);
		if (!tr->tls) {
			fprintf(err, "ss7fw: state: TLS: %s\n", why);
			free(tr);
			return NULL;
		}
	}
	snprintf(tr->stream, sizeof tr->stream, "%s:s", tr->c.prefix);
	snprintf(tr->last_id, sizeof tr->last_id, "$");
	/* an id for this run of this instance: its own stream entries are skipped */
	uint64_t seed = real_us() ^ ((uint64_t)getpid() << 32);
	snprintf(tr->inst, sizeof tr->inst, "%016llx", (unsigned long long)(seed * 0x9e3779b97f4a7c15ull));
	tr->cap = tr->c.backlog;
	tr->ring = calloc(tr->cap, sizeof *tr->ring);
	if (!tr->ring) {
		redis_tls_free(tr->tls);
		free(tr);
		return NULL;
	}
	pthread_mutex_init(&tr->mx, NULL);
	pthread_cond_init(&tr->cv, NULL);
	/* the reader thread writes into the table beside the screening */
	track_set_shared(t, true);
	track_set_observer(t, tr_observe, tr);
	return tr;
}

long track_redis_load(struct track_redis *tr, FILE *err)
{
	char why[256];
	bool refused;
	redisContext *rc = tr_connect_ex(tr, why, sizeof why, &refused);
	if (!rc) {
		fprintf(err, "ss7fw: state: Redis %s:%u: %s\n", tr->c.host, tr->c.port, why);
		return refused ? -2 : -1;
	}
	long loaded = 0;
	/* the stream's end first: what is written during the copy is read after */
	redisReply *r = redisCommand(rc, "XREVRANGE %s + - COUNT 1", tr->stream);
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1 && r->element[0]->type == REDIS_REPLY_ARRAY &&
	    r->element[0]->elements >= 1 && r->element[0]->element[0]->type == REDIS_REPLY_STRING)
		snprintf(tr->last_id, sizeof tr->last_id, "%s", r->element[0]->element[0]->str);
	else
		snprintf(tr->last_id, sizeof tr->last_id, "0-0");
	if (r)
		freeReplyObject(r);
	char match[CFG_NAME_MAX + 8];
	snprintf(match, sizeof match, "%s:k:*", tr->c.prefix);
	size_t plen = strlen(tr->c.prefix) + 3;
	char cursor[32] = "0";
	uint64_t now_ms = real_us() / 1000, ops = 1;
	bool failed = false;
	do {
		r = redisCommand(rc, "SCAN %s MATCH %s COUNT 1000", cursor, match);
		ops++;
		if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
			failed = true;
			if (r)
				freeReplyObject(r);
			break;
		}
		snprintf(cursor, sizeof cursor, "%s", r->element[0]->str);
		const redisReply *keys = r->element[1];
		for (size_t i = 0; i < keys->elements; i++)
			redisAppendCommand(rc, "GET %b", keys->element[i]->str, keys->element[i]->len);
		for (size_t i = 0; i < keys->elements; i++) {
			redisReply *g = NULL;
			if (redisGetReply(rc, (void **)&g) != REDIS_OK) {
				failed = true;
				break;
			}
			ops++;
			const redisReply *kn = keys->element[i];
			struct track_key k;
			int kl = kn->len > plen ? unhex(k.b, sizeof k.b, kn->str + plen, kn->len - plen) : -1;
			if (kl > 0 && g->type == REDIS_REPLY_STRING) {
				unsigned val = 0;
				unsigned long long exp = 0;
				if (sscanf(g->str, "%u:%llu", &val, &exp) == 2 && exp > now_ms) {
					k.len = (uint8_t)kl;
					track_learn(tr->t, &k, now_ms, exp, (uint8_t)val);
					loaded++;
				}
			}
			freeReplyObject(g);
		}
		freeReplyObject(r);
	} while (!failed && strcmp(cursor, "0") && (size_t)loaded < TR_LOAD_MAX);
	redisFree(rc);
	pthread_mutex_lock(&tr->mx);
	tr->st.loaded += (uint64_t)loaded;
	tr->st.redis_ops += ops;
	pthread_mutex_unlock(&tr->mx);
	if (failed) {
		fprintf(err, "ss7fw: state: Redis %s:%u: the copy of the live state failed after %ld entries\n",
			tr->c.host, tr->c.port, loaded);
		return -1;
	}
	return loaded;
}

int track_redis_start(struct track_redis *tr)
{
	if (tr->started)
		return 0;
	if (pthread_create(&tr->wth, NULL, tr_writer, tr) != 0)
		return -1;
	if (pthread_create(&tr->rth, NULL, tr_reader, tr) != 0) {
		__atomic_store_n(&tr->stop, 1, __ATOMIC_RELEASE);
		pthread_join(tr->wth, NULL);
		return -1;
	}
	tr->started = true;
	return 0;
}

void track_redis_free(struct track_redis *tr)
{
	if (!tr)
		return;
	track_set_observer(tr->t, NULL, NULL);
	if (tr->started) {
		/* the writer empties the backlog if it is connected, then ends */
		uint64_t until = real_us() + 1000000;
		for (;;) {
			pthread_mutex_lock(&tr->mx);
			uint32_t n = tr->n;
			pthread_mutex_unlock(&tr->mx);
			if (!n || real_us() > until || __atomic_load_n(&tr->down_w, __ATOMIC_RELAXED))
				break;
			sleep_ms(10);
		}
		__atomic_store_n(&tr->stop, 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&tr->cv);
		pthread_join(tr->wth, NULL);
		pthread_join(tr->rth, NULL);
	}
	track_set_fail_open(tr->t, false);
	pthread_mutex_destroy(&tr->mx);
	pthread_cond_destroy(&tr->cv);
	free(tr->ring);
	redis_tls_free(tr->tls);
	memset(tr->pass, 0, sizeof tr->pass);
	free(tr);
}

void track_redis_stats(const struct track_redis *tr, struct track_redis_stats *st)
{
	struct track_redis *m = (struct track_redis *)tr;   /* the lock, not the state */
	pthread_mutex_lock(&m->mx);
	*st = tr->st;
	st->backlog = tr->n;
	pthread_mutex_unlock(&m->mx);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

bool track_redis_delay(const struct track_redis *tr, double *p50_us, double *p99_us)
{
	struct track_redis *m = (struct track_redis *)tr;
	double *d = malloc(TR_DELAYS * sizeof *d);
	if (!d)
		return false;
	pthread_mutex_lock(&m->mx);
	uint32_t n = tr->n_delays < TR_DELAYS ? tr->n_delays : TR_DELAYS;
	memcpy(d, tr->delays, n * sizeof *d);
	pthread_mutex_unlock(&m->mx);
	if (!n) {
		free(d);
		return false;
	}
	qsort(d, n, sizeof *d, cmp_d);
	*p50_us = d[n / 2];
	*p99_us = d[(size_t)((double)(n - 1) * 0.99)];
	free(d);
	return true;
}

void track_redis_metrics_prom(const struct track_redis *tr, FILE *out)
{
	if (!tr)
		return;
	struct track_redis_stats st;
	track_redis_stats(tr, &st);
	fprintf(out, "# HELP ss7fw_state_degraded 1 while the shared state (Redis) is unreachable: screening on local state.\n"
		     "# TYPE ss7fw_state_degraded gauge\nss7fw_state_degraded %d\n", st.degraded);
	fprintf(out, "# HELP ss7fw_state_backlog Correlation changes waiting to be written to Redis.\n"
		     "# TYPE ss7fw_state_backlog gauge\nss7fw_state_backlog %u\n", st.backlog);
	fprintf(out, "# HELP ss7fw_state_changes_total Correlation changes for Redis, by what became of them.\n"
		     "# TYPE ss7fw_state_changes_total counter\n"
		     "ss7fw_state_changes_total{result=\"queued\"} %llu\n"
		     "ss7fw_state_changes_total{result=\"written\"} %llu\n"
		     "ss7fw_state_changes_total{result=\"dropped_backlog_full\"} %llu\n"
		     "ss7fw_state_changes_total{result=\"lost_connection\"} %llu\n",
		(unsigned long long)st.queued, (unsigned long long)st.written, (unsigned long long)st.dropped,
		(unsigned long long)st.lost);
	fprintf(out, "# HELP ss7fw_state_learned_total Other instances' correlation changes applied here.\n"
		     "# TYPE ss7fw_state_learned_total counter\n"
		     "ss7fw_state_learned_total{op=\"put\"} %llu\nss7fw_state_learned_total{op=\"delete\"} %llu\n",
		(unsigned long long)st.learned, (unsigned long long)st.forgotten);
	fprintf(out, "# HELP ss7fw_state_loaded_total Live entries copied from Redis at start.\n"
		     "# TYPE ss7fw_state_loaded_total counter\nss7fw_state_loaded_total %llu\n", (unsigned long long)st.loaded);
	fprintf(out, "# HELP ss7fw_state_redis_ops_total Redis commands sent.\n"
		     "# TYPE ss7fw_state_redis_ops_total counter\nss7fw_state_redis_ops_total %llu\n",
		(unsigned long long)st.redis_ops);
	fprintf(out, "# HELP ss7fw_state_errors_total Redis error replies and connection failures.\n"
		     "# TYPE ss7fw_state_errors_total counter\nss7fw_state_errors_total %llu\n", (unsigned long long)st.errors);
	fprintf(out, "# HELP ss7fw_state_reconnects_total Redis connections made again after a failure.\n"
		     "# TYPE ss7fw_state_reconnects_total counter\nss7fw_state_reconnects_total %llu\n",
		(unsigned long long)st.reconnects);
	fprintf(out, "# HELP ss7fw_state_fail_open_total Stateful lookups answered present while degraded (fail = \"open\").\n"
		     "# TYPE ss7fw_state_fail_open_total counter\nss7fw_state_fail_open_total %llu\n",
		(unsigned long long)track_fail_open_hits(tr->t));
}
