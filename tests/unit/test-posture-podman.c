/* SPDX-License-Identifier: MIT */
/* Posture of real containers: podman with runc, a busybox rootfs, one
 * container per setting (capabilities dropped, read-only root with
 * no_new_privs, the frontend service's own seccomp profile, privileged, a
 * container runtime socket bind-mounted, the host pid namespace), each
 * checked the way `hardenctl check` does it, with the exact findings
 * asserted; and podman's default seccomp profile read back from a running
 * container and decoded to that profile's allow set.
 *
 * Containers are named hardend-posture-test-*; the unchecked fixture (run
 * in the test runner itself, even when a test fails) removes them, the
 * rootfs and the socket it created. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "policy/names.h"
#include "policy/policy-load.h"
#include "policy/policy-set.h"
#include "posture/posture-check.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "posture/seccomp-readback.h"
#include "posture/workload.h"
#include "seccomp/seccomp-generate.h"
#include "testing.h"

#define PODMAN "/usr/bin/podman"
#define PREFIX "hardend-posture-test-"

/* Everything the suite creates on the host lives in one private directory,
 * so concurrent runs and the host's own runtime sockets are never touched. */
static char workdir[64] = "/tmp/hardend-posture-XXXXXX";
static char rootfs[96], seccomp_profile[96], sock[96];
static bool have_podman, workdir_made;
static int socket_fd = -1;

static void fixture_cleanup(void)
{
        /* Every container this suite may have started, whatever happened. */
        if (system(PODMAN " ps -a --format '{{.Names}}' 2>/dev/null | grep '^" PREFIX
                          "' | xargs -r " PODMAN " rm -f -t 0 >/dev/null 2>&1") < 0)
                fprintf(stderr, "posture-podman: cleanup failed\n");
}

static void setup(void)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        struct stat st;

        have_podman = geteuid() == 0 && access(PODMAN, X_OK) == 0 &&
                      access("/usr/sbin/runc", X_OK) == 0 && access("/bin/busybox", X_OK) == 0;
        if (!have_podman)
                return;
        fixture_cleanup();
        if (!mkdtemp(workdir)) {
                have_podman = false;
                return;
        }
        workdir_made = true;
        snprintf(rootfs, sizeof(rootfs), "%s/rootfs", workdir);
        snprintf(seccomp_profile, sizeof(seccomp_profile), "%s/frontend.seccomp.json", workdir);
        snprintf(sock, sizeof(sock), "%s/docker.sock", workdir);
        /* A rootfs of busybox and its applets. */
        char cmd[1024];
        snprintf(cmd, sizeof(cmd),
                 "mkdir -p %1$s/bin %1$s/tmp %1$s/var/tmp %1$s/run && cp /bin/busybox %1$s/bin/ "
                 "&& ln -s busybox %1$s/bin/sh && ln -s busybox %1$s/bin/sleep",
                 rootfs);
        if (system(cmd) != 0)
                have_podman = false;
        /* A container runtime's API socket, to bind-mount where runtimes put
         * theirs: the finding is about the path inside the container. */
        socket_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
        if (socket_fd < 0 || bind(socket_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(socket_fd, 1) < 0 || stat(sock, &st) < 0)
                have_podman = false;
}

static void teardown(void)
{
        if (!have_podman)
                return;
        fixture_cleanup();
        if (socket_fd >= 0)
                close(socket_fd);
        if (workdir_made) {
                char cmd[128];

                snprintf(cmd, sizeof(cmd), "rm -rf %s", workdir);
                if (system(cmd) != 0)
                        fprintf(stderr, "posture-podman: cannot remove %s\n", workdir);
        }
}

/* podman run -d --name PREFIX<name> --network none ARGS... --rootfs ROOTFS sleep 600;
 * returns the pid. */
static pid_t start(const char *name, const char *const *args)
{
        const char *argv[48] = {PODMAN, "--runtime", "runc", "run", "-d", "--name", NULL,
                                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                                /* No network stack needed (none is installed
                                 * by default without podman's recommends). */
                                "--network", "none"};
        char full[128], *out = NULL, *err = NULL;
        size_t n = 13;
        int status;
        long pid;

        snprintf(full, sizeof(full), PREFIX "%s", name);
        argv[6] = full;
        for (size_t i = 0; args[i]; i++)
                argv[n++] = args[i];
        argv[n++] = "--rootfs";
        argv[n++] = rootfs;
        argv[n++] = "/bin/sleep";
        argv[n++] = "600";
        argv[n] = NULL;
        status = test_run(argv, &out, &err);
        ck_assert_msg(status == 0, "podman run %s: %s", name, err);
        free(out);
        free(err);
        {
                const char *inspect[] = {PODMAN, "inspect", "-f", "{{.State.Pid}}", full, NULL};

                ck_assert_int_eq(test_run(inspect, &out, &err), 0);
        }
        pid = strtol(out, NULL, 10);
        ck_assert_int_gt(pid, 0);
        free(out);
        free(err);
        return (pid_t)pid;
}

static void stop(const char *name)
{
        char full[128];
        const char *argv[] = {PODMAN, "rm", "-f", "-t", "0", full, NULL};

        snprintf(full, sizeof(full), PREFIX "%s", name);
        ck_assert_int_eq(test_run(argv, NULL, NULL), 0);
}

static int cmp_line(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted "severity check subject" lines of a text. */
static char *sorted(const char *text)
{
        char *copy = strdup(text), *lines[256], *save = NULL, *out;
        size_t n = 0, len = 0;

        for (char *l = strtok_r(copy, "\n", &save); l && n < 256; l = strtok_r(NULL, "\n", &save))
                lines[n++] = l;
        qsort(lines, n, sizeof(char *), cmp_line);
        out = calloc(1, strlen(text) + 2);
        for (size_t i = 0; i < n; i++)
                len += (size_t)sprintf(out + len, "%s\n", lines[i]);
        free(copy);
        return out;
}

/* Checks the workload of pid as hardenctl check does; its findings as
 * sorted "severity check subject" lines, its service in *ret_service. */
static char *check_pid(pid_t pid, char *ret_service, size_t size, double *ret_score)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct policy_set set;
        struct posture_scan s;
        struct workload_set ws;
        struct posture_report r;
        struct seccomp_summary sc;
        char *text = NULL, *out;
        size_t len = 0;
        FILE *f;

        ck_assert_int_eq(policy_set_load_dir(test_path("profiles"), &set, NULL, NULL), 0);
        ck_assert_int_eq(posture_scan_run(proc, pid, SCAN_EXE | SCAN_THREADS, &s), 0);
        ck_assert_int_eq(workloads_build(&s, root, &ws), 0);
        ck_assert_int_eq(workloads_match(&ws, &s, &set), 0);
        ck_assert_uint_eq(ws.n, 1);
        ck_assert_int_eq(ws.items[0].kind, WORKLOAD_CONTAINER);
        ck_assert_int_eq(ws.items[0].runtime, RUNTIME_PODMAN);
        ck_assert(ws.items[0].have_state && ws.items[0].state_trusted && ws.items[0].init_verified);
        snprintf(ret_service, size, "%s", ws.items[0].policy ? ws.items[0].policy->service : "-");
        ck_assert_int_eq(posture_check(&s, &ws.items[0], root, &r), 0);
        ck_assert_int_eq(posture_seccomp_check(proc, &s, &ws.items[0], &sc), 0);
        ck_assert_int_eq(posture_seccomp_findings(&sc, ws.items[0].policy, &r), 0);
        *ret_score = r.score;
        f = open_memstream(&text, &len);
        for (size_t i = 0; i < r.n_findings; i++)
                fprintf(f, "%s %s %s\n", severity_to_string(r.findings[i].severity),
                        check_id_to_string(r.findings[i].check), r.findings[i].subject);
        fclose(f);
        out = sorted(text);
        free(text);
        seccomp_summary_done(&sc);
        posture_report_done(&r);
        workload_set_done(&ws);
        posture_scan_done(&s);
        policy_set_done(&set);
        close(proc);
        close(root);
        return out;
}

/* What this host adds to every container, found out independently of the
 * scanner: stat(2) of the namespace files, AppArmor in the kernel. */
static bool ns_shared(pid_t pid, const char *type)
{
        char a[64], b[64];
        struct stat x, y;

        snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)pid, type);
        snprintf(b, sizeof(b), "/proc/self/ns/%s", type);
        ck_assert_int_eq(stat(a, &x), 0);
        ck_assert_int_eq(stat(b, &y), 0);
        return x.st_ino == y.st_ino && x.st_dev == y.st_dev;
}

static void host_lines(pid_t pid, bool matched, FILE *f)
{
        if (!matched)
                return; /* the baseline looks at pid, net and ipc only */
        if (access("/sys/kernel/security/apparmor", F_OK) < 0 &&
            access("/sys/module/apparmor", F_OK) < 0)
                fprintf(f, "low apparmor unavailable\n");
        if (ns_shared(pid, "user"))
                fprintf(f, "medium host-namespace user\n");
        if (ns_shared(pid, "cgroup"))
                fprintf(f, "low host-namespace cgroup\n");
}

/* Checks container `name` (already started, pid) against `want` plus the
 * host's lines. */
static void expect(const char *name, pid_t pid, const char *service, const char *want)
{
        char *text = NULL, *exp, *got, svc[64];
        size_t len = 0;
        double score;
        FILE *f = open_memstream(&text, &len);

        fputs(want, f);
        host_lines(pid, strcmp(service, "-") != 0, f);
        fclose(f);
        exp = sorted(text);
        got = check_pid(pid, svc, sizeof(svc), &score);
        ck_assert_str_eq(svc, service);
        ck_assert_msg(strcmp(got, exp) == 0, "%s:\n--- got\n%s--- want\n%s", name, got, exp);
        free(text);
        free(exp);
        free(got);
        stop(name);
}

static bool ready(void)
{
        return test_require(have_podman, "podman, runc, busybox and root");
}

/* podman's default capabilities, as this host's containers.conf gives them. */
static const char default_caps[] = "medium capability CHOWN\n"
                                   "high capability DAC_OVERRIDE\n"
                                   "high capability FOWNER\n"
                                   "high capability FSETID\n"
                                   "medium capability KILL\n"
                                   "high capability SETFCAP\n"
                                   "high capability SETGID\n"
                                   "high capability SETPCAP\n"
                                   "high capability SETUID\n"
                                   "high capability SYS_CHROOT\n";

START_TEST(test_cap_drop_all)
{
        static const char *const args[] = {"--cap-drop=ALL", "--cap-add=NET_BIND_SERVICE",
                                           "--annotation", "io.kubernetes.container.name=frontend",
                                           NULL};
        pid_t pid;

        if (!ready())
                return;
        pid = start("caps", args);
        /* Only NET_BIND_SERVICE, which frontend allows: no capability
         * finding; root stays writable, no_new_privs off; podman's default
         * filter is not frontend's. */
        expect("caps", pid, "frontend",
               "medium no-new-privileges no_new_privs\n"
               "medium writable-rootfs /\n"
               "medium seccomp-filter extra\n");
}
END_TEST

START_TEST(test_read_only_nnp)
{
        static const char *const args[] = {"--read-only",
                                           "--security-opt",
                                           "no-new-privileges",
                                           "--annotation",
                                           "io.kubernetes.container.name=frontend",
                                           NULL};
        const char *inspect[] = {PODMAN, "inspect", "-f", "{{.EffectiveCaps}}", PREFIX "ro", NULL};
        char *out = NULL, *want;
        pid_t pid;

        if (!ready())
                return;
        pid = start("ro", args);
        ck_assert_int_eq(test_run(inspect, &out, NULL), 0);
        ck_assert_str_eq(out, "[CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_FSETID CAP_KILL "
                              "CAP_NET_BIND_SERVICE CAP_SETFCAP CAP_SETGID CAP_SETPCAP CAP_SETUID "
                              "CAP_SYS_CHROOT]\n");
        free(out);
        /* A read-only root with tmpfs on /tmp, /var/tmp and /run: frontend
         * allows /tmp and /run, not /var/tmp. */
        ck_assert_int_ge(asprintf(&want,
                                  "%slow writable-mount /var/tmp\nmedium seccomp-filter extra\n",
                                  default_caps),
                         0);
        expect("ro", pid, "frontend", want);
        free(want);
}
END_TEST

/* The frontend service's own profile (monitor mode), as the seccomp
 * backend writes it for runtimes, loaded by podman through runc: read back
 * and recognised as the service's generated filter. */
START_TEST(test_service_seccomp_profile)
{
        char seccomp_opt[160];
        const char *const args[] = {"--security-opt",
                                    seccomp_opt,
                                    "--cap-drop=ALL",
                                    "--cap-add=NET_BIND_SERVICE",
                                    "--read-only",
                                    "--security-opt",
                                    "no-new-privileges",
                                    "--annotation",
                                    "io.kubernetes.container.name=frontend",
                                    NULL};
        struct seccomp_generate_options o = {.mode = POLICY_MODE_MONITOR};
        struct seccomp_artifacts a = {0};
        struct seccomp_error err;
        struct diag_list d;
        struct policy *p = NULL;
        pid_t pid;

        if (!ready())
                return;
        snprintf(seccomp_opt, sizeof(seccomp_opt), "seccomp=%s", seccomp_profile);
        ck_assert_int_eq(diag_list_init(&d, "frontend"), 0);
        ck_assert_int_eq(policy_load_file(test_path("profiles/frontend.yaml"), &d, &p), 0);
        diag_list_done(&d);
        ck_assert_msg(seccomp_generate(p, NULL, &o, &err, &a) == 0, "%s", err.text);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, seccomp_profile, a.json, a.json_size, 0644),
                         0);
        seccomp_artifacts_done(&a);
        policy_free(p);
        pid = start("seccomp", args);
        expect("seccomp", pid, "frontend",
               "info seccomp-filter monitor\n"
               "low writable-mount /var/tmp\n");
}
END_TEST

START_TEST(test_privileged)
{
        static const char *const args[] = {"--privileged", NULL};
        unsigned long long bnd = 0;
        char line[256], *text = NULL;
        size_t len = 0;
        FILE *f, *st;
        pid_t pid;

        if (!ready())
                return;
        pid = start("privileged", args);
        /* Every capability the host has (read here with sscanf, not with
         * the scanner), but NET_BIND_SERVICE which the baseline allows. */
        st = fopen("/proc/self/status", "re");
        while (fgets(line, sizeof(line), st))
                sscanf(line, "CapBnd: %llx", &bnd);
        fclose(st);
        f = open_memstream(&text, &len);
        for (int c = 0; c < 64; c++) {
                char name[64];

                if (!(bnd & (1ULL << c)) || c == 10 /* NET_BIND_SERVICE */)
                        continue;
                fprintf(f, "%s capability %s\n", severity_to_string(capability_severity(c)),
                        capability_name(c, name, sizeof(name)));
        }
        fprintf(f, "critical privileged privileged\n"
                   "high seccomp seccomp\n"
                   "medium no-new-privileges no_new_privs\n"
                   "medium run-as-root uid 0\n"
                   "info unmatched baseline\n");
        fclose(f);
        expect("privileged", pid, "-", text);
        free(text);
}
END_TEST

START_TEST(test_runtime_socket)
{
        char volume[192];
        const char *const args[] = {
            "-v",        volume, "--cap-drop=ALL", "--security-opt", "no-new-privileges", "--user",
            "1000:1000", NULL};
        pid_t pid;

        if (!ready())
                return;
        snprintf(volume, sizeof(volume), "%s:/var/run/docker.sock", sock);
        pid = start("socket", args);
        expect("socket", pid, "-",
               "critical runtime-socket /var/run/docker.sock\n"
               "info unmatched baseline\n");
}
END_TEST

START_TEST(test_host_pid)
{
        static const char *const args[] = {"--pid=host",
                                           "--cap-drop=ALL",
                                           "--security-opt",
                                           "no-new-privileges",
                                           "--user",
                                           "1000:1000",
                                           NULL};
        pid_t pid;

        if (!ready())
                return;
        pid = start("hostpid", args);
        expect("hostpid", pid, "-",
               "high host-namespace pid\n"
               "info unmatched baseline\n");
}
END_TEST

/* What /usr/share/containers/seccomp.json says for x86_64 and a container
 * with caps: unconditional allows and conditional ones, by name. */
static bool caps_hold(const json_t *list, const char *const *caps, size_t n)
{
        size_t i;
        const json_t *c;

        json_array_foreach(list, i, c)
        {
                bool found = false;

                for (size_t k = 0; k < n; k++)
                        if (strcmp(json_string_value(c), caps[k]) == 0)
                                found = true;
                if (!found)
                        return false;
        }
        return true;
}

static bool any_cap(const json_t *list, const char *const *caps, size_t n)
{
        size_t i;
        const json_t *c;

        json_array_foreach(list, i,
                           c) for (size_t k = 0; k < n;
                                   k++) if (strcmp(json_string_value(c), caps[k]) == 0) return true;
        return false;
}

static bool arch_ok(const json_t *arches)
{
        size_t i;
        const json_t *a;

        if (!arches || json_array_size(arches) == 0)
                return true;
        json_array_foreach(arches, i,
                           a) if (strcmp(json_string_value(a), "amd64") == 0 ||
                                  strcmp(json_string_value(a), "x86_64") == 0) return true;
        return false;
}

static unsigned kernel_version(void)
{
        struct utsname u;
        unsigned a = 0, b = 0;

        uname(&u);
        sscanf(u.release, "%u.%u", &a, &b);
        return a * 1000 + b;
}

static bool kernel_ok(const json_t *includes)
{
        const char *v = json_string_value(json_object_get(includes, "minKernel"));
        unsigned a = 0, b = 0;

        if (!v)
                return true;
        sscanf(v, "%u.%u", &a, &b);
        return kernel_version() >= a * 1000 + b;
}

START_TEST(test_podman_default_profile)
{
        static const char *const caps[] = {
            "CAP_CHOWN",   "CAP_DAC_OVERRIDE",     "CAP_FOWNER",    "CAP_FSETID",
            "CAP_KILL",    "CAP_NET_BIND_SERVICE", "CAP_SETFCAP",   "CAP_SETGID",
            "CAP_SETPCAP", "CAP_SETUID",           "CAP_SYS_CHROOT"};
        static const char *const args[] = {NULL};
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        json_error_t jerr;
        json_t *profile, *entry;
        struct seccomp_chain chain = {0};
        struct seccomp_decoded d;
        struct posture_scan s;
        size_t i, allowed = 0, mismatches = 0;
        char *allow_set, *cond_set;
        pid_t pid;

        if (!ready())
                return;
        profile = json_load_file("/usr/share/containers/seccomp.json", 0, &jerr);
        if (!test_require(profile != NULL, "/usr/share/containers/seccomp.json"))
                return;
        pid = start("default", args);
        ck_assert_int_eq(posture_scan_run(proc, pid, 0, &s), 0);
        ck_assert_int_eq(
            seccomp_readback(proc, pid, posture_scan_find(&s, pid)->start_time, &chain), 0);
        posture_scan_done(&s);
        ck_assert_int_eq(seccomp_decode(&chain, SCMP_ARCH_X86_64, &d), 0);

        /* The profile's verdict per x86_64 syscall name: 'a' unconditional
         * allow, 'c' conditional; the default (errno) otherwise. */
        allow_set = calloc(1024, 1);
        cond_set = calloc(1024, 1);
        json_array_foreach(json_object_get(profile, "syscalls"), i, entry)
        {
                const json_t *inc = json_object_get(entry, "includes");
                const json_t *exc = json_object_get(entry, "excludes");
                const json_t *names = json_object_get(entry, "names"), *nm;
                bool conditional = json_array_size(json_object_get(entry, "args")) > 0;
                bool allow = strcmp(json_string_value(json_object_get(entry, "action")),
                                    "SCMP_ACT_ALLOW") == 0;
                size_t k;

                if (!arch_ok(json_object_get(inc, "arches")) || !kernel_ok(inc) ||
                    !caps_hold(json_object_get(inc, "caps"), caps, ELEMENTSOF(caps)) ||
                    any_cap(json_object_get(exc, "caps"), caps, ELEMENTSOF(caps)))
                        continue;
                json_array_foreach(names, k, nm)
                {
                        int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64,
                                                                   json_string_value(nm));

                        if (nr < 0 || nr >= 1024)
                                continue;
                        if (conditional)
                                cond_set[nr] = 1;
                        else if (allow)
                                allow_set[nr] = 1;
                }
        }
        for (size_t k = 0; k < d.n; k++) {
                const struct syscall_decision *x = &d.items[k];
                bool want_allow = allow_set[x->nr] && !cond_set[x->nr];
                bool got_allow =
                    !x->conditional && seccomp_verdict_of(x->action) == SECCOMP_VERDICT_ALLOW;

                allowed += got_allow;
                if (want_allow != got_allow || (bool)cond_set[x->nr] != x->conditional) {
                        fprintf(stderr, "default profile: %s: profile %s, filter %s%s\n", x->name,
                                cond_set[x->nr] ? "conditional"
                                : want_allow    ? "allow"
                                                : "refuse",
                                x->conditional ? "conditional " : "",
                                got_allow ? "allow" : "refuse");
                        mismatches++;
                }
        }
        ck_assert_uint_eq(mismatches, 0);
        ck_assert_uint_gt(allowed, 250);
        free(allow_set);
        free(cond_set);
        seccomp_decoded_done(&d);
        seccomp_chain_done(&chain);
        json_decref(profile);
        close(proc);
        stop("default");
}
END_TEST

static Suite *posture_podman_suite(void)
{
        Suite *s = suite_create("posture-podman");
        TCase *tc = tcase_create("containers");

        tcase_add_unchecked_fixture(tc, setup, teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_cap_drop_all);
        tcase_add_test(tc, test_read_only_nnp);
        tcase_add_test(tc, test_service_seccomp_profile);
        tcase_add_test(tc, test_privileged);
        tcase_add_test(tc, test_runtime_socket);
        tcase_add_test(tc, test_host_pid);
        tcase_add_test(tc, test_podman_default_profile);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(posture_podman_suite)
