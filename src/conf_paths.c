/*
 * Top-level settings that name files: pidfile, dumpfile, the control
 * socket (and its group) and the cache state file, their defaults and
 * the checks between them; and the user (and group) parpd runs as, who
 * must be able to write them (parpd.8, PRIVILEGES).
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static bool
conf_path(struct conf_ctx *ctx, const struct conf_tok *tok)
{
	char q[CONF_QUOTE_MAX];

	if (tok->len == 0 || tok->text[0] != '/') {
		conf_error(ctx, tok->loc, "expected an absolute path, got %s",
		    QUOTE(tok, q));
		return false;
	}
	if (tok->len >= PATH_MAX) {
		conf_error(ctx, tok->loc, "expected a path shorter than %d "
		    "bytes, got %zu bytes", PATH_MAX, tok->len);
		return false;
	}
	return true;
}

static void
conf_set_path(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path, char **dst, struct conf_loc *at)
{
	char *p;

	if (at->line != 0) {
		conf_error(ctx, kw->loc, "%s already set at line %u",
		    kw->text, at->line);
		return;
	}
	*at = path->loc;
	if (!conf_path(ctx, path))
		return;
	if ((p = strdup(path->text)) == NULL) {
		conf_error(ctx, path->loc, "out of memory");
		return;
	}
	free(*dst);
	*dst = p;
}

/* A user or group name into *dst; false: said why. */
static bool
conf_set_name(struct conf_ctx *ctx, const struct conf_tok *tok,
    const char *what, char **dst)
{
	char q[CONF_QUOTE_MAX];

	/* POSIX portable names: letters, digits, '.', '_', '-'. */
	if (tok->len == 0 || tok->len > 32 || tok->text[0] == '-' ||
	    strspn(tok->text, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != tok->len) {
		conf_error(ctx, tok->loc, "expected a %s name, got %s", what,
		    QUOTE(tok, q));
		return false;
	}
	free(*dst);
	if ((*dst = strdup(tok->text)) == NULL) {
		conf_error(ctx, tok->loc, "out of memory");
		return false;
	}
	return true;
}

void
conf_act_pidfile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path)
{
	conf_set_path(ctx, kw, path, &ctx->conf->pidfile, &ctx->pidfile_at);
}

void
conf_act_dumpfile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path)
{
	conf_set_path(ctx, kw, path, &ctx->conf->dumpfile,
	    &ctx->dumpfile_at);
}

void
conf_act_statefile(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path)
{
	conf_set_path(ctx, kw, path, &ctx->conf->statefile,
	    &ctx->statefile_at);
}

/* "... group NAME": the word before NAME must be group. */
static bool
conf_group_word(struct conf_ctx *ctx, const struct conf_tok *group_kw)
{
	char q[CONF_QUOTE_MAX];

	if (group_kw == NULL || strcmp(group_kw->text, "group") == 0)
		return true;
	conf_error(ctx, group_kw->loc, "expected group or the end of the "
	    "line, got %s", QUOTE(group_kw, q));
	return false;
}

void
conf_act_control(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *path, const struct conf_tok *group_kw,
    const struct conf_tok *group)
{
	if (!conf_group_word(ctx, group_kw))
		return;
	conf_set_path(ctx, kw, path, &ctx->conf->control, &ctx->control_at);
	if (group == NULL || ctx->conf->control == NULL)
		return;
	conf_set_name(ctx, group, "group", &ctx->conf->control_group);
}

void
conf_act_user(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *user, const struct conf_tok *group_kw,
    const struct conf_tok *group)
{
	if (!conf_group_word(ctx, group_kw))
		return;
	if (ctx->user_at.line != 0) {
		conf_error(ctx, kw->loc, "%s already set at line %u",
		    kw->text, ctx->user_at.line);
		return;
	}
	ctx->user_at = user->loc;
	if (conf_set_name(ctx, user, "user", &ctx->conf->user) &&
	    group != NULL)
		(void)conf_set_name(ctx, group, "group",
		    &ctx->conf->user_group);
}

/* Defaults for what was not given; files that must differ do.  false:
 * out of memory. */
bool
conf_paths_finish(struct conf_ctx *ctx)
{
	static const struct {
		const char *def;
		size_t off;
	} defaults[] = {
		{ CONF_DEFAULT_PIDFILE, offsetof(struct conf, pidfile) },
		{ CONF_DEFAULT_DUMPFILE, offsetof(struct conf, dumpfile) },
		{ CONF_DEFAULT_CONTROL, offsetof(struct conf, control) },
	};
	struct conf *conf = ctx->conf;
	char a[CONF_QUOTE_MAX];
	size_t i;

	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		char **p = (char **)((char *)conf + defaults[i].off);

		if (*p == NULL && (*p = strdup(defaults[i].def)) == NULL) {
			conf_error(ctx, CONF_NOWHERE, "out of memory");
			return false;
		}
	}
	/* The dump is written by rename over its path: it would replace
	 * the pidfile.  The socket is unlinked when stale. */
	if (strcmp(conf->pidfile, conf->dumpfile) == 0)
		conf_error(ctx, ctx->dumpfile_at.line != 0 ? ctx->dumpfile_at :
		    ctx->pidfile_at, "expected a dumpfile other than the "
		    "pidfile, got %s", conf_quote(conf->dumpfile,
		    strlen(conf->dumpfile), a, sizeof(a)));
	if (strcmp(conf->control, conf->pidfile) == 0 ||
	    strcmp(conf->control, conf->dumpfile) == 0)
		conf_error(ctx, ctx->control_at.line != 0 ? ctx->control_at :
		    CONF_NOWHERE, "expected a control socket other than the "
		    "pidfile and the dumpfile, got %s", conf_quote(
		    conf->control, strlen(conf->control), a, sizeof(a)));
	/* Written by rename too.  Its default, beside the pidfile in force
	 * (-p may change it), is the daemon's. */
	if (conf->statefile != NULL &&
	    (strcmp(conf->statefile, conf->pidfile) == 0 ||
	    strcmp(conf->statefile, conf->dumpfile) == 0 ||
	    strcmp(conf->statefile, conf->control) == 0))
		conf_error(ctx, ctx->statefile_at, "expected a statefile other "
		    "than the pidfile, the dumpfile and the control socket, "
		    "got %s", conf_quote(conf->statefile,
		    strlen(conf->statefile), a, sizeof(a)));
	return true;
}
