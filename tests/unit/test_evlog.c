/* JSON event log: exact lines, the token bucket with a controlled clock, the
 * "suppressed" report, reopen after rotation, syslog datagrams, errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/event.h"
#include "ss7fw/ops.h"
#include "ss7fw/wire-t.h"

static char dir[64];
static uint64_t fake_now;
static uint64_t fake_clock(void *arg) { (void)arg; return fake_now; }

static struct msu zero_msu;
static const struct fw_decision drop_d = {
	.verdict = FW_DROP, .reason = FW_REASON_RULE, .rule = "r1", .log = true,
};

static struct msu_meta meta_of(uint64_t frame)
{
	struct msu_meta mt = {
		.ts = { .tv_sec = 1795593601, .tv_nsec = 250000000 },  /* 2026-11-25T08:00:01.25Z */
		.frame = frame, .link = 0, .link_name = "carrier-a", .dir = FW_DIR_IN, .stream = 1,
	};
	return mt;
}

/* The line event_json makes for frame n (what the log must contain). */
static size_t expected_line(uint64_t n, char *out, size_t cap)
{
	struct msu_meta mt = meta_of(n);
	return event_json(out, cap, &zero_msu, &mt, &drop_d);
}

static void write_frame(struct evlog *l, uint64_t n)
{
	struct msu_meta mt = meta_of(n);
	evlog_write(l, &zero_msu, &mt, &drop_d);
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return (size_t)n;
}

static struct settings_cfg settings_for(const char *ev, uint32_t rate, uint32_t burst)
{
	struct settings_cfg s;
	memset(&s, 0, sizeof s);
	snprintf(s.event_log, sizeof s.event_log, "%s", ev);
	s.event_rate = rate;
	s.event_burst = burst;
	return s;
}

/* Appends the expected record of frame n to exp. */
static void exp_add(char *exp, size_t cap, uint64_t n)
{
	size_t len = strlen(exp);
	CHECK(expected_line(n, exp + len, cap - len) > 0);
}

static void test_exact_lines_and_bucket(void)
{
	char path[128];
	snprintf(path, sizeof path, "%s/ev.json", dir);
	struct settings_cfg s = settings_for(path, 2, 3);   /* 2/s, burst 3 */
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	if (!l)
		return;
	fake_now = 100000;
	evlog_set_clock(l, fake_clock, NULL);
	for (uint64_t f = 1; f <= 5; f++)
		write_frame(l, f);                  /* 1..3 pass, 4 and 5 suppressed */
	CHECK_INT(evlog_written(l), 3);
	CHECK_INT(evlog_suppressed(l), 2);
	fake_now += 400;                            /* 0.8 token */
	write_frame(l, 6);
	CHECK_INT(evlog_suppressed(l), 3);
	fake_now += 100;                            /* 1.0 token */
	write_frame(l, 7);
	CHECK_INT(evlog_written(l), 4);
	evlog_tick(l);                              /* 500 ms since open: no report yet */
	char buf[16384], exp[16384] = "";
	for (uint64_t f = 1; f <= 3; f++)
		exp_add(exp, sizeof exp, f);
	exp_add(exp, sizeof exp, 7);
	slurp(path, buf, sizeof buf);
	CHECK_STR(buf, exp);
	fake_now += 500;                            /* 1000 ms: the report is due */
	evlog_tick(l);
	evlog_tick(l);                              /* only once */
	size_t n = slurp(path, buf, sizeof buf);
	CHECK(n > strlen(exp));
	CHECK_MEM(buf, exp, strlen(exp));
	const char *rep = buf + strlen(exp);
	CHECK(strncmp(rep, "{\"ts\":\"", 7) == 0);
	const char *tail = "\",\"event\":\"suppressed\",\"suppressed\":3,\"msg\":\"suppressed 3 events\"}\n";
	CHECK(strlen(rep) == 7 + 27 + strlen(tail));   /* ts is 27 characters */
	CHECK_STR(rep + 7 + 27, tail);
	CHECK_INT(evlog_errors(l), 0);
	/* a long quiet time refills to the burst only */
	fake_now += 3600 * 1000;
	for (uint64_t f = 10; f < 15; f++)
		write_frame(l, f);
	CHECK_INT(evlog_written(l), 7);
	CHECK_INT(evlog_suppressed(l), 5);
	/* frame 13 was suppressed; at frame 14 the report of it was due (the
	 * last one is an hour old), then 14 was suppressed; close owes its report */
	evlog_close(l);
	slurp(path, buf, sizeof buf);
	int lines = 0;
	const char *ln[16] = { buf };
	for (const char *p = buf; *p && lines < 15; p++)
		if (*p == '\n')
			ln[++lines] = p + 1;
	CHECK_INT(lines, 4 + 1 + 3 + 2);
	const char *one = "\",\"event\":\"suppressed\",\"suppressed\":1,\"msg\":\"suppressed 1 events\"}\n";
	CHECK(strncmp(ln[5], "{\"ts\":\"", 7) == 0 && strncmp(ln[5] + 34, "\",\"frame\":10,", 12) == 0);
	CHECK(strncmp(ln[8] + 34, one, strlen(one)) == 0);
	CHECK_STR(ln[9] + 34, one);
	/* the first line, literally (schema fields that event-schema.md fixes) */
	CHECK(strncmp(buf, "{\"ts\":\"2026-11-25T08:00:01.250000Z\",\"frame\":1,"
		      "\"link\":\"carrier-a\",\"dir\":\"in\",", 74) == 0);
	CHECK(strstr(buf, "\"verdict\":\"drop\"") != NULL);
	unlink(path);
}

static void test_off_and_defaults(void)
{
	struct settings_cfg s = settings_for("", 0, 0);
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	write_frame(l, 1);
	evlog_tick(l);
	evlog_reopen(l);
	CHECK_INT(evlog_written(l), 0);
	CHECK_INT(evlog_suppressed(l), 0);
	CHECK_INT(evlog_errors(l), 0);
	evlog_close(l);
	evlog_close(NULL);
	/* rate/burst 0 take the defaults 1000/2000: 2000 at once, then none */
	char path[128];
	snprintf(path, sizeof path, "%s/def.json", dir);
	s = settings_for(path, 0, 0);
	l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	fake_now = 5;
	evlog_set_clock(l, fake_clock, NULL);
	for (uint64_t f = 1; f <= 2001; f++)
		write_frame(l, f);
	CHECK_INT(evlog_written(l), 2000);
	CHECK_INT(evlog_suppressed(l), 1);
	fake_now += 10;                             /* 10 ms at 1000/s: 10 more */
	for (uint64_t f = 1; f <= 11; f++)
		write_frame(l, f);
	CHECK_INT(evlog_written(l), 2010);
	CHECK_INT(evlog_suppressed(l), 2);
	evlog_close(l);
	unlink(path);
}

static void test_reopen_after_rotation(void)
{
	char path[128], rot[140];
	snprintf(path, sizeof path, "%s/rot.json", dir);
	snprintf(rot, sizeof rot, "%s.1", path);
	struct settings_cfg s = settings_for(path, 100, 100);
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	struct stat st;
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0640);           /* umask 022 set in main */
	write_frame(l, 1);
	CHECK_INT(rename(path, rot), 0);
	write_frame(l, 2);                          /* still into the moved file */
	evlog_reopen(l);
	write_frame(l, 3);
	char buf[8192], exp[8192] = "";
	exp_add(exp, sizeof exp, 1);
	exp_add(exp, sizeof exp, 2);
	slurp(rot, buf, sizeof buf);
	CHECK_STR(buf, exp);
	exp[0] = 0;
	exp_add(exp, sizeof exp, 3);
	slurp(path, buf, sizeof buf);
	CHECK_STR(buf, exp);
	/* appends, never truncates: an existing file keeps its content */
	evlog_close(l);
	l = evlog_open(&s, stderr);
	write_frame(l, 4);
	evlog_close(l);
	exp_add(exp, sizeof exp, 4);
	slurp(path, buf, sizeof buf);
	CHECK_STR(buf, exp);
	unlink(path);
	unlink(rot);
}

static void test_errors(void)
{
	char *msg = NULL;
	size_t msglen = 0;
	FILE *err = open_memstream(&msg, &msglen);
	char path[128];
	snprintf(path, sizeof path, "%s/no/such/dir/ev.json", dir);
	struct settings_cfg s = settings_for(path, 10, 10);
	CHECK(evlog_open(&s, err) == NULL);
	fflush(err);
	CHECK(strstr(msg, "No such file or directory") != NULL);
	fclose(err);
	free(msg);
	/* a device that refuses writes: counted, nothing written */
	s = settings_for("/dev/full", 10, 10);
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	if (l) {
		write_frame(l, 1);
		write_frame(l, 2);
		CHECK_INT(evlog_written(l), 0);
		CHECK_INT(evlog_errors(l), 2);
		evlog_close(l);
	}
	/* a record too long for the line buffer is an error, not a cut line */
	snprintf(path, sizeof path, "%s/long.json", dir);
	s = settings_for(path, 10, 10);
	l = evlog_open(&s, stderr);
	char name[20000];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = 0;
	struct msu_meta mt = meta_of(1);
	mt.link_name = name;
	evlog_write(l, &zero_msu, &mt, &drop_d);
	CHECK_INT(evlog_written(l), 0);
	CHECK_INT(evlog_errors(l), 1);
	evlog_close(l);
	char buf[64];
	CHECK_INT(slurp(path, buf, sizeof buf), 0);
	unlink(path);
}

static void test_syslog(void)
{
	char sock[96];
	snprintf(sock, sizeof sock, "%s/log.sock", dir);
	int rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", sock);
	CHECK_INT(bind(rx, (struct sockaddr *)&sun, sizeof sun), 0);
	char ev[160];
	snprintf(ev, sizeof ev, "syslog:%s", sock);
	struct settings_cfg s = settings_for(ev, 10, 10);
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	write_frame(l, 1);
	CHECK_INT(evlog_written(l), 1);
	char buf[16384], line[16384];
	ssize_t n = recv(rx, buf, sizeof buf - 1, MSG_DONTWAIT);
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = 0;
	size_t ll = expected_line(1, line, sizeof line);
	line[ll - 1] = 0;                           /* no newline in a datagram */
	CHECK(strncmp(buf, "<29>", 4) == 0);        /* daemon.notice */
	char ident[32];
	snprintf(ident, sizeof ident, " ss7fw[%ld]: ", (long)getpid());
	const char *id = strstr(buf, ident);
	CHECK(id != NULL);
	if (id) {
		CHECK_INT(id - buf, 4 + 15);            /* "Mmm dd hh:mm:ss" */
		CHECK_STR(id + strlen(ident), line);
	}
	/* the daemon goes away: errors counted, no wait */
	close(rx);
	unlink(sock);
	uint64_t t0 = loop_now_ms();
	for (int i = 0; i < 5; i++)
		write_frame(l, 2);
	CHECK(loop_now_ms() - t0 < 1000);
	CHECK_INT(evlog_written(l), 1);
	CHECK_INT(evlog_errors(l), 5);
	evlog_close(l);
	/* a full receiver does not block either */
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	CHECK_INT(bind(rx, (struct sockaddr *)&sun, sizeof sun), 0);
	s = settings_for(ev, 100000, 100000);
	l = evlog_open(&s, stderr);
	t0 = loop_now_ms();
	for (int i = 0; i < 5000; i++)
		write_frame(l, 3);
	CHECK(loop_now_ms() - t0 < 2000);
	CHECK(evlog_errors(l) > 0);
	CHECK_INT(evlog_written(l) + evlog_errors(l), 5000);
	evlog_close(l);
	close(rx);
	unlink(sock);
}

TEST_MAIN("test_evlog", {
	snprintf(dir, sizeof dir, "/tmp/test_evlog.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	memset(&zero_msu, 0, sizeof zero_msu);
	RUN(test_exact_lines_and_bucket);
	RUN(test_off_and_defaults);
	RUN(test_reopen_after_rotation);
	RUN(test_errors);
	RUN(test_syslog);
	rmdir(dir);
})
