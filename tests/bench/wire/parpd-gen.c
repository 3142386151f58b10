/*
 * parpd-gen: a load generator for the wire benchmark (tests/bench/wire).
 *
 * Sends ARP requests or IPv6 Neighbor Solicitations on a raw AF_PACKET
 * socket at a paced rate (token bucket against CLOCK_MONOTONIC, batches
 * of sendmmsg), for many distinct targets or from many distinct invented
 * senders, and matches each answer to its request on a receive thread:
 * the key that survives in the answer is the target (ARP sender protocol
 * address, NA target) or the requester (ARP target protocol address, IPv6
 * destination).  Latencies go into 1 us histograms, twice: up to the
 * kernel's receive timestamp of the answer (SO_TIMESTAMPNS, taken when the
 * answer reaches the generator's interface: what the responder costs), and
 * up to the receive thread's read (which adds the generator's own
 * scheduling delay on a busy machine).  See README.
 *
 * The hostile scenarios (tests/integration/t_spoof_storm.sh,
 * t_flood_limit.sh) add: -A, an attacker claiming the targets' addresses
 * with its own MAC at RATE (or another proxy answering every request);
 * -H, the targets themselves, answering queries for their addresses as
 * the MACs -L gives them; -E, answers counted only from one MAC (parpd's)
 * and each checked (late ones too) to carry its target's -L MAC; -T,
 * requests for
 * SECONDS only (at the ceiling when RATE is above it).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sendmmsg, recvmmsg */
#endif
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GEN_BATCH	64
#define GEN_FRAME	86
#define GEN_HIST	2000000		/* 1 us buckets: 2 s */

static int	 gen_v6;		/* NS instead of ARP */
static int	 gen_senders;		/* vary the sender, not the target */
static uint32_t	 gen_n = 65536;
static double	 gen_rate = 10000, gen_secs = 3, gen_wait = 0.3;
static uint8_t	 gen_mac[6];
static uint32_t	 gen_src4, gen_dst4;
static struct in6_addr gen_src6, gen_dst6;
static uint64_t	*gen_slot;		/* send time (CLOCK_REALTIME) of the outstanding key */
/* Answer latencies: to the kernel's receive stamp, and to the thread's read. */
struct gen_lat {
	uint32_t	*hist;		/* 1 us buckets */
	uint64_t	 n, over, max;
};
static struct gen_lat gen_wire, gen_read;
static uint64_t	 gen_answered, gen_late, gen_unstamped;
static volatile int gen_stop;
static int	 gen_fd;

/* -A: what the attacker sends; -D: the Ethernet destination it uses. */
enum gen_attack { GEN_A_NONE, GEN_A_REPLY, GEN_A_GARP, GEN_A_NA, GEN_A_PROXY };
static enum gen_attack gen_attack;
static uint8_t	 gen_adst[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
/* -E: answers only from gen_peer count, each checked for its MAC. */
static int	 gen_check;
static uint8_t	 gen_peer[6];
static uint64_t	 gen_wrong, gen_checked;
/* -H: answer queries for the targets; -l: speak again every gen_relearn s. */
static int	 gen_hosts;
static double	 gen_relearn;
static uint64_t	 gen_responded;
static uint64_t	 gen_nsent;		/* what the last gen_send sent */
static int	 gen_timed;		/* -T: stop at SECONDS, whatever sent */
/*
 * A generator must not take the CPU the responder needs (on two cores it
 * did: a sender spinning on the clock and a receiver woken per answer).
 * -b: the sender sleeps until a tick's worth of frames is due, and when it
 * is behind its schedule it yields between full batches, so that a
 * responder sharing its CPU runs rather than waiting out the catch-up;
 * -R: the receiver sleeps this long after a read that drained the socket
 * (the kernel stamps each answer on arrival, so a late read costs no
 * accuracy; only rp* grows).  -b 0 and -R 0: the old spinning behaviour.
 */
static double	 gen_tick_us = 50, gen_read_us = 1000;

static uint64_t
gen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * Send stamps are of CLOCK_REALTIME, the clock of the kernel's receive
 * timestamps (skb->tstamp); pacing uses CLOCK_MONOTONIC.
 */
static uint64_t
gen_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
gen_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u),
	    (long)(ns % 1000000000u) };

	nanosleep(&ts, NULL);
}

/* Sleep until the CLOCK_MONOTONIC time at (ns). */
static void
gen_sleep_until(uint64_t at)
{
	struct timespec ts = { (time_t)(at / 1000000000u),
	    (long)(at % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static void
gen_lat_add(struct gen_lat *l, uint64_t sent, uint64_t seen)
{
	/* The slot may have been stamped for the key's next request after
	 * the answer was stamped: count it as 0. */
	uint64_t us = seen > sent ? (seen - sent) / 1000 : 0;

	l->n++;
	if (us > l->max)
		l->max = us;
	if (us < GEN_HIST)
		l->hist[us]++;
	else
		l->over++;
}

/* The kernel's receive timestamp of a message, or 0 if it has none. */
static uint64_t
gen_rx_stamp(struct msghdr *m)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return (uint64_t)ts.tv_sec * 1000000000u +
			    (uint64_t)ts.tv_nsec;
		}
	return 0;
}

static void
gen_usage(void)
{
	fprintf(stderr,
	    "usage: parpd-gen -i IFACE [-6] [-S] [-r RATE] [-d SECONDS]\n"
	    "       [-n COUNT] [-s SRC] [-t DST] [-w WAIT] [-L TO]\n"
	    "       [-A reply|garp|na|proxy] [-D MAC] [-E MAC] [-H [-l SECS]] [-T]\n"
	    "       [-b TICK_US] [-R READ_US]\n");
	exit(2);
}

static uint16_t
gen_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * The checksum of a 32-byte ND message at ic behind the IPv6 header ip;
 * RFC 4443 2.3: pseudo-header of addresses, length and next header.
 */
static void
gen_nd_csum(const uint8_t *ip, uint8_t *ic)
{
	uint32_t sum = 32 + 58;
	uint16_t c;
	size_t i;

	for (i = 8; i < 40; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	c = htons(gen_csum(ic, 32, sum));
	memcpy(ic + 2, &c, 2);
}

static void
gen_add6(struct in6_addr *a, const struct in6_addr *base, uint32_t k)
{
	uint32_t lo;

	*a = *base;
	memcpy(&lo, &a->s6_addr[12], 4);
	lo = htonl(ntohl(lo) + k);
	memcpy(&a->s6_addr[12], &lo, 4);
}

/* Invented MACs: 02:PP:kk:kk:kk:kk, PP telling senders from targets. */
static void
gen_kmac(uint8_t *m, uint8_t pp, uint32_t k)
{
	m[0] = 0x02;
	m[1] = pp;
	m[2] = (uint8_t)(k >> 24);
	m[3] = (uint8_t)(k >> 16);
	m[4] = (uint8_t)(k >> 8);
	m[5] = (uint8_t)k;
}

/*
 * Build request k into f; with learn, an announcement-like request from
 * target k itself for address `to` (so that `tell` learns its MAC).
 */
static size_t
gen_build(uint8_t *f, uint32_t k, int learn, uint32_t to4,
    const struct in6_addr *to6)
{
	uint8_t sha[6];
	uint32_t spa, tpa;
	struct in6_addr s6, t6;

	memcpy(sha, gen_mac, 6);
	if (learn)
		gen_kmac(sha, 0x01, k);
	else	/* not the interface's MAC: that may be a redirect router's */
		gen_kmac(sha, 0x02, gen_senders ? k : 0xffffffffu);
	if (!gen_v6) {
		spa = gen_src4 + (gen_senders ? k : 0);
		tpa = gen_dst4 + (gen_senders ? 0 : k);
		if (learn) {
			spa = gen_dst4 + k;
			tpa = to4;
		}
		memset(f, 0xff, 6);
		memcpy(f + 6, sha, 6);
		f[12] = 0x08; f[13] = 0x06;
		f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0;
		f[18] = 6; f[19] = 4; f[20] = 0; f[21] = 1;
		memcpy(f + 22, sha, 6);
		spa = htonl(spa);
		memcpy(f + 28, &spa, 4);
		memset(f + 32, 0, 6);
		tpa = htonl(tpa);
		memcpy(f + 38, &tpa, 4);
		memset(f + 42, 0, 18);
		return 60;
	}
	gen_add6(&s6, &gen_src6, gen_senders ? k : 0);
	gen_add6(&t6, &gen_dst6, gen_senders ? 0 : k);
	if (learn) {
		gen_add6(&s6, &gen_dst6, k);
		t6 = *to6;
	}
	f[0] = 0x33; f[1] = 0x33; f[2] = 0xff;
	memcpy(f + 3, &t6.s6_addr[13], 3);
	memcpy(f + 6, sha, 6);
	f[12] = 0x86; f[13] = 0xdd;
	uint8_t *ip = f + 14, *ic = f + 54;
	memset(ip, 0, 40);
	ip[0] = 0x60; ip[5] = 32; ip[6] = 58; ip[7] = 255;
	memcpy(ip + 8, &s6, 16);
	ip[24] = 0xff; ip[25] = 0x02; ip[35] = 1; ip[36] = 0xff;
	memcpy(ip + 37, &t6.s6_addr[13], 3);
	memset(ic, 0, 32);
	ic[0] = 135;
	memcpy(ic + 8, &t6, 16);
	ic[24] = 1; ic[25] = 1;
	memcpy(ic + 26, sha, 6);
	gen_nd_csum(ip, ic);
	return GEN_FRAME;
}

/* An ARP frame: 60 bytes (the Ethernet minimum, padded). */
static size_t
gen_arp(uint8_t *f, const uint8_t *edst, const uint8_t *esrc, int op,
    uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
	memcpy(f, edst, 6);
	memcpy(f + 6, esrc, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1; f[16] = 0x08; f[17] = 0;
	f[18] = 6; f[19] = 4; f[20] = 0; f[21] = (uint8_t)op;
	memcpy(f + 22, esrc, 6);
	spa = htonl(spa);
	memcpy(f + 28, &spa, 4);
	memcpy(f + 32, tha, 6);
	tpa = htonl(tpa);
	memcpy(f + 38, &tpa, 4);
	memset(f + 42, 0, 18);
	return 60;
}

/*
 * A Neighbor Advertisement for target from lladdr (also the Ethernet
 * source), flags in the RFC 4861 4.4 bit order (R 0x80, S 0x40, O 0x20),
 * with the target link-layer address option.
 */
static size_t
gen_na(uint8_t *f, const uint8_t *edst, const uint8_t *lladdr,
    const struct in6_addr *src, const struct in6_addr *dst,
    const struct in6_addr *target, uint8_t flags)
{
	uint8_t *ip = f + 14, *ic = f + 54;

	memcpy(f, edst, 6);
	memcpy(f + 6, lladdr, 6);
	f[12] = 0x86; f[13] = 0xdd;
	memset(ip, 0, 40);
	ip[0] = 0x60; ip[5] = 32; ip[6] = 58; ip[7] = 255;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memset(ic, 0, 32);
	ic[0] = 136;
	ic[4] = flags;
	memcpy(ic + 8, target, 16);
	ic[24] = 2; ic[25] = 1;
	memcpy(ic + 26, lladdr, 6);
	gen_nd_csum(ip, ic);
	return GEN_FRAME;
}

/*
 * Attack frame k (-A): target k's address claimed for our own MAC.
 * reply: an ARP reply nobody asked for (or, with -6, a solicited NA with
 * O=1 nobody asked for) to SRC at -D; garp: a gratuitous ARP request
 * (RFC 5227 3), as a host that changed its MAC announces itself; na: an
 * unsolicited NA with O=1 to all-nodes (RFC 4861 7.2.6).
 */
static size_t
gen_attack_build(uint8_t *f, uint32_t k)
{
	static const uint8_t zero[6];
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const struct in6_addr allnodes = { { { 0xff, 0x02, [15] = 1 } } };
	struct in6_addr t6;

	switch (gen_attack) {
	case GEN_A_REPLY:
		if (!gen_v6)
			return gen_arp(f, gen_adst, gen_mac, 2, gen_dst4 + k,
			    gen_adst, gen_src4);
		gen_add6(&t6, &gen_dst6, k);
		return gen_na(f, gen_adst, gen_mac, &t6, &gen_src6, &t6,
		    0x60);
	case GEN_A_GARP:
		return gen_arp(f, gen_adst, gen_mac, 1, gen_dst4 + k, zero,
		    gen_dst4 + k);
	case GEN_A_NA:
		gen_add6(&t6, &gen_dst6, k);
		return gen_na(f, allnodes_mac, gen_mac, &t6, &allnodes, &t6,
		    0x20);
	default:
		return 0;
	}
}

/*
 * A request seen by -H (the targets answer queries for their address,
 * as their -L MAC) or by -A proxy (another proxy answers every request
 * with its own MAC, towards -D so that parpd sees it too): the answer,
 * sent at once.
 */
static void
gen_respond(const uint8_t *f, ssize_t len)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t out[GEN_FRAME], mac[6];
	const uint8_t *edst;
	uint32_t spa, tpa, k;
	struct in6_addr src, tgt, b;
	size_t n;

	if (len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 1) {
		memcpy(&spa, f + 28, 4);
		memcpy(&tpa, f + 38, 4);
		spa = ntohl(spa);
		tpa = ntohl(tpa);
		k = tpa - gen_dst4;
		if (spa == tpa || (gen_hosts && k >= gen_n))
			return;	/* an announcement, or not one of ours */
		if (gen_hosts)
			gen_kmac(mac, 0x01, k);
		else
			memcpy(mac, gen_mac, 6);
		edst = gen_hosts ? f + 22 : gen_adst;
		n = gen_arp(out, edst, mac, 2, tpa, f + 22, spa);
	} else if (len >= 78 && f[12] == 0x86 && f[13] == 0xdd &&
	    f[20] == 58 && f[54] == 135) {
		memcpy(&src, f + 22, 16);
		memcpy(&tgt, f + 62, 16);
		if (IN6_IS_ADDR_UNSPECIFIED(&src) ||
		    memcmp(&src, &tgt, 16) == 0)
			return;	/* duplicate address detection */
		b = gen_dst6;
		k = ntohl(*(const uint32_t *)(const void *)&tgt.s6_addr[12]) -
		    ntohl(*(const uint32_t *)(const void *)&b.s6_addr[12]);
		if (gen_hosts && (memcmp(&tgt, &b, 12) != 0 || k >= gen_n))
			return;
		if (gen_hosts)
			gen_kmac(mac, 0x01, k);
		else
			memcpy(mac, gen_mac, 6);
		edst = gen_hosts ? f + 6 : memcmp(gen_adst,
		    "\xff\xff\xff\xff\xff\xff", 6) == 0 ? allnodes_mac :
		    gen_adst;
		/* S=1, O=1: the owner's (or a would-be owner's) answer */
		n = gen_na(out, edst, mac, &tgt, &src, &tgt, 0x60);
	} else
		return;
	if (send(gen_fd, out, n, 0) == (ssize_t)n)
		__atomic_add_fetch(&gen_responded, 1, __ATOMIC_RELAXED);
}

/* -E: the MAC an answer for key k carries is target k's -L MAC. */
static void
gen_check_mac(const uint8_t *f, ssize_t len, uint32_t k)
{
	uint8_t want[6];
	const uint8_t *got = NULL;
	ssize_t o;

	gen_kmac(want, 0x01, k);
	if (!gen_v6)
		got = f + 22;
	else	/* the target link-layer address option */
		for (o = 78; o + 8 <= len && f[o + 1] != 0; o += f[o + 1] * 8)
			if (f[o] == 2) {
				got = f + o + 2;
				break;
			}
	gen_checked++;
	if (got == NULL || memcmp(got, want, 6) != 0)
		gen_wrong++;
}

/* The key an answer carries, or -1 if it is not an answer of ours. */
static int64_t
gen_key(const uint8_t *f, ssize_t len)
{
	uint32_t a;
	struct in6_addr x;

	if (!gen_v6) {
		if (len < 42 || f[12] != 0x08 || f[13] != 0x06 || f[21] != 2)
			return -1;
		memcpy(&a, gen_senders ? f + 38 : f + 28, 4);
		a = ntohl(a) - (gen_senders ? gen_src4 : gen_dst4);
		return a < gen_n ? (int64_t)a : -1;
	}
	if (len < 78 || f[12] != 0x86 || f[13] != 0xdd || f[20] != 58 ||
	    f[54] != 136)
		return -1;
	memcpy(&x, gen_senders ? f + 38 : f + 62, 16);
	const struct in6_addr *b = gen_senders ? &gen_src6 : &gen_dst6;
	if (memcmp(&x, b, 12) != 0)
		return -1;
	uint32_t hi, lo;
	memcpy(&hi, &x.s6_addr[12], 4);
	memcpy(&lo, &b->s6_addr[12], 4);
	a = ntohl(hi) - ntohl(lo);
	return a < gen_n ? (int64_t)a : -1;
}

static void *
gen_rx(void *arg)
{
	struct mmsghdr mm[GEN_BATCH];
	struct iovec iov[GEN_BATCH];
	static uint8_t buf[GEN_BATCH][2048];
	static union {
		struct cmsghdr	align;
		uint8_t		buf[CMSG_SPACE(sizeof(struct timespec))];
	} ctl[GEN_BATCH];
	int i, n;

	(void)arg;
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < GEN_BATCH; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	while (!gen_stop) {
		for (i = 0; i < GEN_BATCH; i++) {
			mm[i].msg_hdr.msg_control = ctl[i].buf;
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(gen_fd, mm, GEN_BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		if (n < GEN_BATCH && gen_read_us > 0 && !gen_hosts &&
		    gen_attack != GEN_A_PROXY)
			gen_sleep_ns((uint64_t)(gen_read_us * 1000));
		uint64_t now = gen_wall();
		for (i = 0; i < n; i++) {
			if (gen_hosts || gen_attack == GEN_A_PROXY) {
				gen_respond(buf[i], mm[i].msg_len);
				continue;
			}
			if (gen_check && memcmp(buf[i] + 6, gen_peer, 6) != 0)
				continue;
			int64_t k = gen_key(buf[i], mm[i].msg_len);
			if (k < 0)
				continue;
			if (gen_check)
				gen_check_mac(buf[i], mm[i].msg_len,
				    (uint32_t)k);
			uint64_t t = __atomic_exchange_n(&gen_slot[k], 0,
			    __ATOMIC_RELAXED);
			if (t == 0) {
				gen_late++;
				continue;
			}
			gen_answered++;
			uint64_t stamp = gen_rx_stamp(&mm[i].msg_hdr);
			if (stamp == 0) {
				gen_unstamped++;
				stamp = now;
			}
			gen_lat_add(&gen_wire, t, stamp);
			gen_lat_add(&gen_read, t, now);
		}
	}
	return NULL;
}

static uint64_t
gen_pct(const struct gen_lat *l, double p)
{
	uint64_t want = (uint64_t)(p * (double)l->n), c = 0;
	uint32_t i;

	if (want >= l->n && l->n > 0)
		want = l->n - 1;
	for (i = 0; i < GEN_HIST; i++) {
		c += l->hist[i];
		if (c > want)
			return i;
	}
	return l->max;
}

static void
gen_addr(const char *s, uint32_t *a4, struct in6_addr *a6)
{
	struct in_addr a;

	if (gen_v6) {
		if (inet_pton(AF_INET6, s, a6) != 1)
			goto bad;
	} else {
		if (inet_pton(AF_INET, s, &a) != 1)
			goto bad;
		*a4 = ntohl(a.s_addr);
	}
	return;
bad:
	fprintf(stderr, "parpd-gen: bad %s address: %s\n",
	    gen_v6 ? "IPv6" : "IPv4", s);
	exit(2);
}

static enum gen_attack
gen_attack_mode(const char *s)
{
	static const char *const names[] = { "", "reply", "garp", "na",
	    "proxy" };
	int i;

	for (i = 1; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum gen_attack)i;
	fprintf(stderr, "parpd-gen: unknown -A %s\n", s);
	exit(2);
}

static void
gen_mac_arg(const char *s, uint8_t *m)
{
	unsigned x[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &x[0], &x[1], &x[2], &x[3], &x[4],
	    &x[5]) != 6) {
		fprintf(stderr, "parpd-gen: bad MAC address: %s\n", s);
		exit(2);
	}
	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)x[i];
}

/* Send frames for keys 0..total-1 (mod n) at gen_rate, paced. */
static uint64_t
gen_send(uint64_t total, int learn, uint32_t to4, const struct in6_addr *to6,
    uint64_t *errs)
{
	static uint8_t fr[GEN_BATCH][GEN_FRAME];
	struct mmsghdr mm[GEN_BATCH];
	struct iovec iov[GEN_BATCH];
	uint64_t start = gen_now(), sent = 0, now, due;
	/* Frames per tick: the sender wakes when that many are due. */
	uint64_t tick = (uint64_t)(gen_rate * gen_tick_us / 1e6);
	int i, b, r;

	if (tick < 1)
		tick = 1;
	if (tick > GEN_BATCH)
		tick = GEN_BATCH;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < GEN_BATCH; i++) {
		iov[i].iov_base = fr[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < total) {
		now = gen_now();
		/* An attacker sends what it can for SECONDS, no more. */
		if ((gen_attack != GEN_A_NONE || gen_timed) && !learn &&
		    now - start >= (uint64_t)(gen_secs * 1e9))
			break;
		due = (uint64_t)((double)(now - start) * gen_rate / 1e9);
		if (due > total)
			due = total;
		if (due <= sent) {
			uint64_t next = start +
			    (uint64_t)((double)(sent + tick) * 1e9 / gen_rate);
			if (gen_tick_us > 0)
				gen_sleep_until(next);
			else if (next > now + 60000)
				gen_sleep_until(next - 50000);
			continue;
		}
		b = due - sent > GEN_BATCH ? GEN_BATCH : (int)(due - sent);
		for (i = 0; i < b; i++)
			iov[i].iov_len = gen_attack != GEN_A_NONE && !learn ?
			    gen_attack_build(fr[i],
			    (uint32_t)((sent + i) % gen_n)) :
			    gen_build(fr[i], (uint32_t)((sent + i) % gen_n),
			    learn, to4, to6);
		uint64_t wall = gen_wall();
		if (!learn && gen_attack == GEN_A_NONE)
			for (i = 0; i < b; i++)
				__atomic_store_n(&gen_slot[(sent + i) % gen_n],
				    wall, __ATOMIC_RELAXED);
		r = sendmmsg(gen_fd, mm, (unsigned)b, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("parpd-gen: sendmmsg");
				exit(1);
			}
			r = 0;
		}
		if (r < b) {
			/* Not sent: not outstanding, counted as errors. */
			for (i = r; i < b; i++)
				if (!learn && gen_attack == GEN_A_NONE)
					__atomic_store_n(&gen_slot[(sent + i) %
					    gen_n], 0, __ATOMIC_RELAXED);
			*errs += (uint64_t)(b - r);
		}
		sent += (uint64_t)b;
		/* Behind the schedule (held up): catch up, but let a
		 * responder that shares this CPU run between batches. */
		if (gen_tick_us > 0 && b == GEN_BATCH)
			sched_yield();
	}
	gen_nsent = sent;
	return gen_now() - start;
}

/*
 * -H and -A proxy: nothing is sent at a rate; the receive thread answers
 * for SECONDS, and with -L -l the targets speak again every -l seconds
 * (their own traffic, which renews and establishes their entries).
 */
static void
gen_serve(int learn, uint32_t to4, const struct in6_addr *to6)
{
	uint64_t end = gen_now() + (uint64_t)(gen_secs * 1e9), errs = 0;
	uint64_t next = gen_now() + (uint64_t)(gen_relearn * 1e9);

	while (gen_now() < end) {
		usleep(10000);
		if (learn && gen_relearn > 0 && gen_now() >= next) {
			gen_send(gen_n, 1, to4, to6, &errs);
			next = gen_now() + (uint64_t)(gen_relearn * 1e9);
		}
	}
	gen_stop = 1;
	printf("served=%llu\n", (unsigned long long)gen_responded);
}

int
main(int argc, char **argv)
{
	const char *ifname = NULL, *src = NULL, *dst = NULL, *learn = NULL;
	uint32_t to4 = 0;
	struct in6_addr to6;
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	struct ifreq ifr;
	pthread_t th;
	uint64_t total, errs = 0, lerrs = 0, el;
	int c, one = 1, bufsz = 64 << 20;

	while ((c = getopt(argc, argv, "6Si:r:d:n:s:t:w:L:A:D:E:Hl:Tb:R:")) != -1) {
		switch (c) {
		case '6': gen_v6 = 1; break;
		case 'S': gen_senders = 1; break;
		case 'i': ifname = optarg; break;
		case 'r': gen_rate = atof(optarg); break;
		case 'd': gen_secs = atof(optarg); break;
		case 'n': gen_n = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 's': src = optarg; break;
		case 't': dst = optarg; break;
		case 'w': gen_wait = atof(optarg); break;
		case 'L': learn = optarg; break;
		case 'A': gen_attack = gen_attack_mode(optarg); break;
		case 'D': gen_mac_arg(optarg, gen_adst); break;
		case 'E': gen_mac_arg(optarg, gen_peer); gen_check = 1; break;
		case 'H': gen_hosts = 1; break;
		case 'l': gen_relearn = atof(optarg); break;
		case 'T': gen_timed = 1; break;
		case 'b': gen_tick_us = atof(optarg); break;
		case 'R': gen_read_us = atof(optarg); break;
		default: gen_usage();
		}
	}
	if (ifname == NULL || gen_rate <= 0 || gen_secs <= 0 || gen_n == 0)
		gen_usage();
	gen_addr(src ? src : gen_v6 ? "2001:db8:1::2" : "198.18.0.2",
	    &gen_src4, &gen_src6);
	gen_addr(dst ? dst : gen_v6 ? "2001:db8:2::" : "198.19.0.0",
	    &gen_dst4, &gen_dst6);
	if (learn)
		gen_addr(learn, &to4, &to6);
	/* Sleeps end on time, not up to the default 50 us of slack. */
	(void)prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
	gen_slot = calloc(gen_n, sizeof(*gen_slot));
	gen_wire.hist = calloc(GEN_HIST, sizeof(*gen_wire.hist));
	gen_read.hist = calloc(GEN_HIST, sizeof(*gen_read.hist));
	if (gen_slot == NULL || gen_wire.hist == NULL ||
	    gen_read.hist == NULL) {
		perror("parpd-gen: calloc");
		return 1;
	}
	gen_fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (gen_fd < 0) {
		perror("parpd-gen: socket");
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(gen_fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "parpd-gen: %s: %s\n", ifname,
		    strerror(errno));
		return 1;
	}
	memcpy(gen_mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (bind(gen_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("parpd-gen: bind");
		return 1;
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = sll.sll_ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	setsockopt(gen_fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	setsockopt(gen_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	setsockopt(gen_fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof(bufsz));
	setsockopt(gen_fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof(bufsz));
	struct timeval tv = { 0, 100000 };
	setsockopt(gen_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(gen_fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
	    sizeof(one)) < 0)
		perror("parpd-gen: SO_TIMESTAMPNS (latency to the read only)");

	if (learn) {
		/* Each target speaks once, so that `tell` learns it. */
		gen_send(gen_n, 1, to4, &to6, &lerrs);
		usleep(500000);
	}
	if (pthread_create(&th, NULL, gen_rx, NULL) != 0) {
		fprintf(stderr, "parpd-gen: pthread_create failed\n");
		return 1;
	}
	if (gen_hosts || gen_attack == GEN_A_PROXY) {
		gen_serve(learn != NULL, to4, &to6);
		pthread_join(th, NULL);
		return 0;
	}
	total = (uint64_t)(gen_rate * gen_secs);
	el = gen_send(total, 0, 0, NULL, &errs);
	if (gen_attack != GEN_A_NONE || gen_timed)
		total = gen_nsent;	/* stopped at SECONDS */
	usleep((useconds_t)(gen_wait * 1e6));
	gen_stop = 1;
	pthread_join(th, NULL);
	/* p50/p99/max: to the kernel's receive stamp; rp*: to the read. */
	printf("sent=%llu senderr=%llu answered=%llu share=%.4f "
	    "rate=%.0f p50_us=%llu p99_us=%llu max_us=%llu "
	    "rp50_us=%llu rp99_us=%llu rmax_us=%llu late=%llu "
	    "unstamped=%llu\n",
	    (unsigned long long)(total - errs), (unsigned long long)errs,
	    (unsigned long long)gen_answered,
	    total ? (double)gen_answered / (double)total : 0.0,
	    (double)(total - errs) / ((double)el / 1e9),
	    (unsigned long long)gen_pct(&gen_wire, 0.50),
	    (unsigned long long)gen_pct(&gen_wire, 0.99),
	    (unsigned long long)gen_wire.max,
	    (unsigned long long)gen_pct(&gen_read, 0.50),
	    (unsigned long long)gen_pct(&gen_read, 0.99),
	    (unsigned long long)gen_read.max,
	    (unsigned long long)gen_late, (unsigned long long)gen_unstamped);
	if (gen_check)
		printf("checked=%llu wrong=%llu\n",
		    (unsigned long long)gen_checked,
		    (unsigned long long)gen_wrong);
	return 0;
}
