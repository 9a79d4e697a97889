/* SPDX-License-Identifier: MIT */
/* libFuzzer target for /proc/PID/status. */
#include <stdint.h>
#include <stdlib.h>

#include "posture/proc-status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct proc_status s;

        if (proc_status_parse((const char *)data, size, &s) < 0)
                return 0;
        /* What the parser promises of a status it accepts. */
        if ((s.fields & PROC_STATUS_REQUIRED) != PROC_STATUS_REQUIRED || s.pid <= 0 ||
            s.creds.seccomp_mode > 2 || s.nspid_levels > PROC_STATUS_NSPID_MAX)
                abort();
        if (!proc_creds_equal(&s.creds, &s.creds))
                abort();
        return 0;
}
