/* SPDX-License-Identifier: MIT */
#include "seccomp-filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "base/macro.h"

static int add_rule(scmp_filter_ctx ctx, const struct seccomp_arch *arch,
                    const struct seccomp_rule *r, struct seccomp_error *err)
{
        struct scmp_arg_cmp cmp[SECCOMP_RULE_MAX_ARGS];
        char act[64];
        int nr, e;

        /* Only where the rule applies: libseccomp would otherwise keep a
         * rule on a pseudo number that never matches. */
        if (!seccomp_name_applies(r->syscall, arch->bit))
                return 0;
        /* On x86 libseccomp would also tie an argument-checked rule of a
         * socket or IPC call to socketcall/ipc without its check: leave it
         * out there, the call is refused (see seccomp-rules.h). */
        if (arch->bit == POLICY_ARCH_X86 && r->n_args > 0 && seccomp_multiplexed_find(r->syscall))
                return 0;
        /* libseccomp takes the native (or pseudo) number and translates it
         * by name to the filter's architecture. */
        nr = seccomp_syscall_resolve_name(r->syscall);
        if (nr == __NR_SCMP_ERROR) {
                snprintf(err->text, sizeof(err->text), "libseccomp does not know '%s'", r->syscall);
                return -EINVAL;
        }
        for (unsigned i = 0; i < r->n_args; i++)
                cmp[i] = (struct scmp_arg_cmp){.arg = r->args[i].index,
                                               .op = r->args[i].op,
                                               .datum_a = r->args[i].value,
                                               .datum_b = r->args[i].value_two};
        e = seccomp_rule_add_array(ctx, seccomp_action_to_scmp(r->action), nr, r->n_args, cmp);
        if (e < 0)
                snprintf(err->text, sizeof(err->text),
                         "libseccomp refused the %s rule for %s on %s: %s",
                         seccomp_action_describe(r->action, act, sizeof(act)), r->syscall,
                         arch->oci, strerror(-e));
        return e;
}

struct rule_order {
        int nr; /* on the filter's architecture */
        size_t index;
};

/* Highest number first; one call's rules keep their order. */
static int cmp_rule_order(const void *a, const void *b)
{
        const struct rule_order *x = a, *y = b;

        if (x->nr != y->nr)
                return x->nr > y->nr ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

/* libseccomp files every rule into a list sorted by syscall number,
 * walking it from the lowest: added highest first, each insertion is at
 * the head, where added in name order each walks half the list (a third
 * of the cost of building a 300-call filter). The filter is the same
 * either way (a sorted list; one call's rules meet in the same order). */
static int add_rules(scmp_filter_ctx ctx, const struct seccomp_arch *arch,
                     const struct seccomp_ruleset *rs, struct seccomp_error *err)
{
        _cleanup_free_ struct rule_order *order = NULL;
        int r;

        if (rs->n_rules == 0)
                return 0;
        order = malloc(rs->n_rules * sizeof(*order));
        if (!order)
                return -ENOMEM;
        for (size_t i = 0; i < rs->n_rules; i++)
                order[i] = (struct rule_order){
                    .nr = seccomp_syscall_resolve_name_arch(arch->token, rs->rules[i].syscall),
                    .index = i};
        qsort(order, rs->n_rules, sizeof(*order), cmp_rule_order);
        for (size_t i = 0; i < rs->n_rules; i++) {
                r = add_rule(ctx, arch, &rs->rules[order[i].index], err);
                if (r < 0)
                        return r;
        }
        return 0;
}

int seccomp_filter_build_arch(const struct seccomp_ruleset *rs, const struct seccomp_arch *arch,
                              enum seccomp_target target, uint32_t badarch,
                              struct seccomp_error *err, scmp_filter_ctx *ret)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        char act[64];
        int r;

        ctx = seccomp_init(seccomp_action_to_scmp(rs->default_action));
        if (!ctx) {
                /* libseccomp refuses an action the kernel it runs on lacks
                 * (SCMP_ACT_LOG needs API level 3). */
                snprintf(err->text, sizeof(err->text),
                         "libseccomp refuses the default action %s (its API level here is %u)",
                         seccomp_action_describe(rs->default_action, act, sizeof(act)),
                         seccomp_api_get());
                return -EOPNOTSUPP;
        }
        if (arch->token != seccomp_arch_native()) {
                r = seccomp_arch_add(ctx, arch->token);
                if (r < 0) {
                        snprintf(err->text, sizeof(err->text), "cannot add architecture %s: %s",
                                 arch->oci, strerror(-r));
                        return r;
                }
                r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
                if (r < 0)
                        return r;
        }
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch);
        if (r < 0)
                return r;
        /* A binary tree over syscall numbers instead of a linear list. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                return r;
        /* A load-time flag, not part of the program: only for loading. */
        if (rs->log_denials && target == SECCOMP_TARGET_LOAD) {
                r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
                if (r < 0) {
                        snprintf(err->text, sizeof(err->text),
                                 "this kernel cannot log refused calls "
                                 "(SECCOMP_FILTER_FLAG_LOG): %s",
                                 strerror(-r));
                        return r;
                }
        }
        r = add_rules(ctx, arch, rs, err);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_filter_arches(const struct seccomp_ruleset *rs, enum seccomp_target target,
                          struct seccomp_error *err, unsigned *ret)
{
        unsigned arches = rs->arches;

        if (target == SECCOMP_TARGET_LOAD) {
                arches &= seccomp_arches_host();
                if (arches == 0) {
                        snprintf(err->text, sizeof(err->text),
                                 "none of the policy's architectures runs on this machine");
                        return -EOPNOTSUPP;
                }
        }
        if (arches == 0)
                return -EINVAL;
        *ret = arches;
        return 0;
}

int seccomp_filter_build(const struct seccomp_ruleset *rs, enum seccomp_target target,
                         struct seccomp_error *err, scmp_filter_ctx *ret)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        struct seccomp_error dummy;
        unsigned arches;
        size_t n_arch;
        const struct seccomp_arch *all = seccomp_arch_all(&n_arch);
        int r;

        if (!err)
                err = &dummy;
        err->text[0] = '\0';
        r = seccomp_filter_arches(rs, target, err, &arches);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_arch; i++) {
                scmp_filter_ctx one = NULL;

                if (!(arches & all[i].bit))
                        continue;
                /* Merging needs identical attributes. */
                r = seccomp_filter_build_arch(
                    rs, &all[i], target, seccomp_action_to_scmp(rs->badarch_action), err, &one);
                if (r < 0)
                        return r;
                if (!ctx) {
                        ctx = one;
                        continue;
                }
                /* On success one is consumed. */
                r = seccomp_merge(ctx, one);
                if (r < 0) {
                        seccomp_release(one);
                        snprintf(err->text, sizeof(err->text), "cannot merge the %s filter: %s",
                                 all[i].oci, strerror(-r));
                        return r;
                }
        }
        *ret = TAKE_PTR(ctx);
        return 0;
}

static int export_to_memory(scmp_filter_ctx ctx, int (*fn)(const scmp_filter_ctx, int),
                            char **ret_data, size_t *ret_size)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;
        int r;

        fd = memfd_create("hardend-seccomp-export", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = fn(ctx, fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (done < (size_t)st.st_size) {
                ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        return -EIO;
                done += (size_t)n;
        }
        buf[done] = '\0';
        *ret_data = TAKE_PTR(buf);
        *ret_size = done;
        return 0;
}

int seccomp_filter_export_bpf(scmp_filter_ctx ctx, char **ret_data, size_t *ret_size)
{
        return export_to_memory(ctx, seccomp_export_bpf, ret_data, ret_size);
}

int seccomp_filter_export_pfc(scmp_filter_ctx ctx, char **ret_text, size_t *ret_size)
{
        return export_to_memory(ctx, seccomp_export_pfc, ret_text, ret_size);
}

int seccomp_filter_apply(scmp_filter_ctx ctx)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        return seccomp_load(ctx);
}
