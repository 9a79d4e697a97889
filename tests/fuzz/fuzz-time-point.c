/* SPDX-License-Identifier: MIT */
/* libFuzzer target for --since values: any bytes (as a C string). A time
 * that parses must not lie in the future of "now" unless it was written
 * as a calendar date or an epoch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/time-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const uint64_t now = 1795356141ull * USEC_PER_SEC;
        char s[64];
        uint64_t t;
        char buf[32];

        if (size >= sizeof(s))
                return 0;
        memcpy(s, data, size);
        s[size] = '\0';
        if (parse_time_point(s, now, &t) < 0)
                return 0;
        if ((s[0] == '-' || strstr(s, " ago")) && t > now)
                abort();
        format_time_iso_ms(t, buf, sizeof(buf));
        return 0;
}
