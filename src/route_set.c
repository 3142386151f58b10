/*
 * The set of routes parpd installed, keyed by address and interface: an
 * open-addressed hash table (linear probing, deletion by backward shift)
 * keyed with a random secret, as the addresses come from the network.
 * See route_priv.h.
 *
 * It is filled to 3/4 and grows by half, so any capacity is possible: a
 * hash is taken to a slot by multiplication (Lemire's reduction), not by
 * a mask.  With a million routes that is 31 MB where doubling to a power
 * of two at a load of 1/2 took 42.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "route_priv.h"

#define ROUTE_SET_MIN 64u

_Static_assert(sizeof(struct route_slot) == 19, "a route slot is unpadded");
_Static_assert(ADDR_V4 < 16 && ADDR_V6 < 16, "a family fits 4 bits");

void
route_set_init(struct route_set *s)
{
	uint64_t seed = 0;

	memset(s, 0, sizeof(*s));
	/* Without a random source the set still works, only guessable. */
	(void)compat_random_seed(&seed);
	siphash_key_from_seed(&s->key, seed);
}

void
route_set_free(struct route_set *s)
{
	free(s->slots);
	free(s->ifnames);
	memset(s, 0, sizeof(*s));
}

int
route_set_ifx(const struct route_set *s, const char *ifname)
{
	size_t i;

	for (i = 0; i < s->nifnames; i++)
		if (strncmp(s->ifnames[i], ifname, CONF_IFNAMSIZ) == 0)
			return (int)i;
	return -1;
}

int
route_set_ifx_add(struct route_set *s, const char *ifname)
{
	char (*v)[CONF_IFNAMSIZ];
	int i;

	if ((i = route_set_ifx(s, ifname)) >= 0)
		return i;
	if (s->nifnames >= UINT16_MAX)
		return -1;
	v = realloc(s->ifnames, (s->nifnames + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	s->ifnames = v;
	memset(v[s->nifnames], 0, CONF_IFNAMSIZ);
	strncpy(v[s->nifnames], ifname, CONF_IFNAMSIZ - 1);
	return (int)s->nifnames++;
}

const char *
route_set_ifname(const struct route_set *s, unsigned ifx)
{
	return s->ifnames[ifx];
}

static uint64_t
route_hash(const struct route_set *s, const struct route_slot *k)
{
	uint8_t buf[19];

	memcpy(buf, k->b, 16);
	buf[16] = k->family;
	memcpy(buf + 17, k->ifx, 2);
	return siphash24(&s->key, buf, sizeof(buf));
}

/* The slot k's probe starts at. */
static size_t
route_home(const struct route_set *s, const struct route_slot *k)
{
	return (size_t)(((route_hash(s, k) >> 32) * (uint64_t)s->cap) >> 32);
}

static size_t
route_next(const struct route_set *s, size_t i)
{
	return i + 1 == s->cap ? 0 : i + 1;
}

/* Steps from slot a forward to slot b, around the end. */
static size_t
route_dist(const struct route_set *s, size_t a, size_t b)
{
	return b >= a ? b - a : b + s->cap - a;
}

static void
route_key(const struct addr_ip *ip, unsigned ifx, struct route_slot *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->b, ip->b, 16);
	k->family = ip->family & 15u;
	k->ifx[0] = (uint8_t)ifx;
	k->ifx[1] = (uint8_t)(ifx >> 8);
}

static bool
route_same(const struct route_slot *a, const struct route_slot *b)
{
	return a->family == b->family && a->ifx[0] == b->ifx[0] &&
	    a->ifx[1] == b->ifx[1] && memcmp(a->b, b->b, 16) == 0;
}

/* The slot of k, or NULL. */
static struct route_slot *
route_find(const struct route_set *s, const struct route_slot *k)
{
	size_t i;

	if (s->cap == 0)
		return NULL;
	for (i = route_home(s, k); s->slots[i].family != 0;
	    i = route_next(s, i))
		if (route_same(&s->slots[i], k))
			return &s->slots[i];
	return NULL;
}

static void
route_place(struct route_set *s, const struct route_slot *k)
{
	size_t i;

	for (i = route_home(s, k); s->slots[i].family != 0;
	    i = route_next(s, i))
		;
	s->slots[i] = *k;
}

/* Room for one more at a load of at most 3/4.  false without memory. */
static bool
route_grow(struct route_set *s)
{
	struct route_slot *old = s->slots;
	size_t i, ocap = s->cap, ncap;

	if ((s->n + 1) * 4 <= s->cap * 3)
		return true;
	ncap = s->cap == 0 ? ROUTE_SET_MIN : s->cap + s->cap / 2;
	if (ncap > UINT32_MAX || ncap > SIZE_MAX / sizeof(*old) ||
	    (s->slots = calloc(ncap, sizeof(*old))) == NULL) {
		s->slots = old;
		return false;
	}
	s->cap = ncap;
	for (i = 0; i < ocap; i++)
		if (old[i].family != 0)
			route_place(s, &old[i]);
	free(old);
	return true;
}

bool
route_set_put(struct route_set *s, const struct addr_ip *ip, unsigned ifx,
    uint8_t mark)
{
	struct route_slot k, *slot;

	route_key(ip, ifx, &k);
	if ((slot = route_find(s, &k)) == NULL) {
		if (!route_grow(s))
			return false;
		k.mark = mark & 15u;
		route_place(s, &k);
		s->n++;
		if (mark == ROUTE_MARK_OWN)
			s->nown++;
		return true;
	}
	if (slot->mark != ROUTE_MARK_OWN && mark == ROUTE_MARK_OWN)
		s->nown++;
	else if (slot->mark == ROUTE_MARK_OWN && mark != ROUTE_MARK_OWN)
		s->nown--;
	slot->mark = mark & 15u;
	return true;
}

uint8_t
route_set_get(const struct route_set *s, const struct addr_ip *ip,
    unsigned ifx)
{
	struct route_slot k, *slot;

	route_key(ip, ifx, &k);
	slot = route_find(s, &k);
	return slot != NULL ? slot->mark : 0;
}

static void
route_set_remove(struct route_set *s, struct route_slot *slot)
{
	size_t i = (size_t)(slot - s->slots), j, home;

	if (slot->mark == ROUTE_MARK_OWN)
		s->nown--;
	s->n--;
	/* Backward shift: pull later members of the run into the hole. */
	for (j = route_next(s, i); s->slots[j].family != 0;
	    j = route_next(s, j)) {
		home = route_home(s, &s->slots[j]);
		/* Stays if its home lies cyclically in (i, j]. */
		if (route_dist(s, home, j) < route_dist(s, i, j))
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	memset(&s->slots[i], 0, sizeof(s->slots[i]));
}

void
route_set_drop(struct route_set *s, const struct addr_ip *ip, unsigned ifx)
{
	struct route_slot k, *slot;

	route_key(ip, ifx, &k);
	if ((slot = route_find(s, &k)) != NULL)
		route_set_remove(s, slot);
}

bool
route_set_walk(const struct route_set *s, size_t *pos, uint8_t mark,
    struct addr_ip *ip, unsigned *ifx)
{
	for (; *pos < s->cap; (*pos)++) {
		const struct route_slot *slot = &s->slots[*pos];

		if (slot->family == 0 || slot->mark != mark)
			continue;
		memset(ip, 0, sizeof(*ip));
		ip->family = slot->family;
		memcpy(ip->b, slot->b, 16);
		*ifx = (unsigned)slot->ifx[0] | (unsigned)slot->ifx[1] << 8;
		(*pos)++;
		return true;
	}
	return false;
}

void
route_set_drop_all(struct route_set *s, uint8_t mark)
{
	size_t i = 0;

	while (i < s->cap) {
		if (s->slots[i].family != 0 && s->slots[i].mark == mark)
			route_set_remove(s, &s->slots[i]);
		else
			i++;	/* an emptied slot may be refilled */
	}
}
