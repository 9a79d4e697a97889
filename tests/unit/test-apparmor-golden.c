/* SPDX-License-Identifier: MIT */
/* Golden files: every shipped profile and every AppArmor test policy
 * (tests/golden/aa-*.yaml), rendered in both modes, must equal
 * tests/golden/<case>.<mode>.apparmor byte for byte, and must compile with
 * the real apparmor_parser (-Q -K, no kernel needed). Regenerate with
 * tools/update-golden-apparmor.sh after an intended change. */
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-render.h"
#include "base/fileio.h"
#include "policy/policy-load.h"
#include "testing.h"

static const struct {
        const char *dir;
        const char *name;
} cases[] = {
    {"profiles", "api"},          {"profiles", "frontend"},       {"profiles", "worker"},
    {"profiles", "hardend"},      {"tests/golden", "aa-allcaps"}, {"tests/golden", "aa-full"},
    {"tests/golden", "aa-globs"}, {"tests/golden", "aa-minimal"},
};

static const enum policy_mode modes[] = {POLICY_MODE_MONITOR, POLICY_MODE_ENFORCE};

#define N_RUNS (ELEMENTSOF(cases) * ELEMENTSOF(modes))

static struct apparmor_profile *render_case(size_t i, enum policy_mode mode)
{
        _cleanup_free_ char *path = NULL;
        _cleanup_policy_ struct policy *p = NULL;
        struct apparmor_profile *prof = NULL;
        struct diag_list d;

        ck_assert_int_ge(asprintf(&path, "%s/%s.yaml", test_path(cases[i].dir), cases[i].name), 0);
        ck_assert_int_eq(diag_list_init(&d, path), 0);
        if (policy_load_file(path, &d, &p) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("%s does not load", path);
        }
        if (apparmor_render(p, mode, &d, &prof) < 0) {
                diag_print(&d, stderr);
                ck_abort_msg("%s does not render", path);
        }
        diag_list_done(&d);
        return prof;
}

/* First line where a and b differ, for a readable failure. */
static unsigned first_difference(const char *a, const char *b)
{
        unsigned line = 1;

        for (; *a && *a == *b; a++, b++)
                if (*a == '\n')
                        line++;
        return line;
}

START_TEST(test_golden_matches)
{
        size_t c = (size_t)_i / ELEMENTSOF(modes);
        enum policy_mode mode = modes[(size_t)_i % ELEMENTSOF(modes)];
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = render_case(c, mode);
        _cleanup_free_ char *golden = NULL, *rel = NULL;
        size_t size;
        int r;

        ck_assert_int_ge(asprintf(&rel, "tests/golden/%s.%s.apparmor", cases[c].name,
                                  policy_mode_to_string(mode)),
                         0);
        r = read_file_bounded(AT_FDCWD, test_path(rel), 1024 * 1024, &golden, &size);
        ck_assert_msg(r == 0, "%s: cannot read (%s); run tools/update-golden-apparmor.sh", rel,
                      strerror(-r));
        if (size != prof->size || memcmp(golden, prof->text, size) != 0)
                ck_abort_msg("%s differs from the rendered profile at line %u; if the change is "
                             "intended, run tools/update-golden-apparmor.sh and review the diff\n"
                             "--- rendered:\n%s",
                             rel, first_difference(golden, prof->text), prof->text);
}
END_TEST

START_TEST(test_parser_accepts)
{
        size_t c = (size_t)_i / ELEMENTSOF(modes);
        enum policy_mode mode = modes[(size_t)_i % ELEMENTSOF(modes)];
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = render_case(c, mode);
        struct apparmor_parser_error e = {0};
        int r;

        if (!test_require(access("/usr/sbin/apparmor_parser", X_OK) == 0 ||
                              access("/sbin/apparmor_parser", X_OK) == 0,
                          "apparmor_parser (Debian package apparmor)"))
                return;
        r = apparmor_compile_profile(NULL, prof, &e, NULL);
        if (r == -EINVAL)
                ck_abort_msg("apparmor_parser -Q -K refuses %s (%s mode): line %u (policy line "
                             "%u): %s\n%s",
                             prof->name, policy_mode_to_string(mode), e.line, e.where.line,
                             e.message, e.output);
        ck_assert_int_eq(r, 0);
}
END_TEST

static bool in_cases(const char *dir, const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                if (strcmp(cases[i].dir, dir) == 0 && strcmp(cases[i].name, name) == 0)
                        return true;
        return false;
}

/* Files in dir matching pattern, each checked by fn. Returns the count. */
static size_t each_file(const char *dir, const char *pattern, void (*fn)(const char *file))
{
        DIR *d = opendir(test_path(dir));
        struct dirent *de;
        size_t n = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d)))
                if (fnmatch(pattern, de->d_name, 0) == 0) {
                        fn(de->d_name);
                        n++;
                }
        closedir(d);
        return n;
}

static void policy_has_case_profiles(const char *file)
{
        _cleanup_free_ char *name = strndup(file, strlen(file) - strlen(".yaml"));

        ck_assert_msg(in_cases("profiles", name), "profiles/%s has no golden case", file);
}

static void policy_has_case_golden(const char *file)
{
        _cleanup_free_ char *name = strndup(file, strlen(file) - strlen(".yaml"));

        ck_assert_msg(in_cases("tests/golden", name), "tests/golden/%s has no golden case", file);
}

static void golden_has_case(const char *file)
{
        _cleanup_free_ char *name = strdup(file);
        char *dot = strchr(name, '.');

        ck_assert_ptr_nonnull(dot);
        *dot = '\0';
        ck_assert_msg(in_cases("profiles", name) || in_cases("tests/golden", name),
                      "tests/golden/%s belongs to no case: stale?", file);
}

/* The table above is complete and nothing stale is left in tests/golden. */
START_TEST(test_cases_complete)
{
        ck_assert_uint_ge(each_file("profiles", "*.yaml", policy_has_case_profiles), 1);
        ck_assert_uint_ge(each_file("tests/golden", "aa-*.yaml", policy_has_case_golden), 4);
        ck_assert_uint_eq(each_file("tests/golden", "*.monitor.apparmor", golden_has_case),
                          ELEMENTSOF(cases));
        ck_assert_uint_eq(each_file("tests/golden", "*.enforce.apparmor", golden_has_case),
                          ELEMENTSOF(cases));
}
END_TEST

static Suite *apparmor_golden_suite(void)
{
        Suite *s = suite_create("apparmor-golden");
        TCase *tc = tcase_create("golden");
        TCase *parser = tcase_create("apparmor_parser");

        tcase_add_loop_test(tc, test_golden_matches, 0, (int)N_RUNS);
        tcase_add_test(tc, test_cases_complete);
        suite_add_tcase(s, tc);
        tcase_set_timeout(parser, 60);
        tcase_add_loop_test(parser, test_parser_accepts, 0, (int)N_RUNS);
        suite_add_tcase(s, parser);
        return s;
}
TEST_SUITE(apparmor_golden_suite)
