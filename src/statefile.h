/*
 * The state file of the libdnet route backend: the host routes parpd has
 * installed, one "ifname address" a line, rewritten atomically (temporary
 * file, fsync, rename) after every change.  libdnet cannot mark a route
 * as parpd's (PLATFORM-NOTES), so after a crash this file is the only
 * record of what to clear.
 */
#ifndef PARPD_STATEFILE_H
#define PARPD_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "conf.h"

struct statefile_entry {
	char ifname[CONF_IFNAMSIZ];
	struct addr_ip ip;
};

struct statefile {
	char *path;
	struct statefile_entry *v;
	size_t n;
	size_t cap;
};

/*
 * Read path into sf (a missing file is an empty list; lines that do not
 * parse are skipped).  Returns 0, or -1 with errno set.
 */
int statefile_load(struct statefile *sf, const char *path);
/* Write the list to sf->path atomically.  0, or -1 with errno set. */
int statefile_save(const struct statefile *sf);
void statefile_free(struct statefile *sf);

/* Add a pair (no duplicates); -1 with errno on allocation failure. */
int statefile_add(struct statefile *sf, const char *ifname,
    const struct addr_ip *ip);
/* Remove a pair; false if it was not listed. */
bool statefile_remove(struct statefile *sf, const char *ifname,
    const struct addr_ip *ip);
bool statefile_has(const struct statefile *sf, const char *ifname,
    const struct addr_ip *ip);

#endif
