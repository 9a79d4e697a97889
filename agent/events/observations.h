/* SPDX-License-Identifier: MIT */
/* What each service was seen doing, aggregated from its events: for
 * seccomp, per syscall (and architecture) and verdict; for AppArmor, per
 * verdict, operation, object (path, capability, network family/type, peer)
 * and mask. Each with counts, first/last seen, an example process and the
 * workloads involved. This is what reports and proposals are built from.
 *
 * Memory is bounded by a cap on distinct keys: an event that would need a
 * new key past the cap is counted (per service and in total), never lost
 * silently. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "audit-event.h"

#define OBSERVATIONS_DEFAULT_MAX_KEYS 16384u
#define OBSERVATION_WORKLOADS_MAX     8u    /* kept per key; more are counted */
#define OBSERVATION_STRING_MAX        1024u /* longer strings are cut, with "..." */

enum observation_object {
        OBJECT_NONE,
        OBJECT_SYSCALL,
        OBJECT_PATH,
        OBJECT_CAPABILITY,
        OBJECT_NETWORK, /* "inet stream" */
        OBJECT_PEER,
        OBJECT_PROFILE, /* STATUS events: the profile loaded/replaced/removed */
        OBJECT_SIGNAL,  /* an ABEND no seccomp record explains */
};

struct observation {
        char *service; /* NULL: attributed to no service */
        enum event_kind kind;
        unsigned verdict; /* enum seccomp_event_verdict or enum apparmor_verdict */
        /* seccomp */
        uint32_t arch;
        int64_t syscall;
        const char *syscall_name; /* static; NULL when unknown */
        uint16_t data;            /* errno of ERRNO */
        /* AppArmor */
        char *operation;
        enum observation_object object_kind;
        char *object; /* path, capability name, "inet stream", peer, profile */
        char *mask;   /* denied_mask, else requested_mask */
        /* Counts. */
        uint64_t count;
        uint64_t killed; /* processes an ABEND record shows were killed for it */
        uint64_t first_usec, last_usec;
        pid_t example_pid;
        char *example_comm, *example_exe;
        char *workloads[OBSERVATION_WORKLOADS_MAX]; /* workload refs, first seen first */
        size_t n_workloads;
        uint64_t more_workloads; /* events from workloads past the kept ones */
};

struct service_counts {
        char *service; /* NULL: unattributed */
        uint64_t events;
        uint64_t denials;  /* audit_event_is_denial() */
        uint64_t over_cap; /* events that found no room for a new key */
        uint64_t keys;
};

struct observations;

int observations_new(size_t max_keys, struct observations **ret);
struct observations *observations_free(struct observations *o);

/* Adds one event attributed to service (may be NULL) and workload (a
 * workload ref, may be NULL). Returns 0, 1 when the event was counted only
 * (over the cap), -ENOMEM. */
int observations_add(struct observations *o, const struct audit_event *e, const char *service,
                     const char *workload);
/* Records that the process of a seccomp event of service was killed for
 * it (a linked ANOM_ABEND). Returns 0, -ENOENT if no such key is kept. */
int observations_mark_killed(struct observations *o, const char *service,
                             const struct seccomp_event *s);

/* Every observation, sorted by service, kind, then count (descending);
 * borrowed until the next add. */
int observations_list(struct observations *o, const struct observation ***ret, size_t *ret_n);
/* Per-service counters, sorted by service (unattributed last). Borrowed. */
const struct service_counts *observations_services(const struct observations *o, size_t *ret_n);
uint64_t observations_over_cap(const struct observations *o);
size_t observations_keys(const struct observations *o);
/* Bytes held, for status and the memory cap. */
size_t observations_memory(const struct observations *o);

const char *observation_object_to_string(enum observation_object k);
