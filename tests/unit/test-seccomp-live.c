/* SPDX-License-Identifier: MIT */
/* The filters for real, in forked children: allowed calls work, refused
 * ones fail with the policy's errno in enforce mode, logged ones succeed
 * and leave a type 1326 audit record on the AUDIT_NLGRP_READLOG
 * multicast group, the guard list keeps signal handlers and exit working,
 * and the x86 ABI (int $0x80) cannot get around an argument check. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "seccomp-helpers.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "testing.h"

/* Live policies: a distinctive errno, so that a refusal by the filter
 * cannot be mistaken for one by the kernel. sigaltstack: the sanitizers'
 * runtime calls it before _exit (make SANITIZE=1). */
static const char live_policy[] = "service: live\n"
                                  "match: {units: [live.service]}\n"
                                  "seccomp:\n"
                                  "  base: \"@default\"\n"
                                  "  architectures: [x86_64, x86, x32]\n"
                                  "  errno: EOWNERDEAD\n"
                                  "  allow: [\"@basic-io\", \"@network-io\", sigaltstack]\n"
                                  "  deny:\n"
                                  "    - {syscall: getpgrp, errno: ENOTBLK}\n"
                                  "  conditions:\n"
                                  "    - {syscall: socket, arg: 0, in: [AF_UNIX, AF_INET]}\n";

/* i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
#define NR32_GETPID     20
#define NR32_SOCKETCALL 102
#define NR32_SOCKET     359

struct results {
        long ret[8];
        int err[8];
};

static void record(struct results *res, int i, long r)
{
        res->ret[i] = r;
        res->err[i] = r < 0 ? errno : 0;
}

#if defined(__x86_64__)
/* A syscall through the i386 ABI from a 64-bit process. */
static long int80(long nr, long a, long b)
{
        long ret;

        __asm__ volatile("int $0x80"
                         : "=a"(ret)
                         : "a"(nr), "b"(a), "c"(b)
                         : "memory", "r8", "r9", "r10", "r11");
        return ret;
}
#endif

static scmp_filter_ctx filter_for(const char *yaml, enum policy_mode mode)
{
        _cleanup_policy_ struct policy *p = stest_policy(yaml);
        scmp_filter_ctx ctx = NULL;
        struct seccomp_error err;

        ck_assert_msg(seccomp_policy_filter(p, NULL, mode, &err, &ctx) == 0, "%s", err.text);
        return ctx;
}

/* Runs fn in a child under the filter; fn's results come back through a
 * pipe. Returns the child's wait status. */
static int run_confined(scmp_filter_ctx ctx, void (*fn)(struct results *), struct results *res,
                        pid_t *ret_pid)
{
        int fds[2], status;
        pid_t pid;

        ck_assert_int_eq(pipe2(fds, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct results r;

                memset(&r, 0, sizeof(r));
                close(fds[0]);
                if (seccomp_filter_apply(ctx) < 0)
                        _exit(99);
                fn(&r);
                if (write(fds[1], &r, sizeof(r)) != sizeof(r))
                        _exit(98);
                _exit(0);
        }
        close(fds[1]);
        memset(res, 0, sizeof(*res));
        (void)!read(fds[0], res, sizeof(*res));
        close(fds[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        if (ret_pid)
                *ret_pid = pid;
        return status;
}

static void calls_basic(struct results *r)
{
        int fd;

        record(r, 0, syscall(SYS_getppid));
        record(r, 1, syscall(SYS_sysinfo, &(char[256]){0}));
        record(r, 2, syscall(SYS_getpgrp));
        fd = (int)syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);
        record(r, 3, fd);
        if (fd >= 0)
                close(fd);
        fd = (int)syscall(SYS_socket, AF_NETLINK, SOCK_RAW, 0);
        record(r, 4, fd);
        if (fd >= 0)
                close(fd);
}

START_TEST(test_enforce)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(live_policy, POLICY_MODE_ENFORCE);
        struct results r;
        int status = run_confined(ctx, calls_basic, &r, NULL);

        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        /* allowed */
        ck_assert_int_eq(r.ret[0], getpid());
        /* outside the allow list: the policy's errno */
        ck_assert_int_eq(r.ret[1], -1);
        ck_assert_int_eq(r.err[1], EOWNERDEAD);
        /* explicit deny: its own errno, though @default allows getpgrp */
        ck_assert_int_eq(r.err[2], ENOTBLK);
        /* argument condition */
        ck_assert_int_ge(r.ret[3], 0);
        ck_assert_int_eq(r.err[4], EOWNERDEAD);
}
END_TEST

START_TEST(test_monitor_logs)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(live_policy, POLICY_MODE_MONITOR);
        _cleanup_close_ int audit = stest_audit_open();
        struct results r;
        char rec[8192];
        pid_t pid;
        int status;

        if (!test_require(audit >= 0, "a NETLINK_AUDIT socket on AUDIT_NLGRP_READLOG"))
                return;
        status = run_confined(ctx, calls_basic, &r, &pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        /* Outside the allow list: the call runs... */
        ck_assert_int_eq(r.ret[1], 0);
        /* ...and failing the condition is the same: allowed, logged. */
        ck_assert_int_ge(r.ret[4], 0);
        /* Explicit deny refuses in monitor mode too. */
        ck_assert_int_eq(r.err[2], ENOTBLK);
        /* ...and the kernel says so: SECCOMP_RET_LOG is 0x7ffc0000. */
        ck_assert_msg(
            stest_audit_wait(audit, pid, NULL, SYS_sysinfo, "0x7ffc0000", 3000, rec, sizeof(rec)),
            "no type-1326 record for sysinfo of pid %d", (int)pid);
        ck_assert_ptr_nonnull(strstr(rec, " arch=c000003e "));
        ck_assert_msg(
            stest_audit_wait(audit, pid, NULL, SYS_socket, "0x7ffc0000", 3000, rec, sizeof(rec)),
            "no type-1326 record for socket(AF_NETLINK) of pid %d", (int)pid);
}
END_TEST

/* Enforce mode sets SECCOMP_FILTER_FLAG_LOG: refusals are audited too
 * (the record's code is the action without its data: SECCOMP_RET_ERRNO). */
START_TEST(test_enforce_refusals_audited)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(live_policy, POLICY_MODE_ENFORCE);
        _cleanup_close_ int audit = stest_audit_open();
        struct results r;
        char rec[8192];
        pid_t pid;

        if (!test_require(audit >= 0, "a NETLINK_AUDIT socket on AUDIT_NLGRP_READLOG"))
                return;
        ck_assert_int_eq(run_confined(ctx, calls_basic, &r, &pid), 0);
        ck_assert_int_eq(r.err[1], EOWNERDEAD);
        ck_assert_msg(
            stest_audit_wait(audit, pid, NULL, SYS_sysinfo, "0x50000", 3000, rec, sizeof(rec)),
            "no type-1326 record for the refused sysinfo of pid %d", (int)pid);
}
END_TEST

static void calls_none(struct results *r)
{
        record(r, 0, syscall(SYS_getppid));
}

START_TEST(test_kill_process)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(
            "service: killer\nmatch: {units: [k.service]}\n"
            "seccomp: {base: none, architectures: [x86_64, x86, x32], violation: kill-process}\n",
            POLICY_MODE_ENFORCE);
        struct results r;
        int status = run_confined(ctx, calls_none, &r, NULL);

        ck_assert(WIFSIGNALED(status));
        ck_assert_int_eq(WTERMSIG(status), SIGSYS);
}
END_TEST

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
        alarmed = 1;
}

/* An empty allow list and kill-process: only the guard list remains, and
 * it is enough to return from a signal handler (rt_sigreturn) and exit. */
START_TEST(test_guard_list)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(
            "service: guard\nmatch: {units: [g.service]}\n"
            "seccomp: {base: none, architectures: [x86_64, x86, x32], violation: kill-process}\n",
            POLICY_MODE_ENFORCE);
        int status;
        pid_t pid;

        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                struct itimerval it = {.it_value = {.tv_usec = 20000}};
                struct sigaction sa = {.sa_handler = on_alarm};

                sigaction(SIGALRM, &sa, NULL);
                setitimer(ITIMER_REAL, &it, NULL);
                if (seccomp_filter_apply(ctx) < 0)
                        _exit(99);
                while (!alarmed)
                        ;
                /* Back from the handler: rt_sigreturn was allowed. */
                syscall(SYS_exit_group, 42);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 42, "status 0x%x", status);
}
END_TEST

#if defined(__x86_64__)
/* Some hypervisors run 64-bit guests without the i386 entry (int $0x80
 * faults): a property of the machine, not a missing package, so these
 * tests skip there; test-seccomp-bpf checks the same rules in the
 * exported program on every machine. */
static bool ia32_available(void)
{
        int status;
        pid_t pid = fork();

        if (pid == 0) {
                /* Where int $0x80 faults, say nothing (the sanitizers
                 * would report the fault). */
                int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                if (null >= 0)
                        dup2(null, STDERR_FILENO);
                _exit(int80(NR32_GETPID, 0, 0) == getpid() ? 0 : 1);
        }
        if (waitpid(pid, &status, 0) != pid)
                return false;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static unsigned *args32;

static void calls_x86(struct results *r)
{
        /* socket(AF_INET, SOCK_DGRAM, 0) and socket(AF_NETLINK, ...)
         * through the direct i386 syscall and through socketcall. */
        args32[0] = AF_INET;
        args32[1] = SOCK_DGRAM;
        args32[2] = 0;
        r->ret[0] = int80(NR32_SOCKET, AF_INET, SOCK_DGRAM);
        r->ret[1] = int80(NR32_SOCKET, AF_NETLINK, SOCK_RAW);
        r->ret[2] = int80(NR32_SOCKETCALL, 1 /* SYS_SOCKET */, (long)(uintptr_t)args32);
        /* getsockname(-1, ...) through socketcall: allowed, EBADF. */
        args32[0] = (unsigned)-1;
        r->ret[3] = int80(NR32_SOCKETCALL, 6 /* SYS_GETSOCKNAME */, (long)(uintptr_t)args32);
        r->ret[4] = int80(NR32_GETPID, 0, 0);
}

/* The i386 ABI: socket(2) carries an argument check x86 cannot enforce
 * through socketcall, so it is refused both ways; getsockname through
 * socketcall is allowed. */
START_TEST(test_x86_abi)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = filter_for(live_policy, POLICY_MODE_ENFORCE);
        struct results r;

        if (!ia32_available()) {
                fprintf(stderr, "SKIP: this machine has no i386 syscall entry (int $0x80)\n");
                return;
        }
        args32 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                      -1, 0);
        ck_assert_ptr_ne(args32, MAP_FAILED);
        ck_assert_int_eq(run_confined(ctx, calls_x86, &r, NULL), 0);
        ck_assert_int_eq(r.ret[0], -EOWNERDEAD);
        ck_assert_int_eq(r.ret[1], -EOWNERDEAD);
        ck_assert_int_eq(r.ret[2], -EOWNERDEAD);
        ck_assert_int_eq(r.ret[3], -EBADF);
        ck_assert_int_gt(r.ret[4], 0);
        munmap(args32, 4096);
}
END_TEST

/* A policy without x86: i386 calls take the bad-architecture action,
 * which is the policy's violation (here its errno). */
START_TEST(test_x86_abi_not_covered)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx =
            filter_for("service: only64\nmatch: {units: [o.service]}\n"
                       "seccomp: {base: \"@default\", architectures: [x86_64], errno: "
                       "EOWNERDEAD}\n",
                       POLICY_MODE_ENFORCE);
        struct results r;

        if (!ia32_available()) {
                fprintf(stderr, "SKIP: this machine has no i386 syscall entry (int $0x80)\n");
                return;
        }
        args32 = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                      -1, 0);
        ck_assert_ptr_ne(args32, MAP_FAILED);
        ck_assert_int_eq(run_confined(ctx, calls_x86, &r, NULL), 0);
        ck_assert_int_eq(r.ret[4], -EOWNERDEAD);
        munmap(args32, 4096);
}
END_TEST
#endif

/* hardenctl exec: no_new_privs, the filter, then the command. */
static void run_expect(const char *const *argv, int status, const char *out_eq,
                       const char *err_contains)
{
        _cleanup_free_ char *out = NULL, *err = NULL;
        int r = test_run(argv, &out, &err);

        ck_assert_msg(r == status, "%s %s: status %d, expected %d; stderr: %s", argv[1], argv[3], r,
                      status, err);
        if (out_eq)
                ck_assert_str_eq(out, out_eq);
        if (err_contains)
                ck_assert_msg(strstr(err, err_contains), "stderr: %s", err);
}

/* hardenctl exec: no_new_privs, the filter, then the command. */
START_TEST(test_exec_verb)
{
        const char *busybox = stest_which("busybox");
        const char *status[] = {
            "build/hardenctl",   "exec", "--service", "api", "--mode",
            "enforce",           "--",   "grep",      "-E",  "^(Seccomp|NoNewPrivs):",
            "/proc/self/status", NULL};
        const char *missing[] = {
            "build/hardenctl", "exec", "--service", "nosuch", "--", "true", NULL};

        run_expect(status, 0, "NoNewPrivs:\t1\nSeccomp:\t2\n", NULL);
        run_expect(missing, 1, "",
                   "hardenctl exec: no policy for service 'nosuch' (looked for "
                   "profiles/nosuch.yaml)\n");
        if (!test_require(busybox != NULL, "busybox (busybox-static)"))
                return;
        {
                /* api denies @namespaces, in both modes */
                const char *argv[] = {"build/hardenctl", "exec",    "--service", "api",
                                      "--mode",          "monitor", "--",        busybox,
                                      "unshare",         "-U",      "true",      NULL};

                run_expect(argv, 1, "", "Operation not permitted");
        }
        {
                /* worker: a shell that forks and execs */
                const char *argv[] = {"build/hardenctl",
                                      "exec",
                                      "--service",
                                      "profiles/worker.yaml",
                                      "--mode",
                                      "enforce",
                                      "--",
                                      busybox,
                                      "sh",
                                      "-c",
                                      "for i in 1 2 3; do echo $i | cat; done",
                                      NULL};

                run_expect(argv, 0, "1\n2\n3\n", NULL);
        }
}
END_TEST

static Suite *seccomp_live_suite(void)
{
        Suite *s = suite_create("seccomp-live");
        TCase *tc = tcase_create("live");

        tcase_add_test(tc, test_enforce);
        tcase_add_test(tc, test_monitor_logs);
        tcase_add_test(tc, test_enforce_refusals_audited);
        tcase_add_test(tc, test_kill_process);
        tcase_add_test(tc, test_guard_list);
#if defined(__x86_64__)
        tcase_add_test(tc, test_x86_abi);
        tcase_add_test(tc, test_x86_abi_not_covered);
#endif
        tcase_add_test(tc, test_exec_verb);
        tcase_set_timeout(tc, 30);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(seccomp_live_suite)
