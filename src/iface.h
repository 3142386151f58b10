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
	struct core_ifinfo info;
};

struct iface_table;

/* NULL with errno set if libdnet cannot open its socket. */
struct iface_table *iface_open(void);
void iface_close(struct iface_table *t);

/*
 * The state of interface name.  Returns 0, or -1 with errno set (ENXIO or
 * ENODEV: no such interface).  Addresses come IPv4 first as the kernel
 * lists them, then IPv6; at most CORE_IFACE_ADDRS_MAX.
 */
int iface_get(struct iface_table *t, const char *name,
    struct iface_state *out);

bool iface_info_equal(const struct core_ifinfo *a,
    const struct core_ifinfo *b);

#endif
