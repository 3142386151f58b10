/*
 * The daemon's side of the cache state file (cachefile.c): at start,
 * before the first frame, the pairs of the previous run are adopted by
 * the core and the protocol 245 routes of adopted hosts are kept, the
 * rest flushed; while running, the file is rewritten a few seconds after
 * the cache changed and at least every half cache timeout (its lines
 * are trusted no longer than the cache timeout); at exit it is written
 * once more.  A route left by a crash whose host is not in the file is
 * kept too if the kernel's neighbour table knows the host's MAC (it was
 * learned after the last write).  Every adopted host is refreshed at
 * once by unicast and loses its entry and route within one refresh
 * cycle unless it answers (core_adopt).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cachefile.h"
#include "daemon_priv.h"
#include "log.h"

/* The file beside the pidfile in force, unless the configuration says. */
void
daemon_cache_path(struct daemon *d)
{
	const char *pid = d->opts->pidfile != NULL ? d->opts->pidfile :
	    d->conf->pidfile;
	const char *slash = strrchr(pid, '/');
	int dirlen = slash != NULL ? (int)(slash - pid) : 0;

	if (d->conf->statefile != NULL)
		snprintf(d->cache_path, sizeof(d->cache_path), "%s",
		    d->conf->statefile);
	else
		snprintf(d->cache_path, sizeof(d->cache_path), "%.*s/%s",
		    dirlen, pid, DAEMON_CACHE_NAME);
}

static int
daemon_cache_iface(const struct daemon *d, const char *ifname)
{
	size_t i;

	for (i = 0; i < d->conf->nifaces; i++)
		if (strcmp(d->conf->ifaces[i].name, ifname) == 0)
			return (int)i;
	return -1;
}

/*
 * route_keep_fn: a leftover route stays if its host was adopted from the
 * file (or is a static pair), else if the kernel's neighbour table has
 * its MAC and the core adopts that.
 */
static bool
daemon_cache_keep(void *arg, const struct addr_ip *ip, const char *ifname)
{
	struct daemon *d = arg;
	struct core_entry_info e;
	struct addr_mac mac;
	int ifx = daemon_cache_iface(d, ifname);

	if (ifx < 0)
		return false;
	if (core_lookup(d->core, (unsigned)ifx, ip, &e))
		return e.iface == (unsigned)ifx && !e.resolving;
	if (route_neighbour(d->rb, ip, ifname, &mac) != 0 ||
	    !core_adopt(d->core, (unsigned)ifx, ip, &mac, d->started,
	    &d->acts))
		return false;
	d->cache_from_neigh++;
	return true;
}

static size_t
daemon_cache_adopt(struct daemon *d, const struct cachefile *cf)
{
	size_t i, n = 0;
	int ifx;

	for (i = 0; i < cf->n; i++)
		if ((ifx = daemon_cache_iface(d, cf->v[i].ifname)) >= 0 &&
		    core_adopt(d->core, (unsigned)ifx, &cf->v[i].ip,
		    &cf->v[i].mac, d->started, &d->acts))
			n++;
	return n;
}

void
daemon_cache_start(struct daemon *d, uint64_t now)
{
	struct cachefile cf;
	size_t i, n = 0;

	daemon_cache_path(d);
	if (cachefile_load(&cf, d->cache_path, (int64_t)time(NULL),
	    (int64_t)(d->conf->cache.timeout_ms / 1000u)) != 0)
		log_err(LOG_WARNING, "state file %s: not read", d->cache_path);
	else {
		n = daemon_cache_adopt(d, &cf);
		log_msg(n > 0 ? LOG_NOTICE : LOG_INFO, "state file %s: %zu "
		    "pair%s adopted of %zu read (%zu rejected, %zu older "
		    "than the cache timeout)", d->cache_path, n,
		    n == 1 ? "" : "s", cf.n, cf.rejected, cf.stale);
	}
	cachefile_free(&cf);
	for (i = 0; i < d->nifs; i++)
		daemon_flush(d, d->ifs[i].name, daemon_cache_keep);
	if (d->cache_from_neigh > 0)
		log_msg(LOG_NOTICE, "%" PRIu64 " leftover route%s kept: "
		    "host%s in the neighbour table", d->cache_from_neigh,
		    d->cache_from_neigh == 1 ? "" : "s",
		    d->cache_from_neigh == 1 ? "" : "s");
	daemon_execute(d);
	d->cache_written = now;
	d->cache_dirty = n > 0 || d->cache_from_neigh > 0;
}

/* How long a file unchanged may go unwritten: half the cache timeout. */
static uint64_t
daemon_cache_period(const struct daemon *d)
{
	uint64_t p = d->conf->cache.timeout_ms / 2u;

	return p < DAEMON_CACHE_MS ? DAEMON_CACHE_MS : p;
}

uint64_t
daemon_cache_deadline(const struct daemon *d)
{
	return d->cache_written + (d->cache_dirty ? DAEMON_CACHE_MS :
	    daemon_cache_period(d));
}

void
daemon_cache_save(struct daemon *d, uint64_t now)
{
	long n = cachefile_save(d->cache_path, d->core, d->conf,
	    (int64_t)time(NULL));

	d->cache_written = now;
	if (n < 0) {
		d->cache_errors++;
		/* Said once until a write works again. */
		if (!d->cache_failing)
			log_err(LOG_WARNING, "state file %s", d->cache_path);
		d->cache_failing = true;
		return;
	}
	d->cache_dirty = false;
	d->cache_failing = false;
	d->cache_writes++;
}

void
daemon_cache_tick(struct daemon *d, uint64_t now)
{
	if (now >= daemon_cache_deadline(d))
		daemon_cache_save(d, now);
}

void
daemon_cache_counters(const struct daemon *d, control_counter_fn *fn,
    void *arg)
{
	fn(arg, "statefile_writes", d->cache_writes);
	fn(arg, "statefile_errors", d->cache_errors);
	fn(arg, "statefile_from_neighbours", d->cache_from_neigh);
}
