/* SPDX-License-Identifier: MIT */
/* The seccomp part of a proposal: what to allow, what to drop, which
 * argument condition to narrow. The effective rule set (seccomp-rules.h)
 * says why a call was logged: nothing allowed it (propose it), the deny
 * list refused it or it failed a condition (a note: the policy says so on
 * purpose, and audit records carry no arguments to widen a condition by). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/syscall-groups.h"
#include "proposal-internal.h"
#include "risky.h"
#include "seccomp/seccomp-rules.h"

#define GROUP_MEMBERS_MAX 512

struct use {
        const char *name;
        struct evidence ev;
        bool refused; /* some of its events were enforced refusals */
};

struct uses {
        struct use *v;
        size_t n;
};

struct members {
        const char *v[GROUP_MEMBERS_MAX];
        size_t n;
        unsigned arches;
};

struct sc {
        struct proposal_builder *b;
        struct seccomp_ruleset *rs;
        struct uses used;    /* the workload's calls */
        struct uses runtime; /* the runtime's start-up calls */
        const char **added;  /* names proposed for the allow list, sorted */
        size_t n_added;
        /* Every group's calls on the policy's architectures, expanded once
         * (syscall_groups_all() order); NULL until first asked. */
        struct members *members;
        bool *members_done;
};

static int cmp_use(const void *x, const void *y)
{
        return strcmp(((const struct use *)x)->name, ((const struct use *)y)->name);
}

static int cmp_str(const void *x, const void *y)
{
        return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static struct use *find_use(const struct uses *u, const char *name)
{
        struct use key = {.name = name};

        return u->n ? bsearch(&key, u->v, u->n, sizeof(*u->v), cmp_use) : NULL;
}

static bool added(const struct sc *s, const char *name)
{
        return s->n_added && bsearch(&name, s->added, s->n_added, sizeof(*s->added), cmp_str);
}

/* Merges the seccomp keys of obs (those of idx[0..n) when idx is not
 * NULL) per syscall name; keys with no name (a number libseccomp does not
 * know on that arch) become notes. */
static int collect(struct proposal_builder *b, const struct observation *const *obs,
                   const uint32_t *idx, size_t n, bool notes, struct uses *ret)
{
        /* Grown as seccomp keys come: most of a large service's keys are
         * file accesses, and an array sized for all of them would be
         * cleared page by page for nothing. */
        struct use *v = NULL;
        size_t m = 0, w = 0, cap = 0;

        for (size_t i = 0; i < n; i++) {
                const struct observation *ob = obs[idx ? idx[i] : i];

                if (ob->kind != EVENT_SECCOMP)
                        continue;
                if (!ob->syscall_name) {
                        char what[64];
                        struct evidence ev = {0};

                        if (!notes)
                                continue;
                        evidence_add(&ev, ob);
                        snprintf(what, sizeof(what), "syscall %lld (arch %#x)",
                                 (long long)ob->syscall, ob->arch);
                        if (builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, what, NULL, &ev,
                                           "a number libseccomp has no name for on that "
                                           "architecture: policies name calls") < 0) {
                                free(v);
                                return -ENOMEM;
                        }
                        continue;
                }
                if (m == cap) {
                        size_t c = cap ? 2 * cap : 64;
                        struct use *more = reallocarray(v, c, sizeof(*v));

                        if (!more) {
                                free(v);
                                return -ENOMEM;
                        }
                        v = more;
                        cap = c;
                }
                v[m] = (struct use){.name = ob->syscall_name,
                                    .refused = ob->verdict != SECCOMP_EVENT_LOG};
                evidence_add(&v[m].ev, ob);
                m++;
        }
        if (m > 0)
                qsort(v, m, sizeof(*v), cmp_use);
        for (size_t i = 0; i < m; i++) {
                if (w > 0 && strcmp(v[w - 1].name, v[i].name) == 0) {
                        evidence_merge(&v[w - 1].ev, &v[i].ev);
                        v[w - 1].refused |= v[i].refused;
                        continue;
                }
                v[w++] = v[i];
        }
        ret->v = v;
        ret->n = w;
        return 0;
}

static int add_member(const char *name, void *userdata)
{
        struct members *m = userdata;

        if (!seccomp_name_applies(name, m->arches))
                return 0;
        if (m->n >= GROUP_MEMBERS_MAX)
                return -E2BIG;
        m->v[m->n++] = name;
        return 0;
}

static int group_members(const struct syscall_group *g, unsigned arches, struct members *m)
{
        size_t w = 0;
        int r;

        m->n = 0;
        m->arches = arches;
        r = syscall_group_expand(g, add_member, m);
        if (r < 0)
                return r;
        /* A call may sit in two nested groups: once each here. */
        qsort(m->v, m->n, sizeof(*m->v), cmp_str);
        for (size_t i = 0; i < m->n; i++)
                if (w == 0 || strcmp(m->v[w - 1], m->v[i]) != 0)
                        m->v[w++] = m->v[i];
        m->n = w;
        return 0;
}

/* g's calls, expanded on first use (g is from syscall_groups_all()). */
static const struct members *members_of(struct sc *s, const struct syscall_group *g)
{
        size_t n_groups, i;
        const struct syscall_group *all = syscall_groups_all(&n_groups);

        if (!g || g < all || g >= all + n_groups)
                return NULL;
        i = (size_t)(g - all);
        if (!s->members) {
                s->members = calloc(n_groups, sizeof(*s->members));
                s->members_done = calloc(n_groups, sizeof(*s->members_done));
                if (!s->members || !s->members_done)
                        return NULL;
        }
        if (!s->members_done[i]) {
                if (group_members(g, s->b->policy->seccomp.architectures, &s->members[i]) < 0)
                        return NULL;
                s->members_done[i] = true;
        }
        return &s->members[i];
}

static const char *verb_of(const struct use *u)
{
        return u->refused ? "refused" : "logged";
}

static int note_why_logged(struct sc *s, const struct use *u, const struct seccomp_rule *rules,
                           size_t n)
{
        struct proposal_builder *b = s->b;
        const struct policy_seccomp *ps = &b->policy->seccomp;

        for (size_t i = 0; i < n; i++) {
                switch (rules[i].origin) {
                case SECCOMP_ORIGIN_DENY:
                        return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL,
                                              &u->ev,
                                              "%s %llux: the policy's deny list refuses it on "
                                              "purpose; remove it from deny to allow it",
                                              verb_of(u), (unsigned long long)u->ev.count);
                case SECCOMP_ORIGIN_CONDITION:
                        /* A recording logs every call, those that met the
                         * condition too: nothing to say. */
                        if (b->opt->recording)
                                return 0;
                        for (size_t c = 0; c < ps->n_conditions; c++)
                                if (strcmp(ps->conditions[c].syscall, u->name) == 0)
                                        return builder_change(
                                            b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL,
                                            &u->ev,
                                            "%s %llux: calls failed the condition at line %u; "
                                            "audit records carry no arguments, review it by hand",
                                            verb_of(u), (unsigned long long)u->ev.count,
                                            ps->conditions[c].loc.line);
                        break;
                case SECCOMP_ORIGIN_IMPORTED:
                        return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL,
                                              &u->ev,
                                              "%s %llux: a rule of the imported base refuses it",
                                              verb_of(u), (unsigned long long)u->ev.count);
                default:
                        break;
                }
        }
        /* Allowed now: logged by a recording (which logs everything), or
         * before the policy changed. */
        if (b->opt->recording)
                return 0;
        return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL, &u->ev,
                              "%s %llux before the current policy allowed it", verb_of(u),
                              (unsigned long long)u->ev.count);
}

static bool is_multiplexer(const char *name)
{
        return strcmp(name, "socketcall") == 0 || strcmp(name, "ipc") == 0;
}

/* Calls an allow list cannot name: another architecture's (a 32-bit
 * process under an x86_64-only policy is refused as a whole by the
 * filter's architecture check), or x86's multiplexers, which follow the
 * calls they carry. */
static int note_unlistable(struct sc *s, const struct use *u)
{
        struct proposal_builder *b = s->b;

        if (is_multiplexer(u->name))
                return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL, &u->ev,
                                      "%s %llux: the x86 multiplexer follows the calls it "
                                      "carries (socket, connect, shmget...): allow those",
                                      verb_of(u), (unsigned long long)u->ev.count);
        return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, u->name, NULL, &u->ev,
                              "%s %llux: no call of that name on the policy's architectures; "
                              "a process of another architecture (add it to architectures "
                              "if it belongs there)",
                              verb_of(u), (unsigned long long)u->ev.count);
}

/* Calls the workload made that nothing allows: candidates to add. */
static int classify(struct sc *s)
{
        struct proposal_builder *b = s->b;

        s->added = calloc(s->used.n ? s->used.n : 1, sizeof(*s->added));
        if (!s->added)
                return -ENOMEM;
        for (size_t i = 0; i < s->used.n; i++) {
                const struct use *u = &s->used.v[i];
                const char *risk = risky_syscall_note(u->name);
                const struct seccomp_rule *rules;
                char ev[160];
                size_t n;
                int r;

                rules = seccomp_ruleset_lookup(s->rs, u->name, &n);
                if (!seccomp_name_applies(u->name, b->policy->seccomp.architectures) ||
                    is_multiplexer(u->name)) {
                        r = note_unlistable(s, u);
                } else if (rules || seccomp_ruleset_allows(s->rs, u->name)) {
                        r = note_why_logged(s, u, rules, n);
                } else if (risk && !b->opt->accept_risky) {
                        r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_HELD_BACK, u->name, risk,
                                           &u->ev, "%s %s", verb_of(u),
                                           evidence_describe(b, &u->ev, ev, sizeof(ev)));
                } else {
                        s->added[s->n_added++] = u->name;
                        r = 0;
                }
                if (r < 0)
                        return r;
        }
        qsort(s->added, s->n_added, sizeof(*s->added), cmp_str);
        return 0;
}

static bool called(const struct sc *s, const char *name)
{
        return find_use(&s->used, name) || find_use(&s->runtime, name) || syscall_is_guarded(name);
}

static bool stays_allowed(const struct sc *s, const char *name, bool base_stays)
{
        if (base_stays)
                return seccomp_ruleset_allows(s->rs, name);
        return syscall_is_guarded(name) ||
               (policy_list_contains(&s->b->policy->seccomp.allow, name) && called(s, name));
}

/* Appends names to the allow list, a whole group where every call of it
 * ends up allowed and at least two are new; the rest one by one. */
/* base_stays: what the current rule set allows stays allowed (false when
 * the group base is being replaced: only names and the allow list's own
 * entries will be). */
static int append_compact(struct sc *s, const char **names, size_t n, bool base_stays,
                          int (*reason)(struct sc *s, const char *name, char *buf, size_t size))
{
        struct proposal_builder *b = s->b;
        const struct syscall_group *groups;
        bool *covered;
        size_t n_groups;
        int r = 0;

        if (n == 0)
                return 0; /* names may be NULL then */
        covered = calloc(n, sizeof(*covered));
        if (!covered)
                return -ENOMEM;
        groups = syscall_groups_all(&n_groups);
        for (;;) {
                const struct syscall_group *best = NULL;
                const struct members *m;
                size_t best_new = 1;

                for (size_t g = 0; g < n_groups; g++) {
                        size_t fresh = 0;
                        bool whole = true;

                        if (!(m = members_of(s, &groups[g])))
                                continue;
                        for (size_t i = 0; i < m->n && whole; i++) {
                                const char **hit =
                                    bsearch(&m->v[i], names, n, sizeof(*names), cmp_str);

                                if (hit && !covered[hit - names])
                                        fresh++;
                                else if (!hit && !stays_allowed(s, m->v[i], base_stays))
                                        whole = false;
                                if (!b->opt->accept_risky && risky_syscall_note(m->v[i]))
                                        whole = false;
                        }
                        if (whole && fresh > best_new) {
                                best = &groups[g];
                                best_new = fresh;
                        }
                }
                if (!best)
                        break;
                {
                        char item[80], why[PROPOSAL_REASON_MAX];

                        m = members_of(s, best);
                        for (size_t i = 0; i < m->n; i++) {
                                const char **hit =
                                    bsearch(&m->v[i], names, n, sizeof(*names), cmp_str);

                                if (hit)
                                        covered[hit - names] = true;
                        }
                        snprintf(why, sizeof(why), "all %zu calls of %s are in use (%zu new)", m->n,
                                 best->name, best_new);
                        snprintf(item, sizeof(item), "\"%s\"", best->name);
                        r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_ADD, best->name, NULL,
                                           NULL, "%s", why);
                        if (r >= 0)
                                r = edit_append(b, "seccomp.allow", item, why);
                        if (r < 0)
                                goto done;
                }
        }
        for (size_t i = 0; i < n; i++) {
                char why[PROPOSAL_REASON_MAX];
                const struct use *u;

                if (covered[i])
                        continue;
                r = reason(s, names[i], why, sizeof(why));
                if (r < 0)
                        goto done;
                u = find_use(&s->used, names[i]);
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_ADD, names[i],
                                   risky_syscall_note(names[i]), u ? &u->ev : NULL, "%s", why);
                if (r >= 0)
                        r = edit_append(b, "seccomp.allow", names[i], why);
                if (r < 0)
                        goto done;
        }
done:
        free(covered);
        return r;
}

static int reason_added(struct sc *s, const char *name, char *buf, size_t size)
{
        const struct use *u = find_use(&s->used, name);
        char ev[160];

        snprintf(buf, size, "%s%s %s", risky_syscall_note(name) ? "RISKY, accepted: " : "",
                 u ? verb_of(u) : "seen", u ? evidence_describe(s->b, &u->ev, ev, sizeof(ev)) : "");
        return 0;
}

static int reason_kept(struct sc *s, const char *name, char *buf, size_t size)
{
        const struct use *u = find_use(&s->used, name);
        char ev[160];

        if (u)
                snprintf(buf, size, "called %s: %s", s->b->window,
                         evidence_describe(s->b, &u->ev, ev, sizeof(ev)));
        else
                snprintf(buf, size, "kept: the runtime calls it to start the workload");
        return 0;
}

/* Allowed calls nothing made during the recording. */
/* Whether name is on the allow list for the allow list's sake: allowed
 * whatever its arguments, not a deny or condition rule's call. */
static bool grantable(const struct sc *s, const char *name)
{
        size_t n;

        return !syscall_is_guarded(name) &&
               (!seccomp_ruleset_lookup(s->rs, name, &n) || seccomp_ruleset_allows(s->rs, name));
}

struct names {
        const char **v;
        size_t n, cap;
};

static int names_add(struct names *l, const char *name)
{
        if (l->n == l->cap) {
                size_t cap = l->cap ? 2 * l->cap : 64;
                const char **v = realloc(l->v, cap * sizeof(*v));

                if (!v)
                        return -ENOMEM;
                l->v = v;
                l->cap = cap;
        }
        l->v[l->n++] = name;
        return 0;
}

/* Sorted, each once, without what stays listed by name or was added. */
static void names_settle(const struct sc *s, struct names *l)
{
        size_t w = 0;

        if (l->n == 0)
                return;
        qsort(l->v, l->n, sizeof(*l->v), cmp_str);
        for (size_t i = 0; i < l->n; i++) {
                const char *name = l->v[i];

                if ((w > 0 && strcmp(l->v[w - 1], name) == 0) || added(s, name) ||
                    (policy_list_contains(&s->b->policy->seccomp.allow, name) && called(s, name)))
                        continue;
                l->v[w++] = name;
        }
        l->n = w;
}

/* An allow-list group some of whose calls were never made: commented out,
 * the calls that were made listed instead (returned in keep). */
static int remove_group(struct sc *s, size_t index, const struct syscall_group *g,
                        struct names *keep)
{
        struct proposal_builder *b = s->b;
        const struct members *m = members_of(s, g);
        size_t allowed = 0, used = 0;
        int r;

        if (!m)
                return -ENOMEM;
        for (size_t k = 0; k < m->n; k++) {
                if (!grantable(s, m->v[k]))
                        continue;
                allowed++;
                if (called(s, m->v[k])) {
                        used++;
                        if ((r = names_add(keep, m->v[k])) < 0)
                                return r;
                }
        }
        if (used == allowed)
                return 0;
        if (used == 0)
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_REMOVE, g->name, NULL, NULL,
                                   "none of its %zu calls made %s", allowed, b->window);
        else
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_REMOVE, g->name, NULL, NULL,
                                   "only %zu of its %zu calls made %s, listed instead", used,
                                   allowed, b->window);
        return r < 0 ? r : edit_remove(b, "seccomp.allow", index, builder_last_reason(b));
}

/* Allowed calls nothing made during the recording: allow-list entries are
 * commented out (a group partly used gives way to the calls used), a
 * group base is replaced by the calls of it that were made. */
static int propose_removals(struct sc *s)
{
        struct proposal_builder *b = s->b;
        const struct policy_seccomp *ps = &b->policy->seccomp;
        struct names keep = {0};
        bool base_stays = true;
        int r = 0;

        if (ps->base_kind == SECCOMP_BASE_OCI)
                return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, ps->base, NULL, NULL,
                                      "nothing removed from an imported base; with base: none "
                                      "the recording can name what is needed");
        /* Not one call logged: the workloads did not run under the
         * recording's filter (started before it, or without the service's
         * profile). "Never used" would then remove everything. */
        if (s->used.n == 0)
                return builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NOTE, "seccomp.allow", NULL,
                                      NULL,
                                      "the recording logged no system call of the service: its "
                                      "workloads did not run under the recording profile "
                                      "(restart them once it has begun); nothing removed");
        for (size_t i = ps->allow.n; i-- > 0 && r >= 0;) {
                const char *name = ps->allow.items[i].name;
                const struct syscall_group *g = name[0] == '@' ? syscall_group_find(name) : NULL;

                if (g) {
                        r = remove_group(s, i, g, &keep);
                        continue;
                }
                if (called(s, name) || added(s, name))
                        continue;
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_REMOVE, name, NULL, NULL,
                                   "not called %s", b->window);
                if (r >= 0)
                        r = edit_remove(b, "seccomp.allow", i, builder_last_reason(b));
        }
        if (r >= 0 && ps->base_kind == SECCOMP_BASE_GROUP) {
                const struct members *m = members_of(s, syscall_group_find(ps->base));
                size_t allowed = 0, used = 0, before = keep.n;

                r = m ? 0 : -ENOMEM;
                for (size_t k = 0; r >= 0 && k < m->n; k++) {
                        if (!grantable(s, m->v[k]))
                                continue;
                        allowed++;
                        if (called(s, m->v[k])) {
                                used++;
                                r = names_add(&keep, m->v[k]);
                        }
                }
                if (r >= 0 && used < allowed) {
                        base_stays = false;
                        r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_REMOVE, ps->base, NULL,
                                           NULL,
                                           "was %s: %zu of the %zu calls it allowed made %s, "
                                           "listed under allow",
                                           ps->base, used, allowed, b->window);
                        if (r >= 0)
                                r = edit_scalar(b, "seccomp.base", "none", builder_last_reason(b));
                } else if (r >= 0) {
                        /* Every call of the base was made: it stays, and
                         * the partly used groups' calls it has need no line. */
                        size_t w = 0;

                        keep.n = before;
                        for (size_t k = 0; k < keep.n; k++)
                                if (!bsearch(&keep.v[k], m->v, m->n, sizeof(*m->v), cmp_str))
                                        keep.v[w++] = keep.v[k];
                        keep.n = w;
                }
        }
        if (r >= 0) {
                names_settle(s, &keep);
                r = append_compact(s, keep.v, keep.n, base_stays, reason_kept);
        }
        free(keep.v);
        return r;
}

static const struct {
        const char *family;
        const char *symbol;
} families[] = {
    {"unix", "AF_UNIX"},       {"inet", "AF_INET"},     {"inet6", "AF_INET6"},
    {"netlink", "AF_NETLINK"}, {"packet", "AF_PACKET"}, {"alg", "AF_ALG"},
    {"vsock", "AF_VSOCK"},     {"key", "AF_KEY"},       {"bluetooth", "AF_BLUETOOTH"},
};

static const char *family_symbol(const char *network)
{
        size_t len = strcspn(network, " ");

        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (strlen(families[i].family) == len &&
                    strncmp(network, families[i].family, len) == 0)
                        return families[i].symbol;
        return NULL;
}

/* socket(2)'s family narrowed to those AppArmor saw created during a
 * recording with a complain-mode profile (it logs every socket). */
static int propose_socket_families(struct sc *s)
{
        struct proposal_builder *b = s->b;
        const struct policy_seccomp *ps = &b->policy->seccomp;
        const char *seen[ELEMENTSOF(families)];
        size_t n_seen = 0;
        char list[256] = "[", why[PROPOSAL_REASON_MAX];
        int r;

        if (!b->opt->recording || !b->opt->recording->apparmor || !find_use(&s->used, "socket"))
                return 0;
        for (size_t j = 0; j < b->by_class[OBS_NETWORK].n; j++) {
                const struct observation *ob = b->obs[b->by_class[OBS_NETWORK].v[j]];
                const char *sym;
                bool dup = false;

                if (!(sym = family_symbol(ob->object)))
                        continue;
                for (size_t k = 0; k < n_seen; k++)
                        dup |= seen[k] == sym;
                if (!dup)
                        seen[n_seen++] = sym;
        }
        if (n_seen == 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                for (size_t k = 0; k < n_seen; k++)
                        if (seen[k] == families[i].symbol)
                                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                                         strlen(list) > 1 ? ", " : "", families[i].symbol);
        strcat(list, "]");
        for (size_t c = 0; c < ps->n_conditions; c++) {
                const struct seccomp_condition *cond = &ps->conditions[c];
                size_t kept = 0;

                if (strcmp(cond->syscall, "socket") != 0 || cond->arg != 0)
                        continue;
                if (cond->op != SECCOMP_COND_IN)
                        return 0;
                for (size_t v = 0; v < cond->n_values; v++)
                        for (size_t k = 0; k < n_seen; k++)
                                kept += cond->values[v].symbol &&
                                        strcmp(cond->values[v].symbol, seen[k]) == 0;
                if (kept != n_seen || kept == cond->n_values)
                        return 0; /* nothing to narrow, or a family it refuses was used */
                snprintf(why, sizeof(why), "only these families were created %s", b->window);
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NARROW, "socket family", NULL,
                                   NULL, "%s", why);
                return r < 0 ? r : edit_item(b, "seccomp.conditions", c, "in", list, why);
        }
        {
                char item[320];

                snprintf(why, sizeof(why), "socket families created %s", b->window);
                snprintf(item, sizeof(item), "syscall: socket\narg: 0\nin: %s", list);
                r = builder_change(b, PROPOSAL_SECCOMP, PROPOSAL_NARROW, "socket family", NULL,
                                   NULL, "%s", why);
                return r < 0 ? r : edit_append(b, "seccomp.conditions", item, why);
        }
}

int propose_seccomp(struct proposal_builder *b, char *err, size_t err_size)
{
        struct sc s = {.b = b};
        struct oci_profile *base = NULL;
        struct seccomp_error serr;
        struct oci_error oerr;
        int r;

        /* Monitor mode: its default (log) differs from every refusal, so
         * deny rules are in the set (in enforce mode those with the
         * policy's own errno merge into the default and vanish). */
        r = seccomp_policy_load_base(b->policy, &oerr, &base);
        if (r >= 0)
                r = seccomp_ruleset_build(
                    b->policy, base, &(struct seccomp_rules_options){.mode = POLICY_MODE_MONITOR},
                    &serr, &s.rs);
        oci_profile_free(base);
        if (r < 0) {
                snprintf(err, err_size, "%s: the seccomp rules do not build", b->policy->service);
                return r;
        }
        if ((r = collect(b, b->obs, b->by_class[OBS_SECCOMP].v, b->by_class[OBS_SECCOMP].n, true,
                         &s.used)) < 0 ||
            (r = collect(b, b->runtime, NULL, b->n_runtime, false, &s.runtime)) < 0 ||
            (r = classify(&s)) < 0 ||
            (r = append_compact(&s, s.added, s.n_added, true, reason_added)) < 0)
                goto done;
        if (b->opt->recording && (r = propose_removals(&s)) < 0)
                goto done;
        r = propose_socket_families(&s);
done:
        free(s.used.v);
        free(s.runtime.v);
        free(s.added);
        free(s.members);
        free(s.members_done);
        seccomp_ruleset_free(s.rs);
        return r;
}
