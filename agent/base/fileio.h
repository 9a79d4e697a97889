/* SPDX-License-Identifier: MIT */
/* Bounded file reading and atomic writing. libc only, never logs. */
#pragma once

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

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

/* mkdir -p: creates path and its missing parents with mode (an existing
 * directory is fine). path is absolute. Returns 0 or -errno. */
int mkdir_parents(const char *path, unsigned mode);

/* fsync of a directory: write_file_atomic syncs the file but not the
 * directory, and until the directory is synced the rename itself may be
 * lost in a power cut. Returns 0 or -errno. */
int fsync_dir(int dirfd);

/* Removes the temporaries write_file_atomic left for dirfd/name (a crash
 * mid-write): "<name>.tmp.*". For files only one process writes, at load
 * time, when every such temporary is stale. */
void remove_stale_temporaries(int dirfd, const char *name);

/* Renames dirfd/name to <name>.corrupt-<UTC YYYYmmddTHHMMSS.µsZ>[-N] (never
 * over an earlier kept file) and syncs the directory: a damaged file kept
 * for inspection. *ret_kept (may be NULL) gets the new name. Returns 0 or
 * -errno. */
int keep_aside(int dirfd, const char *name, uint64_t now_usec, char **ret_kept);
