/* SPDX-License-Identifier: MIT */
/* The seccomp vocabulary shared by the backend: filter actions, argument
 * operators and architectures, with their Docker/OCI JSON spellings
 * ("SCMP_ACT_ERRNO", "SCMP_CMP_MASKED_EQ", "SCMP_ARCH_X86_64") and their
 * libseccomp values. Pure tables, no I/O. */
#pragma once

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The filter actions the backend produces or accepts from an imported
 * profile. SCMP_ACT_TRACE and SCMP_ACT_NOTIFY need a tracer or a listener
 * the agent does not provide; an imported profile using them is refused. */
enum seccomp_act {
        SECCOMP_ACT_ALLOW,
        SECCOMP_ACT_LOG,
        SECCOMP_ACT_ERRNO,
        SECCOMP_ACT_TRAP,
        SECCOMP_ACT_KILL_THREAD,
        SECCOMP_ACT_KILL_PROCESS,
        _SECCOMP_ACT_MAX,
};

struct seccomp_action {
        enum seccomp_act act;
        int errno_value; /* SECCOMP_ACT_ERRNO only: 1..4095 */
};

static inline bool seccomp_action_equal(struct seccomp_action a, struct seccomp_action b)
{
        return a.act == b.act && (a.act != SECCOMP_ACT_ERRNO || a.errno_value == b.errno_value);
}

/* "SCMP_ACT_ERRNO" for SECCOMP_ACT_ERRNO, ... */
const char *seccomp_act_to_oci(enum seccomp_act a);
/* Parses an OCI action name ("SCMP_ACT_KILL" is the old name of
 * SCMP_ACT_KILL_THREAD). Returns the action, -EOPNOTSUPP for a known action
 * the backend does not support (TRACE, NOTIFY), -EINVAL if unknown. */
int seccomp_act_from_oci(const char *s);
/* libseccomp's action value (SCMP_ACT_ERRNO(errno) etc.). */
uint32_t seccomp_action_to_scmp(struct seccomp_action a);
/* Short human form: "allow", "log", "errno EPERM", "kill-process"... into
 * buf; returns buf. */
const char *seccomp_action_describe(struct seccomp_action a, char *buf, size_t size);

const char *seccomp_op_to_oci(enum scmp_compare op);
/* Returns 0 and *ret, or -EINVAL. */
int seccomp_op_from_oci(const char *s, enum scmp_compare *ret);
/* All operator names, for error messages: "SCMP_CMP_NE, SCMP_CMP_LT, ..." */
const char *seccomp_op_names(void);

/* Architectures: one row per enum policy_arch bit. */
struct seccomp_arch {
        unsigned bit;                /* POLICY_ARCH_* */
        uint32_t token;              /* SCMP_ARCH_* */
        const char *oci;             /* "SCMP_ARCH_X86_64" */
        const char *const *go_names; /* Docker "includes.arches" spellings */
};
const struct seccomp_arch *seccomp_arch_all(size_t *ret_n);
const struct seccomp_arch *seccomp_arch_by_bit(unsigned bit);

/* Parses an OCI architecture name. Returns 0 with *ret_bit set to the
 * POLICY_ARCH_* bit, or 0 with *ret_bit = 0 for an architecture libseccomp
 * knows that the backend does not target (SCMP_ARCH_S390X...), or -EINVAL. */
int seccomp_arch_from_oci(const char *s, unsigned *ret_bit);
/* Same for the short names Docker uses in includes/excludes ("amd64",
 * "arm64", "x86", "s390x"...): 0 with the bit (or 0 for one we do not
 * target), -EINVAL if the name is not an architecture at all. */
int seccomp_arch_from_go(const char *s, unsigned *ret_bit);

/* The POLICY_ARCH_* bits a process on this machine can use: the native
 * architecture and its compat ABIs (x86_64 → x86_64, x86, x32). */
unsigned seccomp_arches_host(void);

/* x86 multiplexers: socketcall(2) and ipc(2) take the real call as their
 * first argument and its arguments behind a pointer. libseccomp ties them
 * to the calls they carry by itself: on x86, a rule for connect(2) also
 * becomes a rule for socketcall(SYS_CONNECT, ...) with the same action, but
 * any argument check of the rule is lost there (seccomp cannot follow the
 * pointer). The backend builds on that, see seccomp-rules.h. */
struct seccomp_multiplexed {
        const char *multiplexer; /* "socketcall" */
        unsigned call;           /* SYS_CONNECT = 3 */
        const char *name;        /* libseccomp's name of the call: "connect", "send" */
        const char *follows;     /* the syscall whose rule it takes: "connect", "sendto" */
};
const struct seccomp_multiplexed *seccomp_multiplexed_all(size_t *ret_n);
/* The entry for a call name ("connect", "send", "semop"), or NULL. */
const struct seccomp_multiplexed *seccomp_multiplexed_find(const char *name);
