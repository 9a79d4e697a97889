/* SPDX-License-Identifier: MIT */
/* The `seccomp:` section: base, allow and deny lists, argument conditions,
 * the errno and the enforce-mode violation action. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/parse-util.h"
#include "load-util.h"
#include "names.h"
#include "syscall-groups.h"

#define SECCOMP_MAX_VALUES 64

static void report_unknown_group(struct loader *l, const struct ynode *at, const char *name)
{
        const char *names[64];
        size_t n;
        const struct syscall_group *g = syscall_groups_all(&n);

        for (size_t i = 0; i < n && i < ELEMENTSOF(names); i++)
                names[i] = g[i].name;
        report_unknown(l, at, "syscall group", name, names, n);
}

/* A syscall name or @group. Returns false (diagnostic added) if unknown. */
static bool check_syscall_or_group(struct loader *l, const struct ynode *at, const char *name,
                                   bool allow_group)
{
        if (name[0] == '@') {
                if (!allow_group) {
                        load_error(l, at, "a group ('%s') is not allowed here", name);
                        return false;
                }
                if (syscall_group_find(name))
                        return true;
                report_unknown_group(l, at, name);
                return false;
        }
        if (syscall_name_known(name, l->p->seccomp.architectures))
                return true;
        if (syscall_name_is_libseccomp_name(name)) {
                char arches[64] = "";

                for (size_t i = 0; i < policy_arch_names_len; i++)
                        if (l->p->seccomp.architectures & policy_arch_names[i].bit) {
                                if (arches[0])
                                        strcat(arches, ", ");
                                strcat(arches, policy_arch_names[i].name);
                        }
                load_error(l, at, "syscall '%s' does not exist on the target architectures (%s)",
                           name, arches);
                return false;
        }
        size_t n;
        const char *const *all = syscall_names_all(&n);
        report_unknown(l, at, "syscall", name, all, n);
        return false;
}

static bool parse_errno(struct loader *l, const struct ynode *n, int *ret)
{
        uint64_t v;
        int e;

        if (!expect_type(l, n, YNODE_SCALAR, "errno"))
                return false;
        e = errno_from_name(n->scalar);
        if (e > 0) {
                *ret = e;
                return true;
        }
        /* The kernel carries SECCOMP_RET_DATA's 16 bits, but only errno
         * values below 4096 are errors to libc. */
        if (safe_atou64_max(n->scalar, 4095, &v) == 0 && v > 0) {
                *ret = (int)v;
                return true;
        }
        load_error(l, n, "errno must be a name such as EPERM or a number 1-4095, not '%s'",
                   n->scalar);
        return false;
}

static void load_base(struct loader *l, const struct ynode *n)
{
        struct policy_seccomp *s = &l->p->seccomp;
        size_t len;

        if (!expect_type(l, n, YNODE_SCALAR, "base"))
                return;
        s->base_loc = n->loc;
        if (strcmp(n->scalar, "none") == 0) {
                s->base_kind = SECCOMP_BASE_NONE;
                return;
        }
        if (n->scalar[0] == '@') {
                if (!syscall_group_find(n->scalar)) {
                        report_unknown_group(l, n, n->scalar);
                        return;
                }
                s->base_kind = SECCOMP_BASE_GROUP;
        } else {
                len = strlen(n->scalar);
                if (len < 6 || strcmp(n->scalar + len - 5, ".json") != 0) {
                        load_error(l, n,
                                   "base must be 'none', a syscall group such as "
                                   "'@system-service', or a path to a Docker/OCI .json "
                                   "profile, not '%s'",
                                   n->scalar);
                        return;
                }
                if (faccessat(l->dirfd, n->scalar, R_OK, 0) < 0) {
                        load_error(l, n, "cannot read seccomp base profile '%s': %s", n->scalar,
                                   strerror(errno));
                        return;
                }
                s->base_kind = SECCOMP_BASE_OCI;
        }
        free(s->base);
        s->base = strdup(n->scalar);
        if (!s->base)
                l->d->dropped++;
}

static void add_arch(struct loader *l, const struct ynode *item, void *userdata)
{
        unsigned *bits = userdata;
        const char *names[8];

        for (size_t i = 0; i < policy_arch_names_len; i++) {
                names[i] = policy_arch_names[i].name;
                if (strcmp(item->scalar, names[i]) == 0) {
                        *bits |= policy_arch_names[i].bit;
                        return;
                }
        }
        report_unknown(l, item, "architecture", item->scalar, names, policy_arch_names_len);
}

static void load_architectures(struct loader *l, const struct ynode *n)
{
        unsigned bits = 0;

        load_each_scalar(l, n, "architectures", add_arch, &bits);
        if (bits == 0) {
                load_error(l, n,
                           "'architectures' must name at least one of x86_64, x86, x32, "
                           "aarch64");
                return;
        }
        l->p->seccomp.architectures = bits;
}

static void add_allow(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_list *allow = userdata;

        if (!check_syscall_or_group(l, item, item->scalar, true))
                return;
        if (policy_list_contains(allow, item->scalar)) {
                load_error(l, item, "'%s' is listed twice in allow", item->scalar);
                return;
        }
        if (policy_list_add(allow, item->scalar, item->loc) < 0)
                l->d->dropped++;
}

static void load_allow(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "allow", add_allow, &l->p->seccomp.allow);
}

static void add_deny_entry(struct loader *l, const struct ynode *at, const char *name,
                           int errno_value)
{
        struct policy_seccomp *s = &l->p->seccomp;
        struct seccomp_deny *d;

        if (!check_syscall_or_group(l, at, name, true))
                return;
        for (size_t i = 0; i < s->n_deny; i++)
                if (strcmp(s->deny[i].syscall, name) == 0) {
                        load_error(l, at, "'%s' is listed twice in deny", name);
                        return;
                }
        d = ARRAY_GROW(s->deny, s->n_deny);
        if (!d) {
                l->d->dropped++;
                return;
        }
        *d = (struct seccomp_deny){
            .syscall = strdup(name), .errno_value = errno_value, .loc = at->loc};
        if (!d->syscall)
                l->d->dropped++;
}

static void load_deny(struct loader *l, const struct ynode *n)
{
        static const char *const keys[] = {"syscall", "errno"};

        if (n->type == YNODE_SCALAR) {
                if (n->scalar[0] != '\0')
                        add_deny_entry(l, n, n->scalar, 0);
                return;
        }
        if (!expect_type(l, n, YNODE_SEQUENCE, "deny"))
                return;
        for (size_t i = 0; i < n->n_child; i++) {
                const struct ynode *item = n->child[i], *name, *err;
                int e = 0;

                if (item->type == YNODE_SCALAR) {
                        add_deny_entry(l, item, item->scalar, 0);
                        continue;
                }
                if (!expect_type(l, item, YNODE_MAPPING, "deny"))
                        continue;
                check_keys(l, item, "a deny entry", keys, ELEMENTSOF(keys));
                name = ynode_mapping_get(item, "syscall");
                err = ynode_mapping_get(item, "errno");
                if (!name) {
                        load_error(l, item, "deny entry needs a 'syscall'");
                        continue;
                }
                if (!expect_type(l, name, YNODE_SCALAR, "syscall"))
                        continue;
                if (err && !parse_errno(l, err, &e))
                        continue;
                add_deny_entry(l, name, name->scalar, e);
        }
}

static bool parse_value(struct loader *l, const struct ynode *n, struct seccomp_value *ret)
{
        uint64_t v;

        if (!expect_type(l, n, YNODE_SCALAR, "value"))
                return false;
        if (safe_atou64_max(n->scalar, UINT64_MAX, &v) == 0) {
                *ret = (struct seccomp_value){.value = v};
                return true;
        }
        if (n->scalar[0] == '0' && n->scalar[1] >= '0' && n->scalar[1] <= '9') {
                load_error(l, n, "'%s': write numbers in decimal or 0x hex, without a leading zero",
                           n->scalar);
                return false;
        }
        if (arg_constant_lookup(n->scalar, &v) == 0) {
                *ret = (struct seccomp_value){.value = v, .symbol = strdup(n->scalar)};
                if (!ret->symbol)
                        l->d->dropped++;
                return ret->symbol != NULL;
        }
        size_t count;
        const char *const *names = arg_constant_names_all(&count);
        report_unknown(l, n, "argument value", n->scalar, names, count);
        return false;
}

static void add_condition(struct loader *l, const struct ynode *item, void *userdata)
{
        static const char *const keys[] = {"syscall", "arg", "in", "none_of"};
        struct policy_seccomp *s = userdata;
        const struct ynode *name = ynode_mapping_get(item, "syscall");
        const struct ynode *arg = ynode_mapping_get(item, "arg");
        const struct ynode *in = ynode_mapping_get(item, "in");
        const struct ynode *none_of = ynode_mapping_get(item, "none_of");
        const struct ynode *values = in ? in : none_of;
        struct seccomp_condition c = {.loc = item->loc};
        uint64_t argno = 0;

        check_keys(l, item, "a condition", keys, ELEMENTSOF(keys));
        if (!name || !arg || !values) {
                load_error(l, item,
                           "condition needs 'syscall', 'arg' and one of 'in' or "
                           "'none_of'");
                return;
        }
        if (in && none_of) {
                load_error(l, none_of, "condition takes one of 'in' or 'none_of', not both");
                return;
        }
        if (!expect_type(l, name, YNODE_SCALAR, "syscall") ||
            !check_syscall_or_group(l, name, name->scalar, false))
                return;
        if (!expect_type(l, arg, YNODE_SCALAR, "arg"))
                return;
        if (safe_atou64_max(arg->scalar, 5, &argno) < 0) {
                load_error(l, arg, "'arg' must be an argument index 0-5, not '%s'", arg->scalar);
                return;
        }
        for (size_t i = 0; i < s->n_conditions; i++)
                if (strcmp(s->conditions[i].syscall, name->scalar) == 0 &&
                    s->conditions[i].arg == argno) {
                        load_error(l, item,
                                   "a second condition on %s argument %u (first at "
                                   "line %u): merge them",
                                   name->scalar, (unsigned)argno, s->conditions[i].loc.line);
                        return;
                }
        if (!expect_type(l, values, YNODE_SEQUENCE, in ? "in" : "none_of"))
                return;
        if (values->n_child == 0 || values->n_child > SECCOMP_MAX_VALUES) {
                load_error(l, values, "'%s' must list 1 to %d values", in ? "in" : "none_of",
                           SECCOMP_MAX_VALUES);
                return;
        }
        c.values = calloc(values->n_child, sizeof(*c.values));
        if (!c.values) {
                l->d->dropped++;
                return;
        }
        for (size_t i = 0; i < values->n_child; i++) {
                if (!parse_value(l, values->child[i], &c.values[c.n_values]))
                        goto fail;
                c.n_values++;
        }
        c.syscall = strdup(name->scalar);
        if (!c.syscall)
                goto fail;
        c.arg = (unsigned)argno;
        c.op = in ? SECCOMP_COND_IN : SECCOMP_COND_NONE_OF;
        struct seccomp_condition *slot = ARRAY_GROW(s->conditions, s->n_conditions);
        if (!slot)
                goto fail;
        *slot = c;
        return;
fail:
        for (size_t i = 0; i < c.n_values; i++)
                free(c.values[i].symbol);
        free(c.values);
        free(c.syscall);
}

static void load_conditions(struct loader *l, const struct ynode *n)
{
        load_each_mapping(l, n, "conditions", add_condition, &l->p->seccomp);
}

static void load_errno(struct loader *l, const struct ynode *n)
{
        parse_errno(l, n, &l->p->seccomp.errno_value);
}

static void load_violation(struct loader *l, const struct ynode *n)
{
        int v;

        if (!expect_type(l, n, YNODE_SCALAR, "violation"))
                return;
        v = seccomp_violation_from_string(n->scalar);
        if (v < 0) {
                load_error(l, n,
                           "violation must be errno, kill-process, kill-thread or trap, not '%s'",
                           n->scalar);
                return;
        }
        l->p->seccomp.violation = (enum seccomp_violation)v;
}

/* Applied before the other keys (see load_seccomp), so nothing to do here. */
static void load_architectures_done(struct loader *l _unused_, const struct ynode *n _unused_)
{
}

static const struct key_handler seccomp_handlers[] = {
    {"architectures", load_architectures_done},
    {"base", load_base},
    {"allow", load_allow},
    {"deny", load_deny},
    {"conditions", load_conditions},
    {"errno", load_errno},
    {"violation", load_violation},
};

void load_seccomp(struct loader *l, const struct ynode *n)
{
        const struct ynode *arch;

        if (!expect_type(l, n, YNODE_MAPPING, "seccomp"))
                return;
        /* Syscall names are checked against the target architectures, so
         * those come first wherever they stand in the file. */
        arch = ynode_mapping_get(n, "architectures");
        if (arch)
                load_architectures(l, arch);
        load_mapping(l, n, "seccomp", seccomp_handlers, ELEMENTSOF(seccomp_handlers));
}

/* Checks one syscall that a deny entry refuses against the guard list, the
 * literal allow list and the conditions. An allowed *group* that contains a
 * denied syscall is the intended pattern (deny wins) and is not reported. */
struct deny_check {
        struct loader *l;
        const struct seccomp_deny *deny;
        bool guard_reported;
};

static int check_denied_syscall(const char *name, void *userdata)
{
        struct deny_check *c = userdata;
        const struct policy_seccomp *s = &c->l->p->seccomp;
        const struct seccomp_deny *d = c->deny;
        bool via_group = d->syscall[0] == '@';
        struct ynode at = {.loc = d->loc};

        if (syscall_is_guarded(name) && !c->guard_reported) {
                load_error(c->l, &at,
                           "'%s' cannot be denied: every process needs %s to exit or return "
                           "from a signal handler",
                           d->syscall, name);
                c->guard_reported = true;
        }
        for (size_t j = 0; j < s->allow.n; j++) {
                const struct policy_item *a = &s->allow.items[j];
                struct ynode allow_at = {.loc = a->loc};

                if (a->name[0] == '@' || strcmp(a->name, name) != 0)
                        continue;
                if (via_group)
                        load_error(c->l, &allow_at,
                                   "'%s' is allowed here but denied by '%s' (line %u)", name,
                                   d->syscall, d->loc.line);
                else
                        load_error(c->l, &at, "'%s' is both allowed (line %u) and denied", name,
                                   a->loc.line);
        }
        for (size_t j = 0; j < s->n_conditions; j++) {
                const struct seccomp_condition *cond = &s->conditions[j];
                struct ynode cond_at = {.loc = cond->loc};

                if (strcmp(cond->syscall, name) != 0)
                        continue;
                if (via_group)
                        load_error(c->l, &cond_at,
                                   "condition on '%s' can never apply: '%s' (line %u) denies it",
                                   name, d->syscall, d->loc.line);
                else
                        load_error(c->l, &at,
                                   "'%s' is both denied and allowed under a condition (line %u)",
                                   name, cond->loc.line);
        }
        return 0;
}

void seccomp_check(struct loader *l)
{
        const struct policy_seccomp *s = &l->p->seccomp;

        for (size_t i = 0; i < s->n_deny; i++) {
                const struct seccomp_deny *d = &s->deny[i];
                struct deny_check c = {.l = l, .deny = d};

                if (d->syscall[0] != '@') {
                        check_denied_syscall(d->syscall, &c);
                        continue;
                }
                for (size_t j = 0; j < s->allow.n; j++)
                        if (strcmp(s->allow.items[j].name, d->syscall) == 0) {
                                struct ynode at = {.loc = d->loc};

                                load_error(l, &at, "'%s' is both allowed (line %u) and denied",
                                           d->syscall, s->allow.items[j].loc.line);
                        }
                syscall_group_expand(syscall_group_find(d->syscall), check_denied_syscall, &c);
        }
}
