/* ss7fw — relay: one whole M3UA message read from side a. conn_message
 * screens it (engine_screen) and forwards the original bytes to the partner,
 * drops it (counted, written to the drop pcap), or answers a reject on a
 * with the UDTS/XUDTS reject_build makes from the engine's decoded view
 * (conn_answer). An XUDT/LUDT segment the engine holds is neither: nothing
 * happens until the segment that completes its message, whose decision
 * covers the held ones too (conn_release, docs/architecture.md "The held
 * path"). */
#include "ss7fw/ops.h"

#include "relay-int.h"

static void count_drop(struct relay_conn *a, uint8_t reason)
{
	struct relay_link *k = a->link;
	uint8_t dir = dir_of(a);
	k->st.drop_msgs[dir]++;
	if (reason == FW_REASON_LINK_DOWN)
		k->st.link_down_drops[dir]++;
	else if (reason == FW_REASON_OVERLOAD)
		k->st.overload_drops[dir]++;
	engine_count_drop(k->w->eng, k->idx, dir, reason);
}

/* A protocol error of a's peer; past glitch_limit the peer is cut off.
 * Returns -1 when it was. */
int conn_glitch(struct relay_conn *a)
{
	a->link->w->st.glitches++;
	if (++a->glitches >= a->link->r->s.glitch_limit) {
		conn_cutoff(a, RELAY_CUT_GLITCHES);
		return -1;
	}
	return 0;
}

/* A rejected message from a: the UDTS/XUDTS that returns it (reject.h) goes
 * back to a, same stream and PPID, in order with what else goes to a. An
 * answer that cannot be queued is counted and dropped. Returns -1 when the
 * link went down. */
static int conn_answer(struct relay_conn *a, const uint8_t *p, size_t len, uint16_t stream,
		       uint32_t ppid)
{
	struct relay_link *k = a->link;
	uint8_t dir = dir_of(a);
	struct relay_worker *w = k->w;
	size_t n = reject_build(w->answer, sizeof w->answer, &w->scratch, p, len, REJECT_CAUSE);
	if (!n)
		return 0;   /* no return option, not UDT/XUDT, segmented: nothing is due */
	int rc = out_copy(a, w->answer, n, stream, ppid);
	if (rc < 0)
		return -1;
	if (rc > 0)
		k->st.rejects_answer_lost[dir]++;
	else
		k->st.rejects_answered[dir]++;
	return 0;
}

/* The n_held segments the engine held before this message share its
 * decision: dropped with it (counted, drop pcap), or forwarded to b before
 * it, in the order they came, with the stream and PPID each came with. They
 * are copies in the engine (valid until its next call), so they are handed
 * over as out_copy does, behind what is gathered for b. All or none: if b
 * cannot take them all now, every one (and the current message, *drop_all)
 * is dropped as overload. Returns -1 when the link went down. */
static int conn_release(struct relay_conn *a, struct relay_conn *b, const struct fw_decision *d,
			size_t cur_len, bool *drop_all)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	uint8_t dir = dir_of(a);
	struct engine_seg g;
	*drop_all = false;
	if (!d->forward) {
		for (unsigned i = 0; engine_held(k->w->eng, i, &g); i++) {
			struct msu_meta meta = { .ts = g.ts, .frame = g.frame, .link = k->idx,
						 .link_name = k->cfg.name, .dir = dir, .stream = g.stream,
						 .ppid = g.ppid };
			if (r->pc) {
				relay_outputs_lock(r);
				droppcap_write(r->pc, g.p, g.len, &meta);
				relay_outputs_unlock(r);
			}
			k->st.drop_msgs[dir]++;   /* the engine counted it under its reason */
		}
		return 0;
	}
	if (!d->n_held)
		return 0;
	if (b->niov && out_flush_iov(b) < 0)
		return -1;
	size_t total = cur_len;
	for (unsigned i = 0; engine_held(k->w->eng, i, &g); i++)
		total += g.len + (b->sctp ? RELAY_QREC_HDR : 0);
	if (!out_room(b, total)) {
		for (unsigned i = 0; engine_held(k->w->eng, i, &g); i++)
			count_drop(a, FW_REASON_OVERLOAD);
		*drop_all = true;
		return 0;
	}
	for (unsigned i = 0; engine_held(k->w->eng, i, &g); i++) {
		int rc = out_copy(b, g.p, g.len, g.stream, g.ppid);
		if (rc < 0)
			return -1;
		if (rc > 0)
			count_drop(a, FW_REASON_OVERLOAD);   /* not expected: room was checked */
		else
			k->st.fwd_msgs[dir]++;
	}
	return 0;
}

/* One whole message from a: screen, then forward to the partner or drop.
 * Returns -1 when the link went down meanwhile. */
int conn_message(struct relay_conn *a, const uint8_t *p, size_t len, uint16_t stream,
			uint32_t ppid, const struct timespec *now)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_worker *w = k->w;
	struct relay_conn *b = &k->c[!a->side];
	uint8_t dir = dir_of(a);
	k->st.rx_msgs[dir]++;
	if (b->state != CONN_UP) {
		count_drop(a, FW_REASON_LINK_DOWN);
		return 0;
	}
	if (len < 8 || p[0] != 1) {
		/* not M3UA version 1 (RFC 4666 3.1.1): garbage from the adjacent
		 * STP itself, never forwarded; a glitch of the association */
		count_drop(a, FW_REASON_MALFORMED);
		return conn_glitch(a);
	}
	struct fw_decision d = { .verdict = FW_ALLOW, .forward = true };
	struct msu_meta meta = {
		.ts = *now, .frame = ++w->seq, .link = k->idx, .link_name = k->cfg.name,
		.dir = dir, .stream = stream, .ppid = ppid,
	};
	if (!r->o.no_screen) {
		/* shadow (policy.mode or engine_set_shadow) is the engine's: d.forward
		 * is already true for a would-be drop */
		engine_screen(w->eng, p, len, &meta, &w->scratch, &d);
		if (d.log && r->ev) {
			relay_outputs_lock(r);
			evlog_write(r->ev, &w->scratch, &meta, &d);
			relay_outputs_unlock(r);
		}
	}
	if (d.held && !d.forward)
		return 0;   /* a segment: its fate comes with the last one */
	bool drop_all = false;
	if (d.n_held && conn_release(a, b, &d, len, &drop_all) < 0)
		return -1;
	if (drop_all) {
		count_drop(a, FW_REASON_OVERLOAD);
		return 0;
	}
	/* A malformed MSU is not a glitch of the association: its content comes
	 * from anywhere in the SS7 network, and counting it would let a remote
	 * sender cut the whole link off. */
	if (!d.forward) {
		if (r->pc) {
			relay_outputs_lock(r);
			droppcap_write(r->pc, p, len, &meta);
			relay_outputs_unlock(r);
		}
		k->st.drop_msgs[dir]++;   /* the engine counted it under its reason */
		if (d.verdict == FW_REJECT && !d.shadow)
			return conn_answer(a, p, len, stream, ppid);
		return 0;
	}
	int rc = out_msg(b, p, len, stream, ppid);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		count_drop(a, FW_REASON_OVERLOAD);
		return 0;
	}
	k->st.fwd_msgs[dir]++;
	return 0;
}
