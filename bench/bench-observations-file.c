/* SPDX-License-Identifier: MIT */
/* Saving and loading the observations file at the default key cap:
 * 16384 keys built from parsed audit records (seccomp LOG/ERRNO keys of 8
 * services over 2 architectures, AppArmor file keys with real-looking
 * paths, several events and workloads each).
 *
 * Baselines, same run, same document:
 *  - printing: jansson's json_dumps (compact) of the file's tree, the
 *    least a generic JSON writer does for the same data;
 *  - parsing: jansson's json_loadb of the same bytes, the least any
 *    reader using jansson does (our parser does that, then a canonical
 *    dump for the checksum, then the checks and the restore);
 *  - the disk: state_save of a 3-service state in the same directory, i.e.
 *    the cost of an atomic replace with its two fsyncs.
 * Best of ROUNDS rounds each. HARDEND_BENCH_DIR picks the directory (on
 * the disk the agent's state_dir would be on; default /var/tmp). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "control/state-crc32.h"
#include "control/state.h"
#include "events/observations-file.h"

#define KEYS   16384u
#define ROUNDS 7

static const char *const services[] = {"api",    "frontend", "worker", "billing",
                                       "search", "mailer",   "cron",   "gateway"};

static void die(const char *what, int r)
{
        fprintf(stderr, "bench-observations-file: %s: %s\n", what, strerror(r < 0 ? -r : r));
        exit(1);
}

/* Key i: even ones seccomp (service, arch, syscall, verdict), odd ones an
 * AppArmor open of a path; each seen 3 times, from 2 workloads. */
static int record(unsigned i, unsigned ev, char *buf, size_t size)
{
        unsigned long sec = 1795356141 + i, serial = i * 3ul + ev + 1;
        unsigned k = i / 2;

        if (i % 2 == 0)
                return snprintf(buf, size,
                                "audit: type=1326 audit(%lu.%03u:%lu): auid=4294967295 uid=0 "
                                "gid=0 ses=4294967295 pid=%u comm=\"api-server\" "
                                "exe=\"/usr/local/bin/api-server\" sig=0 arch=%s syscall=%u "
                                "compat=0 ip=0x7fade9c9f4e7 code=%s",
                                sec, ev * 7, serial, 1000 + k % 30000,
                                k % 2 ? "40000003" : "c000003e", k / 8 % 512,
                                k / 8 / 512 % 2 ? "0x50000" : "0x7ffc0000");
        return snprintf(buf, size,
                        "audit: type=1400 audit(%lu.%03u:%lu): apparmor=\"ALLOWED\" "
                        "operation=\"open\" profile=\"hardend-%s\" "
                        "name=\"/var/lib/app/data/shard-%02u/object-%06u.db\" pid=%u "
                        "comm=\"worker\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
                        sec, ev * 7, serial, services[k % 8], k % 64, k, 2000 + k % 30000);
}

static struct observations *build(void)
{
        struct observations *o;
        struct audit_event *e = malloc(sizeof(*e));
        char text[1024], workload[40];
        int r;

        if (!e || (r = observations_new(KEYS, &o)) < 0)
                die("observations_new", -ENOMEM);
        for (unsigned i = 0; i < KEYS; i++)
                for (unsigned ev = 0; ev < 3; ev++) {
                        record(i, ev, text, sizeof(text));
                        r = audit_event_parse(text, strlen(text), 0, e, NULL);
                        if (r < 0)
                                die(text, r);
                        snprintf(workload, sizeof(workload), "podman:%012x",
                                 (i * 2654435761u + (ev & 1)) & 0xffffffu);
                        r = observations_add(o, e, services[(i / 2) % 8], workload);
                        if (r != 0)
                                die("observations_add", r < 0 ? r : -E2BIG);
                }
        free(e);
        if (observations_keys(o) != KEYS)
                die("distinct keys", -EINVAL);
        return o;
}

/* A /proc/self/status field in KiB, or -1. */
static long status_kib(const char *field)
{
        char line[256];
        long v = -1;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, field, strlen(field)) == 0)
                        v = strtol(line + strlen(field), NULL, 10);
        fclose(f);
        return v;
}

/* How much memory a load needs at its peak (the JSON tree and the
 * canonical text are transient), in a fresh process (this one's heap
 * already holds freed pages a load would reuse): the benchmark runs
 * itself with --load-peak DIR, which prints the peak RSS over the RSS
 * before the load, in KiB. */
static int load_peak_child(const char *dir)
{
        struct observations *o;
        struct diag_list d;
        int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        long before = status_kib("VmRSS:");

        diag_list_init(&d, OBSERVATIONS_FILE);
        if (dirfd < 0 || observations_load(dirfd, 0, 1, &d, &o, NULL) != 0)
                return 1;
        printf("%ld\n", status_kib("VmHWM:") - before);
        return 0;
}

static long load_peak_kib(const char *dir)
{
        char cmd[512], out[64] = "";
        long kib = -1;
        FILE *f;

        snprintf(cmd, sizeof(cmd), "/proc/%d/exe --load-peak '%s'", (int)getpid(), dir);
        f = popen(cmd, "r");
        if (f && fgets(out, sizeof(out), f))
                kib = strtol(out, NULL, 10);
        if (f)
                pclose(f);
        return kib;
}

int main(int argc, char **argv)
{
        const char *base = getenv("HARDEND_BENCH_DIR") ? getenv("HARDEND_BENCH_DIR") : "/var/tmp";
        double t_fmt[ROUNDS], t_dump[ROUNDS], t_crc[ROUNDS], t_parse[ROUNDS], t_loadb[ROUNDS],
            t_save[ROUNDS], t_state[ROUNDS], t0;
        static const struct state_peer peer = {.policy = true};
        struct hardend_state *st = state_new();
        struct observations *o, *back;
        char dir[256], *data = NULL;
        struct diag_list d;
        json_t *tree;
        size_t size;
        int dirfd, r;

        if (argc == 3 && strcmp(argv[1], "--load-peak") == 0)
                return load_peak_child(argv[2]);
        o = build();
        snprintf(dir, sizeof(dir), "%s/hardend-bench-obs-XXXXXX", base);
        if (!mkdtemp(dir))
                die(dir, -errno);
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0 || !st)
                die(dir, -errno);
        for (unsigned i = 0; i < 3; i++)
                state_set_mode(st, services[i], POLICY_MODE_MONITOR, 1795356141886123ull, &peer);
        if ((r = observations_format(o, &data, &size)) < 0)
                die("observations_format", r);
        tree = json_loadb(data, size, 0, NULL);
        if (!tree)
                die("json_loadb", -EINVAL);

        for (int i = 0; i < ROUNDS; i++) {
                char *text, *again;
                size_t n;

                t0 = now_ns();
                if ((r = observations_format(o, &again, &n)) < 0)
                        die("observations_format", r);
                t_fmt[i] = now_ns() - t0;
                free(again);

                t0 = now_ns();
                (void)!state_crc32(data, size);
                t_crc[i] = now_ns() - t0;

                t0 = now_ns();
                text = json_dumps(tree, JSON_COMPACT);
                t_dump[i] = now_ns() - t0;
                free(text);

                diag_list_init(&d, OBSERVATIONS_FILE);
                t0 = now_ns();
                r = observations_parse(data, size, 0, &d, &back);
                t_parse[i] = now_ns() - t0;
                if (r < 0)
                        die("observations_parse", r);
                observations_free(back);
                diag_list_done(&d);

                t0 = now_ns();
                json_decref(json_loadb(data, size, 0, NULL));
                t_loadb[i] = now_ns() - t0;

                t0 = now_ns();
                if ((r = observations_save(dirfd, o)) < 0)
                        die("observations_save", r);
                t_save[i] = now_ns() - t0;

                t0 = now_ns();
                if ((r = state_save(dirfd, st)) < 0)
                        die("state_save", r);
                t_state[i] = now_ns() - t0;
        }
        {
                double fmt = best(t_fmt, ROUNDS), dump = best(t_dump, ROUNDS),
                       parse = best(t_parse, ROUNDS), loadb = best(t_loadb, ROUNDS),
                       save = best(t_save, ROUNDS), ssave = best(t_state, ROUNDS), load;
                double t_ld[ROUNDS];
                char *kept = NULL;

                for (int i = 0; i < ROUNDS; i++) {
                        diag_list_init(&d, OBSERVATIONS_FILE);
                        t0 = now_ns();
                        r = observations_load(dirfd, 0, 1795356141886123ull, &d, &back, &kept);
                        t_ld[i] = now_ns() - t0;
                        if (r != 0)
                                die("observations_load", r < 0 ? r : -EINVAL);
                        observations_free(back);
                        diag_list_done(&d);
                }
                load = best(t_ld, ROUNDS);
                printf(
                    "bench-observations-file: save and load of %u observation keys (best of %d)\n",
                    KEYS, ROUNDS);
                printf("  file %zu bytes (%.0f per key); observations in memory %zu bytes\n", size,
                       (double)size / KEYS, observations_memory(o));
                printf("  format (pure)  %7.2f ms   json_dumps of the same tree %7.2f ms   ratio "
                       "%.2fx   (CRC-32 of the file's bytes alone: %.2f ms)\n",
                       fmt / 1e6, dump / 1e6, fmt / dump, best(t_crc, ROUNDS) / 1e6);
                printf("  parse  (pure)  %7.2f ms   json_loadb of the same bytes %6.2f ms   ratio "
                       "%.2fx\n",
                       parse / 1e6, loadb / 1e6, parse / loadb);
                printf(
                    "  save (format, write, fsync, rename, dir fsync) %7.2f ms   state_save of 3 "
                    "services %6.2f ms   ratio %.2fx\n",
                    save / 1e6, ssave / 1e6, save / ssave);
                printf("  load (read, parse, restore)                     %7.2f ms   ratio %.2fx "
                       "json_loadb\n",
                       load / 1e6, load / loadb);
                printf("  a load's transient memory peak: %ld KiB over the RSS before it\n",
                       load_peak_kib(dir));
        }
        unlinkat(dirfd, OBSERVATIONS_FILE, 0);
        unlinkat(dirfd, STATE_FILE, 0);
        close(dirfd);
        rmdir(dir);
        json_decref(tree);
        free(data);
        state_free(st);
        observations_free(o);
        return 0;
}
