/* SPDX-License-Identifier: MIT */
/* The posture parsers, each a pure function from bytes to a struct, fed
 * good input and hostile input: /proc/PID/stat (comm with spaces,
 * parentheses, newlines), status, mountinfo (escapes, optional fields,
 * per-mount vs superblock options), ns links, AppArmor labels, printing
 * escapes, path globs, ELF headers. */
#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "posture/apparmor-label.h"
#include "posture/glob-match.h"
#include "posture/mountinfo.h"
#include "posture/namespaces.h"
#include "posture/proc-stat.h"
#include "posture/proc-status.h"
#include "posture/seccomp-readback.h"
#include "posture/text-escape.h"
#include "testing.h"

/* The 50 fields after comm, as a 6.x kernel prints them; start time 4242. */
#define STAT_TAIL                                                                                  \
        " S 1 77 77 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 4242 10485760 200 "                    \
        "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

static const struct {
        const char *line;
        int ret;
        pid_t pid;
        const char *comm;
        uint64_t start;
} stat_cases[] = {
    {"77 (sleep)" STAT_TAIL, 0, 77, "sleep", 4242},
    /* comm is whatever the process chose: only the last ')' is safe. */
    {"77 (a b)" STAT_TAIL, 0, 77, "a b", 4242},
    {"77 ((x) 1 2 3)" STAT_TAIL, 0, 77, "(x) 1 2 3", 4242},
    {"77 (a) S 9 9 9)" STAT_TAIL, 0, 77, "a) S 9 9 9", 4242},
    {"77 (new\nline)" STAT_TAIL, 0, 77, "new\nline", 4242},
    {"77 ())" STAT_TAIL, 0, 77, ")", 4242},
    {"77 ()" STAT_TAIL, 0, 77, "", 4242},
    {"77 (kworker/0:1-events_power_efficient)" STAT_TAIL, 0, 77,
     "kworker/0:1-events_power_efficient", 4242},
    /* Malformed: no parentheses, no pid, sign, missing fields, junk. */
    {"77 sleep" STAT_TAIL, -EINVAL, 0, NULL, 0},
    {"(sleep)" STAT_TAIL, -EINVAL, 0, NULL, 0},
    {"-77 (sleep)" STAT_TAIL, -EINVAL, 0, NULL, 0},
    {"0 (sleep)" STAT_TAIL, -EINVAL, 0, NULL, 0},
    {"77 (sleep) S 1 77\n", -EINVAL, 0, NULL, 0},
    {"77 (sleep) Q 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1\n", -EINVAL, 0, NULL, 0},
    {"77 (sleep) S x 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1\n", -EINVAL, 0, NULL, 0},
    {"77 (sleep) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999999\n", -EINVAL, 0,
     NULL, 0},
    {"77 (sleep) S 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 x\n", -EINVAL, 0, NULL, 0},
    {"99999999999 (sleep)" STAT_TAIL, -EINVAL, 0, NULL, 0},
    {"", -EINVAL, 0, NULL, 0},
    {"77 (aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)" STAT_TAIL, -E2BIG,
     0, NULL, 0},
};

START_TEST(test_stat_table)
{
        struct proc_stat s;
        int r = proc_stat_parse(stat_cases[_i].line, strlen(stat_cases[_i].line), &s);

        ck_assert_msg(r == stat_cases[_i].ret, "case %d: got %d", _i, r);
        if (r < 0)
                return;
        ck_assert_int_eq(s.pid, stat_cases[_i].pid);
        ck_assert_uint_eq(s.comm_len, strlen(stat_cases[_i].comm));
        ck_assert_mem_eq(s.comm, stat_cases[_i].comm, s.comm_len);
        ck_assert_uint_eq(s.start_time, stat_cases[_i].start);
        ck_assert_int_eq(s.ppid, 1);
        ck_assert_int_eq(s.state, 'S');
        ck_assert_uint_eq(s.flags, 4194560);
        ck_assert(!proc_stat_is_kernel_thread(&s));
}
END_TEST

START_TEST(test_stat_kernel_thread_and_oversize)
{
        static const char kthread[] =
            "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 2 0 0 "
            "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
        struct proc_stat s;
        char *big = malloc(PROC_STAT_MAX + 2);

        ck_assert_int_eq(proc_stat_parse(kthread, strlen(kthread), &s), 0);
        ck_assert(proc_stat_is_kernel_thread(&s));
        ck_assert_int_eq(s.ppid, 0);
        memset(big, '1', PROC_STAT_MAX + 1);
        ck_assert_int_eq(proc_stat_parse(big, PROC_STAT_MAX + 1, &s), -E2BIG);
        /* A NUL inside the line is not a stat line. */
        ck_assert_int_eq(proc_stat_parse("77 (a\0b)" STAT_TAIL, 8 + strlen(STAT_TAIL), &s),
                         -EINVAL);
        free(big);
}
END_TEST

static const char status_ok[] = "Name:\tsleep\n"
                                "Umask:\t0022\n"
                                "State:\tS (sleeping)\n"
                                "Tgid:\t812\n"
                                "Ngid:\t0\n"
                                "Pid:\t812\n"
                                "PPid:\t811\n"
                                "TracerPid:\t0\n"
                                "Uid:\t1000\t1001\t1002\t1003\n"
                                "Gid:\t2000\t2001\t2002\t2003\n"
                                "FDSize:\t64\n"
                                "Groups:\t4 24 27 \n"
                                "NStgid:\t812\t1\n"
                                "NSpid:\t812\t1\n"
                                "Kthread:\t0\n"
                                "Threads:\t3\n"
                                "CapInh:\t0000000000000000\n"
                                "CapPrm:\t00000000a80425fb\n"
                                "CapEff:\t00000000a80425fb\n"
                                "CapBnd:\t000001ffffffffff\n"
                                "CapAmb:\t0000000000000400\n"
                                "NoNewPrivs:\t1\n"
                                "Seccomp:\t2\n"
                                "Seccomp_filters:\t3\n"
                                "Speculation_Store_Bypass:\tthread vulnerable\n"
                                "voluntary_ctxt_switches:\t5\n";

START_TEST(test_status_fields)
{
        struct proc_status s;

        ck_assert_int_eq(proc_status_parse(status_ok, strlen(status_ok), &s), 0);
        ck_assert_int_eq(s.pid, 812);
        ck_assert_int_eq(s.tgid, 812);
        ck_assert_int_eq(s.ppid, 811);
        ck_assert_uint_eq(s.threads, 3);
        ck_assert_uint_eq(s.nspid_levels, 2);
        ck_assert(!s.kthread);
        ck_assert_uint_eq(s.creds.uid[0], 1000);
        ck_assert_uint_eq(s.creds.uid[1], 1001);
        ck_assert_uint_eq(s.creds.uid[3], 1003);
        ck_assert_uint_eq(s.creds.gid[2], 2002);
        ck_assert_uint_eq(s.creds.cap_prm, 0xa80425fbu);
        ck_assert_uint_eq(s.creds.cap_bnd, 0x1ffffffffffu);
        ck_assert_uint_eq(s.creds.cap_amb, 0x400u);
        ck_assert(s.creds.no_new_privs);
        ck_assert_int_eq(s.creds.seccomp_mode, 2);
        ck_assert_uint_eq(s.creds.seccomp_filters, 3);
}
END_TEST

/* Each case replaces one line of status_ok (or appends) and must fail. */
static const struct {
        const char *from, *to;
        int ret;
} status_bad[] = {
    {"CapBnd:\t000001ffffffffff\n", "", -EINVAL},                       /* truncated */
    {"CapBnd:\t000001ffffffffff\n", "CapBnd:\t1ffffffffff\n", -EINVAL}, /* short hex */
    {"CapBnd:\t000001ffffffffff\n", "CapBnd:\t000001fffffffffg\n", -EINVAL},
    {"CapBnd:\t000001ffffffffff\n", "CapBnd:\t000001ffffffffff0\n", -EINVAL},
    {"Uid:\t1000\t1001\t1002\t1003\n", "Uid:\t1000\t1001\t1002\n", -EINVAL},
    {"Uid:\t1000\t1001\t1002\t1003\n", "Uid:\t-1\t1001\t1002\t1003\n", -EINVAL},
    {"Uid:\t1000\t1001\t1002\t1003\n", "Uid:\t4294967296\t1\t1\t1\n", -EINVAL},
    {"NoNewPrivs:\t1\n", "NoNewPrivs:\t2\n", -EINVAL},
    {"Seccomp:\t2\n", "Seccomp:\t3\n", -EINVAL},
    {"Pid:\t812\n", "Pid:\t0\n", -EINVAL},
    {"Pid:\t812\n", "Pid:\t812\nPid:\t813\n", -EINVAL}, /* the kernel never repeats */
    {"Name:\tsleep\n", "no colon here\n", -EINVAL},
    {"NSpid:\t812\t1\n", "NSpid:\t812\t0\n", -EINVAL},
};

START_TEST(test_status_malformed)
{
        char buf[4096];
        const char *at = strstr(status_ok, status_bad[_i].from);
        struct proc_status s;
        size_t pre;

        ck_assert_ptr_nonnull(at);
        pre = (size_t)(at - status_ok);
        snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pre, status_ok, status_bad[_i].to,
                 at + strlen(status_bad[_i].from));
        ck_assert_int_eq(proc_status_parse(buf, strlen(buf), &s), status_bad[_i].ret);
}
END_TEST

START_TEST(test_status_optional_and_creds)
{
        /* A 4.x kernel: no CapAmb, NoNewPrivs, Seccomp_filters, NSpid. */
        static const char old[] = "Name:\tx\nTgid:\t5\nPid:\t5\nPPid:\t1\nUid:\t0\t0\t0\t0\n"
                                  "Gid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\n"
                                  "CapPrm:\t0000003fffffffff\nCapEff:\t0000003fffffffff\n"
                                  "CapBnd:\t0000003fffffffff\nSeccomp:\t0\n";
        struct proc_status a, b;

        ck_assert_int_eq(proc_status_parse(old, strlen(old), &a), 0);
        ck_assert(!(a.fields & PROC_STATUS_CAPAMB));
        ck_assert_uint_eq(a.nspid_levels, 0);
        ck_assert_int_eq(a.creds.seccomp_mode, 0);
        b = a;
        ck_assert(proc_creds_equal(&a.creds, &b.creds));
        b.creds.cap_eff ^= 1;
        ck_assert(!proc_creds_equal(&a.creds, &b.creds));
}
END_TEST

static const char mountinfo_text[] =
    "21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    "24 21 0:25 / /run rw,nosuid,nodev shared:4 master:2 - tmpfs tmpfs rw,mode=755\n"
    "30 21 0:26 / /srv/a\\040b\\011c\\012d\\134e ro,nosuid - tmpfs my\\040src rw\n"
    "31 21 254:1 /vol /data rw propagate_from:3 unbindable - ext4 /dev/vdb ro,errors=remount-ro\n"
    "40 24 0:27 / /run/x rw - tmpfs tmpfs rw\n"
    "41 40 0:28 / /run/x rw - tmpfs tmpfs rw\n";

START_TEST(test_mountinfo_fields)
{
        struct mount_table t;
        const struct mount_entry *m;
        char buf[256];

        ck_assert_int_eq(mountinfo_parse(mountinfo_text, strlen(mountinfo_text), &t, NULL), 0);
        ck_assert_uint_eq(t.n, 6);
        m = &t.entries[1];
        ck_assert_uint_eq(m->id, 24);
        ck_assert_uint_eq(m->parent, 21);
        ck_assert_uint_eq(m->major, 0);
        ck_assert_uint_eq(m->minor, 25);
        ck_assert_str_eq(m->target, "/run");
        ck_assert_str_eq(m->fstype, "tmpfs");
        ck_assert(m->flags & MOUNT_SHARED);
        ck_assert(m->flags & MOUNT_SLAVE);
        ck_assert(m->flags & MOUNT_NOSUID);
        ck_assert(mount_entry_writable(m));
        /* Octal escapes: space, tab, newline, backslash. */
        m = &t.entries[2];
        ck_assert_str_eq(m->target, "/srv/a b\tc\nd\\e");
        ck_assert_str_eq(m->source, "my src");
        ck_assert(!mount_entry_writable(m)); /* per-mount ro */
        /* Superblock ro makes a rw mount read-only. */
        m = &t.entries[3];
        ck_assert(m->flags & MOUNT_SB_RO);
        ck_assert(!(m->flags & MOUNT_RO));
        ck_assert(!mount_entry_writable(m));
        ck_assert_str_eq(m->root, "/vol");
        /* Two mounts stacked on /run/x: the lower one is hidden. */
        ck_assert(t.entries[4].flags & MOUNT_HIDDEN);
        ck_assert(!(t.entries[5].flags & MOUNT_HIDDEN));

        ck_assert_uint_eq(mount_table_root(&t)->id, 21);
        m = mount_table_resolve(&t, "/run/podman/podman.sock", buf, sizeof(buf));
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_eq(m->id, 24);
        ck_assert_str_eq(buf, "/podman/podman.sock");
        m = mount_table_resolve(&t, "/data/x/y", buf, sizeof(buf));
        ck_assert_uint_eq(m->id, 31);
        ck_assert_str_eq(buf, "/vol/x/y");
        m = mount_table_resolve(&t, "/runx/y", buf, sizeof(buf));
        ck_assert_uint_eq(m->id, 21);
        ck_assert_str_eq(buf, "/runx/y");
        m = mount_table_resolve(&t, "/run/x/sock", buf, sizeof(buf));
        ck_assert_uint_eq(m->id, 41); /* the visible one */
        ck_assert_ptr_null(mount_table_resolve(&t, "relative", buf, sizeof(buf)));
        mount_table_done(&t);
}
END_TEST

static const struct {
        const char *line;
} mountinfo_bad[] = {
    {"21 1 254:0 / / rw - ext4\n"},                     /* no source, no options */
    {"21 1 254:0 / / rw shared:1 ext4 /dev/vda rw\n"},  /* no separator */
    {"21 1 254 / / rw - ext4 /dev/vda rw\n"},           /* no minor */
    {"x 1 254:0 / / rw - ext4 /dev/vda rw\n"},          /* id */
    {"21 1 254:0 / / rw bogus:1 - ext4 /dev/vda rw\n"}, /* unknown optional field */
    {"21 1 254:0 / / relatime - ext4 /dev/vda rw\n"},   /* neither rw nor ro */
    {"21 1 254:0 / /a\\04 rw - ext4 /dev/vda rw\n"},    /* cut escape */
    {"21 1 254:0 / /a\\000 rw - ext4 /dev/vda rw\n"},   /* escaped NUL */
    {"21 1 254:0 / /a\\9xy rw - ext4 /dev/vda rw\n"},   /* not octal */
    {"21 1 254:0 / x rw - ext4 /dev/vda rw\n"},         /* mount point not absolute */
    {"21  1 254:0 / / rw - ext4 /dev/vda rw\n"},        /* empty token */
    {"21 1 254:0 / / rw - ext4 /dev/vda\n"},            /* no super options */
    {"21 1 99999999999:0 / / rw - ext4 /dev/vda rw\n"}, /* major out of range */
};

START_TEST(test_mountinfo_malformed)
{
        char buf[512];
        struct mount_table t;
        unsigned line = 0;

        /* A good first line, then the bad one: the error names line 2. */
        snprintf(buf, sizeof(buf), "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n%s",
                 mountinfo_bad[_i].line);
        ck_assert_int_eq(mountinfo_parse(buf, strlen(buf), &t, &line), -EINVAL);
        ck_assert_uint_eq(line, 2);
}
END_TEST

START_TEST(test_mountinfo_bounds)
{
        struct mount_table t;
        size_t n = MOUNTINFO_MAX_LINE + 64;
        char *line = malloc(n + 64);

        /* A line longer than the cap is refused. */
        strcpy(line, "1 0 8:1 / /");
        memset(line + strlen(line), 'a', MOUNTINFO_MAX_LINE);
        strcpy(line + strlen("1 0 8:1 / /") + MOUNTINFO_MAX_LINE, " rw - ext4 x rw\n");
        ck_assert_int_eq(mountinfo_parse(line, strlen(line), &t, NULL), -E2BIG);
        /* nsfs mounts name their root "net:[...]" */
        {
                static const char ns[] = "44 43 0:4 net:[4026532176] /run/netns/x rw shared:2 - "
                                         "nsfs nsfs rw\n";

                ck_assert_int_eq(mountinfo_parse(ns, strlen(ns), &t, NULL), 0);
        }
        ck_assert_str_eq(t.entries[0].root, "net:[4026532176]");
        mount_table_done(&t);
        ck_assert_int_eq(mountinfo_parse("", 0, &t, NULL), 0);
        ck_assert_uint_eq(t.n, 0);
        ck_assert_ptr_null(mount_table_root(&t));
        mount_table_done(&t);
        free(line);
        ck_assert(path_is_prefix("/", "/x"));
        ck_assert(path_is_prefix("/run", "/run"));
        ck_assert(path_is_prefix("/run", "/run/a"));
        ck_assert(!path_is_prefix("/run", "/runa"));
        ck_assert(!path_is_prefix("/run/a", "/run"));
}
END_TEST

static const struct {
        const char *link;
        enum ns_type type;
        int ret;
        uint64_t ino;
} ns_cases[] = {
    {"net:[4026531840]", NS_NET, 0, 4026531840u},
    {"mnt:[1]", NS_MNT, 0, 1},
    {"cgroup:[4026531835]", NS_CGROUP, 0, 4026531835u},
    {"net:[4026531840]", NS_MNT, -EINVAL, 0}, /* another type */
    {"net:[]", NS_NET, -EINVAL, 0},
    {"net:[0]", NS_NET, -EINVAL, 0},
    {"net:[12a]", NS_NET, -EINVAL, 0},
    {"net:[99999999999999999999]", NS_NET, -EINVAL, 0},
    {"net:4026531840", NS_NET, -EINVAL, 0},
    {"net:[4026531840", NS_NET, -EINVAL, 0},
    {"", NS_NET, -EINVAL, 0},
};

START_TEST(test_ns_links)
{
        uint64_t ino = 0;
        int r =
            ns_link_parse(ns_cases[_i].link, strlen(ns_cases[_i].link), ns_cases[_i].type, &ino);

        ck_assert_int_eq(r, ns_cases[_i].ret);
        if (r == 0)
                ck_assert_uint_eq(ino, ns_cases[_i].ino);
}
END_TEST

START_TEST(test_ns_shared)
{
        struct ns_set a = {.known = (1u << NS_NET) | (1u << NS_PID) | (1u << NS_USER)};
        struct ns_set b = {.known = (1u << NS_NET) | (1u << NS_PID)};

        a.ino[NS_NET] = b.ino[NS_NET] = 10;
        a.ino[NS_PID] = 11;
        b.ino[NS_PID] = 12;
        a.ino[NS_USER] = 13; /* unknown in b: never "shared" */
        ck_assert_uint_eq(ns_set_shared(&a, &b), 1u << NS_NET);
        ck_assert_str_eq(ns_type_to_string(NS_UTS), "uts");
}
END_TEST

static const struct {
        const char *text;
        int ret;
        enum apparmor_state state;
        enum apparmor_mode mode;
        const char *label;
} aa_cases[] = {
    {"unconfined\n", 0, APPARMOR_UNCONFINED, APPARMOR_MODE_NONE, NULL},
    {"unconfined", 0, APPARMOR_UNCONFINED, APPARMOR_MODE_NONE, NULL},
    {"hardend-api (enforce)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_ENFORCE, "hardend-api"},
    {"hardend-api (complain)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_COMPLAIN, "hardend-api"},
    {"/usr/bin/man (kill)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_KILL, "/usr/bin/man"},
    {"a//&b (mixed)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_MIXED, "a//&b"},
    {"odd (name) (enforce)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_ENFORCE, "odd (name)"},
    {"p (unconfined)\n", 0, APPARMOR_CONFINED, APPARMOR_MODE_UNCONFINED, "p"},
    {"hardend-api (bogus)\n", -EINVAL, 0, 0, NULL},
    {"hardend-api\n", -EINVAL, 0, 0, NULL},
    {" (enforce)\n", -EINVAL, 0, 0, NULL},
    {"a\tb (enforce)\n", -EINVAL, 0, 0, NULL},
    {"\n", -EINVAL, 0, 0, NULL},
    {"system_u:system_r:init_t:s0", -EINVAL, 0, 0, NULL}, /* SELinux owns attr/current */
};

START_TEST(test_apparmor_labels)
{
        struct apparmor_label l;
        int r = apparmor_label_parse(aa_cases[_i].text, strlen(aa_cases[_i].text), &l);

        ck_assert_int_eq(r, aa_cases[_i].ret);
        if (r < 0)
                return;
        ck_assert_int_eq(l.state, aa_cases[_i].state);
        ck_assert_int_eq(l.mode, aa_cases[_i].mode);
        if (aa_cases[_i].label)
                ck_assert_str_eq(l.label, aa_cases[_i].label);
        else
                ck_assert_ptr_null(l.label);
        apparmor_label_done(&l);
}
END_TEST

static const struct {
        const char *in;
        size_t len;
        bool nul_as_space;
        size_t size;
        const char *out;
} escape_cases[] = {
    {"plain", 5, false, 64, "plain"},
    {"a\nb\tc\\d\"e", 9, false, 64, "a\\nb\\tc\\\\d\\\"e"},
    {"\x1b[31m", 5, false, 64, "\\x1b[31m"},
    {"\xff\xfe", 2, false, 64, "\\xff\\xfe"},
    {"ls\0-l\0", 6, true, 64, "ls -l"},
    {"ls\0-l\0", 6, false, 64, "ls\\x00-l\\x00"},
    {"abcdef", 6, false, 7, "abcdef"},  /* fits exactly */
    {"abcdefg", 7, false, 7, "abc..."}, /* does not: cut with "..." */
    {"\n\n\n", 3, false, 6, "\\n..."},  /* never in the middle of an escape */
    {"", 0, false, 1, ""},
};

START_TEST(test_escape)
{
        char buf[64];

        text_escape(escape_cases[_i].in, escape_cases[_i].len, escape_cases[_i].nul_as_space, buf,
                    escape_cases[_i].size);
        ck_assert_str_eq(buf, escape_cases[_i].out);
}
END_TEST

static const struct {
        const char *glob, *path;
        bool match;
} glob_cases[] = {
    {"/usr/bin/nginx", "/usr/bin/nginx", true},
    {"/usr/bin/nginx", "/usr/bin/nginx2", false},
    {"/usr/*/nginx", "/usr/sbin/nginx", true},
    {"/usr/*/nginx", "/usr/local/sbin/nginx", false},
    {"/usr/**/nginx", "/usr/local/sbin/nginx", true},
    {"/usr/**", "/usr/a/b/c", true},
    {"/usr/sbin/{nginx,httpd}", "/usr/sbin/httpd", true},
    {"/usr/sbin/{nginx,httpd}", "/usr/sbin/apache", false},
    {"/{usr/,}bin/**", "/bin/sh", true},
    {"/{usr/,}bin/**", "/usr/bin/sh", true},
    {"/{a,{b,c}}/x", "/c/x", true},
    {"/bin/[abc]sh", "/bin/bsh", true},
    {"/bin/[^abc]sh", "/bin/bsh", false},
    {"/bin/[^abc]sh", "/bin/zsh", true},
    {"/bin/[a-c]?", "/bin/bq", true},
    {"/bin/?", "/bin//", false},
    {"@{HOME}/bin/x", "/root/bin/x", false}, /* variables are AppArmor's */
    {"relative", "relative", false},
    /* Backtracking is bounded: a pathological glob gives false quickly. */
    {"/**a**a**a**a**a**a**a**a**a**a**a**b",
     "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
};

START_TEST(test_glob)
{
        ck_assert_msg(glob_match_path(glob_cases[_i].glob, glob_cases[_i].path) ==
                          glob_cases[_i].match,
                      "%s vs %s", glob_cases[_i].glob, glob_cases[_i].path);
}
END_TEST

START_TEST(test_elf_arch)
{
        unsigned char h[20] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
        uint32_t arch;

        h[18] = 62; /* EM_X86_64 */
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), 0);
        ck_assert_uint_eq(arch, SCMP_ARCH_X86_64);
        h[4] = 1; /* ELFCLASS32 on x86_64: x32 */
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), 0);
        ck_assert_uint_eq(arch, SCMP_ARCH_X32);
        h[18] = 3; /* EM_386 */
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), 0);
        ck_assert_uint_eq(arch, SCMP_ARCH_X86);
        h[4] = 2;
        h[18] = 183; /* EM_AARCH64 */
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), 0);
        ck_assert_uint_eq(arch, SCMP_ARCH_AARCH64);
        h[18] = 0x99;
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), -EOPNOTSUPP);
        h[0] = 0;
        ck_assert_int_eq(elf_header_arch(h, sizeof(h), &arch), -EINVAL);
        ck_assert_int_eq(elf_header_arch(h, 10, &arch), -EINVAL);
}
END_TEST

static Suite *posture_parse_suite(void)
{
        Suite *s = suite_create("posture-parse");
        TCase *tc = tcase_create("parsers");

        tcase_add_loop_test(tc, test_stat_table, 0, (int)ELEMENTSOF(stat_cases));
        tcase_add_test(tc, test_stat_kernel_thread_and_oversize);
        tcase_add_test(tc, test_status_fields);
        tcase_add_loop_test(tc, test_status_malformed, 0, (int)ELEMENTSOF(status_bad));
        tcase_add_test(tc, test_status_optional_and_creds);
        tcase_add_test(tc, test_mountinfo_fields);
        tcase_add_loop_test(tc, test_mountinfo_malformed, 0, (int)ELEMENTSOF(mountinfo_bad));
        tcase_add_test(tc, test_mountinfo_bounds);
        tcase_add_loop_test(tc, test_ns_links, 0, (int)ELEMENTSOF(ns_cases));
        tcase_add_test(tc, test_ns_shared);
        tcase_add_loop_test(tc, test_apparmor_labels, 0, (int)ELEMENTSOF(aa_cases));
        tcase_add_loop_test(tc, test_escape, 0, (int)ELEMENTSOF(escape_cases));
        tcase_add_loop_test(tc, test_glob, 0, (int)ELEMENTSOF(glob_cases));
        tcase_add_test(tc, test_elf_arch);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(posture_parse_suite)
