/* SPDX-License-Identifier: MIT */
#include "bpf-eval.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define MEMWORDS BPF_MEMWORDS

/* The opcodes seccomp_check_filter() accepts (after rewriting LEN loads to
 * immediates, which we evaluate directly). */
static bool opcode_allowed(uint16_t code)
{
        switch (code) {
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_LD | BPF_W | BPF_LEN:
        case BPF_LDX | BPF_W | BPF_LEN:
        case BPF_RET | BPF_K:
        case BPF_RET | BPF_A:
        case BPF_ALU | BPF_ADD | BPF_K:
        case BPF_ALU | BPF_ADD | BPF_X:
        case BPF_ALU | BPF_SUB | BPF_K:
        case BPF_ALU | BPF_SUB | BPF_X:
        case BPF_ALU | BPF_MUL | BPF_K:
        case BPF_ALU | BPF_MUL | BPF_X:
        case BPF_ALU | BPF_DIV | BPF_K:
        case BPF_ALU | BPF_DIV | BPF_X:
        case BPF_ALU | BPF_AND | BPF_K:
        case BPF_ALU | BPF_AND | BPF_X:
        case BPF_ALU | BPF_OR | BPF_K:
        case BPF_ALU | BPF_OR | BPF_X:
        case BPF_ALU | BPF_XOR | BPF_K:
        case BPF_ALU | BPF_XOR | BPF_X:
        case BPF_ALU | BPF_LSH | BPF_K:
        case BPF_ALU | BPF_LSH | BPF_X:
        case BPF_ALU | BPF_RSH | BPF_K:
        case BPF_ALU | BPF_RSH | BPF_X:
        case BPF_ALU | BPF_NEG:
        case BPF_LD | BPF_IMM:
        case BPF_LDX | BPF_IMM:
        case BPF_MISC | BPF_TAX:
        case BPF_MISC | BPF_TXA:
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX:
        case BPF_JMP | BPF_JA:
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JEQ | BPF_X:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_X:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_X:
        case BPF_JMP | BPF_JSET | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_X:
                return true;
        default:
                return false;
        }
}

static int fail(const char *why, size_t pc, const char **ret_reason, size_t *ret_pc)
{
        if (ret_reason)
                *ret_reason = why;
        if (ret_pc)
                *ret_pc = pc;
        return -EINVAL;
}

int bpf_prog_check(const struct sock_filter *insns, size_t n, const char **ret_reason,
                   size_t *ret_pc)
{
        /* Memory slots known to be written on every path reaching pc,
         * as in the kernel's check_load_and_stores(). */
        uint16_t masks[BPF_PROG_MAX_INSNS];
        uint16_t memvalid = 0;

        if (n == 0 || n > BPF_PROG_MAX_INSNS)
                return fail("a filter has 1 to 4096 instructions", 0, ret_reason, ret_pc);
        memset(masks, 0xff, n * sizeof(masks[0]));
        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *f = &insns[pc];
                uint16_t code = f->code;

                if (!opcode_allowed(code))
                        return fail("opcode not allowed in seccomp filters", pc, ret_reason,
                                    ret_pc);
                memvalid &= masks[pc];
                switch (code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (f->k >= sizeof(struct seccomp_data) || (f->k & 3))
                                return fail("load outside seccomp_data or unaligned", pc,
                                            ret_reason, ret_pc);
                        break;
                case BPF_ALU | BPF_DIV | BPF_K:
                        if (f->k == 0)
                                return fail("division by zero", pc, ret_reason, ret_pc);
                        break;
                case BPF_ALU | BPF_LSH | BPF_K:
                case BPF_ALU | BPF_RSH | BPF_K:
                        if (f->k >= 32)
                                return fail("shift by 32 or more", pc, ret_reason, ret_pc);
                        break;
                case BPF_LD | BPF_MEM:
                case BPF_LDX | BPF_MEM:
                        if (f->k >= MEMWORDS || !(memvalid & (1u << f->k)))
                                return fail("memory slot read before it is written", pc, ret_reason,
                                            ret_pc);
                        break;
                case BPF_ST:
                case BPF_STX:
                        if (f->k >= MEMWORDS)
                                return fail("memory slot out of range", pc, ret_reason, ret_pc);
                        memvalid |= (uint16_t)(1u << f->k);
                        break;
                case BPF_JMP | BPF_JA:
                        if (f->k >= n - pc - 1)
                                return fail("jump out of the program", pc, ret_reason, ret_pc);
                        masks[pc + 1 + f->k] &= memvalid;
                        memvalid = 0xffff;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                case BPF_JMP | BPF_JEQ | BPF_X:
                case BPF_JMP | BPF_JGE | BPF_K:
                case BPF_JMP | BPF_JGE | BPF_X:
                case BPF_JMP | BPF_JGT | BPF_K:
                case BPF_JMP | BPF_JGT | BPF_X:
                case BPF_JMP | BPF_JSET | BPF_K:
                case BPF_JMP | BPF_JSET | BPF_X:
                        if ((size_t)f->jt >= n - pc - 1 || (size_t)f->jf >= n - pc - 1)
                                return fail("jump out of the program", pc, ret_reason, ret_pc);
                        masks[pc + 1 + f->jt] &= memvalid;
                        masks[pc + 1 + f->jf] &= memvalid;
                        memvalid = 0xffff;
                        break;
                default:
                        break;
                }
        }
        if (BPF_CLASS(insns[n - 1].code) != BPF_RET)
                return fail("the last instruction is not a return", n - 1, ret_reason, ret_pc);
        return 0;
}

int bpf_prog_parse(const void *data, size_t size, struct sock_filter **ret, size_t *ret_n)
{
        struct sock_filter *insns;
        size_t n = size / sizeof(struct sock_filter);

        if (size == 0 || size % sizeof(struct sock_filter) != 0 || n > BPF_PROG_MAX_INSNS)
                return -EINVAL;
        insns = malloc(size);
        if (!insns)
                return -ENOMEM;
        memcpy(insns, data, size);
        if (bpf_prog_check(insns, n, NULL, NULL) < 0) {
                free(insns);
                return -EINVAL;
        }
        *ret = insns;
        *ret_n = n;
        return 0;
}

int bpf_prog_run(const struct sock_filter *insns, size_t n, const struct seccomp_data *d,
                 struct bpf_run *ret)
{
        uint32_t a = 0, x = 0, mem[MEMWORDS] = {0};
        struct bpf_run r = {0};
        size_t pc = 0;

        while (pc < n) {
                const struct sock_filter *f = &insns[pc];
                uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;

                r.steps++;
                switch (f->code) {
                case BPF_LD | BPF_W | BPF_ABS: {
                        uint32_t v;

                        if (f->k >= sizeof(*d) || (f->k & 3))
                                return -EINVAL;
                        memcpy(&v, (const char *)d + f->k, sizeof(v));
                        if (f->k >= offsetof(struct seccomp_data, instruction_pointer))
                                r.used_args = true;
                        a = v;
                        break;
                }
                case BPF_LD | BPF_W | BPF_LEN:
                        a = sizeof(*d);
                        break;
                case BPF_LDX | BPF_W | BPF_LEN:
                        x = sizeof(*d);
                        break;
                case BPF_LD | BPF_IMM:
                        a = f->k;
                        break;
                case BPF_LDX | BPF_IMM:
                        x = f->k;
                        break;
                case BPF_LD | BPF_MEM:
                case BPF_LDX | BPF_MEM:
                        if (f->k >= MEMWORDS)
                                return -EINVAL;
                        if (BPF_CLASS(f->code) == BPF_LD)
                                a = mem[f->k];
                        else
                                x = mem[f->k];
                        break;
                case BPF_ST:
                case BPF_STX:
                        if (f->k >= MEMWORDS)
                                return -EINVAL;
                        mem[f->k] = f->code == BPF_ST ? a : x;
                        break;
                case BPF_MISC | BPF_TAX:
                        x = a;
                        break;
                case BPF_MISC | BPF_TXA:
                        a = x;
                        break;
                case BPF_ALU | BPF_ADD | BPF_K:
                case BPF_ALU | BPF_ADD | BPF_X:
                        a += src;
                        break;
                case BPF_ALU | BPF_SUB | BPF_K:
                case BPF_ALU | BPF_SUB | BPF_X:
                        a -= src;
                        break;
                case BPF_ALU | BPF_MUL | BPF_K:
                case BPF_ALU | BPF_MUL | BPF_X:
                        a *= src;
                        break;
                case BPF_ALU | BPF_DIV | BPF_K:
                case BPF_ALU | BPF_DIV | BPF_X:
                        if (src == 0) {
                                r.ret = 0;
                                *ret = r;
                                return 0;
                        }
                        a /= src;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                case BPF_ALU | BPF_AND | BPF_X:
                        a &= src;
                        break;
                case BPF_ALU | BPF_OR | BPF_K:
                case BPF_ALU | BPF_OR | BPF_X:
                        a |= src;
                        break;
                case BPF_ALU | BPF_XOR | BPF_K:
                case BPF_ALU | BPF_XOR | BPF_X:
                        a ^= src;
                        break;
                case BPF_ALU | BPF_LSH | BPF_K:
                case BPF_ALU | BPF_LSH | BPF_X:
                        /* eBPF (which runs classic filters) masks the shift. */
                        a = src >= 32 ? 0 : a << src;
                        break;
                case BPF_ALU | BPF_RSH | BPF_K:
                case BPF_ALU | BPF_RSH | BPF_X:
                        a = src >= 32 ? 0 : a >> src;
                        break;
                case BPF_ALU | BPF_NEG:
                        a = (uint32_t)-a;
                        break;
                case BPF_JMP | BPF_JA:
                        pc += f->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                case BPF_JMP | BPF_JEQ | BPF_X:
                        pc += a == src ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                case BPF_JMP | BPF_JGE | BPF_X:
                        pc += a >= src ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                case BPF_JMP | BPF_JGT | BPF_X:
                        pc += a > src ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JSET | BPF_K:
                case BPF_JMP | BPF_JSET | BPF_X:
                        pc += (a & src) ? f->jt : f->jf;
                        break;
                case BPF_RET | BPF_K:
                        r.ret = f->k;
                        *ret = r;
                        return 0;
                case BPF_RET | BPF_A:
                        r.ret = a;
                        *ret = r;
                        return 0;
                default:
                        return -EINVAL;
                }
                pc++;
        }
        return -EINVAL;
}
