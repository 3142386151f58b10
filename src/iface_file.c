/*
 * The test interface back end: interfaces described by text files, so
 * that a test says "em0 is up with this MAC and these addresses", later
 * "em0 is down" or "em0 is gone".  Only the test entry of main.c
 * (PARPD_TEST_BACKENDS, see parpd.8) selects it.
 *
 * Interface NAME is WHERE/NAME.iface; no such file: no such interface
 * (ENXIO).  The file holds one line of words:
 *   up|down MAC [ADDRESS ...]
 * with MAC as 02:00:5e:00:00:01 (or "none": not Ethernet) and addresses
 * IPv4 first, then IPv6, as iface_get lists them.  A malformed file reads
 * as no such interface, with errno EINVAL.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iface.h"

/* Addresses read from one file before iface_select keeps its share. */
#define IFACE_FILE_ADDRS 64

struct iface_file {
	char where[PATH_MAX];
};

static void *
iface_file_open(const char *where)
{
	struct iface_file *t;

	if (where == NULL || strlen(where) >= sizeof(t->where)) {
		errno = EINVAL;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	strcpy(t->where, where);
	return t;
}

static void
iface_file_close(void *h)
{
	free(h);
}

static int
iface_file_get(void *h, const char *name, struct iface_state *out)
{
	struct iface_file *t = h;
	struct addr_ip all[IFACE_FILE_ADDRS];
	char path[PATH_MAX], line[4096], *w, *save;
	size_t n = 0;
	FILE *f;

	memset(out, 0, sizeof(*out));
	if (strchr(name, '/') != NULL) {
		errno = ENXIO;
		return -1;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.iface", t->where,
	    name) >= sizeof(path) || (f = fopen(path, "r")) == NULL) {
		errno = ENXIO;
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL) {
		fclose(f);
		errno = EINVAL;
		return -1;
	}
	fclose(f);
	if ((w = strtok_r(line, " \t\r\n", &save)) == NULL ||
	    (strcmp(w, "up") != 0 && strcmp(w, "down") != 0))
		goto bad;
	out->up = strcmp(w, "up") == 0;
	if ((w = strtok_r(NULL, " \t\r\n", &save)) == NULL)
		goto bad;
	if (strcmp(w, "none") != 0) {
		if (addr_mac_parse(w, &out->info.mac) != 0)
			goto bad;
		out->ethernet = true;
	}
	while ((w = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
		if (n >= IFACE_FILE_ADDRS || addr_ip_parse(w, &all[n]) != 0)
			goto bad;
		n++;
	}
	out->index = 1;
	out->ignored = iface_select(all, n, &out->info);
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	errno = EINVAL;
	return -1;
}

const struct iface_ops iface_file_ops = {
	"file",
	iface_file_open,
	iface_file_close,
	iface_file_get,
};
