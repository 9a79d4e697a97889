/* SPDX-License-Identifier: MIT */
/* hardenctl check [--service S] [--pid PID] [--json] [--fail-on SEVERITY]
 *                 [--profiles DIR] [--proc DIR] [--root DIR] [--no-seccomp]
 * hardenctl check --daemon [--service S] [--json] [--fail-on SEVERITY] [--socket PATH]
 *
 * What every running container and service really runs with, read from
 * /proc and checked against its service's `posture` (or, for a container
 * no policy matches, the restricted baseline). Exit status: 0 when no
 * finding is at or above --fail-on (default high), 1 when one is, 2 for a
 * bad command line, 3 when the check could not be done completely (an
 * unreadable /proc, an invalid profile, no answer from hardend).
 *
 * With --daemon (or --socket, or HARDEND_SOCKET set) the running hardend
 * checks from its own scan and policies. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "base/macro.h"
#include "base/parse-util.h"
#include "base/time-util.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "policy/policy-set.h"
#include "posture/posture-check.h"
#include "posture/posture-print.h"
#include "posture/scan.h"
#include "posture/seccomp-check.h"
#include "posture/workload.h"
#include "verbs.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

struct check_args {
        const char *service;
        pid_t pid;
        bool json;
        int fail_on; /* enum severity, or _SEVERITY_MAX for "none" */
        const char *profiles;
        const char *proc;
        const char *root;
        bool seccomp;
        bool daemon;         /* --daemon */
        const char *offline; /* the first option only the offline check has */
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: hardenctl check [--service S] [--pid PID] [--json] [--fail-on SEVERITY]\n"
                "                       [--profiles DIR] [--proc DIR] [--root DIR] [--no-seccomp]\n"
                "\n"
                "Checks what running containers and services run with against their policies.\n"
                "\n"
                "  --service S        only workloads matched to service S\n"
                "  --pid PID          only the workload that process PID belongs to\n"
                "  --json             one JSON document on stdout\n"
                "  --fail-on SEV      exit 1 when a finding is at least SEV: info, low, medium,\n"
                "                     high (default), critical, or none\n"
                "  --profiles DIR     service policies (default ./profiles if present, else\n"
                "                     /etc/hardend/profiles)\n"
                "  --proc DIR         the proc root to scan (default /proc)\n"
                "  --root DIR         where runtime state is read (default /)\n"
                "  --no-seccomp       do not read seccomp filters back (no ptrace)\n"
                "  --daemon           ask the running hardend (its scan, its policies); the\n"
                "                     default when $" DAEMON_SOCKET_ENV " is set and none of\n"
                "                     --pid, --profiles, --proc, --root, --no-seccomp is given\n"
                "  --socket PATH      hardend's control socket (implies --daemon; default\n"
                "                     $" DAEMON_SOCKET_ENV ", else " DAEMON_SOCKET_DEFAULT ")\n"
                "\n"
                "Exit status: 0 nothing at or above --fail-on, 1 something is, 2 bad command\n"
                "line, 3 the check could not be done (or hardend did not answer).\n");
}

static void report_invalid(struct diag_list *d, void *userdata)
{
        unsigned *invalid = userdata;

        diag_print(d, stderr);
        (*invalid)++;
}

static int parse_args(int argc, char **argv, struct check_args *a)
{
        static const struct option options[] = {
            {"service", required_argument, NULL, 's'},  {"pid", required_argument, NULL, 'p'},
            {"json", no_argument, NULL, 'j'},           {"fail-on", required_argument, NULL, 'f'},
            {"profiles", required_argument, NULL, 'P'}, {"proc", required_argument, NULL, 'r'},
            {"root", required_argument, NULL, 'R'},     {"no-seccomp", no_argument, NULL, 'n'},
            {"daemon", no_argument, NULL, 'd'},         {"socket", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},           {0},
        };
        uint64_t v;
        int c;

        *a = (struct check_args){.fail_on = SEVERITY_HIGH,
                                 .profiles = default_profiles_dir(),
                                 .proc = "/proc",
                                 .root = "/",
                                 .seccomp = true};
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
                switch (c) {
                case 's':
                        a->service = optarg;
                        break;
                case 'p':
                        if (safe_atou64_max(optarg, 4194304, &v) < 0 || v == 0) {
                                fprintf(stderr, "hardenctl check: invalid pid '%s'\n", optarg);
                                return -EINVAL;
                        }
                        a->pid = (pid_t)v;
                        a->offline = a->offline ? a->offline : "--pid";
                        break;
                case 'j':
                        a->json = true;
                        break;
                case 'f':
                        if (strcmp(optarg, "none") == 0)
                                a->fail_on = _SEVERITY_MAX;
                        else if ((a->fail_on = severity_from_string(optarg)) < 0) {
                                fprintf(stderr,
                                        "hardenctl check: unknown severity '%s' (info, low, "
                                        "medium, high, critical, none)\n",
                                        optarg);
                                return -EINVAL;
                        }
                        break;
                case 'P':
                        a->profiles = optarg;
                        a->offline = a->offline ? a->offline : "--profiles";
                        break;
                case 'r':
                        a->proc = optarg;
                        a->offline = a->offline ? a->offline : "--proc";
                        break;
                case 'R':
                        a->root = optarg;
                        a->offline = a->offline ? a->offline : "--root";
                        break;
                case 'n':
                        a->seccomp = false;
                        a->offline = a->offline ? a->offline : "--no-seccomp";
                        break;
                case 'd':
                        a->daemon = true;
                        break;
                case 'X':
                        if (daemon_socket_option("check", optarg) < 0)
                                return -EINVAL;
                        break;
                case 'h':
                        usage(stdout);
                        return 1;
                default:
                        return -EINVAL;
                }
        if (optind < argc) {
                fprintf(stderr, "hardenctl check: unexpected argument '%s'\n", argv[optind]);
                return -EINVAL;
        }
        /* --daemon and --socket ask for the daemon; HARDEND_SOCKET alone
         * only suggests it, so an exported variable does not take --proc
         * away. */
        if (a->daemon || daemon_socket_explicit()) {
                if (a->offline) {
                        fprintf(stderr,
                                "hardenctl check: %s is for checking here; it does not go with "
                                "%s (hardend checks from its own scan and policies)\n",
                                a->offline, a->daemon ? "--daemon" : "--socket");
                        return -EINVAL;
                }
                a->daemon = true;
        } else if (daemon_socket_named() && !a->offline)
                a->daemon = true;
        if (a->daemon && a->service && !protocol_service_name_valid(a->service)) {
                fprintf(stderr,
                        "hardenctl check: '%s' is not a service name (1-63 of a-z 0-9 -, "
                        "starting with a letter)\n",
                        render_escape(a->service));
                return -EINVAL;
        }
        return 0;
}

static int show_check(FILE *f, const json_t *result, const void *userdata)
{
        return render_check(f, result, now_realtime_usec());
}

static bool check_failed(const json_t *result, const void *userdata)
{
        const struct check_args *a = userdata;

        return render_check_failed(result, a->fail_on);
}

/* The running hardend's check: its reports, and the exit status
 * --fail-on asks for. */
static int check_daemon(const struct check_args *a)
{
        json_t *args = json_object();

        if (!args ||
            (a->service && json_object_set_new(args, "service", json_string(a->service)) < 0)) {
                json_decref(args);
                fprintf(stderr, "hardenctl check: out of memory\n");
                return EXIT_ERROR;
        }
        return daemon_call_show("check", PROTOCOL_VERB_CHECK, args, DAEMON_TIMEOUT_READ_MS,
                                &(struct daemon_show){.json = a->json,
                                                      .pretty = true,
                                                      .render = show_check,
                                                      .problems = check_failed,
                                                      .userdata = a});
}

static bool workload_has_pid(const struct workload *w, const struct posture_scan *scan, pid_t pid)
{
        for (size_t i = 0; i < w->n_procs; i++)
                if (scan->procs[w->procs[i]].pid == pid)
                        return true;
        return false;
}

/* Which workloads are reported: every container but pod sandboxes, and
 * host units and processes a policy matched. */
static bool selected(const struct workload *w, const struct posture_scan *scan,
                     const struct check_args *a)
{
        if (a->pid)
                return workload_has_pid(w, scan, a->pid) &&
                       (w->kind == WORKLOAD_CONTAINER || w->policy);
        if (w->sandbox)
                return false;
        if (a->service)
                return w->policy && strcmp(w->policy->service, a->service) == 0;
        return w->kind == WORKLOAD_CONTAINER || w->policy;
}

static bool is_procfs(int fd)
{
        struct statfs sfs;

        return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

int verb_check(int argc, char **argv)
{
        struct check_args a;
        struct policy_set set = {0};
        struct posture_scan scan = {0};
        struct workload_set ws = {0};
        _cleanup_close_ int proc_fd = -1, root_fd = -1;
        json_t *doc = NULL, *list = NULL;
        size_t counts[_SEVERITY_MAX] = {0}, checked = 0, matched = 0;
        unsigned invalid = 0;
        bool failed = false, found_pid = false, readback;
        int r, status = EXIT_OK;

        r = parse_args(argc, argv, &a);
        if (r != 0)
                return r > 0 ? EXIT_OK : EXIT_USAGE;
        if (a.daemon)
                return check_daemon(&a);
        r = policy_set_load_dir(a.profiles, &set, report_invalid, &invalid);
        if (r < 0) {
                fprintf(stderr, "hardenctl check: cannot read profiles directory '%s': %s\n",
                        a.profiles, strerror(-r));
                return EXIT_ERROR;
        }
        if (a.service && !policy_set_find(&set, a.service)) {
                fprintf(stderr, "hardenctl check: no policy for service '%s' in %s\n", a.service,
                        a.profiles);
                policy_set_done(&set);
                return EXIT_USAGE;
        }
        proc_fd = open(a.proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        root_fd = open(a.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0 || root_fd < 0) {
                fprintf(stderr, "hardenctl check: cannot open '%s': %m\n",
                        proc_fd < 0 ? a.proc : a.root);
                policy_set_done(&set);
                return EXIT_ERROR;
        }
        /* PTRACE works on real PIDs: never on the PIDs of a fixture tree. */
        readback = a.seccomp && is_procfs(proc_fd);

        r = posture_scan_run(proc_fd, 0, SCAN_EXE | SCAN_THREADS, &scan);
        if (r < 0) {
                fprintf(stderr, "hardenctl check: cannot scan '%s': %s\n", a.proc, strerror(-r));
                status = EXIT_ERROR;
                goto finish;
        }
        r = workloads_build(&scan, root_fd, &ws);
        if (r >= 0)
                r = workloads_match(&ws, &scan, &set);
        if (r < 0) {
                fprintf(stderr, "hardenctl check: %s\n", strerror(-r));
                status = EXIT_ERROR;
                goto finish;
        }
        if (a.json) {
                doc = posture_scan_json(&scan);
                list = json_array();
                if (!doc || !list) {
                        status = EXIT_ERROR;
                        goto finish;
                }
        }
        for (size_t i = 0; i < ws.n; i++) {
                const struct workload *w = &ws.items[i];
                struct posture_report rep;
                struct seccomp_summary sc = {0};

                if (!selected(w, &scan, &a))
                        continue;
                found_pid = true;
                r = posture_check(&scan, w, root_fd, &rep);
                if (r >= 0 && readback) {
                        r = posture_seccomp_check(proc_fd, &scan, w, &sc);
                        if (r >= 0)
                                r = posture_seccomp_findings(&sc, w->policy, &rep);
                        posture_report_sort(&rep);
                }
                if (r < 0) {
                        fprintf(stderr, "hardenctl check: %s\n", strerror(-r));
                        seccomp_summary_done(&sc);
                        status = EXIT_ERROR;
                        goto finish;
                }
                checked++;
                matched += w->policy != NULL;
                for (size_t k = 0; k < rep.n_findings; k++) {
                        counts[rep.findings[k].severity]++;
                        if ((int)rep.findings[k].severity >= a.fail_on)
                                failed = true;
                }
                if (a.json)
                        json_array_append_new(list,
                                              posture_report_json(&scan, &rep, &sc, SEVERITY_INFO));
                else {
                        if (checked > 1)
                                putchar('\n');
                        posture_print_text(stdout, &scan, &rep, &sc, SEVERITY_INFO);
                }
                seccomp_summary_done(&sc);
                posture_report_done(&rep);
        }
        if (a.pid && !found_pid) {
                if (posture_scan_find(&scan, a.pid)) {
                        /* There, but in no container and no service. */
                        fprintf(stderr,
                                "hardenctl check: pid %d is in no container and no service policy "
                                "matches it: nothing to check\n",
                                (int)a.pid);
                        goto finish;
                }
                fprintf(stderr, "hardenctl check: no process %d to check in %s\n", (int)a.pid,
                        a.proc);
                status = EXIT_ERROR;
                goto finish;
        }
        if (a.json) {
                json_t *summary = json_object(), *sev = json_object();

                for (int s = _SEVERITY_MAX - 1; s >= 0; s--)
                        json_object_set_new(sev, severity_to_string((enum severity)s),
                                            json_integer((json_int_t)counts[s]));
                json_object_set_new(summary, "workloads", json_integer((json_int_t)checked));
                json_object_set_new(summary, "matched", json_integer((json_int_t)matched));
                json_object_set_new(summary, "findings", sev);
                json_object_set_new(summary, "fail_on",
                                    json_string(a.fail_on == _SEVERITY_MAX
                                                    ? "none"
                                                    : severity_to_string(a.fail_on)));
                json_object_set_new(summary, "failed", json_boolean(failed));
                json_object_set_new(summary, "invalid_profiles", json_integer(invalid));
                json_object_set_new(doc, "workloads", list);
                list = NULL;
                json_object_set_new(doc, "summary", summary);
                if (json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) < 0)
                        status = EXIT_ERROR;
                putchar('\n');
        } else {
                printf("%s%zu workload%s checked (%zu against a service policy, %zu against the "
                       "baseline): %zu critical, %zu high, %zu medium, %zu low, %zu info\n",
                       checked ? "\n" : "", checked, checked == 1 ? "" : "s", matched,
                       checked - matched, counts[SEVERITY_CRITICAL], counts[SEVERITY_HIGH],
                       counts[SEVERITY_MEDIUM], counts[SEVERITY_LOW], counts[SEVERITY_INFO]);
        }
        if (scan.host.from_self)
                fprintf(stderr,
                        "hardenctl check: note: PID 1 cannot be read (%s); the host's "
                        "namespaces are taken to be this program's (pid %d)\n",
                        strerror(-scan.host.pid1_error), (int)scan.host.pid);
        if (a.seccomp && !readback)
                fprintf(stderr,
                        "hardenctl check: note: %s is not a procfs: seccomp filters "
                        "are not read back\n",
                        a.proc);
        if (status == EXIT_OK && invalid > 0)
                status = EXIT_ERROR;
        else if (status == EXIT_OK && failed)
                status = EXIT_PROBLEMS;
finish:
        json_decref(list);
        json_decref(doc);
        workload_set_done(&ws);
        posture_scan_done(&scan);
        policy_set_done(&set);
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        return status;
}
