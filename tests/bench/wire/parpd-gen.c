/*
 * parpd-gen: a load generator for the wire benchmark (tests/bench/wire).
 *
 * Sends ARP requests or IPv6 Neighbor Solicitations on a raw AF_PACKET
 * socket at a paced rate (token bucket against CLOCK_MONOTONIC, batches
 * of sendmmsg), for many distinct targets or from many distinct invented
 * senders, and matches each answer to its request on a receive thread:
 * the key that survives in the answer is the target (ARP sender protocol
 * address, NA target) or the requester (ARP target protocol address, IPv6
 * destination).  Latencies go into a 1 us histogram.  See README.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sendmmsg, recvmmsg */
#endif
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
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
static uint64_t	*gen_slot;		/* send time of the outstanding key */
static uint32_t	*gen_hist;
static uint64_t	 gen_over, gen_max, gen_answered, gen_late;
static volatile int gen_stop;
static int	 gen_fd;

static uint64_t
gen_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
gen_usage(void)
{
	fprintf(stderr,
	    "usage: parpd-gen -i IFACE [-6] [-S] [-r RATE] [-d SECONDS]\n"
	    "       [-n COUNT] [-s SRC] [-t DST] [-w WAIT] [-L TO]\n");
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
	/* RFC 4443 2.3: pseudo-header of addresses, length and next header */
	uint32_t sum = 32 + 58;
	size_t i;
	for (i = 8; i < 40; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	uint16_t c = htons(gen_csum(ic, 32, sum));
	memcpy(ic + 2, &c, 2);
	return GEN_FRAME;
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
		n = recvmmsg(gen_fd, mm, GEN_BATCH, MSG_WAITFORONE, NULL);
		if (n <= 0)
			continue;
		uint64_t now = gen_now();
		for (i = 0; i < n; i++) {
			int64_t k = gen_key(buf[i], mm[i].msg_len);
			if (k < 0)
				continue;
			uint64_t t = __atomic_exchange_n(&gen_slot[k], 0,
			    __ATOMIC_RELAXED);
			if (t == 0) {
				gen_late++;
				continue;
			}
			uint64_t us = (now - t) / 1000;
			gen_answered++;
			if (us > gen_max)
				gen_max = us;
			if (us < GEN_HIST)
				gen_hist[us]++;
			else
				gen_over++;
		}
	}
	return NULL;
}

static uint64_t
gen_pct(double p)
{
	uint64_t want = (uint64_t)(p * (double)gen_answered), c = 0;
	uint32_t i;

	if (want >= gen_answered && gen_answered > 0)
		want = gen_answered - 1;
	for (i = 0; i < GEN_HIST; i++) {
		c += gen_hist[i];
		if (c > want)
			return i;
	}
	return gen_max;
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

/* Send frames for keys 0..total-1 (mod n) at gen_rate, paced. */
static uint64_t
gen_send(uint64_t total, int learn, uint32_t to4, const struct in6_addr *to6,
    uint64_t *errs)
{
	static uint8_t fr[GEN_BATCH][GEN_FRAME];
	struct mmsghdr mm[GEN_BATCH];
	struct iovec iov[GEN_BATCH];
	uint64_t start = gen_now(), sent = 0, now, due;
	int i, b, r;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < GEN_BATCH; i++) {
		iov[i].iov_base = fr[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	while (sent < total) {
		now = gen_now();
		due = (uint64_t)((double)(now - start) * gen_rate / 1e9);
		if (due > total)
			due = total;
		if (due <= sent) {
			uint64_t next = start +
			    (uint64_t)((double)(sent + 1) * 1e9 / gen_rate);
			if (next > now + 60000) {
				struct timespec ts = { 0, (long)(next - now -
				    50000) };
				nanosleep(&ts, NULL);
			}
			continue;
		}
		b = due - sent > GEN_BATCH ? GEN_BATCH : (int)(due - sent);
		for (i = 0; i < b; i++)
			iov[i].iov_len = gen_build(fr[i],
			    (uint32_t)((sent + i) % gen_n), learn, to4, to6);
		now = gen_now();
		if (!learn)
			for (i = 0; i < b; i++)
				__atomic_store_n(&gen_slot[(sent + i) % gen_n],
				    now, __ATOMIC_RELAXED);
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
				if (!learn)
					__atomic_store_n(&gen_slot[(sent + i) %
					    gen_n], 0, __ATOMIC_RELAXED);
			*errs += (uint64_t)(b - r);
		}
		sent += (uint64_t)b;
	}
	return gen_now() - start;
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

	while ((c = getopt(argc, argv, "6Si:r:d:n:s:t:w:L:")) != -1) {
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
	gen_slot = calloc(gen_n, sizeof(*gen_slot));
	gen_hist = calloc(GEN_HIST, sizeof(*gen_hist));
	if (gen_slot == NULL || gen_hist == NULL) {
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

	if (learn) {
		/* Each target speaks once, so that `tell` learns it. */
		gen_send(gen_n, 1, to4, &to6, &lerrs);
		usleep(500000);
	}
	if (pthread_create(&th, NULL, gen_rx, NULL) != 0) {
		fprintf(stderr, "parpd-gen: pthread_create failed\n");
		return 1;
	}
	total = (uint64_t)(gen_rate * gen_secs);
	el = gen_send(total, 0, 0, NULL, &errs);
	usleep((useconds_t)(gen_wait * 1e6));
	gen_stop = 1;
	pthread_join(th, NULL);
	printf("sent=%llu senderr=%llu answered=%llu share=%.4f "
	    "rate=%.0f p50_us=%llu p99_us=%llu max_us=%llu late=%llu\n",
	    (unsigned long long)(total - errs), (unsigned long long)errs,
	    (unsigned long long)gen_answered,
	    total ? (double)gen_answered / (double)total : 0.0,
	    (double)(total - errs) / ((double)el / 1e9),
	    (unsigned long long)gen_pct(0.50),
	    (unsigned long long)gen_pct(0.99), (unsigned long long)gen_max,
	    (unsigned long long)gen_late);
	return 0;
}
