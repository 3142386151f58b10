/*
 * The rtnetlink route back end against the kernel, through the front end
 * (route.c), in a network namespace of its own with a veth pair: batches
 * of changes of which some fail (a route that is someone else's, an
 * interface that does not exist, parpd's own route added again) give
 * each change its own outcome, the routes the kernel then has are
 * exactly parpd's, and removal at exit takes all of them and nothing
 * else.  Needs root (skipped otherwise, exit 77 as a whole).
 */
#include "config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "route.h"

#define OUTCOMES_MAX 4096

/* Each outcome reported, in order. */
static struct {
	struct addr_ip ip[OUTCOMES_MAX];
	int e[OUTCOMES_MAX];
	size_t n;
} heard;

static void
hear(void *arg, enum route_change what, const struct addr_ip *ip,
    const char *from, const char *to, int e)
{
	(void)arg;
	(void)what;
	(void)from;
	(void)to;
	assert_true(heard.n < OUTCOMES_MAX);
	heard.ip[heard.n] = *ip;
	heard.e[heard.n++] = e;
}

/* The outcome heard for address s (the last one). */
static int
heard_for(const char *s)
{
	struct addr_ip ip;
	size_t i;

	assert_int_equal(addr_ip_parse(s, &ip), 0);
	for (i = heard.n; i-- > 0;)
		if (addr_ip_equal(&heard.ip[i], &ip))
			return heard.e[i];
	fail_msg("no outcome for %s", s);
	return -1;
}

/* Lines of a command's output. */
static int
lines(const char *cmd)
{
	char buf[512];
	FILE *p = popen(cmd, "r");
	int n = 0;

	assert_non_null(p);
	while (fgets(buf, sizeof(buf), p) != NULL)
		n++;
	assert_int_equal(pclose(p), 0);
	return n;
}

static void
change(struct route_backend *rb, enum route_change what, const char *s,
    const char *to)
{
	struct addr_ip ip;

	assert_int_equal(addr_ip_parse(s, &ip), 0);
	route_host_change(rb, what, &ip, NULL, to);
}

static void
commit_all(struct route_backend *rb)
{
	while (route_commit(rb) > 0)
		;
	assert_int_equal(route_pending(rb), 0);
}

static void
test_batch_outcomes(void **state)
{
	const struct route_counters *c;
	struct route_backend *rb;
	char err[256] = "", buf[ADDR_IP_STRLEN];
	unsigned i;

	(void)state;
	rb = route_backend_open(&route_netlink_ops, NULL, err, sizeof(err));
	assert_non_null(rb);
	route_backend_report(rb, hear, NULL);
	/* One batch: the failure in the middle, and one as the last. */
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.1", "rt0");
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.9", "rt0");	/* static */
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.3", "nosuch0");
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.2", "rt0");
	change(rb, ROUTE_CHANGE_DEL, "198.51.100.4", "rt0");	/* not ours */
	change(rb, ROUTE_CHANGE_ADD, "2001:db8::9", "rt0");	/* static */
	assert_int_equal(route_commit(rb), 6);
	assert_int_equal(heard.n, 6);
	assert_int_equal(heard_for("198.51.100.1"), 0);
	assert_int_equal(heard_for("198.51.100.9"), EEXIST);
	assert_int_equal(heard_for("198.51.100.3"), ENODEV);
	assert_int_equal(heard_for("198.51.100.2"), 0);
	assert_int_equal(heard_for("198.51.100.4"), 0);
	assert_int_equal(heard_for("2001:db8::9"), EEXIST);
	/* Added again: the kernel says it exists; it is parpd's (benign). */
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.1", "rt0");
	for (i = 0; i < 1000; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::1:%x", i);
		change(rb, ROUTE_CHANGE_ADD, buf, "rt0");
	}
	commit_all(rb);
	assert_int_equal(heard_for("198.51.100.1"), 0);
	assert_int_equal(heard_for("2001:db8::1:3e7"), 0);
	c = route_backend_counters(rb);
	assert_int_equal(c->added, 1002);
	assert_int_equal(c->exists, 2);
	assert_int_equal(c->benign, 1);
	assert_int_equal(c->errors, 1);		/* nosuch0 */
	assert_int_equal(route_backend_owned(rb), 1002);
	assert_int_equal(lines("ip -4 route show proto 245"), 2);
	assert_int_equal(lines("ip -6 route show proto 245"), 1000);
	/* A delete queued after its add, in the same commit. */
	change(rb, ROUTE_CHANGE_ADD, "198.51.100.5", "rt0");
	change(rb, ROUTE_CHANGE_DEL, "198.51.100.5", "rt0");
	change(rb, ROUTE_CHANGE_DEL, "198.51.100.9", "rt0");	/* static */
	commit_all(rb);
	assert_int_equal(heard_for("198.51.100.5"), 0);
	assert_int_equal(lines("ip -4 route show proto 245"), 2);
	/* At exit: all of parpd's, and the administrator's stay. */
	assert_int_equal(route_remove_all(rb), 1002);
	assert_int_equal(lines("ip route show proto 245"), 0);
	assert_int_equal(lines("ip -6 route show proto 245"), 0);
	assert_int_equal(lines("ip -4 route show proto static"), 1);
	assert_int_equal(lines("ip -6 route show proto static"), 1);
	assert_int_equal(route_backend_counters(rb)->errors, 1);
	route_backend_close(rb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_outcomes),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "route_netlink_test: needs root\n");
		return 77;
	}
	/* A namespace of its own: nothing outside is touched. */
	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare");
		return 77;
	}
	if (system("ip link set lo up && "
	    "ip link add rt0 type veth peer name rt1 && "
	    "ip link set rt0 up && ip link set rt1 up && "
	    "ip route add 198.51.100.9/32 dev rt0 proto static && "
	    "ip -6 route add 2001:db8::9/128 dev rt0 proto static") != 0) {
		fprintf(stderr, "route_netlink_test: no lab\n");
		return 99;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
