/* SPDX-License-Identifier: MIT */
/* The fast path of audit_event_parse(): the fields of a record in the
 * forms the kernel writes them, read and converted in one pass, with no
 * tokenizer in between and no value scanned twice.
 *   - seccomp (1326) and ANOM_ABEND (1701): audit_log_task()'s fixed order
 *     "auid= uid= gid= ses= [subj=] pid= comm= exe=", then
 *     "sig= arch= syscall= compat= ip= code=" (seccomp, audit_seccomp())
 *     or "sig= res=" (abend, audit_core_dumps());
 *   - AppArmor (1400, 1501..1507, not USER_AVC): its fields in any order
 *     (they vary with the operation and the kernel version), each key it
 *     reads converted as the general parser converts it, others skipped.
 * Anything that deviates is declined: another order or an extra field
 * (seccomp, abend), a repeated key, an empty, signed (where no sign
 * belongs), quoted or overlong number, a single-quoted value, an odd or
 * empty hex string, more than AUDIT_FIELDS_MAX fields, whatever the general
 * parser would refuse. The general parser then starts over and decides
 * what the record is, errors included. So the fast path accepts only what
 * the general parser accepts, and gives the same event, strings at the
 * same places in its text: test-events-fastpath.c and the
 * fuzz-audit-fastpath target hold the two to that. */
#pragma once

#include <stdbool.h>

#include "audit-event.h"

/* The record from its stamp on: [p, end) holds "audit(SEC.MSEC:SERIAL): "
 * and the fields of a record of kind and type. Returns true with every
 * field of *e set, false when declined (*e is then scratch). */
bool audit_record_fast(const char *p, const char *end, enum event_kind kind, unsigned type,
                       struct audit_event *e);
