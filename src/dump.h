/*
 * The core's part of the SIGUSR1 dump, printed by the shell from the
 * core's views (core_counter_at, core_entry_next): "name value" counter
 * lines, then one line per entry
 *
 *	ADDRESS MAC INTERFACE STATE SECONDS ROUTED
 *
 * STATE is static, learned, confirmed, probing or resolving (a redirect
 * router without an answer yet, MAC all zeros); SECONDS is what is left
 * before expiry ("-" for static pairs and resolving routers); ROUTED says
 * yes only when the route back end holds the host route as parpd's.
 */
#ifndef PARPD_DUMP_H
#define PARPD_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "core.h"
#include "route.h"

/* An entry's STATE word: resolving, static, probing, confirmed, learned. */
const char *dump_entry_state(const struct core_entry_info *e);
/* rb may be NULL (no route back end: nothing is routed). */
void dump_core(FILE *f, const struct core *core, const struct conf *conf,
    const struct route_backend *rb, uint64_t now);

#endif
