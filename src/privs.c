/*
 * Dropping capabilities (Linux, libcap).  See privs.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__linux__) && defined(HAVE_LIBCAP)
#include <sys/capability.h>
#include <sys/prctl.h>
#define PRIVS_LIBCAP 1
#endif

#include "privs.h"

int
privs_supported(void)
{
#ifdef PRIVS_LIBCAP
	return 1;
#else
	return 0;
#endif
}

#ifdef PRIVS_LIBCAP
static const cap_value_t privs_keep[] = { CAP_NET_RAW, CAP_NET_ADMIN };

static int
privs_kept(cap_value_t c)
{
	size_t i;

	for (i = 0; i < sizeof(privs_keep) / sizeof(privs_keep[0]); i++)
		if (privs_keep[i] == c)
			return 1;
	return 0;
}

int
privs_drop(char *err, size_t errlen, char *warn, size_t warnlen)
{
	cap_value_t c;
	cap_t caps;
	int bound_err = 0;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	/*
	 * The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the narrowed set below no longer has.
	 */
	for (c = 0; c < 64; c++) {
		/*
		 * Skip what is already out (systemd's CapabilityBoundingSet):
		 * dropping it would fail for want of CAP_SETPCAP.
		 */
		if (privs_kept(c) || CAP_IS_SUPPORTED(c) == 0 ||
		    cap_get_bound(c) == 0)
			continue;
		if (cap_drop_bound(c) != 0 && bound_err == 0)
			bound_err = errno;
	}
	if (bound_err != 0 && warn != NULL && warnlen > 0)
		snprintf(warn, warnlen, "bounding set not narrowed: %s",
		    strerror(bound_err));
	if ((caps = cap_init()) == NULL) {
		snprintf(err, errlen, "cap_init: %s", strerror(errno));
		return -1;
	}
	if (cap_set_flag(caps, CAP_PERMITTED, 2, privs_keep, CAP_SET) != 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 2, privs_keep, CAP_SET) != 0 ||
	    cap_set_proc(caps) != 0) {
		snprintf(err, errlen, "cap_set_proc: %s", strerror(errno));
		cap_free(caps);
		return -1;
	}
	cap_free(caps);
#ifdef PR_CAP_AMBIENT
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
#else
int
privs_drop(char *err, size_t errlen, char *warn, size_t warnlen)
{
	(void)err;
	(void)errlen;
	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	return 0;
}
#endif
