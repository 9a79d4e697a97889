/* SPDX-License-Identifier: MIT */
/* The two things the state file and the change log both do with jansson:
 * build an object key by key, and turn it into text that ends in a
 * newline (the newline marks a complete file or line: anything cut short
 * is refused on reading). */
#pragma once

#include <jansson.h>
#include <stddef.h>

/* json_object_set_new() that also takes a NULL value (a failed
 * constructor) as out of memory. Returns 0 or -ENOMEM. */
int json_set_new(json_t *o, const char *key, json_t *v);

/* json_dumps(j, flags) followed by "\n". *ret (malloc'd, NUL-terminated)
 * and *ret_size (bytes without the NUL; may be NULL) are written only on
 * success. Returns 0 or -ENOMEM. */
int json_dump_line(const json_t *j, size_t flags, char **ret, size_t *ret_size);
