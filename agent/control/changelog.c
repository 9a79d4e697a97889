/* SPDX-License-Identifier: MIT */
#include "changelog.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "json-text.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

/* Copies at most max bytes of src, printable ASCII kept, others '?'. */
static void copy_printable(char *dst, const char *src, size_t max)
{
        size_t i;

        for (i = 0; i < max && src[i]; i++) {
                unsigned char c = (unsigned char)src[i];

                dst[i] = (c >= 0x20 && c <= 0x7e) ? (char)c : '?';
        }
        dst[i] = '\0';
}

static bool is_printable(const char *s)
{
        for (; *s; s++)
                if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
                        return false;
        return true;
}

int changelog_format_line(const struct changelog_entry *e, char **ret_line, size_t *ret_size)
{
        _cleanup_json_ json_t *o = NULL;
        char comm[STATE_COMM_MAX + 1], reason[CHANGELOG_REASON_MAX + 1];
        const char *from = policy_mode_to_string(e->from), *to = policy_mode_to_string(e->to);
        json_t *by;

        if (!state_service_name_valid(e->service) || !from || !to || e->time_usec > INT64_MAX)
                return -EINVAL;
        copy_printable(reason, e->reason, CHANGELOG_REASON_MAX);
        o = json_object();
        if (!o)
                return -ENOMEM;
        if (e->who.policy)
                by = json_string("policy");
        else {
                copy_printable(comm, e->who.comm, STATE_COMM_MAX);
                by = json_object();
                if (by && (json_set_new(by, "uid", json_integer(e->who.uid)) < 0 ||
                           json_set_new(by, "pid", json_integer(e->who.pid)) < 0 ||
                           json_set_new(by, "comm", json_string(comm)) < 0)) {
                        json_decref(by);
                        return -ENOMEM;
                }
        }
        if (json_set_new(o, "time", json_integer((json_int_t)e->time_usec)) < 0 ||
            json_set_new(o, "service", json_string(e->service)) < 0 ||
            json_set_new(o, "from", json_string(from)) < 0 ||
            json_set_new(o, "to", json_string(to)) < 0 || json_set_new(o, "by", by) < 0 ||
            json_set_new(o, "forced", json_boolean(e->forced)) < 0 ||
            json_set_new(o, "reason", json_string(reason)) < 0)
                return -ENOMEM;
        return json_dump_line(o, JSON_COMPACT | JSON_PRESERVE_ORDER, ret_line, ret_size);
}

static int get_uint(json_t *o, const char *key, uint64_t max, uint64_t *ret)
{
        json_t *v = json_object_get(o, key);

        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            (uint64_t)json_integer_value(v) > max)
                return -EINVAL;
        *ret = (uint64_t)json_integer_value(v);
        return 0;
}

static int get_string(json_t *o, const char *key, size_t max, char *buf)
{
        json_t *v = json_object_get(o, key);

        if (!json_is_string(v) || json_string_length(v) > max ||
            strlen(json_string_value(v)) != json_string_length(v) ||
            !is_printable(json_string_value(v)))
                return -EINVAL;
        memcpy(buf, json_string_value(v), json_string_length(v) + 1);
        return 0;
}

static int get_mode(json_t *o, const char *key, enum policy_mode *ret)
{
        char s[16];
        int m;

        if (get_string(o, key, sizeof(s) - 1, s) < 0)
                return -EINVAL;
        m = policy_mode_from_string(s);
        if (m < 0)
                return -EINVAL;
        *ret = (enum policy_mode)m;
        return 0;
}

int changelog_parse_line(const char *line, size_t size, struct changelog_entry *ret)
{
        _cleanup_json_ json_t *o = NULL;
        struct changelog_entry e = {0};
        json_error_t jerr;
        json_t *by, *forced;
        uint64_t uid, pid;

        if (size > CHANGELOG_LINE_MAX || memchr(line, '\n', size))
                return -EINVAL;
        o = json_loadb(line, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(o) || json_object_size(o) != 7)
                return -EINVAL;
        if (get_uint(o, "time", INT64_MAX, &e.time_usec) < 0 ||
            get_string(o, "service", STATE_NAME_MAX, e.service) < 0 ||
            !state_service_name_valid(e.service) || get_mode(o, "from", &e.from) < 0 ||
            get_mode(o, "to", &e.to) < 0 ||
            get_string(o, "reason", CHANGELOG_REASON_MAX, e.reason) < 0)
                return -EINVAL;
        forced = json_object_get(o, "forced");
        if (!json_is_boolean(forced))
                return -EINVAL;
        e.forced = json_is_true(forced);
        by = json_object_get(o, "by");
        if (json_is_string(by) && strcmp(json_string_value(by), "policy") == 0)
                e.who.policy = true;
        else if (!json_is_object(by) || json_object_size(by) != 3 ||
                 get_uint(by, "uid", UINT32_MAX, &uid) < 0 ||
                 get_uint(by, "pid", INT32_MAX, &pid) < 0 ||
                 get_string(by, "comm", STATE_COMM_MAX, e.who.comm) < 0)
                return -EINVAL;
        else {
                e.who.uid = (uint32_t)uid;
                e.who.pid = (uint32_t)pid;
        }
        *ret = e;
        return 0;
}

static int write_all(int fd, const char *p, size_t size)
{
        while (size > 0) {
                ssize_t n = write(fd, p, size);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                p += n;
                size -= (size_t)n;
        }
        return 0;
}

/* Read-write: the append looks at the last byte first. */
static int open_log(int dirfd, struct stat *st)
{
        int fd = openat(dirfd, CHANGELOG_FILE, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                        0600);

        if (fd < 0)
                return negative_errno();
        if (fstat(fd, st) < 0) {
                int r = negative_errno();

                close(fd);
                return r;
        }
        return fd;
}

int changelog_append(int dirfd, const struct changelog_entry *e)
{
        _cleanup_free_ char *line = NULL, *buf = NULL;
        _cleanup_close_ int fd = -1;
        bool torn_tail = false;
        struct stat st;
        size_t size;
        int r;

        r = changelog_format_line(e, &line, &size);
        if (r < 0)
                return r;
        fd = open_log(dirfd, &st);
        if (fd < 0)
                return fd;
        if (st.st_size > 0 && (uint64_t)st.st_size + size > CHANGELOG_ROTATE_SIZE) {
                fd = (close(fd), -1);
                if (renameat(dirfd, CHANGELOG_FILE, dirfd, CHANGELOG_FILE_OLD) < 0)
                        return negative_errno();
                fd = open_log(dirfd, &st);
                if (fd < 0)
                        return fd;
        }
        if (st.st_size > 0) {
                char last;

                if (pread(fd, &last, 1, st.st_size - 1) != 1)
                        return -EIO;
                /* A crash mid-append left a line without its end: end it
                 * here, so the torn line stays one bad line instead of
                 * swallowing this one too. */
                torn_tail = last != '\n';
        }
        buf = malloc(size + 1);
        if (!buf)
                return -ENOMEM;
        buf[0] = '\n';
        memcpy(buf + 1, line, size);
        /* One write() per entry, so readers never see half an entry except
         * after a crash. */
        r = write_all(fd, torn_tail ? buf : buf + 1, torn_tail ? size + 1 : size);
        if (r < 0)
                return r;
        if (fsync(fd) < 0)
                return negative_errno();
        /* A new (or freshly rotated) file must also be in its directory. */
        if (st.st_size == 0 && fsync(dirfd) < 0)
                return negative_errno();
        return 0;
}

static int read_one(int dirfd, const char *path, struct changelog_entry **entries, size_t *n,
                    size_t *cap, size_t *bad)
{
        _cleanup_free_ char *data = NULL;
        size_t size, pos = 0;
        int r;

        /* The writer rotates before passing the limit, so one line past it
         * is the most a healthy file holds. */
        r = read_file_bounded(dirfd, path, CHANGELOG_ROTATE_SIZE + CHANGELOG_LINE_MAX, &data,
                              &size);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        while (pos < size) {
                const char *nl = memchr(data + pos, '\n', size - pos);
                struct changelog_entry e;

                if (!nl) { /* no end: the torn last line of a crash */
                        (*bad)++;
                        break;
                }
                if (changelog_parse_line(data + pos, (size_t)(nl - (data + pos)), &e) < 0)
                        (*bad)++;
                else {
                        if (*n == *cap) {
                                size_t nc = *cap ? *cap * 2 : 64;
                                struct changelog_entry *ne = realloc(*entries, nc * sizeof(*ne));

                                if (!ne)
                                        return -ENOMEM;
                                *entries = ne;
                                *cap = nc;
                        }
                        (*entries)[(*n)++] = e;
                }
                pos = (size_t)(nl - data) + 1;
        }
        return 0;
}

int changelog_read(int dirfd, struct changelog_entry **ret_entries, size_t *ret_n, size_t *ret_bad)
{
        _cleanup_free_ struct changelog_entry *entries = NULL;
        size_t n = 0, cap = 0, bad = 0;
        int r;

        r = read_one(dirfd, CHANGELOG_FILE_OLD, &entries, &n, &cap, &bad);
        if (r < 0)
                return r;
        r = read_one(dirfd, CHANGELOG_FILE, &entries, &n, &cap, &bad);
        if (r < 0)
                return r;
        *ret_entries = TAKE_PTR(entries);
        *ret_n = n;
        if (ret_bad)
                *ret_bad = bad;
        return 0;
}
