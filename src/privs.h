/*
 * Privileges.  On Linux with libcap, once the captures are open parpd
 * keeps only CAP_NET_RAW (captures of interfaces that appear later,
 * injection) and CAP_NET_ADMIN (host routes) in its permitted and
 * effective sets, removes every other capability from the bounding set,
 * clears the inheritable and ambient sets and sets no_new_privs.
 * Elsewhere privs_drop() does nothing: BPF and the routing socket need
 * root for the whole run, and the BSDs have no capability sets to narrow.
 */
#ifndef PARPD_PRIVS_H
#define PARPD_PRIVS_H

#include <stddef.h>

/*
 * 0 when done (or nothing to do on this platform), -1 with the reason
 * in err.  warn receives the reason when a partial step failed that does
 * not stop the drop (the bounding set needs CAP_SETPCAP).
 */
int privs_drop(char *err, size_t errlen, char *warn, size_t warnlen);

/* Whether privs_drop() narrows anything on this build. */
int privs_supported(void);

#endif
