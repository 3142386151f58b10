/*
 * Configuration parser tests: every keyword lands in struct conf, every
 * default, every diagnostic with its exact line, column and text,
 * recovery (several errors in one run), round trips through conf_print
 * for the golden files and for generated configurations, and hostile
 * input (NUL bytes, control characters, huge lines, deep nesting).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "testutil.h"

#define MAXDIAG 64

struct diag {
	unsigned line, column;
	bool warning;
	char msg[512];
	char file[64];
};

struct diags {
	size_t n;	/* all of them */
	size_t nerr;
	size_t nwarn;
	struct diag d[MAXDIAG];
};

static void
collect(void *arg, const struct conf_diag *d)
{
	struct diags *ds = arg;

	if (d->warning)
		ds->nwarn++;
	else
		ds->nerr++;
	if (ds->n < MAXDIAG) {
		struct diag *x = &ds->d[ds->n];

		x->line = d->line;
		x->column = d->column;
		x->warning = d->warning;
		snprintf(x->msg, sizeof(x->msg), "%s", d->message);
		snprintf(x->file, sizeof(x->file), "%s", d->file);
	}
	ds->n++;
}

static void
discard(void *arg, const struct conf_diag *d)
{
	(void)arg;
	(void)d;
}

static struct conf *
parse_len(const char *text, size_t len, struct diags *ds)
{
	memset(ds, 0, sizeof(*ds));
	return conf_parse_string("t.conf", text, len, collect, ds);
}

static struct conf *
parse(const char *text, struct diags *ds)
{
	return parse_len(text, strlen(text), ds);
}

/* A text that must parse without any diagnostic. */
static struct conf *
parse_ok(const char *text)
{
	struct diags ds;
	struct conf *c = parse(text, &ds);

	if (ds.n != 0)
		fprintf(stderr, "unexpected: %u:%u: %s\n", ds.d[0].line,
		    ds.d[0].column, ds.d[0].msg);
	assert_int_equal(ds.n, 0);
	assert_non_null(c);
	return c;
}

static void
assert_diag(const struct diags *ds, size_t i, unsigned line, unsigned col,
    const char *msg)
{
	assert_true(i < ds->n);
	if (ds->d[i].line != line || ds->d[i].column != col ||
	    strcmp(ds->d[i].msg, msg) != 0)
		fprintf(stderr, "diag %zu: got %u:%u: %s\n", i, ds->d[i].line,
		    ds->d[i].column, ds->d[i].msg);
	assert_int_equal(ds->d[i].line, line);
	assert_int_equal(ds->d[i].column, col);
	assert_string_equal(ds->d[i].msg, msg);
	assert_string_equal(ds->d[i].file, "t.conf");
}

/* The text fails with exactly one error, at line:col, saying msg. */
static void
assert_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct diags ds;
	struct conf *c = parse(text, &ds);

	assert_null(c);
	if (ds.n != 1) {
		size_t i;

		fprintf(stderr, "input: %s\n", text);
		for (i = 0; i < ds.n && i < MAXDIAG; i++)
			fprintf(stderr, "  %u:%u: %s\n", ds.d[i].line,
			    ds.d[i].column, ds.d[i].msg);
	}
	assert_int_equal(ds.n, 1);
	assert_false(ds.d[0].warning);
	assert_diag(&ds, 0, line, col, msg);
}

static char *
print_conf(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_print(f, c);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* parse -> print -> parse gives an equal configuration and the same
 * printout. */
static void
assert_roundtrip(const struct conf *c)
{
	char *p1 = print_conf(c), *p2;
	struct conf *c2 = parse_ok(p1);

	assert_true(conf_equal(c, c2));
	assert_true(conf_equal(c2, c));
	p2 = print_conf(c2);
	assert_string_equal(p1, p2);
	free(p1);
	free(p2);
	conf_free(c2);
}

static void
assert_ip(const struct addr_ip *ip, const char *want)
{
	char buf[ADDR_IP_STRLEN];

	assert_string_equal(addr_ip_format(ip, buf, sizeof(buf)), want);
}

static void
assert_prefix(const struct addr_prefix *p, const char *want)
{
	char buf[ADDR_PREFIX_STRLEN];

	assert_string_equal(addr_prefix_format(p, buf, sizeof(buf)), want);
}

static void
assert_mac(const struct addr_mac *m, const char *want)
{
	char buf[ADDR_MAC_STRLEN];

	assert_string_equal(addr_mac_format(m, buf, sizeof(buf)), want);
}

static void
assert_defaults_cache(const struct conf *c)
{
	assert_int_equal(c->cache.timeout_ms, 300000);
	assert_int_equal(c->cache.tablesize, 1021);
	assert_int_equal(c->cache.limit, 65536);
	assert_int_equal(c->cache.refresh_count, 3);
	assert_int_equal(c->cache.refresh_interval_ms, 5000);
	assert_int_equal(c->cache.delay_count, 4);
	assert_int_equal(c->cache.delay_window_ms, 3000);
	assert_string_equal(c->pidfile, "/var/run/parpd.pid");
	assert_string_equal(c->dumpfile, "/var/run/parpd.dump");
	assert_string_equal(c->control, "/var/run/parpd.sock");
	assert_null(c->control_group);
	/* Beside the pidfile in force, which -p may change: the daemon's. */
	assert_null(c->statefile);
}

/* ---- valid input ---- */

static void
test_empty(void **state)
{
	struct conf *c = parse_ok("");

	(void)state;
	assert_defaults_cache(c);
	assert_int_equal(c->nifaces, 0);
	assert_null(c->ifaces);
	assert_roundtrip(c);
	conf_free(c);
	/* NULL text with length 0 is an empty file too. */
	c = conf_parse_string("t.conf", NULL, 0, discard, NULL);
	assert_non_null(c);
	assert_int_equal(c->nifaces, 0);
	conf_free(c);
}

static void
test_defaults(void **state)
{
	struct conf *c = parse_ok("cache\nend\ninterface em0\nend\n");
	const struct conf_iface *i;

	(void)state;
	assert_defaults_cache(c);
	assert_int_equal(c->nifaces, 1);
	i = &c->ifaces[0];
	assert_string_equal(i->name, "em0");
	assert_int_equal(i->timeout_ms, 1000);
	assert_false(i->routes);
	assert_int_equal(i->nrules, 0);
	assert_int_equal(i->nstatics, 0);
	assert_int_equal(i->line, 3);
	conf_free(c);
}

static void
test_comments_blank_lines(void **state)
{
	struct conf *c = parse_ok(
	    "# a comment\n"
	    "\n"
	    "   \t  \n"
	    "cache # after a keyword\n"
	    "\t# indented\n"
	    " timeout 70#no blank before the comment\n"
	    "\n"
	    "end # done\n"
	    "# a comment at the end without newline");

	(void)state;
	assert_int_equal(c->cache.timeout_ms, 70000);
	conf_free(c);
	/* No newline after the last statement. */
	c = parse_ok("cache\n timeout 80\nend");
	assert_int_equal(c->cache.timeout_ms, 80000);
	conf_free(c);
	c = parse_ok("pidfile /x");
	assert_string_equal(c->pidfile, "/x");
	conf_free(c);
}

static void
test_cache_keywords(void **state)
{
	struct conf *c = parse_ok(
	    "cache\n"
	    " timeout 302\n"
	    " tablesize 3499\n"
	    " limit 10000\n"
	    " refresh 2*7.5\n"
	    " delay 5*0.25\n"
	    "end\n");

	(void)state;
	assert_int_equal(c->cache.timeout_ms, 302000);
	assert_int_equal(c->cache.tablesize, 3499);
	assert_int_equal(c->cache.limit, 10000);
	assert_int_equal(c->cache.refresh_count, 2);
	assert_int_equal(c->cache.refresh_interval_ms, 7500);
	assert_int_equal(c->cache.delay_count, 5);
	assert_int_equal(c->cache.delay_window_ms, 250);
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_sweep(void **state)
{
	struct conf *c = parse_ok("interface em0\n"
	    "\trule 198.51.100.0/23 198.51.100.0/23 tell\n"
	    "\tsweep 198.51.100.0/24 every 600\n"
	    "\tsweep 198.51.101.0/25 every 1.5 rate 1000\n"
	    "end\n");

	(void)state;
	assert_int_equal(c->ifaces[0].nsweeps, 2);
	assert_int_equal(c->ifaces[0].sweeps[0].every_ms, 600000);
	assert_int_equal(c->ifaces[0].sweeps[0].rate, CONF_DEFAULT_SWEEP_RATE);
	assert_int_equal(c->ifaces[0].sweeps[0].line, 3);
	assert_int_equal(c->ifaces[0].sweeps[1].every_ms, 1500);
	assert_int_equal(c->ifaces[0].sweeps[1].rate, 1000);
	assert_roundtrip(c);
	conf_free(c);
	assert_error("interface e\n sweep 2001:db8::/120 every 5\nend\n", 2,
	    8, "expected an IPv4 prefix to sweep, got \"2001:db8::/120\" (an "
	    "IPv6 prefix has too many addresses to ask each)");
	assert_error("interface e\n sweep 10.0.0.0/15 every 5\nend\n", 2, 8,
	    "expected a prefix of at most 65536 addresses (/16 or longer) to "
	    "sweep, got \"10.0.0.0/15\"");
	assert_error("interface e\n sweep 10.0.0.0/24 each 5\nend\n", 2, 20,
	    "expected every, got \"each\"");
	assert_error("interface e\n sweep 10.0.0.0/24 every 0\nend\n", 2, 26,
	    "expected a duration greater than 0, got \"0\"");
	assert_error("interface e\n sweep 10.0.0.0/24 every 5 rate 1001\n"
	    "end\n", 2, 33, "expected a rate of 1 to 1000 queries per second, "
	    "got \"1001\"");
	assert_error("interface e\n sweep 10.0.0.0/24 every 5 pace 3\nend\n", 2,
	    28, "expected rate or the end of the line, got \"pace\"");
	assert_error("interface e\n sweep 10.0.0.0/24 every 5\n"
	    " sweep 10.0.0.128/25 every 5\nend\n", 3, 8,
	    "sweep overlaps the sweep at line 2");
	assert_error("interface e\n sweep 10.0.0.0/24\nend\n", 2, 19,
	    "syntax error, unexpected end of line, expecting word");
	assert_error("sweep 10.0.0.0/24 every 5\n", 1, 1,
	    "sweep is only allowed in an interface block");
	{
		struct diags ds;

		c = parse("interface e\n rule 10.0.0.0/24 10.0.0.0/24 tell\n"
		    " sweep 10.0.1.0/24 every 5\nend\n", &ds);
		assert_non_null(c);
		assert_int_equal(ds.n, 1);
		assert_true(ds.d[0].warning);
		assert_diag(&ds, 0, 3, 1, "sweep 10.0.1.0/24: no address of it "
		    "is learnable on e, so its answers would be dropped: add a "
		    "tell rule for it");
		conf_free(c);
	}
}

static void
test_top_keywords(void **state)
{
	struct conf *c = parse_ok("pidfile /run/p.pid\n"
	    "dumpfile \"/var/tmp/my dump\"\n");

	(void)state;
	assert_string_equal(c->pidfile, "/run/p.pid");
	assert_string_equal(c->dumpfile, "/var/tmp/my dump");
	assert_roundtrip(c);
	conf_free(c);
	c = parse_ok("control \"/run/parpd ctl\" group parpd-ops\n");
	assert_string_equal(c->control, "/run/parpd ctl");
	assert_string_equal(c->control_group, "parpd-ops");
	assert_roundtrip(c);
	conf_free(c);
	c = parse_ok("statefile /var/lib/parpd/cache\n");
	assert_string_equal(c->statefile, "/var/lib/parpd/cache");
	assert_null(c->user);
	assert_roundtrip(c);
	conf_free(c);
	c = parse_ok("user nobody group nogroup\n");
	assert_string_equal(c->user, "nobody");
	assert_string_equal(c->user_group, "nogroup");
	assert_roundtrip(c);
	conf_free(c);
	c = parse_ok("user _parpd\n");
	assert_string_equal(c->user, "_parpd");
	assert_null(c->user_group);
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_iface_keywords(void **state)
{
	struct conf *c = parse_ok(
	    "interface em0\n"
	    " timeout 1.011\n"
	    " routes\n"
	    " static 198.51.100.7 00:00:5E:00:53:07\n"
	    " static 2001:db8::7 2:0:0:0:0:7\n"
	    " rule 0.0.0.0/0 198.51.100.0/29 ignore\n"
	    "end\n"
	    "interface eth1.100\n"
	    "end\n");
	const struct conf_iface *i;

	(void)state;
	assert_int_equal(c->nifaces, 2);
	i = &c->ifaces[0];
	assert_string_equal(i->name, "em0");
	assert_int_equal(i->timeout_ms, 1011);
	assert_true(i->routes);
	assert_int_equal(i->line, 1);
	assert_int_equal(i->nstatics, 2);
	assert_ip(&i->statics[0].ip, "198.51.100.7");
	assert_mac(&i->statics[0].mac, "00:00:5e:00:53:07");
	assert_int_equal(i->statics[0].line, 4);
	assert_ip(&i->statics[1].ip, "2001:db8::7");
	assert_mac(&i->statics[1].mac, "02:00:00:00:00:07");
	assert_int_equal(i->statics[1].line, 5);
	assert_int_equal(i->nrules, 1);
	assert_int_equal(i->rules[0].line, 6);
	assert_string_equal(c->ifaces[1].name, "eth1.100");
	assert_int_equal(c->ifaces[1].line, 8);
	assert_ptr_equal(conf_iface_find(c, "eth1.100"), &c->ifaces[1]);
	assert_ptr_equal(conf_iface_find(c, "em0"), &c->ifaces[0]);
	assert_null(conf_iface_find(c, "em1"));
	assert_null(conf_iface_find(c, "em"));
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_original_example(void **state)
{
	static const char text[] = TESTUTIL_ORIGINAL_CONF;
	struct conf *c = parse_ok(text);
	const struct conf_rule *r;

	(void)state;
	assert_int_equal(c->cache.timeout_ms, 302000);
	assert_int_equal(c->cache.tablesize, 3499);
	assert_int_equal(c->cache.refresh_count, 3);
	assert_int_equal(c->cache.refresh_interval_ms, 5000);
	assert_int_equal(c->cache.delay_count, 4);
	assert_int_equal(c->cache.delay_window_ms, 3000);
	assert_int_equal(c->cache.limit, 65536);
	assert_int_equal(c->nifaces, 1);
	assert_int_equal(c->ifaces[0].timeout_ms, 1011);
	assert_int_equal(c->ifaces[0].nrules, 7);
	r = c->ifaces[0].rules;
	assert_prefix(&r[0].src, "0.0.0.0/0");
	assert_prefix(&r[0].dst, "198.51.100.0/29");
	assert_int_equal(r[0].action, CONF_ACTION_IGNORE);
	assert_int_equal(r[0].flags, 0);
	assert_int_equal(r[0].line, 10);
	assert_prefix(&r[1].src, "198.51.100.4/32");
	assert_int_equal(r[1].flags, CONF_RULE_DELAY);
	assert_int_equal(r[1].action, CONF_ACTION_TELL);
	assert_int_equal(r[2].action, CONF_ACTION_TELL);
	assert_int_equal(r[3].action, CONF_ACTION_REDIRECT);
	assert_ip(&r[3].router, "198.51.100.1");
	assert_int_equal(r[3].flags, 0);
	assert_prefix(&r[4].dst, "0.0.0.0/0");
	assert_int_equal(r[4].flags, CONF_RULE_VERBOSE);
	assert_int_equal(r[4].action, CONF_ACTION_REDIRECT);
	assert_prefix(&r[5].src, "192.0.2.0/24");
	assert_int_equal(r[6].flags, CONF_RULE_VERBOSE);
	assert_int_equal(r[6].action, CONF_ACTION_IGNORE);
	assert_int_equal(r[6].line, 16);
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_rule_forms(void **state)
{
	struct conf *c = parse_ok(
	    "interface em0\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 verbose delay tell\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 delay verbose tell\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 delay 198.51.100.1\n"
	    " rule 198.51.100.9 198.51.100.1 ignore\n"
	    " rule 2001:db8::/32 2001:db8::1 verbose 2001:db8::2\n"
	    " rule ::/0 ::/0 delay ignore\n"
	    " rule :: 2001:db8:0:0:0:0:0:1 tell\n"
	    " rule fe80::/64 2001:db8::/64 fe80::1\n"
	    "end\n");
	const struct conf_rule *r;

	(void)state;
	r = c->ifaces[0].rules;
	assert_int_equal(c->ifaces[0].nrules, 8);
	assert_int_equal(r[0].flags, CONF_RULE_VERBOSE | CONF_RULE_DELAY);
	assert_int_equal(r[1].flags, CONF_RULE_VERBOSE | CONF_RULE_DELAY);
	assert_true(conf_equal(c, c)); /* r[0] and r[1] mean the same */
	assert_int_equal(r[2].flags, CONF_RULE_DELAY);
	assert_int_equal(r[2].action, CONF_ACTION_REDIRECT);
	assert_ip(&r[2].router, "198.51.100.1");
	/* A bare address is a host prefix. */
	assert_prefix(&r[3].src, "198.51.100.9/32");
	assert_prefix(&r[3].dst, "198.51.100.1/32");
	assert_int_equal(r[4].src.ip.family, ADDR_V6);
	assert_prefix(&r[4].src, "2001:db8::/32");
	assert_prefix(&r[4].dst, "2001:db8::1/128");
	assert_ip(&r[4].router, "2001:db8::2");
	assert_int_equal(r[4].flags, CONF_RULE_VERBOSE);
	assert_prefix(&r[5].src, "::/0");
	assert_int_equal(r[5].src.ip.family, ADDR_V6);
	assert_int_equal(r[5].flags, CONF_RULE_DELAY);
	assert_prefix(&r[6].src, "::/128");
	assert_prefix(&r[6].dst, "2001:db8::1/128");
	assert_ip(&r[7].router, "fe80::1");
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_canonical_print(void **state)
{
	static const char want[] =
	    "pidfile /var/run/parpd.pid\n"
	    "dumpfile /var/run/parpd.dump\n"
	    "control /var/run/parpd.sock\n"
	    "\n"
	    "cache\n"
	    "\ttimeout 0.5\n"
	    "\ttablesize 1021\n"
	    "\tlimit 65536\n"
	    "\trefresh 1*0.25\n"
	    "\tdelay 4*0.001\n"
	    "end\n"
	    "\n"
	    "interface em0\n"
	    "\ttimeout 2.01\n"
	    "\troutes\n"
	    "\tstatic 198.51.100.7 00:00:5e:00:53:07\n"
	    "\tstatic 2001:db8::7 02:00:00:00:00:07\n"
	    "\trule 198.51.100.0/24 198.51.100.0/24 verbose delay tell\n"
	    "\trule 198.51.100.0/24 198.51.100.0/24 198.51.100.1\n"
	    "end\n"
	    "\n"
	    "interface \"tell\"\n"
	    "\ttimeout 1\n"
	    "end\n";
	struct conf *c;
	char *p;

	(void)state;
	c = parse_ok(
	    "interface em0\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 delay verbose tell\n"
	    " static 198.51.100.7 00:00:5e:00:53:07\n"
	    " routes\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 198.51.100.1\n"
	    " static 2001:db8:0::7 02:00:00:00:00:07\n"
	    " timeout 2.010\n"
	    "end\n"
	    "interface \"tell\"\n"
	    "end\n"
	    "cache\n"
	    " delay 4*0.001\n"
	    " refresh 1*0.250\n"
	    " timeout 0.5\n"
	    "end\n");
	p = print_conf(c);
	assert_string_equal(p, want);
	free(p);
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_print_quoting(void **state)
{
	struct conf *c = parse_ok("pidfile \"/var/run/with blank\"\n"
	    "dumpfile \"/tmp/a#b\"\n"
	    "interface \"end\"\nend\n"
	    "interface \"x\"\nend\n");
	char *p;

	(void)state;
	assert_string_equal(c->ifaces[0].name, "end");
	p = print_conf(c);
	assert_non_null(strstr(p, "pidfile \"/var/run/with blank\"\n"));
	assert_non_null(strstr(p, "dumpfile \"/tmp/a#b\"\n"));
	assert_non_null(strstr(p, "interface \"end\"\n"));
	assert_non_null(strstr(p, "interface x\n"));
	free(p);
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_durations(void **state)
{
	static const struct {
		const char *text;
		uint32_t ms;
	} ok[] = {
		{ "1", 1000 }, { "0.001", 1 }, { "1.5", 1500 },
		{ "1.05", 1050 }, { "0001.100", 1100 },
		{ "2592000", 2592000000u }, { "2591999.999", 2591999999u },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct conf *c;

		snprintf(buf, sizeof(buf), "interface em0\ntimeout %s\nend\n",
		    ok[i].text);
		c = parse_ok(buf);
		assert_int_equal(c->ifaces[0].timeout_ms, ok[i].ms);
		assert_roundtrip(c);
		conf_free(c);
	}
	assert_error("interface e\n timeout 0\nend\n", 2, 10,
	    "expected a duration greater than 0, got \"0\"");
	assert_error("interface e\n timeout 0.000\nend\n", 2, 10,
	    "expected a duration greater than 0, got \"0.000\"");
	assert_error("interface e\n timeout 1.0001\nend\n", 2, 10,
	    "expected at most three decimals (millisecond precision), got "
	    "\"1.0001\"");
	assert_error("interface e\n timeout 2592000.001\nend\n", 2, 10,
	    "expected a duration of at most 30 days (2592000 seconds), got "
	    "\"2592000.001\"");
	assert_error("interface e\n timeout 99999999999999999999999\nend\n",
	    2, 10, "expected a duration of at most 30 days (2592000 seconds), "
	    "got \"99999999999999999999999\"");
	assert_error("interface e\n timeout .5\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \".5\"");
	assert_error("interface e\n timeout 1.\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"1.\"");
	assert_error("interface e\n timeout 1s\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"1s\"");
	assert_error("interface e\n timeout -1\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"-1\"");
	assert_error("interface e\n timeout 1.2.3\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"1.2.3\"");
}

static void
test_table_numbers(void **state)
{
	struct conf *c = parse_ok("cache\ntablesize 1\nlimit 16777216\nend\n");

	(void)state;
	assert_int_equal(c->cache.tablesize, 1);
	assert_int_equal(c->cache.limit, 16777216);
	conf_free(c);
	c = parse_ok("cache\ntablesize 16777216\nlimit 1\nend\n");
	assert_int_equal(c->cache.tablesize, 16777216);
	assert_int_equal(c->cache.limit, 1);
	conf_free(c);
	assert_error("cache\ntablesize 0\nend\n", 2, 11,
	    "expected a number of buckets from 1 to 16777216, got \"0\"");
	assert_error("cache\ntablesize 16777217\nend\n", 2, 11,
	    "expected a number of buckets from 1 to 16777216, got "
	    "\"16777217\"");
	assert_error("cache\ntablesize 0x10\nend\n", 2, 11,
	    "expected a number of buckets from 1 to 16777216, got \"0x10\"");
	assert_error("cache\nlimit 0\nend\n", 2, 7,
	    "expected a number of entries from 1 to 16777216, got \"0\"");
	assert_error("cache\nlimit 1e6\nend\n", 2, 7,
	    "expected a number of entries from 1 to 16777216, got \"1e6\"");
}

static void
test_count_times(void **state)
{
	struct conf *c = parse_ok("cache\nrefresh 1000*0.001\n"
	    "delay 1*2592000\nend\n");

	(void)state;
	assert_int_equal(c->cache.refresh_count, 1000);
	assert_int_equal(c->cache.refresh_interval_ms, 1);
	assert_int_equal(c->cache.delay_count, 1);
	assert_int_equal(c->cache.delay_window_ms, 2592000000u);
	assert_roundtrip(c);
	conf_free(c);
	assert_error("cache\ndelay 3\nend\n", 2, 7,
	    "expected COUNT*SECONDS (e.g. 3*5), got \"3\"");
	assert_error("cache\ndelay *3\nend\n", 2, 7,
	    "expected COUNT*SECONDS (e.g. 3*5), got \"*3\"");
	assert_error("cache\ndelay x*3\nend\n", 2, 7,
	    "expected COUNT*SECONDS (e.g. 3*5), got \"x*3\"");
	assert_error("cache\ndelay 0*3\nend\n", 2, 7,
	    "expected a count from 1 to 1000 before '*', got \"0\"");
	assert_error("cache\ndelay 1001*3\nend\n", 2, 7,
	    "expected a count from 1 to 1000 before '*', got \"1001\"");
	/* The duration part is located at its own column. */
	assert_error("cache\ndelay 4*0\nend\n", 2, 9,
	    "expected a duration greater than 0, got \"0\"");
	assert_error("cache\ndelay 40*\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"\"");
	assert_error("cache\nrefresh 4*3*3\nend\n", 2, 11,
	    "expected a duration in seconds (e.g. 300 or 1.5), got \"3*3\"");
	assert_error("cache\nrefresh 4*0.0005\nend\n", 2, 11,
	    "expected at most three decimals (millisecond precision), got "
	    "\"0.0005\"");
}

static void
test_refresh_within_timeout(void **state)
{
	struct conf *c = parse_ok("cache\ntimeout 15.001\nrefresh 3*5\nend\n");

	(void)state;
	conf_free(c);
	assert_error("cache\n timeout 15\n refresh 3*5\nend\n", 3, 10,
	    "expected refresh to span less than the cache timeout 15 "
	    "(line 2), got 3*5 = 15 seconds");
	assert_error("cache\n refresh 100*3\nend\n", 2, 10,
	    "expected refresh to span less than the cache timeout 300 "
	    "(the default), got 100*3 = 300 seconds");
	assert_error("cache\n timeout 10.5\nend\n", 2, 10,
	    "expected a cache timeout longer than refresh 3*5 = 15 seconds "
	    "(the default), got 10.5");
	/* The order of the settings does not matter. */
	assert_error("cache\n refresh 2*0.75\n timeout 1.5\nend\n", 2, 10,
	    "expected refresh to span less than the cache timeout 1.5 "
	    "(line 3), got 2*0.75 = 1.5 seconds");
}

static void
test_prefixes(void **state)
{
	(void)state;
	assert_error("interface em0\n"
	    " rule 198.51.100.0/33 0.0.0.0/0 tell\nend\n", 2, 20,
	    "prefix length 33 is out of range for IPv4 (0-32)");
	assert_error("interface em0\n"
	    " rule ::/0 2001:db8::/129 tell\nend\n", 2, 23,
	    "prefix length 129 is out of range for IPv6 (0-128)");
	assert_error("interface em0\n"
	    " rule ::/0 2001:db8::/99999999999999999999 tell\nend\n", 2, 23,
	    "prefix length 99999999999999999999 is out of range for IPv6 "
	    "(0-128)");
	assert_error("interface em0\n"
	    " rule 198.51.100.0/ 0.0.0.0/0 tell\nend\n", 2, 7,
	    "expected an IPv4 or IPv6 prefix, got \"198.51.100.0/\"");
	assert_error("interface em0\n"
	    " rule 198.51.100.0/-1 0.0.0.0/0 tell\nend\n", 2, 7,
	    "expected an IPv4 or IPv6 prefix, got \"198.51.100.0/-1\"");
	assert_error("interface em0\n"
	    " rule 198.51.100/24 0.0.0.0/0 tell\nend\n", 2, 7,
	    "expected an IPv4 or IPv6 prefix, got \"198.51.100/24\"");
	assert_error("interface em0\n"
	    " rule 0/0 0.0.0.0/0 tell\nend\n", 2, 7,
	    "expected an IPv4 or IPv6 prefix, got \"0/0\"");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 2001:db8::1%em0 tell\nend\n", 2, 17,
	    "expected an IPv4 or IPv6 prefix, got \"2001:db8::1%em0\"");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 "
	    "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000/0 tell\nend\n",
	    2, 17, "expected an IPv4 or IPv6 prefix, got "
	    "\"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000/0\"");
	assert_error("interface em0\n rule "
	    "198.51.100.1111111111111111111111111111111111111111111111/24 "
	    "::/0 tell\nend\n", 2, 7, "expected an IPv4 or IPv6 prefix, got "
	    "\"198.51.100.1111111111111111111111111111111111111111111111/24\"");
	assert_error("interface em0\n rule tell 0.0.0.0/0 tell\nend\n", 2, 7,
	    "syntax error, unexpected tell, expecting word");
}

static void
test_host_bits_warning(void **state)
{
	struct diags ds;
	struct conf *c = parse("interface em0\n"
	    " rule 198.51.100.77/24 2001:db8::/32 tell\n"
	    " rule 2001:db8::1/64 2001:db8::/32 tell\n"
	    "end\n", &ds);

	(void)state;
	/* The first rule is also an error (families); warnings stay. */
	assert_null(c);
	assert_int_equal(ds.n, 3);
	assert_int_equal(ds.nerr, 1);
	assert_int_equal(ds.nwarn, 2);
	assert_true(ds.d[0].warning);
	assert_diag(&ds, 0, 2, 7, "\"198.51.100.77/24\" has host bits set; "
	    "using 198.51.100.0/24");
	assert_false(ds.d[1].warning);
	assert_diag(&ds, 1, 2, 24, "expected an IPv4 prefix like the rule's "
	    "source, got \"2001:db8::/32\"");
	assert_true(ds.d[2].warning);
	assert_diag(&ds, 2, 3, 7, "\"2001:db8::1/64\" has host bits set; "
	    "using 2001:db8::/64");

	/* Warnings alone: the configuration is valid and normalised. */
	c = parse("interface em0\n rule 198.51.100.1/31 0.0.0.0/0 tell\n"
	    " rule ::/0 2001:db8::1/120 ignore\nend\n", &ds);
	assert_non_null(c);
	assert_int_equal(ds.nerr, 0);
	assert_int_equal(ds.nwarn, 2);
	assert_diag(&ds, 0, 2, 7, "\"198.51.100.1/31\" has host bits set; "
	    "using 198.51.100.0/31");
	assert_diag(&ds, 1, 3, 12, "\"2001:db8::1/120\" has host bits set; "
	    "using 2001:db8::/120");
	assert_prefix(&c->ifaces[0].rules[0].src, "198.51.100.0/31");
	assert_prefix(&c->ifaces[0].rules[1].dst, "2001:db8::/120");
	assert_roundtrip(c);
	conf_free(c);
}

static void
test_families(void **state)
{
	(void)state;
	assert_error("interface em0\n rule 198.51.100.0/24 ::/0 tell\nend\n",
	    2, 23, "expected an IPv4 prefix like the rule's source, got "
	    "\"::/0\"");
	assert_error("interface em0\n rule ::/0 0.0.0.0/0 tell\nend\n",
	    2, 12, "expected an IPv6 prefix like the rule's source, got "
	    "\"0.0.0.0/0\"");
	assert_error("interface em0\n"
	    " rule 198.51.100.0/24 0.0.0.0/0 2001:db8::1\nend\n", 2, 33,
	    "expected an IPv4 router address like the rule's prefixes, got "
	    "\"2001:db8::1\"");
	assert_error("interface em0\n"
	    " rule ::/0 ::/0 verbose 198.51.100.1\nend\n", 2, 25,
	    "expected an IPv6 router address like the rule's prefixes, got "
	    "\"198.51.100.1\"");
}

static void
test_rule_actions(void **state)
{
	(void)state;
	assert_error("interface em0\n rule ::/0 ::/0\nend\n", 2, 16,
	    "expected an action (ignore, tell or a router address), got end "
	    "of line");
	assert_error("interface em0\n rule ::/0 ::/0 verbose delay\nend\n",
	    2, 30, "expected an action (ignore, tell or a router address), "
	    "got end of line");
	assert_error("interface em0\n rule ::/0 ::/0 delay\nend\n", 2, 22,
	    "expected an action (ignore, tell or a router address), got end "
	    "of line");
	assert_error("interface em0\n rule ::/0 ::/0 tell ignore\nend\n",
	    2, 22, "expected end of line after the action, got \"ignore\"");
	assert_error("interface em0\n rule ::/0 ::/0 ignore delay\nend\n",
	    2, 24, "expected end of line after the action, got \"delay\"");
	assert_error("interface em0\n rule ::/0 ::/0 verbose verbose tell\n"
	    "end\n", 2, 25, "verbose given twice in one rule");
	assert_error("interface em0\n rule ::/0 ::/0 delay verbose delay tell\n"
	    "end\n", 2, 31, "delay given twice in one rule");
	assert_error("interface em0\n rule ::/0 ::/0 answer\nend\n", 2, 17,
	    "expected ignore, tell or a router address, got \"answer\"");
	assert_error("interface em0\n rule ::/0 ::/0 2001:db8::1/128\nend\n",
	    2, 17, "expected ignore, tell or a router address, got "
	    "\"2001:db8::1/128\"");
	assert_error("interface em0\n rule ::/0 ::/0 ::\nend\n", 2, 17,
	    "router address :: is the unspecified address; expected the "
	    "address of a host on the link");
	assert_error("interface em0\n rule ::/0 ::/0 ff02::1\nend\n", 2, 17,
	    "router address ff02::1 is a multicast address; expected the "
	    "address of a host on the link");
	assert_error("interface em0\n rule ::/0 ::/0 ::1\nend\n", 2, 17,
	    "router address ::1 is the loopback address; expected the "
	    "address of a host on the link");
	assert_error("interface em0\n rule 0.0.0.0/0 0.0.0.0/0 0.0.0.0\nend\n",
	    2, 27, "router address 0.0.0.0 is the unspecified address; "
	    "expected the address of a host on the link");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 0.0.0.0/0 239.255.255.250\nend\n", 2, 27,
	    "router address 239.255.255.250 is a multicast address; "
	    "expected the address of a host on the link");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 0.0.0.0/0 255.255.255.255\nend\n", 2, 27,
	    "router address 255.255.255.255 is the limited broadcast "
	    "address; expected the address of a host on the link");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 0.0.0.0/0 127.0.0.1\nend\n", 2, 27,
	    "router address 127.0.0.1 is a loopback address; expected the "
	    "address of a host on the link");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 0.0.0.0/0 0.0.0.1\nend\n", 2, 27,
	    "router address 0.0.0.1 is a \"this network\" address "
	    "(0.0.0.0/8); expected the address of a host on the link");
	assert_error("interface em0\n"
	    " rule 0.0.0.0/0 0.0.0.0/0 240.0.0.1\nend\n", 2, 27,
	    "router address 240.0.0.1 is a reserved address (240.0.0.0/4); "
	    "expected the address of a host on the link");
	assert_error("interface em0\n rule ::/0 ::/0 \"tell\"\nend\n", 2, 17,
	    "syntax error, unexpected quoted string");
	assert_error("interface em0\n rule ::/0\nend\n", 2, 11,
	    "syntax error, unexpected end of line, expecting word");
	assert_error("interface em0\n rule\nend\n", 2, 6,
	    "syntax error, unexpected end of line, expecting word");
}

/* "static ip MAC" alone in an interface block parses cleanly. */
static void
assert_parses_static(const char *ip)
{
	char text[128];
	struct diags ds;
	struct conf *c;

	snprintf(text, sizeof(text), "interface em0\n static %s "
	    "00:00:5e:00:53:07\nend\n", ip);
	c = parse(text, &ds);
	if (c == NULL || ds.n != 0)
		fprintf(stderr, "input: %s", text);
	assert_non_null(c);
	assert_int_equal(ds.n, 0);
	assert_int_equal(c->ifaces[0].nstatics, 1);
	conf_free(c);
}

static void
test_statics(void **state)
{
	(void)state;
	assert_error("interface em0\n static 198.51.100.7/32 "
	    "00:00:5e:00:53:07\nend\n", 2, 9, "expected an IPv4 or IPv6 "
	    "address, got \"198.51.100.7/32\"");
	assert_error("interface em0\n static host 00:00:5e:00:53:07\nend\n",
	    2, 9, "expected an IPv4 or IPv6 address, got \"host\"");
	assert_error("interface em0\n static 0.0.0.0 00:00:5e:00:53:07\nend\n",
	    2, 9, "static address 0.0.0.0 is the unspecified address; "
	    "expected the address of a host on the link");
	assert_error("interface em0\n static ff02::1 00:00:5e:00:53:07\nend\n",
	    2, 9, "static address ff02::1 is a multicast address; expected "
	    "the address of a host on the link");
	assert_error("interface em0\n static 224.0.0.1 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 224.0.0.1 is a multicast "
	    "address; expected the address of a host on the link");
	/* Nor any other address that names no neighbour. */
	assert_error("interface em0\n static 127.0.0.1 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 127.0.0.1 is a loopback "
	    "address; expected the address of a host on the link");
	assert_error("interface em0\n static 127.255.0.9 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 127.255.0.9 is a loopback "
	    "address; expected the address of a host on the link");
	assert_error("interface em0\n static ::1 00:00:5e:00:53:07\nend\n",
	    2, 9, "static address ::1 is the loopback address; expected "
	    "the address of a host on the link");
	assert_error("interface em0\n static :: 00:00:5e:00:53:07\nend\n",
	    2, 9, "static address :: is the unspecified address; expected "
	    "the address of a host on the link");
	assert_error("interface em0\n static 0.1.2.3 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 0.1.2.3 is a \"this network\" "
	    "address (0.0.0.0/8); expected the address of a host on the "
	    "link");
	assert_error("interface em0\n static 239.1.2.3 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 239.1.2.3 is a multicast "
	    "address; expected the address of a host on the link");
	assert_error("interface em0\n static ff05::2 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address ff05::2 is a multicast "
	    "address; expected the address of a host on the link");
	assert_error("interface em0\n static 255.255.255.255 "
	    "00:00:5e:00:53:07\nend\n", 2, 9, "static address "
	    "255.255.255.255 is the limited broadcast address; expected the "
	    "address of a host on the link");
	assert_error("interface em0\n static 240.0.0.1 00:00:5e:00:53:07\n"
	    "end\n", 2, 9, "static address 240.0.0.1 is a reserved address "
	    "(240.0.0.0/4); expected the address of a host on the link");
	/* Still allowed: the blocks around them and link-local addresses. */
	assert_parses_static("1.0.0.1");
	assert_parses_static("126.255.255.255");
	assert_parses_static("128.0.0.1");
	assert_parses_static("223.255.255.254");
	assert_parses_static("169.254.0.7");
	assert_parses_static("::2");
	assert_parses_static("fe80::7");
	assert_parses_static("fe00::7");
	assert_error("interface em0\n static 198.51.100.7 01:00:5e:90:10:07\n"
	    "end\n", 2, 22, "expected a unicast MAC address, got multicast "
	    "\"01:00:5e:90:10:07\"");
	assert_error("interface em0\n static 198.51.100.7 0:0:0:0:0:0\n"
	    "end\n", 2, 22, "expected a unicast MAC address, got all-zero "
	    "\"0:0:0:0:0:0\"");
	assert_error("interface em0\n static 198.51.100.7 00:00:5e:00:53\n"
	    "end\n", 2, 22, "expected a MAC address like 00:00:5e:00:53:01, "
	    "got \"00:00:5e:00:53\"");
	assert_error("interface em0\n static 198.51.100.7 "
	    "00:00:5e:00:53:07:08\nend\n", 2, 22, "expected a MAC address "
	    "like 00:00:5e:00:53:01, got \"00:00:5e:00:53:07:08\"");
	assert_error("interface em0\n static 198.51.100.7 000:0:5e:0:53:7\n"
	    "end\n", 2, 22, "expected a MAC address like 00:00:5e:00:53:01, "
	    "got \"000:0:5e:0:53:7\"");
	assert_error("interface em0\n static 198.51.100.7\nend\n", 2, 21,
	    "syntax error, unexpected end of line, expecting word");
	/* "router": the pair's NAs carry R=1 (RFC 4861 7.2.5). */
	{
		struct conf *c = parse_ok("interface em0\n static "
		    "2001:db8:1::1 00:00:5e:00:53:01 router\n static "
		    "2001:db8:1::2 00:00:5e:00:53:02\nend\n");

		assert_int_equal(c->ifaces[0].nstatics, 2);
		assert_true(c->ifaces[0].statics[0].router);
		assert_false(c->ifaces[0].statics[1].router);
		conf_free(c);
	}
	/* The same address twice, even on another interface. */
	assert_error("interface em0\n static 198.51.100.7 00:00:5e:00:53:07\n"
	    "end\ninterface em1\n static 198.51.100.7 00:00:5e:00:53:08\n"
	    "end\n", 5, 9,
	    "static address 198.51.100.7 already defined at line 2");
	assert_error("interface em0\n static 2001:db8::7 02:00:00:00:00:07\n"
	    " static 2001:db8:0::7 02:00:00:00:00:08\nend\n", 3, 9,
	    "static address 2001:db8:0::7 already defined at line 2");
}

static void
test_iface_names(void **state)
{
	struct conf *c = parse_ok("interface abcdefghijklmno\nend\n"
	    "interface \"quoted\"\nend\ninterface br-lan_2.10@x\nend\n");

	(void)state;
	assert_string_equal(c->ifaces[0].name, "abcdefghijklmno");
	assert_string_equal(c->ifaces[1].name, "quoted");
	assert_string_equal(c->ifaces[2].name, "br-lan_2.10@x");
	assert_roundtrip(c);
	conf_free(c);
	assert_error("interface abcdefghijklmnop\nend\n", 1, 11,
	    "expected an interface name of at most 15 characters, got "
	    "\"abcdefghijklmnop\" (16)");
	assert_error("interface a/b\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"a/b\"");
	assert_error("interface em0:1\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"em0:1\"");
	assert_error("interface \"a b\"\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"a b\"");
	assert_error("interface \"\"\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"\"");
	assert_error("interface ..\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"..\"");
	assert_error("interface \"x#y\"\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"x#y\"");
	assert_error("interface \xc3\xa9t\nend\n", 1, 11,
	    "expected an interface name of printable characters except '/', "
	    "':' and '#', got \"\\xc3\\xa9t\"");
	assert_error("interface em0\nend\ninterface em0\nend\n", 3, 11,
	    "interface em0 already defined at line 1");
	assert_error("interface\nend\n", 1, 10,
	    "syntax error, unexpected end of line, expecting word or quoted "
	    "string");
	assert_error("interface em0 em1\nend\n", 1, 15,
	    "syntax error, unexpected word, expecting end of line");
}

static void
test_paths(void **state)
{
	char buf[PATH_MAX + 64];

	(void)state;
	assert_error("pidfile parpd.pid\n", 1, 9,
	    "expected an absolute path, got \"parpd.pid\"");
	assert_error("dumpfile \"\"\n", 1, 10,
	    "expected an absolute path, got \"\"");
	assert_error("pidfile /a\npidfile /b\n", 2, 1,
	    "pidfile already set at line 1");
	assert_error("dumpfile /a\ndumpfile /a\n", 2, 1,
	    "dumpfile already set at line 1");
	assert_error("pidfile /a\ndumpfile /a\n", 2, 10,
	    "expected a dumpfile other than the pidfile, got \"/a\"");
	assert_error("pidfile /var/run/parpd.dump\n", 1, 9,
	    "expected a dumpfile other than the pidfile, got "
	    "\"/var/run/parpd.dump\"");
	assert_error("control run/parpd.sock\n", 1, 9,
	    "expected an absolute path, got \"run/parpd.sock\"");
	assert_error("control /a\ncontrol /b\n", 2, 1,
	    "control already set at line 1");
	assert_error("control /a owner wheel\n", 1, 12,
	    "expected group or the end of the line, got \"owner\"");
	assert_error("control /a group wh:eel\n", 1, 18,
	    "expected a group name, got \"wh:eel\"");
	assert_error("control /a group\n", 1, 17, "syntax error, unexpected "
	    "end of line, expecting word");
	assert_error("user a\nuser b\n", 2, 1, "user already set at line 1");
	assert_error("user a owner b\n", 1, 8,
	    "expected group or the end of the line, got \"owner\"");
	assert_error("user -a\n", 1, 6, "expected a user name, got \"-a\"");
	assert_error("user a group b:c\n", 1, 14,
	    "expected a group name, got \"b:c\"");
	assert_error("user \"a b\"\n", 1, 6, "syntax error, unexpected "
	    "quoted string, expecting word");
	assert_error("cache\n user a\nend\n", 2, 2,
	    "user is only allowed outside blocks");
	assert_error("pidfile /a\ncontrol /a\n", 2, 9,
	    "expected a control socket other than the pidfile and the "
	    "dumpfile, got \"/a\"");
	assert_error("control /var/run/parpd.dump\n", 1, 9,
	    "expected a control socket other than the pidfile and the "
	    "dumpfile, got \"/var/run/parpd.dump\"");
	assert_error("statefile /a\nstatefile /b\n", 2, 1,
	    "statefile already set at line 1");
	assert_error("statefile a\n", 1, 11,
	    "expected an absolute path, got \"a\"");
	assert_error("pidfile /a\nstatefile /a\n", 2, 11,
	    "expected a statefile other than the pidfile, the dumpfile and "
	    "the control socket, got \"/a\"");
	assert_error("statefile /var/run/parpd.sock\n", 1, 11,
	    "expected a statefile other than the pidfile, the dumpfile and "
	    "the control socket, got \"/var/run/parpd.sock\"");
	assert_error("pidfile\n", 1, 8, "syntax error, unexpected end of line, "
	    "expecting word or quoted string");
	assert_error("pidfile /a /b\n", 1, 12,
	    "syntax error, unexpected word, expecting end of line");
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "pidfile /", 9);
	snprintf(buf + 8 + PATH_MAX, 64, "\n");
	{
		struct diags ds;
		char want[128];

		assert_null(parse(buf, &ds));
		assert_int_equal(ds.n, 1);
		snprintf(want, sizeof(want), "expected a path shorter than %d "
		    "bytes, got %d bytes", PATH_MAX, PATH_MAX);
		assert_diag(&ds, 0, 1, 9, want);
	}
}

static void
test_duplicates(void **state)
{
	static const char *const cache_kw[] = { "timeout 60", "tablesize 7",
		"limit 9", "refresh 2*2", "delay 2*2" };
	char buf[256], msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		size_t kwlen = strcspn(cache_kw[i], " ");

		snprintf(buf, sizeof(buf), "cache\n %s\n\n %s\nend\n",
		    cache_kw[i], cache_kw[i]);
		snprintf(msg, sizeof(msg), "%.*s already set at line 2",
		    (int)kwlen, cache_kw[i]);
		assert_error(buf, 4, 2, msg);
	}
	assert_error("interface em0\n timeout 2\n timeout 2\nend\n", 3, 2,
	    "timeout already set at line 2");
	assert_error("interface em0\n routes\n routes\nend\n", 3, 2,
	    "routes already set at line 2");
	/* Settings are per block: two interfaces may both have them. */
	conf_free(parse_ok("interface em0\n timeout 2\n routes\n"
	    " rule ::/0 ::/0 tell\nend\n"
	    "interface em1\n timeout 2\n routes\n rule ::/0 ::/0 tell\nend\n"
	    "cache\n timeout 60\nend\n"));
	assert_error("cache\nend\ncache\nend\n", 3, 1,
	    "cache block already defined at line 1");
}

static void
test_misplaced(void **state)
{
	static const struct {
		const char *text;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "rule 0.0.0.0/0 0.0.0.0/0 tell\n", 1, 1,
		  "rule is only allowed in an interface block" },
		{ "routes\n", 1, 1, "routes is only allowed in an interface "
		  "block" },
		{ "static 198.51.100.1 00:00:5e:00:53:01\n", 1, 1,
		  "static is only allowed in an interface block" },
		{ "timeout 3\n", 1, 1, "timeout is only allowed in a cache or "
		  "interface block" },
		{ "tablesize 3\n", 1, 1, "tablesize is only allowed in the "
		  "cache block" },
		{ "limit 3\n", 1, 1, "limit is only allowed in the cache "
		  "block" },
		{ "refresh 3*5\n", 1, 1, "refresh is only allowed in the cache "
		  "block" },
		{ "delay 3*5\n", 1, 1, "delay is only allowed in the cache "
		  "block" },
		{ "cache\n rule ::/0 ::/0 tell\nend\n", 2, 2,
		  "rule is only allowed in an interface block" },
		{ "cache\n routes\nend\n", 2, 2,
		  "routes is only allowed in an interface block" },
		{ "cache\n static ::1 2:0:0:0:0:1\nend\n", 2, 2,
		  "static is only allowed in an interface block" },
		{ "cache\n pidfile /x\nend\n", 2, 2,
		  "pidfile is only allowed outside blocks" },
		{ "cache\n dumpfile /x\nend\n", 2, 2,
		  "dumpfile is only allowed outside blocks" },
		{ "interface e\n tablesize 5\nend\n", 2, 2,
		  "tablesize is only allowed in the cache block" },
		{ "interface e\n limit 5\nend\n", 2, 2,
		  "limit is only allowed in the cache block" },
		{ "interface e\n refresh 5*1\nend\n", 2, 2,
		  "refresh is only allowed in the cache block" },
		{ "interface e\n delay 5*1\nend\n", 2, 2,
		  "delay is only allowed in the cache block" },
		{ "interface e\n pidfile /p\nend\n", 2, 2,
		  "pidfile is only allowed outside blocks" },
		{ "interface e\n dumpfile /p\nend\n", 2, 2,
		  "dumpfile is only allowed outside blocks" },
		{ "interface e\n control /p\nend\n", 2, 2,
		  "control is only allowed outside blocks" },
		{ "cache\n statefile /a\nend\n", 2, 2,
		  "statefile is only allowed outside blocks" },
		{ "end\n", 1, 1, "end without an open block" },
		{ "cache\nend\nend extra words\n", 3, 1,
		  "end without an open block" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_error(cases[i].text, cases[i].line, cases[i].col,
		    cases[i].msg);
}

static void
test_unknown_keywords(void **state)
{
	(void)state;
	assert_error("caches\n", 1, 1, "expected cache, interface, pidfile, "
	    "dumpfile, control, statefile or user, got \"caches\"");
	assert_error("  tell me more\n", 1, 3, "expected cache, interface, "
	    "pidfile, dumpfile, control, statefile or user, got \"tell\"");
	assert_error("\"quoted\"\n", 1, 1, "expected cache, interface, "
	    "pidfile, dumpfile, control, statefile or user, got \"quoted\"");
	/* Quotes and backslashes are escaped in messages. */
	assert_error("a\\b\n", 1, 1, "expected cache, interface, pidfile, "
	    "dumpfile, control, statefile or user, got \"a\\\\b\"");
	assert_error("cache\n Timeout 3\nend\n", 2, 2, "expected timeout, "
	    "tablesize, limit, refresh, delay or end, got \"Timeout\"");
	assert_error("cache\n verbose\nend\n", 2, 2, "expected timeout, "
	    "tablesize, limit, refresh, delay or end, got \"verbose\"");
	assert_error("interface e\n ignore all\nend\n", 2, 2, "expected "
	    "timeout, routes, static, rule, sweep or end, got \"ignore\"");
	assert_error("interface e\n rules\nend\n", 2, 2, "expected "
	    "timeout, routes, static, rule, sweep or end, got \"rules\"");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	assert_error("cache 5\nend\n", 1, 7,
	    "syntax error, unexpected word, expecting end of line");
	assert_error("cache\nend now\n", 2, 5,
	    "syntax error, unexpected word, expecting end of line");
	assert_error("cache\n timeout\nend\n", 2, 9,
	    "syntax error, unexpected end of line, expecting word");
	assert_error("cache\n timeout 3 5\nend\n", 2, 12,
	    "syntax error, unexpected word, expecting end of line");
	assert_error("cache\n tablesize \"7\"\nend\n", 2, 12,
	    "syntax error, unexpected quoted string, expecting word");
	assert_error("interface e\n routes yes\nend\n", 2, 9,
	    "syntax error, unexpected word, expecting end of line");
	/* A third word other than router (issue 8 defect 1: was a syntax
	 * error, "router" now being the one word allowed there). */
	assert_error("interface e\n static 198.51.100.1 00:00:5e:00:53:01 x\n"
	    "end\n", 2, 40,
	    "expected router or the end of the line after the static pair, "
	    "got \"x\"");
	assert_error("interface e\n static 198.51.100.1 00:00:5e:00:53:01 "
	    "router x\nend\n", 2, 47,
	    "syntax error, unexpected word, expecting end of line");
	assert_error("cache\n limit cache\nend\n", 2, 8,
	    "syntax error, unexpected cache, expecting word");
}

static void
test_missing_end(void **state)
{
	struct diags ds;

	(void)state;
	assert_error("cache\n timeout 60\n", 3, 1,
	    "expected end of the cache block opened at line 1, got end of "
	    "file");
	assert_error("cache\n timeout 60", 2, 12,
	    "expected end of the cache block opened at line 1, got end of "
	    "file");
	assert_error("\n\ninterface em0\n rule ::/0 ::/0 tell\n", 5, 1,
	    "expected end of the interface em0 block opened at line 3, got "
	    "end of file");
	assert_error("cache\n", 2, 1, "expected end of the cache block opened "
	    "at line 1, got end of file");
	/* A block starting inside another: the open one lacks its end,
	 * and the next block is still parsed as what it is. */
	assert_null(parse("cache\n timeout 60\ninterface em0\n"
	    " rule ::/0 ::/0 tell\nend\ninterface em1\n routes\n"
	    "cache\nend\n", &ds));
	assert_int_equal(ds.n, 3);
	assert_diag(&ds, 0, 3, 1, "expected end of the cache block opened "
	    "at line 1, got \"interface\"");
	assert_diag(&ds, 1, 8, 1, "expected end of the interface em1 block "
	    "opened at line 6, got \"cache\"");
	assert_diag(&ds, 2, 8, 1, "cache block already defined at line 1");
}

/* Five different mistakes, five located errors, nothing else. */
static void
test_five_errors(void **state)
{
	struct diags ds;

	(void)state;
	assert_null(parse(
	    "cache\n"
	    " timeout 0\n"				 /* 2:10 */
	    " tablesize many\n"				 /* 3:12 */
	    "end\n"
	    "interface em0\n"
	    " rule 198.51.100.0/33 0.0.0.0/0 tell\n"	 /* 6:20 */
	    " rule 0.0.0.0/0 0.0.0.0/0 tell\n"
	    " static 198.51.100.7 01:00:5e:90:10:ff\n"	 /* 8:22 */
	    " bogus\n"					 /* 9:2 */
	    " rule ::/0 ::/0 ignore\n"
	    "end\n", &ds));
	assert_int_equal(ds.n, 5);
	assert_diag(&ds, 0, 2, 10, "expected a duration greater than 0, got "
	    "\"0\"");
	assert_diag(&ds, 1, 3, 12, "expected a number of buckets from 1 to "
	    "16777216, got \"many\"");
	assert_diag(&ds, 2, 6, 20, "prefix length 33 is out of range for IPv4 "
	    "(0-32)");
	assert_diag(&ds, 3, 8, 22, "expected a unicast MAC address, got "
	    "multicast \"01:00:5e:90:10:ff\"");
	assert_diag(&ds, 4, 9, 2, "expected timeout, routes, static, rule, "
	    "sweep or end, got \"bogus\"");
}

/* Recovery: a syntax error in each line does not hide the others. */
static void
test_recovery(void **state)
{
	struct diags ds;

	(void)state;
	assert_null(parse(
	    "cache x\n"
	    " timeout\n"
	    " limit 1 2\n"
	    "end x\n"
	    "interface\n"
	    " rule 1\n"
	    " static\n"
	    " rule ::/0 ::/0 tell\n"
	    "end\n"
	    "\"x\" y\n"
	    "pidfile\n", &ds));
	assert_int_equal(ds.n, 9);
	assert_diag(&ds, 0, 1, 7, "syntax error, unexpected word, expecting "
	    "end of line");
	assert_diag(&ds, 1, 2, 9, "syntax error, unexpected end of line, "
	    "expecting word");
	assert_diag(&ds, 2, 3, 10, "syntax error, unexpected word, expecting "
	    "end of line");
	assert_diag(&ds, 3, 4, 5, "syntax error, unexpected word, expecting "
	    "end of line");
	assert_diag(&ds, 4, 5, 10, "syntax error, unexpected end of line, "
	    "expecting word or quoted string");
	assert_diag(&ds, 5, 6, 8, "syntax error, unexpected end of line, "
	    "expecting word");
	assert_diag(&ds, 6, 7, 8, "syntax error, unexpected end of line, "
	    "expecting word");
	assert_diag(&ds, 7, 10, 1, "expected cache, interface, pidfile, "
	    "dumpfile, control, statefile or user, got \"x\"");
	assert_diag(&ds, 8, 11, 8, "syntax error, unexpected end of line, "
	    "expecting word or quoted string");
}

static void
test_crlf(void **state)
{
	struct conf *c = parse_ok("cache\r\n timeout 60\r\nend\r\n\r\n"
	    "interface em0 # comment\r\n rule ::/0 ::/0 tell\r\nend\r\n");

	(void)state;
	assert_int_equal(c->cache.timeout_ms, 60000);
	assert_int_equal(c->ifaces[0].nrules, 1);
	assert_int_equal(c->ifaces[0].rules[0].line, 6);
	conf_free(c);
	assert_error("cache\r\n timeout 0\r\nend\r\n", 2, 10,
	    "expected a duration greater than 0, got \"0\"");
	assert_error("cache\n timeout 60\r\r\nend\n", 2, 12,
	    "expected a line end after a carriage return, got a lone "
	    "carriage return");
}

static void
test_no_break_space(void **state)
{
	struct conf *c = parse_ok("cache\n\xc2\xa0timeout\xc2\xa0 60\nend\n");

	(void)state;
	assert_int_equal(c->cache.timeout_ms, 60000);
	conf_free(c);
	assert_error("cache\n\xc2timeout 60\nend\n", 2, 1,
	    "expected text, got the incomplete UTF-8 sequence 0xc2");
	/* Other UTF-8 is part of a word. */
	assert_error("cache\n timeout 6\xc3\xa9\nend\n", 2, 10,
	    "expected a duration in seconds (e.g. 300 or 1.5), got "
	    "\"6\\xc3\\xa9\"");
}

static void
test_nul_and_control(void **state)
{
	static const char nul_kw[] = "cache\n time\0out 60\nend\n";
	static const char nul_comment[] = "# a \0 comment\ncache\nend\n";
	static const char nul_end[] = "cache\nend\n\0";
	struct diags ds;

	(void)state;
	assert_null(parse_len(nul_kw, sizeof(nul_kw) - 1, &ds));
	assert_int_equal(ds.n, 2);
	assert_diag(&ds, 0, 2, 2, "expected timeout, tablesize, limit, "
	    "refresh, delay or end, got \"time\"");
	assert_diag(&ds, 1, 2, 6, "expected text, got a NUL byte");
	assert_null(parse_len(nul_comment, sizeof(nul_comment) - 1, &ds));
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, 1, 5, "expected text, got a NUL byte");
	assert_null(parse_len(nul_end, sizeof(nul_end) - 1, &ds));
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, 3, 1, "expected text, got a NUL byte");
	/* A run of control characters is one error. */
	assert_error("cache\n\x01\x02\x1b\x7f\nend\n", 2, 1,
	    "expected text, got control character 0x01");
	assert_error("cache # \x1b[31m\nend\n", 1, 9,
	    "expected text, got control character 0x1b");
	/* A control character ends a quoted string. */
	assert_null(parse("pidfile \"/a\x01\"\n", &ds));
	assert_int_equal(ds.n, 4);
	assert_diag(&ds, 0, 1, 9, "expected a closing '\"' on the same line, "
	    "got the end of the quoted string");
	assert_diag(&ds, 1, 1, 12, "expected text, got control character "
	    "0x01");
	assert_diag(&ds, 2, 1, 13, "expected a closing '\"' on the same line, "
	    "got the end of the quoted string");
	assert_diag(&ds, 3, 1, 13, "syntax error, unexpected quoted string, "
	    "expecting end of line");
}

static void
test_unterminated_string(void **state)
{
	struct diags ds;

	(void)state;
	assert_null(parse("pidfile \"/var/run/x\ncache\nend\n", &ds));
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, 1, 9, "expected a closing '\"' on the same line, "
	    "got the end of the quoted string");
	/* Blanks and tabs are fine inside quotes. */
	conf_free(parse_ok("pidfile \"/a\tb c\"\n"));
}

static void
test_long_lines(void **state)
{
	size_t n = 200000, i;
	char *buf = malloc(n + 64);
	struct diags ds;
	struct conf *c;

	(void)state;
	assert_non_null(buf);
	/* A huge comment is nothing. */
	buf[0] = '#';
	memset(buf + 1, 'x', n);
	strcpy(buf + 1 + n, "\ncache\nend\n");
	c = parse_ok(buf);
	conf_free(c);
	/* Columns stay exact far to the right. */
	memset(buf, ' ', n);
	strcpy(buf + n, "timeout 0\n");
	assert_null(parse(buf, &ds));
	assert_int_equal(ds.n, 1);
	assert_diag(&ds, 0, 1, (unsigned)n + 1, "timeout is only allowed in a "
	    "cache or interface block");
	/* A huge word is quoted short in the message. */
	memset(buf, 'w', n);
	buf[n] = '\0';
	assert_null(parse(buf, &ds));
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].column, 1);
	assert_true(strlen(ds.d[0].msg) < 200);
	assert_non_null(strstr(ds.d[0].msg, "www...\""));
	/* Many rules on many lines. */
	free(buf);
	buf = malloc(5000 * 48 + 64);
	assert_non_null(buf);
	strcpy(buf, "interface em0\n");
	for (i = 0; i < 5000; i++)
		sprintf(buf + strlen(buf),
		    " rule 198.18.%zu.%zu/32 ::/0 tell\n", i / 250, i % 250);
	strcat(buf, "end\n");
	assert_null(parse(buf, &ds));
	assert_int_equal(ds.n, 5000); /* all mixed families, all reported */
	assert_diag(&ds, 0, 2, 21, "expected an IPv4 prefix like the "
	    "rule's source, got \"::/0\"");
	assert_diag(&ds, 63, 65, 22, "expected an IPv4 prefix like the "
	    "rule's source, got \"::/0\"");
	free(buf);
}

static void
test_deep_nesting(void **state)
{
	size_t n = 20000, i;
	char *buf = malloc(6 * n + 1);
	struct diags ds;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		memcpy(buf + 6 * i, "cache\n", 6);
	buf[6 * n] = '\0';
	/* Thousands of blocks without end: errors, no crash, and the parser
	 * gives up with a located message when its stack is exhausted. */
	assert_null(parse(buf, &ds));
	assert_true(ds.nerr > 1000);
	free(buf);
}

static void
test_many_parses(void **state)
{
	char buf[256], want[128];
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		struct diags ds;
		struct conf *c;

		snprintf(buf, sizeof(buf), "cache\n limit %d\nend\n"
		    "interface em%d\n rule 198.51.100.%d/32 0.0.0.0/0 tell\n"
		    "%s", i + 1, i, i % 256, i % 3 == 0 ? "" : "end\n");
		c = parse(buf, &ds);
		if (i % 3 == 0) {
			assert_null(c);
			assert_int_equal(ds.n, 1);
			snprintf(want, sizeof(want), "expected end of the "
			    "interface em%d block opened at line 4, got end "
			    "of file", i);
			assert_diag(&ds, 0, 6, 1, want);
		} else {
			assert_non_null(c);
			assert_int_equal(ds.n, 0);
			assert_int_equal(c->cache.limit, (unsigned)i + 1);
			snprintf(want, sizeof(want), "em%d", i);
			assert_string_equal(c->ifaces[0].name, want);
			snprintf(want, sizeof(want), "198.51.100.%d/32",
			    i % 256);
			assert_prefix(&c->ifaces[0].rules[0].src, want);
			conf_free(c);
		}
	}
}

static void
test_equal(void **state)
{
	static const char base[] =
	    "pidfile /p\ndumpfile /d\n"
	    "cache\n timeout 60\n tablesize 7\n limit 9\n refresh 2*2\n"
	    " delay 2*2\nend\n"
	    "interface em0\n timeout 2\n routes\n"
	    " static 198.51.100.7 00:00:5e:00:53:07\n"
	    " rule 198.51.100.0/24 198.51.100.0/24 verbose delay "
	    "198.51.100.1\n"
	    "end\n";
	static const struct {
		const char *from, *to;
	} changes[] = {
		{ "/p\n", "/q\n" }, { "/d\n", "/e\n" },
		{ "timeout 60", "timeout 61" },
		{ "tablesize 7", "tablesize 8" },
		{ "limit 9", "limit 8" }, { "refresh 2*2", "refresh 3*2" },
		{ "refresh 2*2", "refresh 2*3" }, { "delay 2*2", "delay 3*2" },
		{ "delay 2*2", "delay 2*3" }, { "em0", "em1" },
		{ "timeout 2\n", "timeout 3\n" }, { " routes\n", "" },
		{ " static 198.51.100.7 00:00:5e:00:53:07\n", "" },
		{ "198.51.100.7 00:", "198.51.100.8 00:" },
		{ "53:07", "53:08" }, { "verbose ", "" },
		{ "delay 198", "198" },
		{ "100.0/24 198", "100.0/25 198" },
		{ "198.51.100.0/24 198.51.100.0/24 verbose",
		  "198.51.100.0/24 198.51.100.0/25 verbose" },
		{ "198.51.100.1\n", "198.51.100.2\n" },
		{ "198.51.100.1\n", "tell\n" },
		{ "end\n", "end\ninterface em2\nend\n" },
		{ "verbose delay 198.51.100.1\n", "verbose delay 198.51.100.1\n"
		  " rule ::/0 ::/0 tell\n" },
	};
	struct conf *a = parse_ok(base), *b;
	size_t i;

	(void)state;
	/* Lines do not count: the same with blank lines in between. */
	{
		char *shifted = malloc(sizeof(base) + 16);

		assert_non_null(shifted);
		strcpy(shifted, "\n\n\n");
		strcat(shifted, base);
		b = parse_ok(shifted);
		assert_int_not_equal(a->ifaces[0].line, b->ifaces[0].line);
		assert_true(conf_equal(a, b));
		conf_free(b);
		free(shifted);
	}
	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		char text[1024];
		const char *at = strstr(base, changes[i].from);
		size_t pre;

		assert_non_null(at);
		pre = (size_t)(at - base);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)pre, base,
		    changes[i].to, at + strlen(changes[i].from));
		b = parse_ok(text);
		if (conf_equal(a, b))
			fprintf(stderr, "change %zu not seen\n", i);
		assert_false(conf_equal(a, b));
		assert_false(conf_equal(b, a));
		conf_free(b);
	}
	conf_free(a);
}

/* ---- files ---- */

static char *
read_all(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, len + n + 1);
		assert_non_null(buf);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = calloc(1, 1);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

static const char *
srcdir(void)
{
	const char *s = getenv("srcdir");

	return s != NULL ? s : ".";
}

static void
test_parse_file(void **state)
{
	char path[] = "/tmp/conf_test.XXXXXX";
	int fd = mkstemp(path);
	struct diags ds;
	struct conf *c;
	char want[256];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "cache\n limit 5\nend\n", 19), 19);
	close(fd);
	memset(&ds, 0, sizeof(ds));
	c = conf_parse_file(path, collect, &ds);
	assert_non_null(c);
	assert_int_equal(c->cache.limit, 5);
	conf_free(c);
	/* Diagnostics name the file. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "cache\n limit 0\nend\n", 19), 19);
	close(fd);
	memset(&ds, 0, sizeof(ds));
	assert_null(conf_parse_file(path, collect, &ds));
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.d[0].file, path);
	assert_int_equal(ds.d[0].line, 2);
	unlink(path);
	memset(&ds, 0, sizeof(ds));
	assert_null(conf_parse_file(path, collect, &ds));
	assert_int_equal(ds.n, 1);
	assert_int_equal(ds.d[0].line, 0);
	assert_int_equal(ds.d[0].column, 0);
	snprintf(want, sizeof(want), "cannot open %s: No such file or "
	    "directory", path);
	assert_string_equal(ds.d[0].msg, want);
	memset(&ds, 0, sizeof(ds));
	assert_null(conf_parse_file("/", collect, &ds));
	assert_int_equal(ds.n, 1);
	assert_string_equal(ds.d[0].msg, "cannot read /: Is a directory");
}

/* conf_diag_stderr, and conf_parse_file with no diag function, print
 * diagnostics to stderr. */
static void
test_stderr(void **state)
{
	char path[] = "/tmp/conf_test_err.XXXXXX";
	int fd = mkstemp(path), saved;
	struct conf *c;
	const char *input;
	char *text;

	(void)state;
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	input = "interface e\n rule 198.51.100.1/24 0.0.0.0/0 tell\nend\n";
	c = conf_parse_string("x.conf", input, strlen(input),
	    conf_diag_stderr, NULL);
	assert_non_null(c);
	conf_free(c);
	assert_null(conf_parse_string("x.conf", "cache 1\nend\n", 12,
	    conf_diag_stderr, NULL));
	assert_null(conf_parse_file("/nonexistent/x", NULL, NULL));
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	close(fd);
	text = read_all(path, NULL);
	unlink(path);
	assert_non_null(text);
	assert_string_equal(text,
	    "x.conf:2:7: warning: \"198.51.100.1/24\" has host bits set; "
	    "using 198.51.100.0/24\n"
	    "x.conf:1:7: syntax error, unexpected word, expecting end of "
	    "line\n"
	    "/nonexistent/x: cannot open /nonexistent/x: No such file or "
	    "directory\n");
	free(text);
}

/* Every golden file: its printout is the .out file and round-trips. */
static void
test_goldens(void **state)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data", srcdir());
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX + 512], outpath[PATH_MAX + 512];
		size_t len = strlen(e->d_name);
		char *want, *got;
		struct conf *c;

		if (len < 6 || strcmp(e->d_name + len - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(outpath, sizeof(outpath), "%s/%.*s.out", dir,
		    (int)len - 5, e->d_name);
		if ((want = read_all(outpath, NULL)) == NULL)
			continue;
		c = conf_parse_file(path, discard, NULL);
		assert_non_null(c);
		got = print_conf(c);
		assert_string_equal(got, want);
		assert_roundtrip(c);
		conf_free(c);
		free(got);
		free(want);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

/* ---- generated configurations ---- */

static uint32_t
rnd(uint64_t *s, uint32_t n)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(*s >> 33) % n;
}

static void
gen_blank(uint64_t *s, char *buf, size_t size)
{
	static const char *const blanks[] = { " ", "\t", "  ", " \t ",
		"\xc2\xa0" };
	size_t l = strlen(buf);

	snprintf(buf + l, size - l, "%s", blanks[rnd(s, 5)]);
}

static void
gen_duration(uint64_t *s, char *buf, size_t size, uint32_t max_ms)
{
	uint32_t ms = 1 + rnd(s, max_ms);
	size_t l = strlen(buf);

	if (ms % 1000 == 0 || rnd(s, 2) == 0)
		ms = ms / 1000 * 1000 + (ms < 1000 ? 1000 : 0);
	snprintf(buf + l, size - l, "%u.%03u", ms / 1000, ms % 1000);
}

static void
gen_v4(uint64_t *s, char *buf, size_t size, bool prefix)
{
	static const char *const nets[] = { "192.0.2", "198.51.100",
		"203.0.113", "198.18.7" };
	size_t l = strlen(buf);
	unsigned len = rnd(s, 33);

	if (!prefix)
		snprintf(buf + l, size - l, "%s.%u", nets[rnd(s, 4)],
		    1 + rnd(s, 254));
	else if (rnd(s, 4) == 0)
		snprintf(buf + l, size - l, "0.0.0.0/0");
	else
		snprintf(buf + l, size - l, "%s.%u/%u", nets[rnd(s, 4)],
		    len >= 24 ? rnd(s, 256) & (0xffu << (32 - len)) : 0,
		    len < 24 ? 24 : len);
}

static void
gen_v6(uint64_t *s, char *buf, size_t size, bool prefix)
{
	size_t l = strlen(buf);

	if (!prefix)
		snprintf(buf + l, size - l, "2001:db8:%x::%x", rnd(s, 0xffff),
		    1 + rnd(s, 0xfffe));
	else if (rnd(s, 4) == 0)
		snprintf(buf + l, size - l, "::/0");
	else
		snprintf(buf + l, size - l, "2001:db8:%x::/%u", rnd(s, 0xffff),
		    48 + 16 * rnd(s, 2));
}

static void
gen_config(uint64_t *s, char *buf, size_t size)
{
	unsigned nif = rnd(s, 4), i, j, nstat = 0;
	size_t l;

	buf[0] = '\0';
#define ADD(...) do { l = strlen(buf); \
	snprintf(buf + l, size - l, __VA_ARGS__); } while (0)
	if (rnd(s, 2))
		ADD("pidfile /run/p%u.pid\n", rnd(s, 100));
	if (rnd(s, 2))
		ADD("dumpfile \"/tmp/d %u\"\n", rnd(s, 100));
	if (rnd(s, 2)) {
		ADD("cache # block\n");
		if (rnd(s, 2)) {
			ADD(" timeout");
			gen_blank(s, buf, size);
			ADD("%u\n", 1000 + rnd(s, 10000));
		}
		if (rnd(s, 2))
			ADD("\ttablesize %u\n", 1 + rnd(s, 16777216));
		if (rnd(s, 2))
			ADD("\tlimit %u\n", 1 + rnd(s, 16777216));
		if (rnd(s, 2)) {
			ADD("\trefresh %u*", 1 + rnd(s, 3));
			gen_duration(s, buf, size, 90000);
			ADD("\n");
		}
		if (rnd(s, 2)) {
			ADD("\tdelay %u*", 1 + rnd(s, 1000));
			gen_duration(s, buf, size, 2592000);
			ADD("\n");
		}
		ADD("end\n");
	}
	for (i = 0; i < nif; i++) {
		ADD("\ninterface eth%u\n", i);
		if (rnd(s, 2)) {
			ADD(" timeout ");
			gen_duration(s, buf, size, 100000);
			ADD("\n");
		}
		/* routes with nothing learnable is warned about. */
		if (rnd(s, 3) == 0)
			ADD(" routes\n rule 0.0.0.0/0 192.0.2.0/24 tell\n");
		for (j = rnd(s, 3); j > 0; j--) {
			ADD(" static ");
			if (rnd(s, 2))
				ADD("192.0.2.%u", ++nstat);
			else
				ADD("2001:db8::%x", ++nstat);
			ADD(" 02:00:00:00:%02x:%02x\n", rnd(s, 256),
			    rnd(s, 256));
		}
		for (j = rnd(s, 6); j > 0; j--) {
			bool v6 = rnd(s, 2);
			unsigned act = rnd(s, 3), fl = rnd(s, 4);

			ADD(" rule");
			gen_blank(s, buf, size);
			(v6 ? gen_v6 : gen_v4)(s, buf, size, true);
			gen_blank(s, buf, size);
			(v6 ? gen_v6 : gen_v4)(s, buf, size, rnd(s, 4) != 0);
			if (fl == 1)
				ADD(" verbose");
			else if (fl == 2)
				ADD(" delay");
			else if (fl == 3)
				ADD(rnd(s, 2) ? " delay verbose" :
				    " verbose delay");
			if (act == 0)
				ADD(" ignore");
			else if (act == 1)
				ADD(" tell");
			else {
				ADD(" ");
				(v6 ? gen_v6 : gen_v4)(s, buf, size, false);
			}
			ADD(rnd(s, 2) ? "\n" : " # comment\n");
		}
		ADD("end\n");
	}
#undef ADD
}

static void
test_generated_roundtrips(void **state)
{
	uint64_t seed = 42;
	char buf[8192];
	int i;

	(void)state;
	for (i = 0; i < 500; i++) {
		struct diags ds;
		struct conf *c;

		gen_config(&seed, buf, sizeof(buf));
		c = parse(buf, &ds);
		if (c == NULL || ds.nerr != 0) {
			fprintf(stderr, "config %d:\n%s\n%u:%u: %s\n", i, buf,
			    ds.d[0].line, ds.d[0].column, ds.d[0].msg);
			fail();
		}
		assert_roundtrip(c);
		conf_free(c);
	}
}

/* Throw mutations of a valid configuration at the parser: never a crash,
 * and whatever parses round-trips. */
static void
test_mutations(void **state)
{
	static const char seedtext[] =
	    "pidfile \"/run/parpd pid\"\ncache\n timeout 302\n refresh 3*5\n"
	    "end\ninterface em0\n timeout 1.011\n routes\n"
	    " static 198.51.100.2 00:00:5e:00:53:02\n"
	    " rule 198.51.100.0/24 0.0.0.0/0 verbose 198.51.100.1\n"
	    " rule ::/0 2001:db8::/32 delay tell # x\nend\n";
	static const char bytes[] = " \t\n\r#\"*./:0123456789abcdef\0\xc2\xa0"
	    "xyz";
	uint64_t s = 7;
	char buf[sizeof(seedtext) + 16];
	int i, parsed = 0;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t len = sizeof(seedtext) - 1, k, m = 1 + rnd(&s, 4);
		struct conf *c;

		memcpy(buf, seedtext, len);
		for (k = 0; k < m; k++) {
			size_t at = rnd(&s, (uint32_t)len);

			switch (rnd(&s, 3)) {
			case 0: /* replace */
				buf[at] = bytes[rnd(&s, sizeof(bytes) - 1)];
				break;
			case 1: /* delete */
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
				break;
			default: /* insert */
				if (len + 1 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at,
					    len - at);
					buf[at] = bytes[rnd(&s,
					    sizeof(bytes) - 1)];
					len++;
				}
				break;
			}
		}
		c = conf_parse_string("m.conf", buf, len, discard, NULL);
		if (c != NULL) {
			parsed++;
			assert_roundtrip(c);
			conf_free(c);
		}
	}
	assert_true(parsed > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_comments_blank_lines),
		cmocka_unit_test(test_cache_keywords),
		cmocka_unit_test(test_top_keywords),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_iface_keywords),
		cmocka_unit_test(test_original_example),
		cmocka_unit_test(test_rule_forms),
		cmocka_unit_test(test_canonical_print),
		cmocka_unit_test(test_print_quoting),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_table_numbers),
		cmocka_unit_test(test_count_times),
		cmocka_unit_test(test_refresh_within_timeout),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_host_bits_warning),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_rule_actions),
		cmocka_unit_test(test_statics),
		cmocka_unit_test(test_iface_names),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_misplaced),
		cmocka_unit_test(test_unknown_keywords),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_missing_end),
		cmocka_unit_test(test_five_errors),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_no_break_space),
		cmocka_unit_test(test_nul_and_control),
		cmocka_unit_test(test_unterminated_string),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_parses),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_parse_file),
		cmocka_unit_test(test_stderr),
		cmocka_unit_test(test_goldens),
		cmocka_unit_test(test_generated_roundtrips),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
