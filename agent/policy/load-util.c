/* SPDX-License-Identifier: MIT */
#include "load-util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"

void load_error(struct loader *l, const struct ynode *at, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                l->d->dropped++;
                return;
        }
        diag_add(l->d, at ? at->loc : (struct loc){0}, "%s", msg);
}

void report_unknown(struct loader *l, const struct ynode *at, const char *kind, const char *name,
                    const char *const *candidates, size_t n_candidates)
{
        const char *s = suggest_closest(name, candidates, n_candidates);

        if (s)
                load_error(l, at, "unknown %s '%s' (did you mean '%s'?)", kind, name, s);
        else
                load_error(l, at, "unknown %s '%s'", kind, name);
}

bool check_keys(struct loader *l, const struct ynode *mapping, const char *where,
                const char *const *known, size_t n_known)
{
        bool ok = true;

        for (size_t i = 0; i < mapping->n_child; i += 2) {
                const struct ynode *k = mapping->child[i];
                bool found = false;

                for (size_t j = 0; j < n_known && !found; j++)
                        found = strcmp(k->scalar, known[j]) == 0;
                if (!found) {
                        const char *s = suggest_closest(k->scalar, known, n_known);

                        if (s)
                                load_error(l, k, "unknown key '%s' in %s (did you mean '%s'?)",
                                           k->scalar, where, s);
                        else
                                load_error(l, k, "unknown key '%s' in %s", k->scalar, where);
                        ok = false;
                }
        }
        return ok;
}

void load_mapping(struct loader *l, const struct ynode *mapping, const char *where,
                  const struct key_handler *handlers, size_t n_handlers)
{
        const char *keys[32] = {NULL};

        if (!expect_type(l, mapping, YNODE_MAPPING, where))
                return;
        for (size_t j = 0; j < n_handlers && j < ELEMENTSOF(keys); j++)
                keys[j] = handlers[j].key;
        check_keys(l, mapping, where, keys, n_handlers);
        for (size_t i = 0; i < mapping->n_child; i += 2) {
                const char *key = mapping->child[i]->scalar;

                /* A duplicate key was reported by the YAML reader; the first
                 * one wins, as ynode_mapping_get() says. */
                if (ynode_mapping_get(mapping, key) != mapping->child[i + 1])
                        continue;
                for (size_t j = 0; j < n_handlers; j++)
                        if (strcmp(key, handlers[j].key) == 0)
                                handlers[j].load(l, mapping->child[i + 1]);
        }
}

bool expect_type(struct loader *l, const struct ynode *n, enum ynode_type t, const char *what)
{
        if (n->type == t)
                return true;
        load_error(l, n, "'%s' must be %s, not %s", what, ynode_type_name(t),
                   ynode_type_name(n->type));
        return false;
}

char *load_string(struct loader *l, const struct ynode *n, const char *what, bool allow_empty)
{
        char *s;

        if (!expect_type(l, n, YNODE_SCALAR, what))
                return NULL;
        if (!allow_empty && n->scalar[0] == '\0') {
                load_error(l, n, "'%s' must not be empty", what);
                return NULL;
        }
        s = strdup(n->scalar);
        if (!s)
                l->d->dropped++;
        return s;
}

bool load_bool(struct loader *l, const struct ynode *n, const char *what, bool *ret)
{
        if (!expect_type(l, n, YNODE_SCALAR, what))
                return false;
        /* Only YAML 1.2's two spellings: "yes", "on" and "1" are how typos
         * and the Norway problem slip in. */
        if (n->plain && strcmp(n->scalar, "true") == 0) {
                *ret = true;
                return true;
        }
        if (n->plain && strcmp(n->scalar, "false") == 0) {
                *ret = false;
                return true;
        }
        if (!n->plain)
                load_error(l, n, "'%s' must be true or false without quotes, not the string '%s'",
                           what, n->scalar);
        else
                load_error(l, n, "'%s' must be true or false, not '%s'", what, n->scalar);
        return false;
}

void load_each_scalar(struct loader *l, const struct ynode *n, const char *what,
                      void (*fn)(struct loader *l, const struct ynode *item, void *userdata),
                      void *userdata)
{
        if (n->type == YNODE_SCALAR) {
                if (n->scalar[0] != '\0')
                        fn(l, n, userdata);
                return;
        }
        if (!expect_type(l, n, YNODE_SEQUENCE, what))
                return;
        for (size_t i = 0; i < n->n_child; i++)
                if (expect_type(l, n->child[i], YNODE_SCALAR, what))
                        fn(l, n->child[i], userdata);
}

void load_each_mapping(struct loader *l, const struct ynode *n, const char *what,
                       void (*fn)(struct loader *l, const struct ynode *item, void *userdata),
                       void *userdata)
{
        /* "files:" with nothing after it is an empty list, as for scalars. */
        if (n->type == YNODE_SCALAR && n->plain && n->scalar[0] == '\0')
                return;
        if (!expect_type(l, n, YNODE_SEQUENCE, what))
                return;
        for (size_t i = 0; i < n->n_child; i++)
                if (expect_type(l, n->child[i], YNODE_MAPPING, what))
                        fn(l, n->child[i], userdata);
}

bool word_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 32)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                      strchr("_.-", s[i])))
                        return false;
        return true;
}

void *array_grow(void **array, size_t *n, size_t size)
{
        char *a = realloc(*array, (*n + 1) * size);

        if (!a)
                return NULL;
        memset(a + *n * size, 0, size);
        *array = a;
        return a + (*n)++ * size;
}
