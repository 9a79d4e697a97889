/* SPDX-License-Identifier: MIT */
/* The BPF task iterator as the scan's source (posture/task-iter.h,
 * posture/scan-bpf.c):
 *  - the record parser on well-formed and malformed streams (table-driven);
 *  - this machine scanned both ways, BPF and /proc, agreeing on every
 *    process that did not change in between;
 *  - children with known settings (uids, capability sets, no_new_privs,
 *    two stacked seccomp filters, new mount/uts/ipc/net namespaces, a pid
 *    namespace, a thread with its own uid, cgroups v1 and v2, one too deep
 *    for the record) read back exactly;
 *  - the fallback to /proc: disabled, not the initial procfs, no
 *    capability.
 * Under CI=true the iterator must load (root, kernel BTF). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"
#include "posture/bpf/task-iter-record.h"
#include "posture/proc-stat.h"
#include "posture/proc-read.h"
#include "posture/scan.h"
#include "posture/task-iter.h"
#include "testing.h"

/* ---- the parser ---- */

#define REC_MAX (TASK_REC_HEADER_SIZE + TASK_REC_CG_BYTES)

/* One cgroup entry at *off of rec->cg, names given root-last as the
 * kernel walks them (leaf first). */
static void add_cg(struct task_rec *r, int id, bool dead, const char *const *names, unsigned n)
{
        struct task_rec_cg e = {.hierarchy_id = id, .depth = (__u8)n};
        size_t pos = r->cg_len + sizeof(e);

        for (unsigned i = 0; i < n; i++) {
                size_t l = strlen(names[i]) + 1;

                memcpy(r->cg + pos, names[i], l);
                pos += l;
        }
        e.len = (__u16)(pos - r->cg_len - sizeof(e));
        e.flags = dead ? TASK_REC_CG_DEAD : 0;
        memcpy(r->cg + r->cg_len, &e, sizeof(e));
        r->cg_len = (__u16)((pos + 7) & ~(size_t)7);
        r->cg_count++;
}

/* A leader with two hierarchies: the unified one at
 * /system.slice/demo.service, v1 "4" at its root. */
static size_t make_leader(uint8_t *out)
{
        static const char *const names[] = {"demo.service", "system.slice"};
        struct task_rec r;

        memset(&r, 0, sizeof(r));
        r.version = TASK_REC_VERSION;
        r.flags = TASK_REC_F_CGROUP | TASK_REC_F_SECCOMP | TASK_REC_F_FILTERS | TASK_REC_F_CREDS;
        r.tgid = r.pid = 4242;
        r.ppid = 1;
        r.pid_level = 1;
        r.task_flags = 0x00400100;
        r.start_boottime = 123450000000ull;
        for (int i = 0; i < 4; i++) {
                r.uid[i] = 1000u + (unsigned)i;
                r.gid[i] = 2000u + (unsigned)i;
        }
        for (int i = 0; i < 5; i++)
                r.cap[i] = 1ull << i;
        r.seccomp_mode = 2;
        r.seccomp_filters = 3;
        r.no_new_privs = 1;
        r.ns_known = 0x7f;
        for (int i = 0; i < TASK_REC_NS_SLOTS; i++)
                r.ns_ino[i] = 4026531830ull + (unsigned)i;
        memcpy(r.comm, "demo", 5);
        add_cg(&r, 0, false, names, 2);
        add_cg(&r, 4, false, NULL, 0);
        r.size = (__u16)(TASK_REC_HEADER_SIZE + r.cg_len);
        memcpy(out, &r, r.size);
        return r.size;
}

/* A thread of it: no cgroup area. */
static size_t make_thread(uint8_t *out)
{
        struct task_rec r;

        memset(&r, 0, TASK_REC_HEADER_SIZE);
        r.version = TASK_REC_VERSION;
        r.flags = TASK_REC_F_CREDS;
        r.tgid = 4242;
        r.pid = 4243;
        r.ppid = 1;
        r.uid[0] = 7;
        memcpy(r.comm, "worker", 7);
        r.size = TASK_REC_HEADER_SIZE;
        memcpy(out, &r, r.size);
        return r.size;
}

START_TEST(test_parse_valid)
{
        uint8_t buf[2 * REC_MAX];
        size_t len = make_leader(buf), off = 0;
        struct task_record t;
        char path[64];

        len += make_thread(buf + len);
        ck_assert_int_eq(task_iter_next(buf, len, &off, &t), 1);
        ck_assert(t.leader);
        ck_assert_int_eq(t.pid, 4242);
        ck_assert_int_eq(t.ppid, 1);
        ck_assert_uint_eq(t.pid_level, 1);
        ck_assert_uint_eq(t.comm_len, 4);
        ck_assert_str_eq(t.comm, "demo");
        ck_assert_uint_eq(t.start_boottime_ns, 123450000000ull);
        ck_assert(t.creds_known && !t.identity_only);
        ck_assert_uint_eq(t.creds.uid[3], 1003);
        ck_assert_uint_eq(t.creds.gid[1], 2001);
        ck_assert_uint_eq(t.creds.cap_inh, 1);
        ck_assert_uint_eq(t.creds.cap_amb, 16);
        ck_assert(t.creds.no_new_privs);
        ck_assert_int_eq(t.creds.seccomp_mode, 2);
        ck_assert_uint_eq(t.creds.seccomp_filters, 3);
        ck_assert_uint_eq(t.ns.known, 0x7f);
        ck_assert_uint_eq(t.ns.ino[NS_UTS], 4026531836ull);
        ck_assert(t.has_cgroups && !t.cg_truncated);
        ck_assert_uint_eq(t.n_cgroups, 2);
        ck_assert_int_eq(t.cgroups[0].hierarchy_id, 0);
        ck_assert_int_eq(task_cgroup_path(&t.cgroups[0], path, sizeof(path)), 26);
        ck_assert_str_eq(path, "/system.slice/demo.service");
        ck_assert_int_eq(task_cgroup_path(&t.cgroups[1], path, sizeof(path)), 1);
        ck_assert_str_eq(path, "/");
        ck_assert_int_eq(task_cgroup_path(&t.cgroups[0], path, 20), -ENAMETOOLONG);

        ck_assert_int_eq(task_iter_next(buf, len, &off, &t), 1);
        ck_assert(!t.leader && !t.has_cgroups);
        ck_assert_int_eq(t.pid, 4243);
        ck_assert_int_eq(t.creds.seccomp_mode, -1); /* not reported, as status without the line */
        ck_assert_uint_eq(t.ns.known, 0);
        ck_assert_int_eq(task_iter_next(buf, len, &off, &t), 0);
        ck_assert_uint_eq(off, len);
        /* An empty stream is no task, not an error. */
        off = 0;
        ck_assert_int_eq(task_iter_next(buf, 0, &off, &t), 0);
}
END_TEST

/* Each case breaks one thing in the leader record of make_leader(). */
static void m_version(struct task_rec *r, size_t *len)
{
        r->version = TASK_REC_VERSION + 1;
}
static void m_size_small(struct task_rec *r, size_t *len)
{
        r->size = TASK_REC_HEADER_SIZE - 8;
}
static void m_size_past_end(struct task_rec *r, size_t *len)
{
        r->size += 8;
}
static void m_size_vs_cg_len(struct task_rec *r, size_t *len)
{
        r->cg_len -= 8;
        *len -= 8;
        r->size -= 16;
}
static void m_cg_len_unaligned(struct task_rec *r, size_t *len)
{
        r->cg_len += 4;
        r->size += 4;
        *len += 4;
}
static void m_reserved(struct task_rec *r, size_t *len)
{
        r->reserved = 1;
}
static void m_unknown_flag(struct task_rec *r, size_t *len)
{
        r->flags |= 1u << 20;
}
static void m_tgid_zero(struct task_rec *r, size_t *len)
{
        r->tgid = 0;
}
static void m_ppid_negative(struct task_rec *r, size_t *len)
{
        r->ppid = -1;
}
static void m_pid_level(struct task_rec *r, size_t *len)
{
        r->pid_level = TASK_REC_PID_LEVEL_MAX + 1;
}
static void m_ns_known(struct task_rec *r, size_t *len)
{
        r->ns_known = 0xff;
}
static void m_cg_on_thread(struct task_rec *r, size_t *len)
{
        r->pid = r->tgid + 1;
}
static void m_cg_without_flag(struct task_rec *r, size_t *len)
{
        r->flags &= ~TASK_REC_F_CGROUP;
}
static void m_identity_with_creds(struct task_rec *r, size_t *len)
{
        r->flags = (r->flags & ~TASK_REC_F_CGROUP) | TASK_REC_F_IDENTITY_ONLY;
        r->cg_len = 0;
        r->cg_count = 0;
        r->size = TASK_REC_HEADER_SIZE;
        *len = TASK_REC_HEADER_SIZE;
}
static void m_comm_no_nul(struct task_rec *r, size_t *len)
{
        memset(r->comm, 'a', sizeof(r->comm));
}
static void m_count(struct task_rec *r, size_t *len)
{
        r->cg_count = 3;
}
static struct task_rec_cg *first_cg(struct task_rec *r)
{
        return (struct task_rec_cg *)r->cg;
}
static void m_entry_len(struct task_rec *r, size_t *len)
{
        first_cg(r)->len = 4000;
}
static void m_entry_negative_id(struct task_rec *r, size_t *len)
{
        first_cg(r)->hierarchy_id = -1;
}
static void m_entry_depth(struct task_rec *r, size_t *len)
{
        first_cg(r)->depth = 3; /* one name more than there are */
}
static void m_entry_depth_zero(struct task_rec *r, size_t *len)
{
        first_cg(r)->depth = 0;
}
static void m_entry_flag(struct task_rec *r, size_t *len)
{
        first_cg(r)->flags = 0x80;
}
static void m_name_slash(struct task_rec *r, size_t *len)
{
        r->cg[sizeof(struct task_rec_cg) + 2] = '/';
}
static void m_name_empty(struct task_rec *r, size_t *len)
{
        /* "demo.service\0system.slice\0" -> "demo.service\0\0ystem.slice\0" */
        r->cg[sizeof(struct task_rec_cg) + 13] = '\0';
}
static void m_name_unterminated(struct task_rec *r, size_t *len)
{
        struct task_rec_cg *e = first_cg(r);

        r->cg[sizeof(*e) + e->len - 1] = 'x';
}
static void m_truncated_header(struct task_rec *r, size_t *len)
{
        *len = TASK_REC_HEADER_SIZE - 1;
}
static void m_truncated_body(struct task_rec *r, size_t *len)
{
        *len -= 1;
}
static void m_truncated_without_cgroup(struct task_rec *r, size_t *len)
{
        r->flags = (r->flags & ~TASK_REC_F_CGROUP) | TASK_REC_F_CG_TRUNCATED;
        r->cg_len = 0;
        r->cg_count = 0;
        r->size = TASK_REC_HEADER_SIZE;
        *len = TASK_REC_HEADER_SIZE;
}

static const struct {
        const char *name;
        void (*mutate)(struct task_rec *r, size_t *len);
} malformed[] = {
    {"version", m_version},
    {"size below the header", m_size_small},
    {"size past the stream", m_size_past_end},
    {"size and cg_len disagree", m_size_vs_cg_len},
    {"cg_len not a multiple of 8", m_cg_len_unaligned},
    {"reserved set", m_reserved},
    {"unknown flag", m_unknown_flag},
    {"tgid 0", m_tgid_zero},
    {"negative ppid", m_ppid_negative},
    {"pid level past 32", m_pid_level},
    {"namespace bit 7", m_ns_known},
    {"cgroups on a thread", m_cg_on_thread},
    {"cgroup bytes without the flag", m_cg_without_flag},
    {"identity-only with credentials", m_identity_with_creds},
    {"comm without NUL", m_comm_no_nul},
    {"entry count", m_count},
    {"entry length past cg_len", m_entry_len},
    {"negative hierarchy id", m_entry_negative_id},
    {"more names than bytes", m_entry_depth},
    {"depth 0 with names", m_entry_depth_zero},
    {"unknown entry flag", m_entry_flag},
    {"name with a slash", m_name_slash},
    {"empty name", m_name_empty},
    {"last name unterminated", m_name_unterminated},
    {"stream shorter than a header", m_truncated_header},
    {"stream shorter than the record", m_truncated_body},
    {"truncated without cgroups", m_truncated_without_cgroup},
};

START_TEST(test_parse_malformed)
{
        _Alignas(8) uint8_t buf[REC_MAX + 64];
        struct task_record t;
        size_t len = make_leader(buf), off = 0;

        malformed[_i].mutate((struct task_rec *)buf, &len);
        ck_assert_msg(task_iter_next(buf, len, &off, &t) == -EBADMSG, "case '%s' was accepted",
                      malformed[_i].name);
        ck_assert_uint_eq(off, 0);
}
END_TEST

/* A good record after a bad one is never reached: the stream is refused. */
START_TEST(test_parse_garbage_after_good)
{
        uint8_t buf[REC_MAX + 16];
        size_t len = make_leader(buf), off = 0;
        struct task_record t;

        memset(buf + len, 0xff, 16);
        ck_assert_int_eq(task_iter_next(buf, len + 16, &off, &t), 1);
        ck_assert_int_eq(task_iter_next(buf, len + 16, &off, &t), -EBADMSG);
        ck_assert_uint_eq(off, len);
}
END_TEST

/* ---- live ---- */

static bool bpf_ready(void)
{
        int r = posture_scan_prepare();

        if (r < 0)
                fprintf(stderr, "task iterator: %s\n", strerror(-r));
        return test_require(r == 0, "the BPF task iterator (root: CAP_BPF, CAP_PERFMON; BTF)");
}

static int open_proc(void)
{
        int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        return fd;
}

static void scan(int proc, unsigned flags, enum scan_source want, struct posture_scan *s)
{
        ck_assert_int_eq(posture_scan_run(proc, 0, flags, s), 0);
        ck_assert_msg(s->source == want, "scan source %s (bpf_error %s), expected %s",
                      scan_source_to_string(s->source), strerror(-s->bpf_error),
                      scan_source_to_string(want));
}

static uint64_t mount_ino(const struct posture_scan *s, const struct proc_info *p)
{
        return p->mount_ns < s->n_mount_ns ? s->mount_ns[p->mount_ns].ino : 0;
}

static bool threads_equal(const struct proc_info *a, const struct proc_info *b)
{
        if (a->n_threads != b->n_threads || a->threads_truncated != b->threads_truncated)
                return false;
        for (size_t i = 0; i < a->n_threads; i++) {
                size_t k = 0;

                while (k < b->n_threads && b->threads[k].tid != a->threads[i].tid)
                        k++;
                if (k == b->n_threads ||
                    !proc_creds_equal(&a->threads[i].creds, &b->threads[k].creds))
                        return false;
        }
        return true;
}

/* Everything the two sources must agree on; the first difference. */
static const char *proc_diff(const struct posture_scan *sa, const struct proc_info *a,
                             const struct posture_scan *sb, const struct proc_info *b)
{
        if (a->ppid != b->ppid)
                return "ppid";
        if (a->start_time != b->start_time)
                return "start time";
        if (a->comm_len != b->comm_len || memcmp(a->comm, b->comm, a->comm_len) != 0)
                return "comm";
        if (memcmp(a->creds.uid, b->creds.uid, sizeof(a->creds.uid)) != 0 ||
            memcmp(a->creds.gid, b->creds.gid, sizeof(a->creds.gid)) != 0)
                return "uid/gid";
        if (a->creds.cap_inh != b->creds.cap_inh || a->creds.cap_prm != b->creds.cap_prm ||
            a->creds.cap_eff != b->creds.cap_eff || a->creds.cap_bnd != b->creds.cap_bnd ||
            a->creds.cap_amb != b->creds.cap_amb)
                return "capabilities";
        if (a->creds.no_new_privs != b->creds.no_new_privs)
                return "no_new_privs";
        if (a->creds.seccomp_mode != b->creds.seccomp_mode ||
            a->creds.seccomp_filters != b->creds.seccomp_filters)
                return "seccomp";
        if (a->nspid_levels != b->nspid_levels)
                return "NSpid levels";
        if (a->ns.known != b->ns.known || memcmp(a->ns.ino, b->ns.ino, sizeof(a->ns.ino)) != 0)
                return "namespaces";
        if (memcmp(&a->cgroup, &b->cgroup, sizeof(a->cgroup)) != 0)
                return "cgroup identity";
        if (mount_ino(sa, a) != mount_ino(sb, b))
                return "mount namespace";
        if (a->gaps != b->gaps)
                return "gaps";
        if (!threads_equal(a, b))
                return "threads";
        return NULL;
}

/* BPF, /proc, BPF again: a process the two BPF scans saw alike did not
 * change in between, and /proc must have seen it the same. */
START_TEST(test_live_both_ways_agree)
{
        struct posture_scan a1, p, a2;
        size_t compared = 0;
        int proc;

        if (!bpf_ready())
                return;
        proc = open_proc();
        scan(proc, SCAN_THREADS, SCAN_SOURCE_BPF, &a1);
        scan(proc, SCAN_THREADS | SCAN_NO_BPF, SCAN_SOURCE_PROC, &p);
        scan(proc, SCAN_THREADS, SCAN_SOURCE_BPF, &a2);
        ck_assert_int_eq(p.bpf_error, -ECANCELED);
        ck_assert_uint_eq(a1.kernel_threads > 0, p.kernel_threads > 0);
        for (size_t i = 0; i < a1.n_procs; i++) {
                const struct proc_info *x = &a1.procs[i], *y, *z;
                const char *what;

                y = posture_scan_find(&p, x->pid);
                z = posture_scan_find(&a2, x->pid);
                if (!y || !z || proc_diff(&a1, x, &a2, z))
                        continue;
                what = proc_diff(&a1, x, &p, y);
                ck_assert_msg(!what, "pid %d (%.*s): %s differs between BPF and /proc", x->pid,
                              (int)x->comm_len, x->comm, what);
                compared++;
        }
        /* At least the test runner, its parent and a few more. */
        ck_assert_uint_ge(compared, 3);
        ck_assert_ptr_nonnull(posture_scan_find(&a1, getpid()));
        for (size_t i = 1; i < a1.n_procs; i++)
                ck_assert_int_lt(a1.procs[i - 1].pid, a1.procs[i].pid);
        posture_scan_done(&a1);
        posture_scan_done(&p);
        posture_scan_done(&a2);
        close(proc);
}
END_TEST

/* stat's start time is the record's start_boottime in clock ticks. */
START_TEST(test_live_start_time_is_stat)
{
        _cleanup_(task_iter_freep) struct task_iter *it = NULL;
        const uint8_t *data;
        size_t size, off = 0;
        struct task_record t;
        struct proc_stat st;
        char buf[1024];
        bool found = false;
        int r, proc;

        if (!bpf_ready())
                return;
        proc = open_proc();
        ck_assert_int_eq(task_iter_open(&it), 0);
        ck_assert_int_eq(task_iter_read(it, 0, &data, &size), 0);
        r = proc_read_at(proc, "self/stat", PROC_READ_SINGLE, buf, sizeof(buf));
        ck_assert_int_gt(r, 0);
        ck_assert_int_eq(proc_stat_parse(buf, (size_t)r, &st), 0);
        while ((r = task_iter_next(data, size, &off, &t)) > 0) {
                if (t.pid != getpid())
                        continue;
                found = true;
                ck_assert_uint_eq(t.start_boottime_ns /
                                      (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK)),
                                  st.start_time);
                ck_assert_int_eq(t.ppid, st.ppid);
        }
        ck_assert_int_eq(r, 0);
        ck_assert(found);
        close(proc);
}
END_TEST

/* ---- children with known settings ---- */

struct child {
        pid_t pid;
        int fd;
        pid_t extra; /* what the child reported: a thread's tid, a grandchild's pid */
};

/* fn does its setup, then reports an int through fd and waits. */
static struct child spawn(void (*fn)(int fd))
{
        struct child c = {0};
        int p[2];

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        c.pid = fork();
        ck_assert_int_ge(c.pid, 0);
        if (c.pid == 0) {
                close(p[0]);
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                fn(p[1]);
                _exit(0);
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &c.extra, sizeof(c.extra)), (ssize_t)sizeof(c.extra));
        ck_assert_int_ge(c.extra, 0);
        c.fd = p[0];
        return c;
}

static void reap(struct child *c)
{
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
        close(c->fd);
}

static _Noreturn void report_and_wait(int fd, int value)
{
        if (write(fd, &value, sizeof(value)) != (ssize_t)sizeof(value))
                _exit(1);
        for (;;)
                pause();
}

static void child_ids(int fd)
{
        prctl(PR_SET_NAME, "hd-ids");
        if (setresgid(2001, 2002, 2003) < 0 || setresuid(1001, 1002, 1003) < 0)
                report_and_wait(fd, -1);
        report_and_wait(fd, 0);
}

#define BIT(c) (1ull << (c))

static void child_caps(int fd)
{
        struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct d[2] = {{0}};

        prctl(PR_SET_NAME, "hd-caps");
        d[0].permitted = (1u << CAP_CHOWN) | (1u << CAP_NET_BIND_SERVICE);
        d[0].effective = 1u << CAP_CHOWN;
        d[0].inheritable = 1u << CAP_NET_BIND_SERVICE;
        if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN) < 0 || syscall(SYS_capset, &h, d) < 0 ||
            prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE, 0, 0) < 0)
                report_and_wait(fd, -1);
        report_and_wait(fd, 0);
}

static void child_seccomp(int fd)
{
        struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        struct sock_fprog prog = {.len = 1, .filter = allow};

        prctl(PR_SET_NAME, "hd-seccomp");
        /* prctl rather than seccomp(2), which valgrind does not know. */
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ||
            prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                report_and_wait(fd, -1);
        report_and_wait(fd, 0);
}

static void child_unshare(int fd)
{
        prctl(PR_SET_NAME, "hd-unshare");
        if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET) < 0)
                report_and_wait(fd, -1);
        report_and_wait(fd, 0);
}

/* A grandchild in a pid namespace of its own: its pid at level 1. */
static void child_pidns(int fd)
{
        int ready[2];
        char c;
        pid_t g;

        prctl(PR_SET_NAME, "hd-pidns");
        if (unshare(CLONE_NEWPID) < 0 || pipe(ready) < 0)
                report_and_wait(fd, -1);
        g = fork();
        if (g < 0)
                report_and_wait(fd, -1);
        if (g == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                prctl(PR_SET_NAME, "hd-pidns-init");
                if (write(ready[1], "r", 1) != 1)
                        _exit(1);
                for (;;)
                        pause();
        }
        /* Named before it is looked at. */
        if (read(ready[0], &c, 1) != 1)
                report_and_wait(fd, -1);
        report_and_wait(fd, g);
}

static void *thread_setuid(void *arg)
{
        int fd = *(int *)arg;

        /* The raw system call changes this thread only (glibc's wrapper
         * would apply it to every thread). */
        if (syscall(SYS_setresuid, 1005, 1006, 1007) < 0)
                report_and_wait(fd, -1);
        report_and_wait(fd, (int)syscall(SYS_gettid));
}

static void child_thread(int fd)
{
        pthread_t t;

        prctl(PR_SET_NAME, "hd-thread");
        if (pthread_create(&t, NULL, thread_setuid, &fd) != 0)
                report_and_wait(fd, -1);
        for (;;)
                pause();
}

static uint64_t ns_of(int proc, pid_t pid, enum ns_type t)
{
        char name[32];
        uint64_t ino = 0;
        int fd;

        snprintf(name, sizeof(name), "%d", (int)pid);
        fd = openat(proc, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ns_read(fd, t, &ino), 0);
        close(fd);
        return ino;
}

START_TEST(test_live_known_children)
{
        struct child ids, caps, sec, uns, pidns, thr;
        struct posture_scan s, ps;
        const struct proc_info *p, *self, *q;
        int proc;

        if (!test_require(geteuid() == 0, "root (children that change uids and capabilities)") ||
            !bpf_ready())
                return;
        proc = open_proc();
        ids = spawn(child_ids);
        caps = spawn(child_caps);
        sec = spawn(child_seccomp);
        uns = spawn(child_unshare);
        pidns = spawn(child_pidns);
        thr = spawn(child_thread);
        scan(proc, SCAN_THREADS, SCAN_SOURCE_BPF, &s);
        self = posture_scan_find(&s, getpid());
        ck_assert_ptr_nonnull(self);

        p = posture_scan_find(&s, ids.pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p->comm, "hd-ids");
        ck_assert_int_eq(p->ppid, getpid());
        ck_assert_uint_eq(p->creds.uid[0], 1001);
        ck_assert_uint_eq(p->creds.uid[1], 1002);
        ck_assert_uint_eq(p->creds.uid[2], 1003);
        ck_assert_uint_eq(p->creds.uid[3], 1002); /* fsuid follows euid */
        ck_assert_uint_eq(p->creds.gid[0], 2001);
        ck_assert_uint_eq(p->creds.gid[1], 2002);
        ck_assert_uint_eq(p->creds.gid[2], 2003);
        ck_assert_uint_eq(p->creds.gid[3], 2002);
        /* Leaving uid 0 clears the permitted and effective sets. */
        ck_assert_uint_eq(p->creds.cap_prm, 0);
        ck_assert_uint_eq(p->creds.cap_eff, 0);
        ck_assert_uint_eq(p->creds.cap_bnd, self->creds.cap_bnd);

        p = posture_scan_find(&s, caps.pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p->comm, "hd-caps");
        ck_assert_uint_eq(p->creds.cap_prm, BIT(CAP_CHOWN) | BIT(CAP_NET_BIND_SERVICE));
        ck_assert_uint_eq(p->creds.cap_eff, BIT(CAP_CHOWN));
        ck_assert_uint_eq(p->creds.cap_inh, BIT(CAP_NET_BIND_SERVICE));
        ck_assert_uint_eq(p->creds.cap_amb, BIT(CAP_NET_BIND_SERVICE));
        ck_assert_uint_eq(p->creds.cap_bnd, self->creds.cap_bnd & ~BIT(CAP_SYS_ADMIN));
        ck_assert(!p->creds.no_new_privs);
        ck_assert_int_eq(p->creds.seccomp_mode, self->creds.seccomp_mode);

        p = posture_scan_find(&s, sec.pid);
        ck_assert_ptr_nonnull(p);
        ck_assert(p->creds.no_new_privs);
        ck_assert_int_eq(p->creds.seccomp_mode, 2);
        ck_assert_uint_eq(p->creds.seccomp_filters, self->creds.seccomp_filters + 2);

        p = posture_scan_find(&s, uns.pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p->ns.known, (1u << _NS_TYPE_MAX) - 1);
        for (int t = 0; t < _NS_TYPE_MAX; t++) {
                bool fresh = t == NS_MNT || t == NS_UTS || t == NS_IPC || t == NS_NET;

                ck_assert_uint_eq(p->ns.ino[t], ns_of(proc, uns.pid, (enum ns_type)t));
                ck_assert_msg((p->ns.ino[t] != self->ns.ino[t]) == fresh, "ns %s",
                              ns_type_to_string((enum ns_type)t));
        }
        /* Its own mount namespace: a table of its own, read through
         * /proc once. */
        ck_assert_uint_ne(p->mount_ns, self->mount_ns);
        ck_assert_ptr_nonnull(posture_scan_mounts(&s, p));

        p = posture_scan_find(&s, pidns.extra);
        ck_assert_ptr_nonnull(p);
        ck_assert_str_eq(p->comm, "hd-pidns-init");
        ck_assert_uint_eq(p->nspid_levels, self->nspid_levels + 1);
        ck_assert_uint_eq(p->ns.ino[NS_PID], ns_of(proc, pidns.extra, NS_PID));
        ck_assert_uint_ne(p->ns.ino[NS_PID], self->ns.ino[NS_PID]);
        ck_assert_int_eq(p->ppid, pidns.pid);

        p = posture_scan_find(&s, thr.pid);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(p->creds.uid[0], 0);
        ck_assert_uint_eq(p->n_threads, 1);
        ck_assert_int_eq(p->threads[0].tid, thr.extra);
        ck_assert_uint_eq(p->threads[0].creds.uid[0], 1005);
        ck_assert_uint_eq(p->threads[0].creds.uid[1], 1006);
        ck_assert_uint_eq(p->threads[0].creds.uid[2], 1007);
        ck_assert_uint_eq(p->threads[0].creds.cap_eff, 0);

        /* And /proc agrees on each. */
        scan(proc, SCAN_THREADS | SCAN_NO_BPF, SCAN_SOURCE_PROC, &ps);
        for (size_t i = 0; i < 7; i++) {
                pid_t pid = i == 0   ? ids.pid
                            : i == 1 ? caps.pid
                            : i == 2 ? sec.pid
                            : i == 3 ? uns.pid
                            : i == 4 ? pidns.pid
                            : i == 5 ? pidns.extra
                                     : thr.pid;
                const char *what;

                p = posture_scan_find(&s, pid);
                q = posture_scan_find(&ps, pid);
                ck_assert_ptr_nonnull(q);
                what = proc_diff(&s, p, &ps, q);
                ck_assert_msg(!what, "pid %d: %s differs", pid, what);
        }
        posture_scan_done(&ps);
        posture_scan_done(&s);
        reap(&thr);
        reap(&pidns);
        reap(&uns);
        reap(&sec);
        reap(&caps);
        reap(&ids);
        close(proc);
}
END_TEST

/* ---- cgroups ---- */

#define V1_MEMORY "/sys/fs/cgroup/memory"
#define V2_ROOT   "/sys/fs/cgroup/unified"
#define DOCKER_ID "d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4"

static void child_sleep(int fd)
{
        report_and_wait(fd, 0);
}

/* The first failure, kept until the cgroups made are removed again: a
 * failed assertion must not leave them behind. */
struct expect {
        char why[512];
};

_printf_(3, 4) static void expect(struct expect *e, bool ok, const char *fmt, ...)
{
        va_list ap;

        if (ok || e->why[0])
                return;
        va_start(ap, fmt);
        vsnprintf(e->why, sizeof(e->why), fmt, ap);
        va_end(ap);
}

static void write_pid(struct expect *e, const char *dir, pid_t pid)
{
        char path[4096], buf[16];
        int fd, n;

        snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        expect(e, fd >= 0, "%s: %s", path, strerror(errno));
        if (fd < 0)
                return;
        n = snprintf(buf, sizeof(buf), "%d", (int)pid);
        expect(e, write(fd, buf, (size_t)n) == n, "write %s: %s", path, strerror(errno));
        close(fd);
}

/* mkdir -p below root; the directories made are added to made[]. */
static void mkdirs(struct expect *e, const char *root, const char *rel, char made[][4096],
                   size_t *n_made)
{
        size_t n = strlen(rel);

        for (size_t i = 1; i <= n && *n_made < 64; i++) {
                char path[4096];

                if (i < n && rel[i] != '/')
                        continue;
                snprintf(path, sizeof(path), "%s/%.*s", root, (int)i, rel);
                if (mkdir(path, 0755) == 0)
                        snprintf(made[(*n_made)++], 4096, "%s", path);
                else
                        expect(e, errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
        }
}

static void expect_cgroups(struct expect *e, int proc, pid_t docker, pid_t unit, pid_t deep)
{
        struct posture_scan s = {0}, ps = {0};
        const struct proc_info *p;

        if (posture_scan_run(proc, 0, 0, &s) < 0 ||
            posture_scan_run(proc, 0, SCAN_NO_BPF, &ps) < 0) {
                expect(e, false, "posture_scan_run failed");
                goto done;
        }
        expect(e, s.source == SCAN_SOURCE_BPF, "source %s", scan_source_to_string(s.source));
        p = posture_scan_find(&s, docker);
        expect(e,
               p && p->cgroup.runtime == RUNTIME_DOCKER &&
                   p->cgroup.role == CGROUP_ROLE_CONTAINER &&
                   strcmp(p->cgroup.id, DOCKER_ID) == 0 && p->cgroup.version == 1,
               "v1 docker container not identified");
        p = posture_scan_find(&s, unit);
        expect(e,
               p && p->cgroup.role == CGROUP_ROLE_HOST &&
                   strcmp(p->cgroup.unit, "hardend-bpf-test.service") == 0 &&
                   p->cgroup.version == 2,
               "v2 unit not identified");
        p = posture_scan_find(&s, deep);
        expect(e, p && strlen(p->cgroup.unit) == 200 + strlen(".service"),
               "deep v2 unit not identified");
        for (size_t i = 0; i < 3; i++) {
                pid_t pid = i == 0 ? docker : i == 1 ? unit : deep;
                const struct proc_info *q = posture_scan_find(&ps, pid);

                p = posture_scan_find(&s, pid);
                expect(e,
                       p && q && memcmp(&p->cgroup, &q->cgroup, sizeof(p->cgroup)) == 0 &&
                           p->gaps == q->gaps,
                       "pid %d: cgroup identity differs from /proc's", pid);
        }
done:
        posture_scan_done(&ps);
        posture_scan_done(&s);
}

START_TEST(test_live_cgroups)
{
        char made[64][4096], dir[1024], path[2048];
        size_t n_made = 0, len;
        struct child docker, unit, deepc;
        struct expect e = {""};
        int proc;

        if (!test_require(geteuid() == 0 && access(V1_MEMORY "/cgroup.procs", W_OK) == 0 &&
                              access(V2_ROOT "/cgroup.procs", W_OK) == 0,
                          "writable cgroup v1 memory and v2 hierarchies (this machine's hybrid "
                          "layout)") ||
            !bpf_ready())
                return;
        proc = open_proc();
        docker = spawn(child_sleep);
        unit = spawn(child_sleep);
        deepc = spawn(child_sleep);

        /* v1: a docker container (cgroupfs driver) */
        snprintf(dir, sizeof(dir), "hardend-test-%d/docker/" DOCKER_ID, (int)getpid());
        mkdirs(&e, V1_MEMORY, dir, made, &n_made);
        snprintf(path, sizeof(path), V1_MEMORY "/%s", dir);
        write_pid(&e, path, docker.pid);
        /* v2: a unit */
        snprintf(dir, sizeof(dir), "hardend-test-%d.slice/hardend-bpf-test.service", (int)getpid());
        mkdirs(&e, V2_ROOT, dir, made, &n_made);
        snprintf(path, sizeof(path), V2_ROOT "/%s", dir);
        write_pid(&e, path, unit.pid);
        /* v2: deeper than a record holds (TASK_REC_CG_MAX_DEPTH), with a
         * long name: read from /proc/PID/cgroup instead, same result */
        len = (size_t)snprintf(dir, sizeof(dir), "hardend-test-%d-deep", (int)getpid());
        for (int i = 0; i < TASK_REC_CG_MAX_DEPTH; i++)
                len += (size_t)snprintf(dir + len, sizeof(dir) - len, "/l%d", i);
        snprintf(dir + len, sizeof(dir) - len, "/%0200d.service", 7);
        mkdirs(&e, V2_ROOT, dir, made, &n_made);
        snprintf(path, sizeof(path), V2_ROOT "/%s", dir);
        write_pid(&e, path, deepc.pid);

        if (!e.why[0])
                expect_cgroups(&e, proc, docker.pid, unit.pid, deepc.pid);
        reap(&deepc);
        reap(&unit);
        reap(&docker);
        /* Deepest first; a cgroup is removable once its processes are
         * reaped. */
        while (n_made > 0) {
                n_made--;
                expect(&e, rmdir(made[n_made]) == 0, "rmdir %s: %s", made[n_made], strerror(errno));
        }
        close(proc);
        ck_assert_msg(!e.why[0], "%s", e.why);
}
END_TEST

/* ---- the fallback ---- */

START_TEST(test_fallback_when_disabled)
{
        struct posture_scan s;
        int proc = open_proc();

        /* Asked not to: by flag, and by the environment. */
        scan(proc, SCAN_NO_BPF, SCAN_SOURCE_PROC, &s);
        ck_assert_int_eq(s.bpf_error, -ECANCELED);
        ck_assert_ptr_nonnull(posture_scan_find(&s, getpid()));
        posture_scan_done(&s);
        ck_assert_int_eq(setenv("HARDEND_NO_BPF", "1", 1), 0);
        scan(proc, SCAN_THREADS, SCAN_SOURCE_PROC, &s);
        ck_assert_int_eq(unsetenv("HARDEND_NO_BPF"), 0);
        ck_assert_int_eq(s.bpf_error, -ECANCELED);
        ck_assert_ptr_nonnull(posture_scan_find(&s, getpid()));
        ck_assert_uint_gt(s.n_procs, 1);
        posture_scan_done(&s);
        /* A single pid is read through /proc. */
        ck_assert_int_eq(posture_scan_run(proc, getpid(), 0, &s), 0);
        ck_assert_int_eq(s.source, SCAN_SOURCE_PROC);
        ck_assert_uint_eq(s.n_procs, 1);
        posture_scan_done(&s);
        close(proc);
}
END_TEST

/* A fixture tree and /proc/self/.. are not the initial procfs root. */
START_TEST(test_fallback_not_initial_procfs)
{
        struct posture_scan s;
        int fd = open(test_path("tests/fixtures/proc/host"), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        scan(fd, 0, SCAN_SOURCE_PROC, &s);
        ck_assert_int_eq(s.bpf_error, -EXDEV);
        ck_assert_uint_gt(s.n_procs, 0);
        posture_scan_done(&s);
        close(fd);
}
END_TEST

/* Without the capabilities, no load is attempted: /proc. (A forked
 * child never uses its parent's iterator: it loads its own.) */
START_TEST(test_fallback_without_capabilities)
{
        pid_t pid;
        int status;

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
                struct __user_cap_data_struct d[2] = {{0}};
                struct posture_scan s;
                int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                /* Keep only what reading /proc of other users needs. */
                d[0].permitted = d[0].effective =
                    (1u << CAP_DAC_READ_SEARCH) | (1u << CAP_SYS_PTRACE);
                if (proc < 0 || syscall(SYS_capset, &h, d) < 0)
                        _exit(2);
                if (posture_scan_prepare() != -EPERM)
                        _exit(5);
                if (posture_scan_run(proc, 0, 0, &s) < 0)
                        _exit(3);
                if (s.source != SCAN_SOURCE_PROC || s.bpf_error != -EPERM ||
                    !posture_scan_find(&s, getpid()))
                        _exit(4);
                posture_scan_done(&s);
                _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
}
END_TEST

/* A scan never loads the iterator itself (a one-shot scan reads /proc,
 * and a daemon under its seccomp filter must not try bpf() commands the
 * filter refuses); posture_scan_prepare() does, also under a filter that
 * allows it, and scans then use it. */
START_TEST(test_fallback_until_prepared)
{
        pid_t pid;
        int status;

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
                struct sock_fprog prog = {.len = 1, .filter = allow};
                struct posture_scan s;
                int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                if (proc < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
                    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                        _exit(2);
                if (posture_scan_run(proc, 0, 0, &s) < 0 || s.source != SCAN_SOURCE_PROC ||
                    s.bpf_error != -ECANCELED)
                        _exit(3);
                posture_scan_done(&s);
                if (posture_scan_prepare() < 0)
                        _exit(10);
                if (posture_scan_run(proc, 0, 0, &s) < 0 || s.source != SCAN_SOURCE_BPF)
                        _exit(4);
                posture_scan_done(&s);
                _exit(0);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        if (!test_require(WEXITSTATUS(status) != 10, "the BPF task iterator"))
                return;
        ck_assert_msg(WEXITSTATUS(status) == 0, "child exit %d", WEXITSTATUS(status));
}
END_TEST

static Suite *posture_task_iter_suite(void)
{
        Suite *s = suite_create("posture-task-iter");
        TCase *parse = tcase_create("parse");
        TCase *live = tcase_create("live");
        TCase *fallback = tcase_create("fallback");

        tcase_add_test(parse, test_parse_valid);
        tcase_add_loop_test(parse, test_parse_malformed, 0, (int)ELEMENTSOF(malformed));
        tcase_add_test(parse, test_parse_garbage_after_good);
        suite_add_tcase(s, parse);
        /* Loading runs the verifier and reads the kernel's BTF: allow for
         * it under valgrind and sanitizers. */
        tcase_set_timeout(live, 60);
        tcase_add_test(live, test_live_both_ways_agree);
        tcase_add_test(live, test_live_start_time_is_stat);
        tcase_add_test(live, test_live_known_children);
        tcase_add_test(live, test_live_cgroups);
        suite_add_tcase(s, live);
        tcase_set_timeout(fallback, 60);
        tcase_add_test(fallback, test_fallback_when_disabled);
        tcase_add_test(fallback, test_fallback_not_initial_procfs);
        tcase_add_test(fallback, test_fallback_without_capabilities);
        tcase_add_test(fallback, test_fallback_until_prepared);
        suite_add_tcase(s, fallback);
        return s;
}
TEST_SUITE(posture_task_iter_suite)
