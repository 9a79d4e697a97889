/* SPDX-License-Identifier: MIT */
/* state_load and state_save: the file handling (json-file.h) around the
 * pure parser and printer in state.c. */
#include <errno.h>

#include "json-file.h"
#include "state.h"

static int parse_into(const char *data, size_t size, struct diag_list *diags, void *userdata)
{
        return state_parse(data, size, diags, userdata);
}

int state_load(int dirfd, uint64_t now_usec, struct diag_list *diags,
               struct hardend_state **ret_state, char **ret_kept_aside)
{
        _cleanup_state_ struct hardend_state *s = NULL;
        _cleanup_free_ char *kept = NULL;
        int loaded;

        loaded = json_file_load(dirfd, STATE_FILE, STATE_FILE_MAX, now_usec, diags, parse_into, &s,
                                &kept);
        if (loaded < 0)
                return loaded;
        /* No file, or a file put aside: the policy defaults. */
        if (!s) {
                s = state_new();
                if (!s)
                        return -ENOMEM;
        }
        *ret_state = TAKE_PTR(s);
        if (ret_kept_aside)
                *ret_kept_aside = TAKE_PTR(kept);
        return loaded;
}

int state_save(int dirfd, const struct hardend_state *s)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = state_format(s, &data, &size);
        if (r < 0)
                return r;
        return json_file_save(dirfd, STATE_FILE, data, size);
}
