/* SPDX-License-Identifier: MIT */
/* The exposure score of a workload, 0.0 (nothing exposed) to 10.0, in the
 * spirit of `systemd-analyze security`: weighted facts that /proc proves,
 * added up and capped. The weights are documented in docs/posture.md and
 * tested one by one. */
#pragma once

#include "posture-check.h"

/* Weights, in score points. */
#define SCORE_CAP_CRITICAL     2.0 /* per critical capability held or bounded */
#define SCORE_CAP_HIGH         0.5
#define SCORE_CAP_MEDIUM       0.2
#define SCORE_CAP_MAX          4.0 /* capabilities add at most this much */
#define SCORE_NO_SECCOMP       2.0
#define SCORE_NO_NEW_PRIVS_OFF 1.0
#define SCORE_UNCONFINED       1.0
#define SCORE_RUNS_AS_ROOT     1.0
#define SCORE_ROOT_WRITABLE    0.5
#define SCORE_DISK_MOUNT       0.3 /* per writable disk-backed mount not allowed */
#define SCORE_DISK_MOUNT_MAX   1.0
#define SCORE_NS_MNT           3.0
#define SCORE_NS_PID           1.5
#define SCORE_NS_NET           1.5
#define SCORE_NS_IPC           0.5
#define SCORE_NS_USER          0.5
#define SCORE_NS_UTS           0.2
#define SCORE_NS_CGROUP        0.2
#define SCORE_ESCAPE           10.0 /* runtime socket, host root, privileged */

/* Returns the score, rounded to one decimal, and its rating: "safe" (< 1),
 * "ok" (< 4), "medium" (< 7), "exposed" (< 9), "unsafe". */
double posture_score(const struct posture_facts *f, const char **ret_rating);
