/* SPDX-License-Identifier: MIT */
/* The systemd drop-in of a service (<svc>.service.d/hardend.conf), for
 * services that are not containers: SystemCallFilter=,
 * SystemCallArchitectures=native, SystemCallErrorNumber=,
 * NoNewPrivileges=, CapabilityBoundingSet= from the posture section.
 *
 * systemd filters by syscall name only. Argument conditions are carried
 * over where systemd has an exact equivalent (socket families →
 * RestrictAddressFamilies=, clone namespace flags → RestrictNamespaces=,
 * personality → LockPersonality=); a syscall whose condition has none is
 * left out of the allow list (refused) and the drop-in says so: refusing
 * is the safe side, and `hardenctl exec` applies the exact filter.
 *
 * monitor: only the deny list refuses (SystemCallFilter=~name:ERRNO),
 * everything outside the allow list is logged (SystemCallLog=~...).
 * enforce: SystemCallFilter= is the allow list, SystemCallErrorNumber=
 * the policy's errno (or "kill"). */
#pragma once

#include <stddef.h>

#include "policy/policy.h"
#include "seccomp-rules.h"

/* The drop-in text, NUL-terminated; *ret_size excludes the NUL. */
int seccomp_systemd_dropin(const struct policy *p, const struct seccomp_ruleset *rs,
                           char **ret_text, size_t *ret_size);
