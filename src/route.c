/*
 * Host routes: the backend-independent part.  See route.h.
 *
 * The front end keeps the set of routes parpd installed itself, keyed by
 * address and interface, in an open-addressed hash table (linear
 * probing, deletion by backward shift) keyed with a random secret, as
 * the addresses come from the network.  The core only says which routes
 * it wants; whether one is parpd's is known here.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "conf.h"
#include "route.h"
#include "siphash.h"

/* A slot: address bytes, family (0: empty), mark, interface number. */
struct route_slot {
	uint8_t b[16];
	uint8_t family;
	uint8_t mark;	/* ROUTE_MARK_* */
	uint16_t ifx;	/* index into route_backend.ifnames */
};

#define ROUTE_MARK_OWN 1     /* installed by parpd */
#define ROUTE_MARK_FOREIGN 2 /* add found someone else's; said once */

#define ROUTE_SET_MIN 64u

struct route_backend {
	const struct route_ops *ops;
	void *h;
	struct route_counters c;
	struct siphash_key key;
	struct route_slot *slots;
	size_t cap;	/* power of two, or 0 */
	size_t n;	/* slots in use */
	size_t nown;	/* of which ROUTE_MARK_OWN */
	/* Interface names seen, interned (a few; never shrinks). */
	char (*ifnames)[CONF_IFNAMSIZ];
	size_t nifnames;
};

/* ---- the set ---- */

/* The interned number of ifname, or -1. */
static int
route_ifx_find(const struct route_backend *rb, const char *ifname)
{
	size_t i;

	for (i = 0; i < rb->nifnames; i++)
		if (strncmp(rb->ifnames[i], ifname, CONF_IFNAMSIZ) == 0)
			return (int)i;
	return -1;
}

/* The same, interning a new name; -1 without memory. */
static int
route_ifx_add(struct route_backend *rb, const char *ifname)
{
	char (*v)[CONF_IFNAMSIZ];
	int i;

	if ((i = route_ifx_find(rb, ifname)) >= 0)
		return i;
	if (rb->nifnames >= UINT16_MAX)
		return -1;
	v = realloc(rb->ifnames, (rb->nifnames + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	rb->ifnames = v;
	memset(v[rb->nifnames], 0, CONF_IFNAMSIZ);
	strncpy(v[rb->nifnames], ifname, CONF_IFNAMSIZ - 1);
	return (int)rb->nifnames++;
}

static size_t
route_hash(const struct route_backend *rb, const struct route_slot *k)
{
	uint8_t buf[19];

	memcpy(buf, k->b, 16);
	buf[16] = k->family;
	memcpy(buf + 17, &k->ifx, 2);
	return (size_t)siphash24(&rb->key, buf, sizeof(buf));
}

static void
route_key(const struct addr_ip *ip, int ifx, struct route_slot *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->b, ip->b, 16);
	k->family = ip->family;
	k->ifx = (uint16_t)ifx;
}

static bool
route_same(const struct route_slot *a, const struct route_slot *b)
{
	return a->family == b->family && a->ifx == b->ifx &&
	    memcmp(a->b, b->b, 16) == 0;
}

/* The slot of k, or NULL. */
static struct route_slot *
route_find(const struct route_backend *rb, const struct route_slot *k)
{
	size_t i;

	if (rb->cap == 0)
		return NULL;
	for (i = route_hash(rb, k) & (rb->cap - 1); rb->slots[i].family != 0;
	    i = (i + 1) & (rb->cap - 1))
		if (route_same(&rb->slots[i], k))
			return &rb->slots[i];
	return NULL;
}

static void
route_place(struct route_backend *rb, const struct route_slot *k)
{
	size_t i;

	for (i = route_hash(rb, k) & (rb->cap - 1); rb->slots[i].family != 0;
	    i = (i + 1) & (rb->cap - 1))
		;
	rb->slots[i] = *k;
}

/* Room for one more at a load of at most 1/2.  false without memory. */
static bool
route_grow(struct route_backend *rb)
{
	struct route_slot *old = rb->slots;
	size_t i, ocap = rb->cap, ncap;

	if ((rb->n + 1) * 2 <= rb->cap)
		return true;
	ncap = rb->cap == 0 ? ROUTE_SET_MIN : rb->cap * 2;
	if (ncap > SIZE_MAX / sizeof(*old) ||
	    (rb->slots = calloc(ncap, sizeof(*old))) == NULL) {
		rb->slots = old;
		return false;
	}
	rb->cap = ncap;
	for (i = 0; i < ocap; i++)
		if (old[i].family != 0)
			route_place(rb, &old[i]);
	free(old);
	return true;
}

/* Mark ip on ifname; false without memory. */
static bool
route_set_mark(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname, uint8_t mark)
{
	struct route_slot k, *s;
	int ifx;

	if ((ifx = route_ifx_add(rb, ifname)) < 0)
		return false;
	route_key(ip, ifx, &k);
	if ((s = route_find(rb, &k)) == NULL) {
		if (!route_grow(rb))
			return false;
		k.mark = mark;
		route_place(rb, &k);
		rb->n++;
		if (mark == ROUTE_MARK_OWN)
			rb->nown++;
		return true;
	}
	if (s->mark != ROUTE_MARK_OWN && mark == ROUTE_MARK_OWN)
		rb->nown++;
	else if (s->mark == ROUTE_MARK_OWN && mark != ROUTE_MARK_OWN)
		rb->nown--;
	s->mark = mark;
	return true;
}

/* The mark of ip on ifname, 0 if none. */
static uint8_t
route_get_mark(const struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	struct route_slot k, *s;
	int ifx;

	if ((ifx = route_ifx_find(rb, ifname)) < 0)
		return 0;
	route_key(ip, ifx, &k);
	s = route_find(rb, &k);
	return s != NULL ? s->mark : 0;
}

static void
route_set_remove(struct route_backend *rb, struct route_slot *s)
{
	size_t i = (size_t)(s - rb->slots), j, home, mask = rb->cap - 1;

	if (s->mark == ROUTE_MARK_OWN)
		rb->nown--;
	rb->n--;
	/* Backward shift: pull later members of the run into the hole. */
	for (j = (i + 1) & mask; rb->slots[j].family != 0; j = (j + 1) & mask) {
		home = route_hash(rb, &rb->slots[j]) & mask;
		/* Stays if its home lies cyclically in (i, j]. */
		if (((j - home) & mask) < ((j - i) & mask))
			continue;
		rb->slots[i] = rb->slots[j];
		i = j;
	}
	memset(&rb->slots[i], 0, sizeof(rb->slots[i]));
}

static void
route_unmark(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	struct route_slot k, *s;
	int ifx;

	if ((ifx = route_ifx_find(rb, ifname)) < 0)
		return;
	route_key(ip, ifx, &k);
	if ((s = route_find(rb, &k)) != NULL)
		route_set_remove(rb, s);
}

/* ---- the front end ---- */

const struct route_ops *
route_default_ops(void)
{
	return &PARPD_ROUTE_OPS; /* configure --with-route-backend */
}

struct route_backend *
route_backend_open(const struct route_ops *ops, const char *state, char *err,
    size_t errlen)
{
	struct route_backend *rb;

	uint64_t seed = 0;

	if ((rb = calloc(1, sizeof(*rb))) == NULL)
		return NULL;
	rb->ops = ops;
	/* Without a random source the set still works, only guessable. */
	(void)compat_random_seed(&seed);
	siphash_key_from_seed(&rb->key, seed);
	if ((rb->h = ops->open(state, err, errlen)) == NULL) {
		free(rb);
		return NULL;
	}
	return rb;
}

void
route_backend_close(struct route_backend *rb)
{
	if (rb == NULL)
		return;
	rb->ops->close(rb->h);
	free(rb->slots);
	free(rb->ifnames);
	free(rb);
}

const char *
route_backend_name(const struct route_backend *rb)
{
	return rb->ops->name;
}

const struct route_counters *
route_backend_counters(const struct route_backend *rb)
{
	return &rb->c;
}

bool
route_backend_owns(const struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	return route_get_mark(rb, ip, ifname) == ROUTE_MARK_OWN;
}

size_t
route_backend_owned(const struct route_backend *rb)
{
	return rb->nown;
}

int
route_host_add(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	uint8_t mark = route_get_mark(rb, ip, ifname);
	int e = rb->ops->add(rb->h, ip, ifname);

	if (e == 0) {
		if (!route_set_mark(rb, ip, ifname, ROUTE_MARK_OWN)) {
			/* Unrecorded, it would never be removed. */
			(void)rb->ops->del(rb->h, ip, ifname);
			rb->c.errors++;
			return ENOMEM;
		}
		rb->c.added++;
		return 0;
	}
	if (e != EEXIST) {
		rb->c.errors++;
		return e;
	}
	/* Already there: parpd's own (added again), or someone else's. */
	if (mark == ROUTE_MARK_OWN) {
		rb->c.benign++;
		return 0;
	}
	rb->c.exists++;
	if (mark == ROUTE_MARK_FOREIGN)
		return 0;
	/* Without memory it is only said again next time. */
	(void)route_set_mark(rb, ip, ifname, ROUTE_MARK_FOREIGN);
	return EEXIST;
}

int
route_host_del(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname)
{
	uint8_t mark = route_get_mark(rb, ip, ifname);
	int e;

	if (mark != ROUTE_MARK_OWN) {
		/* Never parpd's: forget it, touch nothing. */
		if (mark != 0)
			route_unmark(rb, ip, ifname);
		return 0;
	}
	e = rb->ops->del(rb->h, ip, ifname);
	if (e == 0) {
		route_unmark(rb, ip, ifname);
		rb->c.deleted++;
		return 0;
	}
	/* Already gone: the kernel drops routes with their interface. */
	if (e == ESRCH || e == ENOENT || e == ENODEV || e == ENXIO) {
		route_unmark(rb, ip, ifname);
		rb->c.benign++;
		return 0;
	}
	/* Still recorded: removed at exit, or taken as parpd's if re-added. */
	rb->c.errors++;
	return e;
}

int
route_host_move(struct route_backend *rb, const struct addr_ip *ip,
    const char *from, const char *to)
{
	bool owned = route_backend_owns(rb, ip, from);
	int e1, e2;

	e1 = route_host_del(rb, ip, from);
	e2 = route_host_add(rb, ip, to);
	if (owned && e1 == 0 && e2 == 0 && route_backend_owns(rb, ip, to))
		rb->c.moved++;
	return e1 != 0 ? e1 : e2;
}

int
route_remove_all(struct route_backend *rb, route_flush_fn *fn, void *arg)
{
	struct addr_ip ip;
	char ifname[CONF_IFNAMSIZ];
	size_t i = 0;
	int removed = 0;

	while (i < rb->cap) {
		const struct route_slot *s = &rb->slots[i];

		if (s->family == 0 || s->mark != ROUTE_MARK_OWN) {
			i++;
			continue;
		}
		memset(&ip, 0, sizeof(ip));
		ip.family = s->family;
		memcpy(ip.b, s->b, 16);
		memcpy(ifname, rb->ifnames[s->ifx], sizeof(ifname));
		if (route_host_del(rb, &ip, ifname) == 0) {
			removed++;
			if (fn != NULL)
				fn(arg, &ip, ifname);
		} else
			route_unmark(rb, &ip, ifname);
		/* Slot i was emptied, and maybe refilled by the shift. */
	}
	return removed;
}

struct route_flush_ctx {
	struct route_backend *rb;
	route_keep_fn *keep;
	route_flush_fn *fn;
	void *arg;
};

/* A leftover the caller keeps is recorded as parpd's own. */
static bool
route_kept(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct route_flush_ctx *x = arg;

	if (x->keep == NULL || !x->keep(x->arg, ip, ifname))
		return false;
	/* Unrecorded, it would never be removed: not kept. */
	if (!route_set_mark(x->rb, ip, ifname, ROUTE_MARK_OWN))
		return false;
	x->rb->c.kept++;
	return true;
}

static void
route_flushed(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct route_flush_ctx *x = arg;

	route_unmark(x->rb, ip, ifname);
	if (x->fn != NULL)
		x->fn(x->arg, ip, ifname);
}

int
route_flush(struct route_backend *rb, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	struct route_flush_ctx x = { rb, keep, fn, arg };
	int n = rb->ops->flush(rb->h, ifname, route_kept, route_flushed, &x);

	if (n > 0)
		rb->c.flushed += (uint64_t)n;
	else if (n < 0)
		rb->c.errors++;
	return n;
}

int
route_neighbour(struct route_backend *rb, const struct addr_ip *ip,
    const char *ifname, struct addr_mac *mac)
{
	if (rb->ops->neighbour == NULL)
		return ENOTSUP;
	return rb->ops->neighbour(rb->h, ip, ifname, mac);
}
