/*
 * What a running parpd shows: the SIGUSR1 dump and the control socket's
 * answers, both from the same counters and views; and the control
 * socket's place in the daemon (opening it, serving it from the loop).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "atomicfile.h"
#include "control.h"
#include "daemon_priv.h"
#include "dump.h"
#include "log.h"

/* ---- counters ---- */

/* The shell's own counters, in the dump's order, before the core's. */
static void
daemon_counters(struct daemon *d, uint64_t now, control_counter_fn *fn,
    void *arg)
{
	fn(arg, "uptime_ms", now - d->started);
	fn(arg, "reloads", d->reloads);
	fn(arg, "reload_failures", d->reload_failures);
	fn(arg, "dumps", d->dumps);
	fn(arg, "log_suppressed", log_suppressed_total());
	fn(arg, "inject_skipped", d->inject_skipped);
	fn(arg, "route_errors", d->route_errors);
	fn(arg, "route_skipped", d->routes_skipped);
	daemon_cache_counters(d, fn, arg);
	if (d->rb != NULL) {
		const struct route_counters *rc = route_backend_counters(d->rb);

		fn(arg, "route_added", rc->added);
		fn(arg, "route_deleted", rc->deleted);
		fn(arg, "route_moved", rc->moved);
		fn(arg, "route_flushed", rc->flushed);
		fn(arg, "route_kept", rc->kept);
		fn(arg, "route_benign", rc->benign);
		fn(arg, "route_exists", rc->exists);
	}
	if (d->mld != NULL) {
		const struct mld_counters *mc = mld_counters(d->mld);

		fn(arg, "mld_groups", mc->joined);
		fn(arg, "mld_joins", mc->joins);
		fn(arg, "mld_leaves", mc->leaves);
		fn(arg, "mld_join_errors", mc->join_errors);
		fn(arg, "mld_not_joined", mc->not_joined);
	}
	if (d->ctl != NULL) {
		const struct control_counters *cc = control_counters(d->ctl);

		fn(arg, "control_requests", cc->requests);
		fn(arg, "control_errors", cc->errors);
		fn(arg, "control_refused", cc->refused);
	}
}

/* Configured interface i as the views show it. */
static void
daemon_iface_view(struct daemon *d, size_t i, struct control_iface *ci)
{
	const struct dif *fi = &d->ifs[i];

	memset(ci, 0, sizeof(*ci));
	ci->name = fi->name;
	ci->up = fi->up;
	ci->ifindex = fi->ifindex;
	ci->info = fi->up ? &fi->info : NULL;
	ci->rx_frames = fi->rx_frames;
	ci->tx_frames = fi->tx_frames;
	ci->inject_errors = fi->inject_errors;
	/* Those of captures already closed, and the open one's. */
	ci->pcap_received = fi->pcap_received;
	ci->pcap_dropped = fi->pcap_dropped;
	ci->pcap_truncated = fi->pcap_truncated;
	if (fi->cap != NULL) {
		struct capture_stats cs = capture_stats(fi->cap);

		ci->pcap_received += cs.received;
		ci->pcap_dropped += cs.dropped;
		ci->pcap_truncated += cs.truncated;
	}
	ci->opened = fi->opened;
	ci->lost = fi->lost;
}

/* ---- dump ---- */

struct daemon_dump_ctx {
	struct daemon *d;
	uint64_t now;
};

static void
daemon_dump_line(void *arg, const char *name, uint64_t value)
{
	fprintf(arg, "%s %" PRIu64 "\n", name, value);
}

/* Counters "name value": the shell's, the interfaces', the core's. */
static void
daemon_dump_fill(FILE *f, void *arg)
{
	const struct daemon_dump_ctx *x = arg;
	struct daemon *d = x->d;
	struct control_iface ci;
	const char *name;
	uint64_t v;
	size_t i, k;

	daemon_counters(d, x->now, daemon_dump_line, f);
	for (i = 0; i < d->nifs; i++) {
		daemon_iface_view(d, i, &ci);
		for (k = 0; control_iface_counter_at(&ci, k, &name, &v); k++)
			fprintf(f, "iface.%s.%s %" PRIu64 "\n", ci.name, name,
			    v);
	}
	dump_core(f, d->core, d->conf, d->rb, x->now);
}

void
daemon_dump(struct daemon *d, uint64_t now)
{
	struct daemon_dump_ctx x = { d, now };
	const char *path = d->conf->dumpfile;

	d->dumps++;
	if (atomicfile_write(path, 0644, daemon_dump_fill, &x) != 0) {
		log_err(LOG_ERR, "dump %s", path);
		return;
	}
	log_msg(LOG_INFO, "dump written to %s (%zu entries)", path,
	    core_cache_count(d->core));
}

/* ---- the control socket ---- */

struct daemon_show_ctx {
	struct daemon *d;
	uint64_t now;
};

static void
daemon_op_counters(void *arg, control_counter_fn *fn, void *fnarg)
{
	struct daemon_show_ctx *x = arg;

	daemon_counters(x->d, x->now, fn, fnarg);
}

static void
daemon_op_iface(void *arg, size_t i, struct control_iface *out)
{
	struct daemon_show_ctx *x = arg;

	if (i < x->d->nifs)
		daemon_iface_view(x->d, i, out);
}

static bool
daemon_op_routed(void *arg, const struct core_entry_info *e)
{
	struct daemon_show_ctx *x = arg;

	return x->d->rb != NULL && e->iface < x->d->nifs &&
	    route_backend_owns(x->d->rb, &e->ip, x->d->ifs[e->iface].name);
}

static int
daemon_op_reload(void *arg, FILE *errors)
{
	struct daemon_show_ctx *x = arg;

	return daemon_reload(x->d, x->now, errors);
}

static void
daemon_op_execute(void *arg)
{
	struct daemon_show_ctx *x = arg;

	x->d->mld_dirty = true;
	daemon_execute(x->d);
}

static const struct control_ops daemon_control_ops = {
	.counters = daemon_op_counters,
	.iface = daemon_op_iface,
	.routed = daemon_op_routed,
	.reload = daemon_op_reload,
	.execute = daemon_op_execute,
};

int
daemon_control_open(struct daemon *d)
{
	char err[256];

	d->ctl = control_open(d->conf->control, d->conf->control_group, err,
	    sizeof(err));
	if (d->ctl == NULL) {
		log_msg(LOG_ERR, "control socket: %s", err);
		return -1;
	}
	return 0;
}

struct daemon_request_ctx {
	struct daemon_show_ctx show;
	struct control_env env;
};

static int
daemon_control_request(void *arg, const char *line, FILE *out)
{
	struct daemon_request_ctx *r = arg;

	/* The configuration in force now: a reload may replace it. */
	r->env.conf = r->show.d->conf;
	log_msg(LOG_DEBUG, "control: %s", line);
	return control_command(&r->env, line, out);
}

void
daemon_control_service(struct daemon *d, const struct pollfd *pfd, size_t n,
    uint64_t now)
{
	struct daemon_request_ctx r;

	memset(&r, 0, sizeof(r));
	r.show.d = d;
	r.show.now = now;
	r.env.core = d->core;
	r.env.acts = &d->acts;
	r.env.now = now;
	r.env.ops = &daemon_control_ops;
	r.env.arg = &r.show;
	control_service(d->ctl, pfd, n, now, daemon_control_request, &r);
}
