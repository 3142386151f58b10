/*
 * Sweeps (parpd.conf(5), sweep): at start and every interval, one
 * broadcast ARP request for each address of a prefix that parpd does not
 * know yet, paced at the configured rate, so that hosts that never speak
 * (a server, a printer) are found and gone ones are not kept alive.  The
 * answers are solicited replies: learned (and confirmed) like answers to
 * refresh queries, which is why each pass remembers what it asked during
 * the interface timeout.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core_priv.h"

/* At most this many queries per timer call, and addresses looked at. */
#define CORE_SWEEP_BURST 16u
#define CORE_SWEEP_SCAN 1024u
#define CORE_SWEEP_RING_MAX 65536u

static const struct addr_mac core_sweep_bcast = {
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }
};

static uint32_t
core_sweep_u32(const uint8_t b[4])
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

static void
core_sweep_ip(uint32_t v, struct addr_ip *ip)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	memset(ip, 0, sizeof(*ip));
	addr_ip_set4(ip, b);
}

int
core_sweeps_build(struct core_iface *f, const struct conf_iface *ci)
{
	size_t i;

	f->nsweeps = 0;
	if (ci->nsweeps == 0)
		return 0;
	if ((f->sweeps = calloc(ci->nsweeps, sizeof(*f->sweeps))) == NULL)
		return -1;
	for (i = 0; i < ci->nsweeps; i++) {
		const struct conf_sweep *cs = &ci->sweeps[i];
		struct core_sweep *s = &f->sweeps[f->nsweeps++];
		uint32_t size = (uint32_t)1 << (32 - cs->prefix.len);
		uint64_t cap;

		s->rate = cs->rate;
		s->every_ms = cs->every_ms;
		s->base = core_sweep_u32(cs->prefix.ip.b);
		s->size = size;
		/* A /31 or /32 has no network or broadcast address to skip. */
		s->first = size > 2 ? s->base + 1 : s->base;
		s->count = size > 2 ? size - 2 : size;
		/* What one interface timeout can hold, paced at the rate. */
		cap = (uint64_t)s->rate * f->timeout_ms / 1000 + CORE_SWEEP_BURST;
		s->ring_cap = (uint32_t)(cap < CORE_SWEEP_RING_MAX ? cap :
		    CORE_SWEEP_RING_MAX);
		s->ring_off = calloc(s->ring_cap, sizeof(*s->ring_off));
		s->ring_time = calloc(s->ring_cap, sizeof(*s->ring_time));
		if (s->ring_off == NULL || s->ring_time == NULL)
			return -1;
	}
	return 0;
}

void
core_sweeps_free(struct core_iface *f)
{
	size_t i;

	for (i = 0; i < f->nsweeps; i++) {
		free(f->sweeps[i].ring_off);
		free(f->sweeps[i].ring_time);
	}
	free(f->sweeps);
	f->sweeps = NULL;
	f->nsweeps = 0;
}

/* A sweep of the same prefix keeps its place across a reload. */
void
core_sweeps_carry(const struct core_iface *o, struct core_iface *n)
{
	size_t i, j;

	for (i = 0; i < n->nsweeps; i++)
		for (j = 0; j < o->nsweeps; j++) {
			const struct core_sweep *os = &o->sweeps[j];
			struct core_sweep *ns = &n->sweeps[i];

			if (os->base != ns->base || os->size != ns->size)
				continue;
			ns->active = os->active;
			ns->cursor = os->cursor;
			ns->pass_start = os->pass_start;
			ns->next_pass = os->next_pass;
			ns->next_send = os->next_send;
			break;
		}
}

/* The interface came up: a sweep that was due starts now. */
void
core_sweeps_up(struct core_iface *f, uint64_t now)
{
	size_t i;

	for (i = 0; i < f->nsweeps; i++)
		if (!f->sweeps[i].active && f->sweeps[i].next_pass < now)
			f->sweeps[i].next_pass = now;
}

uint64_t
core_sweeps_deadline(const struct core *c)
{
	uint64_t d = CORE_NO_DEADLINE;
	size_t i, j;

	for (i = 0; i < c->nifs; i++) {
		const struct core_iface *f = &c->ifs[i];

		for (j = 0; f->up && j < f->nsweeps; j++) {
			const struct core_sweep *s = &f->sweeps[j];
			uint64_t t = s->active ? s->next_send : s->next_pass;

			if (t < d)
				d = t;
		}
	}
	return d;
}

/* Remember a query of this pass, forgetting the oldest when full. */
static void
core_sweep_remember(struct core_sweep *s, uint32_t off, uint64_t now)
{
	uint32_t k;

	if (s->ring_n == s->ring_cap) {
		s->ring_head = (s->ring_head + 1) % s->ring_cap;
		s->ring_n--;
	}
	k = (s->ring_head + s->ring_n++) % s->ring_cap;
	s->ring_off[k] = off;
	s->ring_time[k] = now;
}

/* Whether address number a needs asking: unknown and someone else's. */
static bool
core_sweep_wanted(const struct core *c, unsigned ifx, uint32_t a,
    struct addr_ip *ip)
{
	core_sweep_ip(a, ip);
	return addr_ip_names_neighbour(ip) &&
	    !core_ifinfo_has(&c->ifs[ifx].info, ip) &&
	    ncache_lookup(c->nc, ip, ifx) == NCACHE_NONE;
}

static void
core_sweep_query(struct core *c, unsigned ifx, struct core_sweep *s,
    const struct addr_ip *ip, struct core_actions *out)
{
	struct core_iface *f = &c->ifs[ifx];
	struct core_action *a;
	struct addr_ip src;

	/* RFC 5227 2.1.1: never from 0.0.0.0, which would be a probe. */
	if (!core_arp_source(c, f, ip, &src))
		return;
	if ((a = core_push(c, out, CORE_ACT_SEND, ifx)) == NULL)
		return;
	a->u.send.len = codec_encode_arp(a->u.send.frame,
	    CODEC_ARP_OP_REQUEST, &f->info.mac, &core_sweep_bcast,
	    &f->info.mac, &src, NULL, ip);
	core_sweep_remember(s, s->cursor - 1, c->now);
	c->cnt.sweep_queries++;
}

static void
core_sweep_run(struct core *c, unsigned ifx, struct core_sweep *s,
    struct core_actions *out)
{
	uint32_t interval = s->rate >= 1000 ? 1 : 1000 / s->rate;
	unsigned sent = 0, scanned = 0;
	struct addr_ip ip;

	if (!s->active) {
		if (s->next_pass > c->now)
			return;
		s->active = true;
		s->cursor = 0;
		s->pass_start = s->next_send = c->now;
		s->ring_n = s->ring_head = 0;
	}
	while (s->next_send <= c->now && sent < CORE_SWEEP_BURST &&
	    scanned < CORE_SWEEP_SCAN) {
		if (s->cursor == s->count) {
			/* Done; the next pass waits for the last answers too. */
			s->active = false;
			s->next_pass = core_add(s->pass_start, s->every_ms);
			if (s->next_pass < c->now + c->ifs[ifx].timeout_ms)
				s->next_pass = c->now + c->ifs[ifx].timeout_ms;
			return;
		}
		scanned++;
		if (!core_sweep_wanted(c, ifx, s->first + s->cursor++, &ip))
			continue;
		core_sweep_query(c, ifx, s, &ip, out);
		sent++;
		s->next_send += interval;
	}
	/* Late (a busy loop, a clock jump): pace on from now, no burst. */
	if (s->next_send + interval < c->now)
		s->next_send = c->now + interval;
}

void
core_sweeps_run(struct core *c, struct core_actions *out)
{
	size_t i, j;

	for (i = 0; i < c->nifs; i++)
		for (j = 0; c->ifs[i].up && j < c->ifs[i].nsweeps; j++)
			core_sweep_run(c, (unsigned)i, &c->ifs[i].sweeps[j],
			    out);
}

/* The ring holds this pass's offsets in increasing order. */
static bool
core_sweep_in_ring(const struct core_sweep *s, uint32_t off, uint64_t since)
{
	uint32_t lo = 0, hi = s->ring_n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t k = (s->ring_head + mid) % s->ring_cap;

		if (s->ring_off[k] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->ring_n)
		return false;
	lo = (s->ring_head + lo) % s->ring_cap;
	return s->ring_off[lo] == off && s->ring_time[lo] >= since;
}

bool
core_sweep_asked(const struct core *c, unsigned ifx, const struct addr_ip *ip)
{
	const struct core_iface *f = &c->ifs[ifx];
	uint64_t since;
	uint32_t a;
	size_t i;

	if (ip->family != ADDR_V4 || f->nsweeps == 0)
		return false;
	a = core_sweep_u32(ip->b);
	since = c->now > f->timeout_ms ? c->now - f->timeout_ms : 0;
	for (i = 0; i < f->nsweeps; i++) {
		const struct core_sweep *s = &f->sweeps[i];

		if (a - s->base < s->size && a >= s->first &&
		    core_sweep_in_ring(s, a - s->first, since))
			return true;
	}
	return false;
}
