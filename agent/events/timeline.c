/* SPDX-License-Identifier: MIT */
#include "timeline.h"

#include <string.h>

static void widen(struct timeline *t)
{
        for (unsigned i = 0; i < TIMELINE_BUCKETS / 2; i++) {
                t->events[i] = t->events[2 * i] + t->events[2 * i + 1];
                t->denials[i] = t->denials[2 * i] + t->denials[2 * i + 1];
        }
        memset(t->events + TIMELINE_BUCKETS / 2, 0, sizeof(t->events) / 2);
        memset(t->denials + TIMELINE_BUCKETS / 2, 0, sizeof(t->denials) / 2);
        t->bucket_usec *= 2;
}

void timeline_add(struct timeline *t, uint64_t when_usec, bool denial)
{
        uint64_t i;

        if (t->start_usec == 0) {
                t->bucket_usec = TIMELINE_FIRST_BUCKET;
                t->start_usec = when_usec - when_usec % TIMELINE_FIRST_BUCKET;
                if (t->start_usec == 0)
                        t->start_usec = 1; /* 0 means empty */
        }
        if (when_usec < t->start_usec)
                when_usec = t->start_usec;
        /* Bounded: each doubling halves the index; 64 of them cover any span. */
        while ((i = (when_usec - t->start_usec) / t->bucket_usec) >= TIMELINE_BUCKETS)
                widen(t);
        if (t->events[i] < UINT32_MAX)
                t->events[i]++;
        if (denial && t->denials[i] < UINT32_MAX)
                t->denials[i]++;
}

unsigned timeline_used(const struct timeline *t)
{
        unsigned n = TIMELINE_BUCKETS;

        while (n > 0 && t->events[n - 1] == 0)
                n--;
        return n;
}
