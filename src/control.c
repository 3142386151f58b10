/*
 * The control socket's server: creating the socket without stealing a
 * live one, accepting, reading one request line, writing the answer, all
 * without ever blocking the daemon (see control.h).
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"

/* A client gone must not kill parpd with SIGPIPE. */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

struct control_client {
	int fd;			/* -1: slot free */
	char in[CONTROL_REQUEST_MAX];
	size_t inlen;
	char *out;		/* the answer, once the request is read */
	size_t outlen;
	size_t outoff;
	uint64_t last;		/* of the last progress, for the idle limit */
};

struct control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t dev;		/* the socket file we made, to remove it */
	ino_t ino;
	struct control_client clients[CONTROL_CLIENTS_MAX];
	struct control_counters cnt;
};

static int
control_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

/*
 * What is at path: nothing (0), a stale socket (0, removed if remove),
 * or a reason not to go on (-1, err).
 */
static int
control_clear_stale(const struct sockaddr_un *sun, bool remove, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, r, e;

	if (lstat(sun->sun_path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", sun->sun_path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket",
		    sun->sun_path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	r = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	e = errno;
	close(fd);
	if (r == 0) {
		snprintf(err, errlen, "%s is in use by another running parpd",
		    sun->sun_path);
		return -1;
	}
	if (e != ECONNREFUSED) {
		snprintf(err, errlen, "%s: %s", sun->sun_path, strerror(e));
		return -1;
	}
	/* Nobody listens: left by a run that crashed. */
	if (remove && unlink(sun->sun_path) != 0 && errno != ENOENT) {
		snprintf(err, errlen, "removing the stale %s: %s",
		    sun->sun_path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
control_bind(struct control *ctl, const struct sockaddr_un *sun,
    const char *group, char *err, size_t errlen)
{
	struct group *gr = NULL;
	struct stat st;
	mode_t old;
	int r;

	if (group != NULL && (gr = getgrnam(group)) == NULL) {
		snprintf(err, errlen, "group %s: no such group", group);
		return -1;
	}
	/* 0660 from the start: no moment in which others may connect. */
	old = umask(0117);
	r = bind(ctl->fd, (const struct sockaddr *)sun, sizeof(*sun));
	umask(old);
	if (r != 0) {
		snprintf(err, errlen, "bind %s: %s", sun->sun_path,
		    strerror(errno));
		return -1;
	}
	if (gr != NULL && chown(sun->sun_path, (uid_t)-1, gr->gr_gid) != 0) {
		snprintf(err, errlen, "chown %s to group %s: %s",
		    sun->sun_path, group, strerror(errno));
		(void)unlink(sun->sun_path);
		return -1;
	}
	if (chmod(sun->sun_path, 0660) != 0 || lstat(sun->sun_path, &st) != 0) {
		snprintf(err, errlen, "%s: %s", sun->sun_path,
		    strerror(errno));
		(void)unlink(sun->sun_path);
		return -1;
	}
	ctl->dev = st.st_dev;
	ctl->ino = st.st_ino;
	return 0;
}

static int
control_address(const char *path, struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	err[0] = '\0';
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "%s: longer than a socket name may be "
		    "(%zu bytes)", path, sizeof(sun->sun_path) - 1);
		return -1;
	}
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

int
control_check(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;

	if (control_address(path, &sun, err, errlen) != 0)
		return -1;
	return control_clear_stale(&sun, false, err, errlen);
}

struct control *
control_open(const char *path, const char *group, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	struct control *ctl;
	size_t i;

	if (control_address(path, &sun, err, errlen) != 0)
		return NULL;
	if ((ctl = calloc(1, sizeof(*ctl))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		ctl->clients[i].fd = -1;
	memcpy(ctl->path, sun.sun_path, sizeof(ctl->path));
	if (control_clear_stale(&sun, true, err, errlen) != 0) {
		free(ctl);
		return NULL;
	}
	if ((ctl->fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    control_nonblock(ctl->fd) != 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		if (ctl->fd >= 0)
			close(ctl->fd);
		free(ctl);
		return NULL;
	}
	if (control_bind(ctl, &sun, group, err, errlen) != 0 ||
	    listen(ctl->fd, CONTROL_CLIENTS_MAX) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "listen: %s", strerror(errno));
		close(ctl->fd);
		free(ctl);
		return NULL;
	}
	return ctl;
}

static void
control_drop(struct control *ctl, struct control_client *cl, bool refused)
{
	if (refused)
		ctl->cnt.refused++;
	close(cl->fd);
	free(cl->out);
	memset(cl, 0, sizeof(*cl));
	cl->fd = -1;
}

void
control_close(struct control *ctl)
{
	struct stat st;
	size_t i;

	if (ctl == NULL)
		return;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (ctl->clients[i].fd >= 0)
			control_drop(ctl, &ctl->clients[i], false);
	close(ctl->fd);
	/* Not one a later parpd put there in the meantime. */
	if (lstat(ctl->path, &st) == 0 && st.st_dev == ctl->dev &&
	    st.st_ino == ctl->ino)
		(void)unlink(ctl->path);
	free(ctl);
}

size_t
control_pollfds(const struct control *ctl, struct pollfd *pfd)
{
	size_t i, n = 0;

	pfd[n].fd = ctl->fd;
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		const struct control_client *cl = &ctl->clients[i];

		if (cl->fd < 0)
			continue;
		pfd[n].fd = cl->fd;
		pfd[n].events = cl->out != NULL ? POLLOUT : POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* A short answer for a client that gets nothing else; best effort. */
static void
control_refuse(int fd, const char *why)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "error\n%s\n", why);

	if (n > 0)
		(void)send(fd, buf, (size_t)n, MSG_NOSIGNAL);
}

static void
control_accept(struct control *ctl, uint64_t now)
{
	size_t i;
	int fd;

	/* A bounded number per call: the loop has frames to answer. */
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		struct control_client *cl = NULL;
		size_t j;

		if ((fd = accept(ctl->fd, NULL, NULL)) < 0)
			return;
		if (control_nonblock(fd) != 0) {
			close(fd);
			ctl->cnt.refused++;
			continue;
		}
		for (j = 0; j < CONTROL_CLIENTS_MAX && cl == NULL; j++)
			if (ctl->clients[j].fd < 0)
				cl = &ctl->clients[j];
		if (cl == NULL) {
			control_refuse(fd, "busy: too many clients");
			close(fd);
			ctl->cnt.refused++;
			continue;
		}
		cl->fd = fd;
		cl->last = now;
	}
}

/* The whole answer: status line and body, ready to send. */
static void
control_answer(struct control *ctl, struct control_client *cl,
    control_handler_fn *fn, void *arg)
{
	char *body = NULL;
	size_t blen = 0;
	FILE *f;
	int r;

	ctl->cnt.requests++;
	if ((f = open_memstream(&body, &blen)) == NULL) {
		r = -1;
	} else {
		r = fn(arg, cl->in, f);
		if (fclose(f) != 0)
			r = -1, blen = 0;
	}
	if (r != 0)
		ctl->cnt.errors++;
	cl->outlen = 0;
	cl->out = malloc(blen + 7);
	if (cl->out != NULL) {
		memcpy(cl->out, r == 0 ? "ok\n" : "error\n", r == 0 ? 3 : 6);
		cl->outlen = r == 0 ? 3 : 6;
		if (blen > 0)
			memcpy(cl->out + cl->outlen, body, blen);
		cl->outlen += blen;
	}
	free(body);
}

static void
control_read(struct control *ctl, struct control_client *cl, uint64_t now,
    control_handler_fn *fn, void *arg)
{
	char *nl;
	ssize_t n;

	n = recv(cl->fd, cl->in + cl->inlen, sizeof(cl->in) - 1 - cl->inlen, 0);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n <= 0) {
		/* Gone before the end of its line. */
		control_drop(ctl, cl, true);
		return;
	}
	cl->last = now;
	if (memchr(cl->in + cl->inlen, '\0', (size_t)n) != NULL) {
		control_refuse(cl->fd, "NUL in the request");
		control_drop(ctl, cl, true);
		return;
	}
	cl->inlen += (size_t)n;
	cl->in[cl->inlen] = '\0';
	/* One request per connection: what follows its LF is ignored. */
	if ((nl = memchr(cl->in, '\n', cl->inlen)) == NULL) {
		if (cl->inlen == sizeof(cl->in) - 1) {
			control_refuse(cl->fd, "request too long");
			control_drop(ctl, cl, true);
		}
		return;
	}
	*nl = '\0';
	if (nl > cl->in && nl[-1] == '\r')
		nl[-1] = '\0';
	control_answer(ctl, cl, fn, arg);
	if (cl->out == NULL)
		control_drop(ctl, cl, true);
}

static void
control_write(struct control *ctl, struct control_client *cl, uint64_t now)
{
	ssize_t n;

	n = send(cl->fd, cl->out + cl->outoff, cl->outlen - cl->outoff,
	    MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return;
	if (n < 0) {
		control_drop(ctl, cl, true);
		return;
	}
	cl->last = now;
	cl->outoff += (size_t)n;
	if (cl->outoff == cl->outlen)
		control_drop(ctl, cl, false);
}

void
control_service(struct control *ctl, const struct pollfd *pfd, size_t n,
    uint64_t now, control_handler_fn *fn, void *arg)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct control_client *cl = NULL;

		if (pfd[i].revents == 0)
			continue;
		for (j = 0; j < CONTROL_CLIENTS_MAX && cl == NULL; j++)
			if (ctl->clients[j].fd == pfd[i].fd)
				cl = &ctl->clients[j];
		if (cl == NULL)
			continue;
		if (cl->out != NULL)
			control_write(ctl, cl, now);
		else if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			control_read(ctl, cl, now, fn, arg);
	}
	/* Accepted last: the slots just freed are there to be taken. */
	if (n > 0 && (pfd[0].revents & POLLIN))
		control_accept(ctl, now);
}

uint64_t
control_next_deadline(const struct control *ctl)
{
	uint64_t next = UINT64_MAX;
	size_t i;

	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (ctl->clients[i].fd >= 0 &&
		    ctl->clients[i].last + CONTROL_IDLE_MS < next)
			next = ctl->clients[i].last + CONTROL_IDLE_MS;
	return next;
}

void
control_expire(struct control *ctl, uint64_t now)
{
	size_t i;

	for (i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (ctl->clients[i].fd >= 0 &&
		    ctl->clients[i].last + CONTROL_IDLE_MS <= now)
			control_drop(ctl, &ctl->clients[i], true);
}

const struct control_counters *
control_counters(const struct control *ctl)
{
	return &ctl->cnt;
}
