/* SPDX-License-Identifier: MIT */
/* Live audit storm: a generator on CPU 1 makes logged system calls
 * (getppid() under a filter whose only rule is SCMP_ACT_LOG for it) as fast
 * as one core allows; the agent's consumer on CPU 0 drains the netlink
 * source with poll() and feeds every record through the agent's pipeline
 * (serial accounting, parse, de-duplication, live attribution through
 * /proc with the shipped policies, observations). Target: it
 * keeps up with zero overruns and zero serial gaps, using under half a
 * core. HARDEND_BENCH_SECONDS sets the storm's length (default 30).
 *
 * Baselines, same run:
 *  - the records the generator caused (one per call) against the records
 *    consumed: 1.00 when nothing was lost;
 *  - the consumer's CPU per record against the generator's CPU per logged
 *    call: what reading a record costs next to what making it costs;
 *  - the generator's rate without our listener on the multicast group
 *    (half of a third of the time before the storm, half after, so that
 *    the machine's other work weighs on both alike): whether a listener
 *    slows the producers down.
 * The storm reaches every listener on the group: other ones (journald
 * reading audit, another agent) are counted from /proc/net/netlink with
 * the records the kernel dropped for them during the storm. Run it on a
 * machine where flooding them does no harm.
 * Also reported: kauditd's CPU per record (the kernel thread that sends
 * records to the group, from /proc), the kernel's own loss counter and the
 * time producers spent waiting for the audit backlog (AUDIT_GET, needs
 * CAP_AUDIT_CONTROL), and how many records went to the kernel log through
 * printk's rate limit (/dev/kmsg). */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"
#include "bench-util.h"
#include "sources/audit-netlink.h"
#include "events/events-pipeline.h"
#include "policy/policy-set.h"

#define QUIET_MS 500 /* after the generator stops: records still on their way */

/* ---- the consumer: the agent's whole pipeline, live attribution included ---- */

struct consumer {
        struct events_pipeline *pipeline;
        uint64_t ours; /* seccomp records of getppid from the generator */
        pid_t generator;
};

static int count_ours(const struct audit_event *e, const struct event_context *ctx, void *userdata)
{
        struct consumer *c = userdata;

        if (e->kind == EVENT_SECCOMP && e->pid == c->generator &&
            e->seccomp.syscall == SYS_getppid && ctx->attr->how == ATTRIBUTED_LIVE)
                c->ours++;
        return 0;
}

/* ---- measurements around the storm ---- */

static double cpu_s(int who)
{
        struct rusage ru;

        getrusage(who, &ru);
        return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
               ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void pin(int cpu)
{
        cpu_set_t set;

        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set) < 0)
                fprintf(stderr, "bench-events-storm: cannot pin to CPU %d: %m\n", cpu);
}

/* kauditd's CPU time in seconds, or -1. */
static double kauditd_cpu_s(void)
{
        static pid_t pid;
        char path[64], buf[1024];
        unsigned long ut, st;
        const char *p;
        FILE *f;

        if (!pid) {
                for (pid_t i = 2; i < 4096 && !pid; i++) {
                        char comm[32] = "";

                        snprintf(path, sizeof(path), "/proc/%d/comm", (int)i);
                        f = fopen(path, "re");
                        if (!f)
                                continue;
                        if (fgets(comm, sizeof(comm), f) && strcmp(comm, "kauditd\n") == 0)
                                pid = i;
                        fclose(f);
                }
                if (!pid)
                        pid = -1;
        }
        if (pid < 0)
                return -1;
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return -1;
        p = fgets(buf, sizeof(buf), f);
        fclose(f);
        if (!p || !(p = strrchr(buf, ')')) ||
            sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
                return -1;
        return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The kernel's audit status (AUDIT_GET), or false without
 * CAP_AUDIT_CONTROL. */
static bool audit_status(struct audit_status *ret)
{
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
        struct nlmsghdr req = {.nlmsg_len = NLMSG_LENGTH(0),
                               .nlmsg_type = AUDIT_GET,
                               .nlmsg_flags = NLM_F_REQUEST,
                               .nlmsg_seq = 1};
        struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
        uint32_t buf[2048];
        struct timeval tv = {.tv_sec = 1};

        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
            sendto(fd, &req, req.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
                return false;
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);
                const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

                if (n < (ssize_t)NLMSG_HDRLEN)
                        return false;
                if (h->nlmsg_type == NLMSG_ERROR) {
                        const struct nlmsgerr *e = NLMSG_DATA(h);

                        if (e->error != 0)
                                return false;
                        continue; /* an ACK */
                }
                if (h->nlmsg_type == AUDIT_GET &&
                    (size_t)n >= NLMSG_HDRLEN + offsetof(struct audit_status, feature_bitmap)) {
                        memset(ret, 0, sizeof(*ret));
                        memcpy(ret, NLMSG_DATA(h),
                               (size_t)n - NLMSG_HDRLEN < sizeof(*ret) ? (size_t)n - NLMSG_HDRLEN
                                                                       : sizeof(*ret));
                        return true;
                }
        }
}

/* Other sockets on the audit multicast group (/proc/net/netlink: protocol
 * 9, group bit 0, not the kernel's), and the records the kernel dropped for
 * them. Returns their number, or -1. */
static int group_listeners(uint32_t self, unsigned long *ret_drops)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/net/netlink", "re");
        char line[512];
        int n = 0;

        *ret_drops = 0;
        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f)) {
                unsigned long proto, portid, groups, drops;

                if (sscanf(line, "%*x %lu %lu %lx %*u %*u %*u %*u %lu", &proto, &portid, &groups,
                           &drops) == 4 &&
                    proto == NETLINK_AUDIT && portid != 0 && portid != self &&
                    (groups & (1u << (AUDIT_NLGRP_READLOG - 1)))) {
                        n++;
                        *ret_drops += drops;
                }
        }
        return n;
}

/* /dev/kmsg from now on: open at the end. */
static int kmsg_open(void)
{
        int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

        if (fd >= 0)
                (void)lseek(fd, 0, SEEK_END);
        return fd;
}

/* Kernel log records since kmsg_open(): audit records printed, and the
 * records printk's rate limit suppressed ("N callbacks suppressed"). */
static void kmsg_count(int fd, unsigned long *ret_printed, unsigned long *ret_suppressed)
{
        char rec[8192];
        ssize_t n;

        *ret_printed = *ret_suppressed = 0;
        if (fd < 0)
                return;
        while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
                const char *p;

                if (n < 0) {
                        if (errno == EPIPE)
                                continue; /* overwritten before we read it */
                        break;
                }
                rec[n] = '\0';
                if (strstr(rec, "audit: type="))
                        (*ret_printed)++;
                p = strstr(rec, "kauditd_printk_skb: ");
                if (p && strstr(p, "callbacks suppressed"))
                        *ret_suppressed += strtoul(p + 20, NULL, 10);
        }
}

/* ---- the generator ---- */

struct gen_result {
        unsigned long calls;
        double cpu_s, wall_s;
};

/* Forks the generator: pinned to CPU 1, getppid() logged, calling it for
 * seconds. Its result comes back through *ret_fd. */
static pid_t generator_start(double seconds, int *ret_fd)
{
        int fds[2];
        pid_t pid;

        if (pipe2(fds, O_CLOEXEC) < 0)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
                struct gen_result r = {0};
                double t0, end;

                close(fds[0]);
                pin(1);
                if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getppid), 0) < 0 ||
                    seccomp_load(ctx) < 0)
                        _exit(90);
                t0 = now_ns();
                end = t0 + seconds * 1e9;
                while (now_ns() < end) {
                        for (int i = 0; i < 256; i++)
                                syscall(SYS_getppid);
                        r.calls += 256;
                }
                r.wall_s = (now_ns() - t0) / 1e9;
                r.cpu_s = cpu_s(RUSAGE_SELF);
                _exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 91);
        }
        close(fds[1]);
        *ret_fd = fds[0];
        return pid;
}

static bool generator_finish(pid_t pid, int fd, struct gen_result *ret)
{
        int status;
        bool ok = read(fd, ret, sizeof(*ret)) == sizeof(*ret);

        close(fd);
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "bench-events-storm: generator failed (status %d)\n", status);
                return false;
        }
        return ok;
}

int main(void)
{
        const char *env = getenv("HARDEND_BENCH_SECONDS");
        double seconds = env ? atof(env) : 30.0, base_s, wall, t0, cpu0, kcpu0, kcpu1;
        struct audit_netlink *src = NULL;
        static struct consumer c;
        struct gen_result base = {0}, base2 = {0}, gen = {0};
        unsigned long others_drops0, others_drops1;
        struct sockaddr_nl self = {0};
        socklen_t self_len = sizeof(self);
        int others;
        struct audit_status st0 = {0}, st1 = {0};
        bool have_status;
        unsigned long printed, suppressed;
        struct audit_netlink_stats ns;
        long long quiet_until = 0;
        int gfd, kmsg, r, proc_fd, root_fd;
        struct policy_set policies = {0};
        const struct events_pipeline_stats *ps;
        pid_t pid;

        if (seconds < 1)
                seconds = 1;
        base_s = seconds / 6 < 1 ? 1 : seconds / 6;
        printf("bench-events-storm: live audit storm, %.0f s (HARDEND_BENCH_SECONDS)\n", seconds);
        pin(0);

        /* Baseline, first half: the generator without our listener. */
        others = group_listeners(0, &others_drops0);
        pid = generator_start(base_s, &gfd);
        if (pid < 0 || !generator_finish(pid, gfd, &base))
                return 1;

        r = audit_netlink_open(0, &src);
        if (r < 0) {
                printf("  skipped: cannot open the audit multicast group: %s (root, "
                       "CAP_AUDIT_READ)\n",
                       strerror(-r));
                return 0;
        }
        (void)getsockname(audit_netlink_fd(src), (struct sockaddr *)&self, &self_len);
        (void)group_listeners(self.nl_pid, &others_drops0);
        proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (policy_set_load_dir("profiles", &policies, NULL, NULL) != 0 ||
            events_pipeline_new(&(struct events_pipeline_config){.policies = &policies,
                                                                 .proc_fd = proc_fd,
                                                                 .root_fd = root_fd,
                                                                 .sink = count_ours,
                                                                 .userdata = &c},
                                &c.pipeline) < 0) {
                fprintf(stderr, "bench-events-storm: run from the source tree (profiles/)\n");
                return 1;
        }
        have_status = audit_status(&st0);
        kmsg = kmsg_open();
        kcpu0 = kauditd_cpu_s();
        cpu0 = cpu_s(RUSAGE_SELF);
        t0 = now_ns();

        pid = generator_start(seconds, &gfd);
        if (pid < 0)
                return 1;
        c.generator = pid;
        for (;;) {
                struct pollfd p = {.fd = audit_netlink_fd(src), .events = POLLIN};
                long long now;

                if (poll(&p, 1, 100) < 0 && errno != EINTR)
                        return 1;
                r = audit_netlink_drain(src, events_pipeline_raw_fn, c.pipeline);
                if (r < 0) {
                        fprintf(stderr, "bench-events-storm: drain: %s\n", strerror(-r));
                        return 1;
                }
                now = (long long)(now_ns() / 1e6);
                if (!quiet_until) {
                        siginfo_t si = {0};

                        /* Exited (left to reap): records may still be queued. */
                        if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                            si.si_pid == pid)
                                quiet_until = now + QUIET_MS;
                } else if (r > 0)
                        quiet_until = now + QUIET_MS;
                else if (now >= quiet_until)
                        break;
        }
        wall = (now_ns() - t0) / 1e9 - QUIET_MS / 1e3;
        double cpu = cpu_s(RUSAGE_SELF) - cpu0;
        kcpu1 = kauditd_cpu_s();
        if (!generator_finish(pid, gfd, &gen))
                return 1;
        events_pipeline_flush(c.pipeline);
        ps = events_pipeline_stats(c.pipeline);
        if (have_status)
                have_status = audit_status(&st1);
        kmsg_count(kmsg, &printed, &suppressed);
        if (kmsg >= 0)
                close(kmsg);
        ns = *audit_netlink_stats(src);
        (void)group_listeners(self.nl_pid, &others_drops1);
        audit_netlink_free(src);
        src = NULL;

        /* Baseline, second half. */
        pid = generator_start(base_s, &gfd);
        if (pid < 0 || !generator_finish(pid, gfd, &base2))
                return 1;
        base.calls += base2.calls;
        base.cpu_s += base2.cpu_s;
        base.wall_s += base2.wall_s;

        double rate = (double)ns.records / wall;
        double per_rec_us = cpu / (double)ns.records * 1e6;
        double gen_per_call_us = gen.cpu_s / (double)gen.calls * 1e6;

        printf("  generator, our listener closed (others on the group: %d), %.1f s: %.0f calls/s, "
               "%.2f us CPU per call\n",
               others, base.wall_s, (double)base.calls / base.wall_s,
               base.cpu_s / (double)base.calls * 1e6);
        printf("  storm, %.1f s: generator %.0f calls/s (%.2fx alone), %.2f us CPU per call\n",
               gen.wall_s, (double)gen.calls / gen.wall_s,
               ((double)gen.calls / gen.wall_s) / ((double)base.calls / base.wall_s),
               gen_per_call_us);
        printf("  consumed %lu records (%.0f records/s), %lu of them the generator's: %.4f of "
               "its %lu calls\n",
               (unsigned long)ns.records, rate, (unsigned long)c.ours,
               (double)c.ours / (double)gen.calls, gen.calls);
        printf("  consumer CPU %.2f s: %.2f us per record (%.2fx the generator's per call), "
               "%.2f of a core\n",
               cpu, per_rec_us, per_rec_us / gen_per_call_us, cpu / wall);
        if (kcpu0 >= 0 && kcpu1 >= 0)
                printf("  kauditd CPU %.2f s: %.2f us per record\n", kcpu1 - kcpu0,
                       (kcpu1 - kcpu0) / (double)ns.records * 1e6);
        printf("  losses: overruns %lu (records dropped %lu), serial gaps %lu (late %lu, resets "
               "%lu); foreign %lu, malformed %lu, oversize %lu; %lu serials seen\n",
               (unsigned long)ns.overruns, (unsigned long)ns.dropped,
               (unsigned long)ps->serial.gaps, (unsigned long)ps->serial.late,
               (unsigned long)ps->serial.resets, (unsigned long)ns.foreign,
               (unsigned long)ns.malformed, (unsigned long)ns.oversize,
               (unsigned long)ps->serial.distinct);
        printf("  parsed %lu, not parsed %lu (other record types), attributed live %lu of the "
               "generator's; receive buffer %d bytes, %lu datagrams\n",
               (unsigned long)ps->parsed, (unsigned long)ps->ignored, (unsigned long)c.ours,
               ns.rcvbuf, (unsigned long)ns.datagrams);
        if (have_status)
                printf("  kernel: audit enabled=%u, backlog_limit %u, lost +%u, producers waited "
                       "+%u ms for the backlog\n",
                       st1.enabled, st1.backlog_limit, st1.lost - st0.lost,
                       st1.backlog_wait_time_actual - st0.backlog_wait_time_actual);
        else
                printf("  kernel: audit status not readable (CAP_AUDIT_CONTROL)\n");
        if (others > 0)
                printf("  other listeners on the group: %lu records dropped for them during the "
                       "storm\n",
                       others_drops1 - others_drops0);
        printf("  kernel log: %lu audit records printed, %lu suppressed by printk's rate limit\n",
               printed, suppressed);
        printf("  target: zero overruns and gaps %s, under half a core %s\n",
               ns.overruns == 0 && ps->serial.gaps == 0 && c.ours == gen.calls ? "MET" : "MISSED",
               cpu / wall < 0.5 ? "MET" : "MISSED");
        return 0;
}
