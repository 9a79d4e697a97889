/* SPDX-License-Identifier: MIT */
/* try-syscall NAME...: makes each named call with harmless arguments and
 * prints "NAME ok" or "NAME ERRNO" (e.g. "ptrace EPERM"). Built statically
 * by the container tests and run inside a busybox rootfs, so that a refusal
 * by the seccomp filter can be told from one by the kernel: the same call
 * runs unconfined as a control. "hold:N" sleeps N seconds without a
 * syscall of its own beyond nanosleep, so a test can look at the process
 * that made the calls while it is still alive. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long try_clone(unsigned long flags)
{
        long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

        if (pid == 0)
                _exit(0);
        if (pid > 0)
                waitpid((pid_t)pid, NULL, 0);
        return pid < 0 ? -1 : 0;
}

static long call(const char *name)
{
        int fd;

        if (strcmp(name, "ptrace") == 0) {
                /* pid 0 is no process: ESRCH when allowed. */
                errno = 0;
                return ptrace(PTRACE_PEEKDATA, 0, NULL, NULL) == -1 && errno ? -1 : 0;
        }
        if (strcmp(name, "kexec_load") == 0)
                /* Flags no kernel accepts: EINVAL (or ENOSYS) when allowed. */
                return syscall(SYS_kexec_load, 0, 0, NULL, 0xffff0000ul);
        if (strcmp(name, "socket_packet") == 0) {
                fd = socket(AF_PACKET, SOCK_RAW, 0);
                if (fd >= 0)
                        close(fd);
                return fd < 0 ? -1 : 0;
        }
        if (strcmp(name, "socket_inet") == 0) {
                fd = socket(AF_INET, SOCK_STREAM, 0);
                if (fd >= 0)
                        close(fd);
                return fd < 0 ? -1 : 0;
        }
        if (strcmp(name, "clone_newuser") == 0)
                return try_clone(CLONE_NEWUSER);
        if (strcmp(name, "clone_fork") == 0)
                return try_clone(0);
        if (strcmp(name, "clone3") == 0)
                /* Size 0: EINVAL when allowed. */
                return syscall(SYS_clone3, NULL, 0);
        if (strcmp(name, "setns") == 0)
                /* A bad fd: EBADF when allowed. */
                return syscall(SYS_setns, -1, 0);
        if (strcmp(name, "unshare") == 0)
                return unshare(CLONE_NEWUSER);
        if (strcmp(name, "mount") == 0)
                return mount("none", "/mnt", "tmpfs", 0, NULL);
        if (strcmp(name, "syslog") == 0)
                /* The size of the kernel log buffer: harmless, and in no
                 * shipped allow list (a monitor-mode filter logs it). */
                return syscall(SYS_syslog, 10, NULL, 0);
        if (strcmp(name, "bpf") == 0)
                /* No such command: EINVAL when allowed. */
                return syscall(SYS_bpf, -1, NULL, 0);
        errno = EDOM;
        return -1;
}

int main(int argc, char **argv)
{
        for (int i = 1; i < argc; i++) {
                long r;

                if (strncmp(argv[i], "hold:", 5) == 0) {
                        fflush(stdout);
                        sleep((unsigned)atoi(argv[i] + 5));
                        continue;
                }
                r = call(argv[i]);

                if (r < 0)
                        printf("%s %s\n", argv[i], strerrorname_np(errno));
                else
                        printf("%s ok\n", argv[i]);
        }
        return 0;
}
