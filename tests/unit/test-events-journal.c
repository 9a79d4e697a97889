/* SPDX-License-Identifier: MIT */
/* The journal source: the pure rebuild of an audit-transport entry into
 * the netlink form; fixture journals, built at test time by
 * systemd-journal-remote from export text (tests/fixtures/journal/): every
 * kind of record, malformed, oversized and cut entries skipped and
 * counted, since_usec, cursors (split anywhere, a failing callback, a
 * vacuumed entry, malformed); and a private systemd-journald
 * (tests/journal/journald-private.sh) capturing the records of a child
 * under a SCMP_ACT_LOG filter, read live, followed through the journal's
 * fd, and resumed from a cursor across a restart while journald goes on
 * writing. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"
#include "events/audit-event.h"
#include "events/events-pipeline.h"
#include "sources/audit-netlink.h"
#include "sources/journal-source.h"
#include "testing.h"

#define JOURNAL_REMOTE "/lib/systemd/systemd-journal-remote"
#define JOURNALD       "/lib/systemd/systemd-journald"
#define MAX_RECORDS    4096

/* ---- collecting what a source hands on ---- */

struct rec {
        unsigned type;
        char *text;
};

struct collector {
        const char *filter; /* keep only records containing this; NULL: all */
        bool audit_only;    /* keep only rebuilt audit-transport records */
        size_t fail_at;     /* 1-based: the record whose call fails (0: never) */
        size_t n;
        size_t this_boot; /* records said to be from this machine's current boot */
        struct rec v[MAX_RECORDS];
};

static int collect(const struct audit_raw *raw, void *userdata)
{
        struct collector *c = userdata;

        ck_assert_int_eq(raw->source, AUDIT_SOURCE_JOURNAL);
        ck_assert_ptr_null(raw->origin);
        ck_assert_uint_le(raw->len, AUDIT_LINE_MAX);
        if (c->filter && !memmem(raw->text, raw->len, c->filter, strlen(c->filter)))
                return 0;
        if (c->audit_only && raw->type == 0)
                return 0;
        if (c->fail_at > 0 && c->n + 1 == c->fail_at)
                return -ECANCELED;
        ck_assert_uint_lt(c->n, MAX_RECORDS);
        c->v[c->n].type = raw->type;
        c->this_boot += raw->this_boot;
        c->v[c->n].text = strndup(raw->text, raw->len);
        ck_assert_ptr_nonnull(c->v[c->n].text);
        c->n++;
        return 0;
}

static void collector_done(struct collector *c)
{
        for (size_t i = 0; i < c->n; i++)
                free(c->v[i].text);
        c->n = 0;
        c->this_boot = 0;
}

/* b appended to a, record for record, equals want. */
static void assert_concat_equals(const struct collector *a, const struct collector *b,
                                 const struct collector *want)
{
        ck_assert_uint_eq(a->n + b->n, want->n);
        for (size_t i = 0; i < want->n; i++) {
                const struct rec *r = i < a->n ? &a->v[i] : &b->v[i - a->n];

                ck_assert_uint_eq(r->type, want->v[i].type);
                ck_assert_str_eq(r->text, want->v[i].text);
        }
}

/* ---- scratch directories ---- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        return remove(path);
}

static void rm_rf(const char *dir)
{
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Scratch directories go under one base directory per test case, made
 * and removed by the runner (an unchecked fixture): a failed assertion
 * ends a forked test with _exit(), before its own cleanup. */
static char *scratch_base;

static void scratch_setup(void)
{
        scratch_base = strdup("/tmp/hardend-journal-XXXXXX");
        if (!scratch_base || !mkdtemp(scratch_base)) {
                perror("mkdtemp");
                abort();
        }
}

static void scratch_teardown(void)
{
        rm_rf(scratch_base);
        free(scratch_base);
        scratch_base = NULL;
}

static char *scratch_dir(void)
{
        char *d;

        ck_assert_ptr_nonnull(scratch_base);
        ck_assert_int_ge(asprintf(&d, "%s/XXXXXX", scratch_base), 0);
        ck_assert_ptr_nonnull(mkdtemp(d));
        return d;
}

static void write_file(const char *path, const char *text)
{
        FILE *f = fopen(path, "we");

        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(fputs(text, f) >= 0, 1);
        ck_assert_int_eq(fclose(f), 0);
}

/* ---- fixture journals ---- */

static bool have_journal_remote(void)
{
        return test_require(access(JOURNAL_REMOTE, X_OK) == 0, JOURNAL_REMOTE);
}

/* Turns export-format files (paths under the source tree, or absolute)
 * into dir/fixture.journal. */
static void build_journal(const char *dir, bool compress, const char *const exports[])
{
        const char *argv[16] = {JOURNAL_REMOTE, compress ? "--compress=yes" : "--compress=no"};
        char out[512], *err = NULL;
        size_t n = 2;
        int r;

        snprintf(out, sizeof(out), "--output=%s/fixture.journal", dir);
        argv[n++] = out;
        for (; *exports; exports++) {
                ck_assert_uint_lt(n, ELEMENTSOF(argv) - 1);
                argv[n++] = (*exports)[0] == '/' ? *exports : test_path(*exports);
        }
        argv[n] = NULL;
        r = test_run(argv, NULL, &err);
        ck_assert_msg(r == 0, "systemd-journal-remote failed (%d): %s", r, err);
        free(err);
}

static void read_all(const char *dir, const char *cursor, uint64_t since, struct collector *c,
                     struct journal_source_stats *ret_stats)
{
        _cleanup_journal_source_ struct journal_source *j = NULL;

        ck_assert_int_eq(journal_source_open(dir, cursor, since, &j), 0);
        ck_assert_int_ge(journal_source_drain(j, 0, collect, c), 0);
        if (ret_stats)
                *ret_stats = *journal_source_stats(j);
}

/* What audit.export holds, in order: every audit-transport entry rebuilt
 * into the netlink form (type from _AUDIT_TYPE), every kernel "audit: "
 * line as it is (type 0); the kernel's other lines are not records. */
static const struct {
        unsigned type;
        const char *text;
} audit_export[] = {
    {1107, "audit(1795363078.712:2111341): pid=24163 uid=0 auid=4294967295 ses=4294967295 "
           "msg='apparmor=\"DENIED\" operation=\"dbus_method_call\"  bus=\"system\" "
           "path=\"/org/freedesktop/hostname1\" interface=\"org.freedesktop.DBus.Properties\" "
           "member=\"GetAll\" mask=\"send\" name=\"org.freedesktop.hostname1\" pid=1234 "
           "label=\"jsrc-test\" peer_label=\"unconfined\"'"},
    {0, "audit: type=1107 audit(1795363078.712:2111341): pid=24163 uid=0 auid=4294967295 "
        "ses=4294967295 msg='apparmor=\"DENIED\" operation=\"dbus_method_call\"  bus=\"system\" "
        "path=\"/org/freedesktop/hostname1\" interface=\"org.freedesktop.DBus.Properties\" "
        "member=\"GetAll\" mask=\"send\" name=\"org.freedesktop.hostname1\" pid=1234 "
        "label=\"jsrc-test\" peer_label=\"unconfined\"'"},
    {1326, "audit(1795363078.720:2111342): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=24164 "
           "comm=\"logcall\" exe=\"/tmp/journal-exp/logcall\" sig=0 arch=c000003e syscall=110 "
           "compat=0 ip=0x7fb2f8111829 code=0x7ffc0000"},
    {0, "audit: type=1326 audit(1795363078.720:2111342): auid=4294967295 uid=0 gid=0 "
        "ses=4294967295 pid=24164 comm=\"logcall\" exe=\"/tmp/journal-exp/logcall\" sig=0 "
        "arch=c000003e syscall=110 compat=0 ip=0x7fb2f8111829 code=0x7ffc0000"},
    /* comm and exe hex-encoded by the kernel (a space, a quote): journald
     * decodes them into _COMM/_EXE but leaves MESSAGE as it was. */
    {1326, "audit(1795363078.740:2111344): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=22805 "
           "comm=6C6F672063616C6C2278 "
           "exe=2F746D702F6A6F75726E616C2D6578702F6C6F672063616C6C2278 sig=0 arch=c000003e "
           "syscall=110 compat=0 ip=0x7f7c0fa90829 code=0x7ffc0000"},
    {1400, "audit(1795363079.096:2111350): apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" "
           "profile=\"hardend-test\" name=\"/etc/shadow\" pid=4242 comm=\"cat\" "
           "requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0"},
    {1701, "audit(1795363079.348:2111351): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4243 "
           "comm=\"crash\" exe=\"/usr/bin/crash\" sig=11 res=1"},
    /* A type journald has no name for ("AUDIT1999"): handed on too. */
    {1999, "audit(1795363079.399:2111352): op=probe res=1"},
    /* No _AUDIT_TYPE_NAME (journald before v229): the first word is the name. */
    {1326, "audit(1795363079.496:2111353): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=4244 "
           "comm=\"old\" exe=\"/usr/bin/old\" sig=0 arch=c000003e syscall=99 compat=0 "
           "ip=0x7f0000001000 code=0x7ffc0000"},
};
#define AUDIT_EXPORT_ENTRIES 10

static const char *const audit_fixture[] = {"tests/fixtures/journal/audit.export", NULL};

static char *fixture_journal(const char *const exports[], bool compress)
{
        char *dir = scratch_dir();

        build_journal(dir, compress, exports);
        return dir;
}

START_TEST(test_fixture_records)
{
        struct collector c = {0};
        struct journal_source_stats st;
        _cleanup_free_ char *dir = NULL;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, _i == 1);
        read_all(dir, NULL, 0, &c, &st);
        ck_assert_uint_eq(c.n, ELEMENTSOF(audit_export));
        ck_assert_uint_eq(c.this_boot, 0); /* another machine's boot: no live pids */
        for (size_t i = 0; i < c.n; i++) {
                ck_assert_uint_eq(c.v[i].type, audit_export[i].type);
                ck_assert_str_eq(c.v[i].text, audit_export[i].text);
        }
        /* One record by both transports: the rebuilt payload is the kernel's
         * line after "audit: type=N ". */
        ck_assert_str_eq(c.v[0].text, c.v[1].text + strlen("audit: type=1107 "));
        ck_assert_str_eq(c.v[2].text, c.v[3].text + strlen("audit: type=1326 "));
        ck_assert_uint_eq(st.entries, AUDIT_EXPORT_ENTRIES);
        ck_assert_uint_eq(st.records, ELEMENTSOF(audit_export));
        ck_assert_uint_eq(st.kernel, 2);
        ck_assert_uint_eq(st.audit, ELEMENTSOF(audit_export) - 2);
        ck_assert_uint_eq(st.malformed, 0);
        collector_done(&c);
        rm_rf(dir);
}
END_TEST

/* malformed.export: eleven broken audit entries, one with _AUDIT_ID
 * twice, then one good one (tests/fixtures/journal/README.md lists them).
 * Added here: MESSAGEs over the caps, which are no text to commit. */
static char *oversized_export(const char *dir)
{
        static const char head[] = "__REALTIME_TIMESTAMP=%" PRIu64 "\n"
                                   "__MONOTONIC_TIMESTAMP=%" PRIu64 "\n"
                                   "_BOOT_ID=5e1ec7ed0b0070000000000000000001\n"
                                   "_TRANSPORT=%s\n";
        size_t cap = 64 * 1024;
        char *path, *buf = malloc(cap);
        size_t n = 0;
        FILE *f;

        ck_assert_ptr_nonnull(buf);
        ck_assert_int_ge(asprintf(&path, "%s/oversized.export", dir), 0);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        /* An audit record one byte over AUDIT_TEXT_MAX once rebuilt... */
        fprintf(f, head, UINT64_C(1795363200002000), UINT64_C(6300000000), "audit");
        fprintf(f, "_SOURCE_REALTIME_TIMESTAMP=1795363200001000\n_AUDIT_TYPE=1326\n"
                   "_AUDIT_ID=5000001\n_AUDIT_TYPE_NAME=SECCOMP\nMESSAGE=SECCOMP ");
        n = AUDIT_TEXT_MAX + 1 - strlen("audit(1795363200.001:5000001): comm=");
        memset(buf, 'A', n);
        fprintf(f, "comm=%.*s\n\n", (int)n, buf);
        /* ...the same at exactly AUDIT_TEXT_MAX, which is fine... */
        fprintf(f, head, UINT64_C(1795363200003000), UINT64_C(6300001000), "audit");
        fprintf(f, "_SOURCE_REALTIME_TIMESTAMP=1795363200001000\n_AUDIT_TYPE=1326\n"
                   "_AUDIT_ID=5000002\n_AUDIT_TYPE_NAME=SECCOMP\nMESSAGE=SECCOMP ");
        fprintf(f, "comm=%.*s\n\n", (int)(n - 1), buf);
        /* ...a kernel line longer than AUDIT_LINE_MAX, and a 60 KiB MESSAGE
         * (compressed in the file: decompressed only up to the cap). */
        fprintf(f, head, UINT64_C(1795363200004000), UINT64_C(6300002000), "kernel");
        memset(buf, 'B', AUDIT_LINE_MAX);
        fprintf(f, "MESSAGE=audit: type=1326 audit(1795363200.003:5000003): comm=%.*s\n\n",
                (int)AUDIT_LINE_MAX, buf);
        fprintf(f, head, UINT64_C(1795363200005000), UINT64_C(6300003000), "audit");
        memset(buf, 'C', cap - 1);
        fprintf(f,
                "_SOURCE_REALTIME_TIMESTAMP=1795363200004000\n_AUDIT_TYPE=1326\n"
                "_AUDIT_ID=5000004\n_AUDIT_TYPE_NAME=SECCOMP\nMESSAGE=SECCOMP comm=%.*s\n\n",
                (int)(cap - 1), buf);
        /* Kernel lines: one as printk cuts a long record on 6.18 (1021
         * bytes), one just short of any cut (990 bytes), handed on. */
        fprintf(f, head, UINT64_C(1795363200006000), UINT64_C(6300004000), "kernel");
        n = 1021 - strlen("audit: type=1107 audit(1795363200.005:5000005): msg='name=\"/");
        memset(buf, 'D', n);
        fprintf(f, "MESSAGE=audit: type=1107 audit(1795363200.005:5000005): msg='name=\"/%.*s\n\n",
                (int)n, buf);
        fprintf(f, head, UINT64_C(1795363200007000), UINT64_C(6300005000), "kernel");
        n = 990 - strlen("audit: type=1107 audit(1795363200.006:5000006): msg='name=\"/\"'");
        fprintf(f,
                "MESSAGE=audit: type=1107 audit(1795363200.006:5000006): msg='name=\"/%.*s\"'\n\n",
                (int)n, buf);
        ck_assert_int_eq(fclose(f), 0);
        free(buf);
        return path;
}

START_TEST(test_fixture_malformed)
{
        struct collector c = {0};
        struct journal_source_stats st;
        _cleanup_free_ char *dir = NULL, *big = NULL;

        if (!have_journal_remote())
                return;
        dir = scratch_dir();
        big = oversized_export(dir);
        build_journal(dir, _i == 1,
                      (const char *const[]){"tests/fixtures/journal/malformed.export", big, NULL});
        read_all(dir, NULL, 0, &c, &st);
        /* Skipped and counted, reading goes on: the good entry after the
         * broken ones, the record of exactly AUDIT_TEXT_MAX, the kernel line
         * too short to have been cut. */
        ck_assert_uint_eq(c.n, 3);
        ck_assert_uint_eq(c.v[0].type, 1326);
        ck_assert_str_eq(c.v[0].text,
                         "audit(1795363100.008:3000012): auid=4294967295 uid=0 gid=0 "
                         "ses=4294967295 pid=5012 comm=\"bad\" exe=\"/usr/bin/bad\" sig=0 "
                         "arch=c000003e syscall=39 compat=0 ip=0x7f0000002000 code=0x7ffc0000");
        ck_assert_uint_eq(strlen(c.v[1].text), AUDIT_TEXT_MAX);
        ck_assert(strncmp(c.v[1].text, "audit(1795363200.001:5000002): comm=AAA",
                          strlen("audit(1795363200.001:5000002): comm=AAA")) == 0);
        ck_assert_uint_eq(strlen(c.v[2].text), 990);
        ck_assert(strncmp(c.v[2].text, "audit: type=1107 audit(1795363200.006:5000006): ",
                          strlen("audit: type=1107 audit(1795363200.006:5000006): ")) == 0);
        ck_assert_uint_eq(st.entries, 13 + 6);
        ck_assert_uint_eq(st.records, 3);
        ck_assert_uint_eq(st.malformed, 12 + 3);
        ck_assert_uint_eq(st.truncated, 1);
        collector_done(&c);
        rm_rf(dir);
}
END_TEST

/* since_usec is the time of reception (__REALTIME_TIMESTAMP). */
static const struct {
        uint64_t since;
        size_t first; /* index in audit_export of the first record read */
} since_cases[] = {
    {0, 0},
    {1795363078700000, 0},
    {1795363078720029, 0},
    {1795363078720030, 1},
    {1795363078726796, 2},
    {1795363079350522, 6},
    {1795363079500100, 8},
    {1795363079500101, ELEMENTSOF(audit_export)},
    {UINT64_MAX / 2, ELEMENTSOF(audit_export)},
};

START_TEST(test_since)
{
        struct collector c = {0};
        _cleanup_free_ char *dir = NULL;
        size_t first = since_cases[_i].first;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, true);
        read_all(dir, NULL, since_cases[_i].since, &c, NULL);
        ck_assert_uint_eq(c.n, ELEMENTSOF(audit_export) - first);
        for (size_t i = 0; i < c.n; i++)
                ck_assert_str_eq(c.v[i].text, audit_export[first + i].text);
        collector_done(&c);
        rm_rf(dir);
}
END_TEST

/* Stop after k entries (k = 1..all), save the cursor, start over from it:
 * every record once, none twice, whatever k. */
START_TEST(test_cursor_split)
{
        struct collector all = {0}, a = {0}, b = {0};
        _cleanup_free_ char *dir = NULL, *cursor = NULL;
        _cleanup_journal_source_ struct journal_source *j = NULL;
        uint64_t k = (uint64_t)_i;
        int r;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, true);
        read_all(dir, NULL, 0, &all, NULL);

        ck_assert_int_eq(journal_source_open(dir, NULL, 0, &j), 0);
        ck_assert_int_eq(journal_source_cursor(j, &cursor), -ENODATA);
        r = journal_source_drain(j, k, collect, &a);
        ck_assert_int_eq(r, (int)a.n);
        ck_assert_uint_eq(journal_source_stats(j)->entries, k);
        ck_assert_int_eq(journal_source_cursor(j, &cursor), 0);
        j = journal_source_free(j);

        read_all(dir, cursor, 0, &b, NULL);
        assert_concat_equals(&a, &b, &all);

        /* A cursor saved after everything was read: nothing more. */
        if (k == AUDIT_EXPORT_ENTRIES) {
                collector_done(&b);
                read_all(dir, cursor, 0, &b, NULL);
                ck_assert_uint_eq(b.n, 0);
        }
        collector_done(&all);
        collector_done(&a);
        collector_done(&b);
        rm_rf(dir);
}
END_TEST

/* A failing callback stops the source; that record is not consumed: the
 * same source hands it on again, and so does a restart from the cursor. */
START_TEST(test_cursor_callback_error)
{
        struct collector all = {0}, a = {0}, b = {0};
        _cleanup_free_ char *dir = NULL, *cursor = NULL;
        _cleanup_journal_source_ struct journal_source *j = NULL;
        size_t fail_at = (size_t)_i + 1;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, true);
        read_all(dir, NULL, 0, &all, NULL);

        a.fail_at = fail_at;
        ck_assert_int_eq(journal_source_open(dir, NULL, 0, &j), 0);
        ck_assert_int_eq(journal_source_drain(j, 0, collect, &a), -ECANCELED);
        ck_assert_uint_eq(a.n, fail_at - 1);
        ck_assert_uint_eq(journal_source_stats(j)->records, fail_at - 1);
        /* The entry before the failed one (the kernel's first line when
         * the very first record failed). */
        ck_assert_int_eq(journal_source_cursor(j, &cursor), 0);

        /* Restart from the cursor (from the start when there is none). */
        read_all(dir, cursor, 0, &b, NULL);
        assert_concat_equals(&a, &b, &all);

        /* Or go on with the same source. */
        collector_done(&b);
        ck_assert_int_eq(journal_source_drain(j, 0, collect, &b), (int)(all.n - a.n));
        assert_concat_equals(&a, &b, &all);
        collector_done(&all);
        collector_done(&a);
        collector_done(&b);
        rm_rf(dir);
}
END_TEST

/* The cursor's entry was vacuumed: reading resumes at the next entry still
 * there, which was never handed on. The second journal is another file
 * (another seqnum id) without the first four entries. */
START_TEST(test_cursor_entry_gone)
{
        struct collector a = {0}, b = {0};
        _cleanup_free_ char *dir = NULL, *dir2 = NULL, *cursor = NULL, *text = NULL, *tail = NULL;
        _cleanup_journal_source_ struct journal_source *j = NULL;
        char *p;
        size_t len;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, true);
        ck_assert_int_eq(journal_source_open(dir, NULL, 0, &j), 0);
        ck_assert_int_eq(journal_source_drain(j, 4, collect, &a), 3);
        ck_assert_int_eq(journal_source_cursor(j, &cursor), 0);
        j = journal_source_free(j);

        /* Entries are separated by blank lines. */
        {
                FILE *f = fopen(test_path("tests/fixtures/journal/audit.export"), "re");

                ck_assert_ptr_nonnull(f);
                text = calloc(1, 1 << 16);
                len = fread(text, 1, (1 << 16) - 1, f);
                fclose(f);
                ck_assert_uint_gt(len, 0);
        }
        p = text;
        for (int i = 0; i < 4; i++) {
                p = strstr(p, "\n\n");
                ck_assert_ptr_nonnull(p);
                p += 2;
        }
        dir2 = scratch_dir();
        ck_assert_int_ge(asprintf(&tail, "%s/tail.export", dir2), 0);
        write_file(tail, p);
        build_journal(dir2, true, (const char *const[]){tail, NULL});

        read_all(dir2, cursor, 0, &b, NULL);
        ck_assert_uint_eq(a.n + b.n, ELEMENTSOF(audit_export));
        for (size_t i = 0; i < b.n; i++)
                ck_assert_str_eq(b.v[i].text, audit_export[a.n + i].text);
        collector_done(&a);
        collector_done(&b);
        rm_rf(dir);
        rm_rf(dir2);
}
END_TEST

static const char *const bad_cursors[] = {
    "", "garbage", "s=", "i=zz", "x", ";;;", "s=0123;i=nothex",
};

START_TEST(test_cursor_malformed)
{
        _cleanup_free_ char *dir = NULL;
        struct journal_source *j = NULL;

        if (!have_journal_remote())
                return;
        dir = fixture_journal(audit_fixture, true);
        ck_assert_int_eq(journal_source_open(dir, bad_cursors[_i], 0, &j), -EINVAL);
        ck_assert_ptr_null(j);
        rm_rf(dir);
}
END_TEST

START_TEST(test_open)
{
        struct journal_source *j = NULL;
        struct collector c = {0};

        ck_assert_int_lt(journal_source_open("/nonexistent/hardend-journal", NULL, 0, &j), 0);
        ck_assert_ptr_null(j);
        ck_assert_ptr_null(journal_source_free(NULL));
        /* The machine's own system journal, whatever it holds (nothing when
         * no journald runs): opens, reads to its end. */
        ck_assert_int_eq(journal_source_open(NULL, NULL, 0, &j), 0);
        ck_assert_int_ge(journal_source_drain(j, 1000, collect, &c), 0);
        ck_assert_uint_eq(journal_source_stats(j)->records, c.n);
        collector_done(&c);
        journal_source_free(j);
}
END_TEST

/* ---- the pure rebuild ---- */

#define V(s) ((struct journal_value){(s), sizeof(s) - 1})
#define NONE ((struct journal_value){NULL, 0})

static const char seccomp_msg[] = "SECCOMP auid=4294967295 uid=0 gid=0 ses=4294967295 pid=7 "
                                  "comm=\"a\" exe=\"/a\" sig=0 arch=c000003e syscall=39 compat=0 "
                                  "ip=0x1 code=0x7ffc0000";
#define SECCOMP_FIELDS                                                                             \
        "auid=4294967295 uid=0 gid=0 ses=4294967295 pid=7 comm=\"a\" exe=\"/a\" sig=0 "            \
        "arch=c000003e syscall=39 compat=0 ip=0x1 code=0x7ffc0000"

static const struct {
        const char *what;
        struct journal_audit_fields f;
        int ret; /* > 0: success */
        unsigned type;
        const char *text;
} rebuild_cases[] = {
    {"seccomp",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("42"), V("1795363078720000")},
     1,
     1326,
     "audit(1795363078.720:42): " SECCOMP_FIELDS},
    {"msec padded",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("1"), V("1000012000")},
     1,
     1326,
     "audit(1000.012:1): " SECCOMP_FIELDS},
    {"sub-ms digits dropped",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("1"), V("1000012999")},
     1,
     1326,
     "audit(1000.012:1): " SECCOMP_FIELDS},
    {"time 0, serial 0",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("0"), V("0")},
     1,
     1326,
     "audit(0.000:0): " SECCOMP_FIELDS},
    {"largest numbers",
     {V(seccomp_msg), V("65535"), V("SECCOMP"), V("18446744073709551615"),
      V("18446744073709551615")},
     1,
     65535,
     "audit(18446744073709.551:18446744073709551615): " SECCOMP_FIELDS},
    {"no type name: first word",
     {V(seccomp_msg), V("1326"), NONE, V("5"), V("2000000")},
     1,
     1326,
     "audit(2.000:5): " SECCOMP_FIELDS},
    {"unnamed type",
     {V("AUDIT1999 op=x"), V("1999"), V("AUDIT1999"), V("5"), V("2000000")},
     1,
     1999,
     "audit(2.000:5): op=x"},
    {"extra blanks",
     {V("AVC   apparmor=\"ALLOWED\""), V("1400"), V("AVC"), V("5"), V("2000000")},
     1,
     1400,
     "audit(2.000:5): apparmor=\"ALLOWED\""},
    {"user message",
     {V("USER_AVC pid=1 uid=0 msg='a=\"b\" c'"), V("1107"), V("USER_AVC"), V("9"), V("3000000")},
     1,
     1107,
     "audit(3.000:9): pid=1 uid=0 msg='a=\"b\" c'"},
    /* Missing fields. */
    {"no MESSAGE", {NONE, V("1326"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"no type", {V(seccomp_msg), NONE, V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"no id", {V(seccomp_msg), V("1326"), V("SECCOMP"), NONE, V("1")}, -EBADMSG, 0, NULL},
    {"no time", {V(seccomp_msg), V("1326"), V("SECCOMP"), V("1"), NONE}, -EBADMSG, 0, NULL},
    /* Numbers as journald never prints them. */
    {"type 0", {V(seccomp_msg), V("0"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type 65536", {V(seccomp_msg), V("65536"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type junk", {V(seccomp_msg), V("13x6"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type signed", {V(seccomp_msg), V("+1326"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type blank", {V(seccomp_msg), V(" 1326"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type empty", {V(seccomp_msg), V(""), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"type hex", {V(seccomp_msg), V("0x52e"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"id leading zero",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("01"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"id negative", {V(seccomp_msg), V("1326"), V("SECCOMP"), V("-1"), V("1")}, -EBADMSG, 0, NULL},
    {"id 2^64",
     {V(seccomp_msg), V("1326"), V("SECCOMP"), V("18446744073709551616"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"time junk", {V(seccomp_msg), V("1326"), V("SECCOMP"), V("1"), V("1.5")}, -EBADMSG, 0, NULL},
    /* MESSAGE not in journald's shape. */
    {"name mismatch", {V(seccomp_msg), V("1326"), V("AVC"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"name prefix only",
     {V("SECCOMPX a=b"), V("1326"), V("SECCOMP"), V("1"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"empty name", {V(seccomp_msg), V("1326"), V(""), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"name only", {V("SECCOMP"), V("1326"), V("SECCOMP"), V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"name and blanks",
     {V("SECCOMP   "), V("1326"), V("SECCOMP"), V("1"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"no name, first word a field",
     {V("pid=1 uid=0"), V("1326"), NONE, V("1"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"no name, one word", {V("SECCOMP"), V("1326"), NONE, V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"no name, leading blank", {V(" pid=1"), V("1326"), NONE, V("1"), V("1")}, -EBADMSG, 0, NULL},
    {"out of memory stand-in",
     {V("SECCOMP (message is truncated because of OOM)"), V("1326"), V("SECCOMP"), V("1"), V("1")},
     -EBADMSG,
     0,
     NULL},
    {"NUL byte",
     {V("SECCOMP pid=1\0 uid=0"), V("1326"), V("SECCOMP"), V("1"), V("1")},
     -EBADMSG,
     0,
     NULL},
};

START_TEST(test_rebuild_table)
{
        char buf[AUDIT_TEXT_MAX + 1];
        unsigned type = 0;
        int r = journal_audit_text(&rebuild_cases[_i].f, buf, sizeof(buf), &type);

        if (rebuild_cases[_i].ret < 0) {
                ck_assert_msg(r == rebuild_cases[_i].ret, "%s: got %d", rebuild_cases[_i].what, r);
                ck_assert_uint_eq(type, 0);
                return;
        }
        ck_assert_msg(r >= 0, "%s: got %d", rebuild_cases[_i].what, r);
        ck_assert_uint_eq(type, rebuild_cases[_i].type);
        ck_assert_str_eq(buf, rebuild_cases[_i].text);
        ck_assert_int_eq(r, (int)strlen(rebuild_cases[_i].text));
}
END_TEST

START_TEST(test_rebuild_sizes)
{
        static char msg[AUDIT_TEXT_MAX + 128], buf[AUDIT_TEXT_MAX + 64];
        /* "audit(1.000:1): " is 16 bytes. */
        const size_t head = 16, name = strlen("SECCOMP ");
        struct journal_audit_fields f = {{msg, 0}, V("1326"), V("SECCOMP"), V("1"), V("1000000")};
        unsigned type;

        memcpy(msg, "SECCOMP ", name);
        memset(msg + name, 'x', sizeof(msg) - name);
        /* Exactly AUDIT_TEXT_MAX: fine; one more: too big. */
        f.message.len = name + AUDIT_TEXT_MAX - head;
        ck_assert_int_eq(journal_audit_text(&f, buf, sizeof(buf), &type), (int)AUDIT_TEXT_MAX);
        ck_assert_uint_eq(strlen(buf), AUDIT_TEXT_MAX);
        f.message.len++;
        ck_assert_int_eq(journal_audit_text(&f, buf, sizeof(buf), &type), -E2BIG);
        /* Far over: refused before anything is read. */
        f.message.len = SIZE_MAX / 2;
        ck_assert_int_eq(journal_audit_text(&f, buf, sizeof(buf), &type), -E2BIG);
        /* A buffer too small for the text, or for any stamp. */
        f.message.len = name + 10;
        ck_assert_int_eq(journal_audit_text(&f, buf, head + 10, &type), -E2BIG);
        ck_assert_int_eq(journal_audit_text(&f, buf, head + 11, &type), (int)(head + 10));
        ck_assert_int_eq(journal_audit_text(&f, buf, 8, &type), -E2BIG);
}
END_TEST

/* ---- a private journald, live ---- */

struct journald {
        pid_t pid;
        char *dir;   /* scratch: the log, and the store below */
        char *store; /* journald's /var/log/journal */
        char *log;   /* its stderr */
};

static bool journal_file_exists(const char *store)
{
        _cleanup_free_ char *pattern = NULL;
        glob_t g;
        bool found;

        ck_assert_int_ge(asprintf(&pattern, "%s/*/system.journal", store), 0);
        found = glob(pattern, 0, NULL, &g) == 0;
        globfree(&g);
        return found;
}

static void journald_stop(struct journald *jd)
{
        int status;

        if (jd->pid > 0) {
                kill(jd->pid, SIGTERM);
                for (int i = 0; i < 100 && jd->pid > 0; i++) {
                        if (waitpid(jd->pid, &status, WNOHANG) == jd->pid)
                                jd->pid = 0;
                        else
                                usleep(50 * 1000);
                }
                if (jd->pid > 0) {
                        kill(jd->pid, SIGKILL);
                        waitpid(jd->pid, &status, 0);
                        jd->pid = 0;
                }
        }
        if (jd->dir)
                rm_rf(jd->dir);
        free(jd->dir);
        free(jd->store);
        free(jd->log);
        *jd = (struct journald){0};
}

/* Up to 8 KiB of a file, NUL-terminated (empty when unreadable). */
static char *read_text(const char *path)
{
        char *buf = calloc(1, 8192);
        FILE *f = fopen(path, "re");

        ck_assert_ptr_nonnull(buf);
        if (f) {
                (void)!fread(buf, 1, 8191, f);
                fclose(f);
        }
        return buf;
}

/* Why records may be missing, for a failure message. systemd 252 stops
 * reading its audit socket for good when a burst overruns it: it logs
 * "Got invalid event from epoll for datagram fd" (EPOLLERR) and disables
 * the event source. */
static const char *journald_why(const struct journald *jd)
{
        static char why[8192 + 256];
        _cleanup_free_ char *log = read_text(jd->log);

        if (strstr(log, "Got invalid event from epoll for datagram fd"))
                snprintf(why, sizeof(why),
                         "journald stopped reading audit records after its socket overran: "
                         "another process flooded the audit multicast group during the test. "
                         "Its log:\n%s",
                         log);
        else
                snprintf(why, sizeof(why), "journald's log:\n%s", log);
        return why;
}

/* Starts journald through tests/journal/journald-private.sh and waits
 * until it has opened its journal (its audit socket is bound before).
 * journald dies with us (PR_SET_PDEATHSIG) even when an assertion ends
 * the test first. */
static bool journald_start(struct journald *jd)
{
        const char *script = test_path("tests/journal/journald-private.sh");
        int status;

        *jd = (struct journald){0};
        if (!test_require(geteuid() == 0 && access(JOURNALD, X_OK) == 0 &&
                              access("/usr/bin/unshare", X_OK) == 0,
                          "root, " JOURNALD " and unshare"))
                return false;
        jd->dir = scratch_dir();
        ck_assert_int_ge(asprintf(&jd->store, "%s/store", jd->dir), 0);
        ck_assert_int_ge(asprintf(&jd->log, "%s/journald.log", jd->dir), 0);
        ck_assert_int_eq(mkdir(jd->store, 0755), 0);
        jd->pid = fork();
        ck_assert_int_ge(jd->pid, 0);
        if (jd->pid == 0) {
                int fd = open(jd->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

                if (fd < 0 || prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
                        _exit(126);
                dup2(fd, STDOUT_FILENO);
                dup2(fd, STDERR_FILENO);
                execl("/bin/sh", "sh", script, "run", jd->store, (char *)NULL);
                _exit(127);
        }
        for (int i = 0; i < 200; i++) {
                if (journal_file_exists(jd->store))
                        return true;
                if (waitpid(jd->pid, &status, WNOHANG) == jd->pid) {
                        jd->pid = 0;
                        break;
                }
                usleep(50 * 1000);
        }
        fprintf(stderr, "%s\n", journald_why(jd));
        journald_stop(jd);
        test_require(false, "a private systemd-journald (its log is above)");
        return false;
}

static uint64_t realtime_usec(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A child named comm under SCMP_ACT_LOG for getppid makes n calls: n type
 * 1326 records. Returns its pid. */
static pid_t logged_calls(const char *comm, int n)
{
        int status;
        pid_t pid = fork();

        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

                if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
                    prctl(PR_SET_NAME, comm) < 0 || seccomp_load(ctx) < 0)
                        _exit(99);
                for (int i = 0; i < n; i++)
                        syscall(SYS_getppid);
                _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        return pid;
}

/* A userspace AppArmor-style denial (type 1107, USER_AVC) through the
 * kernel: the one record type userspace may send while auditing is off. It
 * comes back as "pid=... uid=... msg='text'". */
static bool send_user_avc(const char *text)
{
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        struct {
                struct nlmsghdr h;
                char data[512];
        } req = {0};
        struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
        char ack[1024];
        struct nlmsghdr *h = (struct nlmsghdr *)ack;

        if (fd < 0)
                return false;
        snprintf(req.data, sizeof(req.data), "%s", text);
        req.h.nlmsg_len = NLMSG_LENGTH(strlen(req.data) + 1);
        req.h.nlmsg_type = AUDIT_USER_AVC;
        req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
                return false;
        if (recv(fd, ack, sizeof(ack), 0) < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)))
                return false;
        return h->nlmsg_type == NLMSG_ERROR && ((struct nlmsgerr *)NLMSG_DATA(h))->error == 0;
}

static size_t count_type(const struct collector *c, unsigned type)
{
        size_t n = 0;

        for (size_t i = 0; i < c->n; i++)
                n += c->v[i].type == type;
        return n;
}

/* Reads the store from since until want audit-transport records matching
 * c->filter are there (5 s at most). */
static void wait_records(const char *store, uint64_t since, struct collector *c, size_t want)
{
        for (int i = 0; i < 100; i++) {
                size_t audit = 0;

                collector_done(c);
                read_all(store, NULL, since, c, NULL);
                for (size_t k = 0; k < c->n; k++)
                        audit += c->v[k].type != 0;
                if (audit >= want)
                        return;
                usleep(50 * 1000);
        }
}

START_TEST(test_live_records)
{
        struct journald jd;
        struct collector c = {0}, avc = {0};
        char filter[64], nonce[160];
        uint64_t since;
        size_t kernel = 0;
        pid_t pid;
        const int n = 6;

        if (!journald_start(&jd))
                return;
        since = realtime_usec();
        pid = logged_calls("jsrc-live", n);
        snprintf(filter, sizeof(filter), " pid=%d comm=\"jsrc-live\"", (int)pid);
        c.filter = filter;
        wait_records(jd.store, since, &c, (size_t)n);

        /* Every record through the audit transport, each once. */
        ck_assert_msg(count_type(&c, AUDIT_TYPE_SECCOMP) == (size_t)n, "%zu of %d records: %s",
                      count_type(&c, AUDIT_TYPE_SECCOMP), n, journald_why(&jd));
        ck_assert_uint_eq(c.this_boot, c.n); /* this boot's: pids may be looked up */
        for (size_t i = 0; i < c.n; i++) {
                const char *t = c.v[i].text;

                ck_assert_ptr_nonnull(strstr(t, " syscall=110 "));
                ck_assert_ptr_nonnull(strstr(t, " code=0x7ffc0000"));
                if (c.v[i].type == 0) {
                        /* The kernel's own line, where printk's rate limit let
                         * it through: the same bytes as the rebuilt record. */
                        bool twin = false;

                        kernel++;
                        ck_assert(strncmp(t, "audit: type=1326 audit(", 23) == 0);
                        for (size_t k = 0; k < c.n; k++)
                                twin |= c.v[k].type == AUDIT_TYPE_SECCOMP &&
                                        strcmp(c.v[k].text, t + strlen("audit: type=1326 ")) == 0;
                        ck_assert_msg(twin, "no audit-transport twin for '%s'", t);
                        continue;
                }
                ck_assert(strncmp(t, "audit(", 6) == 0);
                for (size_t k = 0; k < i; k++)
                        ck_assert_str_ne(c.v[k].text, t);
        }
        fprintf(stderr,
                "events-journal: %d logged calls: %zu records by the audit transport, "
                "%zu by the kernel transport\n",
                n, c.n - kernel, kernel);

        /* A user message: msg='...' comes through whole. */
        snprintf(nonce, sizeof(nonce),
                 "apparmor=\"DENIED\" operation=\"dbus_method_call\" bus=\"system\" "
                 "path=\"/hardend/test\" member=\"Nonce%d\" label=\"hardend-journal-test\"",
                 (int)pid);
        if (test_require(send_user_avc(nonce), "sending a USER_AVC audit message")) {
                char want[256];

                snprintf(want, sizeof(want), " pid=%d uid=0 ", (int)getpid());
                avc.filter = nonce;
                wait_records(jd.store, since, &avc, 1);
                ck_assert_msg(count_type(&avc, AUDIT_TYPE_USER_AVC) == 1, "no USER_AVC: %s",
                              journald_why(&jd));
                for (size_t i = 0; i < avc.n; i++) {
                        const char *t = avc.v[i].text;

                        if (avc.v[i].type != AUDIT_TYPE_USER_AVC)
                                continue;
                        ck_assert(strncmp(t, "audit(", 6) == 0);
                        ck_assert_ptr_nonnull(strstr(t, "): pid="));
                        ck_assert_ptr_nonnull(strstr(t, want + 1));
                        ck_assert_ptr_nonnull(strstr(t, " msg='"));
                        ck_assert(t[strlen(t) - 1] == '\'');
                }
        }
        collector_done(&c);
        collector_done(&avc);
        journald_stop(&jd);
}
END_TEST

/* The pipeline's sink for the test below: this child's getppid records. */
struct both_count {
        pid_t pid;
        uint64_t delivered[_AUDIT_SOURCE_MAX];
};

static int count_both(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct both_count *b = userdata;

        if (e->kind == EVENT_SECCOMP && e->pid == b->pid && e->seccomp.syscall == 110)
                b->delivered[ctx->source]++;
        return 0;
}

/* Both sources see the same records: netlink first, then the journal
 * (audit transport, and the kernel transport where printk let a line
 * through); each record is one event. */
START_TEST(test_live_journal_and_netlink_once)
{
        struct journald jd;
        struct collector c = {0};
        struct both_count b = {0};
        struct audit_netlink *nl;
        struct events_pipeline *p;
        const struct events_pipeline_stats *st;
        struct journal_source *j;
        char filter[64];
        uint64_t since;
        const int n = 6;

        if (!journald_start(&jd))
                return;
        ck_assert_int_eq(audit_netlink_open(0, &nl), 0);
        ck_assert_int_eq(events_pipeline_new(
                             &(struct events_pipeline_config){
                                 .proc_fd = -1, .root_fd = -1, .sink = count_both, .userdata = &b},
                             &p),
                         0);
        since = realtime_usec();
        b.pid = logged_calls("jsrc-both", n);
        snprintf(filter, sizeof(filter), " pid=%d comm=\"jsrc-both\"", (int)b.pid);
        c.filter = filter;
        wait_records(jd.store, since, &c, (size_t)n); /* journald has them all */
        for (int i = 0; i < 50 && b.delivered[AUDIT_SOURCE_NETLINK] < (uint64_t)n; i++) {
                ck_assert_int_ge(audit_netlink_drain(nl, events_pipeline_raw_fn, p), 0);
                usleep(20 * 1000);
        }
        ck_assert_uint_eq(b.delivered[AUDIT_SOURCE_NETLINK], (uint64_t)n);
        ck_assert_int_eq(journal_source_open(jd.store, NULL, since, &j), 0);
        ck_assert_int_ge(journal_source_drain(j, 0, events_pipeline_raw_fn, p), n);
        st = events_pipeline_stats(p);
        ck_assert_uint_eq(b.delivered[AUDIT_SOURCE_JOURNAL], 0);
        ck_assert_uint_ge(st->duplicates, (uint64_t)n);
        journal_source_free(j);
        events_pipeline_free(p);
        audit_netlink_free(nl);
        collector_done(&c);
        journald_stop(&jd);
}
END_TEST

/* Read part, save the cursor, free the source ("restart"), more records
 * arrive, reopen from the cursor: every record once. */
START_TEST(test_live_cursor_restart)
{
        struct journald jd;
        struct collector all = {0}, a = {0}, b = {0};
        _cleanup_free_ char *cursor = NULL;
        _cleanup_journal_source_ struct journal_source *j = NULL;
        struct journal_source_stats st;
        uint64_t since;
        const int n = 8;

        if (!journald_start(&jd))
                return;
        since = realtime_usec();
        logged_calls("jsrc-cursor", n);
        /* The kernel's lines may still trickle in after journald has
         * written every audit-transport record: compare those only. */
        all.filter = a.filter = b.filter = " comm=\"jsrc-cursor\"";
        all.audit_only = a.audit_only = b.audit_only = true;
        wait_records(jd.store, since, &all, (size_t)n);
        ck_assert_msg(count_type(&all, AUDIT_TYPE_SECCOMP) == (size_t)n, "%zu of %d records: %s",
                      count_type(&all, AUDIT_TYPE_SECCOMP), n, journald_why(&jd));

        /* Half, counted in records of ours: the callback stops the source. */
        a.fail_at = all.n / 2 + 1;
        ck_assert_int_eq(journal_source_open(jd.store, NULL, since, &j), 0);
        ck_assert_int_eq(journal_source_drain(j, 0, collect, &a), -ECANCELED);
        ck_assert_int_eq(journal_source_cursor(j, &cursor), 0);
        j = journal_source_free(j);

        /* While "down", the child of another run logs more. */
        ck_assert_int_gt(logged_calls("jsrc-cursor", n), 0);
        collector_done(&all);
        wait_records(jd.store, since, &all, 2 * (size_t)n);
        ck_assert_msg(count_type(&all, AUDIT_TYPE_SECCOMP) == 2 * (size_t)n,
                      "%zu of %d records: %s", count_type(&all, AUDIT_TYPE_SECCOMP), 2 * n,
                      journald_why(&jd));

        read_all(jd.store, cursor, 0, &b, NULL);
        assert_concat_equals(&a, &b, &all);

        /* The same, cut by a number of entries: half of what is there. */
        collector_done(&a);
        collector_done(&b);
        free(cursor);
        cursor = NULL;
        a.fail_at = 0;
        read_all(jd.store, NULL, since, &b, &st);
        collector_done(&b);
        ck_assert_uint_ge(st.entries, 2 * (uint64_t)n);
        ck_assert_int_eq(journal_source_open(jd.store, NULL, since, &j), 0);
        ck_assert_int_ge(journal_source_drain(j, st.entries / 2, collect, &a), 0);
        ck_assert_int_eq(journal_source_cursor(j, &cursor), 0);
        j = journal_source_free(j);
        read_all(jd.store, cursor, 0, &b, NULL);
        assert_concat_equals(&a, &b, &all);

        collector_done(&all);
        collector_done(&a);
        collector_done(&b);
        journald_stop(&jd);
}
END_TEST

/* --follow: the journal's fd wakes us when journald appends. */
START_TEST(test_live_follow)
{
        struct journald jd;
        struct collector c = {0};
        _cleanup_journal_source_ struct journal_source *j = NULL;
        struct pollfd p;
        const int n = 4;
        size_t seccomp = 0;

        if (!journald_start(&jd))
                return;
        c.filter = " comm=\"jsrc-follow\"";
        ck_assert_int_eq(journal_source_open(jd.store, NULL, realtime_usec(), &j), 0);
        p.fd = journal_source_fd(j);
        ck_assert_int_ge(p.fd, 0);
        p.events = POLLIN;
        ck_assert_int_ge(journal_source_drain(j, 0, collect, &c), 0);
        ck_assert_uint_eq(c.n, 0);

        logged_calls("jsrc-follow", n);
        for (int i = 0; i < 50 && seccomp < (size_t)n; i++) {
                if (poll(&p, 1, 100) > 0)
                        ck_assert_int_ge(journal_source_process(j), 0);
                ck_assert_int_ge(journal_source_drain(j, 0, collect, &c), 0);
                seccomp = count_type(&c, AUDIT_TYPE_SECCOMP);
        }
        ck_assert_msg(seccomp == (size_t)n, "%zu of %d records: %s", seccomp, n, journald_why(&jd));
        collector_done(&c);
        j = journal_source_free(j);
        journald_stop(&jd);
}
END_TEST

static Suite *events_journal_suite(void)
{
        Suite *s = suite_create("events-journal");
        TCase *tc = tcase_create("rebuild");

        tcase_add_loop_test(tc, test_rebuild_table, 0, ELEMENTSOF(rebuild_cases));
        tcase_add_test(tc, test_rebuild_sizes);
        suite_add_tcase(s, tc);

        tc = tcase_create("fixtures");
        tcase_add_unchecked_fixture(tc, scratch_setup, scratch_teardown);
        tcase_set_timeout(tc, 30);
        tcase_add_loop_test(tc, test_fixture_records, 0, 2);
        tcase_add_loop_test(tc, test_fixture_malformed, 0, 2);
        tcase_add_loop_test(tc, test_since, 0, ELEMENTSOF(since_cases));
        tcase_add_loop_test(tc, test_cursor_split, 1, AUDIT_EXPORT_ENTRIES + 1);
        tcase_add_loop_test(tc, test_cursor_callback_error, 0, ELEMENTSOF(audit_export));
        tcase_add_test(tc, test_cursor_entry_gone);
        tcase_add_loop_test(tc, test_cursor_malformed, 0, ELEMENTSOF(bad_cursors));
        tcase_add_test(tc, test_open);
        suite_add_tcase(s, tc);

        tc = tcase_create("live");
        tcase_add_unchecked_fixture(tc, scratch_setup, scratch_teardown);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, test_live_records);
        tcase_add_test(tc, test_live_journal_and_netlink_once);
        tcase_add_test(tc, test_live_cursor_restart);
        tcase_add_test(tc, test_live_follow);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(events_journal_suite)
