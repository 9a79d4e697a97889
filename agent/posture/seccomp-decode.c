/* SPDX-License-Identifier: MIT */
#include "seccomp-decode.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "bpf-eval.h"

#define X32_SYSCALL_BIT 0x40000000
#define MAX_PROBES      128

void seccomp_chain_done(struct seccomp_chain *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->progs[i].insns);
        free(c->progs);
        *c = (struct seccomp_chain){0};
}

int seccomp_chain_add(struct seccomp_chain *c, const struct sock_filter *insns, size_t n)
{
        struct seccomp_prog *v;
        struct sock_filter *copy;
        size_t total = n;

        if (bpf_prog_check(insns, n, NULL, NULL) < 0)
                return -EINVAL;
        for (size_t i = 0; i < c->n; i++)
                total += c->progs[i].n;
        if (c->n >= SECCOMP_CHAIN_MAX_FILTERS || total > SECCOMP_CHAIN_MAX_INSNS)
                return -E2BIG;
        copy = malloc(n * sizeof(*copy));
        if (!copy)
                return -ENOMEM;
        memcpy(copy, insns, n * sizeof(*copy));
        v = realloc(c->progs, (c->n + 1) * sizeof(*v));
        if (!v) {
                free(copy);
                return -ENOMEM;
        }
        v[c->n++] = (struct seccomp_prog){copy, n};
        c->progs = v;
        return 0;
}

static int32_t action_only(uint32_t r)
{
        return (int32_t)(r & SECCOMP_RET_ACTION_FULL);
}

enum seccomp_verdict seccomp_verdict_of(uint32_t action)
{
        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_ALLOW:
                return SECCOMP_VERDICT_ALLOW;
        case SECCOMP_RET_LOG:
                return SECCOMP_VERDICT_LOG;
        case SECCOMP_RET_TRACE:
                return SECCOMP_VERDICT_TRACE;
        case SECCOMP_RET_USER_NOTIF:
                return SECCOMP_VERDICT_NOTIFY;
        default:
                /* errno, trap, kill, and values the kernel does not know
                 * (it kills the process for those). */
                return SECCOMP_VERDICT_REFUSE;
        }
}

const char *seccomp_verdict_to_string(enum seccomp_verdict v)
{
        static const char *const names[_SECCOMP_VERDICT_MAX] = {
            [SECCOMP_VERDICT_ALLOW] = "allowed",   [SECCOMP_VERDICT_LOG] = "logged",
            [SECCOMP_VERDICT_REFUSE] = "refused",  [SECCOMP_VERDICT_TRACE] = "traced",
            [SECCOMP_VERDICT_NOTIFY] = "notified",
        };

        return v >= 0 && v < _SECCOMP_VERDICT_MAX ? names[v] : "unknown";
}

const char *seccomp_action_string(uint32_t action, char *buf, size_t size)
{
        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_KILL_PROCESS:
                snprintf(buf, size, "kill-process");
                break;
        case SECCOMP_RET_KILL_THREAD:
                snprintf(buf, size, "kill-thread");
                break;
        case SECCOMP_RET_TRAP:
                snprintf(buf, size, "trap");
                break;
        case SECCOMP_RET_ERRNO:
                snprintf(buf, size, "errno %u", action & SECCOMP_RET_DATA);
                break;
        case SECCOMP_RET_USER_NOTIF:
                snprintf(buf, size, "notify");
                break;
        case SECCOMP_RET_TRACE:
                snprintf(buf, size, "trace");
                break;
        case SECCOMP_RET_LOG:
                snprintf(buf, size, "log");
                break;
        case SECCOMP_RET_ALLOW:
                snprintf(buf, size, "allow");
                break;
        default:
                snprintf(buf, size, "unknown 0x%08x", action);
                break;
        }
        return buf;
}

int seccomp_chain_run(const struct seccomp_chain *c, const struct seccomp_data *d, uint32_t *ret,
                      bool *ret_used_args)
{
        uint32_t result = SECCOMP_RET_ALLOW;
        bool used = false;

        for (size_t i = 0; i < c->n; i++) {
                struct bpf_run r;
                int k = bpf_prog_run(c->progs[i].insns, c->progs[i].n, d, &r);

                if (k < 0)
                        return k;
                used = used || r.used_args;
                /* The kernel keeps the first of equal precedence. */
                if (action_only(r.ret) < action_only(result))
                        result = r.ret;
        }
        *ret = result;
        if (ret_used_args)
                *ret_used_args = used;
        return 0;
}

/* seccomp_data.arch and the number for syscall nr of a libseccomp arch. */
static int arch_data(uint32_t arch, int nr, uint32_t *ret_audit, int *ret_nr)
{
        if (arch == SCMP_ARCH_X32) {
                *ret_audit = AUDIT_ARCH_X86_64;
                *ret_nr = nr | X32_SYSCALL_BIT;
                return 0;
        }
        *ret_audit = arch;
        *ret_nr = nr;
        return 0;
}

void seccomp_decoded_done(struct seccomp_decoded *d)
{
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].name);
        free(d->items);
        *d = (struct seccomp_decoded){0};
}

static const struct {
        uint32_t arch;
        const char *name;
} arches[] = {
    {SCMP_ARCH_X86_64, "x86_64"},   {SCMP_ARCH_X86, "x86"},       {SCMP_ARCH_X32, "x32"},
    {SCMP_ARCH_AARCH64, "aarch64"}, {SCMP_ARCH_ARM, "arm"},       {SCMP_ARCH_PPC64LE, "ppc64le"},
    {SCMP_ARCH_PPC64, "ppc64"},     {SCMP_ARCH_S390X, "s390x"},   {SCMP_ARCH_S390, "s390"},
    {SCMP_ARCH_RISCV64, "riscv64"}, {SCMP_ARCH_MIPS64, "mips64"}, {SCMP_ARCH_MIPSEL64, "mipsel64"},
};

const char *seccomp_arch_name(uint32_t arch)
{
        for (size_t i = 0; i < ELEMENTSOF(arches); i++)
                if (arches[i].arch == arch)
                        return arches[i].name;
        return "unknown";
}

static bool arch_known(uint32_t arch)
{
        for (size_t i = 0; i < ELEMENTSOF(arches); i++)
                if (arches[i].arch == arch)
                        return true;
        return false;
}

int seccomp_decode(const struct seccomp_chain *c, uint32_t arch, struct seccomp_decoded *ret)
{
        struct seccomp_decoded d = {.arch = arch};
        size_t cap = 0;

        if (!arch_known(arch))
                return -EINVAL;
        for (int nr = 0; nr < SECCOMP_DECODE_MAX_NR; nr++) {
                struct seccomp_data data = {0};
                uint32_t audit, action;
                int kernel_nr, r;
                bool used;
                char *name;

                if (arch_data(arch, nr, &audit, &kernel_nr) < 0) {
                        seccomp_decoded_done(&d);
                        return -EINVAL;
                }
                name = seccomp_syscall_resolve_num_arch(arch, kernel_nr);
                if (!name)
                        continue;
                data.nr = kernel_nr;
                data.arch = audit;
                r = seccomp_chain_run(c, &data, &action, &used);
                if (r < 0) {
                        free(name);
                        seccomp_decoded_done(&d);
                        return r;
                }
                if (d.n == cap) {
                        size_t ncap = cap ? cap * 2 : 512;
                        struct syscall_decision *v = realloc(d.items, ncap * sizeof(*v));

                        if (!v) {
                                free(name);
                                seccomp_decoded_done(&d);
                                return -ENOMEM;
                        }
                        d.items = v;
                        cap = ncap;
                }
                d.items[d.n++] = (struct syscall_decision){
                    .nr = nr, .name = name, .action = action, .conditional = used};
                d.counts[seccomp_verdict_of(action)]++;
                if (used)
                        d.conditional++;
        }
        *ret = d;
        return 0;
}

const struct syscall_decision *seccomp_decoded_find(const struct seccomp_decoded *d,
                                                    const char *name)
{
        for (size_t i = 0; i < d->n; i++)
                if (strcmp(d->items[i].name, name) == 0)
                        return &d->items[i];
        return NULL;
}

void seccomp_diff_done(struct seccomp_diff *d)
{
        for (size_t i = 0; i < d->n_differ && i < SECCOMP_DIFF_KEEP; i++)
                free(d->names[i]);
        *d = (struct seccomp_diff){0};
}

/* Constants the programs compare with: the argument values worth trying. */
static void collect_probes(const struct seccomp_chain *c, uint32_t *probes, size_t *n)
{
        for (size_t i = 0; i < c->n; i++)
                for (size_t k = 0; k < c->progs[i].n; k++) {
                        const struct sock_filter *f = &c->progs[i].insns[k];
                        uint32_t cand[3];

                        if (BPF_CLASS(f->code) != BPF_JMP || BPF_OP(f->code) == BPF_JA ||
                            BPF_SRC(f->code) != BPF_K)
                                continue;
                        cand[0] = f->k;
                        cand[1] = f->k + 1;
                        cand[2] = f->k - 1;
                        for (size_t j = 0; j < 3; j++) {
                                bool seen = false;

                                for (size_t m = 0; m < *n; m++)
                                        if (probes[m] == cand[j])
                                                seen = true;
                                if (!seen && *n < MAX_PROBES)
                                        probes[(*n)++] = cand[j];
                        }
                }
}

static bool chains_identical(const struct seccomp_chain *a, const struct seccomp_chain *b)
{
        if (a->n != b->n)
                return false;
        for (size_t i = 0; i < a->n; i++)
                if (a->progs[i].n != b->progs[i].n ||
                    memcmp(a->progs[i].insns, b->progs[i].insns,
                           a->progs[i].n * sizeof(struct sock_filter)) != 0)
                        return false;
        return true;
}

/* Do a and b decide alike for syscall nr, trying the probe values? */
static int same_decisions(const struct seccomp_chain *a, const struct seccomp_chain *b,
                          uint32_t audit, int nr, const uint32_t *probes, size_t n_probes,
                          bool *ret_same)
{
        struct seccomp_data d = {.nr = nr, .arch = audit};
        uint32_t ra, rb;
        bool ua, ub;
        int r;

        r = seccomp_chain_run(a, &d, &ra, &ua);
        if (r >= 0)
                r = seccomp_chain_run(b, &d, &rb, &ub);
        if (r < 0)
                return r;
        if (ra != rb) {
                *ret_same = false;
                return 0;
        }
        if (ua || ub)
                for (unsigned arg = 0; arg < 6; arg++)
                        for (unsigned half = 0; half < 2; half++)
                                for (size_t p = 0; p < n_probes; p++) {
                                        uint64_t v =
                                            half ? (uint64_t)probes[p] << 32 : (uint64_t)probes[p];

                                        d.args[arg] = v;
                                        r = seccomp_chain_run(a, &d, &ra, NULL);
                                        if (r >= 0)
                                                r = seccomp_chain_run(b, &d, &rb, NULL);
                                        d.args[arg] = 0;
                                        if (r < 0)
                                                return r;
                                        if (ra != rb) {
                                                *ret_same = false;
                                                return 0;
                                        }
                                }
        *ret_same = true;
        return 0;
}

int seccomp_chain_compare(const struct seccomp_chain *a, const struct seccomp_chain *b,
                          uint32_t arch, struct seccomp_diff *ret)
{
        struct seccomp_diff diff = {0};
        uint32_t probes[MAX_PROBES];
        size_t n_probes = 0;

        if (!arch_known(arch))
                return -EINVAL;
        diff.identical = chains_identical(a, b);
        if (diff.identical) {
                *ret = diff;
                return 0;
        }
        collect_probes(a, probes, &n_probes);
        collect_probes(b, probes, &n_probes);
        for (int nr = 0; nr < SECCOMP_DECODE_MAX_NR; nr++) {
                uint32_t audit;
                int kernel_nr, r;
                bool same;
                char *name;

                if (arch_data(arch, nr, &audit, &kernel_nr) < 0)
                        return -EINVAL;
                name = seccomp_syscall_resolve_num_arch(arch, kernel_nr);
                if (!name)
                        continue;
                r = same_decisions(a, b, audit, kernel_nr, probes, n_probes, &same);
                if (r < 0) {
                        free(name);
                        seccomp_diff_done(&diff);
                        return r;
                }
                if (same) {
                        free(name);
                        continue;
                }
                if (diff.n_differ < SECCOMP_DIFF_KEEP)
                        diff.names[diff.n_differ] = name;
                else
                        free(name);
                diff.n_differ++;
        }
        *ret = diff;
        return 0;
}
