/* SPDX-License-Identifier: MIT */
/* The agent as it runs: the real hardend started as a child process with
 * private directories (profiles, state, seccomp, runtime under one
 * temporary directory) and the three shipped policies (api, frontend,
 * worker), measured from the outside:
 *
 *  1. PSS idle, after start and the first scan (/proc/PID/smaps_rollup),
 *     with the largest mappings (/proc/PID/smaps). Baseline: an idle
 *     process that loaded every shared library the daemon maps (this
 *     benchmark re-executed: dlopen of each, then pause()), measured at the
 *     same moment. Target < 8 MiB.
 *  2. CPU while idle over HARDEND_BENCH_IDLE_SECONDS (default 60): the
 *     daemon's and its readback helper's time on a CPU (the scheduler's ns
 *     counter, and utime+stime from /proc/PID/stat), read once a second so
 *     that scans show as bursts, as a share of one core. Baseline: one bare
 *     /proc scan (posture_scan_run, as the daemon's periodic scan starts)
 *     made by this benchmark. Target < 0.1 %.
 *  3. `enforce api` and `monitor api` through the control socket, as
 *     hardenctl sends them (connect, request, reply; the reply comes after
 *     the profiles are written and the state is on disk), median of
 *     HARDEND_BENCH_TOGGLES (default 10) toggles. Baselines, interleaved
 *     with the toggles: a `status` round trip, the bare compile of the same
 *     rendered profile (`apparmor_parser -Q -K -q FILE`), and api's seccomp
 *     generation in this process.
 *  4. PSS after HARDEND_BENCH_EVENTS (default 1,000,000) real seccomp
 *     events: a policy naming this benchmark's executable is added
 *     (`reload`), then children of the benchmark load a filter that logs
 *     six system calls (SCMP_ACT_LOG) and make them in a tight loop; the
 *     kernel's records reach the daemon through the audit netlink group
 *     and are attributed to the policy's service. The daemon's status is
 *     watched until every event is delivered or the rate stalls;
 *     delivered, lost and overruns are reported as they are. PSS before
 *     and after, the peak sampled during the storm, and VmHWM (peak RSS).
 *     Target < 16 MiB.
 *
 * Every process it starts (daemon, baseline, generators) dies with it
 * (PR_SET_PDEATHSIG) and is killed at the end, also on failure or signal;
 * the temporary directory is removed. Runs as root from the source tree;
 * finds the daemon at $HARDEND_BUILDDIR/hardend, else build/hardend. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "bench-util.h"
#include "sources/audit-netlink.h"
#include "control/control-client.h"
#include "policy/policy-load.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "seccomp/seccomp-generate.h"
#include "seccomp/seccomp-rules.h"

#define MIB             (1024.0 * 1024.0)
#define GENERATORS      2
#define STALL_SECONDS   5.0   /* no new event for this long after the generators finished */
#define STORM_MAX_S     240.0 /* the storm gives up after this long in any case */
#define CALL_TIMEOUT_MS 120000
#define BASELINE_ARG    "--idle-baseline"

extern char **environ;

/* ---- what must be cleaned up, also from a signal handler ---- */

static struct {
        char dir[64];
        pid_t daemon, baseline, gens[GENERATORS];
} B;

/* Only async-signal-safe calls: it also runs from the signal handler. */
static void cleanup(void)
{
        pid_t pids[2 + GENERATORS] = {B.daemon, B.baseline};

        for (int i = 0; i < GENERATORS; i++)
                pids[2 + i] = B.gens[i];
        for (size_t i = 0; i < ELEMENTSOF(pids); i++)
                if (pids[i] > 0) {
                        kill(pids[i], SIGKILL);
                        (void)waitpid(pids[i], NULL, 0);
                }
        B.daemon = B.baseline = 0;
        memset(B.gens, 0, sizeof(B.gens));
        if (B.dir[0]) {
                pid_t rm = fork();

                if (rm == 0) {
                        char *argv[] = {(char *)"/bin/rm", (char *)"-rf", B.dir, NULL};

                        execve(argv[0], argv, environ);
                        _exit(127);
                }
                if (rm > 0)
                        (void)waitpid(rm, NULL, 0);
                B.dir[0] = '\0';
        }
}

static void on_signal(int sig)
{
        cleanup();
        _exit(128 + sig);
}

/* In a child about to run for the benchmark: die with it, and leave the
 * cleaning up to it. */
static void die_with_parent(pid_t parent)
{
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
                _exit(1);
}

/* ---- /proc readings ---- */

struct mem {
        double rss, pss, pss_anon, pss_file, uss; /* bytes */
};

static bool mem_read(pid_t pid, struct mem *ret)
{
        char path[64], line[256];
        _cleanup_fclose_ FILE *f = NULL;
        struct mem m = {0};
        unsigned long kb;

        snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        while (fgets(line, sizeof(line), f)) {
                if (sscanf(line, "Rss: %lu kB", &kb) == 1)
                        m.rss = (double)kb * 1024;
                else if (sscanf(line, "Pss: %lu kB", &kb) == 1)
                        m.pss = (double)kb * 1024;
                else if (sscanf(line, "Pss_Anon: %lu kB", &kb) == 1)
                        m.pss_anon = (double)kb * 1024;
                else if (sscanf(line, "Pss_File: %lu kB", &kb) == 1)
                        m.pss_file = (double)kb * 1024;
                else if (sscanf(line, "Private_Clean: %lu kB", &kb) == 1 ||
                         sscanf(line, "Private_Dirty: %lu kB", &kb) == 1)
                        m.uss += (double)kb * 1024;
        }
        *ret = m;
        return m.pss > 0;
}

/* The number on a "Key:  N [kB]" line of /proc/PID/status; -1 if absent. */
static double status_field(pid_t pid, const char *key)
{
        char path[64], line[256];
        _cleanup_fclose_ FILE *f = NULL;
        size_t n = strlen(key);

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, key, n) == 0 && line[n] == ':')
                        return strtod(line + n + 1, NULL);
        return -1;
}

/* utime+stime (ticks) from /proc/PID/stat, fields 14 and 15 after the
 * comm in parentheses. */
static bool stat_ticks(pid_t pid, unsigned long long *ret)
{
        char path[64], buf[1024];
        _cleanup_fclose_ FILE *f = NULL;
        unsigned long long ut, st;
        const char *p;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f || !fgets(buf, sizeof(buf), f) || !(p = strrchr(buf, ')')) ||
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
                return false;
        *ret = ut + st;
        return true;
}

/* Time on a CPU in ns (/proc/PID/schedstat, first field): finer than
 * ticks. */
static bool sched_ns(pid_t pid, unsigned long long *ret)
{
        char path[64];
        _cleanup_fclose_ FILE *f = NULL;

        snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
        f = fopen(path, "re");
        return f && fscanf(f, "%llu", ret) == 1;
}

/* The daemon's readback helper: the child it forks (not executes) and
 * names readback-helper; 0 if none. */
static pid_t helper_of(pid_t daemon)
{
        char path[80], comm[32];
        _cleanup_fclose_ FILE *f = NULL;
        int child;

        snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)daemon, (int)daemon);
        f = fopen(path, "re");
        while (f && fscanf(f, "%d", &child) == 1) {
                _cleanup_fclose_ FILE *c = NULL;

                snprintf(path, sizeof(path), "/proc/%d/comm", child);
                c = fopen(path, "re");
                if (c && fgets(comm, sizeof(comm), c) && strcmp(comm, "readback-helper\n") == 0)
                        return child;
        }
        return 0;
}

/* PSS per mapping name (/proc/PID/smaps), the largest first: what
 * dominates. */
static void print_top_mappings(pid_t pid, int top)
{
        struct {
                char name[48];
                double pss;
        } agg[96];
        size_t n = 0, cur = SIZE_MAX;
        char path[64], line[512];
        _cleanup_fclose_ FILE *f = NULL;
        unsigned long kb;

        memset(agg, 0, sizeof(agg));
        snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                unsigned long lo, hi;
                int off = 0;

                if (sscanf(line, "%lx-%lx %*s %*x %*x:%*x %*u %n", &lo, &hi, &off) == 2 &&
                    off > 0) {
                        char *name = line + off, *slash;

                        name[strcspn(name, "\n")] = '\0';
                        slash = strrchr(name, '/');
                        if (slash && name[0] == '/')
                                name = slash + 1;
                        if (!*name)
                                name = (char *)"[anon]";
                        for (cur = 0; cur < n; cur++)
                                if (strncmp(agg[cur].name, name, sizeof(agg[0].name) - 1) == 0)
                                        break;
                        if (cur == n) {
                                if (n == ELEMENTSOF(agg)) {
                                        cur = SIZE_MAX;
                                        continue;
                                }
                                snprintf(agg[n++].name, sizeof(agg[0].name), "%s", name);
                        }
                } else if (cur != SIZE_MAX && sscanf(line, "Pss: %lu kB", &kb) == 1)
                        agg[cur].pss += (double)kb * 1024;
        }
        printf("    largest PSS by mapping:");
        for (int k = 0; k < top; k++) {
                size_t best_i = SIZE_MAX;

                for (size_t i = 0; i < n; i++)
                        if (agg[i].pss > 0 && (best_i == SIZE_MAX || agg[i].pss > agg[best_i].pss))
                                best_i = i;
                if (best_i == SIZE_MAX)
                        break;
                printf("%s %s %.0f KiB", k ? "," : "", agg[best_i].name, agg[best_i].pss / 1024);
                agg[best_i].pss = 0;
        }
        printf("\n");
}

/* ---- the daemon ---- */

struct daemon_paths {
        char config[128], profiles[128], state[128], socket[160], log[128];
};

static struct daemon_paths P;

static bool copy_file(const char *from, const char *to)
{
        _cleanup_free_ char *data = NULL;
        size_t size;

        return read_file_bounded(AT_FDCWD, from, 1 << 20, &data, &size) == 0 &&
               write_file_atomic(AT_FDCWD, to, data, size, 0644) == 0;
}

static bool setup_dir(void)
{
        static const char *const shipped[] = {"api", "frontend", "worker"};
        char text[1024], path[256];

        snprintf(B.dir, sizeof(B.dir), "/tmp/bench-daemon-XXXXXX");
        if (!mkdtemp(B.dir) || chmod(B.dir, 0755) < 0) {
                B.dir[0] = '\0';
                return false;
        }
        snprintf(P.config, sizeof(P.config), "%s/hardend.yaml", B.dir);
        snprintf(P.profiles, sizeof(P.profiles), "%s/profiles", B.dir);
        snprintf(P.state, sizeof(P.state), "%s/state", B.dir);
        snprintf(P.socket, sizeof(P.socket), "%s/run/control.sock", B.dir);
        snprintf(P.log, sizeof(P.log), "%s/hardend.log", B.dir);
        if (mkdir(P.profiles, 0755) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(shipped); i++) {
                char from[64];

                snprintf(from, sizeof(from), "profiles/%s.yaml", shipped[i]);
                snprintf(path, sizeof(path), "%s/%s.yaml", P.profiles, shipped[i]);
                if (!copy_file(from, path)) {
                        fprintf(stderr, "bench-daemon: cannot copy %s: run from the source tree\n",
                                from);
                        return false;
                }
        }
        snprintf(text, sizeof(text),
                 "profiles_dir: %s\nstate_dir: %s\nseccomp_dir: %s/seccomp\nruntime_dir: %s/run\n",
                 P.profiles, P.state, B.dir, B.dir);
        return write_file_atomic(AT_FDCWD, P.config, text, strlen(text), 0644) == 0;
}

/* One request as hardenctl makes it: connect, send, read the reply. The
 * result (ok) or NULL; *ret_error (may be NULL) gets the error reply's
 * "code: message", *ret_ms the round trip. */
static json_t *call(const char *verb, json_t *args, char **ret_error, double *ret_ms)
{
        static uint64_t id = 1;
        struct protocol_response resp = {0};
        json_t *req = control_request_new(id++, protocol_verb_from_string(verb), args), *v = NULL;
        double t0 = now_ns();
        int fd, r;

        if (!req)
                return NULL;
        fd = control_connect(P.socket, 5000);
        if (fd < 0) {
                json_decref(req);
                if (ret_error)
                        (void)!asprintf(ret_error, "connect: %s", strerror(-fd));
                return NULL;
        }
        r = control_call(fd, req, CALL_TIMEOUT_MS, &resp);
        close(fd);
        if (ret_ms)
                *ret_ms = (now_ns() - t0) / 1e6;
        json_decref(req);
        if (r < 0) {
                if (ret_error)
                        (void)!asprintf(ret_error, "no reply: %s", strerror(-r));
                return NULL;
        }
        if (resp.ok)
                v = json_incref(resp.result);
        else if (ret_error)
                (void)!asprintf(ret_error, "%s: %s", resp.error_code,
                                resp.error_message ? resp.error_message : "");
        protocol_response_done(&resp);
        return v;
}

/* status, or NULL after saying why. */
static json_t *status_call(void)
{
        _cleanup_free_ char *err = NULL;
        json_t *st = call("status", NULL, &err, NULL);

        if (!st)
                fprintf(
                    stderr, "bench-daemon: status: %s (socket %s %s, directory %s, daemon %s)\n",
                    err ? err : "?", P.socket, access(P.socket, F_OK) == 0 ? "present" : "missing",
                    access(B.dir, F_OK) == 0 ? "present" : "missing",
                    kill(B.daemon, 0) == 0 ? "alive" : "gone");
        return st;
}

/* "a.b.c" in o; NULL if any step is missing. */
static json_t *jpath(json_t *o, const char *path)
{
        char key[64];

        while (o && *path) {
                size_t n = strcspn(path, ".");

                snprintf(key, sizeof(key), "%.*s", (int)n, path);
                o = json_object_get(o, key);
                path += n + (path[n] == '.');
        }
        return o;
}

static double jnum(json_t *o, const char *path)
{
        return json_number_value(jpath(o, path));
}

static json_t *service_of(json_t *status, const char *name)
{
        json_t *services = json_object_get(status, "services");

        for (size_t i = 0; i < json_array_size(services); i++) {
                json_t *it = json_array_get(services, i);
                const char *n = json_string_value(json_object_get(it, "name"));

                if (n && strcmp(n, name) == 0)
                        return it;
        }
        return NULL;
}

static void print_log_tail(void)
{
        _cleanup_free_ char *log = NULL;
        size_t size;

        if (read_file_bounded(AT_FDCWD, P.log, 1 << 20, &log, &size) == 0)
                fprintf(stderr, "bench-daemon: the daemon's log:\n%s",
                        size > 4096 ? log + size - 4096 : log);
}

static bool daemon_start(const char *hardend)
{
        pid_t parent = getpid();

        fflush(NULL); /* nothing buffered is written twice */
        B.daemon = fork();
        if (B.daemon < 0)
                return false;
        if (B.daemon == 0) {
                int fd = open(P.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

                die_with_parent(parent);
                if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0)
                        _exit(126);
                execl(hardend, hardend, "--config", P.config, (char *)NULL);
                _exit(127);
        }
        for (int i = 0; i < 600; i++) {
                int status, fd = control_connect(P.socket, 100);

                if (fd >= 0) {
                        close(fd);
                        return true;
                }
                if (waitpid(B.daemon, &status, WNOHANG) == B.daemon) {
                        B.daemon = 0;
                        fprintf(stderr, "bench-daemon: %s exited (status 0x%x) before serving\n",
                                hardend, status);
                        print_log_tail();
                        return false;
                }
                usleep(50000);
        }
        fprintf(stderr, "bench-daemon: %s did not serve %s within 30 s\n", hardend, P.socket);
        return false;
}

/* SIGTERM, as systemd stops it; its exit status, or -1 if it had to be
 * killed. */
static int daemon_stop(void)
{
        int status;

        if (B.daemon <= 0)
                return -1;
        kill(B.daemon, SIGTERM);
        for (int i = 0; i < 200; i++) {
                if (waitpid(B.daemon, &status, WNOHANG) == B.daemon) {
                        B.daemon = 0;
                        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                }
                usleep(50000);
        }
        return -1; /* cleanup() kills it */
}

/* ---- 1. idle memory ---- */

/* This program's path (what /proc/self/exe links to; under valgrind the
 * link itself would name valgrind's tool). */
static const char *self_exe(void)
{
        static char exe[PATH_MAX];

        if (!exe[0]) {
                ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

                exe[n > 0 ? n : 0] = '\0';
        }
        return exe;
}

/* The shared libraries the daemon maps (/proc/PID/maps), the dynamic
 * loader excepted; malloc'd paths into ret (at most max). */
static size_t daemon_libraries(pid_t pid, char **ret, size_t max)
{
        char path[64], line[512];
        _cleanup_fclose_ FILE *f = NULL;
        size_t n = 0;

        snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
        f = fopen(path, "re");
        while (f && fgets(line, sizeof(line), f) && n < max) {
                char *lib = strchr(line, '/');
                bool seen = false;

                if (!lib)
                        continue;
                lib[strcspn(lib, "\n")] = '\0';
                if (!strstr(lib, ".so") || strstr(lib, "/ld-linux"))
                        continue;
                for (size_t i = 0; i < n && !seen; i++)
                        seen = strcmp(ret[i], lib) == 0;
                if (!seen && (ret[n] = strdup(lib)))
                        n++;
        }
        return n;
}

/* This benchmark re-executed with BASELINE_ARG and the daemon's shared
 * libraries, which it loads (dlopen, RTLD_NOW: relocated and initialised
 * as at start) before it says it is ready on fd 3 and waits. */
static pid_t baseline_start(size_t *ret_libs)
{
        char *argv[3 + 64] = {(char *)"bench-daemon", (char *)BASELINE_ARG};
        size_t n = daemon_libraries(B.daemon, argv + 2, 64);
        pid_t parent = getpid(), pid = -1;
        int fds[2] = {-1, -1};
        char c = 0;

        fflush(NULL);
        if (pipe2(fds, O_CLOEXEC) == 0)
                pid = fork();
        if (pid == 0) {
                die_with_parent(parent);
                if (dup2(fds[1], 3) < 0)
                        _exit(126);
                execv(self_exe(), argv);
                _exit(127);
        }
        for (size_t i = 0; i < n; i++)
                free(argv[2 + i]);
        if (fds[1] >= 0)
                close(fds[1]);
        if (pid > 0 && (read(fds[0], &c, 1) != 1 || c != '1')) {
                kill(pid, SIGKILL);
                (void)waitpid(pid, NULL, 0);
                pid = -1;
        }
        if (fds[0] >= 0)
                close(fds[0]);
        *ret_libs = n;
        return pid;
}

static int baseline_main(int argc, char **argv)
{
        bool ok = true;

        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (int i = 2; i < argc; i++)
                if (!dlopen(argv[i], RTLD_NOW | RTLD_GLOBAL)) {
                        fprintf(stderr, "bench-daemon: baseline: %s\n", dlerror());
                        ok = false;
                }
        (void)!write(3, ok ? "1" : "0", 1);
        close(3);
        for (;;)
                pause();
        return 0;
}

static void print_mem(const char *name, const struct mem *m, const struct mem *base,
                      double target_mib)
{
        printf("  %s: %.2f MiB (%.2fx baseline %.2f MiB); RSS %.2f MiB, USS %.2f MiB, PSS anon "
               "%.2f + file %.2f MiB; target < %.0f MiB %s\n",
               name, m->pss / MIB, m->pss / base->pss, base->pss / MIB, m->rss / MIB, m->uss / MIB,
               m->pss_anon / MIB, m->pss_file / MIB, target_mib,
               m->pss < target_mib * MIB ? "MET" : "MISSED");
}

static bool bench_idle_memory(struct mem *ret_idle, struct mem *ret_base)
{
        struct mem m, h = {0}, base;
        pid_t helper;
        size_t libs;
        json_t *st;
        int i;

        /* The first scan starts right away; its result shows in status. */
        for (i = 0; i < 300; i++) {
                st = call("status", NULL, NULL, NULL);
                if (st && jnum(st, "agent.scan.last") > 0) {
                        json_decref(st);
                        break;
                }
                json_decref(st);
                usleep(100000);
        }
        if (i == 300) {
                fprintf(stderr, "bench-daemon: no scan within 30 s\n");
                return false;
        }
        sleep(1);
        helper = helper_of(B.daemon); /* forked before the loop runs, so before the scan */
        B.baseline = baseline_start(&libs);
        if (B.baseline <= 0) {
                fprintf(stderr, "bench-daemon: cannot start the baseline process\n");
                return false;
        }
        if (!mem_read(B.daemon, &m) || !mem_read(B.baseline, &base)) {
                fprintf(stderr, "bench-daemon: cannot read smaps_rollup\n");
                return false;
        }
        if (helper > 0)
                (void)mem_read(helper, &h);
        st = status_call();
        print_mem("idle PSS, daemon", &m, &base, 8);
        printf("    baseline: an idle process (this benchmark re-executed, in pause()) that "
               "loaded the %zu shared libraries the daemon maps (RSS %.2f MiB, USS %.2f MiB)\n",
               libs, base.rss / MIB, base.uss / MIB);
        if (helper > 0)
                printf("    readback helper (pid %d, forked by the daemon): PSS %.2f MiB, USS "
                       "%.2f MiB; daemon + helper PSS %.2f MiB\n",
                       (int)helper, h.pss / MIB, h.uss / MIB, (m.pss + h.pss) / MIB);
        else
                printf("    readback helper: not found (no child named readback-helper): not "
                       "counted\n");
        if (st)
                printf("    the daemon's own status says: pss %.2f MiB, rss %.2f MiB; "
                       "observations %.0f keys\n",
                       jnum(st, "agent.memory.pss") / MIB, jnum(st, "agent.memory.rss") / MIB,
                       jnum(st, "agent.observations.keys"));
        json_decref(st);
        print_top_mappings(B.daemon, 8);
        kill(B.baseline, SIGKILL);
        (void)waitpid(B.baseline, NULL, 0);
        B.baseline = 0;
        *ret_idle = m;
        *ret_base = base;
        return true;
}

/* ---- 2. idle CPU ---- */

struct cpu {
        unsigned long long ticks, ns;
        long switches;
};

static void cpu_read(pid_t pid, struct cpu *c)
{
        *c = (struct cpu){0};
        if (pid <= 0)
                return;
        (void)stat_ticks(pid, &c->ticks);
        (void)sched_ns(pid, &c->ns);
        c->switches = (long)(status_field(pid, "voluntary_ctxt_switches") +
                             status_field(pid, "nonvoluntary_ctxt_switches"));
}

static double cpu_self_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* One bare scan of /proc, best of 3: the core of the daemon's periodic
 * work. */
static double scan_cpu_ms(size_t *ret_procs)
{
        _cleanup_close_ int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        double v[3];

        *ret_procs = 0;
        for (int i = 0; i < 3; i++) {
                struct posture_scan s = {0};
                double t0 = cpu_self_ns();

                if (posture_scan_run(proc_fd, 0, SCAN_EXE | SCAN_THREADS, &s) < 0)
                        return -1;
                v[i] = (cpu_self_ns() - t0) / 1e6;
                *ret_procs = s.n_procs;
                posture_scan_done(&s);
        }
        return best(v, 3);
}

/* What a scan adds per workload that runs a filter and matches a policy:
 * the service's expected filter, rebuilt for both modes to compare with
 * the running one (seccomp_expected_chain, as posture/seccomp-check.c
 * calls it), for api; best of 3, in ms of CPU. */
static double expected_chains_ms(void)
{
        _cleanup_policy_ struct policy *p = NULL;
        struct diag_list dl;
        double v[3];
        int r;

        if (diag_list_init(&dl, "profiles/api.yaml") < 0)
                return -1;
        r = policy_load_file("profiles/api.yaml", &dl, &p);
        diag_list_done(&dl);
        if (r < 0)
                return -1;
        for (int i = 0; i < 3; i++) {
                double t0 = cpu_self_ns();

                for (int mode = POLICY_MODE_MONITOR; mode <= POLICY_MODE_ENFORCE; mode++) {
                        struct seccomp_chain c = {0};

                        if (seccomp_expected_chain(p, (enum policy_mode)mode, &c) < 0)
                                return -1;
                        seccomp_chain_done(&c);
                }
                v[i] = (cpu_self_ns() - t0) / 1e6;
        }
        return best(v, 3);
}

/* The daemon's and its helper's CPU in ns and context switches. */
static void agent_cpu(pid_t helper, struct cpu *ret)
{
        struct cpu d, h;

        cpu_read(B.daemon, &d);
        cpu_read(helper, &h);
        *ret = (struct cpu){.ticks = d.ticks + h.ticks,
                            .ns = d.ns + h.ns,
                            .switches = (d.switches > 0 ? d.switches : 0) +
                                        (h.switches > 0 ? h.switches : 0)};
}

/* Read once a second from /proc (which does not wake the daemon): a
 * scan shows as a burst, the rest is what idling itself costs. */
static bool bench_idle_cpu(double seconds)
{
        pid_t helper = helper_of(B.daemon);
        int n = (int)(seconds + 0.5), bursts = 0;
        _cleanup_free_ double *slice = calloc((size_t)n, sizeof(double));
        _cleanup_free_ double *sorted = calloc((size_t)n, sizeof(double));
        struct cpu c0, prev, cur;
        double t0, wall, ticks_ms, ns_ms, pct, scan_ms, burst_ms = 0, largest = 0, steady, chains;
        double tick_ms = 1000.0 / (double)sysconf(_SC_CLK_TCK);
        json_t *st0, *st1;
        size_t procs;

        if (!slice || !sorted)
                return false;
        scan_ms = scan_cpu_ms(&procs);
        chains = expected_chains_ms();
        st0 = status_call();
        sleep(1); /* the status request's own work is over */
        agent_cpu(helper, &c0);
        prev = c0;
        t0 = now_ns();
        for (int i = 0; i < n; i++) {
                double wait_ns = t0 + (double)(i + 1) * seconds / n * 1e9 - now_ns();

                if (wait_ns > 0)
                        usleep((useconds_t)(wait_ns / 1e3));
                agent_cpu(helper, &cur);
                slice[i] = sorted[i] = (double)(cur.ns - prev.ns) / 1e6;
                prev = cur;
        }
        wall = (now_ns() - t0) / 1e9;
        st1 = status_call();
        if (!st0 || !st1) {
                json_decref(st0);
                json_decref(st1);
                return false;
        }
        for (int i = 0; i < n; i++) {
                if (slice[i] > largest)
                        largest = slice[i];
                if (slice[i] > 10) {
                        bursts++;
                        burst_ms += slice[i];
                }
        }
        steady = median(sorted, n);
        ticks_ms = (double)(cur.ticks - c0.ticks) * tick_ms;
        ns_ms = (double)(cur.ns - c0.ns) / 1e6;
        pct = ns_ms / (wall * 1e3) * 100;
        printf("  idle CPU over %.0f s, daemon + readback helper: %.3f%% of a core (%.1f ms; "
               "/proc/PID/stat utime+stime %.0f ms at %.0f ms a tick) = %.1fx baseline %.2f ms: "
               "one bare /proc scan of %zu processes by this benchmark; target < 0.1%% %s\n",
               wall, pct, ns_ms, ticks_ms, tick_ms, scan_ms > 0 ? ns_ms / scan_ms : 0, scan_ms,
               procs, pct < 0.1 ? "MET" : "MISSED");
        printf(
            "    per second: median %.2f ms (%.3f%% of a core); %d second%s above 10 ms held "
            "%.0f ms (the largest second %.1f ms = %.1fx the bare scan); %.2f context switches/s\n",
            steady, steady / 10, bursts, bursts == 1 ? "" : "s", burst_ms, largest,
            scan_ms > 0 ? largest / scan_ms : 0, (double)(cur.switches - c0.switches) / wall);
        printf("    meanwhile: a scan %s, %.0f audit records received (other work on this "
               "machine), %.0f workloads in the last scan\n",
               jnum(st1, "agent.scan.last") > jnum(st0, "agent.scan.last") ? "ran" : "did not run",
               jnum(st1, "agent.events.parsed") - jnum(st0, "agent.events.parsed"),
               jnum(st1, "agent.scan.workloads"));
        if (chains > 0)
                printf("    a scan rebuilds, for every workload with a filter and a policy, the "
                       "service's filter in both modes to compare: %.1f ms of CPU for api here "
                       "(%.1fx the bare scan)\n",
                       chains, scan_ms > 0 ? chains / scan_ms : 0);
        json_decref(st0);
        json_decref(st1);
        return true;
}

/* ---- 3. enforce / monitor ---- */

/* apparmor_parser -Q -K -q file: the bare compile, in ms; -1 on failure. */
static double compile_ms(const char *file)
{
        char *argv[] = {(char *)"/usr/sbin/apparmor_parser",
                        (char *)"-Q",
                        (char *)"-K",
                        (char *)"-q",
                        (char *)file,
                        NULL};
        posix_spawn_file_actions_t fa;
        double t0 = now_ns();
        pid_t pid;
        int status, r;

        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        r = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
                return -1;
        return (now_ns() - t0) / 1e6;
}

/* The seccomp side of a switch, as service_apply() does it: api's base
 * and every artifact generated for enforce, in ms (wall); -1 on failure. */
static double generate_ms(const struct policy *p)
{
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        struct seccomp_generate_options o = {.mode = POLICY_MODE_ENFORCE};
        struct seccomp_error err = {{0}};
        struct oci_error oerr = {{0}};
        struct seccomp_artifacts a;
        double t0 = now_ns();

        if (seccomp_policy_load_base(p, &oerr, &base) < 0 ||
            seccomp_generate(p, base, &o, &err, &a) < 0)
                return -1;
        seccomp_artifacts_done(&a);
        return (now_ns() - t0) / 1e6;
}

/* The mode switch of api to mode, timed; false (with why) unless the
 * reply says it changed. enforce goes with force (hardenctl enforce
 * --force): containers elsewhere on the machine that match api's policy
 * may have logged would-be denials, which would refuse it; force skips
 * only that lookup, the compile check and the whole switch still run. */
static bool switch_api(const char *mode, double *ret_ms)
{
        _cleanup_free_ char *err = NULL;
        json_t *r = call(mode,
                         strcmp(mode, "enforce") == 0
                             ? json_pack("{s:[s], s:b}", "services", "api", "force", 1)
                             : json_pack("{s:[s]}", "services", "api"),
                         &err, ret_ms);
        bool ok = r && json_array_size(json_object_get(r, "changed")) == 1;

        if (!ok)
                fprintf(stderr, "bench-daemon: %s api: %s\n", mode,
                        err ? err : "the reply names no change");
        json_decref(r);
        return ok;
}

static bool bench_toggles(int rounds)
{
        _cleanup_free_ double *enf = calloc((size_t)rounds, sizeof(double));
        _cleanup_free_ double *mon = calloc((size_t)rounds, sizeof(double));
        _cleanup_free_ double *stat = calloc((size_t)rounds, sizeof(double));
        _cleanup_free_ double *comp = calloc((size_t)rounds, sizeof(double));
        _cleanup_free_ double *gen = calloc((size_t)rounds, sizeof(double));
        _cleanup_policy_ struct policy *policy = NULL;
        struct diag_list dl;
        char profile[256];
        const char *name, *mode;
        json_t *st, *api;
        bool first_enforce;
        int n_comp = 0, n_gen = 0;

        if (!enf || !mon || !stat || !comp || !gen || diag_list_init(&dl, "profiles/api.yaml") < 0)
                return false;
        (void)policy_load_file("profiles/api.yaml", &dl, &policy);
        diag_list_done(&dl);
        st = status_call();
        api = service_of(st, "api");
        name = json_string_value(jpath(api, "apparmor.profile"));
        mode = json_string_value(json_object_get(api, "mode"));
        if (!name || !mode) {
                if (st)
                        fprintf(stderr, "bench-daemon: status has no api service\n");
                json_decref(st);
                return false;
        }
        snprintf(profile, sizeof(profile), "%s/apparmor/%s", P.state, name);
        first_enforce = strcmp(mode, "monitor") == 0;
        json_decref(st);

        /* Interleaved, so the machine's other work weighs on all alike. */
        for (int i = 0; i < rounds; i++) {
                double ms;

                if (!switch_api(first_enforce ? "enforce" : "monitor",
                                first_enforce ? &enf[i] : &mon[i]))
                        return false;
                ms = compile_ms(profile);
                if (ms >= 0)
                        comp[n_comp++] = ms;
                ms = policy ? generate_ms(policy) : -1;
                if (ms >= 0)
                        gen[n_gen++] = ms;
                if (!switch_api(first_enforce ? "monitor" : "enforce",
                                first_enforce ? &mon[i] : &enf[i]))
                        return false;
                st = call("status", NULL, NULL, &stat[i]);
                if (!st)
                        st = status_call(); /* says why */
                if (!st)
                        return false;
                json_decref(st);
        }
        double e = median(enf, rounds), m = median(mon, rounds), s = median(stat, rounds);
        double c = n_comp ? median(comp, n_comp) : -1, g = n_gen ? median(gen, n_gen) : -1;

        printf("  enforce api (request to reply, median of %d): %.1f ms = %.0fx a status round "
               "trip %.2f ms",
               rounds, e, e / s, s);
        if (c > 0)
                printf("; %.2fx the bare compile of the same profile %.1f ms", e / c, c);
        if (c > 0 && g > 0)
                printf("; %.2fx the work it must do, 1 x (compile + seccomp generation %.1f ms)",
                       e / (c + g), g);
        printf("\n  monitor api (request to reply, median of %d): %.1f ms = %.0fx a status round "
               "trip",
               rounds, m, m / s);
        if (c > 0)
                printf("; %.2fx the bare compile", m / c);
        if (c > 0 && g > 0)
                printf("; %.2fx the work it must do, 1 x (compile + generation)", m / (c + g));
        printf("\n");
        if (c > 0)
                printf("    compile baseline: apparmor_parser -Q -K -q %s (the daemon's kept "
                       "copy of the rendered profile); a switch builds once, then writes and "
                       "loads; generation: seccomp_generate of "
                       "profiles/api.yaml in this process\n",
                       profile);
        else
                printf("    apparmor_parser -Q -K failed or is missing: no compile baseline\n");
        return true;
}

/* ---- 4. a million events ---- */

struct gen_result {
        unsigned long calls;
        double cpu_s;
};

/* Six calls with no side effect: the events vary over a handful of
 * observation keys. */
static const int logged[] = {SYS_getppid, SYS_getpgrp, SYS_getuid,
                             SYS_getgid,  SYS_geteuid, SYS_getegid};

/* A generator: loads the filter, waits for go, makes `calls` logged
 * calls, reports, then stays alive until hold closes (attribution reads
 * /proc). */
static pid_t generator_start(unsigned long calls, const int go[2], const int hold[2],
                             int *ret_result)
{
        pid_t parent = getpid(), pid;
        int fds[2];

        /* Non-blocking: the parent polls for the result. */
        if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
                return -1;
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                struct gen_result r = {.calls = calls};
                struct rusage ru;
                char c;

                die_with_parent(parent);
                /* Only the parent may hold the write ends: their closing is
                 * the signal. */
                close(go[1]);
                close(hold[1]);
                close(fds[0]);
                for (size_t i = 0; i < ELEMENTSOF(logged); i++)
                        if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, logged[i], 0) < 0)
                                _exit(90);
                if (seccomp_load(ctx) < 0)
                        _exit(91);
                seccomp_release(ctx);
                if (read(go[0], &c, 1) != 0) /* the parent closes it: go */
                        _exit(92);
                for (unsigned long i = 0; i < calls; i++)
                        syscall(logged[i % ELEMENTSOF(logged)]);
                getrusage(RUSAGE_SELF, &ru);
                r.cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                          ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
                if (write(fds[1], &r, sizeof(r)) != sizeof(r))
                        _exit(93);
                (void)!read(hold[0], &c, 1);
                _exit(0);
        }
        close(fds[1]);
        if (pid < 0) {
                close(fds[0]);
                return -1;
        }
        *ret_result = fds[0];
        return pid;
}

/* Adds a policy whose match.executables names this program, so the
 * generators' events are attributed to service "bench". */
static bool add_bench_policy(void)
{
        const char *exe = self_exe();
        char yaml[PATH_MAX + 128], path[256];
        _cleanup_free_ char *err = NULL;
        json_t *r, *st;
        bool found;

        if (!exe[0])
                return false;
        snprintf(yaml, sizeof(yaml),
                 "service: bench\ndescription: bench-daemon's event generators\nmatch:\n  "
                 "executables: ['%s']\n",
                 exe);
        snprintf(path, sizeof(path), "%s/bench.yaml", P.profiles);
        if (write_file_atomic(AT_FDCWD, path, yaml, strlen(yaml), 0644) < 0)
                return false;
        r = call("reload", NULL, &err, NULL);
        json_decref(r);
        if (!r) {
                fprintf(stderr, "bench-daemon: reload: %s\n", err ? err : "?");
                return false;
        }
        st = status_call();
        found = service_of(st, "bench") != NULL;
        json_decref(st);
        if (!found)
                fprintf(stderr, "bench-daemon: service bench not running after reload\n");
        return found;
}

struct storm_snapshot {
        double bench_total, parsed, delivered, lost, duplicates, malformed, records, overruns,
            dropped, keys;
};

static bool storm_snapshot(struct storm_snapshot *ret)
{
        json_t *st = status_call();

        if (!st)
                return false;
        *ret = (struct storm_snapshot){
            .bench_total = jnum(service_of(st, "bench"), "events.total"),
            .parsed = jnum(st, "agent.events.parsed"),
            .delivered = jnum(st, "agent.events.delivered"),
            .lost = jnum(st, "agent.events.lost"),
            .duplicates = jnum(st, "agent.events.duplicates"),
            .malformed = jnum(st, "agent.events.malformed"),
            .records = jnum(st, "agent.sources.netlink.records"),
            .overruns = jnum(st, "agent.sources.netlink.overruns"),
            .dropped = jnum(st, "agent.sources.netlink.dropped"),
            .keys = jnum(st, "agent.observations.keys"),
        };
        json_decref(st);
        return true;
}

static bool bench_storm(unsigned long events, const struct mem *idle, const struct mem *base)
{
        int go[2], hold[2], results[GENERATORS];
        struct storm_snapshot s0, s1, cur;
        struct audit_status a0 = {0}, a1 = {0};
        struct gen_result g = {0};
        struct cpu c0, c1;
        struct mem m, peak = {0}, before;
        double t0, last_progress, last_total = -1, elapsed, last_print;
        bool have_audit, gens_done = false;
        int done = 0;

        if (!add_bench_policy())
                return false;
        sleep(1); /* the reload's own work (and the scan it asks for) is over */
        if (!mem_read(B.daemon, &before))
                return false;
        printf("  PSS before the events (after the toggles and adding a policy): %.2f MiB "
               "(%.2fx idle)\n",
               before.pss / MIB, before.pss / idle->pss);
        print_top_mappings(B.daemon, 3);
        if (!storm_snapshot(&s0) || pipe2(go, O_CLOEXEC) < 0 || pipe2(hold, O_CLOEXEC) < 0)
                return false;
        for (int i = 0; i < GENERATORS; i++) {
                unsigned long share = events / GENERATORS + (i == 0 ? events % GENERATORS : 0);

                B.gens[i] = generator_start(share, go, hold, &results[i]);
                if (B.gens[i] < 0) {
                        B.gens[i] = 0;
                        return false;
                }
        }
        close(go[0]);
        close(hold[0]);
        have_audit = audit_kernel_status(&a0) == 0;
        cpu_read(B.daemon, &c0);
        t0 = last_progress = last_print = now_ns();
        close(go[1]); /* go */

        for (;;) {
                usleep(250000);
                if (!storm_snapshot(&cur))
                        return false;
                if (mem_read(B.daemon, &m) && m.pss > peak.pss)
                        peak = m;
                double now = now_ns();

                if (cur.bench_total > last_total) {
                        last_total = cur.bench_total;
                        last_progress = now;
                }
                while (!gens_done && done < GENERATORS) {
                        siginfo_t si = {0};
                        struct gen_result r;

                        /* A generator that wrote its result is done calling. */
                        if (read(results[done], &r, sizeof(r)) != sizeof(r)) {
                                if (waitid(P_PID, (id_t)B.gens[done], &si,
                                           WEXITED | WNOHANG | WNOWAIT) == 0 &&
                                    si.si_pid == B.gens[done]) {
                                        fprintf(stderr,
                                                "bench-daemon: generator exited with status "
                                                "%d\n",
                                                si.si_status);
                                        return false;
                                }
                                break;
                        }
                        g.calls += r.calls;
                        g.cpu_s += r.cpu_s;
                        close(results[done]);
                        if (++done == GENERATORS)
                                gens_done = true;
                }
                if (now - last_print >= 5e9) {
                        printf("    %5.1f s: %.0f events of service bench delivered\n",
                               (now - t0) / 1e9, cur.bench_total - s0.bench_total);
                        fflush(stdout);
                        last_print = now;
                }
                if (cur.bench_total - s0.bench_total >= (double)events)
                        break;
                if (gens_done && (now - last_progress) / 1e9 >= STALL_SECONDS)
                        break;
                if ((now - t0) / 1e9 >= STORM_MAX_S) {
                        printf("    gave up after %.0f s\n", STORM_MAX_S);
                        break;
                }
        }
        elapsed = (last_progress - t0) / 1e9;
        cpu_read(B.daemon, &c1);
        if (have_audit)
                have_audit = audit_kernel_status(&a1) == 0;
        close(hold[1]); /* the generators may exit now */
        for (int i = done; i < GENERATORS; i++)
                kill(B.gens[i], SIGKILL); /* given up on: still calling */
        for (int i = 0; i < GENERATORS; i++) {
                (void)waitpid(B.gens[i], NULL, 0);
                B.gens[i] = 0;
        }
        for (int i = done; i < GENERATORS; i++)
                close(results[i]);
        sleep(2); /* the daemon's settle timer flushes the pipeline */
        if (!storm_snapshot(&s1) || !mem_read(B.daemon, &m))
                return false;
        if (m.pss > peak.pss)
                peak = m;

        double delivered = s1.bench_total - s0.bench_total;
        double cpu_ms = (double)(c1.ns - c0.ns) / 1e6;

        printf("  events: %lu logged calls made by %d generators (%s), %.0f delivered to service "
               "bench (%.4f of the calls) in %.1f s (%.0f events/s)\n",
               g.calls, GENERATORS, gens_done ? "finished" : "NOT finished", delivered,
               g.calls ? delivered / (double)g.calls : 0, elapsed,
               elapsed > 0 ? delivered / elapsed : 0);
        printf("    agent: parsed +%.0f, delivered +%.0f, lost (serial gaps) +%.0f, duplicates "
               "+%.0f, malformed +%.0f; netlink records +%.0f, overruns +%.0f (records "
               "dropped +%.0f); observation keys %.0f\n",
               s1.parsed - s0.parsed, s1.delivered - s0.delivered, s1.lost - s0.lost,
               s1.duplicates - s0.duplicates, s1.malformed - s0.malformed, s1.records - s0.records,
               s1.overruns - s0.overruns, s1.dropped - s0.dropped, s1.keys);
        if (have_audit)
                printf("    kernel: audit lost +%u, producers waited +%u ms for the backlog "
                       "(backlog_limit %u)\n",
                       a1.lost - a0.lost, a1.backlog_wait_time_actual - a0.backlog_wait_time_actual,
                       a1.backlog_limit);
        if (delivered > 0 && g.calls > 0)
                printf("    daemon CPU %.0f ms: %.2f us per event (%.2fx the generators' %.2f us "
                       "CPU per logged call), %.2f of a core\n",
                       cpu_ms, cpu_ms * 1e3 / delivered,
                       (cpu_ms * 1e3 / delivered) / (g.cpu_s * 1e6 / (double)g.calls),
                       g.cpu_s * 1e6 / (double)g.calls, elapsed > 0 ? cpu_ms / 1e3 / elapsed : 0);
        print_mem("PSS after the events, daemon", &m, base, 16);
        printf("    %.2fx idle PSS %.2f MiB, %.2fx before the events; PSS peak sampled during the "
               "storm %.2f MiB; VmHWM (peak RSS) %.2f MiB\n",
               m.pss / idle->pss, idle->pss / MIB, m.pss / before.pss, peak.pss / MIB,
               status_field(B.daemon, "VmHWM") * 1024 / MIB);
        print_top_mappings(B.daemon, 8);
        return true;
}

/* ---- main ---- */

static double env_num(const char *name, double def, double min)
{
        const char *s = getenv(name);
        double v = s ? strtod(s, NULL) : def;

        return v < min ? min : v;
}

int main(int argc, char **argv)
{
        const char *builddir = getenv("HARDEND_BUILDDIR");
        double idle_s = env_num("HARDEND_BENCH_IDLE_SECONDS", 60, 1);
        int toggles = (int)env_num("HARDEND_BENCH_TOGGLES", 10, 1);
        unsigned long events = (unsigned long)env_num("HARDEND_BENCH_EVENTS", 1e6, GENERATORS);
        struct sigaction sa = {.sa_handler = on_signal};
        struct mem idle, base;
        char hardend[PATH_MAX];
        int status;
        bool ok;

        if (argc >= 2 && strcmp(argv[1], BASELINE_ARG) == 0)
                return baseline_main(argc, argv);
        setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows through make's pipe */
        printf("bench-daemon: the running agent, measured from outside (hardend with the api, "
               "frontend and worker policies, private directories)\n");
        if (geteuid() != 0) {
                printf("  skipped: needs root (audit netlink, the daemon's capabilities)\n");
                return 0;
        }
        snprintf(hardend, sizeof(hardend), "%s/hardend", builddir ? builddir : "build");
        if (access(hardend, X_OK) < 0) {
                fprintf(stderr, "bench-daemon: no %s: build it (or set HARDEND_BUILDDIR)\n",
                        hardend);
                return 1;
        }
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        atexit(cleanup);
        if (!setup_dir() || !daemon_start(hardend))
                return 1;
        printf("  %s (pid %d), directories under %s\n", hardend, (int)B.daemon, B.dir);

        ok = bench_idle_memory(&idle, &base) && bench_idle_cpu(idle_s) && bench_toggles(toggles) &&
             bench_storm(events, &idle, &base);
        if (!ok)
                print_log_tail();
        status = daemon_stop();
        if (status != 0) {
                fprintf(stderr, "bench-daemon: the daemon %s\n",
                        status < 0 ? "did not stop on SIGTERM within 10 s"
                                   : "exited with an error on SIGTERM");
                print_log_tail();
                ok = false;
        } else
                printf("  the daemon stopped on SIGTERM, exit status 0\n");
        cleanup();
        return ok ? 0 : 1;
}
