/* SPDX-License-Identifier: MIT */
/* The events pipeline and what it is built from: --since times, the file
 * source's line framing, cross-source de-duplication, observations and
 * their cap, attribution of live processes (pid reuse, exited processes)
 * and by rule, ABEND linking, and `hardenctl events` on a mixed log. */
#include <errno.h>
#include <linux/audit.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/time-util.h"
#include "events/audit-dedupe.h"
#include "events/event-attribute.h"
#include "events/events-pipeline.h"
#include "sources/audit-netlink.h"
#include "sources/file-source.h"
#include "events/observations.h"
#include "policy/policy-set.h"
#include "testing.h"

/* --- --since ------------------------------------------------------------ */

static const struct {
        const char *in;
        long long delta; /* seconds relative to now, or LLONG_MIN: absolute below */
        unsigned long long abs_sec;
        int r;
} time_cases[] = {
    {"now", 0, 0, 0},
    {"-90s", -90, 0, 0},
    {"-15m", -900, 0, 0},
    {"-2h", -7200, 0, 0},
    {"1d", 0, 0, -EINVAL},
    {"30min ago", -1800, 0, 0},
    {"2 days ago", -172800, 0, 0},
    {"@1795356141", LLONG_MIN, 1795356141ull, 0},
    {"@1795356141.5", LLONG_MIN, 1795356141ull, 0},
    {"2026-11-22T10:00:05Z", LLONG_MIN, 1795341605ull, 0},
    {"2026-11-22 10:00 UTC", LLONG_MIN, 1795341600ull, 0},
    {"2026-13-01", 0, 0, -EINVAL},
    {"2026-11-22 25:00", 0, 0, -EINVAL},
    {"2026-11-22 10:00 PST", 0, 0, -EINVAL},
    {"@", 0, 0, -EINVAL},
    {"@12x", 0, 0, -EINVAL},
    {"-h", 0, 0, -EINVAL},
    {"99999999999999999999999h ago", 0, 0, -EINVAL},
    {"", 0, 0, -EINVAL},
    {"soon", 0, 0, -EINVAL},
};

START_TEST(test_since)
{
        const uint64_t now = 1795356141ull * USEC_PER_SEC;
        uint64_t got = 0;
        int r = parse_time_point(time_cases[_i].in, now, &got);

        ck_assert_msg(r == time_cases[_i].r, "'%s': %d", time_cases[_i].in, r);
        if (r < 0)
                return;
        if (time_cases[_i].delta == LLONG_MIN)
                ck_assert_uint_eq(got / USEC_PER_SEC, time_cases[_i].abs_sec);
        else
                ck_assert_uint_eq(got, now + time_cases[_i].delta * (long long)USEC_PER_SEC);
}
END_TEST

START_TEST(test_since_local_and_format)
{
        uint64_t midnight, now = now_realtime_usec(), t;
        char buf[32];

        ck_assert_int_eq(parse_time_point("today", now, &midnight), 0);
        ck_assert(midnight <= now && now - midnight <= 25 * 3600 * USEC_PER_SEC);
        ck_assert_int_eq(parse_time_point("yesterday", now, &t), 0);
        ck_assert(t < midnight);
        ck_assert_str_eq(format_time_iso_ms(1795356141886000ull, buf, sizeof(buf)),
                         "2026-11-22T14:02:21.886Z");
}
END_TEST

/* --- file source --------------------------------------------------------- */

struct collected {
        char lines[16][64];
        uint64_t numbers[16];
        size_t n;
        size_t wrong;   /* records not framed as a file's */
        int stop_after; /* return -ECANCELED after this many; 0 = never */
};

/* No ck_assert here: it is called a million times, and each assertion
 * talks to Check's parent process. */
static int collect(const struct audit_raw *raw, void *userdata)
{
        struct collected *c = userdata;

        if (raw->source != AUDIT_SOURCE_FILE || raw->this_boot || raw->line != c->n + 1)
                c->wrong++;
        if (c->n < 16) {
                snprintf(c->lines[c->n], sizeof(c->lines[0]), "%.*s", (int)raw->len, raw->text);
                c->numbers[c->n] = raw->line;
        }
        c->n++;
        return c->stop_after && (int)c->n >= c->stop_after ? -ECANCELED : 0;
}

static int read_text(const void *data, size_t len, struct collected *c,
                     struct file_source_stats *st)
{
        char path[] = "/tmp/hardend-fs-XXXXXX";
        int fd = mkstemp(path), r;

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
        ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
        unlink(path);
        r = file_source_read_fd(fd, "x.log", collect, c, st);
        close(fd);
        ck_assert_uint_eq(c->wrong, 0);
        return r;
}

START_TEST(test_file_lines)
{
        struct collected c = {0};
        struct file_source_stats st;

        ck_assert_int_eq(read_text("a\r\nb\n\nlast", 11, &c, &st), 0);
        ck_assert_uint_eq(c.n, 4);
        ck_assert_str_eq(c.lines[0], "a");
        ck_assert_str_eq(c.lines[1], "b");
        ck_assert_str_eq(c.lines[2], "");
        ck_assert_str_eq(c.lines[3], "last");
        ck_assert_uint_eq(c.numbers[3], 4);
        ck_assert_uint_eq(st.lines, 4);
        ck_assert_uint_eq(st.too_long, 0);
}
END_TEST

/* Lines that straddle the read chunk, and lines over the limit (which are
 * skipped whole and still counted as lines, so numbers stay right). */
START_TEST(test_file_chunks_and_long_lines)
{
        size_t len = FILE_SOURCE_CHUNK * 2 + 100, pos = 0;
        _cleanup_free_ char *data = malloc(len);
        struct collected c = {0};
        struct file_source_stats st;

        ck_assert_ptr_nonnull(data);
        /* line 1: short; line 2: too long (AUDIT_LINE_MAX + 1); line 3:
         * short, crossing the first chunk boundary; line 4: too long and
         * without a newline at the very end. */
        memcpy(data, "first\n", 6);
        pos = 6;
        memset(data + pos, 'x', AUDIT_LINE_MAX + 1);
        pos += AUDIT_LINE_MAX + 1;
        data[pos++] = '\n';
        memset(data + pos, 'y', FILE_SOURCE_CHUNK - pos - 5);
        pos = FILE_SOURCE_CHUNK - 5;
        memcpy(data + pos, "-across\n", 8);
        pos += 8;
        memset(data + pos, 'z', len - pos);
        ck_assert_int_eq(read_text(data, len, &c, &st), 0);
        /* The "y" line is over the limit too: FILE_SOURCE_CHUNK is bigger. */
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(c.lines[0], "first");
        ck_assert_uint_eq(st.lines, 4);
        ck_assert_uint_eq(st.too_long, 3);
        ck_assert_uint_eq(st.first_too_long, 2);
        ck_assert_uint_eq(st.bytes, len);
}
END_TEST

START_TEST(test_file_line_across_chunk)
{
        size_t len = FILE_SOURCE_CHUNK + 64, pos;
        _cleanup_free_ char *data = malloc(len);
        struct collected c = {0};
        struct file_source_stats st;

        ck_assert_ptr_nonnull(data);
        memset(data, '\n', len);
        pos = FILE_SOURCE_CHUNK - 10;
        memcpy(data + pos, "0123456789abcdef", 16); /* 10 bytes in chunk one, 6 in two */
        ck_assert_int_eq(read_text(data, len, &c, &st), 0);
        ck_assert_uint_eq(st.too_long, 0);
        for (size_t i = 0; i < 16 && i < c.n; i++)
                if (c.lines[i][0])
                        ck_assert_str_eq(c.lines[i], "0123456789abcdef");
        ck_assert_uint_eq(st.lines, len - 16);
}
END_TEST

START_TEST(test_file_callback_stops)
{
        struct collected c = {.stop_after = 2};

        ck_assert_int_eq(read_text("1\n2\n3\n", 6, &c, NULL), -ECANCELED);
        ck_assert_uint_eq(c.n, 2);
        ck_assert_int_eq(file_source_read("/nonexistent/x.log", collect, &c, NULL), -ENOENT);
}
END_TEST

/* --- de-duplication -------------------------------------------------------- */

START_TEST(test_dedupe)
{
        struct audit_dedupe *d;
        struct audit_stamp s = {.sec = 1795356141, .msec = 886, .serial = 2};

        ck_assert_int_eq(audit_dedupe_new(&d), 0);
        ck_assert(!audit_dedupe_seen(d, 1326, s));
        ck_assert(audit_dedupe_seen(d, 1326, s));
        ck_assert(!audit_dedupe_seen(d, 1701, s)); /* another record of the same event */
        s.msec++;
        ck_assert(!audit_dedupe_seen(d, 1326, s)); /* same serial, another time: another boot */
        s.serial = 0;
        ck_assert(!audit_dedupe_seen(d, 1326, s));
        ck_assert(!audit_dedupe_seen(d, 1326, s)); /* no serial: never a duplicate */
        /* Fill two generations: the oldest is forgotten, the recent kept. */
        for (uint64_t i = 1; i <= 2 * AUDIT_DEDUPE_KEEP + 10; i++)
                audit_dedupe_seen(d, 1326, (struct audit_stamp){.sec = 1, .serial = i});
        ck_assert(!audit_dedupe_seen(d, 1326, (struct audit_stamp){.sec = 1, .serial = 1}));
        ck_assert(audit_dedupe_seen(
            d, 1326, (struct audit_stamp){.sec = 1, .serial = 2 * AUDIT_DEDUPE_KEEP}));
        audit_dedupe_free(d);
}
END_TEST

/* --- observations --------------------------------------------------------- */

static struct audit_event *seccomp_event(pid_t pid, int64_t nr, const char *name,
                                         enum seccomp_event_verdict v, uint64_t sec)
{
        struct audit_event *e = calloc(1, sizeof(*e));

        ck_assert_ptr_nonnull(e);
        e->kind = EVENT_SECCOMP;
        e->type = AUDIT_TYPE_SECCOMP;
        e->stamp = (struct audit_stamp){.sec = sec, .serial = (uint64_t)sec};
        e->pid = pid;
        e->uid = e->gid = e->auid = e->ses = AUDIT_ID_UNSET;
        e->comm = "comm";
        e->exe = "/usr/bin/x";
        e->seccomp = (struct seccomp_event){
            .arch = 0xc000003e, .syscall = nr, .syscall_name = name, .verdict = v};
        return e;
}

START_TEST(test_observations_aggregate)
{
        struct observations *o;
        _cleanup_free_ struct audit_event *a =
            seccomp_event(10, 101, "ptrace", SECCOMP_EVENT_LOG, 100);
        _cleanup_free_ struct audit_event *b =
            seccomp_event(11, 39, "getpid", SECCOMP_EVENT_LOG, 50);
        const struct observation **all;
        const struct service_counts *sv;
        size_t n;

        ck_assert_int_eq(observations_new(0, &o), 0);
        for (int i = 0; i < 3; i++)
                ck_assert_int_eq(observations_add(o, a, "api", "podman:aaa"), 0);
        ck_assert_int_eq(observations_add(o, a, "api", "podman:bbb"), 0);
        ck_assert_int_eq(observations_add(o, b, "api", NULL), 0);
        ck_assert_int_eq(observations_add(o, a, NULL, "pid:10"), 0);
        ck_assert_int_eq(observations_mark_killed(o, "api", &a->seccomp), 0);
        ck_assert_int_eq(observations_mark_killed(o, "worker", &a->seccomp), -ENOENT);
        observations_list(o, &all, &n);
        ck_assert_uint_eq(n, 3);
        ck_assert_str_eq(all[0]->service, "api");
        ck_assert_uint_eq(all[0]->count, 4); /* most frequent first */
        ck_assert_str_eq(all[0]->syscall_name, "ptrace");
        ck_assert_uint_eq(all[0]->killed, 1);
        ck_assert_uint_eq(all[0]->n_workloads, 2);
        ck_assert_str_eq(all[0]->workloads[1], "podman:bbb");
        ck_assert_uint_eq(all[1]->count, 1);
        ck_assert_uint_eq(all[1]->first_usec, 50 * USEC_PER_SEC);
        ck_assert_ptr_null(all[2]->service); /* unattributed last */
        sv = observations_services(o, &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_str_eq(sv[0].service, "api");
        ck_assert_uint_eq(sv[0].events, 5);
        ck_assert_uint_eq(sv[0].denials, 5);
        ck_assert_ptr_null(sv[1].service);
        observations_free(o);
}
END_TEST

START_TEST(test_observations_cap)
{
        struct observations *o;
        _cleanup_free_ struct audit_event *e = seccomp_event(10, 0, "read", SECCOMP_EVENT_LOG, 1);
        const struct service_counts *sv;
        const struct observation **all;
        size_t n;

        ck_assert_int_eq(observations_new(4, &o), 0);
        for (int64_t nr = 0; nr < 10; nr++) {
                e->seccomp.syscall = nr;
                ck_assert_int_eq(observations_add(o, e, "api", NULL), nr < 4 ? 0 : 1);
        }
        e->seccomp.syscall = 2; /* a kept key still counts */
        ck_assert_int_eq(observations_add(o, e, "api", NULL), 0);
        ck_assert_uint_eq(observations_keys(o), 4);
        ck_assert_uint_eq(observations_over_cap(o), 6);
        sv = observations_services(o, &n);
        ck_assert_uint_eq(sv[0].over_cap, 6);
        ck_assert_uint_eq(sv[0].events, 11);
        observations_list(o, &all, &n);
        ck_assert_uint_eq(all[0]->count, 2);
        observations_free(o);
}
END_TEST

START_TEST(test_observations_apparmor_keys)
{
        struct observations *o;
        _cleanup_free_ struct audit_event *e = calloc(1, sizeof(*e));
        _cleanup_free_ char *longname = malloc(3000);
        const struct observation **all;
        size_t n;

        ck_assert_ptr_nonnull(e);
        e->kind = EVENT_APPARMOR;
        e->apparmor = (struct apparmor_event){.verdict = APPARMOR_ALLOWED,
                                              .operation = "open",
                                              .name = "/etc/shadow",
                                              .requested = "r",
                                              .denied = "r",
                                              .capability = -1};
        ck_assert_int_eq(observations_new(0, &o), 0);
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        e->apparmor.denied = "w"; /* another mask: another key */
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        e->apparmor = (struct apparmor_event){.verdict = APPARMOR_DENIED,
                                              .operation = "capable",
                                              .capname = "net_admin",
                                              .capability = 12};
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        e->apparmor = (struct apparmor_event){.verdict = APPARMOR_DENIED,
                                              .operation = "create",
                                              .family = "inet",
                                              .sock_type = "raw",
                                              .capability = -1};
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        /* A path longer than the cap is kept cut, and still matches itself. */
        size_t before = observations_memory(o);
        memset(longname, 'a', 2999);
        longname[0] = '/';
        longname[2999] = '\0';
        e->apparmor = (struct apparmor_event){
            .verdict = APPARMOR_ALLOWED, .operation = "open", .name = longname, .capability = -1};
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        ck_assert_int_eq(observations_add(o, e, "frontend", "w1"), 0);
        observations_list(o, &all, &n);
        ck_assert_uint_eq(n, 5);
        ck_assert_uint_eq(all[0]->count, 2);
        ck_assert_int_eq(all[0]->object_kind, OBJECT_PATH);
        ck_assert_uint_eq(strlen(all[0]->object), OBSERVATION_STRING_MAX);
        for (size_t i = 1; i < n; i++) {
                if (all[i]->object_kind == OBJECT_CAPABILITY)
                        ck_assert_str_eq(all[i]->object, "net_admin");
                if (all[i]->object_kind == OBJECT_NETWORK)
                        ck_assert_str_eq(all[i]->object, "inet raw");
        }
        ck_assert_uint_ge(observations_memory(o) - before, OBSERVATION_STRING_MAX);
        observations_free(o);
}
END_TEST

/* --- attribution ------------------------------------------------------------ */

static struct policy_set test_policies;

static void load_profiles(void)
{
        ck_assert_int_eq(policy_set_load_dir(test_path("profiles"), &test_policies, NULL, NULL), 0);
}

static void drop_profiles(void)
{
        policy_set_done(&test_policies);
}

static struct attributor *new_attributor(int proc_fd)
{
        struct attributor *a;

        ck_assert_int_eq(attributor_new(&(struct attributor_config){.policies = &test_policies,
                                                                    .proc_fd = proc_fd,
                                                                    .root_fd = -1},
                                        &a),
                         0);
        return a;
}

static void stamp_now(struct audit_event *e, uint64_t usec)
{
        e->stamp.sec = usec / USEC_PER_SEC;
        e->stamp.msec = (uint32_t)(usec % USEC_PER_SEC / 1000u);
}

/* A live child: attributed from /proc, then from the cache; once it has
 * exited, what was known is kept. */
START_TEST(test_attribute_live_and_exited)
{
        _cleanup_close_ int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct attributor *a = new_attributor(proc_fd);
        _cleanup_free_ struct audit_event *e = seccomp_event(0, 39, "getpid", SECCOMP_EVENT_LOG, 0);
        const struct attribution *at;
        char ref[32];
        pid_t child;
        uint64_t now;

        child = fork();
        ck_assert_int_ge(child, 0);
        if (child == 0) {
                pause();
                _exit(0);
        }
        usleep(20000);
        e->pid = child;
        now = now_realtime_usec();
        stamp_now(e, now);
        at = attributor_attribute(a, e, true, now + 5000);
        ck_assert_ptr_nonnull(at);
        ck_assert_int_eq(at->how, ATTRIBUTED_LIVE);
        ck_assert_ptr_nonnull(at->workload);
        snprintf(ref, sizeof(ref), "pid:%d", (int)child);
        /* Under a unit (a systemd host) it is the unit; else the pid. */
        ck_assert(strcmp(at->workload, ref) == 0 || strncmp(at->workload, "unit:", 5) == 0);
        ck_assert_uint_eq(attributor_stats(a)->identified, 1);
        /* Same moment again: from the cache, no read. */
        at = attributor_attribute(a, e, true, now + 6000);
        ck_assert_int_eq(at->how, ATTRIBUTED_LIVE);
        ck_assert_uint_eq(attributor_stats(a)->cache_hits, 1);
        /* Later event: one stat read verifies, no new identification. */
        stamp_now(e, now + 10000);
        at = attributor_attribute(a, e, true, now + 20000);
        ck_assert_uint_eq(attributor_stats(a)->identified, 1);
        ck_assert_uint_ge(attributor_stats(a)->stat_reads, 1);
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        stamp_now(e, now + 30000);
        at = attributor_attribute(a, e, true, now + 40000);
        ck_assert_int_eq(at->how, ATTRIBUTED_LIVE); /* as known, before it exited */
        ck_assert_uint_eq(attributor_stats(a)->remembered, 1);
        attributor_free(a);
}
END_TEST

/* An event stamped before the process now holding the pid started is not
 * that process's. */
START_TEST(test_attribute_reused_pid)
{
        _cleanup_close_ int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct attributor *a = new_attributor(proc_fd);
        _cleanup_free_ struct audit_event *e =
            seccomp_event(getpid(), 39, "getpid", SECCOMP_EVENT_LOG, 1000000);
        const struct attribution *at;

        /* 1000000 s after the epoch: long before this test process. */
        at = attributor_attribute(a, e, true, now_realtime_usec());
        ck_assert_int_eq(at->how, ATTRIBUTED_NONE);
        ck_assert_ptr_null(at->workload);
        ck_assert_uint_eq(attributor_stats(a)->reused, 1);
        ck_assert_uint_eq(attributor_stats(a)->identified, 0);
        attributor_free(a);
}
END_TEST

/* Offline (or with no process): the AppArmor profile, then the executable. */
START_TEST(test_attribute_by_rule)
{
        struct attributor *a = new_attributor(-1);
        _cleanup_free_ struct audit_event *e =
            seccomp_event(1, 101, "ptrace", SECCOMP_EVENT_LOG, 5);
        const struct attribution *at;

        e->exe = "/usr/local/bin/api-server";
        at = attributor_attribute(a, e, true, now_realtime_usec());
        ck_assert_str_eq(at->service, "api");
        ck_assert_int_eq(at->how, ATTRIBUTED_EXECUTABLE);
        e->exe = "/usr/local/bin/other";
        at = attributor_attribute(a, e, false, 0);
        ck_assert_ptr_null(at->service);
        ck_assert_int_eq(at->how, ATTRIBUTED_NONE);
        e->kind = EVENT_APPARMOR;
        e->apparmor = (struct apparmor_event){.verdict = APPARMOR_DENIED,
                                              .operation = "open",
                                              .profile = "hardend-worker//null-/bin/sh",
                                              .capability = -1};
        at = attributor_attribute(a, e, false, 0);
        ck_assert_str_eq(at->service, "worker");
        ck_assert_int_eq(at->how, ATTRIBUTED_PROFILE);
        e->apparmor.profile = "hardend-nosuchservice";
        ck_assert_ptr_null(attributor_attribute(a, e, false, 0)->service);
        /* A profile load names its profile as the object. */
        e->apparmor = (struct apparmor_event){.verdict = APPARMOR_STATUS,
                                              .operation = "profile_load",
                                              .profile = "unconfined",
                                              .name = "hardend-frontend",
                                              .capability = -1};
        ck_assert_str_eq(attributor_attribute(a, e, true, 0)->service, "frontend");
        ck_assert_uint_eq(attributor_stats(a)->unknown, 2);
        attributor_free(a);
}
END_TEST

/* The cache holds at most max_processes. */
START_TEST(test_attribute_cache_cap)
{
        _cleanup_close_ int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct attributor *a;
        _cleanup_free_ struct audit_event *e = seccomp_event(0, 39, "getpid", SECCOMP_EVENT_LOG, 0);
        pid_t kids[6];

        ck_assert_int_eq(attributor_new(&(struct attributor_config){.policies = &test_policies,
                                                                    .proc_fd = proc_fd,
                                                                    .root_fd = -1,
                                                                    .max_processes = 4},
                                        &a),
                         0);
        for (size_t i = 0; i < ELEMENTSOF(kids); i++) {
                kids[i] = fork();
                ck_assert_int_ge(kids[i], 0);
                if (kids[i] == 0) {
                        pause();
                        _exit(0);
                }
        }
        usleep(20000);
        for (size_t i = 0; i < ELEMENTSOF(kids); i++) {
                uint64_t now = now_realtime_usec();

                e->pid = kids[i];
                stamp_now(e, now);
                ck_assert_int_eq(attributor_attribute(a, e, true, now + 2000)->how,
                                 ATTRIBUTED_LIVE);
        }
        ck_assert_uint_eq(attributor_stats(a)->identified, 6);
        ck_assert_uint_eq(attributor_stats(a)->evicted, 2);
        for (size_t i = 0; i < ELEMENTSOF(kids); i++) {
                kill(kids[i], SIGKILL);
                waitpid(kids[i], NULL, 0);
        }
        attributor_free(a);
}
END_TEST

/* --- the pipeline on a mixed log ------------------------------------------- */

struct sunk {
        size_t n;
        size_t abend_linked;
        char services[16][16];
};

static int sink(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct sunk *s = userdata;

        if (s->n < 16)
                snprintf(s->services[s->n], sizeof(s->services[0]), "%s",
                         ctx->attr->service ? ctx->attr->service : "-");
        s->n++;
        if (e->kind == EVENT_ABEND && ctx->killed_by) {
                ck_assert_str_eq(ctx->killed_by, "ptrace");
                s->abend_linked++;
        }
        return 0;
}

static struct events_pipeline *new_pipeline(struct sunk *s, const char *service, uint64_t since)
{
        struct events_pipeline *p;

        ck_assert_int_eq(events_pipeline_new(
                             &(struct events_pipeline_config){
                                 .policies = &test_policies,
                                 .proc_fd = -1,
                                 .root_fd = -1,
                                 .service = service,
                                 .since_usec = since,
                                 .status_events = true,
                                 .sink = sink,
                                 .userdata = s,
                             },
                             &p),
                         0);
        return p;
}

START_TEST(test_pipeline_mixed_log)
{
        struct sunk s = {0};
        struct events_pipeline *p = new_pipeline(&s, NULL, 0);
        const struct events_pipeline_stats *st;
        const struct service_counts *sv;
        const char *const *bad;
        size_t n;

        ck_assert_int_eq(file_source_read(test_path("tests/fixtures/events-cli/mixed.log"),
                                          events_pipeline_raw_fn, p, NULL),
                         0);
        st = events_pipeline_stats(p);
        ck_assert_uint_eq(st->records[AUDIT_SOURCE_FILE], 11);
        ck_assert_uint_eq(st->ignored, 1);
        ck_assert_uint_eq(st->malformed, 1);
        ck_assert_uint_eq(st->delivered, 9);
        ck_assert_uint_eq(st->abend_linked, 1);
        ck_assert_uint_eq(s.abend_linked, 1);
        bad = events_pipeline_malformed(p, &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_msg(strncmp(bad[0], test_path("tests/fixtures/events-cli/mixed.log"),
                              strlen(test_path("tests/fixtures/events-cli/mixed.log"))) == 0 &&
                          strstr(bad[0], ".log:11:"),
                      "%s", bad[0]);
        sv = observations_services(events_pipeline_observations(p), &n);
        ck_assert_uint_eq(n, 4);
        ck_assert_str_eq(sv[0].service, "api");
        ck_assert_uint_eq(sv[0].events, 3);
        ck_assert_uint_eq(sv[0].keys, 1);
        ck_assert_str_eq(sv[1].service, "frontend");
        ck_assert_uint_eq(sv[1].events, 2);
        ck_assert_str_eq(sv[2].service, "worker");
        ck_assert_uint_eq(sv[2].events, 3);
        ck_assert_ptr_null(sv[3].service);
        ck_assert_uint_eq(sv[3].events, 1);
        events_pipeline_free(p);
}
END_TEST

/* The same records twice (as if from the journal and from netlink): once. */
START_TEST(test_pipeline_duplicates_and_filters)
{
        struct sunk s = {0};
        struct events_pipeline *p = new_pipeline(&s, "worker", 1795356142ull * USEC_PER_SEC);
        const char *log = test_path("tests/fixtures/events-cli/mixed.log");

        ck_assert_int_eq(file_source_read(log, events_pipeline_raw_fn, p, NULL), 0);
        ck_assert_int_eq(file_source_read(log, events_pipeline_raw_fn, p, NULL), 0);
        ck_assert_uint_eq(events_pipeline_stats(p)->duplicates, 9);
        ck_assert_uint_eq(events_pipeline_stats(p)->early, 3);
        ck_assert_uint_eq(s.n, 3); /* the worker's ERRNO, KILL and ABEND */
        for (size_t i = 0; i < s.n; i++)
                ck_assert_str_eq(s.services[i], "worker");
        events_pipeline_free(p);
}
END_TEST

/* --- live: the kernel's records of a child, through netlink ---------------- */

struct live_count {
        pid_t child;
        const char *service;
        uint64_t ours, wrong;
};

static int count_live(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct live_count *c = userdata;

        if (e->kind != EVENT_SECCOMP || e->pid != c->child)
                return 0;
        if (e->seccomp.syscall == SYS_getppid && e->seccomp.verdict == SECCOMP_EVENT_LOG &&
            ctx->attr->how == ATTRIBUTED_LIVE && ctx->attr->service &&
            strcmp(ctx->attr->service, c->service) == 0 && ctx->source == AUDIT_SOURCE_NETLINK)
                c->ours++;
        else
                c->wrong++;
        return 0;
}

/* A child (this test program: a policy names its executable) under a
 * filter that logs getppid makes N calls and stays alive: every record
 * reaches the pipeline, is attributed to the policy's service through
 * /proc, and is counted exactly, in the events and in the observations. */
START_TEST(test_pipeline_live_netlink)
{
        enum { N = 500 };
        char dir[] = "/tmp/hardend-live-XXXXXX", exe[PATH_MAX], yaml[PATH_MAX + 64], path[128];
        struct policy_set policies = {0};
        struct live_count count = {.service = "live"};
        struct events_pipeline *p;
        struct audit_netlink *nl;
        const struct observation **all;
        _cleanup_close_ int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct audit_status k0 = {0}, k1 = {0};
        bool have_kernel;
        int go[2], status, r;
        ssize_t n;
        size_t n_obs;

        if (!test_require(geteuid() == 0, "root (CAP_AUDIT_READ)"))
                return;
        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        ck_assert_int_gt(n, 0);
        exe[n] = '\0';
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/live.yaml", dir);
        snprintf(yaml, sizeof(yaml), "service: live\nmatch:\n  executables: ['%s']\n", exe);
        ck_assert_int_eq(write_file_atomic(AT_FDCWD, path, yaml, strlen(yaml), 0644), 0);
        ck_assert_int_eq(policy_set_load_dir(dir, &policies, NULL, NULL), 0);
        unlink(path);
        rmdir(dir);
        ck_assert_int_eq(audit_netlink_open(0, &nl), 0);
        /* What the kernel drops before any listener (a full backlog, e.g.
         * while other work floods the audit queue) nobody can count but the
         * kernel: the records seen plus its losses must make N exactly. */
        have_kernel = audit_kernel_status(&k0) == 0;
        ck_assert_int_eq(events_pipeline_new(&(struct events_pipeline_config){.policies = &policies,
                                                                              .proc_fd = proc_fd,
                                                                              .root_fd = -1,
                                                                              .sink = count_live,
                                                                              .userdata = &count},
                                             &p),
                         0);
        ck_assert_int_eq(pipe2(go, O_CLOEXEC), 0);
        count.child = fork();
        ck_assert_int_ge(count.child, 0);
        if (count.child == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                char c;

                if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
                    seccomp_load(ctx) < 0)
                        _exit(77);
                for (int i = 0; i < N; i++)
                        syscall(SYS_getppid);
                close(go[1]);
                (void)!read(go[0], &c, 1); /* alive until the parent is done */
                _exit(0);
        }
        close(go[0]);
        /* Until all N are in, or nothing came for 5 s: on a loaded machine
         * kauditd hands records on in a trickle (it also prints each one to
         * the console when no auditd runs), so a fixed wait can end early. */
        for (int quiet = 0; quiet < 50 && count.ours < N;) {
                struct pollfd pfd = {.fd = audit_netlink_fd(nl), .events = POLLIN};
                uint64_t before = count.ours;

                if (poll(&pfd, 1, 100) > 0) {
                        r = audit_netlink_drain(nl, events_pipeline_raw_fn, p);
                        ck_assert_int_ge(r, 0);
                }
                quiet = count.ours == before ? quiet + 1 : 0;
        }
        /* A little longer, for any record too many. */
        for (int round = 0; round < 3; round++) {
                struct pollfd pfd = {.fd = audit_netlink_fd(nl), .events = POLLIN};

                if (poll(&pfd, 1, 100) > 0)
                        ck_assert_int_ge(audit_netlink_drain(nl, events_pipeline_raw_fn, p), 0);
        }
        close(go[1]);
        ck_assert_int_eq(waitpid(count.child, &status, 0), count.child);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
        events_pipeline_flush(p);
        if (have_kernel && audit_kernel_status(&k1) == 0 && k1.lost != k0.lost) {
                fprintf(stderr, "live netlink: the kernel dropped %u records (backlog)\n",
                        k1.lost - k0.lost);
                /* Its counter is machine-wide: others' records count too. */
                ck_assert_uint_le(count.ours, N);
                ck_assert_uint_ge(count.ours + (k1.lost - k0.lost), N);
        } else
                ck_assert_uint_eq(count.ours, N);
        ck_assert_uint_eq(count.wrong, 0);
        ck_assert_uint_eq(audit_netlink_stats(nl)->overruns, 0);
        ck_assert_uint_eq(events_pipeline_stats(p)->serial.gaps, 0);
        /* One stat read and one identification served all N. */
        ck_assert_uint_eq(events_pipeline_attributor_stats(p)->identified, 1);
        observations_list(events_pipeline_observations(p), &all, &n_obs);
        for (size_t i = 0; i < n_obs; i++)
                if (all[i]->service && strcmp(all[i]->service, "live") == 0) {
                        ck_assert_int_eq(all[i]->syscall, SYS_getppid);
                        ck_assert_uint_eq(all[i]->count, count.ours);
                        ck_assert_int_eq(all[i]->example_pid, count.child);
                }
        events_pipeline_free(p);
        audit_netlink_free(nl);
        policy_set_done(&policies);
}
END_TEST

/* --- hardenctl events ----------------------------------------------------- */

static int events_cli(const char *const *extra, char **out, char **err)
{
        const char *argv[32] = {"build/hardenctl", "events", "--profiles", "profiles"};
        size_t n = 4;

        for (size_t i = 0; extra[i]; i++)
                argv[n++] = extra[i];
        argv[n] = NULL;
        return test_run(argv, out, err);
}

START_TEST(test_cli_text)
{
        const char *args[] = {"--input", "tests/fixtures/events-cli/mixed.log", NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;

        ck_assert_int_eq(events_cli(args, &out, &err), 0);
        ck_assert_msg(strstr(out, "2026-11-22T14:02:21.886Z  api  -  seccomp  LOG  ptrace  "
                                  "comm=api-server exe=/usr/local/bin/api-server  x3\n"),
                      "%s", out);
        ck_assert_msg(strstr(out, "worker  -  seccomp  ERRNO  mount  comm=build-agent"), "%s", out);
        ck_assert_msg(strstr(out, "worker  -  abend  signal 31  killed-by ptrace"), "%s", out);
        ck_assert_msg(strstr(out, "frontend  -  apparmor  ALLOWED  open /etc/shadow r  comm=nginx"),
                      "%s", out);
        ck_assert_msg(strstr(out, "frontend  -  apparmor  DENIED  capable net_admin"), "%s", out);
        ck_assert_msg(strstr(out, "-  -  seccomp  LOG  getpid  comm=\"my app\" exe=/opt/tool\n"),
                      "%s", out);
        ck_assert_msg(strstr(err, "mixed.log:11:"), "%s", err);
}
END_TEST

START_TEST(test_cli_json_and_summary)
{
        const char *args[] = {"--input",   "tests/fixtures/events-cli/mixed.log",
                              "--json",    "--summary",
                              "--service", "api",
                              NULL};
        _cleanup_free_ char *out = NULL, *err = NULL;
        char *line, *save = NULL;
        size_t events = 0, summaries = 0;

        ck_assert_int_eq(events_cli(args, &out, &err), 0);
        for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                json_error_t je;
                json_t *j = json_loads(line, 0, &je);

                ck_assert_msg(j, "not JSON: %s", line);
                if (json_object_get(j, "observations")) {
                        json_t *obs = json_object_get(j, "observations");

                        ck_assert_uint_eq(json_array_size(obs), 1);
                        ck_assert_int_eq(
                            json_integer_value(json_object_get(json_array_get(obs, 0), "count")),
                            3);
                        summaries++;
                } else {
                        ck_assert_str_eq(json_string_value(json_object_get(j, "service")), "api");
                        ck_assert_str_eq(json_string_value(json_object_get(j, "syscall")),
                                         "ptrace");
                        ck_assert_str_eq(json_string_value(json_object_get(j, "attributed_by")),
                                         "executable");
                        ck_assert(json_is_integer(json_object_get(j, "serial")));
                        events++;
                }
                json_decref(j);
        }
        ck_assert_uint_eq(events, 3);
        ck_assert_uint_eq(summaries, 1);
}
END_TEST

START_TEST(test_cli_usage_errors)
{
        static const char *const cases[][4] = {
            {"--since", "whenever", NULL},
            {"--input", "x.log", "--follow", NULL},
            {"--input", "x.log", "--journal-dir", "/tmp"},
            {"--service", "nosuch", NULL},
            {"--max-keys", "0", NULL},
            {"stray", NULL},
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *out = NULL, *err = NULL;
                const char *args[5] = {cases[i][0], cases[i][1], cases[i][2], cases[i][3], NULL};

                ck_assert_msg(events_cli(args, &out, &err) == 2, "case %zu: %s", i, err);
                ck_assert_msg(strstr(err, "hardenctl events:"), "case %zu: %s", i, err);
        }
        {
                _cleanup_free_ char *out = NULL, *err = NULL;
                const char *args[] = {"--input", "/nonexistent.log", NULL};

                ck_assert_int_eq(events_cli(args, &out, &err), 3);
                ck_assert_msg(strstr(err, "No such file"), "%s", err);
        }
}
END_TEST

static Suite *events_pipeline_suite(void)
{
        Suite *s = suite_create("events-pipeline");
        TCase *tc = tcase_create("units");
        TCase *attr = tcase_create("attribution");
        TCase *cli = tcase_create("cli");

        tcase_add_loop_test(tc, test_since, 0, ELEMENTSOF(time_cases));
        tcase_add_test(tc, test_since_local_and_format);
        tcase_add_test(tc, test_file_lines);
        tcase_add_test(tc, test_file_chunks_and_long_lines);
        tcase_add_test(tc, test_file_line_across_chunk);
        tcase_add_test(tc, test_file_callback_stops);
        tcase_add_test(tc, test_dedupe);
        tcase_add_test(tc, test_observations_aggregate);
        tcase_add_test(tc, test_observations_cap);
        tcase_add_test(tc, test_observations_apparmor_keys);
        suite_add_tcase(s, tc);

        tcase_add_checked_fixture(attr, load_profiles, drop_profiles);
        tcase_add_test(attr, test_attribute_live_and_exited);
        tcase_add_test(attr, test_attribute_reused_pid);
        tcase_add_test(attr, test_attribute_by_rule);
        tcase_add_test(attr, test_attribute_cache_cap);
        tcase_add_test(attr, test_pipeline_mixed_log);
        tcase_add_test(attr, test_pipeline_duplicates_and_filters);
        tcase_add_test(attr, test_pipeline_live_netlink);
        suite_add_tcase(s, attr);

        tcase_add_test(cli, test_cli_text);
        tcase_add_test(cli, test_cli_json_and_summary);
        tcase_add_test(cli, test_cli_usage_errors);
        tcase_set_timeout(cli, 30);
        suite_add_tcase(s, cli);
        return s;
}
TEST_SUITE(events_pipeline_suite)
