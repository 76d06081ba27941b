/* ss7fw — the service manager (systemd's sd_notify protocol) and dropping
 * root once the sockets are bound.
 *
 * Every notification is a no-op when NOTIFY_SOCKET is unset (not started by
 * systemd with Type=notify), and errors are ignored: the service manager's
 * absence must never stop the firewall. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "ss7fw/ops.h"

#define SVC_STATUS_MAX 256      /* STATUS= text, truncated beyond */

void svc_notify_ready(void)
{
	(void)sd_notify(0, "READY=1");
}

/* RELOADING=1 with MONOTONIC_USEC (required by Type=notify-reload in
 * systemd >= 253, ignored by older ones). Follow with svc_notify_ready once
 * the reload is done, whether it succeeded or not. */
void svc_notify_reloading(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long us = (unsigned long long)ts.tv_sec * 1000000ull +
				(unsigned long long)ts.tv_nsec / 1000u;
	(void)sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", us);
}

void svc_notify_stopping(void)
{
	(void)sd_notify(0, "STOPPING=1");
}

/* STATUS=<text>, one line: a newline in the text would start another
 * assignment, so each is replaced by a space. */
void svc_notify_status(const char *fmt, ...)
{
	char buf[SVC_STATUS_MAX + sizeof "STATUS="];
	memcpy(buf, "STATUS=", 7);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + 7, sizeof buf - 7, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (char *p = buf + 7; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	(void)sd_notify(0, buf);
}

void svc_notify_watchdog(void)
{
	(void)sd_notify(0, "WATCHDOG=1");
}

/* The watchdog interval systemd asked for (WatchdogSec=), in milliseconds,
 * or 0 when there is none. */
uint64_t svc_watchdog_ms(void)
{
	uint64_t us = 0;
	if (sd_watchdog_enabled(0, &us) <= 0)
		return 0;
	return us / 1000u;
}

/* Root -> user: supplementary groups reduced to the user's primary group,
 * then gid, then uid (in this order: once uid is not 0 the others are no
 * longer allowed). Checked afterwards that root cannot be regained. When not
 * running as root, succeeds only if already running as that user. */
int svc_drop_privileges(const char *user, FILE *err)
{
	if (!user || !*user)
		return 0;
	struct passwd pw, *res = NULL;
	char buf[4096];
	int rc = getpwnam_r(user, &pw, buf, sizeof buf, &res);
	if (rc != 0 || !res) {
		fprintf(err, "ss7fw: user %s: %s\n", user,
			rc ? strerror(rc) : "no such user");
		return -1;
	}
	if (pw.pw_uid == 0) {
		fprintf(err, "ss7fw: user %s: refusing to run as uid 0\n", user);
		return -1;
	}
	if (geteuid() != 0) {
		if (geteuid() == pw.pw_uid && getuid() == pw.pw_uid)
			return 0;
		fprintf(err, "ss7fw: user %s: not running as root, cannot change to uid %u\n",
			user, (unsigned)pw.pw_uid);
		return -1;
	}
	if (setgroups(1, &pw.pw_gid) < 0) {
		fprintf(err, "ss7fw: setgroups: %s\n", strerror(errno));
		return -1;
	}
	if (setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) < 0) {
		fprintf(err, "ss7fw: setgid %u: %s\n", (unsigned)pw.pw_gid, strerror(errno));
		return -1;
	}
	if (setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) < 0) {
		fprintf(err, "ss7fw: setuid %u: %s\n", (unsigned)pw.pw_uid, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		fprintf(err, "ss7fw: user %s: root could be regained, stopping\n", user);
		return -1;
	}
	return 0;
}
