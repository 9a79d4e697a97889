/* SPDX-License-Identifier: MIT */
#include "seccomp-helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy-load.h"
#include "seccomp/seccomp-oci-import.h"
#include "testing.h"

struct policy *stest_policy(const char *yaml)
{
        struct diag_list d;
        struct policy *p = NULL;
        int r;

        ck_assert_int_eq(diag_list_init(&d, "inline.yaml"), 0);
        r = policy_load_buffer(yaml, strlen(yaml), AT_FDCWD, &d, &p);
        if (r < 0)
                diag_print(&d, stderr);
        diag_list_done(&d);
        ck_assert_msg(r == 0, "inline policy rejected (%d), see above", r);
        return p;
}

struct seccomp_ruleset *stest_rules(const char *yaml, enum policy_mode mode)
{
        _cleanup_policy_ struct policy *p = stest_policy(yaml);
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        struct seccomp_rules_options o = {.mode = mode,
                                          .kernel_version = kernel_version_make(6, 1, 0)};
        struct seccomp_ruleset *rs = NULL;
        struct seccomp_error err = {{0}};
        struct oci_error oerr = {{0}};

        ck_assert_msg(seccomp_policy_load_base(p, &oerr, &base) == 0, "base: %s", oerr.text);
        ck_assert_msg(seccomp_ruleset_build(p, base, &o, &err, &rs) == 0, "build: %s", err.text);
        return rs;
}

static void describe_cmp(FILE *f, const struct seccomp_arg_cmp *a)
{
        static const char *const ops[] = {
            [SCMP_CMP_NE] = "!=", [SCMP_CMP_LT] = "<",  [SCMP_CMP_LE] = "<=",
            [SCMP_CMP_EQ] = "==", [SCMP_CMP_GE] = ">=", [SCMP_CMP_GT] = ">",
        };

        if (a->op == SCMP_CMP_MASKED_EQ)
                fprintf(f, "a%u&0x%" PRIx64 "==0x%" PRIx64, a->index, a->value, a->value_two);
        else
                fprintf(f, "a%u%s%" PRIu64, a->index, ops[a->op], a->value);
}

char *stest_describe(const struct seccomp_ruleset *rs, const char *syscall)
{
        char *buf = NULL, act[64];
        size_t size = 0, n;
        const struct seccomp_rule *r = seccomp_ruleset_lookup(rs, syscall, &n);
        FILE *f = open_memstream(&buf, &size);

        ck_assert_ptr_nonnull(f);
        if (!r)
                fputs("default", f);
        for (size_t i = 0; i < n; i++) {
                fprintf(f, "%s%s", i ? " | " : "",
                        seccomp_action_describe(r[i].action, act, sizeof(act)));
                for (unsigned k = 0; k < r[i].n_args; k++) {
                        fputs(k ? " && " : " if ", f);
                        describe_cmp(f, &r[i].args[k]);
                }
        }
        ck_assert_int_eq(fclose(f), 0);
        return buf;
}

int stest_audit_open(void)
{
        struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
                                 .nl_groups = 1u << (AUDIT_NLGRP_READLOG - 1)};
        int fd, size = 4 * 1024 * 1024;

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
        if (fd < 0)
                return -errno;
        /* A busy machine may log a lot at once: do not lose ours. */
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int r = -errno;

                close(fd);
                return r;
        }
        return fd;
}

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "key=value" with a space (or the start) before key; value up to a space. */
static bool field(const char *rec, const char *key, char *out, size_t size)
{
        size_t klen = strlen(key);

        for (const char *p = strstr(rec, key); p; p = strstr(p + 1, key)) {
                size_t n = 0;

                if ((p != rec && p[-1] != ' ') || p[klen] != '=')
                        continue;
                p += klen + 1;
                while (p[n] && p[n] != ' ' && n + 1 < size)
                        n++;
                memcpy(out, p, n);
                out[n] = '\0';
                return true;
        }
        return false;
}

static bool record_matches(const char *rec, pid_t pid, const char *comm, long nr,
                           const char *code_prefix)
{
        char v[64];
        char want[80];

        snprintf(want, sizeof(want), "%ld", (long)pid);
        if (pid > 0 && (!field(rec, "pid", v, sizeof(v)) || strcmp(v, want) != 0))
                return false;
        snprintf(want, sizeof(want), "\"%s\"", comm ? comm : "");
        if (comm && (!field(rec, "comm", v, sizeof(v)) || strcmp(v, want) != 0))
                return false;
        snprintf(want, sizeof(want), "%ld", nr);
        if (!field(rec, "syscall", v, sizeof(v)) || strcmp(v, want) != 0)
                return false;
        return field(rec, "code", v, sizeof(v)) &&
               strncmp(v, code_prefix, strlen(code_prefix)) == 0;
}

bool stest_audit_wait(int fd, pid_t pid, const char *comm, long nr, const char *code_prefix,
                      int timeout_ms, char *buf, size_t size)
{
        long long deadline = now_ms() + timeout_ms;
        static char msg[64 * 1024];

        while (now_ms() < deadline) {
                struct pollfd p = {.fd = fd, .events = POLLIN};
                struct sockaddr_nl from;
                socklen_t fromlen = sizeof(from);
                ssize_t n;

                if (poll(&p, 1, (int)(deadline - now_ms())) <= 0)
                        continue;
                /* Size the datagram first, then read it whole. */
                n = recv(fd, msg, 0, MSG_PEEK | MSG_TRUNC);
                if (n < 0) {
                        if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
                                continue;
                        return false;
                }
                n = recvfrom(fd, msg, sizeof(msg) - 1, 0, (struct sockaddr *)&from, &fromlen);
                if (n <= 0 || from.nl_pid != 0)
                        continue;
                int left = (int)n;

                for (struct nlmsghdr *h = (struct nlmsghdr *)msg; NLMSG_OK(h, left);
                     h = NLMSG_NEXT(h, left)) {
                        char text[8192];
                        size_t len;

                        if (h->nlmsg_type != AUDIT_SECCOMP)
                                continue;
                        len = h->nlmsg_len - NLMSG_HDRLEN;
                        if (len >= sizeof(text))
                                len = sizeof(text) - 1;
                        memcpy(text, NLMSG_DATA(h), len);
                        text[len] = '\0';
                        if (record_matches(text, pid, comm, nr, code_prefix)) {
                                snprintf(buf, size, "%s", text);
                                return true;
                        }
                }
        }
        return false;
}

const char *stest_which(const char *name)
{
        static char buf[PATH_MAX];
        const char *path = getenv("PATH");

        if (!path || !*path)
                path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (const char *p = path; *p;) {
                size_t len = strcspn(p, ":");

                snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, name);
                if (len > 0 && access(buf, X_OK) == 0)
                        return buf;
                p += len;
                if (*p == ':')
                        p++;
        }
        return NULL;
}
