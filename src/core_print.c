/*
 * Text: an event's name and one line per log event.  (The shell prints
 * entries and counters itself, from core_view.c.)
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core_priv.h"

static const char *
core_ifname(const struct core *c, unsigned ifx)
{
	return ifx < c->nifs ? c->ifs[ifx].name : "?";
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
	case CORE_EV_ADOPTED:
		return "adopted";
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
	case CORE_EV_ADOPTED:
		snprintf(buf, len, "%s: adopted %s at %s from the state file; "
		    "refreshing it", ifn, ip, mac);
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
