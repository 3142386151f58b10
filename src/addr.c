/* Addresses: parsing, formatting and comparison of plain address values. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

unsigned
addr_family_bits(uint8_t family)
{
	return family == ADDR_V4 ? 32 : 128;
}

void
addr_ip_set4(struct addr_ip *ip, const uint8_t b[4])
{
	memset(ip, 0, sizeof(*ip));
	ip->family = ADDR_V4;
	memcpy(ip->b, b, 4);
}

void
addr_ip_set6(struct addr_ip *ip, const uint8_t b[16])
{
	ip->family = ADDR_V6;
	memcpy(ip->b, b, 16);
}

int
addr_ip_parse(const char *s, struct addr_ip *out)
{
	uint8_t b[16];

	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, b) != 1)
			return -1;
		addr_ip_set6(out, b);
		return 0;
	}
	/* inet_pton accepts only the dotted quad, not "1.2" or octal. */
	if (inet_pton(AF_INET, s, b) != 1)
		return -1;
	addr_ip_set4(out, b);
	return 0;
}

int
addr_prefix_parse(const char *s, struct addr_prefix *out)
{
	char buf[ADDR_PREFIX_STRLEN];
	const char *slash = strchr(s, '/');
	size_t alen;
	unsigned long len;
	char *end;

	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (addr_ip_parse(buf, &out->ip) != 0)
		return -1;
	if (slash == NULL) {
		out->len = (uint8_t)addr_family_bits(out->ip.family);
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len > addr_family_bits(out->ip.family))
		return -1;
	out->len = (uint8_t)len;
	return 0;
}

int
addr_mac_parse(const char *s, struct addr_mac *out)
{
	unsigned i;

	/* Exactly six groups of one or two hex digits separated by ':'. */
	for (i = 0; i < 6; i++) {
		unsigned v = 0, digits = 0;

		while (digits < 2 && ((*s >= '0' && *s <= '9') ||
		    (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))) {
			v = v * 16 + (unsigned)(*s <= '9' ? *s - '0' :
			    (*s | 0x20) - 'a' + 10);
			s++;
			digits++;
		}
		if (digits == 0)
			return -1;
		out->b[i] = (uint8_t)v;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s == '\0' ? 0 : -1;
}

const char *
addr_ip_format(const struct addr_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family == ADDR_V4 ? AF_INET : AF_INET6, ip->b, buf,
	    (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
	return buf;
}

const char *
addr_mac_format(const struct addr_mac *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac->b[0],
	    mac->b[1], mac->b[2], mac->b[3], mac->b[4], mac->b[5]);
	return buf;
}

const char *
addr_prefix_format(const struct addr_prefix *p, char *buf, size_t len)
{
	char ip[ADDR_IP_STRLEN];

	snprintf(buf, len, "%s/%u", addr_ip_format(&p->ip, ip, sizeof(ip)),
	    p->len);
	return buf;
}

bool
addr_ip_equal(const struct addr_ip *a, const struct addr_ip *b)
{
	return a->family == b->family &&
	    memcmp(a->b, b->b, a->family == ADDR_V4 ? 4 : 16) == 0;
}

bool
addr_ip_is_unspecified(const struct addr_ip *ip)
{
	static const uint8_t zero[16];

	return memcmp(ip->b, zero, ip->family == ADDR_V4 ? 4 : 16) == 0;
}

bool
addr_mac_equal(const struct addr_mac *a, const struct addr_mac *b)
{
	return memcmp(a->b, b->b, 6) == 0;
}

bool
addr_mac_is_zero(const struct addr_mac *mac)
{
	static const struct addr_mac zero;

	return addr_mac_equal(mac, &zero);
}

bool
addr_mac_is_multicast(const struct addr_mac *mac)
{
	return (mac->b[0] & 1) != 0; /* the I/G bit, IEEE 802 */
}

bool
addr_prefix_contains(const struct addr_prefix *p, const struct addr_ip *ip)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (p->ip.family != ip->family)
		return false;
	if (memcmp(p->ip.b, ip->b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((p->ip.b[full] ^ ip->b[full]) & (0xff00 >> rest)) == 0;
}

bool
addr_prefix_has_host_bits(const struct addr_prefix *p)
{
	struct addr_prefix n = *p;

	addr_prefix_normalise(&n);
	return !addr_ip_equal(&n.ip, &p->ip);
}

void
addr_prefix_normalise(struct addr_prefix *p)
{
	unsigned bits = addr_family_bits(p->ip.family), i;

	for (i = p->len; i < bits; i++)
		p->ip.b[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}
