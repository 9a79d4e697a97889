/* SPDX-License-Identifier: MIT */
/* The effective seccomp rule set of a service: what its policy means once
 * groups are expanded, an imported base is merged and the mode is applied.
 * Every output (OCI JSON, BPF, PFC, systemd drop-in) is written from this
 * one structure, so they cannot disagree.
 *
 * Precedence, per syscall (first that applies wins):
 *   1. the guard list (syscall_is_guarded): always allowed;
 *   2. the policy's deny list: refused with the rule's errno (or the
 *      policy's), in every mode;
 *   3. the policy's argument conditions: allowed only when they hold;
 *   4. the policy's base group, allow list, and the unconditional allow
 *      rules of an imported base: allowed;
 *   5. the other rules of an imported base (conditional allows, and in
 *      enforce mode its errno/kill/trap/log rules);
 *   6. the default action: monitor = SCMP_ACT_LOG (allowed, audited);
 *      enforce = the policy's violation (errno, kill-process, kill-thread,
 *      trap).
 * Rules whose action equals the default are left out (libseccomp refuses
 * them and they change nothing).
 *
 * x86 multiplexers. On x86, socketcall(2) and ipc(2) carry the socket and
 * SysV IPC calls, their arguments behind a pointer. libseccomp ties every
 * rule on such a call to the multiplexer with the same action, and drops
 * the rule's argument checks there (seccomp cannot follow the pointer).
 * So:
 *   - an unconditional allow of socketcall/ipc is dropped when any call
 *     they carry is not allowed unconditionally (it would open what the
 *     policy closes); the calls the policy does allow still get through,
 *     by libseccomp's tie;
 *   - send and recv (SYS_SEND, SYS_RECV) take the rules of sendto and
 *     recvfrom, which the kernel runs for them;
 *   - argument-checked rules of multiplexed calls cannot be enforced on
 *     x86: the filters built here leave them out on x86 (the call is
 *     refused there: fail closed), and an enforce-mode OCI profile leaves
 *     x86 out of its architectures (the runtime's libseccomp would let the
 *     call through socketcall unchecked), see seccomp_ruleset_oci_arches().
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/macro.h"
#include "policy/policy.h"
#include "seccomp-names.h"
#include "seccomp-oci-import.h"

#define SECCOMP_RULE_MAX_ARGS 6
/* One syscall's conditions multiply out into at most this many rules. */
#define SECCOMP_MAX_RULES_PER_SYSCALL 1024
#define SECCOMP_MAX_RULES             65536

enum seccomp_origin {
        SECCOMP_ORIGIN_GUARD,     /* refusing it breaks every process */
        SECCOMP_ORIGIN_ALLOW,     /* the policy's base group or allow list */
        SECCOMP_ORIGIN_CONDITION, /* the policy's argument conditions */
        SECCOMP_ORIGIN_DENY,      /* the policy's deny list */
        SECCOMP_ORIGIN_IMPORTED,  /* a rule of the imported OCI base */
        SECCOMP_ORIGIN_MULTIPLEX, /* x86 socketcall/ipc, tied to their calls */
        _SECCOMP_ORIGIN_MAX,
};
const char *seccomp_origin_to_string(enum seccomp_origin o);

struct seccomp_arg_cmp {
        unsigned index; /* 0..5 */
        enum scmp_compare op;
        uint64_t value;     /* mask for SCMP_CMP_MASKED_EQ */
        uint64_t value_two; /* datum for SCMP_CMP_MASKED_EQ */
};

/* All comparisons must hold (AND); several rules for one syscall are
 * alternatives (OR). n_args == 0 is an unconditional rule. */
struct seccomp_rule {
        char *syscall;
        struct seccomp_action action;
        struct seccomp_arg_cmp args[SECCOMP_RULE_MAX_ARGS];
        unsigned n_args;
        enum seccomp_origin origin;
};

struct seccomp_ruleset {
        char *service;
        enum policy_mode mode;
        struct seccomp_action default_action; /* calls no rule matches */
        struct seccomp_action badarch_action; /* calls of an architecture not covered */
        unsigned arches;                      /* POLICY_ARCH_* bits */
        bool log_denials; /* enforce: audit refusals too (SECCOMP_FILTER_FLAG_LOG) */
        /* Sorted by syscall name; within one syscall the unconditional
         * rule (there is at most one) comes first. */
        struct seccomp_rule *rules;
        size_t n_rules;
        /* Names in the imported base that libseccomp knows on no
         * architecture at all (newer than libseccomp, or misspelt). */
        size_t n_unknown_names;
        /* x86 is covered and some call x86 multiplexes has an argument
         * check, which x86 cannot enforce (see above). */
        bool x86_mux_checks;
};

struct seccomp_rules_options {
        enum policy_mode mode;
        /* minKernel of an imported base is compared with this; 0 = the
         * running kernel. */
        uint32_t kernel_version;
};

/* Why a build failed, for the operator ("socket: the conditions multiply
 * out into 4096 rules, more than 1024"). */
struct seccomp_error {
        char text[256];
};

/* base: the imported profile when p->seccomp.base_kind is
 * SECCOMP_BASE_OCI (see seccomp_policy_load_base()), else NULL. Returns 0,
 * -EINVAL (the base is missing), -E2BIG (too many rules), -ENOMEM. */
int seccomp_ruleset_build(const struct policy *p, const struct oci_profile *base,
                          const struct seccomp_rules_options *o, struct seccomp_error *err,
                          struct seccomp_ruleset **ret);
struct seccomp_ruleset *seccomp_ruleset_free(struct seccomp_ruleset *rs);
DEFINE_POINTER_CLEANUP(struct seccomp_ruleset, seccomp_ruleset_free)
#define _cleanup_ruleset_ _cleanup_(seccomp_ruleset_freep)

/* The rules of one syscall: a pointer to the first (borrowed) and their
 * number, or NULL and 0 when the default action applies. */
const struct seccomp_rule *seccomp_ruleset_lookup(const struct seccomp_ruleset *rs,
                                                  const char *syscall, size_t *ret_n);
/* True when syscall is allowed whatever its arguments. */
bool seccomp_ruleset_allows(const struct seccomp_ruleset *rs, const char *syscall);

/* Whether a rule for name belongs in a filter for arches: name is a real
 * syscall there, or a call x86 multiplexes and x86 is among them. */
bool seccomp_name_applies(const char *name, unsigned arches);

/* The architectures an OCI profile of rs lists: rs->arches, less x86 in
 * enforce mode when x86_mux_checks (32-bit processes are then refused by
 * the runtime as a whole rather than let through socketcall unchecked). */
unsigned seccomp_ruleset_oci_arches(const struct seccomp_ruleset *rs);

/* Loads the imported base of a policy whose seccomp base is an OCI JSON
 * file: relative paths are resolved against the policy file's directory
 * (p->source), or the working directory for a policy read from a buffer.
 * *ret is NULL for other bases. */
int seccomp_policy_load_base(const struct policy *p, struct oci_error *err,
                             struct oci_profile **ret);
