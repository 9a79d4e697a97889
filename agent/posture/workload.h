/* SPDX-License-Identifier: MIT */
/* Workloads: the scan's processes grouped by container (runtime and id)
 * or systemd unit, with what the runtime recorded about each container
 * (OCI state, bundle annotations, the engine's name, Kubernetes pod and
 * container names), then matched to a service by the policies' `match`
 * sections. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup-identity.h"
#include "oci-state.h"
#include "policy/policy-set.h"
#include "scan.h"

enum workload_kind {
        WORKLOAD_CONTAINER,
        WORKLOAD_UNIT,    /* a systemd unit on the host */
        WORKLOAD_PROCESS, /* a host process in no unit: only kept when an executable matches */
};

enum match_how {
        MATCH_NONE,
        MATCH_LABEL,
        MATCH_CONTAINER_NAME,
        MATCH_UNIT,
        MATCH_EXECUTABLE,
};

struct workload {
        enum workload_kind kind;
        enum workload_runtime runtime;
        char *id;   /* container id, unit name, or the pid in decimal */
        char *name; /* the engine's container name, or NULL */
        char *k8s_namespace, *k8s_pod, *k8s_container, *pod_uid; /* NULL when unknown */
        char qos[11];
        bool sandbox;   /* a Kubernetes pod's sandbox (pause) container */
        bool delegated; /* in a user's delegated cgroup tree (rootless) */
        uint32_t delegated_uid;
        /* OCI runtime state, when found. */
        bool have_state;
        bool state_trusted;
        char *state_path;
        pid_t init_pid;
        bool init_verified;       /* the state's init pid is in the scan with its start time */
        struct oci_labels labels; /* trusted labels and annotations only */
        /* Members: indices into posture_scan.procs, in pid order. */
        size_t *procs;
        size_t n_procs;
        /* Matching. */
        const struct policy *policy; /* borrowed from the policy set; NULL = unmatched */
        enum match_how how;
        char *how_detail;          /* "io.kubernetes.container.name=api", "api-*"... */
        const struct policy *also; /* another policy that matched as strongly */
};

struct workload_set {
        struct workload *items; /* containers, then units, then processes */
        size_t n;
        size_t monitors; /* runtime helpers (conmon...) left out */
};

/* Groups the scan's processes. root_fd is the host's "/" (OCI state and
 * engine metadata are read under it); -1 skips them. Returns 0 or -ENOMEM. */
int workloads_build(const struct posture_scan *scan, int root_fd, struct workload_set *ret);
/* Matches each workload to a service (labels, then container names, then
 * units, then executables; policies in service-name order). Workloads of a
 * user's delegated tree, and sandboxes, are not matched: their names are
 * the user's choice. Then drops host processes nothing matched. */
int workloads_match(struct workload_set *ws, const struct posture_scan *scan,
                    const struct policy_set *policies);
void workload_set_done(struct workload_set *ws);

const char *match_how_to_string(enum match_how h);
/* "podman:9784079cc7c7", "unit:nginx.service", "pid:812". */
const char *workload_ref(const struct workload *w, char *buf, size_t size);
/* The process a workload is best described by: the OCI init process when
 * verified, else its lowest pid. */
const struct proc_info *workload_main_proc(const struct workload *w,
                                           const struct posture_scan *scan);
