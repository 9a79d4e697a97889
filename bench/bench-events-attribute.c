/* SPDX-License-Identifier: MIT */
/* Live attribution: what the first event of a process costs (reading its
 * cgroup and executable through a verified /proc/PID fd, grouping it,
 * matching the shipped policies); a later event stamped before the
 * process was last seen alive (a burst drained at once: the cache alone
 * answers); and a later event stamped after it (one stat read proves the
 * pid still names the same process). 500 live children, best of 5 rounds,
 * one core.
 *
 * Baseline, same run: opening and reading /proc/PID/stat of each child,
 * the least any pid-to-process lookup does. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/time-util.h"
#include "bench-util.h"
#include "events/event-attribute.h"
#include "policy/policy-set.h"

#define N      500
#define ROUNDS 5

static pid_t kids[N];

static double read_stats(int proc_fd)
{
        double t0 = now_ns();
        char path[32], buf[512];

        for (int i = 0; i < N; i++) {
                int fd;

                snprintf(path, sizeof(path), "%d/stat", (int)kids[i]);
                fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
                if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
                        exit(1);
                close(fd);
        }
        return (now_ns() - t0) / N;
}

/* ns per event: first events, cached, re-verified. */
static void attribute(const struct policy_set *ps, int proc_fd, int root_fd, double ret[3])
{
        static struct audit_event e;
        struct attributor *a;
        uint64_t first_stamp = 0;
        double t0;

        if (attributor_new(
                &(struct attributor_config){.policies = ps, .proc_fd = proc_fd, .root_fd = root_fd},
                &a) < 0)
                exit(1);
        e.kind = EVENT_SECCOMP;
        for (int pass = 0; pass < 3; pass++) {
                uint64_t now = now_realtime_usec();
                /* Pass 1 repeats pass 0's stamp: made before the processes
                 * were seen alive. Pass 2 is stamped after. */
                uint64_t stamp = pass == 1 ? first_stamp : now - 2000;

                if (pass == 0)
                        first_stamp = stamp;
                e.stamp.sec = stamp / USEC_PER_SEC;
                e.stamp.msec = (uint32_t)(stamp % USEC_PER_SEC / 1000u);
                t0 = now_ns();
                for (int i = 0; i < N; i++) {
                        e.pid = kids[i];
                        if (attributor_attribute(a, &e, true, now)->how != ATTRIBUTED_LIVE)
                                exit(1);
                }
                ret[pass] = (now_ns() - t0) / N;
        }
        attributor_free(a);
}

int main(void)
{
        struct policy_set ps = {0};
        int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        double base[ROUNDS], t[3][ROUNDS], b, f, c, v;

        if (policy_set_load_dir("profiles", &ps, NULL, NULL) != 0 || proc_fd < 0) {
                fprintf(stderr, "bench-events-attribute: run from the source tree (profiles/)\n");
                return 1;
        }
        for (int i = 0; i < N; i++) {
                kids[i] = fork();
                if (kids[i] == 0) {
                        pause();
                        _exit(0);
                }
        }
        usleep(100000);
        for (int r = 0; r < ROUNDS; r++) {
                double one[3];

                base[r] = read_stats(proc_fd);
                attribute(&ps, proc_fd, root_fd, one);
                for (int k = 0; k < 3; k++)
                        t[k][r] = one[k];
        }
        b = best(base, ROUNDS);
        f = best(t[0], ROUNDS);
        c = best(t[1], ROUNDS);
        v = best(t[2], ROUNDS);
        printf("bench-events-attribute: live attribution, %d processes, best of %d\n", N, ROUNDS);
        printf("  read /proc/PID/stat (baseline)          %8.3f us\n", b / 1e3);
        printf("  first event of a process                %8.3f us  %7.3fx\n", f / 1e3, f / b);
        printf("  later event, made before last seen      %8.3f us  %7.3fx\n", c / 1e3, c / b);
        printf("  later event, made after: one stat read  %8.3f us  %7.3fx\n", v / 1e3, v / b);
        for (int i = 0; i < N; i++) {
                kill(kids[i], SIGKILL);
                waitpid(kids[i], NULL, 0);
        }
        policy_set_done(&ps);
        return 0;
}
