/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "base/macro.h"
#include "file-source.h"

struct line_reader {
        const char *name;
        audit_raw_fn fn;
        void *userdata;
        struct file_source_stats stats;
        /* The start of a line that continues in the next chunk. */
        char carry[AUDIT_LINE_MAX];
        size_t carry_len;
        bool skipping; /* inside a line already over the limit */
};

static int emit(struct line_reader *lr, const char *text, size_t len)
{
        struct audit_raw raw = {
            .source = AUDIT_SOURCE_FILE,
            .text = text,
            .len = len,
            .origin = lr->name,
        };

        lr->stats.lines++;
        raw.line = lr->stats.lines;
        if (len > 0 && text[len - 1] == '\r')
                raw.len--;
        return lr->fn(&raw, lr->userdata);
}

static void too_long(struct line_reader *lr)
{
        lr->stats.lines++;
        lr->stats.too_long++;
        if (lr->stats.first_too_long == 0)
                lr->stats.first_too_long = lr->stats.lines;
}

/* One chunk: whole lines go out from the chunk itself; a line cut by the
 * chunk's end waits in carry. */
static int feed(struct line_reader *lr, const char *p, size_t n)
{
        while (n > 0) {
                const char *nl = memchr(p, '\n', n);
                size_t len = nl ? (size_t)(nl - p) : n;
                int r = 0;

                if (lr->skipping) {
                        if (nl) {
                                lr->skipping = false;
                                too_long(lr);
                        }
                } else if (lr->carry_len + len > AUDIT_LINE_MAX) {
                        lr->carry_len = 0;
                        if (nl)
                                too_long(lr);
                        else
                                lr->skipping = true;
                } else if (!nl) {
                        memcpy(lr->carry + lr->carry_len, p, len);
                        lr->carry_len += len;
                } else if (lr->carry_len > 0) {
                        memcpy(lr->carry + lr->carry_len, p, len);
                        r = emit(lr, lr->carry, lr->carry_len + len);
                        lr->carry_len = 0;
                } else
                        r = emit(lr, p, len);
                if (r < 0)
                        return r;
                if (!nl)
                        break;
                p = nl + 1;
                n -= len + 1;
        }
        return 0;
}

int file_source_read_fd(int fd, const char *name, audit_raw_fn fn, void *userdata,
                        struct file_source_stats *ret_stats)
{
        _cleanup_free_ struct line_reader *lr = calloc(1, sizeof(*lr));
        _cleanup_free_ char *chunk = malloc(FILE_SOURCE_CHUNK);
        int r = 0;

        if (!lr || !chunk)
                return -ENOMEM;
        lr->name = name;
        lr->fn = fn;
        lr->userdata = userdata;
        for (;;) {
                ssize_t n = read(fd, chunk, FILE_SOURCE_CHUNK);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        r = -errno;
                        break;
                }
                if (n == 0) {
                        /* A last line without a newline is still a line. */
                        if (lr->skipping)
                                too_long(lr);
                        else if (lr->carry_len > 0)
                                r = emit(lr, lr->carry, lr->carry_len);
                        break;
                }
                lr->stats.bytes += (uint64_t)n;
                r = feed(lr, chunk, (size_t)n);
                if (r < 0)
                        break;
        }
        if (ret_stats)
                *ret_stats = lr->stats;
        return r;
}

int file_source_read(const char *path, audit_raw_fn fn, void *userdata,
                     struct file_source_stats *ret_stats)
{
        _cleanup_close_ int fd = -1;

        if (strcmp(path, "-") == 0)
                return file_source_read_fd(STDIN_FILENO, "-", fn, userdata, ret_stats);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        return file_source_read_fd(fd, path, fn, userdata, ret_stats);
}
