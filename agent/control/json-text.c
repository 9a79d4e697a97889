/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-text.h"

int json_set_new(json_t *o, const char *key, json_t *v)
{
        return v && json_object_set_new(o, key, v) == 0 ? 0 : -ENOMEM;
}

int json_dump_line(const json_t *j, size_t flags, char **ret, size_t *ret_size)
{
        char *text = json_dumps(j, flags), *out;
        size_t len;

        if (!text)
                return -ENOMEM;
        len = strlen(text);
        out = realloc(text, len + 2);
        if (!out) {
                free(text);
                return -ENOMEM;
        }
        out[len] = '\n';
        out[len + 1] = '\0';
        *ret = out;
        if (ret_size)
                *ret_size = len + 1;
        return 0;
}
