/* SPDX-License-Identifier: MIT */
/* The BPF task iterator (bpf/task-iter.bpf.c, embedded in the library):
 * loaded once through libbpf, then each task_iter_read() creates an
 * iterator and reads, in one read() loop, a record per task of the system
 * (bpf/task-iter-record.h). The parser is pure: bytes in, records out,
 * every size checked; a stream it does not accept is -EBADMSG.
 *
 * libbpf is quiet: its messages are dropped unless HARDEND_BPF_DEBUG is set
 * in the environment (then they go to stderr, for diagnosing a load). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/macro.h"
#include "namespaces.h"
#include "proc-status.h"

/* What one read may hold: ~250 bytes per thread and ~500 per process are
 * usual; this is ~60,000 processes at the largest record size. */
#define TASK_ITER_MAX_BYTES (256u * 1024u * 1024u)
#define TASK_ITER_COMM_MAX  15u /* TASK_COMM_LEN - 1 */
#define TASK_ITER_CG_PATHS  16u /* TASK_REC_CG_MAX_PATHS */

enum task_iter_flag {
        TASK_ITER_THREADS = 1u << 0,  /* records for threads too, not only leaders */
        TASK_ITER_KTHREADS = 1u << 1, /* kernel threads in full, not just their identity */
};

struct task_iter;

/* Loads the embedded program and attaches the iterator. Returns 0, or
 * -EPERM (no CAP_BPF + CAP_PERFMON or CAP_SYS_ADMIN, or seccomp), -ENOENT
 * or -EOPNOTSUPP (no kernel BTF, no task iterator, no such field), -EINVAL
 * (the verifier refused it), -ENOMEM. Takes a few milliseconds and the
 * verifier's time: once per process. */
int task_iter_open(struct task_iter **ret);
struct task_iter *task_iter_free(struct task_iter *t);
DEFINE_POINTER_CLEANUP(struct task_iter, task_iter_free)

/* Runs the iterator once (flags: enum task_iter_flag). *ret_data is
 * borrowed: it points into t's buffer and stays valid until the next read
 * or task_iter_free(). Returns 0, -EFBIG past TASK_ITER_MAX_BYTES, -ENOMEM,
 * or the -errno of creating or reading the iterator. Not for concurrent
 * use on one t, nor by two processes (after fork(), open another): the
 * program builds each record in a per-CPU buffer of t's. */
int task_iter_read(struct task_iter *t, unsigned flags, const uint8_t **ret_data, size_t *ret_size);

/* One cgroup hierarchy of a record. Borrowed: names point into the
 * stream. */
struct task_cgroup {
        int hierarchy_id;  /* 0: the unified (v2) hierarchy */
        bool dead;         /* the cgroup was removed */
        unsigned depth;    /* components; 0 is the hierarchy's root "/" */
        const char *names; /* depth NUL-terminated names, leaf first */
        size_t names_len;
};

/* One task, in host types. */
struct task_record {
        pid_t tgid, pid, ppid;
        bool leader;         /* pid == tgid */
        unsigned pid_level;  /* 0 in the initial pid namespace */
        uint32_t task_flags; /* PF_* */
        int exit_state;      /* 0 while alive */
        uint64_t start_boottime_ns;
        char comm[TASK_ITER_COMM_MAX + 1];
        size_t comm_len;
        bool identity_only; /* a kernel thread read without TASK_ITER_KTHREADS */
        bool creds_known;   /* creds and the user namespace were read */
        struct proc_creds creds;
        struct ns_set ns;
        bool has_cgroups;  /* a leader's cgroups were collected */
        bool cg_truncated; /* ...but not all of them fit */
        struct task_cgroup cgroups[TASK_ITER_CG_PATHS];
        size_t n_cgroups;
};

/* Parses the record at *offset of a stream and advances *offset. Returns
 * 1 with *ret filled, 0 at the end of the stream, -EBADMSG for anything
 * malformed (wrong version, sizes that do not add up, a cgroup entry that
 * does not tile, a name with '/' or none at all...). Pure. */
int task_iter_next(const uint8_t *data, size_t size, size_t *offset, struct task_record *ret);

/* The path of c as /proc/PID/cgroup prints it ("/" for the root,
 * "/a/b/c" otherwise), NUL-terminated. Returns its length or
 * -ENAMETOOLONG. Pure. */
int task_cgroup_path(const struct task_cgroup *c, char *buf, size_t size);
