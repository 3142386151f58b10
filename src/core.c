/*
 * The protocol core: decides requests by the rules, learns neighbours
 * from original sources only, refreshes them by unicast, resolves
 * redirect routers by broadcast, and says what to do as a list of
 * actions.  No system calls, no clock, no randomness of its own.
 *
 * This file: the public API, the action list, input dispatch (ARP and ND
 * frames to learning and answering), building a core from a
 * configuration, interfaces up and down, the timer entry point and
 * inspection.  The other jobs are in core_*.c (see core_priv.h).
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

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
	[CORE_EV_ROUTER_CONFLICT] = CORE_LOG_WARNING,
	[CORE_EV_ADOPTED] = CORE_LOG_DEBUG,
};
_Static_assert(sizeof(core_event_level) / sizeof(core_event_level[0]) ==
    CORE_EV_COUNT, "every core event needs a log level");

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
struct core_action *
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
struct core_action *
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

/* A route action for ip on interface ifx; NULL on allocation failure. */
struct core_action *
core_route(struct core *c, struct core_actions *out,
    enum core_action_kind kind, unsigned ifx, const struct addr_ip *ip)
{
	struct core_action *a = core_push(c, out, kind, ifx);

	if (a == NULL)
		return NULL;
	a->u.route = *ip;
	memcpy(a->ifname, c->ifs[ifx].name, sizeof(a->ifname));
	memcpy(a->old_ifname, a->ifname, sizeof(a->old_ifname));
	return a;
}

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

		if (core_solicited(c, ifx, &m->sender_ip, idx,
		    &m->sender_mac)) {
			core_learn_at(c, ifx, &m->sender_ip, idx,
			    &m->sender_mac, CORE_LEARN_SOLICITED, out);
			return;
		}
		core_router_arp_conflict(c, ifx, &m->sender_ip,
		    &m->sender_mac, out);
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
	    ((m->na_flags & CODEC_NA_ROUTER) ? CORE_LEARN_R : 0) |
	    ((m->na_flags & CODEC_NA_OVERRIDE) ? 0 : CORE_LEARN_NO_O);
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
	    core_solicited(c, ifx, &m->target_ip, idx, &mac))
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
	/*
	 * A request sent to another station's MAC is not ours to answer
	 * (RFC 1122 2.3.2.1; the kernel drops PACKET_OTHERHOST).
	 */
	if ((m.kind == CODEC_ARP_REQUEST || m.kind == CODEC_ND_NS) &&
	    !(m.eth_dst.b[0] & 1) &&
	    !core_mac_eq(&m.eth_dst, &c->ifs[ifx].info.mac)) {
		c->cnt.rx_other_host++;
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
	f->nrules = ci->nrules;
	if ((f->rule_hits = calloc(ci->nrules > 0 ? ci->nrules : 1,
	    sizeof(*f->rule_hits))) == NULL)
		return -1;
	if (core_sweeps_build(f, ci) != 0)
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
			/* The configuration knows whether it routes. */
			e->flags |= NCACHE_F_RKNOWN;
			if (s->router)
				e->flags |= NCACHE_F_ISROUTER;
			if (core_is_router_at(c, (unsigned)i, &s->ip))
				e->flags |= NCACHE_F_ROUTER;
		}
	}
	return 0;
}

void
core_release(struct core *c)
{
	size_t i;

	for (i = 0; i < c->nifs && c->ifs != NULL; i++) {
		rule_table_free(&c->ifs[i].rules);
		free(c->ifs[i].routers);
		free(c->ifs[i].rule_hits);
		core_sweeps_free(&c->ifs[i]);
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
int
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
		else if (addr_ip_is_linklocal6(a)) {
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
	core_sweeps_up(f, c->now);
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
	if (core_sweeps_deadline(c) <= c->now)
		core_sweeps_run(c, out);
}

uint64_t
core_next_deadline(const struct core *c)
{
	uint64_t d = ncache_next_deadline(c->nc), s = core_sweeps_deadline(c);

	if (c->pending)
		return c->now;
	if (s < d)
		d = s;
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
