/* SPDX-License-Identifier: MIT */
/* Test harness shared by every suite: suites register themselves (no
 * central list to edit), helpers for fixtures and for running the built
 * programs. One runner runs them all and ends with Check's summary line. */
#pragma once

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef Suite *(*suite_fn)(void);
void test_register_suite(suite_fn fn);

/* TEST_SUITE(policy_load_suite) after the suite function registers it. */
#define TEST_SUITE(fn)                                                                             \
        __attribute__((constructor)) static void register_##fn(void)                               \
        {                                                                                          \
                test_register_suite(fn);                                                           \
        }

/* Absolute path of the source tree (tests run from anywhere). */
const char *test_srcdir(void);
/* Path under the source tree; returns a static buffer rotated over 8 slots. */
const char *test_path(const char *relative);

/* Runs argv (argv[0] relative to the source tree, e.g. "build/hardenctl";
 * "build/" stands for $HARDEND_BUILDDIR when that is set),
 * captures stdout and stderr (each up to 1 MiB) and returns the exit status
 * (128+signal if killed). Caller frees *ret_out and *ret_err. */
int test_run(const char *const argv[], char **ret_out, char **ret_err);

/* Starts argv like test_run() but in the background, with stdout and
 * stderr going to the files named; returns its pid (the caller waits). */
pid_t test_spawn(const char *const argv[], const char *out_path, const char *err_path);

/* In CI (CI=true) a test that cannot find what it needs fails; elsewhere it
 * may skip with a message. Returns true when the test should go on. */
bool test_require(bool have, const char *what);
