/* SPDX-License-Identifier: MIT */
/* Audit records from the systemd journal (sd-journal), for history and for
 * hosts where the agent starts after the events:
 *   - kernel-transport entries (_TRANSPORT=kernel) whose MESSAGE is the
 *     record as the kernel printed it: "audit: type=1326 audit(...): ...".
 *     Handed on as they are (type 0: the parser reads it from the text).
 *     The kernel prints records only without auditd and through printk's
 *     rate limit (10 per 5 s by default), so these are a sample; and
 *     printk cuts long ones (at 991 or 1021 bytes): lines that long are
 *     skipped and counted, never handed on half;
 *   - audit-transport entries (_TRANSPORT=audit) that journald read off the
 *     audit multicast group itself: _AUDIT_TYPE, _AUDIT_ID,
 *     _SOURCE_REALTIME_TIMESTAMP (the record's own time, to the ms) and a
 *     MESSAGE that is the record's text after "audit(...): " with the type
 *     name in front ("SECCOMP auid=..."). journald copies fields into _PID,
 *     _COMM, _EXE, _AUDIT_FIELD_* but leaves the text whole (systemd 252,
 *     measured), so the netlink payload "audit(SEC.MSEC:ID): fields" is
 *     rebuilt from MESSAGE and the stamp fields alone, and one parser reads
 *     all sources. The same record often arrives by both transports: the
 *     stamp (time, serial) identifies it downstream.
 * sd-journal filters on _TRANSPORT (kernel or audit); no _AUDIT_TYPE match,
 * since serial accounting downstream wants every audit record.
 * Reads the system journal or one directory (--journal-dir). A cursor
 * marks the last entry consumed, so a restart neither loses nor repeats
 * one. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "audit-source.h"
#include "base/macro.h"

struct journal_source;

struct journal_source_stats {
        uint64_t entries;   /* journal entries consumed (handed on or skipped) */
        uint64_t records;   /* handed to the callback */
        uint64_t kernel;    /* ...of which kernel-transport lines */
        uint64_t audit;     /* ...of which rebuilt audit-transport entries */
        uint64_t malformed; /* audit entries missing fields, over the caps or corrupt: skipped */
        uint64_t truncated; /* kernel "audit: " lines printk may have cut: skipped */
};

/* dir NULL: the local system journal. cursor (may be NULL): resume after
 * this entry (a cursor from journal_source_cursor() or journalctl); else
 * start at since_usec (CLOCK_REALTIME µs of reception; 0 = the beginning).
 * When the cursor's entry is gone (vacuumed), reading starts at the next
 * entry that is still there. The source belongs to the process that
 * opened it (sd-journal refuses use after fork). Returns 0, -EINVAL for a
 * malformed cursor, -errno. */
int journal_source_open(const char *dir, const char *cursor, uint64_t since_usec,
                        struct journal_source **ret);
struct journal_source *journal_source_free(struct journal_source *j);
DEFINE_POINTER_CLEANUP(struct journal_source, journal_source_free)
#define _cleanup_journal_source_ _cleanup_(journal_source_freep)

/* Calls fn for every audit record from the current position to the end
 * (at most max entries, counting skipped ones, when max > 0). Returns the
 * number of records, or a negative errno (the callback's included). The
 * entry whose callback failed is not consumed: the next drain, or a
 * restart from the cursor, hands it on again. origin is NULL: a record
 * names its place by its stamp. */
int journal_source_drain(struct journal_source *j, uint64_t max, audit_raw_fn fn, void *userdata);
/* For --follow / sd-event: an fd that becomes readable when the journal
 * changes (inotify); call journal_source_process() then drain again. */
int journal_source_fd(struct journal_source *j);
/* sd_journal_process(): SD_JOURNAL_NOP, _APPEND, _INVALIDATE, or -errno. */
int journal_source_process(struct journal_source *j);
/* The cursor of the last entry consumed (malloc'd; journalctl
 * --after-cursor= takes it too), the cursor given to open while nothing
 * was consumed yet, or -ENODATA. */
int journal_source_cursor(struct journal_source *j, char **ret);
const struct journal_source_stats *journal_source_stats(const struct journal_source *j);

/* One field's value as sd-journal hands it (after "NAME="), not
 * NUL-terminated. data NULL: the entry has no such field. */
struct journal_value {
        const char *data;
        size_t len;
};

/* The fields of an audit-transport entry the record is rebuilt from. */
struct journal_audit_fields {
        struct journal_value message;         /* MESSAGE: "TYPE_NAME fields" */
        struct journal_value type;            /* _AUDIT_TYPE: decimal, 1..65535 */
        struct journal_value type_name;       /* _AUDIT_TYPE_NAME (optional) */
        struct journal_value id;              /* _AUDIT_ID: the serial */
        struct journal_value source_realtime; /* _SOURCE_REALTIME_TIMESTAMP: µs */
};

/* Rebuilds the netlink payload "audit(SEC.MSEC:ID): fields" of an
 * audit-transport entry into buf (NUL-terminated; size at least
 * AUDIT_TEXT_MAX + 1 to take every record) and its type into *ret_type. A
 * pure function: no I/O, no allocation. Returns the text's length,
 * -EBADMSG when a field is missing or malformed (numbers, a MESSAGE
 * without fields, a NUL byte), -E2BIG when the text would be longer than
 * AUDIT_TEXT_MAX or size - 1. buf is scratch on failure. */
int journal_audit_text(const struct journal_audit_fields *f, char *buf, size_t size,
                       unsigned *ret_type);
