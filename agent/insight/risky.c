/* SPDX-License-Identifier: MIT */
#include "risky.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "base/macro.h"

struct risky {
        const char *name;
        const char *note;
};

/* The calls container escapes and rootkits are made of; most are in the
 * @debug, @mount, @module, @namespaces, @privileged, @reboot, @raw-io,
 * @swap, @clock and @keyring groups, which is why policies deny those. */
static const struct risky risky_syscalls[] = {
    {"ptrace", "reads and writes another process's memory and registers"},
    {"process_vm_readv", "reads another process's memory"},
    {"process_vm_writev", "writes another process's memory"},
    {"pidfd_getfd", "steals a file descriptor from another process"},
    {"kcmp", "compares kernel objects of other processes (an information leak)"},
    {"perf_event_open", "kernel and CPU profiling: a large attack surface and side channels"},
    {"bpf", "loads programs into the kernel"},
    {"userfaultfd", "stalls kernel accesses at will: a classic exploit primitive"},
    {"mount", "changes what the process (and with shared propagation, the host) sees"},
    {"umount", "changes the mount table"},
    {"umount2", "changes the mount table"},
    {"move_mount", "changes the mount table"},
    {"open_tree", "clones mounts"},
    {"fsopen", "creates a file system context"},
    {"fsmount", "mounts a file system"},
    {"fsconfig", "configures a file system to mount"},
    {"mount_setattr", "changes mount flags (read-only, nosuid...)"},
    {"pivot_root", "replaces the root file system"},
    {"chroot", "changes the root directory (an escape tool with open fds)"},
    {"unshare", "creates namespaces: the first step of most container escapes"},
    {"setns", "enters other namespaces, the host's among them"},
    {"clone3", "creates processes in new namespaces (its flags are out of seccomp's reach)"},
    {"kexec_load", "replaces the running kernel"},
    {"kexec_file_load", "replaces the running kernel"},
    {"init_module", "loads code into the kernel"},
    {"finit_module", "loads code into the kernel"},
    {"delete_module", "unloads kernel modules"},
    {"reboot", "reboots or halts the machine"},
    {"swapon", "changes the machine's swap"},
    {"swapoff", "changes the machine's swap"},
    {"iopl", "raw I/O port access"},
    {"ioperm", "raw I/O port access"},
    {"settimeofday", "sets the machine's clock"},
    {"clock_settime", "sets the machine's clock"},
    {"clock_adjtime", "adjusts the machine's clock"},
    {"adjtimex", "adjusts the machine's clock"},
    {"add_key", "writes to the kernel keyring, shared across containers"},
    {"keyctl", "reads and changes the kernel keyring, shared across containers"},
    {"request_key", "asks the kernel keyring, shared across containers"},
    {"acct", "turns process accounting on or off for the machine"},
    {"quotactl", "changes disk quotas"},
    {"lookup_dcookie", "kernel profiling internals"},
    {"name_to_handle_at", "with open_by_handle_at, opens files outside the container (shocker)"},
    {"open_by_handle_at", "opens any file by handle, outside the container (the shocker escape)"},
    {"personality", "can turn off address-space randomisation"},
    {"vm86", "legacy virtual-8086 mode"},
    {"vm86old", "legacy virtual-8086 mode"},
    {"modify_ldt", "legacy segment tables, a history of kernel bugs"},
    {"syslog", "reads the kernel log (kernel addresses)"},
    {"fanotify_init", "watches file accesses machine-wide"},
    {"io_uring_setup", "a second system call interface that seccomp cannot see into"},
    {"io_uring_enter", "a second system call interface that seccomp cannot see into"},
    {"io_uring_register", "a second system call interface that seccomp cannot see into"},
};

/* Capabilities that amount to root on the host, or close to it. */
static const struct risky risky_capabilities[] = {
    {"sys_admin", "the catch-all: mount, namespaces, BPF, and most container escapes"},
    {"sys_ptrace", "reads and writes other processes' memory"},
    {"sys_module", "loads kernel modules"},
    {"sys_rawio", "raw device and I/O port access"},
    {"sys_boot", "reboots the machine"},
    {"sys_time", "sets the machine's clock"},
    {"net_admin", "reconfigures the network: interfaces, routes, firewall"},
    {"net_raw", "raw sockets: spoofing and sniffing"},
    {"dac_override", "bypasses file permissions"},
    {"dac_read_search", "reads any file; opens files by handle (the shocker escape)"},
    {"fowner", "bypasses ownership checks on files"},
    {"setuid", "becomes any user"},
    {"setgid", "becomes any group"},
    {"setpcap", "hands out capabilities"},
    {"setfcap", "sets file capabilities"},
    {"mac_admin", "changes the mandatory access control policy"},
    {"mac_override", "bypasses mandatory access control"},
    {"bpf", "loads BPF programs"},
    {"perfmon", "kernel and CPU profiling"},
    {"syslog", "reads the kernel log"},
    {"audit_control", "changes the audit rules"},
    {"linux_immutable", "clears immutable and append-only flags"},
    {"sys_resource", "overrides resource limits"},
    {"checkpoint_restore", "rewrites process state"},
};

static const char *find(const struct risky *t, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcasecmp(t[i].name, name) == 0)
                        return t[i].note;
        return NULL;
}

const char *risky_syscall_note(const char *name)
{
        return name ? find(risky_syscalls, ELEMENTSOF(risky_syscalls), name) : NULL;
}

const char *risky_capability_note(const char *name)
{
        if (!name)
                return NULL;
        if (strncasecmp(name, "cap_", 4) == 0)
                name += 4;
        return find(risky_capabilities, ELEMENTSOF(risky_capabilities), name);
}
