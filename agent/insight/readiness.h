/* SPDX-License-Identifier: MIT */
/* Is a service ready to enforce? The closed loop monitor -> propose ->
 * apply -> quiet -> enforce, made into three checks a person can read:
 *   quiet     no would-be denial for the quiet period since the policy
 *             last changed (an applied proposal is such a change);
 *   recorded  a recording exercised every call the policy allows;
 *   posture   the service's running workloads have no findings.
 * Pure: the caller gathers the facts. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct readiness_input {
        uint64_t now_usec;
        uint64_t quiet_period_usec;
        uint64_t policy_changed_usec; /* the policy file's last change; 0: unknown */
        uint64_t last_denial_usec;    /* the last (would-be) denial; 0: none */
        /* The last recording; have_recording false when there was none. */
        bool have_recording;
        uint64_t recording_start_usec, recording_end_usec;
        size_t allowed;   /* calls the policy allows whatever the arguments */
        size_t exercised; /* of them, made during the recording */
        /* The latest posture scan. */
        bool scanned;
        size_t workloads;
        size_t findings;
        const char *worst; /* severity name of the worst finding, or NULL */
};

/* {"ready": bool, "checks": [{"name", "ok", "text"}]} or NULL (no memory). */
json_t *readiness_json(const struct readiness_input *in);
