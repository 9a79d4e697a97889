/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the state file parser. The input is tried twice:
 * as a whole file (any bytes), and, since random bytes almost never carry
 * a right checksum, as the body of a file the harness wraps with a correct
 * CRC-32, so the field checks behind the checksum get fuzzed too. A state
 * that parses must be valid by every rule (names, order) and print back to
 * the same state, which must parse again. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/json-file.h"
#include "control/state.h"

static void check(const char *data, size_t size)
{
        _cleanup_state_ struct hardend_state *s = NULL, *back = NULL;
        _cleanup_free_ char *text = NULL, *again = NULL;
        struct diag_list d;
        size_t n, n2;

        if (diag_list_init(&d, STATE_FILE) < 0)
                return;
        if (state_parse(data, size, &d, &s) < 0) {
                if (!diag_has_errors(&d))
                        abort(); /* every refusal says why */
                diag_list_done(&d);
                return;
        }
        if (diag_has_errors(&d) || s->n_services > STATE_SERVICES_MAX)
                abort();
        for (size_t i = 0; i < s->n_services; i++)
                if (!state_service_name_valid(s->services[i].name) ||
                    (i > 0 && strcmp(s->services[i - 1].name, s->services[i].name) >= 0))
                        abort();
        if (state_format(s, &text, &n) < 0)
                abort();
        if (state_parse(text, n, &d, &back) < 0)
                abort();
        if (state_format(back, &again, &n2) < 0 || n != n2 || memcmp(text, again, n) != 0)
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
        if (json_file_format(body, STATE_FORMAT_NAME, STATE_FORMAT_VERSION, JSON_COMPACT, &file,
                             &n) == 0) {
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
