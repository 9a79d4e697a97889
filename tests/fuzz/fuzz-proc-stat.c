/* SPDX-License-Identifier: MIT */
/* libFuzzer target for /proc/PID/stat: any bytes, including a comm full of
 * parentheses, spaces and newlines. A parsed comm must be the bytes
 * between the first '(' and the last ')', and must print escaped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/proc-stat.h"
#include "posture/text-escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct proc_stat s;
        char out[PROC_COMM_MAX * 4 + 1];

        if (proc_stat_parse((const char *)data, size, &s) < 0)
                return 0;
        if (s.pid <= 0 || s.comm_len > PROC_COMM_MAX || s.comm[s.comm_len] != '\0')
                abort();
        if (memcmp((const char *)memchr(data, '(', size) + 1, s.comm, s.comm_len) != 0)
                abort();
        text_escape(s.comm, s.comm_len, false, out, sizeof(out));
        for (const char *p = out; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                        abort();
        return 0;
}
