/* SPDX-License-Identifier: MIT */
/* hardenctl record SERVICE --duration D [--force] [--detach] [--accept-risky] [--json]
 *                  [--socket PATH]
 *
 * Puts SERVICE into its recording profile in the running hardend (monitor
 * mode with a minimal allow list: every call and access is logged) for D,
 * waits for the end, and shows the proposal made from the recording. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/time-util.h"
#include "control/config.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "insight/proposal.h"
#include "verbs.h"

struct record_args {
        const char *service;
        uint64_t duration_usec;
        bool force, detach, accept_risky, json;
};

static void usage(FILE *f)
{
        fprintf(f, "Usage: hardenctl record SERVICE --duration D [--force] [--detach]\n"
                   "                        [--accept-risky] [--json] [--socket PATH]\n"
                   "\n"
                   "Records what SERVICE does: hardend runs it under its recording profile\n"
                   "(monitor mode, nothing allowed beforehand, so every call and access is\n"
                   "logged) for D, then puts its own profiles back and proposes a policy from\n"
                   "the recording. Workloads take a seccomp filter when they start: start (or\n"
                   "restart) them after the recording begins.\n"
                   "\n"
                   "  --duration D     how long: \"90s\", \"10min\", \"2h\" (1s to 7 days)\n"
                   "  --force          record a service in enforce mode too (it stops being\n"
                   "                   enforced for D)\n"
                   "  --detach         start the recording and return; `hardenctl propose\n"
                   "                   SERVICE --recording` shows the proposal later\n"
                   "  --accept-risky   as for propose\n"
                   "  --json           the daemon's answers as JSON documents\n"
                   "  --socket PATH    hardend's control socket (default $" DAEMON_SOCKET_ENV
                   ", else\n"
                   "                   " DAEMON_SOCKET_DEFAULT ")\n"
                   "\n"
                   "Exit status: 0 recorded, 1 refused (see the message), 2 bad command line,\n"
                   "3 hardend did not answer.\n");
}

static int parse_args(int argc, char **argv, struct record_args *a)
{
        static const struct option options[] = {
            {"duration", required_argument, NULL, 'd'}, {"force", no_argument, NULL, 'f'},
            {"detach", no_argument, NULL, 'D'},         {"accept-risky", no_argument, NULL, 'r'},
            {"json", no_argument, NULL, 'j'},           {"socket", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},           {0},
        };
        int c;

        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 'd':
                        if (config_parse_duration(optarg, &a->duration_usec) < 0 ||
                            a->duration_usec < PROTOCOL_RECORD_MIN_USEC ||
                            a->duration_usec > PROTOCOL_RECORD_MAX_USEC) {
                                fprintf(stderr,
                                        "hardenctl record: --duration: '%s' is not a duration "
                                        "from 1s to 7 days\n",
                                        render_escape(optarg));
                                return EXIT_USAGE;
                        }
                        break;
                case 'f':
                        a->force = true;
                        break;
                case 'D':
                        a->detach = true;
                        break;
                case 'r':
                        a->accept_risky = true;
                        break;
                case 'j':
                        a->json = true;
                        break;
                case 'X':
                        if (daemon_socket_option("record", optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind + 1 != argc || !a->duration_usec) {
                fprintf(stderr, "hardenctl record: name one service and give --duration\n");
                return EXIT_USAGE;
        }
        a->service = argv[optind];
        return -1;
}

/* Asks a verb and keeps the result; EXIT_* with a printed error otherwise. */
static int call(enum protocol_verb verb, json_t *args, int timeout_ms, json_t **ret)
{
        struct protocol_response resp = {0};
        int r = daemon_call("record", verb, args, timeout_ms, &resp);

        if (r != EXIT_OK)
                return r;
        if (!resp.ok) {
                r = daemon_print_error("record", &resp);
                protocol_response_done(&resp);
                return r;
        }
        *ret = json_incref(resp.result);
        protocol_response_done(&resp);
        return EXIT_OK;
}

/* Whether the service's recording is still running, by its status. */
static int recording_active(const char *service, bool *ret)
{
        json_t *st = NULL, *svc;
        int r = call(PROTOCOL_VERB_STATUS, json_pack("{s:s}", "service", service),
                     DAEMON_TIMEOUT_STATUS_MS, &st);

        if (r != EXIT_OK)
                return r;
        svc = json_array_get(json_object_get(st, "services"), 0);
        *ret = !json_is_null(json_object_get(json_object_get(svc, "recording"), "active"));
        json_decref(st);
        return EXIT_OK;
}

int verb_record(int argc, char **argv)
{
        struct record_args a = {0};
        json_t *res = NULL, *prop = NULL;
        char end[96];
        bool active = true;
        int r;

        r = parse_args(argc, argv, &a);
        if (r >= 0)
                return r;
        r = call(PROTOCOL_VERB_RECORD,
                 json_pack("{s:s, s:I, s:b}", "service", a.service, "duration",
                           (json_int_t)a.duration_usec, "force", a.force),
                 DAEMON_TIMEOUT_SWITCH_MS, &res);
        if (r != EXIT_OK)
                return r;
        if (a.json)
                daemon_print_json(res, false);
        else
                printf("recording %s until %s (AppArmor %s); start its workloads now\n", a.service,
                       render_when(json_integer_value(json_object_get(res, "end")),
                                   now_realtime_usec(), end, sizeof(end)),
                       json_is_true(json_object_get(res, "apparmor")) ? "too" : "not available");
        json_decref(res);
        fflush(stdout);
        if (a.detach)
                return EXIT_OK;
        /* The daemon ends it on a timer; ask until it has. */
        sleep((unsigned)(a.duration_usec / 1000000u));
        for (int i = 0; i < 600 && active; i++) {
                r = recording_active(a.service, &active);
                if (r != EXIT_OK)
                        return r;
                if (active)
                        usleep(200 * 1000);
        }
        r = call(PROTOCOL_VERB_PROPOSE,
                 json_pack("{s:s, s:b, s:b}", "service", a.service, "recording", true,
                           "accept_risky", a.accept_risky),
                 DAEMON_TIMEOUT_READ_MS, &prop);
        if (r != EXIT_OK)
                return r;
        r = a.json ? daemon_print_json(prop, false)
                   : (proposal_print(stdout, prop) < 0 ? EXIT_ERROR : EXIT_OK);
        json_decref(prop);
        return r;
}
