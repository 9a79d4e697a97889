/* SPDX-License-Identifier: MIT */
#include "proc-status.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

enum value_kind {
        VALUE_U32,
        VALUE_HEX64,
        VALUE_IDS,   /* four decimal uids/gids */
        VALUE_NSPID, /* one or more decimal pids */
        VALUE_BOOL,
};

struct key {
        const char *name;
        unsigned field;
        enum value_kind kind;
};

static const struct key keys[] = {
    {"Tgid", PROC_STATUS_TGID, VALUE_U32},
    {"Pid", PROC_STATUS_PID, VALUE_U32},
    {"PPid", PROC_STATUS_PPID, VALUE_U32},
    {"Uid", PROC_STATUS_UID, VALUE_IDS},
    {"Gid", PROC_STATUS_GID, VALUE_IDS},
    {"NSpid", PROC_STATUS_NSPID, VALUE_NSPID},
    {"Threads", PROC_STATUS_THREADS, VALUE_U32},
    {"CapInh", PROC_STATUS_CAPINH, VALUE_HEX64},
    {"CapPrm", PROC_STATUS_CAPPRM, VALUE_HEX64},
    {"CapEff", PROC_STATUS_CAPEFF, VALUE_HEX64},
    {"CapBnd", PROC_STATUS_CAPBND, VALUE_HEX64},
    {"CapAmb", PROC_STATUS_CAPAMB, VALUE_HEX64},
    {"NoNewPrivs", PROC_STATUS_NNP, VALUE_BOOL},
    {"Seccomp", PROC_STATUS_SECCOMP, VALUE_U32},
    {"Seccomp_filters", PROC_STATUS_SECCOMP_FILTERS, VALUE_U32},
    {"Kthread", PROC_STATUS_KTHREAD, VALUE_BOOL},
};

/* One unsigned decimal in [p, end), stopping at a blank. */
static int parse_dec(const char **pp, const char *end, uint64_t max, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;

        if (p >= end || *p < '0' || *p > '9')
                return -EINVAL;
        for (; p < end && *p >= '0' && *p <= '9'; p++) {
                v = v * 10 + (uint64_t)(*p - '0');
                if (v > max)
                        return -EINVAL;
        }
        *pp = p;
        *ret = v;
        return 0;
}

static const char *skip_blanks(const char *p, const char *end)
{
        while (p < end && (*p == ' ' || *p == '\t'))
                p++;
        return p;
}

static int parse_value(const struct key *k, const char *p, const char *end, struct proc_status *s)
{
        uint64_t v = 0;

        p = skip_blanks(p, end);
        switch (k->kind) {
        case VALUE_U32:
        case VALUE_BOOL:
                if (parse_dec(&p, end, k->kind == VALUE_BOOL ? 1 : UINT32_MAX, &v) < 0)
                        return -EINVAL;
                break;
        case VALUE_HEX64:
                /* The kernel prints exactly 16 hex digits. */
                if (end - p < 16)
                        return -EINVAL;
                for (int i = 0; i < 16; i++, p++) {
                        char c = *p;
                        unsigned d;

                        if (c >= '0' && c <= '9')
                                d = (unsigned)(c - '0');
                        else if (c >= 'a' && c <= 'f')
                                d = (unsigned)(c - 'a' + 10);
                        else
                                return -EINVAL;
                        v = v << 4 | d;
                }
                break;
        case VALUE_IDS: {
                uint32_t *ids = k->field == PROC_STATUS_UID ? s->creds.uid : s->creds.gid;

                for (int i = 0; i < 4; i++) {
                        if (i > 0) {
                                const char *q = skip_blanks(p, end);

                                if (q == p)
                                        return -EINVAL;
                                p = q;
                        }
                        if (parse_dec(&p, end, UINT32_MAX, &v) < 0)
                                return -EINVAL;
                        ids[i] = (uint32_t)v;
                }
                break;
        }
        case VALUE_NSPID: {
                unsigned n = 0;

                for (;;) {
                        if (parse_dec(&p, end, INT_MAX, &v) < 0 || v == 0)
                                return -EINVAL;
                        if (++n > PROC_STATUS_NSPID_MAX)
                                return -EINVAL;
                        if (skip_blanks(p, end) == end)
                                break;
                        if (skip_blanks(p, end) == p)
                                return -EINVAL;
                        p = skip_blanks(p, end);
                }
                s->nspid_levels = n;
                break;
        }
        default:
                return -EINVAL;
        }
        if (skip_blanks(p, end) != end)
                return -EINVAL;

        switch (k->field) {
        case PROC_STATUS_TGID:
        case PROC_STATUS_PID:
        case PROC_STATUS_PPID:
                if (v > INT_MAX || (v == 0 && k->field != PROC_STATUS_PPID))
                        return -EINVAL;
                if (k->field == PROC_STATUS_TGID)
                        s->tgid = (pid_t)v;
                else if (k->field == PROC_STATUS_PID)
                        s->pid = (pid_t)v;
                else
                        s->ppid = (pid_t)v;
                break;
        case PROC_STATUS_THREADS:
                s->threads = (unsigned)v;
                break;
        case PROC_STATUS_CAPINH:
                s->creds.cap_inh = v;
                break;
        case PROC_STATUS_CAPPRM:
                s->creds.cap_prm = v;
                break;
        case PROC_STATUS_CAPEFF:
                s->creds.cap_eff = v;
                break;
        case PROC_STATUS_CAPBND:
                s->creds.cap_bnd = v;
                break;
        case PROC_STATUS_CAPAMB:
                s->creds.cap_amb = v;
                break;
        case PROC_STATUS_NNP:
                s->creds.no_new_privs = v != 0;
                break;
        case PROC_STATUS_SECCOMP:
                if (v > 2)
                        return -EINVAL;
                s->creds.seccomp_mode = (int)v;
                break;
        case PROC_STATUS_SECCOMP_FILTERS:
                s->creds.seccomp_filters = (unsigned)v;
                break;
        case PROC_STATUS_KTHREAD:
                s->kthread = v != 0;
                break;
        default:
                break; /* UID, GID, NSPID: stored above */
        }
        return 0;
}

int proc_status_parse(const char *buf, size_t len, struct proc_status *ret)
{
        struct proc_status s = {.creds.seccomp_mode = -1};
        const char *p = buf, *end = buf + len;
        unsigned lines = 0;

        if (len > PROC_STATUS_MAX)
                return -E2BIG;
        if (memchr(buf, '\0', len))
                return -EINVAL;
        while (p < end) {
                const char *eol = memchr(p, '\n', (size_t)(end - p));
                const char *colon;

                if (!eol)
                        eol = end;
                if (++lines > PROC_STATUS_LINES)
                        return -E2BIG;
                colon = memchr(p, ':', (size_t)(eol - p));
                if (!colon)
                        return -EINVAL;
                for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                        size_t n = strlen(keys[i].name);

                        if ((size_t)(colon - p) != n || memcmp(p, keys[i].name, n) != 0)
                                continue;
                        if (s.fields & keys[i].field)
                                return -EINVAL; /* the kernel never repeats a key */
                        if (parse_value(&keys[i], colon + 1, eol, &s) < 0)
                                return -EINVAL;
                        s.fields |= keys[i].field;
                        break;
                }
                p = eol + 1;
        }
        if ((s.fields & PROC_STATUS_REQUIRED) != PROC_STATUS_REQUIRED)
                return -EINVAL;
        *ret = s;
        return 0;
}

bool proc_creds_equal(const struct proc_creds *a, const struct proc_creds *b)
{
        return memcmp(a->uid, b->uid, sizeof(a->uid)) == 0 &&
               memcmp(a->gid, b->gid, sizeof(a->gid)) == 0 && a->cap_inh == b->cap_inh &&
               a->cap_prm == b->cap_prm && a->cap_eff == b->cap_eff && a->cap_bnd == b->cap_bnd &&
               a->cap_amb == b->cap_amb && a->no_new_privs == b->no_new_privs &&
               a->seccomp_mode == b->seccomp_mode && a->seccomp_filters == b->seccomp_filters;
}
