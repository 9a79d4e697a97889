/* SPDX-License-Identifier: MIT */
#include "policy-set.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "policy-load.h"

static int cmp_policy(const void *a, const void *b)
{
        const struct policy *x = *(const struct policy *const *)a;
        const struct policy *y = *(const struct policy *const *)b;

        return strcmp(x->service, y->service);
}

static bool is_policy_file(const char *name)
{
        size_t n = strlen(name);

        return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

int policy_set_load_dir(const char *dir, struct policy_set *set,
                        void (*on_invalid)(struct diag_list *d, void *userdata), void *userdata)
{
        _cleanup_(closedirp) DIR *d = opendir(dir);
        int invalid = 0;
        struct dirent *de;

        *set = (struct policy_set){0};
        if (!d)
                return negative_errno();
        while ((de = readdir(d))) {
                _cleanup_free_ char *path = NULL;
                struct diag_list diags;
                struct policy *p = NULL, **items;

                if (!is_policy_file(de->d_name))
                        continue;
                if (set->n + (size_t)invalid >= POLICY_SET_MAX)
                        return -E2BIG;
                if (asprintf(&path, "%s/%s", dir, de->d_name) < 0 ||
                    diag_list_init(&diags, path) < 0)
                        return -ENOMEM;
                if (policy_load_file(path, &diags, &p) < 0) {
                        invalid++;
                        if (on_invalid)
                                on_invalid(&diags, userdata);
                        diag_list_done(&diags);
                        continue;
                }
                diag_list_done(&diags);
                items = realloc(set->items, (set->n + 1) * sizeof(*items));
                if (!items) {
                        policy_free(p);
                        return -ENOMEM;
                }
                items[set->n++] = p;
                set->items = items;
        }
        if (set->n > 1)
                qsort(set->items, set->n, sizeof(*set->items), cmp_policy);
        return invalid;
}

const struct policy *policy_set_find(const struct policy_set *set, const char *service)
{
        for (size_t i = 0; i < set->n; i++)
                if (strcmp(set->items[i]->service, service) == 0)
                        return set->items[i];
        return NULL;
}

void policy_set_done(struct policy_set *set)
{
        for (size_t i = 0; i < set->n; i++)
                policy_free(set->items[i]);
        free(set->items);
        *set = (struct policy_set){0};
}
