/* SPDX-License-Identifier: MIT */
/* hardenctl reload [--json] [--socket PATH]
 *
 * Makes the running hardend read hardend.yaml and the profiles again. A
 * file with an error changes nothing: the configuration, or that
 * service's last good profiles, stay in force. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "daemon-client.h"
#include "daemon-render.h"
#include "verbs.h"

static void usage(FILE *f)
{
        fprintf(f, "Usage: hardenctl reload [--json] [--socket PATH]\n"
                   "\n"
                   "Makes hardend read its configuration and the service policies again. An\n"
                   "invalid file changes nothing: the running configuration, or the service's\n"
                   "last good profiles, stay in force.\n"
                   "\n"
                   "  --json         the daemon's answer as one JSON document\n"
                   "  --socket PATH  the daemon's control socket (default $" DAEMON_SOCKET_ENV ",\n"
                   "                 else " DAEMON_SOCKET_DEFAULT ")\n"
                   "\n"
                   "Exit status: 0 reloaded, 1 the configuration or a policy is invalid, 2 bad\n"
                   "command line, 3 no answer.\n");
}

static int show_reload(FILE *f, const json_t *result, const void *userdata)
{
        return render_reload(f, result);
}

static bool reload_invalid(const json_t *result, const void *userdata)
{
        return render_reload_invalid(result);
}

int verb_reload(int argc, char **argv)
{
        static const struct option options[] = {
            {"json", no_argument, NULL, 'j'},
            {"socket", required_argument, NULL, 'S'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        bool json = false;
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'j':
                        json = true;
                        break;
                case 'S':
                        if (daemon_socket_option("reload", optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                fprintf(stderr, "hardenctl reload: unexpected argument '%s'\n",
                        render_escape(argv[optind]));
                return EXIT_USAGE;
        }
        return daemon_call_show(
            "reload", PROTOCOL_VERB_RELOAD, NULL, DAEMON_TIMEOUT_SWITCH_MS,
            &(struct daemon_show){
                .json = json, .pretty = true, .render = show_reload, .problems = reload_invalid});
}
