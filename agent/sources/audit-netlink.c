/* SPDX-License-Identifier: MIT */
#include "audit-netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "base/macro.h"

/* Receiving: recvmmsg() on nl_socket_get_fd(), not libnl's nl_recv().
 *  - nl_recv() turns ENOBUFS into NLE_NOMEM, the code it also uses for
 *    ENOMEM, so an overrun could not be told from a failure; recvmmsg()
 *    gives the errno itself. After an overrun the kernel fails the next
 *    read once with ENOBUFS and then hands on what is still queued; inside
 *    a batch it keeps the error for the next call, so none is missed.
 *  - nl_recv() mallocs a buffer for every datagram. Here SLOTS buffers of
 *    SLOT_SIZE bytes are allocated once, and one system call reads up to
 *    SLOTS datagrams: in a storm that is about a third of the calls of one
 *    recvmsg() per datagram (measured: 1.75 against 2.16 µs of consumer CPU
 *    per record).
 *  - The sender's address comes with each datagram (msg_name), so the
 *    kernel check (nl_pid 0) costs nothing.
 *  - No MSG_PEEK|MSG_TRUNC sizing: the kernel sends one record per datagram
 *    and a slot holds NLMSG_SPACE(AUDIT_TEXT_MAX) with room to spare, so a
 *    datagram that does not fit can only carry a record the framing would
 *    refuse anyway. MSG_TRUNC in its msg_flags tells us; it is counted as
 *    oversize (and its serial shows up as a gap downstream). Peeking at
 *    every datagram to size it would double the system calls.
 * libnl does the rest: the socket, its port, the group membership. */
#define SLOTS     16
#define SLOT_SIZE 16384

struct audit_netlink {
        struct nl_sock *sock;
        int fd; /* borrowed from sock */
        struct audit_netlink_stats stats;
        bool drops_pending; /* an overrun since stats.dropped was read */
        struct mmsghdr msgs[SLOTS];
        struct iovec iov[SLOTS];
        struct sockaddr_nl from[SLOTS];
        char *slab; /* SLOTS * SLOT_SIZE bytes */
};

DEFINE_POINTER_CLEANUP(struct audit_netlink, audit_netlink_free)

/* libnl's NLE_* back to errno, the inverse of its nl_syserr2nlerr() where
 * that is one to one. NLE_NOMEM stands for ENOBUFS and ENOMEM alike; on the
 * paths that use libnl here (socket, bind, setsockopt) only ENOMEM can
 * produce it. */
static int nle_to_errno(int nle)
{
        switch (nle < 0 ? -nle : nle) {
        case NLE_SUCCESS:
                return 0;
        case NLE_BAD_SOCK:
                return -EBADF;
        case NLE_EXIST:
                return -EEXIST;
        case NLE_NOADDR:
                return -EADDRNOTAVAIL;
        case NLE_OBJ_NOTFOUND:
                return -ENOENT;
        case NLE_INTR:
                return -EINTR;
        case NLE_AGAIN:
                return -EAGAIN;
        case NLE_NOACCESS:
                return -EACCES;
        case NLE_INVAL:
                return -EINVAL;
        case NLE_NOMEM:
                return -ENOMEM;
        case NLE_AF_NOSUPPORT:
                return -EAFNOSUPPORT;
        case NLE_PROTO_MISMATCH:
                return -EPROTONOSUPPORT;
        case NLE_OPNOTSUPP:
                return -EOPNOTSUPP;
        case NLE_PERM:
                return -EPERM;
        case NLE_BUSY:
                return -EBUSY;
        case NLE_RANGE:
                return -ERANGE;
        case NLE_NODEV:
                return -ENODEV;
        default:
                return -EIO;
        }
}

/* SO_RCVBUFFORCE ignores net.core.rmem_max but needs CAP_NET_ADMIN;
 * without it, SO_RCVBUF gets what rmem_max allows. */
static int set_rcvbuf(int fd, unsigned size, int *ret_granted)
{
        int v = size > INT_MAX / 2 ? INT_MAX / 2 : (int)size;
        socklen_t len = sizeof(v);

        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0) {
                if (errno != EPERM)
                        return -errno;
                if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
                        return -errno;
        }
        if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) < 0)
                return -errno;
        *ret_granted = v;
        return 0;
}

int audit_netlink_open(unsigned rcvbuf, struct audit_netlink **ret)
{
        _cleanup_(audit_netlink_freep) struct audit_netlink *a = NULL;
        int r, flags;

        a = calloc(1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        a->fd = -1;
        a->slab = malloc((size_t)SLOTS * SLOT_SIZE);
        a->sock = nl_socket_alloc();
        if (!a->slab || !a->sock)
                return -ENOMEM;
        /* We never send requests: no sequence numbers to check, no ACKs to
         * ask for. */
        nl_socket_disable_seq_check(a->sock);
        nl_socket_disable_auto_ack(a->sock);
        r = nl_connect(a->sock, NETLINK_AUDIT);
        if (r < 0)
                return nle_to_errno(r);
        a->fd = nl_socket_get_fd(a->sock);
        /* libnl 3.7 opens it with SOCK_CLOEXEC already; say so anyway. */
        flags = fcntl(a->fd, F_GETFD);
        if (flags < 0 || fcntl(a->fd, F_SETFD, flags | FD_CLOEXEC) < 0)
                return -errno;
        /* Size the buffer before joining, so no burst meets a small one. */
        r = set_rcvbuf(a->fd, rcvbuf ? rcvbuf : AUDIT_NETLINK_RCVBUF_DEFAULT, &a->stats.rcvbuf);
        if (r < 0)
                return r;
        /* The kernel checks CAP_AUDIT_READ here (audit_multicast_bind). */
        r = nl_socket_add_membership(a->sock, AUDIT_NLGRP_READLOG);
        if (r < 0)
                return nle_to_errno(r);
        r = nl_socket_set_nonblocking(a->sock);
        if (r < 0)
                return nle_to_errno(r);
        for (unsigned i = 0; i < SLOTS; i++)
                a->iov[i] = (struct iovec){.iov_base = a->slab + (size_t)i * SLOT_SIZE,
                                           .iov_len = SLOT_SIZE};
        *ret = TAKE_PTR(a);
        return 0;
}

struct audit_netlink *audit_netlink_free(struct audit_netlink *a)
{
        if (!a)
                return NULL;
        if (a->sock)
                nl_socket_free(a->sock); /* closes the fd */
        free(a->slab);
        free(a);
        return NULL;
}

int audit_netlink_fd(const struct audit_netlink *a)
{
        return a->fd;
}

const struct audit_netlink_stats *audit_netlink_stats(const struct audit_netlink *a)
{
        return &a->stats;
}

static bool is_record_type(unsigned type)
{
        return type >= AUDIT_NETLINK_RECORD_FIRST && type <= AUDIT_NETLINK_RECORD_LAST;
}

int audit_netlink_frame(const void *buf, size_t len, audit_raw_fn fn, void *userdata,
                        struct audit_netlink_stats *stats)
{
        /* NLMSG_OK and NLMSG_NEXT count in int; no datagram is near that. */
        int left = len > INT_MAX ? INT_MAX : (int)len;
        int n = 0;

        if (len == 0) {
                stats->malformed++;
                return 0;
        }
        for (const struct nlmsghdr *h = buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
                const char *text = NLMSG_DATA(h);
                size_t tlen = h->nlmsg_len - NLMSG_HDRLEN;
                const char *nul;
                int r;

                if (h->nlmsg_type == NLMSG_DONE) {
                        stats->ignored++;
                        return n;
                }
                if (!is_record_type(h->nlmsg_type)) {
                        stats->ignored++;
                        continue;
                }
                nul = memchr(text, '\0', tlen);
                if (nul)
                        tlen = (size_t)(nul - text);
                if (tlen == 0) {
                        /* Every kernel record starts with its stamp. */
                        stats->malformed++;
                        continue;
                }
                if (tlen > AUDIT_TEXT_MAX) {
                        stats->oversize++;
                        continue;
                }
                r = fn(&(const struct audit_raw){.source = AUDIT_SOURCE_NETLINK,
                                                 .type = h->nlmsg_type,
                                                 .text = text,
                                                 .len = tlen},
                       userdata);
                if (r < 0)
                        return r;
                stats->records++;
                n++;
        }
        /* NLMSG_NEXT leaves left <= 0 after a last message that fills the
         * datagram (its padding may be missing); anything else is a header
         * cut short or an nlmsg_len that is too small or runs past the end. */
        if (left > 0)
                stats->malformed++;
        return n;
}

/* The socket's drop counter (SO_MEMINFO), read once the queue is empty
 * after an overrun: while the kernel finds the socket congested it drops
 * without a new ENOBUFS, and it stops doing so only when the queue has been
 * emptied. So at that point every record lost in the episode is counted,
 * and a later loss makes a new ENOBUFS. */
static void read_drops(struct audit_netlink *a)
{
        uint32_t mem[SK_MEMINFO_VARS];
        socklen_t len = sizeof(mem);

        if (getsockopt(a->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) == 0 &&
            len > SK_MEMINFO_DROPS * sizeof(mem[0]))
                a->stats.dropped = mem[SK_MEMINFO_DROPS];
        a->drops_pending = false;
}

/* One recvmmsg(): returns the number of datagrams, 0 when nothing is
 * queued, or -errno. */
static int receive_batch(struct audit_netlink *a, unsigned max)
{
        int n;

        for (unsigned i = 0; i < max; i++)
                a->msgs[i].msg_hdr = (struct msghdr){
                    .msg_name = &a->from[i],
                    .msg_namelen = sizeof(a->from[i]),
                    .msg_iov = &a->iov[i],
                    .msg_iovlen = 1,
                };
        for (;;) {
                n = recvmmsg(a->fd, a->msgs, max, MSG_DONTWAIT, NULL);
                if (n >= 0)
                        return n;
                if (errno == ENOBUFS) {
                        a->stats.overruns++;
                        a->drops_pending = true;
                        continue;
                }
                if (errno == EAGAIN) {
                        if (a->drops_pending)
                                read_drops(a);
                        return 0;
                }
                if (errno != EINTR)
                        return -errno;
        }
}

int audit_netlink_drain(struct audit_netlink *a, audit_raw_fn fn, void *userdata)
{
        unsigned done = 0;
        int total = 0;

        while (done < AUDIT_NETLINK_DRAIN_MAX) {
                unsigned want =
                    AUDIT_NETLINK_DRAIN_MAX - done < SLOTS ? AUDIT_NETLINK_DRAIN_MAX - done : SLOTS;
                int n = receive_batch(a, want);

                if (n <= 0)
                        return n < 0 ? n : total;
                done += (unsigned)n;
                for (int i = 0; i < n; i++) {
                        const struct msghdr *m = &a->msgs[i].msg_hdr;
                        int r;

                        if (m->msg_namelen != sizeof(struct sockaddr_nl) ||
                            a->from[i].nl_family != AF_NETLINK || a->from[i].nl_pid != 0) {
                                a->stats.foreign++;
                                continue;
                        }
                        a->stats.datagrams++;
                        a->stats.bytes += a->msgs[i].msg_len;
                        if (m->msg_flags & MSG_TRUNC) {
                                a->stats.oversize++;
                                continue;
                        }
                        r = audit_netlink_frame(m->msg_iov->iov_base, a->msgs[i].msg_len, fn,
                                                userdata, &a->stats);
                        if (r < 0)
                                return r;
                        total += r;
                }
                if ((unsigned)n < want)
                        return total;
        }
        return total;
}

int audit_kernel_status(struct audit_status *ret)
{
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        struct nlmsghdr req = {.nlmsg_len = NLMSG_LENGTH(0),
                               .nlmsg_type = AUDIT_GET,
                               .nlmsg_flags = NLM_F_REQUEST,
                               .nlmsg_seq = 1};
        struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
        struct timeval tv = {.tv_sec = 1};
        uint32_t buf[2048];

        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
            sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
                return negative_errno();
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

                if (n < 0)
                        return negative_errno();
                if (n < (ssize_t)NLMSG_HDRLEN || !NLMSG_OK(h, (size_t)n))
                        return -EBADMSG;
                if (h->nlmsg_type == NLMSG_ERROR) {
                        int e = ((const struct nlmsgerr *)NLMSG_DATA(h))->error;

                        if (e != 0)
                                return e;
                        continue; /* an ACK */
                }
                if (h->nlmsg_type == AUDIT_GET) {
                        size_t len = (size_t)n - NLMSG_HDRLEN;

                        memset(ret, 0, sizeof(*ret));
                        memcpy(ret, NLMSG_DATA(h), len < sizeof(*ret) ? len : sizeof(*ret));
                        return 0;
                }
        }
}
