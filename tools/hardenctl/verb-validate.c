/* SPDX-License-Identifier: MIT */
/* hardenctl validate [--print] FILE... */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy-load.h"
#include "policy/policy-print.h"
#include "verbs.h"

int verb_validate(int argc, char **argv)
{
        static const struct option options[] = {
            {"print", no_argument, NULL, 'p'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        bool print = false;
        int c, status = EXIT_OK;

        optind = 1;
        while ((c = getopt_long(argc, argv, "ph", options, NULL)) != -1)
                switch (c) {
                case 'p':
                        print = true;
                        break;
                case 'h':
                        printf("Usage: hardenctl validate [--print] FILE...\n");
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "hardenctl validate: no policy file given\n");
                return EXIT_USAGE;
        }

        for (int i = optind; i < argc; i++) {
                _cleanup_policy_ struct policy *p = NULL;
                struct diag_list d;
                int r;

                if (diag_list_init(&d, argv[i]) < 0)
                        return EXIT_ERROR;
                r = policy_load_file(argv[i], &d, &p);
                if (r < 0) {
                        diag_print(&d, stderr);
                        status = EXIT_PROBLEMS;
                } else if (print) {
                        if (i > optind)
                                fputs("---\n", stdout);
                        if (policy_print(p, stdout) < 0)
                                status = EXIT_ERROR;
                } else
                        printf("%s: ok (service %s, mode %s)\n", argv[i], p->service,
                               policy_mode_to_string(p->mode));
                diag_list_done(&d);
        }
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        return status;
}
