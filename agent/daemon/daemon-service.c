/* SPDX-License-Identifier: MIT */
/* A service's artifacts in a mode: the seccomp profile (OCI JSON, BPF, PFC,
 * systemd drop-in) written to seccomp_dir, and the AppArmor profile
 * compiled by apparmor_parser, its text kept in state_dir/apparmor and its
 * binary loaded into the kernel when the kernel has AppArmor.
 *
 * Everything is built in memory first; only when every piece is ready is
 * anything written or loaded, so a policy that does not generate or does
 * not compile changes nothing the service runs with. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-kernel.h"
#include "apparmor/apparmor-render.h"
#include "base/fileio.h"
#include "daemon-log.h"
#include "daemon.h"
#include "posture/seccomp-check.h"
#include "seccomp/seccomp-generate.h"

struct service *daemon_find_service(struct daemon *d, const char *name)
{
        for (size_t i = 0; i < d->n_services; i++)
                if (strcmp(d->services[i].name, name) == 0)
                        return &d->services[i];
        return NULL;
}

static void forget_expected(struct service *s)
{
        seccomp_chain_done(&s->expected[0]);
        seccomp_chain_done(&s->expected[1]);
        s->have_expected = false;
}

void service_done(struct service *s)
{
        forget_expected(s);
        free(s->policy_file);
        policy_free(s->policy);
        free(s->policy_error);
        free(s->seccomp_error);
        free(s->apparmor_error);
        json_decref(s->workloads);
        json_decref(s->last_finding);
        recorded_done(&s->recorded);
        *s = (struct service){0};
}

static void set_text(char **field, const char *text)
{
        free(*field);
        *field = text ? strdup(text) : NULL;
}

/* "<file>: reason" for the parser's refusal, located when it can be. */
static char *parser_refusal(const struct policy *p, const struct apparmor_profile *prof,
                            const struct apparmor_parser_error *e)
{
        char *s = NULL;

        if (e->where.line > 0)
                (void)!asprintf(&s, "%s:%u:%u: apparmor_parser refused this rule: %s", p->source,
                                e->where.line, e->where.col, e->message);
        else
                (void)!asprintf(&s, "%s: apparmor_parser refused %s: %s", p->source, prof->name,
                                e->message ? e->message : "(no message)");
        return s;
}

/* The service's AppArmor profile for mode, rendered and compiled: to a
 * binary when want_binary, else only checked. Returns 0, 1 when
 * apparmor_parser is not installed (*ret_why says so: AppArmor is then
 * out of reach, which must not stop seccomp), or -errno with *ret_why. */
static int build_apparmor(const struct policy *p, enum policy_mode mode, bool want_binary,
                          struct apparmor_profile **ret_prof, struct apparmor_binary *ret_bin,
                          char **ret_why)
{
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        struct apparmor_parser_error e = {0};
        struct diag_list dl;
        int r;

        if (diag_list_init(&dl, p->source) < 0)
                return -ENOMEM;
        r = apparmor_render(p, mode, &dl, &prof);
        if (r < 0) {
                *ret_why = diag_has_errors(&dl) ? diag_to_text(&dl) : strdup(strerror(-r));
                diag_list_done(&dl);
                return r;
        }
        diag_list_done(&dl);
        r = apparmor_compile_profile(NULL, prof, &e, want_binary ? ret_bin : NULL);
        if (r == -EINVAL) {
                *ret_why = parser_refusal(p, prof, &e);
                apparmor_parser_error_done(&e);
                return r;
        }
        if (r == -ENOENT) {
                *ret_why = strdup("apparmor_parser is not installed (Debian package 'apparmor')");
                *ret_prof = TAKE_PTR(prof);
                return 1;
        }
        if (r < 0) {
                (void)!asprintf(ret_why, "compiling %s failed: %s", prof->name, strerror(-r));
                return r;
        }
        *ret_prof = TAKE_PTR(prof);
        return 0;
}

void service_build_done(struct service_build *b)
{
        seccomp_artifacts_done(&b->seccomp);
        apparmor_profile_free(b->profile);
        apparmor_binary_done(&b->binary);
        free(b->apparmor_note);
        *b = (struct service_build){0};
}

int service_build(struct daemon *d, const struct policy *p, enum policy_mode mode,
                  struct service_build *ret, char **ret_why)
{
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        struct seccomp_generate_options o = {.mode = mode, .runtime_flags = d->runtime_flags};
        struct seccomp_error err = {{0}};
        struct oci_error oerr = {{0}};
        struct service_build b = {.mode = mode};
        int r;

        *ret_why = NULL;
        r = seccomp_policy_load_base(p, &oerr, &base);
        if (r < 0) {
                (void)!asprintf(ret_why, "seccomp base '%s': %s", p->seccomp.base, oerr.text);
                return r;
        }
        r = seccomp_generate(p, base, &o, &err, &b.seccomp);
        if (r < 0) {
                (void)!asprintf(ret_why, "the seccomp filter does not build: %s",
                                err.text[0] ? err.text : strerror(-r));
                return r;
        }
        r = sha256_hex(b.seccomp.json, b.seccomp.json_size, b.sha256);
        if (r >= 0)
                r = build_apparmor(p, mode, d->apparmor_available, &b.profile, &b.binary,
                                   &b.apparmor_note);
        if (r < 0) {
                *ret_why = TAKE_PTR(b.apparmor_note);
                service_build_done(&b);
                return r;
        }
        b.compiled = r == 0;
        if (b.compiled && !d->apparmor_available)
                b.apparmor_note = strdup(d->apparmor_detail);
        *ret = b;
        return 0;
}

/* Loads the binary into the kernel, or says why not. */
static int load_apparmor(const struct apparmor_binary *bin, char **ret_why)
{
        _cleanup_apparmor_kernel_ struct apparmor_kernel *k = NULL;
        int r;

        r = apparmor_kernel_open(&k);
        if (r >= 0)
                r = apparmor_kernel_replace(k, bin->data, bin->size);
        if (r < 0)
                (void)!asprintf(ret_why, "the kernel refused the profile: %s", strerror(-r));
        return r;
}

int service_install(struct daemon *d, struct service *s, struct policy *p, struct service_build *b,
                    char **ret_why)
{
        const char *mode_name = policy_mode_to_string(b->mode);
        _cleanup_free_ char *refused = NULL;
        int r;

        *ret_why = NULL;
        r = seccomp_artifacts_write(d->seccomp_dir_fd, p->service, &b->seccomp);
        if (r < 0) {
                (void)!asprintf(ret_why, "cannot write %s/%s.seccomp.json: %s",
                                d->config.seccomp_dir, p->service, strerror(-r));
                return r;
        }
        if (b->compiled) {
                r = write_file_atomic(d->apparmor_dir_fd, b->profile->name, b->profile->text,
                                      b->profile->size, 0644);
                if (r < 0)
                        log_errno(r, "cannot keep a copy of AppArmor profile %s in %s/apparmor",
                                  b->profile->name, d->config.state_dir);
        }
        s->apparmor_loaded = false;
        if (b->compiled && d->apparmor_available) {
                r = load_apparmor(&b->binary, &refused);
                if (r < 0) {
                        /* The seccomp side is written; the caller restores
                         * the previous mode (or reports it) so both sides
                         * agree again. */
                        set_text(&s->apparmor_error, refused);
                        *ret_why = TAKE_PTR(refused);
                        return r;
                }
                s->apparmor_loaded = true;
        }
        if (s->policy != p) {
                policy_free(s->policy);
                s->policy = p;
                forget_expected(s);
        }
        s->mode = b->mode;
        memcpy(s->sha256, b->sha256, sizeof(s->sha256));
        set_text(&s->seccomp_error, NULL);
        set_text(&s->apparmor_error, s->apparmor_loaded ? NULL : b->apparmor_note);
        log_profile_load(s->name, mode_name, b->sha256,
                         s->apparmor_loaded ? "loaded"
                         : b->apparmor_note ? b->apparmor_note
                                            : "-");
        return 0;
}

int service_apply(struct daemon *d, struct service *s, struct policy *p, enum policy_mode mode,
                  char **ret_why)
{
        struct service_build b;
        int r;

        r = service_build(d, p, mode, &b, ret_why);
        if (r < 0)
                return r;
        r = service_install(d, s, p, &b, ret_why);
        service_build_done(&b);
        return r;
}

const struct seccomp_chain *service_expected(struct service *s)
{
        if (!s->policy)
                return NULL;
        if (!s->have_expected) {
                if (seccomp_expected_chain(s->policy, POLICY_MODE_MONITOR, &s->expected[0]) < 0 ||
                    seccomp_expected_chain(s->policy, POLICY_MODE_ENFORCE, &s->expected[1]) < 0) {
                        forget_expected(s);
                        return NULL;
                }
                s->have_expected = true;
        }
        return s->expected;
}

int daemon_refresh_view(struct daemon *d)
{
        struct policy **items = NULL;
        size_t n = 0;

        if (d->n_services > 0) {
                items = calloc(d->n_services, sizeof(*items));
                if (!items)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < d->n_services; i++)
                if (d->services[i].policy)
                        items[n++] = d->services[i].policy;
        free(d->view.items);
        d->view = (struct policy_set){.items = items, .n = n};
        return d->pipeline ? events_pipeline_set_policies(d->pipeline, &d->view) : 0;
}
