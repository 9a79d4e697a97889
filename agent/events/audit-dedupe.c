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
        struct key slots[SLOTS];
        unsigned n;
};

struct audit_dedupe {
        struct generation gen[2];
        unsigned current;
};

int audit_dedupe_new(struct audit_dedupe **ret)
{
        struct audit_dedupe *d = calloc(1, sizeof(*d));

        if (!d)
                return -ENOMEM;
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

/* The slot holding k, or the empty slot where it would go. */
static struct key *slot_for(struct generation *g, const struct key *k)
{
        uint64_t i = mix(k->serial ^ k->when_type) & (SLOTS - 1);

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
        struct key *s;

        if (stamp.serial == 0)
                return false;
        if (slot_for(old, &k)->serial != 0)
                return true;
        s = slot_for(cur, &k);
        if (s->serial != 0)
                return true;
        if (cur->n == AUDIT_DEDUPE_KEEP) {
                /* The older generation goes; the full one becomes it. */
                memset(old, 0, sizeof(*old));
                d->current ^= 1u;
                cur = old;
                s = slot_for(cur, &k);
        }
        *s = k;
        cur->n++;
        return false;
}
