/* SPDX-License-Identifier: MIT */
/* Typed access to a validated report document, and the times and ranks
 * every renderer shows the same way. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "base/macro.h"
#include "report-internal.h"

const json_t *report_get(const json_t *o, const char *key)
{
        const json_t *v = json_object_get(o, key);

        return json_is_null(v) ? NULL : v;
}

const char *report_str(const json_t *o, const char *key)
{
        return json_string_value(json_object_get(o, key));
}

bool report_uint(const json_t *o, const char *key, uint64_t *ret)
{
        const json_t *v = json_object_get(o, key);

        if (!json_is_integer(v) || json_integer_value(v) < 0)
                return false;
        *ret = (uint64_t)json_integer_value(v);
        return true;
}

bool report_bool(const json_t *o, const char *key, bool *ret)
{
        const json_t *v = json_object_get(o, key);

        if (!json_is_boolean(v))
                return false;
        *ret = json_is_true(v);
        return true;
}

bool report_number(const json_t *o, const char *key, double *ret)
{
        const json_t *v = json_object_get(o, key);

        if (!json_is_number(v) || !isfinite(json_number_value(v)))
                return false;
        *ret = json_number_value(v);
        return true;
}

size_t report_array_size(const json_t *o, const char *key)
{
        return json_array_size(json_object_get(o, key));
}

const json_t *report_array_get(const json_t *o, const char *key, size_t i)
{
        return json_array_get(json_object_get(o, key), i);
}

int report_severity_rank(const char *s)
{
        static const char *const names[] = {"info", "low", "medium", "high", "critical"};

        for (size_t i = 0; s && i < ELEMENTSOF(names); i++)
                if (strcmp(s, names[i]) == 0)
                        return (int)i;
        return -1;
}

const char *report_worst_finding(const json_t *service, size_t *ret_count)
{
        const char *worst = NULL;
        int rank = -2;
        size_t n = 0;

        for (size_t i = 0; i < report_array_size(service, "findings"); i++) {
                const char *s = report_str(report_array_get(service, "findings", i), "severity");
                int r = report_severity_rank(s);

                if (!s)
                        continue;
                if (r > rank) {
                        worst = s;
                        rank = r;
                        n = 1;
                } else if (r == rank)
                        n++;
        }
        if (ret_count)
                *ret_count = n;
        return worst;
}

bool report_top_score(const json_t *service, double *ret)
{
        bool have = false;
        double top = 0;

        for (size_t i = 0; i < report_array_size(service, "workloads"); i++) {
                double s;

                if (report_number(report_array_get(service, "workloads", i), "score", &s) &&
                    (!have || s > top)) {
                        top = s;
                        have = true;
                }
        }
        if (have)
                *ret = top;
        return have;
}

const char *report_score_rating(double score)
{
        return score < 1 ? "safe" : score < 4 ? "ok" : score < 7 ? "exposed" : "unsafe";
}

const char *report_workload_short(const char *s)
{
        const char *sp = strrchr(s, ' ');

        return sp && sp[1] ? sp + 1 : s;
}

static bool local_tm(uint64_t usec, struct tm *tm)
{
        time_t t;

        /* Past year 9999 strftime's output would change width. */
        if (usec > 253402300799ull * 1000000)
                return false;
        t = (time_t)(usec / 1000000);
        return localtime_r(&t, tm) != NULL;
}

char *report_time(uint64_t usec, char *buf, size_t size)
{
        struct tm tm;

        if (!local_tm(usec, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
                snprintf(buf, size, "?");
        return buf;
}

char *report_clock(uint64_t usec, bool with_date, char *buf, size_t size)
{
        struct tm tm;

        if (!local_tm(usec, &tm) ||
            strftime(buf, size, with_date ? "%m-%d %H:%M" : "%H:%M", &tm) == 0)
                snprintf(buf, size, "?");
        return buf;
}

char *report_span(uint64_t usec, char *buf, size_t size)
{
        uint64_t s = usec / 1000000;

        if (s < 60)
                snprintf(buf, size, "%llus", (unsigned long long)s);
        else if (s < 3600 && s % 60)
                snprintf(buf, size, "%llum %llus", (unsigned long long)(s / 60),
                         (unsigned long long)(s % 60));
        else if (s < 3600)
                snprintf(buf, size, "%llum", (unsigned long long)(s / 60));
        else if (s < 86400 && s % 3600 / 60)
                snprintf(buf, size, "%lluh %llum", (unsigned long long)(s / 3600),
                         (unsigned long long)(s % 3600 / 60));
        else if (s < 86400)
                snprintf(buf, size, "%lluh", (unsigned long long)(s / 3600));
        else if (s % 86400 / 3600)
                snprintf(buf, size, "%llud %lluh", (unsigned long long)(s / 86400),
                         (unsigned long long)(s % 86400 / 3600));
        else
                snprintf(buf, size, "%llud", (unsigned long long)(s / 86400));
        return buf;
}

/* Relative times are rounded down to what a reader needs: seconds under
 * a minute, whole minutes under an hour. */
static void span_coarse(uint64_t usec, char *buf, size_t size)
{
        uint64_t s = usec / 1000000;

        if (s >= 60 && s < 3600)
                snprintf(buf, size, "%llum", (unsigned long long)(s / 60));
        else
                report_span(usec, buf, size);
}

char *report_ago(uint64_t usec, uint64_t now_usec, char *buf, size_t size)
{
        char span[32];

        if (usec + 1000000 <= now_usec) {
                span_coarse(now_usec - usec, span, sizeof(span));
                snprintf(buf, size, "%s ago", span);
        } else if (usec <= now_usec + 1000000)
                snprintf(buf, size, "just now");
        else {
                span_coarse(usec - now_usec, span, sizeof(span));
                snprintf(buf, size, "in %s", span);
        }
        return buf;
}

bool report_next_line(const char *text, size_t len, size_t *pos, const char **ret_line,
                      size_t *ret_len)
{
        const char *nl;
        size_t at = *pos;

        if (at >= len)
                return false;
        nl = memchr(text + at, '\n', len - at);
        *ret_line = text + at;
        *ret_len = nl ? (size_t)(nl - (text + at)) : len - at;
        *pos = at + *ret_len + 1;
        return true;
}

size_t report_count_lines(const char *text, size_t len, size_t pos)
{
        const char *line;
        size_t n = 0, ll;

        while (report_next_line(text, len, &pos, &line, &ll))
                n++;
        return n;
}

void report_put_when(FILE *f, uint64_t usec, uint64_t now_usec)
{
        char t[64], ago[64];

        fprintf(f, "%s (%s)", report_time(usec, t, sizeof(t)),
                report_ago(usec, now_usec, ago, sizeof(ago)));
}
