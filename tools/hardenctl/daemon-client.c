/* SPDX-License-Identifier: MIT */
#include "daemon-client.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "control/control-client.h"
#include "daemon-render.h"
#include "verbs.h"

/* One request per connection, so one id is enough. */
#define REQUEST_ID 1

static bool socket_explicit;

int daemon_socket_set(const char *path)
{
        if (!path || !*path)
                return -EINVAL;
        if (setenv(DAEMON_SOCKET_ENV, path, 1) < 0)
                return -errno;
        socket_explicit = true;
        return 0;
}

int daemon_socket_option(const char *verb, const char *path)
{
        if (daemon_socket_set(path) < 0) {
                fprintf(stderr, "hardenctl %s: --socket needs a path\n", verb);
                return -EINVAL;
        }
        return 0;
}

const char *daemon_socket_path(void)
{
        const char *p = getenv(DAEMON_SOCKET_ENV);

        return p && *p ? p : DAEMON_SOCKET_DEFAULT;
}

bool daemon_socket_explicit(void)
{
        return socket_explicit;
}

bool daemon_socket_named(void)
{
        const char *p = getenv(DAEMON_SOCKET_ENV);

        return p && *p;
}

int daemon_connect(const char *verb)
{
        const char *path = daemon_socket_path();
        int fd = control_connect(path, DAEMON_CONNECT_TIMEOUT_MS);

        if (fd >= 0)
                return fd;
        switch (fd) {
        case -ENOENT:
        case -ENOTDIR:
                fprintf(stderr,
                        "hardenctl %s: hardend is not running (no socket at %s): start it, or "
                        "point --socket/" DAEMON_SOCKET_ENV " at it\n",
                        verb, render_escape(path));
                break;
        case -ECONNREFUSED:
                /* A socket file with nobody behind it: a daemon that died,
                 * or a file that is not a socket. */
                fprintf(stderr,
                        "hardenctl %s: hardend is not running (nothing listens on %s): start it, "
                        "or point --socket/" DAEMON_SOCKET_ENV " at it\n",
                        verb, render_escape(path));
                break;
        case -EACCES:
        case -EPERM:
                fprintf(stderr,
                        "hardenctl %s: permission denied on %s: the control socket is root's; "
                        "run as root, or (for status, events and check) as a member of the "
                        "read_group set in hardend.yaml\n",
                        verb, render_escape(path));
                break;
        case -ENAMETOOLONG:
                fprintf(stderr,
                        "hardenctl %s: socket path too long for a Unix socket (at most 107 "
                        "bytes): %s\n",
                        verb, render_escape(path));
                break;
        case -ETIMEDOUT:
                fprintf(stderr,
                        "hardenctl %s: hardend at %s accepts no connections (its queue stayed "
                        "full for %d s)\n",
                        verb, render_escape(path), DAEMON_CONNECT_TIMEOUT_MS / 1000);
                break;
        default:
                fprintf(stderr, "hardenctl %s: cannot connect to %s: %s\n", verb,
                        render_escape(path), strerror(-fd));
                break;
        }
        return fd;
}

/* Says why a request or a frame went wrong on the wire. */
static void print_transport_error(const char *verb, int r, int timeout_ms)
{
        switch (r) {
        case -ETIMEDOUT:
                fprintf(stderr, "hardenctl %s: hardend did not answer within %d s\n", verb,
                        timeout_ms / 1000);
                break;
        case -ENODATA:
        case -EPIPE:
        case -ECONNRESET:
                fprintf(stderr,
                        "hardenctl %s: hardend closed the connection without answering (did it "
                        "stop?)\n",
                        verb);
                break;
        case -EBADMSG:
                fprintf(stderr,
                        "hardenctl %s: hardend's reply is not a well-formed reply to this "
                        "request (a daemon of another version?)\n",
                        verb);
                break;
        case -EMSGSIZE:
                fprintf(stderr,
                        "hardenctl %s: a message is over the control protocol's size limit "
                        "(requests %u bytes, replies %u bytes)\n",
                        verb, PROTOCOL_REQUEST_MAX, PROTOCOL_RESPONSE_MAX);
                break;
        case -ENOMEM:
                fprintf(stderr, "hardenctl %s: out of memory\n", verb);
                break;
        default:
                fprintf(stderr, "hardenctl %s: talking to hardend: %s\n", verb, strerror(-r));
                break;
        }
}

int daemon_request(const char *verb, int fd, enum protocol_verb pv, json_t *args, int timeout_ms,
                   struct protocol_response *ret)
{
        json_t *req = control_request_new(REQUEST_ID, pv, args);
        int r;

        if (!req) {
                print_transport_error(verb, -ENOMEM, timeout_ms);
                return -ENOMEM;
        }
        r = control_call(fd, req, timeout_ms, ret);
        json_decref(req);
        if (r < 0)
                print_transport_error(verb, r, timeout_ms);
        return r;
}

int daemon_call(const char *verb, enum protocol_verb pv, json_t *args, int timeout_ms,
                struct protocol_response *ret)
{
        _cleanup_close_ int fd = daemon_connect(verb);

        if (fd < 0) {
                json_decref(args);
                return EXIT_ERROR;
        }
        return daemon_request(verb, fd, pv, args, timeout_ms, ret) < 0 ? EXIT_ERROR : EXIT_OK;
}

int daemon_read_next(const char *verb, int fd, int timeout_ms, struct protocol_response *ret)
{
        _cleanup_free_ char *buf = NULL;
        struct protocol_response resp;
        size_t len;
        int r;

        r = protocol_read_frame(fd, PROTOCOL_RESPONSE_MAX, timeout_ms, &buf, &len);
        if (r == -ENODATA)
                return r;
        if (r >= 0) {
                r = protocol_response_parse(buf, len, &resp);
                if (r == -EINVAL)
                        r = -EBADMSG;
        }
        if (r >= 0 && resp.id != REQUEST_ID && !(resp.id == PROTOCOL_ID_NONE && !resp.ok)) {
                protocol_response_done(&resp);
                r = -EBADMSG;
        }
        if (r < 0) {
                print_transport_error(verb, r, timeout_ms);
                return r;
        }
        *ret = resp;
        return 0;
}

/* The daemon's message, one line or several (a refusal lists each
 * service), indented under what it explains. */
static void print_message(const char *m)
{
        while (m && *m) {
                const char *nl = strchr(m, '\n');
                size_t n = nl ? (size_t)(nl - m) : strlen(m);
                _cleanup_free_ char *line = strndup(m, n);

                if (line && *line)
                        fprintf(stderr, "  %s\n", render_escape(line));
                m = nl ? nl + 1 : NULL;
        }
}

int daemon_print_error(const char *verb, const struct protocol_response *r)
{
        const char *code = r->error_code ? r->error_code : "?";
        const char *msg = r->error_message ? r->error_message : "";

        if (strcmp(code, "refused") == 0) {
                fprintf(stderr, "hardenctl %s: refused, nothing was changed:\n", verb);
                print_message(msg);
                return EXIT_PROBLEMS;
        }
        if (strcmp(code, "unknown-service") == 0) {
                bool changes = strcmp(verb, "monitor") == 0 || strcmp(verb, "enforce") == 0;

                fprintf(stderr, "hardenctl %s: unknown service%s:\n", verb,
                        changes ? ", nothing was changed" : "");
                print_message(msg);
                return EXIT_USAGE;
        }
        if (strcmp(code, "failed") == 0) {
                fprintf(stderr, "hardenctl %s: failed, the previous modes stay in force:\n", verb);
                print_message(msg);
                return EXIT_ERROR;
        }
        if (strcmp(code, PROTOCOL_E_NOT_AUTHORIZED) == 0) {
                fprintf(stderr, "hardenctl %s: not authorized by hardend:\n", verb);
                print_message(msg);
                return EXIT_ERROR;
        }
        if (strcmp(code, PROTOCOL_E_BAD_VERSION) == 0) {
                fprintf(stderr,
                        "hardenctl %s: hardend speaks another version of the control protocol "
                        "(this hardenctl speaks %d): use the hardenctl of the same release\n",
                        verb, PROTOCOL_VERSION);
                print_message(msg);
                return EXIT_ERROR;
        }
        fprintf(stderr, "hardenctl %s: hardend refused the request (%s):\n", verb,
                render_escape(code));
        print_message(msg);
        return strcmp(code, PROTOCOL_E_BAD_ARGS) == 0 ? EXIT_USAGE : EXIT_ERROR;
}

int daemon_print_json(const json_t *v, bool pretty)
{
        if (json_dumpf(v, stdout, pretty ? JSON_INDENT(2) : JSON_COMPACT) < 0 ||
            putchar('\n') == EOF || fflush(stdout) != 0)
                return EXIT_ERROR;
        return EXIT_OK;
}

int daemon_call_show(const char *verb, enum protocol_verb pv, json_t *args, int timeout_ms,
                     const struct daemon_show *show)
{
        struct protocol_response resp = {0};
        int status;

        status = daemon_call(verb, pv, args, timeout_ms, &resp);
        if (status != EXIT_OK)
                return status;
        if (!resp.ok)
                status = daemon_print_error(verb, &resp);
        else {
                if (show->json)
                        status = daemon_print_json(resp.result, show->pretty);
                else if (show->render(stdout, resp.result, show->userdata) < 0 ||
                         fflush(stdout) != 0)
                        status = EXIT_ERROR;
                if (status == EXIT_OK && show->problems &&
                    show->problems(resp.result, show->userdata))
                        status = EXIT_PROBLEMS;
                if (show->after)
                        show->after(resp.result);
        }
        protocol_response_done(&resp);
        return status;
}

int daemon_verb_options(const char *verb, int argc, char **argv, void (*usage)(FILE *f),
                        bool *ret_json)
{
        static const struct option options[] = {
            {"json", no_argument, NULL, 'j'},
            {"socket", required_argument, NULL, 'S'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        int c;

        *ret_json = false;
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'j':
                        *ret_json = true;
                        break;
                case 'S':
                        if (daemon_socket_option(verb, optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        return -1;
}
