/* SPDX-License-Identifier: MIT */
/* Where every source's records meet: serial accounting (netlink), parse,
 * drop records already seen through another source, link ANOM_ABEND
 * records to the seccomp record that caused them, attribute, filter,
 * aggregate into observations, and hand each event to a sink (the CLI's
 * printer, the daemon's state).
 *
 *   source ─► events_pipeline_feed() ─► parse ─► dedupe ─► attribute
 *                                                     └─► observations, sink */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit-event.h"
#include "audit-serial.h"
#include "sources/audit-source.h"
#include "event-attribute.h"
#include "observations.h"

/* An ANOM_ABEND is linked to a seccomp KILL/TRAP record of the same pid no
 * older than this. */
#define EVENTS_ABEND_LINK_USEC (5u * 1000000u)
#define EVENTS_ABEND_RING      64u
/* Malformed records: all are counted, the first few kept for the report. */
#define EVENTS_MALFORMED_KEEP 16u

struct event_context {
        const struct attribution *attr; /* never NULL */
        enum audit_source_kind source;
        const char *origin; /* file name or journal, for located messages; may be NULL */
        uint64_t line;
        /* For an ABEND: the syscall a seccomp kill named; NULL when none. */
        const char *killed_by;
};

/* Returns >= 0 to go on, -errno to stop the feed (it is returned). */
typedef int (*event_sink_fn)(const struct audit_event *e, const struct event_context *ctx,
                             void *userdata);

struct events_pipeline_config {
        const struct policy_set *policies; /* borrowed; NULL: nothing is matched */
        int proc_fd;                       /* /proc for live attribution; -1: offline only */
        int root_fd;                       /* OCI state root; -1: skip */
        size_t max_keys;                   /* observation cap; 0 = default */
        size_t max_processes;              /* attribution cache cap; 0 = default */
        const char *service;               /* only this service's events; NULL = all */
        uint64_t since_usec;               /* skip events stamped earlier; 0 = none */
        bool status_events;                /* also AppArmor STATUS (profile loads) */
        event_sink_fn sink;                /* may be NULL */
        void *userdata;
};

struct events_pipeline_stats {
        uint64_t records[_AUDIT_SOURCE_MAX]; /* raw records handed in, per source */
        uint64_t parsed;
        uint64_t ignored;    /* other audit types, lines that are no records */
        uint64_t malformed;  /* records of ours that did not parse */
        uint64_t duplicates; /* already seen through another source */
        uint64_t early;      /* stamped before since_usec */
        uint64_t filtered;   /* another service's, or STATUS when not wanted */
        uint64_t delivered;  /* reached observations and the sink */
        uint64_t abend_linked;
        struct audit_serial_tracker serial; /* netlink records only */
};

struct events_pipeline;

int events_pipeline_new(const struct events_pipeline_config *c, struct events_pipeline **ret);
struct events_pipeline *events_pipeline_free(struct events_pipeline *p);

/* One raw record from a source. Returns 0 (also for records it drops), a
 * sink's error, or -ENOMEM. */
int events_pipeline_feed(struct events_pipeline *p, const struct audit_raw *raw);
/* The same, as an audit_raw_fn (userdata is the pipeline). */
int events_pipeline_raw_fn(const struct audit_raw *raw, void *userdata);

/* The policies changed (a reload): attribution starts over against the
 * new set, since its caches borrow names from the old one; observations
 * are kept. policies must outlive the pipeline or the next call. Returns 0
 * or -ENOMEM (the old set stays in use). */
int events_pipeline_set_policies(struct events_pipeline *p, const struct policy_set *policies);
/* Takes o (e.g. observations restored from disk) in place of the
 * pipeline's own, which are freed. */
void events_pipeline_replace_observations(struct events_pipeline *p, struct observations *o);
/* The stream went quiet: settle serial accounting, so the last gaps of a
 * burst are counted (audit-serial.h). */
void events_pipeline_flush(struct events_pipeline *p);

struct observations *events_pipeline_observations(struct events_pipeline *p);
const struct events_pipeline_stats *events_pipeline_stats(const struct events_pipeline *p);
const struct attributor_stats *events_pipeline_attributor_stats(const struct events_pipeline *p);
/* "FILE:LINE:COL: what" for the first malformed records. */
const char *const *events_pipeline_malformed(const struct events_pipeline *p, size_t *ret_n);
