/*
 * Logging: syslog facility daemon, and stderr too with -d.  Messages of a
 * kind that can repeat at the rate of the network (core events, route and
 * injection errors) go through log_limited(): at most LOG_BURST lines per
 * LOG_WINDOW_MS and kind, then one "N similar messages suppressed" line
 * when the window ends.
 */
#ifndef PARPD_LOG_H
#define PARPD_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "compat.h"

#define LOG_BURST 20
#define LOG_WINDOW_MS 10000u
#define LOG_NO_DEADLINE UINT64_MAX

/*
 * Rate-limited kinds.  The first LOG_KIND_SHELL are the core's events
 * (enum core_event, added to LOG_KIND_CORE).
 */
enum log_kind {
	LOG_KIND_CORE = 0,
	LOG_KIND_SHELL = 16,
	LOG_KIND_ROUTE = LOG_KIND_SHELL, /* route backend errors */
	LOG_KIND_INJECT,		 /* pcap_inject failures */
	LOG_KIND_CAPTURE,		 /* capture read errors */
	LOG_KIND_IFACE,			 /* interface missing or down */
	LOG_KIND_ROUTE_EXISTS,		 /* someone else's route found */
	LOG_KIND_MLD,			 /* joining a multicast group */
	LOG_KIND_COUNT
};

#define LOG_F_STDERR 0x1u   /* copy every line to stderr (-d) */
#define LOG_F_DEBUG 0x2u    /* let LOG_DEBUG through (-d, -v) */
#define LOG_F_NOSYSLOG 0x4u /* tests: no syslog */

/* The output of a line, for tests; the default writes syslog/stderr. */
typedef void log_sink_fn(void *arg, int prio, const char *line);
/* The clock, milliseconds; the default is CLOCK_MONOTONIC. */
typedef uint64_t log_clock_fn(void);

void log_init(const char *ident, unsigned flags);
void log_set_flags(unsigned flags);
void log_set_sink(log_sink_fn *fn, void *arg);
void log_set_clock(log_clock_fn *fn);
void log_close(void);

void log_msg(int prio, const char *fmt, ...) COMPAT_PRINTF(2, 3);
void log_limited(unsigned kind, int prio, const char *fmt, ...)
    COMPAT_PRINTF(3, 4);
/* log_msg with ": strerror(errno)" appended. */
void log_err(int prio, const char *fmt, ...) COMPAT_PRINTF(2, 3);

/* Write the summaries of windows that have ended by now. */
void log_tick(uint64_t now);
/* When log_tick has a summary to write; LOG_NO_DEADLINE if never. */
uint64_t log_next_deadline(void);
/* Lines suppressed so far, all kinds (for the dump). */
uint64_t log_suppressed_total(void);

#endif
