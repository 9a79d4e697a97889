/* SPDX-License-Identifier: MIT */
/* Events over time in a fixed number of buckets, for the reports'
 * timelines: buckets start a minute wide and double in width (neighbours
 * merged) whenever an event falls past the last one, so any span fits in
 * TIMELINE_BUCKETS with constant memory. Events before the first bucket
 * (a journal read after live events) are counted in it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define TIMELINE_BUCKETS      240u
#define TIMELINE_FIRST_BUCKET (60u * 1000000u)

struct timeline {
        uint64_t start_usec;  /* 0: empty */
        uint64_t bucket_usec; /* width of one bucket */
        uint32_t events[TIMELINE_BUCKETS];
        uint32_t denials[TIMELINE_BUCKETS];
};

void timeline_add(struct timeline *t, uint64_t when_usec, bool denial);
/* Buckets in use: up to the last non-empty one. */
unsigned timeline_used(const struct timeline *t);
