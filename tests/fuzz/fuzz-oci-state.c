/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the OCI runtime state: runc's state.json, crun's
 * status, a bundle's config.json (the first byte picks which). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/oci-state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct oci_state s;
        struct oci_labels l;
        const char *text = (const char *)data + 1;

        if (size < 1)
                return 0;
        size--;
        switch (data[0] % 3) {
        case 0:
                if (oci_runc_state_parse(text, size, &s) == 0) {
                        if (s.init_pid <= 0 || !s.id || (s.bundle && s.bundle[0] != '/') ||
                            s.labels.n > OCI_MAX_LABELS || oci_labels_get(&s.labels, "bundle"))
                                abort();
                        oci_state_done(&s);
                }
                break;
        case 1:
                if (oci_crun_status_parse(text, size, "fuzz", &s) == 0) {
                        if (s.init_pid <= 0 || strcmp(s.id, "fuzz") != 0)
                                abort();
                        oci_state_done(&s);
                }
                break;
        default:
                if (oci_config_annotations_parse(text, size, &l) == 0) {
                        for (size_t i = 0; i < l.n; i++)
                                if (!l.items[i].key[0] ||
                                    oci_labels_get(&l, l.items[i].key) != l.items[i].value)
                                        abort();
                        oci_labels_done(&l);
                }
                break;
        }
        return 0;
}
