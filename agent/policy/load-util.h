/* SPDX-License-Identifier: MIT */
/* Helpers the policy section loaders share: typed access to YAML nodes
 * that records a located diagnostic for every problem and keeps going, so
 * one run of `hardenctl validate` reports every problem in a file. */
#pragma once

#include <stdbool.h>

#include "base/diag.h"
#include "policy.h"
#include "yaml-tree.h"

struct loader {
        struct diag_list *d;
        struct policy *p;
        int dirfd; /* the policy file's directory, for relative paths */
        bool forbidden_mounts_given;
};

/* One key of a mapping section and what to do with its value. */
struct key_handler {
        const char *key;
        void (*load)(struct loader *l, const struct ynode *value);
};

_printf_(3, 4) void load_error(struct loader *l, const struct ynode *at, const char *fmt, ...);

/* Runs the handler of every key in mapping, reporting unknown keys with a
 * did-you-mean from the handler table. where names the section. */
void load_mapping(struct loader *l, const struct ynode *mapping, const char *where,
                  const struct key_handler *handlers, size_t n_handlers);

/* Reports unknown keys of an item mapping (e.g. a file rule), without
 * handlers: the caller reads the known ones with ynode_mapping_get(). */
bool check_keys(struct loader *l, const struct ynode *mapping, const char *where,
                const char *const *known, size_t n_known);

bool expect_type(struct loader *l, const struct ynode *n, enum ynode_type t, const char *what);
/* Returns a copy of a scalar's value, or NULL (diagnostic added). Empty
 * strings are refused unless allow_empty. */
char *load_string(struct loader *l, const struct ynode *n, const char *what, bool allow_empty);
bool load_bool(struct loader *l, const struct ynode *n, const char *what, bool *ret);
/* Scalar or list of scalars; each element is passed to fn. */
void load_each_scalar(struct loader *l, const struct ynode *n, const char *what,
                      void (*fn)(struct loader *l, const struct ynode *item, void *userdata),
                      void *userdata);
/* A list of mappings; each element is passed to fn. */
void load_each_mapping(struct loader *l, const struct ynode *n, const char *what,
                       void (*fn)(struct loader *l, const struct ynode *item, void *userdata),
                       void *userdata);

/* Unknown-name diagnostic with a did-you-mean from candidates. */
void report_unknown(struct loader *l, const struct ynode *at, const char *kind, const char *name,
                    const char *const *candidates, size_t n_candidates);

/* A short lower-case word: filesystem types (tmpfs, fuse.sshfs, 9p), mount
 * sources and options: [a-z0-9_.-], 1-32 characters. */
bool word_valid(const char *s);

/* Grows an array by one zeroed element; returns it or NULL on ENOMEM. */
void *array_grow(void **array, size_t *n, size_t size);
#define ARRAY_GROW(array, n)                                                                       \
        ((__typeof__(*(array)) *)array_grow((void **)&(array), &(n), sizeof(*(array))))

/* Section loaders. */
void load_match(struct loader *l, const struct ynode *n);
void load_seccomp(struct loader *l, const struct ynode *n);
void load_apparmor(struct loader *l, const struct ynode *n);
void load_posture(struct loader *l, const struct ynode *n);
/* Defaults that depend on whether a key was given at all. */
void posture_fill_defaults(struct loader *l);
/* Checks that need the whole seccomp section (allow vs deny, guards). */
void seccomp_check(struct loader *l);
