/* SPDX-License-Identifier: MIT */
#include "score.h"

#include "namespaces.h"

/* Capabilities that are only in the bounding set can still be gained (by
 * exec of a privileged file, unless no_new_privs); they count half. */
static double capability_points(const struct posture_facts *f)
{
        double total = 0;

        for (int cap = 0; cap < 64; cap++) {
                uint64_t bit = UINT64_C(1) << cap;
                double w;

                if (!((f->caps_bounding | f->caps_held) & bit))
                        continue;
                switch (capability_severity(cap)) {
                case SEVERITY_CRITICAL:
                        w = SCORE_CAP_CRITICAL;
                        break;
                case SEVERITY_HIGH:
                        w = SCORE_CAP_HIGH;
                        break;
                default:
                        w = SCORE_CAP_MEDIUM;
                        break;
                }
                total += f->caps_held & bit ? w : w / 2;
        }
        return total > SCORE_CAP_MAX ? SCORE_CAP_MAX : total;
}

double posture_score(const struct posture_facts *f, const char **ret_rating)
{
        static const double ns_weight[_NS_TYPE_MAX] = {
            [NS_CGROUP] = SCORE_NS_CGROUP, [NS_IPC] = SCORE_NS_IPC, [NS_MNT] = SCORE_NS_MNT,
            [NS_NET] = SCORE_NS_NET,       [NS_PID] = SCORE_NS_PID, [NS_USER] = SCORE_NS_USER,
            [NS_UTS] = SCORE_NS_UTS,
        };
        double s = 0, disk;
        const char *rating;

        if (f->runtime_socket || f->host_root ||
            (f->full_bounding && f->no_seccomp && f->unconfined))
                s = SCORE_ESCAPE;
        s += capability_points(f);
        if (f->no_seccomp)
                s += SCORE_NO_SECCOMP;
        if (f->no_new_privs_off)
                s += SCORE_NO_NEW_PRIVS_OFF;
        if (f->unconfined)
                s += SCORE_UNCONFINED;
        if (f->runs_as_root)
                s += SCORE_RUNS_AS_ROOT;
        if (f->root_writable)
                s += SCORE_ROOT_WRITABLE;
        disk = SCORE_DISK_MOUNT * f->writable_disk_mounts;
        s += disk > SCORE_DISK_MOUNT_MAX ? SCORE_DISK_MOUNT_MAX : disk;
        for (int t = 0; t < _NS_TYPE_MAX; t++)
                if (f->host_ns & (1u << t))
                        s += ns_weight[t];
        if (s > 10.0)
                s = 10.0;
        /* One decimal, half up (no libm: s is never negative). */
        s = (double)(long)(s * 10.0 + 0.5) / 10.0;
        rating = s < 1.0   ? "safe"
                 : s < 4.0 ? "ok"
                 : s < 7.0 ? "medium"
                 : s < 9.0 ? "exposed"
                           : "unsafe";
        if (ret_rating)
                *ret_rating = rating;
        return s;
}
