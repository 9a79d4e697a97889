/* SPDX-License-Identifier: MIT */
#include "offline-events.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon-render.h"
#include "sources/file-source.h"
#include "verbs.h"

static void print_invalid(struct diag_list *d, void *userdata)
{
        diag_print(d, stderr);
}

int offline_events_read(const char *verb, const char *profiles, const char *input,
                        const char *service, bool service_only, uint64_t since_usec,
                        struct offline_events *ret)
{
        struct file_source_stats fs;
        int r;

        *ret = (struct offline_events){0};
        r = policy_set_load_dir(profiles, &ret->policies, print_invalid, NULL);
        if (r < 0) {
                fprintf(stderr, "hardenctl %s: cannot read %s: %s\n", verb, profiles, strerror(-r));
                return EXIT_ERROR;
        }
        if (service && !policy_set_find(&ret->policies, service)) {
                fprintf(stderr, "hardenctl %s: no valid policy for '%s' in %s\n", verb,
                        render_escape(service), profiles);
                return EXIT_USAGE;
        }
        r = events_pipeline_new(
            &(struct events_pipeline_config){
                .policies = &ret->policies,
                .proc_fd = -1,
                .root_fd = -1,
                .service = service_only ? service : NULL,
                .since_usec = since_usec,
            },
            &ret->pipeline);
        if (r >= 0)
                r = file_source_read(input, events_pipeline_raw_fn, ret->pipeline, &fs);
        if (r < 0) {
                fprintf(stderr, "hardenctl %s: cannot read %s: %s\n", verb,
                        r == -ENOMEM ? "memory" : input, strerror(-r));
                return EXIT_ERROR;
        }
        return EXIT_OK;
}

void offline_events_done(struct offline_events *o)
{
        events_pipeline_free(o->pipeline);
        policy_set_done(&o->policies);
        *o = (struct offline_events){0};
}
