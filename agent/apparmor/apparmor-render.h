/* SPDX-License-Identifier: MIT */
/* Rendering a service policy as an AppArmor profile named hardend-<service>.
 *
 * The profile is built only from the policy's `apparmor` section and the
 * posture's capability set (the one place capabilities are declared). Every
 * value is checked again here before it is written, whatever the loader
 * already did: paths go out in double quotes and only when they pass the
 * path-glob grammar, words only from closed alphabets. A value that fails is
 * refused (-EINVAL, located in d), never escaped into something else.
 * The rendering rules are documented in docs/apparmor.md. Never logs. */
#pragma once

#include <stddef.h>

#include "base/diag.h"
#include "policy/policy.h"

#define APPARMOR_PROFILE_PREFIX "hardend-"
/* "hardend-" + a service name of at most 63 bytes + NUL. */
#define APPARMOR_PROFILE_NAME_MAX 72

/* A rendered profile. Owns everything below it. */
struct apparmor_profile {
        char *name; /* "hardend-api" */
        enum policy_mode mode;
        char *text; /* NUL-terminated profile text */
        size_t size;
        /* For each line of text (index = line - 1): the policy location the
         * line was rendered from, {0, 0} for lines of the renderer's own. */
        struct loc *line_locs;
        size_t n_lines;
};

struct apparmor_profile *apparmor_profile_free(struct apparmor_profile *p);
DEFINE_POINTER_CLEANUP(struct apparmor_profile, apparmor_profile_free)
#define _cleanup_apparmor_profile_ _cleanup_(apparmor_profile_freep)

/* Writes "hardend-<service>" into buf. Returns 0, or -EINVAL when service is
 * not a valid service name (the loader's rule: 1-63 bytes of a-z, 0-9 and
 * '-', starting with a letter, not ending with '-'), -ENOBUFS if buf is too
 * small. */
int apparmor_profile_name(const char *service, char *buf, size_t size);

/* The inverse: the service of a "hardend-<service>" profile name, borrowed
 * from name; NULL when name is not one of ours. */
const char *apparmor_profile_service(const char *name);

/* Renders p in mode (monitor: flags=(complain); enforce: no flags).
 * Returns 0; -EINVAL when a value of p cannot be rendered safely (each one
 * is reported in d at its policy location, d may be NULL); -ENOMEM.
 * *ret is written only on success. */
int apparmor_render(const struct policy *p, enum policy_mode mode, struct diag_list *d,
                    struct apparmor_profile **ret);

/* The policy location profile line `line` (1-based) was rendered from, or
 * NULL when the line is the renderer's own or out of range. */
const struct loc *apparmor_profile_line_loc(const struct apparmor_profile *prof, unsigned line);
