/* placeholder grammar: replaced by the real parser */
%define api.pure full
%define api.prefix {conf_yy}
%code provides { int conf_yyparse_placeholder(void); }
%code {
static int conf_yylex(CONF_YYSTYPE *lval) { (void)lval; return 0; }
static void conf_yyerror(const char *m) { (void)m; }
}
%token END_OF_FILE
%%
top: %empty ;
%%
int conf_yyparse_placeholder(void) { return conf_yyparse(); }
