/*
 * Unit tests of the shell modules that need no root: the log's rate
 * limiting, the route state file, the route front end over a recording
 * backend, and the choice of an interface's addresses.
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <sys/uio.h>
#include "cachefile.h"
#include "capture.h"
#include "core.h"
#include "iface.h"
#include "log.h"
#include "mld.h"
#include "route.h"
#include "statefile.h"

/* ---- log ---- */

#define MAXLINES 64

static struct {
	char lines[MAXLINES][160];
	int prios[MAXLINES];
	unsigned n;
} sink;

static uint64_t fake_now;

static void
sink_fn(void *arg, int prio, const char *line)
{
	(void)arg;
	if (sink.n < MAXLINES) {
		snprintf(sink.lines[sink.n], sizeof(sink.lines[0]), "%s", line);
		sink.prios[sink.n] = prio;
	}
	sink.n++;
}

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static int
log_setup(void **state)
{
	(void)state;
	memset(&sink, 0, sizeof(sink));
	fake_now = 1000;
	log_set_sink(sink_fn, NULL);
	log_set_clock(fake_clock);
	log_init("parpd-test", LOG_F_NOSYSLOG);
	return 0;
}

static int
log_teardown(void **state)
{
	(void)state;
	log_set_sink(NULL, NULL);
	log_set_clock(NULL);
	return 0;
}

static void
test_log_burst_then_summary(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 25; i++)
		log_limited(LOG_KIND_CORE + 2, LOG_INFO, "learned %u", i);
	assert_int_equal(sink.n, LOG_BURST);
	assert_string_equal(sink.lines[0], "learned 0");
	assert_string_equal(sink.lines[19], "learned 19");
	assert_int_equal(log_suppressed_total(), 5);
	/* The summary is due when the window opened at 1000 ends. */
	assert_int_equal(log_next_deadline(), 1000 + LOG_WINDOW_MS);
	log_tick(1000 + LOG_WINDOW_MS - 1);
	assert_int_equal(sink.n, LOG_BURST);
	log_tick(1000 + LOG_WINDOW_MS);
	assert_int_equal(sink.n, LOG_BURST + 1);
	assert_string_equal(sink.lines[20],
	    "5 similar messages suppressed (learned)");
	assert_int_equal(sink.prios[20], LOG_INFO);
	assert_int_equal(log_next_deadline(), LOG_NO_DEADLINE);
	/* A new window: the next message goes out again. */
	fake_now = 1000 + LOG_WINDOW_MS + 1;
	log_limited(LOG_KIND_CORE + 2, LOG_INFO, "learned again");
	assert_int_equal(sink.n, LOG_BURST + 2);
	assert_string_equal(sink.lines[21], "learned again");
}

static void
test_log_kinds_are_separate(void **state)
{
	unsigned i;

	(void)state;
	for (i = 0; i < 30; i++)
		log_limited(LOG_KIND_ROUTE, LOG_WARNING, "route %u", i);
	log_limited(LOG_KIND_INJECT, LOG_WARNING, "inject");
	assert_int_equal(sink.n, LOG_BURST + 1);
	assert_string_equal(sink.lines[LOG_BURST], "inject");
	/* The summary also comes when the next message opens a window. */
	fake_now += LOG_WINDOW_MS;
	log_limited(LOG_KIND_ROUTE, LOG_WARNING, "route late");
	assert_int_equal(sink.n, LOG_BURST + 3);
	assert_string_equal(sink.lines[LOG_BURST + 1],
	    "10 similar messages suppressed (route)");
	assert_int_equal(sink.prios[LOG_BURST + 1], LOG_WARNING);
	assert_string_equal(sink.lines[LOG_BURST + 2], "route late");
}

static void
test_log_debug_filtered(void **state)
{
	(void)state;
	log_limited(LOG_KIND_CORE + 5, LOG_DEBUG, "expired");
	log_msg(LOG_DEBUG, "debug");
	assert_int_equal(sink.n, 0);
	log_set_flags(LOG_F_DEBUG);
	log_limited(LOG_KIND_CORE + 5, LOG_DEBUG, "expired");
	log_msg(LOG_DEBUG, "debug %d", 2);
	assert_int_equal(sink.n, 2);
	assert_string_equal(sink.lines[0], "expired");
	assert_string_equal(sink.lines[1], "debug 2");
}

static void
test_log_err_appends_errno(void **state)
{
	(void)state;
	errno = ENOENT;
	log_err(LOG_ERR, "open %s", "/x");
	assert_int_equal(sink.n, 1);
	assert_string_equal(sink.lines[0], "open /x: No such file or directory");
}

/* ---- state file ---- */

static char tmpdir[64];

static int
sf_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/parpd-shell-test.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int
sf_teardown(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/routes", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return 0;
}

static void
test_statefile_roundtrip(void **state)
{
	struct statefile sf, sf2;
	struct addr_ip a, b;
	char path[128], text[512];
	FILE *f;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/routes", tmpdir);
	assert_int_equal(addr_ip_parse("198.51.100.23", &a), 0);
	assert_int_equal(addr_ip_parse("2001:db8::23", &b), 0);
	assert_int_equal(statefile_load(&sf, path), 0);
	assert_int_equal(sf.n, 0);
	assert_int_equal(statefile_add(&sf, "em0", &a), 0);
	assert_int_equal(statefile_add(&sf, "em0", &a), 0);
	assert_int_equal(statefile_add(&sf, "em1", &b), 0);
	assert_int_equal(sf.n, 2);
	assert_int_equal(statefile_save(&sf), 0);

	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_string_equal(text,
	    "# parpd: host routes installed (interface address)\n"
	    "em0 198.51.100.23\n"
	    "em1 2001:db8::23\n");

	assert_int_equal(statefile_load(&sf2, path), 0);
	assert_int_equal(sf2.n, 2);
	assert_true(statefile_has(&sf2, "em0", &a));
	assert_true(statefile_has(&sf2, "em1", &b));
	assert_false(statefile_has(&sf2, "em1", &a));
	assert_true(statefile_remove(&sf2, "em0", &a));
	assert_false(statefile_remove(&sf2, "em0", &a));
	assert_int_equal(sf2.n, 1);
	statefile_free(&sf2);
	statefile_free(&sf);
}

static void
test_statefile_skips_garbage(void **state)
{
	struct statefile sf;
	struct addr_ip a;
	char path[128];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/routes", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# comment\n\nem0 not-an-address\n"
	    "averyveryverylongname 198.51.100.1\n"
	    "em2 198.51.100.7\n", f);
	fclose(f);
	assert_int_equal(statefile_load(&sf, path), 0);
	assert_int_equal(sf.n, 1);
	assert_int_equal(addr_ip_parse("198.51.100.7", &a), 0);
	assert_true(statefile_has(&sf, "em2", &a));
	statefile_free(&sf);
}

/* ---- cache state file ---- */

static const char cf_conf[] = "interface em0\n routes\n"
    " rule 198.51.100.0/24 198.51.100.0/24 tell\n"
    " rule 2001:db8::/64 2001:db8::/64 tell\n"
    " static 198.51.100.7 00:00:5e:00:53:07\nend\n";

static void
cf_path(char *path, size_t len)
{
	snprintf(path, len, "%s/cache", tmpdir);
}

static void
test_cachefile_roundtrip(void **state)
{
	struct conf *conf = conf_parse_string("t", cf_conf, strlen(cf_conf),
	    NULL, NULL);
	struct core_actions acts;
	struct core *core;
	struct cachefile cf;
	struct addr_ip a, b;
	struct addr_mac m;
	char path[128], text[512];
	FILE *f;
	size_t n;

	(void)state;
	cf_path(path, sizeof(path));
	assert_non_null(conf);
	assert_non_null(core = core_new(conf, 1, 1000));
	core_actions_init(&acts);
	assert_int_equal(addr_ip_parse("198.51.100.23", &a), 0);
	assert_int_equal(addr_ip_parse("2001:db8::23", &b), 0);
	assert_int_equal(addr_mac_parse("00:00:5e:00:53:23", &m), 0);
	assert_true(core_adopt(core, 0, &a, &m, 1000, &acts));
	assert_true(core_adopt(core, 0, &b, &m, 1000, &acts));
	/* Learned entries only: the static pair is the configuration's. */
	assert_int_equal(cachefile_save(path, core, conf, 1700000000), 2);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_non_null(strstr(text, "\nparpd-cache 1\n"));
	assert_non_null(strstr(text,
	    "\nem0 198.51.100.23 00:00:5e:00:53:23 1700000000\n"));
	assert_non_null(strstr(text,
	    "\nem0 2001:db8::23 00:00:5e:00:53:23 1700000000\n"));
	assert_null(strstr(text, "198.51.100.7"));

	assert_int_equal(cachefile_load(&cf, path, 1700000300, 300), 0);
	assert_int_equal(cf.n, 2);
	assert_int_equal(cf.rejected + cf.stale, 0);
	assert_string_equal(cf.v[0].ifname, "em0");
	assert_true(addr_mac_equal(&cf.v[0].mac, &m));
	assert_true(cf.v[0].saved_at == 1700000000);
	cachefile_free(&cf);
	/* Older than the cache timeout: nothing of it is trusted. */
	assert_int_equal(cachefile_load(&cf, path, 1700000301, 300), 0);
	assert_int_equal(cf.n, 0);
	assert_int_equal(cf.stale, 2);
	cachefile_free(&cf);
	/* From the future, beyond a small skew. */
	assert_int_equal(cachefile_load(&cf, path, 1700000000 - 61, 300), 0);
	assert_int_equal(cf.stale, 2);
	cachefile_free(&cf);

	core_actions_free(&acts);
	core_free(core);
	conf_free(conf);
	unlink(path);
}

static void
cf_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_cachefile_rejects(void **state)
{
	struct cachefile cf;
	char path[128];

	(void)state;
	cf_path(path, sizeof(path));
	/* None: an empty list. */
	unlink(path);
	assert_int_equal(cachefile_load(&cf, path, 100, 300), 0);
	assert_int_equal(cf.n + cf.rejected, 0);
	cachefile_free(&cf);
	cf_write(path, "# comment\n\nparpd-cache 1\n"
	    "em0 198.51.100.1 00:00:5e:00:53:01 50\n"
	    "em0 not-an-address 00:00:5e:00:53:01 50\n"
	    "em0 198.51.100.2 not-a-mac 50\n"
	    "em0 198.51.100.3 00:00:5e:00:53:03 -5\n"
	    "em0 198.51.100.4 00:00:5e:00:53:04\n"
	    "em0 198.51.100.5 00:00:5e:00:53:05 50 extra\n"
	    "averyveryverylongname 198.51.100.6 00:00:5e:00:53:06 50\n"
	    "em1\t2001:db8::7 00:00:5e:00:53:07 60\n");
	assert_int_equal(cachefile_load(&cf, path, 100, 300), 0);
	assert_int_equal(cf.n, 2);
	assert_int_equal(cf.rejected, 6);
	assert_string_equal(cf.v[1].ifname, "em1");
	cachefile_free(&cf);
	/* Another version, or no version line: ignored whole. */
	cf_write(path, "parpd-cache 2\nem0 198.51.100.1 00:00:5e:00:53:01 50\n");
	assert_int_equal(cachefile_load(&cf, path, 100, 300), 0);
	assert_int_equal(cf.n, 0);
	assert_int_equal(cf.rejected, 1);
	cachefile_free(&cf);
	cf_write(path, "em0 198.51.100.1 00:00:5e:00:53:01 50\n");
	assert_int_equal(cachefile_load(&cf, path, 100, 300), 0);
	assert_int_equal(cf.n, 0);
	cachefile_free(&cf);
	unlink(path);
}

/* ---- route front end over a recording backend ---- */

/* Backend calls are logged; each returns the next queued errno (0 after). */
struct rec {
	char log[1024];
	int err[16];
	unsigned nerr;
	unsigned calls;
	bool quiet;	/* no log (bulk tests) */
	unsigned batches;	/* calls of the batch op */
	size_t batch_max;	/* the largest batch */
};

static struct rec rec;

static void
rec_reset(void)
{
	memset(&rec, 0, sizeof(rec));
}

static void
rec_queue(int e)
{
	assert_true(rec.nerr < 16);
	rec.err[rec.nerr++] = e;
}

static void *
rec_open(const char *s, char *err, size_t errlen)
{
	(void)s;
	(void)err;
	(void)errlen;
	return &rec;
}

static void
rec_close(void *h)
{
	(void)h;
}

static int
rec_op(const char *op, const struct addr_ip *ip, const char *ifname)
{
	char buf[ADDR_IP_STRLEN];
	size_t used = strlen(rec.log);
	unsigned i = rec.calls++;

	if (!rec.quiet)
		snprintf(rec.log + used, sizeof(rec.log) - used, "%s %s %s;",
		    op, addr_ip_format(ip, buf, sizeof(buf)), ifname);
	return i < rec.nerr ? rec.err[i] : 0;
}

static int
rec_add(void *h, const struct addr_ip *ip, const char *ifname)
{
	(void)h;
	return rec_op("add", ip, ifname);
}

static int
rec_del(void *h, const struct addr_ip *ip, const char *ifname)
{
	(void)h;
	return rec_op("del", ip, ifname);
}

/* Two leftovers, .9 and .10; those not kept are removed. */
static int
rec_flush(void *h, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	static const char *const left[] = { "198.51.100.9",
	    "198.51.100.10" };
	struct addr_ip a;
	size_t i;
	int n = 0;

	(void)h;
	for (i = 0; i < 2; i++) {
		addr_ip_parse(left[i], &a);
		if (keep(arg, &a, ifname))
			continue;
		fn(arg, &a, ifname);
		n++;
	}
	return n;
}

static const struct route_ops rec_ops = {
	.name = "recorder",
	.open = rec_open,
	.close = rec_close,
	.add = rec_add,
	.del = rec_del,
	.flush = rec_flush,
};

/* The same, with a batch op: each batch ends in "|" in the log. */
static void
rec_batch(void *h, struct route_request *req, size_t n)
{
	size_t i, used;

	rec.batches++;
	if (n > rec.batch_max)
		rec.batch_max = n;
	for (i = 0; i < n; i++)
		req[i].result = rec_op(req[i].add ? "add" : "del", req[i].ip,
		    req[i].ifname);
	used = strlen(rec.log);
	if (!rec.quiet && used + 1 < sizeof(rec.log))
		rec.log[used] = '|';
	(void)h;
}

static const struct route_ops rec_batch_ops = {
	.name = "recorder",
	.open = rec_open,
	.close = rec_close,
	.add = rec_add,
	.del = rec_del,
	.batch = rec_batch,
	.flush = rec_flush,
};

/* route_done_fn: keeps the outcome of the last change. */
static void
route_heard(void *arg, enum route_change what, const struct addr_ip *ip,
    const char *from, const char *to, int e)
{
	(void)what;
	(void)ip;
	(void)from;
	(void)to;
	*(int *)arg = e;
}

/* One change carried out alone: its outcome. */
static int
route_now(struct route_backend *rb, enum route_change what,
    const struct addr_ip *ip, const char *from, const char *to)
{
	int e = -1;

	route_backend_report(rb, route_heard, &e);
	route_host_change(rb, what, ip, from, to);
	assert_int_equal(route_commit(rb), 1);
	assert_int_equal(route_pending(rb), 0);
	route_backend_report(rb, NULL, NULL);
	return e;
}

/* Keeps 198.51.100.10 only. */
static bool
keep_ten(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct addr_ip ten;

	(void)arg;
	(void)ifname;
	addr_ip_parse("198.51.100.10", &ten);
	return addr_ip_equal(ip, &ten);
}

static void
count_flushed(void *arg, const struct addr_ip *ip, const char *ifname)
{
	(void)ip;
	(void)ifname;
	(*(int *)arg)++;
}

static void
test_route_front_end(void **state)
{
	const struct route_counters *c;
	struct route_backend *rb;
	struct addr_ip a;
	int flushed = 0;

	(void)state;
	rec_reset();
	rec_queue(0);
	rec_queue(EEXIST);	/* parpd's own route, added again */
	rec_queue(0);
	rec_queue(EPERM);
	rb = route_backend_open(&rec_ops, NULL, NULL, 0);
	assert_non_null(rb);
	assert_string_equal(route_backend_name(rb), "recorder");
	addr_ip_parse("198.51.100.23", &a);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &a, NULL, "em0"), 0);
	assert_true(route_backend_owns(rb, &a, "em0"));
	assert_false(route_backend_owns(rb, &a, "em1"));
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &a, NULL, "em0"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &a, NULL, "em0"), 0);
	assert_false(route_backend_owns(rb, &a, "em0"));
	/* Not parpd's any more: the backend is not asked. */
	assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &a, NULL, "em0"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD,
	    &a, NULL, "em0"), EPERM);
	assert_false(route_backend_owns(rb, &a, "em0"));
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &a, NULL, "em0"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_MOVE,
	    &a, "em0", "em1"), 0);
	assert_false(route_backend_owns(rb, &a, "em0"));
	assert_true(route_backend_owns(rb, &a, "em1"));
	assert_int_equal(route_backend_owned(rb), 1);
	assert_int_equal(route_flush(rb, "em2", NULL, count_flushed,
	    &flushed), 2);
	assert_int_equal(flushed, 2);
	/* What flush keeps is parpd's: deleted when the core lets go. */
	flushed = 0;
	assert_int_equal(route_flush(rb, "em2", keep_ten, count_flushed,
	    &flushed), 1);
	assert_int_equal(flushed, 1);
	addr_ip_parse("198.51.100.10", &a);
	assert_true(route_backend_owns(rb, &a, "em2"));
	assert_int_equal(route_backend_owned(rb), 2);
	assert_int_equal(route_neighbour(rb, &a, "em2", &(struct addr_mac){
	    { 0 } }), ENOTSUP);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &a, NULL, "em2"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &a, NULL, "em2"), 0);
	addr_ip_parse("198.51.100.23", &a);
	assert_string_equal(rec.log,
	    "add 198.51.100.23 em0;add 198.51.100.23 em0;"
	    "del 198.51.100.23 em0;"
	    "add 198.51.100.23 em0;"
	    "add 198.51.100.23 em0;"
	    "del 198.51.100.23 em0;add 198.51.100.23 em1;"
	    "add 198.51.100.10 em2;del 198.51.100.10 em2;");
	c = route_backend_counters(rb);
	assert_int_equal(c->added, 4);
	assert_int_equal(c->deleted, 3);
	assert_int_equal(c->moved, 1);
	assert_int_equal(c->benign, 1);
	assert_int_equal(c->exists, 0);
	assert_int_equal(c->errors, 1);
	assert_int_equal(c->flushed, 3);
	assert_int_equal(c->kept, 1);
	route_backend_close(rb);
}

/*
 * A route that was there before parpd wanted it (the operator's) is never
 * counted, deleted or moved as parpd's; parpd installs its own when it
 * adds again after the other one is gone.
 */
static void
test_route_foreign(void **state)
{
	const struct route_counters *c;
	struct route_backend *rb;
	struct addr_ip b, x;
	const char *before = "add 198.51.100.24 em0;add 198.51.100.24 em0;"
	    "add 198.51.100.24 em0;add 198.51.100.24 em0;"
	    "add 2001:db8::24 em0;add 2001:db8::24 em1;";

	(void)state;
	rec_reset();
	rec_queue(EEXIST);	/* add b em0: the operator's */
	rec_queue(EEXIST);	/* add b em0 again (interface came back) */
	rec_queue(EEXIST);	/* add b em0 after the core let go */
	rec_queue(0);		/* add b em0: the other route is gone */
	rec_queue(EEXIST);	/* add x em0: the operator's */
	rb = route_backend_open(&rec_ops, NULL, NULL, 0);
	assert_non_null(rb);
	addr_ip_parse("198.51.100.24", &b);
	addr_ip_parse("2001:db8::24", &x);
	/* Said once, tried each time. */
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD,
	    &b, NULL, "em0"), EEXIST);
	assert_false(route_backend_owns(rb, &b, "em0"));
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &b, NULL, "em0"), 0);
	assert_false(route_backend_owns(rb, &b, "em0"));
	/* Deleting it is a no-op; the next add is said again. */
	assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &b, NULL, "em0"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD,
	    &b, NULL, "em0"), EEXIST);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &b, NULL, "em0"), 0);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &b, NULL, "em0"), 0);
	assert_true(route_backend_owns(rb, &b, "em0"));
	/* A move of someone else's route only adds parpd's on the new one. */
	assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD,
	    &x, NULL, "em0"), EEXIST);
	assert_int_equal(route_now(rb, ROUTE_CHANGE_MOVE,
	    &x, "em0", "em1"), 0);
	assert_true(route_backend_owns(rb, &x, "em1"));
	assert_int_equal(route_backend_owned(rb), 2);
	/* At exit only parpd's own are removed. */
	assert_int_equal(route_remove_all(rb), 2);
	assert_int_equal(route_backend_owned(rb), 0);
	assert_int_equal(strlen(rec.log), strlen(before) +
	    strlen("del 198.51.100.24 em0;del 2001:db8::24 em1;"));
	assert_memory_equal(rec.log, before, strlen(before));
	/* remove_all walks the set in (keyed) hash order. */
	assert_non_null(strstr(rec.log + strlen(before),
	    "del 198.51.100.24 em0;"));
	assert_non_null(strstr(rec.log + strlen(before),
	    "del 2001:db8::24 em1;"));
	c = route_backend_counters(rb);
	assert_int_equal(c->exists, 4);
	assert_int_equal(c->added, 2);
	assert_int_equal(c->deleted, 2);
	assert_int_equal(c->moved, 0);
	assert_int_equal(c->benign, 0);
	assert_int_equal(c->errors, 0);
	route_backend_close(rb);
}

/* Many routes: the set grows, deletes shift, nothing is lost. */
static void
test_route_set_many(void **state)
{
	struct route_backend *rb;
	struct addr_ip a;
	char buf[ADDR_IP_STRLEN];
	unsigned i;

	(void)state;
	rec_reset();
	rec.quiet = true;
	rb = route_backend_open(&rec_ops, NULL, NULL, 0);
	assert_non_null(rb);
	for (i = 0; i < 6000; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::%x", i);
		addr_ip_parse(buf, &a);
		assert_int_equal(route_now(rb, ROUTE_CHANGE_ADD, &a, NULL,
		    i % 2 ? "em1" : "em0"), 0);
	}
	assert_int_equal(route_backend_owned(rb), 6000);
	for (i = 0; i < 6000; i += 3) {
		snprintf(buf, sizeof(buf), "2001:db8::%x", i);
		addr_ip_parse(buf, &a);
		assert_int_equal(route_now(rb, ROUTE_CHANGE_DEL, &a, NULL,
		    i % 2 ? "em1" : "em0"), 0);
	}
	for (i = 0; i < 6000; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::%x", i);
		addr_ip_parse(buf, &a);
		assert_int_equal(route_backend_owns(rb, &a, i % 2 ? "em1" :
		    "em0"), i % 3 != 0);
		assert_false(route_backend_owns(rb, &a, i % 2 ? "em0" :
		    "em1"));
	}
	assert_int_equal(route_backend_owned(rb), 4000);
	assert_int_equal(route_remove_all(rb), 4000);
	assert_int_equal(route_backend_owned(rb), 0);
	assert_int_equal(route_backend_counters(rb)->deleted, 6000);
	/* add 6000, delete 2000, delete 4000 */
	assert_int_equal(rec.calls, 12000);
	route_backend_close(rb);
}

/*
 * Queued changes go to the back end many at a time (ROUTE_BATCH_MAX
 * requests at most), and the outcomes are those of changes carried out
 * one by one.
 */
struct heard {
	unsigned n;
	unsigned errors;
};

static void
route_count(void *arg, enum route_change what, const struct addr_ip *ip,
    const char *from, const char *to, int e)
{
	struct heard *h = arg;

	(void)what;
	(void)ip;
	(void)from;
	(void)to;
	h->n++;
	h->errors += e != 0;
}

static void
test_route_batches(void **state)
{
	struct route_backend *rb;
	struct heard h = { 0, 0 };
	struct addr_ip a;
	char buf[ADDR_IP_STRLEN];
	unsigned i;

	(void)state;
	rec_reset();
	rec.quiet = true;
	rb = route_backend_open(&rec_batch_ops, NULL, NULL, 0);
	assert_non_null(rb);
	route_backend_report(rb, route_count, &h);
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::%x", i);
		addr_ip_parse(buf, &a);
		route_host_change(rb, ROUTE_CHANGE_ADD, &a, NULL, "em0");
	}
	assert_int_equal(route_pending(rb), 300);
	assert_int_equal(route_backend_owned(rb), 0);	/* nothing done yet */
	assert_int_equal(rec.calls, 0);
	assert_int_equal(route_commit(rb), ROUTE_BATCH_MAX);
	assert_int_equal(rec.batches, 1);
	assert_int_equal(route_pending(rb), 300 - ROUTE_BATCH_MAX);
	while (route_commit(rb) > 0)
		;
	assert_int_equal(rec.batches, 3);
	assert_int_equal(rec.batch_max, ROUTE_BATCH_MAX);
	assert_int_equal(h.n, 300);
	assert_int_equal(h.errors, 0);
	assert_int_equal(route_backend_owned(rb), 300);
	/* Every route moves: a delete and an add each, 64 to a batch. */
	for (i = 0; i < 300; i++) {
		snprintf(buf, sizeof(buf), "2001:db8::%x", i);
		addr_ip_parse(buf, &a);
		route_host_change(rb, ROUTE_CHANGE_MOVE, &a, "em0", "em1");
	}
	rec.batches = 0;
	while (route_commit(rb) > 0)
		;
	assert_int_equal(rec.batches, 5);
	assert_int_equal(route_backend_counters(rb)->moved, 300);
	assert_int_equal(route_backend_owned(rb), 300);
	/* At exit, in batches too. */
	rec.batches = 0;
	assert_int_equal(route_remove_all(rb), 300);
	assert_int_equal(rec.batches, 3);
	assert_int_equal(route_backend_owned(rb), 0);
	assert_int_equal(rec.calls, 300 + 600 + 300);
	route_backend_close(rb);
}

/*
 * Two changes of one route never share a batch: a delete queued after an
 * add is decided once the add is done (parpd's route then: deleted), a
 * delete of a route never parpd's is not sent at all.
 */
static void
test_route_batch_order(void **state)
{
	struct route_backend *rb;
	struct heard h = { 0, 0 };
	struct addr_ip a, b;

	(void)state;
	rec_reset();
	rb = route_backend_open(&rec_batch_ops, NULL, NULL, 0);
	assert_non_null(rb);
	route_backend_report(rb, route_count, &h);
	addr_ip_parse("198.51.100.23", &a);
	addr_ip_parse("198.51.100.24", &b);
	route_host_change(rb, ROUTE_CHANGE_DEL, &b, NULL, "em0");
	route_host_change(rb, ROUTE_CHANGE_ADD, &a, NULL, "em0");
	route_host_change(rb, ROUTE_CHANGE_ADD, &b, NULL, "em0");
	route_host_change(rb, ROUTE_CHANGE_DEL, &a, NULL, "em0");
	route_host_change(rb, ROUTE_CHANGE_ADD, &a, NULL, "em1");
	route_host_change(rb, ROUTE_CHANGE_MOVE, &a, "em1", "em0");
	route_host_change(rb, ROUTE_CHANGE_DEL, &b, NULL, "em0");
	while (route_commit(rb) > 0)
		;
	assert_int_equal(h.n, 7);
	assert_int_equal(h.errors, 0);
	assert_string_equal(rec.log,
	    "add 198.51.100.23 em0;|"
	    "add 198.51.100.24 em0;del 198.51.100.23 em0;"
	    "add 198.51.100.23 em1;|"
	    "del 198.51.100.23 em1;add 198.51.100.23 em0;"
	    "del 198.51.100.24 em0;|");
	assert_true(route_backend_owns(rb, &a, "em0"));
	assert_false(route_backend_owns(rb, &a, "em1"));
	assert_false(route_backend_owns(rb, &b, "em0"));
	assert_int_equal(route_backend_counters(rb)->moved, 1);
	route_backend_close(rb);
}

/* ---- interface addresses ---- */

/* prefix and n: decimal for IPv4 ("198.51.100."), hex for IPv6. */
static struct addr_ip
ipn(const char *prefix, unsigned n)
{
	struct addr_ip a;
	char buf[ADDR_IP_STRLEN];

	snprintf(buf, sizeof(buf), strchr(prefix, ':') != NULL ? "%s%x" :
	    "%s%u", prefix, n);
	assert_int_equal(addr_ip_parse(buf, &a), 0);
	return a;
}

static void
assert_ip(const struct addr_ip *a, const char *text)
{
	char buf[ADDR_IP_STRLEN];

	assert_string_equal(addr_ip_format(a, buf, sizeof(buf)), text);
}

/* Few addresses: all kept, in order. */
static void
test_iface_select_all(void **state)
{
	struct core_ifinfo info;
	struct addr_ip all[3];

	(void)state;
	memset(&info, 0, sizeof(info));
	all[0] = ipn("198.51.100.", 1);
	all[1] = ipn("2001:db8::", 1);
	all[2] = ipn("fe80::", 1);
	assert_int_equal(iface_select(all, 3, &info), 0);
	assert_int_equal(info.naddrs, 3);
	assert_ip(&info.addrs[0], "198.51.100.1");
	assert_ip(&info.addrs[1], "2001:db8::1");
	assert_ip(&info.addrs[2], "fe80::1");
}

/* The prefix lengths follow the kept addresses (ARP query sources). */
static void
test_iface_select_plen(void **state)
{
	struct core_ifinfo info;
	struct addr_ip all[3];
	const uint8_t plen[3] = { 24, 64, 10 };

	(void)state;
	memset(&info, 0, sizeof(info));
	all[0] = ipn("198.51.100.", 1);
	all[1] = ipn("2001:db8::", 1);
	all[2] = ipn("fe80::", 1);
	assert_int_equal(iface_select(all, 3, &info), 0);
	iface_select_plen(all, plen, 3, &info);
	assert_int_equal(info.plen[0], 24);
	assert_int_equal(info.plen[1], 64);
	assert_int_equal(info.plen[2], 10);
}

/*
 * Eight IPv4 addresses and then IPv6 ones: the link-local address is
 * kept (with 8 slots it was cut, and IPv6 refresh and router resolution
 * stopped).
 */
static void
test_iface_select_eight_v4(void **state)
{
	struct core_ifinfo info;
	struct addr_ip all[10];
	unsigned i;

	(void)state;
	memset(&info, 0, sizeof(info));
	for (i = 0; i < 8; i++)
		all[i] = ipn("198.51.100.", i + 1);
	all[8] = ipn("2001:db8::", 1);
	all[9] = ipn("fe80::", 1);
	assert_true(CORE_IFACE_ADDRS_MAX >= 10);
	assert_int_equal(iface_select(all, 10, &info), 0);
	assert_int_equal(info.naddrs, 10);
	assert_ip(&info.addrs[0], "198.51.100.1");
	assert_ip(&info.addrs[7], "198.51.100.8");
	assert_ip(&info.addrs[9], "fe80::1");
}

/* Past the limit: the first ones, the first IPv4 and link-local kept. */
static void
test_iface_select_over_limit(void **state)
{
	struct core_ifinfo info;
	struct addr_ip all[CORE_IFACE_ADDRS_MAX + 12];
	size_t i, n = 0;

	(void)state;
	memset(&info, 0, sizeof(info));
	for (i = 0; i < CORE_IFACE_ADDRS_MAX + 4; i++)
		all[n++] = ipn("198.51.100.", (unsigned)i + 1);
	for (i = 0; i < 4; i++)
		all[n++] = ipn("2001:db8::", (unsigned)i + 1);
	all[n++] = ipn("fe80::", 1);
	all[n++] = ipn("fe80::", 2);
	assert_int_equal(iface_select(all, n, &info), n -
	    CORE_IFACE_ADDRS_MAX);
	assert_int_equal(info.naddrs, CORE_IFACE_ADDRS_MAX);
	assert_ip(&info.addrs[0], "198.51.100.1");
	assert_ip(&info.addrs[CORE_IFACE_ADDRS_MAX - 2], "198.51.100.63");
	assert_ip(&info.addrs[CORE_IFACE_ADDRS_MAX - 1], "fe80::1");

	/* A link-local address within the limit stays where it is. */
	n = 0;
	all[n++] = ipn("198.51.100.", 1);
	all[n++] = ipn("fe80::", 9);
	for (i = 0; i < CORE_IFACE_ADDRS_MAX; i++)
		all[n++] = ipn("2001:db8::", (unsigned)i + 1);
	assert_int_equal(iface_select(all, n, &info), 2);
	assert_int_equal(info.naddrs, CORE_IFACE_ADDRS_MAX);
	assert_ip(&info.addrs[1], "fe80::9");
	assert_ip(&info.addrs[CORE_IFACE_ADDRS_MAX - 1], "2001:db8::3e");

	/* No link-local address at all: simply the first ones. */
	n = 0;
	for (i = 0; i < CORE_IFACE_ADDRS_MAX + 1; i++)
		all[n++] = ipn("2001:db8::", (unsigned)i + 1);
	assert_int_equal(iface_select(all, n, &info), 1);
	assert_ip(&info.addrs[CORE_IFACE_ADDRS_MAX - 1], "2001:db8::40");
}

/* RFC 4291 2.7.1: ff02::1:ff00:0/104 and the address's low 24 bits. */
static void
test_mld_solicited_node_group(void **state)
{
	static const uint8_t want[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x01, 0xff, 0x01, 0x00, 0x22 };
	struct addr_ip a;
	uint8_t g[16];

	(void)state;
	assert_int_equal(addr_ip_parse("2001:db8:1::1:22", &a), 0);
	mld_group(&a, g);
	assert_memory_equal(g, want, 16);
}

/*
 * Joins and leaves by difference: the same set again costs nothing, an
 * address that goes leaves its group, two addresses of one group are
 * one membership.  Interface 0 (none) and IPv4 are never joined.
 */
static void
test_mld_commit_difference(void **state)
{
	struct mld *m = mld_new();
	const struct mld_counters *c;
	struct addr_ip a, b, same, v4;
	unsigned lo = if_nametoindex("lo");

	(void)state;
	assert_non_null(m);
	c = mld_counters(m);
	assert_int_equal(addr_ip_parse("2001:db8:1::1:22", &a), 0);
	assert_int_equal(addr_ip_parse("2001:db8:2::1:22", &same), 0);
	assert_int_equal(addr_ip_parse("2001:db8:1::1:23", &b), 0);
	assert_int_equal(addr_ip_parse("198.51.100.1", &v4), 0);
	mld_begin(m);
	mld_want(m, lo, &a, false);
	mld_want(m, lo, &same, false);
	mld_want(m, lo, &b, false);
	mld_want(m, lo, &v4, false);
	mld_want(m, 0, &a, false);
	mld_commit(m);
	if (c->join_errors > 0) {
		/* No IPv6 on lo here: the kernel refuses, and we say so. */
		assert_int_equal(c->joined, 0);
		mld_free(m);
		skip();
	}
	assert_int_equal(c->joined, 2);
	assert_int_equal(c->joins, 2);
	mld_begin(m);
	mld_want(m, lo, &b, false);
	mld_want(m, lo, &a, false);
	mld_commit(m);
	assert_int_equal(c->joins, 2);
	assert_int_equal(c->leaves, 0);
	mld_begin(m);
	mld_want(m, lo, &b, false);
	mld_commit(m);
	assert_int_equal(c->joined, 1);
	assert_int_equal(c->leaves, 1);
	mld_free(m);
}

/* ---- the send queue (capture.c) over a fake back end ---- */

/* What the fake back end was given, and how it answers. */
static struct {
	unsigned calls;		/* send_batch or inject calls */
	unsigned refuse;	/* frame number (first byte) to refuse */
	unsigned per_call;	/* at most this many per send_batch */
	uint8_t seen[256];	/* first byte of each frame sent, in order */
	unsigned nseen;
} fake_tx;

static void *
fake_open(const char *where, const char *ifname, char *err, size_t errlen)
{
	(void)where; (void)ifname; (void)err; (void)errlen;
	return &fake_tx;
}

static void
fake_close(void *h)
{
	(void)h;
}

static int
fake_fd(const void *h)
{
	(void)h;
	return -1;
}

static int
fake_drain(void *h, capture_frame_fn *fn, void *arg, char *err,
    size_t errlen)
{
	(void)h; (void)fn; (void)arg; (void)err; (void)errlen;
	return 0;
}

static int
fake_inject(void *h, const uint8_t *frame, size_t len, char *err,
    size_t errlen)
{
	(void)h; (void)len;
	fake_tx.calls++;
	if (frame[0] == fake_tx.refuse) {
		snprintf(err, errlen, "refused %u", frame[0]);
		return -1;
	}
	fake_tx.seen[fake_tx.nseen++] = frame[0];
	return 0;
}

/* Sends up to per_call frames, stops before the refused one. */
static int
fake_send_batch(void *h, struct iovec *v, unsigned n, char *err,
    size_t errlen)
{
	unsigned i;

	(void)h;
	fake_tx.calls++;
	for (i = 0; i < n && i < fake_tx.per_call; i++) {
		const uint8_t *f = v[i].iov_base;

		if (f[0] == fake_tx.refuse)
			break;
		fake_tx.seen[fake_tx.nseen++] = f[0];
	}
	if (i == 0 && n > 0) {
		snprintf(err, errlen, "refused %u",
		    ((const uint8_t *)v[0].iov_base)[0]);
		return -1;
	}
	return (int)i;
}

static struct capture_stats
fake_stats(void *h)
{
	struct capture_stats cs = { true, 0, 0, 0 };

	(void)h;
	return cs;
}

/* Queue frames 1..n (first byte = number); flush; check what went out. */
static void
tx_queue_flush(const struct capture_ops *ops, unsigned n, unsigned refuse,
    unsigned per_call, unsigned want_calls)
{
	uint8_t frame[CAPTURE_TXFRAME + 1];
	char err[CAPTURE_ERRLEN] = "";
	struct capture *c;
	unsigned i, failed, sent, k = 0;

	memset(&fake_tx, 0, sizeof(fake_tx));
	fake_tx.refuse = refuse;
	fake_tx.per_call = per_call;
	c = capture_open(ops, NULL, "fake0", err, sizeof(err));
	assert_non_null(c);
	memset(frame, 0, sizeof(frame));
	for (i = 1; i <= n; i++) {
		frame[0] = (uint8_t)i;
		assert_true(capture_queue(c, frame, 60));
	}
	assert_int_equal(capture_queued(c), n);
	/* Full, or longer than a slot: refused, the caller sends it. */
	assert_int_equal(capture_queue(c, frame, CAPTURE_TXFRAME + 1), false);
	sent = capture_flush(c, &failed, err, sizeof(err));
	assert_int_equal(capture_queued(c), 0);
	assert_int_equal(failed, refuse >= 1 && refuse <= n ? 1 : 0);
	assert_int_equal(sent, n - failed);
	assert_int_equal(fake_tx.calls, want_calls);
	if (failed > 0)
		assert_string_equal(err, "refused 3");
	/* Every frame but the refused one, in the order queued. */
	for (i = 1; i <= n; i++)
		if (i != refuse)
			assert_int_equal(fake_tx.seen[k++], i);
	assert_int_equal(k, fake_tx.nseen);
	capture_close(c);
}

static void
test_capture_send_queue(void **state)
{
	struct capture_ops batch = { "fake", fake_open, fake_close, fake_fd,
		fake_drain, fake_inject, fake_send_batch, fake_stats };
	struct capture_ops single = batch;

	(void)state;
	single.send_batch = NULL;
	/* A full queue in one call; in calls of 10; one by one. */
	tx_queue_flush(&batch, CAPTURE_TXBATCH, 0, CAPTURE_TXBATCH, 1);
	tx_queue_flush(&batch, 25, 0, 10, 3);
	tx_queue_flush(&single, 5, 0, 0, 5);
	/* Frame 3 refused: counted, its reason kept, the rest still sent
	 * (a call for 1-2, one refused for 3, one for 4-5). */
	tx_queue_flush(&batch, 5, 3, CAPTURE_TXBATCH, 3);
	tx_queue_flush(&single, 5, 3, 0, 5);
}

/* Wants the group g (below 2^24) through an address of 2001:db8:net::/48. */
static void
mld_want_group_as(struct mld *m, unsigned ifindex, unsigned net, unsigned g,
    bool preferred)
{
	struct addr_ip a;
	char s[64];

	snprintf(s, sizeof(s), "2001:db8:%x::%x:%x", net, g >> 16, g & 0xffff);
	assert_int_equal(addr_ip_parse(s, &a), 0);
	mld_want(m, ifindex, &a, preferred);
}

/* The same for a learned address. */
static void
mld_want_group(struct mld *m, unsigned ifindex, unsigned net, unsigned g)
{
	mld_want_group_as(m, ifindex, net, g, false);
}

/* The first commit of a test: skipped where lo has no IPv6. */
static void
mld_commit_or_skip(struct mld *m)
{
	mld_commit(m);
	if (mld_counters(m)->join_errors > 0) {
		mld_free(m);
		skip();
	}
}

/* Past MLD_GROUPS_MAX groups are counted, not joined. */
static void
test_mld_groups_bounded(void **state)
{
	struct mld *m = mld_new();
	const struct mld_counters *c;
	unsigned lo = if_nametoindex("lo"), i;

	(void)state;
	assert_non_null(m);
	c = mld_counters(m);
	mld_begin(m);
	for (i = 0; i < MLD_GROUPS_MAX + 5; i++)
		mld_want_group(m, lo, 1, i);
	mld_commit_or_skip(m);
	assert_int_equal(c->joined, MLD_GROUPS_MAX);
	assert_int_equal(c->not_joined, 5);
	mld_free(m);
}

/*
 * The groups joined are the MLD_GROUPS_MAX smallest (by interface, then
 * group) however many are wanted and in whatever order: here three times
 * as many, largest first, so that the list is cut back several times,
 * and each group wanted again by a second address after it was cut.
 * Groups past the cut are counted once each, per interface.
 */
static void
test_mld_groups_smallest_kept(void **state)
{
	struct mld *m = mld_new();
	const struct mld_counters *c;
	unsigned lo = if_nametoindex("lo"), n = 3 * MLD_GROUPS_MAX, i;

	(void)state;
	assert_non_null(m);
	c = mld_counters(m);
	mld_begin(m);
	for (i = n; i-- > 0;)
		mld_want_group(m, lo, 1, i);
	for (i = n; i-- > 0;)
		mld_want_group(m, lo, 2, i);	/* the same groups */
	for (i = 0; i < 7; i++)		/* past every group of lo */
		mld_want_group(m, lo + 1000, 1, i);
	mld_commit_or_skip(m);
	assert_int_equal(c->joined, MLD_GROUPS_MAX);
	assert_int_equal(c->not_joined, n - MLD_GROUPS_MAX + 7);
	/* Exactly the smallest: wanting only them joins and leaves nothing. */
	mld_begin(m);
	for (i = 0; i < MLD_GROUPS_MAX; i++)
		mld_want_group(m, lo, 1, i);
	mld_commit(m);
	assert_int_equal(c->joins, MLD_GROUPS_MAX);
	assert_int_equal(c->leaves, 0);
	assert_int_equal(c->not_joined, 0);
	mld_free(m);
}

/*
 * A static pair's or a router's group is joined before learned ones: the
 * greatest group of all, wanted as preferred after MLD_GROUPS_MAX + 5
 * learned ones (and once more as learned, through another address), is
 * joined, and the learned groups past the cut are 6, each counted once.
 */
static void
test_mld_preferred_kept(void **state)
{
	struct mld *m = mld_new();
	const struct mld_counters *c;
	unsigned lo = if_nametoindex("lo"), top = MLD_GROUPS_MAX + 100, i;

	(void)state;
	assert_non_null(m);
	c = mld_counters(m);
	mld_begin(m);
	mld_want_group(m, lo, 2, top);
	for (i = 0; i < MLD_GROUPS_MAX + 5; i++)
		mld_want_group(m, lo, 1, i);
	mld_want_group_as(m, lo, 1, top, true);
	mld_commit_or_skip(m);
	assert_int_equal(c->joined, MLD_GROUPS_MAX);
	assert_int_equal(c->not_joined, 6);
	/* It was joined: wanting it alone joins nothing and leaves the rest. */
	mld_begin(m);
	mld_want_group_as(m, lo, 1, top, true);
	mld_commit(m);
	assert_int_equal(c->joins, MLD_GROUPS_MAX);
	assert_int_equal(c->leaves, MLD_GROUPS_MAX - 1);
	assert_int_equal(c->joined, 1);
	assert_int_equal(c->not_joined, 0);
	mld_free(m);
}

/*
 * A group counted past the cut as a learned address's, then wanted as a
 * static pair's, is joined and no longer counted: three times
 * MLD_GROUPS_MAX learned groups cut the list during the walk, so the
 * learned copy of the greatest group lands past the cut before its
 * preferred copy comes.
 */
static void
test_mld_preferred_after_cut(void **state)
{
	struct mld *m = mld_new();
	const struct mld_counters *c;
	unsigned lo = if_nametoindex("lo"), n = 3 * MLD_GROUPS_MAX, i;

	(void)state;
	assert_non_null(m);
	c = mld_counters(m);
	mld_begin(m);
	for (i = 0; i < n; i++)
		mld_want_group(m, lo, 1, i);
	mld_want_group(m, lo, 2, n + 10);
	mld_want_group_as(m, lo, 1, n + 10, true);
	mld_commit_or_skip(m);
	assert_int_equal(c->joined, MLD_GROUPS_MAX);
	/* the learned groups past the MLD_GROUPS_MAX - 1 smallest kept */
	assert_int_equal(c->not_joined, n - (MLD_GROUPS_MAX - 1));
	mld_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_burst_then_summary,
		    log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(test_log_kinds_are_separate,
		    log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(test_log_debug_filtered,
		    log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(test_log_err_appends_errno,
		    log_setup, log_teardown),
		cmocka_unit_test_setup_teardown(test_statefile_roundtrip,
		    sf_setup, sf_teardown),
		cmocka_unit_test_setup_teardown(test_statefile_skips_garbage,
		    sf_setup, sf_teardown),
		cmocka_unit_test_setup_teardown(test_cachefile_roundtrip,
		    sf_setup, sf_teardown),
		cmocka_unit_test_setup_teardown(test_cachefile_rejects,
		    sf_setup, sf_teardown),
		cmocka_unit_test(test_mld_solicited_node_group),
		cmocka_unit_test(test_mld_commit_difference),
		cmocka_unit_test(test_mld_groups_bounded),
		cmocka_unit_test(test_mld_groups_smallest_kept),
		cmocka_unit_test(test_mld_preferred_kept),
		cmocka_unit_test(test_mld_preferred_after_cut),
		cmocka_unit_test(test_route_front_end),
		cmocka_unit_test(test_route_foreign),
		cmocka_unit_test(test_route_set_many),
		cmocka_unit_test(test_route_batches),
		cmocka_unit_test(test_route_batch_order),
		cmocka_unit_test(test_iface_select_all),
		cmocka_unit_test(test_iface_select_plen),
		cmocka_unit_test(test_iface_select_eight_v4),
		cmocka_unit_test(test_iface_select_over_limit),
		cmocka_unit_test(test_capture_send_queue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
