/*
 * The control socket: every command against a core in process, with the
 * shell's part played by the test (control_cmd.c), and the server's
 * protocol over a real Unix socket in a temporary directory (control.c):
 * answers, errors, limits, idle clients, stale and live sockets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "conf.h"
#include "control.h"
#include "core.h"
#include "frames.h"
#include "testutil.h"

/* ---- commands against a core ---- */

static const char t_text[] =
    "interface em0\n"				/* line 1 */
    "\troutes\n"
    "\tstatic 198.51.100.99 02:00:00:00:00:99\n"
    "\trule 198.51.100.4/32 198.51.100.0/24 ignore\n"	/* line 4 */
    "\trule 198.51.100.0/24 198.51.100.0/24 tell\n"	/* line 5 */
    "\trule 192.0.2.0/24 198.51.100.0/24 delay 198.51.100.1\n"
    "end\n"
    "interface em1\n"
    "\trule 203.0.113.0/24 203.0.113.0/24 tell\n"	/* line 9 */
    "end\n";

static const uint8_t t_ifmac[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t t_c1mac[6] = { 2, 0, 0, 0, 0, 0xc1 };

struct t {
	struct conf *conf;
	struct core *core;
	struct core_actions acts;
	struct core_ifinfo info;
	struct control_env env;
	uint64_t now;
	int reload_result;
	size_t executed;	/* actions the shell was asked to carry out */
	size_t routes_deleted;
	char *out;
};

static void
t_counters(void *arg, control_counter_fn *fn, void *fnarg)
{
	(void)arg;
	fn(fnarg, "uptime_ms", 5);
	fn(fnarg, "reloads", 2);
}

static void
t_iface(void *arg, size_t i, struct control_iface *out)
{
	struct t *t = arg;

	out->up = i == 0;
	out->ifindex = i == 0 ? 7 : 0;
	out->info = i == 0 ? &t->info : NULL;
	out->rx_frames = 10 + i;
}

static bool
t_routed(void *arg, const struct core_entry_info *e)
{
	(void)arg;
	(void)e;
	return true;
}

static int
t_reload(void *arg, FILE *errors)
{
	struct t *t = arg;

	if (t->reload_result != 0)
		fprintf(errors, "t.conf:2:3: expected a rule\n");
	return t->reload_result;
}

static void
t_execute(void *arg)
{
	struct t *t = arg;
	size_t i;

	for (i = 0; i < t->acts.n; i++)
		if (t->acts.v[i].kind == CORE_ACT_ROUTE_DEL)
			t->routes_deleted++;
	t->executed += t->acts.n;
	core_actions_clear(&t->acts);
}

static const struct control_ops t_ops = {
	.counters = t_counters,
	.iface = t_iface,
	.routed = t_routed,
	.reload = t_reload,
	.execute = t_execute,
};

/* A request from spa at sha for tpa on em0. */
static void
t_arp(struct t *t, const uint8_t sha[6], const char *spa, const char *tpa)
{
	uint8_t f[FRAMES_BUFSIZE];
	struct addr_ip s = ip(spa), d = ip(tpa);
	size_t len;

	len = frames_arp(f, FRAMES_BCAST, sha, 1, sha, s.b, NULL, d.b, 60);
	core_input(t->core, 0, f, len, t->now, &t->acts);
	core_actions_clear(&t->acts);
}

static int
t_setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->conf = conf_parse_string("t.conf", t_text, strlen(t_text), NULL,
	    NULL);
	assert_non_null(t->conf);
	t->now = 1000000;
	t->core = core_new(t->conf, 1, t->now);
	assert_non_null(t->core);
	core_actions_init(&t->acts);
	memcpy(t->info.mac.b, t_ifmac, 6);
	t->info.addrs[0] = ip("198.51.100.254");
	t->info.plen[0] = 24;
	t->info.addrs[1] = ip("fe80::1");
	t->info.naddrs = 2;
	core_iface_up(t->core, 0, &t->info, t->now, &t->acts);
	core_actions_clear(&t->acts);
	/* c1 asks for someone: learned (and routed). */
	t_arp(t, t_c1mac, "198.51.100.2", "198.51.100.3");
	t->env.core = t->core;
	t->env.acts = &t->acts;
	t->env.conf = t->conf;
	t->env.now = t->now;
	t->env.ops = &t_ops;
	t->env.arg = t;
	*state = t;
	return 0;
}

static int
t_teardown(void **state)
{
	struct t *t = *state;

	free(t->out);
	core_actions_free(&t->acts);
	core_free(t->core);
	conf_free(t->conf);
	free(t);
	return 0;
}

/* The request's status; its body in t->out. */
static int
run(struct t *t, const char *line)
{
	size_t len = 0;
	FILE *f;
	int r;

	free(t->out);
	t->out = NULL;
	f = open_memstream(&t->out, &len);
	assert_non_null(f);
	r = control_command(&t->env, line, f);
	assert_int_equal(fclose(f), 0);
	return r;
}

static void
has(const struct t *t, const char *want)
{
	if (strstr(t->out, want) == NULL)
		fail_msg("\"%s\" not in:\n%s", want, t->out);
}

static void
has_not(const struct t *t, const char *unwanted)
{
	if (strstr(t->out, unwanted) != NULL)
		fail_msg("\"%s\" in:\n%s", unwanted, t->out);
}

static size_t
occurrences(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

static void
test_neighbors(void **state)
{
	struct t *t = *state;

	assert_int_equal(run(t, "text show neighbors"), 0);
	has(t, "ADDRESS");
	has(t, "198.51.100.2              02:00:00:00:00:c1 em0"
	    "             learned       300 yes\n");
	has(t, "198.51.100.99             02:00:00:00:00:99 em0"
	    "             static          - yes\n");
	/* The redirect router, still resolving: no MAC. */
	has(t, "198.51.100.1              -                 em0"
	    "             resolving       - no\n");
	assert_int_equal(run(t, "text show neighbors em0 198.51.100.2"), 0);
	has(t, "198.51.100.2 ");
	has_not(t, "198.51.100.99");
	assert_int_equal(run(t, "text show neighbors 198.51.100.96/28"), 0);
	has(t, "198.51.100.99");
	has_not(t, "198.51.100.2 ");
	assert_int_equal(run(t, "text show neighbors em1"), 0);
	has_not(t, "198.51.100.");
	assert_int_equal(run(t, "json show neighbors em0 198.51.100.2"), 0);
	has(t, "{\"neighbors\": [\n  {\"address\": \"198.51.100.2\", \"mac\": "
	    "\"02:00:00:00:00:c1\", \"interface\": \"em0\", \"state\": "
	    "\"learned\", \"expires\": 300, \"routed\": true, \"router\": "
	    "false, \"static\": false, \"confirmed\": false, \"established\": "
	    "false, \"probing\": false}\n]}\n");
	assert_int_equal(run(t, "text show neighbors em9"), -1);
	has(t, "no interface em9 in the configuration");
	assert_int_equal(run(t, "text show neighbors em0 em1"), -1);
	has(t, "usage: show neighbors");
}

/*
 * The exposition format's rule: each sample follows its family's TYPE
 * line, and no family appears twice.
 */
static void
prometheus_grouped(const char *text)
{
	char family[128] = "", seen[8192] = " ", line[256];
	const char *p = text, *nl;

	for (; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		char key[140];
		size_t n = (size_t)(nl - p);

		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		if (strncmp(line, "# TYPE ", 7) == 0) {
			assert_int_equal(sscanf(line + 7, "%127s", family), 1);
			snprintf(key, sizeof(key), " %s ", family);
			if (strstr(seen, key) != NULL)
				fail_msg("family %s twice", family);
			assert_true(strlen(seen) + strlen(family) + 2 <
			    sizeof(seen));
			strcat(seen, family);
			strcat(seen, " ");
			continue;
		}
		n = strcspn(line, "{ ");
		if (strlen(family) != n || strncmp(line, family, n) != 0)
			fail_msg("sample \"%s\" outside its family (%s)", line,
			    family);
	}
}

static void
test_counters(void **state)
{
	struct t *t = *state;

	assert_int_equal(run(t, "text show counters"), 0);
	has(t, "uptime_ms 5\nreloads 2\niface.em0.up 1\niface.em0.rx_frames "
	    "10\n");
	has(t, "iface.em1.up 0\n");
	has(t, "\nlearned 1\n");
	has(t, "\nentries 2\n");
	assert_int_equal(run(t, "json show counters"), 0);
	has(t, "{\"counters\": {\n  \"uptime_ms\": 5,\n  \"reloads\": 2");
	has(t, "\"iface.em1.rx_frames\": 11");
	assert_int_equal(run(t, "prometheus show counters"), 0);
	has(t, "# TYPE parpd_uptime_ms gauge\nparpd_uptime_ms 5\n");
	has(t, "# TYPE parpd_learned_total counter\nparpd_learned_total 1\n");
	/* A family's lines together, under one TYPE line. */
	has(t, "# TYPE parpd_iface_rx_frames_total counter\n"
	    "parpd_iface_rx_frames_total{iface=\"em0\"} 10\n"
	    "parpd_iface_rx_frames_total{iface=\"em1\"} 11\n");
	assert_int_equal(occurrences(t->out,
	    "# TYPE parpd_iface_up gauge\n"), 1);
	prometheus_grouped(t->out);
	assert_int_equal(run(t, "text show counters now"), -1);
}

static void
test_interfaces(void **state)
{
	struct t *t = *state;

	assert_int_equal(run(t, "text show interfaces"), 0);
	has(t, "em0: up, index 7, mac 02:00:00:00:00:01, addresses "
	    "198.51.100.254/24 fe80::1\n");
	has(t, "em1: down\n");
	assert_int_equal(run(t, "json show interfaces"), 0);
	has(t, "{\"name\": \"em0\", \"up\": true, \"index\": 7, \"mac\": "
	    "\"02:00:00:00:00:01\", \"addresses\": [{\"address\": "
	    "\"198.51.100.254\", \"prefixlen\": 24}, {\"address\": "
	    "\"fe80::1\", \"prefixlen\": null}], \"rx_frames\": 10");
	has(t, "{\"name\": \"em1\", \"up\": false, \"index\": null");
}

static void
test_rules(void **state)
{
	struct t *t = *state;

	t_arp(t, t_c1mac, "198.51.100.2", "198.51.100.99");
	t_arp(t, t_c1mac, "198.51.100.2", "198.51.100.99");
	t_arp(t, t_c1mac, "198.51.100.4", "198.51.100.99");
	assert_int_equal(run(t, "text show rules"), 0);
	has(t, "em0                 4          1  rule 198.51.100.4/32 "
	    "198.51.100.0/24 ignore\n");
	/* Two now and the learning request of the setup. */
	has(t, "em0                 5          3  rule 198.51.100.0/24 "
	    "198.51.100.0/24 tell\n");
	has(t, "em0                 6          0  rule 192.0.2.0/24 "
	    "198.51.100.0/24 delay 198.51.100.1\n");
	has(t, "em1                 9          0  rule 203.0.113.0/24");
	assert_int_equal(run(t, "text show rules em1"), 0);
	has_not(t, "em0 ");
	assert_int_equal(run(t, "json show rules em0"), 0);
	has(t, "{\"interface\": \"em0\", \"line\": 6, \"decided\": 0, \"src\": "
	    "\"192.0.2.0/24\", \"dst\": \"198.51.100.0/24\", \"action\": "
	    "\"redirect\", \"router\": \"198.51.100.1\", \"delay\": true, "
	    "\"verbose\": false}");
	assert_int_equal(run(t, "text show rules em0 em1"), -1);
}

static void
test_explain(void **state)
{
	struct t *t = *state;

	assert_int_equal(run(t, "text explain em0 198.51.100.10 198.51.100.2"),
	    0);
	assert_string_equal(t->out, "em0: 198.51.100.10 asking for "
	    "198.51.100.2: the rule at line 5 (tell) decides; parpd answers "
	    "with 02:00:00:00:00:c1 (198.51.100.2: learned, expires in 300 "
	    "s)\n");
	assert_int_equal(run(t, "text explain em0 198.51.100.4 198.51.100.2"),
	    0);
	has(t, "silent: the rule at line 4 (ignore) says ignore");
	assert_int_equal(run(t, "text explain em0 198.51.100.10 198.51.100.7"),
	    0);
	has(t, "silent: the rule at line 5 (tell) decides, but 198.51.100.7 "
	    "is not known on em0 yet");
	assert_int_equal(run(t, "text explain em0 192.0.2.9 198.51.100.7"), 0);
	has(t, "silent: the rule at line 6 (redirect to 198.51.100.1, delay) "
	    "waits: this request would be the 1st of the 4 it needs within "
	    "3 s");
	assert_int_equal(run(t, "text explain em0 203.0.113.1 198.51.100.7"),
	    0);
	has(t, "silent: no rule of em0 covers a request from 203.0.113.1");
	assert_int_equal(run(t, "text explain em0 198.51.100.2 "
	    "198.51.100.254"), 0);
	has(t, "silent: 198.51.100.254 is an address of em0 itself");
	assert_int_equal(run(t, "text explain em1 203.0.113.1 203.0.113.2"),
	    0);
	has(t, "silent: em1 is not up");
	assert_int_equal(run(t, "json explain em0 198.51.100.10 198.51.100.2"),
	    0);
	has(t, "{\"interface\": \"em0\", \"requester\": \"198.51.100.10\", "
	    "\"target\": \"198.51.100.2\", \"probe\": false, \"answered\": "
	    "true, \"reason\": \"answer\", \"mac\": \"02:00:00:00:00:c1\", "
	    "\"rule\": {\"line\": 5, \"action\": \"tell\"}, \"text\": \"em0: ");
	assert_int_equal(run(t, "json explain em0 198.51.100.4 198.51.100.2"),
	    0);
	has(t, "\"reason\": \"ignore\", \"mac\": null");
	/* Explaining counts nothing. */
	assert_int_equal(core_rule_hits(t->core, 0, 1), 1);
	assert_int_equal(run(t, "text explain em0 198.51.100.1 fe80::1"), -1);
	has(t, "not of one family");
	assert_int_equal(run(t, "text explain em9 198.51.100.1 198.51.100.2"),
	    -1);
	assert_int_equal(run(t, "text explain em0 198.51.100.1 nowhere"), -1);
	has(t, "expected an IPv4 or IPv6 address, got nowhere");
	assert_int_equal(run(t, "text explain em0 198.51.100.1"), -1);
	has(t, "usage: explain");
}

static void
test_reload_and_forget(void **state)
{
	struct t *t = *state;

	t->reload_result = -1;
	assert_int_equal(run(t, "text reload"), -1);
	assert_string_equal(t->out, "t.conf:2:3: expected a rule\n");
	assert_int_equal(run(t, "json reload"), -1);
	has(t, "t.conf:2:3: expected a rule\n");
	t->reload_result = 0;
	assert_int_equal(run(t, "text reload"), 0);
	assert_string_equal(t->out, "configuration reloaded\n");
	assert_int_equal(run(t, "json reload"), 0);
	assert_string_equal(t->out,
	    "{\"reloaded\": true, \"messages\": []}\n");
	assert_int_equal(run(t, "text forget 198.51.100.2"), 0);
	assert_string_equal(t->out, "forgot 198.51.100.2 (1 entry)\n");
	assert_int_equal(t->routes_deleted, 1);
	assert_int_equal(run(t, "json forget 198.51.100.2"), -1);
	has(t, "198.51.100.2 is not a learned entry");
	assert_int_equal(run(t, "text forget 198.51.100.99 em0"), -1);
	has(t, "198.51.100.99 is not a learned entry of em0");
	assert_int_equal(run(t, "text forget 198.51.100.99 em7"), -1);
	has(t, "no interface em7");
	/* Offline (parpd -n -x): nothing to reload or to forget. */
	t->env.ops = NULL;
	assert_int_equal(run(t, "text reload"), -1);
	has(t, "reload needs a running parpd");
	assert_int_equal(run(t, "text forget 198.51.100.2"), -1);
	assert_int_equal(run(t, "text show counters"), 0);
	has(t, "iface.em0.up 0\n");
}

static void
test_requests_refused(void **state)
{
	struct t *t = *state;

	assert_int_equal(run(t, ""), -1);
	has(t, "expected text, json or prometheus first");
	assert_int_equal(run(t, "xml show counters"), -1);
	assert_int_equal(run(t, "text"), -1);
	has(t, "unknown command");
	assert_int_equal(run(t, "text show"), -1);
	assert_int_equal(run(t, "text show everything"), -1);
	assert_int_equal(run(t, "prometheus show rules"), -1);
	has(t, "the Prometheus format is for show counters only");
	assert_int_equal(run(t, "text a b c d e f g h i"), -1);
	has(t, "too many words");
	assert_int_equal(run(t, "text   show \t version"), 0);
	has(t, "parpd ");
}

/* ---- the server over a socket ---- */

struct srv {
	char dir[40];
	char path[96];
	struct control *ctl;
	uint64_t now;
	size_t big;	/* the handler's body: this many bytes */
};

static int
srv_handler(void *arg, const char *line, FILE *out)
{
	struct srv *s = arg;
	size_t i;

	if (strcmp(line, "fail") == 0) {
		fprintf(out, "refused\n");
		return -1;
	}
	for (i = 0; i < s->big; i++)
		fputc('x', out);
	fprintf(out, "echo %s\n", line);
	return 0;
}

/* Serve for up to ms (in slices), or once when ms is 0. */
static void
srv_pump(struct srv *s, int ms)
{
	struct pollfd pfd[CONTROL_POLLFDS];
	size_t n;

	do {
		n = control_pollfds(s->ctl, pfd);
		if (poll(pfd, (nfds_t)n, 10) > 0)
			control_service(s->ctl, pfd, n, s->now, srv_handler, s);
		ms -= 10;
	} while (ms > 0);
}

static int
srv_connect(const struct srv *s)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", s->path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Everything until EOF, serving meanwhile; NULL if none in 2 s. */
static char *
srv_answer(struct srv *s, int fd)
{
	static char buf[65536];
	size_t len = 0;
	int tries;

	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	for (tries = 0; tries < 200; tries++) {
		ssize_t n;

		srv_pump(s, 0);
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n == 0) {
			buf[len] = '\0';
			close(fd);
			return buf;
		}
		if (n > 0)
			len += (size_t)n;
	}
	close(fd);
	return NULL;
}

static char *
srv_ask(struct srv *s, const char *req)
{
	int fd = srv_connect(s);

	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	return srv_answer(s, fd);
}

static int
srv_setup(void **state)
{
	struct srv *s = calloc(1, sizeof(*s));
	char err[256];

	assert_non_null(s);
	snprintf(s->dir, sizeof(s->dir), "/tmp/parpd-control.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->path, sizeof(s->path), "%s/sock", s->dir);
	s->ctl = control_open(s->path, NULL, err, sizeof(err));
	if (s->ctl == NULL)
		fail_msg("control_open: %s", err);
	s->now = 1000;
	*state = s;
	return 0;
}

static int
srv_teardown(void **state)
{
	struct srv *s = *state;
	char p[160];

	control_close(s->ctl);
	snprintf(p, sizeof(p), "%s/other", s->dir);
	(void)unlink(p);
	(void)unlink(s->path);
	assert_int_equal(rmdir(s->dir), 0);
	free(s);
	return 0;
}

static void
test_server_answers(void **state)
{
	struct srv *s = *state;
	struct stat st;
	char *a;

	assert_int_equal(stat(s->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);
	a = srv_ask(s, "text show counters\n");
	assert_non_null(a);
	assert_string_equal(a, "ok\necho text show counters\n");
	/* CR LF, and what follows the first line, are taken as one line. */
	a = srv_ask(s, "text one\r\ntext two\n");
	assert_string_equal(a, "ok\necho text one\n");
	a = srv_ask(s, "fail\n");
	assert_string_equal(a, "error\nrefused\n");
	assert_int_equal(control_counters(s->ctl)->requests, 3);
	assert_int_equal(control_counters(s->ctl)->errors, 1);
}

static void
test_server_bad_requests(void **state)
{
	struct srv *s = *state;
	char big[CONTROL_REQUEST_MAX + 10];
	char *a;
	int fd;

	memset(big, 'a', sizeof(big));
	fd = srv_connect(s);
	assert_int_equal(write(fd, big, sizeof(big)), (ssize_t)sizeof(big));
	a = srv_answer(s, fd);
	assert_non_null(a);
	assert_string_equal(a, "error\nrequest too long\n");
	fd = srv_connect(s);
	assert_int_equal(write(fd, "text\0x\n", 7), 7);
	assert_string_equal(srv_answer(s, fd), "error\nNUL in the request\n");
	/* Gone before the end of its line: closed, nothing served. */
	fd = srv_connect(s);
	assert_int_equal(write(fd, "text sh", 7), 7);
	close(fd);
	srv_pump(s, 50);
	assert_int_equal(control_counters(s->ctl)->requests, 0);
	assert_int_equal(control_counters(s->ctl)->refused, 3);
}

static void
test_server_limits(void **state)
{
	struct srv *s = *state;
	int fds[CONTROL_CLIENTS_MAX], fd, i;
	char *a;

	/* Clients that connect and say nothing hold every slot... */
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		fds[i] = srv_connect(s);
		srv_pump(s, 20);
	}
	/* ...so one more is told, not kept waiting. */
	fd = srv_connect(s);
	a = srv_answer(s, fd);
	assert_non_null(a);
	assert_string_equal(a, "error\nbusy: too many clients\n");
	assert_true(control_next_deadline(s->ctl) == s->now + CONTROL_IDLE_MS);
	/* Idle too long: closed, and the slots free again. */
	control_expire(s->ctl, s->now + CONTROL_IDLE_MS - 1);
	a = srv_ask(s, "still busy\n");
	assert_string_equal(a, "error\nbusy: too many clients\n");
	control_expire(s->ctl, s->now + CONTROL_IDLE_MS);
	for (i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		char c;

		assert_int_equal(read(fds[i], &c, 1), 0);
		close(fds[i]);
	}
	assert_true(control_next_deadline(s->ctl) == UINT64_MAX);
	assert_string_equal(srv_ask(s, "again\n"), "ok\necho again\n");
}

/* A client that asks for much and never reads cannot hold parpd. */
static void
test_server_client_never_reads(void **state)
{
	struct srv *s = *state;
	int fd, i;

	s->big = 8u << 20;
	fd = srv_connect(s);
	assert_int_equal(write(fd, "big\n", 4), 4);
	for (i = 0; i < 20; i++)
		srv_pump(s, 0); /* returns although the client reads nothing */
	s->big = 0;
	/* Others are served meanwhile. */
	assert_string_equal(srv_ask(s, "small\n"), "ok\necho small\n");
	control_expire(s->ctl, s->now + CONTROL_IDLE_MS);
	assert_int_equal(control_counters(s->ctl)->refused, 1);
	close(fd);
}

static void
test_server_socket_files(void **state)
{
	struct srv *s = *state;
	struct sockaddr_un sun;
	char err[256], other[96];
	struct control *c2;
	int fd;

	/* A live socket is never taken over. */
	assert_int_equal(control_check(s->path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "in use"));
	assert_null(control_open(s->path, NULL, err, sizeof(err)));
	assert_string_equal(strstr(err, "in use"), "in use by another running "
	    "parpd");
	/* A stale one (bound, nobody listening) is replaced. */
	snprintf(other, sizeof(other), "%s/other", s->dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", other);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(control_check(other, err, sizeof(err)), 0);
	assert_int_equal(access(other, F_OK), 0);
	c2 = control_open(other, NULL, err, sizeof(err));
	if (c2 == NULL)
		fail_msg("stale socket not replaced: %s", err);
	control_close(c2);
	assert_int_equal(access(other, F_OK), -1);
	/* Not a socket: left alone. */
	fd = open(other, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_null(control_open(other, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "exists and is not a socket"));
	assert_int_equal(access(other, F_OK), 0);
	assert_null(control_open(other, "no-such-group-here", err,
	    sizeof(err)));
	assert_int_equal(unlink(other), 0);
	assert_null(control_open(other, "no-such-group-here", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "no such group"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, t_setup, t_teardown)
#define S(fn) cmocka_unit_test_setup_teardown(fn, srv_setup, srv_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_neighbors),
		T(test_counters),
		T(test_interfaces),
		T(test_rules),
		T(test_explain),
		T(test_reload_and_forget),
		T(test_requests_refused),
		S(test_server_answers),
		S(test_server_bad_requests),
		S(test_server_limits),
		S(test_server_client_never_reads),
		S(test_server_socket_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
