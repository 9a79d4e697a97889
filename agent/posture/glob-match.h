/* SPDX-License-Identifier: MIT */
/* Matching a path against the path globs of the policy language
 * (docs/policy.md, "Path globs"), as `match.executables` uses them:
 * '*' within one component, '**' across components, '?', [abc] and [^abc]
 * classes, {a,b} alternations. A glob with a variable (@{...}) matches
 * nothing here: the variables only mean something to AppArmor.
 * libc only, no allocation. */
#pragma once

#include <stdbool.h>

/* Work done by one match is capped (backtracking is bounded): a glob that
 * would need more gives false. */
#define GLOB_MATCH_BUDGET 200000

bool glob_match_path(const char *glob, const char *path);
