/* SPDX-License-Identifier: MIT */
/* The generated profiles in real containers: podman with runc, a busybox
 * rootfs built here, the shipped api, frontend and worker profiles in
 * enforce mode. Each service runs a representative workload; forbidden
 * calls fail with the profile's errno while the same calls, with the same
 * capabilities, succeed unconfined (so the refusal is seccomp's). Both
 * profile forms (with and without flags) meet the installed runtime, and
 * monitor mode logs in a container too.
 *
 * Containers run with no_new_privs, as the profiles' posture demands: runc
 * then loads the filter just before execve. Without it runc loads the
 * filter before dropping privileges and needs setgroups/setresuid/capset,
 * which these profiles refuse. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "podman-env.h"
#include "seccomp-helpers.h"
#include "seccomp/seccomp-runtime.h"
#include "testing.h"

struct env {
        char dir[64];
        char rootfs[128];
        char podman[512];
};

static const char *const applets[] = {"sh",    "cat",  "echo", "httpd", "wget",  "tar",
                                      "sort",  "wc",   "tail", "mkdir", "sleep", "unshare",
                                      "mount", "grep", "true", "ls",    NULL};

/* Builds a rootfs from busybox-static and the try-syscall helper, and
 * generates the enforce-mode profiles. False (after test_require) when a
 * component is missing. */
static bool env_setup(struct env *e)
{
        char path[512];

        if (!podman_env_check(e->podman, sizeof(e->podman)))
                return false;
        snprintf(e->dir, sizeof(e->dir), "/tmp/hardend-podman-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(e->dir));
        snprintf(e->rootfs, sizeof(e->rootfs), "%s/rootfs", e->dir);
        podman_env_rootfs(
            e->rootfs,
            (const char *const[]){"bin", "tmp", "www", "mnt", "proc", "dev", "sys", "etc", NULL},
            applets);
        snprintf(path, sizeof(path), "%s/www/index.html", e->rootfs);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, "hello from hardend\n", 19, 0644), 0);
        snprintf(path, sizeof(path), "%s/tmp", e->rootfs);
        ck_assert_int_eq(chmod(path, 01777), 0);

        for (int flags = 0; flags < 2; flags++) {
                char outdir[256];
                const char *argv[] = {"build/hardenctl",
                                      "generate",
                                      "--mode",
                                      "enforce",
                                      "--runtime-flags",
                                      flags ? "yes" : "no",
                                      "--out",
                                      outdir,
                                      "api",
                                      "frontend",
                                      "worker",
                                      NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;

                snprintf(outdir, sizeof(outdir), "%s/%s", e->dir, flags ? "flags" : "plain");
                ck_assert_int_eq(mkdir(outdir, 0755), 0);
                ck_assert_msg(test_run(argv, &out, &err) == 0, "generate: %s", err);
        }
        {
                char outdir[256];
                const char *argv[] = {
                    "build/hardenctl", "generate", "--mode", "monitor", "--runtime-flags", "no",
                    "--out",           outdir,     "api",    NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;

                snprintf(outdir, sizeof(outdir), "%s/monitor", e->dir);
                ck_assert_int_eq(mkdir(outdir, 0755), 0);
                ck_assert_msg(test_run(argv, &out, &err) == 0, "generate: %s", err);
        }
        return true;
}

static void env_done(struct env *e)
{
        const char *argv[] = {"/bin/rm", "-rf", e->dir, NULL};

        if (e->dir[0])
                ck_assert_int_eq(test_run(argv, NULL, NULL), 0);
}

/* podman --runtime runc run ... with the profile (a file, or "unconfined")
 * and extra capabilities; returns the exit status. */
static int run(const struct env *e, const char *profile, const char *caps, const char *const *cmd,
               char **ret_out, char **ret_err)
{
        char seccomp[512];
        const char *argv[40];
        size_t n = podman_run_argv(argv, e->podman, false);

        argv[n++] = "--security-opt";
        argv[n++] = seccomp;
        if (strcmp(profile, "unconfined") == 0)
                snprintf(seccomp, sizeof(seccomp), "seccomp=unconfined");
        else
                snprintf(seccomp, sizeof(seccomp), "seccomp=%s/%s", e->dir, profile);
        if (caps) {
                argv[n++] = "--cap-add";
                argv[n++] = caps;
        }
        /* --rootfs is a flag: the first argument after the options is the
         * rootfs directory. */
        argv[n++] = "--rootfs";
        argv[n++] = e->rootfs;
        for (size_t i = 0; cmd[i] && n + 1 < ELEMENTSOF(argv); i++)
                argv[n++] = cmd[i];
        argv[n] = NULL;
        return test_run(argv, ret_out, ret_err);
}

struct workload {
        const char *service;
        const char *script;
        const char *expect;
};

static const struct workload workloads[] = {
    /* A network server: listens, accepts, answers; a client on the same
     * loopback. */
    {"api",
     "httpd -p 127.0.0.1:8080 -h /www && wget -q -O - http://127.0.0.1:8080/index.html && "
     "try-syscall socket_inet clone_fork",
     "hello from hardend\nsocket_inet ok\nclone_fork ok\n"},
    /* A static file server forking per connection (busybox httpd). */
    {"frontend",
     "httpd -p 127.0.0.1:8080 -h /www && for i in 1 2 3; do wget -q -O - "
     "http://127.0.0.1:8080/index.html; done",
     "hello from hardend\nhello from hardend\nhello from hardend\n"},
    /* A build step: a shell that forks and execs, pipes, archives. */
    {"worker",
     "i=0; while [ $i -lt 20 ]; do i=$((i+1)); echo $i | cat >> /tmp/out; done; "
     "mkdir -p /tmp/ws && tar -cf /tmp/ws/www.tar -C / www && tar -tf /tmp/ws/www.tar | wc -l "
     "&& sort -n /tmp/out | tail -n 1",
     "2\n20\n"},
};

START_TEST(test_workloads)
{
        struct env e = {0};

        if (!env_setup(&e))
                return;
        for (size_t i = 0; i < ELEMENTSOF(workloads); i++) {
                char profile[128];
                const char *cmd[] = {"/bin/sh", "-c", workloads[i].script, NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;
                int status;

                snprintf(profile, sizeof(profile), "plain/%s.seccomp.json", workloads[i].service);
                status = run(&e, profile, NULL, cmd, &out, &err);
                ck_assert_msg(status == 0, "%s: status %d, stderr: %s", workloads[i].service,
                              status, err);
                ck_assert_msg(strcmp(out, workloads[i].expect) == 0, "%s: output '%s'",
                              workloads[i].service, out);
        }
        env_done(&e);
}
END_TEST

/* Forbidden calls, with every capability they would need: refused by
 * each profile, allowed unconfined. unshare comes last: once it works the
 * process is in a new user namespace and holds no capability outside. */
static const char *const probes[] = {"ptrace",  "kexec_load", "socket_packet", "clone_newuser",
                                     "clone3",  "setns",      "mount",         "bpf",
                                     "unshare", NULL};
#define PROBE_CAPS "SYS_ADMIN,SYS_BOOT,NET_RAW,SYS_PTRACE"

START_TEST(test_forbidden)
{
        static const char *const services[] = {"api", "frontend", "worker"};
        static const char refused[] = "ptrace EPERM\nkexec_load EPERM\nsocket_packet EPERM\n"
                                      "clone_newuser EPERM\nclone3 ENOSYS\nsetns EPERM\n"
                                      "mount EPERM\nbpf EPERM\nunshare EPERM\n";
        const char *cmd[16] = {"/bin/try-syscall"};
        struct env e = {0};

        if (!env_setup(&e))
                return;
        for (size_t i = 0; probes[i]; i++)
                cmd[i + 1] = probes[i];
        {
                _cleanup_free_ char *out = NULL, *err = NULL;

                ck_assert_int_eq(run(&e, "unconfined", PROBE_CAPS, cmd, &out, &err), 0);
                /* The control: none of them refused for want of privilege. */
                ck_assert_msg(!strstr(out, "EPERM") && !strstr(out, "ENOSYS\nsetns"),
                              "unconfined: %s", out);
                ck_assert_ptr_nonnull(strstr(out, "ptrace ESRCH\n"));
                ck_assert_ptr_nonnull(strstr(out, "unshare ok\n"));
                ck_assert_ptr_nonnull(strstr(out, "mount ok\n"));
                ck_assert_ptr_nonnull(strstr(out, "clone3 EINVAL\n"));
        }
        for (size_t i = 0; i < ELEMENTSOF(services); i++) {
                char profile[128];
                _cleanup_free_ char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
                const char *tool[] = {"/bin/sh", "-c",
                                      "unshare -U true; echo \"unshare $?\"; "
                                      "mount -t tmpfs none /mnt; echo \"mount $?\"",
                                      NULL};

                snprintf(profile, sizeof(profile), "plain/%s.seccomp.json", services[i]);
                ck_assert_int_eq(run(&e, profile, PROBE_CAPS, cmd, &out, &err), 0);
                ck_assert_msg(strcmp(out, refused) == 0, "%s: %s", services[i], out);
                /* The real tools say so too. */
                ck_assert_int_eq(run(&e, profile, PROBE_CAPS, tool, &out2, &err2), 0);
                ck_assert_str_eq(out2, "unshare 1\nmount 1\n");
                ck_assert_ptr_nonnull(
                    strstr(err2, "unshare: unshare(0x10000000): Operation not permitted\n"));
                /* busybox's words for EPERM from mount(2) */
                ck_assert_ptr_nonnull(strstr(err2, "mount: permission denied (are you root?)\n"));
        }
        env_done(&e);
}
END_TEST

/* Both forms against the runtime installed here: without flags it runs
 * (above); with SECCOMP_FILTER_FLAG_LOG it must behave as the runtime's
 * features say: refused to start (runc 1.1), or run with refusals
 * audited. */
START_TEST(test_flags_forms)
{
        struct env e = {0};
        struct seccomp_runtime rt;
        const char *cmd[] = {"/bin/try-syscall", "ptrace", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;
        _cleanup_close_ int audit = -1;
        _cleanup_free_ char *json = NULL;
        char path[256];
        size_t size;
        int status;

        if (!env_setup(&e))
                return;
        snprintf(path, sizeof(path), "%s/flags/api.seccomp.json", e.dir);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 1 << 20, &json, &size), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"SECCOMP_FILTER_FLAG_LOG\""));
        ck_assert_int_eq(seccomp_runtime_probe("runc", &rt), 0);
        audit = stest_audit_open();
        status = run(&e, "flags/api.seccomp.json", NULL, cmd, &out, &err);
        if (!rt.flag_log) {
                /* "seccomp flags are not yet supported by runc" */
                ck_assert_msg(status != 0, "runc says it takes no flags, yet ran: %s", out);
                ck_assert_msg(strstr(err, "seccomp flags"), "stderr: %s", err);
        } else {
                char rec[8192];

                ck_assert_msg(status == 0, "runc says it takes flags, yet: %s", err);
                ck_assert_str_eq(out, "ptrace EPERM\n");
                if (test_require(audit >= 0, "a NETLINK_AUDIT socket on AUDIT_NLGRP_READLOG"))
                        ck_assert(stest_audit_wait(audit, 0, "try-syscall", SYS_ptrace, "0x50000",
                                                   5000, rec, sizeof(rec)));
        }
        {
                _cleanup_free_ char *o2 = NULL, *e2 = NULL;

                ck_assert_int_eq(run(&e, "plain/api.seccomp.json", NULL, cmd, &o2, &e2), 0);
                ck_assert_str_eq(o2, "ptrace EPERM\n");
        }
        env_done(&e);
}
END_TEST

/* monitor mode in a container: a call outside the allow list runs and the
 * kernel logs it; the deny list still refuses. */
START_TEST(test_monitor_in_container)
{
        struct env e = {0};
        const char *cmd[] = {"/bin/try-syscall", "socket_packet", "ptrace", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;
        _cleanup_close_ int audit = -1;
        char rec[8192];

        if (!env_setup(&e))
                return;
        audit = stest_audit_open();
        if (!test_require(audit >= 0, "a NETLINK_AUDIT socket on AUDIT_NLGRP_READLOG"))
                return;
        ck_assert_int_eq(run(&e, "monitor/api.seccomp.json", "NET_RAW", cmd, &out, &err), 0);
        ck_assert_str_eq(out, "socket_packet ok\nptrace EPERM\n");
        ck_assert_msg(stest_audit_wait(audit, 0, "try-syscall", SYS_socket, "0x7ffc0000", 5000, rec,
                                       sizeof(rec)),
                      "no type-1326 record for socket(AF_PACKET) in the container");
        env_done(&e);
}
END_TEST

static Suite *seccomp_podman_suite(void)
{
        Suite *s = suite_create("seccomp-podman");
        TCase *tc = tcase_create("podman");

        tcase_add_test(tc, test_workloads);
        tcase_add_test(tc, test_forbidden);
        tcase_add_test(tc, test_flags_forms);
        tcase_add_test(tc, test_monitor_in_container);
        tcase_set_timeout(tc, 120);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_podman_suite)
