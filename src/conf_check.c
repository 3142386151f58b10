/*
 * The checks and storage behind the grammar's semantic actions
 * (grammar/parse.y), and the checks that need the whole file.
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

/* ---- messages ---- */

/*
 * A token as it appears in a message: in double quotes, non-printable
 * bytes as \xNN, cut short with "..." so that a huge token cannot
 * swamp the message.
 */
const char *
conf_quote(const char *s, size_t len, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	buf[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 9 > size) { /* room for \xNN, ...", NUL */
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		} else
			buf[o++] = (char)c;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

struct conf_loc
conf_loc_at(struct conf_loc loc, size_t offset)
{
	loc.col += (unsigned)offset;
	return loc;
}

/* ---- values ---- */

/* Decimal digits only; saturates instead of overflowing. */
bool
conf_digits(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v < UINT32_MAX)
			v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Seconds with up to three decimals, into milliseconds: 0 < S <= 30d. */
bool
conf_duration(struct conf_ctx *ctx, const char *s, size_t len,
    struct conf_loc loc, uint32_t *out)
{
	char q[CONF_QUOTE_MAX];
	const char *dot = memchr(s, '.', len);
	size_t ilen = dot != NULL ? (size_t)(dot - s) : len, flen = 0;
	uint64_t sec, frac = 0, ms;

	if (dot != NULL)
		flen = len - ilen - 1;
	if (!conf_digits(s, ilen, &sec) ||
	    (dot != NULL && !conf_digits(dot + 1, flen, &frac))) {
		conf_error(ctx, loc, "expected a duration in seconds "
		    "(e.g. 300 or 1.5), got %s", conf_quote(s, len, q,
		    sizeof(q)));
		return false;
	}
	if (flen > 3) {
		conf_error(ctx, loc, "expected at most three decimals "
		    "(millisecond precision), got %s", conf_quote(s, len, q,
		    sizeof(q)));
		return false;
	}
	while (flen++ < 3)
		frac *= 10;
	ms = sec * 1000 + frac; /* sec saturates near 2^32: no overflow */
	if (ms == 0) {
		conf_error(ctx, loc, "expected a duration greater than 0, "
		    "got %s", conf_quote(s, len, q, sizeof(q)));
		return false;
	}
	if (ms > CONF_DURATION_MAX_MS) {
		conf_error(ctx, loc, "expected a duration of at most 30 days "
		    "(%u seconds), got %s", CONF_DURATION_MAX_MS / 1000,
		    conf_quote(s, len, q, sizeof(q)));
		return false;
	}
	*out = (uint32_t)ms;
	return true;
}

static bool
conf_table_number(struct conf_ctx *ctx, const struct conf_tok *val,
    const char *what, uint32_t *out)
{
	char q[CONF_QUOTE_MAX];
	uint64_t v;

	if (!conf_digits(val->text, val->len, &v) || v < 1 ||
	    v > CONF_TABLE_MAX) {
		conf_error(ctx, val->loc, "expected a number of %s from 1 to "
		    "%u, got %s", what, CONF_TABLE_MAX, QUOTE(val, q));
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* N*S: a count 1..1000 and a duration. */
static bool
conf_count_times(struct conf_ctx *ctx, const struct conf_tok *val,
    uint32_t *count, uint32_t *ms)
{
	char q[CONF_QUOTE_MAX];
	const char *star = memchr(val->text, '*', val->len);
	size_t nlen;
	uint64_t n;
	uint32_t s;

	if (star == NULL || !conf_digits(val->text,
	    (size_t)(star - val->text), &n)) {
		conf_error(ctx, val->loc, "expected COUNT*SECONDS (e.g. 3*5), "
		    "got %s", QUOTE(val, q));
		return false;
	}
	nlen = (size_t)(star - val->text);
	if (n < 1 || n > CONF_COUNT_MAX) {
		conf_error(ctx, val->loc, "expected a count from 1 to %u "
		    "before '*', got %s", CONF_COUNT_MAX,
		    conf_quote(val->text, nlen, q, sizeof(q)));
		return false;
	}
	if (!conf_duration(ctx, star + 1, val->len - nlen - 1,
	    conf_loc_at(val->loc, nlen + 1), &s))
		return false;
	*count = (uint32_t)n;
	*ms = s;
	return true;
}

static const char *
conf_family_name(uint8_t family)
{
	return family == ADDR_V4 ? "IPv4" : "IPv6";
}

static bool
conf_ip_text(const struct conf_tok *tok, struct addr_ip *ip)
{
	return tok->len < ADDR_IP_STRLEN && memchr(tok->text, '/',
	    tok->len) == NULL && addr_ip_parse(tok->text, ip) == 0;
}

/*
 * What ip is if it cannot name a neighbour (a host's or router's address
 * on the link), or NULL if it can.  addr_ip_names_neighbour is the one
 * predicate, which the core uses too; this only names the block (RFC 1122
 * 3.2.1.3, RFC 6890, RFC 4291 2.5.2, 2.5.3 and 2.7) for the message.
 */
static const char *
conf_ip_not_neighbour(const struct addr_ip *ip)
{
	static const uint8_t bcast[4] = { 255, 255, 255, 255 };
	static const uint8_t loop6[16] = { [15] = 1 };

	if (addr_ip_names_neighbour(ip))
		return NULL;
	if (addr_ip_is_unspecified(ip))
		return "the unspecified address";
	if (ip->family == ADDR_V6) {
		if (memcmp(ip->b, loop6, 16) == 0)
			return "the loopback address";
		return "a multicast address";
	}
	if (ip->b[0] == 0)
		return "a \"this network\" address (0.0.0.0/8)";
	if (ip->b[0] == 127)
		return "a loopback address";
	if ((ip->b[0] & 0xf0) == 0xe0)
		return "a multicast address";
	if (memcmp(ip->b, bcast, 4) == 0)
		return "the limited broadcast address";
	return "a reserved address (240.0.0.0/4)";
}

bool
conf_prefix(struct conf_ctx *ctx, const struct conf_tok *tok,
    struct addr_prefix *p)
{
	char q[CONF_QUOTE_MAX], buf[ADDR_PREFIX_STRLEN];
	const char *slash = memchr(tok->text, '/', tok->len);
	size_t alen = slash != NULL ? (size_t)(slash - tok->text) : tok->len;
	uint64_t len;
	unsigned bits;

	if (alen >= sizeof(buf))
		goto syntax;
	memcpy(buf, tok->text, alen);
	buf[alen] = '\0';
	if (addr_ip_parse(buf, &p->ip) != 0)
		goto syntax;
	bits = addr_family_bits(p->ip.family);
	if (slash == NULL) {
		p->len = (uint8_t)bits; /* a bare address: a host prefix */
		return true;
	}
	if (!conf_digits(slash + 1, tok->len - alen - 1, &len))
		goto syntax;
	if (len > bits) {
		conf_error(ctx, conf_loc_at(tok->loc, alen + 1),
		    "prefix length %s is out of range for %s (0-%u)",
		    slash + 1, conf_family_name(p->ip.family), bits);
		return false;
	}
	p->len = (uint8_t)len;
	if (addr_prefix_has_host_bits(p)) {
		char fixed[ADDR_PREFIX_STRLEN];

		addr_prefix_normalise(p);
		conf_warning(ctx, tok->loc, "%s has host bits set; using %s",
		    QUOTE(tok, q), addr_prefix_format(p, fixed,
		    sizeof(fixed)));
	}
	return true;
syntax:
	conf_error(ctx, tok->loc, "expected an IPv4 or IPv6 prefix, got %s",
	    QUOTE(tok, q));
	return false;
}

/* ---- blocks and statements ---- */

struct conf_iface *
conf_cur_iface(struct conf_ctx *ctx)
{
	return &ctx->conf->ifaces[ctx->iface];
}

/* "the cache block", "the interface em0 block" */
static const char *
conf_block_name(struct conf_ctx *ctx, char *buf, size_t size)
{
	if (ctx->block == CONF_BLOCK_CACHE)
		snprintf(buf, size, "the cache block");
	else if (conf_cur_iface(ctx)->name[0] != '\0')
		snprintf(buf, size, "the interface %s block",
		    conf_cur_iface(ctx)->name);
	else
		snprintf(buf, size, "the interface block");
	return buf;
}

/* A block opening while another is open: that one lacks its end. */
static void
conf_block_open(struct conf_ctx *ctx, const struct conf_tok *kw,
    enum conf_block block)
{
	char name[64], q[CONF_QUOTE_MAX];

	if (ctx->block != CONF_BLOCK_NONE)
		conf_error(ctx, kw->loc, "expected end of %s opened at line "
		    "%u, got %s", conf_block_name(ctx, name, sizeof(name)),
		    ctx->block_line, QUOTE(kw, q));
	ctx->block = block;
	ctx->block_line = kw->loc.line;
	memset(ctx->seen, 0, sizeof(ctx->seen));
}

void
conf_act_block_end(struct conf_ctx *ctx)
{
	ctx->block = CONF_BLOCK_NONE;
}

void
conf_act_block_eof(struct conf_ctx *ctx, struct conf_loc loc)
{
	char name[64];

	conf_error(ctx, loc, "expected end of %s opened at line %u, got end "
	    "of file", conf_block_name(ctx, name, sizeof(name)),
	    ctx->block_line);
	ctx->block = CONF_BLOCK_NONE;
}

void
conf_act_stray_end(struct conf_ctx *ctx, const struct conf_tok *kw)
{
	conf_error(ctx, kw->loc, "end without an open block");
}

void
conf_act_cache_open(struct conf_ctx *ctx, const struct conf_tok *kw)
{
	conf_block_open(ctx, kw, CONF_BLOCK_CACHE);
	if (ctx->cache_line != 0)
		conf_error(ctx, kw->loc, "cache block already defined at "
		    "line %u", ctx->cache_line);
	else
		ctx->cache_line = kw->loc.line;
}

/* Names as Linux and FreeBSD accept them: no '/', ':' or blanks. */
static bool
conf_ifname_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '/' ||
		    s[i] == ':' || s[i] == '#' || s[i] == '"')
			return false;
	return true;
}

void
conf_act_iface_open(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *name)
{
	struct conf *conf = ctx->conf;
	struct conf_iface *ifc;
	char q[CONF_QUOTE_MAX];
	bool named = false;
	size_t i;

	conf_block_open(ctx, kw, CONF_BLOCK_IFACE);
	if (name != NULL) {
		if (name->len >= CONF_IFNAMSIZ)
			conf_error(ctx, name->loc, "expected an interface name "
			    "of at most %d characters, got %s (%zu)",
			    CONF_IFNAMSIZ - 1, QUOTE(name, q), name->len);
		else if (!conf_ifname_ok(name->text, name->len))
			conf_error(ctx, name->loc, "expected an interface name "
			    "of printable characters except '/', ':' and "
			    "'#', got %s", QUOTE(name, q));
		else
			named = true;
	}
	for (i = 0; named && i < conf->nifaces; i++)
		if (strcmp(conf->ifaces[i].name, name->text) == 0) {
			conf_error(ctx, name->loc, "interface %s already "
			    "defined at line %u", name->text,
			    conf->ifaces[i].line);
			break;
		}
	/* Even a faulty block gets an entry, so that its body is checked. */
	if (!conf_grow(ctx, kw->loc, (void **)&conf->ifaces, conf->nifaces,
	    sizeof(*conf->ifaces))) {
		ctx->block = CONF_BLOCK_NONE;
		return;
	}
	ifc = &conf->ifaces[conf->nifaces];
	memset(ifc, 0, sizeof(*ifc));
	if (named)
		memcpy(ifc->name, name->text, name->len + 1);
	ifc->timeout_ms = CONF_DEFAULT_IFACE_TIMEOUT_MS;
	ifc->line = kw->loc.line;
	ctx->iface = conf->nifaces++;
}

void
conf_act_misplaced(struct conf_ctx *ctx, const struct conf_tok *kw)
{
	const char *where;

	if (strcmp(kw->text, "timeout") == 0)
		where = "in a cache or interface block";
	else if (strcmp(kw->text, "routes") == 0 ||
	    strcmp(kw->text, "static") == 0 || strcmp(kw->text, "rule") == 0 ||
	    strcmp(kw->text, "sweep") == 0)
		where = "in an interface block";
	else if (strcmp(kw->text, "pidfile") == 0 ||
	    strcmp(kw->text, "dumpfile") == 0 ||
	    strcmp(kw->text, "control") == 0 ||
	    strcmp(kw->text, "statefile") == 0 ||
	    strcmp(kw->text, "user") == 0)
		where = "outside blocks";
	else /* tablesize, limit, refresh, delay */
		where = "in the cache block";
	conf_error(ctx, kw->loc, "%s is only allowed %s", kw->text, where);
}

void
conf_act_unknown(struct conf_ctx *ctx, const struct conf_tok *word)
{
	char q[CONF_QUOTE_MAX];
	const char *expected;

	switch (ctx->block) {
	case CONF_BLOCK_CACHE:
		expected = "timeout, tablesize, limit, refresh, delay or end";
		break;
	case CONF_BLOCK_IFACE:
		expected = "timeout, routes, static, rule, sweep or end";
		break;
	default:
		expected = "cache, interface, pidfile, dumpfile, control, "
		    "statefile or user";
		break;
	}
	conf_error(ctx, word->loc, "expected %s, got %s", expected,
	    QUOTE(word, q));
}

/* Each setting at most once per block. */
static bool
conf_once(struct conf_ctx *ctx, enum conf_setting set,
    const struct conf_tok *kw)
{
	if (ctx->seen[set] != 0) {
		conf_error(ctx, kw->loc, "%s already set at line %u",
		    kw->text, ctx->seen[set]);
		return false;
	}
	ctx->seen[set] = kw->loc.line;
	return true;
}

void
conf_act_timeout(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val)
{
	uint32_t ms;

	if (!conf_once(ctx, CONF_SET_TIMEOUT, kw) ||
	    !conf_duration(ctx, val->text, val->len, val->loc, &ms))
		return;
	if (ctx->block == CONF_BLOCK_CACHE) {
		ctx->conf->cache.timeout_ms = ms;
		ctx->timeout_at = val->loc;
	} else
		conf_cur_iface(ctx)->timeout_ms = ms;
}

void
conf_act_tablesize(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val)
{
	if (conf_once(ctx, CONF_SET_TABLESIZE, kw))
		(void)conf_table_number(ctx, val, "buckets",
		    &ctx->conf->cache.tablesize);
}

void
conf_act_limit(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val)
{
	if (conf_once(ctx, CONF_SET_LIMIT, kw))
		(void)conf_table_number(ctx, val, "entries",
		    &ctx->conf->cache.limit);
}

void
conf_act_refresh(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val)
{
	struct conf_cache *c = &ctx->conf->cache;

	if (conf_once(ctx, CONF_SET_REFRESH, kw) &&
	    conf_count_times(ctx, val, &c->refresh_count,
	    &c->refresh_interval_ms))
		ctx->refresh_at = val->loc;
}

void
conf_act_delay(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *val)
{
	struct conf_cache *c = &ctx->conf->cache;

	if (conf_once(ctx, CONF_SET_DELAY, kw))
		(void)conf_count_times(ctx, val, &c->delay_count,
		    &c->delay_window_ms);
}

void
conf_act_routes(struct conf_ctx *ctx, const struct conf_tok *kw)
{
	if (conf_once(ctx, CONF_SET_ROUTES, kw))
		conf_cur_iface(ctx)->routes = true;
}

static const struct conf_static *
conf_static_find(const struct conf *conf, const struct addr_ip *ip)
{
	size_t i, j;

	for (i = 0; i < conf->nifaces; i++)
		for (j = 0; j < conf->ifaces[i].nstatics; j++)
			if (addr_ip_equal(&conf->ifaces[i].statics[j].ip, ip))
				return &conf->ifaces[i].statics[j];
	return NULL;
}

void
conf_act_static(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *ipt, const struct conf_tok *mact,
    const struct conf_tok *flag)
{
	char q[CONF_QUOTE_MAX];
	const struct conf_static *other;
	struct conf_iface *ifc;
	struct conf_static st;
	const char *why;
	bool ok = true;

	memset(&st, 0, sizeof(st));
	if (!conf_ip_text(ipt, &st.ip)) {
		conf_error(ctx, ipt->loc, "expected an IPv4 or IPv6 address, "
		    "got %s", QUOTE(ipt, q));
		ok = false;
	} else if ((why = conf_ip_not_neighbour(&st.ip)) != NULL) {
		conf_error(ctx, ipt->loc, "static address %.*s is %s; "
		    "expected the address of a host on the link",
		    (int)ipt->len, ipt->text, why);
		ok = false;
	} else if ((other = conf_static_find(ctx->conf, &st.ip)) != NULL) {
		conf_error(ctx, ipt->loc, "static address %s already defined "
		    "at line %u", ipt->text, other->line);
		ok = false;
	}
	if (mact->len >= ADDR_MAC_STRLEN ||
	    addr_mac_parse(mact->text, &st.mac) != 0) {
		conf_error(ctx, mact->loc, "expected a MAC address like "
		    "00:00:5e:00:53:01, got %s", QUOTE(mact, q));
		ok = false;
	} else if (addr_mac_is_multicast(&st.mac) ||
	    addr_mac_is_zero(&st.mac)) {
		conf_error(ctx, mact->loc, "expected a unicast MAC address, "
		    "got %s %s", addr_mac_is_zero(&st.mac) ? "all-zero" :
		    "multicast", QUOTE(mact, q));
		ok = false;
	}
	/* The optional word: the pair is a router's (RFC 4861 7.2.5). */
	if (flag != NULL && flag->len == 6 &&
	    memcmp(flag->text, "router", 6) == 0)
		st.router = true;
	else if (flag != NULL) {
		conf_error(ctx, flag->loc, "expected router or the end of the "
		    "line after the static pair, got %s", QUOTE(flag, q));
		ok = false;
	}
	if (!ok)
		return;
	ifc = conf_cur_iface(ctx);
	if (!conf_grow(ctx, kw->loc, (void **)&ifc->statics, ifc->nstatics,
	    sizeof(*ifc->statics)))
		return;
	st.line = kw->loc.line;
	ifc->statics[ifc->nstatics++] = st;
}

/* The action of a rule: ignore, tell or a router's address. */
static bool
conf_rule_action(struct conf_ctx *ctx, const struct conf_item *it,
    struct conf_rule *r)
{
	char q[CONF_QUOTE_MAX];
	const char *why;

	switch (it->kind) {
	case CONF_ITEM_IGNORE:
		r->action = CONF_ACTION_IGNORE;
		return true;
	case CONF_ITEM_TELL:
		r->action = CONF_ACTION_TELL;
		return true;
	default:
		break;
	}
	if (!conf_ip_text(&it->tok, &r->router)) {
		conf_error(ctx, it->tok.loc, "expected ignore, tell or a "
		    "router address, got %s", QUOTE(&it->tok, q));
		return false;
	}
	if (r->router.family != r->src.ip.family) {
		conf_error(ctx, it->tok.loc, "expected an %s router address "
		    "like the rule's prefixes, got %s",
		    conf_family_name(r->src.ip.family), QUOTE(&it->tok, q));
		return false;
	}
	if ((why = conf_ip_not_neighbour(&r->router)) != NULL) {
		conf_error(ctx, it->tok.loc, "router address %.*s is %s; "
		    "expected the address of a host on the link",
		    (int)it->tok.len, it->tok.text, why);
		return false;
	}
	r->action = CONF_ACTION_REDIRECT;
	return true;
}

void
conf_act_rule(struct conf_ctx *ctx, const struct conf_tok *kw,
    const struct conf_tok *src, const struct conf_tok *dst,
    const struct conf_items *items, struct conf_loc eol)
{
	char q[CONF_QUOTE_MAX];
	const struct conf_item *it;
	struct conf_iface *ifc;
	struct conf_rule r;
	bool ok, action = false;

	memset(&r, 0, sizeof(r));
	ok = conf_prefix(ctx, src, &r.src);
	ok = conf_prefix(ctx, dst, &r.dst) && ok;
	/* One family per rule: the error goes to the first item that
	 * differs from the source. */
	if (ok && r.dst.ip.family != r.src.ip.family) {
		conf_error(ctx, dst->loc, "expected an %s prefix like the "
		    "rule's source, got %s", conf_family_name(
		    r.src.ip.family), QUOTE(dst, q));
		ok = false;
	}
	for (it = items->head; it != NULL; it = it->next) {
		unsigned flag = 0;

		if (action) {
			conf_error(ctx, it->tok.loc, "expected end of line "
			    "after the action, got %s", QUOTE(&it->tok, q));
			return;
		}
		if (it->kind == CONF_ITEM_VERBOSE)
			flag = CONF_RULE_VERBOSE;
		else if (it->kind == CONF_ITEM_DELAY)
			flag = CONF_RULE_DELAY;
		if (flag != 0) {
			if ((r.flags & flag) != 0) {
				conf_error(ctx, it->tok.loc, "%s given twice "
				    "in one rule", it->tok.text);
				ok = false;
			}
			r.flags |= flag;
			continue;
		}
		action = true;
		if (ok && !conf_rule_action(ctx, it, &r))
			ok = false;
	}
	if (!action) {
		conf_error(ctx, eol, "expected an action (ignore, tell or a "
		    "router address), got end of line");
		return;
	}
	if (!ok)
		return;
	ifc = conf_cur_iface(ctx);
	if (!conf_grow(ctx, kw->loc, (void **)&ifc->rules, ifc->nrules,
	    sizeof(*ifc->rules)))
		return;
	r.line = kw->loc.line;
	ifc->rules[ifc->nrules++] = r;
}

/*
 * Whether ifc learns anything (the core's learning scope, rule.h): a
 * static pair, a tell rule, or a redirect rule whose SRC (not /0) and
 * DST overlap.  Its routers alone give no client a route.
 */
static bool
conf_iface_learns(const struct conf_iface *ifc)
{
	size_t i;

	if (ifc->nstatics > 0)
		return true;
	for (i = 0; i < ifc->nrules; i++) {
		const struct conf_rule *r = &ifc->rules[i];

		if (r->action == CONF_ACTION_TELL)
			return true;
		if (r->action == CONF_ACTION_REDIRECT && r->src.len > 0 &&
		    (addr_prefix_contains(&r->src, &r->dst.ip) ||
		    addr_prefix_contains(&r->dst, &r->src.ip)))
			return true;
	}
	return false;
}

/* Checks that need the whole file. */
void
conf_finish(struct conf_ctx *ctx)
{
	struct conf *conf = ctx->conf;
	const struct conf_cache *c = &conf->cache;
	uint64_t span = (uint64_t)c->refresh_count * c->refresh_interval_ms;
	char a[CONF_QUOTE_MAX], b[CONF_NUM_STRLEN], t[CONF_NUM_STRLEN];
	char from[32];
	size_t i;

	/* The last refresh query must go out before the entry expires. */
	if (span >= c->timeout_ms) {
		conf_fmt_duration(span, a, sizeof(a));
		conf_fmt_duration(c->refresh_interval_ms, b, sizeof(b));
		conf_fmt_duration(c->timeout_ms, t, sizeof(t));
		if (ctx->refresh_at.line != 0) {
			if (ctx->timeout_at.line != 0)
				snprintf(from, sizeof(from), "line %u",
				    ctx->timeout_at.line);
			else
				snprintf(from, sizeof(from), "the default");
			conf_error(ctx, ctx->refresh_at, "expected refresh to "
			    "span less than the cache timeout %s (%s), got "
			    "%u*%s = %s seconds", t, from, c->refresh_count, b,
			    a);
		} else
			conf_error(ctx, ctx->timeout_at, "expected a cache "
			    "timeout longer than refresh %u*%s = %s seconds "
			    "(the default), got %s", c->refresh_count, b, a, t);
	}
	if (!conf_paths_finish(ctx))
		return;
	/* Only for a file that is otherwise right: one refused says enough. */
	for (i = 0; ctx->nerrors == 0 && i < conf->nifaces; i++) {
		const struct conf_iface *ifc = &conf->ifaces[i];

		conf_sweeps_finish(ctx, ifc);
		if (ifc->routes && !conf_iface_learns(ifc))
			conf_warning(ctx, (struct conf_loc){ ifc->line, 1 },
			    "interface %s has routes but nothing is learnable "
			    "on it: add a tell rule, a static pair, or a "
			    "redirect rule whose SRC and DST overlap (clients "
			    "asking for each other)", ifc->name);
	}
}
