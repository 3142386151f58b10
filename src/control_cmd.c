/*
 * The control socket's commands (parpctl(8)): one request line in, the
 * answer's body out, as text, JSON or the Prometheus text format.  Read
 * from the core's views and from what the shell passes in (control.h);
 * the only changes a client can make are reload and forget.  This file:
 * the dispatch, the helpers every command shares, the rules, reload,
 * forget and version; control_show.c the neighbours, counters and
 * interfaces; control_explain.c the explanations.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "control_priv.h"
#include "dump.h"

/* ---- JSON ---- */

void
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

const char *
control_bool(bool b)
{
	return b ? "true" : "false";
}

/* ---- arguments ---- */

int
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

int
control_ip(const struct control_req *q, const char *s, struct addr_ip *ip)
{
	if (addr_ip_parse(s, ip) == 0)
		return 0;
	fprintf(q->out, "expected an IPv4 or IPv6 address, got %s\n", s);
	return -1;
}

const char *
control_ifname(const struct control_env *env, unsigned i)
{
	return i < env->conf->nifaces ? env->conf->ifaces[i].name : "?";
}

/* The state column: a resolved redirect router says so. */
const char *
control_state(const struct core_entry_info *e)
{
	if (e->is_router && !e->resolving && !e->is_static)
		return "router";
	return dump_entry_state(e);
}

const char *const control_action_names[] = {
	[CONF_ACTION_IGNORE] = "ignore",
	[CONF_ACTION_TELL] = "tell",
	[CONF_ACTION_REDIRECT] = "redirect",
};

/* ---- show rules [IFACE] ---- */

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

int
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
