/* SPDX-License-Identifier: MIT */
/* The security reviewer's report (`hardenctl report`), rendered from the
 * report document (a jansson tree built by report-model.c from the
 * daemon's or a log file's data; docs/report.md has its schema) as text
 * for a terminal, JSON for machines, Markdown for tickets and a
 * self-contained HTML page for people.
 *
 * Every string in the document may come from the kernel or from inside a
 * container (comm, exe, paths, workload names): each renderer neutralises
 * it for its format, cuts it to a bounded length, and shows at most a
 * bounded number of rows whatever the document's arrays hold. Never
 * logs. */
#pragma once

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

enum report_format {
        REPORT_TEXT,
        REPORT_JSON,
        REPORT_MARKDOWN,
        REPORT_HTML,
        _REPORT_FORMAT_MAX,
};

/* "text", "json", "markdown" (or "md"), "html". Returns the format or
 * -EINVAL. */
int report_format_from_string(const char *s);
const char *report_format_to_string(enum report_format fmt);

/* Checks the document against the schema. Returns 0, or -EINVAL with the
 * first wrong place written to error (when not NULL), e.g.
 * "services[0].denials[3].count: expected an integer >= 0". */
int report_validate(const json_t *report, char *error, size_t error_size);

/* Validates the document, then renders it to f. JSON is the document
 * itself, indented, keys sorted. Times are shown in local time (TZ).
 * Returns 0; -EINVAL when the document does not follow the schema (error
 * says where; nothing is written then); -EINVAL for an unknown format;
 * -EIO when writing to f failed. */
int report_render(const json_t *report, enum report_format fmt, FILE *f, char *error,
                  size_t error_size);
