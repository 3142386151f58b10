/*
 * Unit tests of privs.c that need no root: the seccomp filter parpd
 * installs after its drop (privs_seccomp, the very function), in a
 * forked child: a denied call kills it with SIGSYS, so does a call
 * through a foreign architecture, and what parpd does while running
 * still works; and the lookup of the user parpd becomes.
 */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "privs.h"

/* Exit statuses of the child that are not the call's outcome. */
#define CHILD_NO_FILTER 90
#define CHILD_SURVIVED 91

/* Fork; the child installs the filter and runs fn; its wait status. */
static int
filtered_child(void (*fn)(void))
{
	char err[256];
	pid_t pid;
	int st;

	if (!privs_seccomp_supported())
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (privs_seccomp(err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			_exit(CHILD_NO_FILTER);
		}
		fn();
		_exit(CHILD_SURVIVED);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st))
		assert_int_not_equal(WEXITSTATUS(st), CHILD_NO_FILTER);
	return st;
}

static void
call_execve(void)
{
	static char name[] = "true";
	char *argv[] = { name, NULL }, *envp[] = { NULL };

	(void)execve("/bin/true", argv, envp);
}

static void
call_setresuid(void)
{
	/* Changes nothing, so that it would succeed unfiltered. */
	(void)syscall(SYS_setresuid, (uid_t)-1, (uid_t)-1, (uid_t)-1);
}

static void
assert_killed_by_sigsys(int st)
{
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

static void
test_seccomp_kills_execve(void **state)
{
	(void)state;
	assert_killed_by_sigsys(filtered_child(call_execve));
}

static void
test_seccomp_kills_setresuid(void **state)
{
	(void)state;
	assert_killed_by_sigsys(filtered_child(call_setresuid));
}

#if defined(__x86_64__)
/* getpid by the i386 ABI (number 20), which the filter does not know. */
static void
call_i386_getpid(void)
{
	long r = 20;

	__asm__ volatile ("int $0x80" : "+a"(r) : : "memory");
}

static void
test_seccomp_kills_foreign_arch(void **state)
{
	int st;

	(void)state;
	st = filtered_child(call_i386_getpid);
	/* A kernel without IA32 emulation faults on int 0x80 first. */
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV)
		skip();
	assert_killed_by_sigsys(st);
}
#endif

/* What the running daemon does: files, sockets, the fork of detach(),
 * signals, the clock.  Exit 0 when all of it worked. */
static void
call_allowed(void)
{
	struct timespec ts;
	pid_t pid;
	int fd, st;

	if ((fd = open("/dev/null", O_WRONLY)) < 0 || write(fd, "x", 1) != 1)
		_exit(1);
	close(fd);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		_exit(2);
	close(fd);
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 || getpid() <= 0)
		_exit(3);
	if ((pid = fork()) < 0)
		_exit(4);
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		_exit(5);
	if (kill(getpid(), 0) != 0)
		_exit(6);
	_exit(0);
}

static void
test_seccomp_allows(void **state)
{
	int st;

	(void)state;
	st = filtered_child(call_allowed);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_user_lookup(void **state)
{
	struct privs_user u;
	struct passwd *pw;
	struct group *gr;
	char err[256];

	(void)state;
	/* uid 0: no change. */
	assert_int_equal(privs_user_lookup(&u, "root", NULL, err,
	    sizeof(err)), 0);
	assert_int_equal(u.uid, 0);
	assert_false(u.change);
	assert_int_equal(privs_user_lookup(&u, "parpd-test-no-such-user",
	    NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "user parpd-test-no-such-user: no such user");
	assert_int_equal(privs_user_lookup(&u, "root",
	    "parpd-test-no-such-group", err, sizeof(err)), -1);
	assert_string_equal(err,
	    "group parpd-test-no-such-group: no such group");
	/* Debian's nobody and nogroup, where they are. */
	if ((pw = getpwnam("nobody")) == NULL ||
	    (gr = getgrnam("nogroup")) == NULL)
		return;
	assert_int_equal(privs_user_lookup(&u, "nobody", NULL, err,
	    sizeof(err)), 0);
	assert_true(u.change);
	assert_int_equal(u.uid, pw->pw_uid);
	assert_int_equal(u.gid, pw->pw_gid);
	assert_string_equal(u.name, "nobody");
	assert_int_equal(privs_user_lookup(&u, "nobody", "nogroup", err,
	    sizeof(err)), 0);
	assert_int_equal(u.gid, gr->gr_gid);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seccomp_kills_execve),
		cmocka_unit_test(test_seccomp_kills_setresuid),
#if defined(__x86_64__)
		cmocka_unit_test(test_seccomp_kills_foreign_arch),
#endif
		cmocka_unit_test(test_seccomp_allows),
		cmocka_unit_test(test_user_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
