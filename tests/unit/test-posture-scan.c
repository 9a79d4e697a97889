/* SPDX-License-Identifier: MIT */
/* The /proc scanner and the posture check on a fixture tree
 * (tests/fixtures/proc/host, described in its README) with hostile
 * entries: names with spaces, parentheses and newlines, truncated and
 * malformed files, vanished PIDs, a kernel thread, a zombie, a thread
 * with other credentials; then the same rules on live processes of this
 * machine. The full report for the fixture is compared with
 * tests/fixtures/posture/expected/host.txt; POSTURE_UPDATE_GOLDEN=1
 * rewrites it (review the diff). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "policy/policy-set.h"
#include "posture/posture-check.h"
#include "posture/posture-print.h"
#include "posture/scan.h"
#include "posture/score.h"
#include "posture/workload.h"
#include "posture-fixture.h"
#include "testing.h"

#define FIXTURE "tests/fixtures/proc/host"
#define DOCKER  "d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4"

static int open_fixture(void)
{
        int fd = open(test_path(FIXTURE), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        return fd;
}

START_TEST(test_fixture_scan)
{
        struct posture_scan s;
        const struct proc_info *p;
        int fd = open_fixture();

        ck_assert_int_eq(posture_scan_run(fd, 0, SCAN_EXE | SCAN_THREADS | SCAN_CMDLINE, &s), 0);
        /* 1 100 101 200 300 310 320 400 401 600 700 806 are read; 800
         * (truncated status) and 801 (stat without ')') are unreadable; 802
         * (dangling), 803 (no status) and 805 (zombie) vanished; 804 is a
         * kernel thread. */
        ck_assert_uint_eq(s.n_procs, 12);
        ck_assert_uint_eq(s.unreadable, 2);
        ck_assert_uint_eq(s.vanished, 3);
        ck_assert_uint_eq(s.kernel_threads, 1);
        ck_assert_int_eq(s.host.pid, 1);
        ck_assert(!s.host.from_self);
        ck_assert_int_eq(s.apparmor, APPARMOR_SOURCE_LSM_DIR);
        ck_assert_uint_eq(s.cap_last_cap, 40);
        /* host, docker, containerd, cri-o, podman: one table each */
        ck_assert_uint_eq(s.n_mount_ns, 5);
        ck_assert_ptr_null(posture_scan_find(&s, 800));
        ck_assert_ptr_null(posture_scan_find(&s, 804));

        /* comm with parentheses and a newline, cmdline with escapes */
        p = posture_scan_find(&s, 400);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p->comm_len, 7);
        ck_assert_mem_eq(p->comm, "a) (b\nc", 7);
        ck_assert_uint_eq(p->start_time, 9000);
        ck_assert_uint_eq(p->cmdline_len, 12);
        ck_assert_mem_eq(p->cmdline, "\x1b[31mred\0\xff\xfe", 12);
        ck_assert_int_eq(p->cgroup.runtime, RUNTIME_CRIO);
        ck_assert_str_eq(p->cgroup.pod_uid, "abcdef01-2345-6789-abcd-ef0123456789");
        ck_assert_str_eq(p->cgroup.qos, "besteffort");
        ck_assert_str_eq(p->apparmor.label, "crio-default");

        /* the docker container's main process: creds, ns, mounts, threads */
        p = posture_scan_find(&s, 100);
        ck_assert_uint_eq(p->creds.cap_bnd, 0xa80425fbu);
        ck_assert_int_eq(p->creds.seccomp_mode, 2);
        ck_assert(!p->creds.no_new_privs);
        ck_assert_uint_eq(p->nspid_levels, 2);
        ck_assert_uint_eq(ns_set_shared(&p->ns, &s.host.ns), 1u << NS_USER);
        ck_assert_str_eq(p->exe, "/usr/sbin/nginx");
        ck_assert_uint_eq(p->n_threads, 1);
        ck_assert_int_eq(p->threads[0].tid, 102);
        ck_assert_uint_eq(p->threads[0].creds.cap_eff, 0xa82425fbu);
        ck_assert_uint_eq(posture_scan_mounts(&s, p)->n, 15);
        ck_assert_uint_eq(p->gaps, 0);
        /* its third process has no ns links: a gap, not a failure */
        p = posture_scan_find(&s, 806);
        ck_assert_uint_eq(p->gaps, PROC_GAP_NS | PROC_GAP_MOUNTS);
        ck_assert_ptr_null(posture_scan_mounts(&s, p));
        /* the host mount table has the escaped mount point */
        ck_assert_str_eq(s.mount_ns[s.host.mount_ns].table.entries[5].target, "/srv/home dir");
        posture_scan_done(&s);

        /* One pid; one that is not there. */
        ck_assert_int_eq(posture_scan_run(fd, 200, 0, &s), 0);
        ck_assert_uint_eq(s.n_procs, 1);
        ck_assert_ptr_null(posture_scan_find(&s, 200)->exe); /* not asked for */
        posture_scan_done(&s);
        ck_assert_int_eq(posture_scan_run(fd, 802, 0, &s), 0);
        ck_assert_uint_eq(s.n_procs, 0);
        ck_assert_uint_eq(s.vanished, 1);
        posture_scan_done(&s);
        close(fd);
}
END_TEST

static char root_copy[64];

static int make_root_copy(void)
{
        return posture_root_open_copy(root_copy, sizeof(root_copy));
}

static void drop_root_copy(int fd)
{
        posture_root_drop(fd, root_copy);
}

static void load_profiles(struct policy_set *set)
{
        ck_assert_int_eq(policy_set_load_dir(test_path("profiles"), set, NULL, NULL), 0);
        ck_assert_uint_eq(set->n, 4); /* api, frontend, worker and hardend itself */
}

START_TEST(test_fixture_workloads)
{
        static const struct {
                const char *ref, *service;
                enum match_how how;
                const char *detail;
                size_t n_procs;
        } want[] = {
            {"containerd:c0dec0dec0de", "api", MATCH_LABEL, "io.kubernetes.container.name=api", 1},
            /* its labels would say api, but nobody may trust that state */
            {"cri-o:0c100c100c10", NULL, MATCH_NONE, NULL, 1},
            {"docker:d0c4d0c4d0c4", "frontend", MATCH_CONTAINER_NAME, "web-1", 3},
            {"podman:9a9a9a9a9a9a", NULL, MATCH_NONE, NULL, 1},
            {"unit:api.service", "api", MATCH_UNIT, "api.service", 1},
            {"unit:init.scope", NULL, MATCH_NONE, NULL, 1},
            {"unit:session-3.scope", "worker", MATCH_EXECUTABLE, "/usr/local/bin/build-agent", 1},
        };
        struct posture_scan s;
        struct workload_set ws;
        struct policy_set set;
        int fd = open_fixture(), root = make_root_copy();

        load_profiles(&set);
        ck_assert_int_eq(posture_scan_run(fd, 0, SCAN_EXE | SCAN_THREADS, &s), 0);
        ck_assert_int_eq(workloads_build(&s, root, &ws), 0);
        ck_assert_int_eq(workloads_match(&ws, &s, &set), 0);
        /* the two conmons are left out; pid 320 (no unit, no match) dropped */
        ck_assert_uint_eq(ws.monitors, 2);
        ck_assert_uint_eq(ws.n, ELEMENTSOF(want));
        for (size_t i = 0; i < ws.n; i++) {
                const struct workload *w = &ws.items[i];
                char ref[64];

                ck_assert_str_eq(workload_ref(w, ref, sizeof(ref)), want[i].ref);
                if (want[i].service)
                        ck_assert_str_eq(w->policy->service, want[i].service);
                else
                        ck_assert_ptr_null(w->policy);
                ck_assert_int_eq(w->how, want[i].how);
                if (want[i].detail)
                        ck_assert_str_eq(w->how_detail, want[i].detail);
                ck_assert_uint_eq(w->n_procs, want[i].n_procs);
        }
        /* Kubernetes names from the CRI annotations; OCI init verified */
        ck_assert_str_eq(ws.items[0].k8s_namespace, "shop");
        ck_assert_str_eq(ws.items[0].k8s_pod, "api-7d9f");
        ck_assert_str_eq(ws.items[0].k8s_container, "api");
        ck_assert_str_eq(ws.items[0].pod_uid, "12345678-1234-1234-1234-123456789abc");
        ck_assert_str_eq(ws.items[0].qos, "burstable");
        ck_assert(ws.items[0].init_verified);
        ck_assert(ws.items[1].have_state && !ws.items[1].state_trusted);
        ck_assert_uint_eq(ws.items[1].labels.n, 0);
        ck_assert_str_eq(ws.items[1].name, "k8s_api_evil");
        ck_assert_str_eq(ws.items[2].id, DOCKER);
        ck_assert(ws.items[2].init_verified);
        ck_assert_int_eq(workload_main_proc(&ws.items[2], &s)->pid, 100);
        workload_set_done(&ws);
        posture_scan_done(&s);
        policy_set_done(&set);
        drop_root_copy(root);
        close(fd);
}
END_TEST

/* The whole report, as hardenctl check prints it. */
START_TEST(test_fixture_report_golden)
{
        struct posture_scan s;
        struct workload_set ws;
        struct policy_set set;
        int fd = open_fixture(), root = make_root_copy();
        const char *golden = test_path("tests/fixtures/posture/expected/host.txt");
        char *out = NULL, *want = NULL;
        size_t len = 0, want_len;
        FILE *f = open_memstream(&out, &len);

        load_profiles(&set);
        ck_assert_int_eq(posture_scan_run(fd, 0, SCAN_EXE | SCAN_THREADS, &s), 0);
        ck_assert_int_eq(workloads_build(&s, root, &ws), 0);
        ck_assert_int_eq(workloads_match(&ws, &s, &set), 0);
        for (size_t i = 0; i < ws.n; i++) {
                struct posture_report r;

                if (ws.items[i].kind != WORKLOAD_CONTAINER && !ws.items[i].policy)
                        continue;
                ck_assert_int_eq(posture_check(&s, &ws.items[i], root, &r), 0);
                posture_print_text(f, &s, &r, NULL, SEVERITY_INFO);
                posture_report_done(&r);
        }
        fclose(f);
        if (getenv("POSTURE_UPDATE_GOLDEN")) {
                ck_assert_int_eq(write_file_atomic(AT_FDCWD, golden, out, len, 0644), 0);
        } else {
                ck_assert_int_eq(read_file_bounded(AT_FDCWD, golden, 1 << 20, &want, &want_len), 0);
                ck_assert_str_eq(out, want);
        }
        free(out);
        free(want);
        workload_set_done(&ws);
        posture_scan_done(&s);
        policy_set_done(&set);
        drop_root_copy(root);
        close(fd);
}
END_TEST

/* Findings of one fixture workload as "severity check subject" lines. */
static char *findings_of(const char *ref_wanted, int root)
{
        struct posture_scan s;
        struct workload_set ws;
        struct policy_set set;
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        int fd = open_fixture();

        load_profiles(&set);
        ck_assert_int_eq(posture_scan_run(fd, 0, SCAN_EXE | SCAN_THREADS, &s), 0);
        ck_assert_int_eq(workloads_build(&s, root, &ws), 0);
        ck_assert_int_eq(workloads_match(&ws, &s, &set), 0);
        for (size_t i = 0; i < ws.n; i++) {
                struct posture_report r;
                char ref[64];

                if (strcmp(workload_ref(&ws.items[i], ref, sizeof(ref)), ref_wanted) != 0)
                        continue;
                ck_assert_int_eq(posture_check(&s, &ws.items[i], root, &r), 0);
                for (size_t k = 0; k < r.n_findings; k++)
                        fprintf(f, "%s %s %s\n", severity_to_string(r.findings[k].severity),
                                check_id_to_string(r.findings[k].check), r.findings[k].subject);
                posture_report_done(&r);
        }
        fclose(f);
        workload_set_done(&ws);
        posture_scan_done(&s);
        policy_set_done(&set);
        close(fd);
        return out;
}

START_TEST(test_fixture_findings)
{
        int root = make_root_copy();
        char *got;

        /* Kubernetes api container: only the bounding NET_BIND_SERVICE
         * (one level less: not held), the wrong AppArmor profile, and the
         * host user namespace. /tmp is an allowed writable tmpfs;
         * /dev/termination-log and /etc/hosts are runtime plumbing. */
        got = findings_of("containerd:c0dec0dec0de", root);
        ck_assert_str_eq(got, "medium apparmor cri-containerd.apparmor.d\n"
                              "medium host-namespace user\n"
                              "low capability NET_BIND_SERVICE\n");
        free(got);
        /* The CRI-O container with the host's root mounted (its hostile
         * mount point escaped), running as root, checked against the
         * baseline because its state cannot be trusted. The host root
         * does not make /var/run/docker.sock reachable: on the host it is
         * a symlink to /run, another filesystem. */
        got = findings_of("cri-o:0c100c100c10", root);
        ck_assert_str_eq(got, "critical host-root /ho\\nst\n"
                              "medium run-as-root uid 0\n"
                              "info unmatched baseline\n");
        free(got);
        drop_root_copy(root);

        /* Without a host root to resolve symlinks in, /var/run/docker.sock
         * is taken as written, and the host's /var mounted at /hostvar
         * seems to expose it. */
        got = findings_of("cri-o:0c100c100c10", -1);
        ck_assert_str_eq(got, "critical runtime-socket /var/run/docker.sock\n"
                              "critical host-root /ho\\nst\n"
                              "medium run-as-root uid 0\n"
                              "info unmatched baseline\n");
        free(got);
}
END_TEST

/* Names from libcap; a bit it has no name for is cap_N, and high. */
START_TEST(test_capability_names)
{
        char buf[64];

        ck_assert_str_eq(capability_name(CAP_NET_BIND_SERVICE, buf, sizeof(buf)),
                         "NET_BIND_SERVICE");
        ck_assert_str_eq(capability_name(63, buf, sizeof(buf)), "cap_63");
        ck_assert_int_eq(capability_severity(63), SEVERITY_HIGH);
        ck_assert_int_eq(capability_severity(CAP_SYS_ADMIN), SEVERITY_CRITICAL);
        ck_assert_int_eq(capability_severity(CAP_NET_RAW), SEVERITY_HIGH);
        ck_assert_int_eq(capability_severity(CAP_CHOWN), SEVERITY_MEDIUM);
        ck_assert_int_eq(severity_from_string("critical"), SEVERITY_CRITICAL);
        ck_assert_int_eq(severity_from_string("severe"), -EINVAL);
}
END_TEST

/* Names from annotations are anything: printed escaped, on one line. */
START_TEST(test_print_escapes_names)
{
        struct workload w = {.kind = WORKLOAD_CONTAINER,
                             .runtime = RUNTIME_CONTAINERD,
                             .id = (char *)"c0dec0dec0dec0de",
                             .k8s_namespace = (char *)"ns",
                             .k8s_pod = (char *)"pod\nFAKE critical",
                             .k8s_container = (char *)"\x1b[2Jc"};
        struct posture_scan s = {0};
        struct posture_report r = {.workload = &w, .score = 1.5, .rating = "ok"};
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);

        posture_print_text(f, &s, &r, NULL, SEVERITY_INFO);
        fclose(f);
        ck_assert_str_eq(out,
                         "containerd:c0dec0dec0de ns/pod\\nFAKE critical/\\x1b[2Jc: no service "
                         "(restricted baseline), exposure 1.5/10 (ok)\n");
        free(out);
}
END_TEST

static const struct {
        struct posture_facts facts;
        double score;
        const char *rating;
} scores[] = {
    {{0}, 0.0, "safe"},
    {{.caps_held = UINT64_C(1) << CAP_NET_BIND_SERVICE}, SCORE_CAP_MEDIUM, "safe"},
    /* bounding only: half */
    {{.caps_bounding = UINT64_C(1) << CAP_SYS_ADMIN}, SCORE_CAP_CRITICAL / 2, "ok"},
    {{.caps_bounding = UINT64_C(1) << CAP_CHOWN}, SCORE_CAP_MEDIUM / 2, "safe"},
    {{.caps_held = UINT64_C(1) << CAP_SYS_ADMIN}, SCORE_CAP_CRITICAL, "ok"},
    /* capabilities add at most SCORE_CAP_MAX */
    {{.caps_held = UINT64_MAX}, SCORE_CAP_MAX, "medium"},
    {{.no_seccomp = true}, SCORE_NO_SECCOMP, "ok"},
    {{.no_new_privs_off = true, .unconfined = true},
     SCORE_NO_NEW_PRIVS_OFF + SCORE_UNCONFINED,
     "ok"},
    {{.runs_as_root = true, .root_writable = true}, SCORE_RUNS_AS_ROOT + SCORE_ROOT_WRITABLE, "ok"},
    {{.writable_disk_mounts = 2}, 2 * SCORE_DISK_MOUNT, "safe"},
    {{.writable_disk_mounts = 9}, SCORE_DISK_MOUNT_MAX, "ok"},
    {{.host_ns = 1u << NS_MNT}, SCORE_NS_MNT, "ok"},
    {{.host_ns = (1u << NS_PID) | (1u << NS_NET)}, SCORE_NS_PID + SCORE_NS_NET, "ok"},
    {{.host_ns = (1u << NS_USER) | (1u << NS_CGROUP)}, SCORE_NS_USER + SCORE_NS_CGROUP, "safe"},
    {{.host_ns = (1u << NS_IPC) | (1u << NS_UTS)}, SCORE_NS_IPC + SCORE_NS_UTS, "safe"},
    /* a way out of the container is the top of the scale */
    {{.runtime_socket = true}, 10.0, "unsafe"},
    {{.host_root = true}, 10.0, "unsafe"},
    {{.full_bounding = true, .no_seccomp = true, .unconfined = true}, 10.0, "unsafe"},
    /* podman's default container: 11 caps held, root, nnp off, writable
     * root, no AppArmor here, host user and cgroup namespaces */
    {{.caps_held = 0x800405fb,
      .no_new_privs_off = true,
      .unconfined = true,
      .runs_as_root = true,
      .root_writable = true,
      .host_ns = (1u << NS_USER) | (1u << NS_CGROUP)},
     8.2,
     "exposed"},
};

START_TEST(test_score_weights)
{
        const char *rating;
        double got = posture_score(&scores[_i].facts, &rating);

        ck_assert_msg(got > scores[_i].score - 0.01 && got < scores[_i].score + 0.01,
                      "case %d: %.2f != %.2f", _i, got, scores[_i].score);
        ck_assert_str_eq(rating, scores[_i].rating);
}
END_TEST

/* ---- live processes ---- */

static pid_t spawn(void (*fn)(int fd), int *ret_fd)
{
        int p[2];
        char c;
        pid_t pid;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(p[0]);
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                fn(p[1]);
                _exit(0);
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &c, 1), 1);
        *ret_fd = p[0];
        return pid;
}

static void reap(pid_t pid, int fd)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(fd);
}

static void hostile_name(int fd)
{
        prctl(PR_SET_NAME, "x) (y\nz");
        if (write(fd, "r", 1) != 1)
                _exit(1);
        for (;;)
                pause();
}

START_TEST(test_live_hostile_comm_and_start_time)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sync_fd, fd;
        pid_t pid = spawn(hostile_name, &sync_fd);
        struct posture_scan s;
        const struct proc_info *p;

        ck_assert_int_eq(posture_scan_run(proc, pid, SCAN_CMDLINE, &s), 0);
        p = posture_scan_find(&s, pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p->comm_len, 7);
        ck_assert_mem_eq(p->comm, "x) (y\nz", 7);
        ck_assert_int_eq(p->ppid, getpid());
        /* Start time: the right one opens, any other is a reused PID. */
        fd = proc_open_verified(proc, pid, p->start_time);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(proc_open_verified(proc, pid, p->start_time + 1), -ESRCH);
        reap(pid, sync_fd);
        ck_assert_int_eq(proc_open_verified(proc, pid, p->start_time), -ESRCH);
        posture_scan_done(&s);
        /* Gone now: a scan of that pid finds it vanished. */
        ck_assert_int_eq(posture_scan_run(proc, pid, 0, &s), 0);
        ck_assert_uint_eq(s.n_procs, 0);
        ck_assert_uint_eq(s.vanished, 1);
        posture_scan_done(&s);
        close(proc);
}
END_TEST

static void *drop_one_cap(void *arg)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2];
        int fd = *(int *)arg;

        /* capset(2) changes the calling thread only. */
        syscall(SYS_capget, &h, d);
        d[0].effective &= ~(1u << CAP_CHOWN);
        d[0].permitted &= ~(1u << CAP_CHOWN);
        syscall(SYS_capset, &h, d);
        if (write(fd, "r", 1) != 1)
                _exit(1);
        for (;;)
                pause();
        return NULL;
}

static void odd_thread(int fd)
{
        pthread_t t;

        pthread_create(&t, NULL, drop_one_cap, &fd);
        for (;;)
                pause();
}

START_TEST(test_live_thread_with_other_creds)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sync_fd;
        struct posture_scan s;
        const struct proc_info *p;
        pid_t pid;

        if (!test_require(geteuid() == 0, "root (a thread that drops a capability)"))
                return;
        pid = spawn(odd_thread, &sync_fd);
        ck_assert_int_eq(posture_scan_run(proc, pid, SCAN_THREADS, &s), 0);
        p = posture_scan_find(&s, pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p->n_threads, 1);
        ck_assert_int_ne(p->threads[0].tid, pid);
        ck_assert(p->creds.cap_eff & (1u << CAP_CHOWN));
        ck_assert(!(p->threads[0].creds.cap_eff & (1u << CAP_CHOWN)));
        posture_scan_done(&s);
        /* Without SCAN_THREADS the odd thread is not looked at. */
        ck_assert_int_eq(posture_scan_run(proc, pid, 0, &s), 0);
        ck_assert_uint_eq(posture_scan_find(&s, pid)->n_threads, 0);
        posture_scan_done(&s);
        reap(pid, sync_fd);
        close(proc);
}
END_TEST

START_TEST(test_live_full_scan)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct posture_scan s;
        const struct proc_info *self;

        ck_assert_int_eq(posture_scan_run(proc, 0, SCAN_EXE | SCAN_THREADS, &s), 0);
        ck_assert_uint_gt(s.n_procs, 1);
        self = posture_scan_find(&s, getpid());
        ck_assert_ptr_nonnull(self);
        ck_assert_ptr_nonnull(self->exe);
        ck_assert_ptr_nonnull(strstr(self->exe, "run-tests"));
        ck_assert_uint_eq(self->gaps, 0);
        ck_assert_ptr_nonnull(posture_scan_mounts(&s, self));
        ck_assert_ptr_nonnull(mount_table_root(posture_scan_mounts(&s, self)));
        /* Our own namespaces are the host's here (the reference is PID 1,
         * or ourselves when PID 1 cannot be read). */
        ck_assert_uint_ne(ns_set_shared(&self->ns, &s.host.ns) & (1u << NS_MNT), 0);
        for (size_t i = 1; i < s.n_procs; i++)
                ck_assert_int_lt(s.procs[i - 1].pid, s.procs[i].pid);
        posture_scan_done(&s);
        close(proc);
}
END_TEST

static Suite *posture_scan_suite(void)
{
        Suite *s = suite_create("posture-scan");
        TCase *fixture = tcase_create("fixture");
        TCase *live = tcase_create("live");

        tcase_add_test(fixture, test_fixture_scan);
        tcase_add_test(fixture, test_fixture_workloads);
        tcase_add_test(fixture, test_fixture_report_golden);
        tcase_add_test(fixture, test_fixture_findings);
        tcase_add_test(fixture, test_capability_names);
        tcase_add_test(fixture, test_print_escapes_names);
        tcase_add_loop_test(fixture, test_score_weights, 0, (int)ELEMENTSOF(scores));
        suite_add_tcase(s, fixture);
        tcase_add_test(live, test_live_hostile_comm_and_start_time);
        tcase_add_test(live, test_live_thread_with_other_creds);
        tcase_add_test(live, test_live_full_scan);
        suite_add_tcase(s, live);
        return s;
}
TEST_SUITE(posture_scan_suite)
