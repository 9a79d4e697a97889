/* SPDX-License-Identifier: MIT */
/* hardenctl exec --service SVC [--mode monitor|enforce] [--profiles DIR] -- CMD ARGS...
 *
 * Sets no_new_privs, asks for the service's AppArmor profile on exec
 * (aa_change_onexec; the profile must be loaded, and its mode is the loaded
 * one), loads the service's seccomp filter (built for this machine's
 * architecture and its compat ABIs) and execs CMD: how a systemd unit's
 * ExecStart= or a container entrypoint runs a service under the agent's box
 * without a container runtime. In enforce mode refusals are audited
 * (SECCOMP_FILTER_FLAG_LOG). On a kernel without AppArmor it says so once
 * and goes on with seccomp alone; a kernel with AppArmor but without the
 * profile loaded is refused (--no-apparmor skips it deliberately). */
#include <sys/prctl.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "apparmor/apparmor-exec.h"
#include "apparmor/apparmor-kernel.h"
#include "policy/policy.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "verbs.h"

static const char usage_text[] =
    "Usage: hardenctl exec --service SVC [--mode monitor|enforce] [--profiles DIR] -- CMD "
    "[ARGS...]\n"
    "\n"
    "Runs CMD with no_new_privs set and the seccomp filter of SVC loaded.\n"
    "  --service SVC                 service name, or a policy file\n"
    "  --mode monitor|enforce        override the policy's mode (seccomp; the AppArmor\n"
    "                                profile runs in the mode it was loaded in)\n"
    "  --no-apparmor                 do not ask for the AppArmor profile\n"
    "  --profiles DIR                where SVC.yaml is looked up\n"
    "                                (default: ./profiles if present, else "
    "/etc/hardend/profiles)\n";

int verb_exec(int argc, char **argv)
{
        static const struct option options[] = {
            {"service", required_argument, NULL, 's'},  {"mode", required_argument, NULL, 'm'},
            {"profiles", required_argument, NULL, 'p'}, {"no-apparmor", no_argument, NULL, 'A'},
            {"help", no_argument, NULL, 'h'},           {0},
        };
        _cleanup_policy_ struct policy *p = NULL;
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        const char *service = NULL, *profiles = NULL;
        struct seccomp_error err = {{0}};
        struct oci_error oerr = {{0}};
        bool apparmor = true;
        int mode = -1, c, r;

        optind = 1;
        /* "+": stop at the first non-option, CMD's options are its own. */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1)
                switch (c) {
                case 's':
                        service = optarg;
                        break;
                case 'm':
                        mode = parse_mode_arg("exec", optarg);
                        if (mode < 0)
                                return EXIT_USAGE;
                        break;
                case 'p':
                        profiles = optarg;
                        break;
                case 'A':
                        apparmor = false;
                        break;
                case 'h':
                        fputs(usage_text, stdout);
                        return EXIT_OK;
                default:
                        return EXIT_USAGE;
                }
        if (!service) {
                fprintf(stderr, "hardenctl exec: --service is required\n");
                return EXIT_USAGE;
        }
        if (optind >= argc) {
                fprintf(stderr, "hardenctl exec: no command given (hardenctl exec --service SVC "
                                "-- CMD ...)\n");
                return EXIT_USAGE;
        }
        r = load_policy_arg("exec", service, profiles ? profiles : default_profiles_dir(), &p);
        if (r != EXIT_OK)
                return r;
        r = seccomp_policy_load_base(p, &oerr, &base);
        if (r < 0) {
                fprintf(stderr, "%s: seccomp base '%s': %s\n", p->source, p->seccomp.base,
                        oerr.text);
                return EXIT_PROBLEMS;
        }
        r = seccomp_policy_filter(p, base, mode >= 0 ? (enum policy_mode)mode : p->mode, &err,
                                  &ctx);
        if (r < 0) {
                fprintf(stderr, "hardenctl exec: cannot build the filter of '%s': %s\n", p->service,
                        err.text[0] ? err.text : strerror(-r));
                return EXIT_PROBLEMS;
        }
        /* AppArmor first: its hook writes /proc/self/attr/apparmor/exec,
         * which the seccomp filter may refuse. */
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                fprintf(stderr, "hardenctl exec: cannot set no_new_privs: %m\n");
                return EXIT_ERROR;
        }
        r = apparmor ? apparmor_exec_service(p->service) : 0;
        if (apparmor_unavailable(r))
                fprintf(stderr,
                        "hardenctl exec: this kernel has no AppArmor: '%s' runs without "
                        "the profile hardend-%s (seccomp only)\n",
                        argv[optind], p->service);
        else if (r == -ENOENT) {
                fprintf(stderr,
                        "hardenctl exec: the AppArmor profile hardend-%s is not loaded: "
                        "load it with 'hardenctl apparmor load %s', or pass "
                        "--no-apparmor\n",
                        p->service, p->service);
                return EXIT_PROBLEMS;
        } else if (r < 0) {
                fprintf(stderr, "hardenctl exec: cannot confine with hardend-%s: %s\n", p->service,
                        strerror(-r));
                return EXIT_ERROR;
        }
        if (fflush(NULL) != 0)
                return EXIT_ERROR;
        r = seccomp_filter_apply(ctx);
        if (r < 0) {
                fprintf(stderr, "hardenctl exec: cannot load the seccomp filter: %s\n",
                        strerror(-r));
                return EXIT_ERROR;
        }
        execvp(argv[optind], argv + optind);
        /* The filter is in place: this message itself goes through it. */
        fprintf(stderr, "hardenctl exec: cannot run '%s': %m\n", argv[optind]);
        return errno == ENOENT ? 127 : 126;
}
