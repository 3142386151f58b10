/* The core's part of the SIGUSR1 dump.  See dump.h. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include "dump.h"

const char *
dump_entry_state(const struct core_entry_info *e)
{
	if (e->resolving)
		return "resolving";
	if (e->is_static)
		return "static";
	if (e->probing)
		return "probing";
	return e->confirmed ? "confirmed" : "learned";
}

static void
dump_entry(FILE *f, const struct core_entry_info *e, const char *ifname,
    const struct route_backend *rb, uint64_t now)
{
	char ip[ADDR_IP_STRLEN], mac[ADDR_MAC_STRLEN], left[24];
	bool routed;

	if (e->is_static || e->resolving)
		snprintf(left, sizeof(left), "-");
	else
		snprintf(left, sizeof(left), "%" PRIu64,
		    e->expire > now ? (e->expire - now) / 1000 : 0);
	/* The core asks for routes; the back end knows which it holds. */
	routed = e->routed && rb != NULL &&
	    route_backend_owns(rb, &e->ip, ifname);
	fprintf(f, "%s %s %s %s %s %s\n",
	    addr_ip_format(&e->ip, ip, sizeof(ip)),
	    addr_mac_format(&e->mac, mac, sizeof(mac)), ifname,
	    dump_entry_state(e), left, routed ? "yes" : "no");
}

void
dump_core(FILE *f, const struct core *core, const struct conf *conf,
    const struct route_backend *rb, uint64_t now)
{
	struct core_cursor cur = { 0 };
	struct core_entry_info e;
	char name[64];
	uint64_t v;
	size_t i;

	for (i = 0; core_counter_at(core, i, name, sizeof(name), &v); i++)
		fprintf(f, "%s %" PRIu64 "\n", name, v);
	while (core_entry_next(core, &cur, &e))
		dump_entry(f, &e, e.iface < conf->nifaces ?
		    conf->ifaces[e.iface].name : "?", rb, now);
}
