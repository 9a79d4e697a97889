/* SPDX-License-Identifier: MIT */
/* Times as operators type them (--since) and as reports print them.
 * libc only, never logs. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define USEC_PER_SEC  1000000ull
#define USEC_PER_MSEC 1000ull

/* CLOCK_REALTIME in µs. */
uint64_t now_realtime_usec(void);

/* Parses a point in time, relative to now_usec (CLOCK_REALTIME µs):
 *   "now", "today", "yesterday"            (midnight, local time)
 *   "@1795356141" or "@1795356141.886"     (seconds since the epoch)
 *   "2026-11-22", "2026-11-22 10:00", "2026-11-22 10:00:05",
 *   "2026-11-22T10:00:05"                  (local time)
 *   same with a trailing "Z" or "UTC"      (UTC)
 *   "-90s", "-15m", "-2h", "-1d", "1h ago", "30min ago", "2 days ago"
 * Returns 0, -EINVAL for anything else, -ERANGE before the epoch or past
 * year 9999. */
int parse_time_point(const char *s, uint64_t now_usec, uint64_t *ret_usec);

/* "2026-11-22T10:00:05.123Z" (UTC, milliseconds) into buf (>= 25 bytes).
 * Returns buf. */
char *format_time_iso_ms(uint64_t usec, char *buf, size_t size);

/* CLOCK_MONOTONIC in µs (sd_notify's MONOTONIC_USEC=, durations). */
uint64_t now_monotonic_usec(void);
