/* SPDX-License-Identifier: MIT */
/* Events from real containers: podman with runc runs an api and a
 * frontend container under their monitor-mode profiles; a process in each
 * makes a call outside the allow list (syslog), which the kernel logs. The
 * live netlink source, the pipeline and `hardenctl events --follow` must
 * all name the container, its workload id and its service. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
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
#include "sources/audit-netlink.h"
#include "events/events-pipeline.h"
#include "policy/policy-set.h"
#include "seccomp-helpers.h"
#include "testing.h"

#define PODMAN "/usr/bin/podman"
/* Names the shipped policies match (api-*, web-*): attribution by name. */
static const char *const names[] = {"api-hardend-events-test", "web-hardend-events-test"};
static const char *const services[] = {"api", "frontend"};

static char workdir[64];
static char ids[2][80];

static void remove_containers(void)
{
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *argv[] = {PODMAN, "rm", "-f", "-t", "0", names[i], NULL};

                (void)test_run(argv, NULL, NULL);
        }
}

/* Runs in the parent around the test case, so the containers go even when
 * the test failed half-way. */
static void remove_leftovers(void)
{
        if (access(PODMAN, X_OK) == 0)
                remove_containers();
}

static bool have_podman(void)
{
        return test_require(geteuid() == 0, "root") &&
               test_require(access(PODMAN, X_OK) == 0, "podman") &&
               test_require(stest_which("runc") != NULL, "runc") &&
               test_require(stest_which("busybox") != NULL, "busybox (busybox-static)") &&
               test_require(stest_which("cc") != NULL, "a C compiler");
}

/* A rootfs with busybox and the try-syscall helper; the monitor-mode
 * profiles of both services. */
static void build_env(void)
{
        char rootfs[128], path[256];
        _cleanup_free_ char *bb = NULL;
        size_t size;

        snprintf(workdir, sizeof(workdir), "/tmp/hardend-events-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(workdir));
        snprintf(rootfs, sizeof(rootfs), "%s/rootfs", workdir);
        for (const char *const *d =
                 (const char *const[]){"", "/bin", "/tmp", "/proc", "/dev", "/sys", "/etc", NULL};
             *d; d++) {
                snprintf(path, sizeof(path), "%s%s", rootfs, *d);
                ck_assert_int_eq(mkdir(path, 0755), 0);
        }
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, stest_which("busybox"), 16u << 20, &bb, &size),
                         0);
        snprintf(path, sizeof(path), "%s/bin/busybox", rootfs);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, bb, size, 0755), 0);
        snprintf(path, sizeof(path), "%s/bin/sh", rootfs);
        ck_assert_int_eq(symlink("busybox", path), 0);
        snprintf(path, sizeof(path), "%s/bin/try-syscall", rootfs);
        {
                const char *argv[] = {stest_which("cc"),
                                      "-static",
                                      "-O2",
                                      "-o",
                                      path,
                                      test_path("tests/integration/try-syscall.c"),
                                      NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;

                ck_assert_msg(test_run(argv, &out, &err) == 0, "building try-syscall: %s", err);
        }
        {
                const char *argv[] = {"build/hardenctl",
                                      "generate",
                                      "--mode",
                                      "monitor",
                                      "--runtime-flags",
                                      "no",
                                      "--out",
                                      workdir,
                                      "api",
                                      "frontend",
                                      NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;

                ck_assert_msg(test_run(argv, &out, &err) == 0, "generate: %s", err);
        }
}

static void drop_env(void)
{
        const char *argv[] = {"/bin/rm", "-rf", workdir, NULL};

        remove_containers();
        if (workdir[0])
                ck_assert_int_eq(test_run(argv, NULL, NULL), 0);
}

/* Starts container i: try-syscall syslog, then holds for a while so the
 * process can be looked at while it lives. */
static void start(size_t i)
{
        char seccomp[160], rootfs[128];
        const char *argv[] = {PODMAN,
                              "--runtime",
                              "runc",
                              "run",
                              "-d",
                              "--name",
                              names[i],
                              "--network",
                              "none",
                              "--ulimit",
                              "nofile=1024:1024",
                              "--ulimit",
                              "nproc=1024:1024",
                              "--security-opt",
                              "no-new-privileges",
                              "--security-opt",
                              seccomp,
                              "--rootfs",
                              rootfs,
                              "/bin/try-syscall",
                              "syslog",
                              "hold:60",
                              NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        snprintf(seccomp, sizeof(seccomp), "seccomp=%s/%s.seccomp.json", workdir, services[i]);
        snprintf(rootfs, sizeof(rootfs), "%s/rootfs", workdir);
        ck_assert_msg(test_run(argv, &out, &err) == 0, "podman run %s: %s", names[i], err);
        snprintf(ids[i], sizeof(ids[i]), "%.64s", out);
        ck_assert_uint_eq(strlen(ids[i]), 64);
}

struct seen {
        bool found[2];
        char problem[512];
};

static int sink(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct seen *s = userdata;
        const struct attribution *a = ctx->attr;

        if (e->kind != EVENT_SECCOMP || !e->seccomp.syscall_name ||
            strcmp(e->seccomp.syscall_name, "syslog") != 0 || !a->container_name)
                return 0;
        for (size_t i = 0; i < 2; i++) {
                char workload[96];

                if (strcmp(a->container_name, names[i]) != 0)
                        continue;
                snprintf(workload, sizeof(workload), "podman:%.12s", ids[i]);
                if (!a->service || strcmp(a->service, services[i]) != 0 ||
                    strcmp(a->workload, workload) != 0 || !a->container_id ||
                    strcmp(a->container_id, ids[i]) != 0 || a->how != ATTRIBUTED_LIVE ||
                    a->match != MATCH_CONTAINER_NAME || strcmp(e->comm, "try-syscall") != 0 ||
                    e->seccomp.verdict != SECCOMP_EVENT_LOG)
                        snprintf(s->problem, sizeof(s->problem),
                                 "%s: service %s workload %s how %d match %d comm %s verdict %d",
                                 names[i], a->service ? a->service : "-", a->workload, a->how,
                                 a->match, e->comm, e->seccomp.verdict);
                s->found[i] = true;
        }
        return 0;
}

static bool wait_for_file(const char *path, const char *needle, int seconds)
{
        for (int i = 0; i < seconds * 10; i++) {
                _cleanup_free_ char *data = NULL;
                size_t n;

                if (read_file_bounded(AT_FDCWD, path, 1u << 20, &data, &n) == 0 &&
                    memmem(data, n, needle, strlen(needle)))
                        return true;
                usleep(100000);
        }
        return false;
}

/* The CLI's JSON lines name both containers, their ids and services. */
static void check_cli_output(const char *path)
{
        _cleanup_free_ char *data = NULL;
        bool found[2] = {false, false};
        char *line, *save = NULL;
        size_t n;

        ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 16u << 20, &data, &n), 0);
        for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                json_error_t je;
                json_t *j = json_loads(line, 0, &je);
                const char *cname, *syscall;

                ck_assert_msg(j, "not JSON: %s", line);
                cname = json_string_value(json_object_get(j, "container_name"));
                syscall = json_string_value(json_object_get(j, "syscall"));
                for (size_t i = 0; i < 2; i++)
                        if (cname && syscall && strcmp(cname, names[i]) == 0 &&
                            strcmp(syscall, "syslog") == 0) {
                                char workload[96];

                                snprintf(workload, sizeof(workload), "podman:%.12s", ids[i]);
                                ck_assert_str_eq(json_string_value(json_object_get(j, "service")),
                                                 services[i]);
                                ck_assert_str_eq(json_string_value(json_object_get(j, "workload")),
                                                 workload);
                                ck_assert_str_eq(
                                    json_string_value(json_object_get(j, "container_id")), ids[i]);
                                ck_assert_str_eq(json_string_value(json_object_get(j, "source")),
                                                 "netlink");
                                found[i] = true;
                        }
                json_decref(j);
        }
        ck_assert_msg(found[0] && found[1], "hardenctl events missed a container: %s", data);
}

START_TEST(test_containers_attributed)
{
        struct policy_set policies = {0};
        struct events_pipeline *p;
        struct audit_netlink *nl;
        struct seen seen = {0};
        _cleanup_close_ int proc_fd = -1, root_fd = -1;
        char out_path[128], err_path[128];
        pid_t cli;
        int status;

        if (!have_podman())
                return;
        remove_containers();
        build_env();
        ck_assert_int_eq(policy_set_load_dir(test_path("profiles"), &policies, NULL, NULL), 0);
        proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_eq(audit_netlink_open(0, &nl), 0);
        ck_assert_int_eq(events_pipeline_new(&(struct events_pipeline_config){.policies = &policies,
                                                                              .proc_fd = proc_fd,
                                                                              .root_fd = root_fd,
                                                                              .sink = sink,
                                                                              .userdata = &seen},
                                             &p),
                         0);
        /* The CLI, following the live stream beside us. */
        snprintf(out_path, sizeof(out_path), "%s/events.out", workdir);
        snprintf(err_path, sizeof(err_path), "%s/events.err", workdir);
        {
                const char *argv[] = {"build/hardenctl", "events",   "--follow", "--json",
                                      "--profiles",      "profiles", NULL};

                cli = test_spawn(argv, out_path, err_path);
        }
        ck_assert_msg(wait_for_file(err_path, "following", 30), "hardenctl events did not start");

        for (size_t i = 0; i < 2; i++)
                start(i);
        for (int round = 0; round < 300 && !(seen.found[0] && seen.found[1]); round++) {
                struct pollfd pfd = {.fd = audit_netlink_fd(nl), .events = POLLIN};

                if (poll(&pfd, 1, 100) > 0)
                        ck_assert_int_ge(audit_netlink_drain(nl, events_pipeline_raw_fn, p), 0);
        }
        ck_assert_msg(seen.problem[0] == '\0', "%s", seen.problem);
        ck_assert_msg(seen.found[0], "no syslog event attributed to %s", names[0]);
        ck_assert_msg(seen.found[1], "no syslog event attributed to %s", names[1]);
        ck_assert_uint_eq(audit_netlink_stats(nl)->overruns, 0);

        /* The CLI saw them too; Ctrl-C ends it cleanly. */
        usleep(500000);
        kill(cli, SIGINT);
        ck_assert_int_eq(waitpid(cli, &status, 0), cli);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "hardenctl events: status %d",
                      status);
        check_cli_output(out_path);

        events_pipeline_free(p);
        audit_netlink_free(nl);
        policy_set_done(&policies);
        drop_env();
}
END_TEST

static Suite *events_podman_suite(void)
{
        Suite *s = suite_create("events-podman");
        TCase *tc = tcase_create("podman");

        tcase_add_unchecked_fixture(tc, remove_leftovers, remove_leftovers);
        tcase_add_test(tc, test_containers_attributed);
        tcase_set_timeout(tc, 180);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(events_podman_suite)
