/* SPDX-License-Identifier: MIT */
#include "podman-env.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "seccomp-helpers.h"
#include "testing.h"

/* busybox-static is about 2 MiB. */
#define BUSYBOX_MAX (16u << 20)

bool podman_env_check(char *podman, size_t size)
{
        const char *p = stest_which("podman"), *busybox;
        _cleanup_free_ char *bb = NULL;
        size_t bb_size;

        if (!test_require(p != NULL, "podman"))
                return false;
        snprintf(podman, size, "%s", p);
        if (!test_require(stest_which("runc") != NULL, "runc"))
                return false;
        busybox = stest_which("busybox");
        if (!test_require(busybox != NULL, "busybox (busybox-static)"))
                return false;
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, busybox, BUSYBOX_MAX, &bb, &bb_size), 0);
        if (!test_require(memmem(bb, bb_size, "/lib64/ld-linux", 15) == NULL,
                          "a static busybox (package busybox-static)"))
                return false;
        return test_require(stest_which("cc") != NULL, "a C compiler (cc)");
}

void podman_env_rootfs(const char *rootfs, const char *const *dirs, const char *const *applets)
{
        _cleanup_free_ char *bb = NULL, *cc = NULL;
        const char *which;
        char path[512];
        size_t size;

        /* stest_which's buffer is static: used before the next lookup. */
        which = stest_which("busybox");
        ck_assert_ptr_nonnull(which);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, which, BUSYBOX_MAX, &bb, &size), 0);
        which = stest_which("cc");
        ck_assert_ptr_nonnull(which);
        cc = strdup(which);
        ck_assert_ptr_nonnull(cc);
        ck_assert_int_eq(mkdir(rootfs, 0755), 0);
        for (; *dirs; dirs++) {
                snprintf(path, sizeof(path), "%s/%s", rootfs, *dirs);
                ck_assert_int_eq(mkdir(path, 0755), 0);
        }
        snprintf(path, sizeof(path), "%s/bin/busybox", rootfs);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, bb, size, 0755), 0);
        for (; *applets; applets++) {
                snprintf(path, sizeof(path), "%s/bin/%s", rootfs, *applets);
                ck_assert_int_eq(symlink("busybox", path), 0);
        }
        snprintf(path, sizeof(path), "%s/bin/try-syscall", rootfs);
        {
                const char *argv[] = {cc,   "-static", "-O2",
                                      "-o", path,      test_path("tests/integration/try-syscall.c"),
                                      NULL};
                _cleanup_free_ char *out = NULL, *err = NULL;

                ck_assert_msg(test_run(argv, &out, &err) == 0, "building try-syscall: %s", err);
        }
}

size_t podman_run_argv(const char **argv, const char *podman, bool detach)
{
        const char *const prefix[PODMAN_RUN_ARGC] = {podman,
                                                     "--runtime",
                                                     "runc",
                                                     "run",
                                                     detach ? "-d" : "--rm",
                                                     "--network",
                                                     "none",
                                                     "--security-opt",
                                                     "no-new-privileges",
                                                     "--ulimit",
                                                     "nofile=1024:1024",
                                                     "--ulimit",
                                                     "nproc=1024:1024"};

        memcpy(argv, prefix, sizeof(prefix));
        return PODMAN_RUN_ARGC;
}
