/* ss7fw — relay: SCTP input. One message per sctp_recvmsg (MSG_EOR ends
 * it), with its stream and PPID (sctp_data_io_event subscribed); association
 * changes arrive as notifications. */
#include <errno.h>
#include <netinet/sctp.h>
#include <string.h>
#include <sys/socket.h>

#include "ss7fw/wire.h"

#include "relay-int.h"

/* SCTP notifications: association lost or shut down -> the link is down. */
static int conn_notification(struct relay_conn *a, const uint8_t *p, size_t n)
{
	const union sctp_notification *sn = (const void *)p;
	if (n < sizeof(sn->sn_header))
		return 0;
	switch (sn->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		if (n >= sizeof(struct sctp_assoc_change)) {
			uint16_t st = sn->sn_assoc_change.sac_state;
			if (st == SCTP_COMM_LOST || st == SCTP_SHUTDOWN_COMP || st == SCTP_CANT_STR_ASSOC) {
				link_down(a->link, a->side, st == SCTP_COMM_LOST ? "association lost" :
					  "association shut down");
				return -1;
			}
		}
		break;
	case SCTP_SHUTDOWN_EVENT:
		link_down(a->link, a->side, "peer shut down");
		return -1;
	default:
		break;
	}
	return 0;
}

void conn_read_sctp(struct relay_conn *a)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_conn *b = &k->c[!a->side];
	uint32_t epoch = k->epoch;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	/* messages of one batch lie one after the other in ibuf, so that a TCP
	 * partner can write them with one writev */
	size_t start = 0;   /* where the message being received begins */
	for (int i = 0; i < RELAY_SCTP_BATCH; i++) {
		if (a->icap - a->ilen < (size_t)r->s.max_msg + 1)
			break;
		if (b->state == CONN_UP && !out_room(b, (a->ilen - start) + r->s.max_msg)) {
			if (out_flush_iov(b) < 0 || k->epoch != epoch)
				return;
			if (!out_room(b, (a->ilen - start) + r->s.max_msg) && q_len(&b->q)) {
				conn_pause(a);
				break;
			}
		}
		struct sctp_sndrcvinfo si;
		int flags = 0;
		memset(&si, 0, sizeof si);
		ssize_t n = sctp_recvmsg(a->fd, a->ibuf + a->ilen, a->icap - a->ilen, NULL, NULL, &si, &flags);
		if (n == 0) {
			link_down(k, a->side, "peer closed");
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				link_down(k, a->side, strerror(errno));
			break;
		}
		if (flags & MSG_NOTIFICATION) {
			if (conn_notification(a, a->ibuf + a->ilen, (size_t)n) < 0)
				return;
			continue;
		}
		a->ilen += (size_t)n;
		size_t mlen = a->ilen - start;
		if (mlen > r->s.max_msg) {
			if (b->state == CONN_UP && out_flush_iov(b) < 0)
				return;
			conn_cutoff(a, RELAY_CUT_BAD_LENGTH);
			return;
		}
		if (!(flags & MSG_EOR))
			continue;   /* the rest of this message comes with the next read */
		if (mlen >= 8 && m3ua_msg_len(a->ibuf + start, mlen) != mlen) {
			/* the M3UA length disagrees with the SCTP message */
			if (conn_glitch(a) < 0)
				return;
		}
		if (mlen >= 1 && conn_message(a, a->ibuf + start, mlen, si.sinfo_stream, si.sinfo_ppid, &now) < 0)
			return;
		if (k->epoch != epoch)
			return;
		start = a->ilen;
	}
	if (b->state == CONN_UP && out_flush_iov(b) < 0)
		return;
	if (k->epoch != epoch)
		return;
	/* keep a message still being received */
	if (start) {
		memmove(a->ibuf, a->ibuf + start, a->ilen - start);
		a->ilen -= start;
	}
	a->partial_since = a->ilen ? (a->partial_since ? a->partial_since : loop_now_ms()) : 0;
}
