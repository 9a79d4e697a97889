/* SPDX-License-Identifier: MIT */
/* Proposals (issue 8): how long proposal_build takes on a large service,
 * and how tight the allow list it proposes after a recording is.
 *
 * 1. Time. 100,000 observation keys of service api, restored as the
 *    observations file would restore them: about 300 seccomp keys (real
 *    x86_64 syscall names, verdict LOG), a few dozen AppArmor network keys
 *    and capability checks, and the rest AppArmor file accesses (ALLOWED,
 *    "open", masks r/w/rw/x) spread over a few hundred directories under
 *    /srv/app, /proc/PID/... and mktemp names in /tmp. proposal_build on
 *    profiles/api.yaml, median of ROUNDS runs, without and with a
 *    recording (the recording adds the removals). Baseline in the same
 *    run: qsort of the same observation pointers by count, the least any
 *    report on them does. Target: under 50 ms; the word says whether it
 *    was met, which is no test failure.
 *
 * 2. Tightness. A real process recorded: busybox sh running a small
 *    script (files written in a temporary directory, cat, ls, grep, sleep
 *    0.1...) under a seccomp filter whose default action is SCMP_ACT_LOG,
 *    so that every call it makes leaves a type-1326 record. The records
 *    come back through the agent's audit netlink source (needs root;
 *    AUDIT_NLGRP_READLOG works with audit disabled), go through the events
 *    pipeline, and proposal_build makes the proposal for api (base
 *    "@system-service") with all_events and the recording's window. Its
 *    x86_64 allow list is compared with podman's default profile
 *    (/usr/share/containers/seccomp.json) for the same machine: the calls
 *    it allows unconditionally to a container with podman's default
 *    capabilities. Tighter is better. Without root or the profile the
 *    figure is skipped, and the output says why.
 *
 * The workload's records are told from other processes' (other tests may
 * log calls too) by their exe=: the benchmark runs a private copy of
 * busybox, with the applets it calls as symlinks to that copy. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "bench-util.h"
#include "events/events-pipeline.h"
#include "events/syscall-lookup.h"
#include "insight/path-merge.h"
#include "insight/proposal.h"
#include "policy/names.h"
#include "policy/policy-load.h"
#include "seccomp/seccomp-oci-import.h"
#include "seccomp/seccomp-rules.h"
#include "sources/audit-netlink.h"

#define POLICY_FILE    "profiles/api.yaml"
#define N_KEYS         100000u
#define N_SECCOMP      300u
#define ROUNDS         7
#define TARGET_MS      50.0
#define PODMAN_PROFILE "/usr/share/containers/seccomp.json"
#define BUSYBOX        "/bin/busybox"
/* 2026-11-22 10:00:00 UTC: the synthetic observations fall in the hour
 * after it. */
#define T0_USEC 1795341600000000ull
#define HOUR    3600000000ull

static void die(const char *what, int r)
{
        fflush(stdout);
        fprintf(stderr, "bench-propose: %s: %s\n", what, strerror(r < 0 ? -r : r));
        exit(1);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}

/* ---- 1. proposal time on 100k observation keys ---- */

struct synth {
        struct observations *o;
        uint64_t events;
        size_t n_seccomp, n_network, n_caps, n_files;
};

/* Restores ob as service api's, with what every real key has: counts,
 * times in the hour, an example process and one or two of three
 * workloads. */
static void put(struct synth *s, struct observation *ob)
{
        static const char *const workloads[] = {"podman:3f2a9c1b7d40", "podman:8e61d0c2a9f5",
                                                "podman:c04b7e93f1a8"};
        uint64_t first = T0_USEC + rnd() % (HOUR / 2);
        size_t w = rnd() % 3;
        int r;

        ob->service = (char *)"api";
        ob->count = 1 + rnd() % 40;
        ob->first_usec = first;
        ob->last_usec = first + rnd() % (HOUR / 2);
        ob->example_pid = (pid_t)(1000 + rnd() % 5000);
        ob->example_comm = (char *)"api-server";
        ob->example_exe = (char *)"/usr/local/bin/api-server";
        ob->workloads[0] = (char *)workloads[w];
        ob->workloads[1] = (char *)workloads[(w + 1) % 3];
        ob->n_workloads = rnd() % 3 == 0 ? 2 : 1;
        r = observations_restore(s->o, ob);
        if (r != 0)
                die("observations_restore", r > 0 ? -E2BIG : r);
        s->events += ob->count;
}

static void put_seccomp(struct synth *s)
{
        for (int64_t nr = 0; s->n_seccomp < N_SECCOMP && nr < SYSCALL_LOOKUP_SPAN; nr++) {
                struct observation ob = {
                    .kind = EVENT_SECCOMP,
                    .verdict = SECCOMP_EVENT_LOG,
                    .arch = AUDIT_ARCH_X86_64,
                    .syscall = nr,
                    .object_kind = OBJECT_SYSCALL,
                };

                if (!syscall_lookup(AUDIT_ARCH_X86_64, nr))
                        continue;
                put(s, &ob);
                s->n_seccomp++;
        }
}

/* As apparmor_object() keys real records: "family type protocol" for
 * sockets, the capname for capable checks (no mask). */
static void put_network_and_caps(struct synth *s)
{
        static const char *const sockets[] = {
            "inet stream 6", "inet6 stream 6", "inet dgram 17", "inet6 dgram 17",
            "unix stream 0", "unix dgram 0",   "netlink raw 0", "netlink dgram 0",
        };
        static const char *const ops[][2] = {
            {"create", "create"}, {"connect", "connect"}, {"bind", "bind"},
            {"sendmsg", "send"},  {"recvmsg", "receive"},
        };
        static const char *const caps[] = {
            "net_bind_service", "chown",     "dac_override", "setuid", "setgid",
            "net_admin",        "sys_admin", "sys_ptrace",   "kill",   "fowner",
        };

        for (size_t i = 0; i < ELEMENTSOF(sockets); i++)
                for (size_t k = 0; k < ELEMENTSOF(ops); k++) {
                        struct observation ob = {
                            .kind = EVENT_APPARMOR,
                            .verdict = APPARMOR_ALLOWED,
                            .operation = (char *)ops[k][0],
                            .object_kind = OBJECT_NETWORK,
                            .object = (char *)sockets[i],
                            .mask = (char *)ops[k][1],
                        };

                        put(s, &ob);
                        s->n_network++;
                }
        for (size_t i = 0; i < ELEMENTSOF(caps); i++) {
                struct observation ob = {
                    .kind = EVENT_APPARMOR,
                    .verdict = APPARMOR_ALLOWED,
                    .operation = (char *)"capable",
                    .object_kind = OBJECT_CAPABILITY,
                    .object = (char *)caps[i],
                };

                put(s, &ob);
                s->n_caps++;
        }
}

/* File key c of its kind: 60% data files (300 directories of up to 200
 * files), 20% /proc of 5000 processes, 15% mktemp names, 5% helpers
 * executed. */
static void put_files(struct synth *s, size_t n)
{
        static const char *const proc_leaf[] = {"status", "stat", "cmdline", "fd/3"};
        static const char *const data_mask[] = {"r", "r", "r", "r", "r", "r", "w", "w", "rw", "rw"};
        static const char alnum[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        unsigned counter[4] = {0};

        for (size_t i = 0; i < n; i++) {
                unsigned kind = i % 20 < 12 ? 0 : i % 20 < 16 ? 1 : i % 20 < 19 ? 2 : 3;
                unsigned c = counter[kind]++;
                struct observation ob = {
                    .kind = EVENT_APPARMOR,
                    .verdict = APPARMOR_ALLOWED,
                    .operation = (char *)"open",
                    .object_kind = OBJECT_PATH,
                };
                char path[128];

                switch (kind) {
                case 0:
                        snprintf(path, sizeof(path), "/srv/app/dir%03u/file%03u.dat", c % 300,
                                 c / 300);
                        ob.mask = (char *)data_mask[c % 10];
                        break;
                case 1:
                        snprintf(path, sizeof(path), "/proc/%u/%s", 1000 + c / 4, proc_leaf[c % 4]);
                        ob.mask = (char *)"r";
                        break;
                case 2: {
                        char name[11];

                        for (size_t k = 0; k < 10; k++)
                                name[k] = alnum[rnd() % (sizeof(alnum) - 1)];
                        name[10] = '\0';
                        snprintf(path, sizeof(path), "/tmp/tmp.%s", name);
                        ob.mask = (char *)(c % 3 ? "rw" : "w");
                        break;
                }
                default:
                        snprintf(path, sizeof(path), "/srv/app/jobs/job%02u/run-%04u", c % 50,
                                 c / 50);
                        ob.operation = (char *)"exec";
                        ob.mask = (char *)"x";
                        break;
                }
                ob.object = path;
                put(s, &ob);
                s->n_files++;
        }
}

static void synth_build(struct synth *s)
{
        int r;

        if ((r = observations_new(2 * N_KEYS, &s->o)) < 0)
                die("observations_new", r);
        put_seccomp(s);
        put_network_and_caps(s);
        put_files(s, N_KEYS - s->n_seccomp - s->n_network - s->n_caps);
        /* Every key is a (would-be) denial: LOG and ALLOWED. */
        r = observations_restore_service(s->o, &(struct service_counts){
                                                   .service = (char *)"api",
                                                   .events = s->events,
                                                   .denials = s->events,
                                                   .last_denial_usec = T0_USEC + HOUR,
                                               });
        if (r < 0)
                die("observations_restore_service", r);
        if (observations_keys(s->o) != N_KEYS)
                die("distinct keys", -EINVAL);
}

static int cmp_count_desc(const void *x, const void *y)
{
        const struct observation *a = *(const struct observation *const *)x,
                                 *b = *(const struct observation *const *)y;

        return a->count < b->count ? 1 : a->count > b->count ? -1 : 0;
}

static struct proposal *propose(const struct policy *p, const char *text, size_t size,
                                const struct observation *const *all, size_t n,
                                const struct proposal_options *opt, double *ret_ns)
{
        struct proposal *prop = NULL;
        char err[1024];
        double t0 = now_ns();
        int r = proposal_build(p, text, size, POLICY_FILE, all, n, opt, err, sizeof(err), &prop);

        *ret_ns = now_ns() - t0;
        if (r < 0) {
                fflush(stdout);
                fprintf(stderr, "bench-propose: proposal_build failed (%s): %s\n", strerror(-r),
                        err);
                return NULL;
        }
        return prop;
}

static void print_summary(const char *indent, const struct proposal *p)
{
        printf("%s%zu changes (add %zu, remove %zu, narrow %zu, held back %zu, note %zu); "
               "x86_64 allow list %zu -> %zu; new text %zu bytes, diff %zu bytes\n",
               indent, p->n_changes, p->n_by_action[PROPOSAL_ADD], p->n_by_action[PROPOSAL_REMOVE],
               p->n_by_action[PROPOSAL_NARROW], p->n_by_action[PROPOSAL_HELD_BACK],
               p->n_by_action[PROPOSAL_NOTE], p->allowed_before, p->allowed_after, p->new_size,
               strlen(p->diff));
}

/* Of the proposal, the part that merges the file accesses into globs:
 * path_merge() alone on the file keys, as propose_files() hands them over,
 * ROUNDS more times once the measured rounds are done (so that they run as
 * before). Returns the median in ns, or a negative value on failure. */
static double time_path_merge(const struct policy *pol, const struct observation *const *all,
                              size_t n, size_t *ret_files)
{
        _cleanup_free_ struct path_observed *in = malloc((n + 1) * sizeof(*in));
        double t[ROUNDS];
        size_t n_in = 0;

        if (!in)
                die("malloc", -ENOMEM);
        for (size_t i = 0; i < n; i++)
                if (all[i]->kind == EVENT_APPARMOR && all[i]->object_kind == OBJECT_PATH &&
                    all[i]->object)
                        in[n_in++] = (struct path_observed){
                            all[i]->object, all[i]->mask ? all[i]->mask : "", all[i]->count, i};
        for (int i = 0; i < ROUNDS; i++) {
                struct path_merge *m = NULL;
                double t0 = now_ns();
                int r = path_merge(in, n_in, &pol->apparmor, 0, &m);

                t[i] = now_ns() - t0;
                path_merge_free(m);
                if (r < 0)
                        return -1;
        }
        *ret_files = n_in;
        return median(t, ROUNDS);
}

/* Returns 0, or -1 when proposal_build failed (the figure is then missing:
 * a proposal that fails on this input is a bug, and the run fails after
 * the other figure). */
static int bench_time(const struct policy *pol, const char *text, size_t size)
{
        const struct proposal_recording rec = {
            .start_usec = T0_USEC, .end_usec = T0_USEC + HOUR, .apparmor = true};
        const struct proposal_options plain = {0}, recorded = {.recording = &rec};
        double t_sort[ROUNDS], t_plain[ROUNDS], t_rec[ROUNDS], sort, ms_plain, ms_rec, pm;
        const struct observation *const *all;
        const struct observation **copy;
        struct proposal *last_plain = NULL, *last_rec = NULL;
        struct synth s = {0};
        double t0;
        size_t n, n_files = 0;
        int ret = 0;

        t0 = now_ns();
        synth_build(&s);
        all = observations_all(s.o, &n);
        copy = malloc(n * sizeof(*copy));
        if (!copy)
                die("malloc", -ENOMEM);
        printf("1. proposal time, %zu observation keys of service api (%zu seccomp, %zu network, "
               "%zu capability, %zu file), %.2f M events; built in %.0f ms, %.1f MiB\n",
               n, s.n_seccomp, s.n_network, s.n_caps, s.n_files, (double)s.events / 1e6,
               (now_ns() - t0) / 1e6, (double)observations_memory(s.o) / (1024.0 * 1024.0));

        /* Interleaved, so that other work on the machine weighs on all three
         * alike. */
        for (int i = 0; i < ROUNDS; i++) {
                memcpy(copy, all, n * sizeof(*copy));
                t0 = now_ns();
                qsort(copy, n, sizeof(*copy), cmp_count_desc);
                t_sort[i] = now_ns() - t0;

                proposal_free(last_plain);
                last_plain = propose(pol, text, size, all, n, &plain, &t_plain[i]);
                proposal_free(last_rec);
                last_rec =
                    last_plain ? propose(pol, text, size, all, n, &recorded, &t_rec[i]) : NULL;
                if (!last_rec) {
                        printf("  FAILED: proposal_build refused this input (see above)\n");
                        ret = -1;
                        goto done;
                }
        }
        sort = median(t_sort, ROUNDS);
        ms_plain = median(t_plain, ROUNDS) / 1e6;
        ms_rec = median(t_rec, ROUNDS) / 1e6;
        printf("  baseline: qsort of the %zu observation pointers by count   %7.2f ms\n", n,
               sort / 1e6);
        printf("  proposal_build, no recording    %8.2f ms  (%6.1fx the sort)  target < %.0f ms: "
               "%s\n",
               ms_plain, ms_plain * 1e6 / sort, TARGET_MS,
               ms_plain < TARGET_MS ? "PASS" : "OVER TARGET");
        print_summary("    ", last_plain);
        printf("  proposal_build, with recording  %8.2f ms  (%6.1fx the sort)  target < %.0f ms: "
               "%s\n",
               ms_rec, ms_rec * 1e6 / sort, TARGET_MS, ms_rec < TARGET_MS ? "PASS" : "OVER TARGET");
        print_summary("    ", last_rec);
        printf("  (median of %d interleaved rounds; ranges %.2f..%.2f and %.2f..%.2f ms)\n", ROUNDS,
               t_plain[0] / 1e6, t_plain[ROUNDS - 1] / 1e6, t_rec[0] / 1e6,
               t_rec[ROUNDS - 1] / 1e6);
        pm = time_path_merge(pol, all, n, &n_files);
        if (pm < 0) {
                printf("  FAILED: path_merge refused the file keys\n");
                ret = -1;
                goto done;
        }
        printf("  of which path_merge of the %zu file keys alone, %d rounds after those: %.2f ms\n",
               n_files, ROUNDS, pm / 1e6);
done:
        proposal_free(last_plain);
        proposal_free(last_rec);
        free(copy);
        observations_free(s.o);
        return ret;
}

/* ---- 2. the proposed allow list of a recorded workload against podman's ---- */

/* podman's default capabilities (containers.conf(5), default_capabilities
 * in /usr/share/containers/containers.conf): what a default container
 * holds, hence which includes/excludes of its profile apply. */
static const char *const podman_caps[] = {
    "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",       "NET_BIND_SERVICE",
    "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT",
};

static bool podman_holds(int cap)
{
        for (size_t i = 0; i < ELEMENTSOF(podman_caps); i++)
                if (capability_from_name(podman_caps[i]) == cap)
                        return true;
        return false;
}

/* Docker's rules, as seccomp-rules.c applies them: includes need every
 * capability listed, the architecture among those listed and the kernel
 * at least minKernel; excludes drop the entry on any of them. */
static bool podman_entry_applies(const struct oci_syscall *sc, uint32_t kernel)
{
        const struct oci_filter *in = &sc->includes, *ex = &sc->excludes;

        for (size_t i = 0; i < in->n_caps; i++)
                if (in->caps[i] < 0 || !podman_holds(in->caps[i]))
                        return false;
        if ((in->arches || in->other_arches) && !(in->arches & POLICY_ARCH_X86_64))
                return false;
        if (in->min_kernel && kernel < in->min_kernel)
                return false;
        for (size_t i = 0; i < ex->n_caps; i++)
                if (ex->caps[i] >= 0 && podman_holds(ex->caps[i]))
                        return false;
        if (ex->arches & POLICY_ARCH_X86_64)
                return false;
        return !(ex->min_kernel && kernel >= ex->min_kernel);
}

static int cmp_str(const void *x, const void *y)
{
        return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The names podman's profile allows whatever the arguments, for a default
 * container on x86_64: what proposal.allowed_after counts for a policy. */
static int podman_allowed(const char *path, size_t *ret, char *why, size_t why_size)
{
        _cleanup_oci_profile_ struct oci_profile *prof = NULL;
        _cleanup_free_ const char **names = NULL;
        struct oci_error err = {{0}};
        uint32_t kernel = 0;
        size_t n = 0, total = 0, distinct = 0;
        int r;

        r = oci_profile_load(AT_FDCWD, path, &err, &prof);
        if (r < 0) {
                snprintf(why, why_size, "%s: %s", path, err.text[0] ? err.text : strerror(-r));
                return r;
        }
        (void)kernel_version_running(&kernel);
        for (size_t i = 0; i < prof->n_syscalls; i++)
                total += prof->syscalls[i].n_names;
        names = calloc(total ? total : 1, sizeof(*names));
        if (!names)
                return -ENOMEM;
        for (size_t i = 0; i < prof->n_syscalls; i++) {
                const struct oci_syscall *sc = &prof->syscalls[i];

                if (sc->action.act != SECCOMP_ACT_ALLOW || sc->n_args != 0 ||
                    !podman_entry_applies(sc, kernel))
                        continue;
                for (size_t k = 0; k < sc->n_names; k++)
                        if (seccomp_name_applies(sc->names[k], POLICY_ARCH_X86_64))
                                names[n++] = sc->names[k];
        }
        qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n; i++)
                distinct += i == 0 || strcmp(names[i - 1], names[i]) != 0;
        *ret = distinct;
        return 0;
}

static const char *const applets[] = {"sh",   "cat", "ls", "sleep", "mkdir", "rm",   "wc",
                                      "grep", "cp",  "mv", "date",  "sort",  "head", "tr"};

/* What the workload does: ordinary file and process work of a shell
 * script. W is its working directory. */
static const char script[] =
    "set -e\n"
    "mkdir -p \"$W/data\"\n"
    "i=0\n"
    "while [ $i -lt 20 ]; do echo \"line $i $(date +%s)\" >> \"$W/data/log\"; "
    "i=$((i + 1)); done\n"
    "cat \"$W/data/log\" > \"$W/data/copy\"\n"
    "sort -r \"$W/data/copy\" | head -n 5 > \"$W/data/top\"\n"
    "grep -c line \"$W/data/log\" > \"$W/data/count\"\n"
    "ls -l \"$W/data\" | wc -l > /dev/null\n"
    "cp \"$W/data/top\" \"$W/data/top2\"\n"
    "mv \"$W/data/top2\" \"$W/data/top3\"\n"
    "tr a-z A-Z < \"$W/data/top3\" > /dev/null\n"
    "sleep 0.1\n"
    "rm -rf \"$W/data\"\n";

static int copy_file(const char *from, const char *to)
{
        _cleanup_close_ int in = open(from, O_RDONLY | O_CLOEXEC);
        _cleanup_close_ int out = -1;
        ssize_t k;

        if (in < 0)
                return -errno;
        out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
        if (out < 0)
                return -errno;
        while ((k = copy_file_range(in, NULL, out, NULL, 1 << 20, 0)) > 0)
                ;
        return k < 0 ? -errno : 0;
}

/* dir/busybox, dir/bin/<applet> -> ../busybox, dir/work. */
static int workload_setup(const char *dir)
{
        char path[512], target[512];
        int r;

        snprintf(path, sizeof(path), "%s/busybox", dir);
        if ((r = copy_file(BUSYBOX, path)) < 0)
                return r;
        snprintf(path, sizeof(path), "%s/bin", dir);
        if (mkdir(path, 0755) < 0)
                return -errno;
        snprintf(path, sizeof(path), "%s/work", dir);
        if (mkdir(path, 0755) < 0)
                return -errno;
        snprintf(target, sizeof(target), "%s/busybox", dir);
        for (size_t i = 0; i < ELEMENTSOF(applets); i++) {
                snprintf(path, sizeof(path), "%s/bin/%s", dir, applets[i]);
                if (symlink(target, path) < 0)
                        return -errno;
        }
        return 0;
}

static void workload_cleanup(const char *dir)
{
        char path[512];

        for (size_t i = 0; i < ELEMENTSOF(applets); i++) {
                snprintf(path, sizeof(path), "%s/bin/%s", dir, applets[i]);
                unlink(path);
        }
        snprintf(path, sizeof(path), "%s/bin", dir);
        rmdir(path);
        snprintf(path, sizeof(path), "%s/work", dir);
        rmdir(path);
        snprintf(path, sizeof(path), "%s/busybox", dir);
        unlink(path);
        rmdir(dir);
}

/* The child: no_new_privs, a filter logging every call, then the script. */
static _Noreturn void workload_child(const char *dir)
{
        char exe[512], path[600], work[600];
        scmp_filter_ctx ctx;
        int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (devnull >= 0)
                (void)dup2(devnull, STDOUT_FILENO);
        snprintf(exe, sizeof(exe), "%s/busybox", dir);
        snprintf(path, sizeof(path), "PATH=%s/bin", dir);
        snprintf(work, sizeof(work), "W=%s/work", dir);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                _exit(126);
        ctx = seccomp_init(SCMP_ACT_LOG);
        if (!ctx || seccomp_load(ctx) < 0)
                _exit(126);
        execve(exe, (char *const[]){(char *)"sh", (char *)"-c", (char *)script, NULL},
               (char *const[]){path, work, (char *)"LC_ALL=C", NULL});
        _exit(127);
}

struct feed {
        struct events_pipeline *pipeline;
        char needle[600]; /* exe="DIR/busybox" */
        size_t needle_len;
        uint64_t matched;
};

/* Only the workload's records: its exe is the private busybox copy. */
static int feed_ours(const struct audit_raw *raw, void *userdata)
{
        struct feed *f = userdata;

        if (raw->type != AUDIT_TYPE_SECCOMP ||
            !memmem(raw->text, raw->len, f->needle, f->needle_len))
                return 0;
        f->matched++;
        return events_pipeline_feed(f->pipeline, raw);
}

static uint64_t realtime_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Runs the workload and drains the netlink source until the child is
 * gone and no record of it came for 300 ms (at most 10 s in all). */
static int record_workload(struct audit_netlink *src, const char *dir, struct feed *f,
                           int *ret_status)
{
        double start = now_ns(), quiet_since = 0;
        uint64_t before = 0;
        int status = -1;
        pid_t pid;

        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0)
                workload_child(dir);
        for (;;) {
                struct pollfd p = {.fd = audit_netlink_fd(src), .events = POLLIN};
                int r;

                (void)poll(&p, 1, 20);
                r = audit_netlink_drain(src, feed_ours, f);
                if (r < 0) {
                        kill(pid, SIGKILL);
                        waitpid(pid, NULL, 0);
                        return r;
                }
                if (status < 0 && waitpid(pid, &status, WNOHANG) == pid)
                        quiet_since = now_ns();
                if (status < 0 && now_ns() - start > 10e9) {
                        kill(pid, SIGKILL);
                        waitpid(pid, &status, 0);
                        quiet_since = now_ns();
                }
                if (status >= 0) {
                        if (f->matched != before)
                                quiet_since = now_ns();
                        if (now_ns() - quiet_since > 300e6 || now_ns() - start > 12e9)
                                break;
                }
                before = f->matched;
        }
        events_pipeline_flush(f->pipeline);
        *ret_status = status;
        return 0;
}

static size_t distinct_syscalls(const struct observation *const *all, size_t n)
{
        const char *seen[SYSCALL_LOOKUP_SPAN];
        size_t k = 0;

        for (size_t i = 0; i < n; i++) {
                bool dup = false;

                if (all[i]->kind != EVENT_SECCOMP || !all[i]->syscall_name)
                        continue;
                for (size_t j = 0; j < k && !dup; j++)
                        dup = strcmp(seen[j], all[i]->syscall_name) == 0;
                if (!dup && k < ELEMENTSOF(seen))
                        seen[k++] = all[i]->syscall_name;
        }
        return k;
}

/* Called syscalls the proposed policy still refuses: the held-back risky
 * ones and the policy's own denials, nothing else. */
static void report_uncovered(const struct proposal *prop, const struct observation *const *all,
                             size_t n)
{
        _cleanup_policy_ struct policy *np = NULL;
        struct seccomp_ruleset *rs = NULL;
        struct oci_profile *base = NULL;
        struct seccomp_error serr;
        struct oci_error oerr;
        struct diag_list d;
        size_t missing = 0;

        if (diag_list_init(&d, POLICY_FILE) < 0)
                die("diag_list_init", -ENOMEM);
        if (policy_load_buffer(prop->new_text, prop->new_size, AT_FDCWD, &d, &np) < 0 ||
            seccomp_policy_load_base(np, &oerr, &base) < 0 ||
            seccomp_ruleset_build(np, base,
                                  &(struct seccomp_rules_options){.mode = POLICY_MODE_ENFORCE},
                                  &serr, &rs) < 0) {
                diag_print(&d, stderr);
                die("the proposed policy does not build", -EINVAL);
        }
        diag_list_done(&d);
        printf("  called but not allowed unconditionally by the proposed policy:");
        for (size_t i = 0; i < n; i++) {
                const char *name = all[i]->syscall_name;
                const struct seccomp_rule *rules;
                bool conditional = false;
                size_t nr = 0;

                if (all[i]->kind != EVENT_SECCOMP || !name || seccomp_ruleset_allows(rs, name))
                        continue;
                rules = seccomp_ruleset_lookup(rs, name, &nr);
                for (size_t k = 0; rules && k < nr; k++)
                        conditional |= rules[k].action.act == SECCOMP_ACT_ALLOW;
                printf(" %s (%s)", name, conditional ? "under its condition" : "refused");
                missing++;
        }
        printf("%s\n", missing ? "" : " none");
        seccomp_ruleset_free(rs);
        oci_profile_free(base);
}

/* HARDEND_BENCH_PROPOSAL=PATH keeps the proposed policy text. */
static void keep_text(const struct proposal *prop)
{
        const char *path = getenv("HARDEND_BENCH_PROPOSAL");
        FILE *f;

        if (!path || !*path)
                return;
        f = fopen(path, "we");
        if (!f || fwrite(prop->new_text, 1, prop->new_size, f) != prop->new_size) {
                fprintf(stderr, "bench-propose: %s: %s\n", path, strerror(errno));
                if (f)
                        fclose(f);
                return;
        }
        fclose(f);
        printf("  the proposed policy: %s\n", path);
}

/* Returns 0 (also when the figure is skipped), or -1 when proposal_build
 * failed. */
static int bench_tightness(const struct policy *pol, const char *text, size_t size)
{
        struct events_pipeline *pipeline = NULL;
        struct audit_netlink *src = NULL;
        const struct audit_netlink_stats *ns;
        const struct observation *const *all;
        struct proposal *prop = NULL;
        struct proposal_recording rec = {0};
        struct feed f = {0};
        char dir[] = "/tmp/pbench-workload-XXXXXX", why[700];
        size_t podman = 0, n;
        double t_prop;
        int r, status, ret = 0;

        printf("2. tightness: the allow list proposed after recording a real workload, against "
               "podman's default profile\n");
        if (geteuid() != 0) {
                printf("  skipped: needs root (a netlink audit socket joined to "
                       "AUDIT_NLGRP_READLOG needs CAP_AUDIT_READ)\n");
                return 0;
        }
        if (access(BUSYBOX, X_OK) < 0) {
                printf("  skipped: no %s (the workload; Debian: busybox-static)\n", BUSYBOX);
                return 0;
        }
        if (access(PODMAN_PROFILE, R_OK) < 0) {
                printf("  skipped: no %s (podman's default profile, the baseline)\n",
                       PODMAN_PROFILE);
                return 0;
        }
        r = podman_allowed(PODMAN_PROFILE, &podman, why, sizeof(why));
        if (r < 0) {
                printf("  skipped: cannot read podman's profile: %s\n",
                       r == -ENOMEM ? "out of memory" : why);
                return 0;
        }
        r = audit_netlink_open(0, &src);
        if (r < 0) {
                printf("  skipped: cannot open the audit netlink source: %s\n", strerror(-r));
                return 0;
        }
        if (!mkdtemp(dir))
                die(dir, -errno);
        r = workload_setup(dir);
        if (r < 0) {
                workload_cleanup(dir);
                die("setting up the workload", r);
        }
        r = events_pipeline_new(&(struct events_pipeline_config){.proc_fd = -1, .root_fd = -1},
                                &pipeline);
        if (r < 0)
                die("events_pipeline_new", r);
        f.pipeline = pipeline;
        f.needle_len = (size_t)snprintf(f.needle, sizeof(f.needle), "exe=\"%s/busybox\"", dir);

        /* Records are stamped to the millisecond: the window starts at the
         * millisecond the workload started in. */
        rec.start_usec = realtime_usec() / 1000u * 1000u;
        r = record_workload(src, dir, &f, &status);
        rec.end_usec = realtime_usec();
        workload_cleanup(dir);
        if (r < 0)
                die("recording the workload", r);
        ns = audit_netlink_stats(src);
        all = observations_all(events_pipeline_observations(pipeline), &n);
        printf("  workload: busybox sh running a %zu-byte script under a SCMP_ACT_LOG filter, "
               "%.0f ms; exit status %d\n",
               sizeof(script) - 1, (double)(rec.end_usec - rec.start_usec) / 1e3,
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        printf("  its records: %lu through the netlink source (%lu records of every process "
               "read, overruns %lu, dropped %lu); %lu delivered, %zu keys, %zu distinct "
               "syscalls\n",
               (unsigned long)f.matched, (unsigned long)ns->records, (unsigned long)ns->overruns,
               (unsigned long)ns->dropped,
               (unsigned long)events_pipeline_stats(pipeline)->delivered, n,
               distinct_syscalls(all, n));
        if (f.matched == 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                printf("  skipped: the workload %s\n",
                       f.matched == 0 ? "left no record (is 'log' missing from "
                                        "/proc/sys/kernel/seccomp/actions_logged?)"
                                      : "failed");
                goto done;
        }
        prop = propose(pol, text, size, all, n,
                       &(struct proposal_options){.all_events = true, .recording = &rec}, &t_prop);
        if (!prop) {
                printf("  FAILED: proposal_build refused this input (see above)\n");
                ret = -1;
                goto done;
        }
        printf("  proposal for %s (base \"%s\"), all events, the recording's window: %.2f ms\n",
               POLICY_FILE, pol->seccomp.base ? pol->seccomp.base : "none", t_prop / 1e6);
        print_summary("    ", prop);
        printf("  allow list on x86_64: proposed %zu, podman default %zu (%s, default "
               "capabilities): ratio %.3fx (api's current policy %zu: %.3fx podman)\n",
               prop->allowed_after, podman, PODMAN_PROFILE,
               (double)prop->allowed_after / (double)podman, prop->allowed_before,
               (double)prop->allowed_before / (double)podman);
        report_uncovered(prop, all, n);
        keep_text(prop);
done:
        proposal_free(prop);
        events_pipeline_free(pipeline);
        audit_netlink_free(src);
        return ret;
}

int main(void)
{
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL;
        struct diag_list d;
        size_t size;
        int r;

        if (diag_list_init(&d, POLICY_FILE) < 0)
                die("diag_list_init", -ENOMEM);
        r = policy_load_file(POLICY_FILE, &d, &pol);
        if (r < 0) {
                diag_print(&d, stderr);
                die(POLICY_FILE " (run from the source tree)", r);
        }
        diag_list_done(&d);
        r = read_file_bounded(AT_FDCWD, POLICY_FILE, POLICY_MAX_BYTES, &text, &size);
        if (r < 0)
                die(POLICY_FILE, r);

        printf("bench-propose: proposals from observations, on %s\n", POLICY_FILE);
        r = bench_time(pol, text, size);
        r |= bench_tightness(pol, text, size);
        return r < 0 ? 1 : 0;
}
