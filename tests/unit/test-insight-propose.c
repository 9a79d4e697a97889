/* SPDX-License-Identifier: MIT */
/* The proposal engine (agent/insight/proposal*.c): a table of cases, each
 * a policy file, a set of observations (restored into a real
 * struct observations, as the daemon's are) and options, and what must
 * come out: the new policy text byte for byte (tests/fixtures/propose/),
 * the list of changes (section, action, what, and a piece of the reason)
 * and the evidence counters.
 *
 * Every case that succeeds is also checked for what holds of any proposal:
 * every line the diff adds says why (a '#' reason, or a continuation of an
 * item that does), the diff turns the old text into the new one, the new
 * text loads as a policy of the same service, the allowed-syscall counts
 * agree with a count made here from the rule set, two runs give the same
 * result, and the JSON and the terminal print hold the changes.
 *
 * The expected files were written from the rules in proposal.h and
 * yaml-edit.h's layout, not from the engine's output. When the engine is
 * changed on purpose, PROPOSE_UPDATE_GOLDEN=1 rewrites them (review
 * `git diff tests/fixtures/propose` afterwards). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "events/observations.h"
#include "insight/proposal.h"
#include "policy/policy-load.h"
#include "seccomp/seccomp-rules.h"
#include "testing.h"

#define USEC        UINT64_C(1000000)
#define REC_START   (UINT64_C(1795352400) * USEC) /* 2026-11-22T13:00:00Z */
#define REC_END     (UINT64_C(1795354200) * USEC) /* 2026-11-22T13:30:00Z */
#define T0          (UINT64_C(1795353000) * USEC) /* 2026-11-22T13:10:00Z */
#define HOUR        (UINT64_C(3600) * USEC)
#define X86_64      UINT32_C(0xc000003e)
#define X86         UINT32_C(0x40000003)
#define W1          "podman:1a2b3c4d5e6f"
#define W2          "podman:2b3c4d5e6f70"
#define W3          "podman:3c4d5e6f7081"
#define WINDOW      "during the recording 2026-11-22T13:00..13:30"
#define UNCHECKED   LONG_MIN
#define POLICY_SIZE (256u * 1024u)

/* An observation, as it is restored: the service defaults to the case's
 * policy's; "" stands for no service (unattributed). */
struct ob {
        const char *service;
        enum event_kind kind;
        unsigned verdict;
        bool runtime;
        uint32_t arch;       /* AUDIT_ARCH_*; 0: x86_64 */
        const char *syscall; /* named on arch */
        int64_t nr;          /* when syscall is NULL */
        const char *operation;
        enum observation_object object_kind;
        const char *object;
        const char *mask;
        uint64_t count;
        uint64_t last_usec; /* 0: T0 */
        const char *comm, *exe;
        const char *workloads[3];
};

#define BY_NODE  .comm = "node", .exe = "/usr/bin/node"
#define BY_API   .comm = "api-server", .exe = "/usr/local/bin/api-server"
#define BY_NGINX .comm = "nginx", .exe = "/usr/sbin/nginx"
#define BY_MAKE  .comm = "make", .exe = "/usr/bin/make"
#define BY_REC   .comm = "recorded", .exe = "/usr/bin/recorded"
#define BY_RUNC  .comm = "runc:[2:INIT]", .exe = "/usr/bin/runc"

/* clang-format off */
/* A call the default action logged. */
#define SYS(name, n, by, ...)                                                                      \
        {.kind = EVENT_SECCOMP, .verdict = SECCOMP_EVENT_LOG, .syscall = name, .count = n,         \
         BY_##by, .workloads = {__VA_ARGS__}}
/* The same, of a given service ("" for none) and time. */
#define SYS_OF(svc, name, n, last, by, ...)                                                        \
        {.service = svc, .kind = EVENT_SECCOMP, .verdict = SECCOMP_EVENT_LOG, .syscall = name,     \
         .count = n, .last_usec = last, BY_##by, .workloads = {__VA_ARGS__}}
/* A call on another architecture. */
#define SYS_ARCH(arch_, name, n, by, ...)                                                          \
        {.kind = EVENT_SECCOMP, .verdict = SECCOMP_EVENT_LOG, .arch = arch_, .syscall = name,      \
         .count = n, BY_##by, .workloads = {__VA_ARGS__}}
/* A number libseccomp has no name for. */
#define SYS_NR(number, n, by, ...)                                                                 \
        {.kind = EVENT_SECCOMP, .verdict = SECCOMP_EVENT_LOG, .nr = number, .count = n, BY_##by,   \
         .workloads = {__VA_ARGS__}}
/* A call of the runtime's start-up (runc between the filter and exec). */
#define RT(name, n, ...)                                                                           \
        {.kind = EVENT_SECCOMP, .verdict = SECCOMP_EVENT_LOG, .runtime = true, .syscall = name,    \
         .count = n, BY_RUNC, .workloads = {__VA_ARGS__}}
/* AppArmor: complain mode's would-be denials (ALLOWED) and enforced ones. */
#define AA(verdict_, op, okind, obj, m, n, by, ...)                                                \
        {.kind = EVENT_APPARMOR, .verdict = verdict_, .operation = op, .object_kind = okind,       \
         .object = obj, .mask = m, .count = n, BY_##by, .workloads = {__VA_ARGS__}}
/* clang-format on */
#define FILE_(path, m, n, by, ...)                                                                 \
        AA(APPARMOR_ALLOWED, "open", OBJECT_PATH, path, m, n, by, __VA_ARGS__)
#define NET(obj, n, by, ...)                                                                       \
        AA(APPARMOR_ALLOWED, "create", OBJECT_NETWORK, obj, "create", n, by, __VA_ARGS__)
#define CAP(name, n, by, ...)                                                                      \
        AA(APPARMOR_ALLOWED, "capable", OBJECT_CAPABILITY, name, NULL, n, by, __VA_ARGS__)

struct want {
        enum proposal_section section;
        enum proposal_action action;
        const char *what;
        const char *reason; /* a part the reason must contain; NULL: any */
};

/* clang-format off */
#define ADD(sec, what, reason)  {PROPOSAL_##sec, PROPOSAL_ADD, what, reason}
#define REM(sec, what, reason)  {PROPOSAL_##sec, PROPOSAL_REMOVE, what, reason}
#define NARROW(what, reason)    {PROPOSAL_SECCOMP, PROPOSAL_NARROW, what, reason}
#define HELD(sec, what, reason) {PROPOSAL_##sec, PROPOSAL_HELD_BACK, what, reason}
#define NOTE(sec, what, reason) {PROPOSAL_##sec, PROPOSAL_NOTE, what, reason}
/* clang-format on */

struct opts {
        bool accept_risky, all_events, recording, rec_apparmor;
        uint64_t since_usec;
        unsigned collapse_min;
        struct proposal_held held[3];
        size_t n_held;
};

struct pcase {
        const char *name;
        const char *policy;   /* under the source tree */
        const char *expected; /* under tests/fixtures/propose/; NULL: the policy unchanged */
        struct opts opt;
        struct ob obs[24];
        struct want changes[20]; /* all of them, in any order */
        size_t observations;     /* the evidence counters */
        uint64_t events, runtime_events;
        long allowed_delta;   /* allowed_after - allowed_before; UNCHECKED */
        size_t allowed_after; /* 0: not checked beyond the delta */
};

static const struct pcase cases[] = {
    /* ---- seccomp ---- */
    {"api: logged calls",
     "profiles/api.yaml",
     "api-logged.yaml",
     {.since_usec = T0 - HOUR},
     {
         SYS("mlock", 12, NODE, W1, W2),
         SYS("syslog", 3, NODE, W1),
         SYS("socket", 2, NODE, W1),
         SYS_NR(999, 1, NODE, W2),
         FILE_("/etc/api/config.yaml", "r", 5, API, W3),
         /* Not evidence: the runtime's start-up, another service, no
          * service, older than since. */
         RT("sched_setaffinity", 4, W1),
         RT("mlock", 1, W1),
         SYS_OF("frontend", "mlockall", 7, 0, NGINX, W1),
         SYS_OF("", "sync", 1, 0, NODE),
         SYS_OF(NULL, "mlock2", 2, T0 - 2 * HOUR, NODE, W1),
     },
     {
         ADD(SECCOMP, "mlock", "logged 12x by node (/usr/bin/node) in 2 of 3 workloads"),
         HELD(SECCOMP, "syslog", "logged 3x by node (/usr/bin/node) in 1 of 3 workloads"),
         NOTE(SECCOMP, "socket", "logged 2x: calls failed the condition at line 44"),
         NOTE(SECCOMP, "syscall 999 (arch 0xc000003e)", "no name for"),
     },
     .observations = 5,
     .events = 23,
     .runtime_events = 5,
     .allowed_delta = 1},
    {"api: one call on two architectures, and the x86 multiplexer",
     "profiles/api.yaml",
     "api-arches.yaml",
     {0},
     {
         SYS("mlock", 12, NODE, W1, W2),
         SYS_ARCH(X86, "mlock", 3, NODE, W3),
         SYS_ARCH(X86, "socketcall", 2, NODE, W1),
     },
     {
         ADD(SECCOMP, "mlock", "logged 15x by node (/usr/bin/node) in 3 of 3 workloads"),
         NOTE(SECCOMP, "socketcall", "logged 2x: the x86 multiplexer follows the calls"),
     },
     .observations = 3,
     .events = 17,
     .runtime_events = 0,
     .allowed_delta = 1},
    {"small: a risky call is held back",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {0},
     {SYS("ptrace", 2, NODE, W1)},
     {HELD(SECCOMP, "ptrace", "logged 2x by node (/usr/bin/node) in 1 workload")},
     .observations = 1,
     .events = 2,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"small: a risky call accepted",
     "tests/fixtures/propose/small.yaml",
     "small-ptrace.yaml",
     {.accept_risky = true},
     {SYS("ptrace", 2, NODE, W1)},
     {ADD(SECCOMP, "ptrace", "RISKY, accepted: logged 2x by node (/usr/bin/node) in 1 workload")},
     .observations = 1,
     .events = 2,
     .runtime_events = 0,
     .allowed_delta = 1},
    /* mount is denied through "@mount" at the policy's own errno (the same
     * action as the default), sethostname at an errno of its own. */
    {"small: calls the deny list refuses are notes",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {0},
     {SYS("mount", 1, NODE, W1), SYS("sethostname", 2, NODE, W1)},
     {NOTE(SECCOMP, "mount", "logged 1x: the policy's deny list refuses it on purpose"),
      NOTE(SECCOMP, "sethostname", "logged 2x: the policy's deny list refuses it on purpose")},
     .observations = 2,
     .events = 3,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"small: the deny list wins over --accept-risky",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {.accept_risky = true},
     {SYS("mount", 1, NODE, W1), SYS("sethostname", 2, NODE, W1)},
     {NOTE(SECCOMP, "mount", "logged 1x: the policy's deny list refuses it on purpose"),
      NOTE(SECCOMP, "sethostname", "logged 2x: the policy's deny list refuses it on purpose")},
     .observations = 2,
     .events = 3,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"api: calls a deny group refuses at the policy's errno are notes",
     "profiles/api.yaml",
     NULL,
     {0},
     {SYS("sethostname", 1, NODE, W1), SYS("setuid", 3, NODE, W1)},
     {NOTE(SECCOMP, "sethostname", "the policy's deny list refuses it on purpose"),
      NOTE(SECCOMP, "setuid", "the policy's deny list refuses it on purpose")},
     .observations = 2,
     .events = 4,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"small: a refused call and one allowed since",
     "tests/fixtures/propose/small.yaml",
     "small-refused.yaml",
     {0},
     {{.kind = EVENT_SECCOMP,
       .verdict = SECCOMP_EVENT_ERRNO,
       .syscall = "fsync",
       .count = 4,
       BY_NODE,
       .workloads = {W1}},
      SYS("read", 9, NODE, W1)},
     {ADD(SECCOMP, "fsync", "refused 4x by node (/usr/bin/node) in 1 workload"),
      NOTE(SECCOMP, "read", "logged 9x before the current policy allowed it")},
     .observations = 2,
     .events = 13,
     .runtime_events = 0,
     .allowed_delta = 1},
    /* A 32-bit process under an x86_64-only policy: the filter refuses its
     * architecture as a whole; _llseek does not exist on x86_64, and a
     * policy naming it does not load. */
    {"small: a call of an architecture the policy does not cover",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {0},
     {SYS_ARCH(X86, "_llseek", 2, NODE, W1)},
     {NOTE(SECCOMP, "_llseek", NULL)},
     .observations = 1,
     .events = 2,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"small: every service's observations with all_events",
     "tests/fixtures/propose/small.yaml",
     "small-all-events.yaml",
     {.all_events = true},
     {SYS_OF("other", "mlock", 2, 0, NODE, W1), SYS_OF("", "fsync", 1, 0, NODE)},
     {ADD(SECCOMP, "mlock", "logged 2x by node (/usr/bin/node) in 1 workload"),
      ADD(SECCOMP, "fsync", "logged 1x by node (/usr/bin/node)")},
     .observations = 2,
     .events = 3,
     .runtime_events = 0,
     .allowed_delta = 2},
    {"small: other services' observations without all_events",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {0},
     {SYS_OF("other", "mlock", 2, 0, NODE, W1), SYS_OF("", "fsync", 1, 0, NODE)},
     {{0}},
     .observations = 0,
     .events = 0,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"small: only the runtime's start-up made the calls",
     "tests/fixtures/propose/small.yaml",
     NULL,
     {.accept_risky = true},
     {RT("mlock", 3, W1), RT("ptrace", 1, W1), RT("capset", 1, W1)},
     {{0}},
     .observations = 0,
     .events = 0,
     .runtime_events = 5,
     .allowed_delta = 0},

    /* ---- group compaction ---- */
    {"small: every call of @timer",
     "tests/fixtures/propose/small.yaml",
     "small-timer.yaml",
     {0},
     {
         SYS("alarm", 1, NODE, W1),
         SYS("getitimer", 1, NODE, W1),
         SYS("setitimer", 2, NODE, W1),
         SYS("timer_create", 1, NODE, W1),
         SYS("timer_delete", 1, NODE, W1),
         SYS("timer_getoverrun", 1, NODE, W1),
         SYS("timer_gettime", 1, NODE, W1),
         SYS("timer_settime", 1, NODE, W1),
         SYS("timerfd_create", 1, NODE, W1),
         SYS("timerfd_gettime", 1, NODE, W1),
         SYS("timerfd_settime", 1, NODE, W1),
         SYS("times", 1, NODE, W1),
         SYS("mlock", 1, NODE, W1),
     },
     {ADD(SECCOMP, "@timer", "all 12 calls of @timer are in use (12 new)"),
      ADD(SECCOMP, "mlock", "logged 1x by node (/usr/bin/node) in 1 workload")},
     .observations = 13,
     .events = 14,
     .runtime_events = 0,
     .allowed_delta = 13},
    {"small: a group made whole by calls already allowed",
     "tests/fixtures/propose/small.yaml",
     "small-basic-io.yaml",
     {0},
     {
         SYS("close_range", 1, NODE, W1),
         SYS("dup", 1, NODE, W1),
         SYS("dup2", 1, NODE, W1),
         SYS("dup3", 1, NODE, W1),
         SYS("lseek", 1, NODE, W1),
         SYS("pread64", 1, NODE, W1),
         SYS("preadv", 1, NODE, W1),
         SYS("preadv2", 1, NODE, W1),
         SYS("pwrite64", 1, NODE, W1),
         SYS("pwritev", 1, NODE, W1),
         SYS("pwritev2", 1, NODE, W1),
         SYS("readv", 1, NODE, W1),
         SYS("writev", 1, NODE, W1),
     },
     {ADD(SECCOMP, "@basic-io", "all 16 calls of @basic-io are in use (13 new)")},
     .observations = 13,
     .events = 13,
     .runtime_events = 0,
     .allowed_delta = 13},
    {"small: part of a group: the names",
     "tests/fixtures/propose/small.yaml",
     "small-sync.yaml",
     {0},
     {SYS("fsync", 3, NODE, W1), SYS("fdatasync", 5, NODE, W1)},
     {ADD(SECCOMP, "fdatasync", "logged 5x"), ADD(SECCOMP, "fsync", "logged 3x")},
     .observations = 2,
     .events = 8,
     .runtime_events = 0,
     .allowed_delta = 2},

    /* ---- recordings ---- */
    {"api: a recording replaces the group base by the calls made",
     "profiles/api.yaml",
     "api-recording.yaml",
     {.recording = true},
     {
         SYS("read", 400, API, W1),
         SYS("write", 200, API, W1),
         SYS("close", 90, API, W1),
         SYS("openat", 30, API, W1),
         SYS("epoll_wait", 120, API, W1),
         SYS("futex", 60, API, W1),
         SYS("accept4", 10, API, W1),
         SYS("socket", 4, API, W1),
         SYS("fdatasync", 2, API, W1),
         SYS("fsync", 3, API, W1),
         SYS("msync", 1, API, W1),
         SYS("sync", 1, API, W1),
         SYS("sync_file_range", 1, API, W1),
         SYS("syncfs", 1, API, W1),
         SYS("exit_group", 1, API, W1),
         SYS("mlock", 2, API, W1),
         RT("close_range", 1, W1),
         RT("execve", 1, W1),
         RT("write", 2, W1),
     },
     {
         ADD(SECCOMP, "mlock", "logged 2x by api-server (/usr/local/bin/api-server) in 1 workload"),
         REM(SECCOMP, "@system-service", "was @system-service: 15 of the "),
         ADD(SECCOMP, "@sync", "all 6 calls of @sync are in use (6 new)"),
         ADD(SECCOMP, "accept4", "called " WINDOW ": 10x by api-server"),
         ADD(SECCOMP, "close", "called " WINDOW ": 90x by api-server"),
         ADD(SECCOMP, "close_range", "kept: the runtime calls it to start the workload"),
         ADD(SECCOMP, "epoll_wait", "called " WINDOW ": 120x"),
         ADD(SECCOMP, "execve", "kept: the runtime calls it to start the workload"),
         ADD(SECCOMP, "futex", "called " WINDOW ": 60x"),
         ADD(SECCOMP, "openat", "called " WINDOW ": 30x"),
         ADD(SECCOMP, "read", "called " WINDOW ": 400x"),
         ADD(SECCOMP, "write", "called " WINDOW ": 200x"),
     },
     .observations = 16,
     .events = 926,
     .runtime_events = 4,
     .allowed_delta = UNCHECKED,
     /* The guard list (4 on x86_64), mlock and the 15 calls made. */
     .allowed_after = 20},
    {"recorded: a recording with AppArmor removes what was not used",
     "tests/fixtures/propose/recorded.yaml",
     "recorded-recording.yaml",
     {.recording = true, .rec_apparmor = true},
     {
         SYS("read", 100, REC, W1),
         SYS("write", 50, REC, W1),
         SYS("openat", 20, REC, W1),
         SYS("socket", 4, REC, W1),
         RT("close_range", 1, W1),
         RT("write", 1, W1),
         FILE_("/etc/recorded/main.conf", "r", 3, REC, W1),
         FILE_("/usr/bin/recorded", "r", 1, REC, W1),
         NET("inet stream 6", 4, REC, W1),
         CAP("net_bind_service", 1, REC, W1),
     },
     {
         REM(SECCOMP, "@timer", "none of its 12 calls made " WINDOW),
         REM(SECCOMP, "mlock", "not called " WINDOW),
         REM(SECCOMP, "fsync", "not called " WINDOW),
         NARROW("socket family", "only these families were created " WINDOW),
         REM(APPARMOR, "/var/cache/recorded/** rw", "nothing under it was opened " WINDOW),
         REM(APPARMOR, "unix dgram", "no such socket created " WINDOW),
         REM(POSTURE, "CHOWN", "never checked " WINDOW " (AppArmor logged every check)"),
     },
     .observations = 8,
     .events = 183,
     .runtime_events = 2,
     .allowed_delta = -14},

    {"plain: a recording with AppArmor adds a socket condition",
     "tests/fixtures/propose/plain.yaml",
     "plain-recording.yaml",
     {.recording = true, .rec_apparmor = true},
     {
         SYS("read", 10, REC, W1),
         SYS("write", 5, REC, W1),
         SYS("socket", 2, REC, W1),
         SYS("connect", 2, REC, W1),
         NET("inet stream 6", 2, REC, W1),
     },
     {
         NARROW("socket family", "socket families created " WINDOW),
         REM(APPARMOR, "unix stream", "no such socket created " WINDOW),
     },
     .observations = 5,
     .events = 21,
     .runtime_events = 0,
     /* socket is allowed only for AF_INET now. */
     .allowed_delta = -1},

    /* ---- AppArmor ---- */
    {"frontend: file and network accesses",
     "profiles/frontend.yaml",
     "frontend-apparmor.yaml",
     {0},
     {
         FILE_("/srv/www/index.html", "r", 40, NGINX, W1),
         FILE_("/opt/frontend/conf/a.conf", "r", 5, NGINX, W1),
         FILE_("/opt/frontend/conf/b.conf", "r", 2, NGINX, W1),
         FILE_("/opt/frontend/conf/c.conf", "r", 1, NGINX, W1),
         AA(APPARMOR_DENIED, "open", OBJECT_PATH, "/etc/shadow", "r", 1, NGINX, W1),
         NET("inet dgram 17", 6, NGINX, W1),
         NET("inet6 stream 6", 3, NGINX, W1),
         NET("bluetooth stream", 1, NGINX, W1),
         AA(APPARMOR_ALLOWED, "signal", OBJECT_PEER, "unconfined", "send", 1, NGINX, W1),
         /* An access the profile allows and audits: not a would-be denial. */
         AA(APPARMOR_AUDIT, "open", OBJECT_PATH, "/opt/audited/file", "r", 4, NGINX, W1),
     },
     {
         ADD(APPARMOR, "/opt/frontend/conf/* r",
             "3 files under /opt/frontend/conf/ read (e.g. /opt/frontend/conf/a.conf); 8x by "
             "nginx (/usr/sbin/nginx) in 1 workload"),
         NOTE(APPARMOR, "/etc/shadow r", "the policy's deny rules refuse it on purpose"),
         ADD(APPARMOR, "inet dgram", "sockets 6x by nginx (/usr/sbin/nginx) in 1 workload"),
         NOTE(APPARMOR, "bluetooth stream",
              "1x: a family or type the policy language has no rule for"),
         NOTE(APPARMOR, "signal unconfined", "would be denied 1x by nginx"),
     },
     .observations = 9,
     .events = 60,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"worker: an access a rule lacks extends the rule",
     "profiles/worker.yaml",
     "worker-extend.yaml",
     {0},
     {FILE_("/usr/local/bin/build-agent", "x", 1, MAKE, W1),
      /* Not a rule's glob (only the /etc glob, r, covers it): a rule of its own. */
      FILE_("/etc/x.lock", "k", 1, MAKE, W1)},
     {ADD(APPARMOR, "/usr/local/bin/build-agent rmix", "adds to the existing rule (access 'rm')"),
      ADD(APPARMOR, "/etc/x.lock k", "locked (1 event); 1x by make")},
     .observations = 2,
     .events = 2,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"frontend: two files of a directory stay apart by default",
     "profiles/frontend.yaml",
     "frontend-two-files.yaml",
     {0},
     {
         FILE_("/opt/frontend/conf/a.conf", "r", 5, NGINX, W1),
         FILE_("/opt/frontend/conf/b.conf", "r", 2, NGINX, W1),
         FILE_("/proc/123/stat", "r", 2, NGINX, W1),
         FILE_("/proc/456/stat", "r", 1, NGINX, W1),
     },
     {
         ADD(APPARMOR, "/opt/frontend/conf/a.conf r", "read (5 events); 5x by nginx"),
         ADD(APPARMOR, "/opt/frontend/conf/b.conf r", "read (2 events); 2x by nginx"),
         ADD(APPARMOR, "@{PROC}/@{pid}/stat r", "written as @{pid} and @{tid}; 3x by nginx"),
     },
     .observations = 4,
     .events = 10,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"frontend: two files of a directory with collapse_min 2",
     "profiles/frontend.yaml",
     "frontend-collapse-2.yaml",
     {.collapse_min = 2},
     {
         FILE_("/opt/frontend/conf/a.conf", "r", 5, NGINX, W1),
         FILE_("/opt/frontend/conf/b.conf", "r", 2, NGINX, W1),
         FILE_("/proc/123/stat", "r", 2, NGINX, W1),
         FILE_("/proc/456/stat", "r", 1, NGINX, W1),
     },
     {
         ADD(APPARMOR, "/opt/frontend/conf/* r",
             "2 files under /opt/frontend/conf/ read (e.g. /opt/frontend/conf/a.conf); 7x"),
         ADD(APPARMOR, "@{PROC}/@{pid}/stat r", "written as @{pid} and @{tid}; 3x by nginx"),
     },
     .observations = 4,
     .events = 10,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"worker: network, a file and a call",
     "profiles/worker.yaml",
     "worker-mixed.yaml",
     {0},
     {
         NET("netlink raw 0", 2, MAKE, W1),
         NET("netlink dgram 0", 1, MAKE, W1),
         NET("unix seqpacket 0", 1, MAKE, W1),
         NET("packet raw 768", 1, MAKE, W1),
         FILE_("/workspace/src/main.c", "r", 30, MAKE, W1),
         FILE_("/opt/toolchain/VERSION", "r", 1, MAKE, W1),
         SYS("mlockall", 1, MAKE, W1),
         SYS("sched_setattr", 2, MAKE, W1),
         CAP("kill", 1, MAKE, W1),
     },
     {
         ADD(APPARMOR, "netlink dgram", "sockets 1x by make (/usr/bin/make) in 1 workload"),
         ADD(APPARMOR, "packet raw", "sockets 1x by make (/usr/bin/make) in 1 workload"),
         ADD(APPARMOR, "/opt/toolchain/VERSION r", "read (1 event); 1x by make"),
         ADD(SECCOMP, "mlockall", "logged 1x by make (/usr/bin/make) in 1 workload"),
         NOTE(SECCOMP, "sched_setattr", "logged 2x before the current policy allowed it"),
         ADD(POSTURE, "KILL", "checked 1x by make (/usr/bin/make) in 1 workload"),
     },
     .observations = 9,
     .events = 40,
     .runtime_events = 0,
     .allowed_delta = 1},

    /* ---- posture ---- */
    {"frontend: capabilities checked",
     "profiles/frontend.yaml",
     "frontend-caps.yaml",
     {0},
     {
         CAP("chown", 2, NGINX, W1),
         CAP("net_bind_service", 9, NGINX, W1),
         CAP("sys_admin", 1, NGINX, W1),
         CAP("net_admin", 1, NGINX, W1),
     },
     {
         ADD(POSTURE, "CHOWN", "checked 2x by nginx (/usr/sbin/nginx) in 1 workload"),
         HELD(POSTURE, "SYS_ADMIN", "checked 1x by nginx"),
         HELD(POSTURE, "NET_ADMIN", "checked 1x by nginx"),
     },
     .observations = 4,
     .events = 13,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"frontend: risky capabilities accepted",
     "profiles/frontend.yaml",
     "frontend-caps-risky.yaml",
     {.accept_risky = true},
     {
         CAP("chown", 2, NGINX, W1),
         CAP("net_bind_service", 9, NGINX, W1),
         CAP("sys_admin", 1, NGINX, W1),
         CAP("net_admin", 1, NGINX, W1),
     },
     {
         ADD(POSTURE, "CHOWN", "checked 2x by nginx (/usr/sbin/nginx) in 1 workload"),
         ADD(POSTURE, "SYS_ADMIN", "RISKY, accepted: checked 1x by nginx"),
         ADD(POSTURE, "NET_ADMIN", "RISKY, accepted: checked 1x by nginx"),
     },
     .observations = 4,
     .events = 13,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"frontend: a capability no running workload holds",
     "profiles/frontend.yaml",
     "frontend-held.yaml",
     {.held = {{W1, UINT64_C(1) << 0 /* CHOWN */}, {W2, 0}}, .n_held = 2},
     {{0}},
     {REM(POSTURE, "NET_BIND_SERVICE", "none of the 2 running workloads holds it")},
     .observations = 0,
     .events = 0,
     .runtime_events = 0,
     .allowed_delta = 0},
    {"frontend: a capability a running workload holds is kept",
     "profiles/frontend.yaml",
     NULL,
     {.held = {{W1, 0}, {W2, UINT64_C(1) << 10 /* NET_BIND_SERVICE */}}, .n_held = 2},
     {{0}},
     {{0}},
     .observations = 0,
     .events = 0,
     .runtime_events = 0,
     .allowed_delta = 0},
};

/* ---- building the input ---- */

static int64_t syscall_nr(uint32_t arch, const char *name)
{
        /* libseccomp's arch tokens are the AUDIT_ARCH_* values. */
        int nr = seccomp_syscall_resolve_name_arch(arch, name);

        ck_assert_msg(nr >= 0, "%s is no syscall of arch %#x", name, arch);
        return nr;
}

static size_t n_obs(const struct ob *v, size_t max)
{
        size_t n = 0;

        while (n < max && v[n].count)
                n++;
        return n;
}

/* Restores the observations as the daemon does after a restart, and
 * returns the set (its list is observations_all()'s). */
static struct observations *make_observations(const struct ob *spec, size_t n, const char *service)
{
        struct observations *o = NULL;

        ck_assert_int_eq(observations_new(OBSERVATIONS_DEFAULT_MAX_KEYS, &o), 0);
        for (size_t i = 0; i < n; i++) {
                const struct ob *s = &spec[i];
                const char *svc = s->service ? (s->service[0] ? s->service : NULL) : service;
                uint64_t last = s->last_usec ? s->last_usec : T0;
                struct observation ob = {
                    .service = (char *)svc,
                    .kind = s->kind,
                    .verdict = s->verdict,
                    .runtime = s->runtime,
                    .operation = (char *)s->operation,
                    .object_kind = s->kind == EVENT_SECCOMP ? OBJECT_SYSCALL : s->object_kind,
                    .object = (char *)s->object,
                    .mask = (char *)s->mask,
                    .count = s->count,
                    .first_usec = last - 60 * USEC,
                    .last_usec = last,
                    .example_pid = 4242,
                    .example_comm = (char *)s->comm,
                    .example_exe = (char *)s->exe,
                };
                struct service_counts sc = {
                    .service = (char *)svc, .events = s->count, .denials = s->count};

                if (s->kind == EVENT_SECCOMP) {
                        ob.arch = s->arch ? s->arch : X86_64;
                        ob.syscall = s->syscall ? syscall_nr(ob.arch, s->syscall) : s->nr;
                }
                for (size_t w = 0; w < ELEMENTSOF(s->workloads) && s->workloads[w]; w++)
                        ob.workloads[ob.n_workloads++] = (char *)s->workloads[w];
                ck_assert_int_eq(observations_restore_service(o, &sc), 0);
                ck_assert_msg(observations_restore(o, &ob) == 0, "observation %zu: %s", i,
                              observation_check(&ob) ?: "not restored");
        }
        return o;
}

static char *read_text(const char *rel, size_t *ret_size)
{
        char *data = NULL;
        size_t size = 0;
        int r = read_file_bounded(AT_FDCWD, test_path(rel), POLICY_SIZE, &data, &size);

        ck_assert_msg(r >= 0, "%s: %s", rel, strerror(-r));
        *ret_size = size;
        return data;
}

static struct policy *load_policy(const char *text, size_t size, const char *label)
{
        struct policy *p = NULL;
        struct diag_list d;

        ck_assert_int_eq(diag_list_init(&d, label), 0);
        if (policy_load_buffer(text, size, AT_FDCWD, &d, &p) < 0) {
                _cleanup_free_ char *why = diag_to_text(&d);

                diag_list_done(&d);
                ck_abort_msg("%s does not load: %s", label, why ? why : "?");
        }
        diag_list_done(&d);
        return p;
}

static void options_of(const struct opts *in, struct proposal_recording *rec,
                       struct proposal_options *out)
{
        *rec = (struct proposal_recording){REC_START, REC_END, in->rec_apparmor};
        *out = (struct proposal_options){
            .accept_risky = in->accept_risky,
            .all_events = in->all_events,
            .since_usec = in->since_usec,
            .recording = in->recording ? rec : NULL,
            .held = in->n_held ? in->held : NULL,
            .n_held = in->n_held,
            .collapse_min = in->collapse_min,
        };
}

/* ---- what holds of every proposal ---- */

/* Syscalls allowed whatever their arguments on x86_64, counted over the
 * numbers of the architecture (the engine counts rules). */
static size_t count_allowed_here(const char *text, size_t size)
{
        _cleanup_policy_ struct policy *p = load_policy(text, size, "count");
        _cleanup_ruleset_ struct seccomp_ruleset *rs = NULL;
        struct seccomp_error err;
        size_t n = 0;

        ck_assert_int_eq(p->seccomp.base_kind == SECCOMP_BASE_OCI, 0);
        ck_assert_int_eq(
            seccomp_ruleset_build(
                p, NULL, &(struct seccomp_rules_options){.mode = POLICY_MODE_ENFORCE}, &err, &rs),
            0);
        for (int nr = 0; nr < 1024; nr++) {
                _cleanup_free_ char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);

                if (name && seccomp_ruleset_allows(rs, name))
                        n++;
        }
        return n;
}

struct lines {
        const char **v; /* starts of lines, into the text */
        size_t *len;    /* with their '\n' */
        size_t n;
};

static void split_lines(const char *text, size_t size, struct lines *l)
{
        size_t cap = 16;

        l->v = malloc(cap * sizeof(*l->v));
        l->len = malloc(cap * sizeof(*l->len));
        l->n = 0;
        ck_assert(l->v && l->len);
        for (size_t i = 0; i < size;) {
                const char *nl = memchr(text + i, '\n', size - i);
                size_t end = nl ? (size_t)(nl - text) + 1 : size;

                if (l->n == cap) {
                        cap *= 2;
                        l->v = realloc(l->v, cap * sizeof(*l->v));
                        l->len = realloc(l->len, cap * sizeof(*l->len));
                        ck_assert(l->v && l->len);
                }
                l->v[l->n] = text + i;
                l->len[l->n++] = end - i;
                i = end;
        }
}

static void lines_done(struct lines *l)
{
        free(l->v);
        free(l->len);
}

static bool line_is(const struct lines *l, size_t i, const char *s, size_t len)
{
        return i < l->n && l->len[i] == len && memcmp(l->v[i], s, len) == 0;
}

/* Applies a unified diff to old: what the operator's `patch` would make.
 * Returns NULL (and says why in err) when the diff does not apply. */
static char *apply_diff(const char *old, size_t old_size, const char *diff, char *err,
                        size_t err_size, size_t *ret_size)
{
        struct lines o, d;
        char *out = NULL;
        size_t out_size = 0, next = 0; /* next old line to copy */
        FILE *f = open_memstream(&out, &out_size);

        ck_assert_ptr_nonnull(f);
        split_lines(old, old_size, &o);
        split_lines(diff, strlen(diff), &d);
        err[0] = '\0';
        for (size_t i = 0; i < d.n && !err[0]; i++) {
                const char *s = d.v[i];
                unsigned a, b, c, e;
                bool last_no_nl;
                size_t len;

                if (strncmp(s, "--- ", 4) == 0 || strncmp(s, "+++ ", 4) == 0)
                        continue;
                if (sscanf(s, "@@ -%u,%u +%u,%u @@", &a, &b, &c, &e) != 4) {
                        snprintf(err, err_size, "diff line %zu: not a hunk header: %.*s", i + 1,
                                 (int)d.len[i], s);
                        break;
                }
                /* An empty old side starts after line a, not at it. */
                for (size_t start = b ? a - 1 : a; next < start && next < o.n; next++)
                        fwrite(o.v[next], 1, o.len[next], f);
                for (i++; i < d.n && d.v[i][0] != '@'; i++) {
                        s = d.v[i];
                        len = d.len[i] - 1;
                        /* "\ No newline at end of file" applies to the line before. */
                        last_no_nl = i + 1 < d.n && d.v[i + 1][0] == '\\';
                        if (!last_no_nl && s[len] != '\n')
                                len++; /* the diff itself ends without a newline */
                        if (s[0] == '\\')
                                continue;
                        if (s[0] == ' ' || s[0] == '-') {
                                if (!line_is(&o, next, s + 1, last_no_nl ? len - 1 : len)) {
                                        snprintf(err, err_size,
                                                 "diff line %zu does not match old line %zu", i + 1,
                                                 next + 1);
                                        break;
                                }
                                if (s[0] == ' ')
                                        fwrite(o.v[next], 1, o.len[next], f);
                                next++;
                        } else if (s[0] == '+') {
                                fwrite(s + 1, 1, last_no_nl ? len - 1 : len, f);
                        } else {
                                snprintf(err, err_size, "diff line %zu: unexpected '%c'", i + 1,
                                         s[0]);
                                break;
                        }
                }
                i--;
        }
        for (; next < o.n; next++)
                fwrite(o.v[next], 1, o.len[next], f);
        ck_assert_int_eq(fclose(f), 0);
        lines_done(&o);
        lines_done(&d);
        if (err[0]) {
                free(out);
                return NULL;
        }
        *ret_size = out_size;
        return out;
}

static size_t indent_of(const char *s, size_t len)
{
        size_t n = 0;

        while (n < len && s[n] == ' ')
                n++;
        return n;
}

static bool has_hash(const char *s, size_t len)
{
        return memchr(s, '#', len) != NULL;
}

/* Every line the diff adds says why: it carries a '#' comment; or it
 * continues a multi-line item whose first added line does (less
 * indented, earlier in the same run of added lines); or it is a posture
 * capability, whose reason is the policy's own `reason:` field; or it is
 * a sequence's key rewritten ("allow:", "capabilities: []") above items
 * that all carry their reasons. Returns the first line that does not, or
 * NULL. */
static char *unexplained_line(const char *diff)
{
        struct lines d;
        char *bad = NULL;
        bool *ok;

        split_lines(diff, strlen(diff), &d);
        ok = calloc(d.n + 1, sizeof(*ok));
        ck_assert_ptr_nonnull(ok);
        for (size_t i = 0; i < d.n; i++) {
                const char *s = d.v[i] + 1;
                size_t len = d.len[i] - 1, ind = indent_of(s, len);

                if (d.v[i][0] != '+' || strncmp(d.v[i], "+++ ", 4) == 0 || has_hash(s, len)) {
                        ok[i] = true;
                        continue;
                }
                /* A continuation line of an item explained on its first line. */
                for (size_t k = i; k-- > 0 && d.v[k][0] == '+' && !ok[i];)
                        if (indent_of(d.v[k] + 1, d.len[k] - 1) < ind)
                                ok[i] = has_hash(d.v[k] + 1, d.len[k] - 1) ||
                                        strncmp(d.v[k] + 1 + ind - 2, "- name: ", 8) == 0;
                /* A capability item: "- name: X" over "reason: ...". */
                if (!ok[i] && len > ind + 8 && strncmp(s + ind, "- name: ", 8) == 0 &&
                    i + 1 < d.n && d.v[i + 1][0] == '+' && d.len[i + 1] > ind + 11)
                        ok[i] = strncmp(d.v[i + 1] + 1 + ind + 2, "reason: ", 8) == 0;
        }
        /* A key over items that all say why, last to first (keys nest). */
        for (size_t i = d.n; i-- > 0;) {
                const char *s = d.v[i] + 1;
                size_t len = d.len[i] - 1, ind = indent_of(s, len), k = i + 1;

                if (ok[i] || !(memmem(s, len, ":\n", 2) || memmem(s, len, ": []", 4)))
                        continue;
                ok[i] = k < d.n && d.v[k][0] == '+';
                for (; k < d.n && d.v[k][0] == '+' && indent_of(d.v[k] + 1, d.len[k] - 1) > ind;
                     k++)
                        ok[i] &= ok[k];
        }
        for (size_t i = 0; i < d.n && !bad; i++)
                if (!ok[i])
                        bad = strndup(d.v[i], d.len[i]);
        free(ok);
        lines_done(&d);
        return bad;
}

/* Where two texts first differ, for a failure message. */
static void first_difference(FILE *f, const char *want, size_t want_size, const char *got,
                             size_t got_size)
{
        struct lines a, b;
        size_t i = 0;

        split_lines(want, want_size, &a);
        split_lines(got, got_size, &b);
        while (i < a.n && i < b.n && a.len[i] == b.len[i] && memcmp(a.v[i], b.v[i], a.len[i]) == 0)
                i++;
        fprintf(f, "  first difference at line %zu:\n    want: %.*s\n    got:  %.*s\n", i + 1,
                i < a.n ? (int)a.len[i] : 5, i < a.n ? a.v[i] : "(end)\n",
                i < b.n ? (int)b.len[i] : 5, i < b.n ? b.v[i] : "(end)\n");
        lines_done(&a);
        lines_done(&b);
}

static bool same_changes(const struct proposal *a, const struct proposal *b)
{
        if (a->n_changes != b->n_changes)
                return false;
        for (size_t i = 0; i < a->n_changes; i++) {
                const struct proposal_change *x = &a->changes[i], *y = &b->changes[i];

                if (x->section != y->section || x->action != y->action ||
                    strcmp(x->what, y->what) || strcmp(x->reason, y->reason) ||
                    x->count != y->count)
                        return false;
        }
        return true;
}

/* Problems go to f; returns how many. */
static unsigned check_invariants(FILE *f, const struct pcase *c, const struct proposal *p,
                                 const struct proposal *again)
{
        _cleanup_free_ char *bad = NULL, *applied = NULL, *printed = NULL;
        _cleanup_policy_ struct policy *np = NULL;
        char err[256];
        size_t applied_size, printed_size = 0, sum = 0;
        unsigned problems = 0;
        json_t *j;
        FILE *pf;

#define PROBLEM(...)                                                                               \
        do {                                                                                       \
                fprintf(f, "  " __VA_ARGS__);                                                      \
                fputc('\n', f);                                                                    \
                problems++;                                                                        \
        } while (0)

        if (!p->diff || !p->new_text) {
                PROBLEM("no diff or no new text");
                return problems;
        }
        if ((p->diff[0] == '\0') !=
            (p->old_size == p->new_size && memcmp(p->old_text, p->new_text, p->old_size) == 0))
                PROBLEM("the diff is %sempty while the texts are %s", p->diff[0] ? "not " : "",
                        p->diff[0] ? "the same" : "different");
        if (strlen(p->new_text) != p->new_size)
                PROBLEM("new_size %zu, strlen %zu", p->new_size, strlen(p->new_text));
        if ((bad = unexplained_line(p->diff)))
                PROBLEM("an added line with no reason: %s", bad);
        applied = apply_diff(p->old_text, p->old_size, p->diff, err, sizeof(err), &applied_size);
        if (!applied)
                PROBLEM("the diff does not apply to the old text: %s", err);
        else if (applied_size != p->new_size || memcmp(applied, p->new_text, applied_size) != 0)
                PROBLEM("the diff applied to the old text is not the new text");
        np = load_policy(p->new_text, p->new_size, "new text");
        if (strcmp(np->service, p->service) != 0)
                PROBLEM("the new text is service '%s', not '%s'", np->service, p->service);
        if (p->allowed_before != count_allowed_here(p->old_text, p->old_size))
                PROBLEM("allowed_before %zu, counted here %zu", p->allowed_before,
                        count_allowed_here(p->old_text, p->old_size));
        if (p->allowed_after != count_allowed_here(p->new_text, p->new_size))
                PROBLEM("allowed_after %zu, counted here %zu", p->allowed_after,
                        count_allowed_here(p->new_text, p->new_size));
        for (size_t a = 0; a < _PROPOSAL_ACTION_MAX; a++)
                sum += p->n_by_action[a];
        if (sum != p->n_changes)
                PROBLEM("n_by_action sums to %zu, n_changes %zu", sum, p->n_changes);
        for (size_t i = 0; i < p->n_changes; i++) {
                const struct proposal_change *ch = &p->changes[i];

                if (!ch->reason[0] || strchr(ch->reason, '\n'))
                        PROBLEM("change %s: reason '%s' is not one line", ch->what, ch->reason);
                if (ch->action == PROPOSAL_HELD_BACK && !ch->risk)
                        PROBLEM("held back %s without a risk note", ch->what);
        }
        /* Determinism: a second run over the same input. */
        if (again->new_size != p->new_size || strcmp(again->new_text, p->new_text) ||
            strcmp(again->diff, p->diff) || !same_changes(p, again))
                PROBLEM("a second run gave another result");
        /* The JSON document and its print. */
        j = proposal_to_json(p);
        if (!j) {
                PROBLEM("proposal_to_json failed");
                return problems;
        }
        if (json_array_size(json_object_get(j, "changes")) != p->n_changes)
                PROBLEM("JSON has %zu changes", json_array_size(json_object_get(j, "changes")));
        if (strlen(json_string_value(json_object_get(j, "old_sha256")) ?: "") != 64)
                PROBLEM("JSON old_sha256 is not 64 hex digits");
        if (strcmp(json_string_value(json_object_get(j, "new_text")) ?: "", p->new_text))
                PROBLEM("JSON new_text differs");
        if (json_is_true(json_object_get(j, "changes_policy")) != proposal_changes_policy(p))
                PROBLEM("JSON changes_policy differs");
        pf = open_memstream(&printed, &printed_size);
        ck_assert_ptr_nonnull(pf);
        if (proposal_print(pf, j) < 0)
                PROBLEM("proposal_print failed");
        ck_assert_int_eq(fclose(pf), 0);
        if (strncmp(printed, p->service, strlen(p->service)) != 0)
                PROBLEM("the print does not start with the service");
        if (p->diff[0] && !strstr(printed, p->diff))
                PROBLEM("the print does not hold the diff");
        for (size_t i = 0; i < p->n_changes; i++)
                if ((p->changes[i].action == PROPOSAL_HELD_BACK ||
                     p->changes[i].action == PROPOSAL_NOTE) &&
                    !strstr(printed, p->changes[i].reason))
                        PROBLEM("the print does not hold the %s of %s",
                                proposal_action_to_string(p->changes[i].action),
                                p->changes[i].what);
        json_decref(j);
#undef PROBLEM
        return problems;
}

/* ---- the table ---- */

static size_t n_want(const struct pcase *c)
{
        size_t n = 0;

        while (n < ELEMENTSOF(c->changes) && c->changes[n].what)
                n++;
        return n;
}

static void print_changes(FILE *f, const struct proposal *p)
{
        fprintf(f, "  the engine's changes:\n");
        for (size_t i = 0; i < p->n_changes; i++)
                fprintf(f, "    %s %s '%s': %s\n",
                        proposal_section_to_string(p->changes[i].section),
                        proposal_action_to_string(p->changes[i].action), p->changes[i].what,
                        p->changes[i].reason);
}

static unsigned check_changes(FILE *f, const struct pcase *c, const struct proposal *p)
{
        size_t n = n_want(c), by_action[_PROPOSAL_ACTION_MAX] = {0};
        bool matched[64] = {false};
        unsigned problems = 0;

        ck_assert_uint_le(p->n_changes, ELEMENTSOF(matched));
        for (size_t i = 0; i < n; i++) {
                const struct want *w = &c->changes[i];
                size_t k;

                by_action[w->action]++;
                for (k = 0; k < p->n_changes; k++)
                        if (!matched[k] && p->changes[k].section == w->section &&
                            p->changes[k].action == w->action &&
                            strcmp(p->changes[k].what, w->what) == 0)
                                break;
                if (k == p->n_changes) {
                        fprintf(f, "  missing change: %s %s '%s'\n",
                                proposal_section_to_string(w->section),
                                proposal_action_to_string(w->action), w->what);
                        problems++;
                        continue;
                }
                matched[k] = true;
                if (w->reason && !strstr(p->changes[k].reason, w->reason)) {
                        fprintf(f, "  %s '%s': reason '%s' lacks '%s'\n",
                                proposal_action_to_string(w->action), w->what, p->changes[k].reason,
                                w->reason);
                        problems++;
                }
        }
        for (size_t k = 0; k < p->n_changes; k++)
                if (!matched[k]) {
                        fprintf(f, "  unexpected change: %s %s '%s': %s\n",
                                proposal_section_to_string(p->changes[k].section),
                                proposal_action_to_string(p->changes[k].action), p->changes[k].what,
                                p->changes[k].reason);
                        problems++;
                }
        for (size_t a = 0; a < _PROPOSAL_ACTION_MAX; a++)
                if (by_action[a] != p->n_by_action[a]) {
                        fprintf(f, "  %zu changes '%s', want %zu\n", p->n_by_action[a],
                                proposal_action_to_string(a), by_action[a]);
                        problems++;
                }
        if (problems)
                print_changes(f, p);
        return problems;
}

static void check_text(FILE *f, unsigned *problems, const struct pcase *c, const struct proposal *p,
                       const char *old, size_t old_size)
{
        _cleanup_free_ char *want = NULL;
        char rel[256];
        size_t want_size;

        if (!c->expected) {
                if (p->new_size != old_size || memcmp(p->new_text, old, old_size) != 0) {
                        fprintf(f, "  the text changed, want it unchanged; diff:\n%s", p->diff);
                        (*problems)++;
                }
                if (p->diff[0]) {
                        fprintf(f, "  the diff is not empty\n");
                        (*problems)++;
                }
                return;
        }
        snprintf(rel, sizeof(rel), "tests/fixtures/propose/%s", c->expected);
        if (getenv("PROPOSE_UPDATE_GOLDEN")) {
                ck_assert_int_eq(
                    write_file_atomic(AT_FDCWD, test_path(rel), p->new_text, p->new_size, 0644), 0);
                return;
        }
        want = read_text(rel, &want_size);
        if (want_size != p->new_size || memcmp(want, p->new_text, want_size) != 0) {
                fprintf(f, "  new text differs from %s\n", rel);
                first_difference(f, want, want_size, p->new_text, p->new_size);
                fprintf(f, "  diff from the engine:\n%s", p->diff);
                (*problems)++;
        }
}

static int build(const struct pcase *c, const struct policy *pol, const char *text, size_t size,
                 const struct observations *o, char *err, size_t err_size, struct proposal **ret)
{
        struct proposal_recording rec;
        struct proposal_options opt;
        const struct observation *const *all;
        size_t n;

        options_of(&c->opt, &rec, &opt);
        all = observations_all(o, &n);
        return proposal_build(pol, text, size, c->policy, all, n, &opt, err, err_size, ret);
}

START_TEST(test_propose_table)
{
        const struct pcase *c = &cases[_i];
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_(proposal_freep) struct proposal *p = NULL, *again = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL, *report = NULL;
        size_t size, report_size = 0;
        unsigned problems = 0;
        char err[512];
        FILE *f;
        int r;

        text = read_text(c->policy, &size);
        pol = load_policy(text, size, c->policy);
        o = make_observations(c->obs, n_obs(c->obs, ELEMENTSOF(c->obs)), pol->service);
        r = build(c, pol, text, size, o, err, sizeof(err), &p);
        ck_assert_msg(r == 0, "case '%s': proposal_build: %s (%s)", c->name, strerror(-r), err);
        ck_assert_int_eq(build(c, pol, text, size, o, err, sizeof(err), &again), 0);

        f = open_memstream(&report, &report_size);
        ck_assert_ptr_nonnull(f);
        check_text(f, &problems, c, p, text, size);
        problems += check_changes(f, c, p);
        if (p->observations != c->observations || p->events != c->events ||
            p->runtime_events != c->runtime_events) {
                fprintf(f,
                        "  evidence: %zu observations, %llu events, %llu runtime; want %zu, %llu, "
                        "%llu\n",
                        p->observations, (unsigned long long)p->events,
                        (unsigned long long)p->runtime_events, c->observations,
                        (unsigned long long)c->events, (unsigned long long)c->runtime_events);
                problems++;
        }
        if (c->allowed_delta != UNCHECKED &&
            (long)p->allowed_after - (long)p->allowed_before != c->allowed_delta) {
                fprintf(f, "  allowed %zu -> %zu, want a change of %ld\n", p->allowed_before,
                        p->allowed_after, c->allowed_delta);
                problems++;
        }
        if (c->allowed_after && p->allowed_after != c->allowed_after) {
                fprintf(f, "  allowed_after %zu, want %zu\n", p->allowed_after, c->allowed_after);
                problems++;
        }
        problems += check_invariants(f, c, p, again);
        ck_assert_int_eq(fclose(f), 0);
        /* Check's messages are short: the whole report goes to stderr. */
        if (problems)
                fprintf(stderr, "case '%s':\n%s\n", c->name, report);
        ck_assert_msg(problems == 0, "case '%s': %u problem%s:\n%.2500s", c->name, problems,
                      problems == 1 ? "" : "s", report);
}
END_TEST

/* The same observations in the opposite order: the same text. What a
 * proposal says is a function of what was seen, not of the order the keys
 * were made in (a restore and a live run order them differently). */
START_TEST(test_propose_order)
{
        const struct pcase *c = &cases[_i];
        _cleanup_(observations_freep) struct observations *o = NULL, *rev = NULL;
        _cleanup_(proposal_freep) struct proposal *p = NULL, *q = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL;
        struct ob reversed[ELEMENTSOF(c->obs)];
        size_t size, n = n_obs(c->obs, ELEMENTSOF(c->obs));
        bool same_text, same_count;
        char err[512];

        for (size_t i = 0; i < n; i++)
                reversed[i] = c->obs[n - 1 - i];
        text = read_text(c->policy, &size);
        pol = load_policy(text, size, c->policy);
        o = make_observations(c->obs, n, pol->service);
        rev = make_observations(reversed, n, pol->service);
        if (build(c, pol, text, size, o, err, sizeof(err), &p) < 0)
                return; /* the table test reports it */
        ck_assert_int_eq(build(c, pol, text, size, rev, err, sizeof(err), &q), 0);
        same_text = strcmp(p->new_text, q->new_text) == 0;
        same_count = p->n_changes == q->n_changes;
        if (!same_text)
                fprintf(stderr, "case '%s', in order:\n%s\nreversed:\n%s\n", c->name, p->diff,
                        q->diff);
        /* Freed before asserting: a failed assertion does not unwind. */
        o = observations_free(o);
        rev = observations_free(rev);
        p = proposal_free(p);
        q = proposal_free(q);
        pol = policy_free(pol);
        free(TAKE_PTR(text));
        ck_assert_msg(same_text,
                      "case '%s': the order of the observations changed the text (diffs on stderr)",
                      c->name);
        ck_assert(same_count);
}
END_TEST

/* ---- without observations ---- */

static const char *const shipped[] = {
    "profiles/api.yaml",
    "profiles/frontend.yaml",
    "profiles/worker.yaml",
    "profiles/hardend.yaml",
    "tests/fixtures/propose/small.yaml",
    "tests/fixtures/propose/recorded.yaml",
};

START_TEST(test_no_observations)
{
        _cleanup_(proposal_freep) struct proposal *p = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL;
        struct proposal_options opt = {0};
        char err[512];
        size_t size;
        int r;

        text = read_text(shipped[_i], &size);
        pol = load_policy(text, size, shipped[_i]);
        r = proposal_build(pol, text, size, shipped[_i], NULL, 0, &opt, err, sizeof(err), &p);
        ck_assert_msg(r == 0, "%s: %s", shipped[_i], err);
        ck_assert_str_eq(p->diff, "");
        ck_assert(!proposal_changes_policy(p));
        ck_assert_uint_eq(p->new_size, size);
        ck_assert(memcmp(p->new_text, text, size) == 0);
        ck_assert_uint_eq(p->n_changes, 0);
        ck_assert_uint_eq(p->observations, 0);
        ck_assert_uint_eq(p->events, 0);
        ck_assert_uint_eq(p->allowed_before, p->allowed_after);
        ck_assert_uint_eq(p->allowed_before, count_allowed_here(text, size));
        ck_assert_str_eq(p->service, pol->service);
        ck_assert_str_eq(p->label, shipped[_i]);
}
END_TEST

/* ---- hostile strings ---- */

/* Process names, executables, workloads and paths are whatever the
 * process or the kernel record said: line breaks, quotes, '#', YAML
 * syntax, bytes over 0x7f. The new text must still be the policy with one
 * reason per line. */
START_TEST(test_hostile_strings)
{
        static const struct ob hostile[] = {
            {.kind = EVENT_SECCOMP,
             .verdict = SECCOMP_EVENT_LOG,
             .syscall = "mlock",
             .count = 2,
             .comm = "x\n- ptrace  # \"",
             .exe = "/tmp/\x01\xff: [a, {b}]\r\n#",
             .workloads = {"podman:\n- bad", "w: {x}"}},
            {.kind = EVENT_APPARMOR,
             .verdict = APPARMOR_ALLOWED,
             .operation = "open",
             .object_kind = OBJECT_PATH,
             .object = "/etc/x\n  - path: /**\n    access: rwx\n",
             .mask = "r",
             .count = 1,
             .comm = "#",
             .exe = "\"",
             .workloads = {W1}},
            {.kind = EVENT_APPARMOR,
             .verdict = APPARMOR_ALLOWED,
             .operation = "open",
             .object_kind = OBJECT_PATH,
             .object = "/srv/\"quoted\" {a,b} [c] *?\\",
             .mask = "r",
             .count = 1,
             BY_NODE,
             .workloads = {W1}},
            {.kind = EVENT_APPARMOR,
             .verdict = APPARMOR_ALLOWED,
             .operation = "create",
             .object_kind = OBJECT_NETWORK,
             .object = "inet stream\n- unix",
             .mask = "create",
             .count = 1,
             BY_NODE,
             .workloads = {W1}},
            {.kind = EVENT_APPARMOR,
             .verdict = APPARMOR_ALLOWED,
             .operation = "capable",
             .object_kind = OBJECT_CAPABILITY,
             .object = "kill",
             .count = 1,
             .comm = "a\nreason: x",
             .exe = "\"\\",
             .workloads = {W1}},
        };
        static const struct pcase c = {.name = "hostile",
                                       .policy = "tests/fixtures/propose/small.yaml"};
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_(proposal_freep) struct proposal *p = NULL, *again = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL, *report = NULL;
        size_t size, report_size = 0;
        unsigned problems;
        char err[512];
        FILE *f;

        text = read_text(c.policy, &size);
        pol = load_policy(text, size, c.policy);
        o = make_observations(hostile, ELEMENTSOF(hostile), pol->service);
        ck_assert_msg(build(&c, pol, text, size, o, err, sizeof(err), &p) == 0, "%s", err);
        ck_assert_int_eq(build(&c, pol, text, size, o, err, sizeof(err), &again), 0);
        f = open_memstream(&report, &report_size);
        ck_assert_ptr_nonnull(f);
        problems = check_invariants(f, &c, p, again);
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_msg(problems == 0, "%u problems:\n%.2500s\n%s", problems, report, p->diff);
        /* Proposed: the call, the two files and the capability; the
         * socket's type ("stream\n- unix") is no type a rule can name, so
         * it is a note, never a rule for the whole family. */
        ck_assert_uint_eq(p->n_by_action[PROPOSAL_ADD], 4);
        if (getenv("PROPOSE_SHOW"))
                fprintf(stderr, "%s", p->diff);
        /* What the records said is evidence in comments, never policy: the
         * loaded result has exactly the four additions. */
        {
                _cleanup_policy_ struct policy *np = load_policy(p->new_text, p->new_size, "new");

                ck_assert_uint_eq(np->seccomp.allow.n, pol->seccomp.allow.n + 1);
                ck_assert(policy_list_contains(&np->seccomp.allow, "mlock"));
                ck_assert_uint_eq(np->apparmor.n_files, pol->apparmor.n_files + 2);
                for (size_t i = pol->apparmor.n_files; i < np->apparmor.n_files; i++)
                        ck_assert_str_eq(np->apparmor.files[i].access, "r");
                ck_assert_uint_eq(np->apparmor.n_network, pol->apparmor.n_network);
                ck_assert_uint_eq(np->posture.n_capabilities, 1);
                ck_assert_ptr_null(strchr(np->posture.capabilities[0].reason, '\n'));
        }
        for (const unsigned char *b = (const unsigned char *)p->new_text; *b; b++)
                ck_assert_msg(*b == '\n' || (*b >= 0x20 && *b < 0x7f) || *b >= 0x80,
                              "control byte %#x in the new text", *b);
}
END_TEST

/* A section written as a flow mapping ("posture: {capabilities: []}") is
 * valid policy; the text editor cannot splice items into it. Then the
 * proposal must either be made or fail saying which part it could not
 * edit, not with a bare errno text. */
START_TEST(test_flow_mapping_section)
{
        static const char text[] = "service: flow\n"
                                   "match: {units: [flow.service]}\n"
                                   "seccomp: {base: none, architectures: [x86_64], allow: [read]}\n"
                                   "posture: {capabilities: []}\n";
        static const struct ob seen[] = {SYS("mlock", 1, NODE, W1), CAP("kill", 1, NODE, W1)};
        static const struct pcase c = {.name = "flow", .policy = "flow.yaml"};
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_(proposal_freep) struct proposal *p = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        char err[512];
        int r;

        pol = load_policy(text, sizeof(text) - 1, c.policy);
        o = make_observations(seen, ELEMENTSOF(seen), pol->service);
        r = build(&c, pol, text, sizeof(text) - 1, o, err, sizeof(err), &p);
        if (r == 0) {
                _cleanup_policy_ struct policy *np =
                    load_policy(p->new_text, p->new_size, "new text");

                ck_assert(policy_list_contains(&np->seccomp.allow, "mlock"));
                ck_assert_uint_eq(np->posture.n_capabilities, 1);
                return;
        }
        ck_assert_int_eq(r, -EINVAL);
        ck_assert_msg(strstr(err, "seccomp.allow") || strstr(err, "posture.capabilities"),
                      "the error does not say what could not be edited: '%s'", err);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_text_does_not_parse)
{
        static const char bad[] = "service: api\nseccomp:\n  allow: [read\n";
        struct proposal sentinel = {0}, *p = &sentinel;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL;
        struct proposal_options opt = {0};
        unsigned line = 0, col = 0;
        char err[512], colon = 0;
        size_t size;

        text = read_text("profiles/api.yaml", &size);
        pol = load_policy(text, size, "profiles/api.yaml");
        ck_assert_int_eq(proposal_build(pol, bad, sizeof(bad) - 1, "profiles/api.yaml", NULL, 0,
                                        &opt, err, sizeof(err), &p),
                         -EINVAL);
        ck_assert_ptr_eq(p, &sentinel);
        /* "FILE:LINE:COL: message" */
        ck_assert_msg(strncmp(err, "profiles/api.yaml:", 18) == 0, "%s", err);
        ck_assert_msg(sscanf(err + 18, "%u:%u%c", &line, &col, &colon) == 3 && colon == ':' &&
                          line >= 3 && line <= 4 && col >= 1,
                      "%s", err);
}
END_TEST

/* A text that parses but is another service's policy file. */
START_TEST(test_text_of_another_service)
{
        _cleanup_(proposal_freep) struct proposal *p = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *api = NULL, *frontend = NULL;
        struct proposal_options opt = {0};
        char err[512];
        size_t size, fsize;

        api = read_text("profiles/api.yaml", &size);
        frontend = read_text("profiles/frontend.yaml", &fsize);
        pol = load_policy(api, size, "profiles/api.yaml");
        ck_assert_int_eq(proposal_build(pol, frontend, fsize, "profiles/frontend.yaml", NULL, 0,
                                        &opt, err, sizeof(err), &p),
                         -EINVAL);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err, "frontend") && strstr(err, "api"), "%s", err);
}
END_TEST

START_TEST(test_too_many_observations)
{
        _cleanup_(observations_freep) struct observations *o = NULL;
        _cleanup_(proposal_freep) struct proposal *p = NULL;
        _cleanup_policy_ struct policy *pol = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ const struct observation **many = NULL;
        static const struct ob one[] = {SYS("mlock", 1, NODE, W1)};
        const struct observation *const *all;
        struct proposal_options opt = {0};
        size_t size, n, big = PROPOSAL_MAX_OBSERVATIONS + 1u;
        char err[512];

        text = read_text("profiles/api.yaml", &size);
        pol = load_policy(text, size, "profiles/api.yaml");
        o = make_observations(one, 1, "api");
        all = observations_all(o, &n);
        many = malloc(big * sizeof(*many));
        ck_assert_ptr_nonnull(many);
        for (size_t i = 0; i < big; i++)
                many[i] = all[0];
        ck_assert_int_eq(proposal_build(pol, text, size, "profiles/api.yaml", many, big, &opt, err,
                                        sizeof(err), &p),
                         -E2BIG);
        ck_assert_ptr_null(p);
        ck_assert_msg(strstr(err, "1000001"), "%s", err);
        /* At the cap it is accepted: one key, seen a million times over. */
        ck_assert_int_eq(proposal_build(pol, text, size, "profiles/api.yaml", many, big - 1, &opt,
                                        err, sizeof(err), &p),
                         0);
        ck_assert_uint_eq(p->n_by_action[PROPOSAL_ADD], 1);
        ck_assert_uint_eq(p->changes[0].count, (uint64_t)PROPOSAL_MAX_OBSERVATIONS);
}
END_TEST

/* ---- the checkers themselves: they must be able to fail ---- */

START_TEST(test_checkers)
{
        static const char old[] = "a:\n  - x\n  - y\nb: 1\n";
        static const char good[] = "--- f\n+++ f\n@@ -1,4 +1,5 @@\n a:\n   - x\n   - y\n"
                                   "+  - z  # why\n b: 1\n";
        static const char stale[] = "--- f\n+++ f\n@@ -1,4 +1,5 @@\n a:\n   - x\n   - w\n"
                                    "+  - z  # why\n b: 1\n";
        char err[256];
        size_t n;
        _cleanup_free_ char *applied = apply_diff(old, strlen(old), good, err, sizeof(err), &n);
        _cleanup_free_ char *bad1 = NULL, *bad2 = NULL, *bad3 = NULL, *ok1 = NULL, *ok2 = NULL,
                            *ok3 = NULL;

        ck_assert_ptr_nonnull(applied);
        ck_assert_str_eq(applied, "a:\n  - x\n  - y\n  - z  # why\nb: 1\n");
        ck_assert_ptr_null(apply_diff(old, strlen(old), stale, err, sizeof(err), &n));
        ck_assert_msg(strstr(err, "does not match"), "%s", err);

        bad1 = unexplained_line("@@ -1 +1,2 @@\n a:\n+  - z\n");
        ck_assert_str_eq(bad1, "+  - z\n");
        /* A continuation line whose item says nothing. */
        bad2 = unexplained_line("@@ -1 +1,3 @@\n f:\n+  - path: /x\n+    access: r\n");
        ck_assert_str_eq(bad2, "+  - path: /x\n");
        /* A key over an item that says nothing. */
        bad3 = unexplained_line("@@ -1 +1,2 @@\n-a: []\n+a:\n+  - z\n");
        ck_assert_str_eq(bad3, "+a:\n");
        ok1 = unexplained_line("@@ -1 +1,3 @@\n f:\n+  - path: /x  # why\n+    access: r\n");
        ck_assert_ptr_null(ok1);
        ok2 = unexplained_line("@@ -1 +1,3 @@\n-c: []\n+c:\n+  - name: KILL\n"
                               "+    reason: \"checked\"\n");
        ck_assert_ptr_null(ok2);
        ok3 = unexplained_line("@@ -1,2 +1,2 @@\n-l:\n-  - a\n+l: []\n+  # - a  # why\n");
        ck_assert_ptr_null(ok3);
}
END_TEST

static Suite *insight_propose_suite(void)
{
        Suite *s = suite_create("insight-propose");
        TCase *tc = tcase_create("propose");

        tcase_set_timeout(tc, 120);
        tcase_add_loop_test(tc, test_propose_table, 0, ELEMENTSOF(cases));
        tcase_add_loop_test(tc, test_propose_order, 0, ELEMENTSOF(cases));
        tcase_add_loop_test(tc, test_no_observations, 0, ELEMENTSOF(shipped));
        tcase_add_test(tc, test_checkers);
        tcase_add_test(tc, test_hostile_strings);
        tcase_add_test(tc, test_flow_mapping_section);
        tcase_add_test(tc, test_text_does_not_parse);
        tcase_add_test(tc, test_text_of_another_service);
        tcase_add_test(tc, test_too_many_observations);
        suite_add_tcase(s, tc);
        return s;
}

TEST_SUITE(insight_propose_suite)
