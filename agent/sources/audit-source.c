/* SPDX-License-Identifier: MIT */
#include "audit-source.h"
#include "base/macro.h"

const char *audit_source_kind_to_string(enum audit_source_kind k)
{
        static const char *const names[] = {
            [AUDIT_SOURCE_NETLINK] = "netlink",
            [AUDIT_SOURCE_JOURNAL] = "journal",
            [AUDIT_SOURCE_FILE] = "file",
        };
        return (size_t)k < ELEMENTSOF(names) ? names[k] : "?";
}
