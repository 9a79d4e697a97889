/* SPDX-License-Identifier: MIT */
/* The `match:` section: how the agent recognises a service's processes. */
#include <string.h>

#include "base/path-glob.h"
#include "load-util.h"

#define MATCH_PATTERN_MAX 253

/* Container names, unit names and label values are compared with fnmatch(3):
 * printable ASCII, no '/' (names are not paths), bounded length. */
static bool pattern_valid(const char *s, bool allow_slash)
{
        size_t n = strlen(s);

        if (n == 0 || n > MATCH_PATTERN_MAX)
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c <= 0x20 || c >= 0x7f || (!allow_slash && c == '/'))
                        return false;
        }
        return true;
}

static void add_pattern(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_list *list = userdata;

        if (!pattern_valid(item->scalar, false)) {
                load_error(l, item,
                           "'%s' is not a valid name pattern (printable, no spaces or "
                           "'/', at most 253 bytes)",
                           item->scalar);
                return;
        }
        if (policy_list_add(list, item->scalar, item->loc) < 0)
                l->d->dropped++;
}

static void add_executable(struct loader *l, const struct ynode *item, void *userdata)
{
        struct policy_list *list = userdata;
        const char *reason;

        if (path_glob_validate(item->scalar, &reason) < 0) {
                load_error(l, item, "invalid executable path '%s': %s", item->scalar, reason);
                return;
        }
        if (policy_list_add(list, item->scalar, item->loc) < 0)
                l->d->dropped++;
}

static void load_labels(struct loader *l, const struct ynode *n)
{
        struct policy_match *m = &l->p->match;

        if (!expect_type(l, n, YNODE_MAPPING, "labels"))
                return;
        for (size_t i = 0; i < n->n_child; i += 2) {
                const struct ynode *k = n->child[i], *v = n->child[i + 1];
                struct policy_label *label;

                if (ynode_mapping_get(n, k->scalar) != v)
                        continue; /* duplicate, already reported */
                if (!pattern_valid(k->scalar, true)) {
                        load_error(l, k, "label key '%s' is not valid", k->scalar);
                        continue;
                }
                if (!expect_type(l, v, YNODE_SCALAR, k->scalar))
                        continue;
                if (!pattern_valid(v->scalar, true)) {
                        load_error(l, v, "label value '%s' is not a valid pattern", v->scalar);
                        continue;
                }
                label = ARRAY_GROW(m->labels, m->n_labels);
                if (!label) {
                        l->d->dropped++;
                        return;
                }
                label->key = strdup(k->scalar);
                label->value = strdup(v->scalar);
                label->loc = k->loc;
                if (!label->key || !label->value)
                        l->d->dropped++;
        }
}

static void load_container_names(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "container_names", add_pattern, &l->p->match.container_names);
}

static void load_units(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "units", add_pattern, &l->p->match.units);
}

static void load_executables(struct loader *l, const struct ynode *n)
{
        load_each_scalar(l, n, "executables", add_executable, &l->p->match.executables);
}

static const struct key_handler match_handlers[] = {
    {"labels", load_labels},
    {"container_names", load_container_names},
    {"units", load_units},
    {"executables", load_executables},
};

void load_match(struct loader *l, const struct ynode *n)
{
        const struct policy_match *m = &l->p->match;
        size_t errors = l->d->n;

        load_mapping(l, n, "match", match_handlers, ELEMENTSOF(match_handlers));
        if (l->d->n == errors && m->n_labels == 0 && m->container_names.n == 0 && m->units.n == 0 &&
            m->executables.n == 0)
                load_error(l, n,
                           "'match' must name at least one of labels, container_names, "
                           "units or executables");
}
