/*
 * show neighbors, show counters (text, JSON, Prometheus) and show
 * interfaces: what the core and the shell know, printed.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "control_priv.h"

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

/* ---- show neighbors [IFACE] [PREFIX] ---- */

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
	    "\"confirmed\": %s, \"established\": %s, \"probing\": %s}",
	    control_bool(routed), control_bool(e->is_router),
	    control_bool(e->is_static), control_bool(e->confirmed),
	    control_bool(e->established), control_bool(e->probing));
}

int
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

int
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

int
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

