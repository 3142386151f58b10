/*
 * The protocol core with a fake clock: frames in (built byte by byte by
 * tests/frames.h), action lists out, compared exactly.  Answers are
 * compared byte for byte against frames built independently of the
 * codec.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "frames.h"
#include "testutil.h"

#define T_IFACES 3
#define T_RULES 16
#define T_STATICS 4

/* The interfaces' own MACs. */
static const uint8_t t_mac0[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t t_mac1[6] = { 0x02, 0, 0, 0, 0, 0x02 };
#define T_MAC0 t_mac0
#define T_MAC1 t_mac1

/*
 * A configuration being written: the tests add interfaces, rules and
 * statics, t_start (or t_conf) writes them as parpd.conf text and parses
 * it with conf_parse_string, as parpd does with its file.
 */
#define T_TEXT 4096

struct t {
	struct conf_cache cache;
	struct {
		char name[CONF_IFNAMSIZ];
		bool routes;
		char body[T_TEXT]; /* rule and static lines */
	} ifaces[T_IFACES];
	size_t nifaces;
	struct conf *conf; /* parsed by t_conf */
	struct core *core;
	struct core_actions acts;
	uint64_t now;
	uint64_t seed;
	uint8_t frame[FRAMES_BUFSIZE];
	size_t len;
};

/* ---- addresses ---- */

static const uint8_t *
ipb(const char *s)
{
	/* Rotating buffers: several may be alive in one call. */
	static uint8_t buf[8][16];
	static unsigned n;
	struct addr_ip a = ip(s);
	uint8_t *b = buf[n++ % 8];

	memcpy(b, a.b, 16);
	return b;
}

/* 00:00:5e:00:53:n, the documentation range of RFC 7042. */
static const uint8_t *
mac(unsigned n)
{
	static uint8_t buf[8][6];
	static unsigned k;
	uint8_t *b = buf[k++ % 8];

	b[0] = 0;
	b[1] = 0;
	b[2] = 0x5e;
	b[3] = 0;
	b[4] = 0x53;
	b[5] = (uint8_t)n;
	return b;
}

static struct addr_mac
amac(const uint8_t *b)
{
	struct addr_mac m;

	memcpy(m.b, b, 6);
	return m;
}

/* ---- configuration, as text ---- */

/* The cache settings of an empty file: the parser's defaults. */
static void
t_defaults(struct t *t)
{
	struct conf *c = conf_parse_string("empty.conf", "", 0, NULL, NULL);

	assert_non_null(c);
	t->cache = c->cache;
	conf_free(c);
}

static unsigned
t_iface(struct t *t, const char *name, bool routes)
{
	unsigned i = (unsigned)t->nifaces++;

	assert_true(i < T_IFACES);
	snprintf(t->ifaces[i].name, sizeof(t->ifaces[i].name), "%s", name);
	t->ifaces[i].routes = routes;
	t->ifaces[i].body[0] = '\0';
	return i;
}

static void
t_line(struct t *t, unsigned i, const char *fmt, ...)
{
	char *body = t->ifaces[i].body;
	size_t used = strlen(body);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body + used, T_TEXT - used, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < T_TEXT - used);
}

/* action: "ignore", "tell" or a router address. */
static void
t_rule(struct t *t, unsigned i, const char *src, const char *dst,
    unsigned flags, const char *action)
{
	t_line(t, i, "\trule %s %s%s%s %s\n", src, dst,
	    (flags & CONF_RULE_DELAY) ? " delay" : "",
	    (flags & CONF_RULE_VERBOSE) ? " verbose" : "", action);
}

static void
t_static(struct t *t, unsigned i, const char *addr, const uint8_t *m)
{
	t_line(t, i, "\tstatic %s %02x:%02x:%02x:%02x:%02x:%02x\n", addr,
	    m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* "static ADDR MAC router": the owner is a router (R=1). */
static void
t_static_router(struct t *t, unsigned i, const char *addr, const uint8_t *m)
{
	t_line(t, i, "\tstatic %s %02x:%02x:%02x:%02x:%02x:%02x router\n",
	    addr, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void
t_diag(void *arg, const struct conf_diag *d)
{
	(void)arg;
	print_error("t.conf:%u:%u: %s%s\n", d->line, d->column,
	    d->warning ? "warning: " : "", d->message);
}

/* Seconds with milliseconds, as parpd.conf writes durations. */
static void
t_seconds(FILE *f, uint32_t ms)
{
	fprintf(f, "%u.%03u", ms / 1000, ms % 1000);
}

/* t's configuration as text, parsed; freed with t. */
static const struct conf *
t_conf(struct t *t)
{
	const struct conf_cache *c = &t->cache;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	fprintf(f, "cache\n\ttimeout ");
	t_seconds(f, c->timeout_ms);
	fprintf(f, "\n\ttablesize %u\n\tlimit %u\n\trefresh %u*",
	    (unsigned)c->tablesize, (unsigned)c->limit,
	    (unsigned)c->refresh_count);
	t_seconds(f, c->refresh_interval_ms);
	fprintf(f, "\n\tdelay %u*", (unsigned)c->delay_count);
	t_seconds(f, c->delay_window_ms);
	fprintf(f, "\nend\n");
	for (i = 0; i < t->nifaces; i++)
		fprintf(f, "interface %s\n%s%send\n", t->ifaces[i].name,
		    t->ifaces[i].routes ? "\troutes\n" : "",
		    t->ifaces[i].body);
	assert_int_equal(fclose(f), 0);
	conf_free(t->conf);
	t->conf = conf_parse_string("t.conf", text, len, t_diag, NULL);
	if (t->conf == NULL)
		fail_msg("the test's configuration does not parse:\n%s", text);
	free(text);
	return t->conf;
}

/* The line of interface i's rule n in the text. */
static unsigned
t_rule_line(struct t *t, unsigned i, size_t n)
{
	assert_non_null(t->conf);
	assert_true(i < t->conf->nifaces && n < t->conf->ifaces[i].nrules);
	return t->conf->ifaces[i].rules[n].line;
}

static void
t_start(struct t *t)
{
	t->core = core_new(t_conf(t), t->seed, t->now);
	assert_non_null(t->core);
}

static const struct core_counters *
cnt(struct t *t)
{
	return core_counters(t->core);
}

/* em0: 02:00:00:00:00:01, 198.51.100.254 and fe80::1. */
static void
t_up(struct t *t, unsigned i)
{
	struct core_ifinfo info;

	memset(&info, 0, sizeof(info));
	if (i == 0) {
		info.mac = amac(T_MAC0);
		info.addrs[0] = ip("2001:db8:1::fe");
		info.addrs[1] = ip("198.51.100.254");
		info.addrs[2] = ip("fe80::1");
		info.naddrs = 3;
	} else {
		info.mac = amac(T_MAC1);
		info.addrs[0] = ip("203.0.113.254");
		info.addrs[1] = ip("fe80::2");
		info.naddrs = 2;
	}
	core_actions_clear(&t->acts);
	core_iface_up(t->core, i, &info, t->now, &t->acts);
}

static const uint8_t *
ifmac(unsigned i)
{
	return i == 0 ? T_MAC0 : T_MAC1;
}

static int
t_setup(void **state)
{
	struct t *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t_defaults(t);
	t->now = 1000000;
	t->seed = 0x5eed;
	core_actions_init(&t->acts);
	*state = t;
	return 0;
}

static int
t_teardown(void **state)
{
	struct t *t = *state;

	core_free(t->core);
	conf_free(t->conf);
	core_actions_free(&t->acts);
	free(t);
	return 0;
}

/* ---- input ---- */

static size_t
t_feed(struct t *t, unsigned i)
{
	core_actions_clear(&t->acts);
	core_input(t->core, i, t->frame, t->len, t->now, &t->acts);
	return t->acts.n;
}

static size_t
t_timer(struct t *t, uint64_t now)
{
	t->now = now;
	core_actions_clear(&t->acts);
	core_timer(t->core, now, &t->acts);
	return t->acts.n;
}

/* Broadcast ARP request from (spa, sha) for tpa, Ethernet source sha. */
static size_t
arp_req(struct t *t, unsigned i, const char *spa, const uint8_t *sha,
    const char *tpa)
{
	t->len = frames_arp(t->frame, FRAMES_BCAST, sha, 1, sha, ipb(spa),
	    NULL, ipb(tpa), 60);
	return t_feed(t, i);
}

static size_t
arp_raw(struct t *t, unsigned i, const uint8_t *dst, const uint8_t *src,
    unsigned op, const uint8_t *sha, const char *spa, const uint8_t *tha,
    const char *tpa)
{
	t->len = frames_arp(t->frame, dst, src, op, sha, ipb(spa), tha,
	    ipb(tpa), 60);
	return t_feed(t, i);
}

/* The answer of host (ip, m) to parpd's query on interface i. */
static size_t
arp_answer(struct t *t, unsigned i, const char *hostip, const uint8_t *m)
{
	return arp_raw(t, i, ifmac(i), m, 2, m, hostip, ifmac(i),
	    i == 0 ? "198.51.100.254" : "203.0.113.254");
}

static void
solicited_node(const uint8_t *target, uint8_t grp[16], uint8_t gmac[6])
{
	static const uint8_t pfx[13] = { 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0xff };

	memcpy(grp, pfx, 13);
	memcpy(grp + 13, target + 13, 3);
	gmac[0] = gmac[1] = 0x33;
	memcpy(gmac + 2, grp + 12, 4);
}

/* NS from (src, m) for target to its solicited-node group; m NULL: DAD. */
static size_t
ns(struct t *t, unsigned i, const char *src, const uint8_t *ethsrc,
    const uint8_t *slla, const char *target)
{
	uint8_t grp[16], gmac[6], opt[8];
	const uint8_t *tb = ipb(target);

	solicited_node(tb, grp, gmac);
	t->len = frames_nd(t->frame, gmac, ethsrc, ipb(src), grp, 255,
	    FRAMES_ND_NS, 0, 0, tb, opt,
	    slla != NULL ? frames_opt_lla(opt, FRAMES_OPT_SLLA, slla) : 0);
	return t_feed(t, i);
}

static size_t
na(struct t *t, unsigned i, const uint8_t *ethdst, const uint8_t *ethsrc,
    const char *src, const char *dst, const char *target, unsigned flags,
    const uint8_t *tlla)
{
	uint8_t opt[8];

	t->len = frames_nd(t->frame, ethdst, ethsrc, ipb(src), ipb(dst), 255,
	    FRAMES_ND_NA, 0, flags, ipb(target), opt,
	    tlla != NULL ? frames_opt_lla(opt, FRAMES_OPT_TLLA, tlla) : 0);
	return t_feed(t, i);
}

/* ---- expectations ---- */

static const struct core_action *
act(struct t *t, size_t k, enum core_action_kind kind, unsigned i)
{
	const struct core_action *a;

	assert_true(k < t->acts.n);
	a = &t->acts.v[k];
	assert_int_equal(a->kind, kind);
	assert_int_equal(a->iface, i);
	return a;
}

static void
want_frame(struct t *t, size_t k, unsigned i, const uint8_t *f, size_t len)
{
	const struct core_action *a = act(t, k, CORE_ACT_SEND, i);

	assert_int_equal(a->u.send.len, len);
	assert_memory_equal(a->u.send.frame, f, len);
}

/* parpd's ARP reply: Ethernet source is always the interface's MAC. */
static void
want_arp_reply(struct t *t, size_t k, unsigned i, const uint8_t *sha,
    const char *spa, const uint8_t *tha, const char *tpa)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t len = frames_arp(f, tha, ifmac(i), 2, sha, ipb(spa), tha,
	    ipb(tpa), 60);

	want_frame(t, k, i, f, len);
}

/* parpd's own ARP query: to dst (a MAC or broadcast). */
static void
want_arp_query(struct t *t, size_t k, unsigned i, const uint8_t *dst,
    const char *spa, const char *tpa)
{
	uint8_t f[FRAMES_BUFSIZE];
	size_t len = frames_arp(f, dst, ifmac(i), 1, ifmac(i), ipb(spa),
	    NULL, ipb(tpa), 60);

	want_frame(t, k, i, f, len);
}

static void
want_na(struct t *t, size_t k, unsigned i, const uint8_t *ethdst,
    const char *target, const char *dst, unsigned flags, const uint8_t *tlla)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8];
	/* RFC 4861 4.4: sourced from the interface's link-local address. */
	size_t len = frames_nd(f, ethdst, ifmac(i),
	    ipb(i == 0 ? "fe80::1" : "fe80::2"), ipb(dst), 255,
	    FRAMES_ND_NA, 0, flags, ipb(target), opt,
	    frames_opt_lla(opt, FRAMES_OPT_TLLA, tlla));

	want_frame(t, k, i, f, len);
}

/* parpd's NS from the interface's link-local; ethdst NULL: multicast. */
static void
want_ns(struct t *t, size_t k, unsigned i, const uint8_t *ethdst,
    const char *target)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8], grp[16], gmac[6];
	const uint8_t *tb = ipb(target);
	size_t len;

	solicited_node(tb, grp, gmac);
	len = frames_nd(f, ethdst != NULL ? ethdst : gmac, ifmac(i),
	    ipb(i == 0 ? "fe80::1" : "fe80::2"), ethdst != NULL ? tb : grp,
	    255, FRAMES_ND_NS, 0, 0, tb, opt,
	    frames_opt_lla(opt, FRAMES_OPT_SLLA, ifmac(i)));
	want_frame(t, k, i, f, len);
}

static void
want_route(struct t *t, size_t k, enum core_action_kind kind, unsigned i,
    const char *addr)
{
	const struct core_action *a = act(t, k, kind, i);
	struct addr_ip want = ip(addr);

	assert_true(addr_ip_equal(&a->u.route, &want));
}

/* A route action's interface, by index (CORE_NO_IFACE) and by name. */
static void
want_route_on(struct t *t, size_t k, enum core_action_kind kind, unsigned i,
    const char *ifname, const char *addr)
{
	want_route(t, k, kind, i, addr);
	assert_string_equal(t->acts.v[k].ifname, ifname);
}

static const struct core_log *
want_log(struct t *t, size_t k, unsigned i, enum core_event ev,
    const char *host)
{
	const struct core_action *a = act(t, k, CORE_ACT_LOG, i);

	assert_int_equal(a->u.log.event, ev);
	if (host != NULL) {
		struct addr_ip want = ip(host);

		assert_true(addr_ip_equal(&a->u.log.requester, &want));
	}
	return &a->u.log;
}

static bool
entry(struct t *t, const char *addr, struct core_entry_info *e)
{
	struct addr_ip a = ip(addr);

	return core_lookup(t->core, 0, &a, e);
}

static void
want_entry(struct t *t, const char *addr, unsigned i, const uint8_t *m)
{
	struct core_entry_info e;

	assert_true(entry(t, addr, &e));
	assert_int_equal(e.iface, i);
	assert_memory_equal(e.mac.b, m, 6);
}

static void
want_no_entry(struct t *t, const char *addr)
{
	struct core_entry_info e;

	assert_false(entry(t, addr, &e));
}

/* The log line of action k, against a printf format. */
static void
t_logfmt(struct t *t, size_t k, const char *fmt, ...)
{
	char buf[256], want[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	core_log_format(t->core, &t->acts.v[k], buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* ---- IPv4: tell, ignore, verbose, no match ---- */

/* em0: one tell rule for the LAN. */
static void
lan_tell(struct t *t, unsigned flags)
{
	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", flags, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 0);
}

/* lan_tell for IPv4 and for every IPv6 address. */
static void
lan_tell46(struct t *t)
{
	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "::/0", 0, "tell");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
}

static void
test_tell_answers_with_learned_mac(void **state)
{
	struct t *t = *state;

	lan_tell(t, 0);
	/* B asks for an unknown host: B is learned, nothing answered. */
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.20");
	assert_int_equal(t->acts.v[0].u.log.level, CORE_LOG_DEBUG);
	t_logfmt(t, 0, "em0: learned 198.51.100.20 at 00:00:5e:00:53:20");
	assert_int_equal(cnt(t)->missing, 1);
	/* A asks for B: learned, and told B's MAC, unicast to A. */
	assert_int_equal(arp_req(t, 0, "198.51.100.10", mac(0x10),
	    "198.51.100.20"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.10");
	want_arp_reply(t, 1, 0, mac(0x20), "198.51.100.20", mac(0x10),
	    "198.51.100.10");
	/* Again: no new learning, the same answer. */
	assert_int_equal(arp_req(t, 0, "198.51.100.10", mac(0x10),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(0x10),
	    "198.51.100.10");
	assert_int_equal(cnt(t)->answered, 2);
	assert_int_equal(cnt(t)->learned, 2);
	assert_int_equal(cnt(t)->rx_frames, 3);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
}

/* Never answered: announcements, the owner asking with its own MAC. */
static void
test_tell_silences(void **state)
{
	struct t *t = *state;

	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	/* An announcement (sender == target): learned, never answered. */
	assert_int_equal(arp_req(t, 0, "198.51.100.21", mac(0x21),
	    "198.51.100.21"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.21");
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.20"), 0);
	assert_int_equal(cnt(t)->announcements, 2);
	/* A second address of B's asking for B. */
	assert_int_equal(arp_req(t, 0, "198.51.100.22", mac(0x20),
	    "198.51.100.20"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.22");
	assert_int_equal(cnt(t)->ignored, 1);
	assert_int_equal(cnt(t)->answered, 0);
	/*
	 * A MAC change is logged and used, once the old MAC has not
	 * answered a query for the interface timeout (1 s).
	 */
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x23),
	    "198.51.100.30"), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	t->now += 1001;
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x23),
	    "198.51.100.30"), 1);
	want_log(t, 0, 0, CORE_EV_CHANGED, "198.51.100.20");
	assert_int_equal(t->acts.v[0].u.log.level, CORE_LOG_INFO);
	t_logfmt(t, 0, "em0: 198.51.100.20 changed from 00:00:5e:00:53:20 "
	    "to 00:00:5e:00:53:23");
	assert_int_equal(arp_req(t, 0, "198.51.100.22", mac(0x20),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x23), "198.51.100.20", mac(0x20),
	    "198.51.100.22");
}

static void
test_verbose_decided_and_missing(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	lan_tell(t, CONF_RULE_VERBOSE);
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.20");
	l = want_log(t, 1, 0, CORE_EV_MISSING, "198.51.100.20");
	assert_int_equal(l->rule_line, t_rule_line(t, 0, 0));
	assert_int_equal(l->level, CORE_LOG_INFO);
	assert_int_equal(l->action, CONF_ACTION_TELL);
	t_logfmt(t, 1, "em0: line %u: 198.51.100.20 asks for "
	    "198.51.100.30: tell, but 198.51.100.30 is not known on em0",
	    t_rule_line(t, 0, 0));
	assert_int_equal(arp_req(t, 0, "198.51.100.30", mac(0x30),
	    "198.51.100.20"), 3);
	want_arp_reply(t, 1, 0, mac(0x20), "198.51.100.20", mac(0x30),
	    "198.51.100.30");
	l = want_log(t, 2, 0, CORE_EV_DECIDED, "198.51.100.30");
	assert_int_equal(l->rule_line, t_rule_line(t, 0, 0));
	assert_true(l->answered);
	assert_memory_equal(l->mac.b, mac(0x20), 6);
	t_logfmt(t, 2, "em0: line %u: 198.51.100.30 asks for "
	    "198.51.100.20: tell, answered with 00:00:5e:00:53:20",
	    t_rule_line(t, 0, 0));
	/* Outside the rule's prefixes: no rule, no log, not learned. */
	assert_int_equal(arp_req(t, 0, "192.0.2.1", mac(0x31),
	    "198.51.100.20"), 0);
	want_no_entry(t, "192.0.2.1");
	assert_int_equal(cnt(t)->not_learnable, 1);
	assert_int_equal(cnt(t)->ignored, 1);
}

static void
test_ignore_rule(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/29", 0, "ignore");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.8/29", CONF_RULE_VERBOSE,
	    "ignore");
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.2", mac(2), "198.51.100.99");
	arp_req(t, 0, "198.51.100.9", mac(9), "198.51.100.99");
	assert_int_equal(arp_req(t, 0, "198.51.100.99", mac(0x99),
	    "198.51.100.2"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.99");
	assert_int_equal(arp_req(t, 0, "198.51.100.99", mac(0x99),
	    "198.51.100.9"), 1);
	l = want_log(t, 0, 0, CORE_EV_DECIDED, "198.51.100.99");
	assert_int_equal(l->rule_line, t_rule_line(t, 0, 1));
	assert_false(l->answered);
	assert_int_equal(l->action, CONF_ACTION_IGNORE);
	t_logfmt(t, 0, "em0: line %u: 198.51.100.99 asks for "
	    "198.51.100.9: ignore, no answer", t_rule_line(t, 0, 1));
	assert_int_equal(cnt(t)->ignored, 2);
	/* Falls through to tell. */
	assert_int_equal(arp_req(t, 0, "198.51.100.2", mac(2),
	    "198.51.100.99"), 1);
	want_arp_reply(t, 0, 0, mac(0x99), "198.51.100.99", mac(2),
	    "198.51.100.2");
}

/* tell answers only with an entry of the same interface. */
static void
test_tell_same_interface_only(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_rule(t, 1, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	t_up(t, 1);
	arp_req(t, 1, "203.0.113.7", mac(7), "203.0.113.8");
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "203.0.113.7"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.5");
	assert_int_equal(cnt(t)->missing, 2);
	assert_int_equal(arp_req(t, 1, "203.0.113.8", mac(8),
	    "203.0.113.7"), 2);
	want_arp_reply(t, 1, 1, mac(7), "203.0.113.7", mac(8),
	    "203.0.113.8");
}

/*
 * Learning scope: an interface learns only addresses in the DST of one of
 * its tell rules, its redirect routers (and a router's link-local address
 * at the router's MAC), and static pairs.  A client announcing an
 * outside address gets no entry and no host route.
 */
static void
test_learning_scope(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	t_iface(t, "em0", true);
	t_iface(t, "em1", true);
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "192.0.2.1");
	t_rule(t, 1, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_static(t, 0, "203.0.113.200", mac(0x20));
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 2);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 0, "203.0.113.200");
	want_arp_query(t, 1, 0, FRAMES_BCAST, "198.51.100.254", "192.0.2.1");
	t_up(t, 1);
	/* The hijack: one request with an outside sender address. */
	assert_int_equal(arp_req(t, 0, "203.0.113.53", mac(0x53),
	    "198.51.100.9"), 0);
	want_no_entry(t, "203.0.113.53");
	assert_int_equal(cnt(t)->not_learnable, 1);
	assert_int_equal(arp_req(t, 0, "203.0.113.53", mac(0x53),
	    "203.0.113.53"), 0);
	assert_int_equal(cnt(t)->not_learnable, 2);
	/* A host inside the tell DST: learned and routed. */
	assert_int_equal(arp_req(t, 0, "198.51.100.9", mac(9),
	    "198.51.100.9"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.9");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "198.51.100.9");
	/* The router, outside every tell DST, is learned (resolved). */
	assert_int_equal(arp_answer(t, 0, "192.0.2.1", mac(1)), 2);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "192.0.2.1");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "192.0.2.1");
	/* Its link-local address at its MAC too; another one not. */
	assert_int_equal(ns(t, 0, "fe80::5e", mac(1), mac(1),
	    "2001:db8:1::9"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "fe80::5e");
	assert_int_equal(ns(t, 0, "fe80::6", mac(6), mac(6),
	    "2001:db8:1::9"), 0);
	want_no_entry(t, "fe80::6");
	assert_int_equal(cnt(t)->not_learnable, 3);
	/* em1 tells everything: the outside address is learned there... */
	assert_int_equal(arp_req(t, 1, "203.0.113.53", mac(0x53),
	    "203.0.113.53"), 2);
	want_entry(t, "203.0.113.53", 1, mac(0x53));
	/* ...and does not move to em0, where it is out of scope. */
	assert_int_equal(arp_req(t, 0, "203.0.113.53", mac(0x53),
	    "203.0.113.53"), 0);
	want_entry(t, "203.0.113.53", 1, mac(0x53));
	assert_int_equal(cnt(t)->not_learnable, 4);
	/* Reload: em1 now tells 198.51.100.0/24 only; .53 goes. */
	t_defaults(n);
	t_iface(n, "em0", true);
	t_iface(n, "em1", true);
	t_rule(n, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(n, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "192.0.2.1");
	t_rule(n, 1, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_static(n, 0, "203.0.113.200", mac(0x20));
	core_actions_clear(&t->acts);
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	assert_int_equal(t->acts.n, 1);
	want_route(t, 0, CORE_ACT_ROUTE_DEL, 1, "203.0.113.53");
	want_no_entry(t, "203.0.113.53");
	want_entry(t, "198.51.100.9", 0, mac(9));
	want_entry(t, "192.0.2.1", 0, mac(1));
	want_entry(t, "fe80::5e", 0, mac(1));
	want_entry(t, "203.0.113.200", 0, mac(0x20));
	conf_free(n->conf);
	free(n);
}

/* ---- delay ---- */

static void
test_delay_counts_in_window(void **state)
{
	struct t *t = *state;
	uint64_t t0;
	int i;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.4/32", "198.51.100.0/24",
	    CONF_RULE_DELAY | CONF_RULE_VERBOSE, "tell");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.9", mac(9), "198.51.100.10");
	arp_req(t, 0, "198.51.100.4", mac(4), "198.51.100.9");
	/* That was the first in the window (count 1); 2 and 3 silent. */
	assert_int_equal(cnt(t)->delayed, 1);
	t0 = t->now;
	for (i = 2; i <= 3; i++) {
		t->now += 500;
		assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
		    "198.51.100.9"), 1);
		assert_false(want_log(t, 0, 0, CORE_EV_DECIDED,
		    "198.51.100.4")->answered);
	}
	assert_int_equal(cnt(t)->delayed, 3);
	/* Other target: its own window. */
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.11"), 1);
	assert_int_equal(cnt(t)->delayed, 4);
	/* The 4th within 3 s of the first is answered, and so the 5th. */
	t->now = t0 + 2999;
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 2);
	want_arp_reply(t, 0, 0, mac(9), "198.51.100.9", mac(4),
	    "198.51.100.4");
	assert_true(want_log(t, 1, 0, CORE_EV_DECIDED,
	    "198.51.100.4")->answered);
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 2);
	assert_int_equal(cnt(t)->answered, 2);
	/* Exactly 3 s after the first still counts (inclusive window). */
	t->now = t0 + 3000;
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 2);
	assert_int_equal(cnt(t)->answered, 3);
	/* Past it: a new window, silent again. */
	t->now = t0 + 3001;
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 1);
	assert_int_equal(cnt(t)->delayed, 5);
	/* Rules without delay answer at once. */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.9"), 2);
	want_arp_reply(t, 1, 0, mac(9), "198.51.100.9", mac(5),
	    "198.51.100.5");
}

/*
 * delay 4*3 and a requester that retries every second, as ARP stacks do:
 * requests at 0, 1, 2 and 3 s; the 4th, at exactly the end of the
 * window, is answered.
 */
static void
test_delay_inclusive_window(void **state)
{
	struct t *t = *state;
	int i;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", CONF_RULE_DELAY,
	    "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.9", mac(9), "198.51.100.10");
	arp_req(t, 0, "198.51.100.4", mac(4), "198.51.100.4");
	for (i = 1; i <= 3; i++) {
		assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
		    "198.51.100.9"), 0);
		assert_int_equal(cnt(t)->delayed, (uint64_t)i + 1);
		t->now += 1000;
	}
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 1);
	want_arp_reply(t, 0, 0, mac(9), "198.51.100.9", mac(4),
	    "198.51.100.4");
	assert_int_equal(cnt(t)->answered, 1);
}

/* ---- redirect and router resolution ---- */

/*
 * Targets that name no neighbour (multicast, broadcast, loopback, this
 * network, the reserved block, ::1) are never answered, even under a
 * catch-all redirect rule.
 */
static void
test_no_neighbour_targets(void **state)
{
	static const char *v4[] = { "224.0.0.251", "255.255.255.255",
		"127.0.0.1", "0.1.2.3", "0.0.0.0", "240.0.0.1",
		"239.255.255.250" };
	struct t *t = *state;
	size_t i;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "198.51.100.254");
	t_rule(t, 0, "::/0", "::/0", 0, "2001:db8:1::fe");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.5");
	ns(t, 0, "2001:db8:1::5", mac(5), mac(5), "2001:db8:1::5");
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5), v4[i]),
		    0);
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5), "::1"), 0);
	assert_int_equal(cnt(t)->answered, 0);
	assert_int_equal(cnt(t)->ignored, 8);
	/* A neighbour is still redirected. */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.77"), 1);
	want_arp_reply(t, 0, 0, T_MAC0, "198.51.100.77", mac(5),
	    "198.51.100.5");
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::77"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::77", "2001:db8:1::5", 0x40,
	    T_MAC0);
}

static void
redirect_setup(struct t *t)
{
	t_iface(t, "em0", false);
	t_rule(t, 0, "192.0.2.0/24", "198.51.100.0/24", CONF_RULE_VERBOSE,
	    "198.51.100.1");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "198.51.100.1");
	/* Never reached by those targets: the hosts' learning scope. */
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "192.0.2.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
}

static void
test_redirect_resolves_router_by_broadcast(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	const struct core_log *l;

	redirect_setup(t);
	/* Up: one broadcast query for the router, then one a second. */
	assert_int_equal(t->acts.n, 1);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
	assert_true(core_next_deadline(t->core) == t0 + 1000);
	assert_int_equal(t_timer(t, t0 + 999), 0);
	assert_int_equal(t_timer(t, t0 + 1000), 1);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
	assert_true(core_next_deadline(t->core) == t0 + 2000);
	/* Until the router is known, redirects stay silent. */
	assert_int_equal(arp_req(t, 0, "192.0.2.5", mac(5),
	    "198.51.100.77"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "192.0.2.5");
	l = want_log(t, 1, 0, CORE_EV_DECIDED, "192.0.2.5");
	assert_false(l->answered);
	assert_int_equal(l->action, CONF_ACTION_REDIRECT);
	assert_int_equal(cnt(t)->unresolved, 1);
	/* The router answers within the interface timeout. */
	t->now = t0 + 1900;
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	l = want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.1");
	assert_int_equal(l->level, CORE_LOG_INFO);
	t_logfmt(t, 0, "em0: router 198.51.100.1 is at 00:00:5e:00:53:01");
	/* Resolved: no more broadcasts, only refresh timers. */
	assert_true(core_next_deadline(t->core) ==
	    t0 + 1000 + 300000 - 15000);
	{
		struct core_entry_info e;

		assert_true(entry(t, "198.51.100.1", &e));
		assert_true(e.confirmed);
	}
	assert_int_equal(arp_req(t, 0, "192.0.2.5", mac(5),
	    "198.51.100.77"), 2);
	want_arp_reply(t, 0, 0, mac(1), "198.51.100.77", mac(5),
	    "192.0.2.5");
	l = want_log(t, 1, 0, CORE_EV_DECIDED, "192.0.2.5");
	assert_true(l->answered);
	t_logfmt(t, 1, "em0: line %u: 192.0.2.5 asks for 198.51.100.77: "
	    "redirect, answered with 00:00:5e:00:53:01", t_rule_line(t, 0, 0));
	/* The router itself, or a host with its MAC, gets nothing. */
	assert_int_equal(arp_req(t, 0, "198.51.100.1", mac(1),
	    "198.51.100.77"), 0);
	assert_int_equal(cnt(t)->ignored, 1);
	assert_int_equal(cnt(t)->queries_sent, 2);
}

static void
test_redirect_late_router_answer_refused(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	redirect_setup(t);
	/* 1001 ms after the query: too late. */
	t->now = t0 + 1001;
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 0);
	assert_int_equal(cnt(t)->unsolicited, 1);
	want_no_entry(t, "198.51.100.1");
	/* The next broadcast goes out as due, and its answer counts. */
	assert_int_equal(t_timer(t, t0 + 1001), 1);
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	want_entry(t, "198.51.100.1", 0, mac(1));
}

/* A router that is one of the interface's addresses needs no query. */
static void
test_redirect_local_router(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "198.51.100.254");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 0);
	assert_true(core_next_deadline(t->core) == CORE_NO_DEADLINE);
	/* Answered; the requester is not learned (no tell rule). */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.77"), 1);
	want_arp_reply(t, 0, 0, T_MAC0, "198.51.100.77", mac(5),
	    "198.51.100.5");
	assert_int_equal(cnt(t)->not_learnable, 1);
}

/*
 * RFC 4861 4.4: an NA's source is one of the sending interface's
 * addresses.  Without a link-local address nothing is sent, and counted.
 */
static void
test_v6_no_source_without_link_local(void **state)
{
	struct t *t = *state;
	struct core_ifinfo info;

	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "2001:db8:1::/64", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_start(t);
	memset(&info, 0, sizeof(info));
	info.mac = amac(T_MAC0);
	info.addrs[0] = ip("2001:db8:1::fe");
	info.addrs[1] = ip("198.51.100.254");
	info.naddrs = 2;
	core_iface_up(t->core, 0, &info, t->now, &t->acts);
	assert_int_equal(ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20),
	    "2001:db8:1::30"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::20");
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::20"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::10");
	assert_int_equal(cnt(t)->no_source, 1);
	assert_int_equal(cnt(t)->answered, 0);
	/* IPv4 needs no IPv6 source. */
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_int_equal(arp_req(t, 0, "198.51.100.10", mac(0x10),
	    "198.51.100.20"), 2);
	assert_int_equal(cnt(t)->answered, 1);
	assert_int_equal(cnt(t)->no_source, 1);
}

/*
 * A request sent to another station's MAC (not broadcast, not multicast,
 * not ours) is not ours to answer: the kernel drops PACKET_OTHERHOST.
 */
static void
test_other_host_dropped(void **state)
{
	struct t *t = *state;
	uint8_t grp[16], gmac[6], opt[8];

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	assert_int_equal(arp_raw(t, 0, mac(0x99), mac(0x10), 1, mac(0x10),
	    "198.51.100.10", NULL, "198.51.100.20"), 0);
	assert_int_equal(cnt(t)->rx_other_host, 1);
	solicited_node(ipb("2001:db8:1::20"), grp, gmac);
	t->len = frames_nd(t->frame, mac(0x99), mac(0x10),
	    ipb("2001:db8:1::10"), ipb("2001:db8:1::20"), 255, FRAMES_ND_NS,
	    0, 0, ipb("2001:db8:1::20"), opt,
	    frames_opt_lla(opt, FRAMES_OPT_SLLA, mac(0x10)));
	assert_int_equal(t_feed(t, 0), 0);
	assert_int_equal(cnt(t)->rx_other_host, 2);
	assert_int_equal(cnt(t)->answered, 0);
	want_no_entry(t, "198.51.100.10");
	/* Unicast to our MAC: answered. */
	assert_int_equal(arp_raw(t, 0, T_MAC0, mac(0x10), 1, mac(0x10),
	    "198.51.100.10", NULL, "198.51.100.20"), 2);
	assert_int_equal(cnt(t)->answered, 1);
	assert_int_equal(cnt(t)->rx_other_host, 2);
}

/*
 * RFC 4861 7.2.5, 7.2.8: a proxy's O=0 answer may fill the unknown
 * router, the owner's O=1 answer replaces it, and later O=0 answers with
 * another MAC never rewrite the entry (they did before: first one won).
 */
static void
test_router_o0_never_overrides(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "2001:db8:2::/64", 0, "2001:db8:1::3");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 1);
	/* The proxy first (S=1, O=0), its MAC: fills the unknown entry. */
	assert_int_equal(na(t, 0, T_MAC0, mac(0x66), "fe80::66", "fe80::1",
	    "2001:db8:1::3", 0x40, mac(0x66)), 1);
	want_entry(t, "2001:db8:1::3", 0, mac(0x66));
	/* The router 300 ms later, R=1 S=1 O=1: its answer wins. */
	t->now = t0 + 300;
	assert_int_equal(na(t, 0, T_MAC0, mac(3), "fe80::3", "fe80::1",
	    "2001:db8:1::3", 0xe0, mac(3)), 1);
	want_log(t, 0, 0, CORE_EV_CHANGED, "2001:db8:1::3");
	want_entry(t, "2001:db8:1::3", 0, mac(3));
	/* The proxy again, within the timeout: not replaced. */
	t->now = t0 + 400;
	assert_int_equal(na(t, 0, T_MAC0, mac(0x66), "fe80::66", "fe80::1",
	    "2001:db8:1::3", 0x40, mac(0x66)), 0);
	want_entry(t, "2001:db8:1::3", 0, mac(3));
}

/* A solicited O=0 NA with another MAC never rewrites a known entry. */
static void
test_refresh_o0_never_overrides(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "2001:db8:2::/64", 0, "2001:db8:1::3");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(na(t, 0, T_MAC0, mac(3), "fe80::3", "fe80::1",
	    "2001:db8:1::3", 0xe0, mac(3)), 1);
	want_entry(t, "2001:db8:1::3", 0, mac(3));
	/* The refresh query, answered by a proxy first. */
	t->now += 300000 - 15000;
	assert_true(t_timer(t, t->now) >= 1);
	assert_int_equal(na(t, 0, T_MAC0, mac(0x66), "fe80::66", "fe80::1",
	    "2001:db8:1::3", 0x40, mac(0x66)), 0);
	want_entry(t, "2001:db8:1::3", 0, mac(3));
	/* The query went to mac(3): another MAC's answer is not one. */
	assert_int_equal(cnt(t)->unsolicited, 1);
	assert_int_equal(na(t, 0, T_MAC0, mac(3), "fe80::3", "fe80::1",
	    "2001:db8:1::3", 0xe0, mac(3)), 0);
	assert_int_equal(cnt(t)->refreshed, 1);
}

/* ARP has no O flag: replies for a router that disagree are logged. */
static void
test_router_arp_conflict_logged(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	redirect_setup(t);
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.1");
	/* Another box answering the same broadcast: kept, logged. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(2)), 1);
	want_entry(t, "198.51.100.1", 0, mac(1));
	l = want_log(t, 0, 0, CORE_EV_ROUTER_CONFLICT, "198.51.100.1");
	assert_int_equal(l->level, CORE_LOG_WARNING);
	assert_memory_equal(l->old_mac.b, mac(1), 6);
	t_logfmt(t, 0, "em0: conflicting ARP replies for router "
	    "198.51.100.1: 00:00:5e:00:53:02, was 00:00:5e:00:53:01");
	assert_string_equal(core_event_name(CORE_EV_ROUTER_CONFLICT),
	    "router conflict");
}

/*
 * RFC 5227 2.1.1: an ARP request with sender 0.0.0.0 is a probe.  Without
 * an IPv4 address, router queries and refreshes are not sent (counted);
 * they went out from 0.0.0.0 before.
 */
static void
test_arp_query_no_source(void **state)
{
	struct t *t = *state;
	struct core_ifinfo info;
	uint64_t t0 = t->now;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.3/32", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "198.51.100.3");
	t_start(t);
	memset(&info, 0, sizeof(info));
	info.mac = amac(T_MAC0);
	info.addrs[0] = ip("fe80::1");
	info.naddrs = 1;
	core_actions_clear(&t->acts);
	core_iface_up(t->core, 0, &info, t->now, &t->acts);
	assert_int_equal(t->acts.n, 0);
	assert_int_equal(cnt(t)->arp_no_source, 1);
	assert_int_equal(t_timer(t, t0 + 1000), 0);
	assert_int_equal(cnt(t)->arp_no_source, 2);
	/* The router announces itself; its refresh is not sent either. */
	assert_int_equal(arp_req(t, 0, "198.51.100.3", mac(3),
	    "198.51.100.3"), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.3");
	assert_int_equal(t_timer(t, t0 + 1000 + 285000), 0);
	assert_int_equal(cnt(t)->queries_sent, 0);
	assert_int_equal(cnt(t)->arp_no_source, 3);
}

/* With several IPv4 addresses, the one on the target's subnet. */
static void
test_arp_query_source_subnet(void **state)
{
	struct t *t = *state;
	struct core_ifinfo info;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.3/32", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "198.51.100.3");
	t_rule(t, 0, "0.0.0.0/0", "203.0.113.0/24", 0, "203.0.113.9");
	t_start(t);
	memset(&info, 0, sizeof(info));
	info.mac = amac(T_MAC0);
	info.addrs[0] = ip("192.0.2.1");
	info.plen[0] = 24;
	info.addrs[1] = ip("198.51.100.254");
	info.plen[1] = 24;
	info.naddrs = 2;
	core_actions_clear(&t->acts);
	core_iface_up(t->core, 0, &info, t->now, &t->acts);
	assert_int_equal(t->acts.n, 2);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.3");
	/* On no subnet of the interface: its first IPv4 address. */
	want_arp_query(t, 1, 0, FRAMES_BCAST, "192.0.2.1", "203.0.113.9");
	assert_int_equal(cnt(t)->arp_no_source, 0);
}

/*
 * RFC 4861 7.2.5: parpd's NA for a router's address with R=0 makes Linux
 * drop it as a router.  Redirects for the redirect router's own global
 * and link-local addresses are left to the router (answered R=0 before).
 */
static void
test_redirect_router_own_addresses_silent(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "fe80::3/128", "::/0", 0, "tell");
	t_rule(t, 0, "::/0", "::/0", 0, "2001:db8:1::3");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(na(t, 0, T_MAC0, mac(3), "2001:db8:1::3", "fe80::1",
	    "2001:db8:1::3", 0xe0, mac(3)), 1);
	/* The router's NS from its link-local address: learned. */
	assert_int_equal(ns(t, 0, "fe80::3", mac(3), mac(3),
	    "2001:db8:1::77"), 1);
	want_entry(t, "fe80::3", 0, mac(3));
	/* c1 asks for the router's global and link-local addresses. */
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::3"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::5");
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "fe80::3"), 0);
	assert_int_equal(cnt(t)->router_target, 2);
	/* Another host is still redirected, R=0 (a host's address). */
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::77"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::77", "2001:db8:1::5", 0x40,
	    mac(3));
}

/* Static pairs say R=1 with "router", R=0 without (never R=1 before). */
static void
test_static_router_flag(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_static_router(t, 0, "2001:db8:1::9", mac(9));
	t_static(t, 0, "2001:db8:1::8", mac(8));
	t_rule(t, 0, "::/0", "2001:db8:1::/64", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::9"), 2);
	want_na(t, 1, 0, mac(5), "2001:db8:1::9", "2001:db8:1::5", 0xc0,
	    mac(9));
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::8"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::8", "2001:db8:1::5", 0x40,
	    mac(8));
}

/*
 * R unknown (learned from an NS): R=0, unless the entry is at the MAC of
 * a redirect router whose NA said R=1 (its link-local address).
 */
static void
test_tell_router_flag_unknown(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "2001:db8:2::/64", 0, "2001:db8:1::3");
	t_rule(t, 0, "::/0", "::/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(na(t, 0, T_MAC0, mac(3), "2001:db8:1::3", "fe80::1",
	    "2001:db8:1::3", 0xe0, mac(3)), 1);
	assert_int_equal(ns(t, 0, "fe80::3", mac(3), mac(3),
	    "2001:db8:1::77"), 1);
	assert_int_equal(ns(t, 0, "2001:db8:1::7", mac(7), mac(7),
	    "2001:db8:1::77"), 1);
	/* The router box's link-local address: R=1. */
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "fe80::3"), 2);
	want_na(t, 1, 0, mac(5), "fe80::3", "2001:db8:1::5", 0xc0, mac(3));
	/* A host heard in its NS: R=0. */
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::7"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::7", "2001:db8:1::5", 0x40,
	    mac(7));
	/* Its own announcement with R=1 (RFC 4861 7.2.6): R=1 from then. */
	assert_int_equal(na(t, 0, T_MAC0, mac(7), "2001:db8:1::7", "fe80::1",
	    "2001:db8:1::7", 0xa0, mac(7)), 0);
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::7"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::7", "2001:db8:1::5", 0xc0,
	    mac(7));
}

/* ---- probes ---- */

/*
 * Probes are decided before delay: a delay rule whose SRC covers 0.0.0.0
 * or :: still reports a conflict at once (RFC 5227 2.1.1, RFC 4862 5.4).
 */
static void
test_probe_before_delay(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", CONF_RULE_DELAY, "tell");
	t_rule(t, 0, "::/0", "2001:db8:1::/64", CONF_RULE_DELAY, "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	assert_int_equal(cnt(t)->delayed, 2);
	assert_int_equal(arp_req(t, 0, "0.0.0.0", mac(0x40),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(0x40),
	    "0.0.0.0");
	assert_int_equal(ns(t, 0, "::", mac(0x40), NULL, "2001:db8:1::20"),
	    1);
	want_na(t, 0, 0, mac(0x40), "2001:db8:1::20", "ff02::1", 0, mac(0x20));
	assert_int_equal(cnt(t)->delayed, 2);
	assert_int_equal(cnt(t)->answered, 2);
}

static void
test_probe_never_redirected(void **state)
{
	struct t *t = *state;

	redirect_setup(t);
	arp_answer(t, 0, "198.51.100.1", mac(1));
	/* RFC 5227 probe: sender 0.0.0.0. */
	assert_int_equal(arp_req(t, 0, "0.0.0.0", mac(5), "198.51.100.77"),
	    0);
	assert_int_equal(cnt(t)->probes_refused, 1);
	assert_int_equal(cnt(t)->learned, 1);
}

static void
test_probe_tell_only_on_conflict(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/32", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "ignore");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	/* Nobody has .30: silence. */
	assert_int_equal(arp_req(t, 0, "0.0.0.0", mac(0x40),
	    "198.51.100.30"), 0);
	assert_int_equal(cnt(t)->missing, 1);
	/* The owner probing its own address: no conflict. */
	assert_int_equal(arp_req(t, 0, "0.0.0.0", mac(0x20),
	    "198.51.100.20"), 0);
	/* Another MAC probing .20: a real conflict, answered to it. */
	assert_int_equal(arp_req(t, 0, "0.0.0.0", mac(0x40),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(0x40),
	    "0.0.0.0");
	/* Probes teach nothing. */
	want_no_entry(t, "0.0.0.0");
	assert_int_equal(cnt(t)->learned, 1);
}

/* ---- frames parpd never reacts to ---- */

/*
 * A request whose sender MAC (ARP sha, NS source link-layer option) is
 * the interface's own, from another Ethernet source: dropped as rx_own,
 * never answered to our own MAC.
 */
static void
test_own_sender_mac(void **state)
{
	struct t *t = *state;
	uint8_t grp[16], gmac[6], opt[8];

	lan_tell(t, 0);
	t_rule(t, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	core_free(t->core);
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.9", mac(9), "198.51.100.9");
	ns(t, 0, "2001:db8:1::9", mac(9), mac(9), "2001:db8:1::9");
	assert_int_equal(arp_raw(t, 0, FRAMES_BCAST, mac(5), 1, T_MAC0,
	    "198.51.100.5", NULL, "198.51.100.9"), 0);
	assert_int_equal(cnt(t)->rx_own, 1);
	solicited_node(ipb("2001:db8:1::9"), grp, gmac);
	t->len = frames_nd(t->frame, gmac, mac(5), ipb("2001:db8:1::5"), grp,
	    255, FRAMES_ND_NS, 0, 0, ipb("2001:db8:1::9"), opt,
	    frames_opt_lla(opt, FRAMES_OPT_SLLA, T_MAC0));
	assert_int_equal(t_feed(t, 0), 0);
	assert_int_equal(cnt(t)->rx_own, 2);
	assert_int_equal(cnt(t)->answered, 0);
	want_no_entry(t, "198.51.100.5");
	want_no_entry(t, "2001:db8:1::5");
}

static void
test_own_mac_and_down_iface(void **state)
{
	struct t *t = *state;

	lan_tell(t, 0);
	assert_int_equal(arp_req(t, 0, "198.51.100.20", T_MAC0,
	    "198.51.100.30"), 0);
	assert_int_equal(cnt(t)->rx_own, 1);
	want_no_entry(t, "198.51.100.20");
	/* An ARP frame whose Ethernet source is ours, sha another. */
	assert_int_equal(arp_raw(t, 0, FRAMES_BCAST, T_MAC0, 1, mac(3),
	    "198.51.100.3", NULL, "198.51.100.4"), 0);
	assert_int_equal(cnt(t)->rx_own, 2);
	/* Interface 1 does not exist, interface 0 when down. */
	assert_int_equal(arp_req(t, 1, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 0);
	core_iface_down(t->core, 0, t->now, &t->acts);
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 0);
	assert_int_equal(cnt(t)->rx_unknown_iface, 2);
	assert_int_equal(cnt(t)->rx_frames, 4);
}

/* Senders that name no host are not learned. */
static void
test_unlearnable_senders(void **state)
{
	struct t *t = *state;

	lan_tell(t, 0);
	arp_req(t, 0, "127.0.0.1", mac(1), "198.51.100.30");
	arp_req(t, 0, "224.0.0.5", mac(1), "198.51.100.30");
	arp_req(t, 0, "255.255.255.255", mac(1), "198.51.100.30");
	arp_req(t, 0, "0.1.2.3", mac(1), "198.51.100.30");
	assert_int_equal(core_cache_count(t->core), 0);
	assert_int_equal(cnt(t)->learned, 0);
}


/* ---- refresh and expiry ---- */

static void
test_refresh_answered(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	struct core_entry_info e;

	t_iface(t, "em0", true);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.20");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "198.51.100.20");
	/* Timeout 300 s, refresh 3*5 s: first query at E - 15 s. */
	assert_true(core_next_deadline(t->core) == t0 + 285000);
	assert_int_equal(t_timer(t, t0 + 284999), 0);
	assert_int_equal(t_timer(t, t0 + 285000), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	assert_true(core_next_deadline(t->core) == t0 + 290000);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_true(e.probing);
	assert_false(e.confirmed);
	/* The answer, 1 s later (the interface timeout): renewed. */
	t->now = t0 + 286000;
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	assert_int_equal(cnt(t)->refreshed, 1);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_true(e.confirmed);
	assert_false(e.probing);
	assert_true(e.routed);
	assert_true(e.expire == t0 + 286000 + 300000);
	assert_true(core_next_deadline(t->core) == t0 + 286000 + 285000);
	/* A duplicate answer is no longer solicited. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	assert_int_equal(cnt(t)->unsolicited, 1);
}

/*
 * A refresh query goes by unicast to the known MAC, so only that MAC
 * can answer it: a spoofer's reply while the query is open (a storm of
 * replies wins every such race, t_spoof_storm.sh) is not an answer, in
 * ARP and in ND.
 */
static void
test_refresh_answer_from_other_mac(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	lan_tell46(t);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	t->now = t0 + 285000;
	assert_int_equal(t_timer(t, t->now), 2);
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x66)), 0);
	assert_int_equal(na(t, 0, T_MAC0, mac(0x66), "2001:db8:1::20",
	    "fe80::1", "2001:db8:1::20", 0x60, mac(0x66)), 0);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	want_entry(t, "2001:db8:1::20", 0, mac(0x20));
	assert_int_equal(cnt(t)->unsolicited, 2);
	assert_int_equal(cnt(t)->refreshed, 0);
	/* The owner's answers still count. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	assert_int_equal(na(t, 0, T_MAC0, mac(0x20), "2001:db8:1::20",
	    "fe80::1", "2001:db8:1::20", 0x60, mac(0x20)), 0);
	assert_int_equal(cnt(t)->refreshed, 2);
}

/*
 * Another MAC claiming a known host's address unasked (a gratuitous ARP,
 * an unsolicited NA with O=1) is checked with the owner first: the claim
 * wins only once a unicast query to the known MAC has gone unanswered
 * for the interface timeout.  A spoofer's claims meet an owner that
 * answers (one query per timeout, however many claims); a host that
 * really changed its MAC announces again and is followed.
 */
static void
test_claim_checked_with_owner(void **state)
{
	struct t *t = *state;
	const uint8_t *allnodes = FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1);
	uint64_t t0 = t->now;

	lan_tell46(t);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	na(t, 0, allnodes, mac(0x20), "2001:db8:1::20", "ff02::1",
	    "2001:db8:1::20", 0x20, mac(0x20));
	/* The spoofer's announcements: the owner is asked, once. */
	t->now = t0 + 1000;
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x66),
	    "198.51.100.20"), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x66),
	    "198.51.100.20"), 0);
	assert_int_equal(na(t, 0, allnodes, mac(0x66), "2001:db8:1::20",
	    "ff02::1", "2001:db8:1::20", 0x20, mac(0x66)), 1);
	assert_memory_equal(act(t, 0, CORE_ACT_SEND, 0)->u.send.frame,
	    mac(0x20), 6);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	want_entry(t, "2001:db8:1::20", 0, mac(0x20));
	assert_int_equal(cnt(t)->claims_held, 3);
	/* The owner answers: the claims after it change nothing either. */
	t->now = t0 + 1100;
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	/* The IPv6 owner's query is still open: the entry ends with it. */
	assert_true(core_next_deadline(t->core) == t0 + 2001);
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x66),
	    "198.51.100.20"), 0);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	/* A new MAC whose owner query goes unanswered wins. */
	t->now = t0 + 2200;
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x23),
	    "198.51.100.20"), 1);
	t->now = t0 + 3300;
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x23),
	    "198.51.100.20"), 1);
	want_log(t, 0, 0, CORE_EV_CHANGED, "198.51.100.20");
	want_entry(t, "198.51.100.20", 0, mac(0x23));
	t->now = t0 + 3400;
	assert_int_equal(na(t, 0, allnodes, mac(0x23), "2001:db8:1::20",
	    "ff02::1", "2001:db8:1::20", 0x20, mac(0x23)), 1);
	want_log(t, 0, 0, CORE_EV_CHANGED, "2001:db8:1::20");
	assert_int_equal(cnt(t)->claims_held, 5);
}

static void
test_refresh_unanswered_expires(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	const struct core_log *l;

	t_iface(t, "em0", true);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_int_equal(t_timer(t, t0 + 285000), 1);
	assert_int_equal(t_timer(t, t0 + 290000), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	/* An answer 1001 ms after the query is late. */
	t->now = t0 + 291001;
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	assert_int_equal(cnt(t)->unsolicited, 1);
	assert_true(core_next_deadline(t->core) == t0 + 295000);
	assert_int_equal(t_timer(t, t0 + 295000), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	assert_true(core_next_deadline(t->core) == t0 + 300000);
	assert_int_equal(t_timer(t, t0 + 299999), 0);
	assert_int_equal(t_timer(t, t0 + 300000), 2);
	l = want_log(t, 0, 0, CORE_EV_EXPIRED, "198.51.100.20");
	assert_int_equal(l->level, CORE_LOG_DEBUG);
	t_logfmt(t, 0, "em0: 198.51.100.20 at 00:00:5e:00:53:20 expired");
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 0, "198.51.100.20");
	want_no_entry(t, "198.51.100.20");
	assert_int_equal(cnt(t)->expired, 1);
	assert_int_equal(cnt(t)->queries_sent, 3);
	assert_true(core_next_deadline(t->core) == CORE_NO_DEADLINE);
}

/* ---- adoption of an earlier run's pairs (core_adopt) ---- */

static bool
t_adopt(struct t *t, unsigned i, const char *addr, const uint8_t *m)
{
	struct addr_ip a = ip(addr);
	struct addr_mac mm = amac(m);

	core_actions_clear(&t->acts);
	return core_adopt(t->core, i, &a, &mm, t->now, &t->acts);
}

static void
adopt_setup(struct t *t, bool routes)
{
	t_iface(t, "em0", routes);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	t_start(t);
}

/*
 * Adopted before the interface is up (as at start): no route yet; the
 * route comes with the interface, the first unicast refresh query at
 * once, and the entry lives one refresh cycle (3 * 5 s).
 */
static void
test_adopt_refreshed_at_once(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	struct core_entry_info e;

	adopt_setup(t, true);
	assert_true(t_adopt(t, 0, "198.51.100.20", mac(0x20)));
	assert_int_equal(t->acts.n, 1);
	want_log(t, 0, 0, CORE_EV_ADOPTED, "198.51.100.20");
	t_logfmt(t, 0, "em0: adopted 198.51.100.20 at 00:00:5e:00:53:20 "
	    "from the state file; refreshing it");
	assert_int_equal(cnt(t)->adopted, 1);
	assert_int_equal(cnt(t)->learned, 0);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.confirmed);
	assert_false(e.routed);
	assert_true(e.expire == t0 + 15000);
	assert_true(core_next_deadline(t->core) == t0);
	t_up(t, 0);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 0, "198.51.100.20");
	assert_int_equal(t_timer(t, t0), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	/* The answer makes it an ordinary confirmed entry. */
	t->now = t0 + 300;
	assert_int_equal(arp_answer(t, 0, "198.51.100.20", mac(0x20)), 0);
	assert_int_equal(cnt(t)->refreshed, 1);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_true(e.confirmed);
	assert_true(e.routed);
	assert_true(e.expire == t0 + 300 + 300000);
}

/* Nobody answers: gone with its route within the refresh cycle. */
static void
test_adopt_unanswered_expires(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	adopt_setup(t, true);
	t_up(t, 0);
	assert_true(t_adopt(t, 0, "2001:db8:1::20", mac(0x20)));
	assert_int_equal(t->acts.n, 2);
	want_log(t, 0, 0, CORE_EV_ADOPTED, "2001:db8:1::20");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "2001:db8:1::20");
	assert_int_equal(t_timer(t, t0), 1);
	want_ns(t, 0, 0, mac(0x20), "2001:db8:1::20");
	assert_int_equal(t_timer(t, t0 + 5000), 1);
	assert_int_equal(t_timer(t, t0 + 10000), 1);
	assert_int_equal(t_timer(t, t0 + 14999), 0);
	assert_int_equal(t_timer(t, t0 + 15000), 2);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "2001:db8:1::20");
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 0, "2001:db8:1::20");
	want_no_entry(t, "2001:db8:1::20");
	assert_int_equal(cnt(t)->queries_sent, 3);
}

/*
 * Only what the configuration in force allows: an interface with
 * routes, an address learnable there, no static pair, no entry yet.
 */
static void
test_adopt_refused(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", true);
	t_iface(t, "em1", false);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(t, 1, "203.0.113.0/24", "203.0.113.0/24", 0, "tell");
	t_static(t, 0, "198.51.100.7", mac(7));
	t_start(t);
	t_up(t, 0);
	t_up(t, 1);
	/* Out of every tell DST: a route there could beat the gateway's. */
	assert_false(t_adopt(t, 0, "192.0.2.53", mac(0x53)));
	assert_int_equal(cnt(t)->not_learnable, 1);
	/* em1 has no routes. */
	assert_false(t_adopt(t, 1, "203.0.113.20", mac(0x20)));
	assert_int_equal(t->acts.n, 0);
	/* A static pair is never replaced. */
	assert_false(t_adopt(t, 0, "198.51.100.7", mac(8)));
	assert_int_equal(t->acts.n, 0);
	want_entry(t, "198.51.100.7", 0, mac(7));
	/* Not an interface; the interface's own address. */
	assert_false(t_adopt(t, 5, "198.51.100.20", mac(0x20)));
	assert_false(t_adopt(t, 0, "198.51.100.254", mac(0x20)));
	/* Known already: the entry stays as it is. */
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_false(t_adopt(t, 0, "198.51.100.20", mac(0x21)));
	assert_int_equal(t->acts.n, 0);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	assert_int_equal(cnt(t)->adopted, 0);
	assert_int_equal(core_cache_count(t->core), 2);
}

/* Learning again from the host's own request renews the entry. */
static void
test_relearning_renews(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	struct core_entry_info e;

	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t_timer(t, t0 + 285000);
	t->now = t0 + 287000;
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 0);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.probing);
	assert_false(e.confirmed);
	assert_true(core_next_deadline(t->core) == t0 + 287000 + 285000);
	assert_int_equal(cnt(t)->refreshed, 0);
}

/* A jump far ahead fires every due timer once, in deadline order. */
static void
test_time_jumps(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.22", mac(0x22), "198.51.100.30");
	t->now = t0 + 10;
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t->now = t0 + 20;
	arp_req(t, 0, "198.51.100.21", mac(0x21), "198.51.100.30");
	/* Into the refresh window: one query each, the latest slot. */
	assert_int_equal(t_timer(t, t0 + 293000), 3);
	want_arp_query(t, 0, 0, mac(0x22), "198.51.100.254", "198.51.100.22");
	want_arp_query(t, 1, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	want_arp_query(t, 2, 0, mac(0x21), "198.51.100.254", "198.51.100.21");
	/* The next slot is E - 5 s, not a missed earlier one. */
	assert_true(core_next_deadline(t->core) == t0 + 295000);
	/* Time going back counts as standing still. */
	assert_int_equal(t_timer(t, t0), 0);
	assert_true(core_next_deadline(t->core) == t0 + 295000);
	/* Far ahead: all expire at once, in order. */
	assert_int_equal(t_timer(t, t0 + 1000000000ULL), 3);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "198.51.100.22");
	want_log(t, 1, 0, CORE_EV_EXPIRED, "198.51.100.20");
	want_log(t, 2, 0, CORE_EV_EXPIRED, "198.51.100.21");
	assert_int_equal(core_cache_count(t->core), 0);
	/* Input stamped in the past is taken at the latest time. */
	t->now = t0;
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_true(core_next_deadline(t->core) ==
	    t0 + 1000000000ULL + 285000);
}

/*
 * Renewals push timers back lazily; the next deadline must stay exact:
 * never an entry's old slot, whether the first timer is renewed, fires,
 * or expires.  Hosts A .20, B .21, C .22; first slot at learning + 285 s.
 */
static void
test_lazy_timers_exact(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	struct core_entry_info e;

	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t->now = t0 + 100;
	arp_req(t, 0, "198.51.100.21", mac(0x21), "198.51.100.30");
	t->now = t0 + 200;
	arp_req(t, 0, "198.51.100.22", mac(0x22), "198.51.100.30");
	/* B renewed while A is first, then A renewed: C comes first. */
	t->now = t0 + 300;
	arp_req(t, 0, "198.51.100.21", mac(0x21), "198.51.100.30");
	assert_true(core_next_deadline(t->core) == t0 + 285000);
	t->now = t0 + 400;
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_true(core_next_deadline(t->core) == t0 + 285200);
	assert_int_equal(t_timer(t, t0 + 285200), 1);
	want_arp_query(t, 0, 0, mac(0x22), "198.51.100.254", "198.51.100.22");
	/* B's slot follows its renewal at 300, not its learning at 100. */
	assert_true(core_next_deadline(t->core) == t0 + 285300);
	assert_int_equal(t_timer(t, t0 + 285299), 0);
	assert_int_equal(t_timer(t, t0 + 285300), 1);
	want_arp_query(t, 0, 0, mac(0x21), "198.51.100.254", "198.51.100.21");
	assert_true(core_next_deadline(t->core) == t0 + 285400);
	assert_int_equal(t_timer(t, t0 + 285400), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	assert_true(core_next_deadline(t->core) == t0 + 290200);
	/* B renewed behind C: when C's slot fires, A is next, not B. */
	t->now = t0 + 287000;
	arp_req(t, 0, "198.51.100.21", mac(0x21), "198.51.100.30");
	assert_true(core_next_deadline(t->core) == t0 + 290200);
	assert_int_equal(t_timer(t, t0 + 290200), 1);
	want_arp_query(t, 0, 0, mac(0x22), "198.51.100.254", "198.51.100.22");
	assert_true(core_next_deadline(t->core) == t0 + 290400);
	assert_int_equal(t_timer(t, t0 + 290300), 0);
	assert_int_equal(t_timer(t, t0 + 290400), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	assert_int_equal(t_timer(t, t0 + 295200), 1);
	assert_int_equal(t_timer(t, t0 + 295400), 1);
	want_arp_query(t, 0, 0, mac(0x20), "198.51.100.254", "198.51.100.20");
	/* A renewed behind C; C expires: B comes next, A's old E never. */
	t->now = t0 + 296000;
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_true(core_next_deadline(t->core) == t0 + 300200);
	assert_int_equal(t_timer(t, t0 + 300200), 1);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "198.51.100.22");
	assert_true(core_next_deadline(t->core) == t0 + 287000 + 285000);
	assert_int_equal(t_timer(t, t0 + 300400), 0);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.probing);
	assert_true(e.expire == t0 + 296000 + 300000);
	assert_int_equal(t_timer(t, t0 + 287000 + 285000), 1);
	want_arp_query(t, 0, 0, mac(0x21), "198.51.100.254", "198.51.100.21");
	assert_true(core_next_deadline(t->core) == t0 + 287000 + 290000);
	assert_int_equal(cnt(t)->queries_sent, 8);
}

/* ---- poisoning ---- */

static void
test_poison_replies_refused(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	struct core_entry_info e;

	lan_tell(t, 0);
	/* An unsolicited reply. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.40", mac(0x40)), 0);
	want_no_entry(t, "198.51.100.40");
	/* A reply to somebody else, not to us. */
	assert_int_equal(arp_raw(t, 0, mac(0x41), mac(0x40), 2, mac(0x40),
	    "198.51.100.40", mac(0x41), "198.51.100.41"), 0);
	want_no_entry(t, "198.51.100.40");
	assert_int_equal(cnt(t)->unsolicited, 2);
	/* Another proxy's answer to our refresh query: eth src != sha. */
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t_timer(t, t0 + 285000);
	assert_int_equal(arp_raw(t, 0, T_MAC0, mac(0x66), 2, mac(0x20),
	    "198.51.100.20", T_MAC0, "198.51.100.254"), 0);
	assert_int_equal(cnt(t)->unsolicited, 3);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.confirmed);
	/* A forwarded request (eth src != sha) teaches nothing either. */
	assert_int_equal(arp_raw(t, 0, FRAMES_BCAST, mac(0x66), 1, mac(0x67),
	    "198.51.100.67", NULL, "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(0x67),
	    "198.51.100.67");
	want_no_entry(t, "198.51.100.67");
	assert_int_equal(cnt(t)->poison_refused, 0);
}

static void
test_poison_static_pair(void **state)
{
	struct t *t = *state;
	const struct core_log *l;
	struct core_entry_info e;

	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_static(t, 0, "198.51.100.50", mac(0x50));
	t_start(t);
	t_up(t, 0);
	t_up(t, 1);
	/* Gratuitous ARP claiming the static address. */
	assert_int_equal(arp_req(t, 0, "198.51.100.50", mac(0x66),
	    "198.51.100.50"), 1);
	l = want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.50");
	assert_int_equal(l->level, CORE_LOG_WARNING);
	assert_int_equal(l->refusal, CORE_REFUSED_STATIC);
	assert_memory_equal(l->mac.b, mac(0x66), 6);
	assert_memory_equal(l->old_mac.b, mac(0x50), 6);
	t_logfmt(t, 0, "em0: refused 198.51.100.50 at 00:00:5e:00:53:66: "
	    "static pair at 00:00:5e:00:53:50");
	/* The same in reply form, and from another interface. */
	assert_int_equal(arp_raw(t, 0, FRAMES_BCAST, mac(0x66), 2, mac(0x66),
	    "198.51.100.50", NULL, "198.51.100.50"), 1);
	assert_int_equal(arp_req(t, 1, "198.51.100.50", mac(0x50),
	    "198.51.100.50"), 1);
	assert_int_equal(cnt(t)->poison_refused, 3);
	/* The owner itself: fine, nothing to say. */
	assert_int_equal(arp_req(t, 0, "198.51.100.50", mac(0x50),
	    "198.51.100.50"), 0);
	assert_true(entry(t, "198.51.100.50", &e));
	assert_true(e.is_static);
	assert_memory_equal(e.mac.b, mac(0x50), 6);
	assert_true(e.expire == 0);
	/* Static pairs answer tell and never expire. */
	assert_int_equal(arp_req(t, 0, "198.51.100.9", mac(9),
	    "198.51.100.50"), 2);
	want_arp_reply(t, 1, 0, mac(0x50), "198.51.100.50", mac(9),
	    "198.51.100.9");
	assert_int_equal(t_timer(t, t->now + 100000000ULL), 1);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "198.51.100.9");
	want_entry(t, "198.51.100.50", 0, mac(0x50));
}

static void
test_poison_router_mac(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	redirect_setup(t);
	arp_answer(t, 0, "198.51.100.1", mac(1));
	/* Another address claimed with the router's MAC. */
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(1),
	    "198.51.100.61"), 1);
	l = want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.60");
	assert_int_equal(l->refusal, CORE_REFUSED_ROUTER_MAC);
	t_logfmt(t, 0, "em0: refused 198.51.100.60 at 00:00:5e:00:53:01: "
	    "the MAC of a redirect router");
	want_no_entry(t, "198.51.100.60");
	assert_int_equal(cnt(t)->poison_refused, 1);
	/* The router's own address with its MAC is fine. */
	assert_int_equal(arp_req(t, 0, "198.51.100.1", mac(1),
	    "198.51.100.1"), 0);
	/*
	 * A new MAC for the router is followed (learned as usual, once the
	 * old MAC has not answered a query for the timeout)...
	 */
	assert_int_equal(arp_req(t, 0, "198.51.100.1", mac(2),
	    "198.51.100.1"), 1);
	want_arp_query(t, 0, 0, mac(1), "198.51.100.254", "198.51.100.1");
	t->now += 1001;
	assert_int_equal(arp_req(t, 0, "198.51.100.1", mac(2),
	    "198.51.100.1"), 1);
	want_log(t, 0, 0, CORE_EV_CHANGED, "198.51.100.1");
	/* ...and the old one is free again. */
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(1),
	    "198.51.100.61"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.60");
	want_arp_reply(t, 1, 0, mac(2), "198.51.100.61", mac(1),
	    "198.51.100.60");
}

/*
 * The router-MAC guard refuses another address at router R's MAC, but
 * not R's link-local address (a forwarding Linux router solicits from
 * it), and not a router address still being resolved (one box that is
 * the IPv4 and the IPv6 router).  A resolved router claiming another
 * router's MAC is refused.
 */
static void
test_router_mac_guard_exact(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "0.0.0.0/0", "203.0.113.0/24", 0, "198.51.100.1");
	t_rule(t, 0, "0.0.0.0/0", "192.0.2.0/24", 0, "198.51.100.2");
	t_rule(t, 0, "::/0", "2001:db8:2::/64", 0, "2001:db8:1::1");
	t_rule(t, 0, "::/0", "fe80::/10", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 3);
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.1");
	/* The router's NS from its link-local address: learned quietly. */
	assert_int_equal(ns(t, 0, "fe80::5e", mac(1), mac(1),
	    "2001:db8:1::77"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "fe80::5e");
	want_entry(t, "fe80::5e", 0, mac(1));
	/* The same box as IPv6 router: resolved. */
	assert_int_equal(na(t, 0, T_MAC0, mac(1), "2001:db8:1::1", "fe80::1",
	    "2001:db8:1::1", 0xe0, mac(1)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "2001:db8:1::1");
	/* Another router, resolved, then claiming the first one's MAC. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.2", mac(2)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.2");
	assert_int_equal(arp_req(t, 0, "198.51.100.2", mac(1),
	    "198.51.100.2"), 1);
	l = want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.2");
	assert_int_equal(l->refusal, CORE_REFUSED_ROUTER_MAC);
	want_entry(t, "198.51.100.2", 0, mac(2));
	/* A host address at the router's MAC: refused as before. */
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(1),
	    "198.51.100.61"), 1);
	want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.60");
	assert_int_equal(cnt(t)->poison_refused, 2);
}

/* Many routers: every resolved router's MAC is guarded (sorted lookup). */
static void
test_poison_many_router_macs(void **state)
{
	struct t *t = *state;
	char dst[32], rt[32];
	unsigned k;

	t_iface(t, "em0", false);
	for (k = 0; k < 10; k++) {
		snprintf(dst, sizeof(dst), "203.0.113.%u/28", 16 * k);
		snprintf(rt, sizeof(rt), "198.51.100.%u", k + 1);
		t_rule(t, 0, "198.51.100.0/24", dst, 0, rt);
	}
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 10);
	for (k = 0; k < 10; k++) {
		snprintf(rt, sizeof(rt), "198.51.100.%u", k + 1);
		assert_int_equal(arp_answer(t, 0, rt, mac(0x80 + k)), 1);
		want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, rt);
	}
	for (k = 0; k < 10; k += 3) {
		assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(0x80 + k),
		    "198.51.100.61"), 1);
		want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.60");
	}
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(0x80 + 9),
	    "198.51.100.61"), 1);
	assert_int_equal(cnt(t)->poison_refused, 5);
	want_no_entry(t, "198.51.100.60");
	/* A MAC just outside the routers' is learned. */
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(0x80 + 10),
	    "198.51.100.61"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.60");
	/* And redirects answer with each router's MAC. */
	assert_int_equal(arp_req(t, 0, "198.51.100.60", mac(0x80 + 10),
	    "203.0.113.100"), 1);
	want_arp_reply(t, 0, 0, mac(0x80 + 6), "203.0.113.100",
	    mac(0x80 + 10), "198.51.100.60");
}

/*
 * Once the router answered, another reply to the broadcast is refused,
 * and logged (issue 8 defect 6: it was silent).
 */
static void
test_router_second_reply_refused(void **state)
{
	struct t *t = *state;

	redirect_setup(t);
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(0x66)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_CONFLICT, "198.51.100.1");
	/* The same MAC again: nothing to say. */
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 0);
	assert_int_equal(cnt(t)->unsolicited, 2);
	want_entry(t, "198.51.100.1", 0, mac(1));
}

/* The interface's own addresses: never learned, never answered. */
static void
test_own_addresses(void **state)
{
	struct t *t = *state;
	const struct core_log *l;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_rule(t, 0, "::/0", "::/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(arp_req(t, 0, "198.51.100.254", mac(0x66),
	    "198.51.100.254"), 1);
	l = want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.254");
	assert_int_equal(l->refusal, CORE_REFUSED_OWN);
	t_logfmt(t, 0, "em0: refused 198.51.100.254 at 00:00:5e:00:53:66: "
	    "an address of this interface (02:00:00:00:00:01)");
	want_no_entry(t, "198.51.100.254");
	/* Requests for them are left to the kernel. */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.254"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.5");
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), mac(5),
	    "2001:db8:1::fe"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::5");
	assert_int_equal(cnt(t)->ignored, 2);
	assert_int_equal(cnt(t)->answered, 0);
}

/* When the router's entry expires, broadcast resolution resumes. */
static void
test_router_expiry_resumes_resolution(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	redirect_setup(t);
	t->now = t0 + 100;
	arp_answer(t, 0, "198.51.100.1", mac(1));
	assert_true(core_next_deadline(t->core) == t0 + 100 + 285000);
	assert_int_equal(t_timer(t, t0 + 100 + 285000), 1);
	/* Its refresh is unicast like any other. */
	want_arp_query(t, 0, 0, mac(1), "198.51.100.254", "198.51.100.1");
	t_timer(t, t0 + 100 + 290000);
	t_timer(t, t0 + 100 + 295000);
	assert_int_equal(t_timer(t, t0 + 100 + 300000), 2);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "198.51.100.1");
	want_arp_query(t, 1, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
	assert_true(core_next_deadline(t->core) == t0 + 100 + 301000);
	assert_int_equal(arp_req(t, 0, "192.0.2.5", mac(5),
	    "198.51.100.77"), 2);
	assert_int_equal(cnt(t)->unresolved, 1);
	/* The router learned from its own request also resolves it. */
	assert_int_equal(arp_req(t, 0, "198.51.100.1", mac(1),
	    "198.51.100.77"), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.1");
	assert_true(core_next_deadline(t->core) == t->now + 285000);
}

/* ---- the full table ---- */

static void
t_invented(struct t *t, uint32_t n)
{
	char spa[20];
	uint8_t m[6] = { 0x02, 0x55, (uint8_t)(n >> 24), (uint8_t)(n >> 16),
		(uint8_t)(n >> 8), (uint8_t)n };

	snprintf(spa, sizeof(spa), "198.%u.%u.%u", 18 + ((n >> 16) & 1),
	    (n >> 8) & 255, n & 255);
	t->len = frames_arp(t->frame, FRAMES_BCAST, m, 1, m, ipb(spa), NULL,
	    ipb("198.51.100.1"), 60);
	t_feed(t, 0);
}

static void
test_full_table_flood(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	const struct core_log *l;
	uint32_t i;
	char a[20];

	t->cache.limit = 1000;
	t->cache.tablesize = 337;
	t_iface(t, "em0", true);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	/* Ten hosts confirmed by answering a refresh query. */
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		arp_req(t, 0, a, mac(i + 1), "203.0.113.200");
	}
	assert_int_equal(t_timer(t, t0 + 285000), 10);
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		arp_answer(t, 0, a, mac(i + 1));
	}
	assert_int_equal(cnt(t)->refreshed, 10);
	/* 100,000 invented senders. */
	for (i = 0; i < 100000; i++) {
		t_invented(t, i);
		assert_true(core_cache_count(t->core) <= 1000);
	}
	assert_int_equal(core_cache_count(t->core), 1000);
	assert_int_equal(cnt(t)->table_full, 100000 - 990);
	assert_int_equal(cnt(t)->learned, 10 + 100000);
	/* The last one evicted the oldest unconfirmed: route out, in. */
	l = want_log(t, 0, 0, CORE_EV_TABLE_FULL, "198.19.134.159");
	assert_int_equal(l->level, CORE_LOG_WARNING);
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 0, "198.19.130.193");
	t_logfmt(t, 0, "em0: cache full (limit 1000), evicted unconfirmed "
	    "198.19.130.193 for 198.19.134.159 at 02:55:00:01:86:9f");
	want_log(t, 2, 0, CORE_EV_LEARNED, "198.19.134.159");
	want_route(t, 3, CORE_ACT_ROUTE_ADD, 0, "198.19.134.159");
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		want_entry(t, a, 0, mac(i + 1));
	}
	/* Memory: the pool ends at the limit. */
	assert_true(core_cache_entry_size() <= 96);
	assert_true(core_memory(t->core) <=
	    1000 * core_cache_entry_size() + 4096);
}

/*
 * Hosts renewed by their own traffic for a while are established: a
 * flood of invented senders must not evict them, although they never
 * had to answer a refresh query.  Newcomers stay on probation.
 */
static void
test_full_table_keeps_established(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	uint32_t i;
	char a[20];

	t->cache.limit = 100;
	t_iface(t, "em0", true);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		arp_req(t, 0, a, mac(i + 1), "203.0.113.200");
	}
	/* Fifty more that spoke once, a little later. */
	t->now = t0 + 5000;
	for (i = 0; i < 50; i++)
		t_invented(t, 200000 + i);
	/* The ten speak again 15 s after they were learned. */
	t->now = t0 + 15000;
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		arp_req(t, 0, a, mac(i + 1), "203.0.113.201");
	}
	assert_int_equal(cnt(t)->refreshed, 0);
	/* 10,000 invented senders at once. */
	for (i = 0; i < 10000; i++) {
		t_invented(t, i);
		assert_true(core_cache_count(t->core) <= 100);
	}
	for (i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "203.0.113.%u", i + 1);
		want_entry(t, a, 0, mac(i + 1));
	}
	/* 40 fill the table; each of the others evicts one on probation. */
	assert_int_equal(cnt(t)->table_full, 10000 - 40);
	assert_int_equal(cnt(t)->established, 10);
	/* ...and are still answered for. */
	assert_int_equal(arp_req(t, 0, "203.0.113.1", mac(1),
	    "203.0.113.2"), 1);
	want_arp_reply(t, 0, 0, mac(2), "203.0.113.2", mac(1), "203.0.113.1");
}

static void
test_full_table_all_confirmed_refuses(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	const struct core_log *l;

	t->cache.limit = 2;
	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.1", mac(1), "198.51.100.9");
	arp_req(t, 0, "198.51.100.2", mac(2), "198.51.100.9");
	t_timer(t, t0 + 285000);
	arp_answer(t, 0, "198.51.100.1", mac(1));
	arp_answer(t, 0, "198.51.100.2", mac(2));
	assert_int_equal(arp_req(t, 0, "198.51.100.3", mac(3),
	    "198.51.100.9"), 1);
	l = want_log(t, 0, 0, CORE_EV_TABLE_FULL, "198.51.100.3");
	assert_int_equal(l->target.family, 0);
	t_logfmt(t, 0, "em0: cache full (limit 2), refused 198.51.100.3 at "
	    "00:00:5e:00:53:03: every entry is confirmed or static");
	want_no_entry(t, "198.51.100.3");
	assert_int_equal(cnt(t)->table_full, 1);
	assert_int_equal(core_cache_count(t->core), 2);
}

/* ---- hosts moving between interfaces ---- */

static void
move_setup(struct t *t, bool r0, bool r1)
{
	t_iface(t, "em0", r0);
	t_iface(t, "em1", r1);
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 1, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	t_up(t, 1);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
}

static void
test_move_with_routes_on_both(void **state)
{
	struct t *t = *state;
	const struct core_action *a;

	move_setup(t, true, true);
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "198.51.100.20");
	assert_int_equal(arp_req(t, 1, "198.51.100.20", mac(0x21),
	    "198.51.100.30"), 2);
	a = act(t, 0, CORE_ACT_LOG, 1);
	assert_int_equal(a->old_iface, 0);
	assert_int_equal(a->u.log.event, CORE_EV_MOVED);
	assert_int_equal(a->u.log.level, CORE_LOG_NOTICE);
	t_logfmt(t, 0, "198.51.100.20 moved from em0 (00:00:5e:00:53:20) to "
	    "em1 (00:00:5e:00:53:21)");
	want_route(t, 1, CORE_ACT_ROUTE_MOVE, 1, "198.51.100.20");
	assert_int_equal(t->acts.v[1].old_iface, 0);
	want_entry(t, "198.51.100.20", 1, mac(0x21));
}

static void
test_move_route_only_on_old(void **state)
{
	struct t *t = *state;

	move_setup(t, true, false);
	assert_int_equal(arp_req(t, 1, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 2);
	want_log(t, 0, 1, CORE_EV_MOVED, "198.51.100.20");
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 0, "198.51.100.20");
}

static void
test_move_route_only_on_new(void **state)
{
	struct t *t = *state;

	move_setup(t, false, true);
	assert_int_equal(t->acts.n, 1);
	assert_int_equal(arp_req(t, 1, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 2);
	want_log(t, 0, 1, CORE_EV_MOVED, "198.51.100.20");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 1, "198.51.100.20");
	/* And back, without routes. */
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 2);
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 1, "198.51.100.20");
}

static void
test_move_without_routes(void **state)
{
	struct t *t = *state;

	move_setup(t, false, false);
	assert_int_equal(arp_req(t, 1, "198.51.100.20", mac(0x20),
	    "198.51.100.30"), 1);
	want_log(t, 0, 1, CORE_EV_MOVED, "198.51.100.20");
}

/* ---- truncated frames ---- */

static void
truncations(struct t *t, const uint8_t *f, size_t full, size_t l3min,
    enum codec_verdict l3short, enum codec_verdict tail)
{
	size_t len;

	for (len = 0; len < full; len++) {
		uint64_t before[CODEC_VERDICT_COUNT];
		enum codec_verdict want = len < 14 ? CODEC_DROP_SHORT_ETHER :
		    len < l3min ? l3short : tail;
		uint8_t copy[FRAMES_BUFSIZE];

		memcpy(before, cnt(t)->rx_dropped, sizeof(before));
		/* An exact-size buffer: ASan catches any read past it. */
		memcpy(copy, f, len);
		{
			uint8_t *heap = malloc(len > 0 ? len : 1);

			assert_non_null(heap);
			memcpy(heap, copy, len);
			core_actions_clear(&t->acts);
			core_input(t->core, 0, heap, len, t->now, &t->acts);
			free(heap);
		}
		assert_int_equal(t->acts.n, 0);
		before[want]++;
		assert_memory_equal(before, cnt(t)->rx_dropped,
		    sizeof(before));
	}
}

static void
test_every_truncation_dropped(void **state)
{
	struct t *t = *state;
	uint8_t f[FRAMES_BUFSIZE], grp[16], gmac[6], opt[8];
	size_t len;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_rule(t, 0, "::/0", "::/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
	/* ARP request and reply: 42 bytes before the padding. */
	frames_arp(f, FRAMES_BCAST, mac(1), 1, mac(1), ipb("198.51.100.1"),
	    NULL, ipb("198.51.100.2"), 60);
	truncations(t, f, 42, 42, CODEC_DROP_ARP_SHORT, CODEC_DROP_ARP_SHORT);
	frames_arp(f, T_MAC0, mac(1), 2, mac(1), ipb("198.51.100.1"), T_MAC0,
	    ipb("198.51.100.254"), 60);
	truncations(t, f, 42, 42, CODEC_DROP_ARP_SHORT, CODEC_DROP_ARP_SHORT);
	/* NS with a source option, DAD NS, NA with a target option. */
	solicited_node(ipb("2001:db8:1::2"), grp, gmac);
	len = frames_nd(f, gmac, mac(1), ipb("2001:db8:1::1"), grp, 255,
	    FRAMES_ND_NS, 0, 0, ipb("2001:db8:1::2"), opt,
	    frames_opt_lla(opt, FRAMES_OPT_SLLA, mac(1)));
	truncations(t, f, len, 54, CODEC_DROP_IP6_SHORT,
	    CODEC_DROP_IP6_LENGTH);
	len = frames_nd(f, gmac, mac(1), ipb("::"), grp, 255, FRAMES_ND_NS, 0,
	    0, ipb("2001:db8:1::2"), NULL, 0);
	truncations(t, f, len, 54, CODEC_DROP_IP6_SHORT,
	    CODEC_DROP_IP6_LENGTH);
	len = frames_nd(f, T_MAC0, mac(1), ipb("2001:db8:1::1"),
	    ipb("fe80::1"), 255, FRAMES_ND_NA, 0, 0x60, ipb("2001:db8:1::1"),
	    opt, frames_opt_lla(opt, FRAMES_OPT_TLLA, mac(1)));
	truncations(t, f, len, 54, CODEC_DROP_IP6_SHORT,
	    CODEC_DROP_IP6_LENGTH);
	assert_int_equal(cnt(t)->rx_dropped[CODEC_DROP_SHORT_ETHER], 5 * 14);
	assert_int_equal(cnt(t)->rx_dropped[CODEC_DROP_ARP_SHORT], 2 * 28);
	assert_int_equal(cnt(t)->rx_dropped[CODEC_DROP_IP6_SHORT], 3 * 40);
	assert_int_equal(cnt(t)->learned, 0);
	assert_int_equal(cnt(t)->answered, 0);
	assert_int_equal(core_cache_count(t->core), 0);
}

/* Other malformed frames are counted by their verdict. */
static void
test_malformed_counted(void **state)
{
	struct t *t = *state;

	lan_tell(t, 0);
	t->len = frames_arp(t->frame, FRAMES_BCAST, mac(1), 3, mac(1),
	    ipb("198.51.100.1"), NULL, ipb("198.51.100.2"), 60);
	assert_int_equal(t_feed(t, 0), 0);
	t->frame[FRAMES_OFF_ETHERTYPE] = 0x81; /* 802.1Q */
	t->frame[FRAMES_OFF_ETHERTYPE + 1] = 0x00;
	assert_int_equal(t_feed(t, 0), 0);
	assert_int_equal(cnt(t)->rx_dropped[CODEC_DROP_ARP_OPCODE], 1);
	assert_int_equal(cnt(t)->rx_dropped[CODEC_DROP_ETHERTYPE], 1);
}

/* ---- reload ---- */

static void
test_reload_keeps_entries(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));
	struct core_entry_info before, after;

	assert_non_null(n);
	t_iface(t, "em0", true);
	t_iface(t, "em1", true);
	t_static(t, 0, "198.51.100.50", mac(0x50));
	t_static(t, 1, "203.0.113.70", mac(0x70));
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 1, "0.0.0.0/0", "203.0.113.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 0, "198.51.100.50");
	t_up(t, 1);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 1, "203.0.113.70");
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	arp_req(t, 1, "203.0.113.30", mac(0x30), "203.0.113.31");
	arp_req(t, 1, "203.0.113.31", mac(0x31), "203.0.113.30");
	assert_true(entry(t, "203.0.113.31", &before));
	t->now += 5000;

	/* New: em1 first (index 0), em2 new; em0 gone. */
	t_defaults(n);
	t_iface(n, "em1", true);
	t_iface(n, "em2", false);
	t_static(n, 0, "203.0.113.30", mac(0x3f));	/* overrides learned */
	t_static(n, 0, "203.0.113.60", mac(0x60));	/* new */
	t_rule(n, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "203.0.113.1");
	/* Never reached: the learning scope that keeps em1's entries. */
	t_rule(n, 0, "0.0.0.0/0", "203.0.113.0/24", 0, "tell");
	core_actions_clear(&t->acts);
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	/*
	 * Only ROUTE_DEL, named like every action: the new index (em1 is
	 * 0 now), CORE_NO_IFACE for em0, which is gone; and by name.
	 */
	assert_int_equal(t->acts.n, 3);
	want_route_on(t, 0, CORE_ACT_ROUTE_DEL, CORE_NO_IFACE, "em0",
	    "198.51.100.50");
	want_route_on(t, 1, CORE_ACT_ROUTE_DEL, 0, "em1", "203.0.113.70");
	want_route_on(t, 2, CORE_ACT_ROUTE_DEL, CORE_NO_IFACE, "em0",
	    "198.51.100.20");
	want_no_entry(t, "198.51.100.20");
	want_no_entry(t, "198.51.100.50");
	want_no_entry(t, "203.0.113.70");
	/* The learned entry of em1 stays as it was, routed. */
	assert_true(entry(t, "203.0.113.31", &after));
	assert_int_equal(after.iface, 0);
	assert_true(after.expire == before.expire);
	assert_true(after.routed);
	/* The static replaced the learned pair; its route stays. */
	assert_true(entry(t, "203.0.113.30", &after));
	assert_true(after.is_static);
	assert_true(after.routed);
	assert_memory_equal(after.mac.b, mac(0x3f), 6);
	/* The rest comes with the next timer, at once. */
	assert_true(core_next_deadline(t->core) == t->now);
	assert_int_equal(t_timer(t, t->now), 2);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 0, "203.0.113.60");
	/* em1 kept its MAC (02:..:02) and addresses. */
	{
		uint8_t f[FRAMES_BUFSIZE];
		size_t len = frames_arp(f, FRAMES_BCAST, T_MAC1, 1, T_MAC1,
		    ipb("203.0.113.254"), NULL, ipb("203.0.113.1"), 60);

		assert_int_equal(t->acts.v[1].kind, CORE_ACT_SEND);
		assert_int_equal(t->acts.v[1].iface, 0);
		assert_memory_equal(t->acts.v[1].u.send.frame, f, len);
	}
	assert_true(core_next_deadline(t->core) == t->now + 1000);
	/* The interface names follow the new indices. */
	assert_int_equal(arp_req(t, 0, "203.0.113.30", mac(0x30),
	    "203.0.113.30"), 1);
	t_logfmt(t, 0, "em1: refused 203.0.113.30 at 00:00:5e:00:53:30: "
	    "static pair at 00:00:5e:00:53:3f");
	/* em2 is not up: nothing from it. */
	assert_int_equal(arp_req(t, 1, "192.0.2.1", mac(1), "192.0.2.2"), 0);
	assert_int_equal(cnt(t)->rx_unknown_iface, 1);
	conf_free(n->conf);
	free(n);
}

/* A smaller limit keeps the newest unconfirmed entries. */
static void
test_reload_smaller_limit(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	lan_tell(t, 0);
	arp_req(t, 0, "198.51.100.1", mac(1), "198.51.100.9");
	arp_req(t, 0, "198.51.100.2", mac(2), "198.51.100.9");
	arp_req(t, 0, "198.51.100.3", mac(3), "198.51.100.9");
	t_defaults(n);
	n->cache.limit = 2;
	n->cache.refresh_count = 1;
	t_iface(n, "em0", false);
	t_rule(n, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	want_no_entry(t, "198.51.100.1");
	want_entry(t, "198.51.100.2", 0, mac(2));
	want_entry(t, "198.51.100.3", 0, mac(3));
	/* The oldest of the kept goes first when the table is full. */
	t_timer(t, t->now);
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.9"), 2);
	want_log(t, 0, 0, CORE_EV_TABLE_FULL, "198.51.100.4");
	want_no_entry(t, "198.51.100.2");
	/* Refresh 1*5 s now: one query at E - 5 s. */
	assert_true(core_next_deadline(t->core) == t->now + 295000);
	conf_free(n->conf);
	free(n);
}

/* ---- interfaces down and up, shutdown ---- */

static void
test_iface_down_up_and_shutdown(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", true);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_static(t, 0, "198.51.100.50", mac(0x50));
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	core_actions_clear(&t->acts);
	core_iface_down(t->core, 0, t->now, &t->acts);
	assert_int_equal(t->acts.n, 0);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	/* While down, refresh queries are not sent; the entry ages. */
	assert_int_equal(t_timer(t, t->now + 285000), 0);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 2);
	want_route(t, 0, CORE_ACT_ROUTE_ADD, 0, "198.51.100.50");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "198.51.100.20");
	core_actions_clear(&t->acts);
	core_shutdown(t->core, &t->acts);
	assert_int_equal(t->acts.n, 2);
	want_route(t, 0, CORE_ACT_ROUTE_DEL, 0, "198.51.100.50");
	want_route(t, 1, CORE_ACT_ROUTE_DEL, 0, "198.51.100.20");
	core_actions_clear(&t->acts);
	core_shutdown(t->core, &t->acts);
	assert_int_equal(t->acts.n, 0);
}

/* ---- IPv6 ---- */

static void
v6_setup(struct t *t, bool routes, bool router)
{
	t_iface(t, "em0", routes);
	t_rule(t, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	t_rule(t, 0, "2001:db8:2::/64", "2001:db8:1::/64", 0,
	    router ? "2001:db8:1::1" : "ignore");
	t_rule(t, 0, "::/128", "2001:db8:1::/64", 0, "tell");
	t_rule(t, 0, "fe80::/10", "::/0", 0, "tell");
	t_start(t);
	t_up(t, 0);
}

static void
test_v6_tell_na_flags(void **state)
{
	struct t *t = *state;

	v6_setup(t, false, true);
	assert_int_equal(ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20),
	    "2001:db8:1::30"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::20");
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::20"), 2);
	/*
	 * S set, O clear (RFC 4861 7.2.8), unicast to the requester, from
	 * the interface's link-local address (4.4).
	 */
	want_na(t, 1, 0, mac(0x10), "2001:db8:1::20", "2001:db8:1::10",
	    0x40, mac(0x20));
	/* DAD for an owned address by another MAC: to all-nodes, S=0. */
	assert_int_equal(ns(t, 0, "::", mac(0x40), NULL, "2001:db8:1::20"),
	    1);
	want_na(t, 0, 0, mac(0x40), "2001:db8:1::20", "ff02::1", 0,
	    mac(0x20));
	/* DAD by the owner, or for a free address: silence. */
	assert_int_equal(ns(t, 0, "::", mac(0x20), NULL, "2001:db8:1::20"),
	    0);
	assert_int_equal(ns(t, 0, "::", mac(0x40), NULL, "2001:db8:1::41"),
	    0);
	/* An NS without source option: not learned, answered to eth src. */
	assert_int_equal(ns(t, 0, "2001:db8:1::11", mac(0x11), NULL,
	    "2001:db8:1::20"), 1);
	want_na(t, 0, 0, mac(0x11), "2001:db8:1::20", "2001:db8:1::11",
	    0x40, mac(0x20));
	want_no_entry(t, "2001:db8:1::11");
	/* A source option that is not the Ethernet source: not learned. */
	assert_int_equal(ns(t, 0, "2001:db8:1::12", mac(0x66), mac(0x12),
	    "2001:db8:1::20"), 1);
	want_na(t, 0, 0, mac(0x12), "2001:db8:1::20", "2001:db8:1::12",
	    0x40, mac(0x20));
	want_no_entry(t, "2001:db8:1::12");
	assert_int_equal(cnt(t)->answered, 4);
}

/*
 * RFC 4861 7.2.8: a proxy's solicited NA has O=0, for tell as for
 * redirect; the source is the interface's link-local (4.4), never the
 * target.
 */
static void
test_v6_proxy_na_override_zero(void **state)
{
	struct t *t = *state;
	const struct core_action *a;

	v6_setup(t, false, true);
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::20"), 2);
	a = act(t, 1, CORE_ACT_SEND, 0);
	assert_int_equal(a->u.send.frame[FRAMES_OFF_ICMP + 4] &
	    CODEC_NA_OVERRIDE, 0);
	assert_memory_equal(a->u.send.frame + 22, ipb("fe80::1"), 16);
}

static void
test_v6_announcements(void **state)
{
	struct t *t = *state;

	v6_setup(t, true, true);
	/* Unsolicited NA to all-nodes: learned when TLLA == eth src. */
	assert_int_equal(na(t, 0, FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1),
	    mac(0x20), "2001:db8:1::20", "ff02::1", "2001:db8:1::20", 0x20,
	    mac(0x20)), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::20");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "2001:db8:1::20");
	assert_int_equal(na(t, 0, FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1),
	    mac(0x66), "2001:db8:1::21", "ff02::1", "2001:db8:1::21", 0x20,
	    mac(0x21)), 0);
	want_no_entry(t, "2001:db8:1::21");
	/* A solicited NA nobody asked for. */
	assert_int_equal(na(t, 0, T_MAC0, mac(0x22), "2001:db8:1::22",
	    "fe80::1", "2001:db8:1::22", 0x60, mac(0x22)), 0);
	want_no_entry(t, "2001:db8:1::22");
	assert_int_equal(cnt(t)->unsolicited, 1);
	/* An NS for its own address from itself is never answered. */
	assert_int_equal(ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20),
	    "2001:db8:1::20"), 0);
	assert_int_equal(cnt(t)->announcements, 3);
	/* Link-local hosts are learned without a host route. */
	assert_int_equal(ns(t, 0, "fe80::21", mac(0x21), mac(0x21),
	    "2001:db8:1::20"), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "fe80::21");
	want_na(t, 1, 0, mac(0x21), "2001:db8:1::20", "fe80::21", 0x40,
	    mac(0x20));
}

/*
 * RFC 4861 7.2.6: owners announce with O=1.  An unsolicited NA with O=0
 * is another proxy's (a DAD defence, 7.2.8): never learned, also not
 * as a change of a known entry.
 */
static void
test_v6_unsolicited_na_needs_override(void **state)
{
	struct t *t = *state;

	v6_setup(t, false, false);
	assert_int_equal(na(t, 0, FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1),
	    mac(0x20), "2001:db8:1::20", "ff02::1", "2001:db8:1::20", 0x00,
	    mac(0x20)), 0);
	want_no_entry(t, "2001:db8:1::20");
	assert_int_equal(cnt(t)->learned, 0);
	assert_int_equal(cnt(t)->announcements, 1);
	/* The owner's own announcement (O=1) is learned. */
	assert_int_equal(na(t, 0, FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1),
	    mac(0x21), "2001:db8:1::20", "ff02::1", "2001:db8:1::20", 0x20,
	    mac(0x21)), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "2001:db8:1::20");
	/* A proxy defending it later changes nothing. */
	assert_int_equal(na(t, 0, FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1),
	    mac(0x22), "2001:db8:1::20", "ff02::1", "2001:db8:1::20", 0x00,
	    mac(0x22)), 0);
	want_entry(t, "2001:db8:1::20", 0, mac(0x21));
	assert_int_equal(cnt(t)->learned, 1);
}

static void
test_v6_router_solicited_node(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	v6_setup(t, false, true);
	/* Up: NS for the router to its solicited-node group. */
	assert_int_equal(t->acts.n, 1);
	want_ns(t, 0, 0, NULL, "2001:db8:1::1");
	assert_int_equal(ns(t, 0, "2001:db8:2::5", mac(5), mac(5),
	    "2001:db8:1::77"), 1);
	assert_int_equal(cnt(t)->unresolved, 1);
	/* The router's solicited NA (R, S, O) within the timeout. */
	t->now = t0 + 500;
	assert_int_equal(na(t, 0, T_MAC0, mac(1), "2001:db8:1::1", "fe80::1",
	    "2001:db8:1::1", 0xe0, mac(1)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "2001:db8:1::1");
	/* Redirect: the router's MAC, S set, O clear (RFC 4861 7.2.8). */
	assert_int_equal(ns(t, 0, "2001:db8:2::5", mac(5), mac(5),
	    "2001:db8:1::77"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::77", "2001:db8:2::5", 0x40,
	    mac(1));
	/* DAD never gets a redirect. */
	assert_int_equal(ns(t, 0, "::", mac(5), NULL, "2001:db8:1::77"), 0);
}

/*
 * RFC 4861 7.2.5: a host clears IsRouter on an NA with R=0.  tell answers
 * carry the R flag of the owner's own latest NA; other sources of the
 * pair leave it, a new MAC (another owner) clears it.
 */
static void
test_v6_tell_router_flag(void **state)
{
	struct t *t = *state;
	const uint8_t *allnodes = FRAMES_BYTES(0x33, 0x33, 0, 0, 0, 1);

	v6_setup(t, false, false);
	/* The router announces itself: R, O. */
	assert_int_equal(na(t, 0, allnodes, mac(0x30), "2001:db8:1::30",
	    "ff02::1", "2001:db8:1::30", 0xa0, mac(0x30)), 1);
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::30"), 2);
	want_na(t, 1, 0, mac(0x10), "2001:db8:1::30", "2001:db8:1::10",
	    0xc0, mac(0x30));
	/* Its own NS does not change it. */
	assert_int_equal(ns(t, 0, "2001:db8:1::30", mac(0x30), mac(0x30),
	    "2001:db8:1::10"), 1);
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::30"), 1);
	want_na(t, 0, 0, mac(0x10), "2001:db8:1::30", "2001:db8:1::10",
	    0xc0, mac(0x30));
	/* It stops routing: R=0 in its next announcement. */
	assert_int_equal(na(t, 0, allnodes, mac(0x30), "2001:db8:1::30",
	    "ff02::1", "2001:db8:1::30", 0x20, mac(0x30)), 0);
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::30"), 1);
	want_na(t, 0, 0, mac(0x10), "2001:db8:1::30", "2001:db8:1::10",
	    0x40, mac(0x30));
	/*
	 * R again; then another MAC says nothing of routing: cleared (once
	 * the old MAC has not answered a query for the timeout).
	 */
	na(t, 0, allnodes, mac(0x30), "2001:db8:1::30", "ff02::1",
	    "2001:db8:1::30", 0xa0, mac(0x30));
	assert_int_equal(ns(t, 0, "2001:db8:1::30", mac(0x31), mac(0x31),
	    "2001:db8:1::10"), 2);
	assert_memory_equal(act(t, 0, CORE_ACT_SEND, 0)->u.send.frame,
	    mac(0x30), 6);
	t->now += 1001;
	assert_int_equal(ns(t, 0, "2001:db8:1::30", mac(0x31), mac(0x31),
	    "2001:db8:1::10"), 2);
	want_log(t, 0, 0, CORE_EV_CHANGED, "2001:db8:1::30");
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::30"), 1);
	want_na(t, 0, 0, mac(0x10), "2001:db8:1::30", "2001:db8:1::10",
	    0x40, mac(0x31));
	/* A solicited NA (answer to our refresh) with R sets it. */
	assert_int_equal(t_timer(t, t->now + 285000), 2);
	/* ::10's refresh comes first, ::30 having changed 1 s later. */
	want_ns(t, 1, 0, mac(0x31), "2001:db8:1::30");
	assert_int_equal(na(t, 0, T_MAC0, mac(0x31), "2001:db8:1::30",
	    "fe80::1", "2001:db8:1::30", 0xe0, mac(0x31)), 0);
	assert_int_equal(cnt(t)->refreshed, 1);
	assert_int_equal(ns(t, 0, "2001:db8:1::10", mac(0x10), mac(0x10),
	    "2001:db8:1::30"), 1);
	want_na(t, 0, 0, mac(0x10), "2001:db8:1::30", "2001:db8:1::10",
	    0xc0, mac(0x31));
}

/*
 * One link-local router address on two links: two routers, each
 * resolved on its own interface (RFC 4007 zones), also after a reload
 * that renumbers the interfaces.
 */
static void
test_v6_linklocal_per_interface(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));
	struct core_entry_info e;
	struct addr_ip ll = ip("fe80::99");
	const struct core_action *a;
	unsigned i;

	assert_non_null(n);
	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	for (i = 0; i < 2; i++) {
		t_rule(t, i, "::/0", "2001:db8::/32", 0, "fe80::99");
		t_rule(t, i, "fe80::/10", "fe80::/10", 0, "tell");
	}
	t_start(t);
	t_up(t, 0);
	want_ns(t, 0, 0, NULL, "fe80::99");
	t_up(t, 1);
	want_ns(t, 0, 1, NULL, "fe80::99");
	assert_int_equal(na(t, 0, T_MAC0, mac(0xa0), "fe80::99", "fe80::1",
	    "fe80::99", 0x60, mac(0xa0)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "fe80::99");
	assert_int_equal(na(t, 1, T_MAC1, mac(0xb0), "fe80::99", "fe80::2",
	    "fe80::99", 0x60, mac(0xb0)), 1);
	want_log(t, 0, 1, CORE_EV_ROUTER_RESOLVED, "fe80::99");
	assert_int_equal(core_cache_count(t->core), 2);
	assert_true(core_lookup(t->core, 0, &ll, &e));
	assert_memory_equal(e.mac.b, mac(0xa0), 6);
	assert_true(core_lookup(t->core, 1, &ll, &e));
	assert_memory_equal(e.mac.b, mac(0xb0), 6);
	/* Nothing left to resolve: only the refresh timers. */
	assert_true(core_next_deadline(t->core) == t->now + 285000);
	assert_int_equal(t_timer(t, t->now + 5000), 0);
	/* Each link's redirect answers with its own router. */
	assert_int_equal(ns(t, 0, "2001:db8:1::5", mac(5), NULL,
	    "2001:db8:1::77"), 1);
	want_na(t, 0, 0, mac(5), "2001:db8:1::77", "2001:db8:1::5", 0x40,
	    mac(0xa0));
	assert_int_equal(ns(t, 1, "2001:db8:1::5", mac(5), NULL,
	    "2001:db8:1::77"), 1);
	want_na(t, 0, 1, mac(5), "2001:db8:1::77", "2001:db8:1::5", 0x40,
	    mac(0xb0));
	/* tell for the same address on each link. */
	assert_int_equal(ns(t, 1, "fe80::5", mac(5), mac(5), "fe80::99"), 2);
	want_na(t, 1, 1, mac(5), "fe80::99", "fe80::5", 0x40, mac(0xb0));
	/* Reload with the interfaces in the other order. */
	t_defaults(n);
	t_iface(n, "em1", false);
	t_iface(n, "em0", false);
	for (i = 0; i < 2; i++) {
		t_rule(n, i, "::/0", "2001:db8::/32", 0, "fe80::99");
		t_rule(n, i, "fe80::/10", "fe80::/10", 0, "tell");
	}
	core_actions_clear(&t->acts);
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	assert_int_equal(t->acts.n, 0);
	assert_int_equal(t_timer(t, t->now), 0);
	assert_true(core_lookup(t->core, 0, &ll, &e));
	assert_memory_equal(e.mac.b, mac(0xb0), 6);
	assert_int_equal(e.iface, 0);
	assert_true(core_lookup(t->core, 1, &ll, &e));
	assert_memory_equal(e.mac.b, mac(0xa0), 6);
	assert_int_equal(e.iface, 1);
	/* em0 is index 1 now: its router is still 0xa0. */
	assert_int_equal(ns(t, 1, "2001:db8:1::6", mac(6), NULL,
	    "2001:db8:1::77"), 1);
	/* (sent from em0's MAC, which want_na cannot know: check TLLA) */
	a = act(t, 0, CORE_ACT_SEND, 1);
	assert_memory_equal(a->u.send.frame + 6, T_MAC0, 6);
	assert_memory_equal(a->u.send.frame + a->u.send.len - 6, mac(0xa0),
	    6);
	assert_int_equal(cnt(t)->queries_sent, 2);
	conf_free(n->conf);
	free(n);
}

static void
test_v6_refresh(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	v6_setup(t, true, false);
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	assert_int_equal(t_timer(t, t0 + 285000), 1);
	/* Unicast NS to the known MAC from the link-local address. */
	want_ns(t, 0, 0, mac(0x20), "2001:db8:1::20");
	/* RFC 4861 7.2.4: the answer may omit the target option. */
	t->now = t0 + 285100;
	assert_int_equal(na(t, 0, T_MAC0, mac(0x20), "2001:db8:1::20",
	    "fe80::1", "2001:db8:1::20", 0x60, NULL), 0);
	assert_int_equal(cnt(t)->refreshed, 1);
	/* Without the option, from another MAC: refused. */
	assert_int_equal(t_timer(t, t0 + 285100 + 285000), 1);
	assert_int_equal(na(t, 0, T_MAC0, mac(0x66), "2001:db8:1::20",
	    "fe80::1", "2001:db8:1::20", 0x60, NULL), 0);
	assert_int_equal(cnt(t)->unsolicited, 1);
	/* With it: fine. */
	assert_int_equal(na(t, 0, T_MAC0, mac(0x20), "2001:db8:1::20",
	    "fe80::1", "2001:db8:1::20", 0x60, mac(0x20)), 0);
	assert_int_equal(cnt(t)->refreshed, 2);
}

/* No link-local address: no IPv6 queries at all; entries just expire. */
static void
test_v6_without_link_local(void **state)
{
	struct t *t = *state;
	struct core_ifinfo info;
	uint64_t t0 = t->now;

	t_iface(t, "em0", false);
	t_rule(t, 0, "::/0", "::/0", 0, "2001:db8:1::1");
	t_rule(t, 0, "::/0", "2001:db8:1::/64", 0, "tell");
	t_start(t);
	memset(&info, 0, sizeof(info));
	info.mac = amac(T_MAC0);
	info.addrs[0] = ip("2001:db8:1::fe");
	info.naddrs = 1;
	core_iface_up(t->core, 0, &info, t->now, &t->acts);
	assert_int_equal(t->acts.n, 0);
	ns(t, 0, "2001:db8:1::20", mac(0x20), mac(0x20), "2001:db8:1::30");
	assert_int_equal(t_timer(t, t0 + 285000), 0);
	assert_int_equal(t_timer(t, t0 + 300000), 1);
	want_log(t, 0, 0, CORE_EV_EXPIRED, "2001:db8:1::20");
	assert_int_equal(cnt(t)->queries_sent, 0);
}

/* ---- dump ---- */

/* The counter with this name, through the core's view. */
static uint64_t
counter_named(struct t *t, const char *want)
{
	char name[64];
	uint64_t v;
	size_t i;

	for (i = 0; core_counter_at(t->core, i, name, sizeof(name), &v); i++)
		if (strcmp(name, want) == 0)
			return v;
	fail_msg("no counter %s", want);
	return 0;
}

static void
want_next(struct t *t, struct core_cursor *cur, const char *addr,
    const uint8_t *m, struct core_entry_info *e)
{
	struct addr_ip a = ip(addr);

	assert_true(core_entry_next(t->core, cur, e));
	assert_true(addr_ip_equal(&e->ip, &a));
	assert_memory_equal(e->mac.b, m, 6);
	assert_int_equal(e->iface, 0);
}

static void
test_dump(void **state)
{
	static const uint8_t zero[6];
	struct t *t = *state;
	struct core_cursor cur = { 0 };
	struct core_entry_info e;
	char name[64];
	uint64_t v;
	size_t n;

	t_iface(t, "em0", true);
	t_rule(t, 0, "192.0.2.0/24", "0.0.0.0/0", 0, "192.0.2.1");
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_static(t, 0, "198.51.100.50", mac(0x50));
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t->len = 10;
	t_feed(t, 0);
	/* Counters by name, rx_frames first, entries last. */
	assert_true(core_counter_at(t->core, 0, name, sizeof(name), &v));
	assert_string_equal(name, "rx_frames");
	assert_int_equal(v, 2);
	assert_int_equal(counter_named(t, "rx_dropped_ether_short"), 1);
	assert_int_equal(counter_named(t, "learned"), 1);
	assert_int_equal(counter_named(t, "refreshed"), 0);
	assert_int_equal(counter_named(t, "poison_refused"), 0);
	assert_int_equal(counter_named(t, "not_learnable"), 0);
	assert_int_equal(counter_named(t, "queries_sent"), 1);
	assert_int_equal(counter_named(t, "nomem"), 0);
	for (n = 0; core_counter_at(t->core, n, name, sizeof(name), &v); n++)
		;
	assert_true(core_counter_at(t->core, n - 1, name, sizeof(name), &v));
	assert_string_equal(name, "entries");
	assert_int_equal(v, 2);
	/* Entries in the cache's order, then the router being resolved. */
	want_next(t, &cur, "198.51.100.50", mac(0x50), &e);
	assert_true(e.is_static);
	assert_true(e.routed);
	assert_int_equal(e.expire, 0);
	want_next(t, &cur, "198.51.100.20", mac(0x20), &e);
	assert_false(e.is_static || e.confirmed || e.probing || e.resolving);
	assert_true(e.routed);
	assert_int_equal((e.expire - (t->now + 12500)) / 1000, 287);
	want_next(t, &cur, "192.0.2.1", zero, &e);
	assert_true(e.resolving && e.is_router);
	assert_false(e.routed);
	assert_false(core_entry_next(t->core, &cur, &e));
	assert_false(core_entry_next(t->core, &cur, &e));
}

/* ---- more router cases ---- */

static void
test_redirect_with_delay(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", CONF_RULE_DELAY,
	    "198.51.100.254");
	t->cache.delay_count = 2;
	t_start(t);
	t_up(t, 0);
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.77"), 0);
	assert_int_equal(cnt(t)->delayed, 1);
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.77"), 1);
	want_arp_reply(t, 0, 0, T_MAC0, "198.51.100.77", mac(5),
	    "198.51.100.5");
}

/* A static pair for the router: no broadcast; one router on two links. */
static void
test_static_router_and_shared_router(void **state)
{
	struct t *t = *state;

	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "192.0.2.1");
	t_rule(t, 1, "0.0.0.0/0", "0.0.0.0/0", 0, "192.0.2.1");
	/* Never reached: the hosts' learning scope. */
	t_rule(t, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_rule(t, 1, "0.0.0.0/0", "203.0.113.0/24", 0, "tell");
	t_static(t, 0, "192.0.2.1", mac(1));
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t->acts.n, 0);
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.77"), 2);
	want_arp_reply(t, 1, 0, mac(1), "198.51.100.77", mac(5),
	    "198.51.100.5");
	/* On em1 the static pair (of em0) does not count: broadcast. */
	t_up(t, 1);
	assert_int_equal(t->acts.n, 1);
	want_arp_query(t, 0, 1, FRAMES_BCAST, "203.0.113.254", "192.0.2.1");
	/* The router's MAC is guarded from both interfaces. */
	assert_int_equal(arp_req(t, 1, "203.0.113.9", mac(1),
	    "203.0.113.8"), 1);
	want_log(t, 0, 1, CORE_EV_POISON, "203.0.113.9");
	/* Down: em1's resolution stops; only the refresh of .5 is left. */
	assert_true(core_next_deadline(t->core) == t->now + 1000);
	core_actions_clear(&t->acts);
	core_iface_down(t->core, 1, t->now, &t->acts);
	assert_true(core_next_deadline(t->core) == t->now + 285000);
}

/* A router that moves to another interface is resolved again. */
static void
test_router_moves_away(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "198.51.100.1");
	/* em1 learns the address only where it tells it. */
	t_rule(t, 1, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	t_up(t, 1);
	arp_answer(t, 0, "198.51.100.1", mac(1));
	assert_true(core_next_deadline(t->core) == t0 + 285000);
	assert_int_equal(arp_req(t, 1, "198.51.100.1", mac(1),
	    "198.51.100.1"), 1);
	want_log(t, 0, 1, CORE_EV_MOVED, "198.51.100.1");
	assert_true(core_next_deadline(t->core) == t0);
	assert_int_equal(t_timer(t, t0), 1);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
}

/* Reload: confirmed and router entries keep their state. */
static void
test_reload_keeps_confirmed_and_routers(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));
	struct core_entry_info e;
	uint64_t t0 = t->now;

	assert_non_null(n);
	redirect_setup(t);
	t->now = t0 + 10;
	arp_answer(t, 0, "198.51.100.1", mac(1));
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	t_defaults(n);
	t_iface(n, "em0", false);
	t_rule(n, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "198.51.100.1");
	t_rule(n, 0, "::/0", "::/0", 0, "2001:db8:1::1");
	/* Never reached: keeps .20 in the learning scope. */
	t_rule(n, 0, "0.0.0.0/0", "198.51.100.0/24", 0, "tell");
	core_actions_clear(&t->acts);
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	assert_int_equal(t->acts.n, 0);
	assert_true(entry(t, "198.51.100.1", &e));
	assert_true(e.confirmed);
	/* The new IPv6 router is resolved at once; the old one is known. */
	assert_int_equal(t_timer(t, t->now), 1);
	want_ns(t, 0, 0, NULL, "2001:db8:1::1");
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.77"), 1);
	want_arp_reply(t, 0, 0, mac(1), "198.51.100.77", mac(0x20),
	    "198.51.100.20");
	/* Its MAC is still guarded. */
	assert_int_equal(arp_req(t, 0, "198.51.100.21", mac(1),
	    "198.51.100.21"), 1);
	want_log(t, 0, 0, CORE_EV_POISON, "198.51.100.21");
	/* Reload again into the same: the router stays resolved. */
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	assert_int_equal(t_timer(t, t->now), 0);
	conf_free(n->conf);
	free(n);
}

/* ---- robustness ---- */

/* An action list that cannot grow: nothing emitted, nomem counted. */
static void
test_actions_cannot_grow(void **state)
{
	struct t *t = *state;
	struct core_actions full;
	size_t huge = SIZE_MAX / sizeof(struct core_action);
	struct core_entry_info e;

	t_iface(t, "em0", true);
	t_rule(t, 0, "0.0.0.0/0", "0.0.0.0/0", 0, "tell");
	t_start(t);
	full.v = NULL;
	full.n = huge;
	full.cap = huge;
	t_up(t, 0);
	t->len = frames_arp(t->frame, FRAMES_BCAST, mac(0x20), 1, mac(0x20),
	    ipb("198.51.100.20"), NULL, ipb("198.51.100.30"), 60);
	core_input(t->core, 0, t->frame, t->len, t->now, &full);
	t->len = frames_arp(t->frame, FRAMES_BCAST, mac(0x30), 1, mac(0x30),
	    ipb("198.51.100.30"), NULL, ipb("198.51.100.20"), 60);
	core_input(t->core, 0, t->frame, t->len, t->now, &full);
	/* Learned, but neither routed nor answered: nothing was sent. */
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.routed);
	assert_int_equal(cnt(t)->answered, 0);
	assert_int_equal(cnt(t)->nomem, 5);
	core_timer(t->core, t->now + 285000, &full);
	assert_true(entry(t, "198.51.100.20", &e));
	assert_false(e.probing);
	assert_int_equal(full.n, huge);
	/* With room again, the route comes at the next chance. */
	t_up(t, 0);
	assert_int_equal(t->acts.n, 2);
}

static void
test_core_new_refuses(void **state)
{
	struct t *t = *state;
	/* More interfaces than the core's indices hold: no text says that. */
	struct conf c = *t_conf(t);

	c.nifaces = 70000;
	assert_null(core_new(&c, 1, 0));
	core_free(NULL);
}

static void
test_misc_inputs(void **state)
{
	struct t *t = *state;
	struct core_ifinfo info;
	struct core_action a;
	char buf[8] = "x";

	lan_tell(t, 0);
	/* Out-of-range interfaces are ignored. */
	memset(&info, 0, sizeof(info));
	info.naddrs = 99;
	core_iface_up(t->core, 7, &info, t->now, &t->acts);
	core_iface_down(t->core, 7, t->now, &t->acts);
	/* Too many addresses are cut to the array. */
	info.mac = amac(T_MAC0);
	core_iface_up(t->core, 0, &info, t->now, &t->acts);
	/* Formatting: only log actions, never past the buffer. */
	memset(&a, 0, sizeof(a));
	a.kind = CORE_ACT_SEND;
	core_log_format(t->core, &a, buf, sizeof(buf));
	assert_string_equal(buf, "");
	a.kind = CORE_ACT_LOG;
	a.iface = 9;
	a.u.log.event = CORE_EV_LEARNED;
	core_log_format(t->core, &a, buf, 0);
	core_log_format(t->core, &a, buf, sizeof(buf));
	assert_string_equal(buf, "?: lear");
	assert_true(core_cache_entry_size() <= 96);
}


/* ---- the original parpd example, parsed, meaning what it says ---- */

static const char original_conf[] = TESTUTIL_ORIGINAL_CONF;

static void
test_original_example(void **state)
{
	struct t *t = *state;
	struct conf *c = conf_parse_string("original.conf", original_conf,
	    sizeof(original_conf) - 1, NULL, NULL);
	uint64_t t0 = t->now;
	const struct core_log *l;
	int i;

	assert_non_null(c);
	t->core = core_new(c, 7, t->now);
	assert_non_null(t->core);
	conf_free(c);
	t_up(t, 0);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
	/* The interface timeout is 1.011 s: 1012 ms is too late. */
	t->now = t0 + 1012;
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 0);
	assert_int_equal(t_timer(t, t0 + 1011), 1);
	t->now = t0 + 1011 + 1011;
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 1);
	want_log(t, 0, 0, CORE_EV_ROUTER_RESOLVED, "198.51.100.1");
	t0 = t->now;
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.21");
	/* Line 10: nobody is told about 198.51.100.0/29. */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.3"), 1);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.5");
	/* Line 11: .4 is answered at its 4th request within 3 s. */
	for (i = 1; i <= 3; i++)
		arp_req(t, 0, "198.51.100.4", mac(4), "198.51.100.20");
	assert_int_equal(cnt(t)->delayed, 3);
	assert_int_equal(arp_req(t, 0, "198.51.100.4", mac(4),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(4),
	    "198.51.100.4");
	/* Line 12: the rest of the /29 is told at once. */
	assert_int_equal(arp_req(t, 0, "198.51.100.5", mac(5),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(5),
	    "198.51.100.5");
	/* Line 13: the rest of the /24 gets the router for the /24. */
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "198.51.100.99"), 1);
	want_arp_reply(t, 0, 0, mac(1), "198.51.100.99", mac(0x20),
	    "198.51.100.20");
	/* Line 14: and for everything else, logged. */
	assert_int_equal(arp_req(t, 0, "198.51.100.20", mac(0x20),
	    "203.0.113.5"), 2);
	want_arp_reply(t, 0, 0, mac(1), "203.0.113.5", mac(0x20),
	    "198.51.100.20");
	l = want_log(t, 1, 0, CORE_EV_DECIDED, "198.51.100.20");
	assert_int_equal(l->rule_line, 14);
	/*
	 * Line 15: 192.0.2.0/24 is told the /24.  Nobody is told about
	 * 192.0.2.9: it is not learned.
	 */
	assert_int_equal(arp_req(t, 0, "192.0.2.9", mac(9),
	    "198.51.100.20"), 1);
	want_arp_reply(t, 0, 0, mac(0x20), "198.51.100.20", mac(9),
	    "192.0.2.9");
	want_no_entry(t, "192.0.2.9");
	/* Line 16: everything else is ignored, and logged. */
	assert_int_equal(arp_req(t, 0, "192.0.2.9", mac(9), "203.0.113.5"),
	    1);
	l = want_log(t, 0, 0, CORE_EV_DECIDED, "192.0.2.9");
	assert_int_equal(l->rule_line, 16);
	assert_int_equal(l->action, CONF_ACTION_IGNORE);
	/* Cache timeout 302 s, refresh 3*5 s: first query at 287 s. */
	assert_true(core_next_deadline(t->core) == t0 + 287000);
}

/* ---- explain, rule hits, forget ---- */

static struct core_explanation
explain(struct t *t, unsigned i, const char *src, const char *dst)
{
	struct core_explanation x;
	struct addr_ip a = ip(src), b = ip(dst);

	assert_int_equal(core_explain(t->core, i, &a, &b, t->now, &x), 0);
	return x;
}

/* Each verdict as core_input reaches it, and explaining counts nothing. */
static void
test_explain_tell(void **state)
{
	struct t *t = *state;
	struct core_explanation x;
	struct core_counters before;
	struct addr_ip a = ip("198.51.100.10"), b = ip("2001:db8:1::1");

	t_iface(t, "em0", false);
	t_iface(t, "em1", false);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.128/25", 0, "ignore");
	t_start(t);
	t_up(t, 0);
	x = explain(t, 0, "198.51.100.10", "198.51.100.20");
	assert_int_equal(x.reason, CORE_WHY_UNKNOWN);
	assert_true(x.has_rule);
	assert_int_equal(x.rule_line, t_rule_line(t, 0, 0));
	assert_int_equal(x.rule_index, 0);
	assert_int_equal(x.action, CONF_ACTION_TELL);
	assert_false(x.known);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	before = *cnt(t);
	x = explain(t, 0, "198.51.100.10", "198.51.100.20");
	assert_int_equal(x.reason, CORE_WHY_ANSWER);
	assert_memory_equal(x.mac.b, mac(0x20), 6);
	assert_true(x.known);
	assert_memory_equal(x.entry.mac.b, mac(0x20), 6);
	/* The owner asking for itself (its MAC is known to the cache). */
	x = explain(t, 0, "198.51.100.20", "198.51.100.20");
	assert_int_equal(x.reason, CORE_WHY_OWNER_ASKING);
	/* The first rule in file order: .20 is below .128. */
	x = explain(t, 0, "198.51.100.10", "198.51.100.200");
	assert_int_equal(x.reason, CORE_WHY_UNKNOWN);
	assert_int_equal(x.rule_index, 0);
	x = explain(t, 0, "198.51.100.10", "198.51.100.254");
	assert_int_equal(x.reason, CORE_WHY_OWN_ADDRESS);
	assert_false(x.has_rule);
	x = explain(t, 0, "198.51.100.10", "224.0.0.1");
	assert_int_equal(x.reason, CORE_WHY_NOT_NEIGHBOUR);
	x = explain(t, 0, "192.0.2.1", "198.51.100.20");
	assert_int_equal(x.reason, CORE_WHY_NO_RULE);
	/* A probe's 0.0.0.0 lies outside every SRC here. */
	x = explain(t, 0, "0.0.0.0", "198.51.100.20");
	assert_true(x.probe);
	assert_int_equal(x.reason, CORE_WHY_NO_RULE);
	x = explain(t, 1, "198.51.100.10", "198.51.100.20");
	assert_int_equal(x.reason, CORE_WHY_IFACE_DOWN);
	assert_int_equal(core_explain(t->core, 0, &a, &b, t->now, &x), -1);
	assert_int_equal(core_explain(t->core, 2, &a, &a, t->now, &x), -1);
	assert_memory_equal(&before, cnt(t), sizeof(before));
	/* What core_input does agrees. */
	assert_int_equal(arp_req(t, 0, "198.51.100.10", mac(0x10),
	    "198.51.100.20"), 2);
	want_arp_reply(t, 1, 0, mac(0x20), "198.51.100.20", mac(0x10),
	    "198.51.100.10");
}

static void
test_explain_ignore_and_delay(void **state)
{
	struct t *t = *state;
	struct core_explanation x;
	uint64_t delayed;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.51.100.4/32", "198.51.100.0/24", 0, "ignore");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", CONF_RULE_DELAY,
	    "tell");
	t_start(t);
	t_up(t, 0);
	x = explain(t, 0, "198.51.100.4", "198.51.100.9");
	assert_int_equal(x.reason, CORE_WHY_IGNORE_RULE);
	assert_int_equal(x.rule_line, t_rule_line(t, 0, 0));
	arp_req(t, 0, "198.51.100.9", mac(9), "198.51.100.10");
	x = explain(t, 0, "198.51.100.5", "198.51.100.9");
	assert_int_equal(x.reason, CORE_WHY_DELAY);
	assert_int_equal(x.delay_seen, 1);
	assert_int_equal(x.delay_needed, 4);
	delayed = cnt(t)->delayed;
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.9");
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.9");
	assert_int_equal(cnt(t)->delayed, delayed + 2);
	x = explain(t, 0, "198.51.100.5", "198.51.100.9");
	assert_int_equal(x.reason, CORE_WHY_DELAY);
	assert_int_equal(x.delay_seen, 3);
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.9");
	x = explain(t, 0, "198.51.100.5", "198.51.100.9");
	assert_int_equal(x.reason, CORE_WHY_ANSWER);
	assert_int_equal(cnt(t)->delayed, delayed + 3);
	/* Past the window: counting again. */
	t->now += 3001;
	x = explain(t, 0, "198.51.100.5", "198.51.100.9");
	assert_int_equal(x.reason, CORE_WHY_DELAY);
	assert_int_equal(x.delay_seen, 1);
}

static void
test_explain_redirect(void **state)
{
	struct t *t = *state;
	struct core_explanation x;
	struct addr_ip router = ip("198.51.100.1");

	redirect_setup(t);
	x = explain(t, 0, "192.0.2.5", "198.51.100.77");
	assert_int_equal(x.reason, CORE_WHY_UNRESOLVED);
	assert_int_equal(x.action, CONF_ACTION_REDIRECT);
	assert_true(addr_ip_equal(&x.router, &router));
	t->now += 100;
	arp_answer(t, 0, "198.51.100.1", mac(1));
	x = explain(t, 0, "192.0.2.5", "198.51.100.77");
	assert_int_equal(x.reason, CORE_WHY_ANSWER);
	assert_memory_equal(x.mac.b, mac(1), 6);
	x = explain(t, 0, "198.51.100.1", "198.51.100.77");
	assert_int_equal(x.reason, CORE_WHY_ROUTER_ASKING);
	x = explain(t, 0, "0.0.0.0", "198.51.100.77");
	assert_int_equal(x.reason, CORE_WHY_PROBE_REDIRECT);
}

static void
test_rule_hits(void **state)
{
	struct t *t = *state;
	struct t *n = calloc(1, sizeof(*n));
	int i;

	assert_non_null(n);
	t_iface(t, "em0", false);
	t_rule(t, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	t_rule(t, 0, "198.51.100.4/32", "198.51.100.0/24", 0, "ignore");
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_start(t);
	t_up(t, 0);
	for (i = 0; i < 3; i++)
		arp_req(t, 0, "198.51.100.4", mac(4), "198.51.100.9");
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.9");
	/* No rule: counted nowhere. */
	arp_req(t, 0, "192.0.2.5", mac(6), "198.51.100.9");
	assert_int_equal(core_rule_hits(t->core, 0, 0), 0);
	assert_int_equal(core_rule_hits(t->core, 0, 1), 3);
	assert_int_equal(core_rule_hits(t->core, 0, 2), 1);
	assert_int_equal(core_rule_hits(t->core, 0, 3), 0);
	assert_int_equal(core_rule_hits(t->core, 1, 0), 0);
	/*
	 * A reload: the rules that stay keep their counts, wherever they
	 * move; a changed one (verbose added) starts again.
	 */
	t_defaults(n);
	t_iface(n, "em0", false);
	t_rule(n, 0, "192.0.2.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(n, 0, "198.51.100.4/32", "198.51.100.0/24", CONF_RULE_VERBOSE,
	    "ignore");
	t_rule(n, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(n, 0, "2001:db8:1::/64", "2001:db8:1::/64", 0, "tell");
	core_actions_clear(&t->acts);
	assert_int_equal(core_reload(t->core, t_conf(n), t->now, &t->acts), 0);
	assert_int_equal(core_rule_hits(t->core, 0, 0), 0);
	assert_int_equal(core_rule_hits(t->core, 0, 1), 0);
	assert_int_equal(core_rule_hits(t->core, 0, 2), 1);
	assert_int_equal(core_rule_hits(t->core, 0, 3), 0);
	arp_req(t, 0, "198.51.100.5", mac(5), "198.51.100.9");
	assert_int_equal(core_rule_hits(t->core, 0, 2), 2);
	conf_free(n->conf);
	free(n);
}

static void
test_forget(void **state)
{
	struct t *t = *state;
	struct addr_ip a = ip("198.51.100.20"), s = ip("198.51.100.99");
	struct addr_ip ll = ip("fe80::20");

	t_iface(t, "em0", true);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_rule(t, 0, "fe80::/10", "fe80::/10", 0, "tell");
	t_static(t, 0, "198.51.100.99", mac(0x99));
	t_iface(t, "em1", false);
	t_start(t);
	t_up(t, 0);
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	core_actions_clear(&t->acts);
	assert_int_equal(core_forget(t->core, CORE_NO_IFACE, &a, t->now,
	    &t->acts), 1);
	assert_int_equal(t->acts.n, 1);
	want_route(t, 0, CORE_ACT_ROUTE_DEL, 0, "198.51.100.20");
	want_no_entry(t, "198.51.100.20");
	assert_int_equal(core_forget(t->core, CORE_NO_IFACE, &a, t->now,
	    &t->acts), 0);
	/* Static pairs belong to the file. */
	assert_int_equal(core_forget(t->core, 0, &s, t->now, &t->acts), 0);
	want_entry(t, "198.51.100.99", 0, mac(0x99));
	/* On another interface than its own: not this one's to drop. */
	arp_req(t, 0, "198.51.100.20", mac(0x20), "198.51.100.30");
	assert_int_equal(core_forget(t->core, 1, &a, t->now, &t->acts), 0);
	want_entry(t, "198.51.100.20", 0, mac(0x20));
	/* Link-local: per interface, no route. */
	ns(t, 0, "fe80::20", mac(0x21), mac(0x21), "fe80::30");
	core_actions_clear(&t->acts);
	assert_int_equal(core_forget(t->core, CORE_NO_IFACE, &ll, t->now,
	    &t->acts), 1);
	assert_int_equal(t->acts.n, 0);
}

/* ---- sweep ---- */

static void
test_sweep_paced_and_learned(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;
	const char *const asked[] = { "198.51.100.1", "198.51.100.2",
	    "198.51.100.4", "198.51.100.5", "198.51.100.6" };
	size_t k;

	t_iface(t, "em0", true);
	t_rule(t, 0, "198.51.100.0/24", "198.51.100.0/24", 0, "tell");
	t_line(t, 0, "\tsweep 198.51.100.0/29 every 60 rate 10\n");
	t_start(t);
	t_up(t, 0);
	/* .3 is known already: not asked. */
	arp_req(t, 0, "198.51.100.3", mac(3), "198.51.100.30");
	/* The first pass starts at once, one query per 100 ms. */
	assert_true(core_next_deadline(t->core) == t0);
	for (k = 0; k < 5; k++) {
		assert_int_equal(t_timer(t, t0 + 100 * k), 1);
		want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
		    asked[k]);
		if (k < 4)
			assert_true(core_next_deadline(t->core) ==
			    t0 + 100 * (k + 1));
	}
	assert_int_equal(cnt(t)->sweep_queries, 5);
	assert_int_equal(cnt(t)->queries_sent, 0);
	/* .5 answers within the interface timeout: learned, routed. */
	t->now = t0 + 450;
	assert_int_equal(arp_answer(t, 0, "198.51.100.5", mac(5)), 2);
	want_log(t, 0, 0, CORE_EV_LEARNED, "198.51.100.5");
	want_route(t, 1, CORE_ACT_ROUTE_ADD, 0, "198.51.100.5");
	{
		struct core_entry_info e;

		assert_true(entry(t, "198.51.100.5", &e));
		assert_true(e.confirmed);
	}
	/* .1 answers too late, .7 was never asked: not learned. */
	t->now = t0 + 1001;
	assert_int_equal(arp_answer(t, 0, "198.51.100.1", mac(1)), 0);
	assert_int_equal(arp_answer(t, 0, "198.51.100.7", mac(7)), 0);
	want_no_entry(t, "198.51.100.1");
	want_no_entry(t, "198.51.100.7");
	assert_int_equal(cnt(t)->unsolicited, 2);
	/* The pass ends; the next starts 60 s after this one did. */
	assert_int_equal(t_timer(t, t0 + 1001), 0);
	assert_true(core_next_deadline(t->core) == t0 + 60000);
	assert_int_equal(t_timer(t, t0 + 60000), 1);
	want_arp_query(t, 0, 0, FRAMES_BCAST, "198.51.100.254",
	    "198.51.100.1");
}

/* A late timer sends a bounded burst, then paces on from now. */
static void
test_sweep_never_bursts(void **state)
{
	struct t *t = *state;
	uint64_t t0 = t->now;

	t_iface(t, "em0", false);
	t_rule(t, 0, "198.18.0.0/15", "198.18.0.0/15", 0, "tell");
	t_line(t, 0, "\tsweep 198.18.0.0/16 every 3600 rate 1000\n");
	t_start(t);
	t_up(t, 0);
	assert_int_equal(t_timer(t, t0), 1);
	/* Ten seconds late: 10000 queries due, 16 sent, then 1 a ms. */
	assert_int_equal(t_timer(t, t0 + 10000), 16);
	assert_true(core_next_deadline(t->core) == t0 + 10001);
	assert_int_equal(t_timer(t, t0 + 10001), 1);
	assert_int_equal(cnt(t)->sweep_queries, 18);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, t_setup, t_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tell_answers_with_learned_mac),
		T(test_explain_tell),
		T(test_explain_ignore_and_delay),
		T(test_explain_redirect),
		T(test_rule_hits),
		T(test_forget),
		T(test_sweep_paced_and_learned),
		T(test_sweep_never_bursts),
		T(test_tell_silences),
		T(test_verbose_decided_and_missing),
		T(test_ignore_rule),
		T(test_tell_same_interface_only),
		T(test_learning_scope),
		T(test_delay_counts_in_window),
		T(test_delay_inclusive_window),
		T(test_no_neighbour_targets),
		T(test_redirect_resolves_router_by_broadcast),
		T(test_redirect_late_router_answer_refused),
		T(test_redirect_local_router),
		T(test_router_o0_never_overrides),
		T(test_refresh_o0_never_overrides),
		T(test_router_arp_conflict_logged),
		T(test_arp_query_no_source),
		T(test_arp_query_source_subnet),
		T(test_redirect_router_own_addresses_silent),
		T(test_static_router_flag),
		T(test_tell_router_flag_unknown),
		T(test_probe_never_redirected),
		T(test_probe_tell_only_on_conflict),
		T(test_probe_before_delay),
		T(test_v6_no_source_without_link_local),
		T(test_v6_proxy_na_override_zero),
		T(test_other_host_dropped),
		T(test_own_sender_mac),
		T(test_own_mac_and_down_iface),
		T(test_unlearnable_senders),
		T(test_refresh_answered),
		T(test_refresh_answer_from_other_mac),
		T(test_claim_checked_with_owner),
		T(test_refresh_unanswered_expires),
		T(test_relearning_renews),
		T(test_time_jumps),
		T(test_lazy_timers_exact),
		T(test_poison_replies_refused),
		T(test_poison_static_pair),
		T(test_poison_router_mac),
		T(test_router_mac_guard_exact),
		T(test_poison_many_router_macs),
		T(test_router_second_reply_refused),
		T(test_own_addresses),
		T(test_router_expiry_resumes_resolution),
		T(test_full_table_flood),
		T(test_full_table_keeps_established),
		T(test_full_table_all_confirmed_refuses),
		T(test_adopt_refreshed_at_once),
		T(test_adopt_unanswered_expires),
		T(test_adopt_refused),
		T(test_move_with_routes_on_both),
		T(test_move_route_only_on_old),
		T(test_move_route_only_on_new),
		T(test_move_without_routes),
		T(test_every_truncation_dropped),
		T(test_malformed_counted),
		T(test_reload_keeps_entries),
		T(test_reload_smaller_limit),
		T(test_iface_down_up_and_shutdown),
		T(test_v6_tell_na_flags),
		T(test_v6_announcements),
		T(test_v6_unsolicited_na_needs_override),
		T(test_v6_router_solicited_node),
		T(test_v6_tell_router_flag),
		T(test_v6_linklocal_per_interface),
		T(test_v6_refresh),
		T(test_v6_without_link_local),
		T(test_dump),
		T(test_redirect_with_delay),
		T(test_static_router_and_shared_router),
		T(test_router_moves_away),
		T(test_reload_keeps_confirmed_and_routers),
		T(test_actions_cannot_grow),
		T(test_core_new_refuses),
		T(test_misc_inputs),
		T(test_original_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
