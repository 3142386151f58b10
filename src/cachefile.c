/*
 * The cache state file.  See cachefile.h.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomicfile.h"
#include "cachefile.h"

#define CACHEFILE_MAGIC "parpd-cache"
#define CACHEFILE_LINE 256

void
cachefile_free(struct cachefile *cf)
{
	free(cf->v);
	memset(cf, 0, sizeof(*cf));
}

static int
cachefile_push(struct cachefile *cf, const struct cachefile_entry *e)
{
	struct cachefile_entry *v;
	size_t cap;

	if (cf->n == cf->cap) {
		cap = cf->cap == 0 ? 64 : cf->cap * 2;
		if (cap > SIZE_MAX / sizeof(*v) ||
		    (v = realloc(cf->v, cap * sizeof(*v))) == NULL) {
			errno = ENOMEM;
			return -1;
		}
		cf->v = v;
		cf->cap = cap;
	}
	cf->v[cf->n++] = *e;
	return 0;
}

/* One entry line into e; false if it does not parse. */
static bool
cachefile_parse(char *line, struct cachefile_entry *e)
{
	char *f[5], *save = NULL, *end;
	size_t n = 0;
	long long t;

	for (f[n] = strtok_r(line, " \t\r\n", &save); f[n] != NULL && n < 4;
	    f[++n] = strtok_r(NULL, " \t\r\n", &save))
		;
	if (n != 4 || f[4] != NULL || strlen(f[0]) >= CONF_IFNAMSIZ)
		return false;
	memset(e, 0, sizeof(*e));
	memcpy(e->ifname, f[0], strlen(f[0]) + 1);
	if (addr_ip_parse(f[1], &e->ip) != 0 ||
	    addr_mac_parse(f[2], &e->mac) != 0)
		return false;
	errno = 0;
	t = strtoll(f[3], &end, 10);
	if (errno != 0 || *end != '\0' || end == f[3] || t < 0)
		return false;
	e->saved_at = (int64_t)t;
	return true;
}

/* The version line; false for another version or none. */
static bool
cachefile_header(const char *line)
{
	char magic[16];
	unsigned v;
	char extra;

	return sscanf(line, "%15s %u %c", magic, &v, &extra) == 2 &&
	    strcmp(magic, CACHEFILE_MAGIC) == 0 && v == CACHEFILE_VERSION;
}

static bool
cachefile_comment(const char *line)
{
	return line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#';
}

int
cachefile_load(struct cachefile *cf, const char *path, int64_t now,
    int64_t max_age)
{
	char line[CACHEFILE_LINE];
	struct cachefile_entry e;
	bool versioned = false;
	FILE *f;

	memset(cf, 0, sizeof(*cf));
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* A line longer than any entry: the rest is dropped too. */
		if (strchr(line, '\n') == NULL && !feof(f)) {
			int c;

			while ((c = getc(f)) != EOF && c != '\n')
				;
			cf->rejected++;
			continue;
		}
		if (cachefile_comment(line))
			continue;
		if (!versioned) {
			if (!cachefile_header(line)) {
				/* Another format: nothing of it is read. */
				cf->rejected++;
				break;
			}
			versioned = true;
			continue;
		}
		if (!cachefile_parse(line, &e))
			cf->rejected++;
		else if (e.saved_at + max_age < now ||
		    e.saved_at > now + CACHEFILE_SKEW_S)
			cf->stale++;
		else if (cachefile_push(cf, &e) != 0) {
			fclose(f);
			cachefile_free(cf);
			return -1;
		}
	}
	if (ferror(f)) {
		fclose(f);
		cachefile_free(cf);
		errno = EIO;
		return -1;
	}
	fclose(f);
	return 0;
}

struct cachefile_ctx {
	const struct core *core;
	const struct conf *conf;
	int64_t now;
	long n;
};

static void
cachefile_fill(FILE *f, void *arg)
{
	struct cachefile_ctx *x = arg;
	struct core_cursor cur = { 0 };
	struct core_entry_info e;
	char ip[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN];

	fprintf(f, "# parpd's cache: interface address mac saved-at\n");
	fprintf(f, "%s %d\n", CACHEFILE_MAGIC, CACHEFILE_VERSION);
	while (core_entry_next(x->core, &cur, &e)) {
		if (e.is_static || e.resolving || e.iface >= x->conf->nifaces)
			continue;
		fprintf(f, "%s %s %s %" PRId64 "\n",
		    x->conf->ifaces[e.iface].name,
		    addr_ip_format(&e.ip, ip, sizeof(ip)),
		    addr_mac_format(&e.mac, mac, sizeof(mac)), x->now);
		x->n++;
	}
}

long
cachefile_save(const char *path, const struct core *core,
    const struct conf *conf, int64_t now)
{
	struct cachefile_ctx x = { core, conf, now, 0 };

	if (atomicfile_write(path, 0600, cachefile_fill, &x) != 0)
		return -1;
	return x.n;
}
