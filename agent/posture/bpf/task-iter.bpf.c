/* SPDX-License-Identifier: MIT */
/* BPF task iterator: one read() loop over an iterator fd returns, for every
 * task of the system, what the /proc scanner would otherwise read through
 * ~18 system calls per process (stat, status, seven ns links, cgroup): see
 * task-iter-record.h for the record.
 *
 * Built with clang -target bpf -O2 -g (BTF) and relocated at load time by
 * libbpf against the running kernel's BTF (CO-RE): the kernel types below
 * declare only the fields read, under the kernel's names; ___suffix
 * "flavors" carry fields that were renamed, and bpf_core_field_exists()
 * picks the one this kernel has. No vmlinux.h, no bpftool at build time.
 *
 * Every value is read as /proc shows it to a reader in the initial
 * namespaces (the userspace side uses the iterator only there):
 *  - credentials from real_cred (the objective ones status prints);
 *  - ppid = real_parent's tgid; NSpid's entries = thread_pid level + 1;
 *  - ns/pid = task_active_pid_ns, ns/user = real_cred->user_ns, the rest
 *    from nsproxy (gone once the task passed exit_task_namespaces());
 *  - cgroup paths walked up kernfs parents to the hierarchy's root, one
 *    per hierarchy the css_set links to, as proc_cgroup_show() does.
 * All pointer chasing goes through bpf_probe_read_kernel (BPF_CORE_READ):
 * a task that is exiting at that moment yields zeros, never a fault. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "task-iter-record.h"

#define __pai __attribute__((preserve_access_index))

/* Iterator context (include/linux/bpf.h, kernel/bpf/task_iter.c). */
struct seq_file;
struct bpf_iter_meta {
        struct seq_file *seq;
} __pai;
struct task_struct;
struct bpf_iter__task {
        struct bpf_iter_meta *meta;
        struct task_struct *task;
} __pai;

struct list_head {
        struct list_head *next;
} __pai;

struct ns_common {
        unsigned int inum;
} __pai;
struct uts_namespace {
        struct ns_common ns;
} __pai;
struct ipc_namespace {
        struct ns_common ns;
} __pai;
struct mnt_namespace {
        struct ns_common ns;
} __pai;
struct net {
        struct ns_common ns;
} __pai;
struct cgroup_namespace {
        struct ns_common ns;
} __pai;
struct pid_namespace {
        struct ns_common ns;
} __pai;
struct user_namespace {
        struct ns_common ns;
} __pai;

struct nsproxy {
        struct uts_namespace *uts_ns;
        struct ipc_namespace *ipc_ns;
        struct mnt_namespace *mnt_ns;
        struct net *net_ns;
        struct cgroup_namespace *cgroup_ns;
} __pai;

struct upid {
        int nr;
        struct pid_namespace *ns;
} __pai;
struct pid {
        unsigned int level;
        struct upid numbers[1];
} __pai;

typedef struct {
        __u32 val;
} kuid_t;
typedef struct {
        __u32 val;
} kgid_t;
/* Since 6.3 a u64; before, __u32 cap[2] (the same 8 bytes on the
 * little-endian machines this runs on). Read as raw 8 bytes. */
typedef struct {
        __u64 val;
} kernel_cap_t;

struct cred {
        kuid_t uid;
        kgid_t gid;
        kuid_t suid;
        kgid_t sgid;
        kuid_t euid;
        kgid_t egid;
        kuid_t fsuid;
        kgid_t fsgid;
        kernel_cap_t cap_inheritable;
        kernel_cap_t cap_permitted;
        kernel_cap_t cap_effective;
        kernel_cap_t cap_bset;
        kernel_cap_t cap_ambient;
        struct user_namespace *user_ns;
} __pai;

typedef struct {
        int counter;
} atomic_t;
struct seccomp {
        int mode;
        atomic_t filter_count;
} __pai;

struct kernfs_node {
        struct kernfs_node *__parent; /* 6.15+ */
        const char *name;
} __pai;
struct kernfs_node___old {
        struct kernfs_node___old *parent;
} __pai;

struct cgroup_subsys_state {
        unsigned int flags;
} __pai;
struct cgroup_root {
        int hierarchy_id;
} __pai;
struct cgroup {
        struct cgroup_subsys_state self;
        struct kernfs_node *kn;
        struct cgroup_root *root;
} __pai;
struct css_set {
        struct list_head cgrp_links;
} __pai;
struct cgrp_cset_link {
        struct cgroup *cgrp;
        struct list_head cgrp_link;
} __pai;

struct task_struct {
        unsigned int flags;
        int exit_state;
        unsigned long atomic_flags;
        int pid;
        int tgid;
        struct task_struct *real_parent;
        struct pid *thread_pid;
        __u64 start_boottime; /* 5.5+ */
        const struct cred *real_cred;
        char comm[16];
        struct nsproxy *nsproxy;
        struct seccomp seccomp;
        struct css_set *cgroups;
} __pai;
struct task_struct___old {
        __u64 real_start_time; /* before 5.5 */
} __pai;

#define PFA_NO_NEW_PRIVS 0         /* include/linux/sched.h */
#define CSS_ONLINE       (1u << 1) /* include/linux/cgroup-defs.h */

/* One record, built here and written whole: larger than the 512-byte BPF
 * stack. Per CPU; the reader serialises its scans, and another process
 * loads its own copy. */
struct {
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
        __uint(max_entries, 1);
        __type(key, __u32);
        __type(value, struct task_rec);
} scratch SEC(".maps");

/* Memory-mapped by the reader: a scan sets it without a system call. */
struct {
        __uint(type, BPF_MAP_TYPE_ARRAY);
        __uint(map_flags, BPF_F_MMAPABLE);
        __uint(max_entries, 1);
        __type(key, __u32);
        __type(value, struct task_iter_config);
} config SEC(".maps");

static __always_inline __u32 ns_inum(const struct ns_common *ns)
{
        return BPF_CORE_READ(ns, inum);
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
        if (bpf_core_field_exists(kn->__parent))
                return BPF_CORE_READ(kn, __parent);
        return (struct kernfs_node *)BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

static __always_inline void read_identity(struct task_rec *r, struct task_struct *task)
{
        struct pid *tp;

        r->task_flags = BPF_CORE_READ(task, flags);
        r->exit_state = BPF_CORE_READ(task, exit_state);
        r->pid = BPF_CORE_READ(task, pid);
        r->tgid = BPF_CORE_READ(task, tgid);
        r->ppid = BPF_CORE_READ(task, real_parent, tgid);
        if (bpf_core_field_exists(task->start_boottime))
                r->start_boottime = BPF_CORE_READ(task, start_boottime);
        else
                r->start_boottime =
                    BPF_CORE_READ((struct task_struct___old *)task, real_start_time);
        bpf_core_read(r->comm, sizeof(r->comm), &task->comm);
        tp = BPF_CORE_READ(task, thread_pid);
        r->pid_level = tp ? BPF_CORE_READ(tp, level) : 0;
}

static __always_inline void read_creds(struct task_rec *r, struct task_struct *task)
{
        const struct cred *c = BPF_CORE_READ(task, real_cred);
        unsigned long af = BPF_CORE_READ(task, atomic_flags);
        struct user_namespace *uns;

        if (!c)
                return;
        r->uid[0] = BPF_CORE_READ(c, uid.val);
        r->uid[1] = BPF_CORE_READ(c, euid.val);
        r->uid[2] = BPF_CORE_READ(c, suid.val);
        r->uid[3] = BPF_CORE_READ(c, fsuid.val);
        r->gid[0] = BPF_CORE_READ(c, gid.val);
        r->gid[1] = BPF_CORE_READ(c, egid.val);
        r->gid[2] = BPF_CORE_READ(c, sgid.val);
        r->gid[3] = BPF_CORE_READ(c, fsgid.val);
        bpf_core_read(&r->cap[0], 8, &c->cap_inheritable);
        bpf_core_read(&r->cap[1], 8, &c->cap_permitted);
        bpf_core_read(&r->cap[2], 8, &c->cap_effective);
        bpf_core_read(&r->cap[3], 8, &c->cap_bset);
        bpf_core_read(&r->cap[4], 8, &c->cap_ambient);
        r->no_new_privs = (af >> PFA_NO_NEW_PRIVS) & 1;
        if (bpf_core_field_exists(task->seccomp)) {
                r->seccomp_mode = BPF_CORE_READ(task, seccomp.mode);
                r->flags |= TASK_REC_F_SECCOMP;
                if (bpf_core_field_exists(task->seccomp.filter_count)) {
                        r->seccomp_filters = BPF_CORE_READ(task, seccomp.filter_count.counter);
                        r->flags |= TASK_REC_F_FILTERS;
                }
        }
        r->flags |= TASK_REC_F_CREDS;
        uns = BPF_CORE_READ(c, user_ns);
        if (uns) {
                r->ns_ino[5] = ns_inum(&uns->ns);
                r->ns_known |= 1u << 5;
        }
}

static __always_inline void read_namespaces(struct task_rec *r, struct task_struct *task)
{
        struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);
        struct pid *tp = BPF_CORE_READ(task, thread_pid);

        /* ns/pid: the namespace of the task's own pid, at its level. */
        if (tp && r->pid_level <= TASK_REC_PID_LEVEL_MAX) {
                struct upid *u = &tp->numbers[0];
                struct pid_namespace *pns = NULL;

                bpf_probe_read_kernel(&pns, sizeof(pns), &(u + r->pid_level)->ns);
                if (pns) {
                        r->ns_ino[4] = ns_inum(&pns->ns);
                        r->ns_known |= 1u << 4;
                }
        }
        if (!nsp)
                return;
        r->ns_ino[0] = ns_inum(&BPF_CORE_READ(nsp, cgroup_ns)->ns);
        r->ns_ino[1] = ns_inum(&BPF_CORE_READ(nsp, ipc_ns)->ns);
        r->ns_ino[2] = ns_inum(&BPF_CORE_READ(nsp, mnt_ns)->ns);
        r->ns_ino[3] = ns_inum(&BPF_CORE_READ(nsp, net_ns)->ns);
        r->ns_ino[6] = ns_inum(&BPF_CORE_READ(nsp, uts_ns)->ns);
        for (int i = 0; i < TASK_REC_NS_SLOTS; i++)
                if (i != 4 && i != 5 && r->ns_ino[i])
                        r->ns_known |= 1u << i;
}

/* One entry: the hierarchy id and the path's components, leaf first.
 * Returns the offset after it, or TASK_REC_CG_BYTES + 1 when it did not
 * fit. */
static __always_inline __u32 read_cgroup_path(struct task_rec *r, __u32 off, struct cgroup *cg)
{
        struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
        struct task_rec_cg *e;
        __u32 pos;
        __u8 depth = 0;

        if (off > TASK_REC_CG_BYTES - sizeof(*e) - TASK_REC_CG_NAME_MAX)
                return TASK_REC_CG_BYTES + 1;
        e = (struct task_rec_cg *)&r->cg[off];
        e->hierarchy_id = BPF_CORE_READ(cg, root, hierarchy_id);
        e->flags = BPF_CORE_READ(cg, self.flags) & CSS_ONLINE ? 0 : TASK_REC_CG_DEAD;
        pos = off + sizeof(*e);
        for (int d = 0; d <= TASK_REC_CG_MAX_DEPTH; d++) {
                struct kernfs_node *parent;
                const char *name;
                long n;

                if (!kn)
                        return TASK_REC_CG_BYTES + 1;
                parent = kn_parent(kn);
                if (!parent)
                        break; /* kn is the hierarchy's root: no component */
                if (d == TASK_REC_CG_MAX_DEPTH || pos > TASK_REC_CG_BYTES - TASK_REC_CG_NAME_MAX)
                        return TASK_REC_CG_BYTES + 1;
                name = BPF_CORE_READ(kn, name);
                n = bpf_probe_read_kernel_str(&r->cg[pos], TASK_REC_CG_NAME_MAX, name);
                if (n <= 1 || n > TASK_REC_CG_NAME_MAX)
                        return TASK_REC_CG_BYTES + 1;
                pos += n;
                depth++;
                kn = parent;
        }
        e->len = pos - off - sizeof(*e);
        e->depth = depth;
        r->cg_count++;
        return (pos + 7) & ~7u;
}

/* Every hierarchy the task's css_set links to (cset->cgrp_links), as
 * proc_cgroup_show() finds them: one cgroup per hierarchy. */
static __always_inline void read_cgroups(struct task_rec *r, struct task_struct *task)
{
        struct css_set *cset = BPF_CORE_READ(task, cgroups);
        struct list_head *head, *pos;
        __u32 off = 0;

        r->flags |= TASK_REC_F_CGROUP;
        if (!cset) {
                r->flags |= TASK_REC_F_CG_TRUNCATED;
                return;
        }
        head = &cset->cgrp_links;
        pos = BPF_CORE_READ(cset, cgrp_links.next);
        for (int i = 0; i <= TASK_REC_CG_MAX_PATHS; i++) {
                struct cgrp_cset_link *link;

                if (!pos || pos == head)
                        break;
                if (i == TASK_REC_CG_MAX_PATHS) {
                        r->flags |= TASK_REC_F_CG_TRUNCATED;
                        break;
                }
                link =
                    (struct cgrp_cset_link *)((char *)pos - bpf_core_field_offset(
                                                                struct cgrp_cset_link, cgrp_link));
                off = read_cgroup_path(r, off, BPF_CORE_READ(link, cgrp));
                if (off > TASK_REC_CG_BYTES) {
                        r->flags |= TASK_REC_F_CG_TRUNCATED;
                        off = r->cg_len;
                        break;
                }
                r->cg_len = off;
                pos = BPF_CORE_READ(pos, next);
        }
}

SEC("iter/task")
int hardend_task_iter(struct bpf_iter__task *ctx)
{
        struct seq_file *seq = ctx->meta->seq;
        struct task_struct *task = ctx->task;
        struct task_iter_config *cfg;
        struct task_rec *r;
        __u32 zero = 0, size;
        int leader;

        if (!task)
                return 0;
        r = bpf_map_lookup_elem(&scratch, &zero);
        cfg = bpf_map_lookup_elem(&config, &zero);
        if (!r || !cfg)
                return 0;
        leader = BPF_CORE_READ(task, pid) == BPF_CORE_READ(task, tgid);
        if (!leader && !cfg->threads)
                return 0;
        /* Only the header is cleared: cg[] is written before it is read. */
        __builtin_memset(r, 0, TASK_REC_HEADER_SIZE);
        r->version = TASK_REC_VERSION;
        read_identity(r, task);
        if ((r->task_flags & TASK_PF_KTHREAD) && !cfg->kthreads) {
                r->flags |= TASK_REC_F_IDENTITY_ONLY;
        } else {
                read_creds(r, task);
                read_namespaces(r, task);
                if (leader)
                        read_cgroups(r, task);
        }
        size = TASK_REC_HEADER_SIZE + r->cg_len;
        if (size > sizeof(*r))
                return 0;
        r->size = size;
        bpf_seq_write(seq, r, size);
        return 0;
}

/* bpf_probe_read_kernel and bpf_seq_write are GPL-only helpers. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
