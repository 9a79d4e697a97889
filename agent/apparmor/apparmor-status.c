/* SPDX-License-Identifier: MIT */
#include "apparmor-status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apparmor-kernel.h"
#include "base/fileio.h"

static const char *const mode_names[_APPARMOR_PROFILE_MODE_MAX] = {
    [APPARMOR_PROFILE_ENFORCE] = "enforce", [APPARMOR_PROFILE_COMPLAIN] = "complain",
    [APPARMOR_PROFILE_KILL] = "kill",       [APPARMOR_PROFILE_UNCONFINED] = "unconfined",
    [APPARMOR_PROFILE_USER] = "user",       [APPARMOR_PROFILE_MIXED] = "mixed",
    [APPARMOR_PROFILE_OTHER] = "other",
};

const char *apparmor_profile_mode_to_string(enum apparmor_profile_mode m)
{
        return (unsigned)m < _APPARMOR_PROFILE_MODE_MAX ? mode_names[m] : "other";
}

static enum apparmor_profile_mode mode_from_word(const char *s, size_t n)
{
        for (size_t i = 0; i < _APPARMOR_PROFILE_MODE_MAX; i++)
                if (i != APPARMOR_PROFILE_OTHER && strlen(mode_names[i]) == n &&
                    memcmp(mode_names[i], s, n) == 0)
                        return (enum apparmor_profile_mode)i;
        return APPARMOR_PROFILE_OTHER;
}

void apparmor_loaded_list_done(struct apparmor_loaded_list *l)
{
        if (!l)
                return;
        for (size_t i = 0; i < l->n; i++)
                free(l->items[i].name);
        free(l->items);
        *l = (struct apparmor_loaded_list){0};
}

const struct apparmor_loaded *apparmor_loaded_find(const struct apparmor_loaded_list *l,
                                                   const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->items[i].name, name) == 0)
                        return &l->items[i];
        return NULL;
}

static bool name_bytes_ok(const char *s, size_t n)
{
        if (n == 0 || n > APPARMOR_STATUS_LABEL_MAX)
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c < 0x20 || c == 0x7f)
                        return false;
        }
        return true;
}

/* "NAME (MODE)": the mode is the last " (" ... ")" of the line, so a name
 * may itself contain " (". Returns false when the line has another shape. */
static bool split_name_mode(const char *line, size_t len, size_t *ret_name_len,
                            const char **ret_mode, size_t *ret_mode_len)
{
        const char *open = NULL;
        size_t mode_len;

        if (len < 4 || line[len - 1] != ')')
                return false;
        for (size_t i = len - 1; i-- > 0;)
                if (line[i] == '(' && i > 0 && line[i - 1] == ' ') {
                        open = line + i;
                        break;
                }
        if (!open)
                return false;
        mode_len = (size_t)(line + len - 1 - (open + 1));
        if (mode_len == 0 || mode_len > APPARMOR_STATUS_MODE_MAX)
                return false;
        for (size_t i = 0; i < mode_len; i++)
                if (open[1 + i] < 'a' || open[1 + i] > 'z')
                        return false;
        *ret_name_len = (size_t)(open - 1 - line);
        *ret_mode = open + 1;
        *ret_mode_len = mode_len;
        return name_bytes_ok(line, *ret_name_len);
}

int apparmor_profiles_parse(const char *data, size_t size, struct apparmor_loaded_list *ret)
{
        struct apparmor_loaded_list l = {0};
        const char *p = data, *end = data + size;
        size_t cap = 0;
        int r;

        if (size > APPARMOR_PROFILES_MAX_BYTES)
                return -E2BIG;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
                struct apparmor_loaded *e;
                const char *mode;
                size_t name_len, mode_len;

                if (!split_name_mode(p, len, &name_len, &mode, &mode_len)) {
                        r = -EBADMSG;
                        goto fail;
                }
                if (l.n >= APPARMOR_PROFILES_MAX) {
                        r = -E2BIG;
                        goto fail;
                }
                if (l.n == cap) {
                        size_t c = cap ? cap * 2 : 16;
                        struct apparmor_loaded *items = reallocarray(l.items, c, sizeof(*items));

                        if (!items) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        l.items = items;
                        cap = c;
                }
                e = &l.items[l.n];
                *e = (struct apparmor_loaded){.mode = mode_from_word(mode, mode_len)};
                e->name = strndup(p, name_len);
                if (!e->name) {
                        r = -ENOMEM;
                        goto fail;
                }
                memcpy(e->mode_name, mode, mode_len);
                e->mode_name[mode_len] = '\0';
                l.n++;
                p += len + 1;
        }
        *ret = l;
        return 0;
fail:
        apparmor_loaded_list_done(&l);
        return r;
}

int apparmor_current_parse(const char *data, size_t size, char **ret_label,
                           enum apparmor_profile_mode *ret_mode)
{
        const char *mode;
        size_t name_len, mode_len;
        enum apparmor_profile_mode m;
        char *label;

        if (size > APPARMOR_CURRENT_MAX_BYTES)
                return -EBADMSG;
        while (size > 0 && data[size - 1] == '\0')
                size--;
        if (size > 0 && data[size - 1] == '\n')
                size--;
        if (size == 0)
                return -EBADMSG;

        if (split_name_mode(data, size, &name_len, &mode, &mode_len))
                m = mode_from_word(mode, mode_len);
        else if (size == strlen("unconfined") && memcmp(data, "unconfined", size) == 0) {
                name_len = size;
                m = APPARMOR_PROFILE_UNCONFINED;
        } else
                return -EBADMSG;

        label = strndup(data, name_len);
        if (!label)
                return -ENOMEM;
        *ret_label = label;
        *ret_mode = m;
        return 0;
}

int apparmor_profiles_read(int securityfs_fd, struct apparmor_loaded_list *ret)
{
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_file_bounded(securityfs_fd, "apparmor/profiles", APPARMOR_PROFILES_MAX_BYTES,
                              &data, &size);
        if (r == -ENOENT)
                return -APPARMOR_ENOTAVAIL;
        if (r == -EFBIG)
                return -E2BIG;
        if (r < 0)
                return r;
        return apparmor_profiles_parse(data, size, ret);
}

int apparmor_current_read(int proc_fd, pid_t pid, char **ret_label,
                          enum apparmor_profile_mode *ret_mode)
{
        _cleanup_free_ char *data = NULL;
        char path[64];
        struct stat st;
        size_t size;
        int r;

        if (pid <= 0)
                return -EINVAL;
        snprintf(path, sizeof(path), "%d", (int)pid);
        if (fstatat(proc_fd, path, &st, 0) < 0)
                return errno == ENOENT ? -ESRCH : negative_errno();

        snprintf(path, sizeof(path), "%d/attr/apparmor/current", (int)pid);
        r = read_file_bounded(proc_fd, path, APPARMOR_CURRENT_MAX_BYTES, &data, &size);
        if (r == -ENOENT) {
                /* Kernels before the per-LSM attr directories. */
                snprintf(path, sizeof(path), "%d/attr/current", (int)pid);
                r = read_file_bounded(proc_fd, path, APPARMOR_CURRENT_MAX_BYTES, &data, &size);
        }
        /* Gone meanwhile, or: no LSM answers the attribute (EINVAL) or
         * there is none (ENOENT). */
        snprintf(path, sizeof(path), "%d", (int)pid);
        if ((r == -ENOENT || r == -ESRCH) && fstatat(proc_fd, path, &st, 0) < 0 && errno == ENOENT)
                return -ESRCH;
        if (r == -EINVAL || r == -ENOENT)
                return -APPARMOR_ENOTAVAIL;
        if (r == -EFBIG)
                return -EBADMSG;
        if (r < 0)
                return r;
        return apparmor_current_parse(data, size, ret_label, ret_mode);
}
