/* SPDX-License-Identifier: MIT */
/* The /proc scanner: for every process (and every thread whose credentials
 * differ from its leader's), its credentials, confinement, namespaces,
 * cgroup identity and mounts, read without races:
 *
 *  - /proc/PID is opened once as a directory fd (O_PATH: nothing is read
 *    through it, it only anchors the lookups) and everything is read
 *    relative to it. That fd pins the process: once it is gone, reads fail
 *    (ESRCH/ENOENT) instead of reaching a new process that reused the PID.
 *  - stat is read first; (pid, start time) is the process's identity from
 *    then on. Anything that later goes back by PID number (re-reading,
 *    ptrace, the OCI runtime's init pid) verifies that start time
 *    (proc_open_verified()).
 *  - mountinfo is parsed once per mount namespace: the namespace inode is
 *    read before and after, so a process that setns() in between does not
 *    file one namespace's mounts under another.
 *  - A process that vanishes half-way is dropped whole and counted.
 *
 * The proc root is a directory fd, so tests hand fixture trees.
 *
 * On the real /proc of the initial namespaces, a BPF task iterator
 * (scan-bpf.c) supplies stat, status, the namespace links and cgroup of
 * every process in one read loop instead; mountinfo (once per mount
 * namespace), AppArmor labels, exe and cmdline are still read through
 * /proc/PID, opened with proc_open_verified(). posture_scan.source says
 * which was used. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "apparmor-label.h"
#include "cgroup-identity.h"
#include "mountinfo.h"
#include "namespaces.h"
#include "proc-stat.h"
#include "proc-status.h"

enum scan_flag {
        SCAN_EXE = 1u << 0,            /* readlink exe (for match.executables) */
        SCAN_CMDLINE = 1u << 1,        /* cmdline, up to PROC_CMDLINE_MAX bytes */
        SCAN_THREADS = 1u << 2,        /* threads whose credentials differ */
        SCAN_KERNEL_THREADS = 1u << 3, /* keep kernel threads (skipped by default) */
        SCAN_NO_BPF = 1u << 4,         /* read /proc only, never the BPF task iterator */
};

#define SCAN_MAX_PROCS       4194304u /* PID_MAX_LIMIT */
#define SCAN_MAX_THREADS     4096u    /* examined per process; more is noted as truncated */
#define SCAN_MAX_ODD_THREADS 64u      /* kept per process */
#define PROC_CMDLINE_MAX     4096u

/* What could not be read for a process that is otherwise complete. */
enum proc_gap {
        PROC_GAP_CGROUP = 1u << 0,
        PROC_GAP_NS = 1u << 1,
        PROC_GAP_APPARMOR = 1u << 2,
        PROC_GAP_MOUNTS = 1u << 3,
        PROC_GAP_EXE = 1u << 4,
        PROC_GAP_THREADS = 1u << 5,
};

struct proc_thread {
        pid_t tid;
        struct proc_creds creds;
};

struct proc_info {
        pid_t pid, ppid;
        uint64_t start_time;
        char comm[PROC_COMM_MAX + 1]; /* raw bytes: escape before printing */
        size_t comm_len;
        char *cmdline; /* raw, NUL-separated; NULL when not read */
        size_t cmdline_len;
        bool cmdline_truncated;
        char *exe; /* NULL when not read or unreadable */
        struct proc_creds creds;
        unsigned nspid_levels;
        struct apparmor_label apparmor;
        struct ns_set ns;
        size_t mount_ns; /* index into posture_scan.mount_ns, SIZE_MAX when unknown */
        struct cgroup_identity cgroup;
        struct proc_thread *threads; /* threads whose creds differ from the leader's */
        size_t n_threads;
        bool threads_truncated;
        unsigned gaps; /* enum proc_gap */
};

struct mount_ns {
        uint64_t ino;
        struct mount_table table;
        int error; /* -errno when the table could not be read; table is empty then */
};

enum apparmor_source {
        APPARMOR_SOURCE_NONE,    /* the kernel has no AppArmor */
        APPARMOR_SOURCE_LSM_DIR, /* attr/apparmor/current */
        APPARMOR_SOURCE_CURRENT, /* attr/current (kernels before per-LSM dirs) */
};

/* Where a scan's per-process facts came from. */
enum scan_source {
        SCAN_SOURCE_PROC, /* /proc/PID/{stat,status,ns,cgroup} of every process */
        SCAN_SOURCE_BPF,  /* the BPF task iterator (posture/task-iter.h) */
        _SCAN_SOURCE_MAX,
};

const char *scan_source_to_string(enum scan_source s); /* "proc", "bpf" */

struct posture_host {
        pid_t pid;      /* whose namespaces are "the host's": 1, or the scanner itself */
        bool from_self; /* PID 1 could not be read (pid1_error says why) */
        int pid1_error;
        struct ns_set ns;
        unsigned nspid_levels;
        uint64_t cap_bnd; /* its bounding set: every capability a process here can have */
        size_t mount_ns;  /* index into posture_scan.mount_ns, SIZE_MAX when unknown */
};

struct posture_scan {
        struct proc_info *procs; /* sorted by pid */
        size_t n_procs;
        struct mount_ns *mount_ns;
        size_t n_mount_ns;
        struct posture_host host;
        enum apparmor_source apparmor;
        unsigned cap_last_cap;
        size_t vanished;       /* listed, then gone before they were fully read */
        size_t kernel_threads; /* skipped */
        size_t unreadable;     /* present but malformed or unreadable stat/status */
        size_t truncated;      /* more processes than SCAN_MAX_PROCS */
        enum scan_source source;
        /* Why the iterator was not used: 0 when it was; -ECANCELED when
         * not asked for (not loaded by posture_scan_prepare(), SCAN_NO_BPF,
         * HARDEND_NO_BPF=1 in the environment, a single-pid scan); -EXDEV
         * when proc_fd is not the procfs of the initial namespaces (a
         * fixture tree, a container's /proc); -EPERM without CAP_BPF +
         * CAP_PERFMON (or CAP_SYS_ADMIN) at load, or when a filter refuses
         * bpf(); else the -errno of loading or reading it (-EBADMSG: a
         * stream the parser refused). */
        int bpf_error;
        /* With the iterator: processes read through /proc all the same
         * because the iterator did not show them (started after it ran,
         * or hidden from BPF by the kernel). */
        size_t bpf_missed;
};

/* Scans every process under proc_fd (pid == 0) or only pid. flags: enum
 * scan_flag. Returns 0 or -errno (the proc root cannot be listed, no host
 * reference, out of memory); processes that go away are not errors. */
int posture_scan_run(int proc_fd, pid_t pid, unsigned flags, struct posture_scan *ret);
void posture_scan_done(struct posture_scan *s);

/* Loads the BPF task iterator, which later scans of this process then use.
 * Scans never load it themselves: loading costs ~80 ms of CPU, worth it
 * for a process that scans repeatedly (the daemon, before it drops
 * capabilities and applies its seccomp filter; once loaded a scan needs
 * only bpf(BPF_ITER_CREATE) and read()), not for a one-shot scan. Tried
 * once per process (a forked child loads its own): its result, 0 or
 * -errno, is kept. */
int posture_scan_prepare(void);

const struct proc_info *posture_scan_find(const struct posture_scan *s, pid_t pid);
/* The mount table of p's mount namespace, or NULL. */
const struct mount_table *posture_scan_mounts(const struct posture_scan *s,
                                              const struct proc_info *p);

/* Opens proc_fd/PID as a directory and checks that stat's start time is
 * start_time. Returns the fd, -ESRCH when the process is gone or the PID
 * now names another process, or -errno. */
int proc_open_verified(int proc_fd, pid_t pid, uint64_t start_time);

/* Reads one process through its open directory fd (exported for tests and
 * for callers that hold a verified directory). Returns 0; 1 for a kernel
 * thread, left out unless SCAN_KERNEL_THREADS; -ESRCH when the process is
 * gone (or a zombie); -EBADMSG when its stat or status is malformed or
 * names another pid; -ENOMEM. Files that are merely missing become gaps. */
int proc_info_read(int pid_fd, pid_t pid, unsigned flags, enum apparmor_source apparmor,
                   struct proc_info *ret);
void proc_info_done(struct proc_info *p);
