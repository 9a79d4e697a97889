/* SPDX-License-Identifier: MIT */
/* The parts of the report document (docs/report.md) that come from a
 * service's observations: counts, the ranked denials, the timeline and
 * the top calls and objects. The daemon and the offline `hardenctl
 * report` add mode, readiness, workloads, findings and the proposal. */
#pragma once

#include <jansson.h>
#include <stdint.h>

#include "events/observations.h"

#define REPORT_DENIALS_MAX 50u
#define REPORT_TOP_MAX     15u

/* {"service", "counts", "denials", "more_denials", "timeline", "top"} for
 * service (NULL: the unattributed events), keys last seen at or after
 * since_usec. NULL when out of memory. */
json_t *report_service_json(const struct observations *o, const char *service, uint64_t since_usec);
/* The document's frame: {"generated_usec", "source", "since_usec",
 * "services": [], "unattributed", "agent": null}. */
json_t *report_document(const char *source, uint64_t generated_usec, uint64_t since_usec);
