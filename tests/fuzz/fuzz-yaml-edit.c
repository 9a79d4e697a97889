/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the YAML text editor. The input is a document, a
 * NUL byte, then edits, four bytes each (operation, path, argument, index)
 * over paths taken from the document itself. Beyond "no crash, no leak, no
 * UB" it checks the editor's promises: every result reads again (the
 * result never fails with -EBADMSG), and a failed edit changes nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insight/yaml-edit.h"
#include "policy/yaml-tree.h"

#define MAX_PATHS 64
#define MAX_EDITS 8

static const char *const items[] = {
    "x",     "\"q z\"",  "path: /a\naccess: r", "[1, 2]", "{k: v}", "- a\n- b", "|\n  text",
    "a\n b", "'s'  # c", "k:\n  - v",
};
static const char *const values[] = {
    "1", "\"s\"", "[a, b]", "{}", "a, b", "[]", "x # c", "'q'",
};
static const char *const comments[] = {
    NULL, "why", "a\nb", "#", "", "\x01\xff", "x  # y",
};

struct paths {
        char *v[MAX_PATHS];
        size_t n;
};

/* The policy reader (it needs a diagnostics list). */
static int tree_parse(const char *text, size_t len, struct ynode **ret)
{
        struct diag_list d;
        int r;

        if (diag_list_init(&d, "fuzz") < 0)
                abort();
        r = yaml_tree_parse(text, len, &d, ret);
        diag_list_done(&d);
        return r;
}

static void add(struct paths *p, const char *prefix, const char *sep, const char *key)
{
        char *s;

        if (p->n >= MAX_PATHS || strpbrk(key, ".[]") || key[0] == '\0')
                return;
        if (asprintf(&s, "%s%s%s", prefix, prefix[0] ? sep : "", key) < 0)
                abort();
        p->v[p->n++] = s;
}

/* Every mapping value and sequence item, as an editor path. */
static void collect(struct paths *p, const struct ynode *n, const char *path)
{
        if (n->type == YNODE_MAPPING)
                for (size_t i = 0; i + 1 < n->n_child; i += 2) {
                        size_t at = p->n;

                        add(p, path, ".", n->child[i]->scalar);
                        if (p->n > at)
                                collect(p, n->child[i + 1], p->v[at]);
                }
        else if (n->type == YNODE_SEQUENCE && path[0])
                for (size_t i = 0; i < n->n_child && p->n < MAX_PATHS; i++) {
                        char *s;

                        if (asprintf(&s, "%s[%zu]", path, i) < 0)
                                abort();
                        p->v[p->n++] = s;
                        collect(p, n->child[i], s);
                }
}

static int apply(struct yaml_edit *e, const uint8_t *op, const struct paths *p)
{
        const char *path = p->v[op[1] % p->n];
        const char *comment = comments[op[3] % (sizeof(comments) / sizeof(*comments))];
        char missing[256];

        if (op[0] & 0x80) {
                snprintf(missing, sizeof(missing), "%s.%s", path, op[0] & 0x40 ? "new" : "n.m");
                path = missing;
        }
        switch (op[0] % 6) {
        case 0:
                return yaml_edit_seq_append(
                    e, path, items[op[2] % (sizeof(items) / sizeof(*items))], comment);
        case 1:
                return yaml_edit_seq_remove(e, path, op[2] % 8, comment);
        case 2:
                return yaml_edit_scalar_set(
                    e, path, values[op[2] % (sizeof(values) / sizeof(*values))], comment);
        case 3:
                return yaml_edit_map_set(
                    e, path, values[op[2] % (sizeof(values) / sizeof(*values))], comment);
        case 4:
                return yaml_edit_item_set(e, path, op[2] % 4, "k",
                                          values[op[2] % (sizeof(values) / sizeof(*values))],
                                          comment);
        default: {
                size_t n, i;
                const char *v;

                (void)yaml_edit_seq_len(e, path, &n);
                (void)yaml_edit_seq_find(e, path, op[2] & 1 ? "k" : NULL, "x", &i);
                (void)yaml_edit_seq_item(e, path, op[2] % 4, op[2] & 1 ? "k" : NULL, &v);
                return 0;
        }
        }
}

/* The edited text; NULL when the result is over the bounds, or when the
 * editor refused it because it would not read again (-EBADMSG: its
 * documented safety net for layouts an edit cannot splice; a proposal
 * then fails with a message instead of writing it). Aborts when a text it
 * does return does not read again. */
static char *result(const struct yaml_edit *e, size_t *len)
{
        struct ynode *root = NULL;
        char *text = NULL;
        int r = yaml_edit_result(e, &text, len);

        if (r == -E2BIG || r == -ENOMEM || r == -EBADMSG)
                return NULL;
        if (r < 0) {
                fprintf(stderr, "yaml_edit_result: %d\n", r);
                abort();
        }
        if (tree_parse(text, *len, &root) < 0) {
                fprintf(stderr, "result does not parse:\n%s\n", text);
                abort();
        }
        ynode_free(root);
        return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint8_t *nul = memchr(data, '\0', size);
        size_t doc_len = nul ? (size_t)(nul - data) : size;
        const uint8_t *ops = nul ? nul + 1 : data + size;
        size_t n_ops = (size - doc_len - (nul ? 1 : 0)) / 4;
        struct diag_list d;
        struct yaml_edit *e = NULL;
        struct ynode *root = NULL;
        struct paths p = {.n = 0};

        if (diag_list_init(&d, "fuzz") < 0)
                return 0;
        if (yaml_edit_new((const char *)data, doc_len, &d, &e) < 0) {
                diag_list_done(&d);
                return 0;
        }
        diag_list_done(&d);
        /* The editor reads what the policy reader reads. */
        if (tree_parse((const char *)data, doc_len, &root) < 0)
                abort();
        collect(&p, root, "");
        ynode_free(root);
        if (p.n == 0)
                add(&p, "", "", "k");

        for (size_t i = 0; i < n_ops && i < MAX_EDITS; i++) {
                size_t before_len = 0, after_len = 0;
                char *before = result(e, &before_len), *after;
                int r = apply(e, ops + 4 * i, &p);

                if (r < 0 && before) {
                        after = result(e, &after_len);
                        if (!after || after_len != before_len || memcmp(before, after, after_len)) {
                                fprintf(stderr, "a failed edit (%d) changed the text\n", r);
                                abort();
                        }
                        free(after);
                }
                free(before);
        }
        free(result(e, &(size_t){0}));
        for (size_t i = 0; i < p.n; i++)
                free(p.v[i]);
        yaml_edit_free(e);
        return 0;
}
