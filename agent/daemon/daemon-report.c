/* SPDX-License-Identifier: MIT */
/* The report verb's document (docs/report.md): per service, what its
 * observations say (insight/report-model.h) joined with what only the
 * agent knows: mode, readiness, the latest scan's workloads and findings,
 * and the pending proposal. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/time-util.h"
#include "daemon.h"
#include "insight/proposal.h"
#include "insight/report-model.h"

static json_t *workloads_json(const struct service *s)
{
        json_t *out = json_array(), *w;
        size_t i;

        json_array_foreach(s->workloads, i, w)
        {
                json_t *score = json_object_get(w, "score");

                json_array_append_new(
                    out,
                    json_pack("{s:O, s:O, s:O, s:i, s:f, s:O}", "ref", json_object_get(w, "ref"),
                              "name",
                              json_object_get(w, "name") ? json_object_get(w, "name") : json_null(),
                              "kind", json_object_get(w, "kind"), "pids", 1, "score",
                              json_is_number(score) ? json_number_value(score) : 0.0, "seccomp",
                              json_object_get(w, "seccomp")));
        }
        return out;
}

/* Each finding of the service's workloads in the latest scan. */
static json_t *findings_json(struct daemon *d, const struct service *s)
{
        json_t *out = json_array(), *rep, *f;
        size_t i, k;

        json_array_foreach(json_object_get(d->last_check, "reports"), i, rep)
        {
                const char *sv = json_string_value(json_object_get(rep, "service"));
                char who[320];

                if (!sv || strcmp(sv, s->name) != 0)
                        continue;
                snprintf(who, sizeof(who), "%s%s%s",
                         json_string_value(json_object_get(rep, "ref")) ?: "?",
                         json_string_value(json_object_get(rep, "name")) ? " " : "",
                         json_string_value(json_object_get(rep, "name")) ?: "");
                json_array_foreach(json_object_get(rep, "findings"), k, f)
                    json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:O, s:O}", "severity",
                                                         json_object_get(f, "severity"), "check",
                                                         json_object_get(f, "check"), "workload",
                                                         who, "pid", json_object_get(f, "pid"),
                                                         "text", json_object_get(f, "message")));
        }
        return out;
}

/* The pending proposal: from the last recording when it is newer than
 * the policy it would change, else from everything observed. */
static json_t *proposal_summary(struct daemon *d, struct service *s)
{
        struct protocol_request req = {0};
        _cleanup_free_ char *message = NULL;
        const char *code = NULL;
        json_t *p = NULL, *risky, *c, *out;
        size_t i;
        char summary[160];

        snprintf(req.service, sizeof(req.service), "%s", s->name);
        req.recording = s->recorded.have;
        if (daemon_propose(d, &req, &p, &code, &message) < 0)
                return json_null();
        risky = json_array();
        json_array_foreach(json_object_get(p, "changes"), i, c) if (json_object_get(c, "risk"))
            json_array_append_new(risky, json_pack("{s:O, s:O}", "what", json_object_get(c, "what"),
                                                   "note", json_object_get(c, "risk")));
        {
                json_t *n = json_object_get(p, "counts");
                json_int_t add = json_integer_value(json_object_get(n, "add")),
                           rm = json_integer_value(json_object_get(n, "remove")),
                           nar = json_integer_value(json_object_get(n, "narrow"));

                snprintf(summary, sizeof(summary),
                         "%lld to allow, %lld to remove, %lld to narrow%s", (long long)add,
                         (long long)rm, (long long)nar,
                         req.recording ? " (from the last recording)" : "");
                out =
                    json_pack("{s:I, s:O, s:s, s:O, s:o}", "changes", (json_int_t)(add + rm + nar),
                              "held_back", json_object_get(n, "held-back"), "summary", summary,
                              "diff", json_object_get(p, "diff"), "risky", risky);
        }
        json_decref(p);
        return out ? out : json_null();
}

json_t *daemon_report_json(struct daemon *d, const char *service, uint64_t since_usec)
{
        struct observations *o = events_pipeline_observations(d->pipeline);
        const struct events_pipeline_stats *st = events_pipeline_stats(d->pipeline);
        char host[128] = "this machine", source[200];
        json_t *doc, *services, *un;

        (void)gethostname(host, sizeof(host) - 1);
        snprintf(source, sizeof(source), "hardend on %s", host);
        doc = report_document(source, now_realtime_usec(), since_usec);
        services = json_object_get(doc, "services");
        for (size_t i = 0; doc && i < d->n_services; i++) {
                struct service *s = &d->services[i];
                json_t *svc;

                if (service[0] && strcmp(service, s->name) != 0)
                        continue;
                svc = report_service_json(o, s->name, since_usec);
                if (!svc)
                        continue;
                json_object_set_new(svc, "mode", json_string(policy_mode_to_string(s->mode)));
                json_object_set_new(svc, "policy",
                                    s->policy_file ? json_string(s->policy_file) : json_null());
                json_object_set_new(svc, "readiness", daemon_readiness_json(d, s));
                json_object_set_new(svc, "workloads", workloads_json(s));
                json_object_set_new(svc, "findings", findings_json(d, s));
                json_object_set_new(svc, "proposal", proposal_summary(d, s));
                json_array_append_new(services, svc);
        }
        un = service[0] ? NULL : report_service_json(o, NULL, since_usec);
        if (doc && un) {
                json_t *c = json_object_get(un, "counts");

                json_object_set_new(
                    doc, "unattributed",
                    json_pack("{s:O, s:I}", "events", json_object_get(c, "events"), "denials",
                              json_integer_value(json_object_get(c, "denials")) +
                                  json_integer_value(json_object_get(c, "would_be_denials"))));
        }
        json_decref(un);
        if (doc)
                json_object_set_new(doc, "agent",
                                    json_pack("{s:I, s:I, s:I}", "lost",
                                              (json_int_t)st->serial.gaps, "overruns",
                                              (json_int_t)(d->overruns_reported), "malformed",
                                              (json_int_t)st->malformed));
        return doc;
}
