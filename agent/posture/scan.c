/* SPDX-License-Identifier: MIT */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/parse-util.h"
#include "proc-read.h"
#include "scan-bpf.h"

#define STAT_BUF   1024u
#define STATUS_BUF 4096u
#define CGROUP_BUF 4096u

static const char *const source_names[_SCAN_SOURCE_MAX] = {
    [SCAN_SOURCE_PROC] = "proc",
    [SCAN_SOURCE_BPF] = "bpf",
};

const char *scan_source_to_string(enum scan_source s)
{
        return s < _SCAN_SOURCE_MAX ? source_names[s] : NULL;
}

static bool gone(int r)
{
        return r == -ENOENT || r == -ESRCH;
}

void proc_info_done(struct proc_info *p)
{
        free(p->cmdline);
        free(p->exe);
        free(p->threads);
        apparmor_label_done(&p->apparmor);
        *p = (struct proc_info){.mount_ns = SIZE_MAX};
}

void posture_scan_done(struct posture_scan *s)
{
        for (size_t i = 0; i < s->n_procs; i++)
                proc_info_done(&s->procs[i]);
        free(s->procs);
        for (size_t i = 0; i < s->n_mount_ns; i++)
                mount_table_done(&s->mount_ns[i].table);
        free(s->mount_ns);
        *s = (struct posture_scan){0};
}

static int read_stat(int pid_fd, struct proc_stat *ret)
{
        char buf[STAT_BUF];
        int r = proc_read_at(pid_fd, "stat", PROC_READ_SINGLE, buf, sizeof(buf));

        if (r < 0)
                return gone(r) ? -ESRCH : r;
        return proc_stat_parse(buf, (size_t)r, ret) < 0 ? -EBADMSG : 0;
}

/* status, from a stack buffer when it fits (it nearly always does). */
static int read_status(int dirfd, const char *name, struct proc_status *ret)
{
        char buf[STATUS_BUF];
        _cleanup_free_ char *big = NULL;
        size_t len;
        int r = proc_read_at(dirfd, name, PROC_READ_SINGLE, buf, sizeof(buf));

        if (r == -EFBIG) {
                r = proc_read_alloc(dirfd, name, 2 * STATUS_BUF, PROC_STATUS_MAX, &big, &len);
                if (r < 0)
                        return gone(r) ? -ESRCH : r;
                return proc_status_parse(big, len, ret) < 0 ? -EBADMSG : 0;
        }
        if (r < 0)
                return gone(r) ? -ESRCH : r;
        return proc_status_parse(buf, (size_t)r, ret) < 0 ? -EBADMSG : 0;
}

static int read_cgroup(int pid_fd, struct cgroup_identity *ret)
{
        char buf[CGROUP_BUF];
        _cleanup_free_ char *big = NULL;
        size_t len;
        int r = proc_read_at(pid_fd, "cgroup", PROC_READ_SINGLE, buf, sizeof(buf));

        if (r == -EFBIG) {
                r = proc_read_alloc(pid_fd, "cgroup", 2 * CGROUP_BUF, CGROUP_FILE_MAX, &big, &len);
                if (r < 0)
                        return r;
                return cgroup_file_identify(big, len, ret);
        }
        if (r < 0)
                return r;
        return cgroup_file_identify(buf, (size_t)r, ret);
}

static int read_apparmor(int pid_fd, enum apparmor_source src, struct apparmor_label *ret)
{
        char buf[APPARMOR_LABEL_MAX + 1];
        int r = -ENOENT;

        if (src == APPARMOR_SOURCE_NONE) {
                *ret = (struct apparmor_label){.state = APPARMOR_UNAVAILABLE};
                return 0;
        }
        if (src == APPARMOR_SOURCE_LSM_DIR)
                r = proc_read_at(pid_fd, "attr/apparmor/current", PROC_READ_SINGLE, buf,
                                 sizeof(buf));
        if (r == -ENOENT)
                r = proc_read_at(pid_fd, "attr/current", PROC_READ_SINGLE, buf, sizeof(buf));
        if (r < 0)
                return r;
        return apparmor_label_parse(buf, (size_t)r, ret);
}

/* cmdline is not a seq_file and may be long: keep its first bytes. */
static int read_cmdline(int pid_fd, struct proc_info *p)
{
        _cleanup_close_ int fd = openat(pid_fd, "cmdline", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;

        if (fd < 0)
                return negative_errno();
        buf = malloc(PROC_CMDLINE_MAX + 1);
        if (!buf)
                return -ENOMEM;
        while (len < PROC_CMDLINE_MAX) {
                ssize_t n = read(fd, buf + len, PROC_CMDLINE_MAX - len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        if (len == PROC_CMDLINE_MAX) {
                char probe;

                p->cmdline_truncated = read(fd, &probe, 1) > 0;
        }
        buf[len] = '\0';
        p->cmdline = TAKE_PTR(buf);
        p->cmdline_len = len;
        return 0;
}

static int read_threads(int pid_fd, struct proc_info *p)
{
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        size_t examined = 0;
        int r;

        r = opendir_at(pid_fd, "task", &d);
        if (r < 0)
                return r;
        while ((de = readdir(d))) {
                struct proc_status st;
                struct proc_thread *t;
                char name[32];
                uint64_t tid;

                if (safe_atou64_max(de->d_name, INT_MAX, &tid) < 0 || tid == 0 ||
                    (pid_t)tid == p->pid)
                        continue;
                if (++examined > SCAN_MAX_THREADS) {
                        p->threads_truncated = true;
                        break;
                }
                snprintf(name, sizeof(name), "%d/status", (int)tid);
                r = read_status(dirfd(d), name, &st);
                if (r == -ESRCH)
                        continue; /* the thread exited */
                if (r < 0)
                        return r;
                if (proc_creds_equal(&st.creds, &p->creds))
                        continue;
                if (p->n_threads >= SCAN_MAX_ODD_THREADS) {
                        p->threads_truncated = true;
                        continue;
                }
                t = realloc(p->threads, (p->n_threads + 1) * sizeof(*t));
                if (!t)
                        return -ENOMEM;
                p->threads = t;
                t[p->n_threads++] = (struct proc_thread){.tid = (pid_t)tid, .creds = st.creds};
        }
        return 0;
}

/* After a read failed: is the process gone (or a zombie), or is only this
 * file missing? */
static bool process_gone(int pid_fd)
{
        struct proc_stat st;

        return read_stat(pid_fd, &st) < 0 || st.state == 'Z' || st.state == 'X';
}

int scan_proc_cgroup(int pid_fd, struct proc_info *p)
{
        int r = read_cgroup(pid_fd, &p->cgroup);

        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                if (gone(r) && process_gone(pid_fd))
                        return -ESRCH;
                p->cgroup = (struct cgroup_identity){0};
                p->gaps |= PROC_GAP_CGROUP;
        }
        return 0;
}

int scan_proc_extras(int pid_fd, unsigned flags, enum apparmor_source apparmor, struct proc_info *p)
{
        int r = read_apparmor(pid_fd, apparmor, &p->apparmor);

        if (r == -ENOMEM)
                return r;
        if (r == -EINVAL && apparmor != APPARMOR_SOURCE_NONE)
                p->gaps |= PROC_GAP_APPARMOR; /* malformed label */
        else if (r < 0) {
                if (gone(r) && process_gone(pid_fd))
                        return -ESRCH;
                p->gaps |= PROC_GAP_APPARMOR;
        }
        if (flags & SCAN_EXE) {
                char buf[PATH_MAX];

                r = proc_readlink_at(pid_fd, "exe", buf, sizeof(buf));
                if (r >= 0) {
                        p->exe = strdup(buf);
                        if (!p->exe)
                                return -ENOMEM;
                } else
                        p->gaps |= PROC_GAP_EXE;
        }
        if (flags & SCAN_CMDLINE) {
                r = read_cmdline(pid_fd, p);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

int proc_info_read(int pid_fd, pid_t pid, unsigned flags, enum apparmor_source apparmor,
                   struct proc_info *ret)
{
        struct proc_info p = {.mount_ns = SIZE_MAX};
        struct proc_stat st;
        struct proc_status status;
        int r;

        r = read_stat(pid_fd, &st);
        if (r < 0)
                return r;
        if (st.pid != pid)
                return -EBADMSG;
        if (st.state == 'Z' || st.state == 'X')
                return -ESRCH;
        if (proc_stat_is_kernel_thread(&st) && !(flags & SCAN_KERNEL_THREADS))
                return 1;
        r = read_status(pid_fd, "status", &status);
        if (r < 0)
                return r;
        if (status.pid != pid || status.tgid != pid)
                return -EBADMSG;
        if (status.kthread && !(flags & SCAN_KERNEL_THREADS))
                return 1;

        p.pid = pid;
        p.ppid = st.ppid;
        p.start_time = st.start_time;
        memcpy(p.comm, st.comm, sizeof(p.comm));
        p.comm_len = st.comm_len;
        p.creds = status.creds;
        p.nspid_levels = status.fields & PROC_STATUS_NSPID ? status.nspid_levels : 0;

        r = scan_proc_cgroup(pid_fd, &p);
        if (r < 0)
                goto fail;
        for (int t = 0; t < _NS_TYPE_MAX; t++) {
                r = ns_read(pid_fd, (enum ns_type)t, &p.ns.ino[t]);
                if (r >= 0) {
                        p.ns.known |= 1u << t;
                        continue;
                }
                if (gone(r) && process_gone(pid_fd))
                        goto vanished;
                p.gaps |= PROC_GAP_NS;
        }
        r = scan_proc_extras(pid_fd, flags, apparmor, &p);
        if (r < 0)
                goto fail;
        if ((flags & SCAN_THREADS) && status.threads > 1) {
                r = read_threads(pid_fd, &p);
                if (r == -ENOMEM)
                        goto fail;
                if (r < 0)
                        p.gaps |= PROC_GAP_THREADS;
        }
        *ret = p;
        return 0;
vanished:
        r = -ESRCH;
fail:
        proc_info_done(&p);
        return r;
}

int proc_open_verified(int proc_fd, pid_t pid, uint64_t start_time)
{
        _cleanup_close_ int fd = -1;
        struct proc_stat st;
        char name[16];
        int r;

        if (pid <= 0)
                return -EINVAL;
        snprintf(name, sizeof(name), "%d", (int)pid);
        fd = openat(proc_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return gone(negative_errno()) ? -ESRCH : negative_errno();
        r = read_stat(fd, &st);
        if (r < 0)
                return r == -EBADMSG ? r : -ESRCH;
        if (st.pid != pid || st.start_time != start_time)
                return -ESRCH;
        return TAKE_FD(fd);
}

size_t scan_find_mount_ns(const struct posture_scan *s, uint64_t ino)
{
        for (size_t i = 0; i < s->n_mount_ns; i++)
                if (s->mount_ns[i].ino == ino)
                        return i;
        return SIZE_MAX;
}

/* The mount namespace of the process behind pid_fd (whose ns/mnt was
 * already read as ino): parsed once per namespace. A read that fails is
 * not remembered (the next process of the namespace tries again); a table
 * that does not parse is (every process of the namespace has the same). */
static int attach_mounts(struct posture_scan *s, int pid_fd, uint64_t ino, size_t *ret_index)
{
        _cleanup_free_ char *data = NULL;
        struct mount_ns *v, m = {.ino = ino};
        size_t len, idx = scan_find_mount_ns(s, ino);
        unsigned line;
        uint64_t after;
        int r;

        if (idx != SIZE_MAX) {
                *ret_index = idx;
                return 0;
        }
        r = proc_read_alloc(pid_fd, "mountinfo", 16384, MOUNTINFO_MAX_BYTES, &data, &len);
        if (r < 0)
                return r;
        r = mountinfo_parse(data, len, &m.table, &line);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                m.error = r;
        /* Still the same namespace? (setns() while we read) */
        r = ns_read(pid_fd, NS_MNT, &after);
        if (r < 0 || after != ino) {
                mount_table_done(&m.table);
                return r < 0 ? r : -EAGAIN;
        }
        v = realloc(s->mount_ns, (s->n_mount_ns + 1) * sizeof(*v));
        if (!v) {
                mount_table_done(&m.table);
                return -ENOMEM;
        }
        s->mount_ns = v;
        v[s->n_mount_ns] = m;
        *ret_index = s->n_mount_ns++;
        return 0;
}

static int read_cap_last_cap(int proc_fd, unsigned *ret)
{
        char buf[32];
        uint64_t v;
        int r =
            proc_read_at(proc_fd, "sys/kernel/cap_last_cap", PROC_READ_SINGLE, buf, sizeof(buf));

        if (r >= 0) {
                if (r > 0 && buf[r - 1] == '\n')
                        buf[r - 1] = '\0';
                if (safe_atou64_max(buf, 63, &v) < 0)
                        return -EINVAL;
                *ret = (unsigned)v;
                return 0;
        }
        /* libcap asks the running kernel. */
        v = (uint64_t)cap_max_bits();
        if (v == 0 || v > 64)
                return r;
        *ret = (unsigned)(v - 1);
        return 0;
}

static enum apparmor_source detect_apparmor(int host_fd)
{
        char buf[APPARMOR_LABEL_MAX + 1];
        struct apparmor_label l;
        int r;

        r = proc_read_at(host_fd, "attr/apparmor/current", PROC_READ_SINGLE, buf, sizeof(buf));
        if (r >= 0 && apparmor_label_parse(buf, (size_t)r, &l) >= 0) {
                apparmor_label_done(&l);
                return APPARMOR_SOURCE_LSM_DIR;
        }
        if (r != -ENOENT)
                return APPARMOR_SOURCE_NONE;
        /* Older kernels: attr/current belongs to the major LSM; only an
         * AppArmor-shaped value counts. */
        r = proc_read_at(host_fd, "attr/current", PROC_READ_SINGLE, buf, sizeof(buf));
        if (r >= 0 && apparmor_label_parse(buf, (size_t)r, &l) >= 0) {
                apparmor_label_done(&l);
                return APPARMOR_SOURCE_CURRENT;
        }
        return APPARMOR_SOURCE_NONE;
}

/* The host's namespaces: PID 1's, or ours when PID 1 cannot be read (a
 * sandboxed agent, a container without hostPID). */
static int read_host(int proc_fd, struct posture_scan *s, int *ret_fd)
{
        static const char *const candidates[] = {"1", "self"};

        for (size_t c = 0; c < ELEMENTSOF(candidates); c++) {
                _cleanup_close_ int fd = -1;
                struct proc_status st;
                struct ns_set ns = {0};
                int r = 0;

                fd = openat(proc_fd, candidates[c], O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        r = negative_errno();
                if (r >= 0)
                        r = read_status(fd, "status", &st);
                for (int t = 0; r >= 0 && t < _NS_TYPE_MAX; t++) {
                        r = ns_read(fd, (enum ns_type)t, &ns.ino[t]);
                        if (r >= 0)
                                ns.known |= 1u << t;
                }
                if (r < 0) {
                        if (c == 0) {
                                s->host.pid1_error = r;
                                continue;
                        }
                        return r;
                }
                s->host.pid = st.pid;
                s->host.from_self = c > 0;
                s->host.ns = ns;
                s->host.nspid_levels = st.fields & PROC_STATUS_NSPID ? st.nspid_levels : 0;
                s->host.cap_bnd = st.creds.cap_bnd;
                *ret_fd = TAKE_FD(fd);
                return 0;
        }
        return -ESRCH;
}

static int cmp_pid(const void *a, const void *b)
{
        pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

        return x < y ? -1 : x > y;
}

int scan_list_pids(int proc_fd, pid_t **ret, size_t *ret_n, size_t *ret_truncated)
{
        _cleanup_(closedirp) DIR *d = NULL;
        _cleanup_free_ pid_t *pids = NULL;
        size_t n = 0, cap = 0, truncated = 0;
        struct dirent *de;
        int r;

        r = opendir_at(proc_fd, ".", &d);
        if (r < 0)
                return r;
        while ((errno = 0, de = readdir(d))) {
                uint64_t v;

                if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
                    safe_atou64_max(de->d_name, INT_MAX, &v) < 0 ||
                    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN && de->d_type != DT_LNK))
                        continue;
                if (n >= SCAN_MAX_PROCS) {
                        truncated++;
                        continue;
                }
                if (n == cap) {
                        size_t ncap = cap ? cap * 2 : 1024;
                        pid_t *np = realloc(pids, ncap * sizeof(*np));

                        if (!np)
                                return -ENOMEM;
                        pids = np;
                        cap = ncap;
                }
                pids[n++] = (pid_t)v;
        }
        if (errno != 0)
                return negative_errno();
        if (n > 1)
                qsort(pids, n, sizeof(*pids), cmp_pid);
        *ret = TAKE_PTR(pids);
        *ret_n = n;
        *ret_truncated = truncated;
        return 0;
}

/* p's mount table: parsed through pid_fd when p is the first process seen
 * in its mount namespace. Returns 0 (a failure is a gap), -ESRCH when the
 * process went away, -ENOMEM. */
int scan_proc_mounts(struct posture_scan *s, int pid_fd, struct proc_info *p)
{
        int r;

        if (!(p->ns.known & (1u << NS_MNT))) {
                p->gaps |= PROC_GAP_MOUNTS;
                return 0;
        }
        r = attach_mounts(s, pid_fd, p->ns.ino[NS_MNT], &p->mount_ns);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && gone(r) && process_gone(pid_fd))
                return -ESRCH;
        if (r < 0 || s->mount_ns[p->mount_ns].error < 0)
                p->gaps |= PROC_GAP_MOUNTS;
        return 0;
}

int scan_append(struct posture_scan *s, struct proc_info *p, size_t *cap)
{
        if (s->n_procs == *cap) {
                size_t ncap = *cap ? *cap * 2 : 256;
                struct proc_info *np = realloc(s->procs, ncap * sizeof(*np));

                if (!np) {
                        proc_info_done(p);
                        return -ENOMEM;
                }
                s->procs = np;
                *cap = ncap;
        }
        s->procs[s->n_procs++] = *p;
        return 0;
}

/* One process through /proc, counted where it does not make it. Returns 0
 * or -ENOMEM. */
int scan_read_pid(struct posture_scan *s, int proc_fd, pid_t pid, unsigned flags, size_t *cap)
{
        _cleanup_close_ int fd = -1;
        struct proc_info p;
        char name[16];
        int r;

        snprintf(name, sizeof(name), "%d", (int)pid);
        fd = openat(proc_fd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                if (gone(negative_errno()) || errno == ENOTDIR)
                        s->vanished++;
                else
                        s->unreadable++;
                return 0;
        }
        r = proc_info_read(fd, pid, flags, s->apparmor, &p);
        if (r == 1) {
                s->kernel_threads++;
                return 0;
        }
        if (r == -ENOMEM)
                return r;
        if (r == -ESRCH) {
                s->vanished++;
                return 0;
        }
        if (r < 0) {
                s->unreadable++;
                return 0;
        }
        r = scan_proc_mounts(s, fd, &p);
        if (r == -ESRCH) {
                proc_info_done(&p);
                s->vanished++;
                return 0;
        }
        if (r < 0) {
                proc_info_done(&p);
                return r;
        }
        return scan_append(s, &p, cap);
}

int posture_scan_run(int proc_fd, pid_t only_pid, unsigned flags, struct posture_scan *ret)
{
        struct posture_scan s = {.host.mount_ns = SIZE_MAX};
        _cleanup_free_ pid_t *pids = NULL;
        _cleanup_close_ int host_fd = -1;
        size_t n_pids = 0, cap = 0;
        int r;

        r = read_host(proc_fd, &s, &host_fd);
        if (r < 0)
                return r;
        r = read_cap_last_cap(proc_fd, &s.cap_last_cap);
        if (r < 0)
                return r;
        s.apparmor = detect_apparmor(host_fd);
        if (s.host.ns.known & (1u << NS_MNT)) {
                r = attach_mounts(&s, host_fd, s.host.ns.ino[NS_MNT], &s.host.mount_ns);
                if (r == -ENOMEM)
                        goto fail;
        }
        /* The BPF task iterator, where it can stand in for /proc (it says
         * why not in s.bpf_error); else every process through /proc. */
        r = only_pid > 0 ? 0 : scan_bpf_run(&s, proc_fd, flags);
        if (r < 0)
                goto fail;
        if (r > 0) {
                *ret = s;
                return 0;
        }
        if (only_pid > 0) {
                s.bpf_error = -ECANCELED;
                pids = malloc(sizeof(*pids));
                if (!pids) {
                        r = -ENOMEM;
                        goto fail;
                }
                pids[0] = only_pid;
                n_pids = 1;
        } else {
                r = scan_list_pids(proc_fd, &pids, &n_pids, &s.truncated);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < n_pids; i++) {
                r = scan_read_pid(&s, proc_fd, pids[i], flags, &cap);
                if (r < 0)
                        goto fail;
        }
        *ret = s;
        return 0;
fail:
        posture_scan_done(&s);
        return r;
}

const struct proc_info *posture_scan_find(const struct posture_scan *s, pid_t pid)
{
        size_t lo = 0, hi = s->n_procs;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (s->procs[mid].pid == pid)
                        return &s->procs[mid];
                if (s->procs[mid].pid < pid)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

const struct mount_table *posture_scan_mounts(const struct posture_scan *s,
                                              const struct proc_info *p)
{
        if (p->mount_ns == SIZE_MAX || p->mount_ns >= s->n_mount_ns ||
            s->mount_ns[p->mount_ns].error < 0)
                return NULL;
        return &s->mount_ns[p->mount_ns].table;
}
