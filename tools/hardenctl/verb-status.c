/* SPDX-License-Identifier: MIT */
/* hardenctl status [SERVICE] [--json] [--socket PATH]
 *
 * What the running hardend says about itself and its services: sources,
 * losses, memory, AppArmor, the last scan; per service its mode, since
 * when and who set it, its AppArmor profile and seccomp artifact, and
 * which running workloads still carry the other mode's filter. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "base/time-util.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "verbs.h"

static void usage(FILE *f)
{
        fprintf(f, "Usage: hardenctl status [SERVICE] [--json] [--socket PATH]\n"
                   "\n"
                   "Asks the running hardend how it and its services are doing.\n"
                   "\n"
                   "  SERVICE        only this service (the agent's block is always shown)\n"
                   "  --json         the daemon's answer as one JSON document\n"
                   "  --socket PATH  the daemon's control socket (default $" DAEMON_SOCKET_ENV ",\n"
                   "                 else " DAEMON_SOCKET_DEFAULT ")\n"
                   "\n"
                   "Exit status: 0 answered, 2 bad command line or unknown service, 3 no answer\n"
                   "(hardend not running, not allowed, timed out).\n");
}

static int show_status(FILE *f, const json_t *result, const void *userdata)
{
        return render_status(f, result, now_realtime_usec());
}

int verb_status(int argc, char **argv)
{
        const char *service = NULL;
        json_t *args = NULL;
        bool json = false;
        int r;

        r = daemon_verb_options("status", argc, argv, usage, &json);
        if (r >= 0)
                return r;
        if (optind < argc)
                service = argv[optind++];
        if (optind < argc) {
                fprintf(stderr, "hardenctl status: one service at most, not also '%s'\n",
                        render_escape(argv[optind]));
                return EXIT_USAGE;
        }
        if (service && !protocol_service_name_valid(service)) {
                fprintf(stderr,
                        "hardenctl status: '%s' is not a service name (1-63 of a-z 0-9 -, "
                        "starting with a letter)\n",
                        render_escape(service));
                return EXIT_USAGE;
        }
        if (service && !(args = json_pack("{s:s}", "service", service))) {
                fprintf(stderr, "hardenctl status: out of memory\n");
                return EXIT_ERROR;
        }
        return daemon_call_show(
            "status", PROTOCOL_VERB_STATUS, args, DAEMON_TIMEOUT_STATUS_MS,
            &(struct daemon_show){.json = json, .pretty = true, .render = show_status});
}
