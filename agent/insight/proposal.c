/* SPDX-License-Identifier: MIT */
/* Drives the sections of a proposal and checks the result: the edited text
 * must load back as a valid policy before anyone is shown it. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/sha256.h"
#include "base/time-util.h"
#include "policy/policy-load.h"
#include "posture/text-escape.h"
#include "proposal-internal.h"
#include "seccomp/seccomp-rules.h"
#include "text-diff.h"

const char *proposal_section_to_string(enum proposal_section s)
{
        static const char *const names[] = {
            [PROPOSAL_SECCOMP] = "seccomp",
            [PROPOSAL_APPARMOR] = "apparmor",
            [PROPOSAL_POSTURE] = "posture",
        };
        return (size_t)s < ELEMENTSOF(names) ? names[s] : "?";
}

const char *proposal_action_to_string(enum proposal_action a)
{
        static const char *const names[] = {
            [PROPOSAL_ADD] = "add",       [PROPOSAL_REMOVE] = "remove",
            [PROPOSAL_NARROW] = "narrow", [PROPOSAL_HELD_BACK] = "held-back",
            [PROPOSAL_NOTE] = "note",
        };
        return (size_t)a < ELEMENTSOF(names) ? names[a] : "?";
}

static bool has_workload(const char *const *list, size_t n, const char *w)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i], w) == 0)
                        return true;
        return false;
}

/* What every observation adds, whoever its workloads are. */
static void add_counts(struct evidence *ev, const struct observation *ob)
{
        ev->count += ob->count;
        if (!ev->example || ob->count > ev->example->count)
                ev->example = ob;
        if (ob->first_usec && (!ev->first_usec || ob->first_usec < ev->first_usec))
                ev->first_usec = ob->first_usec;
        if (ob->last_usec > ev->last_usec)
                ev->last_usec = ob->last_usec;
        ev->more_workloads += ob->more_workloads;
}

/* Called once per observed path of a merged rule (100 000 of them for a
 * large proposal): merged in place, without a temporary evidence. */
void evidence_add(struct evidence *ev, const struct observation *ob)
{
        add_counts(ev, ob);
        for (size_t i = 0; i < ob->n_workloads; i++) {
                if (has_workload(ev->workloads, ev->n_workloads, ob->workloads[i]))
                        continue;
                if (ev->n_workloads < OBSERVATION_WORKLOADS_MAX)
                        ev->workloads[ev->n_workloads++] = ob->workloads[i];
                else
                        ev->more_workloads++;
        }
}

void evidence_add_at(const struct proposal_builder *b, struct evidence *ev, size_t i)
{
        const struct observation *ob = b->obs[i];
        const uint8_t *ids = b->workload_ids[i];

        add_counts(ev, ob);
        for (size_t k = 0; k < ob->n_workloads; k++) {
                /* Equal ids, equal texts: a workload with an id is in
                 * workloads[] exactly when its bit is set. */
                if (ids[k] != WORKLOAD_NONE
                        ? (ev->workload_bits >> ids[k] & 1)
                        : has_workload(ev->workloads, ev->n_workloads, ob->workloads[k]))
                        continue;
                if (ev->n_workloads < OBSERVATION_WORKLOADS_MAX) {
                        ev->workloads[ev->n_workloads++] = ob->workloads[k];
                        if (ids[k] != WORKLOAD_NONE)
                                ev->workload_bits |= UINT64_C(1) << ids[k];
                } else
                        ev->more_workloads++;
        }
}

void evidence_merge(struct evidence *ev, const struct evidence *more)
{
        ev->count += more->count;
        if (more->example && (!ev->example || more->example->count > ev->example->count))
                ev->example = more->example;
        if (more->first_usec && (!ev->first_usec || more->first_usec < ev->first_usec))
                ev->first_usec = more->first_usec;
        if (more->last_usec > ev->last_usec)
                ev->last_usec = more->last_usec;
        ev->more_workloads += more->more_workloads;
        for (size_t i = 0; i < more->n_workloads; i++) {
                if (has_workload(ev->workloads, ev->n_workloads, more->workloads[i]))
                        continue;
                if (ev->n_workloads < OBSERVATION_WORKLOADS_MAX)
                        ev->workloads[ev->n_workloads++] = more->workloads[i];
                else
                        ev->more_workloads++;
        }
}

char *evidence_describe(const struct proposal_builder *b, const struct evidence *ev, char *buf,
                        size_t size)
{
        char comm[TEXT_ESCAPE_SIZE(32)], exe[TEXT_ESCAPE_SIZE(96)], where[48] = "";
        const struct observation *x = ev->example;
        size_t n = ev->n_workloads;

        comm[0] = exe[0] = '\0';
        if (x && x->example_comm)
                text_escape(x->example_comm, strnlen(x->example_comm, 32), false, comm,
                            sizeof(comm));
        if (x && x->example_exe)
                text_escape(x->example_exe, strnlen(x->example_exe, 96), false, exe, sizeof(exe));
        if (n > 0 && b->n_service_workloads > 1)
                snprintf(where, sizeof(where), " in %zu%s of %zu workloads", n,
                         ev->more_workloads ? "+" : "", b->n_service_workloads);
        else if (n == 1)
                snprintf(where, sizeof(where), " in 1 workload");
        snprintf(buf, size, "%llux by %s%s%s%s%s", (unsigned long long)ev->count,
                 comm[0] ? comm : "?", exe[0] ? " (" : "", exe, exe[0] ? ")" : "", where);
        return buf;
}

int builder_change(struct proposal_builder *b, enum proposal_section section,
                   enum proposal_action action, const char *what, const char *risk,
                   const struct evidence *ev, const char *fmt, ...)
{
        struct proposal *p = b->out;
        struct proposal_change *c;
        char reason[PROPOSAL_REASON_MAX + 1];
        va_list ap;

        /* grown by half: a large proposal makes hundreds of notes */
        if (p->n_changes == b->cap_changes) {
                size_t cap = b->cap_changes + b->cap_changes / 2 + 16;

                c = reallocarray(p->changes, cap, sizeof(*c));
                if (!c)
                        return -ENOMEM;
                p->changes = c;
                b->cap_changes = cap;
        }
        c = &p->changes[p->n_changes];
        memset(c, 0, sizeof(*c));
        va_start(ap, fmt);
        vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        c->section = section;
        c->action = action;
        c->risk = risk;
        c->what = strdup(what);
        c->reason = strdup(reason);
        if (!c->what || !c->reason) {
                free(c->what);
                free(c->reason);
                return -ENOMEM;
        }
        if (ev) {
                c->count = ev->count;
                for (size_t i = 0; i < ev->n_workloads; i++) {
                        c->workloads[i] = strdup(ev->workloads[i]);
                        if (!c->workloads[i])
                                break;
                        c->n_workloads = i + 1;
                }
                c->more_workloads = ev->more_workloads;
                if (ev->example) {
                        char comm[TEXT_ESCAPE_SIZE(64)], exe[TEXT_ESCAPE_SIZE(256)];
                        const struct observation *x = ev->example;

                        comm[0] = exe[0] = '\0';
                        if (x->example_comm)
                                text_escape(x->example_comm, strnlen(x->example_comm, 64), false,
                                            comm, sizeof(comm));
                        if (x->example_exe)
                                text_escape(x->example_exe, strnlen(x->example_exe, 256), false,
                                            exe, sizeof(exe));
                        if (asprintf(&c->example, "pid %d comm=%s exe=%s", (int)x->example_pid,
                                     comm[0] ? comm : "?", exe[0] ? exe : "?") < 0)
                                c->example = NULL;
                }
        }
        p->n_changes++;
        p->n_by_action[action]++;
        return 0;
}

const char *builder_last_reason(const struct proposal_builder *b)
{
        return b->out->n_changes ? b->out->changes[b->out->n_changes - 1].reason : "";
}

char *yaml_scalar(const char *value, char *buf, size_t size)
{
        size_t o = 0;
        bool plain = value[0] && strchr("-?:,[]{}#&*!|>'\"%@` ", value[0]) == NULL;

        for (const char *s = value; plain && *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                      (*s >= '0' && *s <= '9') || strchr("/._-+*", *s)))
                        plain = false;
        if (plain && strcmp(value, "true") && strcmp(value, "false") && strcmp(value, "null") &&
            strcmp(value, "yes") && strcmp(value, "no") && strcmp(value, "on") &&
            strcmp(value, "off")) {
                snprintf(buf, size, "%s", value);
                return buf;
        }
        if (size < 3)
                return NULL;
        buf[o++] = '"';
        for (const unsigned char *s = (const unsigned char *)value; *s && o + 6 < size; s++) {
                if (*s == '"' || *s == '\\')
                        o += (size_t)snprintf(buf + o, size - o, "\\%c", *s);
                else if (*s < 0x20 || *s >= 0x7f)
                        o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *s);
                else
                        buf[o++] = (char)*s;
        }
        buf[o++] = '"';
        buf[o] = '\0';
        return buf;
}

static int edit_failed(struct proposal_builder *b, int r, const char *what, const char *path)
{
        if (r < 0 && !b->edit_error[0])
                snprintf(b->edit_error, sizeof(b->edit_error), "cannot %s %s in the text: %s%s",
                         what, path, strerror(-r),
                         r == -EINVAL ? " (a flow-style {...} section? write it in block style)"
                                      : "");
        return r;
}

int edit_append(struct proposal_builder *b, const char *path, const char *item, const char *comment)
{
        return edit_failed(b, yaml_edit_seq_append(b->edit, path, item, comment), "add to", path);
}

int edit_remove(struct proposal_builder *b, const char *path, size_t index, const char *comment)
{
        return edit_failed(b, yaml_edit_seq_remove(b->edit, path, index, comment), "remove from",
                           path);
}

int edit_scalar(struct proposal_builder *b, const char *path, const char *value,
                const char *comment)
{
        return edit_failed(b, yaml_edit_scalar_set(b->edit, path, value, comment), "change", path);
}

int edit_item(struct proposal_builder *b, const char *path, size_t index, const char *key,
              const char *value, const char *comment)
{
        return edit_failed(b, yaml_edit_item_set(b->edit, path, index, key, value, comment),
                           "change an item of", path);
}

static bool relevant(const struct observation *ob)
{
        if (ob->kind == EVENT_SECCOMP)
                return true; /* every seccomp record is a logged or refused call */
        if (ob->kind != EVENT_APPARMOR)
                return false;
        /* ALLOWED: complain mode's would-be denials; DENIED: enforced ones.
         * KILL: a kill-mode profile's. AUDIT lines are accesses the
         * profile allows and asks to audit. */
        return ob->verdict == APPARMOR_ALLOWED || ob->verdict == APPARMOR_DENIED ||
               ob->verdict == APPARMOR_KILL;
}

#define PREFETCH_AHEAD 8

static enum obs_class obs_class(const struct observation *ob)
{
        if (ob->kind == EVENT_SECCOMP)
                return OBS_SECCOMP;
        switch (ob->object_kind) {
        case OBJECT_PATH:
                return OBS_FILE;
        case OBJECT_NETWORK:
                return OBS_NETWORK;
        case OBJECT_CAPABILITY:
                return OBS_CAPABILITY;
        default:
                return OBS_OTHER;
        }
}

/* The position of w in list, or n. */
static size_t workload_index(const char *const *list, size_t n, const char *w)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i], w) == 0)
                        return i;
        return n;
}

static int select_observations(struct proposal_builder *b, const struct observation *const *obs,
                               size_t n)
{
        const char *workloads[256];
        size_t n_workloads = 0, count[_OBS_CLASS_MAX] = {0}, start[_OBS_CLASS_MAX];
        uint8_t *class;
        uint32_t *by_class;

        /* One block for the arrays of up to n observations, the paths
         * propose_files() hands to path_merge() included, filled as far as
         * needed: pages never written are never touched, and the next
         * proposal finds the same block free again, where separate ones
         * leave holes in the heap that the next does not fit (it grows
         * into fresh pages, a fault each). */
        b->block =
            malloc((n + 1) * (sizeof(*b->paths) + sizeof(*b->obs) + sizeof(*b->runtime) +
                              sizeof(*b->workload_ids) + sizeof(*class) + sizeof(*by_class)));
        if (!b->block)
                return -ENOMEM;
        b->paths = b->block;
        b->obs = (const struct observation **)(b->paths + n + 1);
        b->runtime = b->obs + n + 1;
        b->workload_ids = (uint8_t(*)[OBSERVATION_WORKLOADS_MAX])(b->runtime + n + 1);
        by_class = (uint32_t *)(b->workload_ids + n + 1);
        class = (uint8_t *)(by_class + n + 1);
        for (size_t i = 0; i < n; i++) {
                const struct observation *ob = obs[i];

                /* each observation lies where its caller put it, its
                 * workloads next to it: ask for later ones early */
                if (i + 2 * PREFETCH_AHEAD < n)
                        __builtin_prefetch(obs[i + 2 * PREFETCH_AHEAD]);
                if (i + PREFETCH_AHEAD < n && obs[i + PREFETCH_AHEAD]->n_workloads > 0)
                        __builtin_prefetch(obs[i + PREFETCH_AHEAD]->workloads[0]);
                if (!b->opt->all_events &&
                    (!ob->service || strcmp(ob->service, b->policy->service) != 0))
                        continue;
                if (ob->last_usec < b->opt->since_usec || !relevant(ob))
                        continue;
                if (ob->runtime) {
                        b->runtime[b->n_runtime++] = ob;
                        b->out->runtime_events += ob->count;
                        continue;
                }
                class[b->n_obs] = (uint8_t)obs_class(ob);
                count[class[b->n_obs]]++;
                for (size_t w = 0; w < ob->n_workloads; w++) {
                        size_t k = workload_index(workloads, n_workloads, ob->workloads[w]);

                        if (k == n_workloads && n_workloads < ELEMENTSOF(workloads))
                                workloads[n_workloads++] = ob->workloads[w];
                        b->workload_ids[b->n_obs][w] =
                            k < WORKLOAD_BITS ? (uint8_t)k : WORKLOAD_NONE;
                }
                b->obs[b->n_obs++] = ob;
                b->out->events += ob->count;
        }
        b->out->observations = b->n_obs;
        b->n_service_workloads = n_workloads;
        for (size_t c = 0, at = 0; c < _OBS_CLASS_MAX; at += count[c++]) {
                start[c] = at;
                b->by_class[c] = (struct obs_list){by_class + at, count[c]};
        }
        for (size_t i = 0; i < b->n_obs; i++)
                by_class[start[class[i]]++] = (uint32_t)i;
        return 0;
}

static void describe_window(struct proposal_builder *b)
{
        const struct proposal_recording *rec = b->opt->recording;
        char t1[32], t2[32];

        if (!rec) {
                snprintf(b->window, sizeof(b->window), "observed");
                return;
        }
        format_time_iso_ms(rec->start_usec, t1, sizeof(t1));
        format_time_iso_ms(rec->end_usec, t2, sizeof(t2));
        /* "2026-11-22T13:00:00.000Z": minutes are enough for a comment. */
        t1[16] = t2[16] = '\0';
        snprintf(b->window, sizeof(b->window), "during the recording %s..%s", t1,
                 strncmp(t1, t2, 11) == 0 ? t2 + 11 : t2);
}

/* Syscalls allowed whatever their arguments on x86_64 under p. */
static int count_allowed(const struct policy *p, size_t *ret)
{
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        struct oci_profile *base = NULL;
        struct seccomp_error err;
        struct oci_error oerr;
        size_t n = 0;
        int r;

        r = seccomp_policy_load_base(p, &oerr, &base);
        if (r < 0)
                return r;
        r = seccomp_ruleset_build(
            p, base, &(struct seccomp_rules_options){.mode = POLICY_MODE_ENFORCE}, &err, &rs);
        oci_profile_free(base);
        if (r < 0)
                return r;
        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *rule = &rs->rules[i];

                if (rule->n_args == 0 && rule->action.act == SECCOMP_ACT_ALLOW &&
                    seccomp_name_applies(rule->syscall, POLICY_ARCH_X86_64))
                        n++;
        }
        *ret = n;
        return 0;
}

/* The edited text must still be the same service's valid policy. */
static int check_new_text(const struct policy *p, const struct proposal *out, char *err,
                          size_t err_size, size_t *ret_allowed)
{
        _cleanup_policy_ struct policy *np = NULL;
        struct diag_list d;
        int dirfd = AT_FDCWD, r;

        if (diag_list_init(&d, out->label) < 0)
                return -ENOMEM;
        if (p->source) {
                _cleanup_free_ char *copy = strdup(p->source);

                if (!copy) {
                        diag_list_done(&d);
                        return -ENOMEM;
                }
                dirfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0)
                        dirfd = AT_FDCWD;
        }
        r = policy_load_buffer(out->new_text, out->new_size, dirfd, &d, &np);
        if (dirfd >= 0)
                close(dirfd);
        if (r < 0) {
                _cleanup_free_ char *text = diag_to_text(&d);

                snprintf(err, err_size, "the proposed policy does not load: %s",
                         text ? text : strerror(-r));
                diag_list_done(&d);
                return -EINVAL;
        }
        diag_list_done(&d);
        if (strcmp(np->service, p->service) != 0) {
                snprintf(err, err_size, "the proposed policy names service '%s', not '%s'",
                         np->service, p->service);
                return -EINVAL;
        }
        np->source = p->source ? strdup(p->source) : NULL;
        return count_allowed(np, ret_allowed);
}

static int open_edit(struct proposal_builder *b, char *err, size_t err_size)
{
        struct diag_list d;
        int r;

        if (diag_list_init(&d, b->out->label) < 0)
                return -ENOMEM;
        r = yaml_edit_new(b->out->old_text, b->out->old_size, &d, &b->edit);
        if (r < 0) {
                _cleanup_free_ char *text = diag_to_text(&d);

                snprintf(err, err_size, "%s", text ? text : strerror(-r));
        }
        diag_list_done(&d);
        return r;
}

int proposal_build(const struct policy *p, const char *text, size_t size, const char *label,
                   const struct observation *const *obs, size_t n_obs,
                   const struct proposal_options *o, char *err, size_t err_size,
                   struct proposal **ret)
{
        _cleanup_(proposal_freep) struct proposal *out = NULL;
        struct proposal_builder b = {.policy = p, .opt = o};
        int r;

        err[0] = '\0';
        if (n_obs > PROPOSAL_MAX_OBSERVATIONS) {
                snprintf(err, err_size, "%zu observations, more than %u", n_obs,
                         PROPOSAL_MAX_OBSERVATIONS);
                return -E2BIG;
        }
        out = calloc(1, sizeof(*out));
        if (!out || !(out->service = strdup(p->service)) || !(out->label = strdup(label)) ||
            !(out->old_text = malloc(size + 1)))
                return -ENOMEM;
        memcpy(out->old_text, text, size);
        out->old_text[size] = '\0';
        out->old_size = size;
        b.out = out;

        r = open_edit(&b, err, err_size);
        if (r < 0)
                goto done;
        r = select_observations(&b, obs, n_obs);
        if (r < 0)
                goto done;
        describe_window(&b);
        r = count_allowed(p, &out->allowed_before);
        if (r < 0) {
                snprintf(err, err_size, "the seccomp rules of %s do not build", p->service);
                goto done;
        }
        if ((r = propose_seccomp(&b, err, err_size)) < 0 || (r = propose_apparmor(&b)) < 0 ||
            (r = propose_posture(&b)) < 0) {
                if (!err[0] && b.edit_error[0])
                        snprintf(err, err_size, "%s: %s", label, b.edit_error);
                goto done;
        }
        r = yaml_edit_result(b.edit, &out->new_text, &out->new_size);
        if (r < 0)
                goto done;
        r = check_new_text(p, out, err, err_size, &out->allowed_after);
        if (r < 0)
                goto done;
        r = text_diff_unified(out->old_text, out->old_size, out->new_text, out->new_size, label,
                              label, 3, &out->diff);
        if (r < 0)
                goto done;
        *ret = TAKE_PTR(out);
done:
        free(b.block);
        yaml_edit_free(b.edit);
        if (r < 0 && !err[0])
                snprintf(err, err_size, "%s", strerror(-r));
        return r;
}

struct proposal *proposal_free(struct proposal *p)
{
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_changes; i++) {
                struct proposal_change *c = &p->changes[i];

                free(c->what);
                free(c->reason);
                free(c->example);
                for (size_t w = 0; w < c->n_workloads; w++)
                        free(c->workloads[w]);
        }
        free(p->changes);
        free(p->service);
        free(p->label);
        free(p->old_text);
        free(p->new_text);
        free(p->diff);
        free(p);
        return NULL;
}
