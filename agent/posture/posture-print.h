/* SPDX-License-Identifier: MIT */
/* Posture results for people (text: a line per workload, a line per
 * finding) and for machines (JSON through jansson). Everything that came
 * from /proc or a container is escaped. */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "posture-check.h"
#include "seccomp-check.h"

/* "podman:9784079cc7c7 web-1: service frontend (label io.kubernetes.container.name=frontend),
 *  1 process, exposure 2.9/10 (ok)", then "  seccomp: ..." when known, then
 * one "  SEVERITY CHECK MESSAGE" line per finding at or above min. */
void posture_print_text(FILE *f, const struct posture_scan *scan, const struct posture_report *r,
                        const struct seccomp_summary *s, enum severity min);

/* The same as a JSON object (findings at or above min). NULL on ENOMEM. */
json_t *posture_report_json(const struct posture_scan *scan, const struct posture_report *r,
                            const struct seccomp_summary *s, enum severity min);
/* What the scan saw of the host: reference process, AppArmor, counts. */
json_t *posture_scan_json(const struct posture_scan *scan);
/* "container", "unit", "process": as the JSON reports name kinds. */
const char *workload_kind_to_string(enum workload_kind k);
