/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the rebuild of an audit-transport journal entry
 * into the netlink form (journal_audit_text). The input is an entry in
 * journal export text: "NAME=value" lines, of which MESSAGE, _AUDIT_TYPE,
 * _AUDIT_TYPE_NAME, _AUDIT_ID and _SOURCE_REALTIME_TIMESTAMP are used (the
 * last of each wins; values may hold any byte but a newline). A rebuilt
 * text must be "audit(SEC.MSEC:ID): " with the numbers of the fields,
 * followed by the tail of MESSAGE, no longer than AUDIT_TEXT_MAX, without
 * a NUL; and a smaller buffer must fail exactly when the text does not
 * fit. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sources/journal-source.h"

static void set_field(struct journal_audit_fields *f, const char *line, size_t len)
{
        static const struct {
                const char *name;
                size_t offset;
        } names[] = {
            {"MESSAGE=", offsetof(struct journal_audit_fields, message)},
            {"_AUDIT_TYPE=", offsetof(struct journal_audit_fields, type)},
            {"_AUDIT_TYPE_NAME=", offsetof(struct journal_audit_fields, type_name)},
            {"_AUDIT_ID=", offsetof(struct journal_audit_fields, id)},
            {"_SOURCE_REALTIME_TIMESTAMP=", offsetof(struct journal_audit_fields, source_realtime)},
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                size_t n = strlen(names[i].name);
                struct journal_value *v = (struct journal_value *)((char *)f + names[i].offset);

                if (len >= n && memcmp(line, names[i].name, n) == 0) {
                        *v = (struct journal_value){line + n, len - n};
                        return;
                }
        }
}

static uint64_t decimal(struct journal_value v)
{
        uint64_t n = 0;

        for (size_t i = 0; i < v.len; i++)
                n = n * 10 + (uint64_t)(v.data[i] - '0');
        return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static char buf[AUDIT_TEXT_MAX + 1], small[AUDIT_TEXT_MAX + 1], want[80];
        struct journal_audit_fields f = {0};
        const char *p = (const char *)data, *end = p + size;
        unsigned type = 0, type2 = 0;
        uint64_t usec;
        size_t cut, head;
        int r, r2;

        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *e = nl ? nl : end;

                set_field(&f, p, (size_t)(e - p));
                p = nl ? nl + 1 : end;
        }

        r = journal_audit_text(&f, buf, sizeof(buf), &type);
        if (r != -EBADMSG && r != -E2BIG && r < 0)
                abort();
        /* The same with a smaller buffer: fails exactly when it does not fit. */
        cut = size % (AUDIT_TEXT_MAX + 1);
        r2 = journal_audit_text(&f, small, cut, &type2);
        if (r >= 0 &&
            ((size_t)r < cut ? r2 != r || memcmp(small, buf, (size_t)r + 1) != 0 : r2 != -E2BIG))
                abort();
        if (r < 0) {
                if (r2 >= 0 || type != 0)
                        abort();
                return 0;
        }

        if ((size_t)r > AUDIT_TEXT_MAX || strlen(buf) != (size_t)r)
                abort();
        if (type == 0 || type > 65535 || type != decimal(f.type))
                abort();
        usec = decimal(f.source_realtime);
        snprintf(want, sizeof(want), "audit(%" PRIu64 ".%03u:%" PRIu64 "): ", usec / 1000000,
                 (unsigned)(usec % 1000000 / 1000), decimal(f.id));
        head = strlen(want);
        if ((size_t)r <= head || memcmp(buf, want, head) != 0)
                abort();
        /* The rest is MESSAGE's tail, after the type name. */
        if (f.message.len < (size_t)r - head ||
            memcmp(buf + head, f.message.data + f.message.len - ((size_t)r - head),
                   (size_t)r - head) != 0)
                abort();
        if (buf[head] == ' ')
                abort();
        return 0;
}
