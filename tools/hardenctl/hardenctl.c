/* SPDX-License-Identifier: MIT */
/* hardenctl: the operator's command line. One verb per file; this file only
 * dispatches. */
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
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
    {"check", "[OPTIONS]", "what running containers and services run with, against their posture",
     verb_check},
    {"events", "[OPTIONS]", "seccomp and AppArmor events, attributed to workloads and services",
     verb_events},
};

static void usage(FILE *f)
{
        fprintf(f, "Usage: hardenctl VERB [ARGS...]\n\nVerbs:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                fprintf(f, "  %-9s %-34s %s\n", verbs[i].name, verbs[i].usage, verbs[i].summary);
        fprintf(f, "\nOptions: --help, --version\n");
}

int main(int argc, char **argv)
{
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
