/* SPDX-License-Identifier: MIT */
/* hardend's own privileges on the real kernel, each in a forked child:
 * the capability sets after privileges_drop() as /proc shows them; the
 * daemon's own filter (profiles/hardend.yaml) in enforce and monitor mode;
 * the readback helper reading filters back while its parent is confined
 * (and the same read refused to the confined process itself), its
 * capabilities, fds and death with its parent; the wire format against
 * malformed requests and replies; and the daemon's real work run under
 * its own filter with the audit stream watched for any call the list
 * misses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/securebits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-kernel.h"
#include "apparmor/apparmor-render.h"
#include "base/macro.h"
#include "base/sha256.h"
#include "base/time-util.h"
#include "control/changelog.h"
#include "control/control-client.h"
#include "control/peer.h"
#include "control/state.h"
#include "daemon/privileges.h"
#include "daemon/readback-helper.h"
#include "daemon/readback-proto.h"
#include "events/events-pipeline.h"
#include "policy/policy-load.h"
#include "policy/policy-set.h"
#include "posture/posture-check.h"
#include "posture/proc-status.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "posture/seccomp-readback.h"
#include "posture/workload.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "sources/audit-netlink.h"
#include "sources/journal-source.h"
#include "testing.h"

#define MASK(c) PRIVILEGES_CAP(c)

static const uint64_t daemon_mask =
    MASK(CAP_AUDIT_READ) | MASK(CAP_DAC_READ_SEARCH) | MASK(CAP_SYS_PTRACE) | MASK(CAP_MAC_ADMIN);
static const uint64_t helper_mask = MASK(CAP_SYS_ADMIN) | MASK(CAP_SYS_PTRACE);

/* ---- running checks in a forked child ---- */

/* Checks in a child cannot use ck_assert (Check's messages belong to the
 * test process): the first failure is written to this pipe and the child
 * exits 1; the test reports it. */
static int child_msg_fd = -1;

_printf_(3, 4) _Noreturn static void child_fail(const char *file, int line, const char *fmt, ...)
{
        char buf[2048];
        int n = snprintf(buf, sizeof(buf), "%s:%d: ", file, line);
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
        va_end(ap);
        if (child_msg_fd >= 0)
                (void)!write(child_msg_fd, buf, strlen(buf));
        _exit(1);
}

#define CHECK(cond, ...)                                                                           \
        do {                                                                                       \
                if (!(cond))                                                                       \
                        child_fail(__FILE__, __LINE__, __VA_ARGS__);                               \
        } while (0)

/* Runs fn(arg) in a child; fails the test with the child's message unless
 * it exits 0. */
static void run_child(void (*fn)(void *), void *arg)
{
        char msg[2048] = "";
        int p[2], status;
        ssize_t n;
        pid_t pid;

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(p[0]);
                child_msg_fd = p[1];
                fn(arg);
                _exit(0);
        }
        close(p[1]);
        n = read(p[0], msg, sizeof(msg) - 1);
        msg[n > 0 ? n : 0] = '\0';
        close(p[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status 0x%x: %s",
                      status, msg[0] ? msg : "(no message)");
}

static bool have_root(void)
{
        return test_require(geteuid() == 0, "root (capabilities and seccomp read-back)");
}

/* Seccomp: 0 for the test process itself: a filter it inherited would
 * make every read-back fail. */
static bool not_under_seccomp(void)
{
        return test_require(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0,
                            "a test process that is not under seccomp");
}

static struct policy *load_policy(const char *relative)
{
        struct policy *p = NULL;
        struct diag_list d;

        ck_assert_int_eq(diag_list_init(&d, relative), 0);
        ck_assert_msg(policy_load_file(test_path(relative), &d, &p) >= 0, "%s does not load",
                      relative);
        diag_list_done(&d);
        return p;
}

/* The same in a child: NULL instead of a failed assertion. */
static struct policy *load_policy_quiet(const char *relative)
{
        struct policy *p = NULL;
        struct diag_list d;

        if (diag_list_init(&d, relative) < 0)
                return NULL;
        if (policy_load_file(test_path(relative), &d, &p) < 0)
                p = NULL;
        diag_list_done(&d);
        return p;
}

static int open_proc(void)
{
        int fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        return fd;
}

/* /proc/PID/status parsed by the project's own parser. */
static bool status_of(pid_t pid, struct proc_status *ret)
{
        char path[64], buf[8192];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        n = read(fd, buf, sizeof(buf));
        close(fd);
        return n > 0 && proc_status_parse(buf, (size_t)n, ret) == 0;
}

/* The start time of pid, 0 when it cannot be read (safe in children). */
static uint64_t start_time_of(pid_t pid)
{
        _cleanup_close_ int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct posture_scan s;
        uint64_t start = 0;

        if (proc < 0 || posture_scan_run(proc, pid, 0, &s) < 0)
                return 0;
        if (posture_scan_find(&s, pid))
                start = posture_scan_find(&s, pid)->start_time;
        posture_scan_done(&s);
        return start;
}

/* ---- the lists and the policy agree ---- */

START_TEST(test_lists_match_policy)
{
        _cleanup_policy_ struct policy *p = load_policy("profiles/hardend.yaml");
        uint64_t d = privileges_mask(privileges_daemon, privileges_daemon_len);
        uint64_t h = privileges_mask(privileges_readback_helper, privileges_readback_helper_len);
        uint64_t s = privileges_mask(privileges_startup, privileges_startup_len);
        uint64_t declared = 0;

        ck_assert_uint_eq(d, daemon_mask);
        ck_assert_uint_eq(h, helper_mask);
        /* CAP_SYS_ADMIN only ever in the helper; start-up capabilities
         * are given up by both. */
        ck_assert(!(d & MASK(CAP_SYS_ADMIN)));
        ck_assert(!(d & s) && !(h & s));
        for (size_t i = 0; i < privileges_daemon_len; i++)
                ck_assert(privileges_daemon[i].reason && privileges_daemon[i].reason[0]);
        /* posture.capabilities is every capability the service's processes
         * ever hold: the policy's review and privileges.c are one list. */
        for (size_t i = 0; i < p->posture.n_capabilities; i++)
                declared |= MASK(p->posture.capabilities[i].cap);
        ck_assert_uint_eq(declared, d | h | s);
        ck_assert(p->posture.no_new_privileges);
        ck_assert(policy_list_contains(&p->match.executables, "/usr/sbin/hardend"));
        ck_assert(policy_list_contains(&p->match.executables, "/usr/local/sbin/hardend"));
}
END_TEST

START_TEST(test_mask_names)
{
        _cleanup_free_ char *names = NULL, *none = NULL;

        ck_assert_int_eq(privileges_mask_names(daemon_mask, &names), 0);
        ck_assert_str_eq(names, "DAC_READ_SEARCH SYS_PTRACE MAC_ADMIN AUDIT_READ");
        ck_assert_int_eq(privileges_mask_names(0, &none), 0);
        ck_assert_str_eq(none, "");
}
END_TEST

/* ---- privileges_drop ---- */

/* Runs argv with stdout into buf; returns its wait status. */
static int capture(const char *const argv[], char *buf, size_t size)
{
        int p[2], status;
        size_t len = 0;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -1;
        pid = fork();
        if (pid == 0) {
                dup2(p[1], STDOUT_FILENO);
                execv(argv[0], (char *const *)argv);
                _exit(127);
        }
        close(p[1]);
        for (;;) {
                ssize_t n = read(p[0], buf + len, size - 1 - len);

                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        buf[len] = '\0';
        close(p[0]);
        waitpid(pid, &status, 0);
        return status;
}

static void drop_child(void *arg)
{
        const char *cat[] = {"/bin/cat", "/proc/self/status", NULL};
        struct privileges_state st;
        struct proc_status ps;
        uint64_t missing = 1;
        char out[8192];
        cap_t c;
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

        r = privileges_drop(daemon_mask, &missing);
        CHECK(r == 0, "privileges_drop: %s", strerror(-r));
        CHECK(missing == 0, "missing 0x%llx", (unsigned long long)missing);
        /* The kernel's word. */
        CHECK(status_of(getpid(), &ps), "status");
        CHECK(ps.creds.cap_eff == daemon_mask, "CapEff %llx", (unsigned long long)ps.creds.cap_eff);
        CHECK(ps.creds.cap_prm == daemon_mask, "CapPrm %llx", (unsigned long long)ps.creds.cap_prm);
        CHECK(ps.creds.cap_bnd == daemon_mask, "CapBnd %llx", (unsigned long long)ps.creds.cap_bnd);
        CHECK(ps.creds.cap_inh == 0, "CapInh %llx", (unsigned long long)ps.creds.cap_inh);
        CHECK(ps.creds.cap_amb == 0, "CapAmb %llx", (unsigned long long)ps.creds.cap_amb);
        CHECK(ps.creds.no_new_privs, "NoNewPrivs 0");
        CHECK(ps.creds.uid[1] == 0, "euid %u: uid 0 stays", ps.creds.uid[1]);
        /* The report agrees. */
        r = privileges_state_read(proc, &st);
        CHECK(r == 0, "privileges_state_read: %s", strerror(-r));
        CHECK(st.cap_eff == daemon_mask && st.cap_bnd == daemon_mask, "state caps");
        CHECK(strcmp(st.effective, "DAC_READ_SEARCH SYS_PTRACE MAC_ADMIN AUDIT_READ") == 0,
              "effective '%s'", st.effective);
        CHECK(st.no_new_privs && st.seccomp_mode == 0, "state nnp/seccomp");
        CHECK((st.securebits & (SECBIT_NOROOT | SECBIT_NOROOT_LOCKED)) ==
                  (SECBIT_NOROOT | SECBIT_NOROOT_LOCKED),
              "securebits 0x%x", st.securebits);
        privileges_state_done(&st);
        /* Nothing comes back: not by cap_set_proc, not through the
         * ambient set, not by exec as root (SECBIT_NOROOT). */
        c = cap_from_text("cap_sys_admin=ep");
        CHECK(c && cap_set_proc(c) < 0 && errno == EPERM, "regained CAP_SYS_ADMIN");
        cap_free(c);
        CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_PTRACE, 0, 0) < 0,
              "raised an ambient capability");
        CHECK(prctl(PR_SET_SECUREBITS, 0, 0, 0, 0) < 0, "unlocked the securebits");
        r = capture(cat, out, sizeof(out));
        CHECK(WIFEXITED(r) && WEXITSTATUS(r) == 0, "cat: 0x%x", r);
        CHECK(proc_status_parse(out, strlen(out), &ps) == 0, "exec'd status");
        CHECK(ps.creds.cap_eff == 0 && ps.creds.cap_prm == 0,
              "an exec'd program holds CapPrm %llx CapEff %llx",
              (unsigned long long)ps.creds.cap_prm, (unsigned long long)ps.creds.cap_eff);
        CHECK(ps.creds.cap_bnd == daemon_mask && ps.creds.no_new_privs, "exec'd bounding/nnp");
        /* Asking for more than is left: done, and said. */
        r = privileges_drop(daemon_mask | MASK(CAP_SYS_ADMIN), &missing);
        CHECK(r == 0 && missing == MASK(CAP_SYS_ADMIN), "second drop: %d, missing %llx", r,
              (unsigned long long)missing);
        close(proc);
}

START_TEST(test_drop)
{
        if (!have_root())
                return;
        run_child(drop_child, NULL);
}
END_TEST

/* Without CAP_SETPCAP the bounding set cannot shrink: refused, not
 * half-done silently. */
static void drop_no_setpcap_child(void *arg)
{
        cap_t c = cap_get_proc();
        cap_value_t v = CAP_SETPCAP;
        int r;

        CHECK(c, "cap_get_proc");
        cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR);
        cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR);
        CHECK(cap_set_proc(c) == 0, "cap_set_proc");
        cap_free(c);
        r = privileges_drop(daemon_mask, NULL);
        CHECK(r == -EPERM, "privileges_drop without CAP_SETPCAP: %d", r);
}

START_TEST(test_drop_needs_setpcap)
{
        if (!have_root())
                return;
        run_child(drop_no_setpcap_child, NULL);
}
END_TEST

/* ---- privileges_confine with hardend.yaml ---- */

struct confine_args {
        enum policy_mode mode;
};

static void confine_child(void *arg)
{
        const struct confine_args *a = arg;
        _cleanup_policy_ struct policy *p = NULL;
        struct seccomp_error err;
        struct proc_status ps;
        struct diag_list d;
        long r;

        CHECK(diag_list_init(&d, "hardend.yaml") == 0, "diag");
        CHECK(policy_load_file(test_path("profiles/hardend.yaml"), &d, &p) >= 0, "load");
        diag_list_done(&d);
        /* no_new_privs first: confine refuses without it. */
        r = privileges_confine(p, NULL, a->mode, &err);
        CHECK(r == -EPERM, "confine without no_new_privs: %ld", r);
        r = privileges_drop(daemon_mask, NULL);
        CHECK(r == 0, "drop: %s", strerror((int)-r));
        r = privileges_confine(p, NULL, a->mode, &err);
        CHECK(r == 0, "confine: %s (%s)", strerror((int)-r), err.text);
        CHECK(status_of(getpid(), &ps) && ps.creds.seccomp_mode == 2 &&
                  ps.creds.seccomp_filters == 1,
              "Seccomp %d, filters %u", ps.creds.seccomp_mode, ps.creds.seccomp_filters);
        /* Inside the list. */
        CHECK(syscall(SYS_getppid) == getppid(), "getppid");
        /* Outside: getpriority is in no group hardend allows. */
        errno = 0;
        r = syscall(SYS_getpriority, PRIO_PROCESS, 0);
        if (a->mode == POLICY_MODE_ENFORCE)
                CHECK(r == -1 && errno == EPERM, "getpriority in enforce mode: %ld, %s", r,
                      strerror(errno));
        else
                CHECK(r >= 0, "getpriority in monitor mode: %s", strerror(errno));
        /* Denied in both modes: ptrace (hardend keeps CAP_SYS_PTRACE for
         * /proc, never to trace), and a socket family it never uses. */
        errno = 0;
        r = syscall(SYS_ptrace, PTRACE_PEEKDATA, getppid(), 0, 0);
        CHECK(r == -1 && errno == EPERM, "ptrace: %ld %s", r, strerror(errno));
        r = syscall(SYS_clone3, NULL, 0);
        CHECK(r == -1 && errno == ENOSYS, "clone3: %ld %s", r, strerror(errno));
        /* Argument conditions: read-only prctl queries, unix and audit
         * sockets. */
        CHECK(prctl(PR_GET_SECUREBITS, 0, 0, 0, 0) >= 0, "PR_GET_SECUREBITS: %m");
        r = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        CHECK(r >= 0, "socket(AF_NETLINK, NETLINK_AUDIT): %m");
        close((int)r);
        if (a->mode == POLICY_MODE_ENFORCE) {
                r = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
                CHECK(r == -1 && errno == EPERM, "socket(AF_INET): %ld", r);
                r = syscall(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG);
                CHECK(r == -1 && errno == EPERM, "socket(NETLINK_SOCK_DIAG): %ld", r);
                r = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
                CHECK(r == -1 && errno == EPERM, "PR_SET_DUMPABLE: %ld", r);
        }
}

START_TEST(test_confine_enforce)
{
        struct confine_args a = {POLICY_MODE_ENFORCE};

        if (!have_root())
                return;
        run_child(confine_child, &a);
}
END_TEST

START_TEST(test_confine_monitor)
{
        struct confine_args a = {POLICY_MODE_MONITOR};

        if (!have_root())
                return;
        run_child(confine_child, &a);
}
END_TEST

/* ---- the readback helper ---- */

/* A known filter: everything allowed but uname (EPERM) and getpgrp
 * (ENOTBLK). Its BPF as libseccomp exports it is what the kernel keeps. */
static scmp_filter_ctx known_filter(void)
{
        scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

        ck_assert_ptr_nonnull(ctx);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(uname), 0), 0);
        ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOTBLK), SCMP_SYS(getpgrp), 0), 0);
        return ctx;
}

static void known_bpf(scmp_filter_ctx ctx, struct seccomp_prog *ret)
{
        char *data;
        size_t size;

        ck_assert_int_eq(seccomp_filter_export_bpf(ctx, &data, &size), 0);
        ck_assert_uint_eq(size % sizeof(struct sock_filter), 0);
        ret->insns = (struct sock_filter *)(void *)data;
        ret->n = size / sizeof(struct sock_filter);
}

/* A child that loads ctx (NULL: none), says so through the pipe, and
 * sleeps until killed. */
static pid_t sleeper(scmp_filter_ctx ctx)
{
        int p[2];
        char c;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -1;
        pid = fork();
        if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (ctx && seccomp_filter_apply(ctx) < 0)
                        _exit(1);
                (void)!write(p[1], "r", 1);
                for (;;)
                        pause();
        }
        close(p[1]);
        if (pid < 0 || read(p[0], &c, 1) != 1) {
                close(p[0]);
                return -1;
        }
        close(p[0]);
        return pid;
}

static void reap(pid_t pid)
{
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static bool prog_equal(const struct seccomp_prog *a, const struct seccomp_prog *b)
{
        return a->n == b->n && memcmp(a->insns, b->insns, a->n * sizeof(*a->insns)) == 0;
}

struct readback_args {
        scmp_filter_ctx known;
        struct seccomp_prog bpf;
};

/* The helper reads while its parent is under seccomp; the parent itself,
 * even with every capability, is refused by the kernel (EACCES). */
static void readback_confined_child(void *arg)
{
        struct readback_args *a = arg;
        _cleanup_seccomp_ scmp_filter_ctx allow_all = seccomp_init(SCMP_ACT_ALLOW);
        struct readback_helper *h = NULL;
        struct seccomp_chain c = {0};
        int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC), r;
        pid_t target = sleeper(a->known);
        uint64_t start;

        CHECK(target > 0, "target");
        start = start_time_of(target);
        r = readback_helper_start(proc, &h);
        CHECK(r == 0, "readback_helper_start: %s", strerror(-r));
        /* Unconfined, with CAP_SYS_ADMIN: the direct read works. */
        r = seccomp_readback(proc, target, start, &c);
        CHECK(r == 0 && c.n == 1, "direct read before the filter: %d", r);
        seccomp_chain_done(&c);
        /* Under any filter at all (this one allows everything): refused. */
        CHECK(allow_all && seccomp_filter_apply(allow_all) == 0, "load allow-all");
        r = seccomp_readback(proc, target, start, &c);
        CHECK(r == -EACCES, "direct read under seccomp: %d, expected -EACCES", r);
        /* Through the helper: the filter as loaded. */
        r = readback_helper_read(h, target, start, 5000, &c);
        CHECK(r == 0, "helper read: %s", strerror(-r));
        CHECK(c.n == 1 && prog_equal(&c.progs[0], &a->bpf), "chain of %zu, first %zu insns", c.n,
              c.n ? c.progs[0].n : 0);
        seccomp_chain_done(&c);
        /* A wrong start time is another process: ESRCH, as seccomp_readback. */
        r = readback_helper_read(h, target, start + 1, 5000, &c);
        CHECK(r == -ESRCH, "wrong start time: %d", r);
        /* The reader callback posture uses. */
        r = readback_helper_reader(h, -1, target, start, &c);
        CHECK(r == 0 && c.n == 1, "reader callback: %d", r);
        seccomp_chain_done(&c);
        reap(target);
        readback_helper_stop(h);
        close(proc);
}

START_TEST(test_readback_while_confined)
{
        struct readback_args a = {.known = known_filter()};

        if (!have_root() || !not_under_seccomp()) {
                seccomp_release(a.known);
                return;
        }
        known_bpf(a.known, &a.bpf);
        run_child(readback_confined_child, &a);
        free(a.bpf.insns);
        seccomp_release(a.known);
}
END_TEST

/* The daemon's own order: helper, drop, confine with hardend.yaml in
 * enforce mode; then another process's filter is read back through the
 * helper, and so is the daemon's own. The daemon's direct read is refused
 * by its filter (ptrace is denied). The target is forked first: under
 * hardend's filter a child could not load a filter of its own (seccomp(2)
 * is not on the list). */
static void readback_daemon_child(void *arg)
{
        struct readback_args *a = arg;
        _cleanup_policy_ struct policy *p = NULL;
        struct readback_helper *h = NULL;
        struct seccomp_chain c = {0}, self = {0};
        struct seccomp_error err;
        struct diag_list d;
        int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC), r;
        uint64_t start;
        pid_t target;

        CHECK(diag_list_init(&d, "hardend.yaml") == 0, "diag");
        CHECK(policy_load_file(test_path("profiles/hardend.yaml"), &d, &p) >= 0, "load");
        diag_list_done(&d);
        target = sleeper(a->known);
        CHECK(target > 0, "target");
        r = readback_helper_start(proc, &h);
        CHECK(r == 0, "readback_helper_start: %s", strerror(-r));
        CHECK(privileges_drop(daemon_mask, NULL) == 0, "drop");
        r = privileges_confine(p, NULL, POLICY_MODE_ENFORCE, &err);
        CHECK(r == 0, "confine: %s (%s)", strerror(-r), err.text);
        start = start_time_of(target);
        CHECK(start > 0, "start time under the daemon's filter");
        r = seccomp_readback(proc, target, start, &c);
        CHECK(r == -EPERM, "direct read from the confined daemon: %d, expected -EPERM", r);
        r = readback_helper_read(h, target, start, 5000, &c);
        CHECK(r == 0, "helper read: %s", strerror(-r));
        CHECK(c.n == 1 && prog_equal(&c.progs[0], &a->bpf), "chain of %zu", c.n);
        /* The daemon's own filter, as status reports it. */
        r = readback_helper_read(h, getpid(), start_time_of(getpid()), 5000, &self);
        CHECK(r == 0 && self.n == 1, "the daemon's own filter: %d, %zu", r, self.n);
        {
                struct seccomp_decoded dec;
                const struct syscall_decision *pt, *gp;

                CHECK(seccomp_decode(&self, seccomp_arch_native(), &dec) == 0, "decode");
                pt = seccomp_decoded_find(&dec, "ptrace");
                gp = seccomp_decoded_find(&dec, "getppid");
                CHECK(pt && seccomp_verdict_of(pt->action) == SECCOMP_VERDICT_REFUSE, "ptrace");
                CHECK(gp && seccomp_verdict_of(gp->action) == SECCOMP_VERDICT_ALLOW, "getppid");
                seccomp_decoded_done(&dec);
        }
        seccomp_chain_done(&c);
        seccomp_chain_done(&self);
        reap(target);
        readback_helper_stop(h);
        close(proc);
}

START_TEST(test_readback_daemon_order)
{
        struct readback_args a = {.known = known_filter()};

        if (!have_root() || !not_under_seccomp()) {
                seccomp_release(a.known);
                return;
        }
        known_bpf(a.known, &a.bpf);
        run_child(readback_daemon_child, &a);
        free(a.bpf.insns);
        seccomp_release(a.known);
}
END_TEST

/* The helper as /proc shows it: its capabilities, no_new_privs, no
 * seccomp, its name, and exactly three fds. */
START_TEST(test_helper_process)
{
        _cleanup_close_ int proc = -1, extra = -1;
        _cleanup_readback_helper_ struct readback_helper *h = NULL;
        struct proc_status ps;
        char path[64], comm[32] = "", link[256];
        int n = 0, fd;
        DIR *dir;
        struct dirent *de;
        pid_t pid;

        if (!have_root() || !not_under_seccomp())
                return;
        proc = open_proc();
        /* An fd the helper must not keep. */
        extra = open("/dev/null", O_RDONLY);
        ck_assert_int_ge(extra, 0);
        ck_assert_int_eq(readback_helper_start(proc, &h), 0);
        pid = readback_helper_pid(h);
        ck_assert_int_gt(pid, 0);
        ck_assert(status_of(pid, &ps));
        ck_assert_uint_eq(ps.creds.cap_eff, helper_mask);
        ck_assert_uint_eq(ps.creds.cap_prm, helper_mask);
        ck_assert_uint_eq(ps.creds.cap_bnd, helper_mask);
        ck_assert_uint_eq(ps.creds.cap_inh, 0);
        ck_assert_uint_eq(ps.creds.cap_amb, 0);
        ck_assert(ps.creds.no_new_privs);
        ck_assert_int_eq(ps.creds.seccomp_mode, 0);
        snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ck_assert_int_gt(read(fd, comm, sizeof(comm) - 1), 0);
        close(fd);
        ck_assert_str_eq(comm, READBACK_HELPER_COMM "\n");
        snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
        dir = opendir(path);
        ck_assert_ptr_nonnull(dir);
        while ((de = readdir(dir))) {
                ssize_t len;

                if (de->d_name[0] == '.')
                        continue;
                n++;
                len = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);
                ck_assert_int_gt(len, 0);
                link[len] = '\0';
                /* stderr, the socket, /proc: nothing else (not /dev/null). */
                ck_assert_msg(strcmp(de->d_name, "2") == 0 || strncmp(link, "socket:", 7) == 0 ||
                                  strcmp(link, "/proc") == 0,
                              "helper keeps fd %s -> %s", de->d_name, link);
        }
        closedir(dir);
        ck_assert_int_eq(n, 3);
        /* Nothing blocked; SIGHUP (the daemon's reload signal, also sent to
         * a whole process group) ignored: it survives one and answers. */
        {
                char status[4096], *blk, *ign;
                ssize_t len;
                struct seccomp_chain c = {0};

                snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                len = read(fd, status, sizeof(status) - 1);
                close(fd);
                ck_assert_int_gt(len, 0);
                status[len] = '\0';
                blk = strstr(status, "SigBlk:\t");
                ign = strstr(status, "SigIgn:\t");
                ck_assert(blk && ign);
                ck_assert(strncmp(blk, "SigBlk:\t0000000000000000\n", 25) == 0);
                {
                        /* SIGHUP ignored, SIGTERM not (what the helper resets;
                         * other bits depend on the test runner's parent). */
                        unsigned long long mask = strtoull(ign + 8, NULL, 16);

                        ck_assert_msg(mask & (1ull << (SIGHUP - 1)), "%.25s", ign);
                        ck_assert_msg(!(mask & (1ull << (SIGTERM - 1))), "%.25s", ign);
                }
                ck_assert_int_eq(kill(pid, SIGHUP), 0);
                ck_assert_int_eq(
                    readback_helper_read(h, getpid(), start_time_of(getpid()), 5000, &c), 0);
                ck_assert_uint_eq(c.n, 0);
        }
        h = readback_helper_stop(h);
        /* Reaped: the pid is gone. */
        ck_assert_int_eq(kill(pid, 0), -1);
        ck_assert_int_eq(errno, ESRCH);
}
END_TEST

/* The helper dies with the daemon, two ways. Alone, the daemon's death
 * closes the socket (EOF: the helper exits 0) or PR_SET_PDEATHSIG kills
 * it, whichever comes first. With the daemon's end of the socket still
 * held by another process, only PR_SET_PDEATHSIG can end it: SIGKILL. We
 * are its subreaper, so its end can be watched. */
static pid_t daemon_with_helper(bool hold_socket, pid_t *ret_helper, pid_t *ret_holder)
{
        pid_t pids[2] = {0, 0}, mid;
        int p[2];

        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        mid = fork();
        ck_assert_int_ge(mid, 0);
        if (mid == 0) {
                struct readback_helper *h;
                int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);

                if (readback_helper_start(proc, &h) < 0)
                        _exit(1);
                pids[0] = readback_helper_pid(h);
                /* A process that keeps a copy of the daemon's socket end. */
                if (hold_socket && (pids[1] = fork()) == 0)
                        for (;;)
                                pause();
                (void)!write(p[1], pids, sizeof(pids));
                for (;;)
                        pause();
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], pids, sizeof(pids)), sizeof(pids));
        close(p[0]);
        ck_assert_int_gt(pids[0], 0);
        *ret_helper = pids[0];
        *ret_holder = pids[1];
        return mid;
}

START_TEST(test_helper_dies_with_parent)
{
        pid_t mid, helper, holder;
        int status;

        if (!have_root() || !not_under_seccomp())
                return;
        ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);

        mid = daemon_with_helper(false, &helper, &holder);
        ck_assert_int_eq(kill(mid, SIGKILL), 0);
        ck_assert_int_eq(waitpid(mid, NULL, 0), mid);
        ck_assert_int_eq(waitpid(helper, &status, 0), helper);
        ck_assert_msg((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                          (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
                      "helper status 0x%x", status);

        mid = daemon_with_helper(true, &helper, &holder);
        ck_assert_int_gt(holder, 0);
        ck_assert_int_eq(kill(mid, SIGKILL), 0);
        ck_assert_int_eq(waitpid(mid, NULL, 0), mid);
        ck_assert_int_eq(waitpid(helper, &status, 0), helper);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "helper status 0x%x",
                      status);
        reap(holder);
        prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
}
END_TEST

/* ---- the wire format ---- */

/* A small valid program: load nr, allow. */
static const struct sock_filter tiny[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static size_t build_reply(uint8_t *buf, uint32_t magic, uint32_t id, int32_t result, uint32_t n,
                          const uint32_t *counts, const struct sock_filter *insns, size_t n_insns)
{
        size_t off = 16;

        memcpy(buf, &magic, 4);
        memcpy(buf + 4, &id, 4);
        memcpy(buf + 8, &result, 4);
        memcpy(buf + 12, &n, 4);
        for (uint32_t i = 0; i < n; i++, off += 4)
                memcpy(buf + off, &counts[i], 4);
        memcpy(buf + off, insns, n_insns * sizeof(*insns));
        return off + n_insns * sizeof(*insns);
}

struct reply_case {
        const char *what;
        uint32_t magic;
        int32_t result;
        uint32_t n;
        uint32_t counts[3];
        size_t n_insns; /* of tiny[] repeated */
        int trim;       /* bytes cut off (<0: added) */
        bool bad_insn;
        int expect;
        size_t expect_filters;
};

static const struct reply_case reply_cases[] = {
    {"empty chain", READBACK_REPLY_MAGIC, 0, 0, {0}, 0, 0, false, 0, 0},
    {"one filter", READBACK_REPLY_MAGIC, 0, 1, {2}, 2, 0, false, 0, 1},
    {"two filters", READBACK_REPLY_MAGIC, 0, 2, {2, 2}, 4, 0, false, 0, 2},
    {"an error", READBACK_REPLY_MAGIC, -ESRCH, 0, {0}, 0, 0, false, 0, 0},
    {"lowest errno", READBACK_REPLY_MAGIC, -4095, 0, {0}, 0, 0, false, 0, 0},
    {"bad magic", 0x31515248u, 0, 0, {0}, 0, 0, false, -EBADMSG, 0},
    {"positive result", READBACK_REPLY_MAGIC, 1, 0, {0}, 0, 0, false, -EBADMSG, 0},
    {"result below -4095", READBACK_REPLY_MAGIC, -4096, 0, {0}, 0, 0, false, -EBADMSG, 0},
    {"error with filters", READBACK_REPLY_MAGIC, -EPERM, 1, {2}, 2, 0, false, -EBADMSG, 0},
    {"error with trailing bytes", READBACK_REPLY_MAGIC, -EPERM, 0, {0}, 0, -4, false, -EBADMSG, 0},
    {"count 0", READBACK_REPLY_MAGIC, 0, 1, {0}, 0, 0, false, -EBADMSG, 0},
    {"count over 4096", READBACK_REPLY_MAGIC, 0, 1, {4097}, 0, 0, false, -EBADMSG, 0},
    {"one byte short", READBACK_REPLY_MAGIC, 0, 1, {2}, 2, 1, false, -EBADMSG, 0},
    {"one byte long", READBACK_REPLY_MAGIC, 0, 1, {2}, 2, -1, false, -EBADMSG, 0},
    {"counts cut", READBACK_REPLY_MAGIC, 0, 3, {2, 2, 2}, 0, 8, false, -EBADMSG, 0},
    {"more filters than sent", READBACK_REPLY_MAGIC, 0, 2, {2, 2}, 2, 0, false, -EBADMSG, 0},
    {"header only, cut", READBACK_REPLY_MAGIC, 0, 0, {0}, 0, 1, false, -EBADMSG, 0},
    {"not a valid program", READBACK_REPLY_MAGIC, 0, 1, {2}, 2, 0, true, -EBADMSG, 0},
};

START_TEST(test_reply_parse)
{
        const struct reply_case *c = &reply_cases[_i];
        struct sock_filter insns[8];
        uint8_t buf[256] = {0};
        struct readback_reply r;
        size_t len;
        int got;

        for (size_t i = 0; i < c->n_insns; i++)
                insns[i] = tiny[i % 2];
        if (c->bad_insn)
                insns[1] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 4096);
        len = build_reply(buf, c->magic, 7, c->result, c->n, c->counts, insns, c->n_insns);
        len = (size_t)((ssize_t)len - c->trim);
        got = readback_reply_parse(buf, len, &r);
        ck_assert_msg(got == c->expect, "%s: %d, expected %d", c->what, got, c->expect);
        if (got == 0) {
                ck_assert_uint_eq(r.id, 7);
                ck_assert_int_eq(r.result, c->result);
                ck_assert_uint_eq(r.chain.n, c->expect_filters);
                readback_reply_done(&r);
        }
}
END_TEST

/* The limits themselves: 1024 filters, 32768 instructions in all. */
START_TEST(test_reply_limits)
{
        struct seccomp_chain c = {0};
        struct sock_filter big[BPF_MAXINSNS];
        struct readback_reply r;
        uint8_t *buf;
        uint32_t n;
        size_t len;

        for (size_t i = 0; i < BPF_MAXINSNS; i++)
                big[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
        big[BPF_MAXINSNS - 1] = tiny[1];
        for (int i = 0; i < 8; i++)
                ck_assert_int_eq(seccomp_chain_add(&c, big, BPF_MAXINSNS), 0);
        /* 8 x 4096 = 32768: the most a task can carry; round trip. */
        ck_assert_int_eq(readback_reply_encode(9, 0, &c, &buf, &len), 0);
        ck_assert_uint_le(len, READBACK_REPLY_MAX);
        ck_assert_int_eq(readback_reply_parse(buf, len, &r), 0);
        ck_assert_uint_eq(r.chain.n, 8);
        ck_assert(prog_equal(&r.chain.progs[7], &c.progs[7]));
        readback_reply_done(&r);
        /* One filter more, with the length to match: over the sum. */
        buf = realloc(buf, len + 4 + 2 * sizeof(struct sock_filter));
        ck_assert_ptr_nonnull(buf);
        n = 9;
        memmove(buf + 16 + 9 * 4, buf + 16 + 8 * 4, len - 16 - 8 * 4);
        memcpy(buf + 12, &n, 4);
        n = 2;
        memcpy(buf + 16 + 8 * 4, &n, 4);
        memcpy(buf + len + 4, tiny, sizeof(tiny));
        ck_assert_int_eq(readback_reply_parse(buf, len + 4 + sizeof(tiny), &r), -EBADMSG);
        free(buf);
        /* n_filters over 1024. */
        {
                uint8_t hdr[16];
                uint32_t magic = READBACK_REPLY_MAGIC, id = 1, many = 1025;
                int32_t zero = 0;

                memcpy(hdr, &magic, 4);
                memcpy(hdr + 4, &id, 4);
                memcpy(hdr + 8, &zero, 4);
                memcpy(hdr + 12, &many, 4);
                ck_assert_int_eq(readback_reply_parse(hdr, sizeof(hdr), &r), -EBADMSG);
        }
        /* The encoder refuses what the parser would. */
        ck_assert_int_eq(readback_reply_encode(1, 1, NULL, &buf, &len), -EINVAL);
        ck_assert_int_eq(readback_reply_encode(1, -5000, NULL, &buf, &len), -EINVAL);
        seccomp_chain_done(&c);
}
END_TEST

START_TEST(test_request_parse)
{
        struct readback_request rq = {.id = 42, .pid = 1234, .start_time = 987654321}, got;
        uint8_t buf[READBACK_REQUEST_SIZE + 1];
        uint32_t v;

        readback_request_encode(&rq, buf);
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &got), 0);
        ck_assert_uint_eq(got.id, 42);
        ck_assert_int_eq(got.pid, 1234);
        ck_assert_uint_eq(got.start_time, 987654321);
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE - 1, &got), -EBADMSG);
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE + 1, &got), -EBADMSG);
        v = 1;
        memcpy(buf + 12, &v, 4); /* flags */
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &got), -EBADMSG);
        rq.pid = 0;
        readback_request_encode(&rq, buf);
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &got), -EBADMSG);
        rq.pid = -1;
        readback_request_encode(&rq, buf);
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &got), -EBADMSG);
        rq.pid = 5;
        readback_request_encode(&rq, buf);
        buf[0] ^= 1;
        ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &got), -EBADMSG);
}
END_TEST

/* The helper's loop against a daemon that sends garbage: each malformed
 * request gets -EBADMSG (id 0) and the helper goes on. */
START_TEST(test_serve_malformed_requests)
{
        static const struct {
                const char *what;
                size_t len;
                int corrupt; /* 0 none, 1 magic, 2 flags, 3 pid */
        } cases[] = {
            {"short", 5, 0},
            {"long", READBACK_REQUEST_SIZE + 1, 0},
            {"bad magic", READBACK_REQUEST_SIZE, 1},
            {"flags", READBACK_REQUEST_SIZE, 2},
            {"pid 0", READBACK_REQUEST_SIZE, 3},
        };
        struct readback_request rq = {.id = 5, .pid = 1, .start_time = 1};
        _cleanup_close_ int proc = open_proc();
        uint8_t buf[64], *reply;
        int sv[2], status;
        struct readback_reply r;
        ssize_t n;
        pid_t pid;

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                close(sv[0]);
                _exit(readback_helper_serve(sv[1], proc, 0));
        }
        close(sv[1]);
        reply = malloc(READBACK_REPLY_MAX);
        ck_assert_ptr_nonnull(reply);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint32_t bad = 0xffffffffu;

                memset(buf, 0, sizeof(buf));
                readback_request_encode(&rq, buf);
                if (cases[i].corrupt == 1)
                        memcpy(buf, &bad, 4);
                else if (cases[i].corrupt == 2)
                        memcpy(buf + 12, &bad, 4);
                else if (cases[i].corrupt == 3)
                        memset(buf + 8, 0, 4);
                ck_assert_int_eq(send(sv[0], buf, cases[i].len, 0), (ssize_t)cases[i].len);
                n = recv(sv[0], reply, READBACK_REPLY_MAX, 0);
                ck_assert_int_gt(n, 0);
                ck_assert_int_eq(readback_reply_parse(reply, (size_t)n, &r), 0);
                ck_assert_msg(r.id == 0 && r.result == -EBADMSG, "%s: id %u result %d",
                              cases[i].what, r.id, r.result);
                readback_reply_done(&r);
        }
        /* Still serving: a well-formed request for a PID that is not
         * there (pid_max is at most 2^22). */
        rq.pid = 4194304 + 7;
        readback_request_encode(&rq, buf);
        ck_assert_int_eq(send(sv[0], buf, READBACK_REQUEST_SIZE, 0), READBACK_REQUEST_SIZE);
        n = recv(sv[0], reply, READBACK_REPLY_MAX, 0);
        ck_assert_int_eq(readback_reply_parse(reply, (size_t)n, &r), 0);
        ck_assert_uint_eq(r.id, 5);
        ck_assert_int_eq(r.result, -ESRCH);
        readback_reply_done(&r);
        /* EOF: it exits 0. */
        close(sv[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status 0x%x", status);
        free(reply);
}
END_TEST

/* The daemon's side against a fake helper: late replies to other ids are
 * dropped, garbage is -EBADMSG, silence is -ETIMEDOUT, EOF is -ENOTCONN
 * for good. */
static void fake_send(int fd, uint32_t id, int result, size_t n_insns)
{
        uint32_t count = (uint32_t)n_insns;
        uint8_t buf[256];
        size_t len = build_reply(buf, READBACK_REPLY_MAGIC, id, result, n_insns ? 1 : 0, &count,
                                 tiny, n_insns);

        ck_assert_int_eq(send(fd, buf, len, 0), (ssize_t)len);
}

static uint32_t fake_recv_id(int fd)
{
        struct readback_request rq;
        uint8_t buf[READBACK_REQUEST_SIZE];

        ck_assert_int_eq(recv(fd, buf, sizeof(buf), 0), READBACK_REQUEST_SIZE);
        ck_assert_int_eq(readback_request_parse(buf, sizeof(buf), &rq), 0);
        return rq.id;
}

START_TEST(test_fake_helper)
{
        _cleanup_readback_helper_ struct readback_helper *h = NULL;
        struct seccomp_chain c = {0};
        uint32_t id;
        int sv[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        /* Room for a message as large as any reply, and more. */
        ck_assert_int_eq(
            setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &(int){READBACK_REPLY_MAX + 64}, sizeof(int)),
            0);
        ck_assert_int_eq(readback_helper_new(sv[0], 0, &h), 0);
        ck_assert_int_eq(readback_helper_pid(h), 0);

        /* Silence. */
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 50, &c), -ETIMEDOUT);
        id = fake_recv_id(sv[1]);
        /* The late reply to that request, then the right one. */
        fake_send(sv[1], id, -ESRCH, 0);
        fake_send(sv[1], id + 1, 0, 2);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), 0);
        ck_assert_uint_eq(fake_recv_id(sv[1]), id + 1);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_uint_eq(c.progs[0].n, 2);
        seccomp_chain_done(&c);
        /* An error result is returned as it is. */
        fake_send(sv[1], id + 2, -EACCES, 0);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), -EACCES);
        (void)fake_recv_id(sv[1]);
        /* Garbage. */
        ck_assert_int_eq(send(sv[1], "garbage", 7, 0), 7);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), -EBADMSG);
        (void)fake_recv_id(sv[1]);
        /* Longer than any reply can be. */
        {
                uint8_t *big = calloc(1, READBACK_REPLY_MAX + 16);

                ck_assert_ptr_nonnull(big);
                memcpy(big, &(uint32_t){READBACK_REPLY_MAGIC}, 4);
                ck_assert_int_eq(send(sv[1], big, READBACK_REPLY_MAX + 16, 0),
                                 READBACK_REPLY_MAX + 16);
                free(big);
                ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), -EBADMSG);
                (void)fake_recv_id(sv[1]);
        }
        /* No pid 0 or below: refused before anything is sent. */
        ck_assert_int_eq(readback_helper_read(h, 0, 1, 1000, &c), -EINVAL);
        /* EOF. */
        close(sv[1]);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), -ENOTCONN);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 1000, &c), -ENOTCONN);
}
END_TEST

/* A helper that answers nothing: at most READBACK_HELPER_MAX_PENDING
 * requests are left waiting; past that the daemon's side refuses at once
 * (-EBUSY) and sends nothing, so it can never block on a full socket. A
 * late reply makes room again. */
START_TEST(test_fake_helper_busy)
{
        _cleanup_readback_helper_ struct readback_helper *h = NULL;
        struct seccomp_chain c = {0};
        uint8_t buf[64];
        uint32_t first = 0;
        unsigned sent = 0;
        int sv[2];

        ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
        ck_assert_int_eq(readback_helper_new(sv[0], 0, &h), 0);
        for (unsigned i = 0; i < READBACK_HELPER_MAX_PENDING; i++)
                ck_assert_int_eq(readback_helper_read(h, 1, 1, 10, &c), -ETIMEDOUT);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 10, &c), -EBUSY);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 10, &c), -EBUSY);
        while (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == READBACK_REQUEST_SIZE) {
                struct readback_request rq;

                ck_assert_int_eq(readback_request_parse(buf, READBACK_REQUEST_SIZE, &rq), 0);
                if (sent++ == 0)
                        first = rq.id;
        }
        ck_assert_uint_eq(sent, READBACK_HELPER_MAX_PENDING);
        /* The first request's late reply: one more may go. */
        fake_send(sv[1], first, -ESRCH, 0);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 10, &c), -ETIMEDOUT);
        ck_assert_int_eq(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), READBACK_REQUEST_SIZE);
        ck_assert_int_eq(readback_helper_read(h, 1, 1, 10, &c), -EBUSY);
        close(sv[1]);
}
END_TEST

/* A real read that cannot finish in time: the target is a vfork parent,
 * which cannot stop until its child execs or exits. The daemon's side
 * gives up; once the target can stop, the late reply is dropped and the
 * next request gets its own answer. */
START_TEST(test_helper_timeout)
{
        _cleanup_readback_helper_ struct readback_helper *h = NULL;
        _cleanup_close_ int proc = -1;
        struct seccomp_chain c = {0};
        int p[2];
        pid_t stuck, vchild = 0, other;

        if (!have_root() || !not_under_seccomp())
                return;
        proc = open_proc();
        ck_assert_int_eq(readback_helper_start(proc, &h), 0);
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        stuck = fork();
        ck_assert_int_ge(stuck, 0);
        if (stuck == 0) {
                pid_t v;

                prctl(PR_SET_PDEATHSIG, SIGKILL);
                v = vfork();
                if (v == 0) {
                        /* The vfork child: tell the test who it is (raw
                         * syscalls only), then sleep in the parent's
                         * memory until killed. */
                        pid_t me = (pid_t)syscall(SYS_getpid);

                        syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL);
                        syscall(SYS_write, p[1], &me, sizeof(me));
                        for (;;)
                                syscall(SYS_pause);
                }
                for (;;)
                        pause();
        }
        close(p[1]);
        ck_assert_int_eq(read(p[0], &vchild, sizeof(vchild)), sizeof(vchild));
        close(p[0]);
        ck_assert_int_eq(readback_helper_read(h, stuck, start_time_of(stuck), 300, &c), -ETIMEDOUT);
        /* Let it go: the helper's read completes and its late reply
         * arrives; the next request must not take it for its own. */
        kill(vchild, SIGKILL);
        other = sleeper(NULL);
        ck_assert_int_gt(other, 0);
        ck_assert_int_eq(readback_helper_read(h, other, start_time_of(other), 5000, &c), 0);
        ck_assert_uint_eq(c.n, 0);
        reap(other);
        reap(stuck);
}
END_TEST

/* ---- the daemon's work under its own filter ----
 *
 * A child does what hardend does, in hardend's order: open the audit
 * socket, the control socket and the readback helper, drop, confine with
 * profiles/hardend.yaml; then run the event loop (io, timer, signal,
 * inotify, defer, watchdog), serve a control client (SO_PEERCRED), notify,
 * log to the journal, drain audit records through the events pipeline,
 * read the journal, scan /proc, build and match workloads, check their
 * posture and read their filters back through the helper, compile an
 * AppArmor profile with apparmor_parser, generate and write seccomp
 * artifacts, save state and the change log, hash. Every step must work.
 * Meanwhile the test reads the audit multicast group: in monitor mode
 * any call outside the list leaves a type-1326 record (SECCOMP_RET_LOG),
 * in enforce mode any refusal does (SECCOMP_FILTER_FLAG_LOG). The only
 * record allowed is the one the child makes on purpose at the end
 * (getpriority), which also proves the reader sees records. */

#define WORK_COMM "hardend-work"

struct work_args {
        enum policy_mode mode;
        pid_t other;  /* a process of uid 65534 */
        char dir[64]; /* a scratch directory: state, runtime, seccomp */
};

static int on_work_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

struct loop_state {
        int listen_fd;
        char socket_path[128];
        bool accepted, signalled, inotified, deferred;
        struct peer peer;
};

static int on_work_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct loop_state *ls = userdata;
        int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        char b[8];

        CHECK(c >= 0, "accept4: %m");
        CHECK(peer_from_socket(c, &ls->peer) == 0, "peer_from_socket");
        (void)!read(c, b, sizeof(b));
        close(c);
        ls->accepted = true;
        return 0;
}

static int on_work_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
        ((struct loop_state *)userdata)->signalled = true;
        return 0;
}

static int on_work_inotify(sd_event_source *s, const struct inotify_event *ev, void *userdata)
{
        ((struct loop_state *)userdata)->inotified = true;
        return 0;
}

static int on_work_defer(sd_event_source *s, void *userdata)
{
        struct loop_state *ls = userdata;
        int fd = control_connect(ls->socket_path, 1000);

        CHECK(fd >= 0, "control_connect: %s", strerror(-fd));
        (void)!write(fd, "x", 1);
        close(fd);
        ls->deferred = true;
        return 0;
}

static void work_loop(const struct work_args *a, int listen_fd, const char *socket_path)
{
        _cleanup_close_ int touch = -1;
        struct loop_state ls = {.listen_fd = listen_fd};
        sd_event *e = NULL;
        sigset_t ss;
        char path[128];
        int r;

        snprintf(ls.socket_path, sizeof(ls.socket_path), "%s", socket_path);
        CHECK(sd_event_new(&e) >= 0, "sd_event_new");
        sigemptyset(&ss);
        sigaddset(&ss, SIGUSR1);
        CHECK(sigprocmask(SIG_BLOCK, &ss, NULL) == 0, "sigprocmask");
        CHECK(sd_event_add_signal(e, NULL, SIGUSR1, on_work_signal, &ls) >= 0, "signal source");
        CHECK(sd_event_add_io(e, NULL, listen_fd, EPOLLIN, on_work_accept, &ls) >= 0, "io source");
        CHECK(sd_event_add_inotify(e, NULL, a->dir, IN_CLOSE_WRITE, on_work_inotify, &ls) >= 0,
              "inotify source");
        CHECK(sd_event_add_defer(e, NULL, on_work_defer, &ls) >= 0, "defer source");
        CHECK(sd_event_add_time_relative(e, NULL, CLOCK_MONOTONIC, 300 * 1000, 0, on_work_timer,
                                         NULL) >= 0,
              "timer source");
        r = sd_event_set_watchdog(e, true);
        CHECK(r > 0, "watchdog: %d", r);
        snprintf(path, sizeof(path), "%s/touched", a->dir);
        touch = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        CHECK(touch >= 0, "touch");
        close(TAKE_FD(touch));
        CHECK(kill(getpid(), SIGUSR1) == 0, "kill");
        r = sd_event_loop(e);
        CHECK(r == 0, "sd_event_loop: %d", r);
        CHECK(ls.accepted && ls.signalled && ls.inotified && ls.deferred,
              "loop: accepted %d signalled %d inotified %d deferred %d", ls.accepted, ls.signalled,
              ls.inotified, ls.deferred);
        CHECK(ls.peer.uid == 0 && ls.peer.pid == getpid(), "peer uid %u pid %d", ls.peer.uid,
              (int)ls.peer.pid);
        peer_done(&ls.peer);
        sd_event_unref(e);
}

static void work_posture(int proc, int root, const struct policy_set *set,
                         struct readback_helper *h, pid_t other_pid)
{
        struct posture_scan scan;
        struct workload_set ws;
        const struct proc_info *other;
        size_t read_back = 0;
        int r;

        r = posture_scan_run(proc, 0, SCAN_EXE | SCAN_CMDLINE | SCAN_THREADS, &scan);
        CHECK(r == 0, "posture_scan_run: %s", strerror(-r));
        CHECK(scan.n_procs > 2, "%zu processes", scan.n_procs);
        /* Another user's process: its exe and namespaces are readable
         * (ptrace read access): CAP_SYS_PTRACE is kept for this. */
        other = posture_scan_find(&scan, other_pid);
        CHECK(other && other->creds.uid[1] == 65534 && other->exe &&
                  !(other->gaps & (PROC_GAP_EXE | PROC_GAP_NS)),
              "another user's process %d: exe %s, gaps 0x%x", (int)other_pid,
              other && other->exe ? other->exe : "-", other ? other->gaps : 0);
        CHECK(workloads_build(&scan, root, &ws) == 0, "workloads_build");
        CHECK(workloads_match(&ws, &scan, set) == 0, "workloads_match");
        for (size_t i = 0; i < ws.n; i++) {
                struct posture_report rep;
                struct seccomp_summary sum;

                CHECK(posture_check(&scan, &ws.items[i], root, &rep) == 0, "posture_check");
                posture_report_done(&rep);
                if (!ws.items[i].policy)
                        continue;
                r = posture_seccomp_check_with(proc, &scan, &ws.items[i], readback_helper_reader, h,
                                               &sum);
                if (r >= 0) {
                        read_back++;
                        seccomp_summary_done(&sum);
                }
        }
        /* Our own process through the helper, as status does. */
        {
                struct seccomp_chain c = {0};
                const struct proc_info *me = posture_scan_find(&scan, getpid());

                CHECK(me, "self in the scan");
                r = readback_helper_read(h, getpid(), me->start_time, 5000, &c);
                CHECK(r == 0 && c.n == 1, "own filter through the helper: %d", r);
                seccomp_chain_done(&c);
        }
        workload_set_done(&ws);
        posture_scan_done(&scan);
}

static void work_apparmor(const struct policy_set *set)
{
        const struct policy *api = policy_set_find(set, "api");
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        struct apparmor_parser_error err = {0};
        struct apparmor_binary bin = {0};
        struct apparmor_kernel *k = NULL;
        enum apparmor_support sup;
        int r;

        CHECK(api, "api policy");
        CHECK(apparmor_render(api, POLICY_MODE_MONITOR, NULL, &prof) == 0, "render");
        /* The check the daemon makes before switching (-Q -K), and the
         * binary it loads (-S). */
        r = apparmor_compile_profile(NULL, prof, &err, NULL);
        CHECK(r == 0, "apparmor_parser -Q -K: %s: %s", strerror(-r),
              err.message ? err.message : "");
        r = apparmor_compile_profile(NULL, prof, &err, &bin);
        CHECK(r == 0 && bin.size > 0, "apparmor_parser -S: %s: %s", strerror(-r),
              err.message ? err.message : "");
        apparmor_binary_done(&bin);
        apparmor_parser_error_done(&err);
        CHECK(apparmor_support_probe(&sup) == 0, "apparmor_support_probe");
        r = apparmor_kernel_open(&k);
        CHECK(r == 0 || apparmor_unavailable(r), "apparmor_kernel_open: %s", strerror(-r));
        apparmor_kernel_close(k);
}

static void work_files(const struct work_args *a, const struct policy_set *set)
{
        const struct policy *api = policy_set_find(set, "api");
        struct seccomp_generate_options o = {.mode = POLICY_MODE_ENFORCE};
        _cleanup_state_ struct hardend_state *st = state_new(), *back = NULL;
        _cleanup_close_ int dir = open(a->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), lock = -1;
        struct changelog_entry ce = {.service = "api",
                                     .to = POLICY_MODE_ENFORCE,
                                     .who = {.uid = 0, .pid = 1, .comm = "test"}};
        struct seccomp_artifacts art;
        struct seccomp_error err;
        char hex[SHA256_HEX_SIZE];
        struct diag_list d;
        int r;

        CHECK(dir >= 0, "state dir");
        lock = openat(dir, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        CHECK(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0, "lock: %m");
        r = seccomp_generate(api, NULL, &o, &err, &art);
        CHECK(r == 0, "seccomp_generate: %s", err.text);
        r = seccomp_artifacts_write(dir, "api", &art);
        CHECK(r == 0, "seccomp_artifacts_write: %s", strerror(-r));
        CHECK(sha256_hex(art.json, art.json_size, hex) == 0, "sha256");
        seccomp_artifacts_done(&art);
        CHECK(st &&
                  state_set_mode(st, "api", POLICY_MODE_ENFORCE, now_realtime_usec(), &ce.who) == 0,
              "state_set_mode");
        r = state_save(dir, st);
        CHECK(r == 0, "state_save: %s", strerror(-r));
        CHECK(diag_list_init(&d, "state.json") == 0, "diag");
        r = state_load(dir, now_realtime_usec(), &d, &back, NULL);
        CHECK(r == 0 && back && state_find(back, "api"), "state_load: %d", r);
        diag_list_done(&d);
        ce.time_usec = now_realtime_usec();
        r = changelog_append(dir, &ce);
        CHECK(r == 0, "changelog_append: %s", strerror(-r));
}

static int count_raw(const struct audit_raw *raw, void *userdata)
{
        (*(size_t *)userdata)++;
        return 0;
}

static void work_sources(struct audit_netlink *an, int proc, int root, const struct policy_set *set)
{
        struct events_pipeline_config pc = {.policies = set, .proc_fd = proc, .root_fd = root};
        struct events_pipeline *pl = NULL;
        struct journal_source *j = NULL;
        _cleanup_free_ char *cursor = NULL;
        size_t n = 0;
        int r;

        CHECK(events_pipeline_new(&pc, &pl) == 0, "events_pipeline_new");
        r = audit_netlink_drain(an, events_pipeline_raw_fn, pl);
        CHECK(r >= 0, "audit_netlink_drain: %s", strerror(-r));
        events_pipeline_flush(pl);
        events_pipeline_free(pl);
        r = journal_source_open(NULL, NULL, 0, &j);
        CHECK(r == 0, "journal_source_open: %s", strerror(-r));
        r = journal_source_drain(j, 2000, count_raw, &n);
        CHECK(r >= 0, "journal_source_drain: %s", strerror(-r));
        CHECK(journal_source_fd(j) >= 0, "journal_source_fd");
        r = journal_source_process(j);
        CHECK(r >= 0, "journal_source_process: %s", strerror(-r));
        (void)journal_source_cursor(j, &cursor);
        journal_source_free(j);
}

static void work_child(void *arg)
{
        const struct work_args *a = arg;
        _cleanup_policy_ struct policy *self = NULL;
        struct policy_set set = {0};
        struct readback_helper *h = NULL;
        struct audit_netlink *an = NULL;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        struct seccomp_error err;
        struct privileges_state ps;
        char notify[96];
        int proc, root, listen_fd, notify_fd, r;

        prctl(PR_SET_NAME, WORK_COMM);
        /* Start-up, with every capability. */
        proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        CHECK(proc >= 0 && root >= 0, "/proc, /");
        r = policy_set_load_dir(test_path("profiles"), &set, NULL, NULL);
        CHECK(r == 0, "policy_set_load_dir: %d", r);
        self = load_policy_quiet("profiles/hardend.yaml");
        CHECK(self, "hardend.yaml");
        r = audit_netlink_open(0, &an);
        CHECK(r == 0, "audit_netlink_open: %s", strerror(-r));
        CHECK(audit_netlink_stats(an)->rcvbuf >= (int)AUDIT_NETLINK_RCVBUF_DEFAULT,
              "rcvbuf %d: SO_RCVBUFFORCE before the drop", audit_netlink_stats(an)->rcvbuf);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/control.sock", a->dir);
        listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        CHECK(listen_fd >= 0 && bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                  listen(listen_fd, 4) == 0,
              "control socket: %m");
        /* systemd's side of sd_notify. */
        snprintf(notify, sizeof(notify), "%s/notify.sock", a->dir);
        notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        {
                struct sockaddr_un ns = {.sun_family = AF_UNIX};

                snprintf(ns.sun_path, sizeof(ns.sun_path), "%s", notify);
                CHECK(notify_fd >= 0 && bind(notify_fd, (struct sockaddr *)&ns, sizeof(ns)) == 0,
                      "notify socket: %m");
        }
        setenv("NOTIFY_SOCKET", notify, 1);
        setenv("WATCHDOG_USEC", "10000000", 1);
        {
                char pid[16];

                snprintf(pid, sizeof(pid), "%d", (int)getpid());
                setenv("WATCHDOG_PID", pid, 1);
        }
        r = readback_helper_start(proc, &h);
        CHECK(r == 0, "readback_helper_start: %s", strerror(-r));

        /* The drop and the filter. */
        r = privileges_drop(privileges_mask(privileges_daemon, privileges_daemon_len), NULL);
        CHECK(r == 0, "privileges_drop: %s", strerror(-r));
        r = privileges_confine(self, NULL, a->mode, &err);
        CHECK(r == 0, "privileges_confine: %s (%s)", strerror(-r), err.text);

        /* The work. */
        r = privileges_state_read(proc, &ps);
        CHECK(r == 0 && ps.seccomp_mode == 2, "privileges_state_read: %d", r);
        privileges_state_done(&ps);
        work_loop(a, listen_fd, sa.sun_path);
        r = sd_notify(0, "READY=1\nSTATUS=working");
        CHECK(r > 0, "sd_notify: %d", r);
        (void)sd_journal_send("MESSAGE=hardend privileges test", "PRIORITY=6", NULL);
        work_sources(an, proc, root, &set);
        work_posture(proc, root, &set, h, a->other);
        work_apparmor(&set);
        work_files(a, &set);
        /* As after a reload or a mode switch: freed pages go back. */
        (void)malloc_trim(0);
        h = readback_helper_stop(h);

        /* The one call outside the list, on purpose: its record closes
         * the window the test reads. */
        (void)syscall(SYS_getpriority, PRIO_PROCESS, 0);
        audit_netlink_free(an);
        policy_set_done(&set);
        close(listen_fd);
        close(notify_fd);
}

#define SEEN_KEEP 64

struct seen {
        pid_t pid;
        bool marker;
        size_t n_other;
        /* Distinct "syscall(comm)" outside the list, with counts. */
        char names[SEEN_KEEP][96];
        unsigned counts[SEEN_KEEP];
        size_t n_names;
};

/* "key=value" in an audit record; value up to a blank. */
static bool rec_field(const char *rec, size_t len, const char *key, char *out, size_t size)
{
        size_t klen = strlen(key);

        for (size_t i = 0; i + klen < len; i++) {
                size_t n = 0;

                if ((i > 0 && rec[i - 1] != ' ') || memcmp(rec + i, key, klen) != 0 ||
                    rec[i + klen] != '=')
                        continue;
                i += klen + 1;
                while (i + n < len && rec[i + n] != ' ' && n + 1 < size)
                        n++;
                memcpy(out, rec + i, n);
                out[n] = '\0';
                return true;
        }
        return false;
}

/* The sanitizers' runtime (make SANITIZE=1) makes calls of its own that
 * hardend does not: madvise for its shadow memory and allocator. */
static bool sanitizer_call(const char *name)
{
#if defined(__SANITIZE_ADDRESS__)
        return name && (strcmp(name, "madvise") == 0 || strcmp(name, "sigaltstack") == 0);
#else
        return false;
#endif
}

static int on_record(const struct audit_raw *raw, void *userdata)
{
        struct seen *s = userdata;
        char pid[16], comm[64], nr[16], key[96];
        const char *name;

        if (raw->type != 1326 || !rec_field(raw->text, raw->len, "pid", pid, sizeof(pid)) ||
            !rec_field(raw->text, raw->len, "comm", comm, sizeof(comm)) ||
            !rec_field(raw->text, raw->len, "syscall", nr, sizeof(nr)))
                return 0;
        /* The child, its forks before exec (same comm), apparmor_parser. */
        if (atoi(pid) != s->pid && strcmp(comm, "\"" WORK_COMM "\"") != 0 &&
            strcmp(comm, "\"apparmor_parser\"") != 0)
                return 0;
        if (atoi(pid) == s->pid && atol(nr) == SYS_getpriority) {
                s->marker = true;
                return 0;
        }
        name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, atoi(nr));
        if (sanitizer_call(name)) {
                free((void *)name);
                return 0;
        }
        snprintf(key, sizeof(key), "%s(%s)", name ? name : nr, comm);
        free((void *)name);
        s->n_other++;
        for (size_t i = 0; i < s->n_names; i++)
                if (strcmp(s->names[i], key) == 0) {
                        s->counts[i]++;
                        return 0;
                }
        if (s->n_names < SEEN_KEEP) {
                snprintf(s->names[s->n_names], sizeof(s->names[0]), "%s", key);
                s->counts[s->n_names++] = 1;
        }
        return 0;
}

static void run_work(enum policy_mode mode)
{
        struct work_args a = {.mode = mode};
        struct audit_netlink *an = NULL;
        struct seen seen = {0};
        char msg[2048] = "";
        int p[2], status, r;
        uint64_t deadline;
        ssize_t n;

        if (!have_root() || !not_under_seccomp())
                return;
        r = audit_netlink_open(0, &an);
        if (!test_require(r == 0, "the audit multicast group (AUDIT_NLGRP_READLOG)"))
                return;
        if (!test_require(access("/usr/sbin/apparmor_parser", X_OK) == 0, "apparmor_parser"))
                return;
        a.other = fork();
        ck_assert_int_ge(a.other, 0);
        if (a.other == 0) {
                /* After the identity change, which clears the death signal. */
                if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0 ||
                    prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
                        _exit(1);
                for (;;)
                        pause();
        }
        snprintf(a.dir, sizeof(a.dir), "/tmp/hardend-privs-XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(a.dir));
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        seen.pid = fork();
        ck_assert_int_ge(seen.pid, 0);
        if (seen.pid == 0) {
                close(p[0]);
                child_msg_fd = p[1];
                work_child(&a);
                _exit(0);
        }
        close(p[1]);
        n = read(p[0], msg, sizeof(msg) - 1);
        msg[n > 0 ? n : 0] = '\0';
        close(p[0]);
        ck_assert_int_eq(waitpid(seen.pid, &status, 0), seen.pid);
        reap(a.other);
        /* Records arrive in order: the marker is the last of the child's. */
        deadline = now_monotonic_usec() + 5 * USEC_PER_SEC;
        while (!seen.marker && now_monotonic_usec() < deadline) {
                struct pollfd pfd = {.fd = audit_netlink_fd(an), .events = POLLIN};

                if (poll(&pfd, 1, 100) > 0)
                        ck_assert_int_ge(audit_netlink_drain(an, on_record, &seen), 0);
        }
        ck_assert_uint_eq(audit_netlink_stats(an)->overruns, 0);
        audit_netlink_free(an);
        {
                char cmd[128];

                snprintf(cmd, sizeof(cmd), "rm -rf '%s'", a.dir);
                (void)!system(cmd);
        }
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "work child: 0x%x: %s", status,
                      msg[0] ? msg : "(no message)");
        ck_assert_msg(seen.marker, "no type-1326 record for the marker call: the audit reader "
                                   "saw nothing");
        if (seen.n_other > 0) {
                char list[SEEN_KEEP * 104] = "";

                for (size_t i = 0; i < seen.n_names; i++)
                        snprintf(list + strlen(list), sizeof(list) - strlen(list), " %s x%u",
                                 seen.names[i], seen.counts[i]);
                ck_abort_msg("%s mode: %zu calls outside hardend.yaml's list:%s",
                             policy_mode_to_string(mode), seen.n_other, list);
        }
}

START_TEST(test_work_monitor)
{
        run_work(POLICY_MODE_MONITOR);
}
END_TEST

START_TEST(test_work_enforce)
{
        run_work(POLICY_MODE_ENFORCE);
}
END_TEST

Suite *daemon_privileges_suite(void);
Suite *daemon_privileges_suite(void)
{
        Suite *s = suite_create("daemon-privileges");
        TCase *lists = tcase_create("lists");
        TCase *live = tcase_create("live");
        TCase *helper = tcase_create("readback-helper");
        TCase *wire = tcase_create("wire");
        TCase *work = tcase_create("own-policy");

        tcase_add_test(lists, test_lists_match_policy);
        tcase_add_test(lists, test_mask_names);
        suite_add_tcase(s, lists);
        tcase_add_test(live, test_drop);
        tcase_add_test(live, test_drop_needs_setpcap);
        tcase_add_test(live, test_confine_enforce);
        tcase_add_test(live, test_confine_monitor);
        suite_add_tcase(s, live);
        tcase_set_timeout(helper, 30);
        tcase_add_test(helper, test_readback_while_confined);
        tcase_add_test(helper, test_readback_daemon_order);
        tcase_add_test(helper, test_helper_process);
        tcase_add_test(helper, test_helper_dies_with_parent);
        tcase_add_test(helper, test_helper_timeout);
        suite_add_tcase(s, helper);
        tcase_add_loop_test(wire, test_reply_parse, 0, ELEMENTSOF(reply_cases));
        tcase_add_test(wire, test_reply_limits);
        tcase_add_test(wire, test_request_parse);
        tcase_add_test(wire, test_serve_malformed_requests);
        tcase_add_test(wire, test_fake_helper);
        tcase_add_test(wire, test_fake_helper_busy);
        suite_add_tcase(s, wire);
        tcase_set_timeout(work, 120);
        tcase_add_test(work, test_work_monitor);
        tcase_add_test(work, test_work_enforce);
        suite_add_tcase(s, work);
        return s;
}
TEST_SUITE(daemon_privileges_suite)
