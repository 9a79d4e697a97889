/* SPDX-License-Identifier: MIT */
#include "posture-print.h"

#include <string.h>

#include "base/macro.h"
#include "text-escape.h"

static void print_seccomp(FILE *f, const struct seccomp_summary *s)
{
        if (!s || !s->applicable)
                return;
        if (s->error < 0) {
                fprintf(f, "  seccomp: filter of pid %d not read: %s\n", (int)s->pid,
                        strerror(-s->error));
                return;
        }
        fprintf(f,
                "  seccomp: %zu allowed, %zu logged, %zu refused, %zu other, %zu conditional of "
                "%zu %s system calls (%zu filter%s, pid %d)\n",
                s->counts[SECCOMP_VERDICT_ALLOW], s->counts[SECCOMP_VERDICT_LOG],
                s->counts[SECCOMP_VERDICT_REFUSE],
                s->counts[SECCOMP_VERDICT_TRACE] + s->counts[SECCOMP_VERDICT_NOTIFY],
                s->conditional, s->total, seccomp_arch_name(s->arch), s->filters,
                s->filters == 1 ? "" : "s", (int)s->pid);
}

const char *workload_kind_to_string(enum workload_kind k)
{
        return k == WORKLOAD_CONTAINER ? "container" : k == WORKLOAD_UNIT ? "unit" : "process";
}

void posture_print_text(FILE *f, const struct posture_scan *scan, const struct posture_report *r,
                        const struct seccomp_summary *s, enum severity min)
{
        const struct workload *w = r->workload;
        const struct proc_info *main_proc = workload_main_proc(w, scan);
        char ref[128], name[1100] = "", detail[600] = "";

        workload_ref(w, ref, sizeof(ref));
        /* Kubernetes names come from annotations: anything, escaped. */
        if (w->k8s_container && w->k8s_pod) {
                char ns[256], pod[256], ctr[256];

                text_escape(w->k8s_namespace ? w->k8s_namespace : "?",
                            w->k8s_namespace ? strlen(w->k8s_namespace) : 1, false, ns, sizeof(ns));
                text_escape(w->k8s_pod, strlen(w->k8s_pod), false, pod, sizeof(pod));
                text_escape(w->k8s_container, strlen(w->k8s_container), false, ctr, sizeof(ctr));
                snprintf(name, sizeof(name), " %s/%s/%s", ns, pod, ctr);
        } else if (w->name) {
                char n[256];

                text_escape(w->name, strlen(w->name), false, n, sizeof(n));
                snprintf(name, sizeof(name), " %s", n);
        }
        if (w->how_detail)
                text_escape(w->how_detail, strlen(w->how_detail), false, detail, sizeof(detail));
        if (w->policy)
                fprintf(f, "%s%s: service %s (%s %s)", ref, name, w->policy->service,
                        match_how_to_string(w->how), detail);
        else
                fprintf(f, "%s%s: no service (restricted baseline)", ref, name);
        if (main_proc) {
                char comm[PROC_COMM_MAX * 4 + 1];

                text_escape(main_proc->comm, main_proc->comm_len, false, comm, sizeof(comm));
                fprintf(f, ", pid %d \"%s\"", (int)main_proc->pid, comm);
                if (w->n_procs > 1)
                        fprintf(f, " and %zu more", w->n_procs - 1);
        }
        fprintf(f, ", exposure %.1f/10 (%s)\n", r->score, r->rating);
        print_seccomp(f, s);
        for (size_t i = 0; i < r->n_findings; i++) {
                const struct finding *x = &r->findings[i];

                if (x->severity < min)
                        continue;
                fprintf(f, "  %-8s  %-18s %s\n", severity_to_string(x->severity),
                        check_id_to_string(x->check), x->message);
        }
}

static int set_str(json_t *o, const char *key, const char *value)
{
        char buf[4096];

        if (!value)
                return json_object_set_new(o, key, json_null());
        /* jansson wants UTF-8; names from the kernel or runtimes are bytes. */
        text_escape(value, strlen(value), false, buf, sizeof(buf));
        return json_object_set_new(o, key, json_string(buf));
}

/* Text posture already made printable (finding subjects and messages are
 * escaped when built); escaped again only if it is not valid UTF-8. */
static int set_text(json_t *o, const char *key, const char *value)
{
        json_t *s = json_string(value);

        if (!s)
                return set_str(o, key, value);
        return json_object_set_new(o, key, s);
}

static json_t *seccomp_json(const struct seccomp_summary *s)
{
        json_t *o = json_object();

        if (!o)
                return NULL;
        json_object_set_new(o, "pid", json_integer(s->pid));
        if (s->error < 0) {
                set_str(o, "error", strerror(-s->error));
                return o;
        }
        json_object_set_new(o, "arch", json_string(seccomp_arch_name(s->arch)));
        json_object_set_new(o, "filters", json_integer((json_int_t)s->filters));
        json_object_set_new(o, "syscalls", json_integer((json_int_t)s->total));
        for (int v = 0; v < _SECCOMP_VERDICT_MAX; v++)
                json_object_set_new(o, seccomp_verdict_to_string((enum seccomp_verdict)v),
                                    json_integer((json_int_t)s->counts[v]));
        json_object_set_new(o, "conditional", json_integer((json_int_t)s->conditional));
        if (s->compared) {
                json_t *extra = json_array();

                json_object_set_new(o, "equals_monitor_filter", json_boolean(s->equals[0]));
                json_object_set_new(o, "equals_enforce_filter", json_boolean(s->equals[1]));
                json_object_set_new(o, "allowed_but_refused_by_service",
                                    json_integer((json_int_t)s->n_extra));
                for (size_t i = 0; extra && i < s->n_extra && i < SECCOMP_DIFF_KEEP; i++)
                        json_array_append_new(extra, json_string(s->extra[i]));
                json_object_set_new(o, "allowed_but_refused_examples", extra);
        } else if (s->compare_error < 0)
                set_str(o, "compare_error", strerror(-s->compare_error));
        return o;
}

json_t *posture_report_json(const struct posture_scan *scan, const struct posture_report *r,
                            const struct seccomp_summary *s, enum severity min)
{
        const struct workload *w = r->workload;
        json_t *o = json_object(), *pids = json_array(), *findings = json_array(), *exp, *k8s;
        char ref[128];

        if (!o || !pids || !findings) {
                json_decref(o);
                json_decref(pids);
                json_decref(findings);
                return NULL;
        }
        set_str(o, "ref", workload_ref(w, ref, sizeof(ref)));
        json_object_set_new(o, "kind", json_string(workload_kind_to_string(w->kind)));
        json_object_set_new(o, "runtime", json_string(workload_runtime_to_string(w->runtime)));
        set_str(o, "id", w->id);
        set_str(o, "name", w->name);
        if (w->k8s_pod || w->k8s_container || w->pod_uid) {
                k8s = json_object();
                set_str(k8s, "namespace", w->k8s_namespace);
                set_str(k8s, "pod", w->k8s_pod);
                set_str(k8s, "container", w->k8s_container);
                set_str(k8s, "pod_uid", w->pod_uid);
                set_str(k8s, "qos", w->qos[0] ? w->qos : NULL);
                json_object_set_new(k8s, "sandbox", json_boolean(w->sandbox));
                json_object_set_new(o, "kubernetes", k8s);
        }
        if (w->delegated)
                json_object_set_new(o, "delegated_uid", json_integer(w->delegated_uid));
        if (w->have_state) {
                json_t *st = json_object();

                set_str(st, "path", w->state_path);
                json_object_set_new(st, "trusted", json_boolean(w->state_trusted));
                json_object_set_new(st, "init_pid", json_integer(w->init_pid));
                json_object_set_new(st, "init_verified", json_boolean(w->init_verified));
                json_object_set_new(o, "oci_state", st);
        }
        set_str(o, "service", w->policy ? w->policy->service : NULL);
        if (w->policy) {
                json_t *m = json_object();

                json_object_set_new(m, "criterion", json_string(match_how_to_string(w->how)));
                set_str(m, "value", w->how_detail);
                json_object_set_new(o, "matched_by", m);
        } else
                json_object_set_new(o, "matched_by", json_null());
        for (size_t i = 0; i < w->n_procs; i++)
                json_array_append_new(pids, json_integer(scan->procs[w->procs[i]].pid));
        json_object_set_new(o, "pids", pids);
        exp = json_object();
        json_object_set_new(exp, "score", json_real(r->score));
        json_object_set_new(exp, "rating", json_string(r->rating));
        json_object_set_new(o, "exposure", exp);
        json_object_set_new(o, "seccomp", s && s->applicable ? seccomp_json(s) : json_null());
        for (size_t i = 0; i < r->n_findings; i++) {
                const struct finding *x = &r->findings[i];
                json_t *fo;

                if (x->severity < min)
                        continue;
                fo = json_object();
                json_object_set_new(fo, "severity", json_string(severity_to_string(x->severity)));
                json_object_set_new(fo, "check", json_string(check_id_to_string(x->check)));
                set_text(fo, "subject", x->subject);
                set_text(fo, "message", x->message);
                json_object_set_new(fo, "pid", x->pid ? json_integer(x->pid) : json_null());
                json_array_append_new(findings, fo);
        }
        json_object_set_new(o, "findings", findings);
        return o;
}

json_t *posture_scan_json(const struct posture_scan *scan)
{
        static const char *const aa[] = {"unavailable", "attr/apparmor/current", "attr/current"};
        json_t *o = json_object(), *host = json_object();

        if (!o || !host) {
                json_decref(o);
                json_decref(host);
                return NULL;
        }
        json_object_set_new(host, "reference_pid", json_integer(scan->host.pid));
        json_object_set_new(host, "reference_is_self", json_boolean(scan->host.from_self));
        if (scan->host.pid1_error < 0)
                set_str(host, "pid1_error", strerror(-scan->host.pid1_error));
        json_object_set_new(host, "apparmor", json_string(aa[scan->apparmor]));
        json_object_set_new(host, "cap_last_cap", json_integer(scan->cap_last_cap));
        json_object_set_new(o, "host", host);
        json_object_set_new(o, "processes", json_integer((json_int_t)scan->n_procs));
        json_object_set_new(o, "mount_namespaces", json_integer((json_int_t)scan->n_mount_ns));
        json_object_set_new(o, "kernel_threads", json_integer((json_int_t)scan->kernel_threads));
        json_object_set_new(o, "vanished", json_integer((json_int_t)scan->vanished));
        json_object_set_new(o, "unreadable", json_integer((json_int_t)scan->unreadable));
        json_object_set_new(o, "not_scanned", json_integer((json_int_t)scan->truncated));
        /* Where the per-process facts came from, and why not the iterator. */
        json_object_set_new(o, "source", json_string(scan_source_to_string(scan->source)));
        if (scan->source == SCAN_SOURCE_BPF)
                json_object_set_new(o, "read_through_proc",
                                    json_integer((json_int_t)scan->bpf_missed));
        else if (scan->bpf_error < 0)
                set_str(o, "source_note", strerror(-scan->bpf_error));
        return o;
}
