/* SPDX-License-Identifier: MIT */
/* Checking a workload's processes against what its service's `posture`
 * section allows (or, for an unmatched container, against a baseline in
 * the spirit of the Kubernetes "restricted" Pod Security level), from
 * nothing but what the scan read in /proc. docs/posture.md lists every
 * check, its severity and why. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "apparmor-label.h"
#include "policy/policy.h"
#include "scan.h"
#include "workload.h"

enum severity {
        SEVERITY_INFO,
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        SEVERITY_CRITICAL,
        _SEVERITY_MAX,
};

const char *severity_to_string(enum severity s);
/* "info".."critical"; -EINVAL if unknown. */
int severity_from_string(const char *s);

enum check_id {
        CHECK_UNMATCHED,       /* no policy: checked against the baseline */
        CHECK_AMBIGUOUS,       /* several policies matched as strongly */
        CHECK_PRIVILEGED,      /* full bounding set, no seccomp, no MAC confinement */
        CHECK_CAPABILITY,      /* a capability the policy does not allow */
        CHECK_NO_NEW_PRIVS,    /* no_new_privs off */
        CHECK_SECCOMP,         /* no seccomp filter */
        CHECK_APPARMOR,        /* unconfined, wrong profile or mode, not available */
        CHECK_ROOTFS,          /* writable root filesystem */
        CHECK_WRITABLE_MOUNT,  /* a writable mount the policy does not list */
        CHECK_RUNTIME_SOCKET,  /* a container runtime's socket reachable inside */
        CHECK_FORBIDDEN_MOUNT, /* another forbidden host path reachable inside */
        CHECK_HOST_ROOT,       /* the host's root filesystem mounted in */
        CHECK_HOST_NAMESPACE,  /* a namespace shared with the host */
        CHECK_RUN_AS_ROOT,     /* baseline: effective uid 0 */
        CHECK_THREAD,          /* a thread runs with other credentials than its process */
        CHECK_INCOMPLETE,      /* part of /proc could not be read */
        CHECK_SECCOMP_FILTER,  /* the filter read back, against the service's */
        _CHECK_MAX,
};

const char *check_id_to_string(enum check_id c);

struct finding {
        enum severity severity;
        enum check_id check;
        char *subject; /* what it is about, stable for machines: "SYS_ADMIN", "/tmp", "net" */
        char *message; /* one line for people; values from /proc are escaped */
        pid_t pid;     /* a process that shows it (0 when not one in particular) */
};

/* What the workload must look like. */
struct posture_expect {
        const struct policy *policy; /* NULL: the baseline */
        uint64_t allowed_caps;
        bool no_new_privileges;
        bool read_only_rootfs;
        bool check_writable_mounts;
        const struct posture_mount *writable_mounts;
        size_t n_writable_mounts;
        const char *const *forbidden; /* plain host paths */
        size_t n_forbidden;
        unsigned host_ns_checked; /* POLICY_NS_* */
        unsigned host_ns_allowed;
        bool non_root;
        char apparmor_profile[80];        /* "hardend-<service>"; "" = any profile but unconfined */
        enum apparmor_mode apparmor_mode; /* NONE = any */
};

void posture_expect_from_policy(const struct policy *p, struct posture_expect *ret);
void posture_expect_baseline(struct posture_expect *ret);

/* What /proc proved about the workload as a whole (every process and odd
 * thread folded in): the exposure score is computed from this. */
struct posture_facts {
        uint64_t caps_bounding; /* union of CapBnd */
        uint64_t caps_held;     /* union of CapPrm | CapEff | CapAmb */
        bool full_bounding;     /* some process has every capability up to cap_last_cap */
        bool no_seccomp;
        bool no_new_privs_off;
        bool unconfined; /* no AppArmor confinement (unconfined or unavailable) */
        bool root_writable;
        bool runs_as_root; /* effective uid 0 as this /proc sees it */
        unsigned host_ns;  /* 1u << enum ns_type, shared with the host */
        bool runtime_socket;
        bool host_root;
        unsigned writable_disk_mounts; /* writable, not memory-backed, outside the allowed list */
        unsigned cap_last_cap;
};

struct posture_report {
        const struct workload *workload; /* borrowed */
        struct posture_expect expect;
        struct posture_facts facts;
        struct finding *findings; /* most severe first, then by check and subject */
        size_t n_findings;
        double score; /* 0.0 (nothing exposed) .. 10.0 */
        const char *rating;
};

/* Checks one workload. root_fd is the host's "/" (forbidden paths are
 * resolved there, symlinks included: /var/run/docker.sock is
 * /run/docker.sock), or -1 to take them as written. Returns 0 or -ENOMEM. */
int posture_check(const struct posture_scan *scan, const struct workload *w, int root_fd,
                  struct posture_report *ret);
void posture_report_done(struct posture_report *r);
/* Appends a finding (used for the seccomp read-back results too). */
int posture_report_add(struct posture_report *r, enum severity sev, enum check_id check, pid_t pid,
                       const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Sorts the findings: most severe first. */
void posture_report_sort(struct posture_report *r);
enum severity posture_report_worst(const struct posture_report *r);

/* Severity of holding capability cap (CAP_* number) that is not allowed. */
enum severity capability_severity(int cap);
/* "CHOWN", or "cap_41" for a bit libcap has no name for. */
const char *capability_name(int cap, char *buf, size_t size);
