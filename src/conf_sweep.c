/*
 * The sweep statement (parpd.conf(5)): "sweep PREFIX every SECONDS
 * [rate N]" in an interface block, its checks, and the warning for a
 * sweep whose answers the interface would not learn.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

static bool
conf_sweep_word(struct conf_ctx *ctx, const struct conf_tok *tok,
    const char *want, const char *otherwise)
{
	char q[CONF_QUOTE_MAX];

	if (strcmp(tok->text, want) == 0)
		return true;
	conf_error(ctx, tok->loc, "expected %s, got %s", otherwise,
	    QUOTE(tok, q));
	return false;
}

static bool
conf_sweep_prefix(struct conf_ctx *ctx, const struct conf_tok *tok,
    struct addr_prefix *p)
{
	char q[CONF_QUOTE_MAX];

	if (!conf_prefix(ctx, tok, p))
		return false;
	if (p->ip.family != ADDR_V4) {
		conf_error(ctx, tok->loc, "expected an IPv4 prefix to sweep, "
		    "got %s (an IPv6 prefix has too many addresses to ask "
		    "each)", QUOTE(tok, q));
		return false;
	}
	if (p->len < CONF_SWEEP_MIN_LEN) {
		conf_error(ctx, tok->loc, "expected a prefix of at most "
		    "65536 addresses (/%u or longer) to sweep, got %s",
		    CONF_SWEEP_MIN_LEN, QUOTE(tok, q));
		return false;
	}
	return true;
}

static bool
conf_sweep_rate(struct conf_ctx *ctx, const struct conf_tok *tok,
    uint32_t *rate)
{
	char q[CONF_QUOTE_MAX];
	uint64_t v;

	if (!conf_digits(tok->text, tok->len, &v) || v < 1 ||
	    v > CONF_SWEEP_RATE_MAX) {
		conf_error(ctx, tok->loc, "expected a rate of 1 to %u "
		    "queries per second, got %s", CONF_SWEEP_RATE_MAX,
		    QUOTE(tok, q));
		return false;
	}
	*rate = (uint32_t)v;
	return true;
}

/* Two prefixes share an address when one contains the other. */
static bool
conf_prefixes_meet(const struct addr_prefix *a, const struct addr_prefix *b)
{
	return a->ip.family == b->ip.family &&
	    (addr_prefix_contains(a, &b->ip) || addr_prefix_contains(b, &a->ip));
}

void
conf_act_sweep(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *prefix, const struct conf_tok *every_kw,
    const struct conf_tok *every, const struct conf_tok *rate_kw,
    const struct conf_tok *rate)
{
	struct conf_iface *ifc = conf_cur_iface(ctx);
	struct conf_sweep sw;
	size_t i;
	bool ok;

	memset(&sw, 0, sizeof(sw));
	sw.rate = CONF_DEFAULT_SWEEP_RATE;
	sw.line = kw->loc.line;
	ok = conf_sweep_prefix(ctx, prefix, &sw.prefix);
	if (!conf_sweep_word(ctx, every_kw, "every", "every"))
		return;
	ok = conf_duration(ctx, every->text, every->len, every->loc,
	    &sw.every_ms) && ok;
	if (rate_kw != NULL) {
		if (!conf_sweep_word(ctx, rate_kw, "rate",
		    "rate or the end of the line"))
			return;
		ok = conf_sweep_rate(ctx, rate, &sw.rate) && ok;
	}
	if (!ok)
		return;
	for (i = 0; i < ifc->nsweeps; i++)
		if (conf_prefixes_meet(&ifc->sweeps[i].prefix, &sw.prefix)) {
			conf_error(ctx, prefix->loc, "sweep overlaps the sweep "
			    "at line %u", ifc->sweeps[i].line);
			return;
		}
	if (!conf_grow(ctx, kw->loc, (void **)&ifc->sweeps, ifc->nsweeps,
	    sizeof(*ifc->sweeps)))
		return;
	ifc->sweeps[ifc->nsweeps++] = sw;
}

/*
 * Whether any address of p could be learned on ifc: the learning scope
 * (parpd.conf(5), Learning) is the DSTs of tell rules and the overlap of
 * SRC and DST of redirect rules whose SRC is not /0.
 */
static bool
conf_sweep_learnable(const struct conf_iface *ifc, const struct addr_prefix *p)
{
	size_t i;

	for (i = 0; i < ifc->nrules; i++) {
		const struct conf_rule *r = &ifc->rules[i];

		if (r->action == CONF_ACTION_TELL &&
		    conf_prefixes_meet(&r->dst, p))
			return true;
		if (r->action == CONF_ACTION_REDIRECT && r->src.len > 0 &&
		    conf_prefixes_meet(&r->src, &r->dst) &&
		    conf_prefixes_meet(&r->src, p) &&
		    conf_prefixes_meet(&r->dst, p))
			return true;
	}
	return false;
}

void
conf_sweeps_finish(struct conf_ctx *ctx, const struct conf_iface *ifc)
{
	char pf[ADDR_PREFIX_STRLEN];
	size_t i;

	for (i = 0; i < ifc->nsweeps; i++)
		if (!conf_sweep_learnable(ifc, &ifc->sweeps[i].prefix))
			conf_warning(ctx, (struct conf_loc){ ifc->sweeps[i].line,
			    1 }, "sweep %s: no address of it is learnable on "
			    "%s, so its answers would be dropped: add a tell "
			    "rule for it", addr_prefix_format(
			    &ifc->sweeps[i].prefix, pf, sizeof(pf)), ifc->name);
}
