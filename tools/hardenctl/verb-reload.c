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
        bool json = false;
        int r;

        r = daemon_verb_options("reload", argc, argv, usage, &json);
        if (r >= 0)
                return r;
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
