/* SPDX-License-Identifier: MIT */
/* libFuzzer target for a log file given to `hardenctl events --input`:
 * any bytes go through the file source's line framing, the record parsers,
 * de-duplication, attribution by rule (the shipped policies when run from
 * the source tree), ABEND linking, observations with a small key cap, and
 * both printers. Every counter must add up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "events/event-print.h"
#include "events/events-pipeline.h"
#include "sources/file-source.h"
#include "events/observations-print.h"
#include "policy/policy-set.h"

static struct policy_set policies;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool loaded;
        struct events_pipeline *p;
        struct event_printer *text, *json;
        const struct events_pipeline_stats *st;
        struct file_source_stats fs;
        FILE *null = fopen("/dev/null", "w");
        int fd = memfd_create("fuzz-log", MFD_CLOEXEC);
        uint64_t parsed_or_not;

        if (!loaded) {
                (void)policy_set_load_dir("profiles", &policies, NULL, NULL);
                loaded = true;
        }
        if (!null || fd < 0 || write(fd, data, size) != (ssize_t)size ||
            lseek(fd, 0, SEEK_SET) != 0)
                abort();
        if (event_printer_new(null, false, &text) < 0 || event_printer_new(null, true, &json) < 0)
                abort();
        if (events_pipeline_new(&(struct events_pipeline_config){.policies = &policies,
                                                                 .proc_fd = -1,
                                                                 .root_fd = -1,
                                                                 .max_keys = 8,
                                                                 .status_events = true,
                                                                 .sink = event_printer_sink,
                                                                 .userdata = text},
                                &p) < 0)
                abort();
        if (file_source_read_fd(fd, "fuzz.log", events_pipeline_raw_fn, p, &fs) < 0)
                abort();
        st = events_pipeline_stats(p);
        parsed_or_not = st->parsed + st->ignored + st->malformed;
        if (parsed_or_not != st->records[AUDIT_SOURCE_FILE] ||
            st->records[AUDIT_SOURCE_FILE] + fs.too_long != fs.lines ||
            st->duplicates + st->early + st->filtered + st->delivered != st->parsed)
                abort();
        if (observations_print(null, events_pipeline_observations(p), false) < 0 ||
            observations_print(null, events_pipeline_observations(p), true) < 0)
                abort();
        events_pipeline_free(p);
        event_printer_free(text);
        event_printer_free(json);
        close(fd);
        fclose(null);
        return 0;
}
