/* SPDX-License-Identifier: MIT */
/* The HTML page's two charts as inline SVG, without script: a timeline of
 * events and denials per bucket, and a horizontal bar chart of the
 * service's top syscalls and paths. Details are in <title> elements, which
 * browsers show as tooltips. Shapes sit on whole pixels (crispEdges) and
 * the SVG is never scaled, so every bar is drawn in exactly its colour. */
#include <string.h>

#include "report-internal.h"

#define TL_WIDTH  960
#define TL_HEIGHT 220
#define TL_LEFT   56
#define TL_RIGHT  16
#define TL_TOP    26
#define TL_BOTTOM 30

#define TOP_WIDTH     960
#define TOP_ROW       24
#define TOP_BAR       16
#define TOP_STRIP     6
#define TOP_LABEL     252 /* the bars start here */
#define TOP_LABEL_CHS 32  /* 11px monospace: about 6.6px a character */

/* 1, 2, 5, 10, 20, 50, ... at or above v: the y axis's top. */
static uint64_t nice_ceiling(uint64_t v)
{
        uint64_t p = 1;

        if (v <= 1)
                return 1;
        while (p <= UINT64_MAX / 10) {
                if (v <= p)
                        return p;
                if (p <= UINT64_MAX / 2 && v <= 2 * p)
                        return 2 * p;
                if (p <= UINT64_MAX / 5 && v <= 5 * p)
                        return 5 * p;
                p *= 10;
        }
        return v;
}

/* v on a 0..max scale of px pixels, at least one pixel when not zero. */
static unsigned scale(uint64_t v, uint64_t max, unsigned px)
{
        double h;

        if (v == 0 || max == 0)
                return 0;
        h = (double)v * px / (double)max + 0.5;
        return h < 1 ? 1 : h > px ? px : (unsigned)h;
}

static void legend(FILE *f, unsigned x, unsigned rgb, const char *what)
{
        fprintf(f,
                "<rect x=\"%u\" y=\"6\" width=\"12\" height=\"12\" fill=\"#%06x\"/>"
                "<text x=\"%u\" y=\"16\">%s</text>\n",
                x, rgb, x + 18, what);
}

void report_svg_timeline(FILE *f, const json_t *tl)
{
        const unsigned pw = TL_WIDTH - TL_LEFT - TL_RIGHT, ph = TL_HEIGHT - TL_TOP - TL_BOTTOM;
        const unsigned base = TL_TOP + ph;
        size_t n = report_timeline_buckets(tl);
        uint64_t bucket = 0, peak, top;
        bool with_date;

        if (n == 0)
                return;
        (void)report_uint(tl, "bucket_usec", &bucket);
        peak = report_timeline_peak(tl, "events", NULL);
        if (report_timeline_peak(tl, "denials", NULL) > peak)
                peak = report_timeline_peak(tl, "denials", NULL);
        top = nice_ceiling(peak);
        /* Dates on the axis once the buckets span more than a day. */
        with_date = report_timeline_time(tl, n) - report_timeline_time(tl, 0) > 86400000000ull;

        fprintf(f,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"%u\" "
                "height=\"%u\" viewBox=\"0 0 %u %u\" shape-rendering=\"crispEdges\" "
                "role=\"img\" aria-label=\"events and denials over time\">\n",
                TL_WIDTH, TL_HEIGHT, TL_WIDTH, TL_HEIGHT);
        legend(f, TL_LEFT, REPORT_HTML_EVENT_RGB, "events");
        legend(f, TL_LEFT + 90, REPORT_HTML_DENIAL_RGB, "denials and would-be denials");
        /* Grid lines and y labels at 0, half and the top. */
        for (unsigned k = 0; k <= 2; k++) {
                unsigned y = base - ph * k / 2;

                fprintf(f,
                        "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#e1e5ec\"/>"
                        "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">%llu</text>\n",
                        TL_LEFT, y, TL_LEFT + pw, y, TL_LEFT - 6, y + 4,
                        (unsigned long long)(top * k / 2));
        }
        for (size_t i = 0; i < n; i++) {
                uint64_t e = report_timeline_value(tl, "events", i);
                uint64_t d = report_timeline_value(tl, "denials", i);
                unsigned x = TL_LEFT + (unsigned)(i * pw / n);
                unsigned w = TL_LEFT + (unsigned)((i + 1) * pw / n) - x;
                unsigned he = scale(e, top, ph), hd = scale(d, top, ph);
                char a[32], b[32];

                if (e == 0 && d == 0)
                        continue;
                /* A pixel of air between bars that are wide enough. */
                w = w >= 4 ? w - 1 : w ? w : 1;
                fprintf(f, "<g><title>%s–%s: %llu event%s, %llu denial%s</title>",
                        report_clock(report_timeline_time(tl, i), with_date, a, sizeof(a)),
                        report_clock(report_timeline_time(tl, i + 1), with_date, b, sizeof(b)),
                        (unsigned long long)e, e == 1 ? "" : "s", (unsigned long long)d,
                        d == 1 ? "" : "s");
                /* Denials are a part of the events: drawn over them. */
                if (he)
                        fprintf(
                            f,
                            "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%06x\"/>",
                            x, base - he, w, he, REPORT_HTML_EVENT_RGB);
                if (hd)
                        fprintf(
                            f,
                            "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%06x\"/>",
                            x, base - hd, w, hd, REPORT_HTML_DENIAL_RGB);
                fputs("</g>\n", f);
        }
        fprintf(f, "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#8a93a3\"/>\n", TL_LEFT,
                base, TL_LEFT + pw, base);
        /* Five time labels: the start, the quarters and the end (fewer
         * when there are fewer than four buckets: no label twice). */
        for (unsigned k = 0; k <= 4; k++) {
                size_t i = n * k / 4;
                unsigned x = TL_LEFT + (unsigned)(i * pw / n);
                char a[32];

                if (k > 0 && i == n * (k - 1) / 4)
                        continue;
                fprintf(f,
                        "<line x1=\"%u\" y1=\"%u\" x2=\"%u\" y2=\"%u\" stroke=\"#8a93a3\"/>"
                        "<text x=\"%u\" y=\"%u\" text-anchor=\"%s\">%s</text>\n",
                        x, base, x, base + 4, x, base + 18,
                        k == 0   ? "start"
                        : k == 4 ? "end"
                                 : "middle",
                        report_clock(report_timeline_time(tl, i), with_date, a, sizeof(a)));
        }
        fputs("</svg>\n", f);
        {
                char a[64], b[64], span[32];

                fprintf(f, "<p class=\"note\">From %s to %s, %s per bucket.</p>\n",
                        report_time(report_timeline_time(tl, 0), a, sizeof(a)),
                        report_time(report_timeline_time(tl, n), b, sizeof(b)),
                        report_span(bucket, span, sizeof(span)));
        }
}

void report_svg_top(FILE *f, const json_t *svc)
{
        size_t n = report_array_size(svc, "top"), rows = n < REPORT_MAX_TOP ? n : REPORT_MAX_TOP;
        uint64_t max = 0;

        if (rows == 0)
                return;
        for (size_t i = 0; i < rows; i++) {
                const json_t *t = report_array_get(svc, "top", i);
                uint64_t c = 0, d = 0;

                (void)report_uint(t, "count", &c);
                (void)report_uint(t, "denials", &d);
                max = c > max ? c : max;
                max = d > max ? d : max;
        }
        fprintf(f,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"top\" width=\"%u\" "
                "height=\"%zu\" viewBox=\"0 0 %u %zu\" shape-rendering=\"crispEdges\" "
                "role=\"img\" aria-label=\"top syscalls and paths\">\n",
                TOP_WIDTH, rows * TOP_ROW + 4, TOP_WIDTH, rows * TOP_ROW + 4);
        for (size_t i = 0; i < rows; i++) {
                const json_t *t = report_array_get(svc, "top", i);
                char label[REPORT_VISIBLE_SIZE(REPORT_NAME_CHARS)];
                uint64_t c = 0, d = 0;
                unsigned y = (unsigned)(i * TOP_ROW) + 4, wc, wd;

                (void)report_uint(t, "count", &c);
                (void)report_uint(t, "denials", &d);
                wc = scale(c, max, REPORT_SVG_BAR_MAX);
                wd = scale(d, max, REPORT_SVG_BAR_MAX);
                report_visible(json_object_get(t, "label"), REPORT_NAME_CHARS, label,
                               sizeof(label));
                fputs("<g><title>", f);
                report_put_escaped(f, REPORT_HTML, label);
                fprintf(f, ": %llu event%s, %llu denied or would-be denied</title>",
                        (unsigned long long)c, c == 1 ? "" : "s", (unsigned long long)d);
                fprintf(f, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">", TOP_LABEL - 8, y + 12);
                report_put(f, REPORT_HTML, json_object_get(t, "label"), TOP_LABEL_CHS);
                fputs("</text>", f);
                if (wc)
                        fprintf(
                            f,
                            "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%06x\"/>",
                            TOP_LABEL, y, wc, TOP_BAR, REPORT_HTML_BAR_RGB);
                /* The denied part as a strip along the bar's foot, so the bar's
                 * own colour always shows above it. */
                if (wd)
                        fprintf(
                            f,
                            "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%06x\"/>",
                            TOP_LABEL, y + TOP_BAR - TOP_STRIP, wd, TOP_STRIP,
                            REPORT_HTML_BARDEN_RGB);
                fprintf(f, "<text x=\"%u\" y=\"%u\">%llu", TOP_LABEL + (wc > wd ? wc : wd) + 6,
                        y + 12, (unsigned long long)c);
                if (d)
                        fprintf(f, " (%llu denied)", (unsigned long long)d);
                fputs("</text></g>\n", f);
        }
        fputs("</svg>\n<p class=\"note\">Bars: events per syscall or path; the orange strip: of "
              "which denied or would-be denied.</p>\n",
              f);
}
