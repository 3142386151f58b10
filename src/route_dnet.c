/*
 * Host routes through libdnet, for systems without rtnetlink.  libdnet
 * cannot tag a route as parpd's, so ownership comes from the state file:
 * parpd deletes only routes it recorded there, and at start clears what
 * a crashed predecessor recorded.  It builds on Linux too (Debian's
 * libdumbnet, configure --with-route-backend=dnet), where CI tests it and
 * rtnetlink is used otherwise: there libdumbnet's route6_delete() is
 * broken (PLATFORM-NOTES) and route_loop() lists no IPv4 route without a
 * gateway.
 */
#include "config.h"

#include <errno.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "route.h"
#include "statefile.h"

struct rdnet {
	route_t *rt;
	struct statefile sf;
};

static void *
rdnet_open(const char *state, char *err, size_t errlen)
{
	struct rdnet *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if (state == NULL)
		state = ROUTE_STATEFILE_DEFAULT;
	if (statefile_load(&d->sf, state) != 0) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", state,
			    strerror(errno));
		statefile_free(&d->sf);
		free(d);
		return NULL;
	}
	if ((d->rt = route_open()) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "route_open: %s",
			    strerror(errno));
		statefile_free(&d->sf);
		free(d);
		return NULL;
	}
	return d;
}

static void
rdnet_close(void *h)
{
	struct rdnet *d = h;

	route_close(d->rt);
	statefile_free(&d->sf);
	free(d);
}

/*
 * The entry for a host route.  The gateway must be a typed unspecified
 * address (0.0.0.0 or ::), not a zeroed struct: libdnet's route_add_dev
 * refuses an untyped one with EINVAL (PLATFORM-NOTES).
 */
static int
rdnet_entry(const struct addr_ip *ip, struct route_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (ip->family == ADDR_V4) {
		addr_pack(&e->route_dst, ADDR_TYPE_IP, IP_ADDR_BITS, ip->b,
		    IP_ADDR_LEN);
		return addr_pton("0.0.0.0", &e->route_gw) == 0 ? 0 : EINVAL;
	}
	if (ip->family == ADDR_V6) {
		addr_pack(&e->route_dst, ADDR_TYPE_IP6, IP6_ADDR_BITS, ip->b,
		    IP6_ADDR_LEN);
		return addr_pton("::", &e->route_gw) == 0 ? 0 : EINVAL;
	}
	return EAFNOSUPPORT;
}

struct rdnet_find {
	const struct addr *dst;
	bool found;
};

static int
rdnet_match(const struct route_entry *e, void *arg)
{
	struct rdnet_find *f = arg;

	if (addr_cmp(&e->route_dst, f->dst) != 0)
		return 0;
	f->found = true;
	return 1;
}

/*
 * True if the system has a route to exactly e's host (/32 or /128), on
 * whichever interface: libdnet's route entries do not name one.  It walks
 * the whole table (route_loop: /proc/net/route and /proc/net/ipv6_route
 * on Linux, the routing sysctl on BSD), once per route change.
 */
static bool
rdnet_present(struct rdnet *d, const struct route_entry *e)
{
	struct rdnet_find f;

	f.dst = &e->route_dst;
	f.found = false;
	(void)route_loop(d->rt, rdnet_match, &f);
	return f.found;
}

static int
rdnet_save(struct rdnet *d)
{
	return statefile_save(&d->sf) == 0 ? 0 : errno;
}

static int
rdnet_add(void *h, const struct addr_ip *ip, const char *ifname)
{
	struct rdnet *d = h;
	struct route_entry e;
	unsigned idx;
	bool listed;
	int rc;

	if ((rc = rdnet_entry(ip, &e)) != 0)
		return rc;
	if ((idx = if_nametoindex(ifname)) == 0)
		return ENODEV;
	/*
	 * Someone else's route to the host is left alone, and parpd adds
	 * none beside it.  BSD's routing socket refuses a second one with
	 * EEXIST, but Linux's route ioctls (libdnet's way there) add it: an
	 * IPv4 route of protocol boot in front of the operator's, an IPv6
	 * one of metric 1 below the operator's 1024, either taking the host
	 * over.  So look first.  One the state file lists is parpd's, left
	 * by a removal that failed (see rdnet_delete).  On Linux route_loop
	 * lists no IPv4 route without a gateway, so only the IPv6 one is
	 * seen there (parpd.8, Routes).
	 */
	if (rdnet_present(d, &e))
		return statefile_has(&d->sf, ifname, ip) ? 0 : EEXIST;
	/*
	 * Recorded before it is added: the system never holds a route of
	 * parpd's that the file does not list, not when the file cannot be
	 * written (a directory the user parpd runs as cannot write to,
	 * parpd.8 PRIVILEGES; a full disk) nor when parpd dies in between.
	 * One listed already (a predecessor's, kept at start) stays listed
	 * whatever the kernel says.
	 */
	listed = statefile_has(&d->sf, ifname, ip);
	if (!listed && statefile_add(&d->sf, ifname, ip) != 0)
		return errno;
	if (!listed && (rc = rdnet_save(d)) != 0) {
		statefile_remove(&d->sf, ifname, ip);
		return rc;
	}
	errno = 0;
	if (ip->family == ADDR_V4)
		rc = route_add_dev(d->rt, &e, ifname);
	else
		rc = route6_add(d->rt, &e, (int)idx);
	if (rc < 0) {
		/* EEXIST: someone else's route, or a listed one kept. */
		rc = errno != 0 ? errno : EIO;
		if (!listed) {
			statefile_remove(&d->sf, ifname, ip);
			(void)rdnet_save(d);
		}
		return rc;
	}
	return 0;
}

static int
rdnet_delete(struct rdnet *d, const struct addr_ip *ip, const char *ifname)
{
	struct route_entry e;
	unsigned idx = 0;
	int rc;

	if ((rc = rdnet_entry(ip, &e)) != 0)
		return rc;
	errno = 0;
	if (ip->family == ADDR_V4)
		rc = route_delete(d->rt, &e);
	else if ((idx = if_nametoindex(ifname)) != 0)
		rc = route6_delete(d->rt, &e, (int)idx);
	else {
		/* The interface is gone and its routes with it. */
		rc = -1;
		errno = ESRCH;
	}
	if (rc < 0 && errno == ESRCH && ip->family == ADDR_V6 && idx != 0 &&
	    rdnet_present(d, &e))
		/*
		 * "No such route", yet it is there: libdumbnet's
		 * route6_delete on Linux passes the kernel a malformed
		 * address (PLATFORM-NOTES).  Not gone, so the state file
		 * keeps it, and parpd says it could not remove it.
		 */
		return ENOTSUP;
	if (rc < 0)
		return errno != 0 ? errno : EIO;
	return 0;
}

static int
rdnet_del(void *h, const struct addr_ip *ip, const char *ifname)
{
	struct rdnet *d = h;
	int e;

	/* Never delete a route parpd did not install. */
	if (!statefile_has(&d->sf, ifname, ip))
		return ESRCH;
	e = rdnet_delete(d, ip, ifname);
	if (e != 0 && e != ESRCH)
		return e;
	statefile_remove(&d->sf, ifname, ip);
	if (rdnet_save(d) != 0)
		return errno;
	return e;
}

static int
rdnet_flush(void *h, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	struct rdnet *d = h;
	struct statefile_entry ent;
	size_t i = 0;
	int removed = 0, e;

	while (i < d->sf.n) {
		if (strcmp(d->sf.v[i].ifname, ifname) != 0) {
			i++;
			continue;
		}
		ent = d->sf.v[i];
		/* Kept: it stays recorded, as parpd's. */
		if (keep != NULL && keep(arg, &ent.ip, ent.ifname)) {
			i++;
			continue;
		}
		e = rdnet_delete(d, &ent.ip, ent.ifname);
		if (e != 0 && e != ESRCH) {
			i++;
			continue;
		}
		statefile_remove(&d->sf, ent.ifname, &ent.ip);
		if (e == 0) {
			removed++;
			if (fn != NULL)
				fn(arg, &ent.ip, ent.ifname);
		}
	}
	if (rdnet_save(d) != 0)
		return -errno;
	return removed;
}

const struct route_ops route_dnet_ops = {
	.name = "libdnet",
	.keeps_state = true,
	.open = rdnet_open,
	.close = rdnet_close,
	.add = rdnet_add,
	.del = rdnet_del,
	.flush = rdnet_flush,
	.neighbour = NULL,
};
