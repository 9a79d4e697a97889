/* SPDX-License-Identifier: MIT */
/* Reading a running process's seccomp filters back with
 * PTRACE_SECCOMP_GET_FILTER: seize, interrupt, read, detach. The target is
 * never left stopped: every path after a successful seize detaches (and
 * re-delivers a signal that arrived while it was stopped). The kernel
 * allows this only to a caller with CAP_SYS_ADMIN that is not itself
 * under seccomp (-EACCES otherwise). */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "seccomp-decode.h"

/* Reads every filter of pid (most recent first) after checking, while the
 * process is stopped, that it is still the one started at start_time.
 * Returns 0 (an empty chain when it has no filter), -ESRCH (gone, or the
 * PID was reused), -EPERM (cannot attach: already traced, or not
 * permitted), -EACCES (the kernel refuses the read), -errno. */
int seccomp_readback(int proc_fd, pid_t pid, uint64_t start_time, struct seccomp_chain *ret);

/* The seccomp architecture (SCMP_ARCH_*) of a process's executable, from
 * the ELF header of /proc/PID/exe: x86_64, x86, x32, aarch64, arm...
 * Returns 0 or -errno (-EOPNOTSUPP for a machine we do not know). */
int proc_exe_arch(int pid_fd, uint32_t *ret_arch);

/* The same from an ELF header (at least 20 bytes). A pure function. */
int elf_header_arch(const unsigned char *hdr, size_t len, uint32_t *ret_arch);
