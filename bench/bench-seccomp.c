/* SPDX-License-Identifier: MIT */
/* seccomp backend cost, as ratios against baselines measured in the same
 * run.
 *
 * Per-syscall cost, each measured in a child with the filter loaded:
 *   none     no filter: the baseline;
 *   api      the shipped api policy in enforce mode, as hardenctl exec
 *            loads it (binary tree, x86_64 + x86 + x32, audited refusals);
 *   podman   /usr/share/containers/seccomp.json imported as a policy base
 *            and compiled the same way.
 * for (a) getppid: hot, no argument check (the kernel's action cache
 * should make it free); (b) socket(AF_INET, <bad type>): argument-checked
 * by both profiles, failing right after the filter so that the filter's
 * share shows; (c) sysfs(3): logged (api in monitor mode, SCMP_ACT_LOG),
 * against no filter.
 *
 * Generation per shipped service: rule set + OCI JSON + BPF + PFC +
 * drop-in (seccomp_generate), as hardenctl generate runs it (its
 * architectures on one thread per CPU), against loading the same policy
 * file; next to it the CPU time it takes and its time on one thread; and,
 * to show what linking per-architecture programs saves, the BPF + PFC of
 * libseccomp's merged multi-architecture filter of the same rule set. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"
#include "policy/policy-load.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"

#define ROUNDS         9
#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"

static struct policy *load(const char *path)
{
        struct diag_list d;
        struct policy *p = NULL;

        if (diag_list_init(&d, path) < 0)
                abort();
        if (policy_load_file(path, &d, &p) < 0) {
                diag_print(&d, stderr);
                exit(1);
        }
        diag_list_done(&d);
        return p;
}

static struct policy *load_buffer(const char *yaml)
{
        struct diag_list d;
        struct policy *p = NULL;

        if (diag_list_init(&d, "bench") < 0)
                abort();
        if (policy_load_buffer(yaml, strlen(yaml), AT_FDCWD, &d, &p) < 0) {
                diag_print(&d, stderr);
                exit(1);
        }
        diag_list_done(&d);
        return p;
}

enum call {
        CALL_GETPPID,
        CALL_SOCKET,
        CALL_SYSFS,
        _CALL_MAX,
};

static const long iterations[_CALL_MAX] = {
    [CALL_GETPPID] = 400000,
    [CALL_SOCKET] = 300000,
    /* Every call writes an audit record: keep the flood small. */
    [CALL_SYSFS] = 5000,
};

static void do_call(enum call c)
{
        switch (c) {
        case CALL_GETPPID:
                syscall(SYS_getppid);
                break;
        case CALL_SOCKET:
                syscall(SYS_socket, AF_INET, 0xfff, 0);
                break;
        case CALL_SYSFS:
                syscall(SYS_sysfs, 3);
                break;
        case _CALL_MAX:
        default:
                abort();
        }
}

/* ns per call of c, measured in a child under ctx (NULL: no filter). */
static double measure(scmp_filter_ctx ctx, enum call c)
{
        int fds[2], status;
        double ns = -1;
        pid_t pid;

        if (pipe(fds) < 0)
                abort();
        pid = fork();
        if (pid < 0)
                abort();
        if (pid == 0) {
                double t0, per;

                close(fds[0]);
                if (ctx && seccomp_filter_apply(ctx) < 0)
                        _exit(2);
                for (long i = 0; i < iterations[c] / 10; i++) /* warm up */
                        do_call(c);
                t0 = now_ns();
                for (long i = 0; i < iterations[c]; i++)
                        do_call(c);
                per = (now_ns() - t0) / (double)iterations[c];
                if (write(fds[1], &per, sizeof(per)) != sizeof(per))
                        _exit(3);
                _exit(0);
        }
        close(fds[1]);
        if (read(fds[0], &ns, sizeof(ns)) != sizeof(ns))
                ns = -1;
        close(fds[0]);
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "bench-seccomp: measuring child failed (status 0x%x)\n", status);
                exit(1);
        }
        return ns;
}

static scmp_filter_ctx filter(const struct policy *p, const struct oci_profile *base,
                              enum policy_mode mode)
{
        scmp_filter_ctx ctx = NULL;
        struct seccomp_error err;

        if (seccomp_policy_filter(p, base, mode, &err, &ctx) < 0) {
                fprintf(stderr, "bench-seccomp: %s\n", err.text);
                exit(1);
        }
        return ctx;
}

static void bench_syscalls(void)
{
        _cleanup_policy_ struct policy *api = load("profiles/api.yaml");
        _cleanup_policy_ struct policy *podman = NULL;
        _cleanup_oci_profile_ struct oci_profile *podman_base = NULL;
        _cleanup_seccomp_ scmp_filter_ctx api_enforce = NULL, api_monitor = NULL, podman_ctx = NULL;
        static const char *const names[_CALL_MAX] = {
            [CALL_GETPPID] = "(a) getppid, no argument check",
            [CALL_SOCKET] = "(b) socket(AF_INET, bad type), argument-checked",
            [CALL_SYSFS] = "(c) sysfs, logged (api monitor, SCMP_ACT_LOG)",
        };
        struct oci_error oerr;

        if (access(PODMAN_PROFILE, R_OK) < 0) {
                fprintf(stderr,
                        "bench-seccomp: %s is missing (package golang-github-"
                        "containers-common)\n",
                        PODMAN_PROFILE);
                exit(1);
        }
        podman = load_buffer("service: podman-default\n"
                             "match: {units: [podman-default.service]}\n"
                             "seccomp:\n"
                             "  base: " PODMAN_PROFILE "\n"
                             "  architectures: [x86_64, x86, x32, aarch64]\n"
                             "  errno: ENOSYS\n");
        if (seccomp_policy_load_base(podman, &oerr, &podman_base) < 0) {
                fprintf(stderr, "bench-seccomp: %s: %s\n", PODMAN_PROFILE, oerr.text);
                exit(1);
        }
        api_enforce = filter(api, NULL, POLICY_MODE_ENFORCE);
        api_monitor = filter(api, NULL, POLICY_MODE_MONITOR);
        podman_ctx = filter(podman, podman_base, POLICY_MODE_ENFORCE);

        printf("per-syscall cost (best of %d interleaved rounds; ratio = against no filter, same "
               "run)\n",
               ROUNDS);
        for (int c = 0; c < _CALL_MAX; c++) {
                double none[ROUNDS], a[ROUNDS], pm[ROUNDS], n, x, y;

                for (int r = 0; r < ROUNDS; r++) {
                        /* Interleaved, so that a busy moment hits all three. */
                        none[r] = measure(NULL, (enum call)c);
                        if (c == CALL_SYSFS) {
                                a[r] = measure(api_monitor, (enum call)c);
                                pm[r] = 0;
                        } else {
                                a[r] = measure(api_enforce, (enum call)c);
                                pm[r] = measure(podman_ctx, (enum call)c);
                        }
                }
                n = best(none, ROUNDS);
                x = best(a, ROUNDS);
                y = best(pm, ROUNDS);
                printf("  %s\n", names[c]);
                if (c == CALL_SYSFS)
                        printf("    none %7.1f ns   api-monitor %8.1f ns (%.2fx)\n", n, x, x / n);
                else
                        printf("    none %7.1f ns   api %7.1f ns (%.3fx)   podman %7.1f ns "
                               "(%.3fx)   api/podman %.3fx\n",
                               n, x, x / n, y, y / n, x / y);
        }
}

/* Best of ROUNDS rounds of 5: the filter as libseccomp merges every
 * architecture into one program, exported to BPF and PFC. */
static double merged_export(const struct policy *p)
{
        struct seccomp_rules_options ro = {.mode = POLICY_MODE_ENFORCE};
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        struct seccomp_error err;
        double t[ROUNDS];

        if (seccomp_ruleset_build(p, NULL, &ro, &err, &rs) < 0) {
                fprintf(stderr, "bench-seccomp: %s\n", err.text);
                exit(1);
        }
        for (int r = 0; r < ROUNDS; r++) {
                double t0 = now_ns();

                for (int i = 0; i < 5; i++) {
                        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
                        _cleanup_free_ char *bpf = NULL, *pfc = NULL;
                        size_t nb, np;

                        if (seccomp_filter_build(rs, SECCOMP_TARGET_EXPORT, &err, &ctx) < 0 ||
                            seccomp_filter_export_bpf(ctx, &bpf, &nb) < 0 ||
                            seccomp_filter_export_pfc(ctx, &pfc, &np) < 0) {
                                fprintf(stderr, "bench-seccomp: merged filter: %s\n", err.text);
                                exit(1);
                        }
                }
                t[r] = (now_ns() - t0) / 5;
        }
        return best(t, ROUNDS);
}

static double cpu_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

struct generate_figures {
        double wall, cpu; /* best of ROUNDS, per generation */
        size_t json, bpf, pfc;
};

/* seccomp_generate of p, 20 per round, on threads threads. */
static struct generate_figures time_generate(const struct policy *p, unsigned threads)
{
        struct generate_figures f = {0};
        double wall[ROUNDS], cpu[ROUNDS];

        for (int r = 0; r < ROUNDS; r++) {
                double t0 = now_ns(), c0 = cpu_ns();

                for (int i = 0; i < 20; i++) {
                        struct seccomp_generate_options o = {.mode = POLICY_MODE_ENFORCE,
                                                             .threads = threads};
                        struct seccomp_artifacts a;
                        struct seccomp_error err;

                        if (seccomp_generate(p, NULL, &o, &err, &a) < 0) {
                                fprintf(stderr, "bench-seccomp: %s\n", err.text);
                                exit(1);
                        }
                        f.json = a.json_size;
                        f.bpf = a.bpf_size;
                        f.pfc = a.pfc_size;
                        seccomp_artifacts_done(&a);
                }
                wall[r] = (now_ns() - t0) / 20;
                cpu[r] = (cpu_ns() - c0) / 20;
        }
        f.wall = best(wall, ROUNDS);
        f.cpu = best(cpu, ROUNDS);
        return f;
}

static void bench_generate(void)
{
        static const char *const services[] = {"api", "frontend", "worker"};
        unsigned threads = seccomp_build_threads();

        printf("generation per service: rule set + JSON + BPF + PFC + drop-in, as hardenctl "
               "generate runs it (one thread per CPU, %u here, at most one per architecture); "
               "best of %d rounds of 20; ratio = against loading the policy file\n",
               threads, ROUNDS);
        for (size_t s = 0; s < sizeof(services) / sizeof(services[0]); s++) {
                char path[64];
                double ld[ROUNDS], l, m;
                _cleanup_policy_ struct policy *p = NULL;
                struct generate_figures par, one;

                snprintf(path, sizeof(path), "profiles/%s.yaml", services[s]);
                p = load(path);
                for (int r = 0; r < ROUNDS; r++) {
                        double t0 = now_ns();

                        for (int i = 0; i < 20; i++) {
                                struct policy *q = load(path);

                                policy_free(q);
                        }
                        ld[r] = (now_ns() - t0) / 20;
                }
                l = best(ld, ROUNDS);
                par = time_generate(p, threads);
                one = time_generate(p, 1);
                printf("  %-9s generate %6.2f ms   load %6.3f ms   ratio %5.1fx   (JSON %zu B, "
                       "BPF %zu insns, PFC %zu B)   target < 5 ms: %s\n",
                       services[s], par.wall / 1e6, l / 1e6, par.wall / l, par.json, par.bpf / 8,
                       par.pfc, par.wall < 5e6 ? "MET" : "OVER");
                printf("  %-9s CPU %6.2f ms; on one thread %6.2f ms (%.2fx the threaded time)\n",
                       services[s], par.cpu / 1e6, one.wall / 1e6, one.wall / par.wall);
                m = merged_export(p);
                printf("  %-9s libseccomp's merged filter, BPF + PFC alone: %6.2f ms (%.1fx the "
                       "whole linked generation on one thread)\n",
                       services[s], m / 1e6, m / one.wall);
        }
}

int main(void)
{
        printf("bench-seccomp: cost of the generated filters and of generating them\n");
        bench_syscalls();
        bench_generate();
        return 0;
}
