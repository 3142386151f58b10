/*
 * Answering: the rule decides (ignore, tell, redirect), delay counts,
 * probes are never claimed, and the ARP reply or NA is built.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* Send the answer: an ARP reply, or an NA with O=0. */
static void
core_answer(struct core *c, const struct core_req *q,
    const struct core_explanation *x, struct core_actions *out)
{
	struct core_iface *f = &c->ifs[q->ifx];
	struct core_action *a;
	uint8_t flags;

	if ((a = core_push(c, out, CORE_ACT_SEND, q->ifx)) == NULL)
		return;
	c->cnt.answered++;
	if (q->target.family == ADDR_V4) {
		/* RFC 826; a probe's tpa stays 0.0.0.0 (RFC 5227 2.1.1). */
		a->u.send.len = codec_encode_arp(a->u.send.frame,
		    CODEC_ARP_OP_REPLY,
		    &f->info.mac, &q->mac, &x->mac, &q->target, &q->mac,
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
	flags = (q->probe ? 0 : CODEC_NA_SOLICITED) |
	    (x->router_flag ? CODEC_NA_ROUTER : 0);
	a->u.send.len = codec_encode_na(a->u.send.frame, &f->info.mac,
	    &q->mac, &f->ll6, &q->reply_to, &q->target, &x->mac, flags);
}

/* A verbose rule's log line. */
static void
core_decided(struct core *c, const struct core_req *q,
    const struct core_explanation *x, struct core_actions *out)
{
	enum core_event ev = x->reason == CORE_WHY_UNKNOWN ? CORE_EV_MISSING :
	    CORE_EV_DECIDED;
	struct core_action *a;

	if (!(x->rule_flags & CONF_RULE_VERBOSE))
		return;
	a = core_log(c, out, q->ifx, ev);
	a->u.log.rule_line = x->rule_line;
	a->u.log.action = x->action;
	a->u.log.answered = x->reason == CORE_WHY_ANSWER;
	a->u.log.requester = q->requester;
	a->u.log.target = q->target;
	if (x->reason == CORE_WHY_ANSWER)
		a->u.log.mac = x->mac;
}

/*
 * The judgement, in two halves around the delay window so that deciding
 * counts the request and explaining only looks.  First: what is settled
 * before any rule's delay (the target, the rule, probes).  Returns the
 * deciding rule when the judgement goes on, NULL when it is made.
 */
static const struct rule *
core_judge_rule(struct core *c, const struct core_req *q,
    struct core_explanation *x)
{
	const struct core_iface *f = &c->ifs[q->ifx];
	const struct rule *r;

	memset(x, 0, sizeof(*x));
	x->probe = q->probe;
	/*
	 * Targets that name no neighbour are nobody's to answer, whatever
	 * the rule; the interface's own addresses are the kernel's.
	 */
	if (!addr_ip_names_neighbour(&q->target)) {
		x->reason = CORE_WHY_NOT_NEIGHBOUR;
		return NULL;
	}
	if (core_ifinfo_has(&f->info, &q->target)) {
		x->reason = CORE_WHY_OWN_ADDRESS;
		return NULL;
	}
	if ((r = rule_match(&f->rules, &q->requester, &q->target)) == NULL) {
		x->reason = CORE_WHY_NO_RULE;
		return NULL;
	}
	x->has_rule = true;
	x->rule_line = r->line;
	x->rule_index = r->index;
	x->action = r->action;
	x->rule_flags = r->flags;
	if (r->action == CONF_ACTION_REDIRECT &&
	    rule_router(&f->rules, r) != NULL)
		x->router = *rule_router(&f->rules, r);
	if (r->action == CONF_ACTION_IGNORE) {
		x->reason = CORE_WHY_IGNORE_RULE;
		return NULL;
	}
	/*
	 * Probes are decided before any delay: a delay rule whose SRC
	 * covers 0.0.0.0 or :: must still let a conflict be reported
	 * (RFC 5227 2.1.1, RFC 4862 5.4).
	 */
	if (q->probe && r->action == CONF_ACTION_REDIRECT) {
		x->reason = CORE_WHY_PROBE_REDIRECT;
		return NULL;
	}
	return r;
}

/* Tell: what the cache knows. */
static void
core_judge_tell(struct core *c, const struct core_req *q,
    struct core_explanation *x)
{
	uint32_t idx = ncache_lookup(c->nc, &q->target, q->ifx);
	const struct ncache_entry *e;

	e = idx != NCACHE_NONE ? ncache_entry_const(c->nc, idx) : NULL;
	if (e == NULL || e->iface != q->ifx) {
		x->reason = CORE_WHY_UNKNOWN;
		return;
	}
	x->known = true;
	/* The owner asking for itself, or probing its own address. */
	if (core_mac_eq(&e->mac, &q->mac)) {
		x->reason = CORE_WHY_OWNER_ASKING;
		return;
	}
	x->reason = CORE_WHY_ANSWER;
	x->mac = e->mac;
	x->router_flag = core_entry_router_flag(c, e);
}

static void
core_judge_redirect(struct core *c, const struct core_req *q,
    const struct rule *r, struct core_explanation *x)
{
	const struct core_iface *f = &c->ifs[q->ifx];
	const struct core_router *rt;
	struct addr_mac mac;

	rt = r->router < f->rules.nrouters ? &f->routers[r->router] : NULL;
	if (rt == NULL || !core_router_mac(c, q->ifx, rt, &mac)) {
		x->reason = CORE_WHY_UNRESOLVED;
		return;
	}
	/* The router's own addresses are the router's to answer. */
	if (core_router_owns(c, q->ifx, &q->target, &mac)) {
		x->reason = CORE_WHY_ROUTER_TARGET;
		return;
	}
	/* The router asking, or asked with its own MAC: no loop. */
	if (core_ip_eq(&q->requester, &rt->ip) ||
	    core_mac_eq(&q->mac, &mac)) {
		x->reason = CORE_WHY_ROUTER_ASKING;
		return;
	}
	x->reason = CORE_WHY_ANSWER;
	x->mac = mac;
}

/*
 * Second half: seen is the request's count in its delay window (0: no
 * window could be kept, which waits like a count too low).
 */
static void
core_judge_answer(struct core *c, const struct core_req *q,
    const struct rule *r, uint32_t seen, struct core_explanation *x)
{
	if ((r->flags & CONF_RULE_DELAY) && !q->probe &&
	    seen < c->cache.delay_count) {
		x->reason = CORE_WHY_DELAY;
		x->delay_seen = seen;
		x->delay_needed = c->cache.delay_count;
		return;
	}
	if (r->action == CONF_ACTION_REDIRECT)
		core_judge_redirect(c, q, r, x);
	else
		core_judge_tell(c, q, x);
	/* RFC 4861 4.4: an NA's source is an address of the sending
	 * interface, never the target; without a link-local one there is
	 * nothing honest to send. */
	if (x->reason == CORE_WHY_ANSWER && q->target.family == ADDR_V6 &&
	    !c->ifs[q->ifx].has_ll6)
		x->reason = CORE_WHY_NO_SOURCE;
}

/*
 * The request's count in its delay window at now: counted (deciding) or
 * only looked at (explaining).  0 when the rule has no delay.
 */
static uint32_t
core_delay_seen(struct core *c, const struct core_req *q,
    const struct rule *r, uint64_t now, bool count)
{
	uint32_t n;

	if (!(r->flags & CONF_RULE_DELAY) || q->probe)
		return 0;
	if (!count)
		return delay_peek(c->delay, q->ifx, &q->requester, &q->target,
		    now, c->cache.delay_window_ms);
	n = delay_count(c->delay, q->ifx, &q->requester, &q->target, now,
	    c->cache.delay_window_ms);
	if (n == 0)
		c->cnt.nomem++;
	return n;
}

/* The counter each judgement adds to. */
static uint64_t *
core_reason_counter(struct core *c, enum core_reason why)
{
	switch (why) {
	case CORE_WHY_ANSWER:
		return NULL; /* core_answer counts what it sends */
	case CORE_WHY_PROBE_REDIRECT:
		return &c->cnt.probes_refused;
	case CORE_WHY_DELAY:
		return &c->cnt.delayed;
	case CORE_WHY_UNRESOLVED:
		return &c->cnt.unresolved;
	case CORE_WHY_ROUTER_TARGET:
		return &c->cnt.router_target;
	case CORE_WHY_UNKNOWN:
		return &c->cnt.missing;
	case CORE_WHY_NO_SOURCE:
		return &c->cnt.no_source;
	default:
		return &c->cnt.ignored;
	}
}

void
core_decide(struct core *c, const struct core_req *q,
    struct core_actions *out)
{
	struct core_explanation x;
	const struct rule *r;
	uint64_t *counter;

	if ((r = core_judge_rule(c, q, &x)) != NULL)
		core_judge_answer(c, q, r, core_delay_seen(c, q, r, c->now,
		    true), &x);
	if (x.has_rule)
		c->ifs[q->ifx].rule_hits[x.rule_index]++;
	if ((counter = core_reason_counter(c, x.reason)) != NULL)
		(*counter)++;
	if (x.reason == CORE_WHY_ANSWER)
		core_answer(c, q, &x, out);
	if (x.has_rule)
		core_decided(c, q, &x, out);
}

int
core_explain(struct core *c, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target,
    uint64_t now, struct core_explanation *out)
{
	struct core_req q;
	const struct rule *r;

	if (iface >= c->nifs || requester->family != target->family)
		return -1;
	memset(&q, 0, sizeof(q));
	q.ifx = iface;
	q.requester = *requester;
	q.target = *target;
	q.probe = core_ip_is_zero(requester);
	/* The requester's MAC is not asked: the one it has cached, if any. */
	if (!q.probe) {
		struct core_entry_info e;

		if (core_lookup(c, iface, requester, &e))
			q.mac = e.mac;
	}
	if (!c->ifs[iface].up) {
		memset(out, 0, sizeof(*out));
		out->reason = CORE_WHY_IFACE_DOWN;
		out->probe = q.probe;
		return 0;
	}
	if ((r = core_judge_rule(c, &q, out)) != NULL)
		core_judge_answer(c, &q, r, core_delay_seen(c, &q, r,
		    now > c->now ? now : c->now, false), out);
	/* The entry as the views show it: explaining only, not deciding. */
	if (out->known)
		(void)core_lookup(c, iface, target, &out->entry);
	return 0;
}

uint64_t
core_rule_hits(const struct core *c, unsigned iface, size_t i)
{
	if (iface >= c->nifs || i >= c->ifs[iface].nrules)
		return 0;
	return c->ifs[iface].rule_hits[i];
}
