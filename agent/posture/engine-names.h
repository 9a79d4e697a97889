/* SPDX-License-Identifier: MIT */
/* Container names as the engines know them, which the OCI runtime state
 * does not carry: containers/storage's containers.json (podman, CRI-O,
 * buildah: {"id", "names": [...]}) and docker's
 * containers/<id>/config.v2.json ({"Name": "/web-1"}). Pure parsers plus a
 * loader under a root directory fd. */
#pragma once

#include <stddef.h>

#define ENGINE_STORAGE_MAX_BYTES (32u * 1024u * 1024u)
#define ENGINE_DOCKER_MAX_BYTES  (4u * 1024u * 1024u)
#define ENGINE_MAX_CONTAINERS    65536u
#define ENGINE_MAX_NAME          253u

struct engine_name {
        char *id;
        char *name;
};

struct engine_names {
        struct engine_name *items; /* sorted by id */
        size_t n;
};

/* containers.json: an array of objects; entries without names are kept
 * out. Returns 0, -EINVAL, -E2BIG. Appends to *names (which may hold
 * entries already) and sorts. */
int engine_storage_parse(const char *buf, size_t len, struct engine_names *names);
/* config.v2.json's Name without its leading '/'. */
int engine_docker_name_parse(const char *buf, size_t len, char **ret_name);

/* Reads var/lib/containers/storage/{overlay,vfs,btrfs,zfs}-containers/
 * containers.json under root_fd. Missing files are not an error. */
int engine_names_load(int root_fd, struct engine_names *ret);
/* The name of container id: from the table, else from docker's
 * config.v2.json under root_fd (returned in a buffer the caller frees
 * through *ret_owned). NULL when unknown. */
const char *engine_names_find(const struct engine_names *names, int root_fd, const char *id,
                              char **ret_owned);
void engine_names_done(struct engine_names *names);
