/* SPDX-License-Identifier: MIT */
/* The control socket's wire protocol (docs/control.md): frames of a 4-byte
 * big-endian length and one JSON object, requests checked strictly against
 * a per-verb schema, replies built here so daemon and CLI agree on every
 * byte. Parsers are pure functions from bytes to structs (fuzzed); the
 * frame I/O helpers take a stream socket and a deadline. Never logs. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTOCOL_VERSION 1
/* A request is a few names; 64 KiB holds 1024 services of 63 bytes. */
#define PROTOCOL_REQUEST_MAX (64u * 1024u)
/* status and events replies carry tables; bounded so a client never
 * allocates what a confused peer announces. */
#define PROTOCOL_RESPONSE_MAX     (16u * 1024u * 1024u)
#define PROTOCOL_SERVICES_MAX     1024u
#define PROTOCOL_SERVICE_NAME_MAX 63u
/* Ids are JSON integers every JSON implementation holds exactly (2^53-1). */
#define PROTOCOL_ID_MAX ((uint64_t)9007199254740991ull)
/* Reply id when the request's id could not be read: "id": null. */
#define PROTOCOL_ID_NONE      UINT64_MAX
#define PROTOCOL_FRAME_HEADER 4u

/* How long a recording may be. */
#define PROTOCOL_RECORD_MIN_USEC (1000000ull)
#define PROTOCOL_RECORD_MAX_USEC (7ull * 24 * 3600 * 1000000ull)

enum protocol_verb {
        PROTOCOL_VERB_STATUS,
        PROTOCOL_VERB_MONITOR,
        PROTOCOL_VERB_ENFORCE,
        PROTOCOL_VERB_RELOAD,
        PROTOCOL_VERB_EVENTS,
        PROTOCOL_VERB_CHECK,
        PROTOCOL_VERB_PROPOSE,
        PROTOCOL_VERB_RECORD,
        PROTOCOL_VERB_REPORT,
        _PROTOCOL_VERB_MAX,
};

const char *protocol_verb_to_string(enum protocol_verb v);
/* -EINVAL for an unknown name. */
int protocol_verb_from_string(const char *s);
/* status, events, check: what members of the read group may ask. */
bool protocol_verb_is_read_only(enum protocol_verb v);

/* 1-63 bytes of [a-z0-9-], starting with a letter. */
bool protocol_service_name_valid(const char *s);

struct protocol_request {
        uint64_t id;
        enum protocol_verb verb;
        /* status, events, check: one service, or "" for all of them. */
        char service[PROTOCOL_SERVICE_NAME_MAX + 1];
        /* monitor, enforce: either all, or n_services distinct names
         * (owned, NULL-terminated). */
        bool all;
        char **services;
        size_t n_services;
        bool force; /* enforce only */
        /* events */
        bool follow;
        bool has_since;
        uint64_t since_usec; /* CLOCK_REALTIME µs; events, propose, report */
        /* propose: accept risky additions; use the last recording's
         * observations instead of everything observed. */
        bool accept_risky;
        bool recording;
        /* record: for how long (µs, 1 s to 7 days); force also records a
         * service in enforce mode. */
        uint64_t duration_usec;
};

void protocol_request_done(struct protocol_request *r);

/* Stable machine-readable codes; messages are for people. */
#define PROTOCOL_E_BAD_FRAME      "bad-frame"   /* length 0, truncated frame */
#define PROTOCOL_E_TOO_LARGE      "too-large"   /* length over the cap */
#define PROTOCOL_E_BAD_JSON       "bad-json"    /* not JSON, or not one object */
#define PROTOCOL_E_BAD_REQUEST    "bad-request" /* envelope: id, version, verb, args, keys */
#define PROTOCOL_E_BAD_VERSION    "bad-version" /* version not spoken here */
#define PROTOCOL_E_UNKNOWN_VERB   "unknown-verb"
#define PROTOCOL_E_BAD_ARGS       "bad-args"       /* args do not match the verb's schema */
#define PROTOCOL_E_NOT_AUTHORIZED "not-authorized" /* peer may not use the verb */

struct protocol_error {
        const char *code; /* one of PROTOCOL_E_*, static */
        /* "args.services[3]: not a valid service name: \"Web\"" */
        char message[256];
        /* The request's id when it could be read (so the error reply echoes
         * it), else PROTOCOL_ID_NONE. */
        uint64_t id;
};

/* Parses one request body (the bytes after the length). Returns 0 and
 * fills *ret_req (caller calls protocol_request_done), or -EINVAL and
 * fills *ret_err. Never reads past len; body need not be NUL-terminated. */
int protocol_request_parse(const void *body, size_t len, struct protocol_request *ret_req,
                           struct protocol_error *ret_err);

/* Encodes obj compactly and prefixes the length. -EMSGSIZE if the body
 * would exceed max, -ENOMEM. *ret is malloc'd. */
int protocol_frame_json(const json_t *obj, size_t max, char **ret, size_t *ret_len);

/* Framed replies (header included), at most PROTOCOL_RESPONSE_MAX.
 *   {"version":1,"id":7,"ok":true,"result":{...}}
 *   {"version":1,"id":7,"ok":false,"error":{"code":"bad-args","message":"..."}}
 * result is borrowed (NULL gives {}). id PROTOCOL_ID_NONE prints null. A
 * bad-version reply also lists "supported": [1]. -EMSGSIZE, -ENOMEM. */
int protocol_reply_ok(uint64_t id, json_t *result, char **ret, size_t *ret_len);
int protocol_reply_error(uint64_t id, const char *code, const char *message, char **ret,
                         size_t *ret_len);

/* A reply as the client sees it. */
struct protocol_response {
        uint64_t id; /* PROTOCOL_ID_NONE for null */
        bool ok;
        json_t *result;   /* owned; ok only */
        char *error_code; /* owned; !ok only */
        char *error_message;
};

void protocol_response_done(struct protocol_response *r);

/* Parses a reply body. -EINVAL (not a reply of version 1 in shape), with
 * unknown keys ignored so a newer daemon can add fields. */
int protocol_response_parse(const void *body, size_t len, struct protocol_response *ret);

/* Reads one frame from a stream socket, waiting at most timeout_ms for the
 * whole frame (a peer dribbling bytes cannot hold us longer). The length
 * is checked before anything is allocated. Returns 0 with a malloc'd,
 * NUL-terminated *ret_buf, or
 *   -ENODATA    the peer closed before the first byte (end of session)
 *   -EBADMSG    length 0, or the peer closed mid-frame
 *   -EMSGSIZE   length over max (the body is left unread)
 *   -ETIMEDOUT  the deadline passed
 *   other -errno from poll/recv. */
int protocol_read_frame(int fd, size_t max, int timeout_ms, char **ret_buf, size_t *ret_len);

/* Writes len bytes (already framed) within timeout_ms; MSG_NOSIGNAL, so a
 * vanished peer is -EPIPE rather than SIGPIPE. */
int protocol_write_all(int fd, const void *buf, size_t len, int timeout_ms);
/* Frames body and writes it. -EMSGSIZE if len is 0 or over UINT32_MAX. */
int protocol_write_frame(int fd, const void *body, size_t len, int timeout_ms);
