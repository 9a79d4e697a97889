/* SPDX-License-Identifier: MIT */
/* What a stack of seccomp filters decides for every syscall of one
 * architecture, computed by running the filters (bpf-eval.h) the way the
 * kernel does: every filter runs, the action with the highest precedence
 * wins (kill-process, kill-thread, trap, errno, user-notif, trace, log,
 * allow). Syscall numbers and names come from libseccomp. */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel caps the instructions of all filters of a task at 32768
 * (plus 4 per filter); a process cannot carry more. */
#define SECCOMP_CHAIN_MAX_FILTERS 1024u
#define SECCOMP_CHAIN_MAX_INSNS   32768u
/* Syscall numbers tried per architecture (every libseccomp table is below). */
#define SECCOMP_DECODE_MAX_NR 1024

struct seccomp_prog {
        struct sock_filter *insns; /* owned */
        size_t n;
};

/* Filters in the order the kernel keeps them: the most recent first
 * (index 0 of PTRACE_SECCOMP_GET_FILTER). */
struct seccomp_chain {
        struct seccomp_prog *progs;
        size_t n;
};

void seccomp_chain_done(struct seccomp_chain *c);
/* Appends a copy of a checked program. Returns 0, -EINVAL, -E2BIG, -ENOMEM. */
int seccomp_chain_add(struct seccomp_chain *c, const struct sock_filter *insns, size_t n);

enum seccomp_verdict {
        SECCOMP_VERDICT_ALLOW,
        SECCOMP_VERDICT_LOG,    /* allowed and audited */
        SECCOMP_VERDICT_REFUSE, /* errno, trap, kill-thread, kill-process */
        SECCOMP_VERDICT_TRACE,  /* handed to a tracer (ENOSYS without one) */
        SECCOMP_VERDICT_NOTIFY, /* handed to a user-space supervisor */
        _SECCOMP_VERDICT_MAX,
};

const char *seccomp_verdict_to_string(enum seccomp_verdict v);
enum seccomp_verdict seccomp_verdict_of(uint32_t action);
/* "allow", "log", "errno 1", "kill-process", "trap", "trace", "notify". */
const char *seccomp_action_string(uint32_t action, char *buf, size_t size);

/* The combined result of the chain for one seccomp_data. */
int seccomp_chain_run(const struct seccomp_chain *c, const struct seccomp_data *d, uint32_t *ret,
                      bool *ret_used_args);

struct syscall_decision {
        int nr;
        char *name;       /* owned (libseccomp's name) */
        uint32_t action;  /* the combined return value for all-zero arguments */
        bool conditional; /* some filter looked at an argument or the IP */
};

struct seccomp_decoded {
        uint32_t arch; /* SCMP_ARCH_* (= AUDIT_ARCH_*) */
        struct syscall_decision *items;
        size_t n;
        size_t counts[_SECCOMP_VERDICT_MAX];
        size_t conditional;
};

/* "x86_64", "x86", "x32", "aarch64"...; "unknown" for others. */
const char *seccomp_arch_name(uint32_t arch);

/* Decides every syscall libseccomp knows for arch (SCMP_ARCH_X86_64...).
 * Returns 0, -EINVAL (unknown arch, invalid chain), -ENOMEM. */
int seccomp_decode(const struct seccomp_chain *c, uint32_t arch, struct seccomp_decoded *ret);
void seccomp_decoded_done(struct seccomp_decoded *d);
const struct syscall_decision *seccomp_decoded_find(const struct seccomp_decoded *d,
                                                    const char *name);

#define SECCOMP_DIFF_KEEP 32 /* differing syscalls listed by name */

struct seccomp_diff {
        bool identical; /* same instructions, filter by filter */
        size_t n_differ;
        char *names[SECCOMP_DIFF_KEEP]; /* owned; the first n_differ (at most KEEP) */
};

/* Compares what two chains decide for every syscall of arch: the action
 * with all-zero arguments, and, for a syscall either chain examines the
 * arguments of, the action for each argument value either chain compares
 * with (each of the six arguments set in turn, both halves). Returns 0
 * with ret->n_differ == 0 when they decide alike. */
int seccomp_chain_compare(const struct seccomp_chain *a, const struct seccomp_chain *b,
                          uint32_t arch, struct seccomp_diff *ret);
void seccomp_diff_done(struct seccomp_diff *d);
