/* SPDX-License-Identifier: MIT */
/* What the suites that run containers under seccomp profiles share
 * (test-seccomp-podman.c, test-daemon-podman.c): the components they need
 * on this machine, a rootfs of busybox-static and the try-syscall helper,
 * and the start of their `podman run` command line. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* podman, runc, a static busybox (package busybox-static: a dynamic one
 * would need its libraries in the rootfs) and a C compiler, each through
 * test_require: false when one is missing. Copies podman's path into
 * podman (size bytes). */
bool podman_env_check(char *podman, size_t size);

/* Creates the directory rootfs with the subdirectories dirs, /bin/busybox
 * with a symlink per applet (both lists end in NULL), and /bin/try-syscall
 * built static from tests/integration/try-syscall.c. Call after
 * podman_env_check. */
void podman_env_rootfs(const char *rootfs, const char *const *dirs, const char *const *applets);

/* How many entries podman_run_argv writes. */
#define PODMAN_RUN_ARGC 13

/* Writes "podman --runtime runc run" and the options every container here
 * gets (-d when detach, else --rm; no network; no_new_privs, which the
 * profiles' posture demands: runc then loads the filter just before
 * execve; bounded open files and processes) to argv[0..12]; the caller
 * adds its own options, --rootfs and the command. Returns
 * PODMAN_RUN_ARGC. */
size_t podman_run_argv(const char **argv, const char *podman, bool detach);
