/* SPDX-License-Identifier: MIT */
/* Printing bytes that came from the kernel or from a container (comm,
 * cmdline, paths, labels): they may hold anything, including newlines and
 * terminal escapes. libc only, no logging. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Writes data as C-escaped text into buf: printable ASCII except '\\' and
 * '"' as is, \n \t \r \\ \" and \xHH for every other byte. With
 * nul_as_space, NUL bytes (cmdline separators) become spaces and a final
 * NUL is dropped. Always NUL-terminates; when buf is too small the text
 * ends in "..." and never in a cut escape. Returns buf. */
char *text_escape(const void *data, size_t len, bool nul_as_space, char *buf, size_t size);

/* Largest output text_escape() can need for len bytes, NUL included; a
 * constant expression, for buffer sizes. */
#define TEXT_ESCAPE_SIZE(len) ((len)*4 + 1)
static inline size_t text_escape_size(size_t len)
{
        return TEXT_ESCAPE_SIZE(len);
}
