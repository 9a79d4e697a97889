/* SPDX-License-Identifier: MIT */
/* The report for a terminal, laid out like `hardenctl status`: a block
 * per service, a label column, local times with how long before the
 * report they were, losses in capitals. */
#include <errno.h>
#include <string.h>

#include "report-internal.h"

#define T REPORT_TEXT

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, T, o, key, max, fallback);
}

void report_text_label(FILE *f, const char *l)
{
        fprintf(f, "  %-14s ", l);
}

/* Where a list of things has its own lines. */
void report_text_heading(FILE *f, const char *l)
{
        fprintf(f, "  %s\n", l);
}

/* ", 3 denials" with the separator before all but the first; what is
 * "denial|denials"; a loss in capitals when it is not zero. */
static void count(FILE *f, const json_t *o, const char *key, const char *what, bool loss,
                  unsigned *n)
{
        const char *bar = strchr(what, '|'), *from = what, *to;
        uint64_t v;

        if (!report_uint(o, key, &v))
                return;
        if (bar && v != 1)
                from = bar + 1;
        to = bar && v == 1 ? bar : from + strlen(from);
        fprintf(f, "%s%llu ", (*n)++ ? ", " : "", (unsigned long long)v);
        for (const char *c = from; c < to; c++)
                fputc(loss && v && *c >= 'a' && *c <= 'z' ? *c - 32 : *c, f);
}

static void header(FILE *f, const json_t *report, uint64_t now)
{
        const json_t *o;
        uint64_t since;
        unsigned n = 0;
        char t[64];

        fputs("hardend report: ", f);
        put(f, report, "source", REPORT_NAME_CHARS, "unknown source");
        fputc('\n', f);
        report_text_label(f, "generated:");
        fprintf(f, "%s\n", report_time(now, t, sizeof(t)));
        report_text_label(f, "covers:");
        if (report_uint(report, "since_usec", &since)) {
                fputs("since ", f);
                report_put_when(f, since, now);
        } else
                fputs("everything recorded", f);
        fputc('\n', f);
        if ((o = report_get(report, "agent"))) {
                report_text_label(f, "agent:");
                count(f, o, "lost", "lost", true, &n);
                count(f, o, "overruns", "overrun|overruns", true, &n);
                count(f, o, "malformed", "malformed", true, &n);
                fputs(n ? "\n" : "no counters\n", f);
        }
        if ((o = report_get(report, "unattributed"))) {
                /* Either the counters themselves or a service-like object
                 * that has them under "counts". */
                if (report_get(o, "counts"))
                        o = report_get(o, "counts");
                n = 0;
                report_text_label(f, "unattributed:");
                count(f, o, "events", "event|events", false, &n);
                count(f, o, "denials", "denial|denials", false, &n);
                count(f, o, "would_be_denials", "would-be denial|would-be denials", false, &n);
                fputs(n ? " (matched to no service)\n" : "no counters\n", f);
        }
}

static void readiness(FILE *f, const json_t *rd)
{
        size_t n = report_array_size(rd, "checks");

        if (n == 0)
                return;
        report_text_heading(f, "readiness:");
        for (size_t i = 0; i < n && i < REPORT_MAX_CHECKS; i++) {
                const json_t *c = report_array_get(rd, "checks", i);
                bool ok = false;

                (void)report_bool(c, "ok", &ok);
                fprintf(f, "    [%s] ", ok ? "ok" : "NO");
                put(f, c, "name", REPORT_NAME_CHARS, "?");
                if (report_str(c, "text")) {
                        fputs(": ", f);
                        put(f, c, "text", REPORT_TEXT_CHARS, "");
                }
                fputc('\n', f);
        }
        if (n > REPORT_MAX_CHECKS)
                fprintf(f, "    ... %zu more checks\n", n - REPORT_MAX_CHECKS);
}

static void activity(FILE *f, const json_t *tl)
{
        char spark[REPORT_SPARK_WIDTH * 4 + 1], a[32], b[32], span[32];
        size_t n = report_timeline_buckets(tl), at;
        uint64_t bucket = 0, peak;
        static const char *const series[] = {"events", "denials"};

        if (n == 0)
                return;
        (void)report_uint(tl, "bucket_usec", &bucket);
        for (size_t s = 0; s < 2; s++) {
                if (!report_sparkline(tl, series[s], REPORT_SPARK_WIDTH, spark, sizeof(spark)))
                        return;
                peak = report_timeline_peak(tl, series[s], &at);
                report_text_label(f, s == 0 ? "activity:" : "");
                fprintf(f, "%-7s |%s|", series[s], spark);
                if (peak)
                        fprintf(f, " peak %llu at %s", (unsigned long long)peak,
                                report_clock(report_timeline_time(tl, at), false, a, sizeof(a)));
                fputc('\n', f);
        }
        report_text_label(f, "");
        fprintf(f, "%s to %s, %s per bucket\n",
                report_time(report_timeline_time(tl, 0), a, sizeof(a)),
                report_time(report_timeline_time(tl, n), b, sizeof(b)),
                report_span(bucket, span, sizeof(span)));
}

static void top(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "top");

        if (n == 0)
                return;
        report_text_label(f, "top:");
        for (size_t i = 0; i < n && i < REPORT_MAX_TOP; i++) {
                const json_t *t = report_array_get(svc, "top", i);
                uint64_t c = 0, d = 0;

                (void)report_uint(t, "count", &c);
                fputs(i ? ", " : "", f);
                put(f, t, "label", REPORT_NAME_CHARS, "?");
                fprintf(f, " %llu", (unsigned long long)c);
                if (report_uint(t, "denials", &d) && d)
                        fprintf(f, " (%llu denied)", (unsigned long long)d);
        }
        fputc('\n', f);
}

static void service(FILE *f, const json_t *svc, uint64_t now)
{
        const json_t *rd = report_get(svc, "readiness"), *counts = report_get(svc, "counts");
        bool ready = false;
        unsigned n = 0;

        fputc('\n', f);
        put(f, svc, "service", REPORT_NAME_CHARS, "?");
        fputs(": ", f);
        put(f, svc, "mode", REPORT_WORD_CHARS, "mode unknown");
        fputs(", ", f);
        fputs(!rd                                         ? "readiness unknown"
              : report_bool(rd, "ready", &ready) && ready ? "READY"
                                                          : "NOT READY",
              f);
        fputc('\n', f);
        if (report_str(svc, "policy")) {
                report_text_label(f, "policy:");
                put(f, svc, "policy", REPORT_NAME_CHARS, "");
                fputc('\n', f);
        }
        readiness(f, rd);
        if (counts) {
                report_text_label(f, "counts:");
                count(f, counts, "events", "event|events", false, &n);
                count(f, counts, "denials", "denial|denials", false, &n);
                count(f, counts, "would_be_denials", "would-be denial|would-be denials", false, &n);
                count(f, counts, "over_cap", "over the cap (counted only)", false, &n);
                fputs(n ? "\n" : "none\n", f);
        }
        activity(f, report_get(svc, "timeline"));
        top(f, svc);
        /* An absent list is unknown (an offline report has no scan): no
         * section; an empty one says "none". */
        if (report_get(svc, "denials") || report_get(svc, "more_denials"))
                report_text_denials(f, svc, now);
        if (report_get(svc, "findings"))
                report_text_findings(f, svc);
        if (report_get(svc, "workloads"))
                report_text_workloads(f, svc);
        report_text_proposal(f, report_get(svc, "proposal"));
}

int report_render_text(const json_t *report, FILE *f)
{
        uint64_t now = 0;
        size_t n = report_array_size(report, "services");

        (void)report_uint(report, "generated_usec", &now);
        header(f, report, now);
        if (n == 0)
                fputs("\nno services\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_SERVICES; i++)
                service(f, report_array_get(report, "services", i), now);
        if (n > REPORT_MAX_SERVICES)
                fprintf(f, "\n... and %zu more services\n", n - REPORT_MAX_SERVICES);
        return ferror(f) ? -EIO : 0;
}
