/* SPDX-License-Identifier: MIT */
#include "oci-state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/macro.h"
#include "proc-read.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

static json_t *load_json(const char *buf, size_t len)
{
        json_error_t err;

        return json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
}

void oci_labels_done(struct oci_labels *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].key);
                free(l->items[i].value);
        }
        free(l->items);
        *l = (struct oci_labels){0};
}

const char *oci_labels_get(const struct oci_labels *l, const char *key)
{
        for (size_t i = 0; i < l->n; i++)
                if (strcmp(l->items[i].key, key) == 0)
                        return l->items[i].value;
        return NULL;
}

static int labels_add_n(struct oci_labels *l, const char *key, size_t key_len, const char *value,
                        size_t value_len)
{
        struct oci_label *items;
        char *k, *v;

        if (key_len == 0 || key_len > OCI_MAX_KEY || value_len > OCI_MAX_VALUE ||
            memchr(key, '\0', key_len) || memchr(value, '\0', value_len))
                return -EINVAL;
        for (size_t i = 0; i < l->n; i++)
                if (strlen(l->items[i].key) == key_len &&
                    memcmp(l->items[i].key, key, key_len) == 0)
                        return 0;
        if (l->n >= OCI_MAX_LABELS)
                return -E2BIG;
        k = strndup(key, key_len);
        v = strndup(value, value_len);
        items = k && v ? realloc(l->items, (l->n + 1) * sizeof(*items)) : NULL;
        if (!items) {
                free(k);
                free(v);
                return -ENOMEM;
        }
        items[l->n++] = (struct oci_label){k, v};
        l->items = items;
        return 0;
}

int oci_labels_add(struct oci_labels *l, const char *key, const char *value)
{
        return labels_add_n(l, key, strlen(key), value, strlen(value));
}

void oci_state_done(struct oci_state *s)
{
        free(s->id);
        free(s->bundle);
        oci_labels_done(&s->labels);
        *s = (struct oci_state){0};
}

/* A JSON string as a C string: no NUL inside, at most max bytes. */
static int json_cstring(const json_t *j, size_t max, const char **ret)
{
        if (!json_is_string(j))
                return -EINVAL;
        if (json_string_length(j) > max || strlen(json_string_value(j)) != json_string_length(j))
                return -EINVAL;
        *ret = json_string_value(j);
        return 0;
}

static int json_pid(const json_t *j, pid_t *ret)
{
        json_int_t v;

        if (!json_is_integer(j))
                return -EINVAL;
        v = json_integer_value(j);
        if (v <= 0 || v > INT_MAX)
                return -EINVAL;
        *ret = (pid_t)v;
        return 0;
}

static int json_start(const json_t *j, uint64_t *ret)
{
        if (!j) {
                *ret = 0;
                return 0;
        }
        if (!json_is_integer(j) || json_integer_value(j) < 0)
                return -EINVAL;
        *ret = (uint64_t)json_integer_value(j);
        return 0;
}

static int dup_path(const json_t *j, char **ret)
{
        const char *s;

        if (json_cstring(j, OCI_MAX_PATH, &s) < 0 || s[0] != '/')
                return -EINVAL;
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

int oci_runc_state_parse(const char *buf, size_t len, struct oci_state *ret)
{
        _cleanup_json_ json_t *root = NULL;
        struct oci_state s = {0};
        const json_t *labels;
        const char *id;
        int r = -EINVAL;

        if (len > OCI_STATE_MAX_BYTES)
                return -E2BIG;
        root = load_json(buf, len);
        if (!json_is_object(root))
                return -EINVAL;
        if (json_cstring(json_object_get(root, "id"), 1024, &id) < 0 || !id[0])
                return -EINVAL;
        if (json_pid(json_object_get(root, "init_process_pid"), &s.init_pid) < 0 ||
            json_start(json_object_get(root, "init_process_start"), &s.init_start) < 0)
                return -EINVAL;
        s.id = strdup(id);
        if (!s.id)
                return -ENOMEM;
        labels = json_object_get(json_object_get(root, "config"), "labels");
        if (labels && !json_is_null(labels)) {
                size_t i;
                const json_t *v;

                if (!json_is_array(labels))
                        goto fail;
                if (json_array_size(labels) > OCI_MAX_LABELS + 1) {
                        r = -E2BIG;
                        goto fail;
                }
                json_array_foreach(labels, i, v)
                {
                        const char *l, *eq;

                        if (json_cstring(v, OCI_MAX_KEY + 1 + OCI_MAX_VALUE, &l) < 0)
                                goto fail;
                        eq = strchr(l, '=');
                        if (!eq || eq == l)
                                goto fail;
                        if ((size_t)(eq - l) == 6 && memcmp(l, "bundle", 6) == 0) {
                                if (s.bundle || eq[1] != '/' || strlen(eq + 1) > OCI_MAX_PATH)
                                        goto fail;
                                s.bundle = strdup(eq + 1);
                                if (!s.bundle) {
                                        r = -ENOMEM;
                                        goto fail;
                                }
                                continue;
                        }
                        r = labels_add_n(&s.labels, l, (size_t)(eq - l), eq + 1, strlen(eq + 1));
                        if (r < 0)
                                goto fail;
                        r = -EINVAL;
                }
        }
        *ret = s;
        return 0;
fail:
        oci_state_done(&s);
        return r;
}

int oci_crun_status_parse(const char *buf, size_t len, const char *id, struct oci_state *ret)
{
        _cleanup_json_ json_t *root = NULL;
        struct oci_state s = {0};
        const json_t *bundle;
        int r;

        if (len > OCI_STATE_MAX_BYTES)
                return -E2BIG;
        root = load_json(buf, len);
        if (!json_is_object(root) || !id || !id[0])
                return -EINVAL;
        if (json_pid(json_object_get(root, "pid"), &s.init_pid) < 0 ||
            json_start(json_object_get(root, "process-start-time"), &s.init_start) < 0)
                return -EINVAL;
        s.id = strdup(id);
        if (!s.id)
                return -ENOMEM;
        bundle = json_object_get(root, "bundle");
        if (bundle) {
                r = dup_path(bundle, &s.bundle);
                if (r < 0) {
                        oci_state_done(&s);
                        return r;
                }
        }
        *ret = s;
        return 0;
}

int oci_config_annotations_parse(const char *buf, size_t len, struct oci_labels *ret)
{
        _cleanup_json_ json_t *root = NULL;
        struct oci_labels l = {0};
        const json_t *ann, *v;
        const char *key;

        if (len > OCI_CONFIG_MAX_BYTES)
                return -E2BIG;
        root = load_json(buf, len);
        if (!json_is_object(root))
                return -EINVAL;
        ann = json_object_get(root, "annotations");
        if (!ann || json_is_null(ann)) {
                *ret = l;
                return 0;
        }
        if (!json_is_object(ann))
                return -EINVAL;
        if (json_object_size(ann) > OCI_MAX_LABELS)
                return -E2BIG;
        json_object_foreach((json_t *)ann, key, v)
        {
                const char *s;
                int r;

                if (json_cstring(v, OCI_MAX_VALUE, &s) < 0) {
                        oci_labels_done(&l);
                        return -EINVAL;
                }
                r = labels_add_n(&l, key, strlen(key), s, strlen(s));
                if (r < 0) {
                        oci_labels_done(&l);
                        return r;
                }
        }
        *ret = l;
        return 0;
}

int open_in_root(int root_fd, const char *path, int flags)
{
        struct open_how how = {
            /* O_PATH takes no other flags than these (openat2 is strict). */
            .flags = (uint64_t)(flags & O_PATH ? flags | O_CLOEXEC : flags | O_CLOEXEC | O_NOCTTY),
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        long fd;

        fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
        if (fd < 0)
                return negative_errno();
        return (int)fd;
}

bool file_trusted(int root_fd, int fd)
{
        struct stat st, root;

        if (fstat(fd, &st) < 0 || fstat(root_fd, &root) < 0)
                return false;
        return S_ISREG(st.st_mode) && st.st_uid == root.st_uid &&
               !(st.st_mode & (S_IWGRP | S_IWOTH));
}

/* Reads a file below root_fd, noting whether it may be believed. */
static int read_in_root(int root_fd, const char *path, size_t max, char **ret_data,
                        size_t *ret_size, bool *ret_trusted)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        fd = open_in_root(root_fd, path, O_RDONLY | O_NOFOLLOW);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EINVAL;
        if ((uint64_t)st.st_size > max)
                return -EFBIG;
        r = fd_read_alloc(fd, 4096, max, ret_data, ret_size);
        if (r < 0)
                return r;
        *ret_trusted = file_trusted(root_fd, fd);
        return 0;
}

enum state_kind {
        STATE_RUNC,
        STATE_CRUN,
};

static const struct {
        const char *dir;
        enum state_kind kind;
} state_roots[] = {
    {"/run/runc", STATE_RUNC},
    {"/run/containerd/runc/k8s.io", STATE_RUNC},
    {"/run/containerd/runc/moby", STATE_RUNC},
    {"/run/containerd/runc/default", STATE_RUNC},
    {"/run/docker/runtime-runc/moby", STATE_RUNC},
    {"/run/crun", STATE_CRUN},
};

void oci_info_done(struct oci_info *i)
{
        free(i->state_path);
        free(i->bundle);
        oci_labels_done(&i->labels);
        *i = (struct oci_info){0};
}

static bool valid_id(const char *id)
{
        size_t n = strlen(id);

        if (n == 0 || n > 128 || id[0] == '.')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
                      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_' ||
                      id[i] == '.'))
                        return false;
        return true;
}

int oci_lookup(int root_fd, const char *id, struct oci_info *ret)
{
        if (!valid_id(id))
                return -EINVAL;
        for (size_t k = 0; k < sizeof(state_roots) / sizeof(state_roots[0]); k++) {
                _cleanup_free_ char *path = NULL, *data = NULL, *config_path = NULL, *config = NULL;
                struct oci_state st = {0};
                struct oci_info info = {0};
                bool trusted = false, config_trusted = false;
                size_t size;
                int r;

                if (asprintf(&path, "%s/%s/%s", state_roots[k].dir, id,
                             state_roots[k].kind == STATE_RUNC ? "state.json" : "status") < 0)
                        return -ENOMEM;
                r = read_in_root(root_fd, path, OCI_STATE_MAX_BYTES, &data, &size, &trusted);
                if (r == -ENOENT || r == -ENOTDIR)
                        continue;
                if (r < 0)
                        return r;
                r = state_roots[k].kind == STATE_RUNC ? oci_runc_state_parse(data, size, &st)
                                                      : oci_crun_status_parse(data, size, id, &st);
                if (r < 0)
                        return r;
                if (strcmp(st.id, id) != 0) {
                        oci_state_done(&st);
                        return -EINVAL;
                }
                info.state_path = TAKE_PTR(path);
                info.init_pid = st.init_pid;
                info.init_start = st.init_start;
                info.bundle = TAKE_PTR(st.bundle);
                info.labels = st.labels;
                st.labels = (struct oci_labels){0};
                oci_state_done(&st);
                info.trusted = trusted;
                /* The bundle's config.json; crun also keeps a copy in its
                 * state directory. */
                if (info.bundle && asprintf(&config_path, "%s/config.json", info.bundle) < 0) {
                        oci_info_done(&info);
                        return -ENOMEM;
                }
                if (config_path) {
                        r = read_in_root(root_fd, config_path, OCI_CONFIG_MAX_BYTES, &config, &size,
                                         &config_trusted);
                        if (r >= 0) {
                                struct oci_labels ann = {0};

                                r = oci_config_annotations_parse(config, size, &ann);
                                if (r >= 0) {
                                        for (size_t i = 0; i < ann.n && r >= 0; i++)
                                                r = oci_labels_add(&info.labels, ann.items[i].key,
                                                                   ann.items[i].value);
                                        oci_labels_done(&ann);
                                }
                                info.trusted = info.trusted && config_trusted;
                        }
                        /* A missing or unreadable bundle leaves the state's
                         * labels; a corrupt one makes everything untrusted. */
                        if (r < 0 && r != -ENOENT && r != -ENOTDIR)
                                info.trusted = false;
                }
                *ret = info;
                return 0;
        }
        return -ENOENT;
}
