/*
 * explain: the core's judgement of a request (core_explain) as one
 * sentence an operator reads, or as JSON with a stable reason key.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "control_priv.h"

/* ---- explain IFACE SRC TARGET ---- */

static const char *const control_reason_keys[] = {
	[CORE_WHY_ANSWER] = "answer",
	[CORE_WHY_NOT_NEIGHBOUR] = "not-neighbour",
	[CORE_WHY_OWN_ADDRESS] = "own-address",
	[CORE_WHY_NO_RULE] = "no-rule",
	[CORE_WHY_IGNORE_RULE] = "ignore",
	[CORE_WHY_PROBE_REDIRECT] = "probe-redirect",
	[CORE_WHY_DELAY] = "delay",
	[CORE_WHY_UNRESOLVED] = "unresolved",
	[CORE_WHY_ROUTER_TARGET] = "router-target",
	[CORE_WHY_ROUTER_ASKING] = "router-asking",
	[CORE_WHY_UNKNOWN] = "unknown",
	[CORE_WHY_OWNER_ASKING] = "owner-asking",
	[CORE_WHY_NO_SOURCE] = "no-source",
	[CORE_WHY_IFACE_DOWN] = "interface-down",
};

/* "line 12 (tell)", "line 14 (redirect to 198.51.100.1, delay)" */
static void
control_rule_said(FILE *f, const struct core_explanation *x)
{
	char ip[ADDR_IP_STRLEN];

	fprintf(f, "the rule at line %u (%s", x->rule_line,
	    control_action_names[x->action]);
	if (x->action == CONF_ACTION_REDIRECT)
		fprintf(f, " to %s", addr_ip_format(&x->router, ip,
		    sizeof(ip)));
	if (x->rule_flags & CONF_RULE_DELAY)
		fprintf(f, ", delay");
	fprintf(f, ")");
}

static void
control_seconds(FILE *f, uint32_t ms)
{
	if (ms % 1000 == 0)
		fprintf(f, "%u s", ms / 1000);
	else
		fprintf(f, "%u.%03u s", ms / 1000, ms % 1000);
}

static void
control_ordinal(FILE *f, uint32_t n)
{
	const char *sfx = "th";

	if (n % 100 < 11 || n % 100 > 13)
		sfx = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" :
		    n % 10 == 3 ? "rd" : "th";
	fprintf(f, "%u%s", n, sfx);
}

/* The explanation as one sentence an operator reads. */
static void
control_sentence(FILE *f, const struct control_env *env, unsigned iface,
    const char *src, const char *dst, const struct core_explanation *x)
{
	const char *ifn = control_ifname(env, iface);
	char mac[ADDR_MAC_STRLEN], router[ADDR_IP_STRLEN];

	addr_mac_format(&x->mac, mac, sizeof(mac));
	addr_ip_format(&x->router, router, sizeof(router));
	if (x->probe)
		fprintf(f, "%s: a probe for %s (sender %s: RFC 5227 2.1.1, "
		    "RFC 4862 5.4): ", ifn, dst, src);
	else
		fprintf(f, "%s: %s asking for %s: ", ifn, src, dst);
	switch (x->reason) {
	case CORE_WHY_ANSWER:
		control_rule_said(f, x);
		fprintf(f, " decides; parpd answers with %s", mac);
		if (x->action == CONF_ACTION_REDIRECT)
			fprintf(f, ", the MAC of router %s", router);
		else if (x->known) {
			fprintf(f, " (%s: %s", dst, control_state(&x->entry));
			if (!x->entry.is_static)
				fprintf(f, ", expires in %" PRIu64 " s",
				    x->entry.expire > env->now ?
				    (x->entry.expire - env->now) / 1000 : 0);
			fprintf(f, ")");
		}
		if (strchr(dst, ':') != NULL)
			fprintf(f, " (NA with S=%d, O=0, R=%d)", x->probe ? 0 : 1,
			    x->router_flag ? 1 : 0);
		break;
	case CORE_WHY_NOT_NEIGHBOUR:
		fprintf(f, "silent: %s names no neighbour (this network, "
		    "loopback, multicast or broadcast)", dst);
		break;
	case CORE_WHY_OWN_ADDRESS:
		fprintf(f, "silent: %s is an address of %s itself; the kernel "
		    "answers for it", dst, ifn);
		break;
	case CORE_WHY_NO_RULE:
		fprintf(f, "silent: no rule of %s covers a request from %s for "
		    "%s", ifn, src, dst);
		break;
	case CORE_WHY_IGNORE_RULE:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " says ignore");
		break;
	case CORE_WHY_PROBE_REDIRECT:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " redirects, and a probe is never claimed for a "
		    "router: only the owner's answer may report a conflict");
		break;
	case CORE_WHY_DELAY:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " waits: this request would be the ");
		control_ordinal(f, x->delay_seen);
		fprintf(f, " of the %u it needs within ", x->delay_needed);
		control_seconds(f, env->conf->cache.delay_window_ms);
		break;
	case CORE_WHY_UNRESOLVED:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " decides, but the MAC of router %s is not known "
		    "yet (parpd is asking for it)", router);
		break;
	case CORE_WHY_ROUTER_TARGET:
		fprintf(f, "silent: %s is an address of router %s, which "
		    "answers for itself", dst, router);
		break;
	case CORE_WHY_ROUTER_ASKING:
		fprintf(f, "silent: the requester is router %s (or has its "
		    "MAC); sending it to itself would loop", router);
		break;
	case CORE_WHY_UNKNOWN:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " decides, but %s is not known on %s yet (parpd "
		    "has not heard it)", dst, ifn);
		break;
	case CORE_WHY_OWNER_ASKING:
		fprintf(f, "silent: the request comes from the MAC of %s "
		    "itself; the owner answers for itself", dst);
		break;
	case CORE_WHY_NO_SOURCE:
		fprintf(f, "silent: ");
		control_rule_said(f, x);
		fprintf(f, " would answer with %s, but %s has no link-local "
		    "IPv6 address to send the NA from (RFC 4861 4.4)", mac,
		    ifn);
		break;
	case CORE_WHY_IFACE_DOWN:
		fprintf(f, "silent: %s is not up (not present, or no capture "
		    "on it)", ifn);
		break;
	}
}

int
control_explain(struct control_req *q)
{
	const struct control_env *env = q->env;
	struct core_explanation x;
	struct addr_ip src, dst;
	char *text = NULL;
	size_t len = 0;
	unsigned iface;
	FILE *f;

	if (q->argc != 4) {
		fprintf(q->out, "usage: explain interface requester target\n");
		return -1;
	}
	if (control_iface_index(q, q->argv[1], &iface) != 0 ||
	    control_ip(q, q->argv[2], &src) != 0 ||
	    control_ip(q, q->argv[3], &dst) != 0)
		return -1;
	if (core_explain(env->core, iface, &src, &dst, env->now, &x) != 0) {
		fprintf(q->out, "%s and %s are not of one family\n",
		    q->argv[2], q->argv[3]);
		return -1;
	}
	/* Offline no address is known: the NA's source is the live one's. */
	if (env->offline && x.reason == CORE_WHY_NO_SOURCE)
		x.reason = CORE_WHY_ANSWER;
	if ((f = open_memstream(&text, &len)) == NULL)
		return -1;
	control_sentence(f, env, iface, q->argv[2], q->argv[3], &x);
	if (env->offline)
		fprintf(f, " (offline: nothing learned, and %s's own "
		    "addresses unknown)", q->argv[1]);
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	if (q->fmt == CONTROL_TEXT) {
		fprintf(q->out, "%s\n", text);
		free(text);
		return 0;
	}
	fprintf(q->out, "{\"interface\": ");
	control_json_str(q->out, control_ifname(env, iface));
	fprintf(q->out, ", \"requester\": \"%s\", \"target\": \"%s\", "
	    "\"probe\": %s, \"answered\": %s, \"reason\": \"%s\", \"mac\": ",
	    q->argv[2], q->argv[3], control_bool(x.probe),
	    control_bool(x.reason == CORE_WHY_ANSWER),
	    control_reason_keys[x.reason]);
	if (x.reason == CORE_WHY_ANSWER || x.reason == CORE_WHY_NO_SOURCE) {
		char mac[ADDR_MAC_STRLEN];

		fprintf(q->out, "\"%s\"", addr_mac_format(&x.mac, mac,
		    sizeof(mac)));
	} else
		fprintf(q->out, "null");
	if (x.has_rule)
		fprintf(q->out, ", \"rule\": {\"line\": %u, \"action\": "
		    "\"%s\"}", x.rule_line, control_action_names[x.action]);
	else
		fprintf(q->out, ", \"rule\": null");
	fprintf(q->out, ", \"text\": ");
	control_json_str(q->out, text);
	fprintf(q->out, "}\n");
	free(text);
	return 0;
}

