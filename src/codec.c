/*
 * Frame codec: Ethernet II with ARP (RFC 826) or IPv6 ICMPv6 Neighbor
 * Solicitation/Advertisement (RFC 4861).  Every field is read at an
 * explicit offset; nothing is cast to a struct, and every length is
 * checked here even if a kernel filter already looked at the frame.
 */
#include "config.h"

#include <string.h>

#include "codec.h"

/*
 * Ethernet II.  An 802.1Q tag with VLAN id 0 only carries a priority
 * (IEEE 802.1Q 9.6: "priority-tagged"): the frame is untagged for us and
 * skipped over; other VLAN ids are dropped by ethertype.
 */
#define ETH_DST 0
#define ETH_SRC 6
#define ETH_TYPE 12
#define ETH_HLEN 14
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define VLAN_HLEN 4
#define VLAN_VID_MASK 0x0fff

/* ARP for Ethernet/IPv4, offsets from the start of the ARP header. */
#define ARP_HTYPE 0
#define ARP_PTYPE 2
#define ARP_HLEN 4
#define ARP_PLEN 5
#define ARP_OP 6
#define ARP_SHA 8
#define ARP_SPA 14
#define ARP_THA 18
#define ARP_TPA 24
#define ARP_LEN 28
#define ARP_HTYPE_ETHER 1
#define ARP_PTYPE_IPV4 0x0800

/* IPv6 fixed header (RFC 8200 3). */
#define IP6_VFC 0
#define IP6_PLEN 4
#define IP6_NXT 6
#define IP6_HLIM 7
#define IP6_SRC 8
#define IP6_DST 24
#define IP6_HLEN 40
#define IP6_NXT_ICMPV6 58

/* ICMPv6 NS/NA (RFC 4861 4.3, 4.4), offsets from the ICMPv6 header. */
#define ND_TYPE 0
#define ND_CODE 1
#define ND_CKSUM 2
#define ND_FLAGS 4
#define ND_TARGET 8
#define ND_OPTS 24
#define ND_NS 135
#define ND_NA 136
#define ND_HOPLIMIT 255
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_OPT_LLA_LEN 8 /* Ethernet link-layer option (RFC 4861 4.6.1) */

#define OFF_ARP ETH_HLEN
#define OFF_ICMP (ETH_HLEN + IP6_HLEN)

static const char *const verdict_names[CODEC_VERDICT_COUNT] = {
	[CODEC_OK] = "ok",
	[CODEC_DROP_SHORT_ETHER] = "ether_short",
	[CODEC_DROP_ETHERTYPE] = "ethertype",
	[CODEC_DROP_ETHER_SRC] = "ether_src",
	[CODEC_DROP_ARP_SHORT] = "arp_short",
	[CODEC_DROP_ARP_HTYPE] = "arp_htype",
	[CODEC_DROP_ARP_PTYPE] = "arp_ptype",
	[CODEC_DROP_ARP_LENGTHS] = "arp_lengths",
	[CODEC_DROP_ARP_OPCODE] = "arp_opcode",
	[CODEC_DROP_ARP_SENDER] = "arp_sender",
	[CODEC_DROP_IP6_SHORT] = "ip6_short",
	[CODEC_DROP_IP6_VERSION] = "ip6_version",
	[CODEC_DROP_IP6_LENGTH] = "ip6_length",
	[CODEC_DROP_IP6_NEXT] = "ip6_next",
	[CODEC_DROP_ICMP6_TYPE] = "icmp6_type",
	[CODEC_DROP_ND_SHORT] = "nd_short",
	[CODEC_DROP_ND_HOPLIMIT] = "nd_hoplimit",
	[CODEC_DROP_ND_CODE] = "nd_code",
	[CODEC_DROP_ND_CHECKSUM] = "nd_checksum",
	[CODEC_DROP_ND_TARGET] = "nd_target",
	[CODEC_DROP_ND_OPTION] = "nd_option",
	[CODEC_DROP_ND_LLADDR] = "nd_lladdr",
	[CODEC_DROP_ND_DAD_LLADDR] = "nd_dad_lladdr",
	[CODEC_DROP_ND_DAD_DST] = "nd_dad_dst",
	[CODEC_DROP_ND_NA_SOLICITED_MCAST] = "nd_na_solicited_mcast",
	[CODEC_DROP_ND_SRC_MCAST] = "nd_src_mcast",
};

const char *
codec_verdict_name(enum codec_verdict v)
{
	if ((unsigned)v >= CODEC_VERDICT_COUNT || verdict_names[v] == NULL)
		return "invalid";
	return verdict_names[v];
}

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* IEEE 802: the I/G bit of the first octet marks group addresses. */
static inline int
mac_bad(const uint8_t *m)
{
	return (m[0] & 1) != 0 ||
	    (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0;
}

static inline int
ip6_is_multicast(const uint8_t *a)
{
	return a[0] == 0xff; /* RFC 4291 2.7 */
}

static int
ip6_is_unspecified(const uint8_t *a)
{
	unsigned i;
	uint8_t acc = 0;

	for (i = 0; i < 16; i++)
		acc |= a[i];
	return acc == 0;
}

/* ff02::1:ff00:0/104 (RFC 4291 2.7.1). */
static const uint8_t solicited_prefix[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0x01, 0xff };

static int
ip6_is_solicited_node(const uint8_t *a)
{
	return memcmp(a, solicited_prefix, sizeof(solicited_prefix)) == 0;
}

/*
 * Ones' complement sum (RFC 1071) of len bytes taken as big-endian 16-bit
 * words, an odd last byte padded with zero.  A 32-bit accumulator cannot
 * overflow: an ICMPv6 message is at most 65535 bytes, i.e. < 2^15 words.
 */
static uint32_t
sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * ICMPv6 checksum over the IPv6 pseudo-header (RFC 8200 8.1: source,
 * destination, upper-layer length, next header) and the message
 * (RFC 4443 2.3).  ip6 points at the IPv6 header, icmp at the message.
 */
static uint16_t
icmp6_sum(const uint8_t *ip6, const uint8_t *icmp, size_t len)
{
	uint32_t sum;

	/* The 32-bit upper-layer length fits in 16 bits: len <= 65535. */
	sum = sum16(0, ip6 + IP6_SRC, 32) + (uint32_t)len + IP6_NXT_ICMPV6;
	return fold(sum16(sum, icmp, len));
}

static enum codec_verdict
decode_arp(const uint8_t *f, size_t len, size_t l3, struct codec_msg *out)
{
	const uint8_t *a = f + l3;
	uint16_t op;

	/* Trailing bytes (padding to 60) are allowed. */
	if (len < l3 + ARP_LEN)
		return CODEC_DROP_ARP_SHORT;
	if (get16(a + ARP_HTYPE) != ARP_HTYPE_ETHER)
		return CODEC_DROP_ARP_HTYPE;
	if (get16(a + ARP_PTYPE) != ARP_PTYPE_IPV4)
		return CODEC_DROP_ARP_PTYPE;
	if (a[ARP_HLEN] != 6 || a[ARP_PLEN] != 4)
		return CODEC_DROP_ARP_LENGTHS;
	op = get16(a + ARP_OP);
	if (op != CODEC_ARP_OP_REQUEST && op != CODEC_ARP_OP_REPLY)
		return CODEC_DROP_ARP_OPCODE;
	if (mac_bad(a + ARP_SHA))
		return CODEC_DROP_ARP_SENDER;

	memset(out, 0, sizeof(*out));
	out->kind = op == CODEC_ARP_OP_REQUEST ? CODEC_ARP_REQUEST :
	    CODEC_ARP_REPLY;
	memcpy(out->eth_dst.b, f + ETH_DST, 6);
	memcpy(out->eth_src.b, f + ETH_SRC, 6);
	out->sender_ip.family = ADDR_V4;
	memcpy(out->sender_ip.b, a + ARP_SPA, 4);
	memcpy(out->sender_mac.b, a + ARP_SHA, 6);
	out->has_lladdr = 1;
	out->target_ip.family = ADDR_V4;
	memcpy(out->target_ip.b, a + ARP_TPA, 4);
	memcpy(out->target_mac.b, a + ARP_THA, 6);
	return CODEC_OK;
}

static enum codec_verdict
decode_nd(const uint8_t *f, size_t len, size_t l3, struct codec_msg *out)
{
	const uint8_t *ip6 = f + l3, *icmp = f + l3 + IP6_HLEN;
	const uint8_t *lla = NULL, *src, *dst, *target;
	size_t plen, off;
	uint8_t type, want;
	int any_slla = 0;

	if (len < l3 + IP6_HLEN)
		return CODEC_DROP_IP6_SHORT;
	if ((ip6[IP6_VFC] >> 4) != 6)
		return CODEC_DROP_IP6_VERSION;
	/* Bytes after the payload (Ethernet padding) are ignored. */
	plen = get16(ip6 + IP6_PLEN);
	if (plen > len - l3 - IP6_HLEN)
		return CODEC_DROP_IP6_LENGTH;
	/* ND is never sent with extension headers in front of it. */
	if (ip6[IP6_NXT] != IP6_NXT_ICMPV6)
		return CODEC_DROP_IP6_NEXT;
	src = ip6 + IP6_SRC;
	dst = ip6 + IP6_DST;
	/* RFC 4291 2.7: a multicast address is never a source. */
	if (ip6_is_multicast(src))
		return CODEC_DROP_ND_SRC_MCAST;
	if (plen == 0)
		return CODEC_DROP_ND_SHORT;
	type = icmp[ND_TYPE];
	if (type != ND_NS && type != ND_NA)
		return CODEC_DROP_ICMP6_TYPE;
	/* RFC 4861 7.1.1/7.1.2: ICMP length 24 or more octets. */
	if (plen < ND_OPTS)
		return CODEC_DROP_ND_SHORT;
	/* RFC 4861 7.1.1/7.1.2: hop limit 255 proves an on-link sender. */
	if (ip6[IP6_HLIM] != ND_HOPLIMIT)
		return CODEC_DROP_ND_HOPLIMIT;
	if (icmp[ND_CODE] != 0)
		return CODEC_DROP_ND_CODE;
	/* RFC 4443 2.3: a valid message sums to 0xffff, field included. */
	if (icmp6_sum(ip6, icmp, plen) != 0xffff)
		return CODEC_DROP_ND_CHECKSUM;
	/* RFC 4861 7.1.1/7.1.2: target is not multicast.  :: names nobody. */
	target = icmp + ND_TARGET;
	if (ip6_is_multicast(target) || ip6_is_unspecified(target))
		return CODEC_DROP_ND_TARGET;

	/*
	 * RFC 4861 4.6, 7.1.1: every option has a length > 0 and ends within
	 * the ICMP length.  Only the source (NS) or target (NA) link-layer
	 * option is used, and only with the Ethernet size (one unit, 4.6.1);
	 * others are skipped.  When it appears twice, the first one counts,
	 * as in the Linux and BSD stacks.
	 */
	want = type == ND_NS ? ND_OPT_SLLA : ND_OPT_TLLA;
	for (off = ND_OPTS; off < plen;) {
		size_t olen;

		if (plen - off < 2 || icmp[off + 1] == 0)
			return CODEC_DROP_ND_OPTION;
		olen = (size_t)icmp[off + 1] * 8;
		if (olen > plen - off)
			return CODEC_DROP_ND_OPTION;
		if (icmp[off] == ND_OPT_SLLA)
			any_slla = 1;
		if (icmp[off] == want && olen == ND_OPT_LLA_LEN && lla == NULL)
			lla = icmp + off + 2;
		off += olen;
	}
	if (lla != NULL && mac_bad(lla))
		return CODEC_DROP_ND_LLADDR;

	if (type == ND_NS && ip6_is_unspecified(src)) {
		/*
		 * RFC 4861 7.1.1: DAD probes carry no source link-layer
		 * option (of any size) and go to a solicited-node group.
		 */
		if (any_slla)
			return CODEC_DROP_ND_DAD_LLADDR;
		if (!ip6_is_solicited_node(dst))
			return CODEC_DROP_ND_DAD_DST;
	}
	/* RFC 4861 7.1.2: a multicast NA is never solicited. */
	if (type == ND_NA && ip6_is_multicast(dst) &&
	    (icmp[ND_FLAGS] & CODEC_NA_SOLICITED) != 0)
		return CODEC_DROP_ND_NA_SOLICITED_MCAST;

	memset(out, 0, sizeof(*out));
	memcpy(out->eth_dst.b, f + ETH_DST, 6);
	memcpy(out->eth_src.b, f + ETH_SRC, 6);
	out->ip_src.family = ADDR_V6;
	memcpy(out->ip_src.b, src, 16);
	out->ip_dst.family = ADDR_V6;
	memcpy(out->ip_dst.b, dst, 16);
	out->target_ip.family = ADDR_V6;
	memcpy(out->target_ip.b, target, 16);
	if (type == ND_NS) {
		out->kind = CODEC_ND_NS;
		out->sender_ip = out->ip_src;
	} else {
		out->kind = CODEC_ND_NA;
		out->sender_ip = out->target_ip;
		out->na_flags = icmp[ND_FLAGS] &
		    (CODEC_NA_ROUTER | CODEC_NA_SOLICITED | CODEC_NA_OVERRIDE);
	}
	if (lla != NULL) {
		memcpy(out->sender_mac.b, lla, 6);
		out->has_lladdr = 1;
	}
	return CODEC_OK;
}

enum codec_verdict
codec_decode(const uint8_t *frame, size_t len, struct codec_msg *out)
{
	size_t l3 = ETH_HLEN;
	uint16_t type;

	if (len < ETH_HLEN)
		return CODEC_DROP_SHORT_ETHER;
	type = get16(frame + ETH_TYPE);
	/* Priority-tagged (VID 0): untagged with a priority, IEEE 802.1Q. */
	if (type == ETHERTYPE_VLAN && len >= ETH_HLEN + VLAN_HLEN &&
	    (get16(frame + ETH_HLEN) & VLAN_VID_MASK) == 0) {
		type = get16(frame + ETH_HLEN + 2);
		l3 += VLAN_HLEN;
	}
	if (type != ETHERTYPE_ARP && type != ETHERTYPE_IPV6)
		return CODEC_DROP_ETHERTYPE;
	/* IEEE 802: a group or zero address is never a frame's source. */
	if (mac_bad(frame + ETH_SRC))
		return CODEC_DROP_ETHER_SRC;
	if (type == ETHERTYPE_ARP)
		return decode_arp(frame, len, l3, out);
	return decode_nd(frame, len, l3, out);
}

static uint8_t *
put_ether(uint8_t *buf, const struct addr_mac *dst, const struct addr_mac *src,
    uint16_t type)
{
	memcpy(buf + ETH_DST, dst->b, 6);
	memcpy(buf + ETH_SRC, src->b, 6);
	put16(buf + ETH_TYPE, type);
	return buf + ETH_HLEN;
}

size_t
codec_encode_arp(uint8_t *buf, uint16_t op, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_mac *sha,
    const struct addr_ip *spa, const struct addr_mac *tha,
    const struct addr_ip *tpa)
{
	uint8_t *a = put_ether(buf, eth_dst, eth_src, ETHERTYPE_ARP);

	put16(a + ARP_HTYPE, ARP_HTYPE_ETHER);
	put16(a + ARP_PTYPE, ARP_PTYPE_IPV4);
	a[ARP_HLEN] = 6;
	a[ARP_PLEN] = 4;
	put16(a + ARP_OP, op);
	memcpy(a + ARP_SHA, sha->b, 6);
	memcpy(a + ARP_SPA, spa->b, 4);
	if (tha != NULL)
		memcpy(a + ARP_THA, tha->b, 6);
	else
		memset(a + ARP_THA, 0, 6);
	memcpy(a + ARP_TPA, tpa->b, 4);
	memset(a + ARP_LEN, 0, CODEC_FRAME_MIN - OFF_ARP - ARP_LEN);
	return CODEC_FRAME_MIN;
}

/*
 * IPv6 header and NS/NA body with an optional link-layer option of type
 * opt carrying lla; fills in lengths and the checksum.
 */
static size_t
put_nd(uint8_t *buf, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_ip *ip_src,
    const struct addr_ip *ip_dst, uint8_t type, uint8_t flags,
    const struct addr_ip *target, uint8_t opt, const struct addr_mac *lla)
{
	uint8_t *ip6 = put_ether(buf, eth_dst, eth_src, ETHERTYPE_IPV6);
	uint8_t *icmp = ip6 + IP6_HLEN;
	size_t plen = ND_OPTS + (lla != NULL ? ND_OPT_LLA_LEN : 0);

	ip6[0] = 0x60; /* version 6, traffic class 0, flow label 0 */
	ip6[1] = ip6[2] = ip6[3] = 0;
	put16(ip6 + IP6_PLEN, (uint16_t)plen);
	ip6[IP6_NXT] = IP6_NXT_ICMPV6;
	ip6[IP6_HLIM] = ND_HOPLIMIT;
	memcpy(ip6 + IP6_SRC, ip_src->b, 16);
	memcpy(ip6 + IP6_DST, ip_dst->b, 16);
	icmp[ND_TYPE] = type;
	icmp[ND_CODE] = 0;
	put16(icmp + ND_CKSUM, 0);
	icmp[ND_FLAGS] = flags;
	icmp[ND_FLAGS + 1] = icmp[ND_FLAGS + 2] = icmp[ND_FLAGS + 3] = 0;
	memcpy(icmp + ND_TARGET, target->b, 16);
	if (lla != NULL) {
		icmp[ND_OPTS] = opt;
		icmp[ND_OPTS + 1] = ND_OPT_LLA_LEN / 8;
		memcpy(icmp + ND_OPTS + 2, lla->b, 6);
	}
	put16(icmp + ND_CKSUM, (uint16_t)~icmp6_sum(ip6, icmp, plen));
	return OFF_ICMP + plen;
}

size_t
codec_encode_ns(uint8_t *buf, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_ip *ip_src,
    const struct addr_ip *ip_dst, const struct addr_ip *target)
{
	struct addr_ip group;
	struct addr_mac gmac;

	codec_solicited_node(target, &group, &gmac);
	/* RFC 4861 4.3: no source link-layer option from ::. */
	return put_nd(buf, eth_src, eth_dst != NULL ? eth_dst : &gmac, ip_src,
	    ip_dst != NULL ? ip_dst : &group, ND_NS, 0, target, ND_OPT_SLLA,
	    ip6_is_unspecified(ip_src->b) ? NULL : eth_src);
}

size_t
codec_encode_na(uint8_t *buf, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_ip *ip_src,
    const struct addr_ip *ip_dst, const struct addr_ip *target,
    const struct addr_mac *target_mac, uint8_t flags)
{
	return put_nd(buf, eth_src, eth_dst, ip_src, ip_dst, ND_NA,
	    flags & (CODEC_NA_ROUTER | CODEC_NA_SOLICITED | CODEC_NA_OVERRIDE),
	    target, ND_OPT_TLLA, target_mac);
}

void
codec_solicited_node(const struct addr_ip *target, struct addr_ip *group,
    struct addr_mac *mac)
{
	struct addr_ip g;

	/* RFC 4291 2.7.1: ff02::1:ff00:0/104 plus the low 24 bits. */
	g.family = ADDR_V6;
	memcpy(g.b, solicited_prefix, sizeof(solicited_prefix));
	memcpy(g.b + 13, target->b + 13, 3);
	/* RFC 2464 7: 33:33 and the low 32 bits of the group address. */
	mac->b[0] = 0x33;
	mac->b[1] = 0x33;
	memcpy(mac->b + 2, g.b + 12, 4);
	*group = g;
}
