/*
 * The daemon's side of privileges (privs.c, parpd.8 PRIVILEGES): which
 * user it becomes, looked up before anything is touched; the drop once
 * the captures, the route back end and the control socket are open; and
 * a warning for each file the user will not be able to write or read
 * where parpd writes or reads it later.
 *
 * A user named in parpd.conf that does not exist stops the start: the
 * operator asked for it.  The built-in default (configure --with-user,
 * PARPD_USER) missing is one warning, and parpd runs as uid 0 with
 * CAP_NET_RAW and CAP_NET_ADMIN only, as before the user existed: an
 * install whose packaging did not create the user keeps working.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon_priv.h"
#include "log.h"
#include "privs.h"

int
daemon_privs_user(struct daemon *d)
{
	const char *name = d->conf->user != NULL ? d->conf->user : PARPD_USER;
	char err[256];

	memset(&d->user, 0, sizeof(d->user));
	/* The test back ends keep root's privileges, and no change of user
	 * is possible elsewhere than on Linux: the default is not looked
	 * for; a user named in the file still must exist. */
	if (d->conf->user == NULL && (d->opts->keep_privs ||
	    !privs_supported()))
		return 0;
	if (privs_user_lookup(&d->user, name, d->conf->user_group, err,
	    sizeof(err)) == 0) {
		if (d->opts->keep_privs)
			d->user.change = false;
		return 0;
	}
	if (d->conf->user != NULL) {
		log_msg(LOG_ERR, "%s (user set in %s); not starting", err,
		    d->opts->conf_path);
		return -1;
	}
	log_msg(LOG_WARNING, "%s (the built-in default user); running as "
	    "uid 0 with CAP_NET_RAW and CAP_NET_ADMIN only", err);
	return 0;
}

/* The directory of path, into dir. */
static void
daemon_privs_dir(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	int len = slash == NULL ? 1 : slash == path ? 1 : (int)(slash - path);

	snprintf(dir, size, "%.*s", len, slash == NULL ? "." : path);
}

/*
 * After the change of user: what the user cannot do that parpd will ask
 * of it, each said once.  access(2) checks with the real uid, now the
 * user's.
 */
static void
daemon_privs_check(struct daemon *d)
{
	const struct route_ops *ops = d->opts->route_ops != NULL ?
	    d->opts->route_ops : route_default_ops();
	const struct {
		const char *what, *path, *then;
	} w[] = {
		{ "dumpfile", d->conf->dumpfile, "SIGUSR1 dumps will fail" },
		{ "state file", d->cache_path, "it will not be written" },
		{ "route state file", ops->keeps_state ? (d->opts->route_state
		    != NULL ? d->opts->route_state : ROUTE_STATEFILE_DEFAULT) :
		    NULL, "host routes will fail" },
		{ "pidfile", d->pid.path, "it is emptied at exit, not removed" },
		{ "control socket", d->conf->control, "it stays at exit (the "
		    "next start replaces it)" },
	};
	char dir[PATH_MAX];
	size_t i;

	if (access(d->opts->conf_path, R_OK) != 0)
		log_msg(LOG_WARNING, "configuration file %s: not readable by "
		    "user %s (%s): reloads will be refused", d->opts->conf_path,
		    d->user.name, strerror(errno));
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (w[i].path == NULL)
			continue;
		daemon_privs_dir(w[i].path, dir, sizeof(dir));
		if (access(dir, W_OK | X_OK) != 0)
			log_msg(LOG_WARNING, "%s %s: directory %s not writable "
			    "by user %s (%s): %s", w[i].what, w[i].path, dir,
			    d->user.name, strerror(errno), w[i].then);
	}
}

int
daemon_privs_drop(struct daemon *d)
{
	const struct daemon_opts *opts = d->opts;
	struct privs_user *u = &d->user;
	char err[256], warn[256];

	if (opts->keep_privs) {
		log_msg(LOG_WARNING, "test back ends: capture %s, interfaces "
		    "%s, in %s; privileges kept", opts->capture_ops != NULL ?
		    opts->capture_ops->name : capture_default_ops()->name,
		    opts->iface_ops != NULL ? opts->iface_ops->name :
		    iface_dnet_ops.name, opts->backend_dir != NULL ?
		    opts->backend_dir : "-");
		return 0;
	}
	/* No chroot (parpd.8, PRIVILEGES): libpcap and libdnet read /proc
	 * and /sys for interfaces that come back, a reload reads the file
	 * by its path.  No directory of the operator's is held either. */
	if (chdir("/") != 0) {
		log_err(LOG_ERR, "chdir /");
		return -1;
	}
	if (u->change && !privs_supported()) {
		log_msg(LOG_WARNING, "user %s: not switched to: on this "
		    "system BPF and the routing socket need root for the "
		    "whole run (parpd(8), PRIVILEGES)", u->name);
		u->change = false;
	}
	/* Owned by the user who serves it; its group stays the one the
	 * configuration gave (or root's), whose members may connect. */
	if (u->change && d->ctl != NULL &&
	    chown(d->conf->control, u->uid, (gid_t)-1) != 0) {
		log_msg(LOG_ERR, "control socket %s: chown to user %s: %s",
		    d->conf->control, u->name, strerror(errno));
		return -1;
	}
	if (privs_drop(u, err, sizeof(err), warn, sizeof(warn)) != 0) {
		log_msg(LOG_ERR, "dropping privileges: %s", err);
		return -1;
	}
	if (warn[0] != '\0')
		log_msg(LOG_WARNING, "dropping privileges: %s", warn);
	if (!privs_supported())
		return 0;
	if (u->change)
		log_msg(LOG_INFO, "running as user %s (uid %ld, gid %ld) with "
		    "CAP_NET_RAW and CAP_NET_ADMIN, seccomp filter %s",
		    u->name, (long)u->uid, (long)u->gid,
		    privs_seccomp_supported() ? "on" : "not built");
	else
		log_msg(LOG_INFO, "running as uid 0 with CAP_NET_RAW and "
		    "CAP_NET_ADMIN, seccomp filter %s",
		    privs_seccomp_supported() ? "on" : "not built");
	if (u->change)
		daemon_privs_check(d);
	return 0;
}
