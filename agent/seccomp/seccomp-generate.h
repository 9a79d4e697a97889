/* SPDX-License-Identifier: MIT */
/* A service's seccomp outputs, end to end: the rule set, the OCI JSON
 * profile, the BPF program and its PFC text, the systemd drop-in; and the
 * filter `hardenctl exec` loads. The CLI, the golden tests and the
 * benchmark all go through here. */
#pragma once

#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "seccomp-oci-import.h"
#include "seccomp-rules.h"

struct seccomp_generate_options {
        enum policy_mode mode;
        /* Write SECCOMP_FILTER_FLAG_LOG into the JSON profile (enforce
         * mode only): for runtimes that accept seccomp flags. */
        bool runtime_flags;
        uint32_t kernel_version; /* 0 = the running kernel */
        /* Build the architectures on up to this many threads (0 or 1: the
         * caller's only). hardenctl asks for its CPUs; the daemon builds on
         * its one thread, so that its own filter needs no thread creation
         * and its memory stays in one malloc arena. */
        unsigned threads;
};

/* The threads worth asking for: the CPUs this thread may run on. */
unsigned seccomp_build_threads(void);

struct seccomp_artifacts {
        struct seccomp_ruleset *rules;
        char *json;
        size_t json_size;
        char *bpf;
        size_t bpf_size;
        char *pfc;
        size_t pfc_size;
        char *dropin;
        size_t dropin_size;
};

int seccomp_generate(const struct policy *p, const struct oci_profile *base,
                     const struct seccomp_generate_options *o, struct seccomp_error *err,
                     struct seccomp_artifacts *ret);
void seccomp_artifacts_done(struct seccomp_artifacts *a);

/* Writes <service>.seccomp.json, <service>.bpf, <service>.pfc and
 * <service>.service.d/hardend.conf under dirfd, each atomically (a reader
 * sees the old file or the new one, never half of one). */
int seccomp_artifacts_write(int dirfd, const char *service, const struct seccomp_artifacts *a);

/* The filter for this machine (native architecture and compat ABIs), for
 * loading into a process (libseccomp's merged program). */
int seccomp_policy_filter(const struct policy *p, const struct oci_profile *base,
                          enum policy_mode mode, struct seccomp_error *err, scmp_filter_ctx *ret);

/* The same filter as a linked BPF program (see seccomp-program.h), the
 * form the agent compares running filters with. */
int seccomp_policy_program(const struct policy *p, const struct oci_profile *base,
                           enum policy_mode mode, struct seccomp_error *err, char **ret_bpf,
                           size_t *ret_size);
