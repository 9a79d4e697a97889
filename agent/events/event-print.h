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

#include <jansson.h>
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

/* "LOG", "ERRNO", "ERRNO(EACCES)" (a log that carried the errno),
 * "ALLOWED", "signal 31": a verdict as both printers show it. data is the
 * seccomp return data, or an ABEND's signal. */
const char *event_verdict_label(enum event_kind kind, unsigned verdict, unsigned data, char *buf,
                                size_t size);
/* One event as `hardenctl events --json` prints it; NULL when out of
 * memory. */
json_t *event_json(const struct audit_event *e, const struct event_context *ctx);
/* A JSON string of bytes from a record: as they are when they are UTF-8,
 * escaped (text_escape) otherwise; JSON null for NULL. */
json_t *json_bytes(const char *s);
