/* SPDX-License-Identifier: MIT */
/* Where the audit record is in a line: the prefixes of every transport
 * stripped, the record type read, the stamp found. The forms:
 *
 *   netlink payload   audit(1795356141.886:2): auid=...          (type_hint)
 *   kernel printk     audit: type=1326 audit(1795356141.886:2): auid=...
 *                     type=1326 audit(...): ...                    (no "audit: ")
 *   /dev/kmsg         5,2750,6053919908,-;audit: type=1326 audit(...): ...
 *   dmesg             [ 6053.919908] audit: type=1326 ...
 *   dmesg -r          <5>[ 6053.919908] audit: type=1326 ...
 *   dmesg -T          [Sun Nov 22 15:56:29 2026] audit: type=1326 ...
 *   syslog            Nov 22 10:00:00 host kernel: audit: type=1326 ...
 *                     Nov 22 10:00:00 host kernel: [   12.345678] audit: ...
 *                     (journalctl -o short, short-precise: fractions allowed)
 *   ISO 8601          2026-11-22T10:00:00.123456+00:00 host kernel: audit: ...
 *                     (rsyslog's RFC 3339 stamps, journalctl -o short-iso)
 *   auditd            type=SECCOMP msg=audit(1795356141.886:2): auid=...
 *                     node=host type=AVC msg=audit(...): apparmor="DENIED" ...
 *                     type=UNKNOWN[1326] msg=audit(...): ...
 *   auditd ENRICHED   the same, the raw fields ending at a 0x1d byte followed
 *                     by auditd's interpretation: AUID="unset" UID="root" ...
 *
 * A syslog or ISO line is a kernel record only under the tag "kernel" (or
 * the tags auditd's syslog plugin uses: "audit", "audispd",
 * "audisp-syslog"): "Nov 22 10:00:00 host myapp: type=1326 audit(...)" is
 * some program's text, not a record. (A text log is only as trustworthy as
 * whatever may write to it: `logger -t kernel` forges such a line.)
 *
 * A pure function over borrowed bytes: no allocation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "audit-event.h"

struct audit_line {
        /* The record type: type=N, type=NAME for the names of the types
         * audit-event.h handles, type=UNKNOWN[N]; else type_hint. 0 for
         * a type name not handled here (SYSCALL, PROCTITLE...). */
        unsigned type;
        size_t stamp;  /* offset of "audit(" */
        size_t end;    /* where the raw fields end: a 0x1d byte, a trailing newline, or len */
        bool enriched; /* a 0x1d byte ended the fields */
};

/* Strips the prefixes and reads the type. Returns 0, -ENOMSG for a line
 * that holds no audit record (another program's log line, the kernel's
 * "audit: kauditd hold queue overflow", a netlink payload without
 * type_hint), -EBADMSG with *ret_error for a malformed type (col 1-based in
 * text). */
int audit_line_find(const char *text, size_t len, unsigned type_hint, struct audit_line *ret,
                    struct audit_parse_error *ret_error);

/* Parses "audit(SEC.MSEC:SERIAL)" at p (the seconds and serial decimal,
 * the milliseconds exactly three digits, as the kernel prints them), and
 * returns the number of bytes it spans, or -EBADMSG with *ret_off the
 * offset of the offending byte from p. */
int audit_stamp_parse(const char *p, const char *end, struct audit_stamp *ret, size_t *ret_off);
