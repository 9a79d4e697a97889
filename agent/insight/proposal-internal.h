/* SPDX-License-Identifier: MIT */
/* Shared by the sections of a proposal (proposal-seccomp.c,
 * proposal-apparmor.c, proposal-posture.c) and proposal.c, which drives
 * them. Not for other modules. */
#pragma once

#include "base/macro.h"
#include "path-merge.h"
#include "proposal.h"
#include "yaml-edit.h"

/* The evidence behind one change, merged over several observation keys
 * (a syscall logged on two architectures, a glob covering many files). */
struct evidence {
        uint64_t count;
        const struct observation *example; /* the key with the most events */
        const char *workloads[OBSERVATION_WORKLOADS_MAX];
        size_t n_workloads;
        uint64_t more_workloads;
        uint64_t first_usec, last_usec;
        /* evidence_add_at() only: the ids of the workloads in workloads[],
         * one bit each (see WORKLOAD_BITS) */
        uint64_t workload_bits;
};

/* What an observation is about, for the section that reads it. */
enum obs_class {
        OBS_SECCOMP,
        OBS_FILE,       /* AppArmor, a path */
        OBS_NETWORK,    /* AppArmor, a socket */
        OBS_CAPABILITY, /* AppArmor, a capability check */
        OBS_OTHER,      /* AppArmor, anything else (signal, ptrace, mount...) */
        _OBS_CLASS_MAX,
};

/* Indexes into proposal_builder.obs, ascending. */
struct obs_list {
        const uint32_t *v;
        size_t n;
};

/* The first WORKLOAD_BITS distinct workloads of the service have an id;
 * WORKLOAD_NONE: a later one. */
#define WORKLOAD_BITS 64u
#define WORKLOAD_NONE UINT8_MAX

struct proposal_builder {
        const struct policy *policy;
        const struct proposal_options *opt;
        struct yaml_edit *edit;
        struct proposal *out;
        /* The service's observations, last seen at or after since_usec:
         * the workload's own, and its runtime's start-up. */
        const struct observation **obs;
        size_t n_obs;
        const struct observation **runtime;
        size_t n_runtime;
        /* obs by class: a section reads only its own (most observations of
         * a large service are files, and each one read costs a cache miss) */
        struct obs_list by_class[_OBS_CLASS_MAX];
        /* per obs[i], the ids of its workloads[] */
        uint8_t (*workload_ids)[OBSERVATION_WORKLOADS_MAX];
        /* room for the paths of obs, handed to path_merge() */
        struct path_observed *paths;
        void *block;                /* the arrays above, one allocation */
        size_t cap_changes;         /* room in out->changes */
        size_t n_service_workloads; /* distinct workloads over obs, for "in 2 of 3" */
        char window[96];            /* "during the recording of 2026-11-22 13:00..13:30" */
        char edit_error[192];       /* which edit of the text failed, for the caller */
};

void evidence_add(struct evidence *ev, const struct observation *ob);
/* evidence_add() of b->obs[i], telling its workloads apart by their ids
 * rather than by their text (which it then need not read). ev must be
 * filled by this function only. */
void evidence_add_at(const struct proposal_builder *b, struct evidence *ev, size_t i);
void evidence_merge(struct evidence *ev, const struct evidence *more);
/* "12x by node (/usr/bin/node) in 2 of 3 workloads", bounded by size. */
char *evidence_describe(const struct proposal_builder *b, const struct evidence *ev, char *buf,
                        size_t size);

/* Records a change. what and the formatted reason are copied; ev may be
 * NULL. Returns 0 or -ENOMEM. */
_printf_(7, 8) int builder_change(struct proposal_builder *b, enum proposal_section section,
                                  enum proposal_action action, const char *what, const char *risk,
                                  const struct evidence *ev, const char *fmt, ...);
/* The reason of the change just recorded, for the YAML comment. */
const char *builder_last_reason(const struct proposal_builder *b);

/* The text edits of a proposal (yaml-edit.h), through one place that
 * says which part of the policy could not be edited when one fails. */
int edit_append(struct proposal_builder *b, const char *path, const char *item,
                const char *comment);
int edit_remove(struct proposal_builder *b, const char *path, size_t index, const char *comment);
int edit_scalar(struct proposal_builder *b, const char *path, const char *value,
                const char *comment);
int edit_item(struct proposal_builder *b, const char *path, size_t index, const char *key,
              const char *value, const char *comment);

/* value as a YAML scalar: plain when it is safe so, else double-quoted
 * with escapes (what comes from records is arbitrary bytes). */
char *yaml_scalar(const char *value, char *buf, size_t size);

bool recorded_apparmor(const struct proposal_builder *b);

int propose_seccomp(struct proposal_builder *b, char *err, size_t err_size);
int propose_apparmor(struct proposal_builder *b);
int propose_posture(struct proposal_builder *b);
