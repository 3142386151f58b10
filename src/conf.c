/*
 * The configuration: the parse of a text in memory (grammar/parse.y and
 * grammar/scan.l do the reading), its diagnostics and memory.  The checks
 * behind the grammar's actions are in conf_check.c, canonical printing
 * and comparison in conf_print.c, reading a file in conf_file.c (shell).
 * Every diagnostic is "file:line:column: message" and names what was
 * expected; the parse goes on after an error so that one run reports
 * all of them.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "conf_priv.h"


struct conf_mem {
	struct conf_mem *next;
	/* The allocation follows, aligned for any object. */
	union {
		long double ld;
		void *p;
		uint64_t u;
	} data[];
};

static bool conf_grow_raw(void **, size_t, size_t);

/* ---- diagnostics ---- */

/*
 * Diagnostics are collected and handed out at the end of the parse in
 * file order: the scanner, the grammar and the checks that need the whole
 * file find their errors at different times.
 */
struct conf_pending {
	struct conf_loc loc;
	bool warning;
	unsigned seq;
	char *msg;
};

static void
conf_emit(const struct conf_ctx *ctx, struct conf_loc loc, bool warning,
    const char *msg)
{
	struct conf_diag d;

	d.file = ctx->file;
	d.line = loc.line;
	d.column = loc.col;
	d.warning = warning;
	d.message = msg;
	/* No callback: the caller wants only the result.  Printing is the
	 * shell's (conf_diag_stderr in conf_file.c). */
	if (ctx->diag != NULL)
		ctx->diag(ctx->diag_arg, &d);
}

static void conf_vdiag(struct conf_ctx *, struct conf_loc, bool,
    const char *, va_list) __attribute__((format(printf, 4, 0)));

static void
conf_vdiag(struct conf_ctx *ctx, struct conf_loc loc, bool warning,
    const char *fmt, va_list ap)
{
	char msg[1024];
	struct conf_pending *p;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (warning)
		ctx->nwarnings++;
	else
		ctx->nerrors++;
	if (conf_grow_raw((void **)&ctx->pending, ctx->npending,
	    sizeof(*ctx->pending))) {
		p = &ctx->pending[ctx->npending];
		if ((p->msg = strdup(msg)) != NULL) {
			p->loc = loc;
			p->warning = warning;
			p->seq = (unsigned)ctx->npending++;
			return;
		}
	}
	conf_emit(ctx, loc, warning, msg); /* out of memory: at once */
}

static int
conf_pending_cmp(const void *a, const void *b)
{
	const struct conf_pending *x = a, *y = b;

	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
conf_flush(struct conf_ctx *ctx)
{
	size_t i;

	if (ctx->npending > 1)
		qsort(ctx->pending, ctx->npending, sizeof(*ctx->pending),
		    conf_pending_cmp);
	for (i = 0; i < ctx->npending; i++) {
		conf_emit(ctx, ctx->pending[i].loc, ctx->pending[i].warning,
		    ctx->pending[i].msg);
		free(ctx->pending[i].msg);
	}
	free(ctx->pending);
	ctx->pending = NULL;
	ctx->npending = 0;
}

void
conf_error(struct conf_ctx *ctx, struct conf_loc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vdiag(ctx, loc, false, fmt, ap);
	va_end(ap);
}

void
conf_warning(struct conf_ctx *ctx, struct conf_loc loc, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	conf_vdiag(ctx, loc, true, fmt, ap);
	va_end(ap);
}

/* ---- memory of one parse ---- */

void *
conf_ctx_alloc(struct conf_ctx *ctx, size_t size)
{
	struct conf_mem *m;

	if (size > SIZE_MAX - sizeof(*m) ||
	    (m = malloc(sizeof(*m) + size)) == NULL)
		return NULL;
	m->next = ctx->mem;
	ctx->mem = m;
	return m->data;
}

const char *
conf_ctx_strndup(struct conf_ctx *ctx, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX || (p = conf_ctx_alloc(ctx, len + 1)) == NULL) {
		conf_error(ctx, (struct conf_loc){ ctx->line, ctx->col },
		    "out of memory");
		return "";
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
conf_items_add(struct conf_ctx *ctx, struct conf_items *items,
    enum conf_item_kind kind, const struct conf_tok *tok)
{
	struct conf_item *it;

	if ((it = conf_ctx_alloc(ctx, sizeof(*it))) == NULL) {
		conf_error(ctx, tok->loc, "out of memory");
		return;
	}
	it->next = NULL;
	it->kind = kind;
	it->tok = *tok;
	if (items->tail != NULL)
		items->tail->next = it;
	else
		items->head = it;
	items->tail = it;
}

void
conf_ctx_free(struct conf_ctx *ctx)
{
	struct conf_mem *m, *next;

	for (m = ctx->mem; m != NULL; m = next) {
		next = m->next;
		free(m);
	}
	ctx->mem = NULL;
}

/*
 * Room for element n of an array holding n: capacities 4, 8, 16, ...
 * so the array is reallocated only when n reaches a power of two.
 */
static bool
conf_grow_raw(void **arr, size_t n, size_t elsize)
{
	size_t cap;
	void *p;

	if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
		return true;
	cap = n == 0 ? 4 : n * 2;
	if (cap > SIZE_MAX / elsize || (p = realloc(*arr, cap * elsize)) ==
	    NULL)
		return false;
	*arr = p;
	return true;
}

bool
conf_grow(struct conf_ctx *ctx, struct conf_loc loc, void **arr, size_t n,
    size_t elsize)
{
	if (conf_grow_raw(arr, n, elsize))
		return true;
	conf_error(ctx, loc, "out of memory");
	return false;
}

struct conf *
conf_parse_string(const char *name, const char *text, size_t len,
    conf_diag_fn *diag, void *arg)
{
	struct conf_ctx ctx;
	struct conf *conf;

	memset(&ctx, 0, sizeof(ctx));
	ctx.file = name != NULL ? name : "(string)";
	ctx.diag = diag;
	ctx.diag_arg = arg;
	if ((conf = calloc(1, sizeof(*conf))) == NULL) {
		conf_error(&ctx, CONF_NOWHERE, "out of memory");
		conf_flush(&ctx);
		return NULL;
	}
	conf->cache.timeout_ms = CONF_DEFAULT_CACHE_TIMEOUT_MS;
	conf->cache.tablesize = CONF_DEFAULT_TABLESIZE;
	conf->cache.limit = CONF_DEFAULT_LIMIT;
	conf->cache.refresh_count = CONF_DEFAULT_REFRESH_COUNT;
	conf->cache.refresh_interval_ms = CONF_DEFAULT_REFRESH_INTERVAL_MS;
	conf->cache.delay_count = CONF_DEFAULT_DELAY_COUNT;
	conf->cache.delay_window_ms = CONF_DEFAULT_DELAY_WINDOW_MS;
	ctx.conf = conf;

	if (conf_scan_begin(&ctx, text != NULL ? text : "", len) != 0)
		conf_error(&ctx, CONF_NOWHERE, "input too large or out of "
		    "memory (%zu bytes)", len);
	else {
		/* Nonzero only after an error already reported. */
		(void)conf_grammar_parse(&ctx);
		conf_scan_end(&ctx);
		conf_finish(&ctx);
	}
	conf_ctx_free(&ctx);
	conf_flush(&ctx);
	if (ctx.nerrors != 0) {
		conf_free(conf);
		return NULL;
	}
	return conf;
}
void
conf_free(struct conf *conf)
{
	size_t i;

	if (conf == NULL)
		return;
	for (i = 0; i < conf->nifaces; i++) {
		free(conf->ifaces[i].rules);
		free(conf->ifaces[i].statics);
		free(conf->ifaces[i].sweeps);
	}
	free(conf->ifaces);
	free(conf->pidfile);
	free(conf->dumpfile);
	free(conf->control);
	free(conf->control_group);
	free(conf->user);
	free(conf->user_group);
	free(conf->statefile);
	free(conf);
}

const struct conf_iface *
conf_iface_find(const struct conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->nifaces; i++)
		if (strcmp(conf->ifaces[i].name, name) == 0)
			return &conf->ifaces[i];
	return NULL;
}
