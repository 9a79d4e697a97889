/* SPDX-License-Identifier: MIT */
#include "syscall-lookup.h"

#include <linux/audit.h>
#include <pthread.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"

/* ARM's private calls (cacheflush, set_tls...) live at 0xf0000 + n. */
#define ARM_PRIVATE_BASE 0xf0000
#define ARM_PRIVATE_SPAN 8
#define X32_SYSCALL_BIT  0x40000000

struct arch_table {
        uint32_t token; /* SCMP_ARCH_* = AUDIT_ARCH_* */
        int64_t base;
        pthread_once_t once;
        bool ready; /* built: lookups need no pthread_once() call */
        /* Point into one block per table, kept for the life of the process
         * (libseccomp hands out one allocation per name). */
        const char *names[SYSCALL_LOOKUP_SPAN];
        const char *arm_private[ARM_PRIVATE_SPAN];
};

#define TABLE(t, b)                                                                                \
        {                                                                                          \
                .token = (t), .base = (b), .once = PTHREAD_ONCE_INIT                               \
        }

static struct arch_table tables[] = {
    TABLE(SCMP_ARCH_X86_64, 0),
    TABLE(SCMP_ARCH_X86, 0),
    TABLE(SCMP_ARCH_X32, X32_SYSCALL_BIT),
    TABLE(SCMP_ARCH_AARCH64, 0),
    TABLE(SCMP_ARCH_ARM, 0),
    TABLE(SCMP_ARCH_PPC64LE, 0),
    TABLE(SCMP_ARCH_PPC64, 0),
    TABLE(SCMP_ARCH_PPC, 0),
    TABLE(SCMP_ARCH_S390X, 0),
    TABLE(SCMP_ARCH_S390, 0),
    TABLE(SCMP_ARCH_RISCV64, 0),
    TABLE(SCMP_ARCH_MIPS, 4000),
    TABLE(SCMP_ARCH_MIPSEL, 4000),
    TABLE(SCMP_ARCH_MIPS64, 5000),
    TABLE(SCMP_ARCH_MIPSEL64, 5000),
    TABLE(SCMP_ARCH_MIPS64N32, 6000),
    TABLE(SCMP_ARCH_MIPSEL64N32, 6000),
    TABLE(SCMP_ARCH_PARISC, 0),
    TABLE(SCMP_ARCH_PARISC64, 0),
};

/* pthread_once's routine takes no argument: one trampoline per table would
 * be noise, so the table being built is passed through a thread-local. */
static _Thread_local struct arch_table *building;

/* Resolves n numbers from first into slots, then moves the names into one
 * block. A table whose block cannot be allocated stays empty: lookups
 * answer NULL (unknown name), which every caller handles. */
static void resolve(uint32_t token, int64_t first, const char **slots, size_t n)
{
        char *names[SYSCALL_LOOKUP_SPAN], *block, *w;
        size_t total = 0;

        for (size_t i = 0; i < n; i++) {
                names[i] = seccomp_syscall_resolve_num_arch(token, (int)(first + (int64_t)i));
                total += names[i] ? strlen(names[i]) + 1 : 0;
        }
        block = total > 0 ? malloc(total) : NULL;
        w = block;
        for (size_t i = 0; i < n; i++) {
                if (names[i] && block) {
                        size_t len = strlen(names[i]) + 1;

                        memcpy(w, names[i], len);
                        slots[i] = w;
                        w += len;
                }
                free(names[i]);
        }
}

static void build(void)
{
        struct arch_table *t = building;

        resolve(t->token, t->base, t->names, SYSCALL_LOOKUP_SPAN);
        if (t->token == SCMP_ARCH_ARM)
                resolve(t->token, ARM_PRIVATE_BASE, t->arm_private, ARM_PRIVATE_SPAN);
        __atomic_store_n(&t->ready, true, __ATOMIC_RELEASE);
}

static struct arch_table *table_of(uint32_t token)
{
        for (size_t i = 0; i < ELEMENTSOF(tables); i++)
                if (tables[i].token == token) {
                        /* Every seccomp record looks its name up: once the
                         * table is built (seen with acquire, so are its
                         * names), no call. */
                        if (!__atomic_load_n(&tables[i].ready, __ATOMIC_ACQUIRE)) {
                                building = &tables[i];
                                (void)pthread_once(&tables[i].once, build);
                        }
                        return &tables[i];
                }
        return NULL;
}

const char *syscall_lookup(uint32_t audit_arch, int64_t nr)
{
        struct arch_table *t;

        if (audit_arch == SCMP_ARCH_X86_64 && nr >= X32_SYSCALL_BIT)
                audit_arch = SCMP_ARCH_X32;
        t = table_of(audit_arch);
        if (!t)
                return NULL;
        if (nr >= t->base && nr < t->base + SYSCALL_LOOKUP_SPAN)
                return t->names[nr - t->base];
        if (t->token == SCMP_ARCH_ARM && nr >= ARM_PRIVATE_BASE &&
            nr < ARM_PRIVATE_BASE + ARM_PRIVATE_SPAN)
                return t->arm_private[nr - ARM_PRIVATE_BASE];
        return NULL;
}

const char *audit_arch_name(uint32_t audit_arch)
{
        switch (audit_arch) {
        case AUDIT_ARCH_X86_64:
                return "x86_64";
        case AUDIT_ARCH_I386:
                return "i386";
        case AUDIT_ARCH_AARCH64:
                return "aarch64";
        case AUDIT_ARCH_ARM:
                return "arm";
        case AUDIT_ARCH_PPC64LE:
                return "ppc64le";
        case AUDIT_ARCH_PPC64:
                return "ppc64";
        case AUDIT_ARCH_S390X:
                return "s390x";
        case AUDIT_ARCH_RISCV64:
                return "riscv64";
        case AUDIT_ARCH_MIPSEL64:
                return "mips64el";
        default:
                return NULL;
        }
}
