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
        for (size_t c = 0; c < _OBS_CLASS_MAX; c++)
                if (c != OBS_SECCOMP && b->by_class[c].n > 0)
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
        /* Grown as pairs come: a few dozen at most, where an array for
         * every observation would be cleared page by page for nothing. */
        struct network_use *seen = NULL;
        size_t n_seen = 0, cap = 0;
        int r = 0;

        for (size_t j = 0; j < b->by_class[OBS_NETWORK].n; j++) {
                const struct observation *ob = b->obs[b->by_class[OBS_NETWORK].v[j]];
                char family[32], type[32];
                size_t k;

                if (!ob->object)
                        continue;
                split_network(ob->object, family, sizeof(family), type, sizeof(type));
                for (k = 0; k < n_seen; k++)
                        if (strcmp(seen[k].family, family) == 0 && strcmp(seen[k].type, type) == 0)
                                break;
                if (k == n_seen) {
                        if (n_seen == cap) {
                                size_t c = cap ? 2 * cap : 16;
                                struct network_use *more = reallocarray(seen, c, sizeof(*seen));

                                if (!more) {
                                        free(seen);
                                        return -ENOMEM;
                                }
                                seen = more;
                                cap = c;
                        }
                        seen[k] = (struct network_use){0};
                        snprintf(seen[k].family, sizeof(seen[k].family), "%s", family);
                        snprintf(seen[k].type, sizeof(seen[k].type), "%s", type);
                        n_seen++;
                }
                evidence_add(&seen[k].ev, ob);
        }
        /* The same evidence gives the same file, whatever the order it came in. */
        if (n_seen > 0)
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
        for (size_t j = 0; j < b->by_class[OBS_OTHER].n; j++) {
                const struct observation *ob = b->obs[b->by_class[OBS_OTHER].v[j]];
                struct evidence ev = {0};
                char what[160], desc[160];
                int r;

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

/* Observations are read one after the other, each where its caller put
 * it: the one this far ahead is asked for early. */
#define PREFETCH_AHEAD 8

/* Whether s starts with the len bytes of prefix: the second byte first,
 * as every path starts with '/'. */
static bool has_prefix(const char *s, const char *prefix, size_t len)
{
        if (len >= 2 && (s[0] != prefix[0] || s[1] != prefix[1]))
                return false;
        return strncmp(s, prefix, len) == 0;
}

/* Room for the literal start of glob: never longer than the glob (@{PROC}
 * is /proc), nor than PATH_GLOB_MAX. */
static size_t prefix_size(const char *glob)
{
        size_t n = strlen(glob);

        return (n < PATH_GLOB_MAX ? n : PATH_GLOB_MAX) + 1;
}

/* Marks in used[] the files rules that match one of the n observed paths:
 * path_merge() says which rule covered each access first, but a rule may
 * also cover what another one did. One pass over the paths (they lie
 * anywhere in the caller's memory), each compared with the rules not used
 * yet; a glob's literal start rules out most pairs cheaply. */
static int mark_used_files(const struct policy_apparmor *pa, const struct path_observed *in,
                           size_t n, bool *used)
{
        _cleanup_free_ size_t *todo = malloc((pa->n_files + 1) * sizeof(*todo));
        _cleanup_free_ size_t *off = malloc((pa->n_files + 1) * sizeof(*off));
        _cleanup_free_ size_t *len = malloc((pa->n_files + 1) * sizeof(*len));
        _cleanup_free_ char *prefixes = NULL;
        size_t n_todo = 0, size = 0;

        if (!todo || !off || !len)
                return -ENOMEM;
        for (size_t f = 0; f < pa->n_files; f++)
                if (!used[f]) {
                        off[f] = size;
                        size += prefix_size(pa->files[f].path);
                        todo[n_todo++] = f;
                }
        prefixes = malloc(size + 1);
        if (!prefixes)
                return -ENOMEM;
        for (size_t t = 0; t < n_todo; t++) {
                size_t f = todo[t];

                len[f] = glob_literal_prefix(pa->files[f].path, prefixes + off[f],
                                             prefix_size(pa->files[f].path));
        }
        for (size_t k = 0; k < n && n_todo > 0; k++) {
                if (k + PREFETCH_AHEAD < n)
                        __builtin_prefetch(in[k + PREFETCH_AHEAD].path);
                for (size_t t = 0; t < n_todo;) {
                        size_t f = todo[t];

                        if (has_prefix(in[k].path, prefixes + off[f], len[f]) &&
                            path_glob_match(pa->files[f].path, in[k].path)) {
                                used[f] = true;
                                todo[t] = todo[--n_todo];
                        } else
                                t++;
                }
        }
        return 0;
}

/* What a file access needs from the policy, after path-merge. */
static int propose_files(struct proposal_builder *b)
{
        const struct policy_apparmor *pa = &b->policy->apparmor;
        struct path_observed *in = b->paths;
        _cleanup_free_ bool *used = calloc(pa->n_files ? pa->n_files : 1, sizeof(*used));
        _cleanup_(path_merge_freep) struct path_merge *m = NULL;
        size_t n = 0;
        int r;

        if (!used)
                return -ENOMEM;
        for (size_t j = 0; j < b->by_class[OBS_FILE].n; j++) {
                size_t i = b->by_class[OBS_FILE].v[j];
                const struct observation *ob = b->obs[i];

                if (j + PREFETCH_AHEAD < b->by_class[OBS_FILE].n)
                        __builtin_prefetch(b->obs[b->by_class[OBS_FILE].v[j + PREFETCH_AHEAD]]);
                if (!ob->object)
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

                for (size_t k = 0; k < pp->n_indexes; k++) {
                        /* the observations lie anywhere: ask for later ones early */
                        if (k + PREFETCH_AHEAD < pp->n_indexes)
                                __builtin_prefetch(b->obs[pp->indexes[k + PREFETCH_AHEAD]]);
                        evidence_add_at(b, &ev, pp->indexes[k]);
                }
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
        r = mark_used_files(pa, in, n, used);
        if (r < 0)
                return r;
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
