/* SPDX-License-Identifier: MIT */
#include "readback-proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "posture/bpf-eval.h"

static uint32_t get_u32(const uint8_t *p)
{
        uint32_t v;

        memcpy(&v, p, sizeof(v));
        return v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
        memcpy(p, &v, sizeof(v));
}

void readback_request_encode(const struct readback_request *rq, uint8_t buf[READBACK_REQUEST_SIZE])
{
        int32_t pid = (int32_t)rq->pid;

        put_u32(buf, READBACK_REQUEST_MAGIC);
        put_u32(buf + 4, rq->id);
        memcpy(buf + 8, &pid, sizeof(pid));
        put_u32(buf + 12, 0);
        memcpy(buf + 16, &rq->start_time, sizeof(rq->start_time));
}

int readback_request_parse(const void *buf, size_t len, struct readback_request *ret)
{
        const uint8_t *p = buf;
        uint64_t start;
        int32_t pid;

        if (len != READBACK_REQUEST_SIZE || get_u32(p) != READBACK_REQUEST_MAGIC ||
            get_u32(p + 12) != 0)
                return -EBADMSG;
        memcpy(&pid, p + 8, sizeof(pid));
        if (pid <= 0)
                return -EBADMSG;
        memcpy(&start, p + 16, sizeof(start));
        *ret = (struct readback_request){.id = get_u32(p + 4), .pid = pid, .start_time = start};
        return 0;
}

int readback_reply_encode(uint32_t id, int result, const struct seccomp_chain *chain,
                          uint8_t **ret_buf, size_t *ret_len)
{
        size_t n = 0, total = 0, len, off;
        uint8_t *buf;
        int32_t res = result;

        if (result > 0 || result < READBACK_RESULT_MIN)
                return -EINVAL;
        if (result == 0 && chain) {
                n = chain->n;
                if (n > SECCOMP_CHAIN_MAX_FILTERS)
                        return -E2BIG;
                for (size_t i = 0; i < n; i++) {
                        if (chain->progs[i].n == 0 || chain->progs[i].n > BPF_PROG_MAX_INSNS)
                                return -E2BIG;
                        total += chain->progs[i].n;
                }
                if (total > SECCOMP_CHAIN_MAX_INSNS)
                        return -E2BIG;
        }
        len = READBACK_REPLY_HEADER_SIZE + 4 * n + sizeof(struct sock_filter) * total;
        buf = malloc(len);
        if (!buf)
                return -ENOMEM;
        put_u32(buf, READBACK_REPLY_MAGIC);
        put_u32(buf + 4, id);
        memcpy(buf + 8, &res, sizeof(res));
        put_u32(buf + 12, (uint32_t)n);
        off = READBACK_REPLY_HEADER_SIZE;
        for (size_t i = 0; i < n; i++, off += 4)
                put_u32(buf + off, (uint32_t)chain->progs[i].n);
        for (size_t i = 0; i < n; i++) {
                size_t bytes = sizeof(struct sock_filter) * chain->progs[i].n;

                memcpy(buf + off, chain->progs[i].insns, bytes);
                off += bytes;
        }
        *ret_buf = buf;
        *ret_len = len;
        return 0;
}

/* The counts, checked before any instruction is looked at: each in range,
 * their sum bounded, and the message exactly as long as they say. */
static int check_counts(const uint8_t *p, size_t len, uint32_t n)
{
        size_t total = 0;

        if (n > SECCOMP_CHAIN_MAX_FILTERS || len < READBACK_REPLY_HEADER_SIZE + 4 * (size_t)n)
                return -EBADMSG;
        for (uint32_t i = 0; i < n; i++) {
                uint32_t c = get_u32(p + READBACK_REPLY_HEADER_SIZE + 4 * (size_t)i);

                if (c == 0 || c > BPF_PROG_MAX_INSNS)
                        return -EBADMSG;
                total += c;
                if (total > SECCOMP_CHAIN_MAX_INSNS)
                        return -EBADMSG;
        }
        if (len != READBACK_REPLY_HEADER_SIZE + 4 * (size_t)n + sizeof(struct sock_filter) * total)
                return -EBADMSG;
        return 0;
}

int readback_reply_parse(const void *buf, size_t len, struct readback_reply *ret)
{
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct seccomp_chain chain = {0};
        const uint8_t *p = buf, *at;
        int32_t result;
        uint32_t n;
        int r;

        if (len < READBACK_REPLY_HEADER_SIZE || get_u32(p) != READBACK_REPLY_MAGIC)
                return -EBADMSG;
        memcpy(&result, p + 8, sizeof(result));
        n = get_u32(p + 12);
        if (result > 0 || result < READBACK_RESULT_MIN)
                return -EBADMSG;
        if (result < 0 && (n != 0 || len != READBACK_REPLY_HEADER_SIZE))
                return -EBADMSG;
        r = check_counts(p, len, n);
        if (r < 0)
                return r;
        if (n > 0) {
                /* The bytes may sit at any alignment: copy each filter out. */
                insns = malloc(sizeof(*insns) * BPF_PROG_MAX_INSNS);
                if (!insns)
                        return -ENOMEM;
        }
        at = p + READBACK_REPLY_HEADER_SIZE + 4 * (size_t)n;
        for (uint32_t i = 0; i < n; i++) {
                uint32_t c = get_u32(p + READBACK_REPLY_HEADER_SIZE + 4 * (size_t)i);

                memcpy(insns, at, sizeof(*insns) * c);
                at += sizeof(*insns) * c;
                /* The same checks the kernel made when the filter was
                 * loaded: nothing else can be a filter read back. */
                r = seccomp_chain_add(&chain, insns, c);
                if (r < 0) {
                        seccomp_chain_done(&chain);
                        return r == -ENOMEM ? r : -EBADMSG;
                }
        }
        *ret = (struct readback_reply){.id = get_u32(p + 4), .result = result, .chain = chain};
        return 0;
}

void readback_reply_done(struct readback_reply *r)
{
        seccomp_chain_done(&r->chain);
}
