/* SPDX-License-Identifier: MIT */
#include "seccomp-runtime.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/macro.h"

#define RUN_TIMEOUT_MS 5000

int seccomp_runtime_features_parse(const char *data, size_t size, struct seccomp_runtime *rt)
{
        json_auto_t *root = NULL;
        json_t *linux_, *seccomp, *enabled, *flags, *item;
        struct seccomp_runtime r = *rt;
        json_error_t jerr;
        size_t i;

        if (size > RUNTIME_FEATURES_MAX_BYTES)
                return -EFBIG;
        root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!root || !json_is_object(root))
                return -EINVAL;
        r.features = true;
        r.seccomp = r.flags_listed = r.flag_log = false;
        linux_ = json_object_get(root, "linux");
        seccomp = linux_ ? json_object_get(linux_, "seccomp") : NULL;
        if (linux_ && !json_is_object(linux_))
                return -EINVAL;
        if (seccomp) {
                if (!json_is_object(seccomp))
                        return -EINVAL;
                enabled = json_object_get(seccomp, "enabled");
                if (enabled && !json_is_boolean(enabled))
                        return -EINVAL;
                r.seccomp = enabled && json_is_true(enabled);
                flags = json_object_get(seccomp, "supportedFlags");
                if (flags && !json_is_null(flags)) {
                        if (!json_is_array(flags))
                                return -EINVAL;
                        r.flags_listed = true;
                        json_array_foreach(flags, i, item)
                        {
                                if (!json_is_string(item))
                                        return -EINVAL;
                                if (strcmp(json_string_value(item), "SECCOMP_FILTER_FLAG_LOG") == 0)
                                        r.flag_log = true;
                        }
                }
        }
        *rt = r;
        return 0;
}

static int find_on_path(const char *name, char *buf, size_t size)
{
        const char *path = getenv("PATH");
        const char *p;

        if (strchr(name, '/')) {
                if (access(name, X_OK) < 0)
                        return negative_errno();
                snprintf(buf, size, "%s", name);
                return 0;
        }
        if (!path || !*path)
                path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (p = path; *p;) {
                size_t len = strcspn(p, ":");
                int n = snprintf(buf, size, "%.*s/%s", (int)len, p, name);

                if (len > 0 && n > 0 && (size_t)n < size && access(buf, X_OK) == 0)
                        return 0;
                p += len;
                if (*p == ':')
                        p++;
        }
        return -ENOENT;
}

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs path with one argument, stdin and stderr on /dev/null; collects at
 * most max bytes of stdout. Succeeds only on exit status 0 in time. */
static int run_capture(const char *path, const char *arg, size_t max, char **ret_out,
                       size_t *ret_size)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int rd = -1;
        int fds[2], status;
        size_t size = 0;
        long long deadline = now_ms() + RUN_TIMEOUT_MS;
        bool too_big = false, timed_out = false;
        pid_t pid;

        buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        if (pipe2(fds, O_CLOEXEC) < 0)
                return negative_errno();
        pid = fork();
        if (pid < 0) {
                int r = negative_errno();

                close(fds[0]);
                close(fds[1]);
                return r;
        }
        if (pid == 0) {
                int null = open("/dev/null", O_RDWR | O_CLOEXEC);

                if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(fds[1], STDOUT_FILENO) < 0 ||
                    dup2(null, STDERR_FILENO) < 0)
                        _exit(127);
                execl(path, path, arg, (char *)NULL);
                _exit(127);
        }
        close(fds[1]);
        rd = fds[0];
        for (;;) {
                struct pollfd pfd = {.fd = rd, .events = POLLIN};
                long long left = deadline - now_ms();
                char chunk[4096];
                ssize_t n;
                int r;

                if (left <= 0) {
                        timed_out = true;
                        break;
                }
                r = poll(&pfd, 1, (int)left);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0) {
                        timed_out = r == 0;
                        break;
                }
                n = read(rd, chunk, sizeof(chunk));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                if (size + (size_t)n > max) {
                        too_big = true;
                        break;
                }
                memcpy(buf + size, chunk, (size_t)n);
                size += (size_t)n;
        }
        if (timed_out || too_big)
                (void)kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        if (timed_out)
                return -ETIMEDOUT;
        if (too_big)
                return -EFBIG;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -EPROTO;
        buf[size] = '\0';
        *ret_out = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

/* "runc version 1.1.5+ds1\ncommit: ..." → "1.1.5+ds1". */
static void parse_version(const char *out, char *buf, size_t size)
{
        const char *v = strstr(out, "version ");
        size_t n = 0;

        buf[0] = '\0';
        if (!v)
                return;
        v += strlen("version ");
        while (v[n] && n + 1 < size && isgraph((unsigned char)v[n]))
                n++;
        memcpy(buf, v, n);
        buf[n] = '\0';
}

int seccomp_runtime_probe(const char *name, struct seccomp_runtime *ret)
{
        struct seccomp_runtime rt = {0};
        _cleanup_free_ char *out = NULL, *features = NULL;
        size_t size;
        int r;

        /* Named as operators know it: "runc", also when given a path. */
        snprintf(rt.name, sizeof(rt.name), "%s",
                 strrchr(name, '/') ? strrchr(name, '/') + 1 : name);
        r = find_on_path(name, rt.path, sizeof(rt.path));
        if (r < 0)
                return -ENOENT;
        if (run_capture(rt.path, "--version", 64 * 1024, &out, &size) == 0)
                parse_version(out, rt.version, sizeof(rt.version));
        /* No features command, or a document we cannot read: the runtime
         * is taken not to accept flags (see the header). */
        if (run_capture(rt.path, "features", RUNTIME_FEATURES_MAX_BYTES, &features, &size) == 0)
                (void)seccomp_runtime_features_parse(features, size, &rt);
        *ret = rt;
        return 0;
}

const char *seccomp_runtime_describe(const struct seccomp_runtime *rt, char *buf, size_t size)
{
        const char *why;

        if (!rt->path[0])
                why = "not installed";
        else if (!rt->features)
                why = "no seccomp flags (it answers no `features` document)";
        else if (!rt->seccomp)
                why = "no seccomp support";
        else if (!rt->flags_listed)
                why = "no seccomp flags (its features list no supportedFlags)";
        else if (!rt->flag_log)
                why = "no SECCOMP_FILTER_FLAG_LOG among its supported flags";
        else
                why = "accepts SECCOMP_FILTER_FLAG_LOG";
        snprintf(buf, size, "%s%s%s: %s", rt->name, rt->version[0] ? " " : "", rt->version, why);
        return buf;
}
