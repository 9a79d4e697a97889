/* SPDX-License-Identifier: MIT */
/* state_load and state_save: the file handling around the pure parser and
 * printer in state.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/fileio.h"
#include "state.h"

/* write_file_atomic names its temporary STATE_FILE ".tmp.<pid>". */
#define TMP_PREFIX STATE_FILE ".tmp."

/* write_file_atomic fsyncs the file but not the directory: until the
 * directory is synced too, the rename itself may be lost in a power cut. */
static int sync_dir(int dirfd)
{
        return fsync(dirfd) < 0 ? negative_errno() : 0;
}

/* A crash inside state_save leaves its temporary file behind; only this
 * agent writes state_dir, so at load time every one of them is stale. */
static void remove_stale_temporaries(int dirfd)
{
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;

        if (opendir_at(dirfd, ".", &d) < 0)
                return;
        while ((de = readdir(d)))
                if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0)
                        (void)unlinkat(dirfd, de->d_name, 0);
}

/* Renames state.json to state.json.corrupt-<UTC time, µs>[-N], never over
 * an earlier kept file. */
static int keep_aside(int dirfd, uint64_t now_usec, char **ret_name)
{
        time_t sec = (time_t)(now_usec / 1000000);
        char stamp[32], name[96];
        struct tm tm;

        if (!gmtime_r(&sec, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm) == 0)
                return -EINVAL;
        for (unsigned n = 0; n < 100; n++) {
                if (n == 0)
                        snprintf(name, sizeof(name), "%s.corrupt-%s.%06lluZ", STATE_FILE, stamp,
                                 (unsigned long long)(now_usec % 1000000));
                else
                        snprintf(name, sizeof(name), "%s.corrupt-%s.%06lluZ-%u", STATE_FILE, stamp,
                                 (unsigned long long)(now_usec % 1000000), n);
                if (renameat2(dirfd, STATE_FILE, dirfd, name, RENAME_NOREPLACE) == 0) {
                        int r = sync_dir(dirfd);

                        if (r < 0)
                                return r;
                        if (ret_name) {
                                *ret_name = strdup(name);
                                if (!*ret_name)
                                        return -ENOMEM;
                        }
                        return 0;
                }
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

int state_load(int dirfd, uint64_t now_usec, struct diag_list *diags,
               struct hardend_state **ret_state, char **ret_kept_aside)
{
        _cleanup_state_ struct hardend_state *s = NULL;
        _cleanup_free_ char *data = NULL, *kept = NULL;
        size_t size = 0;
        int r;

        remove_stale_temporaries(dirfd);
        r = read_file_bounded(dirfd, STATE_FILE, STATE_FILE_MAX, &data, &size);
        if (r == -ENOENT) {
                s = state_new();
                if (!s)
                        return -ENOMEM;
                *ret_state = TAKE_PTR(s);
                if (ret_kept_aside)
                        *ret_kept_aside = NULL;
                return 0;
        }
        if (r == -EFBIG)
                diag_add(diags, (struct loc){0, 0}, "file is larger than %u bytes", STATE_FILE_MAX);
        else if (r == -EISDIR)
                diag_add(diags, (struct loc){0, 0}, "is a directory, not a file");
        else if (r < 0)
                return r;
        else {
                r = state_parse(data, size, diags, &s);
                if (r == 0) {
                        *ret_state = TAKE_PTR(s);
                        if (ret_kept_aside)
                                *ret_kept_aside = NULL;
                        return 0;
                }
                if (r != -EINVAL)
                        return r;
        }
        r = keep_aside(dirfd, now_usec, &kept);
        if (r < 0)
                return r;
        s = state_new();
        if (!s)
                return -ENOMEM;
        *ret_state = TAKE_PTR(s);
        if (ret_kept_aside)
                *ret_kept_aside = TAKE_PTR(kept);
        return 1;
}

int state_save(int dirfd, const struct hardend_state *s)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = state_format(s, &data, &size);
        if (r < 0)
                return r;
        r = write_file_atomic(dirfd, STATE_FILE, data, size, 0600);
        if (r < 0)
                return r;
        return sync_dir(dirfd);
}
