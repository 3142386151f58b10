/*
 * Fuzz target for the frame codec.  Each input is decoded as it is and,
 * when it looks like IPv6, once more with its ICMPv6 checksum made right
 * (otherwise a fuzzer almost never gets past the checksum to the option
 * parser and the RFC 4861 7.1 checks).  Every frame that decodes is
 * encoded again with the matching encoder; that frame must decode, and
 * to the same message (fields the encoder cannot choose excepted).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FRAME_CAP 2048

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_codec: %s\n", what);
	abort();
}

static void
same_ip(const struct addr_ip *a, const struct addr_ip *b, const char *what)
{
	if (a->family != b->family || memcmp(a->b, b->b, 16) != 0)
		fail(what);
}

static void
same_mac(const struct addr_mac *a, const struct addr_mac *b,
    const char *what)
{
	if (memcmp(a->b, b->b, 6) != 0)
		fail(what);
}

static int
unspecified(const struct addr_ip *ip)
{
	static const uint8_t zero[16];

	return memcmp(ip->b, zero, 16) == 0;
}

static void
redecode(const uint8_t *buf, size_t n, struct codec_msg *r)
{
	if (n > CODEC_FRAME_MAX)
		fail("encoder wrote past CODEC_FRAME_MAX");
	if (codec_decode(buf, n, r) != CODEC_OK)
		fail("re-encoded frame does not decode");
}

static void
roundtrip_arp(const uint8_t *data, const struct codec_msg *m)
{
	uint8_t buf[CODEC_FRAME_MAX];
	struct codec_msg r;
	size_t n, tag;

	n = codec_encode_arp(buf, m->kind == CODEC_ARP_REQUEST ? 1 : 2,
	    &m->eth_src, &m->eth_dst, &m->sender_mac, &m->sender_ip,
	    &m->target_mac, &m->target_ip);
	if (n != CODEC_FRAME_MIN)
		fail("ARP length");
	/*
	 * Every byte of Ethernet + ARP is determined by the message; a
	 * priority tag (802.1Q, VID 0), decoded as untagged, is not
	 * re-encoded: the ARP payload is 4 bytes further in the input.
	 */
	tag = data[12] == 0x81 && data[13] == 0x00 ? 4 : 0;
	if (memcmp(buf, data, 12) != 0 ||
	    memcmp(buf + 12, data + 12 + tag, 30) != 0)
		fail("ARP bytes differ");
	redecode(buf, n, &r);
	if (r.kind != m->kind || r.has_lladdr != 1 || r.na_flags != 0)
		fail("ARP kind");
	same_mac(&r.eth_src, &m->eth_src, "ARP eth_src");
	same_mac(&r.eth_dst, &m->eth_dst, "ARP eth_dst");
	same_ip(&r.sender_ip, &m->sender_ip, "ARP sender_ip");
	same_mac(&r.sender_mac, &m->sender_mac, "ARP sender_mac");
	same_ip(&r.target_ip, &m->target_ip, "ARP target_ip");
	same_mac(&r.target_mac, &m->target_mac, "ARP target_mac");
}

static void
roundtrip_ns(const struct codec_msg *m)
{
	uint8_t buf[CODEC_FRAME_MAX];
	struct codec_msg r;
	struct addr_ip group;
	struct addr_mac gmac;
	const struct addr_mac *src;
	size_t n;
	int dad = unspecified(&m->ip_src);

	/* The encoder puts eth_src into the source link-layer option. */
	src = m->has_lladdr ? &m->sender_mac : &m->eth_src;
	n = codec_encode_ns(buf, src, &m->eth_dst, &m->ip_src, &m->ip_dst,
	    &m->target_ip);
	redecode(buf, n, &r);
	if (r.kind != CODEC_ND_NS || r.na_flags != 0)
		fail("NS kind");
	if (r.has_lladdr != !dad || (dad && m->has_lladdr))
		fail("NS has_lladdr");
	same_mac(&r.eth_src, src, "NS eth_src");
	same_mac(&r.eth_dst, &m->eth_dst, "NS eth_dst");
	same_ip(&r.ip_src, &m->ip_src, "NS ip_src");
	same_ip(&r.ip_dst, &m->ip_dst, "NS ip_dst");
	same_ip(&r.sender_ip, &m->sender_ip, "NS sender_ip");
	same_ip(&r.target_ip, &m->target_ip, "NS target_ip");
	if (!dad)
		same_mac(&r.sender_mac, src, "NS sender_mac");

	/* The multicast form goes to the target's solicited-node group. */
	codec_solicited_node(&m->target_ip, &group, &gmac);
	n = codec_encode_ns(buf, src, NULL, &m->ip_src, NULL, &m->target_ip);
	redecode(buf, n, &r);
	same_ip(&r.ip_dst, &group, "NS group");
	same_mac(&r.eth_dst, &gmac, "NS group MAC");
	same_ip(&r.target_ip, &m->target_ip, "NS multicast target_ip");
}

static void
roundtrip_na(const struct codec_msg *m)
{
	uint8_t buf[CODEC_FRAME_MAX];
	struct codec_msg r;
	size_t n;

	n = codec_encode_na(buf, &m->eth_src, &m->eth_dst, &m->ip_src,
	    &m->ip_dst, &m->target_ip, m->has_lladdr ? &m->sender_mac : NULL,
	    m->na_flags);
	redecode(buf, n, &r);
	if (r.kind != CODEC_ND_NA || r.na_flags != m->na_flags ||
	    r.has_lladdr != m->has_lladdr)
		fail("NA kind, flags or has_lladdr");
	same_mac(&r.eth_src, &m->eth_src, "NA eth_src");
	same_mac(&r.eth_dst, &m->eth_dst, "NA eth_dst");
	same_ip(&r.ip_src, &m->ip_src, "NA ip_src");
	same_ip(&r.ip_dst, &m->ip_dst, "NA ip_dst");
	same_ip(&r.sender_ip, &m->sender_ip, "NA sender_ip");
	same_ip(&r.target_ip, &m->target_ip, "NA target_ip");
	same_mac(&r.sender_mac, &m->sender_mac, "NA sender_mac");
}

static void
check(const uint8_t *data, size_t size)
{
	struct codec_msg m;
	enum codec_verdict v;

	v = codec_decode(data, size, &m);
	if ((unsigned)v >= CODEC_VERDICT_COUNT ||
	    strcmp(codec_verdict_name(v), "invalid") == 0)
		fail("verdict out of range");
	if (v != CODEC_OK)
		return;
	switch (m.kind) {
	case CODEC_ARP_REQUEST:
	case CODEC_ARP_REPLY:
		roundtrip_arp(data, &m);
		break;
	case CODEC_ND_NS:
		roundtrip_ns(&m);
		break;
	case CODEC_ND_NA:
		roundtrip_na(&m);
		break;
	default:
		fail("unknown kind");
	}
}

/* RFC 4443 2.3 checksum of the ICMPv6 message at f + 54, set in place. */
static void
fix_checksum(uint8_t *f, size_t plen)
{
	uint32_t sum = 58 + (uint32_t)plen;
	size_t i;

	f[56] = f[57] = 0;
	for (i = 22; i < 54; i += 2)
		sum += (uint32_t)f[i] << 8 | f[i + 1];
	for (i = 0; i < plen; i++)
		sum += (i & 1) ? f[54 + i] : (uint32_t)f[54 + i] << 8;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	f[56] = (uint8_t)(sum >> 8);
	f[57] = (uint8_t)sum;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	size_t plen;

	check(data, size);

	if (size < 58 || size > FRAME_CAP || data[12] != 0x86 ||
	    data[13] != 0xdd)
		return 0;
	plen = (size_t)data[18] << 8 | data[19];
	if (plen < 4 || plen > size - 54)
		return 0;
	/* Exact-size heap copy, so reads past the end are still caught. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	fix_checksum(copy, plen);
	check(copy, size);
	free(copy);
	return 0;
}
