/* SPDX-License-Identifier: MIT */
#include "peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "base/macro.h"

void peer_done(struct peer *p)
{
        if (!p)
                return;
        free(p->groups);
        p->groups = NULL;
        p->n_groups = 0;
}

static int peer_groups(int fd, gid_t **ret, size_t *ret_n)
{
        /* Most peers have a handful of groups: one try usually does. */
        socklen_t len = 32 * sizeof(gid_t);

        for (int attempt = 0; attempt < 4; attempt++) {
                _cleanup_free_ gid_t *g = malloc(len ? len : sizeof(gid_t));
                socklen_t got = len;

                if (!g)
                        return -ENOMEM;
                if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &got) == 0) {
                        *ret_n = got / sizeof(gid_t);
                        *ret = TAKE_PTR(g);
                        return 0;
                }
                /* ERANGE: got now holds the size needed. */
                if (errno != ERANGE)
                        return -errno;
                if (got / sizeof(gid_t) > PEER_GROUPS_MAX)
                        return -E2BIG;
                len = got;
        }
        /* The peer's groups cannot change after connect(); a size that
         * keeps moving means something is wrong. */
        return -EAGAIN;
}

int peer_from_socket(int fd, struct peer *ret)
{
        struct ucred cred;
        socklen_t len = sizeof(cred);
        struct peer p = {0};
        int r;

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return -errno;
        if (len != sizeof(cred))
                return -EIO;
        p.uid = cred.uid;
        p.gid = cred.gid;
        p.pid = cred.pid;
        r = peer_groups(fd, &p.groups, &p.n_groups);
        if (r < 0)
                return r;
        *ret = p;
        return 0;
}

bool peer_in_group(const struct peer *p, gid_t gid)
{
        if (p->gid == gid)
                return true;
        for (size_t i = 0; i < p->n_groups; i++)
                if (p->groups[i] == gid)
                        return true;
        return false;
}

bool peer_allowed(const struct peer *p, enum protocol_verb verb, gid_t read_group)
{
        if (p->uid == 0)
                return true;
        if (read_group == PEER_GROUP_NONE)
                return false;
        return protocol_verb_is_read_only(verb) && peer_in_group(p, read_group);
}

void peer_refusal_message(const struct peer *p, enum protocol_verb verb, gid_t read_group,
                          char *buf, size_t size)
{
        const char *v = protocol_verb_to_string(verb);

        if (read_group == PEER_GROUP_NONE)
                (void)snprintf(buf, size, "uid %u may not use '%s': only root may use this socket",
                               (unsigned)p->uid, v ? v : "?");
        else
                (void)snprintf(buf, size,
                               "uid %u may not use '%s': root may use every verb, members of gid "
                               "%u only status, events, check",
                               (unsigned)p->uid, v ? v : "?", (unsigned)read_group);
}
