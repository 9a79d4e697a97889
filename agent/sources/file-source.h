/* SPDX-License-Identifier: MIT */
/* Audit records from a log file copied from elsewhere, for offline review:
 * auditd's audit.log (raw or enriched), syslog/kern.log, dmesg output,
 * journalctl output. Every line is handed on; the parser decides what is a
 * record. Lines longer than AUDIT_LINE_MAX are skipped and counted, never
 * cut: half a record would be a wrong record. */
#pragma once

#include <stdint.h>

#include "audit-source.h"

/* Read in chunks of this size; a line may straddle chunks. */
#define FILE_SOURCE_CHUNK (1024u * 1024u)

struct file_source_stats {
        uint64_t lines;
        uint64_t bytes;
        uint64_t too_long;       /* lines over AUDIT_LINE_MAX, skipped */
        uint64_t first_too_long; /* 1-based line number of the first, 0 if none */
};

/* Reads fd to its end; name is the origin handed on with each line (a
 * path, "-" for stdin). Returns 0, the callback's error, or -errno of a
 * read error. *ret_stats (may be NULL) is filled in every case. */
int file_source_read_fd(int fd, const char *name, audit_raw_fn fn, void *userdata,
                        struct file_source_stats *ret_stats);
/* Opens path ("-" = standard input) and reads it. */
int file_source_read(const char *path, audit_raw_fn fn, void *userdata,
                     struct file_source_stats *ret_stats);
