/*
 * In-process benchmark of the pure core (src/core.h), shaped like the
 * MirageOS ARP table benchmark (reference/mirage-arp-design.html): frames
 * per 5 s through core_input on one core, for invalid input, random valid
 * input, requests answered and ignored, replies, learning, a mix, and
 * cache look-ups ("queries"), each with a small setup and a large one
 * (100,000 cached hosts, 1,000 rules per family).
 *
 * Inputs are built before timing with tests/frames.h (independent of the
 * codec), many distinct frames per case.  Only core_input and
 * core_actions_clear are inside the timed loop.  After each run the
 * counters are checked against what the case claims to exercise, so the
 * benchmark cannot silently time something else: a mismatch is fatal.
 *
 *	bench_core [--quick] [--case NAME[,NAME...]] [--setup small|large]
 *	    [--time SECONDS] [--runs N] [--list]
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sched_setaffinity, CPU_SET */
#endif
#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>
#ifdef __linux__
#include <sched.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "codec.h"
#include "conf.h"
#include "core.h"

#include "../frames.h"

/* Slot of one pre-built frame: two cache lines, like a packet buffer. */
#define BENCH_STRIDE 128
/* Frames fed between two looks at the clock. */
#define BENCH_CHUNK 512
#define BENCH_SEED 0x5eed0f9a7bd1c0deULL
/* Arbitrary start of the core's clock (ms); the timed loops run at a
 * fixed time each, see bench_now(). */
#define BENCH_T0 1000000u

#define IFACE_MAIN 0u  /* every case but learn */
#define IFACE_LEARN 1u /* learn: dropped and re-added between batches */

/* Addresses (documentation ranges only). */
static const uint8_t if_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t if2_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t if_ip4[4] = { 198, 51, 100, 1 };
static const uint8_t if2_ip4[4] = { 203, 0, 113, 1 };
static const uint8_t router_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe };
static const uint8_t router_ip4[4] = { 198, 51, 100, 254 };
static const uint8_t if_ll6[16] = { 0xfe, 0x80, [15] = 1 };
static const uint8_t if_ip6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };

/*
 * Two setups.  v4 hosts are 198.18.0.0 + i (i >= 1, at most 131071), v6
 * hosts 2001:db8:1::a:i.  Rules: nfill4 IPv4 filler rules that match no
 * benchmark frame, then the 3 real IPv4 rules; nfill6 IPv6 filler rules,
 * then the real IPv6 rule.  With 997 and 999 fillers each family has
 * 1,000 rules and the deciding rule is among the last three (IPv4) or
 * the last one (IPv6), with all IPv4 rules in front of the IPv6 ones.
 */
struct setup {
	const char *name;
	uint32_t nhosts4;
	uint32_t nhosts6;
	uint32_t nfill4;
	uint32_t nfill6;
	uint32_t groups4; /* (SRC, DST) length pairs among the fillers */
	uint32_t groups6;
	uint32_t tablesize;
	uint32_t limit;
	uint32_t learn_batch; /* new senders per learn batch */
	uint32_t pool;	      /* distinct frames per case */
	uint32_t valid_range; /* senders of random valid frames: 1..this */
};

/*
 * Filler spread of the large setup, see fill4(): 247 (SRC length, DST
 * length) pairs.  src/rule.c's bit-vector index does not depend on the
 * spread (two binary searches over at most 2n+1 intervals per dimension
 * and an AND of bitmaps), so --groups 1..297 should change nothing; 247
 * stays the default so that figures compare with runs of the tuple-space
 * matcher rule.c had before, whose slowest arrangement it was.
 */
#define GROUPS4 247
#define GROUPS6 247

static const struct setup setups[] = {
	{ "small", 256, 64, 0, 0, 1, 1, 1021, 65536, 2048, 65536, 1024 },
	{ "large", 100000, 4096, 997, 999, GROUPS4, GROUPS6, 33343, 262144,
	    31000, 131072, 131071 },
};
#define NSETUPS (sizeof(setups) / sizeof(setups[0]))

/* What a frame is expected to do; checked against the counters. */
enum fclass {
	FC_DROP,    /* codec rejects it: rx_dropped[verdict] */
	FC_ANSWER,  /* answered (tell or redirect, ARP or ND) */
	FC_IGNORE,  /* ignore rule or no rule */
	FC_ANY,	    /* random valid frame: only "not dropped" is known */
	FC_REFRESH, /* reply to an outstanding refresh query */
	FC_LEARN,   /* announcement of a sender not yet cached */
	FC_COUNT
};

struct pool {
	uint8_t *buf; /* n slots of BENCH_STRIDE bytes */
	uint16_t *len;
	uint8_t *cls;	  /* enum fclass */
	uint8_t *verdict; /* enum codec_verdict, FC_DROP only */
	size_t n;
	uint64_t ncls[FC_COUNT];
	uint64_t nverdict[CODEC_VERDICT_COUNT];
};

struct rng {
	uint64_t s;
};

struct opts {
	double min_time; /* seconds per timed run */
	unsigned runs;
	bool quick;
	const char *cases; /* comma list or NULL for all */
	const char *setup; /* name or NULL for all */
	uint32_t groups;   /* --groups: filler length pairs, 0 = default */
	uint32_t tablesize; /* --tablesize for the large setup, 0 = default */
};

/* One measured case: frames fed and nanoseconds spent feeding them. */
struct result {
	uint64_t frames;
	uint64_t ns;
	uint64_t cpu_ns; /* CPU time of the thread meanwhile */
};

struct ctx {
	const struct setup *st;
	size_t setup_index;
	const struct opts *o;
	struct conf *conf;	 /* both interfaces */
	struct conf *conf_main;	 /* IFACE_MAIN only (learn case) */
	struct core_actions act;
	struct rng rng;
};

static void bench_fail(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
bench_fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("bench_core: FAIL: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		bench_fail("out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* splitmix64: reproducible inputs from a fixed seed. */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* CPU time of this thread: below the wall time when others ran. */
static uint64_t
thread_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- addresses of the simulated hosts ---- */

static void
host4_ip(uint32_t i, uint8_t ip[4])
{
	uint32_t a = ((uint32_t)198 << 24 | (uint32_t)18 << 16) + i;

	ip[0] = (uint8_t)(a >> 24);
	ip[1] = (uint8_t)(a >> 16);
	ip[2] = (uint8_t)(a >> 8);
	ip[3] = (uint8_t)a;
}

static void
host4_mac(uint32_t i, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x42;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

static void
host6_ip(uint32_t i, uint8_t ip[16])
{
	static const uint8_t base[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
		[13] = 0x0a };

	memcpy(ip, base, 16);
	ip[14] = (uint8_t)(i >> 8);
	ip[15] = (uint8_t)i;
}

static void
host6_mac(uint32_t i, uint8_t mac[6])
{
	mac[0] = 0x02;
	mac[1] = 0x66;
	mac[2] = 0x00;
	mac[3] = 0x00;
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

/* Index of a v4 host from its address, 0 if it is none. */
static uint32_t
host4_index(const struct addr_ip *ip)
{
	uint32_t a;

	if (ip->family != ADDR_V4 || ip->b[0] != 198 ||
	    (ip->b[1] != 18 && ip->b[1] != 19))
		return 0;
	a = (uint32_t)(ip->b[1] - 18) << 16 | (uint32_t)ip->b[2] << 8 |
	    ip->b[3];
	return a;
}

static uint32_t
host6_index(const struct addr_ip *ip)
{
	uint8_t want[16];

	if (ip->family != ADDR_V6)
		return 0;
	host6_ip(0, want);
	if (memcmp(ip->b, want, 14) != 0)
		return 0;
	return (uint32_t)ip->b[14] << 8 | ip->b[15];
}

/* Distinct from a and from 0, uniformly in 1..n otherwise. */
static uint32_t
other_host(struct rng *r, uint32_t n, uint32_t a)
{
	uint32_t b;

	do
		b = 1 + rng_below(r, n);
	while (b == a);
	return b;
}

/* ---- frames (tests/frames.h, independent of src/codec.c) ---- */

/* Broadcast ARP request from v4 host i for tpa (announcement if equal). */
static size_t
fr_request(uint8_t *f, uint32_t i, const uint8_t tpa[4])
{
	uint8_t mac[6], ip[4];

	host4_mac(i, mac);
	host4_ip(i, ip);
	return frames_arp(f, FRAMES_BCAST, mac, 1, mac, ip, NULL, tpa,
	    CODEC_FRAME_MIN);
}

/* Unicast ARP reply from v4 host i to the interface. */
static size_t
fr_reply(uint8_t *f, uint32_t i)
{
	uint8_t mac[6], ip[4];

	host4_mac(i, mac);
	host4_ip(i, ip);
	return frames_arp(f, if_mac, mac, 2, mac, ip, if_mac, if_ip4,
	    CODEC_FRAME_MIN);
}

/* ff02::1:ffXX:XXXX and 33:33:ff:XX:XX:XX of target (RFC 4291 2.7.1). */
static void
solicited_node(const uint8_t target[16], uint8_t group[16], uint8_t mac[6])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, 0xff };

	memcpy(group, pfx, 13);
	memcpy(group + 13, target + 13, 3);
	mac[0] = 0x33;
	mac[1] = 0x33;
	mac[2] = 0xff;
	memcpy(mac + 3, target + 13, 3);
}

/* NS from v6 host i for target, with a source link-layer option. */
static size_t
fr_ns(uint8_t *f, uint32_t i, const uint8_t target[16], unsigned hlim)
{
	uint8_t mac[6], ip[16], group[16], gmac[6], opt[8];

	host6_mac(i, mac);
	host6_ip(i, ip);
	solicited_node(target, group, gmac);
	frames_opt_lla(opt, FRAMES_OPT_SLLA, mac);
	return frames_nd(f, gmac, mac, ip, group, hlim, FRAMES_ND_NS, 0, 0,
	    target, opt, sizeof(opt));
}

/* Unsolicited NA (announcement, RFC 4861 7.2.6) of v6 host i. */
static size_t
fr_na_announce(uint8_t *f, uint32_t i)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t mac[6], ip[16], opt[8];

	host6_mac(i, mac);
	host6_ip(i, ip);
	frames_opt_lla(opt, FRAMES_OPT_TLLA, mac);
	return frames_nd(f, all_nodes_mac, mac, ip, all_nodes, 255,
	    FRAMES_ND_NA, 0, CODEC_NA_OVERRIDE, ip, opt, sizeof(opt));
}

static void
ip4_in_test_net(uint8_t ip[4], unsigned last)
{
	ip[0] = 198;
	ip[1] = 51;
	ip[2] = 100;
	ip[3] = (uint8_t)last;
}

/* ---- frame generators: one frame, its class, its verdict ---- */

/*
 * Frames the codec rejects, in about equal shares: garbage, truncation at
 * each layer and every header field the codec checks.  The codec's own
 * verdict is recorded, and frames it accepts are thrown away.
 */
static enum codec_verdict
gen_invalid(struct rng *r, const struct setup *st, uint8_t *f, size_t *lenp)
{
	struct codec_msg m;
	enum codec_verdict v;
	uint8_t t6[16], dummy[6];
	size_t len, i;
	uint32_t h;

	do {
		h = 1 + rng_below(r, st->nhosts4);
		ip4_in_test_net(dummy, 200);
		len = fr_request(f, h, dummy);
		switch (rng_below(r, 14)) {
		case 0: /* shorter than an Ethernet header */
			len = rng_below(r, 14);
			for (i = 0; i < len; i++)
				f[i] = (uint8_t)rng_next(r);
			break;
		case 1: /* garbage of any length */
			len = 14 + rng_below(r, 87);
			for (i = 0; i < len; i++)
				f[i] = (uint8_t)rng_next(r);
			break;
		case 2: /* truncated ARP */
			len = 14 + rng_below(r, 28);
			break;
		case 3:
			frames_be16(f + 14, 6); /* IEEE 802 hardware */
			break;
		case 4:
			frames_be16(f + 16, 0x86dd);
			break;
		case 5:
			f[18] = 8;
			break;
		case 6:
			frames_be16(f + FRAMES_OFF_ARP_OP, 3 + rng_below(r, 8));
			break;
		case 7: /* multicast sender hardware address */
			f[FRAMES_OFF_ARP_SHA] = 0x01;
			break;
		case 8: /* multicast Ethernet source */
			f[6] = 0x01;
			break;
		case 9: /* hop limit not 255 (RFC 4861 7.1.1) */
			host6_ip(other_host(r, st->nhosts6, 0), t6);
			len = fr_ns(f, 1 + rng_below(r, st->nhosts6), t6, 64);
			break;
		case 10: /* checksum */
			host6_ip(other_host(r, st->nhosts6, 0), t6);
			len = fr_ns(f, 1 + rng_below(r, st->nhosts6), t6, 255);
			f[FRAMES_OFF_ICMP_CKSUM] ^= 0x5a;
			break;
		case 11: /* not ICMPv6 */
			host6_ip(other_host(r, st->nhosts6, 0), t6);
			len = fr_ns(f, 1 + rng_below(r, st->nhosts6), t6, 255);
			f[FRAMES_OFF_IP6_NEXT] = 17;
			break;
		case 12: /* truncated IPv6 */
			host6_ip(other_host(r, st->nhosts6, 0), t6);
			len = fr_ns(f, 1 + rng_below(r, st->nhosts6), t6, 255);
			len = 14 + rng_below(r, (uint32_t)len - 14);
			break;
		default: /* multicast target (RFC 4861 7.1.1) */
			solicited_node(if_ip6, t6, dummy);
			len = fr_ns(f, 1 + rng_below(r, st->nhosts6), t6, 255);
			break;
		}
		v = codec_decode(f, len, &m);
	} while (v == CODEC_OK);
	*lenp = len;
	return v;
}

/* ARP request from a cached host answered by tell or by redirect. */
static size_t
gen_answer(struct rng *r, const struct setup *st, uint8_t *f, bool tell)
{
	uint32_t req = 1 + rng_below(r, st->nhosts4);
	uint32_t hot = st->nhosts4 < 64 ? st->nhosts4 : 64;
	uint8_t tpa[4];

	if (tell)
		host4_ip(other_host(r, hot, req), tpa);
	else
		ip4_in_test_net(tpa, 2 + rng_below(r, 125));
	return fr_request(f, req, tpa);
}

/* Request from a cached host: ignore rule, or no rule at all. */
static size_t
gen_ignore(struct rng *r, const struct setup *st, uint8_t *f, bool norule)
{
	uint32_t req = 1 + rng_below(r, st->nhosts4);
	uint8_t tpa[4];

	if (norule)
		ip4_in_test_net(tpa, 192 + rng_below(r, 62));
	else
		ip4_in_test_net(tpa, 128 + rng_below(r, 64));
	return fr_request(f, req, tpa);
}

/* tell request for a uniformly random cached host: a cache look-up. */
static size_t
gen_query(struct rng *r, const struct setup *st, uint8_t *f)
{
	uint32_t req = 1 + rng_below(r, st->nhosts4);
	uint8_t tpa[4];

	host4_ip(other_host(r, st->nhosts4, req), tpa);
	return fr_request(f, req, tpa);
}

/* NS from a cached v6 host for another cached v6 host (tell). */
static size_t
gen_ns(struct rng *r, const struct setup *st, uint8_t *f)
{
	uint32_t req = 1 + rng_below(r, st->nhosts6);
	uint8_t target[16];

	host6_ip(other_host(r, st->nhosts6, req), target);
	return fr_ns(f, req, target, 255);
}

/*
 * Random valid ARP, as MirageOS's "valid" input: requests (60%),
 * unsolicited replies (20%) and announcements (20%) from random senders
 * in 1..valid_range, for random hosts or addresses of 198.51.100.0/24.
 */
static size_t
gen_valid(struct rng *r, const struct setup *st, uint8_t *f)
{
	uint32_t s = 1 + rng_below(r, st->valid_range);
	uint32_t k = rng_below(r, 10);
	uint8_t tpa[4], ip[4], mac[6];

	if (k < 6) {
		if (rng_below(r, 2) == 0)
			host4_ip(1 + rng_below(r, st->valid_range), tpa);
		else
			ip4_in_test_net(tpa, 2 + rng_below(r, 252));
		return fr_request(f, s, tpa);
	}
	if (k < 8) {
		host4_mac(s, mac);
		host4_ip(s, ip);
		ip4_in_test_net(tpa, 2 + rng_below(r, 252));
		return frames_arp(f, if_mac, mac, 2, mac, ip, if_mac, tpa,
		    CODEC_FRAME_MIN);
	}
	host4_ip(s, ip);
	return fr_request(f, s, ip);
}

/* ---- pools of pre-built frames ---- */

static void
pool_init(struct pool *p, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->buf = xcalloc(n, BENCH_STRIDE);
	p->len = xcalloc(n, sizeof(*p->len));
	p->cls = xcalloc(n, 1);
	p->verdict = xcalloc(n, 1);
	p->n = n;
}

static void
pool_free(struct pool *p)
{
	free(p->buf);
	free(p->len);
	free(p->cls);
	free(p->verdict);
	memset(p, 0, sizeof(*p));
}

static uint8_t *
pool_frame(const struct pool *p, size_t i)
{
	return p->buf + i * BENCH_STRIDE;
}

static void
pool_set(struct pool *p, size_t i, size_t len, enum fclass c,
    enum codec_verdict v)
{
	if (len > BENCH_STRIDE)
		bench_fail("frame %zu of %zu bytes exceeds a slot", i, len);
	p->len[i] = (uint16_t)len;
	p->cls[i] = (uint8_t)c;
	p->verdict[i] = (uint8_t)v;
	p->ncls[c]++;
	if (c == FC_DROP)
		p->nverdict[v]++;
}

enum gen_kind {
	GEN_INVALID,
	GEN_VALID,
	GEN_ANSWER, /* tell and redirect alternating */
	GEN_IGNORE, /* ignore rule and no rule alternating */
	GEN_QUERY,
	GEN_NS,
	GEN_MIXED,
};

static void
pool_fill_one(struct pool *p, size_t i, enum gen_kind k, struct rng *r,
    const struct setup *st)
{
	uint8_t *f = pool_frame(p, i);
	enum codec_verdict v;
	size_t len;

	if (k == GEN_MIXED) {
		/* 20% invalid, valid, answered, ignored; 10% queries, NS */
		uint32_t x = rng_below(r, 10);

		k = x < 2 ? GEN_INVALID : x < 4 ? GEN_VALID :
		    x < 6 ? GEN_ANSWER : x < 8 ? GEN_IGNORE :
		    x < 9 ? GEN_QUERY : GEN_NS;
	}
	switch (k) {
	case GEN_INVALID:
		v = gen_invalid(r, st, f, &len);
		pool_set(p, i, len, FC_DROP, v);
		break;
	case GEN_VALID:
		pool_set(p, i, gen_valid(r, st, f), FC_ANY, CODEC_OK);
		break;
	case GEN_ANSWER:
		pool_set(p, i, gen_answer(r, st, f, rng_below(r, 2) == 0),
		    FC_ANSWER, CODEC_OK);
		break;
	case GEN_IGNORE:
		pool_set(p, i, gen_ignore(r, st, f, rng_below(r, 2) == 0),
		    FC_IGNORE, CODEC_OK);
		break;
	case GEN_QUERY:
		pool_set(p, i, gen_query(r, st, f), FC_ANSWER, CODEC_OK);
		break;
	case GEN_NS:
		pool_set(p, i, gen_ns(r, st, f), FC_ANSWER, CODEC_OK);
		break;
	case GEN_MIXED:
		break;
	}
}

static void
pool_build(struct pool *p, size_t n, enum gen_kind k, struct rng *r,
    const struct setup *st)
{
	size_t i;

	pool_init(p, n);
	for (i = 0; i < n; i++)
		pool_fill_one(p, i, k, r, st);
}

/* Class and verdict counts of the first n frames fed cyclically. */
static void
pool_fed_counts(const struct pool *p, uint64_t n, uint64_t cls[FC_COUNT],
    uint64_t verdict[CODEC_VERDICT_COUNT])
{
	uint64_t passes = n / p->n, rem = n % p->n, i;
	size_t c;

	for (c = 0; c < FC_COUNT; c++)
		cls[c] = passes * p->ncls[c];
	for (c = 0; c < CODEC_VERDICT_COUNT; c++)
		verdict[c] = passes * p->nverdict[c];
	for (i = 0; i < rem; i++) {
		cls[p->cls[i]]++;
		if (p->cls[i] == FC_DROP)
			verdict[p->verdict[i]]++;
	}
}

/* ---- configuration and core setup ---- */

static void
prefix4(struct addr_prefix *p, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
    uint8_t len)
{
	const uint8_t ip[4] = { a, b, c, d };

	memset(p, 0, sizeof(*p));
	addr_ip_set4(&p->ip, ip);
	p->len = len;
	addr_prefix_normalise(p);
}

static void
prefix6(struct addr_prefix *p, const uint8_t ip[16], uint8_t len)
{
	memset(p, 0, sizeof(*p));
	addr_ip_set6(&p->ip, ip);
	p->len = len;
	addr_prefix_normalise(p);
}

/*
 * Filler rules match no frame of the benchmark: their SRC never holds a
 * requester.  They are spread over ngroups (SRC length, DST length)
 * pairs (what a tuple-space matcher's cost grew with; the bit-vector
 * index's does not); rule k lands in pair k % ngroups.  IPv4: SRC inside 192.0.2.0/24 or
 * 203.0.113.0/24 with lengths 24..32, DST around the hosts' addresses
 * with lengths 32 down to 0 (at most 297 pairs).  IPv6: SRC inside
 * 2001:db8:ff01::/48 with lengths 48..128, DST lengths 128 down to 0.
 */
/* One "rule SRC DST ACTION" line. */
static void
rule_line(FILE *f, const struct addr_prefix *src, const struct addr_prefix *dst,
    const char *action)
{
	char a[ADDR_PREFIX_STRLEN], b[ADDR_PREFIX_STRLEN];

	fprintf(f, "\trule %s %s %s\n", addr_prefix_format(src, a, sizeof(a)),
	    addr_prefix_format(dst, b, sizeof(b)), action);
}

static void
fill4(FILE *f, uint32_t n, uint32_t ngroups)
{
	struct addr_prefix src, dst;
	uint32_t k, g;

	for (k = 0; k < n; k++) {
		g = k % ngroups;
		if (k % 2 == 0)
			prefix4(&src, 192, 0, 2, (uint8_t)k,
			    (uint8_t)(24 + g % 9));
		else
			prefix4(&src, 203, 0, 113, (uint8_t)k,
			    (uint8_t)(24 + g % 9));
		prefix4(&dst, 198, (uint8_t)(18 + (k >> 16 & 1)),
		    (uint8_t)(k >> 8), (uint8_t)k, (uint8_t)(32 - g / 9));
		rule_line(f, &src, &dst, k % 4 < 2 ? "ignore" : "tell");
	}
}

static void
fill6(FILE *f, uint32_t n, uint32_t ngroups)
{
	struct addr_prefix src, dst;
	uint8_t a6[16];
	uint32_t k, g;

	for (k = 0; k < n; k++) {
		g = k % ngroups;
		memcpy(a6, if_ip6, 16);
		a6[4] = 0xff;
		a6[14] = (uint8_t)(k >> 8);
		a6[15] = (uint8_t)k;
		prefix6(&src, a6, (uint8_t)(48 + g % 81));
		host6_ip(k, a6);
		prefix6(&dst, a6, (uint8_t)(128 - g / 81));
		rule_line(f, &src, &dst, k % 4 < 2 ? "ignore" : "tell");
	}
}

static void
conf_diag_print(void *arg, const struct conf_diag *d)
{
	(void)arg;
	if (!d->warning)
		fprintf(stderr, "bench.conf:%u:%u: %s\n", d->line, d->column,
		    d->message);
}

/*
 * The configuration, written as parpd.conf text and parsed before any
 * timing starts:
 *	rule 198.18.0.0/15 198.51.100.128/26 ignore
 *	rule 198.18.0.0/15 198.51.100.0/25   198.51.100.254
 *	rule 198.18.0.0/15 198.18.0.0/15     tell
 *	rule 2001:db8:1::/64 2001:db8:1::/64 tell
 * each family preceded by its fillers.  198.51.100.192/26 matches no rule.
 * The hosts lie in the tell rules' DSTs: an interface learns nothing
 * else (learning scope), and the benchmark learns them by announcement.
 */
static struct conf *
make_conf(const struct setup *st, bool with_learn_iface)
{
	char *text = NULL, rt[ADDR_IP_STRLEN];
	struct addr_prefix src, dst;
	struct addr_ip router;
	struct conf *c;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		bench_fail("open_memstream");
	fprintf(f, "pidfile /var/run/parpd-bench.pid\n"
	    "dumpfile /var/tmp/parpd-bench.dump\n"
	    "cache\n\ttablesize %u\n\tlimit %u\nend\n"
	    "interface bench0\n", (unsigned)st->tablesize,
	    (unsigned)st->limit);
	/* IPv4 fillers, real IPv4 rules, then IPv6 fillers and rule. */
	fill4(f, st->nfill4, st->groups4);
	prefix4(&src, 198, 18, 0, 0, 15);
	prefix4(&dst, 198, 51, 100, 128, 26);
	rule_line(f, &src, &dst, "ignore");
	prefix4(&dst, 198, 51, 100, 0, 25);
	addr_ip_set4(&router, router_ip4);
	rule_line(f, &src, &dst, addr_ip_format(&router, rt, sizeof(rt)));
	rule_line(f, &src, &src, "tell");
	fill6(f, st->nfill6, st->groups6);
	prefix6(&src, if_ip6, 64);
	rule_line(f, &src, &src, "tell");
	fprintf(f, "end\n");
	if (with_learn_iface) {
		/* Announcements are decided by no rule; one rule is enough. */
		fprintf(f, "interface bench1\n");
		prefix4(&src, 198, 18, 0, 0, 15);
		rule_line(f, &src, &src, "tell");
		fprintf(f, "end\n");
	}
	if (fclose(f) != 0)
		bench_fail("open_memstream");
	c = conf_parse_string("bench.conf", text, len, conf_diag_print, NULL);
	if (c == NULL)
		bench_fail("the benchmark's configuration does not parse");
	free(text);
	return c;
}

static void
ifinfo(struct core_ifinfo *info, unsigned iface)
{
	memset(info, 0, sizeof(*info));
	if (iface == IFACE_MAIN) {
		memcpy(info->mac.b, if_mac, 6);
		addr_ip_set4(&info->addrs[0], if_ip4);
		addr_ip_set6(&info->addrs[1], if_ll6);
		addr_ip_set6(&info->addrs[2], if_ip6);
		info->naddrs = 3;
	} else {
		memcpy(info->mac.b, if2_mac, 6);
		addr_ip_set4(&info->addrs[0], if2_ip4);
		info->naddrs = 1;
	}
}

static size_t
count_sends(const struct core_actions *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		if (a->v[i].kind == CORE_ACT_SEND)
			n++;
	return n;
}

/* The time of the core's clock at which timed runs happen. */
static uint64_t
bench_now(void)
{
	return BENCH_T0 + 10;
}

/*
 * A core with the main interface up, the redirect router resolved (its
 * broadcast query answered) and every host learned from its own
 * announcement (ARP request with spa == tpa, unsolicited NA to ff02::1),
 * all before bench_now().
 */
static struct core *
build_core(struct ctx *x, uint32_t nhosts4, uint32_t nhosts6)
{
	const struct setup *st = x->st;
	struct core_ifinfo info;
	struct core *core;
	uint8_t f[FRAMES_BUFSIZE], tpa[4], mac[6];
	size_t len, want;
	uint32_t i;

	core = core_new(x->conf, BENCH_SEED, BENCH_T0);
	if (core == NULL)
		bench_fail("core_new failed");
	ifinfo(&info, IFACE_MAIN);
	core_actions_clear(&x->act);
	core_iface_up(core, IFACE_MAIN, &info, BENCH_T0, &x->act);
	if (count_sends(&x->act) == 0)
		bench_fail("core_iface_up sent no query for the router");
	core_actions_clear(&x->act);
	memcpy(mac, router_mac, 6);
	len = frames_arp(f, if_mac, mac, 2, mac, router_ip4, if_mac, if_ip4,
	    CODEC_FRAME_MIN);
	core_input(core, IFACE_MAIN, f, len, BENCH_T0 + 1, &x->act);
	core_actions_clear(&x->act);

	/* Announcements: learned without going through the rules. */
	for (i = 1; i <= nhosts4; i++) {
		host4_ip(i, tpa);
		len = fr_request(f, i, tpa);
		core_input(core, IFACE_MAIN, f, len, BENCH_T0 + 2, &x->act);
		core_actions_clear(&x->act);
	}
	for (i = 1; i <= nhosts6; i++) {
		len = fr_na_announce(f, i);
		core_input(core, IFACE_MAIN, f, len, BENCH_T0 + 2, &x->act);
		core_actions_clear(&x->act);
	}
	want = (size_t)nhosts4 + nhosts6 + 1;
	if (core_cache_count(core) != want)
		bench_fail("setup %s: %zu cache entries after learning, "
			   "expected %zu (%" PRIu32 " + %" PRIu32
			   " hosts + router)",
		    st->name, core_cache_count(core), want, nhosts4,
		    nhosts6);
	return core;
}

/* ---- timing ---- */

/*
 * The timed loops are never inlined, so that a profiler can restrict
 * itself to them: valgrind --tool=callgrind --toggle-collect=run_cyclic
 * --toggle-collect=run_once.
 */
static struct result run_cyclic(struct core *, const struct pool *,
    uint64_t, struct core_actions *, double) __attribute__((noinline));
static void run_once(struct core *, unsigned, const struct pool *,
    uint64_t, struct core_actions *, struct result *)
    __attribute__((noinline));

/* Feeds p cyclically for at least min_s seconds at time now. */
static struct result
run_cyclic(struct core *core, const struct pool *p, uint64_t now,
    struct core_actions *a, double min_s)
{
	const uint64_t min_ns = (uint64_t)(min_s * 1e9);
	struct result res = { 0, 0, 0 };
	size_t i = 0, j;
	uint64_t t0, t1, c0;

	c0 = thread_ns();
	t0 = mono_ns();
	do {
		for (j = 0; j < BENCH_CHUNK; j++) {
			core_input(core, IFACE_MAIN, pool_frame(p, i),
			    p->len[i], now, a);
			core_actions_clear(a);
			if (++i == p->n)
				i = 0;
		}
		res.frames += BENCH_CHUNK;
		t1 = mono_ns();
	} while (t1 - t0 < min_ns);
	res.ns = t1 - t0;
	res.cpu_ns = thread_ns() - c0;
	return res;
}

/* Feeds every frame of p once, adding to res. */
static void
run_once(struct core *core, unsigned iface, const struct pool *p,
    uint64_t now, struct core_actions *a, struct result *res)
{
	uint64_t t0, t1, c0;
	size_t i;

	c0 = thread_ns();
	t0 = mono_ns();
	for (i = 0; i < p->n; i++) {
		core_input(core, iface, pool_frame(p, i), p->len[i], now, a);
		core_actions_clear(a);
	}
	t1 = mono_ns();
	res->cpu_ns += thread_ns() - c0;
	res->ns += t1 - t0;
	res->frames += p->n;
}

/* ---- verification, outside the timed loops ---- */

#define DELTA(field) (after->field - before->field)

static void
check_eq(const char *what, const char *field, uint64_t got, uint64_t want)
{
	if (got != want)
		bench_fail("%s: counter %s moved by %" PRIu64 ", expected %"
			   PRIu64,
		    what, field, got, want);
}

static void
check_range(const char *what, const char *field, uint64_t got, uint64_t lo,
    uint64_t hi)
{
	if (got < lo || got > hi)
		bench_fail("%s: counter %s moved by %" PRIu64
			   ", expected %" PRIu64 "..%" PRIu64,
		    what, field, got, lo, hi);
}

/*
 * The counters must have moved exactly as the classes of the fed frames
 * say: drops per verdict exactly, answered and ignored exactly (within
 * the random valid frames' share when there are any), nothing learned
 * where nothing new was sent.
 */
static void
check_counters(const char *what, const struct core_counters *before,
    const struct core_counters *after, const uint64_t cls[FC_COUNT],
    const uint64_t verdict[CODEC_VERDICT_COUNT], uint64_t fed)
{
	uint64_t any = cls[FC_ANY];
	size_t v;

	check_eq(what, "rx_frames", DELTA(rx_frames), fed);
	for (v = 1; v < CODEC_VERDICT_COUNT; v++) {
		char name[64];

		snprintf(name, sizeof(name), "rx_dropped[%s]",
		    codec_verdict_name((enum codec_verdict)v));
		check_eq(what, name, DELTA(rx_dropped[v]), verdict[v]);
	}
	check_eq(what, "rx_own", DELTA(rx_own), 0);
	check_eq(what, "rx_unknown_iface", DELTA(rx_unknown_iface), 0);
	check_range(what, "answered", DELTA(answered), cls[FC_ANSWER],
	    cls[FC_ANSWER] + any);
	/* Whether an announcement counts as ignored is the core's choice. */
	check_range(what, "ignored", DELTA(ignored), cls[FC_IGNORE],
	    cls[FC_IGNORE] + any + cls[FC_LEARN]);
	check_range(what, "refreshed", DELTA(refreshed), cls[FC_REFRESH],
	    cls[FC_REFRESH] + any);
	check_range(what, "learned", DELTA(learned), cls[FC_LEARN],
	    cls[FC_LEARN] + any);
	if (any == 0) {
		check_eq(what, "missing", DELTA(missing), 0);
		check_eq(what, "unresolved", DELTA(unresolved), 0);
		check_eq(what, "delayed", DELTA(delayed), 0);
		check_eq(what, "poison_refused", DELTA(poison_refused), 0);
		check_eq(what, "table_full", DELTA(table_full), 0);
	}
	check_eq(what, "nomem", DELTA(nomem), 0);
}

/*
 * Looks at the answers themselves for up to 2,000 frames of the pool:
 * an answered frame yields exactly one SEND that decodes as an ARP reply
 * or NA carrying the right MAC to the requester; any other frame yields
 * no SEND at all.
 */
static void
check_answers(const char *what, struct core *core, const struct pool *p,
    uint64_t now, struct core_actions *a)
{
	struct codec_msg q, r;
	const struct core_action *send;
	uint8_t want[6];
	size_t i, k, checked = 0;
	uint32_t idx;

	for (i = 0; i < p->n && checked < 2000; i++) {
		core_actions_clear(a);
		core_input(core, IFACE_MAIN, pool_frame(p, i), p->len[i], now,
		    a);
		if (p->cls[i] == FC_ANY)
			continue;
		checked++;
		if (p->cls[i] != FC_ANSWER) {
			if (count_sends(a) != 0)
				bench_fail("%s: frame %zu (class %u) made the "
					   "core send %zu frames",
				    what, i, p->cls[i], count_sends(a));
			continue;
		}
		if (count_sends(a) != 1)
			bench_fail("%s: answered frame %zu made %zu SEND "
				   "actions, expected 1",
			    what, i, count_sends(a));
		send = NULL;
		for (k = 0; k < a->n; k++)
			if (a->v[k].kind == CORE_ACT_SEND)
				send = &a->v[k];
		if (send->iface != IFACE_MAIN)
			bench_fail("%s: answer on iface %u", what, send->iface);
		if (codec_decode(pool_frame(p, i), p->len[i], &q) != CODEC_OK)
			bench_fail("%s: frame %zu does not decode", what, i);
		if (codec_decode(send->u.send.frame, send->u.send.len, &r) !=
		    CODEC_OK)
			bench_fail("%s: answer to frame %zu does not decode "
				   "(%s)",
			    what, i,
			    codec_verdict_name(codec_decode(send->u.send.frame,
				send->u.send.len, &r)));
		if (q.kind == CODEC_ARP_REQUEST) {
			if (r.kind != CODEC_ARP_REPLY)
				bench_fail("%s: answer to frame %zu is not an "
					   "ARP reply",
				    what, i);
			idx = host4_index(&q.target_ip);
			if (idx != 0)
				host4_mac(idx, want);
			else
				memcpy(want, router_mac, 6);
		} else {
			if (r.kind != CODEC_ND_NA ||
			    (r.na_flags & CODEC_NA_SOLICITED) == 0)
				bench_fail("%s: answer to frame %zu is not a "
					   "solicited NA",
				    what, i);
			idx = host6_index(&q.target_ip);
			host6_mac(idx, want);
		}
		if (memcmp(r.sender_mac.b, want, 6) != 0 ||
		    !addr_ip_equal(&r.sender_ip, &q.target_ip) ||
		    memcmp(r.eth_dst.b, q.eth_src.b, 6) != 0 ||
		    memcmp(r.eth_src.b, if_mac, 6) != 0)
			bench_fail("%s: answer to frame %zu carries the wrong "
				   "addresses",
			    what, i);
	}
	core_actions_clear(a);
}

/* ---- cases ---- */

struct bench_case {
	const char *name;
	const char *floor_name; /* MirageOS row compared against */
	double floor5s;		/* its frames per 5 s */
	enum gen_kind gen;	/* for cyclic cases */
	int special;		/* 0 cyclic, 1 replies, 2 learn */
	const char *what;
};

static const struct bench_case cases[] = {
	{ "invalid", "invalid", 2.8e6, GEN_INVALID, 0,
	    "frames the codec rejects: garbage, truncated, bad fields" },
	{ "valid", "valid", 1.8e6, GEN_VALID, 0,
	    "random valid ARP: requests, unsolicited replies, announcements" },
	{ "answered", "request", 2.1e6, GEN_ANSWER, 0,
	    "requests answered: tell for 64 hot hosts / redirect, 50/50" },
	{ "ignored", "request", 2.1e6, GEN_IGNORE, 0,
	    "requests ignored: ignore rule / no rule, 50/50" },
	{ "replies", "replies", 1.4e6, GEN_VALID, 1,
	    "ARP replies to parpd's unicast refresh queries (renew)" },
	{ "learn", "replies", 1.4e6, GEN_VALID, 2,
	    "announcements from new senders (new entries)" },
	{ "mixed", "mixed", 2.2e6, GEN_MIXED, 0,
	    "2:2:2:2:1:1 invalid/valid/answered/ignored/queries/ns" },
	{ "queries", "queries", 45e3, GEN_QUERY, 0,
	    "tell requests for uniformly random cached hosts" },
	{ "ns", "request*", 2.1e6, GEN_NS, 0,
	    "IPv6 NS answered by tell with an NA (checksum)" },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static struct result
case_cyclic(struct ctx *x, const struct bench_case *bc, const struct pool *p)
{
	const struct core_counters *c;
	struct core_counters before, after;
	uint64_t cls[FC_COUNT], verdict[CODEC_VERDICT_COUNT];
	struct core *core;
	struct result res;
	size_t count0;
	char what[64];

	snprintf(what, sizeof(what), "%s/%s", x->st->name, bc->name);
	core = build_core(x, x->st->nhosts4, x->st->nhosts6);
	c = core_counters(core);
	count0 = core_cache_count(core);
	before = *c;
	res = run_cyclic(core, p, bench_now(), &x->act, x->o->min_time);
	after = *c;
	pool_fed_counts(p, res.frames, cls, verdict);
	check_counters(what, &before, &after, cls, verdict, res.frames);
	if (p->ncls[FC_ANY] == 0 && core_cache_count(core) != count0)
		bench_fail("%s: cache count went from %zu to %zu", what, count0,
		    core_cache_count(core));
	check_answers(what, core, p, bench_now(), &x->act);
	core_free(core);
	return res;
}

/*
 * replies: in rounds, move the clock to the first refresh query of the
 * hosts' entries, let core_timer send the unicast queries (untimed),
 * then time the hosts' replies (and the router's) arriving 1 ms later.
 * Each reply renews its entry, which puts the next round 285 s later.
 */
static struct result
case_replies(struct ctx *x, const struct bench_case *bc, const struct pool *p)
{
	const struct conf_cache *cc = &x->conf->cache;
	const uint64_t span = (uint64_t)cc->refresh_count *
	    cc->refresh_interval_ms;
	const uint64_t min_ns = (uint64_t)(x->o->min_time * 1e9);
	const struct core_counters *c;
	struct core_counters before, after;
	uint64_t cls[FC_COUNT] = { 0 }, verdict[CODEC_VERDICT_COUNT] = { 0 };
	uint64_t learned_at = BENCH_T0 + 2, q, rounds = 0;
	struct result res = { 0, 0, 0 };
	struct core *core;
	char what[64];
	size_t sent;

	snprintf(what, sizeof(what), "%s/%s", x->st->name, bc->name);
	core = build_core(x, x->st->nhosts4, x->st->nhosts6);
	c = core_counters(core);
	while (res.ns < min_ns) {
		q = learned_at + cc->timeout_ms - span;
		if (core_next_deadline(core) > q)
			bench_fail("%s: next deadline %" PRIu64 " is after "
				   "the first refresh query at %" PRIu64,
			    what, core_next_deadline(core), q);
		core_actions_clear(&x->act);
		core_timer(core, q, &x->act);
		sent = count_sends(&x->act);
		if (sent < x->st->nhosts4 + 1u)
			bench_fail("%s: core_timer at the refresh time sent "
				   "%zu queries, expected at least %" PRIu32,
			    what, sent, x->st->nhosts4 + 1);
		core_actions_clear(&x->act);
		before = *c;
		run_once(core, IFACE_MAIN, p, q + 1, &x->act, &res);
		after = *c;
		cls[FC_REFRESH] = p->n;
		check_counters(what, &before, &after, cls, verdict, p->n);
		learned_at = q + 1;
		rounds++;
	}
	/* The IPv6 hosts, never answering, have expired meanwhile. */
	if (core_cache_count(core) < x->st->nhosts4 + 1u)
		bench_fail("%s: %zu entries left after %" PRIu64 " rounds",
		    what, core_cache_count(core), rounds);
	core_free(core);
	return res;
}

/*
 * learn: batches of announcements from senders not in the cache, each
 * batch timed on a second interface; between batches that interface is
 * removed (core_reload, which drops its entries) and added again, so
 * every batch starts from the same cache (untimed).
 */
static struct result
case_learn(struct ctx *x, const struct bench_case *bc, const struct pool *p)
{
	const uint64_t min_ns = (uint64_t)(x->o->min_time * 1e9);
	const struct core_counters *c;
	struct core_counters before, after;
	uint64_t cls[FC_COUNT] = { 0 }, verdict[CODEC_VERDICT_COUNT] = { 0 };
	uint64_t now = bench_now();
	struct core_ifinfo info;
	struct result res = { 0, 0, 0 };
	struct core *core;
	size_t base;
	char what[64];

	snprintf(what, sizeof(what), "%s/%s", x->st->name, bc->name);
	core = build_core(x, x->st->nhosts4, x->st->nhosts6);
	c = core_counters(core);
	base = core_cache_count(core);
	ifinfo(&info, IFACE_LEARN);
	core_actions_clear(&x->act);
	core_iface_up(core, IFACE_LEARN, &info, now, &x->act);
	core_actions_clear(&x->act);
	while (res.ns < min_ns) {
		before = *c;
		run_once(core, IFACE_LEARN, p, now, &x->act, &res);
		after = *c;
		cls[FC_LEARN] = p->n;
		check_counters(what, &before, &after, cls, verdict, p->n);
		if (core_cache_count(core) != base + p->n)
			bench_fail("%s: %zu cache entries after a batch of %zu,"
				   " expected %zu",
			    what, core_cache_count(core), p->n, base + p->n);
		now++;
		if (core_reload(core, x->conf_main, now, &x->act) != 0)
			bench_fail("%s: core_reload failed", what);
		core_actions_clear(&x->act);
		if (core_cache_count(core) != base)
			bench_fail("%s: %zu cache entries after dropping the "
				   "learn interface, expected %zu",
			    what, core_cache_count(core), base);
		if (core_reload(core, x->conf, now, &x->act) != 0)
			bench_fail("%s: core_reload failed", what);
		core_actions_clear(&x->act);
		/* As the shell does after a reload. */
		core_timer(core, now, &x->act);
		core_actions_clear(&x->act);
		core_iface_up(core, IFACE_LEARN, &info, now, &x->act);
		core_actions_clear(&x->act);
	}
	core_free(core);
	return res;
}

static void
make_pool(struct ctx *x, const struct bench_case *bc, struct pool *p)
{
	/* Each case's frames depend only on the setup and the case. */
	x->rng.s = BENCH_SEED ^ (uint64_t)(bc - cases) << 8 ^
	    (uint64_t)x->setup_index;
	const struct setup *st = x->st;
	uint8_t f[FRAMES_BUFSIZE], ip[4], mac[6];
	size_t i, len;
	uint32_t h;

	if (bc->special == 1) {
		/* One reply per v4 host, the router's last. */
		pool_init(p, (size_t)st->nhosts4 + 1);
		for (i = 0; i < st->nhosts4; i++)
			pool_set(p, i, fr_reply(pool_frame(p, i),
			    (uint32_t)i + 1), FC_REFRESH, CODEC_OK);
		memcpy(mac, router_mac, 6);
		len = frames_arp(f, if_mac, mac, 2, mac, router_ip4, if_mac,
		    if_ip4, CODEC_FRAME_MIN);
		memcpy(pool_frame(p, i), f, len);
		pool_set(p, i, len, FC_REFRESH, CODEC_OK);
		return;
	}
	if (bc->special == 2) {
		/* Announcements (spa == tpa) from hosts not yet learned. */
		pool_init(p, st->learn_batch);
		for (i = 0; i < st->learn_batch; i++) {
			h = st->nhosts4 + 1 + (uint32_t)i;
			host4_ip(h, ip);
			len = fr_request(pool_frame(p, i), h, ip);
			pool_set(p, i, len, FC_LEARN, CODEC_OK);
		}
		return;
	}
	pool_build(p, st->pool, bc->gen, &x->rng, st);
}

/* ---- memory ---- */

struct memsnap {
	uint64_t heap; /* malloc'd bytes, 0 when unknown */
	uint64_t rss;  /* resident bytes, 0 when unknown */
};

static void
mem_snap(struct memsnap *m)
{
	FILE *fp;
	unsigned long size, res;

	memset(m, 0, sizeof(*m));
#if defined(__GLIBC__) && \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	{
		struct mallinfo2 mi = mallinfo2();

		m->heap = (uint64_t)mi.uordblks + mi.hblkhd;
	}
#endif
	fp = fopen("/proc/self/statm", "r");
	if (fp != NULL) {
		if (fscanf(fp, "%lu %lu", &size, &res) == 2)
			m->rss = (uint64_t)res * (uint64_t)sysconf(_SC_PAGESIZE);
		fclose(fp);
	} else {
		struct rusage ru;

		/* ru_maxrss is in kilobytes on Linux and the BSDs. */
		if (getrusage(RUSAGE_SELF, &ru) == 0)
			m->rss = (uint64_t)ru.ru_maxrss * 1024u;
	}
}

/* Heap and RSS growth per host while n IPv4 hosts are learned. */
static void
measure_growth(struct ctx *x, uint32_t limit, uint32_t n, double *heap,
    double *rss, double *coremem)
{
	struct memsnap m1, m2;
	struct core *core;
	uint32_t saved = x->conf->cache.limit;

	x->conf->cache.limit = limit;
	/*
	 * A core without hosts, freed before the second build, which then
	 * reuses its memory: m2 - m1 is the growth the hosts cause.
	 */
	core = build_core(x, 0, 0);
	mem_snap(&m1);
	core_free(core);
	core = build_core(x, n, 0);
	mem_snap(&m2);
	*coremem = (double)core_memory(core) / (double)core_cache_count(core);
	core_free(core);
	x->conf->cache.limit = saved;
	*heap = m2.heap > m1.heap ? (double)(m2.heap - m1.heap) / n : -1.0;
	*rss = m2.rss > m1.rss ? (double)(m2.rss - m1.rss) / n : -1.0;
}

static const char *
fmt_bytes(char *buf, size_t len, double bytes)
{
	if (bytes < 0)
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "+%.1f", bytes);
	return buf;
}

static const char *
met(double bytes)
{
	return bytes < 0 ? "n/a" : bytes <= 96.0 ? "met" : "NOT met";
}

/*
 * Bytes per cached entry: core_cache_entry_size(), and what the heap
 * (glibc mallinfo2) and the resident set grow by while 100,000 hosts are
 * learned, divided by 100,000; once with the large setup's limit (the
 * pool grows by doubling, its unused tail is counted by the heap but not
 * by the RSS) and once with a limit equal to the entries (the pool then
 * ends at the limit).  Runs first in the process, so that memory freed by
 * other cases cannot hide growth; the RSS of the second build is not
 * reported for that reason.
 */
static void
measure_memory(struct ctx *x, char *buf, size_t len)
{
	const uint32_t n = 100000;
	double h1, r1, c1, h2, r2, c2;

	measure_growth(x, x->st->limit, n, &h1, &r1, &c1);
	measure_growth(x, n + 1, n, &h2, &r2, &c2);
	char a[32], b[32], c[32];

	snprintf(buf, len,
	    "memory: core_cache_entry_size() %zu bytes per entry: %s\n"
	    "memory: %" PRIu32 " hosts, limit %" PRIu32 ": heap %s "
	    "bytes/entry: %s; RSS %s bytes/entry: %s; core_memory() "
	    "%.1f bytes/entry\n"
	    "memory: %" PRIu32 " hosts, limit %" PRIu32 ": heap %s "
	    "bytes/entry: %s; core_memory() %.1f bytes/entry\n"
	    "memory: target <= 96 bytes per entry; heap figures include "
	    "malloc overhead, RSS only touched pages",
	    core_cache_entry_size(), met((double)core_cache_entry_size()),
	    n, x->st->limit, fmt_bytes(a, sizeof(a), h1), met(h1),
	    fmt_bytes(b, sizeof(b), r1), met(r1), c1,
	    n, n + 1, fmt_bytes(c, sizeof(c), h2), met(h2), c2);
}

/* ---- driver ---- */

static bool
selected(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *s = list;

	if (list == NULL)
		return true;
	while ((s = strstr(s, name)) != NULL) {
		if ((s == list || s[-1] == ',') && (s[n] == '\0' || s[n] == ','))
			return true;
		s += n;
	}
	return false;
}

static const char *
pin_cpu(char *buf, size_t len)
{
#ifdef __linux__
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &set))
				break;
		if (cpu < CPU_SETSIZE) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set) == 0) {
				snprintf(buf, len, "pinned to CPU %d", cpu);
				return buf;
			}
		}
	}
	snprintf(buf, len, "not pinned (%s)", strerror(errno));
	return buf;
#else
	snprintf(buf, len, "not pinned (no sched_setaffinity)");
	return buf;
#endif
}

/* The processor, for the record (Linux). */
static void
print_cpu(void)
{
	char line[256];
	FILE *fp = fopen("/proc/cpuinfo", "r");

	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "model name", 10) == 0) {
			const char *v = strchr(line, ':');

			if (v != NULL)
				printf("bench_core: cpu:%s", v + 1);
			break;
		}
	}
	fclose(fp);
}

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: bench_core [--quick] [--case NAME[,NAME...]] "
		     "[--setup small|large]\n"
		     "                  [--time SECONDS] [--runs N] "
		     "[--groups N] [--tablesize N] [--list]\n"
		     "cases: memory");
	for (i = 0; i < NCASES; i++)
		fprintf(out, " %s", cases[i].name);
	fputc('\n', out);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	int i;
	size_t k;

	o->min_time = 1.0;
	o->runs = 3;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			o->quick = true;
			o->min_time = 0.05;
			o->runs = 1;
		} else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
			o->cases = argv[++i];
		} else if (strcmp(argv[i], "--setup") == 0 && i + 1 < argc) {
			o->setup = argv[++i];
		} else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc) {
			o->min_time = strtod(argv[++i], NULL);
			if (!(o->min_time > 0 && o->min_time < 60))
				bench_fail("--time: 0 < seconds < 60");
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			o->runs = (unsigned)strtoul(argv[++i], NULL, 10);
			if (o->runs < 1 || o->runs > 100)
				bench_fail("--runs: 1..100");
		} else if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc) {
			o->groups = (uint32_t)strtoul(argv[++i], NULL, 10);
			if (o->groups < 1 || o->groups > 297)
				bench_fail("--groups: 1..297");
		} else if (strcmp(argv[i], "--tablesize") == 0 &&
		    i + 1 < argc) {
			o->tablesize = (uint32_t)strtoul(argv[++i], NULL, 10);
			if (o->tablesize < 1 || o->tablesize > 16777216)
				bench_fail("--tablesize: 1..16777216");
		} else if (strcmp(argv[i], "--list") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			exit(0);
		} else {
			usage(stderr);
			exit(2);
		}
	}
	if (o->cases != NULL) {
		const char *s = o->cases;

		/* Every listed name must be a case. */
		while (*s != '\0') {
			size_t n = strcspn(s, ",");
			bool ok = n == 6 && strncmp(s, "memory", 6) == 0;

			for (k = 0; k < NCASES && !ok; k++)
				ok = strlen(cases[k].name) == n &&
				    strncmp(s, cases[k].name, n) == 0;
			if (!ok)
				bench_fail("unknown case '%.*s' (--list)",
				    (int)n, s);
			s += n + (s[n] == ',');
		}
	}
	if (o->setup != NULL && strcmp(o->setup, "small") != 0 &&
	    strcmp(o->setup, "large") != 0)
		bench_fail("--setup: small or large");
}

struct row {
	const char *setup;
	const struct bench_case *bc;
	double fps;
	uint64_t frames;
	double secs;
	double cpu; /* thread CPU time / wall time of the best run */
};

int
main(int argc, char **argv)
{
	struct opts o;
	struct ctx x;
	struct row rows[NSETUPS * NCASES];
	size_t nrows = 0, s, k, met = 0;
	unsigned run;
	char pin[80], memline[1024] = "";
	uint64_t start = mono_ns();

	memset(&o, 0, sizeof(o));
	parse_args(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("bench_core: in-process benchmark of core_input (src/core.h), "
	       "%s\n", pin_cpu(pin, sizeof(pin)));
	print_cpu();
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	printf("bench_core: WARNING: built with sanitizers, the figures "
	       "measure the instrumentation\n");
#endif
	printf("bench_core: each case: best of %u run%s of >= %.2f s; only "
	       "core_input + core_actions_clear are timed\n",
	    o.runs, o.runs == 1 ? "" : "s", o.min_time);

	/* First, while the heap and the resident set are still fresh. */
	if ((o.setup == NULL || strcmp(o.setup, "large") == 0) &&
	    selected(o.cases, "memory")) {
		struct setup big = setups[1];

		if (o.groups != 0)
			big.groups4 = big.groups6 = o.groups;
		if (o.tablesize != 0)
			big.tablesize = o.tablesize;
		memset(&x, 0, sizeof(x));
		x.st = &big;
		x.setup_index = 1;
		x.o = &o;
		x.conf = make_conf(x.st, true);
		core_actions_init(&x.act);
		measure_memory(&x, memline, sizeof(memline));
		core_actions_free(&x.act);
		conf_free(x.conf);
	}

	for (s = 0; s < NSETUPS; s++) {
		struct setup stc = setups[s];
		const struct setup *st = &stc;

		if (o.setup != NULL && strcmp(o.setup, st->name) != 0)
			continue;
		memset(&x, 0, sizeof(x));
		x.st = st;
		x.setup_index = s;
		if (o.groups != 0 && st->nfill4 > 0)
			stc.groups4 = stc.groups6 = o.groups;
		if (o.tablesize != 0 && st->nfill4 > 0)
			stc.tablesize = o.tablesize;
		x.o = &o;
		x.conf = make_conf(st, true);
		x.conf_main = make_conf(st, false);
		core_actions_init(&x.act);
		printf("bench_core: setup %s: %" PRIu32 " IPv4 + %" PRIu32
		       " IPv6 hosts cached; tablesize %" PRIu32 "; %" PRIu32
		       " frames per pool\n",
		    st->name, st->nhosts4, st->nhosts6, st->tablesize,
		    st->pool);
		if (st->nfill4 + st->nfill6 == 0)
			printf("bench_core: setup %s: rules: 3 IPv4, 1 IPv6\n",
			    st->name);
		else
			printf("bench_core: setup %s: rules: %" PRIu32
			       " IPv4 fillers in %" PRIu32 " length pairs, "
			       "then the 3 deciding ones; %" PRIu32 " IPv6 "
			       "fillers in %" PRIu32 " pairs, then the deciding "
			       "one\n",
			    st->name, st->nfill4, st->groups4, st->nfill6,
			    st->groups6);

		for (k = 0; k < NCASES; k++) {
			const struct bench_case *bc = &cases[k];
			struct pool p;
			struct row *rw;

			if (!selected(o.cases, bc->name))
				continue;
			make_pool(&x, bc, &p);
			rw = &rows[nrows++];
			memset(rw, 0, sizeof(*rw));
			rw->setup = st->name;
			rw->bc = bc;
			for (run = 0; run < o.runs; run++) {
				struct result r;
				double fps;

				if (bc->special == 1)
					r = case_replies(&x, bc, &p);
				else if (bc->special == 2)
					r = case_learn(&x, bc, &p);
				else
					r = case_cyclic(&x, bc, &p);
				fps = (double)r.frames * 1e9 / (double)r.ns;
				if (fps > rw->fps) {
					rw->fps = fps;
					rw->frames = r.frames;
					rw->secs = (double)r.ns / 1e9;
					rw->cpu = (double)r.cpu_ns /
					    (double)r.ns;
				}
			}
			printf("bench_core: %s %s: %.0f frames/s "
					"(%" PRIu64 " frames in %.3f s)\n",
			    st->name, bc->name, rw->fps, rw->frames, rw->secs);
			pool_free(&p);
		}
		core_actions_free(&x.act);
		conf_free(x.conf);
		conf_free(x.conf_main);
	}

	printf("\nbench_core: cases (frames fed through core_input):\n");
	for (k = 0; k < NCASES; k++)
		printf("  %-9s %s\n", cases[k].name, cases[k].what);
	printf("  floor = MirageOS ARP benchmark (2016), frames per 5 s of "
	       "the row named; * = borrowed, MirageOS has no IPv6\n");
	printf("  cpu = thread CPU time / wall time of the reported run "
	       "(below 100%%: other processes took the CPU)\n");
	printf("\n%-6s %-9s %13s %11s %-9s %9s %7s %-7s %4s\n", "setup",
	    "case", "frames/5s", "frames/s", "floor_row", "floor/5s",
	    "ratio", "10x", "cpu");
	for (k = 0; k < nrows; k++) {
		const struct row *rw = &rows[k];
		double ratio = rw->fps * 5.0 / rw->bc->floor5s;

		if (ratio >= 10.0)
			met++;
		printf("%-6s %-9s %13.0f %11.0f %-9s %9.0f %6.1fx %-7s "
		       "%3.0f%%\n",
		    rw->setup, rw->bc->name, rw->fps * 5.0, rw->fps,
		    rw->bc->floor_name, rw->bc->floor5s, ratio,
		    ratio >= 10.0 ? "met" : "NOT met", rw->cpu * 100.0);
	}
	if (memline[0] != '\0')
		printf("%s\n", memline);
	printf("bench_core: %zu of %zu cases meet 10x the MirageOS floor; "
	       "total %.1f s\n",
	    met, nrows, (double)(mono_ns() - start) / 1e9);
	return 0;
}
