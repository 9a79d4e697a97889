/* SPDX-License-Identifier: MIT */
/* Golden files: every shipped profile (profiles/NAME.yaml) and every
 * seccomp test policy (tests/golden/sc-NAME.yaml), in both modes, through the real
 * CLI (hardenctl generate, on one thread and on five), compared byte for byte with
 * tests/golden/<case>.<mode>.seccomp.json, .pfc and .systemd.conf.
 * `make update-golden` (tools/update-golden-seccomp.sh) refreshes them. */
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "testing.h"

#define GOLDEN_MAX (4u * 1024u * 1024u)

static size_t first_difference(const char *a, size_t na, const char *b, size_t nb,
                               unsigned *ret_line)
{
        size_t i = 0;
        unsigned line = 1;

        while (i < na && i < nb && a[i] == b[i]) {
                if (a[i] == '\n')
                        line++;
                i++;
        }
        *ret_line = line;
        return i;
}

static void compare(const char *golden, const char *produced)
{
        _cleanup_free_ char *want = NULL, *got = NULL;
        size_t nw, ng;
        unsigned line;

        ck_assert_msg(read_file_bounded(AT_FDCWD, golden, GOLDEN_MAX, &want, &nw) == 0,
                      "%s is missing: run `make update-golden` and review the diff", golden);
        ck_assert_msg(read_file_bounded(AT_FDCWD, produced, GOLDEN_MAX, &got, &ng) == 0,
                      "hardenctl generate did not write %s", produced);
        if (nw == ng && memcmp(want, got, nw) == 0)
                return;
        first_difference(want, nw, got, ng, &line);
        ck_abort_msg("%s differs from the generated file from line %u on (run `make "
                     "update-golden` and review the diff if the change is intended)",
                     golden, line);
}

static void check_case(const char *policy, const char *mode, const char *threads)
{
        char dir[] = "/tmp/hardend-golden-XXXXXX";
        char name[256], base[256], golden[4096], produced[4096];
        _cleanup_free_ char *out = NULL, *err = NULL;
        const char *argv[] = {
            "build/hardenctl", "generate", "--runtime-flags", "no", "--mode", mode,
            "--threads",       threads,    "--out",           dir,  policy,   NULL};
        static const struct {
                const char *generated;
                const char *golden;
        } files[] = {
            {".seccomp.json", ".seccomp.json"},
            {".pfc", ".pfc"},
            {".service.d/hardend.conf", ".systemd.conf"},
        };

        snprintf(base, sizeof(base), "%s", policy);
        snprintf(name, sizeof(name), "%s", basename(base));
        *strrchr(name, '.') = '\0';
        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_msg(test_run(argv, &out, &err) == 0, "generate %s --mode %s --threads %s: %s",
                      policy, mode, threads, err);
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                snprintf(golden, sizeof(golden), "%s/tests/golden/%s.%s%s", test_srcdir(), name,
                         mode, files[i].golden);
                snprintf(produced, sizeof(produced), "%s/%s%s", dir, name, files[i].generated);
                compare(golden, produced);
        }
        {
                const char *rm[] = {"/bin/rm", "-rf", dir, NULL};

                ck_assert_int_eq(test_run(rm, NULL, NULL), 0);
        }
}

static glob_t cases;

static void collect(void)
{
        char pattern[4096];

        if (cases.gl_pathc > 0)
                return;
        snprintf(pattern, sizeof(pattern), "%s/profiles/*.yaml", test_srcdir());
        ck_assert_int_eq(glob(pattern, 0, NULL, &cases), 0);
        snprintf(pattern, sizeof(pattern), "%s/tests/golden/sc-*.yaml", test_srcdir());
        ck_assert_int_eq(glob(pattern, GLOB_APPEND, NULL, &cases), 0);
}

START_TEST(test_golden)
{
        collect();
        /* The shipped three and at least the four seccomp test policies. */
        ck_assert_uint_ge(cases.gl_pathc, 7);
        /* All on one thread, and on more threads than architectures (the
         * bytes must not depend on which thread built what). */
        for (size_t i = 0; i < cases.gl_pathc; i++) {
                check_case(cases.gl_pathv[i], "monitor", "1");
                check_case(cases.gl_pathv[i], "enforce", "1");
                check_case(cases.gl_pathv[i], "monitor", "5");
                check_case(cases.gl_pathv[i], "enforce", "5");
        }
}
END_TEST

/* Every golden file belongs to a case: a renamed policy leaves none
 * behind. */
START_TEST(test_no_stale_golden)
{
        char pattern[4096];
        glob_t files = {0};

        collect();
        snprintf(pattern, sizeof(pattern), "%s/tests/golden/*.pfc", test_srcdir());
        if (glob(pattern, 0, NULL, &files) != 0)
                return;
        for (size_t i = 0; i < files.gl_pathc; i++) {
                char *file = basename(files.gl_pathv[i]);
                size_t n = strcspn(file, ".");
                bool found = false;

                for (size_t k = 0; k < cases.gl_pathc && !found; k++) {
                        char copy[4096];
                        char *c;

                        snprintf(copy, sizeof(copy), "%s", cases.gl_pathv[k]);
                        c = basename(copy);
                        found = strncmp(c, file, n) == 0 && strcmp(c + n, ".yaml") == 0;
                }
                ck_assert_msg(found, "tests/golden/%s belongs to no case", file);
        }
        globfree(&files);
}
END_TEST

static Suite *seccomp_golden_suite(void)
{
        Suite *s = suite_create("seccomp-golden");
        TCase *tc = tcase_create("golden");

        tcase_add_test(tc, test_golden);
        tcase_add_test(tc, test_no_stale_golden);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_golden_suite)
