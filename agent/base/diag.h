/* SPDX-License-Identifier: MIT */
/* Located diagnostics ("FILE:LINE:COL: message") collected by parsers and
 * validators and printed by the programs. libc only, never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"

/* One position in a source file; 1-based. line == 0 means "the whole file". */
struct loc {
        unsigned line;
        unsigned col;
};

struct diag {
        struct loc loc;
        char *message;
};

/* Past this many, further diagnostics are counted but not kept: a hostile
 * file cannot make us allocate without bound. */
#define DIAG_MAX 200

struct diag_list {
        char *file; /* owned; the name printed before every message */
        struct diag *items;
        size_t n;
        size_t dropped;
};

int diag_list_init(struct diag_list *d, const char *file);
void diag_list_done(struct diag_list *d);
/* Adds a message. Returns -ENOMEM if it could not be recorded (it is then
 * counted as dropped, so has_errors stays true). */
_printf_(3, 4) int diag_add(struct diag_list *d, struct loc loc, const char *fmt, ...);
static inline bool diag_has_errors(const struct diag_list *d)
{
        return d->n > 0 || d->dropped > 0;
}
/* Sorts by position and prints one line per diagnostic. */
void diag_print(struct diag_list *d, FILE *f);
/* The same lines as one string without the last newline (malloc'd; NULL
 * on allocation failure). */
char *diag_to_text(struct diag_list *d);
