/*
 * The control commands' private header: the parsed request and what the
 * command files (control_cmd.c, control_show.c, control_explain.c) share.
 */
#ifndef PARPD_CONTROL_PRIV_H
#define PARPD_CONTROL_PRIV_H

#include <stdbool.h>
#include <stdio.h>

#include "control.h"

#define CONTROL_WORDS_MAX 8

enum control_format {
	CONTROL_TEXT,
	CONTROL_JSON,
	CONTROL_PROMETHEUS,
};

struct control_req {
	const struct control_env *env;
	enum control_format fmt;
	char *argv[CONTROL_WORDS_MAX];
	size_t argc;
	FILE *out;
};

/* control_cmd.c */
void control_json_str(FILE *f, const char *s);
const char *control_bool(bool b);
/* Interface by name, address by text: -1 with the error written. */
int control_iface_index(const struct control_req *q, const char *name,
    unsigned *out);
int control_ip(const struct control_req *q, const char *s,
    struct addr_ip *ip);
const char *control_ifname(const struct control_env *env, unsigned i);
/* The state column: the dump's word, or "router" for a resolved one. */
const char *control_state(const struct core_entry_info *e);
/* ignore, tell, redirect: by enum conf_action. */
extern const char *const control_action_names[];
int control_show_rules(struct control_req *q);

/* control_show.c */
int control_show_neighbors(struct control_req *q);
int control_show_counters(struct control_req *q);
int control_show_interfaces(struct control_req *q);

/* control_explain.c */
int control_explain(struct control_req *q);

#endif
