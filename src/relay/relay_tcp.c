/* ss7fw — relay: TCP input. M3UA over TCP is framed by the length field of
 * its common header (RFC 4666 3.1); every whole message in the input buffer
 * that the partner can take is handed to conn_message in one batch. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ss7fw/wire.h"

#include "relay-int.h"

/* TCP: takes every whole message in a's ibuf that the partner can take. */
void conn_process(struct relay_conn *a)
{
	struct relay_link *k = a->link;
	struct relay *r = k->r;
	struct relay_conn *b = &k->c[!a->side];
	uint32_t epoch = k->epoch;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	size_t off = 0;
	bool blocked = false;
again:
	while (a->ilen - off >= 8) {
		uint32_t mlen = m3ua_msg_len(a->ibuf + off, a->ilen - off);
		if (mlen < 8 || mlen > r->s.max_msg) {
			if (b->state == CONN_UP && out_flush_iov(b) < 0)
				return;
			conn_cutoff(a, RELAY_CUT_BAD_LENGTH);
			return;
		}
		if (a->ilen - off < mlen)
			break;
		if (b->state == CONN_UP && !out_room(b, mlen)) {
			blocked = true;
			break;
		}
		if (conn_message(a, a->ibuf + off, mlen, 0, htonl(RELAY_M3UA_PPID), &now) < 0 ||
		    k->epoch != epoch)
			return;
		off += mlen;
	}
	if (b->state == CONN_UP && out_flush_iov(b) < 0)
		return;
	if (k->epoch != epoch)
		return;
	if (blocked && !q_len(&b->q)) {
		/* the batch was bigger than the queue, but all of it was written */
		blocked = false;
		goto again;
	}
	if (off) {
		memmove(a->ibuf, a->ibuf + off, a->ilen - off);
		a->ilen -= off;
	}
	if (blocked) {
		conn_pause(a);
		a->partial_since = 0;
	} else if (a->ilen) {
		if (!a->partial_since)
			a->partial_since = loop_now_ms();
	} else {
		a->partial_since = 0;
	}
}

void conn_read_tcp(struct relay_conn *a)
{
	size_t room = a->icap - a->ilen;
	if (!room) {
		conn_pause(a);
		return;
	}
	ssize_t n = read(a->fd, a->ibuf + a->ilen, room);
	if (n == 0) {
		conn_process(a);   /* nothing new; keeps the order of what is there */
		if (a->state == CONN_UP)
			link_down(a->link, a->side, "peer closed");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			link_down(a->link, a->side, strerror(errno));
		return;
	}
	a->ilen += (size_t)n;
	conn_process(a);
}
