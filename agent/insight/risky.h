/* SPDX-License-Identifier: MIT */
/* What a proposal never adds silently: syscalls and capabilities that hand
 * a process power over the kernel or over other processes. Each comes
 * with the note the operator reads before accepting it (--accept-risky). */
#pragma once

/* The note for a risky syscall, or NULL when it is not risky. */
const char *risky_syscall_note(const char *name);
/* The same for a capability, by libcap name ("sys_admin", "cap_sys_admin"
 * and "CAP_SYS_ADMIN" are all accepted). */
const char *risky_capability_note(const char *name);
