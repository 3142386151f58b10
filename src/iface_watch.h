/*
 * Notices of interface changes from the kernel, so that the daemon looks
 * at a configured interface again as soon as it comes or goes, changes
 * its flags, its MAC address or its addresses, rather than at its next
 * rescan (DAEMON_RESCAN_MS): until then it would answer with an old MAC
 * and send from addresses the interface no longer has.  Linux: an
 * rtnetlink socket in the link and address groups.  Elsewhere there is
 * none yet (iface_watch_open fails with ENOTSUP) and the rescan alone
 * notices.
 */
#ifndef PARPD_IFACE_WATCH_H
#define PARPD_IFACE_WATCH_H

/*
 * One notice: the interface's kernel index and, when the notice names it
 * (link notices), its name, else NULL.  Index 0 and name NULL: notices
 * were lost, any interface may have changed.
 */
typedef void iface_watch_fn(void *arg, unsigned index, const char *name);

struct iface_watch;

/* NULL with errno set. */
struct iface_watch *iface_watch_open(void);
void iface_watch_close(struct iface_watch *w);
/* Readable when notices are pending. */
int iface_watch_fd(const struct iface_watch *w);
/* Read every pending notice, fn for each; never blocks. */
void iface_watch_drain(struct iface_watch *w, iface_watch_fn *fn, void *arg);

#endif
