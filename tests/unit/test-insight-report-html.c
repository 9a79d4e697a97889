/* SPDX-License-Identifier: MIT */
/* The HTML report in a real browser: Debian's headless Chromium loads the
 * rendered page from a file and
 *   - dumps the DOM it built: the counts, the READY / NOT READY words, the
 *     top chart's labels and counts and the SVG charts are in it; the
 *     hostile fixture's markup is text, never an element;
 *   - logs its console: the page causes no message at all (a script that
 *     ran, a resource the Content-Security-Policy refused, an error). The
 *     detector is shown to see a page that throws and a page whose inline
 *     script and image the same CSP blocks;
 *   - parses the page as XHTML: an XML parser accepts it (and shows its
 *     parsererror on a broken one);
 *   - takes a screenshot at a fixed window size: the PNG (decoded here,
 *     with zlib for the inflating) has that size, is not blank, and the top
 *     chart's colour forms one bar per row of the chart, to scale, below
 *     the timeline.
 * Every Chromium run is bounded (a timeout, then SIGKILL to its whole
 * process group) and gets a private profile and HOME. Under CI=true a
 * missing chromium fails the suite. No reference screenshot is compared:
 * glyphs change with fonts and Chromium releases, so the checks are on
 * structure (sizes, colours, positions) instead. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "insight/report-internal.h"
#include "insight/report-render.h"
#include "testing.h"

#define CHROMIUM_TIMEOUT_SEC 60
#define WINDOW_W             1280
#define WINDOW_H             2400

static char tmpdir[64];

static const char *chromium_path(void)
{
        static const char *const candidates[] = {"/usr/bin/chromium", "/usr/bin/chromium-browser"};
        const char *env = getenv("HARDEND_CHROMIUM");

        if (env && *env)
                return access(env, X_OK) == 0 ? env : NULL;
        for (size_t i = 0; i < ELEMENTSOF(candidates); i++)
                if (access(candidates[i], X_OK) == 0)
                        return candidates[i];
        return NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path) < 0 ? -errno : 0;
}

static void setup(void)
{
        setenv("TZ", "UTC", 1);
        tzset();
        snprintf(tmpdir, sizeof(tmpdir), "/tmp/hardend-report-html-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
        (void)nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *tmp(const char *name)
{
        static char buf[4][256];
        static unsigned slot;
        char *b = buf[slot++ % 4];

        snprintf(b, sizeof(buf[0]), "%s/%s", tmpdir, name);
        return b;
}

static void write_file(const char *path, const char *data, size_t len)
{
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_uint_eq(fwrite(data, 1, len, f), len);
        ck_assert_int_eq(fclose(f), 0);
}

static char *read_file(const char *path, size_t *ret_len)
{
        char *data = NULL;
        size_t len = 0;
        int r = read_file_bounded(AT_FDCWD, path, 64u << 20, &data, &len);

        ck_assert_msg(r == 0, "%s: %s", path, strerror(-r));
        if (ret_len)
                *ret_len = len;
        return data;
}

/* Renders a fixture to tmpdir/name. */
static void render_fixture(const char *fixture, const char *name)
{
        char rel[256], err[256] = "";
        json_error_t e;
        _cleanup_(json_decrefp) json_t *doc = NULL;
        FILE *f;

        snprintf(rel, sizeof(rel), "tests/fixtures/report/%s", fixture);
        doc = json_load_file(test_path(rel), JSON_ALLOW_NUL, &e);
        ck_assert_msg(doc, "%s: %s", rel, e.text);
        f = fopen(tmp(name), "we");
        ck_assert_ptr_nonnull(f);
        ck_assert_msg(report_render(doc, REPORT_HTML, f, err, sizeof(err)) == 0, "%s", err);
        ck_assert_int_eq(fclose(f), 0);
}

/* Runs chromium on tmpdir/page with the mode's options ("--dump-dom" or
 * "--screenshot=PATH"), stdout and stderr into tmpdir files; returns
 * stdout (caller frees) and stderr in *ret_log. */
static char *chromium(const char *mode, const char *page, char **ret_log)
{
        char profile[256], url[512], window[64];
        char out_path[256], err_path[256];
        const char *argv[] = {chromium_path(), "--headless",
                              /* As root Chromium refuses to start with its sandbox. */
                              "--no-sandbox", "--disable-gpu", profile, "--no-first-run",
                              "--no-default-browser-check", "--disable-extensions",
                              "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", "--hide-scrollbars",
                              "--force-device-scale-factor=1", window, "--enable-logging=stderr",
                              "--v=0", mode, url, NULL};
        struct timespec start, now;
        pid_t pid;
        int status;

        snprintf(profile, sizeof(profile), "--user-data-dir=%s", tmp("profile"));
        snprintf(window, sizeof(window), "--window-size=%d,%d", WINDOW_W, WINDOW_H);
        snprintf(url, sizeof(url), "file://%s", tmp(page));
        snprintf(out_path, sizeof(out_path), "%s", tmp("chromium.out"));
        snprintf(err_path, sizeof(err_path), "%s", tmp("chromium.err"));

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
                int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

                /* Its own process group: the renderer, GPU and zygote
                 * processes are all killed with it. */
                if (setpgid(0, 0) < 0 || in < 0 || out < 0 || err < 0 ||
                    dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
                    dup2(err, STDERR_FILENO) < 0)
                        _exit(125);
                setenv("HOME", tmpdir, 1);
                setenv("XDG_CONFIG_HOME", tmpdir, 1);
                setenv("XDG_CACHE_HOME", tmpdir, 1);
                execv(argv[0], (char *const *)argv);
                _exit(127);
        }
        (void)setpgid(pid, pid);
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                pid_t r = waitpid(pid, &status, WNOHANG);

                ck_assert_int_ge(r, 0);
                if (r == pid)
                        break;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (now.tv_sec - start.tv_sec > CHROMIUM_TIMEOUT_SEC) {
                        (void)kill(-pid, SIGKILL);
                        (void)waitpid(pid, &status, 0);
                        ck_abort_msg("chromium %s %s: no exit within %d s", mode, page,
                                     CHROMIUM_TIMEOUT_SEC);
                }
                usleep(20 * 1000);
        }
        /* Whatever of it is still around (crashpad handler, zygote). */
        (void)kill(-pid, SIGKILL);
        *ret_log = read_file(err_path, NULL);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "chromium %s %s: status 0x%x\n%s", mode, page, status, *ret_log);
        return read_file(out_path, NULL);
}

/* Lines of Chromium's log that a page's console or its CSP caused
 * ("[...:INFO:CONSOLE:1] "Uncaught Error: ..."", "Refused to ...",
 * "... violates the following Content Security Policy directive ...").
 * The rest of the log (D-Bus, GPU) is the browser's own. Copies the
 * first into first. */
static size_t console_messages(const char *log, char *first, size_t size)
{
        static const char *const markers[] = {":CONSOLE", "Uncaught", "Refused to",
                                              "Content Security Policy"};
        size_t n = 0;

        first[0] = '\0';
        for (const char *line = log; line && *line;) {
                const char *end = strchr(line, '\n');
                size_t len = end ? (size_t)(end - line) : strlen(line);

                for (size_t k = 0; k < ELEMENTSOF(markers); k++)
                        if (memmem(line, len, markers[k], strlen(markers[k]))) {
                                if (n++ == 0)
                                        snprintf(first, size, "%.*s", (int)len, line);
                                break;
                        }
                line = end ? end + 1 : NULL;
        }
        return n;
}

static size_t count_str(const char *s, const char *what)
{
        size_t n = 0;

        for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
                n++;
        return n;
}

/* ---- DOM ---- */

static const char *const full_dom_expected[] = {
    /* The heading badges and the summary table. */
    "<span class=\"badge notready\">NOT READY</span>",
    "<span class=\"badge ready\">READY</span>",
    "<span class=\"badge unknown\">readiness unknown</span>",
    "<td class=\"num\">13</td>",
    /* The api service's counts. */
    "<b>346</b>events",
    "<b>3</b>denials",
    "<b>13</b>would-be denials",
    /* The top chart: labels and counts, as SVG text. */
    ">read</text>",
    ">40</text>",
    ">ptrace</text>",
    ">12 (12 denied)</text>",
    ">openat</text>",
    ">30 (8 denied)</text>",
    ">kexec_load</text>",
    ">3 (3 denied)</text>",
    /* The timeline's tooltips and axis. */
    "<title>13:22–13:23: 22 events, 4 denials</title>",
    ">13:00</text>",
    ">14:00</text>",
    /* Tables and the coloured diff. */
    "<td><code>kexec_load</code></td>",
    "<b>3 killed</b>",
    "<span class=\"add\">+    - ptrace          # 12 would-be denials by node (api-1, "
    "api-2)</span>",
    "<span class=\"del\">-    - mount           # never used in 2 recordings</span>",
    "STALE",
};

START_TEST(test_dom)
{
        _cleanup_free_ char *dom = NULL, *log = NULL;
        char first[512];
        size_t n;

        if (!test_require(chromium_path() != NULL, "chromium (Debian package chromium)"))
                return;
        render_fixture("full.json", "full.html");
        dom = chromium("--dump-dom", "full.html", &log);
        for (size_t i = 0; i < ELEMENTSOF(full_dom_expected); i++)
                ck_assert_msg(strstr(dom, full_dom_expected[i]), "not in the DOM: %s",
                              full_dom_expected[i]);
        /* Two services with both charts: four SVG elements, with shapes. */
        ck_assert_uint_eq(count_str(dom, "<svg "), 4);
        ck_assert_uint_ge(count_str(dom, "<rect "), 60);
        ck_assert_uint_eq(count_str(dom, "<section class=\"service\""), 3);
        n = console_messages(log, first, sizeof(first));
        ck_assert_msg(n == 0, "%zu console messages, the first: %s", n, first);
}
END_TEST

START_TEST(test_dom_hostile)
{
        _cleanup_free_ char *dom = NULL, *log = NULL;
        char first[512];
        size_t n;

        if (!test_require(chromium_path() != NULL, "chromium (Debian package chromium)"))
                return;
        render_fixture("hostile.json", "hostile.html");
        dom = chromium("--dump-dom", "hostile.html", &log);
        /* The document's markup is text in the DOM, not elements. */
        ck_assert_msg(!strcasestr(dom, "<script"), "a script element");
        ck_assert_msg(!strcasestr(dom, "<img"), "an img element");
        ck_assert_msg(!strstr(dom, "<svg onload") && !strstr(dom, "<svg/onload"), "an svg element");
        ck_assert_msg(!strstr(dom, "onmouseover=\""), "an attribute");
        ck_assert_msg(strstr(dom, "&lt;script&gt;alert(1)&lt;/script&gt;"), "comm as text");
        ck_assert_msg(strstr(dom, "\"&gt;&lt;img src=x onerror=alert(1)&gt;"), "exe as text");
        ck_assert_msg(strstr(dom, "<title>hardend report: file /var/log/audit/&lt;audit&gt;.log"),
                      "title as text");
        /* Exactly the page's own two sections: the hostile service name did
         * not close or open any. */
        ck_assert_uint_eq(count_str(dom, "<section"), 2);
        /* No script ran, nothing was refused. */
        n = console_messages(log, first, sizeof(first));
        ck_assert_msg(n == 0, "%zu console messages, the first: %s", n, first);
}
END_TEST

/* The detector sees what it must: a script that throws (no CSP), and the
 * page's own CSP refusing an inline script and an image. */
START_TEST(test_console_detector_fails_on_broken_pages)
{
        static const char throws[] = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"/>"
                                     "<title>broken</title></head><body><p>x</p>"
                                     "<script>throw new Error(\"report-test-broken\");</script>"
                                     "</body></html>\n";
        _cleanup_free_ char *dom = NULL, *log = NULL, *page = NULL, *dom2 = NULL, *log2 = NULL;
        char first[512], *body;
        size_t len;

        if (!test_require(chromium_path() != NULL, "chromium (Debian package chromium)"))
                return;
        write_file(tmp("throws.html"), throws, sizeof(throws) - 1);
        dom = chromium("--dump-dom", "throws.html", &log);
        ck_assert_uint_ge(console_messages(log, first, sizeof(first)), 1);
        ck_assert_msg(strstr(first, "report-test-broken"), "%s", first);

        /* The real page with an inline script and an image slipped in. */
        render_fixture("full.json", "csp.html");
        page = read_file(tmp("csp.html"), &len);
        body = strstr(page, "<main>");
        ck_assert_ptr_nonnull(body);
        {
                static const char evil[] = "<script>document.title='ran'</script>"
                                           "<img src=\"file:///etc/hostname\"/>";
                FILE *f = fopen(tmp("csp.html"), "we");

                ck_assert_ptr_nonnull(f);
                fwrite(page, 1, (size_t)(body - page), f);
                fputs(evil, f);
                fputs(body, f);
                ck_assert_int_eq(fclose(f), 0);
        }
        dom2 = chromium("--dump-dom", "csp.html", &log2);
        ck_assert_uint_ge(console_messages(log2, first, sizeof(first)), 2);
        ck_assert_msg(strstr(log2, "Content Security Policy"), "no CSP message:\n%s", log2);
        /* The script did not run. */
        ck_assert_msg(!strstr(dom2, "<title>ran</title>"), "the inline script ran");
}
END_TEST

/* ---- well-formed ---- */

START_TEST(test_xhtml_well_formed)
{
        static const char broken[] = "<?xml version=\"1.0\"?>\n<html "
                                     "xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>b"
                                     "</title></head><body><p><b>x</p></body></html>\n";
        static const char *const fixtures[] = {"full.json", "hostile.json", "sparse.json",
                                               "empty.json"};

        if (!test_require(chromium_path() != NULL, "chromium (Debian package chromium)"))
                return;
        /* The XML parser's error page is what a broken file gives. */
        write_file(tmp("broken.xhtml"), broken, sizeof(broken) - 1);
        {
                _cleanup_free_ char *log = NULL,
                                    *dom = chromium("--dump-dom", "broken.xhtml", &log);

                ck_assert_msg(strstr(dom, "parsererror"), "no parsererror for a broken file");
        }
        for (size_t i = 0; i < ELEMENTSOF(fixtures); i++) {
                _cleanup_free_ char *log = NULL, *dom = NULL;

                render_fixture(fixtures[i], "page.xhtml");
                dom = chromium("--dump-dom", "page.xhtml", &log);
                ck_assert_msg(!strstr(dom, "parsererror"), "%s: not well-formed XML:\n%.2000s",
                              fixtures[i], dom);
                ck_assert_msg(strstr(dom, "<h1>hardend report</h1>"), "%s: no heading",
                              fixtures[i]);
        }
}
END_TEST

/* ---- screenshot ---- */

struct image {
        unsigned w, h;
        unsigned char *rgb; /* w * h * 3 */
};

static uint32_t be32(const unsigned char *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
        int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* The PNGs Chromium writes: 8-bit RGB or RGBA, not interlaced. IDAT
 * chunks are joined and inflated by zlib, the row filters undone here. */
static void png_decode(const unsigned char *png, size_t len, struct image *img)
{
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        unsigned char *z = malloc(len), *raw;
        size_t zlen = 0, pos = 8, bpp = 0, stride;
        uLongf rawlen;

        ck_assert_ptr_nonnull(z);
        ck_assert_msg(len > 8 && memcmp(png, sig, 8) == 0, "not a PNG");
        while (pos + 12 <= len) {
                uint32_t clen = be32(png + pos);
                const unsigned char *type = png + pos + 4, *data = png + pos + 8;

                ck_assert_uint_le(clen, len - pos - 12);
                if (memcmp(type, "IHDR", 4) == 0) {
                        img->w = be32(data);
                        img->h = be32(data + 4);
                        ck_assert_msg(
                            data[8] == 8 && (data[9] == 2 || data[9] == 6) && data[12] == 0,
                            "PNG depth %u colour type %u interlace %u", data[8], data[9], data[12]);
                        bpp = data[9] == 6 ? 4 : 3;
                } else if (memcmp(type, "IDAT", 4) == 0) {
                        memcpy(z + zlen, data, clen);
                        zlen += clen;
                } else if (memcmp(type, "IEND", 4) == 0)
                        break;
                pos += 12 + clen;
        }
        ck_assert_uint_gt(bpp, 0);
        ck_assert(img->w > 0 && img->w <= 8192 && img->h > 0 && img->h <= 16384);
        stride = img->w * bpp;
        rawlen = (uLongf)((stride + 1) * img->h);
        raw = malloc(rawlen);
        ck_assert_ptr_nonnull(raw);
        ck_assert_int_eq(uncompress(raw, &rawlen, z, zlen), Z_OK);
        ck_assert_uint_eq(rawlen, (stride + 1) * img->h);
        img->rgb = malloc((size_t)img->w * img->h * 3);
        ck_assert_ptr_nonnull(img->rgb);
        for (size_t y = 0; y < img->h; y++) {
                unsigned char *row = raw + y * (stride + 1) + 1;
                const unsigned char *up = y ? row - (stride + 1) : NULL;
                unsigned filter = row[-1];

                ck_assert_uint_le(filter, 4);
                for (size_t x = 0; x < stride; x++) {
                        int a = x >= bpp ? row[x - bpp] : 0, b = up ? up[x] : 0;
                        int c = up && x >= bpp ? up[x - bpp] : 0;

                        row[x] = (unsigned char)(row[x] + (filter == 1   ? a
                                                           : filter == 2 ? b
                                                           : filter == 3 ? (a + b) / 2
                                                           : filter == 4 ? paeth(a, b, c)
                                                                         : 0));
                }
                for (size_t x = 0; x < img->w; x++)
                        memcpy(img->rgb + (y * img->w + x) * 3, row + x * bpp, 3);
        }
        free(raw);
        free(z);
}

static bool is_rgb(const struct image *img, unsigned x, unsigned y, unsigned rgb)
{
        const unsigned char *p = img->rgb + ((size_t)y * img->w + x) * 3;

        return p[0] == (rgb >> 16 & 0xff) && p[1] == (rgb >> 8 & 0xff) && p[2] == (rgb & 0xff);
}

/* The first row (from y) with a pixel of rgb, and that row's longest run
 * of it: where it starts and how long it is. */
static bool find_run(const struct image *img, unsigned rgb, unsigned y, unsigned *ret_x,
                     unsigned *ret_len)
{
        unsigned best = 0, best_x = 0;

        for (unsigned x = 0; x < img->w;) {
                unsigned s = x;

                while (x < img->w && is_rgb(img, x, y, rgb))
                        x++;
                if (x - s > best) {
                        best = x - s;
                        best_x = s;
                }
                x = x > s ? x : x + 1;
        }
        *ret_x = best_x;
        *ret_len = best;
        return best > 0;
}

/* The fixture's first top chart: read 40, ptrace 12, openat 30,
 * kexec_load 3 (the largest, 40, is the longest bar). */
static const unsigned top_counts[] = {40, 12, 30, 3};

START_TEST(test_screenshot)
{
        _cleanup_free_ char *out = NULL, *log = NULL, *png = NULL;
        char mode[300];
        struct image img = {0};
        size_t len, painted = 0, bands = 0;
        unsigned first_event_y = UINT32_MAX, bar_x0 = 0, y, band_top = 0;
        unsigned colours[64], n_colours = 0;

        if (!test_require(chromium_path() != NULL, "chromium (Debian package chromium)"))
                return;
        render_fixture("full.json", "full.html");
        snprintf(mode, sizeof(mode), "--screenshot=%s", tmp("shot.png"));
        out = chromium(mode, "full.html", &log);
        png = read_file(tmp("shot.png"), &len);
        png_decode((const unsigned char *)png, len, &img);

        ck_assert_uint_eq(img.w, WINDOW_W);
        ck_assert_uint_eq(img.h, WINDOW_H);
        /* Not blank: a good share of pixels is not the page's background,
         * in many colours. */
        for (size_t i = 0; i < (size_t)img.w * img.h; i++) {
                const unsigned char *p = img.rgb + i * 3;
                unsigned c = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
                size_t k;

                painted += c != 0xf5f6f8 && c != 0xffffff;
                for (k = 0; k < n_colours && colours[k] != c; k++)
                        ;
                if (k == n_colours && n_colours < ELEMENTSOF(colours))
                        colours[n_colours++] = c;
        }
        ck_assert_uint_gt(painted, (size_t)img.w * img.h / 20);
        ck_assert_uint_eq(n_colours, ELEMENTSOF(colours));

        /* The timeline's events come first, then its denials... */
        for (y = 0; y < img.h && first_event_y == UINT32_MAX; y++) {
                unsigned x, l;

                if (find_run(&img, REPORT_HTML_EVENT_RGB, y, &x, &l) && l > 1)
                        first_event_y = y;
        }
        ck_assert_msg(first_event_y != UINT32_MAX, "no timeline events colour");
        {
                bool denial = false;

                for (y = first_event_y; y < img.h && !denial; y++) {
                        unsigned x, l;

                        denial = find_run(&img, REPORT_HTML_DENIAL_RGB, y, &x, &l) && l > 1;
                }
                ck_assert_msg(denial, "no timeline denials colour");
        }
        /* ... and below it the top chart: one band of the bar colour per
         * row, all starting at the same x, each as long as its count says. */
        for (y = first_event_y; y < img.h && bands < ELEMENTSOF(top_counts); y++) {
                unsigned x, l, prev_x = 0, prev_l = 0;

                if (!find_run(&img, REPORT_HTML_BAR_RGB, y, &x, &l))
                        continue;
                band_top = y;
                /* The band's widest row: where no denial strip covers it. */
                for (; y < img.h && find_run(&img, REPORT_HTML_BAR_RGB, y, &x, &l); y++)
                        if (l > prev_l) {
                                prev_l = l;
                                prev_x = x;
                        }
                {
                        unsigned want = (top_counts[bands] * REPORT_SVG_BAR_MAX + 20) / 40;

                        ck_assert_msg(prev_l + 1 >= want && prev_l <= want + 1,
                                      "bar %zu at y %u: %u px long, want %u", bands, band_top,
                                      prev_l, want);
                        ck_assert_uint_ge(y - band_top, 8); /* the bar's height above the strip */
                        if (bands == 0)
                                bar_x0 = prev_x;
                        ck_assert_uint_eq(prev_x, bar_x0);
                }
                bands++;
        }
        ck_assert_uint_eq(bands, ELEMENTSOF(top_counts));
        ck_assert_uint_gt(band_top, first_event_y);
        free(img.rgb);
}
END_TEST

static Suite *insight_report_html_suite(void)
{
        Suite *s = suite_create("insight-report-html");
        TCase *tc = tcase_create("chromium");

        tcase_add_checked_fixture(tc, setup, teardown);
        /* Each Chromium run takes 1 to 3 s here; a test makes at most 6. */
        tcase_set_timeout(tc, 6 * CHROMIUM_TIMEOUT_SEC);
        tcase_add_test(tc, test_dom);
        tcase_add_test(tc, test_dom_hostile);
        tcase_add_test(tc, test_console_detector_fails_on_broken_pages);
        tcase_add_test(tc, test_xhtml_well_formed);
        tcase_add_test(tc, test_screenshot);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(insight_report_html_suite)
