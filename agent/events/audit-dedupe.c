/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit-dedupe.h"

/* Open addressing at load factor 1/2. */
#define SLOTS (AUDIT_DEDUPE_KEEP * 2u)

/* 16 bytes: milliseconds since the epoch fit in 48 bits until the year
 * 10889, record types in 16. */
struct key {
        uint64_t serial;    /* 0: empty slot (serial 0 is never stored) */
        uint64_t when_type; /* (sec * 1000 + msec) << 16 | type */
};

struct generation {
        struct key slots[SLOTS] __attribute__((aligned(64))); /* lines of four */
        unsigned n;
};

struct audit_dedupe {
        struct generation gen[2];
        unsigned current;
        /* No serial above this was ever remembered: a record with a higher
         * one (a source's next record, nearly always) is new without a
         * lookup. */
        uint64_t max_serial;
};

int audit_dedupe_new(struct audit_dedupe **ret)
{
        /* Aligned, so that four slots are one cache line (sizeof is a
         * multiple of the alignment). */
        struct audit_dedupe *d = aligned_alloc(_Alignof(struct audit_dedupe), sizeof(*d));

        if (!d)
                return -ENOMEM;
        memset(d, 0, sizeof(*d));
        *ret = d;
        return 0;
}

struct audit_dedupe *audit_dedupe_free(struct audit_dedupe *d)
{
        free(d);
        return NULL;
}

static uint64_t mix(uint64_t x)
{
        /* splitmix64's finaliser: serials are consecutive, spread them. */
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ull;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebull;
        return x ^ (x >> 31);
}

/* Consecutive serials share a 64-byte line of slots (four keys of 16
 * bytes): the records of a stream are numbered in order, so their inserts
 * touch a new line only every fourth record, where a hash of every key
 * would miss the cache on nearly every one (the tables are 256 KiB, and a
 * file source streams megabytes through the cache between two records).
 * The time and type are compared, not hashed: a serial that comes again
 * with another time (after a reboot) probes on from the same place. */
#define SLOTS_PER_LINE 4u

static uint64_t hash_of(const struct key *k)
{
        return mix(k->serial / SLOTS_PER_LINE) * SLOTS_PER_LINE + k->serial % SLOTS_PER_LINE;
}

/* The slot holding k (whose hash_of() is h), or the empty slot where it
 * would go. */
static struct key *slot_for(struct generation *g, const struct key *k, uint64_t h)
{
        uint64_t i = h & (SLOTS - 1);

        for (;;) {
                struct key *s = &g->slots[i];

                if (s->serial == 0 || (s->serial == k->serial && s->when_type == k->when_type))
                        return s;
                i = (i + 1) & (SLOTS - 1);
        }
}

bool audit_dedupe_seen(struct audit_dedupe *d, unsigned type, struct audit_stamp stamp)
{
        struct key k = {
            .serial = stamp.serial,
            .when_type = ((stamp.sec * 1000u + stamp.msec) << 16) | (type & 0xffffu),
        };
        struct generation *cur = &d->gen[d->current], *old = &d->gen[d->current ^ 1u];
        uint64_t h;
        struct key *s;

        if (stamp.serial == 0)
                return false;
        h = hash_of(&k);
        if (stamp.serial <= d->max_serial) {
                if (slot_for(old, &k, h)->serial != 0)
                        return true;
                s = slot_for(cur, &k, h);
                if (s->serial != 0)
                        return true;
        } else {
                d->max_serial = stamp.serial;
                s = slot_for(cur, &k, h);
        }
        if (cur->n == AUDIT_DEDUPE_KEEP) {
                /* The older generation goes; the full one becomes it. */
                memset(old, 0, sizeof(*old));
                d->current ^= 1u;
                cur = old;
                s = slot_for(cur, &k, h);
        }
        *s = k;
        cur->n++;
        /* A stream's next serials are in the next line: ask for it now, so
         * that it is in the cache by then (a hint; nothing depends on it). */
        if (stamp.serial % SLOTS_PER_LINE == 0) {
                struct key next = {.serial = stamp.serial + SLOTS_PER_LINE};

                __builtin_prefetch(&cur->slots[hash_of(&next) & (SLOTS - 1)], 1);
        }
        return false;
}
