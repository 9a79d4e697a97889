/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the readback helper's wire format
 * (daemon/readback-proto.h): any bytes as a reply, and as a request. A
 * reply or request that parses must encode back to exactly the same
 * bytes, and a parsed chain must stay within the kernel's limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/readback-proto.h"
#include "posture/bpf-eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct readback_request rq;
        struct readback_reply r;
        uint8_t *buf;
        size_t len, total = 0;

        if (readback_request_parse(data, size, &rq) == 0) {
                uint8_t again[READBACK_REQUEST_SIZE];

                readback_request_encode(&rq, again);
                if (rq.pid <= 0 || memcmp(again, data, READBACK_REQUEST_SIZE) != 0)
                        abort();
        }
        if (readback_reply_parse(data, size, &r) < 0)
                return 0;
        if (r.result > 0 || r.result < READBACK_RESULT_MIN || (r.result < 0 && r.chain.n > 0) ||
            r.chain.n > SECCOMP_CHAIN_MAX_FILTERS)
                abort();
        for (size_t i = 0; i < r.chain.n; i++) {
                if (r.chain.progs[i].n == 0 || r.chain.progs[i].n > BPF_PROG_MAX_INSNS ||
                    bpf_prog_check(r.chain.progs[i].insns, r.chain.progs[i].n, NULL, NULL) < 0)
                        abort();
                total += r.chain.progs[i].n;
        }
        if (total > SECCOMP_CHAIN_MAX_INSNS)
                abort();
        if (readback_reply_encode(r.id, r.result, &r.chain, &buf, &len) < 0)
                abort();
        if (len != size || memcmp(buf, data, size) != 0)
                abort();
        free(buf);
        readback_reply_done(&r);
        return 0;
}
