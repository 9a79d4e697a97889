/* SPDX-License-Identifier: MIT */
/* The readback helper: a small process that reads running processes'
 * seccomp filters back for hardend.
 *
 * Why a second process: the kernel answers PTRACE_SECCOMP_GET_FILTER only
 * to a caller that has CAP_SYS_ADMIN and is NOT under seccomp itself,
 * while hardend confines itself with its own filter (privileges.h) and
 * keeps no CAP_SYS_ADMIN. So before the daemon gives anything up it forks
 * this helper, which:
 *   - keeps CAP_SYS_ADMIN and CAP_SYS_PTRACE and nothing else (bounding
 *     set included), sets no_new_privs, and is never under seccomp;
 *   - closes every fd but its end of the socketpair, the /proc dirfd and
 *     stderr (where the sanitizers and a crash report write; it never
 *     writes there itself); resets signal dispositions and the mask,
 *     ignoring SIGHUP (the daemon's reload signal);
 *   - dies with the daemon: PR_SET_PDEATHSIG(SIGKILL), a getppid() check
 *     against the race with an early death, and EOF on the socket;
 *   - answers one request at a time: {pid, start_time} in, the chain of
 *     filters read by seccomp_readback() out (readback-proto.h). It reads,
 *     never writes, other processes: seize, interrupt, read, detach.
 * The daemon's side of the socket never blocks longer than the timeout
 * given; a reply that arrives after its request timed out is recognised by
 * its id and dropped. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "base/macro.h"
#include "posture/seccomp-decode.h"

#define READBACK_HELPER_TIMEOUT_MS 2000u /* per read, for the reader callback */
#define READBACK_HELPER_START_MS   5000u /* for the helper's hello */
/* Requests whose reply is late before further ones are refused (-EBUSY). */
#define READBACK_HELPER_MAX_PENDING 4u
/* comm of the helper process, as ps shows it (15 bytes at most). */
#define READBACK_HELPER_COMM "readback-helper"

struct readback_helper;

/* Forks the helper. proc_fd: the proc root, a directory fd (O_PATH will
 * do); the helper keeps its own copy. Call it before privileges_drop():
 * the helper needs capabilities the daemon gives up. Returns 0; -EPERM
 * when the helper could not get CAP_SYS_ADMIN and CAP_SYS_PTRACE (or drop
 * the rest); -EACCES when this process is already under seccomp (a helper
 * forked from it could never read a filter back); -ETIMEDOUT; -errno. */
int readback_helper_start(int proc_fd, struct readback_helper **ret);

/* Wraps a socket already connected to a helper (pid may be 0 when the
 * caller reaps it itself): what readback_helper_start() does after the
 * fork, exported so that tests can stand a fake helper in. Takes the fd. */
int readback_helper_new(int fd, pid_t pid, struct readback_helper **ret);

/* Reads the filters of pid, which must still be the process started at
 * start_time. Returns 0 and the chain (the most recent filter first; empty
 * when it has none), or what seccomp_readback() returns in the helper
 * (-ESRCH, -EPERM, -EACCES, -EINVAL, ...), or -ETIMEDOUT (no answer in
 * timeout_ms), -EBUSY (READBACK_HELPER_MAX_PENDING earlier requests are
 * still unanswered: the helper is stuck on a process that cannot stop;
 * nothing is sent), -EBADMSG (a malformed reply), -ENOTCONN (the helper
 * is gone; every later call says the same). Never blocks longer than
 * timeout_ms. */
int readback_helper_read(struct readback_helper *h, pid_t pid, uint64_t start_time,
                         unsigned timeout_ms, struct seccomp_chain *ret);

/* The same as a seccomp_reader_fn (posture/seccomp-check.h): userdata is
 * the helper, proc_fd is ignored (the helper has its own), the timeout is
 * READBACK_HELPER_TIMEOUT_MS. */
int readback_helper_reader(void *userdata, int proc_fd, pid_t pid, uint64_t start_time,
                           struct seccomp_chain *ret);

/* The helper's pid (0 when it was not started by us). */
pid_t readback_helper_pid(const struct readback_helper *h);

/* Closes the socket (the helper exits on EOF), waits for it briefly, then
 * kills it; reaps it. Accepts NULL; returns NULL. */
struct readback_helper *readback_helper_stop(struct readback_helper *h);
DEFINE_POINTER_CLEANUP(struct readback_helper, readback_helper_stop)
#define _cleanup_readback_helper_ _cleanup_(readback_helper_stopp)

/* The helper's loop, run in the forked child: answers requests on sock
 * until EOF or until its parent is gone. Returns (to exit with) 0 on EOF,
 * 1 on an error of the socket. Exported for tests, which run it in a
 * child of their own to send it malformed requests. */
int readback_helper_serve(int sock, int proc_fd, pid_t parent);
