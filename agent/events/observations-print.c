/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "base/macro.h"
#include "base/time-util.h"
#include "event-print.h"
#include "observations-print.h"
#include "syscall-lookup.h"
#include "posture/text-escape.h"

static const char *verdict_of(const struct observation *ob, char *buf, size_t size)
{
        return event_verdict_label(ob->kind, ob->verdict, ob->data, buf, size);
}

/* "ptrace", "open /etc/secret.txt r", "capable net_admin" */
const char *observation_what(const struct observation *ob, char *buf, size_t size)
{
        char esc[TEXT_ESCAPE_SIZE(OBSERVATION_STRING_MAX)];

        if (ob->kind == EVENT_SECCOMP) {
                if (ob->syscall_name)
                        snprintf(buf, size, "%s", ob->syscall_name);
                else if (audit_arch_name(ob->arch))
                        snprintf(buf, size, "%s:syscall %lld", audit_arch_name(ob->arch),
                                 (long long)ob->syscall);
                else
                        snprintf(buf, size, "syscall %lld (arch %#x)", (long long)ob->syscall,
                                 ob->arch);
                return buf;
        }
        if (ob->kind == EVENT_ABEND)
                return "abend";
        snprintf(
            buf, size, "%s%s%s%s%s", ob->operation ? ob->operation : "?", ob->object ? " " : "",
            ob->object ? text_escape(ob->object, strlen(ob->object), false, esc, sizeof(esc)) : "",
            ob->mask ? " " : "", ob->mask ? ob->mask : "");
        return buf;
}

static void print_text_one(FILE *f, const struct observation *ob)
{
        char v[64], what[TEXT_ESCAPE_SIZE(OBSERVATION_STRING_MAX) + 128], t1[32], t2[32];
        char comm[TEXT_ESCAPE_SIZE(64)], exe[TEXT_ESCAPE_SIZE(256)];

        fprintf(f, "  %-8s  %-13s  %-40s  x%-6llu  %s .. %s", event_kind_to_string(ob->kind),
                verdict_of(ob, v, sizeof(v)), observation_what(ob, what, sizeof(what)),
                (unsigned long long)ob->count, format_time_iso_ms(ob->first_usec, t1, sizeof(t1)),
                format_time_iso_ms(ob->last_usec, t2, sizeof(t2)));
        if (ob->killed)
                fprintf(f, "  killed %llu", (unsigned long long)ob->killed);
        fprintf(f, "  pid %d", (int)ob->example_pid);
        if (ob->example_comm) {
                text_escape(ob->example_comm, strlen(ob->example_comm), false, comm, sizeof(comm));
                fprintf(f, strchr(comm, ' ') ? " comm=\"%s\"" : " comm=%s", comm);
        }
        if (ob->example_exe)
                fprintf(
                    f, " exe=%s",
                    text_escape(ob->example_exe, strlen(ob->example_exe), false, exe, sizeof(exe)));
        for (size_t i = 0; i < ob->n_workloads; i++)
                fprintf(f, "%s%s", i == 0 ? "  in " : ", ", ob->workloads[i]);
        if (ob->more_workloads)
                fprintf(f, " (+%llu events elsewhere)", (unsigned long long)ob->more_workloads);
        if (ob->runtime)
                fputs("  (runtime start-up)", f);
        fputc('\n', f);
}

static int print_text(FILE *f, struct observations *o)
{
        const struct observation **all;
        const struct service_counts *sv;
        size_t n, n_sv;

        observations_list(o, &all, &n);
        sv = observations_services(o, &n_sv);
        for (size_t s = 0; s < n_sv; s++) {
                const char *name = sv[s].service;

                fprintf(f, "%s: %llu event%s, %llu denied or would-be denied, %llu kind%s",
                        name ? name : "(no service)", (unsigned long long)sv[s].events,
                        sv[s].events == 1 ? "" : "s", (unsigned long long)sv[s].denials,
                        (unsigned long long)sv[s].keys, sv[s].keys == 1 ? "" : "s");
                if (sv[s].over_cap)
                        fprintf(f, ", %llu events over the key cap (counted only)",
                                (unsigned long long)sv[s].over_cap);
                fputc('\n', f);
                for (size_t i = 0; i < n; i++)
                        if (name ? all[i]->service && strcmp(all[i]->service, name) == 0
                                 : !all[i]->service)
                                print_text_one(f, all[i]);
        }
        return ferror(f) ? -EIO : 0;
}

static json_t *observation_json(const struct observation *ob)
{
        char v[64], what[TEXT_ESCAPE_SIZE(OBSERVATION_STRING_MAX) + 128], t1[32], t2[32];
        json_t *w = json_array();
        json_t *o;

        for (size_t i = 0; w && i < ob->n_workloads; i++)
                json_array_append_new(w, json_bytes(ob->workloads[i]));
        /* Strings from records are bytes: json_bytes() escapes what is
         * not UTF-8, which json_pack's "s" would refuse. */
        o = json_pack("{s:o, s:s, s:s, s:o, s:I, s:I, s:s, s:s, s:i, s:o, s:o, s:o, s:I}",
                      "service", json_bytes(ob->service), "kind", event_kind_to_string(ob->kind),
                      "verdict", verdict_of(ob, v, sizeof(v)), "what",
                      json_bytes(observation_what(ob, what, sizeof(what))), "count",
                      (json_int_t)ob->count, "killed", (json_int_t)ob->killed, "first",
                      format_time_iso_ms(ob->first_usec, t1, sizeof(t1)), "last",
                      format_time_iso_ms(ob->last_usec, t2, sizeof(t2)), "example_pid",
                      (int)ob->example_pid, "example_comm", json_bytes(ob->example_comm),
                      "example_exe", json_bytes(ob->example_exe), "workloads", w ? w : json_array(),
                      "more_workloads", (json_int_t)ob->more_workloads);
        if (o && ob->kind == EVENT_SECCOMP) {
                json_object_set_new(o, "syscall", json_bytes(ob->syscall_name));
                json_object_set_new(o, "syscall_nr", json_integer(ob->syscall));
                json_object_set_new(o, "arch", json_integer(ob->arch));
        } else if (o && ob->kind == EVENT_APPARMOR) {
                json_object_set_new(o, "operation", json_bytes(ob->operation));
                json_object_set_new(o, "object_kind",
                                    json_string(observation_object_to_string(ob->object_kind)));
                json_object_set_new(o, "object", json_bytes(ob->object));
                json_object_set_new(o, "mask", json_bytes(ob->mask));
        }
        if (o && ob->runtime)
                json_object_set_new(o, "runtime", json_true());
        return o;
}

static bool wanted(const char *service, const char *only)
{
        return !only || (service && strcmp(service, only) == 0);
}

json_t *observations_json(struct observations *o, const char *only)
{
        const struct observation **all;
        const struct service_counts *sv;
        size_t n, n_sv;
        json_t *doc = json_object(), *obs = json_array(), *services = json_array();

        if (!doc || !obs || !services)
                goto fail;
        if (observations_list(o, &all, &n) < 0)
                goto fail;
        for (size_t i = 0; i < n; i++)
                if (wanted(all[i]->service, only) &&
                    json_array_append_new(obs, observation_json(all[i])) < 0)
                        goto fail;
        sv = observations_services(o, &n_sv);
        for (size_t s = 0; s < n_sv; s++)
                if (wanted(sv[s].service, only) &&
                    json_array_append_new(
                        services,
                        json_pack("{s:o, s:I, s:I, s:I, s:I}", "service", json_bytes(sv[s].service),
                                  "events", (json_int_t)sv[s].events, "denials",
                                  (json_int_t)sv[s].denials, "keys", (json_int_t)sv[s].keys,
                                  "over_cap", (json_int_t)sv[s].over_cap)) < 0)
                        goto fail;
        if (json_object_set_new(doc, "services", services) < 0 ||
            json_object_set_new(doc, "observations", obs) < 0 ||
            json_object_set_new(doc, "over_cap",
                                json_integer((json_int_t)observations_over_cap(o))) < 0) {
                json_decref(doc);
                return NULL;
        }
        return doc;
fail:
        json_decref(doc);
        json_decref(obs);
        json_decref(services);
        return NULL;
}

static int print_json(FILE *f, struct observations *o)
{
        json_t *doc = observations_json(o, NULL);
        int r;

        if (!doc)
                return -ENOMEM;
        r = json_dumpf(doc, f, JSON_COMPACT) < 0 || fputc('\n', f) == EOF ? -EIO : 0;
        json_decref(doc);
        return r;
}

int observations_print(FILE *f, struct observations *o, bool json)
{
        return json ? print_json(f, o) : print_text(f, o);
}
