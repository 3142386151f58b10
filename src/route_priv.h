/*
 * Inside the route front end: the set of routes parpd installed (and of
 * those it found someone else's), keyed by address and interface.  The
 * interfaces are interned: a route names one by a small number.
 */
#ifndef PARPD_ROUTE_PRIV_H
#define PARPD_ROUTE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "conf.h"
#include "siphash.h"

#define ROUTE_MARK_OWN 1     /* installed by parpd */
#define ROUTE_MARK_FOREIGN 2 /* add found someone else's; said once */

/*
 * A slot: address bytes, family (0: empty), mark, interface number; 19
 * bytes with no padding (a million routes fill 1.6 million slots).
 */
struct route_slot {
	uint8_t b[16];
	uint8_t family : 4;	/* ADDR_V4, ADDR_V6, or 0 */
	uint8_t mark : 4;	/* ROUTE_MARK_* */
	uint8_t ifx[2];		/* index into route_set.ifnames, little end */
};

struct route_set {
	struct siphash_key key;
	struct route_slot *slots;
	size_t cap;	/* slots, or 0 */
	size_t n;	/* slots in use */
	size_t nown;	/* of which ROUTE_MARK_OWN */
	/* Interface names seen, interned (a few; never shrinks). */
	char (*ifnames)[CONF_IFNAMSIZ];
	size_t nifnames;
};

/* Empty, with a random key (the addresses come from the network). */
void route_set_init(struct route_set *s);
void route_set_free(struct route_set *s);
/* The interned number of ifname, or -1 (unknown, or no memory to add). */
int route_set_ifx(const struct route_set *s, const char *ifname);
int route_set_ifx_add(struct route_set *s, const char *ifname);
const char *route_set_ifname(const struct route_set *s, unsigned ifx);
/* The mark of ip on interface ifx, 0 if none. */
uint8_t route_set_get(const struct route_set *s, const struct addr_ip *ip,
    unsigned ifx);
/* Mark ip on ifx; false without memory. */
bool route_set_put(struct route_set *s, const struct addr_ip *ip,
    unsigned ifx, uint8_t mark);
void route_set_drop(struct route_set *s, const struct addr_ip *ip,
    unsigned ifx);
/*
 * Every member marked mark, from slot *pos on: the next one's address
 * and interface, advancing *pos; false at the end.  The set must not
 * change during a walk.
 */
bool route_set_walk(const struct route_set *s, size_t *pos, uint8_t mark,
    struct addr_ip *ip, unsigned *ifx);
/* Drop every member marked mark. */
void route_set_drop_all(struct route_set *s, uint8_t mark);

#endif
