/* SPDX-License-Identifier: MIT */
/* hardend: the node agent. This entry point owns the process: options,
 * logging and exit status. This build validates the profiles directory
 * (--check, as ExecStartPre= and the DaemonSet's init container use it);
 * running as a service needs the agent loop, which is not in this build, so
 * hardend refuses to pretend: without --check it says so and exits 2. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy-set.h"

#ifndef HARDEND_VERSION
#define HARDEND_VERSION "0.1.0"
#endif
#define DEFAULT_PROFILES_DIR "/etc/hardend/profiles"

static void help(void)
{
        printf("Usage: hardend [--profiles DIR] [--check]\n\n"
               "  --profiles DIR  service policies (default " DEFAULT_PROFILES_DIR ")\n"
               "  --check         validate every policy and exit\n"
               "  --version       print the version\n");
}

static void report_invalid(struct diag_list *d, void *userdata)
{
        diag_print(d, stderr);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
            {"profiles", required_argument, NULL, 'p'},
            {"check", no_argument, NULL, 'c'},
            {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, 'V'},
            {0},
        };
        const char *profiles = DEFAULT_PROFILES_DIR;
        struct policy_set set;
        bool check = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "p:chV", options, NULL)) != -1)
                switch (c) {
                case 'p':
                        profiles = optarg;
                        break;
                case 'c':
                        check = true;
                        break;
                case 'h':
                        help();
                        return 0;
                case 'V':
                        printf("hardend %s\n", HARDEND_VERSION);
                        return 0;
                default:
                        return 2;
                }

        if (!check) {
                fprintf(stderr, "hardend: this build validates policies only (--check); the "
                                "agent loop is not part of it\n");
                return 2;
        }
        r = policy_set_load_dir(profiles, &set, report_invalid, NULL);
        if (r < 0) {
                fprintf(stderr, "hardend: cannot read profiles directory '%s': %s\n", profiles,
                        strerror(-r));
                return 1;
        }
        for (size_t i = 0; i < set.n; i++)
                printf("hardend: service %s: %s mode\n", set.items[i]->service,
                       policy_mode_to_string(set.items[i]->mode));
        printf("hardend: %zu valid, %d invalid polic%s in '%s'\n", set.n, r,
               set.n + (size_t)r == 1 ? "y" : "ies", profiles);
        bool none = set.n == 0;

        if (none && r == 0)
                fprintf(stderr, "hardend: no <service>.yaml policy in '%s': nothing to protect\n",
                        profiles);
        policy_set_done(&set);
        return r > 0 || none ? 1 : 0;
}
