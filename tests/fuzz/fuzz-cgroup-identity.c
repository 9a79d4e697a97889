/* SPDX-License-Identifier: MIT */
/* libFuzzer target for /proc/PID/cgroup and the path patterns that name a
 * workload (docker, containerd, CRI-O, podman, kubepods, LXC, nspawn,
 * units). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/cgroup-identity.h"

static void check(const struct cgroup_identity *id)
{
        if (strnlen(id->id, sizeof(id->id)) == sizeof(id->id) ||
            strnlen(id->unit, sizeof(id->unit)) == sizeof(id->unit) ||
            strnlen(id->pod_uid, sizeof(id->pod_uid)) == sizeof(id->pod_uid))
                abort();
        if (id->role == CGROUP_ROLE_CONTAINER && (id->runtime == RUNTIME_NONE || !id->id[0]))
                abort();
        if (id->role == CGROUP_ROLE_HOST && id->runtime != RUNTIME_NONE)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct cgroup_identity id;

        if (cgroup_file_identify((const char *)data, size, &id) == 0)
                check(&id);
        if (cgroup_path_identify((const char *)data, size, &id) == 0)
                check(&id);
        return 0;
}
