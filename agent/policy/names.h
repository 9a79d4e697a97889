/* SPDX-License-Identifier: MIT */
/* Names a policy may use, each from its authority: syscall names from
 * libseccomp, capability names from libcap, errno names from glibc, and the
 * symbolic argument values (AF_INET, CLONE_NEWUSER...) from the kernel
 * headers. Nothing here keeps a hand-written copy of a kernel table. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when name is a real syscall (not a libseccomp pseudo-number) on at
 * least one of the policy_arch bits. */
bool syscall_name_known(const char *name, unsigned arches);
/* True when libseccomp knows name on some architecture, even one hardend
 * does not target (it then has a pseudo-number). */
bool syscall_name_is_libseccomp_name(const char *name);
/* All syscall names libseccomp knows for the policy_arch bits, sorted and
 * unique; built once, borrowed. Returns NULL on allocation failure. */
const char *const *syscall_names_all(size_t *ret_n);

/* Capability number for "NET_ADMIN", "net_admin" or "CAP_NET_ADMIN";
 * -EINVAL if libcap does not know it. */
int capability_from_name(const char *name);
/* Canonical upper-case name without the CAP_ prefix ("NET_ADMIN") written
 * into buf. Returns buf. */
const char *capability_to_name(int cap, char *buf, size_t size);
/* All capability names in canonical form, borrowed. */
const char *const *capability_names_all(size_t *ret_n);

/* errno number for "EPERM"; -EINVAL if unknown. */
int errno_from_name(const char *name);
/* "EPERM" for 1, NULL if unknown. */
const char *errno_to_name(int e);

/* Symbolic syscall-argument values (AF_*, SOCK_*, CLONE_*, PER_*). */
int arg_constant_lookup(const char *name, uint64_t *ret);
const char *const *arg_constant_names_all(size_t *ret_n);
