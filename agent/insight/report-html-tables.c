/* SPDX-License-Identifier: MIT */
/* The HTML page's tables (denials, findings, workloads) and the proposal
 * with its coloured diff. Same rules as report-html.c: document values
 * only through report_put(), class names only from fixed words. */
#include <string.h>

#include "report-internal.h"

#define H REPORT_HTML

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, H, o, key, max, fallback);
}

static void td_uint(FILE *f, const json_t *o, const char *key)
{
        uint64_t v;

        fputs("<td class=\"num\">", f);
        if (report_uint(o, key, &v))
                fprintf(f, "%llu", (unsigned long long)v);
        fputs("</td>", f);
}

static void td_str(FILE *f, const json_t *o, const char *key, size_t max, bool code)
{
        fputs(code ? "<td><code>" : "<td>", f);
        put(f, o, key, max, "");
        fputs(code ? "</code></td>" : "</td>", f);
}

static void more_note(FILE *f, uint64_t more, const char *what)
{
        if (more)
                fprintf(f, "<p class=\"note\">… and %llu more %s, not shown.</p>\n",
                        (unsigned long long)more, what);
}

static void denial_example(FILE *f, const json_t *ex)
{
        uint64_t pid;

        fputs("<td>", f);
        if (report_str(ex, "comm")) {
                fputs("<code>", f);
                put(f, ex, "comm", REPORT_NAME_CHARS, "");
                fputs("</code>", f);
        }
        if (report_str(ex, "exe")) {
                fputs(" <code>", f);
                put(f, ex, "exe", REPORT_NAME_CHARS, "");
                fputs("</code>", f);
        }
        if (report_uint(ex, "pid", &pid) && pid)
                fprintf(f, " pid %llu", (unsigned long long)pid);
        fputs("</td>", f);
}

static void denial_workloads(FILE *f, const json_t *d)
{
        size_t n = report_array_size(d, "workloads"), shown = 0;
        uint64_t more = 0;

        (void)report_uint(d, "more_workloads", &more);
        fputs("<td>", f);
        for (; shown < n && shown < REPORT_MAX_DENIAL_WORKLOADS; shown++) {
                char buf[REPORT_VISIBLE_SIZE(REPORT_NAME_CHARS)];

                report_visible(report_array_get(d, "workloads", shown), REPORT_NAME_CHARS, buf,
                               sizeof(buf));
                /* The short name shows, the full reference is the tooltip. */
                fputs(shown ? ", <span title=\"" : "<span title=\"", f);
                report_put_escaped(f, H, buf);
                fputs("\">", f);
                report_put_escaped(f, H, report_workload_short(buf));
                fputs("</span>", f);
        }
        more += n - shown;
        if (more)
                fprintf(f, "%s+%llu more", shown ? ", " : "", (unsigned long long)more);
        fputs("</td>", f);
}

static void denial_row(FILE *f, const json_t *d, uint64_t now)
{
        uint64_t v;
        bool enforced;

        fputs("<tr>", f);
        td_uint(f, d, "count");
        td_str(f, d, "kind", REPORT_WORD_CHARS, false);
        td_str(f, d, "verdict", REPORT_WORD_CHARS, true);
        fputs("<td>", f);
        if (report_bool(d, "enforced", &enforced))
                fputs(enforced ? "<span class=\"badge refused\">refused</span>"
                               : "<span class=\"badge wouldbe\">would be</span>",
                      f);
        if (report_uint(d, "killed", &v) && v)
                fprintf(f, " <b>%llu killed</b>", (unsigned long long)v);
        fputs("</td>", f);
        td_str(f, d, "what", REPORT_NAME_CHARS, true);
        denial_example(f, report_get(d, "example"));
        denial_workloads(f, d);
        fputs("<td>", f);
        if (report_uint(d, "first_usec", &v))
                report_html_time(f, v, now);
        fputs("</td><td>", f);
        if (report_uint(d, "last_usec", &v))
                report_html_time(f, v, now);
        fputs("</td></tr>\n", f);
}

void report_html_denials(FILE *f, const json_t *svc, uint64_t now)
{
        size_t n = report_array_size(svc, "denials");
        uint64_t more = 0;

        (void)report_uint(svc, "more_denials", &more);
        more += n > REPORT_MAX_DENIALS ? n - REPORT_MAX_DENIALS : 0;
        fputs("<h3>Denials</h3>\n", f);
        if (n == 0 && more == 0) {
                fputs("<p>None.</p>\n", f);
                return;
        }
        fputs("<p class=\"note\">Most frequent first. <i>refused</i>: the call really failed "
              "(enforce); <i>would be</i>: it was allowed and logged (monitor, complain).</p>\n"
              "<table class=\"denials\">\n<thead><tr><th class=\"num\">count</th><th>kind</th>"
              "<th>verdict</th><th>refused</th><th>what</th><th>example</th><th>workloads</th>"
              "<th>first</th><th>last</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_DENIALS; i++)
                denial_row(f, report_array_get(svc, "denials", i), now);
        fputs("</tbody>\n</table>\n", f);
        more_note(f, more, "kinds of denial");
}

void report_html_findings(FILE *f, const json_t *svc)
{
        static const char *const cls[] = {"sev-info", "sev-low", "sev-medium", "sev-high",
                                          "sev-critical"};
        size_t n = report_array_size(svc, "findings");

        fputs("<h3>Findings</h3>\n", f);
        if (n == 0) {
                fputs("<p>None.</p>\n", f);
                return;
        }
        fputs("<table class=\"findings\">\n<thead><tr><th>severity</th><th>check</th>"
              "<th>workload</th><th class=\"num\">pid</th><th>finding</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_FINDINGS; i++) {
                const json_t *x = report_array_get(svc, "findings", i);
                int r = report_severity_rank(report_str(x, "severity"));
                uint64_t pid;

                fprintf(f, "<tr><td><span class=\"badge %s\">", r >= 0 ? cls[r] : "unknown");
                put(f, x, "severity", REPORT_WORD_CHARS, "?");
                fputs("</span></td>", f);
                td_str(f, x, "check", REPORT_WORD_CHARS, false);
                td_str(f, x, "workload", REPORT_NAME_CHARS, false);
                fputs("<td class=\"num\">", f);
                if (report_uint(x, "pid", &pid) && pid)
                        fprintf(f, "%llu", (unsigned long long)pid);
                fputs("</td>", f);
                td_str(f, x, "text", REPORT_TEXT_CHARS, false);
                fputs("</tr>\n", f);
        }
        fputs("</tbody>\n</table>\n", f);
        more_note(f, n > REPORT_MAX_FINDINGS ? n - REPORT_MAX_FINDINGS : 0, "findings");
}

void report_html_workloads(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "workloads");

        fputs("<h3>Workloads</h3>\n", f);
        if (n == 0) {
                fputs("<p>None running.</p>\n", f);
                return;
        }
        fputs("<table class=\"workloads\">\n<thead><tr><th>workload</th><th>name</th><th>kind</th>"
              "<th class=\"num\">pids</th><th class=\"num\">score</th><th>seccomp</th></tr>"
              "</thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_WORKLOADS; i++) {
                const json_t *x = report_array_get(svc, "workloads", i);
                const char *sc = report_str(x, "seccomp");
                double s;

                fputs("<tr>", f);
                td_str(f, x, "ref", REPORT_NAME_CHARS, true);
                td_str(f, x, "name", REPORT_NAME_CHARS, false);
                td_str(f, x, "kind", REPORT_WORD_CHARS, false);
                td_uint(f, x, "pids");
                fputs("<td class=\"num\">", f);
                if (report_number(x, "score", &s)) {
                        const char *rating = report_score_rating(s);

                        fprintf(f, "<span class=\"rating-%s\">%.1f %s</span>", rating, s, rating);
                }
                fputs("</td><td>", f);
                /* As in `hardenctl status`: what needs a restart stands out. */
                if (sc && strcmp(sc, "stale") == 0)
                        fputs(
                            "<span class=\"badge notready\" title=\"runs the other mode's filter: "
                            "restart it to apply the current mode\">STALE</span>",
                            f);
                else if (sc && strcmp(sc, "none") == 0)
                        fputs("<span class=\"badge notready\">NO filter</span>", f);
                else
                        put(f, x, "seccomp", REPORT_WORD_CHARS, "");
                fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table>\n", f);
        more_note(f, n > REPORT_MAX_WORKLOADS ? n - REPORT_MAX_WORKLOADS : 0, "workloads");
}

/* The class of a unified diff line, from its first character(s). */
static const char *diff_class(const char *line, size_t len)
{
        if (len >= 3 && (memcmp(line, "+++", 3) == 0 || memcmp(line, "---", 3) == 0))
                return "file";
        if (len >= 2 && memcmp(line, "@@", 2) == 0)
                return "hunk";
        if (len >= 1 && line[0] == '+')
                return "add";
        if (len >= 1 && line[0] == '-')
                return "del";
        return "ctx";
}

static void diff(FILE *f, const json_t *d)
{
        const char *text = json_string_value(d), *line;
        size_t len = json_string_length(d), pos = 0, ll, lines = 0;

        if (!text || len == 0)
                return;
        /* No newline between the spans: each is a block (a full-width
         * coloured line), a newline would add an empty one. */
        fputs("<pre class=\"diff\">", f);
        while (report_next_line(text, len, &pos, &line, &ll)) {
                char buf[REPORT_VISIBLE_SIZE(REPORT_LINE_CHARS)];

                if (lines++ == REPORT_MAX_DIFF_LINES) {
                        fprintf(f, "<span class=\"ctx\">… and %zu more lines</span>",
                                1 + report_count_lines(text, len, pos));
                        break;
                }
                fprintf(f, "<span class=\"%s\">", diff_class(line, ll));
                report_put_escaped(
                    f, H, report_visible_bytes(line, ll, REPORT_LINE_CHARS, buf, sizeof(buf)));
                fputs("</span>", f);
        }
        fputs("</pre>\n", f);
}

void report_html_proposal(FILE *f, const json_t *p)
{
        size_t nr = report_array_size(p, "risky");
        unsigned n = 0;
        uint64_t v;

        fputs("<h3>Proposal</h3>\n", f);
        if (!p) {
                fputs("<p>None.</p>\n", f);
                return;
        }
        fputs("<p>", f);
        if (report_uint(p, "changes", &v))
                fprintf(f, "%s<b>%llu</b> change%s", n++ ? ", " : "", (unsigned long long)v,
                        v == 1 ? "" : "s");
        if (report_uint(p, "held_back", &v))
                fprintf(f, "%s<b>%llu</b> held back", n++ ? ", " : "", (unsigned long long)v);
        if (report_str(p, "summary")) {
                fputs(n ? ": " : "", f);
                put(f, p, "summary", REPORT_TEXT_CHARS, "");
        }
        fputs("</p>\n", f);
        if (nr) {
                fputs("<p><b>Risky changes:</b></p>\n<ul class=\"risky\">\n", f);
                for (size_t i = 0; i < nr && i < REPORT_MAX_RISKY; i++) {
                        const json_t *r = report_array_get(p, "risky", i);

                        fputs("<li><code>", f);
                        put(f, r, "what", REPORT_NAME_CHARS, "?");
                        fputs("</code>", f);
                        if (report_str(r, "note")) {
                                fputs(": ", f);
                                put(f, r, "note", REPORT_TEXT_CHARS, "");
                        }
                        fputs("</li>\n", f);
                }
                if (nr > REPORT_MAX_RISKY)
                        fprintf(f, "<li>… and %zu more</li>\n", nr - REPORT_MAX_RISKY);
                fputs("</ul>\n", f);
        }
        diff(f, report_get(p, "diff"));
}
