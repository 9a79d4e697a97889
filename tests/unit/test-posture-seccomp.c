/* SPDX-License-Identifier: MIT */
/* The classic-BPF evaluator (the kernel's acceptance rules, run
 * semantics), the decoding of filter stacks for every syscall of an
 * architecture, the comparison of two stacks, and the read-back of a live
 * process's filters with PTRACE_SECCOMP_GET_FILTER, compared with the
 * filter the seccomp backend generates for a service. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/macro.h"
#include "policy/policy-load.h"
#include "posture/bpf-eval.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "posture/seccomp-decode.h"
#include "posture/seccomp-readback.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "testing.h"

#define LD_NR   BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LD_ARG0 BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))
#define RET(v)  BPF_STMT(BPF_RET | BPF_K, (v))

#define MAXP 8
static const struct {
        const char *what;
        struct sock_filter prog[MAXP];
        size_t n;
        int ret;
} checks[] = {
    {"allow", {RET(SECCOMP_RET_ALLOW)}, 1, 0},
    {"empty", {RET(0)}, 0, -EINVAL},
    {"no return at the end", {LD_NR}, 1, -EINVAL},
    {"load outside seccomp_data", {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), RET(0)}, 2, -EINVAL},
    {"unaligned load", {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), RET(0)}, 2, -EINVAL},
    {"packet load (not for seccomp)", {BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), RET(0)}, 2, -EINVAL},
    {"indirect load", {BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), RET(0)}, 2, -EINVAL},
    {"jump out", {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET(0)}, 2, -EINVAL},
    {"ja out", {BPF_STMT(BPF_JMP | BPF_JA, 5), RET(0)}, 2, -EINVAL},
    {"constant division by zero", {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), RET(0)}, 2, -EINVAL},
    {"shift by 32", {BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), RET(0)}, 2, -EINVAL},
    {"mod (not for seccomp)", {BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), RET(0)}, 2, -EINVAL},
    {"memory read before write", {BPF_STMT(BPF_LD | BPF_MEM, 3), RET(0)}, 2, -EINVAL},
    {"memory slot 16", {BPF_STMT(BPF_ST, 16), RET(0)}, 2, -EINVAL},
    {"memory written on one path only",
     {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), BPF_STMT(BPF_ST, 1),
      BPF_STMT(BPF_LD | BPF_MEM, 1), RET(0)},
     4,
     -EINVAL},
    {"memory written on every path",
     {BPF_STMT(BPF_ST, 1), BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0),
      BPF_STMT(BPF_LDX | BPF_MEM, 1), RET(0)},
     4,
     0},
    {"len and immediates",
     {BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0), BPF_STMT(BPF_MISC | BPF_TAX, 0),
      BPF_STMT(BPF_RET | BPF_A, 0)},
     3,
     0},
};

START_TEST(test_bpf_check)
{
        const char *why = NULL;
        size_t pc = 99;
        int r = bpf_prog_check(checks[_i].prog, checks[_i].n, &why, &pc);

        ck_assert_msg(r == checks[_i].ret, "%s: %d", checks[_i].what, r);
        if (r < 0)
                ck_assert_ptr_nonnull(why);
}
END_TEST

static uint32_t run1(const struct sock_filter *p, size_t n, const struct seccomp_data *d,
                     bool *used)
{
        struct bpf_run r;

        ck_assert_int_eq(bpf_prog_check(p, n, NULL, NULL), 0);
        ck_assert_int_eq(bpf_prog_run(p, n, d, &r), 0);
        if (used)
                *used = r.used_args;
        return r.ret;
}

START_TEST(test_bpf_run)
{
        /* A = ((nr + 3) * 4 - 2) / 2 ^ 1, shifted, and returned; X via mem. */
        struct sock_filter alu[] = {
            LD_NR,
            BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 3),
            BPF_STMT(BPF_ALU | BPF_MUL | BPF_K, 4),
            BPF_STMT(BPF_ALU | BPF_SUB | BPF_K, 2),
            BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 2),
            BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 1),
            BPF_STMT(BPF_ST, 0),
            BPF_STMT(BPF_LDX | BPF_MEM, 0),
            BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 4),
            BPF_STMT(BPF_ALU | BPF_OR | BPF_X, 0),
            BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
            BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 1),
            BPF_STMT(BPF_RET | BPF_A, 0),
        };
        /* Division by X == 0 at run time returns 0 (kill-thread). */
        struct sock_filter divx[] = {
            BPF_STMT(BPF_LDX | BPF_IMM, 0),
            BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
            RET(SECCOMP_RET_ALLOW),
        };
        /* JSET / JGT / JGE on an argument */
        struct sock_filter jumps[] = {
            LD_ARG0,
            BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x80, 0, 1),
            RET(SECCOMP_RET_ERRNO | 1),
            BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, 10, 0, 1),
            RET(SECCOMP_RET_ERRNO | 2),
            BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 10, 0, 1),
            RET(SECCOMP_RET_ERRNO | 3),
            RET(SECCOMP_RET_ALLOW),
        };
        struct seccomp_data d = {.nr = 5};
        uint32_t x = ((((5 + 3) * 4 - 2) / 2) ^ 1);
        bool used;

        ck_assert_uint_eq(run1(alu, ELEMENTSOF(alu), &d, &used), (((x << 4) | x) & 0xff) >> 1);
        ck_assert(!used);
        ck_assert_uint_eq(run1(divx, ELEMENTSOF(divx), &d, NULL), 0);
        d.args[0] = 0x81;
        ck_assert_uint_eq(run1(jumps, ELEMENTSOF(jumps), &d, &used), SECCOMP_RET_ERRNO | 1);
        ck_assert(used);
        d.args[0] = 11;
        ck_assert_uint_eq(run1(jumps, ELEMENTSOF(jumps), &d, NULL), SECCOMP_RET_ERRNO | 2);
        d.args[0] = 10;
        ck_assert_uint_eq(run1(jumps, ELEMENTSOF(jumps), &d, NULL), SECCOMP_RET_ERRNO | 3);
        d.args[0] = 9;
        ck_assert_uint_eq(run1(jumps, ELEMENTSOF(jumps), &d, NULL), SECCOMP_RET_ALLOW);
}
END_TEST

static void chain_of(struct seccomp_chain *c, const struct sock_filter *p, size_t n)
{
        ck_assert_int_eq(seccomp_chain_add(c, p, n), 0);
}

START_TEST(test_chain_precedence)
{
        struct sock_filter allow[] = {RET(SECCOMP_RET_ALLOW)};
        struct sock_filter log[] = {RET(SECCOMP_RET_LOG)};
        struct sock_filter e1[] = {RET(SECCOMP_RET_ERRNO | 1)};
        struct sock_filter e2[] = {RET(SECCOMP_RET_ERRNO | 2)};
        struct sock_filter kill[] = {RET(SECCOMP_RET_KILL_PROCESS)};
        struct sock_filter trap[] = {RET(SECCOMP_RET_TRAP)};
        struct seccomp_data d = {0};
        struct seccomp_chain c = {0};
        uint32_t r;

        chain_of(&c, log, 1);
        chain_of(&c, allow, 1);
        ck_assert_int_eq(seccomp_chain_run(&c, &d, &r, NULL), 0);
        ck_assert_uint_eq(r, SECCOMP_RET_LOG);
        /* Of equal precedence, the most recent filter (first) wins. */
        chain_of(&c, e2, 1);
        seccomp_chain_done(&c);
        chain_of(&c, e1, 1);
        chain_of(&c, e2, 1);
        ck_assert_int_eq(seccomp_chain_run(&c, &d, &r, NULL), 0);
        ck_assert_uint_eq(r, SECCOMP_RET_ERRNO | 1);
        chain_of(&c, trap, 1);
        ck_assert_int_eq(seccomp_chain_run(&c, &d, &r, NULL), 0);
        ck_assert_uint_eq(r, SECCOMP_RET_TRAP);
        /* kill-process (0x80000000) is the strongest, as a signed value */
        chain_of(&c, kill, 1);
        ck_assert_int_eq(seccomp_chain_run(&c, &d, &r, NULL), 0);
        ck_assert_uint_eq(r, SECCOMP_RET_KILL_PROCESS);
        seccomp_chain_done(&c);
        /* An empty chain allows. */
        ck_assert_int_eq(seccomp_chain_run(&c, &d, &r, NULL), 0);
        ck_assert_uint_eq(r, SECCOMP_RET_ALLOW);
        ck_assert_int_eq(seccomp_verdict_of(0x00aa0000), SECCOMP_VERDICT_REFUSE);
        ck_assert_int_eq(seccomp_verdict_of(SECCOMP_RET_USER_NOTIF), SECCOMP_VERDICT_NOTIFY);
        ck_assert_int_eq(seccomp_verdict_of(SECCOMP_RET_TRACE | 7), SECCOMP_VERDICT_TRACE);
}
END_TEST

/* A libseccomp filter, exported as BPF (through a temporary file), as a
 * chain. */
static void libseccomp_chain(scmp_filter_ctx ctx, struct seccomp_chain *c)
{
        char path[] = "/tmp/hardend-bpf-XXXXXX";
        struct sock_filter *insns;
        size_t size, n;
        char *buf;
        int tmp = mkstemp(path);

        ck_assert_int_ge(tmp, 0);
        unlink(path);
        ck_assert_int_eq(seccomp_export_bpf(ctx, tmp), 0);
        size = (size_t)lseek(tmp, 0, SEEK_END);
        buf = malloc(size);
        ck_assert_ptr_nonnull(buf);
        ck_assert_int_eq(pread(tmp, buf, size, 0), (ssize_t)size);
        close(tmp);
        ck_assert_int_eq(bpf_prog_parse(buf, size, &insns, &n), 0);
        chain_of(c, insns, n);
        free(insns);
        free(buf);
}

static scmp_filter_ctx sample_filter(bool variant)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));

        ck_assert_ptr_nonnull(ctx);
        ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
        ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_X86_64), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(openat), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
                                          SCMP_A0(SCMP_CMP_EQ, variant ? AF_INET6 : AF_INET)),
                         0);
        return ctx;
}

START_TEST(test_decode_libseccomp_filter)
{
        scmp_filter_ctx ctx = sample_filter(false);
        struct seccomp_chain c = {0};
        struct seccomp_decoded d;
        const struct syscall_decision *x;
        char buf[32];

        libseccomp_chain(ctx, &c);
        seccomp_release(ctx);
        ck_assert_int_eq(seccomp_decode(&c, SCMP_ARCH_X86_64, &d), 0);
        ck_assert_uint_gt(d.n, 300);
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_ALLOW], 2); /* read, write */
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_LOG], 1);
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_REFUSE], d.n - 3);
        ck_assert_uint_eq(d.conditional, 1);
        x = seccomp_decoded_find(&d, "socket");
        ck_assert(x->conditional);
        ck_assert_int_eq(seccomp_verdict_of(x->action), SECCOMP_VERDICT_REFUSE); /* arg 0 == 0 */
        x = seccomp_decoded_find(&d, "ptrace");
        ck_assert_str_eq(seccomp_action_string(x->action, buf, sizeof(buf)), "kill-process");
        x = seccomp_decoded_find(&d, "uname");
        ck_assert_str_eq(seccomp_action_string(x->action, buf, sizeof(buf)), "errno 1");
        seccomp_decoded_done(&d);
        /* Another architecture's syscalls hit the filter's arch check. */
        ck_assert_int_eq(seccomp_decode(&c, SCMP_ARCH_X86, &d), 0);
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_ALLOW], 0);
        seccomp_decoded_done(&d);
        ck_assert_int_eq(seccomp_decode(&c, 0x1234, &d), -EINVAL);
        seccomp_chain_done(&c);
}
END_TEST

START_TEST(test_compare)
{
        scmp_filter_ctx a = sample_filter(false), b = sample_filter(false), v = sample_filter(true);
        struct seccomp_chain ca = {0}, cb = {0}, cv = {0}, cw = {0};
        struct seccomp_diff diff;

        libseccomp_chain(a, &ca);
        libseccomp_chain(b, &cb);
        libseccomp_chain(v, &cv);
        ck_assert_int_eq(seccomp_chain_compare(&ca, &cb, SCMP_ARCH_X86_64, &diff), 0);
        ck_assert(diff.identical);
        ck_assert_uint_eq(diff.n_differ, 0);
        seccomp_diff_done(&diff);
        /* Only socket's argument differs: found by probing the constants. */
        ck_assert_int_eq(seccomp_chain_compare(&ca, &cv, SCMP_ARCH_X86_64, &diff), 0);
        ck_assert(!diff.identical);
        ck_assert_uint_eq(diff.n_differ, 1);
        ck_assert_str_eq(diff.names[0], "socket");
        seccomp_diff_done(&diff);
        /* Same decisions, other instructions: not identical, no difference. */
        ck_assert_int_eq(seccomp_attr_set(b, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
        libseccomp_chain(b, &cw);
        ck_assert_int_eq(seccomp_chain_compare(&ca, &cw, SCMP_ARCH_X86_64, &diff), 0);
        ck_assert(!diff.identical);
        ck_assert_uint_eq(diff.n_differ, 0);
        seccomp_diff_done(&diff);
        seccomp_release(a);
        seccomp_release(b);
        seccomp_release(v);
        seccomp_chain_done(&ca);
        seccomp_chain_done(&cb);
        seccomp_chain_done(&cv);
        seccomp_chain_done(&cw);
}
END_TEST

/* ---- reading filters back from live processes ---- */

static char state_of(pid_t pid)
{
        char path[64], buf[512], *close_paren;
        FILE *f;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        ck_assert_ptr_nonnull(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = '\0';
        close_paren = strrchr(buf, ')');
        ck_assert_ptr_nonnull(close_paren);
        return close_paren[2];
}

/* After a read-back the target runs on: never in a tracing or group stop,
 * and back asleep in pause() within a second. */
static void assert_not_stopped(pid_t pid)
{
        char st = 0;

        for (int i = 0; i < 100; i++) {
                st = state_of(pid);
                ck_assert_msg(st != 't' && st != 'T', "pid %d left stopped (%c)", (int)pid, st);
                if (st == 'S')
                        return;
                usleep(10000);
        }
        ck_abort_msg("pid %d not back asleep (%c)", (int)pid, st);
}

static uint64_t start_of(pid_t pid)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct posture_scan s;
        uint64_t start;

        ck_assert_int_eq(posture_scan_run(proc, pid, 0, &s), 0);
        ck_assert_ptr_nonnull(posture_scan_find(&s, pid));
        start = posture_scan_find(&s, pid)->start_time;
        posture_scan_done(&s);
        close(proc);
        return start;
}

/* A child that loads ctx (NULL: no filter), says so, and sleeps. */
static pid_t confined_child(scmp_filter_ctx ctx, int *ret_fd)
{
        int p[2];
        char c;
        pid_t pid;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(p[0]);
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (ctx && seccomp_filter_apply(ctx) < 0)
                        _exit(1);
                if (write(p[1], "r", 1) != 1)
                        _exit(1);
                for (;;)
                        pause();
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &c, 1), 1);
        *ret_fd = p[0];
        return pid;
}

static void reap(pid_t pid, int fd)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        close(fd);
}

static bool can_read_back(void)
{
        int seccomp = -1;
        FILE *f = fopen("/proc/self/status", "re");
        char line[256];

        while (f && fgets(line, sizeof(line), f))
                sscanf(line, "Seccomp: %d", &seccomp);
        if (f)
                fclose(f);
        return test_require(geteuid() == 0 && seccomp == 0,
                            "root, not under seccomp (PTRACE_SECCOMP_GET_FILTER)");
}

START_TEST(test_readback_live)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sync_fd;
        scmp_filter_ctx ctx;
        struct seccomp_chain c = {0}, expected = {0};
        struct seccomp_decoded d;
        struct seccomp_diff diff;
        uint64_t start;
        pid_t pid;

        if (!can_read_back())
                return;
        ctx = seccomp_init(SCMP_ACT_ALLOW);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(uname), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(sethostname), 0), 0);
        pid = confined_child(ctx, &sync_fd);
        start = start_of(pid);

        /* A wrong start time is a reused PID: refused, target left running. */
        ck_assert_int_eq(seccomp_readback(proc, pid, start + 1, &c), -ESRCH);
        assert_not_stopped(pid);

        ck_assert_int_eq(seccomp_readback(proc, pid, start, &c), 0);
        assert_not_stopped(pid);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_int_eq(seccomp_decode(&c, seccomp_arch_native(), &d), 0);
        ck_assert_int_eq(seccomp_verdict_of(seccomp_decoded_find(&d, "uname")->action),
                         SECCOMP_VERDICT_REFUSE);
        ck_assert_int_eq(seccomp_verdict_of(seccomp_decoded_find(&d, "sethostname")->action),
                         SECCOMP_VERDICT_LOG);
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_REFUSE], 1);
        ck_assert_uint_eq(d.counts[SECCOMP_VERDICT_LOG], 1);
        seccomp_decoded_done(&d);
        /* What was read back is what was loaded. */
        libseccomp_chain(ctx, &expected);
        ck_assert_int_eq(seccomp_chain_compare(&c, &expected, SCMP_ARCH_X86_64, &diff), 0);
        ck_assert_uint_eq(diff.n_differ, 0);
        seccomp_diff_done(&diff);
        seccomp_chain_done(&expected);
        seccomp_chain_done(&c);
        /* Still alive and well: it can be signalled and reaped normally. */
        reap(pid, sync_fd);
        seccomp_release(ctx);

        /* No filter: an empty chain. */
        pid = confined_child(NULL, &sync_fd);
        ck_assert_int_eq(seccomp_readback(proc, pid, start_of(pid), &c), 0);
        ck_assert_uint_eq(c.n, 0);
        assert_not_stopped(pid);
        reap(pid, sync_fd);
        /* Gone: ESRCH. */
        ck_assert_int_eq(seccomp_readback(proc, pid, start, &c), -ESRCH);
        /* Ourselves: refused. */
        ck_assert_int_eq(seccomp_readback(proc, getpid(), 0, &c), -EINVAL);
        close(proc);
}
END_TEST

static struct policy *load(const char *path)
{
        struct diag_list d;
        struct policy *p = NULL;

        ck_assert_int_eq(diag_list_init(&d, path), 0);
        if (policy_load_file(path, &d, &p) < 0)
                diag_print(&d, stderr);
        diag_list_done(&d);
        ck_assert_ptr_nonnull(p);
        return p;
}

/* A process running the frontend service's generated filter is recognised
 * as running it, in the right mode; one running another filter is not. */
START_TEST(test_service_filter_live)
{
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sync_fd;
        struct policy *p = load(test_path("profiles/frontend.yaml"));
        scmp_filter_ctx ctx = NULL;
        struct seccomp_chain running = {0};
        struct seccomp_summary sum;
        struct seccomp_error err;
        pid_t pid;

        if (!can_read_back())
                return;
        ck_assert_int_eq(seccomp_policy_filter(p, NULL, POLICY_MODE_MONITOR, &err, &ctx), 0);
        pid = confined_child(ctx, &sync_fd);
        seccomp_release(ctx);
        ck_assert_int_eq(seccomp_readback(proc, pid, start_of(pid), &running), 0);
        reap(pid, sync_fd);
        ck_assert_int_eq(seccomp_summarize(&running, SCMP_ARCH_X86_64, p, &sum), 0);
        ck_assert(sum.compared);
        ck_assert(sum.equals[POLICY_MODE_MONITOR]);
        ck_assert(!sum.equals[POLICY_MODE_ENFORCE]);
        ck_assert_uint_gt(sum.n_differ[POLICY_MODE_ENFORCE], 0);
        /* In monitor mode what the enforce filter refuses is logged here:
         * "allowed or logged, refused by the service". */
        ck_assert_uint_gt(sum.n_extra, 0);
        ck_assert_uint_le(sum.n_extra, sum.counts[SECCOMP_VERDICT_LOG]);
        ck_assert_uint_gt(sum.counts[SECCOMP_VERDICT_ALLOW], 50);
        seccomp_summary_done(&sum);
        seccomp_chain_done(&running);

        /* The enforce-mode filter. */
        ck_assert_int_eq(seccomp_policy_filter(p, NULL, POLICY_MODE_ENFORCE, &err, &ctx), 0);
        pid = confined_child(ctx, &sync_fd);
        seccomp_release(ctx);
        ck_assert_int_eq(seccomp_readback(proc, pid, start_of(pid), &running), 0);
        reap(pid, sync_fd);
        ck_assert_int_eq(seccomp_summarize(&running, SCMP_ARCH_X86_64, p, &sum), 0);
        ck_assert(sum.equals[POLICY_MODE_ENFORCE]);
        ck_assert(!sum.equals[POLICY_MODE_MONITOR]);
        ck_assert_uint_eq(sum.n_extra, 0);
        ck_assert_uint_eq(sum.counts[SECCOMP_VERDICT_LOG], 0);
        seccomp_summary_done(&sum);
        seccomp_chain_done(&running);
        policy_free(p);
        close(proc);
}
END_TEST

static Suite *posture_seccomp_suite(void)
{
        Suite *s = suite_create("posture-seccomp");
        TCase *bpf = tcase_create("bpf");
        TCase *live = tcase_create("readback");

        tcase_add_loop_test(bpf, test_bpf_check, 0, (int)ELEMENTSOF(checks));
        tcase_add_test(bpf, test_bpf_run);
        tcase_add_test(bpf, test_chain_precedence);
        tcase_add_test(bpf, test_decode_libseccomp_filter);
        tcase_add_test(bpf, test_compare);
        suite_add_tcase(s, bpf);
        tcase_set_timeout(live, 30);
        tcase_add_test(live, test_readback_live);
        tcase_add_test(live, test_service_filter_live);
        suite_add_tcase(s, live);
        return s;
}
TEST_SUITE(posture_seccomp_suite)
