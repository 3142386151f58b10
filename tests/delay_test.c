/* The delay windows: counting, the inclusive window, the bound. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "delay.h"
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

/* ---- delay windows ---- */

static struct delay *
delays(uint32_t limit)
{
	struct siphash_key k;
	struct delay *d;

	siphash_key_from_seed(&k, 3);
	d = delay_new(7, limit, &k);
	assert_non_null(d);
	return d;
}

static void
test_delay_window(void **state)
{
	struct delay *d = delays(10);
	struct addr_ip r = ip("198.51.100.4"), t = ip("198.51.100.9");
	struct addr_ip r6 = ip("2001:db8::4"), t6 = ip("2001:db8::9");

	(void)state;
	assert_int_equal(delay_count(d, 0, &r, &t, 1000, 3000), 1);
	assert_int_equal(delay_count(d, 0, &r, &t, 2000, 3000), 2);
	/* Other interface, requester, target or family: other windows. */
	assert_int_equal(delay_count(d, 1, &r, &t, 2000, 3000), 1);
	assert_int_equal(delay_count(d, 0, &t, &r, 2000, 3000), 1);
	assert_int_equal(delay_count(d, 0, &r6, &t6, 2000, 3000), 1);
	assert_int_equal(delay_count(d, 0, &r, &t, 3999, 3000), 3);
	/* The window is inclusive: exactly 3000 ms after its opening counts. */
	assert_int_equal(delay_count(d, 0, &r, &t, 4000, 3000), 4);
	/* Past it, a new window. */
	assert_int_equal(delay_count(d, 0, &r, &t, 4001, 3000), 1);
	assert_int_equal(delay_count(d, 0, &r, &t, 4002, 3000), 2);
	assert_int_equal(delay_windows(d), 4);
	delay_clear(d);
	assert_int_equal(delay_windows(d), 0);
	assert_int_equal(delay_count(d, 0, &r, &t, 4003, 3000), 1);
	delay_free(d);
	delay_free(NULL);
}

/* Full: the window opened longest ago goes; a renewed one is young. */
static void
test_delay_bounded(void **state)
{
	struct delay *d = delays(3);
	struct addr_ip t = ip("198.51.100.9");
	struct addr_ip r1 = ip("198.51.100.1"), r2 = ip("198.51.100.2");
	struct addr_ip r3 = ip("198.51.100.3"), r4 = ip("198.51.100.4");

	(void)state;
	delay_count(d, 0, &r1, &t, 0, 100);
	delay_count(d, 0, &r2, &t, 10, 100);
	delay_count(d, 0, &r3, &t, 20, 100);
	/* r1 opens a new window: now r2 is the oldest. */
	assert_int_equal(delay_count(d, 0, &r1, &t, 150, 100), 1);
	assert_int_equal(delay_count(d, 0, &r4, &t, 160, 1000), 1);
	assert_int_equal(delay_windows(d), 3);
	/* r3 and r1 survive, r2 was dropped. */
	assert_int_equal(delay_count(d, 0, &r3, &t, 161, 1000), 2);
	assert_int_equal(delay_count(d, 0, &r1, &t, 162, 1000), 2);
	assert_int_equal(delay_count(d, 0, &r2, &t, 163, 1000), 1);
	assert_int_equal(delay_windows(d), 3);
	/* r3 went now (oldest opening at 20). */
	assert_int_equal(delay_count(d, 0, &r4, &t, 164, 1000), 2);
	assert_int_equal(delay_count(d, 0, &r3, &t, 165, 1000), 1);
	delay_free(d);
}

/* Renewing the youngest window keeps the order right. */
static void
test_delay_renew_tail(void **state)
{
	struct delay *d = delays(3);
	struct addr_ip t = ip("198.51.100.9");
	struct addr_ip a = ip("198.51.100.1"), b = ip("198.51.100.2");
	struct addr_ip c = ip("198.51.100.3"), x = ip("198.51.100.4");

	(void)state;
	delay_count(d, 0, &a, &t, 0, 100);
	delay_count(d, 0, &b, &t, 10, 100);
	delay_count(d, 0, &c, &t, 20, 100);
	assert_int_equal(delay_count(d, 0, &c, &t, 200, 100), 1);
	/* a is the oldest and goes. */
	assert_int_equal(delay_count(d, 0, &x, &t, 201, 100), 1);
	assert_int_equal(delay_count(d, 0, &c, &t, 202, 100), 2);
	assert_int_equal(delay_count(d, 0, &x, &t, 203, 100), 2);
	assert_int_equal(delay_count(d, 0, &a, &t, 204, 100), 1);
	/* b went for a: its next request opens a new window. */
	assert_int_equal(delay_count(d, 0, &c, &t, 205, 100), 3);
	assert_int_equal(delay_count(d, 0, &b, &t, 206, 100), 1);
	assert_int_equal(delay_windows(d), 3);
	assert_true(delay_memory(d) > 0);
	delay_free(d);
}

static void
test_delay_many(void **state)
{
	struct delay *d = delays(1000);
	struct addr_ip t = ip("198.51.100.9");
	unsigned i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		struct addr_ip r = v4(0xc6120000u + i);

		assert_int_equal(delay_count(d, 0, &r, &t, i, 1000), 1);
	}
	assert_int_equal(delay_windows(d), 1000);
	delay_free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_window),
		cmocka_unit_test(test_delay_bounded),
		cmocka_unit_test(test_delay_renew_tail),
		cmocka_unit_test(test_delay_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
