/* SPDX-License-Identifier: MIT */
/* The base tier: strv, diagnostics, suggestions, number parsing, path
 * globs, bounded file reading and atomic writing. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/fileio.h"
#include "base/parse-util.h"
#include "base/path-glob.h"
#include "base/strv.h"
#include "base/suggest.h"
#include "testing.h"

START_TEST(test_strv)
{
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_int_eq(strv_length(l), 0);
        ck_assert_int_eq(strv_extend(&l, "a"), 0);
        ck_assert_int_eq(strv_extend(&l, "b"), 0);
        ck_assert_int_eq(strv_length(l), 2);
        ck_assert(strv_contains(l, "b"));
        ck_assert(!strv_contains(l, "c"));
}
END_TEST

START_TEST(test_diag_sorted_and_bounded)
{
        struct diag_list d;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        ck_assert_int_eq(diag_list_init(&d, "x.yaml"), 0);
        diag_add(&d, (struct loc){3, 1}, "third");
        diag_add(&d, (struct loc){1, 5}, "first");
        diag_add(&d, (struct loc){0, 0}, "whole file");
        f = open_memstream(&buf, &len);
        diag_print(&d, f);
        fclose(f);
        ck_assert_str_eq(buf, "x.yaml: whole file\nx.yaml:1:5: first\nx.yaml:3:1: third\n");
        free(buf);
        for (int i = 0; i < DIAG_MAX + 10; i++)
                diag_add(&d, (struct loc){1, 1}, "flood %d", i);
        ck_assert_uint_eq(d.n, DIAG_MAX);
        ck_assert_uint_eq(d.dropped, 13);
        ck_assert(diag_has_errors(&d));
        diag_list_done(&d);
}
END_TEST

static const struct {
        const char *a, *b;
        size_t distance;
} distances[] = {
    {"open", "open", 0}, {"opne", "open", 1},      {"bidn", "bind", 1},
    {"", "abc", 3},      {"kitten", "sitting", 3}, {"ptrace", "ptrce", 1},
};

START_TEST(test_edit_distance)
{
        ck_assert_uint_eq(edit_distance(distances[_i].a, distances[_i].b), distances[_i].distance);
}
END_TEST

START_TEST(test_suggest)
{
        const char *const words[] = {"allow", "deny", "conditions", "errno"};

        ck_assert_str_eq(suggest_closest("alow", words, 4), "allow");
        ck_assert_str_eq(suggest_closest("conditons", words, 4), "conditions");
        ck_assert_ptr_null(suggest_closest("xyzzy", words, 4));
        ck_assert_ptr_null(suggest_closest("a", words, 4));
}
END_TEST

static const struct {
        const char *s;
        uint64_t max;
        int ret;
        uint64_t value;
} numbers[] = {
    {"0", 10, 0, 0},
    {"10", 10, 0, 10},
    {"11", 10, -ERANGE, 0},
    {"010", 100, -EINVAL, 0},
    {"0", 0, 0, 0},
    {"0x10", 100, 0, 16},
    {"-1", 10, -EINVAL, 0},
    {" 1", 10, -EINVAL, 0},
    {"1 ", 10, -EINVAL, 0},
    {"", 10, -EINVAL, 0},
    {"abc", 10, -EINVAL, 0},
    {"99999999999999999999", UINT64_MAX, -ERANGE, 0},
    {"18446744073709551615", UINT64_MAX, 0, UINT64_MAX},
};

START_TEST(test_safe_atou64)
{
        uint64_t v = 12345;
        int r = safe_atou64_max(numbers[_i].s, numbers[_i].max, &v);

        ck_assert_int_eq(r, numbers[_i].ret);
        ck_assert_uint_eq(v, r == 0 ? numbers[_i].value : 12345);
}
END_TEST

static const struct {
        const char *glob;
        bool valid;
        const char *reason;
} globs[] = {
    {"/etc/**", true, NULL},
    {"/etc/{hosts,resolv.conf}", true, NULL},
    {"/dev/tty[0-9]", true, NULL},
    {"@{PROC}/@{pid}/status", true, NULL},
    {"/{usr/,}bin/**", true, NULL},
    {"", false, "path is empty"},
    {"etc/passwd", false, "path must be absolute"},
    {"/etc/{a,b", false, "unterminated alternation '{'"},
    {"/etc/a}", false, "'}' without '{'"},
    {"/etc/[ab", false, "unterminated character class '['"},
    {"/etc/[]", false, "empty character class '[]'"},
    {"/etc/a,b", false, "',' outside an alternation {a,b}"},
    {"/etc/\"x", false, "path contains a quote or backslash"},
    {"/etc/x\n/bin/sh ix", false, "path contains a control or non-ASCII byte"},
    {"/etc/../shadow", false, "path contains a '..' component"},
    {"/etc//x", false, "path contains an empty component ('//')"},
    {"/a/***", false, "'***' is not a glob (use '**')"},
    {"@{FOO}/x", false, "unknown variable (known: @{PROC} @{HOME} @{pid} @{tid} @{run} @{sys})"},
    {"/x]", false, "']' without '['"},
    /* apparmor_parser refuses these; found by compiling rendered globs. */
    {"/etc/{a}", false, "an alternation needs at least two alternatives: {a,b}"},
    {"/etc/{{{{a,b}}}}", false, "an alternation needs at least two alternatives: {a,b}"},
    {"/etc/{a,{b,c}}", true, NULL},
    {"/dev/tty[a-]", false, "character class ends in a range without end"},
    {"/dev/tty[-a]", true, NULL},
    /* Found by the fuzzer: '@' as the last byte. */
    {"/x@", false, "'@' must start a variable such as @{PROC}"},
    {"/x@{", false, "'@' must start a variable such as @{PROC}"},
    {"/x@{pid", false, "'@' must start a variable such as @{PROC}"},
};

START_TEST(test_path_glob)
{
        const char *reason = NULL;
        int r = path_glob_validate(globs[_i].glob, &reason);

        ck_assert_msg((r == 0) == globs[_i].valid, "glob '%s'", globs[_i].glob);
        if (!globs[_i].valid)
                ck_assert_str_eq(reason, globs[_i].reason);
}
END_TEST

START_TEST(test_path_plain)
{
        const char *reason;

        ck_assert_int_eq(path_plain_validate("/run/docker.sock", &reason), 0);
        ck_assert_int_eq(path_plain_validate("/run/*.sock", &reason), -EINVAL);
        ck_assert_str_eq(reason, "glob characters are not allowed here");
        ck_assert_int_eq(path_plain_validate("@{PROC}/x", &reason), -EINVAL);
}
END_TEST

START_TEST(test_read_file_bounded)
{
        char dir[] = "/tmp/hardend-test-XXXXXX";
        _cleanup_close_ int dfd = -1;
        char *data = NULL;
        size_t size = 0;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dfd, 0);
        ck_assert_int_eq(write_file_atomic(dfd, "f", "hello", 5, 0640), 0);
        ck_assert_int_eq(read_file_bounded(dfd, "f", 5, &data, &size), 0);
        ck_assert_str_eq(data, "hello");
        ck_assert_uint_eq(size, 5);
        free(data);
        data = NULL;
        ck_assert_int_eq(read_file_bounded(dfd, "f", 4, &data, &size), -EFBIG);
        ck_assert_ptr_null(data);
        ck_assert_int_eq(read_file_bounded(dfd, "missing", 4, &data, &size), -ENOENT);
        ck_assert_int_eq(read_file_bounded(dfd, ".", 4, &data, &size), -EISDIR);
        /* /proc files report size 0 and are still read. */
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, "/proc/self/stat", 4096, &data, &size), 0);
        ck_assert_uint_gt(size, 10);
        free(data);

        struct stat st;
        ck_assert_int_eq(fstatat(dfd, "f", &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0640);
        ck_assert_int_eq(unlinkat(dfd, "f", 0), 0);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_opendir_at)
{
        _cleanup_close_ int root = open(test_srcdir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_(closedirp) DIR *d = NULL;
        DIR *none = NULL;
        struct dirent *de;
        bool found = false;

        ck_assert_int_ge(root, 0);
        ck_assert_int_eq(opendir_at(root, "profiles", &d), 0);
        while ((de = readdir(d)))
                found = found || strcmp(de->d_name, "api.yaml") == 0;
        ck_assert(found);
        ck_assert_int_eq(opendir_at(root, "Makefile", &none), -ENOTDIR);
        ck_assert_int_eq(opendir_at(root, "no-such-dir", &none), -ENOENT);
        ck_assert_ptr_null(none);
}
END_TEST

static Suite *base_suite(void)
{
        Suite *s = suite_create("base");
        TCase *tc = tcase_create("base");

        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_diag_sorted_and_bounded);
        tcase_add_loop_test(tc, test_edit_distance, 0, ELEMENTSOF(distances));
        tcase_add_test(tc, test_suggest);
        tcase_add_loop_test(tc, test_safe_atou64, 0, ELEMENTSOF(numbers));
        tcase_add_loop_test(tc, test_path_glob, 0, ELEMENTSOF(globs));
        tcase_add_test(tc, test_path_plain);
        tcase_add_test(tc, test_read_file_bounded);
        tcase_add_test(tc, test_opendir_at);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(base_suite)
