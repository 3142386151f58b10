/*
 * The daemon's interfaces: finding them (by name, through the interface
 * back end), opening and closing their captures, passing their frames to
 * the core, and noticing when one is lost or changed (at a rescan, or at
 * once on the kernel's notices: iface_watch.h).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon_priv.h"
#include "log.h"

static void
daemon_flushed(void *arg, const struct addr_ip *ip, const char *ifname)
{
	char buf[ADDR_IP_STRLEN];

	(void)arg;
	log_msg(LOG_INFO, "removed leftover route %s dev %s",
	    addr_ip_format(ip, buf, sizeof(buf)), ifname);
}

/*
 * Clear parpd's routes left on ifname by an earlier run, but those keep
 * says the core adopted (NULL: none).
 */
void
daemon_flush(struct daemon *d, const char *ifname, route_keep_fn *keep)
{
	int n;

	if (d->rb == NULL)
		return;
	n = route_flush(d->rb, ifname, keep, daemon_flushed, d);
	if (n < 0)
		log_msg(LOG_WARNING, "%s: cannot list leftover routes: %s",
		    ifname, strerror(-n));
	else if (n > 0)
		log_msg(LOG_NOTICE, "%s: removed %d leftover route%s",
		    ifname, n, n == 1 ? "" : "s");
}

void
daemon_close_capture(struct daemon *d, struct dif *f)
{
	struct capture_stats cs;

	if (f->cap == NULL)
		return;
	daemon_send_queued_iface(f);
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
		daemon_execute(d);
		f->up = false;
		f->ifindex = 0;
		f->lost++;
		d->mld_dirty = true;
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
void
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
	/* Deleted and created again since the last look (its capture has
	 * not failed yet): a capture of the new one. */
	if (f->up && f->ifindex != 0 && st.index != f->ifindex)
		daemon_iface_lost(d, idx, "interface replaced", now);
	if (f->up) {
		if (iface_info_equal(&f->info, &st.info))
			return;
		log_msg(LOG_NOTICE, "%s: addresses changed: %s", f->name,
		    daemon_info_text(&st.info, text, sizeof(text)));
		f->info = st.info;
		core_iface_up(d->core, idx, &f->info, now, &d->acts);
		daemon_execute(d);
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
	f->ifindex = if_nametoindex(f->name); /* 0 for the test back ends */
	d->mld_dirty = true;
	f->reported_absent = false;
	f->info = st.info;
	log_msg(LOG_NOTICE, "%s: listening (%s)", f->name,
	    daemon_info_text(&f->info, text, sizeof(text)));
	core_iface_up(d->core, idx, &f->info, now, &d->acts);
	daemon_execute(d);
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
	daemon_execute(d);
}

void
daemon_input(struct daemon *d, unsigned idx, short revents, uint64_t now)
{
	struct daemon_rx rx = { d, idx, now };
	struct dif *f = &d->ifs[idx];
	char err[CAPTURE_ERRLEN], why[CAPTURE_ERRLEN + 32];
	int n;

	if (f->cap == NULL)
		return;
	d->draining = true;
	n = capture_drain(f->cap, daemon_frame, &rx, err, sizeof(err));
	d->draining = false;
	daemon_send_queued(d);
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

/* ---- the kernel's notices ---- */

static void
daemon_noticed(void *arg, unsigned index, const char *name)
{
	struct daemon *d = arg;
	size_t i;

	for (i = 0; i < d->nifs; i++) {
		struct dif *f = &d->ifs[i];

		/* By index while up; by name when it (re)appears. */
		if ((index == 0 && name == NULL) ||
		    (index != 0 && index == f->ifindex) ||
		    (name != NULL && strcmp(name, f->name) == 0))
			f->next_scan = 0;
	}
}

void
daemon_watch_input(struct daemon *d)
{
	iface_watch_drain(d->watch, daemon_noticed, d);
}
