/* SPDX-License-Identifier: MIT */
/* The service policy model: what profiles/<svc>.yaml says, validated.
 *
 * A `struct policy` owns every string and array below it. Every list item
 * remembers where it came from (struct loc) so that later checks can point
 * at the line; the canonical printer (policy-print.h) ignores locations.
 * The language itself is documented in docs/policy.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/macro.h"

enum policy_mode {
        POLICY_MODE_MONITOR,
        POLICY_MODE_ENFORCE,
        _POLICY_MODE_MAX,
};

/* What a call outside the allow list does in enforce mode. */
enum seccomp_violation {
        SECCOMP_VIOLATION_ERRNO,
        SECCOMP_VIOLATION_KILL_PROCESS,
        SECCOMP_VIOLATION_KILL_THREAD,
        SECCOMP_VIOLATION_TRAP,
        _SECCOMP_VIOLATION_MAX,
};

enum seccomp_base_kind {
        SECCOMP_BASE_NONE,  /* start from an empty allow list */
        SECCOMP_BASE_GROUP, /* a syscall group such as @system-service */
        SECCOMP_BASE_OCI,   /* an imported Docker/OCI JSON profile */
};

/* Target architectures a seccomp filter covers (bit set). */
enum policy_arch {
        POLICY_ARCH_X86_64 = 1u << 0,
        POLICY_ARCH_X86 = 1u << 1,
        POLICY_ARCH_X32 = 1u << 2,
        POLICY_ARCH_AARCH64 = 1u << 3,
        POLICY_ARCH_ALL = (1u << 4) - 1,
};

/* A name (syscall, group, pattern, path...) with its source position. */
struct policy_item {
        char *name;
        struct loc loc;
};

struct policy_list {
        struct policy_item *items;
        size_t n;
};

struct policy_label {
        char *key;
        char *value;
        struct loc loc;
};

/* How the agent recognises the service's processes. A workload matches when
 * any one of the listed criteria matches (they are alternatives). */
struct policy_match {
        struct policy_label *labels; /* container annotations/labels, key=value */
        size_t n_labels;
        struct policy_list container_names; /* fnmatch(3) patterns */
        struct policy_list units;           /* systemd unit names or patterns */
        struct policy_list executables;     /* absolute paths or globs */
};

/* A syscall refused in every mode, with its own errno (0 = the policy's). */
struct seccomp_deny {
        char *syscall;
        int errno_value;
        struct loc loc;
};

enum seccomp_cond_op {
        SECCOMP_COND_IN,      /* arg equals one of values */
        SECCOMP_COND_NONE_OF, /* none of the flag bits in values is set */
};

struct seccomp_value {
        uint64_t value;
        char *symbol; /* e.g. "AF_INET"; NULL when written as a number */
};

/* Narrows the allow list: the syscall is on it only when the condition
 * holds, whether or not a group or the allow list names it; several
 * conditions on one syscall must all hold. A call that fails the condition
 * is outside the allow list, like any other: logged in monitor mode,
 * refused in enforce mode. */
struct seccomp_condition {
        char *syscall;
        unsigned arg; /* 0..5 */
        enum seccomp_cond_op op;
        struct seccomp_value *values;
        size_t n_values;
        struct loc loc;
};

struct policy_seccomp {
        enum seccomp_base_kind base_kind;
        char *base; /* group name ("@system-service") or JSON path; NULL for none */
        struct loc base_loc;
        unsigned architectures;   /* enum policy_arch bits */
        struct policy_list allow; /* syscall names and @groups */
        struct seccomp_deny *deny;
        size_t n_deny;
        struct seccomp_condition *conditions;
        size_t n_conditions;
        int errno_value; /* returned on denial; default EPERM */
        enum seccomp_violation violation;
};

/* An AppArmor file rule: a path glob and access letters (r w a l k m and at
 * most one exec mode: ix px Px cx Cx). */
struct apparmor_file_rule {
        char *path;
        char *access;
        struct loc loc;
};

struct apparmor_network_rule {
        char *family; /* unix inet inet6 netlink packet */
        char *type;   /* stream dgram seqpacket raw; NULL = any */
        struct loc loc;
};

/* ptrace and signal rules share a shape: allowed accesses, an optional peer
 * profile (glob over profile names), and for signal the signal set. */
struct apparmor_peer_rule {
        struct policy_list access;
        struct policy_list signals; /* signal rules only; empty = all */
        char *peer;                 /* NULL = any peer */
        struct loc loc;
};

struct apparmor_mount_rule {
        char *fstype; /* NULL = any */
        char *source; /* NULL = any */
        char *target; /* path glob */
        struct policy_list options;
        struct loc loc;
};

struct policy_apparmor {
        bool include_base; /* #include <abstractions/base> */
        struct apparmor_file_rule *files;
        size_t n_files;
        struct apparmor_file_rule *deny;
        size_t n_deny;
        struct apparmor_network_rule *network;
        size_t n_network;
        struct apparmor_peer_rule *ptrace;
        size_t n_ptrace;
        struct apparmor_peer_rule *signal;
        size_t n_signal;
        struct apparmor_mount_rule *mount;
        size_t n_mount;
};

struct posture_capability {
        int cap;      /* CAP_* number */
        char *reason; /* why the service needs it; required */
        struct loc loc;
};

struct posture_mount {
        char *path;
        char *type; /* filesystem type; NULL = any */
        struct loc loc;
};

/* Host namespaces a workload may share (bit set). */
enum policy_ns {
        POLICY_NS_PID = 1u << 0,
        POLICY_NS_NET = 1u << 1,
        POLICY_NS_IPC = 1u << 2,
        POLICY_NS_UTS = 1u << 3,
        POLICY_NS_USER = 1u << 4,
        POLICY_NS_CGROUP = 1u << 5,
        POLICY_NS_MNT = 1u << 6,
};

struct policy_posture {
        struct posture_capability *capabilities; /* the complete allowed set */
        size_t n_capabilities;
        bool no_new_privileges;
        bool read_only_rootfs;
        struct posture_mount *writable_mounts;
        size_t n_writable_mounts;
        struct policy_list forbidden_mounts; /* plain paths, e.g. runtime sockets */
        unsigned host_namespaces;            /* enum policy_ns bits allowed */
};

struct policy {
        char *service;
        char *description;
        enum policy_mode mode;
        struct policy_match match;
        struct policy_seccomp seccomp;
        struct policy_apparmor apparmor;
        struct policy_posture posture;
        char *source; /* the file it was loaded from; NULL for a buffer */
};

struct policy *policy_new(void);
struct policy *policy_free(struct policy *p);
/* Turns p into its recording profile, in place: what `hardenctl record`
 * runs a service under so that everything it does is logged. The seccomp
 * allow list (base, allow, conditions) and the AppArmor allow rules
 * (files, network, signal, ptrace, mount) are emptied; deny lists, match
 * and posture stay; the mode becomes monitor (AppArmor complain). */
void policy_make_recording(struct policy *p);
DEFINE_POINTER_CLEANUP(struct policy, policy_free)
#define _cleanup_policy_ _cleanup_(policy_freep)

/* Appends a copy of name. Returns 0 or -ENOMEM. */
int policy_list_add(struct policy_list *l, const char *name, struct loc loc);
bool policy_list_contains(const struct policy_list *l, const char *name);
void policy_list_done(struct policy_list *l);

const char *policy_mode_to_string(enum policy_mode m);
int policy_mode_from_string(const char *s); /* -EINVAL if unknown */
const char *seccomp_violation_to_string(enum seccomp_violation v);
int seccomp_violation_from_string(const char *s);

/* Default forbidden mounts: the API sockets of every container runtime we
 * know. A policy that does not say otherwise gets these. */
extern const char *const posture_default_forbidden_mounts[];
extern const size_t posture_default_forbidden_mounts_len;

struct policy_namespace_name {
        unsigned bit;
        const char *name;
};
extern const struct policy_namespace_name policy_namespace_names[];
extern const size_t policy_namespace_names_len;

struct policy_arch_name {
        unsigned bit;
        const char *name;
};
extern const struct policy_arch_name policy_arch_names[];
extern const size_t policy_arch_names_len;
