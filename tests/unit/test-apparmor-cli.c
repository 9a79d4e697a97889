/* SPDX-License-Identifier: MIT */
/* hardenctl apparmor, run for real: render equals the golden files, --out
 * writes them, compile runs apparmor_parser and locates its errors in the
 * policy, usage errors, and the kernel verbs on a kernel without AppArmor
 * (one clear message, exit 3). The kernel verbs with AppArmor are covered
 * by the apparmor-vm suite. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apparmor/apparmor-kernel.h"
#include "base/fileio.h"
#include "testing.h"

static char *golden(const char *name)
{
        _cleanup_free_ char *rel = NULL;
        char *text = NULL;
        size_t size;

        ck_assert_int_ge(asprintf(&rel, "tests/golden/%s", name), 0);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path(rel), 1 << 20, &text, &size), 0);
        return text;
}

START_TEST(test_render_stdout_matches_golden)
{
        const char *argv[] = {"build/hardenctl", "apparmor",          "render", "--mode",
                              "enforce",         "profiles/api.yaml", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *want = golden("api.enforce.apparmor");

        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(err, "");
        ck_assert_str_eq(out, want);
}
END_TEST

/* A service name is looked up in --profiles; the policy's own mode is the
 * default (aa-full says enforce, api says monitor). */
START_TEST(test_render_service_names_and_default_mode)
{
        const char *argv[] = {"build/hardenctl", "apparmor", "render", "--profiles",
                              "tests/golden",    "aa-full",  NULL};
        const char *argv2[] = {"build/hardenctl", "apparmor", "render", "--profiles",
                               "profiles",        "api",      NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
        _cleanup_free_ char *full = golden("aa-full.enforce.apparmor");
        _cleanup_free_ char *api = golden("api.monitor.apparmor");

        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(out, full);
        ck_assert_int_eq(test_run(argv2, &out2, &err2), 0);
        ck_assert_str_eq(out2, api);
}
END_TEST

START_TEST(test_render_out_dir)
{
        char dir[] = "/tmp/hardend-aa-cli-XXXXXX";
        const char *argv[] = {"build/hardenctl",
                              "apparmor",
                              "render",
                              "--mode",
                              "monitor",
                              "--out",
                              dir,
                              "profiles/api.yaml",
                              "profiles/worker.yaml",
                              NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *api = NULL, *worker = NULL;
        _cleanup_free_ char *want_api = golden("api.monitor.apparmor");
        _cleanup_free_ char *want_worker = golden("worker.monitor.apparmor");
        _cleanup_close_ int fd = -1;
        struct stat st;
        size_t size;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(out, "");
        ck_assert_str_eq(err, "");
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(read_file_bounded(fd, "api.apparmor", 1 << 20, &api, &size), 0);
        ck_assert_str_eq(api, want_api);
        ck_assert_int_eq(read_file_bounded(fd, "worker.apparmor", 1 << 20, &worker, &size), 0);
        ck_assert_str_eq(worker, want_worker);
        ck_assert_int_eq(fstatat(fd, "api.apparmor", &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 0777, 0644);
        unlinkat(fd, "api.apparmor", 0);
        unlinkat(fd, "worker.apparmor", 0);
        rmdir(dir);
}
END_TEST

static bool have_parser(void)
{
        return test_require(access("/usr/sbin/apparmor_parser", X_OK) == 0 ||
                                access("/sbin/apparmor_parser", X_OK) == 0,
                            "apparmor_parser (Debian package apparmor)");
}

START_TEST(test_compile_shipped)
{
        const char *argv[] = {"build/hardenctl", "apparmor", "compile", "--mode", "enforce", "api",
                              "frontend",        "worker",   NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        if (!have_parser())
                return;
        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(out, "hardend-api: compiles (enforce mode)\n"
                              "hardend-frontend: compiles (enforce mode)\n"
                              "hardend-worker: compiles (enforce mode)\n");
        ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_compile_binary_out)
{
        char dir[] = "/tmp/hardend-aa-bin-XXXXXX";
        const char *argv[] = {"build/hardenctl", "apparmor", "compile", "--out", dir, "api", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL, *path = NULL;
        struct stat st;

        if (!have_parser())
                return;
        ck_assert_ptr_nonnull(mkdtemp(dir));
        ck_assert_int_eq(test_run(argv, &out, &err), 0);
        ck_assert_str_eq(out, "hardend-api: compiles (complain mode)\n");
        ck_assert_int_ge(asprintf(&path, "%s/api.apparmor.bin", dir), 0);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert_int_gt(st.st_size, 1000);
        unlink(path);
        rmdir(dir);
}
END_TEST

/* A glob apparmor_parser would refuse is refused when the policy loads,
 * located at the rule, and the other services of the same run still
 * compile. */
START_TEST(test_compile_error_located)
{
        const char *argv[] = {"build/hardenctl",
                              "apparmor",
                              "compile",
                              "tests/fixtures/apparmor/invalid-glob/bad-glob.yaml",
                              "api",
                              NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        if (!have_parser())
                return;
        ck_assert_int_eq(test_run(argv, &out, &err), 1);
        ck_assert_str_eq(out, "hardend-api: compiles (complain mode)\n");
        ck_assert_str_eq(err, "tests/fixtures/apparmor/invalid-glob/bad-glob.yaml:11:13: invalid "
                              "path glob '/srv/{www}/**': an alternation needs at least two "
                              "alternatives: {a,b}\n");
}
END_TEST

static const struct {
        const char *name;
        const char *args[8];
        int status;
        const char *err_start;
} usage[] = {
    {"no command", {NULL}, 2, "Usage: hardenctl apparmor COMMAND"},
    {"unknown command", {"rendre", NULL}, 2, "hardenctl apparmor: unknown command 'rendre'"},
    {"no service", {"render", NULL}, 2, "hardenctl apparmor render: no service given"},
    {"bad mode",
     {"render", "--mode", "enforcing", "api", NULL},
     2,
     "hardenctl apparmor: --mode must be monitor or enforce, not 'enforcing'"},
    {"unknown option",
     {"render", "--bogus", "api", NULL},
     2,
     "hardenctl apparmor render: unrecognized option '--bogus'"},
    {"unknown service",
     {"render", "nosuchservice", NULL},
     1,
     "hardenctl apparmor: no policy for service 'nosuchservice' (looked for "
     "profiles/nosuchservice.yaml)"},
    {"invalid policy",
     {"render", "tests/fixtures/policies/invalid/typos.yaml", NULL},
     1,
     "tests/fixtures/policies/invalid/typos.yaml:"},
    {"missing out dir",
     {"render", "--out", "/nonexistent/dir", "api", NULL},
     3,
     "hardenctl apparmor: cannot open output directory '/nonexistent/dir'"},
    {"unload needs service names",
     {"unload", "api", "Not/A/Service", NULL},
     2,
     "hardenctl apparmor: 'Not/A/Service' is not a service name\n"},
    {"status needs service names",
     {"status", "API", NULL},
     2,
     "hardenctl apparmor: 'API' is not a service name\n"},
    {"exec needs a service name",
     {"exec", "a b", "--", "/bin/true", NULL},
     2,
     "hardenctl apparmor: 'a b' is not a service name\n"},
    {"exec needs a command",
     {"exec", "api", NULL},
     2,
     "hardenctl apparmor exec: usage: exec SERVICE -- CMD [ARGS...]\n"},
};

START_TEST(test_usage_errors)
{
        const char *argv[12] = {"build/hardenctl", "apparmor"};
        _cleanup_free_ char *out = NULL, *err = NULL;
        size_t n = 2;
        int status;

        for (size_t i = 0; usage[_i].args[i]; i++)
                argv[n++] = usage[_i].args[i];
        argv[n] = NULL;
        status = test_run(argv, &out, &err);
        ck_assert_msg(status == usage[_i].status, "case '%s': exit %d, stderr:\n%s", usage[_i].name,
                      status, err);
        ck_assert_msg(strncmp(err, usage[_i].err_start, strlen(usage[_i].err_start)) == 0,
                      "case '%s': stderr:\n%s", usage[_i].name, err);
        ck_assert_str_eq(out, "");
}
END_TEST

/* Without AppArmor: one sentence that says so, exit 3, for every verb
 * that needs the kernel. */
static const struct {
        const char *args[6];
        const char *err;
} no_kernel[] = {
    {{"load", "api", "frontend", NULL},
     "hardenctl apparmor: this kernel has no AppArmor (not built in, or not an active LSM); "
     "nothing done\n"},
    {{"unload", "api", NULL},
     "hardenctl apparmor: this kernel has no AppArmor (not built in, or not an active LSM); "
     "nothing done\n"},
    {{"status", NULL},
     "hardenctl apparmor: this kernel has no AppArmor (not built in, or not an active LSM)\n"},
    {{"exec", "api", "--", "/bin/true", NULL},
     "hardenctl apparmor: this kernel has no AppArmor (not built in, or not an active LSM); not "
     "running '/bin/true'\n"},
};

START_TEST(test_no_apparmor_kernel)
{
        const char *argv[10] = {"build/hardenctl", "apparmor"};
        _cleanup_free_ char *out = NULL, *err = NULL;
        enum apparmor_support s;
        size_t n = 2;

        ck_assert_int_eq(apparmor_support_probe(&s), 0);
        if (s != APPARMOR_SUPPORT_NOT_IN_KERNEL) {
                fprintf(stderr, "SKIP: this kernel has AppArmor; apparmor-vm covers it\n");
                return;
        }
        for (size_t i = 0; no_kernel[_i].args[i]; i++)
                argv[n++] = no_kernel[_i].args[i];
        argv[n] = NULL;
        ck_assert_int_eq(test_run(argv, &out, &err), 3);
        ck_assert_str_eq(err, no_kernel[_i].err);
        ck_assert_str_eq(out, "");
}
END_TEST

static Suite *apparmor_cli_suite(void)
{
        Suite *s = suite_create("apparmor-cli");
        TCase *tc = tcase_create("hardenctl-apparmor");

        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, test_render_stdout_matches_golden);
        tcase_add_test(tc, test_render_service_names_and_default_mode);
        tcase_add_test(tc, test_render_out_dir);
        tcase_add_test(tc, test_compile_shipped);
        tcase_add_test(tc, test_compile_binary_out);
        tcase_add_test(tc, test_compile_error_located);
        tcase_add_loop_test(tc, test_usage_errors, 0, ELEMENTSOF(usage));
        tcase_add_loop_test(tc, test_no_apparmor_kernel, 0, ELEMENTSOF(no_kernel));
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(apparmor_cli_suite)
