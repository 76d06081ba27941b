/* ss7fw — helpers of `ss7fw learn` (src/cli/cmd_learn.c): the aggregation of
 * GTs into prefixes, and a small reader of the JSON MSU records of the event
 * log (shared/design/event-schema.md). Pure functions: no I/O, no
 * allocation, no globals. */
#ifndef SS7FW_LEARN_H
#define SS7FW_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEARN_PFX_MAX      16   /* longest prefix a policy list takes (PFX_MAX_LEN) */
#define LEARN_MIN_PREFIX   5    /* default cluster length: country code + network code */

/* Aggregate GTs into prefixes. gts: n digit strings, sorted (strcmp) and
 * without duplicates. GTs are clustered by their first min_len digits (a GT
 * shorter than min_len is a cluster of its own); each cluster gives the
 * longest prefix common to all its GTs (so one GT gives itself), cut to
 * LEARN_PFX_MAX digits. A prefix that another one already covers is left
 * out. Writes at most cap prefixes to out (sorted, NUL-terminated) and
 * returns how many there are in all (may exceed cap: then the rest is
 * not written). min_len is clamped to 1..LEARN_PFX_MAX. */
size_t learn_aggregate(const char *const *gts, size_t n, unsigned min_len,
		       char out[][LEARN_PFX_MAX + 1], size_t cap);

/* True when prefix p (digits) is a prefix of s. */
bool learn_has_prefix(const char *s, const char *p);

/* ---- a JSON reader for one record (one line): RFC 8259 values, parsed
 * into a flat array of tokens in document order. A container's members
 * follow it; t[i].end is the index just past the last token of i's value.
 * An object's members are key (JSON_STR) then value. */
enum json_type {
	JSON_NONE = 0, JSON_OBJ, JSON_ARR, JSON_STR, JSON_NUM, JSON_TRUE, JSON_FALSE, JSON_NULL,
};

#define JSON_MAX_DEPTH 32

struct json_tok {
	uint8_t type;                /* enum json_type */
	uint32_t start, len;         /* the text: a string without its quotes */
	uint32_t end;                /* index past this value's last token */
};

/* Parse exactly one JSON value (white space around it allowed) from s[0..len).
 * Returns the number of tokens, or -1 when the text is not JSON, nests deeper
 * than JSON_MAX_DEPTH, or needs more than cap tokens. */
int json_parse(const char *s, size_t len, struct json_tok *t, unsigned cap);

/* The value of member key of object token obj, or -1. */
int json_get(const char *s, const struct json_tok *t, int obj, const char *key);
/* Element i of array token arr, or -1. */
int json_at(const struct json_tok *t, int arr, unsigned i);
/* String token i unescaped into out (\uXXXX outside ASCII becomes '?');
 * false if i is not a string or does not fit in cap (NUL included). */
bool json_str(const char *s, const struct json_tok *t, int i, char *out, size_t cap);
/* Integer token i (no fraction, no exponent) in *v; false otherwise. */
bool json_int(const char *s, const struct json_tok *t, int i, long long *v);
/* True for a JSON true token. */
bool json_true(const struct json_tok *t, int i);

#endif
