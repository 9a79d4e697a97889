/* SPDX-License-Identifier: MIT */
/* The libseccomp filter of a rule set: built for export (<svc>.bpf and
 * <svc>.pfc, every architecture of the policy, aarch64 included) or for
 * loading on this machine (the native architecture and its compat ABIs:
 * x86_64 with x86 and x32). Binary-tree optimisation on, and in enforce
 * mode the kernel is asked to audit refusals too (SCMP_FLTATR_CTL_LOG). */
#pragma once

#include <seccomp.h>
#include <stddef.h>

#include "seccomp-rules.h"

static inline void seccomp_releasep(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}
#define _cleanup_seccomp_ _cleanup_(seccomp_releasep)

enum seccomp_target {
        SECCOMP_TARGET_EXPORT, /* every architecture the policy names */
        SECCOMP_TARGET_LOAD,   /* those this machine can run */
};

/* Returns 0, -EOPNOTSUPP when no architecture of the policy runs here
 * (TARGET_LOAD), or libseccomp's -errno (err says which rule). */
int seccomp_filter_build(const struct seccomp_ruleset *rs, enum seccomp_target target,
                         struct seccomp_error *err, scmp_filter_ctx *ret);

/* The POLICY_ARCH_* bits target builds; clears err (may be NULL). Returns
 * 0, -EOPNOTSUPP (as above), -EINVAL (the rule set names none). */
int seccomp_filter_arches(const struct seccomp_ruleset *rs, enum seccomp_target target,
                          struct seccomp_error *err, unsigned *ret);

/* The filter of one architecture, with badarch (a libseccomp action value)
 * for calls of any other. */
int seccomp_filter_build_arch(const struct seccomp_ruleset *rs, const struct seccomp_arch *arch,
                              enum seccomp_target target, uint32_t badarch,
                              struct seccomp_error *err, scmp_filter_ctx *ret);

/* The BPF program (struct sock_filter[], native byte order) and the
 * readable pseudo filter code, as libseccomp writes them. */
int seccomp_filter_export_bpf(scmp_filter_ctx ctx, char **ret_data, size_t *ret_size);
int seccomp_filter_export_pfc(scmp_filter_ctx ctx, char **ret_text, size_t *ret_size);

/* A memfd that several exports are appended to, then mapped once:
 * libseccomp writes at the descriptor's offset, so one file serves every
 * architecture a thread builds instead of one each. */
struct seccomp_export_sink {
        int fd;
        size_t size; /* bytes written so far */
        char *map;   /* once mapped */
        size_t map_size;
};

int seccomp_export_sink_open(struct seccomp_export_sink *s);
/* Unmaps (what _map() gave is gone) and closes. */
void seccomp_export_sink_close(struct seccomp_export_sink *s);
/* Append ctx's BPF program or PFC text; *ret_size is what this export
 * added. -EBUSY once mapped. */
int seccomp_export_sink_bpf(struct seccomp_export_sink *s, scmp_filter_ctx ctx, size_t *ret_size);
int seccomp_export_sink_pfc(struct seccomp_export_sink *s, scmp_filter_ctx ctx, size_t *ret_size);
/* Everything written, read-only and page-aligned (or "" when nothing was),
 * until close; no append after it. Returns 0 or -errno. */
int seccomp_export_sink_map(struct seccomp_export_sink *s, const char **ret_data);
/* size bytes at offset of what was written, into buf: 0, -EINVAL (out of
 * range), -EIO, -errno. */
int seccomp_export_sink_peek(const struct seccomp_export_sink *s, size_t offset, void *buf,
                             size_t size);

/* Sets no_new_privs and loads the filter into the calling thread. After
 * this the process is confined: the caller execs or exits. */
int seccomp_filter_apply(scmp_filter_ctx ctx);
