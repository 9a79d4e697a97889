/* SPDX-License-Identifier: MIT */
/* What every event source hands on: one raw audit record, still text.
 * Sources (netlink, journal, files) only read and frame; parsing,
 * de-duplication, attribution and counting happen once, downstream, for
 * all of them (events-pipeline.h). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel never emits a record longer than MAX_AUDIT_MESSAGE_LENGTH
 * (8970 bytes). A log line adds prefixes and auditd's enrichment: anything
 * over AUDIT_LINE_MAX is not a line we parse. */
#define AUDIT_TEXT_MAX 8970u
#define AUDIT_LINE_MAX 16384u

enum audit_source_kind {
        AUDIT_SOURCE_NETLINK,
        AUDIT_SOURCE_JOURNAL,
        AUDIT_SOURCE_FILE,
        _AUDIT_SOURCE_MAX,
};

struct audit_raw {
        enum audit_source_kind source;
        /* The record type when the transport carries it (netlink header,
         * the journal's _AUDIT_TYPE); 0 when it is in the text. */
        unsigned type;
        /* Borrowed: valid only during the callback. Not NUL-terminated. */
        const char *text;
        size_t len;
        /* Where it came from, for diagnostics: a file and its 1-based line,
         * a journal cursor; NULL / 0 when there is nothing to say. */
        const char *origin;
        uint64_t line;
        /* Made on this machine since it booted, so the record's pid may
         * still name a process here (netlink always; the journal when the
         * entry's _BOOT_ID is ours; files never). */
        bool this_boot;
};

/* Returns >= 0 to go on, < 0 (-errno) to stop the source, which returns it. */
typedef int (*audit_raw_fn)(const struct audit_raw *raw, void *userdata);

const char *
audit_source_kind_to_string(enum audit_source_kind k); /* "netlink", "journal", "file" */
