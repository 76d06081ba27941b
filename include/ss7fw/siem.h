/* ss7fw — the event log's SIEM outputs: RFC 5424 syslog with structured
 * data to a collector (UDP, or TCP with RFC 6587 octet counting) and the
 * systemd journal's native protocol with SS7FW_* fields. evlog.c feeds both
 * with each record it writes; they are separate so that the formats can be
 * tested byte for byte. Nothing here blocks: sockets are non-blocking, the
 * queue towards the collector is bounded, and what does not fit is counted. */
#ifndef SS7FW_SIEM_H
#define SS7FW_SIEM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

#include "ss7fw/engine.h"
#include "ss7fw/loop.h"
#include "ss7fw/wire-t.h"

/* The summary of one record that SIEMs index: each field absent (NULL or
 * "") is left out of the structured data and of the journal entry. */
struct siem_fields {
	const char *verdict;              /* "allow", "drop", "reject"; NULL: not an MSU record */
	bool shadow;
	const char *rule;                 /* deciding rule; NULL: the default */
	const char *reason;               /* fw_reason_name */
	const char *link;
	const char *dir;                  /* "in", "out" */
	char cgpa[WIRE_MAX_DIGITS + 1];   /* calling / called GT digits, "" absent */
	char cdpa[WIRE_MAX_DIGITS + 1];
	const char *op;                   /* MAP operation of the first invoke, NULL absent */
	uint8_t severity;                 /* RFC 5424 6.2.1: 4 enforced drop/reject,
	                                   * 5 shadow hit or report, 6 allow */
};

/* Fills f from one record (the same MSU, meta and decision event_json gets).
 * Strings point into meta, d and static name tables: use f before they go. */
void siem_fields_of(struct siem_fields *f, const struct msu *m, const struct msu_meta *meta,
		    const struct fw_decision *d);

/* ---- RFC 5424 */
#define SYSLOG_PEN_EXAMPLE "32473"        /* RFC 5612: the PEN for documentation */
#define SYSLOG_SD_ID_DEFAULT "ss7fw@" SYSLOG_PEN_EXAMPLE

/* Whether s is a valid SD-ID for our own element: "name@digits", 1..32
 * printable US-ASCII without '=', ' ', ']', '"' (RFC 5424 6.3.2, 7.2.2). */
bool syslog_sd_id_valid(const char *s);

/* PARAM-VALUE escaping (RFC 5424 6.3.3): '"', '\\' and ']' get a '\\'.
 * Writes at most cap-1 characters and a NUL; returns the escaped length,
 * or (size_t)-1 if it did not fit. */
size_t syslog_sd_escape(char *out, size_t cap, const char *v);

/* One RFC 5424 message, without transport framing:
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [SP MSG]
 * TIMESTAMP is UTC with microseconds; SD is "[sd_id verdict=.. shadow=..
 * rule=.. reason=.. link=.. dir=.. cgpa=.. cdpa=.. op=..]" with the fields
 * present, or "-" when f is NULL. Returns the length written (no NUL), 0 if
 * cap is too small. */
size_t syslog5424_format(char *out, size_t cap, unsigned facility, const struct timespec *ts,
			 const char *host, long procid, const char *msgid, const char *sd_id,
			 const struct siem_fields *f, const char *msg, size_t msg_len);

/* ---- the collector connection */
struct syslog_out_stats {
	uint64_t sent;          /* messages handed to the kernel whole */
	uint64_t dropped;       /* not sent: queue full, or cut by a lost connection */
	uint64_t errors;        /* send or connect failures */
	uint64_t connects;      /* TCP connections established */
	size_t queued;          /* bytes waiting */
	bool up;                /* UDP: always; TCP: connected */
};

struct syslog_out;
/* server: "a.b.c.d:port" or "[v6]:port" (numeric, no DNS lookup on the
 * event loop); transport: enum cfg_syslog_transport. NULL on error (told to
 * err). A TCP connection is started at once and then on demand, with a
 * backoff of SYSLOG_RETRY_MIN_MS doubling to SYSLOG_RETRY_MAX_MS. */
/* The parsing syslog_out_open does: 0, or -1 if server is not a numeric
 * address:port (no lookup is made). */
int syslog_out_parse_server(const char *server, unsigned transport, struct sockaddr_storage *addr,
			    socklen_t *addr_len);
#define SYSLOG_RETRY_MIN_MS 100
#define SYSLOG_RETRY_MAX_MS 10000
struct syslog_out *syslog_out_open(const char *server, unsigned transport, size_t queue_bytes,
				   FILE *err);
/* Watch the socket on l (EPOLLOUT while there is a backlog, EPOLLIN to see
 * the collector close); without a loop the queue moves on each send and
 * tick. */
void syslog_out_attach(struct syslog_out *s, struct loop *l);
/* Queue one message (framed for TCP here) and send what the socket takes. */
void syslog_out_send(struct syslog_out *s, const char *msg, size_t len);
/* Reconnect when due, and send the backlog. Call about once a second. */
void syslog_out_tick(struct syslog_out *s);
void syslog_out_get_stats(const struct syslog_out *s, struct syslog_out_stats *st);
/* Sends what the socket takes at once, then closes (no waiting). */
void syslog_out_close(struct syslog_out *s);

/* ---- systemd journal (native protocol, systemd.io/JOURNAL_NATIVE_PROTOCOL) */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* The MESSAGE_ID of MSU records (a fixed 128-bit id for journalctl
 * MESSAGE_ID=... filters and catalogs). */
#define SS7FW_JOURNAL_MSGID "7c1f4e5a2b9d4c3e8a6f0d1b2c3e4f50"

/* One journal entry: MESSAGE, PRIORITY, SYSLOG_FACILITY, SYSLOG_IDENTIFIER,
 * MESSAGE_ID, SS7FW_VERDICT, SS7FW_SHADOW, SS7FW_RULE, SS7FW_REASON,
 * SS7FW_LINK, SS7FW_DIR, SS7FW_CGPA, SS7FW_CDPA, SS7FW_OP (those present),
 * SS7FW_JSON (the record). A value holding '\n' uses the length-prefixed
 * form. f NULL: only MESSAGE, PRIORITY (5), identifiers and SS7FW_JSON.
 * Returns the length, 0 if cap is too small. */
size_t journal_format(char *out, size_t cap, unsigned facility, const struct siem_fields *f,
		      const char *message, const char *json, size_t json_len);

struct journal_out;
struct journal_out *journal_out_open(const char *socket_path, FILE *err);
/* One datagram, MSG_DONTWAIT: false if it was not sent (counted). */
bool journal_out_send(struct journal_out *j, const char *entry, size_t len);
uint64_t journal_out_sent(const struct journal_out *j);
uint64_t journal_out_errors(const struct journal_out *j);
void journal_out_close(struct journal_out *j);

#endif
