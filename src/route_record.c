/*
 * The test route back end: routes are not installed but recorded, one
 * line per call appended to the state file, so that a test of the whole
 * daemon sees which routes parpd would add and remove:
 *   add ADDRESS IFNAME
 *   del ADDRESS IFNAME
 *   flush IFNAME
 * Every call succeeds; flush removes nothing.  Only the test entry of
 * main.c (PARPD_TEST_BACKENDS, see parpd.8) selects it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

static void *
route_record_open(const char *state, char *err, size_t errlen)
{
	FILE *f;

	if (state == NULL || (f = fopen(state, "a")) == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s", state != NULL ?
			    state : "(no file)", strerror(state != NULL ?
			    errno : EINVAL));
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

static void
route_record_close(void *h)
{
	fclose(h);
}

static int
route_record_line(void *h, const char *what, const struct addr_ip *ip,
    const char *ifname)
{
	char buf[ADDR_IP_STRLEN];

	if (fprintf(h, "%s %s %s\n", what, addr_ip_format(ip, buf,
	    sizeof(buf)), ifname) < 0)
		return errno != 0 ? errno : EIO;
	return 0;
}

static int
route_record_add(void *h, const struct addr_ip *ip, const char *ifname)
{
	return route_record_line(h, "add", ip, ifname);
}

static int
route_record_del(void *h, const struct addr_ip *ip, const char *ifname)
{
	return route_record_line(h, "del", ip, ifname);
}

static int
route_record_flush(void *h, const char *ifname, route_keep_fn *keep,
    route_flush_fn *fn, void *arg)
{
	(void)keep;
	(void)fn;
	(void)arg;
	if (fprintf(h, "flush %s\n", ifname) < 0)
		return -(errno != 0 ? errno : EIO);
	return 0;
}

const struct route_ops route_record_ops = {
	.name = "record",
	.open = route_record_open,
	.close = route_record_close,
	.add = route_record_add,
	.del = route_record_del,
	.flush = route_record_flush,
};
