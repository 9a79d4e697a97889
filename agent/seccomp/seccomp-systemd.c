/* SPDX-License-Identifier: MIT */
#include "seccomp-systemd.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>

#include "policy/names.h"
#include "policy/syscall-groups.h"

#define LINE_WIDTH 100

/* RestrictNamespaces= type names, by clone flag. */
static const struct {
        uint64_t flag;
        const char *name;
} namespaces[] = {
    {CLONE_NEWCGROUP, "cgroup"}, {CLONE_NEWIPC, "ipc"}, {CLONE_NEWNET, "net"},
    {CLONE_NEWNS, "mnt"},        {CLONE_NEWPID, "pid"}, {CLONE_NEWUSER, "user"},
    {CLONE_NEWUTS, "uts"},
};

/* How one conditionally allowed syscall is carried over. */
struct mapping {
        char address_families[256]; /* RestrictAddressFamilies= value, or "" */
        char namespaces[128];       /* RestrictNamespaces= value, or "" */
        bool lock_personality;
        bool namespaces_stricter; /* RestrictNamespaces= also limits unshare/setns */
};

/* Writes "KEY=PREFIXitem item ..." lines no wider than LINE_WIDTH. systemd
 * reads every line on its own, so a deny list repeats its '~' on each. */
struct line {
        FILE *f;
        const char *key;
        const char *prefix;
        size_t len;
};

static void line_add(struct line *l, const char *item, const char *suffix)
{
        size_t need = strlen(item) + (suffix ? strlen(suffix) + 1 : 0);

        if (l->len > 0 && l->len + 1 + need > LINE_WIDTH) {
                fputc('\n', l->f);
                l->len = 0;
        }
        if (l->len == 0)
                l->len = (size_t)fprintf(l->f, "%s=%s%s", l->key, l->prefix ? l->prefix : "", item);
        else
                l->len += (size_t)fprintf(l->f, " %s", item);
        if (suffix)
                l->len += (size_t)fprintf(l->f, ":%s", suffix);
}

static void line_end(struct line *l)
{
        if (l->len > 0)
                fputc('\n', l->f);
        l->len = 0;
}

static const char *af_name(uint64_t value)
{
        size_t n;
        const char *const *names = arg_constant_names_all(&n);

        for (size_t i = 0; i < n; i++) {
                uint64_t v;

                if (strncmp(names[i], "AF_", 3) == 0 && arg_constant_lookup(names[i], &v) == 0 &&
                    v == value)
                        return names[i];
        }
        return NULL;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool map_socket(const struct seccomp_condition *c, struct mapping *m)
{
        const char *names[64];
        size_t n = 0, len = 0;

        if (c->arg != 0 || c->op != SECCOMP_COND_IN || c->n_values > ELEMENTSOF(names))
                return false;
        for (size_t i = 0; i < c->n_values; i++) {
                const char *name = af_name(c->values[i].value);
                bool dup = false;

                if (!name)
                        return false;
                for (size_t j = 0; j < n && !dup; j++)
                        dup = strcmp(names[j], name) == 0;
                if (!dup)
                        names[n++] = name;
        }
        qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n; i++) {
                int w = snprintf(m->address_families + len, sizeof(m->address_families) - len,
                                 "%s%s", i ? " " : "", names[i]);

                if (w < 0 || (size_t)w >= sizeof(m->address_families) - len)
                        return false;
                len += (size_t)w;
        }
        return true;
}

static bool map_clone(const struct seccomp_ruleset *rs, const struct seccomp_condition *c,
                      struct mapping *m)
{
        uint64_t blocked = 0, known = 0;
        size_t len = 0;

        if (c->arg != 0 || c->op != SECCOMP_COND_NONE_OF)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(namespaces); i++)
                known |= namespaces[i].flag;
        for (size_t i = 0; i < c->n_values; i++)
                blocked |= c->values[i].value;
        if (blocked & ~known)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(namespaces); i++) {
                int w;

                if (blocked & namespaces[i].flag)
                        continue;
                w = snprintf(m->namespaces + len, sizeof(m->namespaces) - len, "%s%s",
                             len ? " " : "", namespaces[i].name);
                if (w < 0 || (size_t)w >= sizeof(m->namespaces) - len)
                        return false;
                len += (size_t)w;
        }
        if (len == 0)
                snprintf(m->namespaces, sizeof(m->namespaces), "yes");
        m->namespaces_stricter =
            seccomp_ruleset_allows(rs, "unshare") || seccomp_ruleset_allows(rs, "setns");
        return true;
}

/* LockPersonality= allows the default persona and the query (0xffffffff)
 * only. */
static bool map_personality(const struct seccomp_condition *c, struct mapping *m)
{
        bool linux_seen = false;

        if (c->arg != 0 || c->op != SECCOMP_COND_IN)
                return false;
        for (size_t i = 0; i < c->n_values; i++) {
                if (c->values[i].value == PER_LINUX)
                        linux_seen = true;
                else if (c->values[i].value != 0xffffffffu)
                        return false;
        }
        if (!linux_seen)
                return false;
        m->lock_personality = true;
        return true;
}

/* True when every rule of the syscall came from the policy's conditions
 * and each of those has an exact systemd equivalent. */
static bool map_conditions(const struct policy *p, const struct seccomp_ruleset *rs,
                           const struct seccomp_rule *rules, size_t n, struct mapping *m)
{
        const char *name = rules[0].syscall;
        size_t found = 0;

        for (size_t i = 0; i < n; i++)
                if (rules[i].origin != SECCOMP_ORIGIN_CONDITION ||
                    rules[i].action.act != SECCOMP_ACT_ALLOW)
                        return false;
        for (size_t i = 0; i < p->seccomp.n_conditions; i++) {
                const struct seccomp_condition *c = &p->seccomp.conditions[i];
                bool ok;

                if (strcmp(c->syscall, name) != 0)
                        continue;
                found++;
                if (strcmp(name, "socket") == 0)
                        ok = map_socket(c, m);
                else if (strcmp(name, "clone") == 0)
                        ok = map_clone(rs, c, m);
                else if (strcmp(name, "personality") == 0)
                        ok = map_personality(c, m);
                else
                        ok = false;
                if (!ok)
                        return false;
        }
        return found == 1;
}

static const char *errno_text(int e, char *buf, size_t size)
{
        const char *n = errno_to_name(e);

        if (n)
                return n;
        snprintf(buf, size, "%d", e);
        return buf;
}

static bool in_systemd_default(const char *name)
{
        const struct syscall_group *g = syscall_group_find("@default");

        for (const char *const *m = g ? g->members : NULL; m && *m; m++)
                if (strcmp(*m, name) == 0)
                        return true;
        return false;
}

static void write_header(FILE *f, const struct policy *p, const struct seccomp_ruleset *rs)
{
        char buf[64];

        fprintf(f, "# Generated by hardenctl for service %s; regenerate, do not edit.\n",
                rs->service);
        if (rs->mode == POLICY_MODE_MONITOR)
                fputs("# Mode monitor: the deny list refuses; every other call outside the allow "
                      "list\n# is allowed and logged (audit type 1326).\n",
                      f);
        else
                fprintf(f, "# Mode enforce: calls outside the allow list %s.\n",
                        rs->default_action.act == SECCOMP_ACT_ERRNO ? "fail with the policy's errno"
                                                                    : "kill the process");
        fputs("[Service]\n", f);
        fprintf(f, "NoNewPrivileges=%s\n", p->posture.no_new_privileges ? "yes" : "no");
        fputs("CapabilityBoundingSet=", f);
        for (size_t i = 0; i < p->posture.n_capabilities; i++)
                fprintf(f, "%sCAP_%s", i ? " " : "",
                        capability_to_name(p->posture.capabilities[i].cap, buf, sizeof(buf)));
        fputc('\n', f);
        /* x86 and x32 calls could get around a filter written for x86_64
         * names: the drop-in allows the native ABI only. */
        fputs("SystemCallArchitectures=native\n", f);
}

static void write_monitor(FILE *f, const struct seccomp_ruleset *rs, int policy_errno)
{
        struct line deny = {.f = f, .key = "SystemCallFilter", .prefix = "~"};
        struct line log = {.f = f, .key = "SystemCallLog", .prefix = "~"};
        char buf[16];

        fprintf(f, "SystemCallErrorNumber=%s\n", errno_text(policy_errno, buf, sizeof(buf)));
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *r = &rs->rules[i];

                if (r->n_args != 0 || r->action.act != SECCOMP_ACT_ERRNO)
                        continue;
                line_add(&deny, r->syscall, errno_text(r->action.errno_value, buf, sizeof(buf)));
        }
        line_end(&deny);
        fputs("# Not logged: the allow list; calls allowed under an argument condition are\n"
              "# not logged either (systemd cannot check arguments).\n",
              f);
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *r = &rs->rules[i];

                if (r->action.act != SECCOMP_ACT_ALLOW || r->origin == SECCOMP_ORIGIN_MULTIPLEX)
                        continue;
                if (i > 0 && strcmp(rs->rules[i - 1].syscall, r->syscall) == 0)
                        continue;
                line_add(&log, r->syscall, NULL);
        }
        line_end(&log);
}

static void write_enforce(FILE *f, const struct policy *p, const struct seccomp_ruleset *rs)
{
        struct line allow = {.f = f, .key = "SystemCallFilter"};
        struct line remove = {.f = f, .key = "SystemCallFilter", .prefix = "~"};
        struct mapping m = {0};
        char buf[16];

        if (rs->default_action.act == SECCOMP_ACT_ERRNO)
                fprintf(f, "SystemCallErrorNumber=%s\n",
                        errno_text(rs->default_action.errno_value, buf, sizeof(buf)));
        else {
                if (rs->default_action.act != SECCOMP_ACT_KILL_PROCESS)
                        fprintf(f, "# The policy says %s; systemd can only kill the process.\n",
                                seccomp_violation_to_string(p->seccomp.violation));
                fputs("SystemCallErrorNumber=kill\n", f);
        }

        /* Allowed whatever the arguments, and conditions systemd can
         * express exactly. */
        for (size_t i = 0; i < rs->n_rules;) {
                const struct seccomp_rule *r = &rs->rules[i];
                size_t n = 1;
                struct mapping one = {0};

                while (i + n < rs->n_rules && strcmp(rs->rules[i + n].syscall, r->syscall) == 0)
                        n++;
                /* send/recv only exist as x86 socketcalls; the drop-in
                 * allows the native ABI only. */
                if (r->origin == SECCOMP_ORIGIN_MULTIPLEX)
                        ;
                else if (r->n_args == 0 && r->action.act == SECCOMP_ACT_ALLOW)
                        line_add(&allow, r->syscall, NULL);
                else if (r->n_args != 0 && r->origin != SECCOMP_ORIGIN_MULTIPLEX &&
                         map_conditions(p, rs, r, n, &one)) {
                        line_add(&allow, r->syscall, NULL);
                        if (one.address_families[0])
                                memcpy(m.address_families, one.address_families,
                                       sizeof(m.address_families));
                        if (one.namespaces[0]) {
                                memcpy(m.namespaces, one.namespaces, sizeof(m.namespaces));
                                m.namespaces_stricter = one.namespaces_stricter;
                        }
                        m.lock_personality |= one.lock_personality;
                }
                i += n;
        }
        line_end(&allow);

        /* Refusals with their own errno, and what systemd would let
         * through on its own: it always allows its @default set (which our
         * @default group mirrors). */
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *r = &rs->rules[i];

                if (r->n_args != 0 || r->action.act != SECCOMP_ACT_ERRNO ||
                    seccomp_action_equal(r->action, rs->default_action))
                        continue;
                line_add(&remove, r->syscall, errno_text(r->action.errno_value, buf, sizeof(buf)));
        }
        {
                const struct syscall_group *g = syscall_group_find("@default");

                for (const char *const *mm = g ? g->members : NULL; mm && *mm; mm++) {
                        size_t n;
                        const struct seccomp_rule *r = seccomp_ruleset_lookup(rs, *mm, &n);

                        if (!syscall_name_known(*mm, POLICY_ARCH_ALL) ||
                            seccomp_ruleset_allows(rs, *mm))
                                continue;
                        if (r && r->n_args == 0 && r->action.act == SECCOMP_ACT_ERRNO &&
                            !seccomp_action_equal(r->action, rs->default_action))
                                continue; /* written above with its errno */
                        if (r && r->n_args != 0 &&
                            map_conditions(p, rs, r, n, &(struct mapping){0}))
                                continue;
                        line_add(&remove, *mm, NULL);
                }
        }
        line_end(&remove);

        if (m.address_families[0] || m.namespaces[0] || m.lock_personality)
                fputs("# The policy's argument conditions, as systemd says them:\n", f);
        if (m.address_families[0])
                fprintf(f, "RestrictAddressFamilies=%s\n", m.address_families);
        if (m.namespaces[0]) {
                if (m.namespaces_stricter)
                        fputs("# Also limits unshare(2) and setns(2), which the policy allows.\n",
                              f);
                fprintf(f, "RestrictNamespaces=%s\n", m.namespaces);
        }
        if (m.lock_personality)
                fputs("LockPersonality=yes\n", f);

        /* What could not be carried over, said where a reader looks. */
        for (size_t i = 0; i < rs->n_rules;) {
                const struct seccomp_rule *r = &rs->rules[i];
                size_t n = 1;

                while (i + n < rs->n_rules && strcmp(rs->rules[i + n].syscall, r->syscall) == 0)
                        n++;
                if (r->n_args != 0 && r->origin != SECCOMP_ORIGIN_MULTIPLEX &&
                    !in_systemd_default(r->syscall) &&
                    !map_conditions(p, rs, r, n, &(struct mapping){0}))
                        fprintf(f,
                                "# %s: allowed by the policy only under an argument check "
                                "systemd cannot\n#   express, so refused here; `hardenctl exec` "
                                "applies the exact filter.\n",
                                r->syscall);
                i += n;
        }
}

int seccomp_systemd_dropin(const struct policy *p, const struct seccomp_ruleset *rs,
                           char **ret_text, size_t *ret_size)
{
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        write_header(f, p, rs);
        if (rs->mode == POLICY_MODE_MONITOR)
                write_monitor(f, rs, p->seccomp.errno_value);
        else
                write_enforce(f, p, rs);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret_text = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}
