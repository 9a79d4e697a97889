/* SPDX-License-Identifier: MIT */
/* Namespace identity from /proc/PID/ns/<type> links ("net:[4026531840]"),
 * compared with the host's to find workloads that share a host namespace. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ns_type {
        NS_CGROUP,
        NS_IPC,
        NS_MNT,
        NS_NET,
        NS_PID,
        NS_USER,
        NS_UTS,
        _NS_TYPE_MAX,
};

struct ns_set {
        uint64_t ino[_NS_TYPE_MAX];
        unsigned known; /* 1u << ns_type for every inode read */
};

/* "net", "mnt"... */
const char *ns_type_to_string(enum ns_type t);
/* The POLICY_NS_* bit of policy.h for t. */
unsigned ns_type_policy_bit(enum ns_type t);

/* Parses a link target "TYPE:[INODE]" for the expected type. Returns 0 or
 * -EINVAL. A pure function. */
int ns_link_parse(const char *link, size_t len, enum ns_type type, uint64_t *ret_ino);

/* Reads ns/<type> of an open /proc/PID directory. */
int ns_read(int pid_fd, enum ns_type type, uint64_t *ret_ino);

/* Bits (1u << ns_type) of the namespaces known in both sets with equal
 * inodes. */
unsigned ns_set_shared(const struct ns_set *a, const struct ns_set *b);
