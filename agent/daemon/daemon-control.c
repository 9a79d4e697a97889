/* SPDX-License-Identifier: MIT */
/* The control socket (docs/control.md): a Unix stream socket, each client
 * an sd-event source. Frames are read without blocking the loop: a
 * client's bytes accumulate until the frame is whole, against a deadline
 * for the frame as a whole (a peer that stalls or dribbles is dropped, it
 * cannot hold the loop or a slot). The length is checked before anything
 * is allocated. Replies are queued and written as the socket takes them;
 * a client is read again only once its reply is out (strict turns).
 *
 * A client following events gets a frame per batch (at most every
 * FOLLOW_BATCH_USEC); one that reads too slowly has events dropped and
 * counted in the next frame's "lost", rather than the agent buffering
 * without bound. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/time-util.h"
#include "control/control-client.h"
#include "daemon-log.h"
#include "daemon.h"
#include "events/event-print.h"

#define CLIENTS_MAX         64u
#define FRAME_DEADLINE_USEC (5u * 1000000u)
#define FOLLOW_BATCH_USEC   (200u * 1000u)
#define FOLLOW_BATCH_MAX    512u
/* Replies queued for a follower beyond this are not added to. */
#define FOLLOW_BACKLOG_MAX (4u * 1024u * 1024u)

struct client {
        struct client *next, *prev;
        struct daemon *d;
        int fd;
        sd_event_source *io, *deadline, *batch_timer;
        struct peer peer;
        unsigned char header[PROTOCOL_FRAME_HEADER];
        size_t header_got;
        char *body;
        size_t body_len, body_got;
        char *out;
        size_t out_len, out_off;
        bool close_after_write;
        /* events --follow */
        bool following;
        uint64_t follow_id;
        char service[PROTOCOL_SERVICE_NAME_MAX + 1];
        uint64_t since_usec;
        json_t *batch;
        uint64_t lost;
};

static void client_free(struct client *c)
{
        struct daemon *d = c->d;

        if (c->prev)
                c->prev->next = c->next;
        else
                d->clients = c->next;
        if (c->next)
                c->next->prev = c->prev;
        d->n_clients--;
        if (c->following)
                d->n_followers--;
        sd_event_source_disable_unref(c->io);
        sd_event_source_disable_unref(c->deadline);
        sd_event_source_disable_unref(c->batch_timer);
        if (c->fd >= 0)
                close(c->fd);
        peer_done(&c->peer);
        free(c->body);
        free(c->out);
        json_decref(c->batch);
        free(c);
}

static bool pending_output(const struct client *c)
{
        return c->out_off < c->out_len;
}

/* What the client's socket is watched for: output while a reply is
 * queued, else input (a follower's input is only its hang-up). */
static void update_events(struct client *c)
{
        (void)sd_event_source_set_io_events(c->io, pending_output(c) ? EPOLLOUT : EPOLLIN);
}

static int queue(struct client *c, char *framed, size_t len)
{
        if (c->out_off == c->out_len) {
                free(c->out);
                c->out = framed;
                c->out_len = len;
                c->out_off = 0;
        } else {
                char *n = realloc(c->out, c->out_len + len);

                if (!n) {
                        free(framed);
                        return -ENOMEM;
                }
                memcpy(n + c->out_len, framed, len);
                c->out = n;
                c->out_len += len;
                free(framed);
        }
        update_events(c);
        return 0;
}

static int reply_error(struct client *c, uint64_t id, const char *code, const char *message)
{
        char *framed;
        size_t len;
        int r = protocol_reply_error(id, code, message, &framed, &len);

        return r < 0 ? r : queue(c, framed, len);
}

/* Steals result. */
static int reply_ok(struct client *c, uint64_t id, json_t *result)
{
        char *framed;
        size_t len;
        int r;

        if (!result)
                return reply_error(c, id, DAEMON_E_FAILED, "out of memory");
        r = protocol_reply_ok(id, result, &framed, &len);
        json_decref(result);
        if (r == -EMSGSIZE)
                return reply_error(c, id, DAEMON_E_FAILED,
                                   "the reply would exceed 16 MiB: ask for one service");
        return r < 0 ? r : queue(c, framed, len);
}

static bool service_known(struct daemon *d, const char *name)
{
        return !name[0] || daemon_find_service(d, name);
}

static int unknown_service(struct client *c, uint64_t id, const char *name)
{
        char msg[160];

        snprintf(msg, sizeof(msg), "hardend runs no service '%s'", name);
        return reply_error(c, id, DAEMON_E_UNKNOWN_SERVICE, msg);
}

static int start_follow(struct client *c, const struct protocol_request *req)
{
        c->following = true;
        c->d->n_followers++;
        c->follow_id = req->id;
        snprintf(c->service, sizeof(c->service), "%s", req->service);
        c->since_usec = req->has_since ? req->since_usec : 0;
        return reply_ok(c, req->id, json_pack("{s:b}", "following", true));
}

static int dispatch(struct client *c, const struct protocol_request *req)
{
        struct daemon *d = c->d;
        const char *code = NULL;
        _cleanup_free_ char *message = NULL;
        json_t *result = NULL;
        int r;

        switch (req->verb) {
        case PROTOCOL_VERB_STATUS:
        case PROTOCOL_VERB_CHECK:
        case PROTOCOL_VERB_EVENTS:
                if (!service_known(d, req->service))
                        return unknown_service(c, req->id, req->service);
                if (req->verb == PROTOCOL_VERB_EVENTS && req->follow)
                        return start_follow(c, req);
                result = req->verb == PROTOCOL_VERB_STATUS  ? daemon_status_json(d, req->service)
                         : req->verb == PROTOCOL_VERB_CHECK ? daemon_check_json(d, req->service)
                                                            : daemon_events_json(d, req->service);
                return reply_ok(c, req->id, result);
        case PROTOCOL_VERB_MONITOR:
        case PROTOCOL_VERB_ENFORCE:
                r = daemon_switch(d, req, &c->peer, &result, &code, &message);
                if (r < 0 && code)
                        return reply_error(c, req->id, code, message ? message : "");
                if (r < 0)
                        return reply_error(c, req->id, DAEMON_E_FAILED, strerror(-r));
                return reply_ok(c, req->id, result);
        case PROTOCOL_VERB_PROPOSE:
        case PROTOCOL_VERB_RECORD:
                r = req->verb == PROTOCOL_VERB_PROPOSE
                        ? daemon_propose(d, req, &result, &code, &message)
                        : daemon_record(d, req, &result, &code, &message);
                if (r < 0 && code)
                        return reply_error(c, req->id, code, message ? message : strerror(-r));
                if (r < 0)
                        return reply_error(c, req->id, DAEMON_E_FAILED, strerror(-r));
                return reply_ok(c, req->id, result);
        case PROTOCOL_VERB_REPORT:
                if (!service_known(d, req->service))
                        return unknown_service(c, req->id, req->service);
                result = daemon_report_json(d, req->service, req->has_since ? req->since_usec : 0);
                if (!result)
                        return reply_error(c, req->id, DAEMON_E_FAILED, strerror(ENOMEM));
                return reply_ok(c, req->id, result);
        case PROTOCOL_VERB_RELOAD:
                r = daemon_reload(d, &result);
                if (r < 0)
                        return reply_error(c, req->id, DAEMON_E_FAILED, strerror(-r));
                return reply_ok(c, req->id, result);
        case _PROTOCOL_VERB_MAX:
        default:
                return reply_error(c, req->id, PROTOCOL_E_UNKNOWN_VERB, "unknown verb");
        }
}

static int handle_frame(struct client *c)
{
        struct protocol_request req;
        struct protocol_error err;
        char msg[256];
        int r;

        r = protocol_request_parse(c->body, c->body_len, &req, &err);
        if (r < 0)
                return reply_error(c, err.id, err.code, err.message);
        if (!peer_allowed(&c->peer, req.verb, c->d->config.read_gid)) {
                peer_refusal_message(&c->peer, req.verb, c->d->config.read_gid, msg, sizeof(msg));
                r = reply_error(c, req.id, PROTOCOL_E_NOT_AUTHORIZED, msg);
        } else
                r = dispatch(c, &req);
        protocol_request_done(&req);
        return r;
}

static void frame_deadline(struct client *c, bool arm)
{
        if (arm && sd_event_source_get_enabled(c->deadline, NULL) == 0 &&
            sd_event_source_set_time_relative(c->deadline, FRAME_DEADLINE_USEC) >= 0)
                (void)sd_event_source_set_enabled(c->deadline, SD_EVENT_ONESHOT);
        else if (!arm)
                (void)sd_event_source_set_enabled(c->deadline, SD_EVENT_OFF);
}

/* Reads what the socket has. Returns 0 to go on, 1 when the client is to
 * be closed now, -errno. */
static int read_some(struct client *c)
{
        for (;;) {
                ssize_t n;

                if (c->header_got < PROTOCOL_FRAME_HEADER)
                        n = recv(c->fd, c->header + c->header_got,
                                 PROTOCOL_FRAME_HEADER - c->header_got, MSG_DONTWAIT);
                else
                        n = recv(c->fd, c->body + c->body_got, c->body_len - c->body_got,
                                 MSG_DONTWAIT);
                if (n < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : 1;
                if (n == 0)
                        return 1; /* hung up: mid-frame or between frames, the session ends */
                if (c->following)
                        return 1; /* a follower may not send: end its stream */
                frame_deadline(c, true);
                if (c->header_got < PROTOCOL_FRAME_HEADER) {
                        uint32_t len;

                        c->header_got += (size_t)n;
                        if (c->header_got < PROTOCOL_FRAME_HEADER)
                                continue;
                        len = (uint32_t)c->header[0] << 24 | (uint32_t)c->header[1] << 16 |
                              (uint32_t)c->header[2] << 8 | c->header[3];
                        if (len == 0 || len > PROTOCOL_REQUEST_MAX) {
                                c->close_after_write = true;
                                frame_deadline(c, false);
                                return reply_error(
                                    c, PROTOCOL_ID_NONE,
                                    len ? PROTOCOL_E_TOO_LARGE : PROTOCOL_E_BAD_FRAME,
                                    len ? "request over 65536 bytes" : "frame of length 0");
                        }
                        c->body = malloc(len + 1);
                        if (!c->body)
                                return -ENOMEM;
                        c->body_len = len;
                        c->body_got = 0;
                        continue;
                }
                c->body_got += (size_t)n;
                if (c->body_got < c->body_len)
                        continue;
                c->body[c->body_len] = '\0';
                frame_deadline(c, false);
                int r = handle_frame(c);
                free(c->body);
                c->body = NULL;
                c->header_got = 0;
                return r;
        }
}

static int write_some(struct client *c)
{
        while (pending_output(c)) {
                ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);

                if (n < 0)
                        return errno == EAGAIN || errno == EINTR ? 0 : 1;
                c->out_off += (size_t)n;
        }
        free(c->out);
        c->out = NULL;
        c->out_len = c->out_off = 0;
        if (c->close_after_write)
                return 1;
        update_events(c);
        return 0;
}

static int on_client(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct client *c = userdata;
        int r = 0;

        if (revents & EPOLLOUT)
                r = write_some(c);
        if (r == 0 && (revents & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !pending_output(c))
                r = read_some(c);
        /* Anything queued by the request just read goes out at once. */
        if (r == 0 && pending_output(c))
                r = write_some(c);
        if (r != 0)
                client_free(c);
        return 0;
}

static int on_deadline(sd_event_source *s, uint64_t usec, void *userdata)
{
        client_free(userdata); /* a frame that never completed: bad-frame, closed */
        return 0;
}

static int flush_batch(struct client *c)
{
        size_t n = json_array_size(c->batch);
        json_t *result;

        if (n == 0 && c->lost == 0)
                return 0;
        if (c->out_len - c->out_off > FOLLOW_BACKLOG_MAX) {
                c->lost += n;
                json_array_clear(c->batch);
                return 0;
        }
        result = json_pack("{s:o, s:I}", "events", c->batch, "lost", (json_int_t)c->lost);
        c->batch = json_array();
        c->lost = 0;
        return reply_ok(c, c->follow_id, result);
}

static int on_batch(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct client *c = userdata;

        if (flush_batch(c) < 0 || write_some(c) != 0)
                client_free(c);
        return 0;
}

void daemon_control_event(struct daemon *d, const struct audit_event *e,
                          const struct event_context *ctx)
{
        const char *service = ctx->attr->service;
        uint64_t stamp = e->stamp.sec * 1000000u + e->stamp.msec * 1000u;
        json_t *ev = NULL;

        for (struct client *c = d->clients, *next; c; c = next) {
                next = c->next;
                if (!c->following || (c->service[0] && (!service || strcmp(service, c->service))) ||
                    stamp < c->since_usec)
                        continue;
                if (!ev && !(ev = event_json(e, ctx)))
                        return;
                if (!c->batch && !(c->batch = json_array()))
                        continue;
                if (json_array_size(c->batch) >= FOLLOW_BATCH_MAX) {
                        c->lost++;
                        continue;
                }
                json_array_append(c->batch, ev);
                if (sd_event_source_get_enabled(c->batch_timer, NULL) == 0 &&
                    sd_event_source_set_time_relative(c->batch_timer, FOLLOW_BATCH_USEC) >= 0)
                        (void)sd_event_source_set_enabled(c->batch_timer, SD_EVENT_ONESHOT);
        }
        json_decref(ev);
}

static int client_new(struct daemon *d, int fd)
{
        struct client *c = calloc(1, sizeof(*c));
        int r;

        if (!c) {
                close(fd);
                return -ENOMEM;
        }
        c->d = d;
        c->fd = fd;
        c->next = d->clients;
        if (d->clients)
                d->clients->prev = c;
        d->clients = c;
        d->n_clients++;
        r = peer_from_socket(fd, &c->peer);
        if (r >= 0)
                r = sd_event_add_io(d->event, &c->io, fd, EPOLLIN, on_client, c);
        if (r >= 0)
                r = sd_event_add_time_relative(d->event, &c->deadline, CLOCK_MONOTONIC,
                                               FRAME_DEADLINE_USEC, 100000, on_deadline, c);
        if (r >= 0)
                r = sd_event_source_set_enabled(c->deadline, SD_EVENT_OFF);
        if (r >= 0)
                r = sd_event_add_time_relative(d->event, &c->batch_timer, CLOCK_MONOTONIC,
                                               FOLLOW_BATCH_USEC, 50000, on_batch, c);
        if (r >= 0)
                r = sd_event_source_set_enabled(c->batch_timer, SD_EVENT_OFF);
        if (r < 0) {
                client_free(c);
                return r;
        }
        return 0;
}

static int on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct daemon *d = userdata;
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

        if (cfd < 0)
                return 0;
        if (d->n_clients >= CLIENTS_MAX) {
                log_msg(LOG_WARNING, "control socket: %u clients already, refusing another",
                        CLIENTS_MAX);
                close(cfd);
                return 0;
        }
        if (client_new(d, cfd) < 0)
                log_msg(LOG_ERR, "control socket: cannot take a client");
        return 0;
}

/* A socket file left by a daemon that died is removed; one that answers
 * belongs to a running hardend, which we must not steal it from. */
static int claim_path(const char *path)
{
        int fd = control_connect(path, 200);

        if (fd >= 0) {
                close(fd);
                return -EADDRINUSE;
        }
        if (fd == -ECONNREFUSED && unlink(path) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}

int daemon_control_start(struct daemon *d)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        bool group = d->config.read_gid != CONFIG_GROUP_NONE;
        mode_t old;
        int r;

        r = config_socket_path(&d->config, d->socket_path, sizeof(d->socket_path));
        if (r < 0 || strlen(d->socket_path) >= sizeof(sa.sun_path))
                return log_errno(-ENAMETOOLONG, "control socket path too long");
        memcpy(sa.sun_path, d->socket_path, strlen(d->socket_path) + 1);
        r = claim_path(d->socket_path);
        if (r == -EADDRINUSE)
                return log_errno(r, "another hardend answers on %s", d->socket_path);
        if (r < 0)
                return log_errno(r, "cannot remove the stale socket %s: %m", d->socket_path);
        d->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (d->listen_fd < 0)
                return log_errno(-errno, "cannot create the control socket: %m");
        /* Created 0600 (no window in which it is wider), then opened to the
         * read group when one is configured. */
        old = umask(0177);
        r = bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa));
        umask(old);
        if (r < 0)
                return log_errno(-errno, "cannot bind %s: %m", d->socket_path);
        if (group &&
            (chown(d->socket_path, 0, d->config.read_gid) < 0 || chmod(d->socket_path, 0660) < 0))
                return log_errno(-errno, "cannot give %s to group %s: %m", d->socket_path,
                                 d->config.read_group);
        if (listen(d->listen_fd, 16) < 0)
                return log_errno(-errno, "cannot listen on %s: %m", d->socket_path);
        r = sd_event_add_io(d->event, &d->listen_io, d->listen_fd, EPOLLIN, on_accept, d);
        if (r < 0)
                return log_errno(r, "cannot watch the control socket: %m");
        return 0;
}

void daemon_control_stop(struct daemon *d)
{
        while (d->clients)
                client_free(d->clients);
        d->listen_io = sd_event_source_disable_unref(d->listen_io);
        if (d->listen_fd >= 0) {
                close(d->listen_fd);
                d->listen_fd = -1;
                (void)unlink(d->socket_path);
        }
}
