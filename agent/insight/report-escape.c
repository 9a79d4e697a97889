/* SPDX-License-Identifier: MIT */
/* Untrusted strings in reports. A comm, an exe path or a container name is
 * whatever a process inside a container chose: it may hold terminal
 * escapes, newlines that fake a line of the report, right-to-left
 * overrides that make "exe" read as something else, Markdown that turns
 * into a link, or HTML that turns into a script. Two steps: first the
 * characters no reader should get raw become visible escapes (one rule
 * for every format, so the same value reads the same everywhere), then
 * what the output format itself would act on is escaped for it. */
#include <string.h>

#include "base/macro.h"
#include "report-internal.h"

/* Code point and length of the well-formed UTF-8 sequence at u (at most
 * len bytes), or length 0 (a stray, overlong, surrogate or cut byte). */
static size_t utf8_decode(const unsigned char *u, size_t len, uint32_t *ret)
{
        size_t k;
        uint32_t cp, min;

        if (u[0] < 0x80) {
                *ret = u[0];
                return 1;
        }
        if (u[0] >= 0xc2 && u[0] <= 0xdf)
                k = 2, cp = u[0] & 0x1f, min = 0x80;
        else if (u[0] >= 0xe0 && u[0] <= 0xef)
                k = 3, cp = u[0] & 0x0f, min = 0x800;
        else if (u[0] >= 0xf0 && u[0] <= 0xf4)
                k = 4, cp = u[0] & 0x07, min = 0x10000;
        else
                return 0;
        if (k > len)
                return 0;
        for (size_t i = 1; i < k; i++) {
                if ((u[i] & 0xc0) != 0x80)
                        return 0;
                cp = cp << 6 | (u[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        *ret = cp;
        return k;
}

/* Characters shown as escapes: controls, and the invisible format
 * characters that reorder or hide text (bidi overrides and isolates,
 * zero-width characters, line and paragraph separators, the BOM). */
static bool hidden(uint32_t cp)
{
        return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
               (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
               (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

char *report_visible_bytes(const char *s, size_t len, size_t max_chars, char *buf, size_t size)
{
        static const char ellipsis[] = "…";
        const unsigned char *u = (const unsigned char *)s;
        size_t n = 0, chars = 0, cut = SIZE_MAX, i = 0;

        if (size < sizeof(ellipsis)) {
                if (size > 0)
                        buf[0] = '\0';
                return buf;
        }
        if (max_chars == 0)
                max_chars = 1;
        while (i < len) {
                char tmp[8];
                size_t k, w; /* bytes written, characters shown */
                uint32_t cp;
                size_t in = utf8_decode(u + i, len - i, &cp);

                if (in == 0) {
                        k = w = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", u[i]);
                        in = 1;
                } else if (cp == '\n' || cp == '\t' || cp == '\r') {
                        tmp[0] = '\\';
                        tmp[1] = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
                        k = w = 2;
                } else if (cp < 0x20 || cp == 0x7f)
                        k = w = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", (unsigned)cp);
                else if (hidden(cp))
                        k = w = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp);
                else {
                        memcpy(tmp, u + i, in);
                        k = in;
                        w = 1;
                }
                /* Where "…" would go if what follows does not fit. */
                if (cut == SIZE_MAX &&
                    (chars + w > max_chars - 1 || n + k + sizeof(ellipsis) > size))
                        cut = n;
                if (chars + w > max_chars || n + k + 1 > size) {
                        memcpy(buf + cut, ellipsis, sizeof(ellipsis));
                        return buf;
                }
                memcpy(buf + n, tmp, k);
                n += k;
                chars += w;
                i += in;
        }
        buf[n] = '\0';
        return buf;
}

char *report_visible(const json_t *v, size_t max_chars, char *buf, size_t size)
{
        if (!json_is_string(v)) {
                if (size > 0)
                        buf[0] = '\0';
                return buf;
        }
        return report_visible_bytes(json_string_value(v), json_string_length(v), max_chars, buf,
                                    size);
}

/* Markdown (CommonMark with GitHub's extensions) acts on these anywhere in
 * a line: emphasis, code, links and images, raw HTML and entities, table
 * cells, strikethrough, math ($). Values never start a line, so the
 * line-start markers (-, +, 1.) are harmless; '#' is escaped anyway: a
 * heading's closing sequence would eat it. */
static bool markdown_special(char c)
{
        return c && strchr("\\`*_[]<>|~&#!$", c);
}

static void put_markdown(FILE *f, const char *s)
{
        char prev = 0;

        for (; *s; prev = *s++) {
                /* GitHub turns "http://..." and "www...." into links with no
                 * other marker: break the ":/" and the "w." (the "@" of an
                 * e-mail address only ever makes a mailto: link). */
                if (markdown_special(*s) || (*s == ':' && s[1] == '/') ||
                    (*s == '.' && (prev == 'w' || prev == 'W')))
                        fputc('\\', f);
                fputc(*s, f);
        }
}

static void put_html(FILE *f, const char *s)
{
        for (; *s; s++)
                switch (*s) {
                case '&':
                        fputs("&amp;", f);
                        break;
                case '<':
                        fputs("&lt;", f);
                        break;
                case '>':
                        fputs("&gt;", f);
                        break;
                case '"':
                        fputs("&quot;", f);
                        break;
                case '\'':
                        fputs("&#39;", f);
                        break;
                default:
                        fputc(*s, f);
                }
}

void report_put_escaped(FILE *f, enum report_format fmt, const char *visible)
{
        if (fmt == REPORT_MARKDOWN)
                put_markdown(f, visible);
        else if (fmt == REPORT_HTML)
                put_html(f, visible);
        else
                fputs(visible, f);
}

void report_put(FILE *f, enum report_format fmt, const json_t *v, size_t max_chars)
{
        char buf[REPORT_VISIBLE_SIZE(REPORT_TEXT_CHARS)];

        if (max_chars > REPORT_TEXT_CHARS)
                max_chars = REPORT_TEXT_CHARS;
        report_put_escaped(f, fmt, report_visible(v, max_chars, buf, sizeof(buf)));
}

void report_put_key(FILE *f, enum report_format fmt, const json_t *o, const char *key,
                    size_t max_chars, const char *fallback)
{
        const json_t *v = json_object_get(o, key);

        if (json_is_string(v))
                report_put(f, fmt, v, max_chars);
        else
                fputs(fallback, f);
}
