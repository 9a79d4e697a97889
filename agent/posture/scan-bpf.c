/* SPDX-License-Identifier: MIT */
/* The scan's BPF path: processes built from the task iterator's records
 * (task-iter.h) with the meaning the /proc path gives them, so that
 * nothing downstream can tell the sources apart:
 *
 *  - used only where the records are what /proc would show: proc_fd is a
 *    procfs root in which we see ourselves (its pid namespace is ours) and
 *    we are in the initial pid, user (uids unmapped) and time (start times
 *    unshifted) namespaces; cgroup paths from the records only in the
 *    initial cgroup namespace (else /proc/PID/cgroup, which prints them
 *    relative to ours);
 *  - identity is (pid, start time in clock ticks); everything still read
 *    through /proc/PID (mountinfo once per mount namespace, the AppArmor
 *    label, exe, cmdline, a cgroup file the record could not reproduce)
 *    goes through proc_open_verified(), so a reused PID is never read as
 *    the process of the record;
 *  - zombies are dropped and counted as vanished, kernel threads skipped
 *    (or, with SCAN_KERNEL_THREADS, read through /proc: their comm is the
 *    workqueue's, which the record does not have), threads kept when their
 *    credentials differ from the leader's;
 *  - /proc is still listed once: a process the iterator did not show (it
 *    started after the iterator ran, or the kernel hides it from BPF) is
 *    read through /proc (posture_scan.bpf_missed).
 *
 * /proc/PID/cgroup is rebuilt from the record: the hierarchies, their
 * order and their "ID:controllers:" prefixes are those of our own
 * /proc/self/cgroup (the same for every process), the paths the record's;
 * then cgroup_file_identify() reads it as it reads the file. A record
 * whose hierarchies do not match (a hierarchy mounted in between, a path
 * too long for the record) falls back to the file. */
#include "scan-bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/macro.h"
#include "base/parse-util.h"
#include "bpf/task-iter-record.h"
#include "proc-read.h"
#include "task-iter.h"

/* include/linux/proc_ns.h: the initial namespaces' fixed inodes. */
#define INIT_USER_INO   0xEFFFFFFDu
#define INIT_PID_INO    0xEFFFFFFCu
#define INIT_CGROUP_INO 0xEFFFFFFBu
#define INIT_TIME_INO   0xEFFFFFFAu
#define PROC_ROOT_INO   1u

#define LAYOUT_PREFIX_MAX 256u
#define CGROUP_TEXT_MAX   8192u

/* Not in every <linux/capability.h> yet (5.8). */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* One loaded iterator per process, shared by every scan: loading costs
 * milliseconds and the verifier's time, a periodic scanner must not pay it
 * each time. The program is immutable once loaded; the lock serialises
 * reads, which share the iterator's per-CPU record buffer and our read
 * buffer. A failed load is remembered and not retried. A child forked
 * after the load loads its own: the inherited maps are the parent's, and
 * two processes must not share the record buffer. */
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct task_iter *shared;
static int shared_error;
static bool shared_tried;
static pid_t shared_owner;

/* Loading needs CAP_BPF and CAP_PERFMON (a tracing program), or
 * CAP_SYS_ADMIN. Read from our own status rather than capget(2), which a
 * confined daemon's filter need not allow. */
static bool may_use_bpf(const struct proc_creds *c)
{
        return (c->cap_eff & (UINT64_C(1) << CAP_SYS_ADMIN)) ||
               ((c->cap_eff & (UINT64_C(1) << CAP_BPF)) &&
                (c->cap_eff & (UINT64_C(1) << CAP_PERFMON)));
}

/* Called with shared_lock held. dirfd/status: our own status file. Only
 * posture_scan_prepare() (explicit) loads: loading costs ~80 ms of CPU
 * (libbpf reads the kernel's BTF), more than a one-shot /proc scan of
 * fewer than ~1,500 processes, so a one-shot caller (hardenctl check)
 * reads /proc and a process that scans again and again (the daemon, which
 * also has to load before its seccomp filter) prepares. */
static int shared_get(int dirfd, const char *status, bool explicit, struct task_iter **ret)
{
        if (shared_tried && shared_owner != getpid()) {
                shared = task_iter_free(shared);
                shared_tried = false;
        }
        if (!shared_tried) {
                char buf[4096];
                struct proc_status st;
                bool known;
                int r;

                if (!explicit)
                        return -ECANCELED;
                r = proc_read_at(dirfd, status, PROC_READ_SINGLE, buf, sizeof(buf));
                known = r >= 0 && proc_status_parse(buf, (size_t)r, &st) >= 0;
                shared_tried = true;
                shared_owner = getpid();
                shared_error = known && !may_use_bpf(&st.creds) ? -EPERM : task_iter_open(&shared);
        }
        if (shared_error < 0)
                return shared_error;
        *ret = shared;
        return 0;
}

int posture_scan_prepare(void)
{
        struct task_iter *t;
        int r;

        pthread_mutex_lock(&shared_lock);
        r = shared_get(AT_FDCWD, "/proc/thread-self/status", true, &t);
        pthread_mutex_unlock(&shared_lock);
        return r;
}

static bool disabled_by_env(void)
{
        const char *v = getenv("HARDEND_NO_BPF");

        return v && *v && strcmp(v, "0") != 0;
}

/* ns/<name> of our own /proc/self, compared with a fixed inode. Returns 1
 * when equal, 0 when not, -ENOENT when the kernel has no such namespace. */
static int self_ns_is(int self_fd, const char *name, unsigned ino)
{
        char path[32], want[48], buf[64];
        int r;

        snprintf(path, sizeof(path), "ns/%s", name);
        r = proc_readlink_at(self_fd, path, buf, sizeof(buf));
        if (r < 0)
                return r == -ENOENT ? -ENOENT : 0;
        snprintf(want, sizeof(want), "%s:[%u]", name, ino);
        return strcmp(buf, want) == 0;
}

/* Is proc_fd a procfs root whose records-to-/proc mapping is the
 * identity? Sets *ret_cgroup when cgroup paths can come from records. */
static int check_proc_root(int proc_fd, bool *ret_cgroup)
{
        _cleanup_close_ int self_fd = -1;
        struct statfs sfs;
        struct stat st;
        char buf[32];
        uint64_t pid;
        int r;

        if (fstatfs(proc_fd, &sfs) < 0 || fstat(proc_fd, &st) < 0)
                return negative_errno();
        if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
                return -EXDEV;
        /* "self" resolves only in a procfs of our own pid namespace (or
         * of an ancestor, which the pid namespace check below excludes). */
        r = proc_readlink_at(proc_fd, "self", buf, sizeof(buf));
        if (r < 0 || safe_atou64_max(buf, INT32_MAX, &pid) < 0 || (pid_t)pid != getpid())
                return -EXDEV;
        self_fd = openat(proc_fd, "self", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (self_fd < 0)
                return -EXDEV;
        if (self_ns_is(self_fd, "pid", INIT_PID_INO) != 1 ||
            self_ns_is(self_fd, "user", INIT_USER_INO) != 1)
                return -EXDEV;
        r = self_ns_is(self_fd, "time", INIT_TIME_INO); /* -ENOENT: before 5.6 */
        if (r == 0)
                return -EXDEV;
        *ret_cgroup = self_ns_is(self_fd, "cgroup", INIT_CGROUP_INO) == 1;
        return 0;
}

/* Our /proc/self/cgroup, as the template of every process's. */
struct cg_layout {
        struct {
                int id;
                char prefix[LAYOUT_PREFIX_MAX]; /* "ID:controllers:" */
                size_t prefix_len;
        } line[TASK_ITER_CG_PATHS + 1];
        size_t n;
        bool has_unified; /* a "0::" line */
};

static int read_layout(int proc_fd, struct cg_layout *l)
{
        char buf[4096];
        const char *p, *end;
        int r = proc_read_at(proc_fd, "self/cgroup", PROC_READ_SINGLE, buf, sizeof(buf));

        if (r < 0)
                return r;
        *l = (struct cg_layout){0};
        for (p = buf, end = buf + r; p < end;) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *c1, *c2;
                char num[16];
                uint64_t id;

                if (!nl || l->n > TASK_ITER_CG_PATHS)
                        return -EINVAL;
                c1 = memchr(p, ':', (size_t)(nl - p));
                c2 = c1 ? memchr(c1 + 1, ':', (size_t)(nl - c1 - 1)) : NULL;
                if (!c2 || c1 == p || (size_t)(c1 - p) >= sizeof(num) ||
                    (size_t)(c2 + 1 - p) >= LAYOUT_PREFIX_MAX)
                        return -EINVAL;
                memcpy(num, p, (size_t)(c1 - p));
                num[c1 - p] = '\0';
                if (safe_atou64_max(num, INT32_MAX, &id) < 0)
                        return -EINVAL;
                for (size_t i = 0; i < l->n; i++)
                        if (l->line[i].id == (int)id)
                                return -EINVAL;
                l->line[l->n].id = (int)id;
                l->line[l->n].prefix_len = (size_t)(c2 + 1 - p);
                memcpy(l->line[l->n].prefix, p, l->line[l->n].prefix_len);
                if (id == 0)
                        l->has_unified = true;
                l->n++;
                p = nl + 1;
        }
        return l->n > 0 ? 0 : -EINVAL;
}

/* The text /proc/PID/cgroup would show for t, as proc_cgroup_show()
 * writes it. Returns its length, or -EAGAIN when the record's hierarchies
 * are not the layout's (read the file instead). */
static int cgroup_text(const struct cg_layout *l, const struct task_record *t, char *buf,
                       size_t size)
{
        size_t len = 0;

        for (size_t i = 0; i < l->n; i++) {
                const struct task_cgroup *c = NULL;
                int n;

                for (size_t k = 0; k < t->n_cgroups; k++)
                        if (t->cgroups[k].hierarchy_id == l->line[i].id)
                                c = &t->cgroups[k];
                if (!c)
                        return -EAGAIN;
                if (len + l->line[i].prefix_len + 2 >= size)
                        return -EAGAIN;
                memcpy(buf + len, l->line[i].prefix, l->line[i].prefix_len);
                len += l->line[i].prefix_len;
                /* On v1 hierarchies an exiting task shows the root. */
                if (c->hierarchy_id != 0 && (t->task_flags & TASK_PF_EXITING)) {
                        buf[len++] = '/';
                } else {
                        n = task_cgroup_path(c, buf + len, size - len);
                        if (n < 0)
                                return -EAGAIN;
                        len += (size_t)n;
                }
                if (c->hierarchy_id == 0 && c->dead) {
                        static const char deleted[] = " (deleted)";

                        if (len + sizeof(deleted) >= size)
                                return -EAGAIN;
                        memcpy(buf + len, deleted, sizeof(deleted) - 1);
                        len += sizeof(deleted) - 1;
                }
                if (len + 1 >= size)
                        return -EAGAIN;
                buf[len++] = '\n';
        }
        /* Every hierarchy of the record is in the layout, once (but the
         * unified one, which /proc hides until cgroup2 was mounted once). */
        for (size_t k = 0; k < t->n_cgroups; k++) {
                int id = t->cgroups[k].hierarchy_id;
                bool listed = false;

                for (size_t j = 0; j < k; j++)
                        if (t->cgroups[j].hierarchy_id == id)
                                return -EAGAIN;
                for (size_t i = 0; i < l->n && !listed; i++)
                        listed = l->line[i].id == id;
                if (!listed && (id != 0 || l->has_unified))
                        return -EAGAIN;
        }
        buf[len] = '\0';
        return (int)len;
}

struct bpf_scan {
        struct posture_scan *s;
        int proc_fd;
        unsigned flags;
        uint64_t tick_ns;
        bool cgroup_records; /* cgroup paths from records (initial cgroup ns, layout read) */
        struct cg_layout layout;
        /* The last cgroup text and its identity: neighbours in pid order
         * often share a cgroup. */
        char text[CGROUP_TEXT_MAX];
        char last[CGROUP_TEXT_MAX];
        size_t last_len;
        int last_r;
        struct cgroup_identity last_id;
        bool have_last;
};

/* /proc/PID opened on demand, once, verified against the record's start
 * time. */
struct pid_dir {
        int fd;
        int error;
};

static int pid_dir_get(struct bpf_scan *b, struct pid_dir *d, const struct proc_info *p)
{
        if (d->fd >= 0)
                return d->fd;
        if (d->error < 0)
                return d->error;
        d->fd = proc_open_verified(b->proc_fd, p->pid, p->start_time);
        if (d->fd < 0) {
                d->error = d->fd;
                d->fd = -1;
                return d->error;
        }
        return d->fd;
}

static int identify_cgroup(struct bpf_scan *b, const struct task_record *t, struct proc_info *p)
{
        int n, r;

        if (!b->cgroup_records || !t->has_cgroups || t->cg_truncated)
                return -EAGAIN;
        n = cgroup_text(&b->layout, t, b->text, sizeof(b->text));
        if (n < 0)
                return n;
        if (b->have_last && (size_t)n == b->last_len && memcmp(b->text, b->last, (size_t)n) == 0) {
                r = b->last_r;
                p->cgroup = b->last_id;
        } else {
                r = cgroup_file_identify(b->text, (size_t)n, &p->cgroup);
                memcpy(b->last, b->text, (size_t)n);
                b->last_len = (size_t)n;
                b->last_r = r;
                b->last_id = p->cgroup;
                b->have_last = true;
        }
        /* As the /proc path does with a file it cannot identify. */
        if (r < 0) {
                p->cgroup = (struct cgroup_identity){0};
                p->gaps |= PROC_GAP_CGROUP;
        }
        return 0;
}

/* What only /proc/PID can give, and the mount table of a namespace not
 * seen yet. Returns 0, -ESRCH (the process is gone, or the PID is
 * another's now), -ENOMEM. */
static int read_through_proc(struct bpf_scan *b, const struct task_record *t, struct pid_dir *d,
                             struct proc_info *p)
{
        struct posture_scan *s = b->s;
        bool extras = s->apparmor != APPARMOR_SOURCE_NONE || (b->flags & (SCAN_EXE | SCAN_CMDLINE));
        int fd, r;

        if (identify_cgroup(b, t, p) == -EAGAIN) {
                fd = pid_dir_get(b, d, p);
                if (fd == -ESRCH)
                        return fd;
                if (fd < 0)
                        p->gaps |= PROC_GAP_CGROUP;
                else {
                        r = scan_proc_cgroup(fd, p);
                        if (r < 0)
                                return r;
                }
        }
        if (extras) {
                fd = pid_dir_get(b, d, p);
                if (fd == -ESRCH)
                        return fd;
                if (fd < 0) {
                        p->gaps |= PROC_GAP_APPARMOR;
                        if (b->flags & SCAN_EXE)
                                p->gaps |= PROC_GAP_EXE;
                } else {
                        r = scan_proc_extras(fd, b->flags, s->apparmor, p);
                        if (r < 0)
                                return r;
                }
        } else
                p->apparmor = (struct apparmor_label){.state = APPARMOR_UNAVAILABLE};

        if (!(p->ns.known & (1u << NS_MNT))) {
                p->gaps |= PROC_GAP_MOUNTS;
                return 0;
        }
        p->mount_ns = scan_find_mount_ns(s, p->ns.ino[NS_MNT]);
        if (p->mount_ns != SIZE_MAX) {
                if (s->mount_ns[p->mount_ns].error < 0)
                        p->gaps |= PROC_GAP_MOUNTS;
                return 0;
        }
        fd = pid_dir_get(b, d, p);
        if (fd == -ESRCH)
                return fd;
        if (fd < 0) {
                p->gaps |= PROC_GAP_MOUNTS;
                return 0;
        }
        return scan_proc_mounts(s, fd, p);
}

/* A leader's record into a process. Returns 0 with *ret filled, 1 when it
 * was counted instead (vanished, kernel thread, unreadable), -ENOMEM. */
static int build_proc(struct bpf_scan *b, const struct task_record *t, size_t *cap,
                      struct proc_info *ret)
{
        struct posture_scan *s = b->s;
        struct proc_info p = {.mount_ns = SIZE_MAX};
        struct pid_dir d = {.fd = -1};
        int r;

        if (t->exit_state != 0) {
                s->vanished++; /* a zombie: /proc reads it as gone too */
                return 1;
        }
        if (t->task_flags & TASK_PF_KTHREAD) {
                if (!(b->flags & SCAN_KERNEL_THREADS)) {
                        s->kernel_threads++;
                        return 1;
                }
                r = scan_read_pid(s, b->proc_fd, t->pid, b->flags, cap);
                return r < 0 ? r : 1;
        }
        if (!t->creds_known) {
                s->unreadable++;
                return 1;
        }
        p.pid = t->pid;
        p.ppid = t->ppid;
        p.start_time = t->start_boottime_ns / b->tick_ns;
        memcpy(p.comm, t->comm, t->comm_len);
        p.comm_len = t->comm_len;
        p.creds = t->creds;
        p.nspid_levels = t->pid_level + 1;
        p.ns = t->ns;
        if (p.ns.known != (1u << _NS_TYPE_MAX) - 1)
                p.gaps |= PROC_GAP_NS;
        r = read_through_proc(b, t, &d, &p);
        if (d.fd >= 0)
                close(d.fd);
        if (r == -ESRCH) {
                proc_info_done(&p);
                s->vanished++;
                return 1;
        }
        if (r < 0) {
                proc_info_done(&p);
                return r;
        }
        *ret = p;
        return 0;
}

static int cmp_proc(const void *a, const void *b)
{
        pid_t x = ((const struct proc_info *)a)->pid, y = ((const struct proc_info *)b)->pid;

        return x < y ? -1 : x > y;
}

static int cmp_pid(const void *a, const void *b)
{
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

        return x < y ? -1 : x > y;
}

static struct proc_info *find_proc(struct proc_info *procs, size_t n, pid_t pid)
{
        size_t lo = 0, hi = n;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (procs[mid].pid == pid)
                        return &procs[mid];
                if (procs[mid].pid < pid)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

/* Threads whose credentials differ from their leader's, as read_threads()
 * keeps them; procs[0..n) are sorted and all came from records. */
static int attach_threads(const uint8_t *data, size_t size, struct proc_info *procs, size_t n)
{
        _cleanup_free_ unsigned *examined = calloc(n ? n : 1, sizeof(unsigned));
        struct task_record t;
        size_t off = 0;
        int r;

        if (!examined)
                return -ENOMEM;
        while ((r = task_iter_next(data, size, &off, &t)) > 0) {
                struct proc_info *p;
                struct proc_thread *nt;

                if (t.leader || t.exit_state != 0 || !t.creds_known)
                        continue;
                p = find_proc(procs, n, t.tgid);
                if (!p)
                        continue;
                if (++examined[p - procs] > SCAN_MAX_THREADS) {
                        p->threads_truncated = true;
                        continue;
                }
                if (proc_creds_equal(&t.creds, &p->creds))
                        continue;
                if (p->n_threads >= SCAN_MAX_ODD_THREADS) {
                        p->threads_truncated = true;
                        continue;
                }
                nt = realloc(p->threads, (p->n_threads + 1) * sizeof(*nt));
                if (!nt)
                        return -ENOMEM;
                p->threads = nt;
                nt[p->n_threads++] = (struct proc_thread){.tid = t.pid, .creds = t.creds};
        }
        return r < 0 ? r : 0;
}

/* The records into s. Returns 0 or -ENOMEM (the stream was checked
 * whole before). */
static int build(struct bpf_scan *b, const uint8_t *data, size_t size)
{
        struct posture_scan *s = b->s;
        _cleanup_free_ pid_t *seen = NULL, *listed = NULL;
        size_t n_seen = 0, seen_cap = 0, n_listed = 0, listed_truncated = 0, cap = 0, n_bpf;
        struct task_record t;
        size_t off = 0;
        bool sorted = true;
        int r;

        while ((r = task_iter_next(data, size, &off, &t)) > 0) {
                struct proc_info p;

                if (!t.leader)
                        continue;
                if (n_seen == seen_cap) {
                        size_t ncap = seen_cap ? seen_cap * 2 : 1024;
                        pid_t *ns = realloc(seen, ncap * sizeof(*ns));

                        if (!ns)
                                return -ENOMEM;
                        seen = ns;
                        seen_cap = ncap;
                }
                seen[n_seen++] = t.pid;
                if (n_seen > SCAN_MAX_PROCS) {
                        s->truncated++;
                        continue;
                }
                r = build_proc(b, &t, &cap, &p);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                if (s->n_procs > 0 && s->procs[s->n_procs - 1].pid > p.pid)
                        sorted = false;
                r = scan_append(s, &p, &cap);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        /* Kernel threads read through /proc were appended in order too;
         * the iterator walks pids in increasing order, but be sure. */
        if (!sorted && s->n_procs > 1)
                qsort(s->procs, s->n_procs, sizeof(*s->procs), cmp_proc);
        if (b->flags & SCAN_THREADS) {
                r = attach_threads(data, size, s->procs, s->n_procs);
                if (r < 0)
                        return r;
        }
        if (n_seen > 1)
                qsort(seen, n_seen, sizeof(*seen), cmp_pid);
        /* What /proc lists and the iterator did not show. */
        r = scan_list_pids(b->proc_fd, &listed, &n_listed, &listed_truncated);
        if (r == -ENOMEM)
                return r;
        n_bpf = s->n_procs;
        for (size_t i = 0; r >= 0 && i < n_listed; i++) {
                if (bsearch(&listed[i], seen, n_seen, sizeof(*seen), cmp_pid))
                        continue;
                s->bpf_missed++;
                r = scan_read_pid(s, b->proc_fd, listed[i], b->flags, &cap);
                if (r < 0)
                        return r;
        }
        if (s->n_procs > n_bpf)
                qsort(s->procs, s->n_procs, sizeof(*s->procs), cmp_proc);
        return 0;
}

/* The whole stream must parse before anything is built from it: a
 * malformed one means the /proc path, not half a scan. */
static int check_stream(const uint8_t *data, size_t size)
{
        struct task_record t;
        size_t off = 0;
        int r;

        while ((r = task_iter_next(data, size, &off, &t)) > 0)
                ;
        return r;
}

int scan_bpf_run(struct posture_scan *s, int proc_fd, unsigned flags)
{
        _cleanup_free_ struct bpf_scan *b = NULL;
        struct task_iter *t;
        const uint8_t *data;
        size_t size;
        long tck;
        bool cgroup_ns;
        int r;

        if ((flags & SCAN_NO_BPF) || disabled_by_env()) {
                s->bpf_error = -ECANCELED;
                return 0;
        }
        r = check_proc_root(proc_fd, &cgroup_ns);
        if (r < 0) {
                s->bpf_error = r;
                return 0;
        }
        /* stat's start time is start_boottime in USER_HZ ticks. */
        tck = sysconf(_SC_CLK_TCK);
        if (tck <= 0 || 1000000000L % tck != 0) {
                s->bpf_error = -EOPNOTSUPP;
                return 0;
        }
        b = calloc(1, sizeof(*b));
        if (!b)
                return -ENOMEM;
        *b = (struct bpf_scan){
            .s = s, .proc_fd = proc_fd, .flags = flags, .tick_ns = (uint64_t)(1000000000L / tck)};
        b->cgroup_records = cgroup_ns && read_layout(proc_fd, &b->layout) >= 0;

        pthread_mutex_lock(&shared_lock);
        r = shared_get(proc_fd, "thread-self/status", false, &t);
        if (r >= 0)
                r = task_iter_read(t,
                                   ((flags & SCAN_THREADS) ? TASK_ITER_THREADS : 0) |
                                       ((flags & SCAN_KERNEL_THREADS) ? TASK_ITER_KTHREADS : 0),
                                   &data, &size);
        if (r >= 0)
                r = check_stream(data, size);
        if (r < 0) {
                pthread_mutex_unlock(&shared_lock);
                s->bpf_error = r;
                return 0;
        }
        /* Built under the lock: data is the shared iterator's buffer. */
        s->source = SCAN_SOURCE_BPF;
        s->bpf_error = 0;
        r = build(b, data, size);
        pthread_mutex_unlock(&shared_lock);
        return r < 0 ? r : 1;
}
