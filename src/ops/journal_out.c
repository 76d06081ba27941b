/* ss7fw — event records to the systemd journal, with SS7FW_* fields.
 *
 * This speaks the journal's native protocol itself
 * (systemd.io/JOURNAL_NATIVE_PROTOCOL): one datagram per entry on
 * /run/systemd/journal/socket, each field "NAME=value\n", or, for a value
 * holding a newline, "NAME\n", its length as a little-endian 64-bit
 * integer, the value and "\n". journald adds _PID, _UID, _COMM, _SYSTEMD_UNIT
 * etc. from the socket's credentials.
 *
 * Why not sd_journal_send(3): libsystemd sends on a blocking socket of its
 * own, so a journald that falls behind (its queue full while it writes to a
 * slow disk) would stall the event loop, and with it the signalling. Here
 * the datagram is sent with MSG_DONTWAIT: a busy or absent journald costs a
 * counted error, never a wait. The entries are the same as sd_journal_send
 * would make (the format is what it sends too). */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ss7fw/siem.h"

struct journal_out {
	int fd;
	struct sockaddr_un sun;
	socklen_t sun_len;
	uint64_t sent, errors;
};

struct jbuf {
	char *p;
	size_t cap, len;
	bool full;
};

static void jb_put(struct jbuf *b, const void *s, size_t n)
{
	if (b->full || n > b->cap - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* One field; nothing when v is NULL or empty. */
static void jb_field(struct jbuf *b, const char *name, const char *v, size_t n)
{
	if (!v || !n)
		return;
	jb_put(b, name, strlen(name));
	if (!memchr(v, '\n', n)) {
		jb_put(b, "=", 1);
		jb_put(b, v, n);
	} else {
		uint8_t le[8];
		uint64_t x = n;
		for (int i = 0; i < 8; i++)
			le[i] = (uint8_t)(x >> (8 * i));
		jb_put(b, "\n", 1);
		jb_put(b, le, 8);
		jb_put(b, v, n);
	}
	jb_put(b, "\n", 1);
}

static void jb_str(struct jbuf *b, const char *name, const char *v)
{
	jb_field(b, name, v, v ? strlen(v) : 0);
}

size_t journal_format(char *out, size_t cap, unsigned facility, const struct siem_fields *f,
		      const char *message, const char *json, size_t json_len)
{
	struct jbuf b = { out, cap, 0, false };
	char num[16];
	jb_str(&b, "MESSAGE", message);
	snprintf(num, sizeof num, "%u", f ? f->severity : 5u);
	jb_str(&b, "PRIORITY", num);
	snprintf(num, sizeof num, "%u", facility);
	jb_str(&b, "SYSLOG_FACILITY", num);
	jb_str(&b, "SYSLOG_IDENTIFIER", "ss7fw");
	if (f && f->verdict) {
		jb_str(&b, "MESSAGE_ID", SS7FW_JOURNAL_MSGID);
		jb_str(&b, "SS7FW_VERDICT", f->verdict);
		jb_str(&b, "SS7FW_SHADOW", f->shadow ? "true" : "false");
		jb_str(&b, "SS7FW_RULE", f->rule);
		jb_str(&b, "SS7FW_REASON", f->reason);
		jb_str(&b, "SS7FW_LINK", f->link);
		jb_str(&b, "SS7FW_DIR", f->dir);
		jb_str(&b, "SS7FW_CGPA", f->cgpa);
		jb_str(&b, "SS7FW_CDPA", f->cdpa);
		jb_str(&b, "SS7FW_OP", f->op);
	}
	if (json_len && json[json_len - 1] == '\n')
		json_len--;
	jb_field(&b, "SS7FW_JSON", json, json_len);
	return b.full ? 0 : b.len;
}

struct journal_out *journal_out_open(const char *socket_path, FILE *err)
{
	const char *path = socket_path && socket_path[0] ? socket_path : JOURNAL_SOCKET;
	struct journal_out *j = calloc(1, sizeof *j);
	if (!j) {
		fprintf(err, "ss7fw: journal: out of memory\n");
		return NULL;
	}
	if (strlen(path) >= sizeof j->sun.sun_path) {
		fprintf(err, "ss7fw: journal: socket path too long\n");
		free(j);
		return NULL;
	}
	j->sun.sun_family = AF_UNIX;
	strcpy(j->sun.sun_path, path);
	j->sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (j->fd < 0) {
		fprintf(err, "ss7fw: journal: socket: %s\n", strerror(errno));
		free(j);
		return NULL;
	}
	/* records are up to 16 KiB: room for a burst of them in the kernel */
	int sz = 4 << 20;
	(void)setsockopt(j->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
	/* journald need not be there yet: a missing socket is an error per
	 * entry, not a failure to start */
	return j;
}

bool journal_out_send(struct journal_out *j, const char *entry, size_t len)
{
	if (!j)
		return false;
	if (!len) {                      /* an entry that could not be formatted */
		j->errors++;
		return false;
	}
	ssize_t n;
	do
		n = sendto(j->fd, entry, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   (const struct sockaddr *)&j->sun, j->sun_len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len) {
		j->errors++;
		return false;
	}
	j->sent++;
	return true;
}

uint64_t journal_out_sent(const struct journal_out *j) { return j ? j->sent : 0; }
uint64_t journal_out_errors(const struct journal_out *j) { return j ? j->errors : 0; }

void journal_out_close(struct journal_out *j)
{
	if (!j)
		return;
	close(j->fd);
	free(j);
}
