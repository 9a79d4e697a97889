/* SPDX-License-Identifier: MIT */
#include "audit-serial.h"

#include <string.h>

#define W     ((uint64_t)AUDIT_SERIAL_WINDOW)
#define RING  (2u * W)
#define EPOCH (1ull << 32)

static uint64_t *word(struct audit_serial_tracker *t, uint64_t pos)
{
        return &t->seen_bits[(pos % RING) / 64u];
}

static bool seen(struct audit_serial_tracker *t, uint64_t pos)
{
        return (*word(t, pos) >> (pos % 64u)) & 1u;
}

static void mark(struct audit_serial_tracker *t, uint64_t pos)
{
        *word(t, pos) |= 1ull << (pos % 64u);
}

/* Walks [a, b) (at most RING positions) a ring word at a time: counts the
 * positions seen, and clears them when clear is set. */
static uint64_t sweep(struct audit_serial_tracker *t, uint64_t a, uint64_t b, bool clear)
{
        uint64_t n = 0;

        while (a < b) {
                unsigned bit = (unsigned)(a % 64u);
                uint64_t len = b - a < 64u - bit ? b - a : 64u - bit;
                uint64_t mask = (len == 64u ? ~0ull : (1ull << len) - 1u) << bit;
                uint64_t *w = word(t, a);

                n += (uint64_t)__builtin_popcountll(*w & mask);
                if (clear)
                        *w &= ~mask;
                a += len;
        }
        return n;
}

/* Positions in [a, b) whose 32-bit serial is 0: the kernel's serial 0
 * comes once per wrap and is never tracked, so never missing either. */
static uint64_t zeros_in(uint64_t a, uint64_t b)
{
        return b <= a ? 0 : (b - 1) / EPOCH - (a == 0 ? 0 : (a - 1) / EPOCH) + (a == 0);
}

/* Settles [base, new_base): unseen positions are counted missing. Only
 * base .. base+W-1 were pending; anything past them was never seen. The
 * ring slots the window moves onto are cleared: the new pending positions,
 * and the settled ones past the old window (nothing was seen there). */
static void advance(struct audit_serial_tracker *t, uint64_t new_base)
{
        uint64_t b0 = t->base, scan_end = new_base < b0 + W ? new_base : b0 + W;

        t->gaps += (new_base - b0) - sweep(t, b0, scan_end, false) - zeros_in(b0, new_base);
        if (new_base - b0 >= RING)
                memset(t->seen_bits, 0, sizeof(t->seen_bits));
        else
                (void)sweep(t, b0 + W, new_base + W, true);
        t->base = new_base;
}

static void begin(struct audit_serial_tracker *t, uint32_t serial)
{
        uint64_t pos = EPOCH + serial;

        memset(t->seen_bits, 0, sizeof(t->seen_bits));
        t->started = true;
        t->start = t->base = pos;
        t->top = pos + 1;
        mark(t, pos);
        t->distinct++;
}

void audit_serial_init(struct audit_serial_tracker *t)
{
        memset(t, 0, sizeof(*t));
}

void audit_serial_flush(struct audit_serial_tracker *t)
{
        if (t->started && t->base < t->top)
                advance(t, t->top);
}

void audit_serial_see(struct audit_serial_tracker *t, uint64_t serial)
{
        uint64_t last, pos;
        int32_t step;

        if (serial == 0 || serial > UINT32_MAX) {
                t->ignored++;
                return;
        }
        t->records++;
        if (!t->started) {
                begin(t, (uint32_t)serial);
                return;
        }
        /* The position nearest the highest one seen with these low 32 bits. */
        last = t->top - 1;
        step = (int32_t)((uint32_t)serial - (uint32_t)last);
        pos = last + (uint64_t)(int64_t)step;

        if (step > 0) {
                if ((uint64_t)step > AUDIT_SERIAL_JUMP_MAX)
                        goto reset;
                t->top = pos + 1;
                if (pos >= t->base + W)
                        advance(t, pos - W + 1);
                mark(t, pos);
                t->distinct++;
                return;
        }
        if (pos + W < t->base)
                goto reset;
        if (seen(t, pos))
                return; /* a duplicate, or another record of the same event */
        mark(t, pos);
        t->distinct++;
        /* Settled and unseen means counted missing, unless it came before
         * the stream began. */
        if (pos < t->base && pos >= t->start) {
                t->gaps--;
                t->late++;
        }
        return;

reset:
        audit_serial_flush(t);
        t->resets++;
        begin(t, (uint32_t)serial);
}
