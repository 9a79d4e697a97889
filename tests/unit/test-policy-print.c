/* SPDX-License-Identifier: MIT */
/* The canonical printer. The printer writes every field, so two models are
 * equal (locations aside) exactly when their prints are equal; the tests
 * check that load(print(p)) prints the same as p, and also check fields of
 * the reloaded model directly so a field the printer dropped is caught even
 * if the loader defaulted it the same way twice. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy-load.h"
#include "policy/policy-print.h"
#include "testing.h"

static char *print_to_string(const struct policy *p)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        ck_assert_int_eq(policy_print(p, f), 0);
        fclose(f);
        return buf;
}

static struct policy *load_text(const char *text)
{
        struct diag_list d;
        struct policy *p = NULL;

        ck_assert_int_eq(diag_list_init(&d, "printed"), 0);
        if (policy_load_buffer(text, strlen(text), AT_FDCWD, &d, &p) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("printed policy does not load:\n%s", text);
        }
        diag_list_done(&d);
        return p;
}

static struct policy *load_path(const char *path)
{
        struct diag_list d;
        struct policy *p = NULL;

        ck_assert_int_eq(diag_list_init(&d, path), 0);
        if (policy_load_file(path, &d, &p) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("%s does not load", path);
        }
        diag_list_done(&d);
        return p;
}

static void assert_full_model(const struct policy *p)
{
        ck_assert_str_eq(p->description, "Every key, with \"quotes\", a colon: and a tab\t");
        ck_assert_int_eq(p->mode, POLICY_MODE_ENFORCE);
        ck_assert_uint_eq(p->match.n_labels, 2);
        ck_assert_str_eq(p->match.labels[1].key, "app.kubernetes.io/part-of");
        ck_assert_uint_eq(p->match.container_names.n, 2);
        ck_assert_str_eq(p->match.units.items[0].name, "web.service");
        ck_assert_str_eq(p->match.executables.items[0].name, "/usr/sbin/nginx");
        ck_assert_int_eq(p->seccomp.base_kind, SECCOMP_BASE_GROUP);
        ck_assert_str_eq(p->seccomp.base, "@system-service");
        ck_assert_uint_eq(p->seccomp.architectures, POLICY_ARCH_X86_64 | POLICY_ARCH_AARCH64);
        ck_assert_int_eq(p->seccomp.errno_value, EACCES);
        ck_assert_int_eq(p->seccomp.violation, SECCOMP_VIOLATION_KILL_PROCESS);
        ck_assert_str_eq(p->seccomp.allow.items[1].name, "@timer");
        ck_assert_uint_eq(p->seccomp.n_deny, 2);
        ck_assert_int_eq(p->seccomp.deny[0].errno_value, 0);
        ck_assert_int_eq(p->seccomp.deny[1].errno_value, ENOSYS);
        ck_assert_uint_eq(p->seccomp.conditions[0].n_values, 2);
        ck_assert_str_eq(p->seccomp.conditions[0].values[0].symbol, "AF_INET");
        ck_assert_uint_eq(p->seccomp.conditions[0].values[1].value, 10);
        ck_assert_ptr_null(p->seccomp.conditions[0].values[1].symbol);
        ck_assert_int_eq(p->seccomp.conditions[1].op, SECCOMP_COND_NONE_OF);
        ck_assert(!p->apparmor.include_base);
        ck_assert_uint_eq(p->apparmor.n_files, 3);
        ck_assert_str_eq(p->apparmor.files[1].access, "rix");
        ck_assert_str_eq(p->apparmor.files[2].path, "@{PROC}/@{pid}/stat");
        ck_assert_str_eq(p->apparmor.deny[0].access, "rx");
        ck_assert_uint_eq(p->apparmor.n_network, 2);
        ck_assert_ptr_null(p->apparmor.network[0].type);
        ck_assert_str_eq(p->apparmor.ptrace[0].peer, "unconfined");
        ck_assert_uint_eq(p->apparmor.n_signal, 2);
        ck_assert_str_eq(p->apparmor.signal[0].signals.items[0].name, "term");
        ck_assert_ptr_null(p->apparmor.signal[1].peer);
        ck_assert_str_eq(p->apparmor.mount[0].source, "tmpfs");
        ck_assert_uint_eq(p->apparmor.mount[0].options.n, 2);
        ck_assert_ptr_null(p->apparmor.mount[1].fstype);
        ck_assert_int_eq(p->posture.capabilities[0].cap, 10);
        ck_assert_str_eq(p->posture.capabilities[0].reason, "port 80: below 1024");
        ck_assert(!p->posture.no_new_privileges);
        ck_assert(!p->posture.read_only_rootfs);
        ck_assert_uint_eq(p->posture.n_writable_mounts, 2);
        ck_assert_uint_eq(p->posture.forbidden_mounts.n, 0);
        ck_assert_uint_eq(p->posture.host_namespaces, POLICY_NS_NET | POLICY_NS_UTS);
}

static const char *const roundtrip_files[] = {
    "tests/fixtures/policies/full.yaml",
    "profiles/api.yaml",
    "profiles/frontend.yaml",
    "profiles/worker.yaml",
};

START_TEST(test_roundtrip)
{
        _cleanup_policy_ struct policy *p1 = load_path(test_path(roundtrip_files[_i]));
        _cleanup_free_ char *print1 = print_to_string(p1);
        _cleanup_policy_ struct policy *p2 = load_text(print1);
        _cleanup_free_ char *print2 = print_to_string(p2);

        ck_assert_str_eq(print1, print2);
        if (_i == 0) {
                assert_full_model(p1);
                assert_full_model(p2);
        }
}
END_TEST

START_TEST(test_quoting)
{
        _cleanup_policy_ struct policy *p =
            load_text("service: q\ndescription: 'yes'\nmatch:\n  units: ['123', '-x']\n");
        _cleanup_free_ char *out = print_to_string(p);

        /* Strings YAML would read as booleans, numbers or syntax are quoted. */
        ck_assert_ptr_nonnull(strstr(out, "description: \"yes\"\n"));
        ck_assert_ptr_nonnull(strstr(out, "    - \"123\"\n"));
        ck_assert_ptr_nonnull(strstr(out, "    - \"-x\"\n"));
}
END_TEST

static Suite *policy_print_suite(void)
{
        Suite *s = suite_create("policy-print");
        TCase *tc = tcase_create("print");

        tcase_add_loop_test(tc, test_roundtrip, 0, ELEMENTSOF(roundtrip_files));
        tcase_add_test(tc, test_quoting);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(policy_print_suite)
