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
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "compat.h"
#include "core.h"
#include "daemon.h"
#include "iface.h"
#include "log.h"
#include "privs.h"
#include "route.h"

/* Per configured interface, indexed like conf->ifaces. */
struct dif {
	char name[CONF_IFNAMSIZ];
	struct capture *cap;
	bool up;		/* the core knows it up */
	bool reported_absent;	/* "not present" logged for this absence */
	bool added;		/* new at a reload: flush leftovers first */
	size_t ignored_logged;	/* addresses beyond the limit, last said */
	uint64_t next_scan;	/* when to look at it again */
	struct core_ifinfo info;
	/* Counters for the dump. */
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t inject_errors;
	uint64_t pcap_received; /* of captures already closed */
	uint64_t pcap_dropped;
	uint64_t pcap_truncated;
	uint64_t opened;
	uint64_t lost;
};

struct daemon {
	const struct daemon_opts *opts;
	struct conf *conf;
	struct core *core;
	struct core_actions acts;
	struct dif *ifs;
	size_t nifs;
	struct iface_table *itab;
	struct route_backend *rb;
	char *pidfile;
	int pidfd;
	uint64_t started;
	/* Shell counters for the dump. */
	uint64_t reloads;
	uint64_t reload_failures;
	uint64_t dumps;
	uint64_t route_errors;
	uint64_t routes_skipped; /* no backend */
	uint64_t inject_skipped; /* interface without a capture */
};

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

static const char *
daemon_ifname(const struct daemon *d, unsigned idx)
{
	return idx < d->nifs ? d->ifs[idx].name : "?";
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

static void
daemon_route(struct daemon *d, const struct core_action *a, const char *what,
    const char *from, const char *to)
{
	char ip[ADDR_IP_STRLEN];
	int e;

	if (d->rb == NULL) {
		d->routes_skipped++;
		return;
	}
	switch (a->kind) {
	case CORE_ACT_ROUTE_ADD:
		e = route_host_add(d->rb, &a->u.route, to);
		break;
	case CORE_ACT_ROUTE_DEL:
		e = route_host_del(d->rb, &a->u.route, to);
		break;
	default:
		e = route_host_move(d->rb, &a->u.route, from, to);
		break;
	}
	if (e == 0)
		return;
	addr_ip_format(&a->u.route, ip, sizeof(ip));
	if (e == EEXIST) {
		log_limited(LOG_KIND_ROUTE_EXISTS, LOG_INFO, "route %s dev %s "
		    "exists and is not parpd's; left alone", ip, to);
		return;
	}
	d->route_errors++;
	if (from != NULL)
		log_limited(LOG_KIND_ROUTE, LOG_WARNING,
		    "route %s %s from %s to %s: %s", what, ip, from, to,
		    strerror(e));
	else
		log_limited(LOG_KIND_ROUTE, LOG_WARNING,
		    "route %s %s dev %s: %s", what, ip, to, strerror(e));
}

static void
daemon_send(struct daemon *d, const struct core_action *a)
{
	char err[CAPTURE_ERRLEN];
	struct dif *f;

	if (a->iface >= d->nifs || d->ifs[a->iface].cap == NULL) {
		d->inject_skipped++;
		return;
	}
	f = &d->ifs[a->iface];
	if (capture_inject(f->cap, a->u.send.frame, a->u.send.len, err,
	    sizeof(err)) != 0) {
		f->inject_errors++;
		log_limited(LOG_KIND_INJECT, LOG_WARNING, "%s: %s", f->name,
		    err);
		return;
	}
	f->tx_frames++;
}

/*
 * Carry out and clear d->acts.  names resolves the interface indices of
 * ROUTE_DEL actions (core_reload reports removed interfaces by their
 * index in the old configuration).
 */
static void
daemon_execute(struct daemon *d, const struct conf *names)
{
	char line[512];
	size_t i;

	for (i = 0; i < d->acts.n; i++) {
		const struct core_action *a = &d->acts.v[i];
		const char *ifn;

		if (names != NULL && a->kind == CORE_ACT_ROUTE_DEL)
			ifn = a->iface < names->nifaces ?
			    names->ifaces[a->iface].name : "?";
		else
			ifn = daemon_ifname(d, a->iface);
		switch (a->kind) {
		case CORE_ACT_SEND:
			daemon_send(d, a);
			break;
		case CORE_ACT_ROUTE_ADD:
			daemon_route(d, a, "add", NULL, ifn);
			break;
		case CORE_ACT_ROUTE_DEL:
			daemon_route(d, a, "delete", NULL, ifn);
			break;
		case CORE_ACT_ROUTE_MOVE:
			daemon_route(d, a, "move",
			    daemon_ifname(d, a->old_iface), ifn);
			break;
		case CORE_ACT_LOG:
			core_log_format(d->core, a, line, sizeof(line));
			log_limited(LOG_KIND_CORE + (unsigned)a->u.log.event,
			    daemon_log_prio(a->u.log.level), "%s", line);
			break;
		}
	}
	core_actions_clear(&d->acts);
}

/* ---- interfaces ---- */

static void
daemon_flushed(void *arg, const struct addr_ip *ip, const char *ifname)
{
	char buf[ADDR_IP_STRLEN];

	(void)arg;
	log_msg(LOG_INFO, "removed leftover route %s dev %s",
	    addr_ip_format(ip, buf, sizeof(buf)), ifname);
}

/* Clear parpd's routes left on ifname by an earlier run. */
static void
daemon_flush(struct daemon *d, const char *ifname)
{
	int n;

	if (d->rb == NULL)
		return;
	n = route_flush(d->rb, ifname, daemon_flushed, NULL);
	if (n < 0)
		log_msg(LOG_WARNING, "%s: cannot list leftover routes: %s",
		    ifname, strerror(-n));
	else if (n > 0)
		log_msg(LOG_NOTICE, "%s: removed %d leftover route%s",
		    ifname, n, n == 1 ? "" : "s");
}

static void
daemon_close_capture(struct daemon *d, struct dif *f)
{
	struct capture_stats cs;

	if (f->cap == NULL)
		return;
	cs = capture_stats(f->cap);
	f->pcap_received += cs.received;
	f->pcap_dropped += cs.dropped;
	f->pcap_truncated += cs.truncated;
	capture_close(f->cap);
	f->cap = NULL;
	(void)d;
}

static void
daemon_iface_lost(struct daemon *d, unsigned idx, const char *why,
    uint64_t now)
{
	struct dif *f = &d->ifs[idx];

	log_msg(LOG_WARNING, "%s: %s; looking for it again every %u s",
	    f->name, why, DAEMON_RESCAN_MS / 1000u);
	daemon_close_capture(d, f);
	if (f->up) {
		core_iface_down(d->core, idx, now, &d->acts);
		daemon_execute(d, NULL);
		f->up = false;
		f->lost++;
	}
	f->reported_absent = true;
	f->next_scan = now + DAEMON_RESCAN_MS;
}

/* The MAC and the addresses, as many as fit in len; "..." if not all. */
static const char *
daemon_info_text(const struct core_ifinfo *info, char *buf, size_t len)
{
	char mac[ADDR_MAC_STRLEN], ip[ADDR_IP_STRLEN];
	size_t i, used, need;

	used = (size_t)snprintf(buf, len, "%s",
	    addr_mac_format(&info->mac, mac, sizeof(mac)));
	for (i = 0; i < info->naddrs && used < len; i++) {
		addr_ip_format(&info->addrs[i], ip, sizeof(ip));
		need = 1 + strlen(ip);
		if (used + need + sizeof(" ...") > len) {
			(void)snprintf(buf + used, len - used, " ...");
			break;
		}
		used += (size_t)snprintf(buf + used, len - used, " %s", ip);
	}
	return buf;
}

/*
 * Say once (again only when the number changes) that an interface has
 * more addresses than the core takes.  The ignored ones are not parpd's
 * own for it: pairs claiming them are learned like any host's, and a
 * redirect router at one of them is resolved on the wire.
 */
static void
daemon_addr_limit(struct dif *f, const struct iface_state *st)
{
	if (st->ignored == f->ignored_logged)
		return;
	f->ignored_logged = st->ignored;
	if (st->ignored == 0)
		return;
	log_msg(LOG_WARNING, "%s: more than %u addresses; %s%zu ignored "
	    "(kept the first ones, the first IPv4 and the first IPv6 "
	    "link-local among them)", f->name,
	    (unsigned)CORE_IFACE_ADDRS_MAX, st->truncated ? "at least " : "",
	    st->ignored);
}

/*
 * Look at interface idx: bring it up in the core when it is present,
 * administratively up and its capture opens; notice when it vanished,
 * went down or changed its addresses.
 */
static void
daemon_scan(struct daemon *d, unsigned idx, uint64_t now)
{
	struct dif *f = &d->ifs[idx];
	struct iface_state st;
	char err[CAPTURE_ERRLEN], text[960];

	f->next_scan = now + DAEMON_RESCAN_MS;
	if (iface_get(d->itab, f->name, &st) != 0) {
		if (f->up)
			daemon_iface_lost(d, idx, "interface vanished", now);
		else if (!f->reported_absent) {
			log_msg(LOG_WARNING, "%s: no such interface; looking "
			    "for it every %u s", f->name,
			    DAEMON_RESCAN_MS / 1000u);
			f->reported_absent = true;
		}
		return;
	}
	if (!st.up || !st.ethernet) {
		if (f->up)
			daemon_iface_lost(d, idx, st.ethernet ?
			    "interface went down" : "not Ethernet", now);
		else if (!f->reported_absent) {
			log_msg(LOG_WARNING, "%s: %s; looking at it again "
			    "every %u s", f->name, st.ethernet ?
			    "interface is down" : "not an Ethernet interface",
			    DAEMON_RESCAN_MS / 1000u);
			f->reported_absent = true;
		}
		return;
	}
	daemon_addr_limit(f, &st);
	if (f->up) {
		if (iface_info_equal(&f->info, &st.info))
			return;
		log_msg(LOG_NOTICE, "%s: addresses changed: %s", f->name,
		    daemon_info_text(&st.info, text, sizeof(text)));
		f->info = st.info;
		core_iface_up(d->core, idx, &f->info, now, &d->acts);
		daemon_execute(d, NULL);
		return;
	}
	if (f->cap == NULL &&
	    (f->cap = capture_open(d->opts->capture_ops, d->opts->backend_dir,
	    f->name, err, sizeof(err))) == NULL) {
		log_msg(f->reported_absent ? LOG_DEBUG : LOG_WARNING,
		    "%s: cannot capture: %s; trying again every %u s",
		    f->name, err, DAEMON_RESCAN_MS / 1000u);
		f->reported_absent = true;
		return;
	}
	f->opened++;
	f->up = true;
	f->reported_absent = false;
	f->info = st.info;
	log_msg(LOG_NOTICE, "%s: listening (%s)", f->name,
	    daemon_info_text(&f->info, text, sizeof(text)));
	core_iface_up(d->core, idx, &f->info, now, &d->acts);
	daemon_execute(d, NULL);
}

/* ---- input ---- */

struct daemon_rx {
	struct daemon *d;
	unsigned idx;
	uint64_t now;
};

static void
daemon_frame(void *arg, const uint8_t *frame, size_t len)
{
	struct daemon_rx *rx = arg;
	struct daemon *d = rx->d;

	d->ifs[rx->idx].rx_frames++;
	core_input(d->core, rx->idx, frame, len, rx->now, &d->acts);
	daemon_execute(d, NULL);
}

static void
daemon_input(struct daemon *d, unsigned idx, short revents, uint64_t now)
{
	struct daemon_rx rx = { d, idx, now };
	struct dif *f = &d->ifs[idx];
	char err[CAPTURE_ERRLEN], why[CAPTURE_ERRLEN + 32];
	int n;

	if (f->cap == NULL)
		return;
	n = capture_drain(f->cap, daemon_frame, &rx, err, sizeof(err));
	if (n < 0) {
		snprintf(why, sizeof(why), "capture failed (%s)", err);
		daemon_iface_lost(d, idx, why, now);
		return;
	}
	/* An error condition with nothing to read would wake us forever. */
	if (n == 0 && (revents & (POLLERR | POLLHUP | POLLNVAL)) != 0)
		daemon_iface_lost(d, idx, "capture failed (interface down or "
		    "gone)", now);
}

/* ---- pidfile ---- */

/*
 * Open and lock the pidfile; refuse when another process holds the lock
 * (a running parpd).  The PID is written later, after detaching.
 */
static int
daemon_pidfile_lock(struct daemon *d)
{
	char buf[32];
	ssize_t n;

	d->pidfd = open(d->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->pidfd < 0) {
		log_err(LOG_ERR, "pidfile %s", d->pidfile);
		return -1;
	}
	if (flock(d->pidfd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			n = pread(d->pidfd, buf, sizeof(buf) - 1, 0);
			buf[n > 0 ? n : 0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			log_msg(LOG_ERR, "pidfile %s is held by a running "
			    "parpd (pid %s)", d->pidfile,
			    buf[0] != '\0' ? buf : "unknown");
		} else
			log_err(LOG_ERR, "pidfile %s: flock", d->pidfile);
		close(d->pidfd);
		d->pidfd = -1;
		return -1;
	}
	return 0;
}

/* FreeBSD's rc.subr (check_pidfile) reads the PID and a newline. */
static int
daemon_pidfile_write(struct daemon *d)
{
	char buf[32];
	int len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(d->pidfd, 0) != 0 ||
	    pwrite(d->pidfd, buf, (size_t)len, 0) != len) {
		log_err(LOG_ERR, "pidfile %s", d->pidfile);
		return -1;
	}
	return 0;
}

static void
daemon_pidfile_remove(struct daemon *d)
{
	if (d->pidfd < 0)
		return;
	(void)unlink(d->pidfile);
	close(d->pidfd);
	d->pidfd = -1;
}

/* ---- detaching ---- */

/*
 * Double fork as daemon(3) does, but the first process waits until the
 * daemon reports (through a pipe) that it is running and has written its
 * pidfile, so that "parpd" returning 0 means the pidfile is there.
 * Returns, in the daemon, the pipe's write end (-1 in the foreground).
 */
static int
daemon_detach(void)
{
	int p[2], fd;
	pid_t pid;
	char c = 0;

	if (pipe(p) != 0) {
		log_err(LOG_ERR, "pipe");
		return -2;
	}
	if ((pid = fork()) < 0) {
		log_err(LOG_ERR, "fork");
		return -2;
	}
	if (pid > 0) {
		close(p[1]);
		/* The daemon writes one byte once it runs. */
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		(void)waitpid(pid, NULL, 0);
		_exit(c == 'r' ? 0 : 1);
	}
	close(p[0]);
	if (setsid() < 0)
		_exit(1);
	if ((pid = fork()) < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		_exit(1);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return p[1];
}

/* ---- dump ---- */

/*
 * The core's dump, with "routed" (the last of an entry line's six
 * fields) saying yes only when the route is parpd's: the core asks for
 * routes, the route front end knows which ones parpd installed.
 */
static void
daemon_dump_core(struct daemon *d, FILE *f, uint64_t now)
{
	char *text = NULL, *line, *next, *p, *sp[6];
	char ifname[CONF_IFNAMSIZ];
	struct addr_ip ip;
	size_t len = 0, n;
	FILE *m;

	if ((m = open_memstream(&text, &len)) == NULL) {
		core_dump(d->core, f, now);
		return;
	}
	core_dump(d->core, m, now);
	if (fclose(m) != 0) {
		free(text);
		core_dump(d->core, f, now);
		return;
	}
	for (line = text; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			next = line + strlen(line);
		else
			*next++ = '\0';
		/* Address, MAC, interface, state, seconds, routed. */
		n = 0;
		for (p = strchr(line, ' '); p != NULL && n < 6;
		    p = strchr(p + 1, ' '))
			sp[n++] = p;
		if (n == 5 && strcmp(sp[4] + 1, "yes") == 0 &&
		    (size_t)(sp[2] - sp[1] - 1) < sizeof(ifname)) {
			memcpy(ifname, sp[1] + 1, (size_t)(sp[2] - sp[1] - 1));
			ifname[sp[2] - sp[1] - 1] = '\0';
			*sp[0] = '\0';
			if (d->rb == NULL || addr_ip_parse(line, &ip) != 0 ||
			    !route_backend_owns(d->rb, &ip, ifname))
				memcpy(sp[4] + 1, "no", 3);
			*sp[0] = ' ';
		}
		fprintf(f, "%s\n", line);
	}
	free(text);
}

static void
daemon_dump(struct daemon *d, uint64_t now)
{
	const struct route_counters *rc;
	char tmp[PATH_MAX];
	const char *path = d->conf->dumpfile;
	uint64_t rx, drop, trunc;
	size_t i;
	FILE *f;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		log_msg(LOG_ERR, "dump %s: path too long", path);
		return;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		log_err(LOG_ERR, "dump %s", tmp);
		return;
	}
	(void)fchmod(fd, 0644);
	if ((f = fdopen(fd, "w")) == NULL) {
		log_err(LOG_ERR, "dump %s", tmp);
		close(fd);
		unlink(tmp);
		return;
	}
	d->dumps++;
	/* The shell's counters, "name value", before the core's. */
	fprintf(f, "uptime_ms %" PRIu64 "\n", now - d->started);
	fprintf(f, "reloads %" PRIu64 "\n", d->reloads);
	fprintf(f, "reload_failures %" PRIu64 "\n", d->reload_failures);
	fprintf(f, "dumps %" PRIu64 "\n", d->dumps);
	fprintf(f, "log_suppressed %" PRIu64 "\n", log_suppressed_total());
	fprintf(f, "inject_skipped %" PRIu64 "\n", d->inject_skipped);
	fprintf(f, "route_errors %" PRIu64 "\n", d->route_errors);
	fprintf(f, "route_skipped %" PRIu64 "\n", d->routes_skipped);
	if (d->rb != NULL) {
		rc = route_backend_counters(d->rb);
		fprintf(f, "route_added %" PRIu64 "\n", rc->added);
		fprintf(f, "route_deleted %" PRIu64 "\n", rc->deleted);
		fprintf(f, "route_moved %" PRIu64 "\n", rc->moved);
		fprintf(f, "route_flushed %" PRIu64 "\n", rc->flushed);
		fprintf(f, "route_benign %" PRIu64 "\n", rc->benign);
		fprintf(f, "route_exists %" PRIu64 "\n", rc->exists);
	}
	for (i = 0; i < d->nifs; i++) {
		const struct dif *fi = &d->ifs[i];

		rx = fi->pcap_received;
		drop = fi->pcap_dropped;
		trunc = fi->pcap_truncated;
		if (fi->cap != NULL) {
			struct capture_stats cs = capture_stats(fi->cap);

			rx += cs.received;
			drop += cs.dropped;
			trunc += cs.truncated;
		}
		fprintf(f, "iface.%s.up %d\n", fi->name, fi->up ? 1 : 0);
		fprintf(f, "iface.%s.rx_frames %" PRIu64 "\n", fi->name,
		    fi->rx_frames);
		fprintf(f, "iface.%s.tx_frames %" PRIu64 "\n", fi->name,
		    fi->tx_frames);
		fprintf(f, "iface.%s.inject_errors %" PRIu64 "\n", fi->name,
		    fi->inject_errors);
		fprintf(f, "iface.%s.pcap_received %" PRIu64 "\n", fi->name,
		    rx);
		fprintf(f, "iface.%s.pcap_dropped %" PRIu64 "\n", fi->name,
		    drop);
		fprintf(f, "iface.%s.pcap_truncated %" PRIu64 "\n", fi->name,
		    trunc);
		fprintf(f, "iface.%s.lost %" PRIu64 "\n", fi->name, fi->lost);
	}
	daemon_dump_core(d, f, now);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		log_err(LOG_ERR, "dump %s", tmp);
		fclose(f);
		unlink(tmp);
		return;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		log_err(LOG_ERR, "dump %s", path);
		unlink(tmp);
		return;
	}
	log_msg(LOG_INFO, "dump written to %s (%zu entries)", path,
	    core_cache_count(d->core));
}

/* ---- reload ---- */

struct daemon_diag {
	unsigned errors;
};

static void
daemon_diag(void *arg, const struct conf_diag *dg)
{
	struct daemon_diag *dd = arg;

	if (!dg->warning)
		dd->errors++;
	log_msg(dg->warning ? LOG_WARNING : LOG_ERR, "%s:%u:%u: %s",
	    dg->file, dg->line, dg->column, dg->message);
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

static void
daemon_reload(struct daemon *d, uint64_t now)
{
	struct daemon_diag dd = { 0 };
	struct conf *nc, *old;
	struct dif *nifs;
	size_t i, j;

	log_msg(LOG_NOTICE, "reloading %s", d->opts->conf_path);
	nc = conf_parse_file(d->opts->conf_path, daemon_diag, &dd);
	if (nc == NULL) {
		d->reload_failures++;
		log_msg(LOG_ERR, "%s: %u error%s; keeping the configuration "
		    "in force", d->opts->conf_path, dd.errors,
		    dd.errors == 1 ? "" : "s");
		return;
	}
	if ((nifs = daemon_new_ifs(nc)) == NULL) {
		d->reload_failures++;
		log_msg(LOG_ERR, "reload: out of memory; keeping the "
		    "configuration in force");
		conf_free(nc);
		return;
	}
	if (core_reload(d->core, nc, now, &d->acts) != 0) {
		d->reload_failures++;
		log_msg(LOG_ERR, "reload: out of memory; keeping the "
		    "configuration in force");
		core_actions_clear(&d->acts);
		free(nifs);
		conf_free(nc);
		return;
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
	/* Route deletions of removed interfaces name the old indices. */
	daemon_execute(d, old);
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
	if (d->opts->pidfile == NULL && strcmp(old->pidfile, nc->pidfile) != 0)
		log_msg(LOG_NOTICE, "pidfile changed to %s; it takes effect "
		    "at the next start", nc->pidfile);
	conf_free(old);
	d->reloads++;
	/* New here: clear what a crashed run left on it, then look. */
	for (i = 0; i < d->nifs; i++)
		if (d->ifs[i].added) {
			d->ifs[i].added = false;
			daemon_flush(d, d->ifs[i].name);
		}
	log_msg(LOG_NOTICE, "configuration reloaded: %zu interface%s",
	    d->nifs, d->nifs == 1 ? "" : "s");
	for (i = 0; i < d->nifs; i++)
		if (!d->ifs[i].up)
			daemon_scan(d, (unsigned)i, now);
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
	size_t i, n, cap = 0;
	int r;

	pfd = NULL;
	pidx = NULL;
	for (;;) {
		now = daemon_now();
		if (daemon_sig_term)
			break;
		if (daemon_sig_hup) {
			daemon_sig_hup = 0;
			daemon_reload(d, now);
		}
		if (daemon_sig_usr1) {
			daemon_sig_usr1 = 0;
			daemon_dump(d, now);
		}
		if (core_next_deadline(d->core) <= now) {
			core_timer(d->core, now, &d->acts);
			daemon_execute(d, NULL);
		}
		for (i = 0; i < d->nifs; i++)
			if (d->ifs[i].next_scan <= now)
				daemon_scan(d, (unsigned)i, now);
		log_tick(now);

		if (cap < d->nifs) {
			free(pfd);
			free(pidx);
			cap = d->nifs;
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
		next = daemon_min(core_next_deadline(d->core),
		    log_next_deadline());
		/* Timers just run; a deadline still past must not spin. */
		if (next <= now)
			next = now + 1;
		for (i = 0; i < d->nifs; i++)
			next = daemon_min(next, d->ifs[i].next_scan);
		/* Never sleep past a rescan of the interfaces. */
		next = daemon_min(next, now + DAEMON_RESCAN_MS);
		next = next > now ? next - now : 0;
		ts.tv_sec = (time_t)(next / 1000u);
		ts.tv_nsec = (long)(next % 1000u) * 1000000L;
		r = ppoll(pfd, (nfds_t)n, &ts, waitmask);
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
	}
	free(pfd);
	free(pidx);
}

static void
daemon_free(struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->nifs; i++)
		daemon_close_capture(d, &d->ifs[i]);
	free(d->ifs);
	core_actions_free(&d->acts);
	if (d->core != NULL)
		core_free(d->core);
	route_backend_close(d->rb);
	iface_close(d->itab);
	if (d->conf != NULL)
		conf_free(d->conf);
	daemon_pidfile_remove(d);
	free(d->pidfile);
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
	char err[256], warn[256];
	sigset_t waitmask;
	uint64_t seed, now, deleted;
	unsigned lflags;
	size_t i;
	int ready = -1, removed;

	memset(d, 0, sizeof(*d));
	d->opts = opts;
	d->conf = conf;
	d->pidfd = -1;
	core_actions_init(&d->acts);
	lflags = (opts->debug || opts->verbose ? LOG_F_DEBUG : 0);
	/* Until detached, problems at start show on the terminal too. */
	log_init("parpd", lflags | LOG_F_STDERR);

	if (daemon_signals(&waitmask) != 0) {
		log_err(LOG_ERR, "signals");
		goto fail;
	}
	d->pidfile = strdup(opts->pidfile != NULL ? opts->pidfile :
	    conf->pidfile);
	if (d->pidfile == NULL || daemon_pidfile_lock(d) != 0)
		goto fail;
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
	for (i = 0; i < d->nifs; i++)
		daemon_flush(d, d->ifs[i].name);
	for (i = 0; i < d->nifs; i++)
		daemon_scan(d, (unsigned)i, now);
	warn[0] = '\0';
	if (opts->keep_privs)
		log_msg(LOG_WARNING, "test back ends: capture %s, interfaces "
		    "%s, in %s; privileges kept", opts->capture_ops != NULL ?
		    opts->capture_ops->name : capture_default_ops()->name,
		    opts->iface_ops != NULL ? opts->iface_ops->name :
		    iface_dnet_ops.name, opts->backend_dir != NULL ?
		    opts->backend_dir : "-");
	else if (privs_drop(err, sizeof(err), warn, sizeof(warn)) != 0) {
		log_msg(LOG_ERR, "dropping privileges: %s", err);
		goto fail;
	}
	if (warn[0] != '\0')
		log_msg(LOG_WARNING, "dropping privileges: %s", warn);
	else if (!opts->keep_privs && privs_supported())
		log_msg(LOG_DEBUG, "capabilities narrowed to CAP_NET_RAW and "
		    "CAP_NET_ADMIN");
	if (!opts->foreground) {
		if ((ready = daemon_detach()) == -2)
			goto fail;
	}
	log_set_flags(lflags | (opts->debug ? LOG_F_STDERR : 0));
	if (daemon_pidfile_write(d) != 0)
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

	core_shutdown(d->core, &d->acts);
	deleted = d->rb != NULL ? route_backend_counters(d->rb)->deleted : 0;
	daemon_execute(d, NULL);
	removed = 0;
	if (d->rb != NULL) {
		removed = (int)(route_backend_counters(d->rb)->deleted -
		    deleted);
		/* Those the core no longer knew of (a delete that failed). */
		removed += route_remove_all(d->rb, NULL, NULL);
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
