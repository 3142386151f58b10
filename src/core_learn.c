/*
 * Learning: pairs from original sources or answers to parpd's own
 * queries, within the interface's scope; refusal of static, router-MAC
 * and own-address claims (poison), hosts that move or change MAC,
 * eviction when the table is full, and forgetting on request.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

static void
core_poison(struct core *c, struct core_actions *out, unsigned ifx,
    const struct addr_ip *ip, const struct addr_mac *mac,
    const struct addr_mac *old, enum core_refusal why)
{
	struct core_action *a = core_log(c, out, ifx, CORE_EV_POISON);

	a->u.log.requester = *ip;
	a->u.log.mac = *mac;
	a->u.log.old_mac = *old;
	a->u.log.refusal = why;
	c->cnt.poison_refused++;
}

/* Full table: evict the oldest unconfirmed entry, if there is one. */
static bool
core_make_room(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, struct core_actions *out)
{
	uint32_t victim = ncache_oldest_unconfirmed(c->nc);
	struct core_action *a = core_log(c, out, ifx, CORE_EV_TABLE_FULL);

	a->u.log.requester = *ip;
	a->u.log.mac = *mac;
	c->cnt.table_full++;
	if (victim == NCACHE_NONE)
		return false;
	ncache_entry_ip(ncache_entry(c->nc, victim), &a->u.log.target);
	a->u.log.old_mac = ncache_entry(c->nc, victim)->mac;
	core_entry_drop(c, victim, out);
	return true;
}

/* The owner's R flag, kept to answer tell with it (RFC 4861 7.2.5). */
static void
core_entry_isrouter(struct ncache_entry *e, unsigned how, bool other)
{
	if (how & CORE_LEARN_NA) {
		e->flags |= NCACHE_F_RKNOWN;
		if (how & CORE_LEARN_R)
			e->flags |= NCACHE_F_ISROUTER;
		else
			e->flags &= (uint8_t)~NCACHE_F_ISROUTER;
	} else if (other) {
		/* Another owner, who has not said whether it routes. */
		e->flags &= (uint8_t)~(NCACHE_F_ISROUTER | NCACHE_F_RKNOWN);
	}
}

/*
 * An adopted entry lives one refresh cycle: its first refresh slot is
 * now, so the host is asked by unicast at once, and it expires (with its
 * route) at the end of the cycle unless it answers.
 */
static void
core_entry_adopted(struct core *c, uint32_t idx)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	uint64_t cycle = (uint64_t)c->cache.refresh_count *
	    c->cache.refresh_interval_ms;

	/* No refresh at all: an unconfirmed pair is not kept. */
	if (cycle == 0)
		cycle = 1;
	if (core_add(c->now, cycle) < e->expire) {
		e->expire = core_add(c->now, cycle);
		core_entry_schedule(c, idx);
	}
}

static void
core_learn_new(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, unsigned how, struct core_actions *out)
{
	struct ncache_entry *e;
	struct core_action *a;
	uint32_t idx;
	bool router;

	if (ncache_full(c->nc) && !core_make_room(c, ifx, ip, mac, out))
		return;
	idx = ncache_insert(c->nc, ip, ifx, NCACHE_LEARNED);
	if (idx == NCACHE_NONE) {
		c->cnt.nomem++;
		return;
	}
	e = ncache_entry(c->nc, idx);
	e->mac = *mac;
	e->learned_s = (uint32_t)(c->now / 1000);
	core_entry_isrouter(e, how, false);
	/* RFC 4861 7.2.8: maybe a proxy's; the owner's O=1 answer wins. */
	if (how & CORE_LEARN_NO_O)
		e->flags |= NCACHE_F_WEAK;
	router = core_is_router_at(c, ifx, ip);
	if (router)
		e->flags |= NCACHE_F_ROUTER;
	core_entry_renew(c, idx);
	if (how & CORE_LEARN_SOLICITED)
		ncache_confirm(c->nc, idx);
	if (how & CORE_LEARN_ADOPT) {
		core_entry_adopted(c, idx);
		c->cnt.adopted++;
		a = core_log(c, out, ifx, CORE_EV_ADOPTED);
	} else {
		c->cnt.learned++;
		a = core_log(c, out, ifx, router &&
		    core_iface_router(&c->ifs[ifx], ip) != NULL ?
		    CORE_EV_ROUTER_RESOLVED : CORE_EV_LEARNED);
	}
	a->u.log.requester = *ip;
	a->u.log.mac = *mac;
	core_entry_route_add(c, idx, out);
	if (router)
		core_router_changed(c, ifx, ip);
}

/*
 * The host showed up on another interface: its route follows it where
 * both interfaces mirror routes, else it is removed or added.
 */
static void
core_entry_move(struct core *c, uint32_t idx, unsigned ifx,
    const struct addr_mac *mac, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	unsigned old = e->iface;
	struct core_action *a = core_log(c, out, ifx, CORE_EV_MOVED);
	struct addr_ip ip;
	bool want;

	ncache_entry_ip(e, &ip);
	a->old_iface = old;
	a->u.log.requester = ip;
	a->u.log.mac = *mac;
	a->u.log.old_mac = e->mac;
	want = core_wants_route(c, ifx, &ip);
	if ((e->flags & NCACHE_F_ROUTED) && want) {
		a = core_route(c, out, CORE_ACT_ROUTE_MOVE, ifx, &ip);
		if (a != NULL) {
			a->old_iface = old;
			memcpy(a->old_ifname, c->ifs[old].name,
			    sizeof(a->old_ifname));
		} else
			e->flags &= (uint8_t)~NCACHE_F_ROUTED;
	} else if (e->flags & NCACHE_F_ROUTED) {
		core_route(c, out, CORE_ACT_ROUTE_DEL, old, &ip);
		e->flags &= (uint8_t)~NCACHE_F_ROUTED;
	}
	e->iface = (uint16_t)ifx;
	e->mac = *mac;
	core_entry_route_add(c, idx, out);
	if (e->flags & NCACHE_F_ROUTER)
		core_router_changed(c, ifx, &ip);
}

/*
 * RFC 4861 7.2.5: an NA with O=0 does not replace a known link-layer
 * address (it only fills an unknown one, or one that came from another
 * O=0 NA).
 */
static bool
core_learn_no_override(struct core *c, struct ncache_entry *e, unsigned ifx,
    const struct addr_mac *mac, unsigned how)
{
	bool other = e->iface != ifx || !core_mac_eq(&e->mac, mac);

	if (!(how & CORE_LEARN_NO_O))
		e->flags &= (uint8_t)~NCACHE_F_WEAK;
	if (!other)
		return false;
	if ((how & CORE_LEARN_NO_O) && !(e->flags & NCACHE_F_WEAK)) {
		c->cnt.na_not_override++;
		return true;
	}
	return false;
}

/*
 * Another MAC claims a known entry's address on its interface unasked
 * (an announcement, a request, an unsolicited NA with O=1).  A host that
 * changed its MAC and a spoofer look alike, but only the spoofer's
 * victim is still there: the claim is held back, the known MAC is asked
 * by unicast (at most once per interface timeout, however many claims
 * come), and once that query (or a refresh query still open) has gone
 * unanswered for the timeout the claim wins: a claim then changes the
 * MAC, and the entry ends at that moment anyway (no refresh query may
 * restart the clock), so the next claim is learned afresh.  An entry
 * only a proxy's O=0 NA filled is not checked (the owner's O=1 wins,
 * RFC 4861 7.2.8).  True when the claim is held.
 */
static bool
core_claim_held(struct core *c, uint32_t idx, unsigned ifx,
    const struct addr_mac *mac, unsigned how, bool weak,
    struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	uint64_t timeout = c->ifs[ifx].timeout_ms, end;

	if (weak || e->iface != ifx || core_mac_eq(&e->mac, mac) ||
	    (how & CORE_LEARN_SOLICITED))
		return false;
	if ((e->flags & NCACHE_F_QUERIED) && c->now - e->query_time > timeout)
		return false;	/* asked, silent: the owner is gone */
	c->cnt.claims_held++;
	if (!(e->flags & NCACHE_F_QUERIED)) {
		if (c->now - e->query_time <= timeout)
			return true;	/* the owner has just answered */
		core_entry_query(c, idx, out);
	}
	/* An answer counts up to the timeout (core_solicited). */
	end = core_add(core_add(e->query_time, timeout), 1);
	if (end < e->expire) {
		e->expire = end;
		e->queries_left = 0;
		core_entry_schedule(c, idx);
	}
	return true;
}

static void
core_learn_again(struct core *c, uint32_t idx, unsigned ifx,
    const struct addr_mac *mac, unsigned how, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	/* Read before core_learn_no_override, which may clear it. */
	bool weak = (e->flags & NCACHE_F_WEAK) != 0;

	if (core_learn_no_override(c, e, ifx, mac, how) ||
	    core_claim_held(c, idx, ifx, mac, how, weak, out))
		return;
	core_entry_isrouter(e, how, e->iface != ifx ||
	    !core_mac_eq(&e->mac, mac));
	if (e->iface != ifx) {
		core_entry_move(c, idx, ifx, mac, out);
	} else if (!core_mac_eq(&e->mac, mac)) {
		struct core_action *a = core_log(c, out, ifx,
		    CORE_EV_CHANGED);

		ncache_entry_ip(e, &a->u.log.requester);
		a->u.log.mac = *mac;
		a->u.log.old_mac = e->mac;
		e->mac = *mac;
		if (e->flags & NCACHE_F_ROUTER) {
			struct addr_ip ip;

			ncache_entry_ip(e, &ip);
			core_router_changed(c, ifx, &ip);
		}
	}
	core_entry_renew(c, idx);
	if (how & CORE_LEARN_SOLICITED) {
		ncache_confirm(c->nc, idx);
		c->cnt.refreshed++;
	} else if (c->now / 1000 - e->learned_s >= CORE_PROBATION_S &&
	    !(e->flags & (NCACHE_F_CONFIRMED | NCACHE_F_ESTABLISHED))) {
		ncache_establish(c->nc, idx);
		c->cnt.established++;
	}
}

/*
 * What ifx may learn: addresses in the DST of one of its tell rules, its
 * redirect routers, and a router's IPv6 link-local address at that
 * router's MAC.  Nothing else is ever answered with a learned MAC, so
 * nothing else is cached or mirrored into a route (a client announcing
 * 203.0.113.53 must not get a host route that beats the gateway's).
 */
static bool
core_in_scope(const struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac)
{
	const struct core_iface *f = &c->ifs[ifx];
	struct addr_mac rmac;
	size_t i;

	if (rule_scope_covers(&f->rules, ip) || core_iface_router(f, ip))
		return true;
	if (!addr_ip_is_linklocal6(ip))
		return false;
	for (i = 0; i < f->rules.nrouters; i++)
		if (core_router_mac(c, ifx, &f->routers[i], &rmac) &&
		    core_mac_eq(&rmac, mac))
			return true;
	return false;
}

/*
 * ip is at mac on ifx, said by an original source or by an answer to
 * our own query; idx is ncache_lookup(ip), which the caller has already
 * done.  Static pairs and redirect routers' MACs are guarded; only the
 * interface's scope is learned.
 */
void
core_learn_at(struct core *c, unsigned ifx, const struct addr_ip *ip,
    uint32_t idx, const struct addr_mac *mac, unsigned how,
    struct core_actions *out)
{
	if (!addr_ip_names_neighbour(ip))
		return;
	/* Somebody else claiming our address: an address conflict. */
	if (core_ifinfo_has(&c->ifs[ifx].info, ip)) {
		core_poison(c, out, ifx, ip, mac, &c->ifs[ifx].info.mac,
		    CORE_REFUSED_OWN);
		return;
	}
	if (idx != NCACHE_NONE &&
	    ncache_entry(c->nc, idx)->state == NCACHE_STATIC) {
		struct ncache_entry *e = ncache_entry(c->nc, idx);

		if (!core_mac_eq(&e->mac, mac) || e->iface != ifx)
			core_poison(c, out, ifx, ip, mac, &e->mac,
			    CORE_REFUSED_STATIC);
		return;
	}
	/* An entry here at this MAC was in scope when it was learned. */
	if ((idx == NCACHE_NONE || ncache_entry(c->nc, idx)->iface != ifx ||
	    !core_mac_eq(&ncache_entry(c->nc, idx)->mac, mac)) &&
	    !core_in_scope(c, ifx, ip, mac)) {
		c->cnt.not_learnable++;
		return;
	}
	if (core_router_mac_refused(c, ip, mac)) {
		core_poison(c, out, ifx, ip, mac, mac,
		    CORE_REFUSED_ROUTER_MAC);
		return;
	}
	if (idx == NCACHE_NONE)
		core_learn_new(c, ifx, ip, mac, how, out);
	else
		core_learn_again(c, idx, ifx, mac, how, out);
}

void
core_learn(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, unsigned how, struct core_actions *out)
{
	core_learn_at(c, ifx, ip, ncache_lookup(c->nc, ip, ifx), mac, how,
	    out);
}

/*
 * An answer at mac counts if parpd asked for ip (entry idx, or
 * NCACHE_NONE) on ifx within the timeout.  An entry's query went by
 * unicast to its known MAC: only that MAC can have heard it, so an
 * answer from any other is a spoofer's (it would win every open query
 * in a storm of replies).
 */
bool
core_solicited(const struct core *c, unsigned ifx, const struct addr_ip *ip,
    uint32_t idx, const struct addr_mac *mac)
{
	const struct core_iface *f = &c->ifs[ifx];
	const struct core_router *r;

	if (idx != NCACHE_NONE) {
		const struct ncache_entry *e = ncache_entry_const(c->nc, idx);

		if (e->state == NCACHE_LEARNED && e->iface == ifx &&
		    (e->flags & NCACHE_F_QUERIED) &&
		    c->now - e->query_time <= f->timeout_ms &&
		    core_mac_eq(&e->mac, mac))
			return true;
	}
	r = core_iface_router(f, ip);
	if (r != NULL && r->queried && c->now - r->query_time <= f->timeout_ms)
		return true;
	return idx == NCACHE_NONE && core_sweep_asked(c, ifx, ip);
}

size_t
core_forget(struct core *c, unsigned iface, const struct addr_ip *ip,
    uint64_t now, struct core_actions *out)
{
	size_t i, n = 0;

	core_tick(c, now);
	for (i = 0; i < c->nifs; i++) {
		uint32_t idx;

		if (iface != CORE_NO_IFACE && i != iface)
			continue;
		idx = ncache_lookup(c->nc, ip, (unsigned)i);
		if (idx == NCACHE_NONE ||
		    ncache_entry_const(c->nc, idx)->state != NCACHE_LEARNED ||
		    ncache_entry_const(c->nc, idx)->iface != i)
			continue;
		core_entry_drop(c, idx, out);
		n++;
		/* One entry per address unless it is per interface. */
		if (!ncache_is_scoped(ip))
			break;
	}
	return n;
}

bool
core_adopt(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, uint64_t now, struct core_actions *out)
{
	uint32_t idx;
	const struct ncache_entry *e;

	core_tick(c, now);
	if (ifx >= c->nifs || !c->ifs[ifx].routes ||
	    (ip->family != ADDR_V4 && ip->family != ADDR_V6) ||
	    ncache_lookup(c->nc, ip, ifx) != NCACHE_NONE)
		return false;
	core_learn_at(c, ifx, ip, NCACHE_NONE, mac, CORE_LEARN_ADOPT, out);
	if ((idx = ncache_lookup(c->nc, ip, ifx)) == NCACHE_NONE)
		return false;
	e = ncache_entry_const(c->nc, idx);
	return e->state == NCACHE_LEARNED && e->iface == ifx &&
	    core_mac_eq(&e->mac, mac);
}
