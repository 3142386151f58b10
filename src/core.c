/*
 * The protocol core: decides requests by the rules, learns neighbours
 * from original sources only, refreshes them by unicast, resolves
 * redirect routers by broadcast, and says what to do as a list of
 * actions.  No system calls, no clock, no randomness of its own.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "delay.h"
#include "ncache.h"
#include "rule.h"
#include "siphash.h"

#define CORE_ACTIONS_MIN 16
#define CORE_MAX_DEADLINE (UINT64_MAX - 1)
#define CORE_NO_IFACE UINT32_MAX

struct core_router {
	struct addr_ip ip;
	uint64_t next_query;	/* CORE_NO_DEADLINE: nothing to send */
	uint64_t query_time;	/* of the last broadcast, with queried */
	uint32_t entry;		/* its cache slot as last seen: a hint */
	bool queried;
	bool local;		/* one of the interface's own addresses */
};

/* A resolved router: its MAC, and the router address resolved there. */
struct core_router_mac {
	struct addr_mac mac;
	struct addr_ip ip;
};

struct core_iface {
	char name[CONF_IFNAMSIZ];
	uint32_t timeout_ms;
	bool routes;
	struct rule_table rules;
	struct core_router *routers; /* parallel to rules.routers */
	bool up;
	struct core_ifinfo info;
	struct addr_ip v4src;	/* first IPv4 address, or 0.0.0.0 */
	struct addr_ip ll6;	/* first link-local IPv6 address */
	bool has_ll6;
};

struct core {
	/* What one configuration makes (core_build, core_release). */
	struct conf_cache cache;
	struct core_iface *ifs;
	size_t nifs;
	struct ncache *nc;
	struct delay *delay;
	struct addr_ip *router_ips;	/* every router address, sorted */
	size_t nrouter_ips;
	struct core_router_mac *router_macs; /* resolved routers, by MAC */
	size_t nrouter_macs;
	size_t router_macs_cap;
	/* Lasting state. */
	struct siphash_key key;
	struct core_counters cnt;
	uint64_t now;			/* latest time seen: never goes back */
	uint64_t router_deadline;	/* earliest router next_query */
	bool pending;			/* core_timer must finish a reload */
	bool router_macs_dirty;
	struct core_action sink;	/* written when the list cannot grow */
};

/* One request as the rules see it, from ARP or ND alike. */
struct core_req {
	unsigned ifx;
	struct addr_ip requester;	/* 0.0.0.0 or :: for a probe */
	struct addr_mac mac;		/* where the answer goes */
	struct addr_ip target;
	struct addr_ip reply_to;	/* NA destination */
	bool probe;
};

static const enum core_log_level core_event_level[] = {
	[CORE_EV_DECIDED] = CORE_LOG_INFO,
	[CORE_EV_MISSING] = CORE_LOG_INFO,
	[CORE_EV_LEARNED] = CORE_LOG_DEBUG,
	[CORE_EV_CHANGED] = CORE_LOG_INFO,
	[CORE_EV_MOVED] = CORE_LOG_NOTICE,
	[CORE_EV_EXPIRED] = CORE_LOG_DEBUG,
	[CORE_EV_POISON] = CORE_LOG_WARNING,
	[CORE_EV_ROUTER_RESOLVED] = CORE_LOG_INFO,
	[CORE_EV_TABLE_FULL] = CORE_LOG_WARNING,
};

static const struct addr_mac core_bcast = {
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
};

/* ---- actions ---- */

void
core_actions_init(struct core_actions *a)
{
	a->v = NULL;
	a->n = 0;
	a->cap = 0;
}

void
core_actions_clear(struct core_actions *a)
{
	a->n = 0;
}

void
core_actions_free(struct core_actions *a)
{
	free(a->v);
	core_actions_init(a);
}

/* A new zeroed action, or NULL (counted) when the list cannot grow. */
static struct core_action *
core_push(struct core *c, struct core_actions *out,
    enum core_action_kind kind, unsigned ifx)
{
	struct core_action *a;

	if (out->n == out->cap) {
		size_t cap = out->cap > 0 ? out->cap * 2 : CORE_ACTIONS_MIN;
		struct core_action *v = NULL;

		if (cap < SIZE_MAX / sizeof(*v))
			v = realloc(out->v, cap * sizeof(*v));
		if (v == NULL) {
			c->cnt.nomem++;
			return NULL;
		}
		out->v = v;
		out->cap = cap;
	}
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->iface = ifx;
	a->old_iface = ifx;
	return a;
}

/* A log action; on allocation failure a scratch one nobody reads. */
static struct core_action *
core_log(struct core *c, struct core_actions *out, unsigned ifx,
    enum core_event ev)
{
	struct core_action *a = core_push(c, out, CORE_ACT_LOG, ifx);

	if (a == NULL) {
		a = &c->sink;
		memset(a, 0, sizeof(*a));
	}
	a->u.log.event = ev;
	a->u.log.level = core_event_level[ev];
	return a;
}

static bool
core_route(struct core *c, struct core_actions *out,
    enum core_action_kind kind, unsigned ifx, const struct addr_ip *ip)
{
	struct core_action *a = core_push(c, out, kind, ifx);

	if (a == NULL)
		return false;
	a->u.route = *ip;
	return true;
}

/* ---- small helpers ---- */

/* Equality with constant sizes, which the compiler inlines. */
static inline bool
core_mac_eq(const struct addr_mac *a, const struct addr_mac *b)
{
	return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

static inline bool
core_ip_eq(const struct addr_ip *a, const struct addr_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == ADDR_V4)
		return memcmp(a->b, b->b, 4) == 0;
	return memcmp(a->b, b->b, 16) == 0;
}

static inline bool
core_ip_is_zero(const struct addr_ip *ip)
{
	static const uint8_t zero[16];

	if (ip->family == ADDR_V4)
		return memcmp(ip->b, zero, 4) == 0;
	return memcmp(ip->b, zero, 16) == 0;
}

static uint64_t
core_add(uint64_t a, uint64_t b)
{
	return a > CORE_MAX_DEADLINE - b ? CORE_MAX_DEADLINE : a + b;
}

static void
core_tick(struct core *c, uint64_t now)
{
	/* A clock that goes back is taken as one that stands still. */
	if (now > c->now)
		c->now = now;
}

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
core_ip_is_linklocal6(const struct addr_ip *ip)
{
	return ncache_is_scoped(ip);
}

/*
 * False for addresses that name no neighbour: this network, loopback,
 * multicast and the reserved block with the broadcast address (RFC 1122
 * 3.2.1.3, RFC 5735), IPv6 unspecified, loopback and multicast (RFC
 * 4291).  They are neither learned nor answered for.
 */
static bool
core_ip_learnable(const struct addr_ip *ip)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (ip->family == ADDR_V4)
		return ip->b[0] != 0 && ip->b[0] != 127 && ip->b[0] < 224;
	return !core_ip_is_zero(ip) && ip->b[0] != 0xff &&
	    memcmp(ip->b, loop6, 16) != 0;
}

/* Link-local IPv6 hosts need no host route: they are on-link anyway. */
static bool
core_ip_routable(const struct addr_ip *ip)
{
	return !core_ip_is_linklocal6(ip);
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

static struct core_router *
core_iface_router(const struct core_iface *f, const struct addr_ip *ip)
{
	size_t i;

	for (i = 0; i < f->rules.nrouters; i++)
		if (core_ip_eq(&f->routers[i].ip, ip))
			return &f->routers[i];
	return NULL;
}

/* A link-local router address is a router of its own link only. */
static bool
core_is_router_at(const struct core *c, unsigned ifx,
    const struct addr_ip *ip)
{
	if (core_ip_is_linklocal6(ip))
		return ifx < c->nifs &&
		    core_iface_router(&c->ifs[ifx], ip) != NULL;
	return core_ip_is_router(c, ip);
}

static const char *
core_ifname(const struct core *c, unsigned ifx)
{
	return ifx < c->nifs ? c->ifs[ifx].name : "?";
}

static bool
core_ifinfo_has(const struct core_ifinfo *info, const struct addr_ip *ip)
{
	size_t i;

	for (i = 0; i < info->naddrs; i++)
		if (core_ip_eq(&info->addrs[i], ip))
			return true;
	return false;
}

/* ---- routers ---- */

static bool
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

static void
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

/* Resolution runs while the interface is up and the router unknown. */
static void
core_router_check(struct core *c, unsigned ifx, struct core_router *r)
{
	struct addr_mac mac;

	/* Every change of the router's entry comes by here. */
	r->entry = ncache_lookup(c->nc, &r->ip, ifx);
	if (!c->ifs[ifx].up || core_router_mac(c, ifx, r, &mac)) {
		/* Answered: later replies to that broadcast count no more. */
		r->next_query = CORE_NO_DEADLINE;
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
static void
core_router_changed(struct core *c, unsigned ifx, const struct addr_ip *ip)
{
	bool ll = core_ip_is_linklocal6(ip);
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
static size_t
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
static bool
core_router_mac_refused(struct core *c, const struct addr_ip *ip,
    const struct addr_mac *mac)
{
	size_t i = core_router_mac_find(c, mac);

	if (i == c->nrouter_macs || core_ip_is_linklocal6(ip))
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

/* Broadcast ARP request or NS to the solicited-node group. */
static void
core_router_query(struct core *c, unsigned ifx, struct core_router *r,
    struct core_actions *out)
{
	struct core_iface *f = &c->ifs[ifx];
	struct core_action *a;

	/* RFC 4861 7.2.2: an NS needs a source address of the link. */
	if (r->ip.family == ADDR_V6 && !f->has_ll6)
		return;
	a = core_push(c, out, CORE_ACT_SEND, ifx);
	if (a == NULL)
		return;
	if (r->ip.family == ADDR_V4)
		a->u.send.len = codec_encode_arp(a->u.send.frame, 1,
		    &f->info.mac, &core_bcast, &f->info.mac, &f->v4src, NULL,
		    &r->ip);
	else
		a->u.send.len = codec_encode_ns(a->u.send.frame,
		    &f->info.mac, NULL, &f->ll6, NULL, &r->ip);
	r->queried = true;
	r->query_time = c->now;
	c->cnt.queries_sent++;
}

static void
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

/* ---- entries ---- */

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

static void
core_entry_schedule(struct core *c, uint32_t idx)
{
	ncache_set_deadline(c->nc, idx,
	    core_entry_when(c, ncache_entry_const(c->nc, idx)));
	core_timers_fix(c);
}

static void
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

static bool
core_wants_route(const struct core *c, unsigned ifx,
    const struct addr_ip *ip)
{
	const struct core_iface *f = &c->ifs[ifx];

	return f->routes && f->up && core_ip_routable(ip);
}

static void
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
static void
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

/* Unicast refresh: ARP request or NS straight to the known MAC. */
static void
core_entry_query(struct core *c, uint32_t idx, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);
	struct core_iface *f = &c->ifs[e->iface];
	struct core_action *a;
	struct addr_ip ip;

	ncache_entry_ip(e, &ip);
	if (!f->up || (ip.family == ADDR_V6 && !f->has_ll6))
		return;
	a = core_push(c, out, CORE_ACT_SEND, e->iface);
	if (a == NULL)
		return;
	if (ip.family == ADDR_V4)
		a->u.send.len = codec_encode_arp(a->u.send.frame, 1,
		    &f->info.mac, &e->mac, &f->info.mac, &f->v4src, NULL, &ip);
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
static void
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

/* ---- learning ---- */

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

/* How a pair was heard (core_learn): */
#define CORE_LEARN_SOLICITED 0x1u /* an answer to our own query */
#define CORE_LEARN_NA	     0x2u /* the owner's NA: its R flag is known */
#define CORE_LEARN_R	     0x4u /* ...and set (RFC 4861 4.4) */

/* The owner's R flag, kept to answer tell with it (RFC 4861 7.2.5). */
static void
core_entry_isrouter(struct ncache_entry *e, unsigned how, bool other)
{
	if (how & CORE_LEARN_NA) {
		if (how & CORE_LEARN_R)
			e->flags |= NCACHE_F_ISROUTER;
		else
			e->flags &= (uint8_t)~NCACHE_F_ISROUTER;
	} else if (other) {
		/* Another owner, who has not said it routes. */
		e->flags &= (uint8_t)~NCACHE_F_ISROUTER;
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
	core_entry_isrouter(e, how, false);
	router = core_is_router_at(c, ifx, ip);
	if (router)
		e->flags |= NCACHE_F_ROUTER;
	core_entry_renew(c, idx);
	if (how & CORE_LEARN_SOLICITED)
		ncache_confirm(c->nc, idx);
	c->cnt.learned++;
	a = core_log(c, out, ifx, router &&
	    core_iface_router(&c->ifs[ifx], ip) != NULL ?
	    CORE_EV_ROUTER_RESOLVED : CORE_EV_LEARNED);
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
		a = core_push(c, out, CORE_ACT_ROUTE_MOVE, ifx);
		if (a != NULL) {
			a->old_iface = old;
			a->u.route = ip;
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

static void
core_learn_again(struct core *c, uint32_t idx, unsigned ifx,
    const struct addr_mac *mac, unsigned how, struct core_actions *out)
{
	struct ncache_entry *e = ncache_entry(c->nc, idx);

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

	if (rule_tell_covers(&f->rules, ip) || core_iface_router(f, ip))
		return true;
	if (!core_ip_is_linklocal6(ip))
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
static void
core_learn_at(struct core *c, unsigned ifx, const struct addr_ip *ip,
    uint32_t idx, const struct addr_mac *mac, unsigned how,
    struct core_actions *out)
{
	if (!core_ip_learnable(ip))
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

static void
core_learn(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, unsigned how, struct core_actions *out)
{
	core_learn_at(c, ifx, ip, ncache_lookup(c->nc, ip, ifx), mac, how,
	    out);
}

/*
 * An answer counts if parpd asked for ip (entry idx, or NCACHE_NONE) on
 * ifx within the timeout.
 */
static bool
core_solicited(const struct core *c, unsigned ifx, const struct addr_ip *ip,
    uint32_t idx)
{
	const struct core_iface *f = &c->ifs[ifx];
	const struct core_router *r;

	if (idx != NCACHE_NONE) {
		const struct ncache_entry *e = ncache_entry_const(c->nc, idx);

		if (e->state == NCACHE_LEARNED && e->iface == ifx &&
		    (e->flags & NCACHE_F_QUERIED) &&
		    c->now - e->query_time <= f->timeout_ms)
			return true;
	}
	r = core_iface_router(f, ip);
	return r != NULL && r->queried &&
	    c->now - r->query_time <= f->timeout_ms;
}

/* ---- answering ---- */

/* router: the owner's own NA had R set (tell only). */
static void
core_answer(struct core *c, const struct core_req *q,
    const struct addr_mac *mac, bool tell, bool router,
    struct core_actions *out)
{
	struct core_iface *f = &c->ifs[q->ifx];
	struct core_action *a = core_push(c, out, CORE_ACT_SEND, q->ifx);
	uint8_t flags;

	if (a == NULL)
		return;
	c->cnt.answered++;
	if (q->target.family == ADDR_V4) {
		/* RFC 826; a probe's tpa stays 0.0.0.0 (RFC 5227 2.1.1). */
		a->u.send.len = codec_encode_arp(a->u.send.frame, 2,
		    &f->info.mac, &q->mac, mac, &q->target, &q->mac,
		    &q->requester);
		return;
	}
	/*
	 * RFC 4861 7.2.4: S for an answer to a unicast-addressed source, not
	 * to DAD (4.4); 7.2.8: a proxy answering for another clears O.  R
	 * as the owner said: R=0 would make hosts drop it as a router
	 * (7.2.5).
	 */
	flags = (q->probe ? 0 : CODEC_NA_SOLICITED) |
	    (tell ? CODEC_NA_OVERRIDE : 0) | (router ? CODEC_NA_ROUTER : 0);
	a->u.send.len = codec_encode_na(a->u.send.frame, &f->info.mac,
	    &q->mac, &q->target, &q->reply_to, &q->target, mac, flags);
}

static void
core_decided(struct core *c, const struct core_req *q, const struct rule *r,
    const struct addr_mac *answer, struct core_actions *out)
{
	struct core_action *a;

	if (!(r->flags & CONF_RULE_VERBOSE))
		return;
	a = core_log(c, out, q->ifx, CORE_EV_DECIDED);
	a->u.log.rule_line = r->line;
	a->u.log.action = r->action;
	a->u.log.answered = answer != NULL;
	a->u.log.requester = q->requester;
	a->u.log.target = q->target;
	if (answer != NULL)
		a->u.log.mac = *answer;
}

static bool
core_delay_reached(struct core *c, const struct core_req *q,
    const struct rule *r)
{
	uint32_t n;

	if (!(r->flags & CONF_RULE_DELAY))
		return true;
	n = delay_count(c->delay, q->ifx, &q->requester, &q->target, c->now,
	    c->cache.delay_window_ms);
	if (n == 0) {
		c->cnt.nomem++;
		return false;
	}
	return n >= c->cache.delay_count;
}

static void
core_redirect(struct core *c, const struct core_req *q, const struct rule *r,
    struct core_actions *out)
{
	struct core_iface *f = &c->ifs[q->ifx];
	struct core_router *rt;
	struct addr_mac mac;

	if (q->probe) {
		/* RFC 5227 / RFC 4862 5.4: never claim a probed address. */
		c->cnt.probes_refused++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	if (!core_delay_reached(c, q, r)) {
		c->cnt.delayed++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	rt = r->router < f->rules.nrouters ? &f->routers[r->router] : NULL;
	if (rt == NULL || !core_router_mac(c, q->ifx, rt, &mac)) {
		c->cnt.unresolved++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	/* The router asking, or asked with its own MAC: no loop. */
	if (core_ip_eq(&q->requester, &rt->ip) ||
	    core_mac_eq(&q->mac, &mac)) {
		c->cnt.ignored++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	core_answer(c, q, &mac, false, false, out);
	core_decided(c, q, r, &mac, out);
}

static void
core_tell(struct core *c, const struct core_req *q, const struct rule *r,
    struct core_actions *out)
{
	const struct ncache_entry *e;
	uint32_t idx;

	if (!core_delay_reached(c, q, r)) {
		c->cnt.delayed++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	idx = ncache_lookup(c->nc, &q->target, q->ifx);
	e = idx != NCACHE_NONE ? ncache_entry_const(c->nc, idx) : NULL;
	if (e == NULL || e->iface != q->ifx) {
		c->cnt.missing++;
		if (r->flags & CONF_RULE_VERBOSE) {
			struct core_action *a = core_log(c, out, q->ifx,
			    CORE_EV_MISSING);

			a->u.log.rule_line = r->line;
			a->u.log.action = r->action;
			a->u.log.requester = q->requester;
			a->u.log.target = q->target;
		}
		return;
	}
	/* The owner asking for itself, or probing its own address. */
	if (core_mac_eq(&e->mac, &q->mac)) {
		c->cnt.ignored++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	{
		struct addr_mac mac = e->mac;

		core_answer(c, q, &mac, true,
		    (e->flags & NCACHE_F_ISROUTER) != 0, out);
		core_decided(c, q, r, &mac, out);
	}
}

static void
core_decide(struct core *c, const struct core_req *q,
    struct core_actions *out)
{
	const struct rule *r;

	/*
	 * Targets that name no neighbour are nobody's to answer, whatever
	 * the rule; the interface's own addresses are the kernel's.
	 */
	if (!core_ip_learnable(&q->target) ||
	    core_ifinfo_has(&c->ifs[q->ifx].info, &q->target)) {
		c->cnt.ignored++;
		return;
	}
	r = rule_match(&c->ifs[q->ifx].rules, &q->requester, &q->target);
	if (r == NULL) {
		c->cnt.ignored++;
		return;
	}
	switch (r->action) {
	case CONF_ACTION_IGNORE:
		c->cnt.ignored++;
		core_decided(c, q, r, NULL, out);
		break;
	case CONF_ACTION_REDIRECT:
		core_redirect(c, q, r, out);
		break;
	default:
		core_tell(c, q, r, out);
		break;
	}
}

/* ---- input ---- */

static void
core_in_arp_request(struct core *c, unsigned ifx, const struct codec_msg *m,
    struct core_actions *out)
{
	struct core_req q;

	memset(&q, 0, sizeof(q));
	q.probe = core_ip_is_zero(&m->sender_ip);
	if (!q.probe && core_mac_eq(&m->eth_src, &m->sender_mac))
		core_learn(c, ifx, &m->sender_ip, &m->sender_mac, 0, out);
	/* RFC 5227 2.3: an announcement asks nothing. */
	if (!q.probe && core_ip_eq(&m->sender_ip, &m->target_ip)) {
		c->cnt.announcements++;
		return;
	}
	q.ifx = ifx;
	q.requester = m->sender_ip;
	q.mac = m->sender_mac;
	q.target = m->target_ip;
	core_decide(c, &q, out);
}

static void
core_in_arp_reply(struct core *c, unsigned ifx, const struct codec_msg *m,
    struct core_actions *out)
{
	const struct core_iface *f = &c->ifs[ifx];
	bool original = core_mac_eq(&m->eth_src, &m->sender_mac);

	/* Gratuitous ARP in reply form (RFC 5227 3). */
	if (core_ip_eq(&m->sender_ip, &m->target_ip)) {
		c->cnt.announcements++;
		if (original)
			core_learn(c, ifx, &m->sender_ip, &m->sender_mac, 0,
			    out);
		return;
	}
	if (original && core_mac_eq(&m->eth_dst, &f->info.mac)) {
		uint32_t idx = ncache_lookup(c->nc, &m->sender_ip, ifx);

		if (core_solicited(c, ifx, &m->sender_ip, idx)) {
			core_learn_at(c, ifx, &m->sender_ip, idx,
			    &m->sender_mac, CORE_LEARN_SOLICITED, out);
			return;
		}
	}
	c->cnt.unsolicited++;
}

static void
core_in_ns(struct core *c, unsigned ifx, const struct codec_msg *m,
    struct core_actions *out)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	struct core_req q;

	memset(&q, 0, sizeof(q));
	q.probe = core_ip_is_zero(&m->ip_src);
	if (!q.probe && m->has_lladdr &&
	    core_mac_eq(&m->sender_mac, &m->eth_src))
		core_learn(c, ifx, &m->ip_src, &m->sender_mac, 0, out);
	if (!q.probe && core_ip_eq(&m->ip_src, &m->target_ip)) {
		c->cnt.announcements++;
		return;
	}
	q.ifx = ifx;
	q.requester = m->ip_src;
	q.mac = m->has_lladdr ? m->sender_mac : m->eth_src;
	q.target = m->target_ip;
	/* RFC 4861 7.2.4: an answer to DAD goes to all-nodes. */
	if (q.probe)
		addr_ip_set6(&q.reply_to, all_nodes);
	else
		q.reply_to = m->ip_src;
	core_decide(c, &q, out);
}

static void
core_in_na(struct core *c, unsigned ifx, const struct codec_msg *m,
    struct core_actions *out)
{
	const struct core_iface *f = &c->ifs[ifx];
	struct addr_mac mac = m->has_lladdr ? m->sender_mac : m->eth_src;
	bool original = core_mac_eq(&mac, &m->eth_src);
	unsigned how = CORE_LEARN_NA |
	    ((m->na_flags & CODEC_NA_ROUTER) ? CORE_LEARN_R : 0);
	uint32_t idx;

	if (!(m->na_flags & CODEC_NA_SOLICITED)) {
		/*
		 * Unsolicited NA: an owner's announcement sets O (RFC 4861
		 * 7.2.6); without O it is a proxy's (7.2.8), never learned.
		 */
		c->cnt.announcements++;
		if (m->has_lladdr && original &&
		    (m->na_flags & CODEC_NA_OVERRIDE))
			core_learn(c, ifx, &m->target_ip, &mac, how, out);
		return;
	}
	/*
	 * RFC 4861 7.2.4 lets an answer to a unicast NS omit the target
	 * link-layer option: then it must come from the MAC we know.
	 */
	idx = ncache_lookup(c->nc, &m->target_ip, ifx);
	if (!m->has_lladdr && (idx == NCACHE_NONE ||
	    !core_mac_eq(&ncache_entry(c->nc, idx)->mac, &mac)))
		original = false;
	if (original && core_mac_eq(&m->eth_dst, &f->info.mac) &&
	    core_solicited(c, ifx, &m->target_ip, idx))
		core_learn_at(c, ifx, &m->target_ip, idx, &mac,
		    how | CORE_LEARN_SOLICITED, out);
	else
		c->cnt.unsolicited++;
}

void
core_input(struct core *c, unsigned ifx, const uint8_t *frame, size_t len,
    uint64_t now, struct core_actions *out)
{
	struct codec_msg m;
	enum codec_verdict v;

	core_tick(c, now);
	c->cnt.rx_frames++;
	if (ifx >= c->nifs || !c->ifs[ifx].up) {
		c->cnt.rx_unknown_iface++;
		return;
	}
	v = codec_decode(frame, len, &m);
	if (v != CODEC_OK) {
		c->cnt.rx_dropped[(unsigned)v < CODEC_VERDICT_COUNT ? v : 0]++;
		return;
	}
	/*
	 * Our own frames, and frames whose sender hardware address (ARP
	 * sha, ND link-layer option) is ours from another source: no
	 * answer to ourselves, nothing learned.
	 */
	if (core_mac_eq(&m.eth_src, &c->ifs[ifx].info.mac) ||
	    (m.has_lladdr &&
	    core_mac_eq(&m.sender_mac, &c->ifs[ifx].info.mac))) {
		c->cnt.rx_own++;
		return;
	}
	switch (m.kind) {
	case CODEC_ARP_REQUEST:
		core_in_arp_request(c, ifx, &m, out);
		break;
	case CODEC_ARP_REPLY:
		core_in_arp_reply(c, ifx, &m, out);
		break;
	case CODEC_ND_NS:
		core_in_ns(c, ifx, &m, out);
		break;
	case CODEC_ND_NA:
		core_in_na(c, ifx, &m, out);
		break;
	}
}

/* ---- building from a configuration ---- */

static int
core_iface_build(struct core_iface *f, const struct conf_iface *ci)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	memcpy(f->name, ci->name, sizeof(f->name));
	f->name[sizeof(f->name) - 1] = '\0';
	f->timeout_ms = ci->timeout_ms;
	f->routes = ci->routes;
	f->v4src.family = ADDR_V4;
	if (rule_table_compile(&f->rules, ci) != 0)
		return -1;
	f->routers = calloc(f->rules.nrouters > 0 ? f->rules.nrouters : 1,
	    sizeof(*f->routers));
	if (f->routers == NULL)
		return -1;
	for (i = 0; i < f->rules.nrouters; i++) {
		f->routers[i].ip = f->rules.routers[i];
		f->routers[i].next_query = CORE_NO_DEADLINE;
		f->routers[i].entry = NCACHE_NONE;
	}
	return 0;
}

static int
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

static int
core_statics_insert(struct core *c, const struct conf *conf)
{
	size_t i, j, n = 0;

	for (i = 0; i < conf->nifaces; i++)
		n += conf->ifaces[i].nstatics;
	if (ncache_reserve(c->nc, n) != 0)
		return -1;
	for (i = 0; i < conf->nifaces; i++) {
		const struct conf_iface *ci = &conf->ifaces[i];

		for (j = 0; j < ci->nstatics; j++) {
			const struct conf_static *s = &ci->statics[j];
			struct ncache_entry *e;
			uint32_t idx;

			if ((s->ip.family != ADDR_V4 &&
			    s->ip.family != ADDR_V6) ||
			    ncache_lookup(c->nc, &s->ip, (unsigned)i) !=
			    NCACHE_NONE)
				continue;
			idx = ncache_insert(c->nc, &s->ip, (unsigned)i,
			    NCACHE_STATIC);
			e = ncache_entry(c->nc, idx);
			e->mac = s->mac;
			if (core_is_router_at(c, (unsigned)i, &s->ip))
				e->flags |= NCACHE_F_ROUTER;
		}
	}
	return 0;
}

static void
core_release(struct core *c)
{
	size_t i;

	for (i = 0; i < c->nifs && c->ifs != NULL; i++) {
		rule_table_free(&c->ifs[i].rules);
		free(c->ifs[i].routers);
	}
	free(c->ifs);
	ncache_free(c->nc);
	delay_free(c->delay);
	free(c->router_ips);
	free(c->router_macs);
	c->ifs = NULL;
	c->nifs = 0;
	c->nc = NULL;
	c->delay = NULL;
	c->router_ips = NULL;
	c->router_macs = NULL;
	c->nrouter_ips = c->nrouter_macs = c->router_macs_cap = 0;
}

/* Everything conf makes, into c (key already set).  -1: c->release. */
static int
core_build(struct core *c, const struct conf *conf)
{
	size_t i;

	if (conf->nifaces > UINT16_MAX)
		return -1;
	c->cache = conf->cache;
	c->ifs = calloc(conf->nifaces > 0 ? conf->nifaces : 1,
	    sizeof(*c->ifs));
	if (c->ifs == NULL)
		return -1;
	for (i = 0; i < conf->nifaces; i++) {
		c->nifs = i + 1;
		if (core_iface_build(&c->ifs[i], &conf->ifaces[i]) != 0)
			return -1;
	}
	if (core_routers_build(c) != 0)
		return -1;
	c->nc = ncache_new(conf->cache.tablesize, conf->cache.limit, &c->key);
	c->delay = delay_new(conf->cache.tablesize, conf->cache.limit,
	    &c->key);
	if (c->nc == NULL || c->delay == NULL)
		return -1;
	c->router_macs_dirty = true;
	return core_statics_insert(c, conf);
}

struct core *
core_new(const struct conf *conf, uint64_t seed, uint64_t now)
{
	struct core *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	siphash_key_from_seed(&c->key, seed);
	c->now = now;
	c->router_deadline = CORE_NO_DEADLINE;
	if (core_build(c, conf) != 0) {
		core_release(c);
		free(c);
		return NULL;
	}
	return c;
}

void
core_free(struct core *c)
{
	if (c == NULL)
		return;
	core_release(c);
	free(c);
}

/* ---- reload ---- */

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
	if (!rule_tell_covers(&f->rules, &ip) &&
	    core_iface_router(f, &ip) == NULL &&
	    (!core_ip_is_linklocal6(&ip) ||
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
	e->flags = o->flags & (NCACHE_F_QUERIED | NCACHE_F_ISROUTER);
	if (core_is_router_at(nw, map[o->iface], &ip))
		e->flags |= NCACHE_F_ROUTER;
	e->queries_left = o->queries_left < n ? o->queries_left :
	    (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
	if (o->flags & NCACHE_F_CONFIRMED)
		ncache_confirm(nw->nc, j);
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
 * interface still mirrors routes; every other one goes, named by its
 * old interface index.
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
		else
			core_route(c, out, CORE_ACT_ROUTE_DEL, o->iface, &ip);
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
static void
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

/* ---- interfaces, timers, shutdown ---- */

static void
core_iface_addrs(struct core_iface *f)
{
	size_t i;

	memset(&f->v4src, 0, sizeof(f->v4src));
	f->v4src.family = ADDR_V4;
	f->has_ll6 = false;
	for (i = f->info.naddrs; i-- > 0;) {
		const struct addr_ip *a = &f->info.addrs[i];

		if (a->family == ADDR_V4)
			f->v4src = *a;
		else if (core_ip_is_linklocal6(a)) {
			f->ll6 = *a;
			f->has_ll6 = true;
		}
	}
}

void
core_iface_up(struct core *c, unsigned ifx, const struct core_ifinfo *info,
    uint64_t now, struct core_actions *out)
{
	struct core_iface *f;
	uint32_t i;
	size_t j;

	core_tick(c, now);
	if (ifx >= c->nifs)
		return;
	f = &c->ifs[ifx];
	f->info = *info;
	if (f->info.naddrs > CORE_IFACE_ADDRS_MAX)
		f->info.naddrs = CORE_IFACE_ADDRS_MAX;
	f->up = true;
	core_iface_addrs(f);
	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i))
		if (ncache_entry(c->nc, i)->iface == ifx)
			core_entry_route_add(c, i, out);
	for (j = 0; j < f->rules.nrouters; j++) {
		struct core_router *r = &f->routers[j];

		r->local = core_ifinfo_has(&f->info, &r->ip);
		r->next_query = CORE_NO_DEADLINE;
		core_router_check(c, ifx, r);
	}
	c->router_macs_dirty = true;
	core_routers_run(c, out);
}

void
core_iface_down(struct core *c, unsigned ifx, uint64_t now,
    struct core_actions *out)
{
	struct core_iface *f;
	uint32_t i;
	size_t j;

	(void)out;
	core_tick(c, now);
	if (ifx >= c->nifs)
		return;
	f = &c->ifs[ifx];
	f->up = false;
	/* The kernel drops the routes with the link. */
	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i)) {
		struct ncache_entry *e = ncache_entry(c->nc, i);

		if (e->iface == ifx)
			e->flags &= (uint8_t)~NCACHE_F_ROUTED;
	}
	for (j = 0; j < f->rules.nrouters; j++) {
		f->routers[j].next_query = CORE_NO_DEADLINE;
		f->routers[j].queried = false;
	}
	c->router_macs_dirty = true;
	core_router_deadline_update(c);
}

void
core_timer(struct core *c, uint64_t now, struct core_actions *out)
{
	uint32_t idx;

	core_tick(c, now);
	/* Each due entry ends up removed or due after now: one pass. */
	while ((idx = ncache_next_due(c->nc, c->now)) != NCACHE_NONE)
		core_entry_due(c, idx, out);
	if (c->pending)
		core_apply_pending(c, out);
	if (c->router_deadline <= c->now)
		core_routers_run(c, out);
}

uint64_t
core_next_deadline(const struct core *c)
{
	uint64_t d = ncache_next_deadline(c->nc);

	if (c->pending)
		return c->now;
	return c->router_deadline < d ? c->router_deadline : d;
}

void
core_shutdown(struct core *c, struct core_actions *out)
{
	uint32_t i;

	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i)) {
		struct ncache_entry *e = ncache_entry(c->nc, i);
		struct addr_ip ip;

		if (!(e->flags & NCACHE_F_ROUTED))
			continue;
		ncache_entry_ip(e, &ip);
		if (core_route(c, out, CORE_ACT_ROUTE_DEL, e->iface, &ip))
			e->flags &= (uint8_t)~NCACHE_F_ROUTED;
	}
}

/* ---- inspection ---- */

const struct core_counters *
core_counters(const struct core *c)
{
	return &c->cnt;
}

size_t
core_cache_count(const struct core *c)
{
	return ncache_count(c->nc);
}

size_t
core_cache_entry_size(void)
{
	return ncache_entry_size();
}

size_t
core_memory(const struct core *c)
{
	return ncache_memory(c->nc) + delay_memory(c->delay);
}

bool
core_lookup(const struct core *c, unsigned iface, const struct addr_ip *ip,
    struct core_entry_info *out)
{
	uint32_t idx = ncache_lookup(c->nc, ip, iface);
	const struct ncache_entry *e;

	if (idx == NCACHE_NONE)
		return false;
	e = ncache_entry_const(c->nc, idx);
	memset(out, 0, sizeof(*out));
	out->mac = e->mac;
	out->iface = e->iface;
	out->is_static = e->state == NCACHE_STATIC;
	out->confirmed = (e->flags & NCACHE_F_CONFIRMED) != 0;
	out->probing = (e->flags & NCACHE_F_QUERIED) != 0;
	out->routed = (e->flags & NCACHE_F_ROUTED) != 0;
	out->expire = out->is_static ? 0 : e->expire;
	return true;
}

#define CORE_COUNTER(name) { #name, offsetof(struct core_counters, name) }

static const struct {
	const char *name;
	size_t off;
} core_counter_names[] = {
	CORE_COUNTER(rx_own),
	CORE_COUNTER(rx_unknown_iface),
	CORE_COUNTER(answered),
	CORE_COUNTER(ignored),
	CORE_COUNTER(delayed),
	CORE_COUNTER(missing),
	CORE_COUNTER(unresolved),
	CORE_COUNTER(probes_refused),
	CORE_COUNTER(announcements),
	CORE_COUNTER(unsolicited),
	CORE_COUNTER(learned),
	CORE_COUNTER(refreshed),
	CORE_COUNTER(expired),
	CORE_COUNTER(poison_refused),
	CORE_COUNTER(not_learnable),
	CORE_COUNTER(table_full),
	CORE_COUNTER(queries_sent),
	CORE_COUNTER(nomem),
};

static void
core_dump_counters(const struct core *c, FILE *out)
{
	size_t i;

	fprintf(out, "rx_frames %" PRIu64 "\n", c->cnt.rx_frames);
	for (i = 1; i < CODEC_VERDICT_COUNT; i++)
		fprintf(out, "rx_dropped_%s %" PRIu64 "\n",
		    codec_verdict_name((enum codec_verdict)i),
		    c->cnt.rx_dropped[i]);
	for (i = 0; i < sizeof(core_counter_names) /
	    sizeof(core_counter_names[0]); i++) {
		uint64_t v;

		memcpy(&v, (const char *)&c->cnt + core_counter_names[i].off,
		    sizeof(v));
		fprintf(out, "%s %" PRIu64 "\n", core_counter_names[i].name, v);
	}
	fprintf(out, "entries %zu\n", ncache_count(c->nc));
}

static const char *
core_entry_state(const struct ncache_entry *e)
{
	if (e->state == NCACHE_STATIC)
		return "static";
	if (e->flags & NCACHE_F_QUERIED)
		return "probing";
	return (e->flags & NCACHE_F_CONFIRMED) ? "confirmed" : "learned";
}

static void
core_dump_entries(const struct core *c, FILE *out, uint64_t now)
{
	char ip[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN];
	uint32_t i;

	for (i = ncache_next(c->nc, NCACHE_NONE); i != NCACHE_NONE;
	    i = ncache_next(c->nc, i)) {
		const struct ncache_entry *e = ncache_entry_const(c->nc, i);
		struct addr_ip a;
		char left[24];

		ncache_entry_ip(e, &a);
		if (e->state == NCACHE_STATIC)
			snprintf(left, sizeof(left), "-");
		else
			snprintf(left, sizeof(left), "%" PRIu64,
			    e->expire > now ? (e->expire - now) / 1000 : 0);
		fprintf(out, "%s %s %s %s %s %s\n",
		    addr_ip_format(&a, ip, sizeof(ip)),
		    addr_mac_format(&e->mac, mac, sizeof(mac)),
		    core_ifname(c, e->iface), core_entry_state(e), left,
		    (e->flags & NCACHE_F_ROUTED) ? "yes" : "no");
	}
}

/* Routers still being resolved by broadcast have no entry yet. */
static void
core_dump_resolving(const struct core *c, FILE *out)
{
	char ip[ADDR_IP_STRLEN];
	size_t i, j;

	for (i = 0; i < c->nifs; i++)
		for (j = 0; j < c->ifs[i].rules.nrouters; j++) {
			const struct core_router *r = &c->ifs[i].routers[j];
			struct addr_mac mac;

			if (!c->ifs[i].up ||
			    core_router_mac(c, (unsigned)i, r, &mac))
				continue;
			fprintf(out, "%s 00:00:00:00:00:00 %s resolving - no\n",
			    addr_ip_format(&r->ip, ip, sizeof(ip)),
			    c->ifs[i].name);
		}
}

void
core_dump(const struct core *c, FILE *out, uint64_t now)
{
	if (now < c->now)
		now = c->now;
	core_dump_counters(c, out);
	core_dump_entries(c, out, now);
	core_dump_resolving(c, out);
}

static const char *
core_action_name(enum conf_action a)
{
	switch (a) {
	case CONF_ACTION_IGNORE:
		return "ignore";
	case CONF_ACTION_TELL:
		return "tell";
	default:
		return "redirect";
	}
}

void
core_log_format(const struct core *c, const struct core_action *a, char *buf,
    size_t len)
{
	const struct core_log *l = &a->u.log;
	char ip[ADDR_IP_STRLEN], t[ADDR_IP_STRLEN];
	char mac[ADDR_MAC_STRLEN], old[ADDR_MAC_STRLEN];
	const char *ifn = core_ifname(c, a->iface);

	if (len == 0)
		return;
	buf[0] = '\0';
	if (a->kind != CORE_ACT_LOG)
		return;
	addr_ip_format(&l->requester, ip, sizeof(ip));
	if (l->target.family == ADDR_V4 || l->target.family == ADDR_V6)
		addr_ip_format(&l->target, t, sizeof(t));
	else
		snprintf(t, sizeof(t), "-");
	addr_mac_format(&l->mac, mac, sizeof(mac));
	addr_mac_format(&l->old_mac, old, sizeof(old));
	switch (l->event) {
	case CORE_EV_DECIDED:
		snprintf(buf, len, "%s: line %u: %s asks for %s: %s, %s%s",
		    ifn, l->rule_line, ip, t, core_action_name(l->action),
		    l->answered ? "answered with " : "no answer",
		    l->answered ? mac : "");
		break;
	case CORE_EV_MISSING:
		snprintf(buf, len, "%s: line %u: %s asks for %s: tell, but "
		    "%s is not known on %s", ifn, l->rule_line, ip, t, t, ifn);
		break;
	case CORE_EV_LEARNED:
		snprintf(buf, len, "%s: learned %s at %s", ifn, ip, mac);
		break;
	case CORE_EV_CHANGED:
		snprintf(buf, len, "%s: %s changed from %s to %s", ifn, ip,
		    old, mac);
		break;
	case CORE_EV_MOVED:
		snprintf(buf, len, "%s moved from %s (%s) to %s (%s)", ip,
		    core_ifname(c, a->old_iface), old, ifn, mac);
		break;
	case CORE_EV_EXPIRED:
		snprintf(buf, len, "%s: %s at %s expired", ifn, ip, mac);
		break;
	case CORE_EV_POISON:
		if (l->refusal == CORE_REFUSED_STATIC)
			snprintf(buf, len, "%s: refused %s at %s: static pair "
			    "at %s", ifn, ip, mac, old);
		else if (l->refusal == CORE_REFUSED_OWN)
			snprintf(buf, len, "%s: refused %s at %s: an address "
			    "of this interface (%s)", ifn, ip, mac, old);
		else
			snprintf(buf, len, "%s: refused %s at %s: the MAC of "
			    "a redirect router", ifn, ip, mac);
		break;
	case CORE_EV_ROUTER_RESOLVED:
		snprintf(buf, len, "%s: router %s is at %s", ifn, ip, mac);
		break;
	case CORE_EV_TABLE_FULL:
		if (l->target.family == 0)
			snprintf(buf, len, "%s: cache full (limit %" PRIu32
			    "), refused %s at %s: every entry is confirmed or "
			    "static", ifn, c->cache.limit, ip, mac);
		else
			snprintf(buf, len, "%s: cache full (limit %" PRIu32
			    "), evicted unconfirmed %s for %s at %s", ifn,
			    c->cache.limit, t, ip, mac);
		break;
	}
}
