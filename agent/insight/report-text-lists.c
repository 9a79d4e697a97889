/* SPDX-License-Identifier: MIT */
/* The lists of a service in the terminal report: ranked denials,
 * findings, workloads, and the proposal with its diff. */
#include <string.h>

#include "report-internal.h"

#define T REPORT_TEXT

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, T, o, key, max, fallback);
}

/* "(api-1, api-2, +3 more)" */
static void denial_workloads(FILE *f, const json_t *d)
{
        size_t n = report_array_size(d, "workloads"), shown = 0;
        uint64_t more = 0;
        char buf[REPORT_VISIBLE_SIZE(REPORT_NAME_CHARS)];

        (void)report_uint(d, "more_workloads", &more);
        if (n == 0 && more == 0)
                return;
        fputs("  (", f);
        for (; shown < n && shown < REPORT_MAX_DENIAL_WORKLOADS; shown++) {
                report_visible(report_array_get(d, "workloads", shown), REPORT_NAME_CHARS, buf,
                               sizeof(buf));
                fprintf(f, "%s%s", shown ? ", " : "", report_workload_short(buf));
        }
        more += n - shown;
        if (more)
                fprintf(f, "%s+%llu more", shown ? ", " : "", (unsigned long long)more);
        fputc(')', f);
}

/* Starts the denial's second line, or separates its parts. */
static void sep(FILE *f, int w, unsigned *k, const char *separator, const char *text)
{
        if ((*k)++ == 0)
                fprintf(f, "  %*s   %s", w, "", text);
        else
                fprintf(f, "%s%s", separator, text);
}

static int count_width(const json_t *svc)
{
        uint64_t max = 0, c;
        int w = 1;

        for (size_t i = 0; i < report_array_size(svc, "denials") && i < REPORT_MAX_DENIALS; i++)
                if (report_uint(report_array_get(svc, "denials", i), "count", &c) && c > max)
                        max = c;
        for (; max >= 10; max /= 10)
                w++;
        return w < 4 ? 4 : w;
}

void report_text_denials(FILE *f, const json_t *svc, uint64_t now)
{
        size_t n = report_array_size(svc, "denials");
        uint64_t more = 0;
        int w = count_width(svc);

        (void)report_uint(svc, "more_denials", &more);
        report_text_label(f, "denials:");
        fputs(n ? "most frequent first\n" : "none\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_DENIALS; i++) {
                const json_t *d = report_array_get(svc, "denials", i),
                             *ex = report_get(d, "example");
                uint64_t c = 0, v;
                unsigned k;
                bool enforced;

                (void)report_uint(d, "count", &c);
                fprintf(f, "  %*llux  ", w, (unsigned long long)c);
                if (report_str(d, "kind")) {
                        put(f, d, "kind", REPORT_WORD_CHARS, "");
                        fputc(' ', f);
                }
                if (report_str(d, "verdict")) {
                        put(f, d, "verdict", REPORT_WORD_CHARS, "");
                        fputc(' ', f);
                }
                fputc(' ', f);
                put(f, d, "what", REPORT_NAME_CHARS, "?");
                if (report_str(ex, "comm")) {
                        fputs("  comm=", f);
                        put(f, ex, "comm", REPORT_NAME_CHARS, "");
                }
                if (report_str(ex, "exe")) {
                        fputs(report_str(ex, "comm") ? " exe=" : "  exe=", f);
                        put(f, ex, "exe", REPORT_NAME_CHARS, "");
                }
                if (report_uint(ex, "pid", &v) && v)
                        fprintf(f, " pid=%llu", (unsigned long long)v);
                denial_workloads(f, d);
                fputc('\n', f);
                /* A second line with what is known of how and when. */
                k = 0;
                if (report_bool(d, "enforced", &enforced))
                        sep(f, w, &k, "", enforced ? "refused" : "would be refused");
                if (report_uint(d, "killed", &v) && v) {
                        sep(f, w, &k, ", ", "");
                        fprintf(f, "%llu KILLED", (unsigned long long)v);
                }
                if (report_uint(d, "first_usec", &v)) {
                        sep(f, w, &k, "; ", "first ");
                        report_put_when(f, v, now);
                }
                if (report_uint(d, "last_usec", &v)) {
                        sep(f, w, &k, ", ", "last ");
                        report_put_when(f, v, now);
                }
                if (k)
                        fputc('\n', f);
        }
        more += n > REPORT_MAX_DENIALS ? n - REPORT_MAX_DENIALS : 0;
        if (more)
                fprintf(f, "  %*s   ... and %llu more kinds of denial\n", w, "",
                        (unsigned long long)more);
}

void report_text_findings(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "findings");

        if (n)
                report_text_heading(f, "findings:");
        else {
                report_text_label(f, "findings:");
                fputs("none\n", f);
        }
        for (size_t i = 0; i < n && i < REPORT_MAX_FINDINGS; i++) {
                const json_t *x = report_array_get(svc, "findings", i);
                char sev[REPORT_VISIBLE_SIZE(REPORT_WORD_CHARS)];
                char check[REPORT_VISIBLE_SIZE(REPORT_WORD_CHARS)];
                uint64_t pid;

                report_visible(json_object_get(x, "severity"), REPORT_WORD_CHARS, sev, sizeof(sev));
                report_visible(json_object_get(x, "check"), REPORT_WORD_CHARS, check,
                               sizeof(check));
                fprintf(f, "    %-8s  %-12s", sev, check[0] ? check : "?");
                if (report_str(x, "workload")) {
                        fputc(' ', f);
                        put(f, x, "workload", REPORT_NAME_CHARS, "");
                }
                if (report_uint(x, "pid", &pid) && pid)
                        fprintf(f, " pid %llu", (unsigned long long)pid);
                fputs(": ", f);
                put(f, x, "text", REPORT_TEXT_CHARS, "");
                fputc('\n', f);
        }
        if (n > REPORT_MAX_FINDINGS)
                fprintf(f, "    ... and %zu more findings\n", n - REPORT_MAX_FINDINGS);
}

void report_text_workloads(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "workloads");

        if (n)
                report_text_heading(f, "workloads:");
        else {
                report_text_label(f, "workloads:");
                fputs("none running\n", f);
        }
        for (size_t i = 0; i < n && i < REPORT_MAX_WORKLOADS; i++) {
                const json_t *x = report_array_get(svc, "workloads", i);
                unsigned k = 0;
                uint64_t pids;
                double score;

                fputs("    ", f);
                put(f, x, "ref", REPORT_NAME_CHARS, "?");
                if (report_str(x, "name")) {
                        fputc(' ', f);
                        put(f, x, "name", REPORT_NAME_CHARS, "");
                }
                fputs(":", f);
                if (report_uint(x, "pids", &pids))
                        fprintf(f, "%s %llu pid%s", k++ ? "," : "", (unsigned long long)pids,
                                pids == 1 ? "" : "s");
                if (report_number(x, "score", &score))
                        fprintf(f, "%s score %.1f (%s)", k++ ? "," : "", score,
                                report_score_rating(score));
                if (report_str(x, "seccomp")) {
                        const char *s = report_str(x, "seccomp");

                        fprintf(f, "%s seccomp ", k++ ? "," : "");
                        /* As in `hardenctl status`: what needs a restart stands out. */
                        if (strcmp(s, "stale") == 0)
                                fputs("STALE", f);
                        else if (strcmp(s, "none") == 0)
                                fputs("NO filter", f);
                        else
                                put(f, x, "seccomp", REPORT_WORD_CHARS, "");
                }
                fputc('\n', f);
        }
        if (n > REPORT_MAX_WORKLOADS)
                fprintf(f, "    ... and %zu more workloads\n", n - REPORT_MAX_WORKLOADS);
}

void report_text_proposal(FILE *f, const json_t *p)
{
        const json_t *diff = report_get(p, "diff");
        uint64_t v;
        unsigned n = 0;
        size_t pos = 0, len, ll, lines = 0, nr = report_array_size(p, "risky");
        const char *line, *text;

        report_text_label(f, "proposal:");
        if (!p) {
                fputs("none\n", f);
                return;
        }
        if (report_uint(p, "changes", &v))
                fprintf(f, "%s%llu change%s", n++ ? ", " : "", (unsigned long long)v,
                        v == 1 ? "" : "s");
        if (report_uint(p, "held_back", &v))
                fprintf(f, "%s%llu held back", n++ ? ", " : "", (unsigned long long)v);
        if (report_str(p, "summary")) {
                fputs(n ? ": " : "", f);
                put(f, p, "summary", REPORT_TEXT_CHARS, "");
        }
        fputc('\n', f);
        for (size_t i = 0; i < nr && i < REPORT_MAX_RISKY; i++) {
                const json_t *r = report_array_get(p, "risky", i);

                fputs("    RISKY ", f);
                put(f, r, "what", REPORT_NAME_CHARS, "?");
                if (report_str(r, "note")) {
                        fputs(": ", f);
                        put(f, r, "note", REPORT_TEXT_CHARS, "");
                }
                fputc('\n', f);
        }
        if (nr > REPORT_MAX_RISKY)
                fprintf(f, "    ... and %zu more risky changes\n", nr - REPORT_MAX_RISKY);
        text = json_string_value(diff);
        len = json_string_length(diff);
        while (report_next_line(text, len, &pos, &line, &ll)) {
                char buf[REPORT_VISIBLE_SIZE(REPORT_LINE_CHARS)];

                if (lines++ == REPORT_MAX_DIFF_LINES) {
                        fprintf(f, "    ... and %zu more lines\n",
                                1 + report_count_lines(text, len, pos));
                        break;
                }
                fprintf(f, "    %s\n",
                        report_visible_bytes(line, ll, REPORT_LINE_CHARS, buf, sizeof(buf)));
        }
}
