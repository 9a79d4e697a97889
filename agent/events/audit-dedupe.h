/* SPDX-License-Identifier: MIT */
/* The same record seen twice: journald stores what the kernel also sends
 * to our netlink socket, and a journal read after a restart may overlap
 * what netlink delivered. A record is identified by its type and its stamp
 * (time and serial); this remembers the last AUDIT_DEDUPE_KEEP to
 * 2 x AUDIT_DEDUPE_KEEP of them in fixed memory (two generations of hash
 * tables, the older one dropped whole when the newer fills). That covers
 * the overlap where two sources meet: the journal's history read after the
 * netlink socket opened, an auditd log and a kern.log of the same minutes
 * read one after the other. While netlink runs, the journal is not
 * followed (it would only repeat, late, what netlink delivered). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "audit-event.h"

#define AUDIT_DEDUPE_KEEP 4096u /* 256 KiB in all: stays in the L2 cache */

struct audit_dedupe;

int audit_dedupe_new(struct audit_dedupe **ret);
struct audit_dedupe *audit_dedupe_free(struct audit_dedupe *d);
/* True when (type, stamp) was seen before; else remembers it. Records
 * without a serial are never duplicates. */
bool audit_dedupe_seen(struct audit_dedupe *d, unsigned type, struct audit_stamp stamp);
