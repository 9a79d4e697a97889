/* SPDX-License-Identifier: MIT */
/* hardenctl events [--since TIME] [--service S] [--follow] [--json] [--summary]
 *                  [--input FILE | --journal-dir DIR] [--cursor-file FILE]
 *                  [--profiles DIR] [--max-keys N] [--daemon] [--socket PATH]
 *
 * Seccomp and AppArmor events, attributed to workloads and services, one
 * line each. Sources: a log file (--input), a journal directory
 * (--journal-dir), or the system journal; with --follow, new journal
 * entries and (without --input/--journal-dir) the kernel's live audit
 * stream. A record both sources deliver is shown once.
 *
 * Or the running hardend's (--daemon, --socket, or HARDEND_SOCKET set):
 * its observations, or with --follow its live stream. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/parse-util.h"
#include "base/time-util.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "sources/audit-netlink.h"
#include "events/event-print.h"
#include "events/events-pipeline.h"
#include "sources/file-source.h"
#include "sources/journal-source.h"
#include "events/observations-print.h"
#include "policy/policy-set.h"
#include "verbs.h"

#define CURSOR_MAX 4096u

struct events_args {
        uint64_t since_usec;
        bool has_since;
        const char *service;
        bool follow, json, summary;
        bool daemon;         /* --daemon */
        const char *offline; /* the first option only the offline reader has */
        const char *input;
        const char *journal_dir;
        const char *cursor_file;
        const char *profiles;
        uint64_t max_keys;
};

static void usage(FILE *f)
{
        fprintf(
            f,
            "Usage: hardenctl events [--since TIME] [--service S] [--follow] [--json] [--summary]\n"
            "                        [--input FILE | --journal-dir DIR] [--cursor-file FILE]\n"
            "                        [--profiles DIR] [--max-keys N]\n"
            "       hardenctl events --daemon [--since TIME] [--service S] [--follow] [--json]\n"
            "                        [--summary] [--socket PATH]\n"
            "\n"
            "Seccomp and AppArmor events, attributed to workloads and services.\n"
            "\n"
            "  --since TIME       only events from TIME on: \"2026-11-22 10:00\", \"@EPOCH\",\n"
            "                     \"-1h\", \"30min ago\", \"today\"\n"
            "  --service S        only events of service S\n"
            "  --follow           keep reading: new journal entries and, without --input or\n"
            "                     --journal-dir, the kernel's live audit stream (needs\n"
            "                     CAP_AUDIT_READ); Ctrl-C ends\n"
            "  --json             one JSON object per event per line\n"
            "  --summary          at the end, the observations per service\n"
            "  --input FILE       read audit.log, kern.log/syslog or dmesg output (- = stdin);\n"
            "                     attributed by AppArmor profile and executable only\n"
            "  --journal-dir DIR  read the journal files in DIR instead of the system journal\n"
            "  --cursor-file F    resume the journal after the entry F names; save the last\n"
            "                     entry read there on exit\n"
            "  --profiles DIR     service policies (default ./profiles if present, else\n"
            "                     /etc/hardend/profiles)\n"
            "  --max-keys N       distinct observations kept (default %u); more are counted\n"
            "  --daemon           ask the running hardend: without --follow its observations\n"
            "                     (what --summary shows), with --follow its live events; the\n"
            "                     default when $" DAEMON_SOCKET_ENV " is set and none of the\n"
            "                     options above for logs is given\n"
            "  --socket PATH      hardend's control socket (implies --daemon; default\n"
            "                     $" DAEMON_SOCKET_ENV ", else " DAEMON_SOCKET_DEFAULT ")\n"
            "\n"
            "Exit status: 0 done, 1 an invalid profile (offline), 2 bad command line, 3 the\n"
            "events could not be read (or hardend did not answer, or ended the stream).\n",
            OBSERVATIONS_DEFAULT_MAX_KEYS);
}

static int parse_args(int argc, char **argv, struct events_args *a)
{
        static const struct option options[] = {
            {"since", required_argument, NULL, 's'},
            {"service", required_argument, NULL, 'S'},
            {"follow", no_argument, NULL, 'f'},
            {"json", no_argument, NULL, 'j'},
            {"summary", no_argument, NULL, 'm'},
            {"input", required_argument, NULL, 'i'},
            {"journal-dir", required_argument, NULL, 'D'},
            {"cursor-file", required_argument, NULL, 'c'},
            {"profiles", required_argument, NULL, 'P'},
            {"max-keys", required_argument, NULL, 'k'},
            {"daemon", no_argument, NULL, 'd'},
            {"socket", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        int c;

        a->profiles = default_profiles_dir();
        a->max_keys = OBSERVATIONS_DEFAULT_MAX_KEYS;
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        if (parse_time_point(optarg, now_realtime_usec(), &a->since_usec) < 0) {
                                fprintf(stderr, "hardenctl events: --since: cannot read '%s'\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        a->has_since = true;
                        break;
                case 'S':
                        a->service = optarg;
                        break;
                case 'f':
                        a->follow = true;
                        break;
                case 'j':
                        a->json = true;
                        break;
                case 'm':
                        a->summary = true;
                        break;
                case 'i':
                        a->input = optarg;
                        a->offline = a->offline ? a->offline : "--input";
                        break;
                case 'D':
                        a->journal_dir = optarg;
                        a->offline = a->offline ? a->offline : "--journal-dir";
                        break;
                case 'c':
                        a->cursor_file = optarg;
                        a->offline = a->offline ? a->offline : "--cursor-file";
                        break;
                case 'P':
                        a->profiles = optarg;
                        a->offline = a->offline ? a->offline : "--profiles";
                        break;
                case 'd':
                        a->daemon = true;
                        break;
                case 'X':
                        if (daemon_socket_option("events", optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'k':
                        a->offline = a->offline ? a->offline : "--max-keys";
                        if (safe_atou64_max(optarg, 100000000, &a->max_keys) < 0 ||
                            a->max_keys == 0) {
                                fprintf(stderr,
                                        "hardenctl events: --max-keys must be 1..100000000\n");
                                return EXIT_USAGE;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        exit(EXIT_OK);
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "hardenctl events: unexpected argument '%s'\n", argv[optind]);
                return EXIT_USAGE;
        }
        /* --daemon and --socket ask for the daemon; HARDEND_SOCKET alone
         * only suggests it, so an exported variable does not take
         * --input away. */
        if (a->daemon || daemon_socket_explicit()) {
                if (a->offline) {
                        fprintf(stderr,
                                "hardenctl events: %s is for reading logs here; it does not go "
                                "with %s (hardend reads its own sources)\n",
                                a->offline, a->daemon ? "--daemon" : "--socket");
                        return EXIT_USAGE;
                }
                a->daemon = true;
        } else if (daemon_socket_named() && !a->offline)
                a->daemon = true;
        if (a->daemon) {
                if (a->service && !protocol_service_name_valid(a->service)) {
                        fprintf(stderr,
                                "hardenctl events: '%s' is not a service name (1-63 of a-z 0-9 "
                                "-, starting with a letter)\n",
                                render_escape(a->service));
                        return EXIT_USAGE;
                }
                return EXIT_OK;
        }
        if (a->input && (a->journal_dir || a->follow || a->cursor_file)) {
                fprintf(stderr, "hardenctl events: --input reads one file once: it does not go "
                                "with --journal-dir, --follow or --cursor-file\n");
                return EXIT_USAGE;
        }
        return EXIT_OK;
}

static void report_invalid(struct diag_list *d, void *userdata)
{
        diag_print(d, stderr);
        (*(unsigned *)userdata)++;
}

/* The saved cursor, NULL when there is none yet. */
static int read_cursor(const char *path, char **ret)
{
        _cleanup_free_ char *data = NULL;
        size_t n;
        int r;

        *ret = NULL;
        r = read_file_bounded(AT_FDCWD, path, CURSOR_MAX, &data, &n);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\0'))
                data[--n] = '\0';
        if (n == 0 || memchr(data, '\0', n))
                return -EINVAL;
        *ret = TAKE_PTR(data);
        return 0;
}

static int save_cursor(const char *path, struct journal_source *j)
{
        _cleanup_free_ char *cursor = NULL, *line = NULL;
        int r = journal_source_cursor(j, &cursor);

        if (r == -ENODATA)
                return 0; /* nothing read: the old cursor still holds */
        if (r < 0)
                return r;
        if (asprintf(&line, "%s\n", cursor) < 0)
                return -ENOMEM;
        return write_file_atomic(AT_FDCWD, path, line, strlen(line), 0600);
}

static int open_journal(const struct events_args *a, struct journal_source **ret)
{
        _cleanup_free_ char *cursor = NULL;
        int r;

        if (a->cursor_file && (r = read_cursor(a->cursor_file, &cursor)) < 0) {
                fprintf(stderr, "hardenctl events: cannot use cursor file %s: %s\n", a->cursor_file,
                        strerror(-r));
                return r;
        }
        r = journal_source_open(a->journal_dir, cursor, a->since_usec, ret);
        if (r < 0)
                fprintf(stderr, "hardenctl events: cannot open the %s%s: %s\n",
                        a->journal_dir ? "journal in " : "system journal",
                        a->journal_dir ? a->journal_dir : "", strerror(-r));
        return r;
}

/* A signalfd for SIGINT and SIGTERM, which end a --follow. Returns the
 * fd or -errno. */
static int stop_signals_fd(void)
{
        sigset_t mask;
        int sfd;

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0 ||
            (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
                return -errno;
        /* A shell starts background jobs with SIGINT ignored, and an
         * ignored signal never reaches the signalfd. Blocked, the default
         * action never runs. */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        return sfd;
}

/* Says at once when the kernel's stream lost records, not only at exit. */
static void report_new_losses(const struct events_pipeline *p, const struct audit_netlink *nl,
                              uint64_t *seen_dropped, uint64_t *seen_gaps)
{
        uint64_t dropped = nl ? audit_netlink_stats(nl)->dropped : 0;
        uint64_t gaps = events_pipeline_stats(p)->serial.gaps;

        if (dropped > *seen_dropped || gaps > *seen_gaps)
                fprintf(stderr,
                        "hardenctl events: LOST records: %llu more dropped by the kernel for this "
                        "socket, %llu more serial numbers never seen\n",
                        (unsigned long long)(dropped - *seen_dropped),
                        (unsigned long long)(gaps > *seen_gaps ? gaps - *seen_gaps : 0));
        *seen_dropped = dropped;
        *seen_gaps = gaps > *seen_gaps ? gaps : *seen_gaps;
}

static int follow(struct events_pipeline *p, struct journal_source *j, struct audit_netlink *nl,
                  struct event_printer *pr)
{
        uint64_t seen_dropped = 0, seen_gaps = 0;
        struct pollfd fds[3];
        _cleanup_close_ int sfd = stop_signals_fd();
        int r;

        if (sfd < 0)
                return sfd;
        fds[0] = (struct pollfd){.fd = sfd, .events = POLLIN};
        /* With the kernel's own stream, the journal only repeats it, late
         * and sampled: it was read for history, it is not followed. */
        if (nl)
                j = NULL;
        fds[1] = (struct pollfd){.fd = j ? journal_source_fd(j) : -1, .events = POLLIN};
        fds[2] = (struct pollfd){.fd = nl ? audit_netlink_fd(nl) : -1, .events = POLLIN};
        if (j && fds[1].fd < 0)
                return fds[1].fd;
        fprintf(stderr, "hardenctl events: following %s (Ctrl-C ends)\n",
                nl ? "the kernel's audit stream" : "the journal");
        for (;;) {
                /* A held line is printed after a quiet second. */
                r = poll(fds, 3, 1000);
                if (r < 0 && errno != EINTR)
                        return -errno;
                if (r <= 0) {
                        events_pipeline_flush(p);
                        report_new_losses(p, nl, &seen_dropped, &seen_gaps);
                        if (pr && event_printer_flush(pr) < 0)
                                return -EIO;
                        continue;
                }
                if (fds[0].revents)
                        return 0;
                if (nl && fds[2].revents) {
                        r = audit_netlink_drain(nl, events_pipeline_raw_fn, p);
                        if (r < 0)
                                return r;
                        report_new_losses(p, nl, &seen_dropped, &seen_gaps);
                }
                if (j && fds[1].revents) {
                        if ((r = journal_source_process(j)) < 0 ||
                            (r = journal_source_drain(j, 0, events_pipeline_raw_fn, p)) < 0)
                                return r;
                }
        }
}

static void print_stats(struct events_pipeline *p, const struct audit_netlink *nl)
{
        const struct events_pipeline_stats *s = events_pipeline_stats(p);
        const char *const *bad;
        size_t n_bad;

        fflush(stdout); /* what was printed comes before what is said about it */
        bad = events_pipeline_malformed(p, &n_bad);
        for (size_t i = 0; i < n_bad; i++)
                fprintf(stderr, "hardenctl events: %s\n", bad[i]);
        if (s->malformed > n_bad)
                fprintf(stderr, "hardenctl events: ... and %llu more malformed records\n",
                        (unsigned long long)(s->malformed - n_bad));
        if (nl) {
                const struct audit_netlink_stats *ns = audit_netlink_stats(nl);

                if (ns->overruns || ns->dropped || s->serial.gaps)
                        fprintf(stderr,
                                "hardenctl events: LOST records in all: %llu receive-buffer "
                                "overruns, %llu records dropped by the kernel for this socket, "
                                "%llu serial numbers never seen\n",
                                (unsigned long long)ns->overruns, (unsigned long long)ns->dropped,
                                (unsigned long long)s->serial.gaps);
        }
        if (observations_over_cap(events_pipeline_observations(p)))
                fprintf(stderr,
                        "hardenctl events: %llu events over the --max-keys cap were counted, not "
                        "kept\n",
                        (unsigned long long)observations_over_cap(events_pipeline_observations(p)));
}

/* ---- from the daemon ---- */

static json_t *daemon_args(const struct events_args *a, bool follow)
{
        json_t *args = json_object();

        if (!args)
                return NULL;
        if ((a->service && json_object_set_new(args, "service", json_string(a->service)) < 0) ||
            (a->has_since &&
             json_object_set_new(args, "since", json_integer((json_int_t)a->since_usec)) < 0) ||
            (follow && json_object_set_new(args, "follow", json_true()) < 0)) {
                json_decref(args);
                return NULL;
        }
        return args;
}

/* What the daemon counted that the operator should know: records it
 * could not read, events it lost. */
static void daemon_report_stats(const json_t *result)
{
        const json_t *stats = json_object_get(result, "stats");
        const json_t *malformed = json_object_get(stats, "malformed");
        const json_t *lost = json_object_get(stats, "lost");

        if (json_is_integer(malformed) && json_integer_value(malformed) > 0)
                fprintf(stderr, "hardenctl events: hardend could not read %lld malformed records\n",
                        (long long)json_integer_value(malformed));
        if (json_is_integer(lost) && json_integer_value(lost) > 0)
                fprintf(stderr,
                        "hardenctl events: hardend LOST %lld events: the counts are lower "
                        "bounds\n",
                        (long long)json_integer_value(lost));
}

/* The daemon keeps observations, not single events: without --follow
 * this is what it has. */
static int show_observations(FILE *f, const json_t *result, const void *userdata)
{
        return render_observations(f, result);
}

static int daemon_summary(const struct events_args *a)
{
        json_t *args = daemon_args(a, false);

        if (!args) {
                fprintf(stderr, "hardenctl events: out of memory\n");
                return EXIT_ERROR;
        }
        /* JSON on one line, as the offline --json --summary prints it. */
        return daemon_call_show("events", PROTOCOL_VERB_EVENTS, args, DAEMON_TIMEOUT_READ_MS,
                                &(struct daemon_show){.json = a->json,
                                                      .render = show_observations,
                                                      .after = daemon_report_stats});
}

/* One frame of the stream: its events, and what was lost before it. */
static int daemon_frame(const struct events_args *a, const json_t *result)
{
        const json_t *events = json_object_get(result, "events");
        const json_t *lost = json_object_get(result, "lost");

        if (a->json) {
                for (size_t i = 0; i < json_array_size(events); i++)
                        if (json_dumpf(json_array_get(events, i), stdout, JSON_COMPACT) < 0 ||
                            putchar('\n') == EOF)
                                return EXIT_ERROR;
        } else if (render_events(stdout, events) < 0)
                return EXIT_ERROR;
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        if (json_is_integer(lost) && json_integer_value(lost) > 0)
                fprintf(stderr,
                        "hardenctl events: LOST %lld events: hardend dropped them because this "
                        "client read too slowly\n",
                        (long long)json_integer_value(lost));
        return EXIT_OK;
}

/* Reads the daemon's stream until it ends it or SIGINT/SIGTERM. */
static int daemon_follow(const struct events_args *a)
{
        struct protocol_response resp = {0};
        _cleanup_close_ int sfd = -1, fd = -1;
        const json_t *following;
        json_t *args;
        int r, status = EXIT_OK;

        sfd = stop_signals_fd();
        if (sfd < 0) {
                fprintf(stderr, "hardenctl events: %s\n", strerror(-sfd));
                return EXIT_ERROR;
        }
        fd = daemon_connect("events");
        if (fd < 0)
                return EXIT_ERROR;
        args = daemon_args(a, true);
        if (!args) {
                fprintf(stderr, "hardenctl events: out of memory\n");
                return EXIT_ERROR;
        }
        if (daemon_request("events", fd, PROTOCOL_VERB_EVENTS, args, DAEMON_TIMEOUT_READ_MS,
                           &resp) < 0)
                return EXIT_ERROR;
        if (!resp.ok) {
                status = daemon_print_error("events", &resp);
                protocol_response_done(&resp);
                return status;
        }
        following = json_object_get(resp.result, "following");
        protocol_response_done(&resp);
        if (!json_is_true(following)) {
                fprintf(stderr, "hardenctl events: hardend did not start a stream (a daemon of "
                                "another version?)\n");
                return EXIT_ERROR;
        }
        fprintf(stderr, "hardenctl events: following hardend's events (Ctrl-C ends)\n");
        for (;;) {
                struct pollfd fds[2] = {{.fd = sfd, .events = POLLIN},
                                        {.fd = fd, .events = POLLIN}};

                r = poll(fds, 2, -1);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0) {
                        fprintf(stderr, "hardenctl events: %m\n");
                        return EXIT_ERROR;
                }
                if (fds[0].revents)
                        break;
                if (!fds[1].revents)
                        continue;
                /* A frame has begun: it must arrive whole in time. */
                r = daemon_read_next("events", fd, DAEMON_TIMEOUT_READ_MS, &resp);
                if (r == -ENODATA) {
                        fprintf(stderr, "hardenctl events: hardend ended the stream (it stopped "
                                        "or restarted)\n");
                        return EXIT_ERROR;
                }
                if (r < 0)
                        return EXIT_ERROR;
                if (!resp.ok)
                        status = daemon_print_error("events", &resp);
                else
                        status = daemon_frame(a, resp.result);
                protocol_response_done(&resp);
                if (status != EXIT_OK)
                        return status;
        }
        /* Closing the connection ends the stream. */
        (void)close(TAKE_FD(fd));
        return a->summary ? daemon_summary(a) : EXIT_OK;
}

int verb_events(int argc, char **argv)
{
        struct events_args a = {0};
        struct policy_set policies = {0};
        struct events_pipeline *p = NULL;
        struct event_printer *pr = NULL;
        struct journal_source *j = NULL;
        struct audit_netlink *nl = NULL;
        _cleanup_close_ int proc_fd = -1, root_fd = -1;
        unsigned invalid = 0;
        int r, status;

        status = parse_args(argc, argv, &a);
        if (status != EXIT_OK)
                return status;
        if (a.daemon)
                return a.follow ? daemon_follow(&a) : daemon_summary(&a);
        r = policy_set_load_dir(a.profiles, &policies, report_invalid, &invalid);
        if (r < 0) {
                fprintf(stderr, "hardenctl events: cannot read profiles in %s: %s\n", a.profiles,
                        strerror(-r));
                return EXIT_ERROR;
        }
        if (a.service && !policy_set_find(&policies, a.service)) {
                fprintf(stderr, "hardenctl events: no policy for service '%s' in %s\n", a.service,
                        a.profiles);
                status = EXIT_USAGE;
                goto out;
        }
        /* Offline logs never look at this machine's processes. */
        if (!a.input) {
                proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (event_printer_new(stdout, a.json, &pr) < 0)
                goto oom;
        r = events_pipeline_new(
            &(struct events_pipeline_config){
                .policies = &policies,
                .proc_fd = proc_fd,
                .root_fd = root_fd,
                .max_keys = a.max_keys,
                .service = a.service,
                .since_usec = a.since_usec,
                .status_events = !a.service,
                .sink = event_printer_sink,
                .userdata = pr,
            },
            &p);
        if (r < 0)
                goto oom;

        if (a.input) {
                struct file_source_stats fs;

                r = file_source_read(a.input, events_pipeline_raw_fn, p, &fs);
                if (fs.too_long)
                        fprintf(stderr,
                                "hardenctl events: %s:%llu: %llu line(s) longer than %u bytes "
                                "skipped\n",
                                a.input, (unsigned long long)fs.first_too_long,
                                (unsigned long long)fs.too_long, AUDIT_LINE_MAX);
                if (r < 0) {
                        fprintf(stderr, "hardenctl events: cannot read %s: %s\n", a.input,
                                strerror(-r));
                        status = EXIT_ERROR;
                }
        } else {
                if (open_journal(&a, &j) < 0) {
                        status = EXIT_ERROR;
                        goto out;
                }
                /* Open the live stream before reading history, so nothing
                 * falls between the two; duplicates are dropped. */
                if (a.follow && !a.journal_dir) {
                        r = audit_netlink_open(0, &nl);
                        if (r < 0) {
                                fprintf(stderr,
                                        "hardenctl events: cannot read the kernel's audit "
                                        "stream: %s%s\n",
                                        strerror(-r),
                                        r == -EPERM ? " (needs root or CAP_AUDIT_READ)" : "");
                                status = EXIT_ERROR;
                                goto out;
                        }
                }
                r = journal_source_drain(j, 0, events_pipeline_raw_fn, p);
                if (r >= 0 && a.follow)
                        r = follow(p, j, nl, pr);
                /* What the journal wrote meanwhile: netlink's records again
                 * (dropped as duplicates) and any netlink lost; the cursor
                 * then stands after all of it. */
                if (r >= 0 && nl)
                        r = journal_source_drain(j, 0, events_pipeline_raw_fn, p);
                if (r < 0) {
                        fprintf(stderr, "hardenctl events: %s\n", strerror(-r));
                        status = EXIT_ERROR;
                }
                if (a.cursor_file && (r = save_cursor(a.cursor_file, j)) < 0) {
                        fprintf(stderr, "hardenctl events: cannot save the cursor to %s: %s\n",
                                a.cursor_file, strerror(-r));
                        status = EXIT_ERROR;
                }
        }
        events_pipeline_flush(p);
        pr = event_printer_free(pr);
        if (a.summary && observations_print(stdout, events_pipeline_observations(p), a.json) < 0)
                status = EXIT_ERROR;
        print_stats(p, nl);
        if (invalid && status == EXIT_OK)
                status = EXIT_PROBLEMS;
        goto out;
oom:
        fprintf(stderr, "hardenctl events: out of memory\n");
        status = EXIT_ERROR;
out:
        event_printer_free(pr);
        events_pipeline_free(p);
        journal_source_free(j);
        audit_netlink_free(nl);
        policy_set_done(&policies);
        return status;
}
