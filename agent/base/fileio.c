/* SPDX-License-Identifier: MIT */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include <time.h>

#include "macro.h"

int read_file_bounded(int dirfd, const char *path, size_t max, char **ret_data, size_t *ret_size)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        struct stat st;

        fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        /* /proc and pipes report size 0: never trust st_size, read up to
         * max + 1 bytes to tell "exactly max" from "too large". */
        buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(fd, buf + size, max + 1 - size);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        break;
                size += (size_t)n;
                if (size > max)
                        return -EFBIG;
        }
        buf[size] = '\0';
        *ret_data = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

int opendir_at(int dirfd, const char *path, DIR **ret)
{
        int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;

        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d) {
                int r = negative_errno();

                close(fd);
                return r;
        }
        *ret = d;
        return 0;
}

int write_file_atomic(int dirfd, const char *path, const void *data, size_t size, unsigned mode)
{
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        const char *p = data;
        int r;

        if (asprintf(&tmp, "%s.tmp.%d", path, (int)getpid()) < 0)
                return -ENOMEM;
        fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return negative_errno();
        while (size > 0) {
                ssize_t n = write(fd, p, size);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        r = negative_errno();
                        goto fail;
                }
                p += n;
                size -= (size_t)n;
        }
        if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
                r = negative_errno();
                goto fail;
        }
        if (renameat(dirfd, tmp, dirfd, path) < 0) {
                r = negative_errno();
                goto fail;
        }
        return 0;
fail:
        (void)unlinkat(dirfd, tmp, 0);
        return r;
}

int mkdir_parents(const char *path, unsigned mode)
{
        char buf[4096];
        size_t n = strlen(path);

        if (n == 0 || n >= sizeof(buf))
                return -ENAMETOOLONG;
        memcpy(buf, path, n + 1);
        for (char *p = buf + 1;; p++) {
                bool end = *p == '\0';

                if (*p != '/' && !end)
                        continue;
                *p = '\0';
                if (mkdir(buf, (mode_t)mode) < 0 && errno != EEXIST)
                        return -errno;
                if (end)
                        break;
                *p = '/';
        }
        return 0;
}

int fsync_dir(int dirfd)
{
        return fsync(dirfd) < 0 ? negative_errno() : 0;
}

void remove_stale_temporaries(int dirfd, const char *name)
{
        _cleanup_(closedirp) DIR *dir = NULL;
        char prefix[256];
        struct dirent *de;

        snprintf(prefix, sizeof(prefix), "%s.tmp.", name);
        if (opendir_at(dirfd, ".", &dir) < 0)
                return;
        while ((de = readdir(dir)))
                if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
                        (void)unlinkat(dirfd, de->d_name, 0);
}

int keep_aside(int dirfd, const char *name, uint64_t now_usec, char **ret_kept)
{
        time_t sec = (time_t)(now_usec / 1000000);
        char stamp[32], kept[320];
        struct tm tm;

        if (!gmtime_r(&sec, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm) == 0)
                return -EINVAL;
        for (unsigned n = 0; n < 100; n++) {
                int k = snprintf(kept, sizeof(kept), "%s.corrupt-%s.%06lluZ", name, stamp,
                                 (unsigned long long)(now_usec % 1000000));

                if (n > 0)
                        snprintf(kept + k, sizeof(kept) - (size_t)k, "-%u", n);
                if (renameat2(dirfd, name, dirfd, kept, RENAME_NOREPLACE) == 0) {
                        int r = fsync_dir(dirfd);

                        if (r < 0)
                                return r;
                        if (ret_kept && !(*ret_kept = strdup(kept)))
                                return -ENOMEM;
                        return 0;
                }
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}
