/* SPDX-License-Identifier: MIT */
#include "protocol.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "base/macro.h"
#include "base/suggest.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

static const char *const verb_names[_PROTOCOL_VERB_MAX] = {
    [PROTOCOL_VERB_STATUS] = "status",   [PROTOCOL_VERB_MONITOR] = "monitor",
    [PROTOCOL_VERB_ENFORCE] = "enforce", [PROTOCOL_VERB_RELOAD] = "reload",
    [PROTOCOL_VERB_EVENTS] = "events",   [PROTOCOL_VERB_CHECK] = "check",
    [PROTOCOL_VERB_PROPOSE] = "propose", [PROTOCOL_VERB_RECORD] = "record",
    [PROTOCOL_VERB_REPORT] = "report",
};

const char *protocol_verb_to_string(enum protocol_verb v)
{
        return (unsigned)v < _PROTOCOL_VERB_MAX ? verb_names[v] : NULL;
}

int protocol_verb_from_string(const char *s)
{
        for (size_t i = 0; i < _PROTOCOL_VERB_MAX; i++)
                if (strcmp(s, verb_names[i]) == 0)
                        return (int)i;
        return -EINVAL;
}

bool protocol_verb_is_read_only(enum protocol_verb v)
{
        return v == PROTOCOL_VERB_STATUS || v == PROTOCOL_VERB_EVENTS || v == PROTOCOL_VERB_CHECK ||
               v == PROTOCOL_VERB_PROPOSE || v == PROTOCOL_VERB_REPORT;
}

bool protocol_service_name_valid(const char *s)
{
        size_t n = 0;

        if (!(s[0] >= 'a' && s[0] <= 'z'))
                return false;
        for (; s[n]; n++) {
                char c = s[n];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                        return false;
                if (n >= PROTOCOL_SERVICE_NAME_MAX)
                        return false;
        }
        return true;
}

void protocol_request_done(struct protocol_request *r)
{
        if (!r)
                return;
        for (size_t i = 0; i < r->n_services; i++)
                free(r->services[i]);
        free(r->services);
        r->services = NULL;
        r->n_services = 0;
}

/* Copies s with anything outside printable ASCII as \xNN, so a reply
 * never carries control bytes or invalid UTF-8 back. */
static void escape_text(const char *s, char *buf, size_t size)
{
        size_t o = 0;

        for (size_t i = 0; s[i] && o + 5 < size; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c < 0x20 || c >= 0x7f || c == '\\')
                        o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
                else
                        buf[o++] = (char)c;
        }
        buf[o] = '\0';
}

/* A peer-supplied string, quoted and cut short, with anything unprintable
 * escaped, so an error message never carries control bytes back. */
static void quote_value(const char *s, char *buf, size_t size)
{
        size_t o = 0, limit = 32;

        buf[o++] = '"';
        for (size_t i = 0; s[i] && o + 8 < size; i++) {
                unsigned char c = (unsigned char)s[i];
                if (i == limit) {
                        o += (size_t)snprintf(buf + o, size - o, "...");
                        break;
                }
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
                        o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
                else
                        buf[o++] = (char)c;
        }
        buf[o++] = '"';
        buf[o] = '\0';
}

_printf_(3, 4) static int fail(struct protocol_error *err, const char *code, const char *fmt, ...)
{
        va_list ap;

        err->code = code;
        va_start(ap, fmt);
        (void)vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
        return -EINVAL;
}

static const char *json_kind(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
                return "an integer";
        case JSON_REAL:
                return "a real number";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        case JSON_NULL:
                return "null";
        default:
                return "something else";
        }
}

/* Refuses keys of obj outside allowed, naming the nearest allowed key. */
static int check_keys(const json_t *obj, const char *prefix, const char *const *allowed, size_t n,
                      const char *code, struct protocol_error *err)
{
        const char *key;
        json_t *v;

        json_object_foreach((json_t *)obj, key, v)
        {
                bool ok = false;
                for (size_t i = 0; i < n && !ok; i++)
                        ok = strcmp(key, allowed[i]) == 0;
                if (ok)
                        continue;
                char q[160];
                const char *near = suggest_closest(key, allowed, n);
                quote_value(key, q, sizeof(q));
                if (n == 0)
                        return fail(err, code, "%s: unknown key %s (this verb takes no arguments)",
                                    prefix, q);
                if (near)
                        return fail(err, code, "%s: unknown key %s (did you mean '%s'?)", prefix, q,
                                    near);
                return fail(err, code, "%s: unknown key %s", prefix, q);
        }
        return 0;
}

static int get_bool(const json_t *args, const char *key, bool *ret, struct protocol_error *err)
{
        json_t *v = json_object_get(args, key);

        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return fail(err, PROTOCOL_E_BAD_ARGS, "args.%s: expected a boolean, got %s", key,
                            json_kind(v));
        *ret = json_is_true(v);
        return 0;
}

static int get_service(const json_t *v, const char *path, char *ret, struct protocol_error *err)
{
        char q[160];

        if (!json_is_string(v))
                return fail(err, PROTOCOL_E_BAD_ARGS, "%s: expected a service name, got %s", path,
                            json_kind(v));
        if (!protocol_service_name_valid(json_string_value(v))) {
                quote_value(json_string_value(v), q, sizeof(q));
                return fail(err, PROTOCOL_E_BAD_ARGS,
                            "%s: not a valid service name: %s (1-63 of a-z 0-9 -, starting "
                            "with a letter)",
                            path, q);
        }
        strcpy(ret, json_string_value(v));
        return 0;
}

static int parse_one_service_args(const json_t *args, struct protocol_request *req,
                                  struct protocol_error *err)
{
        json_t *v = json_object_get(args, "service");

        if (v)
                return get_service(v, "args.service", req->service, err);
        return 0;
}

static int parse_switch_args(const json_t *args, struct protocol_request *req,
                             struct protocol_error *err)
{
        json_t *svcs = json_object_get(args, "services"), *all = json_object_get(args, "all");
        int r;

        if (req->verb == PROTOCOL_VERB_ENFORCE) {
                r = get_bool(args, "force", &req->force, err);
                if (r < 0)
                        return r;
        }
        if (all) {
                if (!json_is_boolean(all))
                        return fail(err, PROTOCOL_E_BAD_ARGS,
                                    "args.all: expected a boolean, got %s", json_kind(all));
                if (!json_is_true(all))
                        return fail(err, PROTOCOL_E_BAD_ARGS,
                                    "args.all: must be true when given (name services instead)");
                if (svcs)
                        return fail(err, PROTOCOL_E_BAD_ARGS,
                                    "args: give either 'services' or 'all', not both");
                req->all = true;
                return 0;
        }
        if (!svcs)
                return fail(err, PROTOCOL_E_BAD_ARGS, "args: missing 'services' (or 'all': true)");
        if (!json_is_array(svcs))
                return fail(err, PROTOCOL_E_BAD_ARGS, "args.services: expected an array, got %s",
                            json_kind(svcs));
        size_t n = json_array_size(svcs);
        if (n == 0)
                return fail(err, PROTOCOL_E_BAD_ARGS, "args.services: empty");
        if (n > PROTOCOL_SERVICES_MAX)
                return fail(err, PROTOCOL_E_BAD_ARGS, "args.services: %zu names, at most %u", n,
                            PROTOCOL_SERVICES_MAX);

        req->services = calloc(n + 1, sizeof(char *));
        if (!req->services)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                char path[48], name[PROTOCOL_SERVICE_NAME_MAX + 1];
                (void)snprintf(path, sizeof(path), "args.services[%zu]", i);
                r = get_service(json_array_get(svcs, i), path, name, err);
                if (r < 0)
                        return r;
                /* Duplicates would switch a service twice and log it twice. */
                for (size_t j = 0; j < i; j++)
                        if (strcmp(req->services[j], name) == 0)
                                return fail(err, PROTOCOL_E_BAD_ARGS,
                                            "%s: duplicate of args.services[%zu] '%s'", path, j,
                                            name);
                req->services[i] = strdup(name);
                if (!req->services[i])
                        return -ENOMEM;
                req->n_services = i + 1;
        }
        return 0;
}

static int parse_since(const json_t *args, struct protocol_request *req, struct protocol_error *err)
{
        json_t *since = json_object_get(args, "since");

        if (since) {
                if (!json_is_integer(since) || json_integer_value(since) < 0)
                        return fail(err, PROTOCOL_E_BAD_ARGS,
                                    "args.since: expected microseconds since the epoch (an "
                                    "integer >= 0), got %s",
                                    json_is_integer(since) ? "a negative integer"
                                                           : json_kind(since));
                req->has_since = true;
                req->since_usec = (uint64_t)json_integer_value(since);
        }
        return 0;
}

static int parse_events_args(const json_t *args, struct protocol_request *req,
                             struct protocol_error *err)
{
        int r;

        r = get_bool(args, "follow", &req->follow, err);
        if (r < 0)
                return r;
        r = parse_one_service_args(args, req, err);
        if (r < 0)
                return r;
        return parse_since(args, req, err);
}

/* propose and record name exactly one service. */
static int parse_required_service(const json_t *args, struct protocol_request *req,
                                  struct protocol_error *err)
{
        json_t *v = json_object_get(args, "service");

        if (!v)
                return fail(err, PROTOCOL_E_BAD_ARGS, "args: missing 'service'");
        return get_service(v, "args.service", req->service, err);
}

static int parse_propose_args(const json_t *args, struct protocol_request *req,
                              struct protocol_error *err)
{
        int r;

        if ((r = parse_required_service(args, req, err)) < 0 ||
            (r = get_bool(args, "accept_risky", &req->accept_risky, err)) < 0 ||
            (r = get_bool(args, "recording", &req->recording, err)) < 0)
                return r;
        return parse_since(args, req, err);
}

static int parse_record_args(const json_t *args, struct protocol_request *req,
                             struct protocol_error *err)
{
        json_t *d = json_object_get(args, "duration");
        int r;

        if ((r = parse_required_service(args, req, err)) < 0 ||
            (r = get_bool(args, "force", &req->force, err)) < 0)
                return r;
        if (!d)
                return fail(err, PROTOCOL_E_BAD_ARGS, "args: missing 'duration'");
        if (!json_is_integer(d) || json_integer_value(d) < (json_int_t)PROTOCOL_RECORD_MIN_USEC ||
            json_integer_value(d) > (json_int_t)PROTOCOL_RECORD_MAX_USEC)
                return fail(err, PROTOCOL_E_BAD_ARGS,
                            "args.duration: expected microseconds from 1 s to 7 days, got %s",
                            json_is_integer(d) ? "an integer out of that range" : json_kind(d));
        req->duration_usec = (uint64_t)json_integer_value(d);
        return 0;
}

static const char *const keys_none[] = {NULL};
static const char *const keys_status[] = {"service"};
static const char *const keys_monitor[] = {"services", "all"};
static const char *const keys_enforce[] = {"services", "all", "force"};
static const char *const keys_events[] = {"follow", "service", "since"};
static const char *const keys_propose[] = {"service", "since", "accept_risky", "recording"};
static const char *const keys_record[] = {"service", "duration", "force"};
static const char *const keys_report[] = {"service", "since"};

static const struct {
        const char *const *keys;
        size_t n;
} verb_keys[_PROTOCOL_VERB_MAX] = {
    [PROTOCOL_VERB_STATUS] = {keys_status, ELEMENTSOF(keys_status)},
    [PROTOCOL_VERB_MONITOR] = {keys_monitor, ELEMENTSOF(keys_monitor)},
    [PROTOCOL_VERB_ENFORCE] = {keys_enforce, ELEMENTSOF(keys_enforce)},
    [PROTOCOL_VERB_RELOAD] = {keys_none, 0},
    [PROTOCOL_VERB_EVENTS] = {keys_events, ELEMENTSOF(keys_events)},
    [PROTOCOL_VERB_CHECK] = {keys_status, ELEMENTSOF(keys_status)},
    [PROTOCOL_VERB_PROPOSE] = {keys_propose, ELEMENTSOF(keys_propose)},
    [PROTOCOL_VERB_RECORD] = {keys_record, ELEMENTSOF(keys_record)},
    [PROTOCOL_VERB_REPORT] = {keys_report, ELEMENTSOF(keys_report)},
};

static int parse_envelope(const json_t *root, struct protocol_request *req,
                          struct protocol_error *err)
{
        static const char *const top_keys[] = {"version", "id", "verb", "args"};
        json_t *id = json_object_get(root, "id"), *version = json_object_get(root, "version"),
               *verb = json_object_get(root, "verb"), *args = json_object_get(root, "args");
        int r;

        /* The id first, so that every later error can echo it. */
        if (!id)
                return fail(err, PROTOCOL_E_BAD_REQUEST, "id: missing");
        if (!json_is_integer(id))
                return fail(err, PROTOCOL_E_BAD_REQUEST,
                            "id: expected an integer from 0 to 2^53-1, got %s", json_kind(id));
        if (json_integer_value(id) < 0 || (uint64_t)json_integer_value(id) > PROTOCOL_ID_MAX)
                return fail(err, PROTOCOL_E_BAD_REQUEST, "id: %lld is outside 0 to 2^53-1",
                            (long long)json_integer_value(id));
        req->id = err->id = (uint64_t)json_integer_value(id);

        /* The version before the keys: a newer client may send keys this
         * daemon has never heard of, and deserves to hear why. */
        if (!version)
                return fail(err, PROTOCOL_E_BAD_REQUEST, "version: missing");
        if (!json_is_integer(version))
                return fail(err, PROTOCOL_E_BAD_REQUEST, "version: expected an integer, got %s",
                            json_kind(version));
        if (json_integer_value(version) != PROTOCOL_VERSION)
                return fail(err, PROTOCOL_E_BAD_VERSION,
                            "version: %lld is not supported; this daemon speaks version %d",
                            (long long)json_integer_value(version), PROTOCOL_VERSION);

        r = check_keys(root, "request", top_keys, ELEMENTSOF(top_keys), PROTOCOL_E_BAD_REQUEST,
                       err);
        if (r < 0)
                return r;

        if (!verb)
                return fail(err, PROTOCOL_E_BAD_REQUEST, "verb: missing");
        if (!json_is_string(verb))
                return fail(err, PROTOCOL_E_BAD_REQUEST, "verb: expected a string, got %s",
                            json_kind(verb));
        r = protocol_verb_from_string(json_string_value(verb));
        if (r < 0) {
                char q[160];
                const char *near = suggest_closest(
                    json_string_value(verb), (const char *const *)verb_names, _PROTOCOL_VERB_MAX);
                quote_value(json_string_value(verb), q, sizeof(q));
                if (near)
                        return fail(err, PROTOCOL_E_UNKNOWN_VERB,
                                    "verb: unknown verb %s (did you mean '%s'?)", q, near);
                return fail(err, PROTOCOL_E_UNKNOWN_VERB,
                            "verb: unknown verb %s (status, monitor, enforce, reload, events, "
                            "check, propose, record, report)",
                            q);
        }
        req->verb = (enum protocol_verb)r;

        /* args may be left out where the verb needs none. */
        if (args && !json_is_object(args))
                return fail(err, PROTOCOL_E_BAD_ARGS, "args: expected an object, got %s",
                            json_kind(args));
        _cleanup_json_ json_t *empty = args ? NULL : json_object();
        if (!args && !empty)
                return -ENOMEM;
        const json_t *a = args ? args : empty;

        r = check_keys(a, "args", verb_keys[req->verb].keys, verb_keys[req->verb].n,
                       PROTOCOL_E_BAD_ARGS, err);
        if (r < 0)
                return r;

        switch (req->verb) {
        case PROTOCOL_VERB_STATUS:
        case PROTOCOL_VERB_CHECK:
                return parse_one_service_args(a, req, err);
        case PROTOCOL_VERB_MONITOR:
        case PROTOCOL_VERB_ENFORCE:
                return parse_switch_args(a, req, err);
        case PROTOCOL_VERB_EVENTS:
                return parse_events_args(a, req, err);
        case PROTOCOL_VERB_PROPOSE:
                return parse_propose_args(a, req, err);
        case PROTOCOL_VERB_RECORD:
                return parse_record_args(a, req, err);
        case PROTOCOL_VERB_REPORT:
                r = parse_one_service_args(a, req, err);
                return r < 0 ? r : parse_since(a, req, err);
        case PROTOCOL_VERB_RELOAD:
        case _PROTOCOL_VERB_MAX:
        default:
                return 0;
        }
}

int protocol_request_parse(const void *body, size_t len, struct protocol_request *ret_req,
                           struct protocol_error *ret_err)
{
        struct protocol_request req = {0};
        struct protocol_error err = {.id = PROTOCOL_ID_NONE};
        json_error_t jerr;
        int r;

        if (len > PROTOCOL_REQUEST_MAX) {
                fail(&err, PROTOCOL_E_TOO_LARGE, "request of %zu bytes, at most %u", len,
                     PROTOCOL_REQUEST_MAX);
                *ret_err = err;
                return -EINVAL;
        }
        /* Duplicate keys refused: two "verb"s must not mean the last one. */
        _cleanup_json_ json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root) {
                /* jansson's text quotes the offending token: raw peer bytes. */
                char text[sizeof(jerr.text) * 4];
                escape_text(jerr.text, text, sizeof(text));
                fail(&err, PROTOCOL_E_BAD_JSON, "not one JSON object: %s at byte %d", text,
                     jerr.position);
                *ret_err = err;
                return -EINVAL;
        }
        if (!json_is_object(root)) {
                fail(&err, PROTOCOL_E_BAD_JSON, "expected a JSON object, got %s", json_kind(root));
                *ret_err = err;
                return -EINVAL;
        }

        r = parse_envelope(root, &req, &err);
        if (r == -ENOMEM) {
                protocol_request_done(&req);
                return r;
        }
        if (r < 0) {
                protocol_request_done(&req);
                *ret_err = err;
                return -EINVAL;
        }
        *ret_req = req;
        return 0;
}

static void put_be32(char *p, uint32_t v)
{
        p[0] = (char)(v >> 24);
        p[1] = (char)(v >> 16);
        p[2] = (char)(v >> 8);
        p[3] = (char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int protocol_frame_json(const json_t *obj, size_t max, char **ret, size_t *ret_len)
{
        size_t n = json_dumpb(obj, NULL, 0, JSON_COMPACT);
        char *buf;

        if (n == 0)
                return -ENOMEM;
        if (n > max || n > UINT32_MAX)
                return -EMSGSIZE;
        buf = malloc(PROTOCOL_FRAME_HEADER + n);
        if (!buf)
                return -ENOMEM;
        if (json_dumpb(obj, buf + PROTOCOL_FRAME_HEADER, n, JSON_COMPACT) != n) {
                free(buf);
                return -ENOMEM;
        }
        put_be32(buf, (uint32_t)n);
        *ret = buf;
        *ret_len = PROTOCOL_FRAME_HEADER + n;
        return 0;
}

static json_t *id_json(uint64_t id)
{
        return id == PROTOCOL_ID_NONE ? json_null() : json_integer((json_int_t)id);
}

int protocol_reply_ok(uint64_t id, json_t *result, char **ret, size_t *ret_len)
{
        /* "o" steals: hand it our own reference, the caller keeps theirs. */
        json_t *res = result ? json_incref(result) : json_object();
        _cleanup_json_ json_t *o = json_pack("{s:i, s:o, s:b, s:o}", "version", PROTOCOL_VERSION,
                                             "id", id_json(id), "ok", 1, "result", res);

        if (!o)
                return -ENOMEM;
        return protocol_frame_json(o, PROTOCOL_RESPONSE_MAX, ret, ret_len);
}

int protocol_reply_error(uint64_t id, const char *code, const char *message, char **ret,
                         size_t *ret_len)
{
        _cleanup_json_ json_t *o =
            json_pack("{s:i, s:o, s:b, s:{s:s, s:s}}", "version", PROTOCOL_VERSION, "id",
                      id_json(id), "ok", 0, "error", "code", code, "message", message);

        if (!o)
                return -ENOMEM;
        if (strcmp(code, PROTOCOL_E_BAD_VERSION) == 0 &&
            json_object_set_new(o, "supported", json_pack("[i]", PROTOCOL_VERSION)) < 0)
                return -ENOMEM;
        return protocol_frame_json(o, PROTOCOL_RESPONSE_MAX, ret, ret_len);
}

void protocol_response_done(struct protocol_response *r)
{
        if (!r)
                return;
        json_decref(r->result);
        free(r->error_code);
        free(r->error_message);
        r->result = NULL;
        r->error_code = r->error_message = NULL;
}

int protocol_response_parse(const void *body, size_t len, struct protocol_response *ret)
{
        struct protocol_response resp = {0};
        json_error_t jerr;
        json_t *id, *ok, *version;

        if (len > PROTOCOL_RESPONSE_MAX)
                return -EINVAL;
        _cleanup_json_ json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root || !json_is_object(root))
                return -EINVAL;
        version = json_object_get(root, "version");
        id = json_object_get(root, "id");
        ok = json_object_get(root, "ok");
        if (!json_is_integer(version) || json_integer_value(version) != PROTOCOL_VERSION ||
            !json_is_boolean(ok))
                return -EINVAL;
        if (json_is_null(id))
                resp.id = PROTOCOL_ID_NONE;
        else if (json_is_integer(id) && json_integer_value(id) >= 0 &&
                 (uint64_t)json_integer_value(id) <= PROTOCOL_ID_MAX)
                resp.id = (uint64_t)json_integer_value(id);
        else
                return -EINVAL;
        resp.ok = json_is_true(ok);
        if (resp.ok) {
                json_t *result = json_object_get(root, "result");
                if (!result)
                        return -EINVAL;
                resp.result = json_incref(result);
        } else {
                json_t *e = json_object_get(root, "error");
                json_t *code = json_object_get(e, "code"), *msg = json_object_get(e, "message");
                if (!json_is_object(e) || !json_is_string(code) || !json_is_string(msg))
                        return -EINVAL;
                resp.error_code = strdup(json_string_value(code));
                resp.error_message = strdup(json_string_value(msg));
                if (!resp.error_code || !resp.error_message) {
                        protocol_response_done(&resp);
                        return -ENOMEM;
                }
        }
        *ret = resp;
        return 0;
}

static int64_t now_msec(void)
{
        struct timespec ts;

        (void)clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until deadline (CLOCK_MONOTONIC ms). */
static int wait_fd(int fd, short events, int64_t deadline)
{
        for (;;) {
                int64_t left = deadline - now_msec();
                struct pollfd p = {.fd = fd, .events = events};
                int r;

                if (left <= 0)
                        return -ETIMEDOUT;
                r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (r > 0)
                        return 0;
        }
}

/* Reads exactly len bytes. Returns the bytes read before EOF when the peer
 * closed early (so the caller can tell a clean end from a torn frame). */
static int read_exact(int fd, void *buf, size_t len, int64_t deadline, size_t *ret_got)
{
        size_t got = 0;

        while (got < len) {
                ssize_t n = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);
                if (n > 0) {
                        got += (size_t)n;
                        continue;
                }
                if (n == 0) {
                        *ret_got = got;
                        return -ECONNRESET;
                }
                if (errno == EINTR)
                        continue;
                if (errno != EAGAIN) {
                        *ret_got = got;
                        return -errno;
                }
                int r = wait_fd(fd, POLLIN, deadline);
                if (r < 0) {
                        *ret_got = got;
                        return r;
                }
        }
        *ret_got = got;
        return 0;
}

int protocol_read_frame(int fd, size_t max, int timeout_ms, char **ret_buf, size_t *ret_len)
{
        int64_t deadline = now_msec() + (timeout_ms < 0 ? 0 : timeout_ms);
        unsigned char header[PROTOCOL_FRAME_HEADER];
        size_t got;
        uint32_t len;
        int r;

        r = read_exact(fd, header, sizeof(header), deadline, &got);
        if (r == -ECONNRESET)
                return got == 0 ? -ENODATA : -EBADMSG;
        if (r < 0)
                return r;
        len = get_be32(header);
        if (len == 0)
                return -EBADMSG;
        if (len > max)
                return -EMSGSIZE;

        _cleanup_free_ char *buf = malloc((size_t)len + 1);
        if (!buf)
                return -ENOMEM;
        r = read_exact(fd, buf, len, deadline, &got);
        if (r == -ECONNRESET)
                return -EBADMSG;
        if (r < 0)
                return r;
        buf[len] = '\0';
        *ret_buf = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int protocol_write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
        int64_t deadline = now_msec() + (timeout_ms < 0 ? 0 : timeout_ms);
        size_t done = 0;

        while (done < len) {
                ssize_t n =
                    send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n >= 0) {
                        done += (size_t)n;
                        continue;
                }
                if (errno == EINTR)
                        continue;
                if (errno != EAGAIN)
                        return -errno;
                int r = wait_fd(fd, POLLOUT, deadline);
                if (r < 0)
                        return r;
        }
        return 0;
}

int protocol_write_frame(int fd, const void *body, size_t len, int timeout_ms)
{
        if (len == 0 || len > UINT32_MAX)
                return -EMSGSIZE;

        _cleanup_free_ char *buf = malloc(PROTOCOL_FRAME_HEADER + len);
        if (!buf)
                return -ENOMEM;
        put_be32(buf, (uint32_t)len);
        memcpy(buf + PROTOCOL_FRAME_HEADER, body, len);
        return protocol_write_all(fd, buf, PROTOCOL_FRAME_HEADER + len, timeout_ms);
}
