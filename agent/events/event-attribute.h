/* SPDX-License-Identifier: MIT */
/* Which workload and which service an event belongs to.
 *
 * A live event's pid is looked up through posture's identity code (cgroup,
 * OCI state, the policies' match rules) and cached by pid + start time.
 * Reused PIDs are never mixed up: the kernel stamped the event with its
 * time, and a process that started after that time cannot have made it.
 * The cache remembers that a (pid, start time) was alive at a given
 * moment; an event stamped before that moment, from a process that had
 * started by then, is that process's without reading /proc again (so a
 * burst from one process costs one read of its stat). Events from
 * processes that have exited since keep what was known about them.
 *
 * Without a live process (offline logs, a process that exited before it
 * was ever seen), the event is attributed by what it carries: an AppArmor
 * profile named hardend-<service>, or an executable that a policy's
 * match.executables names. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit-event.h"
#include "policy/policy-set.h"
#include "posture/workload.h"

#define ATTRIBUTOR_DEFAULT_MAX_PROCESSES 4096u
/* A process whose start time is within this much after an event's stamp
 * still counts as having made it: the stamp has millisecond resolution,
 * start times have clock ticks, and the two clocks are converted. */
#define ATTRIBUTOR_START_SLACK_USEC (100u * 1000u)

enum attribution_how {
        ATTRIBUTED_NONE,
        ATTRIBUTED_LIVE,       /* the process, read from /proc */
        ATTRIBUTED_REMEMBERED, /* the process, as known before it exited */
        ATTRIBUTED_PROFILE,    /* the AppArmor profile hardend-<service> */
        ATTRIBUTED_EXECUTABLE, /* exe= matched a policy's match.executables */
        _ATTRIBUTED_MAX,
};

struct attribution {
        const char *service; /* borrowed from the policy set; NULL: no service */
        enum attribution_how how;
        enum match_how match; /* how the workload matched its service */
        char *workload;       /* "podman:9784079cc7c7", "unit:nginx.service", "pid:812" */
        char *container_id;   /* the full id of a container, or NULL */
        char *container_name; /* the engine's name, or NULL */
        char *pod;            /* "namespace/pod", or NULL */
        char *k8s_container;  /* or NULL */
};

struct attributor_config {
        const struct policy_set *policies; /* borrowed; must outlive the attributor */
        int proc_fd;                       /* /proc; -1: never look at processes */
        int root_fd;                       /* where OCI state is read; -1: skip it */
        size_t max_processes;              /* cache cap; 0 = the default */
};

struct attributor_stats {
        uint64_t events;
        uint64_t cache_hits; /* no /proc read needed */
        uint64_t stat_reads; /* a start time read to verify a cached process */
        uint64_t identified; /* processes read in full (cgroup, OCI state, match) */
        uint64_t reused;     /* a pid found naming a newer process than the event's */
        uint64_t remembered; /* events of processes that had exited */
        uint64_t unknown;    /* events no process and no rule explained */
        uint64_t evicted;    /* cache entries dropped for the cap */
};

struct attributor;

int attributor_new(const struct attributor_config *c, struct attributor **ret);
struct attributor *attributor_free(struct attributor *a);

/* Attributes e. live: e was made on this machine since its last boot, so
 * its pid may name a process here. now_usec: CLOCK_REALTIME µs. The result
 * is borrowed until the next call. Returns NULL only when out of memory. */
const struct attribution *attributor_attribute(struct attributor *a, const struct audit_event *e,
                                               bool live, uint64_t now_usec);
const struct attributor_stats *attributor_stats(const struct attributor *a);

const char *attribution_how_to_string(enum attribution_how h);
