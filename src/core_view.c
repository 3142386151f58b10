/*
 * What the shell may read of the core, without printing: the cache's
 * entries one by one (with the redirect routers still being resolved),
 * the counters by name.  The SIGUSR1 dump and any other view the shell
 * offers are printed from these.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core_priv.h"

static void
core_entry_fill(const struct ncache_entry *e, struct core_entry_info *out)
{
	memset(out, 0, sizeof(*out));
	ncache_entry_ip(e, &out->ip);
	out->mac = e->mac;
	out->iface = e->iface;
	out->is_static = e->state == NCACHE_STATIC;
	out->confirmed = (e->flags & NCACHE_F_CONFIRMED) != 0;
	out->established = (e->flags & NCACHE_F_ESTABLISHED) != 0;
	out->probing = (e->flags & NCACHE_F_QUERIED) != 0;
	out->routed = (e->flags & NCACHE_F_ROUTED) != 0;
	out->is_router = (e->flags & NCACHE_F_ROUTER) != 0;
	out->expire = out->is_static ? 0 : e->expire;
}

bool
core_lookup(const struct core *c, unsigned iface, const struct addr_ip *ip,
    struct core_entry_info *out)
{
	uint32_t idx = ncache_lookup(c->nc, ip, iface);

	if (idx == NCACHE_NONE)
		return false;
	core_entry_fill(ncache_entry_const(c->nc, idx), out);
	return true;
}

/* The next redirect router of an up interface that has no MAC yet. */
static bool
core_next_resolving(const struct core *c, struct core_cursor *cur,
    struct core_entry_info *out)
{
	struct addr_mac mac;

	for (; cur->iface < c->nifs; cur->iface++, cur->router = 0) {
		const struct core_iface *f = &c->ifs[cur->iface];

		while (f->up && cur->router < f->rules.nrouters) {
			const struct core_router *r = &f->routers[cur->router++];

			if (core_router_mac(c, (unsigned)cur->iface, r, &mac))
				continue;
			memset(out, 0, sizeof(*out));
			out->ip = r->ip;
			out->iface = (unsigned)cur->iface;
			out->is_router = true;
			out->resolving = true;
			return true;
		}
	}
	return false;
}

bool
core_entry_next(const struct core *c, struct core_cursor *cur,
    struct core_entry_info *out)
{
	if (!cur->entries_done) {
		cur->entry = ncache_next(c->nc, cur->started ? cur->entry :
		    NCACHE_NONE);
		cur->started = true;
		if (cur->entry != NCACHE_NONE) {
			core_entry_fill(ncache_entry_const(c->nc, cur->entry),
			    out);
			return true;
		}
		cur->entries_done = true;
	}
	return core_next_resolving(c, cur, out);
}

#define CORE_COUNTER(name) { #name, offsetof(struct core_counters, name) }

/* In the order of the dump; rx_dropped_* come after rx_frames. */
static const struct {
	const char *name;
	size_t off;
} core_counter_names[] = {
	CORE_COUNTER(rx_own),
	CORE_COUNTER(rx_unknown_iface),
	CORE_COUNTER(rx_other_host),
	CORE_COUNTER(answered),
	CORE_COUNTER(ignored),
	CORE_COUNTER(delayed),
	CORE_COUNTER(missing),
	CORE_COUNTER(unresolved),
	CORE_COUNTER(no_source),
	CORE_COUNTER(probes_refused),
	CORE_COUNTER(announcements),
	CORE_COUNTER(unsolicited),
	CORE_COUNTER(na_not_override),
	CORE_COUNTER(claims_held),
	CORE_COUNTER(arp_no_source),
	CORE_COUNTER(router_target),
	CORE_COUNTER(learned),
	CORE_COUNTER(adopted),
	CORE_COUNTER(refreshed),
	CORE_COUNTER(established),
	CORE_COUNTER(expired),
	CORE_COUNTER(poison_refused),
	CORE_COUNTER(not_learnable),
	CORE_COUNTER(table_full),
	CORE_COUNTER(queries_sent),
	CORE_COUNTER(sweep_queries),
	CORE_COUNTER(nomem),
};
#define CORE_NAMED_COUNTERS \
	(sizeof(core_counter_names) / sizeof(core_counter_names[0]))

bool
core_counter_at(const struct core *c, size_t i, char *name, size_t len,
    uint64_t *value)
{
	const size_t ndropped = CODEC_VERDICT_COUNT - 1; /* without "ok" */

	if (i == 0) {
		snprintf(name, len, "rx_frames");
		*value = c->cnt.rx_frames;
		return true;
	}
	i--;
	if (i < ndropped) {
		snprintf(name, len, "rx_dropped_%s",
		    codec_verdict_name((enum codec_verdict)(i + 1)));
		*value = c->cnt.rx_dropped[i + 1];
		return true;
	}
	i -= ndropped;
	if (i < CORE_NAMED_COUNTERS) {
		snprintf(name, len, "%s", core_counter_names[i].name);
		memcpy(value, (const char *)&c->cnt + core_counter_names[i].off,
		    sizeof(*value));
		return true;
	}
	if (i == CORE_NAMED_COUNTERS) {
		snprintf(name, len, "entries");
		*value = ncache_count(c->nc);
		return true;
	}
	return false;
}
