/* SPDX-License-Identifier: MIT */
/* Reading /proc files relative to a directory fd, with every size capped.
 * No logging; -errno returns. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* How a file ends: a seq_file built by one show() call (stat, status,
 * cgroup, attr/current...) hands everything over in the first read when the
 * buffer is large enough, so a short read is the end; a multi-record file
 * (mountinfo) must be read until read() returns 0. Regular files (fixture
 * trees) behave like the first kind. */
enum proc_read_mode {
        PROC_READ_SINGLE,
        PROC_READ_TO_EOF,
};

/* Reads dirfd/name into buf (size bytes, size >= 2), NUL-terminates it and
 * returns the length, -EFBIG when the file does not fit in size - 1 bytes,
 * or -errno (-ENOENT, -ESRCH for a process that went away, -EINVAL for an
 * attribute no LSM provides...). */
int proc_read_at(int dirfd, const char *name, enum proc_read_mode mode, char *buf, size_t size);

/* Same, into a heap buffer that grows from initial up to max bytes.
 * *ret_data (NUL-terminated) and *ret_size are written only on success. */
int proc_read_alloc(int dirfd, const char *name, size_t initial, size_t max, char **ret_data,
                    size_t *ret_size);

/* The same for an open fd (read from its current offset to the end). */
int fd_read_alloc(int fd, size_t initial, size_t max, char **ret_data, size_t *ret_size);

/* readlinkat() into buf with a NUL; -ENAMETOOLONG when it does not fit. */
int proc_readlink_at(int dirfd, const char *name, char *buf, size_t size);
