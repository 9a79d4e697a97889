/* SPDX-License-Identifier: MIT */
/* A bounded YAML reader: libyaml's event stream turned into a small tree of
 * scalars, sequences and mappings that remember their positions.
 *
 * Policies and the agent's configuration are small hand-written files, so
 * the reader refuses what such files never need and attackers love: anchors
 * and aliases (alias bombs), more than one document, deep nesting, huge
 * scalars, too many nodes, duplicate mapping keys. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

#define YAML_TREE_MAX_BYTES  (256u * 1024u)
#define YAML_TREE_MAX_DEPTH  16u
#define YAML_TREE_MAX_NODES  20000u
#define YAML_TREE_MAX_SCALAR 4096u

enum ynode_type {
        YNODE_SCALAR,
        YNODE_SEQUENCE,
        YNODE_MAPPING,
};

struct ynode {
        enum ynode_type type;
        struct loc loc;
        char *scalar; /* SCALAR: the value, NUL-terminated */
        bool plain;   /* SCALAR: written without quotes */
        /* SEQUENCE: the items. MAPPING: keys and values interleaved,
         * child[2*i] is a scalar key and child[2*i+1] its value. */
        struct ynode **child;
        size_t n_child;
        size_t cap_child; /* allocated slots */
};

/* Parses data (size bytes, need not be NUL-terminated). Returns 0 and the
 * root node when the file is clean; 1 and the root node when it reported
 * problems that still leave a usable tree (duplicate keys: the first one
 * wins), so callers can check the rest of the file too. On a fatal problem
 * adds a located diagnostic to d and returns -EINVAL (or -ENOMEM, -EFBIG);
 * an empty document is an error. */
int yaml_tree_parse(const char *data, size_t size, struct diag_list *d, struct ynode **ret_root);

struct ynode *ynode_free(struct ynode *n);
DEFINE_POINTER_CLEANUP(struct ynode, ynode_free)

static inline size_t ynode_mapping_size(const struct ynode *n)
{
        return n->n_child / 2;
}

/* Value of key in a mapping, or NULL. */
struct ynode *ynode_mapping_get(const struct ynode *n, const char *key);

const char *ynode_type_name(enum ynode_type t);
