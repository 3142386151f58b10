/*
 * A main() for the fuzz targets when libFuzzer is not used: feeds each
 * file named on the command line (each regular file inside a directory
 * named there, e.g. a corpus), or stdin when there is no argument, to
 * LLVMFuzzerTestOneInput.  Each input is copied into a heap block of its
 * exact size so that AddressSanitizer sees reads past its end.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
run_stream(FILE *fp, const char *name)
{
	uint8_t *buf = NULL, *exact;
	size_t len = 0, cap = 0, n;

	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			cap = cap == 0 ? 4096 : cap * 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				free(buf);
				fprintf(stderr, "%s: out of memory\n", name);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, fp);
		if (n == 0)
			break;
		len += n;
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: read error\n", name);
		free(buf);
		return -1;
	}
	/* An exact-size copy; malloc(0) may return NULL, so keep one byte. */
	if ((exact = malloc(len > 0 ? len : 1)) == NULL) {
		free(buf);
		return -1;
	}
	if (len > 0)
		memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int
run_file(const char *path)
{
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = run_stream(fp, path);
	fclose(fp);
	return rc;
}

static int
run_path(const char *path, unsigned long *count)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char sub[PATH_MAX];
	int rc = 0;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
		    de->d_name) >= sizeof(sub))
			continue;
		if (stat(sub, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		(*count)++;
		if (run_file(sub) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned long count = 0;
	int i, rc = 0;

	if (argc < 2) {
		count = 1;
		rc = run_stream(stdin, "stdin");
	}
	for (i = 1; i < argc; i++)
		if (run_path(argv[i], &count) != 0)
			rc = -1;
	fprintf(stderr, "%s: %lu input(s) run\n", argv[0], count);
	return rc == 0 ? 0 : 1;
}
