/* SPDX-License-Identifier: MIT */
/* A private hardend for tests: its own profiles, state, runtime and
 * seccomp directories under one temporary directory, started as the real
 * program (build/hardend) and talked to through its real control socket. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

struct tdaemon {
        char dir[64];
        char config[128];
        char profiles[128];
        char state[128];
        char seccomp[128];
        char runtime[128];
        char socket[160];
        char log[128];
        pid_t pid;
        /* A command to run hardend under (e.g. nsenter ...), NULL-ended;
         * empty: hardend itself. */
        const char *wrapper[8];
};

/* Creates the directories, copies every profiles/NAME.yaml and writes a
 * configuration with the directories and extra_config (YAML lines, may be
 * NULL). */
void tdaemon_setup(struct tdaemon *t, const char *extra_config);
/* Starts build/hardend and waits until its socket answers. */
void tdaemon_start(struct tdaemon *t);
/* SIGTERM and wait; returns the exit status (128 + signal if killed). */
int tdaemon_stop(struct tdaemon *t);
void tdaemon_kill9(struct tdaemon *t);
/* Stops it if running and removes the directory. */
void tdaemon_cleanup(struct tdaemon *t);
/* What the daemon logged (malloc'd). */
char *tdaemon_log(const struct tdaemon *t);

/* One request; args is JSON text or NULL. Returns the result (ok) or the
 * error object {code, message} (!ok); *ret_ok says which. Asserts that a
 * reply came. */
json_t *tdaemon_call(const struct tdaemon *t, const char *verb, const char *args, bool *ret_ok);
/* status' entry for service (borrowed from *ret_status, which the caller
 * decrefs). */
json_t *tdaemon_service(const struct tdaemon *t, const char *service, json_t **ret_status);
/* Runs build/hardenctl --socket <t's> args... (NULL-ended); returns its
 * exit status, its output in *out (malloc'd, may be NULL); its stderr is
 * printed when it fails. */
int tdaemon_hardenctl(const struct tdaemon *t, const char *const *args, char **out);
/* Writes a file under the test's directory (relative path). */
void tdaemon_write(const struct tdaemon *t, const char *relative, const char *text);
