/*
 * The interface front end and the libdnet back end.  See iface.h.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "iface.h"

struct iface_table {
	const struct iface_ops *ops;
	void *h;
};

struct iface_dnet {
	intf_t *intf;
};

/* Room for the entry and its alias addresses (IPv6 ones included). */
#define IFACE_ENTRY_BUF 4096

static void *
iface_dnet_open(const char *where)
{
	struct iface_dnet *t;

	(void)where;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->intf = intf_open()) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

static void
iface_dnet_close(void *h)
{
	struct iface_dnet *t = h;

	intf_close(t->intf);
	free(t);
}

/* Every address an entry can hold, the primary one included. */
#define IFACE_ALL_MAX (IFACE_ENTRY_BUF / sizeof(struct addr) + 1)

/*
 * Append a to all[*n], its prefix length to plen[*n], unless it is not
 * IP, unspecified or already there.
 */
static void
iface_collect(struct addr_ip *all, uint8_t *plen, size_t *n,
    const struct addr *a)
{
	struct addr_ip ip;
	size_t i;

	memset(&ip, 0, sizeof(ip));
	if (a->addr_type == ADDR_TYPE_IP)
		addr_ip_set4(&ip, (const uint8_t *)&COMPAT_DNET_IP4(a));
	else if (a->addr_type == ADDR_TYPE_IP6)
		addr_ip_set6(&ip, a->addr_ip6.data);
	else
		return;
	if (addr_ip_is_unspecified(&ip) || *n >= IFACE_ALL_MAX)
		return;
	for (i = 0; i < *n; i++)
		if (addr_ip_equal(&all[i], &ip))
			return;
	plen[*n] = (uint8_t)a->addr_bits;
	all[(*n)++] = ip;
}

static int
iface_dnet_get(void *h, const char *name, struct iface_state *out)
{
	struct iface_dnet *t = h;
	union {
		struct intf_entry e;
		uint8_t buf[IFACE_ENTRY_BUF];
	} u;
	struct intf_entry *e = &u.e;
	struct addr_ip all[IFACE_ALL_MAX];
	uint8_t plen[IFACE_ALL_MAX];
	unsigned i, pass;
	size_t n;

	memset(out, 0, sizeof(*out));
	memset(&u, 0, sizeof(u));
	if (strlen(name) >= sizeof(e->intf_name)) {
		errno = ENXIO;
		return -1;
	}
	e->intf_len = sizeof(u);
	strncpy(e->intf_name, name, sizeof(e->intf_name) - 1);
	if (intf_get(t->intf, e) < 0) {
		if (errno == 0)
			errno = ENXIO;
		return -1;
	}
	out->index = if_nametoindex(name);
	if (out->index == 0) {
		errno = ENXIO;
		return -1;
	}
	out->up = (e->intf_flags & INTF_FLAG_UP) != 0;
	if (e->intf_link_addr.addr_type == ADDR_TYPE_ETH) {
		out->ethernet = true;
		memcpy(out->info.mac.b, &e->intf_link_addr.addr_eth, 6);
	}
	/* IPv4 first (the primary address, then aliases), then IPv6. */
	n = 0;
	for (pass = 0; pass < 2; pass++) {
		uint16_t want = pass == 0 ? ADDR_TYPE_IP : ADDR_TYPE_IP6;

		if (e->intf_addr.addr_type == want)
			iface_collect(all, plen, &n, &e->intf_addr);
		for (i = 0; i < e->intf_alias_num; i++)
			if (e->intf_alias_addrs[i].addr_type == want)
				iface_collect(all, plen, &n,
				    &e->intf_alias_addrs[i]);
	}
	out->ignored = iface_select(all, n, &out->info);
	iface_select_plen(all, plen, n, &out->info);
	/* libdnet stops silently when the entry has no room left. */
	out->truncated = e->intf_len + sizeof(struct addr) >= sizeof(u);
	return 0;
}

bool
iface_info_equal(const struct core_ifinfo *a, const struct core_ifinfo *b)
{
	size_t i;

	if (!addr_mac_equal(&a->mac, &b->mac) || a->naddrs != b->naddrs)
		return false;
	for (i = 0; i < a->naddrs; i++)
		if (!addr_ip_equal(&a->addrs[i], &b->addrs[i]) ||
		    a->plen[i] != b->plen[i])
			return false;
	return true;
}

const struct iface_ops iface_dnet_ops = {
	"libdnet",
	iface_dnet_open,
	iface_dnet_close,
	iface_dnet_get,
};

/* ---- front end ---- */

struct iface_table *
iface_open(const struct iface_ops *ops, const char *where)
{
	struct iface_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->ops = ops != NULL ? ops : &iface_dnet_ops;
	if ((t->h = t->ops->open(where)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

void
iface_close(struct iface_table *t)
{
	if (t == NULL)
		return;
	t->ops->close(t->h);
	free(t);
}

int
iface_get(struct iface_table *t, const char *name, struct iface_state *out)
{
	return t->ops->get(t->h, name, out);
}
