/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the agent's configuration loader (YAML tree + every
 * key). Beyond "no crash, no leak, no UB" it checks two promises: a failed
 * load leaves the output untouched, and a configuration that loads prints
 * to text that loads again and prints the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/config.h"

static char *print_config(const struct hardend_config *c, size_t *len)
{
        char *buf = NULL;
        FILE *f = open_memstream(&buf, len);

        if (!f)
                abort();
        if (config_print(c, f) < 0)
                abort();
        fclose(f);
        return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct hardend_config c, untouched, again;
        struct diag_list d;
        char *first, *second;
        size_t len1, len2;

        memset(&c, 0x5a, sizeof(c));
        memcpy(&untouched, &c, sizeof(c));
        if (diag_list_init(&d, "fuzz") < 0)
                return 0;
        if (config_load_buffer((const char *)data, size, &d, &c) < 0) {
                if (memcmp(&c, &untouched, sizeof(c)) != 0)
                        abort();
                diag_list_done(&d);
                return 0;
        }
        if (diag_has_errors(&d))
                abort();
        diag_list_done(&d);

        first = print_config(&c, &len1);
        if (diag_list_init(&d, "printed") < 0)
                abort();
        if (config_load_buffer(first, len1, &d, &again) < 0) {
                diag_print(&d, stderr);
                fprintf(stderr, "printed configuration does not load:\n%s\n", first);
                abort();
        }
        second = print_config(&again, &len2);
        if (len1 != len2 || memcmp(first, second, len1) != 0 || again.read_gid != c.read_gid) {
                fprintf(stderr, "print is not stable:\n%s\n---\n%s\n", first, second);
                abort();
        }
        free(first);
        free(second);
        diag_list_done(&d);
        return 0;
}
