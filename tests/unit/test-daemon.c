/* SPDX-License-Identifier: MIT */
/* The real daemon, as root: started from build/hardend with private
 * directories, driven through its control socket. Profiles written and
 * switched, state surviving restarts and SIGKILL at random moments,
 * refusals (quiet period, bad policy, non-root peer), malformed requests,
 * and events followed live. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/sha256.h"
#include "control/changelog.h"
#include "control/control-client.h"
#include "daemon-harness.h"
#include "testing.h"

static bool need_root(void)
{
        return test_require(geteuid() == 0, "root (the daemon loads profiles, reads audit)");
}

static const char *str(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s ? s : "";
}

static char *read_text(const char *path)
{
        char *data = NULL;
        size_t size;

        ck_assert_msg(read_file_bounded(AT_FDCWD, path, 16 << 20, &data, &size) == 0, "read %s",
                      path);
        return data;
}

/* Every service's artifacts are on disk, and status names their hash. */
START_TEST(test_daemon_status_artifacts)
{
        struct tdaemon t;
        json_t *st, *api;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        api = tdaemon_service(&t, "api", &st);
        ck_assert_ptr_nonnull(api);
        ck_assert_str_eq(str(api, "mode"), "monitor");
        ck_assert_str_eq(json_string_value(json_object_get(api, "by")), "policy");
        {
                char path[256], sha[SHA256_HEX_SIZE];
                _cleanup_free_ char *json = NULL;

                snprintf(path, sizeof(path), "%s/api.seccomp.json", t.seccomp);
                json = read_text(path);
                ck_assert_int_eq(sha256_hex(json, strlen(json), sha), 0);
                ck_assert_str_eq(str(json_object_get(api, "seccomp"), "sha256"), sha);
                ck_assert_ptr_nonnull(strstr(json, "SCMP_ACT_LOG"));
                snprintf(path, sizeof(path), "%s/apparmor/hardend-api", t.state);
                ck_assert_int_eq(access(path, R_OK), 0);
        }
        ck_assert_ptr_nonnull(tdaemon_service(&t, "frontend", &(json_t *){NULL}));
        ck_assert(json_is_true(json_object_get(
            json_object_get(json_object_get(json_object_get(st, "agent"), "sources"), "netlink"),
            "up")));
        json_decref(st);
        /* Posture scans go through the BPF task iterator, loaded before the
         * daemon gave up its capabilities and applied its own filter. */
        for (int i = 0; i < 100; i++) {
                json_t *scan;
                bool ok;

                st = tdaemon_call(&t, "status", NULL, &ok);
                ck_assert(ok);
                scan = json_object_get(json_object_get(st, "agent"), "scan");
                if (json_integer_value(json_object_get(scan, "last")) > 0) {
                        ck_assert_msg(strcmp(str(scan, "source"), "bpf") == 0, "scans read %s (%s)",
                                      str(scan, "source"),
                                      json_string_value(json_object_get(scan, "source_note")));
                        json_decref(st);
                        break;
                }
                json_decref(st);
                ck_assert_int_lt(i, 99);
                usleep(100 * 1000);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* enforce, restart, still enforced; the change log says who. */
START_TEST(test_daemon_switch_persists)
{
        struct tdaemon t;
        json_t *r, *st, *api;
        char path[256];
        bool ok;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"api\"]}", &ok);
        ck_assert_msg(ok, "enforce: %s", str(r, "message"));
        ck_assert_str_eq(str(json_array_get(json_object_get(r, "changed"), 0), "to"), "enforce");
        json_decref(r);
        snprintf(path, sizeof(path), "%s/api.seccomp.json", t.seccomp);
        {
                _cleanup_free_ char *json = read_text(path);

                ck_assert_msg(strstr(json, "\"defaultAction\":\"SCMP_ACT_ERRNO\"") ||
                                  strstr(json, "\"defaultAction\": \"SCMP_ACT_ERRNO\""),
                              "%s", json);
        }
        /* Already there: unchanged, nothing logged twice. */
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"api\"]}", &ok);
        ck_assert(ok);
        ck_assert_int_eq(json_array_size(json_object_get(r, "changed")), 0);
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);

        tdaemon_start(&t);
        api = tdaemon_service(&t, "api", &st);
        ck_assert_str_eq(str(api, "mode"), "enforce");
        ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(api, "by"), "uid")), 0);
        json_decref(st);
        {
                _cleanup_close_ int dfd = open(t.state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                struct changelog_entry *e = NULL;
                size_t n = 0, bad = 0;

                ck_assert_int_eq(changelog_read(dfd, &e, &n, &bad), 0);
                ck_assert_uint_eq(n, 1);
                ck_assert_str_eq(e[0].service, "api");
                ck_assert_int_eq(e[0].to, POLICY_MODE_ENFORCE);
                ck_assert(!e[0].who.policy);
                free(e);
        }
        r = tdaemon_call(&t, "monitor", "{\"all\":true}", &ok);
        ck_assert(ok);
        ck_assert_int_eq(json_array_size(json_object_get(r, "changed")), 1);
        json_decref(r);
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"api\",\"nosuch\"]}", &ok);
        ck_assert(!ok);
        ck_assert_str_eq(str(r, "code"), "unknown-service");
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* A policy for this test program's own executable, so the daemon
 * attributes a child's events to service "live". */
static void write_live_policy(const struct tdaemon *t)
{
        char exe[512], yaml[1024];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

        ck_assert_int_gt(n, 0);
        exe[n] = '\0';
        snprintf(yaml, sizeof(yaml),
                 "service: live\nmode: monitor\nmatch:\n  executables: ['%s']\nseccomp:\n  "
                 "allow: [\"@default\"]\n",
                 exe);
        tdaemon_write(t, "profiles/live.yaml", yaml);
}

/* A child that makes `calls` logged getppid calls and lives until *go is
 * closed. */
static pid_t logged_child(int calls, int go[2])
{
        pid_t pid;

        ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                char c;

                if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
                    seccomp_load(ctx) < 0)
                        _exit(77);
                for (int i = 0; i < calls; i++)
                        syscall(SYS_getppid);
                close(go[1]);
                (void)!read(go[0], &c, 1);
                _exit(0);
        }
        close(go[0]);
        return pid;
}

static uint64_t live_events(const struct tdaemon *t)
{
        json_t *st, *live = tdaemon_service(t, "live", &st);
        uint64_t n = live ? (uint64_t)json_integer_value(
                                json_object_get(json_object_get(live, "events"), "total"))
                          : 0;

        json_decref(st);
        return n;
}

/* Would-be denials within the quiet period refuse enforce, with the
 * reason; --force overrides and the change log says so. */
START_TEST(test_daemon_quiet_period)
{
        struct tdaemon t;
        json_t *r;
        int go[2], status;
        pid_t child;
        bool ok;

        if (!need_root())
                return;
        tdaemon_setup(&t, "quiet_period: 1d\n");
        write_live_policy(&t);
        tdaemon_start(&t);
        child = logged_child(5, go);
        for (int i = 0; i < 100 && live_events(&t) < 5; i++)
                usleep(50000);
        close(go[1]);
        ck_assert_int_eq(waitpid(child, &status, 0), child);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: %d", status);
        if (live_events(&t) != 5) {
                json_t *ev = tdaemon_call(&t, "events", NULL, &ok);
                char *text = json_dumps(ev, 0);
                _cleanup_free_ char *log = tdaemon_log(&t);

                ck_abort_msg("events: %s\nlog: %s", text, log);
        }

        r = tdaemon_call(&t, "enforce", "{\"services\":[\"live\",\"api\"]}", &ok);
        ck_assert(!ok);
        ck_assert_str_eq(str(r, "code"), "refused");
        ck_assert_msg(strstr(str(r, "message"), "live: would-be denials within the quiet period"),
                      "%s", str(r, "message"));
        json_decref(r);
        /* All or nothing: api was not switched either. */
        {
                json_t *st, *api = tdaemon_service(&t, "api", &st);

                ck_assert_str_eq(str(api, "mode"), "monitor");
                json_decref(st);
        }
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"live\"],\"force\":true}", &ok);
        ck_assert_msg(ok, "%s", str(r, "message"));
        json_decref(r);
        {
                _cleanup_close_ int dfd = open(t.state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                struct changelog_entry *e = NULL;
                size_t n = 0, bad = 0;

                ck_assert_int_eq(changelog_read(dfd, &e, &n, &bad), 0);
                ck_assert_uint_eq(n, 1);
                ck_assert(e[0].forced);
                free(e);
        }
        /* Observations survive a restart: still refused after monitor. */
        r = tdaemon_call(&t, "monitor", "{\"services\":[\"live\"]}", &ok);
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_start(&t);
        ck_assert_uint_eq(live_events(&t), 5);
        r = tdaemon_call(&t, "enforce", "{\"services\":[\"live\"]}", &ok);
        ck_assert(!ok);
        ck_assert_str_eq(str(r, "code"), "refused");
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* events --follow: a frame with the child's event arrives while it runs. */
START_TEST(test_daemon_follow)
{
        struct tdaemon t;
        struct protocol_response resp = {0};
        json_t *req;
        int go[2], status, fd;
        pid_t child;
        bool seen = false;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        write_live_policy(&t);
        tdaemon_start(&t);
        fd = control_connect(t.socket, 5000);
        ck_assert_int_ge(fd, 0);
        req = control_request_new(7, PROTOCOL_VERB_EVENTS,
                                  json_pack("{s:b, s:s}", "follow", true, "service", "live"));
        ck_assert_int_eq(control_call(fd, req, 5000, &resp), 0);
        ck_assert(resp.ok);
        protocol_response_done(&resp);
        json_decref(req);
        child = logged_child(3, go);
        for (int i = 0; i < 20 && !seen; i++) {
                _cleanup_free_ char *body = NULL;
                size_t len;
                json_t *ev;
                size_t k;

                if (protocol_read_frame(fd, PROTOCOL_RESPONSE_MAX, 5000, &body, &len) < 0)
                        break;
                ck_assert_int_eq(protocol_response_parse(body, len, &resp), 0);
                ck_assert_uint_eq(resp.id, 7);
                json_array_foreach(json_object_get(resp.result, "events"), k,
                                   ev) if (strcmp(str(ev, "service"), "live") == 0 &&
                                           strcmp(str(ev, "syscall"), "getppid") == 0) seen = true;
                protocol_response_done(&resp);
        }
        close(go[1]);
        ck_assert_int_eq(waitpid(child, &status, 0), child);
        close(fd);
        ck_assert_msg(seen, "no getppid event of service live in the followed frames");
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

static int raw_connect(const struct tdaemon *t)
{
        int fd = control_connect(t->socket, 5000);
        int flags;

        ck_assert_int_ge(fd, 0);
        flags = fcntl(fd, F_GETFL);
        ck_assert_int_eq(fcntl(fd, F_SETFL, flags & ~O_NONBLOCK), 0);
        return fd;
}

static void send_raw(int fd, uint32_t len, const char *body, size_t body_len)
{
        uint32_t be = htonl(len);

        ck_assert_int_eq(write(fd, &be, 4), 4);
        if (body_len)
                ck_assert_int_eq(write(fd, body, body_len), (ssize_t)body_len);
}

static char *error_code_of(int fd)
{
        _cleanup_free_ char *body = NULL;
        struct protocol_response resp = {0};
        size_t len;
        char *code;

        ck_assert_int_eq(protocol_read_frame(fd, PROTOCOL_RESPONSE_MAX, 10000, &body, &len), 0);
        ck_assert_int_eq(protocol_response_parse(body, len, &resp), 0);
        ck_assert(!resp.ok);
        code = strdup(resp.error_code);
        protocol_response_done(&resp);
        return code;
}

/* Malformed and oversized requests get an error reply; the daemon goes
 * on serving. */
START_TEST(test_daemon_bad_requests)
{
        static const char *const bodies[][2] = {
            {"not json", "bad-json"},
            {"{\"version\":1,\"id\":1,\"verb\":\"enforec\"}", "unknown-verb"},
            {"{\"version\":2,\"id\":1,\"verb\":\"status\"}", "bad-version"},
            {"{\"version\":1,\"id\":1,\"verb\":\"enforce\",\"args\":{\"services\":[\"Web\"]}}",
             "bad-args"},
            {"{\"version\":1,\"id\":1,\"verb\":\"status\",\"extra\":1}", "bad-request"},
        };
        struct tdaemon t;
        json_t *r;
        bool ok;
        int fd;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        fd = raw_connect(&t);
        for (size_t i = 0; i < ELEMENTSOF(bodies); i++) {
                _cleanup_free_ char *code = NULL;

                send_raw(fd, (uint32_t)strlen(bodies[i][0]), bodies[i][0], strlen(bodies[i][0]));
                code = error_code_of(fd);
                ck_assert_str_eq(code, bodies[i][1]); /* same connection: it stays open */
        }
        close(fd);
        {
                _cleanup_free_ char *code = NULL;

                fd = raw_connect(&t);
                send_raw(fd, 1u << 30, NULL, 0);
                code = error_code_of(fd);
                ck_assert_str_eq(code, "too-large");
                close(fd);
        }
        {
                _cleanup_free_ char *code = NULL;

                fd = raw_connect(&t);
                send_raw(fd, 0, NULL, 0);
                code = error_code_of(fd);
                ck_assert_str_eq(code, "bad-frame");
                close(fd);
        }
        /* Half a frame, then silence: dropped at the deadline, not held. */
        fd = raw_connect(&t);
        send_raw(fd, 100, "{\"ver", 5);
        close(fd);
        r = tdaemon_call(&t, "status", NULL, &ok);
        ck_assert(ok);
        json_decref(r);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* In a child as uid/gid nobody: what the socket lets it do. Exit codes:
 * 0 refused at connect, 10 + n for a reply code table below. */
static int as_nobody(const char *socket_path, enum protocol_verb verb, gid_t gid)
{
        pid_t pid = fork();
        int status;

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct protocol_response resp = {0};
                json_t *req;
                int fd;

                if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(65534) < 0)
                        _exit(99);
                fd = control_connect(socket_path, 2000);
                if (fd < 0)
                        _exit(fd == -EACCES ? 0 : 98);
                req = control_request_new(
                    1, verb,
                    verb == PROTOCOL_VERB_ENFORCE ? json_pack("{s:b}", "all", true) : NULL);
                if (control_call(fd, req, 10000, &resp) < 0)
                        _exit(97);
                if (resp.ok)
                        _exit(10);
                _exit(strcmp(resp.error_code, "not-authorized") == 0 ? 11 : 12);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        return WEXITSTATUS(status);
}

/* A non-root peer is refused: by the socket's mode without a read group;
 * with one, members may read and may not switch. */
START_TEST(test_daemon_peers)
{
        struct tdaemon t;
        struct group *g;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        ck_assert_int_eq(as_nobody(t.socket, PROTOCOL_VERB_STATUS, 65534), 0);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);

        g = getgrnam("nogroup");
        if (!test_require(g != NULL, "group nogroup"))
                return;
        tdaemon_setup(&t, "read_group: nogroup\n");
        tdaemon_start(&t);
        ck_assert_int_eq(as_nobody(t.socket, PROTOCOL_VERB_STATUS, g->gr_gid), 10);
        ck_assert_int_eq(as_nobody(t.socket, PROTOCOL_VERB_ENFORCE, g->gr_gid), 11);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

static void wait_policy_error(const struct tdaemon *t, const char *service, bool want)
{
        for (int i = 0; i < 200; i++) {
                json_t *st, *s = tdaemon_service(t, service, &st);
                bool has =
                    s && json_is_string(json_object_get(json_object_get(s, "policy"), "error"));

                json_decref(st);
                if (has == want)
                        return;
                usleep(50000);
        }
        ck_abort_msg("service %s: policy error %s never showed", service, want ? "" : "cleared");
}

/* SIGHUP with a broken policy: the service keeps its profiles, status and
 * reload say why; a fixed file is taken on the next reload. */
START_TEST(test_daemon_broken_policy_kept)
{
        struct tdaemon t;
        _cleanup_free_ char *before = NULL, *after = NULL, *good = NULL;
        char path[256];
        json_t *r, *st, *api;
        bool ok;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        tdaemon_start(&t);
        snprintf(path, sizeof(path), "%s/api.seccomp.json", t.seccomp);
        before = read_text(path);
        snprintf(path, sizeof(path), "%s/api.yaml", t.profiles);
        good = read_text(path);
        tdaemon_write(&t, "profiles/api.yaml", "service: api\nseccomp:\n  allow: [opne]\n");
        kill(t.pid, SIGHUP);
        wait_policy_error(&t, "api", true);
        api = tdaemon_service(&t, "api", &st);
        ck_assert_msg(strstr(str(json_object_get(api, "policy"), "error"), "api.yaml:"), "%s",
                      str(json_object_get(api, "policy"), "error"));
        ck_assert_str_eq(str(api, "mode"), "monitor");
        json_decref(st);
        snprintf(path, sizeof(path), "%s/api.seccomp.json", t.seccomp);
        after = read_text(path);
        ck_assert_str_eq(before, after);
        /* enforce needs a valid policy: the last good one is there. */
        r = tdaemon_call(&t, "reload", NULL, &ok);
        ck_assert(ok);
        {
                _cleanup_free_ char *text = json_dumps(r, 0);

                ck_assert_ptr_nonnull(strstr(text, "\"invalid\""));
        }
        json_decref(r);
        tdaemon_write(&t, "profiles/api.yaml", good);
        r = tdaemon_call(&t, "reload", NULL, &ok);
        ck_assert(ok);
        json_decref(r);
        wait_policy_error(&t, "api", false);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* What systemd would hear on $NOTIFY_SOCKET, for up to timeout_ms: the
 * datagrams concatenated. */
static char *notifications(int fd, int timeout_ms, const char *until)
{
        char *all = calloc(1, 1);
        size_t len = 0;

        for (int waited = 0; all && waited < timeout_ms && !strstr(all, until); waited += 50) {
                char buf[4096];
                ssize_t n;

                while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
                        char *more = realloc(all, len + (size_t)n + 2);

                        ck_assert_ptr_nonnull(more);
                        all = more;
                        memcpy(all + len, buf, (size_t)n);
                        len += (size_t)n;
                        all[len++] = '\n';
                        all[len] = '\0';
                }
                usleep(50000);
        }
        return all;
}

/* Type=notify: READY=1 with a STATUS= line once it serves, RELOADING=1 then
 * READY=1 around a reload, watchdog pings from the loop, STOPPING=1. */
START_TEST(test_daemon_notify)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        struct tdaemon t;
        char *seen;
        int fd;

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify.sock", t.dir);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
        setenv("NOTIFY_SOCKET", sa.sun_path, 1);
        setenv("WATCHDOG_USEC", "400000", 1); /* pings every 0.2 s */
        tdaemon_start(&t);
        unsetenv("NOTIFY_SOCKET");
        unsetenv("WATCHDOG_USEC");
        seen = notifications(fd, 3000, "WATCHDOG=1");
        ck_assert_msg(
            strstr(seen,
                   "READY=1\nSTATUS=4 services: api monitor, frontend monitor, hardend monitor"),
            "%s", seen);
        ck_assert_msg(strstr(seen, "WATCHDOG=1"), "no watchdog ping: %s", seen);
        free(seen);
        kill(t.pid, SIGHUP);
        seen = notifications(fd, 5000, "READY=1");
        ck_assert_msg(strstr(seen, "RELOADING=1"), "%s", seen);
        ck_assert_msg(strstr(seen, "READY=1"), "%s", seen);
        free(seen);
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        seen = notifications(fd, 500, "STOPPING=1");
        ck_assert_msg(strstr(seen, "STOPPING=1"), "%s", seen);
        free(seen);
        close(fd);
        tdaemon_cleanup(&t);
}
END_TEST

/* A corrupt state file is kept aside; the agent starts from policy
 * defaults and says so loudly. */
START_TEST(test_daemon_corrupt_state)
{
        struct tdaemon t;
        json_t *st, *api;
        char path[256];

        if (!need_root())
                return;
        tdaemon_setup(&t, NULL);
        snprintf(path, sizeof(path), "%s/state", t.dir);
        ck_assert_int_eq(mkdir(path, 0700), 0);
        tdaemon_write(&t, "state/state.json", "{\"format\":\"hardend-state\",\"vers");
        tdaemon_start(&t);
        api = tdaemon_service(&t, "api", &st);
        ck_assert_str_eq(str(api, "mode"), "monitor");
        ck_assert_msg(strstr(str(json_object_get(st, "agent"), "state_warning"), "kept aside"),
                      "no warning in status");
        json_decref(st);
        {
                _cleanup_free_ char *log = tdaemon_log(&t);

                ck_assert_msg(log && strstr(log, "WARNING"), "no loud warning: %s", log);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

/* SIGKILL at random moments during switches and restarts: after every
 * restart the mode is the last acknowledged one, or the one whose
 * acknowledgement was in flight; the state file is never corrupt. */
START_TEST(test_daemon_kill9)
{
        enum { ROUNDS = 12 };
        struct tdaemon t;
        const char *acked = "monitor";
        unsigned seed = (unsigned)time(NULL);

        if (!need_root())
                return;
        fprintf(stderr, "daemon kill9: seed %u\n", seed);
        srand(seed);
        tdaemon_setup(&t, NULL);
        for (int round = 0; round < ROUNDS; round++) {
                const char *pending;
                json_t *st, *api, *req;
                int fd, switches = rand() % 3;
                bool ok;

                tdaemon_start(&t);
                api = tdaemon_service(&t, "api", &st);
                ck_assert_msg(
                    json_is_null(json_object_get(json_object_get(st, "agent"), "state_warning")),
                    "round %d: %s", round, str(json_object_get(st, "agent"), "state_warning"));
                ck_assert_str_eq(str(api, "mode"), acked);
                json_decref(st);
                for (int i = 0; i < switches; i++) {
                        const char *to = strcmp(acked, "monitor") == 0 ? "enforce" : "monitor";
                        json_t *r = tdaemon_call(&t, to, "{\"services\":[\"api\"]}", &ok);

                        ck_assert_msg(ok, "%s", str(r, "message"));
                        json_decref(r);
                        acked = to;
                }
                /* One more, killed at a random point of its handling. */
                pending = strcmp(acked, "monitor") == 0 ? "enforce" : "monitor";
                fd = control_connect(t.socket, 5000);
                ck_assert_int_ge(fd, 0);
                req = control_request_new(1, protocol_verb_from_string(pending),
                                          json_pack("{s:[s]}", "services", "api"));
                {
                        _cleanup_free_ char *framed = NULL;
                        char *body = json_dumps(req, JSON_COMPACT);
                        uint32_t be = htonl((uint32_t)strlen(body));

                        ck_assert_int_eq(write(fd, &be, 4), 4);
                        ck_assert_int_eq(write(fd, body, strlen(body)), (ssize_t)strlen(body));
                        free(body);
                }
                json_decref(req);
                usleep((useconds_t)(rand() % 60000));
                tdaemon_kill9(&t);
                close(fd);
                tdaemon_start(&t);
                api = tdaemon_service(&t, "api", &st);
                ck_assert_msg(strcmp(str(api, "mode"), acked) == 0 ||
                                  strcmp(str(api, "mode"), pending) == 0,
                              "round %d: mode %s, acknowledged %s", round, str(api, "mode"), acked);
                acked = str(api, "mode")[0] == 'e' ? "enforce" : "monitor";
                json_decref(st);
                tdaemon_kill9(&t);
        }
        tdaemon_cleanup(&t);
}
END_TEST

/* The operator's path: hardenctl's verbs against the running agent. */
START_TEST(test_daemon_hardenctl)
{
        static const char *const enforce[] = {"enforce", "api", NULL},
                                 *monitor[] = {"monitor", "api", NULL},
                                 *status[] = {"status", "api", NULL},
                                 *unknown[] = {"enforce", "nosuch", NULL},
                                 *reload[] = {"reload", NULL},
                                 *events[] = {"events", "--daemon", "--summary", NULL},
                                 *check[] = {"check", "--daemon", "--fail-on", "none", NULL};
        struct tdaemon t;

        if (!need_root())
                return;
        tdaemon_setup(&t, "quiet_period: 0s\n");
        tdaemon_start(&t);
        {
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, enforce, &out), 0);
                ck_assert_msg(strstr(out, "api: monitor -> enforce"), "%s", out);
        }
        {
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, status, &out), 0);
                ck_assert_msg(strstr(out, "api: enforce since"), "%s", out);
                ck_assert_msg(strstr(out, "set by uid 0 (hardenctl"), "%s", out);
        }
        {
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, monitor, &out), 0);
                ck_assert_msg(strstr(out, "api: enforce -> monitor"), "%s", out);
        }
        {
                _cleanup_free_ char *o1 = NULL, *o2 = NULL, *o3 = NULL, *o4 = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(&t, unknown, &o1), 2);
                ck_assert_int_eq(tdaemon_hardenctl(&t, reload, &o2), 0);
                ck_assert_int_eq(tdaemon_hardenctl(&t, events, &o3), 0);
                ck_assert_int_eq(tdaemon_hardenctl(&t, check, &o4), 0);
        }
        ck_assert_int_eq(tdaemon_stop(&t), 0);
        tdaemon_cleanup(&t);
}
END_TEST

static Suite *daemon_suite(void)
{
        Suite *s = suite_create("daemon");
        TCase *tc = tcase_create("daemon");

        tcase_set_timeout(tc, 240);
        tcase_add_test(tc, test_daemon_status_artifacts);
        tcase_add_test(tc, test_daemon_switch_persists);
        tcase_add_test(tc, test_daemon_hardenctl);
        tcase_add_test(tc, test_daemon_quiet_period);
        tcase_add_test(tc, test_daemon_follow);
        tcase_add_test(tc, test_daemon_bad_requests);
        tcase_add_test(tc, test_daemon_peers);
        tcase_add_test(tc, test_daemon_broken_policy_kept);
        tcase_add_test(tc, test_daemon_corrupt_state);
        tcase_add_test(tc, test_daemon_notify);
        tcase_add_test(tc, test_daemon_kill9);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(daemon_suite)
