/*
 * parpd: command line.  Parses the options and the configuration; the
 * daemon proper lives in daemon.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT)
#include <malloc.h>
#endif

#include "conf.h"
#include "control.h"
#include "core.h"
#include "daemon.h"
#include "route.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONF SYSCONFDIR "/parpd.conf"

/*
 * The test entry (parpd.8, ENVIRONMENT): frames, interfaces and routes
 * through files in this directory instead of the system, so that the
 * daemon's tests run without root.  Honoured only in the foreground with
 * an absolute directory, so that a stray variable cannot turn a system
 * daemon into one that listens to nothing.
 */
#define TEST_BACKENDS_ENV "PARPD_TEST_BACKENDS"

#define USAGE "usage: parpd [-dfhnVv] [-c file] [-p pidfile] [file]\n" \
    "       parpd -n [-c file] -x interface requester target\n"

/*
 * -V: the version, then how routes are installed, so that a test (and an
 * operator) learns it from the binary itself: tests/integration/lib.sh
 * reads parpd's routes from the kernel or from the state file by this.
 */
static void
version(void)
{
	const struct route_ops *ops = route_default_ops();

	printf("parpd %s\n", PACKAGE_VERSION);
	if (ops->keeps_state)
		printf("routes: %s, state file %s\n", ops->name,
		    ROUTE_STATEFILE_DEFAULT);
	else
		printf("routes: %s, protocol %d\n", ops->name,
		    ROUTE_PROTO_PARPD);
}

/*
 * glibc gives a block of M_MMAP_THRESHOLD bytes or more a mapping of its
 * own, which realloc moves with mremap and free returns; but by default
 * each such block freed raises the threshold to its size (up to 32 MB),
 * and the heap's trim threshold to twice that.  After the host-route
 * set freed its old table, the cache's arrays of 8 and 16 MB grew in the
 * heap instead, by copies whose old places stayed resident: 28 MB free
 * in a heap of 51 MB at a million entries (malloc_info).  Setting the
 * threshold keeps both at glibc's defaults, so memory freed is returned.
 */
static void
malloc_policy(void)
{
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT) && \
    defined(M_MMAP_THRESHOLD)
	(void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

/* Asked for (-h): the usage on standard output, exit 0; else an error. */
static void
usage(int asked)
{
	fputs(USAGE, asked ? stdout : stderr);
	exit(asked ? 0 : 1);
}

/*
 * -n -x: which rule of the file decides a request, with an empty cache
 * and an interface without addresses, as parpctl explain would say it.
 */
static int
explain_offline(const struct conf *conf, const char *ifname,
    const char *requester, const char *target)
{
	struct control_env env;
	struct core_actions acts;
	struct core_ifinfo info;
	char line[CONTROL_REQUEST_MAX], *text = NULL;
	size_t i, len = 0;
	FILE *f;
	int rc;

	memset(&env, 0, sizeof(env));
	env.conf = conf;
	env.offline = true;
	if ((env.core = core_new(conf, 1, 0)) == NULL) {
		fprintf(stderr, "parpd: out of memory\n");
		return 1;
	}
	core_actions_init(&acts);
	memset(&info, 0, sizeof(info));
	for (i = 0; i < conf->nifaces; i++)
		if (strcmp(conf->ifaces[i].name, ifname) == 0)
			core_iface_up(env.core, (unsigned)i, &info, 0, &acts);
	core_actions_free(&acts);
	snprintf(line, sizeof(line), "text explain %s %s %s", ifname,
	    requester, target);
	/* The answer to stdout, a refusal (bad address...) to stderr. */
	if ((f = open_memstream(&text, &len)) == NULL) {
		core_free(env.core);
		return 1;
	}
	rc = control_command(&env, line, f) == 0 ? 0 : 1;
	if (fclose(f) == 0)
		fputs(text, rc == 0 ? stdout : stderr);
	free(text);
	core_free(env.core);
	return rc;
}

int
main(int argc, char *argv[])
{
	const char *path = NULL, *pidfile = NULL, *explain = NULL;
	int check = 0, verbose = 0, foreground = 0, debug = 0, ch, rc;
	char *abspath = NULL, routes[4096];
	const char *testdir;
	struct daemon_opts opts;
	struct conf *conf;

	while ((ch = getopt(argc, argv, "c:dfhnp:Vvx:")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'd':
			debug = 1;
			foreground = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'x':
			explain = optarg;
			break;
		case 'h':
			usage(1);
			break;
		case 'V':
			version();
			return 0;
		default:
			usage(0);
		}
	}
	argc -= optind;
	argv += optind;
	if (explain != NULL) {
		/* The operands are the request's two addresses. */
		if (!check || argc != 2)
			usage(0);
		if (path == NULL)
			path = DEFAULT_CONF;
		if ((conf = conf_parse_file(path, NULL, NULL)) == NULL)
			return 1;
		rc = explain_offline(conf, explain, argv[0], argv[1]);
		conf_free(conf);
		return rc;
	}
	/* The operand form keeps FreeBSD's rc.d habit of "parpd file". */
	if (argc > 1 || (argc == 1 && path != NULL))
		usage(0);
	if (argc == 1)
		path = argv[0];
	if (path == NULL)
		path = DEFAULT_CONF;

	conf = conf_parse_file(path, NULL, NULL);
	if (conf == NULL)
		return 1;
	if (check) {
		if (verbose)
			conf_print(stdout, conf);
		conf_free(conf);
		return 0;
	}
	if (pidfile != NULL && pidfile[0] != '/') {
		fprintf(stderr, "parpd: -p %s: the pidfile path must be "
		    "absolute\n", pidfile);
		conf_free(conf);
		return 1;
	}
	/* The daemon leaves the working directory; SIGHUP re-reads this. */
	if ((abspath = realpath(path, NULL)) != NULL)
		path = abspath;
	memset(&opts, 0, sizeof(opts));
	opts.conf_path = path;
	opts.pidfile = pidfile;
	opts.foreground = foreground != 0;
	opts.debug = debug != 0;
	opts.verbose = verbose != 0;
	if ((testdir = getenv(TEST_BACKENDS_ENV)) != NULL) {
		if (!foreground || testdir[0] != '/' ||
		    (size_t)snprintf(routes, sizeof(routes), "%s/routes",
		    testdir) >= sizeof(routes)) {
			fprintf(stderr, "parpd: %s is for tests only: it needs "
			    "-d or -f and an absolute directory\n",
			    TEST_BACKENDS_ENV);
			conf_free(conf);
			free(abspath);
			return 1;
		}
		opts.capture_ops = &capture_file_ops;
		opts.iface_ops = &iface_file_ops;
		opts.route_ops = &route_record_ops;
		opts.route_state = routes;
		opts.backend_dir = testdir;
		opts.keep_privs = true;
	}
	malloc_policy();
	rc = daemon_run(&opts, conf);
	free(abspath);
	return rc;
}
