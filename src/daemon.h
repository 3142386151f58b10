/*
 * The daemon proper: one thread, one ppoll() loop over the captures,
 * the core's timers, interface rescans and signals.
 */
#ifndef PARPD_DAEMON_H
#define PARPD_DAEMON_H

#include <stdbool.h>

#include "capture.h"
#include "conf.h"
#include "iface.h"
#include "route.h"

/* Interfaces missing or down are looked for again this often. */
#define DAEMON_RESCAN_MS 5000u

struct daemon_opts {
	const char *conf_path;	/* re-read on SIGHUP */
	const char *pidfile;	/* -p; NULL: the configuration's */
	bool foreground;	/* -f or -d: do not detach */
	bool debug;		/* -d: log to stderr too, debug level */
	bool verbose;		/* -v: debug level */
	const struct route_ops *route_ops; /* NULL: route_default_ops() */
	const char *route_state; /* libdnet state file; NULL: default */
	/* Capture and interface back ends; NULL: libpcap, libdnet. */
	const struct capture_ops *capture_ops;
	const struct iface_ops *iface_ops;
	const char *backend_dir; /* their "where" (the test back ends) */
	bool keep_privs; /* test back ends: nothing to narrow, maybe no root */
};

/*
 * Run until SIGTERM or SIGINT.  Takes ownership of conf.  Returns the
 * exit status: 0 after a signal, 1 if the daemon could not start.
 */
int daemon_run(const struct daemon_opts *opts, struct conf *conf);

#endif
