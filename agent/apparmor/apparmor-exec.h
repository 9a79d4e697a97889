/* SPDX-License-Identifier: MIT */
/* Confining a program we are about to start: the hook `hardenctl exec`
 * (and any launcher) calls before execve(). It opens and writes
 * /proc/self/attr/apparmor/exec, so call it before loading a seccomp filter
 * that might refuse that; no_new_privs may already be set (a transition out
 * of an unconfined task is allowed under it). Never logs. */
#pragma once

/* Makes the calling process's next successful execve() run under the
 * AppArmor profile hardend-<service> (aa_change_onexec). The profile must be
 * loaded. Returns 0; -APPARMOR_ENOTAVAIL (apparmor-kernel.h) when the kernel
 * has no usable AppArmor; -EINVAL for an invalid service name; -ENOENT when
 * no such profile is loaded; -errno. */
int apparmor_exec_service(const char *service);

/* The same for any profile name (the service form builds the name). */
int apparmor_exec_profile(const char *profile);
