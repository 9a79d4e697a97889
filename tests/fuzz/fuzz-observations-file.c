/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the observations file parser. The input is tried
 * twice: as a whole file (any bytes), and, since random bytes almost never
 * carry a right checksum, as the body of a file the harness wraps with a
 * correct CRC-32, so the field checks behind the checksum get fuzzed too.
 *
 * What is accepted must print back: with room for every key, to the same
 * meaning (the same checksum: the canonical body is unchanged); with a
 * key cap of 2, to a file that parses again and prints to the same bytes
 * (the keys past the cap are counted over it, once). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/json-file.h"
#include "events/observations-file.h"

static const char *crc_of(const char *file)
{
        const char *p = strstr(file, "\"crc32\":\"");

        return p ? p + 9 : NULL;
}

static void check(const char *data, size_t size)
{
        _cleanup_(observations_freep) struct observations *o = NULL, *small = NULL, *back = NULL;
        _cleanup_free_ char *text = NULL, *stext = NULL, *again = NULL;
        struct diag_list d;
        size_t n, sn, n2;
        const char *c1, *c2;

        if (diag_list_init(&d, OBSERVATIONS_FILE) < 0)
                return;
        if (observations_parse(data, size, 0, &d, &o) < 0) {
                if (!diag_has_errors(&d))
                        abort(); /* every refusal says why */
                diag_list_done(&d);
                return;
        }
        if (diag_has_errors(&d))
                abort();
        if (observations_format(o, &text, &n) < 0)
                abort();
        /* The input's crc32 is 8 hex digits (checked) wherever jansson put
         * it; the printer's is at a fixed place. */
        {
                json_t *top = json_loadb(data, size, 0, NULL);

                c1 = json_string_value(json_object_get(top, "crc32"));
                c2 = crc_of(text);
                if (!c1 || !c2 || strncmp(c1, c2, 8) != 0)
                        abort();
                json_decref(top);
        }
        if (observations_parse(data, size, 2, &d, &small) < 0 ||
            observations_format(small, &stext, &sn) < 0 ||
            observations_parse(stext, sn, 2, &d, &back) < 0 ||
            observations_format(back, &again, &n2) < 0 || sn != n2 || memcmp(stext, again, sn) != 0)
                abort();
        diag_list_done(&d);
}

static void check_as_body(const uint8_t *data, size_t size)
{
        json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        char *file;
        size_t n;

        if (!body)
                return;
        /* Compact, in the input's key order: the checksum must not depend
         * on either. */
        if (json_file_format(body, OBSERVATIONS_FORMAT_NAME, OBSERVATIONS_FORMAT_VERSION,
                             JSON_COMPACT, &file, &n) == 0) {
                check(file, n);
                free(file);
        }
        json_decref(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        check((const char *)data, size);
        check_as_body(data, size);
        return 0;
}
