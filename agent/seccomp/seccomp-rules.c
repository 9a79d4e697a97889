/* SPDX-License-Identifier: MIT */
#include "seccomp-rules.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/names.h"
#include "policy/syscall-groups.h"

static const char *const origin_names[_SECCOMP_ORIGIN_MAX] = {
    [SECCOMP_ORIGIN_GUARD] = "guard",         [SECCOMP_ORIGIN_ALLOW] = "allow",
    [SECCOMP_ORIGIN_CONDITION] = "condition", [SECCOMP_ORIGIN_DENY] = "deny",
    [SECCOMP_ORIGIN_IMPORTED] = "imported",   [SECCOMP_ORIGIN_MULTIPLEX] = "multiplex",
};

const char *seccomp_origin_to_string(enum seccomp_origin o)
{
        return o < _SECCOMP_ORIGIN_MAX ? origin_names[o] : NULL;
}

/* Precedence classes, see seccomp-rules.h; lower wins. */
enum rule_class {
        CLASS_GUARD,
        CLASS_DENY,
        CLASS_CONDITION,
        CLASS_ALLOW,
        CLASS_IMPORTED,
};

/* A rule some source proposes, before precedence is applied. name is
 * borrowed (policy, group tables, imported profile, libseccomp's list),
 * all of which outlive the build. */
struct candidate {
        const char *name;
        enum rule_class cls;
        size_t seq; /* source order, for a stable result */
        struct seccomp_rule rule;
};

struct builder {
        const struct policy *p;
        const struct oci_profile *base;
        unsigned arches;
        uint32_t kernel;
        struct seccomp_error *err;
        struct candidate *c;
        size_t n, cap;
};

_printf_(2, 3) static int build_fail(struct builder *b, const char *fmt, ...)
{
        va_list ap;

        if (!b->err)
                return 0;
        va_start(ap, fmt);
        vsnprintf(b->err->text, sizeof(b->err->text), fmt, ap);
        va_end(ap);
        return 0;
}

static int push(struct builder *b, const char *name, enum rule_class cls,
                const struct seccomp_rule *rule)
{
        if (b->n == b->cap) {
                size_t cap = b->cap ? b->cap * 2 : 512;
                struct candidate *c;

                if (b->n >= SECCOMP_MAX_RULES * 4) {
                        build_fail(b, "more than %d candidate rules", SECCOMP_MAX_RULES * 4);
                        return -E2BIG;
                }
                c = realloc(b->c, cap * sizeof(*c));
                if (!c)
                        return -ENOMEM;
                b->c = c;
                b->cap = cap;
        }
        b->c[b->n] = (struct candidate){.name = name, .cls = cls, .seq = b->n, .rule = *rule};
        b->n++;
        return 0;
}

/* Every name is kept until the multiplexers are tied ("send" is not a
 * syscall of its own on x86, only a socketcall); names that are no real
 * syscall on any of the filter's architectures are dropped at the end
 * ("cacheflush" exists on ARM only, "set_tls" on ARM and MIPS). */
static int push_name(struct builder *b, const char *name, enum rule_class cls,
                     struct seccomp_action action, enum seccomp_origin origin)
{
        struct seccomp_rule r = {.action = action, .origin = origin};

        return push(b, name, cls, &r);
}

struct group_push {
        struct builder *b;
        enum rule_class cls;
        struct seccomp_action action;
        enum seccomp_origin origin;
};

static int push_group_member(const char *name, void *userdata)
{
        struct group_push *g = userdata;

        return push_name(g->b, name, g->cls, g->action, g->origin);
}

/* A syscall name or @group. */
static int push_item(struct builder *b, const char *item, enum rule_class cls,
                     struct seccomp_action action, enum seccomp_origin origin)
{
        struct group_push g = {.b = b, .cls = cls, .action = action, .origin = origin};
        const struct syscall_group *grp;

        if (item[0] != '@')
                return push_name(b, item, cls, action, origin);
        grp = syscall_group_find(item);
        if (!grp) {
                build_fail(b, "unknown syscall group '%s'", item);
                return -EINVAL;
        }
        return syscall_group_expand(grp, push_group_member, &g);
}

static int add_guards(struct builder *b)
{
        const struct seccomp_action allow = {SECCOMP_ACT_ALLOW, 0};
        const char *const *all;
        size_t n;

        all = syscall_names_all(&n);
        if (!all)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (syscall_is_guarded(all[i])) {
                        int r = push_name(b, all[i], CLASS_GUARD, allow, SECCOMP_ORIGIN_GUARD);

                        if (r < 0)
                                return r;
                }
        return 0;
}

static int add_denies(struct builder *b)
{
        const struct policy_seccomp *s = &b->p->seccomp;

        for (size_t i = 0; i < s->n_deny; i++) {
                struct seccomp_action a = {
                    .act = SECCOMP_ACT_ERRNO,
                    .errno_value = s->deny[i].errno_value ? s->deny[i].errno_value : s->errno_value,
                };
                int r = push_item(b, s->deny[i].syscall, CLASS_DENY, a, SECCOMP_ORIGIN_DENY);

                if (r < 0)
                        return r;
        }
        return 0;
}

static int add_allows(struct builder *b)
{
        const struct policy_seccomp *s = &b->p->seccomp;
        const struct seccomp_action allow = {SECCOMP_ACT_ALLOW, 0};
        int r;

        if (s->base_kind == SECCOMP_BASE_GROUP) {
                r = push_item(b, s->base, CLASS_ALLOW, allow, SECCOMP_ORIGIN_ALLOW);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < s->allow.n; i++) {
                r = push_item(b, s->allow.items[i].name, CLASS_ALLOW, allow, SECCOMP_ORIGIN_ALLOW);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* All conditions of one syscall multiply out: `in` lists are
 * alternatives, conditions on different arguments must all hold. */
static int add_conditions_of(struct builder *b, const char *syscall)
{
        const struct policy_seccomp *s = &b->p->seccomp;
        const struct seccomp_condition *conds[SECCOMP_RULE_MAX_ARGS];
        size_t n = 0, total = 1, idx[SECCOMP_RULE_MAX_ARGS] = {0};

        for (size_t i = 0; i < s->n_conditions && n < SECCOMP_RULE_MAX_ARGS; i++)
                if (strcmp(s->conditions[i].syscall, syscall) == 0)
                        conds[n++] = &s->conditions[i];
        for (size_t i = 0; i < n; i++) {
                if (conds[i]->op == SECCOMP_COND_IN)
                        total *= conds[i]->n_values;
                if (total > SECCOMP_MAX_RULES_PER_SYSCALL) {
                        build_fail(b,
                                   "%s: the argument conditions multiply out into more than %d "
                                   "rules",
                                   syscall, SECCOMP_MAX_RULES_PER_SYSCALL);
                        return -E2BIG;
                }
        }
        for (size_t k = 0; k < total; k++) {
                struct seccomp_rule r = {.action = {SECCOMP_ACT_ALLOW, 0},
                                         .origin = SECCOMP_ORIGIN_CONDITION,
                                         .n_args = (unsigned)n};
                int e;

                for (size_t i = 0; i < n; i++) {
                        const struct seccomp_condition *c = conds[i];
                        struct seccomp_arg_cmp *a = &r.args[i];

                        a->index = c->arg;
                        if (c->op == SECCOMP_COND_IN) {
                                a->op = SCMP_CMP_EQ;
                                a->value = c->values[idx[i]].value;
                        } else {
                                /* None of the bits set: (arg & mask) == 0. */
                                a->op = SCMP_CMP_MASKED_EQ;
                                for (size_t j = 0; j < c->n_values; j++)
                                        a->value |= c->values[j].value;
                                a->value_two = 0;
                        }
                }
                e = push(b, syscall, CLASS_CONDITION, &r);
                if (e < 0)
                        return e;
                /* Next combination (odometer over the `in` lists). */
                for (size_t i = 0; i < n; i++) {
                        if (conds[i]->op != SECCOMP_COND_IN)
                                continue;
                        if (++idx[i] < conds[i]->n_values)
                                break;
                        idx[i] = 0;
                }
        }
        return 0;
}

static int add_conditions(struct builder *b)
{
        const struct policy_seccomp *s = &b->p->seccomp;

        for (size_t i = 0; i < s->n_conditions; i++) {
                bool first = true;
                int r;

                /* Once per syscall. */
                for (size_t j = 0; j < i && first; j++)
                        first = strcmp(s->conditions[j].syscall, s->conditions[i].syscall) != 0;
                if (!first)
                        continue;
                r = add_conditions_of(b, s->conditions[i].syscall);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool cap_held(const struct policy *p, int cap)
{
        for (size_t i = 0; i < p->posture.n_capabilities; i++)
                if (p->posture.capabilities[i].cap == cap)
                        return true;
        return false;
}

/* Docker's includes: every listed capability held, one of the listed
 * architectures among the filter's, the kernel at least minKernel. */
static bool includes_match(const struct builder *b, const struct oci_filter *f)
{
        for (size_t i = 0; i < f->n_caps; i++)
                if (f->caps[i] < 0 || !cap_held(b->p, f->caps[i]))
                        return false;
        if ((f->arches || f->other_arches) && !(f->arches & b->arches))
                return false;
        if (f->min_kernel && b->kernel < f->min_kernel)
                return false;
        return true;
}

/* Docker's excludes: any listed capability held, any listed architecture
 * among the filter's, or the kernel at least minKernel. */
static bool excludes_match(const struct builder *b, const struct oci_filter *f)
{
        for (size_t i = 0; i < f->n_caps; i++)
                if (f->caps[i] >= 0 && cap_held(b->p, f->caps[i]))
                        return true;
        if (f->arches & b->arches)
                return true;
        if (f->min_kernel && b->kernel >= f->min_kernel)
                return true;
        return false;
}

static bool name_known_anywhere(const char *name)
{
        static const uint32_t tokens[] = {
            SCMP_ARCH_X86_64, SCMP_ARCH_X86,    SCMP_ARCH_X32,      SCMP_ARCH_AARCH64,
            SCMP_ARCH_ARM,    SCMP_ARCH_MIPS,   SCMP_ARCH_MIPS64,   SCMP_ARCH_MIPS64N32,
            SCMP_ARCH_PPC,    SCMP_ARCH_PPC64,  SCMP_ARCH_PPC64LE,  SCMP_ARCH_S390,
            SCMP_ARCH_S390X,  SCMP_ARCH_PARISC, SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
        };

        for (size_t i = 0; i < ELEMENTSOF(tokens); i++)
                if (seccomp_syscall_resolve_name_arch(tokens[i], name) != __NR_SCMP_ERROR)
                        return true;
        return false;
}

static bool args_repeat_index(const struct oci_syscall *sc)
{
        unsigned seen = 0;

        for (size_t i = 0; i < sc->n_args; i++) {
                if (seen & (1u << sc->args[i].index))
                        return true;
                seen |= 1u << sc->args[i].index;
        }
        return false;
}

static struct seccomp_arg_cmp arg_from_oci(const struct oci_arg *a)
{
        return (struct seccomp_arg_cmp){
            .index = a->index, .op = a->op, .value = a->value, .value_two = a->value_two};
}

static int add_imported(struct builder *b, size_t *ret_unknown)
{
        const struct oci_profile *base = b->base;
        size_t unknown = 0;

        for (size_t i = 0; i < base->n_syscalls; i++) {
                const struct oci_syscall *sc = &base->syscalls[i];
                enum rule_class cls = CLASS_IMPORTED;
                bool split;

                if (!includes_match(b, &sc->includes) || excludes_match(b, &sc->excludes))
                        continue;
                /* An unconditional allow extends the allow list; anything
                 * else keeps its own action and ranks below the policy. */
                if (sc->action.act == SECCOMP_ACT_ALLOW && sc->n_args == 0)
                        cls = CLASS_ALLOW;
                /* Like runc: comparisons on distinct arguments all hold
                 * (one rule); two on the same argument cannot share a
                 * rule, so each becomes a rule of its own. */
                split = args_repeat_index(sc);
                for (size_t j = 0; j < sc->n_names; j++) {
                        const char *name = sc->names[j];

                        if (!name_known_anywhere(name)) {
                                unknown++;
                                continue;
                        }
                        for (size_t k = 0; k < (split ? sc->n_args : 1); k++) {
                                struct seccomp_rule r = {.action = sc->action,
                                                         .origin = cls == CLASS_ALLOW
                                                                       ? SECCOMP_ORIGIN_ALLOW
                                                                       : SECCOMP_ORIGIN_IMPORTED};
                                int e;

                                if (split) {
                                        r.args[0] = arg_from_oci(&sc->args[k]);
                                        r.n_args = 1;
                                } else {
                                        for (size_t a = 0; a < sc->n_args; a++)
                                                r.args[a] = arg_from_oci(&sc->args[a]);
                                        r.n_args = (unsigned)sc->n_args;
                                }
                                e = push(b, name, cls, &r);
                                if (e < 0)
                                        return e;
                        }
                }
        }
        *ret_unknown = unknown;
        return 0;
}

static int cmp_args(const struct seccomp_rule *a, const struct seccomp_rule *b)
{
        if (a->n_args != b->n_args)
                return a->n_args < b->n_args ? -1 : 1;
        for (unsigned i = 0; i < a->n_args; i++) {
                const struct seccomp_arg_cmp *x = &a->args[i], *y = &b->args[i];

                if (x->index != y->index)
                        return x->index < y->index ? -1 : 1;
                if (x->op != y->op)
                        return x->op < y->op ? -1 : 1;
                if (x->value != y->value)
                        return x->value < y->value ? -1 : 1;
                if (x->value_two != y->value_two)
                        return x->value_two < y->value_two ? -1 : 1;
        }
        return 0;
}

static int cmp_candidate(const void *x, const void *y)
{
        const struct candidate *a = x, *b = y;
        int c = strcmp(a->name, b->name);

        if (c != 0)
                return c;
        if (a->cls != b->cls)
                return a->cls < b->cls ? -1 : 1;
        return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_rule(const void *x, const void *y)
{
        const struct seccomp_rule *a = x, *b = y;
        int c = strcmp(a->syscall, b->syscall);

        if (c != 0)
                return c;
        c = cmp_args(a, b);
        if (c != 0)
                return c;
        if (a->action.act != b->action.act)
                return a->action.act < b->action.act ? -1 : 1;
        return a->action.errno_value < b->action.errno_value   ? -1
               : a->action.errno_value > b->action.errno_value ? 1
                                                               : 0;
}

struct out {
        struct seccomp_rule *rules;
        size_t n, cap;
};

static int out_add(struct out *o, const char *name, const struct seccomp_rule *r)
{
        if (o->n >= SECCOMP_MAX_RULES)
                return -E2BIG;
        if (o->n == o->cap) {
                size_t cap = o->cap ? o->cap * 2 : 512;
                struct seccomp_rule *n = realloc(o->rules, cap * sizeof(*n));

                if (!n)
                        return -ENOMEM;
                o->rules = n;
                o->cap = cap;
        }
        o->rules[o->n] = *r;
        o->rules[o->n].syscall = strdup(name);
        if (!o->rules[o->n].syscall)
                return -ENOMEM;
        o->n++;
        return 0;
}

static void out_done(struct out *o)
{
        for (size_t i = 0; i < o->n; i++)
                free(o->rules[i].syscall);
        free(o->rules);
        *o = (struct out){0};
}

/* Applies precedence to the candidates of one syscall, c[0..n). */
static int resolve(const struct seccomp_ruleset *rs, const struct candidate *c, size_t n,
                   struct out *o)
{
        enum rule_class top = c[0].cls;
        size_t start = o->n;
        bool have_uncond = false;

        for (size_t i = 0; i < n; i++) {
                const struct seccomp_rule *r = &c[i].rule;
                bool dup = false;

                /* Guard, deny and allow are unconditional: one rule. */
                if (top != CLASS_CONDITION && top != CLASS_IMPORTED && i > 0)
                        break;
                if (c[i].cls != top && top == CLASS_CONDITION)
                        break;
                if (seccomp_action_equal(r->action, rs->default_action))
                        continue;
                /* In monitor mode every call outside the allow list is
                 * logged, whatever the imported base would do with it. */
                if (top == CLASS_IMPORTED && rs->mode == POLICY_MODE_MONITOR &&
                    r->action.act != SECCOMP_ACT_ALLOW)
                        continue;
                /* Imported rules: an unconditional one makes the others
                 * moot (the first in file order wins). */
                if (have_uncond)
                        break;
                if (r->n_args == 0 && o->n > start) {
                        for (size_t k = start; k < o->n; k++)
                                free(o->rules[k].syscall);
                        o->n = start;
                }
                for (size_t k = start; k < o->n && !dup; k++)
                        dup = cmp_args(&o->rules[k], r) == 0;
                if (dup)
                        continue;
                int e = out_add(o, c[i].name, r);
                if (e < 0)
                        return e;
                have_uncond = r->n_args == 0;
        }
        return 0;
}

static const struct seccomp_rule *find_rules(const struct out *o, const char *name, size_t *ret_n)
{
        size_t lo = 0, hi = o->n;

        /* o is sorted by name here. */
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (strcmp(o->rules[mid].syscall, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        *ret_n = 0;
        while (lo + *ret_n < o->n && strcmp(o->rules[lo + *ret_n].syscall, name) == 0)
                (*ret_n)++;
        return *ret_n ? &o->rules[lo] : NULL;
}

/* See "x86 multiplexers" in seccomp-rules.h. Appends rules (the caller
 * sorts again). */
static int tie_multiplexers(struct seccomp_ruleset *rs, struct out *o)
{
        static const char *const muxes[] = {"socketcall", "ipc"};
        const struct seccomp_multiplexed *all;
        size_t n_all, n;
        int r;

        all = seccomp_multiplexed_all(&n_all);
        for (size_t m = 0; m < ELEMENTSOF(muxes); m++) {
                const struct seccomp_rule *mr = find_rules(o, muxes[m], &n);
                bool partial = false;
                size_t at;

                for (size_t i = 0; i < n_all; i++) {
                        const struct seccomp_rule *sr;
                        size_t n_sr;

                        if (strcmp(all[i].multiplexer, muxes[m]) != 0)
                                continue;
                        sr = find_rules(o, all[i].follows, &n_sr);
                        if (!sr || sr->n_args != 0 || sr->action.act != SECCOMP_ACT_ALLOW)
                                partial = true;
                }
                if (!mr || n != 1 || mr->n_args != 0 || mr->action.act != SECCOMP_ACT_ALLOW ||
                    !partial)
                        continue;
                at = (size_t)(mr - o->rules);
                free(o->rules[at].syscall);
                memmove(&o->rules[at], &o->rules[at + 1], (o->n - at - 1) * sizeof(*o->rules));
                o->n--;
        }
        for (size_t i = 0; i < n_all; i++) {
                const struct seccomp_rule *fr, *own;
                struct seccomp_rule rule;
                size_t n_fr;

                if (strcmp(all[i].name, all[i].follows) == 0)
                        continue;
                own = find_rules(o, all[i].name, &n);
                fr = find_rules(o, all[i].follows, &n_fr);
                if (own || !fr || fr->n_args != 0)
                        continue;
                rule = *fr;
                rule.origin = SECCOMP_ORIGIN_MULTIPLEX;
                r = out_add(o, all[i].name, &rule);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < o->n; i++)
                if (o->rules[i].n_args > 0 && seccomp_multiplexed_find(o->rules[i].syscall))
                        rs->x86_mux_checks = true;
        return 0;
}

bool seccomp_name_applies(const char *name, unsigned arches)
{
        return syscall_name_known(name, arches) ||
               ((arches & POLICY_ARCH_X86) && seccomp_multiplexed_find(name));
}

unsigned seccomp_ruleset_oci_arches(const struct seccomp_ruleset *rs)
{
        if (rs->mode == POLICY_MODE_ENFORCE && rs->x86_mux_checks)
                return rs->arches & ~(unsigned)POLICY_ARCH_X86;
        return rs->arches;
}

/* Removes the rules of names that do not apply to arches (keeping the
 * order). */
static void drop_foreign(struct out *o, unsigned arches)
{
        size_t w = 0;

        for (size_t i = 0; i < o->n; i++) {
                if (!seccomp_name_applies(o->rules[i].syscall, arches)) {
                        free(o->rules[i].syscall);
                        continue;
                }
                o->rules[w++] = o->rules[i];
        }
        o->n = w;
}

int seccomp_ruleset_build(const struct policy *p, const struct oci_profile *base,
                          const struct seccomp_rules_options *o, struct seccomp_error *err,
                          struct seccomp_ruleset **ret)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        struct builder b = {.p = p, .base = base, .arches = p->seccomp.architectures, .err = err};
        struct out out = {0};
        int r;

        if (err)
                err->text[0] = '\0';
        if (p->seccomp.base_kind == SECCOMP_BASE_OCI && !base) {
                build_fail(&b, "the imported base profile '%s' was not loaded", p->seccomp.base);
                return -EINVAL;
        }
        rs = calloc(1, sizeof(*rs));
        if (!rs)
                return -ENOMEM;
        rs->service = strdup(p->service ? p->service : "");
        if (!rs->service)
                return -ENOMEM;
        rs->mode = o->mode;
        rs->arches = p->seccomp.architectures;
        if (o->mode == POLICY_MODE_MONITOR) {
                rs->default_action = (struct seccomp_action){SECCOMP_ACT_LOG, 0};
        } else {
                switch (p->seccomp.violation) {
                case SECCOMP_VIOLATION_KILL_PROCESS:
                        rs->default_action.act = SECCOMP_ACT_KILL_PROCESS;
                        break;
                case SECCOMP_VIOLATION_KILL_THREAD:
                        rs->default_action.act = SECCOMP_ACT_KILL_THREAD;
                        break;
                case SECCOMP_VIOLATION_TRAP:
                        rs->default_action.act = SECCOMP_ACT_TRAP;
                        break;
                case SECCOMP_VIOLATION_ERRNO:
                case _SECCOMP_VIOLATION_MAX:
                default:
                        rs->default_action =
                            (struct seccomp_action){SECCOMP_ACT_ERRNO, p->seccomp.errno_value};
                        break;
                }
                rs->log_denials = true;
        }
        /* A call through an ABI the filter does not cover is treated like
         * one outside the allow list. */
        rs->badarch_action = rs->default_action;

        b.kernel = o->kernel_version;
        if (b.kernel == 0 && base) {
                r = kernel_version_running(&b.kernel);
                if (r < 0) {
                        build_fail(&b, "cannot tell the running kernel's version");
                        return r;
                }
        }

        r = add_guards(&b);
        if (r >= 0)
                r = add_denies(&b);
        if (r >= 0)
                r = add_conditions(&b);
        if (r >= 0)
                r = add_allows(&b);
        if (r >= 0 && base)
                r = add_imported(&b, &rs->n_unknown_names);
        if (r < 0)
                goto fail;

        qsort(b.c, b.n, sizeof(*b.c), cmp_candidate);
        for (size_t i = 0; i < b.n;) {
                size_t j = i + 1;

                while (j < b.n && strcmp(b.c[j].name, b.c[i].name) == 0)
                        j++;
                r = resolve(rs, &b.c[i], j - i, &out);
                if (r < 0)
                        goto fail;
                i = j;
        }
        /* The multiplexers exist on x86 only (of the architectures we
         * target). */
        qsort(out.rules, out.n, sizeof(*out.rules), cmp_rule);
        if (p->seccomp.architectures & POLICY_ARCH_X86) {
                r = tie_multiplexers(rs, &out);
                if (r < 0)
                        goto fail;
                qsort(out.rules, out.n, sizeof(*out.rules), cmp_rule);
        }
        drop_foreign(&out, p->seccomp.architectures);
        free(b.c);
        rs->rules = out.rules;
        rs->n_rules = out.n;
        *ret = TAKE_PTR(rs);
        return 0;
fail:
        if (r == -E2BIG && err && !err->text[0])
                build_fail(&b, "the policy expands into more than %d rules", SECCOMP_MAX_RULES);
        free(b.c);
        out_done(&out);
        return r;
}

struct seccomp_ruleset *seccomp_ruleset_free(struct seccomp_ruleset *rs)
{
        if (!rs)
                return NULL;
        for (size_t i = 0; i < rs->n_rules; i++)
                free(rs->rules[i].syscall);
        free(rs->rules);
        free(rs->service);
        free(rs);
        return NULL;
}

const struct seccomp_rule *seccomp_ruleset_lookup(const struct seccomp_ruleset *rs,
                                                  const char *syscall, size_t *ret_n)
{
        struct out o = {.rules = rs->rules, .n = rs->n_rules};

        return find_rules(&o, syscall, ret_n);
}

bool seccomp_ruleset_allows(const struct seccomp_ruleset *rs, const char *syscall)
{
        size_t n;
        const struct seccomp_rule *r = seccomp_ruleset_lookup(rs, syscall, &n);

        if (!r)
                return rs->default_action.act == SECCOMP_ACT_ALLOW;
        return r->n_args == 0 && r->action.act == SECCOMP_ACT_ALLOW;
}

int seccomp_policy_load_base(const struct policy *p, struct oci_error *err,
                             struct oci_profile **ret)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_close_ int dirfd = -1;

        if (p->seccomp.base_kind != SECCOMP_BASE_OCI) {
                *ret = NULL;
                return 0;
        }
        if (p->seccomp.base[0] != '/' && p->source) {
                dir = strdup(p->source);
                if (!dir)
                        return -ENOMEM;
                dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0) {
                        snprintf(err->text, sizeof(err->text),
                                 "cannot open the directory of "
                                 "'%s'",
                                 p->source);
                        return negative_errno();
                }
        }
        return oci_profile_load(dirfd >= 0 ? dirfd : AT_FDCWD, p->seccomp.base, err, ret);
}
