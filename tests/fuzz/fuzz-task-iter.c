/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the BPF task iterator's record stream
 * (posture/task-iter.h): any bytes. A stream is read record by record
 * until the end or -EBADMSG; every record it accepts must hold what the
 * parser promises (a NUL-terminated comm, cgroup entries whose paths
 * print as "/" or "/a/b" with one '/' per component). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/task-iter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct task_record t;
        size_t off = 0, last = 0;
        int r;

        while ((r = task_iter_next(data, size, &off, &t)) > 0) {
                if (off <= last || off > size)
                        abort();
                last = off;
                if (t.comm_len > TASK_ITER_COMM_MAX || t.comm[t.comm_len] != '\0' || t.tgid <= 0 ||
                    t.pid <= 0 || t.leader != (t.pid == t.tgid))
                        abort();
                if (t.n_cgroups > TASK_ITER_CG_PATHS || (t.n_cgroups && !t.has_cgroups))
                        abort();
                for (size_t i = 0; i < t.n_cgroups; i++) {
                        char path[4096];
                        unsigned slashes = 0;
                        int n = task_cgroup_path(&t.cgroups[i], path, sizeof(path));

                        if (n < 0 || path[0] != '/' || (size_t)n != strlen(path))
                                abort();
                        for (int k = 0; k < n; k++)
                                if (path[k] == '/') {
                                        if (k + 1 < n && path[k + 1] == '/')
                                                abort();
                                        slashes++;
                                }
                        if (slashes != (t.cgroups[i].depth ? t.cgroups[i].depth : 1))
                                abort();
                }
        }
        if (r != 0 && r != -EBADMSG)
                abort();
        return 0;
}
