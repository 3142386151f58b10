/* The locked pidfile.  See pidfile.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"

int
pidfile_lock(struct pidfile *pf, const char *path)
{
	char buf[32];
	ssize_t n;

	pf->fd = -1;
	if ((pf->path = strdup(path)) == NULL) {
		log_msg(LOG_ERR, "out of memory");
		return -1;
	}
	pf->fd = open(pf->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (pf->fd < 0) {
		log_err(LOG_ERR, "pidfile %s", pf->path);
		return -1;
	}
	if (flock(pf->fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			n = pread(pf->fd, buf, sizeof(buf) - 1, 0);
			buf[n > 0 ? n : 0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			log_msg(LOG_ERR, "pidfile %s is held by a running "
			    "parpd (pid %s)", pf->path,
			    buf[0] != '\0' ? buf : "unknown");
		} else
			log_err(LOG_ERR, "pidfile %s: flock", pf->path);
		close(pf->fd);
		pf->fd = -1;
		return -1;
	}
	return 0;
}

/* FreeBSD's rc.subr (check_pidfile) reads the PID and a newline. */
int
pidfile_write(struct pidfile *pf)
{
	char buf[32];
	int len;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(pf->fd, 0) != 0 ||
	    pwrite(pf->fd, buf, (size_t)len, 0) != len) {
		log_err(LOG_ERR, "pidfile %s", pf->path);
		return -1;
	}
	return 0;
}

void
pidfile_remove(struct pidfile *pf)
{
	if (pf->fd >= 0) {
		/* A directory the user parpd runs as cannot write to: the
		 * file, open since the start, is emptied instead, so that
		 * it names no process (parpd.8, PRIVILEGES). */
		if (unlink(pf->path) != 0 && ftruncate(pf->fd, 0) != 0)
			log_err(LOG_WARNING, "pidfile %s", pf->path);
		close(pf->fd);
		pf->fd = -1;
	}
	free(pf->path);
	pf->path = NULL;
}
