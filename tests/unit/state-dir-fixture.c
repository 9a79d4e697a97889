/* SPDX-License-Identifier: MIT */
#include "state-dir-fixture.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "testing.h"

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

void scratch_open(struct scratch *s, const char *tag)
{
        snprintf(s->path, sizeof(s->path), "/tmp/hardend-%s-XXXXXX", tag);
        ck_assert_ptr_nonnull(mkdtemp(s->path));
        s->fd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(s->fd, 0);
}

void scratch_close(struct scratch *s)
{
        close(s->fd);
        nftw(s->path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void write_at(int dirfd, const char *name, const char *data, size_t size)
{
        int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, size), (ssize_t)size);
        close(fd);
}

size_t count_prefix(int dirfd, const char *prefix)
{
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        size_t n = 0;

        ck_assert_int_eq(opendir_at(dirfd, ".", &d), 0);
        while ((de = readdir(d)))
                if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
                        n++;
        return n;
}

void assert_kept_copy(int dirfd, const char *name, const char *kept, const char *data, size_t size)
{
        _cleanup_free_ char *copy = NULL;
        size_t csize;

        ck_assert_ptr_nonnull(kept);
        ck_assert_int_eq(faccessat(dirfd, name, F_OK, 0), -1);
        ck_assert_int_eq(read_file_bounded(dirfd, kept, size + 1, &copy, &csize), 0);
        ck_assert_uint_eq(csize, size);
        ck_assert(memcmp(copy, data, size) == 0);
        ck_assert_int_eq(unlinkat(dirfd, kept, 0), 0);
}

void crash_loop_run(const struct crash_loop *c)
{
        _cleanup_free_ char *tmp_prefix = NULL;
        uint64_t acked = 0;
        struct scratch sc;
        size_t kills_mid_run = 0, iterations_with_saves = 0;

        ck_assert_int_ge(asprintf(&tmp_prefix, "%s.tmp.", c->file), 0);
        srand(c->seed);
        scratch_open(&sc, c->name);
        for (unsigned it = 0; it < c->iterations; it++) {
                int p[2], status, r;
                uint64_t v, got;
                pid_t pid;

                ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
                pid = fork();
                ck_assert_int_ge(pid, 0);
                if (pid == 0) {
                        close(p[0]);
                        c->child(sc.fd, p[1], acked + 1);
                        _exit(1);
                }
                close(p[1]);
                got = acked;
                /* Let 0..3 saves complete first, then kill 0..20 ms later:
                 * lands anywhere in a save (one takes ~1-6 ms on ext4,
                 * longer under valgrind) whatever the machine's speed. */
                for (int wait = rand() % 4; wait > 0; wait--) {
                        ck_assert_int_eq(read(p[0], &v, sizeof(v)), sizeof(v));
                        ck_assert_uint_eq(v, acked + 1);
                        acked = v;
                }
                usleep((useconds_t)(rand() % 20000));
                ck_assert_int_eq(kill(pid, SIGKILL), 0);
                ck_assert_int_eq(waitpid(pid, &status, 0), pid);
                ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                              "child exited by itself: status %d", status);
                while ((r = (int)read(p[0], &v, sizeof(v))) == sizeof(v)) {
                        ck_assert_uint_eq(v, acked + 1);
                        acked = v;
                }
                if (acked > got)
                        iterations_with_saves++;
                ck_assert_int_eq(r, 0);
                close(p[0]);

                got = c->loaded(sc.fd);
                ck_assert_uint_eq(count_prefix(sc.fd, tmp_prefix), 0);
                if (acked == 0 && got == 0)
                        continue; /* killed before the very first save */
                ck_assert_msg(got == acked || got == acked + 1,
                              "iteration %u: on disk %llu, last acknowledged %llu", it,
                              (unsigned long long)got, (unsigned long long)acked);
                if (got == acked + 1)
                        kills_mid_run++; /* died after the rename, before reporting */
                acked = got;
        }
        fprintf(stderr,
                "%s crash loop: %u kills, %zu of them after at least one acknowledged save, last "
                "value %llu, %zu times the file was one ahead of the last acknowledgement\n",
                c->name, c->iterations, iterations_with_saves, (unsigned long long)acked,
                kills_mid_run);
        /* Most kills must land mid-run, or the test proved little. */
        ck_assert_uint_ge(iterations_with_saves, c->iterations / 2);
        scratch_close(&sc);
}
