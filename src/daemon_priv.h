/*
 * The daemon's private header: its state, shared by daemon.c (the loop,
 * actions, dump, reload, start and exit) and daemon_iface.c (finding
 * interfaces, their captures and their input).  Not for anyone else.
 */
#ifndef PARPD_DAEMON_PRIV_H
#define PARPD_DAEMON_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <poll.h>
#include <stdio.h>

#include "capture.h"
#include "conf.h"
#include "control.h"
#include "core.h"
#include "daemon.h"
#include "iface.h"
#include "iface_watch.h"
#include "mld.h"
#include "pidfile.h"
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
	unsigned ifindex;	/* the kernel's, while up; 0: none */
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
	struct iface_watch *watch; /* the kernel's notices; NULL: none */
	struct route_backend *rb;
	struct pidfile pid;
	struct mld *mld;	/* solicited-node groups joined */
	struct control *ctl;	/* the control socket; NULL: none */
	bool draining;		/* in daemon_input: sends wait for its end */
	struct privs_user user; /* who parpd becomes (daemon_privs.c) */
	bool mld_dirty;		/* entries changed since the last sync */
	uint64_t mld_next;	/* no sync before this */
	uint64_t started;
	/* Shell counters for the dump. */
	uint64_t reloads;
	uint64_t reload_failures;
	uint64_t dumps;
	uint64_t route_errors;
	uint64_t routes_skipped; /* no backend */
	uint64_t inject_skipped; /* interface without a capture */
	/* The cache state file (daemon_cache.c). */
	char cache_path[PATH_MAX];
	bool cache_dirty;	 /* the cache changed since the last write */
	bool cache_failing;	 /* the last write failed (said once) */
	uint64_t cache_written;	 /* when it was last written (or tried) */
	uint64_t cache_writes;
	uint64_t cache_errors;
	uint64_t cache_from_neigh; /* leftovers kept by the neighbour table */
};

/* Writes of the state file: a few seconds after a change. */
#define DAEMON_CACHE_MS 5000u
#define DAEMON_CACHE_NAME "parpd.cache"

/* daemon.c */
/* Carry out and clear d->acts; sends are flushed unless draining. */
void daemon_execute(struct daemon *d);
/* Send the frames queued on f (on every interface), counted. */
void daemon_send_queued_iface(struct dif *f);
void daemon_send_queued(struct daemon *d);
/*
 * Read the file again; every diagnostic to syslog and, when errors is
 * not NULL, there too.  0, or -1 when the configuration in force stays.
 */
int daemon_reload(struct daemon *d, uint64_t now, FILE *errors);

/* daemon_show.c */
/* Write the SIGUSR1 dump. */
void daemon_dump(struct daemon *d, uint64_t now);
/* Open the control socket named by the configuration; -1: logged. */
int daemon_control_open(struct daemon *d);
/* Serve the control socket's descriptors pfd[0..n) after ppoll. */
void daemon_control_service(struct daemon *d, const struct pollfd *pfd,
    size_t n, uint64_t now);

/* daemon_privs.c */
/* Before anything is touched: whom to become; -1: logged, do not start. */
int daemon_privs_user(struct daemon *d);
/* Once everything needing root is open; -1: logged, do not go on. */
int daemon_privs_drop(struct daemon *d);

/* daemon_cache.c */
/* At start, before the interfaces are looked at: adopt, then flush. */
void daemon_cache_start(struct daemon *d, uint64_t now);
/* In the loop: write the file when due; when it is next due. */
void daemon_cache_tick(struct daemon *d, uint64_t now);
uint64_t daemon_cache_deadline(const struct daemon *d);
/* Where it is, from the configuration in force (at start, at a reload). */
void daemon_cache_path(struct daemon *d);
/* Write it now (at exit). */
void daemon_cache_save(struct daemon *d, uint64_t now);
/* Its counters, for the dump and the control socket. */
void daemon_cache_counters(const struct daemon *d, control_counter_fn *fn,
    void *arg);

/* daemon_iface.c */
/* Clear parpd's routes left on ifname by an earlier run (keep: see
 * route_flush; it is given the daemon). */
void daemon_flush(struct daemon *d, const char *ifname,
    route_keep_fn *keep);
void daemon_close_capture(struct daemon *d, struct dif *f);
/* Look at interface idx: bring it up in the core, or note it missing. */
void daemon_scan(struct daemon *d, unsigned idx, uint64_t now);
/* Drain interface idx's capture (revents from ppoll). */
void daemon_input(struct daemon *d, unsigned idx, short revents,
    uint64_t now);
/* Read the kernel's interface notices: the interfaces named are looked
 * at again in the loop's next round. */
void daemon_watch_input(struct daemon *d);

#endif
