/*
 * Test helpers: raw Ethernet frames built byte by byte, independently of
 * src/codec.c, so that tests never check the encoder against itself.
 * Self-contained (static inline functions and macros only); any test may
 * include it.
 *
 * Addresses are plain byte arrays; FRAMES_BYTES() makes one in place:
 *	frames_arp(f, FRAMES_BCAST, mac, 1, mac, FRAMES_BYTES(192, 0, 2, 1),
 *	    NULL, FRAMES_BYTES(192, 0, 2, 2), 60);
 */
#ifndef PARPD_TESTS_FRAMES_H
#define PARPD_TESTS_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A compound literal of bytes: FRAMES_BYTES(0x02, 0, 0, 0, 0, 1). */
#define FRAMES_BYTES(...) ((const uint8_t[]){ __VA_ARGS__ })
#define FRAMES_BCAST FRAMES_BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)

/* Room for any frame the helpers build. */
#define FRAMES_BUFSIZE 1600

/* Offsets of the layers and of some fields inside a frame. */
#define FRAMES_OFF_ETHERTYPE 12
#define FRAMES_OFF_L3 14
#define FRAMES_OFF_ARP_OP (FRAMES_OFF_L3 + 6)
#define FRAMES_OFF_ARP_SHA (FRAMES_OFF_L3 + 8)
#define FRAMES_OFF_IP6_PLEN (FRAMES_OFF_L3 + 4)
#define FRAMES_OFF_IP6_NEXT (FRAMES_OFF_L3 + 6)
#define FRAMES_OFF_IP6_HLIM (FRAMES_OFF_L3 + 7)
#define FRAMES_OFF_IP6_SRC (FRAMES_OFF_L3 + 8)
#define FRAMES_OFF_IP6_DST (FRAMES_OFF_L3 + 24)
#define FRAMES_OFF_ICMP (FRAMES_OFF_L3 + 40)
#define FRAMES_OFF_ICMP_CKSUM (FRAMES_OFF_ICMP + 2)
#define FRAMES_OFF_ND_FLAGS (FRAMES_OFF_ICMP + 4)
#define FRAMES_OFF_ND_TARGET (FRAMES_OFF_ICMP + 8)
#define FRAMES_OFF_ND_OPTS (FRAMES_OFF_ICMP + 24)

#define FRAMES_ND_NS 135
#define FRAMES_ND_NA 136
#define FRAMES_OPT_SLLA 1
#define FRAMES_OPT_TLLA 2

static inline void
frames_be16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)((v >> 8) & 0xff);
	p[1] = (uint8_t)(v & 0xff);
}

static inline unsigned
frames_get16(const uint8_t *p)
{
	return (unsigned)p[0] * 256u + p[1];
}

/* Ethernet II header; returns 14. */
static inline size_t
frames_ether(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    unsigned type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	frames_be16(f + 12, type);
	return 14;
}

/*
 * Ethernet/IPv4 ARP (RFC 826): 42 bytes, then zeros up to pad_to when
 * pad_to is larger.  NULL tha means zero.  Returns the frame length.
 */
static inline size_t
frames_arp(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    unsigned op, const uint8_t sha[6], const uint8_t spa[4],
    const uint8_t *tha, const uint8_t tpa[4], size_t pad_to)
{
	uint8_t *a = f + frames_ether(f, dst, src, 0x0806);
	size_t len = 42;

	frames_be16(a, 1); /* hardware: Ethernet */
	frames_be16(a + 2, 0x0800); /* protocol: IPv4 */
	a[4] = 6;
	a[5] = 4;
	frames_be16(a + 6, op);
	memcpy(a + 8, sha, 6);
	memcpy(a + 14, spa, 4);
	if (tha != NULL)
		memcpy(a + 18, tha, 6);
	else
		memset(a + 18, 0, 6);
	memcpy(a + 24, tpa, 4);
	if (pad_to > len) {
		memset(f + len, 0, pad_to - len);
		len = pad_to;
	}
	return len;
}

/*
 * ICMPv6 checksum, written differently from the codec on purpose: the
 * pseudo-header (RFC 8200 8.1) is laid out in a scratch buffer in front
 * of a copy of the message (checksum field zeroed), then summed with a
 * 64-bit accumulator and folded until it fits (RFC 1071).
 */
static inline uint16_t
frames_icmp6_cksum(const uint8_t src[16], const uint8_t dst[16],
    const uint8_t *msg, size_t len)
{
	uint8_t tmp[40 + FRAMES_BUFSIZE + 1];
	uint64_t sum = 0;
	size_t i, n;

	if (len > FRAMES_BUFSIZE)
		return 0;
	memset(tmp, 0, sizeof(tmp));
	memcpy(tmp, src, 16);
	memcpy(tmp + 16, dst, 16);
	tmp[32] = (uint8_t)(len >> 24);
	tmp[33] = (uint8_t)(len >> 16);
	tmp[34] = (uint8_t)(len >> 8);
	tmp[35] = (uint8_t)len;
	tmp[39] = 58; /* next header: ICMPv6 */
	memcpy(tmp + 40, msg, len);
	if (len >= 4)
		tmp[42] = tmp[43] = 0;
	n = 40 + len + (len & 1); /* the pad byte is already zero */
	for (i = 0; i < n; i += 2)
		sum += frames_get16(tmp + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Recomputes the checksum of the ND frame f from its payload length. */
static inline void
frames_nd_fix_cksum(uint8_t *f)
{
	size_t plen = frames_get16(f + FRAMES_OFF_IP6_PLEN);

	frames_be16(f + FRAMES_OFF_ICMP_CKSUM, frames_icmp6_cksum(
	    f + FRAMES_OFF_IP6_SRC, f + FRAMES_OFF_IP6_DST,
	    f + FRAMES_OFF_ICMP, plen));
}

/* A link-layer address option of one unit (RFC 4861 4.6.1); returns 8. */
static inline size_t
frames_opt_lla(uint8_t *o, unsigned type, const uint8_t mac[6])
{
	o[0] = (uint8_t)type;
	o[1] = 1;
	memcpy(o + 2, mac, 6);
	return 8;
}

/*
 * IPv6 ICMPv6 frame with the NS/NA layout (RFC 4861 4.3, 4.4): type,
 * code, checksum, first byte of the reserved word = flags, 16-byte
 * target, then optlen raw bytes of options.  Hop limit hlim, payload
 * length 24 + optlen, checksum computed.  Returns the frame length.
 */
static inline size_t
frames_nd(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
    const uint8_t ip_src[16], const uint8_t ip_dst[16], unsigned hlim,
    unsigned type, unsigned code, unsigned flags, const uint8_t target[16],
    const uint8_t *opts, size_t optlen)
{
	uint8_t *ip6 = f + frames_ether(f, dst, src, 0x86dd);
	uint8_t *icmp = ip6 + 40;

	ip6[0] = 0x60;
	ip6[1] = ip6[2] = ip6[3] = 0;
	frames_be16(ip6 + 4, (unsigned)(24 + optlen));
	ip6[6] = 58;
	ip6[7] = (uint8_t)hlim;
	memcpy(ip6 + 8, ip_src, 16);
	memcpy(ip6 + 24, ip_dst, 16);
	icmp[0] = (uint8_t)type;
	icmp[1] = (uint8_t)code;
	icmp[2] = icmp[3] = 0;
	icmp[4] = (uint8_t)flags;
	icmp[5] = icmp[6] = icmp[7] = 0;
	memcpy(icmp + 8, target, 16);
	if (optlen > 0)
		memcpy(icmp + 24, opts, optlen);
	frames_nd_fix_cksum(f);
	return 14 + 40 + 24 + optlen;
}

#endif
