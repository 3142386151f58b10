/*
 * Codec tests: frames built byte by byte by tests/frames.h (never by the
 * encoder), one hard-coded frame whose checksum was verified with tshark,
 * every drop reason, every truncation length, round trips through every
 * encoder, single-bit corruption and option edge cases.
 *
 * Every decode goes through decode_exact(), which copies the frame into a
 * heap block of exactly len bytes: AddressSanitizer then reports any read
 * past the end.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codec.h"
#include "frames.h"

#define assert_verdict(got, want) \
	assert_string_equal(codec_verdict_name(got), codec_verdict_name(want))

static const uint8_t MAC_A[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };
static const uint8_t MAC_B[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02 };
static const uint8_t MAC_IF[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t MAC_ZERO[6];
static const uint8_t MAC_SNODE_B[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x02 };
static const uint8_t MAC_ALLNODES[6] = { 0x33, 0x33, 0, 0, 0, 0x01 };

static const uint8_t IP4_A[4] = { 192, 0, 2, 1 };
static const uint8_t IP4_B[4] = { 192, 0, 2, 2 };
static const uint8_t IP4_ZERO[4];

static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0x02 };
static const uint8_t IP6_LL[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
	0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x53, 0x01 };
static const uint8_t IP6_UNSPEC[16];
static const uint8_t IP6_ALLNODES[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t IP6_SNODE_B[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0x01, 0xff, 0x00, 0x00, 0x02 };

/*
 * A Neighbor Solicitation as a host sends it: 2001:db8::1 (MAC
 * 00:00:5e:00:53:01) asks for 2001:db8::2 at its solicited-node group.
 * Checksum 0x6d26 computed with python3 struct and confirmed by
 * `tshark -V` ("Checksum: 0x6d26 [correct]").
 */
static const uint8_t NS_CAPTURED[86] = {
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01,
	0x86, 0xdd,
	0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x3a, 0xff,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02,
	0x87, 0x00, 0x6d, 0x26, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x01, 0x01, 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01,
};

static enum codec_verdict
decode_exact(const uint8_t *f, size_t len, struct codec_msg *m)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);
	enum codec_verdict v;

	assert_non_null(copy);
	memcpy(copy, f, len);
	/* len 0: hand over a pointer to nothing readable. */
	v = codec_decode(len > 0 ? copy : copy + 1, len, m);
	free(copy);
	return v;
}

static void
expect(const uint8_t *f, size_t len, enum codec_verdict want)
{
	struct codec_msg m;

	assert_verdict(decode_exact(f, len, &m), want);
}

static struct addr_ip
ip4(const uint8_t b[4])
{
	struct addr_ip a;

	addr_ip_set4(&a, b);
	return a;
}

static struct addr_ip
ip6(const uint8_t b[16])
{
	struct addr_ip a;

	memset(&a, 0, sizeof(a));
	addr_ip_set6(&a, b);
	return a;
}

static struct addr_mac
mac(const uint8_t b[6])
{
	struct addr_mac m;

	memcpy(m.b, b, 6);
	return m;
}

static void
assert_ip(const struct addr_ip *got, uint8_t family, const uint8_t *b)
{
	assert_int_equal(got->family, family);
	assert_memory_equal(got->b, b, family == ADDR_V4 ? 4 : 16);
}

/* The standard frames, each built by frames.h. */

static size_t
arp_request(uint8_t *f)
{
	return frames_arp(f, FRAMES_BCAST, MAC_A, 1, MAC_A, IP4_A, NULL,
	    IP4_B, 60);
}

static size_t
arp_reply(uint8_t *f)
{
	return frames_arp(f, MAC_A, MAC_IF, 2, MAC_B, IP4_B, MAC_A, IP4_A,
	    60);
}

static size_t
ns_frame(uint8_t *f)
{
	uint8_t opt[8];

	frames_opt_lla(opt, FRAMES_OPT_SLLA, MAC_A);
	return frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, opt, sizeof(opt));
}

static size_t
ns_dad_frame(uint8_t *f)
{
	return frames_nd(f, MAC_SNODE_B, MAC_A, IP6_UNSPEC, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, NULL, 0);
}

static size_t
na_frame(uint8_t *f)
{
	uint8_t opt[8];

	frames_opt_lla(opt, FRAMES_OPT_TLLA, MAC_B);
	return frames_nd(f, MAC_A, MAC_B, IP6_B, IP6_A, 255, FRAMES_ND_NA, 0,
	    CODEC_NA_SOLICITED | CODEC_NA_OVERRIDE, IP6_B, opt, sizeof(opt));
}

/* NS with options given as raw bytes; checksum computed. */
static size_t
ns_with_opts(uint8_t *f, const uint8_t *src, const uint8_t *opts,
    size_t optlen)
{
	return frames_nd(f, MAC_SNODE_B, MAC_A, src, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, opts, optlen);
}

static size_t
na_with_opts(uint8_t *f, const uint8_t *opts, size_t optlen)
{
	return frames_nd(f, MAC_A, MAC_B, IP6_B, IP6_A, 255, FRAMES_ND_NA, 0,
	    CODEC_NA_SOLICITED, IP6_B, opts, optlen);
}

/* ---- known-good frames ---- */

static void
test_arp_request(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t len = arp_request(f);

	(void)state;
	assert_int_equal(len, 60);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ARP_REQUEST);
	assert_memory_equal(m.eth_dst.b, FRAMES_BCAST, 6);
	assert_memory_equal(m.eth_src.b, MAC_A, 6);
	assert_ip(&m.sender_ip, ADDR_V4, IP4_A);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);
	assert_int_equal(m.has_lladdr, 1);
	assert_ip(&m.target_ip, ADDR_V4, IP4_B);
	assert_memory_equal(m.target_mac.b, MAC_ZERO, 6);
	assert_int_equal(m.ip_src.family, 0);
	assert_int_equal(m.ip_dst.family, 0);
	assert_int_equal(m.na_flags, 0);

	/* Unpadded (42) and longer than the minimum (64): both fine. */
	assert_verdict(decode_exact(f, 42, &m), CODEC_OK);
	memset(f + 60, 0xa5, 4);
	assert_verdict(decode_exact(f, 64, &m), CODEC_OK);
	assert_ip(&m.target_ip, ADDR_V4, IP4_B);
}

static void
test_arp_reply(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t len = arp_reply(f);

	(void)state;
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ARP_REPLY);
	assert_memory_equal(m.eth_dst.b, MAC_A, 6);
	assert_memory_equal(m.eth_src.b, MAC_IF, 6);
	assert_ip(&m.sender_ip, ADDR_V4, IP4_B);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);
	assert_ip(&m.target_ip, ADDR_V4, IP4_A);
	assert_memory_equal(m.target_mac.b, MAC_A, 6);

	/* A probe (RFC 5227): sender 0.0.0.0 decodes; the core decides. */
	len = frames_arp(f, FRAMES_BCAST, MAC_A, 1, MAC_A, IP4_ZERO, NULL,
	    IP4_B, 60);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_ip(&m.sender_ip, ADDR_V4, IP4_ZERO);
}

static void
test_ns_captured(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;

	(void)state;
	/* The helper's independent checksum agrees with tshark. */
	assert_int_equal(frames_icmp6_cksum(IP6_A, IP6_SNODE_B,
	    NS_CAPTURED + FRAMES_OFF_ICMP, 32), 0x6d26);
	/* And frames.h builds the same bytes. */
	assert_int_equal(ns_frame(f), sizeof(NS_CAPTURED));
	assert_memory_equal(f, NS_CAPTURED, sizeof(NS_CAPTURED));

	assert_verdict(decode_exact(NS_CAPTURED, sizeof(NS_CAPTURED), &m),
	    CODEC_OK);
	assert_int_equal(m.kind, CODEC_ND_NS);
	assert_memory_equal(m.eth_dst.b, MAC_SNODE_B, 6);
	assert_memory_equal(m.eth_src.b, MAC_A, 6);
	assert_ip(&m.sender_ip, ADDR_V6, IP6_A);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);
	assert_int_equal(m.has_lladdr, 1);
	assert_ip(&m.target_ip, ADDR_V6, IP6_B);
	assert_memory_equal(m.target_mac.b, MAC_ZERO, 6);
	assert_ip(&m.ip_src, ADDR_V6, IP6_A);
	assert_ip(&m.ip_dst, ADDR_V6, IP6_SNODE_B);
	assert_int_equal(m.na_flags, 0);
}

static void
test_ns_dad(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t len = ns_dad_frame(f);

	(void)state;
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ND_NS);
	assert_ip(&m.sender_ip, ADDR_V6, IP6_UNSPEC);
	assert_int_equal(m.has_lladdr, 0);
	assert_memory_equal(m.sender_mac.b, MAC_ZERO, 6);
	assert_ip(&m.target_ip, ADDR_V6, IP6_B);
	assert_ip(&m.ip_dst, ADDR_V6, IP6_SNODE_B);
}

static void
test_na(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t len = na_frame(f);

	(void)state;
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ND_NA);
	assert_memory_equal(m.eth_dst.b, MAC_A, 6);
	assert_memory_equal(m.eth_src.b, MAC_B, 6);
	assert_ip(&m.sender_ip, ADDR_V6, IP6_B);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);
	assert_int_equal(m.has_lladdr, 1);
	assert_ip(&m.target_ip, ADDR_V6, IP6_B);
	assert_ip(&m.ip_src, ADDR_V6, IP6_B);
	assert_ip(&m.ip_dst, ADDR_V6, IP6_A);
	assert_int_equal(m.na_flags, CODEC_NA_SOLICITED | CODEC_NA_OVERRIDE);

	/* Reserved bits are not flags. */
	f[FRAMES_OFF_ND_FLAGS] = 0xff;
	f[FRAMES_OFF_ND_FLAGS + 3] = 0xff;
	frames_nd_fix_cksum(f);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.na_flags,
	    CODEC_NA_ROUTER | CODEC_NA_SOLICITED | CODEC_NA_OVERRIDE);

	/* Unsolicited NA to all-nodes (an announcement) is fine. */
	len = frames_nd(f, MAC_ALLNODES, MAC_B, IP6_B, IP6_ALLNODES, 255,
	    FRAMES_ND_NA, 0, CODEC_NA_OVERRIDE, IP6_B, NULL, 0);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
	assert_int_equal(m.na_flags, CODEC_NA_OVERRIDE);
}

/* Traffic class, flow label and trailing bytes do not matter. */
static void
test_ip6_tolerated(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t len = ns_frame(f);

	(void)state;
	f[FRAMES_OFF_L3] = 0x6f;
	f[FRAMES_OFF_L3 + 1] = 0xff;
	f[FRAMES_OFF_L3 + 3] = 0x42;
	memset(f + len, 0xee, 10);
	assert_verdict(decode_exact(f, len + 10, &m), CODEC_OK);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);
}

/* ---- every drop reason ---- */

/*
 * IEEE 802.1Q 9.6: a tag with VLAN id 0 only carries a priority; the
 * frame is the untagged one.  Another VLAN id is another VLAN's frame.
 */
static size_t
tag(uint8_t *f, size_t len, uint16_t tci)
{
	memmove(f + 16, f + 12, len - 12);
	frames_be16(f + 12, 0x8100);
	frames_be16(f + 14, tci);
	return len + 4;
}

static void
test_priority_tagged(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m, plain;
	size_t len;

	(void)state;
	len = arp_request(f);
	assert_verdict(decode_exact(f, len, &plain), CODEC_OK);
	len = tag(f, len, 0xa000); /* PCP 5, VID 0 */
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_memory_equal(&m, &plain, sizeof(m));
	len = ns_frame(f);
	assert_verdict(decode_exact(f, len, &plain), CODEC_OK);
	len = tag(f, len, 0xa000);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ND_NS);
	assert_memory_equal(&m, &plain, sizeof(m));
	/* VID 5: not ours. */
	len = tag(f, ns_frame(f), 0xa005);
	expect(f, len, CODEC_DROP_ETHERTYPE);
	/* VID 0 and no room for the inner ethertype. */
	frames_be16(f + 14, 0);
	expect(f, 17, CODEC_DROP_ETHERTYPE);
}

static void
test_drop_ether(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t len = arp_request(f);

	(void)state;
	expect(f, 13, CODEC_DROP_SHORT_ETHER);
	frames_be16(f + FRAMES_OFF_ETHERTYPE, 0x8100); /* 802.1Q */
	expect(f, len, CODEC_DROP_ETHERTYPE);
	frames_be16(f + FRAMES_OFF_ETHERTYPE, 0x0800);
	expect(f, len, CODEC_DROP_ETHERTYPE);
	expect(f, 14, CODEC_DROP_ETHERTYPE);

	len = arp_request(f);
	f[6] |= 1; /* group bit in the Ethernet source */
	expect(f, len, CODEC_DROP_ETHER_SRC);
	memset(f + 6, 0, 6);
	expect(f, len, CODEC_DROP_ETHER_SRC);
	len = ns_frame(f);
	memset(f + 6, 0xff, 6);
	expect(f, len, CODEC_DROP_ETHER_SRC);
}

static void
test_drop_arp(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t len = arp_request(f);

	(void)state;
	expect(f, 41, CODEC_DROP_ARP_SHORT);

	frames_be16(f + FRAMES_OFF_L3, 6); /* IEEE 802 */
	expect(f, len, CODEC_DROP_ARP_HTYPE);
	len = arp_request(f);
	frames_be16(f + FRAMES_OFF_L3 + 2, 0x86dd);
	expect(f, len, CODEC_DROP_ARP_PTYPE);
	len = arp_request(f);
	f[FRAMES_OFF_L3 + 4] = 8;
	expect(f, len, CODEC_DROP_ARP_LENGTHS);
	len = arp_request(f);
	f[FRAMES_OFF_L3 + 5] = 16;
	expect(f, len, CODEC_DROP_ARP_LENGTHS);

	len = arp_request(f);
	frames_be16(f + FRAMES_OFF_ARP_OP, 0);
	expect(f, len, CODEC_DROP_ARP_OPCODE);
	frames_be16(f + FRAMES_OFF_ARP_OP, 3); /* RARP */
	expect(f, len, CODEC_DROP_ARP_OPCODE);
	frames_be16(f + FRAMES_OFF_ARP_OP, 8); /* InARP */
	expect(f, len, CODEC_DROP_ARP_OPCODE);
	frames_be16(f + FRAMES_OFF_ARP_OP, 0x0101);
	expect(f, len, CODEC_DROP_ARP_OPCODE);

	len = frames_arp(f, FRAMES_BCAST, MAC_A, 1, FRAMES_BCAST, IP4_A,
	    NULL, IP4_B, 60);
	expect(f, len, CODEC_DROP_ARP_SENDER);
	len = frames_arp(f, FRAMES_BCAST, MAC_A, 2, MAC_ZERO, IP4_A, NULL,
	    IP4_B, 60);
	expect(f, len, CODEC_DROP_ARP_SENDER);
	len = frames_arp(f, FRAMES_BCAST, MAC_A, 2, MAC_SNODE_B, IP4_A, NULL,
	    IP4_B, 60);
	expect(f, len, CODEC_DROP_ARP_SENDER);
}

static void
test_drop_ip6(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t len = ns_frame(f);

	(void)state;
	expect(f, 53, CODEC_DROP_IP6_SHORT);
	f[FRAMES_OFF_L3] = 0x40;
	expect(f, len, CODEC_DROP_IP6_VERSION);

	len = ns_frame(f);
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 33);
	expect(f, len, CODEC_DROP_IP6_LENGTH);
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 0xffff);
	expect(f, len, CODEC_DROP_IP6_LENGTH);

	len = ns_frame(f);
	f[FRAMES_OFF_IP6_NEXT] = 0; /* hop-by-hop options */
	expect(f, len, CODEC_DROP_IP6_NEXT);
	f[FRAMES_OFF_IP6_NEXT] = 17;
	expect(f, len, CODEC_DROP_IP6_NEXT);

	len = ns_frame(f);
	f[FRAMES_OFF_IP6_SRC] = 0xff;
	frames_nd_fix_cksum(f);
	expect(f, len, CODEC_DROP_ND_SRC_MCAST);
}

static void
test_drop_icmp6(void **state)
{
	static const uint8_t types[] = { 0, 1, 128, 129, 133, 134, 137, 143,
		255 };
	uint8_t f[FRAMES_BUFSIZE];
	size_t len, i;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		len = frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 255,
		    types[i], 0, 0, IP6_B, NULL, 0);
		expect(f, len, CODEC_DROP_ICMP6_TYPE);
	}
	/* An 8-byte echo request is not an ND message, not a short one. */
	len = ns_frame(f);
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 8);
	f[FRAMES_OFF_ICMP] = 128;
	frames_nd_fix_cksum(f);
	expect(f, len, CODEC_DROP_ICMP6_TYPE);

	/* Payload length 0: no ICMPv6 header at all. */
	len = ns_frame(f);
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 0);
	expect(f, len, CODEC_DROP_ND_SHORT);
	expect(f, FRAMES_OFF_ICMP, CODEC_DROP_ND_SHORT);
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 23);
	frames_nd_fix_cksum(f);
	expect(f, len, CODEC_DROP_ND_SHORT);
	f[FRAMES_OFF_ICMP] = FRAMES_ND_NA;
	frames_nd_fix_cksum(f);
	expect(f, len, CODEC_DROP_ND_SHORT);

	len = frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 254,
	    FRAMES_ND_NS, 0, 0, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_HOPLIMIT);
	len = frames_nd(f, MAC_A, MAC_B, IP6_B, IP6_A, 64, FRAMES_ND_NA, 0, 0,
	    IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_HOPLIMIT);
	len = frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 1, 0, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_CODE);
	len = frames_nd(f, MAC_A, MAC_B, IP6_B, IP6_A, 255, FRAMES_ND_NA, 255,
	    0, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_CODE);

	len = ns_frame(f);
	f[FRAMES_OFF_ICMP_CKSUM + 1] ^= 1;
	expect(f, len, CODEC_DROP_ND_CHECKSUM);
	/* Checksum field zero is not "no checksum" in ICMPv6. */
	frames_be16(f + FRAMES_OFF_ICMP_CKSUM, 0);
	expect(f, len, CODEC_DROP_ND_CHECKSUM);
}

static void
test_drop_nd(void **state)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8];
	size_t len;

	(void)state;
	/* Target multicast or unspecified, NS and NA. */
	len = frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_ALLNODES, NULL, 0);
	expect(f, len, CODEC_DROP_ND_TARGET);
	len = frames_nd(f, MAC_SNODE_B, MAC_A, IP6_A, IP6_SNODE_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_UNSPEC, NULL, 0);
	expect(f, len, CODEC_DROP_ND_TARGET);
	len = frames_nd(f, MAC_A, MAC_B, IP6_B, IP6_A, 255, FRAMES_ND_NA, 0,
	    0, IP6_SNODE_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_TARGET);

	/* Link-layer option with a group or zero address. */
	frames_opt_lla(opt, FRAMES_OPT_SLLA, MAC_SNODE_B);
	len = ns_with_opts(f, IP6_A, opt, sizeof(opt));
	expect(f, len, CODEC_DROP_ND_LLADDR);
	frames_opt_lla(opt, FRAMES_OPT_TLLA, MAC_ZERO);
	len = na_with_opts(f, opt, sizeof(opt));
	expect(f, len, CODEC_DROP_ND_LLADDR);

	/* RFC 4861 7.1.1: DAD with a source link-layer option. */
	frames_opt_lla(opt, FRAMES_OPT_SLLA, MAC_A);
	len = ns_with_opts(f, IP6_UNSPEC, opt, sizeof(opt));
	expect(f, len, CODEC_DROP_ND_DAD_LLADDR);
	/* ... not to a solicited-node group. */
	len = frames_nd(f, MAC_B, MAC_A, IP6_UNSPEC, IP6_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_DAD_DST);
	len = frames_nd(f, MAC_ALLNODES, MAC_A, IP6_UNSPEC, IP6_ALLNODES, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_DAD_DST);

	/* RFC 4861 7.1.2: multicast NA with S set. */
	len = frames_nd(f, MAC_ALLNODES, MAC_B, IP6_B, IP6_ALLNODES, 255,
	    FRAMES_ND_NA, 0, CODEC_NA_SOLICITED, IP6_B, NULL, 0);
	expect(f, len, CODEC_DROP_ND_NA_SOLICITED_MCAST);
	/* NS to a multicast group is normal; S only matters for NA. */
	len = frames_nd(f, MAC_ALLNODES, MAC_B, IP6_A, IP6_ALLNODES, 255,
	    FRAMES_ND_NS, 0, CODEC_NA_SOLICITED, IP6_B, NULL, 0);
	expect(f, len, CODEC_OK);
}

/* *out is left alone unless the frame decodes. */
static void
test_out_untouched(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m, ref;
	size_t len = ns_frame(f);

	(void)state;
	memset(&m, 0xa5, sizeof(m));
	memcpy(&ref, &m, sizeof(m));
	f[FRAMES_OFF_ICMP_CKSUM] ^= 0x10;
	assert_verdict(decode_exact(f, len, &m), CODEC_DROP_ND_CHECKSUM);
	assert_memory_equal(&m, &ref, sizeof(m));
	len = arp_request(f);
	assert_verdict(decode_exact(f, 30, &m), CODEC_DROP_ARP_SHORT);
	assert_memory_equal(&m, &ref, sizeof(m));
}

static void
test_verdict_names(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(codec_verdict_name(CODEC_OK), "ok");
	assert_string_equal(codec_verdict_name(CODEC_DROP_ARP_SHORT),
	    "arp_short");
	assert_string_equal(codec_verdict_name(CODEC_DROP_ND_CHECKSUM),
	    "nd_checksum");
	assert_string_equal(codec_verdict_name(CODEC_VERDICT_COUNT),
	    "invalid");
	assert_string_equal(codec_verdict_name((enum codec_verdict)-1),
	    "invalid");
	for (i = 0; i < CODEC_VERDICT_COUNT; i++) {
		const char *n = codec_verdict_name((enum codec_verdict)i), *p;

		assert_string_not_equal(n, "invalid");
		assert_true(strlen(n) > 0 && strlen(n) < 32);
		for (p = n; *p != '\0'; p++)
			assert_true((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '_');
		for (j = 0; j < i; j++)
			assert_string_not_equal(n,
			    codec_verdict_name((enum codec_verdict)j));
	}
}

/* ---- every truncation length ---- */

static void
truncate_all(const uint8_t *f, size_t full, size_t min_ok,
    enum codec_verdict l3_short, enum codec_verdict l3_cut, size_t l3_len)
{
	struct codec_msg m;
	size_t len;

	for (len = 0; len < full; len++) {
		enum codec_verdict want;

		if (len < 14)
			want = CODEC_DROP_SHORT_ETHER;
		else if (len < 14 + l3_len)
			want = l3_short;
		else if (len < min_ok)
			want = l3_cut;
		else
			want = CODEC_OK;
		if (decode_exact(f, len, &m) != want)
			fail_msg("length %zu of %zu: %s, expected %s", len,
			    full, codec_verdict_name(decode_exact(f, len, &m)),
			    codec_verdict_name(want));
	}
}

static void
test_truncation(void **state)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8];
	size_t len;

	(void)state;
	/* ARP: the 42 bytes of Ethernet + ARP are needed, padding is not. */
	len = arp_request(f);
	truncate_all(f, len, 42, CODEC_DROP_ARP_SHORT, CODEC_DROP_ARP_SHORT,
	    28);
	len = arp_reply(f);
	truncate_all(f, len, 42, CODEC_DROP_ARP_SHORT, CODEC_DROP_ARP_SHORT,
	    28);
	/* IPv6: the payload length stays, so any cut is ip6_length. */
	len = ns_frame(f);
	truncate_all(f, len, len, CODEC_DROP_IP6_SHORT, CODEC_DROP_IP6_LENGTH,
	    40);
	len = ns_dad_frame(f);
	truncate_all(f, len, len, CODEC_DROP_IP6_SHORT, CODEC_DROP_IP6_LENGTH,
	    40);
	len = na_frame(f);
	truncate_all(f, len, len, CODEC_DROP_IP6_SHORT, CODEC_DROP_IP6_LENGTH,
	    40);
	frames_opt_lla(opt, 14, MAC_B); /* nonce-like unknown option */
	len = ns_with_opts(f, IP6_UNSPEC, opt, sizeof(opt));
	truncate_all(f, len, len, CODEC_DROP_IP6_SHORT, CODEC_DROP_IP6_LENGTH,
	    40);
}

/*
 * ICMPv6 truncation: payload length cut to every value below the full
 * one, checksum fixed, frame cut to match (nothing to read beyond).
 */
static void
icmp_truncate_all(const uint8_t *orig, size_t full)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t plen, fullplen = full - FRAMES_OFF_ICMP;
	struct codec_msg m;

	for (plen = 0; plen < fullplen; plen++) {
		enum codec_verdict want, got;

		memcpy(f, orig, full);
		frames_be16(f + FRAMES_OFF_IP6_PLEN, (unsigned)plen);
		if (plen >= 4)
			frames_nd_fix_cksum(f);
		if (plen < 24)
			want = CODEC_DROP_ND_SHORT;
		else if (plen == 24)
			want = CODEC_OK; /* no options left: fine */
		else
			want = CODEC_DROP_ND_OPTION; /* partial option */
		got = decode_exact(f, FRAMES_OFF_ICMP + plen, &m);
		if (got != want)
			fail_msg("ICMPv6 length %zu: %s, expected %s", plen,
			    codec_verdict_name(got), codec_verdict_name(want));
		if (got == CODEC_OK)
			assert_int_equal(m.has_lladdr, 0);
	}
}

static void
test_icmp_truncation(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];

	(void)state;
	icmp_truncate_all(f, ns_frame(f));
	icmp_truncate_all(f, na_frame(f));
}

/* ---- single-bit corruption under the checksum ---- */

static void
corrupt_all(const uint8_t *orig, size_t len)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct codec_msg m;
	size_t i;
	unsigned bit;

	/* Source, destination (pseudo-header) and the whole message. */
	for (i = FRAMES_OFF_IP6_SRC; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			enum codec_verdict want, got;

			memcpy(f, orig, len);
			f[i] ^= (uint8_t)(1u << bit);
			if (i == FRAMES_OFF_IP6_SRC && f[i] == 0xff)
				want = CODEC_DROP_ND_SRC_MCAST;
			else if (i == FRAMES_OFF_ICMP)
				want = CODEC_DROP_ICMP6_TYPE;
			else if (i == FRAMES_OFF_ICMP + 1)
				want = CODEC_DROP_ND_CODE;
			else
				want = CODEC_DROP_ND_CHECKSUM;
			got = decode_exact(f, len, &m);
			if (got != want)
				fail_msg("byte %zu bit %u: %s, expected %s", i,
				    bit, codec_verdict_name(got),
				    codec_verdict_name(want));
		}
	}
}

static void
test_checksum_corruption(void **state)
{
	uint8_t f[FRAMES_BUFSIZE];

	(void)state;
	corrupt_all(NS_CAPTURED, sizeof(NS_CAPTURED));
	corrupt_all(f, ns_dad_frame(f));
	corrupt_all(f, na_frame(f));
}

/* An odd ICMPv6 length: the last byte is summed as a padded word. */
static void
test_checksum_odd(void **state)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8];
	size_t len;

	(void)state;
	frames_opt_lla(opt, FRAMES_OPT_SLLA, MAC_A);
	len = ns_with_opts(f, IP6_A, opt, sizeof(opt));
	frames_be16(f + FRAMES_OFF_IP6_PLEN, 31);
	frames_nd_fix_cksum(f);
	/* Checksum right, then the option overruns the length. */
	expect(f, len - 1, CODEC_DROP_ND_OPTION);
	f[FRAMES_OFF_ICMP + 30] ^= 0x80;
	expect(f, len - 1, CODEC_DROP_ND_CHECKSUM);
}

/* ---- options ---- */

static void
test_options(void **state)
{
	uint8_t f[FRAMES_BUFSIZE], opts[64];
	struct codec_msg m;
	size_t len, n;

	(void)state;
	/* Zero length: RFC 4861 4.6 says discard the packet. */
	frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	opts[1] = 0;
	expect(f, ns_with_opts(f, IP6_A, opts, 8), CODEC_DROP_ND_OPTION);
	/* Zero length of an unknown option, after a good one. */
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	memset(opts + n, 0, 8);
	opts[n] = 200;
	expect(f, ns_with_opts(f, IP6_A, opts, n + 8), CODEC_DROP_ND_OPTION);
	/* Length past the end of the message. */
	frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	opts[1] = 2;
	expect(f, ns_with_opts(f, IP6_A, opts, 8), CODEC_DROP_ND_OPTION);
	opts[1] = 255;
	expect(f, ns_with_opts(f, IP6_A, opts, 8), CODEC_DROP_ND_OPTION);
	/* A lone trailing byte cannot hold an option header. */
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	opts[n] = 1;
	expect(f, ns_with_opts(f, IP6_A, opts, n + 1), CODEC_DROP_ND_OPTION);

	/* Unknown option (nonce, RFC 3971) skipped, SLLA after it used. */
	n = frames_opt_lla(opts, 14, MAC_B);
	n += frames_opt_lla(opts + n, FRAMES_OPT_SLLA, MAC_A);
	len = ns_with_opts(f, IP6_A, opts, n);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 1);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);

	/*
	 * Two source link-layer options: the first one counts (as in the
	 * Linux and BSD stacks); the second is not even checked.
	 */
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	n += frames_opt_lla(opts + n, FRAMES_OPT_SLLA, MAC_B);
	len = ns_with_opts(f, IP6_A, opts, n);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_B);
	n += frames_opt_lla(opts + n, FRAMES_OPT_SLLA, MAC_ZERO);
	len = ns_with_opts(f, IP6_A, opts, n);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_ZERO);
	n += frames_opt_lla(opts + n, FRAMES_OPT_SLLA, MAC_B);
	len = ns_with_opts(f, IP6_A, opts, n);
	expect(f, len, CODEC_DROP_ND_LLADDR);

	/* Non-Ethernet size (16 bytes) ignored; a later 8-byte one used. */
	memset(opts, 0x11, 16);
	opts[0] = FRAMES_OPT_SLLA;
	opts[1] = 2;
	len = ns_with_opts(f, IP6_A, opts, 16);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
	n = 16 + frames_opt_lla(opts + 16, FRAMES_OPT_SLLA, MAC_B);
	len = ns_with_opts(f, IP6_A, opts, n);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 1);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);
	/* From ::, any source link-layer option is forbidden, any size. */
	len = ns_with_opts(f, IP6_UNSPEC, opts, 16);
	expect(f, len, CODEC_DROP_ND_DAD_LLADDR);

	/* The other kind of link-layer option is ignored. */
	frames_opt_lla(opts, FRAMES_OPT_TLLA, MAC_B);
	len = ns_with_opts(f, IP6_A, opts, 8);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
	frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	len = na_with_opts(f, opts, 8);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
	assert_memory_equal(m.sender_mac.b, MAC_ZERO, 6);
	/* NA: TLLA after an SLLA. */
	n = frames_opt_lla(opts, FRAMES_OPT_SLLA, MAC_A);
	n += frames_opt_lla(opts + n, FRAMES_OPT_TLLA, MAC_B);
	len = na_with_opts(f, opts, n);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 1);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);

	/* Enhanced DAD (RFC 7527) sends a nonce from ::: accepted. */
	frames_opt_lla(opts, 14, MAC_B);
	len = ns_with_opts(f, IP6_UNSPEC, opts, 8);
	assert_verdict(decode_exact(f, len, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
}

/* ---- encoders: same bytes as frames.h, and decode back ---- */

static void
test_encode_arp(void **state)
{
	uint8_t buf[CODEC_FRAME_MAX], f[FRAMES_BUFSIZE];
	struct addr_mac a = mac(MAC_A), b = mac(MAC_B), ifm = mac(MAC_IF);
	struct addr_mac bc = mac(FRAMES_BCAST);
	struct addr_ip pa = ip4(IP4_A), pb = ip4(IP4_B), pz = ip4(IP4_ZERO);
	struct codec_msg m;
	size_t n;

	(void)state;
	/* Broadcast request (router resolution). */
	memset(buf, 0xcc, sizeof(buf));
	n = codec_encode_arp(buf, 1, &ifm, &bc, &ifm, &pa, NULL, &pb);
	assert_int_equal(n, CODEC_FRAME_MIN);
	assert_int_equal(frames_arp(f, FRAMES_BCAST, MAC_IF, 1, MAC_IF, IP4_A,
	    NULL, IP4_B, 60), n);
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ARP_REQUEST);
	assert_memory_equal(m.eth_dst.b, FRAMES_BCAST, 6);
	assert_ip(&m.target_ip, ADDR_V4, IP4_B);

	/* Unicast refresh request from 0.0.0.0 with an explicit zero tha. */
	n = codec_encode_arp(buf, 1, &ifm, &b, &ifm, &pz,
	    &(struct addr_mac){ { 0 } }, &pb);
	frames_arp(f, MAC_B, MAC_IF, 1, MAC_IF, IP4_ZERO, MAC_ZERO, IP4_B, 60);
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_memory_equal(m.eth_dst.b, MAC_B, 6);
	assert_ip(&m.sender_ip, ADDR_V4, IP4_ZERO);

	/* Reply on behalf of B, sent from the interface MAC. */
	n = codec_encode_arp(buf, 2, &ifm, &a, &b, &pb, &a, &pa);
	frames_arp(f, MAC_A, MAC_IF, 2, MAC_B, IP4_B, MAC_A, IP4_A, 60);
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ARP_REPLY);
	assert_memory_equal(m.eth_src.b, MAC_IF, 6);
	assert_memory_equal(m.eth_dst.b, MAC_A, 6);
	assert_ip(&m.sender_ip, ADDR_V4, IP4_B);
	assert_memory_equal(m.sender_mac.b, MAC_B, 6);
	assert_ip(&m.target_ip, ADDR_V4, IP4_A);
	assert_memory_equal(m.target_mac.b, MAC_A, 6);
}

static void
test_encode_ns(void **state)
{
	uint8_t buf[CODEC_FRAME_MAX], f[FRAMES_BUFSIZE], opt[8];
	struct addr_mac a = mac(MAC_A), b = mac(MAC_B);
	struct addr_ip sa = ip6(IP6_A), sb = ip6(IP6_B), ll = ip6(IP6_LL);
	struct addr_ip un = ip6(IP6_UNSPEC);
	struct codec_msg m;
	size_t n;

	(void)state;
	/* Multicast to the solicited-node group: the captured frame. */
	memset(buf, 0xcc, sizeof(buf));
	n = codec_encode_ns(buf, &a, NULL, &sa, NULL, &sb);
	assert_int_equal(n, sizeof(NS_CAPTURED));
	assert_memory_equal(buf, NS_CAPTURED, n);

	/* Unicast refresh from a link-local address. */
	n = codec_encode_ns(buf, &a, &b, &ll, &sb, &sb);
	frames_opt_lla(opt, FRAMES_OPT_SLLA, MAC_A);
	assert_int_equal(frames_nd(f, MAC_B, MAC_A, IP6_LL, IP6_B, 255,
	    FRAMES_ND_NS, 0, 0, IP6_B, opt, 8), n);
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_int_equal(m.kind, CODEC_ND_NS);
	assert_memory_equal(m.eth_dst.b, MAC_B, 6);
	assert_memory_equal(m.eth_src.b, MAC_A, 6);
	assert_ip(&m.sender_ip, ADDR_V6, IP6_LL);
	assert_memory_equal(m.sender_mac.b, MAC_A, 6);
	assert_int_equal(m.has_lladdr, 1);
	assert_ip(&m.target_ip, ADDR_V6, IP6_B);
	assert_ip(&m.ip_dst, ADDR_V6, IP6_B);

	/* From ::: no option (RFC 4861 4.3), still a valid DAD probe. */
	n = codec_encode_ns(buf, &a, NULL, &un, NULL, &sb);
	assert_int_equal(n, ns_dad_frame(f));
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
	assert_ip(&m.sender_ip, ADDR_V6, IP6_UNSPEC);

	/* eth_dst and ip_dst default independently. */
	n = codec_encode_ns(buf, &a, &b, &sa, NULL, &sb);
	assert_memory_equal(buf, MAC_B, 6);
	assert_memory_equal(buf + FRAMES_OFF_IP6_DST, IP6_SNODE_B, 16);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	n = codec_encode_ns(buf, &a, NULL, &sa, &sb, &sb);
	assert_memory_equal(buf, MAC_SNODE_B, 6);
	assert_memory_equal(buf + FRAMES_OFF_IP6_DST, IP6_B, 16);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
}

static void
test_encode_na(void **state)
{
	uint8_t buf[CODEC_FRAME_MAX], f[FRAMES_BUFSIZE], opt[8];
	struct addr_mac a = mac(MAC_A), b = mac(MAC_IF), ans = mac(MAC_B);
	struct addr_mac all = mac(MAC_ALLNODES);
	struct addr_ip sa = ip6(IP6_A), sb = ip6(IP6_B);
	struct addr_ip an = ip6(IP6_ALLNODES);
	struct codec_msg m;
	unsigned flags;
	size_t n;

	(void)state;
	/* Every flag combination, unicast to the requester. */
	frames_opt_lla(opt, FRAMES_OPT_TLLA, MAC_B);
	for (flags = 0; flags < 8; flags++) {
		uint8_t fl = (uint8_t)(flags << 5);

		memset(buf, 0xcc, sizeof(buf));
		n = codec_encode_na(buf, &b, &a, &sb, &sa, &sb, &ans, fl);
		assert_int_equal(n, CODEC_FRAME_MAX);
		assert_int_equal(frames_nd(f, MAC_A, MAC_IF, IP6_B, IP6_A, 255,
		    FRAMES_ND_NA, 0, fl, IP6_B, opt, 8), n);
		assert_memory_equal(buf, f, n);
		assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
		assert_int_equal(m.kind, CODEC_ND_NA);
		assert_int_equal(m.na_flags, fl);
		assert_memory_equal(m.eth_src.b, MAC_IF, 6);
		assert_memory_equal(m.eth_dst.b, MAC_A, 6);
		assert_ip(&m.sender_ip, ADDR_V6, IP6_B);
		assert_memory_equal(m.sender_mac.b, MAC_B, 6);
		assert_int_equal(m.has_lladdr, 1);
		assert_ip(&m.target_ip, ADDR_V6, IP6_B);
		assert_ip(&m.ip_src, ADDR_V6, IP6_B);
		assert_ip(&m.ip_dst, ADDR_V6, IP6_A);
	}
	/* Bits outside R, S, O are not sent. */
	n = codec_encode_na(buf, &b, &a, &sb, &sa, &sb, &ans, 0xff);
	assert_int_equal(buf[FRAMES_OFF_ND_FLAGS], 0xe0);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);

	/* DAD answer: to all-nodes, S clear. */
	n = codec_encode_na(buf, &b, &all, &sb, &an, &sb, &ans,
	    CODEC_NA_OVERRIDE);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_ip(&m.ip_dst, ADDR_V6, IP6_ALLNODES);
	assert_int_equal(m.na_flags, CODEC_NA_OVERRIDE);

	/* Without a target link-layer option. */
	n = codec_encode_na(buf, &b, &a, &sb, &sa, &sb, NULL,
	    CODEC_NA_SOLICITED);
	assert_int_equal(n, 78);
	assert_int_equal(frames_nd(f, MAC_A, MAC_IF, IP6_B, IP6_A, 255,
	    FRAMES_ND_NA, 0, CODEC_NA_SOLICITED, IP6_B, NULL, 0), n);
	assert_memory_equal(buf, f, n);
	assert_verdict(decode_exact(buf, n, &m), CODEC_OK);
	assert_int_equal(m.has_lladdr, 0);
}

/*
 * Every value of one 16-bit word of the target: each possible checksum,
 * including the sums whose first carry fold carries again.
 */
static void
test_encode_checksum_sweep(void **state)
{
	uint8_t buf[CODEC_FRAME_MAX], f[FRAMES_BUFSIZE], opt[8], t[16];
	struct addr_mac a = mac(MAC_A), ans = mac(MAC_B);
	struct addr_ip sa = ip6(IP6_A), target;
	struct codec_msg m;
	unsigned w;
	size_t n;

	(void)state;
	frames_opt_lla(opt, FRAMES_OPT_TLLA, MAC_B);
	memcpy(t, IP6_B, 16);
	for (w = 0; w < 0x10000; w++) {
		frames_be16(t + 14, w);
		target = ip6(t);
		n = codec_encode_na(buf, &ans, &a, &target, &sa, &target,
		    &ans, CODEC_NA_OVERRIDE);
		frames_nd(f, MAC_A, MAC_B, t, IP6_A, 255, FRAMES_ND_NA, 0,
		    CODEC_NA_OVERRIDE, t, opt, 8);
		if (memcmp(buf, f, n) != 0)
			fail_msg("word %04x: checksum %04x, expected %04x", w,
			    frames_get16(buf + FRAMES_OFF_ICMP_CKSUM),
			    frames_get16(f + FRAMES_OFF_ICMP_CKSUM));
		if (codec_decode(buf, n, &m) != CODEC_OK)
			fail_msg("word %04x does not decode", w);
	}
}

static void
test_solicited_node(void **state)
{
	static const uint8_t t[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xbb, 0,
		0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t g[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x01, 0xff, 0x34, 0x56, 0x78 };
	static const uint8_t gm[6] = { 0x33, 0x33, 0xff, 0x34, 0x56, 0x78 };
	struct addr_ip target = ip6(t), group;
	struct addr_mac m;

	(void)state;
	memset(&group, 0xee, sizeof(group));
	codec_solicited_node(&target, &group, &m);
	assert_ip(&group, ADDR_V6, g);
	assert_memory_equal(m.b, gm, 6);
	/* In place. */
	codec_solicited_node(&target, &target, &m);
	assert_ip(&target, ADDR_V6, g);
	assert_memory_equal(m.b, gm, 6);

	target = ip6(IP6_B);
	codec_solicited_node(&target, &group, &m);
	assert_ip(&group, ADDR_V6, IP6_SNODE_B);
	assert_memory_equal(m.b, MAC_SNODE_B, 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request),
		cmocka_unit_test(test_arp_reply),
		cmocka_unit_test(test_ns_captured),
		cmocka_unit_test(test_priority_tagged),
		cmocka_unit_test(test_ns_dad),
		cmocka_unit_test(test_na),
		cmocka_unit_test(test_ip6_tolerated),
		cmocka_unit_test(test_drop_ether),
		cmocka_unit_test(test_drop_arp),
		cmocka_unit_test(test_drop_ip6),
		cmocka_unit_test(test_drop_icmp6),
		cmocka_unit_test(test_drop_nd),
		cmocka_unit_test(test_out_untouched),
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_icmp_truncation),
		cmocka_unit_test(test_checksum_corruption),
		cmocka_unit_test(test_checksum_odd),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_encode_arp),
		cmocka_unit_test(test_encode_ns),
		cmocka_unit_test(test_encode_na),
		cmocka_unit_test(test_encode_checksum_sweep),
		cmocka_unit_test(test_solicited_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
