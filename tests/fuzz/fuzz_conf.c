/*
 * Fuzz target of the configuration parser.  Any input must be parsed or
 * refused without a crash, a leak or undefined behaviour; whatever
 * parses is printed in canonical form, which must parse again, to an
 * equal configuration that prints identically, with no diagnostic the
 * original did not have (a warning about what the configuration means,
 * such as an interface with routes and nothing learnable, stays).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Counts diagnostics (of a configuration that parses: warnings). */
static void
fuzz_count(void *arg, const struct conf_diag *d)
{
	(void)d;
	(*(unsigned *)arg)++;
}

static char *
fuzz_print(const struct conf *conf, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		abort();
	conf_print(f, conf);
	if (fclose(f) != 0)
		abort();
	return buf;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *a, *b;
	char *pa, *pb;
	size_t la, lb;
	unsigned nwarn = 0, ndiag = 0;

	a = conf_parse_string("fuzz.conf", (const char *)data, size,
	    fuzz_count, &nwarn);
	if (a == NULL)
		return 0;
	pa = fuzz_print(a, &la);
	b = conf_parse_string("canonical.conf", pa, la, fuzz_count, &ndiag);
	if (b == NULL || ndiag > nwarn || !conf_equal(a, b) || !conf_equal(b, a))
		abort();
	pb = fuzz_print(b, &lb);
	if (la != lb || memcmp(pa, pb, la) != 0)
		abort();
	free(pa);
	free(pb);
	conf_free(a);
	conf_free(b);
	return 0;
}
