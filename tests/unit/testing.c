/* SPDX-License-Identifier: MIT */
#include "testing.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"

#define MAX_SUITES  64
#define MAX_CAPTURE (1024 * 1024)

static suite_fn suites[MAX_SUITES];
static size_t n_suites;

void test_register_suite(suite_fn fn)
{
        if (n_suites < MAX_SUITES)
                suites[n_suites++] = fn;
}

const char *test_srcdir(void)
{
        static char dir[PATH_MAX];

        if (!dir[0]) {
                const char *env = getenv("HARDEND_SRCDIR");

                if (env)
                        snprintf(dir, sizeof(dir), "%s", env);
                else if (!getcwd(dir, sizeof(dir)))
                        snprintf(dir, sizeof(dir), ".");
        }
        return dir;
}

const char *test_path(const char *relative)
{
        static char buf[8][2 * PATH_MAX + 2];
        static unsigned slot;
        char *b = buf[slot++ % 8];

        snprintf(b, sizeof(buf[0]), "%s/%s", test_srcdir(), relative);
        return b;
}

static int drain(int fds[2], char *bufs[2], size_t lens[2])
{
        struct pollfd p[2] = {{.fd = fds[0], .events = POLLIN}, {.fd = fds[1], .events = POLLIN}};
        int open_fds = 2;

        while (open_fds > 0) {
                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                for (int i = 0; i < 2; i++) {
                        char chunk[4096];
                        ssize_t n;

                        if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP)))
                                continue;
                        n = read(p[i].fd, chunk, sizeof(chunk));
                        if (n <= 0) {
                                p[i].fd = -1;
                                open_fds--;
                                continue;
                        }
                        if (lens[i] + (size_t)n > MAX_CAPTURE)
                                continue;
                        memcpy(bufs[i] + lens[i], chunk, (size_t)n);
                        lens[i] += (size_t)n;
                }
        }
        return 0;
}

/* In a forked child: runs argv[0] from the source tree, where "build/x"
 * means the program of the build under test. Never returns. */
static void exec_program(const char *const argv[])
{
        const char *builddir = getenv("HARDEND_BUILDDIR");
        const char *prog = argv[0][0] == '/' ? argv[0] : test_path(argv[0]);
        char buf[PATH_MAX];

        if (builddir && strncmp(argv[0], "build/", 6) == 0) {
                snprintf(buf, sizeof(buf), "%s/%s", builddir, argv[0] + 6);
                prog = buf[0] == '/' ? buf : test_path(buf);
        }
        if (chdir(test_srcdir()) < 0)
                _exit(126);
        execv(prog, (char *const *)argv);
        _exit(127);
}

pid_t test_spawn(const char *const argv[], const char *out_path, const char *err_path)
{
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
                int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

                if (out < 0 || err < 0 || dup2(out, STDOUT_FILENO) < 0 ||
                    dup2(err, STDERR_FILENO) < 0)
                        _exit(125);
                exec_program(argv);
        }
        return pid;
}

int test_run(const char *const argv[], char **ret_out, char **ret_err)
{
        int out[2], err[2], status;
        char *bufs[2] = {calloc(1, MAX_CAPTURE + 1), calloc(1, MAX_CAPTURE + 1)};
        size_t lens[2] = {0, 0};
        pid_t pid;

        ck_assert_ptr_nonnull(bufs[0]);
        ck_assert_ptr_nonnull(bufs[1]);
        ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
        ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                dup2(out[1], STDOUT_FILENO);
                dup2(err[1], STDERR_FILENO);
                exec_program(argv);
        }
        close(out[1]);
        close(err[1]);
        drain((int[]){out[0], err[0]}, bufs, lens);
        close(out[0]);
        close(err[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        if (ret_out)
                *ret_out = bufs[0];
        else
                free(bufs[0]);
        if (ret_err)
                *ret_err = bufs[1];
        else
                free(bufs[1]);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool test_require(bool have, const char *what)
{
        const char *ci = getenv("CI");

        if (have)
                return true;
        if (ci && strcmp(ci, "true") == 0)
                ck_abort_msg("CI=true and %s is not available: this test must run", what);
        fprintf(stderr, "SKIP: %s is not available\n", what);
        return false;
}

int main(int argc, char **argv)
{
        SRunner *sr;
        int failed;

        if (n_suites == 0) {
                fprintf(stderr, "no test suites registered\n");
                return 1;
        }
        sr = srunner_create(suites[0]());
        for (size_t i = 1; i < n_suites; i++)
                srunner_add_suite(sr, suites[i]());
        /* An argument names one suite to run (CK_RUN_SUITE and CK_RUN_CASE work too). */
        srunner_run(sr, argc > 1 ? argv[1] : NULL, NULL, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? 0 : 1;
}
