/* SPDX-License-Identifier: MIT */
#include "proc-read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/macro.h"

static ssize_t read_retry(int fd, char *buf, size_t size)
{
        for (;;) {
                ssize_t n = read(fd, buf, size);

                if (n >= 0 || errno != EINTR)
                        return n;
        }
}

int proc_read_at(int dirfd, const char *name, enum proc_read_mode mode, char *buf, size_t size)
{
        _cleanup_close_ int fd = -1;
        size_t len = 0;

        if (size < 2 || size > (size_t)1 << 30)
                return -EINVAL;
        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        for (;;) {
                ssize_t n = read_retry(fd, buf + len, size - 1 - len);

                if (n < 0)
                        return negative_errno();
                len += (size_t)n;
                if (n == 0)
                        break;
                if (len == size - 1) {
                        char probe;

                        /* Full buffer: only a read of 0 proves the end. */
                        n = read_retry(fd, &probe, 1);
                        if (n < 0)
                                return negative_errno();
                        if (n > 0)
                                return -EFBIG;
                        break;
                }
                if (mode == PROC_READ_SINGLE)
                        break;
        }
        buf[len] = '\0';
        return (int)len;
}

int fd_read_alloc(int fd, size_t initial, size_t max, char **ret_data, size_t *ret_size)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap = initial;

        if (initial < 2 || max < initial || max > (size_t)1 << 30)
                return -EINVAL;
        buf = malloc(cap);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n;

                if (len + 1 >= cap) {
                        size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
                        char *nbuf;

                        if (len >= max) {
                                char probe;

                                n = read_retry(fd, &probe, 1);
                                if (n < 0)
                                        return negative_errno();
                                if (n > 0)
                                        return -EFBIG;
                                break;
                        }
                        nbuf = realloc(buf, ncap);
                        if (!nbuf)
                                return -ENOMEM;
                        buf = nbuf;
                        cap = ncap;
                }
                n = read_retry(fd, buf + len, cap - 1 - len);
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        buf[len] = '\0';
        *ret_data = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = len;
        return 0;
}

int proc_read_alloc(int dirfd, const char *name, size_t initial, size_t max, char **ret_data,
                    size_t *ret_size)
{
        _cleanup_close_ int fd = -1;

        fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        return fd_read_alloc(fd, initial, max, ret_data, ret_size);
}

int proc_readlink_at(int dirfd, const char *name, char *buf, size_t size)
{
        ssize_t n;

        if (size < 2)
                return -EINVAL;
        n = readlinkat(dirfd, name, buf, size);
        if (n < 0)
                return negative_errno();
        if ((size_t)n >= size)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        return (int)n;
}
