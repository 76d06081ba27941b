/* ss7fw — TLS towards Redis (settings.state.tls), with Debian 12's hiredis
 * 0.14, which has no TLS of its own.
 *
 * redis_tls_connect opens the TCP connection, completes the TLS handshake
 * (the server's certificate checked against tls_ca_file and its name or
 * address; a client certificate when tls_cert_file is set) and hands hiredis
 * one end of a socketpair (redisConnectFd). A relay thread per connection
 * moves the bytes between the other end and the TLS session; it ends when
 * either side closes (redisFree closes hiredis's end), so a connection and
 * its thread live and die together. Only the Redis threads use this: the
 * screening threads never wait on it. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ss7fw/track-redis.h"

struct redis_tls {
	SSL_CTX *ctx;
	char name[CFG_NAME_MAX];     /* what the certificate must name */
};

static void ssl_why(char *why, size_t wn, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160];
	ERR_error_string_n(e, buf, sizeof buf);
	snprintf(why, wn, "%s: %s", what, e ? buf : "failed");
	ERR_clear_error();
}

struct redis_tls *redis_tls_new(const struct state_cfg *c, char *why, size_t wn)
{
	struct redis_tls *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(why, wn, "out of memory");
		return NULL;
	}
	snprintf(t->name, sizeof t->name, "%s", c->tls_server_name[0] ? c->tls_server_name : c->host);
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx) {
		ssl_why(why, wn, "TLS context");
		free(t);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(t->ctx, c->tls_ca_file, NULL) != 1) {
		ssl_why(why, wn, c->tls_ca_file);
		goto fail;
	}
	if (c->tls_cert_file[0]) {
		if (SSL_CTX_use_certificate_chain_file(t->ctx, c->tls_cert_file) != 1) {
			ssl_why(why, wn, c->tls_cert_file);
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(t->ctx, c->tls_key_file[0] ? c->tls_key_file : c->tls_cert_file,
						SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_check_private_key(t->ctx) != 1) {
			ssl_why(why, wn, c->tls_key_file[0] ? c->tls_key_file : c->tls_cert_file);
			goto fail;
		}
	}
	return t;
fail:
	SSL_CTX_free(t->ctx);
	free(t);
	return NULL;
}

void redis_tls_free(struct redis_tls *t)
{
	if (!t)
		return;
	SSL_CTX_free(t->ctx);
	free(t);
}

/* TCP connect within timeout_ms; the socket is left blocking, with send and
 * receive timeouts of timeout_ms for the handshake. */
static int tcp_connect(const char *host, uint16_t port, unsigned timeout_ms, char *why, size_t wn)
{
	char ps[8];
	snprintf(ps, sizeof ps, "%u", port);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int g = getaddrinfo(host, ps, &hints, &res);
	if (g != 0) {
		snprintf(why, wn, "connect: %s: %s", host, gai_strerror(g));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
			snprintf(why, wn, "connect: %s", strerror(errno));
			close(fd);
			fd = -1;
			continue;
		}
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t el = sizeof err;
		if (poll(&p, 1, (int)timeout_ms) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
			snprintf(why, wn, "connect: %s", err ? strerror(err) : "timed out");
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return -1;
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	struct timeval tv = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	return fd;
}

struct relay {
	SSL *ssl;
	int tcp, ux;
};

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Waits until the TCP socket can do what OpenSSL asked for (err is
 * SSL_ERROR_WANT_READ or _WRITE); false on another error. */
static bool ssl_wait(struct relay *r, int err)
{
	if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
		return false;
	struct pollfd p = { .fd = r->tcp, .events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT };
	return poll(&p, 1, -1) >= 0 || errno == EINTR;
}

/* The whole of buf into the session (the socket is non-blocking). */
static bool ssl_write_all(struct relay *r, const uint8_t *buf, int n)
{
	for (;;) {
		int w = SSL_write(r->ssl, buf, n);
		if (w == n)
			return true;
		if (w > 0 || !ssl_wait(r, SSL_get_error(r->ssl, w)))
			return false;
	}
}

/* Bytes from the TLS session to hiredis and back, until either side ends.
 * The TCP socket is non-blocking: a TLS record that is not application data
 * (a TLS 1.3 session ticket) must not hold the other direction. */
static void *relay_main(void *arg)
{
	struct relay *r = arg;
	uint8_t buf[16384];
	for (;;) {
		struct pollfd p[2] = { { .fd = r->tcp, .events = POLLIN }, { .fd = r->ux, .events = POLLIN } };
		/* what OpenSSL already holds is read before waiting on the socket */
		int n = poll(p, 2, SSL_pending(r->ssl) > 0 ? 0 : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (SSL_pending(r->ssl) > 0 || (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			int got = SSL_read(r->ssl, buf, sizeof buf);
			if (got > 0) {
				if (!write_all(r->ux, buf, (size_t)got))
					break;
			} else {
				int e = SSL_get_error(r->ssl, got);
				if (e == SSL_ERROR_WANT_WRITE ? !ssl_wait(r, e) : e != SSL_ERROR_WANT_READ)
					break;   /* closed, or an error */
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = read(r->ux, buf, sizeof buf);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0 || !ssl_write_all(r, buf, (int)got))
				break;
		}
	}
	SSL_shutdown(r->ssl);
	SSL_free(r->ssl);
	close(r->tcp);
	close(r->ux);
	free(r);
	return NULL;
}

int redis_tls_connect(struct redis_tls *t, const char *host, uint16_t port, unsigned timeout_ms,
		      char *why, size_t wn)
{
	int tcp = tcp_connect(host, port, timeout_ms, why, wn);
	if (tcp < 0)
		return -1;
	SSL *ssl = SSL_new(t->ctx);
	if (!ssl) {
		ssl_why(why, wn, "TLS");
		close(tcp);
		return -1;
	}
	/* the certificate must name the server: its address, or its DNS name
	 * (also sent as SNI) */
	struct in6_addr a6;
	struct in_addr a4;
	bool ip = inet_pton(AF_INET, t->name, &a4) == 1 || inet_pton(AF_INET6, t->name, &a6) == 1;
	if (ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), t->name) != 1 :
		 (SSL_set1_host(ssl, t->name) != 1 || SSL_set_tlsext_host_name(ssl, t->name) != 1)) {
		ssl_why(why, wn, "TLS server name");
		SSL_free(ssl);
		close(tcp);
		return -1;
	}
	SSL_set_fd(ssl, tcp);
	if (SSL_connect(ssl) != 1) {
		long v = SSL_get_verify_result(ssl);
		if (v != X509_V_OK)
			snprintf(why, wn, "TLS handshake: certificate: %s", X509_verify_cert_error_string(v));
		else
			ssl_why(why, wn, "TLS handshake");
		ERR_clear_error();
		SSL_free(ssl);
		close(tcp);
		return -1;
	}
	struct timeval zero = { 0, 0 };      /* the relay waits as long as hiredis does */
	setsockopt(tcp, SOL_SOCKET, SO_RCVTIMEO, &zero, sizeof zero);
	setsockopt(tcp, SOL_SOCKET, SO_SNDTIMEO, &zero, sizeof zero);
	fcntl(tcp, F_SETFL, fcntl(tcp, F_GETFL) | O_NONBLOCK);
	int sp[2];
	struct relay *r = malloc(sizeof *r);
	if (!r || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		snprintf(why, wn, "TLS relay: %s", r ? strerror(errno) : "out of memory");
		free(r);
		SSL_free(ssl);
		close(tcp);
		return -1;
	}
	*r = (struct relay){ .ssl = ssl, .tcp = tcp, .ux = sp[1] };
	pthread_t th;
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	int e = pthread_create(&th, &at, relay_main, r);
	pthread_attr_destroy(&at);
	if (e != 0) {
		snprintf(why, wn, "TLS relay: %s", strerror(e));
		close(sp[0]);
		close(sp[1]);
		SSL_free(ssl);
		close(tcp);
		free(r);
		return -1;
	}
	return sp[0];
}
