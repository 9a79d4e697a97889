/* SPDX-License-Identifier: MIT */
/* The messages between hardend and its readback helper, over a
 * SOCK_SEQPACKET socketpair (one message per request or reply, so a reply
 * is never read half). Both ends are the same binary on the same machine:
 * integers are in native byte order, and every field has a fixed place.
 *
 * Request, exactly 24 bytes:
 *    0  u32  magic  READBACK_REQUEST_MAGIC
 *    4  u32  id     chosen by the daemon, never 0; echoed in the reply
 *    8  i32  pid    > 0
 *   12  u32  flags  0 (anything else is refused)
 *   16  u64  start_time  of pid, as /proc/PID/stat field 22 says
 *
 * Reply, 16 bytes of header, then the chain:
 *    0  u32  magic      READBACK_REPLY_MAGIC
 *    4  u32  id         the request's; 0 for the hello sent at start-up and
 *                       for a reply to a request that could not be parsed
 *    8  i32  result     0, or -errno as seccomp_readback() returns it
 *   12  u32  n_filters  0..SECCOMP_CHAIN_MAX_FILTERS; 0 when result < 0
 *   16  u32  counts[n_filters]  instructions of each filter, 1..BPF_MAXINSNS
 *       ...  struct sock_filter insns[sum of counts]  (8 bytes each: u16
 *            code, u8 jt, u8 jf, u32 k), filter after filter, the most
 *            recent first (PTRACE_SECCOMP_GET_FILTER's index order)
 * The sum of counts is at most SECCOMP_CHAIN_MAX_INSNS and the message is
 * exactly 16 + 4 * n_filters + 8 * sum bytes. Every filter must pass the
 * same checks the kernel made (bpf_prog_check()).
 *
 * The parsers are pure functions of outside bytes (a reply may come from a
 * compromised helper, a request from a compromised daemon): bounded,
 * fuzzed (tests/fuzz/fuzz-readback-reply.c). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "posture/seccomp-decode.h"

#define READBACK_REQUEST_MAGIC     0x31515248u /* "HRQ1" in little-endian memory */
#define READBACK_REPLY_MAGIC       0x31525248u /* "HRR1" */
#define READBACK_REQUEST_SIZE      24u
#define READBACK_REPLY_HEADER_SIZE 16u
#define READBACK_REPLY_MAX                                                                         \
        (READBACK_REPLY_HEADER_SIZE + 4u * SECCOMP_CHAIN_MAX_FILTERS + 8u * SECCOMP_CHAIN_MAX_INSNS)
/* Results are -errno: the kernel's errno values stay below 4096. */
#define READBACK_RESULT_MIN (-4095)

struct readback_request {
        uint32_t id;
        pid_t pid;
        uint64_t start_time;
};

struct readback_reply {
        uint32_t id;
        int result;
        struct seccomp_chain chain; /* owned; empty when result < 0 */
};

void readback_request_encode(const struct readback_request *rq, uint8_t buf[READBACK_REQUEST_SIZE]);
/* Returns 0 or -EBADMSG (wrong size, magic or flags, pid <= 0). */
int readback_request_parse(const void *buf, size_t len, struct readback_request *ret);

/* A reply; chain may be NULL (or is ignored) when result < 0. *ret_buf is
 * malloc'd. Returns 0, -EINVAL (result out of range), -E2BIG (chain over
 * the limits), -ENOMEM. */
int readback_reply_encode(uint32_t id, int result, const struct seccomp_chain *chain,
                          uint8_t **ret_buf, size_t *ret_len);
/* Returns 0, -EBADMSG (anything out of the format above), -ENOMEM. */
int readback_reply_parse(const void *buf, size_t len, struct readback_reply *ret);
void readback_reply_done(struct readback_reply *r);
