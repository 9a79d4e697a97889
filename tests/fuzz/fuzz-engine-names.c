/* SPDX-License-Identifier: MIT */
/* libFuzzer target for engine metadata: containers/storage's
 * containers.json and docker's config.v2.json (first byte picks). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/engine-names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct engine_names n = {0};
        char *name = NULL, *owned = NULL;

        if (size < 1)
                return 0;
        if (data[0] & 1) {
                if (engine_storage_parse((const char *)data + 1, size - 1, &n) == 0) {
                        for (size_t i = 1; i < n.n; i++)
                                if (strcmp(n.items[i - 1].id, n.items[i].id) > 0)
                                        abort();
                        for (size_t i = 0; i < n.n; i++)
                                if (!engine_names_find(&n, -1, n.items[i].id, &owned))
                                        abort();
                }
                engine_names_done(&n);
        } else if (engine_docker_name_parse((const char *)data + 1, size - 1, &name) == 0) {
                if (!name[0] || name[0] == '/' || strlen(name) > ENGINE_MAX_NAME)
                        abort();
                free(name);
        }
        return 0;
}
