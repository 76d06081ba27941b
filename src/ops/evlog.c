/* ss7fw — the JSON event log: one line per MSU record (event_json) to a
 * file, to syslog, or nowhere.
 *
 * Destinations (settings event_log):
 *   ""               off: lines are neither written nor counted as written
 *   "syslog"         datagrams to /dev/log, facility daemon, ident "ss7fw"
 *   "syslog:/path"   the same to another syslog socket
 *   anything else    a file path, opened O_APPEND (created 0640)
 *
 * Nothing here can stall the event loop: a file line is one write(2) of a
 * complete line (O_APPEND keeps concurrent writers and logrotate's
 * copy-free rotation safe), and syslog datagrams are sent with MSG_DONTWAIT,
 * so a full or absent syslog daemon costs a counted error, never a wait.
 * (glibc's syslog(3) would block on a congested journal; it is not used.)
 *
 * A token bucket bounds the rate: event_rate lines per second on average,
 * event_burst at once. A line over the limit is counted as suppressed and
 * dropped, never queued; at most once per EVLOG_REPORT_MS a line
 *   {"ts":"...","event":"suppressed","suppressed":N,"msg":"suppressed N events"}
 * tells how many were suppressed since the previous such line. It is not
 * subject to the bucket (it is itself rate-bounded) and is not counted in
 * evlog_written.
 *
 * SIEM outputs, besides (or instead of) that destination, each fed with
 * every record that passed the bucket and with the "suppressed" lines:
 *   journal = true        the systemd journal, with SS7FW_* fields
 *                         (journal_out.c)
 *   syslog_server = ...   RFC 5424 with structured data to a collector over
 *                         UDP or TCP (syslog_out.c)
 * Each counts its own sent/dropped/errors (evlog_metrics_prom). */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ss7fw/event.h"
#include "ss7fw/ops.h"
#include "ss7fw/siem.h"

#define EVLOG_LINE_MAX     16384   /* one record; a longer one is an error */
#define EVLOG_REPORT_MS    1000    /* at most one "suppressed" line per second */
#define EVLOG_DEF_RATE     1000
#define EVLOG_DEF_BURST    2000
#define EVLOG_SYSLOG_PRI   (3 * 8 + 5)   /* LOG_DAEMON | LOG_NOTICE (RFC 3164 4.1.1) */
#define EVLOG_SYSLOG_PATH  "/dev/log"

enum evlog_mode { EVLOG_OFF = 0, EVLOG_FILE, EVLOG_SYSLOG };

struct evlog {
	uint8_t mode;                   /* enum evlog_mode */
	int fd;                         /* the file, or the unbound datagram socket */
	char path[CFG_PATH_MAX];        /* file path, or the syslog socket path */
	struct sockaddr_un sun;         /* syslog destination */
	socklen_t sun_len;

	uint64_t (*now_ms)(void *arg);
	void *now_arg;
	uint64_t rate, burst;           /* lines per second, bucket size */
	uint64_t tokens_milli;          /* tokens * 1000 */
	uint64_t last_refill_ms;
	uint64_t last_report_ms;

	uint64_t written, suppressed, errors;
	uint64_t unreported;            /* suppressed since the last report line */

	/* SIEM outputs (NULL: not configured) */
	struct journal_out *jo;
	struct syslog_out *so;
	unsigned facility;
	char sd_id[CFG_NAME_MAX];
	char host[256];                 /* RFC 5424 HOSTNAME */
	long pid;                       /* PROCID (read once: no system call per record) */

	char line[EVLOG_LINE_MAX + 64]; /* + room for the syslog header */
	char siem[EVLOG_LINE_MAX + 4096]; /* one RFC 5424 message or journal entry */
};

static uint64_t evlog_default_clock(void *arg)
{
	(void)arg;
	return loop_now_ms();
}

static int evlog_open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0640);
}

/* RFC 5424 HOSTNAME: printable US-ASCII without spaces (6.2.4), else "-". */
static void evlog_hostname(char *out, size_t cap)
{
	if (gethostname(out, cap) < 0)
		out[0] = 0;
	out[cap - 1] = 0;
	for (char *p = out; *p; p++)
		if (*p < 33 || *p > 126)
			*p = '-';
	if (!out[0])
		snprintf(out, cap, "-");
}

/* The journal and syslog outputs of settings s; -1 with the reason on err. */
static int evlog_open_siem(struct evlog *l, const struct settings_cfg *s, FILE *err)
{
	l->facility = s->syslog_facility <= 23 ? s->syslog_facility : 16;
	snprintf(l->sd_id, sizeof l->sd_id, "%s", s->syslog_sd_id[0] ? s->syslog_sd_id : SYSLOG_SD_ID_DEFAULT);
	evlog_hostname(l->host, sizeof l->host);
	l->pid = (long)getpid();
	if (s->journal) {
		l->jo = journal_out_open(JOURNAL_SOCKET, err);
		if (!l->jo)
			return -1;
	}
	if (s->syslog_server[0]) {
		if (!syslog_sd_id_valid(l->sd_id)) {
			fprintf(err, "ss7fw: syslog_sd_id \"%s\" is not NAME@ENTERPRISE-NUMBER "
				     "(RFC 5424 7.2.2, at most 32 characters)\n", l->sd_id);
			return -1;
		}
		l->so = syslog_out_open(s->syslog_server, s->syslog_transport,
					s->syslog_queue_bytes ? s->syslog_queue_bytes : (1u << 20), err);
		if (!l->so)
			return -1;
	}
	return 0;
}

int evlog_check_settings(const struct settings_cfg *s, const char *path, FILE *err)
{
	int nerr = 0;
	if (s->syslog_server[0]) {
		struct sockaddr_storage ss;
		socklen_t len;
		if (syslog_out_parse_server(s->syslog_server, s->syslog_transport, &ss, &len) < 0) {
			fprintf(err, "%s: settings.syslog_server \"%s\" is not a numeric address:port "
				     "(a.b.c.d:port or [v6]:port)\n", path, s->syslog_server);
			nerr++;
		}
		const char *id = s->syslog_sd_id[0] ? s->syslog_sd_id : SYSLOG_SD_ID_DEFAULT;
		if (!syslog_sd_id_valid(id)) {
			fprintf(err, "%s: settings.syslog_sd_id \"%s\" is not NAME@ENTERPRISE-NUMBER "
				     "(RFC 5424 7.2.2, at most 32 characters)\n", path, id);
			nerr++;
		}
	}
	return nerr;
}

/* Opens the log described by s->event_log and the SIEM outputs. Off is a
 * valid log (writes are no-ops), so NULL always means an error, which is
 * written to err. */
struct evlog *evlog_open(const struct settings_cfg *s, FILE *err)
{
	struct evlog *l = calloc(1, sizeof *l);
	if (!l) {
		fprintf(err, "ss7fw: event log: out of memory\n");
		return NULL;
	}
	l->fd = -1;
	l->now_ms = evlog_default_clock;
	l->rate = s->event_rate ? s->event_rate : EVLOG_DEF_RATE;
	l->burst = s->event_burst ? s->event_burst : EVLOG_DEF_BURST;
	l->tokens_milli = l->burst * 1000u;
	l->last_refill_ms = l->last_report_ms = l->now_ms(NULL);

	const char *ev = s->event_log;
	size_t evlen = strnlen(ev, sizeof s->event_log);
	if (evlen == sizeof s->event_log) {
		fprintf(err, "ss7fw: event log: path too long\n");
		goto fail;
	}
	if (evlen == 0) {
		l->mode = EVLOG_OFF;
	} else if (strcmp(ev, "syslog") == 0 || strncmp(ev, "syslog:", 7) == 0) {
		const char *sock = ev[6] == ':' ? ev + 7 : EVLOG_SYSLOG_PATH;
		if (strlen(sock) >= sizeof l->sun.sun_path || !*sock) {
			fprintf(err, "ss7fw: event log: bad syslog socket path \"%s\"\n", sock);
			goto fail;
		}
		l->mode = EVLOG_SYSLOG;
		l->sun.sun_family = AF_UNIX;
		strcpy(l->sun.sun_path, sock);
		l->sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sock) + 1);
		snprintf(l->path, sizeof l->path, "%s", sock);
		l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (l->fd < 0) {
			fprintf(err, "ss7fw: event log: socket: %s\n", strerror(errno));
			goto fail;
		}
		/* the socket need not exist yet: a missing daemon is a counted
		 * error per line, not a failure to start */
	} else {
		l->mode = EVLOG_FILE;
		snprintf(l->path, sizeof l->path, "%s", ev);
		l->fd = evlog_open_file(l->path);
		if (l->fd < 0) {
			fprintf(err, "ss7fw: event log %s: %s\n", l->path, strerror(errno));
			goto fail;
		}
	}
	if (evlog_open_siem(l, s, err) < 0)
		goto fail;
	return l;
fail:
	if (l->fd >= 0)
		close(l->fd);
	journal_out_close(l->jo);
	syslog_out_close(l->so);
	free(l);
	return NULL;
}

static bool evlog_active(const struct evlog *l)
{
	return l && (l->mode != EVLOG_OFF || l->jo || l->so);
}

/* The journal's MESSAGE: a one-line summary of the record. */
static void evlog_summary(char *out, size_t cap, const struct siem_fields *f)
{
	snprintf(out, cap, "%s%s %s cgpa=%s cdpa=%s link=%s/%s rule=%s", f->verdict,
		 f->shadow ? " (shadow)" : "", f->op ? f->op : "-", f->cgpa[0] ? f->cgpa : "-",
		 f->cdpa[0] ? f->cdpa : "-", f->link ? f->link : "-", f->dir ? f->dir : "-",
		 f->rule ? f->rule : "(default)");
}

/* The record body[0..n) (a JSON line) to the journal and the collector;
 * f NULL for a line that is not an MSU record (msgid tells what it is). */
static void evlog_siem(struct evlog *l, const struct siem_fields *f, const char *msgid,
		       const char *summary, const char *body, size_t n)
{
	size_t json_len = n && body[n - 1] == '\n' ? n - 1 : n;
	if (l->so) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		size_t m = syslog5424_format(l->siem, sizeof l->siem, l->facility, &ts, l->host,
					     l->pid, msgid, l->sd_id, f, body, json_len);
		syslog_out_send(l->so, l->siem, m);   /* m == 0: counted as dropped */
	}
	if (l->jo) {
		size_t m = journal_format(l->siem, sizeof l->siem, l->facility, f, summary, body, json_len);
		journal_out_send(l->jo, l->siem, m);  /* m == 0: counted as an error */
	}
}

/* Sends line[0..len) (ending in '\n') to the destination; false on error. */
static bool evlog_emit(struct evlog *l, char *line, size_t len)
{
	if (l->mode == EVLOG_FILE) {
		ssize_t n = write(l->fd, line, len);
		return n == (ssize_t)len;
	}
	/* syslog: "<PRI>Mmm dd hh:mm:ss ss7fw[pid]: " + line without '\n'.
	 * The header is written just before line, in the room reserved. */
	char hdr[64];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	char stamp[32];
	strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
	int h = snprintf(hdr, sizeof hdr, "<%d>%s ss7fw[%ld]: ", EVLOG_SYSLOG_PRI, stamp,
			 (long)getpid());
	if (h < 0 || (size_t)h >= sizeof hdr)
		return false;
	char *start = line - h;
	if (start < l->line)
		return false;
	memcpy(start, hdr, (size_t)h);
	size_t total = (size_t)h + len - (len && line[len - 1] == '\n');
	ssize_t n = sendto(l->fd, start, total, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (const struct sockaddr *)&l->sun, l->sun_len);
	return n == (ssize_t)total;
}

/* Refill the bucket for the time elapsed (a clock going back adds nothing). */
static void evlog_refill(struct evlog *l, uint64_t now)
{
	if (now <= l->last_refill_ms)
		return;
	uint64_t dt = now - l->last_refill_ms;
	uint64_t cap = l->burst * 1000u;
	/* rate lines/s == rate milli-lines/ms; dt is capped so that this
	 * cannot overflow before the bucket is full */
	if (dt > cap)
		dt = cap;
	l->tokens_milli += dt * l->rate;
	if (l->tokens_milli > cap)
		l->tokens_milli = cap;
	l->last_refill_ms = now;
}

static void evlog_ts(char *out, size_t cap)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char base[32];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, cap, "%s.%06uZ", base, (unsigned)(ts.tv_nsec / 1000) % 1000000u);
}

/* The "suppressed" line, if some lines were suppressed and the last one
 * is EVLOG_REPORT_MS old (or force). */
static void evlog_report(struct evlog *l, uint64_t now, bool force)
{
	if (!l->unreported)
		return;
	if (!force && now - l->last_report_ms < EVLOG_REPORT_MS)
		return;
	char ts[64];
	evlog_ts(ts, sizeof ts);
	char *body = l->line + 64;
	int n = snprintf(body, EVLOG_LINE_MAX,
			 "{\"ts\":\"%s\",\"event\":\"suppressed\",\"suppressed\":%llu,"
			 "\"msg\":\"suppressed %llu events\"}\n",
			 ts, (unsigned long long)l->unreported, (unsigned long long)l->unreported);
	uint64_t count = l->unreported;
	l->last_report_ms = now;
	l->unreported = 0;
	if (n < 0 || n >= EVLOG_LINE_MAX) {
		l->errors++;
		return;
	}
	if (l->mode != EVLOG_OFF && !evlog_emit(l, body, (size_t)n))
		l->errors++;
	if (l->jo || l->so) {
		char summary[64];
		snprintf(summary, sizeof summary, "suppressed %llu events", (unsigned long long)count);
		evlog_siem(l, NULL, "suppressed", summary, body, (size_t)n);
	}
}

/* One record, if the bucket allows; otherwise counted as suppressed. */
void evlog_write(struct evlog *l, const struct msu *m, const struct msu_meta *meta,
		 const struct fw_decision *d)
{
	if (!evlog_active(l))
		return;
	uint64_t now = l->now_ms(l->now_arg);
	evlog_refill(l, now);
	evlog_report(l, now, false);
	if (l->tokens_milli < 1000) {
		l->suppressed++;
		l->unreported++;
		return;
	}
	l->tokens_milli -= 1000;
	char *body = l->line + 64;
	size_t n = event_json(body, EVLOG_LINE_MAX, m, meta, d);
	if (n == 0) {
		l->errors++;
		return;
	}
	if (l->jo || l->so) {
		struct siem_fields f;
		char summary[512];
		siem_fields_of(&f, m, meta, d);
		evlog_summary(summary, sizeof summary, &f);
		evlog_siem(l, &f, "msu", summary, body, n);
	}
	/* the SIEM outputs count their own losses; written/errors are those
	 * of the event_log destination, or, when it is off, of the records
	 * handed to the SIEM outputs */
	if (l->mode != EVLOG_OFF && !evlog_emit(l, body, n)) {
		l->errors++;
		return;
	}
	l->written++;
}

void evlog_tick(struct evlog *l)
{
	if (!evlog_active(l))
		return;
	evlog_report(l, l->now_ms(l->now_arg), false);
	syslog_out_tick(l->so);
}

void evlog_attach_loop(struct evlog *l, struct loop *lp)
{
	if (l)
		syslog_out_attach(l->so, lp);
}

void evlog_metrics_prom(const struct evlog *l, FILE *out)
{
	if (!l)
		return;
	if (l->so) {
		struct syslog_out_stats st;
		syslog_out_get_stats(l->so, &st);
		fprintf(out, "# HELP ss7fw_syslog_sent_total RFC 5424 event messages handed to the collector's socket.\n"
			     "# TYPE ss7fw_syslog_sent_total counter\n"
			     "ss7fw_syslog_sent_total %llu\n"
			     "# HELP ss7fw_syslog_dropped_total Event messages not sent to the collector (queue full, connection lost mid-message, refused).\n"
			     "# TYPE ss7fw_syslog_dropped_total counter\n"
			     "ss7fw_syslog_dropped_total %llu\n"
			     "# HELP ss7fw_syslog_errors_total Send and connect failures towards the collector.\n"
			     "# TYPE ss7fw_syslog_errors_total counter\n"
			     "ss7fw_syslog_errors_total %llu\n"
			     "# HELP ss7fw_syslog_connects_total TCP connections to the collector established.\n"
			     "# TYPE ss7fw_syslog_connects_total counter\n"
			     "ss7fw_syslog_connects_total %llu\n"
			     "# HELP ss7fw_syslog_queue_bytes Bytes waiting for the collector.\n"
			     "# TYPE ss7fw_syslog_queue_bytes gauge\n"
			     "ss7fw_syslog_queue_bytes %zu\n"
			     "# HELP ss7fw_syslog_up Whether the collector connection is up (UDP: always 1).\n"
			     "# TYPE ss7fw_syslog_up gauge\n"
			     "ss7fw_syslog_up %d\n",
			(unsigned long long)st.sent, (unsigned long long)st.dropped,
			(unsigned long long)st.errors, (unsigned long long)st.connects, st.queued, st.up);
	}
	if (l->jo)
		fprintf(out, "# HELP ss7fw_journal_sent_total Event entries sent to the systemd journal.\n"
			     "# TYPE ss7fw_journal_sent_total counter\n"
			     "ss7fw_journal_sent_total %llu\n"
			     "# HELP ss7fw_journal_errors_total Event entries the journal did not take (absent, busy).\n"
			     "# TYPE ss7fw_journal_errors_total counter\n"
			     "ss7fw_journal_errors_total %llu\n",
			(unsigned long long)journal_out_sent(l->jo), (unsigned long long)journal_out_errors(l->jo));
}

void evlog_set_journal_socket(struct evlog *l, const char *path)
{
	if (!l || !l->jo)
		return;
	struct journal_out *j = journal_out_open(path, stderr);
	if (j) {
		journal_out_close(l->jo);
		l->jo = j;
	}
}

/* Reopen the file at the same path (after logrotate moved it away). If the
 * new open fails, the old file stays in use and an error is counted.
 * Syslog and off: nothing to do. */
void evlog_reopen(struct evlog *l)
{
	if (!l || l->mode != EVLOG_FILE)
		return;
	int fd = evlog_open_file(l->path);
	if (fd < 0) {
		l->errors++;
		return;
	}
	close(l->fd);
	l->fd = fd;
}

uint64_t evlog_written(const struct evlog *l) { return l ? l->written : 0; }
uint64_t evlog_suppressed(const struct evlog *l) { return l ? l->suppressed : 0; }
uint64_t evlog_errors(const struct evlog *l) { return l ? l->errors : 0; }

void evlog_set_clock(struct evlog *l, uint64_t (*now_ms)(void *arg), void *arg)
{
	l->now_ms = now_ms ? now_ms : evlog_default_clock;
	l->now_arg = now_ms ? arg : NULL;
	l->last_refill_ms = l->last_report_ms = l->now_ms(l->now_arg);
}

/* Writes a last "suppressed" line if one is owed, and closes. */
void evlog_close(struct evlog *l)
{
	if (!l)
		return;
	if (evlog_active(l))
		evlog_report(l, l->now_ms(l->now_arg), true);
	if (l->fd >= 0)
		close(l->fd);
	journal_out_close(l->jo);
	syslog_out_close(l->so);
	free(l);
}
