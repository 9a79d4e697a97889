/* SPDX-License-Identifier: MIT */
/* hardenctl check, run for real on the fixture /proc tree: options, exit
 * statuses (--fail-on), the text and JSON outputs, invalid profiles.
 * HARDEND_HARDENCTL names another binary to run (default build/hardenctl);
 * a hardenctl without the check verb in its dispatch table fails under
 * CI=true and is skipped elsewhere. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/macro.h"
#include "posture-fixture.h"
#include "testing.h"

static char root_copy[64];

static const char *hardenctl(void)
{
        const char *env = getenv("HARDEND_HARDENCTL");

        return env ? env : "build/hardenctl";
}

static bool have_check_verb(void)
{
        const char *argv[] = {hardenctl(), "--help", NULL};
        char *out = NULL;
        bool have;

        test_run(argv, &out, NULL);
        have = strstr(out, "\n  check ") != NULL;
        free(out);
        return test_require(have, "the check verb in hardenctl's dispatch table");
}

static void setup(void)
{
        if (posture_root_copy(root_copy, sizeof(root_copy)) < 0)
                fprintf(stderr, "posture-cli: cannot copy the fixture root\n");
}

static void teardown(void)
{
        posture_root_drop(-1, root_copy);
}

/* hardenctl check --proc FIXTURE --root COPY --profiles profiles EXTRA... */
static int check(const char *const *extra, char **out, char **err)
{
        const char *argv[32] = {hardenctl(), "check",   "--proc",     "tests/fixtures/proc/host",
                                "--root",    root_copy, "--profiles", "profiles"};
        size_t n = 8;

        for (size_t i = 0; extra[i]; i++)
                argv[n++] = extra[i];
        argv[n] = NULL;
        return test_run(argv, out, err);
}

START_TEST(test_check_text)
{
        static const char *const none[] = {NULL};
        char *out = NULL, *err = NULL;

        if (!have_check_verb())
                return;
        /* Findings at high and above: exit 1. */
        ck_assert_int_eq(check(none, &out, &err), 1);
        ck_assert_ptr_nonnull(strstr(out, "docker:d0c4d0c4d0c4 web-1: service frontend "
                                          "(container-name web-1), pid 100 \"nginx\" and 2 more, "
                                          "exposure 10.0/10 (unsafe)\n"));
        ck_assert_ptr_nonnull(strstr(out, "  critical  runtime-socket     container runtime socket "
                                          "/run/docker.sock is reachable at /var/run/docker.sock "
                                          "(pid 100)\n"));
        /* A hostile comm is printed escaped, on one line. */
        ck_assert_ptr_nonnull(strstr(out, "pid 400 \"a) (b\\nc\""));
        ck_assert_ptr_nonnull(strstr(out, "\n6 workloads checked (4 against a service policy, 2 "
                                          "against the baseline): "));
        ck_assert_ptr_nonnull(strstr(err, "is not a procfs: seccomp filters are not read back"));
        free(out);
        free(err);
}
END_TEST

static const struct {
        const char *args[4];
        int status;
        const char *first_line; /* prefix of stdout, or NULL */
} cases[] = {
    {{"--fail-on", "none"}, 0, NULL},
    {{"--fail-on", "critical"}, 1, NULL},
    {{"--fail-on", "bogus"}, 2, NULL},
    {{"--service", "api"}, 1, "containerd:c0dec0dec0de shop/api-7d9f/api: service api"},
    {{"--service", "nosuch"}, 2, NULL},
    {{"--pid", "200", "--fail-on", "high"}, 0, "containerd:c0dec0dec0de"},
    {{"--pid", "101"}, 1, "docker:d0c4d0c4d0c4 web-1"}, /* the workload of any of its pids */
    {{"--pid", "99999"}, 3, NULL},
    {{"--pid", "320"}, 0, ""}, /* a shell on the host: nothing to check */
    {{"--pid", "700"}, 0, ""}, /* podman's conmon: a monitor, not a workload */
    {{"--pid", "1"}, 0, ""},   /* init.scope: no policy matches it */
    {{"--pid", "x"}, 2, NULL},
    {{"extra-argument"}, 2, NULL},
};

START_TEST(test_check_options)
{
        char *out = NULL, *err = NULL;
        int status;

        if (!have_check_verb())
                return;
        status = check(cases[_i].args, &out, &err);
        ck_assert_msg(status == cases[_i].status, "case %d: exit %d: %s", _i, status, err);
        if (cases[_i].first_line && !cases[_i].first_line[0]) {
                /* Nothing checked: no output but a note. */
                ck_assert_str_eq(out, "");
                ck_assert_ptr_nonnull(strstr(err, "nothing to check"));
        } else if (cases[_i].first_line)
                ck_assert_msg(strncmp(out, cases[_i].first_line, strlen(cases[_i].first_line)) == 0,
                              "case %d: %s", _i, out);
        free(out);
        free(err);
}
END_TEST

START_TEST(test_check_json)
{
        static const char *const args[] = {"--json", "--fail-on", "medium", NULL};
        char *out = NULL, *err = NULL;
        json_error_t jerr;
        json_t *doc, *w, *f;

        if (!have_check_verb())
                return;
        ck_assert_int_eq(check(args, &out, &err), 1);
        doc = json_loads(out, 0, &jerr);
        ck_assert_msg(doc != NULL, "%s", jerr.text);
        ck_assert_int_eq(
            json_integer_value(json_object_get(json_object_get(doc, "summary"), "workloads")), 6);
        ck_assert(json_is_true(json_object_get(json_object_get(doc, "summary"), "failed")));
        ck_assert_str_eq(
            json_string_value(json_object_get(json_object_get(doc, "summary"), "fail_on")),
            "medium");
        ck_assert_int_eq(
            json_integer_value(json_object_get(json_object_get(doc, "host"), "cap_last_cap")), 40);
        w = json_array_get(json_object_get(doc, "workloads"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(w, "ref")), "containerd:c0dec0dec0de");
        ck_assert_str_eq(json_string_value(json_object_get(w, "service")), "api");
        ck_assert_str_eq(
            json_string_value(json_object_get(json_object_get(w, "kubernetes"), "pod")),
            "api-7d9f");
        ck_assert(json_is_true(json_object_get(json_object_get(w, "oci_state"), "init_verified")));
        f = json_array_get(json_object_get(w, "findings"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(f, "check")), "apparmor");
        ck_assert_str_eq(json_string_value(json_object_get(f, "severity")), "medium");
        ck_assert_int_eq(json_integer_value(json_object_get(f, "pid")), 200);
        /* comm and paths from /proc stay escaped ASCII in JSON */
        w = json_array_get(json_object_get(doc, "workloads"), 1);
        f = json_array_get(json_object_get(w, "findings"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(f, "subject")), "/ho\\nst");
        json_decref(doc);
        free(out);
        free(err);
}
END_TEST

START_TEST(test_check_invalid_profiles)
{
        const char *argv[] = {hardenctl(), "check",   "--proc",     "tests/fixtures/proc/host",
                              "--root",    root_copy, "--profiles", "tests/fixtures/profiles-mixed",
                              NULL};
        char *out = NULL, *err = NULL;

        if (!have_check_verb())
                return;
        /* The valid profile is used, the broken one reported: exit 3. */
        ck_assert_int_eq(test_run(argv, &out, &err), 3);
        ck_assert_ptr_nonnull(strstr(err, "broken.yaml:5:10: errno must be"));
        ck_assert_ptr_nonnull(strstr(out, "service api"));
        free(out);
        free(err);
}
END_TEST

static Suite *posture_cli_suite(void)
{
        Suite *s = suite_create("posture-cli");
        TCase *tc = tcase_create("check");

        tcase_add_unchecked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_check_text);
        tcase_add_loop_test(tc, test_check_options, 0, (int)ELEMENTSOF(cases));
        tcase_add_test(tc, test_check_json);
        tcase_add_test(tc, test_check_invalid_profiles);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(posture_cli_suite)
