/*
 * Reload: a new configuration built beside the old one; interfaces that
 * stay (by name) keep their state, learned entries and routes migrate,
 * and what the new configuration adds is done by the next core_timer.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* The same rule: prefixes, action, flags and router (not the line). */
static bool
core_rule_same(const struct rule_table *ta, const struct rule *a,
    const struct rule_table *tb, const struct rule *b)
{
	const struct addr_ip *ra = rule_router(ta, a), *rb = rule_router(tb, b);

	return memcmp(&a->src, &b->src, sizeof(a->src)) == 0 &&
	    memcmp(&a->dst, &b->dst, sizeof(a->dst)) == 0 &&
	    memcmp(&a->srcmask, &b->srcmask, sizeof(a->srcmask)) == 0 &&
	    memcmp(&a->dstmask, &b->dstmask, sizeof(a->dstmask)) == 0 &&
	    a->action == b->action && a->flags == b->flags &&
	    (ra == NULL) == (rb == NULL) &&
	    (ra == NULL || core_ip_eq(ra, rb));
}

/*
 * Rules that stay keep the count of requests they decided.  Matched in
 * file order, looking a bounded way ahead, so that a reload stays linear
 * in the number of rules: a rule found more than CORE_RULE_LOOKAHEAD
 * places after the last match starts again at 0.
 */
#define CORE_RULE_LOOKAHEAD 64

static void
core_carry_rule_hits(const struct core_iface *o, struct core_iface *n,
    const struct rule_set *os, const struct rule_set *ns)
{
	size_t i, j, from = 0;

	for (i = 0; i < ns->n; i++)
		for (j = from; j < os->n && j < from + CORE_RULE_LOOKAHEAD;
		    j++)
			if (core_rule_same(&o->rules, &os->v[j], &n->rules,
			    &ns->v[i])) {
				n->rule_hits[ns->v[i].index] =
				    o->rule_hits[os->v[j].index];
				from = j + 1;
				break;
			}
}

/* Interfaces that stay (same name) keep their state and router timers. */
static void
core_map_ifaces(const struct core *c, struct core *nw, unsigned *map)
{
	size_t i, j, k;

	for (i = 0; i < c->nifs; i++) {
		const struct core_iface *o = &c->ifs[i];

		map[i] = CORE_NO_IFACE;
		for (j = 0; j < nw->nifs; j++)
			if (strcmp(o->name, nw->ifs[j].name) == 0)
				break;
		if (j == nw->nifs)
			continue;
		map[i] = (unsigned)j;
		core_carry_rule_hits(o, &nw->ifs[j], &o->rules.v4,
		    &nw->ifs[j].rules.v4);
		core_carry_rule_hits(o, &nw->ifs[j], &o->rules.v6,
		    &nw->ifs[j].rules.v6);
		core_sweeps_carry(o, &nw->ifs[j]);
		nw->ifs[j].up = o->up;
		nw->ifs[j].info = o->info;
		nw->ifs[j].v4src = o->v4src;
		nw->ifs[j].ll6 = o->ll6;
		nw->ifs[j].has_ll6 = o->has_ll6;
		for (k = 0; k < nw->ifs[j].rules.nrouters; k++) {
			struct core_router *r = &nw->ifs[j].routers[k];
			const struct core_router *or =
			    core_iface_router(o, &r->ip);

			if (or != NULL)
				*r = *or;
			r->local = o->up && core_ifinfo_has(&o->info, &r->ip);
		}
	}
}

/*
 * A learned entry of an interface that stays, not overridden by a
 * static, and still in the interface's scope (a link-local address at a
 * router's MAC is judged by the old routers: the new ones are not
 * resolved yet).
 */
static bool
core_migratable(struct core *c, const struct core *nw, const unsigned *map,
    uint32_t idx)
{
	const struct ncache_entry *e = ncache_entry_const(c->nc, idx);
	const struct core_iface *f;
	struct addr_ip ip;

	if (e->state != NCACHE_LEARNED || map[e->iface] == CORE_NO_IFACE)
		return false;
	ncache_entry_ip(e, &ip);
	f = &nw->ifs[map[e->iface]];
	if (!rule_scope_covers(&f->rules, &ip) &&
	    core_iface_router(f, &ip) == NULL &&
	    (!addr_ip_is_linklocal6(&ip) ||
	    core_router_mac_find(c, &e->mac) == c->nrouter_macs))
		return false;
	return ncache_lookup(nw->nc, &ip, map[e->iface]) == NCACHE_NONE;
}

static void
core_migrate_one(const struct core *c, struct core *nw, const unsigned *map,
    uint32_t idx)
{
	const struct ncache_entry *o = ncache_entry_const(c->nc, idx);
	uint32_t n = nw->cache.refresh_count, j;
	struct ncache_entry *e;
	struct addr_ip ip;

	ncache_entry_ip(o, &ip);
	/* Cannot fail: the pool was reserved for every entry. */
	j = ncache_insert(nw->nc, &ip, map[o->iface], NCACHE_LEARNED);
	e = ncache_entry(nw->nc, j);
	e->mac = o->mac;
	e->expire = o->expire;
	e->query_time = o->query_time;
	e->learned_s = o->learned_s;
	e->flags = o->flags & (NCACHE_F_QUERIED | NCACHE_F_ISROUTER);
	if (core_is_router_at(nw, map[o->iface], &ip))
		e->flags |= NCACHE_F_ROUTER;
	e->queries_left = o->queries_left < n ? o->queries_left :
	    (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
	if (o->flags & NCACHE_F_CONFIRMED)
		ncache_confirm(nw->nc, j);
	if (o->flags & NCACHE_F_ESTABLISHED)
		ncache_establish(nw->nc, j);
	core_entry_schedule(nw, j);
}

/*
 * Learned entries go over oldest unconfirmed first, so that the new
 * table keeps their order; if the new limit is smaller, the oldest
 * unconfirmed ones are left behind first.
 */
static void
core_migrate_learned(struct core *c, struct core *nw, const unsigned *map)
{
	size_t have = ncache_count(nw->nc), limit = ncache_limit(nw->nc);
	size_t candidates = 0, excess;
	uint32_t i;

	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i))
		candidates += core_migratable(c, nw, map, i);
	excess = have + candidates > limit ? have + candidates - limit : 0;
	if (excess > candidates)
		excess = candidates;
	for (i = ncache_oldest_unconfirmed(c->nc); i != NCACHE_NONE;
	    i = ncache_entry_const(c->nc, i)->unext) {
		if (!core_migratable(c, nw, map, i))
			continue;
		if (excess > 0)
			excess--;
		else
			core_migrate_one(c, nw, map, i);
	}
	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i)) {
		if (!(ncache_entry_const(c->nc, i)->flags &
		    NCACHE_F_CONFIRMED) || !core_migratable(c, nw, map, i))
			continue;
		if (excess > 0)
			excess--;
		else
			core_migrate_one(c, nw, map, i);
	}
}

/*
 * A route stays where the new entry is on the same interface and that
 * interface still mirrors routes; every other one goes.  The deletion
 * is made by the old core (which knows the interface's name) and then
 * given the interface's new index, or CORE_NO_IFACE when it is removed.
 */
static void
core_migrate_routes(struct core *c, struct core *nw, const unsigned *map,
    struct core_actions *out)
{
	uint32_t i;

	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i)) {
		const struct ncache_entry *o = ncache_entry_const(c->nc, i);
		struct addr_ip ip;
		uint32_t j;

		if (!(o->flags & NCACHE_F_ROUTED))
			continue;
		ncache_entry_ip(o, &ip);
		j = map[o->iface] == CORE_NO_IFACE ? NCACHE_NONE :
		    ncache_lookup(nw->nc, &ip, map[o->iface]);
		if (j != NCACHE_NONE &&
		    ncache_entry(nw->nc, j)->iface == map[o->iface] &&
		    nw->ifs[map[o->iface]].routes &&
		    nw->ifs[map[o->iface]].up)
			ncache_entry(nw->nc, j)->flags |= NCACHE_F_ROUTED;
		else {
			struct core_action *a = core_route(c, out,
			    CORE_ACT_ROUTE_DEL, o->iface, &ip);

			if (a != NULL)
				a->iface = a->old_iface = map[o->iface];
		}
	}
}

static void
core_take(struct core *c, struct core *nw)
{
	core_release(c);
	c->cache = nw->cache;
	c->ifs = nw->ifs;
	c->nifs = nw->nifs;
	c->nc = nw->nc;
	c->delay = nw->delay;
	c->router_ips = nw->router_ips;
	c->nrouter_ips = nw->nrouter_ips;
	c->router_macs = nw->router_macs;
	c->nrouter_macs = 0;
	c->router_macs_cap = nw->router_macs_cap;
	c->router_macs_dirty = true;
}

int
core_reload(struct core *c, const struct conf *conf, uint64_t now,
    struct core_actions *out)
{
	struct core nw;
	unsigned *map;

	core_tick(c, now);
	memset(&nw, 0, sizeof(nw));
	nw.key = c->key;
	map = calloc(c->nifs > 0 ? c->nifs : 1, sizeof(*map));
	if (map == NULL || core_build(&nw, conf) != 0 ||
	    ncache_reserve(nw.nc, ncache_count(nw.nc) +
	    ncache_count(c->nc)) != 0) {
		free(map);
		core_release(&nw);
		c->cnt.nomem++;
		return -1;
	}
	core_map_ifaces(c, &nw, map);
	core_migrate_learned(c, &nw, map);
	core_migrate_routes(c, &nw, map, out);
	free(map);
	core_take(c, &nw);
	c->pending = true;
	core_router_deadline_update(c);
	return 0;
}

/* After a reload: routes the new configuration wants, new routers. */
void
core_apply_pending(struct core *c, struct core_actions *out)
{
	uint32_t i;
	size_t k, j;

	c->pending = false;
	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i))
		core_entry_route_add(c, i, out);
	for (k = 0; k < c->nifs; k++)
		for (j = 0; j < c->ifs[k].rules.nrouters; j++)
			core_router_check(c, (unsigned)k,
			    &c->ifs[k].routers[j]);
	c->router_macs_dirty = true;
	core_router_deadline_update(c);
}
