/*
 * Text: the SIGUSR1 dump (counters, entries, routers being resolved) and
 * one line per log event.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core_priv.h"

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
	CORE_COUNTER(na_not_override),
	CORE_COUNTER(arp_no_source),
	CORE_COUNTER(router_target),
	CORE_COUNTER(learned),
	CORE_COUNTER(refreshed),
	CORE_COUNTER(expired),
	CORE_COUNTER(poison_refused),
	CORE_COUNTER(not_learnable),
	CORE_COUNTER(table_full),
	CORE_COUNTER(queries_sent),
	CORE_COUNTER(nomem),
};

static const char *
core_ifname(const struct core *c, unsigned ifx)
{
	return ifx < c->nifs ? c->ifs[ifx].name : "?";
}

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

/* A switch without default: -Wswitch names an event left out. */
const char *
core_event_name(enum core_event ev)
{
	switch (ev) {
	case CORE_EV_DECIDED:
		return "decided";
	case CORE_EV_MISSING:
		return "missing";
	case CORE_EV_LEARNED:
		return "learned";
	case CORE_EV_CHANGED:
		return "changed";
	case CORE_EV_MOVED:
		return "moved";
	case CORE_EV_EXPIRED:
		return "expired";
	case CORE_EV_POISON:
		return "poison";
	case CORE_EV_ROUTER_RESOLVED:
		return "router";
	case CORE_EV_TABLE_FULL:
		return "table full";
	case CORE_EV_ROUTER_CONFLICT:
		return "router conflict";
	}
	return NULL;
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
	case CORE_EV_ROUTER_CONFLICT:
		snprintf(buf, len, "%s: conflicting ARP replies for router %s: "
		    "%s, was %s", ifn, ip, mac, old);
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
