/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "parse-util.h"
#include "time-util.h"

uint64_t now_realtime_usec(void)
{
        struct timespec ts;

        (void)clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000u;
}

static int from_tm(struct tm *tm, bool utc, uint64_t *ret_usec)
{
        time_t t;

        tm->tm_isdst = -1;
        t = utc ? timegm(tm) : mktime(tm);
        if (t == (time_t)-1 || t < 0)
                return -ERANGE;
        *ret_usec = (uint64_t)t * USEC_PER_SEC;
        return 0;
}

static int midnight(uint64_t now_usec, int days_back, uint64_t *ret_usec)
{
        time_t t = (time_t)(now_usec / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&t, &tm))
                return -ERANGE;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_mday -= days_back;
        return from_tm(&tm, false, ret_usec);
}

/* "90s", "15m", "15min", "2h", "1d", "2 days": a span in µs. */
static int parse_span(const char *s, uint64_t *ret_usec)
{
        static const struct {
                const char *unit;
                uint64_t usec;
        } units[] = {
            {"s", USEC_PER_SEC},
            {"sec", USEC_PER_SEC},
            {"second", USEC_PER_SEC},
            {"seconds", USEC_PER_SEC},
            {"m", 60 * USEC_PER_SEC},
            {"min", 60 * USEC_PER_SEC},
            {"minute", 60 * USEC_PER_SEC},
            {"minutes", 60 * USEC_PER_SEC},
            {"h", 3600 * USEC_PER_SEC},
            {"hour", 3600 * USEC_PER_SEC},
            {"hours", 3600 * USEC_PER_SEC},
            {"d", 86400 * USEC_PER_SEC},
            {"day", 86400 * USEC_PER_SEC},
            {"days", 86400 * USEC_PER_SEC},
        };
        char digits[21];
        size_t n = 0;
        uint64_t v;

        while (isdigit((unsigned char)s[n]) && n < sizeof(digits) - 1) {
                digits[n] = s[n];
                n++;
        }
        if (n == 0 || isdigit((unsigned char)s[n]))
                return -EINVAL;
        digits[n] = '\0';
        if (safe_atou64_max(digits, UINT64_MAX, &v) < 0)
                return -EINVAL;
        s += n;
        while (*s == ' ')
                s++;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
                if (strcmp(s, units[i].unit) == 0) {
                        if (v > UINT64_MAX / units[i].usec)
                                return -ERANGE;
                        *ret_usec = v * units[i].usec;
                        return 0;
                }
        return -EINVAL;
}

static int parse_relative(const char *s, uint64_t now_usec, uint64_t *ret_usec)
{
        char buf[64];
        size_t n = strlen(s);
        uint64_t span;
        int r;

        if (s[0] == '-')
                r = parse_span(s + 1, &span);
        else if (n > 4 && n < sizeof(buf) && strcmp(s + n - 4, " ago") == 0) {
                memcpy(buf, s, n - 4);
                buf[n - 4] = '\0';
                r = parse_span(buf, &span);
        } else
                return -EINVAL;
        if (r < 0)
                return r;
        if (span > now_usec)
                return -ERANGE;
        *ret_usec = now_usec - span;
        return 0;
}

static int parse_epoch(const char *s, uint64_t *ret_usec)
{
        char sec[21];
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        uint64_t v, frac = 0;

        if (n == 0 || n >= sizeof(sec))
                return -EINVAL;
        memcpy(sec, s, n);
        sec[n] = '\0';
        if (safe_atou64_max(sec, 253402300799ull, &v) < 0)
                return -EINVAL;
        if (dot) {
                uint64_t scale = 100000;
                const char *p = dot + 1;

                if (!*p)
                        return -EINVAL;
                for (; *p; p++) {
                        if (!isdigit((unsigned char)*p))
                                return -EINVAL;
                        frac += (uint64_t)(*p - '0') * scale;
                        scale /= 10;
                }
        }
        *ret_usec = v * USEC_PER_SEC + frac;
        return 0;
}

static int parse_calendar(const char *s, uint64_t *ret_usec)
{
        struct tm tm = {0};
        char rest[8] = "";
        int year, mon, day, hour = 0, min = 0, sec = 0, consumed = 0;
        bool utc = false;

        if (sscanf(s, "%4d-%2d-%2d%n", &year, &mon, &day, &consumed) != 3 || consumed != 10)
                return -EINVAL;
        s += consumed;
        if (*s == ' ' || *s == 'T') {
                int c2 = 0;

                if (sscanf(s + 1, "%2d:%2d%n", &hour, &min, &c2) != 2 || c2 != 5)
                        return -EINVAL;
                s += 1 + c2;
                if (*s == ':') {
                        if (sscanf(s + 1, "%2d%n", &sec, &c2) != 1 || c2 != 2)
                                return -EINVAL;
                        s += 3;
                }
        }
        if (strlen(s) >= sizeof(rest))
                return -EINVAL;
        strcpy(rest, s);
        if (strcmp(rest, "Z") == 0 || strcmp(rest, " UTC") == 0 || strcmp(rest, "UTC") == 0)
                utc = true;
        else if (rest[0])
                return -EINVAL;
        if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 ||
            min > 59 || sec > 60 || hour < 0 || min < 0 || sec < 0)
                return -EINVAL;
        tm.tm_year = year - 1900;
        tm.tm_mon = mon - 1;
        tm.tm_mday = day;
        tm.tm_hour = hour;
        tm.tm_min = min;
        tm.tm_sec = sec;
        return from_tm(&tm, utc, ret_usec);
}

int parse_time_point(const char *s, uint64_t now_usec, uint64_t *ret_usec)
{
        if (!s || !*s || strlen(s) > 40)
                return -EINVAL;
        if (strcmp(s, "now") == 0) {
                *ret_usec = now_usec;
                return 0;
        }
        if (strcmp(s, "today") == 0)
                return midnight(now_usec, 0, ret_usec);
        if (strcmp(s, "yesterday") == 0)
                return midnight(now_usec, 1, ret_usec);
        if (s[0] == '@')
                return parse_epoch(s + 1, ret_usec);
        if (isdigit((unsigned char)s[0]) && strchr(s, '-') && !strstr(s, "ago"))
                return parse_calendar(s, ret_usec);
        return parse_relative(s, now_usec, ret_usec);
}

char *format_time_iso_ms(uint64_t usec, char *buf, size_t size)
{
        time_t t = (time_t)(usec / USEC_PER_SEC);
        struct tm tm;

        if (!gmtime_r(&t, &tm) ||
            snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     (unsigned)(usec % USEC_PER_SEC / 1000u)) < 0)
                snprintf(buf, size, "?");
        return buf;
}

uint64_t now_monotonic_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000u;
}
