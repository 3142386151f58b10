/*
 * Helpers shared by the cmocka tests: addresses from text, and the
 * original parpd example.  Include after <cmocka.h> and "addr.h".
 */
#ifndef PARPD_TESTUTIL_H
#define PARPD_TESTUTIL_H

#include <string.h>

#include "addr.h"

static inline struct addr_ip
ip(const char *s)
{
	struct addr_ip a;

	memset(&a, 0, sizeof(a));
	assert_int_equal(addr_ip_parse(s, &a), 0);
	return a;
}

/* A prefix as the parser leaves it: host bits cleared. */
static inline struct addr_prefix
pfx(const char *s)
{
	struct addr_prefix p;

	memset(&p, 0, sizeof(p));
	assert_int_equal(addr_prefix_parse(s, &p), 0);
	addr_prefix_normalise(&p);
	return p;
}

/* The original parpd's only published example, as DESIGN.md quotes it. */
#define TESTUTIL_ORIGINAL_CONF \
    "cache\n" \
    " timeout       302     # seconds\n" \
    " tablesize     3499    # expecting about 10000 entries\n" \
    " refresh       3*5     # 3 retries a 5 seconds each\n" \
    " delay         4*3     # respond at 4th retry in 3 seconds\n" \
    "end\n" \
    "\n" \
    "interface em0\n" \
    " timeout       1.011\n" \
    " rule          0.0.0.0/0        198.51.100.0/29    ignore\n" \
    " rule          198.51.100.4/32  198.51.100.0/24    delay tell\n" \
    " rule          198.51.100.0/29  198.51.100.0/24    tell\n" \
    " rule          198.51.100.0/24  198.51.100.0/24    198.51.100.1\n" \
    " rule          198.51.100.0/24  0.0.0.0/0          verbose " \
    "198.51.100.1\n" \
    " rule          192.0.2.0/24     198.51.100.0/24    tell\n" \
    " rule          0.0.0.0/0        0.0.0.0/0          verbose ignore\n" \
    "end\n"

#endif
