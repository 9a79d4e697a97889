/* SPDX-License-Identifier: MIT */
/* The AppArmor confinement of a task, from attr/apparmor/current (or
 * attr/current on kernels without per-LSM attribute directories):
 * "unconfined", or "LABEL (MODE)" where LABEL may be a stack "a//&b".
 * A pure function from bytes to a struct. */
#pragma once

#include <stddef.h>

#define APPARMOR_LABEL_MAX 4096

enum apparmor_state {
        APPARMOR_UNAVAILABLE, /* no AppArmor in this kernel (or not readable) */
        APPARMOR_UNCONFINED,
        APPARMOR_CONFINED,
};

enum apparmor_mode {
        APPARMOR_MODE_NONE, /* unconfined or unavailable */
        APPARMOR_MODE_ENFORCE,
        APPARMOR_MODE_COMPLAIN,
        APPARMOR_MODE_KILL,
        APPARMOR_MODE_UNCONFINED, /* a profile in "unconfined" mode */
        APPARMOR_MODE_PROMPT,
        APPARMOR_MODE_MIXED, /* a stack whose members differ */
        _APPARMOR_MODE_MAX,
};

struct apparmor_label {
        enum apparmor_state state;
        enum apparmor_mode mode;
        char *label; /* owned; the profile (or stack) name; NULL unless confined */
};

/* Parses the attribute (trailing newline and NUL allowed). Returns 0 or
 * -EINVAL (empty, control characters, unknown mode) / -E2BIG. */
int apparmor_label_parse(const char *buf, size_t len, struct apparmor_label *ret);
void apparmor_label_done(struct apparmor_label *l);
const char *apparmor_mode_to_string(enum apparmor_mode m);
