/*
 * The test capture back end: frames as hex text through files, so that
 * the whole daemon runs without root, a link or libpcap.  Only the test
 * entry of main.c (PARPD_TEST_BACKENDS, see parpd.8) selects it.
 *
 * For interface NAME in directory WHERE:
 *   WHERE/NAME.in   a FIFO (made here if missing) the test writes frames
 *                   into, one per line: the frame's bytes in hex, from the
 *                   destination MAC on, no FCS; blanks between bytes and
 *                   lines starting with '#' are ignored.
 *   WHERE/NAME.out  every frame injected is appended, one hex line each.
 * A line that is not hex, has an odd number of digits or is longer than
 * CAPTURE_FILE_MAX bytes is dropped and counted as dropped in the stats.
 * The FIFO is opened read-write, so a writer closing it is no end of
 * input (POSIX leaves O_RDWR on a FIFO open; Linux and the BSDs allow it).
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* The longest frame taken: a full Ethernet payload. */
#define CAPTURE_FILE_MAX 1514
/* A line: two digits and a blank per byte. */
#define CAPTURE_FILE_LINE (3 * CAPTURE_FILE_MAX + 2)

struct capture_file {
	int in;
	int out;
	size_t used;
	uint64_t received;
	uint64_t dropped;
	char buf[CAPTURE_FILE_LINE];
};

static void
capture_file_err(char *err, size_t errlen, const char *what, const char *path)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(errno));
}

static void *
capture_file_open(const char *where, const char *ifname, char *err,
    size_t errlen)
{
	char path[PATH_MAX];
	struct capture_file *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		capture_file_err(err, errlen, "capture", ifname);
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.in", where,
	    ifname) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		capture_file_err(err, errlen, "open", ifname);
		free(c);
		return NULL;
	}
	if (mkfifo(path, 0600) != 0 && errno != EEXIST) {
		capture_file_err(err, errlen, "mkfifo", path);
		free(c);
		return NULL;
	}
	if ((c->in = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0) {
		capture_file_err(err, errlen, "open", path);
		free(c);
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s.out", where,
	    ifname) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		capture_file_err(err, errlen, "open", ifname);
		close(c->in);
		free(c);
		return NULL;
	}
	if ((c->out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) < 0) {
		capture_file_err(err, errlen, "open", path);
		close(c->in);
		free(c);
		return NULL;
	}
	return c;
}

static void
capture_file_close(void *h)
{
	struct capture_file *c = h;

	close(c->in);
	close(c->out);
	free(c);
}

static int
capture_file_fd(const void *h)
{
	const struct capture_file *c = h;

	return c->in;
}

static int
capture_file_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode one line into frame; its length, 0 to skip, -1 if malformed. */
static int
capture_file_decode(const char *s, size_t n, uint8_t *frame)
{
	size_t i, len = 0;
	int hi = -1, v;

	if (n > 0 && s[0] == '#')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == ':' || s[i] == '\r')
			continue;
		if ((v = capture_file_digit((unsigned char)s[i])) < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (len >= CAPTURE_FILE_MAX)
			return -1;
		frame[len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi >= 0 ? -1 : (int)len;
}

static int
capture_file_drain(void *h, capture_frame_fn *fn, void *arg, char *err,
    size_t errlen)
{
	struct capture_file *c = h;
	uint8_t frame[CAPTURE_FILE_MAX];
	char *nl;
	size_t line;
	ssize_t r;
	int total = 0, len;

	for (;;) {
		r = read(c->in, c->buf + c->used, sizeof(c->buf) - c->used);
		if (r < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			capture_file_err(err, errlen, "read", "input");
			return -1;
		}
		if (r == 0)
			break;
		c->used += (size_t)r;
		while ((nl = memchr(c->buf, '\n', c->used)) != NULL) {
			line = (size_t)(nl - c->buf);
			len = capture_file_decode(c->buf, line, frame);
			memmove(c->buf, nl + 1, c->used - line - 1);
			c->used -= line + 1;
			if (len < 0) {
				c->dropped++;
				continue;
			}
			if (len == 0)
				continue;
			c->received++;
			total++;
			fn(arg, frame, (size_t)len);
		}
		/* A line longer than any frame: drop it whole. */
		if (c->used == sizeof(c->buf)) {
			c->dropped++;
			c->used = 0;
		}
	}
	return total;
}

static int
capture_file_inject(void *h, const uint8_t *frame, size_t len, char *err,
    size_t errlen)
{
	struct capture_file *c = h;
	char line[CAPTURE_FILE_LINE];
	size_t i, n = 0;

	if (len > CAPTURE_FILE_MAX) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "inject: frame of %zu bytes",
			    len);
		return -1;
	}
	for (i = 0; i < len; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%02x",
		    frame[i]);
	line[n++] = '\n';
	if (write(c->out, line, n) != (ssize_t)n) {
		capture_file_err(err, errlen, "write", "output");
		return -1;
	}
	return 0;
}

static struct capture_stats
capture_file_stats(void *h)
{
	struct capture_file *c = h;
	struct capture_stats cs = { true, c->received, c->dropped, 0 };

	return cs;
}

const struct capture_ops capture_file_ops = {
	"file",
	capture_file_open,
	capture_file_close,
	capture_file_fd,
	capture_file_drain,
	capture_file_inject,
	NULL,			/* one line per frame */
	capture_file_stats,
};
