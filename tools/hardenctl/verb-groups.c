/* SPDX-License-Identifier: MIT */
/* hardenctl groups [GROUP...]: what the @groups of the policy language mean. */
#include <stdio.h>

#include "policy/syscall-groups.h"
#include "verbs.h"

static int print_name(const char *name, void *userdata)
{
        printf("  %s\n", name);
        return 0;
}

int verb_groups(int argc, char **argv)
{
        size_t n;
        const struct syscall_group *all = syscall_groups_all(&n);

        if (argc < 2) {
                for (size_t i = 0; i < n; i++)
                        printf("%-16s %s\n", all[i].name, all[i].description);
                return EXIT_OK;
        }
        for (int i = 1; i < argc; i++) {
                const struct syscall_group *g = syscall_group_find(argv[i]);

                if (!g) {
                        fprintf(stderr, "hardenctl groups: unknown group '%s'\n", argv[i]);
                        return EXIT_PROBLEMS;
                }
                printf("%s: %s\n", g->name, g->description);
                syscall_group_expand(g, print_name, NULL);
        }
        return EXIT_OK;
}
