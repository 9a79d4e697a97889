/* SPDX-License-Identifier: MIT */
/* SHA-256 of a buffer, as lowercase hex: the digest operators compare with
 * `sha256sum` to tell which version of a generated artifact a node has.
 * Computed by libgcrypt, which libsystemd already links (no new library in
 * the process). Never logs. */
#pragma once

#include <stddef.h>

#define SHA256_HEX_SIZE 65 /* 64 hex digits + NUL */

/* Returns 0, or -EIO when libgcrypt could not be initialised. */
int sha256_hex(const void *data, size_t size, char ret[static SHA256_HEX_SIZE]);
