/* SPDX-License-Identifier: MIT */
/* Reading Docker/OCI seccomp profiles (the JSON that docker, podman,
 * CRI-O, containerd and the kubelet load), so that a policy can start from
 * one: `seccomp: {base: /usr/share/containers/seccomp.json}`.
 *
 * The parser is a pure function from bytes to a struct: every size is
 * capped, every key is known (an unknown key is an error, not ignored: a
 * profile we do not fully understand is not one we can vouch for), and
 * every error names the JSON path of the offending value, e.g.
 * "syscalls[12].args[0].op: unknown operator 'SCMP_CMP_FOO'". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/macro.h"
#include "seccomp-names.h"

#define OCI_PROFILE_MAX_BYTES   (1024u * 1024u)
#define OCI_MAX_SYSCALL_ENTRIES 4096u
#define OCI_MAX_NAMES_PER_ENTRY 1024u
#define OCI_MAX_NAMES_TOTAL     16384u
#define OCI_MAX_NAME_LEN        64u
#define OCI_MAX_FILTER_ITEMS    64u
#define OCI_MAX_ARGS            6u

/* Flags a profile may carry (SECCOMP_FILTER_FLAG_*), as bits. */
enum oci_flag {
        OCI_FLAG_TSYNC = 1u << 0,
        OCI_FLAG_LOG = 1u << 1,
        OCI_FLAG_SPEC_ALLOW = 1u << 2,
        OCI_FLAG_NEW_LISTENER = 1u << 3,
        OCI_FLAG_TSYNC_ESRCH = 1u << 4,
        OCI_FLAG_WAIT_KILLABLE_RECV = 1u << 5,
};
const char *oci_flag_to_string(enum oci_flag f);

/* "includes" / "excludes" of a syscalls[] entry (Docker's Filter). */
struct oci_filter {
        int *caps; /* CAP_* numbers; -1 for a name libcap does not know */
        size_t n_caps;
        unsigned arches;     /* POLICY_ARCH_* bits named */
        bool other_arches;   /* named an architecture no policy targets */
        uint32_t min_kernel; /* kernel_version_make(); 0 = none */
};

struct oci_arg {
        unsigned index;
        enum scmp_compare op;
        uint64_t value;     /* the mask for SCMP_CMP_MASKED_EQ */
        uint64_t value_two; /* the value for SCMP_CMP_MASKED_EQ */
};

struct oci_syscall {
        char **names; /* owned, NULL-terminated, syntax-checked only */
        size_t n_names;
        struct seccomp_action action;
        struct oci_arg *args;
        size_t n_args;
        struct oci_filter includes;
        struct oci_filter excludes;
};

struct oci_profile {
        struct seccomp_action default_action;
        unsigned arches; /* POLICY_ARCH_* bits from architectures or archMap */
        unsigned flags;  /* enum oci_flag bits */
        struct oci_syscall *syscalls;
        size_t n_syscalls;
};

/* Where the parse failed: "syscalls[12].args[0].op: unknown operator ..."
 * or, for JSON syntax, "3:17: unexpected token near ']'" (line:column). */
struct oci_error {
        char text[640];
};

/* Parses size bytes (no NUL needed). Returns 0, -EFBIG when larger than
 * OCI_PROFILE_MAX_BYTES, -EINVAL for syntax or content errors,
 * -EOPNOTSUPP for valid Docker input the backend cannot honour (TRACE and
 * NOTIFY actions), -ENOMEM. err->text explains every failure. */
int oci_profile_parse(const char *data, size_t size, struct oci_error *err,
                      struct oci_profile **ret);
/* Reads at most OCI_PROFILE_MAX_BYTES of dirfd/path and parses it. */
int oci_profile_load(int dirfd, const char *path, struct oci_error *err, struct oci_profile **ret);
struct oci_profile *oci_profile_free(struct oci_profile *p);
DEFINE_POINTER_CLEANUP(struct oci_profile, oci_profile_free)
#define _cleanup_oci_profile_ _cleanup_(oci_profile_freep)

/* Kernel versions as comparable numbers: 10 bits per part. */
static inline uint32_t kernel_version_make(unsigned major, unsigned minor, unsigned patch)
{
        return (uint32_t)(major << 20 | minor << 10 | patch);
}
/* Parses "4.8", "5.10.12" or a uname release such as "6.18.44-fc-v769"
 * (only with allow_suffix). Returns 0 or -EINVAL. */
int kernel_version_parse(const char *s, bool allow_suffix, uint32_t *ret);
/* The running kernel's version, from uname(2). */
int kernel_version_running(uint32_t *ret);
