/*
 * Interfaces: presence, flags, MAC and addresses of a named interface.
 * The system side is a table of functions (struct iface_ops): libdnet's
 * intf_* (SIOCGIF* and /proc on Linux, sysctl on the BSDs) in
 * production, text files in the daemon's tests (iface_file.c).
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

/* A back end; each function has the contract of its iface_* wrapper. */
struct iface_ops {
	const char *name;
	/* where: back-end specific (the file back end's directory). */
	void *(*open)(const char *where);
	void (*close)(void *h);
	int (*get)(void *h, const char *name, struct iface_state *out);
};

extern const struct iface_ops iface_dnet_ops;
extern const struct iface_ops iface_file_ops;

struct iface_table;

/*
 * ops NULL: libdnet.  NULL with errno set if the back end cannot open
 * (libdnet's socket).
 */
struct iface_table *iface_open(const struct iface_ops *ops,
    const char *where);
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

/* info->plen[i] from plen[k] of the same address all[k]. */
void iface_select_plen(const struct addr_ip *all, const uint8_t *plen,
    size_t n, struct core_ifinfo *info);

bool iface_info_equal(const struct core_ifinfo *a,
    const struct core_ifinfo *b);

#endif
