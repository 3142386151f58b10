/*
 * The pidfile, locked for as long as parpd runs: a second parpd with
 * the same pidfile refuses to start (flock, so that a stale file left by
 * a crash is no obstacle).
 */
#ifndef PARPD_PIDFILE_H
#define PARPD_PIDFILE_H

struct pidfile {
	char *path;
	int fd; /* -1 while not held */
};

/*
 * Open and lock path (logging why not: held by the running parpd whose
 * PID it names, or an error).  The PID is written later, after
 * detaching.  Returns 0 or -1.
 */
int pidfile_lock(struct pidfile *pf, const char *path);
/* Write this process's PID and a newline (what rc.subr reads). */
int pidfile_write(struct pidfile *pf);
/* Remove and release it; nothing if never held. */
void pidfile_remove(struct pidfile *pf);

#endif
