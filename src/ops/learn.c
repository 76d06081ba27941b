/* ss7fw — helpers of `ss7fw learn`: GT prefix aggregation and a bounded JSON
 * reader for the MSU records of the event log. See include/ss7fw/learn.h. */
#include <string.h>

#include "ss7fw/learn.h"

bool learn_has_prefix(const char *s, const char *p)
{
	size_t n = strlen(p);
	return strncmp(s, p, n) == 0;
}

/* Length of the prefix common to a and b. */
static size_t common_len(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

size_t learn_aggregate(const char *const *gts, size_t n, unsigned min_len,
		       char out[][LEARN_PFX_MAX + 1], size_t cap)
{
	if (min_len < 1)
		min_len = 1;
	if (min_len > LEARN_PFX_MAX)
		min_len = LEARN_PFX_MAX;
	size_t total = 0;
	/* the last prefix emitted: sorted input makes every covered prefix
	 * follow the one that covers it */
	char last[LEARN_PFX_MAX + 1] = "";
	bool have_last = false;
	size_t i = 0;
	while (i < n) {
		const char *first = gts[i];
		size_t flen = strlen(first);
		size_t key = flen < min_len ? flen : min_len;
		/* the cluster: the GTs that share first's first `key` digits (a GT
		 * shorter than min_len stands alone) */
		size_t j = i + 1;
		if (flen >= min_len)
			while (j < n && strlen(gts[j]) >= min_len && strncmp(gts[j], first, key) == 0)
				j++;
		size_t lcp = j - i == 1 ? flen : common_len(first, gts[j - 1]);
		if (lcp > LEARN_PFX_MAX)
			lcp = LEARN_PFX_MAX;
		char p[LEARN_PFX_MAX + 1];
		memcpy(p, first, lcp);
		p[lcp] = 0;
		i = j;
		if (lcp == 0 || (have_last && learn_has_prefix(p, last)))
			continue;
		if (total < cap)
			memcpy(out[total], p, lcp + 1);
		total++;
		memcpy(last, p, lcp + 1);
		have_last = true;
	}
	return total;
}

/* ---- JSON */
struct jp {
	const char *s;
	size_t len, pos;
	struct json_tok *t;
	unsigned cap, n;
};

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int new_tok(struct jp *p, uint8_t type, size_t start)
{
	if (p->n >= p->cap)
		return -1;
	p->t[p->n] = (struct json_tok){ .type = type, .start = (uint32_t)start };
	return (int)p->n++;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string at p->pos (the opening quote). */
static int parse_string(struct jp *p)
{
	size_t start = ++p->pos;
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == '"') {
			int i = new_tok(p, JSON_STR, start);
			if (i < 0)
				return -1;
			p->t[i].len = (uint32_t)(p->pos - start);
			p->t[i].end = p->n;
			p->pos++;
			return i;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (p->pos + 1 >= p->len)
				return -1;
			char e = p->s[p->pos + 1];
			if (e == 'u') {
				if (p->pos + 5 >= p->len)
					return -1;
				for (int k = 2; k < 6; k++)
					if (!is_hex(p->s[p->pos + k]))
						return -1;
				p->pos += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", e))
				return -1;
			p->pos += 2;
			continue;
		}
		p->pos++;
	}
	return -1;
}

static int parse_value(struct jp *p, unsigned depth);

static int parse_container(struct jp *p, unsigned depth, bool obj)
{
	if (depth >= JSON_MAX_DEPTH)
		return -1;
	int i = new_tok(p, obj ? JSON_OBJ : JSON_ARR, p->pos);
	if (i < 0)
		return -1;
	p->pos++;
	skip_ws(p);
	char close = obj ? '}' : ']';
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->t[i].end = p->n;
		return i;
	}
	for (;;) {
		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"' || parse_string(p) < 0)
				return -1;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return -1;
			p->pos++;
		}
		if (parse_value(p, depth + 1) < 0)
			return -1;
		skip_ws(p);
		if (p->pos >= p->len)
			return -1;
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] != close)
			return -1;
		p->pos++;
		p->t[i].end = p->n;
		return i;
	}
}

static int parse_number(struct jp *p)
{
	size_t start = p->pos;
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	size_t d0 = p->pos;
	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	if (p->pos == d0 || (p->s[d0] == '0' && p->pos - d0 > 1))
		return -1;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		size_t f0 = ++p->pos;
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == f0)
			return -1;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		size_t e0 = p->pos;
		while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			p->pos++;
		if (p->pos == e0)
			return -1;
	}
	int i = new_tok(p, JSON_NUM, start);
	if (i < 0)
		return -1;
	p->t[i].len = (uint32_t)(p->pos - start);
	p->t[i].end = p->n;
	return i;
}

static int parse_word(struct jp *p, const char *w, uint8_t type)
{
	size_t n = strlen(w);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return -1;
	int i = new_tok(p, type, p->pos);
	if (i < 0)
		return -1;
	p->t[i].len = (uint32_t)n;
	p->t[i].end = p->n;
	p->pos += n;
	return i;
}

static int parse_value(struct jp *p, unsigned depth)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return -1;
	char c = p->s[p->pos];
	switch (c) {
	case '{': return parse_container(p, depth, true);
	case '[': return parse_container(p, depth, false);
	case '"': return parse_string(p);
	case 't': return parse_word(p, "true", JSON_TRUE);
	case 'f': return parse_word(p, "false", JSON_FALSE);
	case 'n': return parse_word(p, "null", JSON_NULL);
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return parse_number(p);
		return -1;
	}
}

int json_parse(const char *s, size_t len, struct json_tok *t, unsigned cap)
{
	if (len > UINT32_MAX)
		return -1;
	struct jp p = { .s = s, .len = len, .t = t, .cap = cap };
	if (parse_value(&p, 0) < 0)
		return -1;
	skip_ws(&p);
	if (p.pos != p.len)
		return -1;
	return (int)p.n;
}

int json_get(const char *s, const struct json_tok *t, int obj, const char *key)
{
	if (obj < 0 || t[obj].type != JSON_OBJ)
		return -1;
	size_t kl = strlen(key);
	uint32_t j = (uint32_t)obj + 1;
	while (j < t[obj].end) {
		uint32_t v = j + 1;
		/* keys of the records are plain (no escapes): compare the raw text */
		if (t[j].len == kl && memcmp(s + t[j].start, key, kl) == 0)
			return (int)v;
		j = t[v].end;
	}
	return -1;
}

int json_at(const struct json_tok *t, int arr, unsigned i)
{
	if (arr < 0 || t[arr].type != JSON_ARR)
		return -1;
	uint32_t j = (uint32_t)arr + 1;
	for (unsigned k = 0; j < t[arr].end; k++) {
		if (k == i)
			return (int)j;
		j = t[j].end;
	}
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

bool json_str(const char *s, const struct json_tok *t, int i, char *out, size_t cap)
{
	if (i < 0 || t[i].type != JSON_STR || cap == 0)
		return false;
	const char *p = s + t[i].start, *e = p + t[i].len;
	size_t o = 0;
	while (p < e) {
		char c = *p++;
		if (c == '\\') {   /* validated by the parser */
			char x = *p++;
			switch (x) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				int v = (hexval(p[0]) << 12) | (hexval(p[1]) << 8) | (hexval(p[2]) << 4) | hexval(p[3]);
				p += 4;
				c = v > 0 && v < 0x80 ? (char)v : '?';
				break;
			}
			default: c = x; break;
			}
		}
		if (o + 1 >= cap)
			return false;
		out[o++] = c;
	}
	out[o] = 0;
	return true;
}

bool json_int(const char *s, const struct json_tok *t, int i, long long *v)
{
	if (i < 0 || t[i].type != JSON_NUM || t[i].len > 18)
		return false;
	const char *p = s + t[i].start, *e = p + t[i].len;
	bool neg = *p == '-';
	if (neg)
		p++;
	long long x = 0;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9')
			return false;
		x = x * 10 + (*p - '0');
	}
	*v = neg ? -x : x;
	return true;
}

bool json_true(const struct json_tok *t, int i)
{
	return i >= 0 && t[i].type == JSON_TRUE;
}
