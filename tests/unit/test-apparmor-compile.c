/* SPDX-License-Identifier: MIT */
/* Running apparmor_parser: its error output parsed into a message and a
 * line (a table of real and malformed outputs), real compiles with the real
 * parser, and every bound (timeout, output size, crash, exec failure) with
 * test doubles under tests/fixtures/apparmor/fake-parser/. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apparmor/apparmor-compile.h"
#include "base/fileio.h"
#include "policy/policy-load.h"
#include "testing.h"

#define IN APPARMOR_PARSER_INPUT

static const struct {
        const char *name;
        const char *text;
        int r;
        const char *message;
        unsigned line;
        const char *subject;
} messages[] = {
    {"located error in our text, after the no-kernel warning",
     "Cache read/write disabled: interface file missing. (Kernel needs AppArmor 2.4 "
     "compatibility patch.)\n"
     "AppArmor parser error for " IN " in profile " IN " at line 14: syntax error, unexpected "
     "TOK_ID, expecting TOK_MODE\n",
     0, "syntax error, unexpected TOK_ID, expecting TOK_MODE", 14, NULL},
    {"error inside an included file is not our line",
     "AppArmor parser error for " IN " in profile /etc/apparmor.d/abstractions/bad at line 1: "
     "syntax error\n",
     0, "syntax error", 0, NULL},
    {"stdin form",
     "AppArmor parser error at line 5: Conflict 'a' and 'w' perms are mutually "
     "exclusive.\n",
     0, "Conflict 'a' and 'w' perms are mutually exclusive.", 5, NULL},
    {"only our name", "AppArmor parser error for " IN " at line 3: bad\n", 0, "bad", 3, NULL},
    {"another input's name", "AppArmor parser error for /proc/self/fd/4 at line 3: bad\n", 0, "bad",
     0, NULL},
    {"our name as a prefix of another", "AppArmor parser error for " IN "0 at line 3: bad\n", 0,
     "bad", 0, NULL},
    {"regex error: message and quoted rule",
     "apparmor_parser: Regex grouping error: Invalid number of items between {}\n"
     "apparmor_parser: Unable to parse input line '/x/{a}'\n"
     "ERROR processing regexs for profile t, failed to load\n",
     0, "Regex grouping error: Invalid number of items between {}", 0, "/x/{a}"},
    {"unlocated error", "Found reference to variable foo, but is never declared\n", 0,
     "Found reference to variable foo, but is never declared", 0, NULL},
    {"no final newline", "AppArmor parser error at line 2: x", 0, "x", 2, NULL},
    {"line number too large is not a location", "AppArmor parser error at line 99999999999: x\n", 0,
     "AppArmor parser error at line 99999999999: x", 0, NULL},
    {"no ': ' after the number", "AppArmor parser error at line 12 x\n", 0,
     "AppArmor parser error at line 12 x", 0, NULL},
    {"no digits", "AppArmor parser error at line : x\n", 0, "AppArmor parser error at line : x", 0,
     NULL},
    {"control bytes are replaced", "bad\tthing\x1b[31m\n", 0, "bad?thing?[31m", 0, NULL},
    {"empty quoted rule is no subject",
     "apparmor_parser: Unable to parse input line ''\nreal error\n", 0,
     "Unable to parse input line ''", 0, NULL},
    {"only warnings", "Cache read/write disabled: interface file missing.\nWarning: x\n", -ENOMSG,
     NULL, 0, NULL},
    {"empty", "", -ENOMSG, NULL, 0, NULL},
    {"only newlines", "\n\n\n", -ENOMSG, NULL, 0, NULL},
    {"the tool prefix alone", "apparmor_parser: \n", -ENOMSG, NULL, 0, NULL},
    {"the tool prefix alone, then the error", "/sbin/apparmor_parser: \nreal error\n", 0,
     "real error", 0, NULL},
    {"a prefix only before the first space", "see apparmor_parser: x\n", 0,
     "see apparmor_parser: x", 0, NULL},
};

START_TEST(test_message_parse)
{
        struct apparmor_parser_error e = {0};
        int r;

        r = apparmor_parser_message_parse(messages[_i].text, strlen(messages[_i].text), IN, &e);
        ck_assert_msg(r == messages[_i].r, "case '%s': r=%d", messages[_i].name, r);
        if (r == 0) {
                ck_assert_str_eq(e.message, messages[_i].message);
                ck_assert_uint_eq(e.line, messages[_i].line);
                if (messages[_i].subject)
                        ck_assert_str_eq(e.subject, messages[_i].subject);
                else
                        ck_assert_ptr_null(e.subject);
        } else {
                ck_assert_ptr_null(e.message);
                ck_assert_ptr_null(e.subject);
        }
        ck_assert_ptr_null(e.output);
        apparmor_parser_error_done(&e);
}
END_TEST

START_TEST(test_message_bounds)
{
        struct apparmor_parser_error e = {0};
        size_t big = APPARMOR_PARSER_STDERR_MAX + 100;
        char *text = malloc(big);

        ck_assert_ptr_nonnull(text);
        /* One long line: the message is cut at APPARMOR_MESSAGE_MAX. */
        memset(text, 'a', big);
        ck_assert_int_eq(apparmor_parser_message_parse(text, 2000, IN, &e), 0);
        ck_assert_uint_eq(strlen(e.message), APPARMOR_MESSAGE_MAX);
        apparmor_parser_error_done(&e);
        /* Past the stderr bound nothing is looked at. */
        memset(text, '\n', big);
        memcpy(text + APPARMOR_PARSER_STDERR_MAX + 10, "late", 4);
        ck_assert_int_eq(apparmor_parser_message_parse(text, big, IN, &e), -ENOMSG);
        /* NUL bytes inside the output do not end it early. */
        memset(text, 0, 64);
        memcpy(text + 10, "\nafter nul\n", 11);
        ck_assert_int_eq(apparmor_parser_message_parse(text, 64, IN, &e), 0);
        ck_assert_str_eq(e.message, "??????????");
        apparmor_parser_error_done(&e);
        free(text);
}
END_TEST

static bool have_parser(void)
{
        return test_require(access("/usr/sbin/apparmor_parser", X_OK) == 0 ||
                                access("/sbin/apparmor_parser", X_OK) == 0,
                            "apparmor_parser (Debian package apparmor)");
}

static const char good[] = "abi <abi/3.0>,\n"
                           "include <tunables/global>\n"
                           "profile hardend-compile-test {\n"
                           "  \"/etc/hardend-test/**\" r,\n"
                           "  network inet stream,\n"
                           "}\n";

START_TEST(test_compile_real_parser)
{
        struct apparmor_parser_error e = {0};
        struct apparmor_binary bin = {0};
        static const char bad[] = "abi <abi/3.0>,\n"
                                  "include <tunables/global>\n"
                                  "profile hardend-compile-test {\n"
                                  "  \"/etc/x\" r,\n"
                                  "  bogus rule,\n"
                                  "}\n";

        if (!have_parser())
                return;
        ck_assert_int_eq(apparmor_compile(NULL, good, strlen(good), &e, NULL), 0);
        ck_assert_ptr_null(e.message);

        ck_assert_int_eq(apparmor_compile(NULL, good, strlen(good), &e, &bin), 0);
        ck_assert_uint_gt(bin.size, 100);
        ck_assert_ptr_nonnull(bin.data);
        apparmor_binary_done(&bin);
        ck_assert_ptr_null(bin.data);

        ck_assert_int_eq(apparmor_compile(NULL, bad, strlen(bad), &e, NULL), -EINVAL);
        ck_assert_uint_eq(e.line, 5);
        ck_assert_ptr_nonnull(strstr(e.message, "syntax error"));
        ck_assert_ptr_nonnull(strstr(e.output, "AppArmor parser error"));
        apparmor_parser_error_done(&e);

        /* A refused text gives no binary either. */
        ck_assert_int_eq(apparmor_compile(NULL, bad, strlen(bad), NULL, &bin), -EINVAL);
        ck_assert_ptr_null(bin.data);
}
END_TEST

/* The parser's regex errors have no line; the rule it quotes leads back to
 * the policy line anyway. The loader and the renderer both refuse this glob,
 * so it is patched into the rendered text (same length, same lines), as a
 * gap in both would let it through: the defence behind the validator. */
START_TEST(test_compile_error_names_policy_line)
{
        const char *path = test_path("tests/fixtures/apparmor/invalid-glob/bad-glob.yaml");
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        _cleanup_free_ char *text = NULL;
        struct apparmor_parser_error e = {0};
        struct diag_list d;
        size_t size;
        char *at;

        if (!have_parser())
                return;
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 1 << 16, &text, &size), 0);
        at = strstr(text, "/srv/{www}/**");
        ck_assert_ptr_nonnull(at);
        memcpy(at, "/srv/_www_/**", 13);
        ck_assert_int_eq(diag_list_init(&d, path), 0);
        ck_assert_int_eq(policy_load_buffer(text, size, AT_FDCWD, &d, &p), 0);
        diag_list_done(&d);
        ck_assert_int_eq(apparmor_render(p, POLICY_MODE_ENFORCE, NULL, &prof), 0);
        at = strstr(prof->text, "/srv/_www_/**");
        ck_assert_ptr_nonnull(at);
        memcpy(at, "/srv/{www}/**", 13);
        ck_assert_int_eq(apparmor_compile_profile(NULL, prof, &e, NULL), -EINVAL);
        ck_assert_str_eq(e.message, "Regex grouping error: Invalid number of items between {}");
        ck_assert_str_eq(e.subject, "/srv/{www}/**");
        ck_assert_uint_gt(e.line, 0);
        ck_assert_uint_eq(e.where.line, 11);
        ck_assert_uint_eq(e.where.col, 13);
        apparmor_parser_error_done(&e);
}
END_TEST

static const char *fake(const char *name)
{
        return test_path(name);
}

START_TEST(test_compile_parser_missing)
{
        struct apparmor_parser_options o = {.parser = "/nonexistent/apparmor_parser"};
        struct apparmor_parser_options noexec = {
            .parser = fake("tests/fixtures/apparmor/invalid-glob/bad-glob.yaml")};

        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, NULL), -ENOENT);
        /* Not executable at all. */
        ck_assert_int_eq(apparmor_compile(&noexec, good, strlen(good), NULL, NULL), -ENOENT);
}
END_TEST

START_TEST(test_compile_exec_failure_reported)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/not-executable")};

        /* Executable bit, but no format the kernel runs: execve's own errno
         * comes back through the close-on-exec pipe. */
        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, NULL), -ENOEXEC);
}
END_TEST

START_TEST(test_compile_timeout)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/hang"), .timeout_ms = 300};
        struct timespec a, b;

        clock_gettime(CLOCK_MONOTONIC, &a);
        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, NULL), -ETIMEDOUT);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ck_assert_int_lt(b.tv_sec - a.tv_sec, 10);
}
END_TEST

/* Closing stdout and stderr is not exiting: the timeout still holds. */
START_TEST(test_compile_linger)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/linger"), .timeout_ms = 300};
        struct timespec a, b;

        clock_gettime(CLOCK_MONOTONIC, &a);
        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, NULL), -ETIMEDOUT);
        clock_gettime(CLOCK_MONOTONIC, &b);
        ck_assert_int_lt(b.tv_sec - a.tv_sec, 10);
}
END_TEST

START_TEST(test_compile_binary_too_large)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/flood-stdout")};
        struct apparmor_binary bin = {0};

        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, &bin), -EFBIG);
        ck_assert_ptr_null(bin.data);
}
END_TEST

START_TEST(test_compile_stderr_bounded)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/flood-stderr")};
        struct apparmor_parser_error e = {0};

        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), &e, NULL), -EINVAL);
        ck_assert_uint_eq(strlen(e.output), APPARMOR_PARSER_STDERR_MAX);
        ck_assert_str_eq(e.message, "flood");
        ck_assert_uint_eq(e.line, 2);
        apparmor_parser_error_done(&e);
}
END_TEST

START_TEST(test_compile_crash)
{
        struct apparmor_parser_options o = {.parser =
                                                fake("tests/fixtures/apparmor/fake-parser/crash")};

        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), NULL, NULL), -EIO);
}
END_TEST

/* How the child is started: fixed arguments, the text on fd 3 as a path,
 * only 0-3 open, a fixed environment. */
START_TEST(test_compile_child_setup)
{
        struct apparmor_parser_options o = {
            .parser = fake("tests/fixtures/apparmor/fake-parser/show-setup"),
            .base_dir = "/etc/apparmor.d",
            .kernel_features = "/usr/share/apparmor-features/features",
        };
        struct apparmor_parser_error e = {0};
        int leak = open("/dev/null", O_RDONLY); /* not close-on-exec on purpose */

        ck_assert_int_ge(leak, 0);
        ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), &e, NULL), -EINVAL);
        close(leak);
        ck_assert_ptr_nonnull(strstr(e.output, "args: -Q -K -q --kernel-features "
                                               "/usr/share/apparmor-features/features -b "
                                               "/etc/apparmor.d /proc/self/fd/3\n"));
        /* ls itself opens one directory fd, which shows as 4 or 5. */
        ck_assert_msg(strstr(e.output, "fds: 0 1 2 3 4 \n") ||
                          strstr(e.output, "fds: 0 1 2 3 5 \n"),
                      "unexpected descriptors:\n%s", e.output);
        ck_assert_ptr_nonnull(strstr(e.output, "LC_ALL=C"));
        ck_assert_ptr_null(strstr(e.output, "HOME="));
        ck_assert_ptr_nonnull(
            strstr(e.output, "text: abi <abi/3.0>,\ninclude <tunables/global>\n"));
        apparmor_parser_error_done(&e);

        /* With a binary wanted, -S replaces -Q. */
        o.base_dir = NULL;
        o.kernel_features = NULL;
        {
                struct apparmor_binary bin = {0};

                ck_assert_int_eq(apparmor_compile(&o, good, strlen(good), &e, &bin), -EINVAL);
                ck_assert_ptr_nonnull(strstr(e.output, "args: -S -K -q /proc/self/fd/3\n"));
                ck_assert_ptr_null(bin.data);
                apparmor_parser_error_done(&e);
        }
}
END_TEST

static Suite *apparmor_compile_suite(void)
{
        Suite *s = suite_create("apparmor-compile");
        TCase *tc = tcase_create("parser-output");
        TCase *run = tcase_create("run");

        tcase_add_loop_test(tc, test_message_parse, 0, ELEMENTSOF(messages));
        tcase_add_test(tc, test_message_bounds);
        suite_add_tcase(s, tc);

        tcase_set_timeout(run, 30);
        tcase_add_test(run, test_compile_real_parser);
        tcase_add_test(run, test_compile_error_names_policy_line);
        tcase_add_test(run, test_compile_parser_missing);
        tcase_add_test(run, test_compile_exec_failure_reported);
        tcase_add_test(run, test_compile_timeout);
        tcase_add_test(run, test_compile_linger);
        tcase_add_test(run, test_compile_binary_too_large);
        tcase_add_test(run, test_compile_stderr_bounded);
        tcase_add_test(run, test_compile_crash);
        tcase_add_test(run, test_compile_child_setup);
        suite_add_tcase(s, run);
        return s;
}
TEST_SUITE(apparmor_compile_suite)
