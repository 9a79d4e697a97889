/* SPDX-License-Identifier: MIT */
#include "namespaces.h"

#include <errno.h>
#include <string.h>

#include "policy/policy.h"
#include "proc-read.h"

static const struct {
        const char *name;
        const char *link; /* path under /proc/PID */
        unsigned policy_bit;
} types[_NS_TYPE_MAX] = {
    [NS_CGROUP] = {"cgroup", "ns/cgroup", POLICY_NS_CGROUP},
    [NS_IPC] = {"ipc", "ns/ipc", POLICY_NS_IPC},
    [NS_MNT] = {"mnt", "ns/mnt", POLICY_NS_MNT},
    [NS_NET] = {"net", "ns/net", POLICY_NS_NET},
    [NS_PID] = {"pid", "ns/pid", POLICY_NS_PID},
    [NS_USER] = {"user", "ns/user", POLICY_NS_USER},
    [NS_UTS] = {"uts", "ns/uts", POLICY_NS_UTS},
};

const char *ns_type_to_string(enum ns_type t)
{
        return t >= 0 && t < _NS_TYPE_MAX ? types[t].name : "unknown";
}

unsigned ns_type_policy_bit(enum ns_type t)
{
        return t >= 0 && t < _NS_TYPE_MAX ? types[t].policy_bit : 0;
}

int ns_link_parse(const char *link, size_t len, enum ns_type type, uint64_t *ret_ino)
{
        size_t n;
        uint64_t v = 0;
        const char *p, *end = link + len;

        if (type < 0 || type >= _NS_TYPE_MAX)
                return -EINVAL;
        n = strlen(types[type].name);
        if (len < n + 4 || memcmp(link, types[type].name, n) != 0 || link[n] != ':' ||
            link[n + 1] != '[' || end[-1] != ']')
                return -EINVAL;
        p = link + n + 2;
        if (p == end - 1)
                return -EINVAL;
        for (; p < end - 1; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                if (v > (UINT64_MAX - 9) / 10)
                        return -EINVAL;
                v = v * 10 + (uint64_t)(*p - '0');
        }
        if (v == 0)
                return -EINVAL;
        *ret_ino = v;
        return 0;
}

int ns_read(int pid_fd, enum ns_type type, uint64_t *ret_ino)
{
        char buf[64];
        int r;

        if (type < 0 || type >= _NS_TYPE_MAX)
                return -EINVAL;
        r = proc_readlink_at(pid_fd, types[type].link, buf, sizeof(buf));
        if (r < 0)
                return r;
        return ns_link_parse(buf, (size_t)r, type, ret_ino);
}

unsigned ns_set_shared(const struct ns_set *a, const struct ns_set *b)
{
        unsigned shared = 0;

        for (int t = 0; t < _NS_TYPE_MAX; t++)
                if ((a->known & b->known & (1u << t)) && a->ino[t] == b->ino[t])
                        shared |= 1u << t;
        return shared;
}
