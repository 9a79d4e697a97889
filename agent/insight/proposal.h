/* SPDX-License-Identifier: MIT */
/* From what a service was seen doing to a tighter, explained policy.
 *
 * A proposal is a list of changes, each with its evidence (counts, an
 * example process, the workloads involved) and a one-line reason, and the
 * policy file's text with those changes made: a splice of the operator's
 * own file (yaml-edit.h), so comments and layout survive, and every added
 * or commented-out line carries its reason as a YAML comment. The unified
 * diff of the two texts is what `hardenctl propose` shows.
 *
 * What is proposed (docs/propose.md has the rules in full):
 *   - seccomp: calls logged or refused by the default action become allowed
 *     (a whole group when all of its calls are in use); risky calls
 *     (risky.h) are held back unless accepted; calls refused by the deny
 *     list, or that failed an argument condition, are notes, never
 *     additions. After a recording, allowed calls never made are removed,
 *     a group base is replaced by what was used, and the socket families
 *     AppArmor saw narrow the socket condition;
 *   - AppArmor: file accesses merged into globs (path-merge.h), network
 *     family/type pairs; after a recording, rules nothing used are removed;
 *   - posture: capabilities AppArmor saw checked are added (risky ones held
 *     back); capabilities no running workload of the service holds, or that
 *     a recording never saw checked, are removed.
 * Events of the container runtime's own start-up (observation.runtime) are
 * never evidence for an addition; the calls they show are never removed,
 * since the runtime needs them to start the workload under the filter. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "base/macro.h"
#include "events/observations.h"
#include "policy/policy.h"

/* A proposal refuses more observations than this (a 16384-key daemon cap
 * is far below; an offline log with --max-keys may come close). */
#define PROPOSAL_MAX_OBSERVATIONS 1000000u
#define PROPOSAL_REASON_MAX       240u

enum proposal_section {
        PROPOSAL_SECCOMP,
        PROPOSAL_APPARMOR,
        PROPOSAL_POSTURE,
        _PROPOSAL_SECTION_MAX,
};

enum proposal_action {
        PROPOSAL_ADD,       /* in the new text: now allowed */
        PROPOSAL_REMOVE,    /* in the new text: no longer allowed */
        PROPOSAL_NARROW,    /* in the new text: a condition or rule tightened */
        PROPOSAL_HELD_BACK, /* risky: not in the new text without accept_risky */
        PROPOSAL_NOTE,      /* seen, nothing to change automatically: why */
        _PROPOSAL_ACTION_MAX,
};

struct proposal_change {
        enum proposal_section section;
        enum proposal_action action;
        char *what;       /* "ptrace", "@timer", "/etc/app/{a,b} r", "inet stream", "NET_ADMIN" */
        char *reason;     /* one line */
        const char *risk; /* static note for risky ones, else NULL */
        uint64_t count;   /* events behind it (0 for removals) */
        char *example;    /* "pid 12 comm=node exe=/usr/bin/node", or NULL */
        char *workloads[OBSERVATION_WORKLOADS_MAX]; /* which workloads used it */
        size_t n_workloads;
        uint64_t more_workloads;
};

/* A recording run the observations come from: only then are removals
 * proposed ("never used" means something only over a known window). */
struct proposal_recording {
        uint64_t start_usec, end_usec;
        bool apparmor; /* a complain-mode profile was loaded: AppArmor saw everything */
};

/* What a running workload of the service holds (from a /proc scan). */
struct proposal_held {
        const char *workload;
        uint64_t permitted; /* CapPrm bits */
};

struct proposal_options {
        bool accept_risky;
        bool all_events;     /* offline --all-events: every observation is the service's */
        uint64_t since_usec; /* observations last seen before this are left out; 0: all */
        const struct proposal_recording *recording; /* NULL: no removals */
        const struct proposal_held *held;           /* may be NULL */
        size_t n_held;
        unsigned collapse_min; /* path-merge's files-per-directory threshold; 0: default */
};

struct proposal {
        char *service;
        char *label; /* the file name the diff shows */
        char *old_text, *new_text;
        size_t old_size, new_size;
        char *diff; /* "" when nothing changes */
        struct proposal_change *changes;
        size_t n_changes;
        size_t n_by_action[_PROPOSAL_ACTION_MAX];
        /* Evidence used. */
        size_t observations;     /* keys of the service considered */
        uint64_t events;         /* their events */
        uint64_t runtime_events; /* of the runtime's start-up, not evidence */
        /* The seccomp allow list before and after, on x86_64: syscalls
         * allowed whatever their arguments. */
        size_t allowed_before, allowed_after;
};

/* Builds the proposal for policy p, whose file text is text (size bytes;
 * label names it in the diff, e.g. "profiles/api.yaml"), from
 * observations obs (any services: only p's are used unless all_events).
 * Never writes anything. Returns 0; -EINVAL when the text is not p's
 * policy file (it does not parse, or does not load back as a valid policy
 * once edited: *err says why), -E2BIG, -ENOMEM. */
int proposal_build(const struct policy *p, const char *text, size_t size, const char *label,
                   const struct observation *const *obs, size_t n_obs,
                   const struct proposal_options *o, char *err, size_t err_size,
                   struct proposal **ret);
struct proposal *proposal_free(struct proposal *p);
DEFINE_POINTER_CLEANUP(struct proposal, proposal_free)

/* Whether the new text differs from the old. */
static inline bool proposal_changes_policy(const struct proposal *p)
{
        return p->diff && p->diff[0];
}

const char *proposal_section_to_string(enum proposal_section s);
const char *proposal_action_to_string(enum proposal_action a);

/* The proposal as JSON: service, label, counts, changes[], diff, new_text,
 * the SHA-256 of the old text (so an apply can refuse a file edited since). */
json_t *proposal_to_json(const struct proposal *p);
/* proposal_to_json()'s document for a terminal: a summary line, the diff,
 * then what was held back and the notes. */
int proposal_print(FILE *f, const json_t *p);
