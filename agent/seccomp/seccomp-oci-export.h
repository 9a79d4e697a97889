/* SPDX-License-Identifier: MIT */
/* Writing a rule set as a Docker/OCI seccomp profile (<svc>.seccomp.json):
 * defaultAction, defaultErrnoRet, architectures, optional flags, and
 * syscalls[] with names, action, errnoRet and args, so that docker,
 * podman, CRI-O, containerd and the kubelet load it unchanged.
 *
 * The writer is hand-made rather than jansson's: argument values are
 * unsigned 64-bit in the format and jansson's integers are signed. Every
 * string written is ours (syscall names libseccomp knows, fixed action
 * and operator names), and the tests read each output back with the
 * jansson-based importer. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "seccomp-rules.h"

/* with_log_flag: add "flags": ["SECCOMP_FILTER_FLAG_LOG"] when the rule
 * set asks for audited refusals (enforce mode). Only some runtimes accept
 * flags (runc 1.1 refuses any), see seccomp-runtime.h. The result is
 * NUL-terminated; *ret_size excludes the NUL. */
int seccomp_oci_export(const struct seccomp_ruleset *rs, bool with_log_flag, char **ret_json,
                       size_t *ret_size);
