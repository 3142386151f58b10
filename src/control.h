/*
 * The control socket: a Unix stream socket on which parpctl(8) asks a
 * running parpd what it does.  One request per connection:
 *
 *	FORMAT COMMAND [ARGUMENT ...] LF
 *
 * FORMAT is text, json or prometheus; the answer is a status line, "ok"
 * or "error", then the body, and parpd closes the connection.  The
 * commands are in control_cmd.c and parpctl(8).
 *
 * The server never blocks: every descriptor is non-blocking, a request
 * is at most CONTROL_REQUEST_MAX bytes, at most CONTROL_CLIENTS_MAX
 * clients are served at once (more are told "busy" and closed), and a
 * client silent or not reading for CONTROL_IDLE_MS is closed.  An
 * answer is built whole in memory before it is sent; its size follows
 * the cache, which `limit' bounds.
 */
#ifndef PARPD_CONTROL_H
#define PARPD_CONTROL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "core.h"

#define CONTROL_REQUEST_MAX 1024
#define CONTROL_CLIENTS_MAX 8
#define CONTROL_IDLE_MS 5000u
#define CONTROL_POLLFDS (1 + CONTROL_CLIENTS_MAX)

/* ---- the server (control.c) ---- */

struct control;

/*
 * Create the socket at path, mode 0660, group group (NULL: the
 * process's).  A stale socket (nobody accepts on it) is replaced; a live
 * one, or anything that is not a socket, is left alone: NULL with the
 * reason in err.
 */
struct control *control_open(const char *path, const char *group, char *err,
    size_t errlen);
/*
 * Whether control_open could make the socket at path, changing nothing:
 * -1 with the reason in err when another parpd listens there or
 * something else is in the way.  For the start, before anything of the
 * system is touched.
 */
int control_check(const char *path, char *err, size_t errlen);
/* Close every client and remove the socket if it is still ours. */
void control_close(struct control *ctl);

/*
 * Runs one request line (without its LF) and writes the answer's body
 * to out.  Returns 0 for "ok", -1 for "error".
 */
typedef int control_handler_fn(void *arg, const char *line, FILE *out);

/* The descriptors to poll (at most CONTROL_POLLFDS); their count. */
size_t control_pollfds(const struct control *ctl, struct pollfd *pfd);
/* Serve what pfd (as filled by control_pollfds, after poll) reports. */
void control_service(struct control *ctl, const struct pollfd *pfd,
    size_t n, uint64_t now, control_handler_fn *fn, void *arg);
/* When an idle client must be closed; UINT64_MAX if none. */
uint64_t control_next_deadline(const struct control *ctl);
/* Close clients idle since before now - CONTROL_IDLE_MS. */
void control_expire(struct control *ctl, uint64_t now);

struct control_counters {
	uint64_t requests;
	uint64_t errors;	/* answered "error" */
	uint64_t refused;	/* closed: busy, too long, idle or broken */
};
const struct control_counters *control_counters(const struct control *ctl);

/* ---- the commands (control_cmd.c) ---- */

/* What the shell knows of one configured interface. */
struct control_iface {
	const char *name;
	bool up;
	unsigned ifindex;
	const struct core_ifinfo *info; /* NULL while down */
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t inject_errors;
	uint64_t pcap_received;
	uint64_t pcap_dropped;
	uint64_t pcap_truncated;
	uint64_t opened;
	uint64_t lost;
};

/*
 * An interface's counters by name ("up" first, then rx_frames ...), i
 * from 0 until false: the dump's iface.NAME.* lines and parpctl's.
 */
bool control_iface_counter_at(const struct control_iface *ci, size_t i,
    const char **name, uint64_t *value);

typedef void control_counter_fn(void *arg, const char *name,
    uint64_t value);

/* What the commands need of the shell; any may be NULL (offline). */
struct control_ops {
	/* The shell's counters, by name, before the core's. */
	void (*counters)(void *arg, control_counter_fn *fn, void *fnarg);
	/* Configured interface i (index into conf->ifaces). */
	void (*iface)(void *arg, size_t i, struct control_iface *out);
	/* Whether the route back end holds e's host route. */
	bool (*routed)(void *arg, const struct core_entry_info *e);
	/* Reload the file; every diagnostic to errors.  0, or -1: refused. */
	int (*reload)(void *arg, FILE *errors);
	/* Carry out (and clear) env->acts. */
	void (*execute)(void *arg);
};

struct control_env {
	struct core *core;
	struct core_actions *acts; /* for what forget asks of the shell */
	const struct conf *conf;
	uint64_t now;
	bool offline;		/* parpd -n -x: no cache, no addresses */
	const struct control_ops *ops;
	void *arg;
};

/* control_handler_fn for env. */
int control_command(void *env, const char *line, FILE *out);

#endif
