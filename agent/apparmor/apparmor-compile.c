/* SPDX-License-Identifier: MIT */
#include "apparmor-compile.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/parse-util.h"

static const char *const default_parsers[] = {"/usr/sbin/apparmor_parser", "/sbin/apparmor_parser"};

/* Lines apparmor_parser prints that are not the error: without a kernel it
 * says so on every run, even with -q. */
static const char *const noise_prefixes[] = {"Cache read/write disabled", "Warning"};

void apparmor_parser_error_done(struct apparmor_parser_error *e)
{
        if (!e)
                return;
        free(e->output);
        free(e->message);
        free(e->subject);
        *e = (struct apparmor_parser_error){0};
}

void apparmor_binary_done(struct apparmor_binary *b)
{
        if (!b)
                return;
        free(b->data);
        *b = (struct apparmor_binary){0};
}

/* ---- stderr parsing (pure) ---- */

static bool starts_with(const char *s, size_t n, const char *prefix)
{
        size_t p = strlen(prefix);

        return n >= p && memcmp(s, prefix, p) == 0;
}

/* memmem for a NUL-free needle inside [s, s+n). */
static const char *find(const char *s, size_t n, const char *needle)
{
        return memmem(s, n, needle, strlen(needle));
}

static char *sanitized_copy(const char *s, size_t n)
{
        char *out;

        if (n > APPARMOR_MESSAGE_MAX)
                n = APPARMOR_MESSAGE_MAX;
        out = malloc(n + 1);
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++)
                out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
        out[n] = '\0';
        return out;
}

/* "AppArmor parser error[ for NAME[ in profile FILE]] at line N: MESSAGE".
 * Returns true and sets the message and line when the line has that shape;
 * *line is 0 when the error is not in input_name. */
static bool parse_error_line(const char *s, size_t n, const char *input_name, const char **msg,
                             size_t *msg_len, unsigned *line)
{
        static const char prefix[] = "AppArmor parser error";
        const char *at, *digits, *end = s + n, *where;
        size_t where_len, in_len = strlen(input_name);
        char num[16];
        uint64_t v;
        size_t k = 0;

        if (!starts_with(s, n, prefix))
                return false;
        where = s + strlen(prefix);
        at = find(where, (size_t)(end - where), " at line ");
        if (!at)
                return false;
        where_len = (size_t)(at - where);
        digits = at + strlen(" at line ");
        while (digits + k < end && digits[k] >= '0' && digits[k] <= '9' && k < sizeof(num) - 1) {
                num[k] = digits[k];
                k++;
        }
        num[k] = '\0';
        if (k == 0 || digits + k + 2 > end || digits[k] != ':' || digits[k + 1] != ' ')
                return false;
        if (safe_atou64_max(num, 100000000, &v) < 0)
                return false;
        *msg = digits + k + 2;
        *msg_len = (size_t)(end - *msg);

        /* Ours when no file is named (stdin), when only our name is given,
         * or when the file the error is "in" is ours. */
        if (where_len == 0)
                *line = (unsigned)v;
        else if (where_len == 5 + in_len && memcmp(where, " for ", 5) == 0 &&
                 memcmp(where + 5, input_name, in_len) == 0)
                *line = (unsigned)v;
        else if (where_len >= 12 + in_len &&
                 memcmp(where + where_len - in_len - 12, " in profile ", 12) == 0 &&
                 memcmp(where + where_len - in_len, input_name, in_len) == 0)
                *line = (unsigned)v;
        else
                *line = 0;
        return true;
}

/* "...Unable to parse input line 'RULE'": the text between the quotes. */
static bool parse_subject(const char *s, size_t n, const char **ret, size_t *ret_len)
{
        static const char marker[] = "Unable to parse input line '";
        const char *m = find(s, n, marker), *q;

        if (!m)
                return false;
        m += strlen(marker);
        if (n == 0 || s[n - 1] != '\'' || m > s + n - 1)
                return false;
        q = s + n - 1;
        if (q == m)
                return false;
        *ret = m;
        *ret_len = (size_t)(q - m);
        return true;
}

/* Drops the "apparmor_parser: " (or "/usr/sbin/apparmor_parser: ") the
 * parser puts before some messages: argv[0], then ": ". */
static void strip_tool_prefix(const char **s, size_t *n)
{
        static const char tool[] = "apparmor_parser: ";
        const char *t = find(*s, *n, tool);

        if (!t || memchr(*s, ' ', (size_t)(t - *s)))
                return;
        t += strlen(tool);
        *n -= (size_t)(t - *s);
        *s = t;
}

int apparmor_parser_message_parse(const char *text, size_t size, const char *input_name,
                                  struct apparmor_parser_error *ret)
{
        const char *first = NULL, *subject = NULL, *p = text, *end = text + size;
        size_t first_len = 0, subject_len = 0;
        unsigned line = 0;
        char *m = NULL, *subj = NULL;

        if (size > APPARMOR_PARSER_STDERR_MAX)
                end = text + APPARMOR_PARSER_STDERR_MAX;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
                const char *msg;
                size_t msg_len;
                unsigned l;
                bool noise = false;

                if (parse_error_line(p, len, input_name, &msg, &msg_len, &l)) {
                        /* The parser's own located error wins over anything
                         * printed before it. */
                        first = msg;
                        first_len = msg_len;
                        line = l;
                        break;
                }
                if (!subject && parse_subject(p, len, &subject, &subject_len)) {
                        p += len + 1;
                        continue;
                }
                for (size_t i = 0; i < ELEMENTSOF(noise_prefixes); i++)
                        noise = noise || starts_with(p, len, noise_prefixes[i]);
                if (!first && !noise) {
                        const char *c = p;
                        size_t c_len = len;

                        strip_tool_prefix(&c, &c_len);
                        if (c_len > 0) {
                                first = c;
                                first_len = c_len;
                        }
                }
                p += len + 1;
        }
        if (!first || first_len == 0)
                return -ENOMSG;
        m = sanitized_copy(first, first_len);
        if (!m)
                return -ENOMEM;
        if (subject) {
                subj = sanitized_copy(subject, subject_len);
                if (!subj) {
                        free(m);
                        return -ENOMEM;
                }
        }
        ret->message = m;
        ret->subject = subj;
        ret->line = line;
        return 0;
}

/* ---- running the parser ---- */

struct capture {
        char *buf;
        size_t len;
        size_t max;
        bool overflow;
};

static long long now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Moves fd above the standard streams so that the child's dup2() calls
 * onto 0, 1, 2 and 3 cannot clobber it. */
static int fd_move_high(int fd)
{
        int n;

        if (fd > 3)
                return fd;
        n = fcntl(fd, F_DUPFD_CLOEXEC, 4);
        if (n < 0) {
                int r = negative_errno();

                close(fd);
                return r;
        }
        close(fd);
        return n;
}

static int pipe_high(int p[2])
{
        if (pipe2(p, O_CLOEXEC) < 0)
                return negative_errno();
        p[0] = fd_move_high(p[0]);
        p[1] = fd_move_high(p[1]);
        if (p[0] < 0 || p[1] < 0) {
                int r = p[0] < 0 ? p[0] : p[1];

                if (p[0] >= 0)
                        close(p[0]);
                if (p[1] >= 0)
                        close(p[1]);
                return r;
        }
        return 0;
}

static void closep_pair(int (*p)[2])
{
        for (int i = 0; i < 2; i++)
                if ((*p)[i] >= 0) {
                        close((*p)[i]);
                        (*p)[i] = -1;
                }
}

static int write_all(int fd, const char *data, size_t size)
{
        while (size > 0) {
                ssize_t n = write(fd, data, size);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                data += n;
                size -= (size_t)n;
        }
        return 0;
}

static const char *find_parser(const struct apparmor_parser_options *o)
{
        if (o && o->parser)
                return access(o->parser, X_OK) == 0 ? o->parser : NULL;
        for (size_t i = 0; i < ELEMENTSOF(default_parsers); i++)
                if (access(default_parsers[i], X_OK) == 0)
                        return default_parsers[i];
        return NULL;
}

/* In the child: stdin /dev/null, stdout/stderr the pipes, fd 3 the text,
 * nothing else open, default signal handling, a fixed environment. */
static _Noreturn void child(const char *parser, char *const argv[], int text_fd, int out_fd,
                            int err_fd, int exec_err_fd)
{
        static const char *const envp[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL};
        sigset_t all;
        int null_fd, e;

        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (int s = 1; s < NSIG; s++)
                if (s != SIGKILL && s != SIGSTOP)
                        (void)signal(s, SIG_DFL);

        null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (null_fd >= 0) {
                if (dup2(null_fd, 0) < 0)
                        goto fail;
        } else
                close(0);
        if ((out_fd >= 0 ? dup2(out_fd, 1) : dup2(err_fd, 1)) < 0 || dup2(err_fd, 2) < 0 ||
            dup2(text_fd, 3) < 0)
                goto fail;
        /* Everything above 3 goes, except the exec-error pipe (close on
         * exec), whatever the caller left open. */
        for (int fd = 4; fd < exec_err_fd; fd++)
                (void)close(fd);
        (void)close_range((unsigned)exec_err_fd + 1, ~0u, 0);
        execve(parser, argv, (char *const *)envp);
fail:
        e = errno;
        (void)!write(exec_err_fd, &e, sizeof(e));
        _exit(127);
}

static void capture_read(int *fd, struct capture *c)
{
        char chunk[16384];
        ssize_t n = read(*fd, chunk, sizeof(chunk));

        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                return;
        if (n <= 0) {
                close(*fd);
                *fd = -1;
                return;
        }
        if (c->len + (size_t)n > c->max) {
                size_t room = c->max - c->len;

                memcpy(c->buf + c->len, chunk, room);
                c->len += room;
                c->overflow = true;
                return;
        }
        memcpy(c->buf + c->len, chunk, (size_t)n);
        c->len += (size_t)n;
}

static int wait_child(pid_t pid, int *ret_status)
{
        for (;;) {
                if (waitpid(pid, ret_status, 0) == pid)
                        return 0;
                if (errno != EINTR)
                        return negative_errno();
        }
}

/* A child that closed its output may still not exit: wait for it until the
 * deadline, then kill it. */
static int wait_child_until(pid_t pid, long long deadline, int *ret_status)
{
        for (;;) {
                pid_t r = waitpid(pid, ret_status, WNOHANG);

                if (r == pid)
                        return 0;
                if (r < 0 && errno != EINTR)
                        return negative_errno();
                if (now_ms() >= deadline) {
                        (void)kill(pid, SIGKILL);
                        (void)wait_child(pid, ret_status);
                        return -ETIMEDOUT;
                }
                (void)usleep(2000);
        }
}

/* Runs the parser; on return *out and *err hold what it wrote (bounded).
 * Returns its wait status in *ret_status, or -errno. */
static int run(const char *parser, char *const argv[], int text_fd, struct capture *out,
               struct capture *err, unsigned timeout_ms, int *ret_status)
{
        int out_pipe[2] _cleanup_(closep_pair) = {-1, -1};
        int err_pipe[2] _cleanup_(closep_pair) = {-1, -1};
        int exec_pipe[2] _cleanup_(closep_pair) = {-1, -1};
        long long deadline = now_ms() + timeout_ms;
        int r, status, exec_errno = 0;
        ssize_t n;
        pid_t pid;

        if ((out && (r = pipe_high(out_pipe)) < 0) || (r = pipe_high(err_pipe)) < 0 ||
            (r = pipe_high(exec_pipe)) < 0)
                return r;

        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0)
                child(parser, argv, text_fd, out ? out_pipe[1] : -1, err_pipe[1], exec_pipe[1]);

        close(out_pipe[1]);
        out_pipe[1] = -1;
        close(err_pipe[1]);
        err_pipe[1] = -1;
        close(exec_pipe[1]);
        exec_pipe[1] = -1;

        while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
                struct pollfd p[2] = {{.fd = out_pipe[0], .events = POLLIN},
                                      {.fd = err_pipe[0], .events = POLLIN}};
                long long left = deadline - now_ms();

                if (left <= 0 || (out && out->overflow)) {
                        (void)kill(pid, SIGKILL);
                        (void)wait_child(pid, &status);
                        return left <= 0 ? -ETIMEDOUT : -EFBIG;
                }
                r = poll(p, 2, left > 1000 ? 1000 : (int)left);
                if (r < 0 && errno != EINTR) {
                        r = negative_errno();
                        (void)kill(pid, SIGKILL);
                        (void)wait_child(pid, &status);
                        return r;
                }
                if (r <= 0)
                        continue;
                if (p[0].revents)
                        capture_read(&out_pipe[0], out);
                if (p[1].revents) {
                        capture_read(&err_pipe[0], err);
                        err->overflow = false; /* stderr is kept truncated */
                }
        }
        r = wait_child_until(pid, deadline, &status);
        if (r < 0)
                return r;
        do
                n = read(exec_pipe[0], &exec_errno, sizeof(exec_errno));
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t)sizeof(exec_errno) && exec_errno > 0)
                return -exec_errno;
        *ret_status = status;
        return 0;
}

static int make_text_fd(const char *text, size_t size)
{
        _cleanup_close_ int fd = -1;
        int r;

        fd = memfd_create("hardend-apparmor-profile", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = write_all(fd, text, size);
        if (r < 0)
                return r;
        return fd_move_high(TAKE_FD(fd));
}

int apparmor_compile(const struct apparmor_parser_options *o, const char *text, size_t size,
                     struct apparmor_parser_error *reterr, struct apparmor_binary *ret_binary)
{
        _cleanup_close_ int text_fd = -1;
        _cleanup_free_ char *out_buf = NULL, *err_buf = NULL;
        struct capture out = {.max = APPARMOR_BINARY_MAX};
        struct capture err = {.max = APPARMOR_PARSER_STDERR_MAX};
        const char *argv[16];
        const char *parser;
        size_t a = 0;
        int r, status;

        parser = find_parser(o);
        if (!parser)
                return -ENOENT;
        text_fd = make_text_fd(text, size);
        if (text_fd < 0)
                return text_fd;

        err_buf = malloc(err.max + 1);
        if (!err_buf)
                return -ENOMEM;
        err.buf = err_buf;
        if (ret_binary) {
                /* Grown on demand would be kinder to memory, but the bound
                 * is what matters; 16 MiB of address space is not touched
                 * beyond what the parser writes. */
                out_buf = malloc(out.max);
                if (!out_buf)
                        return -ENOMEM;
                out.buf = out_buf;
        }

        argv[a++] = parser;
        argv[a++] = ret_binary ? "-S" : "-Q";
        argv[a++] = "-K"; /* no cache: always the real compile */
        argv[a++] = "-q";
        if (o && o->kernel_features) {
                argv[a++] = "--kernel-features";
                argv[a++] = o->kernel_features;
        }
        if (o && o->base_dir) {
                argv[a++] = "-b";
                argv[a++] = o->base_dir;
        }
        argv[a++] = APPARMOR_PARSER_INPUT;
        argv[a] = NULL;

        r = run(parser, (char *const *)argv, text_fd, ret_binary ? &out : NULL, &err,
                o && o->timeout_ms ? o->timeout_ms : APPARMOR_PARSER_TIMEOUT_MS, &status);
        if (r < 0)
                return r;
        err_buf[err.len] = '\0';

        if (WIFSIGNALED(status))
                return -EIO;
        if (WEXITSTATUS(status) != 0) {
                if (reterr) {
                        *reterr = (struct apparmor_parser_error){0};
                        r = apparmor_parser_message_parse(err_buf, err.len, APPARMOR_PARSER_INPUT,
                                                          reterr);
                        if (r == -ENOMSG) {
                                reterr->message = strdup("apparmor_parser failed and said "
                                                         "nothing");
                                r = reterr->message ? 0 : -ENOMEM;
                        }
                        if (r < 0)
                                return r;
                        reterr->output = TAKE_PTR(err_buf);
                }
                return -EINVAL;
        }
        if (ret_binary) {
                void *data;

                if (out.len == 0)
                        return -ENODATA;
                data = realloc(out_buf, out.len);
                if (!data)
                        return -ENOMEM;
                out_buf = NULL;
                *ret_binary = (struct apparmor_binary){.data = data, .size = out.len};
        }
        return 0;
}

/* The one line of prof that holds "SUBJECT" (quoted, as the renderer
 * writes every path), or 0 when none or several do. */
static unsigned line_of_subject(const struct apparmor_profile *prof, const char *subject)
{
        _cleanup_free_ char *needle = NULL;
        const char *p = prof->text;
        unsigned line = 1, found = 0;

        if (asprintf(&needle, "\"%s\"", subject) < 0)
                return 0;
        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);

                if (memmem(p, len, needle, strlen(needle))) {
                        if (found)
                                return 0;
                        found = line;
                }
                if (!nl)
                        break;
                p = nl + 1;
                line++;
        }
        return found;
}

int apparmor_compile_profile(const struct apparmor_parser_options *o,
                             const struct apparmor_profile *prof,
                             struct apparmor_parser_error *reterr,
                             struct apparmor_binary *ret_binary)
{
        int r = apparmor_compile(o, prof->text, prof->size, reterr, ret_binary);

        if (r == -EINVAL && reterr) {
                const struct loc *l;

                /* Regex errors carry no line, only the rule they choked on. */
                if (reterr->line == 0 && reterr->subject)
                        reterr->line = line_of_subject(prof, reterr->subject);
                l = apparmor_profile_line_loc(prof, reterr->line);
                if (l)
                        reterr->where = *l;
        }
        return r;
}
