/* SPDX-License-Identifier: MIT */
#include "apparmor-kernel.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/apparmor.h>

struct apparmor_kernel {
        aa_kernel_interface *ki;
};

static const char *const support_strings[_APPARMOR_SUPPORT_MAX] = {
    [APPARMOR_SUPPORT_ENABLED] = "AppArmor is enabled",
    [APPARMOR_SUPPORT_NOT_IN_KERNEL] = "this kernel has no AppArmor (not built in, or not "
                                       "an active LSM)",
    [APPARMOR_SUPPORT_DISABLED] = "this kernel's AppArmor was disabled at boot "
                                  "(apparmor=0 or lsm= on the kernel command line)",
    [APPARMOR_SUPPORT_NO_SECURITYFS] = "AppArmor is on but its interface is not reachable: "
                                       "mount securityfs at /sys/kernel/security",
    [APPARMOR_SUPPORT_PRIVATE_ONLY] = "AppArmor is on but offers only private interfaces "
                                      "to this process",
};

const char *apparmor_support_to_string(enum apparmor_support s)
{
        if ((unsigned)s >= _APPARMOR_SUPPORT_MAX)
                return "unknown AppArmor state";
        return support_strings[s];
}

int apparmor_support_probe(enum apparmor_support *ret)
{
        errno = 0;
        if (aa_is_enabled() == 1) {
                *ret = APPARMOR_SUPPORT_ENABLED;
                return 0;
        }
        switch (errno) {
        case ENOSYS:
                *ret = APPARMOR_SUPPORT_NOT_IN_KERNEL;
                return 0;
        case ECANCELED:
                *ret = APPARMOR_SUPPORT_DISABLED;
                return 0;
        case ENOENT:
                *ret = APPARMOR_SUPPORT_NO_SECURITYFS;
                return 0;
        case EBUSY:
                *ret = APPARMOR_SUPPORT_PRIVATE_ONLY;
                return 0;
        case 0:
                return -EIO; /* said "no" without a reason */
        default:
                return -errno;
        }
}

/* The kernel's own answer to a policy operation: keep it, except that
 * EOPNOTSUPP is reserved for "no AppArmor here". */
static int kernel_errno(void)
{
        int e = errno > 0 ? errno : EIO;

        return e == APPARMOR_ENOTAVAIL ? -EPROTO : -e;
}

int apparmor_kernel_open(struct apparmor_kernel **ret)
{
        enum apparmor_support s;
        struct apparmor_kernel *k;
        int r;

        r = apparmor_support_probe(&s);
        if (r < 0)
                return r;
        if (s != APPARMOR_SUPPORT_ENABLED)
                return -APPARMOR_ENOTAVAIL;

        k = calloc(1, sizeof(*k));
        if (!k)
                return -ENOMEM;
        /* NULL features: the running kernel's; NULL path: apparmorfs where
         * libapparmor finds it mounted. */
        if (aa_kernel_interface_new(&k->ki, NULL, NULL) < 0) {
                r = kernel_errno();
                free(k);
                return r;
        }
        *ret = k;
        return 0;
}

struct apparmor_kernel *apparmor_kernel_close(struct apparmor_kernel *k)
{
        if (!k)
                return NULL;
        aa_kernel_interface_unref(k->ki);
        free(k);
        return NULL;
}

int apparmor_kernel_replace(struct apparmor_kernel *k, const void *data, size_t size)
{
        if (!k || !data || size == 0)
                return -EINVAL;
        if (aa_kernel_interface_replace_policy(k->ki, (const char *)data, size) < 0)
                return kernel_errno();
        return 0;
}

int apparmor_kernel_remove(struct apparmor_kernel *k, const char *name)
{
        if (!k || !name || !*name)
                return -EINVAL;
        if (aa_kernel_interface_remove_policy(k->ki, name) < 0)
                return kernel_errno();
        return 0;
}
