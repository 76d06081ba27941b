/* Service manager notifications over a real NOTIFY_SOCKET, and dropping
 * root (in a child process, so this test keeps its own identity). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "ss7fw/ops.h"

static int rx = -1;

static const char *next_msg(char *buf, size_t cap)
{
	ssize_t n = recv(rx, buf, cap - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void test_notify(void)
{
	char dir[64] = "/tmp/test_svc.XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[100];
	snprintf(path, sizeof path, "%s/notify", dir);
	rx = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	CHECK_INT(bind(rx, (struct sockaddr *)&sun, sizeof sun), 0);

	/* no NOTIFY_SOCKET: nothing is sent, nothing fails */
	unsetenv("NOTIFY_SOCKET");
	svc_notify_ready();
	char buf[512];
	CHECK_STR(next_msg(buf, sizeof buf), "");

	setenv("NOTIFY_SOCKET", path, 1);
	svc_notify_ready();
	CHECK_STR(next_msg(buf, sizeof buf), "READY=1");
	svc_notify_reloading();
	next_msg(buf, sizeof buf);
	CHECK(strncmp(buf, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0);
	unsigned long long us = strtoull(buf + 27, NULL, 10);
	CHECK(us > 0 && us / 1000 <= loop_now_ms() + 1);
	svc_notify_stopping();
	CHECK_STR(next_msg(buf, sizeof buf), "STOPPING=1");
	svc_notify_status("%d links up,\n%s", 2, "policy ok");
	CHECK_STR(next_msg(buf, sizeof buf), "STATUS=2 links up, policy ok");
	svc_notify_watchdog();
	CHECK_STR(next_msg(buf, sizeof buf), "WATCHDOG=1");
	unsetenv("WATCHDOG_USEC");
	CHECK_INT(svc_watchdog_ms(), 0);
	char pid[32];
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	setenv("WATCHDOG_USEC", "20000000", 1);
	CHECK_INT(svc_watchdog_ms(), 20000);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	unsetenv("NOTIFY_SOCKET");
	close(rx);
	unlink(path);
	rmdir(dir);
}

static void test_drop_privileges(void)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	CHECK_INT(svc_drop_privileges("", err), 0);
	CHECK_INT(svc_drop_privileges(NULL, err), 0);
	CHECK_INT(svc_drop_privileges("no-such-user-ss7fw", err), -1);
	CHECK_INT(svc_drop_privileges("root", err), -1);
	fclose(err);
	CHECK(msg && strstr(msg, "user no-such-user-ss7fw: no such user") != NULL);
	CHECK(msg && strstr(msg, "refusing to run as uid 0") != NULL);
	free(msg);

	struct passwd *pw = getpwnam("nobody");
	if (!pw || geteuid() != 0) {
		printf("test_svc: not root or no user nobody, drop skipped\n");
		return;
	}
	uid_t want_uid = pw->pw_uid;
	gid_t want_gid = pw->pw_gid;
	pid_t child = fork();
	if (child == 0) {
		int rc = svc_drop_privileges("nobody", stderr);
		gid_t groups[8];
		int ng = getgroups(8, groups);
		bool ok = rc == 0 && getuid() == want_uid && geteuid() == want_uid &&
			  getgid() == want_gid && getegid() == want_gid &&
			  ng == 1 && groups[0] == want_gid &&
			  setuid(0) < 0 && errno == EPERM;
		/* once dropped, asking again for the same user is fine, another is not */
		ok = ok && svc_drop_privileges("nobody", stderr) == 0;
		FILE *devnull = fopen("/dev/null", "w");
		ok = ok && svc_drop_privileges("daemon", devnull) == -1;
		_exit(ok ? 0 : 1);
	}
	int st = 0;
	CHECK_INT(waitpid(child, &st, 0), child);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST_MAIN("test_svc", {
	RUN(test_notify);
	RUN(test_drop_privileges);
})
