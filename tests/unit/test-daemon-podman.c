/* SPDX-License-Identifier: MIT */
/* The daemon and a real container across a mode switch: a private
 * hardend switches api to enforce; a podman container (runc, a busybox
 * rootfs built here) started with the daemon's api.seccomp.json is listed
 * under api as running the current filter, and a forbidden call in it
 * fails. After `monitor api` the same container still runs the enforce
 * filter: status must call it stale (and the call still fails there),
 * while a container started after the switch from the rewritten file is
 * current and the call is only logged in it.
 *
 * The scan interval stays at its default (a minute): what this proves
 * within seconds is the daemon's scan soon after a container appears under
 * /run/runc and after a switch.
 *
 * Containers are named api-hardend-dtest-* (api's policy matches "api-*").
 * The unchecked fixture runs in the runner itself, even when a test fails
 * in its forked child: it removes those containers, kills the daemon and
 * removes the directories, whose pid and paths the test keeps in shared
 * memory for it. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "daemon-harness.h"
#include "podman-env.h"
#include "seccomp-helpers.h"
#include "testing.h"

#define PREFIX "api-hardend-dtest-"

/* What the runner's teardown needs to undo a test that died half-way.
 * MAP_SHARED: written by the forked test, read by the runner. */
struct shared {
        struct tdaemon daemon;
        char workdir[64];
        bool rootfs_ready; /* built by an earlier test of this run */
};

static struct shared *shared;

struct env {
        char podman[512];
        char rootfs[128];
        char profile[256]; /* the daemon's api.seccomp.json */
        unsigned run;      /* this run's part of the container names */
};

/* Every container of this suite, this run's or a crashed run's. */
static void remove_containers(void)
{
        if (system("podman ps -a --format '{{.Names}}' 2>/dev/null | grep '^" PREFIX
                   "' | xargs -r podman rm -f -t 0 >/dev/null 2>&1") < 0)
                fprintf(stderr, "daemon-podman: container cleanup failed\n");
}

static void remove_dir(const char *dir)
{
        char cmd[128];

        if (!dir[0])
                return;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "daemon-podman: cannot remove %s\n", dir);
}

static void fixture_setup(void)
{
        shared =
            mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (shared == MAP_FAILED) {
                shared = NULL;
                return;
        }
        memset(shared, 0, sizeof(*shared));
        if (geteuid() == 0 && stest_which("podman"))
                remove_containers();
}

static void fixture_teardown(void)
{
        if (!shared)
                return;
        if (stest_which("podman"))
                remove_containers();
        if (shared->daemon.pid > 0) {
                /* The test died before stopping it: what the daemon said is
                 * the evidence. */
                _cleanup_free_ char *log = tdaemon_log(&shared->daemon);
                const char *tail = log ? log : "";

                if (strlen(tail) > 4096)
                        tail += strlen(tail) - 4096;
                fprintf(stderr, "daemon-podman: hardend pid %d %s; the end of its log:\n%s\n",
                        (int)shared->daemon.pid,
                        kill(shared->daemon.pid, 0) == 0 ? "still running" : "gone", tail);
                /* Ours (CK_FORK=no) or orphaned by the dead test child. */
                kill(shared->daemon.pid, SIGKILL);
                (void)waitpid(shared->daemon.pid, NULL, 0);
        }
        remove_dir(shared->daemon.dir);
        remove_dir(shared->workdir);
        munmap(shared, sizeof(*shared));
        shared = NULL;
}

/* A rootfs of busybox-static and the try-syscall helper. False (after
 * test_require) when a component is missing. */
static bool env_setup(struct env *e)
{
        ck_assert_ptr_nonnull(shared);
        if (!test_require(geteuid() == 0, "root (the daemon loads profiles, podman runs runc)") ||
            !podman_env_check(e->podman, sizeof(e->podman)))
                return false;
        e->run = (unsigned)getpid();
        snprintf(e->rootfs, sizeof(e->rootfs), "%s/rootfs", shared->workdir);
        if (shared->rootfs_ready)
                return true;

        remove_dir(shared->workdir); /* half-built by a test that failed */
        snprintf(shared->workdir, sizeof(shared->workdir), "/tmp/hardend-dpodman-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(shared->workdir));
        snprintf(e->rootfs, sizeof(e->rootfs), "%s/rootfs", shared->workdir);
        podman_env_rootfs(
            e->rootfs,
            (const char *const[]){"bin", "tmp", "mnt", "proc", "dev", "sys", "etc", NULL},
            (const char *const[]){"sh", "sleep", "true", "cat", "mkdir", NULL});
        shared->rootfs_ready = true;
        return true;
}

/* The capabilities the probes below would need: a refusal is then
 * seccomp's, not the kernel's (test_control proves it). */
#define PROBE_CAPS "SYS_ADMIN,NET_RAW"
/* socket(AF_PACKET) is outside api's conditions (refused in enforce, only
 * logged in monitor); mount is on its deny list (refused in both).
 * unshare comes last: once it works the process holds no capability
 * outside its new user namespace. */
#define PROBES "socket_packet", "mount", "unshare"

/* podman --runtime runc run with the profile (a path or "unconfined");
 * detached (returns the container id, malloc'd) or not (returns the
 * output, malloc'd). */
static char *run(const struct env *e, const char *name, const char *profile, bool detach,
                 const char *const *cmd)
{
        char seccomp[512];
        const char *argv[40];
        _cleanup_free_ char *err = NULL;
        char *out = NULL;
        size_t n = podman_run_argv(argv, e->podman, detach);
        int status;

        snprintf(seccomp, sizeof(seccomp), "seccomp=%s", profile);
        argv[n++] = "--cap-add";
        argv[n++] = PROBE_CAPS;
        argv[n++] = "--security-opt";
        argv[n++] = seccomp;
        if (name) {
                argv[n++] = "--name";
                argv[n++] = name;
        }
        argv[n++] = "--rootfs";
        argv[n++] = e->rootfs;
        for (size_t i = 0; cmd[i] && n + 1 < ELEMENTSOF(argv); i++)
                argv[n++] = cmd[i];
        argv[n] = NULL;
        status = test_run(argv, &out, &err);
        ck_assert_msg(status == 0, "podman run %s: status %d: %s", name ? name : "", status, err);
        if (detach)
                out[strcspn(out, "\n")] = '\0';
        return out;
}

/* The probe stays alive a second after its calls: the agent attributes a
 * record through the process's /proc entry, which a process that already
 * exited no longer has (the agent may be busy with a scan right then). */
static char *exec_probes(const struct env *e, const char *name)
{
        const char *argv[] = {e->podman, "exec", name, "/bin/try-syscall", PROBES, "hold:1", NULL};
        _cleanup_free_ char *err = NULL;
        char *out = NULL;
        int status = test_run(argv, &out, &err);

        ck_assert_msg(status == 0, "podman exec %s: status %d: %s", name, status, err);
        return out;
}

static pid_t container_pid(const struct env *e, const char *name)
{
        const char *argv[] = {e->podman, "inspect", "-f", "{{.State.Pid}}", name, NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;
        long pid;

        ck_assert_msg(test_run(argv, &out, &err) == 0, "podman inspect %s: %s", name, err);
        pid = strtol(out, NULL, 10);
        ck_assert_int_gt(pid, 0);
        return (pid_t)pid;
}

static void remove_container(const struct env *e, const char *name)
{
        const char *argv[] = {e->podman, "rm", "-f", "-t", "0", name, NULL};
        _cleanup_free_ char *err = NULL;

        ck_assert_msg(test_run(argv, NULL, &err) == 0, "podman rm %s: %s", name, err);
}

static uint64_t now_msec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *str(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));

        return s ? s : "";
}

/* The seccomp part of the daemon's last check report on container id
 * (it says why a filter could not be read back), as JSON text. */
static char *check_seccomp(const struct tdaemon *t, const char *id)
{
        bool ok;
        json_t *r = tdaemon_call(t, "check", "{\"service\":\"api\"}", &ok), *reports;
        char *text = NULL;

        reports = json_object_get(r, "reports");
        for (size_t i = 0; ok && i < json_array_size(reports); i++)
                if (strcmp(str(json_array_get(reports, i), "id"), id) == 0)
                        text = json_dumps(json_object_get(json_array_get(reports, i), "seccomp"),
                                          JSON_COMPACT | JSON_ENCODE_ANY);
        json_decref(r);
        return text;
}

/* Polls the daemon's observations for up to 10 s until api has the
 * socket call try-syscall made in the workload ref; returns its count. */
static int64_t wait_observation(const struct tdaemon *t, const char *ref)
{
        uint64_t start = now_msec();

        for (;;) {
                bool ok;
                json_t *r = tdaemon_call(t, "events", "{\"service\":\"api\"}", &ok), *obs;
                int64_t count = -1;

                ck_assert_msg(ok, "events: %s", str(r, "message"));
                obs = json_object_get(r, "observations");
                for (size_t i = 0; i < json_array_size(obs); i++) {
                        json_t *o = json_array_get(obs, i), *ws = json_object_get(o, "workloads");

                        if (strcmp(str(o, "syscall"), "socket") != 0 ||
                            strcmp(str(o, "example_comm"), "try-syscall") != 0)
                                continue;
                        for (size_t k = 0; k < json_array_size(ws); k++)
                                if (strcmp(json_string_value(json_array_get(ws, k)), ref) == 0)
                                        count = json_integer_value(json_object_get(o, "count"));
                }
                if (count < 0 && now_msec() - start > 10000) {
                        _cleanup_free_ char *text = json_dumps(r, JSON_COMPACT);

                        fprintf(stderr, "daemon-podman: api's observations: %s\n", text);
                        ck_abort_msg("no socket call of try-syscall in %s observed within 10 s "
                                     "(observations on stderr)",
                                     ref);
                }
                json_decref(r);
                if (count >= 0)
                        return count;
                usleep(50000);
        }
}

/* Polls status for up to 10 s until api lists the container with seccomp
 * state want; fails with api's status and the daemon's log otherwise.
 * Returns the milliseconds it took. */
static uint64_t wait_state(const struct tdaemon *t, const char *id, pid_t pid, const char *want,
                           char ref[static 128])
{
        uint64_t start = now_msec();
        _cleanup_free_ char *last = NULL;

        for (;;) {
                json_t *st, *api = tdaemon_service(t, "api", &st), *ws;
                bool done = false;

                ck_assert_ptr_nonnull(api);
                ws = json_object_get(api, "workloads");
                for (size_t i = 0; i < json_array_size(ws); i++) {
                        json_t *w = json_array_get(ws, i);

                        if (strcmp(str(w, "id"), id) != 0)
                                continue;
                        ck_assert_str_eq(str(w, "kind"), "container");
                        ck_assert_msg(json_integer_value(json_object_get(w, "pid")) == pid,
                                      "container %s: pid %lld in status, %d in podman", id,
                                      json_integer_value(json_object_get(w, "pid")), (int)pid);
                        done = strcmp(str(w, "seccomp"), want) == 0;
                        snprintf(ref, 128, "%s", str(w, "ref"));
                }
                free(last);
                last = json_dumps(api, JSON_COMPACT);
                json_decref(st);
                if (done)
                        return now_msec() - start;
                if (now_msec() - start > 10000) {
                        _cleanup_free_ char *log = tdaemon_log(t);
                        _cleanup_free_ char *seccomp = check_seccomp(t, id);

                        /* Check's messages are short: the evidence goes
                         * to stderr. */
                        fprintf(stderr,
                                "daemon-podman: api: %s\ncheck's seccomp summary of %s: %s\n"
                                "daemon log:\n%s\n",
                                last, id, seccomp ? seccomp : "(no report)", log ? log : "");
                        ck_abort_msg("container %s never \"%s\" under api within 10 s (api's "
                                     "status and the daemon log on stderr)",
                                     id, want);
                }
                usleep(50000);
        }
}

static void switch_api(const struct tdaemon *t, const char *verb)
{
        bool ok;
        json_t *r = tdaemon_call(t, verb, "{\"services\":[\"api\"]}", &ok);

        ck_assert_msg(ok, "%s api: %s: %s", verb, str(r, "code"), str(r, "message"));
        ck_assert_str_eq(str(json_array_get(json_object_get(r, "changed"), 0), "to"), verb);
        json_decref(r);
}

/* The control: with these capabilities and no filter every probe works. */
START_TEST(test_control)
{
        const char *cmd[] = {"/bin/try-syscall", PROBES, NULL};
        _cleanup_free_ char *out = NULL;
        struct env e = {0};

        if (!env_setup(&e))
                return;
        out = run(&e, NULL, "unconfined", false, cmd);
        ck_assert_str_eq(out, "socket_packet ok\nmount ok\nunshare ok\n");
}
END_TEST

START_TEST(test_switch_stale)
{
        const char *cmd[] = {"/bin/sleep", "60", NULL};
        struct tdaemon *t = &shared->daemon;
        struct env e = {0};
        char before[128], after[128], ref[128];
        uint64_t t0 = now_msec(), ms;

        if (!env_setup(&e))
                return;
        snprintf(before, sizeof(before), PREFIX "%u-before", e.run);
        snprintf(after, sizeof(after), PREFIX "%u-after", e.run);
        /* No quiet period: this host's own api-* containers (or an earlier
         * run's) may have left would-be denials behind. */
        tdaemon_setup(t, "quiet_period: 0s\n");
        snprintf(e.profile, sizeof(e.profile), "%s/api.seccomp.json", t->seccomp);
        tdaemon_start(t);
        switch_api(t, "enforce");

        {
                _cleanup_free_ char *id = run(&e, before, e.profile, true, cmd);
                _cleanup_free_ char *out = NULL;
                pid_t pid = container_pid(&e, before);

                ms = wait_state(t, id, pid, "current", ref);
                fprintf(stderr, "daemon-podman: enforce container current after %llu ms\n",
                        (unsigned long long)ms);
                out = exec_probes(&e, before);
                ck_assert_str_eq(out, "socket_packet EPERM\nmount EPERM\nunshare EPERM\n");

                /* The switch rewrites the file; the running container keeps
                 * the filter runc loaded from the old one. */
                switch_api(t, "monitor");
                ms = wait_state(t, id, pid, "stale", ref);
                fprintf(stderr, "daemon-podman: stale after the switch in %llu ms\n",
                        (unsigned long long)ms);
                free(out);
                out = exec_probes(&e, before);
                ck_assert_str_eq(out, "socket_packet EPERM\nmount EPERM\nunshare EPERM\n");
        }
        {
                _cleanup_free_ char *id = run(&e, after, e.profile, true, cmd);
                _cleanup_free_ char *out = NULL;
                pid_t pid = container_pid(&e, after);

                ms = wait_state(t, id, pid, "current", ref);
                fprintf(stderr, "daemon-podman: monitor container current after %llu ms\n",
                        (unsigned long long)ms);
                /* Outside the allow list: logged and allowed; the deny
                 * list refuses in every mode. */
                out = exec_probes(&e, after);
                ck_assert_str_eq(out, "socket_packet ok\nmount EPERM\nunshare EPERM\n");
                /* ... and the daemon heard of it, from that container. */
                ck_assert_int_ge(wait_observation(t, ref), 1);
        }
        remove_container(&e, before);
        remove_container(&e, after);
        {
                int status = tdaemon_stop(t);
                _cleanup_free_ char *log = status != 0 ? tdaemon_log(t) : NULL;

                if (status != 0)
                        fprintf(stderr, "daemon-podman: hardend's log:\n%s\n", log ? log : "");
                ck_assert_msg(status == 0, "hardend exited with status %d (log on stderr)", status);
        }
        tdaemon_cleanup(t);
        fprintf(stderr, "daemon-podman: switch test took %llu ms\n",
                (unsigned long long)(now_msec() - t0));
}
END_TEST

/* The workload of the closed loop: writes and reads a file, then lives a
 * second so the agent can attribute its calls through /proc. */
static const char *const workload[] = {
    "/bin/sh", "-c", "echo loop > /tmp/f && /bin/cat /tmp/f && /bin/sleep 1", NULL};

static bool recording_over(const struct tdaemon *t)
{
        json_t *st, *api = tdaemon_service(t, "api", &st);
        bool over = json_is_null(json_object_get(json_object_get(api, "recording"), "active"));

        json_decref(st);
        return over;
}

/* The closed loop through hardenctl: record api while a container runs a
 * workload under the recording profile, apply the proposal made from it,
 * enforce, and run the workload again: it runs cleanly, while mkdir, which
 * api's original base (@system-service) allows but the workload never
 * used, is now refused. */
START_TEST(test_closed_loop)
{
        struct tdaemon *t = &shared->daemon;
        struct env e = {0};
        char name[128], policy[256];
        uint64_t t0 = now_msec();

        if (!env_setup(&e))
                return;
        tdaemon_setup(t, "quiet_period: 2s\n");
        snprintf(e.profile, sizeof(e.profile), "%s/api.seccomp.json", t->seccomp);
        snprintf(policy, sizeof(policy), "%s/api.yaml", t->profiles);
        tdaemon_start(t);
        {
                const char *record[] = {"record", "api", "--duration", "6s", "--detach", NULL};
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(t, record, &out), 0);
                ck_assert_msg(strstr(out, "recording api until"), "%s", out);
        }
        {
                _cleanup_free_ char *out = NULL;

                snprintf(name, sizeof(name), PREFIX "%u-record", e.run);
                out = run(&e, name, e.profile, false, workload);
                ck_assert_str_eq(out, "loop\n");
        }
        for (int i = 0; i < 200 && !recording_over(t); i++)
                usleep(100 * 1000);
        ck_assert_msg(recording_over(t), "the recording did not end");
        {
                const char *propose[] = {"propose", "api", "--recording", "--apply", NULL};
                _cleanup_free_ char *out = NULL, *text = NULL;
                size_t size;

                ck_assert_int_eq(tdaemon_hardenctl(t, propose, &out), 0);
                fprintf(stderr, "daemon-podman: the proposal from the recording:\n%s\n", out);
                ck_assert_msg(strstr(out, "applied: "), "%s", out);
                ck_assert_int_eq(read_file_bounded(AT_FDCWD, policy, 1 << 20, &text, &size), 0);
                ck_assert_msg(strstr(text, "base: none"), "%s", text);
                ck_assert_msg(strstr(text, "called during the recording"), "%s", text);
        }
        /* Past the quiet period that the recording's would-be denials began. */
        sleep(3);
        {
                const char *enforce[] = {"enforce", "api", NULL};
                _cleanup_free_ char *out = NULL;

                ck_assert_int_eq(tdaemon_hardenctl(t, enforce, &out), 0);
        }
        {
                const char *cmd[] = {"/bin/sleep", "60", NULL};
                const char *mk[] = {e.podman, "exec", name, "/bin/mkdir", "/tmp/d", NULL};
                _cleanup_free_ char *out = NULL, *id = NULL, *err = NULL;

                snprintf(name, sizeof(name), PREFIX "%u-enforce", e.run);
                out = run(&e, NULL, e.profile, false, workload);
                ck_assert_str_eq(out, "loop\n");
                const char *ok[] = {e.podman,    "exec",
                                    name,        workload[0],
                                    workload[1], "echo loop > /tmp/f && /bin/cat /tmp/f",
                                    NULL};

                id = run(&e, name, e.profile, true, cmd);
                /* The runtime's exec path and what the workload did work
                 * under the new filter... */
                ck_assert_int_eq(test_run(ok, NULL, &err), 0);
                free(err);
                err = NULL;
                /* ... and what the workload never did is refused. */
                ck_assert_int_ne(test_run(mk, NULL, &err), 0);
                ck_assert_msg(
                    strstr(err, "can't create directory '/tmp/d': Operation not permitted"), "%s",
                    err);
                remove_container(&e, name);
        }
        ck_assert_int_eq(tdaemon_stop(t), 0);
        tdaemon_cleanup(t);
        fprintf(stderr, "daemon-podman: closed loop took %llu ms\n",
                (unsigned long long)(now_msec() - t0));
}
END_TEST

static Suite *daemon_podman_suite(void)
{
        Suite *s = suite_create("daemon-podman");
        TCase *tc = tcase_create("podman");

        tcase_add_unchecked_fixture(tc, fixture_setup, fixture_teardown);
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_control);
        tcase_add_test(tc, test_switch_stale);
        tcase_add_test(tc, test_closed_loop);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(daemon_podman_suite)
