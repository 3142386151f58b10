/*
 * Host routes that mirror learned hosts: a /32 or /128 on the interface
 * the host was learned on.  The system side is a small table of
 * functions (struct route_ops), so the daemon runs on rtnetlink (Linux),
 * on libdnet elsewhere, and tests can put a recorder in its place.
 *
 * libdnet owns the names route_add, route_open and friends; this module
 * uses route_host_*, route_backend_* and route_flush instead.
 */
#ifndef PARPD_ROUTE_H
#define PARPD_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * Linux: the rtm_protocol value marking parpd's routes ("proto 245" in
 * ip route), so a restart finds what a crashed predecessor left and
 * nothing else is ever touched.  Not assigned in rtnetlink.h or
 * /etc/iproute2/rt_protos.
 */
#define ROUTE_PROTO_PARPD 245

/* libdnet backend: the routes parpd installed, for cleanup after a crash. */
#ifndef ROUTE_STATEFILE_DEFAULT
#define ROUTE_STATEFILE_DEFAULT "/var/run/parpd.routes"
#endif

/* Called by flush for every leftover route removed. */
typedef void route_flush_fn(void *arg, const struct addr_ip *ip,
    const char *ifname);
/* Asked by flush of every leftover route: true keeps it (adoption). */
typedef bool route_keep_fn(void *arg, const struct addr_ip *ip,
    const char *ifname);

/* One route to add or delete, for a back end's batch. */
struct route_request {
	const struct addr_ip *ip;
	const char *ifname;
	bool add;	/* else delete */
	int result;	/* set by the back end: as add or del returns */
};

struct route_ops {
	const char *name;
	/* True if open's state is used: the state file lists the routes. */
	bool keeps_state;
	/* state: the state file (libdnet backend); NULL on error. */
	void *(*open)(const char *state, char *err, size_t errlen);
	void (*close)(void *h);
	/* 0 or an errno value. */
	int (*add)(void *h, const struct addr_ip *ip, const char *ifname);
	int (*del)(void *h, const struct addr_ip *ip, const char *ifname);
	/*
	 * Optional: carry out n requests in order, with as few system
	 * calls as the back end can, setting each one's result.  Without
	 * it add and del are called one by one.
	 */
	void (*batch)(void *h, struct route_request *req, size_t n);
	/*
	 * Remove every route of parpd's own on ifname (leftovers of an
	 * earlier run) for which keep (if not NULL) says false; fn is
	 * called for each one removed.  The number removed, or -errno.
	 */
	int (*flush)(void *h, const char *ifname, route_keep_fn *keep,
	    route_flush_fn *fn, void *arg);
	/*
	 * The kernel's neighbour entry for ip on ifname, if it has a
	 * link-layer address (reachable, stale, delay, probe or
	 * permanent): 0 and *mac, else an errno value.  NULL: not known
	 * by this back end.
	 */
	int (*neighbour)(void *h, const struct addr_ip *ip,
	    const char *ifname, struct addr_mac *mac);
};

/* One of them is built (configure --with-route-backend). */
extern const struct route_ops route_netlink_ops;
extern const struct route_ops route_dnet_ops;
/* Tests: records each call in the state file (route_record.c). */
extern const struct route_ops route_record_ops;

/* rtnetlink on Linux, libdnet elsewhere, or as configure chose. */
const struct route_ops *route_default_ops(void);

struct route_counters {
	uint64_t added;
	uint64_t deleted;
	uint64_t moved;
	uint64_t flushed; /* leftovers removed */
	uint64_t kept;	  /* leftovers kept (adopted) by flush */
	uint64_t benign;  /* parpd's route there on add, gone on delete */
	uint64_t exists;  /* add found a route parpd did not install */
	uint64_t errors;
};

struct route_backend;

struct route_backend *route_backend_open(const struct route_ops *ops,
    const char *state, char *err, size_t errlen);
void route_backend_close(struct route_backend *rb);
const char *route_backend_name(const struct route_backend *rb);
const struct route_counters *route_backend_counters(
    const struct route_backend *rb);

/*
 * The front end records the routes parpd installed (address and
 * interface).  Only those are ever deleted or moved, and only they count
 * as added, deleted or moved: a route that was already there when parpd
 * wanted to add it (the operator's, of any protocol) is left alone, and
 * parpd does not take it over.  Each later add for that host (after it
 * expires and is learned again, moves, or its interface comes back)
 * tries again, and installs parpd's own route once the other one is
 * gone.
 *
 * Changes are queued and carried out in order by route_commit, many to a
 * system call, so that the daemon answers frames between batches instead
 * of waiting for the kernel once per route.
 */
enum route_change {
	ROUTE_CHANGE_ADD,
	ROUTE_CHANGE_DEL,
	ROUTE_CHANGE_MOVE	/* delete on from, add on to */
};

/*
 * Called as each change is carried out, with its outcome e:
 * - add: 0 when parpd's route is there now (or nothing new is to be
 *   said), EEXIST the first time a route parpd did not install is found
 *   for ip on ifname (counted as exists; said once until the host is let
 *   go with a delete), else an errno value, counted as an error;
 * - delete: 0 when the route is gone (or was never parpd's: then nothing
 *   is done), else an errno value (counted; the route stays recorded);
 * - move: the first error of its delete and add; counted as a move only
 *   when parpd's route left from and parpd's route is on to.
 * from is NULL but for a move.
 */
typedef void route_done_fn(void *arg, enum route_change what,
    const struct addr_ip *ip, const char *from, const char *to, int e);

/* Who hears of the outcomes (none at first). */
void route_backend_report(struct route_backend *rb, route_done_fn *fn,
    void *arg);
/*
 * Queue a change; from only for a move.  Never lost: without memory for
 * the queue, what is queued and this change are carried out at once.
 */
void route_host_change(struct route_backend *rb, enum route_change what,
    const struct addr_ip *ip, const char *from, const char *to);
/* Changes queued and not yet carried out. */
size_t route_pending(const struct route_backend *rb);
/*
 * Carry out the next batch of queued changes (at most ROUTE_BATCH_MAX
 * requests to the back end); the number of changes done.
 */
#define ROUTE_BATCH_MAX 128
size_t route_commit(struct route_backend *rb);
/* True if parpd installed a route for ip on ifname. */
bool route_backend_owns(const struct route_backend *rb,
    const struct addr_ip *ip, const char *ifname);
/* How many routes parpd has installed now. */
size_t route_backend_owned(const struct route_backend *rb);
/*
 * Carry out what is queued, then delete every route parpd installed and
 * still has (at exit, after the core's deletions), in batches.  The
 * number of those no longer there.
 */
int route_remove_all(struct route_backend *rb);
/*
 * See route_ops.flush.  The routes keep keeps (it may be NULL: none) are
 * parpd's from then on, like those it installed itself.
 */
int route_flush(struct route_backend *rb, const char *ifname,
    route_keep_fn *keep, route_flush_fn *fn, void *arg);
/* See route_ops.neighbour; ENOTSUP when the back end has none. */
int route_neighbour(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname, struct addr_mac *mac);

#endif
