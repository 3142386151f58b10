/*
 * Privileges (parpd.8, PRIVILEGES).  On Linux with libcap, once the
 * captures, the route back end and the control socket are open, parpd
 * removes every capability but CAP_NET_RAW (captures of interfaces that
 * appear later, injection) and CAP_NET_ADMIN (host routes) from its
 * bounding set, becomes the unprivileged user (setgroups to that user's
 * group only, setgid, setuid, the two capabilities kept across the
 * change by PR_SET_KEEPCAPS), keeps those two only in its permitted and
 * effective sets, clears the inheritable and ambient sets, sets
 * no_new_privs and installs a seccomp filter that kills the process on
 * the system calls it never makes.
 * Elsewhere privs_drop() does nothing: BPF devices and the routing
 * socket need root for the whole run (interfaces that come back, every
 * route change), and the BSDs have no capability sets to keep across a
 * change of user.
 */
#ifndef PARPD_PRIVS_H
#define PARPD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Who parpd becomes; change false: it stays uid 0 (user root). */
struct privs_user {
	char name[33];	/* POSIX portable names are at most 32 bytes */
	uid_t uid;
	gid_t gid;	/* the group's, else the user's primary group */
	bool change;
};

/*
 * Look name (and group, NULL: the user's primary group) up in the user
 * and group databases: 0, or -1 with "user NAME: no such user" (or the
 * group's, or the lookup's error) in err.  A user of uid 0 means no
 * change of user or group.
 */
int privs_user_lookup(struct privs_user *u, const char *name,
    const char *group, char *err, size_t errlen);

/*
 * Become u (when u->change) with the capabilities above, then install
 * the filter (privs_seccomp).  0 when done (or nothing to do on this
 * platform), -1 with the reason in err: the caller must not go on.
 * warn receives the reason when a partial step failed that does not
 * stop the drop (the bounding set needs CAP_SETPCAP).
 */
int privs_drop(const struct privs_user *u, char *err, size_t errlen,
    char *warn, size_t warnlen);

/*
 * Set no_new_privs and install the seccomp filter that kills the
 * process (SIGSYS) on a system call of the deny list or of a foreign
 * architecture: 0, or -1 with the reason in err.  Does nothing where
 * privs_seccomp_supported() is false.
 */
int privs_seccomp(char *err, size_t errlen);

/* Whether privs_drop() narrows anything on this build. */
int privs_supported(void);
/* Whether privs_seccomp() installs a filter on this build. */
int privs_seccomp_supported(void);

#endif
