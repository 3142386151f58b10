/*
 * The core's private header: struct core and its parts, shared by
 * core.c and core_*.c, small helpers inlined on the hot path, and the
 * functions one part of the core calls in another.  Not for the shell.
 */
#ifndef PARPD_CORE_PRIV_H
#define PARPD_CORE_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "delay.h"
#include "ncache.h"
#include "rule.h"
#include "siphash.h"

#define CORE_ACTIONS_MIN 16
/*
 * A learned entry is on probation, the only place a full cache evicts
 * from, until it answers one of parpd's queries or its own traffic
 * renews it at least this long after it was learned.  A flood of
 * invented senders at R per second keeps each on probation only
 * limit / R seconds (65536 / 6554 = 10 s): too short to get off it.
 */
#define CORE_PROBATION_S 10u
#define CORE_MAX_DEADLINE (UINT64_MAX - 1)

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

/* A sweep of its interface (core_sweep.c). */
struct core_sweep {
	uint32_t rate;		/* queries per second */
	uint32_t every_ms;
	uint32_t base;		/* the prefix, as a number */
	uint32_t size;		/* its addresses */
	uint32_t first;		/* the hosts asked: first .. first + count - 1 */
	uint32_t count;
	bool active;		/* a pass is under way */
	uint32_t cursor;	/* the next host of the pass, as an offset */
	uint64_t pass_start;
	uint64_t next_pass;	/* when the next pass starts (not active) */
	uint64_t next_send;	/* when the next query may go (active) */
	/* This pass's queries, oldest first: offset and time sent. */
	uint32_t *ring_off;
	uint64_t *ring_time;
	uint32_t ring_cap;
	uint32_t ring_head;
	uint32_t ring_n;
};

struct core_iface {
	char name[CONF_IFNAMSIZ];
	uint32_t timeout_ms;
	bool routes;
	struct rule_table rules;
	struct core_router *routers; /* parallel to rules.routers */
	uint64_t *rule_hits;	/* requests decided, by conf_iface.rules index */
	size_t nrules;
	struct core_sweep *sweeps;
	size_t nsweeps;
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

/* How a pair was heard (core_learn): */
#define CORE_LEARN_SOLICITED 0x1u /* an answer to our own query */
#define CORE_LEARN_NA	     0x2u /* the owner's NA: its R flag is known */
#define CORE_LEARN_R	     0x4u /* ...and set (RFC 4861 4.4) */
#define CORE_LEARN_NO_O	     0x8u /* an NA with O=0: fills, never replaces */
#define CORE_LEARN_ADOPT     0x10u /* from an earlier run: core_adopt */

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

static inline uint64_t
core_add(uint64_t a, uint64_t b)
{
	return a > CORE_MAX_DEADLINE - b ? CORE_MAX_DEADLINE : a + b;
}

static inline void
core_tick(struct core *c, uint64_t now)
{
	/* A clock that goes back is taken as one that stands still. */
	if (now > c->now)
		c->now = now;
}

/* Link-local IPv6 hosts need no host route: they are on-link anyway. */
static inline bool
core_ip_routable(const struct addr_ip *ip)
{
	return !addr_ip_is_linklocal6(ip);
}

static inline struct core_router *
core_iface_router(const struct core_iface *f, const struct addr_ip *ip)
{
	size_t i;

	for (i = 0; i < f->rules.nrouters; i++)
		if (core_ip_eq(&f->routers[i].ip, ip))
			return &f->routers[i];
	return NULL;
}

static inline bool
core_ifinfo_has(const struct core_ifinfo *info, const struct addr_ip *ip)
{
	size_t i;

	for (i = 0; i < info->naddrs; i++)
		if (core_ip_eq(&info->addrs[i], ip))
			return true;
	return false;
}

/* core.c */
struct core_action *core_push(struct core *c, struct core_actions *out,
    enum core_action_kind kind, unsigned ifx);
struct core_action *core_log(struct core *c, struct core_actions *out,
    unsigned ifx, enum core_event ev);
struct core_action *core_route(struct core *c, struct core_actions *out,
    enum core_action_kind kind, unsigned ifx, const struct addr_ip *ip);
void core_release(struct core *c);
int core_build(struct core *c, const struct conf *conf);

/* core_router.c */
bool core_is_router_at(const struct core *c, unsigned ifx,
    const struct addr_ip *ip);
bool core_router_mac(const struct core *c, unsigned ifx,
    const struct core_router *r, struct addr_mac *mac);
void core_router_deadline_update(struct core *c);
void core_router_check(struct core *c, unsigned ifx, struct core_router *r);
bool core_arp_source(struct core *c, const struct core_iface *f,
    const struct addr_ip *target, struct addr_ip *src);
bool core_router_owns(const struct core *c, unsigned ifx,
    const struct addr_ip *target, const struct addr_mac *mac);
bool core_entry_router_flag(struct core *c, const struct ncache_entry *e);
void core_router_arp_conflict(struct core *c, unsigned ifx,
    const struct addr_ip *ip, const struct addr_mac *mac,
    struct core_actions *out);
void core_router_changed(struct core *c, unsigned ifx,
    const struct addr_ip *ip);
size_t core_router_mac_find(struct core *c, const struct addr_mac *mac);
bool core_router_mac_refused(struct core *c, const struct addr_ip *ip,
    const struct addr_mac *mac);
void core_routers_run(struct core *c, struct core_actions *out);
int core_routers_build(struct core *c);

/* core_refresh.c */
void core_entry_schedule(struct core *c, uint32_t idx);
void core_entry_renew(struct core *c, uint32_t idx);
void core_entry_query(struct core *c, uint32_t idx, struct core_actions *out);
bool core_wants_route(const struct core *c, unsigned ifx,
    const struct addr_ip *ip);
void core_entry_route_add(struct core *c, uint32_t idx,
    struct core_actions *out);
void core_entry_drop(struct core *c, uint32_t idx, struct core_actions *out);
void core_entry_due(struct core *c, uint32_t idx, struct core_actions *out);

/* core_learn.c */
void core_learn_at(struct core *c, unsigned ifx, const struct addr_ip *ip,
    uint32_t idx, const struct addr_mac *mac, unsigned how,
    struct core_actions *out);
void core_learn(struct core *c, unsigned ifx, const struct addr_ip *ip,
    const struct addr_mac *mac, unsigned how, struct core_actions *out);
bool core_solicited(const struct core *c, unsigned ifx,
    const struct addr_ip *ip, uint32_t idx, const struct addr_mac *mac);

/* core_answer.c */
void core_decide(struct core *c, const struct core_req *q,
    struct core_actions *out);

/* core_sweep.c */
int core_sweeps_build(struct core_iface *f, const struct conf_iface *ci);
void core_sweeps_free(struct core_iface *f);
void core_sweeps_carry(const struct core_iface *o, struct core_iface *n);
void core_sweeps_up(struct core_iface *f, uint64_t now);
uint64_t core_sweeps_deadline(const struct core *c);
void core_sweeps_run(struct core *c, struct core_actions *out);
bool core_sweep_asked(const struct core *c, unsigned ifx,
    const struct addr_ip *ip);

/* core_reload.c */
void core_apply_pending(struct core *c, struct core_actions *out);

#endif
