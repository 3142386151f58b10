/*
 * Frame codec: Ethernet II frames carrying ARP (RFC 826, Ethernet/IPv4
 * only) and ICMPv6 Neighbor Solicitations and Advertisements (RFC 4861).
 * Decodes wire bytes into plain structs with explicit offsets and encodes
 * the frames parpd sends.  No allocation, no system calls.
 */
#ifndef PARPD_CODEC_H
#define PARPD_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* Largest frame parpd sends: Ethernet + IPv6 + NA + target LL option. */
#define CODEC_FRAME_MAX 86
/* Shortest Ethernet frame on the wire, without FCS; ARP is padded to it. */
#define CODEC_FRAME_MIN 60

enum codec_kind {
	CODEC_ARP_REQUEST,
	CODEC_ARP_REPLY,
	CODEC_ND_NS,
	CODEC_ND_NA,
};

#define CODEC_NA_ROUTER 0x80u    /* RFC 4861 4.4 R flag */
#define CODEC_NA_SOLICITED 0x40u /* S flag */
#define CODEC_NA_OVERRIDE 0x20u  /* O flag */

/*
 * A decoded frame, the same shape for both families:
 *   ARP:  sender = (spa, sha), target = (tpa, tha)
 *   NS:   sender = (IPv6 source, source link-layer option),
 *         target = NS target; ip_dst = IPv6 destination
 *   NA:   sender = (NA target, target link-layer option),
 *         target = NA target too; ip_src/ip_dst the IPv6 header's
 * has_lladdr tells whether the ND link-layer option was present; for ARP
 * it is always 1.
 */
struct codec_msg {
	enum codec_kind kind;
	struct addr_mac eth_src;
	struct addr_mac eth_dst;
	struct addr_ip sender_ip;
	struct addr_mac sender_mac;
	int has_lladdr;
	struct addr_ip target_ip;
	struct addr_mac target_mac; /* ARP tha; zero for ND */
	struct addr_ip ip_src;	    /* ND only: IPv6 source */
	struct addr_ip ip_dst;	    /* ND only: IPv6 destination */
	uint8_t na_flags;	    /* NA only: CODEC_NA_* */
};

/*
 * Why a frame was not decoded: each reason has its own counter in the
 * core.  CODEC_OK is 0.
 */
enum codec_verdict {
	CODEC_OK = 0,
	CODEC_DROP_SHORT_ETHER,	   /* shorter than an Ethernet header */
	CODEC_DROP_ETHERTYPE,	   /* neither ARP nor IPv6 (VLAN included) */
	CODEC_DROP_ETHER_SRC,	   /* Ethernet source multicast or zero */
	CODEC_DROP_ARP_SHORT,	   /* truncated ARP payload */
	CODEC_DROP_ARP_HTYPE,	   /* hardware type not Ethernet (1) */
	CODEC_DROP_ARP_PTYPE,	   /* protocol type not IPv4 */
	CODEC_DROP_ARP_LENGTHS,	   /* hlen != 6 or plen != 4 */
	CODEC_DROP_ARP_OPCODE,	   /* not request (1) or reply (2) */
	CODEC_DROP_ARP_SENDER,	   /* sender MAC multicast or zero */
	CODEC_DROP_IP6_SHORT,	   /* truncated IPv6 header */
	CODEC_DROP_IP6_VERSION,	   /* version field not 6 */
	CODEC_DROP_IP6_LENGTH,	   /* payload length beyond the frame */
	CODEC_DROP_IP6_NEXT,	   /* next header not ICMPv6 (no ext. hdrs) */
	CODEC_DROP_ICMP6_TYPE,	   /* not NS (135) or NA (136) */
	CODEC_DROP_ND_SHORT,	   /* ICMPv6 body shorter than NS/NA */
	CODEC_DROP_ND_HOPLIMIT,	   /* RFC 4861 7.1.1: hop limit not 255 */
	CODEC_DROP_ND_CODE,	   /* RFC 4861 7.1.1: code not 0 */
	CODEC_DROP_ND_CHECKSUM,	   /* ICMPv6 checksum wrong */
	CODEC_DROP_ND_TARGET,	   /* target multicast or :: (7.1.1/7.1.2) */
	CODEC_DROP_ND_OPTION,	   /* option length 0 or past the end */
	CODEC_DROP_ND_LLADDR,	   /* link-layer option multicast or zero */
	CODEC_DROP_ND_DAD_LLADDR,  /* NS from :: with a source LL option */
	CODEC_DROP_ND_DAD_DST,	   /* NS from :: not to solicited-node */
	CODEC_DROP_ND_NA_SOLICITED_MCAST, /* NA to multicast with S set */
	CODEC_DROP_ND_SRC_MCAST,   /* IPv6 source is multicast */
	CODEC_VERDICT_COUNT
};

/*
 * Decodes one Ethernet frame (without FCS).  *out is written only when
 * CODEC_OK is returned; for ARP, ip_src and ip_dst are zeroed (family 0).
 */
enum codec_verdict codec_decode(const uint8_t *frame, size_t len,
    struct codec_msg *out);
/* Stable snake_case name ("arp_short"), "invalid" when out of range. */
const char *codec_verdict_name(enum codec_verdict v);

/*
 * Encoders write into buf (at least CODEC_FRAME_MAX bytes) and return the
 * frame length.
 */

/* ARP operation codes (RFC 826). */
#define CODEC_ARP_OP_REQUEST 1
#define CODEC_ARP_OP_REPLY 2

/*
 * ARP request or reply (CODEC_ARP_OP_*), padded to CODEC_FRAME_MIN.  A NULL
 * tha means 00:00:00:00:00:00.
 */
size_t codec_encode_arp(uint8_t *buf, uint16_t op,
    const struct addr_mac *eth_src, const struct addr_mac *eth_dst,
    const struct addr_mac *sha, const struct addr_ip *spa,
    const struct addr_mac *tha, const struct addr_ip *tpa);

/*
 * Neighbor Solicitation for target from (ip_src, eth_src) with a source
 * link-layer option carrying eth_src (omitted when ip_src is ::, RFC 4861
 * 4.3).  A NULL eth_dst or ip_dst means target's solicited-node group
 * (RFC 4861 7.2.2), each independently of the other.
 */
size_t codec_encode_ns(uint8_t *buf, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_ip *ip_src,
    const struct addr_ip *ip_dst, const struct addr_ip *target);

/*
 * Neighbor Advertisement for target whose link-layer address is
 * target_mac (in the target link-layer option; omitted when target_mac is
 * NULL), flags CODEC_NA_* (other bits are ignored).
 */
size_t codec_encode_na(uint8_t *buf, const struct addr_mac *eth_src,
    const struct addr_mac *eth_dst, const struct addr_ip *ip_src,
    const struct addr_ip *ip_dst, const struct addr_ip *target,
    const struct addr_mac *target_mac, uint8_t flags);

/* ff02::1:ffXX:XXXX and 33:33:ff:XX:XX:XX for target (RFC 4291 2.7.1). */
void codec_solicited_node(const struct addr_ip *target, struct addr_ip *group,
    struct addr_mac *mac);

#endif
