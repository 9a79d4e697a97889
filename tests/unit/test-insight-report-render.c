/* SPDX-License-Identifier: MIT */
/* The report renderers (agent/insight/report-*.c): fixtures in
 * tests/fixtures/report/ rendered as text and Markdown and compared byte
 * for byte with the expected files next to them (TZ=UTC, fixed
 * generated_usec); documents that break the schema refused with the path;
 * hostile strings neutralised in every format; caps on what is shown;
 * write errors. REPORT_UPDATE_GOLDEN=1 rewrites the expected files
 * (review `git diff tests/fixtures/report` afterwards). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "insight/report-internal.h"
#include "insight/report-render.h"
#include "testing.h"

static void utc(void)
{
        setenv("TZ", "UTC", 1);
        tzset();
}

static json_t *load_fixture(const char *name)
{
        char rel[256];
        json_error_t e;
        json_t *j;

        snprintf(rel, sizeof(rel), "tests/fixtures/report/%s", name);
        /* NUL inside strings: the model may build them with json_stringn. */
        j = json_load_file(test_path(rel), JSON_ALLOW_NUL, &e);
        ck_assert_msg(j, "%s:%d: %s", rel, e.line, e.text);
        return j;
}

/* Renders into memory; returns report_render()'s result. */
static int render(const json_t *doc, enum report_format fmt, char **ret, size_t *ret_len,
                  char *error, size_t error_size)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        int r;

        ck_assert_ptr_nonnull(f);
        r = report_render(doc, fmt, f, error, error_size);
        ck_assert_int_eq(fclose(f), 0);
        *ret = buf;
        *ret_len = len;
        return r;
}

static char *render_ok(const json_t *doc, enum report_format fmt, size_t *ret_len)
{
        char err[256] = "", *out;
        size_t len;

        ck_assert_msg(render(doc, fmt, &out, &len, err, sizeof(err)) == 0, "render: %s", err);
        if (ret_len)
                *ret_len = len;
        return out;
}

/* ---- expected outputs ---- */

static const struct {
        const char *fixture;
        enum report_format fmt;
        const char *expected;
} golden_cases[] = {
    {"full.json", REPORT_TEXT, "full.txt"},       {"full.json", REPORT_MARKDOWN, "full.md"},
    {"hostile.json", REPORT_TEXT, "hostile.txt"}, {"hostile.json", REPORT_MARKDOWN, "hostile.md"},
    {"empty.json", REPORT_TEXT, "empty.txt"},     {"empty.json", REPORT_MARKDOWN, "empty.md"},
    {"sparse.json", REPORT_TEXT, "sparse.txt"},   {"sparse.json", REPORT_MARKDOWN, "sparse.md"},
};

START_TEST(test_golden)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture(golden_cases[_i].fixture);
        _cleanup_free_ char *out = NULL, *want = NULL;
        char rel[256];
        size_t len, want_len;
        const char *update = getenv("REPORT_UPDATE_GOLDEN");
        int r;

        out = render_ok(doc, golden_cases[_i].fmt, &len);
        snprintf(rel, sizeof(rel), "tests/fixtures/report/%s", golden_cases[_i].expected);
        if (update && strcmp(update, "1") == 0) {
                FILE *f = fopen(test_path(rel), "we");

                ck_assert_ptr_nonnull(f);
                ck_assert_uint_eq(fwrite(out, 1, len, f), len);
                ck_assert_int_eq(fclose(f), 0);
                fprintf(stderr, "  GOLDEN %s\n", rel);
                return;
        }
        r = read_file_bounded(AT_FDCWD, test_path(rel), 1 << 20, &want, &want_len);
        ck_assert_msg(r == 0, "%s: %s (REPORT_UPDATE_GOLDEN=1 writes it)", rel, strerror(-r));
        if (len != want_len || memcmp(out, want, len) != 0) {
                size_t at = 0, line = 1;

                while (at < len && at < want_len && out[at] == want[at])
                        line += out[at++] == '\n';
                ck_abort_msg(
                    "%s differs from %s at line %zu:\n--- got ---\n%.*s\n--- want ---\n%.*s",
                    golden_cases[_i].fixture, rel, line, (int)(len - at < 200 ? len - at : 200),
                    out + at, (int)(want_len - at < 200 ? want_len - at : 200), want + at);
        }
}
END_TEST

/* ---- the schema ---- */

#define SVC(x) "{\"generated_usec\":1,\"services\":[{\"service\":\"api\"," x "}]}"

static const struct {
        const char *json;
        const char *error; /* NULL: valid */
} schema_cases[] = {
    {"[]", "(document): expected an object"},
    {"{}", "generated_usec: missing"},
    {"{\"generated_usec\":null,\"services\":[]}", "generated_usec: missing"},
    {"{\"generated_usec\":-1,\"services\":[]}", "generated_usec: expected an integer >= 0"},
    {"{\"generated_usec\":1.5,\"services\":[]}", "generated_usec: expected an integer >= 0"},
    {"{\"generated_usec\":1}", "services: missing"},
    {"{\"generated_usec\":1,\"services\":{}}", "services: expected an array"},
    {"{\"generated_usec\":1,\"services\":[1]}", "services[0]: expected an object"},
    {"{\"generated_usec\":1,\"services\":[{}]}", "services[0].service: missing"},
    {"{\"generated_usec\":1,\"services\":[{\"service\":7}]}",
     "services[0].service: expected a string"},
    {"{\"generated_usec\":1,\"source\":[],\"services\":[]}", "source: expected a string"},
    {"{\"generated_usec\":1,\"services\":[],\"agent\":{\"lost\":true}}",
     "agent.lost: expected an integer >= 0"},
    {"{\"generated_usec\":1,\"services\":[],\"unattributed\":[]}",
     "unattributed: expected an object"},
    {SVC("\"mode\":1"), "services[0].mode: expected a string"},
    {SVC("\"counts\":{\"denials\":\"3\"}"), "services[0].counts.denials: expected an integer >= 0"},
    {SVC("\"readiness\":{\"checks\":[]}"), "services[0].readiness.ready: missing"},
    {SVC("\"readiness\":{\"ready\":true,\"checks\":[{\"name\":\"quiet\"}]}"),
     "services[0].readiness.checks[0].ok: missing"},
    {SVC("\"denials\":[{\"what\":\"a\",\"count\":1},{\"what\":\"b\",\"count\":\"2\"}]"),
     "services[0].denials[1].count: expected an integer >= 0"},
    {SVC("\"denials\":[{\"what\":\"a\",\"count\":1,\"workloads\":[\"x\",\"y\",3]}]"),
     "services[0].denials[0].workloads[2]: expected a string"},
    {SVC("\"denials\":[{\"what\":\"a\",\"count\":1,\"example\":{\"pid\":1.5}}]"),
     "services[0].denials[0].example.pid: expected an integer >= 0"},
    {SVC("\"denials\":[{\"what\":\"a\",\"count\":1,\"enforced\":\"yes\"}]"),
     "services[0].denials[0].enforced: expected true or false"},
    {SVC("\"more_denials\":-3"), "services[0].more_denials: expected an integer >= 0"},
    {SVC("\"workloads\":[{\"ref\":\"x\",\"score\":-1}]"),
     "services[0].workloads[0].score: expected a number >= 0"},
    {SVC("\"findings\":[{\"severity\":\"high\"}]"), "services[0].findings[0].text: missing"},
    {SVC("\"timeline\":{\"start_usec\":0,\"bucket_usec\":0}"),
     "services[0].timeline.bucket_usec: expected an integer > 0"},
    {SVC("\"timeline\":{\"start_usec\":0,\"bucket_usec\":60,\"events\":[1,-2]}"),
     "services[0].timeline.events[1]: expected an integer >= 0"},
    {SVC("\"top\":[{\"label\":null,\"count\":1}]"), "services[0].top[0].label: missing"},
    {SVC("\"proposal\":{\"risky\":[{\"note\":\"x\"}]}"),
     "services[0].proposal.risky[0].what: missing"},
    {SVC("\"proposal\":{\"diff\":false}"), "services[0].proposal.diff: expected a string"},
    /* Optional fields may be absent or null; unknown keys are ignored. */
    {"{\"generated_usec\":0,\"services\":[],\"since_usec\":null,\"unattributed\":null,"
     "\"agent\":null,\"future\":{\"x\":1}}",
     NULL},
    {SVC("\"mode\":null,\"readiness\":null,\"timeline\":null,\"proposal\":null,\"counts\":null,"
         "\"workloads\":[{\"ref\":\"x\",\"score\":2}],\"extra\":[1]"),
     NULL},
};

START_TEST(test_schema)
{
        json_error_t e;
        _cleanup_(json_decrefp) json_t *doc = json_loads(schema_cases[_i].json, 0, &e);

        ck_assert_msg(doc, "case %d: %s", _i, e.text);
        for (int fmt = 0; fmt < _REPORT_FORMAT_MAX; fmt++) {
                _cleanup_free_ char *out = NULL;
                char err[256] = "";
                size_t len;
                int r = render(doc, (enum report_format)fmt, &out, &len, err, sizeof(err));

                if (!schema_cases[_i].error) {
                        ck_assert_msg(r == 0, "case %d: %s", _i, err);
                        ck_assert_uint_gt(len, 0);
                        continue;
                }
                ck_assert_int_eq(r, -EINVAL);
                ck_assert_str_eq(err, schema_cases[_i].error);
                /* Nothing half-written. */
                ck_assert_uint_eq(len, 0);
        }
}
END_TEST

START_TEST(test_schema_error_buffer)
{
        _cleanup_(json_decrefp) json_t *doc =
            json_loads(SVC("\"counts\":{\"events\":-1}"), 0, NULL);
        char small[12];

        ck_assert_int_eq(report_validate(doc, NULL, 0), -EINVAL);
        memset(small, 'x', sizeof(small));
        ck_assert_int_eq(report_validate(doc, small, sizeof(small)), -EINVAL);
        ck_assert_str_eq(small, "services[0]");
        ck_assert_int_eq(report_render(doc, (enum report_format)99, stdout, small, sizeof(small)),
                         -EINVAL);
}
END_TEST

/* ---- formats, JSON, write errors ---- */

static const struct {
        const char *s;
        int fmt;
} format_cases[] = {
    {"text", REPORT_TEXT},   {"json", REPORT_JSON}, {"markdown", REPORT_MARKDOWN},
    {"md", REPORT_MARKDOWN}, {"html", REPORT_HTML}, {"HTML", -EINVAL},
    {"", -EINVAL},           {"texts", -EINVAL},    {NULL, -EINVAL},
};

START_TEST(test_format_names)
{
        ck_assert_int_eq(report_format_from_string(format_cases[_i].s), format_cases[_i].fmt);
        if (format_cases[_i].fmt >= 0 && strcmp(format_cases[_i].s, "md") != 0)
                ck_assert_str_eq(report_format_to_string((enum report_format)format_cases[_i].fmt),
                                 format_cases[_i].s);
}
END_TEST

START_TEST(test_json_is_the_document)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture("full.json"), *back = NULL;
        _cleanup_free_ char *out = NULL;
        size_t len;

        out = render_ok(doc, REPORT_JSON, &len);
        ck_assert(len > 2 && out[len - 1] == '\n');
        /* Indented, keys sorted: "agent" comes first. */
        ck_assert_msg(strncmp(out, "{\n  \"agent\": {", 14) == 0, "%.40s", out);
        back = json_loadb(out, len, 0, NULL);
        ck_assert_ptr_nonnull(back);
        ck_assert(json_equal(doc, back));
}
END_TEST

START_TEST(test_write_error)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture("full.json");
        char err[128] = "";

        for (int fmt = 0; fmt < _REPORT_FORMAT_MAX; fmt++) {
                FILE *f = fopen("/dev/full", "we");

                ck_assert_ptr_nonnull(f);
                ck_assert_int_eq(report_render(doc, (enum report_format)fmt, f, err, sizeof(err)),
                                 -EIO);
                ck_assert_msg(strstr(err, "cannot write"), "%s", err);
                (void)fclose(f);
        }
}
END_TEST

/* ---- hostile strings ---- */

/* The hostile fixture's markers, none of which may reach any output raw. */
static const char *const raw_bytes[] = {
    "\x1b",         /* ESC: terminal escape sequences */
    "\xe2\x80\xae", /* U+202E right-to-left override */
    "\xe2\x80\xa8", /* U+2028 line separator */
    "\xe2\x80\x8b", /* U+200B zero-width space */
    "\xc2\x85",     /* U+0085 NEL, a C1 control */
};

START_TEST(test_hostile_every_format)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture("hostile.json");

        for (int fmt = 0; fmt < _REPORT_FORMAT_MAX; fmt++) {
                _cleanup_free_ char *out = NULL;
                size_t len;

                if (fmt == REPORT_JSON)
                        continue; /* jansson's own escaping: \u001b */
                out = render_ok(doc, (enum report_format)fmt, &len);
                ck_assert_uint_eq(strlen(out), len); /* no NUL byte */
                for (size_t k = 0; k < ELEMENTSOF(raw_bytes); k++)
                        ck_assert_msg(!strstr(out, raw_bytes[k]), "format %d: raw byte set %zu",
                                      fmt, k);
                for (size_t k = 0; k < len; k++)
                        ck_assert_msg((unsigned char)out[k] >= 0x20 || out[k] == '\n',
                                      "format %d: control byte 0x%02x at %zu", fmt, out[k], k);
        }
}
END_TEST

static size_t count_str(const char *s, const char *what)
{
        size_t n = 0;

        for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
                n++;
        return n;
}

START_TEST(test_hostile_html)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture("hostile.json");
        _cleanup_free_ char *out = render_ok(doc, REPORT_HTML, NULL);

        /* Only the page's own markup: not one element from the document. */
        ck_assert_msg(!strcasestr(out, "<script"), "script element");
        ck_assert_msg(!strcasestr(out, "<img"), "img element");
        ck_assert_msg(!strstr(out, "<svg onload") && !strstr(out, "<svg/onload"), "svg element");
        ck_assert_msg(!strstr(out, "<b>critical") && !strstr(out, "<i>ptrace"), "b/i element");
        ck_assert_msg(!strstr(out, "'onmouseover="), "attribute breakout");
        ck_assert_msg(strstr(out, "&lt;script&gt;alert(1)&lt;/script&gt;"), "comm escaped");
        ck_assert_msg(strstr(out, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "exe escaped");
        ck_assert_msg(strstr(out, "&amp;amp;"), "an entity in a value stays text");
        ck_assert_msg(strstr(out, "\\x1b[31mRED"), "ESC shown as \\x1b");
        ck_assert_msg(strstr(out, "\\u202egpj.exe"), "RLO shown as \\u202e");
        /* The page cannot load or run anything even if markup slipped in. */
        ck_assert_msg(strstr(out, "content=\"default-src 'none'; style-src 'unsafe-inline';"),
                      "CSP meta");
        ck_assert_uint_eq(count_str(out, "<style>"), 1);
        ck_assert_msg(!strstr(out, "src=\"") && !strstr(out, "url("), "a resource reference");
        /* The over-long top label was cut. */
        ck_assert_msg(strstr(out, "xxxxxxxx…</text>"), "cut label");
}
END_TEST

/* Every row of a Markdown table has the header's number of cells: no value
 * can add a column with a '|'. */
START_TEST(test_hostile_markdown_tables)
{
        _cleanup_(json_decrefp) json_t *doc = load_fixture("hostile.json");
        _cleanup_free_ char *out = render_ok(doc, REPORT_MARKDOWN, NULL);
        size_t cells = 0, rows = 0;

        ck_assert_msg(strstr(out, "\n``````diff\n"), "fence longer than the diff's backticks");
        ck_assert_msg(strstr(out, "\n``````\n"), "the closing fence");
        ck_assert_msg(strstr(out, "\\<script\\>alert(1)\\</script\\>"), "comm escaped");
        ck_assert_msg(strstr(out, "\\[click\\](javascript:alert(1))"), "link neutralised");
        ck_assert_msg(strstr(out, "http\\://evil.example/i.png"), "autolink broken");
        ck_assert_msg(strstr(out, "www\\.evil"), "www autolink broken");
        for (char *line = out, *next; line && *line; line = next) {
                size_t n = 0;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (line[0] != '|') {
                        cells = 0;
                        continue;
                }
                for (char *c = line; *c; c++) {
                        if (*c == '\\' && c[1]) {
                                c++;
                                continue;
                        }
                        n += *c == '|';
                }
                if (cells == 0)
                        cells = n;
                ck_assert_msg(n == cells, "row with %zu cells, header %zu: %s", n, cells, line);
                rows++;
        }
        ck_assert_uint_ge(rows, 12);
}
END_TEST

/* ---- bounds ---- */

static json_t *huge_document(void)
{
        json_t *svc = json_pack("{s:s, s:[], s:[], s:[], s:[], s:{s:I, s:I, s:[], s:[]}}",
                                "service", "big", "denials", "findings", "workloads", "top",
                                "timeline", "start_usec", (json_int_t)1795352400000000,
                                "bucket_usec", (json_int_t)60000000, "events", "denials");
        json_t *services = json_array();
        char long_str[4000];
        char *diff = malloc(5000 * 8 + 1);

        ck_assert_ptr_nonnull(svc);
        ck_assert_ptr_nonnull(diff);
        memset(long_str, 'a', sizeof(long_str) - 1);
        long_str[sizeof(long_str) - 1] = '\0';
        for (int i = 0; i < 1000; i++)
                json_array_append_new(json_object_get(svc, "denials"),
                                      json_pack("{s:s, s:I, s:{s:s}, s:[s,s,s,s,s,s,s,s]}", "what",
                                                long_str, "count", (json_int_t)(1000 - i),
                                                "example", "comm", long_str, "workloads", "a", "b",
                                                "c", "d", "e", "f", "g", "h"));
        for (int i = 0; i < 5000; i++)
                json_array_append_new(json_object_get(svc, "findings"),
                                      json_pack("{s:s, s:s}", "severity", "low", "text", long_str));
        for (int i = 0; i < 300; i++)
                json_array_append_new(json_object_get(svc, "workloads"),
                                      json_pack("{s:s, s:f}", "ref", long_str, "score", 9.9));
        for (int i = 0; i < 100; i++)
                json_array_append_new(
                    json_object_get(svc, "top"),
                    json_pack("{s:s, s:I}", "label", long_str, "count", (json_int_t)i));
        for (int i = 0; i < 10000; i++) {
                json_array_append_new(json_object_get(json_object_get(svc, "timeline"), "events"),
                                      json_integer(i));
                json_array_append_new(json_object_get(json_object_get(svc, "timeline"), "denials"),
                                      json_integer(i % 7));
        }
        for (int i = 0; i < 5000; i++)
                memcpy(diff + i * 8, "+ line \n", 8);
        diff[5000 * 8] = '\0';
        json_object_set_new(svc, "proposal", json_pack("{s:s}", "diff", diff));
        free(diff);
        for (int i = 0; i < 150; i++)
                json_array_append(services, svc);
        json_decref(svc);
        return json_pack("{s:I, s:o}", "generated_usec", (json_int_t)1795356000000000, "services",
                         services);
}

START_TEST(test_bounds)
{
        _cleanup_(json_decrefp) json_t *doc = huge_document();
        _cleanup_free_ char *md = NULL, *html = NULL, *text = NULL;
        size_t len;
        char *sec, *tl, *top;
        const char *p;
        char want[200];

        ck_assert_ptr_nonnull(doc);
        md = render_ok(doc, REPORT_MARKDOWN, &len);
        /* 100 services of 200 denial rows, 200 findings, 200 workloads, 15 top. */
        ck_assert_uint_eq(count_str(md, "\n## big"), REPORT_MAX_SERVICES);
        ck_assert_msg(strstr(md, "… and 50 more services."), "services note");
        ck_assert_msg(strstr(md, "… and 800 more kinds of denial."), "denials note");
        ck_assert_msg(strstr(md, "… and 4800 more findings."), "findings note");
        ck_assert_msg(strstr(md, "… and 100 more workloads."), "workloads note");
        ck_assert_msg(strstr(md, "... and 4000 more lines"), "diff note");
        ck_assert_msg(strstr(md, "a, b, c, d, e, +3 more"), "workloads of a denial");
        /* A 3999-character value shows as 120 characters, the last "…". */
        memset(want, 'a', 119);
        strcpy(want + 119, "… | comm=");
        p = strstr(md, "| 1000 |  |  |  | ");
        ck_assert_msg(p && strncmp(p + 18, want, strlen(want)) == 0, "first denial row");
        ck_assert_uint_lt(len, 64u << 20);

        html = render_ok(doc, REPORT_HTML, &len);
        sec = strstr(html, "<section class=\"service\"");
        ck_assert_ptr_nonnull(sec);
        *strstr(sec + 1, "<section") = '\0';
        tl = strstr(sec, "class=\"timeline\"");
        top = strstr(sec, "class=\"top\"");
        ck_assert(tl && top && tl < top);
        /* The bar chart: 15 rows, each a bar and a strip (but the first
         * row's zero events and zero denials draw nothing). */
        ck_assert_uint_eq(count_str(top, "<g>"), 15);
        ck_assert_uint_eq(count_str(top, "<rect"), 14 + 0);
        /* 200 rows of each table, each with its header row. */
        ck_assert_uint_eq(count_str(sec, "<tr>"), 3 * (200 + 1));
        /* The timeline: 240 of the 10000 buckets. Bucket i has i events and
         * i % 7 denials: an events rect for 1..239, a denials rect for
         * those that are not multiples of 7 (34 are), and the legend's 2. */
        top[0] = '\0';
        ck_assert_uint_eq(count_str(tl, "<rect"), 239 + (239 - 34) + 2);

        text = render_ok(doc, REPORT_TEXT, &len);
        ck_assert_msg(strstr(text, "... and 50 more services"), "text services note");
}
END_TEST

/* ---- the building blocks ---- */

static const struct {
        const char *in;
        size_t len, max;
        const char *out;
} visible_cases[] = {
    {"plain", 5, 10, "plain"},
    {"exactly10!", 10, 10, "exactly10!"},
    {"eleven char", 11, 10, "eleven ch…"},
    {"a\nb\tc\rd", 7, 20, "a\\nb\\tc\\rd"},
    {"\x1b[31m", 5, 20, "\\x1b[31m"},
    {"\x7f", 1, 20, "\\x7f"},
    {"nul\0in", 6, 20, "nul\\x00in"},
    {"é ü", 5, 20, "é ü"},
    {"\xe2\x80\xae"
     "exe",
     6, 20, "\\u202eexe"},
    {"\xc2\x9b"
     "2J",
     4, 20, "\\u009b2J"},
    {"\xef\xbb\xbf", 3, 20, "\\ufeff"},
    /* Bytes that are not UTF-8: stray, overlong, surrogate, cut short. */
    {"\xff", 1, 20, "\\xff"},
    {"\xc0\xaf", 2, 20, "\\xc0\\xaf"},
    {"\xed\xa0\x80", 3, 20, "\\xed\\xa0\\x80"},
    {"ab\xe2\x82", 4, 20, "ab\\xe2\\x82"},
    /* Never cut inside an escape or a character. */
    {"abcdefgh\n", 9, 10, "abcdefgh\\n"},
    {"abcdefgh\n", 9, 9, "abcdefgh…"},
    {"abcdefghé", 10, 9, "abcdefghé"},
    {"abcdefghéz", 11, 9, "abcdefgh…"},
    {"", 0, 5, ""},
};

START_TEST(test_visible)
{
        char buf[REPORT_VISIBLE_SIZE(20)];

        report_visible_bytes(visible_cases[_i].in, visible_cases[_i].len, visible_cases[_i].max,
                             buf, sizeof(buf));
        ck_assert_str_eq(buf, visible_cases[_i].out);
}
END_TEST

START_TEST(test_visible_small_buffer)
{
        char buf[8];

        /* 8 bytes: room for 4 characters and "…" (3 bytes) and the NUL. */
        report_visible_bytes("abcdefghijkl", 12, 100, buf, sizeof(buf));
        ck_assert_str_eq(buf, "abcd…");
        report_visible_bytes("abcd", 4, 100, buf, 2);
        ck_assert_str_eq(buf, "");
}
END_TEST

static const struct {
        uint64_t usec, now;
        const char *ago;
} ago_cases[] = {
    {0, 0, "just now"},           {1000000, 1500000, "just now"}, {0, 45000000, "45s ago"},
    {0, 90000000, "1m ago"},      {0, 3599000000, "59m ago"},     {0, 3600000000, "1h ago"},
    {0, 7500000000, "2h 5m ago"}, {0, 86400000000, "1d ago"},     {0, 97200000000, "1d 3h ago"},
    {300000000, 0, "in 5m"},
};

START_TEST(test_ago)
{
        char buf[64];

        ck_assert_str_eq(report_ago(ago_cases[_i].usec, ago_cases[_i].now, buf, sizeof(buf)),
                         ago_cases[_i].ago);
}
END_TEST

START_TEST(test_times_and_sparkline)
{
        _cleanup_(json_decrefp) json_t *tl =
            json_pack("{s:I, s:I, s:[I,I,I,I], s:[I]}", "start_usec", (json_int_t)1795352400000000,
                      "bucket_usec", (json_int_t)60000000, "events", (json_int_t)0, (json_int_t)1,
                      (json_int_t)4, (json_int_t)8, "denials", (json_int_t)2);
        char buf[128];

        ck_assert_str_eq(report_time(1795356000000000, buf, sizeof(buf)), "2026-11-22 14:00");
        ck_assert_str_eq(report_clock(1795356000000000, true, buf, sizeof(buf)), "11-22 14:00");
        ck_assert_str_eq(report_time(UINT64_MAX, buf, sizeof(buf)), "?");
        ck_assert_str_eq(report_span(90000000, buf, sizeof(buf)), "1m 30s");
        ck_assert_uint_eq(report_timeline_buckets(tl), 4);
        ck_assert(report_sparkline(tl, "events", 60, buf, sizeof(buf)));
        ck_assert_str_eq(buf, " ▁▄█");
        /* The shorter series counts as zeros. */
        ck_assert(report_sparkline(tl, "denials", 60, buf, sizeof(buf)));
        ck_assert_str_eq(buf, "█   ");
        /* Two columns: the busiest bucket of each half. */
        ck_assert(report_sparkline(tl, "events", 2, buf, sizeof(buf)));
        ck_assert_str_eq(buf, "▁█");
        ck_assert_uint_eq(report_timeline_time(tl, 2), 1795352400000000 + 120000000);
        ck_assert_str_eq(report_workload_short("container:4f1c2a9b3e7d api-1"), "api-1");
        ck_assert_str_eq(report_workload_short("pid:42"), "pid:42");
        ck_assert_str_eq(report_workload_short("trailing "), "trailing ");
}
END_TEST

static Suite *insight_report_render_suite(void)
{
        Suite *s = suite_create("insight-report-render");
        TCase *tc = tcase_create("render");

        tcase_add_checked_fixture(tc, utc, NULL);
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, test_golden, 0, (int)ELEMENTSOF(golden_cases));
        tcase_add_loop_test(tc, test_schema, 0, (int)ELEMENTSOF(schema_cases));
        tcase_add_test(tc, test_schema_error_buffer);
        tcase_add_loop_test(tc, test_format_names, 0, (int)ELEMENTSOF(format_cases));
        tcase_add_test(tc, test_json_is_the_document);
        tcase_add_test(tc, test_write_error);
        tcase_add_test(tc, test_hostile_every_format);
        tcase_add_test(tc, test_hostile_html);
        tcase_add_test(tc, test_hostile_markdown_tables);
        tcase_add_test(tc, test_bounds);
        tcase_add_loop_test(tc, test_visible, 0, (int)ELEMENTSOF(visible_cases));
        tcase_add_test(tc, test_visible_small_buffer);
        tcase_add_loop_test(tc, test_ago, 0, (int)ELEMENTSOF(ago_cases));
        tcase_add_test(tc, test_times_and_sparkline);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(insight_report_render_suite)
