/* SPDX-License-Identifier: MIT */
/* Helpers the seccomp suites share: policies from inline YAML, rule sets
 * described as short strings for table-driven checks, the kernel's audit
 * multicast for live tests, and programs on PATH. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

#include "policy/policy.h"
#include "seccomp/seccomp-rules.h"

/* A valid policy from YAML text (the test fails on any diagnostic). */
struct policy *stest_policy(const char *yaml);

/* The rule set of yaml in mode (an imported base is read from its path;
 * give an absolute one). The kernel version for minKernel is fixed at 6.1. */
struct seccomp_ruleset *stest_rules(const char *yaml, enum policy_mode mode);

/* How the rule set treats one syscall, e.g. "default", "allow",
 * "errno ENOSYS", "allow if a0==2 | allow if a0&0x7e020000==0x0",
 * "allow if a0>=2". Caller frees. */
char *stest_describe(const struct seccomp_ruleset *rs, const char *syscall);

/* A NETLINK_AUDIT socket bound to AUDIT_NLGRP_READLOG, or -errno. */
int stest_audit_open(void);
/* Waits up to timeout_ms for a type 1326 (AUDIT_SECCOMP) record of
 * syscall number nr whose code= field starts with code_prefix (e.g.
 * "0x7ffc0000" for SECCOMP_RET_LOG), from pid (when > 0) and command comm
 * (when not NULL). Copies the record into buf. */
bool stest_audit_wait(int fd, pid_t pid, const char *comm, long nr, const char *code_prefix,
                      int timeout_ms, char *buf, size_t size);

/* Absolute path of an executable on PATH, or NULL. Static buffer. */
const char *stest_which(const char *name);
