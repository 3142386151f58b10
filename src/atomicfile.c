#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"

int
atomicfile_write(const char *path, mode_t mode,
    void (*fill)(FILE *f, void *arg), void *arg)
{
	char tmp[PATH_MAX];
	FILE *f;
	int fd, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(tmp)) < 0)
		return -1;
	/* mkstemp makes it 0600; the reader may be another user. */
	if (fchmod(fd, mode) != 0 || (f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	fill(f, arg);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		saved = errno != 0 ? errno : EIO;
		fclose(f);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}
