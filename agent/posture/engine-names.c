/* SPDX-License-Identifier: MIT */
#include "engine-names.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "oci-state.h"
#include "proc-read.h"

/* Container names as docker and podman accept them:
 * [a-zA-Z0-9][a-zA-Z0-9_.-]*. (A name is matched against policy patterns
 * and printed: nothing else gets through.) */
static bool valid_name(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > ENGINE_MAX_NAME || !isalnum((unsigned char)s[0]))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
                        return false;
        return true;
}

static bool valid_id(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > 128)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z')))
                        return false;
        return true;
}

static int cmp_id(const void *a, const void *b)
{
        return strcmp(((const struct engine_name *)a)->id, ((const struct engine_name *)b)->id);
}

void engine_names_done(struct engine_names *names)
{
        for (size_t i = 0; i < names->n; i++) {
                free(names->items[i].id);
                free(names->items[i].name);
        }
        free(names->items);
        *names = (struct engine_names){0};
}

int engine_storage_parse(const char *buf, size_t len, struct engine_names *names)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        json_error_t err;
        const json_t *c;
        size_t i, base = names->n;
        struct engine_name *items;

        if (len > ENGINE_STORAGE_MAX_BYTES)
                return -E2BIG;
        root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_array(root))
                return -EINVAL;
        if (json_array_size(root) + names->n > ENGINE_MAX_CONTAINERS)
                return -E2BIG;
        items = realloc(names->items, (names->n + json_array_size(root) + 1) * sizeof(*items));
        if (!items)
                return -ENOMEM;
        names->items = items;
        json_array_foreach(root, i, c)
        {
                const json_t *id = json_object_get(c, "id");
                const json_t *list = json_object_get(c, "names");
                const json_t *first;

                if (!json_is_object(c) || !json_is_string(id) || !valid_id(json_string_value(id)))
                        goto fail;
                if (!list || json_is_null(list))
                        continue;
                if (!json_is_array(list))
                        goto fail;
                first = json_array_get(list, 0);
                if (!first)
                        continue;
                if (!json_is_string(first) || !valid_name(json_string_value(first)))
                        goto fail;
                items[names->n].id = strdup(json_string_value(id));
                items[names->n].name = strdup(json_string_value(first));
                if (!items[names->n].id || !items[names->n].name) {
                        free(items[names->n].id);
                        free(items[names->n].name);
                        goto fail_nomem;
                }
                names->n++;
        }
        qsort(names->items, names->n, sizeof(*names->items), cmp_id);
        return 0;
fail:
        while (names->n > base) {
                names->n--;
                free(names->items[names->n].id);
                free(names->items[names->n].name);
        }
        return -EINVAL;
fail_nomem:
        while (names->n > base) {
                names->n--;
                free(names->items[names->n].id);
                free(names->items[names->n].name);
        }
        return -ENOMEM;
}

int engine_docker_name_parse(const char *buf, size_t len, char **ret_name)
{
        _cleanup_(json_decrefp) json_t *root = NULL;
        json_error_t err;
        const char *name;
        char *copy;

        if (len > ENGINE_DOCKER_MAX_BYTES)
                return -E2BIG;
        root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(root) || !json_is_string(json_object_get(root, "Name")))
                return -EINVAL;
        name = json_string_value(json_object_get(root, "Name"));
        if (name[0] == '/')
                name++;
        if (!valid_name(name))
                return -EINVAL;
        copy = strdup(name);
        if (!copy)
                return -ENOMEM;
        *ret_name = copy;
        return 0;
}

static int read_root_owned(int root_fd, const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = open_in_root(root_fd, path, O_RDONLY | O_NOFOLLOW);

        if (fd < 0)
                return fd;
        /* Names decide which policy a container is checked against: only
         * files the root directory's owner owns and nobody else may write
         * count. */
        if (!file_trusted(root_fd, fd))
                return -EPERM;
        return fd_read_alloc(fd, 4096, max, ret, ret_len);
}

int engine_names_load(int root_fd, struct engine_names *ret)
{
        static const char *const drivers[] = {"overlay", "vfs", "btrfs", "zfs"};
        struct engine_names names = {0};

        for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
                _cleanup_free_ char *path = NULL, *data = NULL;
                size_t len;
                int r;

                if (asprintf(&path, "/var/lib/containers/storage/%s-containers/containers.json",
                             drivers[i]) < 0) {
                        engine_names_done(&names);
                        return -ENOMEM;
                }
                r = read_root_owned(root_fd, path, ENGINE_STORAGE_MAX_BYTES, &data, &len);
                if (r == -ENOENT || r == -ENOTDIR || r == -EPERM)
                        continue;
                if (r >= 0)
                        r = engine_storage_parse(data, len, &names);
                if (r < 0) {
                        engine_names_done(&names);
                        return r;
                }
        }
        *ret = names;
        return 0;
}

const char *engine_names_find(const struct engine_names *names, int root_fd, const char *id,
                              char **ret_owned)
{
        struct engine_name key = {.id = (char *)id};
        const struct engine_name *hit = NULL;
        _cleanup_free_ char *path = NULL, *data = NULL;
        size_t len;

        *ret_owned = NULL;
        if (names->n > 0)
                hit = bsearch(&key, names->items, names->n, sizeof(*names->items), cmp_id);
        if (hit)
                return hit->name;
        if (!valid_id(id) ||
            asprintf(&path, "/var/lib/docker/containers/%s/config.v2.json", id) < 0)
                return NULL;
        if (read_root_owned(root_fd, path, ENGINE_DOCKER_MAX_BYTES, &data, &len) < 0)
                return NULL;
        if (engine_docker_name_parse(data, len, ret_owned) < 0)
                return NULL;
        return *ret_owned;
}
