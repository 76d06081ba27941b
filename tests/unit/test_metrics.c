/* Prometheus endpoint: real HTTP over loopback against a metrics_srv driven
 * by loop_run_once in this process: 200/404/405/400/431, HEAD, HTTP/1.0,
 * split requests, large bodies, slow clients, the connection bound. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/ops.h"

static size_t big_len;          /* render: this many bytes when not 0 */
static int renders;

static void render(void *arg, FILE *out)
{
	(void)arg;
	renders++;
	if (big_len) {
		for (size_t i = 0; i < big_len; i++)
			fputc(i % 64 == 63 ? '\n' : 'a' + (int)(i % 26), out);
		return;
	}
	fputs("# TYPE ss7fw_x_total counter\nss7fw_x_total 1\n", out);
}

static int client(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Runs the loop and reads fd until the server closes it or ms pass.
 * Returns the bytes read (into out, NUL-terminated), -1 on timeout. */
static long drain(struct loop *l, int fd, char *out, size_t cap, unsigned ms)
{
	size_t len = 0;
	uint64_t end = loop_now_ms() + ms;
	while (loop_now_ms() < end) {
		loop_run_once(l, 10);
		for (;;) {
			ssize_t n = recv(fd, out + len, cap - 1 - len, 0);
			if (n > 0) {
				len += (size_t)n;
				if (len == cap - 1)
					return -1;
				continue;
			}
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
				out[len] = 0;
				return (long)len;
			}
			break;
		}
	}
	out[len] = 0;
	return -1;
}

static long exchange(struct loop *l, uint16_t port, const char *req, char *out, size_t cap)
{
	int fd = client(port);
	if (fd < 0)
		return -1;
	if (send(fd, req, strlen(req), MSG_NOSIGNAL) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	long n = drain(l, fd, out, cap, 2000);
	close(fd);
	return n;
}

static struct loop *lp;
static struct metrics_srv *srv;
static uint16_t port;

static const char *ok_body = "# TYPE ss7fw_x_total counter\nss7fw_x_total 1\n";

static void test_get_metrics(void)
{
	char buf[4096], exp[1024];
	renders = 0;
	snprintf(exp, sizeof exp,
		 "HTTP/1.1 200 OK\r\n"
		 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(ok_body), ok_body);
	long n = exchange(lp, port, "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n",
			  buf, sizeof buf);
	CHECK_INT(n, strlen(exp));
	CHECK_STR(buf, exp);
	CHECK_INT(renders, 1);
	/* HTTP/1.0, query string, bare LF line ends */
	snprintf(exp, sizeof exp,
		 "HTTP/1.0 200 OK\r\n"
		 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", strlen(ok_body), ok_body);
	exchange(lp, port, "GET /metrics?x=1 HTTP/1.0\n\n", buf, sizeof buf);
	CHECK_STR(buf, exp);
	/* HEAD: the head only, with the body's length */
	snprintf(exp, sizeof exp,
		 "HTTP/1.1 200 OK\r\n"
		 "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		 "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(ok_body));
	exchange(lp, port, "HEAD /metrics HTTP/1.1\r\n\r\n", buf, sizeof buf);
	CHECK_STR(buf, exp);
	CHECK_INT(metrics_srv_connections(srv), 0);
}

static void test_errors(void)
{
	char buf[4096];
	exchange(lp, port, "GET / HTTP/1.1\r\n\r\n", buf, sizeof buf);
	CHECK_STR(buf, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\n"
		  "Content-Length: 14\r\nConnection: close\r\n\r\n404 Not Found\n");
	exchange(lp, port, "GET /metricsx HTTP/1.0\r\n\r\n", buf, sizeof buf);
	CHECK(strncmp(buf, "HTTP/1.0 404 Not Found\r\n", 24) == 0);
	exchange(lp, port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", buf, sizeof buf);
	CHECK_STR(buf, "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\n"
		  "Content-Length: 23\r\nAllow: GET, HEAD\r\nConnection: close\r\n\r\n"
		  "405 Method Not Allowed\n");
	/* a request with a body: the answer still arrives whole */
	exchange(lp, port, "PUT /metrics HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world", buf, sizeof buf);
	CHECK(strncmp(buf, "HTTP/1.1 405 Method Not Allowed\r\n", 33) == 0);
	CHECK(strstr(buf, "\r\n\r\n405 Method Not Allowed\n") != NULL);
	exchange(lp, port, "HELLO\r\n\r\n", buf, sizeof buf);
	CHECK(strncmp(buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
	exchange(lp, port, "GET /metrics HTTP/2.0\r\n\r\n", buf, sizeof buf);
	CHECK(strncmp(buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
	exchange(lp, port, "GET  /metrics HTTP/1.1\r\n\r\n", buf, sizeof buf);
	CHECK(strncmp(buf, "HTTP/1.1 400 Bad Request\r\n", 26) == 0);
	/* a head that never ends within 4 KiB */
	static char big[6000];
	memcpy(big, "GET /metrics HTTP/1.1\r\n", 23);
	for (size_t i = 23; i < sizeof big - 1; i++)
		big[i] = i % 40 == 39 ? '\n' : 'h';
	big[sizeof big - 1] = 0;
	int fd = client(port);
	CHECK(fd >= 0);
	CHECK_INT(send(fd, big, strlen(big), MSG_NOSIGNAL), (long)strlen(big));
	long n = drain(lp, fd, buf, sizeof buf, 2000);
	CHECK(n > 0);
	CHECK(strncmp(buf, "HTTP/1.1 431 Request Header Fields Too Large\r\n", 46) == 0);
	close(fd);
	CHECK_INT(metrics_srv_connections(srv), 0);
}

/* The request arrives a few bytes at a time, across loop turns. */
static void test_split_request(void)
{
	const char *req = "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n";
	int fd = client(port);
	CHECK(fd >= 0);
	for (size_t i = 0; i < strlen(req); i += 5) {
		size_t k = strlen(req) - i < 5 ? strlen(req) - i : 5;
		CHECK_INT(send(fd, req + i, k, MSG_NOSIGNAL), (long)k);
		loop_run_once(lp, 5);
		if (i + k < strlen(req))
			CHECK_INT(metrics_srv_connections(srv), 1);
	}
	char buf[4096];
	long n = drain(lp, fd, buf, sizeof buf, 2000);
	CHECK(n > 0);
	CHECK(strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0);
	CHECK(strstr(buf, ok_body) != NULL);
	close(fd);
}

/* 3 MB: more than the socket takes at once, finished on EPOLLOUT. */
static void test_large_body(void)
{
	big_len = 3u << 20;
	char *buf = malloc(4u << 20);
	long n = exchange(lp, port, "GET /metrics HTTP/1.1\r\n\r\n", buf, 4u << 20);
	char head[200];
	snprintf(head, sizeof head, "Content-Length: %zu\r\n", big_len);
	CHECK(n > (long)big_len);
	CHECK(strstr(buf, head) != NULL);
	const char *body = strstr(buf, "\r\n\r\n");
	CHECK(body && (size_t)(n - (body + 4 - buf)) == big_len);
	if (body)
		CHECK(body[4] == 'a' && body[4 + 63] == '\n' && buf[n - 1] == '\n');  /* 3 MiB: a multiple of 64 */
	free(buf);
	big_len = 0;
}

/* A client that sends part of a request and stops is cut at its deadline. */
static void test_slow_client(void)
{
	metrics_srv_set_timeout(srv, 200);
	int fd = client(port);
	CHECK(fd >= 0);
	CHECK_INT(send(fd, "GET /met", 8, MSG_NOSIGNAL), 8);
	uint64_t t0 = loop_now_ms();
	char buf[256];
	long n = drain(lp, fd, buf, sizeof buf, 3000);
	uint64_t dt = loop_now_ms() - t0;
	CHECK_INT(n, 0);                              /* closed, no response */
	CHECK(dt >= 150 && dt < 1500);
	CHECK_INT(metrics_srv_connections(srv), 0);
	close(fd);
	metrics_srv_set_timeout(srv, 0);
}

/* At most 16 connections: the 17th and later are closed at once, and
 * serving resumes when slots free up. */
static void test_connection_bound(void)
{
	metrics_srv_set_timeout(srv, 300);
	int fds[20];
	for (int i = 0; i < 20; i++) {
		fds[i] = client(port);
		CHECK(fds[i] >= 0);
		for (int k = 0; k < 3; k++)
			loop_run_once(lp, 5);
	}
	CHECK_INT(metrics_srv_connections(srv), 16);
	char buf[64];
	int closed = 0;
	for (int i = 0; i < 20; i++) {
		ssize_t n = recv(fds[i], buf, sizeof buf, 0);
		closed += n == 0;
	}
	CHECK_INT(closed, 4);
	/* while full, a new client is refused */
	char big[512];
	long n = exchange(lp, port, "GET /metrics HTTP/1.1\r\n\r\n", big, sizeof big);
	CHECK_INT(n, 0);
	/* the idle ones time out; then requests are served again */
	uint64_t end = loop_now_ms() + 2000;
	while (metrics_srv_connections(srv) && loop_now_ms() < end)
		loop_run_once(lp, 20);
	CHECK_INT(metrics_srv_connections(srv), 0);
	for (int i = 0; i < 20; i++)
		close(fds[i]);
	n = exchange(lp, port, "GET /metrics HTTP/1.1\r\n\r\n", big, sizeof big);
	CHECK(n > 0 && strncmp(big, "HTTP/1.1 200 OK\r\n", 17) == 0);
	metrics_srv_set_timeout(srv, 0);
}

/* Out of file descriptors: the pending connection cannot be accepted; the
 * listener is paused instead of waking the loop in a busy cycle, and the
 * client is served once descriptors are free again. */
static void test_out_of_fds(void)
{
	struct rlimit old, lim;
	CHECK_INT(getrlimit(RLIMIT_NOFILE, &old), 0);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	lim = old;
	lim.rlim_cur = 256;
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &lim), 0);
	static int hog[256];
	int nh = 0;
	while (nh < 256 && (hog[nh] = dup(fd)) >= 0)
		nh++;
	CHECK(nh < 256);                              /* the table is full */
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_INT(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	const char *req = "GET /metrics HTTP/1.1\r\n\r\n";
	CHECK_INT(send(fd, req, strlen(req), MSG_NOSIGNAL), (long)strlen(req));
	int calls = 0;
	uint64_t end = loop_now_ms() + 300;
	while (loop_now_ms() < end)
		calls += loop_run_once(lp, 20);
	CHECK(calls < 20);                            /* a spinning listener would make thousands */
	CHECK_INT(metrics_srv_connections(srv), 0);
	for (int i = 0; i < nh; i++)
		close(hog[i]);
	CHECK_INT(setrlimit(RLIMIT_NOFILE, &old), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	char buf[4096];
	long n = drain(lp, fd, buf, sizeof buf, 2000);
	CHECK(n > 0 && strncmp(buf, "HTTP/1.1 200 OK\r\n", 17) == 0);
	close(fd);
}

static void test_open_errors(void)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	CHECK(metrics_srv_open(lp, "127.0.0.1", port, render, NULL, err) == NULL);
	CHECK(metrics_srv_open(lp, "localhost", 0, render, NULL, err) == NULL);
	fclose(err);
	CHECK(msg && strstr(msg, "Address already in use") != NULL);
	CHECK(msg && strstr(msg, "\"localhost\" is not an IP address") != NULL);
	free(msg);
	/* IPv6 loopback, if the host has it */
	struct metrics_srv *s6 = metrics_srv_open(lp, "::1", 0, render, NULL, stderr);
	if (s6) {
		CHECK(metrics_srv_port(s6) != 0);
		metrics_srv_close(s6);
	}
}

TEST_MAIN("test_metrics", {
	lp = loop_new();
	srv = metrics_srv_open(lp, "127.0.0.1", 0, render, NULL, stderr);
	if (!srv) {
		fprintf(stderr, "metrics_srv_open failed\n");
		return 1;
	}
	port = metrics_srv_port(srv);
	CHECK(port != 0);
	RUN(test_get_metrics);
	RUN(test_errors);
	RUN(test_split_request);
	RUN(test_large_body);
	RUN(test_slow_client);
	RUN(test_connection_bound);
	RUN(test_out_of_fds);
	RUN(test_open_errors);
	metrics_srv_close(srv);
	loop_free(lp);
})
