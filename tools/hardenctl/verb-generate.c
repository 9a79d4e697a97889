/* SPDX-License-Identifier: MIT */
/* hardenctl generate [--mode monitor|enforce] [--out DIR] [--profiles DIR]
 *                    [--runtime-flags auto|yes|no] [--runtime NAME] [--threads N]
 *                    SERVICE|FILE...
 *
 * Per service: <svc>.seccomp.json (Docker/OCI), <svc>.bpf, <svc>.pfc and
 * <svc>.service.d/hardend.conf, each written atomically. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apparmor/apparmor-render.h"
#include "base/fileio.h"
#include "base/macro.h"
#include "base/parse-util.h"
#include "policy/policy.h"
#include "seccomp/seccomp-generate.h"
#include "seccomp/seccomp-runtime.h"
#include "verbs.h"

static const char usage_text[] =
    "Usage: hardenctl generate [OPTIONS] SERVICE|FILE...\n"
    "\n"
    "Writes, per service, into the output directory:\n"
    "  SVC.seccomp.json              Docker/OCI seccomp profile\n"
    "  SVC.bpf, SVC.pfc              the libseccomp filter and its readable form\n"
    "  SVC.service.d/hardend.conf    systemd drop-in\n"
    "  SVC.apparmor                  AppArmor profile hardend-SVC (complain in monitor mode)\n"
    "\n"
    "Options:\n"
    "  --mode monitor|enforce        override the policy's mode\n"
    "  --out DIR                     output directory (default: .)\n"
    "  --profiles DIR                where SERVICE.yaml is looked up\n"
    "                                (default: ./profiles if present, else /etc/hardend/profiles)\n"
    "  --runtime-flags auto|yes|no   put SECCOMP_FILTER_FLAG_LOG into enforce-mode profiles\n"
    "                                so refusals are audited: auto asks the installed\n"
    "                                runtimes (runc, crun) whether they accept it (default)\n"
    "  --runtime NAME                with auto: ask only this runtime (name or path)\n"
    "  --threads N                   build a service's architectures on up to N threads\n"
    "                                (default: one per CPU this process may use)\n";

enum flags_choice {
        FLAGS_AUTO,
        FLAGS_YES,
        FLAGS_NO,
};

/* auto: every installed runtime asked must accept the flag, since a
 * profile with flags fails to start containers on one that does not. */
static bool detect_flags(const char *only, FILE *report)
{
        static const char *const known[] = {"runc", "crun"};
        const char *const *names = only ? &only : known;
        size_t n = only ? 1 : ELEMENTSOF(known);
        bool any = false, all = true;

        for (size_t i = 0; i < n; i++) {
                struct seccomp_runtime rt;
                char line[512];

                if (seccomp_runtime_probe(names[i], &rt) < 0) {
                        if (only)
                                fprintf(report, "runtime %s: not found; profiles carry no flags\n",
                                        only);
                        continue;
                }
                any = true;
                all = all && rt.flag_log;
                fprintf(report, "runtime %s\n", seccomp_runtime_describe(&rt, line, sizeof(line)));
        }
        if (!any && !only)
                fprintf(report, "runtime: neither runc nor crun found; profiles carry no flags\n");
        return any && all;
}

static void summarize(const struct policy *p, const struct seccomp_artifacts *a, bool flags,
                      const char *out)
{
        const struct seccomp_ruleset *rs = a->rules;
        size_t allowed = 0, conditional = 0, refused = 0;
        char def[64];

        for (size_t i = 0; i < rs->n_rules; i++) {
                const struct seccomp_rule *r = &rs->rules[i];
                bool first = i == 0 || strcmp(rs->rules[i - 1].syscall, r->syscall) != 0;

                if (!first)
                        continue;
                if (r->n_args == 0 && r->action.act == SECCOMP_ACT_ALLOW)
                        allowed++;
                else if (r->n_args != 0)
                        conditional++;
                else
                        refused++;
        }
        printf("%s: wrote %s/%s.{seccomp.json,bpf,pfc,apparmor} and "
               "%s/%s.service.d/hardend.conf\n",
               p->service, out, p->service, out, p->service);
        printf("  mode %s: %zu syscalls allowed, %zu under argument checks, %zu with their own "
               "rule, default %s\n",
               policy_mode_to_string(rs->mode), allowed, conditional, refused,
               seccomp_action_describe(rs->default_action, def, sizeof(def)));
        if (rs->n_unknown_names > 0)
                printf("  left out %zu name(s) of the imported base that libseccomp %u.%u.%u "
                       "knows on no architecture\n",
                       rs->n_unknown_names, seccomp_version()->major, seccomp_version()->minor,
                       seccomp_version()->micro);
        if (rs->mode == POLICY_MODE_ENFORCE)
                printf("  enforced refusals audited: in containers %s; under hardenctl exec yes; "
                       "under systemd no\n",
                       flags ? "yes (SECCOMP_FILTER_FLAG_LOG in the profile)"
                             : "no (profile without flags)");
}

/* SVC.apparmor beside the seccomp files: rendered from the same policy in
 * the same mode, so one generate run gives a service's whole box. */
static int write_apparmor(int outfd, const struct policy *p, enum policy_mode mode)
{
        _cleanup_apparmor_profile_ struct apparmor_profile *prof = NULL;
        _cleanup_free_ char *name = NULL;
        struct diag_list d;
        int r;

        if (diag_list_init(&d, p->source ? p->source : p->service) < 0)
                return EXIT_ERROR;
        r = apparmor_render(p, mode, &d, &prof);
        if (r < 0) {
                diag_print(&d, stderr);
                if (d.n == 0)
                        fprintf(stderr, "%s: cannot render the AppArmor profile: %s\n", p->service,
                                strerror(-r));
                diag_list_done(&d);
                return r == -ENOMEM ? EXIT_ERROR : EXIT_PROBLEMS;
        }
        diag_list_done(&d);
        if (asprintf(&name, "%s.apparmor", p->service) < 0)
                return EXIT_ERROR;
        r = write_file_atomic(outfd, name, prof->text, prof->size, 0644);
        if (r < 0) {
                fprintf(stderr, "hardenctl generate: cannot write %s: %s\n", name, strerror(-r));
                return EXIT_ERROR;
        }
        return EXIT_OK;
}

int verb_generate(int argc, char **argv)
{
        static const struct option options[] = {
            {"mode", required_argument, NULL, 'm'},
            {"out", required_argument, NULL, 'o'},
            {"profiles", required_argument, NULL, 'p'},
            {"runtime-flags", required_argument, NULL, 'f'},
            {"runtime", required_argument, NULL, 'r'},
            {"threads", required_argument, NULL, 't'},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        const char *out = ".", *profiles = NULL, *runtime = NULL;
        enum flags_choice flags_choice = FLAGS_AUTO;
        int mode = -1, c, status = EXIT_OK;
        _cleanup_close_ int outfd = -1;
        bool flags = false;
        uint64_t threads = seccomp_build_threads();

        optind = 1;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
                switch (c) {
                case 'm':
                        mode = parse_mode_arg("generate", optarg);
                        if (mode < 0)
                                return EXIT_USAGE;
                        break;
                case 'o':
                        out = optarg;
                        break;
                case 'p':
                        profiles = optarg;
                        break;
                case 'f':
                        if (strcmp(optarg, "auto") == 0)
                                flags_choice = FLAGS_AUTO;
                        else if (strcmp(optarg, "yes") == 0)
                                flags_choice = FLAGS_YES;
                        else if (strcmp(optarg, "no") == 0)
                                flags_choice = FLAGS_NO;
                        else {
                                fprintf(stderr,
                                        "hardenctl generate: --runtime-flags must be "
                                        "auto, yes or no, not '%s'\n",
                                        optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'r':
                        runtime = optarg;
                        break;
                case 't':
                        if (safe_atou64_max(optarg, 1024, &threads) < 0 || threads == 0) {
                                fprintf(
                                    stderr,
                                    "hardenctl generate: --threads must be 1 to 1024, not '%s'\n",
                                    optarg);
                                return EXIT_USAGE;
                        }
                        break;
                case 'h':
                        fputs(usage_text, stdout);
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                fprintf(stderr, "hardenctl generate: no service or policy file given\n");
                return EXIT_USAGE;
        }
        if (!profiles)
                profiles = default_profiles_dir();
        outfd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (outfd < 0) {
                fprintf(stderr, "hardenctl generate: cannot open output directory '%s': %m\n", out);
                return EXIT_ERROR;
        }
        if (flags_choice == FLAGS_AUTO)
                flags = detect_flags(runtime, stdout);
        else
                flags = flags_choice == FLAGS_YES;

        for (int i = optind; i < argc; i++) {
                _cleanup_policy_ struct policy *p = NULL;
                _cleanup_oci_profile_ struct oci_profile *base = NULL;
                struct seccomp_artifacts a;
                struct seccomp_error err = {{0}};
                struct oci_error oerr = {{0}};
                struct seccomp_generate_options o = {.runtime_flags = flags,
                                                     .threads = (unsigned)threads};
                int r;

                r = load_policy_arg("generate", argv[i], profiles, &p);
                if (r != EXIT_OK) {
                        status = status == EXIT_ERROR ? status : r;
                        continue;
                }
                r = seccomp_policy_load_base(p, &oerr, &base);
                if (r < 0) {
                        fprintf(stderr, "%s: seccomp base '%s': %s\n", p->source, p->seccomp.base,
                                oerr.text);
                        status = r == -ENOMEM ? EXIT_ERROR : EXIT_PROBLEMS;
                        continue;
                }
                o.mode = mode >= 0 ? (enum policy_mode)mode : p->mode;
                r = seccomp_generate(p, base, &o, &err, &a);
                if (r < 0) {
                        fprintf(stderr, "%s: cannot generate the seccomp filter: %s\n", p->source,
                                err.text[0] ? err.text : strerror(-r));
                        status = r == -ENOMEM ? EXIT_ERROR : EXIT_PROBLEMS;
                        continue;
                }
                r = write_apparmor(outfd, p, o.mode);
                if (r != EXIT_OK) {
                        status = r;
                        seccomp_artifacts_done(&a);
                        continue;
                }
                r = seccomp_artifacts_write(outfd, p->service, &a);
                if (r < 0) {
                        fprintf(stderr, "hardenctl generate: cannot write %s/%s.*: %s\n", out,
                                p->service, strerror(-r));
                        status = EXIT_ERROR;
                } else
                        summarize(p, &a, flags, out);
                seccomp_artifacts_done(&a);
        }
        if (fflush(stdout) != 0)
                return EXIT_ERROR;
        return status;
}
