/* ss7fw — relay: its counters, read by ss7fw run, the tests and the bench,
 * and their Prometheus text. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "relay-int.h"

const char *relay_cut_name(unsigned c)
{
	static const char *const n[] = {
#define N(id, name) name,
		RELAY_CUTS(N)
#undef N
	};
	return c < RELAY_CUT__COUNT ? n[c] : "?";
}

void relay_link_stats(const struct relay *r, int link, struct relay_link_stats *st)
{
	memset(st, 0, sizeof *st);
	if (link < 0 || link >= r->n_links)
		return;
	const struct relay_link *k = &r->links[link];
	*st = k->st;
	for (int s = 0; s < 2; s++)
		st->up[s] = k->c[s].state == CONN_UP;
	st->queue_bytes[FW_DIR_IN] = q_len(&k->c[RELAY_CORE].q);
	st->queue_bytes[FW_DIR_OUT] = q_len(&k->c[RELAY_CARRIER].q);
}

void relay_stats(const struct relay *r, struct relay_stats *st)
{
	memset(st, 0, sizeof *st);
	for (int i = 0; i < r->n_workers; i++) {
		const struct relay_stats *w = &r->w[i].st;
		st->state_changes += w->state_changes;
		st->glitches += w->glitches;
		st->accepts += w->accepts;
		for (int c = 0; c < RELAY_CUT__COUNT; c++)
			st->cutoffs[c] += w->cutoffs[c];
	}
}

/* One counter per link and direction: the uint64_t[2] at offset off of
 * each link's struct relay_link_stats. */
static void prom_link_dir(FILE *out, const struct relay *r, const char *name, const char *help, size_t off)
{
	static const char *const dir_name[2] = { "in", "out" };
	fprintf(out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (int i = 0; i < r->n_links; i++) {
		const uint64_t *v = (const uint64_t *)((const char *)&r->links[i].st + off);
		for (int d = 0; d < 2; d++)
			fprintf(out, "%s{link=\"%s\",dir=\"%s\"} %llu\n", name, r->links[i].cfg.name,
				dir_name[d], (unsigned long long)v[d]);
	}
}

void relay_metrics_prom(const struct relay *r, FILE *out)
{
	struct relay_stats rs;
	relay_stats(r, &rs);
	static const char *const side_name[2] = { "carrier", "core" };
	static const char *const dir_name[2] = { "in", "out" };
	fprintf(out, "# HELP ss7fw_assoc_up Whether the association of a link side is up.\n"
		     "# TYPE ss7fw_assoc_up gauge\n");
	for (int i = 0; i < r->n_links; i++)
		for (int s = 0; s < 2; s++)
			fprintf(out, "ss7fw_assoc_up{link=\"%s\",side=\"%s\"} %d\n", r->links[i].cfg.name,
				side_name[s], r->links[i].c[s].state == CONN_UP);
	fprintf(out, "# HELP ss7fw_link_up Whether both sides of a link are up.\n"
		     "# TYPE ss7fw_link_up gauge\n");
	for (int i = 0; i < r->n_links; i++)
		fprintf(out, "ss7fw_link_up{link=\"%s\"} %d\n", r->links[i].cfg.name, r->links[i].up);
	fprintf(out, "# HELP ss7fw_listening Whether a listening link side accepts associations (a carrier side does only while its core side is up).\n"
		     "# TYPE ss7fw_listening gauge\n");
	for (int i = 0; i < r->n_links; i++)
		for (int s = 0; s < 2; s++)
			if (r->links[i].c[s].ep->mode == EP_LISTEN)
				fprintf(out, "ss7fw_listening{link=\"%s\",side=\"%s\"} %d\n", r->links[i].cfg.name,
					side_name[s], r->links[i].c[s].listening);
	fprintf(out, "# HELP ss7fw_queue_bytes Bytes waiting in the output queue of a direction.\n"
		     "# TYPE ss7fw_queue_bytes gauge\n");
	for (int i = 0; i < r->n_links; i++) {
		struct relay_link_stats st;
		relay_link_stats(r, i, &st);
		for (int d = 0; d < 2; d++)
			fprintf(out, "ss7fw_queue_bytes{link=\"%s\",dir=\"%s\"} %llu\n",
				r->links[i].cfg.name, dir_name[d], (unsigned long long)st.queue_bytes[d]);
	}
	prom_link_dir(out, r, "ss7fw_relay_msgs_total", "Messages read by the relay, by link and direction.",
		      offsetof(struct relay_link_stats, rx_msgs));
	prom_link_dir(out, r, "ss7fw_relay_forwarded_total", "Messages forwarded, by link and direction.",
		      offsetof(struct relay_link_stats, fwd_msgs));
	prom_link_dir(out, r, "ss7fw_relay_dropped_total", "Messages not forwarded, by link and direction.",
		      offsetof(struct relay_link_stats, drop_msgs));
	prom_link_dir(out, r, "ss7fw_rejects_answered_total",
		      "UDTS/XUDTS sent back to the originator of a rejected MSU, by link and direction of the MSU.",
		      offsetof(struct relay_link_stats, rejects_answered));
	prom_link_dir(out, r, "ss7fw_rejects_answer_lost_total",
		      "Answers to rejected MSUs not sent because the originator's queue was full.",
		      offsetof(struct relay_link_stats, rejects_answer_lost));
	fprintf(out, "# HELP ss7fw_relay_workers Threads serving the links (settings.workers).\n"
		     "# TYPE ss7fw_relay_workers gauge\n"
		     "ss7fw_relay_workers %d\n", r->n_workers);
	fprintf(out, "# HELP ss7fw_link_state_changes_total Associations connected or disconnected.\n"
		     "# TYPE ss7fw_link_state_changes_total counter\n"
		     "ss7fw_link_state_changes_total %llu\n", (unsigned long long)rs.state_changes);
	fprintf(out, "# HELP ss7fw_peer_glitches_total Protocol errors of peers.\n"
		     "# TYPE ss7fw_peer_glitches_total counter\n"
		     "ss7fw_peer_glitches_total %llu\n", (unsigned long long)rs.glitches);
	fprintf(out, "# HELP ss7fw_peer_cutoffs_total Peers cut off or connections refused, by reason.\n"
		     "# TYPE ss7fw_peer_cutoffs_total counter\n");
	for (unsigned c = 0; c < RELAY_CUT__COUNT; c++)
		fprintf(out, "ss7fw_peer_cutoffs_total{reason=\"%s\"} %llu\n", relay_cut_name(c),
			(unsigned long long)rs.cutoffs[c]);
	if (r->ev)
		fprintf(out, "# HELP ss7fw_evlog_written_total Event lines written.\n"
			     "# TYPE ss7fw_evlog_written_total counter\n"
			     "ss7fw_evlog_written_total %llu\n"
			     "# HELP ss7fw_evlog_suppressed_total Event lines over the rate limit.\n"
			     "# TYPE ss7fw_evlog_suppressed_total counter\n"
			     "ss7fw_evlog_suppressed_total %llu\n",
			(unsigned long long)evlog_written(r->ev), (unsigned long long)evlog_suppressed(r->ev));
	if (r->ev)
		fprintf(out, "# HELP ss7fw_evlog_errors_total Event lines that could not be written.\n"
			     "# TYPE ss7fw_evlog_errors_total counter\n"
			     "ss7fw_evlog_errors_total %llu\n", (unsigned long long)evlog_errors(r->ev));
	if (r->pc)
		fprintf(out, "# HELP ss7fw_droppcap_written_total Dropped MSUs written to the pcap of drops.\n"
			     "# TYPE ss7fw_droppcap_written_total counter\n"
			     "ss7fw_droppcap_written_total %llu\n"
			     "# HELP ss7fw_droppcap_lost_total Dropped MSUs not written to the pcap (write error or size bound).\n"
			     "# TYPE ss7fw_droppcap_lost_total counter\n"
			     "ss7fw_droppcap_lost_total %llu\n",
			(unsigned long long)droppcap_written(r->pc), (unsigned long long)droppcap_lost(r->pc));
}
