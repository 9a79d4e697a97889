/* SPDX-License-Identifier: MIT */
/* Policy -> AppArmor profile text. One line per rule, each line remembering
 * the policy location it came from, so that a parser error on profile line N
 * can name the policy line that caused it. */
#include "apparmor-render.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "policy/names.h"

/* Longest comment text taken from the policy (a capability's reason). */
#define REASON_MAX 160

struct renderer {
        FILE *f;
        struct loc *locs;
        size_t n_locs;
        size_t cap_locs;
        struct diag_list *d;
        bool in_body; /* a section was written inside the profile block */
        int error;    /* first failure: -EINVAL (refused value) or -ENOMEM */
};

static const struct loc no_loc = {0, 0};

struct apparmor_profile *apparmor_profile_free(struct apparmor_profile *p)
{
        if (!p)
                return NULL;
        free(p->name);
        free(p->text);
        free(p->line_locs);
        free(p);
        return NULL;
}

static bool service_valid(const char *s)
{
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 63 || !(s[0] >= 'a' && s[0] <= 'z') || s[n - 1] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return true;
}

int apparmor_profile_name(const char *service, char *buf, size_t size)
{
        int n;

        if (!service_valid(service))
                return -EINVAL;
        n = snprintf(buf, size, APPARMOR_PROFILE_PREFIX "%s", service);
        if (n < 0 || (size_t)n >= size)
                return -ENOBUFS;
        return 0;
}

const char *apparmor_profile_service(const char *name)
{
        size_t plen = strlen(APPARMOR_PROFILE_PREFIX);

        if (!name || strncmp(name, APPARMOR_PROFILE_PREFIX, plen) != 0)
                return NULL;
        return service_valid(name + plen) ? name + plen : NULL;
}

const struct loc *apparmor_profile_line_loc(const struct apparmor_profile *prof, unsigned line)
{
        const struct loc *l;

        if (!prof || line == 0 || line > prof->n_lines)
                return NULL;
        l = &prof->line_locs[line - 1];
        return l->line > 0 ? l : NULL;
}

/* ---- checks: what may reach the profile text ---- */

/* 1..max bytes, each a lower-case letter, a digit or one of extra. */
static bool word_ok(const char *s, const char *extra, size_t max)
{
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > max)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
                      (extra && strchr(extra, s[i]))))
                        return false;
        return true;
}

/* Peer profile names and globs over them: the loader's alphabet. */
static bool peer_ok(const char *s)
{
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 128)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(isalnum((unsigned char)s[i]) || strchr("-_.*?/", s[i])))
                        return false;
        return true;
}

/* Canonical access: a subsequence of "rwalkm" (never both w and a), then at
 * most one exec mode: ix px Px cx Cx for allow rules, x for deny rules. */
static bool access_ok(const char *s, bool deny)
{
        static const char order[] = "rwalkm";
        static const char *const allow_exec[] = {"", "ix", "px", "Px", "cx", "Cx"};
        static const char *const deny_exec[] = {"", "x"};
        const char *const *exec = deny ? deny_exec : allow_exec;
        size_t n_exec = deny ? ELEMENTSOF(deny_exec) : ELEMENTSOF(allow_exec);
        const char *o = order;
        const char *c = s;

        if (!s || !*s)
                return false;
        for (; *c; c++) {
                const char *pos = strchr(o, *c);

                if (!pos)
                        break;
                o = pos + 1;
        }
        if (strchr(s, 'w') && strchr(s, 'a'))
                return false;
        for (size_t i = 0; i < n_exec; i++)
                if (strcmp(c, exec[i]) == 0)
                        return true;
        return false;
}

/* ---- output ---- */

_printf_(3, 4) static void refuse(struct renderer *r, struct loc loc, const char *fmt, ...)
{
        va_list ap;
        char *msg = NULL;

        if (r->error == 0)
                r->error = -EINVAL;
        if (!r->d)
                return;
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg) {
                r->d->dropped++;
                return;
        }
        (void)diag_add(r->d, loc, "%s", msg);
        free(msg);
}

static int push_loc(struct renderer *r, struct loc loc)
{
        if (r->n_locs == r->cap_locs) {
                size_t cap = r->cap_locs ? r->cap_locs * 2 : 64;
                struct loc *l = reallocarray(r->locs, cap, sizeof(*l));

                if (!l)
                        return -ENOMEM;
                r->locs = l;
                r->cap_locs = cap;
        }
        r->locs[r->n_locs++] = loc;
        return 0;
}

/* Writes one line. Formats are the renderer's own and every value passed
 * in has been checked, so a line never contains a newline. */
_printf_(3, 4) static void emit(struct renderer *r, struct loc loc, const char *fmt, ...)
{
        va_list ap;

        if (r->error)
                return;
        va_start(ap, fmt);
        if (vfprintf(r->f, fmt, ap) < 0 || fputc('\n', r->f) == EOF)
                r->error = -ENOMEM;
        va_end(ap);
        if (!r->error && push_loc(r, loc) < 0)
                r->error = -ENOMEM;
}

/* Comment text from the policy: printable ASCII, everything else as '?',
 * at most REASON_MAX bytes, so a comment can never end early. */
static void comment_text(const char *s, char *buf, size_t size)
{
        size_t i = 0;

        for (; s && *s && i + 1 < size && i < REASON_MAX; s++)
                buf[i++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
        buf[i] = '\0';
}

/* ---- sections ---- */

/* Starts a section of the profile body: a blank line after the previous
 * one, then a comment naming it. */
static void section(struct renderer *r, const char *comment)
{
        if (r->in_body)
                emit(r, no_loc, "%s", "");
        r->in_body = true;
        emit(r, no_loc, "  # %s", comment);
}

static void render_file_rules(struct renderer *r, const struct apparmor_file_rule *rules, size_t n,
                              bool deny)
{
        for (size_t i = 0; i < n; i++) {
                const struct apparmor_file_rule *f = &rules[i];
                const char *reason;

                if (path_glob_validate(f->path, &reason) < 0) {
                        refuse(r, f->loc, "path '%s' cannot be rendered safely: %s", f->path,
                               reason);
                        continue;
                }
                if (!access_ok(f->access, deny)) {
                        refuse(r, f->loc, "access '%s' of '%s' is not a canonical %s access",
                               f->access, f->path, deny ? "deny" : "file");
                        continue;
                }
                /* Deny rules are audited: a refused attempt is reported in
                 * every mode (AppArmor keeps deny rules quiet otherwise). */
                emit(r, f->loc, "  %s\"%s\" %s,", deny ? "audit deny " : "", f->path, f->access);
        }
}

static void render_capabilities(struct renderer *r, const struct policy_posture *p)
{
        if (p->n_capabilities == 0) {
                section(r, "capabilities: none (posture.capabilities is empty)");
                return;
        }
        section(r, "capabilities: exactly posture.capabilities");
        for (size_t i = 0; i < p->n_capabilities; i++) {
                const struct posture_capability *c = &p->capabilities[i];
                char name[64], why[REASON_MAX + 1];

                capability_to_name(c->cap, name, sizeof(name));
                for (char *s = name; *s; s++)
                        *s = (char)tolower((unsigned char)*s);
                if (!word_ok(name, "_", 32) || isdigit((unsigned char)name[0])) {
                        refuse(r, c->loc, "capability %d has no name this system knows", c->cap);
                        continue;
                }
                comment_text(c->reason, why, sizeof(why));
                emit(r, c->loc, "  capability %s,  # %s", name, why);
        }
}

static void render_network(struct renderer *r, const struct policy_apparmor *a)
{
        if (a->n_network == 0) {
                section(r, "network: none");
                return;
        }
        section(r, "network");
        for (size_t i = 0; i < a->n_network; i++) {
                const struct apparmor_network_rule *n = &a->network[i];

                if (!word_ok(n->family, NULL, 16) || (n->type && !word_ok(n->type, NULL, 16))) {
                        refuse(r, n->loc, "network rule has an invalid family or type");
                        continue;
                }
                if (n->type)
                        emit(r, n->loc, "  network %s %s,", n->family, n->type);
                else
                        emit(r, n->loc, "  network %s,", n->family);
        }
}

/* "(a, b)" from a list of checked words into buf; false if one is bad. */
static bool word_set(const struct policy_list *l, char *buf, size_t size)
{
        size_t off = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < l->n; i++) {
                int n;

                if (!word_ok(l->items[i].name, "_", 16))
                        return false;
                n = snprintf(buf + off, size - off, "%s%s", i ? ", " : "", l->items[i].name);
                if (n < 0 || (size_t)n >= size - off)
                        return false;
                off += (size_t)n;
        }
        return true;
}

static void render_peer_rules(struct renderer *r, const char *kind,
                              const struct apparmor_peer_rule *rules, size_t n, bool is_signal)
{
        if (n > 0)
                section(r, kind);
        for (size_t i = 0; i < n; i++) {
                const struct apparmor_peer_rule *p = &rules[i];
                char access[128], signals[512], peer[160] = "";

                if (!word_set(&p->access, access, sizeof(access)) ||
                    !word_set(&p->signals, signals, sizeof(signals))) {
                        refuse(r, p->loc, "%s rule has an invalid access or signal name", kind);
                        continue;
                }
                if (p->peer) {
                        if (!peer_ok(p->peer)) {
                                refuse(r, p->loc, "%s peer '%s' is not a valid profile name", kind,
                                       p->peer);
                                continue;
                        }
                        snprintf(peer, sizeof(peer), " peer=\"%s\"", p->peer);
                }
                /* An empty access list grants nothing (a bare "signal," would
                 * grant everything). */
                if (p->access.n == 0) {
                        emit(r, p->loc, "  # %s rule with no access: grants nothing", kind);
                        continue;
                }
                if (is_signal && p->signals.n > 0)
                        emit(r, p->loc, "  signal (%s) set=(%s)%s,", access, signals, peer);
                else
                        emit(r, p->loc, "  %s (%s)%s,", kind, access, peer);
        }
}

static void render_mounts(struct renderer *r, const struct policy_apparmor *a)
{
        if (a->n_mount > 0)
                section(r, "mount");
        for (size_t i = 0; i < a->n_mount; i++) {
                const struct apparmor_mount_rule *m = &a->mount[i];
                char fstype[64] = "", options[512] = "", source[PATH_GLOB_MAX + 8] = "";
                const char *reason;

                if (path_glob_validate(m->target, &reason) < 0) {
                        refuse(r, m->loc, "mount target '%s' cannot be rendered safely: %s",
                               m->target, reason);
                        continue;
                }
                if (m->fstype) {
                        if (!word_ok(m->fstype, "_.-", 32)) {
                                refuse(r, m->loc, "invalid filesystem type '%s'", m->fstype);
                                continue;
                        }
                        snprintf(fstype, sizeof(fstype), " fstype=%s", m->fstype);
                }
                if (m->options.n > 0) {
                        char set[480];

                        if (!word_set(&m->options, set, sizeof(set))) {
                                refuse(r, m->loc, "mount rule has an invalid option");
                                continue;
                        }
                        snprintf(options, sizeof(options), " options=(%s)", set);
                }
                if (m->source) {
                        if (!word_ok(m->source, "_.-", 32) &&
                            path_glob_validate(m->source, &reason) < 0) {
                                refuse(r, m->loc, "mount source '%s' cannot be rendered safely",
                                       m->source);
                                continue;
                        }
                        snprintf(source, sizeof(source), " \"%s\"", m->source);
                }
                emit(r, m->loc, "  mount%s%s%s -> \"%s\",", fstype, options, source, m->target);
        }
}

static void render_body(struct renderer *r, const struct policy *p)
{
        const struct policy_apparmor *a = &p->apparmor;

        if (a->include_base) {
                emit(r, no_loc, "  include <abstractions/base>");
                r->in_body = true;
        }
        if (a->n_files > 0) {
                section(r, "files");
                render_file_rules(r, a->files, a->n_files, false);
        }
        if (a->n_deny > 0) {
                section(r, "deny: refused in every mode, and audited");
                render_file_rules(r, a->deny, a->n_deny, true);
        }
        render_capabilities(r, &p->posture);
        render_network(r, a);
        render_peer_rules(r, "signal", a->signal, a->n_signal, true);
        render_peer_rules(r, "ptrace", a->ptrace, a->n_ptrace, false);
        render_mounts(r, a);
}

int apparmor_render(const struct policy *p, enum policy_mode mode, struct diag_list *d,
                    struct apparmor_profile **ret)
{
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        struct renderer r = {.d = d};
        char name[APPARMOR_PROFILE_NAME_MAX];
        char *text = NULL;
        size_t size = 0;

        if (mode != POLICY_MODE_MONITOR && mode != POLICY_MODE_ENFORCE)
                return -EINVAL;
        if (apparmor_profile_name(p->service, name, sizeof(name)) < 0) {
                refuse(&r, no_loc, "service name cannot name an AppArmor profile");
                return -EINVAL;
        }
        r.f = open_memstream(&text, &size);
        if (!r.f)
                return -ENOMEM;

        emit(&r, no_loc, "# AppArmor profile for service '%s', mode %s.", p->service,
             policy_mode_to_string(mode));
        emit(&r, no_loc,
             "# Generated by hardend from the service policy: change the policy, "
             "not this file.");
        emit(&r, no_loc, "abi <abi/3.0>,");
        emit(&r, no_loc, "%s", "");
        emit(&r, no_loc, "include <tunables/global>");
        emit(&r, no_loc, "%s", "");
        emit(&r, no_loc, "profile %s%s {", name,
             mode == POLICY_MODE_MONITOR ? " flags=(complain)" : "");
        render_body(&r, p);
        emit(&r, no_loc, "}");

        if (fclose(r.f) != 0 && r.error == 0)
                r.error = -ENOMEM;
        if (r.error < 0) {
                free(text);
                free(r.locs);
                return r.error;
        }

        prof = calloc(1, sizeof(*prof));
        if (!prof) {
                free(text);
                free(r.locs);
                return -ENOMEM;
        }
        prof->text = text;
        prof->size = size;
        prof->line_locs = r.locs;
        prof->n_lines = r.n_locs;
        prof->mode = mode;
        prof->name = strdup(name);
        if (!prof->name)
                return -ENOMEM;
        *ret = TAKE_PTR(prof);
        return 0;
}
