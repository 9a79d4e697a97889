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
        if (!s || !isdigit((unsigned char)s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 0);
        if (errno == ERANGE)
                return -ERANGE;
        if (errno != 0 || end == s || *end != '\0')
                return -EINVAL;
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}
