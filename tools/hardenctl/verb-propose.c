/* SPDX-License-Identifier: MIT */
/* hardenctl propose SERVICE [--since TIME] [--accept-risky] [--recording] [--apply] [--json]
 *                   [--socket PATH]
 * hardenctl propose SERVICE --input FILE [--all-events] [--profiles DIR] [...]
 *
 * A tighter policy for SERVICE from what it was seen doing: the running
 * hardend's observations (or its last recording's), or a log file's. The
 * unified diff of the policy file, a reason on every changed line; with
 * --apply the new text is written (after it validates, the old file kept
 * as a backup) and hardend reloads it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/sha256.h"
#include "base/time-util.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "offline-events.h"
#include "insight/proposal.h"
#include "policy/policy-load.h"
#include "verbs.h"

struct propose_args {
        const char *service;
        uint64_t since_usec;
        bool has_since, accept_risky, recording, apply, json, all_events;
        const char *input;
        const char *profiles;
};

static void usage(FILE *f)
{
        fprintf(
            f,
            "Usage: hardenctl propose SERVICE [--since TIME] [--accept-risky] [--recording]\n"
            "                         [--apply] [--json] [--socket PATH]\n"
            "       hardenctl propose SERVICE --input FILE [--all-events] [--profiles DIR]\n"
            "                         [--since TIME] [--accept-risky] [--apply] [--json]\n"
            "\n"
            "A tighter policy for SERVICE from what it was seen doing, as a unified diff of\n"
            "its policy file with a reason on every changed line.\n"
            "\n"
            "  --since TIME     only what was seen from TIME on (\"-1h\", \"2026-11-22 10:00\")\n"
            "  --accept-risky   also add the risky calls and capabilities (ptrace, mount,\n"
            "                   bpf, sys_admin...), which are otherwise held back\n"
            "  --recording      from the last `hardenctl record` of the service: also\n"
            "                   removes what the recording never used\n"
            "  --apply          write the proposed policy (the old file is kept as\n"
            "                   FILE.<time>.bak) and make hardend reload it\n"
            "  --json           the proposal as one JSON document\n"
            "  --input FILE     offline: from an audit.log, kern.log or dmesg copy instead\n"
            "                   of the running hardend (AppArmor events by profile name,\n"
            "                   seccomp events by the policy's match.executables)\n"
            "  --all-events     with --input: every event in the file counts as SERVICE's\n"
            "  --profiles DIR   with --input: the policies (default ./profiles if present,\n"
            "                   else /etc/hardend/profiles)\n"
            "  --socket PATH    hardend's control socket (default $" DAEMON_SOCKET_ENV ", else\n"
            "                   " DAEMON_SOCKET_DEFAULT ")\n"
            "\n"
            "Exit status: 0 done (with --apply: applied, or nothing to apply), 1 the\n"
            "proposal or the policy file is not acceptable (see the message), 2 bad\n"
            "command line, 3 the data could not be read or hardend did not answer.\n");
}

static int parse_args(int argc, char **argv, struct propose_args *a)
{
        static const struct option options[] = {
            {"since", required_argument, NULL, 's'},
            {"accept-risky", no_argument, NULL, 'r'},
            {"recording", no_argument, NULL, 'R'},
            {"apply", no_argument, NULL, 'a'},
            {"json", no_argument, NULL, 'j'},
            {"input", required_argument, NULL, 'i'},
            {"all-events", no_argument, NULL, 'A'},
            {"profiles", required_argument, NULL, 'P'},
            {"socket", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        int c;

        a->profiles = default_profiles_dir();
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 's':
                        if (parse_time_point(optarg, now_realtime_usec(), &a->since_usec) < 0) {
                                fprintf(stderr, "hardenctl propose: --since: cannot read '%s'\n",
                                        render_escape(optarg));
                                return EXIT_USAGE;
                        }
                        a->has_since = true;
                        break;
                case 'r':
                        a->accept_risky = true;
                        break;
                case 'R':
                        a->recording = true;
                        break;
                case 'a':
                        a->apply = true;
                        break;
                case 'j':
                        a->json = true;
                        break;
                case 'i':
                        a->input = optarg;
                        break;
                case 'A':
                        a->all_events = true;
                        break;
                case 'P':
                        a->profiles = optarg;
                        break;
                case 'X':
                        if (daemon_socket_option("propose", optarg) < 0)
                                return EXIT_USAGE;
                        break;
                case 'h':
                        usage(stdout);
                        return EXIT_OK;
                default:
                        usage(stderr);
                        return EXIT_USAGE;
                }
        }
        if (optind + 1 != argc) {
                fprintf(stderr, "hardenctl propose: name one service\n");
                return EXIT_USAGE;
        }
        a->service = argv[optind];
        if (a->all_events && !a->input) {
                fprintf(stderr, "hardenctl propose: --all-events needs --input\n");
                return EXIT_USAGE;
        }
        if (a->input && a->recording) {
                fprintf(stderr, "hardenctl propose: --recording is the running hardend's; it "
                                "does not go with --input\n");
                return EXIT_USAGE;
        }
        return -1;
}

/* The offline proposal: the file's events through the pipeline. */
static int propose_offline(const struct propose_args *a, json_t **ret, char **ret_file)
{
        struct offline_events ev;
        const struct policy *pol;
        _cleanup_(proposal_freep) struct proposal *prop = NULL;
        _cleanup_free_ char *text = NULL;
        const struct observation *const *all;
        char err[1024];
        size_t size, n;
        int r, status;

        status = offline_events_read("propose", a->profiles, a->input, a->service, !a->all_events,
                                     a->since_usec, &ev);
        if (status != EXIT_OK)
                goto done;
        pol = policy_set_find(&ev.policies, a->service);
        r = read_file_bounded(AT_FDCWD, pol->source, POLICY_MAX_BYTES, &text, &size);
        if (r < 0) {
                fprintf(stderr, "hardenctl propose: cannot read %s: %s\n", pol->source,
                        strerror(-r));
                status = EXIT_ERROR;
                goto done;
        }
        all = observations_all(events_pipeline_observations(ev.pipeline), &n);
        r = proposal_build(pol, text, size, pol->source, all, n,
                           &(struct proposal_options){.accept_risky = a->accept_risky,
                                                      .all_events = a->all_events,
                                                      .since_usec = a->since_usec},
                           err, sizeof(err), &prop);
        if (r < 0) {
                fprintf(stderr, "hardenctl propose: %s\n", err);
                status = r == -EINVAL ? EXIT_PROBLEMS : EXIT_ERROR;
                goto done;
        }
        *ret = proposal_to_json(prop);
        *ret_file = strdup(pol->source);
        status = *ret && *ret_file ? EXIT_OK : EXIT_ERROR;
done:
        offline_events_done(&ev);
        return status;
}

static int propose_daemon(const struct propose_args *a, json_t **ret, char **ret_file)
{
        struct protocol_response resp = {0};
        json_t *args = json_pack("{s:s, s:b, s:b}", "service", a->service, "accept_risky",
                                 a->accept_risky, "recording", a->recording);
        int r;

        if (args && a->has_since)
                json_object_set_new(args, "since", json_integer((json_int_t)a->since_usec));
        r = daemon_call("propose", PROTOCOL_VERB_PROPOSE, args, DAEMON_TIMEOUT_READ_MS, &resp);
        if (r != EXIT_OK)
                return r;
        if (!resp.ok) {
                r = daemon_print_error("propose", &resp);
                protocol_response_done(&resp);
                return r;
        }
        *ret = json_incref(resp.result);
        *ret_file = strdup(json_string_value(json_object_get(resp.result, "policy_file")) ?: "");
        protocol_response_done(&resp);
        return *ret_file ? EXIT_OK : EXIT_ERROR;
}

/* Writes the proposal's new text over file, after checking that the file
 * is still the text the proposal was made from and that the new text is
 * a valid policy of the same service. The old text is kept beside it. */
static int apply(const json_t *prop, const char *file, FILE *out)
{
        const char *new_text = json_string_value(json_object_get(prop, "new_text"));
        const char *old_sha = json_string_value(json_object_get(prop, "old_sha256"));
        const char *service = json_string_value(json_object_get(prop, "service"));
        _cleanup_free_ char *old = NULL, *dir_copy = NULL, *base_copy = NULL, *backup = NULL;
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_close_ int dirfd = -1;
        char sha[SHA256_HEX_SIZE], stamp[32];
        struct diag_list dl;
        size_t size;
        time_t now = time(NULL);
        int r;

        if (!new_text || !old_sha || !service || !file[0]) {
                fprintf(stderr, "hardenctl propose: the proposal lacks what --apply needs\n");
                return EXIT_ERROR;
        }
        r = read_file_bounded(AT_FDCWD, file, POLICY_MAX_BYTES, &old, &size);
        if (r < 0) {
                fprintf(stderr, "hardenctl propose: cannot read %s: %s\n", file, strerror(-r));
                return EXIT_ERROR;
        }
        if (sha256_hex(old, size, sha) < 0 || strcmp(sha, old_sha) != 0) {
                fprintf(stderr,
                        "hardenctl propose: %s changed since the proposal was made; nothing "
                        "written (propose again)\n",
                        file);
                return EXIT_PROBLEMS;
        }
        dir_copy = strdup(file);
        base_copy = strdup(file);
        if (!dir_copy || !base_copy || diag_list_init(&dl, file) < 0)
                return EXIT_ERROR;
        dirfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0) {
                diag_list_done(&dl);
                fprintf(stderr, "hardenctl propose: cannot open the directory of %s: %m\n", file);
                return EXIT_ERROR;
        }
        r = policy_load_buffer(new_text, strlen(new_text), dirfd, &dl, &p);
        if (r < 0 || strcmp(p->service, service) != 0) {
                fprintf(stderr, "hardenctl propose: the proposed policy is not valid; nothing "
                                "written:\n");
                diag_print(&dl, stderr);
                diag_list_done(&dl);
                return EXIT_PROBLEMS;
        }
        diag_list_done(&dl);
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", gmtime(&now));
        if (asprintf(&backup, "%s.%s.bak", basename(base_copy), stamp) < 0)
                return EXIT_ERROR;
        r = write_file_atomic(dirfd, backup, old, size, 0644);
        if (r >= 0)
                r = write_file_atomic(dirfd, basename(base_copy), new_text, strlen(new_text), 0644);
        if (r >= 0)
                r = fsync_dir(dirfd);
        if (r < 0) {
                fprintf(stderr, "hardenctl propose: cannot write %s: %s\n", file, strerror(-r));
                return EXIT_ERROR;
        }
        fprintf(out, "applied: %s (the previous text is in %s)\n", file, backup);
        return EXIT_OK;
}

/* hardend watches its profiles, but a reload now gives an answer to show. */
static int reload_daemon(void)
{
        struct protocol_response resp = {0};
        int r = daemon_call("propose", PROTOCOL_VERB_RELOAD, NULL, DAEMON_TIMEOUT_SWITCH_MS, &resp);

        if (r != EXIT_OK)
                return r;
        if (!resp.ok)
                r = daemon_print_error("propose", &resp);
        else
                r = render_reload(stdout, resp.result) < 0 ? EXIT_ERROR : EXIT_OK;
        protocol_response_done(&resp);
        return r;
}

int verb_propose(int argc, char **argv)
{
        struct propose_args a = {0};
        _cleanup_free_ char *file = NULL;
        json_t *prop = NULL;
        int r;

        r = parse_args(argc, argv, &a);
        if (r >= 0)
                return r;
        r = a.input ? propose_offline(&a, &prop, &file) : propose_daemon(&a, &prop, &file);
        if (r != EXIT_OK)
                return r;
        if (a.json)
                r = daemon_print_json(prop, true);
        else
                r = proposal_print(stdout, prop) < 0 ? EXIT_ERROR : EXIT_OK;
        if (r == EXIT_OK && a.apply && json_is_true(json_object_get(prop, "changes_policy"))) {
                r = apply(prop, file, a.json ? stderr : stdout);
                if (r == EXIT_OK && !a.input && !a.json)
                        r = reload_daemon();
        }
        json_decref(prop);
        return r;
}
