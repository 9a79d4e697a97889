/* SPDX-License-Identifier: MIT */
/* The live kernel audit source and its loss accounting.
 *  - Framing: hand-built datagrams (messages cut short, lengths past the
 *    end, empty and NUL-terminated payloads, NOOP/ERROR/DONE, control
 *    types, records over AUDIT_TEXT_MAX) through audit_netlink_frame().
 *  - The serial tracker: a table of streams (in order, reordered, gaps,
 *    duplicates, resets, the 32-bit wrap), and long random streams checked
 *    against a plain model of what was never seen.
 *  - Live, as root: a child under a SECCOMP_RET_LOG filter makes 1000
 *    getppid() calls and exactly 1000 records come back, on two sockets at
 *    once, with no overrun and no serial gap; datagrams from a process
 *    (unicast to our port, multicast to the group) are dropped; a tiny
 *    receive buffer overruns, is counted, and reading goes on; without
 *    CAP_AUDIT_READ opening fails with EPERM. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"
#include "events/audit-event.h"
#include "sources/audit-netlink.h"
#include "events/audit-serial.h"
#include "testing.h"

DEFINE_POINTER_CLEANUP(struct audit_netlink, audit_netlink_free)
#define _cleanup_audit_netlink_ _cleanup_(audit_netlink_freep)

/* ---- framing ---- */

struct msg {
        uint16_t type;
        const char *payload;
        size_t plen;
        int len_delta; /* added to the true nlmsg_len */
};
#define P(s) .payload = (s), .plen = sizeof(s) - 1

struct got {
        unsigned n;
        unsigned types[4];
        char texts[4][64];
        size_t lens[4];
        int fail_at; /* the callback fails on this record (1-based), 0 never */
};

static int collect(const struct audit_raw *raw, void *userdata)
{
        struct got *g = userdata;

        ck_assert_int_eq(raw->source, AUDIT_SOURCE_NETLINK);
        ck_assert_ptr_null(raw->origin);
        if (g->fail_at && g->n + 1 == (unsigned)g->fail_at)
                return -ECANCELED;
        if (g->n < 4) {
                g->types[g->n] = raw->type;
                g->lens[g->n] = raw->len;
                snprintf(g->texts[g->n], sizeof(g->texts[0]), "%.*s", (int)raw->len, raw->text);
        }
        g->n++;
        return 0;
}

/* A datagram: messages laid out as the kernel does (each padded to 4
 * bytes, the padding filled with 'Z' so that no reader can rely on a NUL
 * after the text), then tail bytes of 'Z', then cut bytes removed. */
struct dgram {
        uint32_t words[8192];
        size_t len;
};

static void dgram_add(struct dgram *d, const struct msg *m)
{
        char *p = (char *)d->words + d->len;
        struct nlmsghdr h = {
            .nlmsg_len = (uint32_t)((int)NLMSG_LENGTH(m->plen) + m->len_delta),
            .nlmsg_type = m->type,
        };
        size_t space = NLMSG_SPACE(m->plen);

        ck_assert_uint_le(d->len + space, sizeof(d->words));
        memset(p, 'Z', space);
        memcpy(p, &h, sizeof(h));
        if (m->plen)
                memcpy(p + NLMSG_HDRLEN, m->payload, m->plen);
        d->len += space;
}

static const struct frame_case {
        const char *name;
        struct msg msgs[3];
        size_t tail, cut; /* bytes added after the messages, then cut off the end */
        int ret;
        const char *texts[3];
        unsigned types[3];
        unsigned ignored, malformed, oversize;
} frame_cases[] = {
    {.name = "one record",
     .msgs = {{1326, P("audit(1.002:3): pid=7 syscall=110")}},
     .ret = 1,
     .texts = {"audit(1.002:3): pid=7 syscall=110"},
     .types = {1326}},
    {.name = "two records",
     .msgs = {{1300, P("audit(1.002:3): a=1")}, {1327, P("audit(1.002:3): proctitle=\"x\"")}},
     .ret = 2,
     .texts = {"audit(1.002:3): a=1", "audit(1.002:3): proctitle=\"x\""},
     .types = {1300, 1327}},
    /* The last message need not carry its padding. */
    {.name = "unpadded last",
     .msgs = {{1326, P("audit")}},
     .cut = 3,
     .ret = 1,
     .texts = {"audit"},
     .types = {1326}},
    {.name = "nlmsg_len below the header",
     .msgs = {{1326, P("audit(1.2:3): x"), -19}},
     .malformed = 1},
    {.name = "nlmsg_len past the end", .msgs = {{1326, P("audit(1.2:3): x"), 100}}, .malformed = 1},
    {.name = "second nlmsg_len past the end",
     .msgs = {{1326, P("audit(1.2:3): a")}, {1326, P("audit(1.2:4): b"), 40}},
     .ret = 1,
     .texts = {"audit(1.2:3): a"},
     .types = {1326},
     .malformed = 1},
    {.name = "datagram cut inside the text",
     .msgs = {{1326, P("audit(1.2:3): abcdefgh")}},
     .cut = 8,
     .malformed = 1},
    {.name = "bytes after the last message",
     .msgs = {{1326, P("audit(1.2:3): a")}},
     .tail = 8,
     .ret = 1,
     .texts = {"audit(1.2:3): a"},
     .types = {1326},
     .malformed = 1},
    {.name = "only part of a header", .tail = 12, .malformed = 1},
    {.name = "empty datagram", .malformed = 1},
    {.name = "zero-length payload", .msgs = {{1326, P("")}}, .malformed = 1},
    {.name = "payload of NULs only", .msgs = {{1326, P("\0\0\0")}}, .malformed = 1},
    {.name = "NUL-terminated payload",
     .msgs = {{1326, P("audit(1.2:3): x=1\0")}},
     .ret = 1,
     .texts = {"audit(1.2:3): x=1"},
     .types = {1326}},
    {.name = "NUL inside the payload",
     .msgs = {{1400, P("audit(1.2:3): a\0junk")}},
     .ret = 1,
     .texts = {"audit(1.2:3): a"},
     .types = {1400}},
    {.name = "NOOP and ERROR skipped",
     .msgs = {{NLMSG_NOOP, P("")}, {NLMSG_ERROR, P("\0\0\0\0")}, {1326, P("audit(1.2:3): a")}},
     .ret = 1,
     .texts = {"audit(1.2:3): a"},
     .types = {1326},
     .ignored = 2},
    {.name = "DONE ends the datagram",
     .msgs = {{1326, P("audit(1.2:3): a")},
              {NLMSG_DONE, P("\0\0\0\0")},
              {1326, P("audit(1.2:4): b")}},
     .ret = 1,
     .texts = {"audit(1.2:3): a"},
     .types = {1326},
     .ignored = 1},
    {.name = "control types are no records",
     .msgs = {{AUDIT_GET, P("abcd")}, {999, P("x")}, {3000, P("audit(1.2:3): a")}},
     .ignored = 3},
    {.name = "first and last record types",
     .msgs = {{1100, P("audit(1.2:3): a")}, {2999, P("audit(1.2:3): b")}},
     .ret = 2,
     .texts = {"audit(1.2:3): a", "audit(1.2:3): b"},
     .types = {1100, 2999}},
};

START_TEST(test_frame_table)
{
        const struct frame_case *c = &frame_cases[_i];
        static struct dgram d;
        struct audit_netlink_stats st = {0};
        struct got g = {0};
        int r;

        memset(&d, 0, sizeof(d));
        for (size_t i = 0; i < ELEMENTSOF(c->msgs) && c->msgs[i].type; i++)
                dgram_add(&d, &c->msgs[i]);
        memset((char *)d.words + d.len, 'Z', c->tail);
        d.len += c->tail;
        ck_assert_uint_ge(d.len, c->cut);
        d.len -= c->cut;

        r = audit_netlink_frame(d.words, d.len, collect, &g, &st);
        ck_assert_msg(r == c->ret, "%s: returned %d", c->name, r);
        ck_assert_uint_eq(g.n, (unsigned)c->ret);
        ck_assert_uint_eq(st.records, (unsigned)c->ret);
        for (int i = 0; i < c->ret; i++) {
                ck_assert_msg(strcmp(g.texts[i], c->texts[i]) == 0, "%s: record %d is '%s'",
                              c->name, i, g.texts[i]);
                ck_assert_uint_eq(g.lens[i], strlen(c->texts[i]));
                ck_assert_uint_eq(g.types[i], c->types[i]);
        }
        ck_assert_msg(st.ignored == c->ignored, "%s: ignored %lu", c->name,
                      (unsigned long)st.ignored);
        ck_assert_msg(st.malformed == c->malformed, "%s: malformed %lu", c->name,
                      (unsigned long)st.malformed);
        ck_assert_uint_eq(st.oversize, c->oversize);
        ck_assert_uint_eq(st.datagrams + st.overruns + st.foreign + st.bytes, 0);
}
END_TEST

START_TEST(test_frame_oversize)
{
        static struct dgram d;
        static char text[AUDIT_TEXT_MAX + 2];
        struct audit_netlink_stats st = {0};
        struct got g = {0};

        memset(text, 'a', sizeof(text));
        memcpy(text, "audit(1.2:3): ", 14);
        /* Exactly AUDIT_TEXT_MAX is a record, one byte more is not; the
         * framing goes on after it. */
        memset(&d, 0, sizeof(d));
        dgram_add(&d, &(struct msg){1326, text, AUDIT_TEXT_MAX, 0});
        dgram_add(&d, &(struct msg){1326, text, AUDIT_TEXT_MAX + 1, 0});
        dgram_add(&d, &(struct msg){1326, P("audit(1.2:4): ok")});
        ck_assert_int_eq(audit_netlink_frame(d.words, d.len, collect, &g, &st), 2);
        ck_assert_uint_eq(g.lens[0], AUDIT_TEXT_MAX);
        ck_assert_str_eq(g.texts[1], "audit(1.2:4): ok");
        ck_assert_uint_eq(st.oversize, 1);
        ck_assert_uint_eq(st.malformed, 0);
        /* A NUL inside brings an oversized payload back under the cap. */
        memset(&d, 0, sizeof(d));
        text[20] = '\0';
        dgram_add(&d, &(struct msg){1326, text, AUDIT_TEXT_MAX + 1, 0});
        ck_assert_int_eq(audit_netlink_frame(d.words, d.len, collect, &g, &st), 1);
        ck_assert_uint_eq(g.lens[2], 20);
}
END_TEST

START_TEST(test_frame_callback_error)
{
        static struct dgram d;
        struct audit_netlink_stats st = {0};
        struct got g = {.fail_at = 2};

        memset(&d, 0, sizeof(d));
        dgram_add(&d, &(struct msg){1326, P("audit(1.2:3): a")});
        dgram_add(&d, &(struct msg){1326, P("audit(1.2:4): b")});
        dgram_add(&d, &(struct msg){1326, P("audit(1.2:5): c")});
        ck_assert_int_eq(audit_netlink_frame(d.words, d.len, collect, &g, &st), -ECANCELED);
        ck_assert_uint_eq(g.n, 1);
        ck_assert_uint_eq(st.records, 1);
}
END_TEST

/* ---- serial tracker ---- */

#define WIN AUDIT_SERIAL_WINDOW

struct serial_counts {
        uint64_t records, ignored, distinct, gaps, late, resets;
};

static const struct serial_case {
        const char *name;
        uint64_t serials[12];
        size_t n;
        bool flush;
        struct serial_counts want;
} serial_cases[] = {
    {"in order", {1, 2, 3, 4, 5, 6}, 6, true, {6, 0, 6, 0, 0, 0}},
    {"reordered within the window", {10, 12, 11, 15, 13, 14}, 6, true, {6, 0, 6, 0, 0, 0}},
    {"reordered across the window's width",
     {100, 100 + WIN - 1, 101, 102},
     4,
     true,
     {4, 0, 4, WIN - 4, 0, 0}},
    {"a gap, counted at flush", {1, 2, 4, 5}, 4, true, {4, 0, 4, 1, 0, 0}},
    {"a gap, not yet settled", {1, 2, 4, 5}, 4, false, {4, 0, 4, 0, 0, 0}},
    {"duplicates and shared serials", {7, 7, 8, 8, 8, 9}, 6, true, {6, 0, 3, 0, 0, 0}},
    {"serial 0 and non-kernel serials ignored",
     {0, 1, 0, 2, 1ull << 32, UINT64_MAX, 3},
     7,
     true,
     {3, 4, 3, 0, 0, 0}},
    {"a gap bigger than the window", {1, 1 + WIN + 100}, 2, true, {2, 0, 2, WIN + 99, 0, 0}},
    {"a gap settled by the window, no flush", {1, 1 + WIN + 100}, 2, false, {2, 0, 2, 100, 0, 0}},
    /* 2..12 are counted missing when 12+WIN arrives; 2 then comes late. */
    {"late after being counted", {1, WIN + 12, 2}, 3, false, {3, 0, 3, 10, 1, 0}},
    {"late, then flushed", {1, WIN + 12, 2}, 3, true, {3, 0, 3, 10 + WIN - 1, 1, 0}},
    {"late duplicate", {1, WIN + 12, 2, 2}, 4, false, {4, 0, 3, 10, 1, 0}},
    {"jump backwards resets", {100000, 100001, 5, 6}, 4, true, {4, 0, 4, 0, 0, 1}},
    {"jump backwards after a gap: the gap stays", {100000, 100002, 5}, 3, true, {3, 0, 3, 1, 0, 1}},
    {"jump forward past JUMP_MAX resets",
     {1, 2, 3 + AUDIT_SERIAL_JUMP_MAX, 4 + AUDIT_SERIAL_JUMP_MAX},
     4,
     true,
     {4, 0, 4, 0, 0, 1}},
    {"jump forward up to JUMP_MAX is loss",
     {1, 1 + AUDIT_SERIAL_JUMP_MAX},
     2,
     true,
     {2, 0, 2, AUDIT_SERIAL_JUMP_MAX - 1, 0, 0}},
    {"before the first serial seen: no gap", {10, 9, 11, 8}, 4, true, {4, 0, 4, 0, 0, 0}},
    {"the 32-bit wrap (0 skipped)", {4294967294u, 4294967295u, 1, 2}, 4, true, {4, 0, 4, 0, 0, 0}},
    {"the 32-bit wrap (0 sent, ignored)", {4294967295u, 0, 1, 2}, 4, true, {3, 1, 3, 0, 0, 0}},
    {"a gap across the wrap", {4294967294u, 2}, 2, true, {2, 0, 2, 2, 0, 0}},
    /* 4294960000 + 3 windows + 100, past the wrap: serial 0 falls among the
     * serials settled without looking at the ring. */
    {"a gap over the window across the wrap",
     {4294960000u, (4294960000ull + 3 * WIN + 100) % (1ull << 32)},
     2,
     false,
     {2, 0, 2, 2 * WIN + 99, 0, 0}},
    {"reordered across the wrap", {1, 4294967295u, 2}, 3, true, {3, 0, 3, 0, 0, 0}},
    {"flush of nothing", {0}, 0, true, {0, 0, 0, 0, 0, 0}},
};

START_TEST(test_serial_table)
{
        const struct serial_case *c = &serial_cases[_i];
        struct audit_serial_tracker t;

        audit_serial_init(&t);
        for (size_t i = 0; i < c->n; i++)
                audit_serial_see(&t, c->serials[i]);
        if (c->flush)
                audit_serial_flush(&t);
        const struct serial_counts got = {t.records, t.ignored, t.distinct,
                                          t.gaps,    t.late,    t.resets};

        ck_assert_msg(memcmp(&got, &c->want, sizeof(got)) == 0,
                      "%s: records %lu ignored %lu distinct %lu gaps %lu late %lu resets %lu",
                      c->name, (unsigned long)t.records, (unsigned long)t.ignored,
                      (unsigned long)t.distinct, (unsigned long)t.gaps, (unsigned long)t.late,
                      (unsigned long)t.resets);
        /* Flushing again changes nothing. */
        audit_serial_flush(&t);
        audit_serial_flush(&t);
        if (c->flush)
                ck_assert_uint_eq(t.gaps, c->want.gaps);
}
END_TEST

static uint64_t rng_state;

static uint64_t rng(void)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return rng_state;
}

/* Random streams against a plain model: serials 1..N from an offset (the
 * 32-bit wrap in some rounds); each one dropped, sent twice, or held back
 * by up to 1.5 windows (then it arrives late, after being counted missing,
 * or within the window). After a flush the tracker's gaps must be exactly
 * the serials from the first one it saw to the last that never came. */
START_TEST(test_serial_model)
{
        enum { N = 60000 };
        static uint8_t sent[N + 1];
        static uint32_t held_serial[N];
        static uint32_t held_until[N];
        struct audit_serial_tracker t;
        size_t n_held = 0;
        uint32_t offset = _i % 2 ? 4294967295u - N / 2 : (uint32_t)_i * 1000u;
        uint64_t first = 0, expect = 0, emitted = 0;
        int drop_pct = (int)(_i % 4) * 3;

        rng_state = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
        memset(sent, 0, sizeof(sent));
        audit_serial_init(&t);

#define EMIT(s)                                                                                    \
        do {                                                                                       \
                uint32_t k_ = (uint32_t)(s) + offset;                                              \
                if (!first)                                                                        \
                        first = (s);                                                               \
                sent[(s)] = 1;                                                                     \
                emitted++;                                                                         \
                audit_serial_see(&t, k_);                                                          \
        } while (0)

        for (uint32_t s = 1; s <= N; s++) {
                uint64_t roll = rng() % 100;

                /* Release what was held back until now. */
                for (size_t i = 0; i < n_held;) {
                        if (held_until[i] <= s) {
                                EMIT(held_serial[i]);
                                held_serial[i] = held_serial[n_held - 1];
                                held_until[i] = held_until[--n_held];
                        } else
                                i++;
                }
                if ((uint32_t)(s + offset) == 0)
                        continue; /* the kernel's serial 0: never tracked */
                if (roll < (uint64_t)drop_pct)
                        continue;
                if (roll < (uint64_t)drop_pct + 3) {
                        held_serial[n_held] = s;
                        held_until[n_held++] = s + 1 + (uint32_t)(rng() % (WIN + WIN / 2));
                        continue;
                }
                EMIT(s);
                if (roll >= 97)
                        EMIT(s);
        }
        for (size_t i = 0; i < n_held; i++)
                EMIT(held_serial[i]);
#undef EMIT
        audit_serial_flush(&t);

        {
                uint64_t last = 0;

                for (uint64_t s = N; s > 0 && !last; s--)
                        if (sent[s])
                                last = s;
                for (uint64_t s = first; s <= last; s++)
                        if (!sent[s] && (uint32_t)(s + offset) != 0)
                                expect++;
        }
        ck_assert_uint_eq(t.resets, 0);
        ck_assert_uint_eq(t.records, emitted);
        ck_assert_msg(t.gaps == expect, "round %d: gaps %lu, expected %lu (late %lu)", _i,
                      (unsigned long)t.gaps, (unsigned long)expect, (unsigned long)t.late);
        if (drop_pct == 0)
                ck_assert_uint_eq(t.gaps, 0);
}
END_TEST

/* ---- live ---- */

#define N_CALLS 1000

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "audit(SEC.MSEC:SERIAL)": the serial, 0 when there is none. The
 * events parser has its own (audit_stamp_find); this one only serves the
 * tests' bookkeeping. */
static uint64_t stamp_serial(const char *text, size_t len)
{
        const char *p = memmem(text, len, "audit(", 6), *end = text + len;
        uint64_t v = 0;

        if (!p)
                return 0;
        for (p += 6; p < end && *p != ':'; p++)
                if (*p != '.' && (*p < '0' || *p > '9'))
                        return 0;
        if (p == end)
                return 0;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (uint64_t)(*p - '0');
        return p < end && *p == ')' ? v : 0;
}

/* " key=value " in the record, value compared whole. */
static bool has_field(const char *text, size_t len, const char *key, const char *value)
{
        char want[64];
        int n = snprintf(want, sizeof(want), " %s=%s ", key, value);
        char buf[AUDIT_TEXT_MAX + 2];

        /* Fields are space-separated; the last one ends the text. */
        memcpy(buf, text, len);
        buf[len] = ' ';
        return memmem(buf, len + 1, want, (size_t)n) != NULL;
}

#define FAKE_TEXT "hardend test: not from the kernel, ignore"

struct live {
        pid_t pid;
        unsigned matched;
        unsigned fakes; /* records carrying the foreign sender's text */
        uint64_t serials[N_CALLS * 2];
        struct audit_serial_tracker tracker;
};

static int on_live(const struct audit_raw *raw, void *userdata)
{
        struct live *l = userdata;
        char pid[16];

        audit_serial_see(&l->tracker, stamp_serial(raw->text, raw->len));
        if (memmem(raw->text, raw->len, FAKE_TEXT, strlen(FAKE_TEXT)))
                l->fakes++;
        snprintf(pid, sizeof(pid), "%d", (int)l->pid);
        if (raw->type == AUDIT_TYPE_SECCOMP && has_field(raw->text, raw->len, "pid", pid) &&
            has_field(raw->text, raw->len, "syscall", "110") &&
            has_field(raw->text, raw->len, "code", "0x7ffc0000")) {
                if (l->matched < ELEMENTSOF(l->serials))
                        l->serials[l->matched] = stamp_serial(raw->text, raw->len);
                l->matched++;
        }
        return 0;
}

/* A child under a filter that logs everything it does not need, making n
 * getppid() calls: each one leaves a type-1326 record of syscall 110. */
#define NO_SECCOMP 77 /* the child's exit status when it cannot load a filter */

static pid_t spawn_logger(unsigned n)
{
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_LOG);
                static const int allowed[] = {SCMP_SYS(exit_group),  SCMP_SYS(exit),
                                              SCMP_SYS(write),       SCMP_SYS(rt_sigreturn),
                                              SCMP_SYS(sigaltstack), SCMP_SYS(munmap)};

                /* valgrind does not know the seccomp system call. */
                if (!ctx)
                        _exit(NO_SECCOMP);
                for (size_t i = 0; i < ELEMENTSOF(allowed); i++)
                        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) < 0)
                                _exit(91);
                if (seccomp_load(ctx) < 0)
                        _exit(NO_SECCOMP);
                for (unsigned i = 0; i < n; i++)
                        syscall(SYS_getppid);
                _exit(0);
        }
        return pid;
}

/* Waits for a logger; false (the test skips) when it could not load its
 * filter. */
static bool reap(pid_t pid)
{
        int status;

        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        if (!test_require(!WIFEXITED(status) || WEXITSTATUS(status) != NO_SECCOMP,
                          "seccomp filters in a child"))
                return false;
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
        return true;
}

/* Drains the sources until each has matched want records (then for
 * quiet_ms more, to catch any extra) or timeout_ms passed. */
static void drain_until(struct audit_netlink **src, struct live **l, size_t n, unsigned want,
                        int quiet_ms, int timeout_ms)
{
        long long deadline = now_ms() + timeout_ms, quiet_until = 0;

        for (;;) {
                struct pollfd p[2];
                bool all = true;
                long long now = now_ms();

                for (size_t i = 0; i < n; i++)
                        all = all && l[i]->matched >= want;
                if (all && !quiet_until)
                        quiet_until = now + quiet_ms;
                if (now >= deadline || (quiet_until && now >= quiet_until))
                        break;
                for (size_t i = 0; i < n; i++)
                        p[i] = (struct pollfd){.fd = audit_netlink_fd(src[i]), .events = POLLIN};
                if (poll(p, (nfds_t)n, 20) < 0)
                        ck_assert_int_eq(errno, EINTR);
                for (size_t i = 0; i < n; i++)
                        ck_assert_int_ge(audit_netlink_drain(src[i], on_live, l[i]), 0);
        }
}

static bool open_or_skip(unsigned rcvbuf, struct audit_netlink **ret)
{
        int r = audit_netlink_open(rcvbuf, ret);

        if (!test_require(r == 0, "the audit multicast group (root, CAP_AUDIT_READ)"))
                return false;
        return true;
}

START_TEST(test_live_count_and_coexistence)
{
        _cleanup_audit_netlink_ struct audit_netlink *a = NULL, *b = NULL;
        static struct live la, lb;
        struct audit_netlink *src[2];
        struct live *l[2] = {&la, &lb};
        const struct audit_netlink_stats *st;
        int fl;

        if (!open_or_skip(0, &a))
                return;
        ck_assert_int_eq(audit_netlink_open(0, &b), 0);
        src[0] = a;
        src[1] = b;
        st = audit_netlink_stats(a);
        ck_assert_int_ge(st->rcvbuf, (int)AUDIT_NETLINK_RCVBUF_DEFAULT);
        fl = fcntl(audit_netlink_fd(a), F_GETFL);
        ck_assert(fl >= 0 && (fl & O_NONBLOCK));
        fl = fcntl(audit_netlink_fd(a), F_GETFD);
        ck_assert(fl >= 0 && (fl & FD_CLOEXEC));

        memset(&la, 0, sizeof(la));
        memset(&lb, 0, sizeof(lb));
        audit_serial_init(&la.tracker);
        audit_serial_init(&lb.tracker);
        la.pid = lb.pid = spawn_logger(N_CALLS);
        drain_until(src, l, 2, N_CALLS, 500, 15000);
        if (!reap(la.pid))
                return;
        audit_serial_flush(&la.tracker);
        audit_serial_flush(&lb.tracker);

        for (size_t i = 0; i < 2; i++) {
                st = audit_netlink_stats(src[i]);
                ck_assert_msg(l[i]->matched == N_CALLS, "reader %zu: %u records of pid %d", i,
                              l[i]->matched, (int)la.pid);
                ck_assert_uint_eq(st->overruns, 0);
                ck_assert_uint_eq(st->dropped, 0);
                ck_assert_uint_eq(st->malformed, 0);
                ck_assert_uint_eq(st->oversize, 0);
                ck_assert_uint_ge(st->records, N_CALLS);
                ck_assert_uint_eq(st->records, l[i]->tracker.records + l[i]->tracker.ignored);
                ck_assert_msg(l[i]->tracker.gaps == 0 && l[i]->tracker.resets == 0,
                              "reader %zu: %lu serial gaps, %lu resets", i,
                              (unsigned long)l[i]->tracker.gaps,
                              (unsigned long)l[i]->tracker.resets);
        }
        /* Both readers saw the same records: the group is a broadcast. */
        ck_assert_mem_eq(la.serials, lb.serials, sizeof(la.serials[0]) * N_CALLS);
        for (size_t i = 1; i < N_CALLS; i++)
                ck_assert_uint_gt(la.serials[i], la.serials[i - 1]);
}
END_TEST

/* A process with CAP_NET_ADMIN can reach the socket two ways: unicast to
 * its port, and multicast to the group itself. Neither gets through. */
START_TEST(test_live_foreign_sender)
{
        _cleanup_audit_netlink_ struct audit_netlink *a = NULL;
        _cleanup_close_ int s = -1;
        static struct live l;
        struct sockaddr_nl me, to;
        socklen_t len = sizeof(me);
        struct {
                struct nlmsghdr h;
                char text[64];
        } fake = {.h = {.nlmsg_type = AUDIT_TYPE_SECCOMP}};
        const char text[] = FAKE_TEXT;
        long long deadline;

        if (!open_or_skip(0, &a))
                return;
        memset(&l, 0, sizeof(l));
        audit_serial_init(&l.tracker);
        ck_assert_int_eq(getsockname(audit_netlink_fd(a), (struct sockaddr *)&me, &len), 0);
        ck_assert_uint_ne(me.nl_pid, 0);
        s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        ck_assert_int_ge(s, 0);
        memcpy(fake.text, text, sizeof(text));
        fake.h.nlmsg_len = NLMSG_LENGTH(sizeof(text) - 1);

        to = (struct sockaddr_nl){.nl_family = AF_NETLINK, .nl_pid = me.nl_pid};
        if (sendto(s, &fake, fake.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
                ck_assert_int_eq(errno, EPERM);
                test_require(false, "CAP_NET_ADMIN to send a foreign datagram");
                return;
        }
        to = (struct sockaddr_nl){.nl_family = AF_NETLINK,
                                  .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1)};
        ck_assert_int_eq(sendto(s, &fake, fake.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)),
                         (int)fake.h.nlmsg_len);

        deadline = now_ms() + 3000;
        while (audit_netlink_stats(a)->foreign < 2 && now_ms() < deadline) {
                struct pollfd p = {.fd = audit_netlink_fd(a), .events = POLLIN};

                (void)poll(&p, 1, 20);
                ck_assert_int_ge(audit_netlink_drain(a, on_live, &l), 0);
        }
        ck_assert_uint_eq(audit_netlink_stats(a)->foreign, 2);
        ck_assert_uint_eq(l.fakes, 0);
}
END_TEST

/* A receive buffer of a few records, a burst of 2000 without reading:
 * the kernel drops, the next read says ENOBUFS, the overrun is counted,
 * the lost records show as serial gaps, and records made afterwards come
 * through. */
START_TEST(test_live_overrun)
{
        _cleanup_audit_netlink_ struct audit_netlink *a = NULL;
        static struct live l;
        struct audit_netlink *src[1];
        struct live *lp[1] = {&l};
        pid_t pid;
        long long deadline;

        if (!open_or_skip(4096, &a))
                return;
        src[0] = a;
        ck_assert_int_lt(audit_netlink_stats(a)->rcvbuf, 64 * 1024);
        memset(&l, 0, sizeof(l));
        audit_serial_init(&l.tracker);

        pid = spawn_logger(2000);
        if (!reap(pid))
                return;
        /* kauditd sends asynchronously: give it time to fill the buffer. */
        usleep(300 * 1000);
        l.pid = pid;
        deadline = now_ms() + 2000;
        while (now_ms() < deadline && audit_netlink_drain(a, on_live, &l) > 0)
                ;
        ck_assert_uint_ge(audit_netlink_stats(a)->overruns, 1);
        ck_assert_uint_lt(l.matched, 2000);
        /* The socket's drop counter accounts for every record of the burst
         * (the kernel may have dropped others' records too). */
        ck_assert_uint_ge(audit_netlink_stats(a)->dropped + l.matched, 2000);

        for (int round = 0; round < 3; round++) {
                memset(l.serials, 0, sizeof(l.serials));
                l.matched = 0;
                l.pid = spawn_logger(1);
                drain_until(src, lp, 1, 1, 0, 5000);
                ck_assert(reap(l.pid));
                ck_assert_msg(l.matched == 1, "round %d: the source stopped after an overrun",
                              round);
        }
        audit_serial_flush(&l.tracker);
        /* Both counts of the loss agree: the serials miss what the socket
         * dropped (equal here; fewer if some dropped record shared its
         * serial with one that came through, as the records of one
         * syscall do when audit rules are loaded). */
        ck_assert_uint_ge(l.tracker.gaps, 1);
        ck_assert_uint_le(l.tracker.gaps, audit_netlink_stats(a)->dropped);
        ck_assert_uint_eq(l.tracker.resets, 0);
}
END_TEST

/* Runs audit_netlink_open() in a child after drop() and returns what it
 * returned. */
static int open_in_child(void (*drop)(void))
{
        int fds[2], r = 0, status;
        pid_t pid;

        ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct audit_netlink *a = NULL;

                close(fds[0]);
                drop();
                r = audit_netlink_open(0, &a);
                audit_netlink_free(a);
                _exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
        }
        close(fds[1]);
        ck_assert_int_eq(read(fds[0], &r, sizeof(r)), (ssize_t)sizeof(r));
        close(fds[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return r;
}

static void drop_audit_read(void)
{
        cap_t caps = cap_get_proc();
        cap_value_t v = CAP_AUDIT_READ;

        if (!caps || cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) < 0 ||
            cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_CLEAR) < 0 || cap_set_proc(caps) < 0)
                _exit(80);
        cap_free(caps);
}

static void become_nobody(void)
{
        /* Not root to start with: already without the capability. */
        if (geteuid() != 0)
                return;
        if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
                _exit(81);
}

START_TEST(test_live_needs_audit_read)
{
        ck_assert_int_eq(open_in_child(drop_audit_read), -EPERM);
        ck_assert_int_eq(open_in_child(become_nobody), -EPERM);
}
END_TEST

static Suite *events_netlink_suite(void)
{
        Suite *s = suite_create("events-netlink");
        TCase *tc = tcase_create("frame");

        tcase_add_loop_test(tc, test_frame_table, 0, (int)ELEMENTSOF(frame_cases));
        tcase_add_test(tc, test_frame_oversize);
        tcase_add_test(tc, test_frame_callback_error);
        suite_add_tcase(s, tc);

        tc = tcase_create("serial");
        tcase_add_loop_test(tc, test_serial_table, 0, (int)ELEMENTSOF(serial_cases));
        tcase_add_loop_test(tc, test_serial_model, 0, 8);
        suite_add_tcase(s, tc);

        tc = tcase_create("live");
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_live_count_and_coexistence);
        tcase_add_test(tc, test_live_foreign_sender);
        tcase_add_test(tc, test_live_overrun);
        tcase_add_test(tc, test_live_needs_audit_read);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(events_netlink_suite)
