/*
 * The protocol core: rule matcher and neighbour cache behind one pure
 * interface.  Bytes, the current time and a random seed go in; a new
 * state and a list of actions come out.  The core makes no system calls,
 * reads no clock and has no randomness of its own.  Times are
 * milliseconds of a monotonic clock chosen by the caller.
 */
#ifndef PARPD_CORE_H
#define PARPD_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "codec.h"
#include "conf.h"

#define CORE_NO_DEADLINE UINT64_MAX
#define CORE_IFACE_ADDRS_MAX 64

/* What the shell knows of a live interface. */
struct core_ifinfo {
	struct addr_mac mac;
	/* Its own addresses: sources for queries, routers that are local. */
	struct addr_ip addrs[CORE_IFACE_ADDRS_MAX];
	/* Their prefix lengths; 0: unknown (the subnet is not known). */
	uint8_t plen[CORE_IFACE_ADDRS_MAX];
	size_t naddrs;
};

enum core_action_kind {
	CORE_ACT_SEND,	      /* inject frame on iface */
	CORE_ACT_ROUTE_ADD,   /* host route for ip on iface */
	CORE_ACT_ROUTE_DEL,   /* remove parpd's host route for ip on iface */
	CORE_ACT_ROUTE_MOVE,  /* host route for ip from old_iface to iface */
	CORE_ACT_LOG,	      /* event, see core_event */
};

enum core_event {
	CORE_EV_DECIDED,      /* a verbose rule decided a request */
	CORE_EV_MISSING,      /* tell without a learned entry (verbose) */
	CORE_EV_LEARNED,      /* new pair learned */
	CORE_EV_CHANGED,      /* learned pair changed its MAC */
	CORE_EV_MOVED,	      /* host moved to another interface */
	CORE_EV_EXPIRED,      /* entry expired after unanswered refresh */
	CORE_EV_POISON,	      /* refused pair (static, router MAC, proxy) */
	CORE_EV_ROUTER_RESOLVED,
	CORE_EV_TABLE_FULL,   /* newcomer refused or evicted: see ncache */
	CORE_EV_ROUTER_CONFLICT, /* ARP replies for a router disagree */
	CORE_EV_ADOPTED,      /* pair of an earlier run taken over */
};
#define CORE_EV_COUNT (CORE_EV_ADOPTED + 1) /* keep after the last */

enum core_log_level {
	CORE_LOG_DEBUG,
	CORE_LOG_INFO,
	CORE_LOG_NOTICE,
	CORE_LOG_WARNING,
};

/* Why CORE_EV_POISON refused a pair. */
enum core_refusal {
	CORE_REFUSED_STATIC,	 /* the address is a static pair */
	CORE_REFUSED_ROUTER_MAC, /* the MAC is a redirect router's */
	CORE_REFUSED_OWN,	 /* one of the interface's own addresses */
};

/*
 * CORE_EV_TABLE_FULL: requester is the newcomer, target the entry it
 * evicted, or family 0 when the newcomer was refused.  CORE_EV_MOVED:
 * the action's old_iface is where the host was.
 */
struct core_log {
	enum core_event event;
	enum core_log_level level;
	unsigned rule_line;	    /* 0 when no rule is involved */
	enum conf_action action;    /* CORE_EV_DECIDED, CORE_EV_MISSING */
	bool answered;		    /* CORE_EV_DECIDED: an answer was sent */
	struct addr_ip requester;   /* or the host of the event */
	struct addr_ip target;
	struct addr_mac mac;
	struct addr_mac old_mac;    /* CORE_EV_CHANGED, CORE_EV_POISON */
	enum core_refusal refusal;  /* CORE_EV_POISON */
};

/* An action's iface when it names an interface no longer configured. */
#define CORE_NO_IFACE UINT32_MAX

/*
 * iface is an index into the configuration in force once the call that
 * produced the action returns (CORE_NO_IFACE: one a reload removed).
 * Route actions also carry the interface's name, which is what a kernel
 * route is bound to.
 */
struct core_action {
	enum core_action_kind kind;
	unsigned iface;
	unsigned old_iface; /* CORE_ACT_ROUTE_MOVE */
	char ifname[CONF_IFNAMSIZ];	/* ROUTE_*: iface's name */
	char old_ifname[CONF_IFNAMSIZ]; /* ROUTE_MOVE: old_iface's name */
	union {
		struct {
			size_t len;
			uint8_t frame[CODEC_FRAME_MAX];
		} send;
		struct addr_ip route; /* ROUTE_ADD, ROUTE_DEL, ROUTE_MOVE */
		struct core_log log;
	} u;
};

/* A growable action list the caller owns and reuses. */
struct core_actions {
	struct core_action *v;
	size_t n;
	size_t cap;
};

void core_actions_init(struct core_actions *a);
void core_actions_clear(struct core_actions *a); /* n = 0, keeps memory */
void core_actions_free(struct core_actions *a);

/* Counters, written by SIGUSR1 and used by tests. */
struct core_counters {
	uint64_t rx_frames;
	uint64_t rx_dropped[CODEC_VERDICT_COUNT]; /* index: codec_verdict */
	uint64_t rx_own;	     /* from the interface's own MAC */
	uint64_t rx_unknown_iface;   /* iface index not up */
	uint64_t answered;
	uint64_t ignored;	     /* ignore rule or no rule */
	uint64_t delayed;	     /* delay rule still counting */
	uint64_t missing;	     /* tell without an entry */
	uint64_t unresolved;	     /* redirect router not resolved yet */
	uint64_t probes_refused;     /* probe met a redirect rule */
	uint64_t learned;
	uint64_t adopted;	     /* from an earlier run (core_adopt) */
	uint64_t refreshed;	     /* renewed by an answer to our query */
	uint64_t established;	     /* off probation by their own traffic */
	uint64_t expired;
	uint64_t poison_refused;
	uint64_t not_learnable;	     /* outside every tell DST, no router */
	uint64_t table_full;
	uint64_t queries_sent;
	uint64_t sweep_queries;	     /* broadcast by a sweep */
	uint64_t nomem;
	uint64_t announcements;	     /* never answered, only learned */
	uint64_t unsolicited;	     /* replies not answering our query */
	uint64_t no_source;	     /* NA not sent: no link-local address */
	uint64_t rx_other_host;	     /* request to another station's MAC */
	uint64_t na_not_override;    /* O=0 NA for another MAC: ignored */
	uint64_t claims_held;	     /* another MAC, owner not yet silent */
	uint64_t arp_no_source;	     /* ARP query not sent: no IPv4 address */
	uint64_t router_target;	     /* redirect for the router's own address */
};

struct core;

/*
 * A core for conf (which it copies what it needs from; conf may be freed
 * afterwards), with seed keying the cache's hash.  NULL on allocation
 * failure.  All interfaces start down.
 */
struct core *core_new(const struct conf *conf, uint64_t seed, uint64_t now);
void core_free(struct core *core);

/*
 * Replace the configuration.  Interfaces are matched by name: learned
 * entries of interfaces that stay are kept, those of removed interfaces
 * are dropped (with ROUTE_DEL actions); interface indices afterwards are
 * those of the new conf.  Returns 0, or -1 on allocation failure (then
 * the old configuration stays).
 *
 * core_reload emits ROUTE_DEL actions only; like every action they name
 * interfaces in the new configuration (CORE_NO_IFACE and the old name
 * for a removed one).  What the new configuration adds
 * (routes of new static pairs or of interfaces that gained `routes`,
 * resolution of new redirect routers) is done by the next core_timer,
 * which core_next_deadline makes due at once.  Interfaces that stay keep
 * their up state and addresses.
 */
int core_reload(struct core *core, const struct conf *conf, uint64_t now,
    struct core_actions *out);

/* The shell found iface (index into conf->ifaces) up, or lost it. */
void core_iface_up(struct core *core, unsigned iface,
    const struct core_ifinfo *info, uint64_t now, struct core_actions *out);
void core_iface_down(struct core *core, unsigned iface, uint64_t now,
    struct core_actions *out);

/* One received frame. */
void core_input(struct core *core, unsigned iface, const uint8_t *frame,
    size_t len, uint64_t now, struct core_actions *out);

/* Run every timer due at or before now. */
void core_timer(struct core *core, uint64_t now, struct core_actions *out);

/* When core_timer must next run; CORE_NO_DEADLINE if never. */
uint64_t core_next_deadline(const struct core *core);

/*
 * A pair an earlier run of parpd knew (the shell's cache state file):
 * taken over as an unconfirmed learned entry of iface, if that interface
 * mirrors routes and the pair is learnable there under the rules in
 * force now (the checks of a pair heard on the wire), and if ip has no
 * entry yet.  Its expiry is set one refresh cycle ahead (refresh_count *
 * refresh_interval), so the first unicast refresh query is due at once
 * and the entry, and its route, are gone within that cycle unless the
 * host answers.  Its host route is asked for (ROUTE_ADD) as for any
 * learned host, now or when the interface comes up.  True if adopted.
 */
bool core_adopt(struct core *core, unsigned iface, const struct addr_ip *ip,
    const struct addr_mac *mac, uint64_t now, struct core_actions *out);

/* Remove every route parpd installed (at exit): ROUTE_DEL actions. */
void core_shutdown(struct core *core, struct core_actions *out);

const struct core_counters *core_counters(const struct core *core);
/*
 * The counters by name, in a stable order: i from 0 until it returns
 * false.  name receives e.g. "answered" or "rx_dropped_ether_short".
 */
bool core_counter_at(const struct core *core, size_t i, char *name,
    size_t len, uint64_t *value);
/*
 * An event's short name ("learned", "table full"), for rate-limit
 * summaries; NULL for a value that is no event.
 */
const char *core_event_name(enum core_event ev);
/* A log event as one line of text, without a trailing newline. */
void core_log_format(const struct core *core, const struct core_action *a,
    char *buf, size_t len);

/* Number of cache entries, and the bytes the cache uses per entry. */
size_t core_cache_count(const struct core *core);
size_t core_cache_entry_size(void);
/* Bytes the cache and delay tables hold now. */
size_t core_memory(const struct core *core);

/*
 * One cache entry, or a redirect router of an up interface that has no
 * MAC yet (resolving: no entry, mac zero).  Read by the shell's views
 * (the SIGUSR1 dump) and by tests.
 */
struct core_entry_info {
	struct addr_ip ip;
	struct addr_mac mac;
	unsigned iface;
	bool is_static;
	bool is_router;	 /* the address is a redirect router's */
	bool resolving;	 /* a router being resolved by broadcast */
	bool confirmed;	 /* answered one of parpd's queries */
	bool established; /* off probation by its own traffic (limit) */
	bool probing;	 /* refresh queries sent, no answer yet */
	bool routed;	 /* the core asked for a host route */
	uint64_t expire; /* 0 for a static pair or a resolving router */
};

/*
 * iface matters for IPv6 link-local addresses only: their entries are
 * per interface (RFC 4007), every other address has one entry.
 */
bool core_lookup(const struct core *core, unsigned iface,
    const struct addr_ip *ip, struct core_entry_info *out);

/*
 * Every entry in the cache's order, then the routers being resolved:
 *
 *	struct core_cursor cur = { 0 };
 *	while (core_entry_next(core, &cur, &info)) ...
 *
 * The core must not change during the walk.
 */
struct core_cursor {
	uint32_t entry;
	bool started;
	bool entries_done;
	size_t iface;
	size_t router;
};
bool core_entry_next(const struct core *core, struct core_cursor *cur,
    struct core_entry_info *out);

/*
 * Why a request gets what it gets.  core_input acts on this judgement and
 * core_explain reports it, so the two cannot disagree.
 */
enum core_reason {
	CORE_WHY_ANSWER,	 /* answered with mac */
	CORE_WHY_NOT_NEIGHBOUR,	 /* the target names no neighbour */
	CORE_WHY_OWN_ADDRESS,	 /* the interface's own: the kernel answers */
	CORE_WHY_NO_RULE,	 /* no rule covers requester and target */
	CORE_WHY_IGNORE_RULE,
	CORE_WHY_PROBE_REDIRECT, /* a probe is never claimed by a redirect */
	CORE_WHY_DELAY,		 /* the delay rule is still counting */
	CORE_WHY_UNRESOLVED,	 /* the redirect router has no MAC yet */
	CORE_WHY_ROUTER_TARGET,	 /* the router's own address: its to answer */
	CORE_WHY_ROUTER_ASKING,	 /* the router asking, or asked at its MAC */
	CORE_WHY_UNKNOWN,	 /* tell: the target is not known (yet) */
	CORE_WHY_OWNER_ASKING,	 /* the target's owner asking for itself */
	CORE_WHY_NO_SOURCE,	 /* NA: the interface has no link-local */
	CORE_WHY_IFACE_DOWN,	 /* core_explain: the interface is not up */
};

struct core_explanation {
	enum core_reason reason;
	bool probe;		  /* requester 0.0.0.0 or :: */
	bool has_rule;		  /* a rule decided; the next four say which */
	unsigned rule_line;
	size_t rule_index;	  /* in conf_iface.rules */
	enum conf_action action;
	unsigned rule_flags;	  /* CONF_RULE_* */
	struct addr_ip router;	  /* redirect rules: the router */
	struct addr_mac mac;	  /* CORE_WHY_ANSWER */
	bool router_flag;	  /* CORE_WHY_ANSWER, IPv6: the NA's R */
	uint32_t delay_seen;	  /* CORE_WHY_DELAY: this request's count */
	uint32_t delay_needed;	  /*  ...of those the rule waits for */
	bool known;		  /* the target has a cache entry: entry */
	struct core_entry_info entry;
};

/*
 * What a request from requester (0.0.0.0 or ::: a probe) for target
 * received on iface would get at now, without counting it or changing
 * what parpd does.  -1 when iface is not configured or the two addresses are
 * of different families.
 */
int core_explain(struct core *core, unsigned iface,
    const struct addr_ip *requester, const struct addr_ip *target,
    uint64_t now, struct core_explanation *out);

/*
 * Requests the rule at index i of iface's conf_iface.rules decided since
 * the start: a rule a reload leaves the same (prefixes, action, flags,
 * router; not its line) keeps its count, a new or changed one starts at 0.
 */
uint64_t core_rule_hits(const struct core *core, unsigned iface, size_t i);

/*
 * Drop the learned entry for ip (on iface for a link-local address;
 * CORE_NO_IFACE: on every interface), with its route.  Returns the
 * number of entries dropped; static pairs are never dropped.
 */
size_t core_forget(struct core *core, unsigned iface,
    const struct addr_ip *ip, uint64_t now, struct core_actions *out);

#endif
