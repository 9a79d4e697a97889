/* SPDX-License-Identifier: MIT */
/* AppArmor backend cost, as ratios against baselines measured in the same
 * run:
 *  - rendering a policy as a profile, against printing the same policy
 *    canonically (policy_print: the same walk over the same model, text out);
 *  - compiling the rendered profile with apparmor_parser (-Q -K check, and
 *    -S to a binary policy), against compiling a hand-written profile of
 *    the same size: the same abi and includes, then plain literal file rules
 *    up to the same number of bytes. That is the floor the parser sets for a
 *    profile of that size; the ratio is what the policy's globs and rule mix
 *    cost on top. The parser's fixed cost (an empty profile with the same
 *    includes) is printed for reference.
 * Load/replace in a kernel is timed by the qemu scenario (tests/vm). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench-util.h"
#include "apparmor/apparmor-compile.h"
#include "apparmor/apparmor-render.h"
#include "policy/policy-load.h"
#include "policy/policy-print.h"

#define ROUNDS            7
#define RENDER_ITERATIONS 2000
#define COMPILE_RUNS      15

static void do_render(const struct policy *p)
{
        struct apparmor_profile *prof = NULL;

        if (apparmor_render(p, POLICY_MODE_ENFORCE, NULL, &prof) < 0)
                abort();
        apparmor_profile_free(prof);
}

static void do_print(const struct policy *p)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        if (!f || policy_print(p, f) < 0)
                abort();
        fclose(f);
        free(buf);
}

/* Median over ROUNDS of the mean time per call over RENDER_ITERATIONS. */
static double per_call(void (*fn)(const struct policy *), const struct policy *p)
{
        double rounds[ROUNDS];

        for (int r = 0; r < ROUNDS; r++) {
                double start = now_ns();

                for (int i = 0; i < RENDER_ITERATIONS; i++)
                        fn(p);
                rounds[r] = (now_ns() - start) / RENDER_ITERATIONS;
        }
        return median(rounds, ROUNDS);
}

static double compile_once(const char *text, size_t size, bool binary)
{
        struct apparmor_binary bin = {0};
        struct apparmor_parser_error e = {0};
        double start = now_ns(), t;

        if (apparmor_compile(NULL, text, size, &e, binary ? &bin : NULL) < 0) {
                fprintf(stderr, "apparmor_parser refused a benchmark profile: %s\n%s\n",
                        e.message ? e.message : "?", text);
                exit(1);
        }
        t = now_ns() - start;
        apparmor_binary_done(&bin);
        return t;
}

/* Median wall time of one apparmor_parser run over COMPILE_RUNS, for a and
 * b measured alternately, so that a machine busy with something else slows
 * both alike. */
static void compile_pair(const char *a, const char *b, bool binary, double *ret_a, double *ret_b)
{
        double ta[COMPILE_RUNS], tb[COMPILE_RUNS];

        for (int r = 0; r < COMPILE_RUNS; r++) {
                ta[r] = compile_once(a, strlen(a), binary);
                tb[r] = compile_once(b, strlen(b), binary);
        }
        *ret_a = median(ta, COMPILE_RUNS);
        *ret_b = median(tb, COMPILE_RUNS);
}

/* The hand-written floor: the same preamble and includes, then literal
 * rules "/hand/written/NNNNNN r," until the profile is `size` bytes. */
static char *floor_profile(bool include_base, size_t size, bool empty)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        unsigned n = 0;

        if (!f)
                abort();
        fprintf(f, "abi <abi/3.0>,\ninclude <tunables/global>\nprofile bench-floor {\n%s",
                include_base ? "  include <abstractions/base>\n" : "");
        fflush(f);
        while (!empty && len + 30 < size) {
                fprintf(f, "  \"/hand/written/%06u\" r,\n", n++);
                fflush(f);
        }
        fputs("}\n", f);
        fclose(f);
        return buf;
}

int main(void)
{
        static const char *const services[] = {"api", "frontend", "worker"};

        if (access("/usr/sbin/apparmor_parser", X_OK) != 0 &&
            access("/sbin/apparmor_parser", X_OK) != 0) {
                fprintf(stderr, "bench-apparmor: apparmor_parser is not installed\n");
                return 1;
        }
        printf("bench-apparmor: rendering policies as AppArmor profiles, and compiling them\n");
        printf("  render (enforce mode) vs policy_print of the same policy, median of %d x %d\n",
               ROUNDS, RENDER_ITERATIONS);
        for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
                char path[64];
                struct diag_list d;
                struct policy *p = NULL;
                double render, print;

                snprintf(path, sizeof(path), "profiles/%s.yaml", services[i]);
                diag_list_init(&d, path);
                if (policy_load_file(path, &d, &p) < 0) {
                        diag_print(&d, stderr);
                        return 1;
                }
                diag_list_done(&d);
                render = per_call(do_render, p);
                print = per_call(do_print, p);
                printf("  %-9s render %6.1f us  print %6.1f us  ratio %.2fx\n", services[i],
                       render / 1e3, print / 1e3, render / print);
                policy_free(p);
        }

        printf("  apparmor_parser, median of %d alternating runs: the rendered profile vs a "
               "hand-written one of the same size\n",
               COMPILE_RUNS);
        for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
                char path[64];
                struct diag_list d;
                struct policy *p = NULL;
                struct apparmor_profile *prof = NULL;
                char *floor, *fixed;
                double check, check_floor, bin, bin_floor, check_fixed, check_fixed2;

                snprintf(path, sizeof(path), "profiles/%s.yaml", services[i]);
                diag_list_init(&d, path);
                if (policy_load_file(path, &d, &p) < 0 ||
                    apparmor_render(p, POLICY_MODE_ENFORCE, &d, &prof) < 0) {
                        diag_print(&d, stderr);
                        return 1;
                }
                diag_list_done(&d);
                floor = floor_profile(p->apparmor.include_base, prof->size, false);
                fixed = floor_profile(p->apparmor.include_base, 0, true);
                compile_pair(prof->text, floor, false, &check, &check_floor);
                compile_pair(prof->text, floor, true, &bin, &bin_floor);
                compile_pair(fixed, fixed, false, &check_fixed, &check_fixed2);
                printf("  %-9s %5zu bytes  -Q -K %6.1f ms (floor %6.1f ms, ratio %.2fx)  "
                       "-S %6.1f ms (floor %6.1f ms, ratio %.2fx)  includes alone %6.1f ms\n",
                       services[i], prof->size, check / 1e6, check_floor / 1e6, check / check_floor,
                       bin / 1e6, bin_floor / 1e6, bin / bin_floor, check_fixed / 1e6);
                free(floor);
                free(fixed);
                apparmor_profile_free(prof);
                policy_free(p);
        }
        return 0;
}
