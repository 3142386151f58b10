/*
 * Fuzz target for the protocol core.  The input is a program of small
 * operations on a core built from fixed configurations: frames (raw, or
 * ARP/NS/NA assembled from a few bytes that pick addresses out of small
 * pools, so that learning, queries and answers meet), time steps forward
 * and back, interfaces going up and down, reloads between two
 * configurations, dumps and shutdown.  After each step it checks:
 *   - the cache never holds more than its limit;
 *   - after core_timer(now) nothing is due any more (deadline > now);
 *   - every frame sent decodes, comes from the interface's MAC, and only
 *     parpd's own queries are broadcast or multicast;
 *   - a probe is only ever answered with its target's owner, on that
 *     interface, and never with the prober's own MAC (no redirect);
 *   - route actions are consistent: no route added twice, none deleted
 *     or moved that is not there, none left after core_shutdown;
 *   - counters add up.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "core.h"
#include "../frames.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NIFS 3
#define MAXROUTES 256
#define NV4 16
#define NV6 12

static const char *const v4pool[NV4] = {
	"0.0.0.0", "198.51.100.1", "198.51.100.2", "198.51.100.9",
	"198.51.100.10", "198.51.100.50", "198.51.100.77", "198.51.100.254",
	"192.0.2.5", "192.0.2.6", "203.0.113.7", "203.0.113.8",
	"203.0.113.254", "198.18.0.1", "198.18.0.2", "224.0.0.1",
};

static const char *const v6pool[NV6] = {
	"::", "2001:db8::1", "2001:db8::2", "2001:db8::9", "2001:db8::50",
	"2001:db8:1::5", "2001:db8:1::6", "fe80::1", "fe80::9",
	"2001:db8:2::7", "2001:db8::fe", "fe80::2",
};

struct route {
	struct addr_ip ip;
	char ifname[CONF_IFNAMSIZ];
};

struct fz {
	struct conf *confs[2]; /* parsed from conf_text */
	int cur;
	struct core *core;
	struct core_actions acts;
	uint64_t now;
	bool up[NIFS];
	struct route routes[MAXROUTES];
	size_t nroutes;
};

static void
fail(const char *what)
{
	fprintf(stderr, "fuzz_core: %s\n", what);
	abort();
}

static struct addr_ip
ip(const char *s)
{
	struct addr_ip a;

	memset(&a, 0, sizeof(a));
	if (addr_ip_parse(s, &a) != 0)
		fail("bad pool address");
	return a;
}

static struct addr_mac
pmac(unsigned n)
{
	struct addr_mac m = { { 0, 0, 0x5e, 0, 0x53, (uint8_t)(n % 8) } };

	return m;
}

/* An interface's MAC follows its name ("em2": 02:00:00:00:00:03). */
static struct addr_mac
ifmac_of(const char *name)
{
	struct addr_mac m = { { 0x02, 0, 0, 0, 0,
	    (uint8_t)(name[strlen(name) - 1] - '0' + 1) } };

	return m;
}

/*
 * The two configurations as parpd.conf(5) text: the fuzzer reloads
 * between them.  The second one has em2 first, em0 changed, em1 gone.
 */
static const char *const conf_text[2] = {
	"cache\n"
	"\ttimeout 30\n"
	"\ttablesize 13\n"
	"\tlimit 24\n"
	"\trefresh 3*2\n"
	"\tdelay 2*1\n"
	"end\n"
	"interface em0\n"
	"\troutes\n"
	"\tsweep 198.51.100.0/28 every 2 rate 1000\n"
	"\trule 0.0.0.0/0 198.51.100.0/31 ignore\n"
	"\trule 198.51.100.8/29 198.51.100.0/24 delay tell\n"
	"\trule 192.0.2.0/24 0.0.0.0/0 verbose 198.51.100.1\n"
	"\trule 0.0.0.0/0 198.51.100.0/24 verbose tell\n"
	"\trule 2001:db8:1::/64 ::/0 delay 2001:db8::1\n"
	"\trule ::/0 2001:db8::/64 tell\n"
	"\trule fe80::/10 ::/0 verbose 2001:db8::fe\n"
	"\tstatic 198.51.100.50 00:00:5e:00:53:05\n"
	"\tstatic 2001:db8::50 00:00:5e:00:53:05\n"
	"end\n"
	"interface em1\n"
	"\trule 0.0.0.0/0 0.0.0.0/0 tell\n"
	"\trule ::/0 ::/0 tell\n"
	"end\n"
	"interface em2\n"
	"\troutes\n"
	"\trule 0.0.0.0/0 0.0.0.0/0 delay 203.0.113.254\n"
	"\trule ::/0 ::/0 2001:db8::9\n"
	"end\n",

	"cache\n"
	"\ttimeout 20\n"
	"\ttablesize 3\n"
	"\tlimit 8\n"
	"\trefresh 1*2\n"
	"\tdelay 2*1\n"
	"end\n"
	"interface em2\n"
	"\trule 0.0.0.0/0 0.0.0.0/0 tell\n"
	"\tstatic 198.51.100.50 00:00:5e:00:53:06\n"
	"end\n"
	"interface em0\n"
	"\troutes\n"
	"\trule 0.0.0.0/0 0.0.0.0/0 verbose 198.51.100.2\n"
	"\trule ::/0 ::/0 delay verbose tell\n"
	"\tstatic 203.0.113.7 00:00:5e:00:53:07\n"
	"end\n"
	"interface em3\n"
	"\troutes\n"
	"\trule 0.0.0.0/0 0.0.0.0/0 tell\n"
	"end\n",
};

/* The text is the harness's own: a diagnostic is a bug in the harness. */
static void
conf_diag_fail(void *arg, const struct conf_diag *d)
{
	(void)arg;
	fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->line, d->column,
	    d->message);
	if (!d->warning)
		fail("built-in configuration does not parse");
}

static void
confs(struct fz *z)
{
	int c;

	for (c = 0; c < 2; c++) {
		z->confs[c] = conf_parse_string("fuzz_core", conf_text[c],
		    strlen(conf_text[c]), conf_diag_fail, NULL);
		if (z->confs[c] == NULL)
			fail("built-in configuration does not parse");
	}
}

static const struct conf *
conf(const struct fz *z)
{
	return z->confs[z->cur];
}

static struct addr_mac
ifmac(const struct fz *z, unsigned i)
{
	static const struct addr_mac none = { { 0x02, 0, 0, 0, 0, 0xff } };

	return i < conf(z)->nifaces ? ifmac_of(conf(z)->ifaces[i].name) :
	    none;
}

/* ---- the route model ---- */

static struct route *
route_find(struct fz *z, const struct addr_ip *a)
{
	size_t i;

	for (i = 0; i < z->nroutes; i++)
		if (addr_ip_equal(&z->routes[i].ip, a))
			return &z->routes[i];
	return NULL;
}

static const char *
ifname_of(const struct conf *c, unsigned i)
{
	if (i >= c->nifaces)
		fail("action names an interface that does not exist");
	return c->ifaces[i].name;
}

/*
 * A route action names its interface by index in the configuration now
 * in force (CORE_NO_IFACE: removed by a reload) and by name.
 */
static void
route_apply(struct fz *z, const struct core_action *a)
{
	struct route *r = route_find(z, &a->u.route);
	const char *to = a->ifname;

	if (a->iface != CORE_NO_IFACE &&
	    strcmp(ifname_of(conf(z), a->iface), to) != 0)
		fail("route action's index and name disagree");
	if (a->iface == CORE_NO_IFACE &&
	    conf_iface_find(conf(z), to) != NULL)
		fail("route action's interface is configured but not named");

	switch (a->kind) {
	case CORE_ACT_ROUTE_ADD:
		if (r != NULL)
			fail("route added twice");
		if (z->nroutes == MAXROUTES)
			fail("too many routes");
		r = &z->routes[z->nroutes++];
		r->ip = a->u.route;
		snprintf(r->ifname, sizeof(r->ifname), "%s", to);
		break;
	case CORE_ACT_ROUTE_DEL:
		if (r == NULL || strcmp(r->ifname, to) != 0)
			fail("route deleted that is not there");
		*r = z->routes[--z->nroutes];
		break;
	default:
		if (r == NULL || strcmp(r->ifname, a->old_ifname) != 0 ||
		    strcmp(ifname_of(conf(z), a->old_iface),
		    a->old_ifname) != 0)
			fail("route moved that is not there");
		snprintf(r->ifname, sizeof(r->ifname), "%s", to);
		break;
	}
}

/* The kernel drops the routes of an interface that goes down. */
static void
routes_drop_iface(struct fz *z, const char *name)
{
	size_t i = 0;

	while (i < z->nroutes) {
		if (strcmp(z->routes[i].ifname, name) == 0)
			z->routes[i] = z->routes[--z->nroutes];
		else
			i++;
	}
}

/* ---- checking actions ---- */

static bool
is_query(const struct codec_msg *m)
{
	return m->kind == CODEC_ARP_REQUEST || m->kind == CODEC_ND_NS;
}

static void
check_send(const struct fz *z, const struct core_action *a)
{
	struct addr_mac own = ifmac(z, a->iface);
	struct codec_msg m;

	if (a->u.send.len > CODEC_FRAME_MAX)
		fail("frame too long");
	if (codec_decode(a->u.send.frame, a->u.send.len, &m) != CODEC_OK)
		fail("a frame parpd sends does not decode");
	if (!addr_mac_equal(&m.eth_src, &own))
		fail("frame not from the interface's MAC");
	if (addr_mac_is_multicast(&m.eth_dst) && !is_query(&m))
		fail("an answer was broadcast");
}

/* What was asked, for the probe invariant. */
struct asked {
	bool probe;
	unsigned iface;
	struct addr_ip target;
	struct addr_mac prober;
};

static void
check_probe_answer(const struct fz *z, const struct core_action *a,
    const struct asked *q)
{
	struct core_entry_info e;
	struct codec_msg m;

	if (!q->probe || a->kind != CORE_ACT_SEND)
		return;
	if (codec_decode(a->u.send.frame, a->u.send.len, &m) != CODEC_OK)
		fail("probe answer does not decode");
	if (is_query(&m))
		return;
	if (!core_lookup(z->core, q->iface, &q->target, &e) ||
	    e.iface != q->iface)
		fail("probe answered without an owner on the interface");
	if (!addr_mac_equal(&e.mac, &m.sender_mac))
		fail("probe answered with another MAC than the owner's");
	if (addr_mac_equal(&e.mac, &q->prober))
		fail("probe answered to its own owner");
}

static void
check(struct fz *z, const struct asked *q)
{
	const struct core_counters *c = core_counters(z->core);
	uint64_t drops = 0;
	size_t i;

	for (i = 0; i < z->acts.n; i++) {
		const struct core_action *a = &z->acts.v[i];
		char line[512];

		switch (a->kind) {
		case CORE_ACT_SEND:
			check_send(z, a);
			if (q != NULL)
				check_probe_answer(z, a, q);
			break;
		case CORE_ACT_LOG:
			core_log_format(z->core, a, line, sizeof(line));
			if (line[0] == '\0')
				fail("empty log line");
			break;
		default:
			route_apply(z, a);
			break;
		}
	}
	core_actions_clear(&z->acts);
	if (core_cache_count(z->core) > conf(z)->cache.limit)
		fail("cache past its limit");
	for (i = 0; i < CODEC_VERDICT_COUNT; i++)
		drops += c->rx_dropped[i];
	if (drops + c->rx_own + c->rx_unknown_iface > c->rx_frames)
		fail("counters do not add up");
}

/* ---- operations ---- */

struct reader {
	const uint8_t *p;
	size_t n;
};

static unsigned
byte(struct reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static void
feed(struct fz *z, unsigned i, const uint8_t *f, size_t len,
    const struct asked *q)
{
	core_input(z->core, i, f, len, z->now, &z->acts);
	check(z, q);
}

static void
op_arp(struct fz *z, struct reader *r)
{
	uint8_t f[CODEC_FRAME_MAX];
	unsigned i = byte(r) % NIFS, b = byte(r), ms = byte(r);
	struct addr_ip spa = ip(v4pool[byte(r) % NV4]);
	struct addr_ip tpa = ip(v4pool[byte(r) % NV4]);
	struct addr_mac sha = pmac(ms), src = (b & 2) ? pmac(ms >> 3) : sha;
	struct addr_mac own = ifmac(z, i), dst;
	struct asked q;
	size_t len;

	if (b & 4)
		src = own;
	dst = (b & 8) ? own : pmac(b >> 4);
	if (b & 1)
		len = codec_encode_arp(f, 2, &src, &dst, &sha, &spa, &own,
		    &tpa);
	else
		len = codec_encode_arp(f, 1, &src, &dst, &sha, &spa, NULL,
		    &tpa);
	memset(&q, 0, sizeof(q));
	q.probe = !(b & 1) && addr_ip_is_unspecified(&spa);
	q.iface = i;
	q.target = tpa;
	q.prober = sha;
	feed(z, i, f, len, &q);
}

static void
op_ns(struct fz *z, struct reader *r)
{
	uint8_t f[CODEC_FRAME_MAX];
	unsigned i = byte(r) % NIFS, b = byte(r);
	struct addr_ip src = ip(v6pool[byte(r) % NV6]);
	struct addr_ip tgt = ip(v6pool[1 + byte(r) % (NV6 - 1)]);
	struct addr_mac m = pmac(b >> 4);
	struct asked q;
	size_t len;

	if (b & 1)
		m = ifmac(z, i);
	len = codec_encode_ns(f, &m, NULL, &src, NULL, &tgt);
	memset(&q, 0, sizeof(q));
	q.probe = addr_ip_is_unspecified(&src);
	q.iface = i;
	q.target = tgt;
	q.prober = m;
	feed(z, i, f, len, &q);
}

static void
op_na(struct fz *z, struct reader *r)
{
	uint8_t f[FRAMES_BUFSIZE], opt[8];
	unsigned i = byte(r) % NIFS, b = byte(r), ms = byte(r);
	struct addr_ip tgt = ip(v6pool[1 + byte(r) % (NV6 - 1)]);
	struct addr_ip dst = ip((b & 1) ? "ff02::1" : "fe80::1");
	struct addr_mac m = pmac(ms), src = (b & 2) ? pmac(ms >> 3) : m;
	struct addr_mac own = ifmac(z, i);
	unsigned flags = b & 0xe0;
	size_t len;

	if (b & 1)
		flags &= ~CODEC_NA_SOLICITED;
	/* (b & 4): without the target option (RFC 4861 7.2.4). */
	len = frames_nd(f, (b & 1) ? FRAMES_BCAST : own.b, src.b, tgt.b,
	    dst.b, 255, FRAMES_ND_NA, 0, flags, tgt.b, opt,
	    (b & 4) ? 0 : frames_opt_lla(opt, FRAMES_OPT_TLLA, m.b));
	feed(z, i, f, len, NULL);
}

static void
op_raw(struct fz *z, struct reader *r)
{
	uint8_t *f;
	unsigned i = byte(r) % NIFS;
	size_t len = byte(r), k;

	if (len > r->n)
		len = r->n;
	f = malloc(len > 0 ? len : 1);
	if (f == NULL)
		return;
	for (k = 0; k < len; k++)
		f[k] = (uint8_t)byte(r);
	feed(z, i, f, len, NULL);
	free(f);
}

static void
op_time(struct fz *z, struct reader *r)
{
	unsigned b = byte(r);
	uint64_t step = (uint64_t)(b & 0x7f) << (byte(r) % 20);
	uint64_t now;

	if (b & 0x80)
		now = z->now > step ? z->now - step : 0;
	else
		now = z->now + step;
	core_timer(z->core, now, &z->acts);
	if (now > z->now)
		z->now = now;
	check(z, NULL);
	if (core_next_deadline(z->core) <= z->now)
		fail("a timer is still due after core_timer");
}

static void
op_updown(struct fz *z, struct reader *r)
{
	unsigned i = byte(r) % NIFS, b = byte(r);
	struct core_ifinfo info;

	if (i >= conf(z)->nifaces)
		return;
	if (z->up[i] && (b & 1)) {
		core_iface_down(z->core, i, z->now, &z->acts);
		routes_drop_iface(z, conf(z)->ifaces[i].name);
		z->up[i] = false;
		check(z, NULL);
		return;
	}
	memset(&info, 0, sizeof(info));
	info.mac = ifmac(z, i);
	if (!(b & 2))
		info.addrs[info.naddrs++] = ip("198.51.100.254");
	if (!(b & 4))
		info.addrs[info.naddrs++] = ip("fe80::1");
	if (b & 8)
		info.addrs[info.naddrs++] = ip("2001:db8::fe");
	info.addrs[info.naddrs++] = ip("203.0.113.254");
	core_iface_up(z->core, i, &info, z->now, &z->acts);
	z->up[i] = true;
	check(z, NULL);
}

static void
op_reload(struct fz *z)
{
	const struct conf *old = conf(z);
	bool up[NIFS] = { false };
	size_t i, j;

	z->cur ^= 1;
	if (core_reload(z->core, conf(z), z->now, &z->acts) != 0)
		fail("reload failed");
	for (i = 0; i < z->acts.n; i++)
		if (z->acts.v[i].kind != CORE_ACT_ROUTE_DEL)
			fail("reload emitted something else than ROUTE_DEL");
	check(z, NULL);
	/* Interfaces that stay keep their state. */
	for (j = 0; j < conf(z)->nifaces; j++)
		for (i = 0; i < old->nifaces; i++)
			if (strcmp(old->ifaces[i].name,
			    conf(z)->ifaces[j].name) == 0)
				up[j] = z->up[i];
	memcpy(z->up, up, sizeof(up));
	/* The shell flushes routes of interfaces no longer configured. */
	for (i = 0; i < old->nifaces; i++)
		if (conf_iface_find(conf(z), old->ifaces[i].name) == NULL)
			routes_drop_iface(z, old->ifaces[i].name);
	if (core_next_deadline(z->core) > z->now)
		fail("reload leaves no work for core_timer");
}

static void
op_dump(struct fz *z)
{
	struct core_cursor cur = { 0 };
	struct core_entry_info e;
	size_t n = 0, resolving = 0;
	char name[64];
	uint64_t v;

	if (!core_counter_at(z->core, 0, name, sizeof(name), &v) ||
	    strcmp(name, "rx_frames") != 0)
		fail("the counters do not start with rx_frames");
	while (core_entry_next(z->core, &cur, &e)) {
		if (e.resolving)
			resolving++;
		else if (resolving > 0)
			fail("an entry after the resolving routers");
		else
			n++;
		if (e.iface >= conf(z)->nifaces)
			fail("entry on an interface that does not exist");
	}
	if (n != core_cache_count(z->core))
		fail("the walk does not see every entry");
}

static void
finish(struct fz *z)
{
	core_shutdown(z->core, &z->acts);
	check(z, NULL);
	if (z->nroutes != 0)
		fail("routes left after core_shutdown");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader r = { data, size };
	struct fz *z = calloc(1, sizeof(*z));

	if (z == NULL)
		return 0;
	confs(z);
	z->now = 1000;
	core_actions_init(&z->acts);
	z->core = core_new(conf(z), 42, z->now);
	if (z->core == NULL)
		fail("core_new failed");
	while (r.n > 0) {
		switch (byte(&r) % 10) {
		case 0:
		case 1:
			op_arp(z, &r);
			break;
		case 2:
			op_ns(z, &r);
			break;
		case 3:
			op_na(z, &r);
			break;
		case 4:
			op_raw(z, &r);
			break;
		case 5:
		case 6:
			op_time(z, &r);
			break;
		case 7:
			op_updown(z, &r);
			break;
		case 8:
			op_reload(z);
			break;
		default:
			op_dump(z);
			break;
		}
	}
	finish(z);
	core_free(z->core);
	core_actions_free(&z->acts);
	conf_free(z->confs[0]);
	conf_free(z->confs[1]);
	free(z);
	return 0;
}
