/* SPDX-License-Identifier: MIT */
/* Reading a service's timeline (events and denials per bucket) the same
 * way for every format, and the sparkline text and Markdown show it as. */
#include <math.h>
#include <string.h>

#include "report-internal.h"

size_t report_timeline_buckets(const json_t *timeline)
{
        size_t e = report_array_size(timeline, "events"),
               d = report_array_size(timeline, "denials");
        size_t n = e > d ? e : d;

        return n > REPORT_MAX_BUCKETS ? REPORT_MAX_BUCKETS : n;
}

uint64_t report_timeline_value(const json_t *timeline, const char *series, size_t i)
{
        const json_t *v = report_array_get(timeline, series, i);

        return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v)
                                                               : 0;
}

uint64_t report_timeline_peak(const json_t *timeline, const char *series, size_t *ret_index)
{
        uint64_t peak = 0;
        size_t at = 0, n = report_timeline_buckets(timeline);

        for (size_t i = 0; i < n; i++) {
                uint64_t v = report_timeline_value(timeline, series, i);

                if (v > peak) {
                        peak = v;
                        at = i;
                }
        }
        if (ret_index)
                *ret_index = at;
        return peak;
}

uint64_t report_timeline_time(const json_t *timeline, size_t i)
{
        uint64_t start = 0, bucket = 0;

        (void)report_uint(timeline, "start_usec", &start);
        (void)report_uint(timeline, "bucket_usec", &bucket);
        if (bucket != 0 && i > (UINT64_MAX - start) / bucket)
                return UINT64_MAX;
        return start + (uint64_t)i * bucket;
}

bool report_sparkline(const json_t *timeline, const char *series, size_t width, char *buf,
                      size_t size)
{
        static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
        size_t n = report_timeline_buckets(timeline), cols, len = 0;
        uint64_t peak = report_timeline_peak(timeline, series, NULL);

        if (n == 0 || width == 0 || size == 0)
                return false;
        cols = n < width ? n : width;
        for (size_t c = 0; c < cols; c++) {
                uint64_t v = 0;
                const char *cell = " ";

                /* Each column shows the busiest of the buckets it covers, so
                 * a lone burst never averages away. */
                for (size_t i = c * n / cols; i < (c + 1) * n / cols; i++) {
                        uint64_t x = report_timeline_value(timeline, series, i);

                        v = x > v ? x : v;
                }
                if (v > 0) {
                        /* (0, 1/8] of the peak is the lowest block, (7/8, 1] the top. */
                        double x = ceil((double)v * 8 / (double)peak);

                        cell = blocks[x >= 8 ? 7 : x <= 1 ? 0 : (size_t)x - 1];
                }
                if (len + strlen(cell) + 1 > size)
                        break;
                memcpy(buf + len, cell, strlen(cell));
                len += strlen(cell);
        }
        buf[len] = '\0';
        return true;
}
