/* SPDX-License-Identifier: MIT */
/* /proc/PID/status: credentials and the confinement the kernel applies
 * (capability sets, no_new_privs, seccomp). A pure function from bytes to
 * a struct; the kernel's own Name: line is ignored (comm comes from stat). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* status is ~1.5 KiB, but the Groups: line of a member of 65536 groups
 * runs to ~700 KiB. Callers read into a small buffer first, then up to
 * this much. */
#define PROC_STATUS_MAX       (1024u * 1024u)
#define PROC_STATUS_LINES     512u
#define PROC_STATUS_NSPID_MAX 32u /* pid namespaces nest at most 32 deep */

enum proc_status_field {
        PROC_STATUS_UID = 1u << 0,
        PROC_STATUS_GID = 1u << 1,
        PROC_STATUS_CAPINH = 1u << 2,
        PROC_STATUS_CAPPRM = 1u << 3,
        PROC_STATUS_CAPEFF = 1u << 4,
        PROC_STATUS_CAPBND = 1u << 5,
        PROC_STATUS_CAPAMB = 1u << 6,
        PROC_STATUS_NNP = 1u << 7,
        PROC_STATUS_SECCOMP = 1u << 8,
        PROC_STATUS_SECCOMP_FILTERS = 1u << 9,
        PROC_STATUS_TGID = 1u << 10,
        PROC_STATUS_PID = 1u << 11,
        PROC_STATUS_PPID = 1u << 12,
        PROC_STATUS_THREADS = 1u << 13,
        PROC_STATUS_NSPID = 1u << 14,
        PROC_STATUS_KTHREAD = 1u << 15,
};

/* What every kernel since 4.3 prints and posture cannot do without. */
#define PROC_STATUS_REQUIRED                                                                       \
        (PROC_STATUS_UID | PROC_STATUS_GID | PROC_STATUS_CAPINH | PROC_STATUS_CAPPRM |             \
         PROC_STATUS_CAPEFF | PROC_STATUS_CAPBND | PROC_STATUS_PID | PROC_STATUS_TGID)

/* The credentials posture compares between a process and its threads. */
struct proc_creds {
        uint32_t uid[4]; /* real, effective, saved, filesystem */
        uint32_t gid[4];
        uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
        bool no_new_privs;
        int seccomp_mode; /* 0 none, 1 strict, 2 filter; -1 not reported */
        unsigned seccomp_filters;
};

struct proc_status {
        unsigned fields; /* enum proc_status_field bits seen */
        pid_t tgid, pid, ppid;
        unsigned threads;
        unsigned nspid_levels; /* entries of NSpid: 1 = the pid namespace of this /proc */
        bool kthread;
        struct proc_creds creds;
};

/* Returns 0, -EINVAL (malformed line, bad number, duplicate field, missing
 * required field), or -E2BIG (over the caps above). */
int proc_status_parse(const char *buf, size_t len, struct proc_status *ret);

bool proc_creds_equal(const struct proc_creds *a, const struct proc_creds *b);
