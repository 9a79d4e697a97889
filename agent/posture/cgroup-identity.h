/* SPDX-License-Identifier: MIT */
/* Which workload a process belongs to, from /proc/PID/cgroup: the
 * container (runtime and id), its Kubernetes pod, or the systemd unit of a
 * host service. cgroup v1 ("N:controllers:/path"), v2 ("0::/path") and the
 * hybrid layout. Pure functions from bytes to a struct.
 *
 * Path patterns (docs/posture.md has the full table):
 *   docker     /docker/<id>                    /system.slice/docker-<id>.scope
 *   containerd .../cri-containerd-<id>.scope   ...slice:cri-containerd:<id>
 *   CRI-O      .../crio-<id>.scope, crio-<id>  (crio-conmon-<id>: the monitor)
 *   podman     /libpod_parent/libpod-<id>      .../libpod-<id>.scope
 *              (libpod-conmon-<id>, /libpod_parent/conmon: the monitor)
 *   kubepods   /kubepods/<qos>/pod<uid>/<id>   kubepods-<qos>-pod<uid_with_underscores>.slice
 *   LXC        /lxc/<name>, /lxc.payload.<name> (lxc.monitor.<name>: the monitor)
 *   nspawn     /machine.slice/systemd-nspawn@<name>.service[/payload]
 *              (.../supervisor: the monitor), /machine.slice/machine-<name>.scope
 *   units      /system.slice/<unit>.service, .../<unit>.scope
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CGROUP_FILE_MAX       (64u * 1024u)
#define CGROUP_FILE_MAX_LINES 64u
#define CGROUP_PATH_MAX       4096u
#define CGROUP_ID_MAX         65u  /* 64 hex digits, or an LXC/nspawn name of at most 64 */
#define CGROUP_UNIT_MAX       256u /* systemd's UNIT_NAME_MAX */

enum workload_runtime {
        RUNTIME_NONE, /* a host process */
        RUNTIME_DOCKER,
        RUNTIME_CONTAINERD,
        RUNTIME_CRIO,
        RUNTIME_PODMAN,
        RUNTIME_CRI, /* a kubepods container whose cgroup does not name the runtime */
        RUNTIME_LXC,
        RUNTIME_NSPAWN,
        _RUNTIME_MAX,
};

enum cgroup_role {
        CGROUP_ROLE_HOST,      /* not in a container: a unit, or nothing */
        CGROUP_ROLE_CONTAINER, /* inside a container */
        CGROUP_ROLE_MONITOR,   /* a runtime helper beside a container (conmon...) */
};

struct cgroup_identity {
        enum cgroup_role role;
        enum workload_runtime runtime;
        char id[CGROUP_ID_MAX]; /* container id or name; "" when none (podman's shared conmon) */
        char pod_uid[37];       /* Kubernetes pod UID, dashes restored; "" when none */
        char qos[11];           /* "guaranteed", "burstable", "besteffort"; "" when no pod */
        char unit[CGROUP_UNIT_MAX]; /* deepest .service/.scope of a host process; "" when none */
        bool delegated;             /* under user@UID.service: a user owns the names */
        uint32_t delegated_uid;
        unsigned version; /* cgroup version of the line that decided: 1 or 2; 0 if none */
};

const char *workload_runtime_to_string(enum workload_runtime r);
const char *cgroup_role_to_string(enum cgroup_role r);

/* Identifies one cgroup path (absolute, as /proc/PID/cgroup prints it).
 * Returns 0 (a path without any pattern is a host process with no unit),
 * or -EINVAL for a path that is not absolute, too long, or has an empty
 * component. */
int cgroup_path_identify(const char *path, size_t len, struct cgroup_identity *ret);

/* Parses a whole /proc/PID/cgroup and identifies the process: the v2 line
 * first, then name=systemd, then the v1 controllers in file order; the
 * first line that shows a container (or a monitor) decides, else the first
 * that shows a unit. Returns 0, -EINVAL for a malformed file, -E2BIG over
 * the caps. */
int cgroup_file_identify(const char *buf, size_t len, struct cgroup_identity *ret);
