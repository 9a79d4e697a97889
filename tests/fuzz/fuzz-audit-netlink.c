/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the live audit source's two pure parts. The first
 * byte chooses:
 *  - even: the rest is one datagram for audit_netlink_frame(). Every record
 *    handed on must lie inside the datagram, be 1..AUDIT_TEXT_MAX bytes
 *    without a NUL, and have a record type; the counts must add up. Bits
 *    1-3 of the first byte make the callback fail at that record; bit 4
 *    makes the datagram the rest twice over, so that records over
 *    AUDIT_TEXT_MAX are in reach of run.sh's -max_len=8192.
 *  - odd: the rest is a stream of serials for the tracker: a 32-bit start,
 *    then 16-bit signed steps (so the 32-bit wrap, the window and resets
 *    are all in reach). When nothing reset, the gaps counted after a flush
 *    must be exactly the serials from the first one seen to the highest
 *    that never came. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/audit-event.h"
#include "sources/audit-netlink.h"
#include "events/audit-serial.h"

struct frame_check {
        const char *buf;
        size_t len;
        unsigned calls, fail_at;
};

static int check_record(const struct audit_raw *raw, void *userdata)
{
        struct frame_check *c = userdata;

        if (raw->source != AUDIT_SOURCE_NETLINK || raw->len == 0 || raw->len > AUDIT_TEXT_MAX)
                abort();
        if (raw->text < c->buf || raw->text + raw->len > c->buf + c->len)
                abort();
        if (memchr(raw->text, '\0', raw->len))
                abort();
        if (raw->type < AUDIT_NETLINK_RECORD_FIRST || raw->type > AUDIT_NETLINK_RECORD_LAST)
                abort();
        if (++c->calls == c->fail_at)
                return -1;
        return 0;
}

static void fuzz_frame(const uint8_t *data, size_t n, unsigned fail_at, bool twice)
{
        /* The datagram as recvmmsg() leaves it: in an aligned buffer. */
        size_t size = twice ? 2 * n : n;
        uint32_t *buf = malloc(size + 4);
        struct audit_netlink_stats st = {0};
        struct frame_check c = {(const char *)buf, size, 0, fail_at};
        int r;

        if (!buf)
                return;
        memcpy(buf, data, n);
        if (twice)
                memcpy((char *)buf + n, data, n);
        r = audit_netlink_frame(buf, size, check_record, &c, &st);
        if (r < 0 && (r != -1 || c.calls != fail_at))
                abort();
        if (r >= 0 && ((unsigned)r != c.calls || st.records != c.calls))
                abort();
        if (st.records + st.ignored + st.malformed + st.oversize > size / 16 + 1)
                abort();
        if (st.datagrams || st.bytes || st.overruns || st.foreign)
                abort();
        free(buf);
}

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return x < y ? -1 : x > y;
}

static void fuzz_serials(const uint8_t *data, size_t size)
{
        struct audit_serial_tracker t;
        uint64_t *pos, first = 0, last = 0, expect, distinct = 0, zeros;
        size_t n = 0;
        uint32_t s;

        if (size < 4)
                return;
        pos = malloc(sizeof(*pos) * (size / 2 + 1));
        if (!pos)
                return;
        memcpy(&s, data, 4);
        audit_serial_init(&t);
        for (size_t i = 4;; i += 2) {
                /* The model's position: nearest the highest one so far, as
                 * long as nothing resets. */
                if (s != 0) {
                        uint64_t p = n == 0
                                         ? (1ull << 32) + s
                                         : last + (uint64_t)(int64_t)(int32_t)(s - (uint32_t)last);

                        if (n == 0)
                                first = last = p;
                        else if (p > last)
                                last = p;
                        pos[n++] = p;
                }
                audit_serial_see(&t, s);
                if (i + 2 > size)
                        break;
                s += (uint32_t)(int32_t)(int16_t)(data[i] | data[i + 1] << 8);
        }
        audit_serial_flush(&t);
        if (t.distinct > t.records || t.late > t.distinct)
                abort();
        if (t.resets == 0 && n > 0) {
                qsort(pos, n, sizeof(*pos), cmp_u64);
                for (size_t i = 0; i < n; i++)
                        if (pos[i] >= first && (i == 0 || pos[i] != pos[i - 1]))
                                distinct++;
                zeros = last / (1ull << 32) - (first - 1) / (1ull << 32);
                expect = last + 1 - first - distinct - zeros;
                if (t.gaps != expect)
                        abort();
        }
        free(pos);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        if (data[0] & 1)
                fuzz_serials(data + 1, size - 1);
        else
                fuzz_frame(data + 1, size - 1, (data[0] >> 1) & 7, data[0] & 0x10);
        return 0;
}
