/* Rule matcher: first match in file order, families, index vs scan. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule.h"
#include "testutil.h"

#define MAXRULES 5000

struct fixture {
	struct conf_iface ci;
	struct conf_rule rules[MAXRULES];
	struct rule_table t;
};

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

/*
 * The rules added so far as parpd.conf text, eight comment lines first
 * so that rule i is on line 10 + i, the line add() records.
 */
static char *
rules_text(const struct fixture *f, size_t *len)
{
	char a[ADDR_PREFIX_STRLEN], b[ADDR_PREFIX_STRLEN], rt[ADDR_IP_STRLEN];
	char *text = NULL;
	FILE *m = open_memstream(&text, len);
	size_t i;

	assert_non_null(m);
	for (i = 1; i <= 8; i++)
		fprintf(m, "# rule_test: header line %zu, rules from line 10\n",
		    i);
	fprintf(m, "interface %s\n", f->ci.name);
	for (i = 0; i < f->ci.nrules; i++) {
		const struct conf_rule *r = &f->rules[i];

		fprintf(m, "\trule %s %s%s%s %s\n",
		    addr_prefix_format(&r->src, a, sizeof(a)),
		    addr_prefix_format(&r->dst, b, sizeof(b)),
		    (r->flags & CONF_RULE_DELAY) ? " delay" : "",
		    (r->flags & CONF_RULE_VERBOSE) ? " verbose" : "",
		    r->action == CONF_ACTION_IGNORE ? "ignore" :
		    r->action == CONF_ACTION_TELL ? "tell" :
		    addr_ip_format(&r->router, rt, sizeof(rt)));
	}
	fprintf(m, "end\n");
	assert_int_equal(fclose(m), 0);
	return text;
}

static void
rules_diag(void *arg, const struct conf_diag *d)
{
	(void)arg;
	if (!d->warning)
		print_error("rules:%u:%u: %s\n", d->line, d->column,
		    d->message);
}

/* The parsed rule is the one the test added, on the line it expects. */
static void
same_rule(const struct conf_rule *got, const struct conf_rule *want)
{
	assert_int_equal(got->src.len, want->src.len);
	assert_true(addr_ip_equal(&got->src.ip, &want->src.ip));
	assert_int_equal(got->dst.len, want->dst.len);
	assert_true(addr_ip_equal(&got->dst.ip, &want->dst.ip));
	assert_int_equal(got->flags, want->flags);
	assert_int_equal(got->action, want->action);
	if (want->action == CONF_ACTION_REDIRECT)
		assert_true(addr_ip_equal(&got->router, &want->router));
	assert_int_equal(got->line, want->line);
}

/* Written as text, parsed as parpd parses its file, then compiled. */
static void
compile(struct fixture *f)
{
	struct conf *c;
	size_t len, i;
	char *text = rules_text(f, &len);

	c = conf_parse_string("rules", text, len, rules_diag, NULL);
	if (c == NULL)
		fail_msg("the rules do not parse:\n%s", text);
	free(text);
	assert_int_equal(c->nifaces, 1);
	assert_int_equal(c->ifaces[0].nrules, f->ci.nrules);
	for (i = 0; i < f->ci.nrules; i++)
		same_rule(&c->ifaces[0].rules[i], &f->rules[i]);
	rule_table_free(&f->t);
	assert_int_equal(rule_table_compile(&f->t, &c->ifaces[0]), 0);
	conf_free(c);
}

/*
 * Compiled from the structures as they are: for rules that no text can
 * say (a prefix length past its family, no family), which the table
 * must skip if a caller ever hands them over.
 */
static void
compile_raw(struct fixture *f)
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
	compile_raw(f);
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
	assert_non_null(f->t.v4.chunks);
	assert_int_equal(f->t.v4.nchunks, 1);
	probe_v4(f, &seed, 200000);
}

/* Many distinct length pairs: the same index; results still agree. */
static void
test_index_agrees_many_groups(void **state)
{
	struct fixture *f = *state;
	static const unsigned lens[] = { 17, 18, 19, 20, 21, 22, 23, 24,
		25, 26, 27, 28, 29, 30, 31, 32 };
	uint64_t seed = 7;

	random_v4(f, &seed, 200, lens, 16);
	compile(f);
	assert_non_null(f->t.v4.chunks);
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
	assert_non_null(f->t.v4.chunks);
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
	assert_non_null(f->t.v6.chunks);
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

/* ---- randomised equivalence of the index and the scan ---- */

/* An address as a number of its family's width (IPv4 in lo alone). */
struct num {
	uint64_t hi;
	uint64_t lo;
};

static uint64_t
rnd64(uint64_t *s)
{
	uint64_t hi = rnd(s);

	return hi << 32 | rnd(s);
}

static struct addr_ip
ip_of(uint8_t family, struct num n)
{
	struct addr_ip a;
	unsigned i;

	memset(&a, 0, sizeof(a));
	a.family = family;
	if (family == ADDR_V4) {
		for (i = 0; i < 4; i++)
			a.b[i] = (uint8_t)(n.lo >> (24 - 8 * i));
		return a;
	}
	for (i = 0; i < 8; i++) {
		a.b[i] = (uint8_t)(n.hi >> (56 - 8 * i));
		a.b[8 + i] = (uint8_t)(n.lo >> (56 - 8 * i));
	}
	return a;
}

static struct num
num_of(const struct addr_ip *a)
{
	struct num n = { 0, 0 };
	unsigned i;

	if (a->family == ADDR_V4) {
		for (i = 0; i < 4; i++)
			n.lo = n.lo << 8 | a->b[i];
		return n;
	}
	for (i = 0; i < 8; i++) {
		n.hi = n.hi << 8 | a->b[i];
		n.lo = n.lo << 8 | a->b[8 + i];
	}
	return n;
}

/* The host bits of a prefix of length len. */
static struct num
num_hostmask(uint8_t family, unsigned len)
{
	struct num m = { 0, 0 };

	if (family == ADDR_V4) {
		m.lo = len >= 32 ? 0 : (uint64_t)UINT32_MAX >> len;
		return m;
	}
	m.hi = len >= 64 ? 0 : UINT64_MAX >> len;
	m.lo = len >= 128 ? 0 : len <= 64 ? UINT64_MAX : UINT64_MAX >>
	    (len - 64);
	return m;
}

/* n + d (d is 1 or -1), wrapping in the family's width. */
static struct num
num_step(uint8_t family, struct num n, int d)
{
	if (family == ADDR_V4) {
		n.lo = (n.lo + (uint64_t)(int64_t)d) & UINT32_MAX;
		return n;
	}
	if (d > 0) {
		if (++n.lo == 0)
			n.hi++;
	} else if (n.lo-- == 0)
		n.hi--;
	return n;
}

static struct num
num_max(uint8_t family)
{
	struct num m = { UINT64_MAX, UINT64_MAX };

	if (family == ADDR_V4) {
		m.hi = 0;
		m.lo = UINT32_MAX;
	}
	return m;
}

/* Clustered random addresses: anchors flipped in their low bits. */
struct gen {
	uint8_t family;
	unsigned bits;
	struct num anchor[8];
	uint64_t seed;
	unsigned minlen;	/* shortest prefix made */
};

static void
gen_init(struct gen *g, uint8_t family, uint64_t seed)
{
	unsigned i;

	g->family = family;
	g->bits = family == ADDR_V4 ? 32 : 128;
	g->seed = seed;
	g->minlen = 0;
	for (i = 0; i < 8; i++) {
		g->anchor[i].hi = family == ADDR_V4 ? 0 : rnd64(&g->seed);
		g->anchor[i].lo = rnd64(&g->seed);
		if (family == ADDR_V4)
			g->anchor[i].lo &= UINT32_MAX;
	}
	/* The ends of the space, and (IPv6) 2001:db8::/32. */
	g->anchor[0].hi = g->anchor[0].lo = 0;
	g->anchor[1] = num_max(family);
	if (family == ADDR_V6)
		g->anchor[2].hi = 0x20010db800000000ULL |
		    (g->anchor[2].hi & 0xffffffffULL);
}

static struct num
gen_addr(struct gen *g)
{
	struct num a = g->anchor[rnd(&g->seed) % 8];
	struct num m = num_hostmask(g->family,
	    g->bits - rnd(&g->seed) % (g->bits + 1));
	struct num r = { rnd64(&g->seed), rnd64(&g->seed) };

	a.hi ^= r.hi & m.hi;
	a.lo ^= r.lo & m.lo;
	return a;
}

static unsigned
gen_len(struct gen *g)
{
	if (g->minlen > 0)
		return g->minlen + rnd(&g->seed) % (g->bits - g->minlen + 1);
	switch (rnd(&g->seed) % 8) {
	case 0:
		return 0;
	case 1:
		return g->bits;
	case 2:
		/* Around the 64-bit word boundary of IPv6. */
		return g->family == ADDR_V4 ? 31 : 63 + rnd(&g->seed) % 3;
	default:
		return rnd(&g->seed) % (g->bits + 1);
	}
}

static void
gen_prefix(struct gen *g, struct addr_prefix *p)
{
	p->ip = ip_of(g->family, gen_addr(g));
	p->len = (uint8_t)gen_len(g);
	addr_prefix_normalise(p);
}

static void
gen_rules(struct fixture *f, struct gen *g, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct conf_rule *r = &f->rules[f->ci.nrules];

		memset(r, 0, sizeof(*r));
		gen_prefix(g, &r->src);
		gen_prefix(g, &r->dst);
		r->action = rnd(&g->seed) % 2 ? CONF_ACTION_TELL :
		    CONF_ACTION_IGNORE;
		r->line = f->ci.nrules + 10;
		f->ci.nrules++;
	}
}

struct tally {
	unsigned hits;
	unsigned misses;
	unsigned deep;	/* hits past the first chunk */
};

static void
check_num(struct fixture *f, uint8_t family, struct num s, struct num d,
    struct tally *t)
{
	struct addr_ip a = ip_of(family, s), b = ip_of(family, d);
	const struct rule *r = rule_match(&f->t, &a, &b);

	assert_ptr_equal(r, rule_match_linear(&f->t, &a, &b));
	if (r != NULL)
		t->hits++;
	else
		t->misses++;
	if (r != NULL && r - (family == ADDR_V4 ? f->t.v4.v : f->t.v6.v) >=
	    2048)
		t->deep++;
}

/* First address - 1, first, last, last + 1 of prefix p. */
static void
bounds_of(const struct addr_prefix *p, struct num out[4])
{
	struct num m = num_hostmask(p->ip.family, p->len);
	struct num first = num_of(&p->ip), last = first;

	last.hi |= m.hi;
	last.lo |= m.lo;
	out[0] = num_step(p->ip.family, first, -1);
	out[1] = first;
	out[2] = last;
	out[3] = num_step(p->ip.family, last, 1);
}

/*
 * Random pairs, then every rule's bounds against its own and another
 * rule's (at most maxb rules), then the ends of the address space.
 */
static void
probe_family(struct fixture *f, struct gen *g, unsigned nrandom,
    unsigned maxb, struct tally *t)
{
	struct num ends[4] = { { 0, 0 }, { 0, 1 }, num_max(g->family),
		num_step(g->family, num_max(g->family), -1) };
	unsigned i, j, k, n = 0;

	for (i = 0; i < nrandom; i++)
		check_num(f, g->family, gen_addr(g), gen_addr(g), t);
	for (i = 0; i < f->ci.nrules && n < maxb; i++) {
		const struct conf_rule *r = &f->rules[i];
		const struct conf_rule *o;
		struct num sb[4], db[4], ob[4];

		if (r->src.ip.family != g->family)
			continue;
		n++;
		o = &f->rules[rnd(&g->seed) % f->ci.nrules];
		bounds_of(&r->src, sb);
		bounds_of(&r->dst, db);
		bounds_of(&o->dst, ob);
		for (j = 0; j < 4; j++)
			for (k = 0; k < 4; k++) {
				check_num(f, g->family, sb[j], db[k], t);
				if (o->dst.ip.family == g->family)
					check_num(f, g->family, sb[j], ob[k],
					    t);
			}
		for (j = 0; j < 4; j++) {
			check_num(f, g->family, sb[j], ends[j], t);
			check_num(f, g->family, ends[j], db[j], t);
		}
	}
	for (j = 0; j < 4; j++)
		for (k = 0; k < 4; k++)
			check_num(f, g->family, ends[j], ends[k], t);
}

/* Sizes around the scan threshold and up to 1,000 rules, both families. */
static void
test_equivalence_random(void **state)
{
	struct fixture *f = *state;
	static const unsigned sizes[] = { 1, 2, 3, 5, 8, 9, 10, 11, 16, 31,
		64, 65, 130, 500, 1000 };
	static const uint8_t fams[] = { ADDR_V4, ADDR_V6 };
	struct tally t = { 0, 0, 0 };
	unsigned i, k, round;

	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			for (round = 0; round < 3; round++) {
				struct gen g;

				gen_init(&g, fams[k], 1000 * i + 10 * round +
				    k + 1);
				f->ci.nrules = 0;
				gen_rules(f, &g, sizes[i]);
				compile(f);
				/* Scanned below 10 rules, else indexed. */
				assert_true((sizes[i] >= 10) == ((k == 0 ?
				    f->t.v4.chunks : f->t.v6.chunks) != NULL));
				probe_family(f, &g, 3000, 1000, &t);
			}
	print_message("hits %u misses %u\n", t.hits, t.misses);
	/* Both outcomes occur, often. */
	assert_true(t.hits > 10000);
	assert_true(t.misses > 10000);
}

/* Several chunks, both families interleaved in one table. */
static void
test_equivalence_chunks(void **state)
{
	struct fixture *f = *state;
	struct gen g4, g6;
	struct tally t = { 0, 0, 0 };
	unsigned i;

	gen_init(&g4, ADDR_V4, 77);
	gen_init(&g6, ADDR_V6, 78);
	/* Few catch-alls, so that lookups reach the second chunk. */
	g4.minlen = 12;
	g6.minlen = 40;
	for (i = 0; i < 4800; i++)
		gen_rules(f, i % 3 ? &g4 : &g6, 1);
	compile(f);
	assert_int_equal(f->t.v4.n, 3200);
	assert_int_equal(f->t.v6.n, 1600);
	assert_int_equal(f->t.v4.nchunks, 2);
	assert_int_equal(f->t.v6.nchunks, 1);
	probe_family(f, &g4, 3000, 300, &t);
	probe_family(f, &g6, 3000, 300, &t);
	assert_true(t.hits > 1000);
	assert_true(t.misses > 1000);
	print_message("hits %u misses %u deep %u\n", t.hits, t.misses, t.deep);
	assert_true(t.deep > 100);
}

/* The first match wins across a chunk boundary (chunks of 2,048). */
static void
test_chunk_boundary(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	for (i = 0; i < 2047; i++)
		add(f, "192.0.2.1/32", "198.51.100.0/24", 0, "ignore");
	add(f, "198.18.0.0/15", "198.51.100.0/25", 0, "tell");	/* 2047 */
	add(f, "198.18.0.0/16", "198.51.100.0/24", 0, "ignore"); /* 2048 */
	add(f, "198.18.0.0/15", "0.0.0.0/0", 0, "tell");	/* 2049 */
	compile(f);
	assert_int_equal(f->t.v4.nchunks, 2);
	assert_int_equal(line_of(f, "198.18.0.1", "198.51.100.1"), 2057);
	assert_int_equal(line_of(f, "198.18.0.1", "198.51.100.129"), 2058);
	assert_int_equal(line_of(f, "198.19.0.1", "198.51.100.129"), 2059);
	assert_int_equal(line_of(f, "192.0.2.1", "198.51.100.129"), 10);
	assert_int_equal(line_of(f, "192.0.2.1", "203.0.113.1"), 0);
	assert_int_equal(line_of(f, "198.19.255.255", "255.255.255.255"),
	    2059);
}

/* What the tables hold: a scanned set has no index, an indexed one has. */
static void
test_memory(void **state)
{
	struct fixture *f = *state;
	struct gen g;
	size_t idx;

	add(f, "198.51.100.0/24", "0.0.0.0/0", 0, "198.51.100.1");
	compile(f);
	assert_null(f->t.v4.chunks);
	assert_int_equal(rule_set_index_memory(&f->t.v4), 0);
	/* Its SRC clients asking for anything: one scope span (hairpin). */
	assert_int_equal(f->t.v4.nscope, 1);
	assert_int_equal(rule_table_memory(&f->t),
	    sizeof(struct rule) + sizeof(struct addr_ip) +
	    rule_set_scope_memory(&f->t.v4));
	gen_init(&g, ADDR_V4, 5);
	gen_rules(f, &g, 999);
	compile(f);
	idx = rule_set_index_memory(&f->t.v4);
	assert_true(idx > 0);
	assert_int_equal(rule_set_index_memory(&f->t.v6), 0);
	assert_true(rule_set_scope_memory(&f->t.v4) > 0);
	assert_int_equal(rule_table_memory(&f->t),
	    1000 * sizeof(struct rule) + idx + sizeof(struct addr_ip) +
	    rule_set_scope_memory(&f->t.v4));
	print_message("1000 random IPv4 rules: index %zu bytes\n", idx);
}

/* The addresses an interface learns: its tell DSTs and hairpin clients. */
static void
test_scope_covers(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *a;
		bool in;
	} v[] = {
		{ "198.51.100.0", true }, { "198.51.100.255", true },
		{ "198.51.100.200", true }, { "198.51.99.255", false },
		{ "198.51.101.0", false }, { "203.0.113.15", true },
		{ "203.0.113.16", false }, { "192.0.2.1", false },
		{ "198.18.0.1", false }, { "0.0.0.0", false },
		{ "255.255.255.255", false }, { "2001:db8:1::5", true },
		{ "2001:db8:2::5", false }, { "fe80::1", false },
	};
	struct addr_ip a;
	size_t i;

	add(f, "0.0.0.0/0", "198.51.100.128/25", 0, "tell");
	add(f, "198.51.100.0/24", "203.0.113.0/28", 0, "tell");
	add(f, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	add(f, "0.0.0.0/0", "192.0.2.0/24", 0, "198.51.100.1");
	add(f, "0.0.0.0/0", "198.18.0.0/15", 0, "ignore");
	add(f, "::/0", "2001:db8:1::/64", 0, "tell");
	compile(f);
	/* The nested /25 merged into the /24. */
	assert_int_equal(f->t.v4.nscope, 2);
	assert_int_equal(f->t.v6.nscope, 1);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		a = ip(v[i].a);
		assert_int_equal(rule_scope_covers(&f->t, &a), v[i].in);
	}
	memset(&a, 0, sizeof(a));
	assert_false(rule_scope_covers(&f->t, &a));
	/* tell 0.0.0.0/0 reaches the top of the space. */
	add(f, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	compile(f);
	assert_int_equal(f->t.v4.nscope, 1);
	a = ip("255.255.255.255");
	assert_true(rule_scope_covers(&f->t, &a));
}

/* The reference: a tell rule's DST, or a hairpin redirect's SRC and DST. */
static bool
in_scope(const struct conf_rule *r, const struct addr_ip *a)
{
	if (!addr_prefix_contains(&r->dst, a))
		return false;
	return r->action == CONF_ACTION_TELL ||
	    (r->action == CONF_ACTION_REDIRECT && r->src.len > 0 &&
	    addr_prefix_contains(&r->src, a));
}

/* The hairpin configuration of issue 9: clients asking for each other. */
static void
test_scope_hairpin(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *a;
		bool in;
	} v[] = {
		{ "198.18.0.1", true }, { "198.18.3.255", true },
		{ "198.18.4.0", false }, { "198.18.2.7", true },
		{ "203.0.113.9", false }, { "2001:db8:5::77", true },
		{ "2001:db8:6::77", false },
	};
	struct addr_ip a;
	size_t i;

	add(f, "198.18.0.0/22", "198.18.0.0/22", 0, "198.18.0.1");
	add(f, "2001:db8:5::/64", "2001:db8:5::/64", 0, "2001:db8:5::1");
	/* "Anyone asking for 203.0.113.0/24": places nobody on the link. */
	add(f, "0.0.0.0/0", "203.0.113.0/24", 0, "198.18.0.1");
	/* Requesters of a /16 asking for a /24 inside it: that /24. */
	add(f, "198.19.0.0/16", "198.19.7.0/24", 0, "198.18.0.1");
	/* Disjoint SRC and DST: no one. */
	add(f, "198.19.0.0/24", "192.0.2.0/24", 0, "198.18.0.1");
	compile(f);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		a = ip(v[i].a);
		assert_int_equal(rule_scope_covers(&f->t, &a), v[i].in);
	}
	a = ip("198.19.7.9");
	assert_true(rule_scope_covers(&f->t, &a));
	a = ip("198.19.8.9");
	assert_false(rule_scope_covers(&f->t, &a));
	a = ip("192.0.2.9");
	assert_false(rule_scope_covers(&f->t, &a));
}

/* Random rule sets: covered exactly when the reference says so. */
static void
test_scope_covers_random(void **state)
{
	struct fixture *f = *state;
	static const uint8_t fams[] = { ADDR_V4, ADDR_V6 };
	unsigned fi, round, k, yes = 0, no = 0;

	for (fi = 0; fi < 2; fi++)
		for (round = 0; round < 20; round++) {
			struct gen g;

			f->ci.nrules = 0;
			gen_init(&g, fams[fi], 100 + round);
			g.minlen = fams[fi] == ADDR_V4 ? 8 : 16;
			gen_rules(f, &g, 1 + round * 7);
			compile(f);
			for (k = 0; k < 2000; k++) {
				struct addr_ip a = ip_of(g.family,
				    gen_addr(&g));
				bool want = false;
				size_t j;

				for (j = 0; j < f->ci.nrules; j++)
					if (in_scope(&f->rules[j], &a))
						want = true;
				assert_int_equal(rule_scope_covers(&f->t, &a),
				    want);
				yes += want;
				no += !want;
			}
		}
	assert_true(yes > 1000 && no > 1000);
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
		cmocka_unit_test_setup_teardown(test_equivalence_random, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_equivalence_chunks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_chunk_boundary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scope_covers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scope_hairpin, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_scope_covers_random, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
