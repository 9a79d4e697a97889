/* SPDX-License-Identifier: MIT */
/* libFuzzer target for /proc/PID/mountinfo, and the look-ups posture makes
 * in a parsed table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const paths[] = {"/", "/run/docker.sock", "/var/lib/x", "/a b"};
        struct mount_table t;
        char buf[256];

        if (mountinfo_parse((const char *)data, size, &t, NULL) < 0)
                return 0;
        for (size_t i = 0; i < t.n; i++)
                if (t.entries[i].target[0] != '/' || !t.entries[i].fstype || !t.entries[i].source)
                        abort();
        (void)mount_table_root(&t);
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                const struct mount_entry *m = mount_table_resolve(&t, paths[i], buf, sizeof(buf));

                if (m && !path_is_prefix(m->target, paths[i]))
                        abort();
        }
        mount_table_done(&t);
        return 0;
}
