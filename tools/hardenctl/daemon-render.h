/* SPDX-License-Identifier: MIT */
/* hardenctl's text for the daemon's replies (the result objects of
 * status, monitor/enforce, reload, events and check). Pure: a JSON value
 * in, lines on a FILE out, nothing else read (the caller passes the
 * time). The daemon may be of another version: every field is read with
 * its type checked, one that is missing or of the wrong type is left out,
 * and unknown keys are ignored; nothing a reply holds can crash these.
 * Strings from the daemon (paths, process names, parser messages) are
 * printed with control characters escaped, so a reply cannot drive the
 * terminal. Not thread-safe (escaped text lives in static buffers). */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* `status`: the agent block, then a block per service. now_usec is
 * CLOCK_REALTIME µs, for "3m ago"; times are printed in local time.
 * Returns 0 or -EIO. */
int render_status(FILE *f, const json_t *result, uint64_t now_usec);

/* `monitor`/`enforce`: a line per changed and unchanged service, and the
 * reminder that seccomp applies to workloads started from now on.
 * Returns 0 or -EIO. */
int render_mode_result(FILE *f, const json_t *result);

/* `reload`: the configuration's result and a line per service.
 * Returns 0 or -EIO. */
int render_reload(FILE *f, const json_t *result);
/* Whether the configuration or a service was invalid. */
bool render_reload_invalid(const json_t *result);

/* `events --follow`: the events of one frame (an array of event objects
 * as `hardenctl events --json` prints them), a line each, in the offline
 * printer's format; consecutive identical events become one line "xN".
 * Returns 0 or -EIO. */
int render_events(FILE *f, const json_t *events);

/* `events` without --follow: the observations per service, as
 * `hardenctl events --summary` prints them. Returns 0, -ENOMEM or -EIO. */
int render_observations(FILE *f, const json_t *result);

/* `check`: each workload's report and its findings, then the counts.
 * Returns 0 or -EIO. */
int render_check(FILE *f, const json_t *result, uint64_t now_usec);
/* Whether a finding (in a report, or in the daemon's counts) is at or
 * above fail_on, an enum severity (_SEVERITY_MAX: never). */
bool render_check_failed(const json_t *result, int fail_on);

/* "2026-11-22 10:00:05 (3m ago)" in local time, "never" for 0, "?" for a
 * negative time. Returns buf. */
char *render_when(int64_t usec, uint64_t now_usec, char *buf, size_t size);

/* s for a terminal: valid UTF-8 kept, control characters escaped (\n,
 * \x1b, \u009b), cut with "..." past 8 KiB; "?" for NULL. The result
 * lives in one of 16 static buffers used in turn. */
/* Escaped text is at most this many bytes (NUL included); longer is cut. */
#define RENDER_ESCAPE_MAX 8192
const char *render_escape(const char *s);

/* "4.0 MiB". Returns buf. */
char *render_bytes(int64_t bytes, char *buf, size_t size);
