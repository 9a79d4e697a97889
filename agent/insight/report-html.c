/* SPDX-License-Identifier: MIT */
/* The report as one self-contained HTML page: inline CSS, inline SVG
 * charts with <title> tooltips, no script, no external resource of any
 * kind, and a Content-Security-Policy that would refuse them anyway. The
 * markup is also well-formed XML (every element closed, only XML's
 * entities), so an XML parser can check it.
 *
 * Everything taken from the document goes through report_put() (visible
 * escapes, then & < > " ' as entities) and only ever lands in element
 * content or a quoted attribute; class names come from fixed lists, never
 * from the document. */
#include <errno.h>
#include <string.h>

#include "base/time-util.h"
#include "report-internal.h"

#define H REPORT_HTML

static const char css[] =
    "body{font:14px/1.45 \"DejaVu Sans\",system-ui,sans-serif;color:#1d2330;"
    "background:#f5f6f8;margin:0}\n"
    "header{background:#1d2330;color:#f5f6f8;padding:16px 28px}\n"
    "header h1{margin:0 0 4px;font-size:22px}\n"
    "header p{margin:2px 0;color:#c9cfdb}\n"
    "main{padding:4px 28px 20px;max-width:1100px}\n"
    "section{background:#fff;border:1px solid #dde1e8;border-radius:6px;"
    "padding:10px 20px 16px;margin:16px 0}\n"
    "h2{font-size:19px;margin:6px 0 10px}\n"
    "h3{font-size:15px;margin:18px 0 6px;color:#394150}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{border-bottom:1px solid #e6e9ef;padding:4px 8px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#eef1f5;font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "code{font-family:\"DejaVu Sans Mono\",monospace;font-size:12px;word-break:break-all}\n"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
    "font-weight:600;vertical-align:middle}\n"
    ".ready{background:#e3f4e8;color:#1e6b34}\n"
    ".notready,.refused,.sev-high{background:#fde8e8;color:#9b1c1c}\n"
    ".unknown,.sev-info{background:#eceef2;color:#4b5363}\n"
    ".mode-enforce,.sev-low{background:#e6ecf8;color:#24427a}\n"
    ".mode-monitor,.wouldbe,.sev-medium{background:#fff3dc;color:#7a4b00}\n"
    ".sev-critical{background:#7a0e0e;color:#fff}\n"
    ".rating-unsafe{color:#9b1c1c;font-weight:600}\n"
    ".rating-exposed{color:#a14d00}\n"
    ".rating-safe{color:#1e6b34}\n"
    ".stats{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}\n"
    ".stat{border:1px solid #e6e9ef;border-radius:6px;padding:6px 14px;min-width:110px}\n"
    ".stat b{display:block;font-size:20px}\n"
    ".stat.alert b{color:#9b1c1c}\n"
    "ul.checks{list-style:none;padding:0;margin:0}\n"
    "ul.checks li{padding:2px 0}\n"
    ".mark{display:inline-block;width:1.4em;font-weight:700}\n"
    "li.ok .mark{color:#1e6b34}\n"
    "li.fail .mark{color:#9b1c1c}\n"
    ".loss{color:#ffb4b4;font-weight:700}\n"
    ".note{color:#5b6474;font-size:12.5px;margin:4px 0}\n"
    "ul.risky li{color:#7a4b00}\n"
    "pre.diff{background:#f8f9fb;border:1px solid #e6e9ef;padding:8px 0;overflow-x:auto;"
    "font:12px/1.4 \"DejaVu Sans Mono\",monospace}\n"
    "pre.diff span{display:block;min-height:1.4em;padding:0 10px;white-space:pre}\n"
    "pre.diff .add{background:#e6f6ea;color:#1e6b34}\n"
    "pre.diff .del{background:#fdeaea;color:#9b1c1c}\n"
    "pre.diff .hunk{color:#6a4bb5}\n"
    "pre.diff .file{font-weight:700}\n"
    "svg{display:block}\n"
    "svg text{font:11px \"DejaVu Sans Mono\",monospace;fill:#4b5363}\n"
    "footer{color:#6b7383;font-size:12px;padding:0 28px 24px}\n";

static void put(FILE *f, const json_t *o, const char *key, size_t max, const char *fallback)
{
        report_put_key(f, H, o, key, max, fallback);
}

void report_html_time(FILE *f, uint64_t usec, uint64_t now)
{
        char iso[32], local[64], ago[64];

        fprintf(f, "<time datetime=\"%s\" title=\"%s\">%s</time>",
                format_time_iso_ms(usec, iso, sizeof(iso)), report_ago(usec, now, ago, sizeof(ago)),
                report_time(usec, local, sizeof(local)));
}

static void count(FILE *f, const json_t *o, const char *key, const char *one, const char *many,
                  bool loss, unsigned *n)
{
        uint64_t v;

        if (!report_uint(o, key, &v))
                return;
        fprintf(f, "%s%s%llu %s%s", (*n)++ ? ", " : "", loss && v ? "<span class=\"loss\">" : "",
                (unsigned long long)v, v == 1 ? one : many, loss && v ? "</span>" : "");
}

static void header(FILE *f, const json_t *report, uint64_t now)
{
        const json_t *o;
        uint64_t since;
        unsigned n = 0;

        fputs("<header>\n<h1>hardend report</h1>\n<p>", f);
        put(f, report, "source", REPORT_NAME_CHARS, "unknown source");
        fputs(" · generated ", f);
        report_html_time(f, now, now);
        fputs(" · covers ", f);
        if (report_uint(report, "since_usec", &since)) {
                fputs("since ", f);
                report_html_time(f, since, now);
        } else
                fputs("everything recorded", f);
        fputs("</p>\n", f);
        if ((o = report_get(report, "agent"))) {
                fputs("<p>agent: ", f);
                count(f, o, "lost", "lost", "lost", true, &n);
                count(f, o, "overruns", "overrun", "overruns", true, &n);
                count(f, o, "malformed", "malformed", "malformed", true, &n);
                fputs(n ? "</p>\n" : "no counters</p>\n", f);
        }
        if ((o = report_get(report, "unattributed"))) {
                /* Either the counters themselves or a service-like object
                 * that has them under "counts". */
                if (report_get(o, "counts"))
                        o = report_get(o, "counts");
                n = 0;
                fputs("<p>unattributed: ", f);
                count(f, o, "events", "event", "events", false, &n);
                count(f, o, "denials", "denial", "denials", false, &n);
                count(f, o, "would_be_denials", "would-be denial", "would-be denials", false, &n);
                fputs(n ? " (matched to no service)</p>\n" : "no counters</p>\n", f);
        }
        fputs("</header>\n", f);
}

static void mode_badge(FILE *f, const json_t *svc)
{
        const char *m = report_str(svc, "mode");
        const char *cls = !m                          ? "unknown"
                          : strcmp(m, "enforce") == 0 ? "mode-enforce"
                          : strcmp(m, "monitor") == 0 ? "mode-monitor"
                                                      : "unknown";

        fprintf(f, "<span class=\"badge %s\">", cls);
        put(f, svc, "mode", REPORT_WORD_CHARS, "mode unknown");
        fputs("</span>", f);
}

static void ready_badge(FILE *f, const json_t *svc)
{
        const json_t *rd = report_get(svc, "readiness");
        bool ready = false;

        if (!rd)
                fputs("<span class=\"badge unknown\">readiness unknown</span>", f);
        else if (report_bool(rd, "ready", &ready) && ready)
                fputs("<span class=\"badge ready\">READY</span>", f);
        else
                fputs("<span class=\"badge notready\">NOT READY</span>", f);
}

/* A severity as a badge; the class only for the five known words. */
static void severity_badge(FILE *f, const char *sev, size_t n)
{
        static const char *const cls[] = {"sev-info", "sev-low", "sev-medium", "sev-high",
                                          "sev-critical"};
        int r = report_severity_rank(sev);
        char buf[REPORT_VISIBLE_SIZE(REPORT_WORD_CHARS)];

        fprintf(f, "<span class=\"badge %s\">", r >= 0 ? cls[r] : "unknown");
        report_put_escaped(
            f, H, report_visible_bytes(sev, strlen(sev), REPORT_WORD_CHARS, buf, sizeof(buf)));
        fputs("</span>", f);
        if (n > 1)
                fprintf(f, " ×%zu", n);
}

static void score(FILE *f, double s)
{
        const char *rating = report_score_rating(s);

        fprintf(f, "<span class=\"rating-%s\">%.1f %s</span>", rating, s, rating);
}

static void summary(FILE *f, const json_t *report)
{
        size_t n = report_array_size(report, "services");

        fputs("<section id=\"summary\">\n<h2>Services</h2>\n", f);
        if (n == 0) {
                fputs("<p>No services.</p>\n</section>\n", f);
                return;
        }
        fputs("<table>\n<thead><tr><th>service</th><th>mode</th><th>ready</th>"
              "<th class=\"num\">denials</th><th class=\"num\">would-be denials</th>"
              "<th>worst finding</th><th class=\"num\">top score</th></tr></thead>\n<tbody>\n",
              f);
        for (size_t i = 0; i < n && i < REPORT_MAX_SERVICES; i++) {
                const json_t *s = report_array_get(report, "services", i);
                const json_t *c = report_get(s, "counts");
                size_t nw;
                const char *worst = report_worst_finding(s, &nw);
                uint64_t v;
                double sc;

                fprintf(f, "<tr><td><a href=\"#svc-%zu\">", i);
                put(f, s, "service", REPORT_NAME_CHARS, "?");
                fputs("</a></td><td>", f);
                mode_badge(f, s);
                fputs("</td><td>", f);
                ready_badge(f, s);
                fputs("</td><td class=\"num\">", f);
                if (report_uint(c, "denials", &v))
                        fprintf(f, "%llu", (unsigned long long)v);
                fputs("</td><td class=\"num\">", f);
                if (report_uint(c, "would_be_denials", &v))
                        fprintf(f, "%llu", (unsigned long long)v);
                fputs("</td><td>", f);
                if (worst)
                        severity_badge(f, worst, nw);
                else if (report_get(s, "findings"))
                        fputs("none", f);
                fputs("</td><td class=\"num\">", f);
                if (report_top_score(s, &sc))
                        score(f, sc);
                fputs("</td></tr>\n", f);
        }
        fputs("</tbody>\n</table>\n", f);
        if (n > REPORT_MAX_SERVICES)
                fprintf(f, "<p class=\"note\">… and %zu more services, not shown.</p>\n",
                        n - REPORT_MAX_SERVICES);
        fputs("</section>\n", f);
}

static void stat(FILE *f, const json_t *counts, const char *key, const char *what, bool alert)
{
        uint64_t v;

        if (report_uint(counts, key, &v))
                fprintf(f, "<div class=\"stat%s\"><b>%llu</b>%s</div>", alert && v ? " alert" : "",
                        (unsigned long long)v, what);
}

static void readiness(FILE *f, const json_t *rd)
{
        size_t n = report_array_size(rd, "checks");

        if (n == 0)
                return;
        fputs("<h3>Readiness</h3>\n<ul class=\"checks\">\n", f);
        for (size_t i = 0; i < n && i < REPORT_MAX_CHECKS; i++) {
                const json_t *c = report_array_get(rd, "checks", i);
                bool ok = false;

                (void)report_bool(c, "ok", &ok);
                fprintf(f, "<li class=\"%s\"><span class=\"mark\">%s</span><b>", ok ? "ok" : "fail",
                        ok ? "✓" : "✗");
                put(f, c, "name", REPORT_NAME_CHARS, "?");
                fputs("</b>", f);
                if (report_str(c, "text")) {
                        fputs(": ", f);
                        put(f, c, "text", REPORT_TEXT_CHARS, "");
                }
                fputs("</li>\n", f);
        }
        if (n > REPORT_MAX_CHECKS)
                fprintf(f, "<li>… and %zu more checks</li>\n", n - REPORT_MAX_CHECKS);
        fputs("</ul>\n", f);
}

static void service(FILE *f, const json_t *svc, size_t index, uint64_t now)
{
        const json_t *counts = report_get(svc, "counts"), *tl = report_get(svc, "timeline");

        fprintf(f, "<section class=\"service\" id=\"svc-%zu\">\n<h2>", index);
        put(f, svc, "service", REPORT_NAME_CHARS, "?");
        fputc(' ', f);
        mode_badge(f, svc);
        fputc(' ', f);
        ready_badge(f, svc);
        fputs("</h2>\n", f);
        if (report_str(svc, "policy")) {
                fputs("<p>policy <code>", f);
                put(f, svc, "policy", REPORT_NAME_CHARS, "");
                fputs("</code></p>\n", f);
        }
        if (counts) {
                fputs("<div class=\"stats\">", f);
                stat(f, counts, "events", "events", false);
                stat(f, counts, "denials", "denials", true);
                stat(f, counts, "would_be_denials", "would-be denials", true);
                stat(f, counts, "over_cap", "over the cap (counted only)", true);
                fputs("</div>\n", f);
        }
        readiness(f, report_get(svc, "readiness"));
        if (report_timeline_buckets(tl) > 0) {
                fputs("<h3>Activity</h3>\n", f);
                report_svg_timeline(f, tl);
        }
        if (report_array_size(svc, "top") > 0) {
                fputs("<h3>Top syscalls and paths</h3>\n", f);
                report_svg_top(f, svc);
        }
        /* An absent list is unknown (an offline report has no scan): no
         * section; an empty one says "none". */
        if (report_get(svc, "denials") || report_get(svc, "more_denials"))
                report_html_denials(f, svc, now);
        if (report_get(svc, "findings"))
                report_html_findings(f, svc);
        if (report_get(svc, "workloads"))
                report_html_workloads(f, svc);
        report_html_proposal(f, report_get(svc, "proposal"));
        fputs("</section>\n", f);
}

int report_render_html(const json_t *report, FILE *f)
{
        uint64_t now = 0;
        size_t n = report_array_size(report, "services");
        char t[64];

        (void)report_uint(report, "generated_usec", &now);
        fputs("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
              "<head>\n<meta charset=\"utf-8\"/>\n"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\"/>\n"
              "<meta name=\"referrer\" content=\"no-referrer\"/>\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
              "<title>hardend report: ",
              f);
        put(f, report, "source", REPORT_NAME_CHARS, "unknown source");
        fprintf(f, ", %s</title>\n<style>\n%s</style>\n</head>\n<body>\n",
                report_time(now, t, sizeof(t)), css);
        header(f, report, now);
        fputs("<main>\n", f);
        summary(f, report);
        for (size_t i = 0; i < n && i < REPORT_MAX_SERVICES; i++)
                service(f, report_array_get(report, "services", i), i, now);
        fputs("</main>\n<footer>Values that come from the kernel or from containers are shown "
              "escaped (\\n, \\x1b, \\u202e); long values are cut with “…”. Times are local; "
              "hover over a time, a bar or a bucket for details.</footer>\n</body>\n</html>\n",
              f);
        return ferror(f) ? -EIO : 0;
}
