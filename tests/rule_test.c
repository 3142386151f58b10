/* Rule matcher: first match in file order, families, index vs scan. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"

#define MAXRULES 4096

struct fixture {
	struct conf_iface ci;
	struct conf_rule rules[MAXRULES];
	struct rule_table t;
};

static struct addr_ip
ip(const char *s)
{
	struct addr_ip a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(addr_ip_parse(s, &a), 0);
	return a;
}

static struct addr_prefix
pfx(const char *s)
{
	struct addr_prefix p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(addr_prefix_parse(s, &p), 0);
	addr_prefix_normalise(&p);
	return p;
}

/* action: "ignore", "tell" or a router address; flags CONF_RULE_*. */
static void
add(struct fixture *f, const char *src, const char *dst, unsigned flags,
    const char *action)
{
	struct conf_rule *r = &f->rules[f->ci.nrules];

	memset(r, 0, sizeof(*r));
	r->src = pfx(src);
	r->dst = pfx(dst);
	r->flags = flags;
	if (strcmp(action, "ignore") == 0)
		r->action = CONF_ACTION_IGNORE;
	else if (strcmp(action, "tell") == 0)
		r->action = CONF_ACTION_TELL;
	else {
		r->action = CONF_ACTION_REDIRECT;
		r->router = ip(action);
	}
	r->line = (unsigned)f->ci.nrules + 10;
	f->ci.nrules++;
}

static void
compile(struct fixture *f)
{
	rule_table_free(&f->t);
	assert_int_equal(rule_table_compile(&f->t, &f->ci), 0);
}

static const struct rule *
match(struct fixture *f, const char *src, const char *dst)
{
	struct addr_ip s = ip(src), d = ip(dst);
	const struct rule *r = rule_match(&f->t, &s, &d);

	assert_ptr_equal(r, rule_match_linear(&f->t, &s, &d));
	return r;
}

static unsigned
line_of(struct fixture *f, const char *src, const char *dst)
{
	const struct rule *r = match(f, src, dst);

	return r == NULL ? 0 : r->line;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->ci.name, "em0");
	f->ci.rules = f->rules;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	rule_table_free(&f->t);
	free(f);
	return 0;
}

/* The example of the original parpd, rule by rule (lines 10..16). */
static void
test_original_example(void **state)
{
	struct fixture *f = *state;
	const struct rule *r;

	add(f, "0.0.0.0/0", "198.51.100.0/29", 0, "ignore");
	add(f, "198.51.100.4/32", "198.51.100.0/24", CONF_RULE_DELAY, "tell");
	add(f, "198.51.100.0/29", "198.51.100.0/24", 0, "tell");
	add(f, "198.51.100.0/24", "198.51.100.0/24", 0, "198.51.100.1");
	add(f, "198.51.100.0/24", "0.0.0.0/0", CONF_RULE_VERBOSE,
	    "198.51.100.1");
	add(f, "192.0.2.0/24", "198.51.100.0/24", 0, "tell");
	add(f, "0.0.0.0/0", "0.0.0.0/0", CONF_RULE_VERBOSE, "ignore");
	compile(f);

	r = match(f, "198.51.100.77", "198.51.100.3");
	assert_int_equal(r->line, 10);
	assert_int_equal(r->action, CONF_ACTION_IGNORE);
	r = match(f, "198.51.100.4", "198.51.100.9");
	assert_int_equal(r->line, 11);
	assert_int_equal(r->flags, CONF_RULE_DELAY);
	assert_int_equal(r->action, CONF_ACTION_TELL);
	assert_int_equal(line_of(f, "198.51.100.5", "198.51.100.9"), 12);
	r = match(f, "198.51.100.50", "198.51.100.9");
	assert_int_equal(r->line, 13);
	assert_int_equal(r->action, CONF_ACTION_REDIRECT);
	assert_true(addr_ip_equal(rule_router(&f->t, r),
	    &f->rules[3].router));
	r = match(f, "198.51.100.50", "203.0.113.9");
	assert_int_equal(r->line, 14);
	assert_int_equal(r->flags, CONF_RULE_VERBOSE);
	assert_int_equal(line_of(f, "192.0.2.1", "198.51.100.200"), 15);
	assert_int_equal(line_of(f, "192.0.2.1", "203.0.113.1"), 16);
	/* A probe's requester is 0.0.0.0. */
	assert_int_equal(line_of(f, "0.0.0.0", "198.51.100.200"), 16);
	assert_int_equal(line_of(f, "0.0.0.0", "198.51.100.2"), 10);
	/* One router shared by two rules. */
	assert_int_equal(f->t.nrouters, 1);
	{
		struct addr_ip want = ip("198.51.100.1");

		assert_true(addr_ip_equal(&f->t.routers[0], &want));
		r = match(f, "198.51.100.50", "203.0.113.9");
		assert_true(addr_ip_equal(rule_router(&f->t, r), &want));
		r = match(f, "192.0.2.1", "203.0.113.1");
		assert_null(rule_router(&f->t, r));
	}
	/* IPv4 rules never match IPv6. */
	assert_null(match(f, "2001:db8::1", "2001:db8::2"));
}

static void
test_no_match_and_empty(void **state)
{
	struct fixture *f = *state;
	struct addr_ip a = ip("192.0.2.1"), b = ip("2001:db8::1");

	compile(f);
	assert_null(match(f, "192.0.2.1", "192.0.2.2"));
	add(f, "192.0.2.0/25", "192.0.2.0/25", 0, "tell");
	compile(f);
	assert_null(match(f, "192.0.2.1", "192.0.2.200"));
	assert_null(match(f, "192.0.2.129", "192.0.2.2"));
	assert_int_equal(line_of(f, "192.0.2.127", "192.0.2.0"), 10);
	/* Mixed families in one query match nothing. */
	assert_null(rule_match(&f->t, &a, &b));
	assert_null(rule_match_linear(&f->t, &a, &b));
}

static void
test_ipv6_rules(void **state)
{
	struct fixture *f = *state;
	const struct rule *r;

	add(f, "2001:db8:1::/64", "2001:db8:1::/64", 0, "2001:db8:1::1");
	add(f, "2001:db8:1::5/128", "2001:db8::/32", 0, "tell");
	add(f, "2001:db8:1::/65", "2001:db8:2::/63", 0, "ignore");
	add(f, "::/0", "::/0", CONF_RULE_VERBOSE, "ignore");
	add(f, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	compile(f);
	r = match(f, "2001:db8:1::5", "2001:db8:1::9");
	assert_int_equal(r->line, 10);
	assert_int_equal(r->action, CONF_ACTION_REDIRECT);
	{
		struct addr_ip want = ip("2001:db8:1::1");

		assert_true(addr_ip_equal(rule_router(&f->t, r), &want));
	}
	assert_int_equal(line_of(f, "2001:db8:1::5", "2001:db8:7::9"), 11);
	assert_int_equal(line_of(f, "2001:db8:1::6", "2001:db8:2:1::9"), 12);
	assert_int_equal(line_of(f, "2001:db8:1:0:8000::6",
	    "2001:db8:2:1::9"), 13);
	assert_int_equal(line_of(f, "2001:db8:1::6", "2001:db8:2:2::9"), 13);
	/* DAD probes come from ::. */
	assert_int_equal(line_of(f, "::", "2001:db8:1::9"), 13);
	/* ::/0 does not match IPv4, 0.0.0.0/0 does not match IPv6. */
	assert_int_equal(line_of(f, "192.0.2.1", "192.0.2.2"), 14);
	assert_null(rule_router(&f->t, match(f, "192.0.2.1", "192.0.2.2")));
}

static void
test_mixed_family_rule_skipped(void **state)
{
	struct fixture *f = *state;

	add(f, "192.0.2.0/24", "2001:db8::/32", 0, "tell");
	add(f, "192.0.2.0/24", "192.0.2.0/24", 0, "tell");
	/* A redirect rule whose router is of the other family. */
	add(f, "198.51.100.0/24", "198.51.100.0/24", 0, "2001:db8::1");
	/* A length past the family, and no family at all. */
	add(f, "192.0.2.0/24", "192.0.2.0/24", 0, "tell");
	f->rules[f->ci.nrules - 1].src.len = 33;
	add(f, "192.0.2.0/24", "192.0.2.0/24", 0, "tell");
	f->rules[f->ci.nrules - 1].src.ip.family = 0;
	compile(f);
	assert_int_equal(f->t.v4.n, 1);
	assert_int_equal(f->t.v6.n, 0);
	assert_int_equal(f->t.nrouters, 0);
	assert_int_equal(line_of(f, "192.0.2.1", "192.0.2.2"), 11);
	assert_null(match(f, "198.51.100.1", "198.51.100.2"));
}

static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)*s;
}

static void
random_v4(struct fixture *f, uint64_t *seed, unsigned nrules,
    const unsigned *lens, unsigned nlens)
{
	unsigned i;

	for (i = 0; i < nrules; i++) {
		char s[32], d[32];
		/* Inside 198.18.0.0/15. */
		uint32_t a = 0xc6120000u | (rnd(seed) & 0x1ffff);
		uint32_t b = 0xc6120000u | (rnd(seed) & 0x1ffff);
		static const char *acts[] = { "ignore", "tell", "198.18.0.1",
			"198.18.0.2" };

		snprintf(s, sizeof(s), "%u.%u.%u.%u/%u", a >> 24,
		    (a >> 16) & 255, (a >> 8) & 255, a & 255,
		    lens[rnd(seed) % nlens]);
		snprintf(d, sizeof(d), "%u.%u.%u.%u/%u", b >> 24,
		    (b >> 16) & 255, (b >> 8) & 255, b & 255,
		    lens[rnd(seed) % nlens]);
		add(f, s, d, rnd(seed) & 3, acts[rnd(seed) % 4]);
	}
}

static void
probe_v4(struct fixture *f, uint64_t *seed, unsigned n)
{
	unsigned i, hits = 0;

	for (i = 0; i < n; i++) {
		struct addr_ip s, d;
		uint32_t a = 0xc6120000u | (rnd(seed) & 0x1ffff);
		uint32_t b = 0xc6120000u | (rnd(seed) & 0x1ffff);
		uint8_t ab[4] = { a >> 24, a >> 16, a >> 8, a };
		uint8_t bb[4] = { b >> 24, b >> 16, b >> 8, b };
		const struct rule *r;

		addr_ip_set4(&s, ab);
		addr_ip_set4(&d, bb);
		r = rule_match(&f->t, &s, &d);
		assert_ptr_equal(r, rule_match_linear(&f->t, &s, &d));
		hits += r != NULL;
	}
	/* The sample must exercise both outcomes. */
	assert_true(hits > 0);
	assert_true(hits < n);
}

/* 1,000 rules in few groups: the index is used and agrees with a scan. */
static void
test_index_agrees_few_groups(void **state)
{
	struct fixture *f = *state;
	static const unsigned lens[] = { 18, 20, 24, 28, 30, 32 };
	uint64_t seed = 42;

	random_v4(f, &seed, 1000, lens, 6);
	compile(f);
	assert_non_null(f->t.v4.groups);
	assert_true(f->t.v4.ngroups <= 36);
	probe_v4(f, &seed, 200000);
}

/* Many distinct length pairs: the scan is used; results still agree. */
static void
test_index_agrees_many_groups(void **state)
{
	struct fixture *f = *state;
	static const unsigned lens[] = { 17, 18, 19, 20, 21, 22, 23, 24,
		25, 26, 27, 28, 29, 30, 31, 32 };
	uint64_t seed = 7;

	random_v4(f, &seed, 200, lens, 16);
	compile(f);
	assert_null(f->t.v4.groups);
	probe_v4(f, &seed, 20000);
}

/* Duplicated prefixes: the earlier rule shadows the later one. */
static void
test_index_shadowing(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	for (i = 0; i < 40; i++)
		add(f, "198.51.100.0/24", "203.0.113.0/24", 0,
		    i % 2 ? "tell" : "ignore");
	add(f, "198.51.100.0/24", "203.0.113.0/25", 0, "tell");
	add(f, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	for (i = 0; i < 40; i++)
		add(f, "198.51.100.0/25", "203.0.113.0/24", 0, "tell");
	compile(f);
	assert_non_null(f->t.v4.groups);
	assert_int_equal(line_of(f, "198.51.100.1", "203.0.113.1"), 10);
	assert_int_equal(line_of(f, "192.0.2.1", "203.0.113.1"), 51);
	/* Early exit must not skip a later group holding an earlier rule. */
	assert_int_equal(line_of(f, "198.51.100.200", "203.0.113.200"), 10);
}

/* IPv6 index: lengths around the 64-bit word boundary. */
static void
test_index_ipv6(void **state)
{
	struct fixture *f = *state;
	static const unsigned lens[] = { 0, 48, 63, 64, 65, 128 };
	uint64_t seed = 99;
	unsigned i;

	for (i = 0; i < 600; i++) {
		char s[64], d[64];

		snprintf(s, sizeof(s), "2001:db8:%x:%x:%x::/%u",
		    rnd(&seed) & 3, rnd(&seed) & 3,
		    (rnd(&seed) & 1) << 15, lens[rnd(&seed) % 6]);
		snprintf(d, sizeof(d), "2001:db8:%x:%x:%x::%x/%u",
		    rnd(&seed) & 3, rnd(&seed) & 3,
		    (rnd(&seed) & 1) << 15, rnd(&seed) & 1,
		    lens[1 + rnd(&seed) % 5]);
		add(f, s, d, 0, i % 3 ? "tell" : "2001:db8::1");
	}
	compile(f);
	assert_non_null(f->t.v6.groups);
	for (i = 0; i < 50000; i++) {
		char s[64], d[64];

		snprintf(s, sizeof(s), "2001:db8:%x:%x:%x::",
		    rnd(&seed) & 3, rnd(&seed) & 3,
		    (rnd(&seed) & 1) << 15);
		snprintf(d, sizeof(d), "2001:db8:%x:%x:%x::%x",
		    rnd(&seed) & 3, rnd(&seed) & 3,
		    (rnd(&seed) & 1) << 15, rnd(&seed) & 1);
		(void)match(f, s, d);
	}
	assert_int_equal(f->t.nrouters, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_original_example, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_match_and_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mixed_family_rule_skipped,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_agrees_few_groups,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_agrees_many_groups,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_shadowing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_index_ipv6, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
