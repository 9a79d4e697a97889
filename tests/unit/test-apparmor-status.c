/* SPDX-License-Identifier: MIT */
/* Parsing what the kernel says is loaded (apparmorfs' profiles file) and
 * how a process is confined (attr/apparmor/current): tables of valid and
 * malformed inputs, every bound, and the fd-based readers over fixture
 * trees (tests/fixtures/apparmor/securityfs, .../proc). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-kernel.h"
#include "apparmor/apparmor-status.h"
#include "testing.h"

struct want_entry {
        const char *name;
        enum apparmor_profile_mode mode;
        const char *mode_name;
};

static const struct {
        const char *name;
        const char *text;
        size_t n;
        struct want_entry e[4];
} valid_lists[] = {
    {"empty", "", 0, {{0}}},
    {"kernel output",
     "hardend-worker (enforce)\nhardend-api (complain)\n/usr/sbin/ntpd (kill)\n",
     3,
     {{"hardend-worker", APPARMOR_PROFILE_ENFORCE, "enforce"},
      {"hardend-api", APPARMOR_PROFILE_COMPLAIN, "complain"},
      {"/usr/sbin/ntpd", APPARMOR_PROFILE_KILL, "kill"}}},
    {"no final newline", "a (enforce)", 1, {{"a", APPARMOR_PROFILE_ENFORCE, "enforce"}}},
    {"name with spaces and parentheses",
     "my app (v2) (complain)\n",
     1,
     {{"my app (v2)", APPARMOR_PROFILE_COMPLAIN, "complain"}}},
    {"child profile and namespace",
     ":ns:/usr/bin/x//child (unconfined)\nx (user)\ny (mixed)\n",
     3,
     {{":ns:/usr/bin/x//child", APPARMOR_PROFILE_UNCONFINED, "unconfined"},
      {"x", APPARMOR_PROFILE_USER, "user"},
      {"y", APPARMOR_PROFILE_MIXED, "mixed"}}},
    {"unknown mode word is kept", "a (prompt)\n", 1, {{"a", APPARMOR_PROFILE_OTHER, "prompt"}}},
    {"UTF-8 in a name",
     "caf\xc3\xa9 (enforce)\n",
     1,
     {{"caf\xc3\xa9", APPARMOR_PROFILE_ENFORCE, "enforce"}}},
};

START_TEST(test_profiles_parse_valid)
{
        struct apparmor_loaded_list l = {0};
        const char *t = valid_lists[_i].text;

        ck_assert_int_eq(apparmor_profiles_parse(t, strlen(t), &l), 0);
        ck_assert_uint_eq(l.n, valid_lists[_i].n);
        for (size_t i = 0; i < l.n; i++) {
                ck_assert_str_eq(l.items[i].name, valid_lists[_i].e[i].name);
                ck_assert_int_eq(l.items[i].mode, valid_lists[_i].e[i].mode);
                ck_assert_str_eq(l.items[i].mode_name, valid_lists[_i].e[i].mode_name);
        }
        if (l.n > 0)
                ck_assert_ptr_eq(apparmor_loaded_find(&l, valid_lists[_i].e[0].name), &l.items[0]);
        ck_assert_ptr_null(apparmor_loaded_find(&l, "no-such-profile"));
        apparmor_loaded_list_done(&l);
}
END_TEST

static const struct {
        const char *name;
        const char *text;
        size_t size; /* 0: strlen */
        int r;
} invalid_lists[] = {
    {"empty line", "a (enforce)\n\nb (enforce)\n", 0, -EBADMSG},
    {"a lone newline", "\n", 0, -EBADMSG},
    {"no mode", "hardend-api\n", 0, -EBADMSG},
    {"no space before the mode", "a(enforce)\n", 0, -EBADMSG},
    {"empty name", " (enforce)\n", 0, -EBADMSG},
    {"empty mode", "a ()\n", 0, -EBADMSG},
    {"upper-case mode", "a (Enforce)\n", 0, -EBADMSG},
    {"mode too long", "a (enforceenforceenforce)\n", 0, -EBADMSG},
    {"mode with a space", "a (en force)\n", 0, -EBADMSG},
    {"text after the mode", "a (enforce) x\n", 0, -EBADMSG},
    {"carriage return", "a (enforce)\r\n", 0, -EBADMSG},
    {"control byte in a name", "a\x01 (enforce)\n", 0, -EBADMSG},
    {"NUL in a name", "a\0b (enforce)\n", 14, -EBADMSG},
    {"DEL in a name", "a\x7f (enforce)\n", 0, -EBADMSG},
    {"second line bad", "a (enforce)\nb\n", 0, -EBADMSG},
};

START_TEST(test_profiles_parse_invalid)
{
        struct apparmor_loaded_list l = {0};
        const char *t = invalid_lists[_i].text;
        size_t size = invalid_lists[_i].size ? invalid_lists[_i].size : strlen(t);

        ck_assert_msg(apparmor_profiles_parse(t, size, &l) == invalid_lists[_i].r,
                      "case '%s' was accepted", invalid_lists[_i].name);
        ck_assert_ptr_null(l.items);
        ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(test_profiles_parse_bounds)
{
        struct apparmor_loaded_list l = {0};
        size_t line = strlen("a (enforce)\n"), n = APPARMOR_PROFILES_MAX;
        char *buf = malloc(APPARMOR_PROFILES_MAX_BYTES + 2);
        char *name_line;

        ck_assert_ptr_nonnull(buf);
        /* Exactly the maximum number of entries, then one more. */
        for (size_t i = 0; i <= n; i++)
                memcpy(buf + i * line, "a (enforce)\n", line);
        ck_assert_int_eq(apparmor_profiles_parse(buf, n * line, &l), 0);
        ck_assert_uint_eq(l.n, n);
        apparmor_loaded_list_done(&l);
        ck_assert_int_eq(apparmor_profiles_parse(buf, (n + 1) * line, &l), -E2BIG);
        ck_assert_ptr_null(l.items);

        /* More bytes than the file may have, whatever they are. */
        memset(buf, 'a', APPARMOR_PROFILES_MAX_BYTES + 1);
        ck_assert_int_eq(apparmor_profiles_parse(buf, APPARMOR_PROFILES_MAX_BYTES + 1, &l), -E2BIG);

        /* A name of exactly APPARMOR_STATUS_LABEL_MAX bytes, then one more. */
        name_line = malloc(APPARMOR_STATUS_LABEL_MAX + 32);
        ck_assert_ptr_nonnull(name_line);
        memset(name_line, 'n', APPARMOR_STATUS_LABEL_MAX);
        strcpy(name_line + APPARMOR_STATUS_LABEL_MAX, " (enforce)\n");
        ck_assert_int_eq(apparmor_profiles_parse(name_line, strlen(name_line), &l), 0);
        ck_assert_uint_eq(strlen(l.items[0].name), APPARMOR_STATUS_LABEL_MAX);
        apparmor_loaded_list_done(&l);
        memset(name_line, 'n', APPARMOR_STATUS_LABEL_MAX + 1);
        strcpy(name_line + APPARMOR_STATUS_LABEL_MAX + 1, " (enforce)\n");
        ck_assert_int_eq(apparmor_profiles_parse(name_line, strlen(name_line), &l), -EBADMSG);
        free(name_line);
        free(buf);
}
END_TEST

static const struct {
        const char *name;
        const char *text;
        size_t size; /* 0: strlen */
        int r;
        const char *label;
        enum apparmor_profile_mode mode;
} currents[] = {
    {"confined", "hardend-api (complain)\n", 0, 0, "hardend-api", APPARMOR_PROFILE_COMPLAIN},
    {"enforce, no newline", "hardend-api (enforce)", 0, 0, "hardend-api", APPARMOR_PROFILE_ENFORCE},
    {"unconfined", "unconfined\n", 0, 0, "unconfined", APPARMOR_PROFILE_UNCONFINED},
    {"NUL padding", "unconfined\n\0\0", 13, 0, "unconfined", APPARMOR_PROFILE_UNCONFINED},
    {"stack", "a//&:ns:b (mixed)\n", 0, 0, "a//&:ns:b", APPARMOR_PROFILE_MIXED},
    {"empty", "", 0, -EBADMSG, NULL, 0},
    {"only a newline", "\n", 0, -EBADMSG, NULL, 0},
    {"name without mode", "hardend-api\n", 0, -EBADMSG, NULL, 0},
    {"two newlines", "unconfined\n\n", 0, -EBADMSG, NULL, 0},
    {"NUL inside", "hardend\0api (enforce)\n", 22, -EBADMSG, NULL, 0},
    {"bad mode", "a (ENFORCE)\n", 0, -EBADMSG, NULL, 0},
    {"control byte", "a\x1b[0m (enforce)\n", 0, -EBADMSG, NULL, 0},
};

START_TEST(test_current_parse)
{
        const char *t = currents[_i].text;
        size_t size = currents[_i].size ? currents[_i].size : strlen(t);
        enum apparmor_profile_mode mode = _APPARMOR_PROFILE_MODE_MAX;
        char *label = NULL;
        int r = apparmor_current_parse(t, size, &label, &mode);

        ck_assert_msg(r == currents[_i].r, "case '%s': r=%d", currents[_i].name, r);
        if (r == 0) {
                ck_assert_str_eq(label, currents[_i].label);
                ck_assert_int_eq(mode, currents[_i].mode);
        } else {
                ck_assert_ptr_null(label);
                ck_assert_int_eq(mode, _APPARMOR_PROFILE_MODE_MAX);
        }
        free(label);
}
END_TEST

START_TEST(test_current_parse_bounds)
{
        char *buf = malloc(APPARMOR_CURRENT_MAX_BYTES + 2);
        enum apparmor_profile_mode mode;
        char *label = NULL;

        ck_assert_ptr_nonnull(buf);
        memset(buf, '\n', APPARMOR_CURRENT_MAX_BYTES + 1);
        ck_assert_int_eq(apparmor_current_parse(buf, APPARMOR_CURRENT_MAX_BYTES + 1, &label, &mode),
                         -EBADMSG);
        memset(buf, 'x', APPARMOR_STATUS_LABEL_MAX + 1);
        strcpy(buf + APPARMOR_STATUS_LABEL_MAX + 1, " (enforce)");
        ck_assert_int_eq(apparmor_current_parse(buf, strlen(buf), &label, &mode), -EBADMSG);
        ck_assert_ptr_null(label);
        free(buf);
}
END_TEST

static int open_dir(const char *rel)
{
        int fd = open(test_path(rel), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        return fd;
}

START_TEST(test_profiles_read_fixture)
{
        _cleanup_close_ int fd = open_dir("tests/fixtures/apparmor/securityfs");
        _cleanup_close_ int not_sec = open_dir("tests/fixtures/apparmor/proc");
        struct apparmor_loaded_list l = {0};
        const struct apparmor_loaded *e;

        ck_assert_int_eq(apparmor_profiles_read(fd, &l), 0);
        ck_assert_uint_ge(l.n, 3);
        e = apparmor_loaded_find(&l, "hardend-api");
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq(e->mode, APPARMOR_PROFILE_COMPLAIN);
        e = apparmor_loaded_find(&l, "hardend-worker");
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq(e->mode, APPARMOR_PROFILE_ENFORCE);
        apparmor_loaded_list_done(&l);

        /* A securityfs without an apparmor directory: no AppArmor. */
        ck_assert_int_eq(apparmor_profiles_read(not_sec, &l), -APPARMOR_ENOTAVAIL);
}
END_TEST

static const struct {
        int pid;
        int r;
        const char *label;
        enum apparmor_profile_mode mode;
} procs[] = {
    {100, 0, "hardend-api", APPARMOR_PROFILE_COMPLAIN},
    {101, 0, "unconfined", APPARMOR_PROFILE_UNCONFINED},
    {102, 0, "hardend-worker", APPARMOR_PROFILE_ENFORCE}, /* attr/current fallback */
    {103, -EBADMSG, NULL, 0},
    {104, -APPARMOR_ENOTAVAIL, NULL, 0}, /* no attr files at all */
    {105, -EBADMSG, NULL, 0},            /* larger than any label */
    {106, 0, "hardend-api//&hardend-worker", APPARMOR_PROFILE_MIXED},
    {107, -ESRCH, NULL, 0},
    {0, -EINVAL, NULL, 0},
    {-1, -EINVAL, NULL, 0},
};

START_TEST(test_current_read_fixture)
{
        _cleanup_close_ int fd = open_dir("tests/fixtures/apparmor/proc");
        enum apparmor_profile_mode mode;
        char *label = NULL;
        int r = apparmor_current_read(fd, procs[_i].pid, &label, &mode);

        ck_assert_msg(r == procs[_i].r, "pid %d: r=%d", procs[_i].pid, r);
        if (r == 0) {
                ck_assert_str_eq(label, procs[_i].label);
                ck_assert_int_eq(mode, procs[_i].mode);
        } else
                ck_assert_ptr_null(label);
        free(label);
}
END_TEST

START_TEST(test_mode_names)
{
        for (int m = 0; m < _APPARMOR_PROFILE_MODE_MAX; m++)
                ck_assert_ptr_nonnull(apparmor_profile_mode_to_string(m));
        ck_assert_str_eq(apparmor_profile_mode_to_string(APPARMOR_PROFILE_COMPLAIN), "complain");
        ck_assert_str_eq(apparmor_profile_mode_to_string(_APPARMOR_PROFILE_MODE_MAX), "other");
}
END_TEST

static Suite *apparmor_status_suite(void)
{
        Suite *s = suite_create("apparmor-status");
        TCase *tc = tcase_create("parse");
        TCase *rd = tcase_create("read");

        tcase_add_loop_test(tc, test_profiles_parse_valid, 0, ELEMENTSOF(valid_lists));
        tcase_add_loop_test(tc, test_profiles_parse_invalid, 0, ELEMENTSOF(invalid_lists));
        tcase_add_test(tc, test_profiles_parse_bounds);
        tcase_add_loop_test(tc, test_current_parse, 0, ELEMENTSOF(currents));
        tcase_add_test(tc, test_current_parse_bounds);
        tcase_add_test(tc, test_mode_names);
        suite_add_tcase(s, tc);
        tcase_add_test(rd, test_profiles_read_fixture);
        tcase_add_loop_test(rd, test_current_read_fixture, 0, ELEMENTSOF(procs));
        suite_add_tcase(s, rd);
        return s;
}
TEST_SUITE(apparmor_status_suite)
