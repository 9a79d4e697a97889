/* SPDX-License-Identifier: MIT */
/* A classic BPF evaluator for seccomp filters: the checks the kernel makes
 * before it accepts a filter (seccomp_check_filter() and
 * bpf_check_classic()), and a run over one struct seccomp_data. Pure
 * functions; no allocation in the evaluator. */
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BPF_PROG_MAX_INSNS BPF_MAXINSNS /* 4096, the kernel's limit per filter */

/* Checks a program as the kernel does for seccomp: 1..4096 instructions,
 * only the opcodes seccomp allows, absolute loads inside seccomp_data and
 * 4-byte aligned, forward jumps that stay inside, memory slots written
 * before they are read on every path, no constant division by zero or
 * shift by 32 or more, a return at the end. Returns 0 or -EINVAL with
 * *ret_reason (static text) and *ret_pc. */
int bpf_prog_check(const struct sock_filter *insns, size_t n, const char **ret_reason,
                   size_t *ret_pc);

/* Bytes (struct sock_filter[], native byte order, as
 * PTRACE_SECCOMP_GET_FILTER and libseccomp's seccomp_export_bpf() give
 * them) to a checked program. *ret is malloc()ed. Returns 0, -EINVAL. */
int bpf_prog_parse(const void *data, size_t size, struct sock_filter **ret, size_t *ret_n);

struct bpf_run {
        uint32_t ret;   /* the value the program returned */
        bool used_args; /* it loaded the instruction pointer or an argument */
        unsigned steps; /* instructions executed */
};

/* Runs a program that passed bpf_prog_check() over d. Returns 0, or
 * -EINVAL if the program is not valid after all (never for checked
 * programs). A division by zero at run time returns 0, as in the kernel
 * (SECCOMP_RET_KILL_THREAD). */
int bpf_prog_run(const struct sock_filter *insns, size_t n, const struct seccomp_data *d,
                 struct bpf_run *ret);
