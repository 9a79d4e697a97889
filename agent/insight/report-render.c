/* SPDX-License-Identifier: MIT */
/* The front door of the report renderers: format names, validation, and
 * the JSON format (the document itself). */
#include <errno.h>
#include <string.h>

#include "report-internal.h"

static const char *const format_names[_REPORT_FORMAT_MAX] = {
    [REPORT_TEXT] = "text",
    [REPORT_JSON] = "json",
    [REPORT_MARKDOWN] = "markdown",
    [REPORT_HTML] = "html",
};

const char *report_format_to_string(enum report_format fmt)
{
        return (unsigned)fmt < _REPORT_FORMAT_MAX ? format_names[fmt] : NULL;
}

int report_format_from_string(const char *s)
{
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < _REPORT_FORMAT_MAX; i++)
                if (strcmp(s, format_names[i]) == 0)
                        return (int)i;
        if (strcmp(s, "md") == 0)
                return REPORT_MARKDOWN;
        return -EINVAL;
}

int report_render(const json_t *report, enum report_format fmt, FILE *f, char *error,
                  size_t error_size)
{
        int r;

        if ((unsigned)fmt >= _REPORT_FORMAT_MAX) {
                if (error && error_size)
                        snprintf(error, error_size, "unknown report format %d", (int)fmt);
                return -EINVAL;
        }
        r = report_validate(report, error, error_size);
        if (r < 0)
                return r;
        switch (fmt) {
        case REPORT_TEXT:
                r = report_render_text(report, f);
                break;
        case REPORT_MARKDOWN:
                r = report_render_markdown(report, f);
                break;
        case REPORT_HTML:
                r = report_render_html(report, f);
                break;
        case REPORT_JSON:
        default:
                /* ensure_ascii is not set: jansson writes valid UTF-8 and
                 * escapes every control character itself. */
                r = json_dumpf(report, f, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 &&
                            fputc('\n', f) != EOF
                        ? 0
                        : -EIO;
                break;
        }
        if (r == 0 && (fflush(f) != 0 || ferror(f)))
                r = -EIO;
        if (r < 0 && error && error_size)
                snprintf(error, error_size, "cannot write the report: %s", strerror(-r));
        return r;
}
