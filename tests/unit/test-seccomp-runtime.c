/* SPDX-License-Identifier: MIT */
/* Which profile form a runtime accepts: its features document parsed
 * (captured from runc 1.1.5, and the runtime-spec 1.1 form with
 * supportedFlags), malformed documents refused, runtimes probed for real
 * (the installed runc, and stand-ins), and `generate --runtime-flags auto`
 * following the answer; and `generate --threads` honoured. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "seccomp-helpers.h"
#include "seccomp/seccomp-runtime.h"
#include "testing.h"

static struct seccomp_runtime parse_fixture(const char *name)
{
        char path[256];
        _cleanup_free_ char *data = NULL;
        struct seccomp_runtime rt = {.name = "runc"};
        size_t size;

        snprintf(path, sizeof(path), "tests/fixtures/seccomp/%s", name);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path(path), 1 << 20, &data, &size), 0);
        ck_assert_int_eq(seccomp_runtime_features_parse(data, size, &rt), 0);
        return rt;
}

START_TEST(test_runc_115_features)
{
        struct seccomp_runtime rt = parse_fixture("runc-1.1.5-features.json");
        char line[256];

        snprintf(rt.path, sizeof(rt.path), "/usr/sbin/runc");
        snprintf(rt.version, sizeof(rt.version), "1.1.5+ds1");
        ck_assert(rt.features);
        ck_assert(rt.seccomp);
        ck_assert(!rt.flags_listed);
        ck_assert(!rt.flag_log);
        ck_assert_str_eq(seccomp_runtime_describe(&rt, line, sizeof(line)),
                         "runc 1.1.5+ds1: no seccomp flags (its features list no supportedFlags)");
}
END_TEST

START_TEST(test_flags_features)
{
        struct seccomp_runtime rt = parse_fixture("flags-features.json");
        char line[256];

        snprintf(rt.path, sizeof(rt.path), "/usr/bin/runc");
        ck_assert(rt.flags_listed);
        ck_assert(rt.flag_log);
        ck_assert_str_eq(seccomp_runtime_describe(&rt, line, sizeof(line)),
                         "runc: accepts SECCOMP_FILTER_FLAG_LOG");
}
END_TEST

static const struct {
        const char *json;
        int status;
        bool seccomp, flag_log;
} documents[] = {
    {"{}", 0, false, false},
    {"{\"linux\":{}}", 0, false, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":false}}}", 0, false, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":true,\"supportedFlags\":[]}}}", 0, true, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":true,\"supportedFlags\":null}}}", 0, true, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":true,\"supportedFlags\":"
     "[\"SECCOMP_FILTER_FLAG_TSYNC\",\"SECCOMP_FILTER_FLAG_LOG\"]},\"new\":{}},\"x\":1}",
     0, true, true},
    /* malformed */
    {"", -EINVAL, false, false},
    {"not json", -EINVAL, false, false},
    {"[]", -EINVAL, false, false},
    {"{\"linux\":[]}", -EINVAL, false, false},
    {"{\"linux\":{\"seccomp\":\"on\"}}", -EINVAL, false, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":\"yes\"}}}", -EINVAL, false, false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":true,\"supportedFlags\":\"LOG\"}}}", -EINVAL, false,
     false},
    {"{\"linux\":{\"seccomp\":{\"enabled\":true,\"supportedFlags\":[1]}}}", -EINVAL, false, false},
    {"{\"linux\":{},\"linux\":{}}", -EINVAL, false, false},
};

START_TEST(test_documents)
{
        struct seccomp_runtime rt = {0};
        int r = seccomp_runtime_features_parse(documents[_i].json, strlen(documents[_i].json), &rt);

        ck_assert_msg(r == documents[_i].status, "document %d: %d", _i, r);
        /* Nothing is written on failure. */
        ck_assert(r == 0 || !rt.features);
        if (r == 0) {
                ck_assert(rt.features);
                ck_assert(rt.seccomp == documents[_i].seccomp);
                ck_assert(rt.flag_log == documents[_i].flag_log);
        }
}
END_TEST

START_TEST(test_document_too_big)
{
        _cleanup_free_ char *big = malloc(RUNTIME_FEATURES_MAX_BYTES + 1);
        struct seccomp_runtime rt = {0};

        ck_assert_ptr_nonnull(big);
        memset(big, ' ', RUNTIME_FEATURES_MAX_BYTES + 1);
        ck_assert_int_eq(seccomp_runtime_features_parse(big, RUNTIME_FEATURES_MAX_BYTES + 1, &rt),
                         -EFBIG);
}
END_TEST

/* A stand-in runtime: a script answering --version and features. */
static void write_runtime(const char *path, const char *features_file, int features_status)
{
        char script[1024];

        snprintf(script, sizeof(script),
                 "#!/bin/sh\n"
                 "case \"$1\" in\n"
                 "--version) echo 'fakert version 9.9.9'; echo 'spec: 1.1.0' ;;\n"
                 "features) cat '%s'; exit %d ;;\n"
                 "*) exit 2 ;;\n"
                 "esac\n",
                 features_file, features_status);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, script, strlen(script), 0755), 0);
}

START_TEST(test_probe)
{
        char dir[] = "/tmp/hardend-runtime-XXXXXX", yes[256], no[256], broken[256];
        struct seccomp_runtime rt;
        const char *runc = stest_which("runc");

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(yes, sizeof(yes), "%s/flags-runtime", dir);
        snprintf(no, sizeof(no), "%s/old-runtime", dir);
        snprintf(broken, sizeof(broken), "%s/broken-runtime", dir);
        write_runtime(yes, test_path("tests/fixtures/seccomp/flags-features.json"), 0);
        write_runtime(no, test_path("tests/fixtures/seccomp/runc-1.1.5-features.json"), 0);
        write_runtime(broken, test_path("tests/fixtures/seccomp/flags-features.json"), 1);

        ck_assert_int_eq(seccomp_runtime_probe(yes, &rt), 0);
        ck_assert_str_eq(rt.version, "9.9.9");
        ck_assert(rt.flag_log);
        ck_assert_int_eq(seccomp_runtime_probe(no, &rt), 0);
        ck_assert(rt.features && rt.seccomp && !rt.flag_log);
        /* A features command that fails: no flags, whatever it printed. */
        ck_assert_int_eq(seccomp_runtime_probe(broken, &rt), 0);
        ck_assert(!rt.features && !rt.flag_log);
        ck_assert_int_eq(seccomp_runtime_probe("hardend-no-such-runtime", &rt), -ENOENT);

        /* generate follows the runtime it is pointed at. */
        {
                const char *argv[] = {
                    "build/hardenctl", "generate", "--mode", "enforce", "--runtime", yes,
                    "--out",           dir,        "api",    NULL};
                _cleanup_free_ char *out = NULL, *err = NULL, *json = NULL;
                char path[512];
                size_t size;

                ck_assert_int_eq(test_run(argv, &out, &err), 0);
                ck_assert_msg(strncmp(out,
                                      "runtime flags-runtime 9.9.9: accepts "
                                      "SECCOMP_FILTER_FLAG_LOG\n",
                                      strlen("runtime flags-runtime 9.9.9: accepts "
                                             "SECCOMP_FILTER_FLAG_LOG\n")) == 0,
                              "%s", out);
                ck_assert_ptr_nonnull(strstr(out, "enforced refusals audited: in containers yes"));
                snprintf(path, sizeof(path), "%s/api.seccomp.json", dir);
                ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 1 << 20, &json, &size), 0);
                ck_assert_ptr_nonnull(strstr(json, "\"SECCOMP_FILTER_FLAG_LOG\""));
        }
        {
                const char *argv[] = {
                    "build/hardenctl", "generate", "--mode", "enforce", "--runtime", no,
                    "--out",           dir,        "api",    NULL};
                _cleanup_free_ char *out = NULL, *err = NULL, *json = NULL;
                char path[512];
                size_t size;

                ck_assert_int_eq(test_run(argv, &out, &err), 0);
                ck_assert_ptr_nonnull(strstr(out, "no seccomp flags (its features list no "
                                                  "supportedFlags)\n"));
                ck_assert_ptr_nonnull(strstr(out, "enforced refusals audited: in containers no"));
                snprintf(path, sizeof(path), "%s/api.seccomp.json", dir);
                ck_assert_int_eq(read_file_bounded(AT_FDCWD, path, 1 << 20, &json, &size), 0);
                ck_assert_ptr_null(strstr(json, "flags"));
        }
        {
                const char *rm[] = {"/bin/rm", "-rf", dir, NULL};

                ck_assert_int_eq(test_run(rm, NULL, NULL), 0);
        }

        /* The runc installed here answers for itself. */
        if (!test_require(runc != NULL, "runc"))
                return;
        ck_assert_int_eq(seccomp_runtime_probe("runc", &rt), 0);
        ck_assert_str_ne(rt.version, "");
        ck_assert(rt.features);
        ck_assert(rt.seccomp);
}
END_TEST

static const struct {
        const char *args[4];
        const char *err;
} usage[] = {
    {{"--mode", "strict", "api", NULL},
     "hardenctl generate: --mode must be monitor or enforce, not 'strict'\n"},
    {{"--runtime-flags", "maybe", "api", NULL},
     "hardenctl generate: --runtime-flags must be auto, yes or no, not 'maybe'\n"},
    {{"--runtime-flags", "no", NULL}, "hardenctl generate: no service or policy file given\n"},
    {{"--threads", "0", "api", NULL}, "hardenctl generate: --threads must be 1 to 1024, not '0'\n"},
    {{"--threads", "2x", "api", NULL},
     "hardenctl generate: --threads must be 1 to 1024, not '2x'\n"},
    {{"--threads", "1025", "api", NULL},
     "hardenctl generate: --threads must be 1 to 1024, not '1025'\n"},
};

START_TEST(test_generate_usage)
{
        const char *argv[8] = {"build/hardenctl", "generate"};
        _cleanup_free_ char *out = NULL, *err = NULL;
        size_t n = 2;

        for (size_t i = 0; usage[_i].args[i]; i++)
                argv[n++] = usage[_i].args[i];
        argv[n] = NULL;
        ck_assert_int_eq(test_run(argv, &out, &err), 2);
        ck_assert_str_eq(err, usage[_i].err);
}
END_TEST

/* hardenctl generate in a child whose filter kills the process at the
 * first thread it creates (clone3, or clone with CLONE_THREAD); returns
 * the wait status. */
static int generate_without_threads(const char *threads, const char *out_dir)
{
        const char *builddir = getenv("HARDEND_BUILDDIR");
        char prog[4096];
        int status;
        pid_t pid;

        snprintf(prog, sizeof(prog), "%s/hardenctl", builddir ? builddir : test_path("build"));
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                int null = open("/dev/null", O_WRONLY);

                if (!ctx || null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0 || chdir(test_srcdir()) < 0 ||
                    seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone3), 0) < 0 ||
                    seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(clone), 1,
                                     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)) < 0 ||
                    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_load(ctx) < 0)
                        _exit(125);
                execl(prog, prog, "generate", "--runtime-flags", "no", "--threads", threads,
                      "--out", out_dir, "api", (char *)NULL);
                _exit(127);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        return status;
}

/* --threads is what generate uses: with 1 it never creates a thread (it
 * runs where threads are forbidden), with 2 it does (the filter kills it). */
START_TEST(test_generate_threads)
{
        char dir[] = "/tmp/hardend-threads-XXXXXX";
        int status;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        status = generate_without_threads("1", dir);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "--threads 1: status 0x%x",
                      status);
        status = generate_without_threads("2", dir);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
                      "--threads 2: status 0x%x, not killed creating a thread", status);
        {
                const char *rm[] = {"/bin/rm", "-rf", dir, NULL};

                ck_assert_int_eq(test_run(rm, NULL, NULL), 0);
        }
}
END_TEST

static Suite *seccomp_runtime_suite(void)
{
        Suite *s = suite_create("seccomp-runtime");
        TCase *tc = tcase_create("runtime");

        tcase_add_test(tc, test_runc_115_features);
        tcase_add_test(tc, test_flags_features);
        tcase_add_loop_test(tc, test_documents, 0, ELEMENTSOF(documents));
        tcase_add_test(tc, test_document_too_big);
        tcase_add_test(tc, test_probe);
        tcase_add_loop_test(tc, test_generate_usage, 0, ELEMENTSOF(usage));
        tcase_add_test(tc, test_generate_threads);
        tcase_set_timeout(tc, 60);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_runtime_suite)
