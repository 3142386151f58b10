/*
 * parpctl: asks a running parpd through its control socket (control.h,
 * parpctl(8)).  It sends one request line and prints the answer; parpd
 * does the work, so the client stays small and has no state.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "control.h"

#define PARPCTL_TIMEOUT_MS 10000 /* for the whole answer */

static void
parpctl_usage(FILE *f)
{
	fprintf(f, "usage: parpctl [-jpV] [-s socket] command [argument ...]\n"
	    "commands:\n"
	    "  show neighbors [interface] [prefix]\n"
	    "  show counters            (-p: Prometheus text format)\n"
	    "  show interfaces\n"
	    "  show rules [interface]\n"
	    "  show version\n"
	    "  explain interface requester target\n"
	    "  reload\n"
	    "  forget address [interface]\n");
}

struct parpctl_opts {
	const char *socket;
	const char *format;
	char request[CONTROL_REQUEST_MAX];
	size_t len;
};

/* Options may stand anywhere ("parpctl show counters -p"). */
static int
parpctl_args(int argc, char **argv, struct parpctl_opts *o)
{
	int i, n;

	o->socket = CONF_DEFAULT_CONTROL;
	o->format = "text";
	o->len = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0') {
			n = snprintf(o->request + o->len,
			    sizeof(o->request) - o->len, " %s", a);
			if (n < 0 || (size_t)n >= sizeof(o->request) - o->len) {
				fprintf(stderr, "parpctl: request too long\n");
				return 2;
			}
			o->len += (size_t)n;
			continue;
		}
		if (strncmp(a, "-s", 2) == 0) {
			if (a[2] != '\0')
				o->socket = a + 2;
			else if (i + 1 < argc)
				o->socket = argv[++i];
			else {
				parpctl_usage(stderr);
				return 2;
			}
			continue;
		}
		for (a++; *a != '\0'; a++) {
			switch (*a) {
			case 'j':
				o->format = "json";
				break;
			case 'p':
				o->format = "prometheus";
				break;
			case 'V':
				printf("parpctl %s\n", PACKAGE_VERSION);
				return 0;
			case 'h':
				parpctl_usage(stdout);
				return 0;
			default:
				parpctl_usage(stderr);
				return 2;
			}
		}
	}
	if (o->len == 0) {
		parpctl_usage(stderr);
		return 2;
	}
	return -1;
}

static int
parpctl_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "parpctl: %s: name too long for a socket\n",
		    path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		fprintf(stderr, "parpctl: socket: %s\n", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fprintf(stderr, "parpctl: %s: %s (is parpd running?)\n", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static uint64_t
parpctl_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The whole answer, until parpd closes; NULL on error or timeout. */
static char *
parpctl_read(int fd, size_t *len)
{
	uint64_t end = parpctl_ms() + PARPCTL_TIMEOUT_MS;
	size_t cap = 65536;
	char *buf = malloc(cap + 1), *nb;
	ssize_t n;

	*len = 0;
	while (buf != NULL) {
		struct pollfd p = { fd, POLLIN, 0 };
		uint64_t now = parpctl_ms();

		if (now >= end || poll(&p, 1, (int)(end - now)) == 0) {
			fprintf(stderr, "parpctl: no complete answer within "
			    "%d s\n", PARPCTL_TIMEOUT_MS / 1000);
			break;
		}
		if ((n = read(fd, buf + *len, cap - *len)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "parpctl: read: %s\n", strerror(errno));
			break;
		}
		if (n == 0) {
			buf[*len] = '\0';
			return buf;
		}
		*len += (size_t)n;
		if (*len == cap) {
			if ((nb = realloc(buf, cap * 2 + 1)) == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	free(buf);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct parpctl_opts o;
	char line[CONTROL_REQUEST_MAX + 16], *ans, *body;
	size_t len;
	int fd, r, n;
	bool ok;

	if ((r = parpctl_args(argc, argv, &o)) >= 0)
		return r;
	n = snprintf(line, sizeof(line), "%s%s\n", o.format, o.request);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		fprintf(stderr, "parpctl: request too long\n");
		return 2;
	}
	if ((fd = parpctl_connect(o.socket)) < 0)
		return 2;
	if (write(fd, line, (size_t)n) != n) {
		fprintf(stderr, "parpctl: write: %s\n", strerror(errno));
		close(fd);
		return 2;
	}
	ans = parpctl_read(fd, &len);
	close(fd);
	if (ans == NULL)
		return 2;
	if ((body = strchr(ans, '\n')) == NULL) {
		fprintf(stderr, "parpctl: no status line in the answer\n");
		free(ans);
		return 2;
	}
	*body++ = '\0';
	ok = strcmp(ans, "ok") == 0;
	if (!ok && strcmp(ans, "error") != 0) {
		fprintf(stderr, "parpctl: unknown status %s\n", ans);
		free(ans);
		return 2;
	}
	fputs(body, ok ? stdout : stderr);
	free(ans);
	if (fflush(stdout) != 0)
		return 2;
	return ok ? 0 : 1;
}
