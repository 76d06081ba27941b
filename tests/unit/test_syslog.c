/* SIEM outputs of the event log: RFC 5424 messages byte for byte (header,
 * structured data and its escaping of '"', '\\', ']'), the journal's native
 * entries (plain and length-prefixed fields), and the collector connection
 * on real loopback sockets: UDP datagrams, TCP octet counting (RFC 6587),
 * the bounded queue with counted drops, reconnect after a refusal and after
 * the collector closed. Last, evlog feeding both outputs. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/event.h"
#include "ss7fw/ops.h"
#include "ss7fw/siem.h"

static FILE *devnull;
static const struct timespec ts0 = { .tv_sec = 1795593601, .tv_nsec = 250000000 };  /* 2026-11-25T08:00:01.25Z */

static struct siem_fields fields_odd(void)
{
	struct siem_fields f;
	memset(&f, 0, sizeof f);
	f.verdict = "drop";
	f.rule = "odd]\"\\rule";
	f.reason = "rule";
	f.link = "carrier-a";
	f.dir = "in";
	strcpy(f.cgpa, "447700900001");
	strcpy(f.cdpa, "9991255000001");
	f.op = "sendRoutingInfoForSM";
	f.severity = 4;
	return f;
}

static void test_escape(void)
{
	char out[64];
	CHECK_INT(syslog_sd_escape(out, sizeof out, "a]b\"c\\d"), 10);
	CHECK_STR(out, "a\\]b\\\"c\\\\d");
	CHECK_INT(syslog_sd_escape(out, sizeof out, ""), 0);
	CHECK_STR(out, "");
	/* exactly fits: 3 escaped characters need 6 + NUL */
	CHECK_INT(syslog_sd_escape(out, 7, "]]]"), 6);
	CHECK_INT(syslog_sd_escape(out, 6, "]]]"), (size_t)-1);
	CHECK_INT(syslog_sd_escape(out, 0, "x"), (size_t)-1);
}

static void test_sd_id(void)
{
	CHECK(syslog_sd_id_valid("ss7fw@32473"));
	CHECK(syslog_sd_id_valid("fw@1.2.3"));
	CHECK(!syslog_sd_id_valid("ss7fw"));            /* no enterprise number */
	CHECK(!syslog_sd_id_valid("@32473"));
	CHECK(!syslog_sd_id_valid("ss7fw@"));
	CHECK(!syslog_sd_id_valid("ss7 fw@32473"));
	CHECK(!syslog_sd_id_valid("ss7fw@32473x"));
	CHECK(!syslog_sd_id_valid("a]b@1"));
	CHECK(!syslog_sd_id_valid("a\"b@1"));
	CHECK(!syslog_sd_id_valid("a=b@1"));
	CHECK(!syslog_sd_id_valid("a@b@1"));
	CHECK(!syslog_sd_id_valid("abcdefghijklmnopqrstuvwxyz@12345678"));  /* 35 > 32 */
}

static void test_format_5424(void)
{
	struct siem_fields f = fields_odd();
	char out[1024];
	const char *msg = "{\"verdict\":\"drop\"}";
	size_t n = syslog5424_format(out, sizeof out, 16, &ts0, "fw1", 42, "msu", "ss7fw@32473", &f,
				     msg, strlen(msg));
	const char *want =
		"<132>1 2026-11-25T08:00:01.250000Z fw1 ss7fw 42 msu "
		"[ss7fw@32473 verdict=\"drop\" shadow=\"false\" rule=\"odd\\]\\\"\\\\rule\" reason=\"rule\" "
		"link=\"carrier-a\" dir=\"in\" cgpa=\"447700900001\" cdpa=\"9991255000001\" "
		"op=\"sendRoutingInfoForSM\"] {\"verdict\":\"drop\"}";
	CHECK_INT(n, strlen(want));
	out[n < sizeof out ? n : sizeof out - 1] = 0;
	CHECK_STR(out, want);

	/* fields absent are left out; shadow allow is severity 6 here */
	struct siem_fields g;
	memset(&g, 0, sizeof g);
	g.verdict = "allow";
	g.shadow = true;
	g.link = "l";
	g.severity = 6;
	n = syslog5424_format(out, sizeof out, 0, &ts0, "", 7, NULL, "x@1", &g, NULL, 0);
	out[n] = 0;
	CHECK_STR(out, "<6>1 2026-11-25T08:00:01.250000Z - ss7fw 7 - [x@1 verdict=\"allow\" shadow=\"true\" link=\"l\"]");

	/* no fields: NILVALUE structured data, notice */
	n = syslog5424_format(out, sizeof out, 23, &ts0, "h", 1, "suppressed", "x@1", NULL, "{}", 2);
	out[n] = 0;
	CHECK_STR(out, "<189>1 2026-11-25T08:00:01.250000Z h ss7fw 1 suppressed - {}");

	/* too small: 0, never a cut message */
	CHECK_INT(syslog5424_format(out, 60, 16, &ts0, "fw1", 42, "msu", "ss7fw@32473", &f, msg, strlen(msg)), 0);
}

static void test_format_journal(void)
{
	struct siem_fields f = fields_odd();
	f.rule = "two\nlines";
	char out[2048];
	const char *json = "{\"a\":1}\n";
	size_t n = journal_format(out, sizeof out, 16, &f, "drop sendRoutingInfoForSM", json, strlen(json));
	const char *head =
		"MESSAGE=drop sendRoutingInfoForSM\n"
		"PRIORITY=4\n"
		"SYSLOG_FACILITY=16\n"
		"SYSLOG_IDENTIFIER=ss7fw\n"
		"MESSAGE_ID=" SS7FW_JOURNAL_MSGID "\n"
		"SS7FW_VERDICT=drop\n"
		"SS7FW_SHADOW=false\n"
		"SS7FW_RULE\n";
	const char *tail =
		"two\nlines\n"
		"SS7FW_REASON=rule\n"
		"SS7FW_LINK=carrier-a\n"
		"SS7FW_DIR=in\n"
		"SS7FW_CGPA=447700900001\n"
		"SS7FW_CDPA=9991255000001\n"
		"SS7FW_OP=sendRoutingInfoForSM\n"
		"SS7FW_JSON={\"a\":1}\n";
	size_t hl = strlen(head), tl = strlen(tail);
	CHECK_INT(n, hl + 8 + tl);
	CHECK_MEM(out, head, hl);
	CHECK_MEM(out + hl, "\x09\0\0\0\0\0\0\0", 8);   /* 9, little-endian 64 bits */
	CHECK_MEM(out + hl + 8, tail, tl);

	n = journal_format(out, sizeof out, 3, NULL, "suppressed 5 events", "{}\n", 3);
	out[n] = 0;
	CHECK_STR(out, "MESSAGE=suppressed 5 events\nPRIORITY=5\nSYSLOG_FACILITY=3\n"
		       "SYSLOG_IDENTIFIER=ss7fw\nSS7FW_JSON={}\n");
	CHECK_INT(journal_format(out, 40, 3, &f, "x", "{}", 2), 0);
}

/* ---- sockets */

static int udp_listener(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int tcp_listener(uint16_t *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(*port) };
	socklen_t al = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, ms) == 1;
}

/* Reads exactly want bytes (1 s limit). */
static size_t read_all(int fd, char *buf, size_t want)
{
	size_t got = 0;
	for (int i = 0; i < 100 && got < want; i++) {
		if (!readable(fd, 10))
			continue;
		ssize_t n = recv(fd, buf + got, want - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static void test_udp(void)
{
	uint16_t port;
	int lfd = udp_listener(&port);
	CHECK(lfd >= 0);
	char srv[32];
	snprintf(srv, sizeof srv, "127.0.0.1:%u", port);
	struct syslog_out *s = syslog_out_open(srv, CFG_SYSLOG_UDP, 65536, stderr);
	CHECK(s != NULL);
	if (!s)
		return;
	syslog_out_send(s, "<13>1 - - - - - - one", 21);
	syslog_out_send(s, "<13>1 - - - - - - two", 21);
	char buf[256];
	ssize_t n = readable(lfd, 1000) ? recv(lfd, buf, sizeof buf, 0) : -1;
	CHECK_INT(n, 21);
	CHECK_MEM(buf, "<13>1 - - - - - - one", 21);
	n = readable(lfd, 1000) ? recv(lfd, buf, sizeof buf, 0) : -1;
	CHECK_INT(n, 21);
	CHECK_MEM(buf, "<13>1 - - - - - - two", 21);
	struct syslog_out_stats st;
	syslog_out_get_stats(s, &st);
	CHECK_INT(st.sent, 2);
	CHECK_INT(st.dropped, 0);
	CHECK_INT(st.queued, 0);
	CHECK(st.up);
	syslog_out_close(s);
	close(lfd);

	/* bad addresses are refused at open */
	CHECK(syslog_out_open("localhost:514", CFG_SYSLOG_UDP, 65536, devnull) == NULL);
	CHECK(syslog_out_open("127.0.0.1", CFG_SYSLOG_UDP, 65536, devnull) == NULL);
	CHECK(syslog_out_open("127.0.0.1:0", CFG_SYSLOG_UDP, 65536, devnull) == NULL);
	CHECK(syslog_out_open("::1:514", CFG_SYSLOG_UDP, 65536, devnull) == NULL);
	struct syslog_out *s6 = syslog_out_open("[::1]:514", CFG_SYSLOG_UDP, 65536, stderr);
	CHECK(s6 != NULL);
	syslog_out_close(s6);
}

static void sleep_ms(int ms) { poll(NULL, 0, ms); }

static void test_tcp_framing_queue_reconnect(void)
{
	/* a port with no listener: connections are refused, messages queue */
	uint16_t port = 0;
	int probe = tcp_listener(&port);
	CHECK(probe >= 0);
	close(probe);
	char srv[32];
	snprintf(srv, sizeof srv, "127.0.0.1:%u", port);
	struct syslog_out *s = syslog_out_open(srv, CFG_SYSLOG_TCP, 4096, stderr);
	CHECK(s != NULL);
	if (!s)
		return;
	char msg[1000];
	memset(msg, 'm', sizeof msg);
	/* each record: 4 + "1000 " + 1000 = 1009 octets: 4 fit in 4096 */
	for (int i = 0; i < 6; i++) {
		msg[0] = (char)('0' + i);
		syslog_out_send(s, msg, sizeof msg);
	}
	struct syslog_out_stats st;
	syslog_out_get_stats(s, &st);
	CHECK_INT(st.sent, 0);
	CHECK_INT(st.dropped, 2);
	CHECK_INT(st.queued, 4 * 1009);
	CHECK(!st.up);
	CHECK(st.errors >= 1);

	/* the collector comes: after the backoff the queue goes out, framed */
	int lfd = tcp_listener(&port);
	CHECK(lfd >= 0);
	int cfd = -1;
	for (int i = 0; i < 100 && cfd < 0; i++) {
		sleep_ms(20);
		syslog_out_tick(s);
		if (readable(lfd, 0))
			cfd = accept(lfd, NULL, NULL);
	}
	CHECK(cfd >= 0);
	char buf[8192];
	size_t got = read_all(cfd, buf, 4 * 1005);
	CHECK_INT(got, 4 * 1005);
	for (int i = 0; i < 4; i++) {
		CHECK_MEM(buf + i * 1005, "1000 ", 5);
		CHECK_INT(buf[i * 1005 + 5], '0' + i);
		CHECK_INT(buf[i * 1005 + 6], 'm');
	}
	syslog_out_get_stats(s, &st);
	CHECK_INT(st.sent, 4);
	CHECK_INT(st.connects, 1);
	CHECK_INT(st.queued, 0);
	CHECK(st.up);

	/* the collector closes: detected on the loop, reconnect, go on */
	struct loop *l = loop_new();
	syslog_out_attach(s, l);
	close(cfd);
	for (int i = 0; i < 50; i++) {
		loop_run_once(l, 20);
		syslog_out_get_stats(s, &st);
		if (!st.up)
			break;
	}
	CHECK(!st.up);
	cfd = -1;
	for (int i = 0; i < 100 && cfd < 0; i++) {
		loop_run_once(l, 20);
		syslog_out_tick(s);
		if (readable(lfd, 0))
			cfd = accept(lfd, NULL, NULL);
	}
	CHECK(cfd >= 0);
	syslog_out_send(s, "<13>1 - - - - - - again", 23);
	for (int i = 0; i < 20; i++)
		loop_run_once(l, 10);
	got = read_all(cfd, buf, 26);
	CHECK_INT(got, 26);
	CHECK_MEM(buf, "23 <13>1 - - - - - - again", 26);
	syslog_out_get_stats(s, &st);
	CHECK_INT(st.connects, 2);
	CHECK_INT(st.sent, 5);
	CHECK_INT(st.dropped, 2);
	syslog_out_close(s);
	loop_free(l);
	if (cfd >= 0)
		close(cfd);
	close(lfd);
}

/* evlog feeds the journal and the collector with the same record. */
static void test_evlog_outputs(void)
{
	char dir[] = "/tmp/test_syslog.XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char jpath[96];
	snprintf(jpath, sizeof jpath, "%s/journal.sock", dir);
	int jfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	CHECK(strlen(jpath) < sizeof sun.sun_path);
	memcpy(sun.sun_path, jpath, strlen(jpath) + 1);
	CHECK(bind(jfd, (struct sockaddr *)&sun, sizeof sun) == 0);
	uint16_t port;
	int ufd = udp_listener(&port);

	struct settings_cfg s;
	memset(&s, 0, sizeof s);
	s.journal = true;
	snprintf(s.syslog_server, sizeof s.syslog_server, "127.0.0.1:%u", port);
	s.syslog_transport = CFG_SYSLOG_UDP;
	s.syslog_facility = 16;
	snprintf(s.syslog_sd_id, sizeof s.syslog_sd_id, "ss7fw@32473");
	struct evlog *l = evlog_open(&s, stderr);
	CHECK(l != NULL);
	if (!l)
		return;
	evlog_set_journal_socket(l, jpath);

	static struct msu m;
	struct msu_meta mt = { .ts = ts0, .frame = 3, .link = 0, .link_name = "carrier-a", .dir = FW_DIR_IN };
	struct fw_decision d = { .verdict = FW_DROP, .reason = FW_REASON_RULE, .rule = "r\"1]", .log = true };
	evlog_write(l, &m, &mt, &d);
	char json[1024];
	size_t jn = event_json(json, sizeof json, &m, &mt, &d);
	CHECK(jn > 1);
	json[jn - 1] = 0;                                     /* without '\n' */

	char buf[4096];
	ssize_t n = readable(jfd, 1000) ? recv(jfd, buf, sizeof buf - 1, 0) : -1;
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = 0;
	char want[1200];
	snprintf(want, sizeof want, "SS7FW_JSON=%s\n", json);
	CHECK(strstr(buf, "MESSAGE=drop - cgpa=- cdpa=- link=carrier-a/in rule=r\"1]\nPRIORITY=4\n") == buf);
	CHECK(strstr(buf, "\nSS7FW_VERDICT=drop\nSS7FW_SHADOW=false\nSS7FW_RULE=r\"1]\nSS7FW_REASON=rule\n"
			  "SS7FW_LINK=carrier-a\nSS7FW_DIR=in\nSS7FW_JSON=") != NULL);
	CHECK(strstr(buf, want) != NULL && strlen(strstr(buf, want)) == strlen(want));

	n = readable(ufd, 1000) ? recv(ufd, buf, sizeof buf - 1, 0) : -1;
	CHECK(n > 0);
	buf[n > 0 ? n : 0] = 0;
	CHECK(strncmp(buf, "<132>1 ", 7) == 0);
	snprintf(want, sizeof want, " ss7fw %ld msu [ss7fw@32473 verdict=\"drop\" shadow=\"false\" "
		 "rule=\"r\\\"1\\]\" reason=\"rule\" link=\"carrier-a\" dir=\"in\"] %s", (long)getpid(), json);
	CHECK(strstr(buf, want) != NULL && strlen(strstr(buf, want)) == strlen(want));
	CHECK_INT(evlog_written(l), 1);

	char *mt_text = NULL;
	size_t mt_len = 0;
	FILE *mf = open_memstream(&mt_text, &mt_len);
	evlog_metrics_prom(l, mf);
	fclose(mf);
	CHECK(strstr(mt_text, "\nss7fw_syslog_sent_total 1\n") != NULL);
	CHECK(strstr(mt_text, "\nss7fw_syslog_dropped_total 0\n") != NULL);
	CHECK(strstr(mt_text, "\nss7fw_syslog_up 1\n") != NULL);
	CHECK(strstr(mt_text, "\nss7fw_journal_sent_total 1\n") != NULL);
	CHECK(strstr(mt_text, "\nss7fw_journal_errors_total 0\n") != NULL);
	free(mt_text);

	/* journald gone: a counted error, no wait */
	close(jfd);
	unlink(jpath);
	evlog_write(l, &m, &mt, &d);
	mf = open_memstream(&mt_text, &mt_len);
	evlog_metrics_prom(l, mf);
	fclose(mf);
	CHECK(strstr(mt_text, "\nss7fw_journal_errors_total 1\n") != NULL);
	CHECK(strstr(mt_text, "\nss7fw_syslog_sent_total 2\n") != NULL);
	free(mt_text);
	evlog_close(l);
	close(ufd);
	rmdir(dir);

	/* a bad SD-ID is refused at open */
	snprintf(s.syslog_sd_id, sizeof s.syslog_sd_id, "ss7fw");
	s.journal = false;
	CHECK(evlog_open(&s, devnull) == NULL);
}

TEST_MAIN("test_syslog", {
	devnull = fopen("/dev/null", "w");
	RUN(test_escape);
	RUN(test_sd_id);
	RUN(test_format_5424);
	RUN(test_format_journal);
	RUN(test_udp);
	RUN(test_tcp_framing_queue_reconnect);
	RUN(test_evlog_outputs);
	fclose(devnull);
})
