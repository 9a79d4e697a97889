/* SPDX-License-Identifier: MIT */
/* Loss accounting for the live audit stream. The kernel numbers every
 * record it emits with one global serial (records of one event share it),
 * and every record goes to the AUDIT_NLGRP_READLOG group. A serial that
 * never shows up is a record we lost. Records of different CPUs can arrive
 * slightly out of order, so a serial counts as missing only once the
 * stream is AUDIT_SERIAL_WINDOW serials past it (or at flush). A serial far
 * behind the window or far ahead of it (audit restarted, a foreign stream)
 * re-bases the tracker and is counted as a reset, not as a gap.
 *
 * The kernel's serial is 32 bits and wraps (audit_serial() is an atomic
 * unsigned int): at a storm's 180,000 records/s that is every 6.6 hours.
 * The tracker follows the wrap; serial 0 (which the kernel can emit once
 * per wrap, and which the stamp parsers use for "none") is ignored and
 * never counted missing. Values above UINT32_MAX are no kernel serial:
 * ignored too.
 *
 * Not every loss shows up here: the kernel drops records before numbering
 * them when its backlog (audit_backlog_limit) is full and it may not wait,
 * and counts those only in its own "lost" counter (AUDIT_GET, which needs
 * CAP_AUDIT_CONTROL). Producers that may sleep wait instead (up to
 * audit_backlog_wait_time): the kernel slows them down rather than losing
 * their records. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define AUDIT_SERIAL_WINDOW 4096u
/* A forward jump larger than this re-bases instead of counting gaps: past
 * it, a 32-bit serial no longer says which way it went. About 100 minutes
 * of a storm's records. */
#define AUDIT_SERIAL_JUMP_MAX (1ull << 30)

/* Positions are the kernel's 32-bit serials extended to 64 bits across
 * wrap-arounds, starting at 1 << 32 so that a step back never goes below
 * zero; only the counters are meant to be read. */
struct audit_serial_tracker {
        bool started;
        uint64_t start; /* where the current stream began: earlier arrivals are no gaps */
        uint64_t base;  /* every position below base is settled (seen or counted missing) */
        uint64_t top;   /* highest position seen + 1 */
        /* A ring indexed by position: base .. base+WINDOW-1 pending, the
         * WINDOW positions below base settled, kept to tell a late record
         * (counted missing, then seen) from a duplicate. */
        uint64_t seen_bits[2u * AUDIT_SERIAL_WINDOW / 64u];
        uint64_t records;  /* records seen (with a serial) */
        uint64_t ignored;  /* records with serial 0 or one over UINT32_MAX */
        uint64_t distinct; /* distinct serials seen */
        uint64_t gaps;     /* serials never seen */
        uint64_t late;     /* seen after they had been counted missing (gaps was undone) */
        uint64_t resets;   /* re-based on a jump */
};

void audit_serial_init(struct audit_serial_tracker *t);
/* Notes one record's serial (0 = none: ignored). */
void audit_serial_see(struct audit_serial_tracker *t, uint64_t serial);
/* Settles everything below the highest serial seen: call when the stream
 * is quiet (idle timer, end of a benchmark) so the last gaps are counted. */
void audit_serial_flush(struct audit_serial_tracker *t);
