/* SPDX-License-Identifier: MIT */
/* Loading and validating service policies (profiles/<svc>.yaml).
 *
 * Both functions either return a complete, valid model or nothing: every
 * problem found goes to d as "FILE:LINE:COL: message" and the result is
 * -EINVAL. They never write anything. */
#pragma once

#include <stddef.h>

#include "base/diag.h"
#include "policy.h"

#define POLICY_MAX_BYTES (256u * 1024u)

/* dirfd: where relative paths in the policy (an imported seccomp base) are
 * resolved; AT_FDCWD for the working directory. */
int policy_load_buffer(const char *data, size_t size, int dirfd, struct diag_list *d,
                       struct policy **ret);

/* Reads at most POLICY_MAX_BYTES of path; the service name must match the
 * file name (profiles/api.yaml says "service: api"). */
int policy_load_file(const char *path, struct diag_list *d, struct policy **ret);
