/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit-dedupe.h"
#include "base/macro.h"
#include "base/time-util.h"
#include "events-pipeline.h"

/* A seccomp kill, kept briefly so the ABEND that follows can name it. */
struct kill_note {
        pid_t pid;
        uint64_t usec;
        char service[64]; /* "" when unattributed */
        struct seccomp_event seccomp;
};

struct events_pipeline {
        struct events_pipeline_config config;
        struct audit_event *event; /* parse target, reused (it is 9 KiB) */
        struct audit_dedupe *dedupe;
        struct attributor *attributor;
        struct observations *observations;
        struct kill_note kills[EVENTS_ABEND_RING];
        size_t next_kill;
        size_t n_kills; /* notes not yet linked (pid != 0): none, no search */
        char *malformed[EVENTS_MALFORMED_KEEP];
        size_t n_malformed;
        struct events_pipeline_stats stats;
};

int events_pipeline_new(const struct events_pipeline_config *c, struct events_pipeline **ret)
{
        struct attributor_config ac = {
            .policies = c->policies,
            .proc_fd = c->proc_fd,
            .root_fd = c->root_fd,
            .max_processes = c->max_processes,
        };
        struct events_pipeline *p = calloc(1, sizeof(*p));
        int r = -ENOMEM;

        if (!p)
                return -ENOMEM;
        p->config = *c;
        audit_serial_init(&p->stats.serial);
        p->event = malloc(sizeof(*p->event));
        if (!p->event || (r = audit_dedupe_new(&p->dedupe)) < 0 ||
            (r = attributor_new(&ac, &p->attributor)) < 0 ||
            (r = observations_new(c->max_keys, &p->observations)) < 0) {
                events_pipeline_free(p);
                return r;
        }
        *ret = p;
        return 0;
}

struct events_pipeline *events_pipeline_free(struct events_pipeline *p)
{
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_malformed; i++)
                free(p->malformed[i]);
        observations_free(p->observations);
        attributor_free(p->attributor);
        audit_dedupe_free(p->dedupe);
        free(p->event);
        free(p);
        return NULL;
}

int events_pipeline_set_policies(struct events_pipeline *p, const struct policy_set *policies)
{
        struct attributor_config ac = {
            .policies = policies,
            .proc_fd = p->config.proc_fd,
            .root_fd = p->config.root_fd,
            .max_processes = p->config.max_processes,
        };
        struct attributor *a;
        int r;

        r = attributor_new(&ac, &a);
        if (r < 0)
                return r;
        attributor_free(p->attributor);
        p->attributor = a;
        p->config.policies = policies;
        return 0;
}

void events_pipeline_replace_observations(struct events_pipeline *p, struct observations *o)
{
        observations_free(p->observations);
        p->observations = o;
}

void events_pipeline_flush(struct events_pipeline *p)
{
        audit_serial_flush(&p->stats.serial);
}

struct observations *events_pipeline_observations(struct events_pipeline *p)
{
        return p->observations;
}

const struct events_pipeline_stats *events_pipeline_stats(const struct events_pipeline *p)
{
        return &p->stats;
}

const struct attributor_stats *events_pipeline_attributor_stats(const struct events_pipeline *p)
{
        return attributor_stats(p->attributor);
}

const char *const *events_pipeline_malformed(const struct events_pipeline *p, size_t *ret_n)
{
        *ret_n = p->n_malformed;
        return (const char *const *)p->malformed;
}

static void note_malformed(struct events_pipeline *p, const struct audit_raw *raw,
                           const struct audit_parse_error *err)
{
        char *msg;
        int n;

        p->stats.malformed++;
        if (p->n_malformed == EVENTS_MALFORMED_KEEP)
                return;
        if (raw->origin && raw->line > 0)
                n = asprintf(&msg, "%s:%llu:%zu: %s", raw->origin, (unsigned long long)raw->line,
                             err->col, err->what);
        else
                n = asprintf(&msg, "%s record, column %zu: %s",
                             audit_source_kind_to_string(raw->source), err->col, err->what);
        if (n >= 0)
                p->malformed[p->n_malformed++] = msg;
}

static uint64_t event_usec(const struct audit_event *e)
{
        return e->stamp.sec * USEC_PER_SEC + e->stamp.msec * USEC_PER_MSEC;
}

static bool is_kill(const struct seccomp_event *s)
{
        return s->verdict == SECCOMP_EVENT_KILL_PROCESS ||
               s->verdict == SECCOMP_EVENT_KILL_THREAD || s->verdict == SECCOMP_EVENT_TRAP;
}

static void remember_kill(struct events_pipeline *p, const struct audit_event *e,
                          const char *service)
{
        struct kill_note *k = &p->kills[p->next_kill];

        p->next_kill = (p->next_kill + 1) % EVENTS_ABEND_RING;
        if (k->pid != 0)
                p->n_kills--;
        if (e->pid != 0)
                p->n_kills++;
        k->pid = e->pid;
        k->usec = event_usec(e);
        k->seccomp = e->seccomp;
        snprintf(k->service, sizeof(k->service), "%s", service ? service : "");
}

/* The newest seccomp kill of the ABEND's process shortly before it. A
 * note links once: a second ABEND of a reused pid finds nothing. */
static struct kill_note *find_kill(struct events_pipeline *p, const struct audit_event *e)
{
        uint64_t when = event_usec(e);
        struct kill_note *best = NULL;

        if (p->n_kills == 0)
                return NULL;
        for (size_t i = 0; i < EVENTS_ABEND_RING; i++) {
                struct kill_note *k = &p->kills[i];

                if (k->pid != e->pid || k->pid == 0 || k->usec > when ||
                    when - k->usec > EVENTS_ABEND_LINK_USEC)
                        continue;
                if (!best || k->usec >= best->usec)
                        best = k;
        }
        return best;
}

static bool wanted(const struct events_pipeline *p, const struct audit_event *e,
                   const struct attribution *a)
{
        if (!p->config.status_events && e->kind == EVENT_APPARMOR &&
            e->apparmor.verdict == APPARMOR_STATUS)
                return false;
        return !p->config.service || (a->service && strcmp(a->service, p->config.service) == 0);
}

int events_pipeline_feed(struct events_pipeline *p, const struct audit_raw *raw)
{
        struct audit_event *e = p->event;
        struct audit_parse_error err = {0};
        struct event_context ctx = {
            .source = raw->source,
            .origin = raw->origin,
            .line = raw->line,
        };
        const struct attribution *attr;
        struct kill_note *kill = NULL;
        bool live;
        int r;

        if ((size_t)raw->source < _AUDIT_SOURCE_MAX)
                p->stats.records[raw->source]++;
        if (raw->source == AUDIT_SOURCE_NETLINK) {
                /* Every record counts for loss, whatever its type. */
                struct audit_stamp st;

                if (audit_stamp_find(raw->text, raw->len, &st) >= 0)
                        audit_serial_see(&p->stats.serial, st.serial);
        }
        r = audit_event_parse(raw->text, raw->len, raw->type, e, &err);
        if (r == -ENOMSG) {
                p->stats.ignored++;
                return 0;
        }
        if (r < 0) {
                note_malformed(p, raw, &err);
                return 0;
        }
        p->stats.parsed++;
        if (audit_dedupe_seen(p->dedupe, e->type, e->stamp)) {
                p->stats.duplicates++;
                return 0;
        }
        if (event_usec(e) < p->config.since_usec) {
                p->stats.early++;
                return 0;
        }
        live = raw->source == AUDIT_SOURCE_NETLINK || raw->this_boot;
        attr = attributor_attribute(p->attributor, e, live, live ? now_realtime_usec() : 0);
        if (!attr)
                return -ENOMEM;
        if (!wanted(p, e, attr)) {
                p->stats.filtered++;
                return 0;
        }
        ctx.attr = attr;
        if (e->kind == EVENT_SECCOMP && is_kill(&e->seccomp))
                remember_kill(p, e, attr->service);
        else if (e->kind == EVENT_ABEND && (kill = find_kill(p, e))) {
                ctx.killed_by = kill->seccomp.syscall_name ? kill->seccomp.syscall_name : "?";
                p->stats.abend_linked++;
                (void)observations_mark_killed(
                    p->observations, kill->service[0] ? kill->service : NULL, &kill->seccomp);
                kill->pid = 0;
                p->n_kills--;
        }
        r = observations_add(p->observations, e, attr->service, attr->workload);
        if (r < 0)
                return r;
        p->stats.delivered++;
        if (p->config.sink) {
                r = p->config.sink(e, &ctx, p->config.userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int events_pipeline_raw_fn(const struct audit_raw *raw, void *userdata)
{
        return events_pipeline_feed(userdata, raw);
}
