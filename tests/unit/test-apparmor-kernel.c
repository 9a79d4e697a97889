/* SPDX-License-Identifier: MIT */
/* The kernel side on whatever kernel runs the tests. Without AppArmor (the
 * project's machines) every operation must return the one distinct error,
 * -APPARMOR_ENOTAVAIL, and nothing else; with AppArmor, the same calls must
 * work. The qemu suite (apparmor-vm) runs them on a kernel with AppArmor. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-exec.h"
#include "apparmor/apparmor-kernel.h"
#include "apparmor/apparmor-status.h"
#include "testing.h"

static enum apparmor_support probe(void)
{
        enum apparmor_support s = _APPARMOR_SUPPORT_MAX;

        ck_assert_int_eq(apparmor_support_probe(&s), 0);
        ck_assert_int_lt(s, _APPARMOR_SUPPORT_MAX);
        return s;
}

START_TEST(test_support_strings)
{
        for (int i = 0; i < _APPARMOR_SUPPORT_MAX; i++) {
                const char *a = apparmor_support_to_string(i);

                ck_assert_uint_gt(strlen(a), 10);
                for (int j = 0; j < i; j++)
                        ck_assert_str_ne(a, apparmor_support_to_string(j));
        }
        ck_assert_str_eq(apparmor_support_to_string(_APPARMOR_SUPPORT_MAX),
                         "unknown AppArmor state");
        ck_assert(apparmor_unavailable(-APPARMOR_ENOTAVAIL));
        ck_assert(!apparmor_unavailable(-ENOENT));
        ck_assert(!apparmor_unavailable(0));
}
END_TEST

START_TEST(test_kernel_open)
{
        struct apparmor_kernel *k = NULL;
        int r = apparmor_kernel_open(&k);

        if (probe() != APPARMOR_SUPPORT_ENABLED) {
                ck_assert_int_eq(r, -APPARMOR_ENOTAVAIL);
                ck_assert_ptr_null(k);
                return;
        }
        /* AppArmor here: opening needs no privilege, loading does. */
        ck_assert_int_eq(r, 0);
        ck_assert_int_eq(apparmor_kernel_replace(k, NULL, 0), -EINVAL);
        ck_assert_int_eq(apparmor_kernel_remove(k, ""), -EINVAL);
        if (geteuid() == 0)
                ck_assert_int_eq(apparmor_kernel_remove(k, "hardend-no-such-profile-here"),
                                 -ENOENT);
        ck_assert_ptr_null(apparmor_kernel_close(k));
}
END_TEST

START_TEST(test_exec_hook)
{
        int r;

        ck_assert_int_eq(apparmor_exec_service("Not A Service"), -EINVAL);
        ck_assert_int_eq(apparmor_exec_profile(""), -EINVAL);
        ck_assert_int_eq(apparmor_exec_profile(NULL), -EINVAL);
        r = apparmor_exec_service("no-such-service-here");
        if (probe() != APPARMOR_SUPPORT_ENABLED)
                ck_assert_int_eq(r, -APPARMOR_ENOTAVAIL);
        else
                ck_assert_int_eq(r, -ENOENT);
}
END_TEST

START_TEST(test_status_on_this_kernel)
{
        _cleanup_close_ int sec = open("/sys/kernel/security", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct apparmor_loaded_list l = {0};
        enum apparmor_profile_mode mode;
        char *label = NULL;
        int r;

        ck_assert_int_ge(proc, 0);
        r = apparmor_current_read(proc, getpid(), &label, &mode);
        if (probe() != APPARMOR_SUPPORT_ENABLED) {
                ck_assert_int_eq(r, -APPARMOR_ENOTAVAIL);
                if (sec >= 0)
                        ck_assert_int_eq(apparmor_profiles_read(sec, &l), -APPARMOR_ENOTAVAIL);
                return;
        }
        /* The test runner itself is normally unconfined. */
        ck_assert_int_eq(r, 0);
        ck_assert_ptr_nonnull(label);
        free(label);
        ck_assert_int_ge(sec, 0);
        r = apparmor_profiles_read(sec, &l);
        ck_assert_msg(r == 0 || r == -EACCES, "profiles: %d", r);
        apparmor_loaded_list_done(&l);
}
END_TEST

/* Never tells "absent" apart from "no such process" wrongly. */
START_TEST(test_status_gone_process)
{
        _cleanup_close_ int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char *label = NULL;
        enum apparmor_profile_mode mode;

        ck_assert_int_eq(apparmor_current_read(proc, 0x3ffffffe, &label, &mode), -ESRCH);
        ck_assert_ptr_null(label);
}
END_TEST

static Suite *apparmor_kernel_suite(void)
{
        Suite *s = suite_create("apparmor-kernel");
        TCase *tc = tcase_create("this-kernel");

        tcase_add_test(tc, test_support_strings);
        tcase_add_test(tc, test_kernel_open);
        tcase_add_test(tc, test_exec_hook);
        tcase_add_test(tc, test_status_on_this_kernel);
        tcase_add_test(tc, test_status_gone_process);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(apparmor_kernel_suite)
