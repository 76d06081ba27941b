/* ss7fw — reassembly of XUDT/LUDT segments (see ss7fw/reasm.h for the
 * contract; Q.713 3.17, Q.714 4.1.1.2 / 4.1.1.3).
 *
 * Memory, all allocated by reasm_new: max_reasm slots (one per reassembly in
 * progress), a hash of their keys, and one arena for the copies of the held
 * messages. The arena is filled from its start; a freed block is only marked
 * dead, and when the tail reaches the end the live blocks are slid down
 * (their order kept) and the slots' pointers moved with them. The bytes
 * bound counts message bytes; the arena has room for that bound plus the
 * headers and padding of the most blocks there can be, so after a slide a
 * block that fits the bound always fits the arena.
 *
 * Slots are kept on a list in the order they started, which is also the
 * order T(reass) ends them and the order they are cut to make room. */
#include "ss7fw/reasm.h"

#include <stdlib.h>
#include <string.h>

#define NIL        UINT32_MAX
#define BLK_HDR    16u
#define BLK_ALIGN  8u

struct blk_hdr {
	uint32_t len;                /* message bytes after the header */
	uint32_t slot;
	uint8_t idx;                 /* segment index in the slot */
	uint8_t live;
	uint8_t pad[6];
};

struct slot {
	bool used;
	/* key */
	int32_t link;
	uint8_t dir;
	uint32_t opc, ref;
	uint8_t cg_len, cg[REASM_ADDR_MAX];
	uint32_t hash;
	/* what every segment must repeat */
	uint32_t dpc;
	uint8_t cd_len, cd[REASM_ADDR_MAX];
	/* progress */
	uint8_t n, last_rem;
	uint32_t data_bytes, bytes;
	uint64_t start_ms;
	uint32_t prev, next;         /* age list */
	uint32_t hnext;              /* hash chain */
	uint32_t off[REASM_MAX_SEGS];  /* arena offset of each segment's block */
	struct reasm_seg seg[REASM_MAX_SEGS];
};

struct reasm {
	struct reasm_cfg cfg;
	reasm_cut_fn cut;
	void *arg;
	struct slot *slots;
	uint32_t *free_stack, n_free;
	uint32_t *bucket, mask;
	uint32_t head, tail;         /* age list: oldest first */
	uint32_t pending;            /* slot handed out in a list, freed next call */
	uint8_t *arena;
	size_t cap, top;             /* arena size, end of the last block */
	uint32_t seed;
	struct reasm_stats st;
};

static size_t blk_size(size_t len)
{
	return (BLK_HDR + len + BLK_ALIGN - 1) & ~(size_t)(BLK_ALIGN - 1);
}

struct reasm *reasm_new(const struct reasm_cfg *c, reasm_cut_fn cut, void *arg)
{
	struct reasm *ra = calloc(1, sizeof *ra);
	if (!ra)
		return NULL;
	ra->cfg = *c;
	if (!ra->cfg.max_reasm)
		ra->cfg.max_reasm = 1;
	if (!ra->cfg.max_bytes)
		ra->cfg.max_bytes = 1;
	ra->cut = cut;
	ra->arg = arg;
	uint32_t n = ra->cfg.max_reasm;
	uint32_t nb = 1;
	while (nb < 2 * n && nb < (1u << 30))
		nb <<= 1;
	ra->mask = nb - 1;
	ra->cap = (size_t)ra->cfg.max_bytes + (size_t)n * REASM_MAX_SEGS * (BLK_HDR + BLK_ALIGN);
	ra->slots = calloc(n, sizeof *ra->slots);
	ra->free_stack = calloc(n, sizeof *ra->free_stack);
	ra->bucket = malloc((size_t)nb * sizeof *ra->bucket);
	ra->arena = malloc(ra->cap);
	if (!ra->slots || !ra->free_stack || !ra->bucket || !ra->arena) {
		reasm_free(ra);
		return NULL;
	}
	for (uint32_t i = 0; i < nb; i++)
		ra->bucket[i] = NIL;
	for (uint32_t i = 0; i < n; i++)
		ra->free_stack[i] = n - 1 - i;
	ra->n_free = n;
	ra->head = ra->tail = ra->pending = NIL;
	/* a per-instance seed, so that chains cannot be aimed at from outside */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ra->seed = (uint32_t)ts.tv_nsec ^ (uint32_t)(uintptr_t)ra ^ 0x9e3779b9u;
	ra->st.max_reasm = n;
	ra->st.max_bytes = ra->cfg.max_bytes;
	return ra;
}

void reasm_free(struct reasm *ra)
{
	if (!ra)
		return;
	free(ra->slots);
	free(ra->free_stack);
	free(ra->bucket);
	free(ra->arena);
	free(ra);
}

const struct reasm_stats *reasm_stats(const struct reasm *ra)
{
	return &ra->st;
}

/* ---- keys */
static uint32_t key_hash(const struct reasm *ra, const struct reasm_in *in)
{
	uint32_t h = 2166136261u ^ ra->seed;
#define MIX(b) (h = (h ^ (uint8_t)(b)) * 16777619u)
	for (int i = 0; i < 4; i++) {
		MIX(in->opc >> (8 * i));
		MIX(in->ref >> (8 * i));
	}
	MIX(in->dir);
	for (size_t i = 0; i < in->cgpa.len; i++)
		MIX(in->cgpa.p[i]);
#undef MIX
	return h ^ (h >> 15);
}

static bool key_eq(const struct slot *s, const struct reasm_in *in, uint32_t h)
{
	return s->hash == h && s->dir == in->dir && s->opc == in->opc &&
	       s->ref == in->ref && s->cg_len == in->cgpa.len &&
	       !memcmp(s->cg, in->cgpa.p, in->cgpa.len);
}

static uint32_t find(const struct reasm *ra, const struct reasm_in *in, uint32_t h)
{
	for (uint32_t i = ra->bucket[h & ra->mask]; i != NIL; i = ra->slots[i].hnext)
		if (key_eq(&ra->slots[i], in, h))
			return i;
	return NIL;
}

/* ---- arena */
static struct blk_hdr *blk_at(struct reasm *ra, size_t off)
{
	return (struct blk_hdr *)(void *)(ra->arena + off);
}

/* Slide the live blocks to the start of the arena, in order. */
static void compact(struct reasm *ra)
{
	size_t rd = 0, wr = 0;
	while (rd < ra->top) {
		struct blk_hdr *b = blk_at(ra, rd);
		size_t sz = blk_size(b->len);
		if (b->live) {
			if (wr != rd)
				memmove(ra->arena + wr, ra->arena + rd, sz);
			struct blk_hdr *nb = blk_at(ra, wr);
			struct slot *s = &ra->slots[nb->slot];
			s->off[nb->idx] = (uint32_t)wr;
			s->seg[nb->idx].p = ra->arena + wr + BLK_HDR;
			wr += sz;
		}
		rd += sz;
	}
	ra->top = wr;
}

/* Copy in's message as segment idx of slot si. The caller checked the bound. */
static void store(struct reasm *ra, uint32_t si, const struct reasm_in *in)
{
	struct slot *s = &ra->slots[si];
	size_t sz = blk_size(in->len);
	if (ra->top + sz > ra->cap)
		compact(ra);
	size_t off = ra->top;
	struct blk_hdr *b = blk_at(ra, off);
	memset(b, 0, sizeof *b);
	b->len = (uint32_t)in->len;
	b->slot = si;
	b->idx = s->n;
	b->live = 1;
	memcpy(ra->arena + off + BLK_HDR, in->msg, in->len);
	ra->top = off + sz;
	struct reasm_seg *g = &s->seg[s->n];
	g->p = ra->arena + off + BLK_HDR;
	g->len = (uint32_t)in->len;
	g->data_off = (uint32_t)(in->data.p - in->msg);
	g->data_len = (uint32_t)in->data.len;
	g->remaining = in->remaining;
	g->sent = in->sent;
	g->stream = in->stream;
	g->ppid = in->ppid;
	g->ts = in->ts;
	g->frame = in->frame;
	s->off[s->n] = (uint32_t)off;
	s->n++;
	s->last_rem = in->remaining;
	s->data_bytes += (uint32_t)in->data.len;
	s->bytes += (uint32_t)in->len;
	ra->st.bytes += in->len;
}

/* ---- slots */

/* Take slot si off the hash and the age list; its blocks stay until
 * slot_release (its segments may be in a list handed out). */
static void slot_unlink(struct reasm *ra, uint32_t si)
{
	struct slot *s = &ra->slots[si];
	uint32_t *pp = &ra->bucket[s->hash & ra->mask];
	while (*pp != si)
		pp = &ra->slots[*pp].hnext;
	*pp = s->hnext;
	if (s->prev != NIL)
		ra->slots[s->prev].next = s->next;
	else
		ra->head = s->next;
	if (s->next != NIL)
		ra->slots[s->next].prev = s->prev;
	else
		ra->tail = s->prev;
	ra->st.active--;
	ra->st.bytes -= s->bytes;
}

static void slot_release(struct reasm *ra, uint32_t si)
{
	struct slot *s = &ra->slots[si];
	for (unsigned i = 0; i < s->n; i++)
		blk_at(ra, s->off[i])->live = 0;
	s->used = false;
	ra->free_stack[ra->n_free++] = si;
	if (ra->st.active == 0)
		ra->top = 0;   /* nothing live: start the arena over */
}

static void release_pending(struct reasm *ra)
{
	if (ra->pending != NIL) {
		slot_release(ra, ra->pending);
		ra->pending = NIL;
	}
}

static void list_of(const struct reasm *ra, uint32_t si, struct reasm_list *l)
{
	const struct slot *s = &ra->slots[si];
	l->n = s->n;
	l->seg = s->seg;
	l->link = s->link;
	l->dir = s->dir;
}

/* Cut slot si now (timer or room): report, then free. */
static void slot_cut(struct reasm *ra, uint32_t si, unsigned why)
{
	slot_unlink(ra, si);
	if (ra->cut) {
		struct reasm_list l;
		list_of(ra, si, &l);
		ra->cut(ra->arg, why, &l);
	}
	slot_release(ra, si);
}

/* End slot si with a list handed to the caller (complete or cut). */
static void slot_hand_out(struct reasm *ra, uint32_t si, struct reasm_list *out)
{
	slot_unlink(ra, si);
	list_of(ra, si, out);
	ra->pending = si;
}

/* The oldest slot other than keep, or NIL. */
static uint32_t oldest_but(const struct reasm *ra, uint32_t keep)
{
	uint32_t i = ra->head;
	if (i == keep && i != NIL)
		i = ra->slots[i].next;
	return i;
}

void reasm_expire(struct reasm *ra, uint64_t now_ms)
{
	release_pending(ra);
	while (ra->head != NIL && ra->slots[ra->head].start_ms + ra->cfg.timeout_ms <= now_ms) {
		ra->st.expired++;
		slot_cut(ra, ra->head, REASM_CUT_TIMEOUT);
	}
}

/* Room for len more bytes, cutting the oldest reassemblies but keep.
 * false: even with every other one cut, it does not fit. */
static bool make_room(struct reasm *ra, size_t len, uint32_t keep)
{
	while (ra->st.bytes + len > ra->cfg.max_bytes) {
		uint32_t victim = oldest_but(ra, keep);
		if (victim == NIL)
			return false;
		ra->st.cut_bytes++;
		slot_cut(ra, victim, REASM_CUT_BYTES);
	}
	return true;
}

enum reasm_result reasm_add(struct reasm *ra, const struct reasm_in *in, struct reasm_list *out)
{
	out->n = 0;
	out->seg = NULL;
	out->link = in->link;
	out->dir = in->dir;
	reasm_expire(ra, in->now_ms);
	if (in->cgpa.len > REASM_ADDR_MAX || in->cdpa.len > REASM_ADDR_MAX) {
		ra->st.too_large++;
		return REASM_TOO_LARGE;
	}
	uint32_t h = key_hash(ra, in);
	uint32_t si = find(ra, in, h);
	if (si == NIL) {
		if (!in->first) {
			ra->st.orphans++;
			return REASM_ORPHAN;
		}
		if (in->data.len > REASM_MAX_DATA) {
			ra->st.too_large++;
			return REASM_TOO_LARGE;
		}
		if (in->len > ra->cfg.max_bytes) {
			ra->st.limit++;
			return REASM_LIMIT;
		}
		while (ra->n_free == 0) {
			ra->st.cut_slots++;
			slot_cut(ra, ra->head, REASM_CUT_SLOTS);
		}
		make_room(ra, in->len, NIL);   /* always true: len <= max_bytes */
		si = ra->free_stack[--ra->n_free];
		struct slot *s = &ra->slots[si];
		memset(s, 0, offsetof(struct slot, off));
		s->used = true;
		s->link = in->link;
		s->dir = in->dir;
		s->opc = in->opc;
		s->ref = in->ref;
		s->cg_len = (uint8_t)in->cgpa.len;
		memcpy(s->cg, in->cgpa.p, in->cgpa.len);
		s->hash = h;
		s->dpc = in->dpc;
		s->cd_len = (uint8_t)in->cdpa.len;
		memcpy(s->cd, in->cdpa.p, in->cdpa.len);
		s->start_ms = in->now_ms;
		s->hnext = ra->bucket[h & ra->mask];
		ra->bucket[h & ra->mask] = si;
		s->next = NIL;
		s->prev = ra->tail;
		if (ra->tail != NIL)
			ra->slots[ra->tail].next = si;
		else
			ra->head = si;
		ra->tail = si;
		ra->st.active++;
		ra->st.started++;
		store(ra, si, in);
		return REASM_HELD;
	}
	struct slot *s = &ra->slots[si];
	if (in->link != s->link) {
		/* the same message from two links at once: whichever way the
		 * destination joined them, it would not be what we screened */
		ra->st.sequence++;
		slot_hand_out(ra, si, out);
		return REASM_SEQUENCE;
	}
	if (in->remaining >= s->last_rem) {
		/* this segment, or one before it, again: the one held is what
		 * was screened and will be forwarded */
		ra->st.duplicates++;
		return REASM_DUPLICATE;
	}
	if (in->first || in->remaining + 1 != s->last_rem || in->dpc != s->dpc ||
	    in->cdpa.len != s->cd_len || memcmp(in->cdpa.p, s->cd, s->cd_len)) {
		/* a gap (a segment lost or out of order), a first bit on a later
		 * segment, or a segment going somewhere else: the destination
		 * cannot reassemble this either (Q.714 4.1.1.3) */
		ra->st.sequence++;
		slot_hand_out(ra, si, out);
		return REASM_SEQUENCE;
	}
	if (s->data_bytes + in->data.len > REASM_MAX_DATA) {
		ra->st.too_large++;
		slot_hand_out(ra, si, out);
		return REASM_TOO_LARGE;
	}
	if (in->remaining == 0) {
		ra->st.completed++;
		slot_hand_out(ra, si, out);
		return REASM_COMPLETE;
	}
	if (!make_room(ra, in->len, si)) {
		ra->st.limit++;
		slot_hand_out(ra, si, out);
		return REASM_LIMIT;
	}
	store(ra, si, in);
	return REASM_HELD;
}
