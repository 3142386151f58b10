/*
 * Entry timers: unicast refresh queries in the last slots before expiry
 * (refresh_count, refresh_interval), expiry, and the host routes
 * mirrored from entries (routes option).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* When an entry's timer is due: its next refresh slot, or E. */
static uint64_t
core_entry_when(const struct core *c, const struct ncache_entry *e)
{
	uint64_t span = (uint64_t)e->queries_left *
	    c->cache.refresh_interval_ms;

	return e->expire > span ? e->expire - span : 0;
}

/*
 * A renewal only pushes a timer back, and leaves the heap alone
 * (core_entry_renew): a heap key may be earlier than its entry's
 * deadline, never later.  The first key is always made exact, so the
 * earliest key is the earliest deadline and core_next_deadline stays
 * exact; an early key is corrected when it comes first.
 */
static void
core_timers_fix(struct core *c)
{
	uint32_t first;

	while ((first = ncache_first(c->nc)) != NCACHE_NONE) {
		uint64_t when = core_entry_when(c,
		    ncache_entry_const(c->nc, first));

		if (ncache_deadline(c->nc, first) >= when)
			return;
		ncache_set_deadline(c->nc, first, when);
	}
}

void
core_entry_schedule(struct core *c, uint32_t idx)
{
	ncache_set_deadline(c->nc, idx,
	    core_entry_when(c, ncache_entry_const(c->nc, idx)));
	core_timers_fix(c);
}

void
core_entry_renew(struct core *c, uint32_t idx)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	uint32_t n = c->cache.refresh_count;
	uint64_t before = core_entry_when(c, e);

	e->expire = core_add(c->now, c->cache.timeout_ms);
	e->queries_left = (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
	e->flags &= (uint8_t)~NCACHE_F_QUERIED;
	/* Pushed back and not the first timer: the old key stays. */
	if (e->heap_pos != NCACHE_NONE && core_entry_when(c, e) >= before &&
	    ncache_first(c->nc) != idx)
		return;
	core_entry_schedule(c, idx);
}

bool
core_wants_route(const struct core *c, unsigned ifx,
    const struct addr_ip *ip)
{
	const struct core_iface *f = &c->ifs[ifx];

	return f->routes && f->up && core_ip_routable(ip);
}

void
core_entry_route_add(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	struct addr_ip ip;

	ncache_entry_ip(e, &ip);
	if ((e->flags & NCACHE_F_ROUTED) || !core_wants_route(c, e->iface, &ip))
		return;
	if (core_route(c, out, CORE_ACT_ROUTE_ADD, e->iface, &ip))
		e->flags |= NCACHE_F_ROUTED;
}

/* Deletes the entry and its route. */
void
core_entry_drop(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	bool router = (e->flags & NCACHE_F_ROUTER) != 0;
	unsigned ifx = e->iface;
	struct addr_ip ip;

	ncache_entry_ip(e, &ip);
	if (e->flags & NCACHE_F_ROUTED)
		core_route(c, out, CORE_ACT_ROUTE_DEL, ifx, &ip);
	ncache_remove(c->nc, idx);
	core_timers_fix(c);
	if (router)
		core_router_changed(c, ifx, &ip);
}

static void
core_entry_expire(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	struct core_action *a = core_log(c, out, e->iface, CORE_EV_EXPIRED);

	ncache_entry_ip(e, &a->u.log.requester);
	a->u.log.mac = e->mac;
	c->cnt.expired++;
	core_entry_drop(c, idx, out);
}

/*
 * The sender address of an ARP query for target on f: the interface's
 * first IPv4 address on the target's subnet, else its first IPv4
 * address.  None: false, and the query is not sent, since a request
 * with sender 0.0.0.0 is a probe (RFC 5227 2.1.1) and a host probing
 * target would take it for a conflict.
 */
bool
core_arp_source(struct core *c, const struct core_iface *f,
    const struct addr_ip *target, struct addr_ip *src)
{
	size_t i;

	for (i = 0; i < f->info.naddrs; i++) {
		struct addr_prefix p;

		p.ip = f->info.addrs[i];
		p.len = f->info.plen[i];
		if (p.ip.family == ADDR_V4 && p.len > 0 && p.len <= 32 &&
		    addr_prefix_contains(&p, target)) {
			*src = p.ip;
			return true;
		}
	}
	if (core_ip_is_zero(&f->v4src)) {
		c->cnt.arp_no_source++;
		return false;
	}
	*src = f->v4src;
	return true;
}

/* Unicast refresh: ARP request or NS straight to the known MAC. */
void
core_entry_query(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	struct core_iface *f = &c->ifs[e->iface];
	struct core_action *a;
	struct addr_ip ip, src;

	ncache_entry_ip(e, &ip);
	if (!f->up || (ip.family == ADDR_V6 && !f->has_ll6))
		return;
	if (ip.family == ADDR_V4 && !core_arp_source(c, f, &ip, &src))
		return;
	a = core_push(c, out, CORE_ACT_SEND, e->iface);
	if (a == NULL)
		return;
	if (ip.family == ADDR_V4)
		a->u.send.len = codec_encode_arp(a->u.send.frame,
		    CODEC_ARP_OP_REQUEST,
		    &f->info.mac, &e->mac, &f->info.mac, &src, NULL, &ip);
	else
		a->u.send.len = codec_encode_ns(a->u.send.frame,
		    &f->info.mac, &e->mac, &f->ll6, &ip, &ip);
	e->flags |= NCACHE_F_QUERIED;
	e->query_time = c->now;
	c->cnt.queries_sent++;
}

/*
 * A due timer: expiry at E, else the query of the latest refresh slot
 * E - k*S that has come (slots missed by a jump in time are skipped),
 * then the timer moves to the next slot or to E, both after now.
 */
void
core_entry_due(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	uint64_t s = c->cache.refresh_interval_ms, k = 0;

	if (c->now >= e->expire) {
		core_entry_expire(c, idx, out);
		return;
	}
	if (s > 0)
		k = (e->expire - c->now + s - 1) / s;
	if (k > e->queries_left)
		k = e->queries_left;
	if (k > 0)
		core_entry_query(c, idx, out);
	e->queries_left = (uint16_t)(k > 0 ? k - 1 : 0);
	core_entry_schedule(c, idx);
}
