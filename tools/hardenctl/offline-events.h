/* SPDX-License-Identifier: MIT */
/* What a log file copied from another machine says, for the offline
 * `propose` and `report`: the policies of a profiles directory, and the
 * file's events through a pipeline attributed by them (AppArmor profile
 * names, match.executables; no /proc: the processes are elsewhere). */
#pragma once

#include <stdint.h>

#include "events/events-pipeline.h"
#include "policy/policy-set.h"

struct offline_events {
        struct policy_set policies;
        struct events_pipeline *pipeline;
};

/* Loads profiles (invalid files are printed and skipped), checks that
 * service (if not NULL) has a valid policy, and reads input. service_only
 * keeps only that service's events. Returns an EXIT_* status after
 * printing why, prefixed "hardenctl VERB". */
int offline_events_read(const char *verb, const char *profiles, const char *input,
                        const char *service, bool service_only, uint64_t since_usec,
                        struct offline_events *ret);
void offline_events_done(struct offline_events *o);
