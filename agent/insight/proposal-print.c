/* SPDX-License-Identifier: MIT */
/* A proposal for people (the diff, then what was held back and why) and
 * for programs (JSON, with what an apply needs: the new text and the
 * SHA-256 of the text it was made from). */
#include <errno.h>
#include <string.h>

#include "base/sha256.h"
#include "events/event-print.h"
#include "proposal.h"

static json_t *change_json(const struct proposal_change *c)
{
        json_t *w = json_array(), *o;

        for (size_t i = 0; w && i < c->n_workloads; i++)
                json_array_append_new(w, json_bytes(c->workloads[i]));
        o = json_pack("{s:s, s:s, s:o, s:o, s:I, s:o, s:I}", "section",
                      proposal_section_to_string(c->section), "action",
                      proposal_action_to_string(c->action), "what", json_bytes(c->what), "reason",
                      json_bytes(c->reason), "count", (json_int_t)c->count, "workloads",
                      w ? w : json_array(), "more_workloads", (json_int_t)c->more_workloads);
        if (o && c->risk)
                json_object_set_new(o, "risk", json_string(c->risk));
        if (o && c->example)
                json_object_set_new(o, "example", json_bytes(c->example));
        return o;
}

json_t *proposal_to_json(const struct proposal *p)
{
        char sha[SHA256_HEX_SIZE];
        json_t *changes = json_array(), *counts = json_object(), *o;

        if (!changes || !counts || sha256_hex(p->old_text, p->old_size, sha) < 0) {
                json_decref(changes);
                json_decref(counts);
                return NULL;
        }
        for (size_t i = 0; i < p->n_changes; i++)
                json_array_append_new(changes, change_json(&p->changes[i]));
        for (size_t a = 0; a < _PROPOSAL_ACTION_MAX; a++)
                json_object_set_new(counts, proposal_action_to_string(a),
                                    json_integer((json_int_t)p->n_by_action[a]));
        o = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I}}",
                      "service", p->service, "label", p->label, "old_sha256", sha, "changes_policy",
                      proposal_changes_policy(p), "counts", counts, "changes", changes, "diff",
                      p->diff ? p->diff : "", "new_text", p->new_text ? p->new_text : "",
                      "evidence", "observations", (json_int_t)p->observations, "events",
                      (json_int_t)p->events, "runtime_events", (json_int_t)p->runtime_events,
                      "allowed_before", (json_int_t)p->allowed_before, "allowed_after",
                      (json_int_t)p->allowed_after);
        return o;
}

static void print_list(FILE *f, const json_t *changes, const char *action, const char *heading)
{
        bool any = false;
        size_t i;
        json_t *c;

        json_array_foreach(changes, i, c)
        {
                const char *risk = json_string_value(json_object_get(c, "risk"));

                if (strcmp(json_string_value(json_object_get(c, "action")) ?: "", action) != 0)
                        continue;
                if (!any)
                        fprintf(f, "\n%s\n", heading);
                any = true;
                fprintf(f, "  %-8s %s: %s\n", json_string_value(json_object_get(c, "section")),
                        json_string_value(json_object_get(c, "what")),
                        json_string_value(json_object_get(c, "reason")));
                if (risk)
                        fprintf(f, "           risk: %s\n", risk);
        }
}

int proposal_print(FILE *f, const json_t *p)
{
        const json_t *n = json_object_get(p, "counts"), *ev = json_object_get(p, "evidence");
        json_int_t in_text = json_integer_value(json_object_get(n, "add")) +
                             json_integer_value(json_object_get(n, "remove")) +
                             json_integer_value(json_object_get(n, "narrow"));
        json_int_t runtime = json_integer_value(json_object_get(ev, "runtime_events"));
        const char *diff = json_string_value(json_object_get(p, "diff"));

        fprintf(f, "%s: %lld change%s proposed from %lld events (%lld kinds)",
                json_string_value(json_object_get(p, "service")), (long long)in_text,
                in_text == 1 ? "" : "s",
                (long long)json_integer_value(json_object_get(ev, "events")),
                (long long)json_integer_value(json_object_get(ev, "observations")));
        if (json_is_true(json_object_get(p, "recording")))
                fputs(", from the last recording", f);
        if (runtime)
                fprintf(f, "; %lld events of the runtime's start-up not counted",
                        (long long)runtime);
        fprintf(f, "\n  seccomp allow list (x86_64): %lld -> %lld syscalls\n",
                (long long)json_integer_value(json_object_get(ev, "allowed_before")),
                (long long)json_integer_value(json_object_get(ev, "allowed_after")));
        if (diff && diff[0])
                fprintf(f, "\n%s", diff);
        else
                fputs("\nNo change to the policy.\n", f);
        print_list(f, json_object_get(p, "changes"), "held-back",
                   "Held back (risky; --accept-risky adds them):");
        print_list(f, json_object_get(p, "changes"), "note", "Notes (nothing changed for these):");
        return ferror(f) ? -EIO : 0;
}
