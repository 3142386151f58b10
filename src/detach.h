/*
 * Becoming a daemon: a double fork as daemon(3) does, except that the
 * process that started parpd waits until the daemon says it runs (its
 * pidfile written), so that "parpd" returning 0 means it is up.
 */
#ifndef PARPD_DETACH_H
#define PARPD_DETACH_H

/*
 * Returns, in the daemon, the write end of the pipe the starting process
 * waits on (write "r" to it once running, then close it), or -2 when it
 * could not fork (logged).  The starting process exits 0 after "r", 1
 * when the pipe closes without it.
 */
int detach(void);

#endif
