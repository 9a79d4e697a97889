/* SPDX-License-Identifier: MIT */
/* hardenctl groups [GROUP...]: what the @groups of the policy language mean. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strv.h"
#include "policy/syscall-groups.h"
#include "verbs.h"

static int collect(const char *name, void *userdata)
{
        char ***names = userdata;

        if (strv_contains(*names, name))
                return 0;
        return strv_extend(names, name);
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int verb_groups(int argc, char **argv)
{
        size_t n;
        const struct syscall_group *all = syscall_groups_all(&n);

        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                printf("Usage: hardenctl groups [@GROUP...]\n\nWithout arguments, lists the "
                       "syscall groups; with groups, the syscalls each contains.\n");
                return EXIT_OK;
        }
        if (argc < 2) {
                for (size_t i = 0; i < n; i++)
                        printf("%-16s %s\n", all[i].name, all[i].description);
                return EXIT_OK;
        }
        for (int i = 1; i < argc; i++) {
                const struct syscall_group *g = syscall_group_find(argv[i]);
                _cleanup_strv_free_ char **names = NULL;

                if (!g) {
                        fprintf(stderr, "hardenctl groups: unknown group '%s'\n", argv[i]);
                        return EXIT_PROBLEMS;
                }
                /* Nested groups share members: list each syscall once. */
                if (syscall_group_expand(g, collect, &names) < 0)
                        return EXIT_ERROR;
                qsort(names, strv_length(names), sizeof(char *), cmp_str);
                printf("%s: %s\n", g->name, g->description);
                STRV_FOREACH (name, names)
                        printf("  %s\n", *name);
        }
        return EXIT_OK;
}
