/*
 * Internals of the configuration parser shared by grammar/parse.y,
 * grammar/scan.l and src/conf*.c: the parse context (all state of one
 * parse, so the parser is reentrant) and the semantic actions.
 */
#ifndef PARPD_CONF_PRIV_H
#define PARPD_CONF_PRIV_H

#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

#define CONF_DURATION_MAX_MS (30u * 24 * 3600 * 1000) /* 30 days */
#define CONF_TABLE_MAX 16777216u /* tablesize and limit */
#define CONF_COUNT_MAX 1000u	  /* N of N*S */
#define CONF_QUOTE_MAX 80	  /* a quoted token in a message */
#define CONF_NUM_STRLEN 24	  /* a duration in seconds, "%u.%03u" */
#ifndef PATH_MAX
#define PATH_MAX 1024
#endif

/* A position in the input: 1-based line and byte column. */
struct conf_loc {
	unsigned line;
	unsigned col;
};

/* One token as the scanner saw it; text lives in the context's arena. */
struct conf_tok {
	const char *text;
	size_t len;
	struct conf_loc loc;
};

/* The words after a rule's two prefixes: flags and the action. */
enum conf_item_kind {
	CONF_ITEM_WORD,
	CONF_ITEM_VERBOSE,
	CONF_ITEM_DELAY,
	CONF_ITEM_IGNORE,
	CONF_ITEM_TELL,
};

struct conf_item {
	struct conf_item *next;
	enum conf_item_kind kind;
	struct conf_tok tok;
};

struct conf_items {
	struct conf_item *head;
	struct conf_item *tail;
};

enum conf_block {
	CONF_BLOCK_NONE,
	CONF_BLOCK_CACHE,
	CONF_BLOCK_IFACE,
};

/* Settings that may appear at most once per block. */
enum conf_setting {
	CONF_SET_TIMEOUT,
	CONF_SET_TABLESIZE,
	CONF_SET_LIMIT,
	CONF_SET_REFRESH,
	CONF_SET_DELAY,
	CONF_SET_ROUTES,
	CONF_SET_MAX,
};

struct conf_mem;
struct conf_pending;

struct conf_ctx {
	const char *file;
	conf_diag_fn *diag;
	void *diag_arg;
	unsigned nerrors;
	unsigned nwarnings;
	struct conf_pending *pending; /* diagnostics, sorted at the end */
	size_t npending;

	/* Scanner state: position of the next byte. */
	void *scanner;
	unsigned line;
	unsigned col;
	bool line_open; /* a token was returned since the last newline */
	bool eof_sent;

	struct conf_mem *mem; /* everything freed when the parse ends */
	struct conf *conf;

	/* The open block, if any. */
	enum conf_block block;
	unsigned block_line;
	size_t iface; /* index in conf->ifaces of the open interface */
	unsigned seen[CONF_SET_MAX]; /* line of each setting in the block */

	unsigned cache_line; /* the first cache block */
	struct conf_loc pidfile_at; /* line 0: not given */
	struct conf_loc dumpfile_at;
	struct conf_loc control_at;
	struct conf_loc user_at;
	struct conf_loc statefile_at;
	/* Where the cache timeout and refresh were given, for the check
	 * that refresh ends before the entry expires (line 0: not given). */
	struct conf_loc timeout_at;
	struct conf_loc refresh_at;
};

/* Diagnostics: "file:line:column: message". */
void conf_error(struct conf_ctx *ctx, struct conf_loc loc, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));
void conf_warning(struct conf_ctx *ctx, struct conf_loc loc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define CONF_NOWHERE ((struct conf_loc){ 0, 0 }) /* file:0:0 */
/* Handed out in file order at the end of the parse (conf_flush). */
void conf_flush(struct conf_ctx *ctx);
/* A token quoted for a message, cut short (conf_check.c). */
const char *conf_quote(const char *s, size_t len, char *buf, size_t size);
#define QUOTE(tok, buf) conf_quote((tok)->text, (tok)->len, (buf), \
	sizeof(buf))
struct conf_loc conf_loc_at(struct conf_loc loc, size_t offset);
/* A duration in seconds, "1", "1.5", "0.125" (conf_print.c). */
const char *conf_fmt_duration(uint64_t ms, char *buf, size_t size);
/* The checks that need the whole file (conf_check.c). */
void conf_finish(struct conf_ctx *ctx);

/* Memory of the parse, released in one go at its end. */
void *conf_ctx_alloc(struct conf_ctx *ctx, size_t size);
const char *conf_ctx_strndup(struct conf_ctx *ctx, const char *s,
    size_t len);
void conf_items_add(struct conf_ctx *ctx, struct conf_items *items,
    enum conf_item_kind kind, const struct conf_tok *tok);
void conf_ctx_free(struct conf_ctx *ctx);
/* Room for element n of an array of n; an error at loc if there is none. */
bool conf_grow(struct conf_ctx *ctx, struct conf_loc loc, void **arr,
    size_t n, size_t elsize);

/* The parser (grammar/parse.y) and its scanner (grammar/scan.l). */
int conf_grammar_parse(struct conf_ctx *ctx);
int conf_scan_begin(struct conf_ctx *ctx, const char *text, size_t len);
void conf_scan_end(struct conf_ctx *ctx);

/* Semantic actions of the grammar (src/conf_check.c). */
void conf_act_pidfile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path);
void conf_act_dumpfile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path);
void conf_act_statefile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path);
void conf_act_control(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path, const struct conf_tok *group_kw,
    const struct conf_tok *group);
void conf_act_user(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *user, const struct conf_tok *group_kw,
    const struct conf_tok *group);
/* conf_paths.c: defaults and checks at the end of the file. */
bool conf_paths_finish(struct conf_ctx *ctx);
void conf_act_cache_open(struct conf_ctx *ctx, const struct conf_tok *kw);
void conf_act_sweep(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *prefix, const struct conf_tok *every_kw,
    const struct conf_tok *every, const struct conf_tok *rate_kw,
    const struct conf_tok *rate);
/* conf_sweep.c: warnings that need the interface's whole block. */
void conf_sweeps_finish(struct conf_ctx *ctx, const struct conf_iface *ifc);
/* Values (conf_check.c), shared with conf_sweep.c. */
bool conf_digits(const char *s, size_t len, uint64_t *out);
bool conf_duration(struct conf_ctx *ctx, const char *s, size_t len,
    struct conf_loc loc, uint32_t *out);
bool conf_prefix(struct conf_ctx *ctx, const struct conf_tok *tok,
    struct addr_prefix *p);
struct conf_iface *conf_cur_iface(struct conf_ctx *ctx);
void conf_act_iface_open(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *name);
void conf_act_block_end(struct conf_ctx *ctx);
void conf_act_block_eof(struct conf_ctx *ctx, struct conf_loc loc);
void conf_act_stray_end(struct conf_ctx *ctx, const struct conf_tok *kw);
void conf_act_misplaced(struct conf_ctx *ctx, const struct conf_tok *kw);
void conf_act_unknown(struct conf_ctx *ctx, const struct conf_tok *word);
void conf_act_timeout(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val);
void conf_act_tablesize(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val);
void conf_act_limit(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val);
void conf_act_refresh(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val);
void conf_act_delay(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val);
void conf_act_routes(struct conf_ctx *ctx, const struct conf_tok *kw);
void conf_act_static(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *ip, const struct conf_tok *mac,
    const struct conf_tok *flag);
void conf_act_rule(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *src, const struct conf_tok *dst,
    const struct conf_items *items, struct conf_loc eol);

#endif
