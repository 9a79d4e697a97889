/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apparmor/apparmor-render.h"
#include "base/macro.h"
#include "event-attribute.h"
#include "posture/glob-match.h"
#include "posture/proc-read.h"
#include "posture/proc-stat.h"
#include "posture/scan.h"

#define BUCKETS 4096u /* power of two */
/* Executables and profile names repeat from event to event: the policy
 * each names is remembered. */
#define NAME_CACHE 64u /* power of two */

struct name_cache {
        struct {
                char *name;
                const struct policy *policy; /* NULL: no policy */
        } slots[NAME_CACHE];
};

/* One process this cache has seen: (pid, start time) and what it is. */
struct process {
        pid_t pid;
        uint64_t start_ticks;
        uint64_t start_usec;    /* CLOCK_REALTIME when it started */
        uint64_t verified_usec; /* it was alive at this moment */
        bool exited;            /* seen gone, or its pid seen reused */
        struct attribution attr;
        struct process *next_in_bucket;
        struct process *lru_prev, *lru_next; /* most recently used first */
};

struct attributor {
        struct attributor_config config;
        struct process *buckets[BUCKETS];
        struct process *lru_head, *lru_tail;
        size_t n;
        uint64_t ticks_per_sec;
        struct attribution scratch; /* for results that are not a cached process */
        struct name_cache by_exe, by_profile;
        struct attributor_stats stats;
};

const char *attribution_how_to_string(enum attribution_how h)
{
        static const char *const names[] = {
            [ATTRIBUTED_NONE] = "none",
            [ATTRIBUTED_LIVE] = "process",
            [ATTRIBUTED_REMEMBERED] = "exited-process",
            [ATTRIBUTED_PROFILE] = "apparmor-profile",
            [ATTRIBUTED_EXECUTABLE] = "executable",
        };
        return (size_t)h < ELEMENTSOF(names) ? names[h] : "?";
}

static void attribution_done(struct attribution *a)
{
        /* Done for every event attributed by rule, which holds no
         * strings: that case makes no calls. */
        if (a->workload || a->container_id || a->container_name || a->pod || a->k8s_container) {
                free(a->workload);
                free(a->container_id);
                free(a->container_name);
                free(a->pod);
                free(a->k8s_container);
        }
        *a = (struct attribution){0};
}

int attributor_new(const struct attributor_config *c, struct attributor **ret)
{
        struct attributor *a = calloc(1, sizeof(*a));
        long hz = sysconf(_SC_CLK_TCK);

        if (!a)
                return -ENOMEM;
        a->config = *c;
        if (a->config.max_processes == 0)
                a->config.max_processes = ATTRIBUTOR_DEFAULT_MAX_PROCESSES;
        a->ticks_per_sec = hz > 0 ? (uint64_t)hz : 100u;
        *ret = a;
        return 0;
}

struct attributor *attributor_free(struct attributor *a)
{
        if (!a)
                return NULL;
        for (struct process *p = a->lru_head, *next; p; p = next) {
                next = p->lru_next;
                attribution_done(&p->attr);
                free(p);
        }
        attribution_done(&a->scratch);
        for (size_t i = 0; i < NAME_CACHE; i++) {
                free(a->by_exe.slots[i].name);
                free(a->by_profile.slots[i].name);
        }
        free(a);
        return NULL;
}

const struct attributor_stats *attributor_stats(const struct attributor *a)
{
        return &a->stats;
}

static struct process **bucket_of(struct attributor *a, pid_t pid)
{
        return &a->buckets[((uint32_t)pid * 2654435761u) & (BUCKETS - 1)];
}

static void lru_unlink(struct attributor *a, struct process *p)
{
        if (p->lru_prev)
                p->lru_prev->lru_next = p->lru_next;
        else
                a->lru_head = p->lru_next;
        if (p->lru_next)
                p->lru_next->lru_prev = p->lru_prev;
        else
                a->lru_tail = p->lru_prev;
        p->lru_prev = p->lru_next = NULL;
}

static void lru_push(struct attributor *a, struct process *p)
{
        p->lru_next = a->lru_head;
        if (a->lru_head)
                a->lru_head->lru_prev = p;
        a->lru_head = p;
        if (!a->lru_tail)
                a->lru_tail = p;
}

static void touch(struct attributor *a, struct process *p)
{
        if (a->lru_head != p) {
                lru_unlink(a, p);
                lru_push(a, p);
        }
}

static void drop(struct attributor *a, struct process *p)
{
        struct process **b = bucket_of(a, p->pid);

        for (; *b; b = &(*b)->next_in_bucket)
                if (*b == p) {
                        *b = p->next_in_bucket;
                        break;
                }
        lru_unlink(a, p);
        attribution_done(&p->attr);
        free(p);
        a->n--;
}

/* The newest process known under pid, and the one before it. */
static struct process *find(struct attributor *a, pid_t pid, struct process **ret_older)
{
        struct process *newest = NULL, *older = NULL;

        for (struct process *p = *bucket_of(a, pid); p; p = p->next_in_bucket) {
                if (p->pid != pid)
                        continue;
                if (!newest || p->start_ticks > newest->start_ticks) {
                        older = newest;
                        newest = p;
                } else if (!older || p->start_ticks > older->start_ticks)
                        older = p;
        }
        *ret_older = older;
        return newest;
}

static uint64_t boot_realtime_usec(uint64_t now_usec)
{
        struct timespec b;

        if (clock_gettime(CLOCK_BOOTTIME, &b) < 0)
                return 0;
        return now_usec - ((uint64_t)b.tv_sec * 1000000u + (uint64_t)b.tv_nsec / 1000u);
}

/* The start time of pid now: 0 and *ret, -ESRCH when there is no such
 * process, -errno. */
static int read_start(struct attributor *a, pid_t pid, uint64_t *ret)
{
        char path[32], buf[PROC_STAT_MAX];
        _cleanup_close_ int fd = -1;
        struct proc_stat st;
        ssize_t n;

        snprintf(path, sizeof(path), "%d/stat", (int)pid);
        fd = openat(a->config.proc_fd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno == ENOENT ? -ESRCH : -errno;
        n = read(fd, buf, sizeof(buf));
        if (n < 0)
                return errno == ESRCH ? -ESRCH : -errno;
        a->stats.stat_reads++;
        if (proc_stat_parse(buf, (size_t)n, &st) < 0 || st.pid != pid)
                return -EBADMSG;
        *ret = st.start_time;
        return 0;
}

static int dup_opt(const char *s, char **ret)
{
        *ret = NULL;
        if (s && !(*ret = strdup(s)))
                return -ENOMEM;
        return 0;
}

static int attribution_copy(const struct attribution *src, struct attribution *dst)
{
        *dst = (struct attribution){.service = src->service, .how = src->how, .match = src->match};
        if (dup_opt(src->workload, &dst->workload) < 0 ||
            dup_opt(src->container_id, &dst->container_id) < 0 ||
            dup_opt(src->container_name, &dst->container_name) < 0 ||
            dup_opt(src->pod, &dst->pod) < 0 ||
            dup_opt(src->k8s_container, &dst->k8s_container) < 0) {
                attribution_done(dst);
                return -ENOMEM;
        }
        return 0;
}

static int attribution_from_workload(const struct workload *w, struct attribution *ret)
{
        char ref[160];

        ret->service = w->policy ? w->policy->service : NULL;
        ret->how = ATTRIBUTED_LIVE;
        ret->match = w->how;
        if (dup_opt(workload_ref(w, ref, sizeof(ref)), &ret->workload) < 0 ||
            dup_opt(w->kind == WORKLOAD_CONTAINER ? w->id : NULL, &ret->container_id) < 0 ||
            dup_opt(w->name, &ret->container_name) < 0 ||
            dup_opt(w->k8s_container, &ret->k8s_container) < 0)
                return -ENOMEM;
        if (w->k8s_pod && asprintf(&ret->pod, "%s/%s", w->k8s_namespace ? w->k8s_namespace : "",
                                   w->k8s_pod) < 0) {
                ret->pod = NULL;
                return -ENOMEM;
        }
        return 0;
}

/* What identifying a process needs, and no more: its cgroup (container or
 * unit) and its executable (match.executables), read through a /proc/PID
 * fd verified by start time, so a reused pid cannot answer. Namespaces,
 * mounts and capabilities are posture's business, not attribution's: a
 * full posture scan of one pid costs about ten times as much. */
static int read_identity(struct attributor *a, pid_t pid, uint64_t start_ticks,
                         struct proc_info *ret)
{
        _cleanup_close_ int dir = proc_open_verified(a->config.proc_fd, pid, start_ticks);
        _cleanup_free_ char *cgroup = NULL;
        char exe[4096];
        size_t n;
        int r;

        if (dir < 0)
                return dir == -ENOMEM ? dir : -ESRCH;
        *ret = (struct proc_info){.pid = pid, .start_time = start_ticks};
        r = proc_read_alloc(dir, "cgroup", 512, CGROUP_FILE_MAX, &cgroup, &n);
        if (r == -ENOMEM)
                return r;
        /* Unreadable or odd: a host process in no unit, still attributable
         * by its executable. */
        if (r < 0 || cgroup_file_identify(cgroup, n, &ret->cgroup) < 0)
                ret->cgroup = (struct cgroup_identity){0};
        if (proc_readlink_at(dir, "exe", exe, sizeof(exe)) >= 0 && !(ret->exe = strdup(exe)))
                return -ENOMEM;
        return 0;
}

/* Identifies the process as `hardenctl check` groups and matches it:
 * container (with its OCI state and engine name) or unit, then the
 * policies' match rules. Returns 0, -ESRCH when it is gone or is no longer
 * the process with start_ticks, -ENOMEM. */
static int identify(struct attributor *a, pid_t pid, uint64_t start_ticks, struct attribution *ret)
{
        struct proc_info pi;
        struct posture_scan scan = {.procs = &pi, .n_procs = 1};
        struct workload_set ws = {0};
        char buf[32];
        int r;

        r = read_identity(a, pid, start_ticks, &pi);
        if (r < 0)
                return r;
        a->stats.identified++;
        r = workloads_build(&scan, a->config.root_fd, &ws);
        if (r >= 0 && a->config.policies)
                r = workloads_match(&ws, &scan, a->config.policies);
        if (r >= 0) {
                if (ws.n > 0)
                        r = attribution_from_workload(&ws.items[0], ret);
                else {
                        /* A host process no policy names: still say which
                         * unit (or pid) it was. */
                        const struct cgroup_identity *cg = &pi.cgroup;

                        if (cg->role == CGROUP_ROLE_MONITOR)
                                r = asprintf(&ret->workload, "monitor:%s",
                                             workload_runtime_to_string(cg->runtime));
                        else if (cg->unit[0])
                                r = asprintf(&ret->workload, "unit:%s", cg->unit);
                        else {
                                snprintf(buf, sizeof(buf), "pid:%d", (int)pid);
                                r = asprintf(&ret->workload, "%s", buf);
                        }
                        if (r < 0) {
                                ret->workload = NULL;
                                r = -ENOMEM;
                        } else {
                                ret->how = ATTRIBUTED_LIVE;
                                r = 0;
                        }
                }
        }
        workload_set_done(&ws);
        free(pi.exe);
        return r;
}

static struct process *remember(struct attributor *a, pid_t pid, uint64_t start_ticks,
                                uint64_t boot_usec, uint64_t now_usec, struct attribution *attr)
{
        struct process *p = calloc(1, sizeof(*p));
        struct process **b;

        if (!p)
                return NULL;
        while (a->n >= a->config.max_processes && a->lru_tail) {
                drop(a, a->lru_tail);
                a->stats.evicted++;
        }
        p->pid = pid;
        p->start_ticks = start_ticks;
        p->start_usec = boot_usec + start_ticks * 1000000u / a->ticks_per_sec;
        p->verified_usec = now_usec;
        p->attr = *attr;
        *attr = (struct attribution){0};
        b = bucket_of(a, pid);
        p->next_in_bucket = *b;
        *b = p;
        lru_push(a, p);
        a->n++;
        return p;
}

static uint64_t event_usec(const struct audit_event *e)
{
        return e->stamp.sec * 1000000u + e->stamp.msec * 1000u;
}

/* The process that made e, from the cache or /proc; NULL when there is
 * none to be found (or no memory: the event is then attributed by rule). */
static struct process *process_of(struct attributor *a, const struct audit_event *e,
                                  uint64_t now_usec)
{
        uint64_t when = event_usec(e), start, boot;
        struct process *cur, *older;
        struct attribution attr = {0};
        int r;

        cur = find(a, e->pid, &older);
        /* The stamp is cut to the millisecond: the event happened before
         * when + 1 ms. */
        if (cur && !cur->exited && when + 1000u <= cur->verified_usec &&
            cur->start_usec <= when + ATTRIBUTOR_START_SLACK_USEC) {
                a->stats.cache_hits++;
                touch(a, cur);
                return cur;
        }
        r = read_start(a, e->pid, &start);
        if (r < 0) {
                /* Gone: whatever was known last is the best there is. */
                if (cur) {
                        cur->exited = true;
                        a->stats.remembered++;
                        touch(a, cur);
                }
                return cur;
        }
        if (cur && cur->start_ticks == start) {
                cur->verified_usec = now_usec;
                touch(a, cur);
                if (cur->start_usec <= when + ATTRIBUTOR_START_SLACK_USEC)
                        return cur;
                /* This process started after the event: the pid was an
                 * older process's then. */
                a->stats.reused++;
                if (older)
                        a->stats.remembered++;
                return older;
        }
        if (cur) {
                cur->exited = true; /* its pid now names another process */
                older = cur;
        }
        boot = boot_realtime_usec(now_usec);
        if (boot + start * 1000000u / a->ticks_per_sec > when + ATTRIBUTOR_START_SLACK_USEC) {
                a->stats.reused++;
                if (older)
                        a->stats.remembered++;
                return older;
        }
        if (identify(a, e->pid, start, &attr) < 0) {
                attribution_done(&attr);
                return older;
        }
        return remember(a, e->pid, start, boot, now_usec, &attr);
}

static const struct policy *policy_of_profile_uncached(const struct policy_set *set,
                                                       const char *profile)
{
        char own[128];
        const char *end, *service;
        size_t n;

        /* "hardend-api//null-/bin/sh", a child: the service's profile still. */
        end = strstr(profile, "//");
        n = end ? (size_t)(end - profile) : strlen(profile);
        if (n >= sizeof(own))
                return NULL;
        memcpy(own, profile, n);
        own[n] = '\0';
        service = apparmor_profile_service(own);
        return service ? policy_set_find(set, service) : NULL;
}

static const struct policy *policy_of_exe_uncached(const struct policy_set *set, const char *exe)
{
        for (size_t i = 0; i < set->n; i++)
                for (size_t k = 0; k < set->items[i]->match.executables.n; k++)
                        if (glob_match_path(set->items[i]->match.executables.items[k].name, exe))
                                return set->items[i];
        return NULL;
}

static const struct policy *
cached(struct name_cache *c, const struct policy_set *set, const char *name,
       const struct policy *(*lookup)(const struct policy_set *, const char *))
{
        size_t n = strlen(name), i, slot;
        uint64_t h = 0, w;
        char *copy;

        /* A multiply-xorshift hash eight bytes at a time: this runs for
         * every event attributed by rule. */
        for (i = 0; i + 8 <= n; i += 8) {
                memcpy(&w, name + i, 8);
                h = (h ^ w) * 0x9e3779b97f4a7c15ull;
                h ^= h >> 29;
        }
        /* The last bytes: one load ending at the NUL where the name is
         * eight bytes long, else byte by byte (no variable-size copy). */
        w = 0;
        if (i < n && n >= 8) {
                memcpy(&w, name + n - 8, 8);
                w >>= 8 * (8 - (n - i));
        } else
                for (size_t k = i; k < n; k++)
                        w |= (uint64_t)(unsigned char)name[k] << (8 * (k - i));
        h = (h ^ w ^ (uint64_t)n << 56) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 32;
        h *= 0xbf58476d1ce4e5b9ull; /* names share long prefixes: mix well */
        slot = (size_t)(h >> 40) & (NAME_CACHE - 1);
        if (c->slots[slot].name && strcmp(c->slots[slot].name, name) == 0)
                return c->slots[slot].policy;
        copy = strdup(name);
        if (!copy) /* no room to remember: answer anyway */
                return lookup(set, name);
        free(c->slots[slot].name);
        c->slots[slot].name = copy;
        c->slots[slot].policy = lookup(set, name);
        return c->slots[slot].policy;
}

static const struct policy *policy_of_profile(struct attributor *a, const char *profile)
{
        if (!profile || !a->config.policies)
                return NULL;
        return cached(&a->by_profile, a->config.policies, profile, policy_of_profile_uncached);
}

static const struct policy *policy_of_exe(struct attributor *a, const char *exe)
{
        if (!exe || exe[0] != '/' || !a->config.policies)
                return NULL;
        return cached(&a->by_exe, a->config.policies, exe, policy_of_exe_uncached);
}

/* The AppArmor profile an event names as its subject (or, for a profile
 * load, as its object). */
static const char *event_profile(const struct audit_event *e)
{
        if (e->kind != EVENT_APPARMOR)
                return NULL;
        if (e->apparmor.verdict == APPARMOR_STATUS)
                return e->apparmor.name;
        return e->apparmor.profile;
}

const struct attribution *attributor_attribute(struct attributor *a, const struct audit_event *e,
                                               bool live, uint64_t now_usec)
{
        const struct policy *by_profile = policy_of_profile(a, event_profile(e)), *by_exe;
        bool status = e->kind == EVENT_APPARMOR && e->apparmor.verdict == APPARMOR_STATUS;
        struct process *p = NULL;

        a->stats.events++;
        /* A profile load is apparmor_parser's doing, not the service's. */
        if (live && !status && e->pid > 0 && a->config.proc_fd >= 0)
                p = process_of(a, e, now_usec);
        if (p) {
                /* The profile confining the process says which policy it
                 * runs under, even where the match rules say otherwise. */
                if (by_profile && by_profile->service != p->attr.service) {
                        attribution_done(&a->scratch);
                        if (attribution_copy(&p->attr, &a->scratch) < 0)
                                return NULL;
                        a->scratch.service = by_profile->service;
                        return &a->scratch;
                }
                return &p->attr;
        }
        attribution_done(&a->scratch);
        if (by_profile) {
                a->scratch.service = by_profile->service;
                a->scratch.how = ATTRIBUTED_PROFILE;
        } else if ((by_exe = policy_of_exe(a, e->exe))) {
                a->scratch.service = by_exe->service;
                a->scratch.how = ATTRIBUTED_EXECUTABLE;
                a->scratch.match = MATCH_EXECUTABLE;
        } else
                a->stats.unknown++;
        return &a->scratch;
}
