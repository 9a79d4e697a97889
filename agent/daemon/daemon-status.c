/* SPDX-License-Identifier: MIT */
/* The replies of the read-only verbs, built from what the loop holds:
 * status (per service and the agent's health), events (the aggregated
 * observations) and check (the latest scan). Shapes: docs/agent.md. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/time-util.h"
#include "daemon.h"
#include "apparmor/apparmor-render.h"
#include "events/observations-print.h"
#include "posture/posture-check.h"
#include "sources/audit-netlink.h"
#include "sources/journal-source.h"

#ifndef HARDEND_VERSION
#define HARDEND_VERSION "0.1.0"
#endif

json_t *daemon_peer_json(const struct state_peer *who)
{
        if (!who || who->policy)
                return json_string("policy");
        return json_pack("{s:I, s:I, s:s}", "uid", (json_int_t)who->uid, "pid",
                         (json_int_t)who->pid, "comm", who->comm);
}

const struct state_service *daemon_state_of(struct daemon *d, const char *name)
{
        return state_find(d->state, name);
}

/* One "Name:   123 kB" line of smaps_rollup, in bytes (0 when absent). */
static uint64_t rollup_field(const char *text, const char *name)
{
        const char *p = strstr(text, name);
        unsigned long long kb;

        return p && sscanf(p + strlen(name), " %llu kB", &kb) == 1 ? kb * 1024u : 0;
}

static json_t *memory_json(struct daemon *d)
{
        _cleanup_free_ char *text = NULL;
        size_t size;

        /* Our own file: small and trusted, still read with a bound. */
        if (read_file_bounded(d->proc_fd, "self/smaps_rollup", 4096, &text, &size) < 0)
                return json_pack("{s:n, s:n}", "rss", "pss");
        return json_pack("{s:I, s:I}", "rss", (json_int_t)rollup_field(text, "\nRss:"), "pss",
                         (json_int_t)rollup_field(text, "\nPss:"));
}

static json_t *error_or_null(const char *s)
{
        return s && s[0] ? json_string(s) : json_null();
}

static json_t *sources_json(struct daemon *d)
{
        const struct audit_netlink_stats *ns = d->netlink ? audit_netlink_stats(d->netlink) : NULL;
        const struct journal_source_stats *js =
            d->journal ? journal_source_stats(d->journal) : NULL;

        return json_pack(
            "{s:{s:b, s:b, s:o, s:I, s:I, s:I}, s:{s:b, s:b, s:o, s:I}}", "netlink", "enabled",
            d->netlink_status.enabled, "up", d->netlink_status.up, "error",
            error_or_null(d->netlink_status.error), "records", (json_int_t)(ns ? ns->records : 0),
            "overruns", (json_int_t)(ns ? ns->overruns : 0), "dropped",
            (json_int_t)(ns ? ns->dropped : 0), "journal", "enabled", d->journal_status.enabled,
            "up", d->journal_status.up, "error", error_or_null(d->journal_status.error), "records",
            (json_int_t)(js ? js->records : 0));
}

static json_t *pipeline_stats_json(struct daemon *d)
{
        const struct events_pipeline_stats *st = events_pipeline_stats(d->pipeline);

        return json_pack("{s:I, s:I, s:I, s:I, s:I}", "parsed", (json_int_t)st->parsed, "delivered",
                         (json_int_t)st->delivered, "malformed", (json_int_t)st->malformed,
                         "duplicates", (json_int_t)st->duplicates, "lost",
                         (json_int_t)st->serial.gaps);
}

static json_t *agent_json(struct daemon *d)
{
        struct observations *o = events_pipeline_observations(d->pipeline);

        return json_pack(
            "{s:s, s:i, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I}, s:o, "
            "s:{s:b, s:s}, s:{s:I, s:I, s:s, s:o, s:o}, s:o, s:O}",
            "version", HARDEND_VERSION, "pid", (int)getpid(), "started",
            (json_int_t)d->started_usec, "config",
            d->config_from_file ? (d->config_path[0] ? d->config_path : CONFIG_DEFAULT_PATH)
                                : "(defaults)",
            "profiles_dir", d->config.profiles_dir, "state_dir", d->config.state_dir, "seccomp_dir",
            d->config.seccomp_dir, "runtimes", d->runtimes, "sources", sources_json(d), "events",
            pipeline_stats_json(d), "observations", "keys", (json_int_t)observations_keys(o),
            "over_cap", (json_int_t)observations_over_cap(o), "bytes",
            (json_int_t)observations_memory(o), "memory", memory_json(d), "apparmor", "available",
            d->apparmor_available, "detail", d->apparmor_detail, "scan", "last",
            (json_int_t)d->last_scan_usec, "workloads", (json_int_t)d->scan_workloads, "source",
            scan_source_to_string((enum scan_source)d->scan_source), "source_note",
            d->scan_bpf_error < 0 ? json_string(strerror(-d->scan_bpf_error)) : json_null(),
            "error", error_or_null(d->scan_error), "state_warning", error_or_null(d->state_warning),
            "invalid_policies", d->invalid_policies);
}

static const struct service_counts *counts_of(struct daemon *d, const char *name)
{
        size_t n;
        const struct service_counts *sc =
            observations_services(events_pipeline_observations(d->pipeline), &n);

        for (size_t i = 0; i < n; i++)
                if (sc[i].service && strcmp(sc[i].service, name) == 0)
                        return &sc[i];
        return NULL;
}

/* Whether the kernel audits what the service's seccomp profile refuses or
 * would refuse: what a reviewer can expect to see in `events`. */
static const char *denials_note(struct daemon *d, const struct service *s)
{
        if (s->mode == POLICY_MODE_MONITOR)
                return "would-be denials are logged (monitor: SCMP_ACT_LOG)";
        if (d->runtime_flags)
                return "enforced denials are logged (the profile asks the runtime for "
                       "SECCOMP_FILTER_FLAG_LOG)";
        return "enforced denials are NOT logged: the runtime does not accept seccomp flags "
               "(see runtimes); only kills and explicit log rules reach the audit stream";
}

/* The recording in progress and the last one kept. */
static json_t *recording_json(struct daemon *d, const struct service *s)
{
        const struct recording *rec = daemon_recording_of(d, s->name);

        return json_pack(
            "{s:o, s:o}", "active",
            rec ? json_pack("{s:I, s:I, s:b}", "start", (json_int_t)rec->start_usec, "end",
                            (json_int_t)rec->end_usec, "apparmor", rec->apparmor)
                : json_null(),
            "last",
            s->recorded.have
                ? json_pack("{s:I, s:I, s:b, s:I}", "start", (json_int_t)s->recorded.start_usec,
                            "end", (json_int_t)s->recorded.end_usec, "apparmor",
                            s->recorded.apparmor, "lost", (json_int_t)s->recorded.lost)
                : json_null());
}

static json_t *service_json(struct daemon *d, struct service *s)
{
        const struct state_service *st = daemon_state_of(d, s->name);
        const struct service_counts *sc = counts_of(d, s->name);
        char path[CONFIG_PATH_MAX + 96], profile[APPARMOR_PROFILE_NAME_MAX];
        json_t *o;

        snprintf(path, sizeof(path), "%s/%s.seccomp.json", d->config.seccomp_dir, s->name);
        snprintf(profile, sizeof(profile), "hardend-%s", s->name);
        o = json_pack(
            "{s:s, s:s, s:I, s:o, s:{s:s?, s:o}, s:{s:s, s:o, s:o, s:s, s:b}, s:{s:s, s:b, s:s, "
            "s:o}, "
            "s:o, s:{s:I, s:I, s:I}, s:O}",
            "name", s->name, "mode", policy_mode_to_string(s->mode), "since",
            (json_int_t)(st ? st->since_usec : 0), "by", daemon_peer_json(st ? &st->who : NULL),
            "policy", "file", s->policy_file, "error", error_or_null(s->policy_error), "seccomp",
            "path", path, "sha256", s->sha256[0] ? json_string(s->sha256) : json_null(), "error",
            error_or_null(s->seccomp_error), "denials", denials_note(d, s), "denials_logged",
            s->mode == POLICY_MODE_MONITOR || d->runtime_flags, "apparmor", "profile", profile,
            "loaded", s->apparmor_loaded, "mode",
            s->mode == POLICY_MODE_MONITOR ? "complain" : "enforce", "error",
            error_or_null(s->apparmor_error), "workloads",
            s->workloads ? json_incref(s->workloads) : json_array(), "events", "total",
            (json_int_t)(sc ? sc->events : 0), "denials", (json_int_t)(sc ? sc->denials : 0),
            "last_denial", (json_int_t)(sc ? sc->last_denial_usec : 0), "last_finding",
            s->last_finding ? s->last_finding : json_null());
        if (o) {
                json_object_set_new(o, "recording", recording_json(d, s));
                json_object_set_new(o, "readiness", daemon_readiness_json(d, s));
        }
        return o;
}

json_t *daemon_status_json(struct daemon *d, const char *service)
{
        json_t *services = json_array();

        for (size_t i = 0; services && i < d->n_services; i++)
                if (!service[0] || strcmp(service, d->services[i].name) == 0)
                        json_array_append_new(services, service_json(d, &d->services[i]));
        return json_pack("{s:o, s:o*}", "agent", agent_json(d), "services", services);
}

json_t *daemon_events_json(struct daemon *d, const char *service)
{
        json_t *doc = observations_json(events_pipeline_observations(d->pipeline),
                                        service[0] ? service : NULL);

        if (doc && json_object_set_new(doc, "stats", pipeline_stats_json(d)) < 0) {
                json_decref(doc);
                return NULL;
        }
        return doc;
}

/* The latest scan's reports (those of one service when asked) and how
 * many findings they hold per severity. */
json_t *daemon_check_json(struct daemon *d, const char *service)
{
        json_t *reports = json_array(), *counts = json_object(), *it, *f;
        size_t i, k, n[_SEVERITY_MAX] = {0};

        if (!reports || !counts)
                goto fail;
        json_array_foreach(json_object_get(d->last_check, "reports"), i, it)
        {
                const char *sv = json_string_value(json_object_get(it, "service"));

                if (service[0] && (!sv || strcmp(sv, service) != 0))
                        continue;
                if (json_array_append(reports, it) < 0)
                        goto fail;
                json_array_foreach(json_object_get(it, "findings"), k, f)
                {
                        int sev = severity_from_string(
                            json_string_value(json_object_get(f, "severity")) ?: "");

                        if (sev >= 0)
                                n[sev]++;
                }
        }
        for (int sev = 0; sev < _SEVERITY_MAX; sev++)
                if (json_object_set_new(counts, severity_to_string(sev),
                                        json_integer((json_int_t)n[sev])) < 0)
                        goto fail;
        return json_pack("{s:I, s:o, s:o}", "scan_time", (json_int_t)d->last_scan_usec, "reports",
                         reports, "counts", counts);
fail:
        json_decref(reports);
        json_decref(counts);
        return NULL;
}
