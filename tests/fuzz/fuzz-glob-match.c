/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the path-glob matcher of match.executables: the
 * input is GLOB NUL PATH. Bounded work whatever the glob. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/glob-match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *buf = malloc(size + 2);
        const char *nul;

        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = buf[size + 1] = '\0';
        nul = memchr(buf, '\0', size + 1);
        /* A glob without special characters matches exactly itself. */
        if (glob_match_path(buf, nul + 1) && !strpbrk(buf, "*?[{@") && strcmp(buf, nul + 1) != 0)
                abort();
        free(buf);
        return 0;
}
