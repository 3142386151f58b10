/*
 * The configuration as plain data: what the parser produces, what -nv
 * prints and what the core compiles its rule tables and cache from.
 * Durations are milliseconds.
 */
#ifndef PARPD_CONF_H
#define PARPD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

#define CONF_IFNAMSIZ 16 /* IFNAMSIZ on Linux and FreeBSD, with the NUL */

/* Defaults, documented in parpd.conf(5). */
#define CONF_DEFAULT_CACHE_TIMEOUT_MS 300000u
#define CONF_DEFAULT_TABLESIZE 1021u
#define CONF_DEFAULT_LIMIT 65536u
#define CONF_DEFAULT_REFRESH_COUNT 3u
#define CONF_DEFAULT_REFRESH_INTERVAL_MS 5000u
#define CONF_DEFAULT_DELAY_COUNT 4u
#define CONF_DEFAULT_DELAY_WINDOW_MS 3000u
#define CONF_DEFAULT_IFACE_TIMEOUT_MS 1000u
#define CONF_DEFAULT_SWEEP_RATE 100u	/* queries per second */
#define CONF_SWEEP_RATE_MAX 1000u
#define CONF_SWEEP_MIN_LEN 16u		/* at most 65536 addresses */
#define CONF_DEFAULT_PIDFILE "/var/run/parpd.pid"
#define CONF_DEFAULT_DUMPFILE "/var/run/parpd.dump"
#define CONF_DEFAULT_CONTROL "/var/run/parpd.sock"

enum conf_action {
	CONF_ACTION_IGNORE,
	CONF_ACTION_TELL,
	CONF_ACTION_REDIRECT, /* answer with the MAC of conf_rule.router */
};

#define CONF_RULE_VERBOSE 0x1u
#define CONF_RULE_DELAY 0x2u

struct conf_rule {
	struct addr_prefix src; /* requester's protocol address */
	struct addr_prefix dst; /* requested target */
	unsigned flags;		/* CONF_RULE_* */
	enum conf_action action;
	struct addr_ip router; /* CONF_ACTION_REDIRECT only */
	unsigned line;	       /* where the rule stands, for logs */
};

struct conf_static {
	struct addr_ip ip;
	struct addr_mac mac;
	bool router;	       /* "router": its NAs say R=1 (RFC 4861 4.4) */
	unsigned line;
};

/* "sweep PREFIX every SECONDS rate N": query every unknown address. */
struct conf_sweep {
	struct addr_prefix prefix; /* IPv4, CONF_SWEEP_MIN_LEN or longer */
	uint32_t every_ms;	   /* from one pass's start to the next's */
	uint32_t rate;		   /* queries per second */
	unsigned line;
};

struct conf_iface {
	char name[CONF_IFNAMSIZ];
	uint32_t timeout_ms; /* answers to our queries count this long */
	bool routes;	     /* mirror learned hosts into host routes */
	struct conf_rule *rules;
	size_t nrules;
	struct conf_static *statics;
	size_t nstatics;
	struct conf_sweep *sweeps;
	size_t nsweeps;
	unsigned line;
};

struct conf_cache {
	uint32_t timeout_ms;
	uint32_t tablesize;
	uint32_t limit;
	uint32_t refresh_count;
	uint32_t refresh_interval_ms;
	uint32_t delay_count;
	uint32_t delay_window_ms;
};

struct conf {
	char *pidfile;	/* never NULL after a successful parse */
	char *dumpfile; /* never NULL after a successful parse */
	char *control;	/* the control socket; never NULL after a parse */
	char *control_group; /* its group; NULL: parpd's own */
	/* Who parpd runs as after start (parpd.8, PRIVILEGES); NULL: the
	 * built-in default, PARPD_USER.  user_group NULL: the user's own. */
	char *user;
	char *user_group;
	/* The cache state file; NULL: parpd.cache beside the pidfile. */
	char *statefile;
	struct conf_cache cache;
	struct conf_iface *ifaces;
	size_t nifaces;
};

/*
 * One diagnostic: "file:line:column: message".  Warnings do not make a
 * parse fail.
 */
struct conf_diag {
	const char *file;
	unsigned line;
	unsigned column;
	bool warning;
	const char *message;
};

typedef void conf_diag_fn(void *arg, const struct conf_diag *d);

/*
 * Parse a string in memory (core library) or a file (conf_file.c, shell
 * library).  Every diagnostic goes to diag; when diag is NULL,
 * conf_parse_string drops them and conf_parse_file prints them to stderr
 * as "file:line:column: message" (conf_diag_stderr).  Returns NULL if
 * there was at least one error; all errors are reported, not only the
 * first.  No global state: safe to call many times in one process.
 */
struct conf *conf_parse_string(const char *name, const char *text,
    size_t len, conf_diag_fn *diag, void *arg);
struct conf *conf_parse_file(const char *path, conf_diag_fn *diag, void *arg);
void conf_diag_stderr(void *arg, const struct conf_diag *d);
void conf_free(struct conf *conf);

/* Canonical form; it parses again to an equal configuration. */
void conf_print(FILE *out, const struct conf *conf);
/* One rule as the file writes it, without indent or newline. */
void conf_rule_print(FILE *out, const struct conf_rule *r);
/* Equality of meaning (rule lines are not compared). */
bool conf_equal(const struct conf *a, const struct conf *b);

const struct conf_iface *conf_iface_find(const struct conf *conf,
    const char *name);

#endif
