/* SPDX-License-Identifier: MIT */
/* Named syscall groups ("@network-io", "@system-service"...), in the spirit
 * of systemd's SystemCallFilter= sets, so that policies say what a service
 * does rather than list 300 names. Members are syscall names or other
 * groups; every member is checked against libseccomp by the unit tests. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct syscall_group {
        const char *name;        /* "@network-io" */
        const char *description; /* one line, for docs and `hardenctl groups` */
        const char *const *members;
};

const struct syscall_group *syscall_group_find(const char *name);
const struct syscall_group *syscall_groups_all(size_t *ret_n);

/* Calls fn for every syscall name in the group, expanding nested groups
 * (each group at most once). Stops and returns fn's value if negative. */
int syscall_group_expand(const struct syscall_group *g, int (*fn)(const char *name, void *userdata),
                         void *userdata);

/* Syscalls whose refusal breaks every process (it could not even exit or
 * return from a signal handler): always allowed, never deniable. */
bool syscall_is_guarded(const char *name);
