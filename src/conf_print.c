/*
 * The configuration printed in canonical form (parpd -nv) and compared
 * by meaning (reload).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "conf_priv.h"


const char *
conf_fmt_duration(uint64_t ms, char *buf, size_t size)
{
	unsigned frac = (unsigned)(ms % 1000);

	if (frac == 0)
		snprintf(buf, size, "%llu", (unsigned long long)(ms / 1000));
	else if (frac % 100 == 0)
		snprintf(buf, size, "%llu.%u", (unsigned long long)(ms / 1000),
		    frac / 100);
	else if (frac % 10 == 0)
		snprintf(buf, size, "%llu.%02u",
		    (unsigned long long)(ms / 1000), frac / 10);
	else
		snprintf(buf, size, "%llu.%03u",
		    (unsigned long long)(ms / 1000), frac);
	return buf;
}

/* ---- printing and comparing ---- */

/* Whether s can be written as a bare word (see grammar/scan.l). */
static bool
conf_bare_word(const char *s)
{
	static const char *const keywords[] = { "cache", "interface", "end",
	    "pidfile", "dumpfile", "control", "user", "statefile", "timeout",
	    "tablesize", "limit", "refresh", "delay", "routes", "static",
	    "rule", "sweep", "verbose",
	    "tell", "ignore" };
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c >= 0x7f || c == '"' || c == '#')
			return false;
	}
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(s, keywords[i]) == 0)
			return false;
	return s[0] != '\0';
}

static void
conf_print_word(FILE *out, const char *kw, const char *s)
{
	fprintf(out, conf_bare_word(s) ? "%s %s\n" : "%s \"%s\"\n", kw, s);
}

/* "control PATH", and "group NAME" when one was given. */
static void
conf_print_control(FILE *out, const struct conf *conf)
{
	const char *path = conf->control != NULL ? conf->control :
	    CONF_DEFAULT_CONTROL;

	if (conf->control_group == NULL) {
		conf_print_word(out, "control", path);
		return;
	}
	fprintf(out, conf_bare_word(path) ? "control %s" : "control \"%s\"",
	    path);
	fprintf(out, " group %s\n", conf->control_group);
}

void
conf_rule_print(FILE *out, const struct conf_rule *r)
{
	char s[ADDR_PREFIX_STRLEN], d[ADDR_PREFIX_STRLEN], ip[ADDR_IP_STRLEN];

	fprintf(out, "rule %s %s", addr_prefix_format(&r->src, s,
	    sizeof(s)), addr_prefix_format(&r->dst, d, sizeof(d)));
	if (r->flags & CONF_RULE_VERBOSE)
		fprintf(out, " verbose");
	if (r->flags & CONF_RULE_DELAY)
		fprintf(out, " delay");
	switch (r->action) {
	case CONF_ACTION_IGNORE:
		fprintf(out, " ignore");
		break;
	case CONF_ACTION_TELL:
		fprintf(out, " tell");
		break;
	case CONF_ACTION_REDIRECT:
		fprintf(out, " %s", addr_ip_format(&r->router, ip,
		    sizeof(ip)));
		break;
	}
}

void
conf_print(FILE *out, const struct conf *conf)
{
	const struct conf_cache *c = &conf->cache;
	char a[CONF_NUM_STRLEN], ip[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN];
	char pf[ADDR_PREFIX_STRLEN];
	size_t i, j;

	conf_print_word(out, "pidfile", conf->pidfile != NULL ?
	    conf->pidfile : CONF_DEFAULT_PIDFILE);
	conf_print_word(out, "dumpfile", conf->dumpfile != NULL ?
	    conf->dumpfile : CONF_DEFAULT_DUMPFILE);
	conf_print_control(out, conf);
	/* The built-in default is not printed: a missing default user is
	 * a warning, a missing user named in the file an error. */
	if (conf->user != NULL) {
		fprintf(out, "user %s", conf->user);
		if (conf->user_group != NULL)
			fprintf(out, " group %s", conf->user_group);
		fprintf(out, "\n");
	}
	/* Its default depends on the pidfile in force (-p): not printed. */
	if (conf->statefile != NULL)
		conf_print_word(out, "statefile", conf->statefile);
	fprintf(out, "\ncache\n");
	fprintf(out, "\ttimeout %s\n", conf_fmt_duration(c->timeout_ms, a,
	    sizeof(a)));
	fprintf(out, "\ttablesize %u\n", (unsigned)c->tablesize);
	fprintf(out, "\tlimit %u\n", (unsigned)c->limit);
	fprintf(out, "\trefresh %u*%s\n", (unsigned)c->refresh_count,
	    conf_fmt_duration(c->refresh_interval_ms, a, sizeof(a)));
	fprintf(out, "\tdelay %u*%s\n", (unsigned)c->delay_count,
	    conf_fmt_duration(c->delay_window_ms, a, sizeof(a)));
	fprintf(out, "end\n");
	for (i = 0; i < conf->nifaces; i++) {
		const struct conf_iface *ifc = &conf->ifaces[i];

		fprintf(out, "\n");
		conf_print_word(out, "interface", ifc->name);
		fprintf(out, "\ttimeout %s\n", conf_fmt_duration(
		    ifc->timeout_ms, a, sizeof(a)));
		if (ifc->routes)
			fprintf(out, "\troutes\n");
		for (j = 0; j < ifc->nstatics; j++)
			fprintf(out, "\tstatic %s %s%s\n", addr_ip_format(
			    &ifc->statics[j].ip, ip, sizeof(ip)),
			    addr_mac_format(&ifc->statics[j].mac, mac,
			    sizeof(mac)), ifc->statics[j].router ?
			    " router" : "");
		for (j = 0; j < ifc->nsweeps; j++)
			fprintf(out, "\tsweep %s every %s rate %u\n",
			    addr_prefix_format(&ifc->sweeps[j].prefix, pf,
			    sizeof(pf)), conf_fmt_duration(ifc->sweeps[j].every_ms,
			    a, sizeof(a)), (unsigned)ifc->sweeps[j].rate);
		for (j = 0; j < ifc->nrules; j++) {
			fprintf(out, "\t");
			conf_rule_print(out, &ifc->rules[j]);
			fprintf(out, "\n");
		}
		fprintf(out, "end\n");
	}
}

static bool
conf_str_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
conf_prefix_equal(const struct addr_prefix *a, const struct addr_prefix *b)
{
	return a->len == b->len && addr_ip_equal(&a->ip, &b->ip);
}

static bool
conf_rule_equal(const struct conf_rule *a, const struct conf_rule *b)
{
	if (!conf_prefix_equal(&a->src, &b->src) ||
	    !conf_prefix_equal(&a->dst, &b->dst) || a->flags != b->flags ||
	    a->action != b->action)
		return false;
	return a->action != CONF_ACTION_REDIRECT ||
	    addr_ip_equal(&a->router, &b->router);
}

static bool
conf_iface_equal(const struct conf_iface *a, const struct conf_iface *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0 || a->timeout_ms != b->timeout_ms ||
	    a->routes != b->routes || a->nrules != b->nrules ||
	    a->nstatics != b->nstatics || a->nsweeps != b->nsweeps)
		return false;
	for (i = 0; i < a->nrules; i++)
		if (!conf_rule_equal(&a->rules[i], &b->rules[i]))
			return false;
	for (i = 0; i < a->nstatics; i++)
		if (!addr_ip_equal(&a->statics[i].ip, &b->statics[i].ip) ||
		    !addr_mac_equal(&a->statics[i].mac, &b->statics[i].mac) ||
		    a->statics[i].router != b->statics[i].router)
			return false;
	for (i = 0; i < a->nsweeps; i++)
		if (!conf_prefix_equal(&a->sweeps[i].prefix,
		    &b->sweeps[i].prefix) ||
		    a->sweeps[i].every_ms != b->sweeps[i].every_ms ||
		    a->sweeps[i].rate != b->sweeps[i].rate)
			return false;
	return true;
}

bool
conf_equal(const struct conf *a, const struct conf *b)
{
	const struct conf_cache *x = &a->cache, *y = &b->cache;
	size_t i;

	if (!conf_str_equal(a->pidfile, b->pidfile) ||
	    !conf_str_equal(a->dumpfile, b->dumpfile) ||
	    !conf_str_equal(a->control, b->control) ||
	    !conf_str_equal(a->control_group, b->control_group) ||
	    !conf_str_equal(a->user, b->user) ||
	    !conf_str_equal(a->user_group, b->user_group) ||
	    !conf_str_equal(a->statefile, b->statefile) ||
	    x->timeout_ms != y->timeout_ms || x->tablesize != y->tablesize ||
	    x->limit != y->limit || x->refresh_count != y->refresh_count ||
	    x->refresh_interval_ms != y->refresh_interval_ms ||
	    x->delay_count != y->delay_count ||
	    x->delay_window_ms != y->delay_window_ms ||
	    a->nifaces != b->nifaces)
		return false;
	for (i = 0; i < a->nifaces; i++)
		if (!conf_iface_equal(&a->ifaces[i], &b->ifaces[i]))
			return false;
	return true;
}
