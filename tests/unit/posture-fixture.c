/* SPDX-License-Identifier: MIT */
#include "posture-fixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testing.h"

#define UNTRUSTED_CONTAINER "0c100c100c100c100c100c100c100c100c100c100c100c100c100c100c100c10"

int posture_root_copy(char *ret, size_t size)
{
        char cmd[512];

        snprintf(ret, size, "/tmp/hardend-posture-root-XXXXXX");
        if (!mkdtemp(ret)) {
                ret[0] = '\0';
                return -1;
        }
        snprintf(cmd, sizeof(cmd),
                 "cp -a '%1$s'/. '%2$s'/ && chmod -R go-w '%2$s' && "
                 "chmod g+w '%2$s'/run/runc/" UNTRUSTED_CONTAINER "/state.json",
                 test_path("tests/fixtures/posture/root"), ret);
        if (system(cmd) != 0) {
                posture_root_drop(-1, ret);
                ret[0] = '\0';
                return -1;
        }
        return 0;
}

int posture_root_open_copy(char *ret, size_t size)
{
        int fd;

        ck_assert_int_eq(posture_root_copy(ret, size), 0);
        fd = open(ret, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        return fd;
}

void posture_root_drop(int fd, const char *path)
{
        char cmd[128];

        if (fd >= 0)
                close(fd);
        if (!path[0])
                return;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
        if (system(cmd) != 0)
                fprintf(stderr, "posture: cannot remove %s\n", path);
}
