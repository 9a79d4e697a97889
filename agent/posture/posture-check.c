/* SPDX-License-Identifier: MIT */
#include "posture-check.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/macro.h"
#include "policy/names.h"
#include "oci-state.h"
#include "score.h"
#include "text-escape.h"

static const char *const severity_names[_SEVERITY_MAX] = {
    [SEVERITY_INFO] = "info", [SEVERITY_LOW] = "low",           [SEVERITY_MEDIUM] = "medium",
    [SEVERITY_HIGH] = "high", [SEVERITY_CRITICAL] = "critical",
};

const char *severity_to_string(enum severity s)
{
        return s >= 0 && s < _SEVERITY_MAX ? severity_names[s] : "unknown";
}

int severity_from_string(const char *s)
{
        for (int i = 0; i < _SEVERITY_MAX; i++)
                if (strcmp(s, severity_names[i]) == 0)
                        return i;
        return -EINVAL;
}

static const char *const check_names[_CHECK_MAX] = {
    [CHECK_UNMATCHED] = "unmatched",
    [CHECK_AMBIGUOUS] = "ambiguous-match",
    [CHECK_PRIVILEGED] = "privileged",
    [CHECK_CAPABILITY] = "capability",
    [CHECK_NO_NEW_PRIVS] = "no-new-privileges",
    [CHECK_SECCOMP] = "seccomp",
    [CHECK_APPARMOR] = "apparmor",
    [CHECK_ROOTFS] = "writable-rootfs",
    [CHECK_WRITABLE_MOUNT] = "writable-mount",
    [CHECK_RUNTIME_SOCKET] = "runtime-socket",
    [CHECK_FORBIDDEN_MOUNT] = "forbidden-mount",
    [CHECK_HOST_ROOT] = "host-root",
    [CHECK_HOST_NAMESPACE] = "host-namespace",
    [CHECK_RUN_AS_ROOT] = "run-as-root",
    [CHECK_THREAD] = "thread-credentials",
    [CHECK_INCOMPLETE] = "incomplete",
    [CHECK_SECCOMP_FILTER] = "seccomp-filter",
};

const char *check_id_to_string(enum check_id c)
{
        return c >= 0 && c < _CHECK_MAX ? check_names[c] : "unknown";
}

/* Capabilities that open a way out of a container or into the kernel. */
static const int critical_caps[] = {
    CAP_SYS_ADMIN,  CAP_SYS_MODULE,         CAP_SYS_RAWIO,
    CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH,    CAP_BPF,
    CAP_PERFMON,    CAP_MAC_ADMIN,          CAP_MAC_OVERRIDE,
    CAP_SYS_BOOT,   CAP_CHECKPOINT_RESTORE,
};
/* Capabilities that bypass file permissions or identities, or own the
 * network stack. */
static const int high_caps[] = {
    CAP_DAC_OVERRIDE, CAP_FOWNER,          CAP_FSETID,    CAP_SETUID,  CAP_SETGID,
    CAP_SETFCAP,      CAP_SETPCAP,         CAP_NET_ADMIN, CAP_NET_RAW, CAP_SYS_CHROOT,
    CAP_MKNOD,        CAP_LINUX_IMMUTABLE, CAP_SYS_TIME,  CAP_SYSLOG,  CAP_AUDIT_CONTROL,
    CAP_IPC_OWNER,    CAP_SYS_RESOURCE,
};

enum severity capability_severity(int cap)
{
        for (size_t i = 0; i < ELEMENTSOF(critical_caps); i++)
                if (critical_caps[i] == cap)
                        return SEVERITY_CRITICAL;
        for (size_t i = 0; i < ELEMENTSOF(high_caps); i++)
                if (high_caps[i] == cap)
                        return SEVERITY_HIGH;
        /* A bit libcap has no name for: we cannot say what it grants. */
        if (cap > CAP_LAST_CAP)
                return SEVERITY_HIGH;
        return SEVERITY_MEDIUM;
}

const char *capability_name(int cap, char *buf, size_t size)
{
        capability_to_name(cap, buf, size);
        if (isdigit((unsigned char)buf[0]))
                snprintf(buf, size, "cap_%d", cap);
        return buf;
}

void posture_expect_from_policy(const struct policy *p, struct posture_expect *ret)
{
        struct posture_expect e = {.policy = p};

        for (size_t i = 0; i < p->posture.n_capabilities; i++)
                if (p->posture.capabilities[i].cap >= 0 && p->posture.capabilities[i].cap < 64)
                        e.allowed_caps |= UINT64_C(1) << p->posture.capabilities[i].cap;
        e.no_new_privileges = p->posture.no_new_privileges;
        e.read_only_rootfs = p->posture.read_only_rootfs;
        e.check_writable_mounts = true;
        e.writable_mounts = p->posture.writable_mounts;
        e.n_writable_mounts = p->posture.n_writable_mounts;
        e.host_ns_checked = POLICY_NS_PID | POLICY_NS_NET | POLICY_NS_IPC | POLICY_NS_UTS |
                            POLICY_NS_USER | POLICY_NS_CGROUP | POLICY_NS_MNT;
        e.host_ns_allowed = p->posture.host_namespaces;
        snprintf(e.apparmor_profile, sizeof(e.apparmor_profile), "hardend-%s", p->service);
        e.apparmor_mode =
            p->mode == POLICY_MODE_ENFORCE ? APPARMOR_MODE_ENFORCE : APPARMOR_MODE_COMPLAIN;
        *ret = e;
}

void posture_expect_baseline(struct posture_expect *ret)
{
        /* Kubernetes "restricted": capabilities dropped but
         * NET_BIND_SERVICE, allowPrivilegeEscalation false (no_new_privs),
         * a seccomp profile, runAsNonRoot, no host pid/net/ipc, no hostPath
         * (here: no runtime socket, no host root), AppArmor not
         * unconfined where the host has it. */
        *ret = (struct posture_expect){
            .allowed_caps = UINT64_C(1) << CAP_NET_BIND_SERVICE,
            .no_new_privileges = true,
            .forbidden = posture_default_forbidden_mounts,
            .n_forbidden = posture_default_forbidden_mounts_len,
            .host_ns_checked = POLICY_NS_PID | POLICY_NS_NET | POLICY_NS_IPC,
            .non_root = true,
        };
}

void posture_report_done(struct posture_report *r)
{
        for (size_t i = 0; i < r->n_findings; i++) {
                free(r->findings[i].subject);
                free(r->findings[i].message);
        }
        free(r->findings);
        r->findings = NULL;
        r->n_findings = 0;
}

int posture_report_add(struct posture_report *r, enum severity sev, enum check_id check, pid_t pid,
                       const char *subject, const char *fmt, ...)
{
        struct finding *v;
        char *msg = NULL, *subj;
        va_list ap;
        int k;

        va_start(ap, fmt);
        k = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (k < 0)
                return -ENOMEM;
        subj = strdup(subject);
        v = subj ? realloc(r->findings, (r->n_findings + 1) * sizeof(*v)) : NULL;
        if (!v) {
                free(msg);
                free(subj);
                return -ENOMEM;
        }
        r->findings = v;
        v[r->n_findings++] = (struct finding){sev, check, subj, msg, pid};
        return 0;
}

static int cmp_finding(const void *a, const void *b)
{
        const struct finding *x = a, *y = b;

        if (x->severity != y->severity)
                return x->severity > y->severity ? -1 : 1;
        if (x->check != y->check)
                return x->check < y->check ? -1 : 1;
        return strcmp(x->subject, y->subject);
}

void posture_report_sort(struct posture_report *r)
{
        if (r->n_findings > 1)
                qsort(r->findings, r->n_findings, sizeof(*r->findings), cmp_finding);
}

enum severity posture_report_worst(const struct posture_report *r)
{
        enum severity worst = SEVERITY_INFO;

        for (size_t i = 0; i < r->n_findings; i++)
                if (r->findings[i].severity > worst)
                        worst = r->findings[i].severity;
        return worst;
}

/* Where the expectations come from, for messages. */
static const char *by_whom(const struct posture_expect *e, char *buf, size_t size)
{
        if (e->policy)
                snprintf(buf, size, "service %s", e->policy->service);
        else
                snprintf(buf, size, "the restricted baseline");
        return buf;
}

/* One set of credentials: a process or one of its odd threads. */
struct cred_view {
        const struct proc_info *proc;
        const struct proc_creds *creds;
        pid_t tid; /* == proc->pid for the process itself */
};

#define MAX_VIEWS_PER_PROC (1 + SCAN_MAX_ODD_THREADS)

static size_t views_of(const struct proc_info *p, struct cred_view *v)
{
        size_t n = 0;

        v[n++] = (struct cred_view){p, &p->creds, p->pid};
        for (size_t i = 0; i < p->n_threads; i++)
                v[n++] = (struct cred_view){p, &p->threads[i].creds, p->threads[i].tid};
        return n;
}

static uint64_t full_mask(unsigned last)
{
        return last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
}

/* Every capability a process on this host can have: the host reference's
 * bounding set (PID 1's, normally the full set; where the host is itself
 * confined, a privileged container gets what its runtime had). SYS_ADMIN
 * must be among them, so that a confined agent's small set never makes an
 * ordinary container look privileged. */
static bool full_bounding(const struct posture_scan *scan, uint64_t bnd)
{
        uint64_t full = scan->host.cap_bnd ? scan->host.cap_bnd : full_mask(scan->cap_last_cap);

        return (bnd & full) == full && (bnd & (UINT64_C(1) << CAP_SYS_ADMIN));
}

static int check_caps(const struct posture_scan *scan, const struct workload *w,
                      struct posture_report *r)
{
        const struct posture_expect *e = &r->expect;
        uint64_t bnd = 0, prm = 0, eff = 0, amb = 0;
        struct cred_view first[64] = {0};
        char who[64];

        for (size_t i = 0; i < w->n_procs; i++) {
                struct cred_view v[MAX_VIEWS_PER_PROC];
                size_t n = views_of(&scan->procs[w->procs[i]], v);

                for (size_t k = 0; k < n; k++) {
                        uint64_t any = v[k].creds->cap_bnd | v[k].creds->cap_prm |
                                       v[k].creds->cap_eff | v[k].creds->cap_amb;

                        bnd |= v[k].creds->cap_bnd;
                        prm |= v[k].creds->cap_prm;
                        eff |= v[k].creds->cap_eff;
                        amb |= v[k].creds->cap_amb;
                        for (int c = 0; c < 64; c++)
                                if ((any & (UINT64_C(1) << c)) && !first[c].proc)
                                        first[c] = v[k];
                        if (full_bounding(scan, v[k].creds->cap_bnd))
                                r->facts.full_bounding = true;
                }
        }
        r->facts.caps_bounding = bnd;
        r->facts.caps_held = prm | eff | amb;
        by_whom(e, who, sizeof(who));
        for (int c = 0; c < 64; c++) {
                uint64_t bit = UINT64_C(1) << c;
                char name[64], sets[64] = "", holder[64];
                enum severity sev;
                int k;

                if (!((bnd | prm | eff | amb) & bit) || (e->allowed_caps & bit))
                        continue;
                capability_name(c, name, sizeof(name));
                snprintf(sets, sizeof(sets), "%s%s%s%s", bnd & bit ? ", bounding" : "",
                         prm & bit ? ", permitted" : "", eff & bit ? ", effective" : "",
                         amb & bit ? ", ambient" : "");
                sev = capability_severity(c);
                /* Only in the bounding set: not held, but can be gained by
                 * exec of a privileged file. One level less. */
                if (!((prm | eff | amb) & bit) && sev > SEVERITY_LOW)
                        sev--;
                if (first[c].tid == first[c].proc->pid)
                        snprintf(holder, sizeof(holder), "pid %d", (int)first[c].tid);
                else
                        snprintf(holder, sizeof(holder), "thread %d of pid %d", (int)first[c].tid,
                                 (int)first[c].proc->pid);
                k = posture_report_add(r, sev, CHECK_CAPABILITY, first[c].proc->pid, name,
                                       "%s in the %s set%s (%s), not allowed by %s", name, sets + 2,
                                       strchr(sets + 2, ',') ? "s" : "", holder, who);
                if (k < 0)
                        return k;
        }
        return 0;
}

static int check_creds(const struct posture_scan *scan, const struct workload *w,
                       struct posture_report *r)
{
        const struct posture_expect *e = &r->expect;
        pid_t nnp_off = 0, no_seccomp = 0, root = 0, privileged = 0;
        int k;

        for (size_t i = 0; i < w->n_procs; i++) {
                const struct proc_info *p = &scan->procs[w->procs[i]];
                struct cred_view v[MAX_VIEWS_PER_PROC];
                size_t n = views_of(p, v);

                for (size_t j = 0; j < n; j++) {
                        const struct proc_creds *c = v[j].creds;

                        if (!c->no_new_privs && !nnp_off)
                                nnp_off = v[j].tid;
                        if (c->seccomp_mode == 0 && !no_seccomp)
                                no_seccomp = v[j].tid;
                        if (c->uid[1] == 0 && !root)
                                root = v[j].tid;
                        if (full_bounding(scan, c->cap_bnd) && c->seccomp_mode == 0 &&
                            p->apparmor.state != APPARMOR_CONFINED && !privileged)
                                privileged = v[j].tid;
                }
        }
        r->facts.no_new_privs_off = nnp_off != 0;
        r->facts.no_seccomp = no_seccomp != 0;
        r->facts.runs_as_root = root != 0;
        if (privileged && (k = posture_report_add(
                               r, SEVERITY_CRITICAL, CHECK_PRIVILEGED, privileged, "privileged",
                               "privileged: every capability of the host in the bounding set, no "
                               "seccomp filter, no AppArmor confinement (pid %d)",
                               (int)privileged)) < 0)
                return k;
        if (e->no_new_privileges && nnp_off &&
            (k = posture_report_add(r, SEVERITY_MEDIUM, CHECK_NO_NEW_PRIVS, nnp_off, "no_new_privs",
                                    "no_new_privs is off (pid %d): setuid files and file "
                                    "capabilities can raise privileges",
                                    (int)nnp_off)) < 0)
                return k;
        if (no_seccomp &&
            (k = posture_report_add(r, SEVERITY_HIGH, CHECK_SECCOMP, no_seccomp, "seccomp",
                                    "no seccomp filter (pid %d): every system call is open",
                                    (int)no_seccomp)) < 0)
                return k;
        if (e->non_root && root &&
            (k = posture_report_add(r, SEVERITY_MEDIUM, CHECK_RUN_AS_ROOT, root, "uid 0",
                                    "runs as uid 0 (pid %d)", (int)root)) < 0)
                return k;
        return 0;
}

static int check_threads(const struct posture_scan *scan, const struct workload *w,
                         struct posture_report *r)
{
        for (size_t i = 0; i < w->n_procs; i++) {
                const struct proc_info *p = &scan->procs[w->procs[i]];

                for (size_t t = 0; t < p->n_threads; t++) {
                        const struct proc_creds *c = &p->threads[t].creds;
                        char subject[32];
                        int k;

                        snprintf(subject, sizeof(subject), "tid %d", (int)p->threads[t].tid);
                        k = posture_report_add(
                            r, SEVERITY_LOW, CHECK_THREAD, p->pid, subject,
                            "thread %d of pid %d runs with other credentials than its process "
                            "(uid %u, CapEff %016llx, no_new_privs %d, seccomp %d)",
                            (int)p->threads[t].tid, (int)p->pid, c->uid[1],
                            (unsigned long long)c->cap_eff, c->no_new_privs, c->seccomp_mode);
                        if (k < 0)
                                return k;
                }
                if (p->threads_truncated) {
                        int k =
                            posture_report_add(r, SEVERITY_LOW, CHECK_INCOMPLETE, p->pid, "threads",
                                               "pid %d has more threads than were examined (%u)",
                                               (int)p->pid, SCAN_MAX_THREADS);

                        if (k < 0)
                                return k;
                }
        }
        return 0;
}

static int check_apparmor(const struct posture_scan *scan, const struct workload *w,
                          struct posture_report *r)
{
        const struct posture_expect *e = &r->expect;
        const struct proc_info *unconfined = NULL, *wrong = NULL, *mode = NULL;
        bool unavailable = false;
        char label[256];
        int k = 0;

        for (size_t i = 0; i < w->n_procs; i++) {
                const struct proc_info *p = &scan->procs[w->procs[i]];

                if (p->gaps & PROC_GAP_APPARMOR)
                        continue;
                switch (p->apparmor.state) {
                case APPARMOR_UNAVAILABLE:
                        unavailable = true;
                        break;
                case APPARMOR_UNCONFINED:
                        if (!unconfined)
                                unconfined = p;
                        break;
                case APPARMOR_CONFINED:
                        if (e->apparmor_profile[0] &&
                            strcmp(p->apparmor.label, e->apparmor_profile) != 0) {
                                if (!wrong)
                                        wrong = p;
                        } else if (e->apparmor_mode != APPARMOR_MODE_NONE &&
                                   p->apparmor.mode != e->apparmor_mode && !mode)
                                mode = p;
                        break;
                default:
                        break;
                }
        }
        r->facts.unconfined = unavailable || unconfined;
        if (unavailable && e->policy)
                k = posture_report_add(r, SEVERITY_LOW, CHECK_APPARMOR, 0, "unavailable",
                                       "AppArmor is not enabled in this kernel: profile %s "
                                       "cannot confine the workload",
                                       e->apparmor_profile);
        if (k >= 0 && unconfined) {
                if (e->policy)
                        k = posture_report_add(r, SEVERITY_HIGH, CHECK_APPARMOR, unconfined->pid,
                                               "unconfined",
                                               "not confined by AppArmor (pid %d); expected "
                                               "profile %s in %s mode",
                                               (int)unconfined->pid, e->apparmor_profile,
                                               apparmor_mode_to_string(e->apparmor_mode));
                else
                        k = posture_report_add(r, SEVERITY_MEDIUM, CHECK_APPARMOR, unconfined->pid,
                                               "unconfined", "not confined by AppArmor (pid %d)",
                                               (int)unconfined->pid);
        }
        if (k >= 0 && wrong) {
                text_escape(wrong->apparmor.label, strlen(wrong->apparmor.label), false, label,
                            sizeof(label));
                k = posture_report_add(r, SEVERITY_MEDIUM, CHECK_APPARMOR, wrong->pid, label,
                                       "confined by \"%s\" (%s) instead of %s (pid %d)", label,
                                       apparmor_mode_to_string(wrong->apparmor.mode),
                                       e->apparmor_profile, (int)wrong->pid);
        }
        if (k >= 0 && mode)
                k = posture_report_add(
                    r, e->apparmor_mode == APPARMOR_MODE_ENFORCE ? SEVERITY_MEDIUM : SEVERITY_INFO,
                    CHECK_APPARMOR, mode->pid, e->apparmor_profile,
                    "profile %s is in %s mode, the service is in %s mode (pid %d)",
                    e->apparmor_profile, apparmor_mode_to_string(mode->apparmor.mode),
                    policy_mode_to_string(e->policy ? e->policy->mode : POLICY_MODE_MONITOR),
                    (int)mode->pid);
        return k < 0 ? k : 0;
}

static int check_namespaces(const struct posture_scan *scan, const struct workload *w,
                            struct posture_report *r)
{
        static const enum severity ns_severity[_NS_TYPE_MAX] = {
            [NS_CGROUP] = SEVERITY_LOW, [NS_IPC] = SEVERITY_MEDIUM, [NS_MNT] = SEVERITY_CRITICAL,
            [NS_NET] = SEVERITY_HIGH,   [NS_PID] = SEVERITY_HIGH,   [NS_USER] = SEVERITY_MEDIUM,
            [NS_UTS] = SEVERITY_LOW,
        };
        const struct posture_expect *e = &r->expect;
        pid_t shared[_NS_TYPE_MAX] = {0};

        for (size_t i = 0; i < w->n_procs; i++) {
                const struct proc_info *p = &scan->procs[w->procs[i]];
                unsigned s = ns_set_shared(&p->ns, &scan->host.ns);

                for (int t = 0; t < _NS_TYPE_MAX; t++)
                        if ((s & (1u << t)) && !shared[t])
                                shared[t] = p->pid;
        }
        for (int t = 0; t < _NS_TYPE_MAX; t++) {
                unsigned bit = ns_type_policy_bit((enum ns_type)t);
                int k;

                if (!shared[t])
                        continue;
                r->facts.host_ns |= 1u << t;
                if (!(e->host_ns_checked & bit) || (e->host_ns_allowed & bit))
                        continue;
                k = posture_report_add(r, ns_severity[t], CHECK_HOST_NAMESPACE, shared[t],
                                       ns_type_to_string((enum ns_type)t),
                                       "shares the host's %s namespace (pid %d)",
                                       ns_type_to_string((enum ns_type)t), (int)shared[t]);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* Mounts every container has, set up by the runtime, not by the workload's
 * owner: not reported as writable mounts (docs/posture.md lists them). */
static bool runtime_plumbing(const struct mount_entry *m)
{
        static const char *const pseudo[] = {"proc",   "sysfs",   "devpts", "mqueue",
                                             "cgroup", "cgroup2", "nsfs"};
        static const char *const files[] = {"/etc/hostname",        "/etc/hosts",
                                            "/etc/resolv.conf",     "/run/.containerenv",
                                            "/dev/termination-log", "/dev/shm"};

        for (size_t i = 0; i < ELEMENTSOF(pseudo); i++)
                if (strcmp(m->fstype, pseudo[i]) == 0)
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(files); i++)
                if (strcmp(m->target, files[i]) == 0)
                        return true;
        if (strcmp(m->target, "/dev") == 0 && strcmp(m->fstype, "tmpfs") == 0)
                return true;
        /* Masked and read-only paths under /proc and /sys, and the cgroup
         * tmpfs of cgroup v1. */
        if ((path_is_prefix("/proc", m->target) || path_is_prefix("/sys", m->target)) &&
            (strcmp(m->fstype, "tmpfs") == 0 || strcmp(m->fstype, "devtmpfs") == 0))
                return true;
        return false;
}

static bool memory_backed(const struct mount_entry *m)
{
        return strcmp(m->fstype, "tmpfs") == 0 || strcmp(m->fstype, "ramfs") == 0;
}

static bool writable_allowed(const struct posture_expect *e, const struct mount_entry *m)
{
        for (size_t i = 0; i < e->n_writable_mounts; i++)
                if (strcmp(e->writable_mounts[i].path, m->target) == 0 &&
                    (!e->writable_mounts[i].type ||
                     strcmp(e->writable_mounts[i].type, m->fstype) == 0))
                        return true;
        return false;
}

static bool is_runtime_socket(const char *path)
{
        size_t n = strlen(path);

        for (size_t i = 0; i < posture_default_forbidden_mounts_len; i++)
                if (strcmp(posture_default_forbidden_mounts[i], path) == 0)
                        return true;
        return n > 5 && strcmp(path + n - 5, ".sock") == 0;
}

/* A forbidden host path, located in the host's mounts. */
struct forbidden {
        const char *path;                     /* as the policy says it */
        char canonical[PATH_MAX];             /* symlinks resolved under the host root */
        const struct mount_entry *host_mount; /* holding it on the host, or NULL */
        char fs_path[PATH_MAX];               /* its path inside that filesystem */
        bool socket;
};

/* path with its symlinks resolved inside root_fd; the path itself when it
 * does not exist or root_fd is -1. */
static void canonical_in_root(int root_fd, const char *path, char *buf, size_t size)
{
        char link[64], full[PATH_MAX], root[PATH_MAX];
        ssize_t n, m;
        int fd;

        snprintf(buf, size, "%s", path);
        if (root_fd < 0)
                return;
        fd = open_in_root(root_fd, path, O_PATH);
        if (fd < 0)
                return;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, full, sizeof(full) - 1);
        snprintf(link, sizeof(link), "/proc/self/fd/%d", root_fd);
        m = readlink(link, root, sizeof(root) - 1);
        close(fd);
        if (n <= 0 || m <= 0)
                return;
        full[n] = root[m] = '\0';
        if (strcmp(root, "/") == 0)
                snprintf(buf, size, "%s", full);
        else if (strncmp(full, root, (size_t)m) == 0 && full[m] == '/')
                snprintf(buf, size, "%s", full + m);
}

static size_t resolve_forbidden(const struct posture_scan *scan, const struct posture_expect *e,
                                int root_fd, struct forbidden *out, size_t max)
{
        const struct mount_table *host =
            scan->host.mount_ns != SIZE_MAX && scan->mount_ns[scan->host.mount_ns].error == 0
                ? &scan->mount_ns[scan->host.mount_ns].table
                : NULL;
        size_t n = 0, total = e->policy ? e->policy->posture.forbidden_mounts.n : e->n_forbidden;

        for (size_t i = 0; i < total && n < max; i++) {
                struct forbidden *f = &out[n++];

                f->path =
                    e->policy ? e->policy->posture.forbidden_mounts.items[i].name : e->forbidden[i];
                canonical_in_root(root_fd, f->path, f->canonical, sizeof(f->canonical));
                f->host_mount =
                    host ? mount_table_resolve(host, f->canonical, f->fs_path, sizeof(f->fs_path))
                         : NULL;
                f->socket = is_runtime_socket(f->path) || is_runtime_socket(f->canonical);
        }
        return n;
}

/* Where the host path f is reachable through mount e, written to buf; false
 * when it is not. */
static bool reachable_at(const struct forbidden *f, const struct mount_entry *e, char *buf,
                         size_t size)
{
        char inside[PATH_MAX * 2];
        const char *rest;

        if (f->host_mount && e->major == f->host_mount->major && e->minor == f->host_mount->minor &&
            path_is_prefix(e->root, f->fs_path)) {
                rest = f->fs_path + (strcmp(e->root, "/") == 0 ? 0 : strlen(e->root));
                snprintf(inside, sizeof(inside), "%s%s",
                         strcmp(e->target, "/") == 0 && rest[0] ? "" : e->target,
                         strcmp(rest, "/") == 0 ? "" : rest);
                if (!inside[0])
                        strcpy(inside, "/");
        } else if (strcmp(e->target, f->path) == 0 || strcmp(e->target, f->canonical) == 0)
                snprintf(inside, sizeof(inside), "%s", e->target);
        else
                return false;
        text_escape(inside, strlen(inside), false, buf, size);
        return true;
}

/* Forbidden host paths and the host root, one finding per mount that
 * exposes them. Marks those mounts in flagged[] so that they are not also
 * reported as writable mounts. */
static int check_forbidden(const struct posture_scan *scan, const struct mount_table *t,
                           const struct forbidden *fb, size_t n_fb, pid_t pid, bool *flagged,
                           struct posture_report *r)
{
        const struct mount_table *host =
            scan->host.mount_ns != SIZE_MAX && scan->mount_ns[scan->host.mount_ns].error == 0
                ? &scan->mount_ns[scan->host.mount_ns].table
                : NULL;
        const struct mount_entry *host_root = host ? mount_table_root(host) : NULL;
        int k;

        for (size_t m = 0; m < t->n; m++) {
                const struct mount_entry *e = &t->entries[m];
                char where[PATH_MAX];

                if (e->flags & MOUNT_HIDDEN)
                        continue;
                if (host_root && e->major == host_root->major && e->minor == host_root->minor &&
                    strcmp(e->root, host_root->root) == 0) {
                        text_escape(e->target, strlen(e->target), false, where, sizeof(where));
                        r->facts.host_root = true;
                        flagged[m] = true;
                        k = posture_report_add(r, SEVERITY_CRITICAL, CHECK_HOST_ROOT, pid, where,
                                               "the host's root filesystem is mounted at %s%s "
                                               "(pid %d)",
                                               where, mount_entry_writable(e) ? " read-write" : "",
                                               (int)pid);
                        if (k < 0)
                                return k;
                        continue;
                }
                for (size_t i = 0; i < n_fb; i++) {
                        const struct forbidden *f = &fb[i];

                        if (!reachable_at(f, e, where, sizeof(where)))
                                continue;
                        flagged[m] = true;
                        if (f->socket)
                                r->facts.runtime_socket = true;
                        k = posture_report_add(
                            r, f->socket ? SEVERITY_CRITICAL : SEVERITY_HIGH,
                            f->socket ? CHECK_RUNTIME_SOCKET : CHECK_FORBIDDEN_MOUNT, pid, f->path,
                            f->socket ? "container runtime socket %s is reachable at %s (pid %d)"
                                      : "forbidden host path %s is reachable at %s (pid %d)",
                            f->path, where, (int)pid);
                        if (k < 0)
                                return k;
                        break; /* one finding per mount */
                }
        }
        return 0;
}

static int check_mounts(const struct posture_scan *scan, const struct workload *w, int root_fd,
                        struct posture_report *r)
{
        const struct posture_expect *e = &r->expect;
        struct forbidden *fb;
        size_t seen[64], n_fb;
        size_t n_seen = 0;
        int k = 0;

        fb = calloc(256, sizeof(*fb));
        if (!fb)
                return -ENOMEM;
        n_fb = resolve_forbidden(scan, e, root_fd, fb, 256);

        for (size_t i = 0; i < w->n_procs; i++) {
                const struct proc_info *p = &scan->procs[w->procs[i]];
                const struct mount_table *t = posture_scan_mounts(scan, p);
                const struct mount_entry *root;
                bool dup = false, host_ns, *flagged;

                if (!t)
                        continue;
                for (size_t s = 0; s < n_seen; s++)
                        if (seen[s] == p->mount_ns)
                                dup = true;
                if (dup || n_seen == ELEMENTSOF(seen))
                        continue;
                seen[n_seen++] = p->mount_ns;
                host_ns = p->mount_ns == scan->host.mount_ns;

                root = mount_table_root(t);
                if (root && mount_entry_writable(root)) {
                        r->facts.root_writable = true;
                        if (e->read_only_rootfs) {
                                char src[256], type[128];

                                text_escape(root->source, strlen(root->source), false, src,
                                            sizeof(src));
                                text_escape(root->fstype, strlen(root->fstype), false, type,
                                            sizeof(type));
                                k = posture_report_add(r, SEVERITY_MEDIUM, CHECK_ROOTFS, p->pid,
                                                       "/",
                                                       "root filesystem is writable (%s %s, "
                                                       "pid %d)",
                                                       type, src, (int)p->pid);
                                if (k < 0)
                                        break;
                        }
                }
                /* A process in the host's mount namespace sees every host
                 * mount: the host-namespace finding says it; listing them
                 * all would drown it. */
                if (host_ns)
                        continue;
                flagged = calloc(t->n ? t->n : 1, sizeof(*flagged));
                if (!flagged) {
                        k = -ENOMEM;
                        break;
                }
                k = check_forbidden(scan, t, fb, n_fb, p->pid, flagged, r);
                for (size_t m = 0; k >= 0 && m < t->n; m++) {
                        const struct mount_entry *me = &t->entries[m];
                        char target[PATH_MAX], fstype[64];

                        if (flagged[m] || (me->flags & MOUNT_HIDDEN) || !mount_entry_writable(me) ||
                            strcmp(me->target, "/") == 0 || runtime_plumbing(me) ||
                            writable_allowed(e, me))
                                continue;
                        if (!memory_backed(me))
                                r->facts.writable_disk_mounts++;
                        if (!e->check_writable_mounts)
                                continue;
                        text_escape(me->target, strlen(me->target), false, target, sizeof(target));
                        text_escape(me->fstype, strlen(me->fstype), false, fstype, sizeof(fstype));
                        k = posture_report_add(r,
                                               memory_backed(me) ? SEVERITY_LOW : SEVERITY_MEDIUM,
                                               CHECK_WRITABLE_MOUNT, p->pid, target,
                                               "writable %s mount %s is not in the policy's "
                                               "writable_mounts (pid %d)",
                                               fstype, target, (int)p->pid);
                }
                free(flagged);
                if (k < 0)
                        break;
        }
        free(fb);
        return k < 0 ? k : 0;
}

static int check_gaps(const struct posture_scan *scan, const struct workload *w,
                      struct posture_report *r)
{
        static const struct {
                unsigned gap;
                const char *what;
        } gaps[] = {
            {PROC_GAP_CGROUP, "cgroup"},     {PROC_GAP_NS, "namespaces"},
            {PROC_GAP_APPARMOR, "AppArmor"}, {PROC_GAP_MOUNTS, "mounts"},
            {PROC_GAP_THREADS, "threads"},
        };

        for (size_t g = 0; g < ELEMENTSOF(gaps); g++)
                for (size_t i = 0; i < w->n_procs; i++) {
                        const struct proc_info *p = &scan->procs[w->procs[i]];
                        int k;

                        if (!(p->gaps & gaps[g].gap))
                                continue;
                        k = posture_report_add(r, SEVERITY_LOW, CHECK_INCOMPLETE, p->pid,
                                               gaps[g].what,
                                               "could not read the %s of pid %d: the checks "
                                               "that need them are incomplete",
                                               gaps[g].what, (int)p->pid);
                        if (k < 0)
                                return k;
                        break; /* one per kind of gap */
                }
        return 0;
}

int posture_check(const struct posture_scan *scan, const struct workload *w, int root_fd,
                  struct posture_report *ret)
{
        struct posture_report r = {.workload = w};
        int k;

        if (w->policy)
                posture_expect_from_policy(w->policy, &r.expect);
        else
                posture_expect_baseline(&r.expect);
        r.facts.cap_last_cap = scan->cap_last_cap;

        if (!w->policy)
                k = posture_report_add(&r, SEVERITY_INFO, CHECK_UNMATCHED, 0, "baseline",
                                       "no service policy matches; checked against the "
                                       "restricted baseline");
        else if (w->also)
                k = posture_report_add(&r, SEVERITY_LOW, CHECK_AMBIGUOUS, 0, w->also->service,
                                       "also matches service %s by its %s; checked against %s",
                                       w->also->service, match_how_to_string(w->how),
                                       w->policy->service);
        else
                k = 0;
        if (k >= 0)
                k = check_creds(scan, w, &r);
        if (k >= 0)
                k = check_caps(scan, w, &r);
        if (k >= 0)
                k = check_threads(scan, w, &r);
        if (k >= 0)
                k = check_apparmor(scan, w, &r);
        if (k >= 0)
                k = check_namespaces(scan, w, &r);
        if (k >= 0)
                k = check_mounts(scan, w, root_fd, &r);
        if (k >= 0)
                k = check_gaps(scan, w, &r);
        if (k < 0) {
                posture_report_done(&r);
                return k;
        }
        r.score = posture_score(&r.facts, &r.rating);
        posture_report_sort(&r);
        *ret = r;
        return 0;
}
