/*
 * Redirect routers: resolution by broadcast ARP request or NS while an
 * interface is up and a router unknown, the table of resolved router
 * MACs, and the refusal of pairs at a router's MAC (poison guard).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

static const struct addr_mac core_bcast = {
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
};

static int
core_ip_cmp(const void *a, const void *b)
{
	const struct addr_ip *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->b, y->b, 16);
}

static int
core_router_mac_cmp(const void *a, const void *b)
{
	const struct core_router_mac *x = a, *y = b;
	int d = memcmp(x->mac.b, y->mac.b, sizeof(x->mac.b));

	return d != 0 ? d : core_ip_cmp(&x->ip, &y->ip);
}

static bool
core_ip_is_router(const struct core *c, const struct addr_ip *ip)
{
	struct addr_ip k = *ip;

	if (k.family == ADDR_V4)
		memset(k.b + 4, 0, 12);
	return c->nrouter_ips > 0 && bsearch(&k, c->router_ips,
	    c->nrouter_ips, sizeof(k), core_ip_cmp) != NULL;
}

/* A link-local router address is a router of its own link only. */
bool
core_is_router_at(const struct core *c, unsigned ifx,
    const struct addr_ip *ip)
{
	if (addr_ip_is_linklocal6(ip))
		return ifx < c->nifs &&
		    core_iface_router(&c->ifs[ifx], ip) != NULL;
	return core_ip_is_router(c, ip);
}

bool
core_router_mac(const struct core *c, unsigned ifx,
    const struct core_router *r, struct addr_mac *mac)
{
	uint32_t idx;

	if (r->local) {
		*mac = c->ifs[ifx].info.mac;
		return true;
	}
	idx = ncache_lookup_hint(c->nc, &r->ip, ifx, r->entry);
	if (idx == NCACHE_NONE ||
	    ncache_entry_const(c->nc, idx)->iface != ifx)
		return false;
	*mac = ncache_entry_const(c->nc, idx)->mac;
	return true;
}

void
core_router_deadline_update(struct core *c)
{
	uint64_t d = CORE_NO_DEADLINE;
	size_t i, j;

	for (i = 0; i < c->nifs; i++)
		for (j = 0; j < c->ifs[i].rules.nrouters; j++)
			if (c->ifs[i].routers[j].next_query < d)
				d = c->ifs[i].routers[j].next_query;
	c->router_deadline = d;
}

static bool
core_router_weak(const struct core *c, const struct core_router *r)
{
	return !r->local && r->entry != NCACHE_NONE &&
	    (ncache_entry_const(c->nc, r->entry)->flags & NCACHE_F_WEAK);
}

/* Resolution runs while the interface is up and the router unknown. */
void
core_router_check(struct core *c, unsigned ifx, struct core_router *r)
{
	struct addr_mac mac;

	/* Every change of the router's entry comes by here. */
	r->entry = ncache_lookup(c->nc, &r->ip, ifx);
	if (!c->ifs[ifx].up || core_router_mac(c, ifx, r, &mac)) {
		/*
		 * Answered: later replies to that query count no more,
		 * unless the answer was an O=0 NA (a proxy's, RFC 4861
		 * 7.2.8): the owner's O=1 answer may still come.
		 */
		r->next_query = CORE_NO_DEADLINE;
		if (!c->ifs[ifx].up || !core_router_weak(c, r))
			r->queried = false;
		return;
	}
	if (r->next_query == CORE_NO_DEADLINE)
		r->next_query = c->now;
}

/*
 * An entry of router address ip (on ifx) appeared, changed, moved or
 * went; a link-local one concerns its own link only.
 */
void
core_router_changed(struct core *c, unsigned ifx, const struct addr_ip *ip)
{
	bool ll = addr_ip_is_linklocal6(ip);
	size_t i;

	for (i = 0; i < c->nifs; i++) {
		struct core_router *r;

		if (ll && i != ifx)
			continue;
		r = core_iface_router(&c->ifs[i], ip);

		if (r != NULL)
			core_router_check(c, (unsigned)i, r);
	}
	c->router_macs_dirty = true;
	core_router_deadline_update(c);
}

static void
core_router_macs_rebuild(struct core *c)
{
	size_t i, j;

	c->nrouter_macs = 0;
	for (i = 0; i < c->nifs; i++) {
		for (j = 0; j < c->ifs[i].rules.nrouters; j++) {
			const struct core_router *r = &c->ifs[i].routers[j];
			struct addr_mac mac;

			/* Frames from the own MAC are never learned. */
			if (r->local || !core_router_mac(c, (unsigned)i, r,
			    &mac) || c->nrouter_macs == c->router_macs_cap)
				continue;
			c->router_macs[c->nrouter_macs].mac = mac;
			c->router_macs[c->nrouter_macs].ip = r->ip;
			c->nrouter_macs++;
		}
	}
	qsort(c->router_macs, c->nrouter_macs, sizeof(*c->router_macs),
	    core_router_mac_cmp);
	c->router_macs_dirty = false;
}

/* The first resolved router at mac, or nrouter_macs. */
size_t
core_router_mac_find(struct core *c, const struct addr_mac *mac)
{
	size_t lo = 0, hi;

	if (c->router_macs_dirty)
		core_router_macs_rebuild(c);
	hi = c->nrouter_macs;
	/* Usually one or two: a scan is cheaper. */
	if (hi <= 8) {
		for (; lo < hi; lo++)
			if (core_mac_eq(&c->router_macs[lo].mac, mac))
				return lo;
		return hi;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(c->router_macs[mid].mac.b, mac->b, 6) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nrouter_macs && core_mac_eq(&c->router_macs[lo].mac, mac))
		return lo;
	return c->nrouter_macs;
}

/*
 * A pair at router R's resolved MAC is refused unless its address is R's
 * own (or another router's resolved there: one box, two router
 * addresses), a router address nobody has resolved yet (its answer to
 * our broadcast), or an IPv6 link-local address (a router solicits from
 * its link-local address, RFC 4861 7.2.2).
 */
bool
core_router_mac_refused(struct core *c, const struct addr_ip *ip,
    const struct addr_mac *mac)
{
	size_t i = core_router_mac_find(c, mac);

	if (i == c->nrouter_macs || addr_ip_is_linklocal6(ip))
		return false;
	for (; i < c->nrouter_macs &&
	    core_mac_eq(&c->router_macs[i].mac, mac); i++)
		if (core_ip_eq(&c->router_macs[i].ip, ip))
			return false;
	if (!core_ip_is_router(c, ip))
		return true;
	for (i = 0; i < c->nrouter_macs; i++)
		if (core_ip_eq(&c->router_macs[i].ip, ip))
			return true;
	return false;
}

/*
 * ARP has no O flag (RFC 4861 7.2.8 has no ARP twin): the first reply
 * for a router wins, and a later reply to us with another MAC is logged,
 * since two boxes answering for the router is a proxy or a spoof.
 */
void
core_router_arp_conflict(struct core *c, unsigned ifx,
    const struct addr_ip *ip, const struct addr_mac *mac,
    struct core_actions *out)
{
	const struct ncache_entry *e;
	struct core_action *a;
	uint32_t idx;

	if (core_iface_router(&c->ifs[ifx], ip) == NULL)
		return;
	idx = ncache_lookup(c->nc, ip, ifx);
	if (idx == NCACHE_NONE)
		return;
	e = ncache_entry_const(c->nc, idx);
	if (e->iface != ifx || core_mac_eq(&e->mac, mac))
		return;
	a = core_log(c, out, ifx, CORE_EV_ROUTER_CONFLICT);
	a->u.log.requester = *ip;
	a->u.log.mac = *mac;
	a->u.log.old_mac = e->mac;
}

/*
 * A redirect router's own address: one of this interface's redirect
 * routers that is not local (a local one is a kernel's address of
 * another interface, which parpd answers for as before), or a
 * link-local address learned at router MAC mac.  The router answers
 * for those itself; parpd's answer would say R=0.
 */
bool
core_router_owns(const struct core *c, unsigned ifx,
    const struct addr_ip *target, const struct addr_mac *mac)
{
	const struct core_router *r = core_iface_router(&c->ifs[ifx],
	    target);
	uint32_t idx;

	if (r != NULL)
		return !r->local;
	if (!addr_ip_is_linklocal6(target))
		return false;
	idx = ncache_lookup(c->nc, target, ifx);
	return idx != NCACHE_NONE &&
	    ncache_entry_const(c->nc, idx)->iface == ifx &&
	    core_mac_eq(&ncache_entry_const(c->nc, idx)->mac, mac);
}

/*
 * The R flag of a tell answer for entry e (RFC 4861 7.2.5: R=0 for a
 * router's address makes hosts drop it as a router).  Known (its own NA,
 * a static pair): as said.  Unknown (learned from ARP, an NS or an
 * announcement): R=0, a host's default, unless e is at the MAC of a
 * resolved redirect router whose own NA said R=1 (the router's other
 * addresses, such as its link-local one heard in its NS).
 */
bool
core_entry_router_flag(struct core *c, const struct ncache_entry *e)
{
	size_t i;

	if (e->flags & NCACHE_F_RKNOWN)
		return (e->flags & NCACHE_F_ISROUTER) != 0;
	i = core_router_mac_find(c, &e->mac);
	for (; i < c->nrouter_macs &&
	    core_mac_eq(&c->router_macs[i].mac, &e->mac); i++) {
		uint32_t idx = ncache_lookup(c->nc, &c->router_macs[i].ip,
		    e->iface);

		if (idx != NCACHE_NONE &&
		    (ncache_entry_const(c->nc, idx)->flags &
		    NCACHE_F_ISROUTER))
			return true;
	}
	return false;
}

/* Broadcast ARP request or NS to the solicited-node group. */
static void
core_router_query(struct core *c, unsigned ifx, struct core_router *r,
    struct core_actions *out)
{
	struct core_iface *f = &c->ifs[ifx];
	struct core_action *a;
	struct addr_ip src;

	/* RFC 4861 7.2.2: an NS needs a source address of the link. */
	if (r->ip.family == ADDR_V6 && !f->has_ll6)
		return;
	if (r->ip.family == ADDR_V4 && !core_arp_source(c, f, &r->ip, &src))
		return;
	a = core_push(c, out, CORE_ACT_SEND, ifx);
	if (a == NULL)
		return;
	if (r->ip.family == ADDR_V4)
		a->u.send.len = codec_encode_arp(a->u.send.frame,
		    CODEC_ARP_OP_REQUEST,
		    &f->info.mac, &core_bcast, &f->info.mac, &src, NULL,
		    &r->ip);
	else
		a->u.send.len = codec_encode_ns(a->u.send.frame,
		    &f->info.mac, NULL, &f->ll6, NULL, &r->ip);
	r->queried = true;
	r->query_time = c->now;
	c->cnt.queries_sent++;
}

void
core_routers_run(struct core *c, struct core_actions *out)
{
	size_t i, j;

	for (i = 0; i < c->nifs; i++) {
		struct core_iface *f = &c->ifs[i];

		for (j = 0; j < f->rules.nrouters; j++) {
			struct core_router *r = &f->routers[j];

			if (r->next_query > c->now)
				continue;
			core_router_check(c, (unsigned)i, r);
			if (r->next_query == CORE_NO_DEADLINE)
				continue;
			core_router_query(c, (unsigned)i, r, out);
			r->next_query = core_add(c->now,
			    f->timeout_ms > 0 ? f->timeout_ms : 1);
		}
	}
	core_router_deadline_update(c);
}

int
core_routers_build(struct core *c)
{
	size_t i, j, n = 0;

	for (i = 0; i < c->nifs; i++)
		n += c->ifs[i].rules.nrouters;
	c->router_ips = calloc(n > 0 ? n : 1, sizeof(*c->router_ips));
	c->router_macs = calloc(n > 0 ? n : 1, sizeof(*c->router_macs));
	if (c->router_ips == NULL || c->router_macs == NULL)
		return -1;
	c->router_macs_cap = n;
	for (i = 0; i < c->nifs; i++)
		for (j = 0; j < c->ifs[i].rules.nrouters; j++) {
			struct addr_ip k = c->ifs[i].routers[j].ip;

			if (k.family == ADDR_V4)
				memset(k.b + 4, 0, 12);
			c->router_ips[c->nrouter_ips++] = k;
		}
	qsort(c->router_ips, c->nrouter_ips, sizeof(*c->router_ips),
	    core_ip_cmp);
	for (i = j = 0; i < c->nrouter_ips; i++)
		if (j == 0 || core_ip_cmp(&c->router_ips[j - 1],
		    &c->router_ips[i]) != 0)
			c->router_ips[j++] = c->router_ips[i];
	c->nrouter_ips = j;
	return 0;
}
