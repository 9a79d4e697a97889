/* SPDX-License-Identifier: MIT */
/* Bounded file reading and atomic writing. libc only, never logs. */
#pragma once

#include <dirent.h>
#include <stddef.h>

/* Reads at most max bytes of dirfd/path (dirfd may be AT_FDCWD) into a
 * NUL-terminated buffer. Returns 0, -EFBIG when the file is larger than max,
 * or -errno. *ret_data and *ret_size are written only on success. */
int read_file_bounded(int dirfd, const char *path, size_t max, char **ret_data, size_t *ret_size);

/* Opens dirfd/path as a directory stream (path "." for dirfd itself).
 * Returns 0 and *ret (close with closedir), or -errno. */
int opendir_at(int dirfd, const char *path, DIR **ret);

static inline void closedirp(DIR **d)
{
        if (*d)
                (void)closedir(*d);
}

/* Writes data to dirfd/path atomically: a temporary file in the same
 * directory, fsync, rename over the target. mode is the new file's mode. */
int write_file_atomic(int dirfd, const char *path, const void *data, size_t size, unsigned mode);
