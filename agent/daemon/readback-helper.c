/* SPDX-License-Identifier: MIT */
#include "readback-helper.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/time-util.h"
#include "posture/seccomp-readback.h"
#include "privileges.h"
#include "readback-proto.h"

/* How long stop() lets the helper finish the read in progress and exit on
 * EOF before it kills it. */
#define READBACK_HELPER_STOP_MS 200u

struct readback_helper {
        int fd;
        pid_t pid;
        uint32_t last_id;
        unsigned pending; /* requests sent whose reply has not been read */
        bool gone;
        uint8_t *buf; /* READBACK_REPLY_MAX + 1 bytes */
};

/* ---- the helper process ---- */

static int send_reply(int sock, uint32_t id, int result, const struct seccomp_chain *chain)
{
        _cleanup_free_ uint8_t *buf = NULL;
        size_t len;
        int r;

        r = readback_reply_encode(id, result, chain, &buf, &len);
        if (r == -E2BIG)
                return send_reply(sock, id, -E2BIG, NULL);
        if (r < 0)
                return r;
        for (;;) {
                if (send(sock, buf, len, MSG_NOSIGNAL) == (ssize_t)len)
                        return 0;
                if (errno == EINTR)
                        continue;
                /* Larger than the socket can carry (net.core.wmem_max
                 * below READBACK_REPLY_MAX): say so instead. */
                if (errno == EMSGSIZE && result == 0)
                        return send_reply(sock, id, -E2BIG, NULL);
                return negative_errno();
        }
}

int readback_helper_serve(int sock, int proc_fd, pid_t parent)
{
        /* One byte more than a request: a longer message shows as such
         * (MSG_TRUNC returns its real length). */
        uint8_t buf[READBACK_REQUEST_SIZE + 1];

        for (;;) {
                struct seccomp_chain chain = {0};
                struct readback_request rq;
                ssize_t n;
                int r;

                if (parent > 0 && getppid() != parent)
                        return 0;
                n = recv(sock, buf, sizeof(buf), MSG_TRUNC);
                if (n == 0)
                        return 0; /* the daemon closed its end */
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return 1;
                }
                if (readback_request_parse(buf, (size_t)n, &rq) < 0) {
                        if (send_reply(sock, 0, -EBADMSG, NULL) < 0)
                                return 1;
                        continue;
                }
                r = seccomp_readback(proc_fd, rq.pid, rq.start_time, &chain);
                r = send_reply(sock, rq.id, r, r == 0 ? &chain : NULL);
                seccomp_chain_done(&chain);
                if (r < 0)
                        return 1;
        }
}

/* The daemon's handlers and blocked signals (sd-event blocks the ones it
 * reads through a signalfd) mean nothing here: defaults, nothing blocked,
 * so that SIGTERM ends the helper like any process. Except SIGHUP, which
 * asks the daemon to reload and reaches the helper too when sent to the
 * process group (a terminal's hangup, `kill -HUP -PGID`): a helper killed
 * by it could not be started again (the daemon has given up the
 * capabilities). Its life is tied to the daemon's by EOF and
 * PR_SET_PDEATHSIG instead. */
static void reset_signals(void)
{
        struct sigaction dfl = {.sa_handler = SIG_DFL}, ign = {.sa_handler = SIG_IGN};
        sigset_t none;

        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void)sigaction(sig, sig == SIGHUP ? &ign : &dfl, NULL);
        sigemptyset(&none);
        (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

static int close_range_fallback(unsigned from, unsigned to)
{
        struct rlimit rl;

        if (close_range(from, to, 0) == 0)
                return 0;
        if (errno != ENOSYS)
                return negative_errno();
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return negative_errno();
        for (unsigned fd = from; fd <= to && fd < rl.rlim_cur; fd++)
                (void)close((int)fd);
        return 0;
}

/* Everything but the socket, the proc root and stderr. */
static int close_other_fds(int sock, int proc_fd)
{
        int keep[3] = {STDERR_FILENO, sock, proc_fd};
        unsigned from = 0;
        int r;

        /* Three values: sort by hand. */
        for (int i = 0; i < 3; i++)
                for (int j = i + 1; j < 3; j++)
                        if (keep[j] < keep[i]) {
                                int t = keep[i];
                                keep[i] = keep[j];
                                keep[j] = t;
                        }
        for (int i = 0; i < 3; i++) {
                if (keep[i] < 0 || (unsigned)keep[i] < from)
                        continue;
                if ((unsigned)keep[i] > from) {
                        r = close_range_fallback(from, (unsigned)keep[i] - 1);
                        if (r < 0)
                                return r;
                }
                from = (unsigned)keep[i] + 1;
        }
        return close_range_fallback(from, ~0u);
}

static int helper_privileges(void)
{
        uint64_t missing;
        int r;

        /* A filter inherited from whoever started the daemon stays for
         * good, and with it the kernel refuses every read. */
        r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
        if (r != 0)
                return -EACCES;
        r = privileges_drop(
            privileges_mask(privileges_readback_helper, privileges_readback_helper_len), &missing);
        if (r < 0)
                return r;
        return missing ? -EPERM : 0;
}

_Noreturn static void helper_main(int sock, int proc_fd, pid_t parent)
{
        int r;

        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
                _exit(1);
        /* The daemon may have died before the line above. */
        if (getppid() != parent)
                _exit(0);
        reset_signals();
        (void)prctl(PR_SET_NAME, READBACK_HELPER_COMM);
        r = close_other_fds(sock, proc_fd);
        if (r >= 0)
                r = helper_privileges();
        /* The hello: id 0, how the set-up went. */
        if (send_reply(sock, 0, r, NULL) < 0 || r < 0)
                _exit(1);
        _exit(readback_helper_serve(sock, proc_fd, parent));
}

/* ---- the daemon's side ---- */

int readback_helper_new(int fd, pid_t pid, struct readback_helper **ret)
{
        struct readback_helper *h = calloc(1, sizeof(*h));

        if (!h) {
                (void)close(fd);
                return -ENOMEM;
        }
        h->buf = malloc(READBACK_REPLY_MAX + 1);
        if (!h->buf) {
                (void)close(fd);
                free(h);
                return -ENOMEM;
        }
        h->fd = fd;
        h->pid = pid;
        *ret = h;
        return 0;
}

static void helper_gone(struct readback_helper *h)
{
        h->gone = true;
        /* Reap it now if it is dead already; stop() does otherwise. */
        if (h->pid > 0 && waitpid(h->pid, NULL, WNOHANG) == h->pid)
                h->pid = 0;
}

/* Receives one reply before the deadline (CLOCK_MONOTONIC µs). Returns
 * 0, -ETIMEDOUT, -ENOTCONN (the helper is gone), -EBADMSG, -errno. */
static int receive_one(struct readback_helper *h, uint64_t deadline, struct readback_reply *ret)
{
        for (;;) {
                struct pollfd p = {.fd = h->fd, .events = POLLIN};
                uint64_t now = now_monotonic_usec();
                ssize_t n;
                int r;

                r = poll(&p, 1,
                         now >= deadline
                             ? 0
                             : (int)((deadline - now + USEC_PER_MSEC - 1) / USEC_PER_MSEC));
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (r == 0) {
                        if (now_monotonic_usec() >= deadline)
                                return -ETIMEDOUT;
                        continue;
                }
                n = recv(h->fd, h->buf, READBACK_REPLY_MAX + 1, MSG_DONTWAIT | MSG_TRUNC);
                if (n < 0) {
                        if (errno == EINTR || errno == EAGAIN)
                                continue;
                        if (errno == ECONNRESET) {
                                helper_gone(h);
                                return -ENOTCONN;
                        }
                        return negative_errno();
                }
                if (n == 0) {
                        helper_gone(h);
                        return -ENOTCONN;
                }
                /* A reply, well-formed or not: one request less in flight. */
                if (h->pending > 0)
                        h->pending--;
                if ((size_t)n > READBACK_REPLY_MAX)
                        return -EBADMSG;
                return readback_reply_parse(h->buf, (size_t)n, ret);
        }
}

/* Waits for the reply to id until timeout_ms, dropping late replies to
 * earlier requests. */
static int wait_reply(struct readback_helper *h, uint32_t id, unsigned timeout_ms,
                      struct readback_reply *ret)
{
        uint64_t deadline = now_monotonic_usec() + (uint64_t)timeout_ms * USEC_PER_MSEC;

        for (;;) {
                struct readback_reply reply;
                int r = receive_one(h, deadline, &reply);

                if (r < 0)
                        return r;
                if (reply.id == id) {
                        *ret = reply;
                        return 0;
                }
                readback_reply_done(&reply);
        }
}

/* Reads the late replies that are there now, without waiting. */
static void drop_late_replies(struct readback_helper *h)
{
        struct readback_reply reply;
        int r;

        while ((r = receive_one(h, 0, &reply)) != -ETIMEDOUT && r != -ENOTCONN)
                if (r == 0)
                        readback_reply_done(&reply);
}

int readback_helper_start(int proc_fd, struct readback_helper **ret)
{
        _cleanup_readback_helper_ struct readback_helper *h = NULL;
        struct readback_reply hello;
        int sv[2], size = (int)READBACK_REPLY_MAX, r;
        pid_t parent = getpid(), pid;

        if (proc_fd < 0)
                return -EBADF;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
                return negative_errno();
        /* A full chain is one message: let the helper's end send it (the
         * kernel caps this at net.core.wmem_max; the helper answers -E2BIG
         * for a chain that still does not fit). */
        (void)setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
        pid = fork();
        if (pid < 0) {
                r = negative_errno();
                (void)close(sv[0]);
                (void)close(sv[1]);
                return r;
        }
        if (pid == 0) {
                (void)close(sv[0]);
                helper_main(sv[1], proc_fd, parent);
        }
        (void)close(sv[1]);
        r = readback_helper_new(sv[0], pid, &h);
        if (r < 0) {
                (void)kill(pid, SIGKILL);
                (void)waitpid(pid, NULL, 0);
                return r;
        }
        r = wait_reply(h, 0, READBACK_HELPER_START_MS, &hello);
        if (r < 0)
                return r == -ENOTCONN ? -EIO : r;
        readback_reply_done(&hello);
        if (hello.result < 0)
                return hello.result;
        *ret = TAKE_PTR(h);
        return 0;
}

int readback_helper_read(struct readback_helper *h, pid_t pid, uint64_t start_time,
                         unsigned timeout_ms, struct seccomp_chain *ret)
{
        struct readback_request rq = {.pid = pid, .start_time = start_time};
        struct readback_reply reply;
        uint8_t buf[READBACK_REQUEST_SIZE];
        int r;

        if (h->gone)
                return -ENOTCONN;
        if (pid <= 0)
                return -EINVAL;
        /* A helper stuck on a target that cannot stop answers nothing:
         * do not pile requests up behind it (and never block in send). */
        if (h->pending >= READBACK_HELPER_MAX_PENDING) {
                drop_late_replies(h);
                if (h->gone)
                        return -ENOTCONN;
                if (h->pending >= READBACK_HELPER_MAX_PENDING)
                        return -EBUSY;
        }
        /* 0 is the hello's id and the one for unparsable requests. */
        if (++h->last_id == 0)
                h->last_id = 1;
        rq.id = h->last_id;
        readback_request_encode(&rq, buf);
        for (;;) {
                if (send(h->fd, buf, sizeof(buf), MSG_NOSIGNAL | MSG_DONTWAIT) ==
                    (ssize_t)sizeof(buf))
                        break;
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN)
                        return -EBUSY;
                if (errno == EPIPE || errno == ECONNRESET) {
                        helper_gone(h);
                        return -ENOTCONN;
                }
                return negative_errno();
        }
        h->pending++;
        r = wait_reply(h, rq.id, timeout_ms, &reply);
        if (r < 0)
                return r;
        if (reply.result < 0) {
                readback_reply_done(&reply);
                return reply.result;
        }
        *ret = reply.chain;
        return 0;
}

int readback_helper_reader(void *userdata, int proc_fd, pid_t pid, uint64_t start_time,
                           struct seccomp_chain *ret)
{
        return readback_helper_read(userdata, pid, start_time, READBACK_HELPER_TIMEOUT_MS, ret);
}

pid_t readback_helper_pid(const struct readback_helper *h)
{
        return h->pid;
}

struct readback_helper *readback_helper_stop(struct readback_helper *h)
{
        if (!h)
                return NULL;
        if (h->fd >= 0)
                (void)close(h->fd);
        if (h->pid > 0) {
                uint64_t deadline =
                    now_monotonic_usec() + (uint64_t)READBACK_HELPER_STOP_MS * USEC_PER_MSEC;
                pid_t w;

                /* EOF makes it exit; a read stuck on a target that cannot
                 * stop (a vfork parent) does not return: kill it then. The
                 * kernel detaches its tracee when it dies. */
                while ((w = waitpid(h->pid, NULL, WNOHANG)) == 0 &&
                       now_monotonic_usec() < deadline) {
                        struct timespec ts = {.tv_nsec = 5 * 1000 * 1000};

                        (void)nanosleep(&ts, NULL);
                }
                if (w == 0) {
                        (void)kill(h->pid, SIGKILL);
                        (void)waitpid(h->pid, NULL, 0);
                }
        }
        free(h->buf);
        free(h);
        return NULL;
}
