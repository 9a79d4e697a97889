/* SPDX-License-Identifier: MIT */
/* The audit parser's fast path (events/audit-event-fast.h) against the
 * general key=value parser. Every input is parsed three ways: as
 * audit_event_parse() does (fast path, then general parser), by the
 * general parser alone, by the fast path alone. The first two must agree
 * on everything (return code, error column and text, the event with every
 * string at the same place); what the fast path alone takes must be what
 * the general parser makes of it. On top of that:
 *   - a table says which records the fast path takes (the kernel's forms,
 *     so that a fast path that declined everything would fail here) and
 *     which it leaves to the general parser, valid or not;
 *   - every record of every fixture file (tests/fixtures/events/), with the
 *     share the fast path takes;
 *   - every fast record of the table mutated byte by byte (replaced by
 *     each of a set of bytes that matter to the grammar, deleted, doubled):
 *     a small deterministic fuzzer next to fuzz-audit-fastpath. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "events/audit-event.h"
#include "testing.h"

/* ~9 KiB each: off Check's stack. */
static struct audit_event both, general, fast;

/* Parses text three ways and checks that they agree. Returns what
 * audit_event_parse() returned; *ret_fast: the fast path alone took it. */
static int parse_three_ways(const char *text, size_t len, unsigned hint, bool *ret_fast,
                            const char *label)
{
        struct audit_parse_error e1 = {0}, e2 = {0};
        int r1 = audit_event_parse(text, len, hint, &both, &e1);
        int r2 = audit_event_parse_general(text, len, hint, &general, &e2);
        int r3 = audit_event_parse_fast(text, len, hint, &fast);

        ck_assert_msg(r1 == r2, "%s: parse %d, general %d", label, r1, r2);
        if (r1 == -EBADMSG || r1 == -E2BIG)
                ck_assert_msg(e1.col == e2.col && e1.what == e2.what,
                              "%s: error %zu '%s', general %zu '%s'", label, e1.col, e1.what,
                              e2.col, e2.what);
        if (r1 == 0)
                ck_assert_msg(audit_event_same(&both, &general), "%s: events differ", label);
        if (r3 == 0)
                ck_assert_msg(r2 == 0 && audit_event_same(&fast, &general),
                              "%s: the fast path took what the general parser makes %d of, "
                              "or made another event",
                              label, r2);
        else
                ck_assert_msg(r3 == -EAGAIN || r3 == r2, "%s: fast path alone %d, general %d",
                              label, r3, r2);
        *ret_fast = r3 == 0;
        return r1;
}

/* --- the table ---------------------------------------------------------- */

#define SC_HEAD "audit: type=1326 audit(1795356141.886:2): "
#define SC_TASK                                                                                    \
        "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=3011 comm=\"api-server\" "                 \
        "exe=\"/usr/local/bin/api-server\" "
#define SC_TAIL "sig=0 arch=c000003e syscall=39 compat=0 ip=0x7fade9c9f4e7 code=0x7ffc0000"
#define SC      SC_HEAD SC_TASK SC_TAIL
#define AU_HEAD "type=SECCOMP msg=audit(1795356141.886:7): "
#define AB_HEAD "audit: type=1701 audit(1795356141.886:9): "
#define AB_TASK                                                                                    \
        "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=3456 comm=\"build-agent\" "                \
        "exe=\"/usr/local/bin/build-agent\" "
#define AA_HEAD "audit: type=1400 audit(1795356363.384:4): "
#define AA_FILE                                                                                    \
        "apparmor=\"DENIED\" operation=\"open\" profile=\"hardend-api\" name=\"/etc/shadow\" "     \
        "pid=106 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0"

/* A literal that may hold NUL bytes, with its length. */
#define BYTES(s) s, sizeof(s) - 1

struct fast_case {
        const char *text;
        size_t len; /* 0: strlen */
        unsigned hint;
        bool fast; /* the fast path takes it */
        int ret;   /* audit_event_parse() */
};

static const struct fast_case fast_cases[] = {
    /* The kernel's seccomp record in each wrapping. */
    {SC, 0, 0, true, 0},
    {"[ 1200.123456] " SC, 0, 0, true, 0},
    {"Nov 22 10:00:00 node1 kernel: " SC "\n", 0, 0, true, 0},
    {"audit(1795356141.886:2): " SC_TASK SC_TAIL, 0, 1326, true, 0},
    {AU_HEAD "auid=1000 uid=1000 gid=1000 ses=3 subj=unconfined pid=4242 comm=6D7920617070 "
             "exe=\"/opt/tool\" sig=0 arch=c000003e syscall=257 compat=0 ip=0x7f0000001000 "
             "code=0x50000",
     0, 0, true, 0},
    {AU_HEAD SC_TASK SC_TAIL "\x1d"
                             "AUID=\"unset\" UID=\"root\"",
     0, 0, true, 0},
    /* Values at their edges. */
    {SC_HEAD "auid=0 uid=4294967295 gid=1 ses=0 subj=\"a b\" pid=2147483647 comm=6d79 "
             "exe=(null) " SC_TAIL,
     0, 0, true, 0},
    {SC_HEAD SC_TASK "sig=128 arch=40000003 syscall=-1 compat=1 ip=0xffffffffffffffff "
                     "code=0X80000000",
     0, 0, true, 0},
    {SC_HEAD SC_TASK "sig=31 arch=C000003E syscall=1234567890123456789 compat=0 ip=0x0 code=0x0", 0,
     0, true, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"\" exe=? " SC_TAIL, 0, 0,
     true, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"?\" exe=\"(null)\" " SC_TAIL,
     0, 0, true, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"tab\there\" "
             "exe=\"/a b/c\" " SC_TAIL "   ",
     0, 0, true, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=2F6D792061707022 "
             "exe=\"/x\" " SC_TAIL,
     0, 0, true, 0},
    /* The ABEND of a kill. */
    {AB_HEAD AB_TASK "sig=31 res=1", 0, 0, true, 0},
    {AB_HEAD "auid=1000 uid=1000 gid=1000 ses=2 subj=unconfined pid=9 comm=\"x\" exe=\"/x\" "
             "sig=6 res=-2147483648",
     0, 0, true, 0},
    /* AppArmor, in the orders the kernel writes. */
    {AA_HEAD AA_FILE, 0, 0, true, 0},
    {AA_HEAD "apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"p\" "
             "name=\"/etc/x\" pid=1 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\" "
             "fsuid=0 ouid=4294967295 target=\"/t\"",
     0, 0, true, 0},
    {"type=AVC msg=audit(1795356141.886:4): apparmor=\"DENIED\" operation=\"capable\" "
     "profile=\"hardend-api\" pid=2345 comm=\"nginx\" capability=12  capname=\"net_admin\"",
     0, 0, true, 0},
    {AA_HEAD "apparmor=\"ALLOWED\" operation=\"create\" profile=\"netprof\" pid=120 "
             "comm=2F62696E2F7368 family=\"inet\" sock_type=\"stream\" protocol=6 "
             "requested_mask=\"create\" denied_mask=\"create\"",
     0, 0, true, 0},
    {AA_HEAD "apparmor=\"STATUS\" operation=\"profile_load\" profile=\"unconfined\" "
             "name=\"pathprof\" pid=104 comm=\"apparmor_parser\"",
     0, 0, true, 0},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"signal\" profile=\"sigprof\" pid=121 "
             "comm=\"kill\" requested_mask=\"send\" denied_mask=\"send\" signal=term "
             "peer=\"unconfined\"",
     0, 0, true, 0},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"ptrace\" label=\"l\" pid=1 comm=\"c\" "
             "requested=\"read\" denied=\"read\" peer_label=\"pl\" unknown='quoted'",
     0, 0, false, 0},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"ptrace\" label=\"l\" pid=1 comm=\"c\" "
             "requested=\"read\" denied=\"read\" peer_label=\"pl\"",
     0, 0, true, 0},
    {AA_HEAD "apparmor=\"AUDIT\" operation=\"dbus_method_call\" mask=\"send\" label=\"l\" pid=1 "
             "comm=\"c\" exe=\"/usr/bin/dbus\"",
     0, 0, true, 0},
    {"type=APPARMOR_DENIED msg=audit(1795356363.700:13): operation=\"open\" info=\"why\" "
     "error=-13 profile=\"p\" name=2F6574632F736861646F77 pid=121 comm=\"cat\"",
     0, 0, true, 0},
    {"type=AVC msg=audit(1795356363.700:13): operation=\"open\" profile=\"p\" pid=1", 0, 0, true,
     0},
    {AA_HEAD "apparmor=? operation=open profile=\"p\" name=\"\" pid=1 comm=\"c\"", 0, 0, true, 0},
    {AA_HEAD "apparmor=\"WEIRD\" operation=\"open\" profile=\"p\" pid=1 class=net", 0, 0, true, 0},
    {AA_HEAD "   apparmor=\"DENIED\"    operation=\"open\"  pid=1   ", 0, 0, true, 0},
    /* Valid, but not in a form the fast path takes. */
    {SC_HEAD "auid=4294967295  uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL, 0,
     0, false, 0},
    {SC_HEAD "uid=0 auid=4294967295 gid=0 ses=4294967295 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL, 0,
     0, false, 0},
    {SC " key=value", 0, 0, false, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm='single' exe=\"/x\" " SC_TAIL,
     0, 0, false, 0},
    {SC_HEAD "auid=00000000000000000000001 uid=0 gid=0 ses=1 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL,
     0, 0, false, 0},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=0 ip=0x00000000000000001 code=0x0", 0,
     0, false, 0},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=-9223372036854775808 compat=0 ip=0x1 code=0x0", 0,
     0, false, 0},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 subj_apparmor=x pid=1 comm=\"c\" "
             "exe=\"/x\" " SC_TAIL,
     0, 0, false, 0},
    {AA_HEAD "apparmor=\"DENIED\" operation= profile=\"p\" pid=1", 0, 0, false, 0},
    {"type=USER_AVC msg=audit(1795356141.886:5): pid=1 uid=0 auid=4294967295 ses=4294967295 "
     "subj=unconfined msg='apparmor=\"DENIED\" operation=\"dbus_method_call\" bus=\"system\" "
     "mask=\"send\" pid=2 label=\"hardend-api\" exe=\"/usr/bin/dbus-daemon\"'",
     0, 0, false, 0},
    {"type=AVC msg=audit(1795356141.886:6): avc:  denied  { read } for pid=1 comm=\"cat\"", 0, 0,
     false, -ENOMSG},
    /* Malformed: the general parser's to refuse. */
    {AA_HEAD "apparmor=\"DENIED\" operation=\"open\" pid=1 pid=2", 0, 0, false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=6D792 exe=\"/x\" " SC_TAIL, 0,
     0, false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=6D00 exe=\"/x\" " SC_TAIL, 0, 0,
     false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=-1 gid=0 ses=4294967295 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL, 0,
     0, false, -EBADMSG},
    {SC_HEAD "auid=4294967296 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL, 0,
     0, false, -EBADMSG},
    {SC_HEAD "auid=42949672950 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\" exe=\"/x\" " SC_TAIL, 0,
     0, false, -EBADMSG},
    {SC_HEAD SC_TASK "sig=129 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x0", 0, 0, false,
     -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=2 ip=0x1 code=0x0", 0, 0, false,
     -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=0xc000003e syscall=39 compat=0 ip=0x1 code=0x0", 0, 0, false,
     -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=7ffc0000", 0, 0, false,
     -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=0x100000000", 0, 0, false,
     -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=0 ip=0x1", 0, 0, false, -EBADMSG},
    {SC_HEAD SC_TASK "sig=0 arch=c000003e syscall=39 compat=0 ip=0x1 code=", 0, 0, false, -EBADMSG},
    {SC_HEAD
     "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=2147483648 comm=\"c\" exe=\"/x\" " SC_TAIL,
     0, 0, false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c exe=\"/x\" " SC_TAIL, 0, 0,
     false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\"x exe=\"/x\" " SC_TAIL, 0,
     0, false, -EBADMSG},
    {SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c", 0, 0, false, -EBADMSG},
    {BYTES(SC_HEAD
           "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\0d\" exe=\"/x\" " SC_TAIL),
     0, false, -EBADMSG},
    {BYTES(SC "\0"), 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" junk", 0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" operation=op\x01"
             "en",
     0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"open\" capability=-1", 0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"open\" fsuid=4294967296", 0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"open\" name=ABC", 0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" operation=\"open\" b@d=1", 0, 0, false, -EBADMSG},
    {AA_HEAD "apparmor=\"DENIED\" =1", 0, 0, false, -EBADMSG},
};

START_TEST(test_fast_table)
{
        const struct fast_case *c = &fast_cases[_i];
        size_t len = c->len ? c->len : strlen(c->text);
        char label[64];
        bool took;
        int r;

        snprintf(label, sizeof(label), "case %d", _i);
        r = parse_three_ways(c->text, len, c->hint, &took, label);
        ck_assert_msg(r == c->ret, "case %d: %d, want %d", _i, r, c->ret);
        ck_assert_msg(took == c->fast, "case %d: the fast path %s it", _i,
                      took ? "took" : "declined");
}
END_TEST

/* Records longer than the fast path copies are the general parser's. */
START_TEST(test_long_record)
{
        static char line[AUDIT_TEXT_MAX];
        char exe[3000];
        bool took;

        memset(exe, 'x', sizeof(exe) - 1);
        exe[sizeof(exe) - 1] = '\0';
        snprintf(line, sizeof(line),
                 SC_HEAD "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=1 comm=\"c\" "
                         "exe=\"/%s\" " SC_TAIL,
                 exe);
        ck_assert_int_eq(parse_three_ways(line, strlen(line), 0, &took, "long"), 0);
        ck_assert(!took);
        ck_assert_uint_eq(strlen(both.exe), sizeof(exe));
}
END_TEST

/* --- fixtures ----------------------------------------------------------- */

static const struct {
        const char *file;
        bool tsv;       /* "TYPE<TAB>payload" lines (netlink captures) */
        unsigned fast;  /* records the fast path takes */
        unsigned count; /* records that parse */
} fixtures[] = {
    {"seccomp-kernel.log", false, 6, 6},
    {"seccomp-dmesg.log", false, 11, 11},
    {"seccomp-dmesg-T.log", false, 11, 11},
    {"seccomp-kmsg.log", false, 11, 11},
    {"seccomp-netlink.tsv", true, 14, 14},
    {"auditd-enriched.log", false, 18, 18},
    {"apparmor-kernel.log", false, 10, 10},
    {"apparmor-vm-dmesg.log", false, 47, 47},
    {"apparmor-vm-dmesg-r.log", false, 19, 19},
    {"auditd-raw.log", false, 48, 48},
    {"syslog.log", false, 48, 48},
    {"user-avc.log", false, 0, 3},
};

START_TEST(test_fixtures)
{
        char rel[256], *data = NULL, *p, *nl;
        unsigned fast_n = 0, count = 0, line_no = 0;
        size_t size;

        snprintf(rel, sizeof(rel), "tests/fixtures/events/%s", fixtures[_i].file);
        ck_assert_int_eq(read_file_bounded(AT_FDCWD, test_path(rel), 4u << 20, &data, &size), 0);
        for (p = data; (nl = memchr(p, '\n', (size_t)(data + size - p))); p = nl + 1) {
                char label[300], *text = p;
                unsigned hint = 0;
                bool took;

                line_no++;
                if (fixtures[_i].tsv) {
                        char *tab = memchr(p, '\t', (size_t)(nl - p));

                        if (!tab)
                                continue;
                        hint = (unsigned)strtoul(p, NULL, 10);
                        text = tab + 1;
                }
                snprintf(label, sizeof(label), "%s:%u", fixtures[_i].file, line_no);
                if (parse_three_ways(text, (size_t)(nl - text), hint, &took, label) == 0)
                        count++;
                fast_n += took;
        }
        free(data);
        ck_assert_msg(count == fixtures[_i].count, "%s: %u records parse, want %u",
                      fixtures[_i].file, count, fixtures[_i].count);
        ck_assert_msg(fast_n == fixtures[_i].fast, "%s: the fast path took %u, want %u",
                      fixtures[_i].file, fast_n, fixtures[_i].fast);
}
END_TEST

/* --- mutations ---------------------------------------------------------- */

/* Each byte of each fast record replaced by each of these, deleted, and
 * doubled: the bytes where the grammar turns. */
static const char mutation_bytes[] = {' ', '"', '\'', '\0', '=',    '-',  '?',    '(',    'x', 'X',
                                      '0', '9', 'f',  'F',  '\x1d', '\t', '\x7f', '\xff', '\n'};

START_TEST(test_mutations)
{
        const struct fast_case *c = &fast_cases[_i];
        size_t len = c->len ? c->len : strlen(c->text);
        char *buf = malloc(len + 2), label[64];
        bool took;

        ck_assert_ptr_nonnull(buf);
        if (!c->fast) {
                free(buf);
                return;
        }
        for (size_t at = 0; at < len; at++) {
                for (size_t m = 0; m < ELEMENTSOF(mutation_bytes); m++) {
                        memcpy(buf, c->text, len);
                        buf[at] = mutation_bytes[m];
                        snprintf(label, sizeof(label), "case %d, byte %zu = 0x%02x", _i, at,
                                 (unsigned char)mutation_bytes[m]);
                        (void)parse_three_ways(buf, len, c->hint, &took, label);
                }
                memcpy(buf, c->text, at);
                memcpy(buf + at, c->text + at + 1, len - at - 1);
                snprintf(label, sizeof(label), "case %d, byte %zu deleted", _i, at);
                (void)parse_three_ways(buf, len - 1, c->hint, &took, label);
                memcpy(buf, c->text, at + 1);
                memcpy(buf + at + 1, c->text + at, len - at);
                snprintf(label, sizeof(label), "case %d, byte %zu doubled", _i, at);
                (void)parse_three_ways(buf, len + 1, c->hint, &took, label);
        }
        free(buf);
}
END_TEST

static Suite *events_fastpath_suite(void)
{
        Suite *s = suite_create("events-fastpath");
        TCase *tc = tcase_create("fastpath");

        tcase_add_loop_test(tc, test_fast_table, 0, (int)ELEMENTSOF(fast_cases));
        tcase_add_test(tc, test_long_record);
        tcase_add_loop_test(tc, test_fixtures, 0, (int)ELEMENTSOF(fixtures));
        tcase_add_loop_test(tc, test_mutations, 0, (int)ELEMENTSOF(fast_cases));
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(events_fastpath_suite)
