/* SPDX-License-Identifier: MIT */
/* The audit record parser's speed, one core. The events pipeline must keep
 * up with 1M records/s, so parsing one should take well under 0.5 us.
 *
 * Input: the real records of tests/fixtures/events/ repeated to 1M lines
 * in one buffer, in three mixes:
 *   - seccomp: the kernel-log form of seccomp records (monitor mode's bulk);
 *   - apparmor: the AppArmor records, kernel form (hex names included);
 *   - mixed: every fixture line, netlink payloads with their type, auditd's
 *     enriched lines and the SYSCALL/PROCTITLE/... records that are not
 *     ours (those return -ENOMSG early).
 * Baseline, same run, same bytes: memchr() finding every newline, the
 * least any line reader does. The figure is parse time over baseline time;
 * records/s and ns/record are for reference. For comparison, libapparmor's
 * parse_record() on the AppArmor mix (auditd form, which it reads).
 * Times are the process's CPU time: the machine is shared, and a parse
 * never sleeps. */
#include <aalogparse/aalogparse.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fileio.h"
#include "bench-util.h"
#include "events/audit-event.h"

#define RECORDS   1000000u
#define ROUNDS    5
#define AA_SAMPLE 20000u /* libapparmor is slow: a sample is enough */

struct corpus {
        char *buf; /* lines, each ending in '\n' */
        size_t size;
        unsigned *hints; /* per line: the netlink type, or 0 */
        size_t lines;
};

struct source {
        const char *file;
        bool tsv;
        int mix; /* bit 0 seccomp, bit 1 apparmor, bit 2 mixed */
};

static const struct source sources[] = {
    {"tests/fixtures/events/seccomp-dmesg.log", false, 1 | 4},
    {"tests/fixtures/events/seccomp-kernel.log", false, 1 | 4},
    {"tests/fixtures/events/apparmor-vm-dmesg.log", false, 2 | 4},
    {"tests/fixtures/events/apparmor-kernel.log", false, 2 | 4},
    {"tests/fixtures/events/seccomp-netlink.tsv", true, 4},
    {"tests/fixtures/events/auditd-enriched.log", false, 4},
    {"tests/fixtures/events/user-avc.log", false, 4},
};

/* The template lines of one mix: for seccomp and apparmor, only the lines
 * that parse to an event of that kind. */
static size_t load_templates(int mix, char **lines, unsigned *hints, size_t max)
{
        static struct audit_event e;
        size_t n = 0;

        for (size_t s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
                char *data, *p, *nl;
                size_t size;

                if (!(sources[s].mix & mix))
                        continue;
                if (read_file_bounded(AT_FDCWD, sources[s].file, 1 << 20, &data, &size) < 0) {
                        fprintf(stderr, "cannot read %s (run from the source tree)\n",
                                sources[s].file);
                        exit(1);
                }
                for (p = data; (nl = memchr(p, '\n', (size_t)(data + size - p))); p = nl + 1) {
                        unsigned hint = 0;
                        char *text = p;
                        int r;

                        if (sources[s].tsv) {
                                hint = (unsigned)strtoul(p, &text, 10);
                                text++;
                        }
                        r = audit_event_parse(text, (size_t)(nl - text), hint, &e, NULL);
                        if (mix == 1 && !(r == 0 && e.kind == EVENT_SECCOMP))
                                continue;
                        if (mix == 2 && !(r == 0 && e.kind == EVENT_APPARMOR))
                                continue;
                        if (n == max)
                                break;
                        lines[n] = strndup(text, (size_t)(nl - text));
                        hints[n++] = hint;
                }
                free(data);
        }
        return n;
}

static void build(struct corpus *c, int mix)
{
        char *tmpl[512];
        unsigned th[512];
        size_t n = load_templates(mix, tmpl, th, 512), len[512], total = 0;

        if (n == 0)
                abort();
        for (size_t i = 0; i < n; i++)
                len[i] = strlen(tmpl[i]);
        for (size_t i = 0; i < RECORDS; i++)
                total += len[i % n] + 1;
        c->buf = malloc(total);
        c->hints = malloc(RECORDS * sizeof(unsigned));
        if (!c->buf || !c->hints)
                abort();
        c->size = 0;
        for (size_t i = 0; i < RECORDS; i++) {
                memcpy(c->buf + c->size, tmpl[i % n], len[i % n]);
                c->size += len[i % n];
                c->buf[c->size++] = '\n';
                c->hints[i] = th[i % n];
        }
        c->lines = RECORDS;
        for (size_t i = 0; i < n; i++)
                free(tmpl[i]);
}

static volatile size_t sink;

static double cpu_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double time_baseline(const struct corpus *c)
{
        double t0 = cpu_ns();
        size_t lines = 0;

        for (const char *p = c->buf, *end = c->buf + c->size, *nl; p < end; p = nl + 1) {
                nl = memchr(p, '\n', (size_t)(end - p));
                if (!nl)
                        break;
                lines++;
        }
        sink = lines;
        return cpu_ns() - t0;
}

static double time_parse(const struct corpus *c, size_t *ret_events)
{
        static struct audit_event e;
        double t0 = cpu_ns();
        size_t i = 0, events = 0;

        for (const char *p = c->buf, *end = c->buf + c->size, *nl; p < end; p = nl + 1, i++) {
                nl = memchr(p, '\n', (size_t)(end - p));
                if (audit_event_parse(p, (size_t)(nl - p), c->hints[i], &e, NULL) == 0)
                        events++;
        }
        *ret_events = events;
        return cpu_ns() - t0;
}

static void run(const char *name, int mix)
{
        struct corpus c;
        double base[ROUNDS], parse[ROUNDS], b, t;
        size_t events = 0;

        build(&c, mix);
        for (int r = 0; r < ROUNDS; r++) {
                base[r] = time_baseline(&c);
                parse[r] = time_parse(&c, &events);
        }
        b = best(base, ROUNDS);
        t = best(parse, ROUNDS);
        printf(
            "  %-9s %7zu records %5.0f B/record %6zu events  %6.1f ns/record  %5.2f M records/s  "
            "ratio %5.1fx memchr (%.1f ns/line)\n",
            name, c.lines, (double)c.size / (double)c.lines, events, t / (double)c.lines,
            (double)c.lines / t * 1e3, t / b, b / (double)c.lines);
        free(c.buf);
        free(c.hints);
}

/* libapparmor's parse_record() on the AppArmor records in the auditd form
 * it reads, against this parser on the same lines. */
static void run_libapparmor(void)
{
        static struct audit_event e;
        char *data, *p, *nl, *lines[256];
        size_t size, n = 0, ok = 0;
        double t0, ours, theirs;

        if (read_file_bounded(AT_FDCWD, "tests/fixtures/events/auditd-raw.log", 1 << 20, &data,
                              &size) < 0)
                abort();
        for (p = data; (nl = memchr(p, '\n', (size_t)(data + size - p))) && n < 256; p = nl + 1)
                if (audit_event_parse(p, (size_t)(nl - p), 0, &e, NULL) == 0 &&
                    e.kind == EVENT_APPARMOR)
                        lines[n++] = strndup(p, (size_t)(nl - p));
        free(data);

        t0 = cpu_ns();
        for (size_t i = 0; i < AA_SAMPLE; i++) {
                aa_log_record *r = parse_record(lines[i % n]);

                ok += r && r->event != AA_RECORD_INVALID;
                free_record(r);
        }
        theirs = (cpu_ns() - t0) / AA_SAMPLE;
        t0 = cpu_ns();
        for (size_t i = 0; i < AA_SAMPLE; i++)
                ok += audit_event_parse(lines[i % n], strlen(lines[i % n]), 0, &e, NULL) == 0;
        ours = (cpu_ns() - t0) / AA_SAMPLE;
        sink = ok;
        printf("  libapparmor parse_record(): %.0f ns/record on the same AppArmor records, "
               "%.0fx this parser's %.0f ns (strlen included)\n",
               theirs, theirs / ours, ours);
        for (size_t i = 0; i < n; i++)
                free(lines[i]);
}

int main(void)
{
        printf("bench-events-parse: audit records to events, one core (best of %d rounds)\n",
               ROUNDS);
        run("seccomp", 1);
        run("apparmor", 2);
        run("mixed", 4);
        run_libapparmor();
        return 0;
}
