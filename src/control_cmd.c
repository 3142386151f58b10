/*
 * The control socket's commands (parpctl(8)): one request line in, the
 * answer's body out, as text, JSON or the Prometheus text format.  Read
 * from the core's views and from what the shell passes in (control.h);
 * the only changes a client can make are reload and forget.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "dump.h"

#define CONTROL_WORDS_MAX 8

enum control_format {
	CONTROL_TEXT,
	CONTROL_JSON,
	CONTROL_PROMETHEUS,
};

struct control_req {
	const struct control_env *env;
	enum control_format fmt;
	char *argv[CONTROL_WORDS_MAX];
	size_t argc;
	FILE *out;
};

/* ---- JSON ---- */

static void
control_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A label value: backslash, quote and line feed escaped. */
static void
control_prom_label(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fprintf(f, "\\n");
		else
			fputc(*s, f);
	}
}

static const char *
control_bool(bool b)
{
	return b ? "true" : "false";
}

/* ---- arguments ---- */

static int
control_iface_index(const struct control_req *q, const char *name,
    unsigned *out)
{
	const struct conf *conf = q->env->conf;
	size_t i;

	for (i = 0; i < conf->nifaces; i++)
		if (strcmp(conf->ifaces[i].name, name) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	fprintf(q->out, "no interface %s in the configuration\n", name);
	return -1;
}

static int
control_ip(const struct control_req *q, const char *s, struct addr_ip *ip)
{
	if (addr_ip_parse(s, ip) == 0)
		return 0;
	fprintf(q->out, "expected an IPv4 or IPv6 address, got %s\n", s);
	return -1;
}

static const char *
control_ifname(const struct control_env *env, unsigned i)
{
	return i < env->conf->nifaces ? env->conf->ifaces[i].name : "?";
}

/* ---- show neighbors [IFACE] [PREFIX] ---- */

/* The state column: a resolved redirect router says so. */
static const char *
control_state(const struct core_entry_info *e)
{
	if (e->is_router && !e->resolving && !e->is_static)
		return "router";
	return dump_entry_state(e);
}

static void
control_neighbor(const struct control_req *q, const struct core_entry_info *e,
    bool first)
{
	const struct control_env *env = q->env;
	char ip[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN], left[24];
	bool routed, expires = !e->is_static && !e->resolving;
	uint64_t secs = e->expire > env->now ? (e->expire - env->now) / 1000 :
	    0;

	routed = e->routed && (env->ops == NULL || env->ops->routed == NULL ||
	    env->ops->routed(env->arg, e));
	addr_ip_format(&e->ip, ip, sizeof(ip));
	addr_mac_format(&e->mac, mac, sizeof(mac));
	if (q->fmt == CONTROL_TEXT) {
		if (expires)
			snprintf(left, sizeof(left), "%" PRIu64, secs);
		else
			snprintf(left, sizeof(left), "-");
		fprintf(q->out, "%-25s %-17s %-15s %-9s %7s %s\n", ip,
		    e->resolving ? "-" : mac, control_ifname(env, e->iface),
		    control_state(e), left, routed ? "yes" : "no");
		return;
	}
	fprintf(q->out, "%s\n  {\"address\": \"%s\", \"mac\": ", first ? "" :
	    ",", ip);
	if (e->resolving)
		fprintf(q->out, "null");
	else
		fprintf(q->out, "\"%s\"", mac);
	fprintf(q->out, ", \"interface\": ");
	control_json_str(q->out, control_ifname(env, e->iface));
	fprintf(q->out, ", \"state\": \"%s\", \"expires\": ", control_state(e));
	if (expires)
		fprintf(q->out, "%" PRIu64, secs);
	else
		fprintf(q->out, "null");
	fprintf(q->out, ", \"routed\": %s, \"router\": %s, \"static\": %s, "
	    "\"confirmed\": %s, \"probing\": %s}", control_bool(routed),
	    control_bool(e->is_router), control_bool(e->is_static),
	    control_bool(e->confirmed), control_bool(e->probing));
}

static int
control_show_neighbors(struct control_req *q)
{
	struct core_cursor cur = { 0 };
	struct core_entry_info e;
	struct addr_prefix pfx;
	bool by_iface = false, by_prefix = false, first = true;
	unsigned iface = 0;
	size_t i;

	for (i = 2; i < q->argc; i++) {
		if (!by_prefix && addr_prefix_parse(q->argv[i], &pfx) == 0) {
			by_prefix = true;
		} else if (!by_prefix && addr_ip_parse(q->argv[i],
		    &pfx.ip) == 0) {
			pfx.len = (uint8_t)addr_family_bits(pfx.ip.family);
			by_prefix = true;
		} else if (!by_iface) {
			if (control_iface_index(q, q->argv[i], &iface) != 0)
				return -1;
			by_iface = true;
		} else {
			fprintf(q->out, "usage: show neighbors [interface] "
			    "[prefix]\n");
			return -1;
		}
	}
	if (q->fmt == CONTROL_TEXT)
		fprintf(q->out, "%-25s %-17s %-15s %-9s %7s %s\n", "ADDRESS",
		    "MAC", "INTERFACE", "STATE", "EXPIRES", "ROUTED");
	else
		fprintf(q->out, "{\"neighbors\": [");
	while (core_entry_next(q->env->core, &cur, &e)) {
		if ((by_iface && e.iface != iface) ||
		    (by_prefix && !addr_prefix_contains(&pfx, &e.ip)))
			continue;
		control_neighbor(q, &e, first);
		first = false;
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "\n]}\n");
	return 0;
}

/* ---- show counters ---- */

/* Per interface, in the dump's order. */
static const struct {
	const char *name;
	size_t off;
} control_iface_counters[] = {
	{ "rx_frames", offsetof(struct control_iface, rx_frames) },
	{ "tx_frames", offsetof(struct control_iface, tx_frames) },
	{ "inject_errors", offsetof(struct control_iface, inject_errors) },
	{ "pcap_received", offsetof(struct control_iface, pcap_received) },
	{ "pcap_dropped", offsetof(struct control_iface, pcap_dropped) },
	{ "pcap_truncated", offsetof(struct control_iface, pcap_truncated) },
	{ "lost", offsetof(struct control_iface, lost) },
	{ "opened", offsetof(struct control_iface, opened) },
};
#define CONTROL_IFACE_COUNTERS \
	(sizeof(control_iface_counters) / sizeof(control_iface_counters[0]))

bool
control_iface_counter_at(const struct control_iface *ci, size_t i,
    const char **name, uint64_t *value)
{
	if (i == 0) {
		*name = "up";
		*value = ci->up ? 1 : 0;
		return true;
	}
	if (--i >= CONTROL_IFACE_COUNTERS)
		return false;
	*name = control_iface_counters[i].name;
	memcpy(value, (const char *)ci + control_iface_counters[i].off,
	    sizeof(*value));
	return true;
}

static void
control_iface_get(const struct control_env *env, size_t i,
    struct control_iface *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->name = env->conf->ifaces[i].name;
	if (env->ops != NULL && env->ops->iface != NULL)
		env->ops->iface(env->arg, i, ci);
}

/* Gauges in the Prometheus sense: not counting up. */
static bool
control_is_gauge(const char *name)
{
	static const char *const gauges[] = { "uptime_ms", "entries",
	    "mld_groups", "up" };
	size_t i;

	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++)
		if (strcmp(name, gauges[i]) == 0)
			return true;
	return false;
}

struct control_counter_out {
	const struct control_req *q;
	bool first;
};

static void
control_counter(void *arg, const char *name, uint64_t value)
{
	struct control_counter_out *co = arg;
	FILE *f = co->q->out;

	switch (co->q->fmt) {
	case CONTROL_TEXT:
		fprintf(f, "%s %" PRIu64 "\n", name, value);
		break;
	case CONTROL_JSON:
		fprintf(f, "%s\n  ", co->first ? "" : ",");
		control_json_str(f, name);
		fprintf(f, ": %" PRIu64, value);
		break;
	case CONTROL_PROMETHEUS: {
		bool gauge = control_is_gauge(name);

		fprintf(f, "# TYPE parpd_%s%s %s\nparpd_%s%s %" PRIu64 "\n",
		    name, gauge ? "" : "_total", gauge ? "gauge" : "counter",
		    name, gauge ? "" : "_total", value);
		break;
	}
	}
	co->first = false;
}

/*
 * Text and JSON: iface.NAME.COUNTER, as in the dump.  Prometheus: one
 * family per counter with an iface label, every line of a family
 * together as the format requires.
 */
static void
control_iface_counter_lines(struct control_counter_out *co)
{
	const struct control_env *env = co->q->env;
	struct control_iface ci;
	const char *name;
	uint64_t v;
	size_t i, k;

	if (co->q->fmt != CONTROL_PROMETHEUS) {
		for (i = 0; i < env->conf->nifaces; i++) {
			char full[CONF_IFNAMSIZ + 32];

			control_iface_get(env, i, &ci);
			for (k = 0; control_iface_counter_at(&ci, k, &name,
			    &v); k++) {
				snprintf(full, sizeof(full), "iface.%s.%s",
				    ci.name, name);
				control_counter(co, full, v);
			}
		}
		return;
	}
	for (k = 0; env->conf->nifaces > 0; k++) {
		bool gauge;

		control_iface_get(env, 0, &ci);
		if (!control_iface_counter_at(&ci, k, &name, &v))
			break;
		gauge = control_is_gauge(name);
		fprintf(co->q->out, "# TYPE parpd_iface_%s%s %s\n", name,
		    gauge ? "" : "_total", gauge ? "gauge" : "counter");
		for (i = 0; i < env->conf->nifaces; i++) {
			control_iface_get(env, i, &ci);
			(void)control_iface_counter_at(&ci, k, &name, &v);
			fprintf(co->q->out, "parpd_iface_%s%s{iface=\"", name,
			    gauge ? "" : "_total");
			control_prom_label(co->q->out, ci.name);
			fprintf(co->q->out, "\"} %" PRIu64 "\n", v);
		}
	}
}

static int
control_show_counters(struct control_req *q)
{
	const struct control_env *env = q->env;
	struct control_counter_out co = { q, true };
	char name[64];
	uint64_t v;
	size_t i;

	if (q->argc != 2) {
		fprintf(q->out, "usage: show counters\n");
		return -1;
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "{\"counters\": {");
	if (env->ops != NULL && env->ops->counters != NULL)
		env->ops->counters(env->arg, control_counter, &co);
	control_iface_counter_lines(&co);
	for (i = 0; core_counter_at(env->core, i, name, sizeof(name), &v); i++)
		control_counter(&co, name, v);
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "\n}}\n");
	return 0;
}

/* ---- show interfaces ---- */

static void
control_iface_text(const struct control_req *q, const struct control_iface *ci)
{
	char a[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN];
	size_t k;

	fprintf(q->out, "%s: %s", ci->name, ci->up ? "up" : "down");
	if (ci->up && ci->info != NULL) {
		fprintf(q->out, ", index %u, mac %s, addresses", ci->ifindex,
		    addr_mac_format(&ci->info->mac, mac, sizeof(mac)));
		for (k = 0; k < ci->info->naddrs; k++) {
			fprintf(q->out, " %s", addr_ip_format(
			    &ci->info->addrs[k], a, sizeof(a)));
			/* 0: the platform did not say. */
			if (ci->info->plen[k] != 0)
				fprintf(q->out, "/%u",
				    (unsigned)ci->info->plen[k]);
		}
		if (ci->info->naddrs == 0)
			fprintf(q->out, " none");
	}
	fprintf(q->out, "\n\tframes received %" PRIu64 ", sent %" PRIu64
	    ", inject errors %" PRIu64 "\n\tcapture received %" PRIu64
	    ", dropped %" PRIu64 ", truncated %" PRIu64 "; opened %" PRIu64
	    ", lost %" PRIu64 "\n", ci->rx_frames, ci->tx_frames,
	    ci->inject_errors, ci->pcap_received, ci->pcap_dropped,
	    ci->pcap_truncated, ci->opened, ci->lost);
}

static void
control_iface_json(const struct control_req *q, const struct control_iface *ci)
{
	char a[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN];
	const char *name;
	uint64_t v;
	size_t k;

	fprintf(q->out, "\n  {\"name\": ");
	control_json_str(q->out, ci->name);
	fprintf(q->out, ", \"up\": %s", control_bool(ci->up));
	if (ci->up && ci->info != NULL) {
		fprintf(q->out, ", \"index\": %u, \"mac\": \"%s\", "
		    "\"addresses\": [", ci->ifindex,
		    addr_mac_format(&ci->info->mac, mac, sizeof(mac)));
		for (k = 0; k < ci->info->naddrs; k++) {
			fprintf(q->out, "%s{\"address\": \"%s\", "
			    "\"prefixlen\": ", k > 0 ? ", " : "",
			    addr_ip_format(&ci->info->addrs[k], a, sizeof(a)));
			if (ci->info->plen[k] != 0)
				fprintf(q->out, "%u}",
				    (unsigned)ci->info->plen[k]);
			else
				fprintf(q->out, "null}");
		}
		fprintf(q->out, "]");
	} else
		fprintf(q->out, ", \"index\": null, \"mac\": null, "
		    "\"addresses\": []");
	for (k = 1; control_iface_counter_at(ci, k, &name, &v); k++)
		fprintf(q->out, ", \"%s\": %" PRIu64, name, v);
	fprintf(q->out, "}");
}

static int
control_show_interfaces(struct control_req *q)
{
	const struct control_env *env = q->env;
	struct control_iface ci;
	size_t i;

	if (q->argc != 2) {
		fprintf(q->out, "usage: show interfaces\n");
		return -1;
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "{\"interfaces\": [");
	for (i = 0; i < env->conf->nifaces; i++) {
		control_iface_get(env, i, &ci);
		if (q->fmt == CONTROL_JSON) {
			if (i > 0)
				fprintf(q->out, ",");
			control_iface_json(q, &ci);
		} else
			control_iface_text(q, &ci);
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "\n]}\n");
	return 0;
}

/* ---- show rules [IFACE] ---- */

static const char *const control_action_names[] = {
	[CONF_ACTION_IGNORE] = "ignore",
	[CONF_ACTION_TELL] = "tell",
	[CONF_ACTION_REDIRECT] = "redirect",
};

static void
control_rule(const struct control_req *q, unsigned iface, size_t k,
    bool first)
{
	const struct conf_iface *ci = &q->env->conf->ifaces[iface];
	const struct conf_rule *r = &ci->rules[k];
	uint64_t hits = core_rule_hits(q->env->core, iface, k);
	char s[ADDR_PREFIX_STRLEN], d[ADDR_PREFIX_STRLEN], ip[ADDR_IP_STRLEN];

	if (q->fmt == CONTROL_TEXT) {
		fprintf(q->out, "%-15s %5u %10" PRIu64 "  ", ci->name, r->line,
		    hits);
		conf_rule_print(q->out, r);
		fprintf(q->out, "\n");
		return;
	}
	fprintf(q->out, "%s\n  {\"interface\": ", first ? "" : ",");
	control_json_str(q->out, ci->name);
	fprintf(q->out, ", \"line\": %u, \"decided\": %" PRIu64 ", \"src\": "
	    "\"%s\", \"dst\": \"%s\", \"action\": \"%s\", \"router\": ",
	    r->line, hits, addr_prefix_format(&r->src, s, sizeof(s)),
	    addr_prefix_format(&r->dst, d, sizeof(d)),
	    control_action_names[r->action]);
	if (r->action == CONF_ACTION_REDIRECT)
		fprintf(q->out, "\"%s\"", addr_ip_format(&r->router, ip,
		    sizeof(ip)));
	else
		fprintf(q->out, "null");
	fprintf(q->out, ", \"delay\": %s, \"verbose\": %s}",
	    control_bool(r->flags & CONF_RULE_DELAY),
	    control_bool(r->flags & CONF_RULE_VERBOSE));
}

static int
control_show_rules(struct control_req *q)
{
	const struct conf *conf = q->env->conf;
	unsigned only = 0;
	bool first = true;
	size_t i, k;

	if (q->argc > 3) {
		fprintf(q->out, "usage: show rules [interface]\n");
		return -1;
	}
	if (q->argc == 3 && control_iface_index(q, q->argv[2], &only) != 0)
		return -1;
	if (q->fmt == CONTROL_TEXT)
		fprintf(q->out, "%-15s %5s %10s  %s\n", "INTERFACE", "LINE",
		    "DECIDED", "RULE");
	else
		fprintf(q->out, "{\"rules\": [");
	for (i = 0; i < conf->nifaces; i++) {
		if (q->argc == 3 && i != only)
			continue;
		for (k = 0; k < conf->ifaces[i].nrules; k++) {
			control_rule(q, (unsigned)i, k, first);
			first = false;
		}
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "\n]}\n");
	return 0;
}

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

static int
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

/* ---- reload, forget, version ---- */

/* Each line of text as a JSON string in an array. */
static void
control_json_lines(FILE *f, const char *text)
{
	const char *p = text, *nl;
	bool first = true;

	fprintf(f, "[");
	for (; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 : NULL) {
		char line[1024];
		size_t n;

		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		fprintf(f, "%s", first ? "" : ", ");
		control_json_str(f, line);
		first = false;
	}
	fprintf(f, "]");
}

static int
control_reload(struct control_req *q)
{
	const struct control_env *env = q->env;
	char *msgs = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (q->argc != 1) {
		fprintf(q->out, "usage: reload\n");
		return -1;
	}
	if (env->ops == NULL || env->ops->reload == NULL) {
		fprintf(q->out, "reload needs a running parpd\n");
		return -1;
	}
	if ((f = open_memstream(&msgs, &len)) == NULL)
		return -1;
	r = env->ops->reload(env->arg, f);
	if (fclose(f) != 0) {
		free(msgs);
		return -1;
	}
	/* A refused file's errors go back as they are: the status says it. */
	if (q->fmt == CONTROL_TEXT || r != 0)
		fprintf(q->out, "%s%s", msgs != NULL ? msgs : "",
		    r == 0 ? "configuration reloaded\n" : "");
	else {
		fprintf(q->out, "{\"reloaded\": true, \"messages\": ");
		control_json_lines(q->out, msgs);
		fprintf(q->out, "}\n");
	}
	free(msgs);
	return r == 0 ? 0 : -1;
}

static int
control_forget(struct control_req *q)
{
	const struct control_env *env = q->env;
	struct addr_ip ip;
	unsigned iface = CORE_NO_IFACE;
	size_t n;

	if (q->argc != 2 && q->argc != 3) {
		fprintf(q->out, "usage: forget address [interface]\n");
		return -1;
	}
	if (control_ip(q, q->argv[1], &ip) != 0 ||
	    (q->argc == 3 && control_iface_index(q, q->argv[2], &iface) != 0))
		return -1;
	if (env->ops == NULL || env->ops->execute == NULL ||
	    env->acts == NULL) {
		fprintf(q->out, "forget needs a running parpd\n");
		return -1;
	}
	n = core_forget(env->core, iface, &ip, env->now, env->acts);
	env->ops->execute(env->arg);
	if (n == 0) {
		fprintf(q->out, "%s is not a learned entry%s%s (static pairs "
		    "are the configuration's)\n", q->argv[1],
		    q->argc == 3 ? " of " : "", q->argc == 3 ? q->argv[2] : "");
		return -1;
	}
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "{\"forgotten\": %zu}\n", n);
	else
		fprintf(q->out, "forgot %s (%zu entr%s)\n", q->argv[1], n,
		    n == 1 ? "y" : "ies");
	return 0;
}

static int
control_show_version(struct control_req *q)
{
	if (q->fmt == CONTROL_JSON)
		fprintf(q->out, "{\"version\": \"%s\"}\n", PACKAGE_VERSION);
	else
		fprintf(q->out, "parpd %s\n", PACKAGE_VERSION);
	return 0;
}

/* ---- dispatch ---- */

static const struct {
	const char *verb;
	const char *object; /* NULL: the verb alone */
	int (*fn)(struct control_req *q);
	bool prometheus;
} control_commands[] = {
	{ "show", "neighbors", control_show_neighbors, false },
	{ "show", "counters", control_show_counters, true },
	{ "show", "interfaces", control_show_interfaces, false },
	{ "show", "rules", control_show_rules, false },
	{ "show", "version", control_show_version, false },
	{ "explain", NULL, control_explain, false },
	{ "reload", NULL, control_reload, false },
	{ "forget", NULL, control_forget, false },
};

int
control_command(void *arg, const char *line, FILE *out)
{
	struct control_req q;
	char buf[CONTROL_REQUEST_MAX], *w, *save = NULL;
	size_t i;

	memset(&q, 0, sizeof(q));
	q.env = arg;
	q.out = out;
	snprintf(buf, sizeof(buf), "%s", line);
	w = strtok_r(buf, " \t", &save);
	if (w == NULL || (strcmp(w, "text") != 0 && strcmp(w, "json") != 0 &&
	    strcmp(w, "prometheus") != 0)) {
		fprintf(out, "expected text, json or prometheus first\n");
		return -1;
	}
	q.fmt = w[0] == 't' ? CONTROL_TEXT : w[0] == 'j' ? CONTROL_JSON :
	    CONTROL_PROMETHEUS;
	while ((w = strtok_r(NULL, " \t", &save)) != NULL) {
		if (q.argc == CONTROL_WORDS_MAX) {
			fprintf(out, "too many words\n");
			return -1;
		}
		q.argv[q.argc++] = w;
	}
	for (i = 0; q.argc > 0 &&
	    i < sizeof(control_commands) / sizeof(control_commands[0]); i++) {
		if (strcmp(q.argv[0], control_commands[i].verb) != 0 ||
		    (control_commands[i].object != NULL && (q.argc < 2 ||
		    strcmp(q.argv[1], control_commands[i].object) != 0)))
			continue;
		if (q.fmt == CONTROL_PROMETHEUS &&
		    !control_commands[i].prometheus) {
			fprintf(out, "the Prometheus format is for show "
			    "counters only\n");
			return -1;
		}
		return control_commands[i].fn(&q);
	}
	fprintf(out, "unknown command; expected show neighbors, show "
	    "counters, show interfaces, show rules, show version, explain, "
	    "reload or forget\n");
	return -1;
}
