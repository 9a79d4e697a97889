/* SPDX-License-Identifier: MIT */
/* What the OCI runtime recorded about a container: runc's state.json
 * (init pid and start time, bundle, annotations as "key=value" labels),
 * crun's status file, and the bundle's config.json (annotations, where
 * Kubernetes puts pod and container names). Parsers are pure functions
 * from bytes to structs (jansson underneath), capped in size and count;
 * the lookup reads them under a root directory fd so tests hand fixture
 * trees. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OCI_STATE_MAX_BYTES  (4u * 1024u * 1024u)
#define OCI_CONFIG_MAX_BYTES (4u * 1024u * 1024u)
#define OCI_MAX_LABELS       1024u
#define OCI_MAX_KEY          512u
#define OCI_MAX_VALUE        (64u * 1024u)
#define OCI_MAX_PATH         4096u

struct oci_label {
        char *key;
        char *value;
};

struct oci_labels {
        struct oci_label *items; /* owned */
        size_t n;
};

struct oci_state {
        char *id;
        pid_t init_pid;
        uint64_t init_start; /* stat start time of the init process; 0 when not recorded */
        char *bundle;        /* absolute path, or NULL */
        struct oci_labels labels;
};

/* runc's state.json. Returns 0, -EINVAL (not JSON, wrong types, missing
 * id or pid, a label without '='), -E2BIG (over the caps). */
int oci_runc_state_parse(const char *buf, size_t len, struct oci_state *ret);
/* crun's status file ({"pid", "process-start-time", "bundle", ...}); it
 * has no id inside, id is the directory name the caller found it under. */
int oci_crun_status_parse(const char *buf, size_t len, const char *id, struct oci_state *ret);
/* The annotations of an OCI config.json. */
int oci_config_annotations_parse(const char *buf, size_t len, struct oci_labels *ret);

void oci_state_done(struct oci_state *s);
void oci_labels_done(struct oci_labels *l);
const char *oci_labels_get(const struct oci_labels *l, const char *key);
/* Adds key=value unless key is present. Returns 0 or -ENOMEM / -E2BIG. */
int oci_labels_add(struct oci_labels *l, const char *key, const char *value);

/* Where a container's state was found and what it says. */
struct oci_info {
        char *state_path; /* relative to the root fd, for reports */
        pid_t init_pid;
        uint64_t init_start;
        char *bundle;
        struct oci_labels labels; /* state labels, then config.json annotations */
        bool trusted;             /* owned by the root directory's owner, not writable by others */
};

/* Looks for container id in every state root we know (run/runc,
 * run/containerd/runc/{k8s.io,moby,default}, run/docker/runtime-runc/moby,
 * run/crun) under root_fd ("/" on a real host), then reads the bundle's
 * config.json. Files not owned by the owner of root_fd (root, for "/") or
 * writable by group/others are read but marked untrusted (their labels
 * are not used for matching).
 * Returns 0, -ENOENT when no root has the container, or -errno. */
int oci_lookup(int root_fd, const char *id, struct oci_info *ret);
void oci_info_done(struct oci_info *i);

/* Whether an open file may be believed: a regular file owned by the owner
 * of root_fd (root on a real host) that nobody else may write. */
bool file_trusted(int root_fd, int fd);

/* Opens path (absolute or relative) below root_fd as if root_fd were "/":
 * "..", absolute symlinks and magic links cannot leave it. */
int open_in_root(int root_fd, const char *path, int flags);
