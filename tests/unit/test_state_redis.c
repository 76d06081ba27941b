/* The correlation state shared through Debian's redis-server (track-redis.h),
 * with engines screening encoder-built MSUs under policies/ir71.conf. Each
 * test starts its own redis-server on a free loopback port (no persistence),
 * kills it with SIGKILL at the end. Every wait is bounded.
 *  - refusals: no password configured, a Redis open to anyone, a wrong
 *    password; allowed when allow_unauthenticated;
 *  - two instances: an SRI-SM through A opens the RSDS window at B; a
 *    transaction our HLR opens through A is known at B, and B's End closes
 *    it at A; our HLR's SRI-SM answer through A arms fsm_solicited at B
 *    and admits the forward-SM it solicits there; the visibility delay is
 *    measured;
 *  - restart: a new instance copies the live state before screening
 *    (armed and solicited from the start);
 *  - Redis killed: screening goes on without waiting, degraded is said and
 *    counted, fail = "open" lets a stateful check pass while degraded; Redis
 *    started again: both reconnect, sharing resumes;
 *  - TLS (settings.state.tls) to a TLS-only Redis with certificates made
 *    by the openssl tool: shared state over TLS, by address and by name;
 *    another CA, another name and a plain connection refused.
 * Run from the repository root (tests/run.sh does). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis.h>

#include "enc/enc-msu.h"
#include "harness.h"
#include "metric.h"
#include "ss7fw/engine.h"
#include "ss7fw/track-redis.h"

#define IR71 "policies/ir71.conf"

static char dir[64];

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now_real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static uint16_t free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bind(fd, (struct sockaddr *)&a, sizeof a);
	socklen_t l = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &l);
	close(fd);
	return ntohs(a.sin_port);
}

static bool port_open(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

/* redis-server with the configuration file conf; its pid once port accepts
 * connections, -1. */
static pid_t redis_run(const char *conf, uint16_t port)
{
	pid_t pid = fork();
	if (pid == 0) {
		execlp("redis-server", "redis-server", conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 300 && pid > 0; i++) {
		if (port_open(port))
			return pid;
		sleep_ms(10);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* redis-server on port: secured (default user off, user ss7fw with password
 * "secret-1") or open to anyone. Returns its pid once it accepts, -1. */
static pid_t redis_start(uint16_t port, bool secured)
{
	char conf[128];
	snprintf(conf, sizeof conf, "%s/redis-%u.conf", dir, port);
	FILE *f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "port %u\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndir %s\nlogfile %s/redis-%u.log\n",
		port, dir, dir, port);
	if (secured)
		fprintf(f, "user default off\nuser ss7fw on >secret-1 ~ss7fw:* +@all\n");
	else
		fprintf(f, "protected-mode no\n");
	fclose(f);
	return redis_run(conf, port);
}

static void redis_kill(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static struct state_cfg cfg(uint16_t port, const char *pass_file)
{
	struct state_cfg c;
	memset(&c, 0, sizeof c);
	c.backend = STATE_REDIS;
	snprintf(c.host, sizeof c.host, "127.0.0.1");
	c.port = port;
	snprintf(c.user, sizeof c.user, "ss7fw");
	if (pass_file)
		snprintf(c.password_file, sizeof c.password_file, "%s", pass_file);
	snprintf(c.prefix, sizeof c.prefix, "ss7fw");
	c.backlog = 1024;
	c.stream_max = 100000;
	c.connect_timeout_ms = 300;
	return c;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[8][128];
	static int k;
	char *p = path[k++ % 8];
	snprintf(p, 128, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* One instance: an engine with ir71.conf and its Redis client. */
struct inst {
	struct engine *e;
	struct track_redis *tr;
	struct msu m;
};

static bool inst_open(struct inst *x, const struct state_cfg *c, bool start)
{
	memset(x, 0, sizeof *x);
	x->e = engine_new();
	if (!x->e || engine_load(x->e, IR71, stderr) != 0)
		return false;
	x->tr = track_redis_new(engine_track(x->e), c, stderr);
	if (!x->tr)
		return false;
	if (track_redis_load(x->tr, stderr) < 0)
		return false;   /* -2 (refused) for a wrong password */
	return !start || track_redis_start(x->tr) == 0;
}

static void inst_close(struct inst *x)
{
	track_redis_free(x->tr);
	engine_free(x->e);
}

static struct fw_decision screen(struct inst *x, const struct enc_msu *s, uint8_t dir_)
{
	uint8_t buf[4096];
	size_t n = enc_msu_build(buf, sizeof buf, s);
	struct msu_meta meta = { .frame = 1, .link = 0, .link_name = "carrier-a", .dir = dir_ };
	clock_gettime(CLOCK_REALTIME, &meta.ts);   /* as the relay stamps it */
	struct fw_decision d;
	engine_screen(x->e, buf, n, &meta, &x->m, &d);
	return d;
}

static struct enc_msu sri(const char *msisdn)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.msisdn = msisdn;
	return s;
}

static struct enc_msu rsds(const char *msisdn)
{
	struct enc_msu s;
	enc_msu_defaults(&s);
	s.opcode = 47;
	s.msisdn = msisdn;
	return s;
}

/* Screens s at x until it is forwarded (not dropped) or ms pass; the time
 * it took, or -1. */
static long until_forwarded(struct inst *x, const struct enc_msu *s, int ms)
{
	uint64_t t0 = now_ms();
	while (now_ms() < t0 + (uint64_t)ms) {
		if (screen(x, s, FW_DIR_IN).forward)
			return (long)(now_ms() - t0);
		sleep_ms(2);
	}
	return -1;
}

static bool wait_degraded(struct inst *x, bool want, int ms)
{
	uint64_t t0 = now_ms();
	struct track_redis_stats st;
	while (now_ms() < t0 + (uint64_t)ms) {
		track_redis_stats(x->tr, &st);
		if (st.degraded == want)
			return true;
		sleep_ms(20);
	}
	return false;
}

static void test_refusals(void)
{
	uint16_t po = free_port();
	pid_t open_srv = redis_start(po, false);
	CHECK(open_srv > 0);
	const char *pass = write_file("pass", "secret-1\n");
	struct inst x;
	/* no password configured and not allowed: refused before connecting */
	struct state_cfg c = cfg(po, NULL);
	struct engine *e = engine_new();
	CHECK(engine_load(e, IR71, stderr) == 0);
	CHECK(track_redis_new(engine_track(e), &c, stderr) == NULL);
	/* a password, but the Redis answers anyone: refused at connect */
	c = cfg(po, pass);
	struct track_redis *tr = track_redis_new(engine_track(e), &c, stderr);
	CHECK(tr != NULL);
	CHECK_INT(track_redis_load(tr, stderr), -2);
	track_redis_free(tr);
	/* explicitly allowed */
	c = cfg(po, NULL);
	c.allow_unauthenticated = true;
	tr = track_redis_new(engine_track(e), &c, stderr);
	CHECK(tr != NULL);
	CHECK_INT(track_redis_load(tr, stderr), 0);
	track_redis_free(tr);
	engine_free(e);
	redis_kill(open_srv);

	/* a secured Redis and a wrong password: refused (-2); nobody there: -1 */
	uint16_t ps = free_port();
	pid_t sec = redis_start(ps, true);
	CHECK(sec > 0);
	c = cfg(ps, write_file("wrong", "secret-2\n"));
	e = engine_new();
	CHECK(engine_load(e, IR71, stderr) == 0);
	tr = track_redis_new(engine_track(e), &c, stderr);
	CHECK_INT(track_redis_load(tr, stderr), -2);
	track_redis_free(tr);
	c = cfg(free_port(), pass);
	tr = track_redis_new(engine_track(e), &c, stderr);
	CHECK_INT(track_redis_load(tr, stderr), -1);
	track_redis_free(tr);
	engine_free(e);
	c = cfg(ps, pass);
	CHECK(inst_open(&x, &c, false));
	inst_close(&x);
	redis_kill(sec);
}

/* A secured redis-server on a free port, and the configuration of an
 * instance that reaches it (user ss7fw, its password in a file). */
static pid_t secured_redis(uint16_t *port, struct state_cfg *c)
{
	*port = free_port();
	pid_t srv = redis_start(*port, true);
	CHECK(srv > 0);
	*c = cfg(*port, write_file("pass", "secret-1\n"));
	return srv;
}

static void test_pair_restart_faults(void)
{
	uint16_t port;
	struct state_cfg c;
	pid_t srv = secured_redis(&port, &c);
	struct inst a, b;
	CHECK(inst_open(&a, &c, true));
	CHECK(inst_open(&b, &c, true));

	/* RSDS window: the SRI-SM passes A, the RSDS comes to B */
	struct enc_msu r1 = rsds("9991255000401"), s1 = sri("9991255000401");
	CHECK(!screen(&b, &r1, FW_DIR_IN).forward);
	CHECK(screen(&a, &s1, FW_DIR_IN).forward);
	long ms = until_forwarded(&b, &r1, 2000);
	CHECK(ms >= 0);
	/* a transaction our HLR opens through A, answered through B */
	struct enc_msu begin, end;
	enc_msu_defaults(&begin);
	begin.cgpa_gt = ENC_HOME_HLR;
	begin.cdpa_gt = ENC_PARTNER_SMSC;
	begin.otid = 0x0a0b0c0d;
	begin.opcode = 71;
	CHECK(screen(&a, &begin, FW_DIR_OUT).forward);
	enc_msu_defaults(&end);
	end.tcap_type = TCAP_END;
	end.comp_type = TCAP_COMP_RESULT_LAST;
	end.dtid = 0x0a0b0c0d;
	end.cdpa_gt = ENC_HOME_HLR;
	bool known = false;
	for (int i = 0; i < 200 && !known; i++) {
		struct fw_decision d = screen(&b, &end, FW_DIR_IN);
		known = !d.shadow;   /* unsolicited is a shadow rule in ir71.conf */
		if (!known)
			sleep_ms(10);
	}
	CHECK(known);
	/* B's End closed it: A learns the delete, a second End at A is unsolicited */
	bool closed = false;
	for (int i = 0; i < 200 && !closed; i++) {
		closed = screen(&a, &end, FW_DIR_IN).shadow;
		if (!closed)
			sleep_ms(10);
	}
	CHECK(closed);
	/* forward-SM after SRI-SM across the pair: unarmed at B until our
	 * HLR's answer, seen at A, reaches it through Redis; then the
	 * solicited forward-SM passes B and one from the other SMSC does not */
	struct enc_msu fsm, fsm2, ask, ans;
	enc_msu_defaults(&fsm);
	fsm.opcode = 44;
	fsm2 = fsm;
	fsm2.cgpa_gt = fsm2.sc_addr = "999340002";
	CHECK(screen(&b, &fsm2, FW_DIR_IN).forward);
	CHECK_INT(test_metric(b.e, "ss7fw_fsm_unarmed_total"), 1);
	enc_msu_defaults(&ask);
	ask.otid = 0x0a0b0c0e;
	CHECK(screen(&a, &ask, FW_DIR_IN).forward);
	enc_msu_sri_sm_answer(&ans, ENC_PARTNER_SMSC, 0x0a0b0c0e);
	CHECK(screen(&a, &ans, FW_DIR_OUT).forward);
	bool armed = false;
	for (int i = 0; i < 200 && !armed; i++) {
		struct fw_decision d = screen(&b, &fsm2, FW_DIR_IN);
		armed = !d.forward;
		if (armed)
			CHECK_STR(d.rule, "ir71-fsm-solicited");
		else
			sleep_ms(10);
	}
	CHECK(armed);
	CHECK(screen(&b, &fsm, FW_DIR_IN).forward);
	struct track_redis_stats sa, sb;
	track_redis_stats(a.tr, &sa);
	track_redis_stats(b.tr, &sb);
	CHECK(sa.written >= 2);       /* the SRI-SM window, the transaction */
	CHECK(sb.learned >= 2);
	CHECK(sa.forgotten >= 1);     /* the End at B */
	CHECK_INT(sa.dropped + sa.lost, 0);
	double p50, p99;
	CHECK(track_redis_delay(b.tr, &p50, &p99));
	fprintf(stderr, "test_state_redis: visibility delay at B: p50 %.0f us, p99 %.0f us (ms to see the window: %ld)\n",
		p50, p99, ms);

	/* restart: a new instance copies the live state before screening */
	struct inst c2;
	CHECK(inst_open(&c2, &c, false));
	struct track_redis_stats sc;
	track_redis_stats(c2.tr, &sc);
	CHECK(sc.loaded >= 1);
	CHECK(screen(&c2, &r1, FW_DIR_IN).forward);   /* at once, nothing learned from the stream */
	CHECK(screen(&c2, &fsm, FW_DIR_IN).forward);   /* the answer loaded: armed, solicited */
	CHECK(!screen(&c2, &fsm2, FW_DIR_IN).forward);
	CHECK_INT(test_metric(c2.e, "ss7fw_fsm_unarmed_total"), 0);
	struct enc_msu r9 = rsds("9991255000409");
	CHECK(!screen(&c2, &r9, FW_DIR_IN).forward);  /* a window nobody opened stays shut */
	inst_close(&c2);

	/* an instance that fails open while Redis is away */
	struct state_cfg co = c;
	co.fail = STATE_FAIL_OPEN;
	struct inst d;
	CHECK(inst_open(&d, &co, true));

	/* Redis killed: screening goes on at once, degraded said and counted */
	redis_kill(srv);
	uint64_t t0 = now_ms();
	int fwd = 0;
	char msisdn[20];
	for (int i = 0; i < 300; i++) {
		snprintf(msisdn, sizeof msisdn, "99912550005%02d", i % 100);
		struct enc_msu s = sri(msisdn);
		fwd += screen(&a, &s, FW_DIR_IN).forward;
	}
	uint64_t took = now_ms() - t0;
	CHECK_INT(fwd, 300);
	CHECK(took < 1000);           /* no stall: nothing waits for Redis */
	CHECK(wait_degraded(&a, true, 3000));
	CHECK(wait_degraded(&b, true, 3000));
	CHECK(wait_degraded(&d, true, 3000));
	track_redis_stats(a.tr, &sa);
	CHECK(sa.errors >= 1);
	CHECK(sa.written + sa.lost + sa.dropped + sa.backlog >= 2 + 300);   /* every change accounted */
	/* fail open at D, closed at B, for a window nobody opened */
	CHECK(screen(&d, &r9, FW_DIR_IN).forward);
	CHECK(!screen(&b, &r9, FW_DIR_IN).forward);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	track_redis_metrics_prom(d.tr, f);
	fclose(f);
	CHECK(buf && strstr(buf, "ss7fw_state_degraded 1\n"));
	CHECK(buf && strstr(buf, "ss7fw_state_fail_open_total 1\n"));
	free(buf);

	/* Redis again (empty: no persistence): both reconnect, sharing resumes */
	srv = redis_start(port, true);
	CHECK(srv > 0);
	CHECK(wait_degraded(&a, false, 8000));
	CHECK(wait_degraded(&b, false, 8000));
	CHECK(wait_degraded(&d, false, 8000));
	CHECK(!screen(&d, &r9, FW_DIR_IN).forward);   /* closed again once restored */
	struct enc_msu r2 = rsds("9991255000402"), s2 = sri("9991255000402");
	CHECK(screen(&a, &s2, FW_DIR_IN).forward);
	CHECK(until_forwarded(&b, &r2, 3000) >= 0);
	track_redis_stats(a.tr, &sa);
	CHECK(sa.reconnects >= 1);
	inst_close(&d);
	inst_close(&a);
	inst_close(&b);
	redis_kill(srv);
}

/* The stream's entries: one per batch of changes, which another instance
 * learns in one read; and an entry of one change in the fields instances
 * wrote before (o, k, e, v, t), which an upgraded instance still learns. */
static void test_stream_entries(void)
{
	uint16_t port;
	struct state_cfg c;
	pid_t srv = secured_redis(&port, &c);
	struct inst a, b;
	CHECK(inst_open(&a, &c, false));
	CHECK(inst_open(&b, &c, true));
	/* 50 SRI-SMs at A before its writer starts: 100 changes (a window and
	 * a transaction each) waiting, then written as one batch */
	char msisdn[32];
	for (int i = 0; i < 50; i++) {
		snprintf(msisdn, sizeof msisdn, "99912550007%02d", i);
		struct enc_msu s = sri(msisdn);
		CHECK(screen(&a, &s, FW_DIR_IN).forward);
	}
	struct track_redis_stats sa, sb;
	track_redis_stats(a.tr, &sa);
	CHECK_INT(sa.backlog, 100);
	CHECK_INT(track_redis_start(a.tr), 0);
	for (int i = 0; i < 300; i++) {
		track_redis_stats(b.tr, &sb);
		if (sb.learned >= 100)
			break;
		sleep_ms(10);
	}
	CHECK_INT(sb.learned, 100);
	track_redis_stats(a.tr, &sa);
	CHECK_INT(sa.written, 100);
	/* one stream entry for the batch of 100 (B has written nothing yet) */
	redisContext *rc = redisConnect("127.0.0.1", port);
	CHECK(rc && !rc->err);
	redisReply *x = rc ? redisCommand(rc, "AUTH ss7fw secret-1") : NULL;
	CHECK(x && x->type == REDIS_REPLY_STATUS);
	freeReplyObject(x);
	x = rc ? redisCommand(rc, "XLEN ss7fw:s") : NULL;
	CHECK(x && x->type == REDIS_REPLY_INTEGER && x->integer == 1);
	freeReplyObject(x);
	struct enc_msu r = rsds("9991255000749");
	CHECK(screen(&b, &r, FW_DIR_IN).forward);
	/* an instance of the version before: one change, its own fields */
	struct enc_msu r2 = rsds("9991255000799");
	CHECK(!screen(&b, &r2, FW_DIR_IN).forward);
	track_redis_stats(b.tr, &sb);
	uint64_t learned_before = sb.learned;
	uint8_t md[8], sd[8];
	size_t mn = enc_tbcd(md, sizeof md, "9991255000799"), sn = enc_tbcd(sd, sizeof sd, ENC_PARTNER_SMSC);
	struct digits dm = { md, 13 }, ds = { sd, 9 };
	(void)mn;
	(void)sn;
	struct track_key k;
	track_key_sri(&k, &dm, &ds);
	char exp[24], t[24];
	snprintf(exp, sizeof exp, "%llu", (unsigned long long)(now_real_ms() + 600000));
	snprintf(t, sizeof t, "%llu", (unsigned long long)now_real_ms() * 1000);
	const char *av[] = { "XADD", "ss7fw:s", "*", "i", "0123456789abcdef", "o", "p", "k", (const char *)k.b,
			     "e", exp, "v", "0", "t", t };
	size_t al[sizeof av / sizeof av[0]];
	for (size_t i = 0; i < sizeof av / sizeof av[0]; i++)
		al[i] = strlen(av[i]);
	al[8] = k.len;
	x = rc ? redisCommandArgv(rc, (int)(sizeof av / sizeof av[0]), av, al) : NULL;
	CHECK(x && x->type == REDIS_REPLY_STRING);
	freeReplyObject(x);
	CHECK(until_forwarded(&b, &r2, 3000) >= 0);
	track_redis_stats(b.tr, &sb);
	CHECK_INT(sb.learned, learned_before + 1);
	if (rc)
		redisFree(rc);
	inst_close(&a);
	inst_close(&b);
	redis_kill(srv);
}

/* A CA and a server certificate for 127.0.0.1 (and the name "redis.test"),
 * made with the openssl tool in dir; a second CA that signed nothing. */
static bool make_certs(void)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
		 "cd %s && printf 'subjectAltName=IP:127.0.0.1,DNS:redis.test\n' > san.ext && "
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
		 "-out ca.pem -days 2 -subj /CN=ss7fw-test-ca && "
		 "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key "
		 "-out srv.csr -subj /CN=redis.test && "
		 "openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem "
		 "-days 2 -extfile san.ext && "
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key "
		 "-out other.pem -days 2 -subj /CN=someone-else",
		 dir);
	if (strlen(cmd) >= sizeof cmd - 1)
		return false;
	char full[2200];
	snprintf(full, sizeof full, "(%s) >%s/openssl.log 2>&1", cmd, dir);
	return system(full) == 0;
}

/* redis-server with TLS only (no plain port), secured, on port. */
static pid_t redis_start_tls(uint16_t port)
{
	char conf[128];
	snprintf(conf, sizeof conf, "%s/redis-tls-%u.conf", dir, port);
	FILE *f = fopen(conf, "w");
	if (!f)
		return -1;
	fprintf(f, "port 0\ntls-port %u\nbind 127.0.0.1\nsave \"\"\nappendonly no\ndir %s\n"
		"logfile %s/redis-tls-%u.log\ntls-cert-file %s/srv.pem\ntls-key-file %s/srv.key\n"
		"tls-ca-cert-file %s/ca.pem\ntls-auth-clients no\n"
		"user default off\nuser ss7fw on >secret-1 ~ss7fw:* +@all\n",
		port, dir, dir, port, dir, dir, dir);
	fclose(f);
	return redis_run(conf, port);
}

/* settings.state.tls: two instances share the state over TLS; a server
 * whose certificate does not chain to tls_ca_file, or does not name what
 * the instance expects, is refused, and so is a plain connection. */
static void test_tls(void)
{
	CHECK(make_certs());
	uint16_t port = free_port();
	pid_t srv = redis_start_tls(port);
	CHECK(srv > 0);
	const char *pass = write_file("pass", "secret-1\n");
	struct state_cfg c = cfg(port, pass);
	c.tls = true;
	snprintf(c.tls_ca_file, sizeof c.tls_ca_file, "%s/ca.pem", dir);
	struct inst a, b;
	CHECK(inst_open(&a, &c, true));
	CHECK(inst_open(&b, &c, true));
	struct enc_msu r1 = rsds("9991255000601"), s1 = sri("9991255000601");
	CHECK(!screen(&b, &r1, FW_DIR_IN).forward);
	CHECK(screen(&a, &s1, FW_DIR_IN).forward);
	CHECK(until_forwarded(&b, &r1, 3000) >= 0);
	struct track_redis_stats sa;
	track_redis_stats(a.tr, &sa);
	CHECK(sa.written >= 1 && !sa.degraded);
	/* by DNS name too */
	struct state_cfg cn = c;
	snprintf(cn.tls_server_name, sizeof cn.tls_server_name, "redis.test");
	struct inst n;
	CHECK(inst_open(&n, &cn, false));
	CHECK(screen(&n, &r1, FW_DIR_IN).forward);      /* the window, loaded over TLS */
	inst_close(&n);
	/* refused: another CA, another name, no TLS */
	struct { const char *what, *ca, *name; bool tls; } bad[] = {
		{ "another CA", "other.pem", "", true },
		{ "another name", "ca.pem", "redis.example", true },
		{ "no TLS", "ca.pem", "", false },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct state_cfg cb = c;
		cb.tls = bad[i].tls;
		snprintf(cb.tls_ca_file, sizeof cb.tls_ca_file, "%s/%s", dir, bad[i].ca);
		snprintf(cb.tls_server_name, sizeof cb.tls_server_name, "%s", bad[i].name);
		struct inst x;
		memset(&x, 0, sizeof x);
		x.e = engine_new();
		CHECK(x.e && engine_load(x.e, IR71, stderr) == 0);
		x.tr = track_redis_new(engine_track(x.e), &cb, stderr);
		CHECK(x.tr != NULL);
		char *msg = NULL;
		size_t ml = 0;
		FILE *err = open_memstream(&msg, &ml);
		long got = x.tr ? track_redis_load(x.tr, err) : 0;
		fclose(err);
		if (got != -1)
			fprintf(stderr, "  %s: track_redis_load %ld\n", bad[i].what, got);
		CHECK_INT(got, -1);
		if (bad[i].tls && (!msg || !strstr(msg, "certificate")))
			fprintf(stderr, "  %s: %s", bad[i].what, msg ? msg : "(nothing)\n");
		CHECK(!bad[i].tls || (msg && strstr(msg, "certificate")));
		free(msg);
		inst_close(&x);
	}
	/* a missing CA file is a configuration error */
	struct state_cfg cm = c;
	snprintf(cm.tls_ca_file, sizeof cm.tls_ca_file, "%s/none.pem", dir);
	struct engine *e = engine_new();
	CHECK(track_redis_new(engine_track(e), &cm, stderr) == NULL);
	engine_free(e);
	inst_close(&a);
	inst_close(&b);
	redis_kill(srv);
}

TEST_MAIN("test_state_redis", {
	snprintf(dir, sizeof dir, "/tmp/ss7fw-redis-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	RUN(test_refusals);
	RUN(test_pair_restart_faults);
	RUN(test_stream_entries);
	RUN(test_tls);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
})
