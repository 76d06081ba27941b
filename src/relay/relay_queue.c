/* ss7fw — relay: output towards one side. TCP: whole messages are gathered
 * as iovecs pointing into the partner's input buffer (adjacent ones merged)
 * and written with one writev per batch; SCTP: one sctp_sendmsg per message
 * with its stream and PPID. What the socket does not take now is copied into
 * the side's bounded output queue (struct relay_q), written when the socket
 * is writable again. */
#include <errno.h>
#include <netinet/sctp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "relay-int.h"

/* ---- queue */

/* Appends n bytes (and an SCTP record header when hdr); false if no room. */
static bool q_put(struct relay_q *q, const uint8_t *p, size_t n, const uint8_t *hdr, size_t hn)
{
	if (q_free(q) < n + hn)
		return false;
	if (q->cap - q->tail < n + hn) {
		memmove(q->buf, q->buf + q->head, q_len(q));
		q->tail -= q->head;
		q->head = 0;
	}
	if (hn)
		memcpy(q->buf + q->tail, hdr, hn);
	memcpy(q->buf + q->tail + hn, p, n);
	q->tail += n + hn;
	if (q->head == q->tail)
		q->head = q->tail = 0;
	return true;
}

static void q_consume(struct relay_q *q, size_t n)
{
	q->head += n;
	if (q->head >= q->tail)
		q->head = q->tail = 0;
}

/* ---- output to side b */

/* Last try to hand c's queue to the kernel before a close; errors ignored
 * (the association is going anyway). */
void conn_flush_once(struct relay_conn *c)
{
	struct relay_q *q = &c->q;
	if (!c->sctp) {
		if (q_len(q))
			(void)!write(c->fd, q->buf + q->head, q_len(q));
		return;
	}
	while (q_len(q)) {
		uint32_t len, ppid;
		uint16_t stream;
		memcpy(&len, q->buf + q->head, 4);
		memcpy(&ppid, q->buf + q->head + 4, 4);
		memcpy(&stream, q->buf + q->head + 8, 2);
		if (sctp_sendmsg(c->fd, q->buf + q->head + RELAY_QREC_HDR, len, NULL, 0, ppid, 0,
				 stream, 0, 0) < 0)
			return;
		q_consume(q, RELAY_QREC_HDR + len);
	}
}


/* Room b's queue must have before one more message of len bytes is taken. */
bool out_room(const struct relay_conn *b, size_t len)
{
	size_t need = b->iov_bytes + len + (b->sctp ? RELAY_QREC_HDR : 0);
	return q_free(&b->q) >= need;
}

static void qrec_hdr(uint8_t h[RELAY_QREC_HDR], size_t len, uint32_t ppid, uint16_t stream)
{
	uint32_t l32 = (uint32_t)len;
	memcpy(h, &l32, 4);
	memcpy(h + 4, &ppid, 4);
	memcpy(h + 8, &stream, 2);
	h[10] = h[11] = 0;
}

static void queue_peak(struct relay_conn *b)
{
	struct relay_link_stats *st = &b->link->st;
	int dir = b->side == RELAY_CORE ? FW_DIR_IN : FW_DIR_OUT;
	if (q_len(&b->q) > st->queue_peak[dir])
		st->queue_peak[dir] = q_len(&b->q);
}

/* Writes the gathered iovecs (if the queue is empty) and queues what is left.
 * Returns -1 when b failed (the link is then down). */
int out_flush_iov(struct relay_conn *b)
{
	if (!b->niov)
		return 0;
	size_t skip = 0;
	if (!q_len(&b->q)) {
		ssize_t w = writev(b->fd, b->iov, b->niov);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			b->niov = 0;
			b->iov_bytes = 0;
			link_down(b->link, b->side, strerror(errno));
			return -1;
		}
		skip = w > 0 ? (size_t)w : 0;
	}
	for (int i = 0; i < b->niov; i++) {
		size_t l = b->iov[i].iov_len;
		if (skip >= l) {
			skip -= l;
			continue;
		}
		/* out_room guaranteed the space */
		(void)q_put(&b->q, (const uint8_t *)b->iov[i].iov_base + skip, l - skip, NULL, 0);
		skip = 0;
	}
	b->niov = 0;
	b->iov_bytes = 0;
	queue_peak(b);
	conn_update_events(b);
	return 0;
}

/* Hands one message to b. TCP: gathered (adjacent messages merged); SCTP:
 * sent now with its stream and PPID, or queued. Returns -1 when the link went
 * down, 0 when handed over, 1 when it could not be queued (overload). */
int out_msg(struct relay_conn *b, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid)
{
	if (!b->sctp) {
		if (b->niov && (const uint8_t *)b->iov[b->niov - 1].iov_base +
				       b->iov[b->niov - 1].iov_len == p) {
			b->iov[b->niov - 1].iov_len += len;
		} else {
			if (b->niov == RELAY_IOV_MAX && out_flush_iov(b) < 0)
				return -1;
			b->iov[b->niov].iov_base = (void *)p;
			b->iov[b->niov].iov_len = len;
			b->niov++;
		}
		b->iov_bytes += len;
		return 0;
	}
	uint8_t h[RELAY_QREC_HDR];
	if (!q_len(&b->q)) {
		ssize_t w = sctp_sendmsg(b->fd, p, len, NULL, 0, ppid, 0, stream, 0, 0);
		if (w >= 0)
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			if (errno == EINVAL)   /* e.g. a stream the peer did not grant */
				return 1;
			b->link->w->st.cutoffs[RELAY_CUT_SEND_ERROR]++;
			link_down(b->link, b->side, strerror(errno));
			return -1;
		}
	}
	qrec_hdr(h, len, ppid, stream);
	if (!q_put(&b->q, p, len, h, sizeof h))
		return 1;
	queue_peak(b);
	conn_update_events(b);
	return 0;
}

/* Hands a message that lives in a scratch buffer (not in an ibuf) to c,
 * behind everything already gathered or queued for c: TCP: gathered iovecs
 * are flushed first, then the message is written if the queue is empty,
 * and what the socket does not take is copied into the queue; SCTP: as
 * out_msg (sent now or copied). Never blocks. Returns -1 when the link went
 * down, 0 when handed over, 1 when it could not be queued. */
int out_copy(struct relay_conn *c, const uint8_t *p, size_t len, uint16_t stream, uint32_t ppid)
{
	if (c->sctp)
		return out_msg(c, p, len, stream, ppid);
	if (c->niov && out_flush_iov(c) < 0)
		return -1;
	/* all or nothing: a part written without room for the rest would
	 * break the M3UA framing of the stream */
	if (q_free(&c->q) < len)
		return 1;
	size_t done = 0;
	if (!q_len(&c->q)) {
		ssize_t w = write(c->fd, p, len);
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			link_down(c->link, c->side, strerror(errno));   /* as out_flush_iov */
			return -1;
		}
		done = w > 0 ? (size_t)w : 0;
	}
	if (done < len) {
		(void)q_put(&c->q, p + done, len - done, NULL, 0);   /* room checked above */
		queue_peak(c);
		conn_update_events(c);
	}
	return 0;
}

/* Writes b's queue. Returns -1 if b failed (the link is down). Resumes the
 * partner's reading when the queue fell below half. */
int conn_flush(struct relay_conn *b)
{
	struct relay_q *q = &b->q;
	while (q_len(q)) {
		if (!b->sctp) {
			ssize_t w = write(b->fd, q->buf + q->head, q_len(q));
			if (w < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
					break;
				link_down(b->link, b->side, strerror(errno));
				return -1;
			}
			q_consume(q, (size_t)w);
			continue;
		}
		uint32_t len, ppid;
		uint16_t stream;
		memcpy(&len, q->buf + q->head, 4);
		memcpy(&ppid, q->buf + q->head + 4, 4);
		memcpy(&stream, q->buf + q->head + 8, 2);
		ssize_t w = sctp_sendmsg(b->fd, q->buf + q->head + RELAY_QREC_HDR, len, NULL, 0,
					 ppid, 0, stream, 0, 0);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			if (errno != EINVAL) {
				link_down(b->link, b->side, strerror(errno));
				return -1;
			}
		}
		q_consume(q, RELAY_QREC_HDR + len);
	}
	return 0;
}
