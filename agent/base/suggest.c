/* SPDX-License-Identifier: MIT */
#include "suggest.h"

#include <stdint.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

size_t edit_distance(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b);
        size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

        if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
                return SIZE_MAX;
        for (size_t i = 0; i <= la; i++)
                d[i][0] = i;
        for (size_t j = 0; j <= lb; j++)
                d[0][j] = j;
        for (size_t i = 1; i <= la; i++)
                for (size_t j = 1; j <= lb; j++) {
                        size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

                        if (d[i - 1][j] + 1 < best)
                                best = d[i - 1][j] + 1;
                        if (d[i][j - 1] + 1 < best)
                                best = d[i][j - 1] + 1;
                        /* A swapped pair ("opne") is one typo, not two. */
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                            d[i - 2][j - 2] + 1 < best)
                                best = d[i - 2][j - 2] + 1;
                        d[i][j] = best;
                }
        return d[la][lb];
}

const char *suggest_closest(const char *word, const char *const *candidates, size_t n)
{
        const char *best = NULL;
        size_t best_d = SIZE_MAX;
        /* A third of the word, at least 1 and at most 3 edits: "opne" finds
         * "open", "bidn" finds "bind", but "foo" does not find "io". */
        size_t len = strlen(word), limit = len / 3;

        if (limit < 1)
                limit = 1;
        if (limit > 3)
                limit = 3;
        for (size_t i = 0; i < n; i++) {
                size_t d = edit_distance(word, candidates[i]);

                if (d < best_d) {
                        best_d = d;
                        best = candidates[i];
                }
        }
        return best_d <= limit ? best : NULL;
}
