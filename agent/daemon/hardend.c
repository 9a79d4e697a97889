/* SPDX-License-Identifier: MIT */
/* hardend: the node agent. This entry point owns the process: options and
 * exit status. Without --check or --print-config it runs the agent
 * (daemon.h) in the foreground, as systemd (Type=notify) and Kubernetes
 * expect. --check validates the configuration and the profiles directory
 * (ExecStartPre=, the DaemonSet's init container); --print-config prints
 * the effective configuration. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "control/config.h"
#include "daemon.h"
#include "policy/policy-set.h"

#ifndef HARDEND_VERSION
#define HARDEND_VERSION "0.1.0"
#endif

static void help(void)
{
        printf("Usage: hardend [--config FILE] [--foreground]\n"
               "       hardend [--config FILE] [--profiles DIR] --check | --print-config\n\n"
               "Runs the agent: generates and loads every service's profiles, watches audit\n"
               "events and running workloads, and serves the control socket (hardenctl).\n\n"
               "  --config FILE   the configuration (default " CONFIG_DEFAULT_PATH ";\n"
               "                  every key has a default, the file may be missing)\n"
               "  --foreground    stay in the foreground (the default: systemd and\n"
               "                  Kubernetes supervise the process; hardend never forks away)\n"
               "  --profiles DIR  service policies (default: the configuration's profiles_dir)\n"
               "  --check         validate the configuration and every policy, and exit\n"
               "  --print-config  print the effective configuration, every key, and exit\n"
               "  --version       print the version\n");
}

/* The configuration: FILE, or the default path where a missing file means
 * every default. Problems are printed, located. */
static int load_config(const char *path, struct hardend_config *ret)
{
        struct diag_list d;
        int r;

        if (diag_list_init(&d, path ? path : CONFIG_DEFAULT_PATH) < 0)
                return -ENOMEM;
        r = config_load_file(path, &d, ret);
        diag_print(&d, stderr);
        diag_list_done(&d);
        return r;
}

static int run_agent(const char *config_path, const char *profiles)
{
        struct daemon *d = NULL;
        int r;

        r = daemon_new(config_path, profiles, &d);
        if (r < 0)
                return 1;
        r = daemon_run(d);
        daemon_free(d);
        return r < 0 ? 1 : 0;
}

static void report_invalid(struct diag_list *d, void *userdata)
{
        diag_print(d, stderr);
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
            {"config", required_argument, NULL, 'C'}, {"profiles", required_argument, NULL, 'p'},
            {"check", no_argument, NULL, 'c'},        {"print-config", no_argument, NULL, 'P'},
            {"foreground", no_argument, NULL, 'f'},   {"help", no_argument, NULL, 'h'},
            {"version", no_argument, NULL, 'V'},      {0},
        };
        const char *profiles = NULL, *config_path = NULL;
        struct hardend_config config;
        struct policy_set set;
        bool check = false, print_config = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "p:chV", options, NULL)) != -1)
                switch (c) {
                case 'C':
                        config_path = optarg;
                        break;
                case 'p':
                        profiles = optarg;
                        break;
                case 'c':
                        check = true;
                        break;
                case 'P':
                        print_config = true;
                        break;
                case 'f':
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

        if (optind < argc) {
                fprintf(stderr, "hardend: unexpected argument '%s'\n", argv[optind]);
                return 2;
        }
        if (!check && !print_config)
                return run_agent(config_path, profiles);
        r = load_config(config_path, &config);
        if (r < 0) {
                fprintf(stderr, "hardend: invalid configuration %s: nothing was changed\n",
                        config_path ? config_path : CONFIG_DEFAULT_PATH);
                return 1;
        }
        if (print_config)
                return config_print(&config, stdout) < 0 ? 1 : 0;
        printf("hardend: configuration %s: %s\n", config_path ? config_path : CONFIG_DEFAULT_PATH,
               r == 1 ? "not present, every default" : "valid");
        if (!profiles)
                profiles = config.profiles_dir;
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
