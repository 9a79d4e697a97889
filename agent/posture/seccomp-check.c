/* SPDX-License-Identifier: MIT */
#include "seccomp-check.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "bpf-eval.h"
#include "seccomp-readback.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"
#include "seccomp/seccomp-oci-import.h"

void seccomp_summary_done(struct seccomp_summary *s)
{
        for (size_t i = 0; i < s->n_extra && i < SECCOMP_DIFF_KEEP; i++)
                free(s->extra[i]);
        *s = (struct seccomp_summary){0};
}

int seccomp_expected_chain(const struct policy *p, enum policy_mode mode, struct seccomp_chain *ret)
{
        _cleanup_oci_profile_ struct oci_profile *base = NULL;
        _cleanup_free_ char *bpf = NULL;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct seccomp_chain chain = {0};
        struct seccomp_error err;
        struct oci_error oerr;
        size_t size, n;
        int r;

        r = seccomp_policy_load_base(p, &oerr, &base);
        if (r < 0)
                return r;
        /* The linked program: a quarter of the cost of libseccomp's merged
         * one, the same decisions (compared by evaluation, not layout). */
        r = seccomp_policy_program(p, base, mode, &err, &bpf, &size);
        if (r < 0)
                return r;
        r = bpf_prog_parse(bpf, size, &insns, &n);
        if (r < 0)
                return r;
        r = seccomp_chain_add(&chain, insns, n);
        if (r < 0)
                return r;
        *ret = chain;
        return 0;
}

/* runc (1.1) prepends a stub to a filter whose default refuses: syscall
 * numbers above the highest one the profile names get ENOSYS, so that
 * programs probing for newer calls fall back. That filter is still the
 * profile's: true when every difference is such a call (running: ENOSYS;
 * expected: refused; neither looks at arguments). */
static bool only_runtime_enosys(const struct seccomp_diff *diff,
                                const struct seccomp_decoded *running,
                                const struct seccomp_decoded *expected)
{
        if (diff->n_differ == 0 || diff->n_differ > SECCOMP_DIFF_KEEP)
                return false;
        for (size_t k = 0; k < diff->n_differ; k++) {
                const struct syscall_decision *m = seccomp_decoded_find(running, diff->names[k]);
                const struct syscall_decision *e = seccomp_decoded_find(expected, diff->names[k]);

                if (!m || !e || m->conditional || e->conditional ||
                    m->action != SCMP_ACT_ERRNO(ENOSYS) ||
                    seccomp_verdict_of(e->action) != SECCOMP_VERDICT_REFUSE)
                        return false;
        }
        return true;
}

int seccomp_summarize(const struct seccomp_chain *running, uint32_t arch, const struct policy *p,
                      struct seccomp_summary *ret)
{
        return seccomp_summarize_against(running, arch, p, NULL, ret);
}

int seccomp_summarize_against(const struct seccomp_chain *running, uint32_t arch,
                              const struct policy *p, const struct seccomp_chain *expected_chains,
                              struct seccomp_summary *ret)
{
        struct seccomp_summary s = {.applicable = true, .arch = arch, .filters = running->n};
        struct seccomp_decoded mine = {0}, enforce = {0};
        int r;

        r = seccomp_decode(running, arch, &mine);
        if (r < 0)
                return r;
        s.total = mine.n;
        memcpy(s.counts, mine.counts, sizeof(s.counts));
        s.conditional = mine.conditional;
        if (!p) {
                seccomp_decoded_done(&mine);
                *ret = s;
                return 0;
        }
        for (int mode = POLICY_MODE_MONITOR; mode <= POLICY_MODE_ENFORCE; mode++) {
                struct seccomp_chain expected = {0};
                struct seccomp_decoded decoded = {0};
                struct seccomp_diff diff;

                const struct seccomp_chain *exp = expected_chains ? &expected_chains[mode] : NULL;

                if (!exp) {
                        r = seccomp_expected_chain(p, (enum policy_mode)mode, &expected);
                        if (r == -ENOMEM)
                                goto fail;
                        if (r < 0) {
                                s.compare_error = r;
                                break;
                        }
                        exp = &expected;
                }
                r = seccomp_chain_compare(running, exp, arch, &diff);
                if (r >= 0) {
                        r = seccomp_decode(exp, arch, &decoded);
                        if (r < 0)
                                seccomp_diff_done(&diff);
                }
                seccomp_chain_done(&expected);
                if (r < 0) {
                        if (r == -ENOMEM)
                                goto fail;
                        s.compare_error = r;
                        break;
                }
                s.equals[mode] = diff.n_differ == 0 || only_runtime_enosys(&diff, &mine, &decoded);
                s.n_differ[mode] = s.equals[mode] ? 0 : diff.n_differ;
                seccomp_diff_done(&diff);
                if (mode == POLICY_MODE_ENFORCE)
                        enforce = decoded;
                else
                        seccomp_decoded_done(&decoded);
        }
        s.compared = s.compare_error == 0;
        if (s.compared)
                for (size_t i = 0; i < mine.n; i++) {
                        const struct syscall_decision *m = &mine.items[i];
                        const struct syscall_decision *e = seccomp_decoded_find(&enforce, m->name);
                        enum seccomp_verdict v = seccomp_verdict_of(m->action);

                        /* Open here whatever the arguments, refused by the
                         * service whatever the arguments. */
                        if (!e || m->conditional || e->conditional ||
                            (v != SECCOMP_VERDICT_ALLOW && v != SECCOMP_VERDICT_LOG) ||
                            seccomp_verdict_of(e->action) != SECCOMP_VERDICT_REFUSE)
                                continue;
                        if (s.n_extra < SECCOMP_DIFF_KEEP) {
                                s.extra[s.n_extra] = strdup(m->name);
                                if (!s.extra[s.n_extra]) {
                                        r = -ENOMEM;
                                        goto fail;
                                }
                        }
                        s.n_extra++;
                }
        seccomp_decoded_done(&mine);
        seccomp_decoded_done(&enforce);
        *ret = s;
        return 0;
fail:
        seccomp_decoded_done(&mine);
        seccomp_decoded_done(&enforce);
        seccomp_summary_done(&s);
        return r;
}

int seccomp_readback_reader(void *userdata, int proc_fd, pid_t pid, uint64_t start_time,
                            struct seccomp_chain *ret)
{
        return seccomp_readback(proc_fd, pid, start_time, ret);
}

int posture_seccomp_check(int proc_fd, const struct posture_scan *scan, const struct workload *w,
                          struct seccomp_summary *ret)
{
        return posture_seccomp_check_with(proc_fd, scan, w, seccomp_readback_reader, NULL, ret);
}

int posture_seccomp_check_with(int proc_fd, const struct posture_scan *scan,
                               const struct workload *w, seccomp_reader_fn reader, void *userdata,
                               struct seccomp_summary *ret)
{
        return posture_seccomp_check_against(proc_fd, scan, w, reader, userdata, NULL, ret);
}

int posture_seccomp_check_against(int proc_fd, const struct posture_scan *scan,
                                  const struct workload *w, seccomp_reader_fn reader,
                                  void *userdata, const struct seccomp_chain *expected,
                                  struct seccomp_summary *ret)
{
        const struct proc_info *p = workload_main_proc(w, scan);
        struct seccomp_summary s = {0};
        struct seccomp_chain chain = {0};
        _cleanup_close_ int fd = -1;
        uint32_t arch;
        int r;

        if (!p || p->creds.seccomp_mode != 2) {
                *ret = s; /* not applicable */
                return 0;
        }
        /* Failures to read or decode are results (reported as incomplete),
         * not errors; only running out of memory is. */
        fd = proc_open_verified(proc_fd, p->pid, p->start_time);
        r = fd;
        if (fd >= 0) {
                if (proc_exe_arch(fd, &arch) < 0)
                        arch = seccomp_arch_native();
                r = reader(userdata, proc_fd, p->pid, p->start_time, &chain);
        }
        if (r >= 0) {
                r = seccomp_summarize_against(&chain, arch, w->policy, expected, &s);
                seccomp_chain_done(&chain);
                if (r == -ENOMEM)
                        return r;
        }
        if (r < 0)
                s = (struct seccomp_summary){.applicable = true, .error = r};
        s.pid = p->pid;
        *ret = s;
        return 0;
}

int posture_seccomp_findings(const struct seccomp_summary *s, const struct policy *p,
                             struct posture_report *r)
{
        char list[1024] = "";
        size_t used = 0;

        if (!s->applicable)
                return 0;
        if (s->error < 0)
                return posture_report_add(r, SEVERITY_LOW, CHECK_INCOMPLETE, s->pid, "seccomp",
                                          "could not read the seccomp filter of pid %d back: %s",
                                          (int)s->pid, strerror(-s->error));
        if (!p)
                return 0;
        if (!s->compared)
                return posture_report_add(r, SEVERITY_LOW, CHECK_INCOMPLETE, s->pid, "seccomp",
                                          "could not build service %s's filter to compare with: "
                                          "%s",
                                          p->service, strerror(-s->compare_error));
        for (size_t i = 0; i < s->n_extra && i < SECCOMP_DIFF_KEEP; i++) {
                int k =
                    snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", s->extra[i]);

                if (k < 0 || (size_t)k >= sizeof(list) - used)
                        break;
                used += (size_t)k;
        }
        if (s->equals[p->mode])
                return posture_report_add(r, SEVERITY_INFO, CHECK_SECCOMP_FILTER, s->pid,
                                          policy_mode_to_string(p->mode),
                                          "runs service %s's generated %s-mode filter (pid %d)",
                                          p->service, policy_mode_to_string(p->mode), (int)s->pid);
        if (s->equals[!p->mode])
                return posture_report_add(
                    r, p->mode == POLICY_MODE_ENFORCE ? SEVERITY_MEDIUM : SEVERITY_LOW,
                    CHECK_SECCOMP_FILTER, s->pid,
                    policy_mode_to_string((enum policy_mode) !p->mode),
                    "runs service %s's %s-mode filter, the service is in %s mode: restart "
                    "needed (pid %d)",
                    p->service, policy_mode_to_string((enum policy_mode) !p->mode),
                    policy_mode_to_string(p->mode), (int)s->pid);
        if (s->n_extra > 0)
                return posture_report_add(r, SEVERITY_MEDIUM, CHECK_SECCOMP_FILTER, s->pid, "extra",
                                          "the running filter is not service %s's: it allows %zu "
                                          "system calls the service refuses (%s%s) (pid %d)",
                                          p->service, s->n_extra, list,
                                          s->n_extra > SECCOMP_DIFF_KEEP ? ", ..." : "",
                                          (int)s->pid);
        return posture_report_add(r, SEVERITY_LOW, CHECK_SECCOMP_FILTER, s->pid, "other",
                                  "the running filter is not service %s's (it decides %zu system "
                                  "calls differently from the %s-mode filter) (pid %d)",
                                  p->service, s->n_differ[p->mode], policy_mode_to_string(p->mode),
                                  (int)s->pid);
}
