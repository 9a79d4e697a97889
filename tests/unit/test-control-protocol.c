/* SPDX-License-Identifier: MIT */
/* The control socket's protocol: every malformed request gets its exact
 * error code and JSON path, replies round-trip, frames are read without
 * trusting the announced length, slow and vanished peers end in errors
 * rather than hangs, and the peer check holds for a real forked non-root
 * process with supplementary groups. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"
#include "control/control-client.h"
#include "control/peer.h"
#include "control/protocol.h"
#include "testing.h"

#define REQ(verb, args) "{\"version\":1,\"id\":7,\"verb\":\"" verb "\",\"args\":" args "}"

static const struct {
        const char *body;
        const char *code; /* NULL: parses */
        const char *msg;  /* substring of the message */
        uint64_t id;      /* echoed id, on error */
} req_cases[] = {
    /* Good requests (fields checked in test_request_fields). */
    {REQ("status", "{}"), NULL, NULL, 7},
    {"{\"version\":1,\"id\":7,\"verb\":\"reload\"}", NULL, NULL, 7},
    {REQ("monitor", "{\"services\":[\"web\",\"db-2\"]}"), NULL, NULL, 7},
    {REQ("enforce", "{\"all\":true,\"force\":true}"), NULL, NULL, 7},
    {REQ("events", "{\"follow\":true,\"service\":\"web\",\"since\":1795356141000000}"), NULL, NULL,
     7},
    {REQ("check", "{\"service\":\"a\"}"), NULL, NULL, 7},
    /* Not one JSON object. */
    {"", PROTOCOL_E_BAD_JSON, "", PROTOCOL_ID_NONE},
    {"{", PROTOCOL_E_BAD_JSON, "", PROTOCOL_ID_NONE},
    {"[1]", PROTOCOL_E_BAD_JSON, "got an array", PROTOCOL_ID_NONE},
    {"\"status\"", PROTOCOL_E_BAD_JSON, "", PROTOCOL_ID_NONE},
    {REQ("status", "{}") " {}", PROTOCOL_E_BAD_JSON, "", PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":7,\"verb\":\"status\",\"verb\":\"enforce\"}", PROTOCOL_E_BAD_JSON,
     "duplicate", PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":7,\"verb\":\"st\\u0000atus\"}", PROTOCOL_E_BAD_JSON, "",
     PROTOCOL_ID_NONE},
    /* Envelope. */
    {"{\"version\":1,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST, "id: missing",
     PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":\"7\",\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST,
     "id: expected an integer", PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":-1,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST, "id: -1 is outside",
     PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":9007199254740992,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST,
     "id: 9007199254740992 is outside", PROTOCOL_ID_NONE},
    {"{\"version\":1,\"id\":1.5,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST, "got a real number",
     PROTOCOL_ID_NONE},
    {"{\"id\":7,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST, "version: missing", 7},
    {"{\"version\":\"1\",\"id\":7,\"verb\":\"status\"}", PROTOCOL_E_BAD_REQUEST,
     "version: expected an integer, got a string", 7},
    {"{\"version\":2,\"id\":7,\"verb\":\"status\",\"new\":1}", PROTOCOL_E_BAD_VERSION,
     "version: 2 is not supported; this daemon speaks version 1", 7},
    {"{\"version\":0,\"id\":7,\"verb\":\"status\"}", PROTOCOL_E_BAD_VERSION, "version: 0", 7},
    {"{\"version\":1,\"id\":7,\"verb\":\"status\",\"arg\":{}}", PROTOCOL_E_BAD_REQUEST,
     "request: unknown key \"arg\" (did you mean 'args'?)", 7},
    {"{\"version\":1,\"id\":7}", PROTOCOL_E_BAD_REQUEST, "verb: missing", 7},
    {"{\"version\":1,\"id\":7,\"verb\":3}", PROTOCOL_E_BAD_REQUEST,
     "verb: expected a string, got an integer", 7},
    {REQ("enforec", "{}"), PROTOCOL_E_UNKNOWN_VERB,
     "verb: unknown verb \"enforec\" (did you mean 'enforce'?)", 7},
    {REQ("shutdown", "{}"), PROTOCOL_E_UNKNOWN_VERB, "verb: unknown verb \"shutdown\"", 7},
    {REQ("st\\natus", "{}"), PROTOCOL_E_UNKNOWN_VERB, "\"st\\x0aatus\"", 7},
    {REQ("status", "[]"), PROTOCOL_E_BAD_ARGS, "args: expected an object, got an array", 7},
    {REQ("status", "null"), PROTOCOL_E_BAD_ARGS, "args: expected an object, got null", 7},
    /* Per-verb schemas. */
    {REQ("status", "{\"services\":[\"web\"]}"), PROTOCOL_E_BAD_ARGS,
     "args: unknown key \"services\" (did you mean 'service'?)", 7},
    {REQ("status", "{\"service\":\"Web\"}"), PROTOCOL_E_BAD_ARGS,
     "args.service: not a valid service name: \"Web\"", 7},
    {REQ("status", "{\"service\":7}"), PROTOCOL_E_BAD_ARGS,
     "args.service: expected a service name, got an integer", 7},
    {REQ("check", "{\"service\":\"\"}"), PROTOCOL_E_BAD_ARGS, "args.service: not a valid", 7},
    {REQ("reload", "{\"force\":true}"), PROTOCOL_E_BAD_ARGS,
     "args: unknown key \"force\" (this verb takes no arguments)", 7},
    {REQ("monitor", "{}"), PROTOCOL_E_BAD_ARGS, "args: missing 'services'", 7},
    {REQ("monitor", "{\"services\":[]}"), PROTOCOL_E_BAD_ARGS, "args.services: empty", 7},
    {REQ("monitor", "{\"services\":\"web\"}"), PROTOCOL_E_BAD_ARGS,
     "args.services: expected an array, got a string", 7},
    {REQ("monitor", "{\"services\":[\"a\",\"b\",\"c\",\"-d\"]}"), PROTOCOL_E_BAD_ARGS,
     "args.services[3]: not a valid service name: \"-d\"", 7},
    {REQ("monitor", "{\"services\":[\"a\",null]}"), PROTOCOL_E_BAD_ARGS,
     "args.services[1]: expected a service name, got null", 7},
    {REQ("monitor", "{\"services\":[\"a\",\"b\",\"a\"]}"), PROTOCOL_E_BAD_ARGS,
     "args.services[2]: duplicate of args.services[0] 'a'", 7},
    {REQ("monitor", "{\"services\":[\"a\"],\"force\":true}"), PROTOCOL_E_BAD_ARGS,
     "args: unknown key \"force\"", 7},
    {REQ("monitor", "{\"services\":[\"a\"],\"all\":true}"), PROTOCOL_E_BAD_ARGS,
     "args: give either 'services' or 'all', not both", 7},
    {REQ("enforce", "{\"all\":false}"), PROTOCOL_E_BAD_ARGS, "args.all: must be true", 7},
    {REQ("enforce", "{\"all\":1}"), PROTOCOL_E_BAD_ARGS,
     "args.all: expected a boolean, got an integer", 7},
    {REQ("enforce", "{\"all\":true,\"force\":\"yes\"}"), PROTOCOL_E_BAD_ARGS,
     "args.force: expected a boolean, got a string", 7},
    {REQ("monitor",
         "{\"services\":[\"a234567890123456789012345678901234567890123456789012345678901234"
         "\"]}"),
     PROTOCOL_E_BAD_ARGS, "args.services[0]: not a valid service name", 7},
    {REQ("events", "{\"follow\":1}"), PROTOCOL_E_BAD_ARGS,
     "args.follow: expected a boolean, got an integer", 7},
    {REQ("events", "{\"since\":-5}"), PROTOCOL_E_BAD_ARGS, "args.since: expected microseconds", 7},
    {REQ("events", "{\"since\":1.5}"), PROTOCOL_E_BAD_ARGS, "got a real number", 7},
    {REQ("events", "{\"since\":\"-1h\"}"), PROTOCOL_E_BAD_ARGS, "got a string", 7},
    {REQ("events", "{\"folow\":true}"), PROTOCOL_E_BAD_ARGS, "(did you mean 'follow'?)", 7},
    /* The insight verbs. */
    {REQ("propose", "{\"service\":\"api\",\"since\":5,\"accept_risky\":true,\"recording\":false}"),
     NULL, NULL, 7},
    {REQ("propose", "{}"), PROTOCOL_E_BAD_ARGS, "args: missing 'service'", 7},
    {REQ("propose", "{\"service\":\"api\",\"accept_risky\":\"yes\"}"), PROTOCOL_E_BAD_ARGS,
     "args.accept_risky: expected a boolean, got a string", 7},
    {REQ("propose", "{\"service\":\"api\",\"recorded\":true}"), PROTOCOL_E_BAD_ARGS,
     "args: unknown key \"recorded\"", 7},
    {REQ("record", "{\"service\":\"api\",\"duration\":1000000,\"force\":true}"), NULL, NULL, 7},
    {REQ("record", "{\"service\":\"api\"}"), PROTOCOL_E_BAD_ARGS, "args: missing 'duration'", 7},
    {REQ("record", "{\"service\":\"api\",\"duration\":999999}"), PROTOCOL_E_BAD_ARGS,
     "args.duration: expected microseconds from 1 s to 7 days", 7},
    {REQ("record", "{\"service\":\"api\",\"duration\":604800000001}"), PROTOCOL_E_BAD_ARGS,
     "an integer out of that range", 7},
    {REQ("record", "{\"service\":\"api\",\"duration\":\"10m\"}"), PROTOCOL_E_BAD_ARGS,
     "got a string", 7},
    {REQ("record", "{\"duration\":1000000}"), PROTOCOL_E_BAD_ARGS, "args: missing 'service'", 7},
    {REQ("report", "{}"), NULL, NULL, 7},
    {REQ("report", "{\"service\":\"api\",\"since\":1}"), NULL, NULL, 7},
    {REQ("report", "{\"format\":\"html\"}"), PROTOCOL_E_BAD_ARGS, "args: unknown key \"format\"",
     7},
};

START_TEST(test_request_table)
{
        struct protocol_request req;
        struct protocol_error err;
        const char *body = req_cases[_i].body;
        int r = protocol_request_parse(body, strlen(body), &req, &err);

        if (!req_cases[_i].code) {
                ck_assert_msg(r == 0, "case %d: %s: %s", _i, err.code, err.message);
                ck_assert_uint_eq(req.id, 7);
                protocol_request_done(&req);
                return;
        }
        ck_assert_msg(r == -EINVAL, "case %d (%s) parsed", _i, body);
        ck_assert_msg(strcmp(err.code, req_cases[_i].code) == 0, "case %d: code %s, message %s", _i,
                      err.code, err.message);
        ck_assert_msg(strstr(err.message, req_cases[_i].msg), "case %d: message '%s'", _i,
                      err.message);
        ck_assert_uint_eq(err.id, req_cases[_i].id);
}
END_TEST

static void parse_ok(const char *body, struct protocol_request *req)
{
        struct protocol_error err;
        int r = protocol_request_parse(body, strlen(body), req, &err);

        ck_assert_msg(r == 0, "%s: %s", body, r < 0 ? err.message : "");
}

START_TEST(test_request_fields)
{
        struct protocol_request req;

        parse_ok(REQ("monitor", "{\"services\":[\"web\",\"db-2\"]}"), &req);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_MONITOR);
        ck_assert(!req.all && !req.force);
        ck_assert_uint_eq(req.n_services, 2);
        ck_assert_str_eq(req.services[0], "web");
        ck_assert_str_eq(req.services[1], "db-2");
        ck_assert_ptr_null(req.services[2]);
        protocol_request_done(&req);

        parse_ok(REQ("enforce", "{\"all\":true,\"force\":true}"), &req);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_ENFORCE);
        ck_assert(req.all && req.force);
        ck_assert_uint_eq(req.n_services, 0);
        protocol_request_done(&req);

        parse_ok(REQ("events", "{\"follow\":true,\"service\":\"web\",\"since\":1795356141000000}"),
                 &req);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_EVENTS);
        ck_assert(req.follow && req.has_since);
        ck_assert_uint_eq(req.since_usec, 1795356141000000ull);
        ck_assert_str_eq(req.service, "web");
        protocol_request_done(&req);

        parse_ok(REQ("status", "{}"), &req);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_STATUS);
        ck_assert_str_eq(req.service, "");
        protocol_request_done(&req);

        /* The body need not be NUL-terminated: only len bytes are read. */
        static const char two[] = REQ("reload", "{}") "garbage";
        struct protocol_error err;
        ck_assert_int_eq(protocol_request_parse(two, strlen(REQ("reload", "{}")), &req, &err), 0);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_RELOAD);
        protocol_request_done(&req);
        ck_assert_int_eq(protocol_request_parse(two, strlen(two), &req, &err), -EINVAL);
        ck_assert_str_eq(err.code, PROTOCOL_E_BAD_JSON);
}
END_TEST

/* A services list of n names "s0", "s1", ...: 1024 fit, 1025 do not. */
static char *services_request(size_t n)
{
        size_t size = 64 + n * 16;
        char *buf = malloc(size);
        size_t o;

        ck_assert_ptr_nonnull(buf);
        o = (size_t)snprintf(buf, size,
                             "{\"version\":1,\"id\":1,\"verb\":\"enforce\",\"args\":"
                             "{\"services\":[");
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(buf + o, size - o, "%s\"s%zu\"", i ? "," : "", i);
        snprintf(buf + o, size - o, "]}}");
        return buf;
}

START_TEST(test_request_limits)
{
        struct protocol_request req;
        struct protocol_error err;
        _cleanup_free_ char *max = services_request(PROTOCOL_SERVICES_MAX);
        _cleanup_free_ char *over = services_request(PROTOCOL_SERVICES_MAX + 1);

        ck_assert_int_eq(protocol_request_parse(max, strlen(max), &req, &err), 0);
        ck_assert_uint_eq(req.n_services, PROTOCOL_SERVICES_MAX);
        ck_assert_str_eq(req.services[1023], "s1023");
        protocol_request_done(&req);

        ck_assert_int_eq(protocol_request_parse(over, strlen(over), &req, &err), -EINVAL);
        ck_assert_str_eq(err.code, PROTOCOL_E_BAD_ARGS);
        ck_assert_str_eq(err.message, "args.services: 1025 names, at most 1024");

        /* A body over 64 KiB is refused before JSON parsing. */
        size_t big = PROTOCOL_REQUEST_MAX + 1;
        _cleanup_free_ char *pad = malloc(big);
        ck_assert_ptr_nonnull(pad);
        memset(pad, ' ', big);
        memcpy(pad, REQ("status", "{}"), strlen(REQ("status", "{}")));
        ck_assert_int_eq(protocol_request_parse(pad, big, &req, &err), -EINVAL);
        ck_assert_str_eq(err.code, PROTOCOL_E_TOO_LARGE);
        ck_assert_int_eq(protocol_request_parse(pad, big - 1, &req, &err), 0);
        protocol_request_done(&req);

        ck_assert(protocol_service_name_valid("a"));
        ck_assert(protocol_service_name_valid(
            "a23456789012345678901234567890123456789012345678901234567890123"));
        ck_assert(!protocol_service_name_valid(
            "a234567890123456789012345678901234567890123456789012345678901234"));
        ck_assert(!protocol_service_name_valid("9a"));
        ck_assert(!protocol_service_name_valid("a_b"));
        ck_assert(!protocol_service_name_valid("a.service"));
}
END_TEST

START_TEST(test_round_trip)
{
        struct protocol_request req;
        struct protocol_error err;
        _cleanup_free_ char *frame = NULL;
        size_t len;
        json_t *args = json_pack("{s:[s,s], s:b}", "services", "web", "api", "force", 1);
        json_t *r = control_request_new(42, PROTOCOL_VERB_ENFORCE, args);

        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(protocol_frame_json(r, PROTOCOL_REQUEST_MAX, &frame, &len), 0);
        json_decref(r);
        ck_assert_uint_eq(((unsigned char)frame[0] << 24 | (unsigned char)frame[1] << 16 |
                           (unsigned char)frame[2] << 8 | (unsigned char)frame[3]),
                          len - 4);
        ck_assert_int_eq(protocol_request_parse(frame + 4, len - 4, &req, &err), 0);
        ck_assert_uint_eq(req.id, 42);
        ck_assert_int_eq(req.verb, PROTOCOL_VERB_ENFORCE);
        ck_assert(req.force && !req.all);
        ck_assert_uint_eq(req.n_services, 2);
        ck_assert_str_eq(req.services[1], "api");
        protocol_request_done(&req);

        /* Every verb's name round-trips; the read-only ones are status, events,
         * check, propose and report. */
        int ro = 0;
        for (int v = 0; v < _PROTOCOL_VERB_MAX; v++) {
                ck_assert_int_eq(protocol_verb_from_string(protocol_verb_to_string(v)), v);
                ro += protocol_verb_is_read_only(v);
        }
        ck_assert_int_eq(ro, 5);
        ck_assert_int_eq(protocol_verb_from_string("STATUS"), -EINVAL);
}
END_TEST

START_TEST(test_replies)
{
        _cleanup_free_ char *ok = NULL, *bad = NULL, *ver = NULL;
        size_t ok_len, bad_len, ver_len;
        struct protocol_response resp;
        json_t *result = json_pack("{s:i}", "services", 3);

        ck_assert_int_eq(protocol_reply_ok(7, result, &ok, &ok_len), 0);
        /* Borrowed: ours to free, and still one reference. */
        ck_assert_int_eq(result->refcount, 1);
        json_decref(result);
        ck_assert_int_eq(memcmp(ok + 4,
                                "{\"version\":1,\"id\":7,\"ok\":true,\"result\":{\"services\":3}}",
                                ok_len - 4),
                         0);
        ck_assert_int_eq(protocol_response_parse(ok + 4, ok_len - 4, &resp), 0);
        ck_assert(resp.ok);
        ck_assert_uint_eq(resp.id, 7);
        ck_assert_int_eq(json_integer_value(json_object_get(resp.result, "services")), 3);
        protocol_response_done(&resp);

        ck_assert_int_eq(
            protocol_reply_error(PROTOCOL_ID_NONE, PROTOCOL_E_BAD_JSON, "nope", &bad, &bad_len), 0);
        ck_assert_int_eq(memcmp(bad + 4,
                                "{\"version\":1,\"id\":null,\"ok\":false,\"error\":{\"code\":"
                                "\"bad-json\",\"message\":\"nope\"}}",
                                bad_len - 4),
                         0);
        ck_assert_int_eq(protocol_response_parse(bad + 4, bad_len - 4, &resp), 0);
        ck_assert(!resp.ok);
        ck_assert_uint_eq(resp.id, PROTOCOL_ID_NONE);
        ck_assert_str_eq(resp.error_code, "bad-json");
        ck_assert_str_eq(resp.error_message, "nope");
        protocol_response_done(&resp);

        ck_assert_int_eq(protocol_reply_error(3, PROTOCOL_E_BAD_VERSION, "v", &ver, &ver_len), 0);
        ck_assert_ptr_nonnull(memmem(ver, ver_len, "\"supported\":[1]", 15));

        _cleanup_free_ char *empty = NULL;
        size_t empty_len;
        ck_assert_int_eq(protocol_reply_ok(1, NULL, &empty, &empty_len), 0);
        ck_assert_int_eq(
            memcmp(empty + 4, "{\"version\":1,\"id\":1,\"ok\":true,\"result\":{}}", empty_len - 4),
            0);

        static const char *const bad_replies[] = {
            "{}",
            "[]",
            "{\"version\":2,\"id\":1,\"ok\":true,\"result\":{}}",
            "{\"version\":1,\"id\":1,\"ok\":true}",
            "{\"version\":1,\"id\":\"1\",\"ok\":true,\"result\":{}}",
            "{\"version\":1,\"id\":1,\"ok\":1,\"result\":{}}",
            "{\"version\":1,\"id\":1,\"ok\":false,\"error\":{\"code\":\"x\"}}",
            "{\"version\":1,\"id\":1,\"ok\":false,\"error\":\"x\"}",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad_replies); i++)
                ck_assert_msg(protocol_response_parse(bad_replies[i], strlen(bad_replies[i]),
                                                      &resp) == -EINVAL,
                              "%s parsed", bad_replies[i]);
}
END_TEST

/* Frames as a peer might send them, then the peer closes its end (or
 * keeps it open: a peer that stalls must end in the timeout). */
static const struct {
        const char *bytes;
        size_t len;
        bool close;
        size_t max;
        int ret;
} frame_cases[] = {
    {"\0\0\0\2{}", 6, true, 64, 0},
    {"\0\0\0\2{}", 6, false, 64, 0},
    {"", 0, true, 64, -ENODATA},
    {"\0\0", 2, true, 64, -EBADMSG},
    {"\0\0\0\0", 4, true, 64, -EBADMSG},
    {"\0\0\0\5{}", 6, true, 64, -EBADMSG},
    {"\0\0\0\x41", 4, true, 64, -EMSGSIZE},
    {"\0\0\0\x40", 4, true, 64, -EBADMSG}, /* exactly the cap: read, then torn */
    /* 4 GiB announced: refused from the header alone, nothing allocated. */
    {"\xff\xff\xff\xff", 4, false, PROTOCOL_RESPONSE_MAX, -EMSGSIZE},
    {"\x01\0\0\x01", 4, false, PROTOCOL_RESPONSE_MAX, -EMSGSIZE},
    /* Stalled mid-header and mid-body. */
    {"\0\0", 2, false, 64, -ETIMEDOUT},
    {"\0\0\0\5{}", 6, false, 64, -ETIMEDOUT},
    {"", 0, false, 64, -ETIMEDOUT},
};

START_TEST(test_read_frame_table)
{
        int sv[2];
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r;

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        if (frame_cases[_i].len)
                ck_assert_int_eq(write(sv[1], frame_cases[_i].bytes, frame_cases[_i].len),
                                 (ssize_t)frame_cases[_i].len);
        if (frame_cases[_i].close)
                close(sv[1]);
        r = protocol_read_frame(sv[0], frame_cases[_i].max, 100, &buf, &len);
        ck_assert_msg(r == frame_cases[_i].ret, "case %d: got %d", _i, r);
        if (r == 0) {
                ck_assert_uint_eq(len, 2);
                ck_assert_str_eq(buf, "{}");
        }
        close(sv[0]);
        if (!frame_cases[_i].close)
                close(sv[1]);
}
END_TEST

START_TEST(test_slow_peer)
{
        int sv[2];
        _cleanup_free_ char *buf = NULL;
        size_t len;
        pid_t pid;

        /* A peer dribbling one byte every 20 ms keeps the socket readable
         * but must not extend the deadline of the whole frame. */
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                static const char frame[] = "\0\0\0\x20{\"version\":1,\"id\":1,\"verb\":\"x\"}";
                close(sv[0]);
                for (size_t i = 0; i < sizeof(frame) - 1; i++) {
                        if (write(sv[1], frame + i, 1) != 1)
                                _exit(1);
                        usleep(20 * 1000);
                }
                pause();
                _exit(0);
        }
        close(sv[1]);
        ck_assert_int_eq(protocol_read_frame(sv[0], 64, 150, &buf, &len), -ETIMEDOUT);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(sv[0]);
}
END_TEST

START_TEST(test_write_frame)
{
        int sv[2];
        _cleanup_free_ char *buf = NULL, *big = NULL;
        size_t len;

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        ck_assert_int_eq(protocol_write_frame(sv[0], "{\"a\":1}", 7, 100), 0);
        ck_assert_int_eq(protocol_read_frame(sv[1], 64, 100, &buf, &len), 0);
        ck_assert_str_eq(buf, "{\"a\":1}");
        ck_assert_int_eq(protocol_write_frame(sv[0], "", 0, 100), -EMSGSIZE);

        /* A peer that never reads: the write gives up at the deadline. */
        big = malloc(PROTOCOL_RESPONSE_MAX);
        ck_assert_ptr_nonnull(big);
        memset(big, ' ', PROTOCOL_RESPONSE_MAX);
        ck_assert_int_eq(protocol_write_frame(sv[0], big, PROTOCOL_RESPONSE_MAX, 100), -ETIMEDOUT);

        /* A peer that hung up: -EPIPE, not SIGPIPE. */
        close(sv[1]);
        ck_assert_int_eq(protocol_write_frame(sv[0], "{}", 2, 100), -EPIPE);
        close(sv[0]);
}
END_TEST

/* A private directory with a listening socket anyone may connect to (the
 * forked peers drop to nobody). */
struct listener {
        char dir[48];
        char path[96];
        int fd;
};

static void listener_open(struct listener *l)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        snprintf(l->dir, sizeof(l->dir), "/tmp/hardend-ctl-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(l->dir));
        ck_assert_int_eq(chmod(l->dir, 0755), 0);
        snprintf(l->path, sizeof(l->path), "%s/control.sock", l->dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", l->path);
        l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(l->fd, 0);
        ck_assert_int_eq(bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
        ck_assert_int_eq(chmod(l->path, 0777), 0);
        ck_assert_int_eq(listen(l->fd, 4), 0);
}

static void listener_close(struct listener *l)
{
        close(l->fd);
        unlink(l->path);
        rmdir(l->dir);
}

/* A minimal server: one connection, answers each request until EOF with
 * either the parsed verb or the parse error, like the daemon will. */
static void serve(int lfd)
{
        int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

        if (c < 0)
                _exit(1);
        for (;;) {
                _cleanup_free_ char *in = NULL, *out = NULL;
                size_t in_len, out_len;
                struct protocol_request req;
                struct protocol_error err;
                int r = protocol_read_frame(c, PROTOCOL_REQUEST_MAX, 5000, &in, &in_len);

                if (r == -ENODATA)
                        _exit(0);
                if (r == -EMSGSIZE) {
                        r = protocol_reply_error(PROTOCOL_ID_NONE, PROTOCOL_E_TOO_LARGE, "big",
                                                 &out, &out_len);
                        (void)protocol_write_all(c, out, out_len, 5000);
                        _exit(0);
                }
                if (r < 0)
                        _exit(2);
                if (protocol_request_parse(in, in_len, &req, &err) < 0) {
                        r = protocol_reply_error(err.id, err.code, err.message, &out, &out_len);
                } else {
                        json_t *res =
                            json_pack("{s:s, s:I}", "verb", protocol_verb_to_string(req.verb), "n",
                                      (json_int_t)req.n_services);
                        r = protocol_reply_ok(req.id, res, &out, &out_len);
                        json_decref(res);
                        protocol_request_done(&req);
                }
                if (r < 0 || protocol_write_all(c, out, out_len, 5000) < 0)
                        _exit(3);
        }
}

START_TEST(test_end_to_end)
{
        struct listener l;
        struct protocol_response resp;
        pid_t pid;
        int fd, status;

        listener_open(&l);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                serve(l.fd);

        fd = control_connect(l.path, 1000);
        ck_assert_int_ge(fd, 0);

        json_t *req = control_request_new(5, PROTOCOL_VERB_MONITOR,
                                          json_pack("{s:[s,s,s]}", "services", "a", "b", "c"));
        ck_assert_int_eq(control_call(fd, req, 2000, &resp), 0);
        json_decref(req);
        ck_assert(resp.ok);
        ck_assert_uint_eq(resp.id, 5);
        ck_assert_str_eq(json_string_value(json_object_get(resp.result, "verb")), "monitor");
        ck_assert_int_eq(json_integer_value(json_object_get(resp.result, "n")), 3);
        protocol_response_done(&resp);

        /* A bad request gets an error reply and the session goes on. */
        req = json_pack("{s:i, s:i, s:s}", "version", 1, "id", 6, "verb", "enforec");
        ck_assert_int_eq(control_call(fd, req, 2000, &resp), 0);
        json_decref(req);
        ck_assert(!resp.ok);
        ck_assert_uint_eq(resp.id, 6);
        ck_assert_str_eq(resp.error_code, "unknown-verb");
        protocol_response_done(&resp);

        req = control_request_new(8, PROTOCOL_VERB_STATUS, NULL);
        ck_assert_int_eq(control_call(fd, req, 2000, &resp), 0);
        json_decref(req);
        ck_assert(resp.ok);
        protocol_response_done(&resp);

        close(fd);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        listener_close(&l);

        ck_assert_int_eq(control_connect(l.path, 100), -ENOENT);
        ck_assert_int_eq(control_connect("/tmp/"
                                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                         100),
                         -ENAMETOOLONG);
}
END_TEST

START_TEST(test_client_refuses)
{
        int sv[2];
        struct protocol_response resp;
        json_t *req;
        pid_t pid;

        /* The client will not send what the daemon would refuse for size,
         * and does not accept a reply for someone else's id. */
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        _cleanup_free_ char *pad = malloc(PROTOCOL_REQUEST_MAX + 1);
        ck_assert_ptr_nonnull(pad);
        memset(pad, 'x', PROTOCOL_REQUEST_MAX);
        pad[PROTOCOL_REQUEST_MAX] = '\0';
        req = json_pack("{s:i, s:i, s:s, s:{s:s}}", "version", 1, "id", 1, "verb", "status", "args",
                        "pad", pad);
        ck_assert_int_eq(control_call(sv[0], req, 100, &resp), -EMSGSIZE);
        json_decref(req);

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                _cleanup_free_ char *in = NULL, *out = NULL;
                size_t n, out_len;
                if (protocol_read_frame(sv[1], PROTOCOL_REQUEST_MAX, 2000, &in, &n) < 0 ||
                    protocol_reply_ok(99, NULL, &out, &out_len) < 0 ||
                    protocol_write_all(sv[1], out, out_len, 2000) < 0)
                        _exit(1);
                _exit(0);
        }
        req = control_request_new(1, PROTOCOL_VERB_STATUS, NULL);
        ck_assert_int_eq(control_call(sv[0], req, 2000, &resp), -EBADMSG);
        json_decref(req);
        waitpid(pid, NULL, 0);
        close(sv[0]);
        close(sv[1]);
}
END_TEST

/* Authorization decisions on synthetic peers. */
static gid_t member_groups[] = {10, 4242};
static const struct {
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;
        gid_t read_group;
        bool read_ok;  /* status, events, check */
        bool write_ok; /* monitor, enforce, reload */
} auth_cases[] = {
    {0, 0, NULL, 0, 4242, true, true},
    {0, 0, NULL, 0, PEER_GROUP_NONE, true, true},
    {1000, 4242, NULL, 0, 4242, true, false},          /* primary group */
    {1000, 1000, member_groups, 2, 4242, true, false}, /* supplementary */
    {1000, 1000, member_groups, 2, 4243, false, false},
    {1000, 1000, NULL, 0, 4242, false, false},
    {1000, 1000, member_groups, 2, PEER_GROUP_NONE, false, false},
    /* gid (gid_t)-1 is never a real membership. */
    {65534, PEER_GROUP_NONE, NULL, 0, PEER_GROUP_NONE, false, false},
};

START_TEST(test_auth_table)
{
        struct peer p = {.uid = auth_cases[_i].uid,
                         .gid = auth_cases[_i].gid,
                         .groups = auth_cases[_i].groups,
                         .n_groups = auth_cases[_i].n_groups};

        for (int v = 0; v < _PROTOCOL_VERB_MAX; v++) {
                bool want = protocol_verb_is_read_only(v) ? auth_cases[_i].read_ok
                                                          : auth_cases[_i].write_ok;
                ck_assert_msg(peer_allowed(&p, v, auth_cases[_i].read_group) == want,
                              "case %d verb %s", _i, protocol_verb_to_string(v));
        }
}
END_TEST

START_TEST(test_peer_root)
{
        int sv[2];
        struct peer p;
        char msg[200];

        if (!test_require(getuid() == 0, "root (the test runs as root to check uid 0)"))
                return;
        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
        ck_assert_int_eq(peer_from_socket(sv[0], &p), 0);
        ck_assert_int_eq(p.uid, 0);
        ck_assert_int_eq(p.gid, getgid());
        ck_assert_int_eq(p.pid, getpid());
        ck_assert_int_eq((int)p.n_groups, getgroups(0, NULL));
        ck_assert(peer_allowed(&p, PROTOCOL_VERB_ENFORCE, PEER_GROUP_NONE));
        p.uid = 1000;
        peer_refusal_message(&p, PROTOCOL_VERB_ENFORCE, 4242, msg, sizeof(msg));
        ck_assert_str_eq(msg, "uid 1000 may not use 'enforce': root may use every verb, members "
                              "of gid 4242 only status, events, check");
        peer_done(&p);
        close(sv[0]);
        close(sv[1]);

        int pipefd[2];
        ck_assert_int_eq(pipe(pipefd), 0);
        ck_assert_int_eq(peer_from_socket(pipefd[0], &p), -ENOTSOCK);
        close(pipefd[0]);
        close(pipefd[1]);
}
END_TEST

/* A real non-root peer: a forked child drops to nobody with supplementary
 * groups 4242 and 4243 (plus many more, past the first getsockopt buffer)
 * and connects; the daemon side must see exactly that. */
START_TEST(test_peer_forked_nobody)
{
        struct listener l;
        struct peer p;
        pid_t pid;
        int c, status;
        char byte;

        if (!test_require(getuid() == 0, "root, to fork a peer that drops to uid 65534"))
                return;
        listener_open(&l);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                gid_t groups[100];
                for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                        groups[i] = (gid_t)(4242 + i);
                if (setgroups(ELEMENTSOF(groups), groups) < 0 || setgid(65534) < 0 ||
                    setuid(65534) < 0)
                        _exit(10);
                int fd = control_connect(l.path, 2000);
                if (fd < 0)
                        _exit(11);
                /* Wait for the parent to read our credentials (the
                 * client's socket is non-blocking). */
                struct pollfd pfd = {.fd = fd, .events = POLLIN};
                if (poll(&pfd, 1, 10000) != 1 || read(fd, &byte, 1) != 1)
                        _exit(12);
                _exit(0);
        }
        c = accept4(l.fd, NULL, NULL, SOCK_CLOEXEC);
        ck_assert_int_ge(c, 0);
        ck_assert_int_eq(peer_from_socket(c, &p), 0);
        ck_assert_int_eq(p.uid, 65534);
        ck_assert_int_eq(p.gid, 65534);
        ck_assert_int_eq(p.pid, pid);
        ck_assert_uint_eq(p.n_groups, 100);
        ck_assert(peer_in_group(&p, 4242));
        ck_assert(peer_in_group(&p, 4341));
        ck_assert(!peer_in_group(&p, 4342));
        ck_assert(!peer_in_group(&p, 0));

        ck_assert(peer_allowed(&p, PROTOCOL_VERB_STATUS, 4243));
        ck_assert(peer_allowed(&p, PROTOCOL_VERB_EVENTS, 4243));
        ck_assert(peer_allowed(&p, PROTOCOL_VERB_CHECK, 4243));
        ck_assert(!peer_allowed(&p, PROTOCOL_VERB_ENFORCE, 4243));
        ck_assert(!peer_allowed(&p, PROTOCOL_VERB_MONITOR, 4243));
        ck_assert(!peer_allowed(&p, PROTOCOL_VERB_RELOAD, 4243));
        ck_assert(!peer_allowed(&p, PROTOCOL_VERB_STATUS, 5000));
        ck_assert(!peer_allowed(&p, PROTOCOL_VERB_STATUS, PEER_GROUP_NONE));
        peer_done(&p);

        ck_assert_int_eq(write(c, "x", 1), 1);
        close(c);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
        listener_close(&l);
}
END_TEST

static Suite *control_protocol_suite(void)
{
        Suite *s = suite_create("control-protocol");
        TCase *tc = tcase_create("parse");

        tcase_add_loop_test(tc, test_request_table, 0, (int)ELEMENTSOF(req_cases));
        tcase_add_test(tc, test_request_fields);
        tcase_add_test(tc, test_request_limits);
        tcase_add_test(tc, test_round_trip);
        tcase_add_test(tc, test_replies);
        suite_add_tcase(s, tc);

        tc = tcase_create("io");
        tcase_set_timeout(tc, 30);
        tcase_add_loop_test(tc, test_read_frame_table, 0, (int)ELEMENTSOF(frame_cases));
        tcase_add_test(tc, test_slow_peer);
        tcase_add_test(tc, test_write_frame);
        tcase_add_test(tc, test_end_to_end);
        tcase_add_test(tc, test_client_refuses);
        suite_add_tcase(s, tc);

        tc = tcase_create("peer");
        tcase_set_timeout(tc, 30);
        tcase_add_loop_test(tc, test_auth_table, 0, (int)ELEMENTSOF(auth_cases));
        tcase_add_test(tc, test_peer_root);
        tcase_add_test(tc, test_peer_forked_nobody);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(control_protocol_suite)
