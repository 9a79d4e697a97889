/* SPDX-License-Identifier: MIT */
/* Minimal edits of a YAML document's text: a proposal changes a
 * hand-written policy but keeps its comments, key order and layout, so the
 * document is never dumped again; its original text is spliced.
 *
 * libyaml's events give every node's span; edits are recorded as splices
 * against the original text and applied by yaml_edit_result(). The reader
 * has the bounds of policy/yaml-tree.h (size, depth, nodes, scalar length;
 * no anchors, aliases or second documents) and refuses what it cannot
 * splice safely: lone CR, NEL, LS and PS line breaks, UTF-16, NUL bytes,
 * tabs in a line's indentation outside multi-line scalars.
 * CRLF documents are handled: inserted lines end the way the document's
 * first line does.
 *
 * Paths are mapping keys from the root joined by dots, each optionally
 * followed by item indexes: "seccomp.allow", "seccomp.conditions[0].in",
 * "apparmor.signal[1].signals". Keys never contain '.', '[' or ']'.
 * Indexes always refer to the original document: appended items are not
 * addressable, and removing an item shifts nothing.
 *
 * What the text looks like after each edit is in docs (removals are
 * commented out in place, every changed line carries its reason as a
 * trailing comment). Errors: -EINVAL (bad path, wrong node type, invalid
 * YAML text passed in, layout the editor cannot splice), -ENOENT (missing),
 * -EEXIST, -EBUSY (the edit touches a span an earlier edit changed),
 * -E2BIG (text or result over the bounds), -ENOMEM. A failed edit changes
 * nothing. */
#pragma once

#include <stddef.h>

#include "base/diag.h"
#include "base/macro.h"

struct yaml_edit;

/* Parses size bytes of text (need not be NUL-terminated; copied). The
 * root must be a mapping. On bad YAML adds a located diagnostic to d (may
 * be NULL) and returns -EINVAL; -EFBIG over YAML_TREE_MAX_BYTES. */
int yaml_edit_new(const char *text, size_t size, struct diag_list *d, struct yaml_edit **ret);
struct yaml_edit *yaml_edit_free(struct yaml_edit *e);
DEFINE_POINTER_CLEANUP(struct yaml_edit, yaml_edit_free)

/* Appends an item to the sequence at path. item is the YAML text of the
 * item's content without "- " and without indentation, several lines for
 * a mapping item ("path: /etc/x\naccess: r"); the editor adds "- " and
 * lines continuation lines up under the content. comment (may be NULL)
 * goes after the item's first line as "  # comment" (newlines and control
 * characters become spaces). A flow sequence ("allow: []", "[a, b]") is
 * rewritten in block style, its items copied verbatim, so that each item
 * can carry a comment. A missing key is added at the end of its parent
 * mapping, parents created as needed (a new top-level section goes to the
 * end of the document); an empty value ("allow:") becomes the sequence.
 * Several appends to one sequence come out in call order. */
int yaml_edit_seq_append(struct yaml_edit *e, const char *path, const char *item,
                         const char *comment);

/* Removes item index of the sequence at path. Block style: the item's
 * lines are commented out in place ("# - bpf" at the item's indentation),
 * its own comments kept, "  # comment" added to its first line. Flow
 * style: rewritten in block style, the item as such a commented-out line.
 * When every item is removed and none appended, the key gets " []". */
int yaml_edit_seq_remove(struct yaml_edit *e, const char *path, size_t index, const char *comment);

/* Replaces the scalar or flow collection at path with value, one line of
 * YAML text (the caller quotes: "\"@default\"", "[AF_UNIX, AF_INET]").
 * With a comment, the line's trailing comment becomes
 * "# comment (was: OLD; OLD-COMMENT)", OLD being the replaced text (line
 * breaks folded, cut at 120 bytes) and OLD-COMMENT the comment it replaces,
 * if any; without one the line's comment stays as it is. -ENOENT if path
 * is missing (yaml_edit_map_set() adds a key). */
int yaml_edit_scalar_set(struct yaml_edit *e, const char *path, const char *value,
                         const char *comment);

/* yaml_edit_scalar_set() of key inside the mapping item index of the
 * sequence at seq_path: the `in:` of seccomp.conditions item 0 is
 * ("seccomp.conditions", 0, "in"). */
int yaml_edit_item_set(struct yaml_edit *e, const char *seq_path, size_t index, const char *key,
                       const char *value, const char *comment);

/* Adds the missing key at path with a one-line value ("key: value  #
 * comment"), at the end of its parent mapping, parents created as for
 * yaml_edit_seq_append(). -EEXIST if the key is there. */
int yaml_edit_map_set(struct yaml_edit *e, const char *path, const char *value,
                      const char *comment);

/* Number of items of the sequence at path in the original document: 0 for
 * a missing key or an empty value, -EINVAL for another kind of node. */
int yaml_edit_seq_len(const struct yaml_edit *e, const char *path, size_t *ret_n);

/* The scalar value (quotes resolved) of item index of the sequence at path
 * (key NULL), or of that item's key (a mapping item). Borrowed: valid until
 * yaml_edit_free(). -ENOENT if the item or key is missing, -EINVAL if the
 * node is not a scalar. */
int yaml_edit_seq_item(const struct yaml_edit *e, const char *path, size_t index, const char *key,
                       const char **ret_value);

/* Index of the first item whose scalar value (key NULL) or whose key's
 * scalar value is value: ("seccomp.deny", NULL, "bpf"), ("apparmor.files",
 * "path", "/etc/x"). Items of another shape are skipped. -ENOENT if none. */
int yaml_edit_seq_find(const struct yaml_edit *e, const char *path, const char *key,
                       const char *value, size_t *ret_index);

/* The original text with every edit applied (malloc'ed, NUL-terminated;
 * may be called again after more edits). The result is parsed again before
 * it is returned: -E2BIG if it exceeds the reader's bounds, -EBADMSG if it
 * is not valid YAML (an edit this document's layout does not allow). */
int yaml_edit_result(const struct yaml_edit *e, char **ret_text, size_t *ret_size);
