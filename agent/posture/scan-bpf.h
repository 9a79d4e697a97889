/* SPDX-License-Identifier: MIT */
/* Internal to the scanner, shared by scan.c (the /proc path) and
 * scan-bpf.c (the BPF task iterator path): the per-process /proc readers
 * both use, so the two paths keep one meaning for every gap and count.
 * Not an API for other modules: they call posture_scan_run(). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scan.h"

/* Fills s from the BPF task iterator when it can stand in for /proc here.
 * Returns 1 when it did (s->source is SCAN_SOURCE_BPF), 0 when it cannot
 * (s->bpf_error says why; nothing else of s was touched), or -ENOMEM. */
int scan_bpf_run(struct posture_scan *s, int proc_fd, unsigned flags);

/* Every numeric entry of the proc root, sorted. */
int scan_list_pids(int proc_fd, pid_t **ret, size_t *ret_n, size_t *ret_truncated);
/* Index of the mount namespace ino in s, or SIZE_MAX. */
size_t scan_find_mount_ns(const struct posture_scan *s, uint64_t ino);

/* Readers through an open /proc/PID (pid_fd), for p: each records what it
 * cannot read as a gap of p and returns 0, or -ESRCH when the process went
 * away (drop it), or -ENOMEM. */
int scan_proc_cgroup(int pid_fd, struct proc_info *p);
/* AppArmor label, then exe and cmdline as flags ask. */
int scan_proc_extras(int pid_fd, unsigned flags, enum apparmor_source apparmor,
                     struct proc_info *p);
/* p's mount namespace, parsed when p is the first process seen in it. */
int scan_proc_mounts(struct posture_scan *s, int pid_fd, struct proc_info *p);

/* Appends p to s->procs (capacity *cap), taking it over; on -ENOMEM p is
 * released. */
int scan_append(struct posture_scan *s, struct proc_info *p, size_t *cap);
/* One process entirely through /proc, appended or counted (vanished,
 * unreadable, kernel thread). Returns 0 or -ENOMEM. */
int scan_read_pid(struct posture_scan *s, int proc_fd, pid_t pid, unsigned flags, size_t *cap);
