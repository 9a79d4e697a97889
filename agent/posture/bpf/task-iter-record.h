/* SPDX-License-Identifier: MIT */
/* The record the BPF task iterator (task-iter.bpf.c) writes for every
 * task, shared by the BPF program and the parser (posture/task-iter.c):
 * one definition, so the two cannot drift. Native byte order; the kernel
 * and the reader are the same machine.
 *
 * A record is the fixed header (struct task_rec up to cg[]) followed by
 * cg_len bytes of cgroup entries; `size` is the whole record. Only thread
 * group leaders carry cgroup entries: one per cgroup hierarchy the task's
 * css_set links to (the unified one has hierarchy id 0), each an 8-byte
 * struct task_rec_cg and `len` bytes of path components, leaf first, each
 * NUL-terminated; entries start at multiples of 8 within cg[].
 *
 * Bump TASK_REC_VERSION on any change of layout or meaning: the parser
 * refuses any other version (and the scan falls back to /proc). */
#pragma once

#include <linux/types.h>

#define TASK_REC_VERSION       1
#define TASK_REC_COMM_LEN      16   /* TASK_COMM_LEN */
#define TASK_REC_NS_SLOTS      7    /* enum ns_type order: cgroup ipc mnt net pid user uts */
#define TASK_REC_CG_BYTES      4096 /* cgroup area of a record */
#define TASK_REC_CG_MAX_PATHS  16   /* hierarchies per task; more is truncation */
#define TASK_REC_CG_MAX_DEPTH  16   /* components per path; deeper is truncation */
#define TASK_REC_CG_NAME_MAX   256  /* NAME_MAX and its NUL */
#define TASK_REC_PID_LEVEL_MAX 32   /* MAX_PID_NS_LEVEL */

/* struct task_rec.flags */
#define TASK_REC_F_CGROUP        (1u << 0) /* cgroup entries were collected (a leader) */
#define TASK_REC_F_CG_TRUNCATED  (1u << 1) /* a path or an entry did not fit */
#define TASK_REC_F_SECCOMP       (1u << 2) /* seccomp_mode is valid (CONFIG_SECCOMP) */
#define TASK_REC_F_FILTERS       (1u << 3) /* seccomp_filters is valid (kernel >= 5.9) */
#define TASK_REC_F_CREDS         (1u << 4) /* uid..no_new_privs and the user ns were read */
#define TASK_REC_F_IDENTITY_ONLY (1u << 5) /* a kernel thread the reader did not ask for */

/* struct task_rec_cg.flags */
#define TASK_REC_CG_DEAD (1u << 0) /* the cgroup was removed (!CSS_ONLINE) */

/* The kernel's values (include/linux/sched.h), stable ABI of /proc/PID/stat. */
#define TASK_PF_EXITING 0x00000004u
#define TASK_PF_KTHREAD 0x00200000u

struct task_rec {
        __u16 version;
        __u16 size;            /* bytes of this record, header included */
        __u32 flags;           /* TASK_REC_F_* */
        __s32 tgid, pid, ppid; /* global ids: ppid is real_parent's tgid */
        __u32 pid_level;       /* level of its pid namespace; 0 = the initial one */
        __u32 task_flags;      /* PF_*, as /proc/PID/stat's flags */
        __s32 exit_state;      /* EXIT_ZOMBIE, EXIT_DEAD; 0 while alive */
        __u64 start_boottime;  /* ns after boot, suspend included */
        __u32 uid[4];          /* real, effective, saved, filesystem */
        __u32 gid[4];
        __u64 cap[5]; /* inheritable, permitted, effective, bounding, ambient */
        __s32 seccomp_mode;
        __u32 seccomp_filters;
        __u32 no_new_privs;
        __u32 ns_known; /* 1u << slot for every inode read */
        __u64 ns_ino[TASK_REC_NS_SLOTS];
        char comm[TASK_REC_COMM_LEN];
        __u16 cg_len;   /* bytes of cg[] used */
        __u16 cg_count; /* entries in cg[] */
        __u32 reserved; /* 0 */
        __u8 cg[TASK_REC_CG_BYTES];
};

struct task_rec_cg {
        __s32 hierarchy_id;
        __u16 len;  /* bytes of components that follow */
        __u8 depth; /* components: 0 for the hierarchy's root cgroup */
        __u8 flags; /* TASK_REC_CG_* */
};

#define TASK_REC_HEADER_SIZE ((unsigned)__builtin_offsetof(struct task_rec, cg))

/* The iterator's settings, written by the reader before a scan. */
struct task_iter_config {
        __u32 threads;  /* emit tasks that are not thread group leaders */
        __u32 kthreads; /* read kernel threads in full (else identity only) */
};
