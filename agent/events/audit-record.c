/* SPDX-License-Identifier: MIT */
#include "audit-record.h"

#include <string.h>

#include "base/macro.h"
#include "syscall-lookup.h"

#define IS(lit) (n == sizeof(lit) - 1 && memcmp(k, lit, sizeof(lit) - 1) == 0)

enum audit_key audit_key_of(const char *k, size_t n)
{
        switch (n) {
        case 2:
                return IS("ip") ? K_IP : K_UNKNOWN;
        case 3:
                switch (k[0]) {
                case 'u':
                        return IS("uid") ? K_UID : K_UNKNOWN;
                case 'g':
                        return IS("gid") ? K_GID : K_UNKNOWN;
                case 's':
                        return IS("ses") ? K_SES : IS("sig") ? K_SIG : K_UNKNOWN;
                case 'p':
                        return IS("pid") ? K_PID : K_UNKNOWN;
                case 'e':
                        return IS("exe") ? K_EXE : K_UNKNOWN;
                case 'r':
                        return IS("res") ? K_RES : K_UNKNOWN;
                case 'm':
                        return IS("msg") ? K_MSG : K_UNKNOWN;
                default:
                        return K_UNKNOWN;
                }
        case 4:
                switch (k[0]) {
                case 'a':
                        return IS("auid") ? K_AUID : IS("arch") ? K_ARCH : K_UNKNOWN;
                case 'c':
                        return IS("comm") ? K_COMM : IS("code") ? K_CODE : K_UNKNOWN;
                case 'n':
                        return IS("name") ? K_NAME : K_UNKNOWN;
                case 'i':
                        return IS("info") ? K_INFO : K_UNKNOWN;
                case 'p':
                        return IS("peer") ? K_PEER : K_UNKNOWN;
                case 'm':
                        return IS("mask") ? K_MASK : K_UNKNOWN;
                case 'o':
                        return IS("ouid") ? K_OUID : K_UNKNOWN;
                default:
                        return K_UNKNOWN;
                }
        case 5:
                return IS("error")   ? K_ERROR
                       : IS("class") ? K_CLASS
                       : IS("label") ? K_LABEL
                       : IS("fsuid") ? K_FSUID
                                     : K_UNKNOWN;
        case 6:
                return IS("compat")   ? K_COMPAT
                       : IS("family") ? K_FAMILY
                       : IS("denied") ? K_DENIED
                       : IS("target") ? K_TARGET
                                      : K_UNKNOWN;
        case 7:
                return IS("syscall")   ? K_SYSCALL
                       : IS("profile") ? K_PROFILE
                       : IS("capname") ? K_CAPNAME
                                       : K_UNKNOWN;
        case 8:
                return IS("apparmor") ? K_APPARMOR : IS("protocol") ? K_PROTOCOL : K_UNKNOWN;
        case 9:
                return IS("operation")   ? K_OPERATION
                       : IS("sock_type") ? K_SOCK_TYPE
                       : IS("requested") ? K_REQUESTED
                                         : K_UNKNOWN;
        case 10:
                return IS("capability")   ? K_CAPABILITY
                       : IS("peer_label") ? K_PEER_LABEL
                                          : K_UNKNOWN;
        case 11:
                return IS("denied_mask") ? K_DENIED_MASK : K_UNKNOWN;
        case 14:
                return IS("requested_mask") ? K_REQUESTED_MASK : K_UNKNOWN;
        default:
                return K_UNKNOWN;
        }
}

#undef IS

#define IS(lit) (n == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)

enum apparmor_verdict audit_apparmor_verdict_of(const char *s, size_t n)
{
        /* Every AppArmor record has one: by length, then the bytes. */
        switch (n) {
        case 4:
                return IS("HINT")   ? APPARMOR_HINT
                       : IS("KILL") ? APPARMOR_KILL
                                    : APPARMOR_VERDICT_UNKNOWN;
        case 5:
                return IS("AUDIT")   ? APPARMOR_AUDIT
                       : IS("ERROR") ? APPARMOR_ERROR
                                     : APPARMOR_VERDICT_UNKNOWN;
        case 6:
                return IS("DENIED")   ? APPARMOR_DENIED
                       : IS("STATUS") ? APPARMOR_STATUS
                                      : APPARMOR_VERDICT_UNKNOWN;
        case 7:
                return IS("ALLOWED") ? APPARMOR_ALLOWED : APPARMOR_VERDICT_UNKNOWN;
        default:
                return APPARMOR_VERDICT_UNKNOWN;
        }
}

#undef IS

void audit_event_start(struct audit_event *e, enum event_kind kind, unsigned type)
{
        e->kind = kind;
        e->type = type;
        e->pid = 0;
        e->uid = e->gid = e->auid = e->ses = AUDIT_ID_UNSET;
        e->comm = e->exe = NULL;
        switch (kind) {
        case EVENT_SECCOMP:
                e->seccomp = (struct seccomp_event){0};
                break;
        case EVENT_ABEND:
                e->abend = (struct abend_event){0};
                break;
        case EVENT_APPARMOR:
                e->apparmor = (struct apparmor_event){
                    .verdict = APPARMOR_VERDICT_UNKNOWN,
                    .capability = -1,
                    .fsuid = AUDIT_ID_UNSET,
                    .ouid = AUDIT_ID_UNSET,
                };
                break;
        case _EVENT_KIND_MAX:
        default:
                break;
        }
}

void audit_seccomp_finish(struct seccomp_event *s)
{
        s->verdict = seccomp_event_verdict_from_code(s->code);
        s->data = (uint16_t)(s->code & 0xffffu); /* SECCOMP_RET_DATA */
        s->syscall_name = syscall_lookup(s->arch, s->syscall);
}

void audit_apparmor_finish(struct audit_event *e, bool had_verdict,
                           const struct audit_apparmor_alt *alt)
{
        struct apparmor_event *a = &e->apparmor;

        if (!had_verdict && e->type >= AUDIT_TYPE_APPARMOR_AUDIT &&
            e->type <= AUDIT_TYPE_APPARMOR_KILL)
                a->verdict = (enum apparmor_verdict)(e->type - AUDIT_TYPE_APPARMOR_AUDIT);
        if (!a->profile)
                a->profile = alt->label;
        if (!a->peer)
                a->peer = alt->peer_label;
        if (!a->requested)
                a->requested = alt->requested ? alt->requested : alt->mask;
        if (!a->denied)
                a->denied = alt->denied;
        if (!a->name)
                a->name = a->capname;
}
