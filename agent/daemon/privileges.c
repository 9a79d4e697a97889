/* SPDX-License-Identifier: MIT */
#include "privileges.h"

#include <errno.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "base/macro.h"
#include "policy/names.h"
#include "posture/proc-read.h"
#include "posture/proc-status.h"
#include "seccomp/seccomp-filter.h"
#include "seccomp/seccomp-generate.h"

/* Every reason names the code that needs the capability; docs/ lists the
 * same. Nothing else is kept: in particular no CAP_DAC_OVERRIDE (hardend
 * writes only root's own directories), no CAP_KILL (it signals only its
 * own children, same uid), no CAP_CHOWN (the control socket is set up
 * before the drop). */
const struct privilege_cap privileges_daemon[] = {
    {CAP_AUDIT_READ, "joins the audit multicast group AUDIT_NLGRP_READLOG "
                     "(sources/audit-netlink.c): type-1326 and AppArmor records"},
    {CAP_DAC_READ_SEARCH, "reads files and directories other users own: rootless "
                          "containers' OCI state under /run/user, their bundles and "
                          "engine metadata (posture/oci-state.c, engine-names.c)"},
    {CAP_SYS_PTRACE, "reads /proc/PID/{exe,ns/*,mountinfo,attr/*} of processes of other "
                     "users or with capabilities it lacks (ptrace read access, "
                     "posture/scan.c); the ptrace syscall itself is denied by its filter"},
    {CAP_MAC_ADMIN, "loads, replaces and removes AppArmor profiles through "
                    "apparmorfs (apparmor/apparmor-kernel.c)"},
};
const size_t privileges_daemon_len = ELEMENTSOF(privileges_daemon);

const struct privilege_cap privileges_readback_helper[] = {
    {CAP_SYS_ADMIN, "PTRACE_SECCOMP_GET_FILTER: the kernel reads a filter back only "
                    "for a caller with CAP_SYS_ADMIN (posture/seccomp-readback.c)"},
    {CAP_SYS_PTRACE, "PTRACE_SEIZE of processes of other users, or with capabilities "
                     "the helper lacks, to stop them for the read"},
};
const size_t privileges_readback_helper_len = ELEMENTSOF(privileges_readback_helper);

const struct privilege_cap privileges_startup[] = {
    {CAP_SETPCAP, "the drop itself: shrinking the bounding set and locking the "
                  "securebits need it; gone once they are done"},
    {CAP_NET_ADMIN, "SO_RCVBUFFORCE on the audit socket, opened before the drop, so "
                    "that bursts fit beyond net.core.rmem_max; without it the "
                    "buffer is capped at rmem_max"},
};
const size_t privileges_startup_len = ELEMENTSOF(privileges_startup);

uint64_t privileges_mask(const struct privilege_cap *caps, size_t n)
{
        uint64_t m = 0;

        for (size_t i = 0; i < n; i++)
                m |= PRIVILEGES_CAP(caps[i].cap);
        return m;
}

static void cap_freep(cap_t *c)
{
        if (*c)
                (void)cap_free(*c);
}

/* The capabilities this kernel has (cap_last_cap + 1), at most 64. */
static unsigned cap_count(void)
{
        int n = cap_max_bits();

        if (n <= 0)
                return CAP_LAST_CAP + 1;
        return n > 64 ? 64 : (unsigned)n;
}

static int permitted_mask(uint64_t *ret)
{
        _cleanup_(cap_freep) cap_t c = cap_get_proc();
        uint64_t m = 0;

        if (!c)
                return negative_errno();
        for (unsigned i = 0; i < cap_count(); i++) {
                cap_flag_value_t v;

                if (cap_get_flag(c, (cap_value_t)i, CAP_PERMITTED, &v) < 0)
                        return negative_errno();
                if (v == CAP_SET)
                        m |= PRIVILEGES_CAP(i);
        }
        *ret = m;
        return 0;
}

/* NOROOT: an exec'd program does not get the full set for being uid 0
 * (apparmor_parser runs with no capability at all). The ambient set can
 * never be raised again. Both locked. */
#define WANTED_SECBITS                                                                             \
        (SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |                      \
         SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)

static int lock_securebits(void)
{
        unsigned cur = cap_get_secbits();

        if ((cur & WANTED_SECBITS) == WANTED_SECBITS)
                return 0;
        if (cap_set_secbits(cur | WANTED_SECBITS) < 0)
                return errno == EPERM ? -EPERM : negative_errno();
        return 0;
}

static int shrink_bounding(uint64_t keep)
{
        for (unsigned i = 0; i < cap_count(); i++) {
                int r;

                if (keep & PRIVILEGES_CAP(i))
                        continue;
                r = cap_get_bound((cap_value_t)i);
                if (r < 0)
                        return negative_errno();
                if (r == 0)
                        continue;
                if (cap_drop_bound((cap_value_t)i) < 0)
                        return errno == EPERM ? -EPERM : negative_errno();
        }
        return 0;
}

static int set_process_caps(uint64_t keep)
{
        _cleanup_(cap_freep) cap_t c = cap_init();
        cap_value_t list[64];
        int n = 0;

        if (!c)
                return negative_errno();
        for (unsigned i = 0; i < cap_count(); i++)
                if (keep & PRIVILEGES_CAP(i))
                        list[n++] = (cap_value_t)i;
        if (n > 0 && (cap_set_flag(c, CAP_PERMITTED, n, list, CAP_SET) < 0 ||
                      cap_set_flag(c, CAP_EFFECTIVE, n, list, CAP_SET) < 0))
                return negative_errno();
        /* cap_init() left the inheritable set empty. */
        if (cap_set_proc(c) < 0)
                return negative_errno();
        return 0;
}

int privileges_drop(uint64_t keep, uint64_t *ret_missing)
{
        uint64_t permitted;
        int r;

        r = permitted_mask(&permitted);
        if (r < 0)
                return r;
        /* Order matters: the securebits and the bounding set need
         * CAP_SETPCAP, which the last step gives up. */
        r = lock_securebits();
        if (r < 0)
                return r;
        r = shrink_bounding(keep);
        if (r < 0)
                return r;
        /* Kernels without ambient capabilities (before 4.3) have none to
         * clear. */
        if (cap_reset_ambient() < 0 && errno != EINVAL)
                return negative_errno();
        r = set_process_caps(keep & permitted);
        if (r < 0)
                return r;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        if (ret_missing)
                *ret_missing = keep & ~permitted;
        return 0;
}

int privileges_confine(const struct policy *self, const struct oci_profile *base,
                       enum policy_mode mode, struct seccomp_error *err)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        int r;

        /* Without no_new_privs the kernel refuses an unprivileged filter,
         * and a privileged one could be escaped through a setuid exec. */
        r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        if (r < 0)
                return negative_errno();
        if (r != 1)
                return -EPERM;
        err->text[0] = '\0';
        r = seccomp_policy_filter(self, base, mode, err, &ctx);
        if (r < 0)
                return r;
        /* Every thread, not only the caller: a thread started earlier
         * (by a library) must not stay outside the filter. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
        if (r < 0)
                return r;
        return seccomp_load(ctx);
}

int privileges_mask_names(uint64_t mask, char **ret)
{
        size_t size = 1, len = 0;
        char *s, name[64];

        for (unsigned i = 0; i < 64; i++)
                if (mask & PRIVILEGES_CAP(i))
                        size += strlen(capability_to_name((int)i, name, sizeof(name))) + 1;
        s = malloc(size);
        if (!s)
                return -ENOMEM;
        s[0] = '\0';
        for (unsigned i = 0; i < 64; i++) {
                if (!(mask & PRIVILEGES_CAP(i)))
                        continue;
                len += (size_t)snprintf(s + len, size - len, "%s%s", len ? " " : "",
                                        capability_to_name((int)i, name, sizeof(name)));
        }
        *ret = s;
        return 0;
}

int privileges_state_read(int proc_fd, struct privileges_state *ret)
{
        _cleanup_free_ char *data = NULL;
        struct proc_status st;
        size_t size;
        char *names;
        int r;

        /* seccomp and no_new_privs are per thread: the caller's own. */
        r = proc_read_alloc(proc_fd, "thread-self/status", 4096, PROC_STATUS_MAX, &data, &size);
        if (r < 0)
                return r;
        r = proc_status_parse(data, size, &st);
        if (r < 0)
                return -EBADMSG;
        if (!(st.fields & PROC_STATUS_NNP) || !(st.fields & PROC_STATUS_SECCOMP) ||
            !(st.fields & PROC_STATUS_CAPAMB))
                return -EBADMSG;
        r = privileges_mask_names(st.creds.cap_eff, &names);
        if (r < 0)
                return r;
        *ret = (struct privileges_state){
            .cap_inh = st.creds.cap_inh,
            .cap_prm = st.creds.cap_prm,
            .cap_eff = st.creds.cap_eff,
            .cap_bnd = st.creds.cap_bnd,
            .cap_amb = st.creds.cap_amb,
            .effective = names,
            .no_new_privs = st.creds.no_new_privs,
            .seccomp_mode = st.creds.seccomp_mode,
            .seccomp_filters = st.creds.seccomp_filters,
            .securebits = (unsigned)cap_get_secbits(),
        };
        return 0;
}

void privileges_state_done(struct privileges_state *s)
{
        free(s->effective);
        s->effective = NULL;
}
