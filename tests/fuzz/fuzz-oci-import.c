/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the Docker/OCI profile importer. Beyond "no crash,
 * no leak, no UB": every failure explains itself (a non-empty message),
 * and a profile that imports also merges into a policy's rule set in both
 * modes, exports, and the export imports again with the same default
 * action: the writer never produces what the reader refuses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seccomp/seccomp-oci-export.h"
#include "seccomp/seccomp-oci-import.h"
#include "seccomp/seccomp-rules.h"

static struct policy *fuzz_policy(void)
{
        static struct policy *p;

        if (p)
                return p;
        p = policy_new();
        if (!p)
                abort();
        p->service = strdup("fuzz");
        p->seccomp.base_kind = SECCOMP_BASE_OCI;
        p->seccomp.base = strdup("fuzz.json");
        if (!p->service || !p->seccomp.base)
                abort();
        return p;
}

static void roundtrip(const struct oci_profile *prof, enum policy_mode mode)
{
        struct seccomp_rules_options o = {.mode = mode,
                                          .kernel_version = kernel_version_make(6, 1, 0)};
        struct seccomp_ruleset *rs = NULL;
        struct oci_profile *again = NULL;
        struct seccomp_error err;
        struct oci_error oerr;
        char *json = NULL;
        size_t size;

        if (seccomp_ruleset_build(fuzz_policy(), prof, &o, &err, &rs) < 0) {
                if (!err.text[0])
                        abort();
                return;
        }
        if (seccomp_oci_export(rs, true, &json, &size) < 0)
                abort();
        if (oci_profile_parse(json, size, &oerr, &again) < 0)
                abort();
        if (!seccomp_action_equal(again->default_action, rs->default_action))
                abort();
        oci_profile_free(again);
        free(json);
        seccomp_ruleset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct oci_profile *prof = NULL;
        struct oci_error err;

        if (oci_profile_parse((const char *)data, size, &err, &prof) < 0) {
                if (!err.text[0])
                        abort();
                return 0;
        }
        roundtrip(prof, POLICY_MODE_MONITOR);
        roundtrip(prof, POLICY_MODE_ENFORCE);
        oci_profile_free(prof);
        return 0;
}
