/* SPDX-License-Identifier: MIT */
/* The report as GitHub-flavoured Markdown, for a ticket or a review: a
 * heading per service, tables for denials, findings and workloads, the
 * proposal's diff in a ```diff block. Every value goes through
 * report_put() (visible escapes, then every Markdown-active character
 * backslash-escaped), so a comm cannot close a table cell, start a link
 * or open raw HTML; the diff sits in a fence longer than any run of
 * backticks inside it. */
#include <errno.h>
#include <string.h>

#include "report-internal.h"

#define M REPORT_MARKDOWN

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, M, o, key, max, fallback);
}

static void count(FILE *f, const json_t *o, const char *key, const char *one, const char *many,
                  bool loss, unsigned *n)
{
        uint64_t v;

        if (!report_uint(o, key, &v))
                return;
        fprintf(f, "%s%llu %s%s%s", (*n)++ ? ", " : "", (unsigned long long)v,
                loss && v ? "**" : "", v == 1 ? one : many, loss && v ? "**" : "");
}

void report_md_uint_cell(FILE *f, const json_t *o, const char *key)
{
        uint64_t v;

        if (report_uint(o, key, &v))
                fprintf(f, " %llu |", (unsigned long long)v);
        else
                fputs(" |", f);
}

void report_md_str_cell(FILE *f, const json_t *o, const char *key, size_t max)
{
        fputc(' ', f);
        put(f, o, key, max, "");
        fputs(" |", f);
}

static void header(FILE *f, const json_t *report, uint64_t now)
{
        const json_t *o;
        uint64_t since;
        unsigned n = 0;
        char t[64];

        fputs("# hardend report\n\n- **source:** ", f);
        put(f, report, "source", REPORT_NAME_CHARS, "unknown");
        fprintf(f, "\n- **generated:** %s\n- **covers:** ", report_time(now, t, sizeof(t)));
        if (report_uint(report, "since_usec", &since)) {
                fputs("since ", f);
                report_put_when(f, since, now);
        } else
                fputs("everything recorded", f);
        fputc('\n', f);
        if ((o = report_get(report, "agent"))) {
                fputs("- **agent:** ", f);
                count(f, o, "lost", "lost", "lost", true, &n);
                count(f, o, "overruns", "overrun", "overruns", true, &n);
                count(f, o, "malformed", "malformed", "malformed", true, &n);
                fputs(n ? "\n" : "no counters\n", f);
        }
        if ((o = report_get(report, "unattributed"))) {
                /* Either the counters themselves or a service-like object
                 * that has them under "counts". */
                if (report_get(o, "counts"))
                        o = report_get(o, "counts");
                n = 0;
                fputs("- **unattributed:** ", f);
                count(f, o, "events", "event", "events", false, &n);
                count(f, o, "denials", "denial", "denials", false, &n);
                count(f, o, "would_be_denials", "would-be denial", "would-be denials", false, &n);
                fputs(n ? " (matched to no service)\n" : "no counters\n", f);
        }
}

static const char *ready_word(const json_t *svc)
{
        const json_t *rd = report_get(svc, "readiness");
        bool ready = false;

        return !rd ? "unknown" : report_bool(rd, "ready", &ready) && ready ? "READY" : "NOT READY";
}

static void summary(FILE *f, const json_t *report)
{
        size_t n = report_array_size(report, "services");

        fputs("\n## Services\n\n", f);
        if (n == 0) {
                fputs("No services.\n", f);
                return;
        }
        fputs(
            "| service | mode | ready | denials | would-be denials | worst finding | top score |\n"
            "|---|---|---|--:|--:|---|--:|\n",
            f);
        for (size_t i = 0; i < n && i < REPORT_MAX_SERVICES; i++) {
                const json_t *s = report_array_get(report, "services", i);
                const json_t *c = report_get(s, "counts");
                size_t nw;
                const char *worst = report_worst_finding(s, &nw);
                double score;

                fputc('|', f);
                report_md_str_cell(f, s, "service", REPORT_NAME_CHARS);
                fputc(' ', f);
                put(f, s, "mode", REPORT_WORD_CHARS, "unknown");
                fprintf(f, " | %s |", ready_word(s));
                report_md_uint_cell(f, c, "denials");
                report_md_uint_cell(f, c, "would_be_denials");
                if (worst) {
                        char buf[REPORT_VISIBLE_SIZE(REPORT_WORD_CHARS)];

                        fputc(' ', f);
                        report_put_escaped(f, M,
                                           report_visible_bytes(worst, strlen(worst),
                                                                REPORT_WORD_CHARS, buf,
                                                                sizeof(buf)));
                        fprintf(f, " (%zu) |", nw);
                } else
                        fputs(report_get(s, "findings") ? " none |" : " |", f);
                if (report_top_score(s, &score))
                        fprintf(f, " %.1f (%s) |\n", score, report_score_rating(score));
                else
                        fputs(" |\n", f);
        }
        if (n > REPORT_MAX_SERVICES)
                fprintf(f, "\n… and %zu more services.\n", n - REPORT_MAX_SERVICES);
}

static void readiness(FILE *f, const json_t *rd)
{
        size_t n = report_array_size(rd, "checks");

        if (n == 0)
                return;
        fputs("\n### Readiness\n\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_CHECKS; i++) {
                const json_t *c = report_array_get(rd, "checks", i);
                bool ok = false;

                (void)report_bool(c, "ok", &ok);
                fprintf(f, "- [%c] **", ok ? 'x' : ' ');
                put(f, c, "name", REPORT_NAME_CHARS, "?");
                fputs(":** ", f);
                put(f, c, "text", REPORT_TEXT_CHARS, "");
                fputc('\n', f);
        }
        if (n > REPORT_MAX_CHECKS)
                fprintf(f, "- … and %zu more checks\n", n - REPORT_MAX_CHECKS);
}

static void activity(FILE *f, const json_t *tl)
{
        char spark[REPORT_SPARK_WIDTH * 4 + 1], a[32], b[32], span[32];
        static const char *const series[] = {"events", "denials"};
        size_t n = report_timeline_buckets(tl), at;
        uint64_t bucket = 0, peak;

        if (n == 0)
                return;
        (void)report_uint(tl, "bucket_usec", &bucket);
        fputs("\n### Activity\n\n```\n", f);
        for (size_t s = 0; s < 2; s++) {
                (void)report_sparkline(tl, series[s], REPORT_SPARK_WIDTH, spark, sizeof(spark));
                peak = report_timeline_peak(tl, series[s], &at);
                fprintf(f, "%-7s |%s|", series[s], spark);
                if (peak)
                        fprintf(f, " peak %llu at %s", (unsigned long long)peak,
                                report_clock(report_timeline_time(tl, at), false, a, sizeof(a)));
                fputc('\n', f);
        }
        fprintf(f, "```\n\n%s to %s, %s per bucket.\n",
                report_time(report_timeline_time(tl, 0), a, sizeof(a)),
                report_time(report_timeline_time(tl, n), b, sizeof(b)),
                report_span(bucket, span, sizeof(span)));
}

static void top(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "top");

        if (n == 0)
                return;
        fputs("\n### Top\n\n| syscall or path | events | denied |\n|---|--:|--:|\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_TOP; i++) {
                const json_t *t = report_array_get(svc, "top", i);

                fputc('|', f);
                report_md_str_cell(f, t, "label", REPORT_NAME_CHARS);
                report_md_uint_cell(f, t, "count");
                report_md_uint_cell(f, t, "denials");
                fputc('\n', f);
        }
}

static void service(FILE *f, const json_t *svc, uint64_t now)
{
        const json_t *counts = report_get(svc, "counts");
        unsigned n = 0;

        fputs("\n## ", f);
        put(f, svc, "service", REPORT_NAME_CHARS, "?");
        fputs(": ", f);
        put(f, svc, "mode", REPORT_WORD_CHARS, "mode unknown");
        fprintf(f, ", %s\n", report_get(svc, "readiness") ? ready_word(svc) : "readiness unknown");
        if (report_str(svc, "policy") || counts)
                fputc('\n', f);
        if (report_str(svc, "policy")) {
                fputs("- **policy:** ", f);
                put(f, svc, "policy", REPORT_NAME_CHARS, "");
                fputc('\n', f);
        }
        if (counts) {
                fputs("- **counts:** ", f);
                count(f, counts, "events", "event", "events", false, &n);
                count(f, counts, "denials", "denial", "denials", false, &n);
                count(f, counts, "would_be_denials", "would-be denial", "would-be denials", false,
                      &n);
                count(f, counts, "over_cap", "over the cap (counted only)",
                      "over the cap (counted only)", false, &n);
                fputs(n ? "\n" : "none\n", f);
        }
        readiness(f, report_get(svc, "readiness"));
        activity(f, report_get(svc, "timeline"));
        top(f, svc);
        /* An absent list is unknown (an offline report has no scan): no
         * section; an empty one says "none". */
        if (report_get(svc, "denials") || report_get(svc, "more_denials"))
                report_md_denials(f, svc, now);
        if (report_get(svc, "findings"))
                report_md_findings(f, svc);
        if (report_get(svc, "workloads"))
                report_md_workloads(f, svc);
        report_md_proposal(f, report_get(svc, "proposal"));
}

int report_render_markdown(const json_t *report, FILE *f)
{
        uint64_t now = 0;
        size_t n = report_array_size(report, "services");

        (void)report_uint(report, "generated_usec", &now);
        header(f, report, now);
        summary(f, report);
        for (size_t i = 0; i < n && i < REPORT_MAX_SERVICES; i++)
                service(f, report_array_get(report, "services", i), now);
        return ferror(f) ? -EIO : 0;
}
