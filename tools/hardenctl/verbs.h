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
int verb_generate(int argc, char **argv);
int verb_exec(int argc, char **argv);
int verb_apparmor(int argc, char **argv);
int verb_check(int argc, char **argv);
int verb_events(int argc, char **argv);
int verb_status(int argc, char **argv);
int verb_monitor(int argc, char **argv);
int verb_enforce(int argc, char **argv);
int verb_reload(int argc, char **argv);
int verb_propose(int argc, char **argv);
int verb_record(int argc, char **argv);
int verb_report(int argc, char **argv);

struct policy;
/* ./profiles when it exists, else /etc/hardend/profiles. */
const char *default_profiles_dir(void);
/* --mode's value as an enum policy_mode, or -EINVAL after saying why. */
int parse_mode_arg(const char *verb, const char *arg);
/* arg is a service name (loads PROFILES_DIR/NAME.yaml) or a policy file
 * (has a '/' or ends in .yaml/.yml). Prints every problem to stderr,
 * prefixed with "hardenctl VERB"; returns an EXIT_* status. */
int load_policy_arg(const char *verb, const char *arg, const char *profiles_dir,
                    struct policy **ret);

/* Exit statuses shared by every verb. */
enum {
        EXIT_OK = 0,
        EXIT_PROBLEMS = 1, /* the input was understood and is not acceptable */
        EXIT_USAGE = 2,    /* bad command line */
        EXIT_ERROR = 3,    /* could not do the work (I/O, memory) */
};
