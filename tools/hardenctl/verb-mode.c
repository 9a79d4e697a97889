/* SPDX-License-Identifier: MIT */
/* hardenctl monitor SERVICE...|--all [--json] [--socket PATH]
 * hardenctl enforce SERVICE...|--all [--force] [--json] [--socket PATH]
 *
 * Switches services between monitor and enforce in the running hardend.
 * All or nothing: the daemon checks every named service first and changes
 * none when one is refused. Names are checked here first, so a typo never
 * reaches the daemon. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "verbs.h"

static void usage(FILE *f, const char *verb)
{
        bool enforce = strcmp(verb, "enforce") == 0;

        fprintf(f, "Usage: hardenctl %s SERVICE...|--all%s [--json] [--socket PATH]\n\n", verb,
                enforce ? " [--force]" : "");
        if (enforce)
                fprintf(f,
                        "Switches services to enforce: calls outside the seccomp allow list fail,\n"
                        "the AppArmor profile denies. Refused when a service had would-be denials\n"
                        "within the quiet period (hardend.yaml quiet_period) or its profile does\n"
                        "not compile; nothing changes then.\n\n");
        else
                fprintf(f, "Switches services to monitor: calls outside the allow list are logged\n"
                           "and allowed, the AppArmor profile complains.\n\n");
        fprintf(f, "  --all          every service hardend has a policy for\n");
        if (enforce)
                fprintf(f, "  --force        switch even after would-be denials in the quiet "
                           "period\n");
        fprintf(f, "  --json         the daemon's answer as one JSON document\n"
                   "  --socket PATH  the daemon's control socket (default $" DAEMON_SOCKET_ENV ",\n"
                   "                 else " DAEMON_SOCKET_DEFAULT ")\n"
                   "\n"
                   "A new seccomp filter applies to workloads started after the switch; running\n"
                   "ones keep theirs until restarted (hardenctl status marks them STALE).\n"
                   "\n"
                   "Exit status: 0 switched (or already there), 1 refused, 2 bad command line or\n"
                   "unknown service, 3 failed or no answer.\n");
}

/* {"services": [...]} or {"all": true}, plus "force". Names are checked
 * as the protocol will check them, so the operator hears of a typo
 * before anything is sent. */
static int build_args(const char *verb, char **names, int n, bool all, bool force, json_t **ret)
{
        json_t *args, *list;

        if (all && n > 0) {
                fprintf(stderr, "hardenctl %s: name services or give --all, not both\n", verb);
                return EXIT_USAGE;
        }
        if (!all && n == 0) {
                fprintf(stderr, "hardenctl %s: name the services to switch, or give --all\n", verb);
                return EXIT_USAGE;
        }
        if ((size_t)n > PROTOCOL_SERVICES_MAX) {
                fprintf(stderr, "hardenctl %s: at most %u services at once\n", verb,
                        PROTOCOL_SERVICES_MAX);
                return EXIT_USAGE;
        }
        for (int i = 0; i < n; i++) {
                if (!protocol_service_name_valid(names[i])) {
                        fprintf(stderr,
                                "hardenctl %s: '%s' is not a service name (1-63 of a-z 0-9 -, "
                                "starting with a letter)\n",
                                verb, render_escape(names[i]));
                        return EXIT_USAGE;
                }
                for (int k = 0; k < i; k++)
                        if (strcmp(names[k], names[i]) == 0) {
                                fprintf(stderr, "hardenctl %s: '%s' is named twice\n", verb,
                                        names[i]);
                                return EXIT_USAGE;
                        }
        }
        args = json_object();
        if (!args)
                goto oom;
        if (all) {
                if (json_object_set_new(args, "all", json_true()) < 0)
                        goto oom;
        } else {
                list = json_array();
                if (json_object_set_new(args, "services", list) < 0)
                        goto oom;
                for (int i = 0; i < n; i++)
                        if (json_array_append_new(list, json_string(names[i])) < 0)
                                goto oom;
        }
        if (force && json_object_set_new(args, "force", json_true()) < 0)
                goto oom;
        *ret = args;
        return EXIT_OK;
oom:
        json_decref(args);
        fprintf(stderr, "hardenctl %s: out of memory\n", verb);
        return EXIT_ERROR;
}

static int show_result(FILE *f, const json_t *result, const void *userdata)
{
        return render_mode_result(f, result);
}

static int verb_mode(int argc, char **argv, enum protocol_verb pv)
{
        static const struct option options[] = {
            {"all", no_argument, NULL, 'a'},  {"force", no_argument, NULL, 'f'},
            {"json", no_argument, NULL, 'j'}, {"socket", required_argument, NULL, 'S'},
            {"help", no_argument, NULL, 'h'}, {0},
        };
        const char *verb = protocol_verb_to_string(pv);
        bool all = false, force = false, json = false;
        json_t *args = NULL;
        int c, status;

        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'a':
                        all = true;
                        break;
                case 'f':
                        if (pv != PROTOCOL_VERB_ENFORCE) {
                                fprintf(stderr, "hardenctl %s: --force is for enforce only\n",
                                        verb);
                                return EXIT_USAGE;
                        }
                        force = true;
                        break;
                case 'j':
                        json = true;
                        break;
                case 'S':
                        if (daemon_socket_option(verb, optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'h':
                        usage(stdout, verb);
                        return EXIT_OK;
                default:
                        usage(stderr, verb);
                        return EXIT_USAGE;
                }
        status = build_args(verb, argv + optind, argc - optind, all, force, &args);
        if (status != EXIT_OK)
                return status;
        return daemon_call_show(
            verb, pv, args, DAEMON_TIMEOUT_SWITCH_MS,
            &(struct daemon_show){.json = json, .pretty = true, .render = show_result});
}

int verb_monitor(int argc, char **argv)
{
        return verb_mode(argc, argv, PROTOCOL_VERB_MONITOR);
}

int verb_enforce(int argc, char **argv)
{
        return verb_mode(argc, argv, PROTOCOL_VERB_ENFORCE);
}
