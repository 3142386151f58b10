/*
 * Interfaces: presence, flags, MAC and addresses of a named interface,
 * read through libdnet's intf_* (SIOCGIF* and /proc on Linux, sysctl on
 * the BSDs).
 */
#ifndef PARPD_IFACE_H
#define PARPD_IFACE_H

#include <stdbool.h>

#include "core.h"

struct iface_state {
	bool up;	   /* administratively up */
	bool ethernet;	   /* has an Ethernet link-layer address */
	unsigned index;	   /* kernel interface index */
	size_t ignored;	   /* addresses left out of info (see iface_get) */
	bool truncated;	   /* libdnet's buffer was full: maybe more */
	struct core_ifinfo info;
};

struct iface_table;

/* NULL with errno set if libdnet cannot open its socket. */
struct iface_table *iface_open(void);
void iface_close(struct iface_table *t);

/*
 * The state of interface name.  Returns 0, or -1 with errno set (ENXIO or
 * ENODEV: no such interface).  Addresses come IPv4 first as the kernel
 * lists them, then IPv6; at most CORE_IFACE_ADDRS_MAX, chosen by
 * iface_select, and out->ignored says how many more there were.
 */
int iface_get(struct iface_table *t, const char *name,
    struct iface_state *out);

/*
 * Fill info from the n distinct addresses all (IPv4 first, then IPv6).
 * Beyond CORE_IFACE_ADDRS_MAX, the first ones are kept in order, and the
 * first IPv6 link-local address is kept in any case (the core sends its
 * NS from it); the first address, the first IPv4 one if there is any, is
 * always kept (the core's ARP source).  Returns how many were left out.
 */
size_t iface_select(const struct addr_ip *all, size_t n,
    struct core_ifinfo *info);

bool iface_info_equal(const struct core_ifinfo *a,
    const struct core_ifinfo *b);

#endif
