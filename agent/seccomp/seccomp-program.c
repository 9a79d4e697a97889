/* SPDX-License-Identifier: MIT */
#include "seccomp-program.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "seccomp-names.h"

/* No rule or default can use it: the backend never produces TRACE. */
#define LINK_MARKER SCMP_ACT_TRACE(0x4c4b)

/* Every POLICY_ARCH_* bit fits. */
#define MAX_ARCHES 8

#define PFC_ARCH_MARK   "# filter for arch "
#define PFC_FOOTER_MARK "# invalid architecture action\n"

void seccomp_program_done(struct seccomp_program *p)
{
        free(p->bpf);
        free(p->pfc);
        *p = (struct seccomp_program){0};
}

int seccomp_program_link(const struct sock_filter *const *progs, const size_t *lens, size_t n,
                         uint32_t marker, uint32_t badarch, struct sock_filter **ret, size_t *ret_n)
{
        _cleanup_free_ struct sock_filter *out = NULL;
        size_t total = 0, at = 0;

        if (n == 0)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (lens[i] == 0)
                        return -EINVAL;
                total += lens[i];
        }
        if (total > BPF_MAXINSNS)
                return -E2BIG;
        out = malloc(total * sizeof(*out));
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                bool last = i + 1 == n;

                for (size_t pc = 0; pc < lens[i]; pc++) {
                        struct sock_filter f = progs[i][pc];

                        if (f.code == (BPF_RET | BPF_K) && f.k == marker) {
                                if (last)
                                        f.k = badarch;
                                else
                                        /* lands on the next program's first instruction */
                                        f = (struct sock_filter)BPF_JUMP(
                                            BPF_JMP | BPF_JA, (uint32_t)(lens[i] - pc - 1), 0, 0);
                        }
                        out[at++] = f;
                }
        }
        *ret = TAKE_PTR(out);
        *ret_n = total;
        return 0;
}

/* The first line starting with mark, or NULL. */
static const char *find_line(const char *text, size_t size, const char *mark)
{
        size_t len = strlen(mark);

        for (const char *p = text; p && (size_t)(p - text) + len <= size;) {
                if (memcmp(p, mark, len) == 0)
                        return p;
                p = memchr(p, '\n', size - (size_t)(p - text));
                if (p)
                        p++;
        }
        return NULL;
}

/* The last line starting with mark, or NULL: the footer is a text's last
 * lines, found without walking the thousand before it. */
static const char *find_last_line(const char *text, size_t size, const char *mark)
{
        size_t len = strlen(mark);

        for (size_t end = size; end > 0;) {
                const char *nl = memrchr(text, '\n', end - 1);
                size_t at = nl ? (size_t)(nl - text) + 1 : 0;

                if (size - at >= len && memcmp(text + at, mark, len) == 0)
                        return text + at;
                end = at;
        }
        return NULL;
}

int seccomp_pfc_join(const char *const *texts, const size_t *sizes, size_t n, char **ret,
                     size_t *ret_size)
{
        const char *first[MAX_ARCHES], *footer[MAX_ARCHES];
        _cleanup_free_ char *out = NULL;
        size_t total = 0, at = 0;

        if (n == 0 || n > MAX_ARCHES)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                first[i] = find_line(texts[i], sizes[i], PFC_ARCH_MARK);
                footer[i] = first[i]
                                ? find_last_line(first[i], sizes[i] - (size_t)(first[i] - texts[i]),
                                                 PFC_FOOTER_MARK)
                                : NULL;
                if (!footer[i])
                        return -EBADMSG;
                total += (size_t)(footer[i] - first[i]);
        }
        total +=
            (size_t)(first[0] - texts[0]) + (sizes[n - 1] - (size_t)(footer[n - 1] - texts[n - 1]));
        out = malloc(total + 1);
        if (!out)
                return -ENOMEM;
        memcpy(out, texts[0], (size_t)(first[0] - texts[0]));
        at = (size_t)(first[0] - texts[0]);
        for (size_t i = 0; i < n; i++) {
                memcpy(out + at, first[i], (size_t)(footer[i] - first[i]));
                at += (size_t)(footer[i] - first[i]);
        }
        memcpy(out + at, footer[n - 1], sizes[n - 1] - (size_t)(footer[n - 1] - texts[n - 1]));
        at += sizes[n - 1] - (size_t)(footer[n - 1] - texts[n - 1]);
        out[at] = '\0';
        *ret = TAKE_PTR(out);
        *ret_size = at;
        return 0;
}

/* Where one architecture's exports landed in the sinks. */
struct arch_output {
        size_t bpf_at, bpf_size, pfc_at, pfc_size;
};

static int build_arch(const struct seccomp_ruleset *rs, const struct seccomp_arch *arch,
                      enum seccomp_target target, struct seccomp_export_sink *bpf,
                      struct seccomp_export_sink *pfc, struct seccomp_error *err,
                      struct arch_output *out)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        int r;

        r = seccomp_filter_build_arch(rs, arch, target, LINK_MARKER, err, &ctx);
        if (r < 0)
                return r;
        out->bpf_at = bpf->size;
        r = seccomp_export_sink_bpf(bpf, ctx, &out->bpf_size);
        if (r < 0)
                return r;
        if (out->bpf_size == 0 || out->bpf_size % sizeof(struct sock_filter) != 0)
                return -EBADMSG;
        if (!pfc)
                return 0;
        /* The PFC footer shows the real action. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                             seccomp_action_to_scmp(rs->badarch_action));
        if (r < 0)
                return r;
        out->pfc_at = pfc->size;
        return seccomp_export_sink_pfc(pfc, ctx, &out->pfc_size);
}

int seccomp_program_build(const struct seccomp_ruleset *rs, enum seccomp_target target,
                          bool with_pfc, struct seccomp_error *err, struct seccomp_program *ret)
{
        size_t n_arch, n = 0;
        const struct seccomp_arch *all = seccomp_arch_all(&n_arch);
        struct seccomp_export_sink bpf_sink = {.fd = -1}, pfc_sink = {.fd = -1};
        struct arch_output outs[MAX_ARCHES];
        const struct sock_filter *progs[MAX_ARCHES];
        const char *texts[MAX_ARCHES];
        size_t lens[MAX_ARCHES], sizes[MAX_ARCHES];
        _cleanup_free_ char *bpf = NULL, *pfc = NULL;
        struct seccomp_program p = {0};
        struct sock_filter *linked = NULL;
        struct seccomp_error dummy;
        unsigned arches;
        size_t n_insns;
        int r;

        if (!err)
                err = &dummy;
        err->text[0] = '\0';
        r = seccomp_filter_arches(rs, target, err, &arches);
        if (r < 0)
                return r;
        r = seccomp_export_sink_open(&bpf_sink);
        if (r >= 0 && with_pfc)
                r = seccomp_export_sink_open(&pfc_sink);
        for (size_t i = 0; r >= 0 && i < n_arch && n < MAX_ARCHES; i++) {
                if (!(arches & all[i].bit))
                        continue;
                r = build_arch(rs, &all[i], target, &bpf_sink, with_pfc ? &pfc_sink : NULL, err,
                               &outs[n++]);
        }
        if (r >= 0)
                r = seccomp_export_sink_read(&bpf_sink, &bpf);
        if (r >= 0 && with_pfc)
                r = seccomp_export_sink_read(&pfc_sink, &pfc);
        seccomp_export_sink_close(&bpf_sink);
        seccomp_export_sink_close(&pfc_sink);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                /* the sink's buffer is malloc()ed and every program's size a
                 * multiple of sock_filter: aligned */
                progs[i] = (const struct sock_filter *)(void *)(bpf + outs[i].bpf_at);
                lens[i] = outs[i].bpf_size / sizeof(struct sock_filter);
                texts[i] = pfc ? pfc + outs[i].pfc_at : NULL;
                sizes[i] = outs[i].pfc_size;
        }
        r = seccomp_program_link(progs, lens, n, LINK_MARKER,
                                 seccomp_action_to_scmp(rs->badarch_action), &linked, &n_insns);
        if (r < 0)
                return r;
        p.bpf = (char *)linked;
        p.bpf_size = n_insns * sizeof(struct sock_filter);
        if (with_pfc) {
                r = seccomp_pfc_join(texts, sizes, n, &p.pfc, &p.pfc_size);
                if (r < 0) {
                        seccomp_program_done(&p);
                        return r;
                }
        }
        *ret = p;
        return 0;
}
