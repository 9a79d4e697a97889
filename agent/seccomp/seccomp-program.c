/* SPDX-License-Identifier: MIT */
#include "seccomp-program.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"

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
        const char *first[SECCOMP_PROGRAM_MAX_ARCHES], *footer[SECCOMP_PROGRAM_MAX_ARCHES];
        _cleanup_free_ char *out = NULL;
        size_t total = 0, at = 0;

        if (n == 0 || n > SECCOMP_PROGRAM_MAX_ARCHES)
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
