/* SPDX-License-Identifier: MIT */
/* Helpers the suites of the files in state_dir share (the state file,
 * test-control-state.c, and the observations file,
 * test-events-observations-file.c): a scratch directory, writing and
 * counting files in it, checking a file was kept aside intact, and the
 * crash loop that SIGKILLs a child saving in a loop. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A fresh directory /tmp/hardend-<tag>-XXXXXX and an O_DIRECTORY fd on it. */
struct scratch {
        char path[64];
        int fd;
};

void scratch_open(struct scratch *s, const char *tag);
/* Closes the fd and removes the directory with everything in it. */
void scratch_close(struct scratch *s);

/* Replaces dirfd/name with the bytes given (mode 0600). */
void write_at(int dirfd, const char *name, const char *data, size_t size);
/* How many entries of dirfd start with prefix. */
size_t count_prefix(int dirfd, const char *prefix);

/* name is gone from dirfd and dirfd/kept holds exactly data; removes
 * kept. */
void assert_kept_copy(int dirfd, const char *name, const char *kept, const char *data, size_t size);

/* The child saves the values start, start + 1, ... to dirfd and writes
 * each one (a uint64_t) to wfd once its save returned; never returns. The
 * parent kills it at a random moment; loaded then reads the file back
 * (failing the test on any damage) and returns the value on disk, 0 when
 * nothing was saved yet, which must be the last acknowledged value or the
 * next one. The next child starts from what is on disk. */
struct crash_loop {
        const char *name; /* the suite, in the summary line */
        unsigned seed, iterations;
        const char *file; /* its temporaries must all be gone after a load */
        void (*child)(int dirfd, int wfd, uint64_t start);
        uint64_t (*loaded)(int dirfd);
};

void crash_loop_run(const struct crash_loop *c);
