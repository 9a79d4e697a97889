/* SPDX-License-Identifier: MIT */
#include "task-iter.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf/task-iter-record.h"

/* The BPF object, embedded by bpf/task-iter-embed.S. */
extern const uint8_t hardend_task_iter_bpf[];
extern const uint8_t hardend_task_iter_bpf_end[];

_Static_assert(TASK_REC_HEADER_SIZE == 208, "record header layout changed: bump the version");
_Static_assert(TASK_REC_HEADER_SIZE + TASK_REC_CG_BYTES <= UINT16_MAX, "size must fit in u16");
_Static_assert(TASK_ITER_CG_PATHS == TASK_REC_CG_MAX_PATHS, "cgroup paths");
_Static_assert(TASK_ITER_COMM_MAX + 1 == TASK_REC_COMM_LEN, "comm");
_Static_assert(TASK_REC_NS_SLOTS == _NS_TYPE_MAX, "namespace slots follow enum ns_type");

#define READ_INITIAL (256u * 1024u)

struct task_iter {
        struct bpf_object *obj;
        struct bpf_link *link;
        /* The program's config map, mapped: after loading, a scan needs
         * no bpf() call but BPF_ITER_CREATE (a seccomp filter can allow
         * just that). */
        volatile struct task_iter_config *config;
        size_t config_size;
        uint8_t *buf;
        size_t buf_size;
};

static int print_debug(enum libbpf_print_level level, const char *fmt, va_list ap)
{
        return vfprintf(stderr, fmt, ap);
}

static int print_none(enum libbpf_print_level level, const char *fmt, va_list ap)
{
        return 0;
}

struct task_iter *task_iter_free(struct task_iter *t)
{
        if (!t)
                return NULL;
        if (t->config)
                munmap((void *)t->config, t->config_size);
        bpf_link__destroy(t->link);
        bpf_object__close(t->obj);
        free(t->buf);
        free(t);
        return NULL;
}

static int open_object(struct task_iter *t)
{
        LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "hardend_task_iter");
        struct bpf_program *prog;
        struct bpf_map *config;
        void *m;
        int r;

        t->obj = bpf_object__open_mem(hardend_task_iter_bpf,
                                      (size_t)(hardend_task_iter_bpf_end - hardend_task_iter_bpf),
                                      &opts);
        if (!t->obj)
                return negative_errno();
        r = bpf_object__load(t->obj);
        if (r < 0)
                return r;
        prog = bpf_object__find_program_by_name(t->obj, "hardend_task_iter");
        config = bpf_object__find_map_by_name(t->obj, "config");
        if (!prog || !config)
                return -ENOENT;
        t->config_size = (size_t)sysconf(_SC_PAGESIZE);
        m = mmap(NULL, t->config_size, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(config), 0);
        if (m == MAP_FAILED)
                return negative_errno();
        t->config = m;
        t->link = bpf_program__attach_iter(prog, NULL);
        if (!t->link)
                return negative_errno();
        return 0;
}

int task_iter_open(struct task_iter **ret)
{
        _cleanup_(task_iter_freep) struct task_iter *t = NULL;
        libbpf_print_fn_t old;
        int r;

        t = calloc(1, sizeof(*t));
        if (!t)
                return -ENOMEM;
        /* libbpf's messages are one global hook: quiet while we load,
         * restored after (nothing else here uses libbpf). */
        old = libbpf_set_print(getenv("HARDEND_BPF_DEBUG") ? print_debug : print_none);
        r = open_object(t);
        libbpf_set_print(old);
        if (r < 0)
                return r == -ESRCH ? -EOPNOTSUPP : r; /* libbpf: no such BTF type */
        *ret = TAKE_PTR(t);
        return 0;
}

static ssize_t read_retry(int fd, void *buf, size_t size)
{
        for (;;) {
                ssize_t n = read(fd, buf, size);

                if (n >= 0 || errno != EINTR)
                        return n;
        }
}

int task_iter_read(struct task_iter *t, unsigned flags, const uint8_t **ret_data, size_t *ret_size)
{
        _cleanup_close_ int fd = -1;
        size_t len = 0;

        t->config->threads = (flags & TASK_ITER_THREADS) != 0;
        t->config->kthreads = (flags & TASK_ITER_KTHREADS) != 0;
        fd = bpf_iter_create(bpf_link__fd(t->link));
        if (fd < 0)
                return fd;
        for (;;) {
                ssize_t n;

                /* One read returns at most the iterator's seq buffer (8
                 * pages): keep room for a whole one. */
                if (t->buf_size - len < 64u * 1024u) {
                        size_t ncap = t->buf_size ? t->buf_size * 2 : READ_INITIAL;
                        uint8_t *nbuf;

                        if (t->buf_size >= TASK_ITER_MAX_BYTES)
                                return -EFBIG;
                        if (ncap > TASK_ITER_MAX_BYTES)
                                ncap = TASK_ITER_MAX_BYTES;
                        nbuf = realloc(t->buf, ncap);
                        if (!nbuf)
                                return -ENOMEM;
                        t->buf = nbuf;
                        t->buf_size = ncap;
                }
                n = read_retry(fd, t->buf + len, t->buf_size - len);
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        *ret_data = t->buf;
        *ret_size = len;
        return 0;
}

/* The parser. The stream is the kernel's, but it is still checked like
 * any input: a layout mismatch (a library built against another record
 * version) must fail loudly, not be read as wrong values. What is well
 * formed but odd (a hierarchy twice, from a css_set that changed while the
 * program walked it) is left to the reader, which then reads that one
 * process's cgroup file instead. */

static int parse_cgroups(const struct task_rec *h, const uint8_t *cg, struct task_record *r)
{
        size_t off = 0;

        while (off < h->cg_len) {
                struct task_rec_cg e;
                struct task_cgroup *c;
                const char *names;
                size_t pos = 0;

                if (r->n_cgroups >= TASK_ITER_CG_PATHS || h->cg_len - off < sizeof(e))
                        return -EBADMSG;
                memcpy(&e, cg + off, sizeof(e));
                off += sizeof(e);
                if (e.hierarchy_id < 0 || e.len > h->cg_len - off ||
                    e.depth > TASK_REC_CG_MAX_DEPTH || (e.flags & ~TASK_REC_CG_DEAD) ||
                    (e.depth == 0) != (e.len == 0))
                        return -EBADMSG;
                names = (const char *)cg + off;
                for (unsigned d = 0; d < e.depth; d++) {
                        const char *end = memchr(names + pos, '\0', e.len - pos);
                        size_t n;

                        if (!end)
                                return -EBADMSG;
                        n = (size_t)(end - (names + pos));
                        if (n == 0 || n >= TASK_REC_CG_NAME_MAX || memchr(names + pos, '/', n))
                                return -EBADMSG;
                        pos += n + 1;
                        if (pos > e.len)
                                return -EBADMSG;
                }
                if (pos != e.len)
                        return -EBADMSG;
                c = &r->cgroups[r->n_cgroups++];
                *c = (struct task_cgroup){
                    .hierarchy_id = e.hierarchy_id,
                    .dead = (e.flags & TASK_REC_CG_DEAD) != 0,
                    .depth = e.depth,
                    .names = names,
                    .names_len = e.len,
                };
                off += e.len;
                /* Entries start at multiples of 8; the padding after the
                 * last one is part of cg_len. */
                off = (off + 7) & ~(size_t)7;
                if (off > h->cg_len)
                        return -EBADMSG;
        }
        return r->n_cgroups == h->cg_count ? 0 : -EBADMSG;
}

#define KNOWN_FLAGS                                                                                \
        (TASK_REC_F_CGROUP | TASK_REC_F_CG_TRUNCATED | TASK_REC_F_SECCOMP | TASK_REC_F_FILTERS |   \
         TASK_REC_F_CREDS | TASK_REC_F_IDENTITY_ONLY)

int task_iter_next(const uint8_t *data, size_t size, size_t *offset, struct task_record *ret)
{
        struct task_rec h;
        struct task_record r = {0};
        const char *nul;
        size_t off = *offset, rest;
        int k;

        if (off > size)
                return -EBADMSG;
        rest = size - off;
        if (rest == 0)
                return 0;
        if (rest < TASK_REC_HEADER_SIZE)
                return -EBADMSG;
        memcpy(&h, data + off, TASK_REC_HEADER_SIZE);
        if (h.version != TASK_REC_VERSION || h.size < TASK_REC_HEADER_SIZE || h.size > rest ||
            h.size != TASK_REC_HEADER_SIZE + h.cg_len || h.cg_len > TASK_REC_CG_BYTES ||
            h.cg_len % 8 != 0 || h.reserved != 0 || (h.flags & ~KNOWN_FLAGS))
                return -EBADMSG;
        if (h.tgid <= 0 || h.pid <= 0 || h.ppid < 0 || h.pid_level > TASK_REC_PID_LEVEL_MAX ||
            h.ns_known >= 1u << TASK_REC_NS_SLOTS)
                return -EBADMSG;
        /* Only a leader's cgroups are collected, and only when it was read
         * in full. */
        if ((h.flags & TASK_REC_F_CGROUP) &&
            (h.pid != h.tgid || (h.flags & TASK_REC_F_IDENTITY_ONLY)))
                return -EBADMSG;
        if (!(h.flags & TASK_REC_F_CGROUP) &&
            (h.cg_len != 0 || h.cg_count != 0 || (h.flags & TASK_REC_F_CG_TRUNCATED)))
                return -EBADMSG;
        if ((h.flags & TASK_REC_F_IDENTITY_ONLY) &&
            (h.flags & (TASK_REC_F_CREDS | TASK_REC_F_SECCOMP | TASK_REC_F_FILTERS)))
                return -EBADMSG;
        nul = memchr(h.comm, '\0', sizeof(h.comm));
        if (!nul)
                return -EBADMSG;

        r.tgid = h.tgid;
        r.pid = h.pid;
        r.ppid = h.ppid;
        r.leader = h.pid == h.tgid;
        r.pid_level = h.pid_level;
        r.task_flags = h.task_flags;
        r.exit_state = h.exit_state;
        r.start_boottime_ns = h.start_boottime;
        r.comm_len = (size_t)(nul - h.comm);
        memcpy(r.comm, h.comm, r.comm_len);
        r.identity_only = (h.flags & TASK_REC_F_IDENTITY_ONLY) != 0;
        r.creds_known = (h.flags & TASK_REC_F_CREDS) != 0;
        for (k = 0; k < 4; k++) {
                r.creds.uid[k] = h.uid[k];
                r.creds.gid[k] = h.gid[k];
        }
        r.creds.cap_inh = h.cap[0];
        r.creds.cap_prm = h.cap[1];
        r.creds.cap_eff = h.cap[2];
        r.creds.cap_bnd = h.cap[3];
        r.creds.cap_amb = h.cap[4];
        r.creds.no_new_privs = h.no_new_privs != 0;
        /* As proc_status_parse() leaves them when status has no such
         * line. */
        r.creds.seccomp_mode = h.flags & TASK_REC_F_SECCOMP ? h.seccomp_mode : -1;
        r.creds.seccomp_filters = h.flags & TASK_REC_F_FILTERS ? h.seccomp_filters : 0;
        r.ns.known = h.ns_known;
        for (k = 0; k < TASK_REC_NS_SLOTS; k++)
                r.ns.ino[k] = h.ns_known & (1u << k) ? h.ns_ino[k] : 0;
        r.has_cgroups = (h.flags & TASK_REC_F_CGROUP) != 0;
        r.cg_truncated = (h.flags & TASK_REC_F_CG_TRUNCATED) != 0;
        if (r.has_cgroups) {
                k = parse_cgroups(&h, data + off + TASK_REC_HEADER_SIZE, &r);
                if (k < 0)
                        return k;
        }
        *offset = off + h.size;
        *ret = r;
        return 1;
}

int task_cgroup_path(const struct task_cgroup *c, char *buf, size_t size)
{
        size_t len = 0, end = c->names_len;

        if (size < 2)
                return -ENAMETOOLONG;
        if (c->depth == 0) {
                buf[0] = '/';
                buf[1] = '\0';
                return 1;
        }
        /* names is "leaf\0parent\0...\0top\0": emit from the end. */
        while (end > 0) {
                size_t start = end - 1, n;

                while (start > 0 && c->names[start - 1] != '\0')
                        start--;
                n = end - 1 - start;
                if (len + 1 + n >= size)
                        return -ENAMETOOLONG;
                buf[len++] = '/';
                memcpy(buf + len, c->names + start, n);
                len += n;
                end = start;
        }
        buf[len] = '\0';
        return (int)len;
}
