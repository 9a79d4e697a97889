/* SPDX-License-Identifier: MIT */
/* Timing helpers every benchmark shares. Figures are always reported as a
 * ratio against a baseline measured in the same run. */
#pragma once

#include <stdlib.h>
#include <time.h>

static inline double now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
        double x = *(const double *)a, y = *(const double *)b;

        return x < y ? -1 : x > y;
}

/* Sorts v in place. */
static inline double median(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(double), cmp_double);
        return v[n / 2];
}

/* The best round: on a shared machine other work only ever adds time.
 * Sorts v in place. */
static inline double best(double *v, int n)
{
        qsort(v, (size_t)n, sizeof(double), cmp_double);
        return v[0];
}
