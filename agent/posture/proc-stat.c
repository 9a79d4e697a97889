/* SPDX-License-Identifier: MIT */
#include "proc-stat.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* Parses an unsigned decimal of [p, end) ending at a space or end; advances
 * *pp past it and the one space after. */
static int next_u64(const char **pp, const char *end, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;

        if (p >= end || *p < '0' || *p > '9')
                return -EINVAL;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
                if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
                        return -EINVAL;
                v = v * 10 + (uint64_t)(*p - '0');
        }
        if (p < end) {
                if (*p != ' ')
                        return -EINVAL;
                p++;
        }
        *pp = p;
        *ret = v;
        return 0;
}

/* Skips a signed decimal field (priority and nice may be negative). */
static int skip_field(const char **pp, const char *end)
{
        const char *p = *pp;

        if (p < end && *p == '-')
                p++;
        if (p >= end || *p < '0' || *p > '9')
                return -EINVAL;
        while (p < end && *p >= '0' && *p <= '9')
                p++;
        if (p < end) {
                if (*p != ' ')
                        return -EINVAL;
                p++;
        }
        *pp = p;
        return 0;
}

int proc_stat_parse(const char *buf, size_t len, struct proc_stat *ret)
{
        struct proc_stat s = {0};
        const char *end, *open, *close, *p;
        uint64_t v;

        if (len > PROC_STAT_MAX)
                return -E2BIG;
        end = buf + len;
        if (len > 0 && end[-1] == '\n')
                end--;
        /* The line holds exactly one record: no NUL, no newline outside comm
         * is checked below through the field grammar. */
        if (memchr(buf, '\0', (size_t)(end - buf)))
                return -EINVAL;

        p = buf;
        if (next_u64(&p, end, &v) < 0 || v == 0 || v > INT_MAX)
                return -EINVAL;
        s.pid = (pid_t)v;
        if (p >= end || *p != '(')
                return -EINVAL;
        open = p;
        close = NULL;
        for (const char *q = end; q > open; q--)
                if (q[-1] == ')') {
                        close = q - 1;
                        break;
                }
        if (!close || close == open)
                return -EINVAL;
        if ((size_t)(close - open - 1) > PROC_COMM_MAX)
                return -E2BIG;
        s.comm_len = (size_t)(close - open - 1);
        memcpy(s.comm, open + 1, s.comm_len);
        s.comm[s.comm_len] = '\0';

        p = close + 1;
        if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
                return -EINVAL;
        s.state = p[1];
        if (!strchr("RSDZTtWXxKPI", s.state))
                return -EINVAL;
        p += 3;
        /* Field 4 is ppid; fields are numbered as in proc(5). */
        for (int field = 4; field <= 22; field++) {
                switch (field) {
                case 4:
                case 9:
                case 20:
                case 22:
                        if (next_u64(&p, end, &v) < 0)
                                return -EINVAL;
                        if (field == 4) {
                                if (v > INT_MAX)
                                        return -EINVAL;
                                s.ppid = (pid_t)v;
                        } else if (field == 9) {
                                if (v > UINT_MAX)
                                        return -EINVAL;
                                s.flags = (unsigned)v;
                        } else if (field == 20) {
                                if (v > UINT_MAX)
                                        return -EINVAL;
                                s.num_threads = (unsigned)v;
                        } else
                                s.start_time = v;
                        break;
                default:
                        if (skip_field(&p, end) < 0)
                                return -EINVAL;
                        break;
                }
        }
        /* Later fields are not needed; they must still look like fields. */
        for (const char *q = p; q < end; q++)
                if (!((*q >= '0' && *q <= '9') || *q == ' ' || *q == '-'))
                        return -EINVAL;
        *ret = s;
        return 0;
}
