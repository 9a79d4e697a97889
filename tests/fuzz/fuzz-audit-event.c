/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the audit record parser: any bytes, in any of the
 * line forms. An input "NNNN<TAB>text" hands NNNN as the transport's type
 * (the netlink and journal sources do), anything else is a line with type
 * hint 0. Checks: only the documented return codes; an error column inside
 * the text; every string of an event inside its text buffer and
 * NUL-terminated there; enums in range; the syscall name is libseccomp's;
 * a second parse gives the same event. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/audit-event.h"
#include "events/syscall-lookup.h"

static struct audit_event a, b;

static void check_string(const struct audit_event *e, const char *s)
{
        if (!s)
                return;
        if (s < e->text || s >= e->text + sizeof(e->text))
                abort();
        if (!memchr(s, '\0', (size_t)(e->text + sizeof(e->text) - s)))
                abort();
}

static bool same_string(const char *x, const char *y)
{
        return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *text = (const char *)data;
        struct audit_parse_error err = {0};
        unsigned hint = 0;
        size_t len = size, i = 0;
        int r;

        while (i < size && i < 5 && data[i] >= '0' && data[i] <= '9') {
                hint = hint * 10 + (unsigned)(data[i] - '0');
                i++;
        }
        if (i > 0 && i < size && data[i] == '\t') {
                text += i + 1;
                len -= i + 1;
        } else
                hint = 0;

        r = audit_event_parse(text, len, hint, &a, &err);
        if (r == -EBADMSG || r == -E2BIG) {
                if (!err.what || err.col < 1 || err.col > len + 1)
                        abort();
                return 0;
        }
        if (r == -ENOMSG)
                return 0;
        if (r != 0)
                abort();

        if ((unsigned)a.kind >= _EVENT_KIND_MAX || !event_kind_to_string(a.kind))
                abort();
        check_string(&a, a.comm);
        check_string(&a, a.exe);
        switch (a.kind) {
        case EVENT_SECCOMP:
                if ((unsigned)a.seccomp.verdict >= _SECCOMP_EVENT_VERDICT_MAX ||
                    a.seccomp.syscall_name != syscall_lookup(a.seccomp.arch, a.seccomp.syscall) ||
                    a.seccomp.verdict != seccomp_event_verdict_from_code(a.seccomp.code))
                        abort();
                break;
        case EVENT_APPARMOR: {
                const struct apparmor_event *p = &a.apparmor;
                const char *const strings[] = {p->operation, p->profile,   p->name,     p->target,
                                               p->requested, p->denied,    p->info,     p->peer,
                                               p->family,    p->sock_type, p->protocol, p->capname,
                                               p->class};

                if ((unsigned)p->verdict >= _APPARMOR_VERDICT_MAX)
                        abort();
                for (size_t k = 0; k < sizeof(strings) / sizeof(strings[0]); k++)
                        check_string(&a, strings[k]);
                break;
        }
        case EVENT_ABEND:
        case _EVENT_KIND_MAX:
        default:
                break;
        }

        /* Pure: the same bytes give the same event. */
        if (audit_event_parse(text, len, hint, &b, NULL) != 0 || a.kind != b.kind ||
            a.type != b.type || !audit_stamp_equal(a.stamp, b.stamp) || a.pid != b.pid ||
            a.uid != b.uid || !same_string(a.comm, b.comm) || !same_string(a.exe, b.exe))
                abort();
        if (a.kind == EVENT_APPARMOR && (!same_string(a.apparmor.name, b.apparmor.name) ||
                                         !same_string(a.apparmor.profile, b.apparmor.profile)))
                abort();
        return 0;
}
