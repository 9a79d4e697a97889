/* SPDX-License-Identifier: MIT */
/* Unified diff of two texts, as `diff -u` prints it: how `hardenctl
 * propose` shows a proposed policy against the file it would replace.
 *
 * Lines are compared byte for byte (a last line without its newline
 * differs from the same line with one, and is followed by "\ No newline at
 * end of file"). The edit script is a shortest one (Myers' O(ND) with
 * linear space); among equally short ones, runs of changes are slid the
 * way GNU diff slides them (down, unless a change in the other text lines
 * up with them), so the output matches `diff -u` on ordinary files.
 * There is no cost cap (GNU diff has a heuristic one): the bounds below
 * keep the worst case, two unrelated texts of 20000 lines made of a few
 * distinct lines, under a second. */
#pragma once

#include <stddef.h>

#define TEXT_DIFF_MAX_BYTES (256u * 1024u)
#define TEXT_DIFF_MAX_LINES 20000u

/* Writes the unified diff of a (a_size bytes) and b into *ret (malloc'ed,
 * NUL-terminated): "--- a_label" and "+++ b_label" headers, then hunks
 * "@@ -l,n +l,n @@" with context lines of context on each side. An empty
 * string when the texts are equal. -E2BIG when a text is over
 * TEXT_DIFF_MAX_BYTES or TEXT_DIFF_MAX_LINES, -EINVAL for a label with a
 * line break, -ENOMEM. */
int text_diff_unified(const char *a, size_t a_size, const char *b, size_t b_size,
                      const char *a_label, const char *b_label, unsigned context, char **ret);
