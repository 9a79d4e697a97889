/* SPDX-License-Identifier: MIT */
/* Who is on the other end of the control socket, and what they may ask.
 * Credentials come from the kernel, captured when the peer called
 * connect(): SO_PEERCRED (uid, gid, pid) and SO_PEERGROUPS (supplementary
 * groups, Linux >= 4.13). Neither reads /proc, so a peer that exits and
 * whose pid is reused cannot lend us someone else's groups. Never logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "protocol.h"

/* Upper bound on supplementary groups kept (the kernel's NGROUPS_MAX). */
#define PEER_GROUPS_MAX 65536u
/* "No read group configured": only root may use the socket. */
#define PEER_GROUP_NONE ((gid_t)-1)

struct peer {
        uid_t uid;
        gid_t gid;
        /* At connect() time; for the change log only, never for decisions. */
        pid_t pid;
        gid_t *groups; /* owned */
        size_t n_groups;
};

void peer_done(struct peer *p);

/* Reads the credentials of a connected AF_UNIX stream socket's peer.
 * -errno from getsockopt (ENOTSOCK, ENOPROTOOPT on kernels without
 * SO_PEERGROUPS), -E2BIG past PEER_GROUPS_MAX, -ENOMEM. */
int peer_from_socket(int fd, struct peer *ret);

/* True when p's primary or a supplementary group is gid. */
bool peer_in_group(const struct peer *p, gid_t gid);

/* root (uid 0) may use every verb; members of read_group (primary or
 * supplementary, unless PEER_GROUP_NONE) the read-only verbs (status,
 * events, check); everyone else nothing. */
bool peer_allowed(const struct peer *p, enum protocol_verb verb, gid_t read_group);

/* Message for a refused peer, e.g. "uid 1000 may not use 'enforce': only
 * root may; members of gid 998 may use status, events, check". */
void peer_refusal_message(const struct peer *p, enum protocol_verb verb, gid_t read_group,
                          char *buf, size_t size);
