/*
 * The daemon loop.  A single thread waits in ppoll() with the handled
 * signals unblocked only while waiting; the handlers set flags.  Each
 * wake-up drains every capture that has input, runs the core's timers
 * when due, rescans interfaces that are missing and writes the log
 * module's suppression summaries.  Every action the core returns is
 * carried out at once: frames through pcap_inject, routes through the
 * route backend, events through the log.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* ppoll */
#endif
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "capture.h"
#include "compat.h"
#include "core.h"
#include "daemon.h"
#include "daemon_priv.h"
#include "detach.h"
#include "dump.h"
#include "iface.h"
#include "log.h"
#include "pidfile.h"
#include "route.h"


static volatile sig_atomic_t daemon_sig_term;
static volatile sig_atomic_t daemon_sig_hup;
static volatile sig_atomic_t daemon_sig_usr1;

static void
daemon_on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		daemon_sig_term = sig;
		break;
	case SIGHUP:
		daemon_sig_hup = 1;
		break;
	case SIGUSR1:
		daemon_sig_usr1 = 1;
		break;
	default:
		break;
	}
}

static uint64_t
daemon_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- actions ---- */

static int
daemon_log_prio(enum core_log_level level)
{
	switch (level) {
	case CORE_LOG_DEBUG:
		return LOG_DEBUG;
	case CORE_LOG_INFO:
		return LOG_INFO;
	case CORE_LOG_NOTICE:
		return LOG_NOTICE;
	case CORE_LOG_WARNING:
	default:
		return LOG_WARNING;
	}
}

/* route_done_fn: what a change the core asked for came to. */
static void
daemon_route_done(void *arg, enum route_change what, const struct addr_ip *ip,
    const char *from, const char *to, int e)
{
	static const char *const verb[] = { "add", "delete", "move" };
	struct daemon *d = arg;
	char buf[ADDR_IP_STRLEN];

	if (e == 0)
		return;
	addr_ip_format(ip, buf, sizeof(buf));
	if (e == EEXIST) {
		log_limited(LOG_KIND_ROUTE_EXISTS, LOG_INFO, "route %s dev %s "
		    "exists and is not parpd's; left alone", buf, to);
		return;
	}
	d->route_errors++;
	if (from != NULL)
		log_limited(LOG_KIND_ROUTE, LOG_WARNING,
		    "route %s %s from %s to %s: %s", verb[what], buf, from, to,
		    strerror(e));
	else
		log_limited(LOG_KIND_ROUTE, LOG_WARNING,
		    "route %s %s dev %s: %s", verb[what], buf, to,
		    strerror(e));
}

/* Queued: carried out in batches between drains (daemon_loop). */
static void
daemon_route(struct daemon *d, const struct core_action *a,
    enum route_change what)
{
	if (d->rb == NULL) {
		d->routes_skipped++;
		return;
	}
	route_host_change(d->rb, what, &a->u.route, what == ROUTE_CHANGE_MOVE ?
	    a->old_ifname : NULL, a->ifname);
}

void
daemon_send_queued_iface(struct dif *f)
{
	char err[CAPTURE_ERRLEN];
	unsigned failed;

	if (f->cap == NULL || capture_queued(f->cap) == 0)
		return;
	f->tx_frames += capture_flush(f->cap, &failed, err, sizeof(err));
	if (failed > 0) {
		f->inject_errors += failed;
		log_limited(LOG_KIND_INJECT, LOG_WARNING, "%s: %s", f->name,
		    err);
	}
}

void
daemon_send_queued(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nifs; i++)
		daemon_send_queued_iface(&d->ifs[i]);
}

/* Every frame the core builds fits a slot of the send queue. */
_Static_assert(CODEC_FRAME_MAX <= CAPTURE_TXFRAME,
    "a core frame must fit a capture queue slot");

/*
 * Queue the frame on its interface: sent when the queue is full, at the
 * end of the drain that produced it (daemon_input), or at the end of
 * daemon_execute outside a drain.
 */
static void
daemon_send(struct daemon *d, const struct core_action *a)
{
	struct dif *f;

	if (a->iface >= d->nifs || d->ifs[a->iface].cap == NULL) {
		d->inject_skipped++;
		return;
	}
	f = &d->ifs[a->iface];
	if (!capture_queue(f->cap, a->u.send.frame, a->u.send.len)) {
		daemon_send_queued_iface(f);	/* full: empty it */
		(void)capture_queue(f->cap, a->u.send.frame, a->u.send.len);
	}
}

/* Carry out and clear d->acts. */
void
daemon_execute(struct daemon *d)
{
	char line[512];
	size_t i;

	for (i = 0; i < d->acts.n; i++) {
		const struct core_action *a = &d->acts.v[i];

		switch (a->kind) {
		case CORE_ACT_SEND:
			daemon_send(d, a);
			break;
		case CORE_ACT_ROUTE_ADD:
			d->mld_dirty = d->cache_dirty = true;
			daemon_route(d, a, ROUTE_CHANGE_ADD);
			break;
		case CORE_ACT_ROUTE_DEL:
			d->mld_dirty = d->cache_dirty = true;
			daemon_route(d, a, ROUTE_CHANGE_DEL);
			break;
		case CORE_ACT_ROUTE_MOVE:
			d->cache_dirty = true;
			daemon_route(d, a, ROUTE_CHANGE_MOVE);
			break;
		case CORE_ACT_LOG:
			if (a->u.log.event != CORE_EV_DECIDED &&
			    a->u.log.event != CORE_EV_MISSING)
				d->mld_dirty = d->cache_dirty = true;
			core_log_format(d->core, a, line, sizeof(line));
			log_limited(LOG_KIND_CORE + (unsigned)a->u.log.event,
			    daemon_log_prio(a->u.log.level), "%s", line);
			break;
		}
	}
	core_actions_clear(&d->acts);
	if (!d->draining)
		daemon_send_queued(d);
}

/* ---- MLD ---- */

/*
 * The solicited-node groups of every IPv6 address parpd knows on an up
 * interface (learned, static, resolved routers): those it answers for
 * by `tell', and the known targets of redirect rules.  A redirect for
 * targets never learned cannot be joined (a /64 has 2^24 groups): behind
 * an MLD-snooping switch those are heard only when the switch floods.
 * A full walk: at most every 100 ms plus 1 ms per thousand entries.
 */
static void
daemon_mld_sync(struct daemon *d, uint64_t now)
{
	struct core_cursor cur = { 0 };
	struct core_entry_info e;

	if (d->mld == NULL || !d->mld_dirty || now < d->mld_next)
		return;
	mld_begin(d->mld);
	while (core_entry_next(d->core, &cur, &e))
		if (!e.resolving && e.iface < d->nifs && d->ifs[e.iface].up)
			mld_want(d->mld, d->ifs[e.iface].ifindex, &e.ip,
			    e.is_static || e.is_router);
	mld_commit(d->mld);
	d->mld_dirty = false;
	d->mld_next = now + 100 + core_cache_count(d->core) / 1000;
}

/* ---- reload ---- */

struct daemon_diag {
	unsigned errors;
	FILE *to;	/* the control client's, or NULL */
};

static void
daemon_diag(void *arg, const struct conf_diag *dg)
{
	struct daemon_diag *dd = arg;

	if (!dg->warning)
		dd->errors++;
	/* Line 0: about the file as a whole (it cannot be read). */
	if (dg->line == 0) {
		log_msg(LOG_ERR, "%s: %s", dg->file, dg->message);
		if (dd->to != NULL)
			fprintf(dd->to, "%s: %s\n", dg->file, dg->message);
		return;
	}
	log_msg(dg->warning ? LOG_WARNING : LOG_ERR, "%s:%u:%u: %s",
	    dg->file, dg->line, dg->column, dg->message);
	if (dd->to != NULL)
		fprintf(dd->to, "%s:%u:%u: %s%s\n", dg->file, dg->line,
		    dg->column, dg->warning ? "warning: " : "", dg->message);
}

/* A reload refused: said to syslog and to the caller. */
static int
daemon_reload_refused(struct daemon *d, FILE *errors, const char *why)
{
	d->reload_failures++;
	log_msg(LOG_ERR, "%s; keeping the configuration in force", why);
	if (errors != NULL)
		fprintf(errors, "%s; keeping the configuration in force\n",
		    why);
	return -1;
}

static bool
daemon_str_equal(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static struct dif *
daemon_new_ifs(const struct conf *conf)
{
	struct dif *ifs;
	size_t i;

	if ((ifs = calloc(conf->nifaces > 0 ? conf->nifaces : 1,
	    sizeof(*ifs))) == NULL)
		return NULL;
	for (i = 0; i < conf->nifaces; i++)
		memcpy(ifs[i].name, conf->ifaces[i].name, CONF_IFNAMSIZ);
	return ifs;
}

int
daemon_reload(struct daemon *d, uint64_t now, FILE *errors)
{
	struct daemon_diag dd = { 0, errors };
	struct conf *nc, *old;
	struct dif *nifs;
	char why[PATH_MAX + 64];
	size_t i, j;

	log_msg(LOG_NOTICE, "reloading %s", d->opts->conf_path);
	nc = conf_parse_file(d->opts->conf_path, daemon_diag, &dd);
	if (nc == NULL) {
		snprintf(why, sizeof(why), "%s: %u error%s",
		    d->opts->conf_path, dd.errors, dd.errors == 1 ? "" : "s");
		return daemon_reload_refused(d, errors, why);
	}
	if ((nifs = daemon_new_ifs(nc)) == NULL) {
		conf_free(nc);
		return daemon_reload_refused(d, errors, "reload: out of memory");
	}
	if (core_reload(d->core, nc, now, &d->acts) != 0) {
		core_actions_clear(&d->acts);
		free(nifs);
		conf_free(nc);
		return daemon_reload_refused(d, errors, "reload: out of memory");
	}
/* Interfaces that stay keep their capture, state and counters. */
	for (j = 0; j < nc->nifaces; j++) {
		for (i = 0; i < d->nifs; i++)
			if (strcmp(d->ifs[i].name, nifs[j].name) == 0)
				break;
		if (i < d->nifs) {
			nifs[j] = d->ifs[i];
			d->ifs[i].cap = NULL;
			d->ifs[i].name[0] = '\0';
		} else {
			nifs[j].next_scan = now;
			nifs[j].added = true;
		}
	}
	old = d->conf;
	for (i = 0; i < d->nifs; i++)
		if (d->ifs[i].name[0] != '\0') {
			log_msg(LOG_NOTICE, "%s: no longer configured",
			    d->ifs[i].name);
			daemon_close_capture(d, &d->ifs[i]);
		}
	free(d->ifs);
	d->ifs = nifs;
	d->nifs = nc->nifaces;
	d->conf = nc;
	daemon_cache_path(d);
	/* Route deletions, of interfaces removed too: named by the actions. */
	daemon_execute(d);
	if (d->opts->pidfile == NULL && strcmp(old->pidfile, nc->pidfile) != 0)
		log_msg(LOG_NOTICE, "pidfile changed to %s; it takes effect "
		    "at the next start", nc->pidfile);
	if (strcmp(old->control, nc->control) != 0 ||
	    !daemon_str_equal(old->control_group, nc->control_group))
		log_msg(LOG_NOTICE, "control socket changed to %s; it takes "
		    "effect at the next start", nc->control);
	if (!daemon_str_equal(old->user, nc->user) ||
	    !daemon_str_equal(old->user_group, nc->user_group))
		log_msg(LOG_NOTICE, "user changed; it takes effect at the "
		    "next start");
	conf_free(old);
	d->reloads++;
	/* New here: clear what a crashed run left on it, then look. */
	for (i = 0; i < d->nifs; i++)
		if (d->ifs[i].added) {
			d->ifs[i].added = false;
			daemon_flush(d, d->ifs[i].name, NULL);
		}
	d->mld_dirty = true;
	log_msg(LOG_NOTICE, "configuration reloaded: %zu interface%s",
	    d->nifs, d->nifs == 1 ? "" : "s");
	for (i = 0; i < d->nifs; i++)
		if (!d->ifs[i].up)
			daemon_scan(d, (unsigned)i, now);
	return 0;
}

/* ---- the loop ---- */

static uint64_t
daemon_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static void
daemon_loop(struct daemon *d, const sigset_t *waitmask)
{
	struct pollfd *pfd;
	unsigned *pidx;
	uint64_t now, next;
	struct timespec ts;
	size_t i, n, nw, nctl, cap = 0;
	int r;

	pfd = NULL;
	pidx = NULL;
	for (;;) {
		now = daemon_now();
		if (daemon_sig_term)
			break;
		if (daemon_sig_hup) {
			daemon_sig_hup = 0;
			(void)daemon_reload(d, now, NULL);
		}
		if (daemon_sig_usr1) {
			daemon_sig_usr1 = 0;
			daemon_dump(d, now);
		}
		if (core_next_deadline(d->core) <= now) {
			core_timer(d->core, now, &d->acts);
			daemon_execute(d);
		}
		for (i = 0; i < d->nifs; i++)
			if (d->ifs[i].next_scan <= now)
				daemon_scan(d, (unsigned)i, now);
		daemon_mld_sync(d, now);
		daemon_cache_tick(d, now);
		log_tick(now);
		if (d->ctl != NULL)
			control_expire(d->ctl, now);
		/* One batch per turn: frames are read between batches. */
		if (d->rb != NULL)
			(void)route_commit(d->rb);

		/* The captures, the interface notices, the control socket. */
		if (cap < d->nifs + 1 + CONTROL_POLLFDS) {
			free(pfd);
			free(pidx);
			cap = d->nifs + 1 + CONTROL_POLLFDS;
			pfd = calloc(cap, sizeof(*pfd));
			pidx = calloc(cap, sizeof(*pidx));
			if (pfd == NULL || pidx == NULL) {
				log_msg(LOG_ERR, "out of memory in the loop");
				cap = 0;
				ts.tv_sec = 1;
				ts.tv_nsec = 0;
				(void)ppoll(NULL, 0, &ts, waitmask);
				continue;
			}
		}
		for (i = n = 0; i < d->nifs; i++) {
			if (d->ifs[i].cap == NULL)
				continue;
			pfd[n].fd = capture_fd(d->ifs[i].cap);
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			pidx[n++] = (unsigned)i;
		}
		nw = 0;
		if (d->watch != NULL) {
			pfd[n].fd = iface_watch_fd(d->watch);
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			nw = 1;
		}
		nctl = d->ctl != NULL ? control_pollfds(d->ctl, pfd + n + nw) :
		    0;
		next = daemon_min(core_next_deadline(d->core),
		    log_next_deadline());
		if (d->ctl != NULL)
			next = daemon_min(next, control_next_deadline(d->ctl));
		/* Timers just run; a deadline still past must not spin. */
		if (next <= now)
			next = now + 1;
		if (d->rb != NULL && route_pending(d->rb) > 0)
			next = now;	/* only look for frames, then go on */
		for (i = 0; i < d->nifs; i++)
			next = daemon_min(next, d->ifs[i].next_scan);
		if (d->mld_dirty && d->mld != NULL)
			next = daemon_min(next, d->mld_next);
		next = daemon_min(next, daemon_cache_deadline(d));
		/* Never sleep past a rescan of the interfaces. */
		next = daemon_min(next, now + DAEMON_RESCAN_MS);
		next = next > now ? next - now : 0;
		ts.tv_sec = (time_t)(next / 1000u);
		ts.tv_nsec = (long)(next % 1000u) * 1000000L;
		r = ppoll(pfd, (nfds_t)(n + nw + nctl), &ts, waitmask);
		if (r < 0) {
			if (errno != EINTR) {
				log_err(LOG_ERR, "ppoll");
				ts.tv_sec = 1;
				ts.tv_nsec = 0;
				(void)nanosleep(&ts, NULL);
			}
			continue;
		}
		if (r == 0)
			continue;
		now = daemon_now();
		for (i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				daemon_input(d, pidx[i], pfd[i].revents, now);
		if (nw > 0 && pfd[n].revents != 0)
			daemon_watch_input(d);
		/* After the frames: a reload here may renumber interfaces. */
		if (nctl > 0)
			daemon_control_service(d, pfd + n + nw, nctl, now);
	}
	free(pfd);
	free(pidx);
}

static void
daemon_free(struct daemon *d)
{
	size_t i;

	control_close(d->ctl);
	for (i = 0; i < d->nifs; i++)
		daemon_close_capture(d, &d->ifs[i]);
	free(d->ifs);
	mld_free(d->mld);
	core_actions_free(&d->acts);
	if (d->core != NULL)
		core_free(d->core);
	route_backend_close(d->rb);
	iface_watch_close(d->watch);
	iface_close(d->itab);
	if (d->conf != NULL)
		conf_free(d->conf);
	pidfile_remove(&d->pid);
}

static int
daemon_signals(sigset_t *waitmask)
{
	static const int sigs[] = { SIGHUP, SIGUSR1, SIGTERM, SIGINT };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&block, sigs[i]);
	/* Blocked except inside ppoll(): no race between test and wait. */
	if (sigprocmask(SIG_BLOCK, &block, waitmask) != 0)
		return -1;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = daemon_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	return 0;
}

int
daemon_run(const struct daemon_opts *opts, struct conf *conf)
{
	struct daemon dd, *d = &dd;
	char err[256];
	sigset_t waitmask;
	uint64_t seed, now, deleted;
	unsigned lflags;
	size_t i;
	int ready = -1, removed;

	memset(d, 0, sizeof(*d));
	d->opts = opts;
	d->conf = conf;
	d->pid.fd = -1;
	core_actions_init(&d->acts);
	lflags = (opts->debug || opts->verbose ? LOG_F_DEBUG : 0);
	/* Until detached, problems at start show on the terminal too. */
	log_init("parpd", lflags | LOG_F_STDERR);

	if (daemon_signals(&waitmask) != 0) {
		log_err(LOG_ERR, "signals");
		goto fail;
	}
	if (daemon_privs_user(d) != 0)
		goto fail;
	if (pidfile_lock(&d->pid, opts->pidfile != NULL ? opts->pidfile :
	    conf->pidfile) != 0)
		goto fail;
	/* Another parpd on the same socket: leave it and its routes be. */
	if (control_check(conf->control, err, sizeof(err)) != 0) {
		log_msg(LOG_ERR, "control socket: %s", err);
		goto fail;
	}
	if (compat_random_seed(&seed) != 0) {
		log_err(LOG_ERR, "no random seed");
		goto fail;
	}
	now = daemon_now();
	d->started = now;
	if ((d->core = core_new(conf, seed, now)) == NULL) {
		log_msg(LOG_ERR, "out of memory");
		goto fail;
	}
	if ((d->itab = iface_open(opts->iface_ops,
	    opts->backend_dir)) == NULL) {
		log_err(LOG_ERR, "cannot read interfaces");
		goto fail;
	}
	/* The test back ends' interfaces are files: no notices. */
	if (opts->iface_ops == NULL &&
	    (d->watch = iface_watch_open()) == NULL && errno != ENOTSUP)
		log_err(LOG_WARNING, "no interface notices from the kernel; "
		    "changes are seen at the next rescan");
	if ((d->ifs = daemon_new_ifs(conf)) == NULL) {
		log_msg(LOG_ERR, "out of memory");
		goto fail;
	}
	d->nifs = conf->nifaces;
	err[0] = '\0';
	d->rb = route_backend_open(opts->route_ops != NULL ? opts->route_ops :
	    route_default_ops(), opts->route_state != NULL ?
	    opts->route_state : ROUTE_STATEFILE_DEFAULT, err, sizeof(err));
	if (d->rb == NULL)
		log_msg(LOG_ERR, "host routes disabled: %s", err);
	else
		route_backend_report(d->rb, daemon_route_done, d);
	if ((d->mld = mld_new()) == NULL)
		log_msg(LOG_ERR, "out of memory: no multicast groups joined");
	/* Adopt the previous run's pairs, flush the rest, then look. */
	daemon_cache_start(d, now);
	for (i = 0; i < d->nifs; i++)
		daemon_scan(d, (unsigned)i, now);
	/* Before the drop: binding in a directory of root's, giving the
	 * socket its group and its owner need root. */
	if (daemon_control_open(d) != 0 || daemon_privs_drop(d) != 0)
		goto fail;
	if (!opts->foreground) {
		if ((ready = detach()) == -2)
			goto fail;
	}
	log_set_flags(lflags | (opts->debug ? LOG_F_STDERR : 0));
	if (pidfile_write(&d->pid) != 0)
		goto fail;
	if (ready >= 0) {
		(void)write(ready, "r", 1);
		close(ready);
		ready = -1;
	}
	log_msg(LOG_NOTICE, "started: %zu interface%s, routes via %s",
	    d->nifs, d->nifs == 1 ? "" : "s",
	    d->rb != NULL ? route_backend_name(d->rb) : "nothing");

	daemon_loop(d, &waitmask);

	/* For the next run, which restores what it says (parpd.8). */
	daemon_cache_save(d, daemon_now());
	core_shutdown(d->core, &d->acts);
	deleted = d->rb != NULL ? route_backend_counters(d->rb)->deleted : 0;
	daemon_execute(d);
	removed = 0;
	if (d->rb != NULL) {
		/* The core's deletions, then those it no longer knew of. */
		(void)route_remove_all(d->rb);
		removed = (int)(route_backend_counters(d->rb)->deleted -
		    deleted);
	}
	log_msg(LOG_NOTICE, "exiting on %s; %d route%s removed",
	    daemon_sig_term == SIGINT ? "SIGINT" : "SIGTERM", removed,
	    removed == 1 ? "" : "s");
	daemon_free(d);
	log_close();
	return 0;
fail:
	if (ready >= 0)
		close(ready);
	daemon_free(d);
	log_close();
	return 1;
}
