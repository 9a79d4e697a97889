/* SPDX-License-Identifier: MIT */
#include "seccomp-generate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "seccomp-filter.h"
#include "seccomp-oci-export.h"
#include "seccomp-program.h"
#include "seccomp-systemd.h"

int seccomp_generate(const struct policy *p, const struct oci_profile *base,
                     const struct seccomp_generate_options *o, struct seccomp_error *err,
                     struct seccomp_artifacts *ret)
{
        struct seccomp_rules_options ro = {.mode = o->mode, .kernel_version = o->kernel_version};
        struct seccomp_artifacts a = {0};
        struct seccomp_program prog;
        int r;

        r = seccomp_ruleset_build(p, base, &ro, err, &a.rules);
        if (r < 0)
                return r;
        r = seccomp_oci_export(a.rules, o->runtime_flags, &a.json, &a.json_size);
        if (r < 0)
                goto fail;
        r = seccomp_program_build(a.rules, SECCOMP_TARGET_EXPORT, true, o->threads, err, &prog);
        if (r < 0)
                goto fail;
        a.bpf = prog.bpf;
        a.bpf_size = prog.bpf_size;
        a.pfc = prog.pfc;
        a.pfc_size = prog.pfc_size;
        r = seccomp_systemd_dropin(p, a.rules, &a.dropin, &a.dropin_size);
        if (r < 0)
                goto fail;
        *ret = a;
        return 0;
fail:
        seccomp_artifacts_done(&a);
        return r;
}

void seccomp_artifacts_done(struct seccomp_artifacts *a)
{
        seccomp_ruleset_free(a->rules);
        free(a->json);
        free(a->bpf);
        free(a->pfc);
        free(a->dropin);
        *a = (struct seccomp_artifacts){0};
}

int seccomp_artifacts_write(int dirfd, const char *service, const struct seccomp_artifacts *a)
{
        const struct {
                const char *suffix;
                const char *data;
                size_t size;
        } files[] = {
            {".seccomp.json", a->json, a->json_size},
            {".bpf", a->bpf, a->bpf_size},
            {".pfc", a->pfc, a->pfc_size},
            {".service.d/hardend.conf", a->dropin, a->dropin_size},
        };
        char name[256];
        int r;

        if (!*service || strchr(service, '/') || service[0] == '.')
                return -EINVAL;
        snprintf(name, sizeof(name), "%s.service.d", service);
        if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                if ((size_t)snprintf(name, sizeof(name), "%s%s", service, files[i].suffix) >=
                    sizeof(name))
                        return -ENAMETOOLONG;
                r = write_file_atomic(dirfd, name, files[i].data, files[i].size, 0644);
                if (r < 0)
                        return r;
        }
        return 0;
}

int seccomp_policy_filter(const struct policy *p, const struct oci_profile *base,
                          enum policy_mode mode, struct seccomp_error *err, scmp_filter_ctx *ret)
{
        struct seccomp_rules_options ro = {.mode = mode};
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        int r;

        r = seccomp_ruleset_build(p, base, &ro, err, &rs);
        if (r < 0)
                return r;
        return seccomp_filter_build(rs, SECCOMP_TARGET_LOAD, err, ret);
}

int seccomp_policy_program(const struct policy *p, const struct oci_profile *base,
                           enum policy_mode mode, struct seccomp_error *err, char **ret_bpf,
                           size_t *ret_size)
{
        struct seccomp_rules_options ro = {.mode = mode};
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        struct seccomp_program prog;
        int r;

        r = seccomp_ruleset_build(p, base, &ro, err, &rs);
        if (r < 0)
                return r;
        r = seccomp_program_build(rs, SECCOMP_TARGET_LOAD, false, 1, err, &prog);
        if (r < 0)
                return r;
        *ret_bpf = prog.bpf;
        *ret_size = prog.bpf_size;
        return 0;
}
