/* SPDX-License-Identifier: MIT */
/* Observed file accesses -> proposed `apparmor.files` rules, the way
 * aa-logprof proposes them: kernel masks become policy letters, what the
 * policy already grants is dropped, what it denies is never proposed, and
 * files seen together are collapsed into one glob, a directory followed by
 * * (its files) or ** (everything below it), where that is safe
 * (docs/propose.md, "File rules from observed accesses").
 *
 * A pure function from arrays to arrays: no I/O, never logs. Bounded: at
 * most PATH_MERGE_ITEMS_MAX observations, paths of at most PATH_GLOB_MAX
 * bytes. Every proposed glob passes path_glob_validate(), so a proposal
 * never carries profile syntax: bytes a rule cannot hold are written '?'. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/macro.h"
#include "policy/policy.h"

#define PATH_MERGE_ITEMS_MAX         100000u
#define PATH_MERGE_MIN_FILES_DEFAULT 3u
/* The longest access: "rwlkm" and an exec mode ("rwlkmix"), and NUL. */
#define PATH_ACCESS_MAX 8

/* One observed access, borrowed from the caller. */
struct path_observed {
        const char *path; /* as the kernel named it (decoded: any bytes) */
        const char *mask; /* kernel notation: "r", "wc", "wrd", "x", "::r"... */
        uint64_t count;   /* events */
        size_t index;     /* the caller's, e.g. into its observation list */
};

/* A proposed rule. Strings and indexes are owned by struct path_merge. */
struct path_proposal {
        const char *glob;
        /* The rule's access after the change, canonical ("rwalkm" order,
         * then the exec mode; never both w and a). */
        char access[PATH_ACCESS_MAX];
        /* The letters this proposal adds: all of access for a new rule. */
        char added[PATH_ACCESS_MAX];
        /* glob is exactly the glob of apparmor.files[rule]: the proposal
         * adds letters to that rule instead of adding a rule. */
        bool extends;
        size_t rule;
        uint64_t count;        /* events of the observations it covers */
        size_t n_paths;        /* distinct observed paths it covers */
        const size_t *indexes; /* their path_observed.index, ascending, unique */
        size_t n_indexes;
        const char *reason; /* "12 files under /etc/app/ read (e.g. /etc/app/a.conf)" */
};

/* What became of one observation (same order as the input). Letters are
 * policy letters, canonical; "" when none. */
struct path_merge_item {
        char proposed[PATH_ACCESS_MAX]; /* needed and put in proposals[proposal] */
        char covered[PATH_ACCESS_MAX];  /* already granted by apparmor.files */
        char denied[PATH_ACCESS_MAX];   /* refused by apparmor.deny: never proposed */
        size_t proposal;                /* SIZE_MAX: none */
        size_t covered_by;              /* first apparmor.files rule granting; SIZE_MAX */
        size_t denied_by;               /* first apparmor.deny rule refusing; SIZE_MAX */
        const char *ignored; /* static text when the observation was unusable, else NULL */
};

struct path_merge {
        struct path_proposal *proposals; /* sorted by glob (strcmp), globs unique */
        size_t n_proposals;
        struct path_merge_item *items;
        size_t n_items;
        /* Backing store of the strings and indexes above (the indexes
         * share the block of items). */
        char *strings;
        size_t *indexes;
};

struct path_merge *path_merge_free(struct path_merge *m);
DEFINE_POINTER_CLEANUP(struct path_merge, path_merge_free)

/* Merges n observations against aa's files and deny rules (aa may be NULL:
 * no rules). min_files is the collapse threshold N (0: the default 3).
 * Returns 0; -E2BIG when n > PATH_MERGE_ITEMS_MAX; -EINVAL for a NULL obs
 * with n > 0 or min_files > PATH_MERGE_ITEMS_MAX; -ENOMEM. Unusable
 * observations are not errors: their item says why they were ignored. */
int path_merge(const struct path_observed *obs, size_t n, const struct policy_apparmor *aa,
               size_t min_files, struct path_merge **ret);

/* A kernel file mask as policy letters (canonical, exec as "ix").
 * Returns 0; -ENODATA when it asks for nothing ("", "::"); -EINVAL when it
 * is not a file mask ("send", "create", a byte the kernel never prints). */
int path_access_from_mask(const char *mask, char ret[PATH_ACCESS_MAX]);

/* Whether AppArmor would apply a policy glob to path: glob_match_path()
 * with the variables expanded as the system tunables define them (@{PROC}
 * @{pid} @{tid} @{HOME} @{run} @{sys}) and AppArmor's rule that a '*' or
 * '**' making up a whole path component matches at least one character
 * ("/tmp/" + "*" does not match "/tmp/"). False when the expanded glob is too
 * long to match (more than 1024 bytes), when the match would need more than
 * the first 64 combinations of multi-valued variables, or when glob is not
 * a policy glob. */
bool path_glob_match(const char *glob, const char *path);
