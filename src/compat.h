/*
 * Portability glue for the shell: the libdnet header under its two names,
 * a random seed, and attribute macros.  The pure core never includes it.
 */
#ifndef PARPD_COMPAT_H
#define PARPD_COMPAT_H

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Debian ships libdnet as libdumbnet, FreeBSD as plain libdnet. */
#if defined(HAVE_DUMBNET_H)
#include <dumbnet.h>
#elif defined(HAVE_DNET_H)
#include <dnet.h>
#else
#error "configure found neither <dumbnet.h> nor <dnet.h>"
#endif
/*
 * libdnet's "#define addr_ip __addr_u.__ip" would rewrite parpd's
 * struct addr_ip; reach the member through COMPAT_DNET_IP4 instead.
 */
#undef addr_ip
#define COMPAT_DNET_IP4(a) ((a)->__addr_u.__ip)

#if defined(__linux__)
#include <sys/random.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define COMPAT_PRINTF(f, a) __attribute__((__format__(__printf__, f, a)))
#define COMPAT_NORETURN __attribute__((__noreturn__))
#else
#define COMPAT_PRINTF(f, a)
#define COMPAT_NORETURN
#endif

/*
 * 64 bits from the kernel's random source, for the key of the cache's
 * hash: getrandom(2) on Linux, arc4random_buf(3) on the BSDs.  Returns
 * 0, or -1 if no random source answered.
 */
static inline int
compat_random_seed(uint64_t *seed)
{
#if defined(__linux__)
	uint8_t *p = (uint8_t *)seed;
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*seed)) {
		n = getrandom(p + got, sizeof(*seed) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
#else
	arc4random_buf(seed, sizeof(*seed));
	return 0;
#endif
}

#endif
