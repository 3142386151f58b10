/*
 * The configuration language of parpd.conf(5): a pure, reentrant bison
 * parser.  All state is in struct conf_ctx (src/conf_priv.h); the values
 * are checked and stored by the conf_act_* functions in src/conf_check.c.
 *
 * The language is line oriented: every statement ends at the end of its
 * line, so a syntax error is recovered from at the next end of line and
 * the rest of the file is still checked.  A block that is not closed
 * before the next block or the end of the file is reported once, naming
 * the line where it was opened.
 */

/* parse.error detailed is bison 3.6's; Debian 12 has 3.8, FreeBSD's
 * devel/bison is newer. */
%require "3.6"

%code top {
#include "config.h"
}

%code requires {
#include "conf_priv.h"
}

%code provides {
int conf_scanlex(CONF_YYSTYPE *lval, CONF_YYLTYPE *lloc, void *scanner);
}

%code {
static int conf_yylex(CONF_YYSTYPE *, CONF_YYLTYPE *, struct conf_ctx *);
static void conf_yyerror(const CONF_YYLTYPE *, struct conf_ctx *,
    const char *);
static struct conf_loc conf_yyloc(const CONF_YYLTYPE *);
}

%define api.pure full
%define api.prefix {conf_yy}
%define api.token.prefix {CONF_T_}
%define parse.error detailed
%locations
%parse-param {struct conf_ctx *ctx}
%lex-param {struct conf_ctx *ctx}
%expect 0

%union {
	struct conf_tok tok;
	struct conf_items items;
}

%token <tok> CACHE "cache"
%token <tok> INTERFACE "interface"
%token <tok> END "end"
%token <tok> PIDFILE "pidfile"
%token <tok> DUMPFILE "dumpfile"
%token <tok> CONTROL "control"
%token <tok> USER "user"
%token <tok> STATEFILE "statefile"
%token <tok> TIMEOUT "timeout"
%token <tok> TABLESIZE "tablesize"
%token <tok> LIMIT "limit"
%token <tok> REFRESH "refresh"
%token <tok> DELAY "delay"
%token <tok> ROUTES "routes"
%token <tok> STATIC "static"
%token <tok> RULE "rule"
%token <tok> SWEEP "sweep"
%token <tok> VERBOSE "verbose"
%token <tok> TELL "tell"
%token <tok> IGNORE "ignore"
%token <tok> WORD "word"
%token <tok> STRING "quoted string"
%token NL "end of line"
%token EOF_MARK "end of input"

%type <tok> value path
%type <tok> not_top not_cache not_iface unknown
%type <items> rule_items

%%

file:
	  %empty
	| file item
	;

item:
	  NL
	| EOF_MARK
	| PIDFILE path NL		{ conf_act_pidfile(ctx, &$1, &$2); }
	| DUMPFILE path NL		{ conf_act_dumpfile(ctx, &$1, &$2); }
	| STATEFILE path NL		{ conf_act_statefile(ctx, &$1, &$2); }
	| CONTROL path NL		{ conf_act_control(ctx, &$1, &$2,
					      NULL, NULL); }
	| CONTROL path value value NL	{ conf_act_control(ctx, &$1, &$2,
					      &$3, &$4); }
	| USER value NL			{ conf_act_user(ctx, &$1, &$2,
					      NULL, NULL); }
	| USER value value value NL	{ conf_act_user(ctx, &$1, &$2,
					      &$3, &$4); }
	| block
	| END rest NL			{ conf_act_stray_end(ctx, &$1); }
	| not_top rest NL		{ conf_act_misplaced(ctx, &$1); }
	| unknown rest NL		{ conf_act_unknown(ctx, &$1); }
	| error NL			{ yyerrok; }
	;

/*
 * A block ends at "end", at the end of the file, or (both are errors,
 * reported by the conf_act_* functions) where the next block starts.
 */
block:
	  cache_head cache_body block_close
	| iface_head iface_body block_close
	;

block_close:
	  END NL			{ conf_act_block_end(ctx); }
	| END error NL
		{ conf_act_block_end(ctx); yyerrok; }
	| EOF_MARK
		{ conf_act_block_eof(ctx, conf_yyloc(&@1)); }
	| block
	;

cache_head:
	  CACHE NL			{ conf_act_cache_open(ctx, &$1); }
	| CACHE error NL
		{ conf_act_cache_open(ctx, &$1); yyerrok; }
	;

iface_head:
	  INTERFACE path NL
		{ conf_act_iface_open(ctx, &$1, &$2); }
	| INTERFACE error NL
		{ conf_act_iface_open(ctx, &$1, NULL); yyerrok; }
	;

cache_body:
	  %empty
	| cache_body cache_line
	;

cache_line:
	  NL
	| TIMEOUT value NL		{ conf_act_timeout(ctx, &$1, &$2); }
	| TABLESIZE value NL
		{ conf_act_tablesize(ctx, &$1, &$2); }
	| LIMIT value NL		{ conf_act_limit(ctx, &$1, &$2); }
	| REFRESH value NL		{ conf_act_refresh(ctx, &$1, &$2); }
	| DELAY value NL		{ conf_act_delay(ctx, &$1, &$2); }
	| not_cache rest NL		{ conf_act_misplaced(ctx, &$1); }
	| unknown rest NL		{ conf_act_unknown(ctx, &$1); }
	| error NL			{ yyerrok; }
	;

iface_body:
	  %empty
	| iface_body iface_line
	;

iface_line:
	  NL
	| TIMEOUT value NL		{ conf_act_timeout(ctx, &$1, &$2); }
	| ROUTES NL			{ conf_act_routes(ctx, &$1); }
	| STATIC value value NL
		{ conf_act_static(ctx, &$1, &$2, &$3, NULL); }
	| STATIC value value value NL
		{ conf_act_static(ctx, &$1, &$2, &$3, &$4); }
	| RULE value value rule_items NL
		{ conf_act_rule(ctx, &$1, &$2, &$3, &$4, conf_yyloc(&@5)); }
	| SWEEP value value value NL
		{ conf_act_sweep(ctx, &$1, &$2, &$3, &$4, NULL, NULL); }
	| SWEEP value value value value value NL
		{ conf_act_sweep(ctx, &$1, &$2, &$3, &$4, &$5, &$6); }
	| not_iface rest NL		{ conf_act_misplaced(ctx, &$1); }
	| unknown rest NL		{ conf_act_unknown(ctx, &$1); }
	| error NL			{ yyerrok; }
	;

/* Flags and action are sorted out by conf_act_rule, which can then say
 * precisely what is missing, repeated or out of place. */
rule_items:
	  %empty			{ $$.head = $$.tail = NULL; }
	| rule_items VERBOSE		{ $$ = $1; conf_items_add(ctx, &$$,
					      CONF_ITEM_VERBOSE, &$2); }
	| rule_items DELAY		{ $$ = $1; conf_items_add(ctx, &$$,
					      CONF_ITEM_DELAY, &$2); }
	| rule_items IGNORE		{ $$ = $1; conf_items_add(ctx, &$$,
					      CONF_ITEM_IGNORE, &$2); }
	| rule_items TELL		{ $$ = $1; conf_items_add(ctx, &$$,
					      CONF_ITEM_TELL, &$2); }
	| rule_items WORD		{ $$ = $1; conf_items_add(ctx, &$$,
					      CONF_ITEM_WORD, &$2); }
	;

/* Keywords in the wrong place get a message saying where they belong. */
not_top:
	  TIMEOUT | TABLESIZE | LIMIT | REFRESH | DELAY
	| ROUTES | STATIC | RULE | SWEEP
	;

not_cache:
	  ROUTES | STATIC | RULE | SWEEP | PIDFILE | DUMPFILE | CONTROL
	| STATEFILE | USER
	;

not_iface:
	  TABLESIZE | LIMIT | REFRESH | DELAY | PIDFILE | DUMPFILE | CONTROL
	| STATEFILE | USER
	;

unknown:
	  WORD | STRING | VERBOSE | TELL | IGNORE
	;

value:
	  WORD
	;

path:
	  WORD | STRING
	;

/* The rest of a line already known to be wrong. */
rest:
	  %empty
	| rest any
	;

any:
	  CACHE | INTERFACE | END | PIDFILE | DUMPFILE | CONTROL | STATEFILE
	| USER
	| TIMEOUT | TABLESIZE
	| LIMIT | REFRESH | DELAY | ROUTES | STATIC | RULE | SWEEP | VERBOSE
	| TELL
	| IGNORE | WORD | STRING
	;

%%

static struct conf_loc
conf_yyloc(const CONF_YYLTYPE *l)
{
	struct conf_loc loc;

	loc.line = (unsigned)l->first_line;
	loc.col = (unsigned)l->first_column;
	return loc;
}

static int
conf_yylex(CONF_YYSTYPE *lval, CONF_YYLTYPE *lloc, struct conf_ctx *ctx)
{
	return conf_scanlex(lval, lloc, ctx->scanner);
}

static void
conf_yyerror(const CONF_YYLTYPE *lloc, struct conf_ctx *ctx,
    const char *msg)
{
	conf_error(ctx, conf_yyloc(lloc), "%s", msg);
}

int
conf_grammar_parse(struct conf_ctx *ctx)
{
	return conf_yyparse(ctx);
}
