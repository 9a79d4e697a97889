/* SPDX-License-Identifier: MIT */
#include "names.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/socket.h>

#include "base/macro.h"
#include "policy.h"

static const uint32_t arch_tokens[] = {
    [0] = SCMP_ARCH_X86_64,
    [1] = SCMP_ARCH_X86,
    [2] = SCMP_ARCH_X32,
    [3] = SCMP_ARCH_AARCH64,
};

bool syscall_name_known(const char *name, unsigned arches)
{
        /* libseccomp answers a negative pseudo-number for a name that exists
         * only on other architectures (socketcall on x86_64): that is not a
         * syscall of these targets. Except the socket and IPC calls that x86
         * reaches through the socketcall/ipc multiplexers: their
         * pseudo-numbers (__PNR_socket -101 ... __PNR_shmget -224) stand for
         * real calls, which libseccomp filters through the multiplexer. */
        for (size_t i = 0; i < ELEMENTSOF(arch_tokens); i++) {
                int nr;

                if (!(arches & (1u << i)))
                        continue;
                nr = seccomp_syscall_resolve_name_arch(arch_tokens[i], name);
                if (nr >= 0 || (arch_tokens[i] == SCMP_ARCH_X86 && nr <= -101 && nr >= -299))
                        return true;
        }
        return false;
}

bool syscall_name_is_libseccomp_name(const char *name)
{
        return seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name) != __NR_SCMP_ERROR;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and removes duplicates (freeing them) in place; returns the count. */
static size_t sort_unique(char **v, size_t n)
{
        size_t out = 0;

        qsort(v, n, sizeof(*v), cmp_str);
        for (size_t i = 0; i < n; i++) {
                if (out > 0 && strcmp(v[out - 1], v[i]) == 0) {
                        free(v[i]);
                        continue;
                }
                v[out++] = v[i];
        }
        return out;
}

static char **all_syscalls;
static size_t n_all_syscalls;
static pthread_once_t syscalls_once = PTHREAD_ONCE_INIT;

/* libseccomp has no "list all" call: ask it for every number of every
 * architecture we target. 1024 covers every table it carries; x32 numbers
 * carry the x32 bit. */
static void build_syscall_names(void)
{
        size_t cap = 4096, n = 0;
        char **v = calloc(cap, sizeof(char *));

        if (!v)
                return;
        for (size_t a = 0; a < ELEMENTSOF(arch_tokens); a++) {
                int base = arch_tokens[a] == SCMP_ARCH_X32 ? 0x40000000 : 0;

                for (int nr = 0; nr < 1024 && n < cap; nr++) {
                        char *name = seccomp_syscall_resolve_num_arch(arch_tokens[a], base + nr);

                        if (name)
                                v[n++] = name;
                }
        }
        n_all_syscalls = sort_unique(v, n);
        all_syscalls = v;
}

const char *const *syscall_names_all(size_t *ret_n)
{
        pthread_once(&syscalls_once, build_syscall_names);
        *ret_n = n_all_syscalls;
        return (const char *const *)all_syscalls;
}

int capability_from_name(const char *name)
{
        char buf[64] = "cap_";
        size_t off = 4;
        cap_value_t v;

        if (strncasecmp(name, "cap_", 4) == 0)
                name += 4;
        if (strlen(name) + off >= sizeof(buf) || !*name)
                return -EINVAL;
        for (const char *c = name; *c; c++) {
                if (!isalnum((unsigned char)*c) && *c != '_')
                        return -EINVAL;
                buf[off++] = (char)tolower((unsigned char)*c);
        }
        buf[off] = '\0';
        if (cap_from_name(buf, &v) < 0)
                return -EINVAL;
        return (int)v;
}

const char *capability_to_name(int cap, char *buf, size_t size)
{
        char *n = cap_to_name((cap_value_t)cap);
        const char *s = n;
        size_t i = 0;

        if (!n) {
                snprintf(buf, size, "%d", cap);
                return buf;
        }
        if (strncmp(s, "cap_", 4) == 0)
                s += 4;
        for (; *s && i + 1 < size; s++)
                buf[i++] = (char)toupper((unsigned char)*s);
        buf[i] = '\0';
        cap_free(n);
        return buf;
}

static char *all_caps[64];
static size_t n_all_caps;
static pthread_once_t caps_once = PTHREAD_ONCE_INIT;

static void build_cap_names(void)
{
        /* cap_to_name() prints a bare number for a bit libcap has no name
         * for; that marks the end of what it knows. */
        for (int c = 0; c < 64; c++) {
                char buf[64];

                capability_to_name(c, buf, sizeof(buf));
                if (isdigit((unsigned char)buf[0]))
                        break;
                all_caps[n_all_caps] = strdup(buf);
                if (!all_caps[n_all_caps])
                        break;
                n_all_caps++;
        }
}

const char *const *capability_names_all(size_t *ret_n)
{
        pthread_once(&caps_once, build_cap_names);
        *ret_n = n_all_caps;
        return (const char *const *)all_caps;
}

/* glibc knows every errno's name (strerrorname_np, glibc >= 2.32). */
int errno_from_name(const char *name)
{
        for (int e = 1; e < 4096; e++) {
                const char *n = strerrorname_np(e);

                if (n && strcmp(n, name) == 0)
                        return e;
        }
        return -EINVAL;
}

const char *errno_to_name(int e)
{
        return strerrorname_np(e);
}

#define C(x)                                                                                       \
        {                                                                                          \
#x, (uint64_t)(x)                                                                  \
        }
static const struct {
        const char *name;
        uint64_t value;
} arg_constants[] = {
    /* socket(2) families and types */
    C(AF_UNIX),
    C(AF_LOCAL),
    C(AF_INET),
    C(AF_INET6),
    C(AF_NETLINK),
    C(AF_PACKET),
    C(AF_VSOCK),
    C(AF_ALG),
    C(AF_BLUETOOTH),
    C(AF_KEY),
    C(SOCK_STREAM),
    C(SOCK_DGRAM),
    C(SOCK_RAW),
    C(SOCK_SEQPACKET),
    C(SOCK_NONBLOCK),
    C(SOCK_CLOEXEC),
    /* clone(2)/unshare(2) namespace flags */
    C(CLONE_NEWNS),
    C(CLONE_NEWUTS),
    C(CLONE_NEWIPC),
    C(CLONE_NEWUSER),
    C(CLONE_NEWPID),
    C(CLONE_NEWNET),
    C(CLONE_NEWCGROUP),
    C(CLONE_NEWTIME),
    /* personality(2) values container runtimes allow */
    C(PER_LINUX),
    C(PER_LINUX32),
    C(UNAME26),
    C(ADDR_NO_RANDOMIZE),
    {"PER_LINUX_UNAME26", (uint64_t)(PER_LINUX | UNAME26)},
    {"PER_LINUX32_UNAME26", (uint64_t)(PER_LINUX32 | UNAME26)},
    {"PERSONALITY_QUERY", 0xffffffffu},
};
#undef C

int arg_constant_lookup(const char *name, uint64_t *ret)
{
        for (size_t i = 0; i < ELEMENTSOF(arg_constants); i++)
                if (strcmp(arg_constants[i].name, name) == 0) {
                        *ret = arg_constants[i].value;
                        return 0;
                }
        return -EINVAL;
}

static const char *arg_constant_names[ELEMENTSOF(arg_constants)];

const char *const *arg_constant_names_all(size_t *ret_n)
{
        for (size_t i = 0; i < ELEMENTSOF(arg_constants); i++)
                arg_constant_names[i] = arg_constants[i].name;
        *ret_n = ELEMENTSOF(arg_constants);
        return arg_constant_names;
}
