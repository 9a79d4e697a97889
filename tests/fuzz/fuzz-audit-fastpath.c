/* SPDX-License-Identifier: MIT */
/* libFuzzer target holding the fast path of the audit record parser
 * (events/audit-event-fast.h) to the general key=value parser: every input
 * is parsed three ways, as audit_event_parse() does it (fast path, then
 * the general parser), with the general parser only, and with the fast
 * path only. Checks:
 *   - the first two agree on the return code, on where and why a record is
 *     malformed, and on the event (audit_event_same(): every field, every
 *     string at the same place in the text buffer);
 *   - what the fast path alone takes, the general parser takes too, with
 *     the same event; where it declines, nothing is left for it to say.
 * Input as fuzz-audit-event: "NNNN<TAB>text" hands NNNN as the transport's
 * type, anything else is a line with type hint 0. The seeds are the
 * kernel's forms the fast path takes, so that mutations land on either
 * side of what it accepts. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/audit-event.h"

static struct audit_event both, general, fast;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        const char *text = (const char *)data;
        struct audit_parse_error e1 = {0}, e2 = {0};
        unsigned hint = 0;
        size_t len = size, i = 0;
        int r1, r2, r3;

        while (i < size && i < 5 && data[i] >= '0' && data[i] <= '9') {
                hint = hint * 10 + (unsigned)(data[i] - '0');
                i++;
        }
        if (i > 0 && i < size && data[i] == '\t') {
                text += i + 1;
                len -= i + 1;
        } else
                hint = 0;

        r1 = audit_event_parse(text, len, hint, &both, &e1);
        r2 = audit_event_parse_general(text, len, hint, &general, &e2);
        r3 = audit_event_parse_fast(text, len, hint, &fast);
        if (r1 != r2)
                abort();
        if ((r1 == -EBADMSG || r1 == -E2BIG) && (e1.col != e2.col || e1.what != e2.what))
                abort();
        if (r1 == 0 && !audit_event_same(&both, &general))
                abort();
        switch (r3) {
        case 0:
                if (r2 != 0 || !audit_event_same(&fast, &general))
                        abort();
                break;
        case -EAGAIN:
                /* Declined after the prefix: the general parser decides. */
                break;
        default:
                /* The line or the stamp already failed: the same for both. */
                if (r3 != r2)
                        abort();
                break;
        }
        return 0;
}
