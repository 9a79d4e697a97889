/* SPDX-License-Identifier: MIT */
/* The BPF program and PFC text of a rule set, built one architecture at a
 * time and linked.
 *
 * Why: libseccomp 2.5.4 lays out a multi-architecture program in time
 * quadratic in its blocks (_gen_bpf_build_jmp walks the block list for
 * every jump), so four architectures cost ~6x the sum of four separate
 * programs (api: 13.6 ms against 2.3 ms). Each architecture's program is
 * still libseccomp's own (seccomp_export_bpf of a one-architecture
 * filter); only its "wrong architecture" exits are relinked: libseccomp is
 * given a marker bad-architecture action no rule can use (SCMP_ACT_TRACE,
 * which the backend never produces), and in every program but the last
 * each `ret MARKER` becomes a jump to the next program, in the last the
 * rule set's real bad-architecture action. A call is thus decided by the
 * first program whose architecture (and, for x86_64/x32, number range)
 * claims it, as in libseccomp's merged program. Jumps stay forward and the
 * kernel's action cache emulates BPF_JA, so allowed calls stay cached.
 *
 * The PFC text is the concatenation of each filter's architecture section
 * under one header and footer: byte-equal to what libseccomp prints for
 * the merged filter (its PFC lists the architectures in order anyway). */
#pragma once

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp-filter.h"
#include "seccomp-rules.h"

/* The bad-architecture action each program is built with, relinked into
 * a jump: no rule or default can use it (the backend never produces
 * TRACE). */
#define SECCOMP_LINK_MARKER SCMP_ACT_TRACE(0x4c4b)

/* Every POLICY_ARCH_* bit fits. */
#define SECCOMP_PROGRAM_MAX_ARCHES 8

struct seccomp_program {
        char *bpf; /* struct sock_filter[], native byte order */
        size_t bpf_size;
        char *pfc; /* NUL-terminated; NULL unless asked for */
        size_t pfc_size;
};

/* Builds rs for target (see seccomp_filter_build()) on up to `threads`
 * threads, the caller's included (0 or 1: on the caller's alone): the
 * architectures are independent filters, built concurrently and linked in
 * their fixed order, so the result is the same on any number. Returns 0,
 * -E2BIG when the linked program exceeds BPF_MAXINSNS, -EBADMSG when
 * libseccomp's output is not what the linker expects, or libseccomp's
 * -errno (err says which rule, of the first architecture that failed). */
int seccomp_program_build(const struct seccomp_ruleset *rs, enum seccomp_target target,
                          bool with_pfc, unsigned threads, struct seccomp_error *err,
                          struct seccomp_program *ret);
void seccomp_program_done(struct seccomp_program *p);

/* Links n programs: `ret marker` becomes a jump to the start of the next
 * program, and `ret badarch` in the last. Returns 0 with a malloc()ed
 * program, -E2BIG, -EINVAL (empty input). A pure function. */
int seccomp_program_link(const struct sock_filter *const *progs, const size_t *lens, size_t n,
                         uint32_t marker, uint32_t badarch, struct sock_filter **ret,
                         size_t *ret_n);

/* Joins per-architecture PFC texts: the first text's header, each text's
 * architecture section, the last text's footer. Returns 0 with a
 * malloc()ed, NUL-terminated text, -EBADMSG when a text lacks the markers,
 * -ENOMEM. A pure function. */
int seccomp_pfc_join(const char *const *texts, const size_t *sizes, size_t n, char **ret,
                     size_t *ret_size);
