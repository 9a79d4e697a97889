/* SPDX-License-Identifier: MIT */
/* "Did you mean" helpers. libc only, never logs. */
#pragma once

#include <stddef.h>

/* Edit distance counting insertions, deletions, substitutions and swaps of
 * adjacent characters (optimal string alignment). Inputs longer than 64
 * bytes give SIZE_MAX. */
size_t edit_distance(const char *a, const char *b);

/* Returns the candidate closest to word (borrowed from candidates), or NULL
 * when none is close enough to be a plausible typo. */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);
