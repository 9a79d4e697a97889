/* SPDX-License-Identifier: MIT */
/* The live kernel audit stream: a NETLINK_AUDIT socket (libnl) bound to
 * the read-only multicast group AUDIT_NLGRP_READLOG. It coexists with
 * auditd and journald and needs CAP_AUDIT_READ (not CAP_AUDIT_CONTROL):
 * without it joining the group fails with EPERM (measured on 6.18, for a
 * root process without the capability and for uid nobody alike).
 *
 * Only messages from the kernel (nl_pid 0) are accepted: a process with
 * CAP_NET_ADMIN can unicast to our port or multicast to the group itself
 * (measured), and its datagrams are counted as foreign and dropped. The
 * receive buffer is forced large (SO_RCVBUFFORCE) for bursts; when the
 * kernel still overflows it, it drops records for us and the next read
 * fails with ENOBUFS: each such overrun is counted and reading goes on.
 * An overrun is one episode, not one record: the kernel reports ENOBUFS
 * once per episode however many records it dropped. The records lost are
 * counted twice over, independently: by the socket's own drop counter
 * (SO_MEMINFO, read after each overrun) and by the serial tracker
 * (audit-serial.h), downstream, where every source's records meet. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit-source.h"

#define AUDIT_NETLINK_RCVBUF_DEFAULT (8u * 1024u * 1024u)
/* Datagrams read per audit_netlink_drain() call at most, so that a storm
 * cannot keep one call (and the caller's event loop) busy for ever: the
 * fd stays readable and the next call goes on. */
#define AUDIT_NETLINK_DRAIN_MAX 4096u

struct audit_netlink;

struct audit_netlink_stats {
        uint64_t datagrams; /* from the kernel */
        uint64_t records;   /* handed to the callback */
        uint64_t bytes;     /* of the kernel's datagrams */
        uint64_t overruns;  /* ENOBUFS: the kernel dropped records for us */
        uint64_t dropped;   /* records it dropped (SO_MEMINFO), as of the
                               last overrun's end (when the queue was empty
                               again); 0 when there was none */
        uint64_t foreign;   /* datagrams not from the kernel: ignored */
        uint64_t malformed; /* bad netlink framing, empty records: ignored */
        uint64_t ignored;   /* well-formed messages that are no audit record
                               (NOOP, DONE, ERROR, audit control types) */
        uint64_t oversize;  /* records over AUDIT_TEXT_MAX: refused */
        int rcvbuf;         /* the receive buffer the kernel granted (SO_RCVBUF) */
};

/* Opens and binds the socket (non-blocking, close-on-exec). rcvbuf 0 means
 * AUDIT_NETLINK_RCVBUF_DEFAULT; without CAP_NET_ADMIN the kernel caps it at
 * net.core.rmem_max. Returns 0, -EPERM without CAP_AUDIT_READ,
 * -EPROTONOSUPPORT without audit in the kernel, -errno. */
int audit_netlink_open(unsigned rcvbuf, struct audit_netlink **ret);
struct audit_netlink *audit_netlink_free(struct audit_netlink *a);
/* For poll()/sd-event: readable when records are queued. */
int audit_netlink_fd(const struct audit_netlink *a);
/* Reads the datagrams queued now (never blocks; at most
 * AUDIT_NETLINK_DRAIN_MAX of them) and calls fn for each audit record in
 * them, with the type from the netlink header and the payload as text.
 * Returns the number of records, or -errno (a callback's error included:
 * the rest of that datagram is not handed on); ENOBUFS is counted, not
 * returned. */
int audit_netlink_drain(struct audit_netlink *a, audit_raw_fn fn, void *userdata);
const struct audit_netlink_stats *audit_netlink_stats(const struct audit_netlink *a);

/* The kernel's audit status (AUDIT_GET on a unicast socket; needs
 * CAP_AUDIT_CONTROL): among others `lost`, the records the kernel dropped
 * before any listener saw them (backlog full), which no listener can count
 * itself. Returns 0, or -errno (-EPERM without the capability). */
struct audit_status;
int audit_kernel_status(struct audit_status *ret);

/* Audit record types: 1100..2999 (linux/audit.h). 1000..1099 are requests
 * and replies of the control protocol, never records. */
#define AUDIT_NETLINK_RECORD_FIRST 1100u
#define AUDIT_NETLINK_RECORD_LAST  2999u

/* The framing of one datagram, a pure function of its bytes: walks the
 * netlink messages (NLMSG_OK / NLMSG_NEXT) and calls fn for each audit
 * record (source AUDIT_SOURCE_NETLINK, type from the header). The record's
 * text is its payload up to the first NUL if there is one (the kernel sends
 * none: the text simply ends with the payload). Skipped and counted in
 * stats: NOOP, ERROR and control messages (ignored; DONE ends the
 * datagram), empty payloads and anything that does not frame (malformed;
 * framing stops there), records over AUDIT_TEXT_MAX (oversize). Only the
 * counters records, ignored, malformed and oversize are touched. Returns
 * the number of records handed on, or the first negative return of fn
 * (framing stops there). */
int audit_netlink_frame(const void *buf, size_t len, audit_raw_fn fn, void *userdata,
                        struct audit_netlink_stats *stats);
