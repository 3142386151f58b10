/* The neighbour cache: lookup, scope, timers heap, bound and growth. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ncache.h"
#include "siphash.h"
#include "testutil.h"

static struct addr_ip
v4(uint32_t a)
{
	uint8_t b[4] = { a >> 24, a >> 16, a >> 8, a };
	struct addr_ip ip;

	addr_ip_set4(&ip, b);
	return ip;
}

static struct ncache *
cache(uint32_t tablesize, uint32_t limit, uint64_t seed)
{
	struct siphash_key k;
	struct ncache *nc;

	siphash_key_from_seed(&k, seed);
	nc = ncache_new(tablesize, limit, &k);
	assert_non_null(nc);
	return nc;
}

/* ---- cache ---- */

static void
test_insert_lookup_remove(void **state)
{
	struct ncache *nc = cache(7, 100, 1);
	struct addr_ip a = ip("198.51.100.7"), b = ip("2001:db8::7");
	struct addr_ip c = ip("198.51.100.8"), back;
	uint32_t ia, ib;

	(void)state;
	assert_int_equal(ncache_lookup(nc, &a, 0), NCACHE_NONE);
	ia = ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	ib = ncache_insert(nc, &b, 0, NCACHE_STATIC);
	assert_int_not_equal(ia, NCACHE_NONE);
	assert_int_not_equal(ib, NCACHE_NONE);
	assert_int_not_equal(ia, ib);
	assert_int_equal(ncache_lookup(nc, &a, 0), ia);
	assert_int_equal(ncache_lookup(nc, &b, 0), ib);
	assert_int_equal(ncache_lookup(nc, &c, 0), NCACHE_NONE);
	assert_int_equal(ncache_count(nc), 2);
	ncache_entry_ip(ncache_entry(nc, ib), &back);
	assert_true(addr_ip_equal(&back, &b));
	assert_int_equal(ncache_entry_const(nc, ia)->state, NCACHE_LEARNED);
	assert_int_equal(ncache_entry_const(nc, ib)->state, NCACHE_STATIC);
	ncache_remove(nc, ia);
	assert_int_equal(ncache_lookup(nc, &a, 0), NCACHE_NONE);
	assert_int_equal(ncache_lookup(nc, &b, 0), ib);
	assert_int_equal(ncache_count(nc), 1);
	/* The freed slot is reused. */
	assert_int_equal(ncache_insert(nc, &c, 0, NCACHE_LEARNED), ia);
	ncache_free(nc);
}

/* Bytes past an IPv4 address are not part of its key. */
static void
test_ipv4_tail_ignored(void **state)
{
	struct ncache *nc = cache(3, 10, 9);
	struct addr_ip a = ip("198.51.100.7"), junk = a;
	uint32_t i;

	(void)state;
	i = ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	memset(junk.b + 4, 0xa5, 12);
	assert_int_equal(ncache_lookup(nc, &junk, 0), i);
	assert_int_equal(ncache_bucket(nc, &junk, 0), ncache_bucket(nc, &a, 0));
	ncache_remove(nc, i);
	assert_int_equal(ncache_lookup(nc, &a, 0), NCACHE_NONE);
	ncache_free(nc);
}

/* 192.0.2.1 and 2001:db8::/... sharing leading bytes stay apart. */
static void
test_families_distinct(void **state)
{
	struct ncache *nc = cache(1, 10, 1);
	struct addr_ip a = v4(0x20010db8), b;
	uint8_t six[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct addr_ip bad;

	(void)state;
	addr_ip_set6(&b, six);
	ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	assert_int_equal(ncache_lookup(nc, &b, 0), NCACHE_NONE);
	memset(&bad, 0, sizeof(bad));
	assert_int_equal(ncache_lookup(nc, &bad, 0), NCACHE_NONE);
	ncache_free(nc);
}

/*
 * fe80::/10 is keyed by (interface, address): the same link-local address
 * on two links is two entries; any other address ignores the interface.
 */
static void
test_linklocal_scoped(void **state)
{
	struct ncache *nc = cache(1021, 10, 7);
	struct addr_ip ll = ip("fe80::99"), ll2 = ip("febf::99");
	struct addr_ip g = ip("2001:db8::99"), fec0 = ip("fec0::99");
	unsigned k, differ = 0;
	uint32_t a, b, c;

	(void)state;
	assert_true(ncache_is_scoped(&ll));
	assert_true(ncache_is_scoped(&ll2));
	assert_false(ncache_is_scoped(&g));
	assert_false(ncache_is_scoped(&fec0));
	a = ncache_insert(nc, &ll, 0, NCACHE_LEARNED);
	assert_int_equal(ncache_entry(nc, a)->iface, 0);
	assert_int_equal(ncache_lookup(nc, &ll, 1), NCACHE_NONE);
	b = ncache_insert(nc, &ll, 1, NCACHE_LEARNED);
	assert_int_not_equal(a, b);
	assert_int_equal(ncache_entry(nc, b)->iface, 1);
	assert_int_equal(ncache_lookup(nc, &ll, 0), a);
	assert_int_equal(ncache_lookup(nc, &ll, 1), b);
	assert_int_equal(ncache_lookup_hint(nc, &ll, 1, a), b);
	assert_int_equal(ncache_lookup_hint(nc, &ll, 0, a), a);
	/* The interface is hashed too: not one bucket for every link. */
	for (k = 1; k < 9; k++)
		differ += ncache_bucket(nc, &ll, k) != ncache_bucket(nc, &ll, 0);
	assert_true(differ > 0);
	c = ncache_insert(nc, &g, 2, NCACHE_LEARNED);
	assert_int_equal(ncache_lookup(nc, &g, 0), c);
	assert_int_equal(ncache_lookup(nc, &g, 7), c);
	assert_int_equal(ncache_lookup_hint(nc, &g, 5, c), c);
	ncache_remove(nc, a);
	assert_int_equal(ncache_lookup(nc, &ll, 0), NCACHE_NONE);
	assert_int_equal(ncache_lookup(nc, &ll, 1), b);
	ncache_remove(nc, b);
	assert_int_equal(ncache_lookup(nc, &ll, 1), NCACHE_NONE);
	assert_int_equal(ncache_count(nc), 1);
	ncache_free(nc);
}

/* One bucket: every chain operation, removal at head, middle, tail. */
static void
test_single_bucket_chain(void **state)
{
	struct ncache *nc = cache(1, 10, 3);
	uint32_t idx[6];
	unsigned i;

	(void)state;
	for (i = 0; i < 6; i++) {
		struct addr_ip a = v4(0xc0000200u + i);

		idx[i] = ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	}
	ncache_remove(nc, idx[5]); /* head of the chain */
	ncache_remove(nc, idx[2]); /* middle */
	ncache_remove(nc, idx[0]); /* tail */
	for (i = 0; i < 6; i++) {
		struct addr_ip a = v4(0xc0000200u + i);
		bool gone = i == 0 || i == 2 || i == 5;

		assert_int_equal(ncache_lookup(nc, &a, 0),
		    gone ? NCACHE_NONE : idx[i]);
	}
	ncache_free(nc);
}

static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)*s;
}

/* Random deadlines come out in order; updates and removals keep it. */
static void
test_heap_order(void **state)
{
	enum { N = 2000 };
	struct ncache *nc = cache(101, N, 5);
	uint64_t seed = 12345, last = 0;
	uint32_t idx[N], i, popped = 0;

	(void)state;
	assert_true(ncache_next_deadline(nc) == NCACHE_NO_DEADLINE);
	assert_int_equal(ncache_first(nc), NCACHE_NONE);
	assert_int_equal(ncache_next_due(nc, UINT64_MAX - 1), NCACHE_NONE);
	for (i = 0; i < N; i++) {
		struct addr_ip a = v4(0xc6120000u + i);

		idx[i] = ncache_insert(nc, &a, 0, NCACHE_LEARNED);
		ncache_set_deadline(nc, idx[i], 1000 + rnd(&seed) % 100000);
	}
	/* Move some earlier, some later, drop some. */
	for (i = 0; i < N; i += 3)
		ncache_set_deadline(nc, idx[i], rnd(&seed) % 200000);
	for (i = 1; i < N; i += 7)
		ncache_set_deadline(nc, idx[i], NCACHE_NO_DEADLINE);
	for (i = 2; i < N; i += 11)
		ncache_remove(nc, idx[i]);
	ncache_set_deadline(nc, idx[4], 77);
	assert_true(ncache_deadline(nc, idx[4]) == 77);
	assert_true(ncache_deadline(nc, idx[1]) == NCACHE_NO_DEADLINE);
	assert_true(ncache_next_deadline(nc) <= 77);
	for (;;) {
		uint32_t d = ncache_next_due(nc, UINT64_MAX - 1);
		uint64_t when;

		if (d == NCACHE_NONE)
			break;
		assert_int_equal(ncache_first(nc), d);
		when = ncache_deadline(nc, d);
		assert_true(when == ncache_next_deadline(nc));
		assert_true(when >= last);
		last = when;
		ncache_set_deadline(nc, d, NCACHE_NO_DEADLINE);
		popped++;
	}
	/* Removed every 11th from 2, no timer every 7th from 1. */
	{
		uint32_t want = 0;

		for (i = 0; i < N; i++)
			if (!(i >= 1 && (i - 1) % 7 == 0) &&
			    !(i >= 2 && (i - 2) % 11 == 0))
				want++;
		assert_int_equal(popped, want);
	}
	ncache_free(nc);
}

static void
test_next_due(void **state)
{
	struct ncache *nc = cache(3, 10, 5);
	struct addr_ip a = v4(0xc0000201), b = v4(0xc0000202);
	uint32_t ia = ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	uint32_t ib = ncache_insert(nc, &b, 0, NCACHE_LEARNED);

	(void)state;
	ncache_set_deadline(nc, ia, 500);
	ncache_set_deadline(nc, ib, 300);
	assert_true(ncache_next_deadline(nc) == 300);
	assert_int_equal(ncache_next_due(nc, 299), NCACHE_NONE);
	assert_int_equal(ncache_next_due(nc, 300), ib);
	assert_int_equal(ncache_first(nc), ib);
	ncache_set_deadline(nc, ib, 900);
	assert_int_equal(ncache_next_due(nc, 300), NCACHE_NONE);
	assert_int_equal(ncache_next_due(nc, 500), ia);
	ncache_remove(nc, ia);
	assert_true(ncache_next_deadline(nc) == 900);
	ncache_free(nc);
}

static void
test_unconfirmed_fifo(void **state)
{
	struct ncache *nc = cache(5, 10, 9);
	uint32_t idx[5];
	unsigned i;

	(void)state;
	assert_int_equal(ncache_oldest_unconfirmed(nc), NCACHE_NONE);
	for (i = 0; i < 5; i++) {
		struct addr_ip a = v4(0xc0000201u + i);

		idx[i] = ncache_insert(nc, &a, 0,
		    i == 3 ? NCACHE_STATIC : NCACHE_LEARNED);
	}
	assert_int_equal(ncache_oldest_unconfirmed(nc), idx[0]);
	ncache_confirm(nc, idx[0]);
	assert_true(ncache_entry(nc, idx[0])->flags & NCACHE_F_CONFIRMED);
	assert_int_equal(ncache_oldest_unconfirmed(nc), idx[1]);
	/* Confirming twice is harmless. */
	ncache_confirm(nc, idx[0]);
	ncache_make_static(nc, idx[1]);
	assert_int_equal(ncache_entry(nc, idx[1])->state, NCACHE_STATIC);
	assert_int_equal(ncache_oldest_unconfirmed(nc), idx[2]);
	ncache_remove(nc, idx[4]); /* the tail */
	ncache_remove(nc, idx[2]);
	/* Only the static 3 and confirmed 0 and static 1 remain. */
	assert_int_equal(ncache_oldest_unconfirmed(nc), NCACHE_NONE);
	{
		struct addr_ip a = v4(0xc0000299u);
		uint32_t n = ncache_insert(nc, &a, 0, NCACHE_LEARNED);

		assert_int_equal(ncache_oldest_unconfirmed(nc), n);
		ncache_confirm(nc, n);
		assert_int_equal(ncache_oldest_unconfirmed(nc), NCACHE_NONE);
	}
	ncache_free(nc);
}

static void
test_make_static_drops_timer(void **state)
{
	struct ncache *nc = cache(5, 10, 9);
	struct addr_ip a = v4(0xc0000201u);
	uint32_t i = ncache_insert(nc, &a, 0, NCACHE_LEARNED);

	(void)state;
	ncache_set_deadline(nc, i, 10);
	ncache_entry(nc, i)->flags |= NCACHE_F_QUERIED | NCACHE_F_ROUTED;
	ncache_make_static(nc, i);
	assert_true(ncache_next_deadline(nc) == NCACHE_NO_DEADLINE);
	assert_int_equal(ncache_entry(nc, i)->flags, NCACHE_F_ROUTED);
	ncache_free(nc);
}

static void
test_full_and_growth(void **state)
{
	struct ncache *nc = cache(1000, 50, 11);
	unsigned i;

	(void)state;
	assert_int_equal(ncache_limit(nc), 50);
	for (i = 0; i < 50; i++) {
		struct addr_ip a = v4(0xc6120000u + i);

		assert_false(ncache_full(nc));
		assert_int_not_equal(ncache_insert(nc, &a, 0, NCACHE_LEARNED),
		    NCACHE_NONE);
	}
	assert_true(ncache_full(nc));
	/* At the limit the pool holds exactly the limit. */
	{
		size_t m = ncache_memory(nc);

		assert_true(m <= 50 * ncache_entry_size() + 256);
	}
	/* The caller may go past the limit (static pairs). */
	{
		struct addr_ip a = v4(0xc6130000u);

		assert_int_not_equal(ncache_insert(nc, &a, 0, NCACHE_STATIC),
		    NCACHE_NONE);
		assert_int_equal(ncache_count(nc), 51);
	}
	ncache_free(nc);
}

static void
test_reserve_and_iterate(void **state)
{
	struct ncache *nc = cache(10, 1000, 11);
	unsigned i, seen = 0;
	uint32_t it, removed;

	(void)state;
	assert_int_equal(ncache_reserve(nc, 300), 0);
	assert_int_equal(ncache_reserve(nc, 10), 0);
	for (i = 0; i < 300; i++) {
		struct addr_ip a = v4(0xc6120000u + i);

		ncache_insert(nc, &a, 0, NCACHE_LEARNED);
	}
	removed = ncache_lookup(nc, &(struct addr_ip){ 0 }, 0);
	assert_int_equal(removed, NCACHE_NONE);
	{
		struct addr_ip a = v4(0xc6120000u + 17);

		ncache_remove(nc, ncache_lookup(nc, &a, 0));
	}
	for (it = ncache_next(nc, NCACHE_NONE); it != NCACHE_NONE;
	    it = ncache_next(nc, it))
		seen++;
	assert_int_equal(seen, 299);
	ncache_free(nc);
	ncache_free(NULL);
}

/* Buckets are capped at the limit, whatever tablesize says. */
static void
test_tablesize_capped(void **state)
{
	struct ncache *nc = cache(1000000, 10, 11);
	struct ncache *z = cache(0, 0, 11);

	(void)state;
	assert_true(ncache_memory(nc) < 10 * ncache_entry_size() + 256);
	assert_int_equal(ncache_limit(z), 1);
	ncache_free(nc);
	ncache_free(z);
}

static void
test_entry_size(void **state)
{
	(void)state;
	/* One cache line at most. */
	assert_true(sizeof(struct ncache_entry) <= 64);
	assert_true(ncache_entry_size() <= 96);
	/* LP64: entry 64, chain link 8, heap slot 12 (when, index), bucket 4. */
	if (sizeof(void *) == 8) {
		assert_int_equal(sizeof(struct ncache_entry), 64);
		assert_int_equal(ncache_entry_size(), 88);
	}
}

/* Two seeds spread the same addresses differently. */
static void
test_seed_keys_buckets(void **state)
{
	struct ncache *a = cache(1021, 100000, 1);
	struct ncache *b = cache(1021, 100000, 2);
	struct ncache *c = cache(1021, 100000, 1);
	unsigned i, differ = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		struct addr_ip x = v4(0xc6120000u + i);

		differ += ncache_bucket(a, &x, 0) != ncache_bucket(b, &x, 0);
		assert_int_equal(ncache_bucket(a, &x, 0), ncache_bucket(c, &x, 0));
		assert_true(ncache_bucket(a, &x, 0) < 1021);
	}
	/* Unrelated keys agree on about 1 in 1021 addresses. */
	assert_true(differ > 980);
	ncache_free(a);
	ncache_free(b);
	ncache_free(c);
}

/* Sequential addresses spread evenly: no bucket holds more than a few. */
static void
test_bucket_spread(void **state)
{
	struct ncache *nc = cache(1021, 100000, 77);
	unsigned count[1021] = { 0 }, i, max = 0;

	(void)state;
	for (i = 0; i < 3063; i++) {
		struct addr_ip x = v4(0xc6120000u + i);
		unsigned b = ncache_bucket(nc, &x, 0);

		if (++count[b] > max)
			max = count[b];
	}
	assert_true(max <= 14);
	ncache_free(nc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_tail_ignored),
		cmocka_unit_test(test_insert_lookup_remove),
		cmocka_unit_test(test_families_distinct),
		cmocka_unit_test(test_linklocal_scoped),
		cmocka_unit_test(test_single_bucket_chain),
		cmocka_unit_test(test_heap_order),
		cmocka_unit_test(test_next_due),
		cmocka_unit_test(test_unconfirmed_fifo),
		cmocka_unit_test(test_make_static_drops_timer),
		cmocka_unit_test(test_full_and_growth),
		cmocka_unit_test(test_reserve_and_iterate),
		cmocka_unit_test(test_tablesize_capped),
		cmocka_unit_test(test_entry_size),
		cmocka_unit_test(test_seed_keys_buckets),
		cmocka_unit_test(test_bucket_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
