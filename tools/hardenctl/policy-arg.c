/* SPDX-License-Identifier: MIT */
/* What the verbs that take SERVICE|FILE share: where profiles live and how
 * a command-line argument becomes a validated policy. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/policy-load.h"
#include "verbs.h"

const char *default_profiles_dir(void)
{
        struct stat st;

        if (stat("profiles", &st) == 0 && S_ISDIR(st.st_mode))
                return "profiles";
        return "/etc/hardend/profiles";
}

int parse_mode_arg(const char *verb, const char *arg)
{
        int mode = policy_mode_from_string(arg);

        if (mode < 0)
                fprintf(stderr, "hardenctl %s: --mode must be monitor or enforce, not '%s'\n", verb,
                        arg);
        return mode;
}

static bool looks_like_file(const char *arg)
{
        size_t n = strlen(arg);

        return strchr(arg, '/') || (n > 5 && strcmp(arg + n - 5, ".yaml") == 0) ||
               (n > 4 && strcmp(arg + n - 4, ".yml") == 0);
}

int load_policy_arg(const char *verb, const char *arg, const char *profiles_dir,
                    struct policy **ret)
{
        char path[4096];
        struct diag_list d;
        int r;

        if (looks_like_file(arg))
                snprintf(path, sizeof(path), "%s", arg);
        else if ((size_t)snprintf(path, sizeof(path), "%s/%s.yaml", profiles_dir, arg) >=
                 sizeof(path)) {
                fprintf(stderr, "hardenctl %s: profiles directory name too long\n", verb);
                return EXIT_USAGE;
        }
        if (diag_list_init(&d, path) < 0)
                return EXIT_ERROR;
        r = policy_load_file(path, &d, ret);
        if (r < 0) {
                if (r == -ENOENT && !looks_like_file(arg))
                        fprintf(stderr,
                                "hardenctl %s: no policy for service '%s' (looked for %s)\n", verb,
                                arg, path);
                else
                        diag_print(&d, stderr);
                diag_list_done(&d);
                return r == -ENOMEM ? EXIT_ERROR : EXIT_PROBLEMS;
        }
        diag_list_done(&d);
        return EXIT_OK;
}
