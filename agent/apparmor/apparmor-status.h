/* SPDX-License-Identifier: MIT */
/* What the kernel has loaded, and how a process is confined.
 *
 * Both sources are outside input: apparmorfs' profiles file ("NAME (MODE)"
 * per line) and /proc/PID/attr/apparmor/current ("LABEL (MODE)" or
 * "unconfined"). The parsers are pure functions over bytes with every size
 * capped (fuzzed by tests/fuzz/fuzz-apparmor-status.c); the readers take
 * the securityfs and proc roots as directory fds so that tests can hand
 * them fixture trees. Never logs. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "base/macro.h"

#define APPARMOR_PROFILES_MAX_BYTES (4u * 1024u * 1024u) /* the profiles file */
#define APPARMOR_PROFILES_MAX       65536u               /* entries kept */
#define APPARMOR_STATUS_LABEL_MAX   4096u                /* one name or label, bytes */
#define APPARMOR_STATUS_MODE_MAX    15u                  /* "complain", "enforce", ... */
#define APPARMOR_CURRENT_MAX_BYTES  (APPARMOR_STATUS_LABEL_MAX + APPARMOR_STATUS_MODE_MAX + 8u)

enum apparmor_profile_mode {
        APPARMOR_PROFILE_ENFORCE,
        APPARMOR_PROFILE_COMPLAIN,
        APPARMOR_PROFILE_KILL,
        APPARMOR_PROFILE_UNCONFINED,
        APPARMOR_PROFILE_USER,  /* "user": prompting, newer kernels */
        APPARMOR_PROFILE_MIXED, /* a stack of profiles in different modes */
        APPARMOR_PROFILE_OTHER, /* a mode word this code does not know */
        _APPARMOR_PROFILE_MODE_MAX,
};

const char *apparmor_profile_mode_to_string(enum apparmor_profile_mode m);

struct apparmor_loaded {
        char *name; /* owned */
        enum apparmor_profile_mode mode;
        char mode_name[APPARMOR_STATUS_MODE_MAX + 1]; /* as the kernel wrote it */
};

struct apparmor_loaded_list {
        struct apparmor_loaded *items;
        size_t n;
};
void apparmor_loaded_list_done(struct apparmor_loaded_list *l);
/* The entry named name, or NULL. */
const struct apparmor_loaded *apparmor_loaded_find(const struct apparmor_loaded_list *l,
                                                   const char *name);

/* Parses the profiles file: lines "NAME (MODE)", the name 1..LABEL_MAX
 * bytes without control bytes, the mode 1..MODE_NAME_MAX lower-case
 * letters. An empty input is an empty list. Returns 0; -EBADMSG for a
 * malformed line; -E2BIG past APPARMOR_PROFILES_MAX entries or
 * APPARMOR_PROFILES_MAX_BYTES; -ENOMEM. *ret is written only on success. */
int apparmor_profiles_parse(const char *data, size_t size, struct apparmor_loaded_list *ret);

/* Parses a process's confinement: "LABEL (MODE)" or "unconfined", an
 * optional final newline (and NUL padding). Returns 0 with *ret_label
 * (owned) and *ret_mode; -EBADMSG; -ENOMEM. */
int apparmor_current_parse(const char *data, size_t size, char **ret_label,
                           enum apparmor_profile_mode *ret_mode);

/* Reads and parses apparmor/profiles under securityfs_fd (normally an fd of
 * /sys/kernel/security). Returns as apparmor_profiles_parse, plus
 * -APPARMOR_ENOTAVAIL when there is no apparmor directory there, -errno. */
int apparmor_profiles_read(int securityfs_fd, struct apparmor_loaded_list *ret);

/* Reads PID/attr/apparmor/current under proc_fd (an fd of /proc), falling
 * back to PID/attr/current on kernels without the per-LSM directory.
 * Returns as apparmor_current_parse, plus -ESRCH when there is no such
 * process, -APPARMOR_ENOTAVAIL when no AppArmor answers, -errno. */
int apparmor_current_read(int proc_fd, pid_t pid, char **ret_label,
                          enum apparmor_profile_mode *ret_mode);
