/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the parser of apparmor_parser's stderr (outside
 * input: another program's output). Beyond "no crash, no leak, no UB", it
 * checks the promises of apparmor_parser_message_parse(): bounded,
 * printable strings, and a line only when the error is located. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor/apparmor-compile.h"

static void check_printable(const char *s)
{
        size_t n;

        if (!s)
                return;
        n = strlen(s);
        if (n == 0 || n > APPARMOR_MESSAGE_MAX)
                abort();
        for (size_t i = 0; i < n; i++)
                if (s[i] < 0x20 || s[i] >= 0x7f)
                        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct apparmor_parser_error e = {0};
        int r;

        r = apparmor_parser_message_parse((const char *)data, size, APPARMOR_PARSER_INPUT, &e);
        if (r == 0) {
                if (!e.message)
                        abort();
                check_printable(e.message);
                check_printable(e.subject);
                if (e.line > 0 && !memmem(data, size, " at line ", 9))
                        abort();
                if (e.output || e.where.line)
                        abort();
        } else if (r != -ENOMSG || e.message || e.subject)
                abort();
        apparmor_parser_error_done(&e);
        return 0;
}
