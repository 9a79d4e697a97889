/* SPDX-License-Identifier: MIT */
/* Durations and byte sizes as operators write them in the configuration,
 * and back in the shortest exact form the printer uses. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/macro.h"
#include "base/parse-util.h"
#include "config.h"

struct unit {
        const char *name;
        uint64_t factor;
};

#define SEC (1000000ull)

static const struct unit duration_units[] = {
    {"s", SEC},           {"sec", SEC},          {"second", SEC},       {"seconds", SEC},
    {"m", 60 * SEC},      {"min", 60 * SEC},     {"minute", 60 * SEC},  {"minutes", 60 * SEC},
    {"h", 3600 * SEC},    {"hour", 3600 * SEC},  {"hours", 3600 * SEC}, {"d", 86400 * SEC},
    {"day", 86400 * SEC}, {"days", 86400 * SEC},
};

static const struct unit size_units[] = {
    {"", 1},
    {"K", 1ull << 10},
    {"KiB", 1ull << 10},
    {"M", 1ull << 20},
    {"MiB", 1ull << 20},
    {"G", 1ull << 30},
    {"GiB", 1ull << 30},
};

/* A decimal number, optional blanks, then one of units (exact spelling). */
static int parse_with_unit(const char *s, const struct unit *units, size_t n_units, uint64_t *ret)
{
        char digits[21];
        size_t n = 0;
        uint64_t v;
        int r;

        while (isdigit((unsigned char)s[n])) {
                if (n >= sizeof(digits) - 1)
                        return -ERANGE;
                digits[n] = s[n];
                n++;
        }
        if (n == 0)
                return -EINVAL;
        digits[n] = '\0';
        /* Decimal only: "0x10s" or "010s" is a typo, not a number. */
        if (n > 1 && digits[0] == '0')
                return -EINVAL;
        r = safe_atou64_max(digits, UINT64_MAX, &v);
        if (r < 0)
                return r;
        s += n;
        while (*s == ' ')
                s++;
        for (size_t i = 0; i < n_units; i++)
                if (strcmp(s, units[i].name) == 0) {
                        if (v > UINT64_MAX / units[i].factor)
                                return -ERANGE;
                        *ret = v * units[i].factor;
                        return 0;
                }
        return -EINVAL;
}

int config_parse_duration(const char *s, uint64_t *ret_usec)
{
        return parse_with_unit(s, duration_units, ELEMENTSOF(duration_units), ret_usec);
}

int config_parse_size(const char *s, uint64_t *ret_bytes)
{
        return parse_with_unit(s, size_units, ELEMENTSOF(size_units), ret_bytes);
}

/* units[] from largest to smallest; the first that divides v exactly. */
static char *format_with_unit(uint64_t v, const struct unit *units, size_t n_units, char *buf,
                              size_t size)
{
        for (size_t i = 0; i < n_units; i++)
                if (v == 0 ? i == n_units - 1 : v % units[i].factor == 0) {
                        snprintf(buf, size, "%llu%s", (unsigned long long)(v / units[i].factor),
                                 units[i].name);
                        return buf;
                }
        /* Unreachable: the last unit is always 1 (or 1 s for durations,
         * which the parser only produces in whole seconds). */
        snprintf(buf, size, "%llu", (unsigned long long)v);
        return buf;
}

char *config_format_duration(uint64_t usec, char *buf, size_t size)
{
        static const struct unit out[] = {
            {"d", 86400 * SEC}, {"h", 3600 * SEC}, {"m", 60 * SEC}, {"s", SEC}};

        return format_with_unit(usec, out, ELEMENTSOF(out), buf, size);
}

char *config_format_size(uint64_t bytes, char *buf, size_t size)
{
        static const struct unit out[] = {
            {"G", 1ull << 30}, {"M", 1ull << 20}, {"K", 1ull << 10}, {"", 1}};

        return format_with_unit(bytes, out, ELEMENTSOF(out), buf, size);
}
