/* SPDX-License-Identifier: MIT */
/* Offline events throughput: a replay file of 1M mixed records (kernel
 * log, dmesg, syslog and audit.log forms; seccomp LOG/ERRNO/KILL, AppArmor
 * ALLOWED/DENIED, ANOM_ABEND) read through the file source, parsed,
 * attributed (AppArmor profile and executable rules of the shipped
 * policies) and aggregated into observations, on one core.
 *
 * Baseline, same run, same file (in the page cache): `grep -c audit`, the
 * cost of merely reading it. Targets: >= 1M records/s, <= 5x grep.
 * HARDEND_BENCH_RECORDS changes the record count; HARDEND_BENCH_KEEP=PATH
 * keeps the replay file there (for hardenctl events --input, or a
 * profiler).
 *
 * Decomposition, same rounds: the file source with a callback that does
 * nothing (reading and line framing), then one that only parses each line
 * (audit_event_parse()); the pipeline's time minus these is dedupe,
 * attribution and aggregation. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-util.h"
#include "events/events-pipeline.h"
#include "sources/file-source.h"
#include "policy/policy-set.h"

extern char **environ;

static const char *const comms[] = {"api-server", "nginx", "build-agent", "node", "my app"};
static const char *const exes[] = {"/usr/local/bin/api-server", "/usr/sbin/nginx",
                                   "/usr/local/bin/build-agent", "/usr/bin/node", "/opt/tool"};
static const int syscalls[] = {0, 1, 3, 39, 41, 42, 101, 110, 157, 165, 257, 272, 321, 425};
static const char *const paths[] = {"/etc/shadow", "/etc/ssl/private/key.pem",
                                    "/proc/1/mem", "/var/lib/app/cache/0001",
                                    "/tmp/x",      "/root/.ssh/id_ed25519"};
static const char *const profiles[] = {"hardend-api", "hardend-frontend", "hardend-worker"};

/* One record in one of the forms a log holds. */
static int write_record(FILE *f, unsigned long i)
{
        unsigned long sec = 1795356141 + i / 1000, ms = i % 1000, serial = i + 1;
        unsigned k = (unsigned)(i * 2654435761u >> 7);
        const char *comm = comms[k % 5], *exe = exes[k % 5];
        char stamp[64];

        snprintf(stamp, sizeof(stamp), "audit(%lu.%03lu:%lu): ", sec, ms, serial);
        switch (i % 10) {
        case 0 ... 3: /* kernel log / dmesg: seccomp LOG */
                return fprintf(f,
                               "%saudit: type=1326 %sauid=4294967295 uid=0 gid=0 ses=4294967295 "
                               "pid=%u comm=\"%s\" exe=\"%s\" sig=0 arch=c000003e syscall=%d "
                               "compat=0 ip=0x7fade9c9f4e7 code=0x7ffc0000\n",
                               i % 2 ? "[ 1200.123456] " : "", stamp, 1000 + k % 5000,
                               strchr(comm, ' ') ? "x" : comm, exe,
                               syscalls[k % (sizeof(syscalls) / sizeof(*syscalls))]) > 0
                           ? 0
                           : -EIO;
        case 4 ... 5: /* audit.log: seccomp ERRNO, some with a hex comm */
                return fprintf(f,
                               "type=SECCOMP msg=%sauid=4294967295 uid=0 gid=0 ses=4294967295 "
                               "subj=unconfined pid=%u comm=%s exe=\"%s\" sig=0 arch=c000003e "
                               "syscall=%d compat=0 ip=0x7f0000001000 code=0x50000\n",
                               stamp, 1000 + k % 5000, k % 5 == 4 ? "6D7920617070" : "\"worker\"",
                               exe, syscalls[k % (sizeof(syscalls) / sizeof(*syscalls))]) > 0
                           ? 0
                           : -EIO;
        case 6 ... 7: /* syslog: AppArmor file access */
                return fprintf(f,
                               "Nov 22 10:00:00 node1 kernel: [ 1300.000001] audit: type=1400 "
                               "%sapparmor=\"%s\" operation=\"open\" profile=\"%s\" name=\"%s\" "
                               "pid=%u comm=\"%s\" requested_mask=\"r\" denied_mask=\"r\" "
                               "fsuid=0 ouid=0\n",
                               stamp, k % 3 ? "ALLOWED" : "DENIED", profiles[k % 3],
                               paths[k % (sizeof(paths) / sizeof(*paths))], 2000 + k % 5000,
                               "nginx") > 0
                           ? 0
                           : -EIO;
        case 8: /* audit.log: AppArmor capability */
                return fprintf(f,
                               "type=AVC msg=%sapparmor=\"DENIED\" operation=\"capable\" "
                               "profile=\"%s\" pid=%u comm=\"nginx\" capability=12  "
                               "capname=\"net_admin\"\n",
                               stamp, profiles[k % 3], 2000 + k % 5000) > 0
                           ? 0
                           : -EIO;
        default: /* a kill and its ABEND */
                return fprintf(f,
                               "audit: type=1701 %sauid=4294967295 uid=0 gid=0 "
                               "ses=4294967295 pid=%u comm=\"build-agent\" "
                               "exe=\"/usr/local/bin/build-agent\" sig=31 res=1\n",
                               stamp, 3000 + k % 5000) > 0
                           ? 0
                           : -EIO;
        }
}

static double run_grep(const char *path)
{
        char grep[] = "grep", count[] = "-c", pattern[] = "audit";
        char *argv[] = {grep, count, pattern, (char *)path, NULL};
        posix_spawn_file_actions_t fa;
        double t0 = now_ns();
        pid_t pid;
        int status;

        posix_spawn_file_actions_init(&fa);
        /* Not /dev/null: GNU grep notices it and stops at the first match. */
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/tmp/hardend-replay-count",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (posix_spawnp(&pid, "grep", &fa, NULL, argv, environ) != 0) {
                fprintf(stderr, "bench-events-replay: cannot run grep\n");
                exit(1);
        }
        posix_spawn_file_actions_destroy(&fa);
        waitpid(pid, &status, 0);
        return now_ns() - t0;
}

static int count_line(const struct audit_raw *raw, void *userdata)
{
        (*(unsigned long *)userdata)++;
        return 0;
}

static int parse_line(const struct audit_raw *raw, void *userdata)
{
        static struct audit_event e; /* ~9 KiB, reused as the pipeline does */

        if (audit_event_parse(raw->text, raw->len, raw->type, &e, NULL) == 0)
                (*(unsigned long *)userdata)++;
        return 0;
}

/* The file source alone, with cb on every line. */
static double run_source(const char *path, audit_raw_fn cb)
{
        unsigned long n = 0;
        double t0 = now_ns();

        if (file_source_read(path, cb, &n, NULL) < 0) {
                fprintf(stderr, "bench-events-replay: reading failed\n");
                exit(1);
        }
        return now_ns() - t0;
}

static double run_pipeline(const char *path, const struct policy_set *policies,
                           struct events_pipeline_stats *ret_stats, size_t *ret_keys)
{
        struct events_pipeline *p;
        double t0 = now_ns(), t;

        if (events_pipeline_new(&(struct events_pipeline_config){.policies = policies,
                                                                 .proc_fd = -1,
                                                                 .root_fd = -1},
                                &p) < 0 ||
            file_source_read(path, events_pipeline_raw_fn, p, NULL) < 0) {
                fprintf(stderr, "bench-events-replay: pipeline failed\n");
                exit(1);
        }
        t = now_ns() - t0;
        *ret_stats = *events_pipeline_stats(p);
        *ret_keys = observations_keys(events_pipeline_observations(p));
        events_pipeline_free(p);
        return t;
}

int main(void)
{
        const char *env = getenv("HARDEND_BENCH_RECORDS");
        unsigned long n = env ? strtoul(env, NULL, 10) : 1000000ul;
        char path[] = "/tmp/hardend-replay-XXXXXX";
        struct policy_set policies = {0};
        struct events_pipeline_stats st;
        double g[5], q[5], rd[5], ps[5], gb, qb, rdb, psb;
        size_t keys = 0;
        int fd = mkstemp(path);
        FILE *f;
        cpu_set_t one;

        if (fd < 0 || !(f = fdopen(fd, "w"))) {
                perror("bench-events-replay");
                return 1;
        }
        for (unsigned long i = 0; i < n; i++)
                if (write_record(f, i) < 0) {
                        perror("bench-events-replay");
                        return 1;
                }
        fclose(f);
        if (policy_set_load_dir("profiles", &policies, NULL, NULL) != 0) {
                fprintf(stderr, "bench-events-replay: run from the source tree (profiles/)\n");
                unlink(path); /* 200 MiB otherwise left in /tmp */
                return 1;
        }
        /* One core for both, the same one. */
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof(one), &one);
        run_grep(path); /* warm the page cache */
        for (int r = 0; r < 5; r++) {
                g[r] = run_grep(path);
                q[r] = run_pipeline(path, &policies, &st, &keys);
                rd[r] = run_source(path, count_line);
                ps[r] = run_source(path, parse_line);
        }
        gb = best(g, 5);
        qb = best(q, 5);
        rdb = best(rd, 5);
        psb = best(ps, 5);
        printf("bench-events-replay: parse + attribute + aggregate, offline, one core\n");
        printf("  %lu records: parsed %llu, malformed %llu, delivered %llu, ABEND linked %llu, "
               "%zu observation keys\n",
               n, (unsigned long long)st.parsed, (unsigned long long)st.malformed,
               (unsigned long long)st.delivered, (unsigned long long)st.abend_linked, keys);
        printf("  pipeline %8.1f ms  %6.2f M records/s  %5.0f ns/record\n", qb / 1e6,
               (double)n / qb * 1e3, qb / (double)n);
        printf("  grep -c  %8.1f ms  %6.2f M records/s\n", gb / 1e6, (double)n / gb * 1e3);
        printf("  ratio %.2fx grep (target <= 5x; >= 1 M records/s)\n", qb / gb);
        printf("  decomposition, ns/record (best rounds): read + line framing %.0f, parse %.0f, "
               "dedupe + attribution + aggregation %.0f\n",
               rdb / (double)n, (psb - rdb) / (double)n, (qb - psb) / (double)n);
        if (getenv("HARDEND_BENCH_KEEP") && rename(path, getenv("HARDEND_BENCH_KEEP")) == 0)
                printf("  replay file kept: %s\n", getenv("HARDEND_BENCH_KEEP"));
        unlink(path);
        unlink("/tmp/hardend-replay-count");
        policy_set_done(&policies);
        return 0;
}
