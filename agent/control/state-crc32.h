/* SPDX-License-Identifier: MIT */
/* CRC-32 (IEEE 802.3, the zlib/PNG one: reflected 0xEDB88320, init and final
 * xor 0xFFFFFFFF). It guards the state file against torn writes and
 * corruption, not against someone who can write state_dir: that directory
 * is root's, mode 0700, and whoever can write it can also write a correct
 * checksum. libc only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* state_crc32("123456789", 9) == 0xCBF43926. */
uint32_t state_crc32(const void *data, size_t size);
