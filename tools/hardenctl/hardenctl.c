/* SPDX-License-Identifier: MIT */
/* hardenctl: the operator's command line. One verb per file; this file only
 * dispatches, after the global options. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
#include "daemon-client.h"
#include "verbs.h"

#ifndef HARDEND_VERSION
#define HARDEND_VERSION "0.1.0"
#endif

static const struct verb verbs[] = {
    {"validate", "[--print] FILE...",
     "check policies; print every problem as FILE:LINE:COL (--print: canonical form)",
     verb_validate},
    {"groups", "[GROUP...]", "list syscall groups, or the syscalls of the named groups",
     verb_groups},
    {"generate", "[OPTIONS] SERVICE|FILE...",
     "write <svc>.seccomp.json, .bpf, .pfc, .apparmor and the systemd drop-in", verb_generate},
    {"exec", "--service SVC [OPTIONS] -- CMD...",
     "run CMD in the service's box: no_new_privs, AppArmor profile, seccomp filter", verb_exec},
    {"apparmor", "SUBCOMMAND [OPTIONS] SERVICE...",
     "AppArmor profiles: render, compile, load, unload, status, exec", verb_apparmor},
    {"check", "[OPTIONS]",
     "what running containers and services run with, against their posture (here, or --daemon)",
     verb_check},
    {"events", "[OPTIONS]",
     "seccomp and AppArmor events, attributed to workloads and services (here, or --daemon)",
     verb_events},
    {"status", "[SERVICE] [--json]",
     "ask the running hardend: its health, each service's mode, profiles and workloads",
     verb_status},
    {"monitor", "SERVICE...|--all",
     "switch services to monitor (log, allow) in the running hardend", verb_monitor},
    {"enforce", "SERVICE...|--all [--force]",
     "switch services to enforce in the running hardend (refused after recent would-be denials)",
     verb_enforce},
    {"reload", "", "make the running hardend read its configuration and policies again",
     verb_reload},
    {"propose", "SERVICE [OPTIONS]",
     "a tighter policy from what the service was seen doing, as an explained diff", verb_propose},
    {"record", "SERVICE --duration D",
     "record what a service does under its recording profile, then propose", verb_record},
    {"report", "[OPTIONS]",
     "the reviewer's report: readiness, ranked denials, findings, proposal (text/md/html)",
     verb_report},
};

static void usage(FILE *f)
{
        fprintf(f, "Usage: hardenctl [--socket PATH] VERB [ARGS...]\n\nVerbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                fprintf(f, "  %-9s %-34s %s\n", verbs[i].name, verbs[i].usage, verbs[i].summary);
        fprintf(f, "\nOptions:\n"
                   "  --socket PATH  the running hardend's control socket, for the verbs that ask\n"
                   "                 it (default $" DAEMON_SOCKET_ENV
                   ", else " DAEMON_SOCKET_DEFAULT ")\n"
                   "  --help         this list; VERB --help tells about one verb\n"
                   "  --version\n");
}

int main(int argc, char **argv)
{
        /* Global options come before the verb. --socket is passed on as
         * HARDEND_SOCKET, so every verb (and what it runs) sees it. */
        while (argc >= 2 && strncmp(argv[1], "--socket", 8) == 0 &&
               (argv[1][8] == '\0' || argv[1][8] == '=')) {
                bool joined = argv[1][8] == '=';
                const char *path = joined ? argv[1] + 9 : argc >= 3 ? argv[2] : NULL;
                int shift = joined ? 1 : 2;

                if (daemon_socket_set(path) < 0) {
                        fprintf(stderr, "hardenctl: --socket needs a path\n");
                        return EXIT_USAGE;
                }
                argc -= shift;
                argv += shift;
        }
        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
                usage(stdout);
                return EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("hardenctl %s\n", HARDEND_VERSION);
                return EXIT_OK;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (strcmp(argv[1], verbs[i].name) == 0)
                        return verbs[i].run(argc - 1, argv + 1);
        fprintf(stderr, "hardenctl: unknown verb '%s' (see hardenctl --help)\n", argv[1]);
        return EXIT_USAGE;
}
