/* SPDX-License-Identifier: MIT */
/* The tables of a service in the Markdown report (denials, findings,
 * workloads) and the proposal with its diff in a fence. */
#include <string.h>

#include "report-internal.h"

#define M REPORT_MARKDOWN

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, M, o, key, max, fallback);
}

static void denial_row(FILE *f, const json_t *d, uint64_t now)
{
        const json_t *ex = report_get(d, "example");
        size_t nw = report_array_size(d, "workloads"), shown = 0;
        uint64_t v, more = 0;
        bool enforced;

        fputc('|', f);
        report_md_uint_cell(f, d, "count");
        report_md_str_cell(f, d, "kind", REPORT_WORD_CHARS);
        report_md_str_cell(f, d, "verdict", REPORT_WORD_CHARS);
        fprintf(f, " %s",
                !report_bool(d, "enforced", &enforced) ? ""
                : enforced                             ? "yes"
                                                       : "would be");
        if (report_uint(d, "killed", &v) && v)
                fprintf(f, ", **%llu killed**", (unsigned long long)v);
        fputs(" |", f);
        report_md_str_cell(f, d, "what", REPORT_NAME_CHARS);
        fputc(' ', f);
        if (report_str(ex, "comm")) {
                fputs("comm=", f);
                put(f, ex, "comm", REPORT_NAME_CHARS, "");
        }
        if (report_str(ex, "exe")) {
                fputs(report_str(ex, "comm") ? " exe=" : "exe=", f);
                put(f, ex, "exe", REPORT_NAME_CHARS, "");
        }
        if (report_uint(ex, "pid", &v) && v)
                fprintf(f, " pid=%llu", (unsigned long long)v);
        fputs(" | ", f);
        (void)report_uint(d, "more_workloads", &more);
        for (; shown < nw && shown < REPORT_MAX_DENIAL_WORKLOADS; shown++) {
                char buf[REPORT_VISIBLE_SIZE(REPORT_NAME_CHARS)];

                report_visible(report_array_get(d, "workloads", shown), REPORT_NAME_CHARS, buf,
                               sizeof(buf));
                fputs(shown ? ", " : "", f);
                report_put_escaped(f, M, report_workload_short(buf));
        }
        more += nw - shown;
        if (more)
                fprintf(f, "%s+%llu more", shown ? ", " : "", (unsigned long long)more);
        fputs(" | ", f);
        if (report_uint(d, "first_usec", &v))
                report_put_when(f, v, now);
        fputs(" | ", f);
        if (report_uint(d, "last_usec", &v))
                report_put_when(f, v, now);
        fputs(" |\n", f);
}

void report_md_denials(FILE *f, const json_t *svc, uint64_t now)
{
        size_t n = report_array_size(svc, "denials");
        uint64_t more = 0;

        fputs("\n### Denials\n\n", f);
        (void)report_uint(svc, "more_denials", &more);
        more += n > REPORT_MAX_DENIALS ? n - REPORT_MAX_DENIALS : 0;
        if (n == 0 && more == 0) {
                fputs("None.\n", f);
                return;
        }
        fputs("Most frequent first; *refused* says whether the call was really refused "
              "(enforce) or only would be (monitor).\n\n"
              "| count | kind | verdict | refused | what | example | workloads | first | last |\n"
              "|--:|---|---|---|---|---|---|---|---|\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_DENIALS; i++)
                denial_row(f, report_array_get(svc, "denials", i), now);
        if (more)
                fprintf(f, "\n… and %llu more kinds of denial.\n", (unsigned long long)more);
}

void report_md_findings(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "findings");

        fputs("\n### Findings\n\n", f);
        if (n == 0) {
                fputs("None.\n", f);
                return;
        }
        fputs("| severity | check | workload | pid | finding |\n|---|---|---|--:|---|\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_FINDINGS; i++) {
                const json_t *x = report_array_get(svc, "findings", i);
                uint64_t pid;

                fputc('|', f);
                report_md_str_cell(f, x, "severity", REPORT_WORD_CHARS);
                report_md_str_cell(f, x, "check", REPORT_WORD_CHARS);
                report_md_str_cell(f, x, "workload", REPORT_NAME_CHARS);
                if (report_uint(x, "pid", &pid) && pid)
                        fprintf(f, " %llu |", (unsigned long long)pid);
                else
                        fputs(" |", f);
                report_md_str_cell(f, x, "text", REPORT_TEXT_CHARS);
                fputc('\n', f);
        }
        if (n > REPORT_MAX_FINDINGS)
                fprintf(f, "\n… and %zu more findings.\n", n - REPORT_MAX_FINDINGS);
}

void report_md_workloads(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "workloads");

        fputs("\n### Workloads\n\n", f);
        if (n == 0) {
                fputs("None running.\n", f);
                return;
        }
        fputs("| workload | name | kind | pids | score | seccomp |\n|---|---|---|--:|--:|---|\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_WORKLOADS; i++) {
                const json_t *x = report_array_get(svc, "workloads", i);
                double score;

                fputc('|', f);
                report_md_str_cell(f, x, "ref", REPORT_NAME_CHARS);
                report_md_str_cell(f, x, "name", REPORT_NAME_CHARS);
                report_md_str_cell(f, x, "kind", REPORT_WORD_CHARS);
                report_md_uint_cell(f, x, "pids");
                if (report_number(x, "score", &score))
                        fprintf(f, " %.1f (%s) |", score, report_score_rating(score));
                else
                        fputs(" |", f);
                report_md_str_cell(f, x, "seccomp", REPORT_WORD_CHARS);
                fputc('\n', f);
        }
        if (n > REPORT_MAX_WORKLOADS)
                fprintf(f, "\n… and %zu more workloads.\n", n - REPORT_MAX_WORKLOADS);
}

/* The diff in a fence that no line inside can close: longer than any run
 * of backticks in it. */
static void diff(FILE *f, const json_t *d)
{
        const char *text = json_string_value(d), *line;
        size_t len = json_string_length(d), pos = 0, ll, lines = 0, fence = 3;
        char buf[REPORT_VISIBLE_SIZE(REPORT_LINE_CHARS)];

        if (!text || len == 0)
                return;
        while (report_next_line(text, len, &pos, &line, &ll) && lines++ < REPORT_MAX_DIFF_LINES) {
                size_t run = 0;

                report_visible_bytes(line, ll, REPORT_LINE_CHARS, buf, sizeof(buf));
                for (const char *c = buf; *c; c++) {
                        run = *c == '`' ? run + 1 : 0;
                        fence = run >= fence ? run + 1 : fence;
                }
        }
        fputc('\n', f);
        for (size_t i = 0; i < fence; i++)
                fputc('`', f);
        fputs("diff\n", f);
        pos = lines = 0;
        while (report_next_line(text, len, &pos, &line, &ll)) {
                if (lines++ == REPORT_MAX_DIFF_LINES) {
                        fprintf(f, "... and %zu more lines\n",
                                1 + report_count_lines(text, len, pos));
                        break;
                }
                fprintf(f, "%s\n",
                        report_visible_bytes(line, ll, REPORT_LINE_CHARS, buf, sizeof(buf)));
        }
        for (size_t i = 0; i < fence; i++)
                fputc('`', f);
        fputc('\n', f);
}

void report_md_proposal(FILE *f, const json_t *p)
{
        size_t nr = report_array_size(p, "risky");
        unsigned n = 0;
        uint64_t v;

        fputs("\n### Proposal\n\n", f);
        if (!p) {
                fputs("None.\n", f);
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
        fputs(n || report_str(p, "summary") ? "\n" : "", f);
        if (nr)
                fputs("\n**Risky:**\n\n", f);
        for (size_t i = 0; i < nr && i < REPORT_MAX_RISKY; i++) {
                const json_t *r = report_array_get(p, "risky", i);

                fputs("- **", f);
                put(f, r, "what", REPORT_NAME_CHARS, "?");
                fputs("**", f);
                if (report_str(r, "note")) {
                        fputs(": ", f);
                        put(f, r, "note", REPORT_TEXT_CHARS, "");
                }
                fputc('\n', f);
        }
        if (nr > REPORT_MAX_RISKY)
                fprintf(f, "- … and %zu more\n", nr - REPORT_MAX_RISKY);
        diff(f, report_get(p, "diff"));
}
