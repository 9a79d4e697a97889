/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the proposal engine (insight/proposal.h): the input
 * picks a policy among a few embedded ones (block and flow style, CRLF),
 * the options, and a handful of observations: syscalls from a table
 * (allowed, denied, conditioned, risky, guarded, group members, unknown
 * numbers), and file paths, masks, capabilities, network objects and
 * peers taken from the input bytes. They are restored into a real
 * struct observations, as the daemon's are.
 *
 * Beyond "no crash, no leak, no UB": a proposal built from a valid policy
 * file must be a valid policy file of the same service (the engine checks
 * it and returns -EINVAL when it is not: that is a bug here), its diff is
 * empty exactly when the text is unchanged, and a second run gives the
 * same text. FUZZ_PROPOSAL_LENIENT=1 lets such -EINVAL results pass, to
 * look for other problems while a known one is being fixed. */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "events/observations.h"
#include "insight/proposal.h"
#include "policy/policy-load.h"

static const char api_like[] = "# api-like: a group base, flow lists\n"
                               "service: fz\n"
                               "match:\n"
                               "  units: [fz.service]\n"
                               "seccomp:\n"
                               "  base: \"@system-service\"\n"
                               "  architectures: [x86_64, x86]\n"
                               "  allow: []\n"
                               "  deny:\n"
                               "    - syscall: clone3\n"
                               "      errno: ENOSYS\n"
                               "    - \"@mount\"   # never\n"
                               "    - \"@debug\"\n"
                               "    - \"@privileged\"\n"
                               "  conditions:\n"
                               "    - syscall: socket\n"
                               "      arg: 0\n"
                               "      in: [AF_UNIX, AF_INET, AF_INET6]  # no raw sockets\n"
                               "    - syscall: clone\n"
                               "      arg: 0\n"
                               "      none_of: [CLONE_NEWNS, CLONE_NEWUSER,\n"
                               "                CLONE_NEWNET]\n"
                               "apparmor:\n"
                               "  files:\n"
                               "    - path: /etc/fz/**\n"
                               "      access: r\n"
                               "    - path: /tmp/**      # scratch\n"
                               "      access: rwk\n"
                               "  deny:\n"
                               "    - path: /etc/shadow\n"
                               "      access: rw\n"
                               "  network:\n"
                               "    - inet stream\n"
                               "    - unix\n"
                               "posture:\n"
                               "  capabilities: []   # none\n";

static const char small_like[] =
    "service: fz\n"
    "description: a short allow list\n"
    "match:\n"
    "  units: [fz.service]\n"
    "\n"
    "seccomp:\n"
    "  base: none\n"
    "  architectures: [x86_64]\n"
    "  allow:\n"
    "    - read\n"
    "    - write     # logs\n"
    "    - \"@timer\"\n"
    "    - mlock\n"
    "  deny: [\"@mount\", {syscall: sethostname, errno: EACCES}]\n"
    "  conditions:\n"
    "    - {syscall: socket, arg: 0, in: [AF_UNIX, AF_INET, AF_NETLINK]}\n"
    "\n"
    "apparmor:\n"
    "  files:\n"
    "    - path: /srv/**\n"
    "      access: r\n"
    "    - path: /var/lib/fz/*\n"
    "      access: rw\n"
    "  network:\n"
    "    - inet6 dgram\n"
    "\n"
    "posture:\n"
    "  capabilities:\n"
    "    - name: CHOWN\n"
    "      reason: spool files\n"
    "    - name: NET_BIND_SERVICE\n"
    "      reason: port 25\n";

/* Flow sequences in block mappings: yaml-edit rewrites them in block
 * style. (A section written as a flow mapping cannot be edited at all:
 * see test-insight-propose.c, test_flow_mapping_section.) */
static const char flow_like[] =
    "service: fz\n"
    "match: {units: [fz.service]}\n"
    "seccomp:\n"
    "  base: \"@default\"\n"
    "  allow: [fsync, \"@basic-io\"]   # flow\n"
    "  deny: [bpf]\n"
    "  conditions: [{syscall: socket, arg: 0, in: [AF_UNIX, AF_INET]}]\n"
    "apparmor:\n"
    "  files: [{path: /usr/bin/fz, access: mr}, {path: \"@{PROC}/@{pid}/stat\", access: r}]\n"
    "  network: [inet]\n"
    "posture:\n"
    "  capabilities: [{name: KILL, reason: signals its children}]";

struct policy_text {
        const char *text;
        size_t size;
        struct policy *policy;
};

static struct policy_text policies[4];
static char *crlf_text;

static struct policy *load(const char *text, size_t size)
{
        struct policy *p = NULL;
        struct diag_list d;

        if (diag_list_init(&d, "fuzz") < 0)
                abort();
        if (policy_load_buffer(text, size, AT_FDCWD, &d, &p) < 0) {
                diag_print(&d, stderr);
                abort(); /* the embedded policies are valid */
        }
        diag_list_done(&d);
        return p;
}

static void init(void)
{
        const char *texts[] = {api_like, small_like, flow_like};
        size_t n = 0;

        for (size_t i = 0; i < 3; i++)
                policies[i] = (struct policy_text){texts[i], strlen(texts[i]), NULL};
        /* small_like with CRLF line ends. */
        crlf_text = malloc(2 * sizeof(small_like));
        if (!crlf_text)
                abort();
        for (const char *c = small_like; *c; c++) {
                if (*c == '\n')
                        crlf_text[n++] = '\r';
                crlf_text[n++] = *c;
        }
        crlf_text[n] = '\0';
        policies[3] = (struct policy_text){crlf_text, n, NULL};
        for (size_t i = 0; i < 4; i++)
                policies[i].policy = load(policies[i].text, policies[i].size);
}

static const char *const syscalls[] = {
    "read",
    "write",
    "openat",
    "close",
    "mlock",
    "mlockall",
    "fsync",
    "fdatasync",
    "sync",
    "msync",
    "syncfs",
    "sync_file_range",
    "ptrace",
    "mount",
    "sethostname",
    "setuid",
    "socket",
    "clone",
    "clone3",
    "personality",
    "io_uring_setup",
    "kcmp",
    "exit_group",
    "alarm",
    "getitimer",
    "setitimer",
    "timer_create",
    "timer_delete",
    "timer_getoverrun",
    "timer_gettime",
    "timer_settime",
    "timerfd_create",
    "timerfd_gettime",
    "timerfd_settime",
    "times",
    "unshare",
    "bpf",
    "execve",
    "close_range",
    "sched_setattr",
    "dup",
    "dup2",
    "dup3",
    "lseek",
    "pread64",
    "preadv",
    "preadv2",
    "pwrite64",
    "pwritev",
    "pwritev2",
    "readv",
    "writev",
    "accept4",
    "epoll_wait",
    "futex",
};
static const char *const masks[] = {"r",   "w", "rw", "x", "wc", "::r",  "ix", "m",
                                    "rwk", "a", "d",  "l", "rm", "send", "",   "wrd"};
static const char *const families[] = {"inet",   "inet6",     "unix", "netlink",
                                       "packet", "bluetooth", "alg",  "x"};
static const char *const types[] = {"stream", "dgram", "raw", "seqpacket", "rdm", "packet", ""};
static const char *const caps[] = {"chown", "net_bind_service", "sys_admin",  "net_admin",
                                   "kill",  "cap_21",           "CAP_SETUID", "bogus"};
static const char *const workloads[] = {"podman:a", "podman:b", "podman:c", "docker:d"};

struct input {
        const uint8_t *p;
        size_t n;
};

static uint8_t byte(struct input *in)
{
        uint8_t b = 0;

        if (in->n) {
                b = *in->p++;
                in->n--;
        }
        return b;
}

/* Up to max bytes of the input, NUL-free, as a string. */
static void string(struct input *in, char *buf, size_t max)
{
        size_t len = byte(in) % max, o = 0;

        for (size_t i = 0; i < len && in->n; i++) {
                uint8_t b = byte(in);

                if (b)
                        buf[o++] = (char)b;
        }
        buf[o] = '\0';
}

#define MAX_OBS 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool ready;
        struct input in = {data, size};
        struct observations *o = NULL;
        struct proposal *p = NULL, *again = NULL;
        struct proposal_recording rec = {1795352400000000ull, 1795354200000000ull, false};
        struct proposal_held held[4];
        struct proposal_options opt = {0};
        const struct observation *const *all;
        const struct policy_text *pt;
        char err[1024];
        size_t n_all;
        uint8_t flags;
        int r;

        if (!ready) {
                init();
                ready = true;
        }
        flags = byte(&in);
        pt = &policies[flags & 3];
        opt.accept_risky = flags & 4;
        opt.all_events = flags & 8;
        if (flags & 16) {
                rec.apparmor = flags & 32;
                opt.recording = &rec;
        }
        if (flags & 64)
                opt.since_usec = 1795353000000000ull;
        opt.collapse_min = byte(&in) % 5;
        for (size_t h = byte(&in) % 3; opt.n_held < h; opt.n_held++) {
                uint64_t bits = 0;

                for (int k = 0; k < 8; k++)
                        bits = bits << 8 | byte(&in);
                held[opt.n_held] = (struct proposal_held){workloads[opt.n_held], bits};
        }
        opt.held = held;

        if (observations_new(64, &o) < 0)
                return 0;
        for (size_t i = 0; i < MAX_OBS && in.n; i++) {
                char object[160], mask[16], op[24];
                uint8_t kind = byte(&in), sel = byte(&in), wl = byte(&in);
                uint64_t last = 1795353000000000ull - (uint64_t)(byte(&in) % 4) * 3600000000ull;
                struct observation ob = {
                    .service = (char *)((kind & 0x80) ? ((kind & 0x40) ? NULL : "other") : "fz"),
                    .count = 1 + byte(&in),
                    .first_usec = last - 1000000,
                    .last_usec = last,
                    .example_pid = 7,
                    .example_comm = (char *)((kind & 0x20) ? "runc:[2:INIT]" : "app"),
                    .example_exe = (char *)"/usr/bin/app",
                };
                struct service_counts sc = {.service = ob.service, .events = ob.count};

                for (size_t w = 0; w < (size_t)(wl % 4); w++)
                        ob.workloads[ob.n_workloads++] = (char *)workloads[(wl / 4 + w) % 4];
                switch (kind % 6) {
                case 0: /* a named syscall on x86_64, or x86 */
                case 1: {
                        const char *name = syscalls[sel % (sizeof(syscalls) / sizeof(*syscalls))];
                        bool x86 = kind % 6 == 1;
                        int nr = seccomp_syscall_resolve_name_arch(
                            x86 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64, name);

                        ob.kind = EVENT_SECCOMP;
                        ob.object_kind = OBJECT_SYSCALL;
                        ob.verdict = (kind & 0x10) ? SECCOMP_EVENT_ERRNO : SECCOMP_EVENT_LOG;
                        ob.runtime = kind & 0x20;
                        ob.arch = x86 ? 0x40000003u : 0xc000003eu;
                        ob.syscall = nr >= 0 ? nr : 1000 + sel;
                        /* x86 by number: _llseek, socketcall, ipc... calls
                         * x86_64 policies cannot name. */
                        if (x86 && (kind & 0x40))
                                ob.syscall = sel;
                        break;
                }
                case 2: /* a file */
                        ob.kind = EVENT_APPARMOR;
                        ob.verdict = (kind & 0x10) ? APPARMOR_DENIED : APPARMOR_ALLOWED;
                        ob.operation = (char *)"open";
                        ob.object_kind = OBJECT_PATH;
                        string(&in, object, sizeof(object) - 8);
                        /* Mostly absolute paths, under a few directories. */
                        if (sel & 1) {
                                char tail[160];

                                memcpy(tail, object, sizeof(tail));
                                snprintf(object, sizeof(object), "%s/%s",
                                         (sel & 2)   ? "/etc/fz"
                                         : (sel & 4) ? "/opt/x"
                                                     : "/srv",
                                         tail);
                        }
                        ob.object = object;
                        if (sel & 8)
                                string(&in, mask, sizeof(mask));
                        else
                                snprintf(mask, sizeof(mask), "%s",
                                         masks[(sel >> 4) % (sizeof(masks) / sizeof(*masks))]);
                        ob.mask = mask;
                        break;
                case 3: /* a socket */
                        ob.kind = EVENT_APPARMOR;
                        ob.verdict = (kind & 0x10) ? APPARMOR_DENIED : APPARMOR_ALLOWED;
                        ob.operation = (char *)"create";
                        ob.object_kind = OBJECT_NETWORK;
                        if (sel & 1)
                                string(&in, object, 40);
                        else
                                snprintf(object, sizeof(object), "%s %s %u",
                                         families[(sel >> 1) % 8], types[(sel >> 4) % 7],
                                         (unsigned)byte(&in));
                        ob.object = object;
                        break;
                case 4: /* a capability */
                        ob.kind = EVENT_APPARMOR;
                        ob.verdict = APPARMOR_ALLOWED;
                        ob.operation = (char *)"capable";
                        ob.object_kind = OBJECT_CAPABILITY;
                        if (sel & 1)
                                string(&in, object, 24);
                        else
                                snprintf(object, sizeof(object), "%s", caps[(sel >> 1) % 8]);
                        ob.object = object;
                        break;
                default: /* a peer: signal, ptrace */
                        ob.kind = EVENT_APPARMOR;
                        ob.verdict = (sel & 1) ? APPARMOR_AUDIT : APPARMOR_DENIED;
                        string(&in, op, sizeof(op));
                        ob.operation = op;
                        ob.object_kind = OBJECT_PEER;
                        string(&in, object, 64);
                        ob.object = object;
                        ob.mask = (char *)"send";
                        break;
                }
                if (observations_restore_service(o, &sc) < 0)
                        abort();
                r = observations_restore(o, &ob);
                if (r < 0 && r != -EEXIST && r != -EINVAL)
                        abort();
        }

        all = observations_all(o, &n_all);
        r = proposal_build(pt->policy, pt->text, pt->size, "fz.yaml", all, n_all, &opt, err,
                           sizeof(err), &p);
        if (r == -EINVAL && getenv("FUZZ_PROPOSAL_LENIENT"))
                goto done;
        if (r < 0) {
                fprintf(stderr, "proposal_build: %s: %s\n", strerror(-r), err);
                abort();
        }
        {
                struct policy *np = NULL;
                struct diag_list d;
                bool same = p->old_size == p->new_size &&
                            memcmp(p->old_text, p->new_text, p->new_size) == 0;

                if (diag_list_init(&d, "new") < 0)
                        abort();
                if (policy_load_buffer(p->new_text, p->new_size, AT_FDCWD, &d, &np) < 0 ||
                    strcmp(np->service, "fz") != 0) {
                        diag_print(&d, stderr);
                        fprintf(stderr, "new text does not load:\n%s\n", p->new_text);
                        abort();
                }
                diag_list_done(&d);
                policy_free(np);
                if (same != !proposal_changes_policy(p)) {
                        fprintf(stderr, "diff '%s' for %s texts\n", p->diff,
                                same ? "equal" : "different");
                        abort();
                }
        }
        if (proposal_build(pt->policy, pt->text, pt->size, "fz.yaml", all, n_all, &opt, err,
                           sizeof(err), &again) < 0 ||
            strcmp(again->new_text, p->new_text) != 0 || strcmp(again->diff, p->diff) != 0) {
                fprintf(stderr, "a second run differs\n");
                abort();
        }
        {
                json_t *j = proposal_to_json(p);
                FILE *f = fopen("/dev/null", "w");

                if (!j || !f || proposal_print(f, j) < 0)
                        abort();
                fclose(f);
                json_decref(j);
        }
done:
        proposal_free(p);
        proposal_free(again);
        observations_free(o);
        return 0;
}
