/* SPDX-License-Identifier: MIT */
/* libFuzzer target for path_merge(): observed paths and masks of any bytes,
 * and policy rules of any text, one per line:
 *     MASK<TAB>PATH          an observation (no tab: mask "r")
 *     F GLOB ACCESS          an apparmor.files rule
 *     D GLOB ACCESS          an apparmor.deny rule
 * The first byte picks the collapse threshold. Whatever the input, every
 * proposed glob must pass path_glob_validate(), access must be canonical,
 * each observation must be matched by its proposal's glob, and no letter a
 * deny rule refuses may be proposed. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/path-glob.h"
#include "insight/path-merge.h"

#define MAX_OBS   4096
#define MAX_RULES 64

/* Canonical: a subsequence of "rwalkm" (not both w and a), then at most one
 * exec mode. Returns the letters as bits of "rwalkmx". */
static unsigned canonical(const char *a)
{
        static const char order[] = "rwalkm";
        const char *o = order;
        unsigned s = 0;

        for (; *a && a[1] != 'x'; a++) {
                const char *p = strchr(o, *a);

                if (!*a || !p)
                        abort();
                s |= 1u << (p - order);
                o = p + 1;
        }
        if (*a) {
                if (!strchr("ipPcC", a[0]) || a[1] != 'x' || a[2])
                        abort();
                s |= 1u << 6;
        }
        if ((s & 2u) && (s & 4u))
                abort();
        return s;
}

/* What a deny rule's access refuses, as bits of "rwalkmx". */
static unsigned refused(const char *a)
{
        unsigned s = 0;

        for (; *a; a++) {
                const char *p = strchr("rwalkmx", *a);

                if (p && *a)
                        s |= 1u << (p - "rwalkmx");
        }
        return (s & 6u) ? s | 6u : s; /* w and a refuse each other */
}

/* /proc/self and /proc/thread-self are symlinks the kernel resolves (it
 * never names them): their proposal is the process's @{pid}. */
static bool names_self(const char *p)
{
        return (strncmp(p, "/proc/self", 10) == 0 && (p[10] == '\0' || p[10] == '/')) ||
               (strncmp(p, "/proc/thread-self", 17) == 0 && (p[17] == '\0' || p[17] == '/'));
}

static char *next_line(char **p, char *end)
{
        char *s = *p, *nl;

        if (s >= end)
                return NULL;
        nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
                nl = end;
        *nl = '\0';
        *p = nl + 1;
        return s;
}

static void split_rule(char *s, struct apparmor_file_rule *r)
{
        char *sp = strrchr(s, ' ');

        r->path = s;
        r->access = (char *)"";
        if (sp) {
                *sp = '\0';
                r->access = sp + 1;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static struct path_observed obs[MAX_OBS];
        static struct apparmor_file_rule files[MAX_RULES], deny[MAX_RULES];
        struct policy_apparmor aa = {.files = files, .deny = deny};
        struct path_merge *m = NULL;
        char *text, *p, *end, *line;
        size_t n = 0, min_files;
        int r;

        if (size == 0)
                return 0;
        min_files = data[0] % 5;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';
        p = text;
        end = text + size - 1;
        while ((line = next_line(&p, end))) {
                char *tab;

                if (line[0] == 'F' && line[1] == ' ' && aa.n_files < MAX_RULES)
                        split_rule(line + 2, &files[aa.n_files++]);
                else if (line[0] == 'D' && line[1] == ' ' && aa.n_deny < MAX_RULES)
                        split_rule(line + 2, &deny[aa.n_deny++]);
                else if (n < MAX_OBS) {
                        tab = strchr(line, '\t');
                        if (tab)
                                *tab = '\0';
                        obs[n] = (struct path_observed){tab ? tab + 1 : line, tab ? line : "r",
                                                        size, n % 7};
                        n++;
                }
        }

        r = path_merge(obs, n, &aa, min_files, &m);
        if (r == -ENOMEM)
                goto out;
        if (r < 0 || m->n_items != n)
                abort();
        for (size_t i = 0; i < m->n_proposals; i++) {
                const struct path_proposal *pr = &m->proposals[i];
                const char *why;

                if (path_glob_validate(pr->glob, &why) < 0)
                        abort();
                if (i > 0 && strcmp(m->proposals[i - 1].glob, pr->glob) >= 0)
                        abort();
                if (canonical(pr->access) == 0 || (canonical(pr->added) & ~canonical(pr->access)))
                        abort();
                if (pr->extends &&
                    (pr->rule >= aa.n_files || strcmp(files[pr->rule].path, pr->glob)))
                        abort();
                for (size_t k = 0; k < pr->n_indexes; k++)
                        if (pr->indexes[k] >= 7 || (k > 0 && pr->indexes[k - 1] >= pr->indexes[k]))
                                abort();
        }
        for (size_t i = 0; i < n; i++) {
                const struct path_merge_item *it = &m->items[i];
                const struct path_proposal *pr;
                unsigned want;

                if (it->proposal == SIZE_MAX)
                        continue;
                if (it->proposal >= m->n_proposals || it->ignored)
                        abort();
                pr = &m->proposals[it->proposal];
                want = canonical(it->proposed);
                if (want == 0 ||
                    (want & ~(canonical(pr->access) | ((canonical(pr->access) & 2u) ? 4u : 0))))
                        abort();
                if (!names_self(obs[i].path) && !path_glob_match(pr->glob, obs[i].path))
                        abort();
                for (size_t k = 0; k < aa.n_deny; k++)
                        if ((refused(deny[k].access) & want) &&
                            path_glob_match(deny[k].path, obs[i].path))
                                abort();
        }
out:
        path_merge_free(m);
        free(text);
        return 0;
}
