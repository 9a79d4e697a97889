/* SPDX-License-Identifier: MIT */
/* The shipped profiles and the programs that read them, run for real:
 * hardenctl validate / groups and hardend --check. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "policy/syscall-groups.h"
#include "policy/names.h"
#include "policy/policy.h"
#include "testing.h"

START_TEST(test_shipped_profiles_valid)
{
        const char *argv[] = {"build/hardenctl",      "validate",
                              "profiles/api.yaml",    "profiles/frontend.yaml",
                              "profiles/worker.yaml", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(err, "");
        ck_assert_str_eq(out, "profiles/api.yaml: ok (service api, mode monitor)\n"
                              "profiles/frontend.yaml: ok (service frontend, mode monitor)\n"
                              "profiles/worker.yaml: ok (service worker, mode monitor)\n");
}
END_TEST

START_TEST(test_invalid_reports_every_problem)
{
        const char *argv[] = {"build/hardenctl", "validate", "--print",
                              "tests/fixtures/policies/invalid/typos.yaml", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(test_run(argv, &out, &err), 1);
        /* Nothing is printed for an invalid policy, even with --print. */
        ck_assert_str_eq(out, "");
        ck_assert_str_eq(
            err, "tests/fixtures/policies/invalid/typos.yaml:4:3: unknown key 'unitz' in match "
                 "(did you mean 'units'?)\n"
                 "tests/fixtures/policies/invalid/typos.yaml:7:11: unknown syscall 'opne' (did "
                 "you mean 'open'?)\n"
                 "tests/fixtures/policies/invalid/typos.yaml:8:10: 'exit_group' cannot be denied: "
                 "every process needs exit_group to exit or return from a signal handler\n"
                 "tests/fixtures/policies/invalid/typos.yaml:11:13: capability 'SYS_ADMIN' needs "
                 "a 'reason': say why the service needs it\n");
}
END_TEST

START_TEST(test_mixed_valid_and_invalid)
{
        const char *argv[] = {"build/hardenctl", "validate", "profiles/api.yaml",
                              "tests/fixtures/profiles-mixed/broken.yaml", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(test_run(argv, &out, &err), 1);
        ck_assert_str_eq(out, "profiles/api.yaml: ok (service api, mode monitor)\n");
        ck_assert_str_eq(err, "tests/fixtures/profiles-mixed/broken.yaml:5:10: errno must be a "
                              "name such as EPERM or a number 1-4095, not 'EWHAT'\n");
}
END_TEST

START_TEST(test_print_is_canonical)
{
        const char *argv[] = {"build/hardenctl", "validate", "--print", "profiles/frontend.yaml",
                              NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(err, "");
        ck_assert(strncmp(out, "service: frontend\n", 18) == 0);
        ck_assert_ptr_nonnull(strstr(out, "  capabilities:\n    - name: NET_BIND_SERVICE\n"));
        /* Defaults are spelled out, so a review sees them. */
        ck_assert_ptr_nonnull(
            strstr(out, "  forbidden_mounts:\n    - /run/containerd/containerd.sock\n"));
}
END_TEST

static const struct {
        const char *args[4];
        int status;
        const char *err_contains;
} usage_cases[] = {
    {{"validate", NULL}, 2, "no policy file given"},
    {{"validate", "--bogus", NULL}, 2, "unrecognized option"},
    {{"frobnicate", NULL}, 2, "unknown verb 'frobnicate'"},
    {{"validate", "/nonexistent/x.yaml", NULL},
     1,
     "/nonexistent/x.yaml: cannot read: No such file or directory"},
    {{"groups", "@nope", NULL}, 1, "unknown group '@nope'"},
};

START_TEST(test_usage)
{
        const char *argv[6] = {"build/hardenctl"};
        _cleanup_free_ char *out = NULL, *err = NULL;

        for (int i = 0; usage_cases[_i].args[i]; i++)
                argv[i + 1] = usage_cases[_i].args[i];
        ck_assert_int_eq(test_run(argv, &out, &err), usage_cases[_i].status);
        ck_assert_msg(strstr(err, usage_cases[_i].err_contains), "stderr: %s", err);
}
END_TEST

START_TEST(test_groups_verb)
{
        const char *argv[] = {"build/hardenctl", "groups", "@namespaces", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(out, "@namespaces: Creating and joining namespaces\n  setns\n  unshare\n");
}
END_TEST

START_TEST(test_daemon_check)
{
        const char *ok[] = {"build/hardend", "--check", "--profiles", "profiles", NULL};
        const char *bad[] = {"build/hardend", "--check", "--profiles",
                             "tests/fixtures/profiles-mixed", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

        ck_assert_msg(test_run(ok, &out, &err) == 0, "stdout: %s\nstderr: %s", out, err);
        ck_assert_ptr_nonnull(strstr(out, "hardend: 4 valid, 0 invalid policies in 'profiles'\n"));
        ck_assert_int_eq(test_run(bad, &out2, &err2), 1);
        ck_assert_ptr_nonnull(strstr(out2, "hardend: service api: monitor mode\n"));
        ck_assert_ptr_nonnull(strstr(err2, "broken.yaml:5:10: errno must be"));
}
END_TEST

/* hardend's configuration: validated with located errors before anything
 * else, printed in its canonical form, its profiles_dir used. */
START_TEST(test_daemon_config)
{
        const char *typos[] = {
            "build/hardend", "--check",  "--config", "tests/fixtures/config/typos.yaml",
            "--profiles",    "profiles", NULL};
        const char *print[] = {"build/hardend", "--print-config", "--config",
                               "tests/fixtures/config/full.yaml", NULL};
        const char *missing[] = {"build/hardend", "--check",  "--config", "/nonexistent/h.yaml",
                                 "--profiles",    "profiles", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL,
                            *err3 = NULL, *canonical = NULL, *diags = NULL;
        size_t n;

        ck_assert_int_eq(test_run(typos, &out, &err), 1);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path("tests/fixtures/config/typos.diags"),
                                           1 << 16, &diags, &n),
                         0);
        /* The fixture's lines, each prefixed with the path as given. */
        for (char *line = strtok(diags, "\n"); line; line = strtok(NULL, "\n")) {
                char want[512];

                snprintf(want, sizeof(want), "tests/fixtures/config/%s\n", line);
                ck_assert_msg(strstr(err, want), "missing '%s' in:\n%s", want, err);
        }
        ck_assert_ptr_nonnull(strstr(err, "invalid configuration"));
        ck_assert_ptr_null(strstr(out, "valid, 0 invalid policies")); /* stopped before */

        ck_assert_int_eq(test_run(print, &out2, &err2), 0);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD,
                                           test_path("tests/fixtures/config/full.canonical.yaml"),
                                           1 << 16, &canonical, &n),
                         0);
        ck_assert_str_eq(out2, canonical);

        ck_assert_int_eq(test_run(missing, &out3, &err3), 1);
        ck_assert_ptr_nonnull(strstr(err3, "/nonexistent/h.yaml"));
}
END_TEST

/* A directory without policies protects nothing: --check says so; a stray
 * argument is refused rather than taken for something. */
START_TEST(test_daemon_nothing_to_protect)
{
        const char *empty[] = {"build/hardend", "--check", "--profiles", "tests/fixtures", NULL};
        const char *stray[] = {"build/hardend", "profiles", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

        ck_assert_int_eq(test_run(empty, &out, &err), 1);
        ck_assert_ptr_nonnull(strstr(err, "no <service>.yaml policy in 'tests/fixtures'"));
        ck_assert_int_eq(test_run(stray, &out2, &err2), 2);
        ck_assert_ptr_nonnull(strstr(err2, "unexpected argument 'profiles'"));
}
END_TEST

static int check_member(const char *name, void *userdata)
{
        size_t *count = userdata;

        ck_assert_msg(syscall_name_known(name, POLICY_ARCH_ALL), "'%s' unknown to libseccomp",
                      name);
        (*count)++;
        return 0;
}

/* Every member of every group is a syscall libseccomp knows (or an existing
 * group), so a typo in the table cannot silently allow nothing. */
START_TEST(test_groups_resolve)
{
        size_t n, total = 0;
        const struct syscall_group *g = syscall_groups_all(&n);

        for (size_t i = 0; i < n; i++) {
                size_t count = 0;

                if (i > 0)
                        ck_assert_msg(strcmp(g[i - 1].name, g[i].name) < 0, "groups not sorted");
                ck_assert_int_eq(syscall_group_expand(&g[i], check_member, &count), 0);
                ck_assert_uint_gt(count, 0);
                total += count;
        }
        ck_assert_uint_gt(total, 300);
        ck_assert(!syscall_name_known("opne", POLICY_ARCH_ALL));
        /* open exists on x86_64, not on aarch64. */
        ck_assert(syscall_name_known("open", POLICY_ARCH_X86_64));
}
END_TEST

START_TEST(test_names)
{
        char buf[64];
        size_t n;

        ck_assert_int_eq(capability_from_name("NET_ADMIN"), 12);
        ck_assert_int_eq(capability_from_name("cap_net_admin"), 12);
        ck_assert_int_eq(capability_from_name("CAP_NET_ADMIN"), 12);
        ck_assert_int_eq(capability_from_name("net admin"), -EINVAL);
        ck_assert_str_eq(capability_to_name(21, buf, sizeof(buf)), "SYS_ADMIN");
        capability_names_all(&n);
        ck_assert_uint_ge(n, 41);
        ck_assert_int_eq(errno_from_name("ENOSYS"), ENOSYS);
        ck_assert_int_eq(errno_from_name("ENOPE"), -EINVAL);
        ck_assert_str_eq(errno_to_name(EPERM), "EPERM");
        syscall_names_all(&n);
        ck_assert_uint_gt(n, 400);
}
END_TEST

static Suite *cli_validate_suite(void)
{
        Suite *s = suite_create("cli-validate");
        TCase *tc = tcase_create("cli");

        tcase_add_test(tc, test_shipped_profiles_valid);
        tcase_add_test(tc, test_invalid_reports_every_problem);
        tcase_add_test(tc, test_mixed_valid_and_invalid);
        tcase_add_test(tc, test_print_is_canonical);
        tcase_add_loop_test(tc, test_usage, 0, ELEMENTSOF(usage_cases));
        tcase_add_test(tc, test_groups_verb);
        tcase_add_test(tc, test_daemon_check);
        tcase_add_test(tc, test_daemon_nothing_to_protect);
        tcase_add_test(tc, test_daemon_config);
        tcase_add_test(tc, test_groups_resolve);
        tcase_add_test(tc, test_names);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(cli_validate_suite)
