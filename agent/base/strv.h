/* SPDX-License-Identifier: MIT */
/* NULL-terminated string vectors. libc only, never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define STRV_FOREACH(s, l) for (char **s = (l); s && *s; s++)

size_t strv_length(char *const *l);
/* Appends a copy of s. Returns 0 or -ENOMEM; *l is unchanged on failure. */
int strv_extend(char ***l, const char *s);
/* Appends s itself (takes ownership on success only). */
int strv_push(char ***l, char *s);
bool strv_contains(char *const *l, const char *s);
char **strv_free(char **l);
void strv_freep(char ***l);
#define _cleanup_strv_free_ __attribute__((cleanup(strv_freep)))
