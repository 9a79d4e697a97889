/* SPDX-License-Identifier: MIT */
/* hardenctl's verbs: one file each, dispatched from hardenctl.c. Each
 * returns the process exit status. */
#pragma once

struct verb {
        const char *name;
        const char *usage; /* arguments, for --help */
        const char *summary;
        int (*run)(int argc, char **argv);
};

int verb_validate(int argc, char **argv);
int verb_groups(int argc, char **argv);

/* Exit statuses shared by every verb. */
enum {
        EXIT_OK = 0,
        EXIT_PROBLEMS = 1, /* the input was understood and is not acceptable */
        EXIT_USAGE = 2,    /* bad command line */
        EXIT_ERROR = 3,    /* could not do the work (I/O, memory) */
};
