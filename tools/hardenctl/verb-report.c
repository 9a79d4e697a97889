/* SPDX-License-Identifier: MIT */
/* hardenctl report [--service S] [--since TIME] [--format text|json|markdown|html]
 *                  [--output FILE] [--socket PATH]
 * hardenctl report --input FILE [--profiles DIR] [...]
 *
 * The security reviewer's report: per service, mode and readiness, the
 * denials and would-be denials ranked, workloads, findings and exposure,
 * and the pending proposal; from the running hardend, or offline from a
 * log file. docs/report.md describes the formats. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "base/time-util.h"
#include "daemon-client.h"
#include "daemon-render.h"
#include "offline-events.h"
#include "insight/proposal.h"
#include "insight/report-model.h"
#include "insight/report-render.h"
#include "policy/policy-load.h"
#include "verbs.h"

struct report_args {
        const char *service;
        uint64_t since_usec;
        bool has_since;
        enum report_format format;
        const char *output;
        const char *input;
        const char *profiles;
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: hardenctl report [--service S] [--since TIME]\n"
                "                        [--format text|json|markdown|html] [--output FILE]\n"
                "                        [--socket PATH]\n"
                "       hardenctl report --input FILE [--profiles DIR] [...]\n"
                "\n"
                "Per service: mode and readiness to enforce, denials and would-be denials\n"
                "ranked, the workloads with their findings and exposure score, and the pending\n"
                "proposal. From the running hardend, or offline from a log file.\n"
                "\n"
                "  --service S      only service S\n"
                "  --since TIME     only what was seen from TIME on\n"
                "  --format F       text (default), json, markdown, or html (one self-contained\n"
                "                   page with a timeline and a chart per service)\n"
                "  --output FILE    write there instead of standard output\n"
                "  --input FILE     offline, from an audit.log, kern.log or dmesg copy\n"
                "  --profiles DIR   with --input: the policies (default ./profiles if present,\n"
                "                   else /etc/hardend/profiles)\n"
                "  --socket PATH    hardend's control socket\n"
                "\n"
                "Exit status: 0 done, 2 bad command line, 3 the data could not be read or\n"
                "hardend did not answer.\n");
}

static int parse_args(int argc, char **argv, struct report_args *a)
{
        static const struct option options[] = {
            {"service", required_argument, NULL, 'S'},
            {"since", required_argument, NULL, 's'},
            {"format", required_argument, NULL, 'f'},
            {"output", required_argument, NULL, 'o'},
            {"input", required_argument, NULL, 'i'},
            {"profiles", required_argument, NULL, 'P'},
            {"socket", required_argument, NULL, 'X'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        int c, f;

        a->profiles = default_profiles_dir();
        a->format = REPORT_TEXT;
        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0) {
                switch (c) {
                case 'S':
                        a->service = optarg;
                        break;
                case 's':
                        if (parse_time_point(optarg, now_realtime_usec(), &a->since_usec) < 0) {
                                fprintf(stderr, "hardenctl report: --since: cannot read '%s'\n",
                                        render_escape(optarg));
                                return EXIT_USAGE;
                        }
                        a->has_since = true;
                        break;
                case 'f':
                        f = report_format_from_string(optarg);
                        if (f < 0) {
                                fprintf(stderr,
                                        "hardenctl report: --format: '%s' is not text, json, "
                                        "markdown or html\n",
                                        render_escape(optarg));
                                return EXIT_USAGE;
                        }
                        a->format = (enum report_format)f;
                        break;
                case 'o':
                        a->output = optarg;
                        break;
                case 'i':
                        a->input = optarg;
                        break;
                case 'P':
                        a->profiles = optarg;
                        break;
                case 'X':
                        if (daemon_socket_option("report", optarg) < 0)
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
        if (optind < argc) {
                fprintf(stderr, "hardenctl report: unexpected argument '%s'\n",
                        render_escape(argv[optind]));
                return EXIT_USAGE;
        }
        return -1;
}

/* The offline proposal's summary for the document, or null. */
static json_t *offline_proposal(const struct policy *pol, const struct observation *const *all,
                                size_t n, uint64_t since_usec)
{
        _cleanup_(proposal_freep) struct proposal *prop = NULL;
        _cleanup_free_ char *text = NULL;
        char err[512], summary[160];
        json_t *risky = json_array();
        size_t size;

        if (!risky ||
            read_file_bounded(AT_FDCWD, pol->source, POLICY_MAX_BYTES, &text, &size) < 0 ||
            proposal_build(pol, text, size, pol->source, all, n,
                           &(struct proposal_options){.since_usec = since_usec}, err, sizeof(err),
                           &prop) < 0) {
                json_decref(risky);
                return json_null();
        }
        for (size_t i = 0; i < prop->n_changes; i++)
                if (prop->changes[i].risk)
                        json_array_append_new(risky,
                                              json_pack("{s:s, s:s}", "what", prop->changes[i].what,
                                                        "note", prop->changes[i].risk));
        snprintf(summary, sizeof(summary), "%zu to allow, %zu to remove, %zu to narrow",
                 prop->n_by_action[PROPOSAL_ADD], prop->n_by_action[PROPOSAL_REMOVE],
                 prop->n_by_action[PROPOSAL_NARROW]);
        return json_pack("{s:I, s:I, s:s, s:s, s:o}", "changes",
                         (json_int_t)(prop->n_by_action[PROPOSAL_ADD] +
                                      prop->n_by_action[PROPOSAL_REMOVE] +
                                      prop->n_by_action[PROPOSAL_NARROW]),
                         "held_back", (json_int_t)prop->n_by_action[PROPOSAL_HELD_BACK], "summary",
                         summary, "diff", prop->diff, "risky", risky);
}

static int report_offline(const struct report_args *a, json_t **ret)
{
        struct offline_events ev;
        const struct observation *const *all;
        struct observations *o;
        char source[512];
        json_t *doc = NULL, *un;
        size_t n;
        int status;

        status = offline_events_read("report", a->profiles, a->input, a->service, false,
                                     a->since_usec, &ev);
        if (status != EXIT_OK)
                goto done;
        o = events_pipeline_observations(ev.pipeline);
        all = observations_all(o, &n);
        snprintf(source, sizeof(source), "file %s", a->input);
        doc = report_document(source, now_realtime_usec(), a->since_usec);
        for (size_t i = 0; doc && i < ev.policies.n; i++) {
                const struct policy *pol = ev.policies.items[i];
                json_t *svc;

                if (a->service && strcmp(a->service, pol->service) != 0)
                        continue;
                svc = report_service_json(o, pol->service, a->since_usec);
                if (!svc)
                        continue;
                /* Offline: no agent's mode, readiness, scan. */
                json_object_set_new(svc, "mode", json_null());
                json_object_set_new(svc, "policy", json_string(pol->source));
                json_object_set_new(svc, "readiness", json_null());
                json_object_set_new(svc, "workloads", json_null());
                json_object_set_new(svc, "findings", json_null());
                json_object_set_new(svc, "proposal", offline_proposal(pol, all, n, a->since_usec));
                json_array_append_new(json_object_get(doc, "services"), svc);
        }
        un = report_service_json(o, NULL, a->since_usec);
        if (doc && un) {
                json_t *c = json_object_get(un, "counts");

                json_object_set_new(
                    doc, "unattributed",
                    json_pack("{s:O, s:I}", "events", json_object_get(c, "events"), "denials",
                              json_integer_value(json_object_get(c, "denials")) +
                                  json_integer_value(json_object_get(c, "would_be_denials"))));
        }
        json_decref(un);
        if (doc)
                json_object_set_new(
                    doc, "agent",
                    json_pack("{s:I, s:I, s:I}", "lost", 0, "overruns", 0, "malformed",
                              (json_int_t)events_pipeline_stats(ev.pipeline)->malformed));
        *ret = doc;
        status = doc ? EXIT_OK : EXIT_ERROR;
done:
        offline_events_done(&ev);
        return status;
}

static int report_daemon(const struct report_args *a, json_t **ret)
{
        struct protocol_response resp = {0};
        json_t *args = json_object();
        int r;

        if (args && a->service)
                json_object_set_new(args, "service", json_string(a->service));
        if (args && a->has_since)
                json_object_set_new(args, "since", json_integer((json_int_t)a->since_usec));
        r = daemon_call("report", PROTOCOL_VERB_REPORT, args, DAEMON_TIMEOUT_READ_MS, &resp);
        if (r != EXIT_OK)
                return r;
        if (!resp.ok) {
                r = daemon_print_error("report", &resp);
                protocol_response_done(&resp);
                return r;
        }
        *ret = json_incref(resp.result);
        protocol_response_done(&resp);
        return EXIT_OK;
}

int verb_report(int argc, char **argv)
{
        struct report_args a = {0};
        json_t *doc = NULL;
        char err[256];
        FILE *f = stdout;
        int r;

        r = parse_args(argc, argv, &a);
        if (r >= 0)
                return r;
        r = a.input ? report_offline(&a, &doc) : report_daemon(&a, &doc);
        if (r != EXIT_OK)
                return r;
        if (a.output && !(f = fopen(a.output, "we"))) {
                fprintf(stderr, "hardenctl report: cannot write %s: %m\n", a.output);
                json_decref(doc);
                return EXIT_ERROR;
        }
        r = report_render(doc, a.format, f, err, sizeof(err));
        if (r < 0)
                fprintf(stderr, "hardenctl report: %s\n", err[0] ? err : strerror(-r));
        if (f != stdout && fclose(f) != 0 && r >= 0) {
                fprintf(stderr, "hardenctl report: cannot write %s: %m\n", a.output);
                r = -EIO;
        }
        json_decref(doc);
        return r < 0 ? EXIT_ERROR : EXIT_OK;
}
