/*
 * The cache state file: the pairs parpd had learned, so that the next
 * run (after a crash, an upgrade, a restart) can adopt them instead of
 * waiting for hosts whose own caches are warm to speak again.  Written
 * atomically (atomicfile.c: temporary file, fsync, rename).  Version 1:
 *
 *	parpd-cache 1
 *	IFNAME ADDRESS MAC SAVED-AT
 *
 * SAVED-AT is the wall-clock time of the write, in seconds since the
 * epoch.  Lines starting with '#' and empty lines are comments.  A file
 * of another version is ignored whole; a line that does not parse, or
 * is older than the caller's limit (or from the future), is rejected and
 * counted, never fatal.  Not the libdnet route backend's record of its
 * routes (statefile.c): that one says what to clear, this one what may
 * still be true.
 */
#ifndef PARPD_CACHEFILE_H
#define PARPD_CACHEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "conf.h"
#include "core.h"

#define CACHEFILE_VERSION 1
/* A clock that went back a little does not void the file. */
#define CACHEFILE_SKEW_S 60

struct cachefile_entry {
	char ifname[CONF_IFNAMSIZ];
	struct addr_ip ip;
	struct addr_mac mac;
	int64_t saved_at;
};

struct cachefile {
	struct cachefile_entry *v;
	size_t n;
	size_t cap;
	size_t rejected; /* lines that do not parse, or another version */
	size_t stale;	 /* lines older than max_age, or from the future */
};

/*
 * Read path into cf: lines saved at most max_age seconds before now
 * (both wall-clock seconds).  A missing file is an empty list.  0, or
 * -1 with errno set (cf is then empty).
 */
int cachefile_load(struct cachefile *cf, const char *path, int64_t now,
    int64_t max_age);
void cachefile_free(struct cachefile *cf);

/*
 * Write the learned entries of core (not static pairs, not routers being
 * resolved) to path, each with saved-at now; interface names from conf.
 * The number written, or -1 with errno set (path is left as it was).
 */
long cachefile_save(const char *path, const struct core *core,
    const struct conf *conf, int64_t now);

#endif
