/*
 * Answering: the rule decides (ignore, tell, redirect), delay counts,
 * probes are never claimed, and the ARP reply or NA is built.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* router: the owner's own NA had R set (tell only). */
static void
core_answer(struct core *c, const struct core_req *q,
    const struct addr_mac *mac, bool tell, bool router,
    struct core_actions *out)
{
	struct core_iface *f = &c->ifs[q->ifx];
	struct core_action *a;
	uint8_t flags;

	/*
	 * RFC 4861 4.4: an NA's source is an address of the sending
	 * interface, never the target; without a link-local one there is
	 * nothing honest to send.
	 */
	if (q->target.family == ADDR_V6 && !f->has_ll6) {
		c->cnt.no_source++;
		return;
	}
	if ((a = core_push(c, out, CORE_ACT_SEND, q->ifx)) == NULL)
		return;
	c->cnt.answered++;
	if (q->target.family == ADDR_V4) {
		/* RFC 826; a probe's tpa stays 0.0.0.0 (RFC 5227 2.1.1). */
		a->u.send.len = codec_encode_arp(a->u.send.frame,
		    CODEC_ARP_OP_REPLY,
		    &f->info.mac, &q->mac, mac, &q->target, &q->mac,
		    &q->requester);
		return;
	}
	/*
	 * RFC 4861 7.2.4: S for an answer to a unicast-addressed source, not
	 * to DAD (4.4); 7.2.8: "All solicited proxy Neighbor Advertisement
	 * messages MUST have the Override flag set to zero", for tell and
	 * redirect alike, so the owner's own NA still wins.  R as the owner
	 * said: R=0 would make hosts drop it as a router (7.2.5).
	 */
	(void)tell;
	flags = (q->probe ? 0 : CODEC_NA_SOLICITED) |
	    (router ? CODEC_NA_ROUTER : 0);
	a->u.send.len = codec_encode_na(a->u.send.frame, &f->info.mac,
	    &q->mac, &f->ll6, &q->reply_to, &q->target, mac, flags);
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
	/* The router's own addresses are the router's to answer. */
	if (core_router_owns(c, q->ifx, &q->target, &mac)) {
		c->cnt.router_target++;
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

/* Tell what the cache knows, delay already passed (or a probe). */
static void
core_tell_now(struct core *c, const struct core_req *q, const struct rule *r,
    struct core_actions *out)
{
	const struct ncache_entry *e;
	uint32_t idx;

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

		core_answer(c, q, &mac, true, core_entry_router_flag(c, e),
		    out);
		core_decided(c, q, r, &mac, out);
	}
}

static void
core_tell(struct core *c, const struct core_req *q, const struct rule *r,
    struct core_actions *out)
{
	if (!core_delay_reached(c, q, r)) {
		c->cnt.delayed++;
		core_decided(c, q, r, NULL, out);
		return;
	}
	core_tell_now(c, q, r, out);
}

void
core_decide(struct core *c, const struct core_req *q,
    struct core_actions *out)
{
	const struct rule *r;

	/*
	 * Targets that name no neighbour are nobody's to answer, whatever
	 * the rule; the interface's own addresses are the kernel's.
	 */
	if (!addr_ip_names_neighbour(&q->target) ||
	    core_ifinfo_has(&c->ifs[q->ifx].info, &q->target)) {
		c->cnt.ignored++;
		return;
	}
	r = rule_match(&c->ifs[q->ifx].rules, &q->requester, &q->target);
	if (r == NULL) {
		c->cnt.ignored++;
		return;
	}
	/*
	 * Probes are decided before any delay: a delay rule whose SRC
	 * covers 0.0.0.0 or :: must still let a conflict be reported
	 * (RFC 5227 2.1.1, RFC 4862 5.4).
	 */
	if (q->probe && r->action != CONF_ACTION_IGNORE) {
		if (r->action == CONF_ACTION_REDIRECT) {
			c->cnt.probes_refused++;
			core_decided(c, q, r, NULL, out);
		} else
			core_tell_now(c, q, r, out);
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
