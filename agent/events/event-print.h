/* SPDX-License-Identifier: MIT */
/* Events and observations for people and for machines.
 *
 * Text: one line per event, consecutive identical events folded into one
 * line with a count:
 *   2026-11-22T10:00:05.123Z  api  9784079cc7c7 (pod prod/api-7f9c/api)  seccomp  LOG  ptrace
 *     comm=node exe=/usr/bin/node  x3
 * (one line in reality). JSON: one object per event per line, never
 * folded, with the audit serial, so a consumer can count and join.
 * Bytes from the kernel (comm, exe, paths) are escaped before printing. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "events-pipeline.h"

struct event_printer;

int event_printer_new(FILE *f, bool json, struct event_printer **ret);
/* Prints what is held, then frees. */
struct event_printer *event_printer_free(struct event_printer *pr);
/* An event_sink_fn (userdata is the printer). */
int event_printer_sink(const struct audit_event *e, const struct event_context *ctx,
                       void *userdata);
/* Prints a folded line that is still held (call when the stream goes
 * quiet, so --follow does not sit on it). Returns 0 or -EIO. */
int event_printer_flush(struct event_printer *pr);
