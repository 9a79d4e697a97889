/* SPDX-License-Identifier: MIT */
/* The `apparmor:` section: file, deny, network, ptrace, signal and mount
 * rules. Every value is checked against a closed vocabulary or the path
 * glob grammar, so the AppArmor backend can render it without quoting
 * surprises: no policy can inject profile syntax. */
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "load-util.h"

static const char *const network_families[] = {"unix", "inet", "inet6", "netlink", "packet"};
static const char *const network_types[] = {"stream", "dgram", "seqpacket", "raw"};
static const char *const ptrace_accesses[] = {"read", "trace", "readby", "tracedby"};
static const char *const signal_accesses[] = {"send", "receive"};
static const char *const signal_names[] = {
    "hup",  "int",  "quit", "ill",    "trap",   "abrt",  "bus",  "fpe",  "kill", "usr1", "segv",
    "usr2", "pipe", "alrm", "term",   "stkflt", "chld",  "cont", "stop", "stp",  "ttin", "ttou",
    "urg",  "xcpu", "xfsz", "vtalrm", "prof",   "winch", "io",   "pwr",  "sys",  "emt",  "exists",
};
static const char *const mount_options[] = {
    "ro",          "rw",       "nosuid", "suid",     "nodev",       "dev",        "noexec",
    "exec",        "sync",     "async",  "remount",  "bind",        "rbind",      "move",
    "private",     "rprivate", "slave",  "rslave",   "shared",      "rshared",    "unbindable",
    "runbindable", "noatime",  "atime",  "relatime", "strictatime", "nodiratime",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

/* Canonical access string: r w a l k m in that order, then at most one exec
 * mode (ix px Px cx Cx; plain x only in deny rules, where it means "exec").
 * Returns a new string or NULL with *ret_reason set. */
static char *canonical_access(const char *s, bool deny, const char **ret_reason)
{
        static const char order[] = "rwalkm";
        bool seen[sizeof(order)] = {false};
        char exec[3] = "";
        char out[16];
        size_t o = 0;

        if (!*s) {
                *ret_reason = "access is empty";
                return NULL;
        }
        for (const char *c = s; *c; c++) {
                const char *pos = strchr(order, *c);

                if (*c && pos) {
                        if (seen[pos - order]) {
                                *ret_reason = "an access letter is repeated";
                                return NULL;
                        }
                        seen[pos - order] = true;
                        continue;
                }
                if (exec[0]) {
                        *ret_reason = "more than one exec mode";
                        return NULL;
                }
                if (*c == 'x' && deny) {
                        exec[0] = 'x';
                        continue;
                }
                if (strchr("ipPcC", *c) && c[1] == 'x' && !deny) {
                        exec[0] = *c;
                        exec[1] = 'x';
                        c++;
                        continue;
                }
                *ret_reason = deny ? "deny access is made of the letters r w a l k m x"
                                   : "access is made of the letters r w a l k m and one exec "
                                     "mode (ix px Px cx Cx)";
                return NULL;
        }
        if (seen[1] && seen[2]) {
                *ret_reason = "'w' and 'a' cannot be combined ('w' includes append)";
                return NULL;
        }
        for (size_t i = 0; i < sizeof(order) - 1; i++)
                if (seen[i])
                        out[o++] = order[i];
        strcpy(out + o, exec);
        return strdup(out);
}

static void add_file_rule(struct loader *l, const struct ynode *item, bool deny,
                          struct apparmor_file_rule **rules, size_t *n)
{
        static const char *const keys[] = {"path", "access"};
        const struct ynode *path = ynode_mapping_get(item, "path");
        const struct ynode *access = ynode_mapping_get(item, "access");
        struct apparmor_file_rule *rule;
        const char *reason;
        char *acc;

        check_keys(l, item, deny ? "a deny rule" : "a file rule", keys, ELEMENTSOF(keys));
        if (!path || !access) {
                load_error(l, item, "%s needs 'path' and 'access'",
                           deny ? "deny rule" : "file rule");
                return;
        }
        if (!expect_type(l, path, YNODE_SCALAR, "path") ||
            !expect_type(l, access, YNODE_SCALAR, "access"))
                return;
        if (path_glob_validate(path->scalar, &reason) < 0) {
                load_error(l, path, "invalid path glob '%s': %s", path->scalar, reason);
                return;
        }
        acc = canonical_access(access->scalar, deny, &reason);
        if (!acc) {
                load_error(l, access, "invalid access '%s': %s", access->scalar, reason);
                return;
        }
        rule = array_grow((void **)rules, n, sizeof(**rules));
        if (!rule) {
                free(acc);
                l->d->dropped++;
                return;
        }
        *rule = (struct apparmor_file_rule){
            .path = strdup(path->scalar), .access = acc, .loc = path->loc};
        if (!rule->path)
                l->d->dropped++;
}

static void add_allow_file(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_apparmor *a = userdata;

        add_file_rule(l, item, false, &a->files, &a->n_files);
}

static void add_deny_file(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_apparmor *a = userdata;

        add_file_rule(l, item, true, &a->deny, &a->n_deny);
}

static void load_files(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "files", add_allow_file, &l->p->apparmor);
}

static void load_deny(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "deny", add_deny_file, &l->p->apparmor);
}

static void load_include_base(struct loader *l, const struct ynode *n)
{
        load_bool(l, n, "include_base", &l->p->apparmor.include_base);
}

static void add_network(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_apparmor *a = userdata;
        char family[32] = "", type[32] = "", extra[2] = "";
        struct apparmor_network_rule *rule;

        /* "family" or "family type": split on blanks, refuse anything more. */
        if (sscanf(item->scalar, "%31s %31s %1s", family, type, extra) < 1 || extra[0]) {
                load_error(l, item, "network rule '%s' must be 'FAMILY' or 'FAMILY TYPE'",
                           item->scalar);
                return;
        }
        if (!in_list(family, network_families, ELEMENTSOF(network_families))) {
                report_unknown(l, item, "network family", family, network_families,
                               ELEMENTSOF(network_families));
                return;
        }
        if (type[0] && !in_list(type, network_types, ELEMENTSOF(network_types))) {
                report_unknown(l, item, "socket type", type, network_types,
                               ELEMENTSOF(network_types));
                return;
        }
        rule = ARRAY_GROW(a->network, a->n_network);
        if (!rule) {
                l->d->dropped++;
                return;
        }
        rule->family = strdup(family);
        rule->type = type[0] ? strdup(type) : NULL;
        rule->loc = item->loc;
        if (!rule->family || (type[0] && !rule->type))
                l->d->dropped++;
}

static void load_network(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "network", add_network, &l->p->apparmor);
}

/* Peer: an AppArmor profile name or glob over names ("hardend-*",
 * "unconfined"); the same safe alphabet as service names plus glob. */
static bool peer_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 128)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9') || strchr("-_.*?/", s[i])))
                        return false;
        return true;
}

struct word_list {
        struct policy_list *out;
        const char *const *vocabulary;
        size_t n_vocabulary;
        const char *kind;
};

static void add_word(struct loader *l, const struct ynode *item, void *userdata)
{
        struct word_list *w = userdata;

        if (!in_list(item->scalar, w->vocabulary, w->n_vocabulary)) {
                report_unknown(l, item, w->kind, item->scalar, w->vocabulary, w->n_vocabulary);
                return;
        }
        if (policy_list_contains(w->out, item->scalar))
                return;
        if (policy_list_add(w->out, item->scalar, item->loc) < 0)
                l->d->dropped++;
}

static void add_peer_rule(struct loader *l, const struct ynode *item, bool is_signal,
                          struct apparmor_peer_rule **rules, size_t *n)
{
        static const char *const ptrace_keys[] = {"access", "peer"};
        static const char *const signal_keys[] = {"access", "signals", "peer"};
        const struct ynode *access = ynode_mapping_get(item, "access");
        const struct ynode *signals = ynode_mapping_get(item, "signals");
        const struct ynode *peer = ynode_mapping_get(item, "peer");
        struct apparmor_peer_rule *rule;

        if (is_signal)
                check_keys(l, item, "a signal rule", signal_keys, ELEMENTSOF(signal_keys));
        else
                check_keys(l, item, "a ptrace rule", ptrace_keys, ELEMENTSOF(ptrace_keys));
        if (!access) {
                load_error(l, item, "%s rule needs 'access'", is_signal ? "signal" : "ptrace");
                return;
        }
        if (peer && (!expect_type(l, peer, YNODE_SCALAR, "peer") || !peer_valid(peer->scalar))) {
                if (peer->type == YNODE_SCALAR)
                        load_error(l, peer, "invalid peer profile name '%s'", peer->scalar);
                return;
        }
        rule = array_grow((void **)rules, n, sizeof(**rules));
        if (!rule) {
                l->d->dropped++;
                return;
        }
        rule->loc = item->loc;
        load_each_scalar(l, access, "access", add_word,
                         &(struct word_list){
                             .out = &rule->access,
                             .vocabulary = is_signal ? signal_accesses : ptrace_accesses,
                             .n_vocabulary = is_signal ? ELEMENTSOF(signal_accesses)
                                                       : ELEMENTSOF(ptrace_accesses),
                             .kind = is_signal ? "signal access" : "ptrace access",
                         });
        if (signals)
                load_each_scalar(l, signals, "signals", add_word,
                                 &(struct word_list){.out = &rule->signals,
                                                     .vocabulary = signal_names,
                                                     .n_vocabulary = ELEMENTSOF(signal_names),
                                                     .kind = "signal"});
        if (rule->access.n == 0)
                load_error(l, access, "'access' must list at least one of %s",
                           is_signal ? "send, receive" : "read, trace, readby, tracedby");
        if (peer) {
                rule->peer = strdup(peer->scalar);
                if (!rule->peer)
                        l->d->dropped++;
        }
}

static void add_ptrace(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_apparmor *a = userdata;

        add_peer_rule(l, item, false, &a->ptrace, &a->n_ptrace);
}

static void add_signal(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_apparmor *a = userdata;

        add_peer_rule(l, item, true, &a->signal, &a->n_signal);
}

static void load_ptrace(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "ptrace", add_ptrace, &l->p->apparmor);
}

static void load_signal(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "signal", add_signal, &l->p->apparmor);
}

static void add_mount(struct loader *l, const struct ynode *item, void *userdata)
{
        static const char *const keys[] = {"fstype", "source", "target", "options"};
        struct policy_apparmor *a = userdata;
        const struct ynode *fstype = ynode_mapping_get(item, "fstype");
        const struct ynode *source = ynode_mapping_get(item, "source");
        const struct ynode *target = ynode_mapping_get(item, "target");
        const struct ynode *options = ynode_mapping_get(item, "options");
        struct apparmor_mount_rule *rule;
        const char *reason;

        check_keys(l, item, "a mount rule", keys, ELEMENTSOF(keys));
        if (!target) {
                load_error(l, item, "mount rule needs a 'target'");
                return;
        }
        if (!expect_type(l, target, YNODE_SCALAR, "target"))
                return;
        if (path_glob_validate(target->scalar, &reason) < 0) {
                load_error(l, target, "invalid mount target '%s': %s", target->scalar, reason);
                return;
        }
        if (fstype &&
            (!expect_type(l, fstype, YNODE_SCALAR, "fstype") || !word_valid(fstype->scalar))) {
                if (fstype->type == YNODE_SCALAR)
                        load_error(l, fstype, "invalid filesystem type '%s'", fstype->scalar);
                return;
        }
        if (source &&
            (!expect_type(l, source, YNODE_SCALAR, "source") ||
             (!word_valid(source->scalar) && path_glob_validate(source->scalar, &reason) < 0))) {
                if (source->type == YNODE_SCALAR)
                        load_error(l, source, "invalid mount source '%s'", source->scalar);
                return;
        }
        rule = ARRAY_GROW(a->mount, a->n_mount);
        if (!rule) {
                l->d->dropped++;
                return;
        }
        rule->loc = item->loc;
        rule->target = strdup(target->scalar);
        rule->fstype = fstype ? strdup(fstype->scalar) : NULL;
        rule->source = source ? strdup(source->scalar) : NULL;
        if (!rule->target || (fstype && !rule->fstype) || (source && !rule->source))
                l->d->dropped++;
        if (options)
                load_each_scalar(l, options, "options", add_word,
                                 &(struct word_list){.out = &rule->options,
                                                     .vocabulary = mount_options,
                                                     .n_vocabulary = ELEMENTSOF(mount_options),
                                                     .kind = "mount option"});
}

static void load_mount(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "mount", add_mount, &l->p->apparmor);
}

/* Capabilities are declared once, in posture, with their reasons; the
 * AppArmor profile grants exactly that set. A second list could drift. */
static void load_capabilities(struct loader *l, const struct ynode *n)
{
        load_error(l, n,
                   "capabilities are declared once, in 'posture.capabilities' (with a "
                   "reason each); the AppArmor profile grants exactly that set");
}

static const struct key_handler apparmor_handlers[] = {
    {"include_base", load_include_base},
    {"files", load_files},
    {"deny", load_deny},
    {"network", load_network},
    {"ptrace", load_ptrace},
    {"signal", load_signal},
    {"mount", load_mount},
    {"capabilities", load_capabilities},
};

void load_apparmor(struct loader *l, const struct ynode *n)
{
        load_mapping(l, n, "apparmor", apparmor_handlers, ELEMENTSOF(apparmor_handlers));
}
