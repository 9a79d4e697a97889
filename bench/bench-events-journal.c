/* SPDX-License-Identifier: MIT */
/* Reading audit records back from the journal: journal_source over a
 * journal of N audit-transport entries (the shape journald 252 writes for
 * a type-1326 record: 25 fields, the MESSAGE rebuilt into the netlink
 * form), against baselines measured in the same run over the same file:
 *  - sd_journal_next + sd_journal_get_data("MESSAGE"), the least any
 *    journal reader does (the figure's baseline);
 *  - the same asking for the five fields the rebuild needs one
 *    sd_journal_get_data() at a time (each call walks the entry's fields),
 *    to show why the source enumerates an entry's fields once instead;
 *  - for reference, sd_journal_get_cursor() per entry, which is why a
 *    record carries no cursor of its own.
 * The journal is built from generated export text by
 * systemd-journal-remote, in a scratch directory removed at the end.
 * CPU time of this process (other work on a shared machine moves wall
 * time), best of ROUNDS interleaved rounds, page cache warm. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "bench-util.h"
#include "sources/journal-source.h"

#define ROUNDS         7
#define DEFAULT_N      50000
#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"

static char dir[] = "/tmp/hardend-bench-journal-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

static void cleanup(void)
{
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* N entries as journald writes a seccomp record it read off the audit
 * socket (tests/fixtures/journal/audit.export has a real one). */
static int write_export(const char *path, unsigned n)
{
        FILE *f = fopen(path, "we");
        const uint64_t t0 = UINT64_C(1795363078720000);

        if (!f)
                return -errno;
        for (unsigned i = 0; i < n; i++) {
                uint64_t t = t0 + (uint64_t)i * 1000u;
                unsigned pid = 20000 + i % 5000;

                fprintf(f,
                        "__REALTIME_TIMESTAMP=%" PRIu64 "\n"
                        "__MONOTONIC_TIMESTAMP=%" PRIu64 "\n"
                        "_BOOT_ID=c7978dfe1684477cb03672474d60148f\n"
                        "_UID=0\n_GID=0\n"
                        "_MACHINE_ID=3d1219c7c4c5404aaa1f6d2a48adfda4\n"
                        "_HOSTNAME=vm\n_RUNTIME_SCOPE=system\n_TRANSPORT=audit\n"
                        "SYSLOG_FACILITY=4\nSYSLOG_IDENTIFIER=audit\n"
                        "_AUDIT_LOGINUID=4294967295\n_AUDIT_SESSION=4294967295\n"
                        "_SOURCE_REALTIME_TIMESTAMP=%" PRIu64 "\n"
                        "_AUDIT_TYPE=1326\n_AUDIT_ID=%u\n_AUDIT_TYPE_NAME=SECCOMP\n"
                        "MESSAGE=SECCOMP auid=4294967295 uid=0 gid=0 ses=4294967295 pid=%u "
                        "comm=\"worker\" exe=\"/usr/bin/worker\" sig=0 arch=c000003e "
                        "syscall=%u compat=0 ip=0x7fb2f8111829 code=0x7ffc0000\n"
                        "_PID=%u\n_COMM=worker\n_EXE=/usr/bin/worker\n"
                        "_AUDIT_FIELD_SIG=0\n_AUDIT_FIELD_ARCH=c000003e\n"
                        "_AUDIT_FIELD_SYSCALL=%u\n_AUDIT_FIELD_COMPAT=0\n"
                        "_AUDIT_FIELD_IP=0x7fb2f8111829\n_AUDIT_FIELD_CODE=0x7ffc0000\n\n",
                        t + 700, UINT64_C(6142342279) + (uint64_t)i * 1000u, t, 2000000 + i, pid,
                        i % 300, pid, i % 300);
        }
        return fclose(f) == 0 ? 0 : -errno;
}

static int build_journal(const char *export)
{
        char out[256];
        int status;
        pid_t pid;

        snprintf(out, sizeof(out), "--output=%s/bench.journal", dir);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                if (null >= 0)
                        dup2(null, STDERR_FILENO);
                execl(JOURNAL_REMOTE, JOURNAL_REMOTE, out, export, (char *)NULL);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return -errno;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static uint64_t sink;

static double cpu_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int count_raw(const struct audit_raw *raw, void *userdata)
{
        sink += raw->len + raw->type;
        return 0;
}

/* Returns the seconds taken, or < 0. what: 0 MESSAGE only, 1 five fields
 * one get_data each, 2 MESSAGE and the cursor. */
static double run_plain(int what, unsigned *ret_n)
{
        static const char *const fields[] = {"MESSAGE", "_TRANSPORT", "_AUDIT_TYPE", "_AUDIT_ID",
                                             "_SOURCE_REALTIME_TIMESTAMP"};
        sd_journal *j;
        unsigned n = 0;
        double t0 = cpu_ns();

        if (sd_journal_open_directory(&j, dir, 0) < 0)
                return -1;
        while (sd_journal_next(j) > 0) {
                const void *d;
                size_t l;

                for (size_t k = 0; k < (what == 1 ? ELEMENTSOF(fields) : 1); k++)
                        if (sd_journal_get_data(j, fields[k], &d, &l) >= 0)
                                sink += l + ((const char *)d)[l - 1];
                if (what == 2) {
                        char *c;

                        if (sd_journal_get_cursor(j, &c) >= 0) {
                                sink += c[0];
                                free(c);
                        }
                }
                n++;
        }
        sd_journal_close(j);
        *ret_n = n;
        return (cpu_ns() - t0) / 1e9;
}

static double run_source(unsigned *ret_n)
{
        struct journal_source *j;
        double t0 = cpu_ns();
        int r;

        if (journal_source_open(dir, NULL, 0, &j) < 0)
                return -1;
        r = journal_source_drain(j, 0, count_raw, NULL);
        journal_source_free(j);
        if (r < 0)
                return -1;
        *ret_n = (unsigned)r;
        return (cpu_ns() - t0) / 1e9;
}

int main(int argc, char **argv)
{
        unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : DEFAULT_N;
        double t_msg[ROUNDS], t_fields[ROUNDS], t_cursor[ROUNDS], t_src[ROUNDS];
        unsigned got[4] = {0};
        char export[256];
        double b_msg, b_fields, b_cursor, b_src;

        if (n == 0 || access(JOURNAL_REMOTE, X_OK) < 0) {
                fprintf(stderr, "usage: %s [N]; needs %s\n", argv[0], JOURNAL_REMOTE);
                return 1;
        }
        if (!mkdtemp(dir)) {
                perror("mkdtemp");
                return 1;
        }
        atexit(cleanup);
        snprintf(export, sizeof(export), "%s/bench.export", dir);
        if (write_export(export, n) < 0 || build_journal(export) < 0 || remove(export) < 0) {
                fprintf(stderr, "bench-events-journal: could not build the journal\n");
                return 1;
        }

        for (int r = -1; r < ROUNDS; r++) {
                /* Round -1 warms the page cache and is not counted. */
                double a = run_plain(0, &got[0]), b = run_plain(1, &got[1]),
                       c = run_plain(2, &got[2]), d = run_source(&got[3]);

                if (a < 0 || b < 0 || c < 0 || d < 0) {
                        fprintf(stderr, "bench-events-journal: reading failed\n");
                        return 1;
                }
                if (r < 0)
                        continue;
                t_msg[r] = a;
                t_fields[r] = b;
                t_cursor[r] = c;
                t_src[r] = d;
        }
        for (int k = 0; k < 4; k++)
                if (got[k] != n) {
                        fprintf(stderr, "bench-events-journal: read %u of %u entries\n", got[k], n);
                        return 1;
                }
        b_msg = best(t_msg, ROUNDS);
        b_fields = best(t_fields, ROUNDS);
        b_cursor = best(t_cursor, ROUNDS);
        b_src = best(t_src, ROUNDS);

        printf("bench-events-journal: %u audit-transport entries, best of %d rounds\n", n, ROUNDS);
        printf("  baseline next+get_data(MESSAGE)      %7.2f us/entry  %9.0f entries/s\n",
               b_msg * 1e6 / n, n / b_msg);
        printf("  next+get_data x5 (fields one by one) %7.2f us/entry  %9.0f entries/s  %.2fx\n",
               b_fields * 1e6 / n, n / b_fields, b_fields / b_msg);
        printf("  next+get_data(MESSAGE)+get_cursor    %7.2f us/entry  %9.0f entries/s  %.2fx\n",
               b_cursor * 1e6 / n, n / b_cursor, b_cursor / b_msg);
        printf("  journal_source (records rebuilt)     %7.2f us/entry  %9.0f entries/s  ratio "
               "%.2fx\n",
               b_src * 1e6 / n, n / b_src, b_src / b_msg);
        return sink == 42 ? 2 : 0;
}
