/* SPDX-License-Identifier: MIT */
/* What the report renderers share: limits on what they show, typed access
 * to a document report_validate() accepted, times, and the neutralising
 * of untrusted strings for each output format. Not for use outside
 * agent/insight/report-*.c (and their tests). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report-render.h"

/* Rows shown, whatever the document holds; the rest is counted. */
#define REPORT_MAX_SERVICES         100
#define REPORT_MAX_CHECKS           32
#define REPORT_MAX_DENIALS          200
#define REPORT_MAX_FINDINGS         200
#define REPORT_MAX_WORKLOADS        200
#define REPORT_MAX_DENIAL_WORKLOADS 5
#define REPORT_MAX_TOP              15
#define REPORT_MAX_BUCKETS          240
#define REPORT_MAX_RISKY            32
#define REPORT_MAX_DIFF_LINES       1000
#define REPORT_SPARK_WIDTH          60

/* Characters shown of one value before it is cut with "…". */
#define REPORT_NAME_CHARS 120 /* names, paths, comm, exe, "what" */
#define REPORT_TEXT_CHARS 300 /* sentences: check texts, findings, summary */
#define REPORT_LINE_CHARS 240 /* one line of the proposal's diff */
#define REPORT_WORD_CHARS 32  /* enumerations: mode, kind, verdict, severity */

/* Bytes report_visible() may need for max_chars characters: an escape is
 * at most 6 bytes ("\u202e") and counts as that many characters. */
#define REPORT_VISIBLE_SIZE(max_chars) ((max_chars)*6 + 8)

/* Colours the HTML charts draw with; the Chromium test looks for them in
 * the screenshot, so each is used by nothing else on the page. */
#define REPORT_HTML_EVENT_RGB  0x9ec5e8 /* timeline: events per bucket */
#define REPORT_HTML_DENIAL_RGB 0xd64545 /* timeline: denials per bucket */
#define REPORT_HTML_BAR_RGB    0x3b6ea8 /* top chart: events per label */
#define REPORT_HTML_BARDEN_RGB 0xe08a2c /* top chart: denials per label */
/* The top chart's longest bar, in pixels: the others are to scale. */
#define REPORT_SVG_BAR_MAX 560

/* ---- access to a validated document (report-common.c) ---- */

const json_t *report_get(const json_t *o, const char *key); /* NULL for absent or null */
const char *report_str(const json_t *o, const char *key);   /* NULL unless a string */
bool report_uint(const json_t *o, const char *key, uint64_t *ret);
bool report_bool(const json_t *o, const char *key, bool *ret);
bool report_number(const json_t *o, const char *key, double *ret);
size_t report_array_size(const json_t *o, const char *key); /* 0 unless an array */
const json_t *report_array_get(const json_t *o, const char *key, size_t i);

/* "info" 0 .. "critical" 4; -1 for anything else. */
int report_severity_rank(const char *s);
/* The worst severity among a service's findings (NULL: none) and how many
 * findings have it. */
const char *report_worst_finding(const json_t *service, size_t *ret_count);
/* The highest workload score of a service; false when none has one. */
bool report_top_score(const json_t *service, double *ret);
/* "safe" (< 1), "ok" (< 4), "exposed" (< 7), "unsafe": posture/score.c's
 * ratings. */
const char *report_score_rating(double score);

/* The name part of a workload reference "container:4f1c2a9b3e7d api-1"
 * (after the last space), or the whole string. Borrowed from s. */
const char *report_workload_short(const char *s);

/* The next line of text (len bytes) from *pos, without its '\n'; false at
 * the end. A final newline does not start another line. */
bool report_next_line(const char *text, size_t len, size_t *pos, const char **ret_line,
                      size_t *ret_len);

/* How many lines report_next_line() would still give from pos. */
size_t report_count_lines(const char *text, size_t len, size_t pos);

/* "2026-11-22 14:02" in local time; "?" when it cannot be shown. */
char *report_time(uint64_t usec, char *buf, size_t size);
/* "2026-11-22 14:02 (3m ago)": a time in a text or Markdown report. */
void report_put_when(FILE *f, uint64_t usec, uint64_t now_usec);
/* "3m ago", "2h 5m ago", "just now", "in 4m", relative to now_usec. */
char *report_ago(uint64_t usec, uint64_t now_usec, char *buf, size_t size);
/* "45s", "1m 30s", "3m", "2h 5m", "2h", "3d 4h", "3d". */
char *report_span(uint64_t usec, char *buf, size_t size);
/* "HH:MM", or "MM-DD HH:MM" when with_date (axis labels). */
char *report_clock(uint64_t usec, bool with_date, char *buf, size_t size);

/* ---- untrusted strings (report-escape.c) ---- */

/* The string value v (which may hold NUL bytes) as printable UTF-8: C0
 * and C1 controls, DEL, bidi and zero-width format characters, line and
 * paragraph separators and stray bytes become visible escapes ("\n",
 * "\x1b", "\u202e"); cut to max_chars characters, ending in "…" when
 * cut. Non-strings give "". Always NUL-terminates; size should be
 * REPORT_VISIBLE_SIZE(max_chars). Returns buf. */
char *report_visible(const json_t *v, size_t max_chars, char *buf, size_t size);
/* The same for len bytes at s. */
char *report_visible_bytes(const char *s, size_t len, size_t max_chars, char *buf, size_t size);

/* Writes already visible text escaped for a format: as is (text), with
 * every character Markdown or GitHub's extensions would act on
 * backslash-escaped (markdown), or as HTML character data and attribute
 * values (html: & < > " '). */
void report_put_escaped(FILE *f, enum report_format fmt, const char *visible);
/* report_visible() then report_put_escaped(). */
void report_put(FILE *f, enum report_format fmt, const json_t *v, size_t max_chars);
/* report_put() of o's key; writes fallback (trusted) when it is not a string. */
void report_put_key(FILE *f, enum report_format fmt, const json_t *o, const char *key,
                    size_t max_chars, const char *fallback);

/* ---- the renderers ---- */

int report_render_text(const json_t *report, FILE *f);
int report_render_markdown(const json_t *report, FILE *f);
int report_render_html(const json_t *report, FILE *f);

/* Parts of the text report (report-text*.c). */
void report_text_label(FILE *f, const char *label);   /* "  label:        " */
void report_text_heading(FILE *f, const char *label); /* "  label:\n" */
void report_text_denials(FILE *f, const json_t *service, uint64_t now);
void report_text_findings(FILE *f, const json_t *service);
void report_text_workloads(FILE *f, const json_t *service);
void report_text_proposal(FILE *f, const json_t *proposal);

/* Parts of the Markdown report (report-markdown*.c). */
void report_md_uint_cell(FILE *f, const json_t *o, const char *key); /* " 3 |" */
void report_md_str_cell(FILE *f, const json_t *o, const char *key, size_t max);
void report_md_denials(FILE *f, const json_t *service, uint64_t now);
void report_md_findings(FILE *f, const json_t *service);
void report_md_workloads(FILE *f, const json_t *service);
void report_md_proposal(FILE *f, const json_t *proposal);

/* Parts of the HTML page (report-html-*.c, report-svg.c). */
/* <time datetime="...Z">local</time>, with how long before the report
 * as its tooltip. */
void report_html_time(FILE *f, uint64_t usec, uint64_t now);
void report_html_denials(FILE *f, const json_t *service, uint64_t now);
void report_html_findings(FILE *f, const json_t *service);
void report_html_workloads(FILE *f, const json_t *service);
void report_html_proposal(FILE *f, const json_t *proposal);
/* Inline SVG charts of one service. */
void report_svg_timeline(FILE *f, const json_t *timeline);
void report_svg_top(FILE *f, const json_t *service);

/* ---- the timeline (report-timeline.c) ---- */

/* Buckets shown: the longer of the two series, at most REPORT_MAX_BUCKETS
 * (a shorter series counts as zeros). */
size_t report_timeline_buckets(const json_t *timeline);
/* Bucket i of series "events" or "denials"; 0 past its end. */
uint64_t report_timeline_value(const json_t *timeline, const char *series, size_t i);
/* The largest bucket of a series among the shown ones, and its index. */
uint64_t report_timeline_peak(const json_t *timeline, const char *series, size_t *ret_index);
/* When bucket i starts (saturating). */
uint64_t report_timeline_time(const json_t *timeline, size_t i);

/* The timeline squeezed into at most width columns of block characters
 * "▁▂▃▄▅▆▇█" (the busiest bucket in each column; " " for none), for text
 * and Markdown. Returns false when there is no timeline. */
bool report_sparkline(const json_t *timeline, const char *series, size_t width, char *buf,
                      size_t size);
