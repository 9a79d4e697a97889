/* SPDX-License-Identifier: MIT */
/* What the two field parsers of audit-event.h share, so that they cannot
 * drift apart: the general key=value parser (audit-event.c) and the fast
 * path for the kernel's fixed field orders (audit-event-fast.c).
 *   - the keys either reads, and which kinds of record read which;
 *   - how an event starts out before its fields are read;
 *   - what follows the fields (a seccomp verdict from code=, the AppArmor
 *     strings that have a preferred alternative).
 * Internal to events/: nothing outside the parser includes this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit-event.h"

/* The largest signal number of any architecture (MIPS: 128). */
#define AUDIT_SIG_MAX 128

enum audit_key {
        K_UNKNOWN = -1,
        K_AUID,
        K_UID,
        K_GID,
        K_SES,
        K_PID,
        K_COMM,
        K_EXE,
        K_SIG,
        K_ARCH,
        K_SYSCALL,
        K_COMPAT,
        K_IP,
        K_CODE,
        K_RES,
        K_APPARMOR,
        K_OPERATION,
        K_PROFILE,
        K_LABEL,
        K_NAME,
        K_TARGET,
        K_REQUESTED_MASK,
        K_DENIED_MASK,
        K_REQUESTED,
        K_DENIED,
        K_MASK,
        K_INFO,
        K_ERROR,
        K_PEER,
        K_PEER_LABEL,
        K_FAMILY,
        K_SOCK_TYPE,
        K_PROTOCOL,
        K_CAPABILITY,
        K_CAPNAME,
        K_CLASS,
        K_FSUID,
        K_OUID,
        K_MSG,
        _K_MAX,
};

#define KEY_BIT(k) (UINT64_C(1) << (k))
_Static_assert(_K_MAX <= 64, "keys must fit a 64-bit seen mask");

#define KEYS_TASK                                                                                  \
        (KEY_BIT(K_AUID) | KEY_BIT(K_UID) | KEY_BIT(K_GID) | KEY_BIT(K_SES) | KEY_BIT(K_PID) |     \
         KEY_BIT(K_COMM) | KEY_BIT(K_EXE))
#define KEYS_SECCOMP                                                                               \
        (KEYS_TASK | KEY_BIT(K_SIG) | KEY_BIT(K_ARCH) | KEY_BIT(K_SYSCALL) | KEY_BIT(K_COMPAT) |   \
         KEY_BIT(K_IP) | KEY_BIT(K_CODE))
#define KEYS_ABEND (KEYS_TASK | KEY_BIT(K_SIG) | KEY_BIT(K_RES))
#define KEYS_APPARMOR                                                                              \
        (KEY_BIT(K_PID) | KEY_BIT(K_COMM) | KEY_BIT(K_EXE) | KEY_BIT(K_APPARMOR) |                 \
         KEY_BIT(K_OPERATION) | KEY_BIT(K_PROFILE) | KEY_BIT(K_LABEL) | KEY_BIT(K_NAME) |          \
         KEY_BIT(K_TARGET) | KEY_BIT(K_REQUESTED_MASK) | KEY_BIT(K_DENIED_MASK) |                  \
         KEY_BIT(K_REQUESTED) | KEY_BIT(K_DENIED) | KEY_BIT(K_MASK) | KEY_BIT(K_INFO) |            \
         KEY_BIT(K_ERROR) | KEY_BIT(K_PEER) | KEY_BIT(K_PEER_LABEL) | KEY_BIT(K_FAMILY) |          \
         KEY_BIT(K_SOCK_TYPE) | KEY_BIT(K_PROTOCOL) | KEY_BIT(K_CAPABILITY) | KEY_BIT(K_CAPNAME) | \
         KEY_BIT(K_CLASS) | KEY_BIT(K_FSUID) | KEY_BIT(K_OUID))
/* The outer record of a USER_AVC: only msg= is read (the rest describes
 * the enforcer, not the subject). */
#define KEYS_USER_AVC KEY_BIT(K_MSG)
/* What a seccomp and an ABEND record must have. */
#define KEYS_SECCOMP_NEEDED                                                                        \
        (KEY_BIT(K_PID) | KEY_BIT(K_ARCH) | KEY_BIT(K_SYSCALL) | KEY_BIT(K_CODE))
#define KEYS_ABEND_NEEDED (KEY_BIT(K_PID) | KEY_BIT(K_SIG))

/* The key named by the n bytes at k, K_UNKNOWN for any other. */
enum audit_key audit_key_of(const char *k, size_t n);

/* apparmor="DENIED" and the like: the verdict the n bytes at s name,
 * APPARMOR_VERDICT_UNKNOWN for any other. */
enum apparmor_verdict audit_apparmor_verdict_of(const char *s, size_t n);

/* Sets everything but stamp and text to what a record without fields
 * would give: kind and type as given, no pid, ids unset, no strings, the
 * kind's part of the union at its defaults. */
void audit_event_start(struct audit_event *e, enum event_kind kind, unsigned type);

/* After a seccomp record's fields: verdict, data and syscall name, from
 * code, arch and syscall. */
void audit_seccomp_finish(struct seccomp_event *s);

/* AppArmor strings read under another key, used when the preferred one is
 * absent (label= for profile=, peer_label= for peer=, requested= then mask=
 * for requested_mask=, denied= for denied_mask=). */
struct audit_apparmor_alt {
        const char *label, *peer_label, *requested, *mask, *denied;
};

/* After an AppArmor record's fields: the verdict from the record type
 * (1501..1507) when there was no apparmor= (had_verdict false), the
 * alternatives, and the capability name as the object. */
void audit_apparmor_finish(struct audit_event *e, bool had_verdict,
                           const struct audit_apparmor_alt *alt);
