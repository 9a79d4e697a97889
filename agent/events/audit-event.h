/* SPDX-License-Identifier: MIT */
/* Audit records and the typed events parsed from them: the seccomp
 * (type 1326) and AppArmor (1400, 1107, 1501..1507) events and the
 * ANOM_ABEND (1701) record of a process killed by a signal.
 *
 * A record reaches the agent in many wrappings: a netlink payload
 * ("audit(1795356141.886:2): auid=..." with the type in the netlink
 * header), a kernel log line ("audit: type=1326 audit(...): ..."), dmesg
 * ("[   12.345678] audit: ..."), syslog ("Nov 22 10:00:00 host kernel: ..."),
 * auditd's audit.log ("type=SECCOMP msg=audit(...): ..." with enrichment
 * after 0x1d), or a journal entry; audit-line.h lists every form.
 * audit_event_parse() takes any of them and is a pure function from bytes
 * to a struct: no I/O, no allocation, no global state except the syscall
 * name tables (syscall-lookup.h, built once from libseccomp). The kernel's
 * own field orders go through a fast path (audit-event-fast.h) held to
 * give what the general parser gives (audit_event_parse_general()).
 *
 * The rules, for records that may be hostile:
 *   - the kernel hex-encodes a string with a '"', a byte < 0x21 or > 0x7e
 *     (comm=6D7920617070); only string fields (comm, exe, profile, label,
 *     name, target, info, peer, peer_label) are decoded so, never numbers
 *     (arch=c000003e, code=0x7ffc0000); a decoded NUL byte is malformed;
 *   - bare `?` and `(null)` mean "no value" (the field is NULL); quoted,
 *     they are the strings "?" and "(null)";
 *   - a key this parser reads must not appear twice in a record: -EBADMSG
 *     (the kernel never repeats one; a repeat could only shadow the real
 *     value). Keys it does not read are skipped, repeated or not;
 *   - an AVC or USER_AVC that is not AppArmor's (SELinux: "avc:  denied")
 *     is -ENOMSG;
 *   - a USER_AVC's common fields come from its nested msg='...': the
 *     subject's pid= and label=; the outer pid/uid/auid/ses and the nested
 *     exe= are the enforcer's (dbus-daemon) and are not reported. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sources/audit-source.h"

/* Fields kept per record; a record with more is refused (the kernel's
 * longest AppArmor records have about 20). */
#define AUDIT_FIELDS_MAX 64u

/* Record types (linux/audit.h, and AppArmor's own 1501..1507 that older
 * kernels and auditd's names still use). */
enum {
        AUDIT_TYPE_USER_AVC = 1107,
        AUDIT_TYPE_SECCOMP = 1326,
        AUDIT_TYPE_AVC = 1400,
        AUDIT_TYPE_APPARMOR_AUDIT = 1501,
        AUDIT_TYPE_APPARMOR_ALLOWED = 1502,
        AUDIT_TYPE_APPARMOR_DENIED = 1503,
        AUDIT_TYPE_APPARMOR_HINT = 1504,
        AUDIT_TYPE_APPARMOR_STATUS = 1505,
        AUDIT_TYPE_APPARMOR_ERROR = 1506,
        AUDIT_TYPE_APPARMOR_KILL = 1507,
        AUDIT_TYPE_ANOM_ABEND = 1701,
};

/* "audit(1795356141.886:2)": when the kernel made the record, and its
 * serial. Records of one event share the serial; with the time it
 * identifies a record across sources (netlink, journal, files). */
struct audit_stamp {
        uint64_t sec;
        uint32_t msec;
        uint64_t serial;
};

static inline bool audit_stamp_equal(struct audit_stamp a, struct audit_stamp b)
{
        return a.sec == b.sec && a.msec == b.msec && a.serial == b.serial;
}

enum event_kind {
        EVENT_SECCOMP,
        EVENT_APPARMOR,
        EVENT_ABEND,
        _EVENT_KIND_MAX,
};

/* SECCOMP_RET_* decoded from the record's code= (the filter's verdict).
 * Not "enum seccomp_verdict": posture/seccomp-decode.h has that name. */
enum seccomp_event_verdict {
        SECCOMP_EVENT_KILL_PROCESS,
        SECCOMP_EVENT_KILL_THREAD,
        SECCOMP_EVENT_TRAP,
        SECCOMP_EVENT_ERRNO,
        SECCOMP_EVENT_USER_NOTIF,
        SECCOMP_EVENT_TRACE,
        SECCOMP_EVENT_LOG,
        SECCOMP_EVENT_ALLOW,
        SECCOMP_EVENT_UNKNOWN,
        _SECCOMP_EVENT_VERDICT_MAX,
};

struct seccomp_event {
        uint32_t arch;            /* AUDIT_ARCH_* (c000003e = x86_64) */
        int64_t syscall;          /* as recorded (x32 calls carry 0x40000000) */
        const char *syscall_name; /* static (from libseccomp); NULL if the arch does not know it */
        uint32_t code;            /* raw SECCOMP_RET_* value */
        enum seccomp_event_verdict verdict;
        /* SECCOMP_RET_DATA (the errno of ERRNO...). The kernel logs the
         * action only (code & SECCOMP_RET_ACTION_FULL, measured on 6.1 and
         * 6.18): 0 in every real record. */
        uint16_t data;
        int sig; /* sig= (SIGSYS for a kill), 0 when absent */
        bool compat;
        uint64_t ip;
};

enum apparmor_verdict {
        APPARMOR_AUDIT,
        APPARMOR_ALLOWED, /* complain mode: would have been denied */
        APPARMOR_DENIED,
        APPARMOR_HINT,
        APPARMOR_STATUS, /* profile load/replace/remove */
        APPARMOR_ERROR,
        APPARMOR_KILL,
        APPARMOR_VERDICT_UNKNOWN,
        _APPARMOR_VERDICT_MAX,
};

/* Every string is decoded (hex values undone) and NUL-terminated in
 * audit_event.text; NULL when the record does not have the field. */
struct apparmor_event {
        enum apparmor_verdict verdict;
        const char *operation; /* "open", "exec", "capable", "create", "profile_load"... */
        const char *profile;   /* profile= or label= of the subject */
        const char *name;      /* the object: path, profile name (STATUS), capability name */
        const char *target;    /* exec/link/change_profile target */
        const char *requested; /* requested_mask=, else requested=, else mask= (dbus) */
        const char *denied;    /* denied_mask=, else denied= */
        const char *info;
        const char *peer;   /* peer= / peer_label= */
        const char *family; /* network: "inet", "unix"... */
        const char *sock_type;
        const char *protocol;
        const char *capname;  /* capable: "net_admin" */
        const char *class;    /* class= on newer kernels: "file", "net", "cap"... */
        int capability;       /* capability=N, -1 when absent */
        int error;            /* error=-13, 0 when absent */
        uint32_t fsuid, ouid; /* AUDIT_ID_UNSET when absent */
        bool user;            /* a USER_AVC from a userspace enforcer (dbus) */
};

struct abend_event {
        int sig;
        int res;
};

#define AUDIT_ID_UNSET UINT32_MAX

struct audit_event {
        enum event_kind kind;
        unsigned type; /* the record type number */
        struct audit_stamp stamp;
        pid_t pid;                    /* 0 when absent */
        uint32_t uid, gid, auid, ses; /* AUDIT_ID_UNSET when absent */
        const char *comm;             /* decoded, NUL-terminated, arbitrary bytes otherwise */
        const char *exe;
        union {
                struct seccomp_event seccomp;
                struct apparmor_event apparmor;
                struct abend_event abend;
        };
        /* Backing store of every string above. */
        char text[AUDIT_TEXT_MAX + 1];
};

/* Where a malformed record went wrong: 1-based column (byte offset + 1) in
 * the text given, and a static description ("duplicate key", "odd number
 * of hex digits", "missing arch="...). */
struct audit_parse_error {
        size_t col;
        const char *what;
};

/* Parses one record. text is a line in any form listed above (type_hint 0,
 * the type is read from the text), or a netlink payload whose type is
 * type_hint (a type= in the text must then agree with it). A trailing
 * newline is allowed. Returns:
 *   0        *ret filled;
 *   -ENOMSG  not a record of a type handled here (another audit type, or a
 *            log line that is no audit record at all): not an error;
 *   -EBADMSG a record of a handled type that is malformed;
 *   -E2BIG   over AUDIT_LINE_MAX / AUDIT_TEXT_MAX / AUDIT_FIELDS_MAX.
 * On -EBADMSG and -E2BIG, *ret_error (when not NULL) says where. *ret is
 * scratch on failure. */
int audit_event_parse(const char *text, size_t len, unsigned type_hint, struct audit_event *ret,
                      struct audit_parse_error *ret_error);
/* The same, every record through the general key=value parser: without
 * the fast path for the field orders the kernel writes (audit-event-fast.h).
 * The two give the same result for every input; this one is what the
 * differential tests and fuzzers hold the fast path to. */
int audit_event_parse_general(const char *text, size_t len, unsigned type_hint,
                              struct audit_event *ret, struct audit_parse_error *ret_error);
/* Only the fast path, for the tests that check which records it takes:
 * 0 with *ret when it takes the record, -EAGAIN when it declines the stamp
 * or the fields (the general parser decides), else what the line before
 * them gave (-ENOMSG, -EBADMSG, -E2BIG). */
int audit_event_parse_fast(const char *text, size_t len, unsigned type_hint,
                           struct audit_event *ret);

/* Whether a and b are the same event: every field their kind has, and
 * each string the same bytes at the same place in its text buffer (so
 * that the used part of the buffers is the same too). */
bool audit_event_same(const struct audit_event *a, const struct audit_event *b);

/* Only the stamp: the first "audit(SEC.MSEC:SERIAL)" in the first 512 bytes
 * of text (past any prefix). Cheap, for serial accounting of records of
 * every type. Returns 0, -ENOMSG when there is none, -EBADMSG when it is
 * malformed. */
int audit_stamp_find(const char *text, size_t len, struct audit_stamp *ret);

const char *event_kind_to_string(enum event_kind k); /* "seccomp", "apparmor", "abend" */
const char *seccomp_event_verdict_to_string(
    enum seccomp_event_verdict v); /* "LOG", "ERRNO", "KILL_PROCESS"... */
const char *apparmor_verdict_to_string(enum apparmor_verdict v); /* "ALLOWED", "DENIED"... */
/* Decodes a SECCOMP_RET_* value. */
enum seccomp_event_verdict seccomp_event_verdict_from_code(uint32_t code);
/* True for events that mean "the policy refused this" or "would have":
 * seccomp LOG/ERRNO/KILL/TRAP, AppArmor ALLOWED/DENIED/KILL. */
bool audit_event_is_denial(const struct audit_event *e);
/* The same for an event of kind with verdict (an enum
 * seccomp_event_verdict or apparmor_verdict, as kind says), for what keeps
 * only those two (events/observations.h). */
bool event_verdict_is_denial(enum event_kind kind, unsigned verdict);
