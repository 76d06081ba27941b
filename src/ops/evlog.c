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
 * evlog_written. */
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

	char line[EVLOG_LINE_MAX + 64]; /* + room for the syslog header */
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

/* Opens the log described by s->event_log. Off is a valid log (writes are
 * no-ops), so NULL always means an error, which is written to err. */
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
		free(l);
		return NULL;
	}
	if (evlen == 0) {
		l->mode = EVLOG_OFF;
		return l;
	}
	if (strcmp(ev, "syslog") == 0 || strncmp(ev, "syslog:", 7) == 0) {
		const char *sock = ev[6] == ':' ? ev + 7 : EVLOG_SYSLOG_PATH;
		if (strlen(sock) >= sizeof l->sun.sun_path || !*sock) {
			fprintf(err, "ss7fw: event log: bad syslog socket path \"%s\"\n", sock);
			free(l);
			return NULL;
		}
		l->mode = EVLOG_SYSLOG;
		l->sun.sun_family = AF_UNIX;
		strcpy(l->sun.sun_path, sock);
		l->sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sock) + 1);
		snprintf(l->path, sizeof l->path, "%s", sock);
		l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (l->fd < 0) {
			fprintf(err, "ss7fw: event log: socket: %s\n", strerror(errno));
			free(l);
			return NULL;
		}
		/* the socket need not exist yet: a missing daemon is a counted
		 * error per line, not a failure to start */
		return l;
	}
	l->mode = EVLOG_FILE;
	snprintf(l->path, sizeof l->path, "%s", ev);
	l->fd = evlog_open_file(l->path);
	if (l->fd < 0) {
		fprintf(err, "ss7fw: event log %s: %s\n", l->path, strerror(errno));
		free(l);
		return NULL;
	}
	return l;
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
	l->last_report_ms = now;
	l->unreported = 0;
	if (n < 0 || n >= EVLOG_LINE_MAX || !evlog_emit(l, body, (size_t)n))
		l->errors++;
}

/* One record, if the bucket allows; otherwise counted as suppressed. */
void evlog_write(struct evlog *l, const struct msu *m, const struct msu_meta *meta,
		 const struct fw_decision *d)
{
	if (!l || l->mode == EVLOG_OFF)
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
	if (n == 0 || !evlog_emit(l, body, n)) {
		l->errors++;
		return;
	}
	l->written++;
}

void evlog_tick(struct evlog *l)
{
	if (!l || l->mode == EVLOG_OFF)
		return;
	evlog_report(l, l->now_ms(l->now_arg), false);
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
	if (l->mode != EVLOG_OFF)
		evlog_report(l, l->now_ms(l->now_arg), true);
	if (l->fd >= 0)
		close(l->fd);
	free(l);
}
