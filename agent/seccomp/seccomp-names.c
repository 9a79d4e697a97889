/* SPDX-License-Identifier: MIT */
#include "seccomp-names.h"

#include <errno.h>
#include <linux/ipc.h>
#include <linux/net.h>
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
#include "policy/names.h"
#include "policy/policy.h"

static const char *const act_names[_SECCOMP_ACT_MAX] = {
    [SECCOMP_ACT_ALLOW] = "SCMP_ACT_ALLOW",
    [SECCOMP_ACT_LOG] = "SCMP_ACT_LOG",
    [SECCOMP_ACT_ERRNO] = "SCMP_ACT_ERRNO",
    [SECCOMP_ACT_TRAP] = "SCMP_ACT_TRAP",
    [SECCOMP_ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
    [SECCOMP_ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
};

const char *seccomp_act_to_oci(enum seccomp_act a)
{
        return a < _SECCOMP_ACT_MAX ? act_names[a] : NULL;
}

int seccomp_act_from_oci(const char *s)
{
        for (size_t i = 0; i < _SECCOMP_ACT_MAX; i++)
                if (strcmp(act_names[i], s) == 0)
                        return (int)i;
        if (strcmp(s, "SCMP_ACT_KILL") == 0)
                return SECCOMP_ACT_KILL_THREAD;
        if (strcmp(s, "SCMP_ACT_TRACE") == 0 || strcmp(s, "SCMP_ACT_NOTIFY") == 0)
                return -EOPNOTSUPP;
        return -EINVAL;
}

uint32_t seccomp_action_to_scmp(struct seccomp_action a)
{
        switch (a.act) {
        case SECCOMP_ACT_ALLOW:
                return SCMP_ACT_ALLOW;
        case SECCOMP_ACT_LOG:
                return SCMP_ACT_LOG;
        case SECCOMP_ACT_ERRNO:
                return SCMP_ACT_ERRNO((uint32_t)a.errno_value);
        case SECCOMP_ACT_TRAP:
                return SCMP_ACT_TRAP;
        case SECCOMP_ACT_KILL_THREAD:
                return SCMP_ACT_KILL_THREAD;
        case SECCOMP_ACT_KILL_PROCESS:
        case _SECCOMP_ACT_MAX:
        default:
                return SCMP_ACT_KILL_PROCESS;
        }
}

const char *seccomp_action_describe(struct seccomp_action a, char *buf, size_t size)
{
        static const char *const short_names[_SECCOMP_ACT_MAX] = {
            [SECCOMP_ACT_ALLOW] = "allow",
            [SECCOMP_ACT_LOG] = "log",
            [SECCOMP_ACT_ERRNO] = "errno",
            [SECCOMP_ACT_TRAP] = "trap",
            [SECCOMP_ACT_KILL_THREAD] = "kill-thread",
            [SECCOMP_ACT_KILL_PROCESS] = "kill-process",
        };
        const char *name;

        if (a.act >= _SECCOMP_ACT_MAX) {
                snprintf(buf, size, "?");
                return buf;
        }
        if (a.act != SECCOMP_ACT_ERRNO) {
                snprintf(buf, size, "%s", short_names[a.act]);
                return buf;
        }
        name = errno_to_name(a.errno_value);
        if (name)
                snprintf(buf, size, "errno %s", name);
        else
                snprintf(buf, size, "errno %d", a.errno_value);
        return buf;
}

static const struct {
        enum scmp_compare op;
        const char *name;
} ops[] = {
    {SCMP_CMP_NE, "SCMP_CMP_NE"},
    {SCMP_CMP_LT, "SCMP_CMP_LT"},
    {SCMP_CMP_LE, "SCMP_CMP_LE"},
    {SCMP_CMP_EQ, "SCMP_CMP_EQ"},
    {SCMP_CMP_GE, "SCMP_CMP_GE"},
    {SCMP_CMP_GT, "SCMP_CMP_GT"},
    {SCMP_CMP_MASKED_EQ, "SCMP_CMP_MASKED_EQ"},
};

const char *seccomp_op_to_oci(enum scmp_compare op)
{
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (ops[i].op == op)
                        return ops[i].name;
        return NULL;
}

int seccomp_op_from_oci(const char *s, enum scmp_compare *ret)
{
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (strcmp(ops[i].name, s) == 0) {
                        *ret = ops[i].op;
                        return 0;
                }
        return -EINVAL;
}

const char *seccomp_op_names(void)
{
        return "SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, "
               "SCMP_CMP_MASKED_EQ";
}

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* In enum policy_arch bit order. */
static const struct seccomp_arch arches[] = {
    {POLICY_ARCH_X86_64, SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64", NAMES("amd64", "x86_64")},
    {POLICY_ARCH_X86, SCMP_ARCH_X86, "SCMP_ARCH_X86", NAMES("x86", "386", "i386")},
    {POLICY_ARCH_X32, SCMP_ARCH_X32, "SCMP_ARCH_X32", NAMES("x32")},
    {POLICY_ARCH_AARCH64, SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64", NAMES("arm64", "aarch64")},
};

/* Architectures libseccomp and the runtimes know that no policy targets:
 * accepted in imported profiles, then left out. */
static const char *const other_oci_arches[] = {
    "SCMP_ARCH_ARM",    "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
    "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",  "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
    "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
    "SCMP_ARCH_M68K",   "SCMP_ARCH_SH",       "SCMP_ARCH_SHEB",
};

static const char *const other_go_arches[] = {
    "arm",     "armv7",   "ppc",    "ppc64",    "ppc64le",   "s390",        "s390x",
    "mips",    "mipsle",  "mips64", "mips64le", "mips64n32", "mips64len32", "mipsn32",
    "riscv64", "loong64", "parisc", "parisc64", "sh",        "sheb",        "m68k",
};

const struct seccomp_arch *seccomp_arch_all(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(arches);
        return arches;
}

const struct seccomp_arch *seccomp_arch_by_bit(unsigned bit)
{
        for (size_t i = 0; i < ELEMENTSOF(arches); i++)
                if (arches[i].bit == bit)
                        return &arches[i];
        return NULL;
}

int seccomp_arch_from_oci(const char *s, unsigned *ret_bit)
{
        for (size_t i = 0; i < ELEMENTSOF(arches); i++)
                if (strcmp(arches[i].oci, s) == 0) {
                        *ret_bit = arches[i].bit;
                        return 0;
                }
        for (size_t i = 0; i < ELEMENTSOF(other_oci_arches); i++)
                if (strcmp(other_oci_arches[i], s) == 0) {
                        *ret_bit = 0;
                        return 0;
                }
        return -EINVAL;
}

int seccomp_arch_from_go(const char *s, unsigned *ret_bit)
{
        for (size_t i = 0; i < ELEMENTSOF(arches); i++)
                for (const char *const *n = arches[i].go_names; *n; n++)
                        if (strcmp(*n, s) == 0) {
                                *ret_bit = arches[i].bit;
                                return 0;
                        }
        for (size_t i = 0; i < ELEMENTSOF(other_go_arches); i++)
                if (strcmp(other_go_arches[i], s) == 0) {
                        *ret_bit = 0;
                        return 0;
                }
        return -EINVAL;
}

unsigned seccomp_arches_host(void)
{
        uint32_t native = seccomp_arch_native();

        if (native == SCMP_ARCH_X86_64)
                return POLICY_ARCH_X86_64 | POLICY_ARCH_X86 | POLICY_ARCH_X32;
        if (native == SCMP_ARCH_X86)
                return POLICY_ARCH_X86;
        if (native == SCMP_ARCH_X32)
                return POLICY_ARCH_X32 | POLICY_ARCH_X86_64 | POLICY_ARCH_X86;
        if (native == SCMP_ARCH_AARCH64)
                return POLICY_ARCH_AARCH64;
        return 0;
}

#define MUX(m, call, name)                                                                         \
        {                                                                                          \
                m, call, name, name                                                                \
        }
static const struct seccomp_multiplexed multiplexed[] = {
    MUX("socketcall", SYS_SOCKET, "socket"),
    MUX("socketcall", SYS_BIND, "bind"),
    MUX("socketcall", SYS_CONNECT, "connect"),
    MUX("socketcall", SYS_LISTEN, "listen"),
    MUX("socketcall", SYS_ACCEPT, "accept"),
    MUX("socketcall", SYS_GETSOCKNAME, "getsockname"),
    MUX("socketcall", SYS_GETPEERNAME, "getpeername"),
    MUX("socketcall", SYS_SOCKETPAIR, "socketpair"),
    /* The kernel runs SYS_SEND as sendto(2) without an address and
     * SYS_RECV as recvfrom(2); send and recv are no syscalls of their
     * own on the architectures we target, so policies do not name
     * them. */
    {"socketcall", SYS_SEND, "send", "sendto"},
    {"socketcall", SYS_RECV, "recv", "recvfrom"},
    MUX("socketcall", SYS_SENDTO, "sendto"),
    MUX("socketcall", SYS_RECVFROM, "recvfrom"),
    MUX("socketcall", SYS_SHUTDOWN, "shutdown"),
    MUX("socketcall", SYS_SETSOCKOPT, "setsockopt"),
    MUX("socketcall", SYS_GETSOCKOPT, "getsockopt"),
    MUX("socketcall", SYS_SENDMSG, "sendmsg"),
    MUX("socketcall", SYS_RECVMSG, "recvmsg"),
    MUX("socketcall", SYS_ACCEPT4, "accept4"),
    MUX("socketcall", SYS_RECVMMSG, "recvmmsg"),
    MUX("socketcall", SYS_SENDMMSG, "sendmmsg"),
    MUX("ipc", SEMOP, "semop"),
    MUX("ipc", SEMGET, "semget"),
    MUX("ipc", SEMCTL, "semctl"),
    MUX("ipc", SEMTIMEDOP, "semtimedop"),
    MUX("ipc", MSGSND, "msgsnd"),
    MUX("ipc", MSGRCV, "msgrcv"),
    MUX("ipc", MSGGET, "msgget"),
    MUX("ipc", MSGCTL, "msgctl"),
    MUX("ipc", SHMAT, "shmat"),
    MUX("ipc", SHMDT, "shmdt"),
    MUX("ipc", SHMGET, "shmget"),
    MUX("ipc", SHMCTL, "shmctl"),
};

const struct seccomp_multiplexed *seccomp_multiplexed_all(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(multiplexed);
        return multiplexed;
}

const struct seccomp_multiplexed *seccomp_multiplexed_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(multiplexed); i++)
                if (strcmp(multiplexed[i].name, name) == 0)
                        return &multiplexed[i];
        return NULL;
}
