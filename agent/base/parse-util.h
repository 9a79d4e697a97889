/* SPDX-License-Identifier: MIT */
/* Checked number parsing: no atoi/strtol without range checks. libc only. */
#pragma once

#include <stdint.h>

/* Parses a whole string as an unsigned number (decimal, or 0x hex; a leading
 * zero is refused rather than read as octal) no larger than max. Returns 0, -EINVAL (not a number,
 * sign, trailing bytes) or -ERANGE. *ret is written only on success. */
int safe_atou64_max(const char *s, uint64_t max, uint64_t *ret);
