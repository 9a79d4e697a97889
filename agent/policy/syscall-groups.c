/* SPDX-License-Identifier: MIT */
#include "syscall-groups.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "base/macro.h"

#define MEMBERS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Keep groups sorted by name. Members are syscalls of the architectures
 * hardend targets (x86_64, x86, x32, aarch64); the unit tests check that
 * each is a real syscall on at least one of them. Groups are
 * allow-list building blocks: a group lists what a process of that kind
 * needs, never a dangerous call "for convenience". */
static const struct syscall_group groups[] = {
    {"@aio", "Asynchronous I/O (POSIX AIO and io_uring)",
     MEMBERS("io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_setup", "io_submit",
             "io_uring_enter", "io_uring_register", "io_uring_setup")},
    {"@basic-io", "Reading, writing, seeking and closing file descriptors",
     MEMBERS("_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64", "preadv",
             "preadv2", "pwrite64", "pwritev", "pwritev2", "read", "readv", "write", "writev")},
    {"@chown", "Changing file ownership",
     MEMBERS("chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32")},
    {"@clock", "Setting the system clock",
     MEMBERS("adjtimex", "clock_adjtime", "clock_adjtime64", "clock_settime", "clock_settime64",
             "settimeofday", "stime")},
    {"@cpu-emulation", "Legacy CPU emulation (vm86, modify_ldt)",
     MEMBERS("modify_ldt", "vm86", "vm86old")},
    {"@debug", "Tracing and inspecting other processes",
     MEMBERS("lookup_dcookie", "perf_event_open", "pidfd_getfd", "ptrace", "process_vm_readv",
             "process_vm_writev")},
    {"@default", "What every dynamically linked program needs to start and exit",
     MEMBERS("arch_prctl", "brk", "clock_getres", "clock_getres_time64", "clock_gettime",
             "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "execve", "exit",
             "exit_group", "futex", "futex_time64", "futex_waitv", "get_robust_list",
             "get_thread_area", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
             "getgid32", "getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid",
             "getrandom", "getresgid", "getresgid32", "getresuid", "getresuid32", "getrlimit",
             "getsid", "gettid", "gettimeofday", "getuid", "getuid32", "membarrier", "mmap",
             "mmap2", "mprotect", "munmap", "nanosleep", "pause", "prlimit64", "restart_syscall",
             "rseq", "rt_sigreturn", "sched_getaffinity", "sched_yield", "set_robust_list",
             "set_thread_area", "set_tid_address", "sigreturn", "time", "ugetrlimit", "uname")},
    {"@file-system", "Opening, creating, inspecting and changing files and directories",
     MEMBERS("access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2", "fallocate",
             "fchdir", "fchmod", "fchmodat", "fcntl", "fcntl64", "fgetxattr", "flistxattr", "fstat",
             "fstat64", "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64",
             "futimesat", "getcwd", "getdents", "getdents64", "getxattr", "inotify_add_watch",
             "inotify_init", "inotify_init1", "inotify_rm_watch", "lgetxattr", "link", "linkat",
             "listxattr", "llistxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat",
             "newfstatat", "oldfstat", "oldlstat", "oldstat", "open", "openat", "openat2",
             "readlink", "readlinkat", "rename", "renameat", "renameat2", "rmdir", "stat", "stat64",
             "statfs", "statfs64", "statx", "symlink", "symlinkat", "truncate", "truncate64",
             "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes",
             "fremovexattr", "fsetxattr", "lremovexattr", "lsetxattr", "removexattr", "setxattr",
             "umask", "fadvise64", "fadvise64_64")},
    {"@io-event", "Waiting for events on file descriptors",
     MEMBERS("_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
             "epoll_pwait", "epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
             "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64", "select")},
    {"@ipc", "Pipes, System V and POSIX IPC, and shared memory",
     MEMBERS("ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
             "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl",
             "msgget", "msgrcv", "msgsnd", "pipe", "pipe2", "semctl", "semget", "semop",
             "semtimedop", "semtimedop_time64", "shmat", "shmctl", "shmdt", "shmget")},
    {"@keyring", "The kernel keyring", MEMBERS("add_key", "keyctl", "request_key")},
    {"@memlock", "Locking memory into RAM",
     MEMBERS("mlock", "mlock2", "mlockall", "munlock", "munlockall")},
    {"@memory", "Managing the process's own memory",
     MEMBERS("brk", "get_mempolicy", "madvise", "mbind", "mincore", "mmap", "mmap2", "mprotect",
             "mremap", "msync", "munmap", "remap_file_pages", "set_mempolicy")},
    {"@module", "Loading and unloading kernel modules",
     MEMBERS("delete_module", "finit_module", "init_module")},
    {"@mount", "Mounting and unmounting file systems",
     MEMBERS("chroot", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
             "move_mount", "open_tree", "pivot_root", "umount", "umount2")},
    /* Not in @process (unlike systemd's set): creating or joining
     * namespaces is how most container escapes start. */
    {"@namespaces", "Creating and joining namespaces", MEMBERS("setns", "unshare")},
    {"@network-io", "Sockets: create, connect, accept, send and receive",
     MEMBERS("accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt",
             "listen", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "sendmmsg", "sendmsg",
             "sendto", "setsockopt", "shutdown", "socket", "socketcall", "socketpair")},
    {"@obsolete", "Unused or unimplemented system calls",
     MEMBERS("_sysctl", "afs_syscall", "bdflush", "break", "create_module", "ftime",
             "get_kernel_syms", "getpmsg", "gtty", "lock", "mpx", "prof", "profil", "putpmsg",
             "query_module", "security", "sgetmask", "ssetmask", "stty", "sysfs", "tuxcall",
             "ulimit", "uselib", "ustat", "vserver")},
    {"@pkey", "Memory protection keys", MEMBERS("pkey_alloc", "pkey_free", "pkey_mprotect")},
    {"@privileged", "Calls that need privileges a service should not hold",
     MEMBERS("@chown", "@clock", "@module", "@raw-io", "@reboot", "@swap", "_sysctl", "acct", "bpf",
             "capset", "chroot", "fanotify_init", "fanotify_mark", "nfsservctl",
             "open_by_handle_at", "pivot_root", "quotactl", "quotactl_fd", "setdomainname",
             "setfsuid", "setfsuid32", "setgroups", "setgroups32", "sethostname", "setresuid",
             "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32", "vhangup")},
    {"@process", "Creating, waiting for and signalling processes and threads",
     MEMBERS("capget", "clone", "clone3", "execveat", "fork", "getrusage", "kill", "pidfd_open",
             "pidfd_send_signal", "prctl", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "tgkill",
             "times", "tkill", "vfork", "wait4", "waitid", "waitpid")},
    {"@raw-io", "Raw I/O port and PCI access", MEMBERS("ioperm", "iopl")},
    {"@reboot", "Rebooting and loading a new kernel",
     MEMBERS("kexec_file_load", "kexec_load", "reboot")},
    {"@resources", "Changing resource limits, priorities and CPU affinity",
     MEMBERS("ioprio_set", "mbind", "migrate_pages", "move_pages", "nice", "sched_setaffinity",
             "sched_setattr", "sched_setparam", "sched_setscheduler", "set_mempolicy",
             "setpriority", "setrlimit")},
    {"@sandbox", "Setting up one's own sandbox (seccomp, Landlock)",
     MEMBERS("landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self", "seccomp")},
    {"@setuid", "Changing user and group identities",
     MEMBERS("setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32",
             "setresgid", "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32",
             "setuid", "setuid32")},
    {"@signal", "Handling and blocking signals",
     MEMBERS("rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend", "rt_sigtimedwait",
             "rt_sigtimedwait_time64", "sigaction", "sigaltstack", "signal", "signalfd",
             "signalfd4", "sigpending", "sigprocmask", "sigsuspend")},
    {"@swap", "Enabling and disabling swap", MEMBERS("swapoff", "swapon")},
    {"@sync", "Flushing files to storage",
     MEMBERS("fdatasync", "fsync", "msync", "sync", "sync_file_range", "syncfs")},
    {"@system-service", "What an ordinary service needs: the base most policies start from",
     MEMBERS("@aio", "@basic-io", "@default", "@file-system", "@io-event", "@ipc", "@memory",
             "@network-io", "@process", "@signal", "@sync", "@timer", "copy_file_range", "flock",
             "get_mempolicy", "getcpu", "getpriority", "ioctl", "ioprio_get", "kcmp", "madvise",
             "name_to_handle_at", "personality", "readahead", "sched_get_priority_max",
             "sched_get_priority_min", "sched_getattr", "sched_getparam", "sched_getscheduler",
             "sched_rr_get_interval", "sched_rr_get_interval_time64", "sendfile", "sendfile64",
             "setpgid", "setsid", "splice", "sysinfo", "tee", "vmsplice")},
    {"@timer", "Timers and alarms",
     MEMBERS("alarm", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
             "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
             "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
             "timerfd_settime64", "times")},
};

const struct syscall_group *syscall_group_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                if (strcmp(groups[i].name, name) == 0)
                        return &groups[i];
        return NULL;
}

const struct syscall_group *syscall_groups_all(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(groups);
        return groups;
}

static int expand(const struct syscall_group *g, bool *seen,
                  int (*fn)(const char *name, void *userdata), void *userdata)
{
        size_t idx = (size_t)(g - groups);
        int r;

        if (seen[idx])
                return 0;
        seen[idx] = true;
        for (const char *const *m = g->members; *m; m++) {
                if ((*m)[0] == '@') {
                        const struct syscall_group *sub = syscall_group_find(*m);

                        if (!sub)
                                return -ENOENT;
                        r = expand(sub, seen, fn, userdata);
                } else
                        r = fn(*m, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int syscall_group_expand(const struct syscall_group *g, int (*fn)(const char *name, void *userdata),
                         void *userdata)
{
        bool seen[ELEMENTSOF(groups)] = {false};

        return expand(g, seen, fn, userdata);
}

static const char *const guarded[] = {
    "exit", "exit_group", "restart_syscall", "rt_sigreturn", "sigreturn",
};

bool syscall_is_guarded(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(guarded); i++)
                if (strcmp(guarded[i], name) == 0)
                        return true;
        return false;
}
