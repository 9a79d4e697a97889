/* SPDX-License-Identifier: MIT */
/* Posture in the loop: a scan of /proc every scan_interval, and one soon
 * after a container starts (inotify on the OCI runtimes' state
 * directories: runc creates <root>/<id>/ as it creates the container) or
 * after a mode switch. Each scan keeps, per service, the workloads it
 * matched and whether each runs the filter of the service's current mode,
 * and the check result `hardenctl check` asks for. New findings are
 * journaled once, not at every scan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>

#include "base/time-util.h"
#include "daemon-log.h"
#include "daemon.h"
#include "posture/posture-check.h"
#include "posture/posture-print.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "posture/workload.h"
#include "readback-helper.h"

/* Where OCI runtimes create a directory per container (runc's default
 * root, crun's, containerd's runc root for Kubernetes). */
static const char *const runtime_roots[DAEMON_RUNTIME_ROOTS] = {
    "/run/runc",
    "/run/crun",
    "/run/containerd/runc/k8s.io",
};

#define SCAN_SOON_USEC  (300u * 1000u)
#define SCAN_RETRY_USEC (2u * 1000000u)

/* Whether a workload runs the filter of the service's current mode. */
static const char *filter_state(const struct seccomp_summary *sc, enum policy_mode mode)
{
        if (!sc->applicable)
                return "none";
        if (sc->error < 0 || !sc->compared)
                return sc->error < 0 ? "unknown" : "other";
        if (sc->equals[mode])
                return "current";
        if (sc->equals[mode == POLICY_MODE_MONITOR ? POLICY_MODE_ENFORCE : POLICY_MODE_MONITOR])
                return "stale";
        return "other";
}

static json_t *workload_json(const struct workload *w, const struct posture_scan *scan,
                             const struct posture_report *rep, const char *seccomp)
{
        const struct proc_info *p = workload_main_proc(w, scan);
        char ref[256];

        return json_pack("{s:s, s:s, s:s?, s:s?, s:i, s:s, s:I, s:I, s:f}", "ref",
                         workload_ref(w, ref, sizeof(ref)), "kind",
                         workload_kind_to_string(w->kind), "id", w->id, "name", w->name, "pid",
                         p ? (int)p->pid : 0, "seccomp", seccomp, "cap_permitted",
                         (json_int_t)(p ? p->creds.cap_prm : 0), "findings",
                         (json_int_t)rep->n_findings, "score", rep->score);
}

/* Journals the findings not seen by the previous scan; returns the set
 * of this scan's finding keys. */
static void note_findings(struct daemon *d, const struct workload *w, const char *ref,
                          const struct posture_report *rep, json_t *seen)
{
        for (size_t k = 0; k < rep->n_findings; k++) {
                const struct finding *f = &rep->findings[k];
                char key[512];

                snprintf(key, sizeof(key), "%s|%s|%s", ref, check_id_to_string(f->check),
                         f->message);
                json_object_set_new(seen, key, json_true());
                if (!json_object_get(d->known_findings, key))
                        log_finding(w->policy ? w->policy->service : NULL, ref,
                                    severity_to_string(f->severity), check_id_to_string(f->check),
                                    f->message);
        }
}

static json_t *finding_json(const struct finding *f, uint64_t now)
{
        return json_pack("{s:s, s:s, s:s, s:I}", "severity", severity_to_string(f->severity),
                         "check", check_id_to_string(f->check), "message", f->message, "time",
                         (json_int_t)now);
}

/* Which workloads are reported: every container but pod sandboxes, and
 * host units and processes a policy matched (as `hardenctl check`). */
static bool reported(const struct workload *w)
{
        return !w->sandbox && (w->kind == WORKLOAD_CONTAINER || w->policy);
}

static int check_workload(struct daemon *d, const struct posture_scan *scan,
                          const struct workload *w, uint64_t now, json_t *reports, json_t *seen,
                          bool *ret_unsettled)
{
        struct service *s = w->policy ? daemon_find_service(d, w->policy->service) : NULL;
        struct seccomp_summary sc = {0};
        struct posture_report rep;
        char ref[256];
        int r;

        r = posture_check(scan, w, d->root_fd, &rep);
        if (r < 0)
                return r;
        r = posture_seccomp_check_against(
            d->proc_fd, scan, w, d->readback ? readback_helper_reader : seccomp_readback_reader,
            d->readback, s ? service_expected(s) : NULL, &sc);
        if (r >= 0)
                r = posture_seccomp_findings(&sc, w->policy, &rep);
        if (r < 0)
                goto finish;
        /* Someone else was attached to it (another agent, a debugger), or
         * it was mid-exec: worth another look soon. */
        if (sc.error == -EPERM || sc.error == -ESRCH)
                *ret_unsettled = true;
        posture_report_sort(&rep);
        workload_ref(w, ref, sizeof(ref));
        note_findings(d, w, ref, &rep, seen);
        json_array_append_new(reports, posture_report_json(scan, &rep, &sc, SEVERITY_INFO));
        if (s) {
                json_array_append_new(s->workloads,
                                      workload_json(w, scan, &rep, filter_state(&sc, s->mode)));
                /* Sorted worst first: status shows the worst of the service's workloads. */
                if (rep.n_findings > 0 &&
                    (!s->last_finding || (int)rep.findings[0].severity >
                                             severity_from_string(json_string_value(
                                                 json_object_get(s->last_finding, "severity"))))) {
                        json_decref(s->last_finding);
                        s->last_finding = finding_json(&rep.findings[0], now);
                }
        }
finish:
        seccomp_summary_done(&sc);
        posture_report_done(&rep);
        return r;
}

static int run_scan(struct daemon *d)
{
        struct posture_scan scan = {0};
        struct workload_set ws = {0};
        json_t *reports = json_array(), *seen = json_object(), *result = NULL;
        bool unsettled = false;
        uint64_t now = now_realtime_usec();
        int r;

        if (!reports || !seen) {
                r = -ENOMEM;
                goto finish;
        }
        r = posture_scan_run(d->proc_fd, 0, SCAN_EXE | SCAN_THREADS, &scan);
        if (r >= 0)
                r = workloads_build(&scan, d->root_fd, &ws);
        if (r >= 0)
                r = workloads_match(&ws, &scan, &d->view);
        if (r < 0)
                goto finish;
        for (size_t i = 0; i < d->n_services; i++) {
                struct service *s = &d->services[i];

                json_decref(s->workloads);
                s->workloads = json_array();
                json_decref(s->last_finding);
                s->last_finding = NULL;
        }
        for (size_t i = 0; i < ws.n && r >= 0; i++)
                if (reported(&ws.items[i]))
                        r = check_workload(d, &scan, &ws.items[i], now, reports, seen, &unsettled);
        if (r < 0)
                goto finish;
        result = json_pack("{s:I, s:O}", "scan_time", (json_int_t)now, "reports", reports);
        if (!result) {
                r = -ENOMEM;
                goto finish;
        }
        json_decref(d->last_check);
        d->last_check = result;
        json_decref(d->known_findings);
        d->known_findings = json_incref(seen);
        d->last_scan_usec = now;
        d->scan_workloads = json_array_size(reports);
        d->scan_source = (int)scan.source;
        d->scan_bpf_error = scan.bpf_error;
        d->scan_error[0] = '\0';
        /* One retry, not a loop: a workload that stays unreadable waits
         * for the next periodic scan. */
        if (unsettled && !d->scan_retried) {
                d->scan_retried = true;
                if (sd_event_source_set_time_relative(d->scan_soon, SCAN_RETRY_USEC) >= 0)
                        (void)sd_event_source_set_enabled(d->scan_soon, SD_EVENT_ONESHOT);
        } else
                d->scan_retried = false;
finish:
        if (r < 0) {
                snprintf(d->scan_error, sizeof(d->scan_error), "%s", strerror(-r));
                log_errno(r, "posture scan failed: %m");
        }
        json_decref(reports);
        json_decref(seen);
        workload_set_done(&ws);
        posture_scan_done(&scan);
        return r;
}

static int on_scan_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;

        (void)run_scan(d);
        if (sd_event_source_set_time_relative(s, d->config.scan_interval_usec) >= 0)
                (void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
        return 0;
}

static int on_scan_soon(sd_event_source *s, uint64_t usec, void *userdata)
{
        struct daemon *d = userdata;

        (void)run_scan(d);
        /* The periodic scan counts from this one. */
        if (sd_event_source_set_time_relative(d->scan_timer, d->config.scan_interval_usec) >= 0)
                (void)sd_event_source_set_enabled(d->scan_timer, SD_EVENT_ONESHOT);
        return 0;
}

void daemon_scan_soon(struct daemon *d)
{
        if (!d->scan_soon)
                return;
        if (sd_event_source_set_time_relative(d->scan_soon, SCAN_SOON_USEC) >= 0)
                (void)sd_event_source_set_enabled(d->scan_soon, SD_EVENT_ONESHOT);
}

static int on_runtime_dir(sd_event_source *s, const struct inotify_event *ev, void *userdata)
{
        if (ev->mask & (IN_ISDIR | IN_Q_OVERFLOW))
                daemon_scan_soon(userdata);
        return 0;
}

int daemon_scan_start(struct daemon *d)
{
        int r;

        r = sd_event_add_time_relative(d->event, &d->scan_timer, CLOCK_MONOTONIC,
                                       d->config.scan_interval_usec, 1000000, on_scan_timer, d);
        if (r >= 0)
                r = sd_event_add_time_relative(d->event, &d->scan_soon, CLOCK_MONOTONIC,
                                               SCAN_SOON_USEC, 50000, on_scan_soon, d);
        if (r < 0)
                return log_errno(r, "cannot set up scan timers: %m");
        /* The first scan right away, so status has workloads from the start. */
        (void)sd_event_source_set_time_relative(d->scan_soon, 0);
        for (size_t i = 0; i < ELEMENTSOF(runtime_roots); i++)
                (void)sd_event_add_inotify(d->event, &d->runtime_watch[i], runtime_roots[i],
                                           IN_CREATE | IN_ONLYDIR, on_runtime_dir, d);
        return 0;
}

void daemon_scan_stop(struct daemon *d)
{
        d->scan_timer = sd_event_source_disable_unref(d->scan_timer);
        d->scan_soon = sd_event_source_disable_unref(d->scan_soon);
        for (size_t i = 0; i < ELEMENTSOF(d->runtime_watch); i++)
                d->runtime_watch[i] = sd_event_source_disable_unref(d->runtime_watch[i]);
}
