/* SPDX-License-Identifier: MIT */
#include "report-model.h"

#include <stdlib.h>
#include <string.h>

#include "events/event-print.h"
#include "events/observations-print.h"
#include "posture/text-escape.h"

static bool of_service(const struct observation *ob, const char *service)
{
        return service ? ob->service && strcmp(ob->service, service) == 0 : !ob->service;
}

static bool enforced(const struct observation *ob)
{
        if (ob->kind == EVENT_SECCOMP)
                return ob->verdict != SECCOMP_EVENT_LOG;
        return ob->kind == EVENT_APPARMOR && ob->verdict != APPARMOR_ALLOWED;
}

static int by_count(const void *x, const void *y)
{
        const struct observation *a = *(const struct observation *const *)x;
        const struct observation *b = *(const struct observation *const *)y;

        return a->count != b->count ? (a->count < b->count ? 1 : -1)
                                    : (a->last_usec < b->last_usec) - (a->last_usec > b->last_usec);
}

static json_t *denial_json(const struct observation *ob)
{
        char verdict[64], what[TEXT_ESCAPE_SIZE(OBSERVATION_STRING_MAX) + 128];
        json_t *w = json_array();

        for (size_t i = 0; w && i < ob->n_workloads; i++)
                json_array_append_new(w, json_bytes(ob->workloads[i]));
        return json_pack(
            "{s:s, s:s, s:b, s:o, s:I, s:I, s:I, s:I, s:{s:i, s:o, s:o}, s:o, s:I, s:b}", "kind",
            event_kind_to_string(ob->kind), "verdict",
            event_verdict_label(ob->kind, ob->verdict, ob->data, verdict, sizeof(verdict)),
            "enforced", enforced(ob), "what", json_bytes(observation_what(ob, what, sizeof(what))),
            "count", (json_int_t)ob->count, "killed", (json_int_t)ob->killed, "first_usec",
            (json_int_t)ob->first_usec, "last_usec", (json_int_t)ob->last_usec, "example", "pid",
            (int)ob->example_pid, "comm", json_bytes(ob->example_comm), "exe",
            json_bytes(ob->example_exe), "workloads", w ? w : json_array(), "more_workloads",
            (json_int_t)ob->more_workloads, "runtime", ob->runtime);
}

struct top {
        const char *label;
        char *owned;
        uint64_t count, denials;
};

static int by_top(const void *x, const void *y)
{
        const struct top *a = x, *b = y;

        return a->count != b->count ? (a->count < b->count ? 1 : -1) : strcmp(a->label, b->label);
}

/* The syscall, or the AppArmor object: what a bar of the chart names. */
static const char *top_label(const struct observation *ob, char *buf, size_t size)
{
        if (ob->kind == EVENT_SECCOMP || !ob->object)
                return observation_what(ob, buf, size);
        return text_escape(ob->object, strlen(ob->object), false, buf, size);
}

static json_t *top_json(const struct observation **v, size_t n)
{
        struct top *t = calloc(n ? n : 1, sizeof(*t));
        size_t m = 0;
        json_t *a = json_array();

        if (!t || !a)
                goto fail;
        for (size_t i = 0; i < n; i++) {
                char buf[TEXT_ESCAPE_SIZE(OBSERVATION_STRING_MAX) + 128];
                const char *label = top_label(v[i], buf, sizeof(buf));
                size_t k;

                for (k = 0; k < m; k++)
                        if (strcmp(t[k].label, label) == 0)
                                break;
                if (k == m) {
                        if (!(t[m].owned = strdup(label)))
                                goto fail;
                        t[m++].label = t[k].owned;
                }
                t[k].count += v[i]->count;
                if (observation_is_denial(v[i]))
                        t[k].denials += v[i]->count;
        }
        qsort(t, m, sizeof(*t), by_top);
        for (size_t k = 0; k < m && k < REPORT_TOP_MAX; k++)
                json_array_append_new(
                    a, json_pack("{s:o, s:I, s:I}", "label", json_bytes(t[k].label), "count",
                                 (json_int_t)t[k].count, "denials", (json_int_t)t[k].denials));
        for (size_t k = 0; k < m; k++)
                free(t[k].owned);
        free(t);
        return a;
fail:
        for (size_t k = 0; t && k < m; k++)
                free(t[k].owned);
        free(t);
        json_decref(a);
        return NULL;
}

static json_t *timeline_json(const struct timeline *t)
{
        json_t *ev = json_array(), *dn = json_array();
        unsigned n = timeline_used(t);

        for (unsigned i = 0; ev && dn && i < n; i++) {
                json_array_append_new(ev, json_integer(t->events[i]));
                json_array_append_new(dn, json_integer(t->denials[i]));
        }
        return json_pack("{s:I, s:I, s:o, s:o}", "start_usec", (json_int_t)t->start_usec,
                         "bucket_usec", (json_int_t)t->bucket_usec, "events",
                         ev ? ev : json_array(), "denials", dn ? dn : json_array());
}

json_t *report_service_json(const struct observations *o, const char *service, uint64_t since_usec)
{
        const struct observation *const *all;
        const struct observation **v, **den;
        const struct service_counts *sv, *sc = NULL;
        size_t n, n_sv, m = 0, n_den = 0;
        uint64_t events = 0, enforced_n = 0, would = 0;
        json_t *denials = json_array(), *doc = NULL, *top;

        all = observations_all(o, &n);
        v = calloc(n ? n : 1, sizeof(*v));
        den = calloc(n ? n : 1, sizeof(*den));
        if (!v || !den || !denials)
                goto done;
        for (size_t i = 0; i < n; i++) {
                if (!of_service(all[i], service) || all[i]->last_usec < since_usec ||
                    all[i]->kind == EVENT_ABEND)
                        continue;
                v[m++] = all[i];
                events += all[i]->count;
                if (!observation_is_denial(all[i]))
                        continue;
                den[n_den++] = all[i];
                if (enforced(all[i]))
                        enforced_n += all[i]->count;
                else
                        would += all[i]->count;
        }
        qsort(den, n_den, sizeof(*den), by_count);
        for (size_t i = 0; i < n_den && i < REPORT_DENIALS_MAX; i++)
                json_array_append_new(denials, denial_json(den[i]));
        sv = observations_services(o, &n_sv);
        for (size_t i = 0; i < n_sv; i++)
                if (service ? sv[i].service && strcmp(sv[i].service, service) == 0 : !sv[i].service)
                        sc = &sv[i];
        top = top_json(v, m);
        doc = json_pack(
            "{s:o, s:{s:I, s:I, s:I, s:I}, s:o, s:I, s:o, s:o}", "service",
            service ? json_bytes(service) : json_null(), "counts", "events", (json_int_t)events,
            "denials", (json_int_t)enforced_n, "would_be_denials", (json_int_t)would, "over_cap",
            (json_int_t)(sc ? sc->over_cap : 0), "denials", denials, "more_denials",
            (json_int_t)(n_den > REPORT_DENIALS_MAX ? n_den - REPORT_DENIALS_MAX : 0), "timeline",
            sc && sc->timeline.start_usec ? timeline_json(&sc->timeline) : json_null(), "top",
            top ? top : json_array());
        denials = NULL;
done:
        json_decref(denials);
        free(v);
        free(den);
        return doc;
}

json_t *report_document(const char *source, uint64_t generated_usec, uint64_t since_usec)
{
        return json_pack("{s:I, s:s, s:o, s:[], s:n, s:n}", "generated_usec",
                         (json_int_t)generated_usec, "source", source, "since_usec",
                         since_usec ? json_integer((json_int_t)since_usec) : json_null(),
                         "services", "unattributed", "agent");
}
