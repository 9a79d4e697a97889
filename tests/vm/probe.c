/* SPDX-License-Identifier: MIT */
/* The workload of the qemu AppArmor scenario, installed in the guest as
 * /usr/local/bin/api-server (the executable the api policy names). It only
 * opens and reads files, and says what happened, so that the scenario can
 * tell "allowed" from "refused" by the kernel:
 *
 *   api-server [--wait FILE] PATH...
 *
 * reads every PATH and prints "probe: read PATH: ok (N bytes)" or
 * "probe: read PATH: <error> (errno N)"; with --wait, then waits (at most
 * 60 s) until FILE exists and reads every PATH again, so that a profile
 * replaced in the meantime is seen by a process that was already running.
 * Exits 0 when every read succeeded, 1 otherwise. Built static by
 * tests/vm/run.sh: the guest has no libc of its own for it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int read_one(const char *path)
{
        char buf[4096];
        ssize_t n, total = 0;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0) {
                printf("probe: read %s: %s (errno %d)\n", path, strerror(errno), errno);
                return 1;
        }
        while ((n = read(fd, buf, sizeof(buf))) > 0)
                total += n;
        close(fd);
        if (n < 0) {
                printf("probe: read %s: %s (errno %d)\n", path, strerror(errno), errno);
                return 1;
        }
        printf("probe: read %s: ok (%zd bytes)\n", path, total);
        return 0;
}

static int read_all(int n, char **paths)
{
        int failed = 0;

        for (int i = 0; i < n; i++)
                failed |= read_one(paths[i]);
        fflush(stdout);
        return failed;
}

int main(int argc, char **argv)
{
        const char *wait_for = NULL;
        int failed;

        if (argc > 2 && strcmp(argv[1], "--wait") == 0) {
                wait_for = argv[2];
                argc -= 2;
                argv += 2;
        }
        if (argc < 2) {
                fprintf(stderr, "usage: api-server [--wait FILE] PATH...\n");
                return 2;
        }
        printf("probe: pid %d\n", (int)getpid());
        failed = read_all(argc - 1, argv + 1);
        if (wait_for) {
                struct timespec tick = {0, 50 * 1000 * 1000};
                struct stat st;
                int i;

                for (i = 0; i < 1200 && stat(wait_for, &st) < 0; i++)
                        nanosleep(&tick, NULL);
                printf("probe: %s %s, reading again\n", wait_for,
                       i < 1200 ? "appeared" : "never appeared");
                failed |= read_all(argc - 1, argv + 1);
        }
        return failed ? 1 : 0;
}
