/* SPDX-License-Identifier: MIT */
#include "yaml-tree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/macro.h"

struct builder {
        yaml_parser_t parser;
        struct diag_list *d;
        size_t nodes;
        size_t recoverable; /* problems reported that did not stop the parse */
        /* Open collections, innermost last. */
        struct ynode *stack[YAML_TREE_MAX_DEPTH + 1];
        size_t depth;
        struct ynode *root;
};

/* Points at the builder's parser once it is initialised. */
static void yaml_parser_deletep(yaml_parser_t **p)
{
        if (*p)
                yaml_parser_delete(*p);
}

static void yaml_event_deletep(yaml_event_t *e)
{
        yaml_event_delete(e);
}

static struct loc mark_loc(yaml_mark_t m)
{
        return (struct loc){.line = (unsigned)m.line + 1, .col = (unsigned)m.column + 1};
}

const char *ynode_type_name(enum ynode_type t)
{
        switch (t) {
        case YNODE_SCALAR:
                return "a scalar";
        case YNODE_SEQUENCE:
                return "a list";
        case YNODE_MAPPING:
                return "a mapping";
        default:
                return "a node";
        }
}

struct ynode *ynode_free(struct ynode *n)
{
        if (!n)
                return NULL;
        for (size_t i = 0; i < n->n_child; i++)
                ynode_free(n->child[i]);
        free(n->child);
        free(n->scalar);
        free(n);
        return NULL;
}

struct ynode *ynode_mapping_get(const struct ynode *n, const char *key)
{
        if (!n || n->type != YNODE_MAPPING)
                return NULL;
        for (size_t i = 0; i + 1 < n->n_child; i += 2)
                if (strcmp(n->child[i]->scalar, key) == 0)
                        return n->child[i + 1];
        return NULL;
}

static int append_child(struct ynode *parent, struct ynode *child)
{
        if (parent->n_child == parent->cap_child) {
                size_t cap = parent->cap_child ? parent->cap_child * 2 : 8;
                struct ynode **c = realloc(parent->child, cap * sizeof(*c));

                if (!c)
                        return -ENOMEM;
                parent->child = c;
                parent->cap_child = cap;
        }
        parent->child[parent->n_child++] = child;
        return 0;
}

/* Attaches a finished node to the open collection (or makes it the root).
 * Takes ownership of n in every case. */
static int attach(struct builder *b, struct ynode *n)
{
        struct ynode *parent;
        int r;

        if (b->depth == 0) {
                b->root = n;
                return 0;
        }
        parent = b->stack[b->depth - 1];
        if (parent->type == YNODE_MAPPING && parent->n_child % 2 == 0) {
                /* n is a key. */
                if (n->type != YNODE_SCALAR) {
                        diag_add(b->d, n->loc, "mapping keys must be plain names, not %s",
                                 ynode_type_name(n->type));
                        ynode_free(n);
                        return -EINVAL;
                }
                /* Reported, then kept (lookups find the first): the rest of
                 * the file is still checked. */
                for (size_t i = 0; i < parent->n_child; i += 2)
                        if (strcmp(parent->child[i]->scalar, n->scalar) == 0) {
                                diag_add(b->d, n->loc, "duplicate key '%s' (first at line %u)",
                                         n->scalar, parent->child[i]->loc.line);
                                b->recoverable++;
                                break;
                        }
        }
        r = append_child(parent, n);
        if (r < 0)
                ynode_free(n);
        return r;
}

static struct ynode *node_new(struct builder *b, enum ynode_type type, yaml_mark_t m)
{
        struct ynode *n;

        if (++b->nodes > YAML_TREE_MAX_NODES) {
                diag_add(b->d, mark_loc(m), "too many nodes (more than %u)", YAML_TREE_MAX_NODES);
                return NULL;
        }
        n = calloc(1, sizeof(*n));
        if (!n)
                return NULL;
        n->type = type;
        n->loc = mark_loc(m);
        return n;
}

static int on_scalar(struct builder *b, const yaml_event_t *e)
{
        const char *value = (const char *)e->data.scalar.value;
        size_t len = e->data.scalar.length;
        struct ynode *n;

        if (len > YAML_TREE_MAX_SCALAR)
                return diag_add(b->d, mark_loc(e->start_mark), "value is longer than %u bytes",
                                YAML_TREE_MAX_SCALAR),
                       -EINVAL;
        if (memchr(value, '\0', len))
                return diag_add(b->d, mark_loc(e->start_mark), "value contains a NUL byte"),
                       -EINVAL;
        n = node_new(b, YNODE_SCALAR, e->start_mark);
        if (!n)
                return -EINVAL;
        n->scalar = strndup(value, len);
        if (!n->scalar) {
                ynode_free(n);
                return -ENOMEM;
        }
        n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        return attach(b, n);
}

static int on_open(struct builder *b, const yaml_event_t *e, enum ynode_type type)
{
        struct ynode *n;

        if (b->depth >= YAML_TREE_MAX_DEPTH)
                return diag_add(b->d, mark_loc(e->start_mark), "nesting deeper than %u levels",
                                YAML_TREE_MAX_DEPTH),
                       -EINVAL;
        n = node_new(b, type, e->start_mark);
        if (!n)
                return -EINVAL;
        b->stack[b->depth++] = n;
        return 0;
}

static int on_close(struct builder *b)
{
        struct ynode *n = b->stack[--b->depth];

        return attach(b, n);
}

static int handle_event(struct builder *b, const yaml_event_t *e, bool *done)
{
        switch (e->type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_NO_EVENT:
                return 0;
        case YAML_DOCUMENT_START_EVENT:
                if (b->root)
                        return diag_add(b->d, mark_loc(e->start_mark),
                                        "more than one YAML document in the file"),
                               -EINVAL;
                return 0;
        case YAML_STREAM_END_EVENT:
                *done = true;
                return 0;
        case YAML_ALIAS_EVENT:
                return diag_add(b->d, mark_loc(e->start_mark),
                                "aliases ('*name') are not allowed here"),
                       -EINVAL;
        case YAML_SCALAR_EVENT:
                if (e->data.scalar.anchor)
                        goto anchor;
                return on_scalar(b, e);
        case YAML_SEQUENCE_START_EVENT:
                if (e->data.sequence_start.anchor)
                        goto anchor;
                return on_open(b, e, YNODE_SEQUENCE);
        case YAML_MAPPING_START_EVENT:
                if (e->data.mapping_start.anchor)
                        goto anchor;
                return on_open(b, e, YNODE_MAPPING);
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
                return on_close(b);
        default:
                return -EINVAL;
        }
anchor:
        return diag_add(b->d, mark_loc(e->start_mark), "anchors ('&name') are not allowed here"),
               -EINVAL;
}

int yaml_tree_parse(const char *data, size_t size, struct diag_list *d, struct ynode **ret_root)
{
        _cleanup_(yaml_parser_deletep) yaml_parser_t *parser = NULL;
        struct builder b = {.d = d};
        bool done = false;
        int r = 0;

        if (size > YAML_TREE_MAX_BYTES) {
                diag_add(d, (struct loc){0}, "file is larger than %u bytes", YAML_TREE_MAX_BYTES);
                return -EFBIG;
        }
        if (!yaml_parser_initialize(&b.parser))
                return -ENOMEM;
        parser = &b.parser;
        yaml_parser_set_input_string(parser, (const unsigned char *)data, size);

        while (!done) {
                _cleanup_(yaml_event_deletep) yaml_event_t event = {0};

                if (!yaml_parser_parse(parser, &event)) {
                        yaml_mark_t m = parser->problem_mark;

                        diag_add(d, mark_loc(m), "YAML syntax error: %s%s%s",
                                 parser->problem ? parser->problem : "unknown problem",
                                 parser->context ? " " : "",
                                 parser->context ? parser->context : "");
                        r = -EINVAL;
                        break;
                }
                r = handle_event(&b, &event, &done);
                if (r < 0)
                        break;
        }

        /* Free whatever was left half-built. */
        while (b.depth > 0)
                ynode_free(b.stack[--b.depth]);
        if (r < 0) {
                ynode_free(b.root);
                return r;
        }
        if (!b.root) {
                diag_add(d, (struct loc){0}, "the file is empty");
                return -EINVAL;
        }
        *ret_root = b.root;
        return b.recoverable > 0 ? 1 : 0;
}
