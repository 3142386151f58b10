/*
 * The libdnet backend's record of installed routes.  See statefile.h.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "statefile.h"

static int
statefile_find(const struct statefile *sf, const char *ifname,
    const struct addr_ip *ip, size_t *at)
{
	size_t i;

	for (i = 0; i < sf->n; i++)
		if (strcmp(sf->v[i].ifname, ifname) == 0 &&
		    addr_ip_equal(&sf->v[i].ip, ip)) {
			*at = i;
			return 1;
		}
	return 0;
}

bool
statefile_has(const struct statefile *sf, const char *ifname,
    const struct addr_ip *ip)
{
	size_t at;

	return statefile_find(sf, ifname, ip, &at) != 0;
}

int
statefile_add(struct statefile *sf, const char *ifname,
    const struct addr_ip *ip)
{
	struct statefile_entry *v;
	size_t at, cap;

	if (strlen(ifname) >= CONF_IFNAMSIZ) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (statefile_find(sf, ifname, ip, &at))
		return 0;
	if (sf->n == sf->cap) {
		cap = sf->cap == 0 ? 16 : sf->cap * 2;
		if ((v = realloc(sf->v, cap * sizeof(*v))) == NULL)
			return -1;
		sf->v = v;
		sf->cap = cap;
	}
	memset(&sf->v[sf->n], 0, sizeof(sf->v[sf->n]));
	memcpy(sf->v[sf->n].ifname, ifname, strlen(ifname) + 1);
	sf->v[sf->n].ip = *ip;
	sf->n++;
	return 0;
}

bool
statefile_remove(struct statefile *sf, const char *ifname,
    const struct addr_ip *ip)
{
	size_t at;

	if (!statefile_find(sf, ifname, ip, &at))
		return false;
	sf->v[at] = sf->v[sf->n - 1];
	sf->n--;
	return true;
}

void
statefile_free(struct statefile *sf)
{
	free(sf->path);
	free(sf->v);
	memset(sf, 0, sizeof(*sf));
}

int
statefile_load(struct statefile *sf, const char *path)
{
	char line[256], ifname[CONF_IFNAMSIZ + 1], addr[ADDR_IP_STRLEN + 1];
	struct addr_ip ip;
	FILE *f;

	memset(sf, 0, sizeof(*sf));
	if ((sf->path = strdup(path)) == NULL)
		return -1;
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%16s %46s", ifname, addr) != 2 ||
		    strlen(ifname) >= CONF_IFNAMSIZ ||
		    addr_ip_parse(addr, &ip) != 0)
			continue;
		if (statefile_add(sf, ifname, &ip) != 0) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static void
statefile_fill(FILE *f, void *arg)
{
	const struct statefile *sf = arg;
	char buf[ADDR_IP_STRLEN];
	size_t i;

	fprintf(f, "# parpd: host routes installed (interface address)\n");
	for (i = 0; i < sf->n; i++)
		fprintf(f, "%s %s\n", sf->v[i].ifname,
		    addr_ip_format(&sf->v[i].ip, buf, sizeof(buf)));
}

/* Read by parpd alone: 0600. */
int
statefile_save(const struct statefile *sf)
{
	return atomicfile_write(sf->path, 0600, statefile_fill,
	    (void *)(uintptr_t)sf);
}
