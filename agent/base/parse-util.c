/* SPDX-License-Identifier: MIT */
#include "parse-util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int safe_atou64_max(const char *s, uint64_t max, uint64_t *ret)
{
        unsigned long long v;
        char *end;

        /* strtoull accepts leading blanks and a minus sign; we do not. */
        int base = 10;

        if (!s || !isdigit((unsigned char)s[0]))
                return -EINVAL;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                base = 16;
        else if (s[0] == '0' && s[1] != '\0')
                return -EINVAL; /* "010": octal to C, ten to a person; refuse */
        errno = 0;
        v = strtoull(s, &end, base);
        if (errno == ERANGE)
                return -ERANGE;
        if (errno != 0 || end == s || *end != '\0')
                return -EINVAL;
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}
