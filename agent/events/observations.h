/* SPDX-License-Identifier: MIT */
/* What each service was seen doing, aggregated from its events: for
 * seccomp, per syscall (and architecture) and verdict; for AppArmor, per
 * verdict, operation, object (path, capability, network family/type, peer)
 * and mask. Each with counts, first/last seen, an example process and the
 * workloads involved. This is what reports and proposals are built from.
 *
 * Memory is bounded by a cap on distinct keys: an event that would need a
 * new key past the cap is counted (per service and in total), never lost
 * silently.
 *
 * observations-file.h saves them to the state directory and restores them
 * (observations_restore*) at the next start. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "audit-event.h"
#include "timeline.h"
#include "base/macro.h"

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
        /* Made by the container runtime's own start-up (runc or crun between
         * loading the filter and exec'ing the workload), not by the workload:
         * kept apart so proposals can tell the two (event_from_runtime). */
        bool runtime;
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
        /* The latest event time of a denial, over the cap or not (0: none
         * yet): the one time a key cap cannot lose. */
        uint64_t last_denial_usec;
        /* Events and denials over time (not saved: starts with the agent). */
        struct timeline timeline;
};

struct observations;

int observations_new(size_t max_keys, struct observations **ret);
struct observations *observations_free(struct observations *o);
DEFINE_POINTER_CLEANUP(struct observations, observations_free)

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
/* Every observation in no particular order, without sorting (so usable on
 * a const object); borrowed until the next add or restore. */
const struct observation *const *observations_all(const struct observations *o, size_t *ret_n);

/* audit_event_is_denial() for the events of a key: seccomp
 * LOG/ERRNO/KILL_PROCESS/KILL_THREAD/TRAP, AppArmor ALLOWED/DENIED/KILL. */
bool observation_is_denial(const struct observation *ob);

/* When service (NULL: unattributed) last had a denial or would-be denial
 * (observation_is_denial), for "enforce refuses while the service had
 * would-be denials within the quiet period":
 *   *ret_last_usec   the latest such event's time, over the key cap or not
 *                    (exact: kept per service);
 *   *ret_keys_since  how many distinct denial keys (syscall and verdict;
 *                    AppArmor operation, object and mask) of the service had
 *                    an event at or after since_usec. Per key only the first
 *                    and last times are kept, not every event's, so this is
 *                    a count of kinds, not of events: each of them had at
 *                    least one event in the window. It is 0 while
 *                    *ret_last_usec >= since_usec when every such event
 *                    went over the key cap.
 * Returns 1 when the service has had a denial, 0 when never (outputs 0).
 * Costs a pass over the keys. */
int observations_last_denial(const struct observations *o, const char *service, uint64_t since_usec,
                             uint64_t *ret_last_usec, uint64_t *ret_keys_since);

/* Restoring what observations_save() wrote (observations-file.h); a load
 * with the same key cap gives back exactly what was saved.
 *
 * observations_restore_service adds sc's events, denials and over_cap to
 * the service's counters (creating it; sc->keys is ignored: it counts what
 * is restored) and raises its last_denial_usec to sc's. Returns 0 or
 * -ENOMEM.
 *
 * observations_restore re-inserts one key with its counts, times, example
 * and workloads (copied; syscall_name is looked up from arch and syscall,
 * ob's is ignored). Its events are already in the service's counters, so
 * they are not counted again; a key that finds the cap reached is counted
 * as ob->count events over the cap (per service and in total), like live
 * events. Returns 0, 1 (over the cap), -EEXIST (the key is already there),
 * -EINVAL (observation_check refuses ob) or -ENOMEM. */
int observations_restore_service(struct observations *o, const struct service_counts *sc);
int observations_restore(struct observations *o, const struct observation *ob);
/* NULL when ob is a key observations_add could have made, else what is
 * wrong (static text): a field out of its enum, fields of another kind
 * set, count 0, first after last, a string over OBSERVATION_STRING_MAX,
 * too many, repeated or missing workloads, more_workloads while there was
 * room. */
const char *observation_check(const struct observation *ob);
/* Bytes held, for status and the memory cap. */
size_t observations_memory(const struct observations *o);

const char *observation_object_to_string(enum observation_object k);

/* Whether e was made by a container runtime's start-up code rather than by
 * the workload: runc's init ("runc:[2:INIT]", run from a memfd copy of
 * runc), crun, youki, runsc. Seccomp is loaded in the runtime's init just
 * before it execs the workload, so its last calls run under the filter
 * and are logged with the service's other events. */
bool event_from_runtime(const struct audit_event *e);
