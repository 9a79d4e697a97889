/* SPDX-License-Identifier: MIT */
/* The /proc scan's cost per process, on a host with 1,000+ processes
 * spread over 50+ mount namespaces, which the benchmark builds itself:
 * 50 children each unshare(CLONE_NEWNS), mount a tmpfs of their own (so
 * every namespace has its own mount table), and fork 19 sleepers; all are
 * killed at the end, also when the benchmark fails.
 *
 * Measured in the same run, CPU time (user + system) per process:
 *  - baseline: reading every /proc/PID/status (openat, read, close), the
 *    least any posture reader does;
 *  - `cat /proc/PID/status...` run as a child over the same files, as the
 *    issue suggests for a baseline;
 *  - the full scan of issue 5 (stat, status, cgroup, attr, seven ns links,
 *    mountinfo once per namespace), and the scan `hardenctl check` runs
 *    (plus exe and threads), each from both sources: the BPF task iterator
 *    (the default where it loads) and /proc alone (SCAN_NO_BPF). The
 *    iterator's program runs inside our read() of its fd, so the process
 *    CPU clock counts it as our system time;
 *  - the iterator's load (libbpf, BTF, the verifier), paid once per
 *    process, apart;
 *  - for reference, the cost of each kind of read alone, to show where the
 *    time goes (on a machine whose syscalls are expensive, their count
 *    dominates). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"
#include "posture/scan.h"

#define NAMESPACES 50
#define PER_NS     20 /* the namespace's first process and 19 sleepers */
#define ROUNDS     7
#define MAX_PIDS   65536
#define CAT_CHUNK  2000 /* files per cat invocation (argv size) */

static pid_t leaders[NAMESPACES];
static size_t n_leaders;

static double cpu_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double children_cpu_ns(void)
{
        struct rusage ru;

        getrusage(RUSAGE_CHILDREN, &ru);
        return ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec) * 1e9 +
               ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) * 1e3;
}

static void cleanup(void)
{
        /* Each leader is its group's process group leader: kill the group. */
        for (size_t i = 0; i < n_leaders; i++)
                kill(-leaders[i], SIGKILL);
        for (size_t i = 0; i < n_leaders; i++)
                waitpid(leaders[i], NULL, 0);
        n_leaders = 0;
}

static void on_signal(int sig)
{
        cleanup();
        signal(sig, SIG_DFL);
        raise(sig);
}

/* A namespace leader: its own mount namespace with a private tmpfs, then
 * PER_NS - 1 sleeping children; reports readiness through the pipe. */
static void leader_main(int ready_fd, size_t index)
{
        char dir[64];

        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (unshare(CLONE_NEWNS) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
                _exit(2);
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                _exit(3);
        snprintf(dir, sizeof(dir), "/tmp/.bench-posture-%zu", index);
        /* The directory exists only inside this namespace's tmpfs on /tmp. */
        if (mount("bench", "/tmp", "tmpfs", 0, "size=64k") < 0 || mkdir(dir, 0700) < 0 ||
            mount("bench", dir, "tmpfs", MS_RDONLY, "size=4k") < 0)
                _exit(4);
        for (int i = 1; i < PER_NS; i++) {
                pid_t c = fork();

                if (c < 0)
                        _exit(5);
                if (c == 0) {
                        prctl(PR_SET_PDEATHSIG, SIGKILL);
                        for (;;)
                                pause();
                }
        }
        if (write(ready_fd, "x", 1) != 1)
                _exit(6);
        for (;;)
                pause();
}

static int spawn_namespaces(void)
{
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        for (size_t i = 0; i < NAMESPACES; i++) {
                pid_t pid = fork();
                char c;

                if (pid < 0)
                        return -errno;
                if (pid == 0) {
                        close(p[0]);
                        leader_main(p[1], i);
                }
                leaders[n_leaders++] = pid;
                if (read(p[0], &c, 1) != 1) {
                        fprintf(stderr, "bench-posture: namespace %zu did not start\n", i);
                        return -EIO;
                }
        }
        close(p[0]);
        close(p[1]);
        return 0;
}

static size_t list_pids(int proc_fd, pid_t *pids)
{
        DIR *d = fdopendir(openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct dirent *de;
        size_t n = 0;

        if (!d)
                return 0;
        while ((de = readdir(d)) && n < MAX_PIDS)
                if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
                        pids[n++] = (pid_t)atoi(de->d_name);
        closedir(d);
        return n;
}

/* The baseline: what reading every status costs. Lists /proc too, as the
 * scan does. */
static size_t read_all_status(int proc_fd)
{
        static pid_t pids[MAX_PIDS];
        size_t n = list_pids(proc_fd, pids), ok = 0;

        for (size_t i = 0; i < n; i++) {
                char name[32], buf[4096];
                int fd;

                snprintf(name, sizeof(name), "%d/status", (int)pids[i]);
                fd = openat(proc_fd, name, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                if (read(fd, buf, sizeof(buf)) > 0)
                        ok++;
                close(fd);
        }
        return ok;
}

/* `cat /proc/PID/status ...` over every process, in chunks. */
static size_t cat_all_status(int proc_fd)
{
        static pid_t pids[MAX_PIDS];
        size_t n = list_pids(proc_fd, pids);

        for (size_t start = 0; start < n; start += CAT_CHUNK) {
                size_t count = n - start < CAT_CHUNK ? n - start : CAT_CHUNK;
                char **argv = calloc(count + 2, sizeof(char *));
                pid_t c;

                if (!argv)
                        return 0;
                argv[0] = (char *)"cat";
                for (size_t i = 0; i < count; i++)
                        if (asprintf(&argv[i + 1], "/proc/%d/status", (int)pids[start + i]) < 0)
                                return 0;
                c = fork();
                if (c == 0) {
                        int null = open("/dev/null", O_WRONLY);

                        dup2(null, 1);
                        dup2(null, 2);
                        execvp("cat", argv);
                        _exit(127);
                }
                waitpid(c, NULL, 0);
                for (size_t i = 1; i <= count; i++)
                        free(argv[i]);
                free(argv);
        }
        return n;
}

/* Reading one kind of file for every process, for the breakdown. */
enum part {
        PART_DIRFD,
        PART_STAT,
        PART_STATUS,
        PART_CGROUP,
        PART_ATTR,
        PART_NS,
        _PART_MAX,
};

static const char *const part_names[_PART_MAX] = {
    [PART_DIRFD] = "open+close /proc/PID",
    [PART_STAT] = "stat",
    [PART_STATUS] = "status",
    [PART_CGROUP] = "cgroup",
    [PART_ATTR] = "attr/current",
    [PART_NS] = "7 ns readlinks",
};

static size_t read_part(int proc_fd, enum part part)
{
        static const char *const ns[] = {"ns/cgroup", "ns/ipc",  "ns/mnt", "ns/net",
                                         "ns/pid",    "ns/user", "ns/uts"};
        static pid_t pids[MAX_PIDS];
        size_t n = list_pids(proc_fd, pids);

        for (size_t i = 0; i < n; i++) {
                char name[32], buf[4096];
                int fd, f;

                snprintf(name, sizeof(name), "%d", (int)pids[i]);
                fd = openat(proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        continue;
                switch (part) {
                case PART_STAT:
                case PART_STATUS:
                case PART_CGROUP:
                case PART_ATTR:
                        f = openat(fd,
                                   part == PART_STAT     ? "stat"
                                   : part == PART_STATUS ? "status"
                                   : part == PART_CGROUP ? "cgroup"
                                                         : "attr/current",
                                   O_RDONLY | O_CLOEXEC);
                        if (f >= 0) {
                                if (read(f, buf, sizeof(buf)) < 0)
                                        buf[0] = 0;
                                close(f);
                        }
                        break;
                case PART_NS:
                        for (size_t k = 0; k < 7; k++)
                                if (readlinkat(fd, ns[k], buf, sizeof(buf)) < 0)
                                        buf[0] = 0;
                        break;
                default:
                        break;
                }
                close(fd);
        }
        return n;
}

struct figure {
        double per_proc_ns;
        size_t procs;
        size_t missed; /* read through /proc on the BPF path */
        enum scan_source source;
        int bpf_error;
};

static struct figure measure_scan(int proc_fd, unsigned flags, size_t *ret_mntns)
{
        double v[ROUNDS];
        struct figure f = {0};

        for (int r = 0; r < ROUNDS; r++) {
                struct posture_scan s;
                double t0 = cpu_ns();

                if (posture_scan_run(proc_fd, 0, flags, &s) < 0) {
                        fprintf(stderr, "bench-posture: scan failed\n");
                        cleanup();
                        exit(1);
                }
                v[r] = cpu_ns() - t0;
                f.procs = s.n_procs + s.kernel_threads;
                f.missed = s.bpf_missed;
                f.source = s.source;
                f.bpf_error = s.bpf_error;
                v[r] /= (double)f.procs;
                *ret_mntns = s.n_mount_ns;
                posture_scan_done(&s);
        }
        qsort(v, ROUNDS, sizeof(double), cmp_double);
        f.per_proc_ns = v[ROUNDS / 2];
        return f;
}

static void print_targets(const char *what, double per_proc_ns, double status)
{
        printf("  targets, %s: < 15 us/process: %s; <= 2x status: %s\n", what,
               per_proc_ns < 15e3 ? "met" : "NOT met",
               per_proc_ns <= 2 * status ? "met" : "NOT met");
}

static double measure_fn(int proc_fd, size_t (*fn)(int), bool children, size_t *ret_n)
{
        double v[ROUNDS];

        for (int r = 0; r < ROUNDS; r++) {
                double t0 = children ? children_cpu_ns() : cpu_ns();
                size_t n = fn(proc_fd);

                v[r] = ((children ? children_cpu_ns() : cpu_ns()) - t0) / (double)(n ? n : 1);
                *ret_n = n;
        }
        qsort(v, ROUNDS, sizeof(double), cmp_double);
        return v[ROUNDS / 2];
}

static double measure_part(int proc_fd, enum part part)
{
        double v[ROUNDS], base[ROUNDS];

        for (int r = 0; r < ROUNDS; r++) {
                double t0 = cpu_ns();
                size_t n = read_part(proc_fd, part);

                v[r] = (cpu_ns() - t0) / (double)(n ? n : 1);
                t0 = cpu_ns();
                n = read_part(proc_fd, PART_DIRFD);
                base[r] = (cpu_ns() - t0) / (double)(n ? n : 1);
        }
        qsort(v, ROUNDS, sizeof(double), cmp_double);
        qsort(base, ROUNDS, sizeof(double), cmp_double);
        /* Each part without the directory open it needs. */
        return part == PART_DIRFD ? v[ROUNDS / 2] : v[ROUNDS / 2] - base[ROUNDS / 2];
}

int main(void)
{
        struct figure full, check, full_proc, check_proc;
        double status, cat, load_wall, load_cpu;
        size_t n_status, n_cat, mntns = 0, mntns2 = 0;
        int proc_fd, r, loaded;

        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        atexit(cleanup);
        printf("bench-posture: CPU time per process of a /proc posture scan\n");
        /* Once per process: libbpf reads the kernel's BTF, the verifier
         * checks the program, the iterator is attached. */
        load_wall = now_ns();
        load_cpu = cpu_ns();
        loaded = posture_scan_prepare();
        load_cpu = cpu_ns() - load_cpu;
        load_wall = now_ns() - load_wall;
        r = spawn_namespaces();
        if (r < 0) {
                fprintf(stderr, "bench-posture: cannot build the process tree: %s\n", strerror(-r));
                return 1;
        }
        proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0)
                return 1;
        /* Warm the dentry caches once, as a periodic scan would find them. */
        measure_scan(proc_fd, SCAN_NO_BPF, &mntns);
        measure_scan(proc_fd, 0, &mntns);

        status = measure_fn(proc_fd, read_all_status, false, &n_status);
        cat = measure_fn(proc_fd, cat_all_status, true, &n_cat);
        full = measure_scan(proc_fd, 0, &mntns);
        full_proc = measure_scan(proc_fd, SCAN_NO_BPF, &mntns2);
        check = measure_scan(proc_fd, SCAN_EXE | SCAN_THREADS, &mntns2);
        check_proc = measure_scan(proc_fd, SCAN_EXE | SCAN_THREADS | SCAN_NO_BPF, &mntns2);

        printf("  host: %zu processes (+%zu built here), %zu mount namespaces seen by the scan\n",
               full.procs, (size_t)NAMESPACES * PER_NS, mntns);
        if (full.source == SCAN_SOURCE_BPF)
                printf("  BPF task iterator: load %.1f ms (%.1f ms CPU), once per process; "
                       "%zu process(es) it did not show read through /proc\n",
                       load_wall / 1e6, load_cpu / 1e6, full.missed);
        else
                printf("  BPF task iterator NOT used (%s): both rows below are /proc\n",
                       strerror(-(loaded < 0 ? loaded : full.bpf_error)));
        printf("  baseline: read every status         %7.2f us/process\n", status / 1e3);
        printf("  baseline: cat /proc/*/status         %7.2f us/process\n", cat / 1e3);
        printf("  full scan (issue 5 set), %-5s       %7.2f us/process  %.2fx status, %.2fx cat\n",
               scan_source_to_string(full.source), full.per_proc_ns / 1e3,
               full.per_proc_ns / status, full.per_proc_ns / cat);
        printf("  full scan (issue 5 set), proc        %7.2f us/process  %.2fx status, %.2fx cat\n",
               full_proc.per_proc_ns / 1e3, full_proc.per_proc_ns / status,
               full_proc.per_proc_ns / cat);
        printf("  as hardenctl check (+exe, threads), %-5s %5.2f us/process  %.2fx status\n",
               scan_source_to_string(check.source), check.per_proc_ns / 1e3,
               check.per_proc_ns / status);
        printf("  as hardenctl check (+exe, threads), proc  %5.2f us/process  %.2fx status\n",
               check_proc.per_proc_ns / 1e3, check_proc.per_proc_ns / status);
        printf("  where the time goes on the /proc path (each read alone, per process):\n");
        for (int p = 0; p < _PART_MAX; p++)
                printf("    %-24s %7.2f us\n", part_names[p],
                       measure_part(proc_fd, (enum part)p) / 1e3);
        if (full.source == SCAN_SOURCE_BPF)
                print_targets("BPF iterator", full.per_proc_ns, status);
        print_targets("/proc", full_proc.per_proc_ns, status);
        close(proc_fd);
        cleanup();
        return 0;
}
