/*
 * The shell's side of the configuration: reading the file and printing
 * diagnostics to stderr.  The parse itself (conf.c) works on memory only,
 * so that the core library has no file or terminal in it.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

void
conf_diag_stderr(void *arg, const struct conf_diag *d)
{
	(void)arg;
	if (d->line == 0)
		fprintf(stderr, "%s: %s%s\n", d->file, d->warning ?
		    "warning: " : "", d->message);
	else
		fprintf(stderr, "%s:%u:%u: %s%s\n", d->file, d->line,
		    d->column, d->warning ? "warning: " : "", d->message);
}

/* A diagnostic about the file as a whole ("file: message"). */
static void
conf_file_error(const char *path, conf_diag_fn *diag, void *arg,
    const char *what, const char *why)
{
	struct conf_diag d;
	char msg[1024];

	snprintf(msg, sizeof(msg), "%s %s: %s", what, path, why);
	d.file = path;
	d.line = 0;
	d.column = 0;
	d.warning = false;
	d.message = msg;
	diag(arg, &d);
}

struct conf *
conf_parse_file(const char *path, conf_diag_fn *diag, void *arg)
{
	struct conf *conf;
	char *buf = NULL, *p;
	size_t len = 0, cap = 0, n;
	FILE *f;

	if (diag == NULL) {
		diag = conf_diag_stderr;
		arg = NULL;
	}
	if ((f = fopen(path, "r")) == NULL) {
		conf_file_error(path, diag, arg, "cannot open",
		    strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 8192 : cap * 2;
			if (cap > (size_t)INT32_MAX ||
			    (p = realloc(buf, cap)) == NULL) {
				conf_file_error(path, diag, arg,
				    "cannot read", "too large");
				goto fail;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		conf_file_error(path, diag, arg, "cannot read",
		    strerror(errno));
		goto fail;
	}
	fclose(f);
	conf = conf_parse_string(path, buf, len, diag, arg);
	free(buf);
	return conf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}
