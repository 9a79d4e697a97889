/* SPDX-License-Identifier: MIT */
/* The exported BPF program (<svc>.bpf) run in a small classic-BPF
 * interpreter, one seccomp_data at a time: every architecture the filter
 * covers is checked on every machine, the ones this kernel cannot run
 * (aarch64, and x86 where the hypervisor has no int $0x80) included. The
 * live suite checks the same rules against the kernel itself. */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/fileio.h"
#include "seccomp-helpers.h"
#include "seccomp/seccomp-generate.h"
#include "testing.h"

/* Runs a seccomp cBPF program over d: the instruction set the kernel's
 * seccomp_check_filter() accepts. Unknown opcodes fail the test. */
static uint32_t bpf_run(const struct sock_filter *prog, size_t n, const struct seccomp_data *d)
{
        uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};

        for (size_t pc = 0; pc < n; pc++) {
                const struct sock_filter *f = &prog[pc];

                switch (f->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        ck_assert(f->k % 4 == 0 && f->k + 4 <= sizeof(*d));
                        memcpy(&A, (const char *)d + f->k, 4);
                        break;
                case BPF_LD | BPF_W | BPF_LEN:
                        A = sizeof(*d);
                        break;
                case BPF_LDX | BPF_W | BPF_LEN:
                        X = sizeof(*d);
                        break;
                case BPF_LD | BPF_IMM:
                        A = f->k;
                        break;
                case BPF_LDX | BPF_IMM:
                        X = f->k;
                        break;
                case BPF_LD | BPF_MEM:
                        ck_assert_uint_lt(f->k, BPF_MEMWORDS);
                        A = M[f->k];
                        break;
                case BPF_LDX | BPF_MEM:
                        ck_assert_uint_lt(f->k, BPF_MEMWORDS);
                        X = M[f->k];
                        break;
                case BPF_ST:
                        ck_assert_uint_lt(f->k, BPF_MEMWORDS);
                        M[f->k] = A;
                        break;
                case BPF_STX:
                        ck_assert_uint_lt(f->k, BPF_MEMWORDS);
                        M[f->k] = X;
                        break;
                case BPF_ALU | BPF_ADD | BPF_K:
                        A += f->k;
                        break;
                case BPF_ALU | BPF_SUB | BPF_K:
                        A -= f->k;
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        A &= f->k;
                        break;
                case BPF_ALU | BPF_OR | BPF_K:
                        A |= f->k;
                        break;
                case BPF_ALU | BPF_LSH | BPF_K:
                        A <<= f->k;
                        break;
                case BPF_ALU | BPF_RSH | BPF_K:
                        A >>= f->k;
                        break;
                case BPF_ALU | BPF_AND | BPF_X:
                        A &= X;
                        break;
                case BPF_ALU | BPF_NEG:
                        A = -A;
                        break;
                case BPF_MISC | BPF_TAX:
                        X = A;
                        break;
                case BPF_MISC | BPF_TXA:
                        A = X;
                        break;
                case BPF_JMP | BPF_JA:
                        pc += f->k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += A == f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                        pc += A > f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                        pc += A >= f->k ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JSET | BPF_K:
                        pc += (A & f->k) ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_X:
                        pc += A == X ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_X:
                        pc += A > X ? f->jt : f->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_X:
                        pc += A >= X ? f->jt : f->jf;
                        break;
                case BPF_RET | BPF_K:
                        return f->k;
                case BPF_RET | BPF_A:
                        return A;
                default:
                        ck_abort_msg("unexpected BPF opcode 0x%x at %zu", f->code, pc);
                }
        }
        ck_abort_msg("the program ran off its end");
        return 0;
}

struct program {
        struct sock_filter *insns;
        size_t n;
};

static struct program export_program(const char *yaml, enum policy_mode mode)
{
        _cleanup_policy_ struct policy *p = stest_policy(yaml);
        struct seccomp_generate_options o = {.mode = mode};
        struct seccomp_artifacts a;
        struct seccomp_error err;
        struct program prog;

        ck_assert_msg(seccomp_generate(p, NULL, &o, &err, &a) == 0, "%s", err.text);
        ck_assert_uint_eq(a.bpf_size % sizeof(struct sock_filter), 0);
        prog.n = a.bpf_size / sizeof(struct sock_filter);
        /* The kernel's limit (BPF_MAXINSNS) applies to each program. */
        ck_assert_uint_le(prog.n, BPF_MAXINSNS);
        prog.insns = malloc(a.bpf_size);
        ck_assert_ptr_nonnull(prog.insns);
        memcpy(prog.insns, a.bpf, a.bpf_size);
        seccomp_artifacts_done(&a);
        return prog;
}

#define ALLOW  SCMP_ACT_ALLOW
#define LOG    SCMP_ACT_LOG
#define ERR(e) (SCMP_ACT_ERRNO(e))
#define KILLP  SCMP_ACT_KILL_PROCESS

struct call {
        uint32_t arch;    /* SCMP_ARCH_* (= AUDIT_ARCH_*) */
        const char *name; /* resolved on arch by libseccomp */
        long nr;          /* used when name is NULL */
        uint64_t args[6];
        uint32_t expect;
};

static void check_calls(const char *yaml, enum policy_mode mode, const struct call *calls, size_t n)
{
        struct program prog = export_program(yaml, mode);

        for (size_t i = 0; i < n; i++) {
                /* x32 is libseccomp's own token: the kernel reports x32
                 * calls as x86_64 ones with bit 30 in the number. */
                struct seccomp_data d = {.arch = calls[i].arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64
                                                                                : calls[i].arch};
                uint32_t got;

                if (calls[i].name) {
                        int nr = seccomp_syscall_resolve_name_arch(calls[i].arch, calls[i].name);

                        ck_assert_msg(nr >= 0, "%s is no syscall on arch 0x%x", calls[i].name,
                                      calls[i].arch);
                        d.nr = nr;
                } else
                        d.nr = (int)calls[i].nr;
                memcpy(d.args, calls[i].args, sizeof(d.args));
                got = bpf_run(prog.insns, prog.n, &d);
                ck_assert_msg(got == calls[i].expect,
                              "call %zu (%s, arch 0x%x): returned 0x%x, expected 0x%x", i,
                              calls[i].name ? calls[i].name : "nr", calls[i].arch, got,
                              calls[i].expect);
        }
        free(prog.insns);
}

static const char sim_policy[] = "service: sim\n"
                                 "match: {units: [sim.service]}\n"
                                 "seccomp:\n"
                                 "  base: \"@default\"\n"
                                 "  architectures: [x86_64, x86, x32, aarch64]\n"
                                 "  errno: EOWNERDEAD\n"
                                 "  allow: [\"@basic-io\", \"@network-io\"]\n"
                                 "  deny:\n"
                                 "    - {syscall: getpgid, errno: ENOTBLK}\n"
                                 "    - {syscall: connect, errno: ENETDOWN}\n"
                                 "  conditions:\n"
                                 "    - {syscall: socket, arg: 0, in: [AF_UNIX, AF_INET]}\n";

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl): libseccomp
 * names the direct socket calls by pseudo numbers on x86. x32 numbers have
 * bit 30 set. */
#define X86_SOCKETCALL  102
#define X86_SOCKET      359
#define X86_CONNECT     362
#define X86_GETSOCKNAME 367

START_TEST(test_sim_enforce)
{
        const uint32_t E = ERR(EOWNERDEAD);
        const struct call calls[] = {
            /* x86_64 */
            {SCMP_ARCH_X86_64, "getppid", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, "sysinfo", 0, {0}, E},
            {SCMP_ARCH_X86_64, "getpgid", 0, {0}, ERR(ENOTBLK)},
            {SCMP_ARCH_X86_64, "connect", 0, {0}, ERR(ENETDOWN)},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_INET, SOCK_STREAM}, ALLOW},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_UNIX}, ALLOW},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_NETLINK}, E},
            /* garbage in the upper half does not pass for AF_INET */
            {SCMP_ARCH_X86_64, "socket", 0, {(1ull << 32) | AF_INET}, E},
            {SCMP_ARCH_X86_64, "exit_group", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, NULL, 0x40000000 | 39 /* x32 getpid */, {0}, ALLOW},
            /* x86 (i386): socket carries an argument check, which x86
             * cannot enforce through socketcall: refused there, both
             * ways; the other calls reach socketcall by libseccomp's
             * tie, with their own rules. */
            {SCMP_ARCH_X86, "getppid", 0, {0}, ALLOW},
            {SCMP_ARCH_X86, "sysinfo", 0, {0}, E},
            {SCMP_ARCH_X86, NULL, X86_SOCKET, {AF_INET}, E},
            {SCMP_ARCH_X86, NULL, X86_SOCKET, {AF_NETLINK}, E},
            {SCMP_ARCH_X86, NULL, X86_CONNECT, {0}, ERR(ENETDOWN)},
            {SCMP_ARCH_X86, NULL, X86_GETSOCKNAME, {0}, ALLOW},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {1 /* SYS_SOCKET */, 0x10000}, E},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {3 /* SYS_CONNECT */}, ERR(ENETDOWN)},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {6 /* SYS_GETSOCKNAME */}, ALLOW},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {9 /* SYS_SEND: sendto */}, ALLOW},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {10 /* SYS_RECV: recvfrom */}, ALLOW},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {20 /* SYS_SENDMMSG */}, ALLOW},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {21 /* none */}, E},
            /* x32 */
            {SCMP_ARCH_X32, "getppid", 0, {0}, ALLOW},
            {SCMP_ARCH_X32, "sysinfo", 0, {0}, E},
            {SCMP_ARCH_X32, "socket", 0, {AF_INET}, ALLOW},
            {SCMP_ARCH_X32, "socket", 0, {AF_NETLINK}, E},
            /* aarch64: generated, never run here */
            {SCMP_ARCH_AARCH64, "getppid", 0, {0}, ALLOW},
            {SCMP_ARCH_AARCH64, "sysinfo", 0, {0}, E},
            {SCMP_ARCH_AARCH64, "getpgid", 0, {0}, ERR(ENOTBLK)},
            {SCMP_ARCH_AARCH64, "socket", 0, {AF_INET}, ALLOW},
            {SCMP_ARCH_AARCH64, "socket", 0, {AF_NETLINK}, E},
            /* an architecture the policy does not name */
            {SCMP_ARCH_S390X, NULL, 20, {0}, E},
        };

        check_calls(sim_policy, POLICY_MODE_ENFORCE, calls, ELEMENTSOF(calls));
}
END_TEST

START_TEST(test_sim_monitor)
{
        const struct call calls[] = {
            {SCMP_ARCH_X86_64, "getppid", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, "sysinfo", 0, {0}, LOG},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_NETLINK}, LOG},
            {SCMP_ARCH_X86, NULL, X86_SOCKET, {AF_INET}, LOG},
            {SCMP_ARCH_X86_64, "getpgid", 0, {0}, ERR(ENOTBLK)},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {1}, LOG},
            {SCMP_ARCH_AARCH64, "sysinfo", 0, {0}, LOG},
            {SCMP_ARCH_S390X, NULL, 20, {0}, LOG},
        };

        check_calls(sim_policy, POLICY_MODE_MONITOR, calls, ELEMENTSOF(calls));
}
END_TEST

/* The shipped api profile in enforce mode: what a network server needs,
 * none of what an escape needs. */
START_TEST(test_sim_api)
{
        _cleanup_free_ char *api = NULL;
        size_t size;
        const uint32_t P = ERR(EPERM);
        const struct call calls[] = {
            {SCMP_ARCH_X86_64, "accept4", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, "epoll_wait", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_INET6, SOCK_STREAM}, ALLOW},
            {SCMP_ARCH_X86_64, "socket", 0, {AF_PACKET, SOCK_RAW}, P},
            {SCMP_ARCH_X86_64, "clone", 0, {SIGCHLD}, ALLOW},
            {SCMP_ARCH_X86_64, "clone", 0, {CLONE_VM | CLONE_THREAD | CLONE_SIGHAND}, ALLOW},
            {SCMP_ARCH_X86_64, "clone", 0, {CLONE_NEWUSER | SIGCHLD}, P},
            {SCMP_ARCH_X86_64, "clone", 0, {CLONE_NEWNET}, P},
            {SCMP_ARCH_X86_64, "clone3", 0, {0}, ERR(ENOSYS)},
            {SCMP_ARCH_X86_64, "unshare", 0, {CLONE_NEWUSER}, P},
            {SCMP_ARCH_X86_64, "setns", 0, {0}, P},
            {SCMP_ARCH_X86_64, "mount", 0, {0}, P},
            {SCMP_ARCH_X86_64, "ptrace", 0, {0}, P},
            {SCMP_ARCH_X86_64, "kexec_load", 0, {0}, P},
            {SCMP_ARCH_X86_64, "bpf", 0, {0}, P},
            {SCMP_ARCH_X86_64, "personality", 0, {0}, ALLOW},
            {SCMP_ARCH_X86_64, "personality", 0, {0xffffffff}, ALLOW},
            {SCMP_ARCH_X86_64, "personality", 0, {0x0040000 /* ADDR_NO_RANDOMIZE */}, P},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {1}, P},
            {SCMP_ARCH_X86, NULL, X86_SOCKET, {AF_INET}, P},
            {SCMP_ARCH_X86, NULL, X86_SOCKETCALL, {5 /* SYS_ACCEPT */}, ALLOW},
            {SCMP_ARCH_X86, "clone", 0, {SIGCHLD}, ALLOW},
            {SCMP_ARCH_X86, "clone", 0, {CLONE_NEWUSER}, P},
            {SCMP_ARCH_AARCH64, "clone", 0, {CLONE_NEWUSER}, P},
            {SCMP_ARCH_AARCH64, "accept4", 0, {0}, ALLOW},
        };

        ck_assert_int_eq(
            read_file_bounded(AT_FDCWD, test_path("profiles/api.yaml"), 1 << 20, &api, &size), 0);
        check_calls(api, POLICY_MODE_ENFORCE, calls, ELEMENTSOF(calls));
}
END_TEST

static Suite *seccomp_bpf_suite(void)
{
        Suite *s = suite_create("seccomp-bpf");
        TCase *tc = tcase_create("bpf");

        tcase_add_test(tc, test_sim_enforce);
        tcase_add_test(tc, test_sim_monitor);
        tcase_add_test(tc, test_sim_api);
        tcase_set_timeout(tc, 30);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_bpf_suite)
