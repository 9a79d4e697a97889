/* SPDX-License-Identifier: MIT */
/* Policy loading cost. Baseline, measured in the same run: libyaml parsing
 * the same bytes to events and discarding them, which is the least any YAML
 * policy reader must do. The figure is the full load (bounded tree, every
 * section, name look-ups in libseccomp/libcap, cross-checks) as a ratio of
 * that baseline, plus absolute times for reference. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "bench-util.h"
#include "base/fileio.h"
#include "policy/policy-load.h"

#define ROUNDS     7
#define ITERATIONS 300

static void bare_parse(const char *data, size_t size)
{
        yaml_parser_t parser;
        yaml_event_t event;
        bool done = false;

        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
        while (!done) {
                if (!yaml_parser_parse(&parser, &event))
                        abort();
                done = event.type == YAML_STREAM_END_EVENT;
                yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
}

static void full_load(const char *data, size_t size)
{
        struct diag_list d;
        struct policy *p = NULL;

        diag_list_init(&d, "bench");
        if (policy_load_buffer(data, size, AT_FDCWD, &d, &p) < 0) {
                diag_print(&d, stderr);
                abort();
        }
        diag_list_done(&d);
        policy_free(p);
}

/* Median over ROUNDS of the mean time per call over ITERATIONS calls. */
static double measure(void (*fn)(const char *, size_t), const char *data, size_t size)
{
        double rounds[ROUNDS];

        for (int r = 0; r < ROUNDS; r++) {
                double start = now_ns();

                for (int i = 0; i < ITERATIONS; i++)
                        fn(data, size);
                rounds[r] = (now_ns() - start) / ITERATIONS;
        }
        return median(rounds, ROUNDS);
}

int main(void)
{
        static const char *const files[] = {"profiles/api.yaml", "profiles/frontend.yaml",
                                            "profiles/worker.yaml"};
        double cold_start;

        printf("bench-policy: loading and validating a service policy\n");
        for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
                char *data;
                size_t size;
                double bare, full;

                if (read_file_bounded(AT_FDCWD, files[i], POLICY_MAX_BYTES, &data, &size) < 0) {
                        fprintf(stderr, "cannot read %s (run from the source tree)\n", files[i]);
                        return 1;
                }
                if (i == 0) {
                        /* The first load builds the syscall and capability
                         * name tables once per process. */
                        cold_start = now_ns();
                        full_load(data, size);
                        printf("  first load in a process (builds name tables): %.0f us\n",
                               (now_ns() - cold_start) / 1e3);
                }
                bare = measure(bare_parse, data, size);
                full = measure(full_load, data, size);
                printf("  %-24s %5zu bytes  load %7.1f us  libyaml bare parse %6.1f us  "
                       "ratio %.2fx\n",
                       files[i], size, full / 1e3, bare / 1e3, full / bare);
                free(data);
        }
        return 0;
}
