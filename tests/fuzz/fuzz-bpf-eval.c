/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the classic-BPF evaluator: bytes as a filter
 * (struct sock_filter[]), checked as the kernel checks seccomp filters,
 * then run; a program that passes the check must run to a return. */
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/bpf-eval.h"
#include "posture/seccomp-decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct sock_filter *insns;
        struct seccomp_chain chain = {0};
        size_t n;

        if (size < 1)
                return 0;
        if (bpf_prog_parse(data + 1, size - 1, &insns, &n) < 0)
                return 0;
        for (int i = 0; i < 8; i++) {
                struct seccomp_data d = {.nr = i * 37, .arch = SCMP_ARCH_X86_64};
                struct bpf_run r;

                d.args[i % 6] = (uint64_t)data[0] << (i * 4);
                if (bpf_prog_run(insns, n, &d, &r) < 0 || r.steps == 0 || r.steps > n)
                        abort();
        }
        if (seccomp_chain_add(&chain, insns, n) < 0)
                abort();
        /* Decoding a whole architecture is slow: only now and then. */
        if ((data[0] & 15) == 0) {
                struct seccomp_decoded d;
                size_t total = 0;

                if (seccomp_decode(&chain, SCMP_ARCH_X86_64, &d) < 0)
                        abort();
                for (int v = 0; v < _SECCOMP_VERDICT_MAX; v++)
                        total += d.counts[v];
                if (total != d.n)
                        abort();
                seccomp_decoded_done(&d);
        }
        seccomp_chain_done(&chain);
        free(insns);
        return 0;
}
