/* SPDX-License-Identifier: MIT */
/* /proc/PID/stat: identity (pid, start time), comm, parent, flags.
 *
 * comm is whatever the process chose (prctl(PR_SET_NAME), the executable's
 * name): spaces, parentheses and newlines included. The only safe anchors
 * are the first " (" after the pid and the LAST ')' of the line; fields are
 * counted from there. A pure function from bytes to a struct. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* TASK_COMM_LEN is 16; kernel threads show up to 64 bytes (workqueue
 * names). Anything longer is not a stat line. */
#define PROC_COMM_MAX 64
/* A stat line is about 300 bytes; 4 KiB leaves room without trusting it. */
#define PROC_STAT_MAX  4096
#define PF_KTHREAD_BIT 0x00200000u

struct proc_stat {
        pid_t pid;
        char comm[PROC_COMM_MAX + 1]; /* raw bytes, NUL-terminated; see comm_len */
        size_t comm_len;
        char state;
        pid_t ppid;
        unsigned flags; /* PF_* */
        unsigned num_threads;
        uint64_t start_time; /* clock ticks after boot: with pid, the process's identity */
};

/* Parses one stat line (a trailing newline is allowed). Returns 0,
 * -EINVAL for anything malformed, or -E2BIG when longer than PROC_STAT_MAX
 * or comm longer than PROC_COMM_MAX. *ret is written only on success. */
int proc_stat_parse(const char *buf, size_t len, struct proc_stat *ret);

static inline bool proc_stat_is_kernel_thread(const struct proc_stat *s)
{
        return (s->flags & PF_KTHREAD_BIT) != 0;
}
