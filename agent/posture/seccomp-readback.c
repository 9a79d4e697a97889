/* SPDX-License-Identifier: MIT */
#include "seccomp-readback.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"
#include "bpf-eval.h"
#include "scan.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

struct tracee {
        pid_t pid;
        bool attached;
        bool stopped;
        int pending_signal; /* to re-deliver at detach */
};

static void tracee_release(struct tracee *t)
{
        int saved = errno;

        if (t->attached) {
                /* PTRACE_DETACH needs the tracee stopped; an attached
                 * tracee that never stopped is still running and the
                 * kernel detaches it when we exit. */
                if (ptrace(PTRACE_DETACH, t->pid, NULL, (void *)(long)t->pending_signal) < 0 &&
                    !t->stopped) {
                        /* Make it stop, then detach. */
                        if (ptrace(PTRACE_INTERRUPT, t->pid, NULL, NULL) >= 0) {
                                int status;

                                if (waitpid(t->pid, &status, __WALL) == t->pid &&
                                    WIFSTOPPED(status))
                                        (void)ptrace(PTRACE_DETACH, t->pid, NULL, NULL);
                        }
                }
                t->attached = false;
        }
        errno = saved;
}

/* Waits until the tracee is stopped (by our interrupt, a group stop, or a
 * signal it is about to receive, which we keep to re-deliver). */
static int wait_stopped(struct tracee *t)
{
        for (;;) {
                int status;
                pid_t w = waitpid(t->pid, &status, __WALL);

                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (WIFEXITED(status) || WIFSIGNALED(status)) {
                        t->attached = false;
                        return -ESRCH;
                }
                if (!WIFSTOPPED(status))
                        continue;
                t->stopped = true;
                if ((status >> 16) == 0)
                        t->pending_signal = WSTOPSIG(status); /* signal-delivery-stop */
                return 0;
        }
}

static int read_filters(pid_t pid, struct seccomp_chain *chain)
{
        for (unsigned long index = 0;; index++) {
                _cleanup_free_ struct sock_filter *insns = NULL;
                long n;
                int r;

                n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, NULL);
                if (n < 0) {
                        if (errno == ENOENT)
                                return 0; /* past the last filter (or none) */
                        if (errno == EINVAL && index == 0)
                                return 0; /* no seccomp at all */
                        return negative_errno();
                }
                if (n == 0 || n > BPF_PROG_MAX_INSNS)
                        return -EBADMSG;
                insns = calloc((size_t)n, sizeof(*insns));
                if (!insns)
                        return -ENOMEM;
                if (ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *)index, insns) != n)
                        return -EBADMSG;
                r = seccomp_chain_add(chain, insns, (size_t)n);
                if (r < 0)
                        return r == -EINVAL ? -EBADMSG : r;
        }
}

int seccomp_readback(int proc_fd, pid_t pid, uint64_t start_time, struct seccomp_chain *ret)
{
        _cleanup_(tracee_release) struct tracee t = {.pid = pid};
        struct seccomp_chain chain = {0};
        _cleanup_close_ int fd = -1;
        int r;

        if (pid <= 0 || pid == getpid())
                return -EINVAL;
        if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
                return errno == ESRCH ? -ESRCH : negative_errno();
        t.attached = true;
        if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0)
                return errno == ESRCH ? -ESRCH : negative_errno();
        r = wait_stopped(&t);
        if (r < 0)
                return r;
        /* Stopped and attached, it cannot exit and free its PID under us:
         * is it still the process the scan saw? */
        fd = proc_open_verified(proc_fd, pid, start_time);
        if (fd < 0)
                return -ESRCH;
        r = read_filters(pid, &chain);
        if (r < 0) {
                seccomp_chain_done(&chain);
                return r;
        }
        *ret = chain;
        return 0;
}

int elf_header_arch(const unsigned char *hdr, size_t len, uint32_t *ret_arch)
{
        uint16_t machine;
        bool is64, le;

        if (len < 20 || memcmp(hdr, ELFMAG, SELFMAG) != 0)
                return -EINVAL;
        if (hdr[EI_CLASS] != ELFCLASS32 && hdr[EI_CLASS] != ELFCLASS64)
                return -EINVAL;
        if (hdr[EI_DATA] != ELFDATA2LSB && hdr[EI_DATA] != ELFDATA2MSB)
                return -EINVAL;
        is64 = hdr[EI_CLASS] == ELFCLASS64;
        le = hdr[EI_DATA] == ELFDATA2LSB;
        machine = le ? (uint16_t)(hdr[18] | hdr[19] << 8) : (uint16_t)(hdr[18] << 8 | hdr[19]);
        switch (machine) {
        case EM_X86_64:
                *ret_arch = is64 ? SCMP_ARCH_X86_64 : SCMP_ARCH_X32;
                return 0;
        case EM_386:
                *ret_arch = SCMP_ARCH_X86;
                return 0;
        case EM_AARCH64:
                *ret_arch = SCMP_ARCH_AARCH64;
                return 0;
        case EM_ARM:
                *ret_arch = SCMP_ARCH_ARM;
                return 0;
        case EM_RISCV:
                if (!is64)
                        return -EOPNOTSUPP;
                *ret_arch = SCMP_ARCH_RISCV64;
                return 0;
        case EM_S390:
                *ret_arch = is64 ? SCMP_ARCH_S390X : SCMP_ARCH_S390;
                return 0;
        case EM_PPC64:
                if (!is64)
                        return -EOPNOTSUPP;
                *ret_arch = le ? SCMP_ARCH_PPC64LE : SCMP_ARCH_PPC64;
                return 0;
        default:
                return -EOPNOTSUPP;
        }
}

int proc_exe_arch(int pid_fd, uint32_t *ret_arch)
{
        _cleanup_close_ int fd = openat(pid_fd, "exe", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        unsigned char hdr[20];
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        n = pread(fd, hdr, sizeof(hdr), 0);
        if (n < 0)
                return negative_errno();
        return elf_header_arch(hdr, (size_t)n, ret_arch);
}
