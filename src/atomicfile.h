/*
 * A file replaced whole or not at all: written to a temporary file
 * beside it, flushed to disk, then renamed over the path, so that a
 * reader (or a crash) never sees half of it.
 */
#ifndef PARPD_ATOMICFILE_H
#define PARPD_ATOMICFILE_H

#include <stdio.h>
#include <sys/types.h>

/*
 * fill writes the contents to f.  Returns 0, or -1 with errno set (the
 * temporary file is then removed and path is left as it was).
 */
int atomicfile_write(const char *path, mode_t mode,
    void (*fill)(FILE *f, void *arg), void *arg);

#endif
