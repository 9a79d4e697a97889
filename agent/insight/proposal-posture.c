/* SPDX-License-Identifier: MIT */
/* The posture part of a proposal: the capability list. AppArmor checks
 * every capability use (`capable` events) and /proc shows what each
 * workload holds, so the list can grow by what was used and shrink by
 * what nobody holds or, over a recording, nobody used. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/names.h"
#include "proposal-internal.h"
#include "risky.h"

struct cap_use {
        int cap;
        struct evidence ev;
};

static int cmp_cap_use(const void *x, const void *y)
{
        const struct cap_use *a = x, *b = y;

        return (a->cap > b->cap) - (a->cap < b->cap);
}

static int propose_added(struct proposal_builder *b, struct cap_use *uses, size_t *ret_n)
{
        const struct policy_posture *pp = &b->policy->posture;
        size_t n = 0;
        int r = 0;

        for (size_t j = 0; j < b->by_class[OBS_CAPABILITY].n; j++) {
                const struct observation *ob = b->obs[b->by_class[OBS_CAPABILITY].v[j]];
                int cap;
                size_t k;

                if (!ob->object)
                        continue;
                cap = capability_from_name(ob->object);
                if (cap < 0 || cap > 63) {
                        struct evidence ev = {0};

                        evidence_add(&ev, ob);
                        r = builder_change(b, PROPOSAL_POSTURE, PROPOSAL_NOTE, ob->object, NULL,
                                           &ev, "a capability this system's libcap does not know");
                        if (r < 0)
                                return r;
                        continue;
                }
                for (k = 0; k < n; k++)
                        if (uses[k].cap == cap)
                                break;
                if (k == n)
                        uses[n++].cap = cap;
                evidence_add(&uses[k].ev, ob);
        }
        *ret_n = n;
        /* By number: the same evidence gives the same file in any order. */
        qsort(uses, n, sizeof(*uses), cmp_cap_use);
        for (size_t k = 0; k < n && r >= 0; k++) {
                char name[64], desc[160], item[PROPOSAL_REASON_MAX + 96], why[PROPOSAL_REASON_MAX];
                const char *risk;
                bool allowed = false;

                for (size_t i = 0; i < pp->n_capabilities; i++)
                        allowed |= pp->capabilities[i].cap == uses[k].cap;
                if (allowed)
                        continue;
                capability_to_name(uses[k].cap, name, sizeof(name));
                risk = risky_capability_note(name);
                evidence_describe(b, &uses[k].ev, desc, sizeof(desc));
                if (risk && !b->opt->accept_risky) {
                        r = builder_change(b, PROPOSAL_POSTURE, PROPOSAL_HELD_BACK, name, risk,
                                           &uses[k].ev, "checked %s", desc);
                        continue;
                }
                r = builder_change(b, PROPOSAL_POSTURE, PROPOSAL_ADD, name, risk, &uses[k].ev,
                                   "%schecked %s", risk ? "RISKY, accepted: " : "", desc);
                if (r < 0)
                        break;
                /* The policy requires a reason per capability: the evidence. */
                snprintf(item, sizeof(item), "name: %s\nreason: %s", name,
                         yaml_scalar(builder_last_reason(b), why, sizeof(why)));
                r = edit_append(b, "posture.capabilities", item, NULL);
        }
        return r;
}

static int propose_removed(struct proposal_builder *b, const struct cap_use *uses, size_t n_uses)
{
        const struct policy_posture *pp = &b->policy->posture;
        const struct proposal_recording *rec = b->opt->recording;
        int r = 0;

        for (size_t i = pp->n_capabilities; i-- > 0 && r >= 0;) {
                int cap = pp->capabilities[i].cap;
                bool held = false, used = false;
                char name[64];

                for (size_t k = 0; k < b->opt->n_held; k++)
                        held |= cap < 64 && (b->opt->held[k].permitted >> cap & 1);
                for (size_t k = 0; k < n_uses; k++)
                        used |= uses[k].cap == cap;
                capability_to_name(cap, name, sizeof(name));
                if (b->opt->n_held > 0 && !held)
                        r = builder_change(b, PROPOSAL_POSTURE, PROPOSAL_REMOVE, name, NULL, NULL,
                                           "none of the %zu running workloads holds it",
                                           b->opt->n_held);
                else if (rec && recorded_apparmor(b) && !used)
                        r = builder_change(b, PROPOSAL_POSTURE, PROPOSAL_REMOVE, name, NULL, NULL,
                                           "never checked %s (AppArmor logged every check)",
                                           b->window);
                else
                        continue;
                if (r >= 0)
                        r = edit_remove(b, "posture.capabilities", i, builder_last_reason(b));
        }
        return r;
}

int propose_posture(struct proposal_builder *b)
{
        _cleanup_free_ struct cap_use *uses = calloc(64, sizeof(*uses));
        size_t n = 0;
        int r;

        if (!uses)
                return -ENOMEM;
        r = propose_added(b, uses, &n);
        if (r < 0)
                return r;
        return propose_removed(b, uses, n);
}
