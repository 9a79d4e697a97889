/* SPDX-License-Identifier: MIT */
/* Syscall names for the (arch, number) pairs of seccomp audit records.
 *
 * The names come from libseccomp, whose architecture tokens are the
 * kernel's AUDIT_ARCH_* values, so a record's arch= is a token as it is.
 * One exception: an x32 call reaches the filter (and the record) as arch
 * c000003e (x86_64) with __X32_SYSCALL_BIT (0x40000000) set in the number;
 * it is looked up in libseccomp's x32 table.
 *
 * Each architecture's table is built once, on first use, and kept for the
 * life of the process; a lookup after that is an index into an array: no
 * allocation, no libseccomp call. */
#pragma once

#include <stdint.h>

/* Numbers one table covers above its architecture's base (0; 4000, 5000,
 * 6000 for MIPS o32, n64, n32; 0x40000000 for x32). Every libseccomp
 * 2.5 table ends below base + 512. */
#define SYSCALL_LOOKUP_SPAN 1024

/* libseccomp's name of syscall nr on the architecture (AUDIT_ARCH_*), or
 * NULL when the architecture or the number is unknown. The string is
 * static. */
const char *syscall_lookup(uint32_t audit_arch, int64_t nr);

/* "x86_64", "i386", "aarch64"... for an AUDIT_ARCH_* value; NULL when
 * unknown. */
const char *audit_arch_name(uint32_t audit_arch);
