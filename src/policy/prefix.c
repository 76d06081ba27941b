/* ss7fw — prefix sets: per-length sorted arrays of nibble-packed prefixes,
 * and of exact numbers ("=..." entries). A lookup walks the number's digits
 * once, building the packed value of the first L digits, and binary-searches
 * the prefix array of each length L present, then the exact array of the
 * number's own length. */
#include <stdlib.h>
#include <string.h>

#include "ss7fw/policy.h"
#include "ss7fw/wire.h"

struct pfx_set *pfx_new(void) { return calloc(1, sizeof(struct pfx_set)); }

static void group_free(struct pfx_group *g)
{
	for (unsigned l = 0; l <= PFX_MAX_LEN; l++)
		free(g->v[l]);
}

void pfx_free(struct pfx_set *s)
{
	if (!s)
		return;
	group_free(&s->pfx);
	group_free(&s->exact);
	free(s);
}

bool pfx_empty(const struct pfx_set *s) { return !s || (s->pfx.lenmask == 0 && s->exact.lenmask == 0); }

/* Append one packed value of length l (arrays grow by doubling: load time). */
static int push(struct pfx_set *s, struct pfx_group *g, unsigned l, uint64_t v)
{
	uint32_t n = g->n[l];
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		/* full: capacity is 8, then each power of two */
		size_t cap = n == 0 ? 8 : (size_t)n * 2;
		uint64_t *nv = realloc(g->v[l], cap * sizeof *nv);
		if (!nv)
			return -1;
		g->v[l] = nv;
	}
	g->v[l][n] = v;
	g->n[l] = n + 1;
	g->lenmask |= UINT32_C(1) << l;
	s->total++;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pfx_add(struct pfx_set *s, const char *digits)
{
	struct pfx_group *g = &s->pfx;
	if (digits[0] == '=') {
		g = &s->exact;
		digits++;
	}
	size_t l = strlen(digits);
	if (l == 0 || l > PFX_MAX_LEN)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < l; i++) {
		int h = hexval(digits[i]);
		if (h < 0)
			return -1;
		v = (v << 4) | (uint64_t)h;
	}
	return push(s, g, (unsigned)l, v);
}

void pfx_add_set(struct pfx_set *s, const struct pfx_set *from)
{
	if (!from)
		return;
	for (unsigned l = 1; l <= PFX_MAX_LEN; l++) {
		for (uint32_t i = 0; i < from->pfx.n[l]; i++)
			push(s, &s->pfx, l, from->pfx.v[l][i]);
		for (uint32_t i = 0; i < from->exact.n[l]; i++)
			push(s, &s->exact, l, from->exact.v[l][i]);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint32_t group_finalize(struct pfx_group *g)
{
	uint32_t total = 0;
	for (unsigned l = 1; l <= PFX_MAX_LEN; l++) {
		uint32_t n = g->n[l];
		if (!n)
			continue;
		qsort(g->v[l], n, sizeof(uint64_t), cmp_u64);
		uint32_t w = 1;
		for (uint32_t i = 1; i < n; i++)
			if (g->v[l][i] != g->v[l][w - 1])
				g->v[l][w++] = g->v[l][i];
		g->n[l] = w;
		total += w;
	}
	return total;
}

/* The first l - drop digits of the packed l digits v (16 digits fill all
 * 64 bits: a shift of 64 is not C's). */
static uint64_t head_digits(uint64_t v, unsigned drop)
{
	return drop >= 16 ? 0 : v >> (4 * drop);
}

/* Narrow the common prefix (len *cl, packed *cv; *cl 0xff: none yet) to
 * what it shares with the entry v of length l. */
static void common_with(unsigned *cl, uint64_t *cv, unsigned l, uint64_t v)
{
	if (*cl == 0xff) {
		*cl = l;
		*cv = v;
		return;
	}
	unsigned m = *cl < l ? *cl : l;
	uint64_t a = head_digits(*cv, *cl - m), b = head_digits(v, l - m);
	while (m && a != b) {
		a >>= 4;
		b >>= 4;
		m--;
	}
	*cl = m;
	*cv = a;
}

int pfx_finalize(struct pfx_set *s)
{
	s->total = group_finalize(&s->pfx) + group_finalize(&s->exact);
	/* sorted: what the first and the last of a length share, all of it does */
	unsigned cl = 0xff;
	uint64_t cv = 0;
	const struct pfx_group *gs[2] = { &s->pfx, &s->exact };
	for (unsigned k = 0; k < 2; k++)
		for (unsigned l = 1; l <= PFX_MAX_LEN; l++)
			if (gs[k]->n[l]) {
				common_with(&cl, &cv, l, gs[k]->v[l][0]);
				common_with(&cl, &cv, l, gs[k]->v[l][gs[k]->n[l] - 1]);
			}
	s->lcp_len = (uint8_t)(cl == 0xff ? 0 : cl);
	s->lcp = cl == 0xff ? 0 : cv;
	return 0;
}

/* Branch-free search for key in the sorted a[0..n): base ends on the last
 * element <= key (or a[0]); the comparison compiles to a conditional move,
 * so the ~17 steps of a 100k list cost no branch mispredictions. */
static bool bsearch_u64(const uint64_t *a, uint32_t n, uint64_t key)
{
	if (n == 0)
		return false;
	const uint64_t *base = a;
	while (n > 1) {
		uint32_t half = n / 2;
		base = base[half] <= key ? base + half : base;
		n -= half;
	}
	return *base == key;
}

/* One step of the walk: the packed first l digits are key; true on a hit
 * among the prefixes of length l. */
static inline bool pfx_step(const struct pfx_set *s, uint32_t pm, unsigned l, uint64_t key)
{
	return ((pm >> l) & 1) && bsearch_u64(s->pfx.v[l], s->pfx.n[l], key);
}

bool pfx_match_num(const struct pfx_set *s, const struct num *x)
{
	if (!s || !x || !x->d || x->n == 0)
		return false;
	uint32_t pm = s->pfx.lenmask;
	/* an exact entry can only be the number's own length */
	bool exact = x->n <= PFX_MAX_LEN && ((s->exact.lenmask >> x->n) & 1);
	if (!pm && !exact)
		return false;
	/* the prefixes end at the longest length present, unless an exact
	 * entry needs the whole number */
	unsigned last = exact ? x->n : 32 - (unsigned)__builtin_clz(pm) - 1;
	unsigned n = x->n < last ? x->n : last;
	unsigned lcp = s->lcp_len;
	if (x->n < lcp)
		return false;            /* shorter than what every entry begins with */
	uint64_t key = 0;
	unsigned i = 0;
	for (; i < x->pre_n && i < n; i++) {          /* the plan's country code */
		key = (key << 4) | x->pre[i];
		if (i < lcp && key != s->lcp >> (4 * (lcp - i - 1)))
			return false;
		if (pfx_step(s, pm, i + 1, key))
			return true;
	}
	const uint8_t *p = x->d->p;
	for (unsigned j = x->skip + i - x->pre_n; i < n; i++, j++) {   /* the wire digits */
		key = (key << 4) | ((p[j >> 1] >> ((j & 1) * 4)) & 0x0f);
		if (i < lcp && key != s->lcp >> (4 * (lcp - i - 1)))
			return false;
		if (pfx_step(s, pm, i + 1, key))
			return true;
	}
	return exact && bsearch_u64(s->exact.v[x->n], s->exact.n[x->n], key);
}

bool pfx_match(const struct pfx_set *s, const struct digits *d)
{
	struct num x;
	num_canon(&x, d, NUM_INTL, NULL);
	return pfx_match_num(s, &x);
}
