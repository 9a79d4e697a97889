/* SPDX-License-Identifier: MIT */
/* libFuzzer target for attr/apparmor/current (and namespace links, the
 * other one-line attribute posture reads). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "posture/apparmor-label.h"
#include "posture/namespaces.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct apparmor_label l;
        uint64_t ino;

        if (apparmor_label_parse((const char *)data, size, &l) == 0) {
                if ((l.state == APPARMOR_CONFINED) != (l.label != NULL) ||
                    (l.label && (!l.label[0] || strlen(l.label) >= size)))
                        abort();
                apparmor_label_done(&l);
        }
        for (int t = 0; t < _NS_TYPE_MAX; t++)
                if (ns_link_parse((const char *)data, size, (enum ns_type)t, &ino) == 0 && ino == 0)
                        abort();
        return 0;
}
