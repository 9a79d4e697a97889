/* SPDX-License-Identifier: MIT */
/* hardend's own privileges, given up right after start in one visible
 * place (the Linux version of OpenBSD's chroot + setresuid + pledge):
 *
 *   1. privileges_drop(): keep only the capabilities the work needs
 *      (bounding set too), clear the inheritable and ambient sets, lock
 *      SECBIT_NOROOT so that nothing hardend execs (apparmor_parser) gets
 *      a capability back by being root, and set no_new_privs. uid 0 stays:
 *      the state, runtime and seccomp directories are root's.
 *   2. privileges_confine(): load the seccomp filter built from the
 *      daemon's own policy (profiles/hardend.yaml) with the same code as
 *      every other service's: monitor mode logs calls outside the list,
 *      enforce mode refuses them with the policy's errno.
 *
 * The one thing the kernel allows only to a process that is NOT under
 * seccomp (PTRACE_SECCOMP_GET_FILTER) is done by the readback helper,
 * forked before these two steps (readback-helper.h).
 *
 * The capability lists are constants with a reason each; they are the
 * posture.capabilities of profiles/hardend.yaml (a test compares them). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "seccomp/seccomp-oci-import.h"
#include "seccomp/seccomp-rules.h"

#define PRIVILEGES_CAP(c) (UINT64_C(1) << (c))

struct privilege_cap {
        int cap;            /* CAP_* */
        const char *reason; /* what needs it */
};

/* Kept by the daemon for its whole life. */
extern const struct privilege_cap privileges_daemon[];
extern const size_t privileges_daemon_len;
/* Kept by the readback helper (and only there). */
extern const struct privilege_cap privileges_readback_helper[];
extern const size_t privileges_readback_helper_len;
/* Used during start-up, before the drop, and never again. */
extern const struct privilege_cap privileges_startup[];
extern const size_t privileges_startup_len;

uint64_t privileges_mask(const struct privilege_cap *caps, size_t n);

/* Makes the permitted and effective sets exactly keep & (what the process
 * has), the bounding set keep & (what it had), the inheritable and
 * ambient sets empty; locks SECBIT_NOROOT and SECBIT_NO_CAP_AMBIENT_RAISE;
 * sets no_new_privs. Needs CAP_SETPCAP unless the bounding set and the
 * securebits are already as wanted. *ret_missing (may be NULL) gets the
 * capabilities of keep the process did not have (they cannot be gained:
 * the caller says so). Returns 0, -EPERM (no CAP_SETPCAP), -errno. A
 * failure may leave some of the steps done: the caller exits. */
int privileges_drop(uint64_t keep, uint64_t *ret_missing);

/* Builds the seccomp filter of self (the daemon's own policy; base: its
 * imported OCI profile or NULL, see seccomp_policy_load_base()) in mode
 * and loads it into every thread of the process (TSYNC). no_new_privs
 * must already be set (privileges_drop()). Returns 0, -EPERM when
 * no_new_privs is off, or the filter builder's / seccomp_load()'s -errno
 * (err says which rule, when it was a rule). */
int privileges_confine(const struct policy *self, const struct oci_profile *base,
                       enum policy_mode mode, struct seccomp_error *err);

/* What the calling thread runs with, from proc_fd/thread-self/status
 * (the kernel's word, not our bookkeeping) and PR_GET_SECUREBITS. */
struct privileges_state {
        uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
        char *effective; /* effective set as libcap names, "AUDIT_READ MAC_ADMIN", owned */
        bool no_new_privs;
        int seccomp_mode; /* 0 none, 1 strict, 2 filter */
        unsigned seccomp_filters;
        unsigned securebits;
};

/* Returns 0, -EBADMSG (status does not parse), -errno. */
int privileges_state_read(int proc_fd, struct privileges_state *ret);
void privileges_state_done(struct privileges_state *s);
/* "AUDIT_READ DAC_READ_SEARCH" for a mask ("" for none). Caller frees. */
int privileges_mask_names(uint64_t mask, char **ret);
