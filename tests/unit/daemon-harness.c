/* SPDX-License-Identifier: MIT */
#include "daemon-harness.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "control/control-client.h"
#include "testing.h"

static void copy_profiles(const char *to)
{
        _cleanup_(closedirp) DIR *d = opendir(test_path("profiles"));
        struct dirent *de;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d))) {
                _cleanup_free_ char *data = NULL;
                char src[512], dst[512];
                size_t n = strlen(de->d_name), size;

                if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0)
                        continue;
                snprintf(src, sizeof(src), "%s/%s", test_path("profiles"), de->d_name);
                snprintf(dst, sizeof(dst), "%s/%s", to, de->d_name);
                ck_assert_int_eq(read_file_bounded(AT_FDCWD, src, 1 << 20, &data, &size), 0);
                ck_assert_int_eq(write_file_atomic(AT_FDCWD, dst, data, size, 0644), 0);
        }
}

void tdaemon_write(const struct tdaemon *t, const char *relative, const char *text)
{
        char path[256];

        snprintf(path, sizeof(path), "%s/%s", t->dir, relative);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, text, strlen(text), 0644), 0);
}

void tdaemon_setup(struct tdaemon *t, const char *extra_config)
{
        char config[2048];

        *t = (struct tdaemon){.pid = 0};
        snprintf(t->dir, sizeof(t->dir), "/tmp/hardend-daemon-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(t->dir));
        ck_assert_int_eq(chmod(t->dir, 0755), 0); /* peers of other uids reach the socket */
        snprintf(t->config, sizeof(t->config), "%s/hardend.yaml", t->dir);
        snprintf(t->profiles, sizeof(t->profiles), "%s/profiles", t->dir);
        snprintf(t->state, sizeof(t->state), "%s/state", t->dir);
        snprintf(t->seccomp, sizeof(t->seccomp), "%s/seccomp", t->dir);
        snprintf(t->runtime, sizeof(t->runtime), "%s/run", t->dir);
        snprintf(t->socket, sizeof(t->socket), "%s/control.sock", t->runtime);
        snprintf(t->log, sizeof(t->log), "%s/hardend.log", t->dir);
        ck_assert_int_eq(mkdir(t->profiles, 0755), 0);
        copy_profiles(t->profiles);
        snprintf(config, sizeof(config),
                 "profiles_dir: %s\nstate_dir: %s\nseccomp_dir: %s\nruntime_dir: %s\n%s",
                 t->profiles, t->state, t->seccomp, t->runtime, extra_config ? extra_config : "");
        tdaemon_write(t, "hardend.yaml", config);
}

void tdaemon_start(struct tdaemon *t)
{
        const char *argv[16];
        const char *builddir = getenv("HARDEND_BUILDDIR"), *prog;
        char out[160], hardend[512];
        size_t n = 0;

        /* test_spawn resolves "build/" only in argv[0]: under a wrapper the
         * program needs its full path. */
        snprintf(hardend, sizeof(hardend), "%s/hardend",
                 builddir && builddir[0] == '/' ? builddir
                                                : test_path(builddir ? builddir : "build"));
        for (; n < ELEMENTSOF(t->wrapper) && t->wrapper[n]; n++)
                argv[n] = t->wrapper[n];
        prog = n > 0 ? hardend : "build/hardend";
        argv[n++] = prog;
        argv[n++] = "--config";
        argv[n++] = t->config;
        argv[n] = NULL;
        snprintf(out, sizeof(out), "%s/hardend.out", t->dir);
        /* In sanitizer builds: LeakSanitizer cannot stop the world in a
         * process that dropped CAP_SYS_PTRACE and runs under its own
         * seccomp filter; the daemon's leaks are valgrind-check's job. */
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        t->pid = test_spawn(argv, out, t->log);
        ck_assert_int_gt(t->pid, 0);
        /* Serving means this daemon logged "ready:" (a socket that answers
         * could be another's) and its socket answers. Generous: sanitizers
         * and apparmor_parser runs make starts slow. */
        for (int i = 0; i < 600; i++) {
                _cleanup_free_ char *log = tdaemon_log(t);
                int status, fd = -1;

                if (log && strstr(log, "ready: ")) {
                        fd = control_connect(t->socket, 100);
                        if (fd >= 0) {
                                close(fd);
                                return;
                        }
                }
                if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
                        t->pid = 0;
                        ck_abort_msg("hardend exited (status %d) before serving: %s", status,
                                     log ? log : "");
                }
                usleep(50000);
        }
        ck_abort_msg("hardend did not serve %s within 30 s", t->socket);
}

static int wait_exit(struct tdaemon *t)
{
        int status;

        ck_assert_int_eq(waitpid(t->pid, &status, 0), t->pid);
        t->pid = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int tdaemon_stop(struct tdaemon *t)
{
        if (t->pid <= 0)
                return -1;
        kill(t->pid, SIGTERM);
        return wait_exit(t);
}

void tdaemon_kill9(struct tdaemon *t)
{
        if (t->pid <= 0)
                return;
        kill(t->pid, SIGKILL);
        (void)wait_exit(t);
}

void tdaemon_cleanup(struct tdaemon *t)
{
        const char *argv[] = {"/bin/rm", "-rf", t->dir, NULL};

        if (t->pid > 0)
                tdaemon_kill9(t);
        if (t->dir[0])
                (void)test_run(argv, NULL, NULL);
}

char *tdaemon_log(const struct tdaemon *t)
{
        char *data = NULL;
        size_t size;

        (void)read_file_bounded(AT_FDCWD, t->log, 1 << 20, &data, &size);
        return data;
}

json_t *tdaemon_call(const struct tdaemon *t, const char *verb, const char *args, bool *ret_ok)
{
        static uint64_t id = 1;
        struct protocol_response resp = {0};
        json_t *a = args ? json_loads(args, 0, NULL) : NULL, *req, *v;
        int fd, r;

        ck_assert_msg(!args || a, "bad test args %s", args);
        req = control_request_new(id++, protocol_verb_from_string(verb), a);
        ck_assert_ptr_nonnull(req);
        /* A read-only request may be asked again when the connection died
         * before any reply (seen right after a SIGKILLed agent was
         * restarted: a connection queued on a socket that is going away);
         * a switch never is, it must be answered exactly once. */
        for (int attempt = 0;; attempt++) {
                bool again =
                    attempt < 3 && protocol_verb_is_read_only(protocol_verb_from_string(verb));

                fd = control_connect(t->socket, 5000);
                if (fd == -ECONNREFUSED && again) {
                        fprintf(stderr, "tdaemon: %s: connection refused, asking again\n", verb);
                        usleep(200000);
                        continue;
                }
                ck_assert_msg(fd >= 0, "connect %s: %s", t->socket, strerror(-fd));
                r = control_call(fd, req, 120000, &resp);
                close(fd);
                if (r == -ENODATA && again) {
                        fprintf(stderr, "tdaemon: %s: closed without a reply, asking again\n",
                                verb);
                        usleep(200000);
                        continue;
                }
                break;
        }
        json_decref(req);
        ck_assert_msg(r == 0, "%s: no reply: %s", verb, strerror(-r));
        *ret_ok = resp.ok;
        if (resp.ok)
                v = json_incref(resp.result);
        else
                v = json_pack("{s:s, s:s}", "code", resp.error_code, "message",
                              resp.error_message ? resp.error_message : "");
        protocol_response_done(&resp);
        return v;
}

json_t *tdaemon_service(const struct tdaemon *t, const char *service, json_t **ret_status)
{
        bool ok;
        json_t *st = tdaemon_call(t, "status", NULL, &ok), *it;
        size_t i;

        ck_assert_msg(ok, "status failed");
        *ret_status = st;
        json_array_foreach(
            json_object_get(st, "services"), i,
            it) if (strcmp(json_string_value(json_object_get(it, "name")), service) == 0) return it;
        return NULL;
}

int tdaemon_hardenctl(const struct tdaemon *t, const char *const *args, char **out)
{
        const char *argv[24] = {"build/hardenctl", "--socket", t->socket};
        _cleanup_free_ char *err = NULL;
        size_t n = 3;
        int r;

        for (size_t i = 0; args[i] && n + 1 < ELEMENTSOF(argv); i++)
                argv[n++] = args[i];
        argv[n] = NULL;
        r = test_run(argv, out, &err);
        if (r != 0)
                fprintf(stderr, "hardenctl %s: exit %d: %s\n", args[0], r, err);
        return r;
}
