/* SPDX-License-Identifier: MIT */
/* The AppArmor part of a proposal: file accesses merged into globs
 * (path-merge.h), socket family/type pairs, and what a recording shows
 * unused. Capabilities AppArmor saw checked are posture's (the policy
 * keeps them in posture.capabilities), see proposal-posture.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "path-merge.h"
#include "policy/names.h"
#include "proposal-internal.h"

/* The policy language only knows these (load-apparmor.c). */
static const char *const known_families[] = {"unix", "inet", "inet6", "netlink", "packet"};
static const char *const known_types[] = {"stream", "dgram", "seqpacket", "raw"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(s, list[i]) == 0)
                        return true;
        return false;
}

/* "inet stream tcp" -> family "inet", type "stream" (or ""). */
static void split_network(const char *object, char *family, size_t fsize, char *type, size_t tsize)
{
        size_t flen = strcspn(object, " ");
        const char *t = object + flen;
        size_t tlen;

        snprintf(family, fsize, "%.*s", (int)flen, object);
        t += strspn(t, " ");
        tlen = strcspn(t, " ");
        snprintf(type, tsize, "%.*s", (int)tlen, t);
}

static bool network_covered(const struct apparmor_network_rule *rule, const char *family,
                            const char *type)
{
        return strcmp(rule->family, family) == 0 && (!rule->type || strcmp(rule->type, type) == 0);
}

/* A recording with AppArmor in which the service's profile logged
 * something: only then does "nothing used this rule" mean anything (no
 * event at all: the workloads ran under another profile). */
bool recorded_apparmor(const struct proposal_builder *b)
{
        if (!b->opt->recording || !b->opt->recording->apparmor)
                return false;
        for (size_t i = 0; i < b->n_obs; i++)
                if (b->obs[i]->kind == EVENT_APPARMOR)
                        return true;
        return false;
}

struct network_use {
        char family[32], type[32];
        struct evidence ev;
};

static int cmp_network(const void *x, const void *y)
{
        const struct network_use *a = x, *b = y;
        int c = strcmp(a->family, b->family);

        return c ? c : strcmp(a->type, b->type);
}

static int propose_network(struct proposal_builder *b)
{
        const struct policy_apparmor *pa = &b->policy->apparmor;
        struct network_use *seen = calloc(b->n_obs ? b->n_obs : 1, sizeof(*seen));
        size_t n_seen = 0;
        int r = 0;

        if (!seen)
                return -ENOMEM;
        for (size_t i = 0; i < b->n_obs; i++) {
                const struct observation *ob = b->obs[i];
                char family[32], type[32];
                size_t k;

                if (ob->kind != EVENT_APPARMOR || ob->object_kind != OBJECT_NETWORK || !ob->object)
                        continue;
                split_network(ob->object, family, sizeof(family), type, sizeof(type));
                for (k = 0; k < n_seen; k++)
                        if (strcmp(seen[k].family, family) == 0 && strcmp(seen[k].type, type) == 0)
                                break;
                if (k == n_seen) {
                        snprintf(seen[k].family, sizeof(seen[k].family), "%s", family);
                        snprintf(seen[k].type, sizeof(seen[k].type), "%s", type);
                        n_seen++;
                }
                evidence_add(&seen[k].ev, ob);
        }
        /* The same evidence gives the same file, whatever the order it came in. */
        qsort(seen, n_seen, sizeof(*seen), cmp_network);
        for (size_t k = 0; k < n_seen && r >= 0; k++) {
                char what[72], ev[160];
                bool covered = false;

                for (size_t i = 0; i < pa->n_network; i++)
                        covered |= network_covered(&pa->network[i], seen[k].family, seen[k].type);
                snprintf(what, sizeof(what), "%s%s%s", seen[k].family, seen[k].type[0] ? " " : "",
                         seen[k].type);
                if (covered)
                        continue;
                /* An unknown type (rdm, a number): the family alone would
                 * grant raw too, so it is the operator's call. */
                if (!in_list(seen[k].family, known_families, ELEMENTSOF(known_families)) ||
                    (seen[k].type[0] &&
                     !in_list(seen[k].type, known_types, ELEMENTSOF(known_types)))) {
                        r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_NOTE, what, NULL,
                                           &seen[k].ev,
                                           "%llux: a family or type the policy language has no "
                                           "rule for",
                                           (unsigned long long)seen[k].ev.count);
                        continue;
                }
                r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_ADD, what, NULL, &seen[k].ev,
                                   "sockets %s", evidence_describe(b, &seen[k].ev, ev, sizeof(ev)));
                if (r >= 0)
                        r = edit_append(b, "apparmor.network", what, builder_last_reason(b));
        }
        if (r >= 0 && recorded_apparmor(b))
                for (size_t i = pa->n_network; i-- > 0 && r >= 0;) {
                        char what[72];
                        bool used = false;

                        for (size_t k = 0; k < n_seen; k++)
                                used |=
                                    network_covered(&pa->network[i], seen[k].family, seen[k].type);
                        if (used)
                                continue;
                        snprintf(what, sizeof(what), "%s%s%s", pa->network[i].family,
                                 pa->network[i].type ? " " : "",
                                 pa->network[i].type ? pa->network[i].type : "");
                        r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_REMOVE, what, NULL, NULL,
                                           "no such socket created %s", b->window);
                        if (r >= 0)
                                r = edit_remove(b, "apparmor.network", i, builder_last_reason(b));
                }
        free(seen);
        return r;
}

/* Signals, ptrace, mounts and the like: rules an operator writes by hand,
 * with the peer in mind; a proposal only points at them. */
static int note_other(struct proposal_builder *b)
{
        for (size_t i = 0; i < b->n_obs; i++) {
                const struct observation *ob = b->obs[i];
                struct evidence ev = {0};
                char what[160], desc[160];
                int r;

                if (ob->kind != EVENT_APPARMOR || ob->object_kind == OBJECT_PATH ||
                    ob->object_kind == OBJECT_NETWORK || ob->object_kind == OBJECT_CAPABILITY)
                        continue;
                evidence_add(&ev, ob);
                snprintf(what, sizeof(what), "%s%s%.100s", ob->operation ? ob->operation : "?",
                         ob->object ? " " : "", ob->object ? ob->object : "");
                r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_NOTE, what, NULL, &ev,
                                   "%s %s: write a rule by hand if it is meant",
                                   ob->verdict == APPARMOR_DENIED ? "denied" : "would be denied",
                                   evidence_describe(b, &ev, desc, sizeof(desc)));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The part of a policy glob before its first wildcard or variable (what
 * every path it matches starts with); @{PROC} stands for /proc. */
static size_t glob_literal_prefix(const char *glob, char *buf, size_t size)
{
        size_t n = 0;

        if (strncmp(glob, "@{PROC}", 7) == 0) {
                snprintf(buf, size, "/proc");
                n = 5;
                glob += 7;
        }
        for (; *glob && !strchr("*?[{@\\", *glob) && n + 1 < size; glob++)
                buf[n++] = *glob;
        buf[n] = '\0';
        return n;
}

/* What a file access needs from the policy, after path-merge. */
static int propose_files(struct proposal_builder *b)
{
        const struct policy_apparmor *pa = &b->policy->apparmor;
        _cleanup_free_ struct path_observed *in = calloc(b->n_obs ? b->n_obs : 1, sizeof(*in));
        _cleanup_free_ bool *used = calloc(pa->n_files ? pa->n_files : 1, sizeof(*used));
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        size_t n = 0;
        int r;

        if (!in || !used)
                return -ENOMEM;
        for (size_t i = 0; i < b->n_obs; i++) {
                const struct observation *ob = b->obs[i];

                if (ob->kind != EVENT_APPARMOR || ob->object_kind != OBJECT_PATH || !ob->object)
                        continue;
                in[n++] = (struct path_observed){
                    .path = ob->object,
                    .mask = ob->mask ? ob->mask : "",
                    .count = ob->count,
                    .index = i,
                };
        }
        r = path_merge(in, n, pa, b->opt->collapse_min, &m);
        if (r < 0)
                return r;
        for (size_t i = 0; i < m->n_items; i++) {
                const struct path_merge_item *it = &m->items[i];
                const struct observation *ob = b->obs[in[i].index];
                struct evidence ev = {0};
                char what[PATH_GLOB_MAX + 16], desc[160];

                if (it->covered_by != SIZE_MAX)
                        used[it->covered_by] = true;
                if (!it->denied[0])
                        continue;
                evidence_add(&ev, ob);
                snprintf(what, sizeof(what), "%.*s %s", PATH_GLOB_MAX, ob->object, it->denied);
                r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_NOTE, what, NULL, &ev,
                                   "the policy's deny rules refuse it on purpose (%s)",
                                   evidence_describe(b, &ev, desc, sizeof(desc)));
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < m->n_proposals; i++) {
                const struct path_proposal *pp = &m->proposals[i];
                struct evidence ev = {0};
                char what[PATH_GLOB_MAX + 16], desc[160], glob[PATH_GLOB_MAX * 4 + 3];

                for (size_t k = 0; k < pp->n_indexes; k++)
                        evidence_add(&ev, b->obs[pp->indexes[k]]);
                snprintf(what, sizeof(what), "%s %s", pp->glob, pp->access);
                r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_ADD, what, NULL, &ev, "%s; %s",
                                   pp->reason, evidence_describe(b, &ev, desc, sizeof(desc)));
                if (r < 0)
                        return r;
                if (pp->extends) {
                        used[pp->rule] = true;
                        r = edit_item(b, "apparmor.files", pp->rule, "access", pp->access,
                                      builder_last_reason(b));
                } else {
                        char item[sizeof(glob) + 32];

                        yaml_scalar(pp->glob, glob, sizeof(glob));
                        snprintf(item, sizeof(item), "path: %s\naccess: %s", glob, pp->access);
                        r = edit_append(b, "apparmor.files", item, builder_last_reason(b));
                }
                if (r < 0)
                        return r;
        }
        if (!recorded_apparmor(b))
                return 0;
        /* Rules that granted nothing observed: path_merge() says which rule
         * covered each access first; a rule may also cover what another one
         * did. The glob's literal start rules out most paths cheaply. */
        for (size_t f = 0; f < pa->n_files; f++) {
                char prefix[PATH_GLOB_MAX + 1];
                size_t len = glob_literal_prefix(pa->files[f].path, prefix, sizeof(prefix));

                for (size_t k = 0; k < n && !used[f]; k++)
                        used[f] = strncmp(in[k].path, prefix, len) == 0 &&
                                  path_glob_match(pa->files[f].path, in[k].path);
        }
        for (size_t f = pa->n_files; f-- > 0;) {
                char what[PATH_GLOB_MAX + 16];

                if (used[f])
                        continue;
                snprintf(what, sizeof(what), "%s %s", pa->files[f].path, pa->files[f].access);
                r = builder_change(b, PROPOSAL_APPARMOR, PROPOSAL_REMOVE, what, NULL, NULL,
                                   "nothing under it was opened %s", b->window);
                if (r >= 0)
                        r = edit_remove(b, "apparmor.files", f, builder_last_reason(b));
                if (r < 0)
                        return r;
        }
        return 0;
}

int propose_apparmor(struct proposal_builder *b)
{
        int r;

        if ((r = propose_files(b)) < 0 || (r = propose_network(b)) < 0)
                return r;
        return note_other(b);
}
