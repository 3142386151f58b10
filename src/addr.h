/*
 * Addresses: IPv4/IPv6 protocol addresses, prefixes and Ethernet MACs as
 * plain values, shared by the parser, the codec and the core.
 */
#ifndef PARPD_ADDR_H
#define PARPD_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ADDR_V4 4 /* family tags; not AF_* so the core needs no socket.h */
#define ADDR_V6 6

#define ADDR_IP_STRLEN 46     /* INET6_ADDRSTRLEN */
#define ADDR_PREFIX_STRLEN 50 /* address, '/', up to 3 digits, NUL */
#define ADDR_MAC_STRLEN 18

/* An IPv4 address lives in b[0..3], the rest of b is zero. */
struct addr_ip {
	uint8_t family; /* ADDR_V4 or ADDR_V6 */
	uint8_t b[16];
};

struct addr_prefix {
	struct addr_ip ip;
	uint8_t len; /* 0..32 or 0..128 */
};

struct addr_mac {
	uint8_t b[6];
};

int addr_ip_parse(const char *s, struct addr_ip *out);
int addr_mac_parse(const char *s, struct addr_mac *out);
int addr_prefix_parse(const char *s, struct addr_prefix *out);

const char *addr_ip_format(const struct addr_ip *ip, char *buf, size_t len);
const char *addr_mac_format(const struct addr_mac *mac, char *buf,
    size_t len);
const char *addr_prefix_format(const struct addr_prefix *p, char *buf,
    size_t len);

void addr_ip_set4(struct addr_ip *ip, const uint8_t b[4]);
void addr_ip_set6(struct addr_ip *ip, const uint8_t b[16]);
bool addr_ip_equal(const struct addr_ip *a, const struct addr_ip *b);
bool addr_ip_is_unspecified(const struct addr_ip *ip);
unsigned addr_family_bits(uint8_t family);

bool addr_mac_equal(const struct addr_mac *a, const struct addr_mac *b);
bool addr_mac_is_zero(const struct addr_mac *mac);
bool addr_mac_is_multicast(const struct addr_mac *mac);

bool addr_prefix_contains(const struct addr_prefix *p,
    const struct addr_ip *ip);
/* True if p has bits set below its length (198.51.100.1/24). */
bool addr_prefix_has_host_bits(const struct addr_prefix *p);
/* Clears the bits below the prefix length. */
void addr_prefix_normalise(struct addr_prefix *p);

/*
 * IPv6 link-local, fe80::/10 (RFC 4291 2.5.6): meaningful on one link
 * only (RFC 4007).  Inline: the cache's hash asks it for every frame.
 */
static inline bool
addr_ip_is_linklocal6(const struct addr_ip *ip)
{
	return ip->family == ADDR_V6 && ip->b[0] == 0xfe &&
	    (ip->b[1] & 0xc0) == 0x80;
}

/*
 * False for addresses that name no neighbour: this network, loopback,
 * multicast and the reserved block with the broadcast address (RFC 1122
 * 3.2.1.3, RFC 5735), IPv6 unspecified, loopback and multicast (RFC
 * 4291).  They are neither learned nor answered for.
 */
static inline bool
addr_ip_names_neighbour(const struct addr_ip *ip)
{
	static const uint8_t zero6[16], loop6[16] = { [15] = 1 };

	if (ip->family == ADDR_V4)
		return ip->b[0] != 0 && ip->b[0] != 127 && ip->b[0] < 224;
	return memcmp(ip->b, zero6, 16) != 0 && ip->b[0] != 0xff &&
	    memcmp(ip->b, loop6, 16) != 0;
}

#endif
