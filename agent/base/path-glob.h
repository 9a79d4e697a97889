/* SPDX-License-Identifier: MIT */
/* Validation of AppArmor-style path globs taken from policies, so that no
 * policy can inject profile syntax. libc only, never logs. */
#pragma once

#define PATH_GLOB_MAX 1024

/* Returns 0 when glob is an absolute path glob made only of what the
 * AppArmor backend renders verbatim inside double quotes: printable ASCII
 * except '"' and '\\', balanced {a,b} alternations and [...] classes,
 * '*', '**', '?', and the variables @{PROC} @{HOME} @{pid} @{tid} @{run}
 * @{sys}. On error returns -EINVAL and points *ret_reason at a static
 * explanation. */
int path_glob_validate(const char *glob, const char **ret_reason);

/* Plain absolute path (no glob characters), e.g. a mount point. */
int path_plain_validate(const char *path, const char **ret_reason);
