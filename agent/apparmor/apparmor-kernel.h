/* SPDX-License-Identifier: MIT */
/* Loading, replacing and removing compiled profiles in the running kernel
 * through libapparmor's kernel interface (aa_kernel_interface_*), which
 * writes the binary policy to apparmorfs' .load/.replace/.remove files.
 * libapparmor's -1 + errno is turned into -errno here, once. Never logs.
 *
 * On a kernel without usable AppArmor every operation returns
 * -APPARMOR_ENOTAVAIL and nothing else does, so a caller can say so once
 * and carry on with the rest of its work. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "base/macro.h"

/* "This kernel has no usable AppArmor". Any EOPNOTSUPP the kernel itself
 * answers to a policy operation is reported as -EPROTO instead, so this
 * code means exactly one thing. */
#define APPARMOR_ENOTAVAIL EOPNOTSUPP

static inline bool apparmor_unavailable(int r)
{
        return r == -APPARMOR_ENOTAVAIL;
}

/* What aa_is_enabled() says, as a closed set. */
enum apparmor_support {
        APPARMOR_SUPPORT_ENABLED,
        APPARMOR_SUPPORT_NOT_IN_KERNEL, /* ENOSYS: not built in, or not an active LSM */
        APPARMOR_SUPPORT_DISABLED,      /* ECANCELED: built in, disabled at boot */
        APPARMOR_SUPPORT_NO_SECURITYFS, /* ENOENT: on, but its filesystem is not mounted */
        APPARMOR_SUPPORT_PRIVATE_ONLY,  /* EBUSY: only private interfaces are available */
        _APPARMOR_SUPPORT_MAX,
};

/* Returns 0 and the kernel's state in *ret, or -EPERM/-EACCES/-ENOMEM when
 * it could not be determined. */
int apparmor_support_probe(enum apparmor_support *ret);
/* One sentence for operators, e.g. "this kernel has no AppArmor (not built
 * in, or not an active LSM)". */
const char *apparmor_support_to_string(enum apparmor_support s);

/* A handle on the running kernel's policy interface. */
struct apparmor_kernel;

/* Returns 0; -APPARMOR_ENOTAVAIL when the kernel has no usable AppArmor;
 * -errno. *ret is written only on success. */
int apparmor_kernel_open(struct apparmor_kernel **ret);
struct apparmor_kernel *apparmor_kernel_close(struct apparmor_kernel *k);
DEFINE_POINTER_CLEANUP(struct apparmor_kernel, apparmor_kernel_close)
#define _cleanup_apparmor_kernel_ _cleanup_(apparmor_kernel_closep)

/* Loads a binary policy, or replaces the loaded profiles of the same
 * names in place: processes confined by them switch at once (this is how a
 * mode change reaches running processes). Returns 0 or -errno (-EACCES/-EPERM
 * without CAP_MAC_ADMIN, -EPROTO for a policy the kernel's ABI refuses). */
int apparmor_kernel_replace(struct apparmor_kernel *k, const void *data, size_t size);

/* Removes the profile `name`; processes confined by it become unconfined.
 * Returns 0, -ENOENT when no such profile is loaded, or -errno. */
int apparmor_kernel_remove(struct apparmor_kernel *k, const char *name);
