/* SPDX-License-Identifier: MIT */
/* hardenctl's side of the control socket: which socket, one request and
 * its reply, and every way that can fail said to the operator once, in
 * words (no daemon, no permission, no answer, the daemon's own error). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "control/protocol.h"

#define DAEMON_SOCKET_DEFAULT "/run/hardend/control.sock"
#define DAEMON_SOCKET_ENV     "HARDEND_SOCKET"

/* How long a verb waits for its reply. status answers from memory; check,
 * events and reload read files or /proc; a mode switch (and a reload that
 * replaces profiles) may run apparmor_parser on a large profile. */
#define DAEMON_TIMEOUT_STATUS_MS 5000
#define DAEMON_TIMEOUT_READ_MS   15000
#define DAEMON_TIMEOUT_SWITCH_MS 60000
/* Connecting only waits while the daemon's backlog is full. */
#define DAEMON_CONNECT_TIMEOUT_MS 2000

/* --socket PATH (global, before the verb, or the verb's own): sets
 * HARDEND_SOCKET for this process and what it runs, and remembers that
 * the operator named a socket. -EINVAL for an empty path. */
int daemon_socket_set(const char *path);
/* daemon_socket_set for a verb's own --socket option: -EINVAL after
 * printing "hardenctl VERB: --socket needs a path". */
int daemon_socket_option(const char *verb, const char *path);
/* The socket to use: --socket, else $HARDEND_SOCKET, else the default. */
const char *daemon_socket_path(void);
/* --socket was given (on this command line). */
bool daemon_socket_explicit(void);
/* HARDEND_SOCKET is set and not empty (perhaps by --socket). */
bool daemon_socket_named(void);

/* Connects to the daemon. Returns the fd, or a negative errno after
 * printing why as "hardenctl VERB: ...". */
int daemon_connect(const char *verb);

/* Sends {"verb":..., "args": args} (args stolen; NULL for {}) with id 1
 * on fd and reads the reply. Returns 0 with *ret filled (ok or an error
 * reply; the caller calls protocol_response_done), or a negative errno
 * after printing why. */
int daemon_request(const char *verb, int fd, enum protocol_verb pv, json_t *args, int timeout_ms,
                   struct protocol_response *ret);

/* daemon_connect + daemon_request + close. Returns an EXIT_* status:
 * EXIT_OK with *ret filled, or EXIT_USAGE/EXIT_ERROR after printing. */
int daemon_call(const char *verb, enum protocol_verb pv, json_t *args, int timeout_ms,
                struct protocol_response *ret);

/* Reads the next frame of a following stream (after daemon_request got
 * its first reply on fd): 0 with *ret filled, -ENODATA when the daemon
 * closed the connection between frames (nothing printed), or another
 * negative errno after printing why. */
int daemon_read_next(const char *verb, int fd, int timeout_ms, struct protocol_response *ret);

/* For an error reply: prints "hardenctl VERB: ..." and returns the exit
 * status its code stands for: unknown-service and bad-args EXIT_USAGE,
 * refused EXIT_PROBLEMS, anything else EXIT_ERROR. */
int daemon_print_error(const char *verb, const struct protocol_response *r);

/* Prints a JSON value as one indented document and a newline. Returns an
 * EXIT_* status. */
int daemon_print_json(const json_t *v, bool pretty);

/* How a verb shows the daemon's answer. */
struct daemon_show {
        bool json;   /* the result as JSON ... */
        bool pretty; /* ... indented, else on one line */
        /* Otherwise the words for a person; < 0 when writing failed. */
        int (*render)(FILE *f, const json_t *result, const void *userdata);
        /* Optional: true when the result reports what makes the verb
         * exit EXIT_PROBLEMS. */
        bool (*problems)(const json_t *result, const void *userdata);
        /* Optional: what to say on stderr after the result. */
        void (*after)(const json_t *result);
        const void *userdata;
};

/* daemon_call, then: an error reply said (daemon_print_error's status),
 * or the result shown as show asks (EXIT_ERROR when writing fails;
 * EXIT_PROBLEMS when show->problems says so). Returns an EXIT_* status. */
int daemon_call_show(const char *verb, enum protocol_verb pv, json_t *args, int timeout_ms,
                     const struct daemon_show *show);

/* The options every daemon verb without its own takes: --json, --socket
 * PATH, --help. Returns -1 to go on (optind at the first operand), else
 * the exit status (help printed: EXIT_OK; a bad option: EXIT_USAGE). */
int daemon_verb_options(const char *verb, int argc, char **argv, void (*usage)(FILE *f),
                        bool *ret_json);
