/*
 * The daemon's private header: its state, shared by daemon.c (the loop,
 * actions, dump, reload, start and exit) and daemon_iface.c (finding
 * interfaces, their captures and their input).  Not for anyone else.
 */
#ifndef PARPD_DAEMON_PRIV_H
#define PARPD_DAEMON_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "conf.h"
#include "core.h"
#include "daemon.h"
#include "iface.h"
#include "mld.h"
#include "pidfile.h"
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
	struct route_backend *rb;
	struct pidfile pid;
	struct mld *mld;	/* solicited-node groups joined */
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
};

/* Carry out and clear d->acts (daemon.c). */
void daemon_execute(struct daemon *d);

/* daemon_iface.c */
/* Clear parpd's routes left on ifname by an earlier run. */
void daemon_flush(struct daemon *d, const char *ifname);
void daemon_close_capture(struct daemon *d, struct dif *f);
/* Look at interface idx: bring it up in the core, or note it missing. */
void daemon_scan(struct daemon *d, unsigned idx, uint64_t now);
/* Drain interface idx's capture (revents from ppoll). */
void daemon_input(struct daemon *d, unsigned idx, short revents,
    uint64_t now);

#endif
