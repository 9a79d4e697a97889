/* SPDX-License-Identifier: MIT */
/* The policy model itself: defaults, lists, name tables, destructors. */
#include <string.h>

#include "policy/policy.h"
#include "testing.h"

START_TEST(test_defaults)
{
        _cleanup_policy_ struct policy *p = policy_new();

        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(p->mode, POLICY_MODE_MONITOR);
        ck_assert_int_eq(p->seccomp.errno_value, EPERM);
        ck_assert_int_eq(p->seccomp.violation, SECCOMP_VIOLATION_ERRNO);
        ck_assert_uint_eq(p->seccomp.architectures, POLICY_ARCH_ALL);
        ck_assert(p->posture.no_new_privileges && p->posture.read_only_rootfs);
        ck_assert_uint_eq(p->posture.host_namespaces, 0);
        /* Destructors accept NULL and return NULL. */
        ck_assert_ptr_null(policy_free(NULL));
}
END_TEST

START_TEST(test_lists)
{
        struct policy_list l = {0};

        ck_assert(!policy_list_contains(&l, "a"));
        ck_assert_int_eq(policy_list_add(&l, "a", (struct loc){1, 2}), 0);
        ck_assert_int_eq(policy_list_add(&l, "b", (struct loc){3, 4}), 0);
        ck_assert(policy_list_contains(&l, "b"));
        ck_assert_uint_eq(l.items[1].loc.line, 3);
        policy_list_done(&l);
        ck_assert_uint_eq(l.n, 0);
        ck_assert_ptr_null(l.items);
}
END_TEST

START_TEST(test_name_tables)
{
        for (int m = 0; m < _POLICY_MODE_MAX; m++)
                ck_assert_int_eq(policy_mode_from_string(policy_mode_to_string(m)), m);
        for (int v = 0; v < _SECCOMP_VIOLATION_MAX; v++)
                ck_assert_int_eq(seccomp_violation_from_string(seccomp_violation_to_string(v)), v);
        ck_assert_int_eq(policy_mode_from_string("Monitor"), -EINVAL);
        ck_assert_ptr_null(policy_mode_to_string(_POLICY_MODE_MAX));
        /* Bits are distinct and cover the documented names. */
        unsigned seen = 0;
        for (size_t i = 0; i < policy_namespace_names_len; i++) {
                ck_assert_uint_eq(seen & policy_namespace_names[i].bit, 0);
                seen |= policy_namespace_names[i].bit;
        }
        ck_assert_uint_eq(policy_namespace_names_len, 7);
        seen = 0;
        for (size_t i = 0; i < policy_arch_names_len; i++)
                seen |= policy_arch_names[i].bit;
        ck_assert_uint_eq(seen, POLICY_ARCH_ALL);
        for (size_t i = 0; i < posture_default_forbidden_mounts_len; i++)
                ck_assert(posture_default_forbidden_mounts[i][0] == '/');
}
END_TEST

static Suite *policy_model_suite(void)
{
        Suite *s = suite_create("policy-model");
        TCase *tc = tcase_create("model");

        tcase_add_test(tc, test_defaults);
        tcase_add_test(tc, test_lists);
        tcase_add_test(tc, test_name_tables);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(policy_model_suite)
