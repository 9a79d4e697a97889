/* SPDX-License-Identifier: MIT */
/* The canonical printer: writes a policy back as YAML, every field, in a
 * fixed key order, so that load(print(p)) equals p. Used by
 * `hardenctl validate --print`, by golden tests and by proposals. */
#pragma once

#include <stdio.h>

#include "policy.h"

/* Returns 0 or -EIO if writing failed. */
int policy_print(const struct policy *p, FILE *f);
