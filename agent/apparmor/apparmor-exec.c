/* SPDX-License-Identifier: MIT */
#include "apparmor-exec.h"

#include <errno.h>
#include <sys/apparmor.h>

#include "apparmor-kernel.h"
#include "apparmor-render.h"

int apparmor_exec_profile(const char *profile)
{
        enum apparmor_support s;
        int r;

        if (!profile || !*profile)
                return -EINVAL;
        /* Ask first: without AppArmor, aa_change_onexec() fails with
         * whatever the missing /proc attribute file gives (EINVAL, ENOENT),
         * which would read like a bad profile name. */
        r = apparmor_support_probe(&s);
        if (r < 0)
                return r;
        if (s != APPARMOR_SUPPORT_ENABLED)
                return -APPARMOR_ENOTAVAIL;
        if (aa_change_onexec(profile) < 0) {
                r = errno > 0 ? -errno : -EIO;
                return r == -APPARMOR_ENOTAVAIL ? -EPROTO : r;
        }
        return 0;
}

int apparmor_exec_service(const char *service)
{
        char name[APPARMOR_PROFILE_NAME_MAX];
        int r;

        r = apparmor_profile_name(service, name, sizeof(name));
        if (r < 0)
                return r;
        return apparmor_exec_profile(name);
}
