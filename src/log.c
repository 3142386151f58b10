/*
 * Logging sink of the shell.  See log.h.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core.h"
#include "log.h"

struct log_window {
	uint64_t start;	     /* when the current window opened */
	unsigned count;	     /* lines of this kind in the window */
	uint64_t suppressed; /* lines dropped in the window */
	int prio;	     /* most severe priority dropped */
	bool open;
};

static unsigned log_flags;
static bool log_syslog_open;
static log_sink_fn *log_sink;
static void *log_sink_arg;
static log_clock_fn *log_clock;
static struct log_window log_windows[LOG_KIND_COUNT];
static uint64_t log_suppressed_sum;

/* Every core event has a kind of its own below LOG_KIND_SHELL. */
_Static_assert(LOG_KIND_CORE + CORE_EV_COUNT <= LOG_KIND_SHELL,
    "core events overlap the shell's log kinds");

/* The shell's kinds; the core's are named by core_event_name. */
static const char *const log_kind_names[LOG_KIND_COUNT] = {
	[LOG_KIND_ROUTE] = "route",
	[LOG_KIND_INJECT] = "inject",
	[LOG_KIND_CAPTURE] = "capture",
	[LOG_KIND_IFACE] = "interface",
	[LOG_KIND_ROUTE_EXISTS] = "route exists",
	[LOG_KIND_MLD] = "mld",
};

static uint64_t
log_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const char *
log_prio_name(int prio)
{
	switch (prio) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
	case LOG_ERR:
		return "error: ";
	case LOG_WARNING:
		return "warning: ";
	default:
		return "";
	}
}

static void
log_emit(int prio, const char *line)
{
	if (log_sink != NULL) {
		log_sink(log_sink_arg, prio, line);
		return;
	}
	if (log_syslog_open)
		syslog(prio, "%s", line);
	if (log_flags & LOG_F_STDERR) {
		fprintf(stderr, "parpd: %s%s\n", log_prio_name(prio), line);
		fflush(stderr);
	}
}

static bool
log_wanted(int prio)
{
	return prio != LOG_DEBUG || (log_flags & LOG_F_DEBUG) != 0;
}

void
log_init(const char *ident, unsigned flags)
{
	log_flags = flags;
	if (log_clock == NULL)
		log_clock = log_monotonic_ms;
	if (!(flags & LOG_F_NOSYSLOG) && !log_syslog_open) {
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		log_syslog_open = true;
	}
	memset(log_windows, 0, sizeof(log_windows));
	log_suppressed_sum = 0;
}

void
log_set_flags(unsigned flags)
{
	log_flags = (log_flags & LOG_F_NOSYSLOG) | flags;
}

void
log_set_sink(log_sink_fn *fn, void *arg)
{
	log_sink = fn;
	log_sink_arg = arg;
}

void
log_set_clock(log_clock_fn *fn)
{
	log_clock = fn != NULL ? fn : log_monotonic_ms;
}

void
log_close(void)
{
	log_tick(UINT64_MAX);
	if (log_syslog_open) {
		closelog();
		log_syslog_open = false;
	}
}

static void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	log_emit(prio, line);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (!log_wanted(prio))
		return;
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
log_err(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int saved = errno;

	if (!log_wanted(prio))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(prio, "%s: %s", line, strerror(saved));
	errno = saved;
}

static void
log_summary(unsigned kind, struct log_window *w)
{
	char line[128];
	const char *name = kind < LOG_KIND_SHELL ?
	    core_event_name((enum core_event)(kind - LOG_KIND_CORE)) :
	    log_kind_names[kind];

	if (w->suppressed == 0)
		return;
	snprintf(line, sizeof(line), "%llu similar messages suppressed (%s)",
	    (unsigned long long)w->suppressed, name != NULL ? name : "other");
	log_emit(w->prio, line);
	w->suppressed = 0;
}

void
log_limited(unsigned kind, int prio, const char *fmt, ...)
{
	struct log_window *w;
	uint64_t now;
	va_list ap;

	if (!log_wanted(prio))
		return;
	if (kind >= LOG_KIND_COUNT) {
		va_start(ap, fmt);
		log_vmsg(prio, fmt, ap);
		va_end(ap);
		return;
	}
	w = &log_windows[kind];
	now = log_clock != NULL ? log_clock() : log_monotonic_ms();
	if (!w->open || now - w->start >= LOG_WINDOW_MS) {
		log_summary(kind, w);
		w->open = true;
		w->start = now;
		w->count = 0;
		w->prio = LOG_DEBUG;
	}
	if (w->count >= LOG_BURST) {
		w->suppressed++;
		log_suppressed_sum++;
		/* Lower syslog numbers are more severe. */
		if (prio < w->prio)
			w->prio = prio;
		return;
	}
	w->count++;
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
log_tick(uint64_t now)
{
	unsigned k;

	for (k = 0; k < LOG_KIND_COUNT; k++) {
		struct log_window *w = &log_windows[k];

		if (w->open && w->suppressed > 0 &&
		    (now == UINT64_MAX || now - w->start >= LOG_WINDOW_MS)) {
			log_summary(k, w);
			/* A new window: the next burst is allowed again. */
			w->open = false;
		}
	}
}

uint64_t
log_next_deadline(void)
{
	uint64_t next = LOG_NO_DEADLINE;
	unsigned k;

	for (k = 0; k < LOG_KIND_COUNT; k++) {
		const struct log_window *w = &log_windows[k];

		if (w->open && w->suppressed > 0 &&
		    w->start + LOG_WINDOW_MS < next)
			next = w->start + LOG_WINDOW_MS;
	}
	return next;
}

uint64_t
log_suppressed_total(void)
{
	return log_suppressed_sum;
}
