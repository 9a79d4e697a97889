/* SPDX-License-Identifier: MIT */
/* The effective seccomp filter of a workload: read back from its main
 * process, decided for every syscall of the process's architecture, and
 * compared with the filters the seccomp backend generates for the
 * workload's service in monitor and in enforce mode. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy/policy.h"
#include "posture-check.h"
#include "seccomp-decode.h"

struct seccomp_summary {
        bool applicable; /* the main process runs with a filter */
        int error;       /* -errno when the filter could not be read or decoded */
        pid_t pid;
        uint32_t arch;
        size_t filters;
        size_t total; /* syscalls of the architecture */
        size_t counts[_SECCOMP_VERDICT_MAX];
        size_t conditional;
        /* Against the service's generated filters (a matched workload). */
        bool compared;
        int compare_error; /* why no comparison: -errno */
        bool equals[2];    /* [POLICY_MODE_MONITOR], [POLICY_MODE_ENFORCE] */
        size_t n_differ[2];
        /* Allowed or logged here, refused by the enforce-mode filter. */
        size_t n_extra;
        char *extra[SECCOMP_DIFF_KEEP];
};

/* The BPF the seccomp backend generates for p in mode, for this machine,
 * as a chain of one program. Returns 0 or -errno (-EINVAL: the policy's
 * rules cannot be built; -ENOENT: its imported base is missing). */
int seccomp_expected_chain(const struct policy *p, enum policy_mode mode,
                           struct seccomp_chain *ret);

/* What the two chains decide differently is computed for `arch`. */
int seccomp_summarize(const struct seccomp_chain *running, uint32_t arch, const struct policy *p,
                      struct seccomp_summary *ret);
/* The same against p's expected chains already built (indexed by enum
 * policy_mode; NULL: built here): building them costs ~20 ms, which a
 * daemon scanning every minute keeps per service instead. */
int seccomp_summarize_against(const struct seccomp_chain *running, uint32_t arch,
                              const struct policy *p, const struct seccomp_chain *expected_chains,
                              struct seccomp_summary *ret);

/* Reads back and summarizes the filter of w's main process (proc_fd is the
 * proc root the scan used). Not applicable when it has no filter. */
int posture_seccomp_check(int proc_fd, const struct posture_scan *scan, const struct workload *w,
                          struct seccomp_summary *ret);
/* How a filter chain is read: seccomp_readback() itself, or a process that
 * can when the caller cannot (a caller under seccomp may not read filters
 * back: the agent asks its readback helper). Same contract as
 * seccomp_readback(). */
typedef int (*seccomp_reader_fn)(void *userdata, int proc_fd, pid_t pid, uint64_t start_time,
                                 struct seccomp_chain *ret);
/* seccomp_readback() itself as a reader (userdata unused). */
int seccomp_readback_reader(void *userdata, int proc_fd, pid_t pid, uint64_t start_time,
                            struct seccomp_chain *ret);
int posture_seccomp_check_with(int proc_fd, const struct posture_scan *scan,
                               const struct workload *w, seccomp_reader_fn reader, void *userdata,
                               struct seccomp_summary *ret);
/* posture_seccomp_check_with() against p's expected chains already built
 * (seccomp_summarize_against()). */
int posture_seccomp_check_against(int proc_fd, const struct posture_scan *scan,
                                  const struct workload *w, seccomp_reader_fn reader,
                                  void *userdata, const struct seccomp_chain *expected,
                                  struct seccomp_summary *ret);
/* Adds the findings the summary supports to r. */
int posture_seccomp_findings(const struct seccomp_summary *s, const struct policy *p,
                             struct posture_report *r);
void seccomp_summary_done(struct seccomp_summary *s);
