/* SPDX-License-Identifier: MIT */
#include "seccomp-filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/macro.h"

struct rule_order {
        int nr;     /* on the filter's architecture */
        int native; /* what libseccomp takes (it translates by name) */
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

/* Whether rule goes into arch's filter, and its numbers: each name is
 * looked up once per architecture (a third of what the lookups cost when
 * every step resolved it again). */
static int order_rule(const struct seccomp_arch *arch, const struct seccomp_rule *r, size_t index,
                      struct rule_order *ret, struct seccomp_error *err)
{
        int nr = seccomp_syscall_resolve_name_arch(arch->token, r->syscall);

        /* Only where the rule applies: libseccomp would otherwise keep a
         * rule on a pseudo number that never matches. */
        if (nr < 0 && !seccomp_name_applies(r->syscall, arch->bit))
                return 0;
        /* On x86 libseccomp would also tie an argument-checked rule of a
         * socket or IPC call to socketcall/ipc without its check: leave it
         * out there, the call is refused (see seccomp-rules.h). */
        if (arch->bit == POLICY_ARCH_X86 && r->n_args > 0 && seccomp_multiplexed_find(r->syscall))
                return 0;
        *ret = (struct rule_order){.nr = nr, .native = nr, .index = index};
        if (arch->token != seccomp_arch_native())
                ret->native = seccomp_syscall_resolve_name(r->syscall);
        if (ret->native == __NR_SCMP_ERROR) {
                snprintf(err->text, sizeof(err->text), "libseccomp does not know '%s'", r->syscall);
                return -EINVAL;
        }
        return 1;
}

static int add_rule(scmp_filter_ctx ctx, const struct seccomp_arch *arch,
                    const struct seccomp_rule *r, int native, struct seccomp_error *err)
{
        struct scmp_arg_cmp cmp[SECCOMP_RULE_MAX_ARGS];
        char act[64];
        int e;

        for (unsigned i = 0; i < r->n_args; i++)
                cmp[i] = (struct scmp_arg_cmp){.arg = r->args[i].index,
                                               .op = r->args[i].op,
                                               .datum_a = r->args[i].value,
                                               .datum_b = r->args[i].value_two};
        e = seccomp_rule_add_array(ctx, seccomp_action_to_scmp(r->action), native, r->n_args, cmp);
        if (e < 0)
                snprintf(err->text, sizeof(err->text),
                         "libseccomp refused the %s rule for %s on %s: %s",
                         seccomp_action_describe(r->action, act, sizeof(act)), r->syscall,
                         arch->oci, strerror(-e));
        return e;
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
        size_t n = 0;
        int r;

        if (rs->n_rules == 0)
                return 0;
        order = malloc(rs->n_rules * sizeof(*order));
        if (!order)
                return -ENOMEM;
        for (size_t i = 0; i < rs->n_rules; i++) {
                r = order_rule(arch, &rs->rules[i], i, &order[n], err);
                if (r < 0)
                        return r;
                n += (size_t)r;
        }
        qsort(order, n, sizeof(*order), cmp_rule_order);
        for (size_t i = 0; i < n; i++) {
                r = add_rule(ctx, arch, &rs->rules[order[i].index], order[i].native, err);
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

        if (err)
                err->text[0] = '\0';
        if (target == SECCOMP_TARGET_LOAD) {
                arches &= seccomp_arches_host();
                if (arches == 0) {
                        if (err)
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

int seccomp_export_sink_open(struct seccomp_export_sink *s)
{
        *s =
            (struct seccomp_export_sink){.fd = memfd_create("hardend-seccomp-export", MFD_CLOEXEC)};
        return s->fd < 0 ? negative_errno() : 0;
}

void seccomp_export_sink_close(struct seccomp_export_sink *s)
{
        if (s->map)
                (void)munmap(s->map, s->map_size);
        if (s->fd >= 0)
                (void)close(s->fd);
        *s = (struct seccomp_export_sink){.fd = -1};
}

static int sink_append(struct seccomp_export_sink *s, scmp_filter_ctx ctx,
                       int (*fn)(const scmp_filter_ctx, int), size_t *ret_size)
{
        struct stat st;
        int r;

        /* a mapping holds what was written when it was made */
        if (s->map)
                return -EBUSY;
        r = fn(ctx, s->fd);
        if (r < 0)
                return r;
        /* Only appends ever reach the file: its size is what was written
         * (whatever offset libseccomp's own FILE left behind). */
        if (fstat(s->fd, &st) < 0)
                return negative_errno();
        if (st.st_size < 0 || (uint64_t)st.st_size < s->size)
                return -EBADMSG;
        *ret_size = (size_t)st.st_size - s->size;
        s->size = (size_t)st.st_size;
        return 0;
}

int seccomp_export_sink_bpf(struct seccomp_export_sink *s, scmp_filter_ctx ctx, size_t *ret_size)
{
        return sink_append(s, ctx, seccomp_export_bpf, ret_size);
}

int seccomp_export_sink_pfc(struct seccomp_export_sink *s, scmp_filter_ctx ctx, size_t *ret_size)
{
        return sink_append(s, ctx, seccomp_export_pfc, ret_size);
}

int seccomp_export_sink_map(struct seccomp_export_sink *s, const char **ret_data)
{
        void *m;

        if (s->map) {
                *ret_data = s->map;
                return 0;
        }
        if (s->size == 0) {
                *ret_data = "";
                return 0;
        }
        /* The file's own pages, mapped at once: a copy into a fresh
         * buffer of this size (a PFC text is ~180 KiB) costs a page fault
         * per page, a third of a millisecond per program on this VM. */
        m = mmap(NULL, s->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, s->fd, 0);
        if (m == MAP_FAILED)
                return negative_errno();
        s->map = m;
        s->map_size = s->size;
        *ret_data = m;
        return 0;
}

int seccomp_export_sink_peek(const struct seccomp_export_sink *s, size_t offset, void *buf,
                             size_t size)
{
        ssize_t n;

        if (offset > s->size || size > s->size - offset)
                return -EINVAL;
        do
                n = pread(s->fd, buf, size, (off_t)offset);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        return (size_t)n == size ? 0 : -EIO;
}

static int export_to_memory(scmp_filter_ctx ctx,
                            int (*append)(struct seccomp_export_sink *, scmp_filter_ctx, size_t *),
                            char **ret_data, size_t *ret_size)
{
        struct seccomp_export_sink s;
        const char *data;
        char *copy;
        size_t size;
        int r;

        r = seccomp_export_sink_open(&s);
        if (r < 0)
                return r;
        r = append(&s, ctx, &size);
        if (r >= 0)
                r = seccomp_export_sink_map(&s, &data);
        if (r >= 0) {
                copy = malloc(size + 1);
                if (copy) {
                        memcpy(copy, data, size);
                        copy[size] = '\0';
                        *ret_data = copy;
                        *ret_size = size;
                } else
                        r = -ENOMEM;
        }
        seccomp_export_sink_close(&s);
        return r;
}

int seccomp_filter_export_bpf(scmp_filter_ctx ctx, char **ret_data, size_t *ret_size)
{
        return export_to_memory(ctx, seccomp_export_sink_bpf, ret_data, ret_size);
}

int seccomp_filter_export_pfc(scmp_filter_ctx ctx, char **ret_text, size_t *ret_size)
{
        return export_to_memory(ctx, seccomp_export_sink_pfc, ret_text, ret_size);
}

int seccomp_filter_apply(scmp_filter_ctx ctx)
{
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        return seccomp_load(ctx);
}
